"""pgmlib.pushforward: pushforwards checked against scipy.stats, quadrature and Monte Carlo."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

import pgmlib as pgm
from pgmlib import pushforward as pf

# ------------------------------------------------------------------------------------------
# Discrete pushforward (Example 1.2)
# ------------------------------------------------------------------------------------------


def test_example_1_2_masses():
    pmf = {1: 0.2, 2: 0.5, 3: 0.3}
    out = pf.pushforward_pmf(pmf, {1: "a", 2: "b", 3: "b"})
    assert list(out) == ["a", "b"]
    assert out["a"] == pytest.approx(0.2, rel=1e-15)
    assert out["b"] == pytest.approx(0.8, rel=1e-15)


def test_contributions_split_each_target_by_source():
    table = pf.pushforward_contributions({1: 0.2, 2: 0.5, 3: 0.3}, {1: "a", 2: "b", 3: "b"})
    assert table == {"a": {1: 0.2}, "b": {2: 0.5, 3: 0.3}}


def test_callable_map_matches_dict_map():
    pmf = {-2: 0.1, -1: 0.2, 0: 0.3, 1: 0.25, 2: 0.15}
    by_function = pf.pushforward_pmf(pmf, lambda x: x * x)
    by_table = pf.pushforward_pmf(pmf, {x: x * x for x in pmf})
    assert by_function == by_table
    assert by_function == pytest.approx({4: 0.25, 1: 0.45, 0: 0.3}, rel=1e-14)


@given(
    masses=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12).filter(lambda m: sum(m) > 1e-3),
    n_targets=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_pushforward_masses_sum_to_one_and_add_up_by_preimage(masses, n_targets, seed):
    total = math.fsum(masses)
    pmf = {i: m / total for i, m in enumerate(masses)}
    labels = np.random.default_rng(seed).integers(0, n_targets, size=len(pmf))
    T = {i: f"t{labels[i]}" for i in pmf}
    out = pf.pushforward_pmf(pmf, T)
    assert math.fsum(out.values()) == pytest.approx(1.0, abs=1e-12)
    for target, mass in out.items():
        preimage = [i for i in pmf if T[i] == target]  # eq. (1.6): P_X(T^{-1}({t}))
        assert mass == pytest.approx(math.fsum(pmf[i] for i in preimage), abs=1e-15)


def test_pmf_errors():
    with pytest.raises(ValueError, match=r"`pmf` must be nonnegative; got min\(pmf\) = -0.1"):
        pf.pushforward_pmf({1: -0.1, 2: 1.1}, {1: 0, 2: 0})
    with pytest.raises(ValueError, match=r"`pmf` must sum to 1 \(a pmf\); got sum\(pmf\) = 0.9"):
        pf.pushforward_pmf({1: 0.4, 2: 0.5}, {1: 0, 2: 0})
    with pytest.raises(TypeError, match=r"`pmf` must be a dict \{value: probability\}; got list"):
        pf.pushforward_pmf([0.5, 0.5], {0: 0, 1: 0})
    with pytest.raises(ValueError, match="`pmf` must not be empty"):
        pf.pushforward_pmf({}, {})
    with pytest.raises(ValueError, match="`pmf` must contain only finite values; got nan"):
        pf.pushforward_pmf({1: float("nan"), 2: 1.0}, {1: 0, 2: 0})
    with pytest.raises(ValueError, match="`T` is not defined at the source value 3"):
        pf.pushforward_pmf({1: 0.2, 2: 0.5, 3: 0.3}, {1: "a", 2: "b"})
    with pytest.raises(TypeError, match="`T` must be callable"):
        pf.pushforward_pmf({1: 1.0}, "a")


def test_map_that_raises_is_refused_with_the_source_value():
    with pytest.raises(
        ValueError,
        match=r"`T` is not defined at the source value 0: T\(0\) raised ZeroDivisionError: "
        r"division by zero",
    ) as info:
        pf.pushforward_pmf({1: 0.5, 0: 0.5}, lambda x: 1 / x)
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    with pytest.raises(ValueError, match=r"T\(0\) raised ZeroDivisionError"):
        pf.pushforward_contributions({1: 0.5, 0: 0.5}, lambda x: 1 / x)


@pytest.mark.parametrize(
    ("T", "shown"),
    [
        (lambda x: float("nan") if x == 1 else "a", r"T\(1\) = nan"),
        (lambda x: np.float64(x) * np.inf if x == 1 else 0.0, r"T\(1\) = np\.float64\(inf\)"),
        (lambda x: (x, math.nan), r"T\(1\) = \(1, nan\)"),
        ({1: "a", 0: -math.inf}, r"T\(0\) = -inf"),
    ],
    ids=["nan", "numpy inf", "tuple with nan", "dict value -inf"],
)
def test_map_returning_nan_or_inf_is_refused(T, shown):
    with pytest.raises(ValueError, match=r"`T` must return finite target values .*; got " + shown):
        pf.pushforward_pmf({1: 0.5, 0: 0.5}, T)


@pytest.mark.parametrize(
    "T",
    [lambda x: [x, x], lambda x: np.array([x]), {1: "a", 0: {"b"}}],
    ids=["list", "array", "set"],
)
def test_map_returning_an_unhashable_value_is_refused(T):
    with pytest.raises(
        TypeError,
        match=r"`T` must return hashable target values \(they are the keys of the pushforward "
        r"pmf\); got T\((1|0)\) = .* of type (list|ndarray|set)",
    ):
        pf.pushforward_pmf({1: 0.5, 0: 0.5}, T)


def test_finite_and_exotic_hashable_targets_are_kept():
    """Huge integers, complex numbers, frozensets and None are valid targets."""
    out = pf.pushforward_pmf({0: 0.25, 1: 0.25, 2: 0.25, 3: 0.25}, lambda x: 10**400 * (x % 2))
    assert out == {0: 0.5, 10**400: 0.5}
    out = pf.pushforward_pmf({0: 0.5, 1: 0.5}, {0: 1 + 2j, 1: frozenset({None})})
    assert out == {1 + 2j: 0.5, frozenset({None}): 0.5}


# ------------------------------------------------------------------------------------------
# Change of variables (Theorem 1.1, eq. (1.5))
# ------------------------------------------------------------------------------------------


def test_change_of_variables_exp_is_lognormal():
    pdf_y = pf.change_of_variables(stats.norm.pdf, np.log, np.reciprocal)
    y = np.array([0.05, 0.5, 1.0, 3.0, 20.0])
    np.testing.assert_allclose(pdf_y(y), stats.lognorm(s=1.0).pdf(y), rtol=1e-12)
    assert isinstance(pdf_y(2.0), float)


def test_change_of_variables_is_zero_outside_the_image_without_warnings():
    pdf_y = pf.change_of_variables(stats.norm.pdf, np.log, np.reciprocal)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = pdf_y(np.array([-3.0, 0.0, 1.0]))
    assert out[:2].tolist() == [0.0, 0.0]
    assert out[2] == pytest.approx(stats.lognorm(s=1.0).pdf(1.0), rel=1e-12)


# Linear parts of affine maps of R^3: a general one (det > 0) and three that reverse
# orientation (det < 0), where eq. (1.5) needs the absolute value of the determinant.
AFFINE_MATRICES = {
    "general, det > 0": np.array([[1.5, 0.4, 0.0], [-0.3, 0.8, 0.2], [0.1, 0.0, 2.0]]),
    "swap x1, x2, det = -1": np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
    "diag(-2, 1, 1), det = -2": np.diag([-2.0, 1.0, 1.0]),
    "general, det < 0": np.array([[-1.5, 0.4, 0.0], [0.3, 0.8, 0.2], [-0.1, 0.0, 2.0]]),
}


@pytest.mark.parametrize("batch", [False, True])
@pytest.mark.parametrize("name", list(AFFINE_MATRICES))
def test_change_of_variables_multivariate_affine_matches_scipy(name, batch):
    A = AFFINE_MATRICES[name]
    assert (np.linalg.det(A) < 0) == ("det < 0" in name or "det = -" in name)
    rng = np.random.default_rng(3)
    b = np.array([1.0, -2.0, 0.5])
    A_inv = np.linalg.inv(A)
    mean_x, cov_x = np.array([0.2, 0.0, -1.0]), np.diag([1.0, 0.5, 2.0])
    pdf_y = pf.change_of_variables(
        stats.multivariate_normal(mean_x, cov_x).pdf,
        lambda y: (y - b) @ A_inv.T,
        lambda y: np.broadcast_to(A_inv, (*np.shape(y), 3)),
    )
    reference = stats.multivariate_normal(A @ mean_x + b, A @ cov_x @ A.T)
    y = rng.normal(size=(7, 3)) if batch else rng.normal(size=3)
    np.testing.assert_allclose(pdf_y(y), reference.pdf(y), rtol=1e-10)
    assert np.all(pdf_y(y) > 0)
    assert np.shape(pdf_y(y)) == ((7,) if batch else ())


@pytest.mark.parametrize("name", list(AFFINE_MATRICES))
@pytest.mark.parametrize("n", [1, 3, 7])
def test_change_of_variables_constant_jacobian_broadcasts_over_a_batch(name, n):
    """An affine flow may return its one (d, d) Jacobian for a whole batch (n, d); n = d = 3 is
    the shape-ambiguous case (d points of R^d or a d x d array for a 1-D map)."""
    A = AFFINE_MATRICES[name]
    A_inv, b = np.linalg.inv(A), np.array([1.0, -2.0, 0.5])
    mean_x, cov_x = np.array([0.2, 0.0, -1.0]), np.diag([1.0, 0.5, 2.0])
    constant = pf.change_of_variables(
        stats.multivariate_normal(mean_x, cov_x).pdf, lambda y: (y - b) @ A_inv.T, lambda y: A_inv
    )
    reference = stats.multivariate_normal(A @ mean_x + b, A @ cov_x @ A.T)
    y = np.random.default_rng(n).normal(size=(n, 3))
    np.testing.assert_allclose(constant(y), reference.pdf(y), rtol=1e-10)
    assert constant(y).shape == (n,)
    assert np.shape(constant(y[0])) == ()
    np.testing.assert_allclose(constant(y[0]), reference.pdf(y[0]), rtol=1e-10)
    many = np.random.default_rng(0).normal(size=(2, 4, 3))  # any leading batch shape
    np.testing.assert_allclose(constant(many), reference.pdf(many), rtol=1e-10)


def test_change_of_variables_one_dimensional_constant_derivative():
    """A 1-D affine map may give its derivative as one number; a (2, 2) array of points is read
    as 2 x 2 values of a 1-D map when the derivative has the shape of y."""
    reference = stats.norm(1.0, 2.0)  # Y = 2X + 1 (and Y = -2X + 1), X ~ N(0, 1)
    y = np.array([[-3.0, 0.5], [1.0, 6.0]])
    for slope in (0.5, -0.5):
        as_number = pf.change_of_variables(
            stats.norm.pdf, lambda y, s=slope: (y - 1) * s, lambda y, s=slope: s
        )
        as_array = pf.change_of_variables(
            stats.norm.pdf, lambda y, s=slope: (y - 1) * s, lambda y, s=slope: np.full_like(y, s)
        )
        np.testing.assert_allclose(as_number(y), reference.pdf(y), rtol=1e-12)
        np.testing.assert_allclose(as_array(y), reference.pdf(y), rtol=1e-12)
        assert as_array(y).shape == as_number(y).shape == (2, 2)


def test_change_of_variables_nonlinear_2d_integrates_to_one():
    # T(x1, x2) = (exp(x1), x2 + x1^2): a diffeomorphism of R^2 onto (0, inf) x R.
    def inverse(y):
        x1 = np.log(y[..., 0])
        return np.stack([x1, y[..., 1] - x1**2], axis=-1)

    def jacobian(y):
        y1 = y[..., 0]
        x1 = np.log(y1)
        J = np.zeros((*np.shape(y), 2))
        J[..., 0, 0] = 1 / y1
        J[..., 1, 0] = -2 * x1 / y1
        J[..., 1, 1] = 1.0
        return J

    def standard_normal_2d(x):  # scipy's multivariate_normal is slow for scalar calls
        return np.exp(-0.5 * np.sum(x**2, axis=-1)) / (2 * np.pi)

    np.testing.assert_allclose(
        standard_normal_2d(np.array([[0.3, -1.0]])),
        stats.multivariate_normal(np.zeros(2)).pdf([0.3, -1.0]),
        rtol=1e-14,
    )
    pdf_y = pf.change_of_variables(standard_normal_2d, inverse, jacobian)
    # Gauss-Legendre over the band 0 < y1 < b, |y2 - log(y1)^2| < 12, written with
    # u = log y1 (dy1 = y1 du): it holds P(X1 < log b) up to ~1e-19. One vectorised call.
    b = 20.0
    nodes, weights = np.polynomial.legendre.leggauss(200)
    u = 0.5 * (np.log(b) + 9.0) * nodes + 0.5 * (np.log(b) - 9.0)  # u in (-9, log b)
    w_u = 0.5 * (np.log(b) + 9.0) * weights
    v, w_v = 12.0 * nodes, 12.0 * weights  # y2 - u^2 in (-12, 12)
    y1 = np.exp(u)[:, None] * np.ones_like(v)
    y2 = (u**2)[:, None] + v
    density = pdf_y(np.stack([y1.ravel(), y2.ravel()], axis=-1)).reshape(y1.shape)
    mass = np.sum(w_u[:, None] * w_v * density * y1)
    assert mass == pytest.approx(stats.norm.cdf(np.log(b)), abs=1e-10)


@given(
    scale=st.floats(0.1, 5.0) | st.floats(-5.0, -0.1),
    offset=st.floats(-5.0, 5.0),
    mean=st.floats(-3.0, 3.0),
    std=st.floats(0.2, 3.0),
)
def test_change_of_variables_random_affine_integrates_to_one(scale, offset, mean, std):
    pdf_y = pf.change_of_variables(
        stats.norm(mean, std).pdf,
        lambda y: (y - offset) / scale,
        lambda y: np.full_like(np.asarray(y, dtype=float), 1 / scale),
    )
    mass, _ = integrate.quad(pdf_y, -np.inf, np.inf)
    assert mass == pytest.approx(1.0, abs=1e-8)
    y = np.linspace(-10, 10, 7)
    np.testing.assert_allclose(
        pdf_y(y), stats.norm(scale * mean + offset, abs(scale) * std).pdf(y), rtol=1e-10
    )


def test_change_of_variables_errors():
    with pytest.raises(TypeError, match="`pdf_x` must be callable"):
        pf.change_of_variables(0.5, np.log, np.reciprocal)
    with pytest.raises(TypeError, match="`inverse_jacobian` must be callable"):
        pf.change_of_variables(stats.norm.pdf, np.log, None)
    pdf_y = pf.change_of_variables(stats.norm.pdf, np.log, lambda y: np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"got shape \(2, 5\) for y of shape \(3,\)"):
        pdf_y(np.ones(3))
    pdf_y = pf.change_of_variables(stats.norm.pdf, lambda y: y, lambda y: np.eye(2))
    with pytest.raises(ValueError, match=r"a single \(d, d\) matrix for all points"):
        pdf_y(np.ones((5, 3)))
    pdf_y = pf.change_of_variables(stats.norm.pdf, np.log, np.reciprocal)
    with pytest.raises(ValueError, match="`y` must contain only finite values; got inf"):
        pdf_y(np.array([1.0, np.inf]))


# ------------------------------------------------------------------------------------------
# Non-injective maps (Example 1.3) and the catalogue
# ------------------------------------------------------------------------------------------


def test_example_1_3_square_of_gaussian_is_chi_square_1():
    pdf_y = pf.pushforward_density_1d(stats.norm.pdf, pf.square_map().branches)
    y = np.array([1e-6, 0.01, 0.3, 1.0, 2.5, 9.0, 40.0])
    notes = np.exp(-y / 2) / np.sqrt(2 * np.pi * y)  # the density printed in Example 1.3
    np.testing.assert_allclose(pdf_y(y), notes, rtol=1e-12)
    np.testing.assert_allclose(pdf_y(y), stats.chi2(df=1).pdf(y), rtol=1e-12)


def test_tuple_branches_with_and_without_images():
    with_images = pf.pushforward_density_1d(
        stats.norm.pdf,
        [
            (np.sqrt, lambda y: 0.5 / np.sqrt(y), (0.0, np.inf)),
            (lambda y: -np.sqrt(y), lambda y: -0.5 / np.sqrt(y), (0.0, np.inf)),
        ],
    )
    # No image given: where the inverse is not finite (sqrt of a negative) the branch adds 0.
    without = pf.pushforward_density_1d(
        stats.norm.pdf,
        [
            (np.sqrt, lambda y: 0.5 / np.sqrt(y)),
            (lambda y: -np.sqrt(y), lambda y: -0.5 / np.sqrt(y)),
        ],
    )
    y = np.linspace(-3, 5, 41)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(without(y[y != 0]), with_images(y[y != 0]), rtol=1e-14)
    assert with_images(-1.0) == 0.0
    assert isinstance(with_images(1.0), float)


SOURCE_MAP_PAIRS = [
    ("gaussian", "square"),
    ("gaussian", "log1p_square"),
    ("gaussian", "sign_split"),
    ("gaussian", "affine"),
    ("gaussian", "exp"),
    ("uniform", "log1p_square"),
    ("uniform", "probit"),
    ("uniform", "square"),
    ("uniform", "sign_split"),
    ("uniform", "exp"),
]


@pytest.mark.parametrize(("source_name", "map_name"), SOURCE_MAP_PAIRS)
def test_catalogue_densities_integrate_to_one(source_name, map_name):
    source, tmap = pf.source_catalogue()[source_name], pf.map_catalogue()[map_name]
    pdf_y = tmap.pushforward_pdf(source)
    # integrate piecewise between the places where these densities jump or blow up
    pieces = _split(-np.inf, np.inf, [-2.0, -1.0, 0.0, 1.0, 2.0, np.e])
    mass = sum(integrate.quad(pdf_y, a, b, limit=200)[0] for a, b in pieces)
    assert mass == pytest.approx(1.0, abs=1e-8)


def _exact_cdf(source_name, map_name):
    """Independent CDFs of T(X), from P(T(X) <= y) = P_X(T^{-1}((-inf, y])) (eq. (1.6))."""
    s = 2.0
    Phi = stats.norm.cdf
    if (source_name, map_name) == ("gaussian", "square"):
        return stats.chi2(df=1).cdf
    if (source_name, map_name) == ("gaussian", "log1p_square"):
        return lambda y: np.where(y > 0, 2 * Phi(np.sqrt(np.expm1(np.maximum(y, 0)))) - 1, 0.0)
    if (source_name, map_name) == ("gaussian", "sign_split"):
        return lambda y: Phi(np.minimum(0.0, y - s)) + np.maximum(0.0, Phi(y + s) - 0.5)
    if (source_name, map_name) == ("gaussian", "affine"):
        return stats.norm(1.0, 2.0).cdf
    if (source_name, map_name) == ("gaussian", "exp"):
        return stats.lognorm(s=1.0).cdf
    if (source_name, map_name) == ("uniform", "log1p_square"):
        return lambda y: np.clip(np.sqrt(np.expm1(np.maximum(y, 0))), 0, 1)
    if (source_name, map_name) == ("uniform", "probit"):
        return stats.norm.cdf
    raise KeyError((source_name, map_name))


@pytest.mark.parametrize(
    ("source_name", "map_name"),
    [
        ("gaussian", "square"),
        ("gaussian", "log1p_square"),
        ("gaussian", "sign_split"),
        ("gaussian", "affine"),
        ("gaussian", "exp"),
        ("uniform", "log1p_square"),
        ("uniform", "probit"),
    ],
)
def test_catalogue_density_integrates_to_the_exact_cdf(source_name, map_name):
    source, tmap = pf.source_catalogue()[source_name], pf.map_catalogue()[map_name]
    pdf_y, cdf = tmap.pushforward_pdf(source), _exact_cdf(source_name, map_name)
    lower = {"square": 0.0, "log1p_square": 0.0, "exp": 0.0}.get(map_name, -np.inf)
    for y in [0.05, 0.3, 0.9, 1.7, 2.5]:
        kinks = [k for k in (0.0, 2.0) if lower < k < y]
        pieces = [lower, *kinks, y]
        value = sum(
            integrate.quad(pdf_y, a, b, limit=200)[0] for a, b in itertools.pairwise(pieces)
        )
        assert value == pytest.approx(float(cdf(y)), abs=1e-8), y


@pytest.mark.parametrize(("source_name", "map_name"), SOURCE_MAP_PAIRS)
def test_catalogue_density_matches_monte_carlo(source_name, map_name):
    # Probability of 6 intervals, exact (quadrature of the density) vs the fraction of 200,000
    # seeded samples; each must agree within 5 binomial standard errors.
    source, tmap = pf.source_catalogue()[source_name], pf.map_catalogue()[map_name]
    y = pf.sample_pushforward(source.sample, tmap, 200_000, rng=11)
    edges = np.quantile(y, [0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0])[1:-1]
    pdf_y = tmap.pushforward_pdf(source)
    for a, b in itertools.pairwise(edges):
        exact = sum(
            integrate.quad(pdf_y, lo, hi, limit=200)[0]
            for lo, hi in _split(a, b, [0.0, 1.0, 2.0, -2.0])
        )
        fraction = np.mean((y > a) & (y <= b))
        se = math.sqrt(exact * (1 - exact) / y.size)
        assert abs(fraction - exact) < 5 * se, (a, b, fraction, exact)


def _split(a, b, kinks):
    points = [a, *sorted(k for k in kinks if a < k < b), b]
    return list(itertools.pairwise(points))


@given(
    mean=st.floats(-2.0, 2.0),
    std=st.floats(0.3, 2.0),
    map_name=st.sampled_from(["square", "log1p_square", "sign_split", "affine", "exp"]),
)
def test_catalogue_maps_of_random_gaussian_sources_integrate_to_one(mean, std, map_name):
    pdf_y = pf.map_catalogue()[map_name].pushforward_pdf(pf.gaussian_source(mean, std))
    pieces = [-np.inf, -2.0, 0.0, 2.0, np.inf]
    mass = sum(integrate.quad(pdf_y, a, b, limit=200)[0] for a, b in itertools.pairwise(pieces))
    assert mass == pytest.approx(1.0, abs=1e-6)


@given(
    low=st.floats(0.01, 0.6),
    width=st.floats(0.05, 0.39),
    map_name=st.sampled_from(["probit", "square", "log1p_square", "exp"]),
)
def test_catalogue_maps_of_random_uniform_sources_integrate_to_one(low, width, map_name):
    source = pf.uniform_source(low, low + width)
    tmap = pf.map_catalogue()[map_name]
    pdf_y = tmap.pushforward_pdf(source)
    a, b = sorted((float(tmap(low)), float(tmap(low + width))))
    mass, _ = integrate.quad(pdf_y, a, b, limit=200)
    assert mass == pytest.approx(1.0, abs=1e-8)


def test_densities_never_leak_nan_or_warnings():
    y = np.array([-1e6, -50.0, -2.0, -1e-300, 0.0, 1e-300, 0.5, 2.0, 50.0, 800.0, 1e6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for source in pf.source_catalogue().values():
            for tmap in pf.map_catalogue().values():
                out = tmap.pushforward_pdf(source)(y)
                assert np.all(np.isfinite(out)) and np.all(out >= 0), (source.name, tmap.name)


def test_branch_errors():
    with pytest.raises(ValueError, match="`branches` must hold at least one"):
        pf.pushforward_density_1d(stats.norm.pdf, [])
    with pytest.raises(TypeError, match=r"`branches\[0\]` must be a Branch or a tuple"):
        pf.pushforward_density_1d(stats.norm.pdf, [np.sqrt])
    with pytest.raises(TypeError, match=r"`branches\[1\]\[1\] \(derivative of the inverse\)`"):
        pf.pushforward_density_1d(stats.norm.pdf, [(np.sqrt, np.sqrt), (np.sqrt, 2.0)])
    with pytest.raises(ValueError, match=r"`branches\[0\]\[2\]` must be an interval"):
        pf.pushforward_density_1d(stats.norm.pdf, [(np.sqrt, np.sqrt, (1.0, 0.0))])
    with pytest.raises(TypeError, match="`branches` must be a list of branches"):
        pf.pushforward_density_1d(stats.norm.pdf, pf.square_map().branches[0])


# ------------------------------------------------------------------------------------------
# Sampling
# ------------------------------------------------------------------------------------------


def test_sample_pushforward_moments_within_standard_errors():
    n = 400_000
    y = pf.sample_pushforward(pf.gaussian_source().sample, pf.square_map(), n, rng=5)
    assert y.shape == (n,)
    # chi-square(1): mean 1, variance 2; the sample variance has sd sqrt((mu4 - s^4)/n), mu4 = 60.
    assert abs(y.mean() - 1.0) < 4 * math.sqrt(2 / n)
    assert abs(y.var() - 2.0) < 4 * math.sqrt((60 - 4) / n)


def test_sample_pushforward_is_reproducible_and_returns_the_source():
    source, tmap = pf.uniform_source(), pf.probit_map()
    x1, y1 = pf.sample_pushforward(source.sample, tmap, 1000, rng=7, return_source=True)
    y2 = pf.sample_pushforward(source.sample, tmap, 1000, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_allclose(y1, stats.norm.ppf(x1), rtol=1e-14)


def test_sample_pushforward_refuses_a_map_undefined_on_part_of_the_support():
    with pytest.raises(ValueError, match="a map that is undefined on part of the support"):
        pf.sample_pushforward(pf.gaussian_source().sample, pf.probit_map(), 100, rng=0)
    with pytest.raises(ValueError, match=r"non-finite values on \d+ of 50 source draws"):
        pf.sample_pushforward(lambda n, rng: rng.normal(size=n), np.log, 50, rng=0)


def test_sample_pushforward_errors():
    source = pf.gaussian_source()
    with pytest.raises(ValueError, match="`n` must be >= 1; got 0"):
        pf.sample_pushforward(source.sample, np.exp, 0)
    with pytest.raises(TypeError, match=r"`n` must be an integer; got 2\.5"):
        pf.sample_pushforward(source.sample, np.exp, 2.5)
    with pytest.raises(TypeError, match="`sample_x` must be callable"):
        pf.sample_pushforward([1.0, 2.0], np.exp, 2)
    with pytest.raises(ValueError, match=r"must return n = 5 draws; got shape \(4,\)"):
        pf.sample_pushforward(lambda n, rng: np.zeros(n - 1), np.exp, 5)
    with pytest.raises(TypeError, match="`rng` must be a numpy Generator, an integer seed or None"):
        pf.sample_pushforward(source.sample, np.exp, 5, rng="seed")


# ------------------------------------------------------------------------------------------
# Sources and maps
# ------------------------------------------------------------------------------------------


def test_sources_match_scipy():
    q = np.array([0.001, 0.2, 0.5, 0.9])
    x = np.array([-3.0, -0.5, 0.7, 2.2, 5.0])
    g, ref = pf.gaussian_source(1.5, 0.7), stats.norm(1.5, 0.7)
    u, uref = pf.uniform_source(-1.0, 3.0), stats.uniform(-1.0, 4.0)
    for source, reference in [(g, ref), (u, uref)]:
        np.testing.assert_allclose(source.pdf(x), reference.pdf(x), rtol=1e-13)
        np.testing.assert_allclose(source.cdf(x), reference.cdf(x), rtol=1e-13)
        np.testing.assert_allclose(source.ppf(q), reference.ppf(q), rtol=1e-13)
        draws = source.sample(50_000, np.random.default_rng(0))
        assert abs(draws.mean() - reference.mean()) < 4 * reference.std() / math.sqrt(50_000)
    assert g.plot_range == pytest.approx((1.5 - 2.8, 1.5 + 2.8))
    assert u.plot_range == (-5.0, 7.0) and u.support == (-1.0, 3.0)


def test_gaussian_source_density_far_out_is_zero_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pf.gaussian_source().pdf(np.array([1e200, -1e300])).tolist() == [0.0, 0.0]


def test_maps_forward_values_and_domains():
    x = np.array([-1.5, -0.2, 0.0, 0.3, 2.0])
    np.testing.assert_allclose(pf.square_map()(x), x**2, rtol=1e-15)
    np.testing.assert_allclose(pf.log1p_square_map()(x), np.log(1 + x**2), rtol=1e-14)
    np.testing.assert_array_equal(pf.sign_split_map(2.0)(x), [0.5, 1.8, -2.0, -1.7, 0.0])
    np.testing.assert_allclose(pf.affine_map(-3.0, 1.0)(x), -3 * x + 1, rtol=1e-15)
    np.testing.assert_allclose(pf.exp_map()(x), np.exp(x), rtol=1e-15)
    probit = pf.probit_map()
    assert probit.domain == (0.0, 1.0)
    np.testing.assert_allclose(
        probit(np.array([0.1, 0.5, 0.975])), stats.norm.ppf([0.1, 0.5, 0.975])
    )
    assert np.isnan(probit(np.array([-0.5, 1.5]))).all()
    # each branch inverts the map on its image
    y = np.array([0.05, 0.8, 3.0])
    for tmap in pf.map_catalogue().values():
        for branch in tmap.branches:
            inside = y[(y > branch.image[0]) & (y < branch.image[1])]
            np.testing.assert_allclose(tmap(branch.inverse(inside)), inside, rtol=1e-12)


def test_map_and_source_argument_errors():
    with pytest.raises(ValueError, match="`std` must be > 0; got -1"):
        pf.gaussian_source(0.0, -1.0)
    with pytest.raises(ValueError, match="`std` must be > 0; got 0"):
        pf.gaussian_source(0.0, 0.0)
    with pytest.raises(ValueError, match="`mean` must be finite; got inf"):
        pf.gaussian_source(np.inf, 1.0)
    with pytest.raises(ValueError, match="`low` must be < `high`; got low = 1, high = 0"):
        pf.uniform_source(1.0, 0.0)
    with pytest.raises(ValueError, match="`scale` must be nonzero"):
        pf.affine_map(0.0, 1.0)
    with pytest.raises(TypeError, match="`shift` must be a real number"):
        pf.sign_split_map("2")


# ------------------------------------------------------------------------------------------
# Binning (Figure 1.2)
# ------------------------------------------------------------------------------------------


def test_quantile_bin_edges_hold_equal_mass():
    source = pf.gaussian_source(1.0, 2.0)
    edges = pf.quantile_bin_edges(source, 10)
    assert edges[0] == -np.inf and edges[-1] == np.inf
    np.testing.assert_allclose(edges[1:-1], stats.norm(1.0, 2.0).ppf(np.arange(1, 10) / 10))
    np.testing.assert_allclose(np.diff(stats.norm(1.0, 2.0).cdf(edges)), 0.1, rtol=1e-12)
    np.testing.assert_allclose(
        pf.quantile_bin_edges(pf.uniform_source(2, 4), 4), [2, 2.5, 3, 3.5, 4]
    )
    with pytest.raises(ValueError, match="`n_bins` must be >= 1; got 0"):
        pf.quantile_bin_edges(source, 0)
    with pytest.raises(TypeError, match="`source` must be a Source"):
        pf.quantile_bin_edges(stats.norm, 3)


def _naive_stacked_histogram(x, y, source_edges, target_edges):
    """Reference: one pass per cell, using np.histogram's bin convention."""
    out = np.zeros((len(source_edges) - 1, len(target_edges) - 1))
    for i in range(out.shape[0]):
        a, b = source_edges[i], source_edges[i + 1]
        in_i = (x >= a) & ((x < b) if i < out.shape[0] - 1 else (x <= b))
        out[i] = np.histogram(y[in_i], bins=target_edges)[0]
    return out / x.size


