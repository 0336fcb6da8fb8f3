"""pgmlib.flows: maps of the plane and eq. (1.5), checked against finite differences, numpy.linalg,
scipy.stats, scipy.optimize, adaptive quadrature and seeded Monte Carlo."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, optimize, special, stats

import pgmlib as pgm
from pgmlib import flows
from pgmlib.flows import AffineFlow, CouplingFlow, PlanarFlow

#: Maps covering each class and its hard corners: a planar map with w·u close to -1 (a sharp
#: ridge), one with w along an axis, a coupling map that shrinks (s < 0) and one that keeps area.
FLOWS = {
    "affine": AffineFlow(angle=0.7, shear=-1.3, log_scales=(0.4, -0.9), shift=(0.5, -1.0)),
    "affine_identity": AffineFlow(),
    "planar": PlanarFlow(w=(2.0, 1.0), u=(0.8, -0.3), b=0.5),
    "planar_ridge": PlanarFlow(w=(1.0, 1.5), u=(-0.4, -0.36), b=-0.3),  # w·u = -0.94
    "planar_axis": PlanarFlow(w=(0.0, 3.0), u=(1.0, 0.4), b=0.2),
    "coupling": CouplingFlow(bend=1.2, scale_rate=0.4),
    "coupling_shrink": CouplingFlow(bend=-0.8, scale_rate=-0.6),
    "coupling_area": CouplingFlow(bend=1.5, scale_rate=0.0),
}
ALL = pytest.mark.parametrize("name", list(FLOWS))


@pytest.fixture(scope="module")
def points():
    return np.random.default_rng(7).normal(size=(200, 2)) * 1.8


def _finite_difference_jacobian(function, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences, column j = (f(x + h e_j) - f(x - h e_j)) / 2h; shape (n, 2, 2)."""
    columns = []
    for j in range(2):
        step = np.zeros(2)
        step[j] = h
        columns.append((function(x + step) - function(x - step)) / (2 * h))
    return np.stack(columns, axis=-1)


# ------------------------------------------------------------------------------------------
# Maps: inverses and Jacobians
# ------------------------------------------------------------------------------------------


@ALL
def test_inverse_undoes_forward_to_1e_10(name, points):
    flow = FLOWS[name]
    np.testing.assert_allclose(flow.inverse(flow.forward(points)), points, rtol=0, atol=1e-10)
    np.testing.assert_allclose(flow.forward(flow.inverse(points)), points, rtol=0, atol=1e-10)


@ALL
def test_jacobian_matches_central_differences(name, points):
    flow = FLOWS[name]
    numeric = _finite_difference_jacobian(flow.forward, points)
    np.testing.assert_allclose(flow.jacobian(points), numeric, rtol=1e-7, atol=1e-7)


