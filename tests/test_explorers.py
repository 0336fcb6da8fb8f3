"""The checks every explorer of the book passes, run on each entry of pgmlib.widgets.EXPLORERS.

The registry: each entry's factory builds an explorer named by its key, in both modes; its
chapter shows it and its section is the chapter's; it has its own test file and a line in the
package docstring. Live mode: every control is moved across all its values (the others where
the previous sweeps left them); each move must change the displayed PNG and leave finite
numbers in ``state``, or -- for a setting the explorer's test file declares undefined
(``undefined(params)``) -- pgmlib's message in the readout. Static mode: one frame per
combination of the shown controls' static values, every control jslinked to every Stack it
drives, every precomputed state finite, selection from Python and the browser's keyboard walk,
the DOM hooks, and the frames within the entry's ``static_budget``.

What is particular to an explorer (its numbers are pgmlib's, its edge settings, what its guide
promises) lives in tests/test_explorer_<name>.py; the core's own tests in
tests/test_explorer_core.py.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path

import ipywidgets
import pytest
import yaml
from _explorer_checks import (
    assert_static_states_finite,
    check_dom_hooks,
    check_frame_budget,
    check_keyboard_walk,
    check_static_selection,
    check_static_structure,
    options,
    part_of,
    parts,
    sweep,
)

from pgmlib import widgets
from pgmlib.widgets import EXPLORERS, ExplorerSpec

ROOT = Path(__file__).resolve().parent.parent
NAMES = list(EXPLORERS)


def undefined_settings(name: str) -> Callable[[dict], bool]:
    """The settings where explorer ``name`` shows a message instead of a figure, as declared by
    its own test file (a function ``undefined(params) -> bool``); by default, none."""
    module = importlib.import_module(f"test_explorer_{name}")
    return getattr(module, "undefined", lambda params: False)


# -- the registry -----------------------------------------------------------------------------


def test_every_explorer_factory_is_registered_once_and_exported():
    """Each ``*_explorer`` that a module of pgmlib.widgets exports is one registry entry, and
    pgmlib.widgets exports it under its own name."""
    defined = set()
    for info in pkgutil.iter_modules(widgets.__path__):
        module = importlib.import_module(f"pgmlib.widgets.{info.name}")
        names = getattr(module, "__all__", [])
        defined |= {getattr(module, n) for n in names if n.endswith("_explorer")}
    factories = [spec.factory for spec in EXPLORERS.values()]
    assert len(set(factories)) == len(factories) and set(factories) == defined
    for factory in factories:
        assert getattr(widgets, factory.__name__) is factory
        assert factory.__name__ in widgets.__all__


def test_the_registry_is_read_only():
    with pytest.raises(TypeError):
        EXPLORERS["new"] = EXPLORERS["entropy"]


@pytest.mark.parametrize("name", NAMES)
def test_factory_builds_the_explorer_named_by_its_key_in_both_modes(name, static_explorers):
    live = EXPLORERS[name].factory(mode="live")
    assert (live.name, live.mode) == (name, "live")
    static = static_explorers[name]
    assert (static.name, static.mode) == (name, "static")


def _toc_sections() -> dict[str, str]:
    """Chapter file stem -> its section number "1.k", from the order of _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    week = next(c for c in toc["parts"][0]["chapters"] if c.get("sections"))
    return {Path(s["file"]).stem: f"1.{k}" for k, s in enumerate(week["sections"], start=1)}


@pytest.mark.parametrize("name", NAMES)
def test_the_chapter_shows_it_and_is_its_section(name):
    spec = EXPLORERS[name]
    path = ROOT / spec.chapter
    assert path.is_file(), f"{spec.chapter} does not exist"
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    else:
        source = path.read_text(encoding="utf-8")
    assert f"{spec.factory.__name__}(" in source, f"{spec.chapter} never calls the factory"
    assert _toc_sections()[path.stem] == spec.section


@pytest.mark.parametrize("name", NAMES)
def test_each_explorer_has_its_own_test_file(name):
    assert (ROOT / "tests" / f"test_explorer_{name}.py").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_the_package_docstring_lists_it(name):
    spec = EXPLORERS[name]
    assert f"- ``{spec.factory.__name__}()`` (``{name}``; section {spec.section}," in (
        widgets.__doc__
    )


def test_spec_refuses_bad_fields():
    factory = widgets.entropy_explorer
    chapter = "chapters/information-theory.ipynb"
    with pytest.raises(TypeError, match="`factory` must be callable; got 'entropy'"):
        ExplorerSpec("entropy", "1.5", chapter, 1000)
    with pytest.raises(ValueError, match=r"`section` must be a section of the notes.*got '5'"):
        ExplorerSpec(factory, "5", chapter, 1000)
    with pytest.raises(ValueError, match=r"`chapter` must be a chapter file.*got 'entropy\.ipynb'"):
        ExplorerSpec(factory, "1.5", "entropy.ipynb", 1000)
    with pytest.raises(TypeError, match=r"`static_budget` must be an integer \(bytes\); got 1.5"):
        ExplorerSpec(factory, "1.5", chapter, 1.5)
    with pytest.raises(ValueError, match="`static_budget` must be > 0 bytes; got 0"):
        ExplorerSpec(factory, "1.5", chapter, 0)
    with pytest.raises(TypeError, match="`kernel_goal_ms` must be a number of ms; got '30'"):
        ExplorerSpec(factory, "1.5", chapter, 1000, "30")
    with pytest.raises(ValueError, match="`kernel_goal_ms` must be finite and > 0; got -1"):
        ExplorerSpec(factory, "1.5", chapter, 1000, -1)
    spec = ExplorerSpec(factory, "1.5", chapter, 1000)
    assert spec.kernel_goal_ms == 30.0
    with pytest.raises(AttributeError):
        spec.section = "1.6"  # frozen


