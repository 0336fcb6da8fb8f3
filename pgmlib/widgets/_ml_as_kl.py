"""Explorer for section 1.6: maximum likelihood as Monte Carlo KL minimisation, eqs. (1.43)-(1.46).

Data from a gamma density :math:`p` (shape 2: not exponential), model
:math:`q_\\lambda(x) = \\lambda e^{-\\lambda x}`. Left: the average log-likelihood of the first N
draws against :math:`\\lambda`, over its expectation :math:`-H(p, q_\\lambda)`, with both
maximisers. Right: the excess divergence of the sample maximiser against N, with its exact mean.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import ticker

from .. import ml_as_kl
from .._validation import as_scalar, check_positive
from ..plotting._style import OKABE_ITO
from ._core import LEGEND, Explorer, FigureView, format_number, slider

__all__ = ["ml_as_kl_explorer"]

_BLUE, _ORANGE = OKABE_ITO["blue"], OKABE_ITO["orange"]

#: The gamma density's shape must exceed this: the mean excess of samples of the smallest N
#: (10) is infinite when N * shape <= 1.
_MIN_SHAPE = 1.0 / 10
#: Sample sizes of the live slider: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 per decade, 10 to 10^4.
_N_VALUES = np.array(
    [round(m * 10**e) for e in (1, 2, 3) for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)] + [10_000]
)
_N_STATIC = [10, 40, 150, 600, 2500, 10_000]
_N_MAX = int(_N_VALUES[-1])
#: The samples of the seed slider; sample ``s`` is ``default_rng([_SAMPLE_SEED, s])``'s draws.
_SEEDS = (1, 2, 3, 4)
_SAMPLE_SEED = 16
#: The rate axis spans these multiples of the KL minimiser lambda*.
_RATE_SPAN = (0.2, 3.0)
#: The log-likelihood axis spans these offsets from the top of -H(p, q_lambda).
_LOGLIK_SPAN = (-1.2, 0.4)
#: The excess-KL axis (log scale); smaller values are drawn on its floor as triangles.
_EXCESS_SPAN = (1e-7, 0.3)


class _Samples:
    """One long sample of ``_N_MAX`` draws from p per seed (drawn once; N takes a prefix),
    the exact curves, and the sample maximiser's excess KL along every N of the slider."""

    def __init__(self, shape: float, scale: float) -> None:
        self.shape, self.scale = shape, scale
        self.rate_star = ml_as_kl.exponential_kl_minimiser(shape, scale)
        self.rates = self.rate_star * np.linspace(*_RATE_SPAN, 281)
        self.exact_curve = ml_as_kl.exponential_expected_log_likelihood(self.rates, shape, scale)
        self.exact_top = ml_as_kl.exponential_expected_log_likelihood(self.rate_star, shape, scale)
        self.min_kl = ml_as_kl.exponential_min_kl(shape, scale)
        self.mean_excess = ml_as_kl.exponential_expected_excess_kl(_N_VALUES, shape)
        self.draws = {
            seed: np.random.default_rng([_SAMPLE_SEED, seed]).gamma(shape, scale, _N_MAX)
            for seed in _SEEDS
        }
        self.path_rate = {
            seed: np.array([ml_as_kl.exponential_mle(x[:n]) for n in _N_VALUES])
            for seed, x in self.draws.items()
        }
        self.path_excess = {
            seed: ml_as_kl.exponential_excess_kl(rates, shape, scale)
            for seed, rates in self.path_rate.items()
        }

    def sample(self, seed: int, n: int) -> np.ndarray:
        """The first ``n`` draws of sample ``seed`` (growing N adds data to the same sample)."""
        return self.draws[seed][:n]


def _make_state(samples: _Samples):
    def compute(params: dict[str, Any]) -> dict[str, Any]:
        n, seed = int(params["n"]), int(params["seed"])
        x = samples.sample(seed, n)
        rate_hat = ml_as_kl.exponential_mle(x)
        shape, scale = samples.shape, samples.scale
        return {
            "n_obs": n,
            "rate_hat": rate_hat,
            "rate_star": samples.rate_star,
            "excess_kl": float(ml_as_kl.exponential_excess_kl(rate_hat, shape, scale)),
            "mean_excess_kl": float(ml_as_kl.exponential_expected_excess_kl(n, shape)),
            "min_kl": samples.min_kl,
            "rates": samples.rates,
            "sample_curve": ml_as_kl.exponential_average_log_likelihood(samples.rates, x),
            "exact_curve": samples.exact_curve,
            "sample_top": float(ml_as_kl.exponential_average_log_likelihood(rate_hat, x)),
            "exact_top": samples.exact_top,
            "path_excess": samples.path_excess[seed],
        }

    return compute


