"""Section 1.5 — entropy, cross-entropy and the Kullback–Leibler divergence.

Discrete quantities take probability mass functions (1-D arrays that are nonnegative and sum to
one) and follow the conventions of information theory: ``0 log 0 = 0`` and ``p log(p / 0) =
+inf`` for ``p > 0``. They are computed with :func:`scipy.special.entr`,
:func:`scipy.special.xlogy` and :func:`scipy.special.rel_entr`, which implement exactly these
conventions without warnings.

Continuous quantities take densities (callables) on a finite interval ``[a, b]`` and integrate
by adaptive quadrature (:func:`scipy.integrate.quad`); pass the abscissae of jumps or kinks of
the densities in ``points``.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import integrate, special

from ._validation import (
    as_float_array,
    check_base,
    check_callable,
    check_interval,
    check_pmf,
    check_probability,
    check_same_shape,
)

__all__ = [
    "binary_entropy",
    "cross_entropy",
    "cross_entropy_continuous",
    "differential_entropy",
    "entropy",
    "kl_divergence",
]

#: Midpoints of this many equal cells of [a, b] are used to check a density before integrating.
_GRID_SIZE = 2001
#: How far from one a density's integral over [a, b] may be.
_NORM_ATOL = 1e-6
_QUAD_OPTIONS = {"epsabs": 1e-13, "epsrel": 1e-12, "limit": 200}


def _in_base(value: Any, base: float | None) -> Any:
    return value if base is None else value / np.log(base)


def _pmf_pair(p: ArrayLike, q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p_arr, q_arr = check_pmf(p, "p"), check_pmf(q, "q")
    check_same_shape(p_arr, q_arr, "p", "q")
    return p_arr, q_arr


def entropy(p: ArrayLike, base: float | None = None) -> float:
    r"""Entropy of a probability mass function.

    Parameters
    ----------
    p : array_like, shape (K,)
        Probability mass function: nonnegative, summing to one.
    base : float, optional
        Base of the logarithm (``2`` for bits); ``None`` (default) gives nats.

    Returns
    -------
    float
        :math:`H(p) \ge 0`, at most :math:`\log K`.

    Raises
    ------
    ValueError
        If ``p`` is empty, not 1-D, has non-finite or negative entries, does not sum to one,
        or if ``base`` is not a number > 0 and != 1.

    Notes
    -----
    Eq. (1.19) of the notes:

    .. math:: H(p) = -\sum_{x=1}^{K} p(x) \log p(x), \qquad 0 \log 0 = 0.

    By Jensen's inequality, eq. (1.22), :math:`H(p) \le \log |\mathrm{supp}\, p| \le \log K`,
    with equality for the uniform pmf, eq. (1.23).

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., ch. 2.

    Examples
    --------
    The uniform pmf on four outcomes has entropy log 4 nats, i.e. two bits:

    >>> import numpy as np
    >>> from pgmlib import entropy
    >>> bool(np.isclose(entropy([0.25, 0.25, 0.25, 0.25]), np.log(4)))
    True
    >>> entropy([0.25, 0.25, 0.25, 0.25], base=2)
    2.0
    >>> entropy([1.0, 0.0])  # a certain outcome carries no information
    0.0
    """
    p_arr = check_pmf(p, "p")
    base = check_base(base)
    return float(_in_base(np.sum(special.entr(p_arr)), base))


def cross_entropy(p: ArrayLike, q: ArrayLike, base: float | None = None) -> float:
    r"""Cross-entropy of a pmf ``q`` relative to a pmf ``p``.

    Parameters
    ----------
    p, q : array_like, shape (K,)
        Probability mass functions on the same K outcomes.
    base : float, optional
        Base of the logarithm; ``None`` (default) gives nats.

    Returns
    -------
    float
        :math:`H(p, q) \ge H(p)`; ``inf`` when ``q(x) = 0`` for some ``x`` with ``p(x) > 0``.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a pmf, if their shapes differ, or if ``base`` is invalid.

    Notes
    -----
    Eq. (1.25) of the notes:

    .. math:: H(p, q) = -\sum_{x=1}^{K} p(x) \log q(x),

    with :math:`0 \log q = 0` (outcomes that ``p`` never produces cost nothing) and
    :math:`-p \log 0 = +\infty` for :math:`p > 0`. It splits as
    :math:`H(p, q) = H(p) + \mathrm{KL}(p \,\|\, q)`, eq. (1.32).

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import cross_entropy, entropy, kl_divergence
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> bool(np.isclose(cross_entropy(p, q), entropy(p) + kl_divergence(p, q)))
    True
    >>> cross_entropy([0.5, 0.5], [1.0, 0.0])  # q misses an outcome that p produces
    inf
    """
    p_arr, q_arr = _pmf_pair(p, q)
    base = check_base(base)
    return float(_in_base(-np.sum(special.xlogy(p_arr, q_arr)), base))


def kl_divergence(p: ArrayLike, q: ArrayLike, base: float | None = None) -> float:
    r"""Kullback–Leibler divergence between two probability mass functions.

    Parameters
    ----------
    p, q : array_like, shape (K,)
        Probability mass functions on the same K outcomes.
    base : float, optional
        Base of the logarithm; ``None`` (default) gives nats.

    Returns
    -------
    float
        :math:`\mathrm{KL}(p \,\|\, q) \ge 0`, zero if and only if ``p == q``; ``inf`` when
        ``p`` is not absolutely continuous with respect to ``q`` (``q(x) = 0 < p(x)`` for some
        ``x``).

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a pmf, if their shapes differ, or if ``base`` is invalid.

    Notes
    -----
    Definition 1.6 of the notes:

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_x p(x) \log \frac{p(x)}{q(x)}
              = H(p, q) - H(p) \quad \text{(eq. 1.32)},

    with :math:`0 \log(0 / q) = 0` and :math:`p \log(p / 0) = +\infty` for :math:`p > 0`
    (Definition 1.5 requires :math:`P \ll Q`). Remark 1.11 says "always positive": the
    divergence is *nonnegative*, and zero exactly when ``p == q``.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import kl_divergence
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> bool(np.isclose(kl_divergence(p, q), 0.5 * np.log(0.5 / 0.9) + 0.5 * np.log(0.5 / 0.1)))
    True
    >>> kl_divergence(p, p)
    0.0
    >>> kl_divergence(p, q) != kl_divergence(q, p)  # not symmetric
    True
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    p_arr, q_arr = _pmf_pair(p, q)
    base = check_base(base)
    # Rounding can leave the sum of the terms at -1e-16 when q is p up to rounding: KL >= 0.
    return float(_in_base(max(np.sum(special.rel_entr(p_arr, q_arr)), 0.0), base))