def test_stacked_histogram_matches_a_naive_reference():
    rng = np.random.default_rng(0)
    x = rng.normal(size=20_000)
    x[:4] = [0.0, -0.5244005127080407, 4.0, -4.0]  # values on edges and out of target range
    y = np.log1p(x**2)
    source_edges = pf.quantile_bin_edges(pf.gaussian_source(), 10)
    target_edges = np.linspace(0.0, 2.5, 61)
    got = pf.stacked_pushforward_histogram(x, y, source_edges, target_edges)
    np.testing.assert_array_equal(got, _naive_stacked_histogram(x, y, source_edges, target_edges))
    finite = np.array([-3.0, -1.0, 0.0, 0.5, 3.5])
    np.testing.assert_array_equal(
        pf.stacked_pushforward_histogram(x, y, finite, target_edges),
        np.histogram2d(x, y, bins=[finite, target_edges])[0] / x.size,
    )


@given(
    source_cuts=st.lists(st.floats(-50, 50), min_size=1, max_size=12, unique=True),
    target_cuts=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=70, unique=True),
    open_ends=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_stacked_histogram_bins_exactly_like_numpy(source_cuts, target_cuts, open_ends, seed):
    # irregular edges, values sitting on and one ulp either side of every edge
    source_edges = np.sort(source_cuts)
    if open_ends:
        source_edges = np.concatenate([[-np.inf], source_edges, [np.inf]])
    target_edges = np.sort(target_cuts)
    rng = np.random.default_rng(seed)
    finite = source_edges[np.isfinite(source_edges)]
    x = np.concatenate(
        [
            rng.normal(0, 60, 500),
            finite,
            np.nextafter(finite, np.inf),
            np.nextafter(finite, -np.inf),
        ]
    )
    y = np.concatenate(
        [
            rng.normal(0, 800, x.size - 3 * target_edges.size),
            target_edges,
            np.nextafter(target_edges, np.inf),
            np.nextafter(target_edges, -np.inf),
        ]
    )
    rng.shuffle(y)
    if source_edges.size < 2:
        return
    got = pf.stacked_pushforward_histogram(x, y, source_edges, target_edges)
    np.testing.assert_array_equal(got, _naive_stacked_histogram(x, y, source_edges, target_edges))


