"""Section 1.4 — likelihood-based training: linear and logistic regression."""

from __future__ import annotations

__all__: list[str] = []
