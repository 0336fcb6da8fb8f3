"""The reading path: what a reader has to get through on each section page.

Every section page after the first (1.2, 1.3, ...: the sections of the numbered chapter in
``_toc.yml``) must stay within :data:`_site.READING_LIMITS`: at most 3000 visible words of
prose, at most 150 visible lines of code and output, and no erratum box open in the text (the
Errata page lists every correction; a section page mentions its erratum without the box open).
The measures (see ``READING_JS`` in _site.py for what counts) are taken in Chromium on the
built site and written, for every page, into the page-weight table in ``test-artifacts/``.
"""

from __future__ import annotations

import pytest
from _site import READING_LIMITS, section_pages

pytestmark = pytest.mark.browser

#: The first section (1.1) is the introduction; the limits apply from the second on.
SECTIONS = dict(list(section_pages().items())[1:])
NO_SECTIONS = "<no section pages after the first in _toc.yml>"


@pytest.mark.parametrize("number", list(SECTIONS) or [NO_SECTIONS])
def test_reading_path_limits(number, site, visits):
    assert number != NO_SECTIONS, "the numbered chapter of _toc.yml lists no section pages"
    page = SECTIONS[number]
    assert (site / page).is_file(), f"section {number} ({page}) is missing from the built site"
    measure = visits.light(page).reading
    assert measure, f"{page}: no article to measure"
    over = [
        f"{key.replace('_', ' ')}: {measure[key]} (limit {limit})"
        for key, limit in READING_LIMITS.items()
        if measure[key] > limit
    ]
    assert not over, (
        f"section {number} ({page}) is too heavy to read: {'; '.join(over)}. "
        f"Measured: {measure['words']} words ({measure['formulas']} of them formulas), "
        f"{measure['code_lines']} lines of code + {measure['output_lines']} of output, "
        f"{measure['open_errata']} of {measure['errata']} erratum boxes open."
    )
