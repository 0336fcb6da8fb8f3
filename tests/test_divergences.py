"""Tests for pgmlib.divergences (section 1.6): L1, chi-square, KL between Gaussians, Monte Carlo
KL and the closed forms of Examples 1.9-1.11.

Independent routes: quadrature (scipy.integrate.quad, written out here), the pmf functions,
seeded Monte Carlo within a stated number of standard errors, and the notes' printed closed
forms where they are right.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import integrate, stats

from pgmlib.divergences import (
    Divergences,
    KLDirectReverse,
    chi2_divergence,
    chi2_divergence_continuous,
    example_1_9_c,
    example_1_9_divergences,
    example_1_9_q,
    example_1_10_divergences,
    example_1_11_divergences,
    kl_divergence_continuous,
    kl_gaussian,
    kl_monte_carlo,
    l1_distance,
    l1_distance_continuous,
)
from pgmlib.information import kl_divergence

RTOL = 1e-10
PROPERTY = settings(max_examples=50, deadline=None)
N_VALUES = [1.01, 1.5, 2.0, 3.0, 5.0, 10.0, 40.0]
EPS_VALUES = [1e-6, 1e-3, 0.05, 0.2, 0.5, 0.9, 0.999]


def uniform01(x):
    return np.ones_like(np.asarray(x, dtype=float))


def quad(f, a, b, points=None):
    """An independent scalar quadrature (not pgmlib's wrapper)."""
    return integrate.quad(f, a, b, points=points, epsabs=1e-14, epsrel=1e-13, limit=200)[0]


@st.composite
def pmf_pairs(draw):
    k = draw(st.integers(2, 6))
    weights = draw(hnp.arrays(float, (2, k), elements=st.floats(1e-3, 1.0)))
    return weights[0] / weights[0].sum(), weights[1] / weights[1].sum()


# --- pmfs ----------------------------------------------------------------------------------


def test_l1_and_chi2_match_direct_sums():
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    assert l1_distance(p, q) == pytest.approx(np.abs(p - q).sum(), rel=RTOL)
    assert chi2_divergence(p, q) == pytest.approx(np.sum(p**2 / q) - 1.0, rel=1e-9)
    assert l1_distance(p, q) == l1_distance(q, p)
    assert l1_distance(p, p) == 0.0 and chi2_divergence(p, p) == 0.0


def test_chi2_with_zeros():
    """q = 0 < p gives +inf; outcomes with p = q = 0 contribute nothing."""
    assert chi2_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert chi2_divergence([0.5, 0.5, 0.0], [0.25, 0.75, 0.0]) == pytest.approx(
        0.25**2 / 0.25 + 0.25**2 / 0.75, rel=RTOL
    )
    assert l1_distance([0.5, 0.5], [1.0, 0.0]) == 1.0


@PROPERTY
@given(pmf_pairs())
def test_divergence_inequalities(pair):
    """0 <= L1 <= 2; Pinsker L1^2 / 2 <= KL; KL <= log(1 + chi2) <= chi2."""
    p, q = pair
    l1, kl, chi2 = l1_distance(p, q), kl_divergence(p, q), chi2_divergence(p, q)
    assert 0.0 <= l1 <= 2.0
    assert l1**2 / 2 <= kl + 1e-12
    assert kl <= np.log1p(chi2) + 1e-12
    assert np.log1p(chi2) <= chi2 + 1e-12


# --- Gaussians, eq. (1.38) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "mu0, sigma0, mu1, sigma1",
    [(0.0, 1.0, 0.0, 1.0), (0.0, 1.0, 1.0, 2.0), (2.0, 0.5, -1.0, 0.7), (0.3, 3.0, 0.0, 2.5)],
)
def test_kl_gaussian_matches_quadrature(mu0, sigma0, mu1, sigma1):
    p, q = stats.norm(mu0, sigma0), stats.norm(mu1, sigma1)
    a, b = min(mu0, mu1) - 12 * max(sigma0, sigma1), max(mu0, mu1) + 12 * max(sigma0, sigma1)
    direct = quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), a, b)
    assert kl_gaussian(mu0, sigma0, mu1, sigma1) == pytest.approx(direct, rel=RTOL, abs=1e-14)
    got = kl_divergence_continuous(p.pdf, q.pdf, a, b)
    assert got == pytest.approx(direct, rel=1e-9, abs=1e-14)