def binary_entropy(theta: ArrayLike, base: float | None = None) -> float | np.ndarray:
    r"""Entropy of a Bernoulli(theta) variable, vectorised over ``theta``.

    Parameters
    ----------
    theta : float or array_like
        Probabilities :math:`\theta = P(X = 1)` in :math:`[0, 1]`; any shape.
    base : float, optional
        Base of the logarithm; ``None`` (default) gives nats.

    Returns
    -------
    float or ndarray
        :math:`H(\theta)`, same shape as ``theta`` (a float for a scalar input); zero at
        :math:`\theta \in \{0, 1\}` and maximal, :math:`\log 2`, at :math:`\theta = 1/2`.

    Raises
    ------
    ValueError
        If ``theta`` is empty, non-finite or outside :math:`[0, 1]`, or ``base`` is invalid.

    Notes
    -----
    Example 1.7 of the notes (Figure 1.3):

    .. math:: H(\theta) = -\theta \log \theta - (1 - \theta) \log (1 - \theta),

    extended by continuity (:math:`0 \log 0 = 0`) to the endpoints.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import binary_entropy
    >>> binary_entropy([0.0, 1.0]).tolist()
    [0.0, 0.0]
    >>> bool(np.isclose(binary_entropy(0.5), np.log(2)))
    True
    >>> binary_entropy(0.5, base=2)
    1.0
    """
    theta_arr = check_probability(theta, "theta")
    base = check_base(base)
    value = _in_base(special.entr(theta_arr) + special.entr(1.0 - theta_arr), base)
    return float(value) if value.ndim == 0 else value


# --------------------------------------------------------------------------------------------
# Continuous quantities (densities on a finite interval, by quadrature)
# --------------------------------------------------------------------------------------------


def _check_points(points: Sequence[float] | None, a: float, b: float) -> list[float] | None:
    if points is None:
        return None
    arr = as_float_array(points, "points", ndim=1, allow_empty=True)
    inside = arr[(arr > a) & (arr < b)]
    return sorted(set(inside.tolist())) or None


