"""Bespoke tests of the "maximum likelihood is Monte Carlo KL minimisation" explorer (section 1.6,
eqs. (1.43)-(1.46); pgmlib/widgets/_ml_as_kl.py).

The numbers on display are pgmlib's, recomputed here from the documented samples; the curves
drawn are what they claim to be (the sample average of log q_lambda by scipy.stats, the exact
-H(p, q_lambda) by its formula); the promises of the guide of what to try hold for the seeded
samples; bad factory arguments are refused with a message. The generic checks (live sweeps,
static structure and jslinks, keyboard walk, frame budget) run from the explorer registry.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, build_static, sweep
from _figure_checks import narrow_output_problems, static_figure_problems
from scipy import stats

import pgmlib as pgm
from pgmlib.widgets import _ml_as_kl, ml_as_kl_explorer
from pgmlib.widgets._core import format_number

SHAPE, SCALE = 2.0, 0.5
SEEDS = _ml_as_kl._SEEDS
N_VALUES = [int(n) for n in _ml_as_kl._N_VALUES]


def draws(seed: int, shape: float = SHAPE, scale: float = SCALE) -> np.ndarray:
    """The sample the docstring documents: default_rng([16, seed]).gamma(shape, scale, 10_000)."""
    return np.random.default_rng([16, seed]).gamma(shape, scale, 10_000)


@pytest.fixture(scope="module")
def live():
    return ml_as_kl_explorer(mode="live")


@pytest.fixture(scope="module")
def walk(live):
    """The state of every (N, seed) of the live sliders (copies)."""
    states = {}
    for seed in SEEDS:
        for n in N_VALUES:
            live.set(n=n, seed=seed)
            states[n, seed] = dict(live.state)
    return states


# -- the numbers and curves on display are pgmlib's ------------------------------------------


@pytest.mark.parametrize(("n", "seed"), [(10, 1), (40, 2), (600, 3), (10_000, 4), (25, 4)])
def test_numbers_on_display_are_pgmlib_s(live, n, seed):
    live.set(n=n, seed=seed)
    state, x = live.state, draws(seed)[:n]
    assert state["n_obs"] == n
    assert state["rate_hat"] == pgm.exponential_mle(x) == 1.0 / x.mean()
    assert state["rate_star"] == pgm.exponential_kl_minimiser(SHAPE, SCALE) == 1.0
    assert state["excess_kl"] == pgm.exponential_excess_kl(state["rate_hat"], SHAPE, SCALE)
    assert state["mean_excess_kl"] == pgm.exponential_expected_excess_kl(n, SHAPE)
    assert state["min_kl"] == pgm.exponential_min_kl(SHAPE, SCALE)
    path = [pgm.exponential_excess_kl(pgm.exponential_mle(draws(seed)[:m]), SHAPE, SCALE)
            for m in N_VALUES]  # fmt: skip
    np.testing.assert_array_equal(state["path_excess"], path)
    readout = live.readout.value
    for number in (state["rate_hat"], state["rate_star"]):
        assert f"<b>{format_number(number)}</b>" in readout
    assert f"<b>{format_number(state['excess_kl'], 3)}</b> nats" in readout
    assert f"averages {format_number(state['mean_excess_kl'], 3)} nats" in readout
    assert f"<b>N = {n}</b> draws of sample {seed}" in readout
    assert format_number(state["rate_hat"]) in live.image.tooltip


@pytest.mark.parametrize(("n", "seed"), [(10, 2), (150, 1), (10_000, 3)])
def test_the_orange_curve_is_the_sample_average_of_log_q(live, n, seed):
    live.set(n=n, seed=seed)
    view, x = live._render, draws(seed)[:n]
    rates = np.asarray(view.curve.get_xdata())
    by_scipy = stats.expon(scale=1.0 / rates[:, None]).logpdf(x[None, :]).mean(axis=1)
    np.testing.assert_allclose(view.curve.get_ydata(), by_scipy, rtol=1e-12)
    exact_line = view.axes[0].lines[0]  # the fixed blue curve: log(rate) - rate * k s
    np.testing.assert_allclose(exact_line.get_ydata(), np.log(rates) - rates * SHAPE * SCALE)
    # the diamond tops the orange curve at the MLE, on its vertical line
    (rate_hat,), (top,) = view.hat_dot.get_data()
    assert rate_hat == live.state["rate_hat"] == view.hat_line.get_xdata()[0]
    assert top == pytest.approx(np.max(by_scipy), abs=1e-4)  # grid max <= true max
    assert top >= np.max(by_scipy) - 1e-15


def test_the_right_panel_draws_the_path_the_mean_and_the_current_point(live):
    live.set(n=600, seed=2)
    view, state = live._render, live.state
    np.testing.assert_array_equal(view.path.get_xdata(), N_VALUES)
    np.testing.assert_array_equal(
        view.path.get_ydata(), np.maximum(state["path_excess"], _ml_as_kl._EXCESS_SPAN[0])
    )
    mean_line = view.axes[1].lines[0]
    np.testing.assert_array_equal(
        mean_line.get_ydata(), pgm.exponential_expected_excess_kl(N_VALUES, SHAPE)
    )
    assert view.point.get_data()[0][0] == 600 and view.cursor.get_xdata()[0] == 600
    assert view.point.get_data()[1][0] == state["excess_kl"]


def test_growing_n_adds_data_to_the_same_sample(live):
    """N takes a prefix of one long sample per seed: the sum over the first 10 draws is part of
    every larger N's sum."""
    x = draws(3)
    for n in (10, 12, 600, 10_000):
        live.set(n=n, seed=3)
        assert live.state["rate_hat"] == 1.0 / x[:n].mean()


