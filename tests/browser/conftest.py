"""Fixtures for the browser tests: one local server and one Chromium for the whole session.

Each page is opened a few times (light mode, dark mode, a fresh copy to move its sliders), each
time in a new browser context, so every visit is a reader's first visit (empty local storage).
What a visit finds is cached in :class:`SiteVisits`, so the many small tests that read it cost
one page load. Screenshots go to ``test-artifacts/screenshots/``, axe reports to
``test-artifacts/axe/`` and the page-weight table (with the reading measures: words, lines of
code and output, open erratum boxes) to ``test-artifacts/page-weights.md``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from _site import (
    ARTIFACTS,
    NO_SITE,
    NO_WIDGETS,
    READING_JS,
    REPO,
    VIEWPORT,
    PageLoad,
    SiteServer,
    launch_chromium,
    open_page,
    site_dir,
    site_pages,
    slug,
    weight_table,
    widget_pages,
    write_json,
)

AXE_JS = REPO / "tools" / "web" / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core rules whose outcome depends on colours, re-run in dark mode.
DARK_MODE_RULES = ["color-contrast", "link-in-text-block"]

# --- what the page knows about itself, read in the browser -----------------------------------

#: Math typeset by MathJax: Sphinx writes every formula as span.math / div.math; after MathJax
#: each holds an mjx-container. Raw TeX left in the visible text (outside code) is a failure.
MATH_JS = r"""
() => {
  const maths = Array.from(document.querySelectorAll("span.math, div.math"));
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const raw = [];
  const tex = /\\[a-zA-Z]+|\$\$|\\\(|\\\[/;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.getClientRects().length) continue;
    if (tex.test(node.textContent)) raw.push(node.textContent.trim().slice(0, 120));
  }
  return {
    formulas: maths.length,
    typeset: maths.filter((m) => m.querySelector("mjx-container")).length,
    mathjax: !!(window.MathJax && window.MathJax.version),
    errors: Array.from(document.querySelectorAll("mjx-merror")).map((e) => e.textContent),
    raw: raw,
  };
}
"""

IMAGES_JS = r"""
() => Array.from(document.images).map((img) => ({
  src: img.currentSrc.startsWith("data:") ? img.currentSrc.slice(0, 40) + "..." : img.currentSrc,
  alt: img.getAttribute("alt"),
  label: img.getAttribute("aria-label") || "",
  labelledby: img.getAttribute("aria-labelledby") || "",
  role: img.getAttribute("role") || "",
  complete: img.complete,
  width: img.naturalWidth,
  visible: img.getClientRects().length > 0,
  inContent: !!img.closest(".bd-content"),
}))
"""

SIDEBAR_JS = r"""
() => Array.from(document.querySelectorAll(".bd-sidebar-primary nav a[href]")).map((a) => ({
  href: a.href.split("#")[0],
  text: a.textContent.trim(),
  visible: a.getClientRects().length > 0,
}))
"""

#: Every output image / explorer frame that is shown, with its box on the page. (Images in a
#: closed dropdown keep their boxes but are hidden: OPEN_FIGURE_DROPDOWNS_JS opens those first.)
FIGURES_JS = r"""
() => Array.from(document.querySelectorAll(
    ".bd-content div.cell_output img, .bd-content figure img, .bd-content .jupyter-widgets img"))
  .filter((img) => img.checkVisibility({visibilityProperty: true}) && img.naturalWidth >= 50)
  .map((img, i) => { img.dataset.pgmFigure = String(i); return i; })
"""

#: Opens every closed dropdown admonition (sphinx-togglebutton) that holds an image, as a reader
#: opening a solution would, so that its figures are measured too; returns how many it opened.
OPEN_FIGURE_DROPDOWNS_JS = r"""
() => {
  const closed = Array.from(document.querySelectorAll(".bd-content .admonition.toggle-hidden"))
    .filter((box) => box.querySelector("img"));
  closed.forEach((box) => box.querySelector(".toggle-button").click());
  return closed.length;
}
"""


@dataclass
class Visit:
    """What one visit of one page found."""

    page: str
    load: PageLoad
    math: dict[str, Any] = field(default_factory=dict)
    images: list[dict[str, Any]] = field(default_factory=list)
    sidebar: list[dict[str, Any]] = field(default_factory=list)
    axe: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    theme: str = ""
    #: Reading measures (light visit): words, code/output lines, erratum boxes (READING_JS).
    reading: dict[str, Any] | None = None


def luminance_stats(png: bytes) -> dict[str, float]:
    """Relative luminance (WCAG) of a screenshot: the ink (0.5th percentile), the background
    (median) and the contrast ratio between them.

    Text and axes are the ink a reader must see; in a sparse figure (a scatter plot with a few
    labels) they cover well under 2% of the pixels, so a higher percentile would measure the
    coloured marks instead. A theme that dims or inverts the figure still raises this percentile
    (and lowers the median) at once."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255.0
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lum = (linear @ np.array([0.2126, 0.7152, 0.0722])).ravel()
    ink, background = np.percentile(lum, [0.5, 50])
    return {
        "ink": float(ink),
        "background": float(background),
        "contrast": float((background + 0.05) / (ink + 0.05)),
    }


