"""The explorer core: one description of an explorer, two ways to run it.

An explorer is (controls with their value grids, a ``compute(params) -> state`` function that
asks pgmlib for the numbers, a ``render(params, state)`` function that draws them). From that,
:class:`Explorer` builds either

- a *live* widget (a kernel: JupyterLab, Binder, nbval): every control has a Python observer
  that recomputes and redraws one persistent figure, sent as a PNG to an ``ipywidgets.Image``;
- a *static* widget (the website, no kernel): every frame is drawn in advance on the controls'
  grids and stored in nested ``ipywidgets.Stack`` containers whose ``selected_index`` is
  ``jslink``-ed to the controls' ``index``, so the browser swaps frames with no kernel.

See the package docstring of :mod:`pgmlib.widgets` for a worked example.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import logging
import math
import numbers
import os
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import astuple, dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from ipywidgets.widgets.widget_string import HTMLStyle
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Bbox
from traitlets import Unicode

from ..plotting._style import book_style, canvas_to_png, figure_to_png, new_figure

__all__ = [
    "LEGEND",
    "MODE_ENV",
    "AltImage",
    "Control",
    "Explorer",
    "ExplorerGroup",
    "FigureView",
    "choice",
    "format_number",
    "format_vector",
    "freeze_widest_layout",
    "nice_ceil",
    "nice_limits",
    "resolve_mode",
    "slider",
]

#: Environment variable that selects the mode when ``mode=None`` ("static" during the book
#: build, set by tools/pgmbook.py; unset means "live").
MODE_ENV = "PGMLIB_WIDGET_MODE"
MODES = ("live", "static")
#: Legends of the explorers: boxed, since moving curves pass under them.
LEGEND: dict[str, Any] = {"frameon": True, "framealpha": 0.92, "edgecolor": "none"}
#: Colours kept by the indexed PNGs of the static frames.
STATIC_PALETTE = 32
#: Pixels of slider track per step: enough to drag a slider one step at a time.
MIN_STEP_PX = 6

_LOG = logging.getLogger(__name__)

Params = dict[str, Any]
State = dict[str, Any]


def resolve_mode(mode: str | None = None) -> str:
    """``"live"`` or ``"static"``: ``mode`` itself, or env ``PGMLIB_WIDGET_MODE`` when None.

    Raises
    ------
    TypeError
        If ``mode`` is neither None nor a string.
    ValueError
        If ``mode`` (or the environment variable) is not one of "live" or "static".

    Examples
    --------
    >>> resolve_mode("static")
    'static'
    >>> resolve_mode("Static")
    Traceback (most recent call last):
    ...
    ValueError: `mode` must be 'live', 'static' or None; got 'Static'
    """
    if mode is None:
        raw = os.environ.get(MODE_ENV, "").strip()
        if raw == "":
            return "live"
        if raw not in MODES:
            raise ValueError(
                f"environment variable {MODE_ENV} must be 'live' or 'static' (or unset); "
                f"got {raw!r}"
            )
        return raw
    if not isinstance(mode, str):
        raise TypeError(f"`mode` must be 'live', 'static' or None; got {mode!r}")
    if mode not in MODES:
        raise ValueError(f"`mode` must be 'live', 'static' or None; got {mode!r}")
    return mode


_LADDER = np.array([1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0])


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of 10) >= ``value``.

    For axis limits that change only now and then as a slider moves (each change of limits
    costs a full redraw instead of a blit).

    Examples
    --------
    >>> nice_ceil(0.37), nice_ceil(2.0), nice_ceil(7.1)
    (0.4, 2.0, 8.0)
    """
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return float(power * _LADDER[np.searchsorted(_LADDER, value / power * (1 - 1e-12))])


def nice_limits(low: float, high: float) -> tuple[float, float]:
    """``[low, high]`` widened outward to multiples of a round step (about a fifth of it).

    Examples
    --------
    >>> nice_limits(-2.07, 2.11)
    (-3.0, 3.0)
    """
    if not high > low:
        return low - 0.5, high + 0.5
    step = nice_ceil((high - low) / 5)
    return math.floor(low / step) * step, math.ceil(high / step) * step


#: Relative size below which a number shown next to others is zero to rounding error.
ZERO_TOLERANCE = 1e-12


def format_number(value: Any, digits: int = 4, *, scale: float | None = None) -> str:
    """A number for a readout: ``digits`` significant figures, "∞" for infinity.

    Zero prints "0", never "-0". With ``scale`` (the size of the numbers shown alongside, e.g.
    the largest magnitude of a vector) a value that is zero to rounding error next to them,
    ``|value| <= ZERO_TOLERANCE * |scale|``, prints "0" too: the second entry of
    ``b = (9.15, -4.4e-16)`` is a zero that floating point missed. Without ``scale`` a small
    value is printed as it is (``e⁻³⁰`` is a number, not a rounding error).

    Parameters
    ----------
    value : real
        The number.
    digits : int
        Significant figures.
    scale : float, optional
        Magnitude of the numbers shown with ``value`` (see above).

    Returns
    -------
    str
        A negative number's signs are the typographic "−" (U+2212).

    Examples
    --------
    >>> format_number(0.693147), format_number(float("inf")), format_number(-2.5)
    ('0.6931', '∞', '−2.5')
    >>> format_number(-0.0), format_number(-4.44e-16, scale=9.15), format_number(9.4e-14)
    ('0', '0', '9.4e-14')
    """
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if math.isnan(value):
        return "undefined"
    if scale is not None and abs(value) <= ZERO_TOLERANCE * abs(float(scale)):
        value = 0.0
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    return text.replace("-", "−") if value < 0 else text


def format_vector(values: Any, digits: int = 4, *, scale: float | None = None) -> str:
    """A vector for a readout, "(x, y, ...)", its rounding-error zeros printed as "0".

    Each entry goes through :func:`format_number` with ``scale`` (default: the largest finite
    magnitude among ``values``), so an entry that is zero to rounding error next to the others
    prints "0". For a matrix, format each row with the matrix's largest magnitude as ``scale``.

    Parameters
    ----------
    values : array_like, shape (n,)
        The entries (n >= 1).
    digits : int
        Significant figures of each entry.
    scale : float, optional
        Magnitude the entries are compared with.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``values`` is not one-dimensional with at least one entry.

    Examples
    --------
    >>> format_vector([9.15, -4.44e-16])
    '(9.15, 0)'
    >>> format_vector([1e-20, 2e-20]) == f"({format_number(1e-20)}, {format_number(2e-20)})"
    True
    """
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"`values` must be one-dimensional with at least one entry; got shape {array.shape}"
        )
    if scale is None:
        finite = np.abs(array[np.isfinite(array)])
        scale = float(finite.max()) if finite.size else 0.0
    return "(" + ", ".join(format_number(v, digits, scale=scale) for v in array) + ")"


