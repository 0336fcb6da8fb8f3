"""pgmlib: the verified numerics, figures and explorers of *Probabilistic Generative Models,
Week 1: Foundations*.

The numerics mirror the notes, one module per idea, and are re-exported here::

    import pgmlib as pgm
    pgm.kl_gaussian(0.0, 1.0, 1.0, 2.0)

``pgmlib.plotting`` (matplotlib) and ``pgmlib.widgets`` (ipywidgets) are imported on first
use, so the numerics never pull in a plotting or widget stack.
"""

from __future__ import annotations

import importlib

from . import (
    classification,
    divergences,
    errata,
    flows,
    gradient_flow,
    information,
    likelihood,
    mixture,
    ml_as_kl,
    pushforward,
)
from .classification import *  # noqa: F403
from .divergences import *  # noqa: F403
from .errata import *  # noqa: F403
from .flows import *  # noqa: F403
from .gradient_flow import *  # noqa: F403
from .information import *  # noqa: F403
from .likelihood import *  # noqa: F403
from .mixture import *  # noqa: F403
from .ml_as_kl import *  # noqa: F403
from .pushforward import *  # noqa: F403

__version__ = "0.1.0"

_NUMERIC_MODULES = (
    classification,
    pushforward,
    flows,
    likelihood,
    mixture,
    information,
    divergences,
    gradient_flow,
    ml_as_kl,
    errata,
)
_LAZY_SUBMODULES = ("plotting", "widgets")

__all__ = [name for module in _NUMERIC_MODULES for name in module.__all__]


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'pgmlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_SUBMODULES])
