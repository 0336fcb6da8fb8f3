"""Section 1.6 — KL divergence and other ways to compare distributions."""

from __future__ import annotations

__all__: list[str] = []