class _MLAsKLView(FigureView):
    # 585 px wide: fits a 592-px output area (JupyterLab beside its file browser) unscaled
    width, height, ncols = 6.5, 3.1, 2
    freeze_layout = True  # fixed limits
    width_ratios = (1.15, 1.0)
    legend_size = 9.0

    def __init__(self, samples: _Samples) -> None:
        self.samples = samples
        super().__init__()

    def setup(self) -> None:
        curves, excess = self.axes
        self._setup_curves(curves)
        self._setup_excess(excess)

    def _setup_curves(self, ax: Any) -> None:
        """Left: -H(p, q_lambda) and lambda* (fixed), the sample curve and its maximiser."""
        s = self.samples
        ax.plot(s.rates, s.exact_curve, color=_BLUE, label=r"$\mathbb{E}_p[\log q_\lambda]$")
        ax.axvline(s.rate_star, color=_BLUE, linewidth=1.5, linestyle=(0, (5, 2)))
        ax.plot([s.rate_star], [s.exact_top], "o", color=_BLUE, mec="black", markersize=8,
                label=r"$\lambda^\star$ (min KL)")  # fmt: skip
        (self.curve,) = ax.plot(
            s.rates,
            s.exact_curve,
            color=_ORANGE,
            linestyle=(0, (6, 2)),
            label=r"$\frac{1}{N}\sum_i \log q_\lambda(x_i)$",
        )
        self.hat_line = ax.axvline(s.rate_star, color=_ORANGE, linewidth=1.5, linestyle=":")
        (self.hat_dot,) = ax.plot([], [], "D", color=_ORANGE, mec="black", markersize=7,
                                  label=r"$\hat\lambda_N$ (MLE)")  # fmt: skip
        ax.set_xlim(s.rates[0], s.rates[-1])
        ax.set_ylim(s.exact_top + _LOGLIK_SPAN[0], s.exact_top + _LOGLIK_SPAN[1])
        ax.xaxis.set_major_locator(ticker.MaxNLocator(6))
        ax.yaxis.set_major_locator(ticker.MaxNLocator(4))
        ax.set_xlabel(r"rate $\lambda$ of $q_\lambda$")
        ax.set_ylabel("log-likelihood per point")
        ax.legend(**LEGEND, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2,
                  fontsize=self.legend_size, columnspacing=1.2, handlelength=1.6)  # fmt: skip
        self.animate(self.curve, self.hat_line, self.hat_dot)

    def _setup_excess(self, ax: Any) -> None:
        """Right: the excess KL of this sample's MLE against N, its exact mean, N marked."""
        s, n = self.samples, _N_VALUES
        ax.plot(n, s.mean_excess, color="black", linewidth=1.6, linestyle=(0, (5, 2)),
                label="exact mean")  # fmt: skip
        (self.path,) = ax.plot(n, n * 0.0 + 1.0, color=_ORANGE, linewidth=1.8, label="this sample")
        self.cursor = ax.axvline(10, color="black", linestyle=":", linewidth=1.2)
        (self.point,) = ax.plot([], [], "o", color=_ORANGE, mec="black", markersize=9)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(8, 1.25 * _N_MAX)
        ax.set_ylim(*_EXCESS_SPAN)
        ax.yaxis.set_major_locator(ticker.LogLocator(numticks=5))
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_minor_locator(ticker.NullLocator())
        ax.set_xlabel("sample size $N$")
        ax.set_ylabel(r"excess KL of $\hat\lambda_N$")
        ax.legend(**LEGEND, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2,
                  fontsize=self.legend_size, columnspacing=1.2, handlelength=1.6)  # fmt: skip
        self.animate(self.path, self.cursor, self.point)

    @staticmethod
    def _floored(values: np.ndarray) -> np.ndarray:
        return np.maximum(values, _EXCESS_SPAN[0])

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        n, rate_hat = int(params["n"]), state["rate_hat"]
        self.curve.set_ydata(state["sample_curve"])
        self.hat_line.set_xdata([rate_hat, rate_hat])
        self.hat_dot.set_data([rate_hat], [state["sample_top"]])
        self.path.set_ydata(self._floored(state["path_excess"]))
        self.cursor.set_xdata([n, n])
        excess = state["excess_kl"]
        self.point.set_data([n], [max(excess, _EXCESS_SPAN[0])])
        self.point.set_marker("v" if excess < _EXCESS_SPAN[0] else "o")


