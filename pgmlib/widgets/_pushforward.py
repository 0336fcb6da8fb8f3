"""Explorer for section 1.3: pushforwards of a source through a map (Figure 1.2, eq. (1.5))."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

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
#: The menu of maps, those without a parameter first (on the static page, the parameter slider
#: changes the figure under the last map of the list, where a reader jumping to the end lands).
_MAPS = {
    tmap.label: key
    for key, tmap in sorted(_CATALOGUE.items(), key=lambda item: item[1].parameter is not None)
}
#: Values of the map parameter c on the static page (c = 2 is the notes' split x -/+ 2).
_PARAMETER_STATIC = [0.5, 1.0, 2.0]


def _source(params: dict[str, Any]) -> pf.Source:
    loc, scale = float(params["location"]), float(params["scale"])
    if params["source"] == "gaussian":
        return pf.gaussian_source(loc, scale)
    return pf.uniform_source(loc, loc + scale)


def _map(params: dict[str, Any]) -> pf.PushforwardMap:
    return pf.map_catalogue(float(params["parameter"]))[params["map"]]


class _SampleCache:
    """Source draws, drawn once per source setting (same seed: frames differ only by the map).

    A move of the map or its parameter, or back to a recent source setting, reuses the draws.
    """

    def __init__(self, size: int = 4) -> None:
        self._store: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._size = size

    def __call__(self, key: tuple, source: pf.Source) -> np.ndarray:
        if key in self._store:
            self._store.move_to_end(key)
            return self._store[key]
        x = source.sample(N_SAMPLES, np.random.default_rng(SEED))
        self._store[key] = x
        if len(self._store) > self._size:
            self._store.popitem(last=False)
        return x


def _make_state(cache: _SampleCache):
    def compute(params: dict[str, Any]) -> dict[str, Any]:
        source, tmap = _source(params), _map(params)
        key = (params["source"], float(params["location"]), float(params["scale"]))
        run = pf.pushforward_experiment(
            source,
            tmap,
            n_source_bins=N_SOURCE_BINS,
            n_target_bins=N_TARGET_BINS,
            target_range="quantiles",
            n_grid=600,
            draws=cache(key, source),
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
    width, height, ncols = 7.8, 3.1, 2
    width_ratios = (1, 1.3)

    def setup(self) -> None:
        # The panels of Figure 1.2, drawn by its own helpers on placeholder data (each move
        # replaces the data): the explorer and the figure stay in step.
        left, right = self.axes
        colours = bin_colours(N_SOURCE_BINS)
        plot_source_bins([0.0, 1.0], [1.0, 1.0], [0.0, 1.0], colours=colours, ax=left)
        self.polys, self.pdf_line = left.collections[-1], left.lines[-1]
        left.set_ylabel("density")
        left.set_xlabel("$x$")
        self.source_label = add_note(left, fontsize=10.5)
        edges = np.linspace(0.0, 1.0, N_TARGET_BINS + 1)
        placeholder = np.full((N_SOURCE_BINS, N_TARGET_BINS), 0.01)
        density = ([0.0, 1.0], [0.0, 0.0])
        plot_stacked_histogram(edges, placeholder, colours, ax=right, density=density)
        self.steps, self.overlay = right.patches[-N_SOURCE_BINS:], right.lines[-1]
        right.set_ylabel("probability mass per bin")
        right.set_xlabel("$y = T(x)$")
        legend = right.legend(**LEGEND, loc="upper right", bbox_to_anchor=(1.0, 0.86))
        self.map_label = add_note(right, fontsize=10.5)
        self.animate(
            self.polys,
            self.pdf_line,
            self.source_label,
            *self.steps,
            self.overlay,
            legend,
            self.map_label,
        )

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        left, right = self.axes
        grid, pdf = state["source_grid"], state["source_pdf"]
        self.polys.set_verts(source_bin_polygons(grid, pdf, state["source_edges"]))
        self.pdf_line.set_data(grid, pdf)
        left.set_xlim(*nice_limits(grid[0], grid[-1]))
        left.set_ylim(0, nice_ceil(1.3 * float(pdf.max())))
        self.source_label.set_text(rf"$X \sim {state['source_latex']}$")
        edges, mass = state["target_edges"], state["mass"]
        tops = np.cumsum(mass, axis=0)
        bottoms = np.vstack((np.zeros(mass.shape[1]), tops[:-1]))
        for patch, top, bottom in zip(self.steps, tops, bottoms, strict=True):
            patch.set_data(top, edges, bottom)
        width = float(edges[1] - edges[0])
        self.overlay.set_data(state["target_grid"], state["target_pdf"] * width)
        right.set_xlim(*nice_limits(edges[0], edges[-1]))
        right.set_ylim(0, nice_ceil(1.35 * max(float(tops[-1].max()), 1e-12)))
        self.map_label.set_text(state["map_label"])


def _readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    beyond = state["mass_beyond"]
    where = (
        f"{100 * beyond:.2f}% of the draws fall outside the plotted range"
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
    meaning = _CATALOGUE[params["map"]].parameter
    widget = controls["parameter"]
    widget.disabled = meaning is None
    widget.description = meaning or "map parameter c (unused by this map)"


def pushforward_explorer(mode: str | None = None) -> Explorer:
    """Explorer of section 1.3: push a Gaussian or uniform source through a map.

    Controls: the source (Gaussian :math:`\\mathcal{N}(m, s^2)` or uniform
    :math:`\\mathcal{U}[m, m + s]`) with its location ``m`` and scale ``s``; the map
    (:math:`x^2`, :math:`\\log(1 + x^2)`, the sign-wise split :math:`x \\pm c`, the probit
    :math:`\\Phi^{-1}`, affine :math:`c x + 1`, :math:`e^x`) and its parameter ``c`` where it has
    one. Left: the source density cut into 10 equal-mass slices
    (:func:`pgmlib.quantile_bin_edges`). Right: the histogram of :math:`T(X)` from 300,000 draws
    stacked by source slice (:func:`pgmlib.stacked_pushforward_histogram`), with the exact
    density from the change of variables (eq. (1.5), summed over inverse branches:
    :meth:`pgmlib.PushforwardMap.pushforward_pdf`). A source reaching outside the map's domain
    (the probit map and a Gaussian source) shows a message instead of a histogram.

    Every number comes from :func:`pgmlib.pushforward_experiment`: the source draws are made
    once per source setting with a fixed seed and passed as its ``draws``, so moving the map
    re-maps the same draws; the target axis spans the images of the source's 0.1%-99.9%
    quantiles (``target_range="quantiles"``, :func:`pgmlib.pushforward_range`) and the readout
    gives the mass beyond it. The maps' menu entries, axis labels and names in the text are
    their own (``label``, ``formula``, ``name`` of :func:`pgmlib.map_catalogue`'s maps).

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
            description="source location m",
            fmt="{:.1f}",
            static_grid=[0.0],
        ),
        slider(
            "scale",
            np.round(np.arange(0.25, 3.0001, 0.05), 10),
            value=1.0,
            description="source scale s",
            static_grid=[0.5, 1.0, 2.0],
        ),
        choice("map", _MAPS, description="map T"),
        slider(
            "parameter",
            np.round(np.arange(0.5, 3.0001, 0.1), 10),
            value=2.0,
            description="map parameter c (split shift, affine slope)",
            fmt="{:.1f}",
            static_grid=_PARAMETER_STATIC,
        ),
    ]
    return Explorer(
        controls,
        _make_state(_SampleCache()),
        _PushforwardView(),
        readout=_readout,
        alt=_alt,
        mode=mode,
        name="pushforward",
        update_controls=_update_controls,
        static_key=_static_key,
    )
