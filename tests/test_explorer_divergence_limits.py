"""The divergence-limits explorer (Examples 1.9 and 1.10, pgmlib/widgets/_limits.py): what is
particular to it. The checks every explorer passes run from the registry in
tests/test_explorers.py.

Along each sequence the three divergences give the verdicts of the examples, with pgmlib's
numbers, up to the extremes of the sliders; the figures fit a narrow JupyterLab, with no legend
over data and no text cut in any static frame.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, sweep
from _figure_checks import narrow_output_problems, static_figure_problems

import pgmlib as pgm
from pgmlib.widgets import divergence_limits_explorer, format_number


def test_along_the_sweeps_l1_falls_kl_stays_chi2_grows():
    explorer = divergence_limits_explorer(mode="live")
    assert set(explorer.controls) == {"n", "eps"}
    n_states = sweep(explorer, "n", max_moves=MAX_MOVES)
    eps_states = sweep(explorer, "eps", max_moves=MAX_MOVES)
    # along the sweeps, L1 falls with n, KL stays within (0.6, 1], chi2 grows
    l1 = [s["n_l1"] for s in n_states]
    assert np.all(np.diff(l1) < 0) and all(0.6 < s["n_kl"] <= 1.0 for s in n_states)
    assert np.all(np.diff([s["n_chi2"] for s in n_states]) > 0)
    assert all(s["eps_chi2"] <= 1.0 for s in eps_states)


def test_numbers_are_pgmlib_s_at_the_extremes():
    explorer = divergence_limits_explorer(mode="live")
    for n in (1.1, 500.0):
        explorer.set(n=n)
        d, state = pgm.example_1_9_divergences(n), explorer.state
        assert (state["n_l1"], state["n_kl"], state["n_chi2"]) == (d.l1, d.kl, d.chi2)
        assert state["q_low"] == pgm.example_1_9_q(0.5 / n, n) == math.exp(-n)
        assert state["q_high"] == pytest.approx(pgm.example_1_9_c(n), rel=1e-15)
    assert state["n_l1"] == pytest.approx(2 * (1 - math.exp(-500)) / 500, rel=1e-14)
    assert 1e214 < state["n_chi2"] < 1e215  # huge but finite; drawn as a triangle at the top
    marker = explorer.parts["example_1_9"]._render.markers["chi2"]
    assert marker.get_marker() == "^" and marker.get_ydata()[0] == 1e3
    for eps in (0.001, 0.9):
        explorer.set(eps=eps)
        d, state = pgm.example_1_10_divergences(eps), explorer.state
        assert (state["eps_l1"], state["eps_kl"], state["eps_chi2"]) == (d.l1, d.kl, d.chi2)
        p, q = state["p_eps"], state["q_eps"]
        assert state["eps_kl"] == pytest.approx(pgm.kl_divergence(p, q), rel=1e-12)
        assert state["eps_chi2"] == pytest.approx(pgm.chi2_divergence(p, q), rel=1e-12)
    explorer.set(eps=0.001)
    assert explorer.state["eps_chi2"] == pytest.approx(1, abs=0.002)
    assert "χ² → 1" in explorer.parts["example_1_10"].readout.value
    assert "KL → 1 while χ² → ∞" in explorer.parts["example_1_9"].readout.value


def test_figures_fit_a_narrow_jupyterlab_and_stay_legible():
    assert narrow_output_problems(divergence_limits_explorer(mode="live")) == []


def test_no_legend_over_data_and_no_text_cut_in_any_static_frame(static_explorers):
    """Example 1.10's legend no longer hides a bar's value (it did at eps = 0.31)."""
    assert static_figure_problems(static_explorers["divergence_limits"]) == []


def test_readouts_print_numbers_by_format_number():
    explorer = divergence_limits_explorer(mode="live")
    explorer.set(n=1.1, eps=0.31)
    parts = explorer.parts
    assert 'polite">n = 1.1: L1(p‖q_n) = ' in parts["example_1_9"].readout.value
    edge = format_number(1 / 1.1, 3)
    assert f"on [0, {edge}) (shaded)" in parts["example_1_9"].image.tooltip
    assert f"width {edge}" in parts["example_1_9"]._render.note.get_text()
    readout = parts["example_1_10"].readout.value
    assert 'polite">ε = 0.31: L1 = ' in readout
    assert f"p_ε/q_ε = 1/ε = {format_number(1 / 0.31)} grows" in readout
    assert "ε = 0.31 marked" in parts["example_1_10"].image.tooltip


def test_example_1_10_never_redraws_its_background():
    """Fixed limits: moving eps blits the bars, values and markers over the cached background."""
    explorer = divergence_limits_explorer(mode="live")
    sweep(explorer, "eps", max_moves=MAX_MOVES)
    assert explorer.parts["example_1_10"]._render.full_draws == 1
