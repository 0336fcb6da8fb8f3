"""Section 1.6, Example 1.12 — gradient flow of the KL between two Gaussians.

We fit :math:`q = \\mathcal{N}(\\mu, \\sigma^2)` to a target :math:`p = \\mathcal{N}(\\mu_0,
\\sigma_0^2)` by gradient descent on :math:`\\mathrm{KL}(p \\,\\|\\, q)`, eq. (1.38), in the
parameters :math:`(\\mu, \\sigma)` of ``q``.

The notes' gradient (1.40) drops the mean term, and the update (1.42) inherits the slip: the
functions here use the correct gradient by default and iterate the printed rules only when
asked (``rule="notes"``), so that the book can show both trajectories of Figure 1.5.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_float_array, as_scalar, check_count, check_positive
from .divergences import kl_gaussian

__all__ = [
    "GaussianKLGradient",
    "GradientFlowError",
    "GradientFlowPath",
    "GradientFlowStop",
    "kl_gaussian_grad",
    "kl_gradient_flow",
]

Rule = Literal["exact", "notes"]
_RULES = ("exact", "notes")
_ON_STOP = ("raise", "return")


class GaussianKLGradient(NamedTuple):
    """Partial derivatives of :math:`\\mathrm{KL}(p \\,\\|\\, q)` in the parameters of ``q``
    (unpacks as a pair)."""

    d_mu1: float | np.ndarray
    d_sigma1: float | np.ndarray


@dataclass(frozen=True)
class GradientFlowStop:
    """Where and why :func:`kl_gradient_flow` stopped before its last step.

    Attributes
    ----------
    step : int
        The step (1-based) whose result was refused; the path holds the iterates before it.
    parameter : str
        ``"sigma"`` or ``"mu"``: the coordinate that left the domain (sigma <= 0, or a
        non-finite value); ``"kl"``: the KL exceeded ``max_kl`` (the iterates diverge).
    value : float
        That coordinate (the KL for ``"kl"``) after the step.
    reason : str
        The message: the step, the value, and the step size to reduce.
    """

    step: int
    parameter: Literal["sigma", "mu", "kl"]
    value: float
    reason: str


@dataclass(frozen=True, eq=False)
class GradientFlowPath:
    """Iterates of the gradient flow, starting point included (unpacks and indexes as the
    pair ``mus, sigmas``).

    Attributes
    ----------
    mus, sigmas : ndarray, shape (n,)
        The iterates: ``n_steps + 1`` of them, or ``stop.step`` when the flow stopped.
    stop : GradientFlowStop or None
        Why the flow stopped early (only with ``on_stop="return"``); None when it took every
        step.
    """

    mus: np.ndarray
    sigmas: np.ndarray
    stop: GradientFlowStop | None = None

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.mus, self.sigmas))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> np.ndarray:
        return (self.mus, self.sigmas)[index]


class GradientFlowError(ValueError):
    """An iterate of :func:`kl_gradient_flow` left the domain (sigma <= 0 or non-finite), or
    its KL exceeded ``max_kl``.

    The message names the step, the value and the fix. The attributes let a caller show what
    happened without a traceback (or pass ``on_stop="return"`` and read
    :attr:`GradientFlowPath.stop` instead).

    Attributes
    ----------
    step : int
        The step (1-based) whose result was refused.
    parameter : str
        ``"sigma"`` or ``"mu"``: the coordinate that left the domain; ``"kl"``: the KL.
    value : float
        Its value after that step.
    mus, sigmas : ndarray
        The valid iterates, ``(step,)`` each: the start and steps 1 to ``step - 1``.
    """

    def __init__(
        self, message: str, *, step: int, parameter: str, value: float, mus, sigmas
    ) -> None:
        super().__init__(message)
        self.step, self.parameter, self.value = step, parameter, value
        self.mus, self.sigmas = mus, sigmas


def _check_rule(rule: str) -> str:
    if rule not in _RULES:
        raise ValueError(f"`rule` must be 'exact' or 'notes'; got {rule!r}")
    return rule


def kl_gaussian_grad(
    mu0: ArrayLike,
    sigma0: ArrayLike,
    mu1: ArrayLike,
    sigma1: ArrayLike,
    *,
    rule: Rule = "exact",
) -> GaussianKLGradient:
    r"""Gradient of :math:`\mathrm{KL}(\mathcal{N}(\mu_0, \sigma_0^2) \,\|\,
    \mathcal{N}(\mu_1, \sigma_1^2))` with respect to :math:`(\mu_1, \sigma_1)`.

    Parameters
    ----------
    mu0, sigma0 : float or array_like
        Mean and standard deviation (> 0) of the target :math:`p`.
    mu1, sigma1 : float or array_like
        Mean and standard deviation (> 0) of :math:`q`, the distribution being fitted.
    rule : {"exact", "notes"}, optional
        ``"exact"`` (default) differentiates eq. (1.38); ``"notes"`` returns the notes' printed
        eqs. (1.39)-(1.40), whose :math:`\sigma_1` component is wrong when
        :math:`\mu_1 \ne \mu_0` (for showing the erratum only).

    Returns
    -------
    GaussianKLGradient
        ``(d_mu1, d_sigma1)``, each with the broadcast shape of the inputs (floats when all
        inputs are scalars).

    Raises
    ------
    ValueError
        If an argument is empty or non-finite, a standard deviation is not > 0, the shapes do
        not broadcast, or ``rule`` is unknown.

    Notes
    -----
    Differentiating eq. (1.38),

    .. math::

        \frac{\partial \mathrm{KL}}{\partial \mu_1} = \frac{\mu_1 - \mu_0}{\sigma_1^2}
        \quad \text{(eq. 1.39)}, \qquad
        \frac{\partial \mathrm{KL}}{\partial \sigma_1}
        = \frac{\sigma_1^2 - \sigma_0^2 - (\mu_1 - \mu_0)^2}{\sigma_1^3}.

    The notes' eq. (1.40) prints :math:`(\sigma_1^2 - \sigma_0^2)/\sigma_1^3`: it misses the
    term :math:`-(\mu_1 - \mu_0)^2/\sigma_1^3`, which comes from differentiating
    :math:`(\mu_0 - \mu_1)^2 / (2\sigma_1^2)`. Both vanish at :math:`q = p`.

    Examples
    --------
    Check the exact gradient against a central finite difference:

    >>> import numpy as np
    >>> from pgmlib import kl_gaussian, kl_gaussian_grad
    >>> d_mu, d_sigma = kl_gaussian_grad(0.0, 1.0, 2.0, 1.5)
    >>> h = 1e-6
    >>> fd = (kl_gaussian(0.0, 1.0, 2.0, 1.5 + h) - kl_gaussian(0.0, 1.0, 2.0, 1.5 - h)) / (2 * h)
    >>> bool(np.isclose(d_sigma, fd, rtol=1e-7))
    True
    >>> bool(np.isclose(kl_gaussian_grad(0.0, 1.0, 2.0, 1.5, rule="notes").d_sigma1, fd))
    False
    """
    _check_rule(rule)
    m0, m1 = as_float_array(mu0, "mu0"), as_float_array(mu1, "mu1")
    s0, s1 = check_positive(sigma0, "sigma0"), check_positive(sigma1, "sigma1")
    try:
        m0, s0, m1, s1 = np.broadcast_arrays(m0, s0, m1, s1)
    except ValueError as error:
        shapes = f"{m0.shape}, {s0.shape}, {m1.shape}, {s1.shape}"
        raise ValueError(
            f"`mu0`, `sigma0`, `mu1`, `sigma1` must broadcast together; got shapes {shapes}"
        ) from error
    d_mu, d_sigma = _gradient(m0, s0, m1, s1, rule)
    if d_mu.ndim == 0:
        return GaussianKLGradient(float(d_mu), float(d_sigma))
    return GaussianKLGradient(d_mu, d_sigma)


def _gradient(mu0, sigma0, mu, sigma, rule: str):
    """(d/dmu, d/dsigma) of eq. (1.38), exact or as printed in (1.39)-(1.40); no checks."""
    diff = mu - mu0
    mean_term = diff**2 if rule == "exact" else 0.0
    return diff / sigma**2, (sigma**2 - sigma0**2 - mean_term) / sigma**3


def _domain_stop(step, parameter, value, mu, sigma, eta_mu, eta_sigma, rule) -> GradientFlowStop:
    """Step ``step`` took ``parameter`` out of the domain from the iterate ``(mu, sigma)``."""
    if parameter == "sigma":
        fix = f"reduce eta_sigma (now {eta_sigma:g})"
    else:
        fix = (
            f"reduce eta_mu (now {eta_mu:g}); with sigma = {sigma:g} the mean step "
            f"eta_mu (mu - mu0) / sigma^2 is huge"
        )
    reason = (
        f"step {step} of the KL gradient flow (rule={rule!r}) took {parameter} to {value:g} "
        f"from (mu, sigma) = ({mu:g}, {sigma:g}); sigma must stay > 0 and both "
        f"finite. The step is too large: {fix}."
    )
    return GradientFlowStop(step, parameter, value, reason)


def _divergence_stop(args, mus, sigmas, valid, max_kl, rule) -> GradientFlowStop | None:
    """The first step (of the ``valid`` iterates) whose iterate has a KL above ``max_kl``."""
    mu0, sigma0, _, _, eta_mu, eta_sigma = args
    with np.errstate(over="ignore"):
        kl = kl_gaussian(mu0, sigma0, mus[1:valid], sigmas[1:valid]) if valid > 1 else []
    over = np.flatnonzero(~(np.asarray(kl) <= max_kl))
    if not over.size:
        return None
    step = int(over[0]) + 1
    mu, sigma = mus[step], sigmas[step]
    name, eta = ("eta_mu", eta_mu) if abs(mu - mu0) > sigma else ("eta_sigma", eta_sigma)
    reason = (
        f"step {step} of the KL gradient flow (rule={rule!r}) took (mu, sigma) to "
        f"({mu:.3g}, {sigma:.3g}), where the KL exceeds {max_kl:.0e}: the iterates diverge. "
        f"The step is too large: reduce {name} (now {eta:g})."
    )
    return GradientFlowStop(step, "kl", float(kl[step - 1]), reason)


def _check_stop_rules(max_kl, on_stop, args) -> float | None:
    """``max_kl`` as a float (or None), above the KL at the start; ``on_stop`` known."""
    if on_stop not in _ON_STOP:
        raise ValueError(f"`on_stop` must be 'raise' or 'return'; got {on_stop!r}")
    if max_kl is None:
        return None
    max_kl = as_scalar(max_kl, "max_kl")
    if max_kl <= 0:
        raise ValueError(f"`max_kl` must be > 0 (a ceiling on the KL) or None; got {max_kl:g}")
    start = kl_gaussian(*args[:4])
    if not start < max_kl:
        raise ValueError(f"`max_kl` ({max_kl:g}) must exceed the KL at the start ({start:g})")
    return max_kl


def _flow_arguments(mu0, sigma0, mu_init, sigma_init, eta_mu, eta_sigma) -> list[float]:
    """Check the scalar arguments of :func:`kl_gradient_flow`; return them as floats."""
    values = [as_scalar(mu0, "mu0"), as_scalar(sigma0, "sigma0"), as_scalar(mu_init, "mu_init")]
    values += [as_scalar(sigma_init, "sigma_init")]
    for name, value in (("sigma0", values[1]), ("sigma_init", values[3])):
        if value <= 0:
            raise ValueError(f"`{name}` must be > 0 (a standard deviation); got {value:g}")
    for name, value in (("eta_mu", eta_mu), ("eta_sigma", eta_sigma)):
        eta = as_scalar(value, name)
        if eta < 0:
            raise ValueError(f"`{name}` must be >= 0 (a step size); got {eta:g}")
        values.append(eta)
    return values


def kl_gradient_flow(
    mu0: float,
    sigma0: float,
    mu_init: float,
    sigma_init: float,
    eta_mu: float,
    eta_sigma: float,
    n_steps: int,
    *,
    rule: Rule = "exact",
    max_kl: float | None = None,
    on_stop: Literal["raise", "return"] = "raise",
) -> GradientFlowPath:
    r"""Gradient descent on :math:`\mathrm{KL}(\mathcal{N}(\mu_0, \sigma_0^2) \,\|\,
    \mathcal{N}(\mu, \sigma^2))` in :math:`(\mu, \sigma)` (Example 1.12, Figure 1.5).

    Parameters
    ----------
    mu0, sigma0 : float
        Mean and standard deviation (> 0) of the target :math:`p`.
    mu_init, sigma_init : float
        Starting point :math:`(\mu, \sigma)`, ``sigma_init > 0``.
    eta_mu, eta_sigma : float
        Step sizes (>= 0) of the two coordinates.
    n_steps : int
        Number of updates (>= 0).
    rule : {"exact", "notes"}, optional
        ``"exact"`` (default) steps along the gradient of eq. (1.38)
        (:func:`kl_gaussian_grad`); ``"notes"`` iterates eqs. (1.41)-(1.42) exactly as printed,
        as the notes' Figure 1.5 does.
    max_kl : float, optional
        Stop where an iterate's KL exceeds this (above the KL at the start): the iterates
        diverge (with a logarithmic KL axis, an explorer stops at ``1e100``, long before the
        KL overflows). Default: no ceiling.
    on_stop : {"raise", "return"}, optional
        What a stop does (an iterate leaving the domain, or above ``max_kl``): raise
        :class:`GradientFlowError` (default), or return the path up to the stop with
        :attr:`GradientFlowPath.stop` saying where and why.

    Returns
    -------
    GradientFlowPath
        ``(mus, sigmas)``, arrays of length ``n_steps + 1`` starting at ``(mu_init,
        sigma_init)`` (shorter after a stop, with ``on_stop="return"``). The KL along the
        path is ``kl_gaussian(mu0, sigma0, mus, sigmas)``.

    Raises
    ------
    GradientFlowError
        (a ``ValueError``) With ``on_stop="raise"``, if an iterate leaves the domain
        (sigma <= 0, or a non-finite value) or its KL exceeds ``max_kl``: the step size is too
        large. The message names the step, the value and the fix; the error carries the valid
        part of the path (see :class:`GradientFlowError`).
    ValueError
        If a parameter is non-finite, a standard deviation is not > 0, a step size is < 0,
        ``max_kl`` is not above the KL at the start, or ``rule`` or ``on_stop`` is unknown;
        also if ``n_steps`` < 0.
    TypeError
        If a parameter is not a real number or ``n_steps`` is not an integer.

    Notes
    -----
    Both coordinates are updated simultaneously from the current iterate:

    .. math::

        \mu_{n+1} = \mu_n - \eta_\mu \frac{\mu_n - \mu_0}{\sigma_n^2} \quad \text{(eq. 1.41)},
        \qquad
        \sigma_{n+1} = \sigma_n - \eta_\sigma
            \frac{\sigma_n^2 - \sigma_0^2 - (\mu_n - \mu_0)^2}{\sigma_n^3}.

    The notes' eq. (1.42) omits :math:`-(\mu_n - \mu_0)^2` (it uses the gradient (1.40) as
    printed); ``rule="notes"`` reproduces it. While :math:`\mu_n` is far from :math:`\mu_0`,
    the exact rule keeps :math:`\sigma` wide (the best :math:`\sigma` for a fixed
    :math:`\mu` is :math:`\sqrt{\sigma_0^2 + (\mu - \mu_0)^2}`), the printed one shrinks it
    towards :math:`\sigma_0` regardless of :math:`\mu`.

    Fixed step sizes must stay below the stability limits near the target (about
    :math:`2\sigma^2` for :math:`\eta_\mu`). Figure 1.5's :math:`\eta_\mu = 10` is far
    above that once :math:`\sigma` approaches :math:`\sigma_0 = 1`: both rules lower the KL
    for the figure's 30 steps, then overshoot (the KL first rises at step 32 with the printed
    rule and at step 38 with the exact one).

    Examples
    --------
    The settings of Figure 1.5: target :math:`\mathcal{N}(0, 1)`, start :math:`(10, 20)`,
    :math:`\eta_\mu = 10`, :math:`\eta_\sigma = 6.6`:

    >>> import numpy as np
    >>> from pgmlib import kl_gaussian, kl_gradient_flow
    >>> mus, sigmas = kl_gradient_flow(0.0, 1.0, 10.0, 20.0, 10.0, 6.6, n_steps=30)
    >>> mus.shape, float(mus[0]), float(sigmas[0])
    ((31,), 10.0, 20.0)
    >>> bool(np.all(np.diff(kl_gaussian(0.0, 1.0, mus, sigmas)) < 0))  # KL decreases
    True
    >>> mus, sigmas = kl_gradient_flow(0.0, 1.0, 2.0, 3.0, 0.5, 0.5, n_steps=200)
    >>> bool(np.allclose([mus[-1], sigmas[-1]], [0.0, 1.0], atol=1e-6))
    True

    A step size that is too large stops the flow; an explorer asks for the valid part:

    >>> path = kl_gradient_flow(0.0, 1.0, 0.0, 3.0, 0.0, 20.0, n_steps=5, on_stop="return")
    >>> path.mus.size, path.stop.step, path.stop.parameter
    (1, 1, 'sigma')
    """
    _check_rule(rule)
    args = _flow_arguments(mu0, sigma0, mu_init, sigma_init, eta_mu, eta_sigma)
    steps = check_count(n_steps, "n_steps")
    max_kl = _check_stop_rules(max_kl, on_stop, args)
    mus, sigmas, stop = _descend(args, steps, rule)
    if max_kl is not None:  # an earlier divergence stops the path first
        valid = stop.step if stop else steps + 1
        stop = _divergence_stop(args, mus, sigmas, valid, max_kl, rule) or stop
    return _stopped(mus, sigmas, stop, on_stop)


def _descend(args, steps: int, rule: str) -> tuple[np.ndarray, np.ndarray, GradientFlowStop | None]:
    """The iterates, up to the first that leaves the domain (then the stop, else None)."""
    mu0, sigma0, mu, sigma, eta_mu, eta_sigma = args
    mus, sigmas = np.empty(steps + 1), np.empty(steps + 1)
    mus[0], sigmas[0] = mu, sigma
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for n in range(steps):
            d_mu, d_sigma = _gradient(mu0, sigma0, mus[n], sigmas[n], rule)
            # A zero step size freezes its coordinate (even where the gradient overflows).
            mus[n + 1] = mus[n] - eta_mu * d_mu if eta_mu else mus[n]
            sigmas[n + 1] = sigmas[n] - eta_sigma * d_sigma if eta_sigma else sigmas[n]
            bad_sigma = not (np.isfinite(sigmas[n + 1]) and sigmas[n + 1] > 0)
            if bad_sigma or not np.isfinite(mus[n + 1]):
                parameter = "sigma" if bad_sigma else "mu"
                value = float(sigmas[n + 1] if bad_sigma else mus[n + 1])
                stop = _domain_stop(
                    n + 1, parameter, value, mus[n], sigmas[n], eta_mu, eta_sigma, rule
                )
                return mus, sigmas, stop
    return mus, sigmas, None


def _stopped(mus, sigmas, stop: GradientFlowStop | None, on_stop: str) -> GradientFlowPath:
    """The whole path, or its valid part: returned with the stop, or raised."""
    if stop is None:
        return GradientFlowPath(mus, sigmas)
    mus, sigmas = mus[: stop.step].copy(), sigmas[: stop.step].copy()
    if on_stop == "return":
        return GradientFlowPath(mus, sigmas, stop)
    raise GradientFlowError(
        stop.reason,
        step=stop.step,
        parameter=stop.parameter,
        value=stop.value,
        mus=mus,
        sigmas=sigmas,
    )