# --------------------------------------------------------------------------------------------
# Controls
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """One control of an explorer: its values, what the reader sees, and its static grid.

    Build it with :func:`slider` or :func:`choice` rather than directly.

    Attributes
    ----------
    name : str
        Key of the value in ``params`` (and in ``Explorer.controls``).
    kind : {"slider", "choice"}
        Rendered as an ``ipywidgets.SelectionSlider`` or ``ipywidgets.ToggleButtons``.
    values : tuple
        The values the live control takes, in order.
    labels : tuple of str
        What the reader sees for each value.
    value : object
        The initial value (one of ``values``).
    description : str
        The visible label of the control.
    static_values : tuple
        The values precomputed for the static page (a subset of ``values``). A control with a
        single static value is fixed there and not shown.
    """

    name: str
    kind: str
    values: tuple
    labels: tuple
    value: Any
    description: str
    static_values: tuple

    def index(self, value: Any, *, static: bool = False) -> int:
        """Position of ``value`` in ``values`` (or in ``static_values``)."""
        return (self.static_values if static else self.values).index(value)

    def label(self, value: Any) -> str:
        return self.labels[self.values.index(value)]


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"`name` must be a Python identifier; got {name!r}")
    return name


def _check_description(description: Any) -> str:
    if not isinstance(description, str) or not description.strip():
        raise ValueError(f"`description` must be a non-empty string; got {description!r}")
    return description


def _snap(grid: np.ndarray, value: Any, what: str) -> float:
    """The grid value nearest ``value``; refuse values outside the grid's range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number; got {value!r}")
    span = grid[-1] - grid[0]
    if not grid[0] - 1e-9 * span <= value <= grid[-1] + 1e-9 * span:
        raise ValueError(f"{what} must lie in [{grid[0]:g}, {grid[-1]:g}]; got {value:g}")
    return float(grid[np.argmin(np.abs(grid - value))])


def slider(
    name: str,
    grid: Sequence[float] | np.ndarray,
    *,
    description: str,
    value: float | None = None,
    fmt: str = "{:.2f}",
    static_grid: Sequence[float] | np.ndarray | None = None,
) -> Control:
    """A numeric control shown as a slider over ``grid``.

    Parameters
    ----------
    name : str
        Key of the value in ``params``.
    grid : array_like, shape (n,)
        Increasing values the slider steps through (n >= 2), extremes included.
    description : str
        Visible label (keep it short: "mean μ of q").
    value : float, optional
        Initial value, snapped to the nearest grid point (default: the middle of the grid).
    fmt : str
        Format of the values shown next to the slider.
    static_grid : array_like, optional
        The values precomputed for the static page, each snapped to ``grid``
        (default: ``grid``). Keep it coarse: every value costs one frame per combination.

    Returns
    -------
    Control

    Raises
    ------
    ValueError
        If the grid is not 1-D, finite and strictly increasing with two values or more, or a
        value lies outside it.

    Examples
    --------
    >>> c = slider("v", [0.5, 1.0, 1.5, 2.0], value=1.1, description="width", static_grid=[1, 2])
    >>> c.value, c.static_values, c.labels[0]
    (1.0, (1.0, 2.0), '0.50')
    """
    name = _check_name(name)
    description = _check_description(description)
    values = np.asarray(grid, dtype=float)
    if values.ndim != 1 or values.size < 2 or not np.all(np.isfinite(values)):
        raise ValueError(f"`grid` of {name!r} must be 1-D, finite, with >= 2 values")
    if np.any(np.diff(values) <= 0):
        raise ValueError(f"`grid` of {name!r} must be strictly increasing")
    values = np.round(values, 12) + 0.0  # + 0.0: a grid's -0.0 shows as 0, not -0.00
    initial = values[values.size // 2] if value is None else _snap(values, value, "`value`")
    static = values if static_grid is None else np.asarray(static_grid, dtype=float).ravel()
    if static.size == 0:
        raise ValueError(f"`static_grid` of {name!r} must not be empty")
    static_values = tuple(sorted({_snap(values, v, "`static_grid` values") for v in static}))
    value_tuple = tuple(float(v) for v in values)
    return Control(
        name=name,
        kind="slider",
        values=value_tuple,
        labels=tuple(fmt.format(v) for v in value_tuple),
        value=float(initial),
        description=description,
        static_values=static_values,
    )


def choice(
    name: str,
    options: Mapping[str, Any] | Sequence[str],
    *,
    description: str,
    value: Any = None,
    static_options: Sequence[Any] | None = None,
) -> Control:
    """A categorical control, shown as a row of toggle buttons (one per option).

    Buttons rather than a dropdown: in JupyterLab a focused ``<select>`` loses the arrow keys to
    the notebook (they select the next cell) and its letter keys run notebook commands, while
    each button is reached with Tab and chosen with Enter or Space. Keep labels short.

    Parameters
    ----------
    name : str
        Key of the value in ``params``.
    options : mapping label -> value, or sequence of str
        The choices (a sequence of strings uses each string as both label and value).
    description : str
        Visible label.
    value : optional
        Initial value (default: the first option).
    static_options : sequence, optional
        Values precomputed for the static page (default: all).

    Returns
    -------
    Control

    Examples
    --------
    >>> c = choice("map", {"T(x) = x²": "square", "T(x) = eˣ": "exp"}, description="map T")
    >>> c.value, c.labels
    ('square', ('T(x) = x²', 'T(x) = eˣ'))
    """
    name = _check_name(name)
    description = _check_description(description)
    if isinstance(options, Mapping):
        labels, values = tuple(str(k) for k in options), tuple(options.values())
    elif isinstance(options, Sequence) and not isinstance(options, str):
        labels, values = tuple(str(v) for v in options), tuple(options)
    else:
        raise TypeError(f"`options` of {name!r} must be a mapping or a sequence; got {options!r}")
    if len(values) < 1 or len(set(values)) != len(values):
        raise ValueError(f"`options` of {name!r} must be non-empty with distinct values")
    initial = values[0] if value is None else value
    if initial not in values:
        raise ValueError(f"`value` of {name!r} must be one of {values}; got {value!r}")
    static = values if static_options is None else tuple(static_options)
    unknown = [v for v in static if v not in values]
    if unknown or not static:
        raise ValueError(
            f"`static_options` of {name!r} must be a non-empty subset of {values}; got {static}"
        )
    static_values = tuple(v for v in values if v in static)
    return Control(name, "choice", values, labels, initial, description, static_values)


# --------------------------------------------------------------------------------------------
# Layout of the controls
# --------------------------------------------------------------------------------------------

#: The text of the controls: ipywidgets' 13 px (--jp-widgets-font-size) in DejaVu Sans, the
#: font Chromium uses on Linux; most other UI fonts are narrower, so widths err on the wide side.
_CONTROL_FONT = FontProperties(family="DejaVu Sans", size=13)
_TEXT_PATH = TextToPath()
#: ipywidgets' CSS: the gap right of a description label (2 x --jp-widgets-inline-margin), a
#: slider track's side margins (handle size / 2 - 2 borders, each side), the gap left of the
#: readout and the readout's width range (--jp-widgets-inline-width-tiny to -short).
_LABEL_GAP_PX = 8
_TRACK_MARGINS_PX = 12
_READOUT_GAP_PX = 4
_READOUT_PX = (72, 148)


def _text_px(text: str) -> float:
    """Width in CSS pixels of ``text`` in the controls' font."""
    width, _, _ = _TEXT_PATH.get_text_width_height_descent(text, _CONTROL_FONT, ismath=False)
    return float(width)


