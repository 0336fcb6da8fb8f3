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
from scipy import optimize, special

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


#: Question name -> the function that checks its key.
KEY_CHECKS: dict[str, Callable[[Question], None]] = {
    "cross_entropy_minimiser": check_cross_entropy_minimiser,
    "differential_entropy_sign": check_differential_entropy_sign,
    "kl_infinite_under_truncation": check_kl_infinite_under_truncation,
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
