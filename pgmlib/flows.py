"""Section 1.3 in the plane: invertible maps of :math:`\\mathbb{R}^2` and eq. (1.5).

Theorem 1.1 gives the density of :math:`Y = T(X)` for a :math:`C^1` diffeomorphism :math:`T`,

.. math:: p_Y(y) = p_X\\bigl(T^{-1}(y)\\bigr)\\,\\bigl|\\det \\nabla_y T^{-1}(y)\\bigr|,

and in more than one dimension its heart is the Jacobian determinant: the factor by which
:math:`T^{-1}` stretches area near :math:`y`. Stacking such maps on a Gaussian source is what a
normalising flow does (the notes' concluding remarks). This module holds three invertible maps
of the plane, each with its inverse, its Jacobian and its log-determinant:

- :class:`AffineFlow`, :math:`T(x) = Ax + b` with :math:`A` a rotation, a shear and two scales;
- :class:`PlanarFlow`, :math:`T(x) = x + u \\tanh(w^\\top x + b)` (Rezende & Mohamed, 2015),
  whose inverse has no closed form: it is found by solving one monotone scalar equation;
- :class:`CouplingFlow`, :math:`T(x_1, x_2) = (x_1,\\, x_2 e^{s x_1} + a x_1^2)`, with a
  triangular Jacobian.

For a standard Gaussian source :math:`X \\sim \\mathcal{N}(0, I_2)`, :meth:`FlowMap.pushforward_pdf`
gives the density of :math:`T(X)` through :func:`pgmlib.change_of_variables` (which takes one
``(2, 2)`` Jacobian per point), :func:`flow_density_grid` evaluates it on a grid, and
:func:`flow_histogram_comparison` sets it beside a 2-D histogram of samples. An independent route
to probabilities, which never uses a Jacobian, is :func:`flow_box_probability`: each map is
affine along a family of parallel source lines, so the probability of a rectangle is a 1-D
integral of Gaussian CDFs.

References
----------
.. [1] D. J. Rezende and S. Mohamed, "Variational inference with normalizing flows", ICML 2015
   (planar flows and their invertibility condition, Appendix A.1).
"""

from __future__ import annotations

import abc
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy import special
from scipy.optimize import elementwise

from ._exceptions import ConvergenceWarning
from ._validation import _describe, as_float_array, as_scalar, check_count, check_positive
from .pushforward import change_of_variables, sample_pushforward

__all__ = [
    "AffineFlow",
    "CouplingFlow",
    "FlowHistogramComparison",
    "FlowMap",
    "LocalAreaElement",
    "PlanarFlow",
    "expected_sampling_total_variation",
    "flow_box_probability",
    "flow_density_grid",
    "flow_grid_lines",
    "flow_histogram_comparison",
    "local_area_element",
    "sample_flow",
    "standard_gaussian_pdf_2d",
]

_EPS = np.finfo(float).eps
#: Log-scales beyond this make the affine matrix numerically singular (condition ~ e^40).
_MAX_LOG_SCALE = 20.0


# --------------------------------------------------------------------------------------------
# Points of the plane
# --------------------------------------------------------------------------------------------


def _as_points(value: Any, name: str) -> tuple[np.ndarray, bool]:
    """``value`` as an (n, 2) float array, and whether it was a single point of shape (2,)."""
    points = as_float_array(value, name, ndim=(1, 2), allow_empty=True)
    if points.shape[-1] != 2:
        raise ValueError(
            f"`{name}` must hold points of the plane, shape (2,) or (n, 2); got shape "
            f"{points.shape}"
        )
    return np.atleast_2d(points), points.ndim == 1


def _pair(value: Any, name: str) -> tuple[float, float]:
    """A pair of finite numbers (a vector of the plane)."""
    array = as_float_array(value, name, ndim=1)
    if array.shape != (2,):
        raise ValueError(f"`{name}` must be a pair of numbers; got shape {array.shape}")
    return float(array[0]), float(array[1])


def _restore(result: np.ndarray, single: bool) -> np.ndarray:
    return result[0] if single else result


def standard_gaussian_pdf_2d(x: Any) -> np.ndarray:
    """Density of the source :math:`X \\sim \\mathcal{N}(0, I_2)`.

    Parameters
    ----------
    x : array_like, shape (2,) or (n, 2)

    Returns
    -------
    ndarray, shape () or (n,)
        :math:`(2\\pi)^{-1} e^{-\\|x\\|^2 / 2}`.

    Raises
    ------
    TypeError, ValueError
        If `x` is not numeric, not finite or not of shape (2,) / (n, 2).

    Examples
    --------
    >>> from scipy import stats
    >>> x = np.array([[0.3, -1.2], [2.0, 0.5]])
    >>> bool(np.allclose(standard_gaussian_pdf_2d(x),
    ...                  stats.multivariate_normal(np.zeros(2)).pdf(x), rtol=1e-14))
    True
    """
    points, single = _as_points(x, "x")
    density = np.exp(-0.5 * np.einsum("ij,ij->i", points, points)) / (2 * math.pi)
    return _restore(density, single)


def _sech_squared(a: np.ndarray) -> np.ndarray:
    """:math:`1 - \\tanh^2 a = 4 e^{-2|a|} / (1 + e^{-2|a|})^2`, with no overflow."""
    decay = np.exp(-2.0 * np.abs(a))
    return 4.0 * decay / (1.0 + decay) ** 2


def _unit_perpendicular(direction: np.ndarray) -> np.ndarray:
    return np.array([-direction[1], direction[0]])


# --------------------------------------------------------------------------------------------
# The maps
# --------------------------------------------------------------------------------------------


