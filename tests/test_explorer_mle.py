"""The MLE explorer (section 1.4, Example 1.4; pgmlib/widgets/_likelihood.py): what is
particular to it. The checks every explorer passes run from the registry in
tests/test_explorers.py.

Its replicated estimates are pgmlib's, and what the guide promises happens: the spread shrinks
like 1/sqrt(N) (consistency) and the standardised histograms approach N(0, 1) (asymptotic
normality). Its readout's numbers go through format_number, and its legends cover no data or
label.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, sweep
from _figure_checks import assert_static_frames_legible

import pgmlib as pgm
from pgmlib.widgets import format_number, mle_explorer


@pytest.fixture(scope="module")
def live_mle():
    return mle_explorer(mode="live")


def test_live_sweeps_n_on_both_axes(live_mle):
    assert set(live_mle.controls) == {"n", "axes"}
    for axes in ("standardised", "fixed"):
        live_mle.set(axes=axes)
        sweep(live_mle, "n", max_moves=MAX_MOVES)
    live_mle.set(n=10)
    sweep(live_mle, "axes", max_moves=MAX_MOVES)


def test_numbers_are_pgmlib_s(live_mle):
    live_mle.set(n=50, axes="fixed")
    state = live_mle.state
    rng = np.random.default_rng([104, 50])
    a_hat, sigma2_hat = pgm.sample_regression_mle(2.0, 1.0, 50, 2000, rng)
    assert state["a_sd"] == pytest.approx(a_hat.std(), rel=1e-12)
    assert state["sigma2_mean"] == pytest.approx(sigma2_hat.mean(), rel=1e-12)
    inverse = np.linalg.inv(pgm.regression_fisher_information(1.0))
    assert state["a_sd_limit"] == pytest.approx(math.sqrt(inverse[0, 0] / 50), rel=1e-14)
    assert state["sigma2_sd_limit"] == pytest.approx(math.sqrt(inverse[1, 1] / 50), rel=1e-14)
    for name in ("a", "sigma2"):  # both histograms are densities of what falls inside
        width = np.diff(state[f"{name}_edges"])
        mass = np.sum(state[f"{name}_density"] * width)
        assert mass == pytest.approx(1 - state[f"{name}_outside"], abs=1e-12)
        law = np.sum(state[f"{name}_law"] * width)
        assert 0.99 < law <= 1.0 + 1e-12


def test_consistency_and_asymptotic_normality(live_mle):
    sds = {}
    for n in (10, 1000):
        live_mle.set(n=n, axes="standardised")
        sds[n] = (live_mle.state["a_sd"], live_mle.state["sigma2_sd"])
    # spread shrinks like 1/sqrt(N): a factor 10 from N = 10 to N = 1000 (2000 data sets)
    for small, large in zip(sds[10], sds[1000], strict=True):
        assert 7 < small / large < 13
    state = live_mle.state  # N = 1000, standardised: the histograms approach N(0, 1)
    for name in ("a", "sigma2"):
        gap = np.abs(state[f"{name}_density"] - state[f"{name}_law"]).max()
        assert gap < 0.08, f"{name}: histogram departs from N(0, 1) by {gap}"
        assert state[f"{name}_sd"] / state[f"{name}_sd_limit"] == pytest.approx(1, abs=0.06)
    assert "biased, but consistent" in live_mle.readout.value


def test_validates_its_arguments():
    with pytest.raises(ValueError, match="`sigma2` must be"):
        mle_explorer(mode="live", sigma2=0.0)
    with pytest.raises(ValueError, match="n_replicates"):
        mle_explorer(mode="live", n_replicates=5)


def test_readout_and_notes_say_the_state_s_numbers(live_mle):
    live_mle.set(n=3, axes="fixed")
    state, text = live_mle.state, live_mle.readout.value
    assert "with a = 2, σ² = 1, x ~ N(0, 1)" in text
    outside = max(state["a_outside"], state["sigma2_outside"])
    assert outside > 0  # N = 3: the slope's heavy tails reach beyond the window
    assert f"Up to {format_number(100 * outside, 2)}% of the estimates" in text
    notes = [note.get_text() for note in live_mle._render.texts]
    assert notes == [
        f"sd {format_number(state[f'{name}_sd'], 3)}\n"
        f"limit {format_number(state[f'{name}_sd_limit'], 3)}"
        for name in ("a", "sigma2")
    ]


def test_controls_fit_one_row_at_592_px(live_mle):
    from pgmlib.widgets._core import _LABEL_GAP_PX, _text_px

    geometry = live_mle.control_geometry
    assert geometry.label_px + geometry.rest_px <= 592
    buttons = sum(_text_px(label) + 24 for label, _ in live_mle.controls["axes"].options)
    assert geometry.label_px + _LABEL_GAP_PX + buttons <= 592
    figure = live_mle._render.figure
    assert figure.get_figwidth() * figure.dpi <= 592


def test_switching_axes_and_back_keeps_each_mode_s_picture(live_mle):
    """The mode's labels and true-value lines are in the background: switching redraws it,
    and each mode's image is the same after a round trip."""
    live_mle.set(n=50, axes="fixed")
    fixed = live_mle.current_png()
    live_mle.set(axes="standardised")
    view = live_mle._render
    assert [line.get_xdata()[0] for line in view.truths] == [0.0, 0.0]
    assert view.axes[0].get_xlabel().startswith(r"$\sqrt{N}")
    live_mle.set(axes="fixed")
    assert live_mle.current_png() == fixed


# -- static mode ------------------------------------------------------------------------------


def test_every_static_frame_is_legible_and_its_legends_cover_nothing(static_explorers):
    explorer = static_explorers["mle"]
    assert assert_static_frames_legible(explorer, n_legends=2) == 18
