"""The built HTML is self-contained: read without a browser (fast, precise messages).

What a page *loads* (scripts, stylesheets, images, fonts, frames) comes from the site itself;
only plain links (launch buttons, repository, references) may point elsewhere. The widget
manager never needs a CDN: every widget model on every page is one the bundled manager ships.
Complements test_browser.py, which watches the real requests in Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _site import site_dir, site_pages

pytestmark = pytest.mark.site

SITE = site_dir()
#: Widget modules the html-manager bundle (embed-amd.js) defines or handles itself.
BUNDLED_WIDGET_MODULES = {
    "@jupyter-widgets/base",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/output",
}
#: (tag, attribute) pairs through which a page loads something.
LOADING_ATTRIBUTES = [
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
]


def _pages() -> list[str]:
    return site_pages(SITE) if SITE.is_dir() else ["<no built site>"]


def _soup(page: str):
    from bs4 import BeautifulSoup

    path = SITE / page
    assert path.is_file(), f"{path} is missing: build the book first (python tools/dev.py build)"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _off_site(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in {"", "data", "blob"}


def _loaded_urls(soup) -> list[str]:
    urls = []
    for tag, attribute in LOADING_ATTRIBUTES:
        for element in soup.find_all(tag):
            value = (element.get(attribute) or "").strip()
            if value and attribute == "srcset":
                urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif value:
                urls.append(value)
    for link in soup.find_all("link", href=True):
        rel = {r.lower() for r in link.get("rel", [])}
        if rel & {"stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"}:
            urls.append(link["href"])
    for style in soup.find_all(style=True):
        urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", style["style"])
    return urls


@pytest.mark.parametrize("page", _pages())
def test_page_loads_nothing_from_another_host(page):
    off_site = [url for url in _loaded_urls(_soup(page)) if _off_site(url)]
    assert not off_site, f"{page} loads from other hosts:\n  " + "\n  ".join(off_site)


@pytest.mark.parametrize("page", _pages())
def test_each_script_and_stylesheet_is_included_once(page):
    soup = _soup(page)
    seen, repeated = set(), []
    for script in soup.find_all("script"):
        if script.get("type", "text/javascript") not in {"text/javascript", "module"}:
            continue  # data blocks (widget state/views, thebe config) are not executed
        key = script.get("src") or script.get_text()
        if key in seen:
            repeated.append(key[:100])
        seen.add(key)
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    repeated += sorted({href for href in sheets if sheets.count(href) > 1})
    assert not repeated, f"{page} includes these more than once:\n  " + "\n  ".join(repeated)


@pytest.mark.parametrize("page", _pages())
def test_mathjax_and_widget_scripts_are_the_vendored_ones(page):
    soup = _soup(page)
    sources = [urlsplit(s["src"]).path for s in soup.find_all("script", src=True)]
    needs = {
        "_static/mathjax/tex-mml-chtml.js": bool(soup.select("span.math, div.math")),
        "_static/require.js": bool(soup.select('script[type*="widget-view"]')),
        "_static/@jupyter-widgets/html-manager/dist/embed-amd.js": bool(
            soup.select('script[type*="widget-view"]')
        ),
        "_static/pgmbook-widgets.js": bool(soup.select('script[type*="widget-view"]')),
    }
    for asset, needed in needs.items():
        if needed:
            assert any(src.endswith(asset) for src in sources), f"{page} does not load {asset}"
            relative = next(src for src in sources if src.endswith(asset))
            assert (SITE / page).parent.joinpath(relative).resolve().is_file(), relative
    if needs["_static/require.js"]:
        widget_scripts = [name for name in needs if not name.endswith("tex-mml-chtml.js")]
        widget_scripts.insert(0, widget_scripts.pop())  # pgmbook-widgets.js comes first
        order = [next(i for i, s in enumerate(sources) if s.endswith(a)) for a in widget_scripts]
        assert order == sorted(order), f"{page}: widget scripts out of order {order}"
        cdn = soup.find("script", attrs={"data-jupyter-widgets-cdn": True})
        assert cdn is not None and not _off_site(cdn["data-jupyter-widgets-cdn"]), (
            "the widget manager's CDN fallback must name a folder of this site"
        )


@pytest.mark.parametrize("page", _pages())
def test_every_widget_model_is_bundled_with_the_manager(page):
    """So the manager never looks a module up (its fallback would be a CDN)."""
    soup = _soup(page)
    modules = set()
    for block in soup.find_all("script", type="application/vnd.jupyter.widget-state+json"):
        for model in json.loads(block.string)["state"].values():
            state = model["state"]
            modules |= {model.get("model_module"), state.get("_model_module")}
            modules |= {state.get("_view_module")}
    modules.discard(None)
    assert modules <= BUNDLED_WIDGET_MODULES, f"{page}: {sorted(modules - BUNDLED_WIDGET_MODULES)}"


def test_widget_manager_fonts_are_served_next_to_it():
    dist = SITE / "_static" / "@jupyter-widgets" / "html-manager" / "dist"
    bundle = dist / "embed-amd.js"
    assert bundle.is_file(), f"{bundle} missing: run python tools/dev.py vendor, then build"
    fonts = set(re.findall(r'\.p\+"([0-9a-f]{20}\.(?:woff2?|ttf|eot|svg))"', bundle.read_text()))
    assert fonts, "no font references found in embed-amd.js (bundle layout changed?)"
    missing = sorted(name for name in fonts if not (dist / name).is_file())
    assert not missing, f"fonts referenced by the widget manager but not served: {missing}"


def test_thebe_stays_off_and_out_of_the_pages():
    """Thebe fetches its code from unpkg.com when started: the book keeps it switched off, and
    then none of sphinx-thebe's scripts is written into the pages."""
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "_config.yml").read_text())
    assert not config.get("launch_buttons", {}).get("thebe"), (
        "launch_buttons.thebe is on: Thebe loads from a CDN; vendor it before switching it on"
    )
    carrying = [
        page
        for page in _pages()
        if re.search(r"sphinx-thebe\.js|THEBE_JS_URL", (SITE / page).read_text(encoding="utf-8"))
    ]
    assert not carrying, f"pages still carrying sphinx-thebe's scripts: {carrying}"
