"""Legends that never cover data or labels, texts that the figure's edge never cuts: checks of an
explorer's figure in every static state.

A plain module, not a test file (pytest puts ``tests/`` on ``sys.path``). :func:`legend_overlaps`
lists, for one drawn matplotlib figure, every visible legend whose box (its frame, or the box of
its entries when it has no frame) meets a visible data artist (a line or its markers, a patch
such as a bar, a filled collection), a text label (a note, a bar's value, an iterate's number),
a tick label or an axis label of the figure, all measured in display pixels with the renderer
(``get_window_extent``). A data artist clipped to its axes counts only inside them.
:func:`texts_cut_off` lists the texts that reach past the figure's edge (a frozen layout whose
tick labels grew). :func:`static_figure_problems` draws every frame state of a static explorer
and runs both. :func:`narrow_output_problems` checks that an explorer's figures fit JupyterLab's
output area beside its file browser without being shrunk, their texts legible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from _explorer_checks import parts, static_params
from matplotlib.artist import Artist
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

#: Pixels by which a legend's box is grown before testing (antialiasing, a line's own width).
MARGIN_PX = 1.0
#: The width of JupyterLab's output area in a 1024-px window with the file browser open: a
#: wider figure is shrunk to fit, and its text with it.
OUTPUT_AREA_PX = 592
#: The smallest font a figure may use at its own size (points).
MIN_FONT_PT = 9.0


def _shown(artist: Artist) -> bool:
    """Visible, and drawn by its figure (an artist hidden with its parent axes is not)."""
    return artist.get_visible() and (artist.axes is None or artist.axes.get_visible())


def _clip(artist: Artist) -> Bbox | None:
    """The box an artist is clipped to (its axes), or None."""
    return artist.get_clip_box() if artist.get_clip_on() else None


def _line_meets(line: Line2D, box: Bbox) -> bool:
    """The polyline (grown by half its width) or a marker (grown by its size) meets ``box``."""
    xy = line.get_transform().transform(line.get_xydata())
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    if xy.size == 0:
        return False
    clip = _clip(line)
    pixels = line.figure.dpi / 72.0
    if line.get_linestyle() not in ("None", "none", "", " ") and len(xy) > 1:
        grown = box.padded(line.get_linewidth() * pixels / 2)
        target = grown if clip is None else Bbox.intersection(grown, clip)
        if target is not None and _segments_meet(xy[:-1], xy[1:], target):
            return True
    if line.get_marker() not in ("None", "none", "", " ", None):
        grown = box.padded(line.get_markersize() * pixels / 2)
        if _inside(xy, grown, clip):
            return True
    return False


def _segments_meet(start: np.ndarray, end: np.ndarray, box: Bbox) -> bool:
    """Some segment from ``start[i]`` to ``end[i]`` meets ``box`` (Liang-Barsky clipping)."""
    low, high = box.get_points()
    delta = end - start
    enter, leave = np.zeros(len(start)), np.ones(len(start))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis in (0, 1):
            d, p0 = delta[:, axis], start[:, axis]
            still = d == 0
            t_low, t_high = (low[axis] - p0) / d, (high[axis] - p0) / d
            near, far = np.minimum(t_low, t_high), np.maximum(t_low, t_high)
            enter = np.where(still, enter, np.maximum(enter, near))
            leave = np.where(still, leave, np.minimum(leave, far))
            outside = still & ((p0 < low[axis]) | (p0 > high[axis]))
            leave = np.where(outside, -1.0, leave)
    return bool(np.any(enter <= leave))


def _inside(points: np.ndarray, box: Bbox, clip: Bbox | None) -> bool:
    """Some of ``points`` lie in ``box`` (and in ``clip``, if given)."""
    hit = np.ones(len(points), dtype=bool)
    for bounds in (box,) if clip is None else (box, clip):
        (x0, y0), (x1, y1) = bounds.get_points()
        hit &= (points[:, 0] >= x0) & (points[:, 0] <= x1)
        hit &= (points[:, 1] >= y0) & (points[:, 1] <= y1)
    return bool(np.any(hit))


def _patch_meets(patch: Patch, box: Bbox) -> bool:
    path = patch.get_path().transformed(patch.get_transform())
    if path.vertices.size == 0:
        return False
    clip = _clip(patch)
    if clip is not None:
        if not Bbox.intersection(path.get_extents(), clip):
            return False
        target = Bbox.intersection(box, clip)
        if target is None:
            return False
        return path.intersects_bbox(target, filled=patch.get_fill())
    return path.intersects_bbox(box, filled=patch.get_fill())


def _collection_meets(collection: Collection, box: Bbox) -> bool:
    transform = collection.get_transform()
    clip = _clip(collection)
    target = box if clip is None else Bbox.intersection(box, clip)
    if target is None:
        return False
    return any(
        path.transformed(transform).intersects_bbox(target, filled=True)
        for path in collection.get_paths()
        if len(path.vertices)
    )


def _text_box(text: Text, renderer: Any) -> Bbox | None:
    """A text's extent, its rounded box included; None when it shows nothing."""
    if not text.get_text().strip():
        return None
    boxes = [text.get_window_extent(renderer)]
    patch = text.get_bbox_patch()
    if patch is not None:
        boxes.append(patch.get_window_extent(renderer))
    return Bbox.union(boxes)


