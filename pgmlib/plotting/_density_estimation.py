"""Maximum-likelihood density estimation in one dimension (section 1.7, suggested exercise 3).

Gaussian mixtures fitted to a 1-D sample (by :func:`pgmlib.gmm_em`, Example 1.6) drawn over the
histogram of the sample. The densities come from pgmlib's mixture numerics
(:func:`pgmlib.gmm_component_log_pdf`, summed over components in log space); nothing is
recomputed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy.special import logsumexp

from .. import mixture
from .._validation import _describe, as_float_array, check_count, check_pmf
from ._pushforward import _axes
from ._style import OKABE_ITO, book_style, new_figure

__all__ = [
    "DENSITY_FIT_STYLES",
    "figure_density_estimation",
    "plot_density_fits",
]

#: Colour and dash pattern of the k-th fitted density (Okabe-Ito; the dashes keep the curves
#: apart in greyscale and under colour-vision deficiencies). At most this many fits per panel.
DENSITY_FIT_STYLES: tuple[dict[str, Any], ...] = (
    {"color": OKABE_ITO["blue"], "linestyle": "-"},
    {"color": OKABE_ITO["orange"], "linestyle": (0, (6, 2))},
    {"color": OKABE_ITO["green"], "linestyle": (0, (5, 2, 1, 2))},
    {"color": OKABE_ITO["vermillion"], "linestyle": (0, (1.5, 1.5))},
    {"color": OKABE_ITO["purple"], "linestyle": (0, (8, 2, 1, 2, 1, 2))},
    {"color": OKABE_ITO["sky"], "linestyle": (0, (3, 1))},
)
#: Style of the true density, when it is known (a simulation).
_TRUTH_STYLE: dict[str, Any] = {"color": "black", "linestyle": (0, (1, 1.2)), "linewidth": 1.8}
#: Style of the sample's histogram (behind the curves).
_HISTOGRAM_STYLE: dict[str, Any] = {"fill": True, "color": "#c9c9c9", "edgecolor": "#8c8c8c"}


def _sample_1d(x: Any) -> np.ndarray:
    """The 1-D sample: shape (N,) or (N, 1), finite, not empty."""
    array = as_float_array(x, "x", ndim=(1, 2))
    if array.ndim == 2 and array.shape[1] != 1:
        raise ValueError(f"`x` must be a 1-D sample, shape (N,) or (N, 1); got {array.shape}")
    return array.ravel()


def _mixture_1d(fit: Any, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights, means, covariances) of a 1-D Gaussian mixture given as a fit or a triple."""
    if all(hasattr(fit, a) for a in ("weights", "means", "covariances")):
        parts = (fit.weights, fit.means, fit.covariances)
    elif isinstance(fit, (tuple, list)) and len(fit) == 3:
        parts = tuple(fit)
    else:
        raise TypeError(
            f"`{name}` must be a fitted mixture (e.g. the result of pgmlib.gmm_em) or a tuple "
            f"(weights, means, covariances); got {_describe(fit)}"
        )
    weights = check_pmf(parts[0], f"{name} weights")
    means = as_float_array(parts[1], f"{name} means", ndim=(1, 2))
    if means.ndim == 2 and means.shape[1] != 1:
        raise ValueError(
            f"`{name}` must be a mixture in one dimension; got means of shape {means.shape}"
        )
    if means.shape[0] != weights.size:
        raise ValueError(
            f"`{name}` must have as many means as weights; got {means.shape[0]} and {weights.size}"
        )
    return weights, means.reshape(-1, 1), np.asarray(parts[2], dtype=float)


def _mixture_pdf(grid: np.ndarray, fit: Any, name: str) -> np.ndarray:
    """Density of the 1-D mixture ``fit`` on ``grid``, from pgmlib's component log-densities."""
    weights, means, covariances = _mixture_1d(fit, name)
    try:
        log_components = mixture.gmm_component_log_pdf(grid[:, None], means, covariances)
    except ValueError as error:
        raise ValueError(f"`{name}`: {error}") from error
    with np.errstate(divide="ignore"):  # a zero weight: log 0 = -inf, which logsumexp takes
        log_weights = np.log(weights)
    return np.exp(logsumexp(log_weights + log_components, axis=1))