@dataclass(frozen=True)
class _ControlGeometry:
    """One description width for every control of an explorer, and the room its sliders need.

    ``label_px``: the widest description; ``rest_px``: what the most demanding slider needs
    right of its label (the margins, :data:`MIN_STEP_PX` of track per step and its readout);
    ``figure_px``: the figure's pixel width (0 if unknown).
    """

    label_px: int
    rest_px: int
    figure_px: int

    @classmethod
    def of(cls, controls: Sequence[widgets.DOMWidget], figure_px: int | None) -> _ControlGeometry:
        """The geometry of these control widgets (the options they offer: a static page's
        sliders have fewer steps than the live ones) over a figure ``figure_px`` wide."""
        descriptions = [_text_px(widget.description) for widget in controls]
        label_px = math.ceil(max(descriptions, default=0.0)) + 2
        sliders = [w for w in controls if isinstance(w, widgets.SelectionSlider)]
        rest_px = max((_slider_rest_px(w) for w in sliders), default=0)
        return cls(label_px, rest_px, figure_px or 0)

    @property
    def row_px(self) -> int:
        """The widest a control grows: the figure's width, or more if a slider needs it."""
        return max(self.figure_px, self.label_px + self.rest_px)

    def merge(self, other: _ControlGeometry) -> _ControlGeometry:
        """The geometry of two explorers shown together (each field the larger)."""
        return _ControlGeometry(*map(max, astuple(self), astuple(other)))

    def label_css(self) -> str:
        """CSS width of every description label: ``label_px`` while a row has room for the
        label and ``rest_px`` beside it (the tracks start at one x), else the whole row (each
        label above its full-width track; with rows wrapping, see :meth:`apply`)."""
        full = f"100% - {_LABEL_GAP_PX}px"
        wide = f"({self.label_px + self.rest_px}px - 100%) * 1000"
        return f"clamp(min({self.label_px}px, {full}), {wide}, {full})"

    def apply(self, widget: widgets.DOMWidget) -> None:
        """Give one control widget this geometry (description width, width, wrapping)."""
        widget.style.description_width = self.label_css()
        layout = widget.layout
        layout.width, layout.max_width = "100%", f"{self.row_px}px"
        # Rows wrap (the track under its label when the row is narrow); no side margins, so
        # that a row of width 100% fits its box exactly.
        layout.height, layout.flex_flow, layout.margin = "auto", "row wrap", "2px 0px"


def _slider_rest_px(widget: widgets.SelectionSlider) -> int:
    """Pixels a slider needs right of its label: margins, track and readout."""
    labels = [label for label, _ in widget.options]
    readout = max(_text_px(label) for label in labels) + 8
    readout = min(max(readout, _READOUT_PX[0]), _READOUT_PX[1])
    track = MIN_STEP_PX * (len(labels) - 1)
    return math.ceil(_LABEL_GAP_PX + _TRACK_MARGINS_PX + track + _READOUT_GAP_PX + readout)


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


class AltImage(widgets.Image):
    """An ``ipywidgets.Image`` whose ``tooltip`` becomes the ``title`` of its ``<img>``.

    ipywidgets' Image has no ``alt`` attribute. Its front end writes ``tooltip`` into the
    element's ``title`` (which assistive technology reads as the image's accessible name), but
    only for widgets that have a ``description``; this subclass adds an empty one.
    """

    description = Unicode("").tag(sync=True)


_Limits = Mapping[int, tuple[tuple[float, float], tuple[float, float]]]


def _set_limits(figure: Figure, limits: _Limits) -> None:
    for index, (xlim, ylim) in limits.items():
        figure.axes[index].set_xlim(*xlim)
        figure.axes[index].set_ylim(*ylim)


@contextlib.contextmanager
def _limits_restored(figure: Figure) -> Any:
    """Every axes of ``figure`` gets its limits back on leaving the block."""
    saved = {i: (ax.get_xlim(), ax.get_ylim()) for i, ax in enumerate(figure.axes)}
    try:
        yield
    finally:
        _set_limits(figure, saved)


def freeze_widest_layout(
    figure: Figure, candidates: Sequence[_Limits], *, pin_axis_labels: bool = False
) -> None:
    """Compute a figure's constrained layout once, with room for every tick label it will show.

    For a view whose limits change (and with them the width of its tick labels), where
    ``FigureView.freeze_layout`` would keep the layout of whatever the first frame shows.

    Parameters
    ----------
    figure : matplotlib Figure
        A figure with a constrained layout engine (as ``new_figure`` makes it).
    candidates : sequence of mapping int -> (xlim, ylim)
        Each maps axes (by index in ``figure.axes``) to the limits whose tick labels are the
        widest of some kind ("0.025", "80000"). The layout is computed for each entry, and each
        axes keeps the part of its box common to all of them.
    pin_axis_labels : bool, default False
        Also fix each axis label where the widest tick labels of `candidates` put it (below or
        left of all of them). Matplotlib otherwise places an axis label anew at every full
        redraw, next to the tick labels it has just measured; pinned, it skips that (a full
        redraw takes about a sixth less time) and the label stays put as the ticks change.

    Notes
    -----
    The layout engine is then switched off: a change of limits redraws the figure without a
    relayout (about half the cost of a full redraw). The axes' limits are restored afterwards.

    Examples
    --------
    >>> from pgmlib.plotting import book_style, new_figure
    >>> with book_style():
    ...     fig, ax = new_figure(3.0, 2.0, dpi=90)
    >>> _ = ax.set_ylim(0, 2)
    >>> freeze_widest_layout(fig, [{0: ((0, 1), (0, 1))}, {0: ((0, 1), (0, 0.025))}])
    >>> ax.get_ylim(), type(fig.get_layout_engine()).__name__  # limits back, no layout
    ((np.float64(0.0), np.float64(2.0)), 'PlaceHolderLayoutEngine')
    >>> left = ax.get_position().x0
    >>> _ = ax.set_ylim(0, 0.025)  # the widest labels fit left of the axes, which stay put
    >>> fig.canvas.draw()
    >>> bool(ax.yaxis.get_tightbbox().x0 >= 0), bool(ax.get_position().x0 == left)
    (True, True)
    """
    engine = figure.get_layout_engine()
    boxes: dict[Any, np.ndarray] = {}
    with _limits_restored(figure):
        for limits in candidates:
            _set_limits(figure, limits)
            engine.execute(figure)
            for ax in figure.axes:
                box = ax.get_position(original=True).get_points()
                if ax in boxes:
                    boxes[ax][0] = np.maximum(boxes[ax][0], box[0])  # lower left: the higher
                    boxes[ax][1] = np.minimum(boxes[ax][1], box[1])  # upper right: the lower
                else:
                    boxes[ax] = box
    for ax, box in boxes.items():
        ax.set_position(Bbox(box))
    figure.set_layout_engine("none")
    if pin_axis_labels:
        _pin_axis_labels(figure, candidates)


