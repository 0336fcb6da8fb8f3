"""Explorers for section 1.4: the MLE's large-sample behaviour (Example 1.4), EM (Example 1.6)."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import StepPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from .. import likelihood, mixture
from .._validation import as_scalar, check_count, check_positive
from ..plotting._style import OKABE_ITO, add_note
from ..pushforward import gaussian_source
from ._core import (
    LEGEND,
    ZERO_TOLERANCE,
    Explorer,
    FigureView,
    choice,
    format_number,
    format_vector,
    freeze_widest_layout,
    nice_ceil,
    slider,
)

__all__ = ["gmm_em_explorer", "mle_explorer"]

_BLUE, _ORANGE, _GREEN = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]
_RED, _PURPLE, _GREY = OKABE_ITO["vermillion"], OKABE_ITO["purple"], OKABE_ITO["grey"]

# ============================================================================================
# MLE: consistency and asymptotic normality (Example 1.4, section 1.4)
# ============================================================================================

#: Sample sizes N of the slider (data sets of N pairs each); >= 3 so that Var(a_hat) is finite.
_N_VALUES = np.array(
    [3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400,
     500, 600, 800, 1000]
)  # fmt: skip
_N_STATIC = [3, 5, 10, 20, 50, 100, 200, 500, 1000]
_MLE_SEED = 104
_N_BINS = 48
#: The standardised view spans +/- this many asymptotic standard deviations.
_Z_REACH = 4.0
_PARAMETERS = ("a", "sigma2")


class _Replicates:
    """The MLEs of ``n_replicates`` seeded data sets for every N of the slider, drawn once."""

    def __init__(self, a: float, sigma2: float, n_replicates: int) -> None:
        self.a, self.sigma2, self.n_replicates = a, sigma2, n_replicates
        self.inverse_fisher = np.diag(
            np.linalg.inv(likelihood.regression_fisher_information(sigma2))
        )
        self.estimates: dict[int, np.ndarray] = {}
        for n in _N_VALUES:
            rng = np.random.default_rng([_MLE_SEED, int(n)])
            fit = likelihood.sample_regression_mle(a, sigma2, int(n), n_replicates, rng)
            self.estimates[int(n)] = np.vstack(fit)  # (2, n_replicates): a_hat, sigma2_hat
        self.sd = np.array([self.estimates[int(n)].std(axis=1) for n in _N_VALUES]).T
        # Fixed windows of the "consistency" view: the asymptotic +/- 4 sd of the smallest N
        # (a variance estimate is never negative: that window starts at 0).
        reach = [4 * self.asymptotic_sd(i, int(_N_VALUES[0])) for i in range(2)]
        self.fixed = [(a - reach[0], a + reach[0]), (0.0, sigma2 + reach[1])]

    def truth(self, index: int) -> float:
        return (self.a, self.sigma2)[index]

    def asymptotic_sd(self, index: int, n: int) -> float:
        """sqrt([I(theta)^-1]_ii / N): the sd of the asymptotic law N(theta, I^-1 / N)."""
        return math.sqrt(self.inverse_fisher[index] / n)


def _make_mle_state(replicates: _Replicates):
    def compute(params: dict[str, Any]) -> dict[str, Any]:
        n = int(params["n"])
        estimates = replicates.estimates[n]
        standardised = params["axes"] == "standardised"
        state: dict[str, Any] = {"n_obs": n}
        for i, name in enumerate(_PARAMETERS):
            truth, sd_limit = replicates.truth(i), replicates.asymptotic_sd(i, n)
            if standardised:  # sqrt(N) (theta_hat - theta) / sqrt([I^-1]_ii) ~ N(0, 1)
                values, law = (estimates[i] - truth) / sd_limit, gaussian_source(0.0, 1.0)
                edges = np.linspace(-_Z_REACH, _Z_REACH, _N_BINS + 1)
            else:
                values, law = estimates[i], gaussian_source(truth, sd_limit)
                edges = np.linspace(*replicates.fixed[i], _N_BINS + 1)
            counts, _ = np.histogram(values, bins=edges)
            width = edges[1] - edges[0]
            state.update(
                {
                    f"{name}_edges": edges,
                    f"{name}_density": counts / (values.size * width),
                    f"{name}_law": np.diff(law.cdf(edges)) / width,
                    f"{name}_mean": float(estimates[i].mean()),
                    f"{name}_sd": float(estimates[i].std()),
                    f"{name}_sd_limit": sd_limit,
                    f"{name}_outside": float(1.0 - counts.sum() / values.size),
                }
            )
        return state

    return compute


#: Heights of the histograms' axes (few distinct values: a change of limits redraws the whole
#: figure instead of blitting); above the last, :func:`nice_ceil`.
_DENSITY_TOPS = (0.6, 1.0, 1.5, 2.5, 4.0, 6.0, 10.0, 15.0)


class _MLEView(FigureView):
    """The two histograms side by side above the spread against N, 6.5 in (585 px) wide.

    The legend of the histograms is above them, that of the spread panel right of it: neither
    covers data. The layout is computed once, with room for the widest tick labels. A move of N
    changes the histograms' limits: only they are drawn again (``panels``), not the spread
    panel and the legend.
    """

    width, height, nrows, ncols = 6.5, 4.3, 2, 2
    #: The histograms' shares of the figure: each with its labels, the left one ending left of
    #: 0.41 of the width, the right one starting right of 0.42; both above 0.42 of the height.
    panels: ClassVar = {0: (0.0, 0.415, 0.4145, 1.0), 1: (0.4145, 0.415, 1.0, 1.0)}

    def __init__(self, replicates: _Replicates) -> None:
        self.replicates = replicates
        super().__init__()

    _LABELS: ClassVar[dict[str, tuple[str, str]]] = {
        "fixed": (r"slope $\hat a$", r"noise variance $\hat\sigma^2$"),
        "standardised": (
            r"$\sqrt{N}\,(\hat a - a)\,/\,\sqrt{[I(\theta)^{-1}]_{11}}$",
            r"$\sqrt{N}\,(\hat\sigma^2 - \sigma^2)\,/\,\sqrt{[I(\theta)^{-1}]_{22}}$",
        ),
    }

    def setup(self) -> None:
        grid = self.axes[0, 0].get_subplotspec().get_gridspec()
        grid.set_height_ratios((1.2, 1.0))
        for ax in self.axes[1]:
            ax.remove()
        self.axes = [*self.axes[0], self.figure.add_subplot(grid[1, :])]
        self.axes_mode = "fixed"
        self._setup_histograms()
        self.axes[0].set_ylabel("density")
        self._setup_spread(self.axes[2])
        self.animate(*self.hists, *self.laws, *self.texts, self.cursor, *self.spread_marks)
        # the widest tick labels of the histograms: both modes' x windows, and the y labels
        # "0.6" and "10.0" (tops 0.6 and 10)
        windows = (self.replicates.fixed, [(-_Z_REACH, _Z_REACH)] * 2)
        widest = [
            {i: (window[i], (0.0, top)) for i in range(2)}
            for window in windows
            for top in (0.6, 10.0)
        ]
        freeze_widest_layout(self.figure, widest)

    def _setup_histograms(self) -> None:
        """Top: each estimator's histogram, its limit law, the true value, a note; the legend."""
        self.hists, self.laws, self.texts, self.truths = [], [], [], []
        edges = np.linspace(0, 1, _N_BINS + 1)
        for i, ax in enumerate(self.axes[:2]):
            truth = self.replicates.truth(i)
            self.hists.append(
                ax.add_patch(
                    StepPatch(
                        np.zeros(_N_BINS),
                        edges,
                        fill=True,
                        facecolor=_BLUE if i == 0 else _ORANGE,
                        alpha=0.55,
                        edgecolor="none",
                    )
                )
            )
            self.laws.append(ax.stairs(np.zeros(_N_BINS), edges, color="black", linewidth=1.8))
            self.truths.append(ax.axvline(truth, color=_RED, linestyle="--", linewidth=1.5))
            ax.set_xlabel(self._LABELS["fixed"][i])
            ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
            self.texts.append(add_note(ax, 0.03, 0.97, fontsize=9))
        self.figure.legend(
            handles=[tuple(self.hists), self.laws[0], self.truths[0]],
            labels=["MLEs of the data sets", "limit law", "true value"],
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.0)},
            loc="outside upper center",
            ncols=3,
            fontsize=9.5,
            handlelength=2.4,
        )

    def _setup_spread(self, spread: Any) -> None:
        """Bottom: the estimators' standard deviations against N with the asymptotic lines."""
        reps, n = self.replicates, _N_VALUES.astype(float)
        for i, (colour, marker, label) in enumerate(
            ((_BLUE, "o", r"sd of $\hat a$"), (_ORANGE, "s", r"sd of $\hat\sigma^2$"))
        ):
            spread.plot(n, reps.sd[i], marker, color=colour, markersize=4.5, label=label)
            limit = np.sqrt(reps.inverse_fisher[i] / n)
            spread.plot(n, limit, color=colour, linewidth=1.4, linestyle=(0, (5, 2)))
        spread.plot(
            [], [], color=_GREY, linestyle=(0, (5, 2)), label=r"$\sqrt{[I(\theta)^{-1}]_{ii}/N}$"
        )
        self.spread_marks = [
            spread.plot([], [], marker, color=c, markersize=10, markeredgecolor="black")[0]
            for c, marker in ((_BLUE, "o"), (_ORANGE, "s"))
        ]
        self.cursor = spread.axvline(10, color="black", linestyle=":", linewidth=1.2)
        spread.set_xscale("log")
        spread.set_yscale("log")
        spread.set_xlim(2.5, 1250)
        low = 0.8 * float(np.min(reps.sd))
        high = 1.25 * float(max(np.max(reps.sd), np.sqrt(reps.inverse_fisher.max() / n[0])))
        spread.set_ylim(low, high)
        # plain tick labels ("0.1", "100"): cheaper to draw than mathtext powers of ten
        plain = FuncFormatter(lambda value, _: format_number(value))
        for axis in (spread.xaxis, spread.yaxis):
            axis.set_major_formatter(plain)
            axis.set_minor_formatter(NullFormatter())
        spread.set_xlabel("sample size $N$")
        spread.set_ylabel("standard deviation")
        spread.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=9.5, borderaxespad=0)

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        n, mode = int(params["n"]), params["axes"]
        if mode != self.axes_mode:  # labels and truth lines are in the cached background
            self.axes_mode = mode
            for i in range(2):
                x = 0.0 if mode == "standardised" else self.replicates.truth(i)
                self.truths[i].set_xdata([x, x])
                self.axes[i].set_xlabel(self._LABELS[mode][i])
            self.invalidate()
        for i, name in enumerate(_PARAMETERS):
            ax = self.axes[i]
            edges = state[f"{name}_edges"]
            self.hists[i].set_data(state[f"{name}_density"], edges)
            self.laws[i].set_data(state[f"{name}_law"], edges)
            ax.set_xlim(edges[0], edges[-1])
            top = 1.15 * max(state[f"{name}_density"].max(), state[f"{name}_law"].max())
            ax.set_ylim(0, next((t for t in _DENSITY_TOPS if t >= top), nice_ceil(top)))
            self.texts[i].set_text(
                f"sd {format_number(state[f'{name}_sd'], 3)}\n"
                f"limit {format_number(state[f'{name}_sd_limit'], 3)}"
            )
        self.cursor.set_xdata([n, n])
        column = int(np.flatnonzero(_N_VALUES == n)[0])
        for i, mark in enumerate(self.spread_marks):
            mark.set_data([n], [self.replicates.sd[i, column]])


