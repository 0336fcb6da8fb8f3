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


# --- 1.7 Concluding remarks (chapters/concluding-remarks.ipynb) --------------------------------


def check_explicit_or_implicit(q: Question) -> None:
    """Which pushforward of N(0, I_2) has a density to evaluate? Work out each law."""
    from scipy import stats

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
    from scipy import integrate, stats

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
