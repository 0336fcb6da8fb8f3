"""Section 1.5 — entropy, cross-entropy and the Kullback–Leibler divergence.

Discrete quantities take probability mass functions (1-D arrays that are nonnegative and sum to
one) and follow the conventions of information theory: ``0 log 0 = 0`` and ``p log(p / 0) =
+inf`` for ``p > 0``. They are computed with :func:`scipy.special.entr`,
:func:`scipy.special.xlogy` and :func:`scipy.special.rel_entr`, which implement exactly these
conventions without warnings.

Continuous quantities take densities (callables) on a finite interval ``[a, b]`` and integrate
by adaptive quadrature (:func:`scipy.integrate.quad`); pass the abscissae of jumps or kinks of
the densities in ``points``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._quadrature import _continuous_setup, _integrate_divergence, _misses_mass, _quad
from ._validation import (
    as_scalar,
    check_base,
    check_count,
    check_pmf,
    check_probability,
    check_same_shape,
)

__all__ = [
    "binary_entropy",
    "cross_entropy",
    "cross_entropy_continuous",
    "differential_entropy",
    "entropy",
    "kl_divergence",
    "tilted_pmf",
]


def _in_base(value: Any, base: float | None) -> Any:
    return value if base is None else value / np.log(base)


def _pmf_pair(p: ArrayLike, q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p_arr, q_arr = check_pmf(p, "p"), check_pmf(q, "q")
    check_same_shape(p_arr, q_arr, "p", "q")
    return p_arr, q_arr


def entropy(p: ArrayLike, base: float | None = None) -> float:
    r"""Entropy of a probability mass function.

    Parameters
    ----------
    p : array_like, shape (K,)
        Probability mass function: nonnegative, summing to one.
    base : float, optional
        Base of the logarithm (``2`` for bits); ``None`` (default) gives nats.

    Returns
    -------
    float
        :math:`H(p) \ge 0`, at most :math:`\log K`.

    Raises
    ------
    ValueError
        If ``p`` is empty, not 1-D, has non-finite or negative entries, does not sum to one,
        or if ``base`` is not a number > 0 and != 1.

    Notes
    -----
    Eq. (1.19) of the notes:

    .. math:: H(p) = -\sum_{x=1}^{K} p(x) \log p(x), \qquad 0 \log 0 = 0.

    By Jensen's inequality, eq. (1.22), :math:`H(p) \le \log |\mathrm{supp}\, p| \le \log K`,
    with equality for the uniform pmf, eq. (1.23).

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., ch. 2.

    Examples
    --------
    The uniform pmf on four outcomes has entropy log 4 nats, i.e. two bits:

    >>> import numpy as np
    >>> from pgmlib import entropy
    >>> bool(np.isclose(entropy([0.25, 0.25, 0.25, 0.25]), np.log(4)))
    True
    >>> entropy([0.25, 0.25, 0.25, 0.25], base=2)
    2.0
    >>> entropy([1.0, 0.0])  # a certain outcome carries no information
    0.0
    """
    p_arr = check_pmf(p, "p")
    base = check_base(base)
    return float(_in_base(np.sum(special.entr(p_arr)), base))


def cross_entropy(p: ArrayLike, q: ArrayLike, base: float | None = None) -> float:
    r"""Cross-entropy of a pmf ``q`` relative to a pmf ``p``.

    Parameters
    ----------
    p, q : array_like, shape (K,)
        Probability mass functions on the same K outcomes.
    base : float, optional
        Base of the logarithm; ``None`` (default) gives nats.

    Returns
    -------
    float
        :math:`H(p, q) \ge H(p)`; ``inf`` when ``q(x) = 0`` for some ``x`` with ``p(x) > 0``.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a pmf, if their shapes differ, or if ``base`` is invalid.

    Notes
    -----
    Eq. (1.25) of the notes:

    .. math:: H(p, q) = -\sum_{x=1}^{K} p(x) \log q(x),

    with :math:`0 \log q = 0` (outcomes that ``p`` never produces cost nothing) and
    :math:`-p \log 0 = +\infty` for :math:`p > 0`. It splits as
    :math:`H(p, q) = H(p) + \mathrm{KL}(p \,\|\, q)`, eq. (1.32).

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import cross_entropy, entropy, kl_divergence
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> bool(np.isclose(cross_entropy(p, q), entropy(p) + kl_divergence(p, q)))
    True
    >>> cross_entropy([0.5, 0.5], [1.0, 0.0])  # q misses an outcome that p produces
    inf
    """
    p_arr, q_arr = _pmf_pair(p, q)
    base = check_base(base)
    return float(_in_base(-np.sum(special.xlogy(p_arr, q_arr)), base))


def kl_divergence(p: ArrayLike, q: ArrayLike, base: float | None = None) -> float:
    r"""Kullback–Leibler divergence between two probability mass functions.

    Parameters
    ----------
    p, q : array_like, shape (K,)
        Probability mass functions on the same K outcomes.
    base : float, optional
        Base of the logarithm; ``None`` (default) gives nats.

    Returns
    -------
    float
        :math:`\mathrm{KL}(p \,\|\, q) \ge 0`, zero if and only if ``p == q``; ``inf`` when
        ``p`` is not absolutely continuous with respect to ``q`` (``q(x) = 0 < p(x)`` for some
        ``x``).

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a pmf, if their shapes differ, or if ``base`` is invalid.

    Notes
    -----
    Definition 1.6 of the notes:

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_x p(x) \log \frac{p(x)}{q(x)}
              = H(p, q) - H(p) \quad \text{(eq. 1.32)},

    with :math:`0 \log(0 / q) = 0` and :math:`p \log(p / 0) = +\infty` for :math:`p > 0`
    (Definition 1.5 requires :math:`P \ll Q`). Remark 1.11 says "always positive": the
    divergence is *nonnegative*, and zero exactly when ``p == q``.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import kl_divergence
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> bool(np.isclose(kl_divergence(p, q), 0.5 * np.log(0.5 / 0.9) + 0.5 * np.log(0.5 / 0.1)))
    True
    >>> kl_divergence(p, p)
    0.0
    >>> kl_divergence(p, q) != kl_divergence(q, p)  # not symmetric
    True
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    p_arr, q_arr = _pmf_pair(p, q)
    base = check_base(base)
    # Rounding can leave the sum of the terms at -1e-16 when q is p up to rounding: KL >= 0.
    return float(_in_base(max(np.sum(special.rel_entr(p_arr, q_arr)), 0.0), base))


