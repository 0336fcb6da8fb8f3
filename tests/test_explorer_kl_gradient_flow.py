"""The KL gradient-flow explorer (Example 1.12, Figure 1.5; pgmlib/widgets/_gradient_flow.py):
what is particular to it. The checks every explorer passes run from the registry in
tests/test_explorers.py.

Its paths are pgmlib's kl_gradient_flow (where a path stops, and why, included), the printed rule
(1.42) is drawn beside the correct one, and the static page offers Figure 1.5 and a narrow start.
The figure fits a narrow JupyterLab; its legend, above the panels, never covers a path or an
iterate's number, and its snapped window keeps most moves to a redraw of the paths alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, assert_finite, sweep
from _figure_checks import (
    legend_overlaps,
    narrow_output_problems,
    static_figure_problems,
    texts_cut_off,
)

import pgmlib as pgm
from pgmlib.widgets import format_number, format_vector, kl_gradient_flow_explorer

# -- live mode --------------------------------------------------------------------------------


def test_live_sweeps_with_the_printed_rule_shown():
    explorer = kl_gradient_flow_explorer(mode="live")
    assert set(explorer.controls) == {
        "mu_init",
        "sigma_init",
        "eta_mu",
        "eta_sigma",
        "n_steps",
        "printed",
    }
    explorer.set(printed="shown")
    for name in explorer.controls:
        sweep(explorer, name, max_moves=MAX_MOVES)


def test_numbers_are_pgmlib_s():
    explorer = kl_gradient_flow_explorer(mode="live")
    settings = pgm.plotting.FIGURE_1_5_SETTINGS
    mus, sigmas = pgm.kl_gradient_flow(**settings)
    state = explorer.state
    np.testing.assert_array_equal(state["mus"], mus)
    np.testing.assert_array_equal(state["sigmas"], sigmas)
    np.testing.assert_array_equal(state["kl"], pgm.kl_gaussian(0.0, 1.0, mus, sigmas))
    assert state["steps_done"] == settings["n_steps"] and state["failure"] == ""
    assert np.all(np.diff(state["kl"]) < 0)  # Figure 1.5's 31 steps all lower the KL
    explorer.set(printed="shown")
    printed = pgm.kl_gradient_flow(**settings, rule="notes")
    np.testing.assert_array_equal(explorer.state["printed_mus"], printed.mus)
    np.testing.assert_array_equal(explorer.state["printed_sigmas"], printed.sigmas)
    # the drawn path is the state's
    view = explorer._render
    np.testing.assert_array_equal(view.path.get_xdata(), mus)
    np.testing.assert_array_equal(view.printed.get_ydata(), printed.sigmas)
    assert "Printed rule (1.42)" in explorer.readout.value
    explorer.set(n_steps=60)  # the fixed steps overshoot near the target: the readout says so
    assert "rises first at step 38" in explorer.readout.value


def test_domain_error_draws_the_valid_part_and_the_message():
    explorer = kl_gradient_flow_explorer(mode="live")
    before = explorer.current_png()
    explorer.set(eta_sigma=20.0, printed="shown")
    with pytest.raises(pgm.GradientFlowError) as caught:
        pgm.kl_gradient_flow(0.0, 1.0, 10.0, 20.0, 10.0, 20.0, 31)
    state = explorer.state
    assert "error" not in state  # no veil: the path up to the failure is drawn
    assert state["failure"] == str(caught.value) and state["failed_step"] == caught.value.step
    np.testing.assert_array_equal(state["mus"], caught.value.mus)
    np.testing.assert_array_equal(state["sigmas"], caught.value.sigmas)
    assert state["steps_done"] == caught.value.step - 1 < 31
    assert state["printed_failure"].startswith("step 12 of the KL gradient flow (rule='notes')")
    assert "Stopped:" in explorer.readout.value and "reduce eta_sigma (now 20)" in state["failure"]
    view = explorer._render
    assert len(view.stop.get_xdata()) == 2  # a cross where each path stops
    assert "stopped before step 17" in view.note.get_text()
    assert explorer.current_png() != before
    assert_finite(state, "eta_sigma = 20")
    assert "The path stops at a red cross: σ would turn ≤ 0." in explorer.image.tooltip


def test_diverging_path_is_cut_before_the_kl_overflows():
    explorer = kl_gradient_flow_explorer(mode="live")
    explorer.set(sigma_init=0.5, eta_sigma=0.0, eta_mu=20.0, n_steps=100)
    state = explorer.state
    assert_finite(state, "diverging path")
    assert state["steps_done"] == 25 and state["kl"].max() <= 1e100
    assert "the KL exceeds 1e+100: the iterates diverge" in state["failure"]
    assert "reduce eta_mu (now 20)" in state["failure"]
    plane = explorer._render.axes[0]
    low, high = plane.get_xlim()
    assert -100 < low < high < 100  # the window stays around the start and the target
    assert "path leaves the window" in explorer._render.note.get_text()
    # where and why it stops is pgmlib's decision, read from the path's stop
    stop = pgm.kl_gradient_flow(
        0.0, 1.0, 10.0, 0.5, 20.0, 0.0, 100, max_kl=1e100, on_stop="return"
    ).stop
    assert (state["failure"], state["failed_step"]) == (stop.reason, stop.step)
    assert "The path stops at a red cross: the iterates diverge." in explorer.image.tooltip


def test_zero_steps_and_zero_step_sizes():
    explorer = kl_gradient_flow_explorer(mode="live")
    explorer.set(n_steps=0)
    assert explorer.state["steps_done"] == 0 and explorer.state["mus"].tolist() == [10.0]
    explorer.set(n_steps=10, eta_mu=0.0, eta_sigma=0.0)  # nothing moves
    assert np.all(explorer.state["mus"] == 10.0) and np.all(explorer.state["sigmas"] == 20.0)
    assert_finite(explorer.state, "frozen path")


# -- static mode ------------------------------------------------------------------------------


def test_static_fixed_controls_are_stated(static_explorers):
    flow = static_explorers["kl_gradient_flow"]
    assert set(flow.controls) == {"sigma_init", "eta_sigma", "n_steps"}
    assert flow.children[-1].value == (
        '<p class="pgm-note-text">Fixed on this page: start μ = 10.0; step size η_μ = 10.0; '
        "printed rule (1.42): hidden. Run the notebook (JupyterLab, Binder) to "
        "move them too.</p>"
    )


def test_static_offers_a_narrow_start(static_explorers):
    """Start sigma = 5 (besides Figure 1.5's 20): the correct gradient first widens q, which
    the printed rule (1.42), blind to the mean term, would narrow."""
    flow = static_explorers["kl_gradient_flow"]
    flow.set(sigma_init=20.0, eta_sigma=6.6, n_steps=31)  # Figure 1.5, the default frame
    figure_1_5 = pgm.kl_gradient_flow(**pgm.plotting.FIGURE_1_5_SETTINGS)
    np.testing.assert_array_equal(flow.state["mus"], figure_1_5.mus)
    np.testing.assert_array_equal(flow.state["sigmas"], figure_1_5.sigmas)
    flow.set(sigma_init=5.0, eta_sigma=2.0)
    sigmas = flow.state["sigmas"]
    assert sigmas[1] > sigmas[0] == 5.0 and flow.state["failure"] == ""
    assert flow.state["kl_end"] < 0.3 < 3 < flow.state["kl_start"]
    printed = pgm.kl_gradient_flow(0.0, 1.0, 10.0, 5.0, 10.0, 2.0, 1, rule="notes")
    assert printed.sigmas[1] < 5.0


# -- the figure -------------------------------------------------------------------------------


def test_figure_fits_a_narrow_jupyterlab_and_stays_legible():
    assert narrow_output_problems(kl_gradient_flow_explorer(mode="live")) == []


def test_no_legend_over_data_and_no_text_cut_in_any_static_frame(static_explorers):
    """The legend once hid the iterates' numbers (from start mu = 5): it is above the panels."""
    assert static_figure_problems(static_explorers["kl_gradient_flow"]) == []


def test_no_legend_over_data_and_no_text_cut_along_live_sweeps():
    """Live settings the static page does not have: other starts, the printed rule shown, a
    diverging path (the widest window and KL axis)."""
    explorer = kl_gradient_flow_explorer(mode="live")
    explorer.set(printed="shown")
    figure = explorer._render.figure
    for name in ("mu_init", "sigma_init", "eta_mu", "eta_sigma", "n_steps"):
        values = [v for _, v in explorer.controls[name].options]
        for value in [*values[:: max(1, len(values) // 8)], values[-1]]:
            explorer.set(**{name: value})
            problems = legend_overlaps(figure) + texts_cut_off(figure)
            assert problems == [], f"{name} = {value}: {problems}"
    explorer.set(sigma_init=0.5, eta_sigma=0.0, eta_mu=20.0, n_steps=100)  # diverges
    assert explorer.state["failure"] and legend_overlaps(figure) + texts_cut_off(figure) == []


def test_steps_and_step_sizes_inside_the_window_only_redraw_the_paths():
    """From Figure 1.5's start, the window is the box of the start and the target while the
    path stays in it, and the step axis is snapped: these moves blit."""
    explorer = kl_gradient_flow_explorer(mode="live")
    view = explorer._render
    before = (view.full_draws, view.axes[0].get_xlim(), view.axes[0].get_ylim())
    for n_steps in range(21, 41):
        explorer.set(n_steps=n_steps)
    for eta_sigma in np.arange(1.0, 5.01, 0.2):
        explorer.set(eta_sigma=float(eta_sigma))
    assert (view.full_draws, view.axes[0].get_xlim(), view.axes[0].get_ylim()) == before


def test_the_window_grows_only_to_hold_the_path():
    explorer = kl_gradient_flow_explorer(mode="live")
    plane = explorer._render.axes[0]
    assert plane.get_xlim() == (-4.0, 12.0) and plane.get_ylim() == (0.0, 25.0)  # Figure 1.5
    explorer.set(eta_sigma=12.0)  # sigma bounces up to 58: a wider window holds the whole path
    state = explorer.state
    (low, high), (_, top) = plane.get_xlim(), plane.get_ylim()
    assert state["failure"] == "" and state["sigmas"].max() > 50
    assert low <= state["mus"].min() and state["mus"].max() <= high
    assert state["sigmas"].max() <= top
    assert "leaves the window" not in explorer._render.note.get_text()


def test_readout_and_text_alternative_print_pairs_by_format_vector():
    explorer = kl_gradient_flow_explorer(mode="live")
    explorer.set(eta_mu=0.0, eta_sigma=1.0, n_steps=10, printed="shown")
    state = explorer.state
    pair = format_vector([state["mus"][-1], state["sigmas"][-1]])
    assert pair.startswith("(10, ") and f"(μ, σ) = {pair} and KL(p‖q)" in explorer.readout.value
    printed = format_vector([state["printed_mus"][-1], state["printed_sigmas"][-1]])
    assert f"(μ, σ) = {printed}, KL = " in explorer.readout.value
    alt = explorer.image.tooltip
    assert "from (10, 20) with step sizes η_μ = 0, η_σ = 1: 10 steps" in alt
    assert f"from {format_number(state['kl_start'], 3)} to" in alt
