"""pgmlib.classification: eq. (1.4) and Exercise 1.1 against scipy.stats and direct Bayes' rule."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import pgmlib as pgm
from pgmlib import classification as cl


def random_spd(rng: np.random.Generator, d: int) -> np.ndarray:
    M = rng.normal(size=(d, d))
    return M @ M.T + 0.3 * np.eye(d)


# ------------------------------------------------------------------------------------------
# sigmoid
# ------------------------------------------------------------------------------------------


def test_sigmoid_matches_the_formula_where_it_is_safe():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(cl.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    assert cl.sigmoid(0.0) == 0.5 and isinstance(cl.sigmoid(0.3), float)


def test_sigmoid_is_stable_for_huge_arguments():
    z = np.array([-1e308, -1e3, -745.0, -40.0, 40.0, 745.0, 1e3, 1e308, -np.inf, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = cl.sigmoid(z)
        log_s = cl.log_sigmoid(z[1:5])
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert s[0] == 0.0 and s[1] == 0.0 and s[6] == 1.0 and s[-1] == 1.0 and s[-2] == 0.0
    np.testing.assert_allclose(log_s, [-1e3, -745.0, -40.0, -math.exp(-40)], rtol=1e-12)


@given(st.floats(-700, 700))
def test_sigmoid_symmetry_and_log(z):
    assert cl.sigmoid(-z) == pytest.approx(1 - cl.sigmoid(z), abs=2.3e-16)  # 1 - s: 1 ulp
    assert cl.log_sigmoid(z) == pytest.approx(-math.log1p(math.exp(-z)) if z > -700 else z)


def test_sigmoid_refuses_nan():
    with pytest.raises(ValueError, match="`z` must not contain nan"):
        cl.sigmoid([0.0, np.nan])
    with pytest.raises(TypeError, match="`z` must be array-like of numbers"):
        cl.sigmoid("1")


# ------------------------------------------------------------------------------------------
# Gaussian class posterior, eq. (1.4)
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("d", [1, 2, 4])
def test_log_odds_match_scipy_log_densities(d):
    rng = np.random.default_rng(d)
    m0, m1 = rng.normal(size=d), rng.normal(size=d)
    S0, S1 = random_spd(rng, d), random_spd(rng, d)
    X = rng.normal(size=(50, d)) * 3
    expected = (
        math.log(0.35 / 0.65)
        + stats.multivariate_normal(m1, S1).logpdf(X)
        - stats.multivariate_normal(m0, S0).logpdf(X)
    )
    np.testing.assert_allclose(
        cl.gaussian_class_log_odds(X, 0.35, m0, S0, m1, S1), expected, rtol=1e-10, atol=1e-10
    )


def test_posterior_matches_bayes_rule_written_out():
    rng = np.random.default_rng(0)
    m0, m1, S0, S1 = [0.0, 1.0], [1.5, -0.5], random_spd(rng, 2), random_spd(rng, 2)
    X = rng.normal(size=(200, 2))
    f0 = stats.multivariate_normal(m0, S0).pdf(X)
    f1 = stats.multivariate_normal(m1, S1).pdf(X)
    bayes = 0.2 * f1 / (0.2 * f1 + 0.8 * f0)  # eq. (1.4), first line
    np.testing.assert_allclose(
        cl.gaussian_class_posterior(X, 0.2, m0, S0, m1, S1), bayes, rtol=1e-10
    )


def test_posterior_shapes_scalars_and_one_dimensional_points():
    single = cl.gaussian_class_posterior([0.5, 0.5], 0.5, [0, 0], np.eye(2), [1, 1], np.eye(2))
    assert isinstance(single, float)
    batch = cl.gaussian_class_posterior([[0.5, 0.5]], 0.5, [0, 0], np.eye(2), [1, 1], np.eye(2))
    assert batch.shape == (1,) and batch[0] == single == pytest.approx(0.5, abs=1e-15)
    # d = 1: scalar parameters, scalar x -> float, 1-D x -> one value per point
    grid = np.linspace(-3, 3, 7)
    out = cl.gaussian_class_posterior(grid, 0.5, -1.0, 1.0, 1.0, 1.0)
    np.testing.assert_allclose(out, cl.sigmoid(2 * grid), rtol=1e-14)
    assert cl.gaussian_class_posterior(0.0, 0.5, -1.0, 1.0, 1.0, 1.0) == pytest.approx(0.5)


def test_posterior_far_away_is_zero_or_one_not_nan():
    m0, m1 = [0.0, 0.0], [1.0, 0.0]
    X = np.array([[1e4, 0.0], [-1e4, 0.0], [0.0, 1e6], [1e150, -1e150]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p_equal = cl.gaussian_class_posterior(X[:2], 0.5, m0, np.eye(2), m1, np.eye(2))
        p_unequal = cl.gaussian_class_posterior(X, 0.5, m0, np.eye(2), m1, 4 * np.eye(2))
    assert p_equal.tolist() == [1.0, 0.0]
    assert p_unequal.tolist() == [1.0, 1.0, 1.0, 1.0]  # the wider class wins far away
    with np.errstate(all="ignore"):  # the formula written out breaks down there
        f0 = stats.multivariate_normal(m0, np.eye(2)).pdf(X[:2])
        f1 = stats.multivariate_normal(m1, np.eye(2)).pdf(X[:2])
        assert np.all(np.isnan(0.5 * f1 / (0.5 * f1 + 0.5 * f0)))


def test_posterior_beyond_float_range_of_the_squared_distance():
    # |x| ~ 1e200: (x - mu)^2 overflows, both log-densities are -inf; still no nan
    X = np.array([[1e200, 0.0], [-1e200, 0.0], [0.0, 1e300], [1e200, 1e200]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        equal = cl.gaussian_class_posterior(X, 0.5, [0, 0], np.eye(2), [1, 0], np.eye(2))
        unequal = cl.gaussian_class_posterior(X, 0.5, [0, 0], np.eye(2), [1, 0], 4 * np.eye(2))
        log_odds = cl.gaussian_class_log_odds(X, 0.5, [0, 0], np.eye(2), [1, 0], np.eye(2))
    # equal covariances: affine log-odds x1 - 1/2 (b = (1, 0), c = -1/2)
    assert equal.tolist() == [1.0, 0.0, pytest.approx(cl.sigmoid(-0.5), rel=1e-15), 1.0]
    assert unequal.tolist() == [1.0, 1.0, 1.0, 1.0]
    np.testing.assert_allclose(log_odds, [1e200 - 0.5, -1e200 - 0.5, -0.5, 1e200 - 0.5], rtol=1e-15)


def test_posterior_extreme_priors():
    X = np.array([[0.0], [2.0]])
    assert cl.gaussian_class_posterior(X, 0.0, 0.0, 1.0, 1.0, 1.0).tolist() == [0.0, 0.0]
    assert cl.gaussian_class_posterior(X, 1.0, 0.0, 1.0, 1.0, 1.0).tolist() == [1.0, 1.0]


def test_posterior_errors():
    args = ([0.0, 0.0], np.eye(2), [1.0, 0.0], np.eye(2))
    with pytest.raises(ValueError, match=r"`prior1` must lie in \[0, 1\]; got 1.2"):
        cl.gaussian_class_posterior([0.0, 0.0], 1.2, *args)
    with pytest.raises(ValueError, match=r"`prior1` must lie in \[0, 1\]; got -0.1"):
        cl.gaussian_class_posterior([0.0, 0.0], -0.1, *args)
    with pytest.raises(ValueError, match="`cov1` must be positive definite; got smallest eigen"):
        cl.gaussian_class_posterior([0.0, 0.0], 0.5, [0, 0], np.eye(2), [1, 0], [[1, 2], [2, 1]])
    with pytest.raises(ValueError, match="`cov0` must be symmetric"):
        cl.gaussian_class_posterior([0.0, 0.0], 0.5, [0, 0], [[1, 0.5], [0, 1]], [1, 0], np.eye(2))
    with pytest.raises(ValueError, match=r"`cov0` must have shape \(2, 2\); got \(3, 3\)"):
        cl.gaussian_class_posterior([0.0, 0.0], 0.5, [0, 0], np.eye(3), [1, 0], np.eye(2))
    with pytest.raises(ValueError, match=r"`mean0` and `mean1` must have the same shape"):
        cl.gaussian_class_posterior([0.0, 0.0], 0.5, [0, 0], np.eye(2), [1, 0, 0], np.eye(2))
    with pytest.raises(ValueError, match=r"`x` must be one point of shape \(2,\) or points"):
        cl.gaussian_class_posterior([[0.0, 0.0, 1.0]], 0.5, *args)
    with pytest.raises(ValueError, match="`x` must contain only finite values; got nan"):
        cl.gaussian_class_posterior([[0.0, np.nan]], 0.5, *args)
    with pytest.raises(ValueError, match="`x` must not be empty"):
        cl.gaussian_class_posterior(np.empty((0, 2)), 0.5, *args)


# ------------------------------------------------------------------------------------------
# Exercise 1.1: the log-odds as a quadratic form
# ------------------------------------------------------------------------------------------


@given(d=st.integers(1, 4), seed=st.integers(0, 2**16), prior1=st.floats(0.01, 0.99))
def test_quadratic_coefficients_reproduce_the_log_odds(d, seed, prior1):
    rng = np.random.default_rng(seed)
    m0, m1 = rng.normal(size=d), rng.normal(size=d)
    S0, S1 = random_spd(rng, d), random_spd(rng, d)
    A, b, c = cl.gaussian_log_odds_coefficients(prior1, m0, S0, m1, S1)
    assert A.shape == (d, d) and b.shape == (d,) and isinstance(c, float)
    np.testing.assert_array_equal(A, A.T)
    X = rng.normal(size=(20, d)) * 2
    quadratic = np.einsum("ni,ij,nj->n", X, A, X) + X @ b + c
    direct = cl.gaussian_class_log_odds(X, prior1, m0, S0, m1, S1)
    np.testing.assert_allclose(quadratic, direct, rtol=1e-9, atol=1e-9)


def test_equal_covariances_give_an_affine_log_odds_and_the_logistic_model():
    rng = np.random.default_rng(1)
    S = random_spd(rng, 3)
    m0, m1 = rng.normal(size=3), rng.normal(size=3)
    A, b, c = cl.gaussian_log_odds_coefficients(0.7, m0, S, m1, S.copy())
    np.testing.assert_array_equal(A, np.zeros((3, 3)))  # exactly zero, not merely small
    np.testing.assert_allclose(b, np.linalg.solve(S, m1 - m0), rtol=1e-10)
    X = rng.normal(size=(30, 3))
    np.testing.assert_allclose(
        cl.logistic_posterior(X, b, c),
        cl.gaussian_class_posterior(X, 0.7, m0, S, m1, S),
        rtol=1e-10,
    )


def test_unequal_covariances_give_a_nonzero_quadratic_term():
    A, _, _ = cl.gaussian_log_odds_coefficients(0.5, [0, 0], np.eye(2), [0, 0], 2 * np.eye(2))
    np.testing.assert_allclose(A, 0.25 * np.eye(2), rtol=1e-14)


def test_coefficient_errors():
    with pytest.raises(ValueError, match=r"`prior1` must lie in the open interval \(0, 1\); got 0"):
        cl.gaussian_log_odds_coefficients(0.0, [0.0], [[1.0]], [1.0], [[1.0]])
    with pytest.raises(ValueError, match="`cov0` must be positive definite"):
        cl.gaussian_log_odds_coefficients(0.5, [0.0], [[-1.0]], [1.0], [[1.0]])


# ------------------------------------------------------------------------------------------
# Discriminative model (1.2) and sampling from the generative model (1.3)
# ------------------------------------------------------------------------------------------


def test_logistic_posterior():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    theta = np.array([0.4, -1.0])
    np.testing.assert_allclose(
        cl.logistic_posterior(X, theta, 0.3), 1 / (1 + np.exp(-(X @ theta + 0.3))), rtol=1e-15
    )
    assert isinstance(cl.logistic_posterior(X[0], theta), float)
    with pytest.raises(ValueError, match=r"`x` must be one point of shape \(2,\)"):
        cl.logistic_posterior([1.0, 2.0, 3.0], theta)


def test_sampled_classes_have_the_model_moments():
    rng = np.random.default_rng(4)
    S0, S1 = random_spd(rng, 2), random_spd(rng, 2)
    m0, m1, n, pi = np.array([0.0, 1.0]), np.array([3.0, -1.0]), 200_000, 0.3
    X, y = cl.sample_gaussian_classes(n, pi, m0, S0, m1, S1, rng=9)
    assert X.shape == (n, 2) and y.dtype.kind == "i"
    assert abs(y.mean() - pi) < 4 * math.sqrt(pi * (1 - pi) / n)
    for label, m, S in [(0, m0, S0), (1, m1, S1)]:
        Xk = X[y == label]
        se = np.sqrt(np.diag(S) / len(Xk))
        assert np.all(np.abs(Xk.mean(axis=0) - m) < 4 * se)
        np.testing.assert_allclose(np.cov(Xk.T), S, atol=0.05 * np.max(np.abs(S)))
    X2, y2 = cl.sample_gaussian_classes(10, pi, m0, S0, m1, S1, rng=np.random.default_rng(9))
    X3, y3 = cl.sample_gaussian_classes(10, pi, m0, S0, m1, S1, rng=9)
    np.testing.assert_array_equal(X2, X3)
    np.testing.assert_array_equal(y2, y3)


def test_sampling_errors():
    with pytest.raises(ValueError, match="`n` must be >= 1; got 0"):
        cl.sample_gaussian_classes(0, 0.5, [0], [[1]], [1], [[1]])
    with pytest.raises(ValueError, match=r"`prior1` must lie in \[0, 1\]"):
        cl.sample_gaussian_classes(5, 2.0, [0], [[1]], [1], [[1]])


def test_everything_is_reexported():
    for name in cl.__all__:
        assert getattr(pgm, name) is getattr(cl, name)
