"""The keys of the book's self-check questions, checked by computation.

Every code cell of a chapter that builds a question (``pgm.widgets.question(...)``) is run here
and the question it returns is checked by the function registered for its name in
``KEY_CHECKS``: the function works out which option is right from pgmlib, scipy or numpy and
asserts that it is the one marked correct. A question without a registered check fails
``test_every_question_has_a_key_check``: add the check when adding the question.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

import pgmlib as pgm
from pgmlib.widgets import Question

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import chapters as chaptools  # noqa: E402


def question_cells() -> list[tuple[str, int, str]]:
    """(notebook name, cell index, source) of every chapter cell that builds a question."""
    found = []
    for path in chaptools.chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "widgets.question(" in cell.source:
                found.append((path.name, index, cell.source))
    return found


def run_cell(source: str) -> Question:
    """The value of the cell's last expression, run with the chapter's ``pgm`` and ``np``."""
    tree = ast.parse(source)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), "a question cell must end with the question"
    namespace = {"pgm": pgm, "np": np}
    exec(compile(tree, "<question cell>", "exec"), namespace)
    value = eval(compile(ast.Expression(last.value), "<question cell>", "eval"), namespace)
    assert isinstance(value, Question), f"the cell returns {type(value).__name__}"
    return value


def chapter_questions() -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for notebook, index, source in question_cells():
        q = run_cell(source)
        assert q.name not in questions, f"{notebook} cell {index}: question {q.name!r} twice"
        questions[q.name] = q
    return questions


# --- the checks, one per question --------------------------------------------------------------

RNG_SEED = 2026


def softmax_minimiser(objective: Callable[[np.ndarray], float], size: int) -> np.ndarray:
    """argmin of ``objective`` over the pmfs on ``size`` outcomes (softmax parametrisation)."""
    fit = optimize.minimize(
        lambda z: objective(special.softmax(z)), np.zeros(size), method="BFGS", tol=1e-12
    )
    return special.softmax(fit.x)


def simplex_minimiser(cost: np.ndarray) -> np.ndarray:
    """argmin over pmfs p of the linear function sum_x p(x) cost(x) (a linear programme)."""
    result = optimize.linprog(cost, A_eq=np.ones((1, cost.size)), b_eq=[1.0], bounds=(0, 1))
    assert result.status == 0, result.message
    return result.x


# --- 1.5 A brief intro to information theory (chapters/information-theory.ipynb) -------------


def check_cross_entropy_minimiser(q: Question) -> None:
    """Which optimisation of H(p, q) returns the data's p? Solve each one numerically."""
    assert [o.plain for o in q.options] == [
        "Minimise H(p, q) over q, holding p fixed.",
        "Minimise H(p, q) over p, holding q fixed.",
        "Minimise H(p, q) over p and q together.",
        "Maximise H(p, q) over q, holding p fixed.",
    ]
    rng = np.random.default_rng(RNG_SEED)
    recovers = {0: [], 1: [], 2: [], 3: []}
    for p, model in rng.dirichlet(np.ones(4), size=(5, 2)):
        # A: over q with p fixed -- the minimiser is p itself, the minimum H(p).
        q_best = softmax_minimiser(lambda r, p=p: pgm.cross_entropy(p, r), p.size)
        recovers[0].append(np.allclose(q_best, p, atol=1e-5))
        assert pgm.cross_entropy(p, q_best) == pytest.approx(pgm.entropy(p), abs=1e-10)
        # B: over p with the model fixed -- linear in p: a point mass on the model's mode.
        p_best = simplex_minimiser(-np.log(model))
        np.testing.assert_allclose(p_best, np.eye(4)[np.argmax(model)], atol=1e-9)
        recovers[1].append(np.allclose(p_best, model, atol=1e-3))
        # C: jointly -- H >= 0, attained (= 0) by equal point masses, which are not the data.
        assert min(pgm.cross_entropy(*rng.dirichlet(np.ones(4), size=2)) for _ in range(200)) > 0
        joint = [pgm.cross_entropy(np.eye(4)[k], np.eye(4)[k]) for k in range(4)]
        assert joint == [0.0] * 4
        recovers[2].append(any(np.allclose(np.eye(4)[k], p, atol=1e-3) for k in range(4)))
        # D: maximise over q -- unbounded: starving outcome 0 of mass (q(0) = eps) adds
        # p(0) log 10 to H(p, q) for every factor 10 that eps shrinks, without end.
        starved = [np.r_[eps, p[1:]] / (eps + p[1:].sum()) for eps in 10.0 ** -np.arange(1, 13)]
        steps = np.diff([pgm.cross_entropy(p, r) for r in starved])
        assert np.all(steps > 0)
        np.testing.assert_allclose(steps[-4:], p[0] * np.log(10), rtol=1e-6)  # O(eps) off
        recovers[3].append(False)
    right = [option for option, results in recovers.items() if all(results)]
    assert right == [q.correct_index], recovers
    assert not any(any(results) for option, results in recovers.items() if option != right[0])


# --- 1.3 The pushforward measure (chapters/pushforward.ipynb) ----------------------------------