def _make_mle_readout(replicates: _Replicates):
    def readout(params: dict[str, Any], state: dict[str, Any]) -> str:
        n = int(params["n"])
        bias = (n - 1) / n * replicates.sigma2
        text = (
            f"{replicates.n_replicates} data sets of N = {n} pairs from Example 1.4 with a = "
            f"{format_number(replicates.a)}, σ² = {format_number(replicates.sigma2)}, "
            "x ~ N(0, 1). "
            f"Slope: mean of â {format_number(state['a_mean'])}, sd "
            f"<b>{format_number(state['a_sd'])}</b> (asymptotic √(σ²/N) = "
            f"{format_number(state['a_sd_limit'])}). Noise variance: mean of σ̂² "
            f"{format_number(state['sigma2_mean'])} (exactly (N−1)σ²/N = {format_number(bias)} "
            f"in expectation: the MLE is biased, but consistent), sd "
            f"<b>{format_number(state['sigma2_sd'])}</b> (asymptotic √(2σ⁴/N) = "
            f"{format_number(state['sigma2_sd_limit'])})."
        )
        outside = max(state["a_outside"], state["sigma2_outside"])
        if outside > 0:
            text += (
                f" Up to {format_number(100 * outside, 2)}% of the estimates fall outside the "
                "plotted range."
            )
        return text

    return readout


