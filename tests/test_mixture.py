"""pgmlib.mixture: Example 1.6 (Gaussian mixtures by EM), checked against scipy.stats, naive
weighted formulas, scikit-learn's GaussianMixture and seeded Monte Carlo."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.mixture import GaussianMixture

import pgmlib as pgm
from pgmlib import mixture as mx
from pgmlib.likelihood import ConvergenceWarning

WEIGHTS = np.array([0.2, 0.5, 0.3])
MEANS = np.array([[-2.0, 0.0], [2.0, 1.0], [0.0, 4.0]])
COVARIANCES = np.array([np.eye(2), [[1.0, 0.6], [0.6, 1.5]], 0.5 * np.eye(2)])


def blobs(n=3000, seed=0):
    return mx.sample_gmm(n, WEIGHTS, MEANS, COVARIANCES, rng=seed)


def direct_log_densities(X, means, covariances):
    return np.column_stack(
        [stats.multivariate_normal(m, S).logpdf(X) for m, S in zip(means, covariances, strict=True)]
    )


# ------------------------------------------------------------------------------------------
# Densities and likelihoods
# ------------------------------------------------------------------------------------------


def test_component_log_pdf_matches_scipy():
    X, _ = blobs(200)
    got = mx.gmm_component_log_pdf(X, MEANS, COVARIANCES)
    np.testing.assert_allclose(got, direct_log_densities(X, MEANS, COVARIANCES), rtol=1e-12)


def test_log_likelihood_is_eq_1_15():
    X, _ = blobs(300)
    direct = np.sum(np.log(np.exp(direct_log_densities(X, MEANS, COVARIANCES)) @ WEIGHTS))
    assert mx.gmm_log_likelihood(X, WEIGHTS, MEANS, COVARIANCES) == pytest.approx(direct, rel=1e-12)


def test_log_likelihood_of_far_points_is_finite():
    X = np.array([[60.0, -60.0]])
    with np.errstate(divide="ignore"):
        naive = np.log(np.exp(direct_log_densities(X, MEANS, COVARIANCES)) @ WEIGHTS)
    assert np.isneginf(naive).all()  # the formula written out underflows ...
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = mx.gmm_log_likelihood(X, WEIGHTS, MEANS, COVARIANCES)  # ... logsumexp does not
    expected = stats.multivariate_normal(MEANS[0], COVARIANCES[0]).logpdf(X[0]) + math.log(0.2)
    assert np.isfinite(value) and value == pytest.approx(expected, rel=1e-6)


def test_samples_beyond_float_range_are_refused_not_nan():
    X = np.array([[0.0, 0.0], [1e200, 0.0]])
    with pytest.raises(ValueError, match=r"1 sample\(s\) lie so far from every component"):
        mx.gmm_e_step(X, WEIGHTS, MEANS, COVARIANCES)


def test_e_step_is_bayes_rule():
    X, _ = blobs(100)
    resp, loglik = mx.gmm_e_step(X, WEIGHTS, MEANS, COVARIANCES)
    joint = np.exp(direct_log_densities(X, MEANS, COVARIANCES)) * WEIGHTS
    np.testing.assert_allclose(resp, joint / joint.sum(axis=1, keepdims=True), rtol=1e-10)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-14)
    assert loglik == pytest.approx(mx.gmm_log_likelihood(X, WEIGHTS, MEANS, COVARIANCES), rel=1e-14)


def test_complete_data_log_likelihood_hard_labels_and_the_notes_erratum():
    X, labels = blobs(150)
    got = mx.gmm_complete_data_log_likelihood(X, labels, WEIGHTS, MEANS, COVARIANCES)
    log_p = direct_log_densities(X, MEANS, COVARIANCES)[np.arange(150), labels]
    assert got == pytest.approx(np.sum(np.log(WEIGHTS[labels]) + log_p), rel=1e-12)
    # the notes' (1.17) omits sum_k N_k log pi_k
    notes_1_17 = np.sum(log_p)
    counts = np.bincount(labels, minlength=3)
    assert got - notes_1_17 == pytest.approx(np.sum(counts * np.log(WEIGHTS)), rel=1e-10)
    one_hot = np.eye(3)[labels]
    assert mx.gmm_complete_data_log_likelihood(
        X, one_hot, WEIGHTS, MEANS, COVARIANCES
    ) == pytest.approx(got, rel=1e-14)


def test_expected_complete_data_plus_entropy_is_the_log_likelihood():
    X, _ = blobs(200, seed=4)
    resp, loglik = mx.gmm_e_step(X, WEIGHTS, MEANS, COVARIANCES)
    q = mx.gmm_complete_data_log_likelihood(X, resp, WEIGHTS, MEANS, COVARIANCES)
    entropy = -np.sum(np.where(resp > 0, resp * np.log(np.where(resp > 0, resp, 1.0)), 0.0))
    assert q + entropy == pytest.approx(loglik, rel=1e-10)


# ------------------------------------------------------------------------------------------
# M-step
# ------------------------------------------------------------------------------------------


def test_m_step_matches_naive_weighted_estimates():
    X, _ = blobs(400, seed=2)
    resp, _ = mx.gmm_e_step(X, WEIGHTS, MEANS, COVARIANCES)
    weights, means, covariances = mx.gmm_m_step(X, resp, reg_covar=1e-3)
    for k in range(3):
        r = resp[:, k]
        assert weights[k] == pytest.approx(r.mean(), rel=1e-12)
        np.testing.assert_allclose(means[k], np.average(X, axis=0, weights=r), rtol=1e-12)
        naive = np.cov(X.T, aweights=r, bias=True) + 1e-3 * np.eye(2)
        np.testing.assert_allclose(covariances[k], naive, rtol=1e-10)


@given(seed=st.integers(0, 2**16), scale=st.floats(0.01, 0.3))
def test_m_step_maximises_the_expected_complete_data_log_likelihood(seed, scale):
    X, _ = blobs(120, seed=seed % 7)
    resp, _ = mx.gmm_e_step(X, WEIGHTS, MEANS, COVARIANCES)
    best = mx.gmm_m_step(X, resp, reg_covar=0.0)
    q_best = mx.gmm_complete_data_log_likelihood(X, resp, *best)
    rng = np.random.default_rng(seed)
    weights = best[0] * np.exp(scale * rng.normal(size=3))
    A = np.eye(2) + scale * rng.normal(size=(3, 2, 2))
    perturbed = (
        weights / weights.sum(),
        best[1] + scale * rng.normal(size=(3, 2)),
        A @ best[2] @ A.transpose(0, 2, 1),
    )
    assert mx.gmm_complete_data_log_likelihood(X, resp, *perturbed) <= q_best + 1e-9


# ------------------------------------------------------------------------------------------
# EM
# ------------------------------------------------------------------------------------------


def test_em_matches_scikit_learn_from_the_same_start():
    # Same start, same number of EM iterations: the same parameters up to rounding.
    X, _ = blobs(3000, seed=1)
    start = mx.gmm_init(X, 3, rng=0)
    sk = GaussianMixture(
        3,
        covariance_type="full",
        reg_covar=1e-6,
        tol=1e-9,
        max_iter=1000,
        weights_init=start[0],
        means_init=start[1],
        precisions_init=np.linalg.inv(start[2]),
    ).fit(X)
    assert sk.converged_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # stopped by max_iter on purpose
        fit = mx.gmm_em(X, 3, tol=1e-300, max_iter=sk.n_iter_, init_params=start)
    assert fit.n_iter == sk.n_iter_
    np.testing.assert_allclose(fit.weights, sk.weights_, rtol=1e-9)
    np.testing.assert_allclose(fit.means, sk.means_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fit.covariances, sk.covariances_, rtol=1e-9)
    assert fit.log_likelihood[-1] / len(X) == pytest.approx(sk.score(X), rel=1e-12)
    # and our own stopping rule reaches the same log-likelihood
    ours = mx.gmm_em(X, 3, init_params=start)
    assert ours.log_likelihood[-1] / len(X) == pytest.approx(sk.score(X), abs=1e-6)


def test_em_recovers_well_separated_clusters():
    X, labels = blobs(4000, seed=3)
    fit = mx.gmm_em(X, 3, rng=0)
    assert fit.converged
    order = [int(np.argmin(np.sum((fit.means - m) ** 2, axis=1))) for m in MEANS]
    assert sorted(order) == [0, 1, 2]
    se = np.sqrt(WEIGHTS * (1 - WEIGHTS) / len(X))
    assert np.all(np.abs(fit.weights[order] - WEIGHTS) < 5 * se)
    np.testing.assert_allclose(fit.means[order], MEANS, atol=0.1)
    np.testing.assert_allclose(fit.covariances[order], COVARIANCES, atol=0.15)
    assert np.mean(np.asarray(order)[labels] == fit.labels) > 0.97
    np.testing.assert_allclose(fit.responsibilities.sum(axis=1), 1.0, rtol=1e-12)
    assert fit.log_likelihood.shape == (fit.n_iter + 1,)


@given(
    n_per=st.integers(15, 60),
    d=st.integers(1, 3),
    K=st.integers(1, 4),
    spread=st.floats(0.5, 6.0),
    seed=st.integers(0, 2**16),
)
def test_em_never_lowers_the_log_likelihood(n_per, d, K, spread, seed):
    rng = np.random.default_rng(seed)
    centres = spread * rng.normal(size=(K, d))
    X = (centres[:, None, :] + rng.normal(size=(K, n_per, d))).reshape(-1, d)
    # Exact EM (reg_covar = 0), stepped by hand: monotone up to rounding, until it converges or
    # a component collapses onto a point (the Sigma -> 0 degeneracy, which exact EM can reach).
    params = mx.gmm_init(X, K, rng=seed, reg_covar=0.0)
    history = []
    for _ in range(40):
        resp, loglik = mx.gmm_e_step(X, *params)
        history.append(loglik)
        try:
            params = mx.gmm_m_step(X, resp, reg_covar=0.0)
        except ValueError as error:
            assert "collapsed" in str(error)
            break
    history = np.array(history)
    assert np.all(np.diff(history) >= -1e-10 * np.abs(history[1:]))
    # gmm_em with the default reg_covar: the stated bound is 1e-8 per sample
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        history = mx.gmm_em(X, K, rng=seed, max_iter=40, tol=1e-10).log_likelihood
    assert np.all(np.diff(history) >= -1e-8 * len(X))


def test_em_with_one_dimensional_data_and_one_component():
    x = np.random.default_rng(0).normal(3.0, 2.0, size=500)
    fit = mx.gmm_em(x, 1, rng=0)
    assert fit.means.shape == (1, 1) and fit.covariances.shape == (1, 1, 1)
    assert fit.means[0, 0] == pytest.approx(x.mean(), rel=1e-12)
    assert fit.covariances[0, 0, 0] == pytest.approx(x.var() + 1e-6, rel=1e-12)  # the MLE


def test_component_collapse_is_caught_and_reg_covar_guards_it():
    # a tight component started on an isolated point shrinks onto it: Sigma -> 0 (Example 1.6)
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(50, 2)), [[30.0, 30.0]]]
    start = ([0.5, 0.5], [[0.0, 0.0], [30.0, 30.0]], [np.eye(2), 1e-2 * np.eye(2)])
    with pytest.raises(ValueError, match=r"component 1 collapsed: its covariance became singular"):
        mx.gmm_em(X, 2, reg_covar=0.0, init_params=start)
    with pytest.raises(ValueError, match=r"Increase reg_covar \(now 0\) or reduce n_components"):
        mx.gmm_em(X, 2, reg_covar=0.0, init_params=start)
    guarded = mx.gmm_em(X, 2, reg_covar=1e-6, init_params=start)
    np.testing.assert_allclose(guarded.covariances[1], 1e-6 * np.eye(2), rtol=1e-6)
    assert np.isfinite(guarded.log_likelihood).all()


@pytest.mark.parametrize(
    "X",
    [np.ones((10, 2)), np.c_[np.linspace(0, 1, 20), 2 * np.linspace(0, 1, 20) + 1]],
    ids=["repeated point", "points on a line"],
)
def test_degenerate_data_without_reg_covar_is_a_collapse_not_a_linalg_error(X):
    """Data on a lower-dimensional subspace have a singular covariance: with reg_covar = 0 the
    start already collapses. The error is the collapse ValueError, not numpy's LinAlgError."""
    message = (
        r"component 0 collapsed: its covariance is singular .*lower-dimensional subspace.*"
        r"Increase reg_covar \(now 0\) or reduce n_components"
    )
    for K in (1, 2):
        with pytest.raises(ValueError, match=message):
            mx.gmm_em(X, K, reg_covar=0.0, rng=0)
        with pytest.raises(ValueError, match=message):
            mx.gmm_init(X, K, rng=0, reg_covar=0.0)
        with pytest.raises(ValueError, match=message):
            mx.gmm_em_path(X, K, n_iter=3, reg_covar=0.0, rng=0)
    fit = mx.gmm_em(X, 2, rng=0)  # the default reg_covar keeps every covariance regular
    assert np.all(np.linalg.eigvalsh(fit.covariances) >= 1e-6 * (1 - 1e-9))
    assert np.all(np.isfinite(fit.log_likelihood))