def test_kl_gaussian_broadcasts_on_grids():
    mu = np.linspace(-2, 2, 5)[:, None]
    v = np.linspace(0.2, 3.0, 7)[None, :]
    grid = kl_gaussian(0.0, 1.0, mu, v)
    assert grid.shape == (5, 7)
    expected = np.log(v) + (1 + mu**2) / (2 * v**2) - 0.5
    np.testing.assert_allclose(grid, expected, rtol=RTOL)
    assert type(kl_gaussian(0.0, 1.0, 1.0, 1.0)) is float
    assert kl_gaussian(0.0, 1.0, 0.0, 1.0) == 0.0


@PROPERTY
@given(
    st.floats(-5, 5),
    st.floats(0.05, 5),
    st.floats(-5, 5),
    st.floats(0.05, 5),
)
def test_kl_gaussian_nonnegative_zero_iff_equal(mu0, sigma0, mu1, sigma1):
    kl = kl_gaussian(mu0, sigma0, mu1, sigma1)
    assert kl >= 0.0
    assert kl_gaussian(mu0, sigma0, mu0, sigma0) == 0.0
    if abs(mu0 - mu1) > 1e-3 or abs(sigma0 - sigma1) > 1e-3:
        assert kl > 0.0


def test_example_1_11_matches_the_notes_closed_forms():
    """Example 1.11 / Figure 1.4: KL(p||q) = (log v^2 + v^-2 - 1)/2, KL(q||p) = (-log v^2 +
    v^2 - 1)/2 for p = N(0, 1), q = N(0, v^2)."""
    v = np.linspace(0.2, 3.0, 400)
    kl = example_1_11_divergences(v)
    assert isinstance(kl, KLDirectReverse)
    np.testing.assert_allclose(kl.direct, 0.5 * (np.log(v**2) + v**-2 - 1), rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(kl.reverse, 0.5 * (-np.log(v**2) + v**2 - 1), rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(kl.direct, kl_gaussian(0, 1, 0, v), rtol=RTOL)
    assert kl.direct[0] > kl.reverse[0] and kl.direct[-1] < kl.reverse[-1]
    shifted = example_1_11_divergences(1.5, mu=0.7)
    assert shifted.direct == pytest.approx(kl_gaussian(0, 1, 0.7, 1.5), rel=RTOL)
    assert shifted.reverse == pytest.approx(kl_gaussian(0.7, 1.5, 0, 1), rel=RTOL)


# --- Monte Carlo ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kl_monte_carlo_within_four_standard_errors(seed):
    """Seeded: |estimate - exact| < 4 standard errors (fails with probability < 1e-4 per run)."""
    rng = np.random.default_rng(seed)
    p, q = stats.norm(0.0, 1.0), stats.norm(0.5, 1.5)
    x = p.rvs(size=20_000, random_state=rng)
    estimate, se = kl_monte_carlo(p.logpdf, q.logpdf, x)
    exact = kl_gaussian(0.0, 1.0, 0.5, 1.5)
    assert 0 < se < 0.01
    assert abs(estimate - exact) < 4 * se


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kl_monte_carlo_standard_error_is_the_sample_sd_over_root_n(seed):
    """The standard error is exactly std(log p - log q, ddof=1) / sqrt(N), and it estimates the
    analytic sqrt(Var_p[log p/q] / N) for two Gaussians within 4 of its own standard errors.

    With X = mu0 + sigma0 Z, log p/q = const + a Z^2 + b Z with a = (sigma0^2/sigma1^2 - 1)/2,
    b = (mu0 - mu1) sigma0 / sigma1^2, so Var_p[log p/q] = 2 a^2 + b^2 (checked by quadrature).
    The sample sd s of N draws has standard error sqrt(mu4 - sigma^4) / (2 sigma sqrt(N))
    (delta method; mu4 is the central fourth moment, by quadrature), so se = s / sqrt(N) has
    sqrt(mu4 - sigma^4) / (2 sigma N): here 1.3% of se, so the bound is about 5% relative.
    """
    mu0, sigma0, mu1, sigma1, n = 0.0, 1.0, 0.5, 1.5, 20_000
    p, q = stats.norm(mu0, sigma0), stats.norm(mu1, sigma1)
    x = p.rvs(size=n, random_state=np.random.default_rng(seed))
    estimate, se = kl_monte_carlo(p.logpdf, q.logpdf, x)
    ratio = p.logpdf(x) - q.logpdf(x)
    assert estimate == pytest.approx(np.mean(ratio), rel=1e-12)
    assert se == pytest.approx(np.std(ratio, ddof=1) / np.sqrt(n), rel=1e-12)
    kl = kl_gaussian(mu0, sigma0, mu1, sigma1)

    def central_moment(k):
        integrand = lambda t: (p.logpdf(t) - q.logpdf(t) - kl) ** k * p.pdf(t)  # noqa: E731
        return quad(integrand, -np.inf, np.inf)

    a, b = (sigma0**2 / sigma1**2 - 1) / 2, (mu0 - mu1) * sigma0 / sigma1**2
    variance = 2 * a**2 + b**2
    assert variance == pytest.approx(central_moment(2), rel=1e-9)
    se_exact = np.sqrt(variance / n)
    se_of_se = np.sqrt(central_moment(4) - variance**2) / (2 * np.sqrt(variance) * n)
    assert se_of_se / se_exact == pytest.approx(0.0129, abs=1e-3)
    assert abs(se - se_exact) < 4 * se_of_se
    assert abs(estimate - kl) < 4 * se_exact


def test_kl_monte_carlo_multivariate_samples_and_error_scaling():
    """(N, d) samples; the standard error shrinks like 1/sqrt(N)."""
    rng = np.random.default_rng(7)
    mean0, cov0 = np.zeros(2), np.array([[1.0, 0.3], [0.3, 1.0]])
    mean1, cov1 = np.array([0.5, -0.5]), np.eye(2) * 2.0
    p, q = stats.multivariate_normal(mean0, cov0), stats.multivariate_normal(mean1, cov1)
    inv1 = np.linalg.inv(cov1)
    diff = mean1 - mean0
    exact = 0.5 * (
        np.trace(inv1 @ cov0)
        + diff @ inv1 @ diff
        - 2
        + np.log(np.linalg.det(cov1) / np.linalg.det(cov0))
    )
    x = p.rvs(size=40_000, random_state=rng)
    estimate, se = kl_monte_carlo(p.logpdf, q.logpdf, x)
    assert abs(estimate - exact) < 4 * se
    _, se_small = kl_monte_carlo(p.logpdf, q.logpdf, x[:10_000])
    assert se_small / se == pytest.approx(2.0, rel=0.1)


def test_kl_monte_carlo_without_absolute_continuity_is_inf():
    x = np.linspace(0.01, 0.99, 50)
    result = kl_monte_carlo(stats.uniform(0, 1).logpdf, stats.uniform(0, 0.5).logpdf, x)
    assert result == (np.inf, np.inf)
    assert result.estimate == np.inf


# --- Example 1.9 ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", N_VALUES)
def test_example_1_9_c_normalises_q(n):
    """Eq. (1.33): q_n integrates to one with c_n = (n - e^{-n}) / (n - 1)."""
    c = example_1_9_c(n)
    assert c == pytest.approx((n - np.exp(-n)) / (n - 1), rel=RTOL)
    mass = quad(lambda x: example_1_9_q(x, n), 0.0, 1.0, points=[1 / n])
    assert mass == pytest.approx(1.0, rel=RTOL)


@pytest.mark.parametrize("n", N_VALUES)
def test_example_1_9_closed_forms_match_quadrature(n):
    """Corrected (1.34)-(1.35), and chi2, against quadrature through the jump at 1/n."""
    d = example_1_9_divergences(n)
    assert isinstance(d, Divergences)

    def q(x):
        return example_1_9_q(x, n)

    cut = [1 / n]
    assert d.l1 == pytest.approx(quad(lambda x: abs(1 - q(x)), 0, 1, cut), rel=RTOL)
    assert d.kl == pytest.approx(quad(lambda x: -np.log(q(x)), 0, 1, cut), rel=RTOL)
    assert d.chi2 == pytest.approx(quad(lambda x: (1 - q(x)) ** 2 / q(x), 0, 1, cut), rel=RTOL)
    assert l1_distance_continuous(uniform01, q, 0, 1, points=cut) == pytest.approx(d.l1, rel=RTOL)
    assert kl_divergence_continuous(uniform01, q, 0, 1, points=cut) == pytest.approx(d.kl, rel=RTOL)
    assert chi2_divergence_continuous(uniform01, q, 0, 1, points=cut) == pytest.approx(
        d.chi2, rel=RTOL
    )


def test_example_1_9_limits_l1_to_zero_kl_to_one():
    """Remark 1.12: q_n -> p in L1 but not in KL (and chi2 blows up)."""
    n = np.array([2.0, 10.0, 100.0, 1e4, 1e8])
    d = example_1_9_divergences(n)
    assert d.l1.shape == n.shape
    assert np.all(np.diff(d.l1) < 0) and d.l1[-1] < 1e-7
    np.testing.assert_allclose(d.kl[-1], 1.0, atol=1e-7)
    assert np.all(np.diff(d.chi2[:3]) > 0) and np.all(d.chi2[3:] == np.inf)  # e^n overflows
    np.testing.assert_allclose(d.l1, 2 * (1 - np.exp(-n)) / n, rtol=RTOL)


def test_example_1_9_q_vectorised_and_zero_outside():
    x = np.array([-0.5, 0.0, 0.2, 0.25, 0.9, 1.0, 1.5])
    q = example_1_9_q(x, 4.0)
    c = example_1_9_c(4.0)
    np.testing.assert_allclose(q, [0, np.exp(-4), np.exp(-4), c, c, c, 0], rtol=RTOL)
    assert example_1_9_q(x[:, None], np.array([2.0, 3.0])).shape == (7, 2)
    assert type(example_1_9_q(0.5, 2.0)) is float


# --- Example 1.10 --------------------------------------------------------------------------


@pytest.mark.parametrize("eps", EPS_VALUES)
def test_example_1_10_closed_forms_match_pmf_functions(eps):
    p, q = [1 - eps, eps], [1 - eps**2, eps**2]
    d = example_1_10_divergences(eps)
    assert d.l1 == pytest.approx(l1_distance(p, q), rel=1e-9)
    assert d.kl == pytest.approx(kl_divergence(p, q), rel=1e-9)
    assert d.chi2 == pytest.approx(chi2_divergence(p, q), rel=1e-9)


def test_example_1_10_limits_kl_to_zero_chi2_to_one():
    eps = np.logspace(-1, -12, 12)
    d = example_1_10_divergences(eps)
    assert np.all(np.diff(d.kl) < 0) and d.kl[-1] < 1e-10
    np.testing.assert_allclose(d.chi2[-1], 1.0, atol=1e-11)
    assert d.chi2.shape == eps.shape


# --- continuous, q = 0 ---------------------------------------------------------------------


def test_continuous_divergences_where_q_vanishes():
    p, q = stats.uniform(0, 1).pdf, stats.uniform(0, 0.5).pdf
    assert kl_divergence_continuous(p, q, 0, 1, points=[0.5]) == np.inf
    assert chi2_divergence_continuous(p, q, 0, 1, points=[0.5]) == np.inf
    assert l1_distance_continuous(p, q, 0, 1, points=[0.5]) == pytest.approx(1.0, rel=RTOL)
    assert kl_divergence_continuous(q, p, 0, 1, points=[0.5]) == pytest.approx(np.log(2), RTOL)
    assert chi2_divergence_continuous(q, p, 0, 1, points=[0.5]) == pytest.approx(1.0, rel=RTOL)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("sigma0, sigma1", [(0.0, 1.0), (1.0, -2.0)])
def test_kl_gaussian_rejects_non_positive_sigma(sigma0, sigma1):
    with pytest.raises(ValueError, match=r"`sigma[01]` must be > 0"):
        kl_gaussian(0.0, sigma0, 0.0, sigma1)


def test_kl_gaussian_rejects_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"`mu0`, `sigma0`, `mu1`, `sigma1` must broadcast"):
        kl_gaussian([0.0, 1.0], 1.0, [0.0, 1.0, 2.0], 1.0)


def test_kl_gaussian_rejects_non_finite_mean():
    with pytest.raises(ValueError, match="`mu1` must contain only finite values; got inf"):
        kl_gaussian(0.0, 1.0, np.inf, 1.0)


def test_kl_gaussian_rejects_empty():
    with pytest.raises(ValueError, match="`mu0` must not be empty"):
        kl_gaussian([], 1.0, 0.0, 1.0)


def test_pmf_divergences_reject_bad_pmfs():
    with pytest.raises(ValueError, match=r"`q` must be nonnegative"):
        l1_distance([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(ValueError, match=r"`p` must sum to 1"):
        chi2_divergence([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ValueError, match="`p` and `q` must have the same shape"):
        chi2_divergence([1.0], [0.5, 0.5])


@pytest.mark.parametrize("n", [1.0, 0.5, -3.0])
def test_example_1_9_rejects_n_not_above_one(n):
    with pytest.raises(ValueError, match=r"`n` must be > 1 \(Example 1.9\)"):
        example_1_9_divergences([2.0, n])
    with pytest.raises(ValueError, match=r"`n` must be > 1"):
        example_1_9_c(n)
    with pytest.raises(ValueError, match=r"`n` must be > 1"):
        example_1_9_q(0.5, n)


@pytest.mark.parametrize("eps", [0.0, 1.0, -0.2, 1.3])
def test_example_1_10_rejects_eps_outside_open_unit_interval(eps):
    with pytest.raises(ValueError, match=r"`eps` must lie in the open interval \(0, 1\)"):
        example_1_10_divergences(eps)


def test_example_1_11_rejects_non_positive_v():
    with pytest.raises(ValueError, match="`sigma1` must be > 0"):
        example_1_11_divergences(np.array([0.5, 0.0]))


def test_continuous_divergences_reject_reversed_interval_and_non_callables():
    with pytest.raises(ValueError, match="`a` must be < `b`"):
        l1_distance_continuous(uniform01, uniform01, 1.0, 0.0)
    with pytest.raises(TypeError, match="`p` must be callable"):
        kl_divergence_continuous("uniform", uniform01, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"`q` must integrate to 1 over \[a, b\]"):
        chi2_divergence_continuous(uniform01, lambda x: 2 * uniform01(x), 0.0, 1.0)


def test_continuous_divergences_reject_bad_points():
    with pytest.raises(ValueError, match="`points` must contain only finite values"):
        kl_divergence_continuous(uniform01, uniform01, 0.0, 1.0, points=[np.nan])


def test_kl_monte_carlo_rejects_bad_input():
    x = np.linspace(-1, 1, 10)
    p = stats.norm.logpdf
    with pytest.raises(ValueError, match="`samples` must hold at least 2 draws"):
        kl_monte_carlo(p, p, [0.0])
    with pytest.raises(ValueError, match="`samples` must not be empty"):
        kl_monte_carlo(p, p, [])
    with pytest.raises(ValueError, match="`samples` must contain only finite values"):
        kl_monte_carlo(p, p, [0.0, np.nan])
    with pytest.raises(TypeError, match="`logq` must be callable"):
        kl_monte_carlo(p, None, x)
    with pytest.raises(ValueError, match=r"`logp` must return one log-density per sample"):
        kl_monte_carlo(lambda s: p(s).sum(), p, x)
    with pytest.raises(ValueError, match="`logq` returned nan at a sample"):
        kl_monte_carlo(p, lambda s: np.full(s.shape, np.nan), x)
    with pytest.raises(ValueError, match="`samples` are not draws from p"):
        kl_monte_carlo(stats.uniform(0, 0.5).logpdf, p, x)
