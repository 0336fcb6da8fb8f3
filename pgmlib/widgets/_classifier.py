"""Explorer for section 1.2: the generative classifier with Gaussian classes (Exercise 1.1)."""

from __future__ import annotations

from typing import Any

import contourpy
import numpy as np
from matplotlib import patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgb

from .. import classification
from ..plotting._style import OKABE_ITO
from ._core import LEGEND, Explorer, FigureView, choice, format_number, format_vector, slider

__all__ = ["generative_classifier_explorer"]

_BLUE, _RED, _GREY = OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["grey"]
#: Covariance of class 0 (the one of the section's numerical checks).
_COV0 = np.array([[1.0, 0.3], [0.3, 0.5]])
_ROTATE = np.array([[0.0, -1.0], [1.0, 0.0]])
#: The covariance of class 1, relative to class 0. "same" passes the very same matrix, so that
#: pgmlib's coefficients give A = 0 exactly (a straight boundary).
_COVARIANCES = {"same": "same", "wider": "wider", "narrower": "narrower", "rotated 90°": "rotated"}
#: What each choice is, for the readout and the text alternative.
_COVARIANCE_TEXTS = {
    "same": "Σ₁ = Σ₀ (the same as class 0)",
    "wider": "Σ₁ = 2.25 Σ₀ (wider)",
    "narrower": "Σ₁ = 0.4 Σ₀ (narrower)",
    "rotated": "Σ₁ = R Σ₀ Rᵀ (rotated by 90°)",
}
_COV1 = {
    "same": _COV0,
    "wider": 2.25 * _COV0,
    "narrower": 0.4 * _COV0,
    "rotated": _ROTATE @ _COV0 @ _ROTATE.T,
}
_X_RANGE, _Y_RANGE = (-5.0, 5.0), (-3.5, 3.5)
_X_GRID = np.linspace(*_X_RANGE, 201)
_Y_GRID = np.linspace(*_Y_RANGE, 141)
_POINTS = np.column_stack([g.ravel() for g in np.meshgrid(_X_GRID, _Y_GRID)])
_LEVELS = np.linspace(0.0, 1.0, 11)  # the posterior image is banded in steps of 0.1
_CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 73)), np.sin(np.linspace(0, 2 * np.pi, 73))])
_TOL = 1e-12


#: ColorBrewer RdBu in 10 classes (colour-blind safe): blue for class 0, red for class 1.
_POSTERIOR_COLOURS = [
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#c6dbef",
    "#e8eef4",
    "#f7e8e0",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
]
_CMAP = ListedColormap(_POSTERIOR_COLOURS)
_NORM = BoundaryNorm(_LEVELS, len(_POSTERIOR_COLOURS))
#: The bands' colours as RGB rows (the image is coloured once per move, in its bands of 0.1,
#: the last closed, as BoundaryNorm and the listed colour map colour them).
_BAND_RGB = np.array([to_rgb(colour) for colour in _POSTERIOR_COLOURS])
#: Legends above their panel, in the free margin (never over the data).
_OUTSIDE_LEGEND: dict[str, Any] = {
    **LEGEND,
    "loc": "lower left",
    "bbox_to_anchor": (0.0, 1.01),
    "borderaxespad": 0.0,
    "fontsize": 9,
    "handlelength": 1.8,
}


def posterior_colours(posterior: np.ndarray) -> np.ndarray:
    """RGB image, shape (..., 3), of posterior probabilities in the ten bands of the colour key.

    What ``_CMAP(_NORM(posterior))`` gives, by a lookup: the image is coloured once per move
    rather than normalised again at each draw.
    """
    band = np.searchsorted(_LEVELS, posterior, side="right") - 1
    np.clip(band, 0, _BAND_RGB.shape[0] - 1, out=band)
    return _BAND_RGB[band]


#: Dark blue and dark red for class 0 and class 1 (ellipses, means), markers circle and square.
_CLASS_COLOURS = ("#08306b", "#67000d")
_CLASS_MARKERS = ("o", "s")


def _mean_markers(ax: Any) -> list:
    """One marker per class mean (placed on each move)."""
    return [
        ax.plot([], [], marker, color=colour, markersize=9, markeredgecolor="white")[0]
        for marker, colour in zip(_CLASS_MARKERS, _CLASS_COLOURS, strict=True)
    ]