def check_square_map_density(q: Question) -> None:
    """X ~ N(0, 1), T(x) = x^2: does T(X) have a density, and does eq. (1.5) give it as is?"""
    assert [o.plain for o in q.options] == [
        "It has a density, but Theorem 1.1 does not apply directly: x squared is not a "
        "diffeomorphism of the real line.",
        "It has a density, and Theorem 1.1 gives it directly with the inverse square root of y.",
        "It has no density: a map that is not invertible cannot produce one.",
        "It has no density, because p_Y(y) is unbounded near y = 0.",
    ]

    # The law of Y = X^2 by eq. (1.6): F(y) = P(-sqrt(y) <= X <= sqrt(y)), no density assumed.
    def cdf(y):
        return stats.norm.cdf(np.sqrt(y)) - stats.norm.cdf(-np.sqrt(y))

    branches = [
        (np.sqrt, lambda y: 0.5 / np.sqrt(y), (0.0, np.inf)),
        (lambda y: -np.sqrt(y), lambda y: -0.5 / np.sqrt(y), (0.0, np.inf)),
    ]
    pdf = pgm.pushforward_density_1d(stats.norm.pdf, branches)
    # A density: it integrates to F over every interval, and F' (finite differences) is it.
    edges = np.array([0.0, 1e-6, 0.01, 0.3, 1.0, 2.5, 6.0, 15.0, 40.0])
    pieces = [integrate.quad(pdf, edges[i], edges[i + 1])[0] for i in range(edges.size - 1)]
    np.testing.assert_allclose(pieces, np.diff(cdf(edges)), rtol=1e-8, atol=1e-12)
    y = np.linspace(0.05, 10.0, 200)
    h = 1e-5
    np.testing.assert_allclose((cdf(y + h) - cdf(y - h)) / (2 * h), pdf(y), rtol=1e-6)
    mass = integrate.quad(pdf, 0, 1)[0] + integrate.quad(pdf, 1, np.inf)[0]
    # ... and a seeded Monte Carlo of X^2 agrees within five standard errors.
    N = 400_000
    draws = np.square(np.random.default_rng(RNG_SEED).standard_normal(N))
    fractions = np.histogram(draws, bins=edges)[0] / N
    exact = np.array(pieces)
    assert np.all(np.abs(fractions - exact) <= 5 * np.sqrt(exact * (1 - exact) / N) + 1e-12)
    has_density = abs(mass - 1.0) < 1e-10
    unbounded = pdf(1e-10) > 1e4  # and yet a density: option D's reason is no reason
    assert has_density and unbounded
    # Theorem 1.1 as is: x^2 is not injective on R, and eq. (1.5) with the one inverse
    # sqrt(y) carries half of the mass.
    x = np.linspace(0.1, 5.0, 50)
    injective = not np.any(np.square(-x) == np.square(x))
    one_branch = pgm.change_of_variables(stats.norm.pdf, np.sqrt, lambda y: 0.5 / np.sqrt(y))
    one_mass = integrate.quad(one_branch, 0, 1)[0] + integrate.quad(one_branch, 1, np.inf)[0]
    assert one_mass == pytest.approx(0.5, abs=1e-10)
    direct = injective and abs(one_mass - 1.0) < 1e-10
    if not has_density:
        expected = {2, 3}
    else:
        expected = {1} if direct else {0}
    assert {q.correct_index} == expected


def check_stretched_density(q: Question) -> None:
    """T doubles every length near x: p_Y(y) / p_X(x), measured without any Jacobian."""
    candidates = [0.25, 0.5, 4.0, 1.0]  # the factors the options A-D claim
    assert [o.plain for o in q.options] == [
        "p_Y(y) = p_X(x) / 4",
        "p_Y(y) = p_X(x) / 2",
        "p_Y(y) = 4 p_X(x)",
        "p_Y(y) = p_X(x)",
    ]
    # Twice a rotation, shifted: every length near every point doubles.
    flow = pgm.AffineFlow(angle=0.7, log_scales=(np.log(2.0), np.log(2.0)), shift=(0.3, -0.2))
    side = 1e-2
    for x in ([0.0, 0.0], [0.8, -0.4], [-1.2, 1.5]):
        y = flow.forward(np.array(x))
        element = pgm.local_area_element(flow, y, side=side)
        assert element.image_area == pytest.approx(4 * side**2, rel=1e-12)  # lengths doubled
        # P(Y in a small box around y) by eq. (1.6) alone, per unit area, over p_X(x)
        box = pgm.flow_box_probability(flow, y - side, y + side)
        ratio = box / (2 * side) ** 2 / float(pgm.standard_gaussian_pdf_2d(np.array(x)))
        matching = [i for i, c in enumerate(candidates) if abs(ratio - c) < 1e-3 * c]
        assert matching == [q.correct_index], ratio
        # eq. (1.5) agrees with the measurement
        assert float(flow.pushforward_pdf()(y)) == pytest.approx(
            float(pgm.standard_gaussian_pdf_2d(np.array(x))) * candidates[q.correct_index],
            rel=1e-12,
        )


def check_coupling_area_factor(q: Question) -> None:
    """Coupling map with s = 0: |det grad T^-1(y)| by central differences of the inverse."""
    assert [o.plain for o in q.options] == [
        "1 at every y, whatever the bend a.",
        "More than 1 where the banana bends most, and 1 only near y1 = 0.",
        "|2 a y1|, the slope of the shift a y1 squared.",
        "It is not defined: eq. (1.5) needs a linear map.",
    ]
    rng = np.random.default_rng(RNG_SEED)
    y = rng.uniform(-3.0, 3.0, size=(200, 2))
    h = 1e-5
    holds = {0: [], 1: [], 2: [], 3: []}
    for bend in np.round(np.arange(-1.5, 1.5001, 0.3), 10):  # the explorer's range
        flow = pgm.CouplingFlow(bend=bend, scale_rate=0.0)
        columns = [(flow.inverse(y + h * e) - flow.inverse(y - h * e)) / (2 * h) for e in np.eye(2)]
        factor = np.abs(np.linalg.det(np.stack(columns, axis=-1)))
        invertible = np.allclose(flow.inverse(flow.forward(y)), y, rtol=0, atol=1e-12)
        far = np.abs(y[:, 0]) > 0.5
        holds[0].append(np.allclose(factor, 1.0, rtol=0, atol=1e-8))
        holds[1].append(bool(np.all(factor[far] > 1 + 1e-6)))
        holds[2].append(np.allclose(factor, np.abs(2 * bend * y[:, 0]), rtol=0, atol=1e-8))
        holds[3].append(not invertible)
        # the density is the source density moved, p_Y(y) = p_X(T^-1(y)), and a small
        # square keeps its area (a polygon area: no Jacobian)
        np.testing.assert_allclose(
            flow.pushforward_pdf()(y), pgm.standard_gaussian_pdf_2d(flow.inverse(y)), rtol=1e-14
        )
        element = pgm.local_area_element(flow, y[0], side=0.1, n_per_side=64)
        assert element.area_ratio == pytest.approx(1.0, rel=1e-9)
    right = [option for option, results in holds.items() if all(results)]
    assert right == [q.correct_index], holds
    assert not any(any(results) for option, results in holds.items() if option != right[0])


# --- 1.4 Likelihood-based training (chapters/likelihood.ipynb) ---------------------------------


def coin_likelihood_integral(ones: int, tosses: int) -> float:
    """int_0^1 theta^ones (1 - theta)^(tosses - ones) d theta, by quadrature."""
    value, _ = integrate.quad(
        lambda t: t**ones * (1 - t) ** (tosses - ones),
        0,
        1,
        points=[ones / tosses],
        epsabs=0,
        epsrel=1e-11,
        limit=200,
    )
    return value