def binary_entropy(theta: ArrayLike, base: float | None = None) -> float | np.ndarray:
    r"""Entropy of a Bernoulli(theta) variable, vectorised over ``theta``.

    Parameters
    ----------
    theta : float or array_like
        Probabilities :math:`\theta = P(X = 1)` in :math:`[0, 1]`; any shape.
    base : float, optional
        Base of the logarithm; ``None`` (default) gives nats.

    Returns
    -------
    float or ndarray
        :math:`H(\theta)`, same shape as ``theta`` (a float for a scalar input); zero at
        :math:`\theta \in \{0, 1\}` and maximal, :math:`\log 2`, at :math:`\theta = 1/2`.

    Raises
    ------
    ValueError
        If ``theta`` is empty, non-finite or outside :math:`[0, 1]`, or ``base`` is invalid.

    Notes
    -----
    Example 1.7 of the notes (Figure 1.3):

    .. math:: H(\theta) = -\theta \log \theta - (1 - \theta) \log (1 - \theta),

    extended by continuity (:math:`0 \log 0 = 0`) to the endpoints.

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import binary_entropy
    >>> binary_entropy([0.0, 1.0]).tolist()
    [0.0, 0.0]
    >>> bool(np.isclose(binary_entropy(0.5), np.log(2)))
    True
    >>> binary_entropy(0.5, base=2)
    1.0
    """
    theta_arr = check_probability(theta, "theta")
    base = check_base(base)
    value = _in_base(special.entr(theta_arr) + special.entr(1.0 - theta_arr), base)
    return float(value) if value.ndim == 0 else value


def tilted_pmf(n_outcomes: int, tilt: float, centre: float | None = None) -> np.ndarray:
    r"""The pmf :math:`p_k \propto e^{\text{tilt}\,(k - c)}` on the outcomes ``k = 1..n_outcomes``.

    A one-parameter family of example pmfs (the explorers of section 1.5 move along it):
    ``tilt = 0`` is the uniform pmf, of maximal entropy :math:`\log K`; a large negative tilt
    piles the mass on ``k = 1``, a large positive one on ``k = n_outcomes``.

    Parameters
    ----------
    n_outcomes : int
        Number of outcomes :math:`K \ge 1`.
    tilt : float
        The slope of :math:`\log p_k` in ``k`` (any finite number).
    centre : float, optional
        The outcome :math:`c` where the unnormalised weight is 1 (default: the middle outcome,
        ``(K + 1) / 2``). It cancels in the normalisation, so only the rounding depends on it.

    Returns
    -------
    ndarray, shape (n_outcomes,)
        Positive where representable and summing to one; computed from the logits shifted by
        their maximum, so that no weight overflows even for a tilt of :math:`\pm 10^3`.

    Raises
    ------
    TypeError
        If `n_outcomes` is not an integer, or `tilt` or `centre` not a real number.
    ValueError
        If `n_outcomes` < 1, or `tilt` or `centre` is not finite.

    Notes
    -----
    :math:`p_k = e^{t (k - c)} / \sum_{j=1}^{K} e^{t (j - c)}`: a discretised exponential
    distribution, whose entropy falls from :math:`\log K` at :math:`t = 0` towards 0 as
    :math:`|t| \to \infty` (eqs. (1.22)-(1.23)).

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import entropy, tilted_pmf
    >>> tilted_pmf(4, 0.0).tolist()
    [0.25, 0.25, 0.25, 0.25]
    >>> p = tilted_pmf(3, -50.0)
    >>> bool(p[0] > 0.999999 and abs(p.sum() - 1) < 1e-15)
    True
    >>> p = tilted_pmf(5, 0.7)  # consecutive ratios are e^tilt
    >>> bool(np.allclose(p[1:] / p[:-1], np.exp(0.7), rtol=1e-14))
    True
    >>> bool(entropy(p) < np.log(5))
    True
    """
    n_outcomes = check_count(n_outcomes, "n_outcomes", minimum=1)
    tilt = as_scalar(tilt, "tilt")
    centre = (n_outcomes + 1) / 2 if centre is None else as_scalar(centre, "centre")
    k = np.arange(1, n_outcomes + 1, dtype=float)
    logits = tilt * (k - centre)
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


