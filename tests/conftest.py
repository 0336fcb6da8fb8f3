"""Shared test settings and fixtures.

Hypothesis runs a modest, *derandomised* number of examples by default, so the suite is fast and
a failure reproduces on every machine. For a longer, randomised search, run e.g.
``HYPOTHESIS_PROFILE=explore pytest tests/test_pushforward.py``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "pgmlib",
    max_examples=30,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=500, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pgmlib"))


@pytest.fixture(scope="session")
def static_explorers():
    """The registered explorers in static mode, as the book build makes them: ``[name]`` builds
    one on first use and keeps it for the session (tests/test_explorers.py and the explorers'
    own test files share the builds)."""
    from _explorer_checks import StaticExplorers

    return StaticExplorers()
