"""Tests for the Gaussian approximations of a 1-D Gaussian mixture in pgmlib.divergences
(section 1.7, exercise 4): kl_mixture_gaussian, fit_gaussian_forward_kl,
fit_gaussian_reverse_kl, reverse_kl_profile and forward_reverse_kl_fits.

Independent routes: scipy.integrate.quad on the raw densities of scipy.stats (written out
here), seeded Monte Carlo within a stated number of standard errors, the closed form (1.38)
for a one-component mixture (pgmlib.kl_gaussian), the mixture's moments by quadrature, central
finite differences of the quadrature KL for gradients and Hessians, scipy's scalar minimiser
for the profile, and symmetry.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

import pgmlib
from pgmlib import divergences
from pgmlib.divergences import (
    ForwardReverseFits,
    GaussianFit,
    KLDirectReverse,
    ReverseKLProfile,
    fit_gaussian_forward_kl,
    fit_gaussian_reverse_kl,
    forward_reverse_kl_fits,
    kl_gaussian,
    kl_mixture_gaussian,
    reverse_kl_profile,
)

PROPERTY = settings(max_examples=25, deadline=None)
#: Two well-separated modes (6 standard deviations apart) and a lopsided, overlapping pair.
BIMODAL = ([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0])
LOPSIDED = ([0.3, 0.7], [-1.0, 1.5], [0.6, 1.2])
THREE = ([0.2, 0.5, 0.3], [-4.0, 0.5, 3.0], [0.5, 1.0, 0.8])


def mixture_pdf(weights, means, sds):
    return lambda x: sum(
        w * stats.norm(m, s).pdf(x) for w, m, s in zip(weights, means, sds, strict=True)
    )


def quad_kl(weights, means, sds, mu, sigma, direction):
    """KL by scipy.integrate.quad on the raw densities (fine where nothing underflows)."""
    p, q = mixture_pdf(weights, means, sds), stats.norm(mu, sigma).pdf
    first, second = (p, q) if direction == "forward" else (q, p)
    low = min(min(m - 10 * s for m, s in zip(means, sds, strict=True)), mu - 10 * sigma)
    high = max(max(m + 10 * s for m, s in zip(means, sds, strict=True)), mu + 10 * sigma)

    def integrand(x):
        a, b = first(x), second(x)
        return a * math.log(a / b) if a > 0 else 0.0

    points = sorted({*means, mu})
    return integrate.quad(integrand, low, high, points=points, epsabs=1e-13, limit=500)[0]


def reverse_kl(weights, means, sds):
    """KL(q || p) as a function of (mu, log sigma), by pgmlib's quadrature."""
    return lambda theta: kl_mixture_gaussian(
        weights, means, sds, theta[0], math.exp(theta[1]), direction="reverse"
    )


def finite_difference_gradient(f, theta, h=1e-4):
    theta = np.asarray(theta, dtype=float)
    steps = h * np.eye(theta.size)
    return np.array([(f(theta + e) - f(theta - e)) / (2 * h) for e in steps])


def finite_difference_hessian(f, theta, h=1e-3):
    theta = np.asarray(theta, dtype=float)
    steps = h * np.eye(theta.size)
    hessian = np.array(
        [
            [
                (f(theta + a + b) - f(theta + a - b) - f(theta - a + b) + f(theta - a - b))
                / (4 * h * h)
                for b in steps
            ]
            for a in steps
        ]
    )
    return 0.5 * (hessian + hessian.T)


# --- kl_mixture_gaussian ---------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["forward", "reverse"])
@pytest.mark.parametrize(
    "mixture, mu, sigma",
    [(BIMODAL, 0.0, 2.0), (BIMODAL, -2.5, 0.8), (LOPSIDED, 0.7, 1.3), (THREE, 1.0, 3.0)],
)
def test_kl_matches_quadrature_of_the_raw_densities(mixture, mu, sigma, direction):
    expected = quad_kl(*mixture, mu, sigma, direction)
    got = kl_mixture_gaussian(*mixture, mu, sigma, direction=direction)
    assert got == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_kl_matches_seeded_monte_carlo(direction):
    """Within 4 standard errors of a 200 000-draw estimate (seeded)."""
    weights, means, sds = THREE
    mu, sigma = 0.5, 2.5
    rng = np.random.default_rng(2026)
    n = 200_000
    if direction == "forward":
        component = rng.choice(3, size=n, p=weights)
        x = rng.normal(np.asarray(means)[component], np.asarray(sds)[component])
    else:
        x = rng.normal(mu, sigma, size=n)
    log_p = np.log(mixture_pdf(weights, means, sds)(x))
    log_q = stats.norm(mu, sigma).logpdf(x)
    ratio = log_p - log_q if direction == "forward" else log_q - log_p
    estimate, error = ratio.mean(), ratio.std(ddof=1) / math.sqrt(n)
    got = kl_mixture_gaussian(weights, means, sds, mu, sigma, direction=direction)
    assert abs(got - estimate) < 4 * error


