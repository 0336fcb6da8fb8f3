"""The Errata page (chapters/errata.md) lists exactly the corrections in ``pgmlib.errata.ERRATA``.

Each entry of the page is a ``{admonition}`` titled with the notes' location ("eq. (1.40)"); its
body carries the printed and the correct form as in ERRATA, the test that checks them ("`test` in
`tests/file.py`"), and a link to the place in the book where the correction is discussed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from pgmlib.errata import ERRATA

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import errata_page  # noqa: E402

PAGE = ROOT / "chapters" / "errata.md"
ENTRY = re.compile(
    r"^```\{admonition\}[ \t]+(?P<title>.+?)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S
)
# The page each section of the notes lives on, for the entries' {doc} links.
SECTION_DOCS = {section: page for section, (page, _) in errata_page.SECTIONS.items()}


def squash(text: str) -> str:
    return " ".join(text.split())


def page_entries() -> dict[str, str]:
    """Admonition title -> body, for every admonition on the page (titles must be unique)."""
    text = PAGE.read_text(encoding="utf-8")
    found = [(m["title"], m["body"]) for m in ENTRY.finditer(text)]
    titles = [title for title, _ in found]
    duplicates = sorted({t for t in titles if titles.count(t) > 1})
    assert not duplicates, f"{PAGE.name} lists {duplicates} more than once"
    return dict(found)


def expected_link(entry) -> str:
    """The cross-reference that leads from the page to a numbered place of the notes."""
    kind = entry.label.split("-")[0]
    role = {"eq": "eq", "fig": "numref"}.get(kind, "prf:ref")
    return f"{{{role}}}`{entry.label}`"


def test_page_is_written_from_errata():
    assert PAGE.read_text(encoding="utf-8") == errata_page.render_page(), (
        f"{PAGE.name} is out of date with pgmlib.errata.ERRATA: run `python tools/dev.py "
        "errata-page` (or `python tools/errata_page.py`)"
    )


@pytest.mark.parametrize("entry", ERRATA, ids=lambda e: e.location)
def test_entry_shows_its_status_and_version(entry):
    body = squash(page_entries()[entry.location])
    assert f"**Status:** {entry.status[0].upper()}{entry.status[1:]}." in body
    version = "the notes" if entry.introduced_in == "2026-01-12" else "the revision"
    assert f"**Printed in {version} (" in body
    state, kind = ("corrected", "note") if entry.corrected_in else ("open", "warning")
    assert f":class: {kind} pgm-erratum pgm-erratum-{state}" in body


def test_errata_is_not_empty_and_locations_are_unique():
    locations = [e.location for e in ERRATA]
    assert len(locations) >= 10, locations
    assert len(set(locations)) == len(locations), locations


def test_page_lists_every_erratum_and_nothing_else():
    listed = set(page_entries())
    known = {e.location for e in ERRATA}
    assert not known - listed, (
        f"{PAGE.name} is missing the ERRATA entries {sorted(known - listed)}: add one "
        "```{admonition} <location>``` block for each"
    )
    assert not listed - known, (
        f"{PAGE.name} lists {sorted(listed - known)}, which pgmlib.errata.ERRATA does not have: "
        "add the correction (with its test) to ERRATA, or remove it from the page"
    )


def test_page_keeps_the_order_of_errata():
    order = list(page_entries())
    assert order == [e.location for e in ERRATA]


@pytest.mark.parametrize("entry", ERRATA, ids=lambda e: e.location)
def test_entry_matches_errata(entry):
    entries = page_entries()
    assert entry.location in entries, f"{PAGE.name} has no entry for {entry.location!r}"
    body = squash(entries[entry.location])
    for field in ("printed", "correct", "note"):
        value = squash(getattr(entry, field))
        assert value in body, (
            f"{PAGE.name}, entry {entry.location!r}: the {field} form differs from "
            f"pgmlib.errata.ERRATA; expected {value!r}"
        )
    path, test = entry.check.split("::")
    assert f"`{test}` in `{path}`" in body, f"{entry.location}: the page must name {entry.check}"


@pytest.mark.parametrize("entry", ERRATA, ids=lambda e: e.location)
def test_entry_links_to_its_place_in_the_book(entry):
    entries = page_entries()
    assert entry.location in entries, f"{PAGE.name} has no entry for {entry.location!r}"
    body = entries[entry.location]
    doc = SECTION_DOCS[entry.section]
    assert f"{{doc}}`{doc}`" in body, f"{entry.location}: no link to the page {doc}"
    if entry.label is not None:
        assert expected_link(entry) in body, f"{entry.location}: no link {expected_link(entry)}"
        return
    # A place without a number (the concluding remarks): the link is to its page.
    assert body.rstrip().endswith(f"**In the book:** {{doc}}`{doc}`"), entry.location


def test_entry_pattern_reads_a_sample():
    sample = "```{admonition} eq. (1.40)\n:class: warning\n**Printed:** $x$\n```\n"
    assert [(m["title"], m["body"]) for m in ENTRY.finditer(sample)] == [
        ("eq. (1.40)", ":class: warning\n**Printed:** $x$\n")
    ]