# -- live mode --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_live_sweep_of_every_control(name):
    explorer = EXPLORERS[name].factory(mode="live")
    undefined = undefined_settings(name)
    for control in explorer.controls:
        sweep(explorer, control, allow_error=undefined)


def _caches_pictures(part) -> bool:
    """The view keeps parts of its picture across moves: a middle layer or panels."""
    view = part._render
    return bool(getattr(view, "_layered", None) or getattr(view, "panels", None))


CACHING = [
    name
    for name in NAMES
    if any(_caches_pictures(p) for p in parts(EXPLORERS[name].factory(mode="live")))
]


@pytest.mark.parametrize("name", CACHING)
def test_a_frame_reached_by_moves_is_the_frame_drawn_afresh(name):
    """Where a view keeps parts of its picture across moves (a middle layer, panels redrawn on
    their own), every frame along a walk over each control's extremes and middle is, pixel for
    pixel, the frame a fresh explorer draws for that setting from scratch."""
    factory = EXPLORERS[name].factory
    explorer = factory(mode="live")
    for part in parts(explorer):
        if not _caches_pictures(part):
            continue
        for control, widget in part.controls.items():
            values = options(widget)
            for value in (values[-1], values[len(values) // 2], values[0]):
                part.set(**{control: value})
                fresh = part_of(factory(mode="live"), control)
                fresh._render.panels = {}  # whole-figure draws: the reference picture
                fresh.set(**part.params)
                assert part.current_png() == fresh.current_png(), (name, part.params)
        view = part._render
        assert view.full_draws + view.panel_draws >= 1


PANELLED = [
    name
    for name in NAMES
    if any(getattr(p._render, "panels", None) for p in parts(EXPLORERS[name].factory(mode="live")))
]


@pytest.mark.parametrize("name", PANELLED)
def test_panels_draw_what_whole_figure_draws_draw_along_the_same_walk(name):
    """Two explorers walk the same path (every option of each choice, the extremes and middle
    of each slider, the settings that show a message included): one redraws its panels on their
    own, the other always the whole figure. Every frame is the same, pixel for pixel."""
    factory = EXPLORERS[name].factory
    walker, reference = factory(mode="live"), factory(mode="live")
    for part, plain in zip(parts(walker), parts(reference), strict=True):
        plain._render.panels = {}
        plain._render.invalidate()
        for control, widget in part.controls.items():
            values = options(widget)
            if not isinstance(widget, ipywidgets.ToggleButtons):
                values = [values[-1], values[len(values) // 2], values[0]]
            for value in values:
                part.set(**{control: value})
                plain.set(**{control: value})
                assert part.current_png() == plain.current_png(), (name, part.params)
        assert part._render.panel_draws >= 1


@pytest.mark.parametrize("name", NAMES)
def test_bad_mode_is_refused(name, monkeypatch):
    factory = EXPLORERS[name].factory
    with pytest.raises(ValueError, match=r"`mode` must be 'live', 'static' or None; got 'fast'"):
        factory(mode="fast")
    with pytest.raises(TypeError, match="`mode` must be"):
        factory(mode=1)
    monkeypatch.setenv(widgets.MODE_ENV, "interactive")
    with pytest.raises(ValueError, match="PGMLIB_WIDGET_MODE must be 'live' or 'static'"):
        factory()


# -- static mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_static_one_frame_per_combination_and_jslinks(name, static_explorers):
    explorer = static_explorers[name]
    assert explorer.mode == "static"
    for part in parts(explorer):
        check_static_structure(part)
        assert_static_states_finite(part, allow_error=undefined_settings(name))


@pytest.mark.parametrize("name", NAMES)
def test_static_controls_select_frames_from_python(name, static_explorers):
    for part in parts(static_explorers[name]):
        check_static_selection(part)


@pytest.mark.parametrize("name", NAMES)
def test_static_keyboard_walk_changes_every_figure(name, static_explorers):
    """What the browser test does on the built page: End (Home at the end) on each control."""
    check_keyboard_walk(static_explorers[name])


@pytest.mark.parametrize("name", NAMES)
def test_static_frames_fit_their_budget(name, static_explorers):
    check_frame_budget(static_explorers[name], EXPLORERS[name].static_budget)


@pytest.mark.parametrize("name", NAMES)
def test_static_dom_hooks(name, static_explorers):
    check_dom_hooks(static_explorers[name])
