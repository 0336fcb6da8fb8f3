"""Bespoke checks of change_of_variables_explorer (section 1.3, Theorem 1.1 in the plane).

The generic checks (live sweeps of every control, static structure and jslinks, keyboard walk,
frame budget) run from the explorer registry; here: the numbers on display are pgmlib's, the
density integrates to 1 and the histogram agrees with it at every static setting, a planar map
that is not invertible shows a message, and what the guide promises happens.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from _explorer_checks import build_static
from _figure_checks import assert_static_frames_legible

from pgmlib import flows
from pgmlib.widgets import _change_of_variables as cov
from pgmlib.widgets import change_of_variables_explorer


@pytest.fixture(scope="module")
def live():
    return change_of_variables_explorer(mode="live")


@pytest.fixture(scope="module")
def static():
    return build_static({"cov": change_of_variables_explorer})["cov"]


@pytest.fixture(scope="module")
def source_draws():
    x, _ = flows.sample_flow(flows.AffineFlow(), cov.N_SAMPLES, rng=cov.SEED)
    return x


def _expected_flow(params: dict) -> flows.FlowMap:
    """The map of a setting, built here from the explorer's documented parameters."""
    k, s = params["strength"], params["scale"]
    if params["map"] == "affine":
        return flows.AffineFlow(angle=math.radians(30), shear=k, log_scales=(s, 0.0))
    if params["map"] == "coupling":
        return flows.CouplingFlow(bend=k, scale_rate=s)
    w = 1.5 * np.array([math.cos(math.radians(60)), math.sin(math.radians(60))])
    across = np.array([-w[1], w[0]]) / 1.5
    return flows.PlanarFlow(w=w, u=k * w / (w @ w) + 0.6 * across, b=0.5)


@pytest.mark.parametrize("kind", ["affine", "planar", "coupling"])
def test_numbers_on_display_are_pgmlib_s(live, source_draws, kind):
    live.set(map=kind, strength=-0.7, scale=0.3, point=1.2)
    state, params = live.state, live.params
    flow = cov.flow_for(params)
    expected = _expected_flow(params)
    assert type(flow) is type(expected)
    for field in dataclasses.fields(flow):
        actual, wanted = getattr(flow, field.name), getattr(expected, field.name)
        np.testing.assert_allclose(actual, wanted, rtol=1e-15)
    (a1, b1), (a2, b2) = state["window"]
    check = flows.flow_histogram_comparison(
        flow, source_draws, np.linspace(a1, b1, 41), np.linspace(a2, b2, 41), n_sub=3
    )
    np.testing.assert_array_equal(state["density"], check.density)
    np.testing.assert_allclose(
        state["histogram_density"] * np.outer(np.diff(check.y2_edges), np.diff(check.y1_edges)),
        check.frequencies.T,
        rtol=1e-14,
    )
    for key in ("window_integral", "mass_outside", "total_mass", "total_variation"):
        assert state[key] == getattr(check, key), key
    assert state["noise_total_variation"] == check.noise_total_variation
    element = flows.local_area_element(flow, flow.forward(np.array([1.2, 0.5])), side=0.4)
    assert state["inverse_abs_det"] == element.inverse_abs_det
    assert state["density_y"] == element.density_y
    np.testing.assert_array_equal(state["square_image"], element.image)
    np.testing.assert_allclose(state["x"], [1.2, 0.5], atol=1e-12)
    assert state["flow_text"] == flow.text.replace("-", "−")  # no hyphens in the texts
    # what is drawn is the state: both images on one scale, the point where the state says
    view = live._render
    top = state["colour_top"]
    assert top >= check.density.max()
    np.testing.assert_array_equal(view.density_image.get_array(), state["density"] / top)
    np.testing.assert_array_equal(
        view.histogram_image.get_array(), state["histogram_density"] / top
    )
    assert [t.get_text() for t in view.key] == ["0", cov.format_number(top / 2, 3), str(top)]
    np.testing.assert_array_equal(view.y_markers[0].get_xydata()[0], state["y"])
    np.testing.assert_array_equal(view.image_dots.get_offsets(), check.y[: cov.N_SHOWN])
    # and the readout says those numbers
    readout = live.readout.value
    assert f"|det ∇T⁻¹(y)| = <b>{cov.format_number(element.inverse_abs_det, 4)}</b>" in readout
    assert f"total <b>{cov.format_number(check.total_mass, 4)}</b>" in readout
    assert f"total variation <b>{cov.format_number(check.total_variation, 3)}</b>" in readout


