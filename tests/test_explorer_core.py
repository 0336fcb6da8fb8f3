"""The explorer core (pgmlib/widgets/_core.py) on its own: toy explorers, the control builders,
mode selection, error display, frame sharing, and the live redraw of one persistent figure.
The checks every explorer of the book passes run from the registry in tests/test_explorers.py.
"""

from __future__ import annotations

import io
import re
from typing import ClassVar

import ipywidgets
import numpy as np
import pytest
from _explorer_checks import check_static_selection, check_static_structure
from PIL import Image

from pgmlib import widgets
from pgmlib.widgets import Explorer, ExplorerGroup, FigureView, choice, slider


def test_live_redraw_updates_one_persistent_figure():
    explorer = widgets.kl_asymmetry_explorer(mode="live")
    view = explorer._render
    figure, n_artists = view.figure, len(view.figure.get_children())
    full = view.full_draws
    for v in (0.5, 0.55, 0.6, 0.65):
        explorer.set(v=v)
    assert view.figure is figure and len(figure.get_children()) == n_artists
    assert view.full_draws - full <= 2  # most moves blit over the cached background
    assert explorer.time_move("mu", 1.0) > 0


# -- mode selection ---------------------------------------------------------------------------


def test_mode_by_argument_and_environment(monkeypatch):
    monkeypatch.delenv(widgets.MODE_ENV, raising=False)
    assert widgets.resolve_mode() == "live"
    assert widgets.resolve_mode("static") == "static"
    monkeypatch.setenv(widgets.MODE_ENV, "static")
    assert widgets.resolve_mode() == "static"
    assert widgets.resolve_mode("live") == "live"  # the argument wins
    monkeypatch.setenv(widgets.MODE_ENV, "")
    assert widgets.resolve_mode() == "live"


# -- the core with a toy explorer -------------------------------------------------------------


class _ToyView(FigureView):
    width, height = 3.0, 2.0

    def setup(self):
        (self.line,) = self.axes.plot([0, 1], [0, 0])
        self.axes.set_ylim(-1, 5)
        self.animate(self.line)

    def update(self, params, state):
        self.line.set_ydata([0, state["y"]])


def _toy(mode, compute=None, render=None):
    def default_compute(params):
        if params["a"] > 3.5:
            raise ValueError("a is too large here")
        return {"y": params["a"]}

    return Explorer(
        [
            slider("a", [0, 1, 2, 3, 4], value=1, description="a"),
            choice("b", {"one": 1, "two": 2}, description="b", static_options=[1]),
        ],
        compute or default_compute,
        render or _ToyView(),
        mode=mode,
        name="toy",
    )


@pytest.mark.parametrize("mode", ["live", "static"])
def test_errors_in_compute_are_shown(mode):
    explorer = _toy(mode)
    explorer.set(a=4)
    assert explorer.state["error"] == "a is too large here"
    assert explorer.state["error_type"] == "ValueError"
    explorer.set(a=2)
    assert explorer.state == {"y": 2.0}