def test_singular_covariance_in_the_loop_is_a_collapse_not_a_linalg_error():
    """The loop factors every iterate's covariances through one guard: a singular matrix there
    (which the M-step's eigenvalue check normally stops first) is the same collapse error."""
    singular = np.array([np.eye(2), [[1.0, 1.0], [1.0, 1.0]]])
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(singular)
    with pytest.raises(ValueError, match=r"component 1 collapsed: its covariance is singular"):
        mx._collapse_checked_cholesky(singular, 0.0)
    np.testing.assert_allclose(
        mx._collapse_checked_cholesky(COVARIANCES, 0.0), np.linalg.cholesky(COVARIANCES)
    )


def test_empty_component_is_caught():
    X = np.random.default_rng(0).normal(size=(40, 2))
    start = ([1.0, 0.0], [[0.0, 0.0], [1.0, 1.0]], [np.eye(2), np.eye(2)])
    with pytest.raises(ValueError, match=r"component 1 collapsed: it holds no data"):
        mx.gmm_em(X, 2, init_params=start)


def test_em_warns_when_it_runs_out_of_iterations():
    X, _ = blobs(500)
    with pytest.warns(ConvergenceWarning, match="gmm_em did not converge in 1 iterations") as rec:
        fit = mx.gmm_em(X, 3, rng=0, max_iter=1, tol=1e-12)
    assert rec[0].filename == __file__
    assert not fit.converged and fit.n_iter == 1