def _model(params: dict[str, Any]) -> tuple:
    half = 0.5 * float(params["separation"])
    mean0, mean1 = np.array([-half, 0.0]), np.array([half, 0.0])
    return float(params["prior"]), mean0, _COV0, mean1, _COV1[params["covariance"]]


def _boundary_kind(A: np.ndarray, b: np.ndarray, c: float) -> str:
    """What the set x'Ax + b'x + c = 0 is (for the readout): from the eigenvalues of A."""
    if not np.any(A):
        if not np.any(b):
            return "everywhere" if c == 0 else "none"
        return "line"
    eig = np.linalg.eigvalsh(A)
    if abs(eig[0]) < _TOL * abs(eig[1]) or abs(eig[1]) < _TOL * abs(eig[0]):
        return "parabola"
    if eig[0] * eig[1] < 0:
        return "hyperbola"
    # A definite: the log-odds has one extremum, at x* = -A^-1 b / 2, of value c - b'A^-1 b / 4
    extremum = c - 0.25 * b @ np.linalg.solve(A, b)
    if eig[0] > 0:  # the log-odds grows away from x*: class 1 wins far from the means
        return "ellipse, class 0 inside" if extremum < 0 else "empty, class 1 everywhere"
    return "ellipse, class 1 inside" if extremum > 0 else "empty, class 0 everywhere"


def _classifier_state(params: dict[str, Any]) -> dict[str, Any]:
    prior, mean0, cov0, mean1, cov1 = _model(params)
    posterior = classification.gaussian_class_posterior(_POINTS, prior, mean0, cov0, mean1, cov1)
    slice_points = np.column_stack((_X_GRID, np.zeros_like(_X_GRID)))
    A, b, c = classification.gaussian_log_odds_coefficients(prior, mean0, cov0, mean1, cov1)
    return {
        "posterior": posterior.reshape(_Y_GRID.size, _X_GRID.size),
        "posterior_slice": classification.gaussian_class_posterior(
            slice_points, prior, mean0, cov0, mean1, cov1
        ),
        "A": A,
        "b": b,
        "c": c,
        "kind": _boundary_kind(A, b, c),
        "mean0": mean0,
        "mean1": mean1,
        "cov1": cov1,
    }


def _ellipse(mean: np.ndarray, cov: np.ndarray, radius: float) -> np.ndarray:
    """Points of {x : (x - mean)' cov^-1 (x - mean) = radius^2}, shape (2, 73)."""
    return mean[:, None] + radius * np.linalg.cholesky(cov) @ _CIRCLE


