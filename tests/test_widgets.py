"""Tests of pgmlib.widgets: the explorer core and the three required explorers, in both modes.

Live mode: every control is driven from Python through its whole range (extremes included);
each move must change the displayed image and leave finite numbers in ``state``.
Static mode: one frame per combination of the shown controls' static values, every control
jslinked to every Stack it drives, and the frames within the page-weight budget.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from _explorer_checks import (
    assert_finite,
    build_static,
    check_frame_budget,
    check_keyboard_walk,
    check_static_selection,
    check_static_structure,
    parts,
    sweep,
)
from PIL import Image

import pgmlib as pgm
from pgmlib import widgets
from pgmlib.widgets import Explorer, ExplorerGroup, FigureView, choice, slider

FACTORIES = {
    "pushforward": widgets.pushforward_explorer,
    "entropy": widgets.entropy_explorer,
    "kl_asymmetry": widgets.kl_asymmetry_explorer,
}
#: Budget for the frames of one explorer (PNG bytes; the page embeds them in base64, 4/3 more).
FRAME_BUDGET = 700_000


@pytest.fixture(scope="module")
def static_explorers():
    return build_static(FACTORIES)


# -- live mode --------------------------------------------------------------------------------


def test_kl_asymmetry_live_sweeps_every_control():
    explorer = widgets.kl_asymmetry_explorer(mode="live")
    assert explorer.mode == "live" and set(explorer.controls) == {"mu", "v"}
    for name in ("v", "mu"):
        sweep(explorer, name)
    explorer.set(mu=-3.0, v=0.2)  # both extremes: KL(p||q) is huge but finite
    assert explorer.state["kl_pq"] == pytest.approx(math.log(0.2) + 10 / 0.08 - 0.5, rel=1e-12)
    assert explorer.state["kl_qp"] == pytest.approx(-math.log(0.2) + (0.04 + 9) / 2 - 0.5)
    assert explorer.state["kl_pq"] == pytest.approx(pgm.kl_gaussian(0, 1, -3.0, 0.2), rel=1e-15)
    assert "punishes" in explorer.readout.value


def test_entropy_live_sweeps_every_control():
    explorer = widgets.entropy_explorer(mode="live")
    assert set(explorer.controls) == {"theta", "n_outcomes", "skew", "p_tilt", "q_tilt"}
    for name in explorer.controls:
        sweep(explorer, name)
    explorer.set(theta=0.0)
    assert explorer.state["binary_entropy"] == 0.0
    assert "certain" in explorer.parts["bernoulli"].readout.value
    explorer.set(theta=1.0)
    assert explorer.state["binary_entropy"] == 0.0
    explorer.set(n_outcomes=7, skew=0.0)  # the uniform pmf reaches log K
    assert explorer.state["entropy_pmf"] == pytest.approx(math.log(7), rel=1e-12)
    explorer.set(skew=3.0)
    assert explorer.state["entropy_pmf"] < explorer.state["log_k"]
    explorer.set(p_tilt=2.0, q_tilt=-2.0)
    state = explorer.state
    assert state["cross_entropy"] == pytest.approx(state["entropy_p"] + state["kl_pq"], rel=1e-12)
    assert state["kl_pq"] == pytest.approx(pgm.kl_divergence(state["p"], state["q"]), rel=1e-15)
    explorer.set(q_tilt=2.0)
    assert explorer.state["kl_pq"] == pytest.approx(0.0, abs=1e-15)


def test_pushforward_live_sweeps_every_control():
    explorer = widgets.pushforward_explorer(mode="live")
    assert set(explorer.controls) == {"source", "location", "scale", "map", "parameter"}
    outside = lambda p: p["map"] == "probit"  # noqa: E731 -- the only map with a domain
    for source in ("uniform", "gaussian"):
        explorer.set(source=source, location=0.0, scale=1.0)
        states = sweep(explorer, "map", allow_error=outside)
        assert sum("error" in state for state in states) == (source == "gaussian")
    explorer.set(source="gaussian", map="sign_split")
    for name in ("location", "scale", "parameter"):
        sweep(explorer, name)
    explorer.set(map="affine", parameter=0.5)
    sweep(explorer, "scale")
    explorer.set(source="uniform", map="exp", location=-2.0, scale=0.25)
    sweep(explorer, "location")


def test_pushforward_live_numbers_match_pgmlib():
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(source="gaussian", location=0.0, scale=1.0, map="square")
    state = explorer.state
    x = pgm.gaussian_source().sample(300_000, np.random.default_rng(2026))
    mass = pgm.stacked_pushforward_histogram(
        x, x**2, pgm.quantile_bin_edges(pgm.gaussian_source(), 10), state["target_edges"]
    )
    np.testing.assert_array_equal(state["mass"], mass)
    np.testing.assert_allclose(state["mass"].sum(axis=1), 0.1, atol=0.004)
    assert state["mass_shown"] + state["mass_beyond"] == pytest.approx(1.0, abs=1e-12)
    assert 0 <= state["mass_beyond"] < 0.005
    exact = pgm.square_map().pushforward_pdf(pgm.gaussian_source())(state["target_grid"])
    np.testing.assert_allclose(state["target_pdf"], exact, rtol=1e-15)
    # the drawn histogram is the state's: StepPatch tops are the cumulative masses
    view = explorer._render
    tops = np.array([patch.get_data().values for patch in view.steps])
    np.testing.assert_allclose(tops, np.cumsum(state["mass"], axis=0))
    assert "equal-mass source slices" in explorer.readout.value


def test_pushforward_probit_of_gaussian_shows_a_message_not_a_traceback():
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(source="gaussian", map="square")
    before = explorer.current_png()
    explorer.set(map="probit")
    assert "defined only on (0, 1)" in explorer.state["error"]
    assert "Not defined here" in explorer.readout.value
    assert explorer.current_png() != before
    assert explorer.image.tooltip.startswith("Message:")
    explorer.set(source="uniform")  # back to a valid setting: the figure returns
    assert "error" not in explorer.state
    assert_finite(explorer.state, "uniform + probit")


def test_pushforward_parameter_slider_follows_the_map():
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(map="square")
    assert explorer.controls["parameter"].disabled
    explorer.set(map="sign_split")
    control = explorer.controls["parameter"]
    assert not control.disabled and control.description == "shift c of the split"
    explorer.set(map="affine")
    assert explorer.controls["parameter"].description == "slope c of the affine map"


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


# -- static mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FACTORIES)
def test_static_one_frame_per_combination_and_jslinks(static_explorers, name):
    explorer = static_explorers[name]
    assert explorer.mode == "static"
    for part in parts(explorer):
        check_static_structure(part)


@pytest.mark.parametrize("name", FACTORIES)
def test_static_controls_select_frames_from_python(static_explorers, name):
    explorer = static_explorers[name]
    for part in parts(explorer):
        check_static_selection(part)
        for combo, state in part._static_states.items():
            if "error" not in state:
                assert_finite(state, f"{name}: {combo}")


@pytest.mark.parametrize("name", FACTORIES)
def test_static_keyboard_walk_changes_every_figure(static_explorers, name):
    """What the browser test does on the built page: End (Home at the end) on each control."""
    check_keyboard_walk(static_explorers[name])


@pytest.mark.parametrize("name", FACTORIES)
def test_static_frames_fit_the_page_budget(static_explorers, name):
    explorer = static_explorers[name]
    total = check_frame_budget(explorer, FRAME_BUDGET)
    frames = len({id(image) for part in parts(explorer) for image in part.frames.values()})
    assert total / frames < 12_000  # typical frame size


def test_static_pushforward_fixes_location_and_says_so(static_explorers):
    explorer = static_explorers["pushforward"]
    assert set(explorer.controls) == {"source", "scale", "map", "parameter"}
    note = explorer.children[-1]
    assert "pgm-note" in note._dom_classes
    assert note.value == (
        '<p class="pgm-note-text">Fixed on this page: source location m = 0.0. '
        "Run the notebook (JupyterLab, Binder) to move it too.</p>"
    )
    errors = {
        explorer.frame_keys[combo]
        for combo, state in explorer._static_states.items()
        if "error" in state
    }
    # the probit map on a Gaussian source (3 scales) and on U[0, 2] is undefined
    assert len(errors) == 4


def test_static_pushforward_shares_frames_only_where_c_is_unused(static_explorers):
    explorer = static_explorers["pushforward"]
    maps = explorer._specs["map"].static_values
    c_values = explorer._specs["parameter"].static_values
    assert c_values == (0.5, 1.0, 2.0)
    assert maps[-1] == "affine"  # a reader (or the browser test) jumping to the end meets c
    for combo in explorer.frames:
        siblings = {id(explorer.frames[(*combo[:3], i)]) for i in range(len(c_values))}
        uses_c = maps[combo[2]] in ("sign_split", "affine")
        assert len(siblings) == (len(c_values) if uses_c else 1), (combo, maps[combo[2]])
    distinct = {id(image) for image in explorer.frames.values()}
    assert len(explorer.frames) == 2 * 3 * 6 * 3 and len(distinct) == 2 * 3 * (4 + 2 * 3)
    # the slope c of the affine map changes the histogram: the same draws, stretched by c
    explorer.set(source="uniform", scale=1.0, map="affine")
    spans = []
    for c in c_values:
        explorer.set(parameter=c)
        edges = explorer.state["target_edges"]
        spans.append(edges[-1] - edges[0])
        assert explorer.state["map_name"] == f"{c:g}·x + 1"
    np.testing.assert_allclose(np.array(spans) / spans[0], np.array(c_values) / c_values[0])


def test_static_dom_hooks(static_explorers):
    explorer = static_explorers["kl_asymmetry"]
    assert {"pgm-explorer", "pgm-explorer-kl_asymmetry", "pgm-mode-static"} <= set(
        explorer._dom_classes
    )
    for name, control in explorer.controls.items():
        assert {"pgm-control", f"pgm-control-{name}"} <= set(control._dom_classes)
        assert control.description
    stack = explorer.stacks["mu"][0]
    assert "pgm-frames" in stack._dom_classes
    frame = next(iter(explorer._frame_boxes.values()))
    image, readout = frame.children
    assert "pgm-frame" in frame._dom_classes
    assert "pgm-figure" in image._dom_classes and "pgm-readout" in readout._dom_classes
    assert "KL(p‖q)" in readout.value
    group = static_explorers["entropy"]
    assert "pgm-explorer-group" in group._dom_classes


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


def test_bad_mode_is_refused(monkeypatch):
    with pytest.raises(ValueError, match=r"`mode` must be 'live', 'static' or None; got 'fast'"):
        widgets.kl_asymmetry_explorer(mode="fast")
    with pytest.raises(TypeError, match="`mode` must be"):
        widgets.entropy_explorer(mode=1)
    monkeypatch.setenv(widgets.MODE_ENV, "interactive")
    with pytest.raises(ValueError, match="PGMLIB_WIDGET_MODE must be 'live' or 'static'"):
        widgets.pushforward_explorer()


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
