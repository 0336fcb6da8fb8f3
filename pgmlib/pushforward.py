"""Section 1.3 — pushforward measures and the change of variables.

A map :math:`T` carries the law of a source random variable :math:`X` to the law of
:math:`Y = T(X)`, the *pushforward* :math:`T_\\#P_X` (Definition 1.1, eq. (1.6)):
:math:`(T_\\#P_X)(A) = P_X(T^{-1}(A))`. This module computes it three ways:

- exactly, for a discrete source (:func:`pushforward_pmf`, Example 1.2);
- exactly, for a continuous source and a map whose inverse branches are known
  (:func:`change_of_variables`, Theorem 1.1, eq. (1.5); :func:`pushforward_density_1d`, which sums
  eq. (1.5) over the branches of a non-injective map, Example 1.3);
- by sampling (:func:`sample_pushforward`), which works for any measurable map.

It also holds the catalogue of sources (:class:`Source`) and maps (:class:`PushforwardMap`) used by
Figure 1.2 and the pushforward explorer, and the binning that colours each slice of source mass
by where it lands (:func:`quantile_bin_edges`, :func:`quantile_bin_index`,
:func:`stacked_pushforward_histogram`, :func:`pushforward_experiment`). The maps need not send
:math:`\\mathcal{X}` to itself as the notes' Definition 1.1 says: any measurable
:math:`T:\\mathcal{X}\\to\\mathcal{Y}` has a pushforward (Example 1.2 itself maps
:math:`\\{1, 2, 3\\}` to :math:`\\{a, b\\}`), and the random variable it produces is :math:`T(X)`
(Remark 1.3 calls it :math:`T`), with eq. (1.6) holding for sets :math:`A` of the target space.
"""

from __future__ import annotations

import cmath
import math
import numbers
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import special

from ._validation import (
    _describe,
    as_float_array,
    as_scalar,
    check_callable,
    check_count,
    check_interval,
    check_pmf,
    check_positive,
    check_probability,
    check_rng,
)

__all__ = [
    "Branch",
    "PushforwardExperiment",
    "PushforwardMap",
    "Source",
    "affine_map",
    "change_of_variables",
    "exp_map",
    "gaussian_source",
    "log1p_square_map",
    "map_catalogue",
    "probit_map",
    "pushforward_contributions",
    "pushforward_density_1d",
    "pushforward_experiment",
    "pushforward_pmf",
    "pushforward_range",
    "quantile_bin_edges",
    "quantile_bin_index",
    "sample_pushforward",
    "sign_split_map",
    "source_catalogue",
    "square_map",
    "stacked_pushforward_histogram",
    "uniform_source",
]

ArrayFunction = Callable[[np.ndarray], np.ndarray]


# --------------------------------------------------------------------------------------------
# Discrete pushforward (Example 1.2)
# --------------------------------------------------------------------------------------------


def _check_pmf_dict(pmf: Any) -> dict[Hashable, float]:
    if not isinstance(pmf, Mapping):
        raise TypeError(
            f"`pmf` must be a dict {{value: probability}}; got {type(pmf).__name__} "
            f"{_describe(pmf)}"
        )
    if len(pmf) == 0:
        raise ValueError("`pmf` must not be empty; got {}")
    masses = check_pmf(list(pmf.values()), "pmf")
    return dict(zip(pmf.keys(), masses.tolist(), strict=True))


def _is_finite_target(target: Hashable) -> bool:
    """False for a nan/inf number, or a tuple holding one; True for anything else."""
    if isinstance(target, tuple):
        return all(_is_finite_target(part) for part in target)
    if isinstance(target, numbers.Integral):
        return True
    if isinstance(target, numbers.Complex):
        return cmath.isfinite(complex(target))
    return True


def _checked_target(target: Any, value: Hashable) -> Hashable:
    """A target value of T that can key the pushforward pmf: hashable, never nan or inf."""
    try:
        hash(target)
    except TypeError as error:
        raise TypeError(
            f"`T` must return hashable target values (they are the keys of the pushforward "
            f"pmf); got T({_describe(value)}) = {_describe(target)} of type "
            f"{type(target).__name__}"
        ) from error
    if not _is_finite_target(target):
        raise ValueError(
            f"`T` must return finite target values (a nan or inf has no place in the target "
            f"space); got T({_describe(value)}) = {_describe(target)}"
        )
    return target


def _as_map(T: Any) -> Callable[[Hashable], Hashable]:
    """T as a function of one source value, returning checked target values."""
    if isinstance(T, Mapping):

        def lookup(value: Hashable) -> Hashable:
            if value not in T:
                raise ValueError(
                    f"`T` is not defined at the source value {value!r}: a map must send every "
                    f"point of the support of `pmf` somewhere; got keys {list(T)}"
                )
            return _checked_target(T[value], value)

        return lookup
    check_callable(T, "T")

    def apply(value: Hashable) -> Hashable:
        try:
            target = T(value)
        except Exception as error:  # any failure of the user's map, reported with its input
            raise ValueError(
                f"`T` is not defined at the source value {_describe(value)}: "
                f"T({_describe(value)}) raised {type(error).__name__}: {error}"
            ) from error
        return _checked_target(target, value)

    return apply


def pushforward_contributions(
    pmf: Mapping[Hashable, float], T: Mapping[Hashable, Hashable] | Callable
) -> dict[Hashable, dict[Hashable, float]]:
    """Split each pushforward mass into the contributions of the source points that land there.

    Parameters
    ----------
    pmf : dict
        ``{value: probability}``, the source pmf :math:`P_X` (nonnegative, summing to 1).
    T : dict or callable
        The map, as a lookup table ``{source value: target value}`` or a function.

    Returns
    -------
    dict
        ``{target: {source: P_X(source)}}`` with targets in order of first appearance; the inner
        masses of a target add up to :math:`(T_\\#P_X)(\\{\\text{target}\\})`. This is what a
        stacked bar chart of the pushforward (Figure 1.1) shows.

    Raises
    ------
    TypeError
        If `pmf` is not a dict, `T` is neither a dict nor callable, or `T` returns an
        unhashable target value (a list, an array).
    ValueError
        If `pmf` is empty, negative or does not sum to 1; if `T` misses a source value or
        raises there (e.g. ``1 / x`` at 0); or if `T` returns nan or inf.

    Examples
    --------
    >>> pushforward_contributions({1: 0.2, 2: 0.5, 3: 0.3}, {1: "a", 2: "b", 3: "b"})
    {'a': {1: 0.2}, 'b': {2: 0.5, 3: 0.3}}
    """
    masses = _check_pmf_dict(pmf)
    apply = _as_map(T)
    table: dict[Hashable, dict[Hashable, float]] = {}
    for value, mass in masses.items():
        table.setdefault(apply(value), {})[value] = mass
    return table


def pushforward_pmf(
    pmf: Mapping[Hashable, float], T: Mapping[Hashable, Hashable] | Callable
) -> dict[Hashable, float]:
    """Pushforward of a discrete distribution through a map (Example 1.2, eq. (1.6)).

    Parameters
    ----------
    pmf : dict
        ``{value: probability}``, the source pmf :math:`P_X` (nonnegative, summing to 1).
    T : dict or callable
        The map :math:`T`, as a lookup table ``{source value: target value}`` or a function.
        Targets may be of any hashable type (the notes' Example 1.2 maps numbers to letters).

    Returns
    -------
    dict
        ``{target: probability}``, targets in order of first appearance.

    Raises
    ------
    TypeError
        If `pmf` is not a dict, `T` is neither a dict nor callable, or `T` returns an
        unhashable target value (a list, an array).
    ValueError
        If `pmf` is empty, negative or does not sum to 1; if `T` misses a source value or
        raises there (e.g. ``1 / x`` at 0); or if `T` returns nan or inf.

    Notes
    -----
    Eq. (1.6) with :math:`A = \\{t\\}`:
    :math:`(T_\\#P_X)(\\{t\\}) = P_X(T^{-1}(\\{t\\})) = \\sum_{x:\\,T(x)=t} P_X(x)`.
    Masses are summed with :func:`math.fsum`, so they add up to 1 to within rounding.

    Examples
    --------
    Example 1.2 of the notes:

    >>> pushforward_pmf({1: 0.2, 2: 0.5, 3: 0.3}, {1: "a", 2: "b", 3: "b"})
    {'a': 0.2, 'b': 0.8}
    >>> pushforward_pmf({-1: 0.25, 0: 0.5, 1: 0.25}, lambda x: x**2)
    {1: 0.5, 0: 0.5}
    """
    table = pushforward_contributions(pmf, T)
    return {target: math.fsum(parts.values()) for target, parts in table.items()}


