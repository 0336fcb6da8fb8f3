"""Section 1.2 — discriminative versus generative classifiers.

A discriminative classifier models :math:`P(Y = 1 \\mid X = x)` directly, e.g. the logistic model
of eq. (1.2). A generative classifier models the class prior :math:`P(Y = 1) = \\pi` and the
class-conditionals :math:`f_{\\theta_0}, f_{\\theta_1}` and obtains the posterior by Bayes' rule,
eq. (1.4):

.. math:: P(Y = 1 \\mid X = x) = \\sigma\\!\\left(\\log\\frac{\\pi}{1-\\pi}
          + \\log\\frac{f_{\\theta_1}(x)}{f_{\\theta_0}(x)}\\right),
          \\qquad \\sigma(s) = \\frac{1}{1 + e^{-s}}.

With Gaussian class-conditionals the log-odds is a quadratic function of :math:`x`, and an affine
one when the two covariances are equal (Exercise 1.1): the generative model then yields exactly
the logistic form of eq. (1.2). Here everything is computed in log space, so points far from both
classes give posteriors of 0 or 1, never ``nan``.

Erratum: the notes write the class probabilities as :math:`p(Y = y) = (\\pi, 1 - \\pi)`, which
read in order :math:`y = 0, 1` gives :math:`P(Y = 0) = \\pi`; eq. (1.4) needs
:math:`\\pi = P(Y = 1)`, the convention used here (argument ``prior1``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import linalg, special

from ._linalg import _inverse_lower
from ._validation import (
    as_float_array,
    as_scalar,
    check_count,
    check_covariance,
    check_probability,
    check_rng,
)

__all__ = [
    "gaussian_class_log_odds",
    "gaussian_class_posterior",
    "gaussian_log_odds_coefficients",
    "log_sigmoid",
    "logistic_posterior",
    "sample_gaussian_classes",
    "sigmoid",
]

_LOG_2PI = math.log(2.0 * math.pi)


def _check_no_nan(z: Any, name: str) -> np.ndarray:
    z = as_float_array(z, name, allow_empty=True, finite=False)
    if np.any(np.isnan(z)):
        raise ValueError(f"`{name}` must not contain nan")
    return z


def sigmoid(z: Any) -> np.ndarray | float:
    """The logistic function :math:`\\sigma(z) = 1 / (1 + e^{-z})`, computed stably.

    Parameters
    ----------
    z : array_like
        Any real values (``±inf`` allowed: they give 0 and 1).

    Returns
    -------
    float or ndarray
        :math:`\\sigma(z)` with the shape of `z`; no overflow warnings for large :math:`|z|`.

    Raises
    ------
    TypeError
        If `z` is not numeric.
    ValueError
        If `z` contains ``nan``.

    Notes
    -----
    Eqs. (1.2), (1.4) and (1.12). Evaluated as :func:`scipy.special.expit`, which never forms
    :math:`e^{-z}` for large negative :math:`z`. Symmetry: :math:`\\sigma(-z) = 1 - \\sigma(z)`.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid(np.array([-1000.0, 1000.0])).tolist()
    [0.0, 1.0]
    >>> bool(np.isclose(sigmoid(2.0) + sigmoid(-2.0), 1.0, rtol=1e-15))
    True
    """
    z = _check_no_nan(z, "z")
    out = special.expit(z)
    return float(out) if out.ndim == 0 else out


def log_sigmoid(z: Any) -> np.ndarray | float:
    """:math:`\\log \\sigma(z) = -\\log(1 + e^{-z})`, accurate for large :math:`|z|`.

    Parameters
    ----------
    z : array_like
        Real values (``nan`` refused).

    Returns
    -------
    float or ndarray
        With the shape of `z`. Note :math:`\\log(1 - \\sigma(z)) = \\log\\sigma(-z)`, which is
        how the log-likelihood (1.14) is evaluated without cancellation.

    Raises
    ------
    ValueError
        If `z` contains ``nan``.

    Examples
    --------
    >>> float(log_sigmoid(-800.0))  # log(sigmoid(-800)) underflows; this does not
    -800.0
    >>> bool(np.isclose(log_sigmoid(1.5), np.log(sigmoid(1.5)), rtol=1e-15))
    True
    """
    z = _check_no_nan(z, "z")
    out = -np.logaddexp(0.0, -z)
    return float(out) if out.ndim == 0 else out


def logistic_posterior(x: Any, theta: Any, intercept: float = 0.0) -> np.ndarray | float:
    """The discriminative model of eq. (1.2): :math:`P(Y=1 \\mid x) = \\sigma(\\theta^\\top x + b)`.

    Parameters
    ----------
    x : array_like, shape (d,) or (n, d)
        One point or ``n`` points (for ``d = 1`` also a scalar or shape ``(n,)``).
    theta : array_like, shape (d,)
        Weights.
    intercept : float, default 0
        :math:`b`; the notes' eq. (1.2) has none (absorb it with a constant feature), while
        Example 1.5's feature extractor :math:`s(x) = a^\\top x + b` has one.

    Returns
    -------
    float or ndarray, shape (n,)

    Raises
    ------
    ValueError
        If shapes disagree or values are not finite.

    Examples
    --------
    >>> logistic_posterior([[0.0, 0.0], [1.0, 2.0]], [1.0, -0.5], intercept=0.0).tolist()
    [0.5, 0.5]
    """
    theta = as_float_array(theta, "theta", ndim=(0, 1)).reshape(-1)
    X, single = _as_points(x, theta.size)
    b = as_scalar(intercept, "intercept")
    return _single_or_batch(sigmoid(X @ theta + b), single)


def _as_points(x: Any, d: int) -> tuple[np.ndarray, bool]:
    """Points as an (n, d) array, and whether a single point (or scalar) came in."""
    x = as_float_array(x, "x", ndim=(0, 1, 2))
    if x.ndim == 0 and d == 1:
        return x.reshape(1, 1), True
    if x.ndim == 1 and d == 1:
        return x.reshape(-1, 1), False
    if x.ndim == 1 and x.shape[0] == d:
        return x.reshape(1, d), True
    if x.ndim == 2 and x.shape[1] == d:
        return x, False
    raise ValueError(
        f"`x` must be one point of shape ({d},) or points of shape (n, {d}) (the dimension of "
        f"the means); got shape {x.shape}"
    )


def _single_or_batch(values: np.ndarray, single: bool) -> np.ndarray | float:
    return float(values[0]) if single else values


def _gaussian_parameters(mean0, cov0, mean1, cov1):
    mean0 = as_float_array(mean0, "mean0", ndim=(0, 1)).reshape(-1)
    mean1 = as_float_array(mean1, "mean1", ndim=(0, 1)).reshape(-1)
    if mean0.shape != mean1.shape:
        raise ValueError(
            f"`mean0` and `mean1` must have the same shape; got {mean0.shape} and {mean1.shape}"
        )
    d = mean0.size
    return mean0, check_covariance(cov0, "cov0", d), mean1, check_covariance(cov1, "cov1", d)


def _gaussian_logpdf(X: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """log N(x; mean, cov) for the rows of X, through the Cholesky factor L of cov."""
    chol = np.linalg.cholesky(cov)
    z = (X - mean) @ _inverse_lower(chol).T
    half_logdet = np.sum(np.log(np.diag(chol)))
    return -0.5 * np.einsum("ij,ij->i", z, z) - half_logdet - 0.5 * mean.size * _LOG_2PI


def _log_prior_odds(prior1: Any) -> float:
    pi = float(check_probability(as_scalar(prior1, "prior1"), "prior1"))
    with np.errstate(divide="ignore"):
        return float(np.log(pi) - np.log1p(-pi))


def gaussian_class_log_odds(
    x: Any, prior1: float, mean0: Any, cov0: Any, mean1: Any, cov1: Any
) -> np.ndarray | float:
    """Log-odds :math:`\\log P(Y=1 \\mid x) - \\log P(Y=0 \\mid x)` for Gaussian classes.

    Parameters
    ----------
    x : array_like, shape (d,) or (n, d)
        One point or ``n`` points (for ``d = 1`` also a scalar or a 1-D array of points).
    prior1 : float
        :math:`\\pi = P(Y = 1)`, in [0, 1].
    mean0, mean1 : array_like, shape (d,)
        Class means (scalars for ``d = 1``).
    cov0, cov1 : array_like, shape (d, d)
        Class covariances, symmetric positive definite (scalars for ``d = 1``).

    Returns
    -------
    float or ndarray, shape (n,)
        The argument of the sigmoid in eq. (1.4); ``±inf`` when ``prior1`` is 1 or 0.

    Raises
    ------
    ValueError
        If `prior1` is outside [0, 1], a covariance is not positive definite, shapes disagree,
        or `x` is empty or not finite.

    Notes
    -----
    .. math:: \\log\\frac{\\pi}{1-\\pi} + \\log \\mathcal{N}(x; \\mu_1, \\Sigma_1)
              - \\log \\mathcal{N}(x; \\mu_0, \\Sigma_0),

    with each log-density evaluated from a Cholesky factor :math:`\\Sigma = LL^\\top` as
    :math:`-\\tfrac12\\|L^{-1}(x-\\mu)\\|^2 - \\sum_i \\log L_{ii} - \\tfrac d2 \\log 2\\pi`.

    Examples
    --------
    >>> float(gaussian_class_log_odds(0.0, 0.5, -1.0, 1.0, 1.0, 1.0))
    0.0
    >>> float(gaussian_class_log_odds(1.0, 0.5, -1.0, 1.0, 1.0, 1.0))  # equal variances: 2x
    2.0
    """
    mean0, cov0, mean1, cov1 = _gaussian_parameters(mean0, cov0, mean1, cov1)
    X, single = _as_points(x, mean0.size)
    log_prior_odds = _log_prior_odds(prior1)
    if not np.isfinite(log_prior_odds):  # prior1 is 0 or 1: the data cannot change it
        return _single_or_batch(np.full(X.shape[0], log_prior_odds), single)
    with np.errstate(over="ignore", invalid="ignore"):
        log_odds = (
            log_prior_odds + _gaussian_logpdf(X, mean1, cov1) - _gaussian_logpdf(X, mean0, cov0)
        )
    overflowed = np.isnan(log_odds)  # |x| ~ 1e155 and beyond: both log-densities are -inf
    if np.any(overflowed):
        A, b, c = _log_odds_coefficients(log_prior_odds, mean0, cov0, mean1, cov1)
        log_odds[overflowed] = _quadratic_far_away(X[overflowed], A, b, c)
    return _single_or_batch(log_odds, single)


def _quadratic_far_away(X: np.ndarray, A: np.ndarray, b: np.ndarray, c: float) -> np.ndarray:
    """x'Ax + b'x + c for huge x, as s (s u'Au + b'u) + c with x = s u, |u|_max = 1: overflows
    to the right infinity instead of inf - inf = nan."""
    scale = np.max(np.abs(X), axis=1)
    u = X / scale[:, None]
    with np.errstate(over="ignore"):
        return scale * (scale * np.einsum("ni,ij,nj->n", u, A, u) + u @ b) + c


def gaussian_class_posterior(
    x: Any, prior1: float, mean0: Any, cov0: Any, mean1: Any, cov1: Any
) -> np.ndarray | float:
    """:math:`P(Y = 1 \\mid X = x)` for Gaussian class-conditionals, by eq. (1.4).

    Parameters
    ----------
    x : array_like, shape (d,) or (n, d)
        One point or ``n`` points (for ``d = 1`` also a scalar or a 1-D array of points).
    prior1 : float
        :math:`\\pi = P(Y = 1)`, in [0, 1].
    mean0, cov0 : array_like
        :math:`f_{\\theta_0} = \\mathcal{N}(\\mu_0, \\Sigma_0)`, shapes (d,) and (d, d).
    mean1, cov1 : array_like
        :math:`f_{\\theta_1} = \\mathcal{N}(\\mu_1, \\Sigma_1)`.

    Returns
    -------
    float or ndarray, shape (n,)
        Posterior probabilities in [0, 1]; exactly 0 or 1 far from both classes, never ``nan``.

    Raises
    ------
    ValueError
        As :func:`gaussian_class_log_odds`.

    Notes
    -----
    Eq. (1.4): :math:`P(Y=1\\mid x) = \\sigma\\bigl(\\log\\frac{\\pi}{1-\\pi}
    + \\log f_{\\theta_1}(x) - \\log f_{\\theta_0}(x)\\bigr)`, the log-odds from
    :func:`gaussian_class_log_odds`. Computing :math:`\\pi f_1 / (\\pi f_1 + (1-\\pi) f_0)` directly
    gives ``0/0 = nan`` once both densities underflow; the log-odds stays finite.

    Examples
    --------
    >>> from scipy import stats
    >>> X = np.array([[0.0, 0.0], [1e3, 0.0]])
    >>> p = gaussian_class_posterior(X, 0.3, [0, 0], np.eye(2), [1, 0], 2 * np.eye(2))
    >>> f0 = stats.multivariate_normal([0, 0], np.eye(2)).pdf(X[0])
    >>> f1 = stats.multivariate_normal([1, 0], 2 * np.eye(2)).pdf(X[0])
    >>> bool(np.isclose(p[0], 0.3 * f1 / (0.3 * f1 + 0.7 * f0), rtol=1e-12))
    True
    >>> float(p[1])  # both densities underflow at (1000, 0); Bayes' rule written out gives nan
    1.0
    """
    return sigmoid(gaussian_class_log_odds(x, prior1, mean0, cov0, mean1, cov1))


def gaussian_log_odds_coefficients(
    prior1: float, mean0: Any, cov0: Any, mean1: Any, cov1: Any
) -> tuple[np.ndarray, np.ndarray, float]:
    """Exercise 1.1: the log-odds of eq. (1.4) as a quadratic :math:`x^\\top A x + b^\\top x + c`.

    Parameters
    ----------
    prior1 : float
        :math:`\\pi = P(Y = 1)`, in the open interval (0, 1) (otherwise :math:`c` is infinite).
    mean0, cov0, mean1, cov1 : array_like
        The Gaussian class-conditionals, as in :func:`gaussian_class_posterior`.

    Returns
    -------
    A : ndarray, shape (d, d)
        :math:`\\tfrac12(\\Sigma_0^{-1} - \\Sigma_1^{-1})`, symmetric; exactly zero when
        ``cov0`` equals ``cov1``.
    b : ndarray, shape (d,)
        :math:`\\Sigma_1^{-1}\\mu_1 - \\Sigma_0^{-1}\\mu_0`.
    c : float
        :math:`\\log\\frac{\\pi}{1-\\pi} - \\tfrac12\\mu_1^\\top\\Sigma_1^{-1}\\mu_1
        + \\tfrac12\\mu_0^\\top\\Sigma_0^{-1}\\mu_0
        + \\tfrac12\\log\\frac{\\det\\Sigma_0}{\\det\\Sigma_1}`.

    Raises
    ------
    ValueError
        If `prior1` is not in (0, 1), a covariance is not positive definite, or shapes disagree.

    Notes
    -----
    Expanding the two Gaussian log-densities in eq. (1.4) gives the posterior
    :math:`\\sigma(x^\\top A x + b^\\top x + c)`: a quadratic decision boundary in general
    (quadratic discriminant analysis). When :math:`\\Sigma_0 = \\Sigma_1 = \\Sigma` the quadratic
    terms cancel, :math:`A = 0`, and the posterior is :math:`\\sigma(b^\\top x + c)` with
    :math:`b = \\Sigma^{-1}(\\mu_1 - \\mu_0)`: exactly the logistic model of eq. (1.2)
    (with an intercept). The generative model implies the discriminative one, not conversely.

    Examples
    --------
    >>> A, b, c = gaussian_log_odds_coefficients(0.5, [0.0, 0.0], np.eye(2), [2.0, 0.0], np.eye(2))
    >>> A.tolist(), b.tolist(), c
    ([[0.0, 0.0], [0.0, 0.0]], [2.0, 0.0], -2.0)
    >>> x = np.array([0.3, -1.2])
    >>> bool(np.isclose(x @ A @ x + b @ x + c,
    ...                 gaussian_class_log_odds(x, 0.5, [0, 0], np.eye(2), [2, 0], np.eye(2))))
    True
    """
    mean0, cov0, mean1, cov1 = _gaussian_parameters(mean0, cov0, mean1, cov1)
    pi = float(check_probability(as_scalar(prior1, "prior1"), "prior1", closed=False))
    return _log_odds_coefficients(math.log(pi) - math.log1p(-pi), mean0, cov0, mean1, cov1)


def _log_odds_coefficients(log_prior_odds, mean0, cov0, mean1, cov1):
    chol0, chol1 = linalg.cho_factor(cov0, lower=True), linalg.cho_factor(cov1, lower=True)
    identity = np.eye(mean0.size)
    precision0, precision1 = linalg.cho_solve(chol0, identity), linalg.cho_solve(chol1, identity)
    if np.array_equal(cov0, cov1):
        A = np.zeros_like(cov0)
    else:
        A = 0.5 * (precision0 - precision1)
        A = 0.5 * (A + A.T)
    b = linalg.cho_solve(chol1, mean1) - linalg.cho_solve(chol0, mean0)
    logdet0 = 2.0 * np.sum(np.log(np.diag(chol0[0])))
    logdet1 = 2.0 * np.sum(np.log(np.diag(chol1[0])))
    c = (
        log_prior_odds
        - 0.5 * mean1 @ linalg.cho_solve(chol1, mean1)
        + 0.5 * mean0 @ linalg.cho_solve(chol0, mean0)
        + 0.5 * (logdet0 - logdet1)
    )
    return A, b, float(c)


def sample_gaussian_classes(
    n: int,
    prior1: float,
    mean0: Any,
    cov0: Any,
    mean1: Any,
    cov1: Any,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw labelled data from the generative model of eq. (1.3).

    Parameters
    ----------
    n : int
        Number of pairs (>= 1).
    prior1, mean0, cov0, mean1, cov1
        The model, as in :func:`gaussian_class_posterior`.
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray of int, shape (n,)
        Labels in {0, 1}.

    Raises
    ------
    ValueError
        As :func:`gaussian_class_posterior`, or if `n` < 1.

    Notes
    -----
    Ancestral sampling through the factorisation (1.3), :math:`p(x, y) = p(x \\mid y)\\,p(y)`:
    first :math:`y_i \\sim \\mathrm{Bernoulli}(\\pi)`, then
    :math:`x_i = \\mu_{y_i} + L_{y_i} z_i` with :math:`z_i \\sim \\mathcal{N}(0, I)` and
    :math:`L_k L_k^\\top = \\Sigma_k`. This is what a discriminative model cannot do.

    Examples
    --------
    >>> X, y = sample_gaussian_classes(1000, 0.25, [0, 0], np.eye(2), [3, 3], np.eye(2), rng=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((1000, 2), [0, 1])
    """
    n = check_count(n, "n", minimum=1)
    mean0, cov0, mean1, cov1 = _gaussian_parameters(mean0, cov0, mean1, cov1)
    pi = float(check_probability(as_scalar(prior1, "prior1"), "prior1"))
    generator = check_rng(rng)
    y = (generator.random(n) < pi).astype(int)
    z = generator.standard_normal((n, mean0.size))
    x0 = mean0 + z @ linalg.cholesky(cov0, lower=True).T
    x1 = mean1 + z @ linalg.cholesky(cov1, lower=True).T
    return np.where(y[:, None] == 1, x1, x0), y