@pytest.mark.parametrize("mu, sigma", [(0.0, 1.0), (1.0, 2.0), (-3.0, 0.3), (40.0, 0.5)])
def test_one_component_is_the_kl_between_two_gaussians(mu, sigma):
    """Eq. (1.38), both directions; also for two identical components."""
    for weights, means, sds in (([1.0], [0.5], [1.5]), ([0.4, 0.6], [0.5, 0.5], [1.5, 1.5])):
        forward = kl_mixture_gaussian(weights, means, sds, mu, sigma)
        reverse = kl_mixture_gaussian(weights, means, sds, mu, sigma, direction="reverse")
        assert forward == pytest.approx(kl_gaussian(0.5, 1.5, mu, sigma), rel=1e-9, abs=1e-13)
        assert reverse == pytest.approx(kl_gaussian(mu, sigma, 0.5, 1.5), rel=1e-9, abs=1e-13)


def test_far_tails_give_finite_values_not_nan():
    """q where every component of p underflows (p(45) ~ e^-1000): log space keeps it finite."""
    weights, means, sds = [0.5, 0.5], [-1.0, 1.0], [0.5, 0.5]
    assert mixture_pdf(weights, means, sds)(45.0) == 0.0  # the raw density has underflowed
    reverse = kl_mixture_gaussian(weights, means, sds, 45.0, 0.5, direction="reverse")
    forward = kl_mixture_gaussian(weights, means, sds, 45.0, 0.5)
    assert np.isfinite(reverse) and np.isfinite(forward)
    # far from both, log p is the near component's log-density + log 0.5: eq. (1.38) + log 2
    assert reverse == pytest.approx(kl_gaussian(45.0, 0.5, 1.0, 0.5) + math.log(2), rel=1e-9)
    assert forward > 0.5 * kl_gaussian(1.0, 0.5, 45.0, 0.5)


def test_expectations_are_chunked_and_capped_for_spiky_mixtures(monkeypatch):
    """Many elements of a rule with many nodes run in chunks, with the same results; the node
    cap keeps an extreme case accurate to 1e-6."""
    mixture = divergences._mixture([0.5, 0.5], [-20.0, 20.0], [0.05, 0.05])
    mu, sigma = np.linspace(-25.0, 25.0, 41), np.full(41, 25.0)
    whole = divergences._reverse_kl_terms(mixture, mu, sigma)[0]
    monkeypatch.setattr(divergences, "_CHUNK_VALUES", 50_000)
    assert len(divergences._node_groups(mixture, sigma)) > 1
    chunked = divergences._reverse_kl_terms(mixture, mu, sigma)[0]
    np.testing.assert_allclose(chunked, whole, rtol=1e-14)  # equal up to rounding
    expected = kl_mixture_gaussian([0.5, 0.5], [-20.0, 20.0], [0.05, 0.05], 0.0, 25.0, "reverse")
    # mu[20] = 0. q is 1e5 times wider than the bend of log p between the spikes: the node
    # cap binds, and the rule keeps 1e-6 (not its usual 1e-11)
    assert whole[20] == pytest.approx(expected, rel=1e-6)