@ALL
def test_inverse_jacobian_matches_central_differences_and_the_matrix_inverse(name, points):
    flow = FLOWS[name]
    y = flow.forward(points)
    numeric = _finite_difference_jacobian(flow.inverse, y)
    np.testing.assert_allclose(flow.inverse_jacobian(y), numeric, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(
        flow.inverse_jacobian(y), np.linalg.inv(flow.jacobian(points)), rtol=1e-11, atol=1e-12
    )


@ALL
def test_log_abs_det_matches_slogdet_and_the_determinant_is_positive(name, points):
    flow = FLOWS[name]
    sign, logdet = np.linalg.slogdet(flow.jacobian(points))
    assert np.all(sign == 1)
    np.testing.assert_allclose(flow.log_abs_det_jacobian(points), logdet, rtol=1e-12, atol=1e-13)
    y = flow.forward(points)
    _, inverse_logdet = np.linalg.slogdet(flow.inverse_jacobian(y))
    np.testing.assert_allclose(
        np.log(flow.inverse_abs_det_jacobian(y)), inverse_logdet, rtol=1e-11, atol=1e-12
    )


@ALL
def test_single_points_give_single_answers(name):
    flow, x = FLOWS[name], np.array([0.3, -0.7])
    assert flow.forward(x).shape == (2,) and flow.inverse(x).shape == (2,)
    assert flow.jacobian(x).shape == (2, 2) and flow.inverse_jacobian(x).shape == (2, 2)
    assert np.shape(flow.log_abs_det_jacobian(x)) == ()
    assert np.shape(flow.inverse_abs_det_jacobian(x)) == ()
    np.testing.assert_array_equal(flow(x), flow.forward(x[None])[0])
    assert flow.forward(np.empty((0, 2))).shape == (0, 2)


def test_affine_matrix_is_rotation_shear_scale_and_its_inverse_is_exact():
    flow = FLOWS["affine"]
    c, s = math.cos(0.7), math.sin(0.7)
    expected = (
        np.array([[c, -s], [s, c]])
        @ np.array([[1.0, -1.3], [0.0, 1.0]])
        @ np.diag([math.exp(0.4), math.exp(-0.9)])
    )
    np.testing.assert_allclose(flow.matrix, expected, rtol=1e-15)
    np.testing.assert_allclose(flow.matrix_inverse, np.linalg.inv(expected), rtol=1e-13)
    assert np.linalg.det(flow.matrix) == pytest.approx(math.exp(-0.5), rel=1e-14)


def test_planar_inverse_agrees_with_brentq_point_by_point():
    flow = FLOWS["planar_ridge"]
    y = np.random.default_rng(3).normal(size=(40, 2)) * 2.5
    w, u, c = np.array(flow.w), np.array(flow.u), flow.w_dot_u
    x = flow.inverse(y)
    for point, solved in zip(y, x, strict=True):
        target = float(w @ point)
        r = optimize.brentq(
            lambda r, t=target: r + c * math.tanh(r + flow.b) - t,
            target - 2,
            target + 2,
            xtol=1e-15,
            rtol=4 * np.finfo(float).eps,
        )
        np.testing.assert_allclose(solved, point - u * math.tanh(r + flow.b), atol=1e-12)


def test_planar_inverse_converges_next_to_the_invertibility_limit():
    flow = PlanarFlow(w=(1.0, 0.0), u=(-0.999999, 0.0), b=0.0)  # w·u = -1 + 1e-6
    x = np.column_stack((np.linspace(-3, 3, 2001), np.zeros(2001)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning
        back = flow.inverse(flow.forward(x))
    np.testing.assert_allclose(back, x, atol=1e-6)  # conditioning 1 / (1 + w·u) = 1e6
    assert flow.jacobian(np.zeros(2))[0, 0] == pytest.approx(1e-6, rel=1e-6)


def test_planar_determinant_ranges_between_one_and_one_plus_w_dot_u():
    for c in (-0.9, 0.5):
        flow = PlanarFlow(w=(1.0, 0.0), u=(c, 0.0), b=0.0)
        x = np.column_stack((np.linspace(-20, 20, 4001), np.zeros(4001)))
        det = np.exp(flow.log_abs_det_jacobian(x))
        assert det.min() == pytest.approx(min(1, 1 + c), abs=1e-12)
        assert det.max() == pytest.approx(max(1, 1 + c), abs=1e-12)


def test_reparametrised_planar_map_follows_rezende_mohamed():
    w, u = np.array([1.0, 2.0]), np.array([-3.0, 0.5])
    flow = PlanarFlow.reparametrised(w, u, 0.3)
    a = float(w @ u)
    u_hat = u + (-1 + math.log1p(math.exp(a)) - a) * w / float(w @ w)
    np.testing.assert_allclose(flow.u, u_hat, rtol=1e-14)
    assert flow.w_dot_u == pytest.approx(-1 + math.log1p(math.exp(a)), rel=1e-12)
    assert flow.w == (1.0, 2.0) and flow.b == 0.3


def test_coupling_without_scale_keeps_area_and_its_density_is_the_source_density_moved():
    flow = FLOWS["coupling_area"]
    y = np.random.default_rng(4).normal(size=(50, 2)) * 3
    np.testing.assert_array_equal(flow.inverse_abs_det_jacobian(y), 1.0)
    expected = stats.multivariate_normal(np.zeros(2)).pdf(flow.inverse(y))
    np.testing.assert_allclose(flow.pushforward_pdf()(y), expected, rtol=1e-13)


def test_descriptions_carry_the_parameters():
    assert FLOWS["coupling"].text.endswith("a = 1.2, s = 0.4")
    assert "w·u = 1.3" in FLOWS["planar"].text
    assert "rotation by 40.1°" in FLOWS["affine"].text
    assert FLOWS["affine"].latex.startswith(r"T(x) = R_{40.1^\circ}\,S_{-1.3}")
    labels = {type(flow).label for flow in FLOWS.values()}
    assert len(labels) == 3 and all(labels)


def test_maps_are_frozen_and_hashable():
    flow = FLOWS["planar"]
    with pytest.raises(AttributeError):
        flow.b = 1.0
    assert hash(flow) == hash(PlanarFlow(w=[2, 1], u=np.array([0.8, -0.3]), b=0.5))


# ------------------------------------------------------------------------------------------
# Eq. (1.5): the density of T(X)
# ------------------------------------------------------------------------------------------


def test_affine_density_is_the_gaussian_of_mean_b_and_covariance_A_A_transpose():
    flow = FLOWS["affine"]
    reference = stats.multivariate_normal(flow.shift, flow.matrix @ flow.matrix.T)
    y = np.random.default_rng(5).normal(size=(300, 2)) * 2
    np.testing.assert_allclose(flow.pushforward_pdf()(y), reference.pdf(y), rtol=1e-12)
    y1, y2 = np.linspace(-4, 4, 9), np.linspace(-5, 3, 5)
    grid = np.stack(np.meshgrid(y1, y2), axis=-1)
    np.testing.assert_allclose(
        flows.flow_density_grid(flow, y1, y2), reference.pdf(grid), rtol=1e-12
    )


@ALL
def test_density_is_the_source_density_times_the_inverse_determinant(name, points):
    flow = FLOWS[name]
    y = flow.forward(points)
    expected = np.exp(
        stats.multivariate_normal(np.zeros(2)).logpdf(points) - flow.log_abs_det_jacobian(points)
    )
    np.testing.assert_allclose(flow.pushforward_pdf()(y), expected, rtol=1e-12)
    single = flow.pushforward_pdf()(y[0])
    assert np.shape(single) == () and single == pytest.approx(expected[0], rel=1e-12)


def test_standard_gaussian_pdf_matches_scipy():
    x = np.random.default_rng(6).normal(size=(20, 2)) * 3
    np.testing.assert_allclose(
        flows.standard_gaussian_pdf_2d(x), stats.multivariate_normal(np.zeros(2)).pdf(x), rtol=1e-14
    )


#: Wide windows holding all but < 1e-8 of each map's mass; the midpoint rule on GRID x GRID
#: cells must integrate the density over them to 1 within DENSITY_TOL.
WIDE = {
    "affine": ((-12, 12), (-12, 12)),
    "planar": ((-8, 8), (-8, 8)),
    "planar_ridge": ((-8, 8), (-8, 8)),
    "coupling": ((-7, 7), (-40, 120)),
    "coupling_area": ((-7, 7), (-12, 80)),
}
GRID = 700
DENSITY_TOL = 2e-4


@pytest.mark.parametrize("name", list(WIDE))
def test_density_integrates_to_one_over_a_wide_grid(name):
    flow, ((a1, b1), (a2, b2)) = FLOWS[name], WIDE[name]
    assert flows.flow_box_probability(flow, (a1, a2), (b1, b2)) > 1 - 1e-8
    h1, h2 = (b1 - a1) / GRID, (b2 - a2) / GRID
    y1 = a1 + h1 * (np.arange(GRID) + 0.5)
    y2 = a2 + h2 * (np.arange(GRID) + 0.5)
    total = flows.flow_density_grid(flow, y1, y2).sum() * h1 * h2
    assert total == pytest.approx(1.0, abs=DENSITY_TOL)


@pytest.mark.parametrize("name", ["affine", "planar", "coupling_shrink"])
def test_density_over_a_box_agrees_with_the_jacobian_free_box_probability(name):
    """Eq. (1.5) integrated by 2-D adaptive quadrature = eq. (1.6) along source lines."""
    flow, pdf = FLOWS[name], FLOWS[name].pushforward_pdf()
    low, high = (-1.0, -0.5), (1.5, 2.0)
    by_density, _ = integrate.dblquad(
        lambda y2, y1: float(pdf(np.array([y1, y2]))),
        low[0],
        high[0],
        low[1],
        high[1],
        epsabs=1e-11,
        epsrel=1e-10,
    )
    assert flows.flow_box_probability(flow, low, high) == pytest.approx(by_density, abs=1e-9)


# ------------------------------------------------------------------------------------------
# Probabilities of boxes (eq. (1.6) along source lines)
# ------------------------------------------------------------------------------------------


def _rectangle_probability(distribution, low, high) -> float:
    """P(low < Y < high) from a CDF by inclusion-exclusion."""
    (a1, a2), (b1, b2) = low, high
    cdf = distribution.cdf
    return cdf([b1, b2]) - cdf([a1, b2]) - cdf([b1, a2]) + cdf([a1, a2])


@pytest.mark.parametrize("box", [((-1, -1), (1, 1)), ((-0.3, 0.2), (2, 4)), ((-9, -2), (0, 9))])
def test_box_probability_of_the_affine_map_matches_scipy(box):
    flow = FLOWS["affine"]
    reference = stats.multivariate_normal(
        flow.shift, flow.matrix @ flow.matrix.T, abseps=1e-13, releps=1e-13, maxpts=10**7
    )
    assert flows.flow_box_probability(flow, *box) == pytest.approx(
        _rectangle_probability(reference, *box), abs=1e-10
    )


def _box_probability_by_quad(flow, low, high) -> float:
    """The same outer integral by adaptive quadrature, one alpha at a time."""
    d = flow.affine_direction
    e = np.array([d[1], -d[0]])

    def integrand(alpha: float) -> float:
        p = flow.forward(alpha * e)
        q = flow.forward(alpha * e + d) - p
        inside = 1.0
        lows, highs = [-np.inf], [np.inf]
        for j in range(2):
            if q[j] == 0:
                inside *= float(low[j] <= p[j] <= high[j])
            else:
                ends = sorted(((low[j] - p[j]) / q[j], (high[j] - p[j]) / q[j]))
                lows.append(ends[0])
                highs.append(ends[1])
        mass = max(0.0, special.ndtr(min(highs)) - special.ndtr(max(lows)))
        return inside * mass * math.exp(-alpha * alpha / 2) / math.sqrt(2 * math.pi)

    value, _ = integrate.quad(integrand, -12, 12, limit=4000, epsabs=1e-13, epsrel=1e-12)
    return value


@pytest.mark.parametrize("name", ["planar", "planar_axis", "coupling", "coupling_shrink"])
@pytest.mark.parametrize("box", [((-1, -1), (1, 1)), ((-0.3, 0.2), (2, 4))])
def test_box_probability_matches_adaptive_quadrature(name, box):
    flow = FLOWS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)  # the reference's kinks
        reference = _box_probability_by_quad(flow, *box)
    assert flows.flow_box_probability(flow, *box) == pytest.approx(reference, abs=1e-9)


@ALL
def test_box_probability_matches_monte_carlo_within_five_standard_errors(name):
    flow, n = FLOWS[name], 400_000
    _, y = flows.sample_flow(flow, n, rng=11)
    low, high = np.array([-0.5, -1.0]), np.array([1.2, 1.5])
    hits = np.mean(np.all((y > low) & (y < high), axis=1))
    exact = flows.flow_box_probability(flow, low, high)
    assert abs(hits - exact) <= 5 * math.sqrt(exact * (1 - exact) / n)


def test_box_probability_of_everything_is_one_and_of_a_far_box_is_zero():
    for flow in FLOWS.values():
        assert flows.flow_box_probability(flow, (-1e3, -1e4), (1e3, 1e4)) == pytest.approx(
            1.0, abs=1e-12
        )
    assert flows.flow_box_probability(FLOWS["planar"], (50, 50), (60, 60)) == 0.0


# ------------------------------------------------------------------------------------------
# Histograms of T(X) against eq. (1.5)
# ------------------------------------------------------------------------------------------

#: Bins whose expected count reaches this are checked one by one (normal approximation).
MIN_EXPECTED = 20
#: Per-bin bound, in binomial standard errors: with about 1,000 checked bins the largest of
#: |z| exceeds 5 with probability about 6e-4.
Z_BOUND = 5.0


@pytest.mark.parametrize(
    "name", ["affine", "planar", "planar_ridge", "coupling", "coupling_shrink"]
)
def test_histogram_of_samples_agrees_with_the_density_bin_by_bin(name):
    flow, n = FLOWS[name], 300_000
    x, _ = flows.sample_flow(pgm.AffineFlow(), n, rng=2024)
    window = {"affine": (-5, 5, -5, 5), "coupling": (-3, 3, -3, 9)}.get(name, (-3, 3, -3, 3))
    edges1 = np.linspace(window[0], window[1], 41)
    edges2 = np.linspace(window[2], window[3], 41)
    check = flows.flow_histogram_comparison(flow, x, edges1, edges2, n_sub=5)
    expected = n * check.probabilities
    counts = n * check.frequencies
    checked = expected >= MIN_EXPECTED
    z = (counts - expected)[checked] / np.sqrt(expected * (1 - check.probabilities))[checked]
    assert checked.sum() > 300
    assert np.max(np.abs(z)) < Z_BOUND, (name, float(np.max(np.abs(z))))
    # and a chi-square test over the checked bins plus the rest pooled
    observed = np.append(counts[checked], n - counts[checked].sum())
    predicted = np.append(expected[checked], n - expected[checked].sum())
    assert stats.chisquare(observed, predicted * observed.sum() / predicted.sum()).pvalue > 1e-4


def test_comparison_reports_masses_that_add_up():
    flow = FLOWS["coupling"]
    x, _ = flows.sample_flow(AffineFlow(), 20_000, rng=5)
    edges1, edges2 = np.linspace(-3, 3, 31), np.linspace(-2, 6, 41)
    check = flows.flow_histogram_comparison(flow, x, edges1, edges2)
    assert check.frequencies.shape == check.probabilities.shape == (30, 40)
    assert check.density.shape == (120, 90)
    np.testing.assert_array_equal(check.y, flow.forward(x))
    counts, _, _ = np.histogram2d(check.y[:, 0], check.y[:, 1], bins=(edges1, edges2))
    np.testing.assert_array_equal(check.frequencies, counts / 20_000)
    assert check.window_integral == pytest.approx(check.probabilities.sum(), rel=1e-15)
    box = flows.flow_box_probability(flow, (-3, -2), (3, 6))
    assert check.mass_outside == pytest.approx(1 - box, abs=1e-15)
    assert check.total_mass == pytest.approx(1.0, abs=1e-4)  # midpoint rule, 3 x 3 per bin
    assert check.window_integral == pytest.approx(box, abs=1e-4)
    assert check.draws_outside == pytest.approx(1 - counts.sum() / 20_000, abs=1e-15)
    deviation = np.abs(check.frequencies - check.probabilities).sum()
    deviation += abs(check.draws_outside - check.mass_outside)
    assert check.total_variation == pytest.approx(deviation / 2, rel=1e-12)


def test_total_variation_of_samples_is_within_the_spread_of_exact_sampling():
    """The observed TV against the TVs of histograms drawn from the exact cell masses."""
    flow, n = FLOWS["planar"], 20_000
    x, _ = flows.sample_flow(AffineFlow(), n, rng=9)
    edges = np.linspace(-3, 3, 41)
    check = flows.flow_histogram_comparison(flow, x, edges, edges, n_sub=5)
    cells = np.append(check.probabilities.ravel(), check.mass_outside)
    cells /= cells.sum()
    draws = np.random.default_rng(1).multinomial(n, cells, size=2000) / n
    simulated = 0.5 * np.abs(draws - cells).sum(axis=1)
    assert check.noise_total_variation == pytest.approx(simulated.mean(), rel=0.01)
    assert check.total_variation < simulated.mean() + 4 * simulated.std()


def test_expected_sampling_total_variation_matches_direct_summation():
    p = np.random.default_rng(0).dirichlet(np.ones(9))
    for n in (1, 2, 7, 40, 333):
        k = np.arange(n + 1)
        direct = sum(np.sum(stats.binom.pmf(k, n, pk) * np.abs(k - n * pk)) for pk in p)
        assert flows.expected_sampling_total_variation(p, n) == pytest.approx(
            direct / (2 * n), rel=1e-12
        )
    assert flows.expected_sampling_total_variation([1.0], 10) == 0.0
    tiny = flows.expected_sampling_total_variation([1e-307, 1 - 1e-307], 100)
    assert tiny == pytest.approx(1e-307, rel=1e-6)  # where scipy's binom.pmf overflows


# ------------------------------------------------------------------------------------------
# Pictures: grid lines and the local area element
# ------------------------------------------------------------------------------------------


@ALL
def test_area_ratio_of_a_shrinking_square_tends_to_the_inverse_determinant(name):
    """|square| / |T(square)| -> |det grad T^-1(y)| like side^2 (exactly, for a map with a
    constant Jacobian determinant: affine, or the coupling map with s = 0)."""
    flow = FLOWS[name]
    y = flow.forward(np.array([0.4, -0.3]))
    errors = []
    for side in (0.2, 0.1, 0.05):
        element = flows.local_area_element(flow, y, side=side, n_per_side=64)
        errors.append(abs(element.area_ratio / element.inverse_abs_det - 1))
    assert errors[-1] < 5e-3
    if errors[0] > 1e-10:
        assert errors[-1] < errors[0] / 8  # 16 for an exact side^2 law


def test_local_area_element_is_eq_1_5_at_the_point():
    flow = FLOWS["planar"]
    element = flows.local_area_element(flow, [0.7, -0.2], side=0.3, n_per_side=4)
    np.testing.assert_allclose(element.x, flow.inverse(np.array([0.7, -0.2])), rtol=1e-15)
    assert element.square.shape == element.image.shape == (16, 2)
    np.testing.assert_allclose(element.image, flow.forward(element.square), rtol=1e-15)
    assert element.square_area == pytest.approx(0.09, rel=1e-15)
    assert element.density_y == pytest.approx(element.density_x * element.inverse_abs_det)
    assert element.density_x == pytest.approx(float(flows.standard_gaussian_pdf_2d(element.x)))


def test_affine_square_lands_on_a_parallelogram_of_exact_area():
    flow = FLOWS["affine"]
    element = flows.local_area_element(flow, [1.0, 2.0], side=0.5, n_per_side=1)
    corners = element.image
    edge1, edge2 = corners[1] - corners[0], corners[3] - corners[0]
    np.testing.assert_allclose(corners[2] - corners[1], edge2, atol=1e-14)  # a parallelogram
    area = abs(edge1[0] * edge2[1] - edge1[1] * edge2[0])
    assert element.image_area == pytest.approx(area, rel=1e-13)
    assert element.area_ratio == pytest.approx(math.exp(0.5), rel=1e-13)  # 1 / det A


def test_grid_lines_and_their_images():
    flow = FLOWS["coupling"]
    source, image = flows.flow_grid_lines(flow, -2.0, 2.0, n_lines=5, n_points=9)
    assert source.shape == image.shape == (10, 9, 2)
    np.testing.assert_array_equal(
        source[:5, :, 0], np.repeat(np.linspace(-2, 2, 5), 9).reshape(5, 9)
    )
    np.testing.assert_array_equal(source[5:], source[:5, :, ::-1])
    np.testing.assert_array_equal(image, flow.forward(source.reshape(-1, 2)).reshape(10, 9, 2))


def test_sample_flow_draws_the_source_and_maps_it():
    flow, n = FLOWS["affine"], 200_000
    x, y = flows.sample_flow(flow, n, rng=3)
    np.testing.assert_array_equal(y, flow.forward(x))
    x_again, _ = flows.sample_flow(flow, n, rng=3)
    np.testing.assert_array_equal(x, x_again)
    covariance = flow.matrix @ flow.matrix.T
    standard_errors = np.sqrt(np.diag(covariance) / n)
    assert np.all(np.abs(y.mean(axis=0) - flow.shift) < 5 * standard_errors)


# ------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (np.zeros(3), ValueError, r"`x` must hold points of the plane, shape \(2,\) or \(n, 2\)"),
        (np.zeros((4, 3)), ValueError, r"got shape \(4, 3\)"),
        (np.zeros((2, 2, 2)), ValueError, r"`x` must have 1 or 2 dimension"),
        ("ab", TypeError, r"`x` must be array-like of numbers"),
        ([[0.0, np.nan]], ValueError, r"`x` must contain only finite values; got nan"),
    ],
)
def test_points_are_checked(value, error, match):
    with pytest.raises(error, match=match):
        FLOWS["planar"].forward(value)


