"""The generative-classifier explorer (Example 1.1, Exercise 1.1; pgmlib/widgets/_classifier.py):
what is particular to it. The checks every explorer passes run from the registry in
tests/test_explorers.py.

Its posterior and decision boundary are pgmlib's, the boundary is a line exactly when the
covariances are equal, settings without a boundary say so, the image's colours are the colour
key's, the readout prints rounding-error zeros as 0, and the legends cover no data or label.
"""

from __future__ import annotations

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, assert_finite, sweep
from _figure_checks import assert_static_frames_legible
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import pgmlib as pgm
from pgmlib.widgets import _classifier as module
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


@given(
    arrays(
        float,
        st.integers(1, 60),
        elements=st.one_of(
            st.floats(0.0, 1.0), st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0])
        ),
    )
)
def test_posterior_colours_are_the_colour_key_s(posterior):
    """The lookup colours each probability as the key's BoundaryNorm and colour map do (band
    edges included: [0, 0.1), ..., [0.9, 1])."""
    expected = module._CMAP(module._NORM(posterior))[..., :3]
    np.testing.assert_array_equal(module.posterior_colours(posterior), expected)


def test_the_image_shows_the_posterior_in_the_key_s_colours():
    explorer = generative_classifier_explorer(mode="live")
    explorer.set(covariance="rotated", prior=0.3, separation=3.0)
    drawn = np.asarray(explorer._render.image.get_array())
    expected = module._CMAP(module._NORM(explorer.state["posterior"]))[..., :3]
    np.testing.assert_array_equal(drawn, expected)


def test_readout_prints_rounding_error_zeros_as_zero():
    """Rotated covariance, d = 5: b = Σ₁⁻¹ μ₁ - Σ₀⁻¹ μ₀ = (1.5 h, 0.3 h - 0.3 h) / 0.41 with
    h = d / 2, whose second entry floating point leaves at about -4e-16; the readout says 0."""
    explorer = generative_classifier_explorer(mode="live")
    explorer.set(covariance="rotated", separation=5.0, prior=0.5)
    b = explorer.state["b"]
    assert b[1] != 0 and abs(b[1]) < 1e-14  # the rounding error is there...
    assert abs(b[0] - 1.5 * 2.5 / 0.41) < 1e-12
    assert "b = (9.15, 0)" in explorer.readout.value  # ... and reads 0
    assert "Σ₁ = R Σ₀ Rᵀ (rotated by 90°)" in explorer.readout.value
    explorer.set(covariance="same")
    assert "A = [(0, 0), (0, 0)]" in explorer.readout.value
    assert not np.any(explorer.state["A"])
    explorer.set(covariance="wider", separation=2.0)
    A = explorer.state["A"]
    rows = ", ".join(
        f"({pgm.widgets.format_number(r[0], 3)}, {pgm.widgets.format_number(r[1], 3)})" for r in A
    )
    assert f"A = [{rows}]" in explorer.readout.value


def test_controls_fit_592_px_but_the_prior_slider():
    """The separation slider and the covariance buttons fit one row at 592 px; the prior
    slider's 98 steps need 588 px of track at 6 px a step, so its track goes under its label."""
    from pgmlib.widgets._core import _LABEL_GAP_PX, MIN_STEP_PX, _slider_rest_px, _text_px

    explorer = generative_classifier_explorer(mode="live")
    label = explorer.control_geometry.label_px
    assert label + _slider_rest_px(explorer.controls["separation"]) <= 592
    buttons = sum(_text_px(text) + 24 for text, _ in explorer.controls["covariance"].options)
    assert label + _LABEL_GAP_PX + buttons <= 592
    assert MIN_STEP_PX * (len(explorer.controls["prior"].options) - 1) > 592 - label
    assert explorer._render.figure.get_figwidth() * explorer._render.figure.dpi <= 592


# -- static mode ------------------------------------------------------------------------------


def test_static_controls(static_explorers):
    assert set(static_explorers["generative_classifier"].controls) == {
        "prior",
        "separation",
        "covariance",
    }


def test_every_static_frame_is_legible_and_its_legends_cover_nothing(static_explorers):
    explorer = static_explorers["generative_classifier"]
    assert assert_static_frames_legible(explorer, n_legends=2) == 60
