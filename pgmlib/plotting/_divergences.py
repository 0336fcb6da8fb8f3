"""Figures 1.4 and 1.5: direct and reverse KL, and the KL gradient flow (section 1.6)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import divergences, gradient_flow
from .._validation import as_float_array, check_same_shape
from ._style import OKABE_ITO, _axes, book_style, new_figure

__all__ = [
    "FIGURE_1_5_SETTINGS",
    "figure_kl_asymmetry",
    "figure_kl_gradient_flow",
    "gradient_flow_styles",
    "plot_gradient_flow",
    "plot_kl_curves",
]

#: Example 1.12 / Figure 1.5: target N(mu0, sigma0^2), start, step sizes, number of updates.
FIGURE_1_5_SETTINGS: dict[str, float] = {
    "mu0": 0.0,
    "sigma0": 1.0,
    "mu_init": 10.0,
    "sigma_init": 20.0,
    "eta_mu": 10.0,
    "eta_sigma": 6.6,
    "n_steps": 31,
}


def gradient_flow_styles(mu0: float = 0.0, sigma0: float = 1.0) -> dict[str, dict[str, Any]]:
    """Style and legend label of each artist of Figure 1.5, for ``Axes.plot(..., **style)``.

    One source for Figure 1.5 (:func:`figure_kl_gradient_flow`) and the gradient-flow explorer
    (:func:`pgmlib.widgets.kl_gradient_flow_explorer`), so the two stay in step.

    Parameters
    ----------
    mu0, sigma0 : float
        The target :math:`p = \\mathcal{N}(\\mu_0, \\sigma_0^2)` (for the target's label).

    Returns
    -------
    dict of str to dict
        ``"exact"`` (the path of the correct gradient), ``"printed"`` (the path of the printed
        rule (1.42), dashed), ``"chord"`` (the straight line from the start to the target),
        ``"target"`` (a star).

    Examples
    --------
    >>> styles = gradient_flow_styles()
    >>> print(styles["exact"]["label"], "|", styles["target"]["label"])
    correct gradient | target $p = \\mathcal{N}(0, 1^2)$
    """
    return {
        "exact": {
            "color": OKABE_ITO["blue"],
            "linewidth": 2.2,
            "marker": "o",
            "markersize": 5.5,
            "label": "correct gradient",
        },
        "printed": {
            "color": OKABE_ITO["orange"],
            "linestyle": (0, (5, 3)),
            "linewidth": 1.6,
            "marker": "o",
            "markersize": 4,
            "markerfacecolor": "white",
            "label": "printed rule (1.42): wrong gradient",
        },
        "chord": {
            "color": "#9e9e9e",
            "linestyle": "--",
            "linewidth": 1.4,
            "label": "straight line to the target",
        },
        "target": {
            "marker": "*",
            "markersize": 18,
            "linestyle": "none",
            "color": OKABE_ITO["vermillion"],
            "markeredgecolor": "black",
            "label": rf"target $p = \mathcal{{N}}({mu0:g}, {sigma0:g}^2)$",
        },
    }


def plot_kl_curves(v: Any, direct: Any, reverse: Any, ax: Axes | None = None) -> Axes:
    """The direct and reverse KL as functions of the standard deviation ``v`` of q.

    Parameters
    ----------
    v : array_like, shape (n,)
        Increasing standard deviations of :math:`q`.
    direct, reverse : array_like, shape (n,)
        :math:`\\mathrm{KL}(p\\,\\|\\,q)` and :math:`\\mathrm{KL}(q\\,\\|\\,p)` on `v`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` direct, ``ax.lines[1]`` reverse, ``ax.lines[2]`` the dashed ``v = 1``.
    """
    v = as_float_array(v, "v", ndim=1)
    direct = as_float_array(direct, "direct", ndim=1)
    reverse = as_float_array(reverse, "reverse", ndim=1)
    check_same_shape(v, direct, "v", "direct")
    check_same_shape(v, reverse, "v", "reverse")
    ax = _axes(ax)
    ax.plot(v, direct, color=OKABE_ITO["blue"], label=r"direct $\mathrm{KL}(p\,\|\,q)$")
    ax.plot(
        v,
        reverse,
        color=OKABE_ITO["orange"],
        linestyle=(0, (6, 2)),
        label=r"reverse $\mathrm{KL}(q\,\|\,p)$",
    )
    ax.axvline(
        1.0,
        color=OKABE_ITO["grey"],
        linestyle="--",
        linewidth=1.8,
        label=r"true value $v = 1$ ($q = p$)",
    )
    ax.set_xlim(float(v[0]), float(v[-1]))
    ax.set_xlabel(r"$v$, standard deviation of $q$")
    ax.set_ylabel("KL divergence (nats)")
    return ax


def figure_kl_asymmetry(v_min: float = 0.2, v_max: float = 3.0, n_points: int = 400) -> Figure:
    """Figure 1.4: KL(p||q) and KL(q||p) for p = N(0, 1), q = N(0, v^2) (Example 1.11).

    From :func:`pgmlib.example_1_11_divergences` (eq. (1.38)): the direct divergence
    :math:`\\tfrac12(\\log v^2 + v^{-2} - 1)` explodes as q narrows (q misses mass of p), the
    reverse :math:`\\tfrac12(-\\log v^2 + v^2 - 1)` grows only slowly.

    Returns
    -------
    BookFigure

    Examples
    --------
    >>> fig = figure_kl_asymmetry()
    >>> direct, reverse = fig.axes[0].lines[:2]
    >>> round(float(direct.get_ydata()[0]), 4), round(float(reverse.get_ydata()[0]), 4)
    (10.3906, 1.1294)
    """
    v = np.linspace(v_min, v_max, int(n_points))
    kl = divergences.example_1_11_divergences(v)
    with book_style():
        fig, ax = new_figure(5.8, 3.6)
        plot_kl_curves(v, kl.direct, kl.reverse, ax=ax)
        ax.set_ylim(0, None)
        ax.legend(loc="upper right")
    return fig


def plot_gradient_flow(
    mus: Any,
    sigmas: Any,
    ax: Axes | None = None,
    *,
    label: str = "gradient descent",
    colour: Any = None,
    numbered: bool = True,
    muted: bool = False,
) -> Axes:
    """A trajectory :math:`(\\mu_n, \\sigma_n)` in the :math:`(\\mu, \\sigma)` plane.

    Parameters
    ----------
    mus, sigmas : array_like, shape (n + 1,)
        The iterates, starting point first.
    ax : matplotlib Axes, optional
    label : str
        Legend label.
    colour : colour, optional
    numbered : bool, default True
        Write each iterate's number next to its marker.
    muted : bool, default False
        The thin dashed style of the printed rule (for a trajectory shown for comparison only);
        see :func:`gradient_flow_styles`.

    Returns
    -------
    matplotlib Axes
    """
    mus = as_float_array(mus, "mus", ndim=1)
    sigmas = as_float_array(sigmas, "sigmas", ndim=1)
    check_same_shape(mus, sigmas, "mus", "sigmas")
    ax = _axes(ax)
    style = gradient_flow_styles()["printed" if muted else "exact"]
    if colour is not None:
        style["color"] = colour
    style["label"] = label
    ax.plot(mus, sigmas, **style)
    if numbered:
        step = np.gradient(np.column_stack((mus, sigmas)), axis=0)
        normal = np.column_stack((step[:, 1], -step[:, 0]))
        normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
        for n, (m, s, (dx, dy)) in enumerate(zip(mus, sigmas, normal, strict=False)):
            ax.annotate(
                str(n),
                (m, s),
                xytext=(9 * dx, 9 * dy),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=7.5,
                color=style["color"],
            )
    return ax


def figure_kl_gradient_flow(**settings: float) -> Figure:
    """Figure 1.5: gradient descent on KL(N(0, 1) || N(mu, sigma^2)) from (10, 20).

    The numbered trajectory uses the correct gradient of eq. (1.38),
    :math:`\\partial_{\\sigma}\\mathrm{KL} = (\\sigma^2 - \\sigma_0^2 - (\\mu - \\mu_0)^2) /
    \\sigma^3` (the notes' eq. (1.40) drops the mean term), via
    :func:`pgmlib.kl_gradient_flow`. The thin dashed orange trajectory iterates the update rules
    as printed in eqs. (1.41)-(1.42) (``rule="notes"``), which is what the notes' figure showed,
    labelled as the printed (wrong) rule. Styles and labels: :func:`gradient_flow_styles`.
    Also drawn: the straight line from the start to the target, and the target (red star).

    Parameters
    ----------
    **settings : float
        Overrides of :data:`FIGURE_1_5_SETTINGS` (``mu0``, ``sigma0``, ``mu_init``,
        ``sigma_init``, ``eta_mu``, ``eta_sigma``, ``n_steps``).

    Returns
    -------
    BookFigure

    Examples
    --------
    >>> fig = figure_kl_gradient_flow()
    >>> exact = fig.axes[0].lines[1]
    >>> len(exact.get_xdata())  # start + 31 updates
    32
    """
    unknown = set(settings) - set(FIGURE_1_5_SETTINGS)
    if unknown:
        raise TypeError(
            f"unknown setting(s) {sorted(unknown)}; expected some of {sorted(FIGURE_1_5_SETTINGS)}"
        )
    s = {**FIGURE_1_5_SETTINGS, **settings}
    s["n_steps"] = int(s["n_steps"])
    exact = gradient_flow.kl_gradient_flow(**s, rule="exact")
    printed = gradient_flow.kl_gradient_flow(**s, rule="notes")
    styles = gradient_flow_styles(s["mu0"], s["sigma0"])
    with book_style():
        fig, ax = new_figure(6.4, 5.0)
        ax.plot([s["mu_init"], s["mu0"]], [s["sigma_init"], s["sigma0"]], **styles["chord"])
        plot_gradient_flow(*exact, ax=ax, label=styles["exact"]["label"])
        plot_gradient_flow(
            *printed, ax=ax, numbered=False, muted=True, label=styles["printed"]["label"]
        )
        ax.annotate(
            str(printed.mus.size - 1),
            (printed.mus[-1], printed.sigmas[-1]),
            xytext=(8, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=7.5,
            color=styles["printed"]["color"],
        )
        ax.plot([s["mu0"]], [s["sigma0"]], **styles["target"])
        ax.set_xlabel(r"$\mu$, mean of $q$")
        ax.set_ylabel(r"$\sigma$, standard deviation of $q$")
        ax.set_xlim(min(s["mu0"], s["mu_init"]) - 0.8, max(s["mu0"], s["mu_init"]) + 0.8)
        ax.set_ylim(0, max(s["sigma0"], s["sigma_init"]) * 1.06)
        ax.legend(loc="upper left")
    return fig