def test_inverse_names_its_argument():
    with pytest.raises(ValueError, match=r"`y` must contain only finite values; got inf"):
        FLOWS["coupling"].inverse([np.inf, 0.0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"angle": "30"}, TypeError, r"`angle` must be a real number; got '30'"),
        ({"shear": np.inf}, ValueError, r"`shear` must be finite; got inf"),
        ({"log_scales": (0.0,)}, ValueError, r"`log_scales` must be a pair of numbers"),
        ({"log_scales": (25.0, 0.0)}, ValueError, r"`log_scales` must lie in \[-20, 20\]"),
        ({"shift": (0.0, np.nan)}, ValueError, r"`shift` must contain only finite values"),
    ],
)
def test_affine_parameters_are_checked(kwargs, error, match):
    with pytest.raises(error, match=match):
        AffineFlow(**kwargs)


@pytest.mark.parametrize("u", [(-2.0, 0.0), (-1.0, 5.0)])  # w·u = -2 and exactly -1
def test_planar_map_that_is_not_invertible_is_refused(u):
    with pytest.raises(ValueError, match=r"invertible only when w·u > -1; got w·u = -[12]\. Use"):
        PlanarFlow(w=(1.0, 0.0), u=u)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"w": (1.0, 2.0, 3.0)}, ValueError, r"`w` must be a pair of numbers; got shape \(3,\)"),
        ({"u": None}, TypeError, r"`u` must be array-like of numbers; got None"),
        ({"b": [1.0, 2.0]}, TypeError, r"`b` must be a real number"),
    ],
)
def test_planar_parameters_are_checked(kwargs, error, match):
    with pytest.raises(error, match=match):
        PlanarFlow(**kwargs)


