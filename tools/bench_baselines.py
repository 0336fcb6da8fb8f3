"""Straightforward redraws, the baselines the explorers are measured against (tools/bench.py).

Each function does what a first attempt at an explorer would do on every slider move: draw
fresh samples, build a new figure from scratch with the usual matplotlib calls (``hist``,
``fill_between``, ``plot``), and encode it as a PNG. The figures show the same content as the
explorers, at a similar size; the numbers still come from pgmlib. Each is registered under the
name of its explorer in pgmlib.widgets.EXPLORERS (the function's own name) by ``@baseline``.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

import pgmlib as pgm
from pgmlib.widgets import EXPLORERS

SIZE = (9.6, 3.4)
DPI = 90
_move = itertools.count()

#: Explorer name -> its straightforward redraw (one move; returns the PNG).
BASELINES: dict[str, Callable[[], bytes]] = {}


def baseline(redraw: Callable[[], bytes]) -> Callable[[], bytes]:
    """Register ``redraw`` as the baseline of the explorer it is named after."""
    if redraw.__name__ not in EXPLORERS:
        raise ValueError(
            f"a baseline is named after a registered explorer ({sorted(EXPLORERS)}); "
            f"got {redraw.__name__!r}"
        )
    BASELINES[redraw.__name__] = redraw
    return redraw


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@baseline
def pushforward() -> bytes:
    """N(mu, 1) through x**2: resample 300,000 points, rebuild the stacked histogram."""
    mu = 0.25 * (next(_move) % 5)
    source = pgm.gaussian_source(mu, 1.0)
    x = np.random.default_rng().normal(mu, 1.0, size=300_000)
    y = x**2
    edges = pgm.quantile_bin_edges(source, 10)
    source_bin = np.clip(np.searchsorted(edges, x) - 1, 0, 9)
    fig = Figure(figsize=SIZE, dpi=DPI)
    left, right = fig.subplots(1, 2)
    grid = np.linspace(mu - 4, mu + 4, 400)
    for k in range(10):
        inside = (grid >= max(edges[k], grid[0])) & (grid <= min(edges[k + 1], grid[-1]))
        left.fill_between(grid[inside], source.pdf(grid[inside]))
    left.plot(grid, source.pdf(grid), color="k")
    top = np.quantile(y, 0.995)
    right.hist(
        [y[source_bin == k] for k in range(10)],
        bins=np.linspace(0, top, 61),
        stacked=True,
        weights=[np.full((source_bin == k).sum(), 1 / y.size) for k in range(10)],
    )
    t = np.linspace(1e-3, top, 400)
    density = pgm.square_map().pushforward_pdf(source)(t)
    right.plot(t, density * top / 60, color="k")
    return _png(fig)


@baseline
def entropy() -> bytes:
    """Bernoulli entropy curve with its point, a pmf against log K, cross-entropy bars."""
    theta = 0.05 + 0.1 * (next(_move) % 9)
    fig = Figure(figsize=SIZE, dpi=DPI)
    a, b, c = fig.subplots(1, 3)
    grid = np.linspace(0, 1, 401)
    a.plot(grid, pgm.binary_entropy(grid))
    a.plot([theta], [pgm.binary_entropy(theta)], "o")
    p = np.array([theta, 1 - theta, 1, 1, 1, 1], dtype=float)
    p /= p.sum()
    q = np.full(6, 1 / 6)
    b.bar(range(6), p)
    b.axhline(pgm.entropy(p))
    b.axhline(np.log(6), linestyle="--")
    c.bar([0, 1, 2], [pgm.entropy(p), pgm.cross_entropy(p, q), pgm.kl_divergence(p, q)])
    return _png(fig)


@baseline
def kl_asymmetry() -> bytes:
    """p = N(0, 1), q = N(mu, v^2): both densities and both KL curves over v."""
    v = 0.3 + 0.2 * (next(_move) % 10)
    mu = 0.5
    fig = Figure(figsize=SIZE, dpi=DPI)
    left, right = fig.subplots(1, 2)
    x = np.linspace(-6, 6, 600)
    left.plot(x, pgm.gaussian_source().pdf(x))
    left.plot(x, pgm.gaussian_source(mu, v).pdf(x))
    vs = np.linspace(0.2, 3.0, 400)
    right.plot(vs, pgm.kl_gaussian(0.0, 1.0, mu, vs))
    right.plot(vs, pgm.kl_gaussian(mu, vs, 0.0, 1.0))
    right.plot([v, v], [pgm.kl_gaussian(0.0, 1.0, mu, v), pgm.kl_gaussian(mu, v, 0.0, 1.0)], "o")
    right.legend(["KL(p‖q)", "KL(q‖p)"])
    return _png(fig)
