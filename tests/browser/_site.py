"""Serve the built book on localhost and read it in Chromium: the machinery of the browser tests.

Kept free of pytest so that other tools (the benchmark harness) can reuse it::

    from _site import SiteServer, launch_chromium, open_page, site_dir, site_pages
    with SiteServer(site_dir()) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page, load = open_page(browser.new_context(), server.url("index.html"))
        print(load.weight_table_row())

Everything a page asks for is recorded; a request to any host other than the local server is
aborted on the spot (so an unreachable CDN cannot hang a test) and reported as off-site.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parents[2]
#: Where screenshots, axe reports and the page-weight table go (gitignored).
ARTIFACTS = Path(os.environ.get("PGMBOOK_ARTIFACTS", REPO / "test-artifacts"))
HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
#: Folders of the built site that hold assets, not pages.
NON_PAGE_DIRS = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static"}
#: Per-page budget for what a page itself weighs: its HTML (which carries the widget state and
#: the explorers' frames) plus the images it loads. Shared, cacheable assets (JavaScript, CSS,
#: fonts) are reported separately.
PAGE_BUDGET_BYTES = 3 * 1024 * 1024
#: Stand-in parameters, so that a missing site or missing explorers fail a test (never skip).
NO_SITE = "<no built site>"
NO_WIDGETS = "<no page embeds a widget>"
#: How long to wait for MathJax and the widgets to finish on one page.
READY_TIMEOUT_MS = 30_000


#: Reading-path limits on every section page after the first (1.2, 1.3, ...): visible words of
#: prose, visible lines of code and output, erratum boxes left open in the text.
READING_LIMITS = {"words": 3000, "lines": 150, "open_errata": 0}


def site_dir() -> Path:
    """The built site under test: ``$PGMBOOK_SITE`` or ``<repo>/_build/html``."""
    return Path(os.environ.get("PGMBOOK_SITE", REPO / "_build" / "html")).resolve()


def chromium_path() -> Path:
    return Path(os.environ.get("PGMBOOK_CHROMIUM", "/usr/bin/chromium"))


def missing_chromium_message(path: Path) -> str:
    return (
        f"Chromium is required for the browser tests and was not found at {path}. Install it "
        "(Debian: `apt-get install -y chromium`, or `python tools/dev.py test`, which does) or "
        "set PGMBOOK_CHROMIUM to a Chromium binary. These tests fail rather than skip."
    )


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to it (``chapters/x.html``)."""
    pages = [
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not (set(path.relative_to(site).parts[:-1]) & NON_PAGE_DIRS)
    ]
    return sorted(pages)


def widget_pages(site: Path) -> list[str]:
    """The pages that embed widgets (the static explorers)."""
    marker = "application/vnd.jupyter.widget-view+json"
    return [page for page in site_pages(site) if marker in (site / page).read_text("utf-8")]


def toc_pages(repo: Path = REPO) -> list[str]:
    """The HTML page of every entry of ``_toc.yml`` (root first), e.g. ``chapters/week1.html``."""
    import yaml

    toc = yaml.safe_load((repo / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return [f"{Path(name).with_suffix('').as_posix()}.html" for name in files]


def section_pages(repo: Path = REPO) -> dict[str, str]:
    """Number -> HTML page of each section of the numbered chapter of ``_toc.yml``
    (``{"1.1": "chapters/introduction.html", ...}``), in the order Sphinx numbers them."""
    import yaml

    toc = yaml.safe_load((repo / "_toc.yml").read_text())
    numbered = [part for part in toc.get("parts", []) if part.get("numbered")]
    pages: dict[str, str] = {}
    for chapter_number, chapter in enumerate(numbered[0]["chapters"] if numbered else [], 1):
        for section_number, section in enumerate(chapter.get("sections", []), 1):
            name = Path(section["file"]).with_suffix("").as_posix()
            pages[f"{chapter_number}.{section_number}"] = f"{name}.html"
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        # Serve the site under ``prefix`` only (a GitHub Pages project site lives under
        # /<repository>/); anything outside it is a 404, as it would be there.
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site_prefix__/404")
        return super().translate_path("/" + path[len(self.prefix) :])


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that drops a connection it no longer needs is not a server error.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class SiteServer:
    """A threaded static HTTP server for ``root`` on 127.0.0.1 and a free port.

    ``prefix`` serves the site under a sub-path (``/book/``), as GitHub Pages serves a project
    site; paths outside it answer 404.
    """

    def __init__(self, root: Path, prefix: str = "/") -> None:
        self.root = Path(root)
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler_class = type("Handler", (_QuietHandler,), {"prefix": self.prefix})
        handler = functools.partial(handler_class, directory=str(self.root))
        self._httpd = _Server((HOST, 0), handler)
        self.port = self._httpd.server_address[1]
        self.origin = f"http://{HOST}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, page: str) -> str:
        return f"{self.origin}{self.prefix}{page}"

    def local_file(self, url: str) -> Path | None:
        """The file behind a URL of this server (None for other hosts or outside the prefix)."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or not path.startswith(self.prefix):
            return None
        local = self.root / path[len(self.prefix) :]
        return local / "index.html" if local.is_dir() else local

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless. Raises RuntimeError (never skips) when it is missing."""
    path = chromium_path()
    if not path.exists():
        raise RuntimeError(missing_chromium_message(path))
    return playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)


@dataclass
class Transfer:
    url: str
    kind: str  # playwright resource type: document, script, stylesheet, image, font, ...
    status: int | None
    bytes: int


@dataclass
class PageLoad:
    """What one page did while it loaded: requests, failures and console output."""

    url: str
    transfers: list[Transfer] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: The page's icon (``<link rel="icon">``) as fetched by the page: {"href", "status"};
    #: empty when the page declares none.
    favicon: dict[str, Any] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """Everything that makes the page fail the clean-load check, one line each."""
        return (
            [f"request to another host (blocked): {u}" for u in self.offsite]
            + [f"failed request: {u}" for u in self.failed]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error (uncaught exception): {m}" for m in self.page_errors]
            + self.favicon_problems()
        )

    def favicon_problems(self) -> list[str]:
        """A page without a working icon makes the browser ask for /favicon.ico (a 404 and a
        console error on a reader's first visit). Playwright's request interception stops
        Chromium from fetching icons, so the page's icon is fetched explicitly instead."""
        if not self.favicon.get("href"):
            return [
                'no <link rel="icon">: browsers ask for /favicon.ico, which the site does not '
                "serve (404); set html_favicon in _config.yml"
            ]
        if self.favicon.get("status") != 200:
            return [f"the page's icon {self.favicon['href']} answers HTTP {self.favicon['status']}"]
        return []

    @property
    def page_bytes(self) -> int:
        """HTML (with the widget state inside it) plus images: what the page budget covers."""
        return sum(t.bytes for t in self.transfers if t.kind in {"document", "image"})

    @property
    def asset_bytes(self) -> int:
        return sum(t.bytes for t in self.transfers if t.kind not in {"document", "image"})

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "requests": len(self.transfers),
            "page_bytes": self.page_bytes,
            "asset_bytes": self.asset_bytes,
            "seconds": round(self.seconds, 3),
            "problems": self.problems(),
        }


