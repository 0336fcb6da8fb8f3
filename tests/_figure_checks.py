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
:func:`assert_static_frames_legible` is the stricter frame-by-frame check some explorers' tests
use: the expected number of legends, none over any drawn box (:func:`legend_clashes`), and every
text at least :data:`MIN_FONT_PT` inside the figure (:func:`text_problems`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from _explorer_checks import parts, static_params
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
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


# -- legends clear of every drawn box, texts of at least MIN_FONT_PT: a frame-by-frame check with
# -- the number of legends expected (used by the pushforward, change-of-variables, classifier,
# -- MLE and EM explorers' tests)


def _shown_box(artist, renderer) -> Bbox | None:
    """The pixels an artist covers, clipped to what is visible (None: nothing visible)."""
    box = artist.get_window_extent(renderer)
    if isinstance(artist, Text) and artist.get_text() and artist.get_bbox_patch() is not None:
        box = Bbox.union([box, artist.get_bbox_patch().get_window_extent(renderer)])
    if artist.get_clip_on() and artist.get_clip_box() is not None:
        box = Bbox.intersection(box, artist.get_clip_box())
    if box is None or not np.all(np.isfinite(box.get_points())):
        return None
    return box if box.width > 0 and box.height > 0 else None


def _drawn_boxes(figure, renderer) -> list[tuple[str, Bbox]]:
    """Every visible data artist and text of the figure but the legends, with its box: lines,
    patches, collections, images and texts of each axes (colour keys included), each axis'
    tick labels and label, and the figure's own texts (a veil, spines and axes backgrounds
    left out)."""
    boxes = []
    for ax in figure.axes:
        for artist in ax.get_children():
            if not artist.get_visible() or artist is ax.patch:
                continue
            if isinstance(artist, (Legend, Spine)):
                continue
            if isinstance(artist, Axis):
                box = artist.get_tightbbox(renderer)
                box = box if box is not None and box.width > 0 and box.height > 0 else None
            else:
                box = _shown_box(artist, renderer)
            if box is not None:
                boxes.append((f"{type(artist).__name__} {artist.get_label()!r}", box))
    for text in figure.texts:
        box = _shown_box(text, renderer) if text.get_visible() else None
        if box is not None:
            boxes.append((f"figure text {text.get_text()!r}", box))
    return boxes


def _inside_figure(figure, box: Bbox) -> bool:
    """Whether ``box`` (pixels) lies inside the figure, to a pixel."""
    inside = figure.bbox.padded(1)
    return inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1)


def figure_legends(figure) -> list[Legend]:
    """The legends of a figure: those of its axes and its own."""
    return [ax.get_legend() for ax in figure.axes if ax.get_legend()] + list(figure.legends)


def legend_clashes(figure) -> list[str]:
    """What the legends of ``figure`` cover or leave: each data artist or text (tick labels,
    axis labels, titles, notes, other legends) whose visible extent overlaps a legend's box by
    more than a pixel, and each legend reaching outside the figure (renderer window extents)."""
    renderer = figure.canvas.get_renderer()
    drawn = _drawn_boxes(figure, renderer)
    legends = figure_legends(figure)
    boxes = [legend.get_window_extent(renderer) for legend in legends]
    clashes = []
    for i, box in enumerate(boxes):
        if not _inside_figure(figure, box):
            clashes.append(f"legend {i} reaches outside the figure: {box}")
        others = [(f"legend {j}", other) for j, other in enumerate(boxes) if j != i]
        for name, other in drawn + others:
            common = Bbox.intersection(box, other)
            if common is not None and common.width > 1 and common.height > 1:
                clashes.append(f"legend {i} covers {name}")
    return clashes


def text_problems(figure) -> list[str]:
    """What would make the figure's texts hard to read: a visible text (tick labels, axis
    labels, titles, notes, legend entries, the figure's own texts) smaller than
    :data:`MIN_FONT_PT`, or reaching outside the figure."""
    renderer = figure.canvas.get_renderer()
    problems = []

    def check(name: str, box: Bbox | None, sizes: list[float]) -> None:
        if sizes and min(sizes) < MIN_FONT_PT:
            problems.append(f"{name}: {min(sizes):g} pt")
        if box is not None and not _inside_figure(figure, box):
            problems.append(f"{name} reaches outside the figure: {box}")

    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels() if t.get_visible()] + [axis.label]
            sizes = [t.get_fontsize() for t in labels if t.get_text()]
            check(f"{axis.axis_name} axis", axis.get_tightbbox(renderer), sizes)
        texts = [*ax.texts, ax.title, *(ax.get_legend().get_texts() if ax.get_legend() else [])]
        for text in texts:
            if text.get_visible() and text.get_text():
                check(repr(text.get_text()), _shown_box(text, renderer), [text.get_fontsize()])
    for legend in figure.legends:
        for text in legend.get_texts():
            check(repr(text.get_text()), None, [text.get_fontsize()])
    for text in figure.texts:
        if text.get_visible() and text.get_text():
            check(repr(text.get_text()), _shown_box(text, renderer), [text.get_fontsize()])
    return problems


def assert_static_frames_legible(part, n_legends: int) -> int:
    """Every static frame of ``part`` (an Explorer built in static mode), drawn again from its
    state: the figure has ``n_legends`` legends, none covers data or labels
    (:func:`legend_clashes`), and its texts are legible (:func:`text_problems`). Frames showing
    a message are skipped. Returns the number of frames seen."""
    view, seen = part._render, set()
    for combo, state in part._static_states.items():
        key = part.frame_keys[combo]
        if key in seen or "error" in state:
            continue
        seen.add(key)
        params = static_params(part, combo)
        view.draw(params, state)
        assert len(figure_legends(view.figure)) == n_legends, params
        clashes = legend_clashes(view.figure)
        assert not clashes, (params, clashes)
        problems = text_problems(view.figure)
        assert not problems, (params, problems)
    return len(seen)