def test_stacked_histogram_column_sums_estimate_the_pushforward():
    source, tmap = pf.gaussian_source(), pf.sign_split_map()
    x, y = pf.sample_pushforward(source.sample, tmap, 300_000, rng=1, return_source=True)
    edges = np.linspace(-5, 5, 21)
    mass = pf.stacked_pushforward_histogram(x, y, pf.quantile_bin_edges(source, 10), edges)
    exact = np.diff(_exact_cdf("gaussian", "sign_split")(edges))
    se = np.sqrt(exact * (1 - exact) / y.size)
    assert np.all(np.abs(mass.sum(axis=0) - exact) < 5 * se + 1e-12)
    np.testing.assert_allclose(mass.sum(axis=1), 0.1, atol=5 * math.sqrt(0.09 / y.size))


def test_stacked_histogram_errors():
    x = np.zeros(4)
    with pytest.raises(
        ValueError, match=r"`x` and `y` must have the same shape .* \(4,\) and \(3,\)"
    ):
        pf.stacked_pushforward_histogram(x, np.zeros(3), [0, 1], [0, 1])
    with pytest.raises(ValueError, match="`source_edges` must hold at least 2 strictly increasing"):
        pf.stacked_pushforward_histogram(x, x, [0, 0, 1], [0, 1])
    with pytest.raises(ValueError, match="`target_edges` must not contain nan"):
        pf.stacked_pushforward_histogram(x, x, [0, 1], [0, np.nan])
    with pytest.raises(ValueError, match="`x` must not be empty"):
        pf.stacked_pushforward_histogram([], [], [0, 1], [0, 1])
    with pytest.raises(ValueError, match="`y` must contain only finite values"):
        pf.stacked_pushforward_histogram(x, [0, 1, np.inf, 2], [0, 1], [0, 1])


