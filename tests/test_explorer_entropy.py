"""The entropy explorer (section 1.5, pgmlib/widgets/_information.py): what is particular to it.
The checks every explorer passes run from the registry in tests/test_explorers.py.

Three parts (Bernoulli entropy, a pmf on K outcomes against log K, cross-entropy as entropy plus
KL), whose numbers are pgmlib's and whose extremes say what the section says; figures that fit
a narrow JupyterLab, with no legend over data in any static frame.
"""

from __future__ import annotations

import math

import pytest
from _explorer_checks import MAX_MOVES, mean_frame_bytes, sweep
from _figure_checks import narrow_output_problems, static_figure_problems

import pgmlib as pgm
from pgmlib import widgets


def test_live_numbers_at_the_extremes():
    explorer = widgets.entropy_explorer(mode="live")
    assert set(explorer.controls) == {"theta", "n_outcomes", "skew", "p_tilt", "q_tilt"}
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


def test_live_pmfs_are_pgmlib_s_tilted_pmfs():
    explorer = widgets.entropy_explorer(mode="live")
    explorer.set(n_outcomes=5, skew=1.5, p_tilt=0.5, q_tilt=-1.0)
    state = explorer.state
    assert state["pmf"].tolist() == pgm.tilted_pmf(5, -1.5, centre=1.0).tolist()
    assert state["p"].tolist() == pgm.tilted_pmf(4, 0.5).tolist()
    assert state["q"].tolist() == pgm.tilted_pmf(4, -1.0).tolist()


def test_static_frames_are_small(static_explorers):
    assert mean_frame_bytes(static_explorers["entropy"]) < 12_000  # typical frame size


def test_figures_fit_a_narrow_jupyterlab_and_stay_legible():
    assert narrow_output_problems(widgets.entropy_explorer(mode="live")) == []


def test_no_legend_over_data_and_no_text_cut_in_any_static_frame(static_explorers):
    assert static_figure_problems(static_explorers["entropy"]) == []


def test_moves_redraw_only_what_moves():
    """Fixed limits: after the first draw every move blits (no part redraws its background)."""
    explorer = widgets.entropy_explorer(mode="live")
    for name in explorer.controls:
        sweep(explorer, name, max_moves=MAX_MOVES)
    assert [part._render.full_draws for part in explorer.parts.values()] == [1, 1, 1]


def test_readouts_and_text_alternatives_print_numbers_by_format_number():
    explorer = widgets.entropy_explorer(mode="live")
    explorer.set(theta=0.3, n_outcomes=3, skew=1.0, p_tilt=0.5, q_tilt=-1.0)
    state, parts = explorer.state, explorer.parts
    h = widgets.format_number(state["binary_entropy"])
    assert f"θ = 0.3: H(θ) = <b>{h}</b> nats" in parts["bernoulli"].readout.value
    assert "P(X = 0) = 0.7 and P(X = 1) = 0.3" in parts["bernoulli"].image.tooltip
    share = widgets.format_number(100 * state["entropy_pmf"] / state["log_k"], 3)
    assert f"H(p) is {share}% of its maximum" in parts["k_outcomes"].readout.value
    pmf = widgets.format_vector(state["pmf"], 2)
    assert f"on K = 3 outcomes {pmf} with" in parts["k_outcomes"].image.tooltip
    p, q = widgets.format_vector(state["p"], 2), widgets.format_vector(state["q"], 2)
    assert f"p = {p} and q = {q} on four outcomes" in parts["cross_entropy"].image.tooltip