class _ClassifierView(FigureView):
    """The posterior over the plane (with its colour key) beside its cut along x2 = 0, 6.5 in
    (585 px) wide at 90 dpi. Each panel's legend sits above it, outside the data; the limits
    never change, so every move blits and the layout of the first draw is kept."""

    width, height, ncols = 6.5, 3.6, 2
    width_ratios = (1.5, 1.0)
    freeze_layout = True

    def setup(self) -> None:
        plane, cut = self.axes
        self._setup_plane(plane)
        self._setup_cut(cut)
        self.animate(
            self.image,
            self.axis_line,
            self.boundary,
            *self.ellipses,
            *self.means,
            self.prior_line,
            self.cut_line,
            *self.cut_means,
        )
        self._contours = contourpy.contour_generator

    def _setup_plane(self, plane: Any) -> None:
        """The posterior image, the boundary, each class's ellipses and mean; the legend."""
        self.image = plane.imshow(
            np.zeros((_Y_GRID.size, _X_GRID.size, 3)),
            extent=(*_X_RANGE, *_Y_RANGE),
            origin="lower",
            interpolation="nearest",
            aspect="auto",
        )
        self.boundary = plane.add_collection(
            LineCollection([], colors="black", linewidths=2.6, label="boundary P = 1/2")
        )
        halo = [patheffects.withStroke(linewidth=4.4, foreground="white")]
        self.ellipses = [
            plane.plot([], [], color=colour, linewidth=lw, linestyle=style, path_effects=halo)[0]
            for colour in _CLASS_COLOURS
            for lw, style in ((2.4, "-"), (1.8, (0, (4, 2))))
        ]
        self.means = _mean_markers(plane)
        # the line x2 = 0 of the right panel, drawn over the image
        self.axis_line = plane.axhline(0.0, color="white", linewidth=1.2, linestyle=":")
        plane.set_xlim(*_X_RANGE)
        plane.set_ylim(*_Y_RANGE)
        plane.set_xlabel("$x_1$")
        plane.set_ylabel("$x_2$")
        plane.grid(False)
        key = ScalarMappable(norm=_NORM, cmap=_CMAP)
        bar = self.figure.colorbar(key, ax=plane, ticks=[0, 0.5, 1], fraction=0.06, pad=0.03)
        bar.set_label(r"$P(Y = 1 \mid x)$")
        plane.legend(
            handles=[self.boundary, self.ellipses[0], self.ellipses[2]],
            labels=["boundary P = 1/2", "class 0 (●): 1 and 2 sd", "class 1 (■): 1 and 2 sd"],
            **_OUTSIDE_LEGEND,
        )

    def _setup_cut(self, cut: Any) -> None:
        """The posterior along the line x2 = 0 through both means, and the prior; the legend."""
        cut.axhline(0.5, color=_GREY, linestyle="--", linewidth=1.3)
        (self.prior_line,) = cut.plot(
            _X_RANGE, [0.5, 0.5], color=_GREY, linestyle=":", linewidth=1.3, label="prior π"
        )
        (self.cut_line,) = cut.plot(
            _X_GRID, 0 * _X_GRID, color="black", label=r"$P(Y = 1 \mid x_1, x_2 = 0)$"
        )
        self.cut_means = _mean_markers(cut)
        cut.set_xlim(*_X_RANGE)
        cut.set_xticks(np.arange(-4, 5, 2))
        cut.set_ylim(-0.03, 1.03)
        cut.set_xlabel("$x_1$ along $x_2 = 0$")
        cut.set_ylabel("posterior probability")
        cut.legend(**_OUTSIDE_LEGEND)

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        posterior = state["posterior"]
        self.image.set_data(posterior_colours(posterior))
        lines = self._contours(_X_GRID, _Y_GRID, posterior).lines(0.5)
        self.boundary.set_segments([line for line in lines if len(line) > 1])
        cov0, cov1 = _COV0, state["cov1"]
        for i, (mean, cov) in enumerate(((state["mean0"], cov0), (state["mean1"], cov1))):
            for j, radius in enumerate((1.0, 2.0)):
                self.ellipses[2 * i + j].set_data(*_ellipse(mean, cov, radius))
            self.means[i].set_data([mean[0]], [mean[1]])
            height = float(np.interp(mean[0], _X_GRID, state["posterior_slice"]))
            self.cut_means[i].set_data([mean[0]], [height])
        prior = float(params["prior"])
        self.prior_line.set_ydata([prior, prior])
        self.cut_line.set_ydata(state["posterior_slice"])


_KINDS = {
    "line": "a straight line: Σ₀ = Σ₁ makes A = 0, and the posterior is the logistic model "
    "of eq. (1.2) with an intercept, σ(bᵀx + c)",
    "ellipse, class 0 inside": "an ellipse (A is positive definite: the wider class 1 wins "
    "everywhere far from the means, class 0 only inside)",
    "ellipse, class 1 inside": "an ellipse (A is negative definite: the narrower class 1 wins "
    "only inside, class 0 everywhere else)",
    "hyperbola": "a hyperbola (A has eigenvalues of both signs)",
    "parabola": "a parabola (A is singular but not zero)",
    "none": "absent: with equal means and covariances the posterior is the prior π everywhere",
    "empty, class 1 everywhere": "absent: the log-odds is a quadratic whose minimum is above 0, "
    "so class 1 is the more probable everywhere (the ellipse would have imaginary radii)",
    "empty, class 0 everywhere": "absent: the log-odds is a quadratic whose maximum is below 0, "
    "so class 0 is the more probable everywhere (the ellipse would have imaginary radii)",
    "everywhere": "everywhere: equal classes and π = 1/2 make every point a tie",
}


def _coefficients_text(A: np.ndarray, b: np.ndarray, c: float) -> str:
    """ "A = [(a11, a12), (a21, a22)], b = (b1, b2), c = c0": each entry to 3 figures, and an
    entry that is zero to rounding error next to the log-odds' scale (the largest coefficient,
    or 1 nat) printed as 0."""
    scale = max(1.0, float(np.abs(A).max()), float(np.abs(b).max()))
    rows = ", ".join(format_vector(row, 3, scale=scale) for row in A)
    return (
        f"A = [{rows}], b = {format_vector(b, 3, scale=scale)}, "
        f"c = {format_number(c, 3, scale=scale)}"
    )