# -- what the guide promises ----------------------------------------------------------------


def test_guide_small_samples_scatter_the_mle(walk):
    """At N = 10 the four samples put the MLE anywhere from about 0.83 to 1.35; lambda* = 1."""
    at_ten = [walk[10, seed]["rate_hat"] for seed in SEEDS]
    assert min(at_ten) == pytest.approx(0.83, abs=0.01)
    assert max(at_ten) == pytest.approx(1.35, abs=0.01)
    assert all(walk[10, seed]["rate_star"] == 1.0 for seed in SEEDS)


def test_guide_large_samples_settle_on_the_kl_minimiser(walk):
    """Stated, seeded criterion: at N = 10^4 every sample's MLE is within 1% of lambda* and its
    curve within 0.03 of -H(p, q_lambda) over the whole rate axis, at least five times closer than
    at N = 10; at every N every sample's MLE is within 4 asymptotic standard deviations,
    lambda* / sqrt(kN), of lambda*."""
    for seed in SEEDS:
        end, start = walk[10_000, seed], walk[10, seed]
        assert abs(end["rate_hat"] - 1.0) < 0.01
        gap_end = np.max(np.abs(end["sample_curve"] - end["exact_curve"]))
        gap_start = np.max(np.abs(start["sample_curve"] - start["exact_curve"]))
        assert gap_end < 0.03 and 5 * gap_end < gap_start
        for n in N_VALUES:
            assert abs(walk[n, seed]["rate_hat"] - 1.0) <= 4.0 / math.sqrt(SHAPE * n), (n, seed)


def test_guide_excess_kl_decreases_along_n_for_every_sample(walk):
    """Stated, seeded criterion: for each sample the excess KL at N = 10^4 is at least 100 times
    below the one at N = 10, and its rank correlation with N over the 31 sample sizes of the slider
    is below -0.5 (the path zigzags, but downwards)."""
    for seed in SEEDS:
        path = walk[10, seed]["path_excess"]
        assert path[-1] * 100 < path[0], seed
        rho = stats.spearmanr(N_VALUES, path).statistic
        assert rho < -0.5, (seed, rho)
        assert np.all(path >= 0)


def test_guide_the_mean_excess_falls_like_one_over_4n(walk, live):
    means = np.array([walk[n, 1]["mean_excess_kl"] for n in N_VALUES])
    slopes = np.diff(np.log(means)) / np.diff(np.log(N_VALUES))
    assert np.all(slopes < 0)
    assert slopes[-1] == pytest.approx(-1.0, abs=0.01)  # tenfold per tenfold, at large N
    live.set(n=1000, seed=1)
    assert "averages 0.00025 nats" in live.readout.value
    assert live.state["mean_excess_kl"] == pytest.approx(1 / 4000, rel=1e-3)