class FlowMap(abc.ABC):
    """An invertible :math:`C^1` map of the plane with its inverse and Jacobians.

    Every method takes one point, shape ``(2,)``, or a batch, shape ``(n, 2)``, and answers per
    point (matrices: ``(2, 2)`` or ``(n, 2, 2)``). Calling the map applies it.

    Attributes
    ----------
    label : str
        A short name for a control, the same for every parameter value (class attribute).
    latex : str
        :math:`T(x)` with the parameters' values, in the LaTeX that matplotlib's mathtext reads
        (no ``$``).
    text : str
        The same in plain words, for text alternatives and readouts.
    """

    label: ClassVar[str] = ""

    # -- what each map provides (on validated (n, 2) arrays) ------------------------------------

    @abc.abstractmethod
    def _forward(self, x: np.ndarray) -> np.ndarray: ...

    @abc.abstractmethod
    def _inverse(self, y: np.ndarray) -> np.ndarray: ...

    @abc.abstractmethod
    def _jacobian(self, x: np.ndarray) -> np.ndarray: ...

    @abc.abstractmethod
    def _jacobian_inverse(self, x: np.ndarray) -> np.ndarray:
        """The inverse matrix of the Jacobian of T at x, i.e. the Jacobian of T^-1 at T(x)."""

    @abc.abstractmethod
    def _log_abs_det(self, x: np.ndarray) -> np.ndarray: ...

    @property
    @abc.abstractmethod
    def affine_direction(self) -> np.ndarray:
        """A unit vector :math:`d` such that :math:`T` is affine on every line
        :math:`\\{c + \\beta d\\}`: :math:`T(c + \\beta d) = T(c) + \\beta\\,(T(c + d) - T(c))`.
        :func:`flow_box_probability` integrates along these lines."""

    @property
    @abc.abstractmethod
    def latex(self) -> str: ...

    @property
    @abc.abstractmethod
    def text(self) -> str: ...

    # -- the public, validated interface -----------------------------------------------------

    def __call__(self, x: Any) -> np.ndarray:
        return self.forward(x)

    def forward(self, x: Any) -> np.ndarray:
        """:math:`T(x)`, shape of `x`."""
        points, single = _as_points(x, "x")
        return _restore(self._forward(points), single)

    def inverse(self, y: Any) -> np.ndarray:
        """:math:`T^{-1}(y)`, shape of `y`."""
        points, single = _as_points(y, "y")
        return _restore(self._inverse(points), single)

    def jacobian(self, x: Any) -> np.ndarray:
        """:math:`\\nabla_x T(x)`, ``[i, j] = dT_i / dx_j``; shape (2, 2) or (n, 2, 2)."""
        points, single = _as_points(x, "x")
        return _restore(self._jacobian(points), single)

    def log_abs_det_jacobian(self, x: Any) -> np.ndarray:
        """:math:`\\log|\\det \\nabla_x T(x)|`; shape () or (n,)."""
        points, single = _as_points(x, "x")
        return _restore(self._log_abs_det(points), single)

    def inverse_jacobian(self, y: Any) -> np.ndarray:
        """:math:`\\nabla_y T^{-1}(y) = (\\nabla_x T(x))^{-1}` at :math:`x = T^{-1}(y)`."""
        points, single = _as_points(y, "y")
        return _restore(self._jacobian_inverse(self._inverse(points)), single)

    def inverse_abs_det_jacobian(self, y: Any) -> np.ndarray:
        """:math:`|\\det \\nabla_y T^{-1}(y)|`, the factor of eq. (1.5); shape () or (n,)."""
        points, single = _as_points(y, "y")
        return _restore(np.exp(-self._log_abs_det(self._inverse(points))), single)

    def pushforward_pdf(self) -> Callable[[Any], np.ndarray]:
        """The density of :math:`T(X)` for :math:`X \\sim \\mathcal{N}(0, I_2)`, by eq. (1.5).

        Returns
        -------
        callable
            ``pdf_y(y)`` for ``y`` of shape (2,) or (n, 2): :func:`pgmlib.change_of_variables`
            given :func:`standard_gaussian_pdf_2d`, :meth:`inverse` and :meth:`inverse_jacobian`
            (one ``(2, 2)`` matrix per point). The inverse of each batch is computed once and
            reused for the Jacobian.
        """
        memo: dict[str, np.ndarray] = {}

        def inverse(y: np.ndarray) -> np.ndarray:
            memo["y"], memo["x"] = y, self.inverse(y)
            return memo["x"]

        def inverse_jacobian(y: np.ndarray) -> np.ndarray:
            if memo.get("y") is not y:
                return self.inverse_jacobian(y)
            points, single = _as_points(memo["x"], "x")
            return _restore(self._jacobian_inverse(points), single)

        return change_of_variables(standard_gaussian_pdf_2d, inverse, inverse_jacobian)


def _rotation(angle: float) -> np.ndarray:
    cos, sin = math.cos(angle), math.sin(angle)
    return np.array([[cos, -sin], [sin, cos]])


@dataclass(frozen=True)
class AffineFlow(FlowMap):
    """:math:`T(x) = Ax + b` with :math:`A = R(\\theta)\\,S(k)\\,\\mathrm{diag}(e^{s_1}, e^{s_2})`.

    :math:`R(\\theta)` rotates by ``angle`` (radians, counter-clockwise), :math:`S(k) =
    \\begin{pmatrix}1 & k\\\\ 0 & 1\\end{pmatrix}` shears by ``shear`` and the diagonal scales
    the axes by :math:`e^{s_1}, e^{s_2}` (``log_scales``). Every real :math:`2\\times 2` matrix
    with a positive determinant has this form (its QR decomposition), and
    :math:`\\det A = e^{s_1 + s_2} > 0`, so :math:`A` is always invertible. A standard Gaussian
    source gives :math:`T(X) \\sim \\mathcal{N}(b, AA^\\top)`.

    Parameters
    ----------
    angle : float, default 0
    shear : float, default 0
    log_scales : pair of float, default (0, 0)
        Each in [-20, 20] (beyond, :math:`A` is numerically singular).
    shift : pair of float, default (0, 0)
        The translation :math:`b`.

    Raises
    ------
    TypeError
        If a parameter is not numeric.
    ValueError
        If a parameter is not finite, a pair does not have two entries, or a log-scale lies
        outside [-20, 20].

    Examples
    --------
    >>> T = AffineFlow(angle=np.pi / 2, log_scales=(np.log(2.0), 0.0), shift=(1.0, 0.0))
    >>> T.forward(np.array([1.0, 0.0])).round(12).tolist()  # (1, 0) -> (2, 0) -> (0, 2) + b
    [1.0, 2.0]
    >>> bool(np.isclose(np.exp(T.log_abs_det_jacobian(np.zeros(2))), 2.0, rtol=1e-15))
    True
    """

    angle: float = 0.0
    shear: float = 0.0
    log_scales: tuple[float, float] = (0.0, 0.0)
    shift: tuple[float, float] = (0.0, 0.0)

    label: ClassVar[str] = "affine: T(x) = A x + b"

    def __post_init__(self) -> None:
        object.__setattr__(self, "angle", as_scalar(self.angle, "angle"))
        object.__setattr__(self, "shear", as_scalar(self.shear, "shear"))
        scales = _pair(self.log_scales, "log_scales")
        if max(abs(s) for s in scales) > _MAX_LOG_SCALE:
            raise ValueError(
                f"`log_scales` must lie in [-{_MAX_LOG_SCALE:g}, {_MAX_LOG_SCALE:g}] (beyond, "
                f"the matrix A is numerically singular); got {scales}"
            )
        object.__setattr__(self, "log_scales", scales)
        object.__setattr__(self, "shift", _pair(self.shift, "shift"))

    @property
    def matrix(self) -> np.ndarray:
        """:math:`A`, shape (2, 2)."""
        shear = np.array([[1.0, self.shear], [0.0, 1.0]])
        return _rotation(self.angle) @ shear @ np.diag(np.exp(self.log_scales))

    @property
    def matrix_inverse(self) -> np.ndarray:
        """:math:`A^{-1} = \\mathrm{diag}(e^{-s_1}, e^{-s_2})\\,S(-k)\\,R(-\\theta)`."""
        unshear = np.array([[1.0, -self.shear], [0.0, 1.0]])
        return np.diag(np.exp(np.negative(self.log_scales))) @ unshear @ _rotation(-self.angle)

    @property
    def affine_direction(self) -> np.ndarray:
        return np.array([0.0, 1.0])

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return x @ self.matrix.T + np.asarray(self.shift)

    def _inverse(self, y: np.ndarray) -> np.ndarray:
        return (y - np.asarray(self.shift)) @ self.matrix_inverse.T

    def _jacobian(self, x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.matrix, (x.shape[0], 2, 2)).copy()

    def _jacobian_inverse(self, x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.matrix_inverse, (x.shape[0], 2, 2)).copy()

    def _log_abs_det(self, x: np.ndarray) -> np.ndarray:
        return np.full(x.shape[0], sum(self.log_scales))

    @property
    def latex(self) -> str:
        degrees = math.degrees(self.angle)
        s1, s2 = self.log_scales
        return (
            rf"T(x) = R_{{{degrees:.3g}^\circ}}\,S_{{{self.shear:.3g}}}\,"
            rf"\mathrm{{diag}}(e^{{{s1:.3g}}}, e^{{{s2:.3g}}})\,x"
            rf" + ({self.shift[0]:.3g}, {self.shift[1]:.3g})"
        )

    @property
    def text(self) -> str:
        s1, s2 = self.log_scales
        return (
            f"affine map T(x) = A x + b: rotation by {math.degrees(self.angle):.3g}°, shear "
            f"{self.shear:.3g}, axis scales e^{s1:.3g} and e^{s2:.3g} (det A = "
            f"{math.exp(s1 + s2):.3g}), shift b = ({self.shift[0]:.3g}, {self.shift[1]:.3g})"
        )


