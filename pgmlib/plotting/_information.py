"""Figure 1.3: the entropy of a Bernoulli variable (section 1.5, Example 1.7)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import information
from .._validation import as_float_array, check_same_shape
from ._style import OKABE_ITO, _axes, book_style, new_figure

__all__ = ["figure_bernoulli_entropy", "plot_binary_entropy"]


def plot_binary_entropy(theta: Any, entropy: Any, ax: Axes | None = None) -> Axes:
    """The curve :math:`H(\\theta)` with its maximum marked by a dashed line at 1/2.

    Parameters
    ----------
    theta : array_like, shape (n,)
        Increasing values in [0, 1].
    entropy : array_like, shape (n,)
        :math:`H(\\theta)` on `theta` (e.g. :func:`pgmlib.binary_entropy`), in nats.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` is the curve, ``ax.lines[1]`` the dashed line at 1/2.
    """
    theta = as_float_array(theta, "theta", ndim=1)
    entropy = as_float_array(entropy, "entropy", ndim=1)
    check_same_shape(theta, entropy, "theta", "entropy")
    ax = _axes(ax)
    ax.plot(theta, entropy, color=OKABE_ITO["blue"], label=r"$H(\theta)$")
    ax.axvline(
        0.5,
        color=OKABE_ITO["grey"],
        linestyle="--",
        linewidth=1.8,
        label=r"$\theta = 1/2$: maximum $\log 2$",
    )
    ax.axhline(np.log(2.0), color=OKABE_ITO["grey"], linestyle=":", linewidth=1.4)
    ax.text(0.02, np.log(2.0), r"$\log 2 \approx 0.693$", va="bottom", ha="left", fontsize=10)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 0.8)
    ax.set_xlabel(r"$\theta = P(X = 1)$")
    ax.set_ylabel("entropy (nats)")
    return ax


def figure_bernoulli_entropy(n_points: int = 501) -> Figure:
    """Figure 1.3: :math:`H(\\theta) = -\\theta\\log\\theta - (1-\\theta)\\log(1-\\theta)`.

    Natural logarithm (nats), :math:`\\theta` on [0, 1] (zero at both ends by continuity,
    :func:`pgmlib.binary_entropy`), a dashed line at the maximum :math:`\\theta = 1/2`.

    Parameters
    ----------
    n_points : int, default 501
        Grid size.

    Returns
    -------
    BookFigure

    Examples
    --------
    >>> fig = figure_bernoulli_entropy()
    >>> curve = fig.axes[0].lines[0]
    >>> round(float(curve.get_ydata().max()), 6)
    0.693147
    """
    theta = np.linspace(0.0, 1.0, int(n_points))
    with book_style():
        fig, ax = new_figure(5.6, 3.4)
        plot_binary_entropy(theta, information.binary_entropy(theta), ax=ax)
        ax.legend(loc="lower center")
    return fig