def _classifier_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    shown = bool(len(contourpy.contour_generator(_X_GRID, _Y_GRID, state["posterior"]).lines(0.5)))
    absent = state["kind"].startswith(("none", "everywhere", "empty"))
    where = "" if shown or absent else " (it lies outside the plotted window)"
    return (
        f"Class 1 has covariance {_COVARIANCE_TEXTS[params['covariance']]}. Log-odds of "
        f"eq. (1.4) = xᵀAx + bᵀx + c with {_coefficients_text(state['A'], state['b'], state['c'])}"
        f" (Exercise 1.1). The decision boundary P(Y = 1 | x) = 1/2 is "
        f"{_KINDS[state['kind']]}{where}."
    )


def _classifier_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    return (
        f"Left: the posterior probability of class 1 over the plane, in ten shades from blue (0) "
        f"to red (1), for prior π = {format_number(params['prior'])}, class means "
        f"({format_number(state['mean0'][0])}, 0) and ({format_number(state['mean1'][0])}, 0), "
        f"class-1 covariance {_COVARIANCE_TEXTS[params['covariance']]}; the ellipses of both "
        f"classes and the decision boundary (black): {state['kind']}. Right: the posterior "
        f"along the line x₂ = 0 through both means."
    )


def generative_classifier_explorer(mode: str | None = None) -> Explorer:
    """Explorer of Example 1.1 / Exercise 1.1: a generative classifier with Gaussian classes.

    Class 0 is :math:`\\mathcal{N}((-d/2, 0), \\Sigma_0)`, class 1 is
    :math:`\\mathcal{N}((d/2, 0), \\Sigma_1)` with :math:`\\Sigma_1` the same as
    :math:`\\Sigma_0`, wider, narrower or rotated (toggle buttons; the readout states
    :math:`\\Sigma_1`). Left: the posterior
    :math:`P(Y = 1 \\mid x)` of eq. (1.4) over the plane (:func:`pgmlib.gaussian_class_posterior`)
    in ten bands, both classes' 1- and 2-standard-deviation ellipses and the decision boundary
    :math:`P = 1/2`. Right: the posterior along the line through the means. The readout gives
    the log-odds as :math:`x^\\top A x + b^\\top x + c`
    (:func:`pgmlib.gaussian_log_odds_coefficients`) and names the boundary: a straight line
    exactly when :math:`\\Sigma_0 = \\Sigma_1` (:math:`A = 0`: the logistic model of eq. (1.2)),
    an ellipse or a hyperbola otherwise. Its entries go through :func:`format_vector` with the
    log-odds' scale, so a coefficient that is zero to rounding error reads 0. The figure is
    6.5 in (585 px) wide with each legend above its panel; its limits never change, so every
    move redraws only the moving artists.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``prior`` (:math:`\\pi = P(Y = 1)`, 0.01 to 0.99), ``separation``
        (:math:`d`, 0 to 5) and ``covariance`` ("same", "wider", "narrower", "rotated");
        ``state`` holds the ``posterior`` grid, ``A``, ``b``, ``c`` and the boundary's
        ``kind``. Static: prior (5) x separation (3) x covariance (4) = 60 frames.

    Examples
    --------
    >>> explorer = generative_classifier_explorer(mode="live")
    >>> explorer.set(covariance="same")
    >>> explorer.state["kind"], float(abs(explorer.state["A"]).max())
    ('line', 0.0)
    >>> explorer.set(covariance="wider")
    >>> explorer.state["kind"]
    'ellipse, class 0 inside'
    """
    controls = [
        slider(
            "prior",
            np.round(np.arange(0.01, 0.99001, 0.01), 10),
            value=0.5,
            description="prior π = P(Y = 1)",
            static_grid=[0.1, 0.3, 0.5, 0.7, 0.9],
        ),
        slider(
            "separation",
            np.round(np.arange(0.0, 5.0001, 0.1), 10),
            value=2.0,
            description="distance d of the means",
            fmt="{:.1f}",
            static_grid=[0.0, 2.0, 4.0],
        ),
        choice("covariance", _COVARIANCES, description="covariance Σ₁"),
    ]
    return Explorer(
        controls,
        _classifier_state,
        _ClassifierView(),
        readout=_classifier_readout,
        alt=_classifier_alt,
        mode=mode,
        name="generative_classifier",
    )