def _softplus(a: float) -> float:
    return float(np.logaddexp(0.0, a))


@dataclass(frozen=True)
class PlanarFlow(FlowMap):
    """The planar map :math:`T(x) = x + u \\tanh(w^\\top x + b)` (Rezende & Mohamed, 2015).

    It moves each point along :math:`u` by an amount that depends only on its position across
    the line :math:`w^\\top x + b = 0`. Its Jacobian is :math:`I + \\tanh'(w^\\top x + b)\\,
    u w^\\top`, with determinant :math:`1 + \\tanh'(w^\\top x + b)\\, w^\\top u`; since
    :math:`\\tanh'` takes every value in :math:`(0, 1]`, the map is a diffeomorphism exactly when
    :math:`w^\\top u > -1` (at :math:`w^\\top u = -1` the determinant vanishes on that line and the
    density of :math:`T(X)` is infinite there; below, the map folds the plane over itself).

    Parameters
    ----------
    w : pair of float, default (1, 0)
    u : pair of float, default (0.5, 0)
        Must satisfy :math:`w^\\top u > -1`; :meth:`reparametrised` turns any ``u`` into one that
        does.
    b : float, default 0

    Raises
    ------
    TypeError
        If a parameter is not numeric.
    ValueError
        If a parameter is not finite or a pair does not have two entries, or if
        :math:`w^\\top u \\le -1` (not invertible).

    Notes
    -----
    *Inverse.* Write :math:`x = T^{-1}(y)` and :math:`r = w^\\top x`. Taking :math:`w^\\top` of
    :math:`y = x + u \\tanh(r + b)` gives one scalar equation,

    .. math:: g(r) = r + (w^\\top u) \\tanh(r + b) - w^\\top y = 0,

    with :math:`g' = 1 + (w^\\top u)\\tanh'(r + b) \\ge \\min(1, 1 + w^\\top u) > 0`: :math:`g` is
    increasing and its root lies in :math:`[w^\\top y - |w^\\top u|, w^\\top y + |w^\\top u|]`.
    The roots of a whole batch are found together by Newton's method kept inside that bracket
    (a step leaving the bracket is replaced by bisection); then
    :math:`x = y - u \\tanh(r + b)`.

    Examples
    --------
    >>> T = PlanarFlow(w=(2.0, 1.0), u=(0.8, -0.3), b=0.5)
    >>> x = np.array([[0.3, -1.0], [2.0, 4.0]])
    >>> bool(np.allclose(T.inverse(T(x)), x, rtol=0, atol=1e-12))
    True
    >>> PlanarFlow(w=(1.0, 0.0), u=(-2.0, 0.0))
    Traceback (most recent call last):
    ...
    ValueError: the planar map is invertible only when w·u > -1; got w·u = -2. \
Use PlanarFlow.reparametrised(w, u, b), which moves u along w until w·u > -1.
    """

    w: tuple[float, float] = (1.0, 0.0)
    u: tuple[float, float] = (0.5, 0.0)
    b: float = 0.0

    label: ClassVar[str] = "planar: T(x) = x + u tanh(wᵀx + b)"
    #: Newton iterations allowed per inverse (bisection makes each one halve the bracket at
    #: worst; 5-10 are typical).
    max_iter: ClassVar[int] = 200

    def __post_init__(self) -> None:
        object.__setattr__(self, "w", _pair(self.w, "w"))
        object.__setattr__(self, "u", _pair(self.u, "u"))
        object.__setattr__(self, "b", as_scalar(self.b, "b"))
        if not self.w_dot_u > -1.0:
            raise ValueError(
                "the planar map is invertible only when w·u > -1; got w·u = "
                f"{self.w_dot_u:.6g}. Use PlanarFlow.reparametrised(w, u, b), which moves u "
                "along w until w·u > -1."
            )

    @classmethod
    def reparametrised(cls, w: Any, u: Any, b: float = 0.0) -> PlanarFlow:
        """The planar map with :math:`u` replaced by :math:`\\hat u`, which always satisfies
        :math:`w^\\top \\hat u > -1` (Rezende & Mohamed, 2015, Appendix A.1).

        .. math:: \\hat u = u + \\bigl(m(w^\\top u) - w^\\top u\\bigr)\\frac{w}{\\|w\\|^2},
                  \\qquad m(a) = -1 + \\log(1 + e^a),

        so that :math:`w^\\top \\hat u = m(w^\\top u) > -1`; the component of :math:`u`
        perpendicular to :math:`w` is kept. Like the paper, this is applied whatever
        :math:`w^\\top u` is (it changes a valid ``u`` too).

        Raises
        ------
        ValueError
            If ``w`` is zero (there is no direction to move ``u`` along) or not finite.

        Examples
        --------
        >>> T = PlanarFlow.reparametrised(w=(1.0, 0.0), u=(-3.0, 0.5))
        >>> T.u[1], bool(T.w_dot_u > -1)
        (0.5, True)
        """
        w_pair, u_pair = _pair(w, "w"), _pair(u, "u")
        w_array, u_array = np.array(w_pair), np.array(u_pair)
        norm_squared = float(w_array @ w_array)
        if norm_squared == 0.0:
            raise ValueError(
                "`w` must be nonzero to reparametrise u (u is moved along w); got w = (0, 0)"
            )
        w_dot_u = float(w_array @ u_array)
        u_hat = u_array + (-1.0 + _softplus(w_dot_u) - w_dot_u) * w_array / norm_squared
        return cls(w=w_pair, u=(float(u_hat[0]), float(u_hat[1])), b=b)

    @property
    def w_dot_u(self) -> float:
        """:math:`w^\\top u` (> -1)."""
        return self.w[0] * self.u[0] + self.w[1] * self.u[1]

    @property
    def affine_direction(self) -> np.ndarray:
        norm = math.hypot(*self.w)
        return np.array([0.0, 1.0]) if norm == 0 else _unit_perpendicular(np.array(self.w) / norm)

    def _activation(self, x: np.ndarray) -> np.ndarray:
        return x @ np.asarray(self.w) + self.b

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return x + np.tanh(self._activation(x))[:, None] * np.asarray(self.u)

    def _jacobian(self, x: np.ndarray) -> np.ndarray:
        slope = _sech_squared(self._activation(x))
        return np.eye(2) + slope[:, None, None] * np.outer(self.u, self.w)

    def _jacobian_inverse(self, x: np.ndarray) -> np.ndarray:
        # Sherman-Morrison: (I + h u w^T)^-1 = I - h u w^T / (1 + h w^T u)
        slope = _sech_squared(self._activation(x))
        factor = slope / (1.0 + slope * self.w_dot_u)
        return np.eye(2) - factor[:, None, None] * np.outer(self.u, self.w)

    def _log_abs_det(self, x: np.ndarray) -> np.ndarray:
        return np.log1p(_sech_squared(self._activation(x)) * self.w_dot_u)

    def _inverse(self, y: np.ndarray) -> np.ndarray:
        target = y @ np.asarray(self.w)
        r = self._solve_projection(target)
        return y - np.tanh(r + self.b)[:, None] * np.asarray(self.u)

    def _solve_projection(self, target: np.ndarray) -> np.ndarray:
        """The root r of r + c tanh(r + b) = target for each target (c = w·u > -1)."""
        c, b = self.w_dot_u, self.b
        low, high = target - abs(c) - 1.0, target + abs(c) + 1.0
        r = target - c * np.tanh(target + b)  # one fixed-point step: a good start
        scale = np.abs(target) + abs(c) + 1.0
        for _ in range(self.max_iter):
            tanh = np.tanh(r + b)
            residual = r + c * tanh - target
            low = np.where(residual < 0, r, low)
            high = np.where(residual > 0, r, high)
            step = r - residual / (1.0 + c * (1.0 - tanh * tanh))
            outside = (step < low) | (step > high) | ~np.isfinite(step)
            r_next = np.where(outside, 0.5 * (low + high), step)
            done = (np.abs(residual) <= 8 * _EPS * scale) | (
                np.abs(r_next - r) <= 2 * _EPS * np.maximum(1.0, np.abs(r))
            )
            r = r_next
            if np.all(done):
                return r
        warnings.warn(
            f"the planar inverse did not converge in {self.max_iter} Newton steps at "
            f"{int(np.sum(~done))} points (w·u = {c:.6g} is close to -1)",
            ConvergenceWarning,
            stacklevel=4,
        )
        return r

    @property
    def latex(self) -> str:
        (w1, w2), (u1, u2) = self.w, self.u
        return (
            rf"T(x) = x + ({u1:.3g}, {u2:.3g})\,\tanh({w1:.3g}\,x_1 + {w2:.3g}\,x_2"
            rf" + {self.b:.3g})"
        )

    @property
    def text(self) -> str:
        (w1, w2), (u1, u2) = self.w, self.u
        return (
            f"planar map T(x) = x + u tanh(wᵀx + b) with w = ({w1:.3g}, {w2:.3g}), "
            f"u = ({u1:.3g}, {u2:.3g}), b = {self.b:.3g} (w·u = {self.w_dot_u:.3g})"
        )


