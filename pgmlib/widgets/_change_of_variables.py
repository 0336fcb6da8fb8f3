"""Explorer for section 1.3: the change of variables in the plane (Theorem 1.1, eq. (1.5))."""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator

from .. import flows
from ..plotting._style import OKABE_ITO
from ._core import (
    Explorer,
    FigureView,
    choice,
    format_number,
    format_vector,
    freeze_widest_layout,
    nice_ceil,
    slider,
)

__all__ = ["change_of_variables_explorer"]

N_SAMPLES = 20_000
#: Draws shown as dots (the histogram uses all of them).
N_SHOWN = 1_000
SEED = 2026
N_BINS = 40
N_SUB = 3
SQUARE_SIDE = 0.4
#: The readout calls the agreement "about what sampling noise alone gives" when the total
#: variation is at most this multiple of its expected value under exact sampling.
AGREEMENT_FACTOR = 1.25
#: The point x moves along the horizontal line x2 = POINT_HEIGHT of the source plane; the
#: factor of eq. (1.5) is read at its image y = T(x).
POINT_HEIGHT = 0.5
#: The source panel and its grid.
SOURCE_WINDOW = ((-3.5, 3.5), (-3.5, 3.5))
GRID_LIMIT = 3.0
N_GRID_LINES = 7
_AFFINE_ANGLE = math.radians(30.0)
#: The planar map's w (norm 1.5, at 60 degrees), offset b, and the part of u across w.
_PLANAR_W = 1.5 * np.array([math.cos(math.radians(60.0)), math.sin(math.radians(60.0))])
_PLANAR_B = 0.5
_PLANAR_ACROSS = 0.6

#: The plotted window of the target plane for each map: it holds at least 99% of the mass of
#: T(X) over each slider's range (the readout gives the mass outside).
_WINDOWS = {
    "affine": ((-6.0, 6.0), (-6.0, 6.0)),
    "planar": ((-3.5, 3.5), (-4.0, 4.0)),
    "coupling_up": ((-3.5, 3.5), (-4.0, 12.0)),
    "coupling_down": ((-3.5, 3.5), (-12.0, 4.0)),
}
#: The maps' buttons (their formulas are in the readout: ``text`` of pgmlib's flows).
_MAPS = {"affine": "affine", "planar": "planar", "coupling": "coupling"}
#: What the two parameter sliders mean for each map in a kernel (None: the map ignores it).
#: Short: every description of the explorer shares one label column; the static page keeps the
#: factory's descriptions, which name all three meanings.
_STRENGTH = {"affine": "shear k", "planar": "w·u", "coupling": "bend a"}
_SCALE = {"affine": "log-scale s", "planar": None, "coupling": "scale rate s"}
_SCALE_UNUSED = "s (unused)"


def _planar_u(strength: float) -> np.ndarray:
    direction = _PLANAR_W / np.linalg.norm(_PLANAR_W)
    across = np.array([-direction[1], direction[0]])
    return strength * _PLANAR_W / (_PLANAR_W @ _PLANAR_W) + _PLANAR_ACROSS * across


def flow_for(params: dict[str, Any]) -> flows.FlowMap:
    """The map of the explorer's setting ``params`` (map, strength, scale)."""
    kind, strength, scale = params["map"], float(params["strength"]), float(params["scale"])
    if kind == "affine":
        return flows.AffineFlow(angle=_AFFINE_ANGLE, shear=strength, log_scales=(scale, 0.0))
    if kind == "planar":
        u = _planar_u(strength)
        if strength <= -1.0:
            fixed = flows.PlanarFlow.reparametrised(_PLANAR_W, u, _PLANAR_B).w_dot_u
            raise ValueError(
                f"With w·u = {format_number(strength, 3)} ≤ −1 the planar map is not "
                "invertible (it folds the plane over itself; at −1 its Jacobian vanishes on a "
                "line), so eq. (1.5) does not apply. Choose w·u > −1. The standard "
                "reparametrisation of u (PlanarFlow.reparametrised) would give "
                f"w·û = {format_number(fixed, 3)}."
            )
        return flows.PlanarFlow(w=_PLANAR_W, u=u, b=_PLANAR_B)
    return flows.CouplingFlow(bend=strength, scale_rate=scale)