def _percent_from(rate_hat: float, rate_star: float) -> str:
    """'4.3% above' / '0.8% below' / 'within 0.05% of' (what follows: "the KL minimiser")."""
    change = 100.0 * (rate_hat / rate_star - 1.0)
    if round(change, 1) == 0:
        return "within 0.05% of"
    return f"{format_number(round(abs(change), 1))}% {'above' if change > 0 else 'below'}"


def _make_readout(samples: _Samples):
    def readout(params: dict[str, Any], state: dict[str, Any]) -> str:
        n = int(params["n"])
        asymptote = 1.0 / (2.0 * samples.shape * n)
        shape, scale = format_number(samples.shape), format_number(samples.scale)
        return (
            f"<b>N = {n}</b> draws of sample {int(params['seed'])} from p = Gamma(shape "
            f"{shape}, scale {scale}). The sample maximiser λ̂ = 1/x̄ = "
            f"<b>{format_number(state['rate_hat'])}</b> lies "
            f"{_percent_from(state['rate_hat'], state['rate_star'])} the KL minimiser "
            f"λ* = 1/E<sub>p</sub>[X] = <b>{format_number(state['rate_star'])}</b>. "
            f"Excess KL(p‖q<sub>λ̂</sub>) − KL(p‖q<sub>λ*</sub>) = "
            f"<b>{format_number(state['excess_kl'], 3)}</b> nats; over all samples of this "
            f"size it averages {format_number(state['mean_excess_kl'], 3)} nats (for large N "
            f"about 1/(2kN) = {format_number(asymptote, 3)}, with k = {shape} the "
            f"shape of p). The best exponential still misses p by "
            f"KL(p‖q<sub>λ*</sub>) = {format_number(state['min_kl'], 3)} nats at every N: more "
            f"data finds λ*, not p."
        )

    return readout


def _make_alt(samples: _Samples):
    def alt(params: dict[str, Any], state: dict[str, Any]) -> str:
        n, seed = int(params["n"]), int(params["seed"])
        return (
            f"Left: the average log-likelihood of the first {n} draws of sample {seed} against "
            f"the rate λ of the exponential model, over its expectation −H(p, q_λ); the sample "
            f"maximiser λ̂ = {format_number(state['rate_hat'])} and the KL minimiser "
            f"λ* = {format_number(state['rate_star'])} are marked. Right: the excess KL of λ̂ "
            f"against the sample size on log-log axes for this sample, with its exact mean "
            f"over samples, falling like 1/N; N = {n} marked at "
            f"{format_number(state['excess_kl'], 3)} nats."
        )

    return alt