def test_reparametrisation_needs_a_direction():
    with pytest.raises(ValueError, match=r"`w` must be nonzero to reparametrise u"):
        PlanarFlow.reparametrised((0.0, 0.0), (1.0, 1.0))


def test_coupling_parameters_are_checked():
    with pytest.raises(ValueError, match=r"`bend` must be finite; got nan"):
        CouplingFlow(bend=np.nan)
    with pytest.raises(TypeError, match=r"`scale_rate` must be a real number; got True"):
        CouplingFlow(scale_rate=True)


def test_planar_inverse_warns_when_it_runs_out_of_steps():
    @dataclass(frozen=True)
    class Impatient(PlanarFlow):
        max_iter: ClassVar[int] = 1

    flow = Impatient(w=(1.0, 0.0), u=(-0.99, 0.0))
    with pytest.warns(pgm.ConvergenceWarning, match=r"did not converge in 1 Newton steps at"):
        flow.inverse(np.array([[0.5, 0.0], [3.0, 1.0]]))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: flows.flow_density_grid("map", [0], [0]), TypeError, r"`flow` must be a FlowMap"),
        (lambda: flows.sample_flow(None, 5), TypeError, r"`flow` must be a FlowMap .*got None"),
        (
            lambda: flows.flow_box_probability(FLOWS["planar"], (0, 1), (1, 1)),
            ValueError,
            r"`lower` must be < `upper` in each coordinate; got lower = \[0.0, 1.0\]",
        ),
        (
            lambda: flows.flow_box_probability(FLOWS["planar"], (0, 1, 2), (1, 2)),
            ValueError,
            r"`lower` must be a pair of numbers",
        ),
        (lambda: flows.sample_flow(FLOWS["planar"], 0), ValueError, r"`n` must be >= 1; got 0"),
        (
            lambda: flows.flow_density_grid(FLOWS["planar"], [[0, 1]], [0]),
            ValueError,
            r"`y1` must have 1 dimension",
        ),
        (
            lambda: flows.expected_sampling_total_variation([0.5, 0.6], 10),
            ValueError,
            r"`probabilities` must sum to 1 .*got sum = 1.1",
        ),
        (
            lambda: flows.expected_sampling_total_variation([1.5, -0.5], 10),
            ValueError,
            r"`probabilities` must be nonnegative; got min = -0.5",
        ),
        (
            lambda: flows.expected_sampling_total_variation([1.0], 0),
            ValueError,
            r"`n` must be >= 1; got 0",
        ),
        (
            lambda: flows.expected_sampling_total_variation([], 10),
            ValueError,
            r"`probabilities` must not be empty",
        ),
        (
            lambda: flows.flow_histogram_comparison(
                FLOWS["planar"], np.zeros((5, 2)), [0, 1], [[0, 1]]
            ),
            ValueError,
            r"`y2_edges` must have 1 dimension",
        ),
        (
            lambda: flows.flow_histogram_comparison(FLOWS["planar"], [[0, np.nan]], [0, 1], [0, 1]),
            ValueError,
            r"`x` must contain only finite values; got nan",
        ),
        (
            lambda: flows.flow_grid_lines(FLOWS["planar"], n_points=1),
            ValueError,
            r"`n_points` must be >= 2; got 1",
        ),
        (
            lambda: flows.flow_grid_lines(FLOWS["planar"], low="a"),
            TypeError,
            r"`low` must be a real number; got 'a'",
        ),
        (
            lambda: flows.local_area_element(FLOWS["planar"], [0, 0], side=-1.0),
            ValueError,
            r"`side` must be > 0; got -1.0",
        ),
        (
            lambda: flows.flow_density_grid(FLOWS["planar"], [0], []),
            ValueError,
            r"`y2` must not be empty",
        ),
        (
            lambda: flows.expected_sampling_total_variation([1.0], 2.0),
            TypeError,
            r"`n` must be an integer; got 2.0",
        ),
        (
            lambda: flows.flow_histogram_comparison(
                FLOWS["planar"], np.zeros((5, 3)), [0, 1], [0, 1]
            ),
            ValueError,
            r"`x` must hold points of the plane, shape \(n, 2\); got \(5, 3\)",
        ),
        (
            lambda: flows.flow_histogram_comparison(
                FLOWS["planar"], np.zeros((5, 2)), [0, 0], [0, 1]
            ),
            ValueError,
            r"`y1_edges` must hold at least 2 strictly increasing edges",
        ),
        (
            lambda: flows.flow_histogram_comparison(
                FLOWS["planar"], np.zeros((5, 2)), [0, 1], [0, 1], n_sub=0
            ),
            ValueError,
            r"`n_sub` must be >= 1; got 0",
        ),
        (
            lambda: flows.flow_histogram_comparison(
                CouplingFlow(scale_rate=300.0), np.full((2, 2), 3.0), [0, 1], [0, 1]
            ),
            ValueError,
            r"the images T\(x\) of some draws overflow",
        ),
        (
            lambda: flows.flow_grid_lines(FLOWS["planar"], 1.0, 1.0),
            ValueError,
            r"`low` must be < `high`; got low = 1, high = 1",
        ),
        (
            lambda: flows.flow_grid_lines(FLOWS["planar"], n_lines=1),
            ValueError,
            r"`n_lines` must be >= 2; got 1",
        ),
        (
            lambda: flows.local_area_element(FLOWS["planar"], [0, 0], side=0.0),
            ValueError,
            r"`side` must be > 0; got 0.0",
        ),
        (
            lambda: flows.local_area_element(FLOWS["planar"], [0, 0], n_per_side=0),
            ValueError,
            r"`n_per_side` must be >= 1; got 0",
        ),
        (
            lambda: flows.local_area_element(FLOWS["planar"], [[0, 0]]),
            ValueError,
            r"`y` must have 1 dimension",
        ),
    ],
)
def test_functions_refuse_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