def _make_mle_alt(replicates: _Replicates):
    def alt(params: dict[str, Any], state: dict[str, Any]) -> str:
        n = int(params["n"])
        return (
            f"Histograms of the maximum-likelihood estimates of the slope and of the noise "
            f"variance over {replicates.n_replicates} simulated data sets of N = {n} pairs, "
            f"each with the asymptotic normal law N(θ, I(θ)⁻¹/N) drawn as a black outline "
            f"({'on fixed axes' if params['axes'] == 'fixed' else 'standardised'}); "
            f"right, the standard deviations of both estimators against N on log-log axes "
            f"with the asymptotic lines, N = {n} marked."
        )

    return alt


def mle_explorer(
    mode: str | None = None, *, a: float = 2.0, sigma2: float = 1.0, n_replicates: int = 2000
) -> Explorer:
    """Explorer of the MLE's properties (section 1.4) on the regression of Example 1.4.

    For each sample size N of the slider, ``n_replicates`` seeded data sets of N pairs
    :math:`x_n \\sim \\mathcal{N}(0, 1)`, :math:`y_n = a x_n + \\epsilon_n` are drawn and fitted
    by maximum likelihood (:func:`pgmlib.sample_regression_mle`, all drawn once when the
    explorer is built). Left and middle: histograms of :math:`\\hat a` and
    :math:`\\hat\\sigma^2` with the asymptotic law :math:`\\mathcal{N}(\\theta,
    I(\\theta)^{-1}/N)` (:func:`pgmlib.regression_fisher_information`), both as densities
    averaged over the same bins. Right: the standard deviations of both estimators against N
    on log-log axes, with the lines :math:`\\sqrt{[I(\\theta)^{-1}]_{ii}/N}` of slope -1/2.

    The ``axes`` toggle buttons either show the estimates on fixed axes (the histograms narrow
    as N grows: consistency) or standardise them, :math:`\\sqrt{N}(\\hat\\theta_i - \\theta_i)
    / \\sqrt{[I(\\theta)^{-1}]_{ii}}`, against :math:`\\mathcal{N}(0, 1)` on
    :math:`[-4, 4]` (the shapes approach the normal law: asymptotic normality; for small N,
    :math:`\\hat\\sigma^2` is visibly skewed, a scaled :math:`\\chi^2_{N-1}`).

    The figure is 6.5 in (585 px) wide: the histograms side by side above the spread panel,
    the legends outside the data.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".
    a : float, default 2
        True slope.
    sigma2 : float, default 1
        True noise variance (> 0). With :math:`\\sigma^2 = 1`,
        :math:`I(\\theta)^{-1} = \\mathrm{diag}(1, 2)`.
    n_replicates : int, default 2000
        Data sets per sample size (>= 10).

    Returns
    -------
    Explorer
        Controls ``n`` (3 to 1000) and ``axes`` ("fixed" or "standardised"); ``state`` holds, for
        ``a`` and ``sigma2``, the histogram (``*_edges``, ``*_density``), the asymptotic law on
        the same bins (``*_law``), the estimators' ``*_mean`` and ``*_sd`` and the asymptotic
        ``*_sd_limit``. Static: 9 sample sizes x 2 axes = 18 frames.

    Raises
    ------
    ValueError
        If ``sigma2`` is not positive or ``n_replicates`` < 10.

    Examples
    --------
    >>> explorer = mle_explorer(mode="live", n_replicates=400)
    >>> explorer.set(n=1000)
    >>> state = explorer.state
    >>> bool(abs(state["a_sd"] / state["a_sd_limit"] - 1) < 0.15)  # sd close to sqrt(1/N)
    True
    """
    a = as_scalar(a, "a")
    sigma2 = float(check_positive(as_scalar(sigma2, "sigma2"), "sigma2"))
    n_replicates = check_count(n_replicates, "n_replicates", minimum=10)
    replicates = _Replicates(a, sigma2, n_replicates)
    controls = [
        slider(
            "n",
            _N_VALUES,
            value=10,
            description="sample size N",
            fmt="{:.0f}",
            static_grid=_N_STATIC,
        ),
        choice(
            "axes",
            {"fixed axes": "fixed", "standardised": "standardised"},
            description="axes",
        ),
    ]
    return Explorer(
        controls,
        _make_mle_state(replicates),
        _MLEView(replicates),
        readout=_make_mle_readout(replicates),
        alt=_make_mle_alt(replicates),
        mode=mode,
        name="mle",
    )


