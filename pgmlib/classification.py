"""Section 1.2 — discriminative versus generative classifiers."""

from __future__ import annotations

__all__: list[str] = []
