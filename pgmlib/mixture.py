"""Section 1.4, Example 1.6 — Gaussian mixtures fitted by expectation-maximisation.

The mixture :math:`p(x) = \\sum_k \\pi_k \\mathcal{N}(x; \\mu_k, \\Sigma_k)` has log-likelihood
(1.15), which cannot be maximised in closed form and is unbounded (a component shrinking onto
one data point, :math:`\\Sigma_k \\to 0`, sends it to :math:`+\\infty`). EM alternates

- the **E-step** (:func:`gmm_e_step`): responsibilities
  :math:`\\gamma_{nk} = \\mathbb{E}[z_{nk} \\mid x_n, \\theta] = P(z_{nk} = 1 \\mid x_n, \\theta)`
  by Bayes' rule (1.18), at the current parameters;
- the **M-step** (:func:`gmm_m_step`): maximise the expected complete-data log-likelihood
  (:func:`gmm_complete_data_log_likelihood`) in closed form;

and never lowers (1.15). :func:`gmm_em` runs the loop from a k-means++/Lloyd start
(:func:`gmm_init`), adds ``reg_covar`` to every covariance's diagonal against the
:math:`\\Sigma \\to 0` degeneracy, and raises a clear error if a component collapses anyway.
:func:`gmm_em_path` runs the same loop for a fixed number of iterations and keeps every
iterate (for stepping through EM, as the EM explorer does).

Erratum: the notes of 12 January 2026 print the complete-data log-likelihood (1.17) without
the mixing weights; with :math:`P(z_{nk} = 1) = \\pi_k` it reads
:math:`l_c = \\sum_n \\sum_k z_{nk}\\,(\\log \\pi_k + \\log p_k(x_n))`, as the revision of
6 February 2026 prints it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import logsumexp

from ._exceptions import ConvergenceWarning
from ._linalg import _inverse_lower
from ._validation import (
    _describe,
    as_float_array,
    as_scalar,
    check_count,
    check_pmf,
    check_positive,
    check_rng,
)

__all__ = [
    "GaussianMixturePath",
    "GaussianMixtureResult",
    "gmm_complete_data_log_likelihood",
    "gmm_component_log_pdf",
    "gmm_e_step",
    "gmm_em",
    "gmm_em_path",
    "gmm_init",
    "gmm_log_likelihood",
    "gmm_m_step",
    "sample_gmm",
]

_LOG_2PI = math.log(2.0 * math.pi)
#: A component whose covariance has an eigenvalue below this fraction of the data's average
#: variance is treated as collapsed (numerically singular).
COLLAPSE_RTOL = 1e-12


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _check_data(X: Any) -> np.ndarray:
    X = as_float_array(X, "X", ndim=(1, 2))
    return X.reshape(-1, 1) if X.ndim == 1 else X


def _check_components(means: Any, covariances: Any, d: int):
    """Validate means (K, d) and covariances (K, d, d) (for d = 1 also (K,) and (K,));
    return them with the Cholesky factors of the covariances."""
    means = as_float_array(means, "means", ndim=(1, 2))
    means = means.reshape(-1, 1) if means.ndim == 1 and d == 1 else means
    K = means.shape[0]
    if means.shape != (K, d):
        raise ValueError(f"`means` must have shape (n_components, {d}); got {means.shape}")
    covariances = as_float_array(covariances, "covariances", ndim=(1, 3))
    if covariances.ndim == 1 and d == 1:
        covariances = covariances.reshape(-1, 1, 1)
    if covariances.shape != (K, d, d):
        raise ValueError(
            f"`covariances` must have shape (n_components, d, d) = ({K}, {d}, {d}); "
            f"got {covariances.shape}"
        )
    if not np.allclose(covariances, covariances.transpose(0, 2, 1), rtol=1e-10, atol=1e-12):
        raise ValueError("`covariances` must be symmetric matrices")
    try:
        chols = np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError as error:
        smallest = np.linalg.eigvalsh(covariances)[:, 0]
        k = int(np.argmin(smallest))
        raise ValueError(
            f"`covariances[{k}]` must be positive definite; got smallest eigenvalue "
            f"{smallest[k]:.3g}"
        ) from error
    return means, covariances, chols


def _check_parameters(weights: Any, means: Any, covariances: Any, d: int):
    """Validate a mixture (weights, means, covariances) for data of dimension d."""
    weights = check_pmf(weights, "weights")
    means, covariances, chols = _check_components(means, covariances, d)
    if means.shape[0] != weights.size:
        raise ValueError(
            f"`weights` and `means` must have the same number of components; got "
            f"{weights.size} and {means.shape[0]}"
        )
    return weights, means, covariances, chols


def _check_responsibilities(responsibilities: Any, n: int) -> np.ndarray:
    resp = as_float_array(responsibilities, "responsibilities", ndim=2)
    if resp.shape[0] != n:
        raise ValueError(
            f"`responsibilities` must have one row per sample ({n}); got shape {resp.shape}"
        )
    if resp.min() < 0:
        raise ValueError(f"`responsibilities` must be nonnegative; got min = {resp.min():g}")
    row_sums = resp.sum(axis=1)
    worst = int(np.argmax(np.abs(row_sums - 1.0)))
    if abs(row_sums[worst] - 1.0) > 1e-8:
        raise ValueError(
            f"each row of `responsibilities` must sum to 1; row {worst} sums to "
            f"{row_sums[worst]:.10g}"
        )
    return resp


def _check_reg_covar(reg_covar: Any) -> float:
    value = as_scalar(reg_covar, "reg_covar")
    if value < 0:
        raise ValueError(f"`reg_covar` must be >= 0; got {value:g}")
    return value


# --------------------------------------------------------------------------------------------
# Densities and likelihoods (eqs. (1.15), (1.17))
# --------------------------------------------------------------------------------------------


def _component_log_pdf(X: np.ndarray, means: np.ndarray, chols: np.ndarray) -> np.ndarray:
    """log N(x_n; mu_k, L_k L_k^T) as an (n, K) array; vectorised over samples.

    Whitens with the explicit inverse of each (d, d) Cholesky factor and one matrix product,
    rather than a triangular solve with n right-hand sides: the same numbers (as in
    scikit-learn), without a threaded BLAS triangular solve per call, which is slow on a
    shared machine.
    """
    n, d = X.shape
    out = np.empty((n, means.shape[0]))
    for k, (mean, chol) in enumerate(zip(means, chols, strict=True)):
        z = (X - mean) @ _inverse_lower(chol).T
        out[:, k] = -0.5 * np.einsum("ij,ij->i", z, z) - np.sum(np.log(np.diag(chol)))
    return out - 0.5 * d * _LOG_2PI


def gmm_component_log_pdf(X: Any, means: Any, covariances: Any) -> np.ndarray:
    """Log-densities :math:`\\log \\mathcal{N}(x_n; \\mu_k, \\Sigma_k)` of every sample under every
    component.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Samples (shape ``(n,)`` is read as ``d = 1``).
    means : array_like, shape (K, d)
    covariances : array_like, shape (K, d, d)
        Symmetric positive definite.

    Returns
    -------
    ndarray, shape (n, K)

    Raises
    ------
    ValueError
        If shapes disagree, values are not finite, or a covariance is not positive definite.

    Notes
    -----
    Through the Cholesky factor :math:`\\Sigma_k = L_k L_k^\\top`, the log-density is
    :math:`-\\tfrac12\\|L_k^{-1}(x - \\mu_k)\\|^2 - \\sum_i \\log (L_k)_{ii}
    - \\tfrac d2\\log 2\\pi`.

    Examples
    --------
    >>> from scipy import stats
    >>> X = np.array([[0.0, 1.0], [2.0, -1.0]])
    >>> got = gmm_component_log_pdf(X, [[0.0, 0.0]], [[[2.0, 0.5], [0.5, 1.0]]])
    >>> ref = stats.multivariate_normal([0, 0], [[2.0, 0.5], [0.5, 1.0]]).logpdf(X)
    >>> bool(np.allclose(got[:, 0], ref, rtol=1e-12))
    True
    """
    X = _check_data(X)
    means, _, chols = _check_components(means, covariances, X.shape[1])
    return _component_log_pdf(X, means, chols)


def gmm_log_likelihood(X: Any, weights: Any, means: Any, covariances: Any) -> float:
    """Log-likelihood (1.15) of a Gaussian mixture.

    Parameters
    ----------
    X : array_like, shape (n, d)
    weights : array_like, shape (K,)
        Mixing weights :math:`\\pi_k` (a pmf).
    means : array_like, shape (K, d)
    covariances : array_like, shape (K, d, d)

    Returns
    -------
    float
        :math:`l(\\theta) = \\sum_n \\log \\sum_k \\pi_k\\,\\mathcal{N}(x_n; \\mu_k, \\Sigma_k)`.

    Raises
    ------
    ValueError
        If the weights are not a pmf, shapes disagree, values are not finite, or a covariance is
        not positive definite.

    Notes
    -----
    Eq. (1.15), with the inner sum taken by :func:`scipy.special.logsumexp` so that points far
    from every component do not underflow to :math:`\\log 0`.

    Examples
    --------
    >>> from scipy import stats
    >>> X = np.array([[0.0], [3.0]])
    >>> direct = np.log(0.3 * stats.norm(0, 1).pdf(X) + 0.7 * stats.norm(2, 0.5).pdf(X)).sum()
    >>> got = gmm_log_likelihood(X, [0.3, 0.7], [[0.0], [2.0]], [[[1.0]], [[0.25]]])
    >>> bool(np.isclose(got, direct, rtol=1e-12))
    True
    """
    X = _check_data(X)
    weights, means, _, chols = _check_parameters(weights, means, covariances, X.shape[1])
    return _e_step(X, weights, means, chols)[1]


def gmm_complete_data_log_likelihood(
    X: Any, assignments: Any, weights: Any, means: Any, covariances: Any
) -> float:
    """Complete-data log-likelihood, eq. (1.17) corrected: :math:`\\sum_{n,k} z_{nk}(\\log\\pi_k +
    \\log p_k(x_n))`.

    Parameters
    ----------
    X : array_like, shape (n, d)
    assignments : array_like, shape (n,) or (n, K)
        Either cluster labels in ``{0, ..., K-1}`` (hard assignments, :math:`z_{nk} = 1` iff
        :math:`x_n` was generated by component :math:`k`, eq. (1.16)) or an ``(n, K)`` matrix
        of one-hot rows or of responsibilities (soft assignments, rows summing to 1).
    weights, means, covariances
        The mixture parameters, as in :func:`gmm_log_likelihood`.

    Returns
    -------
    float
        With hard labels, :math:`\\log p(x_{1:N}, z_{1:N})`. With the E-step's responsibilities it
        is :math:`Q(\\theta) = \\mathbb{E}[\\log p(x, z) \\mid x]`, the quantity the M-step
        maximises.

    Raises
    ------
    ValueError
        If labels are out of range, responsibilities are not row-stochastic, or the parameters
        are invalid (as :func:`gmm_log_likelihood`).

    Notes
    -----
    With :math:`P(z_{nk}=1) = \\pi_k` and :math:`p(x_n \\mid z_{nk}=1) = p_k(x_n)`,

    .. math:: \\log p(x, z) = \\sum_{n=1}^N \\sum_{k=1}^K z_{nk}\\,\\bigl(\\log\\pi_k
              + \\log p_k(x_n)\\bigr).

    The notes of 12 January 2026 print eq. (1.17) without the :math:`\\log\\pi_k` terms (only
    :math:`p(x_n \\mid z_n)`, not :math:`p(x_n, z_n)`; the revision of 6 February 2026 corrects
    this); without them the M-step could not estimate the weights. At the E-step's
    responsibilities :math:`\\gamma_{nk}`, :math:`Q - \\sum_{n,k} \\gamma_{nk}\\log \\gamma_{nk}`
    equals the log-likelihood (1.15).

    Examples
    --------
    >>> X = np.array([[0.0], [2.0]])
    >>> params = ([0.25, 0.75], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
    >>> q = gmm_complete_data_log_likelihood(X, [0, 1], *params)
    >>> bool(np.isclose(q, np.log(0.25) + np.log(0.75) - np.log(2 * np.pi)))
    True
    """
    X = _check_data(X)
    weights, means, _, chols = _check_parameters(weights, means, covariances, X.shape[1])
    K = weights.size
    z = np.asarray(assignments)
    if z.ndim == 1:
        labels = as_float_array(z, "assignments", ndim=1)
        if labels.shape[0] != X.shape[0]:
            raise ValueError(
                f"`assignments` must have one label per sample ({X.shape[0]}); got {labels.shape}"
            )
        if np.any((labels != np.round(labels)) | (labels < 0) | (labels >= K)):
            raise ValueError(f"`assignments` labels must be integers in 0..{K - 1}")
        z = np.eye(K)[labels.astype(int)]
    else:
        z = _check_responsibilities(z, X.shape[0])
        if z.shape[1] != K:
            raise ValueError(f"`assignments` must have {K} columns; got shape {z.shape}")
    with np.errstate(divide="ignore"):
        log_joint = np.log(weights) + _component_log_pdf(X, means, chols)
    # 0 * log(0) = 0: components a sample is not assigned to contribute nothing
    return float(np.sum(np.where(z > 0, z * log_joint, 0.0)))


# --------------------------------------------------------------------------------------------
# E-step and M-step
# --------------------------------------------------------------------------------------------


def _e_step(X, weights, means, chols) -> tuple[np.ndarray, float]:
    with np.errstate(divide="ignore"):
        log_joint = np.log(weights) + _component_log_pdf(X, means, chols)
    log_norm = logsumexp(log_joint, axis=1)
    if not np.all(np.isfinite(log_norm)):
        n_bad = int(np.sum(~np.isfinite(log_norm)))
        raise ValueError(
            f"{n_bad} sample(s) lie so far from every component (squared Mahalanobis distance "
            "beyond the float range) that their mixture density cannot be represented even in "
            "log space; rescale `X` (e.g. standardise each feature)"
        )
    return np.exp(log_joint - log_norm[:, None]), float(np.sum(log_norm))


def gmm_e_step(X: Any, weights: Any, means: Any, covariances: Any) -> tuple[np.ndarray, float]:
    """E-step: the responsibilities :math:`\\gamma_{nk} = P(z_{nk} = 1 \\mid x_n)` (eq. (1.18)).

    Parameters
    ----------
    X : array_like, shape (n, d)
    weights, means, covariances
        Current parameters, as in :func:`gmm_log_likelihood`.

    Returns
    -------
    responsibilities : ndarray, shape (n, K)
        Rows sum to 1.
    log_likelihood : float
        Eq. (1.15) at the current parameters (a by-product of the normalisation).

    Raises
    ------
    ValueError
        As :func:`gmm_log_likelihood`.

    Notes
    -----
    Bayes' rule: :math:`\\gamma_{nk} = \\pi_k p_k(x_n) / \\sum_j \\pi_j p_j(x_n)`, computed as
    :math:`\\exp(\\log\\pi_k + \\log p_k(x_n) - \\mathrm{logsumexp}_j(\\cdot))`.

    Examples
    --------
    >>> resp, ll = gmm_e_step([[0.0], [1.0]], [0.5, 0.5], [[0.0], [1.0]], [[[1.0]], [[1.0]]])
    >>> resp.round(4).tolist()
    [[0.6225, 0.3775], [0.3775, 0.6225]]
    """
    X = _check_data(X)
    weights, means, _, chols = _check_parameters(weights, means, covariances, X.shape[1])
    return _e_step(X, weights, means, chols)


def _m_step(X: np.ndarray, resp: np.ndarray, reg_covar: float, data_variance: float):
    n, d = X.shape
    counts = resp.sum(axis=0)
    empty = np.flatnonzero(counts <= 10 * np.finfo(float).eps * n)
    if empty.size:
        k = int(empty[0])
        raise ValueError(
            f"Gaussian-mixture component {k} collapsed: it holds no data (responsibility mass "
            f"{counts[k]:.3g}). Reduce n_components, or start EM from another initialisation "
            "(a different rng)."
        )
    means = (resp.T @ X) / counts[:, None]
    covariances = np.empty((resp.shape[1], d, d))
    for k in range(resp.shape[1]):
        diff = X - means[k]
        covariances[k] = (resp[:, k, None] * diff).T @ diff / counts[k]
        covariances[k].flat[:: d + 1] += reg_covar
    covariances = 0.5 * (covariances + covariances.transpose(0, 2, 1))
    smallest = np.linalg.eigvalsh(covariances)[:, 0]
    collapsed = np.flatnonzero(smallest <= COLLAPSE_RTOL * data_variance)
    if collapsed.size:
        k = int(collapsed[0])
        raise ValueError(
            f"Gaussian-mixture component {k} collapsed: its covariance became singular "
            f"(smallest eigenvalue {smallest[k]:.3g}; effective size {counts[k]:.3g} samples). "
            "This is the Sigma -> 0 degeneracy of the likelihood (1.15). Increase reg_covar "
            f"(now {reg_covar:g}) or reduce n_components."
        )
    return counts / n, means, covariances


def _singular_covariance_error(k: int, smallest: float, reg_covar: float) -> ValueError:
    return ValueError(
        f"Gaussian-mixture component {k} collapsed: its covariance is singular (smallest "
        f"eigenvalue {smallest:.3g}; the data may lie on a lower-dimensional subspace, e.g. "
        "repeated points). This is the Sigma -> 0 degeneracy of the likelihood (1.15). "
        f"Increase reg_covar (now {reg_covar:g}) or reduce n_components."
    )


def _collapse_checked_cholesky(covariances: np.ndarray, reg_covar: float) -> np.ndarray:
    """Cholesky factors of (K, d, d) covariances; a singular one is reported as a collapse."""
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError as error:
        smallest = np.linalg.eigvalsh(covariances)[:, 0]
        k = int(np.argmin(smallest))
        raise _singular_covariance_error(k, smallest[k], reg_covar) from error


def gmm_m_step(
    X: Any, responsibilities: Any, reg_covar: float = 1e-6
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """M-step: the parameters that maximise the expected complete-data log-likelihood.

    Parameters
    ----------
    X : array_like, shape (n, d)
    responsibilities : array_like, shape (n, K)
        Nonnegative, rows summing to 1 (e.g. from :func:`gmm_e_step`).
    reg_covar : float, default 1e-6
        Added to the diagonal of every covariance (>= 0).

    Returns
    -------
    weights : ndarray, shape (K,)
        :math:`\\pi_k = N_k / N` with :math:`N_k = \\sum_n \\gamma_{nk}`.
    means : ndarray, shape (K, d)
        :math:`\\mu_k = \\frac{1}{N_k}\\sum_n \\gamma_{nk} x_n`.
    covariances : ndarray, shape (K, d, d)
        :math:`\\Sigma_k = \\frac{1}{N_k}\\sum_n \\gamma_{nk}(x_n - \\mu_k)(x_n - \\mu_k)^\\top +
        \\texttt{reg\\_covar}\\, I`.

    Raises
    ------
    ValueError
        If the responsibilities are not row-stochastic or do not match `X`; or if a component
        collapses: it holds no responsibility mass, or its covariance is numerically singular
        (smallest eigenvalue <= 1e-12 times the data's average variance) -- the
        :math:`\\Sigma \\to 0` degeneracy of (1.15). The message gives the fix.

    Notes
    -----
    Setting the gradient of the corrected eq. (1.17),
    :math:`\\sum_{n,k} \\gamma_{nk}(\\log \\pi_k + \\log \\mathcal{N}(x_n; \\mu_k, \\Sigma_k))`, to
    zero (with a Lagrange multiplier for :math:`\\sum_k \\pi_k = 1`) gives the weighted proportions,
    means and covariances above. ``reg_covar`` (as in scikit-learn) keeps a component that
    shrinks onto few points from reaching a singular covariance; the monotonicity of EM is exact
    for ``reg_covar=0`` and holds to within :math:`O(\\texttt{reg\\_covar})` otherwise.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [10.0], [12.0]])
    >>> resp = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    >>> weights, means, covariances = gmm_m_step(X, resp, reg_covar=0.0)
    >>> weights.tolist(), means.ravel().tolist(), covariances.ravel().tolist()
    ([0.5, 0.5], [0.5, 11.0], [0.25, 1.0])
    """
    X = _check_data(X)
    resp = _check_responsibilities(responsibilities, X.shape[0])
    reg_covar = _check_reg_covar(reg_covar)
    return _m_step(X, resp, reg_covar, _data_variance(X))


def _data_variance(X: np.ndarray) -> float:
    variance = float(np.mean(np.var(X, axis=0)))
    return variance if variance > 0 else 1.0


# --------------------------------------------------------------------------------------------
# Initialisation, the EM loop, sampling
# --------------------------------------------------------------------------------------------


def _kmeans_plus_plus(X: np.ndarray, K: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding: each new centre drawn with probability proportional to D(x)^2."""
    centres = np.empty((K, X.shape[1]))
    centres[0] = X[rng.integers(len(X))]
    closest = np.sum((X - centres[0]) ** 2, axis=1)
    for k in range(1, K):
        total = closest.sum()
        index = rng.choice(len(X), p=closest / total) if total > 0 else rng.integers(len(X))
        centres[k] = X[index]
        closest = np.minimum(closest, np.sum((X - centres[k]) ** 2, axis=1))
    return centres