# --------------------------------------------------------------------------------------------
# Change of variables (Theorem 1.1, eq. (1.5)) and non-injective maps (Example 1.3)
# --------------------------------------------------------------------------------------------


def _inverse_jacobian_factor(
    jacobian: np.ndarray, y: np.ndarray, inverse_jacobian: ArrayFunction
) -> tuple[np.ndarray, bool]:
    """|det J| per point and whether the map is multivariate, read off the shapes of J and y.

    A 1-D map gives its derivative with the shape of y (or one number: a constant derivative);
    a map of R^d gives (d, d) per point, i.e. (..., d, d) for y of shape (..., d), or one (d, d)
    matrix for every point (a constant Jacobian: an affine map). The one ambiguous case, y of
    shape (d, d) (d points of R^d, or d x d numbers for a 1-D map) with J of the same shape, is
    settled by asking for the Jacobian at the single point y[0]: (d, d) means R^d.
    """
    d = y.shape[-1] if y.ndim else 0
    square = y.ndim >= 1 and jacobian.shape == (d, d)
    if square and y.ndim >= 2 and jacobian.shape == y.shape:
        square = np.shape(inverse_jacobian(y[0])) == (d, d)
    if jacobian.shape == y.shape and not square:
        return np.abs(jacobian), False
    if jacobian.ndim == 0:  # a constant derivative of a 1-D map
        return np.full(y.shape, abs(float(jacobian))), False
    if square:  # one (d, d) matrix for every point
        return np.full(y.shape[:-1], abs(np.linalg.det(jacobian))), True
    if y.ndim >= 1 and jacobian.shape == (*y.shape, d):
        return np.abs(np.linalg.det(jacobian)), True
    raise ValueError(
        "`inverse_jacobian(y)` must return, for y of shape (d,) or (n, d), the Jacobian of "
        "T^-1: one (d, d) matrix per point, shape (n, d, d), or a single (d, d) matrix for all "
        "points (an affine map); or, for a 1-D map, the derivative with the shape of y (or one "
        f"number); got shape {jacobian.shape} for y of shape {y.shape}"
    )


def change_of_variables(
    pdf_x: ArrayFunction, inverse: ArrayFunction, inverse_jacobian: ArrayFunction
) -> ArrayFunction:
    """Density of :math:`Y = T(X)` for a :math:`C^1` diffeomorphism :math:`T` (eq. (1.5)).

    Parameters
    ----------
    pdf_x : callable
        Density of the source :math:`X`; takes points of shape ``(d,)`` or ``(n, d)`` (for
        ``d = 1``: scalars or ``(n,)``) and returns one density per point.
    inverse : callable
        :math:`T^{-1}`, taking and returning points of the same shape.
    inverse_jacobian : callable
        :math:`\\nabla_y T^{-1}(y)`: a ``(d, d)`` matrix per point (``(n, d, d)`` for a batch), or
        one ``(d, d)`` matrix for every point of the batch (an affine map, whose Jacobian is
        constant); for ``d = 1``, the derivative :math:`(T^{-1})'(y)` with the shape of ``y``, or
        one number. For ``y`` of shape ``(d, d)`` (``d`` points of :math:`\\mathbb{R}^d`, or
        ``d * d`` values of a 1-D map) a result of the same shape is ambiguous; it is settled by
        calling ``inverse_jacobian(y[0])``: a ``(d, d)`` answer means a map of
        :math:`\\mathbb{R}^d`.

    Returns
    -------
    callable
        ``pdf_y(y)``: one density per point, shape ``()`` / ``(n,)``. Batches are passed to the
        callables in one call, so a vectorised ``pdf_x``/``inverse``/``inverse_jacobian`` gives a
        vectorised ``pdf_y``. Where ``inverse(y)`` is not finite (``y`` outside the image of
        :math:`T`, e.g. ``log`` of a negative number) the density is 0, not ``nan``.

    Raises
    ------
    TypeError
        If an argument is not callable (or, from ``pdf_y``, `y` is not numeric).
    ValueError
        From ``pdf_y``, if `y` holds non-finite values or the Jacobian has the wrong shape.

    Notes
    -----
    Theorem 1.1, eq. (1.5):

    .. math:: p_Y(y) = p_X\\bigl(T^{-1}(y)\\bigr)\\,\\bigl|\\det \\nabla_y T^{-1}(y)\\bigr|.

    Examples
    --------
    :math:`Y = e^X` with :math:`X \\sim \\mathcal{N}(0, 1)` is log-normal:

    >>> from scipy import stats
    >>> pdf_y = change_of_variables(stats.norm.pdf, np.log, lambda y: 1 / y)
    >>> bool(np.isclose(pdf_y(2.0), stats.lognorm(s=1).pdf(2.0), rtol=1e-12))
    True
    >>> float(pdf_y(-1.0))  # outside the image of exp
    0.0

    A rotation-and-scaling of a standard bivariate Gaussian, :math:`Y = AX`:

    >>> A = np.array([[2.0, 1.0], [0.0, 1.0]])
    >>> A_inv = np.linalg.inv(A)
    >>> pdf_y = change_of_variables(
    ...     stats.multivariate_normal(np.zeros(2)).pdf,
    ...     lambda y: y @ A_inv.T,
    ...     lambda y: np.broadcast_to(A_inv, np.shape(y) + (2,)),
    ... )
    >>> y = np.array([[0.5, -1.0], [1.0, 2.0]])
    >>> bool(np.allclose(pdf_y(y), stats.multivariate_normal(np.zeros(2), A @ A.T).pdf(y)))
    True

    The same map with its constant Jacobian given once (as an affine flow would):

    >>> pdf_flow = change_of_variables(
    ...     stats.multivariate_normal(np.zeros(2)).pdf, lambda y: y @ A_inv.T, lambda y: A_inv
    ... )
    >>> bool(np.allclose(pdf_flow(y), pdf_y(y), rtol=1e-14))
    True
    """
    check_callable(pdf_x, "pdf_x")
    check_callable(inverse, "inverse")
    check_callable(inverse_jacobian, "inverse_jacobian")

    def pdf_y(y: Any) -> np.ndarray:
        y = as_float_array(y, "y", allow_empty=True)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            x = np.asarray(inverse(y), dtype=float)
            factor, multivariate = _inverse_jacobian_factor(
                np.asarray(inverse_jacobian(y), dtype=float), y, inverse_jacobian
            )
            inside = np.all(np.isfinite(x), axis=-1) if multivariate else np.isfinite(x)
            x = np.where(inside[..., None] if multivariate else inside, x, 0.0)
            p = np.asarray(pdf_x(x), dtype=float)
            density = np.where(inside & (p != 0), p * factor, 0.0)
        return density[()] if density.ndim == 0 else density

    return pdf_y


@dataclass(frozen=True)
class Branch:
    """One invertible piece of a 1-D map, for :func:`pushforward_density_1d`.

    Attributes
    ----------
    inverse : callable
        :math:`T_i^{-1}`, the inverse of the map restricted to this piece of its domain.
    derivative : callable
        :math:`(T_i^{-1})'`, the derivative of that inverse.
    image : tuple of float
        ``(low, high)``: the open interval of ``y`` reached by this piece; the branch contributes
        nothing outside it (its inverse is never called there).
    """

    inverse: ArrayFunction
    derivative: ArrayFunction
    image: tuple[float, float] = (-np.inf, np.inf)