def test_narrow_components_on_a_wide_q_are_not_stepped_over():
    """Components 500 times narrower than q, far apart: the means are breakpoints of quad.

    Between the components p underflows to 0 in raw densities, so the reverse KL of the raw
    route is inf; here the reference integrates log p by numpy's logaddexp of scipy.stats'
    log-densities instead.
    """
    mixture = ([0.5, 0.5], [-20.0, 20.0], [0.05, 0.05])
    expected = quad_kl(*mixture, 0.0, 25.0, "forward")
    assert kl_mixture_gaussian(*mixture, 0.0, 25.0) == pytest.approx(expected, rel=1e-8)
    with np.errstate(divide="ignore"):
        assert quad_kl(*mixture, 0.0, 25.0, "reverse") == np.inf
    q = stats.norm(0.0, 25.0)

    def integrand(x):
        log_p = np.logaddexp(*(math.log(0.5) + stats.norm(m, 0.05).logpdf(x) for m in (-20, 20)))
        return q.pdf(x) * (q.logpdf(x) - log_p)

    expected = integrate.quad(integrand, -300, 300, points=[-20, 0, 20], limit=500)[0]
    got = kl_mixture_gaussian(*mixture, 0.0, 25.0, direction="reverse")
    assert got == pytest.approx(expected, rel=1e-8)


# --- the forward fit: moment matching ----------------------------------------------------------


@pytest.mark.parametrize("mixture", [BIMODAL, LOPSIDED, THREE])
def test_forward_fit_matches_the_moments_by_quadrature(mixture):
    p = mixture_pdf(*mixture)
    mean = integrate.quad(lambda x: x * p(x), -30, 30, points=mixture[1])[0]
    second = integrate.quad(lambda x: x * x * p(x), -30, 30, points=mixture[1])[0]
    fit = fit_gaussian_forward_kl(*mixture)
    assert isinstance(fit, GaussianFit) and type(fit.mu) is float and type(fit.sigma) is float
    assert fit.mu == pytest.approx(mean, rel=1e-10, abs=1e-12)
    assert fit.sigma == pytest.approx(math.sqrt(second - mean**2), rel=1e-10)


@pytest.mark.parametrize("mixture", [BIMODAL, LOPSIDED])
def test_forward_fit_minimises_the_forward_kl(mixture):
    """Every perturbation raises KL(p || q); the finite-difference gradient vanishes there."""
    mu, sigma = fit_gaussian_forward_kl(*mixture)
    best = kl_mixture_gaussian(*mixture, mu, sigma)
    for d_mu, d_sigma in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05), (0.03, -0.03), (-0.2, 0.3)]:
        assert kl_mixture_gaussian(*mixture, mu + d_mu, sigma + d_sigma) > best
    forward = lambda theta: kl_mixture_gaussian(*mixture, theta[0], theta[1])  # noqa: E731
    gradient = finite_difference_gradient(forward, [mu, sigma])
    assert np.max(np.abs(gradient)) < 1e-6


# --- the reverse fit: a local minimum ---------------------------------------------------------


@pytest.mark.parametrize(
    "mixture, start",
    [(BIMODAL, (-4.0, 1.0)), (LOPSIDED, (2.0, 0.5)), (THREE, (-5.0, 0.5)), (THREE, (0.0, 3.0))],
)
def test_reverse_fit_is_a_stationary_point_with_positive_hessian(mixture, start):
    """By finite differences of the quadrature KL in (mu, log sigma)."""
    fit = fit_gaussian_reverse_kl(*mixture, *start)
    assert type(fit.mu) is float and type(fit.sigma) is float
    objective = reverse_kl(*mixture)
    theta = [fit.mu, math.log(fit.sigma)]
    assert np.max(np.abs(finite_difference_gradient(objective, theta))) < 1e-6
    assert np.all(np.linalg.eigvalsh(finite_difference_hessian(objective, theta)) > 1e-3)


def test_reverse_fit_matches_a_derivative_free_minimiser_of_the_quadrature_kl():
    """Nelder-Mead on kl_mixture_gaussian (no gradients, no pgmlib optimiser) agrees to 1e-5."""
    fit = fit_gaussian_reverse_kl(*LOPSIDED, 2.0, 0.5)
    result = optimize.minimize(
        reverse_kl(*LOPSIDED),
        [2.0, math.log(0.5)],
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-14, "maxiter": 2000},
    )
    assert result.success
    assert fit.mu == pytest.approx(result.x[0], abs=1e-5)
    assert fit.sigma == pytest.approx(math.exp(result.x[1]), abs=1e-5)


