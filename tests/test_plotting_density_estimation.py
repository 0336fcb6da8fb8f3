"""Tests of pgmlib.plotting's density-estimation figure (section 1.7, suggested exercise 3).

The curves drawn are compared with mixture densities computed here independently from
scipy.stats, the histogram with numpy's; every refusal is checked with its message.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.patches import StepPatch
from PIL import Image
from scipy import integrate, stats

import pgmlib as pgm
from pgmlib import plotting

TRUE_WEIGHTS = np.array([0.35, 0.65])
TRUE_MEANS = np.array([-2.0, 1.0])
TRUE_SDS = np.array([0.6, 1.2])


def scipy_mixture_pdf(x, weights, means, variances) -> np.ndarray:
    """sum_k w_k N(x; m_k, v_k) from scipy.stats densities (not pgmlib's log-densities)."""
    means, variances = np.ravel(means), np.ravel(variances)
    return sum(
        w * stats.norm(m, np.sqrt(v)).pdf(x)
        for w, m, v in zip(weights, means, variances, strict=True)
    )


@pytest.fixture(scope="module")
def sample():
    X, _ = pgm.sample_gmm(
        300, TRUE_WEIGHTS, TRUE_MEANS[:, None], (TRUE_SDS**2)[:, None, None], rng=3
    )
    return X


@pytest.fixture(scope="module")
def fits(sample):
    return [pgm.gmm_em(sample, K, rng=0, max_iter=1000) for K in (1, 2, 3)]


@pytest.fixture(scope="module")
def figure(sample, fits):
    truth = (TRUE_WEIGHTS, TRUE_MEANS, TRUE_SDS**2)
    return plotting.figure_density_estimation(sample, fits, truth=truth)


def test_exported_from_plotting():
    for name in ("figure_density_estimation", "plot_density_fits", "DENSITY_FIT_STYLES"):
        assert name in plotting.__all__ and hasattr(plotting, name)


def test_curves_are_the_fitted_mixture_densities(figure, fits):
    (ax,) = figure.axes
    assert len(ax.lines) == len(fits) + 1
    for line, fit in zip(ax.lines, fits, strict=False):
        grid, density = (np.asarray(a, dtype=float) for a in line.get_data())
        reference = scipy_mixture_pdf(grid, fit.weights, fit.means, fit.covariances)
        np.testing.assert_allclose(density, reference, rtol=1e-11, atol=1e-300)
    assert [line.get_label() for line in ax.lines] == [
        "$K = 1$",
        "$K = 2$",
        "$K = 3$",
        "true density $p$",
    ]


def test_truth_curve_is_the_true_density(figure):
    grid, density = figure.axes[0].lines[-1].get_data()
    reference = scipy_mixture_pdf(grid, TRUE_WEIGHTS, TRUE_MEANS, TRUE_SDS**2)
    np.testing.assert_allclose(density, reference, rtol=1e-11)


def test_grid_spans_the_sample_with_a_margin(figure, sample):
    grid = np.asarray(figure.axes[0].lines[0].get_xdata())
    span = sample.max() - sample.min()
    assert grid.size == 400
    assert grid[0] == pytest.approx(sample.min() - 0.15 * span, rel=1e-12)
    assert grid[-1] == pytest.approx(sample.max() + 0.15 * span, rel=1e-12)
    assert figure.axes[0].get_xlim() == (grid[0], grid[-1])


def test_histogram_is_numpy_density_histogram(figure, sample):
    (ax,) = figure.axes
    (patch,) = [p for p in ax.patches if isinstance(p, StepPatch)]
    heights, edges = np.histogram(sample.ravel(), bins=30, density=True)
    np.testing.assert_allclose(patch.get_data().values, heights, rtol=1e-14)
    np.testing.assert_allclose(patch.get_data().edges, edges, rtol=1e-14)
    assert np.sum(heights * np.diff(edges)) == pytest.approx(1.0, rel=1e-12)
    assert patch.get_label() == "sample ($N = 300$)"


def test_fitted_densities_integrate_to_one(fits):
    """The drawn function is a density: its integral over the line is one (quadrature)."""
    for fit in fits:
        ax = plotting.plot_density_fits(np.array([-50.0, 50.0]), [fit])
        grid, density = ax.lines[0].get_data()
        assert integrate.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-6)


def test_k1_fit_is_the_ml_gaussian(sample, fits):
    """gmm_em with K = 1 is the ML Gaussian: the sample mean and the biased variance."""
    grid, density = plotting.plot_density_fits(sample, fits[:1]).lines[0].get_data()
    reference = stats.norm(sample.mean(), np.sqrt(sample.var() + 1e-6)).pdf(grid)  # + reg_covar
    np.testing.assert_allclose(density, reference, rtol=1e-9)


def test_figure_style(figure):
    (ax,) = figure.axes
    assert not ax.get_title()
    assert ax.get_xlabel() == "$x$" and ax.get_ylabel() == "density"
    legend = ax.get_legend()
    assert legend is not None and legend.get_bbox_to_anchor().x0 > ax.bbox.x1 - 1  # beside
    colours = [line.get_color() for line in ax.lines[:-1]]
    assert len(set(colours)) == len(colours)
    assert ax.get_ylim()[0] == 0
    png = figure._repr_png_()
    assert len(png) < 120_000
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert tuple(image[0, 0]) == (255, 255, 255, 255)


