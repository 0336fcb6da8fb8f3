"""Figures of the book (matplotlib). Functions take arrays, accept ax=None and return the axes."""

from __future__ import annotations

__all__: list[str] = []