def check_likelihood_not_a_density(q: Question) -> None:
    """Is L(theta) = theta^7 (1 - theta)^3 a density on [0, 1]? Integrate it numerically."""
    assert [o.plain for o in q.options] == [
        "Yes: it is built from probabilities, so it integrates to one over [0, 1].",
        "No: it is nonnegative, but its integral over [0, 1] is 1/1320, not one.",
        "Not for ten tosses, but it becomes one as the number of tosses grows.",
        "No: it takes negative values for some theta.",
    ]
    area = coin_likelihood_integral(7, 10)
    assert area == pytest.approx(1 / 1320, rel=1e-10)  # B(8, 4) = 7! 3! / 11!
    assert area == pytest.approx(np.exp(special.betaln(8, 4)), rel=1e-10)
    theta = np.linspace(0, 1, 10_001)
    nonnegative = bool(np.all(theta**7 * (1 - theta) ** 3 >= 0))
    # the same fraction of ones in 10, 100 and 1000 tosses: the integral falls towards 0
    areas = np.array([coin_likelihood_integral(7 * m, 10 * m) for m in (1, 10, 100)])
    np.testing.assert_allclose(
        areas,
        np.exp([special.betaln(8, 4), special.betaln(71, 31), special.betaln(701, 301)]),
        rtol=1e-8,
    )
    assert 2.5e-28 < areas[1] < 3.5e-28  # "B(71, 31) ~ 3e-28", as the feedback says
    truths = {
        0: bool(np.isclose(area, 1.0)),
        1: nonnegative and bool(np.isclose(area, 1 / 1320, rtol=1e-10)),
        2: bool(np.all(np.diff(areas) > 0) and np.isclose(areas[-1], 1.0)),
        3: not nonnegative,
    }
    assert [k for k, holds in truths.items() if holds] == [q.correct_index], truths


def mixture_1d_log_likelihood(x: np.ndarray, theta: np.ndarray) -> float:
    """l of a 1-D two-component mixture at theta = (logit pi_2, mu_1, mu_2, log s2_1, log s2_2)."""
    pi_2 = special.expit(theta[0])
    variances = np.exp(theta[3:5]).reshape(2, 1, 1)
    return pgm.gmm_log_likelihood(x, [1 - pi_2, pi_2], theta[1:3].reshape(2, 1), variances)


def check_em_lower_bound_guarantee(q: Question) -> None:
    """What does EM's lower bound guarantee? Run EM (pgm.gmm_em_path) and test each claim."""
    assert [o.plain for o in q.options] == [
        "l never decreases from one iteration to the next.",
        "The run ends at the global maximum of l.",
        "The run ends at a local maximum of l.",
        "The responsibilities end at 0 or 1: every point is assigned to one component.",
    ]
    x, _ = pgm.sample_gmm(400, [0.5, 0.5], [[-2.0], [2.0]], [[[1.0]], [[1.0]]], rng=RNG_SEED)
    runs = [pgm.gmm_em_path(x, 2, n_iter=300, rng=seed, reg_covar=0.0) for seed in range(4)]
    # two identical components: E step gives 1/2 each, M step keeps them identical
    twin = ([0.5, 0.5], [[0.0], [0.0]], [[[4.0]], [[4.0]]])
    twins = pgm.gmm_em_path(x, 2, n_iter=50, init_params=twin, reg_covar=0.0)
    runs.append(twins)
    # A: along every run, l never goes down (beyond rounding)
    never_down = all(
        np.all(np.diff(run.log_likelihood) >= -1e-10 * np.abs(run.log_likelihood[1:]))
        for run in runs
    )
    # B: l has no global maximum: a component on x_1 whose variance shrinks (weight 0.01, the
    # rest one Gaussian for all the data) sends l up without bound, past every run's end
    finals = [run.log_likelihood[-1] for run in runs]
    spike = [
        pgm.gmm_log_likelihood(x, [0.01, 0.99], [x[0], [x.mean()]], [[[s2]], [[x.var()]]])
        for s2 in 10.0 ** -np.arange(2, 300, 40)
    ]
    steps = np.diff(spike)
    assert np.all(steps > 0)
    # each factor 1e-40 in the variance adds log(1e40) / 2 to the density of x_1 (in logs)
    np.testing.assert_allclose(steps[1:], 20 * np.log(10), rtol=1e-9)
    assert spike[-1] > max(finals) + 100
    some_run_is_global = any(final >= max(spike) for final in finals)
    # C: the twins are a stationary point of l (finite differences) that is not a local
    # maximum: splitting the means while shrinking the variances raises l, like d^4
    np.testing.assert_array_equal(twins.means[-1, 0], twins.means[-1, 1])
    mean, var = twins.means[-1, 0, 0], twins.covariances[-1, 0, 0, 0]
    stationary = np.array([0.0, mean, mean, np.log(var), np.log(var)])
    gradient = optimize.approx_fprime(stationary, lambda t: mixture_1d_log_likelihood(x, t), 1e-7)
    assert np.max(np.abs(gradient)) < 1e-3
    base = mixture_1d_log_likelihood(x, stationary)

    def split(d):
        log_var = np.log(var - d**2)
        theta = np.array([0.0, mean - d, mean + d, log_var, log_var])
        return mixture_1d_log_likelihood(x, theta) - base

    gains = np.array([split(d) for d in (0.05, 0.1, 0.2, 0.4)])
    np.testing.assert_allclose(gains[1] / gains[0], 16, rtol=0.05)  # quartic: up for all small d
    twins_at_local_max = bool(np.all(gains <= 0))
    # D: where the two components overlap, converged responsibilities stay soft
    best = runs[int(np.argmax(finals[:4]))]
    soft = int(np.sum(best.responsibilities[-1].max(axis=1) < 0.9))
    truths = {0: bool(never_down), 1: some_run_is_global, 2: twins_at_local_max, 3: soft == 0}
    assert [k for k, holds in truths.items() if holds] == [q.correct_index], truths


