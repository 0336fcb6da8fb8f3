"""Tests for pgmlib.ml_as_kl (section 1.6, eqs. (1.43)-(1.46)): maximum likelihood as Monte Carlo
KL minimisation, for gamma data and the exponential model.

Independent routes: quadrature through pgmlib's ``cross_entropy_continuous`` and
``kl_divergence_continuous`` (and scipy's ``quad`` written out here for the mean excess),
finite differences, ``scipy.optimize`` maximisers of the sample curve, ``scipy.stats`` densities
and entropies, and seeded Monte Carlo within a stated number of standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from pgmlib.divergences import kl_divergence_continuous
from pgmlib.information import cross_entropy_continuous
from pgmlib.ml_as_kl import (
    exponential_average_log_likelihood,
    exponential_excess_kl,
    exponential_expected_excess_kl,
    exponential_expected_log_likelihood,
    exponential_kl_minimiser,
    exponential_min_kl,
    exponential_mle,
)

RTOL = 1e-9
PROPERTY = settings(max_examples=60, deadline=None)
#: (shape, scale) of the gamma data density: the explorer's p, a skewed one, a flat-topped one,
#: and the well-specified case shape = 1.
GAMMAS = [(2.0, 0.5), (0.7, 1.3), (5.0, 0.2), (1.0, 2.0)]
RATES = [0.3, 0.8, 1.0, 1.7, 3.0]
#: Seeded Monte Carlo checks allow this many standard errors.
K_SE = 4.0


def _quadrature_setup(shape: float, scale: float, rate: float):
    """p, q_rate and an interval [0, b] holding all but ~1e-12 of both masses."""
    p = stats.gamma(shape, scale=scale)
    q = stats.expon(scale=1.0 / rate)
    b = max(p.isf(1e-13), q.isf(1e-13))
    points = [p.mean(), q.mean(), p.isf(1e-4)]
    return p, q, b, points


# -- closed forms against quadrature --------------------------------------------------------


@pytest.mark.parametrize(("shape", "scale"), GAMMAS)
@pytest.mark.parametrize("rate", RATES)
def test_expected_log_likelihood_is_minus_the_cross_entropy_by_quadrature(shape, scale, rate):
    p, q, b, points = _quadrature_setup(shape, scale, rate)
    a = 1e-12 if shape < 1 else 0.0  # p has an integrable pole at 0 when shape < 1
    cross = cross_entropy_continuous(p.pdf, q.pdf, a, b, points=points)
    missing = p.cdf(a) * -q.logpdf(a)  # the sliver [0, a) left out (zero unless shape < 1)
    exact = exponential_expected_log_likelihood(rate, shape, scale)
    assert exact == pytest.approx(-(cross + missing), rel=1e-8 if shape < 1 else RTOL)


def test_expected_log_likelihood_is_vectorised_over_rates():
    rates = np.array([[0.5, 1.0], [2.0, 4.0]])
    curve = exponential_expected_log_likelihood(rates, 2.0, 0.5)
    assert curve.shape == (2, 2)
    np.testing.assert_allclose(curve, np.log(rates) - rates, rtol=1e-15)
    assert isinstance(exponential_expected_log_likelihood(1.0, 2.0, 0.5), float)


@pytest.mark.parametrize(("shape", "scale"), GAMMAS)
def test_kl_minimiser_zeroes_the_derivative_of_the_quadrature_cross_entropy(shape, scale):
    best = exponential_kl_minimiser(shape, scale)
    assert best == pytest.approx(1.0 / stats.gamma(shape, scale=scale).mean(), rel=1e-14)
    h = 1e-4 * best
    a = 1e-12 if shape < 1 else 0.0

    def cross(rate):
        p, q, b, points = _quadrature_setup(shape, scale, rate)
        return cross_entropy_continuous(p.pdf, q.pdf, a, b, points=points)

    slope = (cross(best + h) - cross(best - h)) / (2 * h)
    curvature = (cross(best + h) - 2 * cross(best) + cross(best - h)) / h**2
    assert abs(slope) < 1e-6
    assert curvature == pytest.approx((shape * scale) ** 2, rel=1e-3)  # J = 1 / best^2 > 0


@pytest.mark.parametrize(("shape", "scale"), [g for g in GAMMAS if g[0] >= 1])
@pytest.mark.parametrize("rate", RATES)
def test_excess_kl_is_a_difference_of_quadrature_divergences(shape, scale, rate):
    p, q, b, points = _quadrature_setup(shape, scale, rate)
    best = stats.expon(scale=1.0 / exponential_kl_minimiser(shape, scale))
    b = max(b, best.isf(1e-13))
    kl_rate = kl_divergence_continuous(p.pdf, q.pdf, 0.0, b, points=points)
    kl_best = kl_divergence_continuous(p.pdf, best.pdf, 0.0, b, points=points)
    excess = exponential_excess_kl(rate, shape, scale)
    assert excess == pytest.approx(kl_rate - kl_best, rel=1e-8, abs=1e-12)
    # the Pythagorean split: KL(p||q) = KL(p||q*) + KL(q*||q)
    between = kl_divergence_continuous(best.pdf, q.pdf, 0.0, b, points=points)
    assert excess == pytest.approx(between, rel=1e-8, abs=1e-12)


@pytest.mark.parametrize(("shape", "scale"), GAMMAS)
def test_min_kl_against_scipy_entropy_and_quadrature(shape, scale):
    p = stats.gamma(shape, scale=scale)
    gap = exponential_min_kl(shape, scale)
    assert gap == pytest.approx(1.0 + math.log(shape * scale) - p.entropy(), rel=1e-12, abs=1e-15)
    if shape >= 1:
        best = stats.expon(scale=shape * scale)
        b = max(p.isf(1e-13), best.isf(1e-13))
        quad = kl_divergence_continuous(p.pdf, best.pdf, 0.0, b, points=[p.mean(), p.isf(1e-4)])
        assert gap == pytest.approx(quad, rel=1e-8, abs=1e-12)
    assert (gap == 0.0) == (shape == 1.0)


def test_min_kl_of_the_explorer_s_gamma():
    # k = 2: 1 + log 2 - 2 - log Gamma(2) + psi(2) = log 2 - gamma_Euler
    assert exponential_min_kl(2.0, 0.5) == pytest.approx(math.log(2) - np.euler_gamma, rel=1e-14)


def test_min_kl_does_not_depend_on_the_scale():
    gaps = [exponential_min_kl(3.0, s) for s in (0.01, 1.0, 250.0)]
    assert gaps[0] == gaps[1] == gaps[2] > 0


# -- the sample curve and its maximiser -----------------------------------------------------


def test_average_log_likelihood_is_the_mean_of_scipy_logpdf():
    x = np.random.default_rng(0).gamma(2.0, 0.5, size=500)
    rates = np.linspace(0.2, 4.0, 39)
    direct = stats.expon(scale=1.0 / rates[:, None]).logpdf(x[None, :]).mean(axis=1)
    np.testing.assert_allclose(exponential_average_log_likelihood(rates, x), direct, rtol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("n", [1, 10, 1000])
def test_mle_is_the_numerical_maximiser_of_the_sample_curve(seed, n):
    x = np.random.default_rng(seed).gamma(2.0, 0.5, size=n)
    rate = exponential_mle(x)
    found = optimize.minimize_scalar(
        lambda r: -exponential_average_log_likelihood(r, x),
        bounds=(1e-3, 1e3),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert found.success
    assert rate == pytest.approx(found.x, rel=1e-7)
    assert rate == pytest.approx(1.0 / stats.expon.fit(x, floc=0)[1], rel=1e-12)
    # no other rate does better on the sample
    others = rate * np.array([0.5, 0.9, 0.999, 1.001, 1.1, 2.0])
    assert np.all(
        exponential_average_log_likelihood(others, x) < exponential_average_log_likelihood(rate, x)
    )


@pytest.mark.parametrize(("shape", "scale"), GAMMAS)
@pytest.mark.parametrize("rate", [0.5, 1.0, 2.5])
def test_average_log_likelihood_converges_to_the_expectation(shape, scale, rate):
    x = np.random.default_rng([7, int(10 * shape), int(10 * rate)]).gamma(shape, scale, 10**5)
    exact = exponential_expected_log_likelihood(rate, shape, scale)
    sd = rate * math.sqrt(shape) * scale  # sd of log q(X) = log(rate) - rate X under p
    errors = []
    for n in (10, 100, 1000, 10**4, 10**5):
        gap = exponential_average_log_likelihood(rate, x[:n]) - exact
        assert abs(gap) <= K_SE * sd / math.sqrt(n), (n, gap)
        errors.append(abs(gap))
    assert errors[-1] < errors[0]


# -- the excess divergence ------------------------------------------------------------------


@PROPERTY
@given(
    rate=st.floats(1e-3, 1e3),
    shape=st.floats(0.05, 50.0),
    scale=st.floats(1e-2, 1e2),
)
def test_excess_kl_is_nonnegative_and_vanishes_only_at_the_minimiser(rate, shape, scale):
    excess = exponential_excess_kl(rate, shape, scale)
    best = exponential_kl_minimiser(shape, scale)
    assert excess >= 0.0
    assert exponential_excess_kl(best, shape, scale) == pytest.approx(0.0, abs=1e-15)
    curve = exponential_expected_log_likelihood([rate, best], shape, scale)
    assert curve[1] >= curve[0] - 1e-12 * max(1.0, abs(curve[0]))
    assert excess == pytest.approx(curve[1] - curve[0], rel=1e-6, abs=1e-9)


def test_excess_kl_keeps_its_digits_near_the_minimiser():
    # r - 1 - log r = u^2/2 - u^3/3 + ... for r = 1 + u
    u = np.array([1e-8, -1e-6, 1e-4])
    expected = u**2 / 2 - u**3 / 3 + u**4 / 4
    np.testing.assert_allclose(exponential_excess_kl(1.0 + u, 2.0, 0.5), expected, rtol=1e-7)


def _mean_excess_by_quadrature(n: int, shape: float) -> float:
    """E[1/Y - 1 + log Y] for Y ~ Gamma(a = n k, rate a), written out with scipy's quad."""
    a = n * shape
    law = stats.gamma(a, scale=1.0 / a)
    # from 0 while the integrand's pole 1/y carries mass there; else from the far lower tail
    lo, hi = (0.0 if a < 50 else law.ppf(1e-15)), law.isf(1e-15)
    value, _ = integrate.quad(
        lambda y: law.pdf(y) * (1.0 / y - 1.0 + math.log(y)),
        lo,
        hi,
        points=[1.0],
        epsabs=1e-16,
        epsrel=1e-12,
        limit=400,
    )
    return value


