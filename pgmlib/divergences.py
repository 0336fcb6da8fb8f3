"""Section 1.6 — the KL divergence next to the L1 distance and the chi-square divergence.

Four families of functions, one source of numbers for the chapter, figures and explorers:

* divergences between pmfs (``l1_distance``, ``chi2_divergence``; the discrete KL is
  :func:`pgmlib.kl_divergence`) and between densities on ``[a, b]`` by quadrature
  (``*_continuous``), plus a Monte Carlo estimate of the KL (``kl_monte_carlo``);
* the KL between two univariate Gaussians, eq. (1.38), vectorised for grids (``kl_gaussian``);
* the closed forms of Examples 1.9, 1.10 and 1.11 with the notes' slips corrected;
* a Gaussian fitted to a univariate Gaussian mixture by minimising the forward
  :math:`\\mathrm{KL}(p \\,\\|\\, q)` (moment matching) or the reverse
  :math:`\\mathrm{KL}(q \\,\\|\\, p)` (a local minimum, found from a starting point), the KL
  between the two in either direction, and the reverse KL profiled over the mean of ``q``
  (section 1.7, suggested exercise 4 of the notes' revision of 6 February 2026).
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special

from ._exceptions import ConvergenceWarning
from ._quadrature import _continuous_setup, _integrate_divergence, _misses_mass, _quad
from ._validation import (
    as_float_array,
    as_scalar,
    check_callable,
    check_choice,
    check_mixture_1d,
    check_pmf,
    check_positive,
    check_positive_scalar,
    check_probability,
    check_same_shape,
)

__all__ = [
    "Divergences",
    "ForwardReverseFits",
    "GaussianFit",
    "KLDirectReverse",
    "MonteCarloEstimate",
    "ReverseKLProfile",
    "chi2_divergence",
    "chi2_divergence_continuous",
    "example_1_9_c",
    "example_1_9_divergences",
    "example_1_9_q",
    "example_1_10_divergences",
    "example_1_11_divergences",
    "fit_gaussian_forward_kl",
    "fit_gaussian_reverse_kl",
    "forward_reverse_kl_fits",
    "kl_divergence_continuous",
    "kl_gaussian",
    "kl_mixture_gaussian",
    "kl_monte_carlo",
    "l1_distance",
    "l1_distance_continuous",
    "reverse_kl_profile",
]

Density = Callable[[np.ndarray], ArrayLike]


def _scalar_or_array(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def _broadcast(arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError as error:
        shapes = ", ".join(f"{name} {np.shape(a)}" for name, a in arrays.items())
        names = ", ".join(f"`{name}`" for name in arrays)
        raise ValueError(f"{names} must broadcast together; got shapes {shapes}") from error


# --------------------------------------------------------------------------------------------
# pmfs
# --------------------------------------------------------------------------------------------


def l1_distance(p: ArrayLike, q: ArrayLike) -> float:
    r"""L1 distance between two probability mass functions.

    Parameters
    ----------
    p, q : array_like, shape (K,)
        Probability mass functions on the same K outcomes.

    Returns
    -------
    float
        :math:`L_1(p \,\|\, q) \in [0, 2]`, symmetric, zero iff ``p == q``.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a pmf, or their shapes differ.

    Notes
    -----
    Section 1.6 of the notes (the integral becomes a sum for pmfs):

    .. math:: L_1(p \,\|\, q) = \sum_x |p(x) - q(x)|.

    Examples
    --------
    Example 1.10 with :math:`\epsilon = 0.1`: :math:`2 \epsilon (1 - \epsilon) = 0.18`.

    >>> from pgmlib import l1_distance
    >>> round(l1_distance([0.9, 0.1], [0.99, 0.01]), 12)
    0.18
    """
    p_arr, q_arr = check_pmf(p, "p"), check_pmf(q, "q")
    check_same_shape(p_arr, q_arr, "p", "q")
    return float(np.sum(np.abs(p_arr - q_arr)))


def chi2_divergence(p: ArrayLike, q: ArrayLike) -> float:
    r"""Chi-square divergence of ``p`` from ``q`` for probability mass functions.

    Parameters
    ----------
    p, q : array_like, shape (K,)
        Probability mass functions on the same K outcomes.

    Returns
    -------
    float
        :math:`\chi^2(p \,\|\, q) \ge 0`; ``inf`` when ``q(x) = 0 < p(x)`` for some ``x``.
        Outcomes with ``p(x) = q(x) = 0`` contribute nothing.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a pmf, or their shapes differ.

    Notes
    -----
    Section 1.6 of the notes:

    .. math:: \chi^2(p \,\|\, q) = \sum_x \frac{(p(x) - q(x))^2}{q(x)}
              = \sum_x \frac{p(x)^2}{q(x)} - 1.

    Examples
    --------
    Example 1.10, eq. (1.36) corrected: :math:`\epsilon^2 (1-\epsilon)/(1+\epsilon) +
    (1-\epsilon)^2`.

    >>> import numpy as np
    >>> from pgmlib import chi2_divergence
    >>> eps = 0.1
    >>> value = chi2_divergence([1 - eps, eps], [1 - eps**2, eps**2])
    >>> bool(np.isclose(value, eps**2 * (1 - eps) / (1 + eps) + (1 - eps) ** 2))
    True
    >>> chi2_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    p_arr, q_arr = check_pmf(p, "p"), check_pmf(q, "q")
    check_same_shape(p_arr, q_arr, "p", "q")
    if np.any((q_arr == 0) & (p_arr > 0)):
        return float(np.inf)
    positive = q_arr > 0
    return float(np.sum((p_arr[positive] - q_arr[positive]) ** 2 / q_arr[positive]))


# --------------------------------------------------------------------------------------------
# densities on [a, b], by quadrature
# --------------------------------------------------------------------------------------------


def kl_divergence_continuous(
    p: Density, q: Density, a: float, b: float, *, points: Sequence[float] | None = None
) -> float:
    r"""KL divergence between two densities on ``[a, b]``, by quadrature.

    Parameters
    ----------
    p, q : callable
        Densities; each must accept a numpy array and return an array of the same shape.
    a, b : float
        Finite interval with ``a < b`` holding (almost) all the mass of both densities.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``p`` or ``q`` jumps or has a kink.

    Returns
    -------
    float
        :math:`\mathrm{KL}(p \,\|\, q) \ge 0`, or ``inf`` where ``q = 0 < p`` (see Notes).

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not callable or cannot be evaluated on an array.
    ValueError
        If ``a < b`` fails, or a density is negative, non-finite or not normalised.

    Notes
    -----
    Both densities are checked on 2001 interior grid points of ``[a, b]`` (finite,
    nonnegative, callable on arrays) and must integrate to one there within 1e-6. Jumps or
    kinks (e.g. at :math:`1/n` in Example 1.9) must be passed in ``points``.

    Definition 1.5 of the notes:

    .. math:: \mathrm{KL}(p \,\|\, q) = \int_a^b p(x) \log \frac{p(x)}{q(x)} \, dx,

    with :math:`0 \log(0/q) = 0`. Where ``q(x) == 0 < p(x)`` (at a check-grid point or a
    quadrature node) ``p`` is not absolutely continuous with respect to ``q`` and the result is
    ``inf``. The densities are taken as given: a ``q`` that underflows to zero where ``p`` still
    has mass also gives ``inf``, so keep ``[a, b]`` where ``q`` is representable (for Gaussians
    use :func:`kl_gaussian`).

    Examples
    --------
    Example 1.9 with :math:`n = 4`: the corrected eq. (1.35), :math:`1 - \frac{n-1}{n} \log
    c_n`, by quadrature through the jump at :math:`1/n`:

    >>> import numpy as np
    >>> from pgmlib import example_1_9_c, example_1_9_q, kl_divergence_continuous
    >>> n = 4.0
    >>> kl = kl_divergence_continuous(np.ones_like, lambda x: example_1_9_q(x, n), 0, 1,
    ...                               points=[1 / n])
    >>> bool(np.isclose(kl, 1 - (n - 1) / n * np.log(example_1_9_c(n)), rtol=1e-10))
    True
    >>> from scipy import stats
    >>> kl_divergence_continuous(stats.uniform(0, 1).pdf, stats.uniform(0, 0.5).pdf, 0, 1,
    ...                          points=[0.5])  # q misses half of the mass of p
    inf
    """
    low, high, cuts, (p_x, q_x), grids = _continuous_setup({"p": p, "q": q}, a, b, points)
    if _misses_mass(*grids):
        return float(np.inf)
    integrand = lambda x: special.rel_entr(p_x(x), q_x(x))  # noqa: E731
    return max(_integrate_divergence(integrand, low, high, cuts, "p log(p/q)"), 0.0)