def _pin_axis_labels(figure: Figure, candidates: Sequence[_Limits]) -> None:
    """Fix each axis label below / left of where each of `candidates` would place it."""
    renderer = figure.canvas.get_renderer()
    outer: dict[Any, float] = {}
    with _limits_restored(figure):
        for limits in candidates:
            _set_limits(figure, limits)
            for ax in figure.axes:
                for axis, coordinate in ((ax.xaxis, 1), (ax.yaxis, 0)):
                    axis.get_tightbbox(renderer)  # places the label beside the tick labels
                    label = axis.label
                    where = label.get_transform().transform(label.get_position())
                    position = ax.transAxes.inverted().transform(where)[coordinate]
                    outer[axis] = min(outer.get(axis, math.inf), position)
    for ax in figure.axes:
        ax.xaxis.set_label_coords(0.5, outer[ax.xaxis])
        ax.yaxis.set_label_coords(outer[ax.yaxis], 0.5)


class FigureView:
    """A persistent matplotlib figure updated in place: the ``render`` of an explorer.

    Subclass it, set the figure geometry as class attributes, create the artists once in
    :meth:`setup` and move them in :meth:`update` (``set_data``, ``StepPatch.set_data``,
    ``set_text``, ...). Register the artists that change from frame to frame with
    :meth:`animate`: only they are redrawn on a move, over a cached background holding
    everything else (axes, ticks, labels, fixed curves) -- blitting, several times faster than
    a full redraw. The background is redrawn by itself when an axis' limits change; call
    :meth:`invalidate` after changing anything else that is not animated (a label, say).

    A view whose axes' limits follow the data can name them as ``panels``: each such axes with
    a rectangle of the figure that holds all it draws (ticks, labels, its legend) and nothing of
    another axes. When only panels' limits change, each changed panel is cleared from a cached
    image of the figure without the panels and its axes drawn again; the rest of the figure is
    kept (counted in ``panel_draws``, not ``full_draws``). It needs a fixed layout.

    Artists that change with some controls only (a density that depends on the map but not on
    a marked point, say) can go into a middle layer: register them with
    ``animate(..., layer=True)`` and return from :meth:`layer_key` what they show. While the
    key stays the same, a move restores them from a cached image instead of drawing them again;
    only the other animated artists are drawn, over them.

    When ``state`` holds an ``"error"`` message the figure is veiled and the message shown
    instead, so a reader never sees a traceback or a blank plot. The constrained layout is
    recomputed at each full redraw (when limits, hence tick labels, change), never on a blit --
    unless the class sets ``freeze_layout = True``: then the layout of the first full redraw is
    kept for good (a full redraw costs about half as much). Freeze only a view whose tick labels
    keep their width as the limits change (snapped limits, fixed tick formats).
    """

    width: float = 7.2
    height: float = 3.0
    dpi: int = 90
    nrows: int = 1
    ncols: int = 1
    width_ratios: tuple[float, ...] | None = None
    #: Keep the constrained layout of the first full redraw instead of recomputing it at each.
    freeze_layout: bool = False
    #: Axes redrawn on their own when only their limits change: ``{index in figure.axes:
    #: (x0, y0, x1, y1)}``, the rectangle of the figure (fractions) that holds everything the
    #: axes draws and nothing of another axes (tests check the pixels against full redraws).
    panels: ClassVar[Mapping[int, tuple[float, float, float, float]]] = MappingProxyType({})

    def __init__(self) -> None:
        self._animated: list = []
        self._layered: list = []
        self._layer = None
        self._layer_key: Hashable = None
        with book_style():
            self.figure, self.axes = new_figure(
                self.width,
                self.height,
                dpi=self.dpi,
                nrows=self.nrows,
                ncols=self.ncols,
                gridspec_kw=None
                if self.width_ratios is None
                else {"width_ratios": self.width_ratios},
            )
            self.setup()
            self._veil = Rectangle(
                (0, 0),
                1,
                1,
                transform=self.figure.transFigure,
                facecolor="white",
                alpha=0.9,
                edgecolor="none",
                zorder=100,
                visible=False,
            )
            self.figure.add_artist(self._veil)
            self._message = self.figure.text(
                0.5,
                0.5,
                "",
                ha="center",
                va="center",
                fontsize=12,
                zorder=101,
                visible=False,
            )
        #: How many renders redrew the whole figure (the others blitted the animated artists).
        self.full_draws = 0
        #: How many renders redrew only the panels whose limits changed (see ``panels``).
        self.panel_draws = 0
        self._background = None
        self._background_key: tuple | None = None
        self._base = None  # the figure without its panels (``panels``), and what it shows
        self._base_key: tuple | None = None

    def setup(self) -> None:
        """Create every artist (called once)."""
        raise NotImplementedError

    def update(self, params: Params, state: State) -> None:
        """Move the artists to show ``state`` (called on every change)."""
        raise NotImplementedError

    def animate(self, *artists: Any, layer: bool = False) -> Any:
        """Mark ``artists`` as changing between frames (drawn over the cached background, in
        the order registered). With ``layer=True`` they go into the middle layer: redrawn only
        when :meth:`layer_key` changes, and always below the other animated artists. Returns
        the first one."""
        for artist in artists:
            artist.set_animated(True)
            (self._layered if layer else self._animated).append(artist)
        return artists[0] if artists else None

    def layer_key(self, params: Params, state: State) -> Hashable:
        """What the middle layer's artists (``animate(..., layer=True)``) show for
        ``(params, state)``: they are redrawn when it changes. None (the default) redraws
        them on every move."""
        return None

    def invalidate(self) -> None:
        """Redraw the background at the next render (after a non-animated artist changed)."""
        self._background = None
        self._base = None
        self._layer = None

    def _wrapped(self, message: str) -> str:
        """``message`` broken into lines that fit the figure's width (less a margin)."""
        width_pt = self.figure.get_figwidth() * 72.0 * 0.92
        return wrap_to_width(message, width_pt, self._message.get_fontproperties())

    def _key(self) -> tuple:
        limits = tuple(tuple(ax.viewLim.bounds) for ax in self.figure.axes)
        return (*limits, self._message.get_visible(), self._message.get_text())

    def _rest_key(self, key: tuple) -> tuple:
        """``key`` without the limits of the panels: what the figure without them shows."""
        return tuple(part for i, part in enumerate(key) if i not in self.panels)

    def _changed_panels(self, key: tuple) -> list[int] | None:
        """The panels to redraw over the cached background for ``key``; None when the whole
        figure must be drawn (no background or base yet, or something else changed)."""
        if self._background is None or self._base is None:
            return None
        if self._rest_key(key) != self._base_key:
            return None
        return [i for i in self.panels if key[i] != self._background_key[i]]

    def _redraw_background(self, key: tuple) -> None:
        """Draw what ``key`` says is not animated and keep it as the background."""
        canvas = self.figure.canvas
        changed = self._changed_panels(key)
        if changed is None:
            engine = self.figure.get_layout_engine()
            fixed = engine is None or isinstance(engine, PlaceHolderLayoutEngine)
            # a message veils the whole figure: the panels must stay under it (one full draw)
            veiled = self._message.get_visible()
            hidden = [self.figure.axes[i] for i in self.panels] if fixed and not veiled else []
            for ax in hidden:
                ax.set_visible(False)
            try:
                canvas.draw()  # animated artists are left out of a full draw
            finally:
                for ax in hidden:
                    ax.set_visible(True)
            self.full_draws += 1
            if self.freeze_layout and self.full_draws == 1:
                self.figure.set_layout_engine("none")  # keep the positions just computed
            # the figure without its panels, if this draw made one (a veiled draw does not)
            self._base = canvas.copy_from_bbox(self.figure.bbox) if hidden else None
            self._base_key = self._rest_key(key)
            for ax in hidden:
                self.figure.draw_artist(ax)
        else:
            canvas.restore_region(self._background)
            width, height = canvas.get_width_height()
            # Agg's regions count rows from the top; ``xy`` places the saved region's own
            # corner (the whole figure's: 0, 0), so the rectangle lands where it was taken
            origin = self._base.get_extents()[:2]
            for i in changed:  # clear the panel to the figure without it, then draw it again
                x0, y0, x1, y1 = self.panels[i]
                left, right = math.floor(x0 * width), math.ceil(x1 * width)
                top, bottom = math.floor((1 - y1) * height), math.ceil((1 - y0) * height)
                canvas.restore_region(self._base, bbox=(left, top, right, bottom), xy=origin)
                self.figure.draw_artist(self.figure.axes[i])
            self.panel_draws += 1
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._background_key = key

    def draw(self, params: Params, state: State) -> None:
        """Update the artists for ``(params, state)`` and render the figure into its canvas."""
        error = state.get("error")
        if error is None:
            with book_style():
                self.update(params, state)
        self._veil.set_visible(error is not None)
        self._message.set_visible(error is not None)
        self._message.set_text("" if error is None else self._wrapped(str(error)))
        canvas = self.figure.canvas
        key = self._key()
        full = self._background is None or key != self._background_key
        if full:
            self._redraw_background(key)
            self._layer = None
        if error is not None:
            if not full:
                canvas.restore_region(self._background)
            return
        layer_key = self.layer_key(params, state) if self._layered else None
        if self._layer is not None and layer_key is not None and layer_key == self._layer_key:
            canvas.restore_region(self._layer)  # the middle layer as it was drawn last
        else:
            if not full:
                canvas.restore_region(self._background)
            self._draw_visible(self._layered)
            if layer_key is not None:
                self._layer = canvas.copy_from_bbox(self.figure.bbox)
                self._layer_key = layer_key
        self._draw_visible(self._animated)

    def _draw_visible(self, artists: list) -> None:
        for artist in artists:
            if artist.get_visible():
                self.figure.draw_artist(artist)

    def png(self, params: Params, state: State, palette: int | None = None) -> bytes:
        """PNG bytes of the figure for ``(params, state)`` (indexed colours if ``palette``)."""
        self.draw(params, state)
        return canvas_to_png(self.figure, palette=palette)

    __call__ = png


