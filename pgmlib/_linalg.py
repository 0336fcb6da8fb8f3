"""Linear-algebra helpers shared by the classification and mixture modules (private)."""

from __future__ import annotations

import numpy as np
from scipy import linalg


def _inverse_lower(chol: np.ndarray) -> np.ndarray:
    """Inverse of a lower-triangular Cholesky factor (LAPACK trtri)."""
    inverse, info = linalg.lapack.dtrtri(chol, lower=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"singular Cholesky factor (LAPACK dtrtri info = {info})")
    return inverse