def l1_distance_continuous(
    p: Density, q: Density, a: float, b: float, *, points: Sequence[float] | None = None
) -> float:
    r"""L1 distance between two densities on ``[a, b]``, by quadrature.

    Parameters
    ----------
    p, q : callable
        Densities; each must accept a numpy array and return an array of the same shape.
    a, b : float
        Finite interval with ``a < b``.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``p`` or ``q`` jumps or has a kink, *and* where
        ``p - q`` changes sign if known (the integrand has a kink there).

    Returns
    -------
    float
        :math:`L_1(p \,\|\, q) \in [0, 2]`; finite even where ``q = 0``.

    Raises
    ------
    TypeError, ValueError
        As :func:`kl_divergence_continuous`.

    Notes
    -----
    Both densities are checked on 2001 interior grid points of ``[a, b]`` (finite,
    nonnegative, callable on arrays) and must integrate to one there within 1e-6. Jumps or
    kinks (e.g. at :math:`1/n` in Example 1.9) must be passed in ``points``.

    Section 1.6 of the notes:

    .. math:: L_1(p \,\|\, q) = \int_a^b |p(x) - q(x)| \, dx.

    Examples
    --------
    Example 1.9 with :math:`n = 4`: :math:`L_1 = 2 (1 - e^{-4}) / 4`, the corrected eq. (1.34).

    >>> import numpy as np
    >>> from pgmlib import example_1_9_q, l1_distance_continuous
    >>> n = 4.0
    >>> l1 = l1_distance_continuous(np.ones_like, lambda x: example_1_9_q(x, n), 0, 1,
    ...                             points=[1 / n])
    >>> bool(np.isclose(l1, 2 * (1 - np.exp(-n)) / n, rtol=1e-10))
    True
    """
    low, high, cuts, (p_x, q_x), _ = _continuous_setup({"p": p, "q": q}, a, b, points)
    return _quad(lambda x: abs(p_x(x) - q_x(x)), low, high, cuts, "|p - q|")


def _chi2_term(p: float, q: float) -> float:
    if q > 0:
        return (p - q) ** 2 / q
    return float(np.inf) if p > 0 else 0.0


def chi2_divergence_continuous(
    p: Density, q: Density, a: float, b: float, *, points: Sequence[float] | None = None
) -> float:
    r"""Chi-square divergence of density ``p`` from density ``q`` on ``[a, b]``, by quadrature.

    Parameters
    ----------
    p, q : callable
        Densities; each must accept a numpy array and return an array of the same shape.
    a, b : float
        Finite interval with ``a < b``.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``p`` or ``q`` jumps or has a kink.

    Returns
    -------
    float
        :math:`\chi^2(p \,\|\, q) \ge 0`, or ``inf`` where ``q = 0 < p`` (as for
        :func:`kl_divergence_continuous`). Where ``p = q = 0`` the integrand is zero.

    Raises
    ------
    TypeError, ValueError
        As :func:`kl_divergence_continuous`.

    Notes
    -----
    Both densities are checked on 2001 interior grid points of ``[a, b]`` (finite,
    nonnegative, callable on arrays) and must integrate to one there within 1e-6. Jumps or
    kinks (e.g. at :math:`1/n` in Example 1.9) must be passed in ``points``.

    Section 1.6 of the notes:

    .. math:: \chi^2(p \,\|\, q) = \int_a^b \frac{(p(x) - q(x))^2}{q(x)} \, dx.

    Examples
    --------
    Two Gaussians with equal variance: :math:`\chi^2 = e^{(\mu_0 - \mu_1)^2/\sigma^2} - 1`.

    >>> import numpy as np
    >>> from scipy import stats
    >>> from pgmlib import chi2_divergence_continuous
    >>> chi2 = chi2_divergence_continuous(stats.norm(0.5).pdf, stats.norm(0).pdf, -15, 15)
    >>> bool(np.isclose(chi2, np.expm1(0.25), rtol=1e-10))
    True
    """
    low, high, cuts, (p_x, q_x), grids = _continuous_setup({"p": p, "q": q}, a, b, points)
    if _misses_mass(*grids):
        return float(np.inf)
    integrand = lambda x: _chi2_term(p_x(x), q_x(x))  # noqa: E731
    return _integrate_divergence(integrand, low, high, cuts, "(p - q)^2 / q")


class MonteCarloEstimate(NamedTuple):
    """A Monte Carlo estimate and its standard error (unpacks as a pair)."""

    estimate: float
    standard_error: float


def _log_density_values(logf: Callable, name: str, samples: np.ndarray) -> np.ndarray:
    check_callable(logf, name)
    values = np.asarray(logf(samples), dtype=float)
    n = samples.shape[0]
    if values.shape != (n,):
        raise ValueError(
            f"`{name}` must return one log-density per sample, shape ({n},); got {values.shape}"
        )
    if np.any(np.isnan(values) | (values == np.inf)):
        bad = values[np.isnan(values) | (values == np.inf)][0]
        raise ValueError(f"`{name}` returned {bad} at a sample; log-densities must be < +inf")
    return values


def kl_monte_carlo(logp: Callable, logq: Callable, samples: ArrayLike) -> MonteCarloEstimate:
    r"""Monte Carlo estimate of :math:`\mathrm{KL}(p \,\|\, q)` from samples of ``p``.

    Parameters
    ----------
    logp, logq : callable
        Log-densities; ``logp(samples)`` must return shape ``(N,)``.
    samples : array_like, shape (N,) or (N, d)
        Independent draws from ``p`` (N >= 2).

    Returns
    -------
    MonteCarloEstimate
        ``(estimate, standard_error)``: the sample mean of :math:`\log p(x_i) - \log q(x_i)` and
        its standard error :math:`s / \sqrt{N}` (``s`` with ``ddof=1``). If some sample has
        :math:`\log q = -\infty` (``q`` misses mass of ``p``) the result is ``(inf, inf)``.
        The estimate itself can be slightly negative: it is random.

    Raises
    ------
    TypeError
        If ``logp`` or ``logq`` is not callable, or ``samples`` is not numeric.
    ValueError
        If there are fewer than two samples, samples are non-finite, a log-density has the
        wrong shape or is nan/+inf, or :math:`\log p(x_i) = -\infty` (a sample ``p`` cannot
        produce: the samples are not from ``p``).

    Notes
    -----
    Definition 1.5 as an expectation, estimated as in eq. (1.46):

    .. math:: \mathrm{KL}(p \,\|\, q) = \mathbb{E}_p\left[\log \frac{p(X)}{q(X)}\right]
              \approx \frac{1}{N} \sum_{i=1}^N \log \frac{p(x_i)}{q(x_i)},
              \qquad x_i \sim p.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from pgmlib import kl_gaussian, kl_monte_carlo
    >>> x = stats.norm(0, 1).rvs(size=100_000, random_state=np.random.default_rng(0))
    >>> est, se = kl_monte_carlo(stats.norm(0, 1).logpdf, stats.norm(1, 2).logpdf, x)
    >>> bool(abs(est - kl_gaussian(0, 1, 1, 2)) < 4 * se)
    True
    """
    x = as_float_array(samples, "samples", ndim=(1, 2))
    if x.shape[0] < 2:
        raise ValueError(
            f"`samples` must hold at least 2 draws for a standard error; got {x.shape[0]}"
        )
    log_p = _log_density_values(logp, "logp", x)
    log_q = _log_density_values(logq, "logq", x)
    if np.any(log_p == -np.inf):
        raise ValueError(
            "`logp` is -inf at some samples: p cannot produce them, so `samples` are not draws "
            "from p"
        )
    if np.any(log_q == -np.inf):
        return MonteCarloEstimate(float(np.inf), float(np.inf))
    ratio = log_p - log_q
    return MonteCarloEstimate(
        float(np.mean(ratio)), float(np.std(ratio, ddof=1) / np.sqrt(x.shape[0]))
    )


# --------------------------------------------------------------------------------------------
# Gaussians, eq. (1.38)
# --------------------------------------------------------------------------------------------


