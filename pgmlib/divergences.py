"""Section 1.6 — the KL divergence next to the L1 distance and the chi-square divergence.

Three families of functions, one source of numbers for the chapter, figures and explorers:

* divergences between pmfs (``l1_distance``, ``chi2_divergence``; the discrete KL is
  :func:`pgmlib.kl_divergence`) and between densities on ``[a, b]`` by quadrature
  (``*_continuous``), plus a Monte Carlo estimate of the KL (``kl_monte_carlo``);
* the KL between two univariate Gaussians, eq. (1.38), vectorised for grids (``kl_gaussian``);
* the closed forms of Examples 1.9, 1.10 and 1.11 with the notes' slips corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._quadrature import _continuous_setup, _integrate_divergence, _misses_mass, _quad
from ._validation import (
    as_float_array,
    check_callable,
    check_pmf,
    check_positive,
    check_probability,
    check_same_shape,
)

__all__ = [
    "Divergences",
    "KLDirectReverse",
    "MonteCarloEstimate",
    "chi2_divergence",
    "chi2_divergence_continuous",
    "example_1_9_c",
    "example_1_9_divergences",
    "example_1_9_q",
    "example_1_10_divergences",
    "example_1_11_divergences",
    "kl_divergence_continuous",
    "kl_gaussian",
    "kl_monte_carlo",
    "l1_distance",
    "l1_distance_continuous",
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