def test_reverse_gradient_and_hessian_match_finite_differences_of_quadrature():
    """The analytic gradient and Hessian the optimiser uses, in (mu, log sigma), at points away
    from any minimum (q wide over both modes, q narrow in a tail)."""
    mixture = divergences._mixture(*THREE)
    objective = reverse_kl(*THREE)
    for mu, sigma in [(0.0, 3.0), (-6.0, 0.4)]:
        kl, gradient, hessian = divergences._reverse_kl_terms(
            mixture, np.array([mu]), np.array([sigma])
        )
        theta = [mu, math.log(sigma)]
        assert kl[0] == pytest.approx(objective(theta), rel=1e-9)
        fd_gradient = finite_difference_gradient(objective, theta)
        np.testing.assert_allclose([g[0] for g in gradient], fd_gradient, rtol=1e-6, atol=1e-7)
        exact = np.array([[h[0] for h in row] for row in hessian])
        np.testing.assert_allclose(exact, finite_difference_hessian(objective, theta), atol=1e-4)


def test_bimodal_reverse_fits_seek_modes_and_the_forward_fit_covers_them():
    """Started left and right of two well-separated modes, the reverse fits reach two different
    local minima, each near one mode; the forward fit sits between them, wider."""
    means = BIMODAL[1]
    left = fit_gaussian_reverse_kl(*BIMODAL, means[0] - 1.0, 1.0)
    right = fit_gaussian_reverse_kl(*BIMODAL, means[1] + 1.0, 1.0)
    forward = fit_gaussian_forward_kl(*BIMODAL)
    assert abs(left.mu - means[0]) < 0.05 and abs(right.mu - means[1]) < 0.05
    assert abs(left.sigma - 1.0) < 0.05 and abs(right.sigma - 1.0) < 0.05
    assert right.mu - left.mu > 5.0  # two optima
    assert left.mu < forward.mu < right.mu and forward.mu == pytest.approx(0.0, abs=1e-12)
    assert forward.sigma > 3 * max(left.sigma, right.sigma)
    # symmetry: the two fits mirror each other
    assert left.mu == pytest.approx(-right.mu, abs=1e-8)
    assert left.sigma == pytest.approx(right.sigma, abs=1e-8)


def test_the_light_mode_keeps_its_own_minimum_with_kl_near_minus_log_weight():
    """Modes 12 sds apart: q on mode k is almost p's component k, so KL(q || p) ~ -log w_k."""
    weights, means, sds = [0.1, 0.9], [-6.0, 6.0], [1.0, 1.0]
    for k, start in ((0, -7.0), (1, 7.0)):
        fit = fit_gaussian_reverse_kl(weights, means, sds, start, 1.0)
        assert fit.mu == pytest.approx(means[k], abs=1e-6)
        assert fit.sigma == pytest.approx(1.0, abs=1e-6)
        kl = kl_mixture_gaussian(weights, means, sds, *fit, direction="reverse")
        assert kl == pytest.approx(-math.log(weights[k]), abs=1e-6)


def test_merged_modes_give_one_reverse_optimum():
    fits = forward_reverse_kl_fits([0.5, 0.5], [-0.5, 0.5], [1.0, 1.0])
    assert fits.same_optimum
    (a, b) = fits.reverse
    assert a.mu == pytest.approx(0.0, abs=1e-6) and b.mu == pytest.approx(0.0, abs=1e-6)
    assert a.sigma == pytest.approx(b.sigma, abs=1e-6)


# --- reverse_kl_profile and forward_reverse_kl_fits ---------------------------------------------


def test_profile_minimises_over_sigma_for_each_mean():
    mus = np.array([-5.0, -1.0, 0.5, 3.0])
    profile = reverse_kl_profile(*BIMODAL, mus)
    assert isinstance(profile, ReverseKLProfile)
    np.testing.assert_array_equal(profile.mu, mus)
    for mu, sigma, kl in zip(*profile, strict=True):
        result = optimize.minimize_scalar(
            lambda log_sigma, mu=mu: kl_mixture_gaussian(
                *BIMODAL, mu, math.exp(log_sigma), direction="reverse"
            ),
            bounds=(math.log(0.05), math.log(20.0)),
            method="bounded",
            options={"xatol": 1e-9},
        )
        assert sigma == pytest.approx(math.exp(result.x), rel=1e-5)
        assert kl == pytest.approx(result.fun, rel=1e-9)


def test_profile_local_minima_are_the_reverse_fits():
    mus = np.linspace(-6.0, 6.0, 601)
    profile = reverse_kl_profile(*LOPSIDED, mus)
    minima = mus[1:-1][(np.diff(profile.kl)[:-1] < 0) & (np.diff(profile.kl)[1:] > 0)]
    fits = forward_reverse_kl_fits(*LOPSIDED, starts=[(m, 0.5) for m in minima])
    for fit, mu in zip(fits.reverse, minima, strict=True):
        assert fit.mu == pytest.approx(mu, abs=mus[1] - mus[0])