def _reference_bins(values, edges):
    """np.histogram's bin of each value (last bin closed); -1 / n_bins outside the edges."""
    index = np.searchsorted(edges, values, side="right") - 1
    index[values == edges[-1]] = edges.size - 2
    return index


@given(
    cuts=st.lists(st.floats(-50, 50), min_size=1, max_size=12, unique=True),
    open_ends=st.booleans(),
    chunk=st.sampled_from([1, 2, 3, 7, 64, 1 << 14]),
    seed=st.integers(0, 2**16),
)
def test_binning_in_chunks_matches_numpy_at_every_chunk_size(cuts, open_ends, chunk, seed):
    """Values on, one ulp either side of and far beyond every edge, binned through scratch
    arrays of `chunk` values: the bins of np.histogram, whatever the chunk boundaries."""
    edges = np.sort(cuts)
    if open_ends:
        edges = np.concatenate([[-np.inf], edges, [np.inf]])
    if edges.size < 2:
        return
    finite = edges[np.isfinite(edges)]
    rng = np.random.default_rng(seed)
    values = np.concatenate(
        [
            rng.normal(0, 60, 200),
            finite,
            np.nextafter(finite, np.inf),
            np.nextafter(finite, -np.inf),
            [-1e300, 1e300, -np.finfo(float).max, np.finfo(float).max],
        ]
    )
    rng.shuffle(values)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pf, "_CHUNK", chunk)
        got = pf._bin_index(values, edges)
    np.testing.assert_array_equal(got, _reference_bins(values, edges))