def negative_entropy_densities() -> list[tuple[object, float, float, list[float]]]:
    """Densities on the line as (frozen scipy law, a, b, kinks), [a, b] holding their mass:
    uniform, Gaussian, Laplace and beta laws on both sides of H = 0."""
    from scipy import stats

    laws = [(stats.uniform(0, w), 0.0, w, []) for w in (0.2, 0.5, 0.9, 1.0, 1.5, 3.0)]
    laws += [(stats.norm(0, s), -12 * s, 12 * s, []) for s in (0.05, 0.1, 0.2, 0.3, 1.0, 2.0)]
    laws += [(stats.laplace(0, b), -40 * b, 40 * b, [0.0]) for b in (0.1, 0.5, 1.0)]
    laws += [(stats.beta(2, 5), 0.0, 1.0, []), (stats.beta(20, 20), 0.0, 1.0, [])]
    return laws


def check_differential_entropy_sign(q: Question) -> None:
    """H(p) < 0: which statement must hold? Test each on laws with H(p) < 0 (Remark 1.9)."""
    assert [o.plain for o in q.options] == [
        "p(x) > 1 for some x.",
        "Nothing: it cannot happen, because an entropy is never negative.",
        "1000X, the same quantity in another unit, has negative differential entropy too.",
        "For a small enough bin width Δ, the binned variable X_Δ has negative entropy.",
    ]
    holds = {0: [], 1: [], 2: [], 3: []}
    for law, a, b, kinks in negative_entropy_densities():
        H = pgm.differential_entropy(law.pdf, a, b, points=kinks or None)
        assert H == pytest.approx(law.entropy(), rel=1e-9, abs=1e-12)
        grid = np.r_[np.linspace(a, b, 200_001), kinks]
        peak = law.pdf(grid).max()
        # Why A: H = E[-log p(X)] >= -log max p, so H < 0 forces max p > 1.
        assert H >= -np.log(peak) - 1e-12
        if H >= 0:
            continue
        holds[0].append(peak > 1)
        holds[1].append(False)  # a density with H < 0 exists: this one
        # C: 1000X has density p(x / 1000) / 1000 and entropy H + log 1000.
        H_scaled = pgm.differential_entropy(
            lambda x, law=law: law.pdf(x / 1000) / 1000,
            1000 * a,
            1000 * b,
            points=[1000 * k for k in kinks] or None,
        )
        assert H_scaled == pytest.approx(H + np.log(1000), rel=1e-9)
        holds[2].append(H_scaled < 0)
        # D: the bin index is discrete, its entropy >= 0 and about H - log(delta).
        for delta in 10.0 ** -np.arange(1, 5):
            masses = np.diff(law.cdf(np.arange(a, b + delta, delta)))
            H_binned = pgm.entropy(masses / masses.sum())
            holds[3].append(H_binned < 0)
        assert H_binned == pytest.approx(H - np.log(delta), abs=1e-3)
    assert len(holds[0]) >= 5, "too few laws with H < 0 to test the options on"
    right = [option for option, results in holds.items() if all(results)]
    assert right == [q.correct_index], holds


def check_kl_infinite_under_truncation(q: Question) -> None:
    """p = N(0, 1) and q = p cut to [-5, 5]: compute both KL divergences (Remark 1.11)."""
    from scipy import stats

    assert [o.plain for o in q.options] == [
        "Both are about 0: the densities are almost equal.",
        "KL(p‖q) = +∞ and KL(q‖p) ≈ 0.",
        "KL(p‖q) ≈ 0 and KL(q‖p) = +∞.",
        "Both are +∞.",
    ]

    def about_zero(value: float) -> bool:
        return 0 <= value < 1e-5

    p = stats.norm(0, 1)
    for cut in (5.0, 8.0):
        q_cut = stats.truncnorm(-cut, cut)
        if cut == 5.0:  # the prompt: the densities differ by less than 2e-6 everywhere
            grid = np.linspace(-12, 12, 480_001)
            assert 1e-6 < np.abs(p.pdf(grid) - q_cut.pdf(grid)).max() < 2e-6
        kl_pq = pgm.kl_divergence_continuous(p.pdf, q_cut.pdf, -12, 12, points=[-cut, cut])
        kl_qp = pgm.kl_divergence_continuous(q_cut.pdf, p.pdf, -12, 12, points=[-cut, cut])
        # KL(q || p) = -log P([-cut, cut]): log(q/p) is that constant where q > 0.
        mass_outside = 2 * p.sf(cut)
        if cut == 5.0:
            assert kl_qp == pytest.approx(-np.log1p(-mass_outside), rel=1e-6)
        outcomes = [
            about_zero(kl_pq) and about_zero(kl_qp),
            np.isinf(kl_pq) and about_zero(kl_qp),
            about_zero(kl_pq) and np.isinf(kl_qp),
            np.isinf(kl_pq) and np.isinf(kl_qp),
        ]
        assert [k for k, hit in enumerate(outcomes) if hit] == [q.correct_index], (cut, outcomes)


# --- page 1.6: chapters/kl-divergence.ipynb ----------------------------------------------------


def option_index(q: Question, plain: str) -> int:
    """Index of the option whose plain text is ``plain``."""
    plains = [o.plain for o in q.options]
    assert plain in plains, plains
    return plains.index(plain)


def nearby_pmf_pairs(rng: np.random.Generator, count: int = 4000) -> tuple[np.ndarray, ...]:
    """Random pmf pairs (p, q) on 2 to 6 outcomes, q a random tilt of p of random strength."""
    pairs = []
    for _ in range(count):
        size = rng.integers(2, 7)
        p = rng.dirichlet(np.ones(size))
        q = special.softmax(np.log(p) + rng.uniform(0, 0.3) * rng.standard_normal(size))
        pairs.append((p, q))
    return pairs


