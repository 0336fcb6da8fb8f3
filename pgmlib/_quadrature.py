"""Quadrature of densities on a finite interval, shared by the information and divergence
modules (private).

Densities are callables checked on a grid (finite, nonnegative, integrating to one) and then
integrated by adaptive quadrature (:func:`scipy.integrate.quad`) with tight tolerances; an
``IntegrationWarning`` is re-issued as a ``RuntimeWarning`` pointing at the caller.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import integrate

from ._validation import as_float_array, check_callable, check_interval

#: Midpoints of this many equal cells of [a, b] are used to check a density before integrating.
_GRID_SIZE = 2001
#: How far from one a density's integral over [a, b] may be.
_NORM_ATOL = 1e-6
_QUAD_OPTIONS = {"epsabs": 1e-13, "epsrel": 1e-12, "limit": 200}


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
