"""Explorer for section 1.6, Examples 1.9 and 1.10: convergence under L1, KL and chi-square."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import divergences
from ..plotting._style import OKABE_ITO, add_note
from ._core import (
    Explorer,
    ExplorerGroup,
    FigureView,
    format_number,
    freeze_widest_layout,
    nice_ceil,
    slider,
)

__all__ = ["divergence_limits_explorer"]

_BLUE, _ORANGE, _GREEN = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]
_RED, _GREY = OKABE_ITO["vermillion"], OKABE_ITO["grey"]
#: Style of each divergence: colour, line style, marker (the same in both parts).
_STYLES = {
    "l1": (_BLUE, "-", "o", r"$L_1$"),
    "kl": (_ORANGE, (0, (6, 2)), "s", r"$\mathrm{KL}$"),
    "chi2": (_GREEN, (0, (2, 1.5)), "D", r"$\chi^2$"),
}


def _round_sig(values: np.ndarray, digits: int = 2) -> np.ndarray:
    """``values`` rounded to ``digits`` significant figures (for slider labels)."""
    scale = 10.0 ** (np.floor(np.log10(np.abs(values))) - digits + 1)
    return np.unique(np.round(values / scale) * scale)


#: Example 1.9: n > 1, geometric from 1.1 to 500 (chi-square stays finite: it overflows at 709).
_N_GRID = _round_sig(np.geomspace(1.1, 500.0, 64))
_N_STATIC = [1.1, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
_N_CURVE = np.geomspace(1.02, 600.0, 400)
_N_AXIS = (1e-3, 1e3)  # the divergences' axis; a point above it is drawn at its top
#: Example 1.10: eps in (0, 1), geometric from 0.001 to 0.9.
_EPS_GRID = _round_sig(np.geomspace(1e-3, 0.9, 64))
_EPS_STATIC = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9]
_EPS_CURVE = np.geomspace(5e-4, 0.95, 400)
_PMF_FLOOR = 1e-7  # bottom of the logarithmic probability axis of Example 1.10
#: Legends above their axes (clear of a marker drawn on the top edge), their entries in one row:
#: never over a curve, bar or label.
_LEGEND_ABOVE = {"loc": "lower center", "bbox_to_anchor": (0.5, 1.03), "frameon": False}


def _divergence_curves(ax: Any, x: np.ndarray, d: divergences.Divergences) -> dict:
    """Draw the three curves of ``d`` against ``x`` (fixed); return the current-point markers."""
    markers = {}
    for key, (colour, style, marker, label) in _STYLES.items():
        # values far above any axis are drawn at 1e12 (the log axis cannot take inf)
        values = np.minimum(getattr(d, key), 1e12)
        ax.plot(x, values, color=colour, linestyle=style, label=label)
        (markers[key],) = ax.plot(  # placed in the axes (the layout counts unclipped markers)
            [x[0]],
            [1.0],
            marker=marker,
            linestyle="none",
            color=colour,
            markersize=9,
            markeredgecolor="black",
            clip_on=False,
        )
    return markers


# -- part 1: Example 1.9, p = U(0, 1) and q_n -------------------------------------------------


def _n_state(params: dict[str, Any]) -> dict[str, Any]:
    n = float(params["n"])
    d = divergences.example_1_9_divergences(n)
    low, high = divergences.example_1_9_q([0.5 / n, 0.5 + 0.5 / n], n)
    return {
        "n_l1": float(d.l1),
        "n_kl": float(d.kl),
        "n_chi2": float(d.chi2),
        "c_n": float(divergences.example_1_9_c(n)),
        "q_low": float(low),
        "q_high": float(high),
    }


class _Example19View(FigureView):
    # 585 px wide: fits a 592-px output area (JupyterLab beside its file browser) unscaled
    width, height, ncols = 6.5, 3.0, 2
    # the layout is fixed in setup for the widest density tick labels ("12.5", at n = 1.1)

    def setup(self) -> None:
        dens, curves = self.axes
        dens.plot([-0.15, 0, 0, 1, 1, 1.15], [0, 0, 1, 1, 0, 0], color=_BLUE, label="$p = U(0, 1)$")
        self.band = dens.axvspan(0, 0.5, color=_RED, alpha=0.25, linewidth=0)
        (self.q_line,) = dens.plot(
            [], [], color=_ORANGE, linestyle=(0, (6, 2)), label="$q_n$", zorder=3
        )
        self.note = add_note(dens)
        dens.set_xlim(-0.15, 1.15)
        dens.set_xlabel("$x$")
        dens.set_ylabel("density")
        dens.legend(**_LEGEND_ABOVE, ncols=2)
        self.markers = _divergence_curves(
            curves, _N_CURVE, divergences.example_1_9_divergences(_N_CURVE)
        )
        curves.axhline(1.0, color=_GREY, linestyle=":", linewidth=1.2)
        self.cursor = curves.axvline(2.0, color="black", linestyle=":", linewidth=1.2)
        curves.set_xscale("log")
        curves.set_yscale("log")
        curves.set_xlim(1.0, 600.0)
        curves.set_ylim(*_N_AXIS)
        curves.set_xlabel("$n$")
        curves.set_ylabel(r"divergence of $(p\,\|\,q_n)$")
        curves.legend(**_LEGEND_ABOVE, ncols=3)
        self.animate(self.band, self.q_line, self.note, self.cursor)
        index = self.figure.axes.index(dens)  # room for "12.5" on the density axis
        freeze_widest_layout(self.figure, [{index: (dens.get_xlim(), (0.0, 15.0))}])
        self.animate(*self.markers.values())

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        dens, _ = self.axes
        n = float(params["n"])
        edge = 1.0 / n
        low, high = state["q_low"], state["q_high"]
        self.q_line.set_data(
            [-0.15, 0, 0, edge, edge, 1, 1, 1.15], [0, 0, low, low, high, high, 0, 0]
        )
        self.band.set_x(0.0)
        self.band.set_width(edge)
        dens.set_ylim(0, nice_ceil(1.7 * max(high, 1.0)))
        self.note.set_text(
            f"shaded: [0, 1/n), width {format_number(edge, 3)}\n"
            rf"there $q_n = e^{{-n}}$ = {format_number(low, 3)}"
        )
        self.cursor.set_xdata([n, n])
        for key, marker in self.markers.items():
            value = state[f"n_{key}"]
            above = value > _N_AXIS[1]
            marker.set_data([n], [min(value, _N_AXIS[1])])
            marker.set_marker("^" if above else _STYLES[key][2])


def _n_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    n = float(params["n"])
    return (
        f"n = {format_number(n)}: L1(p‖q_n) = <b>{format_number(state['n_l1'])}</b>, "
        f"KL(p‖q_n) = <b>{format_number(state['n_kl'])}</b> nats, "
        f"χ²(p‖q_n) = <b>{format_number(state['n_chi2'])}</b>. As n grows, q_n is far from p "
        "only on the shrinking interval [0, 1/n), and c_n → 1 elsewhere, so L1 → 0; but on that "
        "interval log(p/q_n) = n, and the KL keeps a contribution (1/n)·n = 1 from it: KL → 1 "
        "while χ² → ∞."
    )


def _n_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    n = float(params["n"])
    edge = format_number(1 / n, 3)
    return (
        f"Left: the uniform density p on [0, 1] and q_n for n = {format_number(n)}, which is "
        f"{format_number(state['q_low'], 3)} on [0, {edge}) (shaded) and "
        f"{format_number(state['c_n'], 4)} on [{edge}, 1]. Right: L1, KL and chi-square "
        f"between p and q_n against n on log-log axes, the current n marked: "
        f"{format_number(state['n_l1'], 3)}, {format_number(state['n_kl'], 3)} and "
        f"{format_number(state['n_chi2'], 3)}."
    )


# -- part 2: Example 1.10, Bernoulli p_eps and q_eps -------------------------------------------


def _eps_state(params: dict[str, Any]) -> dict[str, Any]:
    eps = float(params["eps"])
    d = divergences.example_1_10_divergences(eps)
    return {
        "eps_l1": float(d.l1),
        "eps_kl": float(d.kl),
        "eps_chi2": float(d.chi2),
        "p_eps": np.array([1.0 - eps, eps]),
        "q_eps": np.array([1.0 - eps**2, eps**2]),
    }


class _Example110View(FigureView):
    width, height, ncols = 6.5, 3.0, 2
    freeze_layout = True  # fixed limits

    def setup(self) -> None:
        bars, curves = self.axes
        self.p_bars = bars.bar(
            [-0.18, 0.82], [0.5, 0.5], width=0.34, color=_BLUE, edgecolor="black", label="$p_ε$"
        )
        self.q_bars = bars.bar(
            [0.18, 1.18],
            [0.5, 0.5],
            width=0.34,
            color=_ORANGE,
            hatch="//",
            edgecolor="black",
            label="$q_ε$",
        )
        self.values = [
            bars.text(x, 1.0, "", ha="center", va="bottom", fontsize=9)
            for x in (-0.18, 0.82, 0.18, 1.18)
        ]
        bars.set_yscale("log")
        bars.set_ylim(_PMF_FLOOR, 8.0)
        bars.set_xlim(-0.6, 1.6)
        bars.set_xticks([0, 1], ["$X = 0$", "$X = 1$"])
        bars.grid(axis="x", visible=False)
        bars.set_ylabel("probability (log scale)")
        bars.legend(**_LEGEND_ABOVE, ncols=2)
        self.markers = _divergence_curves(
            curves, _EPS_CURVE, divergences.example_1_10_divergences(_EPS_CURVE)
        )
        curves.axhline(1.0, color=_GREY, linestyle=":", linewidth=1.2)
        self.cursor = curves.axvline(0.1, color="black", linestyle=":", linewidth=1.2)
        curves.set_xscale("log")
        curves.set_xlim(5e-4, 1.0)
        curves.set_ylim(0, 1.15)
        curves.set_xlabel("$ε$")
        curves.set_ylabel(r"divergence of $(p_ε\,\|\,q_ε)$")
        curves.legend(**_LEGEND_ABOVE, ncols=3)
        self.animate(*self.p_bars, *self.q_bars, *self.values, self.cursor)
        self.animate(*self.markers.values())

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        eps = float(params["eps"])
        heights = (*state["p_eps"], *state["q_eps"])
        for bar, height in zip((*self.p_bars, *self.q_bars), heights, strict=True):
            bar.set_height(height)
        for text, height in zip(self.values, heights, strict=True):
            text.set_y(height * 1.3)
            text.set_text(format_number(height, 3))
        self.cursor.set_xdata([eps, eps])
        for key, marker in self.markers.items():
            marker.set_data([eps], [state[f"eps_{key}"]])


def _eps_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    eps = float(params["eps"])
    return (
        f"ε = {format_number(eps)}: L1 = <b>{format_number(state['eps_l1'])}</b>, "
        f"KL(p_ε‖q_ε) = <b>{format_number(state['eps_kl'])}</b> nats, "
        f"χ²(p_ε‖q_ε) = <b>{format_number(state['eps_chi2'])}</b>. As ε → 0, L1 and KL → 0, "
        f"but χ² → 1: at X = 1 the ratio p_ε/q_ε = 1/ε = {format_number(1 / eps)} grows "
        "without bound, and χ² weighs the squared gap (ε − ε²)² by 1/q_ε(1) = 1/ε², "
        "a term (1 − ε)² that tends to 1."
    )


def _eps_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    eps = float(params["eps"])
    return (
        f"Left: paired bars of p_ε = ({format_number(1 - eps, 4)}, {format_number(eps)}) and q_ε = "
        f"({format_number(1 - eps**2, 4)}, {format_number(eps**2, 3)}) on a logarithmic "
        f"probability axis. Right: L1, KL and chi-square against ε on a logarithmic ε axis, "
        f"ε = {format_number(eps)} marked: {format_number(state['eps_l1'], 3)}, "
        f"{format_number(state['eps_kl'], 3)} and {format_number(state['eps_chi2'], 3)}."
    )


def divergence_limits_explorer(mode: str | None = None) -> ExplorerGroup:
    """Explorer of Examples 1.9 and 1.10: one sequence, three divergences, three verdicts.

    1. *Example 1.9* (slider ``n``): :math:`p = U(0, 1)` and :math:`q_n`, which is
       :math:`e^{-n}` on :math:`[0, 1/n)` and :math:`c_n` on :math:`[1/n, 1]`
       (:func:`pgmlib.example_1_9_q`, :func:`pgmlib.example_1_9_c`). Left: both densities, the
       interval :math:`[0, 1/n)` shaded. Right: :math:`L_1`, KL and :math:`\\chi^2` against
       :math:`n` on log-log axes (:func:`pgmlib.example_1_9_divergences`, corrected eqs.
       (1.34)-(1.35)): :math:`L_1 \\to 0`, KL :math:`\\to 1`, :math:`\\chi^2 \\to \\infty`
       (a point above the axis is drawn as a triangle at its top).
    2. *Example 1.10* (slider ``eps``): the Bernoulli pmfs :math:`p_\\epsilon = (1 - \\epsilon,
       \\epsilon)` and :math:`q_\\epsilon = (1 - \\epsilon^2, \\epsilon^2)` as paired bars on a
       logarithmic axis; the three divergences against :math:`\\epsilon`
       (:func:`pgmlib.example_1_10_divergences`, eq. (1.37) and corrected (1.36)):
       :math:`L_1, \\mathrm{KL} \\to 0` while :math:`\\chi^2 \\to 1`.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    ExplorerGroup
        Controls ``n`` (1.1 to 500) and ``eps`` (0.001 to 0.9); parts ``"example_1_9"`` and
        ``"example_1_10"``; ``state`` holds ``n_l1``, ``n_kl``, ``n_chi2`` and ``eps_l1``,
        ``eps_kl``, ``eps_chi2``. Static: 11 + 11 frames.

    Examples
    --------
    >>> explorer = divergence_limits_explorer(mode="live")
    >>> explorer.set(n=500.0, eps=0.001)
    >>> state = explorer.state
    >>> bool(state["n_l1"] < 0.005 and abs(state["n_kl"] - 1) < 0.02 and state["n_chi2"] > 1e200)
    True
    >>> bool(state["eps_kl"] < 0.01 and abs(state["eps_chi2"] - 1) < 0.002)
    True
    """
    example_1_9 = Explorer(
        [
            slider(
                "n",
                _N_GRID,
                value=3.0,
                description="index n of q_n",
                fmt="{:g}",
                static_grid=_N_STATIC,
            )
        ],
        _n_state,
        _Example19View(),
        readout=_n_readout,
        alt=_n_alt,
        mode=mode,
        name="example_1_9",
    )
    example_1_10 = Explorer(
        [
            slider(
                "eps",
                _EPS_GRID,
                value=0.1,
                description="ε of p_ε and q_ε",
                fmt="{:g}",
                static_grid=_EPS_STATIC,
            )
        ],
        _eps_state,
        _Example110View(),
        readout=_eps_readout,
        alt=_eps_alt,
        mode=mode,
        name="example_1_10",
    )
    return ExplorerGroup(
        [
            ("Example 1.9: q_n → p in L1 but not in KL", example_1_9),
            ("Example 1.10: q_ε → p_ε in KL but not in χ²", example_1_10),
        ],
        name="divergence_limits",
    )