def test_init_is_reproducible_and_valid():
    X, _ = blobs(500)
    a = mx.gmm_init(X, 3, rng=5)
    b = mx.gmm_init(X, 3, rng=np.random.default_rng(5))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert a[0].sum() == pytest.approx(1.0)
    assert np.all(np.linalg.eigvalsh(a[2]) > 0)
    fit1, fit2 = mx.gmm_em(X, 3, rng=5), mx.gmm_em(X, 3, rng=5)
    np.testing.assert_array_equal(fit1.means, fit2.means)


def test_init_with_duplicate_points_keeps_valid_covariances():
    X = np.r_[np.zeros((10, 2)), np.ones((10, 2)), np.random.default_rng(0).normal(size=(5, 2))]
    covariances = mx.gmm_init(X, 4, rng=0)[2]
    assert np.all(np.linalg.eigvalsh(covariances) > 0)


# ------------------------------------------------------------------------------------------
# The EM path (every iterate, for the EM explorer)
# ------------------------------------------------------------------------------------------


def test_em_path_ends_at_the_gmm_em_fit():
    """Stopped after gmm_em's number of iterations, the path's last row is gmm_em's fit and its
    log-likelihood column is gmm_em's history, from a given start and from the default one."""
    X, _ = blobs(800, seed=4)
    start = mx.gmm_init(X, 3, rng=3)
    for kwargs in ({"init_params": start}, {"rng": 3}):
        fit = mx.gmm_em(X, 3, tol=1e-8, **kwargs)
        path = mx.gmm_em_path(X, 3, n_iter=fit.n_iter, **kwargs)
        assert fit.converged and path.n_iter == fit.n_iter > 5
        np.testing.assert_array_equal(path.log_likelihood, fit.log_likelihood)
        for field in ("weights", "means", "covariances", "responsibilities"):
            np.testing.assert_array_equal(getattr(path, field)[-1], getattr(fit, field))
        for field, value in zip(("weights", "means", "covariances"), start, strict=True):
            np.testing.assert_array_equal(getattr(path, field)[0], value)


