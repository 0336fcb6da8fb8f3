"""The registry of the book's explorers: one line per explorer, read by the tests, the benchmark
and the package docstring.

Adding an explorer to the book is one line in :data:`EXPLORERS` (after its module, whose
``__all__`` lists its factory, and its test file): the generic tests (tests/test_explorers.py)
then sweep its controls, check its static page and its frame budget, and look for it on its
chapter's page; tools/bench.py times it.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = ["EXPLORERS", "ExplorerSpec"]

_SECTION = re.compile(r"1\.[1-9]")
_CHAPTER = re.compile(r"chapters/[a-z0-9-]+\.(ipynb|md)")


@dataclass(frozen=True)
class ExplorerSpec:
    """What the book knows about one explorer, besides its code.

    Attributes
    ----------
    factory : callable
        Builds the explorer: ``factory(mode="live" | "static" | None)`` returns an
        :class:`~pgmlib.widgets.Explorer` or :class:`~pgmlib.widgets.ExplorerGroup` whose
        ``name`` is the explorer's key in :data:`EXPLORERS` (its DOM class is
        ``pgm-explorer-<name>``).
    section : str
        The section of the notes it belongs to, ``"1.1"`` to ``"1.6"``.
    chapter : str
        The chapter file that shows it, e.g. ``"chapters/pushforward.ipynb"``.
    static_budget : int
        Bytes of its distinct static PNG frames that the tests allow (the page embeds them in
        base64, about 1.37 times as many bytes; a page holds at most 3 MB).
    kernel_goal_ms : float
        The goal for the median live move in a kernel (compute, render, PNG), in ms; the
        benchmark (tools/bench.py) reports it.

    Raises
    ------
    TypeError, ValueError
        If a field has the wrong type or form (checked when the spec is made).

    Examples
    --------
    >>> from pgmlib.widgets import EXPLORERS
    >>> spec = EXPLORERS["pushforward"]
    >>> spec.section, spec.chapter, spec.kernel_goal_ms
    ('1.3', 'chapters/pushforward.ipynb', 30.0)
    >>> spec.factory.__name__, spec.static_budget >= 100_000
    ('pushforward_explorer', True)
    """

    factory: Callable[..., Any]
    section: str
    chapter: str
    static_budget: int
    kernel_goal_ms: float = 30.0

    def __post_init__(self) -> None:
        if not callable(self.factory):
            raise TypeError(f"`factory` must be callable; got {self.factory!r}")
        if not (isinstance(self.section, str) and _SECTION.fullmatch(self.section)):
            raise ValueError(
                f"`section` must be a section of the notes, e.g. '1.3'; got {self.section!r}"
            )
        if not (isinstance(self.chapter, str) and _CHAPTER.fullmatch(self.chapter)):
            raise ValueError(
                f"`chapter` must be a chapter file, e.g. 'chapters/pushforward.ipynb'; "
                f"got {self.chapter!r}"
            )
        if isinstance(self.static_budget, bool) or not isinstance(self.static_budget, int):
            raise TypeError(
                f"`static_budget` must be an integer (bytes); got {self.static_budget!r}"
            )
        if self.static_budget <= 0:
            raise ValueError(f"`static_budget` must be > 0 bytes; got {self.static_budget}")
        goal = self.kernel_goal_ms
        if isinstance(goal, bool) or not isinstance(goal, (int, float)):
            raise TypeError(f"`kernel_goal_ms` must be a number of ms; got {goal!r}")
        if not (math.isfinite(goal) and goal > 0):
            raise ValueError(f"`kernel_goal_ms` must be finite and > 0; got {goal}")


def _exported_factories() -> dict[str, Callable[..., Any]]:
    """Every ``*_explorer`` that a module of pgmlib.widgets lists in its ``__all__``, by name
    (so that a registry line needs no import line of its own)."""
    factories = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in ("_core", "_registry"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            if name.endswith("_explorer"):
                factories[name] = getattr(module, name)
    return factories


_FACTORIES = _exported_factories()

# One line per explorer (ruff format leaves the table alone; long lines are allowed here):
# name (= the `name=` it passes to Explorer) -> factory, section, chapter file, static budget
# in bytes (and a kernel goal in ms, if not the default 30).
# fmt: off
EXPLORERS: Mapping[str, ExplorerSpec] = MappingProxyType({
    "generative_classifier": ExplorerSpec(_FACTORIES["generative_classifier_explorer"], "1.2", "chapters/discriminative-generative.ipynb", 1_000_000),
    "pushforward": ExplorerSpec(_FACTORIES["pushforward_explorer"], "1.3", "chapters/pushforward.ipynb", 700_000),
    "mle": ExplorerSpec(_FACTORIES["mle_explorer"], "1.4", "chapters/likelihood.ipynb", 400_000),
    "gmm_em": ExplorerSpec(_FACTORIES["gmm_em_explorer"], "1.4", "chapters/likelihood.ipynb", 700_000),
    "entropy": ExplorerSpec(_FACTORIES["entropy_explorer"], "1.5", "chapters/information-theory.ipynb", 700_000),
    "kl_asymmetry": ExplorerSpec(_FACTORIES["kl_asymmetry_explorer"], "1.6", "chapters/kl-divergence.ipynb", 700_000),
    "divergence_limits": ExplorerSpec(_FACTORIES["divergence_limits_explorer"], "1.6", "chapters/kl-divergence.ipynb", 400_000),
    "kl_gradient_flow": ExplorerSpec(_FACTORIES["kl_gradient_flow_explorer"], "1.6", "chapters/kl-divergence.ipynb", 800_000),
    "change_of_variables": ExplorerSpec(_FACTORIES["change_of_variables_explorer"], "1.3", "chapters/pushforward.ipynb", 720_000),
    "ml_as_kl": ExplorerSpec(_FACTORIES["ml_as_kl_explorer"], "1.6", "chapters/kl-divergence.ipynb", 260_000),
    "forward_reverse_kl": ExplorerSpec(_FACTORIES["forward_reverse_kl_explorer"], "1.7", "chapters/concluding-remarks.ipynb", 1_100_000),
})
# fmt: on
"""Every explorer of the book, by name (read-only): ``EXPLORERS[name].factory(mode=...)``."""


def explorer_list() -> str:
    """The registered explorers as a reST bullet list (for the package docstring)."""
    lines = []
    for name, spec in EXPLORERS.items():
        doc = (spec.factory.__doc__ or "").strip()  # None under python -OO
        summary = doc.splitlines()[0] if doc else ""
        lines.append(
            f"- ``{spec.factory.__name__}()`` (``{name}``; section {spec.section}, "
            f"{spec.chapter}): {summary}"
        )
    return "\n".join(lines)