# ============================================================================================
# EM for a Gaussian mixture (Example 1.6)
# ============================================================================================

#: The mixture the data are drawn from (the one of the section's own EM demonstration).
_TRUE_WEIGHTS = np.array([0.5, 0.3, 0.2])
_TRUE_MEANS = np.array([[-2.0, 0.0], [1.5, 1.5], [2.0, -2.0]])
_TRUE_COVARIANCES = np.array(
    [[[1.0, 0.4], [0.4, 0.6]], [[0.5, 0.0], [0.0, 0.5]], [[0.4, -0.2], [-0.2, 0.8]]]
)
_GMM_SEED = 0
_GMM_SAMPLES = 400
_EM_ITERATIONS = 60
_EM_STATIC = [0, 1, 2, 3, 5, 10, 20, 28, 31, 33, 35, 40, 60]
#: The numbers of components K of the explorer.
_EM_COMPONENTS = (2, 3, 4)
_REG_COVAR = 1e-6
_SUBSCRIPTS = "₁₂₃₄"
_COMPONENT_COLOURS = np.array(
    [
        [int(OKABE_ITO[name][i : i + 2], 16) / 255 for i in (1, 3, 5)]
        for name in ("blue", "vermillion", "green", "purple")
    ]
)
#: Unit circle for the ellipses {x : (x - mu)' Sigma^-1 (x - mu) = r^2}.
_CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 73)), np.sin(np.linspace(0, 2 * np.pi, 73))])