def test_em_path_rows_are_alternating_e_and_m_steps():
    """An independent loop over the public E- and M-steps (as the explorer used to run) gives
    every row; each log-likelihood is eq. (1.15) at that row's parameters, and never drops."""
    X, _ = blobs(300, seed=8)
    rng = np.random.default_rng(2)
    start = (np.full(3, 1 / 3), X[rng.choice(len(X), 3, replace=False)], [np.cov(X.T)] * 3)
    path = mx.gmm_em_path(X, 3, n_iter=30, init_params=start, reg_covar=1e-6)
    assert path.weights.shape == (31, 3) and path.means.shape == (31, 3, 2)
    assert path.covariances.shape == (31, 3, 2, 2) and path.responsibilities.shape == (31, 300, 3)
    params = start
    for t in range(31):
        resp, loglik = mx.gmm_e_step(X, *params)
        for got, want in zip(
            (path.weights[t], path.means[t], path.covariances[t]), params, strict=True
        ):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(path.responsibilities[t], resp, rtol=1e-12, atol=1e-14)
        assert path.log_likelihood[t] == pytest.approx(loglik, rel=1e-12)
        assert path.log_likelihood[t] == pytest.approx(mx.gmm_log_likelihood(X, *params), rel=1e-12)
        params = mx.gmm_m_step(X, resp, reg_covar=1e-6)
    assert np.all(np.diff(path.log_likelihood) >= -1e-8 * len(X))
    assert path.log_likelihood[-1] > path.log_likelihood[0] + 100  # it has moved