def check_divergence_hierarchy_guarantee(q: Question) -> None:
    """chi2 = 0.01 forces KL < 0.01 and L1 < 0.15; small chi2 never comes with a large KL/L1."""
    correct = option_index(q, "KL(p‖q_θ) < 0.01 and L1(p‖q_θ) < 0.15")
    assert [o.plain for o in q.options][1:] == [
        "KL is small, but L1 could still be large.",
        "L1 is small, but KL could still be near 1, as in Example 1.9.",
        "Nothing: the three divergences measure unrelated things.",
    ]
    # The bounds of the feedback: Jensen then Pinsker, at chi2 = 0.01.
    kl_bound = np.log1p(0.01)
    assert kl_bound == pytest.approx(0.00995, abs=1e-5) and kl_bound < 0.01
    l1_bound = np.sqrt(2 * kl_bound)
    assert l1_bound == pytest.approx(0.141, abs=1e-3) and l1_bound < 0.15
    # Over many random pairs, both inequalities hold, and every pair with chi2 <= 0.01 has
    # KL < 0.01 and L1 < 0.15 (so no option claiming a large KL or L1 can be right).
    rng = np.random.default_rng(RNG_SEED)
    small = 0
    for p, r in nearby_pmf_pairs(rng):
        kl, chi2, l1 = pgm.kl_divergence(p, r), pgm.chi2_divergence(p, r), pgm.l1_distance(p, r)
        assert kl <= np.log1p(chi2) + 1e-12 and l1 <= np.sqrt(2 * kl) + 1e-12
        if chi2 <= 0.01:
            small += 1
            assert kl < 0.01 and l1 < 0.15
    assert small > 100, small
    # Example 1.9 is the reverse situation: small L1, KL near 1, chi2 enormous.
    example = pgm.example_1_9_divergences(np.array([50]))
    assert example.l1[0] < 0.05 and example.kl[0] > 0.95 and example.chi2[0] > 1e10
    assert q.correct_index == correct == 0


def check_kl_direction_missing_mode(q: Question) -> None:
    """Bimodal p, q on one mode: KL(p||q) ~ 35 nats (quadrature, closed form); KL(q||p) ~ log 2."""
    direct_option = option_index(q, "The direct divergence KL(p‖q)")
    reverse_option = option_index(q, "The reverse divergence KL(q‖p)")
    width = 0.5
    mixture = [stats.norm(-3, width), stats.norm(3, width)]

    def p(x):
        return 0.5 * mixture[0].pdf(x) + 0.5 * mixture[1].pdf(x)

    model = stats.norm(3, width)
    points = [-3.0, 0.0, 3.0]
    direct = pgm.kl_divergence_continuous(p, model.pdf, -12, 12, points=points)
    reverse = pgm.kl_divergence_continuous(model.pdf, p, -12, 12, points=points)
    # Independent route for the direct one: -int p log q in closed form (E_p[(X - 3)^2]
    # = (width^2 + 36 + width^2) / 2), minus H(p) = log 2 + H(N(0, width^2)) for modes this far
    # apart (the overlap changes it by far less than 1e-9).
    cross = 0.5 * np.log(2 * np.pi * width**2) + (width**2 + 18.0) / (2 * width**2)
    entropy = np.log(2) + model.entropy()
    assert direct == pytest.approx(cross - entropy, abs=1e-6)
    assert direct == pytest.approx(35.3, abs=0.05)
    assert reverse == pytest.approx(np.log(2), abs=1e-6)
    assert direct > 50 * reverse  # heavily vs mildly: the "both equally" and "neither" fail
    assert q.correct_index == direct_option != reverse_option


def check_kl_flow_best_width(q: Question) -> None:
    """mu1 = 3, target N(0, 1): the KL over sigma1 is smallest at sqrt(10), found two ways."""
    assert [o.plain for o in q.options] == [
        "σ1 = 1, the width of p",
        "σ1 = √10 ≈ 3.16",
        "σ1 = 3, the distance between the means",
        "As small as possible: a sharper q fits better.",
    ]
    mu0, sigma0, mu1 = 0.0, 1.0, 3.0
    fit = optimize.minimize_scalar(
        lambda s: pgm.kl_gaussian(mu0, sigma0, mu1, s),
        bounds=(1e-3, 50),
        method="bounded",
        options={"xatol": 1e-10},
    )
    root = optimize.brentq(
        lambda s: pgm.kl_gaussian_grad(mu0, sigma0, mu1, s).d_sigma1, 0.5, 20, xtol=1e-14
    )
    assert fit.x == pytest.approx(np.sqrt(10), abs=1e-6)
    assert root == pytest.approx(np.sqrt(10), rel=1e-12)
    # The numbers of the feedback: the gradient at 1 and at 3; the printed rule's zero at 1.
    grad = pgm.kl_gaussian_grad(mu0, sigma0, mu1, np.array([1.0, 3.0])).d_sigma1
    np.testing.assert_allclose(grad, [-9.0, -1.0 / 27.0], rtol=1e-12)
    assert pgm.kl_gaussian_grad(mu0, sigma0, mu1, 1.0, rule="notes").d_sigma1 == 0.0
    # The candidate widths of the options (the last: a very small one); the best is the key.
    candidates = [1.0, np.sqrt(10), 3.0, 1e-3]
    kls = [pgm.kl_gaussian(mu0, sigma0, mu1, s) for s in candidates]
    assert kls[3] > 1e6
    assert int(np.argmin(kls)) == q.correct_index


def check_ml_wrong_model_limit(q: Question) -> None:
    """Gamma(2, 1/2) data, exponential model: KL over the rate bottoms out at 0.116 > 0 at
    lambda* = 1 (quadrature + minimiser), and the MLE of a large seeded sample goes there."""
    correct = option_index(q, "λ̂_N → λ*, the best exponential, and the KL tends to KL(p‖q_λ*) > 0")
    assert [o.plain for o in q.options][1:] == [
        "λ̂_N converges to a rate at which the KL is 0.",
        "λ̂_N keeps wandering: more data cannot help a wrong model.",
    ]
    shape, scale = 2.0, 0.5
    data = stats.gamma(shape, scale=scale)

    def kl(rate: float) -> float:
        return pgm.kl_divergence_continuous(data.pdf, stats.expon(scale=1 / rate).pdf, 0, 60)

    fit = optimize.minimize_scalar(kl, bounds=(0.1, 5), method="bounded", options={"xatol": 1e-9})
    assert fit.x == pytest.approx(pgm.exponential_kl_minimiser(shape, scale), abs=1e-6)
    assert fit.x == pytest.approx(1.0, abs=1e-6)
    assert fit.fun == pytest.approx(pgm.exponential_min_kl(shape, scale), abs=1e-9)
    assert fit.fun == pytest.approx(0.116, abs=5e-4)  # no rate reaches KL = 0 (option B)
    # The MLE settles (option C fails): its error shrinks with N, within 4 asymptotic s.d.
    x = np.random.default_rng(RNG_SEED).gamma(shape, scale, 1_000_000)
    errors = [abs(pgm.exponential_mle(x[:n]) - fit.x) for n in (10**2, 10**4, 10**6)]
    for n, error in zip((10**2, 10**4, 10**6), errors, strict=True):
        assert error < 4 / np.sqrt(shape * n), (n, error)
    assert errors[-1] < 0.005
    assert kl(pgm.exponential_mle(x)) == pytest.approx(fit.fun, abs=1e-4)
    assert q.correct_index == correct == 0