def kl_gaussian(
    mu0: ArrayLike, sigma0: ArrayLike, mu1: ArrayLike, sigma1: ArrayLike
) -> float | np.ndarray:
    r"""KL divergence between two univariate Gaussians, vectorised with broadcasting.

    Parameters
    ----------
    mu0, sigma0 : float or array_like
        Mean and standard deviation (> 0) of :math:`p = \mathcal{N}(\mu_0, \sigma_0^2)`.
    mu1, sigma1 : float or array_like
        Mean and standard deviation (> 0) of :math:`q = \mathcal{N}(\mu_1, \sigma_1^2)`.

    Returns
    -------
    float or ndarray
        :math:`\mathrm{KL}(p \,\|\, q) \ge 0` with the broadcast shape of the inputs (a float
        when all four are scalars).

    Raises
    ------
    ValueError
        If an argument is empty or non-finite, a standard deviation is not > 0, or the
        shapes do not broadcast.

    Notes
    -----
    Eq. (1.38) of the notes, where :math:`\sigma` is a standard deviation (the notes write
    :math:`\mathcal{N}(\mu, \sigma)`; the book writes :math:`\mathcal{N}(\mu, \sigma^2)`):

    .. math:: \mathrm{KL}\big(\mathcal{N}(\mu_0, \sigma_0^2) \,\|\,
              \mathcal{N}(\mu_1, \sigma_1^2)\big) = \log \frac{\sigma_1}{\sigma_0}
              + \frac{\sigma_0^2 + (\mu_0 - \mu_1)^2}{2 \sigma_1^2} - \frac{1}{2}.

    Examples
    --------
    Example 1.11: :math:`p = \mathcal{N}(0, 1)`, :math:`q = \mathcal{N}(0, v^2)`.

    >>> import numpy as np
    >>> from pgmlib import kl_gaussian
    >>> v = np.array([0.5, 1.0, 2.0])
    >>> np.allclose(kl_gaussian(0, 1, 0, v), 0.5 * (np.log(v**2) + v**-2 - 1))
    True
    >>> kl_gaussian(0.0, 1.0, 0.0, 1.0)
    0.0
    """
    m0, m1 = as_float_array(mu0, "mu0"), as_float_array(mu1, "mu1")
    s0, s1 = check_positive(sigma0, "sigma0"), check_positive(sigma1, "sigma1")
    m0, s0, m1, s1 = _broadcast({"mu0": m0, "sigma0": s0, "mu1": m1, "sigma1": s1})
    ratio = s0 / s1
    value = -np.log(ratio) + 0.5 * (ratio**2 + ((m0 - m1) / s1) ** 2) - 0.5
    return _scalar_or_array(np.maximum(value, 0.0))


# --------------------------------------------------------------------------------------------
# Closed forms of Examples 1.9-1.11 (corrected)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Divergences:
    """Three divergences of the same pair of distributions (floats, or arrays of one shape).

    Attributes
    ----------
    l1 : float or ndarray
        :math:`L_1(p \\,\\|\\, q)`.
    kl : float or ndarray
        :math:`\\mathrm{KL}(p \\,\\|\\, q)`.
    chi2 : float or ndarray
        :math:`\\chi^2(p \\,\\|\\, q)`.
    """

    l1: float | np.ndarray
    kl: float | np.ndarray
    chi2: float | np.ndarray


def _check_n(n: ArrayLike) -> np.ndarray:
    n_arr = as_float_array(n, "n")
    if np.any(n_arr <= 1):
        raise ValueError(f"`n` must be > 1 (Example 1.9); got {float(np.min(n_arr)):g}")
    return n_arr


def example_1_9_c(n: ArrayLike) -> float | np.ndarray:
    r"""The constant :math:`c_n` of Example 1.9 that normalises :math:`q_n`, vectorised in ``n``.

    Parameters
    ----------
    n : float or array_like
        Values of :math:`n > 1` (real values are allowed).

    Returns
    -------
    float or ndarray
        :math:`c_n`, same shape as ``n``; decreases to 1 as :math:`n \to \infty`.

    Raises
    ------
    ValueError
        If some ``n`` is not finite or not > 1.

    Notes
    -----
    Eq. (1.33): :math:`\frac{1}{n} e^{-n} + (1 - \frac{1}{n}) c_n = 1` gives

    .. math:: c_n = \frac{n - e^{-n}}{n - 1} = 1 + \frac{1 - e^{-n}}{n - 1}.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import example_1_9_c
    >>> n = 3.0
    >>> bool(np.isclose(np.exp(-n) / n + (1 - 1 / n) * example_1_9_c(n), 1.0))
    True
    """
    n_arr = _check_n(n)
    return _scalar_or_array(1.0 - np.expm1(-n_arr) / (n_arr - 1.0))


def example_1_9_q(x: ArrayLike, n: ArrayLike) -> float | np.ndarray:
    r"""The density :math:`q_n` of Example 1.9, vectorised in ``x`` (and ``n``, broadcast).

    Parameters
    ----------
    x : float or array_like
        Points; outside :math:`[0, 1]` the density is zero.
    n : float or array_like
        :math:`n > 1`, broadcast against ``x``.

    Returns
    -------
    float or ndarray
        :math:`q_n(x)`.

    Raises
    ------
    ValueError
        If ``x`` is not finite, ``n`` is not > 1, or the shapes do not broadcast.

    Notes
    -----
    Example 1.9: with :math:`c_n` from eq. (1.33),

    .. math:: q_n(x) = e^{-n} \, \mathbb{1}_{[0, 1/n)}(x) + c_n \, \mathbb{1}_{[1/n, 1]}(x).

    It has a jump at :math:`x = 1/n` (pass ``points=[1/n]`` to the quadrature functions);
    the value at the jump itself does not matter for any integral.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import example_1_9_q, example_1_9_c
    >>> q = example_1_9_q([0.1, 0.5, 2.0], 4.0)
    >>> bool(np.allclose(q, [np.exp(-4.0), example_1_9_c(4.0), 0.0]))
    True
    """
    x_arr, n_arr = as_float_array(x, "x"), _check_n(n)
    x_arr, n_arr = _broadcast({"x": x_arr, "n": n_arr})
    low = np.exp(-n_arr)
    high = 1.0 - np.expm1(-n_arr) / (n_arr - 1.0)
    inside = (x_arr >= 0) & (x_arr <= 1)
    value = np.where(x_arr < 1.0 / n_arr, low, high)
    return _scalar_or_array(np.where(inside, value, 0.0))


def example_1_9_divergences(n: ArrayLike) -> Divergences:
    r"""L1, KL and chi-square between :math:`p = U(0, 1)` and :math:`q_n` (Example 1.9).

    Parameters
    ----------
    n : float or array_like
        Values of :math:`n > 1`.

    Returns
    -------
    Divergences
        ``l1``, ``kl``, ``chi2`` of :math:`(p \,\|\, q_n)`, each with the shape of ``n``.
        As :math:`n \to \infty`: :math:`L_1 \to 0`, :math:`\mathrm{KL} \to 1`,
        :math:`\chi^2 \to \infty` (``inf`` once :math:`e^n` overflows, :math:`n > 709`).

    Raises
    ------
    ValueError
        If some ``n`` is not finite or not > 1.

    Notes
    -----
    Corrected eqs. (1.34)-(1.35): the notes' factor :math:`n/(n-1)` should be
    :math:`(n-1)/n`, the length of :math:`[1/n, 1]`. With :math:`c_n - 1 = (1 - e^{-n})/(n-1)`,

    .. math::

        L_1(p \,\|\, q_n) &= \frac{1 - e^{-n}}{n} + \frac{n-1}{n} |c_n - 1|
                           = \frac{2 (1 - e^{-n})}{n}, \\
        \mathrm{KL}(p \,\|\, q_n) &= 1 - \frac{n-1}{n} \log c_n, \\
        \chi^2(p \,\|\, q_n) &= \frac{(1 - e^{-n})^2}{n}
            \left(e^{n} + \frac{1}{n - e^{-n}}\right).

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import example_1_9_divergences
    >>> d = example_1_9_divergences(np.array([2.0, 10.0, 1000.0]))
    >>> bool(d.l1[-1] < 0.01 and abs(d.kl[-1] - 1) < 0.01)
    True
    """
    n_arr = _check_n(n)
    one_minus = -np.expm1(-n_arr)  # 1 - e^{-n}, accurate for large n
    log_c = np.log1p(one_minus / (n_arr - 1.0))
    with np.errstate(over="ignore"):
        chi2 = one_minus**2 / n_arr * (np.exp(n_arr) + 1.0 / (n_arr - np.exp(-n_arr)))
    return Divergences(
        l1=_scalar_or_array(2.0 * one_minus / n_arr),
        kl=_scalar_or_array(1.0 - (n_arr - 1.0) / n_arr * log_c),
        chi2=_scalar_or_array(chi2),
    )