def _legend_box(legend: Legend, renderer: Any) -> Bbox:
    if legend.get_frame_on():
        return legend.get_frame().get_window_extent(renderer)
    return legend._legend_box.get_window_extent(renderer)


def _labels(figure: Figure) -> Iterator[tuple[str, Text]]:
    """Every text of the figure that is not part of a legend: notes, values, tick and axis
    labels, iterate numbers."""
    for ax in figure.axes:
        yield from ((f"text {t.get_text()!r}", t) for t in ax.texts)
        yield from ((f"label {t.get_text()!r}", t) for t in (ax.xaxis.label, ax.yaxis.label))
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            locs = axis.get_majorticklocs()
            for loc, tick in zip(locs, axis.get_major_ticks(len(locs)), strict=True):
                if low <= loc <= high:  # a tick outside the limits is not drawn
                    yield f"tick label {tick.label1.get_text()!r}", tick.label1
    yield from ((f"figure text {t.get_text()!r}", t) for t in figure.texts)


def _legends(figure: Figure) -> list[Legend]:
    found = list(figure.legends)
    for ax in figure.axes:
        found += [a for a in ax.get_children() if isinstance(a, Legend)]
    return list({id(legend): legend for legend in found}.values())


def legend_overlaps(figure: Figure) -> list[str]:
    """What each visible legend of the drawn ``figure`` covers (empty: nothing)."""
    renderer = figure.canvas.get_renderer()
    problems = []
    for legend in (lg for lg in _legends(figure) if _shown(lg)):
        box = _legend_box(legend, renderer).padded(MARGIN_PX)
        name = f"legend {[t.get_text() for t in legend.get_texts()]}"
        for ax in figure.axes:
            if not ax.get_visible():
                continue
            for line in (a for a in ax.lines if _shown(a)):
                if _line_meets(line, box):
                    problems.append(f"{name} covers line {line.get_label()!r}")
            for patch in (a for a in ax.patches if _shown(a)):
                if _patch_meets(patch, box):
                    problems.append(f"{name} covers patch {patch.get_label()!r}")
            for collection in (a for a in ax.collections if _shown(a)):
                if _collection_meets(collection, box):
                    problems.append(f"{name} covers collection {collection.get_label()!r}")
        for what, text in _labels(figure):
            if not _shown(text):
                continue
            extent = _text_box(text, renderer)
            if extent is not None and box.overlaps(extent):
                problems.append(f"{name} covers {what}")
    return problems


def texts_cut_off(figure: Figure) -> list[str]:
    """The texts of the drawn ``figure`` (labels, notes, legends' entries) that reach past its
    edge by more than a pixel."""
    renderer = figure.canvas.get_renderer()
    edge = figure.bbox.padded(1.0)
    texts = list(_labels(figure))
    for legend in (lg for lg in _legends(figure) if _shown(lg)):
        texts += [(f"legend entry {t.get_text()!r}", t) for t in legend.get_texts()]
    problems = []
    for what, text in texts:
        extent = _text_box(text, renderer) if _shown(text) else None
        if extent is not None and not (
            edge.x0 <= extent.x0
            and extent.x1 <= edge.x1
            and edge.y0 <= extent.y0
            and extent.y1 <= edge.y1
        ):
            problems.append(f"{what} is cut by the figure's edge")
    return problems


def static_figure_problems(explorer: Any) -> list[str]:
    """Draw every frame state of a static explorer (each part): what its legends cover, and the
    texts its figure's edge cuts."""
    problems = []
    for part in parts(explorer):
        view = part._render
        for combo, state in part._static_states.items():
            params = static_params(part, combo)
            view.draw(params, state)
            found = legend_overlaps(view.figure) + texts_cut_off(view.figure)
            problems += [f"{part.name} {params}: {p}" for p in found]
    return problems


def narrow_output_problems(explorer: Any) -> list[str]:
    """Each figure of the explorer (each part's) is at most :data:`OUTPUT_AREA_PX` wide, so it
    is shown at its own size, and each of its visible texts is at least :data:`MIN_FONT_PT`."""
    problems = []
    for part in parts(explorer):
        figure = part._render.figure
        width = figure.get_figwidth() * figure.dpi
        if width > OUTPUT_AREA_PX:
            problems.append(f"{part.name}: {width:.0f} px wide (> {OUTPUT_AREA_PX})")
        texts = list(_labels(figure))
        for legend in _legends(figure):
            texts += [(f"legend entry {t.get_text()!r}", t) for t in legend.get_texts()]
        for what, text in texts:
            if text.get_text().strip() and text.get_fontsize() < MIN_FONT_PT:
                problems.append(f"{part.name}: {what} in {text.get_fontsize():g} pt")
    return problems