def _density_on_grid(pdf: Callable, name: str, a: float, b: float) -> np.ndarray:
    """Evaluate ``pdf`` on interior grid points of [a, b]; check values are finite and >= 0."""
    grid = a + (b - a) * (np.arange(_GRID_SIZE) + 0.5) / _GRID_SIZE
    try:
        values = np.asarray(pdf(grid), dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be a density that accepts a numpy array of points and returns an "
            f"array of the same shape; calling it on an array raised {error!r}"
        ) from error
    values = np.broadcast_to(values, grid.shape) if values.ndim == 0 else values
    if values.shape != grid.shape:
        raise ValueError(
            f"`{name}` must return one value per point: given {grid.shape[0]} points it "
            f"returned shape {values.shape}"
        )
    bad = ~np.isfinite(values)
    if np.any(bad):
        where = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`{name}` must be finite on [a, b]; got {values[where]} at x = {grid[where]:g}"
        )
    if np.any(values < 0):
        where = int(np.argmin(values))
        raise ValueError(
            f"`{name}` must be nonnegative (a density); got {values[where]:g} "
            f"at x = {grid[where]:g}"
        )
    return values


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside pgmlib."""
    package_dir = os.path.dirname(os.path.abspath(__file__))
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package_dir):
        frame, level = frame.f_back, level + 1
    return level


def _quad(func: Callable[[float], float], a: float, b: float, points, what: str) -> float:
    """``scipy.integrate.quad`` with our tolerances; an IntegrationWarning is re-issued."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", integrate.IntegrationWarning)
        value, _ = integrate.quad(func, a, b, points=points, **_QUAD_OPTIONS)
    for warning in caught:
        if issubclass(warning.category, integrate.IntegrationWarning):
            warnings.warn(
                f"quadrature of {what} on [{a:g}, {b:g}] may be inaccurate: pass the "
                f"abscissae of jumps or kinks of the densities in `points`. "
                f"(scipy: {str(warning.message).strip().splitlines()[0]})",
                RuntimeWarning,
                stacklevel=_caller_stacklevel(),
            )
            break
    return float(value)


def _scalar_density(pdf: Callable) -> Callable[[float], float]:
    def evaluate(x: float) -> float:
        return float(np.asarray(pdf(np.array([x])), dtype=float).reshape(-1)[0])

    return evaluate


def _check_density(
    pdf: Any, name: str, a: float, b: float, points
) -> tuple[Callable[[float], float], np.ndarray]:
    """Validate a density on [a, b] (callable, finite, >= 0, integrates to one).

    Returns the density as a function of one float and its values on the check grid.
    """
    check_callable(pdf, name)
    on_grid = _density_on_grid(pdf, name, a, b)
    scalar = _scalar_density(pdf)
    mass = _quad(scalar, a, b, points, f"`{name}`")
    if abs(mass - 1.0) > _NORM_ATOL:
        raise ValueError(
            f"`{name}` must integrate to 1 over [a, b] = [{a:g}, {b:g}]; got {mass:.10g}. "
            f"Widen [a, b] to hold (almost) all of its mass, or normalise it."
        )
    return scalar, on_grid


def _continuous_setup(densities: dict[str, Any], a: Any, b: Any, points: Any):
    """Check the interval, the breakpoints and each density.

    Returns ``(a, b, points, functions, grid_values)`` with one function of a float and one
    array of check-grid values per density, in the order given.
    """
    low, high = check_interval(a, b)
    cuts = _check_points(points, low, high)
    checked = [_check_density(pdf, name, low, high, cuts) for name, pdf in densities.items()]
    return low, high, cuts, [c[0] for c in checked], [c[1] for c in checked]


def _integrate_divergence(
    integrand: Callable[[float], float], a: float, b: float, points, what: str
) -> float:
    """Integrate a nonnegative-or-signed integrand that may be +inf where q = 0 < p.

    An infinite integrand value at a quadrature node means q vanishes where p has mass; the
    integral is then +inf (returned as such, without letting quad see the infinity).
    """
    hit_infinity = False

    def guarded(x: float) -> float:
        nonlocal hit_infinity
        value = integrand(x)
        if np.isinf(value):
            hit_infinity = True
            return 0.0
        return value

    value = _quad(guarded, a, b, points, what)
    return float(np.inf) if hit_infinity else value