def _is_local(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return f"{parts.scheme}://{parts.netloc}" == origin


# Resolves when MathJax (if the page loads it) has typeset, the widget manager (if the page
# embeds widgets) has rendered every view, and every image has finished loading or failed.
_READY_JS = """
async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const views = document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]');
  for (let i = 0; i < 600 && views.length; i++) {
    const rendered = Array.from(views).filter((s) => {
      const area = s.previousElementSibling;
      return area && area.classList.contains("widget-subarea") && area.childElementCount > 0;
    });
    if (rendered.length === views.length) break;
    await sleep(50);
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    // Widgets typeset after they render: pgmbook-widgets.js chains each job on
    // MathJax.startup.promise. Wait until no new job has been chained.
    for (let i = 0; i < 100; i++) {
      const pending = MathJax.startup.promise;
      await pending;
      await sleep(50);
      if (pending === MathJax.startup.promise) break;
    }
  }
  await Promise.all(Array.from(document.images).map((img) => img.complete ? null :
    new Promise((r) => { img.addEventListener("load", r); img.addEventListener("error", r); })));
  if (document.fonts) await document.fonts.ready;
  return true;
}
"""

#: What a reader has to get through on a page: visible words of the article's prose, visible
#: lines of code and output, and erratum boxes open in the text. Prose excludes code cells,
#: outputs (widgets included), anything not rendered (closed dropdowns and <details>, hidden
#: inputs) and MathJax's own markup; each typeset formula counts as ONE word. Lines are the
#: lines of every visible <pre> (cell inputs, text outputs, literal blocks), widgets excluded.
#: An erratum box is an admonition with the class "erratum" or a title starting "Erratum";
#: it is open when more than its title is visible.
READING_JS = r"""
() => {
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!article) return null;
  const shown = (el) => el.getClientRects().length > 0 &&
    el.checkVisibility({checkVisibilityCSS: true});
  const NOT_PROSE = "pre, div.highlight, .cell_input, .cell_output, .output, .jupyter-widgets, " +
    "script, style, mjx-container, .headerlink";
  const block = (el) => {
    for (let e = el; e && e !== article; e = e.parentElement) {
      if (!getComputedStyle(e).display.startsWith("inline")) return e;
    }
    return article;
  };
  const parts = [];
  let previousBlock = null;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT,
    {acceptNode: (node) => {
      // Inside a typeset formula (MathJax's glyphs and its hidden copy for screen readers):
      // the formula was already counted once, as one word, at its mjx-container.
      if (node.parentElement && node.parentElement.closest("mjx-container")) {
        return NodeFilter.FILTER_REJECT;
      }
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.matches("mjx-container")) return NodeFilter.FILTER_ACCEPT;
        return node.matches(NOT_PROSE) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
      return NodeFilter.FILTER_ACCEPT;
    }});
  let formulas = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!element || !shown(element)) continue;
    const here = block(element);
    if (here !== previousBlock) parts.push(" ");
    previousBlock = here;
    if (node.nodeType === Node.ELEMENT_NODE) {
      parts.push(" formula ");  // one word per typeset formula
      formulas += 1;
    } else {
      parts.push(node.textContent);
    }
  }
  const words = parts.join("").split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  let codeLines = 0, outputLines = 0;
  article.querySelectorAll("pre").forEach((pre) => {
    if (pre.closest(".jupyter-widgets") || !shown(pre)) return;
    const lines = pre.textContent.replace(/\n+$/, "").split("\n").length;
    if (pre.closest(".cell_output")) outputLines += lines; else codeLines += lines;
  });
  let errata = 0, openErrata = 0;
  article.querySelectorAll(".admonition").forEach((box) => {
    const title = box.querySelector(":scope > .admonition-title");
    const erratum = box.classList.contains("erratum") ||
      /^\s*erratum/i.test(title ? title.textContent : "");
    if (!erratum) return;
    errata += 1;
    const body = Array.from(box.children).filter((c) => c !== title);
    if (shown(box) && body.some(shown)) openErrata += 1;
  });
  return {words: words, formulas: formulas, code_lines: codeLines, output_lines: outputLines,
          lines: codeLines + outputLines, errata: errata, open_errata: openErrata};
}
"""

#: The page's declared icon, fetched as the browser would fetch it.
_FAVICON_JS = """
async () => {
  const link = document.querySelector('link[rel~="icon"]');
  if (!link) return {href: null, status: null};
  try {
    const response = await fetch(link.href, {cache: "no-store"});
    return {href: link.href, status: response.status};
  } catch (error) {
    return {href: link.href, status: String(error)};
  }
}
"""


def open_page(
    context: Any, url: str, server: SiteServer | None = None, *, page: Any = None
) -> tuple[Any, PageLoad]:
    """Open ``url`` in a new page of ``context`` and wait until it is fully rendered.

    Returns the playwright page (left open for the caller) and what happened while it loaded.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    page = page or context.new_page()
    load = PageLoad(url=url)

    def route(route_: Any) -> None:
        request_url = route_.request.url
        if _is_local(request_url, origin):
            route_.continue_()
        else:
            load.offsite.append(request_url)
            route_.abort("blockedbyclient")

    def on_response(response: Any) -> None:
        request = response.request
        size = 0
        local = server.local_file(response.url) if server else None
        if local is not None and local.is_file():
            size = local.stat().st_size
        elif not response.url.startswith("data:"):
            try:
                size = len(response.body())
            except Exception:  # body unavailable (redirect, aborted): count headers only
                size = 0
        load.transfers.append(Transfer(response.url, request.resource_type, response.status, size))
        if response.status >= 400:
            load.failed.append(f"{response.url} (HTTP {response.status})")

    def on_failed(request: Any) -> None:
        if _is_local(request.url, origin):
            load.failed.append(f"{request.url} ({request.failure})")

    def on_console(message: Any) -> None:
        text = f"{message.text} [{message.location.get('url', '')}]"
        if message.type == "error":
            load.console_errors.append(text)
        elif message.type == "warning":
            load.console_warnings.append(text)

    page.route("**/*", route)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("console", on_console)
    page.on("pageerror", lambda error: load.page_errors.append(str(error)))
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(_READY_JS, timeout=READY_TIMEOUT_MS)
    load.seconds = time.perf_counter() - start
    load.favicon = page.evaluate(_FAVICON_JS)
    return page, load


@contextmanager
def browser_session() -> Iterator[tuple[SiteServer, Any]]:
    """Serve :func:`site_dir` and launch Chromium (for scripts; the tests use fixtures)."""
    from playwright.sync_api import sync_playwright

    with SiteServer(site_dir()) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield server, browser
        finally:
            browser.close()


def weight_table(
    loads: dict[str, PageLoad], reading: dict[str, dict[str, Any] | None] | None = None
) -> str:
    """A Markdown table of page weights and request counts, and the reading measures of
    :data:`READING_JS` where ``reading`` has them (words of prose, lines of code + output,
    erratum boxes open of all erratum boxes)."""
    reading = reading or {}
    rows = [
        "| page | requests | page KB (HTML + images) | shared assets KB | load s "
        "| words | code + output lines | errata open / all |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, load in sorted(loads.items()):
        measure = reading.get(name)
        text = (
            f"{measure['words']} | {measure['code_lines']} + {measure['output_lines']} = "
            f"{measure['lines']} | {measure['open_errata']} / {measure['errata']}"
            if measure
            else "| |"
        )
        rows.append(
            f"| {name} | {len(load.transfers)} | {load.page_bytes / 1024:.0f} | "
            f"{load.asset_bytes / 1024:.0f} | {load.seconds:.2f} | {text} |"
        )
    return "\n".join(rows)


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))


def slug(page: str) -> str:
    """A file-name-safe name for a page path (``chapters/x.html`` -> ``chapters__x``)."""
    return page.removesuffix(".html").replace("/", "__")


def absolute(base: str, href: str) -> str:
    return urljoin(base, href).split("#")[0]
