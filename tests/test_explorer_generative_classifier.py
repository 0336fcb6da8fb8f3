"""The generative-classifier explorer (Example 1.1, Exercise 1.1; pgmlib/widgets/_classifier.py):
what is particular to it. The checks every explorer passes run from the registry in
tests/test_explorers.py.

Its posterior and decision boundary are pgmlib's, the boundary is a line exactly when the
covariances are equal, and settings without a boundary say so.
"""

from __future__ import annotations

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, assert_finite, sweep

import pgmlib as pgm
from pgmlib.widgets import generative_classifier_explorer


def test_live_sweeps_every_control_and_the_separation_when_rotated():
    explorer = generative_classifier_explorer(mode="live")
    assert set(explorer.controls) == {"prior", "separation", "covariance"}
    for name in explorer.controls:
        sweep(explorer, name, max_moves=MAX_MOVES)
    explorer.set(covariance="rotated")
    sweep(explorer, "separation", max_moves=MAX_MOVES)


def test_posterior_and_boundary_are_pgmlib_s():
    explorer = generative_classifier_explorer(mode="live")
    from pgmlib.widgets import _classifier as module

    for covariance, kind in [
        ("same", "line"),
        ("wider", "ellipse, class 0 inside"),
        ("narrower", "ellipse, class 1 inside"),
        ("rotated", "hyperbola"),
    ]:
        explorer.set(covariance=covariance, prior=0.3, separation=2.0)
        state = explorer.state
        assert state["kind"] == kind
        args = (0.3, [-1.0, 0.0], module._COV0, [1.0, 0.0], module._COV1[covariance])
        posterior = pgm.gaussian_class_posterior(module._POINTS, *args)
        np.testing.assert_array_equal(state["posterior"].ravel(), posterior)
        A, b, c = pgm.gaussian_log_odds_coefficients(*args)
        np.testing.assert_array_equal(state["A"], A)
        assert (covariance == "same") == (not np.any(A))  # a straight line exactly then
        # the drawn boundary runs where the posterior is 1/2 (to the grid's resolution)
        segments = explorer._render.boundary.get_segments()
        assert segments, covariance
        points = np.vstack(segments)
        on_boundary = pgm.gaussian_class_posterior(points, *args)
        assert np.abs(on_boundary - 0.5).max() < 0.03, covariance
        log_odds = np.einsum("ni,ij,nj->n", points, A, points) + points @ b + c
        assert np.abs(log_odds).max() < 0.15, covariance
        assert explorer.controls["covariance"].description


def test_equal_classes_have_no_boundary():
    explorer = generative_classifier_explorer(mode="live")
    explorer.set(covariance="same", separation=0.0, prior=0.2)
    state = explorer.state
    assert state["kind"] == "none"
    np.testing.assert_allclose(state["posterior"], 0.2, rtol=1e-12)  # the prior everywhere
    assert explorer._render.boundary.get_segments() == []
    assert "absent" in explorer.readout.value
    explorer.set(prior=0.01)  # the extreme prior: finite, sensible
    assert_finite(explorer.state, "prior 0.01")


@pytest.mark.parametrize(
    ("covariance", "prior", "winner"), [("wider", 0.7, 1), ("narrower", 0.1, 0)]
)
def test_definite_log_odds_that_never_crosses_zero(covariance, prior, winner):
    explorer = generative_classifier_explorer(mode="live")
    explorer.set(covariance=covariance, separation=0.0, prior=prior)
    state = explorer.state
    assert state["kind"] == f"empty, class {winner} everywhere"
    # the extremum of x'Ax + b'x + c (at the common mean, x = 0) is c itself, of that sign
    assert (state["c"] > 0) == (winner == 1) and not np.any(state["b"])
    assert np.all((state["posterior"] > 0.5) == (winner == 1))
    assert explorer._render.boundary.get_segments() == []
    assert "absent" in explorer.readout.value and "outside" not in explorer.readout.value


# -- static mode ------------------------------------------------------------------------------


def test_static_controls(static_explorers):
    assert set(static_explorers["generative_classifier"].controls) == {
        "prior",
        "separation",
        "covariance",
    }
