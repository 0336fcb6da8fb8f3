"""Corrections to the Week 1 notes, each checked numerically (shown on the book's Errata page)."""

from __future__ import annotations

__all__: list[str] = []
