"""Section 1.4, Example 1.6 — Gaussian mixtures fitted by expectation-maximisation."""

from __future__ import annotations

__all__: list[str] = []