def test_a_long_error_message_fits_the_width_of_the_figure():
    """The veiled figure's message is broken into lines that fit a 585-px (6.5-in) figure."""
    message = (
        "The map T is not invertible for these parameters: w·u = -1.25 < -1 folds the plane, "
        "so the density of Y = T(X) from eq. (1.5) is not defined here; move u or w back."
    )

    class WideView(_ToyView):
        width = 6.5

    view = WideView()
    view.draw({}, {"error": message})
    text = view._message
    assert text.get_visible() and text.get_text().count("\n") >= 1
    box = text.get_window_extent(view.figure.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= view.figure.bbox.width


def test_a_render_that_fails_falls_back_to_a_message():
    def render(params, state):
        if "error" in state:
            raise RuntimeError("even the message fails")
        raise ZeroDivisionError("bug in the figure")

    explorer = _toy("live", render=render)
    assert explorer.state["error"] == "bug in the figure"
    Image.open(io.BytesIO(explorer.current_png())).verify()


def test_static_mode_hides_single_valued_controls_and_states_them():
    explorer = _toy("static")
    assert list(explorer.controls) == ["a"] and len(explorer.frames) == 5
    assert "Fixed on this page: b: one. Run the notebook" in explorer.children[-1].value
    assert explorer.params == {"a": 1.0, "b": 1}


def test_static_key_shares_frames_between_equal_keys():
    explorer = Explorer(
        [
            slider("a", [0, 1, 2], value=0, description="a"),
            slider("b", [0, 1], value=0, description="b (used only when a > 0)"),
        ],
        lambda params: {"y": params["a"] + 0.5 * params["b"] * (params["a"] > 0)},
        _ToyView(),
        mode="static",
        name="toy",
        static_key=lambda params: (params["a"], params["b"] if params["a"] else None),
    )
    assert len(explorer.frames) == 6 and explorer.frames[(0, 0)] is explorer.frames[(0, 1)]
    assert len({id(image) for image in explorer.frames.values()}) == 5
    assert explorer.static_bytes() == sum(
        len(explorer.frames[combo].value) for combo in [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1)]
    )
    check_static_structure(explorer)
    check_static_selection(explorer)
    explorer.set(a=2, b=1)
    assert explorer.state == {"y": 2.5}
    with pytest.raises(TypeError, match="`static_key` must be callable or None; got 3"):
        Explorer([slider("a", [0, 1], description="a")], dict, _ToyView(), static_key=3)


def test_set_snaps_sliders_and_refuses_unknown_values():
    explorer = _toy("live")
    explorer.set(a=2.2)
    assert explorer.controls["a"].value == 2.0
    with pytest.raises(ValueError, match=r"value of 'a' must lie in \[0, 4\]; got 9"):
        explorer.set(a=9)
    with pytest.raises(ValueError, match="value of 'b' must be one of"):
        explorer.set(b=3)
    with pytest.raises(KeyError, match="no control 'c'"):
        explorer.set(c=1)
    with pytest.raises(RuntimeError, match="measures the live mode"):
        _toy("static").time_move("a", 2)


def test_control_builders_validate():
    with pytest.raises(ValueError, match="strictly increasing"):
        slider("a", [0, 2, 1], description="a")
    with pytest.raises(ValueError, match="must be 1-D, finite, with >= 2 values"):
        slider("a", [1.0], description="a")
    with pytest.raises(ValueError, match=r"`value` must lie in \[0, 1\]; got 2"):
        slider("a", [0, 1], value=2, description="a")
    with pytest.raises(ValueError, match="`description` must be a non-empty string"):
        slider("a", [0, 1], description=" ")
    with pytest.raises(ValueError, match="`name` must be a Python identifier"):
        slider("a b", [0, 1], description="a")
    with pytest.raises(ValueError, match="`value` of 'b' must be one of"):
        choice("b", ["x", "y"], value="z", description="b")
    with pytest.raises(ValueError, match="`static_options` of 'b' must be a non-empty subset"):
        choice("b", ["x", "y"], static_options=["z"], description="b")
    with pytest.raises(TypeError, match="`options` of 'b' must be a mapping or a sequence"):
        choice("b", "xy", description="b")


def test_explorer_validates_its_arguments():
    control = slider("a", [0, 1], description="a")
    with pytest.raises(TypeError, match="non-empty sequence of Control"):
        Explorer([], dict, _ToyView(), mode="live")
    with pytest.raises(ValueError, match="control names must be distinct"):
        Explorer([control, control], dict, _ToyView(), mode="live")
    with pytest.raises(TypeError, match="`compute` must be callable"):
        Explorer([control], None, _ToyView(), mode="live")
    with pytest.raises(ValueError, match="state keys must be distinct across parts"):
        ExplorerGroup(
            [
                ("x", _toy("live")),
                (
                    "y",
                    Explorer(
                        [slider("c", [0, 1], description="c")],
                        lambda p: {"y": 1.0},
                        _ToyView(),
                        mode="live",
                    ),
                ),
            ],
            name="g",
        )


