"""The built site, read in a real browser (Debian's Chromium driven by Playwright), offline.

Every page of the built site (discovered from the folder, so new chapters are covered without
editing this file) must: load with no console error, no failed request and no request to another
host, with an icon that loads (so no browser asks for a missing /favicon.ico); typeset every
formula; load every image, each with a text alternative; list every chapter in the sidebar; stay
within the page-weight budget; keep its figures readable in dark mode; and pass an axe-core
audit with no serious or critical violation, in light and dark mode (the explorers' controls are
walked from the keyboard in test_explorer_controls.py). Search finds "entropy"; the colour-mode
switch turns dark mode on; and the site also works under a sub-path, as GitHub Pages serves it.
Needs ``_build/html`` (or ``$PGMBOOK_SITE``) and Chromium; fails -- never skips -- without them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from _site import (
    PAGE_BUDGET_BYTES,
    SiteServer,
    open_page,
    toc_pages,
    widget_pages,
)

pytestmark = pytest.mark.browser

SEVERE = {"serious", "critical"}


def _lines(items) -> str:
    return "\n  ".join(str(item) for item in items)


def test_page_loads_offline_without_errors(page_visit):
    """No console error, failed request or uncaught exception, and a working icon (the page's
    ``<link rel="icon">`` answers 200: see PageLoad.favicon_problems)."""
    problems = page_visit.load.problems()
    assert not problems, f"{page_visit.page}:\n  {_lines(problems)}"


def test_a_readers_first_visit_logs_no_console_error(visits, server):
    """As a reader's browser loads the home page: without Playwright's request interception,
    which stops Chromium from fetching icons. A page with no icon makes the browser ask for
    /favicon.ico, and the site's 404 for it is a console error."""
    context = visits.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url("index.html"), wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)  # the browser fetches the icon after the load event
        assert not errors, _lines(errors)
        assert page.evaluate("document.querySelector('link[rel~=\"icon\"]')?.href"), (
            "the home page declares no icon"
        )
    finally:
        context.close()


def test_page_requests_only_its_own_host(page_visit, server):
    hosts = {urlsplit(t.url).netloc for t in page_visit.load.transfers}
    hosts.discard("")
    assert hosts <= {urlsplit(server.origin).netloc}, hosts
    assert not page_visit.load.offsite, _lines(page_visit.load.offsite)


def test_every_formula_is_typeset(page_visit):
    math = page_visit.math
    if math["formulas"]:
        assert math["mathjax"], f"{page_visit.page} has formulas but MathJax did not load"
    assert math["typeset"] == math["formulas"], (
        f"{page_visit.page}: {math['typeset']} of {math['formulas']} formulas typeset"
    )
    assert not math["errors"], f"MathJax errors: {math['errors']}"
    assert not math["raw"], f"raw TeX left on {page_visit.page}:\n  {_lines(math['raw'])}"


def test_every_image_loads_and_has_alt_text(page_visit):
    broken = [img["src"] for img in page_visit.images if not img["complete"] or img["width"] == 0]
    assert not broken, f"images that did not load:\n  {_lines(broken)}"
    unlabelled = [
        img["src"]
        for img in page_visit.images
        if img["alt"] is None
        or (
            img["inContent"]
            and not (img["alt"] or "").strip()
            and not img["label"]
            and not img["labelledby"]
            and img["role"] not in {"presentation", "none"}
        )
    ]
    assert not unlabelled, f"images without a text alternative:\n  {_lines(unlabelled)}"


def test_sidebar_lists_every_chapter(page_visit, server):
    listed = {link["href"] for link in page_visit.sidebar if link["visible"]}
    expected = {server.url(page) for page in toc_pages()}
    missing = sorted(expected - listed)
    assert not missing, f"{page_visit.page}: the sidebar does not show\n  {_lines(missing)}"


def test_page_weight_is_within_budget(page_visit):
    load = page_visit.load
    assert load.page_bytes <= PAGE_BUDGET_BYTES, (
        f"{page_visit.page} weighs {load.page_bytes / 2**20:.2f} MB (HTML + images); "
        f"budget {PAGE_BUDGET_BYTES / 2**20:.0f} MB"
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_accessibility_audit_is_clean(page_name, page_visit, visits, mode):
    visit = page_visit if mode == "light" else visits.dark(page_name)
    severe = [v for v in visit.axe if v["impact"] in SEVERE]
    assert not severe, (
        f"axe-core ({mode} mode) on {page_name}, see test-artifacts/axe/:\n  {_lines(severe)}"
    )


def test_dark_mode_keeps_figures_readable(page_name, page_visit, visits):
    visit = visits.dark(page_name)
    assert visit.theme == "dark", f"dark mode did not switch on (data-theme={visit.theme!r})"
    assert not visit.load.problems(), _lines(visit.load.problems())
    # A readable figure sits on a light card (median luminance of the image box, padding
    # included) and its ink stands out from it (WCAG contrast ratio of ink vs background).
    unreadable = [fig for fig in visit.figures if fig["background"] < 0.6 or fig["contrast"] < 4.5]
    assert not unreadable, f"figures hard to read in dark mode:\n  {_lines(unreadable)}"


def test_theme_switch_button_turns_on_dark_mode(visits, server):
    context = visits.new_context()
    try:
        page, _ = open_page(context, server.url("index.html"), server)
        button = page.locator(".theme-switch-button").first
        for _ in range(3):
            if page.evaluate("document.documentElement.dataset.theme") == "dark":
                break
            button.click()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.reload()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", (
            "the reader's choice of dark mode is not remembered across pages"
        )
    finally:
        context.close()


def test_search_finds_entropy(visits, server):
    context = visits.new_context()
    try:
        page, load = open_page(context, server.url("search.html?q=entropy"), server)
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15_000)
        hrefs = results.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
        assert results.count() >= 1
        assert all(urlsplit(h).netloc == urlsplit(server.origin).netloc for h in hrefs), hrefs
        assert any("information-theory" in h for h in hrefs), hrefs
        assert not load.problems(), _lines(load.problems())
    finally:
        context.close()


def test_site_works_under_a_sub_path(site, visits):
    """GitHub Pages serves a project site under /<repository>/: every asset path must be
    relative. The home page and every explorer page load cleanly there."""
    with SiteServer(site, prefix="/pgm-week1-book/") as sub:
        for name in ["index.html", *widget_pages(site)]:
            context = visits.new_context()
            try:
                page, load = open_page(context, sub.url(name), sub)
                assert not load.problems(), f"{sub.url(name)}:\n  {_lines(load.problems())}"
                assert page.locator(".widget-subarea img, .bd-content").first.is_visible()
            finally:
                context.close()