def test_profile_is_the_lowest_minimum_over_sigma_where_two_exist():
    """Modes 8 apart, weight 0.1 on the left: between the modes a narrow q near the light mode
    and a wide q over both are both local minima in sigma; the profile keeps the lower one,
    never above the minimum over a fine grid of sigmas (the KL on the grid by the trapezoid
    rule, checked against quadrature in test_fast_divergences_match_quadrature...)."""
    mixture = ([0.1, 0.9], [-4.0, 4.0], [1.0, 1.0])
    mus = np.linspace(-5.0, 1.0, 25)
    sigmas = np.exp(np.linspace(math.log(0.3), math.log(6.0), 400))
    profile = reverse_kl_profile(*mixture, mus)
    kl, _, _ = divergences._reverse_kl_terms(
        divergences._mixture(*mixture), np.repeat(mus, sigmas.size), np.tile(sigmas, mus.size)
    )
    grid_minimum = kl.reshape(mus.size, sigmas.size).min(axis=1)
    assert np.all(profile.kl <= grid_minimum + 1e-12)
    assert np.all(profile.kl >= grid_minimum - 1e-3)  # the grid is fine: it comes close
    # two branches: near the light mode the best q is narrow, midway it is wide
    assert profile.sigma[mus == -4.0][0] < 1.1 and profile.sigma[mus == 0.0][0] > 2.0


def test_profile_of_a_batch_is_the_profile_of_each_mean():
    """The search runs on all means at once; each converges on its own (a converged mean is
    never moved again, whatever its bracket), so the batch equals one-by-one calls and its only
    local minima are the reverse fits (here: two of them, one covering the light mode)."""
    mixture = ([0.3, 0.7], [-2.25, 2.25], [1.0, 1.0])
    mus = np.linspace(-6.0, 6.0, 241)
    profile = reverse_kl_profile(*mixture, mus)
    for k in range(0, 241, 8):
        single = reverse_kl_profile(*mixture, mus[k : k + 1])
        assert single.sigma[0] == pytest.approx(profile.sigma[k], rel=1e-9)
        assert single.kl[0] == pytest.approx(profile.kl[k], rel=1e-12)
    inner = (profile.kl[1:-1] < profile.kl[:-2]) & (profile.kl[1:-1] < profile.kl[2:])
    minima = mus[1:-1][inner]
    fits = forward_reverse_kl_fits(*mixture)
    assert not fits.same_optimum
    np.testing.assert_allclose(minima, sorted(f.mu for f in fits.reverse), atol=0.05)


@pytest.mark.parametrize("mixture", [BIMODAL, LOPSIDED, THREE, ([1.0], [2.0], [0.5])])
def test_fits_bundle_matches_the_separate_functions_and_the_quadrature(mixture):
    fits = forward_reverse_kl_fits(*mixture)
    assert isinstance(fits, ForwardReverseFits) and fits.converged
    assert fits.forward == fit_gaussian_forward_kl(*mixture)
    _, means, sds = mixture
    left, right = int(np.argmin(means)), int(np.argmax(means))
    assert fits.starts == (
        (means[left] - sds[left], sds[left]),
        (means[right] + sds[right], sds[right]),
    )
    for start, fit in zip(fits.starts, fits.reverse, strict=True):
        assert fit == fit_gaussian_reverse_kl(*mixture, *start)
    for fit, kls in [
        (fits.forward, fits.forward_kl),
        *zip(fits.reverse, fits.reverse_kl, strict=True),
    ]:
        assert isinstance(kls, KLDirectReverse)
        direct = kl_mixture_gaussian(*mixture, *fit)
        reverse = kl_mixture_gaussian(*mixture, *fit, direction="reverse")
        assert kls.direct == pytest.approx(direct, rel=1e-9, abs=1e-12)
        assert kls.reverse == pytest.approx(reverse, rel=1e-9, abs=1e-12)
    # each fit wins in its own direction
    assert all(fits.forward_kl.direct <= kls.direct + 1e-12 for kls in fits.reverse_kl)
    assert min(kls.reverse for kls in fits.reverse_kl) <= fits.forward_kl.reverse + 1e-12