def test_em_path_runs_past_convergence_without_warning_and_has_no_early_stop():
    X, _ = blobs(400, seed=1)
    fit = mx.gmm_em(X, 3, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = mx.gmm_em_path(X, 3, n_iter=fit.n_iter + 15, rng=0)
    assert path.n_iter == fit.n_iter + 15 and path.log_likelihood.shape == (fit.n_iter + 16,)
    tail = path.log_likelihood[fit.n_iter :]
    assert np.ptp(tail) < 1e-6 * len(X) * 16  # converged: the extra iterations barely move
    only_start = mx.gmm_em_path(X, 3, n_iter=0, rng=0)
    assert only_start.n_iter == 0 and only_start.means.shape == (1, 3, 2)
    np.testing.assert_array_equal(only_start.means[0], path.means[0])
    with pytest.raises(AttributeError):
        path.n_iter = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        path.weights = None


def test_em_path_errors():
    X, _ = blobs(20)
    with pytest.raises(ValueError, match="`n_iter` must be >= 0; got -1"):
        mx.gmm_em_path(X, 2, n_iter=-1)
    with pytest.raises(TypeError, match=r"`n_iter` must be an integer; got 2\.5"):
        mx.gmm_em_path(X, 2, n_iter=2.5)
    with pytest.raises(ValueError, match="more components than samples"):
        mx.gmm_em_path(X[:3], 4)
    with pytest.raises(TypeError, match="`init_params` must be a tuple"):
        mx.gmm_em_path(X, 2, init_params="kmeans")
    with pytest.raises(ValueError, match="`init_params` has 3 components; expected 2"):
        mx.gmm_em_path(X, 2, init_params=(WEIGHTS, MEANS, COVARIANCES))
    with pytest.raises(ValueError, match="`reg_covar` must be >= 0; got -1"):
        mx.gmm_em_path(X, 2, reg_covar=-1.0)
    start = ([1.0, 0.0], [[0.0, 0.0], [1.0, 1.0]], [np.eye(2), np.eye(2)])
    with pytest.raises(ValueError, match=r"component 1 collapsed: it holds no data"):
        mx.gmm_em_path(X, 2, n_iter=3, init_params=start)


# ------------------------------------------------------------------------------------------
# Sampling
# ------------------------------------------------------------------------------------------


def test_sample_gmm_moments():
    n = 60_000
    X, labels = mx.sample_gmm(n, WEIGHTS, MEANS, COVARIANCES, rng=7)
    counts = np.bincount(labels, minlength=3)
    assert np.all(np.abs(counts / n - WEIGHTS) < 4 * np.sqrt(WEIGHTS * (1 - WEIGHTS) / n))
    for k in range(3):
        Xk = X[labels == k]
        se = np.sqrt(np.diag(COVARIANCES[k]) / len(Xk))
        assert np.all(np.abs(Xk.mean(axis=0) - MEANS[k]) < 4 * se)
        np.testing.assert_allclose(np.cov(Xk.T), COVARIANCES[k], atol=0.05)


# ------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------


def test_errors():
    X, _ = blobs(20)
    with pytest.raises(ValueError, match="more components than samples"):
        mx.gmm_em(X[:3], 4)
    with pytest.raises(ValueError, match="`n_components` must be >= 1; got 0"):
        mx.gmm_em(X, 0)
    with pytest.raises(ValueError, match="`X` must not be empty"):
        mx.gmm_em(np.empty((0, 2)), 1)
    with pytest.raises(ValueError, match="`X` must contain only finite values; got nan"):
        mx.gmm_em(np.where(X > 1, np.nan, X), 2)
    with pytest.raises(ValueError, match="`reg_covar` must be >= 0; got -1"):
        mx.gmm_em(X, 2, reg_covar=-1.0)
    with pytest.raises(ValueError, match="`weights` must be nonnegative; got min"):
        mx.gmm_log_likelihood(X, [1.2, -0.2, 0.0], MEANS, COVARIANCES)
    with pytest.raises(ValueError, match=r"`weights` must sum to 1 \(a pmf\); got sum"):
        mx.gmm_log_likelihood(X, [0.2, 0.2, 0.2], MEANS, COVARIANCES)
    with pytest.raises(ValueError, match=r"`covariances\[1\]` must be positive definite"):
        mx.gmm_log_likelihood(X, WEIGHTS, MEANS, [np.eye(2), [[1.0, 2.0], [2.0, 1.0]], np.eye(2)])
    with pytest.raises(ValueError, match="`covariances` must be symmetric"):
        mx.gmm_e_step(X, WEIGHTS, MEANS, [np.eye(2), [[1.0, 0.2], [0.0, 1.0]], np.eye(2)])
    with pytest.raises(ValueError, match=r"`means` must have shape \(n_components, 2\)"):
        mx.gmm_e_step(X, WEIGHTS, MEANS[:, :1], COVARIANCES)
    with pytest.raises(ValueError, match=r"`covariances` must have shape \(n_components, d, d\)"):
        mx.gmm_e_step(X, WEIGHTS, MEANS, COVARIANCES[:2])
    with pytest.raises(ValueError, match="same number of components; got 2 and 3"):
        mx.gmm_e_step(X, [0.5, 0.5], MEANS, COVARIANCES)
    with pytest.raises(ValueError, match="each row of `responsibilities` must sum to 1; row 0"):
        mx.gmm_m_step(X, np.full((20, 3), 0.5))
    with pytest.raises(ValueError, match="`responsibilities` must be nonnegative"):
        mx.gmm_m_step(X, np.tile([1.5, -0.5, 0.0], (20, 1)))
    with pytest.raises(ValueError, match=r"one row per sample \(20\); got shape \(19, 3\)"):
        mx.gmm_m_step(X, np.full((19, 3), 1 / 3))
    with pytest.raises(ValueError, match=r"labels must be integers in 0\.\.2"):
        mx.gmm_complete_data_log_likelihood(X, np.full(20, 3), WEIGHTS, MEANS, COVARIANCES)
    with pytest.raises(TypeError, match="`init_params` must be a tuple"):
        mx.gmm_em(X, 2, init_params="kmeans")
    with pytest.raises(ValueError, match="`init_params` has 3 components; expected 2"):
        mx.gmm_em(X, 2, init_params=(WEIGHTS, MEANS, COVARIANCES))
    with pytest.raises(ValueError, match="`n` must be >= 1; got -5"):
        mx.sample_gmm(-5, WEIGHTS, MEANS, COVARIANCES)


def test_everything_is_reexported():
    for name in mx.__all__:
        assert getattr(pgm, name) is getattr(mx, name)