# --------------------------------------------------------------------------------------------
# Explorer
# --------------------------------------------------------------------------------------------


def _default_readout(params: Params, state: State) -> str:
    items = [
        f"{html.escape(k)} = {format_number(v)}"
        for k, v in state.items()
        if isinstance(v, numbers.Real) and not isinstance(v, bool)
    ]
    return "; ".join(items)


def _default_alt(params: Params, state: State) -> str:
    shown = ", ".join(f"{k} = {v}" for k, v in params.items())
    return f"Figure of the explorer for {shown}."


def wrap_to_width(text: str, width_pt: float, font: FontProperties) -> str:
    """``text`` with its words broken into lines at most ``width_pt`` points wide in ``font``
    (a word longer than a line keeps a line of its own); existing line breaks are kept.

    >>> from matplotlib.font_manager import FontProperties
    >>> wrap_to_width("one two three four", 60, FontProperties(size=12)).split("\\n")
    ['one two', 'three four']
    """
    measure = _TEXT_PATH

    def width(line: str) -> float:
        return measure.get_text_width_height_descent(line, font, ismath=False)[0]

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and width(candidate) > width_pt:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def _message_png(message: str) -> bytes:
    """A small image holding only ``message`` (when even the explorer's figure fails)."""
    with book_style():
        figure, ax = new_figure(6.0, 1.6)
        ax.set_axis_off()
        figure.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=11)
    return figure_to_png(figure)


#: Title of the message shown when an explorer's own code fails (a bug, not a reader's setting).
_INTERNAL_ERROR = "This explorer hit an internal error (please report it)"