def test_stacked_histogram_in_small_chunks_matches_the_naive_reference(monkeypatch):
    """Chunk boundaries cut through the draws: the masses are those of a naive count."""
    monkeypatch.setattr(pf, "_CHUNK", 97)
    rng = np.random.default_rng(4)
    x = rng.normal(size=5_000)
    y = np.log1p(x**2)
    source_edges = pf.quantile_bin_edges(pf.gaussian_source(), 10)
    target_edges = np.linspace(0.0, 2.5, 61)
    np.testing.assert_array_equal(
        pf.stacked_pushforward_histogram(x, y, source_edges, target_edges),
        _naive_stacked_histogram(x, y, source_edges, target_edges),
    )


def test_quantile_bin_index_is_the_bin_of_each_draw_in_the_quantile_edges():
    source = pf.gaussian_source(1.0, 2.0)
    x = np.random.default_rng(5).normal(1.0, 2.0, 20_000)
    edges = pf.quantile_bin_edges(source, 10)
    x[:9] = edges[1:-1]  # draws on the edges go to the bin above
    got = pf.quantile_bin_index(source, x, 10)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, _reference_bins(x, edges))
    np.testing.assert_array_equal(got[:9], np.arange(1, 10))
    # a uniform source: its ends are edges, the last bin is closed, outside is -1 / n_bins
    got = pf.quantile_bin_index(pf.uniform_source(), [-0.5, 0.0, 0.25, 0.999, 1.0, 2.0], 4)
    assert got.tolist() == [-1, 0, 1, 3, 3, 4]


