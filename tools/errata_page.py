"""The Errata page (``chapters/errata.md``), written from ``pgmlib.errata.ERRATA``.

The corrections are data (each with its numerical test); the page is their rendering, so an
erratum is added in one place:

    python tools/dev.py errata-page      # rewrite chapters/errata.md from ERRATA

``tests/test_errata_page.py`` fails when the page and ERRATA disagree.
"""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "chapters" / "errata.md"
sys.path.insert(0, str(ROOT))

from pgmlib.errata import (  # noqa: E402
    ERRATA,
    LATEST_REVISION,
    NOTES_VERSION,
    Erratum,
    format_date,
)

#: The book's page and title for each section of the notes.
SECTIONS = {
    "1.2": ("discriminative-generative", "Discriminative versus generative"),
    "1.3": ("pushforward", "The pushforward measure"),
    "1.4": ("likelihood", "Likelihood-based training"),
    "1.5": ("information-theory", "A brief intro to information theory"),
    "1.6": ("kl-divergence", "KL divergence as a way to compare distributions"),
    "1.7": ("concluding-remarks", "Concluding remarks"),
}

INTRO = f"""\
# Errata

The book follows the Week 1 lecture notes {{cite:p}}`tobar2026notes` in the version of
{format_date(NOTES_VERSION)}, number by number, but where the notes slip, the book states the
correct result instead. This page lists every such correction, and what the author's revision of
{format_date(LATEST_REVISION)} did with it.

**What counts as an erratum.** A formula, a mathematical statement or a figure that is wrong as
the notes print it (a wrong factor, a missing term, an equality that is an inequality, a symbol
that means something else), and the few places where the book has to depart from the notes to
stay consistent: a notation that changes meaning mid-way, an empty numbered display that still
has to carry its number. Spelling slips that do not change the meaning are fixed silently.

**Status.** Each entry says whether the revision of {format_date(LATEST_REVISION)} corrects
the slip or still prints it. Where the book follows the revision's new text (Example 1.6 and the
concluding remarks), a slip that the revision brings in is listed too.

**How each correction is checked.** Every entry names a test of the book's test suite that
evaluates the printed form and the correct one numerically (against quadrature, finite
differences, Monte Carlo, a reference implementation or an exact count) and shows that the first
is wrong and the second right; the suite runs on every change to the book. The corrections are
kept as data in `pgmlib.errata.ERRATA`, and this page is written from them.

**Where to read more.** At each place in the book, a collapsed box headed *Erratum* gives the
correct form; the link in each entry below leads there.
"""


def place_link(entry: Erratum) -> str:
    """The cross-reference from the page to the place of the correction in the book."""
    page, _ = SECTIONS[entry.section]
    if entry.label is None:  # a place without a number: the page it is on
        return f"{{doc}}`{page}`"
    kind = entry.label.split("-")[0]
    if kind == "eq":
        return f"eq. {{eq}}`{entry.label}` in {{doc}}`{page}`"
    if kind == "fig":
        return f"{{numref}}`{entry.label}` in {{doc}}`{page}`"
    return f"{{prf:ref}}`{entry.label}` in {{doc}}`{page}`"


def render_entry(entry: Erratum) -> str:
    """One entry as a MyST admonition titled with its location."""
    path, test = entry.check.split("::")
    version = "the notes" if entry.introduced_in == NOTES_VERSION else "the revision"
    # An open slip is a warning; one the revision corrected is a note.
    state, kind = ("corrected", "note") if entry.corrected_in is not None else ("open", "warning")
    lines = [
        f"```{{admonition}} {entry.location}",
        f":class: {kind} pgm-erratum pgm-erratum-{state}",
        f"**Printed in {version} ({format_date(entry.introduced_in)}):** {entry.printed}",
        "",
        f"**Correct:** {entry.correct}",
        "",
        entry.note,
        "",
        f"**Status:** {entry.status[0].upper()}{entry.status[1:]}.",
        "",
        f"**Checked by:** `{test}` in `{path}`",
        "",
        f"**In the book:** {place_link(entry)}",
        "```",
    ]
    return "\n".join(lines)


def render_page(errata: tuple[Erratum, ...] = ERRATA) -> str:
    """The whole page: the introduction, then the entries under their section headings."""
    unknown = sorted({e.section for e in errata} - set(SECTIONS))
    if unknown:
        raise ValueError(f"ERRATA names sections the page does not know: {unknown}")
    parts = [INTRO]
    for section, entries in groupby(errata, key=lambda e: e.section):
        parts.append(f"## Section {section}: {SECTIONS[section][1]}\n")
        parts.extend(render_entry(entry) + "\n" for entry in entries)
    return "\n".join(parts)


def write_page(page: Path = PAGE) -> Path:
    page.write_text(render_page(), encoding="utf-8")
    return page


if __name__ == "__main__":
    print(f"wrote {write_page().relative_to(ROOT)}")
