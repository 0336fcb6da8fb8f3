"""The explorer core in a kernel: one message per move, a cheap PNG, visible failures of
``update_controls``, keyboard-friendly controls and readouts without rounding-error noise."""

from __future__ import annotations

import io
import logging
import math

import ipywidgets
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

import pgmlib.widgets as widgets
from pgmlib.plotting import book_style, new_figure, rgba_to_png
from pgmlib.widgets import Explorer, ExplorerGroup, FigureView, choice, slider
from pgmlib.widgets._core import (
    MIN_STEP_PX,
    STATIC_PALETTE,
    ZERO_TOLERANCE,
    _ControlGeometry,
    _text_px,
)

FACTORIES = {n: getattr(widgets, n) for n in widgets.__all__ if n.endswith("_explorer")}


class _View(FigureView):
    width, height = 3.0, 2.0

    def setup(self) -> None:
        (self.line,) = self.axes.plot([0, 1], [0, 0])
        self.axes.set_ylim(-1, 5)
        self.animate(self.line)

    def update(self, params, state) -> None:
        self.line.set_ydata([0, state["y"]])


def _toy(mode: str = "live", update_controls=None) -> Explorer:
    return Explorer(
        [
            slider("a", [0, 1, 2, 3, 4], value=1, description="a"),
            choice("b", {"one": 1, "two": 2}, description="factor b"),
        ],
        lambda params: {"y": params["a"] * params["b"]},
        _View(),
        alt=lambda params, state: f"a line up to {state['y']:g}",
        mode=mode,
        name="toy",
        update_controls=update_controls,
    )


def _parts(explorer):
    return list(explorer.parts.values()) if isinstance(explorer, ExplorerGroup) else [explorer]


@pytest.fixture
def messages(monkeypatch):
    """Every comm message a widget sends: (widget, names of the state it carries; binary
    values such as an image's PNG travel as buffers, named in ``buffer_paths``)."""
    sent: list[tuple[ipywidgets.Widget, set]] = []

    def record(self, msg, buffers=None):
        names = set(msg.get("state", {})) | {path[0] for path in msg.get("buffer_paths", [])}
        sent.append((self, names))

    monkeypatch.setattr(ipywidgets.Widget, "_send", record)
    return sent


# -- one message per move ---------------------------------------------------------------------


def _sent_by(messages, widget) -> list[set]:
    return [keys for owner, keys in messages if owner is widget]


@pytest.mark.parametrize(("control", "value"), [("a", 3.0), ("b", 2)])
def test_a_move_sends_the_image_and_its_alt_text_in_one_message(messages, control, value):
    explorer = _toy()
    messages.clear()
    explorer.set(**{control: value})
    assert _sent_by(messages, explorer.image) == [{"value", "tooltip"}]
    assert _sent_by(messages, explorer.readout) == [{"value"}]
    assert explorer.image.tooltip == f"a line up to {explorer.state['y']:g}"


@pytest.mark.parametrize("name", ["kl_asymmetry_explorer", "pushforward_explorer"])
def test_each_move_of_an_explorer_decodes_one_image(messages, name):
    explorer = FACTORIES[name](mode="live")
    for control, widget in explorer.controls.items():
        values = [v for _, v in widget.options]
        target = values[-1] if widget.value != values[-1] else values[0]
        messages.clear()
        explorer.set(**{control: target})
        image_messages = _sent_by(messages, explorer.image)
        assert len(image_messages) == 1, (control, image_messages)
        assert "value" in image_messages[0], control


# -- encoding ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 17), st.integers(1, 23), st.just(4))))
def test_rgba_to_png_decodes_to_the_same_pixels(rgba):
    png = rgba_to_png(rgba)
    decoded = Image.open(io.BytesIO(png))
    assert decoded.mode == "RGB" and decoded.size == (rgba.shape[1], rgba.shape[0])
    np.testing.assert_array_equal(np.asarray(decoded), rgba[..., :3])


def test_rgba_to_png_levels_trade_size_for_speed_not_pixels():
    with book_style():
        figure, ax = new_figure(4, 3)
        ax.plot([0, 1, 2], [1, 3, 2])
    figure.canvas.draw()
    rgba = np.asarray(figure.canvas.buffer_rgba())
    stored, fast, small = (rgba_to_png(rgba, level=k) for k in (0, 1, 9))
    assert len(stored) > rgba[..., :3].nbytes > 10 * len(fast) and len(small) <= len(fast)
    for png in (stored, fast, small):
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba[..., :3])