def _labels(fits: Sequence[Any], labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [f"$K = {_mixture_1d(fit, f'fits[{i}]')[0].size}$" for i, fit in enumerate(fits)]
    if isinstance(labels, str) or len(labels) != len(fits):
        raise ValueError(
            f"`labels` must hold one label per fit ({len(fits)}); got {_describe(labels)}"
        )
    return [str(label) for label in labels]


def _fits(fits: Any) -> list[Any]:
    if isinstance(fits, (str, bytes)) or not isinstance(fits, Sequence):
        raise TypeError(f"`fits` must be a sequence of fitted mixtures; got {_describe(fits)}")
    if not 1 <= len(fits) <= len(DENSITY_FIT_STYLES):
        raise ValueError(
            f"`fits` must hold between 1 and {len(DENSITY_FIT_STYLES)} mixtures; got {len(fits)}"
        )
    return list(fits)


def _grid(sample: np.ndarray, n_points: int = 400) -> np.ndarray:
    """Points spanning the sample with a margin of 15% of its range on either side."""
    low, high = float(sample.min()), float(sample.max())
    margin = 0.15 * (high - low) if high > low else 1.0
    return np.linspace(low - margin, high + margin, n_points)


def plot_density_fits(
    x: Any,
    fits: Sequence[Any],
    ax: Axes | None = None,
    *,
    labels: Sequence[str] | None = None,
    truth: Any = None,
    bins: int = 30,
) -> Axes:
    """The histogram of a 1-D sample with Gaussian-mixture densities drawn over it.

    Parameters
    ----------
    x : array_like, shape (N,) or (N, 1)
        The sample the mixtures were fitted to (drawn as a histogram scaled to a density).
    fits : sequence of fitted mixtures
        At most six 1-D Gaussian mixtures, each a :class:`pgmlib.GaussianMixtureResult` (what
        :func:`pgmlib.gmm_em` returns) or a tuple ``(weights, means, covariances)`` with
        shapes ``(K,)``, ``(K,)`` or ``(K, 1)``, and ``(K,)`` or ``(K, 1, 1)`` (variances).
    ax : matplotlib Axes, optional
        Where to draw (a new figure when None).
    labels : sequence of str, optional
        One legend label per fit; by default "K = <number of components>".
    truth : mixture, optional
        The density the sample was drawn from, if known (same forms as a fit): drawn dotted.
    bins : int, default 30
        Number of histogram bins.

    Returns
    -------
    matplotlib Axes
        ``ax.lines[k]`` is the density of ``fits[k]`` (then the truth, if given), on 400 points
        spanning the sample with a margin; ``ax.patches[0]`` is the histogram (a StepPatch).

    Raises
    ------
    ValueError
        If `x` is not a finite 1-D sample, `fits` is empty or holds more than six mixtures,
        a mixture is not a valid 1-D Gaussian mixture, `labels` has the wrong length, or
        `bins` is not a positive integer.
    TypeError
        If `fits`, one of them, or `ax` has the wrong type.

    Notes
    -----
    The density of a fit at a point is
    :math:`\\sum_k \\pi_k \\mathcal{N}(x; \\mu_k, \\sigma_k^2)`, evaluated as
    :math:`\\exp \\operatorname{logsumexp}_k(\\log \\pi_k + \\log \\mathcal{N}(x; \\mu_k,
    \\sigma_k^2))` with :func:`pgmlib.gmm_component_log_pdf`.

    Examples
    --------
    >>> from scipy import stats
    >>> x = np.array([-1.0, 0.0, 0.5, 2.0])
    >>> ax = plot_density_fits(x, [([0.3, 0.7], [-1.0, 1.0], [0.5, 2.0])])
    >>> grid, density = ax.lines[0].get_data()
    >>> reference = 0.3 * stats.norm(-1, 0.5**0.5).pdf(grid) + 0.7 * stats.norm(1, 2**0.5).pdf(grid)
    >>> bool(np.allclose(density, reference, rtol=1e-12)), ax.lines[0].get_label()
    (True, '$K = 2$')
    """
    sample = _sample_1d(x)
    fits = _fits(fits)
    names = _labels(fits, labels)
    bins = check_count(bins, "bins", minimum=1)
    ax = _axes(ax, 6.4, 3.6)
    grid = _grid(sample)
    heights, edges = np.histogram(sample, bins=bins, density=True)
    ax.stairs(heights, edges, label=f"sample ($N = {sample.size}$)", **_HISTOGRAM_STYLE)
    for k, (fit, label) in enumerate(zip(fits, names, strict=True)):
        ax.plot(grid, _mixture_pdf(grid, fit, f"fits[{k}]"), label=label, **DENSITY_FIT_STYLES[k])
    if truth is not None:
        ax.plot(grid, _mixture_pdf(grid, truth, "truth"), label="true density $p$", **_TRUTH_STYLE)
    ax.set_xlim(float(grid[0]), float(grid[-1]))
    ax.set_ylim(0, None)
    ax.set_xlabel("$x$")
    ax.set_ylabel("density")
    return ax


def figure_density_estimation(
    x: Any,
    fits: Sequence[Any],
    *,
    labels: Sequence[str] | None = None,
    truth: Any = None,
    bins: int = 30,
) -> Figure:
    """Mixtures fitted by maximum likelihood over the histogram of their 1-D sample.

    The figure of the density-estimation exercise of section 1.7: one panel drawn by
    :func:`plot_density_fits` (same arguments), with the legend beside the axes so that it
    covers no data.

    Returns
    -------
    BookFigure

    Examples
    --------
    >>> from scipy import stats
    >>> x = np.random.default_rng(0).normal(size=(200, 1))
    >>> fig = figure_density_estimation(x, [mixture.gmm_em(x, 1, rng=0)])
    >>> grid, density = fig.axes[0].lines[0].get_data()
    >>> ml_gaussian = stats.norm(x.mean(), x.std())  # the ML Gaussian: mean, biased sd
    >>> bool(np.allclose(density, ml_gaussian.pdf(grid), rtol=1e-5))
    True
    """
    with book_style():
        fig, ax = new_figure(7.2, 3.6)
        plot_density_fits(x, fits, ax=ax, labels=labels, truth=truth, bins=bins)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return fig
