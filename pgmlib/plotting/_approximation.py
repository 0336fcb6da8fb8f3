"""A Gaussian approximating a two-mode mixture: forward versus reverse KL (section 1.7,
suggested exercise 4)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import divergences
from .._validation import as_float_array, check_mixture_1d
from ..pushforward import gaussian_source
from ._pushforward import _axes
from ._style import OKABE_ITO, book_style, new_figure

__all__ = [
    "figure_forward_reverse_kl",
    "forward_reverse_styles",
    "mixture_density",
    "plot_forward_reverse_fits",
    "plot_reverse_kl_profile",
]

#: Line styles of the reverse fits, one per start (orange solid, vermillion dotted, ...).
#: Where curves coincide (d = 0: every fit is p) each stays visible: the first reverse fit is
#: drawn widest and lowest, p thinner over it, the dashed and dotted curves on top.
_REVERSE = (
    {"color": OKABE_ITO["orange"], "linestyle": "-", "linewidth": 3.4, "zorder": 2.0},
    {
        "color": OKABE_ITO["vermillion"],
        "linestyle": (0, (1.2, 1.6)),
        "linewidth": 3.0,
        "zorder": 2.4,
    },
    {"color": OKABE_ITO["green"], "linestyle": "-.", "zorder": 2.5},
    {"color": OKABE_ITO["purple"], "linestyle": (0, (4, 1.5, 1, 1.5, 1, 1.5)), "zorder": 2.6},
)
#: Markers of the reverse fits on the profile panel, one per start.
_MARKERS = ("o", "s", "D", "^")


def forward_reverse_styles(n_reverse: int = 2) -> dict[str, Any]:
    """Styles and legend labels of the artists of :func:`figure_forward_reverse_kl`.

    One source for the figure and the explorer (:func:`pgmlib.widgets.forward_reverse_kl_explorer`),
    so the two stay in step.

    Parameters
    ----------
    n_reverse : int
        Number of reverse fits (starts), at most 4.

    Returns
    -------
    dict
        ``"p"``, ``"forward"``, ``"profile"``, ``"starts"`` (dicts of ``Axes.plot`` keywords with
        a ``label``), ``"p_fill"`` (for ``fill_between``) and ``"reverse"`` (a list of such
        dicts, one per start: with two starts, the "left" and the "right" one).

    Examples
    --------
    >>> styles = forward_reverse_styles()
    >>> print(styles["forward"]["label"], "|", len(styles["reverse"]))
    forward fit: minimises $\\mathrm{KL}(p\\,\\|\\,q)$ | 2
    """
    if not 1 <= n_reverse <= len(_REVERSE):
        raise ValueError(f"`n_reverse` must be between 1 and {len(_REVERSE)}; got {n_reverse}")
    sides = ("left", "right") if n_reverse == 2 else ("first", "second", "third", "fourth")
    reverse = [
        {**_REVERSE[k], "label": rf"reverse fit, {side} start: local min $\mathrm{{KL}}(q\,\|\,p)$"}
        for k, side in enumerate(sides[:n_reverse])
    ]
    return {
        "p": {
            "color": "black",
            "linewidth": 1.8,
            "zorder": 2.1,
            "label": "target $p$ (Gaussian mixture)",
        },
        "p_fill": {"color": OKABE_ITO["grey"], "alpha": 0.22, "linewidth": 0},
        "forward": {
            "color": OKABE_ITO["blue"],
            "linestyle": (0, (6, 2)),
            "zorder": 2.3,
            "label": r"forward fit: minimises $\mathrm{KL}(p\,\|\,q)$",
        },
        "reverse": reverse,
        "profile": {
            "color": OKABE_ITO["sky"],
            "linewidth": 2.2,
            "label": r"$\mathrm{KL}(q\,\|\,p)$ at the best $\sigma$ for each $\mu$",
        },
        "starts": {
            "linestyle": "none",
            "marker": "^",
            "markersize": 9,
            "color": OKABE_ITO["grey"],
            "markeredgecolor": "black",
            "clip_on": False,
            "label": "starts of the reverse fits",
        },
    }


def mixture_density(x: Any, weights: Any, means: Any, sds: Any) -> np.ndarray:
    """The mixture density :math:`p(x) = \\sum_k w_k \\mathcal{N}(x; m_k, s_k^2)` on ``x``.

    Each component's density is :func:`pgmlib.gaussian_source`'s.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-8.0, 8.0, 3201)
    >>> p = mixture_density(x, [0.3, 0.7], [-2.0, 2.0], [1.0, 0.5])
    >>> bool(np.isclose(np.sum(p) * (x[1] - x[0]), 1.0))
    True
    """
    x = as_float_array(x, "x", ndim=1)
    w, m, s = check_mixture_1d(weights, means, sds)
    return sum(wk * gaussian_source(mk, sk).pdf(x) for wk, mk, sk in zip(w, m, s, strict=True))


def plot_forward_reverse_fits(
    x: Any,
    weights: Any,
    means: Any,
    sds: Any,
    fits: divergences.ForwardReverseFits,
    ax: Axes | None = None,
) -> Axes:
    """The target mixture, its forward fit and its reverse fits, as densities on ``x``.

    Parameters
    ----------
    x : array_like, shape (n,)
        Increasing points.
    weights, means, sds : array_like, shape (K,)
        The mixture :math:`p` (see :func:`pgmlib.kl_mixture_gaussian`).
    fits : ForwardReverseFits
        From :func:`pgmlib.forward_reverse_kl_fits` for the same mixture.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` is :math:`p` (over a grey fill, ``ax.collections[0]``),
        ``ax.lines[1]`` the forward fit, ``ax.lines[2:2 + n]`` the ``n`` reverse fits and
        ``ax.lines[2 + n]`` the starts (triangles on the axis).
    """
    x = as_float_array(x, "x", ndim=1)
    styles = forward_reverse_styles(len(fits.reverse))
    ax = _axes(ax)
    p = mixture_density(x, weights, means, sds)
    ax.fill_between(x, p, **styles["p_fill"])
    ax.plot(x, p, **styles["p"])
    ax.plot(x, gaussian_source(*fits.forward).pdf(x), **styles["forward"])
    for fit, style in zip(fits.reverse, styles["reverse"], strict=True):
        ax.plot(x, gaussian_source(*fit).pdf(x), **style)
    ax.plot([start.mu for start in fits.starts], [0.0] * len(fits.starts), **styles["starts"])
    ax.set_xlim(float(x[0]), float(x[-1]))
    ax.set_ylim(0, None)
    ax.set_xlabel("$x$")
    ax.set_ylabel("density")
    return ax


def plot_reverse_kl_profile(
    profile: divergences.ReverseKLProfile,
    fits: divergences.ForwardReverseFits,
    ax: Axes | None = None,
) -> Axes:
    """The reverse KL against the mean of q (its sd optimised), with the fits marked.

    Parameters
    ----------
    profile : ReverseKLProfile
        From :func:`pgmlib.reverse_kl_profile`.
    fits : ForwardReverseFits
        From :func:`pgmlib.forward_reverse_kl_fits` for the same mixture.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` is the profile, ``ax.lines[1:1 + n]`` mark the ``n`` reverse fits
        (local minima of the profile) at :math:`(\\mu, \\mathrm{KL}(q\\,\\|\\,p))`, and
        ``ax.lines[1 + n]`` the forward fit at its :math:`(\\mu, \\mathrm{KL}(q\\,\\|\\,p))`,
        above the profile since its :math:`\\sigma` is not the best one for its mean.
    """
    styles = forward_reverse_styles(len(fits.reverse))
    ax = _axes(ax)
    ax.plot(profile.mu, profile.kl, **styles["profile"])
    for k, (fit, kls) in enumerate(zip(fits.reverse, fits.reverse_kl, strict=True)):
        style = styles["reverse"][k]
        ax.plot(
            [fit.mu],
            [kls.reverse],
            linestyle="none",
            marker=_MARKERS[k],
            markersize=10 - 2 * k,
            color=style["color"],
            markeredgecolor="black",
            zorder=3 + k,
            clip_on=False,
        )
    ax.plot(
        [fits.forward.mu],
        [fits.forward_kl.reverse],
        linestyle="none",
        marker="P",
        markersize=10,
        color=styles["forward"]["color"],
        markeredgecolor="black",
        zorder=3,
        clip_on=False,
    )
    ax.set_xlim(float(profile.mu[0]), float(profile.mu[-1]))
    ax.set_xlabel(r"$\mu$, mean of $q$ (its $\sigma$ optimised for each $\mu$)")
    ax.set_ylabel(r"$\mathrm{KL}(q\,\|\,p)$ at the best $\sigma$ (nats)")
    return ax


def _window(weights: Any, means: Any, sds: Any, fits: divergences.ForwardReverseFits):
    """The x-range: every component within 4 sds, the forward fit within 3 sds."""
    _, m, s = check_mixture_1d(weights, means, sds)
    low = min(float(np.min(m - 4 * s)), fits.forward.mu - 3 * fits.forward.sigma)
    high = max(float(np.max(m + 4 * s)), fits.forward.mu + 3 * fits.forward.sigma)
    return low, high


def figure_forward_reverse_kl(
    weights: Any,
    means: Any,
    sds: Any,
    starts: Any = None,
    *,
    n_points: int = 801,
    n_means: int = 241,
) -> Figure:
    """Forward versus reverse KL for a Gaussian approximating a mixture (exercise 4).

    Top: the target :math:`p`, the forward fit (moment matching, which covers every mode), and
    the reverse fit reached from each start (each sits on a mode when the modes are far apart).
    Bottom, on the same horizontal axis: :math:`\\min_\\sigma \\mathrm{KL}(q\\,\\|\\,p)` against
    the mean of :math:`q` (:func:`pgmlib.reverse_kl_profile`), whose local minima are the
    reverse fits (marked), and the forward fit's :math:`\\mathrm{KL}(q\\,\\|\\,p)` (a plus).
    Numbers from :func:`pgmlib.forward_reverse_kl_fits`; one legend above both panels.

    Parameters
    ----------
    weights, means, sds : array_like, shape (K,)
        The mixture :math:`p` (see :func:`pgmlib.kl_mixture_gaussian`).
    starts : array_like, shape (n, 2), optional
        Starts ``(mu0, sigma0)`` of the reverse fits (at most 4); default: left of the leftmost
        and right of the rightmost component (see :func:`pgmlib.forward_reverse_kl_fits`).
    n_points, n_means : int
        Points of the density grid and of the profile.

    Returns
    -------
    BookFigure

    Examples
    --------
    >>> import pgmlib as pgm
    >>> fig = figure_forward_reverse_kl([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0])
    >>> densities, profile = fig.axes
    >>> fits = pgm.forward_reverse_kl_fits([0.5, 0.5], [-3.0, 3.0], [1.0, 1.0])
    >>> [round(float(line.get_xdata()[0]), 4) for line in profile.lines[1:3]]
    [-2.9843, 2.9843]
    """
    fits = divergences.forward_reverse_kl_fits(weights, means, sds, starts)
    low, high = _window(weights, means, sds, fits)
    x = np.linspace(low, high, int(n_points))
    profile = divergences.reverse_kl_profile(weights, means, sds, np.linspace(low, high, n_means))
    with book_style():
        fig, (top, bottom) = new_figure(6.6, 5.6, nrows=2, sharex=True)
        plot_forward_reverse_fits(x, weights, means, sds, fits, ax=top)
        plot_reverse_kl_profile(profile, fits, ax=bottom)
        top.tick_params(labelbottom=True)
        kls = [k.reverse for k in fits.reverse_kl] + [fits.forward_kl.reverse]
        bottom.set_ylim(0, 1.6 * max(max(kls), 0.5))
        _figure_legend(fig, top, bottom, len(fits.reverse))
    return fig


def _figure_legend(fig: Figure, top: Axes, bottom: Axes, n_reverse: int) -> Any:
    """One legend above both panels (never over data): the curves, the starts, the profile."""
    reverse = zip(top.lines[2 : 2 + n_reverse], bottom.lines[1 : 1 + n_reverse], strict=True)
    handles = [
        (top.lines[1], bottom.lines[1 + n_reverse]),
        top.lines[0],
        *reverse,
        top.lines[2 + n_reverse],
        bottom.lines[0],
    ]
    labels = [h[0].get_label() if isinstance(h, tuple) else h.get_label() for h in handles]
    return fig.legend(
        handles,
        labels,
        loc="outside upper center",
        ncol=2,
        fontsize=9.5,
        frameon=False,
    )