@pytest.mark.parametrize("shape", [0.7, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("n", [2, 10, 24, 25, 26, 100, 10**4])
def test_expected_excess_kl_against_quadrature(shape, n):
    assert exponential_expected_excess_kl(n, shape) == pytest.approx(
        _mean_excess_by_quadrature(n, shape), rel=1e-8
    )


def test_expected_excess_kl_branches_meet_at_the_switch():
    # a = n k = 50 is where the series takes over: both formulas agree on either side
    from scipy import special

    for a in (45.0, 50.0, 55.0):
        direct = 1.0 / (a - 1.0) + special.digamma(a) - math.log(a)
        assert exponential_expected_excess_kl(a / 5.0, 5.0) == pytest.approx(direct, rel=1e-13)


def test_expected_excess_kl_tends_to_one_over_2kn():
    n = np.array([10, 100, 10**4, 10**6, 10**9])
    for shape in (1.0, 2.0):
        scaled = 2 * shape * n * exponential_expected_excess_kl(n, shape)
        assert np.all(np.diff(scaled) < 0) and np.all(scaled > 1)
        # the next term: E = 1/(2a) + 11/(12 a^2) + O(a^-3), a = n k (from a = 100 on)
        np.testing.assert_allclose(scaled[1:] - 1, 11 / (6 * shape * n[1:]), rtol=0.02)


@pytest.mark.parametrize("n", [10, 100, 1000])
def test_expected_excess_kl_by_monte_carlo(n):
    shape, scale, replicates = 2.0, 0.5, 4000
    samples = np.random.default_rng([2026, n]).gamma(shape, scale, size=(replicates, n))
    rates = np.array([exponential_mle(row) for row in samples])
    excess = exponential_excess_kl(rates, shape, scale)
    assert np.all(excess >= 0)
    se = excess.std(ddof=1) / math.sqrt(replicates)
    exact = exponential_expected_excess_kl(n, shape)
    assert abs(excess.mean() - exact) <= K_SE * se, (excess.mean(), exact, se)


def test_excess_kl_of_the_mle_shrinks_like_one_over_n():
    """Seeded: 2000 samples of each size; the mean excess times 2kN stays within 15% of one from
    N = 100 on, and drops by more than 50 times from N = 10 to N = 1000."""
    shape, scale, replicates = 2.0, 0.5, 2000
    means = {}
    for n in (10, 100, 1000):
        samples = np.random.default_rng([99, n]).gamma(shape, scale, size=(replicates, n))
        rates = np.array([exponential_mle(row) for row in samples])
        means[n] = float(np.mean(exponential_excess_kl(rates, shape, scale)))
    for n in (100, 1000):
        assert 2 * shape * n * means[n] == pytest.approx(1.0, abs=0.15)
    assert means[10] / means[1000] > 50


# -- errors ---------------------------------------------------------------------------------


EXPECTED = exponential_expected_log_likelihood
AVERAGE = exponential_average_log_likelihood
MEAN_EXCESS = exponential_expected_excess_kl
ERRORS = [
    (EXPECTED, (0.0, 2.0, 0.5), ValueError, r"`rate` must be > 0; got 0"),
    (EXPECTED, ([1, -2], 2, 0.5), ValueError, r"`rate` must be > 0; got -2"),
    (EXPECTED, (1.0, -2.0, 0.5), ValueError, r"`shape` must be > 0"),
    (EXPECTED, (1.0, 2.0, np.inf), ValueError, r"`scale` must be finite"),
    (EXPECTED, (np.nan, 2.0, 0.5), ValueError, r"`rate` must contain only finite"),
    (EXPECTED, ("1", 2.0, 0.5), TypeError, r"`rate` must be array-like"),
    (exponential_kl_minimiser, ("2", 0.5), TypeError, r"`shape` must be a real number"),
    (exponential_kl_minimiser, (2.0, np.array([0.5, 1.0])), TypeError, r"`scale` must be a scalar"),
    (exponential_kl_minimiser, (2.0, 0.0), ValueError, r"`scale` must be > 0; got 0"),
    (AVERAGE, (1.0, []), ValueError, r"`x` must not be empty"),
    (AVERAGE, (1.0, [[1.0, 2.0]]), ValueError, r"`x` must have 1 dimension"),
    (AVERAGE, (1.0, [1.0, -0.5]), ValueError, r"`x` must be nonnegative .* got min\(x\) = -0.5"),
    (AVERAGE, (-1.0, [1.0]), ValueError, r"`rate` must be > 0"),
    (exponential_mle, ([0.0, 0.0],), ValueError, r"`x` must not be all zero"),
    (
        exponential_mle,
        ([1.0, np.inf],),
        ValueError,
        r"`x` must contain only finite values; got inf",
    ),
    (exponential_mle, (None,), TypeError, r"`x` must be array-like"),
    (exponential_excess_kl, (0.0, 2.0, 0.5), ValueError, r"`rate` must be > 0"),
    (exponential_excess_kl, (1.0, 2.0, -1.0), ValueError, r"`scale` must be > 0"),
    (MEAN_EXCESS, (10.5, 2.0), ValueError, r"`n` must hold whole sample sizes >= 1; got 10.5"),
    (MEAN_EXCESS, ([10, 0], 2.0), ValueError, r"whole sample sizes >= 1; got 0"),
    (
        MEAN_EXCESS,
        (1, 0.5),
        ValueError,
        r"`n` \* `shape` must be > 1 .* got n = 1 with shape = 0.5",
    ),
    (MEAN_EXCESS, (1, 1.0), ValueError, r"`n` \* `shape` must be > 1"),
    (MEAN_EXCESS, (10, 0.0), ValueError, r"`shape` must be > 0"),
    (MEAN_EXCESS, (np.inf, 2.0), ValueError, r"`n` must contain only finite"),
    (exponential_min_kl, (2.0, np.nan), ValueError, r"`scale` must be finite"),
    (exponential_min_kl, (True, 1.0), TypeError, r"`shape` must be a real number"),
]


@pytest.mark.parametrize(("function", "args", "error", "match"), ERRORS)
def test_errors_name_the_argument(function, args, error, match):
    with pytest.raises(error, match=match):
        function(*args)


def test_a_single_draw_is_a_valid_sample():
    assert exponential_mle([2.0]) == 0.5
    assert exponential_average_log_likelihood(0.5, [2.0]) == pytest.approx(math.log(0.5) - 1.0)
    # a zero among positive draws is fine (log q(0) = log rate is finite)
    assert exponential_mle([0.0, 4.0]) == 0.5


def test_everything_is_reexported():
    import pgmlib as pgm
    from pgmlib import ml_as_kl

    assert ml_as_kl.__all__ == sorted(ml_as_kl.__all__)
    for name in ml_as_kl.__all__:
        assert getattr(pgm, name) is getattr(ml_as_kl, name)
        assert name in pgm.__all__
