"""The notebooks' numbering for JupyterLab (tools/numbering.py) agrees with the built site.

Every number a student sees in JupyterLab comes from a notebook's numbering cell or its reference
texts; the site (``_build/html`` or ``$PGMBOOK_SITE``) is the authority. Runs after the build.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("PGMBOOK_SITE", ROOT / "_build" / "html"))
sys.path.insert(0, str(ROOT / "tools"))

import numbering  # noqa: E402

pytestmark = pytest.mark.site

PAGES = numbering.book_pages()
NOTEBOOKS = [page for page in PAGES if page.path.suffix == ".ipynb"]


@cache
def site() -> list[numbering.SiteObject]:
    assert (SITE / "index.html").is_file(), f"no built site in {SITE}: build the book first"
    return numbering.site_objects(SITE, [page.docname for page in PAGES])


@cache
def by_label() -> dict[str, numbering.SiteObject]:
    return {obj.label: obj for obj in site()}


def site_kind(text: str) -> str:
    """The kind of a site object from its caption ("Definition 1.5" -> proof:definition)."""
    if text.startswith("("):
        return numbering.EQUATION
    word = text.split()[0]
    return {"Fig.": numbering.FIGURE, "Exercise": numbering.EXERCISE}.get(
        word, f"proof:{word.lower()}"
    )


def number_of(text: str) -> int:
    return int(re.search(r"\d+\.(\d+)", text).group(1))


def numbering_cell(page: numbering.Page) -> tuple[dict, list[numbering.Directive]]:
    nb = nbformat.read(page.path, as_version=4)
    cell = nb.cells[0]
    assert numbering.is_numbering_cell(cell), f"{page.path.name} has no numbering cell first"
    front = re.match(r"```yaml\n(.*?)\n```", cell.source, re.DOTALL)
    stubs = [d for d in numbering.walk(cell.source) if "enumerator" in d.options]
    return yaml.safe_load(front.group(1))["numbering"], stubs


def jupyterlab_text(kind: str, enumerator: str) -> str:
    """What jupyterlab-myst shows for an object of ``kind`` numbered ``enumerator``."""
    if kind == numbering.EQUATION:
        return f"({enumerator})"
    if kind == numbering.FIGURE:
        return f"Fig. {enumerator}"
    return f"{kind.split(':')[-1].title()} {enumerator}"


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.path.name)
def test_each_kind_starts_where_the_site_continues(page):
    """In JupyterLab each notebook counts on from the site's last number on earlier pages, and
    its own objects come out with exactly the site's numbers."""
    front, _ = numbering_cell(page)
    assert front["enumerator"] == "1.%s"
    objects = site()
    order = [p.docname for p in PAGES]
    earlier = defaultdict(int)
    for obj in objects:
        if order.index(obj.docname) < order.index(page.docname):
            earlier[site_kind(obj.text)] += 1
    for kind in {site_kind(o.text) for o in objects} - {numbering.EQUATION, numbering.FIGURE}:
        assert front[kind]["start"] == earlier[kind] + 1, (page.path.name, kind, front[kind])
    counters = {kind: front[kind]["start"] for kind in front if "start" in front[kind]}
    site_by_label = {o.label: o for o in objects}
    for text in numbering.markdown_texts(page.path):
        for directive in numbering.walk(text):
            kind = numbering._numbered_kind(directive)
            if kind in counters:
                shown = jupyterlab_text(kind, f"1.{counters[kind]}")
                counters[kind] += 1
                label = directive.options.get("label")
                assert site_by_label[label].text == shown, (page.path.name, label, shown)


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.path.name)
def test_displays_are_unnumbered_and_figures_read_as_on_the_site(page):
    front, _ = numbering_cell(page)
    assert front["equation"] == {"enabled": False}
    assert front["figure"]["template"] == "Fig. %s"
    assert front["proof:proof"] == {"enumerator": " "}


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.path.name)
def test_every_stand_in_carries_the_site_number(page):
    _, stubs = numbering_cell(page)
    labels = by_label()
    for stub in stubs:
        label = stub.options["label"]
        kind = {"math": numbering.EQUATION, "figure": numbering.FIGURE}.get(
            stub.name, "exercise" if stub.name == "exercise" else f"proof:{stub.name[4:]}"
        )
        assert labels[label].text == jupyterlab_text(kind, stub.options["enumerator"]), label


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.path.name)
def test_every_reference_resolves_in_jupyterlab(page):
    """A label a notebook refers to is defined in its Markdown or stood in for."""
    texts = numbering.markdown_texts(page.path)
    _, stubs = numbering_cell(page)
    known = numbering.local_targets(texts) | {s.options["label"] for s in stubs}
    for text in texts:
        for role, label in numbering.references(text):
            assert label in known, f"{page.path.name}: {{{role}}}`{label}` is not resolvable"


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.path.name)
def test_reference_texts_are_the_site_texts(page):
    labels = by_label()
    for text in numbering.markdown_texts(page.path):
        for match in numbering.ROLE.finditer(text):
            explicit = numbering.EXPLICIT.match(match["content"])
            if match["name"] == "eq":
                assert explicit, f"{page.path.name}: {match[0]} carries no number"
                assert explicit["text"] == labels[explicit["target"]].text, match[0]
            elif match["name"] == "doc":
                assert explicit, f"{page.path.name}: {match[0]} carries no title"
                target = (page.path.parent / explicit["target"]).resolve()
                assert target.is_file(), f"{page.path.name}: {match[0]} names no file"
                docname = target.relative_to(ROOT).with_suffix("").as_posix()
                assert explicit["text"] == numbering.site_title(SITE, docname), match[0]
