"""The built site keeps the notes' numbers: every numbered object of Week 1 is on the page of its
section, shows the notes' number, and nothing else is numbered in its place.

Reads the built HTML (``_build/html`` or ``$PGMBOOK_SITE``); runs after the book build.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("PGMBOOK_SITE", ROOT / "_build" / "html"))

pytestmark = pytest.mark.site

PAGES = {
    "introduction": {"eq": [1], "rem": [1]},
    "discriminative-generative": {"eq": [2, 3, 4], "ex": [1], "exercise": [1]},
    "pushforward": {
        "def": [1],
        "rem": [2, 3],
        "ex": [2, 3],
        "fig": [1, 2],
        "thm": [1],
        "eq": [5, 6],
    },
    "likelihood": {"def": [2, 3], "rem": [4, 5, 6], "ex": [4, 5, 6], "eq": list(range(7, 19))},
    "information-theory": {
        "eq": list(range(19, 33)),
        "rem": [7, 8, 9, 10, 11],
        "ex": [7, 8],
        "def": [4, 5, 6],
        "fig": [3],
    },
    "kl-divergence": {"eq": list(range(33, 47)), "ex": [9, 10, 11, 12], "rem": [12], "fig": [4, 5]},
    # Section 1.7 (the revision's concluding remarks): its suggested exercises are unnumbered.
    "concluding-remarks": {},
}
CAPTION = {
    "def": "Definition",
    "rem": "Remark",
    "ex": "Example",
    "thm": "Theorem",
    "exercise": "Exercise",
    "fig": "Fig.",
}
TOTALS = {"def": 6, "rem": 12, "ex": 12, "thm": 1, "exercise": 1, "fig": 5, "eq": 46}


def page(stem: str) -> BeautifulSoup:
    path = SITE / "chapters" / f"{stem}.html"
    assert path.is_file(), f"{path} is missing: build the book first (python tools/dev.py build)"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def expected_items():
    for stem, kinds in PAGES.items():
        for kind, numbers in kinds.items():
            for n in numbers:
                yield stem, kind, n


def test_expected_totals_match_the_notes():
    counts = Counter()
    for _, kind, _ in expected_items():
        counts[kind] += 1
    assert counts == Counter(TOTALS)


@pytest.mark.parametrize(("stem", "kind", "n"), list(expected_items()), ids=lambda v: str(v))
def test_numbered_object_shows_the_notes_number(stem, kind, n):
    soup = page(stem)
    label = f"{kind}-1-{n}"
    if kind == "eq":
        node = soup.find(id=f"equation-eq-1-{n}")
        assert node is not None, f"no display labelled eq-1-{n} on {stem}"
        eqno = node.find(class_="eqno")
        assert eqno is not None and eqno.get_text(strip=True).startswith(f"(1.{n})"), (
            f"eq-1-{n} on {stem} is numbered {eqno.get_text(strip=True) if eqno else None}"
        )
        return
    node = soup.find(id=label)
    assert node is not None, f"no object labelled {label} on {stem}"
    caption = node.find(class_="caption-number")
    assert caption is not None, f"{label} on {stem} has no number"
    assert caption.get_text(strip=True) == f"{CAPTION[kind]} 1.{n}", (
        f"{label} on {stem} shows {caption.get_text(strip=True)!r}"
    )


@pytest.mark.parametrize("stem", list(PAGES))
def test_nothing_else_is_numbered(stem):
    """Extra material must be unnumbered, or the notes' numbers after it would shift."""
    soup = page(stem)
    numbers = [c.get_text(strip=True) for c in soup.find_all(class_="caption-number")]
    expected = {
        f"{CAPTION[kind]} 1.{n}" for kind, ns in PAGES[stem].items() if kind != "eq" for n in ns
    }
    extra = [text for text in numbers if text not in expected]
    assert not extra, f"{stem} numbers objects the notes do not have: {extra}"
    eqnos = {e.get_text(strip=True).split(")")[0] + ")" for e in soup.find_all(class_="eqno")}
    wanted = {f"(1.{n})" for n in PAGES[stem].get("eq", [])}
    assert eqnos == wanted, (
        f"{stem}: equation numbers {sorted(eqnos - wanted)} unexpected, "
        f"{sorted(wanted - eqnos)} missing"
    )


def test_solution_to_exercise_1_1_is_hidden_by_default():
    soup = page("discriminative-generative")
    solution = soup.find(id="sol-1-1")
    assert solution is not None, "no solution labelled sol-1-1"
    assert "dropdown" in solution.get("class", []) or solution.name == "details"


def test_cross_references_resolve():
    """No reference left as raw text or marked missing on any chapter page."""
    for path in sorted((SITE / "chapters").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "{prf:ref}" not in text and "{eq}" not in text and "{numref}" not in text, path
        assert not re.search(r'class="[^"]*\bxref\b[^"]*\bstd-ref\b[^"]*"[^>]*>\?\?', text), path


def test_landing_page_credits_the_notes():
    """The notes' version the book follows and the revision it takes new material from."""
    soup = BeautifulSoup((SITE / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.get_text().split())
    assert "Lecture notes by Felipe Tobar, Imperial College London" in text
    assert "in the version of 12 January 2026" in text
    assert "revision of 6 February 2026" in text


def test_sidebar_lists_the_seven_sections():
    soup = BeautifulSoup((SITE / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = soup.find("nav", class_="bd-docs-nav") or soup
    entries = [a.get_text(" ", strip=True) for a in nav.find_all("a", class_="reference")]
    for number in ("1.1.", "1.2.", "1.3.", "1.4.", "1.5.", "1.6.", "1.7."):
        assert any(e.startswith(number) for e in entries), (number, entries)
