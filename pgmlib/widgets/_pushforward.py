"""Explorer for section 1.3: pushforwards of a source through a map (Figure 1.2, eq. (1.5))."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import pushforward as pf
from ..plotting._pushforward import (
    plot_source_bins,
    plot_stacked_histogram,
    source_bin_polygons,
)
from ..plotting._style import add_note, bin_colours
from ._core import (
    LEGEND,
    Explorer,
    FigureView,
    choice,
    format_number,
    freeze_widest_layout,
    nice_ceil,
    nice_limits,
    slider,
)

__all__ = ["pushforward_explorer"]

N_SAMPLES = 300_000
N_SOURCE_BINS = 10
N_TARGET_BINS = 60
SEED = 2026

_SOURCES = {"Gaussian N(m, s²)": "gaussian", "Uniform U[m, m + s]": "uniform"}
#: pgmlib's maps (each with its labels), at the default parameter c = 2.
_CATALOGUE = pf.map_catalogue()
#: Short button labels of the maps, T(x) after the control's description "map T(x) =" (six
#: buttons in one row at 592 px; the readout and the figure name each map in full: ``name``
#: and ``label`` of :func:`pgmlib.map_catalogue`'s maps). x - c sign(x) is the sign-wise split
#: x + c if x < 0, x - c if x >= 0.
_MAP_BUTTONS = {
    "square": "x²",
    "log1p_square": "log(1 + x²)",
    "probit": "Φ⁻¹(x)",
    "exp": "exp(x)",
    "sign_split": "x − c·sign(x)",
    "affine": "c·x + 1",
}
#: The row of map buttons, those without a parameter first (on the static page, the parameter slider
#: changes the figure under the last map of the list, where a reader jumping to the end lands).
_MAPS = {
    _MAP_BUTTONS[key]: key
    for key, tmap in sorted(_CATALOGUE.items(), key=lambda item: item[1].parameter is not None)
}
#: The parameter slider's description under each map that has a parameter, in a kernel (the
#: static page keeps "map parameter c"; short: every description shares one label column).
_PARAMETER_NAMES = {"sign_split": "shift c", "affine": "slope c"}
_PARAMETER_UNUSED = "c (unused)"
#: Values of the map parameter c on the static page (c = 2 is the notes' split x -/+ 2).
_PARAMETER_STATIC = [0.5, 1.0, 2.0]


#: Axis limits whose tick labels are the widest each panel shows (the longest y labels, "0.05"
#: and "0.02", and the largest x labels, an exp map's): the layout leaves room for all of them,
#: and the axis labels stay where these put them (``pin_axis_labels``).
_WIDEST_LIMITS = (
    {0: ((-4.0, 4.0), (0.0, 0.2)), 1: ((0.0, 10.0), (0.0, 0.025))},
    {0: ((-14.0, 14.0), (0.0, 6.0)), 1: ((-12.0, 12.0), (0.0, 1.5))},
    {0: ((-10.0, 10.0), (0.0, 0.2)), 1: ((0.0, 80_000.0), (0.0, 0.2))},
)


def _source(params: dict[str, Any]) -> pf.Source:
    loc, scale = float(params["location"]), float(params["scale"])
    if params["source"] == "gaussian":
        return pf.gaussian_source(loc, scale)
    return pf.uniform_source(loc, loc + scale)


def _map(params: dict[str, Any]) -> pf.PushforwardMap:
    return pf.map_catalogue(float(params["parameter"]))[params["map"]]


#: Standard sources: the draws of a setting are ``loc + scale * z`` for standard draws ``z``.
_STANDARD = {"gaussian": pf.gaussian_source(), "uniform": pf.uniform_source()}


class _SourceDraws:
    """The source draws of a setting, and their source slices, from standard draws made once.

    ``Source.sample`` of a Gaussian or uniform source with a seeded generator is
    ``loc + scale * z`` for the generator's standard normal or uniform draws ``z``: the
    standard draws are made once (seed ``SEED``) and each setting rescales them, bit for bit
    what ``source.sample(N_SAMPLES, np.random.default_rng(SEED))`` returns. A move of the
    location or scale shifts and stretches the same draws; a move of the map re-maps them.

    The equal-mass slices of the draws do not move with them: the edges of the source are
    ``loc + scale * e`` for the standard edges ``e`` (:func:`pgmlib.quantile_bin_index`), so
    ``z`` is binned once per family. Exactly, not only up to rounding: :meth:`slices` hands
    them out only when no standard draw lies so close to a standard edge that rounding
    ``loc + scale * z`` and ``loc + scale * e`` could put it on the other side (the nearest
    lies about 1.4e-7 from an edge; at the sliders' settings rounding moves a point by less
    than 1e-14). The slices are those of the draws; ``pushforward_experiment`` checks a
    sample of them again.
    """

    def __init__(self) -> None:
        self._standard: dict[str, np.ndarray] = {}
        self._slices: dict[str, tuple[np.ndarray, float, float]] = {}
        self._last: tuple[tuple, np.ndarray] | None = None  # a move of the map keeps the draws

    def standard(self, family: str) -> np.ndarray:
        """The standard draws ``z`` of a family (made on first use)."""
        if family not in self._standard:
            rng = np.random.default_rng(SEED)
            draw = rng.standard_normal if family == "gaussian" else rng.random
            self._standard[family] = draw(N_SAMPLES)
        return self._standard[family]

    def __call__(self, params: dict[str, Any]) -> np.ndarray:
        family, loc, scale = params["source"], float(params["location"]), float(params["scale"])
        if self._last is not None and self._last[0] == (family, loc, scale):
            return self._last[1]
        z = self.standard(family)
        if family == "gaussian":
            x = loc + scale * z
        else:
            high = loc + scale  # numpy's uniform(low, high) scales by high - low
            x = loc + (high - loc) * z
        x.flags.writeable = False  # shared by the moves that keep the source
        self._last = ((family, loc, scale), x)
        return x

    def slices(self, params: dict[str, Any]) -> np.ndarray | None:
        """The source slice of each draw of ``params``, or None if rounding could move one."""
        family = params["source"]
        if family not in self._slices:
            z, standard = self.standard(family), _STANDARD[family]
            edges = pf.quantile_bin_edges(standard, N_SOURCE_BINS)
            edges = edges[np.isfinite(edges)]  # the uniform's ends too: x <= loc + scale
            gap = min(float(np.min(np.abs(z[z != e] - e))) for e in edges)
            reach = max(float(np.max(np.abs(z))), float(np.max(np.abs(edges))))
            self._slices[family] = (pf.quantile_bin_index(standard, z, N_SOURCE_BINS), gap, reach)
        bins, gap, reach = self._slices[family]
        loc, scale = abs(float(params["location"])), float(params["scale"])
        # Rounding is monotone, so z >= e gives x >= its edge; z < e keeps x below its edge if
        # the two stay apart through the rounding of scale * t (eps/2 scale |t| each) and of
        # loc + scale * t (eps/2 (|loc| + scale |t|) each): scale * (e - z) > eps (|loc| +
        # 2 scale reach) is enough, and the test below asks for twice that.
        return bins if scale * gap > 4 * np.finfo(float).eps * (loc + scale * reach) else None


def _make_state(draws: _SourceDraws):
    def compute(params: dict[str, Any]) -> dict[str, Any]:
        source, tmap = _source(params), _map(params)
        run = pf.pushforward_experiment(
            source,
            tmap,
            n_source_bins=N_SOURCE_BINS,
            n_target_bins=N_TARGET_BINS,
            target_range="quantiles",
            n_grid=600,
            draws=draws(params),
            source_bins=draws.slices(params),
        )
        x_low, x_high = source.plot_range
        finite_edges = run.source_edges[np.isfinite(run.source_edges)]
        source_grid = np.union1d(np.linspace(x_low, x_high, 600), finite_edges)
        return {
            "source_name": source.name,
            "map_name": tmap.name,
            "source_edges": run.source_edges,
            "target_edges": run.target_edges,
            "mass": run.mass,
            "mass_shown": float(run.mass.sum()),
            "mass_beyond": float(1.0 - run.mass.sum()),
            "target_grid": run.target_grid,
            "target_pdf": run.target_pdf,
            "n_branches": len(tmap.branches),
            "source_grid": source_grid,
            "source_pdf": source.pdf(source_grid),
            "source_latex": source.latex,
            "map_label": tmap.formula,
        }

    return compute


class _PushforwardView(FigureView):
    """Figure 1.2's two panels side by side, 6.5 in (585 px) wide at 90 dpi.

    The legend sits above the right panel, outside the data; the notes naming the source and
    the map are plain text (cheaper to draw on each move than mathtext). The layout is computed
    once, with the widest tick labels the panels can show (:func:`freeze_widest_layout`), and
    the axis labels stay where those put them (``pin_axis_labels=True``). The source panel is
    the middle layer: a move of the map or of ``c`` restores it instead of drawing it. The
    axis limits follow the data (:func:`nice_limits`, :func:`nice_ceil`), so a move that
    changes them redraws the panel whose limits changed (``panels``: a move of the map redraws
    the histogram's panel only); at most five short tick labels per axis keep that cheap.
    """

    width, height, ncols = 6.5, 2.9, 2
    width_ratios = (1, 1.2)
    #: Each panel's share of the figure: the source panel and its labels end left of 0.45 of
    #: the width, the histogram's (its y label pinned) start right of 0.468 (tests check it).
    panels: ClassVar = {0: (0.0, 0.0, 0.459, 1.0), 1: (0.459, 0.0, 1.0, 1.0)}

    def setup(self) -> None:
        # The panels of Figure 1.2, drawn by its own helpers on placeholder data (each move
        # replaces the data): the explorer and the figure stay in step.
        left, right = self.axes
        colours = bin_colours(N_SOURCE_BINS)
        plot_source_bins([0.0, 1.0], [1.0, 1.0], [0.0, 1.0], colours=colours, ax=left)
        self.polys, self.pdf_line = left.collections[-1], left.lines[-1]
        left.set_ylabel("density")
        left.set_xlabel("$x$")
        self.source_label = add_note(left, fontsize=10)
        edges = np.linspace(0.0, 1.0, N_TARGET_BINS + 1)
        placeholder = np.full((N_SOURCE_BINS, N_TARGET_BINS), 0.01)
        density = ([0.0, 1.0], [0.0, 0.0])
        plot_stacked_histogram(edges, placeholder, colours, ax=right, density=density)
        self.steps, self.overlay = right.patches[-N_SOURCE_BINS:], right.lines[-1]
        right.set_ylabel("probability mass per bin")
        right.set_xlabel("$y = T(x)$")
        # above the panel, right-aligned: never over the histogram or its notes
        right.legend(
            **LEGEND, loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1, fontsize=9.5
        )
        self.map_label = add_note(right, fontsize=10)
        for ax in (left, right):  # few, short tick labels: a change of limits redraws them all
            ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
            ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
        # the source panel depends on the source only: a move of the map or of c restores it
        self.animate(self.polys, self.pdf_line, self.source_label, layer=True)
        self.animate(*self.steps, self.overlay, self.map_label)
        freeze_widest_layout(self.figure, _WIDEST_LIMITS, pin_axis_labels=True)

    def layer_key(self, params: dict[str, Any], state: dict[str, Any]) -> tuple:
        """The middle layer is the source panel: the source, its location and its scale."""
        return (params["source"], params["location"], params["scale"])

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        left, right = self.axes
        grid, pdf = state["source_grid"], state["source_pdf"]
        self.polys.set_verts(source_bin_polygons(grid, pdf, state["source_edges"]))
        self.pdf_line.set_data(grid, pdf)
        left.set_xlim(*nice_limits(grid[0], grid[-1]))
        left.set_ylim(0, nice_ceil(1.3 * float(pdf.max())))
        self.source_label.set_text(f"X ~ {state['source_name']}")
        edges, mass = state["target_edges"], state["mass"]
        tops = np.cumsum(mass, axis=0)
        bottoms = np.vstack((np.zeros(mass.shape[1]), tops[:-1]))
        for patch, top, bottom in zip(self.steps, tops, bottoms, strict=True):
            patch.set_data(top, edges, bottom)
        width = float(edges[1] - edges[0])
        self.overlay.set_data(state["target_grid"], state["target_pdf"] * width)
        right.set_xlim(*nice_limits(edges[0], edges[-1]))
        right.set_ylim(0, nice_ceil(1.35 * max(float(tops[-1].max()), 1e-12)))
        self.map_label.set_text(f"y = {state['map_name']}")


def _readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    beyond = state["mass_beyond"]
    where = (
        f"{format_number(100 * beyond, 3)}% of the draws fall outside the plotted range"
        if beyond > 0
        else "every draw falls inside the plotted range"
    )
    branches = state["n_branches"]
    how = (
        "eq. (1.5) with the map's single inverse"
        if branches == 1
        else f"eq. (1.5) summed over the map's {branches} inverse branches"
    )
    return (
        f"X ~ {state['source_name']}, T = {state['map_name']}: {N_SAMPLES:,} draws, "
        f"{N_SOURCE_BINS} equal-mass source slices, {N_TARGET_BINS} target bins; {where}. "
        f"Dashed: the exact density of T(X) from {how}, times the bin width."
    )


def _alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    low, high = state["target_edges"][0], state["target_edges"][-1]
    return (
        f"Left: the density of X ~ {state['source_name']} cut into {N_SOURCE_BINS} "
        "equal-mass slices coloured from dark purple to yellow-green. Right: the histogram of "
        f"T(X) for T = {state['map_name']} on [{format_number(low, 3)}, "
        f"{format_number(high, 3)}], each bar stacked by the slice its mass came from, with "
        "the exact density dashed."
    )


def _static_key(params: dict[str, Any]) -> tuple:
    """One frame for every value of c under a map that has no parameter (static page)."""
    used = _CATALOGUE[params["map"]].parameter is not None
    return tuple(sorted({**params, "parameter": params["parameter"] if used else None}.items()))


def _update_controls(params: dict[str, Any], controls: dict) -> None:
    widget = controls["parameter"]
    widget.disabled = _CATALOGUE[params["map"]].parameter is None
    widget.description = _PARAMETER_NAMES.get(params["map"], _PARAMETER_UNUSED)


def pushforward_explorer(mode: str | None = None) -> Explorer:
    """Explorer of section 1.3: push a Gaussian or uniform source through a map.

    Controls: the source (Gaussian :math:`\\mathcal{N}(m, s^2)` or uniform
    :math:`\\mathcal{U}[m, m + s]`) with its location ``m`` and scale ``s``; the map
    (:math:`x^2`, :math:`\\log(1 + x^2)`, the probit :math:`\\Phi^{-1}`, :math:`e^x`, the
    sign-wise split :math:`x - c\\,\\mathrm{sign}(x)` (:math:`x + c` if :math:`x < 0`,
    :math:`x - c` if :math:`x \\ge 0`), affine :math:`c x + 1`: one toggle button each) and its
    parameter ``c`` where it has one. Left: the source density cut into 10 equal-mass slices
    (:func:`pgmlib.quantile_bin_edges`). Right: the histogram of :math:`T(X)` from 300,000 draws
    stacked by source slice (:func:`pgmlib.stacked_pushforward_histogram`), with the exact
    density from the change of variables (eq. (1.5), summed over inverse branches:
    :meth:`pgmlib.PushforwardMap.pushforward_pdf`). A source reaching outside the map's domain
    (the probit map and a Gaussian source) shows a message instead of a histogram.

    Every number comes from :func:`pgmlib.pushforward_experiment`, passed as its ``draws``
    what ``source.sample(300_000, np.random.default_rng(2026))`` returns: one set of standard
    draws is made once per source family and shifted and scaled for each setting, so moving the
    location or scale moves the same draws and moving the map re-maps them. Their equal-mass
    slices, passed as ``source_bins``, are binned once per family too: the slice of
    ``m + s z`` is the slice of ``z`` (:func:`pgmlib.quantile_bin_index`). The target axis
    spans the images of the source's 0.1%-99.9% quantiles (``target_range="quantiles"``,
    :func:`pgmlib.pushforward_range`) and the readout gives the mass beyond it. The figure
    (6.5 in, 585 px wide; the legend above the histogram) and the texts name each map by its
    own ``name`` (:func:`pgmlib.map_catalogue`); the buttons carry short forms of the formulas,
    so that the six fit one row.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``source``, ``location``, ``scale``, ``map``, ``parameter``. Static: location
        0 fixed; source (2) x scale (3: 0.5, 1, 2) x map (6) x c (3: 0.5, 1, 2) combinations,
        60 distinct frames (a map without a parameter shows one frame for every c).
    """
    controls = [
        choice("source", _SOURCES, description="source X"),
        slider(
            "location",
            np.round(np.arange(-2.0, 2.0001, 0.1), 10),
            value=0.0,
            description="location m",
            fmt="{:.1f}",
            static_grid=[0.0],
        ),
        slider(
            "scale",
            np.round(np.arange(0.25, 3.0001, 0.05), 10),
            value=1.0,
            description="scale s",
            static_grid=[0.5, 1.0, 2.0],
        ),
        choice("map", _MAPS, description="map T(x) ="),
        slider(
            "parameter",
            np.round(np.arange(0.5, 3.0001, 0.1), 10),
            value=2.0,
            description="map parameter c",
            fmt="{:.1f}",
            static_grid=_PARAMETER_STATIC,
        ),
    ]
    return Explorer(
        controls,
        _make_state(_SourceDraws()),
        _PushforwardView(),
        readout=_readout,
        alt=_alt,
        mode=mode,
        name="pushforward",
        update_controls=_update_controls,
        static_key=_static_key,
    )
