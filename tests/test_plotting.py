"""Tests of pgmlib.plotting: each figure runs, has the expected artists, and draws pgmlib's numbers.

The numbers drawn are compared with pgmlib (one source of numbers) and, where the notes print a
closed form, with that closed form computed here independently.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.patches import StepPatch
from PIL import Image

import pgmlib as pgm
from pgmlib import plotting


def _png(fig) -> bytes:
    return fig._repr_png_()


def _finite_lines(ax) -> None:
    for line in ax.lines:
        assert np.all(np.isfinite(np.asarray(line.get_xdata(), dtype=float)))
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))


def _polygon_area(vertices: np.ndarray) -> float:
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


@pytest.fixture(scope="module")
def figure_1_2():
    return plotting.figure_continuous_pushforwards()


# -- style ------------------------------------------------------------------------------------


def test_book_figure_displays_once_as_png_with_white_background():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plotting.figure_bernoulli_entropy()
    assert plt.get_fignums() == before  # not registered with pyplot: no second display
    png = _png(fig)
    assert png.startswith(b"\x89PNG")
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert tuple(image[0, 0]) == (255, 255, 255, 255)  # opaque white (dark mode)
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert all(not ax.get_title() for ax in fig.axes)  # captions come from MyST


def test_bin_colours_are_distinct_and_opaque():
    colours = plotting.bin_colours(10)
    assert colours.shape == (10, 4)
    assert len({tuple(np.round(c, 6)) for c in colours}) == 10
    np.testing.assert_array_equal(colours[:, 3], 1.0)


def test_figure_to_png_palette_is_smaller_than_truecolour():
    fig = plotting.figure_kl_asymmetry()
    full = plotting.figure_to_png(fig)
    small = plotting.figure_to_png(fig, palette=40)
    assert Image.open(io.BytesIO(small)).mode == "P"
    assert len(small) < len(full)


# -- Figure 1.1 -------------------------------------------------------------------------------


def test_figure_discrete_pushforward_draws_pushforward_masses():
    fig = plotting.figure_discrete_pushforward()
    left, right = fig.axes
    assert [round(b.get_height(), 12) for b in left.patches] == [0.2, 0.5, 0.3]
    # right: one bar container per source point, stacked on the targets (a, b)
    table = pgm.pushforward_contributions({1: 0.2, 2: 0.5, 3: 0.3}, {1: "a", 2: "b", 3: "b"})
    heights = np.array([[b.get_height() for b in c] for c in right.containers])
    expected = np.array([[table[t].get(s, 0.0) for t in ("a", "b")] for s in (1, 2, 3)])
    np.testing.assert_allclose(heights, expected, rtol=0, atol=1e-15)
    totals = pgm.pushforward_pmf({1: 0.2, 2: 0.5, 3: 0.3}, {1: "a", 2: "b", 3: "b"})
    np.testing.assert_allclose(heights.sum(axis=0), list(totals.values()), rtol=1e-12)
    texts = {t.get_text() for t in right.texts}
    assert {"0.2", "0.8"} <= texts  # totals written above the bars
    assert left.get_ylabel() == "probability" and left.get_ylim() == (0.0, 1.0)


def test_figure_discrete_pushforward_other_pmf_and_map():
    fig = plotting.figure_discrete_pushforward({-1: 0.25, 0: 0.5, 1: 0.25}, lambda x: x * x)
    heights = np.array([[b.get_height() for b in c] for c in fig.axes[1].containers])
    np.testing.assert_allclose(heights.sum(axis=0), [0.5, 0.5])


def test_figure_discrete_pushforward_refuses_bad_pmf():
    with pytest.raises(ValueError, match="sum to 1"):
        plotting.figure_discrete_pushforward({1: 0.5, 2: 0.6}, {1: "a", 2: "b"})


# -- Figure 1.2 -------------------------------------------------------------------------------


def test_figure_continuous_pushforwards_layout(figure_1_2):
    assert len(figure_1_2.axes) == 2 * len(plotting.FIGURE_1_2_PANELS) == 10
    for row in range(5):
        source_ax, target_ax = figure_1_2.axes[2 * row], figure_1_2.axes[2 * row + 1]
        polys = [c for c in source_ax.collections if isinstance(c, PolyCollection)]
        assert len(polys) == 1 and len(polys[0].get_paths()) == 10
        assert len([p for p in target_ax.patches if isinstance(p, StepPatch)]) == 10
        assert target_ax.get_ylabel() == "probability mass\nper bin"
        _finite_lines(source_ax)
        _finite_lines(target_ax)
    assert figure_1_2.axes[1].get_xlabel() == r"$y = x^2$"  # Example 1.3 comes first


def test_figure_continuous_pushforwards_axis_labels_are_the_maps_own(figure_1_2):
    labels = [figure_1_2.axes[2 * row + 1].get_xlabel() for row in range(5)]
    maps = pgm.map_catalogue()
    assert labels == [maps[key].formula for _, key, _ in plotting.FIGURE_1_2_PANELS]
    assert labels[1] == r"$y = x + 2$ if $x < 0$, $x - 2$ if $x \geq 0$"
    assert labels[4] == r"$y = \Phi^{-1}(x)$ (inverse Gaussian CDF)"


@pytest.mark.parametrize("key", list(pgm.map_catalogue()))
def test_every_map_formula_is_valid_mathtext(key):
    """The explorer shows the maps that Figure 1.2 does not (exp, affine): all must render."""
    from matplotlib import mathtext

    buffer = io.BytesIO()
    mathtext.math_to_image(pgm.map_catalogue(0.5)[key].formula, buffer, format="png")
    Image.open(io.BytesIO(buffer.getvalue())).verify()


@pytest.mark.parametrize("row", range(5))
def test_figure_continuous_pushforwards_numbers_match_pgmlib(figure_1_2, row):
    source_key, map_key, span = plotting.FIGURE_1_2_PANELS[row]
    run = pgm.pushforward_experiment(
        pgm.source_catalogue()[source_key],
        pgm.map_catalogue()[map_key],
        n_samples=300_000,
        target_range=span,
        rng=2026 + row,
    )
    target_ax = figure_1_2.axes[2 * row + 1]
    steps = [p for p in target_ax.patches if isinstance(p, StepPatch)]
    tops = np.array([p.get_data().values for p in steps])
    np.testing.assert_allclose(tops, np.cumsum(run.mass, axis=0), rtol=0, atol=1e-15)
    np.testing.assert_allclose(steps[0].get_data().edges, run.target_edges)
    # masses: every panel adds up to one (the first states the mass beyond its range)
    total = tops[-1].sum()
    if span is None:
        assert total == pytest.approx(1.0, abs=1e-12)
    else:
        beyond = float(np.mean(run.y > span[1]))
        assert total + beyond == pytest.approx(1.0, abs=1e-12)
        assert 0.003 < beyond < 0.007  # P(chi2_1 > 8) = 0.00468
        assert any(f"{100 * beyond:.2f}%" in t.get_text() for t in target_ax.texts)
    # each source slice carries 1/10 of the mass
    np.testing.assert_allclose(run.mass.sum(axis=1), 0.1, atol=0.004)
    # overlay = exact density of T(X) from the branches, times the bin width
    overlay = next(ln for ln in target_ax.lines if ln.get_label().startswith("exact"))
    grid = np.asarray(overlay.get_xdata())
    width = np.diff(run.target_edges).mean()
    tmap = pgm.map_catalogue()[map_key]
    exact = pgm.pushforward_density_1d(pgm.source_catalogue()[source_key].pdf, tmap.branches)
    np.testing.assert_allclose(overlay.get_ydata(), exact(grid) * width, rtol=1e-12, atol=0)


@pytest.mark.parametrize("row", range(5))
def test_figure_continuous_pushforwards_histogram_agrees_with_exact_density(figure_1_2, row):
    """Bar heights = integral of the exact density over each bin, within 5 Monte Carlo s.e."""
    from scipy import integrate

    source_key, map_key, _ = plotting.FIGURE_1_2_PANELS[row]
    pdf = pgm.map_catalogue()[map_key].pushforward_pdf(pgm.source_catalogue()[source_key])
    ax = figure_1_2.axes[2 * row + 1]
    data = [p for p in ax.patches if isinstance(p, StepPatch)][-1].get_data()
    edges = data.edges
    exact = np.array(
        [
            integrate.quad(pdf, a, b, points=[p for p in (-2.0, 0.0, 2.0) if a < p < b], limit=200)[
                0
            ]
            for a, b in itertools.pairwise(edges)
        ]
    )
    se = np.sqrt(exact * (1 - exact) / 300_000)
    assert np.all(np.abs(data.values - exact) <= 5 * se + 1e-9)


def test_figure_continuous_pushforwards_source_bins_have_equal_mass(figure_1_2):
    for row in range(5):
        polys = next(iter(figure_1_2.axes[2 * row].collections))
        areas = [_polygon_area(path.vertices) for path in polys.get_paths()]
        # the Gaussian's outer bins are cut at +-4 sd (mass 3.2e-5 lost each side)
        np.testing.assert_allclose(areas, 0.1, atol=2e-4)


def test_figure_continuous_pushforwards_png_is_modest(figure_1_2):
    assert len(_png(figure_1_2)) < 350_000


def test_figure_continuous_pushforwards_refuses_bad_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        plotting.figure_continuous_pushforwards(n_samples=10)
    with pytest.raises(TypeError, match="seed"):
        plotting.figure_continuous_pushforwards(seed=1.5)


def test_plot_helpers_accept_ax_none_and_refuse_bad_shapes():
    ax = plotting.plot_stacked_histogram([0, 1, 2], [[0.25, 0.25], [0.25, 0.25]])
    assert len(ax.patches) == 2
    with pytest.raises(ValueError, match="columns"):
        plotting.plot_stacked_histogram([0, 1, 2], [[0.5, 0.25, 0.25]])
    with pytest.raises(ValueError, match="same shape"):
        plotting.plot_source_bins([0, 1, 2], [1, 1], [0, 1, 2])
    with pytest.raises(TypeError, match="Axes"):
        plotting.plot_pmf_bars(["a"], [1.0], ax="not an axes")
    with pytest.raises(ValueError, match="same length"):
        plotting.plot_pmf_bars(["a", "b"], [1.0])


def test_source_bin_polygons_cover_the_density():
    grid = np.linspace(-4, 4, 2001)
    pdf = np.exp(-0.5 * grid**2) / np.sqrt(2 * np.pi)
    polygons = plotting.source_bin_polygons(grid, pdf, [-np.inf, -1, 0, 1, np.inf])
    areas = [_polygon_area(p) for p in polygons]
    assert sum(areas) == pytest.approx(0.99994, abs=1e-4)
    assert areas[1] == pytest.approx(0.34134, abs=1e-4)


# -- Figure 1.3 -------------------------------------------------------------------------------


def test_figure_bernoulli_entropy_matches_example_1_7():
    fig = plotting.figure_bernoulli_entropy()
    (ax,) = fig.axes
    curve, vline = ax.lines[:2]
    theta = np.asarray(curve.get_xdata())
    h = np.asarray(curve.get_ydata())
    np.testing.assert_array_equal(h, pgm.binary_entropy(theta))
    inner = (theta > 0) & (theta < 1)
    t = theta[inner]
    np.testing.assert_allclose(h[inner], -t * np.log(t) - (1 - t) * np.log(1 - t), rtol=1e-12)
    assert h[0] == 0.0 and h[-1] == 0.0
    assert theta[np.argmax(h)] == pytest.approx(0.5)
    assert h.max() == pytest.approx(np.log(2), rel=1e-12)
    assert list(vline.get_xdata()) == [0.5, 0.5] and vline.get_linestyle() == "--"
    _finite_lines(ax)


# -- Figure 1.4 -------------------------------------------------------------------------------


def test_figure_kl_asymmetry_matches_example_1_11():
    fig = plotting.figure_kl_asymmetry()
    (ax,) = fig.axes
    direct, reverse, vline = ax.lines[:3]
    v = np.asarray(direct.get_xdata())
    assert v.size == 400 and v[0] == 0.2 and v[-1] == 3.0
    np.testing.assert_allclose(direct.get_ydata(), 0.5 * (np.log(v**2) + v**-2 - 1), rtol=1e-10)
    np.testing.assert_allclose(
        reverse.get_ydata(), 0.5 * (-np.log(v**2) + v**2 - 1), rtol=1e-10, atol=1e-15
    )
    assert list(vline.get_xdata()) == [1.0, 1.0]
    assert ax.get_legend() is not None
    assert ax.get_xlabel().startswith("$v$") and ax.get_ylabel() == "KL divergence (nats)"


# -- Figure 1.5 -------------------------------------------------------------------------------


def _descent(rule: str, n_steps: int = 31):
    """Independent iteration of (1.41)-(1.42): the correct gradient or the printed one."""
    mu, sigma = [10.0], [20.0]
    for _ in range(n_steps):
        m, s = mu[-1], sigma[-1]
        mean_term = m**2 if rule == "exact" else 0.0  # target N(0, 1)
        mu.append(m - 10.0 * m / s**2)
        sigma.append(s - 6.6 * (s**2 - 1.0 - mean_term) / s**3)
    return np.array(mu), np.array(sigma)


def test_figure_kl_gradient_flow_draws_correct_and_printed_rules():
    fig = plotting.figure_kl_gradient_flow()
    (ax,) = fig.axes
    straight, exact, printed, target = ax.lines[:4]
    mu, sigma = _descent("exact")
    np.testing.assert_allclose(exact.get_xdata(), mu, rtol=1e-12)
    np.testing.assert_allclose(exact.get_ydata(), sigma, rtol=1e-12)
    mu_p, sigma_p = _descent("notes")
    np.testing.assert_allclose(printed.get_xdata(), mu_p, rtol=1e-12)
    np.testing.assert_allclose(printed.get_ydata(), sigma_p, rtol=1e-12)
    assert "printed" in printed.get_label() and printed.get_linestyle() != "-"
    assert (list(target.get_xdata()), list(target.get_ydata())) == ([0.0], [1.0])
    assert target.get_marker() == "*"
    assert list(straight.get_xdata()) == [10.0, 0.0] and straight.get_linestyle() == "--"
    numbers = [t.get_text() for t in ax.texts]
    assert [str(n) for n in range(32)] == numbers[:32]  # every iterate numbered
    assert ax.get_legend() is not None
    _finite_lines(ax)


def test_figure_kl_gradient_flow_refuses_unknown_setting():
    with pytest.raises(TypeError, match="unknown setting"):
        plotting.figure_kl_gradient_flow(eta=1.0)


@pytest.mark.parametrize(
    "name",
    [
        "figure_discrete_pushforward",
        "figure_bernoulli_entropy",
        "figure_kl_asymmetry",
        "figure_kl_gradient_flow",
    ],
)
def test_small_figures_png_size(name):
    assert len(_png(getattr(plotting, name)())) < 120_000