def test_guide_the_best_exponential_still_misses_p(walk, live):
    gaps = {state["min_kl"] for state in walk.values()}
    assert gaps == {pgm.exponential_min_kl(SHAPE, SCALE)}
    assert gaps.pop() == pytest.approx(0.116, abs=5e-4)
    live.set(n=2500, seed=4)
    assert "KL(p‖q<sub>λ*</sub>) = 0.116 nats at every N" in live.readout.value


# -- other settings and errors --------------------------------------------------------------


def test_a_well_specified_model_has_no_gap_and_mean_excess_one_over_2n():
    explorer = ml_as_kl_explorer(mode="live", shape=1.0, scale=2.0)
    explorer.set(n=10_000, seed=2)
    state = explorer.state
    assert state["min_kl"] == 0.0
    assert "KL(p‖q<sub>λ*</sub>) = 0 nats" in explorer.readout.value  # an exact zero, as 0
    assert state["rate_star"] == 0.5
    assert state["mean_excess_kl"] == pytest.approx(1 / 20_000, rel=1e-3)
    x = draws(2, shape=1.0, scale=2.0)
    assert state["rate_hat"] == pgm.exponential_mle(x)


def test_excess_below_the_axis_is_drawn_on_its_floor_as_a_triangle():
    explorer = ml_as_kl_explorer(mode="live", shape=500.0)  # mean excess 1e-7 at N = 10^4
    floor = _ml_as_kl._EXCESS_SPAN[0]
    markers = []
    for seed in SEEDS:
        explorer.set(n=10_000, seed=seed)
        excess = explorer.state["excess_kl"]
        (y,) = explorer._render.point.get_data()[1]
        marker = explorer._render.point.get_marker()
        assert (marker == "v") == (excess < floor) and y == max(excess, floor)
        assert "error" not in explorer.state
        markers.append(marker)
    assert "v" in markers and "o" in markers


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"shape": 0.1}, ValueError, r"`shape` must be > 0.1 .* got 0.1"),
        ({"shape": -1.0}, ValueError, r"`shape` must be > 0.1"),
        ({"shape": np.nan}, ValueError, r"`shape` must be finite"),
        ({"shape": "2"}, TypeError, r"`shape` must be a real number"),
        ({"scale": 0.0}, ValueError, r"`scale` must be > 0; got 0"),
        ({"scale": [1.0]}, TypeError, r"`scale` must be a real number"),
        ({"mode": "Live"}, ValueError, r"`mode` must be 'live', 'static' or None"),
    ],
)
def test_factory_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        ml_as_kl_explorer(**kwargs)


def test_static_frames_show_the_live_numbers():
    static = build_static({"ml_as_kl": ml_as_kl_explorer})["ml_as_kl"]
    assert static.mode == "static" and len(static.frames) == 24
    assert [c.description for c in static.controls.values()] == ["sample size N", "sample (seed)"]
    live = ml_as_kl_explorer(mode="live")
    for n, seed in [(10, 1), (150, 3), (10_000, 4)]:
        static.set(n=n, seed=seed)
        live.set(n=n, seed=seed)
        for key in ("rate_hat", "excess_kl", "mean_excess_kl", "min_kl"):
            assert static.state[key] == live.state[key], key


# -- the figure -----------------------------------------------------------------------------


def test_figure_fits_a_narrow_jupyterlab_and_stays_legible(live):
    assert narrow_output_problems(live) == []


def test_no_legend_over_data_and_no_text_cut_in_any_static_frame(static_explorers):
    assert static_figure_problems(static_explorers["ml_as_kl"]) == []


def test_moves_never_redraw_the_background():
    """Fixed axes: after the first draw, every move redraws only the moving artists."""
    explorer = ml_as_kl_explorer(mode="live")
    for name in explorer.controls:
        sweep(explorer, name, max_moves=MAX_MOVES)
    assert explorer._render.full_draws == 1


def test_readout_prints_the_gamma_and_the_gap_by_format_number():
    explorer = ml_as_kl_explorer(mode="live", shape=2.5, scale=0.4)
    explorer.set(n=40, seed=2)
    readout, state = explorer.readout.value, explorer.state
    assert "from p = Gamma(shape 2.5, scale 0.4)" in readout and "with k = 2.5 the" in readout
    change = 100 * (state["rate_hat"] / state["rate_star"] - 1)
    side = "above" if change > 0 else "below"
    assert f"lies {format_number(round(abs(change), 1))}% {side} the KL minimiser" in readout
