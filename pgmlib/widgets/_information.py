"""Explorer for section 1.5: entropy, its maximum log K, and the cross-entropy gap (Figure 1.3)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import information
from ..information import tilted_pmf
from ..plotting._information import plot_binary_entropy
from ..plotting._style import OKABE_ITO
from ._core import (
    LEGEND,
    Explorer,
    ExplorerGroup,
    FigureView,
    format_number,
    format_vector,
    slider,
)

__all__ = ["entropy_explorer"]

_THETA = np.linspace(0.0, 1.0, 401)
_K_MAX = 10
_K_CROSS = 4
#: A legend above its axes, its entries in one row: never over a bar.
_LEGEND_ABOVE = {"loc": "lower center", "bbox_to_anchor": (0.5, 1.0), "frameon": False, "ncols": 2}


# -- part 1: Bernoulli (Example 1.7, Figure 1.3) ------------------------------------------------


def _bernoulli_state(params: dict[str, Any]) -> dict[str, Any]:
    theta = float(params["theta"])
    return {
        "theta": theta,
        "binary_entropy": float(information.binary_entropy(theta)),
        "max_entropy": float(information.binary_entropy(0.5)),
    }


class _BernoulliView(FigureView):
    # 585 px wide: fits a 592-px output area (JupyterLab beside its file browser) unscaled
    width, height, ncols = 6.5, 2.5, 2
    width_ratios = (1, 2.2)
    freeze_layout = True  # fixed limits

    def setup(self) -> None:
        bars, curve = self.axes
        colours = (OKABE_ITO["sky"], OKABE_ITO["blue"])
        self.bars = bars.bar([0, 1], [0.5, 0.5], width=0.6, color=colours, edgecolor="black")
        bars.set_xticks([0, 1], ["X = 0", "X = 1"])
        bars.set_ylim(0, 1)
        bars.set_ylabel("probability")
        bars.grid(axis="x", visible=False)
        # Figure 1.3, by its own helper: the curve, the maximum at 1/2, the level log 2, axes
        plot_binary_entropy(_THETA, information.binary_entropy(_THETA), ax=curve)
        self.cursor = curve.axvline(0.5, color="black", linestyle=":", linewidth=1.2)
        (self.dot,) = curve.plot(
            [0.5],
            [math.log(2)],
            "o",
            color=OKABE_ITO["orange"],
            markersize=10,
            markeredgecolor="black",
            clip_on=False,
        )
        self.animate(*self.bars, self.cursor, self.dot)

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        theta = state["theta"]
        self.bars[0].set_height(1 - theta)
        self.bars[1].set_height(theta)
        self.cursor.set_xdata([theta, theta])
        self.dot.set_data([theta], [state["binary_entropy"]])


def _bernoulli_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    theta, h = state["theta"], state["binary_entropy"]
    if theta in (0.0, 1.0):
        note = "the outcome is certain, so there is nothing to learn: the entropy is zero."
    elif theta == 0.5:
        note = "a fair coin: the entropy is at its maximum, log 2."
    else:
        note = f"below the maximum log 2 = {format_number(state['max_entropy'])} (fair coin)."
    return f"θ = {format_number(theta)}: H(θ) = <b>{format_number(h)}</b> nats; {note}"


def _bernoulli_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    theta = state["theta"]
    return (
        f"Bars of P(X = 0) = {format_number(1 - theta)} and P(X = 1) = {format_number(theta)}, "
        f"and the Bernoulli entropy curve with the point θ = {format_number(theta)}, "
        f"H = {format_number(state['binary_entropy'])} nats marked; the curve peaks at log 2 "
        "for θ = 0.5."
    )


# -- part 2: a pmf on K outcomes against log K (eqs. (1.22)-(1.23)) -----------------------------


def _k_state(params: dict[str, Any]) -> dict[str, Any]:
    k = round(float(params["n_outcomes"]))
    p = tilted_pmf(k, -float(params["skew"]), centre=1.0)
    return {
        "n_outcomes": k,
        "pmf": p,
        "entropy_pmf": float(information.entropy(p)),
        "log_k": float(information.entropy(np.full(k, 1.0 / k))),
    }


class _KOutcomesView(FigureView):
    width, height, ncols = 6.5, 2.5, 2
    width_ratios = (1.5, 1)
    freeze_layout = True  # fixed limits

    def setup(self) -> None:
        pmf, gauge = self.axes
        self.bars = pmf.bar(
            np.arange(1, _K_MAX + 1),
            np.zeros(_K_MAX),
            width=0.7,
            color=OKABE_ITO["blue"],
            edgecolor="black",
        )
        (self.uniform,) = pmf.plot(
            [0.5, 10.5],
            [0.1, 0.1],
            color=OKABE_ITO["orange"],
            linestyle="--",
            linewidth=2,
            label="uniform 1/K",
        )
        pmf.set_xlim(0.4, _K_MAX + 0.6)
        pmf.set_ylim(0, 1)
        pmf.set_xticks(np.arange(1, _K_MAX + 1))
        pmf.set_xlabel("outcome k")
        pmf.set_ylabel(r"$p_k$")
        pmf.grid(axis="x", visible=False)
        # a free corner: no bar reaches above 1/6 right of k = 6 (checked on every frame)
        pmf.legend(**LEGEND, loc="upper right")
        self.gauge = gauge.barh(
            [1, 0],
            [0, 0],
            height=0.55,
            color=(OKABE_ITO["blue"], OKABE_ITO["orange"]),
            edgecolor="black",
        )
        gauge.set_yticks([1, 0], ["H(p)", "log K"])
        gauge.set_xlim(0, 2.75)
        gauge.set_ylim(-0.6, 1.6)
        gauge.set_xlabel("nats")
        gauge.grid(axis="y", visible=False)
        self.values = [gauge.text(0, y, "", va="center", ha="left", fontsize=10) for y in (1, 0)]
        self.animate(*self.bars, self.uniform, *self.gauge, *self.values)

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        p, k = state["pmf"], state["n_outcomes"]
        for i, bar in enumerate(self.bars):
            bar.set_height(p[i] if i < k else 0.0)
        self.uniform.set_data([0.5, k + 0.5], [1 / k, 1 / k])
        for bar, text, value in zip(
            self.gauge, self.values, (state["entropy_pmf"], state["log_k"]), strict=True
        ):
            bar.set_width(value)
            text.set_x(value + 0.04)
            text.set_text(format_number(value, 3))


def _k_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    h, log_k, k = state["entropy_pmf"], state["log_k"], state["n_outcomes"]
    if abs(h - log_k) < 1e-12:
        note = "the uniform pmf: equality, the largest entropy on K outcomes (eq. 1.23)."
    else:
        share = format_number(100 * h / log_k, 3)
        note = f"H(p) is {share}% of its maximum; only the uniform pmf reaches it."
    return (
        f"K = {k}: H(p) = <b>{format_number(h)}</b> nats ≤ log K = "
        f"<b>{format_number(log_k)}</b> nats (eq. 1.22); {note}"
    )


def _k_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    probabilities = format_vector(state["pmf"], 2)
    return (
        f"Bar chart of a pmf on K = {state['n_outcomes']} outcomes {probabilities} with the "
        f"uniform level 1/K dashed, and two bars comparing H(p) = "
        f"{format_number(state['entropy_pmf'], 3)} with log K = {format_number(state['log_k'], 3)}."
    )


# -- part 3: cross-entropy H(p, q) = H(p) + KL(p || q) (eq. (1.25)) -----------------------------


def _cross_state(params: dict[str, Any]) -> dict[str, Any]:
    p = tilted_pmf(_K_CROSS, float(params["p_tilt"]))
    q = tilted_pmf(_K_CROSS, float(params["q_tilt"]))
    return {
        "p": p,
        "q": q,
        "entropy_p": float(information.entropy(p)),
        "cross_entropy": float(information.cross_entropy(p, q)),
        "kl_pq": float(information.kl_divergence(p, q)),
    }


class _CrossEntropyView(FigureView):
    width, height, ncols = 6.5, 2.7, 2
    width_ratios = (1.2, 1.3)
    freeze_layout = True  # fixed limits

    def setup(self) -> None:
        pmfs, gauge = self.axes
        k = np.arange(1, _K_CROSS + 1)
        blue, orange = OKABE_ITO["blue"], OKABE_ITO["orange"]
        self.p_bars = pmfs.bar(
            k - 0.18, np.zeros(_K_CROSS), width=0.34, color=blue, edgecolor="black", label="p"
        )
        self.q_bars = pmfs.bar(
            k + 0.18, np.zeros(_K_CROSS), width=0.34, color=orange, edgecolor="black", label="q"
        )
        pmfs.set_xticks(k)
        pmfs.set_xlim(0.4, _K_CROSS + 0.6)
        pmfs.set_ylim(0, 1)
        pmfs.set_xlabel("outcome k")
        pmfs.set_ylabel("probability")
        pmfs.grid(axis="x", visible=False)
        pmfs.legend(**_LEGEND_ABOVE)
        self._setup_gauge(gauge)
        self.animate(*self.p_bars, *self.q_bars, *self.h_bars, self.kl_bar, *self.values)

    def _setup_gauge(self, gauge: Any) -> None:
        """Bars of H(p) and of H(p, q) = H(p) + KL(p || q) (the KL part hatched), a legend."""
        blue, red = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
        self.h_bars = gauge.barh(
            [1, 0], [0, 0], height=0.55, color=blue, edgecolor="black", label="H(p)"
        )
        self.kl_bar = gauge.barh(
            [0],
            [0],
            left=[0],
            height=0.55,
            color=red,
            edgecolor="black",
            hatch="//",
            label="KL(p‖q)",
        )[0]
        gauge.set_yticks([1, 0], ["H(p)", "H(p, q)"])
        gauge.set_xlim(0, 7.2)  # room for the value right of the longest bar (5.83)
        gauge.set_ylim(-0.6, 1.6)
        gauge.set_xlabel("nats")
        gauge.grid(axis="y", visible=False)
        self.values = [gauge.text(0, y, "", va="center", ha="left", fontsize=10) for y in (1, 0)]
        gauge.legend(**_LEGEND_ABOVE)

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        for bars, pmf in ((self.p_bars, state["p"]), (self.q_bars, state["q"])):
            for bar, value in zip(bars, pmf, strict=True):
                bar.set_height(value)
        h, kl, cross = state["entropy_p"], state["kl_pq"], state["cross_entropy"]
        for bar in self.h_bars:
            bar.set_width(h)
        self.kl_bar.set_x(h)
        self.kl_bar.set_width(kl)
        for text, value in zip(self.values, (h, cross), strict=True):
            text.set_x(value + 0.08)
            text.set_text(format_number(value, 3))


def _cross_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    h, kl, cross = state["entropy_p"], state["kl_pq"], state["cross_entropy"]
    return (
        f"H(p) = <b>{format_number(h)}</b>, H(p, q) = <b>{format_number(cross)}</b>, "
        f"KL(p‖q) = <b>{format_number(kl)}</b> nats: H(p, q) = H(p) + KL(p‖q) ≥ H(p), with "
        "equality only when q = p. Coding with the wrong pmf q costs KL(p‖q) extra nats."
    )


def _cross_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    p, q = format_vector(state["p"], 2), format_vector(state["q"], 2)
    return (
        f"Paired bars of p = {p} and q = {q} on four outcomes; bars of H(p) = "
        f"{format_number(state['entropy_p'], 3)} and of H(p, q) = "
        f"{format_number(state['cross_entropy'], 3)} split into H(p) and "
        f"KL(p‖q) = {format_number(state['kl_pq'], 3)} nats."
    )


def _bernoulli_part(mode: str | None) -> Explorer:
    """Part 1: Bernoulli entropy (Example 1.7, Figure 1.3)."""
    return Explorer(
        [
            slider(
                "theta",
                np.round(np.linspace(0, 1, 101), 10),
                value=0.3,
                description="θ = P(X = 1)",
                static_grid=np.linspace(0, 1, 21),
            )
        ],
        _bernoulli_state,
        _BernoulliView(),
        readout=_bernoulli_readout,
        alt=_bernoulli_alt,
        mode=mode,
        name="bernoulli",
    )


def _k_part(mode: str | None) -> Explorer:
    """Part 2: the entropy of a pmf on K outcomes against log K (eqs. (1.22)-(1.23))."""
    return Explorer(
        [
            slider(
                "n_outcomes",
                np.arange(2, _K_MAX + 1),
                value=5,
                fmt="{:.0f}",
                description="number of outcomes K",
                static_grid=[2, 3, 4, 5, 6, 8, 10],
            ),
            slider(
                "skew",
                np.round(np.arange(0, 3.0001, 0.1), 10),
                value=0.5,
                description="skew s of p (0 = uniform)",
                fmt="{:.1f}",
                static_grid=[0, 0.25, 0.5, 1, 2, 3],
            ),
        ],
        _k_state,
        _KOutcomesView(),
        readout=_k_readout,
        alt=_k_alt,
        mode=mode,
        name="k_outcomes",
    )


def _cross_part(mode: str | None) -> Explorer:
    """Part 3: cross-entropy H(p, q) = H(p) + KL(p || q) (eq. (1.25))."""
    tilts = np.round(np.arange(-2.0, 2.0001, 0.1), 10)
    tilt_static = [-2, -1, -0.5, 0, 0.5, 1, 2]
    return Explorer(
        [
            slider(
                "p_tilt",
                tilts,
                value=-1.0,
                description="tilt of p",
                fmt="{:.1f}",
                static_grid=tilt_static,
            ),
            slider(
                "q_tilt",
                tilts,
                value=0.5,
                description="tilt of q",
                fmt="{:.1f}",
                static_grid=tilt_static,
            ),
        ],
        _cross_state,
        _CrossEntropyView(),
        readout=_cross_readout,
        alt=_cross_alt,
        mode=mode,
        name="cross_entropy",
    )


def entropy_explorer(mode: str | None = None) -> ExplorerGroup:
    """Explorer of section 1.5 in three parts, each with its own sliders and figure.

    1. *Bernoulli* (Example 1.7, Figure 1.3): a slider for :math:`\\theta`; the pmf, the curve
       :math:`H(\\theta)` and the current point (:func:`pgmlib.binary_entropy`).
    2. *K outcomes* (eqs. (1.22)-(1.23)): sliders for the number of outcomes K and the skew of
       a pmf :math:`p_k \\propto e^{-s(k-1)}` (:func:`pgmlib.tilted_pmf`); :math:`H(p)` against
       :math:`\\log K`, equal only at the uniform pmf (skew 0).
    3. *Cross-entropy* (eq. (1.25)): sliders tilt p and q on four outcomes;
       :math:`H(p, q) = H(p) + \\mathrm{KL}(p\\|q) \\ge H(p)` drawn as stacked bars
       (:func:`pgmlib.cross_entropy`, :func:`pgmlib.kl_divergence`).

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    ExplorerGroup
        Controls ``theta``, ``n_outcomes``, ``skew``, ``p_tilt``, ``q_tilt``; parts
        ``"bernoulli"``, ``"k_outcomes"``, ``"cross_entropy"``.
    """
    bernoulli, k_outcomes, cross = _bernoulli_part(mode), _k_part(mode), _cross_part(mode)
    return ExplorerGroup(
        [
            ("Bernoulli entropy (Example 1.7)", bernoulli),
            ("Entropy on K outcomes is at most log K (eqs. 1.22–1.23)", k_outcomes),
            ("Cross-entropy H(p, q) = H(p) + KL(p‖q) (eq. 1.25)", cross),
        ],
        name="entropy",
    )
