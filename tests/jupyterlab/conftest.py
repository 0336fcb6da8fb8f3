"""Fixtures of the JupyterLab tests: one JupyterLab server, one Chromium and one page for all
the chapter notebooks (the machine has 2 cores), and the built site's numbers to compare with."""

from __future__ import annotations

import sys

import pytest
from _lab import REPO, SITE, Console, LabServer, launch_chromium, open_lab

sys.path.insert(0, str(REPO / "tools"))

import numbering


@pytest.fixture(scope="session")
def site_texts() -> dict[str, str]:
    """label -> what the built site shows for it ("Definition 1.5", "(1.38)", "Fig. 1.2")."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site in {SITE}: build the book first", pytrace=False)
    pages = [page.docname for page in numbering.book_pages()]
    return {obj.label: obj.text for obj in numbering.site_objects(SITE, pages)}


@pytest.fixture(scope="session")
def lab():
    with LabServer() as server:
        yield server


@pytest.fixture(scope="session")
def lab_page(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            browser = launch_chromium(pw)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        try:
            page = open_lab(browser, lab)
            console = Console(page)
            yield page, console
        finally:
            browser.close()