class _EMPath:
    """EM from a deliberately poor start, run once per number of components and kept.

    :func:`pgmlib.gmm_em_path`: iteration t holds the parameters theta_t (t = 0 is the start),
    the responsibilities of the E-step at theta_t and the log-likelihood l(theta_t) of
    eq. (1.15), from the same loop as :func:`pgmlib.gmm_em`.
    """

    def __init__(self) -> None:
        self.X, self.labels = mixture.sample_gmm(
            _GMM_SAMPLES, _TRUE_WEIGHTS, _TRUE_MEANS, _TRUE_COVARIANCES, rng=_GMM_SEED
        )
        self.true_log_likelihood = mixture.gmm_log_likelihood(
            self.X, _TRUE_WEIGHTS, _TRUE_MEANS, _TRUE_COVARIANCES
        )
        self.paths: dict[int, mixture.GaussianMixturePath] = {}

    def __call__(self, n_components: int) -> mixture.GaussianMixturePath:
        if n_components not in self.paths:
            self.paths[n_components] = mixture.gmm_em_path(
                self.X,
                n_components,
                _EM_ITERATIONS,
                init_params=self._start(n_components),
                reg_covar=_REG_COVAR,
            )
        return self.paths[n_components]

    def _start(self, K: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Equal weights, means at K random data points, every component as wide as the data."""
        rng = np.random.default_rng([_GMM_SEED, K])
        weights = np.full(K, 1.0 / K)
        means = self.X[rng.choice(self.X.shape[0], size=K, replace=False)]
        spread = np.cov(self.X.T, bias=True)
        return weights, means, np.broadcast_to(spread, (K, 2, 2)).copy()


def _make_em_state(em: _EMPath):
    def compute(params: dict[str, Any]) -> dict[str, Any]:
        K, t = int(params["n_components"]), int(params["iteration"])
        path = em(K)
        ll = path.log_likelihood
        return {
            "weights": path.weights[t],
            "means": path.means[t],
            "covariances": path.covariances[t],
            "responsibilities": path.responsibilities[t],
            "log_likelihood": float(ll[t]),
            "log_likelihood_path": ll,
            "gain": float(ll[t] - ll[t - 1]) if t else 0.0,
            "smallest_gain": float(np.diff(ll).min()),
            "true_log_likelihood": float(em.true_log_likelihood),
        }

    return compute


class _EMView(FigureView):
    """The data coloured by responsibility beside the log-likelihood trace, 6.5 in (585 px)
    wide. The trace's axes span every K's path, so that no move changes a limit (every move
    blits) and the layout of the first draw is kept; its legend sits above it."""

    width, height, ncols = 6.5, 3.3, 2
    width_ratios = (1.2, 1.0)
    freeze_layout = True

    def __init__(self, em: _EMPath) -> None:
        self.em = em
        super().__init__()

    def setup(self) -> None:
        scatter, trace = self.axes
        self._setup_scatter(scatter)
        self._setup_trace(trace)
        self.animate(
            self.points,
            *self.ellipses,
            *self.centres,
            *self.weight_labels,
            self.trace,
            self.current,
        )

    def _setup_scatter(self, scatter: Any) -> None:
        """The data (coloured by responsibility on each move), each component's ellipse, mean
        and weight."""
        X = self.em.X
        self.points = scatter.scatter(
            X[:, 0], X[:, 1], s=12, c=np.zeros((X.shape[0], 3)), linewidths=0
        )
        self.ellipses = [
            scatter.plot([], [], color=c, linewidth=2.2)[0] for c in _COMPONENT_COLOURS
        ]
        self.centres = [
            scatter.plot([], [], "X", color=c, markersize=11, markeredgecolor="white")[0]
            for c in _COMPONENT_COLOURS
        ]
        self.weight_labels = [
            scatter.text(
                0.02,
                0.98 - 0.085 * k,
                "",
                color="black",  # dark text (readable); the component colour frames it
                fontsize=9,
                ha="left",
                va="top",
                fontweight="bold",
                transform=scatter.transAxes,
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "edgecolor": c,
                    "linewidth": 1.8,
                },
            )
            for k, c in enumerate(_COMPONENT_COLOURS)
        ]
        low, high = X.min(axis=0), X.max(axis=0)
        pad = 0.08 * (high - low)
        scatter.set_xlim(low[0] - pad[0], high[0] + pad[0])
        scatter.set_ylim(low[1] - pad[1], high[1] + pad[1])
        scatter.set_aspect("equal", adjustable="box")
        scatter.set_xlabel("$x_1$")
        scatter.set_ylabel("$x_2$")

    def _setup_trace(self, trace: Any) -> None:
        """The log-likelihood per point along the iterations, and its value at the truth, on
        axes that hold the path of every number of components."""
        n = self.em.X.shape[0]
        reference = self.em.true_log_likelihood / n
        trace.axhline(
            reference, color=_GREY, linestyle="--", linewidth=1.4, label="at the true parameters"
        )
        (self.trace,) = trace.plot([], [], color=_BLUE, marker="o", markersize=3, label="EM")
        (self.current,) = trace.plot(
            [], [], "o", color=_ORANGE, markersize=10, markeredgecolor="black"
        )
        paths = [self.em(K).log_likelihood / n for K in _EM_COMPONENTS]
        low = min(reference, *(path.min() for path in paths))
        high = max(reference, *(path.max() for path in paths))
        span = high - low
        trace.set_ylim(low - 0.06 * span, high + 0.08 * span)
        trace.set_xlim(-1, _EM_ITERATIONS + 1)
        trace.set_xlabel("iteration $t$")
        trace.set_ylabel(r"$l(\theta_t)\,/\,N$, eq. (1.15)")
        trace.legend(
            **LEGEND, loc="lower right", bbox_to_anchor=(1.0, 1.01), borderaxespad=0, fontsize=9
        )

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        K, t = int(params["n_components"]), int(params["iteration"])
        colours = _COMPONENT_COLOURS[:K]
        self.points.set_facecolors(np.clip(state["responsibilities"] @ colours, 0, 1))
        for k in range(len(_COMPONENT_COLOURS)):
            shown = k < K
            for artist in (self.ellipses[k], self.centres[k], self.weight_labels[k]):
                artist.set_visible(shown)
            if not shown:
                continue
            mean, cov = state["means"][k], state["covariances"][k]
            outline = mean[:, None] + 2.0 * np.linalg.cholesky(cov) @ _CIRCLE
            self.ellipses[k].set_data(*outline)
            self.centres[k].set_data([mean[0]], [mean[1]])
            weight = format_number(state["weights"][k], 3)
            self.weight_labels[k].set_text(f"π{_SUBSCRIPTS[k]} = {weight}")
        ll = state["log_likelihood_path"] / self.em.X.shape[0]
        self.trace.set_data(np.arange(ll.size), ll)
        self.current.set_data([t], [ll[t]])


def _em_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    K, t = int(params["n_components"]), int(params["iteration"])
    ll = state["log_likelihood_path"]
    n = state["responsibilities"].shape[0]
    scale = float(np.abs(ll).max())  # gains below ZERO_TOLERANCE * scale are rounding error
    gain = (
        "the start (iteration 0)"
        if t == 0
        else f"the gain over iteration {t - 1} is {format_number(state['gain'], scale=scale)}"
    )
    smallest = state["smallest_gain"]
    never = (
        "every gain along the path is ≥ 0"
        if smallest >= -ZERO_TOLERANCE * scale
        else f"the log-likelihood DEcreases somewhere (smallest gain {format_number(smallest)})"
    )
    return (
        f"Iteration {t} of EM with K = {K} on {n} points: l(θ_t) = "
        f"<b>{format_number(state['log_likelihood'], 6)}</b> (eq. 1.15; "
        f"{format_number(ll[-1], 6)} after {ll.size - 1} iterations, "
        f"{format_number(state['true_log_likelihood'], 6)} at the parameters that generated the "
        f"data); {gain}: {never}. Weights π = {format_vector(state['weights'], 3)}. Each point "
        "is coloured by its responsibilities, a mix of the component colours; ellipses: "
        "2 standard deviations."
    )


def _em_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    K, t = int(params["n_components"]), int(params["iteration"])
    return (
        f"Left: {state['responsibilities'].shape[0]} points of a two-dimensional data set, "
        f"coloured by their responsibilities for {K} Gaussian components at EM iteration {t}, "
        f"with each component's mean (a cross) and two-standard-deviation ellipse. Right: the "
        f"log-likelihood per point over {_EM_ITERATIONS} EM iterations, nondecreasing, "
        f"iteration {t} marked at {format_number(state['log_likelihood'], 6)}."
    )


def gmm_em_explorer(mode: str | None = None) -> Explorer:
    """Explorer of EM for a Gaussian mixture (Example 1.6), one iteration at a time.

    A seeded data set of 400 points is drawn from a three-component mixture in the plane
    (:func:`pgmlib.sample_gmm`). EM starts from a deliberately poor guess (equal weights,
    every covariance equal to the whole data set's, means at K random data points) and
    alternates the E-step (responsibilities, eq. (1.18)) and the M-step (weights, means and
    covariances) for 60 iterations (:func:`pgmlib.gmm_em_path`, precomputed once per K).
    Left: the points coloured by their responsibilities (a mix of the component colours), each
    component's mean and two-standard-deviation ellipse, and its weight. Right: the
    log-likelihood (1.15) per point along the iterations, with the current one marked and the
    value at the generating parameters dashed: it never decreases.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``iteration`` (0 to 60) and ``n_components`` (2, 3 or 4); ``state`` holds
        ``weights``, ``means``, ``covariances``, ``responsibilities``, ``log_likelihood``,
        the whole ``log_likelihood_path``, the ``gain`` of the current iteration and
        ``true_log_likelihood``. Static: 13 iterations x 3 values of K = 39 frames.

    Examples
    --------
    >>> explorer = gmm_em_explorer(mode="live")
    >>> path = explorer.state["log_likelihood_path"]
    >>> bool(np.all(np.diff(path) >= -1e-9 * abs(path[-1])))  # EM never lowers (1.15)
    True
    >>> explorer.set(iteration=60)
    >>> explorer.state["log_likelihood"] > explorer.state["true_log_likelihood"]
    True
    """
    em = _EMPath()
    controls = [
        slider(
            "iteration",
            np.arange(_EM_ITERATIONS + 1),
            value=0,
            description="EM iteration t",
            fmt="{:.0f}",
            static_grid=_EM_STATIC,
        ),
        choice(
            "n_components",
            {"2": 2, "3 (as generated)": 3, "4": 4},
            value=3,
            description="components K",
        ),
    ]
    return Explorer(
        controls,
        _make_em_state(em),
        _EMView(em),
        readout=_em_readout,
        alt=_em_alt,
        mode=mode,
        name="gmm_em",
    )
