"""The KL-asymmetry explorer (Example 1.11, pgmlib/widgets/_divergences.py): what is particular
to it. The checks every explorer passes run from the registry in tests/test_explorers.py.
"""

from __future__ import annotations

import math

import pytest
from _explorer_checks import MAX_MOVES, mean_frame_bytes, sweep
from _figure_checks import narrow_output_problems, static_figure_problems

import pgmlib as pgm
from pgmlib import widgets


def test_live_numbers_at_the_extremes():
    explorer = widgets.kl_asymmetry_explorer(mode="live")
    assert explorer.mode == "live" and set(explorer.controls) == {"mu", "v"}
    explorer.set(mu=-3.0, v=0.2)  # both extremes: KL(p||q) is huge but finite
    assert explorer.state["kl_pq"] == pytest.approx(math.log(0.2) + 10 / 0.08 - 0.5, rel=1e-12)
    assert explorer.state["kl_qp"] == pytest.approx(-math.log(0.2) + (0.04 + 9) / 2 - 0.5)
    assert explorer.state["kl_pq"] == pytest.approx(pgm.kl_gaussian(0, 1, -3.0, 0.2), rel=1e-15)
    assert "punishes" in explorer.readout.value


def test_static_frames_are_small(static_explorers):
    assert mean_frame_bytes(static_explorers["kl_asymmetry"]) < 12_000  # typical frame size


def test_static_readout_names_the_direct_kl(static_explorers):
    frame = next(iter(static_explorers["kl_asymmetry"]._frame_boxes.values()))
    assert "KL(p‖q)" in frame.children[1].value


def test_figure_fits_a_narrow_jupyterlab_and_stays_legible():
    assert narrow_output_problems(widgets.kl_asymmetry_explorer(mode="live")) == []


def test_no_legend_over_data_and_no_text_cut_in_any_static_frame(static_explorers):
    assert static_figure_problems(static_explorers["kl_asymmetry"]) == []


def test_moving_the_mean_redraws_only_what_moves():
    """The density axis depends on v alone: moving mu only redraws the curves (blitting)."""
    explorer = widgets.kl_asymmetry_explorer(mode="live")
    before = explorer._render.full_draws
    sweep(explorer, "mu", max_moves=MAX_MOVES)
    assert explorer._render.full_draws == before


def test_text_alternative_prints_numbers_by_format_number():
    explorer = widgets.kl_asymmetry_explorer(mode="live")
    explorer.set(mu=-2.0, v=0.5)
    assert "q = N(−2, 0.5²)" in explorer.image.tooltip
    assert f"KL(q‖p) = {widgets.format_number(explorer.state['kl_qp'])}." in (
        explorer.image.tooltip
    )
