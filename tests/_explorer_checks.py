"""Checks shared by the explorer tests: tests/test_explorers.py runs them on every explorer of
the registry (pgmlib.widgets.EXPLORERS), the files tests/test_explorer_<name>.py use them too.

A plain module, not a test file: pytest puts ``tests/`` on ``sys.path``, so the test files
``import _explorer_checks``. Live mode: :func:`sweep` moves one control across its options and
checks that each move changes the displayed PNG and leaves finite numbers. Static mode:
:func:`check_static_structure` (one frame per combination of the shown controls' static values,
a distinct PNG per distinct frame, the Stacks of each level, the jslinks),
:func:`assert_static_states_finite`, :func:`check_static_selection` (setting a control from
Python shows the right frame), :func:`check_keyboard_walk` (what the browser test does on the
built page: End, or Home at the end, on each control in page order must change the figure),
:func:`check_frame_budget` and :func:`check_dom_hooks`. :class:`StaticExplorers` builds each
registered explorer in static mode once (the ``static_explorers`` fixture of conftest.py).
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Iterator
from itertools import product
from typing import Any

import ipywidgets
import numpy as np
from PIL import Image

from pgmlib.widgets import EXPLORERS, Explorer, ExplorerGroup

#: Most moves of a sweep in an explorer's own tests (which sweep controls again in particular
#: settings): every option when there are fewer, else an evenly spread subset holding both
#: extremes. The generic sweep of tests/test_explorers.py moves every control to every value.
MAX_MOVES = 14

#: A state key whose outer values may be infinite: a Gaussian's outer quantile edges are -inf
#: and +inf (pushforward explorer); the inner ones must be finite and increasing.
_INFINITE_ENDS = ("source_edges",)


def build_static(factories: dict[str, Callable]) -> dict[str, Explorer | ExplorerGroup]:
    """Each explorer built with ``mode=None`` under the environment variable the book build
    sets, as the notebooks build them during the build."""
    import pytest

    from pgmlib.widgets import MODE_ENV

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MODE_ENV, "static")
        return {name: factory() for name, factory in factories.items()}


class StaticExplorers(dict):
    """Registered explorers in static mode by name, each built on first use, then kept (a build
    draws every frame: seconds to tens of seconds)."""

    def __missing__(self, name: str) -> Explorer | ExplorerGroup:
        self[name] = build_static({name: EXPLORERS[name].factory})[name]
        return self[name]


def parts(explorer: Explorer | ExplorerGroup) -> list[Explorer]:
    """The explorers of a group, or the explorer itself."""
    return list(explorer.parts.values()) if isinstance(explorer, ExplorerGroup) else [explorer]


def part_of(explorer: Explorer | ExplorerGroup, name: str) -> Explorer:
    """The explorer that owns control ``name``."""
    return explorer.part_of(name) if isinstance(explorer, ExplorerGroup) else explorer


def options(widget: Any) -> list:
    """The values a control widget offers, in order."""
    return [value for _, value in widget.options]


def _numbers(state: dict) -> Iterator[tuple[str, np.ndarray]]:
    for key, value in state.items():
        if isinstance(value, (bool, str)) or value is None or callable(value):
            continue
        if isinstance(value, (int, float, np.number, np.ndarray, tuple)):
            yield key, np.asarray(value, dtype=float)


def assert_finite(state: dict, context: str) -> None:
    """``state`` holds no error message, some numbers, and every one of them is finite."""
    assert "error" not in state, f"unexpected message {state.get('error')!r} ({context})"
    numbers = dict(_numbers(state))
    assert numbers, f"no numbers in the state ({context})"
    for key, value in numbers.items():
        if key in _INFINITE_ENDS:
            assert not np.any(np.isnan(value)) and np.all(np.diff(value) > 0), (key, context)
            value = value[1:-1]
        assert np.all(np.isfinite(value)), f"{key} not finite ({context}): {value}"


def _spread(values: list, max_moves: int | None) -> list:
    """Every value, or at most ``max_moves`` evenly spread ones holding both extremes."""
    if max_moves is None or len(values) <= max_moves:
        return values
    picks = np.unique(np.linspace(0, len(values) - 1, max_moves).round().astype(int))
    return [values[i] for i in picks]


def sweep(
    explorer: Explorer | ExplorerGroup,
    name: str,
    *,
    max_moves: int | None = None,
    allow_error: Callable[[dict], bool] = lambda params: False,
) -> list[dict]:
    """Move live control ``name`` across its options (both extremes included) and check each move.

    Each move must change the displayed PNG (a valid image, with a text alternative). The state
    must then hold finite numbers, or -- where ``allow_error(params)`` -- a message, shown in the
    readout. Returns the states seen (copies), messages included.
    """
    part = part_of(explorer, name)
    every = options(part.controls[name])
    values = _spread(every, max_moves)
    assert values[0] == every[0] and values[-1] == every[-1]
    states = []
    for value in values:
        if value == part.controls[name].value:
            continue
        before = part.current_png()
        part.set(**{name: value})
        context = f"{name} = {value!r}, params {part.params}"
        png = part.current_png()
        assert png != before, f"image unchanged: {context}"
        Image.open(io.BytesIO(png)).verify()
        assert part.image.tooltip, f"no text alternative: {context}"
        if "error" in part.state:
            assert allow_error(part.params), f"unexpected error {part.state['error']}: {context}"
            assert "Not defined here" in part.readout.value, context
        else:
            assert_finite(part.state, context)
        states.append(dict(part.state))
    return states


def _link_keys(part: Explorer) -> set[tuple]:
    return {
        (id(link.source[0]), link.source[1], id(link.target[0]), link.target[1])
        for link in part.links
    }


def check_static_structure(part: Explorer) -> None:
    """One frame per combination of static values; nested Stacks jslinked to their controls.

    Frames that the explorer shares (its ``static_key`` makes two combinations equal: a control
    that the setting ignores) are one widget; any two distinct frames differ in their PNG.
    """
    assert part.mode == "static"
    shown = [part._specs[n] for n in part.controls]
    sizes = [len(spec.static_values) for spec in shown]
    assert sizes and all(size > 1 for size in sizes), sizes
    assert set(part.frames) == set(product(*(range(n) for n in sizes)))
    assert set(part.frame_keys) == set(part.frames)
    for a, b in product(part.frames, repeat=2):  # shared exactly when the keys are equal
        shared = part.frames[a] is part.frames[b]
        assert shared == (part.frame_keys[a] == part.frame_keys[b]), (a, b)
        assert shared == (part._frame_boxes[a] is part._frame_boxes[b]), (a, b)
    distinct = {id(image): image for image in part.frames.values()}.values()
    pngs = [bytes(image.value) for image in distinct]
    assert len(set(pngs)) == len(pngs), "two distinct frames are identical"
    for png in pngs:
        Image.open(io.BytesIO(png)).verify()
    for image in distinct:
        assert image.tooltip and "description" in image.keys  # the <img> gets a title
    links = _link_keys(part)
    for level, spec in enumerate(shown):
        stacks = part.stacks[spec.name]
        assert len(stacks) == math.prod(sizes[:level])
        control = part.controls[spec.name]
        assert control.description
        for stack in stacks:
            assert isinstance(stack, ipywidgets.Stack)
            assert len(stack.children) == sizes[level]
            assert stack.selected_index == control.index
            assert (id(control), "index", id(stack), "selected_index") in links
    assert len(part.links) == sum(len(s) for s in part.stacks.values())


def check_static_selection(part: Explorer, *, every_value: bool = True) -> None:
    """Setting each control from Python shows the frame of the new combination of indices.

    With ``every_value`` each value is visited (else the last and the first); the frames seen
    while one control moves are distinct, except those the explorer shares (equal keys).
    """
    for name, widget in part.controls.items():
        values = options(widget) if every_value else [options(widget)[-1], options(widget)[0]]
        seen, keys = set(), set()
        for value in values:
            part.set(**{name: value})
            index = tuple(part.controls[n].index for n in part.controls)
            assert part.current_png() == bytes(part.frames[index].value)
            for stack in part.stacks[name]:
                assert stack.selected_index == widget.index
            seen.add(id(part.frames[index]))
            keys.add(part.frame_keys[index])
        assert len(seen) == len(keys), name
        if every_value and part._static_key is None:
            assert len(seen) == len(values), name


def check_keyboard_walk(explorer: Explorer | ExplorerGroup) -> None:
    """The browser test's walk, in Python: from the page's initial frames, on each shown control
    in page order, jump to the last value (the first when already there); the figure on display
    must change every time."""
    for part in parts(explorer):
        for name in part.controls:  # back to the initial frame (a freshly loaded page)
            spec = part._specs[name]
            part.set(
                **{name: spec.value if spec.value in spec.static_values else spec.static_values[0]}
            )
        for name, widget in part.controls.items():
            values = options(widget)
            before = part.current_png()
            target = values[0] if widget.value == values[-1] else values[-1]
            part.set(**{name: target})
            assert part.current_png() != before, f"{part.name}: moving {name} to {target!r}"


def check_frame_budget(explorer: Explorer | ExplorerGroup, budget: int) -> int:
    """The frames (PNG bytes, each distinct frame once) fit ``budget``; so does their base64
    text in the page. Returns the total."""
    total = explorer.static_bytes()
    distinct = {id(image): image for part in parts(explorer) for image in part.frames.values()}
    encoded = sum(len(base64.b64encode(bytes(image.value))) for image in distinct.values())
    assert 0 < total <= budget, f"{total} bytes of frames"
    assert encoded <= 4 / 3 * budget + 4 * len(distinct)
    return total


def static_params(part: Explorer, combo: tuple[int, ...]) -> dict:
    """The setting a static frame shows: the shown controls at ``combo``, the others fixed."""
    params = {
        name: spec.value if spec.value in spec.static_values else spec.static_values[0]
        for name, spec in part._specs.items()
    }
    shown = [part._specs[name] for name in part.controls]
    params.update({spec.name: spec.static_values[i] for spec, i in zip(shown, combo, strict=True)})
    return params


def mean_frame_bytes(explorer: Explorer | ExplorerGroup) -> float:
    """The mean size of the explorer's distinct static frames (PNG bytes)."""
    frames = {id(image) for part in parts(explorer) for image in part.frames.values()}
    return explorer.static_bytes() / len(frames)


