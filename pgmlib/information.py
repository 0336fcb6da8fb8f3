"""Section 1.5 — entropy and cross-entropy."""

from __future__ import annotations

__all__: list[str] = []