@pytest.mark.parametrize(("loc", "scale"), [(0.0, 1.0), (-2.0, 0.25), (1.9, 3.0), (0.7, 1.3)])
def test_quantile_bins_stay_with_shifted_and_scaled_draws(loc, scale):
    """m + s z lies in the bin of z (the standard source's bins), as the notes of
    quantile_bin_index say; the draws of the explorer's samplers, with their seed."""
    z = np.random.default_rng(2026).standard_normal(300_000)
    np.testing.assert_array_equal(
        pf.quantile_bin_index(pf.gaussian_source(loc, scale), loc + scale * z, 10),
        pf.quantile_bin_index(pf.gaussian_source(), z, 10),
    )
    u = np.random.default_rng(2026).random(300_000)
    high = loc + scale
    np.testing.assert_array_equal(
        pf.quantile_bin_index(pf.uniform_source(loc, high), loc + (high - loc) * u, 10),
        pf.quantile_bin_index(pf.uniform_source(), u, 10),
    )


def test_quantile_bin_index_errors():
    source = pf.gaussian_source()
    with pytest.raises(TypeError, match="`source` must be a Source; got"):
        pf.quantile_bin_index(stats.norm(), [0.0], 3)
    with pytest.raises(ValueError, match="`n_bins` must be >= 1; got 0"):
        pf.quantile_bin_index(source, [0.0], 0)
    with pytest.raises(ValueError, match=r"`draws` must have 1 dimension\(s\); got shape \(1, 2\)"):
        pf.quantile_bin_index(source, [[0.0, 1.0]], 3)
    with pytest.raises(ValueError, match="`draws` must contain only finite values; got inf"):
        pf.quantile_bin_index(source, [0.0, np.inf], 3)
    with pytest.raises(TypeError, match="`draws` must be array-like of numbers; got 'abc'"):
        pf.quantile_bin_index(source, "abc", 3)