# --- page 1.2: chapters/discriminative-generative.ipynb ----------------------------------------


def class_log_odds(x, prior, mean0, cov0, mean1, cov1) -> np.ndarray:
    """Log-odds of class 1 by Bayes' rule from scipy.stats log-densities (not pgmlib)."""
    return (
        np.log(prior / (1 - prior))
        + stats.multivariate_normal(mean1, cov1).logpdf(x)
        - stats.multivariate_normal(mean0, cov0).logpdf(x)
    )


def boundary_on_parallel_lines(prior, mean0, mean1, cov, offsets) -> np.ndarray:
    """Where the boundary crosses the lines midpoint + s perp + t (mean1 - mean0), s in offsets:
    the points, by root finding on the log-odds (shared covariance: increasing in t)."""
    step = mean1 - mean0
    perp = np.array([-step[1], step[0]]) / np.linalg.norm(step)
    middle = (mean0 + mean1) / 2
    points = []
    for s in offsets:
        start = middle + s * perp
        t = optimize.brentq(
            lambda t, start=start: class_log_odds(start + t * step, prior, mean0, cov, mean1, cov),
            -100.0,
            100.0,
            xtol=1e-14,
        )
        points.append(start + t * step)
    return np.array(points)


def check_shared_covariance_prior_shift(q: Question) -> None:
    """Shared covariance, prior 0.5 -> 0.9: the boundary, found by root finding on Bayes'
    log-odds for random classes, stays straight, keeps its direction and moves towards mu_0."""
    assert [o.plain for o in q.options] == [
        "It stays a straight line and slides towards the mean of class 0, without turning.",
        "It stays a straight line and slides towards the mean of class 1.",
        "It still passes through the midpoint of the two means, but turns.",
        "It bends into a closed curve around class 0, now the less likely class.",
    ]
    rng = np.random.default_rng(RNG_SEED)
    offsets = np.linspace(-3.0, 3.0, 5)  # offsets[2] = 0: the line through the means
    verdicts = {0: [], 1: [], 2: [], 3: []}
    for _ in range(10):
        mean0, mean1 = rng.normal(0.0, 2.0, size=(2, 2))
        root = rng.normal(size=(2, 2))
        cov = root @ root.T + 0.5 * np.eye(2)
        lines = {}  # prior -> (is straight, unit direction, point on the line through the means)
        for prior in (0.5, 0.9):
            points = boundary_on_parallel_lines(prior, mean0, mean1, cov, offsets)
            centred = points - points.mean(axis=0)
            _, singular, vt = np.linalg.svd(centred)
            lines[prior] = (singular[1] < 1e-9 * singular[0], vt[0], points[2])
            assert not pgm.gaussian_log_odds_coefficients(prior, mean0, cov, mean1, cov)[0].any()
        straight = lines[0.5][0] and lines[0.9][0]
        same_direction = abs(lines[0.5][1] @ lines[0.9][1]) > 1 - 1e-12
        # How far each crossing of the line through the means lies from mu_0, along it.
        to_mean0 = [np.linalg.norm(lines[prior][2] - mean0) for prior in (0.5, 0.9)]
        at_middle = class_log_odds((mean0 + mean1) / 2, 0.9, mean0, cov, mean1, cov)
        assert at_middle == pytest.approx(np.log(9), rel=1e-9)  # the feedback's number
        verdicts[0].append(straight and same_direction and to_mean0[1] < to_mean0[0])
        verdicts[1].append(straight and to_mean0[1] > to_mean0[0])
        verdicts[2].append(abs(at_middle) < 1e-9 and not same_direction)
        verdicts[3].append(not straight)
    right = [option for option, seen in verdicts.items() if all(seen)]
    assert right == [q.correct_index], verdicts
    assert not any(any(seen) for option, seen in verdicts.items() if option != right[0])