def _misses_mass(p_grid: np.ndarray, q_grid: np.ndarray) -> bool:
    """True when q(x) = 0 < p(x) on the check grid (P not absolutely continuous wrt Q)."""
    return bool(np.any((q_grid == 0) & (p_grid > 0)))


def differential_entropy(
    pdf: Callable[[np.ndarray], ArrayLike],
    a: float,
    b: float,
    *,
    points: Sequence[float] | None = None,
) -> float:
    r"""Differential entropy of a density supported on ``[a, b]``, by quadrature.

    Parameters
    ----------
    pdf : callable
        Density ``pdf(x)``; must accept a numpy array and return an array of the same shape
        (a constant returned as a scalar is broadcast), finite and nonnegative on ``[a, b]``,
        and integrate to one there (within 1e-6).
    a, b : float
        Finite interval with ``a < b`` holding (almost) all the mass.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``pdf`` jumps or has a kink (passed to
        :func:`scipy.integrate.quad`).

    Returns
    -------
    float
        :math:`H(p)`, which may be negative (Remark 1.9).

    Raises
    ------
    TypeError
        If ``pdf`` is not callable or cannot be evaluated on an array.
    ValueError
        If ``a < b`` fails, or ``pdf`` is negative, non-finite or not normalised on ``[a, b]``.

    Notes
    -----
    Eq. (1.29) of the notes:

    .. math:: H(p) = -\int_a^b p(x) \log p(x) \, dx, \qquad 0 \log 0 = 0.

    For the uniform density on :math:`[a, b]`, Example 1.8 gives :math:`\log(b - a)`: zero for
    :math:`b - a = 1` and negative for :math:`b - a < 1` (the notes' "\le 1" is a slip).

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import differential_entropy
    >>> bool(np.isclose(differential_entropy(lambda x: 1 / 0.5, 0.0, 0.5), np.log(0.5)))
    True
    >>> from scipy import stats
    >>> h = differential_entropy(stats.norm.pdf, -12.0, 12.0)
    >>> bool(np.isclose(h, stats.norm.entropy(), rtol=1e-10))
    True
    """
    low, high, cuts, (density,), _ = _continuous_setup({"pdf": pdf}, a, b, points)
    return _quad(lambda x: special.entr(density(x)), low, high, cuts, "-p log p")


def cross_entropy_continuous(
    p: Callable[[np.ndarray], ArrayLike],
    q: Callable[[np.ndarray], ArrayLike],
    a: float,
    b: float,
    *,
    points: Sequence[float] | None = None,
) -> float:
    r"""Cross-entropy of density ``q`` relative to density ``p`` on ``[a, b]``, by quadrature.

    Parameters
    ----------
    p, q : callable
        Densities on ``[a, b]`` (see :func:`differential_entropy` for what is checked).
    a, b : float
        Finite interval with ``a < b``.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``p`` or ``q`` jumps or has a kink.

    Returns
    -------
    float
        :math:`H(p, q)`; ``inf`` where ``q(x) = 0 < p(x)`` is found (see Notes).

    Raises
    ------
    TypeError, ValueError
        As :func:`differential_entropy`, for either density.

    Notes
    -----
    Eq. (1.30) of the notes:

    .. math:: H(p, q) = -\int_a^b p(x) \log q(x) \, dx.

    The result is ``inf`` when ``q(x) == 0 < p(x)`` at one of 2001 grid points of ``[a, b]`` or
    at a quadrature node: ``p`` is then not absolutely continuous with respect to ``q``. The
    densities are taken as given, so a ``q`` that underflows to zero in floating point where
    ``p`` still has mass also gives ``inf``; keep ``[a, b]`` where ``q`` is representable.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from pgmlib import cross_entropy_continuous, differential_entropy
    >>> p, q = stats.norm(0, 1).pdf, stats.norm(1, 2).pdf
    >>> h_pq = cross_entropy_continuous(p, q, -15.0, 15.0)
    >>> bool(np.isclose(h_pq, 0.5 * np.log(2 * np.pi * 4) + (1 + 1) / 8, rtol=1e-10))
    True
    >>> h_pq > differential_entropy(p, -15.0, 15.0)
    True
    """
    low, high, cuts, (p_x, q_x), grids = _continuous_setup({"p": p, "q": q}, a, b, points)
    if _misses_mass(*grids):
        return float(np.inf)
    integrand = lambda x: -special.xlogy(p_x(x), q_x(x))  # noqa: E731
    return _integrate_divergence(integrand, low, high, cuts, "-p log q")
