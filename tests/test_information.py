"""Tests for pgmlib.information (section 1.5): entropy, cross-entropy, KL, differential entropy.

Independent routes: scipy.stats.entropy (discrete), scipy.stats.<dist>.entropy (continuous),
closed forms of the notes, and property-based checks of the inequalities of section 1.5.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from pgmlib import _quadrature
from pgmlib.information import (
    binary_entropy,
    cross_entropy,
    cross_entropy_continuous,
    differential_entropy,
    entropy,
    kl_divergence,
    tilted_pmf,
)

RTOL = 1e-10
PROPERTY = settings(max_examples=50, deadline=None)


def random_pmf(rng: np.random.Generator, k: int, zeros: int = 0) -> np.ndarray:
    p = rng.dirichlet(np.ones(k))
    p[rng.choice(k, size=zeros, replace=False)] = 0.0
    return p / p.sum()


@st.composite
def pmfs(draw, k=None, min_k=1, max_k=8, allow_zeros=True):
    """A pmf on k outcomes, built from nonnegative weights (some exactly zero if allowed)."""
    k = draw(st.integers(min_k, max_k)) if k is None else k
    low = 0.0 if allow_zeros else 1e-3
    weights = draw(hnp.arrays(float, k, elements=st.floats(low, 1.0)))
    if weights.sum() == 0:
        weights[0] = 1.0
    return weights / weights.sum()


@st.composite
def pmf_pairs(draw, allow_zeros_in_q=False):
    k = draw(st.integers(1, 8))
    return draw(pmfs(k=k)), draw(pmfs(k=k, allow_zeros=allow_zeros_in_q))


# --- entropy ------------------------------------------------------------------------------


@pytest.mark.parametrize("k, zeros", [(2, 0), (5, 0), (7, 3), (50, 10)])
def test_entropy_matches_scipy(k, zeros):
    p = random_pmf(np.random.default_rng(k), k, zeros)
    assert entropy(p) == pytest.approx(stats.entropy(p), rel=RTOL)
    assert entropy(p, base=2) == pytest.approx(stats.entropy(p, base=2), rel=RTOL)
    assert entropy(p, base=10) == pytest.approx(stats.entropy(p) / np.log(10), rel=RTOL)


def test_entropy_extremes_eq_1_23():
    """H(U_{1:K}) = log K (eq. 1.23); a deterministic variable has H = 0."""
    for k in (1, 2, 3, 10, 1000):
        assert entropy(np.full(k, 1.0 / k)) == pytest.approx(np.log(k), rel=RTOL, abs=1e-15)
    assert entropy([0.0, 1.0, 0.0]) == 0.0
    assert entropy([1.0]) == 0.0
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0, rel=RTOL)


def test_entropy_returns_python_float():
    assert type(entropy([0.3, 0.7])) is float


@PROPERTY
@given(pmfs())
def test_entropy_bounds_eq_1_22(p):
    """0 <= H(p) <= log |supp p| <= log K (eq. 1.22 with its corrected middle step)."""
    h = entropy(p)
    support = np.count_nonzero(p)
    assert h >= 0.0
    assert h <= np.log(support) + 1e-12
    assert h <= np.log(p.size) + 1e-12


# --- cross-entropy and KL ----------------------------------------------------------------


def test_cross_entropy_matches_direct_sum():
    rng = np.random.default_rng(1)
    p, q = random_pmf(rng, 6, zeros=2), random_pmf(rng, 6)
    direct = -np.sum(p[p > 0] * np.log(q[p > 0]))
    assert cross_entropy(p, q) == pytest.approx(direct, rel=RTOL)
    assert cross_entropy(p, q, base=2) == pytest.approx(direct / np.log(2), rel=RTOL)
    assert cross_entropy(p, p) == pytest.approx(entropy(p), rel=RTOL)


def test_cross_entropy_is_asymmetric():
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert cross_entropy(p, q) != pytest.approx(cross_entropy(q, p), rel=1e-3)


def test_cross_entropy_zeros():
    """q = 0 where p > 0 costs +inf; q = 0 where p = 0 costs nothing."""
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert cross_entropy([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=RTOL)


def test_kl_divergence_matches_scipy():
    rng = np.random.default_rng(2)
    for k in (2, 3, 9):
        p, q = random_pmf(rng, k, zeros=1), random_pmf(rng, k)
        assert kl_divergence(p, q) == pytest.approx(stats.entropy(p, q), rel=RTOL)
        assert kl_divergence(p, q, base=2) == pytest.approx(stats.entropy(p, q, base=2), rel=RTOL)


def test_kl_divergence_without_absolute_continuity_is_inf():
    """Definition 1.5: KL(p||q) is finite only when P << Q."""
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=RTOL)


def test_kl_divergence_not_symmetric_and_no_triangle_inequality():
    """Remark 1.11: KL is not a distance (numerical counterexamples)."""
    p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    assert abs(kl_divergence(p, q) - kl_divergence(q, p)) > 0.1
    a, b, c = np.array([0.9, 0.1]), np.array([0.5, 0.5]), np.array([0.1, 0.9])
    assert kl_divergence(a, c) > kl_divergence(a, b) + kl_divergence(b, c)


@PROPERTY
@given(pmf_pairs(allow_zeros_in_q=True))
def test_kl_nonnegative_zero_iff_equal(pair):
    """KL(p||q) >= 0 with equality iff p = q (Remark 1.11, corrected)."""
    p, q = pair
    kl = kl_divergence(p, q)
    assert kl >= 0.0
    assert kl_divergence(p, p) == 0.0
    if not np.allclose(p, q, rtol=0, atol=1e-6):
        assert kl > 0.0


@PROPERTY
@given(pmf_pairs())
def test_cross_entropy_splits_into_entropy_plus_kl(pair):
    """H(p, q) = H(p) + KL(p||q) (eq. 1.32), hence H(p) <= H(p, q) (eqs. 1.26-1.28)."""
    p, q = pair
    h_pq, h_p, kl = cross_entropy(p, q), entropy(p), kl_divergence(p, q)
    assert h_pq == pytest.approx(h_p + kl, rel=1e-10, abs=1e-12)
    assert h_p <= h_pq + 1e-12


# --- binary entropy ------------------------------------------------------------------------


def test_binary_entropy_matches_pmf_entropy_and_figure_1_3():
    theta = np.linspace(0.0, 1.0, 101)
    h = binary_entropy(theta)
    assert h.shape == theta.shape
    expected = np.array([stats.entropy([1 - t, t]) for t in theta])
    np.testing.assert_allclose(h, expected, rtol=RTOL, atol=1e-15)
    assert h[0] == 0.0 and h[-1] == 0.0
    assert np.argmax(h) == 50
    assert binary_entropy(0.5) == pytest.approx(np.log(2), rel=RTOL)
    np.testing.assert_allclose(h, h[::-1], rtol=RTOL, atol=1e-15)


def test_binary_entropy_shapes_and_base():
    assert type(binary_entropy(0.3)) is float
    grid = np.full((3, 4), 0.25)
    assert binary_entropy(grid).shape == (3, 4)
    assert binary_entropy(0.5, base=2) == pytest.approx(1.0, rel=RTOL)


# --- continuous ----------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [(0.0, 0.25), (0.0, 1.0), (-1.0, 2.0), (3.0, 3.5)])
def test_differential_entropy_uniform_example_1_8(a, b):
    """Example 1.8: H(U[a, b]) = log(b - a); negative when b - a < 1, zero at b - a = 1."""
    h = differential_entropy(lambda x: np.full_like(x, 1.0 / (b - a)), a, b)
    assert h == pytest.approx(np.log(b - a), rel=RTOL, abs=1e-14)
    assert (h < 0) == (b - a < 1)


@pytest.mark.parametrize(
    "dist, a, b",
    [
        (stats.norm(0.5, 1.3), -20.0, 21.0),
        (stats.norm(0.0, 0.1), -2.0, 2.0),
        (stats.beta(2.0, 5.0), 0.0, 1.0),
        (stats.expon(scale=0.5), 0.0, 40.0),
    ],
)
def test_differential_entropy_matches_scipy(dist, a, b):
    assert differential_entropy(dist.pdf, a, b) == pytest.approx(dist.entropy(), rel=RTOL)


def test_differential_entropy_with_jump_needs_points():
    """A density with a jump at 0.3: passing the jump in `points` gives the exact value."""

    def pdf(x):
        return np.where(x < 0.3, 0.5, (1 - 0.15) / 0.7)

    exact = -(0.3 * 0.5 * np.log(0.5) + 0.85 * np.log(0.85 / 0.7))
    assert differential_entropy(pdf, 0.0, 1.0, points=[0.3]) == pytest.approx(exact, rel=RTOL)


def test_cross_entropy_continuous_gaussians():
    """H(N(m0, s0^2), N(m1, s1^2)) = 0.5 log(2 pi s1^2) + (s0^2 + (m0 - m1)^2) / (2 s1^2)."""
    m0, s0, m1, s1 = 0.3, 0.8, -0.5, 1.7
    exact = 0.5 * np.log(2 * np.pi * s1**2) + (s0**2 + (m0 - m1) ** 2) / (2 * s1**2)
    got = cross_entropy_continuous(stats.norm(m0, s0).pdf, stats.norm(m1, s1).pdf, -20.0, 20.0)
    assert got == pytest.approx(exact, rel=RTOL)


def test_cross_entropy_continuous_inf_without_absolute_continuity():
    p = stats.uniform(0.0, 1.0).pdf
    q = stats.uniform(0.0, 0.5).pdf
    assert cross_entropy_continuous(p, q, 0.0, 1.0, points=[0.5]) == np.inf
    assert np.isfinite(cross_entropy_continuous(q, p, 0.0, 1.0, points=[0.5]))


def test_integrand_infinite_at_a_quadrature_node_gives_inf():
    """Where the grid misses q = 0 < p but a quadrature node hits it, the result is +inf."""

    def integrand(x):
        return np.inf if 0.3 < x < 0.6 else 1.0

    assert _quadrature._integrate_divergence(integrand, 0.0, 1.0, None, "test") == np.inf
    assert _quadrature._integrate_divergence(lambda x: 1.0, 0.0, 1.0, None, "t") == 1.0


def test_rough_integrand_warns_with_advice_at_the_callers_line():
    """When quad cannot converge, the warning says what to do and points at the caller."""

    def pdf(x):
        return 1.0 + 0.5 * np.sin(1.0 / x)  # integrates to ~1.25 on [1e-9, 1]: also refused

    with pytest.warns(RuntimeWarning, match="pass the abscissae of jumps") as record:
        with pytest.raises(ValueError, match="must integrate to 1"):
            differential_entropy(pdf, 1e-9, 1.0)
    assert record[0].filename == __file__


# --- bad input -----------------------------------------------------------------------------


def test_rejects_negative_pmf():
    with pytest.raises(ValueError, match=r"`p` must be nonnegative; got min\(p\) = -0.1"):
        entropy([-0.1, 1.1])


def test_rejects_unnormalised_pmf():
    with pytest.raises(ValueError, match=r"`q` must sum to 1 \(a pmf\); got sum\(q\) = 1.1"):
        kl_divergence([0.5, 0.5], [0.5, 0.6])


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="`p` and `q` must have the same shape"):
        cross_entropy([0.5, 0.5], [1 / 3, 1 / 3, 1 / 3])


def test_rejects_empty_pmf():
    with pytest.raises(ValueError, match="`p` must not be empty"):
        entropy([])


def test_rejects_non_finite_pmf():
    with pytest.raises(ValueError, match="`p` must contain only finite values; got nan"):
        entropy([np.nan, 1.0])


def test_rejects_two_dimensional_pmf():
    with pytest.raises(ValueError, match=r"`p` must have 1 dimension\(s\)"):
        entropy([[0.5, 0.5]])


def test_rejects_non_numeric_pmf():
    with pytest.raises(TypeError, match="`p` must be array-like of numbers"):
        entropy("0.5, 0.5")


@pytest.mark.parametrize("base", [0.0, -2.0, 1.0])
def test_rejects_bad_base(base):
    with pytest.raises(ValueError, match=r"`base` must be > 0 and != 1"):
        entropy([0.5, 0.5], base=base)
    with pytest.raises(ValueError, match=r"`base` must be > 0 and != 1"):
        binary_entropy(0.5, base=base)


@pytest.mark.parametrize("theta", [-0.01, 1.5])
def test_binary_entropy_rejects_theta_outside_unit_interval(theta):
    with pytest.raises(ValueError, match=r"`theta` must lie in \[0, 1\]"):
        binary_entropy([0.2, theta])


def test_binary_entropy_rejects_non_finite():
    with pytest.raises(ValueError, match="`theta` must contain only finite values"):
        binary_entropy(np.inf)


def test_continuous_rejects_reversed_interval():
    with pytest.raises(ValueError, match="`a` must be < `b`; got a = 1, b = 0"):
        differential_entropy(lambda x: np.ones_like(x), 1.0, 0.0)


def test_continuous_rejects_non_callable_density():
    with pytest.raises(TypeError, match=r"`pdf` must be callable; got 1\.0"):
        differential_entropy(1.0, 0.0, 1.0)
    with pytest.raises(TypeError, match="`q` must be callable"):
        cross_entropy_continuous(lambda x: np.ones_like(x), [1.0], 0.0, 1.0)


def test_continuous_rejects_unnormalised_density():
    with pytest.raises(ValueError, match=r"`pdf` must integrate to 1 over \[a, b\]"):
        differential_entropy(stats.norm.pdf, -1.0, 1.0)


def test_continuous_rejects_negative_density():
    with pytest.raises(ValueError, match=r"`pdf` must be nonnegative \(a density\)"):
        differential_entropy(lambda x: 2 * x, -1.0, 1.0)


def test_continuous_rejects_non_finite_density():
    with pytest.raises(ValueError, match="`pdf` must be finite on"):
        differential_entropy(lambda x: np.where(x > 0.5, np.nan, 1.0), 0.0, 1.0)


def test_continuous_rejects_density_that_is_not_vectorised():
    def scalar_only(x):
        return 1.0 if x < 2 else 0.0

    with pytest.raises(TypeError, match="`pdf` must be a density that accepts a numpy array"):
        differential_entropy(scalar_only, 0.0, 1.0)


def test_continuous_rejects_non_finite_interval():
    with pytest.raises(ValueError, match="`b` must be finite"):
        differential_entropy(stats.norm.pdf, -10.0, np.inf)


# --- tilted_pmf: the family of example pmfs of the section 1.5 explorers --------------------


def test_tilted_pmf_is_a_softmax_of_the_tilted_outcomes():
    """Independent route: scipy.special.softmax of tilt * k (the centre cancels)."""
    from scipy import special

    k = np.arange(1, 8)
    for tilt in (-3.0, -0.4, 0.0, 0.9, 2.5):
        for centre in (None, 1.0, 6.5):
            p = tilted_pmf(7, tilt, centre=centre)
            np.testing.assert_allclose(p, special.softmax(tilt * k), rtol=1e-13)
    assert tilted_pmf(1, 5.0).tolist() == [1.0]


@PROPERTY
@given(st.integers(1, 12), st.floats(-1e3, 1e3))
def test_tilted_pmf_is_a_pmf_with_entropy_at_most_log_k(n_outcomes, tilt):
    p = tilted_pmf(n_outcomes, tilt)
    assert p.shape == (n_outcomes,) and np.all(p >= 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-14)
    assert entropy(p) <= np.log(n_outcomes) + 1e-12
    assert np.all(np.diff(p) >= 0) if tilt >= 0 else np.all(np.diff(p) <= 0)


def test_tilted_pmf_extremes_and_uniform():
    np.testing.assert_allclose(tilted_pmf(6, 0.0), np.full(6, 1 / 6), rtol=1e-15)
    assert entropy(tilted_pmf(6, 0.0)) == pytest.approx(np.log(6), rel=1e-14)
    assert tilted_pmf(4, -800.0)[0] == 1.0 and tilted_pmf(4, 800.0)[-1] == 1.0


def test_tilted_pmf_rejects_bad_arguments():
    with pytest.raises(ValueError, match="`n_outcomes` must be >= 1; got 0"):
        tilted_pmf(0, 1.0)
    with pytest.raises(TypeError, match=r"`n_outcomes` must be an integer; got 3\.5"):
        tilted_pmf(3.5, 1.0)
    with pytest.raises(ValueError, match="`tilt` must be finite; got nan"):
        tilted_pmf(3, np.nan)
    with pytest.raises(TypeError, match="`tilt` must be a real number"):
        tilted_pmf(3, "steep")
    with pytest.raises(ValueError, match="`centre` must be finite; got inf"):
        tilted_pmf(3, 1.0, centre=np.inf)