def check_wider_class_boundary(q: Question) -> None:
    """The explorer's setting with class 1 wider: along every ray from mu_0 the log-odds
    (Bayes' rule, scipy) change sign once, and they are positive far out in every direction."""
    assert [o.plain for o in q.options] == [
        "A closed curve around class 0: far from the means, class 1 wins in every direction.",
        "A closed curve around class 1, the wider class.",
        "A straight line between the means, moved towards class 0.",
        "A straight line, and far from the means the posterior returns to the prior pi = 0.5.",
    ]
    explorer = pgm.widgets.generative_classifier_explorer(mode="live")
    explorer.set(prior=0.5, separation=2.0, covariance="wider")
    state = explorer.state
    mean0, mean1, cov1 = state["mean0"], state["mean1"], state["cov1"]
    cov0 = np.array([[1.0, 0.3], [0.3, 0.5]])
    np.testing.assert_array_equal([mean0, mean1], [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(cov1, 2.25 * cov0, rtol=1e-15)
    np.testing.assert_allclose(state["A"], 5 / 18 * np.linalg.inv(cov0), rtol=1e-12)

    def log_odds(x):
        return class_log_odds(x, 0.5, mean0, cov0, mean1, cov1)

    angles = np.linspace(0.0, 2 * np.pi, 360, endpoint=False)
    directions = np.column_stack((np.cos(angles), np.sin(angles)))
    radii = np.linspace(0.0, 40.0, 2001)
    rays = log_odds(mean0 + radii[:, None, None] * directions[None])  # (radius, direction)
    sign_changes = np.count_nonzero(np.diff(np.sign(rays), axis=0), axis=0)
    class0_closed = bool(np.all(rays[0] < 0) and np.all(sign_changes == 1))
    far_posterior = special.expit(rays[-1])
    assert log_odds(mean1) > 0  # class 1 does win at its own mean (the feedback of B)
    class1_closed = bool(np.all(rays[-1] < 0))  # class 1 enclosed: class 0 wins far out
    line = mean0 + np.arange(-3, 4)[:, None] * np.array([0.6, 0.8])
    straight = bool(np.abs(np.diff(log_odds(line), 2)).max() < 1e-9)
    verdicts = [
        class0_closed and bool(np.all(far_posterior > 0.999)),
        class1_closed,
        straight,
        straight and bool(np.allclose(far_posterior, 0.5, atol=0.01)),
    ]
    assert state["kind"] == "ellipse, class 0 inside"  # what the explorer's readout says
    assert [k for k, hit in enumerate(verdicts) if hit] == [q.correct_index], verdicts


# --- 1.7 Concluding remarks (chapters/concluding-remarks.ipynb) --------------------------------


def check_explicit_or_implicit(q: Question) -> None:
    """Which pushforward of N(0, I_2) has a density to evaluate? Work out each law."""
    assert [o.plain for o in q.options] == [
        "X = WZ in R^3, with W a 3 x 2 matrix.",
        "X = AZ + b in R^2, with A an invertible 2 x 2 matrix.",
        "X = max(WZ + c, 0) in R^2, coordinate by coordinate (one ReLU layer).",
        "All three: each one can be sampled, so each one has a likelihood.",
    ]
    rng = np.random.default_rng(RNG_SEED)
    z = rng.standard_normal((200_000, 2))
    has_density = {}
    # A: W is 3 x 2, so the samples span a plane of R^3 (their third singular value is
    # rounding noise): a set of volume zero carries all the mass, and there is no density.
    singular = np.linalg.svd(z @ rng.normal(size=(3, 2)).T, compute_uv=False)
    assert singular[2] < 1e-12 * singular[0]
    has_density[0] = False
    # B: AZ + b with A invertible: eq. (1.5) gives a density, and it is N(b, A A^T).
    A, b = np.array([[2.0, 0.5], [-0.3, 1.0]]), np.array([1.0, -1.0])
    A_inv = np.linalg.inv(A)
    density = pgm.change_of_variables(
        stats.multivariate_normal(np.zeros(2)).pdf,
        lambda y: (y - b) @ A_inv.T,
        lambda y: np.broadcast_to(A_inv, (*y.shape, 2)),
    )
    y = z[:1000] @ A.T + b
    np.testing.assert_allclose(density(y), stats.multivariate_normal(b, A @ A.T).pdf(y), rtol=1e-10)
    has_density[1] = True
    # C: max(WZ + c, 0) sends every z with WZ + c < 0 to the point 0: an atom of probability
    # P(WZ + c <= 0) > 0 (Monte Carlo within 5 standard errors of the Gaussian CDF).
    W, c = np.array([[1.0, -0.5], [0.3, 1.2]]), np.array([-0.2, 0.1])
    x = np.maximum(z @ W.T + c, 0.0)
    at_zero = np.mean(np.all(x == 0.0, axis=1))
    exact = stats.multivariate_normal(c, W @ W.T).cdf(np.zeros(2))
    assert exact > 0.1
    assert abs(at_zero - exact) < 5 * np.sqrt(exact * (1 - exact) / len(z))
    has_density[2] = False
    # D: "all three" holds only if each of them has a density.
    has_density[3] = all(has_density[k] for k in range(3))
    assert [k for k, yes in has_density.items() if yes] == [q.correct_index]


def _split_start(fit: pgm.GaussianMixtureResult) -> tuple[np.ndarray, ...]:
    """A start with one more component: the heaviest one of `fit` split in two, half a
    standard deviation either side of its mean, each with half its weight."""
    k = int(np.argmax(fit.weights))
    half_sd = 0.5 * np.sqrt(fit.covariances[k, 0, 0])
    weights = np.append(fit.weights, fit.weights[k] / 2)
    weights[k] /= 2
    means = np.vstack([fit.means, fit.means[k] + half_sd])
    means[k] -= half_sd
    return weights, means, np.vstack([fit.covariances, fit.covariances[k : k + 1]])


def _nested_fits(X: np.ndarray, max_components: int) -> list[pgm.GaussianMixtureResult]:
    """ML fits for K = 1, 2, ...: the best EM run from five k-means++ starts and from the
    K - 1 fit with a component split (so that a poor local maximum cannot hide the nesting)."""
    fits = [pgm.gmm_em(X, 1)]
    for K in range(2, max_components + 1):
        runs = [pgm.gmm_em(X, K, rng=seed, max_iter=1000) for seed in range(5)]
        runs.append(pgm.gmm_em(X, K, init_params=_split_start(fits[-1]), max_iter=5000))
        fits.append(max(runs, key=lambda run: run.log_likelihood[-1]))
    return fits


def check_likelihood_against_components(q: Question) -> None:
    """Fit K = 1..4 to samples of a two-component mixture: how does the training score move?"""
    assert [o.plain for o in q.options] == [
        "It is largest at K = 2, the true number of components, and falls after that.",
        "It falls as K grows: more parameters are harder to estimate.",
        "It never decreases: each extra component can only help on this sample.",
    ]
    truth = ([0.35, 0.65], [[-2.0], [1.0]], [[[0.36]], [[1.44]]])  # the page's p
    holds = {0: [], 1: [], 2: []}
    for seed in range(3):
        rng = np.random.default_rng(RNG_SEED + seed)
        X, _ = pgm.sample_gmm(200, *truth, rng)
        X_new, _ = pgm.sample_gmm(5000, *truth, rng)
        fits = _nested_fits(X, 4)
        train = np.array([fit.log_likelihood[-1] for fit in fits])
        steps = np.diff(train)
        holds[0].append(int(np.argmax(train)) == 1 and bool(np.all(steps[1:] < 0)))
        holds[1].append(bool(np.all(steps < 0)))
        holds[2].append(bool(np.all(steps >= 0)))
        # The feedback's claims: a new sample is what peaks at K = 2; a weight-zero extra
        # component leaves the log-likelihood of the K = 2 fit unchanged.
        held_out = [pgm.gmm_log_likelihood(X_new, f.weights, f.means, f.covariances) for f in fits]
        assert int(np.argmax(held_out)) == 1
        two = fits[1]
        padded = pgm.gmm_log_likelihood(
            X,
            np.append(two.weights, 0.0),
            np.vstack([two.means, [[5.0]]]),
            np.vstack([two.covariances, [[[1.0]]]]),
        )
        assert padded == pytest.approx(train[1], rel=1e-12)
    right = [option for option, results in holds.items() if all(results)]
    assert right == [q.correct_index], holds
    assert not any(any(r) for option, r in holds.items() if option != right[0])


def check_reverse_kl_bimodal(q: Question) -> None:
    """Minimise KL(q||p) over (mu, sigma) from a grid of starts: expectations by the
    trapezoidal rule on a fine grid (checked against scipy's adaptive quadrature), BFGS steps."""
    assert [o.plain for o in q.options] == [
        "On one of the modes, close to N(3, 1) or to N(-3, 1), which fit equally well.",
        "Between the modes, close to N(0, 10), wide enough to cover both.",
        "At the midpoint, close to N(0, 1).",
    ]
    t = np.linspace(-12.0, 12.0, 4001)  # standardised points: x = mu + sigma t
    phi = stats.norm.pdf(t)

    def log_p(x):
        return np.logaddexp(stats.norm.logpdf(x, -3, 1), stats.norm.logpdf(x, 3, 1)) - np.log(2)

    def reverse_kl(mu, sigma):  # E_q[log q(X) - log p(X)], X = mu + sigma T, T ~ N(0, 1)
        log_q = stats.norm.logpdf(t) - np.log(sigma)
        return integrate.trapezoid(phi * (log_q - log_p(mu + sigma * t)), t)

    def forward_kl(mu, sigma):  # E_p[log p - log q], p an equal mixture of N(-3, 1), N(3, 1)
        halves = [phi * (log_p(m + t) - stats.norm.logpdf(m + t, mu, sigma)) for m in (-3, 3)]
        return 0.5 * sum(integrate.trapezoid(half, t) for half in halves)

    def fit(objective, mu0, sigma0=1.0):
        start = [mu0, np.log(sigma0)]
        result = optimize.minimize(lambda t: objective(t[0], np.exp(t[1])), start, tol=1e-12)
        return result.x[0], np.exp(result.x[1]), result.fun

    def reverse_kl_by_quad(mu, sigma):
        q_ = stats.norm(mu, sigma)
        integrand = lambda x: q_.pdf(x) * (q_.logpdf(x) - log_p(x))  # noqa: E731
        return integrate.quad(integrand, mu - 12 * sigma, mu + 12 * sigma, limit=200)[0]

    # Every local minimum reached from a grid of starts; the best of them is the fit.
    minima = [fit(reverse_kl, m, s) for m in np.linspace(-4, 4, 9) for s in (0.5, 1.0, 3.0)]
    best = min(value for _, _, value in minima)
    winners = {(round(m, 3), round(s, 3)) for m, s, value in minima if value < best + 1e-9}
    assert winners == {(2.984, 1.023), (-2.984, 1.023)}, winners  # the two modes tie
    candidates = [(3.0, 1.0), (0.0, np.sqrt(10.0)), (0.0, 1.0)]  # the options' Gaussians
    mu, sigma = max(winners)
    distances = [np.hypot(mu - m, sigma - s) for m, s in candidates]
    assert int(np.argmin(distances)) == q.correct_index and min(distances) < 0.05
    for m, s in [(mu, sigma), *candidates]:  # the quadrature rule against scipy's
        assert reverse_kl(m, s) == pytest.approx(reverse_kl_by_quad(m, s), rel=1e-8)
    # The feedback's numbers: the forward fit matches the mean 0 and variance 10 of p; the
    # reverse KL is about 0.69 on a mode, 0.94 at N(0, 10) and 2.7 at N(0, 1); a wide q at 0
    # (sigma about 2.74, about 0.84 nats) is a local minimum too: a stationary point with
    # positive curvature in mu (finite differences).
    mu_f, sigma_f, _ = fit(forward_kl, 1.0)
    assert abs(mu_f) < 1e-5 and sigma_f == pytest.approx(np.sqrt(10.0), rel=1e-5)
    assert round(best, 2) == 0.69 and best < np.log(2)
    assert round(reverse_kl(0.0, np.sqrt(10.0)), 2) == 0.94
    assert round(reverse_kl(0.0, 1.0), 1) == 2.7
    wide = [(m, s, v) for m, s, v in minima if abs(m) < 1e-4]
    assert wide and all(round(s, 2) == 2.74 and round(v, 2) == 0.84 for _, s, v in wide), wide
    _, s_wide, v_wide = wide[0]
    h = 1e-3
    assert (reverse_kl(h, s_wide) - 2 * v_wide + reverse_kl(-h, s_wide)) / h**2 > 0.1


#: Question name -> the function that checks its key.
KEY_CHECKS: dict[str, Callable[[Question], None]] = {
    "cross_entropy_minimiser": check_cross_entropy_minimiser,
    # 1.3 The pushforward measure
    "square_map_density": check_square_map_density,
    "stretched_density": check_stretched_density,
    "coupling_area_factor": check_coupling_area_factor,
    # 1.4 Likelihood-based training
    "likelihood_not_a_density": check_likelihood_not_a_density,
    "em_lower_bound_guarantee": check_em_lower_bound_guarantee,
    "differential_entropy_sign": check_differential_entropy_sign,
    "kl_infinite_under_truncation": check_kl_infinite_under_truncation,
    # page 1.6
    "divergence_hierarchy_guarantee": check_divergence_hierarchy_guarantee,
    "kl_direction_missing_mode": check_kl_direction_missing_mode,
    "kl_flow_best_width": check_kl_flow_best_width,
    "ml_wrong_model_limit": check_ml_wrong_model_limit,
    # page 1.2
    "shared_covariance_prior_shift": check_shared_covariance_prior_shift,
    "wider_class_boundary": check_wider_class_boundary,
    # 1.7 Concluding remarks
    "explicit_or_implicit": check_explicit_or_implicit,
    "likelihood_against_components": check_likelihood_against_components,
    "reverse_kl_bimodal": check_reverse_kl_bimodal,
}


# --- tests -------------------------------------------------------------------------------------


def test_the_book_has_questions():
    assert question_cells(), "no chapter builds a self-check question"


def test_every_question_has_a_key_check():
    names = set(chapter_questions())
    assert names - set(KEY_CHECKS) == set(), (
        f"questions without a key check: {sorted(names - set(KEY_CHECKS))}; add one to "
        "KEY_CHECKS in tests/test_question_keys.py"
    )
    assert set(KEY_CHECKS) - names == set(), (
        f"key checks for questions no chapter has: {sorted(set(KEY_CHECKS) - names)}"
    )


@pytest.mark.parametrize("name", sorted(KEY_CHECKS))
def test_question_key_is_right(name):
    questions = chapter_questions()
    assert name in questions, f"no chapter has the question {name!r}"
    KEY_CHECKS[name](questions[name])