def test_the_source_draws_are_made_once(live):
    live.set(map="affine", point=0.0)
    first = live.state["x_shown"]
    live.set(map="coupling", point=1.0)
    assert np.shares_memory(first, live.state["x_shown"])


def test_every_static_setting_integrates_to_one_and_agrees_with_its_histogram(static):
    states = static._static_states
    assert len(states) == 54
    for combo, state in states.items():
        assert "error" not in state, combo
        # midpoint rule on 120 x 120 cells + the Jacobian-free mass outside the window
        assert state["total_mass"] == pytest.approx(1.0, abs=2e-3), combo
        assert state["mass_outside"] < 0.02, combo
        assert state["total_variation"] <= cov.AGREEMENT_FACTOR * state["noise_total_variation"]
    frames = {id(frame): frame for frame in static.frames.values()}
    assert len(frames) == 45  # the planar map ignores the scale: one frame for both values
    texts = {box.children[1].value for box in static._frame_boxes.values()}
    assert all("about what sampling noise alone gives" in text for text in texts)


@pytest.mark.parametrize("kind", ["affine", "planar", "coupling"])
def test_agreement_is_at_the_level_of_sampling_noise_across_the_strength_range(live, kind):
    live.set(map=kind, scale=0.5, point=0.0)
    for strength in (-0.9, -0.5, 0.0, 0.5, 1.0, 1.5):
        live.set(strength=strength)
        state = live.state
        assert state["total_mass"] == pytest.approx(1.0, abs=5e-3), (kind, strength)
        assert state["total_variation"] <= cov.AGREEMENT_FACTOR * state["noise_total_variation"]


def test_a_planar_map_that_is_not_invertible_shows_a_message(live):
    live.set(map="planar", strength=0.5)
    before = live.current_png()
    for strength in (-1.0, -1.5):
        live.set(strength=strength)
        assert "is not invertible" in live.state["error"]
        assert "Not defined here" in live.readout.value
        assert live.image.tooltip.startswith("Message:")
    fixed = flows.PlanarFlow.reparametrised(cov._PLANAR_W, cov._planar_u(-1.5), 0.5).w_dot_u
    assert fixed > -1 and f"w·û = {cov.format_number(fixed, 3)}" in live.state["error"]
    assert live.current_png() != before
    live.set(strength=-0.9)  # the last invertible value: the figure returns
    assert "error" not in live.state and live.state["total_mass"] == pytest.approx(1, abs=5e-3)


def test_the_scale_slider_follows_the_map(live):
    live.set(map="planar")
    scale = live.controls["scale"]
    assert scale.disabled and "unused" in scale.description
    assert live.controls["strength"].description == "w·u"
    live.set(map="coupling")
    assert not scale.disabled and scale.description == "scale rate s"
    assert live.controls["strength"].description == "bend a"


def test_controls_fit_one_row_at_592_px(live):
    from pgmlib.widgets._core import _LABEL_GAP_PX, _text_px

    geometry = live.control_geometry
    assert geometry.label_px + geometry.rest_px <= 592
    buttons = sum(_text_px(label) + 24 for label, _ in live.controls["map"].options)
    assert geometry.label_px + _LABEL_GAP_PX + buttons <= 592
    live_labels = [*cov._STRENGTH.values(), *filter(None, cov._SCALE.values()), cov._SCALE_UNUSED]
    assert all(_text_px(text) + 2 <= geometry.label_px for text in live_labels)
    figure = live._render.figure
    assert figure.get_figwidth() * figure.dpi <= 592


def test_a_move_of_the_point_reuses_the_map_s_fields(live):
    """The density, the histogram and the warped grid depend on the map alone: a move of the
    point (or of the scale under the planar map, which ignores it) reuses them."""
    live.set(map="coupling", strength=0.7, scale=0.2, point=0.0)
    density = live.state["density"]
    live.set(point=1.3)
    assert live.state["density"] is density
    assert live.state["x"][0] == pytest.approx(1.3)
    live.set(map="planar", strength=0.3)
    density = live.state["density"]
    live.set(scale=-0.4)
    assert live.state["density"] is density
    live.set(map="affine")
    assert live.state["density"] is not density


