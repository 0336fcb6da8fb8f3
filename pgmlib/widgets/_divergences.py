"""Explorer for section 1.6: the asymmetry of the KL divergence (Example 1.11, Figure 1.4)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import ticker

from .. import divergences
from ..plotting._divergences import plot_kl_curves
from ..plotting._style import OKABE_ITO
from ..pushforward import gaussian_source
from ._core import Explorer, FigureView, format_number, slider

__all__ = ["kl_asymmetry_explorer"]

_X = np.linspace(-7.0, 7.0, 561)
_V_CURVE = np.linspace(0.2, 3.0, 141)
_KL_TOP = 10.5  # the curves' axis stops here (Figure 1.4's range); higher points are clipped
#: Legends above their axes (one entry a row), never over data.
_LEGEND_ABOVE = {"loc": "lower center", "bbox_to_anchor": (0.5, 1.0), "frameon": False}


def _kl_state(params: dict[str, Any]) -> dict[str, Any]:
    """KL(p||q) and KL(q||p) for p = N(0, 1), q = N(mu, v^2), and both curves over v."""
    mu, v = float(params["mu"]), float(params["v"])
    point = divergences.example_1_11_divergences(v, mu)
    curves = divergences.example_1_11_divergences(_V_CURVE, mu)
    return {
        "kl_pq": float(point.direct),
        "kl_qp": float(point.reverse),
        "curve_v": _V_CURVE,
        "curve_direct": np.asarray(curves.direct),
        "curve_reverse": np.asarray(curves.reverse),
    }


class _KLAsymmetryView(FigureView):
    # 585 x 297 px: fits a 592-px output area (JupyterLab beside its file browser) unscaled
    width, height, ncols = 6.5, 3.3, 2
    freeze_layout = True  # fixed tick formats: the labels keep their width as the limits move
    _TOPS = (0.45, 0.6, 0.8, 1.0, 1.4, 2.0, 2.3)  # density axis heights (few background redraws)

    def setup(self) -> None:
        dens, kl = self.axes
        p = gaussian_source(0.0, 1.0).pdf(_X)
        blue, orange = OKABE_ITO["blue"], OKABE_ITO["orange"]
        dens.fill_between(_X, p, color=blue, alpha=0.25, linewidth=0)
        (p_line,) = dens.plot(_X, p, color=blue, label=r"$p = \mathcal{N}(0, 1)$")
        self.q_fill = dens.fill_between(_X, p, color=orange, alpha=0.3, linewidth=0)
        (self.q_line,) = dens.plot(
            _X, p, color=orange, linestyle=(0, (6, 2)), label=r"$q = \mathcal{N}(\mu, v^2)$"
        )
        dens.set_xlim(_X[0], _X[-1])
        dens.set_xlabel("$x$")
        dens.set_ylabel("density")
        dens.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.1f}"))
        # Figure 1.4's curves, labels and axes, by its own helper (each move sets the curves)
        plot_kl_curves(_V_CURVE, 0 * _V_CURVE, 0 * _V_CURVE, ax=kl)
        self.direct, self.reverse = kl.lines[:2]
        self.cursor = kl.axvline(1.0, color="black", linestyle=":", linewidth=1.2)
        dots = [
            kl.plot([1], [0], "o", color=c, markersize=9, mec="black", clip_on=False)[0]
            for c in (self.direct.get_color(), self.reverse.get_color())
        ]
        self.dot_direct, self.dot_reverse = dots
        kl.set_xlim(0.1, 3.05)
        kl.set_ylim(0, _KL_TOP)
        # above the axes, never over a curve; the KL legend names the curves only (v = 1
        # means q = p only when mu = 0)
        dens.legend(**_LEGEND_ABOVE)
        kl.legend(handles=[self.direct, self.reverse], **_LEGEND_ABOVE)
        self.animate(
            self.q_fill, p_line, self.q_line, self.direct, self.reverse, self.cursor, *dots
        )

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        dens, _ = self.axes
        mu, v = float(params["mu"]), float(params["v"])
        q = gaussian_source(mu, v).pdf(_X)
        self.q_line.set_ydata(q)
        verts = np.column_stack((np.r_[_X[0], _X, _X[-1]], np.r_[0.0, q, 0.0]))
        self.q_fill.set_verts([verts])
        peak = max(0.4, float(q.max())) * 1.08
        dens.set_ylim(0, next((t for t in self._TOPS if t >= peak), peak))
        self.direct.set_ydata(state["curve_direct"])
        self.reverse.set_ydata(state["curve_reverse"])
        self.cursor.set_xdata([v, v])
        for dot, value in ((self.dot_direct, state["kl_pq"]), (self.dot_reverse, state["kl_qp"])):
            clipped = value > 0.98 * _KL_TOP
            dot.set_data([v], [min(value, 0.98 * _KL_TOP)])
            dot.set_marker("^" if clipped else "o")


def _kl_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    v = float(params["v"])
    if v < 1:
        hint = (
            "q is narrower than p: p has mass where q has almost none, and the direct "
            "divergence KL(p‖q) punishes that most."
        )
    elif v > 1:
        hint = (
            "q is wider than p: q has mass where p has almost none, which only the reverse "
            "divergence KL(q‖p) punishes strongly."
        )
    else:
        hint = "q is as wide as p: both directions equal μ²/2."
    return (
        f"KL(p‖q) = <b>{format_number(state['kl_pq'])}</b> nats, "
        f"KL(q‖p) = <b>{format_number(state['kl_qp'])}</b> nats. {hint}"
    )


def _kl_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    mu, v = format_number(params["mu"]), format_number(params["v"])
    return (
        f"Left: the densities of p = N(0, 1) and q = N({mu}, {v}²). Right: KL(p‖q) and "
        f"KL(q‖p) as functions of the standard deviation of q for mean {mu}, the current "
        f"v = {v} marked: KL(p‖q) = {format_number(state['kl_pq'])}, "
        f"KL(q‖p) = {format_number(state['kl_qp'])}."
    )


def kl_asymmetry_explorer(mode: str | None = None) -> Explorer:
    """Explorer of Example 1.11: direct and reverse KL between N(0, 1) and N(mu, v^2).

    Sliders move the mean ``mu`` and the standard deviation ``v`` of :math:`q`. Left: both
    densities. Right: the two curves of Figure 1.4 (for the current ``mu``) with the current
    ``v`` marked; a point above the axis is drawn as a triangle at its top. The readout gives
    both divergences (:func:`pgmlib.example_1_11_divergences`, eq. (1.38)) and says which
    direction punishes the missing mass.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``"mu"`` and ``"v"``; ``state`` holds ``kl_pq`` and ``kl_qp``.
        Static: 5 x 9 = 45 frames (about 10 KB each).
    """
    controls = [
        slider(
            "mu",
            np.round(np.arange(-3.0, 3.0001, 0.1), 10),
            value=0.0,
            description="mean μ of q",
            fmt="{:.1f}",
            static_grid=[-2, -1, 0, 1, 2],
        ),
        slider(
            "v",
            np.round(np.arange(0.2, 3.0001, 0.05), 10),
            value=1.0,
            description="std. dev. v of q",
            static_grid=[0.2, 0.3, 0.5, 0.7, 1.0, 1.4, 2.0, 2.5, 3.0],
        ),
    ]
    return Explorer(
        controls,
        _kl_state,
        _KLAsymmetryView(),
        readout=_kl_readout,
        alt=_kl_alt,
        mode=mode,
        name="kl_asymmetry",
    )