def _as_branch(branch: Any, index: int) -> Branch:
    if isinstance(branch, Branch):
        return branch
    if not isinstance(branch, Sequence) or len(branch) not in (2, 3):
        raise TypeError(
            f"`branches[{index}]` must be a Branch or a tuple (inverse, derivative_of_inverse"
            f"[, (low, high)]); got {_describe(branch)}"
        )
    check_callable(branch[0], f"branches[{index}][0] (inverse)")
    check_callable(branch[1], f"branches[{index}][1] (derivative of the inverse)")
    image = (-np.inf, np.inf) if len(branch) == 2 else tuple(branch[2])
    if len(image) != 2 or not image[0] < image[1]:
        raise ValueError(
            f"`branches[{index}][2]` must be an interval (low, high) with low < high; "
            f"got {_describe(branch[2])}"
        )
    return Branch(branch[0], branch[1], (float(image[0]), float(image[1])))


def pushforward_density_1d(
    pdf_x: ArrayFunction, branches: Sequence[Branch | tuple]
) -> ArrayFunction:
    """Density of :math:`Y = T(X)` for a piecewise-invertible 1-D map (eq. (1.5) per branch).

    Parameters
    ----------
    pdf_x : callable
        Density of the source :math:`X` (vectorised over arrays).
    branches : sequence of Branch or tuple
        The invertible pieces of :math:`T`: each a :class:`Branch` or a tuple
        ``(inverse, derivative_of_inverse)`` or ``(inverse, derivative_of_inverse, (low, high))``
        with ``(low, high)`` the open interval of ``y`` that the piece reaches (default: all of
        :math:`\\mathbb{R}`, in which case points where ``inverse`` is not finite contribute 0).

    Returns
    -------
    callable
        ``pdf_y(y)``, vectorised over ``y`` (scalar in, scalar out). Zero outside every branch's
        image; never ``nan``.

    Raises
    ------
    TypeError
        If `pdf_x` or a branch's functions are not callable, or a branch is malformed.
    ValueError
        If `branches` is empty or an image interval is empty; from ``pdf_y``, if `y` is not finite.

    Notes
    -----
    If :math:`T` restricted to the pieces :math:`D_1, \\dots, D_m` of its domain is a
    :math:`C^1` diffeomorphism onto :math:`T(D_i)`, then :math:`T^{-1}(A)` is the disjoint union
    of :math:`T_i^{-1}(A \\cap T(D_i))` and eqs. (1.5)-(1.6) give

    .. math:: p_Y(y) = \\sum_{i:\\, y \\in T(D_i)} p_X\\bigl(T_i^{-1}(y)\\bigr)
              \\,\\bigl|(T_i^{-1})'(y)\\bigr|.

    For :math:`T(x) = x^2` (Example 1.3) the branches are :math:`\\pm\\sqrt{y}` on
    :math:`(0, \\infty)`, and a standard Gaussian source gives the :math:`\\chi^2_1` density
    :math:`(2\\pi y)^{-1/2} e^{-y/2}`.

    Examples
    --------
    >>> from scipy import stats
    >>> branches = [
    ...     (np.sqrt, lambda y: 0.5 / np.sqrt(y), (0.0, np.inf)),
    ...     (lambda y: -np.sqrt(y), lambda y: -0.5 / np.sqrt(y), (0.0, np.inf)),
    ... ]
    >>> pdf_y = pushforward_density_1d(stats.norm.pdf, branches)
    >>> y = np.array([0.1, 1.0, 4.0])
    >>> bool(np.allclose(pdf_y(y), np.exp(-y / 2) / np.sqrt(2 * np.pi * y), rtol=1e-12))
    True
    >>> float(pdf_y(-1.0))
    0.0
    """
    check_callable(pdf_x, "pdf_x")
    if isinstance(branches, (Branch, str)) or not isinstance(branches, Sequence):
        raise TypeError(
            f"`branches` must be a list of branches (inverse, derivative_of_inverse[, image]); "
            f"got {_describe(branches)}"
        )
    if len(branches) == 0:
        raise ValueError("`branches` must hold at least one (inverse, derivative) pair; got []")
    pieces = [_as_branch(branch, i) for i, branch in enumerate(branches)]

    def pdf_y(y: Any) -> np.ndarray:
        y = as_float_array(y, "y", allow_empty=True)
        density = np.zeros(y.shape)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            for piece in pieces:
                low, high = piece.image
                mask = (y > low) & (y < high)
                y_in = y[mask]
                x = np.asarray(piece.inverse(y_in), dtype=float)
                slope = np.abs(np.asarray(piece.derivative(y_in), dtype=float))
                finite = np.isfinite(x)
                p = np.asarray(pdf_x(np.where(finite, x, 0.0)), dtype=float)
                contribution = np.where(finite & (p != 0), p * slope, 0.0)
                density[mask] += np.where(np.isnan(contribution), 0.0, contribution)
        return density[()] if density.ndim == 0 else density

    return pdf_y