def test_fast_divergences_match_quadrature_on_random_mixtures():
    """The trapezoid expectations behind the fits and the profile, against quad (rtol 1e-9),
    including narrow components under a wide q (the feature scale sets the step)."""
    rng = np.random.default_rng(7)
    for _ in range(12):
        k = int(rng.integers(1, 4))
        weights = rng.dirichlet(np.ones(k))
        means = rng.uniform(-8, 8, k)
        sds = np.exp(rng.uniform(math.log(0.1), math.log(3.0), k))
        fit = GaussianFit(float(rng.uniform(-10, 10)), float(np.exp(rng.uniform(-2, 2.3))))
        mixture = divergences._mixture(weights, means, sds)
        kls = divergences._both_kl(mixture, fit, divergences._mixture_entropy(mixture))
        direct = kl_mixture_gaussian(weights, means, sds, *fit)
        reverse = kl_mixture_gaussian(weights, means, sds, *fit, direction="reverse")
        assert kls.direct == pytest.approx(direct, rel=1e-9)
        assert kls.reverse == pytest.approx(reverse, rel=1e-9)


# --- properties ------------------------------------------------------------------------------


@st.composite
def mixtures(draw, max_components: int = 3):
    k = draw(st.integers(1, max_components))
    raw = np.array(draw(st.lists(st.floats(0.1, 1.0), min_size=k, max_size=k)))
    means = draw(st.lists(st.floats(-5, 5), min_size=k, max_size=k))
    sds = draw(st.lists(st.floats(0.2, 3.0), min_size=k, max_size=k))
    return list(raw / raw.sum()), means, sds


@PROPERTY
@given(mixtures(), st.floats(-8, 8), st.floats(0.1, 6.0))
def test_kl_is_nonnegative_in_both_directions(mixture, mu, sigma):
    for direction in ("forward", "reverse"):
        value = kl_mixture_gaussian(*mixture, mu, sigma, direction=direction)
        assert np.isfinite(value) and value >= 0.0


@PROPERTY
@given(st.floats(-5, 5), st.floats(0.2, 3.0), st.integers(1, 3), st.floats(0.1, 1.0))
def test_kl_vanishes_when_p_is_that_gaussian(mean, sd, k, first_weight):
    """One component, or k identical ones: p is N(mean, sd^2), and q = p gives zero."""
    weights = [first_weight] + [(1 - first_weight) / (k - 1)] * (k - 1) if k > 1 else [1.0]
    mixture = (weights, [mean] * k, [sd] * k)
    for direction in ("forward", "reverse"):
        assert kl_mixture_gaussian(*mixture, mean, sd, direction=direction) < 1e-12
        assert kl_mixture_gaussian(*mixture, mean + 0.1, sd, direction=direction) > 1e-4
    fits = forward_reverse_kl_fits(*mixture)
    assert fits.forward == pytest.approx((mean, sd), rel=1e-12, abs=1e-12)
    assert fits.same_optimum
    for fit, kls in zip(fits.reverse, fits.reverse_kl, strict=True):
        assert fit == pytest.approx((mean, sd), abs=1e-6)
        assert kls.reverse < 1e-10


@PROPERTY
@given(
    st.floats(0.1, 0.9),
    st.floats(-3, 3),
    st.one_of(
        st.tuples(st.floats(1.0, 4.0).map(lambda g: g), st.just(1.0)),
        st.tuples(st.just(0.0), st.sampled_from([0.5, 2.0, 3.0])),
    ),
)
def test_kl_is_positive_for_every_gaussian_when_p_is_a_genuine_mixture(weight, centre, shape):
    """Two components at least one sd apart or with sds at least a factor 2 apart: even the
    best Gaussian in either direction keeps a positive KL (the forward minimum is p's
    negentropy)."""
    gap, ratio = shape
    mixture = ([weight, 1 - weight], [centre, centre + gap], [1.0, ratio])
    fits = forward_reverse_kl_fits(*mixture)
    assert fits.forward_kl.direct > 1e-5  # the minimum over q of KL(p || q)
    assert kl_mixture_gaussian(*mixture, *fits.forward) > 1e-5
    for fit in fits.reverse:  # local minima of KL(q || p)
        assert kl_mixture_gaussian(*mixture, *fit, direction="reverse") > 1e-5


