"""The entropy explorer (section 1.5, pgmlib/widgets/_information.py): what is particular to it.
The checks every explorer passes run from the registry in tests/test_explorers.py.

Three parts (Bernoulli entropy, a pmf on K outcomes against log K, cross-entropy as entropy plus
KL), whose numbers are pgmlib's and whose extremes say what the section says.
"""

from __future__ import annotations

import math

import pytest
from _explorer_checks import mean_frame_bytes

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
