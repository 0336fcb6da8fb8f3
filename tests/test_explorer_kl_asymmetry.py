"""The KL-asymmetry explorer (Example 1.11, pgmlib/widgets/_divergences.py): what is particular
to it. The checks every explorer passes run from the registry in tests/test_explorers.py.
"""

from __future__ import annotations

import math

import pytest
from _explorer_checks import mean_frame_bytes

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