def test_rgba_to_png_refuses_what_is_not_an_rgba_buffer():
    with pytest.raises(ValueError, match=r"`rgba` must be a \(height, width, 4\) array of uint8"):
        rgba_to_png(np.zeros((3, 4, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"got shape \(3, 4, 4\) and dtype float64"):
        rgba_to_png(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match=r"got shape \(0, 4, 4\)"):
        rgba_to_png(np.zeros((0, 4, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="`level` must be an integer from 0 to 9; got 10"):
        rgba_to_png(np.zeros((1, 1, 4), dtype=np.uint8), level=10)


def test_the_live_png_is_the_canvas_exactly():
    explorer = FACTORIES["kl_asymmetry_explorer"](mode="live")
    explorer.set(mu=1.0)
    canvas = np.asarray(explorer._render.figure.canvas.buffer_rgba())[..., :3]
    decoded = Image.open(io.BytesIO(explorer.current_png()))
    assert decoded.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(decoded), canvas)


def test_static_frames_stay_indexed_with_the_static_palette():
    explorer = _toy("static")
    for image in explorer.frames.values():
        frame = Image.open(io.BytesIO(bytes(image.value)))
        assert frame.mode == "P"
        assert len(frame.getcolors()) <= STATIC_PALETTE


# -- update_controls failures are visible -------------------------------------------------------


def _fragile(params, controls):
    if params["a"] == 4.0:
        raise RuntimeError("the controls could not follow a = 4")
    controls["b"].disabled = params["a"] == 0.0


def test_a_failing_update_controls_is_logged_and_shown_not_swallowed(caplog):
    explorer = _toy(update_controls=_fragile)
    before = explorer.current_png()
    with caplog.at_level(logging.ERROR, logger="pgmlib.widgets._core"):
        explorer.controls["a"].value = 4.0  # as the front end would set it: nothing raises
    record = next(r for r in caplog.records if "update_controls" in r.getMessage())
    assert record.levelno == logging.ERROR and "'toy' explorer" in record.getMessage()
    assert record.exc_info[0] is RuntimeError  # the traceback goes to the log
    assert explorer.state["error"] == "the controls could not follow a = 4"
    assert explorer.state["internal"] is True
    assert "internal error" in explorer.readout.value
    assert "the controls could not follow a = 4" in explorer.readout.value
    assert explorer.image.tooltip == "Message: the controls could not follow a = 4"
    assert explorer.current_png() != before
    explorer.set(a=0.0)  # a setting update_controls handles: the figure is back
    assert explorer.state == {"y": 0.0} and explorer.controls["b"].disabled


def test_compute_errors_still_read_not_defined_here():
    def compute(params):
        if params["a"] == 4.0:
            raise ValueError("a is too large here")
        return {"y": params["a"]}

    explorer = Explorer(
        [slider("a", [0, 1, 2, 3, 4], description="a")], compute, _View(), mode="live"
    )
    explorer.set(a=4.0)
    assert "internal" not in explorer.state
    assert "<b>Not defined here:</b> a is too large here" in explorer.readout.value


# -- controls -----------------------------------------------------------------------------------


def test_choices_are_toggle_buttons_and_static_links_their_index():
    live = _toy("live")
    assert isinstance(live.controls["b"], ipywidgets.ToggleButtons)
    assert live._specs["b"].kind == "choice"
    static = _toy("static")
    buttons = static.controls["b"]
    assert isinstance(buttons, ipywidgets.ToggleButtons)
    sources = {(id(link.source[0]), link.source[1]) for link in static.links}
    assert (id(buttons), "index") in sources
    buttons.index = 1
    assert all(stack.selected_index == 1 for stack in static.stacks["b"])
    assert static.current_png() == bytes(static.frames[(static.controls["a"].index, 1)].value)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_the_controls_of_an_explorer_share_one_description_width(name):
    explorer = FACTORIES[name](mode="live")
    widths = {w.style.description_width for w in explorer.controls.values()}
    assert len(widths) == 1, widths
    geometry = _parts(explorer)[0].control_geometry
    for part in _parts(explorer):
        assert part.control_geometry == geometry
    for control in explorer.controls.values():
        assert _text_px(control.description) <= geometry.label_px
        assert control.layout.max_width == f"{geometry.row_px}px"
        assert control.layout.flex_flow == "row wrap" and control.layout.margin == "2px 0px"


@pytest.fixture(scope="module")
def static_explorers():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(widgets.MODE_ENV, "static")
        return {name: factory() for name, factory in FACTORIES.items()}


def _check_track_room(explorer) -> None:
    for part in _parts(explorer):
        geometry = part.control_geometry
        for control_name, widget in part.controls.items():
            if isinstance(widget, ipywidgets.SelectionSlider):
                needed = MIN_STEP_PX * (len(widget.options) - 1)
                # label gap 8, track margins 12, readout gap 4 and a readout of >= 72 px
                track = geometry.row_px - geometry.label_px - 8 - 12 - 4 - 72
                assert track >= needed, (part.name, control_name, track, needed)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_slider_has_six_pixels_of_track_per_step_beside_its_label(name, static_explorers):
    """A row as wide as ``row_px`` holds the shared label and, beside it, a track of at least
    MIN_STEP_PX per step for every slider (narrower rows put the track under its label); on
    the static page for the static grids."""
    _check_track_room(FACTORIES[name](mode="live"))
    _check_track_room(static_explorers[name])


def test_static_rows_are_sized_for_the_static_grids(static_explorers):
    explorer = static_explorers["kl_gradient_flow_explorer"]
    live = FACTORIES["kl_gradient_flow_explorer"](mode="live")
    assert explorer.control_geometry.rest_px < live.control_geometry.rest_px
    assert explorer.control_geometry.row_px == explorer._pixel_width()


def test_the_label_width_switches_to_a_full_row_only_when_the_row_is_too_narrow():
    geometry = _ControlGeometry(label_px=200, rest_px=450, figure_px=600)
    assert geometry.row_px == 650
    css = geometry.label_css()
    assert css == "clamp(min(200px, 100% - 8px), (650px - 100%) * 1000, 100% - 8px)"

    def resolved(row: float) -> float:  # the CSS clamp() for a row of `row` pixels
        low, high = min(200, row - 8), row - 8
        return min(max(low, (650 - row) * 1000), high)

    assert resolved(650) == resolved(900) == 200  # room for label and track: one row
    assert resolved(649) == 641 and resolved(400) == 392  # else the label fills its row
    assert _ControlGeometry(1, 5, 3).merge(_ControlGeometry(2, 4, 9)) == _ControlGeometry(2, 5, 9)


def test_the_image_has_no_side_margins_so_it_fits_its_box():
    live, static = _toy("live"), _toy("static")
    for image in (live.image, *static.frames.values()):
        assert image.layout.width == "100%" and image.layout.margin == "2px 0px"
        assert image.layout.max_width == f"{round(3.0 * 90)}px"


# -- readouts -----------------------------------------------------------------------------------


def test_format_number_prints_zero_without_a_sign():
    assert widgets.format_number(-0.0) == "0" and widgets.format_number(0.0) == "0"
    assert widgets.format_number(-4.44e-16, scale=9.15) == "0"
    assert widgets.format_number(4.44e-16, scale=9.15) == "0"
    assert widgets.format_number(-4.44e-16) == "−4.44e−16"  # no context: a number like any
    assert widgets.format_number(math.exp(-30), 3) == "9.36e-14"
    assert widgets.format_number(2e-9, scale=1.0) == "2e-09"  # not a rounding error of 1


def test_format_vector_zeroes_rounding_errors_against_its_largest_entry():
    assert widgets.format_vector([9.15, -4.44e-16]) == "(9.15, 0)"
    assert widgets.format_vector([-0.0, 2.0], digits=2) == "(0, 2)"
    assert widgets.format_vector([1e-18, -3e-18]) == "(1e-18, −3e−18)"
    assert widgets.format_vector([float("inf"), 1e-20]) == "(∞, 1e-20)"
    row = widgets.format_vector([1e-17, 0.5], scale=4.0)
    assert row == "(0, 0.5)"


def test_format_vector_refuses_what_is_not_a_vector():
    with pytest.raises(ValueError, match=r"`values` must be one-dimensional .* got shape \(2, 2\)"):
        widgets.format_vector(np.eye(2))
    with pytest.raises(ValueError, match=r"got shape \(0,\)"):
        widgets.format_vector([])


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-1e300, max_value=1e300, allow_nan=False),
    st.floats(min_value=0, max_value=1e300, allow_nan=False),
)
def test_format_number_reads_back_as_the_number_or_a_true_zero(value, scale):
    text = widgets.format_number(value, 4, scale=scale)
    assert text not in ("-0", "−0")
    back = float(text.replace("−", "-"))
    if abs(value) <= ZERO_TOLERANCE * scale:
        assert text == "0"
    else:
        assert back == pytest.approx(value, rel=6e-4)


def test_each_label_s_title_is_its_description_even_after_update_controls():
    def relabel(params, controls):
        controls["a"].description = f"a (b = {params['b']})"

    explorer = _toy(update_controls=relabel)
    for control in explorer.controls.values():
        assert control.tooltip == control.description  # not ipywidgets' "null"
    explorer.set(b=2)
    assert explorer.controls["a"].tooltip == explorer.controls["a"].description == "a (b = 2)"