def ml_as_kl_explorer(
    mode: str | None = None, *, shape: float = 2.0, scale: float = 0.5
) -> Explorer:
    """Explorer of eqs. (1.43)-(1.46): maximum likelihood is Monte Carlo KL minimisation.

    The data come from the gamma density :math:`p` of shape ``shape`` and scale ``scale`` (by
    default shape 2, scale 1/2: mean 1, a hump at 1/2 that no exponential has); the model is
    the exponential family :math:`q_\\lambda(x) = \\lambda e^{-\\lambda x}`, which does not
    contain :math:`p`. Each of four samples is drawn once, as
    ``numpy.random.default_rng([16, seed]).gamma(shape, scale, 10_000)``, and the slider ``n``
    takes its first N draws: a larger N adds data to the same sample.

    Left: the average log-likelihood :math:`\\frac1N\\sum_i\\log q_\\lambda(x_i)`
    (:func:`pgmlib.exponential_average_log_likelihood`, eq. (1.46) over N) against
    :math:`\\lambda`, over its expectation :math:`\\mathbb E_p[\\log q_\\lambda] = -H(p,
    q_\\lambda)` (:func:`pgmlib.exponential_expected_log_likelihood`, eq. (1.45)), with the
    sample maximiser :math:`\\hat\\lambda_N = 1/\\bar x_N` (:func:`pgmlib.exponential_mle`) and
    the KL minimiser :math:`\\lambda^\\star = 1/\\mathbb E_p[X]`
    (:func:`pgmlib.exponential_kl_minimiser`, eq. (1.43)). Right: the excess
    :math:`\\mathrm{KL}(p\\|q_{\\hat\\lambda_N}) - \\mathrm{KL}(p\\|q_{\\lambda^\\star}) =
    H(p, q_{\\hat\\lambda_N}) - H(p, q_{\\lambda^\\star})` (:func:`pgmlib.exponential_excess_kl`)
    of this sample against N on log-log axes, with its exact mean over samples of size N
    (:func:`pgmlib.exponential_expected_excess_kl`): for large N about :math:`1/(2kN)`, i.e.
    :math:`1/(4N)` here, the :math:`\\mathrm{tr}(J^{-1}K)/(2N)` of a misspecified model, where
    a right model with one parameter would give :math:`1/(2N)`. The readout adds
    :math:`\\mathrm{KL}(p\\|q_{\\lambda^\\star})` (:func:`pgmlib.exponential_min_kl`), which
    no N lowers.

    What to try (the guide printed beside the explorer):

    - Start at $N = 10$ and step through the four samples: the dashed orange curve peaks at
      $\\hat\\lambda_N$ anywhere from about 0.83 to 1.35, while the blue curve and its top,
      $\\lambda^\\star = 1$, never move.
    - Push $N$ up to $10^4$: the orange curve settles onto $\\mathbb E_p[\\log q_\\lambda] =
      -H(p, q_\\lambda)$ and $\\hat\\lambda_N$ ends within 1% of $\\lambda^\\star$ for every
      sample.
    - On the right, the dashed line (the mean excess KL over all samples of size $N$) falls
      tenfold for each tenfold increase of $N$; a single sample's path zigzags around it, yet
      ends at $N = 10^4$ at least a hundred times lower than it started at $N = 10$.
    - At $N = 1000$ the readout's mean excess is 0.00025 nats $= 1/(4N)$: half the $1/(2N)$ a
      correct one-parameter model would give, because $p$ is not exponential.
    - $\\mathrm{KL}(p\\|q_{\\lambda^\\star}) \\approx 0.116$ nats in the readout is the same for
      every $N$ and every sample: maximum likelihood homes in on the best exponential, not on
      $p$.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".
    shape : float, default 2
        Shape :math:`k > 0.1` of the gamma data density (``shape = 1`` makes the model right;
        below 0.1 the mean excess at N = 10 is infinite).
    scale : float, default 0.5
        Its scale :math:`s > 0`. The rate axis spans :math:`[0.2, 3]\\lambda^\\star`.

    Returns
    -------
    Explorer
        Controls ``n`` (31 sample sizes from 10 to 10^4) and ``seed`` (samples 1 to 4);
        ``state`` holds ``rate_hat``, ``rate_star``, ``excess_kl``, ``mean_excess_kl``,
        ``min_kl``, the curves (``rates``, ``sample_curve``, ``exact_curve``) and the sample's
        ``path_excess`` over every N of the slider. Static: 6 sample sizes (10, 40, 150, 600,
        2500, 10^4) x 4 samples = 24 frames, about 10 KB each.

    Raises
    ------
    TypeError, ValueError
        If ``shape`` or ``scale`` is not a finite real number, ``scale`` <= 0 or
        ``shape`` <= 0.1.

    Examples
    --------
    >>> explorer = ml_as_kl_explorer(mode="live")
    >>> explorer.set(n=10_000)
    >>> state = explorer.state
    >>> bool(abs(state["rate_hat"] / state["rate_star"] - 1) < 0.02)
    True
    >>> bool(state["excess_kl"] < 1e-3 < state["min_kl"])
    True
    """
    shape = as_scalar(shape, "shape")
    if shape <= _MIN_SHAPE:
        raise ValueError(
            f"`shape` must be > {_MIN_SHAPE:g} (for smaller shapes the mean excess KL of "
            f"samples of N = 10 is infinite); got {shape:g}"
        )
    scale = float(check_positive(as_scalar(scale, "scale"), "scale"))
    samples = _Samples(shape, scale)
    controls = [
        slider(
            "n",
            _N_VALUES,
            value=10,
            description="sample size N",
            fmt="{:.0f}",
            static_grid=_N_STATIC,
        ),
        slider("seed", _SEEDS, value=1, description="sample (seed)", fmt="{:.0f}"),
    ]
    return Explorer(
        controls,
        _make_state(samples),
        _MLAsKLView(samples),
        readout=_make_readout(samples),
        alt=_make_alt(samples),
        mode=mode,
        name="ml_as_kl",
    )
