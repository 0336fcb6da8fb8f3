r"""Section 1.6 — maximum likelihood as Monte Carlo KL minimisation (eqs. (1.43)-(1.46)).

A worked case where every quantity of eqs. (1.43)-(1.46) has a closed form and the truth lies
*outside* the model family. The data come from a gamma density of shape :math:`k` and scale
:math:`s`,

.. math:: p(x) = \frac{x^{k-1} e^{-x/s}}{\Gamma(k)\, s^k}, \quad x > 0,
          \qquad \mathbb E_p[X] = ks,

and the model is the exponential family :math:`q_\lambda(x) = \lambda e^{-\lambda x}`
(:math:`x \ge 0`), one parameter :math:`\theta = \lambda > 0`. For :math:`k \ne 1` no
:math:`q_\lambda` equals :math:`p` (misspecified); :math:`k = 1` is the well-specified case.

- :func:`exponential_expected_log_likelihood`: :math:`\mathbb E_p[\log q_\lambda]
  = \log\lambda - \lambda ks = -H(p, q_\lambda)`, the curve of eq. (1.45);
- :func:`exponential_kl_minimiser`: :math:`\lambda^\star = 1/(ks)`, eq. (1.43);
- :func:`exponential_average_log_likelihood`: :math:`\frac1N\sum_i \log q_\lambda(x_i)
  = \log\lambda - \lambda\bar x_N`, the Monte Carlo curve of eq. (1.46) (divided by N);
- :func:`exponential_mle`: its maximiser :math:`\hat\lambda_N = 1/\bar x_N`;
- :func:`exponential_excess_kl`: :math:`\mathrm{KL}(p\|q_\lambda) - \mathrm{KL}(p\|
  q_{\lambda^\star})`, which needs no entropy of :math:`p`;
- :func:`exponential_expected_excess_kl`: its exact mean over samples of size N at
  :math:`\lambda = \hat\lambda_N` (about :math:`1/(2kN)`);
- :func:`exponential_min_kl`: :math:`\mathrm{KL}(p\|q_{\lambda^\star})`, what even the best
  exponential misses.

The explorer ``pgmlib.widgets.ml_as_kl_explorer`` draws these for growing samples.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

from ._validation import as_float_array, as_scalar, check_positive

__all__ = [
    "exponential_average_log_likelihood",
    "exponential_excess_kl",
    "exponential_expected_excess_kl",
    "exponential_expected_log_likelihood",
    "exponential_kl_minimiser",
    "exponential_min_kl",
    "exponential_mle",
]

#: From this value of :math:`a = Nk` on, the exact mean excess is summed from the asymptotic
#: series of the digamma function (the direct formula loses digits to cancellation).
_SERIES_FROM = 50.0


def _positive_scalar(value: Any, name: str) -> float:
    return float(check_positive(as_scalar(value, name), name))


def _gamma_mean(shape: Any, scale: Any) -> float:
    r""":math:`\mathbb E_p[X] = ks` of the data density, after checking ``shape`` and ``scale``."""
    return _positive_scalar(shape, "shape") * _positive_scalar(scale, "scale")


def _scalar_or_array(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def _sample(x: Any) -> np.ndarray:
    r"""A 1-D sample from the support of the exponential model: finite, >= 0, not all zero."""
    x = as_float_array(x, "x", ndim=1)
    if np.min(x) < 0:
        raise ValueError(
            f"`x` must be nonnegative (the exponential model has no density below 0, so "
            f"log q(x) = -inf there); got min(x) = {np.min(x):g}"
        )
    if np.max(x) == 0:
        raise ValueError(
            "`x` must not be all zero: the average log-likelihood log(rate) - rate * mean(x) "
            "then grows without bound as rate -> inf and there is no maximiser"
        )
    return x


def exponential_expected_log_likelihood(rate: Any, shape: Any, scale: Any) -> float | np.ndarray:
    r"""Expected log-likelihood :math:`\mathbb E_p[\log q_\lambda(X)] = -H(p, q_\lambda)`.

    Parameters
    ----------
    rate : float or array_like
        Rate(s) :math:`\lambda > 0` of the exponential model :math:`q_\lambda`.
    shape, scale : float
        Shape :math:`k > 0` and scale :math:`s > 0` of the gamma data density :math:`p`.

    Returns
    -------
    float or ndarray
        :math:`\log\lambda - \lambda ks`, with the shape of `rate`.

    Raises
    ------
    TypeError
        If `shape` or `scale` is not a real number, or `rate` not numeric.
    ValueError
        If a rate, `shape` or `scale` is not positive and finite.

    Notes
    -----
    The objective of eq. (1.45): :math:`\log q_\lambda(x) = \log\lambda - \lambda x` is
    linear in :math:`x`, so its mean under :math:`p` needs only :math:`\mathbb E_p[X] = ks`.
    It equals :math:`-H(p, q_\lambda)`, minus the cross-entropy (1.30), and
    :math:`-H(p) - \mathrm{KL}(p\|q_\lambda)`: maximising it over :math:`\lambda` minimises
    the KL divergence, eq. (1.44).

    Examples
    --------
    >>> from scipy import integrate, stats
    >>> p = stats.gamma(2.0, scale=0.5)
    >>> by_quadrature = integrate.quad(lambda x: p.pdf(x) * stats.expon.logpdf(x, scale=1 / 1.5),
    ...                                0, np.inf)[0]
    >>> bool(np.isclose(exponential_expected_log_likelihood(1.5, 2.0, 0.5), by_quadrature))
    True
    """
    mean = _gamma_mean(shape, scale)
    rates = check_positive(rate, "rate")
    return _scalar_or_array(np.log(rates) - rates * mean)


def exponential_kl_minimiser(shape: Any, scale: Any) -> float:
    r"""The rate :math:`\lambda^\star = \arg\min_\lambda \mathrm{KL}(p\|q_\lambda)`.

    Parameters
    ----------
    shape, scale : float
        Shape :math:`k > 0` and scale :math:`s > 0` of the gamma data density :math:`p`.

    Returns
    -------
    float
        :math:`\lambda^\star = 1/\mathbb E_p[X] = 1/(ks)`.

    Raises
    ------
    TypeError, ValueError
        If `shape` or `scale` is not a positive finite real number.

    Notes
    -----
    Eq. (1.43) through eq. (1.45): :math:`\frac{d}{d\lambda}(\log\lambda - \lambda ks) =
    1/\lambda - ks` vanishes at :math:`\lambda^\star = 1/(ks)`, and the objective is strictly
    concave. The best exponential matches the mean of :math:`p`, whatever its shape.

    Examples
    --------
    >>> rate = exponential_kl_minimiser(2.0, 0.5)
    >>> rate
    1.0
    >>> curve = exponential_expected_log_likelihood([0.99, 1.0, 1.01], 2.0, 0.5)
    >>> bool(curve[1] > max(curve[0], curve[2]))  # the top of E_p[log q]
    True
    """
    return 1.0 / _gamma_mean(shape, scale)


def exponential_average_log_likelihood(rate: Any, x: Any) -> float | np.ndarray:
    r"""Average log-likelihood :math:`\frac1N\sum_{i=1}^N \log q_\lambda(x_i)` of a sample.

    Parameters
    ----------
    rate : float or array_like
        Rate(s) :math:`\lambda > 0` of the exponential model.
    x : array_like, shape (N,)
        The sample: finite, nonnegative, not all zero.

    Returns
    -------
    float or ndarray
        :math:`\log\lambda - \lambda\bar x_N`, with the shape of `rate`.

    Raises
    ------
    ValueError
        If a rate is not positive and finite, or `x` is empty, not 1-D, not finite, has a
        negative value or is all zero.

    Notes
    -----
    Eq. (1.46) divided by :math:`N` (which does not move the maximiser): the Monte Carlo
    estimate of :math:`\mathbb E_p[\log q_\lambda(X)]` (eq. (1.45)) from the sample. For each
    fixed :math:`\lambda` it is an average of iid terms with mean
    :func:`exponential_expected_log_likelihood` and standard deviation
    :math:`\lambda\,\mathrm{sd}_p(X)/\sqrt N`.

    Examples
    --------
    >>> from scipy import stats
    >>> x = np.array([0.2, 1.1, 0.7, 2.4])
    >>> direct = stats.expon(scale=1 / 0.8).logpdf(x).mean()
    >>> bool(np.isclose(exponential_average_log_likelihood(0.8, x), direct, rtol=1e-13))
    True
    """
    rates = check_positive(rate, "rate")
    mean = float(np.mean(_sample(x)))
    return _scalar_or_array(np.log(rates) - rates * mean)


def exponential_mle(x: Any) -> float:
    r"""Maximum-likelihood rate of the exponential model: :math:`\hat\lambda_N = 1/\bar x_N`.

    Parameters
    ----------
    x : array_like, shape (N,)
        The sample: finite, nonnegative, not all zero.

    Returns
    -------
    float
        The maximiser of :func:`exponential_average_log_likelihood`.

    Raises
    ------
    ValueError
        If `x` is empty, not 1-D, not finite, has a negative value or is all zero (then the
        likelihood grows without bound as the rate grows).

    Notes
    -----
    Setting :math:`\frac{d}{d\lambda}(\log\lambda - \lambda\bar x_N) = 1/\lambda - \bar
    x_N` to zero: the sample version of :func:`exponential_kl_minimiser`, eq. (1.46). By the
    law of large numbers :math:`\bar x_N \to \mathbb E_p[X]`, so
    :math:`\hat\lambda_N \to \lambda^\star` whether or not :math:`p` is exponential.

    Examples
    --------
    >>> x = np.array([0.2, 1.1, 0.7, 2.4])
    >>> rate = exponential_mle(x)
    >>> rate
    0.9090909090909091
    >>> curve = exponential_average_log_likelihood([0.99 * rate, rate, 1.01 * rate], x)
    >>> bool(curve[1] > max(curve[0], curve[2]))
    True
    """
    return 1.0 / float(np.mean(_sample(x)))


def exponential_excess_kl(rate: Any, shape: Any, scale: Any) -> float | np.ndarray:
    r"""Excess KL divergence of a rate over the best rate, :math:`\lambda^\star`.

    Parameters
    ----------
    rate : float or array_like
        Rate(s) :math:`\lambda > 0` (e.g. a sample maximiser :math:`\hat\lambda_N`).
    shape, scale : float
        Shape :math:`k > 0` and scale :math:`s > 0` of the gamma data density :math:`p`.

    Returns
    -------
    float or ndarray
        :math:`r - 1 - \log r \ge 0` with :math:`r = \lambda/\lambda^\star = \lambda ks`,
        with the shape of `rate`; zero exactly at :math:`\lambda^\star`.

    Raises
    ------
    TypeError, ValueError
        If a rate, `shape` or `scale` is not a positive finite real number.

    Notes
    -----
    The difference of two KL divergences from the same :math:`p` is a difference of
    cross-entropies, :math:`H(p, q_\lambda) - H(p, q_{\lambda^\star})`: the entropy of
    :math:`p` cancels. With :math:`H(p, q_\lambda) = \lambda ks - \log\lambda` this is
    :math:`r - 1 - \log r`, computed as ``u - log1p(u)`` with :math:`u = r - 1` to keep digits
    near :math:`\lambda^\star`. It also equals :math:`\mathrm{KL}(q_{\lambda^\star}\|
    q_\lambda)`: since :math:`q_{\lambda^\star}` has the mean of :math:`p`, the divergence
    splits as :math:`\mathrm{KL}(p\|q_\lambda) = \mathrm{KL}(p\|q_{\lambda^\star}) +
    \mathrm{KL}(q_{\lambda^\star}\|q_\lambda)` (a Pythagorean identity of exponential
    families).

    Examples
    --------
    >>> from pgmlib import kl_divergence_continuous
    >>> from scipy import stats
    >>> p, q = stats.gamma(2.0, scale=0.5).pdf, stats.expon(scale=1 / 1.3).pdf
    >>> best = stats.expon(scale=1.0).pdf  # the rate 1 / (k s) = 1
    >>> difference = (kl_divergence_continuous(p, q, 0, 100, points=[1, 10])
    ...               - kl_divergence_continuous(p, best, 0, 100, points=[1, 10]))
    >>> bool(np.isclose(exponential_excess_kl(1.3, 2.0, 0.5), difference, rtol=1e-9))
    True
    """
    mean = _gamma_mean(shape, scale)
    u = check_positive(rate, "rate") * mean - 1.0
    return _scalar_or_array(u - np.log1p(u))


def _check_sample_sizes(n: Any, shape: float) -> np.ndarray:
    sizes = as_float_array(n, "n")
    if np.any(sizes != np.round(sizes)) or np.min(sizes) < 1:
        bad = sizes[(sizes != np.round(sizes)) | (sizes < 1)].ravel()[0]
        raise ValueError(f"`n` must hold whole sample sizes >= 1; got {bad:g}")
    if np.min(sizes) * shape <= 1:
        raise ValueError(
            f"`n` * `shape` must be > 1 (below, the mean of 1 / mean(x) is infinite and so is "
            f"the mean excess); got n = {np.min(sizes):g} with shape = {shape:g}"
        )
    return sizes


def _digamma_minus_log_series(a: np.ndarray) -> np.ndarray:
    r""":math:`\psi(a) - \log a` from its asymptotic series (accurate to 1e-19 for a >= 50)."""
    inverse_square = 1.0 / a**2
    tail = inverse_square * (
        -1.0 / 12
        + inverse_square * (1.0 / 120 + inverse_square * (-1.0 / 252 + inverse_square / 240))
    )
    return -0.5 / a + tail


def exponential_expected_excess_kl(n: Any, shape: Any) -> float | np.ndarray:
    r"""Exact mean excess divergence of the maximum-likelihood fit from a sample of size ``n``.

    Parameters
    ----------
    n : int or array_like of int
        Sample size(s) :math:`N \ge 1`, with :math:`Nk > 1`.
    shape : float
        Shape :math:`k > 0` of the gamma data density (the scale does not matter).

    Returns
    -------
    float or ndarray
        :math:`\mathbb E\bigl[\mathrm{KL}(p\|q_{\hat\lambda_N}) -
        \mathrm{KL}(p\|q_{\lambda^\star})\bigr] = \frac{1}{a - 1} + \psi(a) - \log a`
        with :math:`a = Nk`, over samples :math:`x_1, \dots, x_N \sim p` iid; the shape of
        `n`.

    Raises
    ------
    ValueError
        If a sample size is not a whole number >= 1, or :math:`Nk \le 1`; `shape` as in
        :func:`exponential_kl_minimiser`.

    Notes
    -----
    With :math:`\hat\lambda_N = 1/\bar x_N` the excess is :math:`r - 1 - \log r`,
    :math:`r = \hat\lambda_N/\lambda^\star = ks/\bar x_N = 1/Y`, where
    :math:`Y = \bar x_N/(ks)` is gamma with shape :math:`a = Nk` and mean 1. Then
    :math:`\mathbb E[1/Y] = a/(a-1)` and :math:`\mathbb E[\log Y] = \psi(a) - \log a`
    (:math:`\psi` the digamma function). For :math:`a \ge 50` the digamma term comes from its
    asymptotic series, which avoids the cancellation of :math:`\psi(a)` against :math:`\log a`.

    As :math:`N \to \infty` the mean is :math:`\frac{1}{2kN} + O(N^{-2})`: the general
    :math:`\mathrm{tr}(J^{-1}K)/(2N)` of a misspecified model (Takeuchi), with here
    :math:`J = (ks)^2` the curvature of :math:`H(p, q_\lambda)` at :math:`\lambda^\star` and
    :math:`K = \mathrm{Var}_p(X) = ks^2` the variance of the score. Only when the model is right
    (:math:`k = 1`) is it the familiar :math:`d/(2N)` with :math:`d = 1` parameter.

    Examples
    --------
    With :math:`k = 2`, :math:`4N` times the mean tends to one:

    >>> n = np.array([10, 1000, 100_000])
    >>> (4 * n * exponential_expected_excess_kl(n, 2.0)).round(5).tolist()
    [1.09693, 1.00092, 1.00001]
    """
    k = _positive_scalar(shape, "shape")
    a = _check_sample_sizes(n, k) * k
    series = a >= _SERIES_FROM
    small = np.where(series, 2.0, a)  # any value > 1 where the series is used
    digamma_term = np.where(
        series, _digamma_minus_log_series(a), special.digamma(small) - np.log(small)
    )
    return _scalar_or_array(1.0 / (a - 1.0) + digamma_term)


def exponential_min_kl(shape: Any, scale: Any) -> float:
    r""":math:`\mathrm{KL}(p\|q_{\lambda^\star})`: how far the best exponential stays from p.

    Parameters
    ----------
    shape, scale : float
        Shape :math:`k > 0` and scale :math:`s > 0` of the gamma data density :math:`p`.

    Returns
    -------
    float
        :math:`H(p, q_{\lambda^\star}) - H(p) = 1 + \log(ks) - H(p) \ge 0`, zero exactly
        when :math:`k = 1` (then :math:`p` is itself exponential).

    Raises
    ------
    TypeError, ValueError
        If `shape` or `scale` is not a positive finite real number.

    Notes
    -----
    :math:`H(p, q_{\lambda^\star}) = \lambda^\star ks - \log\lambda^\star = 1 +
    \log(ks)` and the gamma density's differential entropy is :math:`H(p) = k + \log s +
    \log\Gamma(k) + (1 - k)\psi(k)`, so the scale cancels:
    :math:`1 + \log k - k - \log\Gamma(k) - (1 - k)\psi(k)`, exactly zero at :math:`k = 1`.
    No amount of data lowers it: maximum likelihood finds :math:`\lambda^\star`, the best the
    family can do, not :math:`p`.

    Examples
    --------
    >>> from pgmlib import kl_divergence_continuous
    >>> from scipy import stats
    >>> p, best = stats.gamma(2.0, scale=0.5).pdf, stats.expon(scale=1.0).pdf
    >>> by_quadrature = kl_divergence_continuous(p, best, 0, 100, points=[1, 10])
    >>> bool(np.isclose(exponential_min_kl(2.0, 0.5), by_quadrature, rtol=1e-9))
    True
    >>> exponential_min_kl(1.0, 3.0)  # p exponential: the model is right
    0.0
    """
    k = _positive_scalar(shape, "shape")
    _positive_scalar(scale, "scale")
    gap = 1.0 + math.log(k) - k - special.gammaln(k) - (1.0 - k) * special.digamma(k)
    return max(float(gap), 0.0)  # >= 0 in exact arithmetic; rounding may leave -1e-17