def sample_pushforward(
    sample_x: Callable[[int, np.random.Generator], Any],
    T: ArrayFunction,
    n: int,
    rng: np.random.Generator | int | None = None,
    *,
    return_source: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Draw from the pushforward :math:`T_\\#P_X` by mapping draws of the source.

    Parameters
    ----------
    sample_x : callable
        ``sample_x(n, rng)`` returns ``n`` draws of :math:`X` (shape ``(n,)`` or ``(n, d)``).
    T : callable
        The map, vectorised over draws (a :class:`PushforwardMap` works).
    n : int
        Number of draws (>= 1).
    rng : numpy.random.Generator, int or None
        Source of randomness (a Generator, a seed, or None for fresh entropy).
    return_source : bool, default False
        Also return the source draws (to colour each target sample by where it came from).

    Returns
    -------
    y : ndarray
        ``T(x)`` for the ``n`` draws ``x``; with ``return_source=True``, the pair ``(x, y)``.

    Raises
    ------
    TypeError
        If `sample_x` or `T` is not callable, `n` is not an integer or `rng` is invalid.
    ValueError
        If `n` < 1, the source draws are not finite or have the wrong number of rows, or `T` is
        not finite at some draws: a map that is undefined on part of the support of the source.

    Notes
    -----
    This is eq. (1.6) read as a sampler: if :math:`x_1, \\dots, x_n \\sim P_X` i.i.d., then
    :math:`T(x_1), \\dots, T(x_n) \\sim T_\\#P_X` i.i.d., for any measurable :math:`T`, whether or
    not the pushforward has a closed-form density.

    Examples
    --------
    >>> source = gaussian_source()
    >>> y = sample_pushforward(source.sample, square_map(), 100_000, rng=0)
    >>> bool(abs(y.mean() - 1.0) < 4 * np.sqrt(2 / 100_000))  # E[X^2] = 1, sd(X^2) = sqrt(2)
    True
    """
    check_callable(sample_x, "sample_x")
    check_callable(T, "T")
    n = check_count(n, "n", minimum=1)
    generator = check_rng(rng)
    x = as_float_array(sample_x(n, generator), "sample_x(n, rng)", ndim=(1, 2))
    if x.shape[0] != n:
        raise ValueError(f"`sample_x(n, rng)` must return n = {n} draws; got shape {x.shape}")
    y = _images(T, x)
    return (x, y) if return_source else y


def _images(T: ArrayFunction, x: np.ndarray) -> np.ndarray:
    """``T(x)`` for checked draws ``x``: one finite value per draw, or a ValueError."""
    n = x.shape[0]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        y = np.asarray(T(x), dtype=float)
    if y.shape[:1] != (n,):
        raise ValueError(f"`T(x)` must return one value per draw ({n}); got shape {y.shape}")
    bad = ~np.isfinite(y) if y.ndim == 1 else ~np.all(np.isfinite(y), axis=tuple(range(1, y.ndim)))
    if np.any(bad):
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`T` returned non-finite values on {int(bad.sum())} of {n} source draws "
            f"(e.g. T({x[first].tolist()}) = {y[first].tolist()}): a map that is undefined on "
            "part of the support of the source. Use a source supported inside the map's domain."
        )
    return y


# --------------------------------------------------------------------------------------------
# The catalogue: sources and maps of Figure 1.2 and the pushforward explorer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A named 1-D source distribution.

    Attributes
    ----------
    name : str
        Short label, e.g. ``"N(0, 1)"``.
    latex : str
        The same in LaTeX, e.g. ``r"\\mathcal{N}(0, 1)"``.
    pdf, cdf, ppf : callable
        Density, distribution function and quantile function, vectorised.
    sample : callable
        ``sample(n, rng)`` -> ``n`` draws (``rng``: a numpy Generator).
    plot_range : tuple of float
        Where to draw the density (e.g. mean ± 4 sd; the unit interval widened by 1 each side).
    support : tuple of float
        ``(low, high)``, the closed hull of the support (may be infinite).
    """

    name: str
    latex: str
    pdf: ArrayFunction
    cdf: ArrayFunction
    ppf: ArrayFunction
    sample: Callable[[int, np.random.Generator], np.ndarray]
    plot_range: tuple[float, float]
    support: tuple[float, float]


def gaussian_source(mean: float = 0.0, std: float = 1.0) -> Source:
    """The Gaussian source :math:`\\mathcal{N}(\\text{mean}, \\text{std}^2)`.

    Parameters
    ----------
    mean : float, default 0
    std : float, default 1
        Standard deviation (> 0).

    Returns
    -------
    Source
        Plotted on ``mean ± 4 std``.

    Raises
    ------
    ValueError
        If `std` <= 0 or either argument is not finite.

    Examples
    --------
    >>> source = gaussian_source(1.0, 2.0)
    >>> float(source.cdf(1.0)), source.plot_range
    (0.5, (-7.0, 9.0))
    """
    mean = as_scalar(mean, "mean")
    std = float(check_positive(as_scalar(std, "std"), "std"))

    def pdf(x: Any) -> np.ndarray:
        z = (np.asarray(x, dtype=float) - mean) / std
        with np.errstate(over="ignore"):  # z**2 = inf far out: density 0, no warning
            return np.exp(-0.5 * z**2) / (std * math.sqrt(2 * math.pi))

    return Source(
        name=f"N({mean:g}, {std**2:g})",
        latex=rf"\mathcal{{N}}({mean:g}, {std**2:g})",
        pdf=pdf,
        cdf=lambda x: special.ndtr((np.asarray(x, dtype=float) - mean) / std),
        ppf=lambda q: mean + std * special.ndtri(np.asarray(q, dtype=float)),
        sample=lambda n, rng: rng.normal(mean, std, size=n),
        plot_range=(mean - 4 * std, mean + 4 * std),
        support=(-math.inf, math.inf),
    )


def uniform_source(low: float = 0.0, high: float = 1.0) -> Source:
    """The uniform source :math:`\\mathcal{U}[\\text{low}, \\text{high}]`.

    Parameters
    ----------
    low, high : float
        The interval, ``low < high``.

    Returns
    -------
    Source
        Plotted on ``[low - w, high + w]`` with ``w = high - low`` (``[-1, 2]`` for the unit
        interval, as in Figure 1.2).

    Raises
    ------
    ValueError
        If ``low >= high`` or either is not finite.

    Examples
    --------
    >>> source = uniform_source()
    >>> source.pdf(np.array([-0.5, 0.5, 1.5])).tolist(), source.plot_range
    ([0.0, 1.0, 0.0], (-1.0, 2.0))
    """
    low, high = check_interval(low, high, ("low", "high"))
    width = high - low

    def pdf(x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return np.where((x >= low) & (x <= high), 1.0 / width, 0.0)

    return Source(
        name=f"U[{low:g}, {high:g}]",
        latex=rf"\mathcal{{U}}[{low:g}, {high:g}]",
        pdf=pdf,
        cdf=lambda x: np.clip((np.asarray(x, dtype=float) - low) / width, 0.0, 1.0),
        ppf=lambda q: low + width * np.asarray(q, dtype=float),
        sample=lambda n, rng: rng.uniform(low, high, size=n),
        plot_range=(low - width, high + width),
        support=(low, high),
    )


@dataclass(frozen=True, kw_only=True)
class PushforwardMap:
    """A named 1-D map together with its inverse branches and the labels it is shown with.

    Calling the object applies the map: ``square_map()(3.0) == 9.0``. Figures, explorers and
    their text alternatives take the map's labels from here (no second table of labels).

    Attributes
    ----------
    name : str
        Plain text of :math:`T(x)` for readouts and text alternatives, e.g. ``"x²"``.
    latex : str
        LaTeX of :math:`T(x)`, e.g. ``"x^2"``.
    formula : str
        The target axis label of a figure, in matplotlib mathtext, e.g. ``r"$y = x^2$"``.
    label : str
        The map's entry in an explorer's menu, e.g. ``"T(x) = x²"``; a map with a free
        parameter names it ``c`` (the menu lists the family, a slider sets ``c``).
    forward : callable
        :math:`T`, vectorised; ``nan`` outside `domain`.
    branches : tuple of Branch
        The invertible pieces, enough for :func:`pushforward_density_1d` to give the exact
        density of :math:`T(X)` for any source supported in `domain`.
    domain : tuple of float
        ``(low, high)``: the open interval on which :math:`T` is defined (probit: ``(0, 1)``).
    parameter : str or None
        What the free parameter ``c`` of the map's family means (the label of its slider, e.g.
        ``"shift c of the split"``); None for a map without one.
    description : str
        One line on where the map appears in the book (not used in comparisons).
    """

    name: str
    latex: str
    formula: str
    label: str
    forward: ArrayFunction
    branches: tuple[Branch, ...]
    domain: tuple[float, float] = (-math.inf, math.inf)
    parameter: str | None = None
    description: str = field(default="", compare=False)

    def __call__(self, x: Any) -> np.ndarray:
        return self.forward(x)

    def pushforward_pdf(self, source: Source | ArrayFunction) -> ArrayFunction:
        """The exact density of :math:`T(X)` for ``X ~ source`` (a Source or a pdf)."""
        pdf = source.pdf if isinstance(source, Source) else source
        return pushforward_density_1d(pdf, self.branches)


def _on_domain(function: ArrayFunction, low: float, high: float) -> ArrayFunction:
    def forward(x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        inside = (x > low) & (x < high)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(inside, function(np.where(inside, x, 0.5 * (low + high))), np.nan)

    if math.isinf(low) and math.isinf(high):
        return function
    return forward


def square_map() -> PushforwardMap:
    """:math:`T(x) = x^2` (Example 1.3); branches :math:`\\pm\\sqrt{y}` on :math:`(0, \\infty)`.

    Examples
    --------
    >>> from scipy import stats
    >>> pdf_y = square_map().pushforward_pdf(gaussian_source())
    >>> bool(np.isclose(pdf_y(0.7), stats.chi2(df=1).pdf(0.7), rtol=1e-12))
    True
    """
    return PushforwardMap(
        name="x²",
        latex="x^2",
        formula=r"$y = x^2$",
        label="T(x) = x²",
        forward=np.square,
        branches=(
            Branch(np.sqrt, lambda y: 0.5 / np.sqrt(y), (0.0, math.inf)),
            Branch(lambda y: -np.sqrt(y), lambda y: -0.5 / np.sqrt(y), (0.0, math.inf)),
        ),
        description="Example 1.3: a Gaussian source gives the chi-square(1) density.",
    )


def log1p_square_map() -> PushforwardMap:
    """:math:`T(x) = \\log(1 + x^2)`; branches :math:`\\pm\\sqrt{e^y - 1}` on :math:`(0, \\infty)`.

    The derivative of the inverse is :math:`e^{y} / (2\\sqrt{e^y - 1})`, computed as
    ``0.5 * exp(y / 2) / sqrt(-expm1(-y))`` so it is accurate near 0 and overflows late.

    Examples
    --------
    >>> from scipy import integrate
    >>> T = log1p_square_map()
    >>> bool(np.isclose(T(1.0), np.log(2.0), rtol=1e-15))
    True
    >>> mass, _ = integrate.quad(T.pushforward_pdf(gaussian_source()), 0, np.inf)
    >>> round(mass, 8)
    1.0
    """

    def derivative(y: np.ndarray) -> np.ndarray:
        return 0.5 * np.exp(0.5 * y) / np.sqrt(-np.expm1(-y))

    def root(y: np.ndarray) -> np.ndarray:
        return np.sqrt(np.expm1(y))

    return PushforwardMap(
        name="log(1 + x²)",
        latex=r"\log(1 + x^2)",
        formula=r"$y = \log(1 + x^2)$",
        label="T(x) = log(1 + x²)",
        forward=lambda x: np.log1p(np.square(x)),
        branches=(
            Branch(root, derivative, (0.0, math.inf)),
            Branch(lambda y: -root(y), lambda y: -derivative(y), (0.0, math.inf)),
        ),
        description="Figure 1.2, panels 2 and 3.",
    )


def sign_split_map(shift: float = 2.0) -> PushforwardMap:
    """Sign-wise split: :math:`T(x) = x + s` if :math:`x < 0`, :math:`x - s` if :math:`x \\ge 0`.

    With ``s = shift > 0`` the negative half moves right and the positive half moves left, so
    the two halves of a symmetric source swap sides and overlap on :math:`(-s, s)`
    (Figure 1.2, panel 1, with ``s = 2``).

    Parameters
    ----------
    shift : float, default 2
        Any finite number (``0`` gives the identity).

    Examples
    --------
    >>> sign_split_map(2.0)(np.array([-1.0, 0.0, 3.0])).tolist()
    [1.0, -2.0, 1.0]
    """
    s = as_scalar(shift, "shift")
    return PushforwardMap(
        name=f"x + {s:g} if x < 0, x − {s:g} if x ≥ 0",
        latex=rf"x + {s:g}\,\mathbb{{1}}[x < 0] - {s:g}\,\mathbb{{1}}[x \ge 0]",
        formula=rf"$y = x + {s:g}$ if $x < 0$, $x - {s:g}$ if $x \geq 0$",
        label="sign-wise split: x + c if x < 0, x − c if x ≥ 0",
        parameter="shift c of the split",
        forward=lambda x: np.where(np.asarray(x) < 0, np.asarray(x) + s, np.asarray(x) - s),
        branches=(
            Branch(lambda y: y - s, np.ones_like, (-math.inf, s)),  # from x < 0
            Branch(lambda y: y + s, np.ones_like, (-s, math.inf)),  # from x >= 0
        ),
        description="Figure 1.2, panel 1.",
    )


def probit_map() -> PushforwardMap:
    """The inverse Gaussian CDF :math:`T(u) = \\Phi^{-1}(u)`, defined on :math:`(0, 1)`.

    It pushes :math:`\\mathcal{U}[0, 1]` forward to :math:`\\mathcal{N}(0, 1)` (inverse-transform
    sampling; Figure 1.2, panel 4). Outside :math:`(0, 1)` it is undefined (``nan``).

    Examples
    --------
    >>> pdf_y = probit_map().pushforward_pdf(uniform_source())
    >>> bool(np.isclose(pdf_y(0.3), np.exp(-0.045) / np.sqrt(2 * np.pi), rtol=1e-12))
    True
    """
    return PushforwardMap(
        name="Φ⁻¹(x)",
        latex=r"\Phi^{-1}(x)",
        formula=r"$y = \Phi^{-1}(x)$ (inverse Gaussian CDF)",
        label="probit T(x) = Φ⁻¹(x), inverse Gaussian CDF",
        forward=_on_domain(special.ndtri, 0.0, 1.0),
        branches=(Branch(special.ndtr, lambda y: np.exp(-0.5 * y**2) / math.sqrt(2 * math.pi)),),
        domain=(0.0, 1.0),
        description="Figure 1.2, panel 4: uniform to Gaussian.",
    )


def affine_map(scale: float = 1.0, offset: float = 0.0) -> PushforwardMap:
    """:math:`T(x) = \\text{scale}\\cdot x + \\text{offset}` (scale != 0).

    Examples
    --------
    >>> from scipy import stats
    >>> pdf_y = affine_map(2.0, 1.0).pushforward_pdf(gaussian_source())
    >>> bool(np.isclose(pdf_y(0.4), stats.norm(1.0, 2.0).pdf(0.4), rtol=1e-12))
    True
    """
    a = as_scalar(scale, "scale")
    b = as_scalar(offset, "offset")
    if a == 0:
        raise ValueError("`scale` must be nonzero (an affine map with scale 0 is not invertible)")
    sign, size = ("−", -b) if b < 0 else ("+", abs(b))
    return PushforwardMap(
        name=f"{a:g}·x {sign} {size:g}",
        latex=rf"{a:g}\,x + {b:g}",
        formula=rf"$y = {a:g}\,x {sign.replace('−', '-')} {size:g}$",
        label=f"affine T(x) = c·x {sign} {size:g}",
        parameter="slope c of the affine map",
        forward=lambda x: a * np.asarray(x, dtype=float) + b,
        branches=(Branch(lambda y: (y - b) / a, lambda y: np.full_like(y, 1.0 / a)),),
    )


def exp_map() -> PushforwardMap:
    """:math:`T(x) = e^x`; inverse :math:`\\log y` on :math:`(0, \\infty)`, derivative :math:`1/y`.

    Examples
    --------
    >>> from scipy import stats
    >>> pdf_y = exp_map().pushforward_pdf(gaussian_source())
    >>> bool(np.isclose(pdf_y(1.5), stats.lognorm(s=1.0).pdf(1.5), rtol=1e-12))
    True
    """
    return PushforwardMap(
        name="exp(x)",
        latex=r"e^{x}",
        formula=r"$y = e^x$",
        label="T(x) = exp(x)",
        forward=lambda x: np.exp(np.asarray(x, dtype=float)),
        branches=(Branch(np.log, np.reciprocal, (0.0, math.inf)),),
    )


def source_catalogue() -> dict[str, Source]:
    """The named sources offered by Figure 1.2 and the explorer, with default parameters.

    Examples
    --------
    >>> sorted(source_catalogue())
    ['gaussian', 'uniform']
    """
    return {"gaussian": gaussian_source(), "uniform": uniform_source()}


def map_catalogue(parameter: float = 2.0) -> dict[str, PushforwardMap]:
    """The named maps offered by Figure 1.2 and the explorer.

    Parameters
    ----------
    parameter : float, default 2
        The ``c`` of the maps that take one (their ``parameter`` attribute says what it means):
        the shift of the sign-wise split (2 in Figure 1.2) and the slope of the affine map
        :math:`c x + 1` (nonzero).

    Returns
    -------
    dict
        ``{key: PushforwardMap}``, in the order of Figure 1.2's maps.

    Raises
    ------
    TypeError, ValueError
        If `parameter` is not a finite number, or 0 (the affine map would not be invertible).

    Examples
    --------
    >>> list(map_catalogue())
    ['square', 'log1p_square', 'sign_split', 'probit', 'affine', 'exp']
    >>> map_catalogue(0.5)["affine"](np.array([2.0])).tolist()
    [2.0]
    """
    return {
        "square": square_map(),
        "log1p_square": log1p_square_map(),
        "sign_split": sign_split_map(parameter),
        "probit": probit_map(),
        "affine": affine_map(parameter, 1.0),
        "exp": exp_map(),
    }


# --------------------------------------------------------------------------------------------
# Binning: where does each slice of source mass land? (Figure 1.2)
# --------------------------------------------------------------------------------------------


def _widened(low: float, high: float) -> tuple[float, float]:
    """``(low, high)``, or an interval of width 1 around a single point."""
    return (low, high) if high > low else (low - 0.5, high + 0.5)


def pushforward_range(
    source: Source, tmap: PushforwardMap, tail: float = 0.001
) -> tuple[float, float]:
    """Where to plot :math:`T(X)`: the images of the source's quantiles ``tail`` to ``1 - tail``.

    A long tail of :math:`T(X)` (:math:`e^X`, :math:`X^2`) would squeeze a histogram over the
    whole sample into a few bins; this range leaves out at most about ``2 * tail`` of the mass.

    Parameters
    ----------
    source : Source
    tmap : PushforwardMap
        Defined on the support of `source` (see :func:`pushforward_experiment`).
    tail : float, default 0.001
        Mass left out at each end of the source, in (0, 0.5).

    Returns
    -------
    (float, float)
        The smallest and the largest image of 1,999 evenly spaced source quantiles from
        ``tail`` to ``1 - tail`` (a non-monotone map's extremes between them included), widened
        to width 1 around a single point (a constant map).

    Raises
    ------
    TypeError
        If `source` or `tmap` has the wrong type.
    ValueError
        If `tail` is not in (0, 0.5), or `tmap` is undefined on part of the source's support.

    Examples
    --------
    The 0.1% and 99.9% quantiles of N(0, 1) are -/+3.09; their squares bound the range of
    :math:`X^2` (its smallest image, 0, lies between them):

    >>> low, high = pushforward_range(gaussian_source(), square_map())
    >>> bool(low < 1e-6), bool(np.isclose(high, special.ndtri(0.999) ** 2, rtol=1e-12))
    (True, True)
    """
    _check_pair(source, tmap)
    tail = float(check_probability(tail, "tail", closed=False))
    if tail >= 0.5:
        raise ValueError(f"`tail` must lie in (0, 0.5) (mass left out at each end); got {tail:g}")
    images = tmap(source.ppf(np.linspace(tail, 1.0 - tail, 1999)))
    return _widened(float(np.min(images)), float(np.max(images)))


def quantile_bin_edges(source: Source, n_bins: int) -> np.ndarray:
    """Edges of ``n_bins`` bins holding equal source mass, ``source.ppf(k / n_bins)``.

    Parameters
    ----------
    source : Source
    n_bins : int
        Number of bins (>= 1).

    Returns
    -------
    ndarray, shape (n_bins + 1,)
        Increasing edges; the outer ones are the support's ends, which may be ``±inf`` (a
        Gaussian source). Each bin has probability ``1 / n_bins``.

    Raises
    ------
    TypeError
        If `source` is not a Source or `n_bins` is not an integer.
    ValueError
        If `n_bins` < 1.

    Examples
    --------
    >>> quantile_bin_edges(uniform_source(), 4).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> edges = quantile_bin_edges(gaussian_source(), 2)
    >>> edges.tolist()
    [-inf, 0.0, inf]
    """
    if not isinstance(source, Source):
        raise TypeError(f"`source` must be a Source; got {_describe(source)}")
    n_bins = check_count(n_bins, "n_bins", minimum=1)
    edges = np.asarray(source.ppf(np.linspace(0.0, 1.0, n_bins + 1)), dtype=float)
    edges[0], edges[-1] = source.support
    return edges


def quantile_bin_index(source: Source, draws: Any, n_bins: int) -> np.ndarray:
    """The equal-mass bin of each draw: its bin in :func:`quantile_bin_edges` ``(source, n_bins)``.

    Bins are half-open ``[a, b)`` except the last, which is closed, as in
    :func:`stacked_pushforward_histogram`; what it returns can be passed there (or to
    :func:`pushforward_experiment`) as ``source_bins``.

    Parameters
    ----------
    source : Source
    draws : array_like, shape (n,)
        Points to bin (finite).
    n_bins : int
        Number of equal-mass bins (>= 1).

    Returns
    -------
    ndarray of int32, shape (n,)
        ``0`` to ``n_bins - 1``; ``-1`` / ``n_bins`` for a draw below / above the support.

    Raises
    ------
    TypeError
        If `source` is not a Source, `draws` is not numeric or `n_bins` is not an integer.
    ValueError
        If `draws` is empty, not 1-D or not finite, or `n_bins` < 1.

    Notes
    -----
    A location-scale family keeps its bins: the edges of :math:`\\mathcal{N}(m, s^2)` are
    :math:`m + s\\,\\Phi^{-1}(k / n)`, so a draw :math:`m + s z` lies in the bin of :math:`z`
    under :math:`\\mathcal{N}(0, 1)` (and :math:`m + s u` of :math:`\\mathcal{U}[m, m + s]` in
    the bin of :math:`u` under :math:`\\mathcal{U}[0, 1]`), up to rounding in the last bit. A
    caller that shifts and scales one set of standard draws can bin them once, if it makes
    sure that no draw lies within rounding distance of an edge (the pushforward explorer
    checks the distance).

    Examples
    --------
    >>> quantile_bin_index(uniform_source(), [0.1, 0.25, 0.99, 1.0, 1.5], 4).tolist()
    [0, 1, 3, 3, 4]
    >>> z = np.array([-1.5, -0.1, 0.2, 2.0])
    >>> quantile_bin_index(gaussian_source(), z, 4).tolist()
    [0, 1, 2, 3]
    >>> quantile_bin_index(gaussian_source(1.0, 3.0), 1.0 + 3.0 * z, 4).tolist()
    [0, 1, 2, 3]
    """
    edges = quantile_bin_edges(source, n_bins)
    return _bin_index(as_float_array(draws, "draws", ndim=1), edges)


def _check_edges(edges: Any, name: str) -> np.ndarray:
    edges = as_float_array(edges, name, ndim=1, finite=False)
    if np.any(np.isnan(edges)):
        raise ValueError(f"`{name}` must not contain nan; got {edges.tolist()}")
    if edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(
            f"`{name}` must hold at least 2 strictly increasing edges; got {_describe(edges)}"
        )
    return edges


_MAX_LOOKUP_CELLS = 1 << 16
#: Values binned at a time by :func:`_bin_chunks`: its scratch arrays (128 KiB of floats) stay
#: in the CPU cache and are reused, where whole-array steps would allocate (and page-fault) 2.4 MB
#: temporaries for 300,000 values.
_CHUNK = 1 << 14


def _bin_chunks(
    values: np.ndarray, edges: np.ndarray, dtype: type = np.int32
) -> Iterator[tuple[int, np.ndarray]]:
    """``(start, bins)`` for consecutive chunks of `values`: the bin of each value of the chunk
    ``values[start:start + bins.size]`` as np.histogram assigns it (last bin closed), -1 /
    n_bins when outside. `bins` is a scratch array, overwritten by the next chunk.

    ``np.searchsorted`` on 10^5 unsorted values is slow (branchy binary search), so the finite
    part of the edges is covered by a uniform grid of cells at most half a bin wide; a value's
    cell gives its bin to within one, and two vectorised comparisons with the true edges fix it.
    The upper comparison is ``value >= upper[bin]`` with ``upper`` the right edges and the last
    one moved up by one ulp: the last bin is closed. Values go through in chunks of ``_CHUNK``
    into scratch arrays that stay in the CPU cache.
    """
    n_bins = edges.size - 1
    finite = edges[np.isfinite(edges)]
    width = float(np.min(np.diff(finite))) / 2 if finite.size >= 2 else 0.0
    with np.errstate(over="ignore", divide="ignore"):
        n_cells = (finite[-1] - finite[0]) / width if width > 0 else math.inf
    if not n_cells < _MAX_LOOKUP_CELLS:
        index = (np.searchsorted(edges, values, side="right") - 1).astype(dtype)
        index[values == edges[-1]] = n_bins - 1
        yield 0, index
        return
    n_cells = math.ceil(n_cells) + 1
    lefts = finite[0] + width * np.arange(n_cells)
    table = np.clip(np.searchsorted(edges, lefts, side="right") - 1, 0, n_bins - 1).astype(dtype)
    upper = edges[1:].copy()
    upper[-1] = np.nextafter(upper[-1], np.inf)  # v >= upper[-1] means v > edges[-1]
    inverse_width = 1.0 / width  # a cell within one of the true cell is enough
    size = max(1, min(_CHUNK, values.size))
    position, bound = np.empty(size), np.empty(size)
    cell, index, flag = np.empty(size, np.intp), np.empty(size, dtype), np.empty(size, bool)
    for start in range(0, values.size, size):
        chunk = values[start : start + size]
        n = chunk.size
        p, b, c, f, i = position[:n], bound[:n], cell[:n], flag[:n], index[:n]
        with np.errstate(over="ignore", invalid="ignore"):
            np.subtract(chunk, finite[0], out=p)
            p *= inverse_width
        np.maximum(p, 0.0, out=p)
        np.minimum(p, n_cells - 1, out=p)
        c[...] = p  # truncation: the cell
        np.take(table, c, out=i, mode="clip")  # "clip": no bounds check (all in range)
        np.less(chunk, np.take(edges, i, out=b, mode="clip"), out=f)
        i -= f
        # bin -1 (below the edges) takes upper[0] ("clip"): the value is below it, stays -1
        np.greater_equal(chunk, np.take(upper, i, out=b, mode="clip"), out=f)
        i += f
        yield start, i


def _bin_index(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin of each value as np.histogram assigns it (last bin closed); -1 / n_bins when outside
    (int32, see :func:`_bin_chunks`)."""
    index = np.empty(values.size, dtype=np.int32)
    for start, bins in _bin_chunks(values, edges):
        index[start : start + bins.size] = bins
    return index


def _check_source_bins(source_bins: Any, x: np.ndarray, source_edges: np.ndarray) -> np.ndarray:
    """Checked ``source_bins`` for :func:`stacked_pushforward_histogram` (see there)."""
    if isinstance(source_bins, (str, bytes)):
        raise TypeError(
            f"`source_bins` must be an integer array (the source bin of each draw); got "
            f"{_describe(source_bins)}"
        )
    bins = np.asarray(source_bins)
    if bins.dtype.kind not in "iu":
        raise TypeError(
            f"`source_bins` must be an integer array (the source bin of each draw); got "
            f"dtype {bins.dtype}: {_describe(source_bins)}"
        )
    if bins.shape != x.shape:
        raise ValueError(
            f"`source_bins` must hold one source bin per draw, shape {x.shape}; got shape "
            f"{bins.shape}"
        )
    n_source = source_edges.size - 1
    low, high = int(bins.min()), int(bins.max())
    if low < -1 or high > n_source:
        raise ValueError(
            f"`source_bins` must lie in 0..{n_source - 1} (or -1 / {n_source} for a draw below "
            f"/ above the source edges); got values from {low} to {high}"
        )
    # a spot check of about 64 evenly spread draws: bins of other draws, other edges or another
    # number of bins are caught here rather than turned into a wrong histogram
    step = max(1, x.size // 64)
    sample = slice(0, None, step)
    expected = _bin_index(x[sample], source_edges)
    given = bins[sample]
    if not np.array_equal(given, expected):
        first = int(np.flatnonzero(given != expected)[0])
        k = first * step
        raise ValueError(
            f"`source_bins` must be the bins of `x` in `source_edges`; got source_bins[{k}] = "
            f"{int(bins[k])} for x[{k}] = {float(x[k])!r}, which lies in bin {int(expected[first])}"
        )
    return bins.astype(np.int32, copy=False)


def stacked_pushforward_histogram(
    x: Any, y: Any, source_edges: Any, target_edges: Any, *, source_bins: Any = None
) -> np.ndarray:
    """Probability mass of each (source bin, target bin) pair, from paired samples ``y = T(x)``.

    Parameters
    ----------
    x : array_like, shape (n,)
        Source draws.
    y : array_like, shape (n,)
        Their images ``T(x)``.
    source_edges : array_like, shape (n_source_bins + 1,)
        Increasing source bin edges (may be infinite at the ends, e.g. from
        :func:`quantile_bin_edges`).
    target_edges : array_like, shape (n_target_bins + 1,)
        Increasing target bin edges.
    source_bins : array_like of int, shape (n,), optional
        The source bin of each draw, if the caller knows it already (e.g. from
        :func:`quantile_bin_index`): ``0`` to ``n_source_bins - 1``, or ``-1`` / ``n_source_bins``
        for a draw below / above the edges. The draws are then not binned again; about 64 of
        them, evenly spread, are checked against `source_edges`.

    Returns
    -------
    ndarray, shape (n_source_bins, n_target_bins)
        ``mass[i, j]`` = fraction of all ``n`` draws with ``x`` in source bin ``i`` and ``y`` in
        target bin ``j``. Bins are half-open ``[a, b)`` except the last, which is closed (as in
        :func:`numpy.histogram`); draws outside the edges are counted in no bin, so the total is
        the fraction of draws inside both ranges. Stacking the rows gives the histogram of
        :math:`T(X)` coloured by where each slice of source mass came from.

    Raises
    ------
    TypeError
        If an argument is not numeric, or `source_bins` is not an integer array.
    ValueError
        If `x` or `y` is empty, not finite or 1-D of different lengths, edges are not
        strictly increasing, or `source_bins` has the wrong shape, values outside -1 to
        ``n_source_bins`` or bins that the spot check finds wrong.

    Notes
    -----
    One pass: each pair gets the combined index ``i * n_target_bins + j`` and
    :func:`numpy.bincount` counts them all (300,000 pairs take a few milliseconds). The row sums
    estimate the source bin masses :math:`P_X(B_i)`; the column sums estimate
    :math:`(T_\\#P_X)(C_j) = P_X(T^{-1}(C_j))` (eq. (1.6)).

    Examples
    --------
    >>> x = np.array([0.1, 0.2, 0.6, 0.9])
    >>> stacked_pushforward_histogram(x, 1 - x, [0, 0.5, 1], [0, 0.5, 1]).tolist()
    [[0.0, 0.5], [0.5, 0.0]]
    >>> stacked_pushforward_histogram(
    ...     x, 1 - x, [0, 0.5, 1], [0, 0.5, 1], source_bins=[0, 0, 1, 1]
    ... ).tolist()
    [[0.0, 0.5], [0.5, 0.0]]
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    return _stacked_histogram(x, y, source_edges, target_edges, source_bins)


def _stacked_histogram(
    x: np.ndarray, y: np.ndarray, source_edges: Any, target_edges: Any, source_bins: Any
) -> np.ndarray:
    """:func:`stacked_pushforward_histogram` of float arrays known to be finite and non-empty
    (the pipeline's checked draws and images: no second pass over them)."""
    for name, values in (("x", x), ("y", y)):
        if values.ndim != 1:
            raise ValueError(f"`{name}` must have 1 dimension(s); got shape {values.shape}")
    if x.shape != y.shape:
        raise ValueError(
            f"`x` and `y` must have the same shape (one y = T(x) per x); got {x.shape} "
            f"and {y.shape}"
        )
    source_edges = _check_edges(source_edges, "source_edges")
    target_edges = _check_edges(target_edges, "target_edges")
    n_source, n_target = source_edges.size - 1, target_edges.size - 1
    if (n_source + 2) * (n_target + 2) > np.iinfo(np.int32).max:
        raise ValueError(
            f"too many bins: {n_source} x {n_target} cells; use fewer source or target edges"
        )
    if source_bins is None:
        source_bins = _bin_index(x, source_edges)
    else:
        source_bins = _check_source_bins(source_bins, x, source_edges)
    # bins -1 and n collect the draws outside the edges; the combined index of a pair is
    # (i + 1) * (n_target + 2) + (j + 1), counted chunk by chunk as the target bins come
    stride = n_target + 2
    counts = np.zeros((n_source + 2) * stride, dtype=np.intp)
    offset = np.empty(max(1, min(_CHUNK, x.size)), dtype=np.intp)
    for start, index in _bin_chunks(y, target_edges, np.intp):
        o = offset[: index.size]
        np.multiply(source_bins[start : start + index.size], stride, out=o)
        index += o
        index += stride + 1
        counts += np.bincount(index, minlength=counts.size)
    return counts.reshape(n_source + 2, stride)[1:-1, 1:-1] / x.size


def _check_pair(source: Any, tmap: Any) -> None:
    """A Source and a PushforwardMap defined on the whole support of the source."""
    if not isinstance(source, Source):
        raise TypeError(f"`source` must be a Source; got {_describe(source)}")
    if not isinstance(tmap, PushforwardMap):
        raise TypeError(f"`tmap` must be a PushforwardMap; got {_describe(tmap)}")
    low, high = tmap.domain
    if source.support[0] < low or source.support[1] > high:
        raise ValueError(
            f"The map T(x) = {tmap.name} is defined only on ({low:g}, {high:g}), but the source "
            f"{source.name} puts mass outside it: a map that is undefined on part of the support "
            f"of the source has no pushforward there. Use a source supported inside "
            f"({low:g}, {high:g}), e.g. a uniform one."
        )


def _target_range(target_range: Any) -> tuple[float, float]:
    """A checked ``(low, high)`` pair for :func:`pushforward_experiment`."""
    if isinstance(target_range, str) or not isinstance(target_range, Sequence):
        raise TypeError(
            f"`target_range` must be (low, high), 'quantiles' or None; got "
            f"{_describe(target_range)}"
        )
    if len(target_range) != 2:
        raise ValueError(
            f"`target_range` must be a pair (low, high); got {len(target_range)} values"
        )
    return check_interval(*target_range, names=("target_range[0]", "target_range[1]"))


@dataclass(frozen=True)
class PushforwardExperiment:
    """Everything one panel of Figure 1.2 (or one explorer frame) draws.

    Attributes
    ----------
    source : Source
    tmap : PushforwardMap
    x, y : ndarray, shape (n_samples,)
        Source draws and their images ``y = tmap(x)``.
    source_edges : ndarray, shape (n_source_bins + 1,)
        Equal-mass source bins (:func:`quantile_bin_edges`).
    target_edges : ndarray, shape (n_target_bins + 1,)
        Equal-width target bins over `target_range`.
    mass : ndarray, shape (n_source_bins, n_target_bins)
        :func:`stacked_pushforward_histogram` of ``(x, y)``.
    target_grid, target_pdf : ndarray
        The exact density of :math:`T(X)` (from the map's branches) on a grid over
        `target_range`, for overlaying (divide by the bin width to compare with `mass`).
    """

    source: Source
    tmap: PushforwardMap
    x: np.ndarray
    y: np.ndarray
    source_edges: np.ndarray
    target_edges: np.ndarray
    mass: np.ndarray
    target_grid: np.ndarray
    target_pdf: np.ndarray


def pushforward_experiment(
    source: Source,
    tmap: PushforwardMap,
    *,
    n_samples: int = 300_000,
    n_source_bins: int = 10,
    n_target_bins: int = 60,
    target_range: tuple[float, float] | Literal["quantiles"] | None = None,
    rng: np.random.Generator | int | None = None,
    n_grid: int = 400,
    draws: Any = None,
    source_bins: Any = None,
) -> PushforwardExperiment:
    """Sample a source, push it through a map and bin the result by source slice (Figure 1.2).

    Parameters
    ----------
    source : Source
    tmap : PushforwardMap
        Defined on the support of `source`.
    n_samples : int, default 300_000
        The figure's M (unused when `draws` are given).
    n_source_bins : int, default 10
        The figure's N equal-mass source bins.
    n_target_bins : int, default 60
        Equal-width target bins.
    target_range : (float, float), "quantiles" or None
        Range of the target bins. None (default): from the smallest to the largest ``y`` (so
        every draw is counted); ``"quantiles"``: :func:`pushforward_range` (the images of the
        source's 0.1%-99.9% quantiles; the mass beyond is ``1 - mass.sum()``).
    rng : numpy.random.Generator, int or None
        Source of randomness (seed it for a reproducible figure).
    n_grid : int, default 400
        Points of the exact-density grid.
    draws : array_like, shape (n,), optional
        Draws of `source` to push through `tmap` instead of sampling new ones (pass no `rng`
        then): a caller that shows one source under several maps keeps its draws.
    source_bins : array_like of int, shape (n,), optional
        The equal-mass source bin of each of `draws` (only with `draws`), e.g. from
        :func:`quantile_bin_index`: the draws are then not binned again (see
        :func:`stacked_pushforward_histogram`). A caller that shifts and scales one set of
        standard draws of a location-scale family bins them once (the bins of :math:`m + s z`
        under :math:`\\mathcal{N}(m, s^2)` are those of :math:`z` under
        :math:`\\mathcal{N}(0, 1)`; see :func:`quantile_bin_index`).

    Returns
    -------
    PushforwardExperiment

    Raises
    ------
    TypeError, ValueError
        If `tmap` is undefined on part of the support of `source` (the probit map and a
        Gaussian source), `draws` and `rng` are both given, `source_bins` comes without
        `draws` or `draws` is not a finite 1-D array; otherwise as :func:`sample_pushforward`
        and :func:`stacked_pushforward_histogram` (which checks `source_bins`).

    Examples
    --------
    >>> run = pushforward_experiment(gaussian_source(), square_map(), n_samples=10_000, rng=0)
    >>> run.mass.shape, bool(np.isclose(run.mass.sum(), 1.0))
    ((10, 60), True)
    >>> bool(np.allclose(run.mass.sum(axis=1), 0.1, atol=0.01))  # equal-mass source slices
    True

    The same draws under another map, on the plotted range of the explorer:

    >>> again = pushforward_experiment(
    ...     gaussian_source(), exp_map(), draws=run.x, target_range="quantiles"
    ... )
    >>> bool(np.array_equal(again.y, np.exp(run.x))), bool(0 < 1 - again.mass.sum() < 0.01)
    (True, True)

    Shifted and scaled draws keep the bins of the standard draws (binned once):

    >>> z = np.random.default_rng(0).standard_normal(10_000)
    >>> bins = quantile_bin_index(gaussian_source(), z, 10)
    >>> moved = pushforward_experiment(
    ...     gaussian_source(1.0, 2.0), square_map(), draws=1.0 + 2.0 * z, source_bins=bins
    ... )
    >>> fresh = pushforward_experiment(gaussian_source(1.0, 2.0), square_map(), draws=1.0 + 2.0 * z)
    >>> bool(np.array_equal(moved.mass, fresh.mass))
    True
    """
    _check_pair(source, tmap)
    if source_bins is not None and draws is None:
        raise ValueError(
            "`source_bins` must come with the `draws` whose source bins it holds; got "
            "source_bins but no draws (the experiment would sample new ones)"
        )
    if draws is None:
        x, y = sample_pushforward(source.sample, tmap, n_samples, rng, return_source=True)
    elif rng is not None:
        raise ValueError("pass either `draws` (draws to reuse) or `rng` (to sample), not both")
    else:
        x = as_float_array(draws, "draws", ndim=1)
        y = _images(tmap, x)
    if target_range is None:
        low, high = _widened(float(y.min()), float(y.max()))
    elif isinstance(target_range, str) and target_range == "quantiles":
        low, high = pushforward_range(source, tmap)
    else:
        low, high = _target_range(target_range)
    source_edges = quantile_bin_edges(source, n_source_bins)
    target_edges = np.linspace(
        low, high, check_count(n_target_bins, "n_target_bins", minimum=1) + 1
    )
    grid = np.linspace(low, high, check_count(n_grid, "n_grid", minimum=2))
    return PushforwardExperiment(
        source=source,
        tmap=tmap,
        x=x,
        y=y,
        source_edges=source_edges,
        target_edges=target_edges,
        mass=_stacked_histogram(x, y, source_edges, target_edges, source_bins),
        target_grid=grid,
        target_pdf=tmap.pushforward_pdf(source)(grid),
    )