@dataclass(frozen=True)
class CouplingFlow(FlowMap):
    """The coupling map :math:`T(x_1, x_2) = (x_1,\\; x_2 e^{s x_1} + a x_1^2)`.

    The first coordinate passes through; the second is scaled by :math:`e^{s x_1}` and shifted
    by :math:`a x_1^2`, both chosen by the first (an affine coupling layer with a quadratic
    shift). The inverse is exact, :math:`x_2 = (y_2 - a y_1^2) e^{-s y_1}`, and the Jacobian is
    lower triangular with determinant :math:`e^{s x_1}`: with ``scale_rate = 0`` the map keeps
    every area (:math:`|\\det| = 1`) while bending a Gaussian into a banana.

    Parameters
    ----------
    bend : float, default 1
        :math:`a`.
    scale_rate : float, default 0
        :math:`s`.

    Raises
    ------
    TypeError
        If a parameter is not numeric.
    ValueError
        If a parameter is not finite.

    Examples
    --------
    >>> T = CouplingFlow(bend=1.0, scale_rate=0.5)
    >>> T.forward(np.array([2.0, 1.0])).round(12).tolist() == [2.0, round(np.e + 4.0, 12)]
    True
    >>> float(T.log_abs_det_jacobian(np.array([2.0, 1.0])))  # s x_1
    1.0
    """

    bend: float = 1.0
    scale_rate: float = 0.0

    label: ClassVar[str] = "coupling: T(x) = (x₁, x₂ e^(s x₁) + a x₁²)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "bend", as_scalar(self.bend, "bend"))
        object.__setattr__(self, "scale_rate", as_scalar(self.scale_rate, "scale_rate"))

    @property
    def affine_direction(self) -> np.ndarray:
        return np.array([0.0, 1.0])

    def _forward(self, x: np.ndarray) -> np.ndarray:
        x1, x2 = x[:, 0], x[:, 1]
        with np.errstate(over="ignore"):
            return np.column_stack((x1, x2 * np.exp(self.scale_rate * x1) + self.bend * x1**2))

    def _inverse(self, y: np.ndarray) -> np.ndarray:
        y1, y2 = y[:, 0], y[:, 1]
        with np.errstate(over="ignore", invalid="ignore"):
            return np.column_stack((y1, (y2 - self.bend * y1**2) * np.exp(-self.scale_rate * y1)))

    def _jacobian(self, x: np.ndarray) -> np.ndarray:
        x1, x2 = x[:, 0], x[:, 1]
        scale = np.exp(self.scale_rate * x1)
        jacobian = np.zeros((x.shape[0], 2, 2))
        jacobian[:, 0, 0] = 1.0
        jacobian[:, 1, 0] = 2 * self.bend * x1 + self.scale_rate * x2 * scale
        jacobian[:, 1, 1] = scale
        return jacobian

    def _jacobian_inverse(self, x: np.ndarray) -> np.ndarray:
        x1, x2 = x[:, 0], x[:, 1]
        inverse_scale = np.exp(-self.scale_rate * x1)
        jacobian = np.zeros((x.shape[0], 2, 2))
        jacobian[:, 0, 0] = 1.0
        jacobian[:, 1, 0] = -(2 * self.bend * x1 * inverse_scale + self.scale_rate * x2)
        jacobian[:, 1, 1] = inverse_scale
        return jacobian

    def _log_abs_det(self, x: np.ndarray) -> np.ndarray:
        return self.scale_rate * x[:, 0]

    @property
    def latex(self) -> str:
        return rf"T(x) = (x_1,\ x_2\,e^{{{self.scale_rate:.3g}\,x_1}} + {self.bend:.3g}\,x_1^2)"

    @property
    def text(self) -> str:
        return (
            f"coupling map T(x) = (x₁, x₂ e^(s x₁) + a x₁²) with a = {self.bend:.3g}, "
            f"s = {self.scale_rate:.3g}"
        )


