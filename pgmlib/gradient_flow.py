"""Section 1.6, Example 1.12 — gradient flow of the KL between two Gaussians."""

from __future__ import annotations

__all__: list[str] = []