coordinate = st.floats(-3.0, 3.0)
point_lists = st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=20)


@st.composite
def planar_maps(draw):
    """Planar maps anywhere in their invertible range w·u > -1 (down to -1 + 1e-3)."""
    w = np.array([draw(st.floats(-3, 3)), draw(st.floats(-3, 3))])
    u = np.array([draw(st.floats(-3, 3)), draw(st.floats(-3, 3))])
    if w @ u <= -1 + 1e-3 and w @ w > 0:
        u = u + (-1 + 1e-3 + draw(st.floats(0, 2)) - w @ u) * w / (w @ w)
    if w @ u <= -1 + 1e-3:
        u = np.zeros(2)
    return PlanarFlow(w=w, u=u, b=draw(st.floats(-2, 2)))


any_map = st.one_of(
    planar_maps(),
    st.builds(
        AffineFlow,
        angle=st.floats(-math.pi, math.pi),
        shear=st.floats(-3, 3),
        log_scales=st.tuples(st.floats(-2, 2), st.floats(-2, 2)),
        shift=st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
    ),
    st.builds(CouplingFlow, bend=st.floats(-2, 2), scale_rate=st.floats(-1, 1)),
)


@given(flow=planar_maps(), points=point_lists)
def test_planar_determinant_is_positive_on_the_invertible_range(flow, points):
    x = np.array(points)
    det = np.linalg.det(flow.jacobian(x))
    assert np.all(det >= min(1.0, 1.0 + flow.w_dot_u) * (1 - 1e-12))
    np.testing.assert_allclose(np.log(det), flow.log_abs_det_jacobian(x), atol=1e-9)