def test_stacked_histogram_with_known_source_bins_is_the_same():
    rng = np.random.default_rng(6)
    x = rng.normal(size=50_000)
    y = x**2
    target_edges = np.linspace(0.0, 6.0, 31)
    source = pf.gaussian_source()
    source_edges = pf.quantile_bin_edges(source, 10)
    bins = pf.quantile_bin_index(source, x, 10)
    np.testing.assert_array_equal(
        pf.stacked_pushforward_histogram(x, y, source_edges, target_edges, source_bins=bins),
        pf.stacked_pushforward_histogram(x, y, source_edges, target_edges),
    )
    # finite source edges: draws outside them (bins -1 and 3) are counted in no bin
    finite = np.array([-1.0, 0.0, 0.5, 1.0])
    outside = _reference_bins(x, finite)
    assert {-1, 3} <= set(outside.tolist())
    for kind in (np.int8, np.int64, np.intp):
        np.testing.assert_array_equal(
            pf.stacked_pushforward_histogram(
                x, y, finite, target_edges, source_bins=outside.astype(kind)
            ),
            pf.stacked_pushforward_histogram(x, y, finite, target_edges),
        )


def test_stacked_histogram_refuses_source_bins_that_are_not_the_draws_bins():
    x = np.array([0.1, 0.2, 0.6, 0.9])
    edges = [0.0, 0.5, 1.0]

    def histogram(source_bins):
        return pf.stacked_pushforward_histogram(x, 1 - x, edges, edges, source_bins=source_bins)

    integer_array = r"`source_bins` must be an integer array \(the source bin of each draw\)"
    with pytest.raises(TypeError, match=integer_array + r"; got dtype float64: \[0\.0, 0\.0"):
        histogram([0.0, 0.0, 1.0, 1.0])
    with pytest.raises(TypeError, match=integer_array + "; got dtype bool"):
        histogram(np.array([False, False, True, True]))
    with pytest.raises(TypeError, match=integer_array + "; got 'abcd'"):
        histogram("abcd")
    with pytest.raises(TypeError, match=integer_array + "; got dtype object"):
        histogram([0, None, 1, 1])
    with pytest.raises(
        ValueError,
        match=r"`source_bins` must hold one source bin per draw, shape \(4,\); got shape \(3,\)",
    ):
        histogram([0, 0, 1])
    with pytest.raises(
        ValueError,
        match=r"`source_bins` must lie in 0\.\.1 \(or -1 / 2 for a draw below / above the source "
        r"edges\); got values from -2 to 1",
    ):
        histogram([0, -2, 1, 1])
    with pytest.raises(
        ValueError,
        match=r"`source_bins` must be the bins of `x` in `source_edges`; got source_bins\[1\] = 1 "
        r"for x\[1\] = 0\.2, which lies in bin 0",
    ):
        histogram([0, 1, 1, 1])


def test_pushforward_experiment_with_known_source_bins_is_the_experiment():
    """Source bins of the standard draws, passed with the shifted and scaled draws: every
    field of the experiment as from scratch, bit for bit."""
    z = np.random.default_rng(7).standard_normal(100_000)
    bins = pf.quantile_bin_index(pf.gaussian_source(), z, 10)
    for tmap in (pf.square_map(), pf.sign_split_map(1.5), pf.exp_map()):
        source, x = pf.gaussian_source(-1.2, 0.6), -1.2 + 0.6 * z
        known = pf.pushforward_experiment(source, tmap, draws=x, source_bins=bins)
        fresh = pf.pushforward_experiment(source, tmap, draws=x)
        for name in ("x", "y", "source_edges", "target_edges", "mass", "target_pdf"):
            np.testing.assert_array_equal(getattr(known, name), getattr(fresh, name))
    with pytest.raises(
        ValueError, match=r"`source_bins` must come with the `draws` whose source bins it holds"
    ):
        pf.pushforward_experiment(pf.gaussian_source(), pf.square_map(), rng=0, source_bins=bins)
    with pytest.raises(ValueError, match=r"`source_bins` must hold one source bin per draw"):
        pf.pushforward_experiment(pf.gaussian_source(), pf.square_map(), draws=z, source_bins=[0])
    with pytest.raises(ValueError, match=r"`source_bins` must be the bins of `x`"):
        pf.pushforward_experiment(
            pf.gaussian_source(), pf.square_map(), draws=z, source_bins=bins[::-1]
        )


def test_pushforward_experiment_figure_1_2_panel():
    run = pf.pushforward_experiment(pf.uniform_source(), pf.probit_map(), rng=42)
    assert run.x.shape == run.y.shape == (300_000,)
    assert run.mass.shape == (10, 60)
    assert run.mass.sum() == pytest.approx(1.0, abs=1e-12)  # default range holds every draw
    np.testing.assert_allclose(run.mass.sum(axis=1), 0.1, atol=5 * math.sqrt(0.09 / 300_000))
    # the uniform's k-th tenth lands exactly in [Phi^-1(k/10), Phi^-1((k+1)/10)]
    centres = 0.5 * (run.target_edges[1:] + run.target_edges[:-1])
    for k in range(10):
        occupied = centres[run.mass[k] > 0]
        lo, hi = stats.norm.ppf([k / 10, (k + 1) / 10])
        assert occupied.min() > lo - 0.2 and occupied.max() < hi + 0.2
    np.testing.assert_allclose(run.target_pdf, stats.norm.pdf(run.target_grid), rtol=1e-12)
    again = pf.pushforward_experiment(pf.uniform_source(), pf.probit_map(), rng=42)
    np.testing.assert_array_equal(run.mass, again.mass)


def test_pushforward_experiment_errors():
    with pytest.raises(ValueError, match="a map that is undefined on part of the support"):
        pf.pushforward_experiment(pf.gaussian_source(), pf.probit_map(), n_samples=100, rng=0)
    with pytest.raises(TypeError, match="`tmap` must be a PushforwardMap"):
        pf.pushforward_experiment(pf.gaussian_source(), np.exp, rng=0)
    with pytest.raises(ValueError, match=r"`target_range\[0\]` must be < `target_range\[1\]`"):
        pf.pushforward_experiment(
            pf.gaussian_source(), pf.exp_map(), n_samples=10, target_range=(1.0, 1.0), rng=0
        )


def test_pushforward_experiment_refuses_a_source_outside_the_map_s_domain():
    message = (
        r"The map T\(x\) = Φ⁻¹\(x\) is defined only on \(0, 1\), but the source U\[-1, 0\.5\] puts "
        r"mass outside it: a map that is undefined on part of the support of the source"
    )
    with pytest.raises(ValueError, match=message):
        pf.pushforward_experiment(pf.uniform_source(-1.0, 0.5), pf.probit_map(), rng=0)
    with pytest.raises(ValueError, match=r"defined only on \(0, 1\).*Use a source supported"):
        pf.pushforward_experiment(pf.gaussian_source(), pf.probit_map(), draws=[0.5, 0.6])