def test_finite_data(figure):
    for line in figure.axes[0].lines:
        assert np.all(np.isfinite(np.asarray(line.get_xydata(), dtype=float)))


def test_accepts_triples_shapes_and_custom_labels_and_axes():
    x = np.array([-1.0, 0.0, 2.0])
    flat = ([0.4, 0.6], [-1.0, 1.0], [0.5, 2.0])
    column = (np.array([0.4, 0.6]), [[-1.0], [1.0]], [[[0.5]], [[2.0]]])
    ax = plotting.plot_density_fits(x, [flat, column], labels=["a", "b"])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), ax.lines[1].get_ydata(), rtol=1e-14)
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    again = plotting.plot_density_fits(x[:, None], [flat], ax=ax)
    assert again is ax and len(ax.lines) == 3


def test_zero_weight_component_is_ignored():
    x = np.array([0.0, 1.0])
    ax = plotting.plot_density_fits(
        x, [([1.0, 0.0], [0.0, 5.0], [1.0, 1.0]), ([1.0], [0.0], [1.0])]
    )
    np.testing.assert_allclose(ax.lines[0].get_ydata(), ax.lines[1].get_ydata(), rtol=1e-14)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.05, 1.0),
            st.floats(-5.0, 5.0),
            st.floats(0.1, 3.0),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_property_curve_matches_scipy(components):
    raw, means, sds = (np.array(c) for c in zip(*components, strict=True))
    weights = raw / raw.sum()
    ax = plotting.plot_density_fits(np.array([-6.0, 6.0]), [(weights, means, sds**2)])
    grid, density = ax.lines[0].get_data()
    reference = scipy_mixture_pdf(grid, weights, means, sds**2)
    np.testing.assert_allclose(density, reference, rtol=1e-10, atol=1e-300)
    assert np.all(density >= 0)


GOOD = ([1.0], [0.0], [1.0])


@pytest.mark.parametrize(
    ("x", "fits", "kwargs", "error", "match"),
    [
        (np.ones((4, 2)), [GOOD], {}, ValueError, r"`x` must be a 1-D sample.*\(4, 2\)"),
        (np.ones((2, 2, 1)), [GOOD], {}, ValueError, "`x` must have 1 or 2 dimension"),
        ([], [GOOD], {}, ValueError, "`x` must not be empty"),
        ([0.0, np.nan], [GOOD], {}, ValueError, "`x` must contain only finite values; got nan"),
        ("abc", [GOOD], {}, TypeError, "`x` must be array-like of numbers"),
        ([0.0], [], {}, ValueError, "`fits` must hold between 1 and 6 mixtures; got 0"),
        ([0.0], [GOOD] * 7, {}, ValueError, "`fits` must hold between 1 and 6 mixtures; got 7"),
        ([0.0], GOOD[0], {}, TypeError, "`fits\\[0\\]` must be a fitted mixture"),
        ([0.0], 3, {}, TypeError, "`fits` must be a sequence of fitted mixtures; got 3"),
        ([0.0], "fit", {}, TypeError, "`fits` must be a sequence of fitted mixtures"),
        ([0.0], [(1.0, 0.0)], {}, TypeError, r"`fits\[0\]` must be a fitted mixture"),
        (
            [0.0],
            [([0.5, 0.6], [0.0, 1.0], [1.0, 1.0])],
            {},
            ValueError,
            r"`fits\[0\] weights` must sum to 1 \(a pmf\); got sum\(fits\[0\] weights\) = 1.1",
        ),
        (
            [0.0],
            [([1.5, -0.5], [0.0, 1.0], [1.0, 1.0])],
            {},
            ValueError,
            r"`fits\[0\] weights` must be nonnegative",
        ),
        (
            [0.0],
            [([0.5, 0.5], [0.0], [1.0])],
            {},
            ValueError,
            r"`fits\[0\]` must have as many means as weights; got 1 and 2",
        ),
        (
            [0.0],
            [([1.0], [[0.0, 1.0]], [np.eye(2)])],
            {},
            ValueError,
            r"`fits\[0\]` must be a mixture in one dimension; got means of shape \(1, 2\)",
        ),
        (
            [0.0],
            [([0.5, 0.5], [0.0, 1.0], [1.0, -1.0])],
            {},
            ValueError,
            r"`fits\[0\]`: `covariances\[1\]` must be positive definite",
        ),
        (
            [0.0],
            [([0.5, 0.5], [0.0, 1.0], [1.0])],
            {},
            ValueError,
            r"`fits\[0\]`: `covariances` must have shape",
        ),
        ([0.0], [GOOD], {"labels": ["a", "b"]}, ValueError, "one label per fit \\(1\\)"),
        ([0.0], [GOOD], {"labels": "a"}, ValueError, "one label per fit"),
        ([0.0], [GOOD], {"bins": 0}, ValueError, "`bins` must be >= 1; got 0"),
        ([0.0], [GOOD], {"bins": 2.5}, TypeError, "`bins` must be an integer; got 2.5"),
        ([0.0], [GOOD], {"truth": "p"}, TypeError, "`truth` must be a fitted mixture"),
        ([0.0], [GOOD], {"ax": "axes"}, TypeError, "`ax` must be a matplotlib Axes or None"),
    ],
)
def test_refuses_bad_input(x, fits, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_density_fits(x, fits, **kwargs)


def test_figure_refuses_bad_input_too():
    with pytest.raises(ValueError, match="`fits` must hold between 1 and 6 mixtures"):
        plotting.figure_density_estimation([0.0], [])
