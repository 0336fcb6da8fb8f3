"""Tests of pgmlib.widgets: the explorer core and the three required explorers, in both modes.

Live mode: every control is driven from Python through its whole range (extremes included);
each move must change the displayed image and leave finite numbers in ``state``.
Static mode: one frame per combination of the shown controls' static values, every control
jslinked to every Stack it drives, and the frames within the page-weight budget.
"""

from __future__ import annotations

import base64
import io
import math
from itertools import product

import ipywidgets
import numpy as np
import pytest
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


def _parts(explorer):
    return list(explorer.parts.values()) if isinstance(explorer, ExplorerGroup) else [explorer]


def _numbers(state: dict):
    for key, value in state.items():
        if isinstance(value, (bool, str)) or callable(value) or value is None:
            continue
        if isinstance(value, (int, float, np.number)) or isinstance(value, (np.ndarray, tuple)):
            yield key, np.asarray(value, dtype=float)


def _assert_finite(state: dict, context: str) -> None:
    numbers = dict(_numbers(state))
    assert numbers, f"no numbers in the state ({context})"
    for key, value in numbers.items():
        if key == "source_edges":  # a Gaussian's outer quantile edges are -inf and +inf
            assert not np.any(np.isnan(value)) and np.all(np.diff(value) > 0)
            value = value[1:-1]
        assert np.all(np.isfinite(value)), f"{key} not finite ({context}): {value}"


def _options(widget) -> list:
    return [value for _, value in widget.options]


@pytest.fixture(scope="module")
def static_explorers():
    """Built with mode=None and the environment variable the book build sets."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(widgets.MODE_ENV, "static")
        return {name: factory() for name, factory in FACTORIES.items()}


# -- live mode --------------------------------------------------------------------------------


def _sweep(explorer, name: str, allow_error=lambda state: False) -> int:
    """Move control ``name`` through every option; return how many moves showed a message."""
    part = explorer.part_of(name) if isinstance(explorer, ExplorerGroup) else explorer
    widget = part.controls[name]
    errors = 0
    for value in _options(widget):
        if value == widget.value:
            continue
        before = part.current_png()
        part.set(**{name: value})
        context = f"{name} = {value!r}, params {part.params}"
        assert part.current_png() != before, f"image unchanged: {context}"
        Image.open(io.BytesIO(part.current_png())).verify()
        if "error" in part.state:
            assert allow_error(part.params), f"unexpected error {part.state['error']}: {context}"
            assert "Not defined here" in part.readout.value
            errors += 1
        else:
            _assert_finite(part.state, context)
    return errors


def test_kl_asymmetry_live_sweeps_every_control():
    explorer = widgets.kl_asymmetry_explorer(mode="live")
    assert explorer.mode == "live" and set(explorer.controls) == {"mu", "v"}
    for name in ("v", "mu"):
        _sweep(explorer, name)
    explorer.set(mu=-3.0, v=0.2)  # both extremes: KL(p||q) is huge but finite
    assert explorer.state["kl_pq"] == pytest.approx(math.log(0.2) + 10 / 0.08 - 0.5, rel=1e-12)
    assert explorer.state["kl_qp"] == pytest.approx(-math.log(0.2) + (0.04 + 9) / 2 - 0.5)
    assert explorer.state["kl_pq"] == pytest.approx(pgm.kl_gaussian(0, 1, -3.0, 0.2), rel=1e-15)
    assert "punishes" in explorer.readout.value


def test_entropy_live_sweeps_every_control():
    explorer = widgets.entropy_explorer(mode="live")
    assert set(explorer.controls) == {"theta", "n_outcomes", "skew", "p_tilt", "q_tilt"}
    for name in explorer.controls:
        _sweep(explorer, name)
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
        assert _sweep(explorer, "map", allow_error=outside) == (source == "gaussian")
    explorer.set(source="gaussian", map="sign_split")
    for name in ("location", "scale", "parameter"):
        _sweep(explorer, name)
    explorer.set(map="affine", parameter=0.5)
    _sweep(explorer, "scale")
    explorer.set(source="uniform", map="exp", location=-2.0, scale=0.25)
    _sweep(explorer, "location")


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
    _assert_finite(explorer.state, "uniform + probit")


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
    for part in _parts(explorer):
        shown = [part._specs[n] for n in part.controls]
        sizes = [len(spec.static_values) for spec in shown]
        assert all(size > 1 for size in sizes)
        assert len(part.frames) == math.prod(sizes)
        assert set(part.frames) == set(product(*(range(n) for n in sizes)))
        pngs = [bytes(image.value) for image in part.frames.values()]
        assert len(set(pngs)) == len(pngs), "two frames are identical"
        for png in pngs:
            Image.open(io.BytesIO(png)).verify()
        links = {
            (id(link.source[0]), link.source[1], id(link.target[0]), link.target[1])
            for link in part.links
        }
        for level, spec in enumerate(shown):
            stacks = part.stacks[spec.name]
            assert len(stacks) == math.prod(sizes[:level])
            control = part.controls[spec.name]
            for stack in stacks:
                assert isinstance(stack, ipywidgets.Stack)
                assert len(stack.children) == sizes[level]
                assert stack.selected_index == control.index
                assert (id(control), "index", id(stack), "selected_index") in links
        assert len(part.links) == sum(len(s) for s in part.stacks.values())
        for image in part.frames.values():
            assert image.tooltip and "description" in image.keys  # the <img> gets a title


@pytest.mark.parametrize("name", FACTORIES)
def test_static_controls_select_frames_from_python(static_explorers, name):
    explorer = static_explorers[name]
    for part in _parts(explorer):
        for control_name, widget in part.controls.items():
            seen = set()
            for value in _options(widget):
                part.set(**{control_name: value})
                index = tuple(part.controls[n].index for n in part.controls)
                assert part.current_png() == bytes(part.frames[index].value)
                for stack in part.stacks[control_name]:
                    assert stack.selected_index == widget.index
                if "error" not in part.state:
                    _assert_finite(part.state, f"{name}: {control_name} = {value!r}")
                seen.add(part.current_png())
            assert len(seen) == len(widget.options)


@pytest.mark.parametrize("name", FACTORIES)
def test_static_frames_fit_the_page_budget(static_explorers, name):
    explorer = static_explorers[name]
    total = explorer.static_bytes()
    encoded = sum(
        len(base64.b64encode(bytes(image.value)))
        for part in _parts(explorer)
        for image in part.frames.values()
    )
    assert 0 < total <= FRAME_BUDGET, f"{name}: {total} bytes of frames"
    assert encoded <= 4 / 3 * FRAME_BUDGET + 4 * 500
    frames = sum(len(part.frames) for part in _parts(explorer))
    assert total / frames < 12_000  # typical frame size


def test_static_pushforward_fixes_location_and_parameter_and_says_so(static_explorers):
    explorer = static_explorers["pushforward"]
    assert set(explorer.controls) == {"source", "scale", "map"}
    note = explorer.children[-1]
    assert "pgm-note" in note._dom_classes and "fixed" in note.value
    assert "source location m = 0.0" in note.value
    errors = [s for s in explorer._static_states.values() if "error" in s]
    # the probit map on a Gaussian source (3 scales) and on U[0, 2] is undefined
    assert len(errors) == 4


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
    assert "b = one" in explorer.children[-1].value
    assert explorer.params == {"a": 1.0, "b": 1}


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