@PROPERTY
@given(mixtures(), st.floats(-6, 6), st.floats(0.2, 4.0))
def test_reverse_fit_never_raises_the_kl_and_mirrors_with_p(mixture, mu0, sigma0):
    fit = fit_gaussian_reverse_kl(*mixture, mu0, sigma0)
    assert np.isfinite(fit.mu) and fit.sigma > 0
    start = kl_mixture_gaussian(*mixture, mu0, sigma0, direction="reverse")
    assert kl_mixture_gaussian(*mixture, *fit, direction="reverse") <= start + 1e-12
    weights, means, sds = mixture
    mirrored = fit_gaussian_reverse_kl(weights, [-m for m in means], sds, -mu0, sigma0)
    assert mirrored.mu == pytest.approx(-fit.mu, abs=1e-6)
    assert mirrored.sigma == pytest.approx(fit.sigma, abs=1e-6)


# --- bad input -------------------------------------------------------------------------------

GOOD = {"weights": [0.5, 0.5], "means": [-1.0, 1.0], "sds": [1.0, 1.0]}


def _with(**changes):
    arguments = dict(GOOD)
    arguments.update(changes)
    return arguments


MIXTURE_ERRORS = [
    (_with(weights=[0.7, -0.3]), ValueError, r"`weights` must be nonnegative; got min"),
    (_with(weights=[0.5, 0.4]), ValueError, r"`weights` must sum to 1 .*sum\(weights\) = 0\.9"),
    (_with(sds=[1.0, 0.0]), ValueError, r"`sds` must be > 0 .*got min\(sds\) = 0"),
    (_with(sds=[1.0, -2.0]), ValueError, r"`sds` must be > 0 .*got min\(sds\) = -2"),
    (_with(means=[0.0, 1.0, 2.0]), ValueError, r"same length.*got lengths 2, 3 and 2"),
    (_with(weights=[], means=[], sds=[]), ValueError, r"`weights` must not be empty"),
    (_with(means=[0.0, np.nan]), ValueError, r"`means` must contain only finite values; got nan"),
    (_with(sds=[1.0, np.inf]), ValueError, r"`sds` must contain only finite values; got inf"),
    (_with(weights=[np.nan, 0.5]), ValueError, r"`weights` must contain only finite values"),
    (_with(weights="abc"), TypeError, r"`weights` must be array-like of numbers; got 'abc'"),
    (_with(means=None), TypeError, r"`means` must be array-like of numbers; got None"),
    (_with(sds=[[1.0, 1.0]]), ValueError, r"`sds` must have 1 dimension\(s\); got shape \(1, 2\)"),
]


@pytest.mark.parametrize("arguments, error, message", MIXTURE_ERRORS)
def test_every_function_refuses_a_bad_mixture(arguments, error, message):
    calls = [
        lambda a: kl_mixture_gaussian(**a, mu=0.0, sigma=1.0),
        lambda a: fit_gaussian_forward_kl(**a),
        lambda a: fit_gaussian_reverse_kl(**a, mu0=0.0, sigma0=1.0),
        lambda a: reverse_kl_profile(**a, mus=[0.0]),
        lambda a: forward_reverse_kl_fits(**a),
    ]
    for call in calls:
        with pytest.raises(error, match=message):
            call(arguments)


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({"sigma": 0.0}, ValueError, r"`sigma` must be > 0; got 0"),
        ({"sigma": -1.0}, ValueError, r"`sigma` must be > 0; got -1"),
        ({"sigma": np.nan}, ValueError, r"`sigma` must be finite; got nan"),
        ({"mu": np.inf}, ValueError, r"`mu` must be finite; got inf"),
        ({"mu": "0"}, TypeError, r"`mu` must be a real number; got '0'"),
        ({"mu": [0.0, 1.0]}, TypeError, r"`mu` must be a real number; got \[0.0, 1.0\]"),
        ({"direction": "backward"}, ValueError, r"`direction` must be 'forward' or 'reverse'; "),
        ({"direction": None}, TypeError, r"`direction` must be 'forward' or 'reverse'; got None"),
    ],
)
def test_kl_refuses_a_bad_q_or_direction(changes, error, message):
    arguments = {"mu": 0.0, "sigma": 1.0, "direction": "forward", **changes}
    with pytest.raises(error, match=message):
        kl_mixture_gaussian(**GOOD, **arguments)