def test_the_source_plane_never_changes(live):
    """The source grid and draws are drawn in the background once: every setting gives the
    very same ones."""
    view = live._render
    live.set(map="affine", strength=0.4, point=0.0)
    lines = [segment.copy() for segment in view.source_grid.get_segments()]
    dots = view.source_dots.get_offsets().copy()
    for setting in ({"map": "planar"}, {"map": "coupling", "strength": -1.0}, {"point": 2.0}):
        live.set(**setting)
        for before, after in zip(lines, view.source_grid.get_segments(), strict=True):
            np.testing.assert_array_equal(before, after)
        np.testing.assert_array_equal(dots, view.source_dots.get_offsets())
    assert view.source_grid not in view._animated and view.source_dots not in view._animated


def test_every_static_frame_is_legible_and_its_key_stays_off_the_data(static):
    """No legend (a colour key): over every static frame, the texts are legible, and the key's
    labels and the headline lie outside every panel's data area."""
    assert assert_static_frames_legible(static, n_legends=0) == 45
    view, renderer = static._render, static._render.figure.canvas.get_renderer()
    panels = [ax.get_window_extent(renderer) for ax in view.axes.flat]
    for text in (*view.key, view.headline):
        box = text.get_window_extent(renderer)
        assert all(box.intersection(box, panel) is None for panel in panels), text


# -- what the guide promises ------------------------------------------------------------------


def test_guide_affine_factor_is_the_same_everywhere(live):
    live.set(map="affine", strength=1.0, scale=0.3)
    factors = []
    for point in (-2.5, -1.0, 0.0, 1.3, 2.5):
        live.set(point=point)
        factors.append(live.state["inverse_abs_det"])
        assert live.state["area_ratio"] == pytest.approx(math.exp(-0.3), rel=1e-12)
    np.testing.assert_allclose(factors, math.exp(-0.3), rtol=1e-14)


def test_guide_coupling_without_scale_moves_mass_without_stretching_area(live):
    live.set(map="coupling", strength=1.2, scale=0.0)
    for point in (-2.0, 0.0, 2.0):
        live.set(point=point)
        state = live.state
        assert state["inverse_abs_det"] == 1.0
        assert state["density_y"] == pytest.approx(state["density_x"], rel=1e-15)
        assert state["image_area"] == pytest.approx(state["square_area"], rel=1e-12)


def test_guide_coupling_with_scale_shrinks_the_factor_to_the_right(live):
    live.set(map="coupling", strength=0.5, scale=0.4)
    factors, densities = [], []
    for point in (-2.0, -1.0, 0.0, 1.0, 2.0):
        live.set(point=point)
        y1 = live.state["y"][0]
        assert live.state["inverse_abs_det"] == pytest.approx(math.exp(-0.4 * y1), rel=1e-14)
        factors.append(live.state["inverse_abs_det"])
        densities.append(live.state["density_y"] / live.state["density_x"])
        growth = live.state["image_area"] / live.state["square_area"]
        assert growth == pytest.approx(math.exp(0.4 * point), rel=2e-3)  # det grad T = e^{s x1}
        assert (live.state["density_y"] < live.state["density_x"]) == (point > 0)
    assert np.all(np.diff(factors) < 0)
    np.testing.assert_allclose(densities, factors, rtol=1e-13)


def test_guide_planar_ridge_sharpens_as_w_dot_u_approaches_minus_one(live):
    live.set(map="planar", point=0.0)
    peaks = []
    for strength in (0.5, 0.0, -0.5, -0.8, -0.9):
        live.set(strength=strength)
        peaks.append(live.state["density_max"])
    assert np.all(np.diff(peaks) > 0)
    assert peaks[-1] > 5 * peaks[0]


def test_guide_text_is_in_the_factory_docstring_and_uses_myst_maths():
    assert cov.GUIDE.count("\n- ") == 4 and cov.GUIDE.startswith("- **Affine map.**")
    assert "$|\\det \\nabla T^{-1}(y)|$" in cov.GUIDE
    doc = change_of_variables_explorer.__doc__
    assert "Guide of what to try" in doc
    for topic in ("Affine map", "Coupling map with :math:`s = 0`", "Planar map", "Every setting"):
        assert topic in doc
