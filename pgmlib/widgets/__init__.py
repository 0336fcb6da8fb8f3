"""Interactive explorers (ipywidgets) for the Week 1 chapters."""

from __future__ import annotations

__all__: list[str] = []
