"""The EM explorer (Example 1.6, pgmlib/widgets/_likelihood.py): what is particular to it. The
checks every explorer passes run from the registry in tests/test_explorers.py.

Its path is pgmlib's EM path, started where the explorer starts, and the likelihood never falls
along it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, sweep

import pgmlib as pgm
from pgmlib.widgets import gmm_em_explorer


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


# -- static mode ------------------------------------------------------------------------------


def test_static_controls(static_explorers):
    assert set(static_explorers["gmm_em"].controls) == {"iteration", "n_components"}