def test_format_number_and_nice_limits():
    assert widgets.format_number(float("inf")) == "∞"
    assert widgets.format_number(float("nan")) == "undefined"
    assert widgets.nice_ceil(0.0) == 1.0 and widgets.nice_ceil(1.0) == 1.0
    low, high = widgets.nice_limits(0.013, 19.4)
    assert low <= 0.013 and high >= 19.4 and (low, high) == (0.0, 20.0)
    assert widgets.nice_limits(-4.0, 4.0) == (-4.0, 4.0)
    assert widgets.nice_limits(-4.1, 3.9) == (-6.0, 4.0)


def test_freeze_layout_keeps_the_first_layout():
    """With ``freeze_layout`` the axes keep the positions of the first full redraw when the
    limits (hence the tick labels) change; without it, constrained layout moves them."""
    import numpy as np

    from pgmlib.widgets import FigureView

    class Wide(FigureView):
        width, height = 4.0, 2.0

        def setup(self):
            (self.line,) = self.axes.plot([0, 1], [0, 1])
            self.animate(self.line)

        def update(self, params, state):
            self.axes.set_ylim(0, params["top"])

    positions = {}
    for frozen in (False, True):
        view = type("View", (Wide,), {"freeze_layout": frozen})()
        seen = []
        for top in (1.0, 1e6, 1e-6):  # tick labels of very different widths
            view.png({"top": top}, {})
            seen.append(np.array(view.axes.get_position().bounds))
        positions[frozen] = seen
        assert view.full_draws == 3
    assert all(np.array_equal(positions[True][0], b) for b in positions[True][1:])
    assert not all(np.array_equal(positions[False][0], b) for b in positions[False][1:])


class _LayeredView(FigureView):
    """A slow curve in the middle layer (it follows ``a``) and a fast point over it (``b``)."""

    width, height = 3.0, 2.0

    def setup(self):
        (self.curve,) = self.axes.plot([0, 1], [0, 0], lw=6)
        (self.point,) = self.axes.plot([0.5], [0], "o", ms=12)
        self.axes.set_ylim(-1, 5)
        self.axes.set_xlim(0, 1)
        self.animate(self.curve, layer=True)
        self.animate(self.point)

    def layer_key(self, params, state):
        return params["a"]

    def update(self, params, state):
        self.curve.set_ydata([0, params["a"]])
        self.point.set_data([0.5], [params["b"]])


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_the_middle_layer_is_redrawn_only_when_its_key_changes(monkeypatch):
    view = _LayeredView()
    drawn = []
    for artist, name in ((view.curve, "curve"), (view.point, "point")):
        original = artist.draw
        monkeypatch.setattr(artist, "draw", lambda r, o=original, n=name: (drawn.append(n), o(r)))
    settings = [(1, 0), (1, 1), (1, 2), (3, 2), (3, 4), (1, 4)]
    pictures = [_pixels(view.png({"a": a, "b": b}, {})) for a, b in settings]
    # the curve is drawn for the first setting and each change of a; the point on every move
    assert drawn.count("curve") == 3 and drawn.count("point") == len(settings)
    assert view.full_draws == 1
    # each picture is the one a fresh view draws for that setting from scratch
    for (a, b), picture in zip(settings, pictures, strict=True):
        assert np.array_equal(picture, _pixels(_LayeredView().png({"a": a, "b": b}, {})))
    # the fast point is drawn over the layer: it moved, the curve did not
    assert not np.array_equal(pictures[0], pictures[1])