class _SourceDraws:
    """The source draws, made once (every frame maps the same draws)."""

    def __init__(self) -> None:
        self._x: np.ndarray | None = None

    def __call__(self) -> np.ndarray:
        if self._x is None:
            self._x, _ = flows.sample_flow(flows.AffineFlow(), N_SAMPLES, rng=SEED)
        return self._x


def window_for(params: dict[str, Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The plotted window of the target plane: fixed for each map (the coupling map's follows
    the sign of its bend), so that moving a slider never changes the axes."""
    if params["map"] != "coupling":
        return _WINDOWS[params["map"]]
    return _WINDOWS["coupling_up" if float(params["strength"]) >= 0 else "coupling_down"]


def _comparison_state(comparison: flows.FlowHistogramComparison) -> dict[str, Any]:
    """The density beside the histogram (both as densities, for one colour scale)."""
    bin_areas = np.outer(np.diff(comparison.y2_edges), np.diff(comparison.y1_edges))
    density_max = float(comparison.density.max())
    return {
        "y_shown": comparison.y[:N_SHOWN],
        "density": comparison.density,
        "histogram_density": comparison.frequencies.T / bin_areas,
        "density_max": density_max,
        "colour_top": colour_top(density_max),
        "window_integral": comparison.window_integral,
        "mass_outside": comparison.mass_outside,
        "total_mass": comparison.total_mass,
        "draws_outside": comparison.draws_outside,
        "total_variation": comparison.total_variation,
        "noise_total_variation": comparison.noise_total_variation,
    }


def _element_state(element: flows.LocalAreaElement) -> dict[str, Any]:
    """Eq. (1.5) at the marked point and the square that shows it."""
    return {
        "y": element.y,
        "x": element.x,
        "inverse_abs_det": element.inverse_abs_det,
        "density_x": element.density_x,
        "density_y": element.density_y,
        "square": element.square,
        "square_image": element.image,
        "square_area": element.square_area,
        "image_area": element.image_area,
        "area_ratio": element.area_ratio,
    }


class _MapFields:
    """What a setting of the map shows whatever the point: the density against the histogram
    and the warped grid, computed once per map setting and kept for the last few (a move of
    the point, or of a slider the map ignores, reuses them)."""

    def __init__(self, draws: _SourceDraws, size: int = 8) -> None:
        self._draws, self._size = draws, size
        self._store: OrderedDict[tuple, dict[str, Any]] = OrderedDict()

    def __call__(self, params: dict[str, Any], flow: flows.FlowMap) -> dict[str, Any]:
        key = _map_key(params)
        if key in self._store:
            self._store.move_to_end(key)
            return self._store[key]
        x = self._draws()
        window1, window2 = window_for(params)
        comparison = flows.flow_histogram_comparison(
            flow,
            x,
            np.linspace(*window1, N_BINS + 1),
            np.linspace(*window2, N_BINS + 1),
            n_sub=N_SUB,
        )
        source_lines, image_lines = flows.flow_grid_lines(
            flow, -GRID_LIMIT, GRID_LIMIT, n_lines=N_GRID_LINES
        )
        fields = {
            "flow_text": _minus(flow.text),
            "window": (window1, window2),
            "x_shown": x[:N_SHOWN],
            "source_lines": source_lines,
            "image_lines": image_lines,
            **_comparison_state(comparison),
        }
        self._store[key] = fields
        if len(self._store) > self._size:
            self._store.popitem(last=False)
        return fields


def _map_key(params: dict[str, Any]) -> tuple:
    """The setting of the map alone (the scale left out where the map ignores it)."""
    used = _SCALE[params["map"]] is not None
    return params["map"], float(params["strength"]), float(params["scale"]) if used else None


def _make_compute(fields: _MapFields):
    def compute(params: dict[str, Any]) -> dict[str, Any]:
        flow = flow_for(params)
        source_point = np.array([float(params["point"]), POINT_HEIGHT])
        element = flows.local_area_element(flow, flow.forward(source_point), side=SQUARE_SIDE)
        return {**fields(params, flow), **_element_state(element)}

    return compute


#: The figure's title: eq. (1.5) at the marked point (drawn once: the readout gives the numbers).
HEADLINE = (
    r"eq. (1.5) at the marked point $y = T(x)$: "
    r"$p_Y(y) = p_X(T^{-1}(y))\,|\det \nabla_y T^{-1}(y)|$"
)

_GRID_COLOURS = (OKABE_ITO["sky"], OKABE_ITO["purple"])
_DOT = OKABE_ITO["blue"]
_SQUARE = OKABE_ITO["orange"]
_POINT = OKABE_ITO["vermillion"]


#: Upper ends of the colour scale (the density's maximum is rounded up to one of them).
_COLOUR_TOPS = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.8, 1.2, 1.6, 2.4, 3.2, 5.0, 10.0])


def colour_top(density_max: float) -> float:
    """The top of the colour scale: the density's maximum rounded up to a step of the ladder."""
    index = np.searchsorted(_COLOUR_TOPS, density_max * (1 - 1e-12))
    return float(_COLOUR_TOPS[index]) if index < _COLOUR_TOPS.size else nice_ceil(density_max)


class _ChangeOfVariablesView(FigureView):
    """The source and target planes above the density and the histogram of Y, 6.5 in (585 px)
    wide. The windows are fixed for each map, so a slider blits; the layout is computed once
    with room for every window's tick labels."""

    width, height, nrows, ncols = 6.5, 5.4, 2, 2

    def setup(self) -> None:
        self._setup_planes(*self.axes[0])
        self._setup_images(*self.axes[1])
        titles = (
            r"source $X \sim \mathcal{N}(0, I_2)$",
            "$Y = T(X)$: grid and draws",
            "density of $Y$, eq. (1.5)",
            f"histogram of {N_SAMPLES:,} draws",
        )
        for ax, title, name in zip(self.axes.flat, titles, "xyyy", strict=True):
            ax.set_title(title, fontsize=10)
            ax.set_xlabel(f"${name}_1$")
            ax.set_ylabel(f"${name}_2$")
        marker = {"marker": "o", "color": _POINT, "markersize": 5, "mec": "black", "mew": 0.8}
        self.x_marker = self.axes[0, 0].plot([], [], **marker)[0]
        self.y_markers = [ax.plot([], [], **marker)[0] for ax in self.axes.flat[1:]]
        # the headline: eq. (1.5) at the marked point (the readout gives its numbers); it never
        # changes, so it is drawn once, with the background
        self.headline = self.figure.suptitle(HEADLINE, fontsize=10)
        # the source plane's grid and draws never change (the same draws for every setting):
        # they stay in the background. What the map setting alone decides (warped grid and
        # draws, density, histogram, colour key) is the middle layer, redrawn only when the map
        # changes; the square and the point move over it
        self.animate(
            self.image_grid,
            self.image_dots,
            self.density_image,
            self.histogram_image,
            *self.key,
            layer=True,
        )
        self.animate(self.square, self.square_image, self.x_marker, *self.y_markers)
        windows = [{index: window for index in (1, 2, 3)} for window in set(_WINDOWS.values())]
        freeze_widest_layout(self.figure, windows)

    def _setup_planes(self, source: Any, target: Any) -> None:
        """Grid lines, draws and the shaded square, in the source plane and mapped."""
        colours = [_GRID_COLOURS[0]] * N_GRID_LINES + [_GRID_COLOURS[1]] * N_GRID_LINES
        self.source_grid, self.image_grid = (
            ax.add_collection(LineCollection([], colors=colours, linewidths=1.0, alpha=0.9))
            for ax in (source, target)
        )
        self.source_dots, self.image_dots = (
            ax.scatter([], [], s=2.5, color=_DOT, alpha=0.5, linewidths=0)
            for ax in (source, target)
        )
        style = {"facecolor": _SQUARE, "edgecolor": "black", "alpha": 0.8, "linewidth": 1.0}
        self.square = source.add_patch(Polygon(np.zeros((4, 2)), **style))
        self.square_image = target.add_patch(Polygon(np.zeros((4, 2)), **style))
        source.set_xlim(*SOURCE_WINDOW[0])
        source.set_ylim(*SOURCE_WINDOW[1])

    def _setup_images(self, density: Any, histogram: Any) -> None:
        """The density and the histogram on one colour scale, and the colour key."""
        # both images show density / top on a fixed scale [0, 1]; the key's labels say the top
        images = {"origin": "lower", "cmap": "viridis", "vmin": 0.0, "vmax": 1.0, "aspect": "auto"}
        images["interpolation"] = "nearest"  # 3 x 3 cells per bin: no smoothing needed
        self.density_image = density.imshow(np.zeros((2, 2)), **images)
        self.histogram_image = histogram.imshow(np.zeros((2, 2)), **images)
        for ax in (density, histogram):
            ax.grid(False)
        for ax in self.axes.flat:
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_locator(MaxNLocator(5, integer=True))
        bar = self.figure.colorbar(self.density_image, ax=[density, histogram], fraction=0.04)
        bar.set_ticks([])
        self.key = [
            bar.ax.text(1.3, level, "0.000", transform=bar.ax.transAxes, va="center", fontsize=9)
            for level in (0.0, 0.5, 1.0)
        ]

    def layer_key(self, params: dict[str, Any], state: dict[str, Any]) -> tuple:
        """The middle layer shows the map setting (the point is drawn over it)."""
        return _map_key(params)

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        target, density, histogram = self.axes.flat[1:]
        self.source_grid.set_segments(list(state["source_lines"]))
        self.image_grid.set_segments(list(state["image_lines"]))
        self.source_dots.set_offsets(state["x_shown"])
        self.image_dots.set_offsets(state["y_shown"])
        self.square.set_xy(state["square"])
        self.square_image.set_xy(state["square_image"])
        self.x_marker.set_data([state["x"][0]], [state["x"][1]])
        for marker in self.y_markers:
            marker.set_data([state["y"][0]], [state["y"][1]])
        (low1, high1), (low2, high2) = state["window"]
        for ax in (target, density, histogram):
            ax.set_xlim(low1, high1)
            ax.set_ylim(low2, high2)
        extent = (low1, high1, low2, high2)
        top = state["colour_top"]
        self.density_image.set_data(state["density"] / top)
        self.density_image.set_extent(extent)
        self.histogram_image.set_data(state["histogram_density"] / top)
        self.histogram_image.set_extent(extent)
        for text, level in zip(self.key, (0.0, 0.5, 1.0), strict=True):
            text.set_text(format_number(level * top, 3))


def _agreement(state: dict[str, Any]) -> str:
    tv, noise = state["total_variation"], state["noise_total_variation"]
    verdict = (
        "about what sampling noise alone gives"
        if tv <= AGREEMENT_FACTOR * noise
        else "more than sampling noise alone explains"
    )
    return (
        f"Histogram against the density integrated over its {N_BINS} × {N_BINS} bins: total "
        f"variation <b>{format_number(tv, 3)}</b>, {verdict} (expected "
        f"{format_number(noise, 3)} for {N_SAMPLES:,} exact draws)"
    )


def _minus(text: str) -> str:
    """The map's plain-text description with minus signs (−) for negative numbers."""
    return re.sub(r"-(?=[0-9.])", "−", text)


def _point(values: Any) -> str:
    """A point of the plane for a readout: each coordinate to 3 figures, one that is zero to
    rounding error next to the size of the plotted windows printed as 0."""
    return format_vector(values, 3, scale=GRID_LIMIT)


def _readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    factor = state["inverse_abs_det"]
    return (
        f"T: {state['flow_text']}. The point x = {_point(state['x'])} goes to y = T(x) = "
        f"{_point(state['y'])}, where |det ∇T⁻¹(y)| = <b>{format_number(factor, 4)}</b> (the "
        f"shaded square of area {format_number(state['square_area'], 3)} around x lands on an "
        f"area {format_number(state['image_area'], 3)} around y: ratio "
        f"{format_number(state['area_ratio'], 4)}); eq. (1.5) gives p_Y(y) = p_X(x) × "
        f"{format_number(factor, 4)} = {format_number(state['density_x'], 4)} × "
        f"{format_number(factor, 4)} = <b>{format_number(state['density_y'], 4)}</b>. "
        f"The density integrates to {format_number(state['window_integral'], 4)} over the "
        f"plotted window, and T(X) falls outside it with probability "
        f"{format_number(state['mass_outside'], 4)} (from the map alone, no Jacobian): total "
        f"<b>{format_number(state['total_mass'], 4)}</b>. {_agreement(state)}."
    )


def _alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    (low1, high1), (low2, high2) = state["window"]
    return (
        f"Top left: a square grid and {N_SHOWN:,} draws of X ~ N(0, I₂), with a shaded square "
        f"around the point x = {_point(state['x'])}. Top right: their images under the "
        f"{state['flow_text']}: the grid warped, and the square's image around y = "
        f"{_point(state['y'])}, where |det ∇T⁻¹(y)| = "
        f"{format_number(state['inverse_abs_det'], 3)} and the density of Y is "
        f"{format_number(state['density_y'], 3)}. Bottom: the density of T(X) from eq. (1.5) "
        f"(left) and the histogram of {N_SAMPLES:,} draws (right) on the same colour scale, "
        f"from 0 to {format_number(state['colour_top'], 3)}, over [{format_number(low1, 3)}, "
        f"{format_number(high1, 3)}] × [{format_number(low2, 3)}, {format_number(high2, 3)}]."
    )


def _static_key(params: dict[str, Any]) -> tuple:
    """One frame for every value of the scale slider under the planar map (it ignores it)."""
    return _map_key(params), float(params["point"])


def _update_controls(params: dict[str, Any], controls: dict) -> None:
    kind = params["map"]
    controls["strength"].description = _STRENGTH[kind]
    scale = controls["scale"]
    scale.disabled = _SCALE[kind] is None
    scale.description = _SCALE[kind] or _SCALE_UNUSED


GUIDE = """\
- **Affine map.** Move the point $x$: $|\\det \\nabla T^{-1}(y)|$ stays at $e^{-s}$ wherever
  $y$ is, and the shaded square always lands on a parallelogram of the same area. With $s = 0$
  the shear keeps every area, yet the density of $Y$ is a tilted, stretched Gaussian.
- **Coupling map, $s = 0$.** The Gaussian bends into a banana, but
  $|\\det \\nabla T^{-1}(y)| = 1$ everywhere: the map moves mass without stretching area, so
  $p_Y(y) = p_X(T^{-1}(y))$ exactly.
- **Coupling map, $s > 0$.** Move $x$ to the right: the square's image grows by $e^{s x_1}$,
  $|\\det \\nabla T^{-1}(y)| = e^{-s y_1}$ shrinks, and so does $p_Y(y) / p_X(x)$, which
  is that factor: once $x_1 > 0$ the map spreads the mass out and $p_Y(y) < p_X(x)$.
- **Planar map.** Lower $w^\\top u$ towards $-1$: a band of the plane is squeezed into a thin
  ridge where $|\\det \\nabla T^{-1}|$, and the density, are large. At $-1$ and below the map
  is no longer invertible and eq. (1.5) has nothing to say.
- **Every setting.** The density integrates to 1 once the mass outside the window is added,
  and the histogram differs from it by about what sampling noise alone gives.
"""


def change_of_variables_explorer(mode: str | None = None) -> Explorer:
    """Explorer of Theorem 1.1 in the plane: how a map stretches area, and eq. (1.5).

    The source is :math:`X \\sim \\mathcal{N}(0, I_2)`; the map :math:`T` is affine
    (:class:`pgmlib.AffineFlow`: a rotation by 30°, a shear ``k`` and the first axis scaled by
    :math:`e^s`), planar (:class:`pgmlib.PlanarFlow` with :math:`w^\\top u` set by the first
    slider; :math:`w^\\top u \\le -1` is not invertible and shows a message) or a coupling
    (:class:`pgmlib.CouplingFlow`: bend ``a``, scale rate ``s``). Top: a grid and draws of
    :math:`X`, a small square around the point :math:`x = (r, 0.5)`; then their images, the
    square's image around :math:`y = T(x)`. Bottom: the density of :math:`T(X)` from eq. (1.5)
    beside the histogram of 20,000 draws, on one colour scale
    (:func:`pgmlib.flow_histogram_comparison`). The readout gives
    :math:`|\\det\\nabla_y T^{-1}(y)|` beside the squares' area ratio
    (:func:`pgmlib.local_area_element`), :math:`p_Y(y)`, the density's integral over the
    window plus the probability outside it (:func:`pgmlib.flow_box_probability`, which uses no
    Jacobian), and the total variation between histogram and density beside what sampling
    noise alone would give.

    The source draws are made once; every move maps the same draws. What a setting of the map
    shows whatever the point (the density, the histogram, the warped grid) is computed once per
    map setting and kept for the last eight, so a move of the point recomputes only the square.
    Each map has a fixed window (the coupling map's depends on the sign of its bend), so the
    sliders never move the axes. The map buttons read "affine", "planar" and "coupling" (the
    readout gives the formula); the figure is 6.5 in (585 px) wide.

    Guide of what to try (the text the chapter shows beside the explorer, :data:`GUIDE`):

    - Affine map: move the point; :math:`|\\det \\nabla T^{-1}(y)| = e^{-s}` everywhere and
      the square lands on a parallelogram.
    - Coupling map with :math:`s = 0`: a banana, yet :math:`|\\det \\nabla T^{-1}| = 1`.
    - Coupling map with :math:`s > 0`: moving :math:`x` right shrinks the factor
      :math:`e^{-s y_1}`, which is :math:`p_Y(y) / p_X(x)`.
    - Planar map: :math:`w^\\top u \\to -1` squeezes a band into a ridge; at :math:`-1` and
      below the map is not invertible.
    - Every setting: total mass 1, and total variation at the level of sampling noise.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``map``, ``strength``, ``scale`` and ``point``. Static: map (3) x strength
        (-0.8, 0.4, 1.2) x scale (0, 0.4) x point r (-1.5, 0, 1.5); the planar map ignores the
        scale, so 45 distinct frames.
    """
    controls = [
        choice("map", _MAPS, description="map T"),
        slider(
            "strength",
            np.round(np.arange(-1.5, 1.5001, 0.1), 10),
            value=1.2,
            description="strength k / w·u / a",
            fmt="{:.1f}",
            static_grid=[-0.8, 0.4, 1.2],
        ),
        slider(
            "scale",
            np.round(np.arange(-0.5, 0.5001, 0.05), 10),
            value=0.4,
            description="scale s",
            static_grid=[0.0, 0.4],
        ),
        slider(
            "point",
            np.round(np.arange(-2.5, 2.5001, 0.1), 10),
            value=0.0,
            description=f"point x = (r, {POINT_HEIGHT:g}): r",
            fmt="{:.1f}",
            static_grid=[-1.5, 0.0, 1.5],
        ),
    ]
    return Explorer(
        controls,
        _make_compute(_MapFields(_SourceDraws())),
        _ChangeOfVariablesView(),
        readout=_readout,
        alt=_alt,
        mode=mode,
        name="change_of_variables",
        update_controls=_update_controls,
        static_key=_static_key,
    )