class SiteVisits:
    """Opens pages on demand and remembers what each visit found."""

    def __init__(self, browser: Any, server: SiteServer, artifacts: Path = ARTIFACTS) -> None:
        self.browser = browser
        self.server = server
        self.artifacts = artifacts
        self._light: dict[str, Visit] = {}
        self._dark: dict[str, Visit] = {}
        self._axe_source: str | None = None

    # -- helpers
    def new_context(self, *, dark: bool = False) -> Any:
        return self.browser.new_context(
            viewport=VIEWPORT, color_scheme="dark" if dark else "light", reduced_motion="reduce"
        )

    def axe_source(self) -> str:
        if self._axe_source is None:
            if not AXE_JS.is_file():
                raise AssertionError(
                    f"axe-core is missing ({AXE_JS}): run `python tools/dev.py vendor` (npm ci)."
                )
            self._axe_source = AXE_JS.read_text(encoding="utf-8")
        return self._axe_source

    def run_axe(self, page: Any, name: str, rules: list[str] | None = None) -> list[dict[str, Any]]:
        """axe-core's violations on the page (all rules, or only ``rules``), saved as JSON."""
        page.add_script_tag(content=self.axe_source())
        options: dict[str, Any] = {"resultTypes": ["violations"]}
        if rules:
            options["runOnly"] = {"type": "rule", "values": rules}
        result = page.evaluate("async (options) => await axe.run(document, options)", options)
        write_json(self.artifacts / "axe" / f"{name}.json", result)
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
                "count": len(v["nodes"]),
            }
            for v in result["violations"]
        ]

    def screenshot(self, page: Any, name: str) -> None:
        path = self.artifacts / "screenshots" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)

    # -- visits
    def light(self, name: str) -> Visit:
        if name not in self._light:
            context = self.new_context()
            try:
                page, load = open_page(context, self.server.url(name), self.server)
                visit = Visit(name, load)
                visit.theme = page.evaluate("document.documentElement.dataset.theme")
                visit.math = page.evaluate(MATH_JS)
                visit.images = page.evaluate(IMAGES_JS)
                visit.sidebar = page.evaluate(SIDEBAR_JS)
                visit.reading = page.evaluate(READING_JS)
                self.screenshot(page, f"{slug(name)}-light")
                visit.axe = self.run_axe(page, f"{slug(name)}-light")
            finally:
                context.close()
            self._light[name] = visit
        return self._light[name]

    def dark(self, name: str) -> Visit:
        if name not in self._dark:
            context = self.new_context(dark=True)
            try:
                page, load = open_page(context, self.server.url(name), self.server)
                visit = Visit(name, load)
                visit.theme = page.evaluate("document.documentElement.dataset.theme")
                self.screenshot(page, f"{slug(name)}-dark")
                if page.evaluate(OPEN_FIGURE_DROPDOWNS_JS):
                    page.wait_for_timeout(600)  # the dropdowns' 0.3 s transitions
                for index in page.evaluate(FIGURES_JS):
                    element = page.locator(f'img[data-pgm-figure="{index}"]')
                    stats = luminance_stats(element.screenshot())
                    stats["src"] = element.evaluate("(e) => e.currentSrc.slice(0, 60)")
                    visit.figures.append(stats)
                # Dark mode changes colours only: the colour rules (the light visit runs all).
                visit.axe = self.run_axe(page, f"{slug(name)}-dark", DARK_MODE_RULES)
            finally:
                context.close()
            self._dark[name] = visit
        return self._dark[name]

    def loads(self) -> dict[str, PageLoad]:
        return {name: visit.load for name, visit in self._light.items()}

    def reading(self) -> dict[str, dict[str, Any] | None]:
        return {name: visit.reading for name, visit in self._light.items()}


# --- fixtures ----------------------------------------------------------------------------------

_SESSION: dict[str, SiteVisits] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``page_name`` with every page of the built site (discovered, not listed)."""
    site = site_dir()
    if "page_name" in metafunc.fixturenames:
        pages = site_pages(site) if site.is_dir() else []
        metafunc.parametrize("page_name", pages or [NO_SITE])
    if "widget_page" in metafunc.fixturenames:
        pages = widget_pages(site) if site.is_dir() else []
        metafunc.parametrize("widget_page", pages or [NO_WIDGETS])


@pytest.fixture(scope="session")
def site() -> Path:
    path = site_dir()
    if not (path / "index.html").is_file():
        pytest.fail(
            f"no built site at {path}: build the book first (python tools/dev.py build) or set "
            "PGMBOOK_SITE to a built site's html folder.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def server(site: Path):
    with SiteServer(site) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = launch_chromium(pw)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def visits(browser, server) -> SiteVisits:
    _SESSION["visits"] = SiteVisits(browser, server)
    return _SESSION["visits"]


@pytest.fixture
def page_visit(page_name: str, site: Path, visits: SiteVisits) -> Visit:
    """The light-mode visit of ``page_name``."""
    if page_name == NO_SITE:
        pytest.fail(f"no pages found in {site}", pytrace=False)
    return visits.light(page_name)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    visits = _SESSION.get("visits")
    if not visits or not visits.loads():
        return
    reading = visits.reading()
    table = weight_table(visits.loads(), reading)
    path = ARTIFACTS / "page-weights.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(table + "\n")
    write_json(
        ARTIFACTS / "page-weights.json",
        {k: {**v.as_dict(), "reading": reading.get(k)} for k, v in visits.loads().items()},
    )
    terminalreporter.write_sep("-", "page weights (also in test-artifacts/page-weights.md)")
    terminalreporter.write_line(table)