@pytest.mark.parametrize(
    "mu0, sigma0, error, message",
    [
        (0.0, 0.0, ValueError, r"`sigma0` must be > 0; got 0"),
        (0.0, -0.5, ValueError, r"`sigma0` must be > 0; got -0.5"),
        (np.nan, 1.0, ValueError, r"`mu0` must be finite; got nan"),
        (0.0, np.inf, ValueError, r"`sigma0` must be finite; got inf"),
        (None, 1.0, TypeError, r"`mu0` must be a real number; got None"),
        (True, 1.0, TypeError, r"`mu0` must be a real number; got True"),
    ],
)
def test_reverse_fit_refuses_a_bad_start(mu0, sigma0, error, message):
    with pytest.raises(error, match=message):
        fit_gaussian_reverse_kl(**GOOD, mu0=mu0, sigma0=sigma0)


@pytest.mark.parametrize(
    "starts, error, message",
    [
        ([(0.0, 1.0, 2.0)], ValueError, r"`starts` must have shape \(n, 2\).*got \(1, 3\)"),
        ([(0.0, 0.0)], ValueError, r"`starts` must have sigma0 > 0 in every row; got min = 0"),
        ([(np.nan, 1.0)], ValueError, r"`starts` must contain only finite values; got nan"),
        ([0.0, 1.0], ValueError, r"`starts` must have 2 dimension\(s\); got shape \(2,\)"),
        ("left", TypeError, r"`starts` must be array-like of numbers"),
    ],
)
def test_fits_refuse_bad_starts(starts, error, message):
    with pytest.raises(error, match=message):
        forward_reverse_kl_fits(**GOOD, starts=starts)


@pytest.mark.parametrize(
    "mus, error, message",
    [
        ([], ValueError, r"`mus` must not be empty"),
        ([0.0, np.inf], ValueError, r"`mus` must contain only finite values; got inf"),
        (0.0, ValueError, r"`mus` must have 1 dimension\(s\); got shape \(\)"),
        ("grid", TypeError, r"`mus` must be array-like of numbers"),
    ],
)
def test_profile_refuses_bad_means(mus, error, message):
    with pytest.raises(error, match=message):
        reverse_kl_profile(**GOOD, mus=mus)


# --- convergence -----------------------------------------------------------------------------


def test_reverse_fit_warns_when_the_budget_runs_out(monkeypatch):
    monkeypatch.setattr(divergences, "_REVERSE_MAX_ITER", 1)
    with pytest.warns(pgmlib.ConvergenceWarning, match=r"did not converge in 1 iterations") as rec:
        fit = fit_gaussian_reverse_kl(*BIMODAL, -6.0, 0.3)
    assert rec[0].filename == __file__  # stacklevel=2: the warning points at the caller
    assert np.isfinite(fit.mu) and np.isfinite(fit.sigma) and fit.sigma > 0
    with pytest.warns(pgmlib.ConvergenceWarning, match=r"did not converge") as record:
        fits = forward_reverse_kl_fits(*BIMODAL)
    messages = [str(warning.message) for warning in record]
    assert len(messages) == 2 and "= (-4, 1)" in messages[0] and "= (4, 1)" in messages[1]
    assert not fits.converged
    assert all(np.isfinite(k.direct) and np.isfinite(k.reverse) for k in fits.reverse_kl)


def test_profile_warns_when_the_budget_runs_out(monkeypatch):
    monkeypatch.setattr(divergences, "_PROFILE_MAX_ITER", 1)
    with pytest.warns(pgmlib.ConvergenceWarning, match=r"search over sigma did not converge"):
        profile = reverse_kl_profile(*BIMODAL, [-3.0, 0.0, 3.0])
    assert np.all(np.isfinite(profile.kl)) and np.all(profile.sigma > 0)


def test_converged_fits_issue_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forward_reverse_kl_fits(*THREE)
        reverse_kl_profile(*THREE, np.linspace(-6, 6, 25))


def test_public_names_are_exported():
    for name in (
        "kl_mixture_gaussian",
        "fit_gaussian_forward_kl",
        "fit_gaussian_reverse_kl",
        "reverse_kl_profile",
        "forward_reverse_kl_fits",
        "GaussianFit",
        "ReverseKLProfile",
        "ForwardReverseFits",
    ):
        assert name in pgmlib.__all__ and getattr(pgmlib, name) is getattr(divergences, name)
