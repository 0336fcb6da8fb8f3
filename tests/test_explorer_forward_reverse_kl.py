"""Bespoke tests of the forward-versus-reverse KL explorer (section 1.7, exercise 4):
pgmlib/widgets/_forward_reverse.py.

The numbers on display (state, readout, drawn curves) are pgmlib's; separated modes give two
reverse optima and merged ones a single one; at weight 1/2 the forward fit sits at the
midpoint; what the guide of the factory's docstring promises happens; edge settings and a
non-converging fit show text, never a traceback. The generic checks (sweeps, static structure,
keyboard walk, frame budget) run from the registry.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, sweep
from _figure_checks import narrow_output_problems, static_figure_problems
from scipy import stats

import pgmlib as pgm
from pgmlib import divergences
from pgmlib.widgets import _forward_reverse, forward_reverse_kl_explorer
from pgmlib.widgets._forward_reverse import _MUS, _X


@pytest.fixture(scope="module")
def live():
    return forward_reverse_kl_explorer(mode="live")


@pytest.fixture(scope="module")
def static():
    return forward_reverse_kl_explorer(mode="static")


def _mixture(d: float, w: float):
    return [w, 1 - w], [-d / 2, d / 2], [1.0, 1.0]


@pytest.mark.parametrize("d, w", [(6.0, 0.5), (8.0, 0.1), (4.5, 0.3), (2.0, 0.8), (0.0, 0.5)])
def test_numbers_on_display_are_pgmlibs(live, d, w):
    live.set(separation=d, weight=w)
    state, mixture = live.state, _mixture(d, w)
    fits = pgm.forward_reverse_kl_fits(*mixture)
    for prefix, fit, kls in [
        ("forward", fits.forward, fits.forward_kl),
        ("left", fits.reverse[0], fits.reverse_kl[0]),
        ("right", fits.reverse[1], fits.reverse_kl[1]),
    ]:
        assert (state[f"{prefix}_mu"], state[f"{prefix}_sigma"]) == tuple(fit)
        assert (state[f"{prefix}_kl_pq"], state[f"{prefix}_kl_qp"]) == (kls.direct, kls.reverse)
    assert state["same_optimum"] is fits.same_optimum
    assert (state["left_start"], state["right_start"]) == (-d / 2 - 1, d / 2 + 1)
    profile = pgm.reverse_kl_profile(*mixture, _MUS)
    np.testing.assert_array_equal(state["profile_kl"], profile.kl)
    # the readout prints them (4 significant figures)
    readout = live.readout.value
    for key in ("forward_sigma", "left_kl_qp", "right_kl_pq"):
        value = state[key]
        assert pgm.widgets.format_number(0.0 if abs(value) < 5e-10 else value) in readout


def test_drawn_curves_are_the_fits_and_the_mixture(live):
    live.set(separation=7.0, weight=0.3)
    view, state = live._render, live.state
    p = 0.3 * stats.norm(-3.5, 1).pdf(_X) + 0.7 * stats.norm(3.5, 1).pdf(_X)
    np.testing.assert_allclose(view.p_line.get_ydata(), p, rtol=1e-12)
    curves = [(view.forward, "forward"), (view.reverse[0], "left"), (view.reverse[1], "right")]
    for line, prefix in curves:
        expected = stats.norm(state[f"{prefix}_mu"], state[f"{prefix}_sigma"]).pdf(_X)
        np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(view.profile.get_ydata(), state["profile_kl"])
    marks = [(m.get_xdata()[0], m.get_ydata()[0]) for m in view.marks]
    assert marks == [
        (state["left_mu"], state["left_kl_qp"]),
        (state["right_mu"], state["right_kl_qp"]),
        (state["forward_mu"], state["forward_kl_qp"]),
    ]


def test_divergences_on_display_match_quadrature(live):
    live.set(separation=6.0, weight=0.3)
    mixture = _mixture(6.0, 0.3)
    for prefix in ("forward", "left", "right"):
        fit = (live.state[f"{prefix}_mu"], live.state[f"{prefix}_sigma"])
        kl_pq = pgm.kl_mixture_gaussian(*mixture, *fit)
        kl_qp = pgm.kl_mixture_gaussian(*mixture, *fit, direction="reverse")
        assert live.state[f"{prefix}_kl_pq"] == pytest.approx(kl_pq, rel=1e-9)
        assert live.state[f"{prefix}_kl_qp"] == pytest.approx(kl_qp, rel=1e-9)


@pytest.mark.parametrize("w", [0.1, 0.5, 0.9])
def test_separated_modes_give_two_optima_merged_modes_one(live, w):
    live.set(separation=8.0, weight=w)
    assert live.state["same_optimum"] is False
    assert live.state["left_mu"] == pytest.approx(-4.0, abs=0.05)
    assert live.state["right_mu"] == pytest.approx(4.0, abs=0.05)
    assert "<b>different</b> local minima" in live.readout.value
    live.set(separation=2.0)
    assert live.state["same_optimum"] is True
    assert live.state["left_mu"] == pytest.approx(live.state["right_mu"], abs=1e-6)
    assert "<b>the same</b> local minimum" in live.readout.value


def test_at_weight_one_half_the_forward_fit_sits_at_the_midpoint(live):
    """For every separation on the live grid: mean 0 exactly, sigma^2 = 1 + d^2 / 4, and the
    reverse fits mirror each other."""
    live.set(weight=0.5)
    for d in [v for _, v in live.controls["separation"].options]:
        live.set(separation=d)
        state = live.state
        assert state["forward_mu"] == 0.0
        assert state["forward_sigma"] == pytest.approx(math.sqrt(1 + d * d / 4), rel=1e-14)
        assert state["left_mu"] == pytest.approx(-state["right_mu"], abs=1e-7)
        assert state["left_sigma"] == pytest.approx(state["right_sigma"], abs=1e-7)


def test_the_guide_of_what_to_try(live):
    # pull the modes apart at w = 0.5: one wide optimum at d = 4.5 (and 4.75), two at d = 5
    live.set(weight=0.5, separation=4.75)
    assert live.state["same_optimum"]
    live.set(separation=4.5)
    assert live.state["same_optimum"] and live.state["left_sigma"] > 2.0
    live.set(separation=5.0)
    assert not live.state["same_optimum"]
    # d = 6: each fit wins in its own direction; a reverse fit pays about log 2
    live.set(separation=6.0)
    state = live.state
    assert state["forward_kl_pq"] < min(state["left_kl_pq"], state["right_kl_pq"])
    assert max(state["left_kl_qp"], state["right_kl_qp"]) < state["forward_kl_qp"]
    assert state["left_kl_qp"] == pytest.approx(math.log(2), abs=0.01)
    # d = 8, w = 0.1: the light mode keeps a local (not global) minimum at about -log 0.1
    live.set(separation=8.0, weight=0.1)
    state = live.state
    assert state["left_mu"] == pytest.approx(-4.0, abs=0.01)
    assert state["left_kl_qp"] == pytest.approx(-math.log(0.1), abs=0.01)
    assert state["right_kl_qp"] < state["left_kl_qp"]
    # d = 5, w = 0.3: the left minimum is gone, both starts reach the heavy mode
    live.set(separation=5.0, weight=0.3)
    assert live.state["same_optimum"] and live.state["left_mu"] > 2.0
    # d = 0: p is N(0, 1), every fit is p, both divergences vanish
    live.set(separation=0.0)
    for prefix in ("forward", "left", "right"):
        assert live.state[f"{prefix}_mu"] == pytest.approx(0.0, abs=1e-9)
        assert live.state[f"{prefix}_sigma"] == pytest.approx(1.0, abs=1e-9)
        assert live.state[f"{prefix}_kl_pq"] < 1e-12 and live.state[f"{prefix}_kl_qp"] < 1e-12
    assert "p is a single Gaussian" in live.readout.value


@pytest.mark.parametrize("d, w", [(0.0, 0.05), (0.0, 0.95), (8.0, 0.05), (8.0, 0.95), (0.25, 0.05)])
def test_edge_settings_show_numbers_and_clean_zeros(live, d, w):
    live.set(separation=d, weight=w)
    state, readout = live.state, live.readout.value
    assert "error" not in state and "Not defined here" not in readout
    numbers = [v for v in state.values() if isinstance(v, float)]
    assert numbers and all(np.isfinite(numbers))
    assert not re.search(r"(?<![0-9e])[-−]0(?![0-9.])", readout)  # no negative zero
    if d == 0.0:  # exact zeros up to rounding read "0", never "4.4e-16"
        assert "e-" not in readout and "KL(p‖q) = 0, KL(q‖p) = 0 nats" in readout
    assert live.image.tooltip.startswith("Top: the density of p")


def test_a_fit_that_does_not_converge_is_a_note_not_a_warning(monkeypatch):
    explorer = forward_reverse_kl_explorer(mode="live")
    monkeypatch.setattr(divergences, "_REVERSE_MAX_ITER", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes to the kernel
        explorer.set(separation=7.0)
    assert explorer.state["warnings"] and "did not converge" in explorer.state["warnings"][0]
    assert "<b>Note:</b>" in explorer.readout.value and "error" not in explorer.state


def test_static_page_shares_the_frame_of_coincident_modes(static):
    """71 frames: 11 separations x 7 weights, the 7 at d = 0 one frame (p is N(0, 1))."""
    assert set(static.controls) == {"separation", "weight"}
    assert len(static.frames) == 77
    assert len({id(image) for image in static.frames.values()}) == 71
    at_zero = {id(static.frames[(0, k)]) for k in range(7)}
    assert len(at_zero) == 1
    static.set(separation=0.0, weight=0.9)
    assert static.state["same_optimum"] and "N(0, 1) (the two modes coincide)" in (
        static.frames[(0, 6)].tooltip
    )
    static.set(separation=8.0, weight=0.1)
    assert static.state["left_kl_qp"] == pytest.approx(-math.log(0.1), abs=0.01)
    assert static.static_bytes() < 1_100_000


# -- the figure and its speed ------------------------------------------------------------


def test_figure_fits_a_narrow_jupyterlab_and_stays_legible(live):
    assert narrow_output_problems(live) == []


def test_no_legend_over_data_and_no_text_cut_in_any_static_frame(static_explorers):
    assert static_figure_problems(static_explorers["forward_reverse_kl"]) == []


def test_moves_never_redraw_the_background():
    explorer = forward_reverse_kl_explorer(mode="live")
    for name in explorer.controls:
        sweep(explorer, name, max_moves=MAX_MOVES)
    assert explorer._render.full_draws == 1


def test_a_setting_seen_again_reuses_its_fits(monkeypatch):
    """Moving a slider back to a setting shows the same numbers without refitting; each explorer
    remembers its own settings (the last 256)."""
    calls = []
    fits = divergences.forward_reverse_kl_fits

    def counted(*args, **kwargs):
        calls.append(args)
        return fits(*args, **kwargs)

    monkeypatch.setattr(divergences, "forward_reverse_kl_fits", counted)
    explorer = forward_reverse_kl_explorer(mode="live")
    calls.clear()
    explorer.set(separation=5.0)
    first = dict(explorer.state)
    explorer.set(separation=5.25)
    explorer.set(separation=5.0)
    explorer.set(separation=6.0)  # the start
    assert len(calls) == 2  # 5.0 and 5.25; 5.0 again and 6.0 are remembered
    assert explorer.state.keys() == first.keys()
    explorer.set(separation=5.0)
    assert all(explorer.state[k] is first[k] for k in first)
    assert explorer.state is not first
    other = forward_reverse_kl_explorer(mode="live")  # another explorer fits afresh
    calls.clear()
    other.set(separation=5.0)
    assert len(calls) == 1
    assert _forward_reverse._REMEMBERED >= len(_forward_reverse._WEIGHTS) * 2
