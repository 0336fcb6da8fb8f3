"""Section 1.3 — pushforward measures and the change of variables."""

from __future__ import annotations

__all__: list[str] = []