def _error_state(error: BaseException, *, internal: bool = False) -> State:
    """The state shown for ``error``: its message (``internal``: a bug of the explorer)."""
    message = str(error) or type(error).__name__
    state: State = {"error": message, "error_type": type(error).__name__}
    if internal:
        state["internal"] = True
    return state


def _image_layout(pixel_width: int | None) -> widgets.Layout:
    """Layout of a figure: the box's width, never wider than the PNG's own pixels.

    No side margins (ipywidgets gives every widget 2 px): with them, an image of width 100%
    overflowed its box by 4 px and the explorer showed a scroll bar.
    """
    return widgets.Layout(
        width="100%",
        height="auto",
        margin="2px 0px",
        max_width=f"{pixel_width}px" if pixel_width else None,
    )


class Explorer(widgets.VBox):
    """An interactive figure, live in a kernel or precomputed for a static page.

    Parameters
    ----------
    controls : sequence of Control
        Built with :func:`slider` and :func:`choice`; names must be distinct.
    compute : callable
        ``compute(params) -> dict``: the numbers for one setting of the controls, from pgmlib
        (``params`` maps each control's name to its value). Exceptions are caught and shown.
    render : callable
        ``render(params, state)`` returning a matplotlib Figure (typically a
        :class:`FigureView`, updated in place) or encoded PNG bytes. ``state`` may hold an
        ``"error"`` message instead of numbers: show it.
    readout : callable, optional
        ``readout(params, state) -> str``: HTML text shown under the figure (the numbers, for
        screen readers too). Default: every real number of ``state``.
    alt : callable, optional
        ``alt(params, state) -> str``: plain-text description of the figure (its ``title``).
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE``, unset meaning "live".
    name : str
        Short identifier, used in the DOM class ``pgm-explorer-<name>``.
    update_controls : callable, optional
        ``update_controls(params, controls)``, live mode only: adjust the control widgets
        (e.g. disable one that the current choice does not use) before each recompute.
    static_key : callable, optional
        ``static_key(params) -> hashable``, static mode only: combinations of the controls
        with equal keys show the same frame, drawn once and stored once (for a control that
        some settings ignore, e.g. a map's parameter under a map without one). Default: every
        combination has a frame of its own.

    Attributes
    ----------
    mode : str
    controls : dict of str to ipywidgets widget
    state : dict
        The numbers of the setting on display (``{"error": ...}`` if it could not be computed).
    image : AltImage or None
        The live figure (None in static mode).
    frames : dict of tuple to AltImage
        Static mode: the frame of each combination of the shown controls' indices.
    links : list of ipywidgets.Link
        Static mode: the jslinks from each control's ``index`` to its stacks.
    stacks : dict of str to list of ipywidgets.Stack
        Static mode: the stacks driven by each shown control.
    frame_keys : dict of tuple to hashable
        Static mode: the ``static_key`` of each combination (equal keys: one shared frame).
    control_geometry : _ControlGeometry
        The description width shared by the controls and the room the sliders need (each
        step at least :data:`MIN_STEP_PX` pixels of track); a control row wraps its track
        under its label when the row is too narrow for both.

    Examples
    --------
    >>> import numpy as np
    >>> def compute(params):
    ...     return {"square": params["a"] ** 2}
    >>> def render(params, state):  # any function returning a Figure or PNG bytes works too
    ...     from pgmlib.plotting import book_style, new_figure
    ...     with book_style():
    ...         fig, ax = new_figure(3, 2)
    ...     ax.bar([0], [state["square"]])
    ...     return fig
    >>> e = Explorer([slider("a", np.linspace(0, 2, 5), description="a")], compute, render,
    ...              mode="static")
    >>> len(e.frames), len(e.links), e.state
    (5, 1, {'square': 1.0})
    >>> e.set(a=2.0)
    >>> e.state, e.stacks["a"][0].selected_index
    ({'square': 4.0}, 4)
    """

    def __init__(
        self,
        controls: Sequence[Control],
        compute: Callable[[Params], State],
        render: Callable[[Params, State], Any],
        *,
        readout: Callable[[Params, State], str] | None = None,
        alt: Callable[[Params, State], str] | None = None,
        mode: str | None = None,
        name: str = "explorer",
        update_controls: Callable[[Params, dict], None] | None = None,
        static_key: Callable[[Params], Hashable] | None = None,
    ) -> None:
        mode = resolve_mode(mode)
        specs = list(controls)
        if not specs or not all(isinstance(c, Control) for c in specs):
            raise TypeError("`controls` must be a non-empty sequence of Control (see slider())")
        names = [c.name for c in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct; got {names}")
        for label, fn in (("compute", compute), ("render", render)):
            if not callable(fn):
                raise TypeError(f"`{label}` must be callable; got {fn!r}")
        if static_key is not None and not callable(static_key):
            raise TypeError(f"`static_key` must be callable or None; got {static_key!r}")
        self._specs = {c.name: c for c in specs}
        self._compute, self._render = compute, render
        self._readout = readout or _default_readout
        self._alt = alt or _default_alt
        self._update_controls = update_controls
        self._static_key = static_key
        self.mode, self.name = mode, _check_name(name)
        self.state: State = {}
        self.image: AltImage | None = None
        self.frames: dict[tuple[int, ...], AltImage] = {}
        self.links: list = []
        self.stacks: dict[str, list] = {}
        self.frame_keys: dict[tuple[int, ...], Hashable] = {}
        self._static_states: dict[tuple[int, ...], State] = {}
        self._frame_boxes: dict[tuple[int, ...], widgets.VBox] = {}
        self._shown: list[str] = []
        self.control_geometry = _ControlGeometry(0, 0, 0)
        if mode == "live":
            children = self._build_live()
        else:
            children = self._build_static()
        super().__init__(children)
        self.add_class("pgm-explorer")
        self.add_class(f"pgm-explorer-{self.name}")
        self.add_class(f"pgm-mode-{mode}")

    def __repr__(self) -> str:
        frames = f", {len(self.frames)} frames" if self.mode == "static" else ""
        return (
            f"Explorer({self.name!r}, mode={self.mode!r}, controls={list(self.controls)}{frames})"
        )

    # -- shared ------------------------------------------------------------------------------

    @property
    def params(self) -> Params:
        """The current value of every control (fixed ones included in static mode)."""
        values = {name: spec.value for name, spec in self._specs.items()}
        if self.mode == "static":
            values.update(
                {
                    n: s.static_values[0]
                    for n, s in self._specs.items()
                    if s.value not in s.static_values
                }
            )
        values.update({name: w.value for name, w in self.controls.items()})
        return values

    def set(self, **values: Any) -> None:
        """Move controls from Python, as a reader would (the observers run).

        A slider value is snapped to the nearest value the slider offers.
        """
        for name, value in values.items():
            widget = self.controls[self._known(name)]
            widget.value = self._option(name, value)

    def _known(self, name: str) -> str:
        if name not in self.controls:
            raise KeyError(f"no control {name!r} shown; controls: {sorted(self.controls)}")
        return name

    def _option(self, name: str, value: Any) -> Any:
        """The option of control ``name`` matching ``value`` (nearest one for a slider)."""
        spec, widget = self._specs[name], self.controls[name]
        options = [v for _, v in widget.options]
        if spec.kind == "slider":
            return _snap(np.asarray(options), value, f"value of {name!r}")
        if value not in options:
            raise ValueError(f"value of {name!r} must be one of {options}; got {value!r}")
        return value

    def _make_control(self, spec: Control, static: bool) -> widgets.ValueWidget:
        values = spec.static_values if static else spec.values
        options = [(spec.label(v), v) for v in values]
        value = spec.value if spec.value in values else values[0]
        # the description also as the label's title: ipywidgets writes a missing tooltip as
        # the text "null", shown on hovering over the label
        common = dict(
            options=options, value=value, description=spec.description, tooltip=spec.description
        )
        if spec.kind == "slider":
            widget = widgets.SelectionSlider(**common, continuous_update=True)
        else:
            widget = widgets.ToggleButtons(**common, style={"button_width": "auto"})
            # a row like a slider's: the description right-aligned in its column, then buttons
            widget.add_class("widget-inline-hbox")
        widget.add_class("pgm-control")
        widget.add_class(f"pgm-control-{spec.name}")
        return widget

    def _shape_controls(self, geometry: _ControlGeometry | None = None) -> None:
        """Give every shown control one description width (``geometry``, default this
        explorer's own); an :class:`ExplorerGroup` passes the geometry of all its parts."""
        if geometry is None:
            geometry = _ControlGeometry.of(list(self.controls.values()), self._pixel_width())
        self.control_geometry = geometry
        for widget in self.controls.values():
            geometry.apply(widget)

    def _evaluate(self, params: Params, palette: int | None) -> tuple[State, bytes]:
        """compute then render to PNG, turning any exception into a message on the figure."""
        try:
            state = dict(self._compute(params))
        except Exception as error:
            state = _error_state(error)
        return self._picture(params, state, palette)

    def _picture(self, params: Params, state: State, palette: int | None) -> tuple[State, bytes]:
        """``state`` rendered to PNG; if the render fails, its message is shown instead."""
        try:
            return state, self._draw(params, state, palette)
        except Exception as error:
            state = _error_state(error)
        try:
            return state, self._draw(params, state, palette)
        except Exception:
            return state, _message_png(state["error"])

    def _draw(self, params: Params, state: State, palette: int | None) -> bytes:
        if isinstance(self._render, FigureView):
            return self._render.png(params, state, palette=palette)
        drawn = self._render(params, state)
        if isinstance(drawn, (bytes, bytearray)):
            return bytes(drawn)
        if isinstance(drawn, Figure):
            return figure_to_png(drawn, palette=palette)
        raise TypeError(f"`render` must return a matplotlib Figure or bytes; got {drawn!r}")

    def _texts(self, params: Params, state: State) -> tuple[str, str]:
        if "error" in state:
            message = html.escape(str(state["error"]))
            if state.get("internal"):
                return f"<b>{_INTERNAL_ERROR}:</b> {message}", f"Message: {state['error']}"
            return f"<b>Not defined here:</b> {message}", f"Message: {state['error']}"
        return self._readout(params, state), self._alt(params, state)

    # -- live --------------------------------------------------------------------------------

    def _build_live(self) -> list:
        self.controls = {n: self._make_control(s, static=False) for n, s in self._specs.items()}
        self._shape_controls()
        self.image = AltImage(format="png", layout=_image_layout(self._pixel_width()))
        self.image.add_class("pgm-figure")
        self.readout = widgets.HTML()
        self.readout.add_class("pgm-readout")
        self.refresh()
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        return [widgets.VBox(list(self.controls.values())), self.image, self.readout]

    def _pixel_width(self) -> int | None:
        figure = getattr(self._render, "figure", None)
        if isinstance(figure, Figure):
            return round(figure.get_figwidth() * figure.dpi)
        return None

    def _on_change(self, change: Any = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute and redraw the live figure for the current controls.

        The new PNG and its text alternative reach the front end in one message (the browser
        decodes one image per move), the readout in another. An exception in
        ``update_controls`` is a bug of the explorer: it is logged with its traceback (logger
        ``pgmlib.widgets._core``) and its message shown over the figure and in the readout.
        """
        if self.mode != "live":
            return
        params = self.params
        failure = self._adjust_controls(params)
        if failure is None:
            state, png = self._evaluate(params, None)
        else:
            state, png = self._picture(params, failure, None)
        text, alt = self._texts(params, state)
        self.state = state
        with self.image.hold_sync():
            self.image.value = png
            self.image.tooltip = alt
        self.readout.value = f'<div class="pgm-readout-text" aria-live="polite">{text}</div>'

    def _adjust_controls(self, params: Params) -> State | None:
        """Run ``update_controls``; None, or the error state of the exception it raised."""
        if self._update_controls is None:
            return None
        with contextlib.ExitStack() as held:  # one message per control it changes
            for widget in self.controls.values():
                held.enter_context(widget.hold_sync())
            try:
                self._update_controls(params, self.controls)
            except Exception as error:
                _LOG.exception("update_controls of the %r explorer failed at %r", self.name, params)
                return _error_state(error, internal=True)
            for widget in self.controls.values():
                widget.tooltip = widget.description
        return None

    def time_move(self, name: str, value: Any) -> float:
        """Seconds taken to move control ``name`` to ``value`` (compute + render + encode)."""
        if self.mode != "live":
            raise RuntimeError("time_move() measures the live mode; this explorer is static")
        widget = self.controls[self._known(name)]
        value = self._option(name, value)
        start = time.perf_counter()
        if widget.value == value:
            self.refresh()
        else:
            widget.value = value
        return time.perf_counter() - start

    def current_png(self) -> bytes:
        """The bytes of the image on display."""
        if self.mode == "live":
            return bytes(self.image.value)
        index = tuple(self.controls[n].index for n in self._shown)
        return bytes(self.frames[index].value)

    # -- static ------------------------------------------------------------------------------

    def _build_static(self) -> list:
        shown = [s for s in self._specs.values() if len(s.static_values) > 1]
        self._shown = [s.name for s in shown]
        self.controls = {s.name: self._make_control(s, static=True) for s in shown}
        self._shape_controls()
        base = self.params
        # One Layout / style model shared by all frames: the page embeds every model's state,
        # and a private Layout per widget would cost about 1 KB per frame.
        self._shared = {
            "image": _image_layout(self._pixel_width()),
            "box": widgets.Layout(),
            "html": widgets.Layout(),
            "style": HTMLStyle(),
        }
        drawn: dict[Hashable, tuple[AltImage, widgets.VBox, State]] = {}
        for combo in itertools.product(*(range(len(s.static_values)) for s in shown)):
            params = dict(base)
            params.update({s.name: s.static_values[i] for s, i in zip(shown, combo, strict=True)})
            key = combo if self._static_key is None else self._static_key(params)
            if key not in drawn:
                drawn[key] = self._static_frame(params)
            self.frame_keys[combo] = key
            self.frames[combo], self._frame_boxes[combo], self._static_states[combo] = drawn[key]
        display = self._nest(shown, ())
        for spec in shown:
            widget = self.controls[spec.name]
            for stack in self.stacks[spec.name]:
                self.links.append(widgets.jslink((widget, "index"), (stack, "selected_index")))
            widget.observe(self._on_static_change, names="index")
        self._sync_static_state()
        children = [widgets.VBox(list(self.controls.values())), display]
        note = self._fixed_note()
        if note:
            children.append(note)
        return children

    def _static_frame(self, params: Params) -> tuple[AltImage, widgets.VBox, State]:
        """One precomputed frame: the image, its box (image + readout) and the state."""
        state, png = self._evaluate(params, STATIC_PALETTE)
        text, alt = self._texts(params, state)
        image = AltImage(value=png, format="png", tooltip=alt, layout=self._shared["image"])
        image.add_class("pgm-figure")
        readout = widgets.HTML(
            f'<div class="pgm-readout-text">{text}</div>',
            layout=self._shared["html"],
            style=self._shared["style"],
        )
        readout.add_class("pgm-readout")
        box = widgets.VBox([image, readout], layout=self._shared["box"])
        box.add_class("pgm-frame")
        return image, box, state

    def _nest(self, shown: list[Control], prefix: tuple[int, ...]) -> widgets.Widget:
        level = len(prefix)
        if level == len(shown):
            return self._frame_boxes[prefix]
        spec = shown[level]
        children = [self._nest(shown, (*prefix, i)) for i in range(len(spec.static_values))]
        stack = widgets.Stack(
            children, selected_index=self.controls[spec.name].index, layout=self._shared["box"]
        )
        stack.add_class("pgm-frames")
        self.stacks.setdefault(spec.name, []).append(stack)
        return stack

    def _on_static_change(self, change: Any) -> None:
        # In the browser the jslinks do this; here Python (tests, a kernel) follows suit.
        name = next(n for n, w in self.controls.items() if w is change["owner"])
        for stack in self.stacks[name]:
            stack.selected_index = change["new"]
        self._sync_static_state()

    def _sync_static_state(self) -> None:
        index = tuple(self.controls[n].index for n in self._shown)
        self.state = self._static_states[index]

    def _fixed_note(self) -> widgets.HTML | None:
        """The note under a static explorer naming the controls fixed on the page.

        "Fixed on this page: a = 1.0; b: label. Run the notebook (JupyterLab, Binder) to move
        them too." (a slider reads "description = value", a choice "description: label").
        """
        fixed = [s for s in self._specs.values() if len(s.static_values) == 1 and len(s.values) > 1]
        if not fixed:
            return None
        items = "; ".join(
            f"{html.escape(s.description)}{' = ' if s.kind == 'slider' else ': '}"
            f"{html.escape(s.label(s.static_values[0]))}"
            for s in fixed
        )
        note = widgets.HTML(
            f'<p class="pgm-note-text">Fixed on this page: {items}. Run the notebook '
            f"(JupyterLab, Binder) to move {'it' if len(fixed) == 1 else 'them'} too.</p>"
        )
        note.add_class("pgm-note")
        return note

    def static_bytes(self) -> int:
        """Total size of the precomputed frames (PNG bytes, before base64; a shared frame once)."""
        distinct = {id(image): image for image in self.frames.values()}
        return sum(len(image.value) for image in distinct.values())


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------


class ExplorerGroup(widgets.VBox):
    """Several explorers shown one after the other under headings, driven as one.

    ``controls`` and ``state`` merge those of the parts (names must be distinct);
    ``parts`` maps each part's name to its :class:`Explorer`.
    """

    def __init__(self, parts: Sequence[tuple[str, Explorer]], *, name: str) -> None:
        children, self.parts = [], {}
        for heading, part in parts:
            if not isinstance(part, Explorer):
                raise TypeError(f"each part must be an Explorer; got {part!r}")
            title = widgets.HTML(f'<p class="pgm-part-title"><b>{html.escape(heading)}</b></p>')
            children += [title, part]
            self.parts[part.name] = part
        modes = {part.mode for part in self.parts.values()}
        if len(modes) != 1:
            raise ValueError(f"all parts must share one mode; got {sorted(modes)}")
        names = [n for part in self.parts.values() for n in part.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct across parts; got {names}")
        keys = [k for part in self.parts.values() for k in part.state if k != "error"]
        if len(set(keys)) != len(keys):
            raise ValueError(f"state keys must be distinct across parts; got {keys}")
        # one description width for the whole group: the parts' tracks start at one x
        geometries = [part.control_geometry for part in self.parts.values()]
        geometry = geometries[0]
        for other in geometries[1:]:
            geometry = geometry.merge(other)
        for part in self.parts.values():
            part._shape_controls(geometry)
        super().__init__(children)
        self.mode, self.name = modes.pop(), _check_name(name)
        self.add_class("pgm-explorer-group")
        self.add_class(f"pgm-explorer-{self.name}")

    def __repr__(self) -> str:
        return f"ExplorerGroup({self.name!r}, mode={self.mode!r}, parts={list(self.parts)})"

    @property
    def controls(self) -> dict:
        return {n: w for part in self.parts.values() for n, w in part.controls.items()}

    @property
    def state(self) -> State:
        merged: State = {}
        for part in self.parts.values():
            merged.update(part.state)
        return merged

    def part_of(self, control: str) -> Explorer:
        """The part that owns control ``control``."""
        for part in self.parts.values():
            if control in part.controls:
                return part
        raise KeyError(f"no control {control!r}; controls: {sorted(self.controls)}")

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            self.part_of(name).set(**{name: value})

    def time_move(self, name: str, value: Any) -> float:
        return self.part_of(name).time_move(name, value)

    def static_bytes(self) -> int:
        return sum(part.static_bytes() for part in self.parts.values())
