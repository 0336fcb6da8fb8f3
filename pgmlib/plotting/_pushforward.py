"""Figures 1.1 and 1.2: discrete and continuous pushforwards (section 1.3)."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch

from .. import pushforward as pf
from .._validation import as_float_array, check_count, check_same_shape
from ._style import OKABE_ITO, _axes, bin_colours, book_style, new_figure, text_box

__all__ = [
    "FIGURE_1_2_PANELS",
    "figure_continuous_pushforwards",
    "figure_discrete_pushforward",
    "plot_pmf_bars",
    "plot_source_bins",
    "plot_stacked_bars",
    "plot_stacked_histogram",
    "source_bin_polygons",
]

#: Colours of the source points of Figure 1.1 (Okabe-Ito).
_POINT_COLOURS = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["green"],
    OKABE_ITO["purple"],
    OKABE_ITO["sky"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["yellow"],
)

#: The panel pairs of Figure 1.2, in order: (source, map, target range), keys of
#: :func:`pgmlib.source_catalogue` and :func:`pgmlib.map_catalogue` (each map labels its own
#: axis: ``PushforwardMap.formula``). Example 1.3 first, then the four pairs of the notes. A
#: range of None spans all the samples; the chi-square panel stops at y = 8 (its long tail would
#: squeeze the plot; the mass beyond, about 0.5%, is written on the panel).
FIGURE_1_2_PANELS: tuple[tuple[str, str, tuple[float, float] | None], ...] = (
    ("gaussian", "square", (0.0, 8.0)),
    ("gaussian", "sign_split", None),
    ("gaussian", "log1p_square", None),
    ("uniform", "log1p_square", None),
    ("uniform", "probit", None),
)


# --------------------------------------------------------------------------------------------
# Figure 1.1
# --------------------------------------------------------------------------------------------


def plot_pmf_bars(
    labels: Sequence[Any], masses: Any, colours: Sequence[Any] | None = None, ax: Axes | None = None
) -> Axes:
    """Bar chart of a pmf: one bar per outcome, its mass written above it.

    Parameters
    ----------
    labels : sequence
        Outcome names (tick labels).
    masses : array_like, shape (n,)
        Probabilities.
    colours : sequence of colours, optional
        One per bar (default: the Okabe-Ito colours in order).
    ax : matplotlib Axes, optional
        Drawn into (default: a new figure).

    Returns
    -------
    matplotlib Axes
    """
    masses = as_float_array(masses, "masses", ndim=1)
    if len(labels) != masses.size:
        raise ValueError(
            f"`labels` and `masses` must have the same length; got {len(labels)} and {masses.size}"
        )
    ax = _axes(ax)
    colours = list(colours) if colours is not None else list(_POINT_COLOURS[: masses.size])
    positions = np.arange(masses.size)
    ax.bar(positions, masses, width=0.6, color=colours, edgecolor="black", linewidth=1.0)
    for x, m in zip(positions, masses, strict=False):
        ax.text(x, m + 0.02, f"{m:g}", ha="center", va="bottom", fontsize=11)
    ax.set_xticks(positions, [str(v) for v in labels])
    ax.set_ylim(0, 1)
    ax.set_xlim(-0.6, masses.size - 0.4)
    ax.grid(axis="x", visible=False)
    return ax


def plot_stacked_bars(
    labels: Sequence[Any],
    contributions: Any,
    colours: Sequence[Any],
    ax: Axes | None = None,
    segment_labels: Sequence[str] | None = None,
) -> Axes:
    """Stacked bars: bar ``j`` is the sum of ``contributions[:, j]``, one colour per row.

    Parameters
    ----------
    labels : sequence
        Target names (tick labels), length n_targets.
    contributions : array_like, shape (n_sources, n_targets)
        Mass each source point sends to each target (zeros allowed).
    colours : sequence of colours
        One per source point (row).
    ax : matplotlib Axes, optional
    segment_labels : sequence of str, optional
        Names of the rows, used as legend labels.

    Returns
    -------
    matplotlib Axes
        Totals are written above the bars.
    """
    parts = as_float_array(contributions, "contributions", ndim=2)
    if parts.shape[1] != len(labels):
        raise ValueError(
            f"`contributions` must have one column per label; got shape "
            f"{parts.shape} for {len(labels)} labels"
        )
    if len(colours) < parts.shape[0]:
        raise ValueError(
            f"`colours` needs one colour per row ({parts.shape[0]}); got {len(colours)}"
        )
    ax = _axes(ax)
    positions = np.arange(parts.shape[1])
    bottom = np.zeros(parts.shape[1])
    for row, colour in zip(parts, colours, strict=False):
        name = None if segment_labels is None else segment_labels[len(ax.containers)]
        ax.bar(
            positions,
            row,
            width=0.6,
            bottom=bottom,
            color=colour,
            edgecolor="black",
            linewidth=1.0,
            label=name,
        )
        for x, m, b in zip(positions, row, bottom, strict=False):
            if m > 0.06:
                ax.text(
                    x,
                    b + m / 2,
                    f"{m:g}",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="black",
                    bbox=text_box(pad=0.15, alpha=0.85),
                )
        bottom = bottom + row
    for x, total in zip(positions, bottom, strict=False):
        ax.text(
            x, total + 0.02, f"{total:g}", ha="center", va="bottom", fontsize=11, fontweight="bold"
        )
    ax.set_xticks(positions, [str(v) for v in labels])
    ax.set_ylim(0, 1)
    ax.set_xlim(-0.6, parts.shape[1] - 0.4)
    ax.grid(axis="x", visible=False)
    return ax


def figure_discrete_pushforward(
    pmf: Mapping[Hashable, float] | None = None, T: Mapping[Hashable, Hashable] | None = None
) -> Figure:
    """Figure 1.1: a discrete source pmf and its pushforward, stacked by source point.

    Parameters
    ----------
    pmf : dict, optional
        Source pmf (default: Example 1.2, ``{1: 0.2, 2: 0.5, 3: 0.3}``).
    T : dict or callable, optional
        The map (default: Example 1.2, ``{1: "a", 2: "b", 3: "b"}``).

    Returns
    -------
    BookFigure
        Left: P_X, one colour per source point. Right: T#P_X, each bar stacked from the
        contributions of the source points (:func:`pgmlib.pushforward_contributions`), totals
        (:func:`pgmlib.pushforward_pmf`) above. Show it as the last expression of a cell.

    Examples
    --------
    >>> fig = figure_discrete_pushforward()
    >>> [[round(float(b.get_height()), 3) for b in bars] for bars in fig.axes[1].containers]
    [[0.2, 0.0], [0.0, 0.5], [0.0, 0.3]]
    """
    pmf = {1: 0.2, 2: 0.5, 3: 0.3} if pmf is None else pmf
    T = {1: "a", 2: "b", 3: "b"} if T is None else T
    table = pf.pushforward_contributions(pmf, T)
    totals = pf.pushforward_pmf(pmf, T)
    sources, targets = list(pmf), list(totals)
    if len(sources) > len(_POINT_COLOURS):
        raise ValueError(
            f"`pmf` may have at most {len(_POINT_COLOURS)} points for this figure; "
            f"got {len(sources)}"
        )
    parts = np.array([[table[t].get(s, 0.0) for t in targets] for s in sources])
    colours = _POINT_COLOURS[: len(sources)]
    with book_style():
        fig, (left, right) = new_figure(7.6, 3.2, ncols=2, sharey=True)
        plot_pmf_bars(sources, [pmf[s] for s in sources], colours, ax=left)
        plot_stacked_bars(
            targets, parts, colours, ax=right, segment_labels=[f"from x = {s}" for s in sources]
        )
        left.set_xlabel("x")
        left.set_ylabel("probability")
        right.set_xlabel("y = T(x)")
        right.legend(loc="upper left")
        right.tick_params(labelleft=True)
    return fig


# --------------------------------------------------------------------------------------------
# Figure 1.2
# --------------------------------------------------------------------------------------------


def source_bin_polygons(grid: Any, pdf: Any, edges: Any) -> list[np.ndarray]:
    """Polygons filling the area under a density, one per bin (for a PolyCollection).

    Parameters
    ----------
    grid : array_like, shape (m,)
        Increasing points where the density was evaluated.
    pdf : array_like, shape (m,)
        Density values on `grid`.
    edges : array_like, shape (n_bins + 1,)
        Bin edges, possibly infinite; each bin is clipped to the grid's range.

    Returns
    -------
    list of ndarray, each of shape (k, 2)
        Vertices of bin ``i``: the density between its edges, closed along the x axis
        (empty bins give an empty polygon).
    """
    grid = as_float_array(grid, "grid", ndim=1)
    pdf = as_float_array(pdf, "pdf", ndim=1)
    check_same_shape(grid, pdf, "grid", "pdf")
    edges = as_float_array(edges, "edges", ndim=1, finite=False)
    clipped = np.clip(edges, grid[0], grid[-1])
    polygons = []
    for a, b in itertools.pairwise(clipped):
        if b <= a:
            polygons.append(np.zeros((0, 2)))
            continue
        inside = (grid > a) & (grid < b)
        xs = np.concatenate(([a], grid[inside], [b]))
        ys = np.concatenate(([np.interp(a, grid, pdf)], pdf[inside], [np.interp(b, grid, pdf)]))
        polygons.append(
            np.column_stack((np.concatenate(([a], xs, [b])), np.concatenate(([0.0], ys, [0.0]))))
        )
    return polygons


def plot_source_bins(
    grid: Any, pdf: Any, edges: Any, colours: Any = None, ax: Axes | None = None
) -> Axes:
    """A source density with the area of each (quantile) bin shaded in its own colour.

    Parameters
    ----------
    grid, pdf : array_like, shape (m,)
        The density on an increasing grid.
    edges : array_like, shape (n_bins + 1,)
        Bin edges (e.g. :func:`pgmlib.quantile_bin_edges`; infinite ends are clipped).
    colours : array_like, optional
        One colour per bin (default :func:`bin_colours`).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Holding one PolyCollection (the bins) and one line (the density).
    """
    polygons = source_bin_polygons(grid, pdf, edges)
    colours = bin_colours(len(polygons)) if colours is None else colours
    ax = _axes(ax)
    ax.add_collection(
        PolyCollection(polygons, facecolors=colours, edgecolors="white", linewidths=0.6)
    )
    ax.plot(grid, pdf, color="black", linewidth=1.8)
    ax.set_xlim(float(np.min(grid)), float(np.max(grid)))
    ax.set_ylim(0, 1.12 * float(np.max(pdf)))
    return ax


def plot_stacked_histogram(
    edges: Any,
    mass: Any,
    colours: Any = None,
    ax: Axes | None = None,
    density: tuple[Any, Any] | None = None,
) -> Axes:
    """Histogram stacked by source bin: row ``i`` of `mass` drawn on top of rows ``< i``.

    Parameters
    ----------
    edges : array_like, shape (n_target_bins + 1,)
        Target bin edges (equal widths if `density` is given).
    mass : array_like, shape (n_source_bins, n_target_bins)
        Probability mass per (source bin, target bin), e.g.
        :func:`pgmlib.stacked_pushforward_histogram`.
    colours : array_like, optional
        One colour per source bin (default :func:`bin_colours`).
    ax : matplotlib Axes, optional
    density : (grid, pdf), optional
        An exact density of the target to overlay, scaled by the bin width so that it reads in
        probability mass per bin.

    Returns
    -------
    matplotlib Axes
        One StepPatch per source bin (baseline = the rows below), plus the overlay line.
    """
    edges = as_float_array(edges, "edges", ndim=1)
    mass = as_float_array(mass, "mass", ndim=2)
    if mass.shape[1] != edges.size - 1:
        raise ValueError(
            f"`mass` must have len(edges) - 1 = {edges.size - 1} columns; got shape {mass.shape}"
        )
    colours = bin_colours(mass.shape[0]) if colours is None else colours
    ax = _axes(ax)
    tops = np.cumsum(mass, axis=0)
    bottoms = np.vstack((np.zeros(mass.shape[1]), tops[:-1]))
    for top, bottom, colour in zip(tops, bottoms, colours, strict=False):
        ax.add_patch(
            StepPatch(top, edges, baseline=bottom, fill=True, facecolor=colour, edgecolor="none")
        )
    height = float(tops[-1].max()) if mass.size else 1.0
    if density is not None:
        grid = as_float_array(density[0], "density[0]", ndim=1)
        pdf = as_float_array(density[1], "density[1]", ndim=1)
        width = float(np.mean(np.diff(edges)))
        ax.plot(
            grid,
            pdf * width,
            color="black",
            linewidth=2.0,
            linestyle=(0, (4, 2)),
            label="exact density × bin width",
        )
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, 1.15 * height)
    return ax


def figure_continuous_pushforwards(n_samples: int = 300_000, seed: int = 2026) -> Figure:
    """Figure 1.2: five source/pushforward pairs, source mass sliced into 10 quantile bins.

    Rows, top to bottom: :math:`x^2` of :math:`\\mathcal{N}(0, 1)` (Example 1.3, the
    :math:`\\chi^2_1` density); the sign-wise split, :math:`\\log(1 + x^2)` of
    :math:`\\mathcal{N}(0, 1)`; :math:`\\log(1 + x^2)` and the probit map of
    :math:`\\mathcal{U}[0, 1]`. Left: the source density, each of its 10 equal-mass bins in its
    own colour. Right: the histogram of :math:`T(X)` (60 bins over the range of the samples, so
    the masses of a panel add up to 1) stacked by source bin in the same colours, with the exact
    density of :math:`T(X)` (eq. (1.5), summed over the map's branches) times the bin width. The
    first panel stops at :math:`y = 8` and states the mass beyond.

    Parameters
    ----------
    n_samples : int, default 300_000
        Draws per panel (the notes' M).
    seed : int, default 2026
        Seed of the sampling (each row uses ``seed + row``).

    Returns
    -------
    BookFigure
        Ten axes: ``fig.axes[2 * row]`` the source, ``fig.axes[2 * row + 1]`` the target.
        All numbers come from :func:`pgmlib.pushforward_experiment`.

    Examples
    --------
    >>> fig = figure_continuous_pushforwards(n_samples=20_000)
    >>> len(fig.axes)
    10
    """
    n_samples = check_count(n_samples, "n_samples", minimum=100)
    check_count(seed, "seed")
    sources, maps = pf.source_catalogue(), pf.map_catalogue()
    colours = bin_colours(10)
    with book_style():
        fig, axes = new_figure(
            9.0,
            2.15 * len(FIGURE_1_2_PANELS),
            nrows=len(FIGURE_1_2_PANELS),
            ncols=2,
            gridspec_kw={"width_ratios": (1, 1.35)},
        )
        for row, (source_key, map_key, span) in enumerate(FIGURE_1_2_PANELS):
            run = pf.pushforward_experiment(
                sources[source_key],
                maps[map_key],
                n_samples=n_samples,
                target_range=span,
                rng=seed + row,
            )
            _draw_pushforward_row(*axes[row], run, colours)
        axes[0][1].legend(loc="upper right")
    return fig


def _draw_pushforward_row(left: Axes, right: Axes, run: Any, colours: Any) -> None:
    """One row of Figure 1.2: the source's quantile bins, the stacked histogram of T(X)."""
    low, high = run.source.plot_range
    grid = np.union1d(np.linspace(low, high, 801), run.source_edges[np.isfinite(run.source_edges)])
    plot_source_bins(grid, run.source.pdf(grid), run.source_edges, colours, ax=left)
    left.set_xlabel(rf"$x$,  source $X \sim {run.source.latex}$")
    left.set_ylabel("density")
    density = (run.target_grid, run.target_pdf)
    plot_stacked_histogram(run.target_edges, run.mass, colours, ax=right, density=density)
    right.set_xlabel(run.tmap.formula)
    right.set_ylabel("probability mass\nper bin")
    beyond = 1.0 - float(run.mass.sum())
    if beyond > 0:
        right.text(
            0.98,
            0.55,
            f"{100 * beyond:.2f}% of the mass\nlies beyond y = {run.target_edges[-1]:g}",
            transform=right.transAxes,
            ha="right",
            va="center",
            fontsize=10,
        )
