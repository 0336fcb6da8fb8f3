"""Section 1.4 — likelihood-based training: Gaussian linear regression and logistic regression.

Maximum likelihood (Definitions 1.2-1.3, eqs. (1.7)-(1.9)) for two of the notes' examples:

- Example 1.4, the linear-Gaussian model :math:`Y \\mid x \\sim \\mathcal{N}(ax, \\sigma^2)` of
  eq. (1.10): log-likelihood (1.11) and its closed-form maximiser (which is least squares for
  :math:`a`, Remark 1.6); plus a replicated-experiment sampler and the Fisher information, to show
  the MLE's consistency and asymptotic normality, :math:`\\sqrt{n}(\\hat\\theta - \\theta)
  \\to \\mathcal{N}(0, I(\\theta)^{-1})`.
- Example 1.5, logistic regression :math:`p_\\theta(y=1 \\mid x) = \\sigma(a^\\top x + b)`
  (eq. (1.12)), fitted by maximising eq. (1.14) with Newton's method. When the two classes can be
  separated by a hyperplane no maximiser exists; :func:`logistic_regression_mle` detects this and
  raises :class:`SeparationError` rather than returning ever-growing coefficients.

Gaussian mixtures (Example 1.6) are in :mod:`pgmlib.mixture`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy import linalg, optimize, special

from ._exceptions import ConvergenceWarning, SeparationError
from ._validation import (
    as_float_array,
    as_scalar,
    check_binary_labels,
    check_count,
    check_positive,
    check_rng,
    check_same_shape,
)

__all__ = [
    "ConvergenceWarning",
    "LogisticRegressionResult",
    "RegressionMLE",
    "SeparationError",
    "gaussian_linear_regression_loglik",
    "gaussian_linear_regression_mle",
    "logistic_log_likelihood",
    "logistic_regression_mle",
    "regression_fisher_information",
    "sample_regression_mle",
]

_LOG_2PI = math.log(2.0 * math.pi)


class RegressionMLE(NamedTuple):
    """The maximum-likelihood estimate of Example 1.4 (unpacks as ``a, sigma2``)."""

    a: float
    sigma2: float


def _regression_data(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    check_same_shape(x, y, "x", "y")
    return x, y


def gaussian_linear_regression_mle(x: Any, y: Any) -> RegressionMLE:
    """Closed-form MLE of :math:`\\theta = (a, \\sigma^2)` in Example 1.4, model (1.10).

    Parameters
    ----------
    x : array_like, shape (n,)
        Inputs; not all zero.
    y : array_like, shape (n,)
        Outputs.

    Returns
    -------
    RegressionMLE
        ``(a, sigma2)`` with :math:`\\hat a = \\sum_n x_n y_n / \\sum_n x_n^2` and
        :math:`\\hat\\sigma^2 = \\frac1N \\sum_n (y_n - \\hat a x_n)^2`.

    Raises
    ------
    ValueError
        If the inputs are empty, not finite or of different shapes; if every :math:`x_n = 0`
        (a degenerate design: :math:`a` does not enter the likelihood); or if the residuals are
        all zero (the likelihood is unbounded as :math:`\\sigma^2 \\to 0`).

    Notes
    -----
    Model (1.10), log-likelihood (1.11). Setting
    :math:`\\partial l / \\partial a = \\sigma^{-2} \\sum_n x_n (y_n - a x_n) = 0` gives the
    least-squares slope (Remark 1.6), and :math:`\\partial l / \\partial \\sigma^2
    = -\\frac{N}{2\\sigma^2} + \\frac{1}{2\\sigma^4}\\sum_n (y_n - a x_n)^2 = 0` gives the mean
    squared residual. (:math:`\\hat\\sigma^2` is biased: :math:`E\\hat\\sigma^2 =
    \\frac{N-1}{N}\\sigma^2`; the MLE need not be unbiased.)

    Examples
    --------
    >>> a, sigma2 = gaussian_linear_regression_mle([1.0, 2.0, 3.0], [2.1, 3.9, 6.2])
    >>> round(a, 6), round(sigma2, 6)
    (2.035714, 0.014048)
    >>> bool(np.isclose(a, np.linalg.lstsq([[1.0], [2.0], [3.0]], [2.1, 3.9, 6.2])[0][0]))
    True
    """
    x, y = _regression_data(x, y)
    sxx = float(x @ x)
    if sxx == 0.0:
        raise ValueError(
            "degenerate design: every `x` is 0, so the slope `a` does not enter the likelihood "
            "(1.11) and has no MLE; the inputs must not all be zero"
        )
    a = float(x @ y) / sxx
    sigma2 = float(np.mean((y - a * x) ** 2))
    if sigma2 == 0.0:
        raise ValueError(
            "the line y = a x fits every point exactly (all residuals are 0), so the likelihood "
            "(1.11) is unbounded as sigma2 -> 0 and has no maximiser; this needs noisy data "
            "(at least two points not on one line through the origin)"
        )
    return RegressionMLE(a, sigma2)


def gaussian_linear_regression_loglik(a: Any, sigma2: Any, x: Any, y: Any) -> np.ndarray | float:
    """Log-likelihood (1.11) of :math:`(a, \\sigma^2)`, vectorised over grids of parameters.

    Parameters
    ----------
    a : float or array_like
        Slope(s).
    sigma2 : float or array_like
        Noise variance(s), > 0; broadcast against `a` (e.g. a meshgrid for a contour plot).
    x, y : array_like, shape (n,)
        The data.

    Returns
    -------
    float or ndarray
        :math:`l(a, \\sigma^2)` with the broadcast shape of `a` and `sigma2`.

    Raises
    ------
    ValueError
        If `sigma2` <= 0, or the data are empty, not finite or of different shapes.

    Notes
    -----
    Eq. (1.11): :math:`l = -\\frac N2 \\log(2\\pi\\sigma^2) - \\frac{1}{2\\sigma^2}\\sum_n
    (y_n - a x_n)^2`. The residual sum of squares is evaluated for every ``a`` at once through
    :math:`\\sum_n (y_n - a x_n)^2 = \\mathrm{RSS}(\\hat a) + (a - \\hat a)^2 \\sum_n x_n^2`
    (both terms nonnegative, so no cancellation), with :math:`\\hat a` the least-squares slope.

    Examples
    --------
    >>> from scipy import stats
    >>> x, y = np.array([0.5, -1.0, 2.0]), np.array([1.2, -1.5, 3.1])
    >>> direct = stats.norm(0.8 * x, np.sqrt(0.4)).logpdf(y).sum()
    >>> bool(np.isclose(gaussian_linear_regression_loglik(0.8, 0.4, x, y), direct, rtol=1e-12))
    True
    """
    x, y = _regression_data(x, y)
    a = as_float_array(a, "a")
    sigma2 = check_positive(sigma2, "sigma2")
    try:
        np.broadcast_shapes(a.shape, sigma2.shape)
    except ValueError as error:
        raise ValueError(
            f"`a` and `sigma2` must broadcast together (e.g. a meshgrid); got shapes {a.shape} "
            f"and {sigma2.shape}"
        ) from error
    sxx = float(x @ x)
    a_hat = float(x @ y) / sxx if sxx > 0 else 0.0
    rss_min = float(np.sum((y - a_hat * x) ** 2))
    rss = rss_min + (a - a_hat) ** 2 * sxx
    loglik = -0.5 * x.size * (_LOG_2PI + np.log(sigma2)) - rss / (2.0 * sigma2)
    return float(loglik) if np.ndim(loglik) == 0 else loglik


def regression_fisher_information(sigma2: Any, x_second_moment: Any = 1.0) -> np.ndarray:
    """Per-observation Fisher information of :math:`\\theta = (a, \\sigma^2)` in model (1.10).

    Parameters
    ----------
    sigma2 : float
        Noise variance, > 0.
    x_second_moment : float, default 1
        :math:`E[x^2]` of the inputs (1 for :math:`x \\sim \\mathcal{N}(0, 1)`), > 0.

    Returns
    -------
    ndarray, shape (2, 2)
        :math:`I(\\theta) = \\mathrm{diag}\\bigl(E[x^2]/\\sigma^2,\\; 1/(2\\sigma^4)\\bigr)`.

    Raises
    ------
    ValueError
        If an argument is not positive and finite.

    Notes
    -----
    With :math:`\\log p(y \\mid x) = -\\tfrac12\\log(2\\pi\\sigma^2) - (y - ax)^2/(2\\sigma^2)`,
    :math:`I(\\theta) = -E[\\nabla^2_\\theta \\log p]`; the cross term vanishes because
    :math:`E[x(y - ax)] = 0`. Asymptotic normality (Section 1.4) then says
    :math:`\\sqrt n(\\hat a - a) \\to \\mathcal N(0, \\sigma^2/E[x^2])` and
    :math:`\\sqrt n(\\hat\\sigma^2 - \\sigma^2) \\to \\mathcal N(0, 2\\sigma^4)`, independently.

    Examples
    --------
    >>> regression_fisher_information(2.0).tolist()
    [[0.5, 0.0], [0.0, 0.125]]
    >>> np.linalg.inv(regression_fisher_information(2.0)).tolist()  # asymptotic covariance
    [[2.0, 0.0], [0.0, 8.0]]
    """
    sigma2 = float(check_positive(as_scalar(sigma2, "sigma2"), "sigma2"))
    second = float(check_positive(as_scalar(x_second_moment, "x_second_moment"), "x_second_moment"))
    return np.diag([second / sigma2, 1.0 / (2.0 * sigma2**2)])


def sample_regression_mle(
    a: float,
    sigma2: float,
    n: int,
    n_replicates: int,
    rng: np.random.Generator | int | None = None,
) -> RegressionMLE:
    """Replicate Example 1.4 many times and return the MLE of each replicate.

    Each replicate draws :math:`x_i \\sim \\mathcal N(0, 1)` and
    :math:`y_i = a x_i + \\epsilon_i`, :math:`\\epsilon_i \\sim \\mathcal N(0, \\sigma^2)`,
    :math:`i = 1..n`, and computes :func:`gaussian_linear_regression_mle`.

    Parameters
    ----------
    a : float
        True slope.
    sigma2 : float
        True noise variance, > 0.
    n : int
        Observations per replicate, >= 2.
    n_replicates : int
        Number of replicates, >= 1.
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    RegressionMLE
        ``(a, sigma2)`` as two arrays of shape ``(n_replicates,)``.

    Raises
    ------
    TypeError
        If `n` or `n_replicates` is not an integer.
    ValueError
        If `n` < 2, `n_replicates` < 1 or `sigma2` <= 0.

    Notes
    -----
    Vectorised over replicates, in blocks of about :math:`2^{21}` draws to bound memory. Exact
    finite-sample facts for checking: :math:`E\\hat a = a`,
    :math:`\\mathrm{Var}\\,\\hat a = \\sigma^2/(n-2)`, and :math:`n\\hat\\sigma^2/\\sigma^2 \\sim
    \\chi^2_{n-1}` independently of :math:`\\hat a`. As :math:`n` grows,
    :math:`n\\,\\mathrm{Cov}(\\hat a, \\hat\\sigma^2) \\to I(\\theta)^{-1}`
    (:func:`regression_fisher_information`).

    Examples
    --------
    >>> est = sample_regression_mle(2.0, 0.5, n=400, n_replicates=2000, rng=0)
    >>> est.a.shape
    (2000,)
    >>> bool(abs(est.a.mean() - 2.0) < 4 * np.sqrt(0.5 / 398 / 2000))  # unbiased slope
    True
    """
    a = as_scalar(a, "a")
    sigma2 = float(check_positive(as_scalar(sigma2, "sigma2"), "sigma2"))
    n = check_count(n, "n", minimum=2)
    n_replicates = check_count(n_replicates, "n_replicates", minimum=1)
    generator = check_rng(rng)
    block = max(1, (1 << 21) // n)
    a_hat, sigma2_hat = np.empty(n_replicates), np.empty(n_replicates)
    for start in range(0, n_replicates, block):
        rows = slice(start, min(start + block, n_replicates))
        size = (rows.stop - rows.start, n)
        x = generator.standard_normal(size)
        y = a * x + math.sqrt(sigma2) * generator.standard_normal(size)
        a_hat[rows] = np.einsum("ij,ij->i", x, y) / np.einsum("ij,ij->i", x, x)
        sigma2_hat[rows] = np.mean((y - a_hat[rows, None] * x) ** 2, axis=1)
    return RegressionMLE(a_hat, sigma2_hat)


# --------------------------------------------------------------------------------------------
# Example 1.5: logistic regression
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogisticRegressionResult:
    """Maximum-likelihood logistic regression (Example 1.5).

    Attributes
    ----------
    coef : ndarray, shape (d,)
        :math:`\\hat a`.
    intercept : float
        :math:`\\hat b` (0.0 when fitted without an intercept).
    log_likelihood : float
        Eq. (1.14) at the estimate.
    n_iter : int
        Newton iterations taken.
    converged : bool
        Whether the Newton decrement fell below ``tol``.
    covariance : ndarray, shape (d + 1, d + 1) or (d, d)
        Inverse observed Fisher information :math:`(Z^\\top W Z)^{-1}` at the estimate (order:
        ``coef`` then ``intercept``): the asymptotic covariance of the MLE, whose diagonal holds
        the squared standard errors.
    """

    coef: np.ndarray
    intercept: float
    log_likelihood: float
    n_iter: int
    converged: bool
    covariance: np.ndarray

    def predict_proba(self, X: Any) -> np.ndarray:
        """:math:`P(Y = 1 \\mid x) = \\sigma(\\hat a^\\top x + \\hat b)` for the rows of ``X``."""
        X = _design(X, "X")
        if X.shape[1] != self.coef.size:
            raise ValueError(f"`X` must have {self.coef.size} columns; got shape {X.shape}")
        return special.expit(X @ self.coef + self.intercept)


def _design(X: Any, name: str) -> np.ndarray:
    X = as_float_array(X, name, ndim=(1, 2))
    return X.reshape(-1, 1) if X.ndim == 1 else X


def _log_likelihood(s: np.ndarray, y: np.ndarray) -> float:
    """Eq. (1.14) from the scores s: sum_n log sigma(t_n s_n), t = 2y - 1, computed stably."""
    return -float(np.sum(np.logaddexp(0.0, np.where(y == 1, -s, s))))


def logistic_log_likelihood(coef: Any, intercept: float, X: Any, y: Any) -> float:
    """Log-likelihood (1.14) of logistic regression with :math:`s(x) = a^\\top x + b`.

    Parameters
    ----------
    coef : array_like, shape (d,)
        :math:`a`.
    intercept : float
        :math:`b`.
    X : array_like, shape (n, d)
        Inputs (shape ``(n,)`` is read as ``d = 1``).
    y : array_like, shape (n,)
        Labels in {0, 1}.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If labels are not in {0, 1}, shapes disagree, or values are empty or not finite.

    Notes
    -----
    Eq. (1.14), :math:`l(\\theta) = \\sum_n y_n \\log\\sigma(s_n) + (1-y_n)\\log(1-\\sigma(s_n))`,
    evaluated as :math:`-\\sum_n \\log(1 + e^{-t_n s_n})` with :math:`t_n = 2y_n - 1` (using
    :math:`1 - \\sigma(s) = \\sigma(-s)`), which neither overflows nor takes :math:`\\log 0`.
    It is minus :math:`N` times the average binary cross-entropy between the labels and the
    predicted probabilities: the "familiar expression" the notes allude to.

    Examples
    --------
    >>> X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0, 1, 1])
    >>> p = 1 / (1 + np.exp(-(1.5 * X[:, 0] - 1.0)))
    >>> direct = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    >>> bool(np.isclose(logistic_log_likelihood([1.5], -1.0, X, y), direct, rtol=1e-13))
    True
    """
    X, y = _logistic_data(X, y)
    coef = as_float_array(coef, "coef", ndim=(0, 1)).reshape(-1)
    if coef.size != X.shape[1]:
        raise ValueError(f"`coef` must have {X.shape[1]} entries (columns of X); got {coef.size}")
    return _log_likelihood(X @ coef + as_scalar(intercept, "intercept"), y)


def _logistic_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = _design(X, "X")
    y = check_binary_labels(y, "y")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"`X` and `y` must have the same number of rows; got {X.shape[0]} and {y.shape[0]}"
        )
    return X, y


def _separating_direction(Z: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """A direction theta != 0 with t_n z_n.theta >= 0 for all n and > 0 for some, if any.

    Linear programme (Konis, 2007): maximise sum_n t_n z_n.theta subject to t_n z_n.theta >= 0
    and -1 <= theta_j <= 1 (columns scaled to unit max-norm). The optimum is 0 exactly when the
    classes overlap, i.e. when the logistic MLE exists (Albert and Anderson, 1984).
    """
    t = 2.0 * y - 1.0
    scale = np.max(np.abs(Z), axis=0)
    A = t[:, None] * (Z / scale)
    result = optimize.linprog(
        -A.sum(axis=0), A_ub=-A, b_ub=np.zeros(len(y)), bounds=(-1, 1), method="highs"
    )
    if result.status != 0 or -result.fun <= 1e-7 * len(y):
        return None
    return result.x / scale


def _newton_step(Z, y, theta, s, loglik):
    """One damped Newton step on (1.14): direction (Z'WZ)^-1 Z'(y - p), halved until l rises."""
    p = special.expit(s)
    gradient = Z.T @ (y - p)
    hessian = (Z * (p * (1.0 - p))[:, None]).T @ Z
    try:  # numpy's solve: no warning when the separated points make the Hessian ill-conditioned
        step = np.linalg.solve(hessian, gradient)
    except np.linalg.LinAlgError:
        step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
    decrement = float(gradient @ step)
    for _ in range(60):
        new_theta = theta + step
        new_s = Z @ new_theta
        new_loglik = _log_likelihood(new_s, y)
        if new_loglik >= loglik:
            return new_theta, new_s, new_loglik, decrement
        step = 0.5 * step
    return theta, s, loglik, decrement


def logistic_regression_mle(
    X: Any,
    y: Any,
    *,
    fit_intercept: bool = True,
    max_iter: int = 100,
    tol: float = 1e-14,
) -> LogisticRegressionResult:
    """Unpenalised maximum-likelihood logistic regression, by Newton's method (IRLS).

    Parameters
    ----------
    X : array_like, shape (n, d)
        Inputs (shape ``(n,)`` is read as ``d = 1``).
    y : array_like, shape (n,)
        Labels in {0, 1}; both classes must occur.
    fit_intercept : bool, default True
        Fit :math:`s(x) = a^\\top x + b` (Example 1.5); False fits :math:`s(x) = a^\\top x`
        (eq. (1.2)).
    max_iter : int, default 100
        Maximum Newton iterations.
    tol : float, default 1e-14
        Stop when half the Newton decrement, :math:`\\tfrac12 g^\\top H^{-1} g` (the predicted
        gain in log-likelihood), falls below `tol`.

    Returns
    -------
    LogisticRegressionResult

    Raises
    ------
    SeparationError
        (a ``ValueError``) if the classes are linearly or quasi-linearly separable: then (1.14)
        approaches its supremum only as the coefficients run off to infinity and no MLE exists.
        The message says how to proceed (a penalised fit, or dropping the separating feature).
    ValueError
        If labels are not in {0, 1} or only one class occurs, inputs are empty, not finite or of
        mismatched length, or the columns of ``X`` (with the intercept) are linearly dependent.

    Warns
    -----
    ConvergenceWarning
        If the tolerance is not met within `max_iter` iterations (``converged=False``).

    Notes
    -----
    Maximises eq. (1.14) with :math:`s(x) = a^\\top x + b` (Example 1.5). With
    :math:`z_n = (x_n, 1)`, :math:`p_n = \\sigma(\\theta^\\top z_n)` and
    :math:`W = \\mathrm{diag}(p_n(1-p_n))`, the gradient is :math:`Z^\\top(y - p)` and the
    Hessian :math:`-Z^\\top W Z`; each iteration takes the Newton step
    :math:`(Z^\\top W Z)^{-1} Z^\\top (y - p)`, halved until the log-likelihood does not drop.
    The objective is concave, so this converges (quadratically, near the optimum) whenever the
    MLE exists. It does not exist when some :math:`\\theta \\ne 0` has
    :math:`(2y_n - 1)\\,\\theta^\\top z_n \\ge 0` for all :math:`n` (Albert and Anderson, 1984);
    a fitted :math:`\\theta` that classifies every point correctly proves it at once, and a
    linear programme settles the remaining (quasi-separated) cases when the iterates run off.

    References
    ----------
    A. Albert and J. A. Anderson (1984), On the existence of maximum likelihood estimates in
    logistic regression models, Biometrika 71(1), 1-10.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 2))
    >>> y = (rng.random(500) < 1 / (1 + np.exp(-(X @ [2.0, -1.0] + 0.5)))).astype(int)
    >>> fit = logistic_regression_mle(X, y)
    >>> fit.converged, fit.coef.round(2).tolist(), round(fit.intercept, 2)
    (True, [1.82, -0.93], 0.39)
    >>> gradient = np.c_[X, np.ones(500)].T @ (y - fit.predict_proba(X))  # zero at the MLE
    >>> bool(np.max(np.abs(gradient)) < 1e-9)
    True
    >>> logistic_regression_mle([0.0, 1.0, 2.0, 3.0], [0, 0, 1, 1])
    Traceback (most recent call last):
      ...
    pgmlib.SeparationError: the classes are linearly separable: ...
    """
    X, y = _logistic_data(X, y)
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    tol = float(check_positive(as_scalar(tol, "tol"), "tol"))
    if y.min() == y.max():
        raise ValueError(
            f"`y` must contain both classes; every label is {int(y[0])}, so (1.14) grows "
            "without bound as the intercept runs to infinity and there is no MLE"
        )
    Z = np.column_stack([X, np.ones(len(y))]) if fit_intercept else X
    rank = np.linalg.matrix_rank(Z)
    if rank < Z.shape[1]:
        raise ValueError(
            f"the columns of `X`{' and the intercept column' if fit_intercept else ''} are "
            f"linearly dependent (rank {rank} < {Z.shape[1]}): the coefficients are not "
            "identifiable; drop redundant or constant features"
        )
    theta = np.zeros(Z.shape[1])
    s = np.zeros(len(y))
    loglik = _log_likelihood(s, y)
    converged, n_iter = False, 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007
        theta, s, loglik, decrement = _newton_step(Z, y, theta, s, loglik)
        if np.all(np.where(y == 1, s, -s) > 0):
            _raise_separation(theta, complete=True)
        if 0.5 * decrement < tol:
            converged = True
            break
    if not converged or np.max(np.abs(s)) > 25.0:
        direction = _separating_direction(Z, y)
        if direction is not None:
            _raise_separation(direction, complete=False)
    if not converged:
        warnings.warn(
            f"logistic_regression_mle did not converge in {max_iter} Newton iterations "
            f"(half Newton decrement {0.5 * decrement:.3g} > tol = {tol:g}); increase max_iter",
            ConvergenceWarning,
            stacklevel=2,
        )
    return _logistic_result(Z, theta, s, loglik, n_iter, converged, fit_intercept)


def _logistic_result(Z, theta, s, loglik, n_iter, converged, fit_intercept):
    p = special.expit(s)
    information = (Z * (p * (1.0 - p))[:, None]).T @ Z
    covariance = linalg.pinvh(information)
    coef = theta[:-1] if fit_intercept else theta
    intercept = float(theta[-1]) if fit_intercept else 0.0
    return LogisticRegressionResult(coef.copy(), intercept, loglik, n_iter, converged, covariance)


def _raise_separation(direction: np.ndarray, *, complete: bool) -> None:
    kind = "linearly separable" if complete else "quasi-separable (separable up to ties)"
    raise SeparationError(
        f"the classes are {kind}: the direction theta = {np.round(direction, 4).tolist()} "
        "(coefficients, then intercept) never misclassifies a point, so the log-likelihood "
        "(1.14) keeps increasing as theta is scaled up and no maximum-likelihood estimate "
        "exists. Fit a penalised model instead (e.g. sklearn.linear_model.LogisticRegression "
        "with a finite C), or drop the feature that separates the classes.",
        direction,
    )