@given(flow=any_map, points=point_lists)
def test_inverse_round_trip_for_any_map(flow, points):
    x = np.array(points)
    y = flow.forward(x)
    # the planar inverse loses digits as 1 / (1 + w·u), at most 1e3 here
    np.testing.assert_allclose(flow.inverse(y), x, rtol=0, atol=1e-9 * (1 + np.abs(y).max()))


@given(
    w=st.tuples(st.floats(-3, 3), st.floats(-3, 3)).filter(lambda w: w[0] ** 2 + w[1] ** 2 > 1e-6),
    u=st.tuples(st.floats(-5, 5), st.floats(-5, 5)),
)
def test_reparametrised_planar_maps_are_always_invertible(w, u):
    flow = PlanarFlow.reparametrised(w, u)
    assert flow.w_dot_u > -1
    np.testing.assert_allclose(
        flow.w_dot_u, -1 + np.logaddexp(0, np.dot(w, u)), rtol=1e-9, atol=1e-9
    )


@given(
    flow=any_map,
    low=st.tuples(coordinate, coordinate),
    size=st.tuples(st.floats(0.1, 4), st.floats(0.1, 4)),
)
def test_box_probabilities_are_probabilities_and_grow_with_the_box(flow, low, size):
    low = np.array(low)
    high = low + np.array(size)
    inner = flows.flow_box_probability(flow, low, high)
    outer = flows.flow_box_probability(flow, low - 0.5, high + 0.5)
    assert 0.0 <= inner <= outer + 1e-12 <= 1.0 + 1e-12


def test_everything_is_reexported():
    for name in flows.__all__:
        assert getattr(pgm, name) is getattr(flows, name)
    assert "change_of_variables_explorer" in pgm.widgets.__all__


@ALL
def test_latex_descriptions_are_valid_mathtext(name):
    from matplotlib.mathtext import MathTextParser

    parsed = MathTextParser("path").parse(f"${FLOWS[name].latex}$")
    assert parsed.width > 0