def test_pushforward_experiment_reuses_draws():
    """The same draws under two maps: y is each map of them, the binning as from scratch."""
    source = pf.gaussian_source(0.5, 2.0)
    first = pf.pushforward_experiment(source, pf.square_map(), n_samples=20_000, rng=3)
    again = pf.pushforward_experiment(source, pf.exp_map(), draws=first.x)
    np.testing.assert_array_equal(again.x, first.x)
    np.testing.assert_array_equal(again.y, np.exp(first.x))
    edges = np.linspace(again.y.min(), again.y.max(), 61)
    np.testing.assert_array_equal(again.target_edges, edges)
    np.testing.assert_array_equal(
        again.mass,
        pf.stacked_pushforward_histogram(first.x, np.exp(first.x), first.source_edges, edges),
    )
    sampled = pf.pushforward_experiment(source, pf.exp_map(), n_samples=20_000, rng=3)
    np.testing.assert_array_equal(sampled.mass, again.mass)  # same seed, same draws


def test_pushforward_experiment_on_the_quantile_range():
    source, tmap = pf.gaussian_source(), pf.exp_map()
    run = pf.pushforward_experiment(source, tmap, target_range="quantiles", rng=1, n_grid=50)
    low, high = pf.pushforward_range(source, tmap)
    assert (run.target_edges[0], run.target_edges[-1]) == (low, high)
    assert (run.target_grid[0], run.target_grid[-1], run.target_grid.size) == (low, high, 50)
    # what is left out is the mass beyond the images of the 0.1% and 99.9% quantiles
    beyond = 1.0 - run.mass.sum()
    assert beyond == pytest.approx(np.mean((run.y < low) | (run.y > high)), abs=1e-12)
    assert beyond == pytest.approx(0.002, abs=4 * math.sqrt(0.002 / 300_000))


def test_pushforward_range_is_the_image_of_the_central_quantiles():
    q = np.linspace(0.001, 0.999, 1999)
    low, high = pf.pushforward_range(pf.gaussian_source(1.0, 2.0), pf.exp_map())
    assert low == pytest.approx(math.exp(stats.norm(1, 2).ppf(0.001)), rel=1e-12)
    assert high == pytest.approx(math.exp(stats.norm(1, 2).ppf(0.999)), rel=1e-12)
    # a non-monotone map: the smallest image lies between the quantiles (x^2 near x = 0)
    low, high = pf.pushforward_range(pf.gaussian_source(), pf.square_map())
    assert low == pytest.approx(np.min(stats.norm.ppf(q) ** 2), abs=1e-15) and low < 1e-5
    assert high == pytest.approx(stats.norm.ppf(0.999) ** 2, rel=1e-12)
    low, high = pf.pushforward_range(pf.uniform_source(), pf.probit_map(), tail=0.1)
    assert (low, high) == pytest.approx(stats.norm.ppf([0.1, 0.9]), rel=1e-12)
    constant = pf.PushforwardMap(
        name="1",
        latex="1",
        formula="$y = 1$",
        label="T(x) = 1",
        forward=np.ones_like,
        branches=(),
    )
    assert pf.pushforward_range(pf.uniform_source(), constant) == (0.5, 1.5)


def test_pushforward_range_and_experiment_argument_errors():
    source, tmap = pf.gaussian_source(), pf.square_map()
    with pytest.raises(ValueError, match=r"`tail` must lie in the open interval \(0, 1\); got 0"):
        pf.pushforward_range(source, tmap, tail=0.0)
    with pytest.raises(ValueError, match=r"`tail` must lie in \(0, 0\.5\).*; got 0\.5"):
        pf.pushforward_range(source, tmap, tail=0.5)
    with pytest.raises(TypeError, match="`source` must be a Source"):
        pf.pushforward_range(stats.norm(), tmap)
    with pytest.raises(ValueError, match=r"defined only on \(0, 1\)"):
        pf.pushforward_range(source, pf.probit_map())
    with pytest.raises(ValueError, match=r"pass either `draws`.*or `rng`.*not both"):
        pf.pushforward_experiment(source, tmap, draws=[0.0, 1.0], rng=0)
    with pytest.raises(ValueError, match=r"`draws` must have 1 dimension\(s\); got shape \(2, 1\)"):
        pf.pushforward_experiment(source, tmap, draws=[[0.0], [1.0]])
    with pytest.raises(ValueError, match="`draws` must contain only finite values; got nan"):
        pf.pushforward_experiment(source, tmap, draws=[0.0, np.nan])
    with pytest.raises(ValueError, match=r"`T` returned non-finite values on 1 of 2 source draws"):
        pf.pushforward_experiment(pf.uniform_source(), pf.probit_map(), draws=[0.5, 1.5])
    with pytest.raises(
        TypeError, match=r"`target_range` must be \(low, high\), 'quantiles' or None"
    ):
        pf.pushforward_experiment(source, tmap, target_range="auto", rng=0, n_samples=10)
    with pytest.raises(
        ValueError, match=r"`target_range` must be a pair \(low, high\); got 3 values"
    ):
        pf.pushforward_experiment(source, tmap, target_range=(0, 1, 2), rng=0, n_samples=10)


def test_maps_carry_their_own_labels():
    """Name (text alternatives), formula (figure axes), label (explorer menu), parameter."""
    maps = pf.map_catalogue()
    assert [maps[k].name for k in maps] == [
        "x²",
        "log(1 + x²)",
        "x + 2 if x < 0, x − 2 if x ≥ 0",
        "Φ⁻¹(x)",
        "2·x + 1",
        "exp(x)",
    ]
    assert maps["square"].formula == r"$y = x^2$" and maps["square"].label == "T(x) = x²"
    assert maps["sign_split"].formula == r"$y = x + 2$ if $x < 0$, $x - 2$ if $x \geq 0$"
    assert maps["affine"].label == "affine T(x) = c·x + 1"
    assert {k: m.parameter for k, m in maps.items() if m.parameter} == {
        "sign_split": "shift c of the split",
        "affine": "slope c of the affine map",
    }
    for tmap in maps.values():
        assert tmap.formula.startswith("$y = ") and tmap.name in tmap.label.replace("c", "2")
    negative = pf.affine_map(3.0, -1.5)
    assert (negative.name, negative.formula) == ("3·x − 1.5", r"$y = 3\,x - 1.5$")
    assert pf.sign_split_map(0.5).name == "x + 0.5 if x < 0, x − 0.5 if x ≥ 0"


def test_map_catalogue_sets_the_parameter_of_the_maps_that_take_one():
    x = np.array([-1.0, 0.5, 2.0])
    maps = pf.map_catalogue(0.5)
    np.testing.assert_array_equal(maps["sign_split"](x), [-0.5, 0.0, 1.5])
    np.testing.assert_array_equal(maps["affine"](x), 0.5 * x + 1.0)
    assert maps["affine"].name == "0.5·x + 1" and maps["square"].name == "x²"
    with pytest.raises(ValueError, match="`scale` must be nonzero"):
        pf.map_catalogue(0.0)
    with pytest.raises(ValueError, match="`shift` must be finite; got inf"):
        pf.map_catalogue(np.inf)


def test_everything_is_reexported():
    for name in pf.__all__:
        assert getattr(pgm, name) is getattr(pf, name)
