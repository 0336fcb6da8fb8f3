"""Explorer for section 1.7, suggested exercise 4: a Gaussian fitted to a two-mode mixture by the
forward KL (moment matching, mode covering) and by the reverse KL (mode seeking)."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

from .. import divergences
from .._exceptions import ConvergenceWarning
from ..plotting._approximation import (
    _figure_legend,
    mixture_density,
    plot_forward_reverse_fits,
    plot_reverse_kl_profile,
)
from ..pushforward import gaussian_source
from ._core import Explorer, FigureView, format_number, slider

__all__ = ["forward_reverse_kl_explorer"]

#: The densities' axis and the means of q at which the reverse KL is profiled (one axis).
_X = np.linspace(-9.0, 9.0, 361)
_MUS = np.linspace(-9.0, 9.0, 73)
#: Fixed vertical ranges over the whole live grid (measured: the tallest fit peaks at 0.399,
#: the largest reverse KL of a fit is 3.00 nats, at weight 0.05): no full redraw on a move.
_DENSITY_TOP = 0.45
_KL_TOP = 3.5
#: Live grids, and the coarser grids of the static page: 11 x 7 combinations, 71 frames (at
#: d = 0 the weight changes nothing: one frame), about 13 KB each.
_SEPARATIONS = np.round(np.arange(0.0, 8.0001, 0.25), 10)
_WEIGHTS = np.round(np.arange(0.05, 0.9501, 0.05), 10)
_SEPARATIONS_STATIC = [0.0, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0]
_WEIGHTS_STATIC = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9]
#: Readouts show zero for numbers this close to it (no "-4.4e-16").
_ZERO = 5e-10
#: Settings whose fits an explorer remembers (a few KB each; the live grid has 627).
_REMEMBERED = 256


def _mixture(params: dict[str, Any]) -> tuple[list[float], list[float], list[float]]:
    """p = w N(-d/2, 1) + (1 - w) N(d/2, 1)."""
    d, w = float(params["separation"]), float(params["weight"])
    return [w, 1.0 - w], [-d / 2, d / 2], [1.0, 1.0]


def _fit_state(prefix: str, fit: divergences.GaussianFit, kls: divergences.KLDirectReverse):
    return {
        f"{prefix}_mu": fit.mu,
        f"{prefix}_sigma": fit.sigma,
        f"{prefix}_kl_pq": float(kls.direct),
        f"{prefix}_kl_qp": float(kls.reverse),
    }


def _forward_reverse_state(params: dict[str, Any]) -> dict[str, Any]:
    """Every number from pgmlib: the fits and their divergences, and the reverse KL profile."""
    mixture = _mixture(params)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fits = divergences.forward_reverse_kl_fits(*mixture)
        profile = divergences.reverse_kl_profile(*mixture, _MUS)
    state: dict[str, Any] = {"fits": fits, "profile_kl": profile.kl}
    state.update(_fit_state("forward", fits.forward, fits.forward_kl))
    for side, fit, kls in zip(("left", "right"), fits.reverse, fits.reverse_kl, strict=True):
        state.update(_fit_state(side, fit, kls))
    state["left_start"], state["right_start"] = (start.mu for start in fits.starts)
    state["same_optimum"] = fits.same_optimum
    state["warnings"] = [str(w.message) for w in caught if issubclass(w.category, Warning)]
    return state


def _remembered(compute, size: int = _REMEMBERED):
    """``compute`` remembering its last ``size`` settings: a reader who moves a slider back
    meets each setting again, and the fits (about 16 ms of pgmlib's numerics) are not redone.
    Each call returns a new dict (the arrays in it are shared and never written to)."""

    @functools.lru_cache(maxsize=size)
    def cached(separation: float, weight: float) -> dict[str, Any]:
        return compute({"separation": separation, "weight": weight})

    def remembered(params: dict[str, Any]) -> dict[str, Any]:
        return dict(cached(float(params["separation"]), float(params["weight"])))

    return remembered


class _ForwardReverseView(FigureView):
    # 576 px wide: fits a 592-px output area (JupyterLab beside its file browser) unscaled
    width, height, nrows = 6.4, 5.0, 2
    freeze_layout = True  # fixed limits

    def setup(self) -> None:
        top, bottom = self.axes
        params = {"separation": 6.0, "weight": 0.5}
        mixture = _mixture(params)
        fits = divergences.forward_reverse_kl_fits(*mixture)
        profile = divergences.reverse_kl_profile(*mixture, _MUS)
        # the artists of the book's figure, by its own helpers; each move sets their data
        plot_forward_reverse_fits(_X, *mixture, fits, ax=top)
        plot_reverse_kl_profile(profile, fits, ax=bottom)
        self.p_fill = top.collections[0]
        self.p_line, self.forward, *self.reverse = top.lines[:4]
        self.starts = top.lines[4]
        self.profile, *self.marks = bottom.lines[:4]
        top.set_ylim(0, _DENSITY_TOP)
        bottom.set_ylim(0, _KL_TOP)
        for ax in (top, bottom):
            ax.set_xlim(_X[0], _X[-1])
        top.tick_params(labelbottom=True)
        _figure_legend(self.figure, top, bottom, 2)
        self.animate(  # in the figure's z-order (blitting draws them in this order)
            self.p_fill,
            self.reverse[0],
            self.p_line,
            self.forward,
            self.reverse[1],
            self.starts,
            self.profile,
            *self.marks,
        )

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        p = mixture_density(_X, *_mixture(params))
        self.p_line.set_ydata(p)
        self.p_fill.set_verts([np.column_stack((np.r_[_X[0], _X, _X[-1]], np.r_[0.0, p, 0.0]))])
        fits = state["fits"]
        curves = (fits.forward, *fits.reverse)
        for line, fit in zip((self.forward, *self.reverse), curves, strict=True):
            line.set_ydata(gaussian_source(*fit).pdf(_X))
        self.starts.set_xdata([state["left_start"], state["right_start"]])
        self.profile.set_ydata(state["profile_kl"])
        points = [
            (fit.mu, kls.reverse) for fit, kls in zip(fits.reverse, fits.reverse_kl, strict=True)
        ]
        points.append((fits.forward.mu, fits.forward_kl.reverse))
        for mark, (mu, kl) in zip(self.marks, points, strict=True):
            mark.set_data([mu], [kl])


def _number(value: float) -> str:
    return format_number(0.0 if abs(value) < _ZERO else value)


def _fit_text(state: dict[str, Any], prefix: str) -> str:
    return (
        f"μ = {_number(state[prefix + '_mu'])}, σ = {_number(state[prefix + '_sigma'])}; "
        f"KL(p‖q) = {_number(state[prefix + '_kl_pq'])}, "
        f"KL(q‖p) = {_number(state[prefix + '_kl_qp'])} nats"
    )


def _verdict(params: dict[str, Any], state: dict[str, Any]) -> str:
    if float(params["separation"]) == 0.0:
        return "p is a single Gaussian: every fit is p itself, and both divergences vanish."
    if state["same_optimum"]:
        return (
            "Both starts reached <b>the same</b> local minimum of KL(q‖p): one Gaussian "
            "covering the mass of p."
        )
    return (
        "The two starts reached <b>different</b> local minima of KL(q‖p), each sitting on one "
        "mode (mode seeking); the forward fit covers both modes (mode covering)."
    )


def _readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    starts = (
        f"(μ₀ = {_number(state['left_start'])}, σ₀ = 1)",
        f"(μ₀ = {_number(state['right_start'])}, σ₀ = 1)",
    )
    text = (
        f"<b>Forward fit</b> (moment matching): {_fit_text(state, 'forward')}.<br>"
        f"<b>Reverse fit from the left start</b> {starts[0]}: {_fit_text(state, 'left')}.<br>"
        f"<b>Reverse fit from the right start</b> {starts[1]}: {_fit_text(state, 'right')}.<br>"
        f"{_verdict(params, state)}"
    )
    if state["warnings"]:
        text += " <b>Note:</b> " + " ".join(state["warnings"])
    return text


def _static_key(params: dict[str, Any]) -> tuple[float, ...]:
    """At d = 0 both components are N(0, 1): the weight changes nothing (one frame)."""
    d = float(params["separation"])
    return (d,) if d == 0.0 else (d, float(params["weight"]))


def _alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    weights, means, _ = _mixture(params)
    gaussian = lambda p: f"N({_number(state[p + '_mu'])}, {_number(state[p + '_sigma'])}²)"  # noqa: E731
    target = (
        "N(0, 1) (the two modes coincide)"
        if means[0] == means[1]
        else f"{_number(weights[0])} N({_number(means[0])}, 1) + "
        f"{_number(weights[1])} N({_number(means[1])}, 1)"
    )
    return (
        f"Top: the density of p = {target}, the forward fit "
        f"{gaussian('forward')} and the reverse fits {gaussian('left')} from the left start and "
        f"{gaussian('right')} from the right start. Bottom: KL(q‖p) at the best σ against the "
        f"mean of q, with the reverse fits marked at their minima "
        f"({'one minimum reached' if state['same_optimum'] else 'two minima reached'})."
    )


def forward_reverse_kl_explorer(mode: str | None = None) -> Explorer:
    """Explorer of exercise 4 (section 1.7): forward versus reverse KL for a two-mode target.

    The target is :math:`p = w\\,\\mathcal{N}(-d/2, 1) + (1 - w)\\,\\mathcal{N}(d/2, 1)`;
    sliders move the distance :math:`d` between the modes and the weight :math:`w` of the left
    one. Top: :math:`p`, its forward fit (moment matching, the minimiser of
    :math:`\\mathrm{KL}(p\\,\\|\\,q)`) and the reverse fits (local minimisers of
    :math:`\\mathrm{KL}(q\\,\\|\\,p)`) reached from a start one standard deviation left of the
    left mode and one right of the right mode (triangles), all from
    :func:`pgmlib.forward_reverse_kl_fits`. Bottom, on the same axis: the reverse KL at the best
    :math:`\\sigma` for each mean of :math:`q` (:func:`pgmlib.reverse_kl_profile`), with the
    reverse fits at its local minima and the forward fit (a plus) above it. The readout gives
    both fits' :math:`(\\mu, \\sigma)`, both divergences of each, and whether the two starts
    reached the same minimum.

    What to try (the guide beside the explorer in the book):

    - Pull the modes apart at $w = 0.5$: at $d = 4.5$ both starts still end at one wide
      Gaussian in the middle; at $d = 5$ they end on different modes, while the forward fit
      stays at $0$ with $\\sigma^2 = 1 + d^2/4$.
    - Compare the two divergences of each fit at $d = 6$: each fit wins in its own direction,
      the forward fit has the smaller $\\mathrm{KL}(p\\,\\|\\,q)$, a reverse fit the smaller
      $\\mathrm{KL}(q\\,\\|\\,p)$ (about $\\log 2$, the price of ignoring half of the mass).
    - At $d = 8$ lower $w$ to $0.1$: the reverse fit from the left still sits on the light
      mode, with $\\mathrm{KL}(q\\,\\|\\,p) \\approx -\\log 0.1 \\approx 2.3$ nats, a local but
      not global minimum of the curve below.
    - At $d = 5$ lower $w$ to $0.3$: the left minimum disappears and both starts slide to the
      heavy mode.
    - Set $d = 0$: $p$ is a single Gaussian, and every fit is $p$ with zero divergence.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``"separation"`` (0 to 8, step 0.25) and ``"weight"`` (0.05 to 0.95, step
        0.05); ``state`` holds ``forward_mu``, ``forward_sigma``, ``forward_kl_pq``,
        ``forward_kl_qp``, the same for ``left`` and ``right`` (the reverse fits),
        ``left_start``, ``right_start``, ``same_optimum`` and ``profile_kl``.
        Static: 11 separations (0 to 8, finer around 5) x 7 weights (0.1, 0.2, 0.3, 0.5, 0.7,
        0.8, 0.9); at d = 0 the weights share one frame: 71 frames of about 13 KB.

    Examples
    --------
    >>> explorer = forward_reverse_kl_explorer(mode="live")
    >>> explorer.state["same_optimum"], round(explorer.state["forward_mu"], 12)
    (False, 0.0)
    >>> explorer.set(separation=2.0)
    >>> explorer.state["same_optimum"]
    True
    """
    controls = [
        slider(
            "separation",
            _SEPARATIONS,
            value=6.0,
            description="distance d between the modes",
            static_grid=_SEPARATIONS_STATIC,
        ),
        slider(
            "weight",
            _WEIGHTS,
            value=0.5,
            description="weight w of the left mode",
            static_grid=_WEIGHTS_STATIC,
        ),
    ]
    return Explorer(
        controls,
        _remembered(_forward_reverse_state),
        _ForwardReverseView(),
        readout=_readout,
        alt=_alt,
        mode=mode,
        name="forward_reverse_kl",
        static_key=_static_key,
    )