def example_1_10_divergences(eps: ArrayLike) -> Divergences:
    r"""L1, KL and chi-square between the Bernoulli pmfs of Example 1.10.

    Parameters
    ----------
    eps : float or array_like
        Values of :math:`\epsilon \in (0, 1)`.

    Returns
    -------
    Divergences
        ``l1``, ``kl``, ``chi2`` of :math:`(p_\epsilon \,\|\, q_\epsilon)` with
        :math:`p_\epsilon = (1 - \epsilon, \epsilon)`, :math:`q_\epsilon = (1 - \epsilon^2,
        \epsilon^2)`, each with the shape of ``eps``. As :math:`\epsilon \to 0`:
        :math:`L_1 \to 0`, :math:`\mathrm{KL} \to 0`, :math:`\chi^2 \to 1`.

    Raises
    ------
    ValueError
        If some ``eps`` is not finite or not in the open interval (0, 1).

    Notes
    -----
    Eq. (1.37) and the corrected eq. (1.36) (the notes' second term
    :math:`|\epsilon - 1 + \epsilon^2|^2` should be :math:`(\epsilon - \epsilon^2)^2 /
    \epsilon^2 = (1 - \epsilon)^2`):

    .. math::

        L_1 &= 2 \epsilon (1 - \epsilon), \\
        \mathrm{KL} &= (1 - \epsilon) \log \frac{1}{1 + \epsilon} + \epsilon \log
                       \frac{1}{\epsilon}, \\
        \chi^2 &= \frac{\epsilon^2 (1 - \epsilon)}{1 + \epsilon} + (1 - \epsilon)^2.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import chi2_divergence, example_1_10_divergences, kl_divergence
    >>> d = example_1_10_divergences(0.2)
    >>> p, q = [0.8, 0.2], [0.96, 0.04]
    >>> bool(np.isclose(d.kl, kl_divergence(p, q)) and np.isclose(d.chi2, chi2_divergence(p, q)))
    True
    """
    e = check_probability(eps, "eps", closed=False)
    return Divergences(
        l1=_scalar_or_array(2.0 * e * (1.0 - e)),
        kl=_scalar_or_array(-(1.0 - e) * np.log1p(e) - e * np.log(e)),
        chi2=_scalar_or_array(e**2 * (1.0 - e) / (1.0 + e) + (1.0 - e) ** 2),
    )


@dataclass(frozen=True)
class KLDirectReverse:
    """The direct and reverse KL divergences of a pair ``(p, q)``.

    Attributes
    ----------
    direct : float or ndarray
        :math:`\\mathrm{KL}(p \\,\\|\\, q)`.
    reverse : float or ndarray
        :math:`\\mathrm{KL}(q \\,\\|\\, p)`.
    """

    direct: float | np.ndarray
    reverse: float | np.ndarray


def example_1_11_divergences(v: ArrayLike, mu: ArrayLike = 0.0) -> KLDirectReverse:
    r"""Direct and reverse KL between :math:`p = \mathcal{N}(0, 1)` and :math:`q =
    \mathcal{N}(\mu, v^2)` (Example 1.11, Figure 1.4), vectorised with broadcasting.

    Parameters
    ----------
    v : float or array_like
        Standard deviation of ``q`` (> 0).
    mu : float or array_like, optional
        Mean of ``q``; the notes' example has ``mu = 0``.

    Returns
    -------
    KLDirectReverse
        ``direct`` :math:`= \mathrm{KL}(p \,\|\, q)` and ``reverse`` :math:`=
        \mathrm{KL}(q \,\|\, p)`, from :func:`kl_gaussian`.

    Raises
    ------
    ValueError
        As :func:`kl_gaussian`.

    Notes
    -----
    For :math:`\mu = 0`, eq. (1.38) gives the notes' two curves

    .. math:: \mathrm{KL}(p \,\|\, q) = \tfrac12 (\log v^2 + v^{-2} - 1), \qquad
              \mathrm{KL}(q \,\|\, p) = \tfrac12 (-\log v^2 + v^2 - 1).

    The direct KL blows up as :math:`v \to 0` (``q`` too narrow misses mass of ``p``), the
    reverse one as :math:`v \to \infty`.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import example_1_11_divergences
    >>> kl = example_1_11_divergences(np.array([0.5, 2.0]))
    >>> bool(np.allclose(kl.direct, kl.reverse[::-1]))  # v <-> 1/v swaps the directions
    True
    """
    return KLDirectReverse(
        direct=kl_gaussian(0.0, 1.0, mu, v),
        reverse=kl_gaussian(mu, v, 0.0, 1.0),
    )


# --------------------------------------------------------------------------------------------
# A Gaussian approximating a univariate Gaussian mixture (section 1.7, suggested exercise 4)
# --------------------------------------------------------------------------------------------

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_DIRECTIONS = ("forward", "reverse")
#: kl_mixture_gaussian integrates over the union of [m - L s, m + L s] of every component and
#: of q, L = _KL_SPAN: each density has mass e^{-72}-ish outside its own interval.
_KL_SPAN = 12.0
#: The trapezoid rule for expectations under N(mu, sigma^2) runs over |z| <= _Z_MAX standard
#: deviations (N(0, 1) has mass 2.3e-19 beyond), with a step in z of at most _STEP_Z_MAX ...
_Z_MAX = 9.0
_STEP_Z_MAX = 0.5
#: ... and in x of at most 1/_STEPS_PER_FEATURE of the scale on which log p bends (relative
#: error ~1e-12 against quadrature on random mixtures).
_STEPS_PER_FEATURE = 3.0
#: Node cap (q more than ~10^4 times wider than the finest feature of p loses accuracy), and
#: the most values (elements x nodes x components) one array of an evaluation holds.
_MAX_HALF_NODES = 2**14
_CHUNK_VALUES = 2_000_000
#: Iteration budget of the reverse-KL minimiser (scipy's trust-exact) and its gradient tolerance
#: in the standardised coordinates ((mu - mean of p) / sd of p, log(sigma / sd of p)); then at
#: most _POLISH_STEPS Newton steps towards a gradient of _POLISH_GTOL.
_REVERSE_MAX_ITER = 200
_REVERSE_GTOL = 1e-8
_POLISH_STEPS = 10
_POLISH_GTOL = 1e-13
#: Profile over the mean: Newton iterations in log sigma and the tolerance on d KL / d log sigma.
_PROFILE_MAX_ITER = 60
_PROFILE_GTOL = 1e-10
#: Reverse fits within this fraction of p's standard deviation (in mu and in sigma) are the
#: same optimum.
_SAME_OPTIMUM_RTOL = 5e-3


class GaussianFit(NamedTuple):
    """A Gaussian :math:`q = \\mathcal{N}(\\mu, \\sigma^2)` fitted to a target (unpacks as a pair).

    Attributes
    ----------
    mu : float
        Mean of :math:`q`.
    sigma : float
        Standard deviation of :math:`q` (> 0).
    """

    mu: float
    sigma: float


class _Mixture(NamedTuple):
    """A checked mixture: the components of positive weight, and scales derived from them."""

    log_weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    mean: float
    sd: float
    feature: float


def _feature_scale(means: np.ndarray, sds: np.ndarray) -> float:
    """The scale on which log p bends: the distance of p's complex zeros from the real line.

    For two components of standard deviation s at distance d, log p turns from one parabola to
    the other over a width of about s^2 / d, and p has complex zeros at imaginary part
    pi s^2 / d; for a pair (i, j) we take min(s_i, s_j, pi s_i s_j / |m_i - m_j|), and the
    smallest over pairs. One component: log p is a parabola (infinite scale).
    """
    if means.size < 2:
        return math.inf
    i, j = np.triu_indices(means.size, k=1)
    gap = np.abs(means[i] - means[j])
    with np.errstate(divide="ignore"):
        bend = np.where(gap > 0, np.pi * sds[i] * sds[j] / gap, np.inf)
    return float(np.min(np.minimum(np.minimum(sds[i], sds[j]), bend)))


def _mixture(weights: Any, means: Any, sds: Any) -> _Mixture:
    w, m, s = check_mixture_1d(weights, means, sds)
    keep = w > 0
    w, m, s = w[keep] / np.sum(w[keep]), m[keep], s[keep]
    mean = float(w @ m)
    sd = math.sqrt(float(w @ (s**2 + (m - mean) ** 2)))
    return _Mixture(np.log(w), m, s, mean, sd, _feature_scale(m, s))


def _component_log_pdfs(x: np.ndarray, mixture: _Mixture) -> np.ndarray:
    """log(w_k N(x; m_k, s_k^2)) with the components along a new first axis, shape (K, *x.shape)
    (sums over the components are then elementwise operations on contiguous blocks)."""
    x = np.asarray(x, dtype=float)
    shape = (-1,) + (1,) * x.ndim
    offset = (mixture.log_weights - np.log(mixture.sds) - _LOG_SQRT_2PI).reshape(shape)
    return offset - 0.5 * ((x - mixture.means.reshape(shape)) / mixture.sds.reshape(shape)) ** 2


def _mixture_log_pdf(x: np.ndarray, mixture: _Mixture) -> np.ndarray:
    """log p(x) by :func:`scipy.special.logsumexp`: finite where every component underflows."""
    return special.logsumexp(_component_log_pdfs(x, mixture), axis=0)


def _log_pdf_and_responsibilities(x: np.ndarray, mixture: _Mixture):
    """log p(x) and the responsibilities r_k(x) = w_k N(x; m_k, s_k^2) / p(x), shape (K, ...).

    The max-shift of logsumexp, written out because the shifted exponentials are the
    responsibilities as well (and scipy's logsumexp costs about 15 times more on these arrays).
    """
    log_joint = _component_log_pdfs(x, mixture)
    top = np.max(log_joint, axis=0)
    joint = np.exp(log_joint - top)
    total = np.sum(joint, axis=0)
    return top + np.log(total), joint / total


