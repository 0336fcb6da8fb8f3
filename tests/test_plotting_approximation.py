"""Tests of pgmlib.plotting's forward-versus-reverse KL figure (section 1.7, exercise 4): it runs,
draws finite data, and what it draws is pgmlib's numbers (fits, profile, divergences); the
densities drawn integrate to one and match scipy.stats; the legend sits outside both panels.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from PIL import Image
from scipy import stats

import pgmlib as pgm
from pgmlib import plotting

SEPARATED = ([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0])
LOPSIDED = ([0.3, 0.7], [-2.5, 2.5], [1.0, 1.0])
THREE = ([0.2, 0.5, 0.3], [-4.0, 0.5, 3.0], [0.5, 1.0, 0.8])


@pytest.fixture(scope="module", params=[SEPARATED, LOPSIDED, THREE], ids=["two", "lop", "three"])
def drawn(request):
    mixture = request.param
    return mixture, plotting.figure_forward_reverse_kl(*mixture)


def _finite(ax) -> None:
    for line in ax.lines:
        assert np.all(np.isfinite(np.asarray(line.get_xdata(), dtype=float)))
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))


def test_figure_runs_and_renders_a_white_png_without_title(drawn):
    _, fig = drawn
    png = fig._repr_png_()
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert tuple(image[0, 0]) == (255, 255, 255, 255)
    assert len(fig.axes) == 2 and all(not ax.get_title() for ax in fig.axes)
    for ax in fig.axes:
        _finite(ax)
        label = ax.get_xlabel().lstrip("$\\")
        assert label[:1].islower() or label.startswith("mu")
    top, bottom = fig.axes
    assert top.get_ylabel() == "density"
    assert "best" in bottom.get_ylabel() and "optimised for each" in bottom.get_xlabel()


def test_densities_drawn_are_the_fits_and_the_mixture(drawn):
    mixture, fig = drawn
    top, _ = fig.axes
    fits = pgm.forward_reverse_kl_fits(*mixture)
    x = np.asarray(top.lines[0].get_xdata())
    p = sum(w * stats.norm(m, s).pdf(x) for w, m, s in zip(*mixture, strict=True))
    np.testing.assert_allclose(top.lines[0].get_ydata(), p, rtol=1e-12, atol=1e-300)
    assert np.trapezoid(p, x) == pytest.approx(1.0, abs=1e-4)  # 4 sds each side: the mass
    curves = [fits.forward, *fits.reverse]
    for line, fit in zip(top.lines[1:4], curves, strict=True):
        np.testing.assert_allclose(
            line.get_ydata(), stats.norm(fit.mu, fit.sigma).pdf(x), rtol=1e-12, atol=1e-300
        )
    starts = top.lines[4]
    np.testing.assert_allclose(starts.get_xdata(), [s.mu for s in fits.starts])
    np.testing.assert_array_equal(starts.get_ydata(), 0.0)
    (fill,) = [c for c in top.collections if isinstance(c, PolyCollection)]
    assert fill.get_paths()[0].vertices[:, 1].max() == pytest.approx(p.max())


def test_profile_drawn_is_pgmlibs_with_the_fits_marked(drawn):
    mixture, fig = drawn
    _, bottom = fig.axes
    fits = pgm.forward_reverse_kl_fits(*mixture)
    mus = np.asarray(bottom.lines[0].get_xdata())
    profile = pgm.reverse_kl_profile(*mixture, mus)
    np.testing.assert_allclose(bottom.lines[0].get_ydata(), profile.kl, rtol=1e-12)
    for marker, fit, kls in zip(bottom.lines[1:3], fits.reverse, fits.reverse_kl, strict=True):
        assert marker.get_xdata()[0] == fit.mu and marker.get_ydata()[0] == kls.reverse
        # a local minimum of the profile: the curve is above the mark on either side
        assert np.interp(fit.mu, mus, profile.kl) == pytest.approx(kls.reverse, abs=2e-3)
    forward = bottom.lines[3]
    assert forward.get_xdata()[0] == fits.forward.mu
    assert forward.get_ydata()[0] == fits.forward_kl.reverse
    # the forward fit's sigma is not the best for its mean: it sits on or above the profile
    assert fits.forward_kl.reverse >= np.interp(fits.forward.mu, mus, profile.kl) - 1e-9
    assert bottom.get_ylim()[0] == 0.0
    assert bottom.get_ylim()[1] > max(k.reverse for k in fits.reverse_kl)


def test_legend_sits_above_both_panels_and_names_every_artist(drawn):
    _, fig = drawn
    fig.canvas.draw()
    (legend,) = fig.legends
    box = legend.get_window_extent()
    for ax in fig.axes:
        assert not box.overlaps(ax.get_window_extent())
    texts = [t.get_text() for t in legend.get_texts()]
    assert len(texts) == 6 and any("forward fit" in t for t in texts)
    assert sum(t.startswith("reverse fit") for t in texts) == 2


def test_colours_are_okabe_ito_and_black():
    styles = plotting.forward_reverse_styles()
    allowed = {mpl.colors.to_hex(c) for c in plotting.OKABE_ITO.values()}
    for key in ("p", "forward", "profile", "starts"):
        assert mpl.colors.to_hex(styles[key]["color"]) in allowed
    assert len({mpl.colors.to_hex(s["color"]) for s in styles["reverse"]}) == 2
    assert all(mpl.colors.to_hex(s["color"]) in allowed for s in styles["reverse"])


def test_plot_helpers_draw_into_given_axes_and_refuse_bad_input():
    fits = pgm.forward_reverse_kl_fits(*SEPARATED)
    x = np.linspace(-7, 7, 201)
    with plotting.book_style():
        _, (a, b) = plotting.new_figure(6, 5, nrows=2)
    assert plotting.plot_forward_reverse_fits(x, *SEPARATED, fits, ax=a) is a
    profile = pgm.reverse_kl_profile(*SEPARATED, x)
    assert plotting.plot_reverse_kl_profile(profile, fits, ax=b) is b
    assert len(a.lines) == 5 and len(b.lines) == 4
    with pytest.raises(TypeError, match="`ax` must be a matplotlib Axes or None"):
        plotting.plot_forward_reverse_fits(x, *SEPARATED, fits, ax="left")
    with pytest.raises(ValueError, match="`weights` must sum to 1"):
        plotting.figure_forward_reverse_kl([0.5, 0.6], [-1.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="`n_reverse` must be between 1 and 4; got 5"):
        plotting.forward_reverse_styles(5)


def test_one_reverse_start_and_three_starts():
    fig = plotting.figure_forward_reverse_kl(*THREE, starts=[(-4.5, 0.5), (0.0, 1.0), (3.5, 0.8)])
    top, bottom = fig.axes
    assert len(top.lines) == 2 + 3 + 1 and len(bottom.lines) == 1 + 3 + 1
    assert len(fig.legends[0].get_texts()) == 7
    fig = plotting.figure_forward_reverse_kl(*SEPARATED, starts=[(-4.0, 1.0)])
    assert len(fig.axes[0].lines) == 4


def test_mixture_density_matches_scipy():
    x = np.linspace(-6, 6, 101)
    expected = 0.2 * stats.norm(-4, 0.5).pdf(x) + 0.5 * stats.norm(0.5, 1).pdf(x)
    expected += 0.3 * stats.norm(3, 0.8).pdf(x)
    np.testing.assert_allclose(plotting.mixture_density(x, *THREE), expected, rtol=1e-13)
    with pytest.raises(TypeError, match="`x` must be array-like of numbers; got 'grid'"):
        plotting.mixture_density("grid", *THREE)
    with pytest.raises(ValueError, match=r"`sds` must be > 0"):
        plotting.mixture_density(x, [1.0], [0.0], [0.0])
