"""The errata list (pgmlib.errata.ERRATA) and, for each entry, the numerical check it names.

Each ``test_<place>_...`` below shows that the notes' printed form is wrong and the book's form
right, by a route independent of the formula being checked (quadrature, finite differences,
direct evaluation of a definition, or scipy.stats). Where pgmlib computes the corrected quantity
(the classifier of eq. (1.4), the pushforward, the mixture log-likelihood, the divergences), the
check also asserts that pgmlib gives the independently computed value, so the book's numbers
follow the correction.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

import pgmlib
from pgmlib.divergences import (
    chi2_divergence,
    example_1_9_c,
    example_1_9_divergences,
    example_1_9_q,
    example_1_10_divergences,
    kl_divergence_continuous,
    kl_gaussian,
)
from pgmlib.errata import ERRATA, LATEST_REVISION, NOTES_VERSION, Erratum, format_date
from pgmlib.gradient_flow import kl_gaussian_grad, kl_gradient_flow
from pgmlib.information import (
    cross_entropy_continuous,
    differential_entropy,
    entropy,
    kl_divergence,
)

ROOT = Path(__file__).resolve().parent.parent
RTOL = 1e-10


def quad(f, a, b, points=None):
    return integrate.quad(f, a, b, points=points, epsabs=1e-14, epsrel=1e-13, limit=200)[0]


# --- the list itself -----------------------------------------------------------------------


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_every_named_check_exists_as_a_test_function():
    for entry in ERRATA:
        path, _, name = entry.check.partition("::")
        assert path.startswith("tests/test_") and path.endswith(".py"), entry.check
        assert (ROOT / path).is_file(), f"{entry.location}: no file {path}"
        assert name in _test_functions(ROOT / path), f"{entry.location}: no test {entry.check}"


def test_errata_entries_are_complete_and_unique():
    assert isinstance(ERRATA, tuple) and len(ERRATA) >= 20
    assert all(isinstance(entry, Erratum) for entry in ERRATA)
    assert len({entry.location for entry in ERRATA}) == len(ERRATA)
    assert len({entry.check for entry in ERRATA}) == len(ERRATA)
    for entry in ERRATA:
        for field in ("location", "printed", "correct", "check", "section", "note"):
            value = getattr(entry, field)
            assert isinstance(value, str) and value.strip(), (entry.location, field)
        assert entry.section in {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}
        assert entry.label is None or entry.label.split("-")[0] in {"eq", "def", "rem", "ex", "fig"}
        assert entry.printed != entry.correct
    with pytest.raises(dataclasses.FrozenInstanceError):
        ERRATA[0].location = "elsewhere"


def test_errata_cover_the_known_slips_in_the_notes_order():
    locations = [entry.location for entry in ERRATA]
    for known in (
        "Example 1.1",
        "Definition 1.1",
        "Remark 1.3",
        "eq. (1.17)",
        "Example 1.6, the EM iteration",
        "eq. (1.28)",
        "Remark 1.8",
        "eq. (1.31)",
        "Example 1.8",
        "Remark 1.11",
        "eq. (1.34)",
        "eq. (1.35)",
        "Remark 1.12",
        "eq. (1.38)",
        "eq. (1.39)",
        "Figure 1.4",
        "eq. (1.40)",
        "eq. (1.42)",
        "Concluding remarks",
    ):
        assert known in locations
    sections = [entry.section for entry in ERRATA]
    assert sections == sorted(sections)
    # (1.22) and (1.36) are printed right in the notes' LaTeX; only a text conversion of the
    # notes garbled them (see the tests at the end of this file). They are not errata.
    assert not {"eq. (1.22)", "eq. (1.36)"} & set(locations)


def test_status_of_each_erratum_against_the_revision():
    """The revision of 6 February 2026 corrects (1.17), (1.34), (1.35) and the notation of
    (1.38); it introduces the EM-iteration slip of its rewritten Example 1.6; everything else
    is still printed there (read off week1-2026-02-06.tex)."""
    corrected = {e.location for e in ERRATA if e.corrected_in is not None}
    assert corrected == {"eq. (1.17)", "eq. (1.34)", "eq. (1.35)", "eq. (1.38)"}
    assert {e.corrected_in for e in ERRATA} == {None, LATEST_REVISION}
    introduced = {e.location for e in ERRATA if e.introduced_in != NOTES_VERSION}
    assert introduced == {"Example 1.6, the EM iteration"}
    by_location = {e.location: e for e in ERRATA}
    assert by_location["eq. (1.17)"].status == "corrected in the revision of 6 February 2026"
    assert by_location["Remark 1.12"].status == (
        "still printed in the latest revision (6 February 2026)"
    )
    assert by_location["Example 1.6, the EM iteration"].status == (
        "introduced by the revision of 6 February 2026 and still printed in the latest revision"
    )


def test_erratum_refuses_unknown_versions_and_impossible_statuses():
    fields = {
        "location": "eq. (1.99)",
        "printed": "$a$",
        "correct": "$b$",
        "check": "tests/test_errata.py::test_x",
        "section": "1.6",
        "label": None,
        "note": "n",
    }
    with pytest.raises(ValueError, match=r"`corrected_in` of 'eq. \(1.99\)' must be one of"):
        Erratum(**fields, corrected_in="2026-03-01")
    with pytest.raises(ValueError, match=r"`introduced_in` of 'eq. \(1.99\)' must be one of"):
        Erratum(**fields, introduced_in="2025-12-01")
    with pytest.raises(ValueError, match="cannot be corrected in 2026-02-06, before or when"):
        Erratum(**fields, corrected_in=LATEST_REVISION, introduced_in=LATEST_REVISION)
    assert format_date("2026-02-06") == "6 February 2026"


def test_errata_are_exported():
    assert pgmlib.ERRATA is ERRATA and pgmlib.Erratum is Erratum
    assert {"ERRATA", "Erratum"} <= set(pgmlib.__all__)


# --- 1.2 -----------------------------------------------------------------------------------


def test_example_1_1_eq_1_4_needs_pi_as_probability_of_class_one():
    """Eq. (1.4) is Bayes' rule only with pi = P(Y = 1); the printed order (pi, 1 - pi) for
    y = 0, 1 (pi = P(Y = 0)) gives a different classifier."""
    f0 = stats.multivariate_normal([0.0, 0.0], [[1.0, 0.2], [0.2, 1.5]])
    f1 = stats.multivariate_normal([1.0, -1.0], [[0.7, 0.0], [0.0, 0.9]])
    pi = 0.3
    x = np.random.default_rng(0).normal(size=(200, 2))
    eq_1_4 = special.expit(np.log(pi / (1 - pi) * f1.pdf(x) / f0.pdf(x)))
    bayes_pi_class_one = pi * f1.pdf(x) / (pi * f1.pdf(x) + (1 - pi) * f0.pdf(x))
    bayes_pi_class_zero = (1 - pi) * f1.pdf(x) / ((1 - pi) * f1.pdf(x) + pi * f0.pdf(x))
    np.testing.assert_allclose(eq_1_4, bayes_pi_class_one, rtol=1e-12)
    assert np.max(np.abs(eq_1_4 - bayes_pi_class_zero)) > 0.1
    # pgmlib's classifier (prior1 = P(Y = 1)) is the corrected reading
    book = pgmlib.gaussian_class_posterior(x, pi, f0.mean, f0.cov, f1.mean, f1.cov)
    np.testing.assert_allclose(book, bayes_pi_class_one, rtol=1e-12)


# --- 1.3 -----------------------------------------------------------------------------------


def test_definition_1_1_example_1_2_maps_into_another_set():
    """Example 1.2's T maps {1, 2, 3} onto {a, b}: the pushforward lives on another set, so
    Definition 1.1 needs T: X -> Y, not X -> X."""
    source_points, source_masses = np.array([1, 2, 3]), np.array([0.2, 0.5, 0.3])
    targets = np.array(["a", "b"])
    T = {1: "a", 2: "b", 3: "b"}
    index = np.searchsorted(targets, [T[x] for x in source_points])
    masses = np.bincount(index, weights=source_masses, minlength=targets.size)
    np.testing.assert_allclose(masses, [0.2, 0.8], rtol=1e-15)
    assert set(targets.tolist()).isdisjoint(source_points.tolist())
    # pgmlib's pushforward accepts the map into {a, b} and gives the same masses
    book = pgmlib.pushforward_pmf(dict(zip(source_points.tolist(), source_masses, strict=True)), T)
    assert list(book) == targets.tolist()
    np.testing.assert_allclose([book[t] for t in targets], masses, rtol=1e-15)


def test_remark_1_3_eq_1_6_holds_for_the_random_variable_t_of_x():
    """(T#P_X)(A) = P_X(T^{-1}(A)) is the law of the random variable T(X): for T(x) = x^2,
    X ~ N(0, 1) and A = [0, c] (a set of the target space R_+), P(T(X) in A), integrated from
    the density of T(X) (Example 1.3), equals P_X([-sqrt(c), sqrt(c)])."""
    book_density = pgmlib.square_map().pushforward_pdf(pgmlib.gaussian_source())
    for c in (0.1, 1.0, 4.0):
        density_of_t_of_x = quad(lambda y: np.exp(-y / 2) / np.sqrt(2 * np.pi * y), 0.0, c)
        preimage_mass = stats.norm.cdf(np.sqrt(c)) - stats.norm.cdf(-np.sqrt(c))
        assert density_of_t_of_x == pytest.approx(preimage_mass, rel=1e-9)
        # pgmlib's density of T(X) gives the same probability of the target-space set A
        assert quad(book_density, 0.0, c) == pytest.approx(preimage_mass, rel=1e-9)
    # and so does pgmlib's discrete pushforward, for X uniform on {-2, ..., 2} and A = {1, 4}
    source = {x: 0.2 for x in range(-2, 3)}
    law_of_t_of_x = pgmlib.pushforward_pmf(source, lambda x: x * x)
    preimage = [x for x in source if x * x in (1, 4)]  # T^{-1}(A) = {-2, -1, 1, 2}
    assert law_of_t_of_x[1] + law_of_t_of_x[4] == pytest.approx(0.2 * len(preimage), rel=1e-15)


# --- 1.4 -----------------------------------------------------------------------------------


def test_eq_1_17_complete_data_log_likelihood_needs_log_pi():
    """log p(x, z) = sum_nk z_nk (log pi_k + log p_k(x_n)); the printed form misses the
    log pi_k terms, so it is not the log of the complete-data likelihood and does not depend on
    the weights at all."""
    rng = np.random.default_rng(5)
    pi = np.array([0.5, 0.3, 0.2])
    means, stds = np.array([-2.0, 0.0, 3.0]), np.array([1.0, 0.5, 2.0])
    labels = rng.choice(3, size=6, p=pi)
    x = rng.normal(means[labels], stds[labels])
    z = np.eye(3)[labels]
    component_pdf = stats.norm(means, stds).pdf(x[:, None])  # (N, K)
    log_joint = np.log(np.prod(np.prod((pi * component_pdf) ** z, axis=1)))
    corrected = np.sum(z * (np.log(pi) + np.log(component_pdf)))
    printed = np.sum(z * np.log(component_pdf))
    assert corrected == pytest.approx(log_joint, rel=1e-12)
    assert printed - log_joint == pytest.approx(-np.sum(np.log(pi[labels])), rel=1e-12)
    assert abs(printed - log_joint) > 1.0
    book = pgmlib.gmm_complete_data_log_likelihood(
        x, labels, pi, means[:, None], (stds**2)[:, None, None]
    )
    assert book == pytest.approx(log_joint, rel=1e-12)
    # The corrected objective is maximised over the simplex at the cluster fractions N_k / N.
    fractions = z.mean(axis=0)
    other = rng.dirichlet(np.ones(3), size=100)
    values = np.sum(z.sum(axis=0) * np.log(other), axis=1)
    assert np.all(np.sum(z.sum(axis=0) * np.log(fractions)) >= values)


def _mixture_2(theta, x):
    """Log component densities + log weights, (N, 2), for theta = (logit w, m1, m2, log s1,
    log s2) of a 1-D two-component Gaussian mixture."""
    w = special.expit(theta[0])
    log_w = np.log([1 - w, w])
    return log_w + stats.norm(theta[1:3], np.exp(theta[3:5])).logpdf(x[:, None])


def test_example_1_6_em_step_fixes_the_parameters_of_the_expectation():
    """The revision's step "theta* = argmax E_{z|x,theta}[l_c(theta)]", read with one theta in
    both places, maximises F(theta) = l(theta) - sum_n H(gamma_n(theta)) and leaves the MLE that
    EM converges to; EM's M-step takes the expectation at the current parameters, held fixed
    (Dempster, Laird and Rubin 1977), and keeps the MLE fixed."""
    rng = np.random.default_rng(16)
    labels = rng.random(300) < 0.5
    x = np.where(labels, rng.normal(1.5, 1.0, 300), rng.normal(-1.0, 1.0, 300))
    fit = pgmlib.gmm_em(x, 2, rng=0, tol=1e-13, max_iter=5000, reg_covar=0.0)
    order = np.argsort(fit.means[:, 0])
    w, m, s = fit.weights[order], fit.means[order, 0], np.sqrt(fit.covariances[order, 0, 0])
    theta_ml = np.array([special.logit(w[1]), *m, *np.log(s)])

    def log_lik(theta):
        return np.sum(special.logsumexp(_mixture_2(theta, x), axis=1))

    def literal_objective(theta):  # E_{z|x,theta}[l_c(theta)] with one theta throughout
        joint = _mixture_2(theta, x)
        gamma = np.exp(joint - special.logsumexp(joint, axis=1, keepdims=True))
        return np.sum(gamma * joint)

    # The identity F = l - sum_n H(gamma_n) (log p(x, z=k) = log p(x) + log gamma_k)
    joint = _mixture_2(theta_ml, x)
    gamma = np.exp(joint - special.logsumexp(joint, axis=1, keepdims=True))
    entropies = -np.sum(special.xlogy(gamma, gamma), axis=1)
    assert literal_objective(theta_ml) == pytest.approx(log_lik(theta_ml) - entropies.sum())
    # The MLE is a stationary point of l (EM converged there) and a fixed point of EM's step
    gradient = optimize.approx_fprime(theta_ml, log_lik, 1e-7)
    assert np.max(np.abs(gradient)) < 1e-3
    weights, means, _ = pgmlib.gmm_m_step(x[:, None], gamma, reg_covar=0.0)
    np.testing.assert_allclose(np.sort(weights), np.sort(w), atol=1e-6)
    np.testing.assert_allclose(np.sort(means[:, 0]), m, atol=1e-6)
    # ... but not of the literal reading: its gradient there is far from zero, and maximising
    # it moves away from the MLE to parameters of lower likelihood and harder assignments
    literal_gradient = optimize.approx_fprime(theta_ml, literal_objective, 1e-7)
    assert np.max(np.abs(literal_gradient)) > 1.0
    literal = optimize.minimize(lambda t: -literal_objective(t), theta_ml, method="BFGS")
    assert -literal.fun > literal_objective(theta_ml) + 5.0
    assert log_lik(literal.x) < log_lik(theta_ml) - 1.0
    assert np.linalg.norm(literal.x - theta_ml) > 0.1


# --- 1.5 -----------------------------------------------------------------------------------


def test_remark_1_7_jensen_equality_needs_strict_convexity():
    """phi(x) = |x| is convex, not affine, X uniform on {1, 2} is not constant, yet
    phi(E X) = E phi(X). With a strictly convex phi, or the strictly concave log, the
    inequality is strict."""
    x, p = np.array([1.0, 2.0]), np.array([0.5, 0.5])
    mean = np.sum(p * x)
    assert abs(mean) == np.sum(p * np.abs(x)) == 1.5
    assert mean**2 < np.sum(p * x**2)
    assert np.sum(p * np.log(x)) < np.log(mean)


def test_eq_1_28_is_an_inequality_when_q_has_mass_off_the_support_of_p():
    p = np.array([0.5, 0.5, 0.0])
    q = np.array([0.25, 0.25, 0.5])
    support = p > 0
    jensen_bound = np.log(np.sum(p[support] * q[support] / p[support]))
    assert jensen_bound == pytest.approx(np.log(0.5), rel=1e-15)
    assert jensen_bound < np.log(1.0)
    gap = np.sum(p[support] * np.log(q[support] / p[support]))  # H(p) - H(p, q), eq. (1.26)
    assert gap <= jensen_bound + 1e-15
    assert -gap == pytest.approx(kl_divergence(p, q), rel=RTOL)


def test_remark_1_8_cross_entropy_matches_p_only_over_its_second_argument():
    """H(p, q) = -sum_x p(x) log q(x). Over q (p fixed) it is smallest at q = p, where it equals
    H(p). Over p (q fixed) it is linear, so its minimum over the simplex is at a vertex: the
    point mass on argmax q, with value -log max q, and not at p = q."""
    # A Bernoulli grid (0 log 0 = 0 at the ends of the grid of the first argument)
    grid = np.linspace(0.0, 1.0, 10_001)
    q1 = 0.3  # q = Bernoulli(0.3): q(0) = 0.7 is its largest mass
    over_first = -(special.xlogy(grid, q1) + special.xlogy(1 - grid, 1 - q1))
    assert grid[np.argmin(over_first)] == 0.0  # p = point mass on x = 0 = argmax q
    assert over_first.min() == pytest.approx(-np.log(0.7), rel=1e-12)
    matched = -(q1 * np.log(q1) + (1 - q1) * np.log(1 - q1))  # H(q, q), p = q
    assert matched - over_first.min() > 0.25
    inner = grid[1:-1]
    over_second = -(q1 * np.log(inner) + (1 - q1) * np.log(1 - inner))  # p = Bernoulli(0.3)
    assert inner[np.argmin(over_second)] == pytest.approx(q1, abs=1e-12)
    assert over_second.min() == pytest.approx(matched, rel=1e-12)
    # Four outcomes, minimised over the simplex by scipy.optimize (SLSQP), both ways
    target = np.array([0.1, 0.4, 0.3, 0.2])
    simplex = {
        "bounds": [(1e-12, 1.0)] * 4,
        "constraints": [{"type": "eq", "fun": lambda r: np.sum(r) - 1.0}],
        "method": "SLSQP",
        "options": {"ftol": 1e-14, "maxiter": 500},
    }
    start = np.array([0.25, 0.3, 0.2, 0.25])
    first = optimize.minimize(lambda r: pgmlib.cross_entropy(r / r.sum(), target), start, **simplex)
    second = optimize.minimize(lambda r: -np.sum(target * np.log(r)), start, **simplex)
    assert first.success and second.success
    np.testing.assert_allclose(first.x, np.eye(4)[np.argmax(target)], atol=1e-6)
    assert first.fun == pytest.approx(-np.log(target.max()), rel=1e-6)
    np.testing.assert_allclose(second.x, target, atol=1e-5)
    assert second.fun == pytest.approx(entropy(target), rel=1e-9)
    assert pgmlib.cross_entropy(target, target) == pytest.approx(entropy(target), rel=1e-12)
    assert pgmlib.cross_entropy(target, target) - first.fun > 0.3  # p = q is not the minimum


def test_eq_1_31_continuous_gap_is_the_kl_divergence():
    """The book's (1.31): H(p, q) - H(p) = int p log(p/q) >= 0, for N(0, 1) and N(1, 2^2)."""
    p, q = stats.norm(0, 1).pdf, stats.norm(1, 2).pdf
    gap = cross_entropy_continuous(p, q, -20.0, 20.0) - differential_entropy(p, -20.0, 20.0)
    assert gap == pytest.approx(kl_divergence_continuous(p, q, -20.0, 20.0), rel=1e-9)
    assert gap == pytest.approx(kl_gaussian(0.0, 1.0, 1.0, 2.0), rel=1e-9)
    assert gap > 0


def test_example_1_8_uniform_entropy_is_zero_at_width_one():
    """H(U[a, b]) = log(b - a): zero at b - a = 1 (not negative), negative below."""
    at_one = differential_entropy(lambda x: np.ones_like(x), 2.0, 3.0)
    assert at_one == pytest.approx(0.0, abs=1e-14)
    assert not at_one < -1e-14
    below = differential_entropy(lambda x: np.full_like(x, 2.0), 0.0, 0.5)
    assert below == pytest.approx(np.log(0.5), rel=RTOL) and below < 0


def test_remark_1_11_kl_is_nonnegative_and_zero_at_p_equals_q():
    p = np.array([0.2, 0.5, 0.3])
    assert kl_divergence(p, p) == 0.0  # not positive
    assert kl_gaussian(0.3, 1.2, 0.3, 1.2) == 0.0
    assert kl_divergence(p, [0.3, 0.4, 0.3]) > 0


# --- 1.6 -----------------------------------------------------------------------------------

N_VALUES = np.array([1.5, 2.0, 3.0, 10.0])


def _example_1_9_quadrature(n, integrand):
    return quad(lambda x: integrand(example_1_9_q(x, n)), 0.0, 1.0, points=[1 / n])


def test_eq_1_34_l1_factor_is_n_minus_one_over_n():
    for n in N_VALUES:
        c = example_1_9_c(n)
        direct = _example_1_9_quadrature(n, lambda q: abs(1 - q))
        printed = abs(np.exp(-n) - 1) / n + n * abs(c - 1) / (n - 1)
        correct = abs(np.exp(-n) - 1) / n + (n - 1) * abs(c - 1) / n
        assert correct == pytest.approx(direct, rel=RTOL)
        assert correct == pytest.approx(2 * (1 - np.exp(-n)) / n, rel=RTOL)
        assert example_1_9_divergences(n).l1 == pytest.approx(direct, rel=RTOL)
        assert abs(printed - direct) > 0.01
    c2 = example_1_9_c(2.0)
    assert abs(np.exp(-2) - 1) / 2 + 2 * abs(c2 - 1) > 2  # printed: above any L1 bound


def test_eq_1_35_kl_factor_is_n_minus_one_over_n():
    for n in N_VALUES:
        c = example_1_9_c(n)
        direct = _example_1_9_quadrature(n, lambda q: -np.log(q))  # p = 1 on [0, 1]
        printed = 1 + (-n / (n - 1)) * np.log(c)
        correct = 1 - (n - 1) / n * np.log(c)
        assert correct == pytest.approx(direct, rel=RTOL)
        assert example_1_9_divergences(n).kl == pytest.approx(direct, rel=RTOL)
        assert abs(printed - direct) > 0.01
    assert 1 - 2 * np.log(example_1_9_c(2.0)) < 0  # printed: a negative KL at n = 2


def test_remark_1_12_the_divergence_that_stays_away_is_chi_squared():
    """In Example 1.10 KL(p_eps || q_eps) -> 0 while the chi-squared divergence (defined before
    Example 1.9, the one Remark 1.12 means by its xi^2) tends to 1; no other divergence of the
    notes behaves so: L1 tends to 0 as well."""
    for eps in (1e-2, 1e-4, 1e-6):
        p, q = np.array([1 - eps, eps]), np.array([1 - eps**2, eps**2])
        chi2_by_definition = np.sum((p - q) ** 2 / q)
        assert chi2_divergence(p, q) == pytest.approx(chi2_by_definition, rel=RTOL)
        assert chi2_by_definition == pytest.approx(1.0, abs=3 * eps)
        assert kl_divergence(p, q) < 10 * eps * np.log(1 / eps)
        assert np.sum(np.abs(p - q)) < 3 * eps
        divergences = example_1_10_divergences(eps)
        assert divergences.chi2 == pytest.approx(chi2_by_definition, rel=RTOL)
        assert divergences.kl == pytest.approx(kl_divergence(p, q), rel=1e-9)


def test_eq_1_38_sigma_is_a_standard_deviation():
    """(1.38) is the KL between N(mu0, sigma0^2) and N(mu1, sigma1^2); read with sigma a
    variance, as N(mu, sigma) suggests in the book's notation, it is wrong."""
    mu0, s0, mu1, s1 = 0.5, 1.5, -1.0, 0.8
    formula = np.log(s1 / s0) + (s0**2 + (mu0 - mu1) ** 2) / (2 * s1**2) - 0.5
    as_std = kl_divergence_continuous(stats.norm(mu0, s0).pdf, stats.norm(mu1, s1).pdf, -20.0, 20.0)
    as_variance = kl_divergence_continuous(
        stats.norm(mu0, np.sqrt(s0)).pdf, stats.norm(mu1, np.sqrt(s1)).pdf, -20.0, 20.0
    )
    assert formula == pytest.approx(as_std, rel=1e-9)
    assert kl_gaussian(mu0, s0, mu1, s1) == pytest.approx(as_std, rel=1e-9)
    assert abs(formula - as_variance) > 0.1


def test_figure_1_4_horizontal_axis_is_the_standard_deviation():
    """The curves of Figure 1.4 are the KL between N(0, 1) and N(0, v^2) as functions of the
    standard deviation v, not of the variance: by quadrature, at v = 2 (variance 4) they give
    the plotted values, and the KL at variance 2 is different. The book's figure plots them
    over v in [0.2, 3], minimum at v = 1."""
    v = np.array([0.5, 1.0, 2.0, 3.0])
    direct_curve = 0.5 * (np.log(v**2) + v**-2.0 - 1)
    reverse_curve = 0.5 * (-np.log(v**2) + v**2 - 1)

    def kl_by_quadrature(first, second):  # int first(x) log(first(x) / second(x)) dx
        half_width = 15.0 * first.std()
        integrand = lambda x: first.pdf(x) * (first.logpdf(x) - second.logpdf(x))  # noqa: E731
        return quad(integrand, -half_width, half_width)

    p = stats.norm(0, 1)
    for vi, direct, reverse in zip(v, direct_curve, reverse_curve, strict=True):
        q = stats.norm(0, vi)  # standard deviation vi, variance vi^2
        assert direct == pytest.approx(kl_by_quadrature(p, q), rel=1e-9, abs=1e-12)
        assert reverse == pytest.approx(kl_by_quadrature(q, p), rel=1e-9, abs=1e-12)
    at_two = 0.5 * (np.log(2.0**2) + 2.0**-2 - 1)  # the curve at horizontal value 2
    variance_two = kl_by_quadrature(p, stats.norm(0, np.sqrt(2.0)))
    assert at_two == pytest.approx(0.3181, abs=1e-4)
    assert variance_two == pytest.approx(0.0966, abs=1e-4)  # what a variance axis would show
    kl = pgmlib.example_1_11_divergences(v)
    np.testing.assert_allclose(kl.direct, direct_curve, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(kl.reverse, reverse_curve, rtol=1e-12, atol=1e-15)
    # the book's Figure 1.4: drawn against v on [0.2, 3], both curves zero at v = 1 only
    from pgmlib import plotting

    figure = plotting.figure_kl_asymmetry()
    direct_line, reverse_line = figure.axes[0].lines[:2]
    axis = direct_line.get_xdata()
    assert (axis[0], axis[-1]) == (0.2, 3.0)
    np.testing.assert_allclose(direct_line.get_ydata(), kl_gaussian(0, 1, 0, axis), rtol=1e-12)
    np.testing.assert_allclose(reverse_line.get_ydata(), kl_gaussian(0, axis, 0, 1), rtol=1e-12)
    for line in (direct_line, reverse_line):
        assert abs(axis[np.argmin(line.get_ydata())] - 1.0) < axis[1] - axis[0]
    assert "standard deviation" in figure.axes[0].get_xlabel()


def test_eq_1_39_gradients_take_sigma_as_a_standard_deviation():
    """(1.39) and (1.40) are the derivatives of (1.38) in mu_1 and in the standard deviation
    sigma_1 (central differences of the KL between N(mu0, s0^2) and N(mu1, s1^2)); read with
    sigma a variance, as the printed N(mu, sigma) suggests, (1.39) is wrong."""
    mu0, s0, h = 0.5, 1.5, 1e-6
    for mu1, s1 in ((2.0, 0.8), (-1.0, 2.5)):
        fd_mu = (kl_gaussian(mu0, s0, mu1 + h, s1) - kl_gaussian(mu0, s0, mu1 - h, s1)) / (2 * h)
        assert (mu1 - mu0) / s1**2 == pytest.approx(fd_mu, rel=1e-7)
        assert kl_gaussian_grad(mu0, s0, mu1, s1).d_mu1 == pytest.approx(fd_mu, rel=1e-7)
        # sigma_1 a variance: the KL is kl_gaussian(mu0, sqrt(s0), mu1, sqrt(s1)) and its
        # mu_1-derivative is (mu1 - mu0) / s1, not (1.39)'s (mu1 - mu0) / s1^2
        as_var = [kl_gaussian(mu0, np.sqrt(s0), m, np.sqrt(s1)) for m in (mu1 + h, mu1 - h)]
        fd_var = (as_var[0] - as_var[1]) / (2 * h)
        assert fd_var == pytest.approx((mu1 - mu0) / s1, rel=1e-7)
        assert abs((mu1 - mu0) / s1**2 - fd_var) > 0.1 * abs(fd_var)


def test_eq_1_40_sigma_gradient_has_a_mean_term():
    mu0, s0, h = 0.0, 1.0, 1e-6
    for mu1, s1 in ((2.0, 1.5), (-1.0, 0.7), (10.0, 20.0)):
        fd = (kl_gaussian(mu0, s0, mu1, s1 + h) - kl_gaussian(mu0, s0, mu1, s1 - h)) / (2 * h)
        printed = (s1**2 - s0**2) / s1**3
        correct = (s1**2 - s0**2 - (mu1 - mu0) ** 2) / s1**3
        assert correct == pytest.approx(fd, rel=1e-6)
        assert kl_gaussian_grad(mu0, s0, mu1, s1).d_sigma1 == pytest.approx(fd, rel=1e-6)
        assert abs(printed - fd) > 0.1 * abs(fd)
    # For fixed mu1, the KL is minimal at sigma1^2 = sigma0^2 + (mu1 - mu0)^2: there the
    # correct derivative vanishes and the printed one does not.
    s_star = np.sqrt(1.0 + 2.0**2)
    assert kl_gaussian_grad(0.0, 1.0, 2.0, s_star).d_sigma1 == pytest.approx(0.0, abs=1e-15)
    assert (s_star**2 - 1.0) / s_star**3 > 0.3


def test_eq_1_42_sigma_update_is_a_gradient_step():
    """One step of the corrected (1.42) equals sigma - eta * (finite-difference gradient);
    the printed step does not."""
    mu0, s0, mu, s, eta, h = 0.0, 1.0, 3.0, 2.0, 0.5, 1e-6
    fd = (kl_gaussian(mu0, s0, mu, s + h) - kl_gaussian(mu0, s0, mu, s - h)) / (2 * h)
    _, exact = kl_gradient_flow(mu0, s0, mu, s, 0.0, eta, n_steps=1)
    _, printed = kl_gradient_flow(mu0, s0, mu, s, 0.0, eta, n_steps=1, rule="notes")
    assert exact[1] == pytest.approx(s - eta * fd, rel=1e-9)
    assert printed[1] == pytest.approx(s - eta * (s**2 - s0**2) / s**3, rel=1e-12)
    assert abs(printed[1] - (s - eta * fd)) > 0.1


def test_figure_1_5_printed_rule_trajectory_differs_from_gradient_descent():
    settings = {"mu0": 0.0, "sigma0": 1.0, "mu_init": 10.0, "sigma_init": 20.0}
    steps = {"eta_mu": 10.0, "eta_sigma": 6.6, "n_steps": 31}  # the figure's 31 steps
    exact = kl_gradient_flow(**settings, **steps)
    notes = kl_gradient_flow(**settings, **steps, rule="notes")
    assert (notes.mus[-1], notes.sigmas[-1]) == pytest.approx((0.3273, 2.5911), abs=1e-4)
    assert (exact.mus[-1], exact.sigmas[-1]) == pytest.approx((1.9215, 7.9385), abs=1e-4)
    # Every exact step is -eta * (finite-difference gradient); the printed steps are not.
    h = 1e-6
    mus, sigmas = notes.mus[:-1], notes.sigmas[:-1]
    fd_sigma = (kl_gaussian(0, 1, mus, sigmas + h) - kl_gaussian(0, 1, mus, sigmas - h)) / (2 * h)
    assert np.min(np.abs(notes.sigmas[1:] - (sigmas - 6.6 * fd_sigma))) > 0.05
    mus, sigmas = exact.mus[:-1], exact.sigmas[:-1]
    fd_sigma = (kl_gaussian(0, 1, mus, sigmas + h) - kl_gaussian(0, 1, mus, sigmas - h)) / (2 * h)
    np.testing.assert_allclose(exact.sigmas[1:], sigmas - 6.6 * fd_sigma, rtol=1e-8)


def test_concluding_remarks_chi_squared_is_the_example_1_3_pushforward():
    """The notes' "$Xi^2$" (typeset as Xi squared) is chi^2: the chi-squared law with one
    degree of freedom is the law of Z^2, Z ~ N(0, 1), whose density Example 1.3 derives."""
    y = np.linspace(0.01, 12.0, 200)
    example_1_3 = np.exp(-y / 2) / np.sqrt(2 * np.pi * y)
    np.testing.assert_allclose(stats.chi2(df=1).pdf(y), example_1_3, rtol=1e-12)
    # pgmlib's pushforward of N(0, 1) through x^2 is that chi-squared density
    book = pgmlib.square_map().pushforward_pdf(pgmlib.gaussian_source())
    np.testing.assert_allclose(book(y), stats.chi2(df=1).pdf(y), rtol=1e-12)


# --- formulas a text conversion garbled, which the notes print right --------------------------


def test_eq_1_22_as_printed_in_the_notes_holds():
    """The notes print H(X) <= log E(1/p) = log sum (1/p) p = log K: for a pmf on
    {1, ..., K} with full support, E[1/p(X)] = sum_x p(x) / p(x) = K exactly, and the bound
    is attained by the uniform pmf (1.23). (A text conversion dropped the factor p, which
    would make the sum at least K^2.)"""
    rng = np.random.default_rng(22)
    for p in (rng.dirichlet(np.ones(5)), np.full(4, 0.25), np.array([0.7, 0.2, 0.1])):
        expectation = np.sum(p * (1 / p))
        assert expectation == pytest.approx(p.size, rel=1e-14)
        assert entropy(p) <= np.log(expectation) + 1e-15
    assert entropy(np.full(4, 0.25)) == pytest.approx(np.log(4), rel=1e-15)


def test_eq_1_36_as_printed_in_the_notes_holds():
    """The notes print chi^2(p_eps || q_eps) = |eps^2 - eps|^2 / (1 - eps^2) + |1 - eps|^2, which
    is right (checked against the definition and pgmlib); a text conversion printed the second
    term as |eps - 1 + eps^2|^2, which is not."""
    for eps in (0.05, 0.1, 0.3, 0.7):
        direct = chi2_divergence([1 - eps, eps], [1 - eps**2, eps**2])
        printed = abs(eps**2 - eps) ** 2 / (1 - eps**2) + abs(1 - eps) ** 2
        assert printed == pytest.approx(direct, rel=RTOL)
        assert example_1_10_divergences(eps).chi2 == pytest.approx(direct, rel=RTOL)
        conversion = abs(eps**2 - eps) ** 2 / (1 - eps**2) + abs(eps - 1 + eps**2) ** 2
        assert abs(conversion - direct) > 1e-3