def test_an_error_and_invalidate_reset_the_middle_layer():
    view = _LayeredView()
    view.png({"a": 2, "b": 1}, {})
    veiled = _pixels(view.png({"a": 2, "b": 1}, {"error": "not defined here"}))
    back = _pixels(view.png({"a": 2, "b": 1}, {}))
    assert not np.array_equal(veiled, back)
    assert np.array_equal(back, _pixels(_LayeredView().png({"a": 2, "b": 1}, {})))
    view.curve.set_color("red")  # changed without a move of the key: invalidate() shows it
    view.invalidate()
    red = _pixels(view.png({"a": 2, "b": 1}, {}))
    assert (np.abs(red.astype(int) - back.astype(int)).sum(axis=2) > 0).sum() > 100


class _PanelView(FigureView):
    """Two panels whose limits follow ``left`` and ``right``, a figure title, a moving point."""

    width, height, ncols = 4.0, 2.0, 2
    panels: ClassVar = {0: (0.0, 0.0, 0.5, 0.9), 1: (0.5, 0.0, 1.0, 0.9)}  # not the title

    def setup(self):
        self.figure.set_layout_engine("none")  # panels need a fixed layout
        self.axes[0].set_position((0.12, 0.2, 0.3, 0.62))
        self.axes[1].set_position((0.72, 0.2, 0.25, 0.62))
        self.figure.suptitle("two panels")
        for ax in self.axes:
            ax.plot([0, 1], [0, 1])
            ax.set_ylabel("y")
        (self.point,) = self.axes[1].plot([0.5], [0.5], "o")
        self.animate(self.point)

    def update(self, params, state):
        self.axes[0].set_ylim(0, params["left"])
        self.axes[1].set_ylim(0, params["right"])
        self.point.set_data([0.5], [params["point"]])


def test_a_change_of_a_panels_limits_redraws_that_panel_only():
    view = _PanelView()
    settings = [(1, 1, 0.5), (1, 1000, 0.5), (1, 0.01, 0.2), (10, 0.01, 0.2), (10, 2, 0.7)]
    pictures = [_pixels(view.png({"left": a, "right": b, "point": c}, {})) for a, b, c in settings]
    assert view.full_draws == 1 and view.panel_draws == len(settings) - 1
    for (a, b, c), picture in zip(settings, pictures, strict=True):
        plain = type("Plain", (_PanelView,), {"panels": {}})()  # whole-figure draws only
        assert np.array_equal(picture, _pixels(plain.png({"left": a, "right": b, "point": c}, {})))
    # an error veils the whole figure, panels included: a full redraw like a view without
    # panels draws it, and the panels come back after it
    error = {"error": "not defined here " * 8}
    veiled = _pixels(view.png({"left": 10, "right": 2, "point": 0.7}, error))
    assert view.full_draws == 2
    plain = type("Plain", (_PanelView,), {"panels": {}})()
    plain.png({"left": 10, "right": 2, "point": 0.7}, {})  # the same limits under the veil
    assert np.array_equal(veiled, _pixels(plain.png({"left": 10, "right": 2, "point": 0.7}, error)))
    setting = {"left": 3, "right": 2, "point": 0.7}
    back = _pixels(view.png(setting, {}))
    assert np.array_equal(back, _pixels(_PanelView().png(setting, {})))


def test_a_grid_through_zero_shows_zero_not_minus_zero():
    """np.arange(-0.5, 0.5, 0.05) rounds to -0.0 at its middle: the slider shows 0.00."""
    control = slider("s", np.round(np.arange(-0.5, 0.5001, 0.05), 10), description="s")
    zero = control.values.index(0.0)
    assert not np.signbit(control.values[zero]) and control.labels[zero] == "0.00"
    assert not any(label.startswith("-0.00") for label in control.labels)


def _sliders(widget):
    if isinstance(widget, ipywidgets.SelectionSlider):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _sliders(child)


@pytest.mark.parametrize("name", sorted(widgets.EXPLORERS))
def test_no_explorer_slider_shows_minus_zero(name):
    sliders = list(_sliders(widgets.EXPLORERS[name].factory(mode="live")))
    assert sliders, f"{name}: no slider found"
    shown = [label for s in sliders for label, _ in s.options]
    assert not [label for label in shown if re.fullmatch(r"[-−]0(\.0*)?", label)], name
