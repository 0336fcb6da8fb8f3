"""pgmlib.likelihood: Example 1.4 (linear-Gaussian) and Example 1.5 (logistic) maximum likelihood,
checked against scipy.stats, numpy.linalg, scipy.optimize, finite differences, scikit-learn and
seeded Monte Carlo."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize, stats
from sklearn.linear_model import LogisticRegression

import pgmlib as pgm
from pgmlib import likelihood as lk


def regression_data(n=200, a=1.7, sigma2=0.3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return x, a * x + math.sqrt(sigma2) * rng.normal(size=n)


# ------------------------------------------------------------------------------------------
# Example 1.4: Gaussian linear regression
# ------------------------------------------------------------------------------------------


def test_regression_mle_is_least_squares_and_mean_squared_residual():
    x, y = regression_data()
    a, sigma2 = lk.gaussian_linear_regression_mle(x, y)
    a_lstsq = np.linalg.lstsq(x[:, None], y, rcond=None)[0][0]  # Remark 1.6
    assert a == pytest.approx(a_lstsq, rel=1e-12)
    assert sigma2 == pytest.approx(np.mean((y - a_lstsq * x) ** 2), rel=1e-12)
    result = lk.gaussian_linear_regression_mle(x, y)
    assert (result.a, result.sigma2) == (a, sigma2)


def test_regression_mle_maximises_the_loglik_numerically():
    x, y = regression_data(n=50, seed=3)
    a, sigma2 = lk.gaussian_linear_regression_mle(x, y)
    numerical = optimize.minimize(
        lambda t: -lk.gaussian_linear_regression_loglik(t[0], math.exp(t[1]), x, y),
        x0=[0.0, 0.0],
        method="BFGS",
        options={"gtol": 1e-10},
    )
    assert numerical.x[0] == pytest.approx(a, rel=1e-6)
    assert math.exp(numerical.x[1]) == pytest.approx(sigma2, rel=1e-6)
    # first-order conditions by central finite differences (the route the notes suggest)
    h = 1e-5
    for da, ds in [(h, 0.0), (0.0, h)]:
        up = lk.gaussian_linear_regression_loglik(a + da, sigma2 + ds, x, y)
        down = lk.gaussian_linear_regression_loglik(a - da, sigma2 - ds, x, y)
        assert abs(up - down) / (2 * h) < 1e-5


def test_regression_loglik_matches_scipy_on_a_grid():
    x, y = regression_data(n=30, seed=1)
    A, S = np.meshgrid(np.linspace(0.5, 3.0, 7), np.linspace(0.05, 2.0, 5))
    got = lk.gaussian_linear_regression_loglik(A, S, x, y)
    assert got.shape == A.shape
    expected = stats.norm(A[..., None] * x, np.sqrt(S)[..., None]).logpdf(y).sum(axis=-1)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    scalar = lk.gaussian_linear_regression_loglik(1.0, 0.5, x, y)
    assert isinstance(scalar, float)
    assert scalar == pytest.approx(stats.norm(x, math.sqrt(0.5)).logpdf(y).sum(), rel=1e-12)
    # eq. (1.11) written out term by term
    eq_1_11 = np.sum(-0.5 * np.log(2 * np.pi * 0.5) - (y - 1.0 * x) ** 2 / (2 * 0.5))
    assert scalar == pytest.approx(eq_1_11, rel=1e-12)


def test_regression_errors():
    with pytest.raises(ValueError, match="degenerate design: every `x` is 0"):
        lk.gaussian_linear_regression_mle([0.0, 0.0, 0.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"`x` and `y` must have the same shape; got \(3,\) and"):
        lk.gaussian_linear_regression_mle([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="`x` must not be empty"):
        lk.gaussian_linear_regression_mle([], [])
    with pytest.raises(ValueError, match="`y` must contain only finite values; got nan"):
        lk.gaussian_linear_regression_mle([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match="all residuals are 0"):
        lk.gaussian_linear_regression_mle([1.0, 2.0], [2.0, 4.0])
    with pytest.raises(ValueError, match="`sigma2` must be > 0; got -1"):
        lk.gaussian_linear_regression_loglik(1.0, -1.0, [1.0], [1.0])
    with pytest.raises(ValueError, match="`sigma2` must be > 0; got 0"):
        lk.gaussian_linear_regression_loglik(1.0, [0.5, 0.0], [1.0], [1.0])
    with pytest.raises(ValueError, match=r"`a` and `sigma2` must broadcast together"):
        lk.gaussian_linear_regression_loglik([1.0, 2.0], [0.5, 1.0, 2.0], [1.0], [1.0])
    with pytest.raises(ValueError, match=r"`x` must have 1 dimension\(s\)"):
        lk.gaussian_linear_regression_mle([[1.0, 2.0]], [[1.0, 2.0]])


def test_fisher_information_formula_and_monte_carlo():
    a, sigma2, n = 1.3, 0.7, 400_000
    info = lk.regression_fisher_information(sigma2, x_second_moment=2.0)
    np.testing.assert_allclose(info, np.diag([2.0 / 0.7, 1 / (2 * 0.49)]), rtol=1e-15)
    # I = E[score score^T], with x ~ N(0, 2): seeded Monte Carlo within 5 standard errors
    rng = np.random.default_rng(2)
    x = math.sqrt(2.0) * rng.normal(size=n)
    r = rng.normal(scale=math.sqrt(sigma2), size=n)  # y - a x
    score = np.stack([x * r / sigma2, -0.5 / sigma2 + r**2 / (2 * sigma2**2)])
    outer = score[:, None, :] * score[None, :, :]
    estimate, se = outer.mean(axis=-1), outer.std(axis=-1) / math.sqrt(n)
    assert np.all(np.abs(estimate - info) < 5 * se)
    # and I = -E[Hessian], the Hessian of log p(y|x) by central finite differences in (a, sigma2)
    h = 1e-4

    def logp(a_, s_):
        return np.mean(stats.norm(a_ * x[:2000], math.sqrt(s_)).logpdf(a * x[:2000] + r[:2000]))

    hess_ss = (logp(a, sigma2 + h) - 2 * logp(a, sigma2) + logp(a, sigma2 - h)) / h**2
    hess_aa = (logp(a + h, sigma2) - 2 * logp(a, sigma2) + logp(a - h, sigma2)) / h**2
    assert -hess_aa == pytest.approx(np.mean(x[:2000] ** 2) / sigma2, rel=1e-4)
    assert -hess_ss == pytest.approx(
        -0.5 / sigma2**2 + np.mean(r[:2000] ** 2) / sigma2**3, rel=1e-4
    )


def test_fisher_information_errors():
    with pytest.raises(ValueError, match="`sigma2` must be > 0; got 0"):
        lk.regression_fisher_information(0.0)
    with pytest.raises(ValueError, match="`x_second_moment` must be > 0; got -1"):
        lk.regression_fisher_information(1.0, -1.0)


def test_replicated_mle_has_the_exact_finite_sample_law():
    a, sigma2, n, R = -0.8, 2.0, 25, 40_000
    est = lk.sample_regression_mle(a, sigma2, n, R, rng=8)
    assert est.a.shape == est.sigma2.shape == (R,)
    # E[a_hat] = a, Var[a_hat] = sigma2 / (n - 2) (since E[1/chi2_n] = 1/(n-2))
    var_a = sigma2 / (n - 2)
    assert abs(est.a.mean() - a) < 4 * math.sqrt(var_a / R)
    # a_hat - a is a scale mixture of normals (kurtosis > 3): allow 5 SE of a sample variance
    kurt = 3 * (n - 2) / (n - 4)
    assert abs(est.a.var() - var_a) < 5 * var_a * math.sqrt((kurt - 1) / R)
    # n sigma2_hat / sigma2 ~ chi2(n - 1): mean n - 1, variance 2(n - 1)
    scaled = n * est.sigma2 / sigma2
    assert abs(scaled.mean() - (n - 1)) < 4 * math.sqrt(2 * (n - 1) / R)
    assert stats.kstest(scaled, stats.chi2(n - 1).cdf).pvalue > 1e-3


def test_replicated_mle_is_asymptotically_normal_with_inverse_fisher_covariance():
    a, sigma2, n, R = 1.5, 0.5, 400, 4000
    est = lk.sample_regression_mle(a, sigma2, n, R, rng=1)
    empirical = n * np.cov(np.stack([est.a, est.sigma2]))
    asymptotic = np.linalg.inv(lk.regression_fisher_information(sigma2))
    # stated tolerance: 4 standard errors of a sample variance (sqrt(2/R)) plus O(1/n) bias
    tolerance = 4 * math.sqrt(2 / R) + 2 / n
    np.testing.assert_allclose(np.diag(empirical), np.diag(asymptotic), rtol=tolerance)
    correlation = empirical[0, 1] / math.sqrt(empirical[0, 0] * empirical[1, 1])
    assert abs(correlation) < 4 / math.sqrt(R)


def test_replicated_mle_is_consistent():
    errors = []
    for n in (20, 80, 320, 1280):
        est = lk.sample_regression_mle(1.0, 1.0, n, 2000, rng=n)
        errors.append(np.sqrt(np.mean((est.a - 1.0) ** 2)))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])  # each 4x more data: error / 2
    np.testing.assert_allclose(ratios, 2.0, rtol=0.15)


def test_replicated_mle_blocks_and_seeds():
    n = 1 << 20  # block size 2: five replicates span three blocks
    est = lk.sample_regression_mle(0.5, 1.0, n, 5, rng=0)
    assert np.all(np.abs(est.a - 0.5) < 5 / math.sqrt(n))
    small1 = lk.sample_regression_mle(0.5, 1.0, 10, 7, rng=3)
    small2 = lk.sample_regression_mle(0.5, 1.0, 10, 7, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(small1.a, small2.a)


def test_replicated_mle_errors():
    with pytest.raises(ValueError, match="`n_replicates` must be >= 1; got -3"):
        lk.sample_regression_mle(1.0, 1.0, 10, -3)
    with pytest.raises(ValueError, match="`n` must be >= 2; got 1"):
        lk.sample_regression_mle(1.0, 1.0, 1, 10)
    with pytest.raises(TypeError, match=r"`n` must be an integer; got 10\.0"):
        lk.sample_regression_mle(1.0, 1.0, 10.0, 10)
    with pytest.raises(ValueError, match=r"`sigma2` must be > 0; got -0\.5"):
        lk.sample_regression_mle(1.0, -0.5, 10, 10)


# ------------------------------------------------------------------------------------------
# Example 1.5: logistic regression
# ------------------------------------------------------------------------------------------


def logistic_data(n=2000, coef=(1.5, -1.0), intercept=0.3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(coef)))
    p = 1 / (1 + np.exp(-(X @ np.asarray(coef) + intercept)))
    return X, (rng.random(n) < p).astype(int)


def test_logistic_loglik_matches_the_formula():
    X, y = logistic_data(n=100)
    coef, b = np.array([0.4, 0.9]), -0.2
    p = 1 / (1 + np.exp(-(X @ coef + b)))
    eq_1_14 = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert lk.logistic_log_likelihood(coef, b, X, y) == pytest.approx(eq_1_14, rel=1e-13)
    # huge scores: finite where the formula written out gives log(0)
    assert lk.logistic_log_likelihood([1e3], 0.0, [[-1.0], [1.0]], [1, 1]) == pytest.approx(-1e3)


def test_logistic_mle_matches_scikit_learn_and_scipy():
    X, y = logistic_data()
    fit = lk.logistic_regression_mle(X, y)
    assert fit.converged and fit.n_iter < 15
    # scikit-learn, unpenalised (C=inf; `penalty=None` is deprecated from scikit-learn 1.8)
    sk = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=1000)
    sk.fit(X, y)
    np.testing.assert_allclose(fit.coef, sk.coef_[0], rtol=1e-7)
    assert fit.intercept == pytest.approx(sk.intercept_[0], rel=1e-7)
    sk_loglik = lk.logistic_log_likelihood(sk.coef_[0], sk.intercept_[0], X, y)
    assert fit.log_likelihood >= sk_loglik - 1e-9
    # an independent optimiser on the same objective
    Z = np.c_[X, np.ones(len(y))]
    reference = optimize.minimize(
        lambda t: -lk.logistic_log_likelihood(t[:2], t[2], X, y),
        np.zeros(3),
        jac=lambda t: -Z.T @ (y - 1 / (1 + np.exp(-Z @ t))),
        method="BFGS",
        options={"gtol": 1e-9},
    )
    np.testing.assert_allclose(np.r_[fit.coef, fit.intercept], reference.x, rtol=1e-6)
    assert fit.log_likelihood == pytest.approx(-reference.fun, rel=1e-12)


def test_logistic_mle_gradient_and_covariance_by_finite_differences():
    X, y = logistic_data(n=300, seed=5)
    fit = lk.logistic_regression_mle(X, y)
    theta = np.r_[fit.coef, fit.intercept]

    def loglik(t):
        return lk.logistic_log_likelihood(t[:-1], t[-1], X, y)

    h = 1e-4
    eye = np.eye(3) * h
    gradient = np.array([(loglik(theta + e) - loglik(theta - e)) / (2 * h) for e in eye])
    assert np.max(np.abs(gradient)) < 1e-6
    hessian = np.array(
        [
            [
                (
                    loglik(theta + e + f)
                    - loglik(theta + e - f)
                    - loglik(theta - e + f)
                    + loglik(theta - e - f)
                )
                / (4 * h * h)
                for f in eye
            ]
            for e in eye
        ]
    )
    np.testing.assert_allclose(fit.covariance, np.linalg.inv(-hessian), rtol=1e-4)
    np.testing.assert_allclose(
        fit.predict_proba(X), 1 / (1 + np.exp(-(X @ fit.coef + fit.intercept)))
    )


def test_logistic_mle_without_intercept_and_one_dimensional_x():
    X, y = logistic_data(n=500, coef=(2.0,), intercept=0.0, seed=2)
    fit = lk.logistic_regression_mle(X[:, 0], y, fit_intercept=False)
    assert fit.intercept == 0.0 and fit.coef.shape == (1,) and fit.covariance.shape == (1, 1)
    grid = np.linspace(fit.coef[0] - 0.01, fit.coef[0] + 0.01, 201)
    values = [lk.logistic_log_likelihood([c], 0.0, X, y) for c in grid]
    assert grid[int(np.argmax(values))] == pytest.approx(fit.coef[0], abs=1e-4)


def test_logistic_mle_refuses_complete_separation():
    x = np.array([-2.0, -1.0, -0.5, 0.4, 1.0, 3.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(lk.SeparationError, match="the classes are linearly separable") as info:
        lk.logistic_regression_mle(x, y)
    assert isinstance(info.value, ValueError)
    t, z = 2 * y - 1, np.c_[x, np.ones(6)]
    assert np.all(t * (z @ info.value.direction) > 0)  # the certificate separates the data


def test_logistic_mle_refuses_quasi_complete_separation():
    # x = 0 carries both labels; theta = (1, 0) gets every other point right
    x = np.array([-2.0, -1.0, 0.0, 0.0, 1.0, 2.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(lk.SeparationError, match="quasi-separable") as info:
        lk.logistic_regression_mle(x, y)
    margins = (2 * y - 1) * (np.c_[x, np.ones(6)] @ info.value.direction)
    assert np.all(margins > -1e-9) and np.any(margins > 1e-6)


@given(
    n=st.integers(8, 120),
    d=st.integers(1, 3),
    scale=st.floats(0.1, 8.0),
    seed=st.integers(0, 2**16),
)
def test_logistic_mle_either_converges_or_proves_separation(n, d, scale, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (rng.random(n) < 1 / (1 + np.exp(-scale * X[:, 0]))).astype(int)
    y[:2] = [0, 1]  # both classes
    Z = np.c_[X, np.ones(n)]
    try:
        fit = lk.logistic_regression_mle(X, y)
    except lk.SeparationError as error:
        margins = (2 * y - 1) * (Z @ error.direction)
        assert np.all(margins > -1e-7 * np.abs(Z @ error.direction).max())
        assert np.any(margins > 0)
        return
    assert fit.converged
    gradient = Z.T @ (y - fit.predict_proba(X))
    assert np.max(np.abs(gradient)) < 1e-6 * n


def test_logistic_mle_warns_when_it_runs_out_of_iterations():
    X, y = logistic_data(n=500)
    with pytest.warns(
        lk.ConvergenceWarning, match="did not converge in 1 Newton iterations"
    ) as rec:
        fit = lk.logistic_regression_mle(X, y, max_iter=1)
    assert rec[0].filename == __file__  # stacklevel=2 points at the caller
    assert not fit.converged and fit.n_iter == 1


def test_logistic_errors():
    X, y = logistic_data(n=20)
    with pytest.raises(ValueError, match=r"`y` must hold labels in \{0, 1\}; got 2"):
        lk.logistic_regression_mle(X, np.where(y == 1, 2, 0))
    with pytest.raises(ValueError, match=r"`y` must hold labels in \{0, 1\}; got -1"):
        lk.logistic_regression_mle(X, np.where(y == 1, 1, -1))
    with pytest.raises(ValueError, match="`y` must contain both classes; every label is 1"):
        lk.logistic_regression_mle(X, np.ones(20))
    with pytest.raises(ValueError, match="`X` and `y` must have the same number of rows; got 20"):
        lk.logistic_regression_mle(X, y[:-1])
    with pytest.raises(ValueError, match=r"linearly dependent \(rank 2 < 3\)"):
        lk.logistic_regression_mle(np.c_[X[:, 0], 2 * X[:, 0]], y)
    with pytest.raises(ValueError, match="and the intercept column are linearly dependent"):
        lk.logistic_regression_mle(np.c_[X[:, 0], np.ones(20)], y)
    with pytest.raises(ValueError, match="`X` must contain only finite values; got inf"):
        lk.logistic_regression_mle(np.where(X > 1, np.inf, X), y)
    with pytest.raises(ValueError, match="`X` must not be empty"):
        lk.logistic_regression_mle(np.empty((0, 2)), [])
    with pytest.raises(ValueError, match="`max_iter` must be >= 1; got 0"):
        lk.logistic_regression_mle(X, y, max_iter=0)
    with pytest.raises(ValueError, match="`coef` must have 2 entries"):
        lk.logistic_log_likelihood([1.0], 0.0, X, y)
    fit = lk.logistic_regression_mle(*logistic_data(n=200))
    with pytest.raises(ValueError, match=r"`X` must have 2 columns; got shape \(3, 3\)"):
        fit.predict_proba(np.zeros((3, 3)))


def test_no_warnings_on_ordinary_fits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lk.logistic_regression_mle(*logistic_data(n=1000, coef=(6.0, -4.0), seed=9))


def test_everything_is_reexported():
    for name in lk.__all__:
        assert getattr(pgm, name) is getattr(lk, name)
