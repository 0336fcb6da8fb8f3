"""The warnings and exceptions pgmlib raises beyond ValueError/TypeError (private module;
the public names are re-exported by :mod:`pgmlib`)."""

from __future__ import annotations

import numpy as np

__all__ = ["ConvergenceWarning", "SeparationError"]


class ConvergenceWarning(UserWarning):
    """An iterative fitter stopped at ``max_iter`` before meeting its tolerance."""

    __module__ = "pgmlib"


class SeparationError(ValueError):
    """The classes are (quasi-)linearly separable, so the logistic MLE does not exist.

    Attributes
    ----------
    direction : ndarray, shape (d + 1,)
        A direction :math:`(a, b)` along which the log-likelihood (1.14) never decreases and
        increases towards its supremum without reaching it.
    """

    __module__ = "pgmlib"

    def __init__(self, message: str, direction: np.ndarray):
        super().__init__(message)
        self.direction = direction


# --------------------------------------------------------------------------------------------
# Example 1.4: Gaussian linear regression
# --------------------------------------------------------------------------------------------
