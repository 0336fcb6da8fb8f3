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
from scipy import optimize, special, stats

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


#: Question name -> the function that checks its key.
KEY_CHECKS: dict[str, Callable[[Question], None]] = {
    "cross_entropy_minimiser": check_cross_entropy_minimiser,
    # page 1.6
    "divergence_hierarchy_guarantee": check_divergence_hierarchy_guarantee,
    "kl_direction_missing_mode": check_kl_direction_missing_mode,
    "kl_flow_best_width": check_kl_flow_best_width,
    "ml_wrong_model_limit": check_ml_wrong_model_limit,
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
