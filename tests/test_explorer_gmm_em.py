"""The EM explorer (Example 1.6, pgmlib/widgets/_likelihood.py): what is particular to it. The
checks every explorer passes run from the registry in tests/test_explorers.py.

Its path is pgmlib's EM path, started where the explorer starts, and the likelihood never falls
along it (to rounding error, which the readout prints as 0); the trace's axes hold every K's
path, and the legend covers no data or label.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, sweep
from _figure_checks import assert_static_frames_legible

import pgmlib as pgm
from pgmlib.widgets import format_vector, gmm_em_explorer


def test_live_sweeps_the_iterations_for_each_k():
    explorer = gmm_em_explorer(mode="live")
    assert set(explorer.controls) == {"iteration", "n_components"}
    for K in (2, 4, 3):
        explorer.set(n_components=K)
        sweep(explorer, "iteration", max_moves=MAX_MOVES)
    sweep(explorer, "n_components", max_moves=MAX_MOVES)


def test_path_is_pgmlib_em_and_never_lowers_the_likelihood():
    explorer = gmm_em_explorer(mode="live")
    from pgmlib.widgets import _likelihood as module

    for K in (2, 3, 4):
        explorer.set(n_components=K, iteration=0)
        start = tuple(explorer.state[k] for k in ("weights", "means", "covariances"))
        X, _ = pgm.sample_gmm(
            400, module._TRUE_WEIGHTS, module._TRUE_MEANS, module._TRUE_COVARIANCES, rng=0
        )
        with warnings.catch_warnings():  # tol=1e-12 is not reached in 60 iterations
            warnings.simplefilter("ignore", pgm.ConvergenceWarning)
            fit = pgm.gmm_em(X, K, init_params=start, max_iter=60, tol=1e-12)
        path = explorer.state["log_likelihood_path"]
        assert path.size == 61
        em_path = pgm.gmm_em_path(X, K, 60, init_params=start, reg_covar=1e-6)
        np.testing.assert_array_equal(path, em_path.log_likelihood)
        np.testing.assert_allclose(path[: fit.log_likelihood.size], fit.log_likelihood, rtol=1e-12)
        assert np.all(np.diff(path) >= -1e-10 * abs(path[-1]))
        explorer.set(iteration=60)
        state = explorer.state
        np.testing.assert_array_equal(state["means"], em_path.means[60])
        np.testing.assert_array_equal(state["responsibilities"], em_path.responsibilities[60])
        resp, ll = pgm.gmm_e_step(X, state["weights"], state["means"], state["covariances"])
        np.testing.assert_allclose(state["responsibilities"], resp, rtol=1e-12)
        assert state["log_likelihood"] == pytest.approx(ll, rel=1e-14)
        np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12)
        assert state["true_log_likelihood"] == pytest.approx(
            pgm.gmm_log_likelihood(
                X, module._TRUE_WEIGHTS, module._TRUE_MEANS, module._TRUE_COVARIANCES
            )
        )
    explorer.set(n_components=3, iteration=60)
    assert explorer.state["log_likelihood"] > explorer.state["true_log_likelihood"]
    assert "every gain along the path is ≥ 0" in explorer.readout.value


def test_rounding_error_gains_read_zero():
    """With K = 2 the path flattens out: some gains are a few 1e-13 below zero, rounding error
    of sums of about 1300 (|l| * 1e-12 is about 1.4e-9); the readout prints them as 0 and says
    the likelihood never falls."""
    explorer = gmm_em_explorer(mode="live")
    explorer.set(n_components=2, iteration=18)
    state = explorer.state
    assert -1e-12 < state["gain"] < 0 and state["smallest_gain"] < 0
    assert "the gain over iteration 17 is 0:" in explorer.readout.value
    assert "every gain along the path is ≥ 0" in explorer.readout.value
    assert f"Weights π = {format_vector(state['weights'], 3)}." in explorer.readout.value
    explorer.set(n_components=3, iteration=2)
    gain = explorer.state["gain"]
    assert gain > 1  # a real gain is printed as it is
    assert f"the gain over iteration 1 is {pgm.widgets.format_number(gain)}:" in (
        explorer.readout.value
    )


def test_no_move_changes_the_axes():
    """The trace's axes hold the path of every K: iterations and K blit, with no full redraw."""
    explorer = gmm_em_explorer(mode="live")
    view = explorer._render
    full = view.full_draws
    for K in (2, 4, 3):
        explorer.set(n_components=K)
        for t in (0, 5, 31, 60):
            explorer.set(iteration=t)
            path = explorer.state["log_likelihood_path"] / 400
            low, high = view.axes[1].get_ylim()
            assert low < path.min() and path.max() < high
    assert view.full_draws == full
    labels = [label.get_text() for label in view.weight_labels if label.get_visible()]
    weights = explorer.state["weights"]
    assert labels == [
        f"π{'₁₂₃'[k]} = {pgm.widgets.format_number(w, 3)}" for k, w in enumerate(weights)
    ]


# -- static mode ------------------------------------------------------------------------------


def test_static_controls(static_explorers):
    assert set(static_explorers["gmm_em"].controls) == {"iteration", "n_components"}


def test_every_static_frame_is_legible_and_its_legend_covers_nothing(static_explorers):
    explorer = static_explorers["gmm_em"]
    assert assert_static_frames_legible(explorer, n_legends=1) == 39