def _log_mixture_derivatives(x: np.ndarray, mixture: _Mixture):
    """log p, (log p)' and (log p)'' at ``x``, through the responsibilities r_k(x).

    (log p)' = sum_k r_k g_k with g_k = -(x - m_k) / s_k^2, and
    (log p)'' = sum_k r_k (g_k - (log p)')^2 - sum_k r_k / s_k^2 (a variance: no cancellation).
    """
    log_p, resp = _log_pdf_and_responsibilities(x, mixture)
    shape = (-1,) + (1,) * x.ndim
    precision = (1.0 / mixture.sds**2).reshape(shape)
    slope = (mixture.means.reshape(shape) - x) * precision
    d1 = np.sum(resp * slope, axis=0)
    d2 = np.sum(resp * ((slope - d1) ** 2 - precision), axis=0)
    return log_p, d1, d2


@functools.lru_cache(maxsize=64)
def _trapezoid_rule(half: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes z and weights of the trapezoid rule for E[f(Z)], Z ~ N(0, 1), on |z| <= _Z_MAX."""
    z = np.linspace(-_Z_MAX, _Z_MAX, 2 * half + 1)
    weights = (z[1] - z[0]) * np.exp(-0.5 * z**2 - _LOG_SQRT_2PI)
    z.flags.writeable = weights.flags.writeable = False
    return z, weights


def _node_groups(mixture: _Mixture, sigma: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """The elements of ``sigma`` grouped by the trapezoid rule each needs: (indices, half).

    The rule for E_q[f(X)], q = N(mu, sigma^2), f built from log p, has nodes z_i = i h on
    |z| <= _Z_MAX. The trapezoid rule converges geometrically for integrands analytic in a
    strip around the real line, at a rate set by the strip's width over the step; the strip of
    log p(mu + sigma z) in z is the feature scale of p over sigma, so h = min(1/2, feature /
    (_STEPS_PER_FEATURE sigma)). (Gauss-Hermite nodes, spread over q's whole width, resolve
    a bend of log p between two modes only slowly: about 1e-2 relative error with 100 nodes
    for modes at +-4 of sd 1 and q = N(0, 3^2).) The number of nodes is rounded up to a power
    of sqrt(2), so one rule serves elements of similar sigma and a result does not depend (up
    to rounding) on which other elements share the call. Groups are split into chunks of at
    most about _CHUNK_VALUES values per array (elements x nodes x components): bounded memory.
    """
    step = np.minimum(_STEP_Z_MAX, mixture.feature / (_STEPS_PER_FEATURE * sigma))
    needed = np.minimum(np.ceil(_Z_MAX / step), _MAX_HALF_NODES)
    halves = np.minimum(np.ceil(np.sqrt(2.0 ** np.ceil(2.0 * np.log2(needed)))), _MAX_HALF_NODES)
    groups = []
    for half in np.unique(halves):
        idx = np.flatnonzero(halves == half)
        size = max(1, _CHUNK_VALUES // ((2 * int(half) + 1) * mixture.means.size))
        groups += [(idx[k : k + size], int(half)) for k in range(0, idx.size, size)]
    return groups


def _expected_log_mixture(mixture: _Mixture, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """E[log p(X)] for X ~ N(mu, sigma^2), elementwise over the 1-D arrays ``mu``, ``sigma``."""
    expected = np.empty(mu.shape)
    for idx, half in _node_groups(mixture, sigma):
        z, weights = _trapezoid_rule(half)
        x = mu[idx, None] + sigma[idx, None] * z
        expected[idx] = _log_pdf_and_responsibilities(x, mixture)[0] @ weights
    return expected


def _reverse_kl_group(mixture: _Mixture, mu: np.ndarray, sigma: np.ndarray, half: int):
    z, weights = _trapezoid_rule(half)
    spread = sigma[:, None] * z
    log_p, d1, d2 = _log_mixture_derivatives(mu[:, None] + spread, mixture)
    first = (d1 * spread) @ weights
    return (
        -0.5 - _LOG_SQRT_2PI - np.log(sigma) - log_p @ weights,
        -(d1 @ weights),
        -1.0 - first,
        -(d2 @ weights),
        -((d2 * spread) @ weights),
        -first - (d2 * spread**2) @ weights,
    )


def _reverse_kl_terms(mixture: _Mixture, mu: np.ndarray, sigma: np.ndarray):
    """KL(q || p) for q = N(mu, sigma^2), its gradient and Hessian in (mu, s = log sigma).

    With X = mu + sigma Z: KL = -H(q) - E[log p(X)], H(q) = 1/2 + log(sqrt(2 pi) sigma);
    d/dmu = -E[(log p)'], d/ds = -1 - E[(log p)' sigma Z]; d2/dmu2 = -E[(log p)''],
    d2/dmu ds = -E[(log p)'' sigma Z], d2/ds2 = -E[(log p)' sigma Z] - E[(log p)'' sigma^2 Z^2].
    Elementwise over the 1-D arrays ``mu`` and ``sigma``; returns
    ``(kl, (d_mu, d_s), ((d_mu_mu, d_mu_s), (d_mu_s, d_s_s)))``.
    """
    terms = np.empty((6, mu.size))
    for idx, half in _node_groups(mixture, sigma):
        terms[:, idx] = _reverse_kl_group(mixture, mu[idx], sigma[idx], half)
    kl, d_mu, d_s, d_mu_mu, d_mu_s, d_s_s = terms
    return kl, (d_mu, d_s), ((d_mu_mu, d_mu_s), (d_mu_s, d_s_s))


def _mixture_entropy(mixture: _Mixture) -> float:
    """H(p) = -sum_k w_k E_{N(m_k, s_k^2)}[log p]: each expectation under one component."""
    expected = _expected_log_mixture(mixture, mixture.means, mixture.sds)
    return -float(np.exp(mixture.log_weights) @ expected)


def _cross_entropy(mixture: _Mixture, mu: float, sigma: float) -> float:
    """H(p, q) = E_p[-log q] for Gaussian q: it needs only the mean and variance of p."""
    return (
        _LOG_SQRT_2PI
        + math.log(sigma)
        + (mixture.sd**2 + (mixture.mean - mu) ** 2) / (2.0 * sigma**2)
    )


def _both_kl(mixture: _Mixture, fit: GaussianFit, entropy: float) -> KLDirectReverse:
    """KL(p || q) = H(p, q) - H(p) and KL(q || p) for q = N(fit.mu, fit.sigma^2)."""
    reverse, _, _ = _reverse_kl_terms(mixture, np.array([fit.mu]), np.array([fit.sigma]))
    return KLDirectReverse(
        direct=max(_cross_entropy(mixture, fit.mu, fit.sigma) - entropy, 0.0),
        reverse=max(float(reverse[0]), 0.0),
    )


def kl_mixture_gaussian(
    weights: ArrayLike,
    means: ArrayLike,
    sds: ArrayLike,
    mu: float,
    sigma: float,
    direction: str = "forward",
) -> float:
    r"""KL divergence between a univariate Gaussian mixture :math:`p` and a Gaussian :math:`q`.

    Parameters
    ----------
    weights : array_like, shape (K,)
        Mixing weights :math:`w_k \ge 0`, summing to one (within 1e-9).
    means : array_like, shape (K,)
        Component means :math:`m_k`.
    sds : array_like, shape (K,)
        Component standard deviations :math:`s_k > 0`.
    mu, sigma : float
        Mean and standard deviation (> 0) of :math:`q = \mathcal{N}(\mu, \sigma^2)`.
    direction : {"forward", "reverse"}, default "forward"
        ``"forward"``: :math:`\mathrm{KL}(p \,\|\, q)`; ``"reverse"``:
        :math:`\mathrm{KL}(q \,\|\, p)`.

    Returns
    -------
    float
        The divergence (>= 0, finite), to a relative accuracy of 1e-6 or better.

    Raises
    ------
    TypeError
        If an argument has the wrong type (``direction`` not a string, ``mu`` not a number...).
    ValueError
        If ``weights`` are negative or do not sum to one, a standard deviation is not > 0,
        the three arrays differ in length or are empty, a value is not finite, or
        ``direction`` is unknown.

    Notes
    -----
    With :math:`p(x) = \sum_k w_k \mathcal{N}(x; m_k, s_k^2)` (definition 1.5 of the notes),

    .. math:: \mathrm{KL}(p \,\|\, q) = \mathbb{E}_p[\log p - \log q], \qquad
              \mathrm{KL}(q \,\|\, p) = \mathbb{E}_q[\log q - \log p],

    integrated by adaptive quadrature (:func:`scipy.integrate.quad`, relative tolerance
    1e-12). The integrand is formed in log space: :math:`\log p` by
    :func:`scipy.special.logsumexp` over the components, so it stays finite where every
    component underflows, and the weight :math:`e^{\log p}` or :math:`e^{\log q}` multiplies a
    finite difference of logs: far tails give 0, never ``nan``.

    Integration limits: the union of :math:`[m_k - 12 s_k, m_k + 12 s_k]` over the components
    and :math:`[\mu - 12\sigma, \mu + 12\sigma]`. The integrand carries the density of the
    first argument (:math:`p` or :math:`q`) times a difference of logs that grows only
    quadratically, and that density puts mass below :math:`10^{-32}` outside its intervals, so
    the tails left out are far below the tolerance; an infinite range would instead let quad
    sample a region where everything underflows and miss narrow components. The means
    :math:`m_k` and :math:`\mu` are passed as breakpoints, so a narrow component or a narrow
    :math:`q` on a wide interval is never stepped over.

    Examples
    --------
    One component: the KL between two Gaussians, eq. (1.38).

    >>> import numpy as np
    >>> from pgmlib import kl_gaussian, kl_mixture_gaussian
    >>> kl = kl_mixture_gaussian([1.0], [0.0], [1.0], 1.0, 2.0)
    >>> bool(np.isclose(kl, kl_gaussian(0.0, 1.0, 1.0, 2.0), rtol=1e-10))
    True
    >>> kl = kl_mixture_gaussian([1.0], [0.0], [1.0], 1.0, 2.0, direction="reverse")
    >>> bool(np.isclose(kl, kl_gaussian(1.0, 2.0, 0.0, 1.0), rtol=1e-10))
    True
    """
    mixture = _mixture(weights, means, sds)
    mu = as_scalar(mu, "mu")
    sigma = check_positive_scalar(sigma, "sigma")
    direction = check_choice(direction, "direction", _DIRECTIONS)
    low = min(float(np.min(mixture.means - _KL_SPAN * mixture.sds)), mu - _KL_SPAN * sigma)
    high = max(float(np.max(mixture.means + _KL_SPAN * mixture.sds)), mu + _KL_SPAN * sigma)
    points = sorted({*mixture.means.tolist(), mu})
    forward = direction == "forward"

    def log_densities(x: float) -> tuple[float, float]:
        log_p = _mixture_log_pdf(np.array(x), mixture)
        log_q = -0.5 * ((x - mu) / sigma) ** 2 - math.log(sigma) - _LOG_SQRT_2PI
        return float(log_p), log_q

    def integrand(x: float) -> float:
        log_p, log_q = log_densities(x)
        log_weight, difference = (log_p, log_p - log_q) if forward else (log_q, log_q - log_p)
        weight = math.exp(log_weight)
        return 0.0 if weight == 0.0 else weight * difference  # 0 log 0 = 0: no inf * 0

    return max(_quad(integrand, low, high, points, f"the {direction} KL integrand"), 0.0)


def fit_gaussian_forward_kl(weights: ArrayLike, means: ArrayLike, sds: ArrayLike) -> GaussianFit:
    r"""The Gaussian :math:`q` minimising :math:`\mathrm{KL}(p \,\|\, q)` for a mixture :math:`p`.

    Parameters
    ----------
    weights, means, sds : array_like, shape (K,)
        The mixture :math:`p = \sum_k w_k \mathcal{N}(m_k, s_k^2)` (see
        :func:`kl_mixture_gaussian`).

    Returns
    -------
    GaussianFit
        ``(mu, sigma)``: the mean and standard deviation of :math:`p` (moment matching).

    Raises
    ------
    TypeError, ValueError
        As :func:`kl_mixture_gaussian` for the mixture.

    Notes
    -----
    :math:`\mathrm{KL}(p \,\|\, q) = -H(p) + H(p, q)`, and for Gaussian :math:`q`

    .. math:: H(p, q) = \mathbb{E}_p[-\log q] = \log(\sqrt{2\pi}\,\sigma)
              + \frac{\mathrm{Var}_p(X) + (\mathbb{E}_p X - \mu)^2}{2\sigma^2}

    depends on :math:`p` only through its mean and variance. :math:`H(p)` does not depend on
    :math:`q`, so the minimiser is unique and matches the moments:

    .. math:: \mu = \sum_k w_k m_k, \qquad
              \sigma^2 = \sum_k w_k (s_k^2 + m_k^2) - \mu^2.

    Examples
    --------
    Two modes at :math:`\pm 2`: :math:`q` sits between them, wide enough to cover both.

    >>> import numpy as np
    >>> from pgmlib import fit_gaussian_forward_kl
    >>> mu, sigma = fit_gaussian_forward_kl([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0])
    >>> float(mu), bool(np.isclose(sigma, np.sqrt(1.0 + 4.0)))
    (0.0, True)
    """
    mixture = _mixture(weights, means, sds)
    return GaussianFit(mixture.mean, mixture.sd)


class _Objective:
    """KL(q || p) with gradient and Hessian in standardised coordinates, one evaluation per
    point: theta = ((mu - centre) / scale, log(sigma / scale)), centre and scale those of p."""

    def __init__(self, mixture: _Mixture) -> None:
        self.mixture, self._theta, self._terms = mixture, None, None

    def parameters(self, theta: np.ndarray) -> GaussianFit:
        scale = self.mixture.sd
        return GaussianFit(
            float(self.mixture.mean + scale * theta[0]), float(scale * np.exp(theta[1]))
        )

    def _evaluate(self, theta: np.ndarray):
        if self._theta is None or not np.array_equal(theta, self._theta):
            mu, sigma = self.parameters(theta)
            kl, grad, hess = _reverse_kl_terms(self.mixture, np.array([mu]), np.array([sigma]))
            scale = np.array([self.mixture.sd, 1.0])
            gradient = np.array([g[0] for g in grad]) * scale
            hessian = np.array([[h[0] for h in row] for row in hess]) * np.outer(scale, scale)
            self._theta, self._terms = np.array(theta), (float(kl[0]), gradient, hessian)
        return self._terms

    def value_and_gradient(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        kl, gradient, _ = self._evaluate(theta)
        return kl, gradient

    def hessian(self, theta: np.ndarray) -> np.ndarray:
        return self._evaluate(theta)[2]


def _polish(objective: _Objective, theta: np.ndarray) -> tuple[np.ndarray, float]:
    """Newton steps on grad KL = 0 where the Hessian is positive definite.

    The trust region stops when the reduction it predicts is below the rounding of KL itself,
    while the gradient is still accurate: a few Newton steps take it from ~1e-9 to ~1e-13.
    Returns the point and its gradient norm (a step is kept only if it lowers the norm).
    """
    _, gradient = objective.value_and_gradient(theta)
    norm = float(np.linalg.norm(gradient))
    for _ in range(_POLISH_STEPS):
        if norm <= _POLISH_GTOL:
            break
        try:
            chol = np.linalg.cholesky(objective.hessian(theta))
        except np.linalg.LinAlgError:
            break
        step = np.linalg.solve(chol.T, np.linalg.solve(chol, gradient))
        _, new_gradient = objective.value_and_gradient(theta - step)
        new_norm = float(np.linalg.norm(new_gradient))
        if not new_norm < norm:
            break
        theta, gradient, norm = theta - step, new_gradient, new_norm
    return theta, norm


def _fit_reverse(mixture: _Mixture, mu0: float, sigma0: float):
    """Minimise KL(q || p) from (mu0, sigma0): trust-region Newton (scipy's trust-exact), then
    Newton polish. Returns the fit, whether the gradient met its tolerance, and scipy's result.
    """
    objective = _Objective(mixture)
    start = np.array([(mu0 - mixture.mean) / mixture.sd, math.log(sigma0 / mixture.sd)])
    result = optimize.minimize(
        objective.value_and_gradient,
        start,
        jac=True,
        hess=objective.hessian,
        method="trust-exact",
        options={
            "gtol": _REVERSE_GTOL,
            "maxiter": _REVERSE_MAX_ITER,
            "initial_trust_radius": 0.5,
            "max_trust_radius": 2.0,
        },
    )
    theta = result.x if np.all(np.isfinite(result.x)) else start
    if result.status != 1:  # not stopped by the iteration budget
        theta, _ = _polish(objective, theta)
    _, gradient = objective.value_and_gradient(theta)
    converged = float(np.linalg.norm(gradient)) <= _REVERSE_GTOL
    return objective.parameters(theta), converged, result


def _convergence_message(result: Any, mu0: float, sigma0: float) -> str:
    return (
        f"the minimisation of KL(q || p) from (mu0, sigma0) = ({mu0:g}, {sigma0:g}) did not "
        f"converge in {result.nit} iterations (gradient norm "
        f"{float(np.linalg.norm(result.jac)):.3g} > {_REVERSE_GTOL:g}; scipy: "
        f"{result.message}); the returned (mu, sigma) is the last iterate"
    )


def fit_gaussian_reverse_kl(
    weights: ArrayLike, means: ArrayLike, sds: ArrayLike, mu0: float, sigma0: float
) -> GaussianFit:
    r"""A local minimiser of :math:`\mathrm{KL}(q \,\|\, p)` over Gaussians :math:`q`, from a
    starting point.

    Parameters
    ----------
    weights, means, sds : array_like, shape (K,)
        The mixture :math:`p = \sum_k w_k \mathcal{N}(m_k, s_k^2)` (see
        :func:`kl_mixture_gaussian`).
    mu0, sigma0 : float
        The starting Gaussian :math:`\mathcal{N}(\mu_0, \sigma_0^2)` (``sigma0 > 0``).

    Returns
    -------
    GaussianFit
        ``(mu, sigma)`` of the local minimum reached from the start (to 1e-3 or better in each;
        the gradient there is below 1e-8, typically 1e-13, in the coordinates of the Notes).

    Raises
    ------
    TypeError, ValueError
        As :func:`kl_mixture_gaussian` for the mixture; if ``mu0`` is not a finite number or
        ``sigma0`` is not > 0.

    Warns
    -----
    ConvergenceWarning
        If the minimiser stops before meeting its tolerance (the last iterate is returned).

    Notes
    -----
    With :math:`q = \mathcal{N}(\mu, \sigma^2)`, :math:`X = \mu + \sigma Z`,
    :math:`Z \sim \mathcal{N}(0, 1)` and :math:`s = \log \sigma`,

    .. math::

        \mathrm{KL}(q \,\|\, p) &= \mathbb{E}_q[\log q - \log p]
            = -\tfrac12 - \log(\sqrt{2\pi}\,\sigma) - \mathbb{E}[\log p(X)], \\
        \frac{\partial \mathrm{KL}}{\partial \mu} &= -\mathbb{E}[(\log p)'(X)], \qquad
        \frac{\partial \mathrm{KL}}{\partial s} = -1 - \mathbb{E}[(\log p)'(X)\, \sigma Z],

    and the Hessian likewise through :math:`(\log p)''`. The reverse KL is small only where
    :math:`q` puts its mass where :math:`p` has mass, and :math:`-\mathbb{E}_q[\log p]` blows up
    where :math:`q` covers a valley of :math:`p`: for a multimodal :math:`p` each mode has its
    own local minimum (mode seeking), and the start decides which one is found.

    The expectations use the trapezoid rule in :math:`z` on :math:`|z| \le 10`, with a step
    small enough for the scale on which :math:`\log p` bends between components (relative
    error about 1e-12 against quadrature, still 1e-7 when :math:`q` is 1e5 times wider than
    that scale and the node count is capped; Gauss-Hermite nodes resolve the bend slowly
    when :math:`q` is wide). :func:`scipy.optimize.minimize` (``trust-exact``, exact Hessian)
    works in :math:`((\mu - \bar m)/\tau, \log(\sigma/\tau))`, with :math:`\bar m, \tau` the
    mean and standard deviation of :math:`p`, so its steps are scale-free; a few Newton steps
    then polish the minimum below the rounding of the KL itself.

    Examples
    --------
    A symmetric bimodal :math:`p`: started left, :math:`q` finds the left mode; started right,
    the mirror image.

    >>> import numpy as np
    >>> from pgmlib import fit_gaussian_reverse_kl
    >>> p = ([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0])
    >>> left = fit_gaussian_reverse_kl(*p, mu0=-4.0, sigma0=1.0)
    >>> right = fit_gaussian_reverse_kl(*p, mu0=4.0, sigma0=1.0)
    >>> bool(np.allclose([left.mu, left.sigma], [-right.mu, right.sigma], atol=1e-8))
    True
    >>> bool(abs(left.mu + 3.0) < 0.05 and abs(left.sigma - 1.0) < 0.05)  # near the mode
    True
    """
    mixture = _mixture(weights, means, sds)
    mu0, sigma0 = as_scalar(mu0, "mu0"), check_positive_scalar(sigma0, "sigma0")
    fit, converged, result = _fit_reverse(mixture, mu0, sigma0)
    if not converged:
        warnings.warn(_convergence_message(result, mu0, sigma0), ConvergenceWarning, stacklevel=2)
    return fit


class ReverseKLProfile(NamedTuple):
    """The reverse KL minimised over the standard deviation of q, for each mean of q.

    Attributes
    ----------
    mu : ndarray, shape (n,)
        The means of :math:`q`.
    sigma : ndarray, shape (n,)
        For each mean, the standard deviation minimising :math:`\\mathrm{KL}(q \\,\\|\\, p)`.
    kl : ndarray, shape (n,)
        That minimum, :math:`\\min_\\sigma \\mathrm{KL}(\\mathcal{N}(\\mu, \\sigma^2) \\,\\|\\, p)`.
    """

    mu: np.ndarray
    sigma: np.ndarray
    kl: np.ndarray


def _profile_starts(mixture: _Mixture, mus: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts in log sigma: narrow for every mean (the sds of the components, weighted by their
    responsibility at mu), and wide (the sd of p) for the means between the outermost
    components, where a q over several modes can beat a q on one (elsewhere: nan, no run)."""
    _, resp = _log_pdf_and_responsibilities(mus, mixture)
    inside = (mus > np.min(mixture.means)) & (mus < np.max(mixture.means))
    return np.log(mixture.sds @ resp), np.where(inside, math.log(mixture.sd), np.nan)


def _profile_log_sigma(
    mixture: _Mixture, mus: np.ndarray, s: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Safeguarded Newton on d KL / d log sigma = 0 from ``s``, vectorised over the means.

    A bracket [low, high] of log sigma with derivative < 0 at low and > 0 at high is kept
    (at sigma = 1e-3 min s_k the derivative is -1 + O(1e-6) < 0, so low is known from the
    start); a Newton step that leaves it, or a non-convex point, becomes a bisection (or a
    unit step up while no upper end is known). The root found is a local minimum in sigma.
    A mean whose derivative meets the tolerance is never moved again; a mean starting at nan
    is skipped. Returns log sigma and the means' convergence flags.
    """
    s = np.array(s, dtype=float)
    low = np.full_like(s, math.log(1e-3 * float(np.min(mixture.sds))))
    high = np.full_like(s, np.inf)
    active = np.isfinite(s)
    for _ in range(_PROFILE_MAX_ITER):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        _, (_, slope), (_, (_, curvature)) = _reverse_kl_terms(mixture, mus[idx], np.exp(s[idx]))
        low[idx] = np.where(slope < 0, s[idx], low[idx])
        high[idx] = np.where(slope > 0, s[idx], high[idx])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(curvature > 0, -slope / curvature, -np.sign(slope))
        trial = s[idx] + np.clip(step, -1.0, 1.0)
        outside = (trial <= low[idx]) | (trial >= high[idx])
        fallback = np.where(np.isfinite(high[idx]), 0.5 * (low[idx] + high[idx]), s[idx] + 1.0)
        moving = (np.abs(slope) > _PROFILE_GTOL) & (high[idx] - low[idx] > 1e-13)
        s[idx] = np.where(moving, np.where(outside, fallback, trial), s[idx])
        active[idx] = moving
    return s, ~active


def reverse_kl_profile(
    weights: ArrayLike, means: ArrayLike, sds: ArrayLike, mus: ArrayLike
) -> ReverseKLProfile:
    r"""The reverse KL as a function of the mean of :math:`q`, its standard deviation optimised.

    Parameters
    ----------
    weights, means, sds : array_like, shape (K,)
        The mixture :math:`p = \sum_k w_k \mathcal{N}(m_k, s_k^2)` (see
        :func:`kl_mixture_gaussian`).
    mus : array_like, shape (n,)
        Means of :math:`q` at which to profile.

    Returns
    -------
    ReverseKLProfile
        ``(mu, sigma, kl)``: for each mean, the minimising standard deviation and the minimum
        :math:`\min_\sigma \mathrm{KL}(\mathcal{N}(\mu, \sigma^2) \,\|\, p)`.

    Raises
    ------
    TypeError, ValueError
        As :func:`kl_mixture_gaussian` for the mixture; if ``mus`` is not a non-empty 1-D
        array of finite numbers.

    Warns
    -----
    ConvergenceWarning
        If the search over :math:`\sigma` stops before meeting its tolerance for some mean.

    Notes
    -----
    :math:`\sigma` is found where :math:`\partial \mathrm{KL} / \partial \log\sigma
    = -1 - \mathbb{E}[(\log p)'(\mu + \sigma Z)\, \sigma Z] = 0` (see
    :func:`fit_gaussian_reverse_kl`) by a safeguarded Newton iteration that keeps a bracket
    where the derivative changes sign from negative to positive, so it ends at a local minimum
    in :math:`\sigma` (the smallest :math:`\sigma` of the components, divided by 1000, is
    always on its negative side). Two searches run for each mean between the outermost
    components, one from the standard deviation of the components responsible for
    :math:`\mu` (a narrow :math:`q` on one mode) and one from that of :math:`p` (a wide
    :math:`q` over several), and the lower minimum is kept; outside, only the first. The local
    minima of the profile over :math:`\mu` are then the local minima of
    :math:`\mathrm{KL}(q \,\|\, p)` over :math:`(\mu, \sigma)`: the reverse fits.

    Examples
    --------
    At the mean of a reverse fit, the profile is the KL of that fit:

    >>> import numpy as np
    >>> from pgmlib import fit_gaussian_reverse_kl, kl_mixture_gaussian, reverse_kl_profile
    >>> p = ([0.3, 0.7], [-3.0, 3.0], [1.0, 1.0])
    >>> fit = fit_gaussian_reverse_kl(*p, mu0=-4.0, sigma0=1.0)
    >>> profile = reverse_kl_profile(*p, [fit.mu])
    >>> bool(np.isclose(profile.sigma[0], fit.sigma, rtol=1e-6))
    True
    >>> kl = kl_mixture_gaussian(*p, fit.mu, fit.sigma, direction="reverse")
    >>> bool(np.isclose(profile.kl[0], kl, rtol=1e-8))
    True
    """
    mixture = _mixture(weights, means, sds)
    mu = as_float_array(mus, "mus", ndim=1)
    runs = [_profile_log_sigma(mixture, mu, start) for start in _profile_starts(mixture, mu)]
    sigmas = np.exp([log_sigma for log_sigma, _ in runs])
    kls = np.full(sigmas.shape, np.inf)
    for kl, sigma in zip(kls, sigmas, strict=True):
        ran = np.isfinite(sigma)
        kl[ran] = _reverse_kl_terms(mixture, mu[ran], sigma[ran])[0]
    best = np.argmin(kls, axis=0)
    columns = np.arange(mu.size)
    if not np.all(np.array([converged for _, converged in runs])[best, columns]):
        warnings.warn(
            f"reverse_kl_profile: the search over sigma did not converge in "
            f"{_PROFILE_MAX_ITER} iterations for some means; those sigmas are the last iterates",
            ConvergenceWarning,
            stacklevel=2,
        )
    return ReverseKLProfile(mu, sigmas[best, columns], np.maximum(kls[best, columns], 0.0))


@dataclass(frozen=True)
class ForwardReverseFits:
    """The forward fit and the reverse fits of a Gaussian to a mixture, and their divergences.

    Attributes
    ----------
    forward : GaussianFit
        The minimiser of :math:`\\mathrm{KL}(p \\,\\|\\, q)` (moment matching).
    reverse : tuple of GaussianFit
        The local minimiser of :math:`\\mathrm{KL}(q \\,\\|\\, p)` reached from each start.
    starts : tuple of GaussianFit
        The starting points of the reverse fits, in order.
    forward_kl : KLDirectReverse
        ``direct`` :math:`= \\mathrm{KL}(p \\,\\|\\, q)` and ``reverse``
        :math:`= \\mathrm{KL}(q \\,\\|\\, p)` at the forward fit.
    reverse_kl : tuple of KLDirectReverse
        The same at each reverse fit.
    same_optimum : bool
        True when every start reached the same reverse fit (to 0.5 % of the standard deviation
        of :math:`p`, in :math:`\\mu` and in :math:`\\sigma`).
    converged : bool
        False when a reverse fit stopped before meeting its tolerance (a
        :class:`pgmlib.ConvergenceWarning` was issued).
    """

    forward: GaussianFit
    reverse: tuple[GaussianFit, ...]
    starts: tuple[GaussianFit, ...]
    forward_kl: KLDirectReverse
    reverse_kl: tuple[KLDirectReverse, ...]
    same_optimum: bool
    converged: bool


def _default_starts(mixture: _Mixture) -> tuple[GaussianFit, GaussianFit]:
    """One standard deviation left of the leftmost component and right of the rightmost."""
    left, right = int(np.argmin(mixture.means)), int(np.argmax(mixture.means))
    return (
        GaussianFit(float(mixture.means[left] - mixture.sds[left]), float(mixture.sds[left])),
        GaussianFit(float(mixture.means[right] + mixture.sds[right]), float(mixture.sds[right])),
    )


def _check_starts(starts: Any, mixture: _Mixture) -> tuple[GaussianFit, ...]:
    if starts is None:
        return _default_starts(mixture)
    array = as_float_array(starts, "starts", ndim=2)
    if array.shape[1] != 2:
        raise ValueError(f"`starts` must have shape (n, 2), rows (mu0, sigma0); got {array.shape}")
    if np.any(array[:, 1] <= 0):
        raise ValueError(
            f"`starts` must have sigma0 > 0 in every row; got min = {np.min(array[:, 1]):g}"
        )
    return tuple(GaussianFit(float(m), float(s)) for m, s in array)


def _same_optimum(fits: Sequence[GaussianFit], scale: float) -> bool:
    values = np.array(fits, dtype=float)
    return bool(np.all(np.abs(values - values[0]) <= _SAME_OPTIMUM_RTOL * scale))


def forward_reverse_kl_fits(
    weights: ArrayLike, means: ArrayLike, sds: ArrayLike, starts: ArrayLike | None = None
) -> ForwardReverseFits:
    r"""Forward and reverse Gaussian fits to a mixture, with both KLs of each (exercise 4).

    Parameters
    ----------
    weights, means, sds : array_like, shape (K,)
        The mixture :math:`p = \sum_k w_k \mathcal{N}(m_k, s_k^2)` (see
        :func:`kl_mixture_gaussian`).
    starts : array_like, shape (n, 2), optional
        Rows ``(mu0, sigma0)`` from which to minimise :math:`\mathrm{KL}(q \,\|\, p)`. Default:
        one standard deviation left of the leftmost component, with its standard deviation, and
        the mirror start right of the rightmost component.

    Returns
    -------
    ForwardReverseFits
        The forward fit (:func:`fit_gaussian_forward_kl`), the reverse fit from each start (as
        :func:`fit_gaussian_reverse_kl`), :math:`\mathrm{KL}(p \,\|\, q)` and
        :math:`\mathrm{KL}(q \,\|\, p)` of each, and whether the starts reached the same fit.

    Raises
    ------
    TypeError, ValueError
        As :func:`kl_mixture_gaussian` for the mixture; if ``starts`` is not an (n, 2) array
        of finite numbers with ``sigma0 > 0``.

    Warns
    -----
    ConvergenceWarning
        If a reverse fit stops before meeting its tolerance.

    Notes
    -----
    The divergences agree with :func:`kl_mixture_gaussian` (to about 1e-12) but are computed
    faster: :math:`\mathrm{KL}(p \,\|\, q) = H(p, q) - H(p)` with :math:`H(p, q)` in closed
    form (see :func:`fit_gaussian_forward_kl`) and :math:`H(p) = -\sum_k w_k
    \mathbb{E}_{\mathcal{N}(m_k, s_k^2)}[\log p]`; :math:`\mathrm{KL}(q \,\|\, p)` as in
    :func:`fit_gaussian_reverse_kl`; every expectation by the trapezoid rule described there.

    Examples
    --------
    Well-separated modes: the forward fit covers both (its reverse KL is large), each reverse
    fit sits on one mode (its forward KL is large), and the two starts disagree.

    >>> from pgmlib import forward_reverse_kl_fits
    >>> fits = forward_reverse_kl_fits([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0])
    >>> fits.same_optimum, [round(f.mu, 2) for f in fits.reverse]
    (False, [-2.98, 2.98])
    >>> fits.forward_kl.direct < fits.reverse_kl[0].direct
    True
    >>> fits.reverse_kl[0].reverse < fits.forward_kl.reverse
    True
    """
    mixture = _mixture(weights, means, sds)
    start_points = _check_starts(starts, mixture)
    forward = GaussianFit(mixture.mean, mixture.sd)
    results = [_fit_reverse(mixture, *start) for start in start_points]
    for (_, converged, result), start in zip(results, start_points, strict=True):
        if not converged:
            warnings.warn(_convergence_message(result, *start), ConvergenceWarning, stacklevel=2)
    reverse = tuple(fit for fit, _, _ in results)
    entropy = _mixture_entropy(mixture)
    return ForwardReverseFits(
        forward=forward,
        reverse=reverse,
        starts=start_points,
        forward_kl=_both_kl(mixture, forward, entropy),
        reverse_kl=tuple(_both_kl(mixture, fit, entropy) for fit in reverse),
        same_optimum=_same_optimum(reverse, mixture.sd),
        converged=all(converged for _, converged, _ in results),
    )
