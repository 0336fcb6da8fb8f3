"""Input checks shared by pgmlib's public functions.

Every public function refuses bad input at the door with a ``ValueError`` or ``TypeError``
that names the argument, says what was expected and shows what came in, e.g.
``ValueError: `p` must be nonnegative; got min(p) = -0.1``. Nothing here returns ``nan``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

PMF_ATOL = 1e-8


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_float_array(
    value: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """Convert ``value`` to a float array, checking dimension, emptiness and finiteness."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"`{name}` must be array-like of numbers; got {_describe(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be array-like of numbers; got {_describe(value)}"
        ) from error
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            want = " or ".join(str(d) for d in allowed)
            raise ValueError(f"`{name}` must have {want} dimension(s); got shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {array.shape}")
    if finite and array.size and not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)].ravel()[0]
        raise ValueError(f"`{name}` must contain only finite values; got {bad}")
    return array


def as_scalar(value: Any, name: str) -> float:
    """A finite real number."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.generic, np.ndarray)):
        raise TypeError(f"`{name}` must be a real number; got {_describe(value)}")
    array = np.asarray(value, dtype=float)
    if array.ndim != 0:
        raise TypeError(f"`{name}` must be a scalar; got an array of shape {array.shape}")
    number = float(array)
    if not np.isfinite(number):
        raise ValueError(f"`{name}` must be finite; got {number}")
    return number


def check_positive(value: Any, name: str) -> np.ndarray:
    """Finite and strictly positive (scalar or array); returns a float array."""
    array = as_float_array(value, name)
    if np.any(array <= 0):
        raise ValueError(f"`{name}` must be > 0; got {float(np.min(array))}")
    return array


def check_probability(value: Any, name: str, *, closed: bool = True) -> np.ndarray:
    """Values in [0, 1] (or (0, 1) when ``closed`` is False); returns a float array."""
    array = as_float_array(value, name)
    low, high = float(np.min(array)), float(np.max(array))
    if closed and (low < 0 or high > 1):
        bad = low if low < 0 else high
        raise ValueError(f"`{name}` must lie in [0, 1]; got {bad}")
    if not closed and (low <= 0 or high >= 1):
        bad = low if low <= 0 else high
        raise ValueError(f"`{name}` must lie in the open interval (0, 1); got {bad}")
    return array


def check_pmf(value: Any, name: str, *, atol: float = PMF_ATOL) -> np.ndarray:
    """A probability mass function: 1-D, nonnegative, summing to one within ``atol``."""
    p = as_float_array(value, name, ndim=1)
    if np.min(p) < 0:
        raise ValueError(f"`{name}` must be nonnegative; got min({name}) = {np.min(p):g}")
    total = float(np.sum(p))
    if abs(total - 1.0) > atol:
        raise ValueError(
            f"`{name}` must sum to 1 (a pmf); got sum({name}) = {total:.10g}. "
            f"Normalise it first, e.g. {name} / {name}.sum()."
        )
    return p


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same shape; got {a.shape} and {b.shape}"
        )


def check_base(base: Any) -> float | None:
    """A logarithm base: None (natural log) or a finite number > 0 and != 1."""
    if base is None:
        return None
    value = as_scalar(base, "base")
    if value <= 0 or value == 1:
        raise ValueError(f"`base` must be > 0 and != 1 (or None for nats); got {value:g}")
    return value


def check_count(value: Any, name: str, *, minimum: int = 0) -> int:
    """An integer >= ``minimum`` (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"`{name}` must be an integer; got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}; got {int(value)}")
    return int(value)


def check_interval(a: Any, b: Any, names: tuple[str, str] = ("a", "b")) -> tuple[float, float]:
    """A finite interval with a < b."""
    low, high = as_scalar(a, names[0]), as_scalar(b, names[1])
    if not low < high:
        raise ValueError(
            f"`{names[0]}` must be < `{names[1]}`; got {names[0]} = {low:g}, {names[1]} = {high:g}"
        )
    return low, high


def check_covariance(value: Any, name: str, dim: int | None = None) -> np.ndarray:
    """A symmetric positive-definite matrix (d, d); a scalar variance is read as (1, 1)."""
    cov = as_float_array(value, name, ndim=(0, 2))
    cov = cov.reshape(1, 1) if cov.ndim == 0 else cov
    if cov.shape[0] != cov.shape[1]:
        raise ValueError(f"`{name}` must be a square matrix; got shape {cov.shape}")
    if dim is not None and cov.shape[0] != dim:
        raise ValueError(f"`{name}` must have shape ({dim}, {dim}); got {cov.shape}")
    if not np.allclose(cov, cov.T, rtol=1e-10, atol=1e-12):
        raise ValueError(
            f"`{name}` must be symmetric; got max|{name} - {name}.T| = "
            f"{np.max(np.abs(cov - cov.T)):.3g}"
        )
    try:
        np.linalg.cholesky(cov)
    except np.linalg.LinAlgError as error:
        smallest = float(np.min(np.linalg.eigvalsh(cov)))
        raise ValueError(
            f"`{name}` must be positive definite; got smallest eigenvalue {smallest:.3g}"
        ) from error
    return cov


def check_binary_labels(value: Any, name: str = "y") -> np.ndarray:
    """A 1-D array of labels in {0, 1}; returns it as floats."""
    y = as_float_array(value, name, ndim=1)
    bad = y[(y != 0) & (y != 1)]
    if bad.size:
        raise ValueError(f"`{name}` must hold labels in {{0, 1}}; got {bad[0]:g}")
    return y


def check_callable(value: Any, name: str) -> Callable:
    if not callable(value):
        raise TypeError(f"`{name}` must be callable; got {_describe(value)}")
    return value


def check_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """A numpy Generator from a Generator, an integer seed or None."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"`{name}` seed must be >= 0; got {int(rng)}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"`{name}` must be a numpy Generator, an integer seed or None; got {_describe(rng)}"
    )


def check_positive_scalar(value: Any, name: str) -> float:
    """A finite real number > 0 (a standard deviation, a scale)."""
    number = as_scalar(value, name)
    if number <= 0:
        raise ValueError(f"`{name}` must be > 0; got {number:g}")
    return number


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """One of the strings ``choices``."""
    wanted = " or ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be {wanted}; got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"`{name}` must be {wanted}; got {value!r}")
    return value


def check_mixture_1d(
    weights: Any, means: Any, sds: Any, *, atol: float = 1e-9
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A univariate Gaussian mixture: ``weights`` a pmf (summing to one within ``atol``),
    finite ``means``, standard deviations ``sds`` > 0, one entry of each per component."""
    w = check_pmf(weights, "weights", atol=atol)
    m = as_float_array(means, "means", ndim=1)
    s = as_float_array(sds, "sds", ndim=1)
    if np.any(s <= 0):
        raise ValueError(
            f"`sds` must be > 0 (standard deviations, not variances); got min(sds) = {np.min(s):g}"
        )
    if not w.size == m.size == s.size:
        raise ValueError(
            "`weights`, `means` and `sds` must have one entry per component (the same length); "
            f"got lengths {w.size}, {m.size} and {s.size}"
        )
    return w, m, s
