"""The built site offers what the issue promises on every chapter page: launch buttons to
Binder and Colab on notebook pages, a source download (.ipynb or .md), repository links that
come from the one configured URL, and every registered explorer on its chapter's page. Reads the
built HTML (``_build/html`` or ``$PGMBOOK_SITE``)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from pgmlib.widgets import EXPLORERS

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("PGMBOOK_SITE", ROOT / "_build" / "html"))
sys.path.insert(0, str(ROOT / "tools"))

import chapters as chaptools  # noqa: E402

pytestmark = pytest.mark.site

NOTEBOOKS = [p.stem for p in chaptools.chapter_notebooks()]
MARKDOWN = sorted(p.stem for p in (ROOT / "chapters").glob("*.md"))


def html(stem: str) -> str:
    path = SITE / "chapters" / f"{stem}.html"
    assert path.is_file(), f"{path} is missing: build the book first"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_pages_launch_in_binder_and_colab_and_download_as_ipynb(stem):
    slug = chaptools.github_slug(chaptools.read_repository_url())
    text = html(stem)
    assert f"https://mybinder.org/v2/gh/{slug}/main?urlpath=lab/tree/chapters/{stem}.ipynb" in text
    assert (
        f"https://colab.research.google.com/github/{slug}/blob/main/chapters/{stem}.ipynb" in text
    )
    assert f'href="../_sources/chapters/{stem}.ipynb"' in text
    assert (SITE / "_sources" / "chapters" / f"{stem}.ipynb").is_file()


@pytest.mark.parametrize("stem", MARKDOWN)
def test_markdown_pages_download_as_md(stem):
    assert f'href="../_sources/chapters/{stem}.md"' in html(stem)


def test_repository_buttons_use_the_configured_url():
    url = chaptools.read_repository_url()
    text = html(NOTEBOOKS[0])
    assert f'href="{url}"' in text
    assert f"{url}/issues/new" in text
    assert f"{url}/edit/main/chapters/{NOTEBOOKS[0]}.ipynb" in text


def _shown_dom_classes(text: str) -> set[str]:
    """The DOM classes of the widgets a page displays: those of each displayed view's model and
    of every model it contains, read from the embedded widget state."""
    states = re.findall(
        r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', text, re.S
    )
    models = {key: m["state"] for s in states for key, m in json.loads(s)["state"].items()}
    views = re.findall(
        r'<script type="application/vnd.jupyter.widget-view\+json">(.*?)</script>', text, re.S
    )
    todo = [json.loads(view)["model_id"] for view in views]
    classes: set[str] = set()
    seen: set[str] = set()
    while todo:
        model = todo.pop()
        if model in seen or model not in models:
            continue
        seen.add(model)
        classes.update(models[model].get("_dom_classes", []))
        todo += [c.removeprefix("IPY_MODEL_") for c in models[model].get("children", [])]
    return classes


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_registered_explorer_is_shown_on_its_chapter_page(name):
    """The page of the registry entry's chapter displays ``.pgm-explorer-<name>``."""
    stem = Path(EXPLORERS[name].chapter).stem
    assert f"pgm-explorer-{name}" in _shown_dom_classes(html(stem)), (
        f"chapters/{stem}.html does not show the {name} explorer"
    )


@pytest.mark.parametrize("stem", NOTEBOOKS + MARKDOWN)
def test_no_equation_number_in_double_parentheses(stem):
    """An equation reference prints its own parentheses: "({eq}`eq-1-34`)" would read
    "((1.34))". Write "eq. (1.34)" or "(eq. (1.34))" instead."""
    text = re.sub(r"<[^>]+>", "", html(stem))  # the page's text, tags removed
    doubled = re.findall(r".{0,40}\(\(1\.\d+\)", text)
    assert not doubled, f"{stem}: {doubled}"