# --------------------------------------------------------------------------------------------
# Continuous quantities (densities on a finite interval, by quadrature)
# --------------------------------------------------------------------------------------------


def differential_entropy(
    pdf: Callable[[np.ndarray], ArrayLike],
    a: float,
    b: float,
    *,
    points: Sequence[float] | None = None,
) -> float:
    r"""Differential entropy of a density supported on ``[a, b]``, by quadrature.

    Parameters
    ----------
    pdf : callable
        Density ``pdf(x)``; must accept a numpy array and return an array of the same shape
        (a constant returned as a scalar is broadcast), finite and nonnegative on ``[a, b]``,
        and integrate to one there (within 1e-6).
    a, b : float
        Finite interval with ``a < b`` holding (almost) all the mass.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``pdf`` jumps or has a kink (passed to
        :func:`scipy.integrate.quad`).

    Returns
    -------
    float
        :math:`H(p)`, which may be negative (Remark 1.9).

    Raises
    ------
    TypeError
        If ``pdf`` is not callable or cannot be evaluated on an array.
    ValueError
        If ``a < b`` fails, or ``pdf`` is negative, non-finite or not normalised on ``[a, b]``.

    Notes
    -----
    Eq. (1.29) of the notes:

    .. math:: H(p) = -\int_a^b p(x) \log p(x) \, dx, \qquad 0 \log 0 = 0.

    For the uniform density on :math:`[a, b]`, Example 1.8 gives :math:`\log(b - a)`: zero for
    :math:`b - a = 1` and negative for :math:`b - a < 1` (the notes' "\le 1" is a slip).

    Examples
    --------
    >>> import numpy as np
    >>> from pgmlib import differential_entropy
    >>> bool(np.isclose(differential_entropy(lambda x: 1 / 0.5, 0.0, 0.5), np.log(0.5)))
    True
    >>> from scipy import stats
    >>> h = differential_entropy(stats.norm.pdf, -12.0, 12.0)
    >>> bool(np.isclose(h, stats.norm.entropy(), rtol=1e-10))
    True
    """
    low, high, cuts, (density,), _ = _continuous_setup({"pdf": pdf}, a, b, points)
    return _quad(lambda x: special.entr(density(x)), low, high, cuts, "-p log p")


def cross_entropy_continuous(
    p: Callable[[np.ndarray], ArrayLike],
    q: Callable[[np.ndarray], ArrayLike],
    a: float,
    b: float,
    *,
    points: Sequence[float] | None = None,
) -> float:
    r"""Cross-entropy of density ``q`` relative to density ``p`` on ``[a, b]``, by quadrature.

    Parameters
    ----------
    p, q : callable
        Densities on ``[a, b]`` (see :func:`differential_entropy` for what is checked).
    a, b : float
        Finite interval with ``a < b``.
    points : sequence of float, optional
        Abscissae in ``(a, b)`` where ``p`` or ``q`` jumps or has a kink.

    Returns
    -------
    float
        :math:`H(p, q)`; ``inf`` where ``q(x) = 0 < p(x)`` is found (see Notes).

    Raises
    ------
    TypeError, ValueError
        As :func:`differential_entropy`, for either density.

    Notes
    -----
    Eq. (1.30) of the notes:

    .. math:: H(p, q) = -\int_a^b p(x) \log q(x) \, dx.

    The result is ``inf`` when ``q(x) == 0 < p(x)`` at one of 2001 grid points of ``[a, b]`` or
    at a quadrature node: ``p`` is then not absolutely continuous with respect to ``q``. The
    densities are taken as given, so a ``q`` that underflows to zero in floating point where
    ``p`` still has mass also gives ``inf``; keep ``[a, b]`` where ``q`` is representable.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from pgmlib import cross_entropy_continuous, differential_entropy
    >>> p, q = stats.norm(0, 1).pdf, stats.norm(1, 2).pdf
    >>> h_pq = cross_entropy_continuous(p, q, -15.0, 15.0)
    >>> bool(np.isclose(h_pq, 0.5 * np.log(2 * np.pi * 4) + (1 + 1) / 8, rtol=1e-10))
    True
    >>> h_pq > differential_entropy(p, -15.0, 15.0)
    True
    """
    low, high, cuts, (p_x, q_x), grids = _continuous_setup({"p": p, "q": q}, a, b, points)
    if _misses_mass(*grids):
        return float(np.inf)
    integrand = lambda x: -special.xlogy(p_x(x), q_x(x))  # noqa: E731
    return _integrate_divergence(integrand, low, high, cuts, "-p log q")