def _check_flow(flow: Any) -> FlowMap:
    if not isinstance(flow, FlowMap):
        raise TypeError(
            f"`flow` must be a FlowMap (AffineFlow, PlanarFlow, CouplingFlow); got "
            f"{_describe(flow)}"
        )
    return flow


# --------------------------------------------------------------------------------------------
# Densities and probabilities of T(X), X ~ N(0, I_2)
# --------------------------------------------------------------------------------------------


def sample_flow(
    flow: FlowMap, n: int, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Draws of :math:`X \\sim \\mathcal{N}(0, I_2)` and their images :math:`T(X)`.

    Parameters
    ----------
    flow : FlowMap
    n : int
        Number of draws (>= 1).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    x, y : ndarray, shape (n, 2)

    Raises
    ------
    TypeError
        If `flow` is not a FlowMap, `n` is not an integer or `rng` is invalid.
    ValueError
        If `n` < 1 or an image overflows (see :func:`pgmlib.sample_pushforward`).

    Examples
    --------
    >>> x, y = sample_flow(AffineFlow(shift=(1.0, -1.0)), 50_000, rng=0)
    >>> bool(np.allclose(y - x, [1.0, -1.0])), bool(np.all(np.abs(y.mean(0) - [1, -1]) < 0.03))
    (True, True)
    """
    flow = _check_flow(flow)
    return sample_pushforward(
        lambda size, generator: generator.standard_normal((size, 2)),
        flow.forward,
        n,
        rng,
        return_source=True,
    )


def flow_density_grid(flow: FlowMap, y1: Any, y2: Any) -> np.ndarray:
    """The density of :math:`T(X)`, :math:`X \\sim \\mathcal{N}(0, I_2)`, on a grid (eq. (1.5)).

    Parameters
    ----------
    flow : FlowMap
    y1, y2 : array_like, shape (m,) and (k,)
        Coordinates of the grid's columns and rows.

    Returns
    -------
    ndarray, shape (k, m)
        ``density[i, j]`` = :math:`p_Y(y1[j], y2[i])` (rows follow :math:`y_2`, as an image),
        from :meth:`FlowMap.pushforward_pdf`.

    Raises
    ------
    TypeError
        If `flow` is not a FlowMap or a coordinate array is not numeric.
    ValueError
        If a coordinate array is empty, not 1-D or not finite.

    Examples
    --------
    >>> from scipy import stats
    >>> T = AffineFlow(shear=1.0, shift=(0.5, 0.0))
    >>> y1, y2 = np.linspace(-3, 3, 4), np.linspace(-2, 2, 3)
    >>> grid = np.stack(np.meshgrid(y1, y2), axis=-1)
    >>> exact = stats.multivariate_normal([0.5, 0.0], T.matrix @ T.matrix.T).pdf(grid)
    >>> bool(np.allclose(flow_density_grid(T, y1, y2), exact, rtol=1e-12))
    True
    """
    flow = _check_flow(flow)
    y1 = as_float_array(y1, "y1", ndim=1)
    y2 = as_float_array(y2, "y2", ndim=1)
    mesh1, mesh2 = np.meshgrid(y1, y2)
    points = np.column_stack((mesh1.ravel(), mesh2.ravel()))
    return flow.pushforward_pdf()(points).reshape(y2.size, y1.size)


#: Panels of the outer integral of flow_box_probability on [-_LINE_REACH, _LINE_REACH] (the
#: source mass beyond, 2 Phi(-9) ~ 2e-19, is left out), split further where the source line
#: meets a corner of the box; each gets a Gauss-Legendre rule of _LINE_NODES nodes.
_LINE_REACH = 9.0
_LINE_PANELS = 600
_LINE_NODES = 8
_PANEL_EDGES = np.linspace(-_LINE_REACH, _LINE_REACH, _LINE_PANELS + 1)
_GAUSS_NODES, _GAUSS_WEIGHTS = np.polynomial.legendre.leggauss(_LINE_NODES)


def _check_box(lower: Any, upper: Any) -> tuple[np.ndarray, np.ndarray]:
    low = np.array(_pair(lower, "lower"))
    high = np.array(_pair(upper, "upper"))
    if np.any(high <= low):
        raise ValueError(
            f"`lower` must be < `upper` in each coordinate; got lower = {low.tolist()}, "
            f"upper = {high.tolist()}"
        )
    return low, high


def _line_interval(
    start: np.ndarray, direction: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For lines ``start + beta * direction`` (rows), the beta interval inside the box."""
    beta_low = np.full(start.shape[0], -np.inf)
    beta_high = np.full(start.shape[0], np.inf)
    for j in range(2):
        p, q = start[:, j], direction[:, j]
        flat = q == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            a, b = (low[j] - p) / q, (high[j] - p) / q
        enter, leave = np.minimum(a, b), np.maximum(a, b)
        missed = flat & ((p < low[j]) | (p > high[j]))
        beta_low = np.where(flat, np.where(missed, np.inf, beta_low), np.maximum(beta_low, enter))
        beta_high = np.where(flat, beta_high, np.minimum(beta_high, leave))
    return beta_low, beta_high


def flow_box_probability(flow: FlowMap, lower: Any, upper: Any) -> float:
    """:math:`P(T(X) \\in [l_1, u_1] \\times [l_2, u_2])` for :math:`X \\sim \\mathcal{N}(0, I_2)`,
    by eq. (1.6), without any Jacobian.

    Parameters
    ----------
    flow : FlowMap
    lower, upper : pair of float
        Corners of the box, ``lower < upper`` in each coordinate.

    Returns
    -------
    float
        The probability (to about 1e-12: checked against scipy.stats and adaptive quadrature
        in the tests).

    Raises
    ------
    TypeError
        If `flow` is not a FlowMap or a corner is not numeric.
    ValueError
        If a corner is not a finite pair or ``lower >= upper`` in a coordinate.

    Notes
    -----
    Eq. (1.6) says :math:`P(T(X) \\in B) = P_X(T^{-1}(B))`. Write the source as
    :math:`X = \\alpha e + \\beta d` with :math:`d` = :attr:`FlowMap.affine_direction` and
    :math:`e \\perp d`, so :math:`\\alpha, \\beta` are independent standard Gaussians. Each map
    here is affine along :math:`d`: :math:`T(\\alpha e + \\beta d) = p(\\alpha) + \\beta
    q(\\alpha)`, so for fixed :math:`\\alpha` the image is a line, which crosses the box for
    :math:`\\beta` in an interval :math:`[\\beta_-(\\alpha), \\beta_+(\\alpha)]`, and

    .. math:: P(T(X) \\in B) = \\int \\varphi(\\alpha)\\,
              \\bigl[\\Phi(\\beta_+(\\alpha)) - \\Phi(\\beta_-(\\alpha))\\bigr]^+ \\, d\\alpha,

    computed by Gauss-Legendre rules (8 nodes) on 600 panels of :math:`[-9, 9]`, split where
    the line passes through a corner of the box (where the integrand has a kink or a jump). Only
    :math:`T` itself is used, so this checks eq. (1.5) from outside: the density integrated
    over the box must agree.

    Examples
    --------
    >>> from scipy import stats
    >>> T = AffineFlow(angle=0.4, shear=0.7, log_scales=(0.3, -0.2), shift=(0.5, 0.0))
    >>> exact = stats.multivariate_normal([0.5, 0.0], T.matrix @ T.matrix.T).cdf([1.0, 0.5])
    >>> bool(np.isclose(flow_box_probability(T, (-40, -40), (1.0, 0.5)), exact, atol=1e-6))
    True
    >>> round(flow_box_probability(CouplingFlow(bend=2.0), (-50, -50), (50, 5000)), 12)
    1.0
    """
    flow = _check_flow(flow)
    low, high = _check_box(lower, upper)
    corners = np.array([[low[0], low[1]], [high[0], low[1]], [high[0], high[1]], [low[0], high[1]]])
    edges = np.union1d(_PANEL_EDGES, _corner_crossings(flow, corners))
    half = 0.5 * np.diff(edges)[:, None]
    alpha = (0.5 * (edges[:-1] + edges[1:])[:, None] + half * _GAUSS_NODES).ravel()
    weights = (half * _GAUSS_WEIGHTS).ravel() * np.exp(-0.5 * alpha**2) / math.sqrt(2 * math.pi)
    p, q = _source_lines(flow, alpha)
    beta_low, beta_high = _line_interval(p, q, low, high)
    inside = np.clip(special.ndtr(beta_high) - special.ndtr(beta_low), 0.0, None)
    return float(np.clip(weights @ inside, 0.0, 1.0))


def _source_lines(flow: FlowMap, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each alpha, the image of the source line {alpha e + beta d}: p + beta q (rows)."""
    d = flow.affine_direction
    starts = np.reshape(alpha, (-1, 1)) * -_unit_perpendicular(d)
    p = flow._forward(starts)
    return p, flow._forward(starts + d) - p


def _corner_offsets(flow: FlowMap, alpha: Any, corner_x: Any, corner_y: Any) -> np.ndarray:
    """cross(q, corner - p): zero where the image line of alpha passes through the corner."""
    alpha = np.asarray(alpha, dtype=float)
    shape = np.broadcast_shapes(alpha.shape, np.shape(corner_x))
    p, q = _source_lines(flow, np.broadcast_to(alpha, shape).ravel())
    cx, cy = (np.broadcast_to(c, shape).ravel() for c in (corner_x, corner_y))
    return (q[:, 0] * (cy - p[:, 1]) - q[:, 1] * (cx - p[:, 0])).reshape(shape)


def _corner_crossings(flow: FlowMap, corners: np.ndarray) -> np.ndarray:
    """The alphas (to machine precision) where the image line passes through a corner of the
    box: there the integrand of flow_box_probability has a kink or a jump."""
    offsets = _corner_offsets(flow, _PANEL_EDGES[:, None], corners[:, 0], corners[:, 1])
    panel, corner = np.nonzero(np.sign(offsets[:-1]) * np.sign(offsets[1:]) < 0)
    if panel.size == 0:
        return panel.astype(float)
    result = elementwise.find_root(
        lambda a, cx, cy: _corner_offsets(flow, a, cx, cy),
        (_PANEL_EDGES[panel], _PANEL_EDGES[panel + 1]),
        args=(corners[corner, 0], corners[corner, 1]),
    )
    return np.asarray(result.x, dtype=float)


def expected_sampling_total_variation(probabilities: Any, n: int) -> float:
    """Expected total variation between a histogram of ``n`` exact draws and the exact masses.

    Parameters
    ----------
    probabilities : array_like
        Masses of disjoint cells covering the whole space (any shape), nonnegative, summing to
        1 (within 1e-6).
    n : int
        Number of draws (>= 1).

    Returns
    -------
    float
        :math:`\\mathbb{E}\\,\\tfrac12 \\sum_k |N_k / n - p_k|` for counts
        :math:`(N_k) \\sim \\mathrm{Multinomial}(n, p)`: what sampling noise alone gives.

    Raises
    ------
    TypeError
        If `n` is not an integer or `probabilities` is not numeric.
    ValueError
        If `n` < 1, or `probabilities` is empty, not finite, negative or does not sum to 1.

    Notes
    -----
    By linearity the expectation is the sum over cells of :math:`\\mathbb{E}|N_k - n p_k| / n`,
    and each :math:`N_k \\sim \\mathrm{Binomial}(n, p_k)` has mean absolute deviation (de Moivre)

    .. math:: \\mathbb{E}|N - np| = 2 (m + 1)(1 - p)\\, P(N = m + 1),
              \\qquad m = \\lfloor np \\rfloor.

    The binomial probability is computed from log-gamma functions (scipy's ``binom.pmf`` fails
    for probabilities near 1e-307).

    It shrinks like :math:`n^{-1/2}` times roughly :math:`\\sum_k \\sqrt{p_k}`.

    Examples
    --------
    One fair coin, two draws: the histogram is (1, 0), (1/2, 1/2) or (0, 1), with total
    variation 1/2, 0, 1/2 and probabilities 1/4, 1/2, 1/4:

    >>> expected_sampling_total_variation([0.5, 0.5], 2)
    0.25
    """
    n = check_count(n, "n", minimum=1)
    p = as_float_array(probabilities, "probabilities").ravel()
    if np.min(p) < 0:
        raise ValueError(f"`probabilities` must be nonnegative; got min = {np.min(p):g}")
    if abs(float(np.sum(p)) - 1.0) > 1e-6:
        raise ValueError(
            f"`probabilities` must sum to 1 (cells covering the whole space, the outside "
            f"included); got sum = {float(np.sum(p)):.10g}"
        )
    p = np.clip(p, 0.0, 1.0)
    k = np.minimum(np.floor(n * p) + 1, n)  # m + 1; where m = n (p = 1), (1 - p) = 0 below
    log_pmf = (
        special.gammaln(n + 1)
        - special.gammaln(k + 1)
        - special.gammaln(n - k + 1)
        + special.xlogy(k, p)
        + special.xlog1py(n - k, -p)
    )
    deviation = 2 * k * (1 - p) * np.exp(log_pmf)
    return float(0.5 * np.sum(deviation) / n)


@dataclass(frozen=True)
class FlowHistogramComparison:
    """The density of :math:`T(X)` (eq. (1.5)) beside a 2-D histogram of draws of :math:`T(X)`.

    Attributes
    ----------
    flow : FlowMap
    y : ndarray, shape (n, 2)
        The draws :math:`T(x)`.
    y1_edges, y2_edges : ndarray, shape (K1 + 1,) and (K2 + 1,)
        The bins (the plotted window is ``[y1_edges[0], y1_edges[-1]] x [y2_edges[0],
        y2_edges[-1]]``).
    frequencies : ndarray, shape (K1, K2)
        Fraction of the draws in each bin, as :func:`numpy.histogram2d` counts them
        (``[i, j]``: bin ``i`` along :math:`y_1`, bin ``j`` along :math:`y_2`).
    probabilities : ndarray, shape (K1, K2)
        The density integrated over each bin (midpoint rule on ``n_sub x n_sub`` cells).
    density_y1, density_y2 : ndarray, shape (K1 * n_sub,) and (K2 * n_sub,)
        The midpoints where the density was evaluated.
    density : ndarray, shape (K2 * n_sub, K1 * n_sub)
        The density there (rows follow :math:`y_2`, as an image).
    window_integral : float
        The sum of `probabilities`: the density integrated over the window.
    mass_outside : float
        :math:`1 - P(T(X) \\in \\text{window})` from :func:`flow_box_probability` (no Jacobian).
    total_mass : float
        ``window_integral + mass_outside``: 1 up to the midpoint rule's error.
    draws_outside : float
        Fraction of the draws outside the window.
    total_variation : float
        :math:`\\tfrac12 \\sum |\\text{frequency} - \\text{probability}|` over the bins and the
        outside of the window.
    noise_total_variation : float
        Its expected value if the draws followed the density exactly
        (:func:`expected_sampling_total_variation`): the histogram agrees with eq. (1.5) when
        `total_variation` is about this size.
    """

    flow: FlowMap
    y: np.ndarray
    y1_edges: np.ndarray
    y2_edges: np.ndarray
    frequencies: np.ndarray
    probabilities: np.ndarray
    density_y1: np.ndarray
    density_y2: np.ndarray
    density: np.ndarray
    window_integral: float
    mass_outside: float
    total_mass: float
    draws_outside: float
    total_variation: float
    noise_total_variation: float


def _check_edges(edges: Any, name: str) -> np.ndarray:
    edges = as_float_array(edges, name, ndim=1)
    if edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(
            f"`{name}` must hold at least 2 strictly increasing edges; got {_describe(edges)}"
        )
    return edges


def _midpoints(edges: np.ndarray, n_sub: int) -> np.ndarray:
    fractions = (np.arange(n_sub) + 0.5) / n_sub
    return (edges[:-1, None] + np.diff(edges)[:, None] * fractions).ravel()


def _bin_integrals(
    density: np.ndarray, edges1: np.ndarray, edges2: np.ndarray, n_sub: int
) -> np.ndarray:
    """Midpoint rule per bin: (K1, K2) integrals from the density at n_sub x n_sub midpoints
    of each bin (``density`` of shape (K2 * n_sub, K1 * n_sub), rows along y2)."""
    cells = np.outer(np.diff(edges2), np.diff(edges1)) / n_sub**2
    blocks = density.reshape(edges2.size - 1, n_sub, edges1.size - 1, n_sub).sum(axis=(1, 3))
    return (blocks * cells).T


def flow_histogram_comparison(
    flow: FlowMap, x: Any, y1_edges: Any, y2_edges: Any, *, n_sub: int = 3
) -> FlowHistogramComparison:
    """Set the density of :math:`T(X)` from eq. (1.5) beside a histogram of draws of :math:`T(X)`.

    Parameters
    ----------
    flow : FlowMap
    x : array_like, shape (n, 2)
        Draws of the source :math:`\\mathcal{N}(0, I_2)` (e.g. from :func:`sample_flow`; pass
        the same draws to compare maps on equal terms).
    y1_edges, y2_edges : array_like
        Increasing bin edges along :math:`y_1` and :math:`y_2`.
    n_sub : int, default 3
        Each bin is split into ``n_sub x n_sub`` cells whose midpoints carry the density.

    Returns
    -------
    FlowHistogramComparison

    Raises
    ------
    TypeError
        If `flow` is not a FlowMap, an array is not numeric or `n_sub` is not an integer.
    ValueError
        If `x` is not a finite (n, 2) array, edges are not strictly increasing, `n_sub` < 1 or
        the images of `x` overflow.

    Examples
    --------
    >>> x, _ = sample_flow(CouplingFlow(), 20_000, rng=1)
    >>> edges = np.linspace(-4, 4, 33), np.linspace(-3, 9, 33)
    >>> check = flow_histogram_comparison(CouplingFlow(bend=0.5), x, *edges)
    >>> bool(abs(check.total_mass - 1) < 1e-3)
    True
    >>> bool(check.total_variation < 1.2 * check.noise_total_variation)
    True
    """
    flow = _check_flow(flow)
    x = as_float_array(x, "x", ndim=2)
    if x.shape[1] != 2:
        raise ValueError(f"`x` must hold points of the plane, shape (n, 2); got {x.shape}")
    edges1, edges2 = _check_edges(y1_edges, "y1_edges"), _check_edges(y2_edges, "y2_edges")
    n_sub = check_count(n_sub, "n_sub", minimum=1)
    y = flow.forward(x)
    if not np.all(np.isfinite(y)):
        raise ValueError("the images T(x) of some draws overflow; use milder map parameters")
    counts, _, _ = np.histogram2d(y[:, 0], y[:, 1], bins=(edges1, edges2))
    frequencies = counts / x.shape[0]
    mid1, mid2 = _midpoints(edges1, n_sub), _midpoints(edges2, n_sub)
    density = flow_density_grid(flow, mid1, mid2)
    probabilities = _bin_integrals(density, edges1, edges2, n_sub)
    window = float(probabilities.sum())
    outside = 1.0 - flow_box_probability(flow, (edges1[0], edges2[0]), (edges1[-1], edges2[-1]))
    draws_outside = 1.0 - float(frequencies.sum())
    deviation = np.abs(frequencies - probabilities).sum() + abs(draws_outside - outside)
    cell_masses = np.append(probabilities.ravel() / max(window + outside, 1e-300), outside)
    return FlowHistogramComparison(
        flow=flow,
        y=y,
        y1_edges=edges1,
        y2_edges=edges2,
        frequencies=frequencies,
        probabilities=probabilities,
        density_y1=mid1,
        density_y2=mid2,
        density=density,
        window_integral=window,
        mass_outside=outside,
        total_mass=window + outside,
        draws_outside=draws_outside,
        total_variation=0.5 * float(deviation),
        noise_total_variation=expected_sampling_total_variation(
            cell_masses / cell_masses.sum(), x.shape[0]
        ),
    )


# --------------------------------------------------------------------------------------------
# Pictures of the map: warped grid lines and the local area element
# --------------------------------------------------------------------------------------------


def flow_grid_lines(
    flow: FlowMap,
    low: float = -3.0,
    high: float = 3.0,
    *,
    n_lines: int = 7,
    n_points: int = 60,
) -> tuple[np.ndarray, np.ndarray]:
    """The lines of a square grid of the source plane and their images under :math:`T`.

    Parameters
    ----------
    flow : FlowMap
    low, high : float
        The grid covers :math:`[\\text{low}, \\text{high}]^2`.
    n_lines : int, default 7
        Lines in each direction (>= 2).
    n_points : int, default 60
        Points along each line (>= 2).

    Returns
    -------
    source, image : ndarray, shape (2 * n_lines, n_points, 2)
        The vertical lines :math:`x_1 = c` first, then the horizontal ones, and their images.

    Raises
    ------
    TypeError, ValueError
        If `flow` is not a FlowMap, ``low >= high``, or a count is too small.

    Examples
    --------
    >>> source, image = flow_grid_lines(AffineFlow(shift=(1.0, 2.0)), n_lines=3, n_points=5)
    >>> source.shape, bool(np.allclose(image - source, [1.0, 2.0]))
    ((6, 5, 2), True)
    """
    flow = _check_flow(flow)
    low, high = as_scalar(low, "low"), as_scalar(high, "high")
    if not low < high:
        raise ValueError(f"`low` must be < `high`; got low = {low:g}, high = {high:g}")
    levels = np.linspace(low, high, check_count(n_lines, "n_lines", minimum=2))
    along = np.linspace(low, high, check_count(n_points, "n_points", minimum=2))
    fixed, moving = np.meshgrid(levels, along, indexing="ij")
    vertical = np.stack((fixed, moving), axis=-1)
    source = np.concatenate((vertical, vertical[..., ::-1]))
    image = flow.forward(source.reshape(-1, 2)).reshape(source.shape)
    return source, image


@dataclass(frozen=True)
class LocalAreaElement:
    """How :math:`T` stretches area near one point, and eq. (1.5) there.

    Attributes
    ----------
    y : ndarray, shape (2,)
        The point of the target plane.
    x : ndarray, shape (2,)
        :math:`T^{-1}(y)`.
    inverse_abs_det : float
        :math:`|\\det \\nabla_y T^{-1}(y)|`.
    density_x : float
        :math:`p_X(x)`.
    density_y : float
        :math:`p_Y(y) = p_X(x)\\,|\\det \\nabla_y T^{-1}(y)|` (eq. (1.5)).
    square : ndarray, shape (4 * n_per_side, 2)
        The boundary of the square of side `side` centred at :math:`x`, counter-clockwise.
    image : ndarray, shape (4 * n_per_side, 2)
        Its image under :math:`T`: a curved quadrilateral around :math:`y` (a parallelogram
        for an affine map).
    square_area, image_area : float
        Their areas (shoelace formula on the polygons).
    area_ratio : float
        ``square_area / image_area``: tends to `inverse_abs_det` as the square shrinks.
    """

    y: np.ndarray
    x: np.ndarray
    inverse_abs_det: float
    density_x: float
    density_y: float
    square: np.ndarray
    image: np.ndarray
    square_area: float
    image_area: float
    area_ratio: float


def _polygon_area(vertices: np.ndarray) -> float:
    """Signed area of a closed polygon (shoelace); positive when counter-clockwise."""
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _square_boundary(centre: np.ndarray, side: float, n_per_side: int) -> np.ndarray:
    t = np.arange(n_per_side) / n_per_side - 0.5
    half = np.full(n_per_side, 0.5)
    edges = [(t, -half), (half, t), (-t, half), (-half, -t)]  # counter-clockwise
    return centre + side * np.concatenate([np.column_stack(e) for e in edges])


def local_area_element(
    flow: FlowMap, y: Any, *, side: float = 0.3, n_per_side: int = 16
) -> LocalAreaElement:
    """The square around :math:`x = T^{-1}(y)`, its image around :math:`y`, and eq. (1.5) at y.

    Parameters
    ----------
    flow : FlowMap
    y : array_like, shape (2,)
    side : float, default 0.3
        Side of the source square (> 0).
    n_per_side : int, default 16
        Boundary points per side of the square (>= 1; more follow the curved image better).

    Returns
    -------
    LocalAreaElement

    Raises
    ------
    TypeError, ValueError
        If `flow` is not a FlowMap, `y` is not a finite pair, ``side <= 0`` or
        ``n_per_side < 1``.

    Notes
    -----
    The mass of the square is kept by the map, :math:`p_X(x)\\,|\\square| \\approx
    p_Y(y)\\,|T(\\square)|`, so :math:`p_Y(y) \\approx p_X(x)\\, |\\square| / |T(\\square)|`:
    eq. (1.5) is the limit of this area ratio as the square shrinks.

    Examples
    --------
    >>> element = local_area_element(AffineFlow(log_scales=(np.log(2.0), 0.0)), [1.0, 0.0])
    >>> element.x.tolist(), round(element.area_ratio, 12), round(element.inverse_abs_det, 12)
    ([0.5, 0.0], 0.5, 0.5)
    """
    flow = _check_flow(flow)
    point = np.array(_pair(y, "y"))
    side = float(check_positive(as_scalar(side, "side"), "side"))
    n_per_side = check_count(n_per_side, "n_per_side", minimum=1)
    x = flow.inverse(point)
    square = _square_boundary(x, side, n_per_side)
    image = flow.forward(square)
    image_area = abs(_polygon_area(image))
    factor = float(flow.inverse_abs_det_jacobian(point))
    density_x = float(standard_gaussian_pdf_2d(x))
    return LocalAreaElement(
        y=point,
        x=x,
        inverse_abs_det=factor,
        density_x=density_x,
        density_y=float(flow.pushforward_pdf()(point)),
        square=square,
        image=image,
        square_area=side**2,
        image_area=image_area,
        area_ratio=side**2 / image_area,
    )