def gmm_init(
    X: Any,
    n_components: int,
    rng: np.random.Generator | int | None = None,
    reg_covar: float = 1e-6,
    n_lloyd: int = 10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starting parameters for EM: k-means++ seeds refined by a few Lloyd (k-means) steps.

    Parameters
    ----------
    X : array_like, shape (n, d)
    n_components : int
        :math:`K`, between 1 and ``n``.
    rng : numpy.random.Generator, int or None
        Source of randomness for the seeding.
    reg_covar : float, default 1e-6
        As in :func:`gmm_m_step`.
    n_lloyd : int, default 10
        Maximum number of Lloyd iterations (0: seeds only).

    Returns
    -------
    weights, means, covariances : ndarray
        Shapes (K,), (K, d), (K, d, d): the M-step applied to the hard k-means clustering.
        A cluster left empty is dropped back to its seed with the data's overall covariance.

    Raises
    ------
    ValueError
        If `n_components` exceeds the number of samples, or `X` is empty or not finite; or if,
        with ``reg_covar = 0``, a covariance is singular even after the fallback (the data lie
        on a lower-dimensional subspace): the message says to increase ``reg_covar``.

    Examples
    --------
    >>> X = np.r_[np.zeros((5, 1)), np.full((5, 1), 10.0)] + np.arange(10)[:, None] * 0.01
    >>> weights, means, _ = gmm_init(X, 2, rng=0)
    >>> weights.tolist(), sorted(means.round(2).ravel().tolist())
    ([0.5, 0.5], [0.02, 10.07])
    """
    X = _check_data(X)
    K = _check_n_components(n_components, X.shape[0])
    reg_covar = _check_reg_covar(reg_covar)
    n_lloyd = check_count(n_lloyd, "n_lloyd", minimum=0)
    centres = _kmeans_plus_plus(X, K, check_rng(rng))
    labels = _nearest(X, centres)
    for _ in range(n_lloyd):
        counts = np.bincount(labels, minlength=K)
        sums = np.empty_like(centres)
        for j in range(X.shape[1]):  # per-cluster sums, vectorised over samples
            sums[:, j] = np.bincount(labels, weights=X[:, j], minlength=K)
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
        new_labels = _nearest(X, centres)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return _hard_m_step(X, labels, centres, reg_covar)


def _nearest(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    distances = np.sum(centres**2, axis=1) - 2.0 * X @ centres.T
    return np.argmin(distances, axis=1)


def _hard_m_step(X, labels, centres, reg_covar):
    d = X.shape[1]
    K = centres.shape[0]
    counts = np.bincount(labels, minlength=K)
    weights = np.maximum(counts, 1) / np.maximum(counts, 1).sum()
    means = centres.copy()
    overall = np.atleast_2d(np.cov(X.T, bias=True)) + reg_covar * np.eye(d)
    covariances = np.broadcast_to(overall, (K, d, d)).copy()
    for k in np.flatnonzero(counts > d):  # enough points for a full covariance
        members = X[labels == k]
        means[k] = members.mean(axis=0)
        covariances[k] = np.atleast_2d(np.cov(members.T, bias=True)) + reg_covar * np.eye(d)
    threshold = COLLAPSE_RTOL * _data_variance(X)
    smallest = np.linalg.eigvalsh(covariances)[:, 0]
    bad = smallest <= threshold
    covariances[bad] = overall
    overall_smallest = float(np.linalg.eigvalsh(overall)[0])
    if np.any(bad) and overall_smallest <= threshold:  # no fallback: X spans a subspace
        raise _singular_covariance_error(int(np.argmax(bad)), overall_smallest, reg_covar)
    return weights, means, covariances


def _check_n_components(n_components: Any, n: int) -> int:
    K = check_count(n_components, "n_components", minimum=1)
    if K > n:
        raise ValueError(
            f"`n_components` must be <= the number of samples; got n_components = {K} for "
            f"{n} samples (more components than samples)"
        )
    return K


@dataclass(frozen=True)
class GaussianMixtureResult:
    """A Gaussian mixture fitted by EM (Example 1.6).

    Attributes
    ----------
    weights : ndarray, shape (K,)
        Mixing weights :math:`\\pi_k`.
    means : ndarray, shape (K, d)
    covariances : ndarray, shape (K, d, d)
        Including ``reg_covar`` on the diagonal.
    responsibilities : ndarray, shape (n, K)
        :math:`P(z_{nk} = 1 \\mid x_n)` at the final parameters.
    log_likelihood : ndarray, shape (n_iter + 1,)
        Eq. (1.15) at the initial parameters and after each EM iteration (nondecreasing, up
        to rounding and the ``reg_covar`` term).
    n_iter : int
        EM iterations taken.
    converged : bool
        Whether the per-sample gain in log-likelihood fell below ``tol``.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    responsibilities: np.ndarray
    log_likelihood: np.ndarray
    n_iter: int
    converged: bool

    @property
    def labels(self) -> np.ndarray:
        """Most responsible component of each sample (the recovered cluster assignments)."""
        return np.argmax(self.responsibilities, axis=1)


def gmm_em(
    X: Any,
    n_components: int,
    rng: np.random.Generator | int | None = None,
    max_iter: int = 200,
    tol: float = 1e-6,
    reg_covar: float = 1e-6,
    init_params: tuple[Any, Any, Any] | None = None,
) -> GaussianMixtureResult:
    """Fit a Gaussian mixture with full covariances by expectation-maximisation (Example 1.6).

    Parameters
    ----------
    X : array_like, shape (n, d)
        Samples (shape ``(n,)`` is read as ``d = 1``).
    n_components : int
        :math:`K`, between 1 and ``n``.
    rng : numpy.random.Generator, int or None
        Randomness of the k-means++ initialisation (:func:`gmm_init`).
    max_iter : int, default 200
        Maximum EM iterations.
    tol : float, default 1e-6
        Stop when an iteration raises the average log-likelihood per sample by less than `tol`.
    reg_covar : float, default 1e-6
        Added to every covariance's diagonal, against the :math:`\\Sigma \\to 0` degeneracy.
    init_params : (weights, means, covariances), optional
        Start from these parameters instead of :func:`gmm_init`.

    Returns
    -------
    GaussianMixtureResult

    Raises
    ------
    ValueError
        If `X` is empty or not finite, `n_components` exceeds the number of samples,
        `init_params` are invalid, or a component collapses (see :func:`gmm_m_step`; the
        message says to increase ``reg_covar`` or reduce ``n_components``).

    Warns
    -----
    ConvergenceWarning
        If `tol` is not reached within `max_iter` iterations (``converged=False``).

    See Also
    --------
    gmm_em_path : The same loop for a fixed number of iterations, keeping every iterate.

    Notes
    -----
    Alternates :func:`gmm_e_step` (responsibilities, eq. (1.18)) and :func:`gmm_m_step`
    (closed-form maximiser of the expected complete-data log-likelihood, the corrected
    eq. (1.17)). Each iteration cannot lower the log-likelihood (1.15): it maximises a lower
    bound that touches (1.15) at the current parameters. EM converges to a stationary point
    of (1.15) -- usually a local maximum, but it can be a saddle point -- and different
    initialisations may reach different ones.

    References
    ----------
    A. P. Dempster, N. M. Laird and D. B. Rubin (1977), Maximum likelihood from incomplete data
    via the EM algorithm, JRSS B 39(1), 1-38.

    Examples
    --------
    >>> X, z = sample_gmm(600, [0.3, 0.7], [[-3.0, 0.0], [3.0, 1.0]],
    ...                   [np.eye(2), [[1.0, 0.5], [0.5, 1.0]]], rng=0)
    >>> fit = gmm_em(X, 2, rng=0)
    >>> fit.converged, bool(np.all(np.diff(fit.log_likelihood) >= -1e-9))
    (True, True)
    >>> fit.weights.round(3).tolist(), (np.bincount(z) / 600).round(3).tolist()
    ([0.268, 0.732], [0.267, 0.733])
    >>> float(np.mean(fit.labels == z))  # clusters recovered (up to relabelling)
    0.998...
    """
    X = _check_data(X)
    K = _check_n_components(n_components, X.shape[0])
    max_iter = check_count(max_iter, "max_iter", minimum=1)
    tol = float(check_positive(as_scalar(tol, "tol"), "tol"))
    reg_covar = _check_reg_covar(reg_covar)
    iterates = _em_iterates(X, *_em_start(X, K, rng, reg_covar, init_params), reg_covar)
    current = next(iterates)
    history = [current[-1]]
    converged = False
    for _ in range(max_iter):
        current = next(iterates)
        history.append(current[-1])
        if abs(history[-1] - history[-2]) < tol * X.shape[0]:
            converged = True
            break
    if not converged:
        warnings.warn(
            f"gmm_em did not converge in {max_iter} iterations (last gain "
            f"{(history[-1] - history[-2]) / X.shape[0]:.3g} per sample > tol = {tol:g}); "
            "increase max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    weights, means, covariances, resp, _ = current
    return GaussianMixtureResult(
        weights, means, covariances, resp, np.asarray(history), len(history) - 1, converged
    )


def _em_start(X, K, rng, reg_covar, init_params):
    """theta_0: `init_params` checked against X and K, or gmm_init's k-means start."""
    if init_params is None:
        return gmm_init(X, K, rng, reg_covar)
    if not isinstance(init_params, (tuple, list)) or len(init_params) != 3:
        raise TypeError(
            "`init_params` must be a tuple (weights, means, covariances); got "
            f"{_describe(init_params)}"
        )
    weights, means, covariances, _ = _check_parameters(*init_params, X.shape[1])
    if weights.size != K:
        raise ValueError(f"`init_params` has {weights.size} components; expected {K}")
    return weights, means, covariances


def _em_iterates(X, weights, means, covariances, reg_covar):
    """Yield (weights, means, covariances, responsibilities, log-likelihood) at theta_0,
    theta_1, ...: the E-step at each iterate, then the M-step to the next (without end)."""
    data_variance = _data_variance(X)
    while True:
        chols = _collapse_checked_cholesky(covariances, reg_covar)
        resp, loglik = _e_step(X, weights, means, chols)
        yield weights, means, covariances, resp, loglik
        weights, means, covariances = _m_step(X, resp, reg_covar, data_variance)


@dataclass(frozen=True)
class GaussianMixturePath:
    """Every iterate of EM for a Gaussian mixture, from the start :math:`\\theta_0` to
    :math:`\\theta_T` (:func:`gmm_em_path`).

    Row ``t`` of each array belongs to iteration ``t``; row 0 is the start.

    Attributes
    ----------
    weights : ndarray, shape (T + 1, K)
        Mixing weights :math:`\\pi_k` at :math:`\\theta_t`.
    means : ndarray, shape (T + 1, K, d)
    covariances : ndarray, shape (T + 1, K, d, d)
        Including ``reg_covar`` on the diagonal (except at a start given by ``init_params``).
    responsibilities : ndarray, shape (T + 1, n, K)
        The E-step at :math:`\\theta_t`: :math:`P(z_{nk} = 1 \\mid x_n)` under those parameters;
        the M-step applied to row ``t`` gives the parameters of row ``t + 1``.
    log_likelihood : ndarray, shape (T + 1,)
        Eq. (1.15) at :math:`\\theta_t` (nondecreasing, up to rounding and the ``reg_covar``
        term).
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    responsibilities: np.ndarray
    log_likelihood: np.ndarray

    @property
    def n_iter(self) -> int:
        """Number of EM iterations :math:`T` (the path holds :math:`T + 1` iterates)."""
        return self.log_likelihood.size - 1


def gmm_em_path(
    X: Any,
    n_components: int,
    n_iter: int = 50,
    *,
    init_params: tuple[Any, Any, Any] | None = None,
    rng: np.random.Generator | int | None = None,
    reg_covar: float = 1e-6,
) -> GaussianMixturePath:
    """Run exactly `n_iter` EM iterations and keep every iterate (Example 1.6, step by step).

    Parameters
    ----------
    X : array_like, shape (n, d)
        Samples (shape ``(n,)`` is read as ``d = 1``).
    n_components : int
        :math:`K`, between 1 and ``n``.
    n_iter : int, default 50
        Number of EM iterations :math:`T` (>= 0); there is no early stop, so the path always
        has ``n_iter + 1`` rows.
    init_params : (weights, means, covariances), optional
        The start :math:`\\theta_0`; default: :func:`gmm_init` with `rng`.
    rng : numpy.random.Generator, int or None
        Randomness of the default start (ignored with `init_params`).
    reg_covar : float, default 1e-6
        As in :func:`gmm_em`.

    Returns
    -------
    GaussianMixturePath
        Weights, means, covariances, responsibilities and log-likelihood at every iterate.
        Its last row equals the fit of :func:`gmm_em` from the same start when that stops
        after `n_iter` iterations (the two run the same loop).

    Raises
    ------
    TypeError, ValueError
        As :func:`gmm_em` (bad `X`, `n_components` or `init_params`, or a component that
        collapses along the way; the message says to increase ``reg_covar`` or reduce
        ``n_components``).

    Notes
    -----
    The same alternation as :func:`gmm_em`: :math:`\\gamma^{(t)} = ` E-step at
    :math:`\\theta_t` (eq. (1.18)), :math:`\\theta_{t+1} = ` M-step on :math:`\\gamma^{(t)}`
    (maximiser of the corrected eq. (1.17) in expectation). Memory grows like
    ``(n_iter + 1) * n * K`` for the responsibilities.

    Examples
    --------
    >>> X, _ = sample_gmm(300, [0.5, 0.5], [[-2.0], [2.0]], [[[1.0]], [[1.0]]], rng=1)
    >>> start = ([0.5, 0.5], [[-0.1], [0.1]], [[[4.0]], [[4.0]]])
    >>> path = gmm_em_path(X, 2, n_iter=25, init_params=start)
    >>> path.n_iter, path.means.shape, path.responsibilities.shape
    (25, (26, 2, 1), (26, 300, 2))
    >>> bool(np.all(np.diff(path.log_likelihood) >= -1e-9))  # EM never lowers (1.15)
    True

    Stopped where :func:`gmm_em` stops, the path ends at its fit:

    >>> fit = gmm_em(X, 2, init_params=start)
    >>> path = gmm_em_path(X, 2, n_iter=fit.n_iter, init_params=start)
    >>> bool(np.array_equal(path.means[-1], fit.means))
    True
    >>> bool(np.array_equal(path.log_likelihood, fit.log_likelihood))
    True
    """
    X = _check_data(X)
    K = _check_n_components(n_components, X.shape[0])
    n_iter = check_count(n_iter, "n_iter", minimum=0)
    reg_covar = _check_reg_covar(reg_covar)
    iterates = _em_iterates(X, *_em_start(X, K, rng, reg_covar, init_params), reg_covar)
    rows = [next(iterates) for _ in range(n_iter + 1)]
    weights, means, covariances, resp, loglik = (
        np.asarray(column) for column in zip(*rows, strict=True)
    )
    return GaussianMixturePath(weights, means, covariances, resp, loglik)


def sample_gmm(
    n: int,
    weights: Any,
    means: Any,
    covariances: Any,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` samples from a Gaussian mixture, with their component labels.

    Parameters
    ----------
    n : int
        Number of samples (>= 1).
    weights, means, covariances
        The mixture, as in :func:`gmm_log_likelihood`.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X : ndarray, shape (n, d)
    labels : ndarray of int, shape (n,)
        The latent :math:`z_n` (index of the component each sample came from).

    Raises
    ------
    ValueError
        If `n` < 1 or the parameters are invalid.

    Notes
    -----
    Ancestral sampling: :math:`z_n \\sim \\mathrm{Categorical}(\\pi)`, then
    :math:`x_n = \\mu_{z_n} + L_{z_n}\\varepsilon_n` with
    :math:`\\varepsilon_n \\sim \\mathcal N(0, I)`.

    Examples
    --------
    >>> X, labels = sample_gmm(5, [1.0], [[1.0, -1.0]], [np.eye(2)], rng=0)
    >>> X.shape, labels.tolist()
    ((5, 2), [0, 0, 0, 0, 0])
    """
    n = check_count(n, "n", minimum=1)
    d = np.shape(means)[-1] if np.ndim(means) == 2 else 1
    weights, means, _, chols = _check_parameters(weights, means, covariances, d)
    generator = check_rng(rng)
    labels = generator.choice(weights.size, size=n, p=weights)
    noise = generator.standard_normal((n, d))
    X = np.empty((n, d))
    for k in range(weights.size):
        members = labels == k
        X[members] = means[k] + noise[members] @ chols[k].T
    return X, labels