def assert_static_states_finite(part: Explorer, allow_error: Callable[[dict], bool]) -> None:
    """Every precomputed state is finite, or a message where ``allow_error(params)`` for the
    setting of its frame."""
    for combo, state in part._static_states.items():
        params = static_params(part, combo)
        if "error" in state:
            assert allow_error(params), f"{part.name} {params}: {state['error']}"
        else:
            assert_finite(state, f"static {part.name} {params}")


def check_dom_hooks(explorer: Explorer | ExplorerGroup) -> None:
    """The classes that the page's CSS, the browser tests and the benchmark find it by: the
    explorer (or group) and its parts, each control, Stack, frame, image and readout."""
    classes = set(explorer._dom_classes)
    assert f"pgm-explorer-{explorer.name}" in classes, classes
    if isinstance(explorer, ExplorerGroup):
        assert "pgm-explorer-group" in classes
    for part in parts(explorer):
        wanted = {"pgm-explorer", f"pgm-explorer-{part.name}", "pgm-mode-static"}
        assert wanted <= set(part._dom_classes), (part.name, part._dom_classes)
        for name, control in part.controls.items():
            assert {"pgm-control", f"pgm-control-{name}"} <= set(control._dom_classes)
            assert control.description, name
        for stack in (stack for stacks in part.stacks.values() for stack in stacks):
            assert "pgm-frames" in stack._dom_classes
        for frame in part._frame_boxes.values():
            image, readout = frame.children
            assert "pgm-frame" in frame._dom_classes
            assert "pgm-figure" in image._dom_classes and "pgm-readout" in readout._dom_classes
