"""The Notation page (``chapters/notation.md``): every symbol of the book, with its meaning and a
link to the place where it first appears.

From the sources: the page is in the back matter of ``_toc.yml`` (after the Errata, before the
References); its tables list at least 20 symbols, each with a link; every ``{eq}``,
``{prf:ref}``, ``{numref}``, ``{ref}`` and ``{doc}`` target is a label (of the right kind) or a
page of the chapters; the symbols the issue names are all there, and the two letters the notes
overload, pi and sigma, are explained. For the symbols of :data:`PROBES`, the first link really
is where the symbol first appears: the linked Markdown cell (or page, for a ``{doc}`` link)
mentions it, and no earlier section page and no earlier cell of that page does (erratum boxes,
which quote the notes, and the objectives, which announce what a page teaches, left out).

From the built site (marked ``site``): every row of every table on the page carries a link that
resolves to an existing page and anchor.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("PGMBOOK_SITE", ROOT / "_build" / "html"))
PAGE = ROOT / "chapters" / "notation.md"
sys.path.insert(0, str(ROOT / "tools"))

import numbering  # noqa: E402

#: What each reference role may point at: the directive that defines the label (``figure``
#: includes figures drawn by code cells; ``target`` is a ``(label)=`` line).
ROLE_TARGETS = {
    "eq": lambda kind: kind == "math",
    "prf:ref": lambda kind: kind.startswith("prf:"),
    "numref": lambda kind: kind in {"figure", "exercise"},
    "ref": lambda kind: True,
}
#: The symbols the issue asks for by name, as they are written in the page's first column
#: (compared with spaces removed).
REQUIRED = [
    r"$P_X$",
    r"$p_X$",
    r"$T_\#P_X$",
    r"$T^{-1}(y)$",
    r"\lvert\det\nabla_yT^{-1}(y)\rvert",
    r"$L(\theta)$",
    r"$l(\theta)$",
    r"$l_{\mathrm{c}}(\theta)$",
    r"$\theta_{\mathrm{ML}}$",
    r"$\hat\theta_{\mathrm{MLE}}$",
    r"$N$",
    r"$\pi$",
    r"$\pi_k$",
    r"$\gamma_{nk}$",
    r"$Z_{nk}$",
    r"$I(\theta)$",
    r"$H(X)$",
    r"$H(p)$",
    r"$H(p,q)$",
    r"$\mathrm{KL}(p\,\|\,q)$",
    r"$L_1(p\,\|\,q)$",
    r"$\chi^2(p\,\|\,q)$",
    r"$\chi^2_1$",
    r"$P\llQ$",
    r"$\sigma(s)$",
    r"$\mathcal{N}(\mu,\sigma^2)$",
    r"$\mathbb{E}_p[\cdot]$",
    r"$\theta^\star$",
]
#: For these rows (key: the row's symbol cell), a pattern that finds the symbol in the chapters'
#: Markdown, to check that the row's first link is where the symbol first appears.
PROBES = {
    r"$P_X$": r"P_X",
    r"$T_\# P_X$": r"T_\\#",
    r"$T_\# p_X$": r"T_\\#\s*p_X",
    r"$T^{-1}(y)$": r"T\^\{-1\}",
    r"$\nabla_y T^{-1}(y)$, $\lvert \det \nabla_y T^{-1}(y) \rvert$": r"\\det\s*\\nabla",
    r"$\Phi$, $\varphi$, $\Phi^{-1}$": r"\\Phi",
    r"$\pi$": r"\\pi(?![_a-zA-Z])",
    r"$\sigma(s)$": r"\\sigma\s*(\(|\\bigl\()",
    r"$\mathcal{N}(\mu, \Sigma)$, $\Sigma$, $\Sigma^{-1}$": r"\\mathcal\{N\}\(\\mu_",
    r"$\chi^2_1$": r"\\chi\^2_1",
    r"$\mathcal{N}(\mu, \sigma^2)$, $\mathcal{N}(0, 1)$": r"\\mathcal\{N\}\(0,\s*1\)",
    r"$q_X$, $q$": r"(?<![\w\\])q(?![\w(])|q_X",
    r"$L(\theta)$": r"(?<![\w\\])L\(\\theta\)",
    r"$\theta_{\mathrm{ML}}$, $\hat\theta_{\mathrm{MLE}}$": r"\\theta_\{\\mathrm\{ML",
    r"$l(\theta)$": r"(?<![\w\\])l\(\\theta\)",
    r"$\pi_k$": r"\\pi_k",
    r"$Z_{nk}$, $z_{nk}$": r"Z_\{nk\}",
    r"$l_{\mathrm{c}}(\theta)$": r"l_\{?\\mathrm\{c\}",
    r"$\gamma_{nk}$": r"\\gamma_\{nk\}",
    r"$I(\theta)$": r"I\(\\theta\)",
    r"$H(X)$, $H(p)$": r"H\((X|p|p_X)\)",
    r"$H(p, q)$": r"H\(p(_X)?,\s*q",
    r"$P \ll Q$": r"\\ll\b",
    r"$\mathbb{E}_p[\cdot]$": r"\\mathbb\{E\}_p",
    r"$\mathrm{KL}(p \,\|\, q)$": r"\\mathrm\{KL\}",
    r"$L_1(p \,\|\, q)$": r"L_1",
    r"$\chi^2(p \,\|\, q)$": r"\\chi\^2\(",
    r"$\mathbb{E}[\cdot]$, $\mathbb{E}[\cdot \mid \cdot]$": r"\\mathbb\{E\}",
    r"$\eta_\mu$, $\eta_\sigma$": r"\\eta_\\mu",
    r"$q_\theta$": r"q_\\theta",
    r"$\theta^\star$": r"\\theta\^\\star",
    r"$\hat p_N$": r"\\hat\s*p_N",
    r"$I_d$, $\mathcal{N}(0, I_d)$": r"I_[d2]\b",
    r"$T_\theta$": r"T_\\theta",
}
#: Boxes that do not introduce a symbol: an erratum box quotes the notes, and a page's
#: objectives only announce what the page will teach.
NOT_AN_APPEARANCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{admonition\} (Erratum|What you will be able to do)"
    r".*?^(?P=fence)\s*$",
    re.DOTALL | re.MULTILINE,
)
FIRST_COLUMN_SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------
# Reading the page and the chapters
# --------------------------------------------------------------------------------------------
def page_text() -> str:
    assert PAGE.is_file(), f"{PAGE} is missing"
    return PAGE.read_text(encoding="utf-8")


def table_rows(text: str) -> list[list[str]]:
    """The body rows of every ``list-table`` of ``text`` (header rows left out), as cell texts."""
    rows = []
    for directive in numbering.walk(text):
        if directive.name != "list-table":
            continue
        header_rows = int(directive.options.get("header-rows", "0"))
        table = []
        for line in directive.body.splitlines():
            if line.startswith("* - "):
                table.append([line[4:]])
            elif line.startswith("  - "):
                table[-1].append(line[4:])
            elif line.strip():
                table[-1][-1] += " " + line.strip()
        rows += table[header_rows:]
    return rows


def role_targets(text: str) -> list[tuple[str, str]]:
    """(role, target) of every cross-reference role in ``text``."""
    found = []
    for match in numbering.ROLE.finditer(text):
        explicit = numbering.EXPLICIT.match(match["content"])
        found.append((match["name"], (explicit["target"] if explicit else match["content"])))
    return [(role, target.strip()) for role, target in found]


def toc_docnames() -> list[str]:
    return numbering.toc_docnames()


@cache
def chapter_cells() -> dict[str, list[str]]:
    """docname -> the Markdown the website shows of each section page of Week 1, one text per
    cell, in ``_toc.yml`` order (the chapter's overview page and this page left out)."""
    pages = [p for p in numbering.book_pages() if "." in p.section]
    return {p.docname: numbering.markdown_texts(p.path) for p in pages}


@cache
def labels() -> dict[str, str]:
    """label -> kind (the directive that defines it: ``prf:definition``, ``math``, ``figure``,
    ``exercise``, ``target`` for a ``(label)=`` line) for every label of the book's pages."""
    found = {}
    for docname in toc_docnames():
        if docname == "chapters/notation":
            continue
        path = numbering._page(docname, "", 0, ROOT).path
        if path.suffix == ".ipynb":
            for cell in numbering._website_cells(path):
                figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
                if cell.cell_type == "code" and figure.get("name"):
                    found[figure["name"]] = "figure"
        for text in numbering.markdown_texts(path):
            for target in re.findall(r"^\(([^()\s]+)\)=\s*$", text, re.MULTILINE):
                found[target] = "target"
            for directive in numbering.walk(text):
                label = directive.options.get("label") or directive.options.get("name")
                if label:
                    found[label] = directive.name
    return found


@cache
def markdown_cell_of_label() -> dict[str, tuple[str, int]]:
    """label -> (docname, index of the Markdown cell that defines it) on the section pages."""
    found = {}
    for docname, texts in chapter_cells().items():
        for index, text in enumerate(texts):
            for directive in numbering.walk(text):
                label = directive.options.get("label") or directive.options.get("name")
                if label:
                    found[label] = (docname, index)
    return found


def mentions(text: str, pattern: str) -> bool:
    return re.search(pattern, NOT_AN_APPEARANCE.sub("", text)) is not None


def squeeze(text: str) -> str:
    return FIRST_COLUMN_SPACES.sub("", text)


# --------------------------------------------------------------------------------------------
# The page in the book
# --------------------------------------------------------------------------------------------
def test_page_is_in_the_back_matter_between_errata_and_references():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    back = next(p for p in toc["parts"] if p.get("caption") == "Back matter")
    files = [c["file"] for c in back["chapters"]]
    assert "chapters/notation" in files, f"_toc.yml's back matter lists {files}"
    where = files.index("chapters/notation")
    assert files[where - 1] == "chapters/errata", files
    assert files[where + 1] == "chapters/bibliography", files
    assert not back.get("numbered"), "the back matter must stay unnumbered"


def test_page_lists_at_least_twenty_symbols_each_with_a_link():
    rows = table_rows(page_text())
    assert len(rows) >= 20, f"the page lists {len(rows)} symbols"
    for row in rows:
        assert len(row) == 3, f"a row needs symbol, meaning and first appearance: {row}"
        symbol, meaning, first = row
        assert symbol.strip() and len(meaning.split()) >= 3, row
        assert role_targets(first), f"{symbol}: no link to where it first appears ({first!r})"


def test_symbols_are_listed_once():
    symbols = [squeeze(row[0]) for row in table_rows(page_text())]
    repeated = {s for s in symbols if symbols.count(s) > 1}
    assert not repeated, f"listed more than once: {sorted(repeated)}"


def test_every_symbol_the_issue_names_is_listed():
    cells = [squeeze(row[0]) for row in table_rows(page_text())]
    missing = [s for s in REQUIRED if not any(squeeze(s) in cell for cell in cells)]
    assert not missing, f"not on the Notation page: {missing}"


def test_every_reference_target_exists():
    text = page_text()
    targets = role_targets(text)
    assert len(targets) >= 20, targets
    known = labels()
    docs = set(toc_docnames())
    problems = []
    for role, target in targets:
        if role == "doc":
            docname = "chapters/" + re.sub(r"\.(md|ipynb)$", "", target)
            if docname not in docs:
                problems.append(f"{{doc}}`{target}`: no such page in _toc.yml")
        elif role in ROLE_TARGETS:
            if target not in known:
                problems.append(f"{{{role}}}`{target}`: no such label in the chapters")
            elif not ROLE_TARGETS[role](known[target]):
                problems.append(f"{{{role}}}`{target}` points at a {known[target]}")
        else:
            problems.append(f"{{{role}}}`{target}`: a role the page should not use")
    assert not problems, "\n".join(problems)


def test_pi_and_sigma_are_explained_as_overloaded():
    boxes = [
        d
        for d in numbering.walk(page_text())
        if d.name == "admonition" and "pgm-notation-overloads" in d.options.get("class", "")
    ]
    assert len(boxes) == 1, "one box (class pgm-notation-overloads) explains the overloaded letters"
    box = boxes[0]
    assert "$\\pi$" in box.argument and "$\\sigma$" in box.argument, box.argument
    for meaning in ["class prior", "weight of component", "3.14159", "logistic sigmoid"]:
        assert meaning in box.body, f"the box does not mention the {meaning!r} meaning"
    for meaning in ["standard deviation", "$\\sigma$-algebra"]:
        assert meaning in box.body, f"the box does not mention the {meaning!r} meaning"
    # Each meaning points to where it is used.
    assert len(role_targets(box.body)) >= 6, role_targets(box.body)


# --------------------------------------------------------------------------------------------
# "First appears" means first
# --------------------------------------------------------------------------------------------
def test_every_probe_is_a_row_of_the_page():
    symbols = {row[0] for row in table_rows(page_text())}
    missing = sorted(set(PROBES) - symbols)
    assert not missing, f"probes for symbols the page does not list: {missing}"


@pytest.mark.parametrize("symbol", list(PROBES))
def test_first_link_is_where_the_symbol_first_appears(symbol):
    row = next(r for r in table_rows(page_text()) if r[0] == symbol)
    role, target = role_targets(row[2])[0]
    pattern = PROBES[symbol]
    cells = chapter_cells()
    if role == "doc":
        docname, index = "chapters/" + re.sub(r"\.(md|ipynb)$", "", target), 0
    else:
        docname, index = markdown_cell_of_label()[target]
    order = list(cells)
    earlier = [
        d for d in order[: order.index(docname)] if any(mentions(t, pattern) for t in cells[d])
    ]
    assert not earlier, f"{symbol} already appears on {earlier}, before {docname} ({target})"
    before = [i for i, text in enumerate(cells[docname][:index]) if mentions(text, pattern)]
    assert not before, f"{symbol} appears in Markdown cells {before} of {docname}, before {target}"
    where = cells[docname] if role == "doc" else cells[docname][index : index + 1]
    assert any(mentions(text, pattern) for text in where), (
        f"{symbol} does not appear in {docname} where {target} is"
    )


# --------------------------------------------------------------------------------------------
# The built page
# --------------------------------------------------------------------------------------------
@pytest.mark.site
def test_built_page_links_every_row_to_a_live_anchor():
    from bs4 import BeautifulSoup

    path = SITE / "chapters" / "notation.html"
    assert path.is_file(), f"{path} is missing: build the book first (python tools/dev.py build)"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    rows = [tr for table in soup.select("article table") for tr in table.select("tbody tr")]
    assert len(rows) >= 20, f"the built page shows {len(rows)} rows"
    pages: dict[Path, BeautifulSoup] = {}
    problems = []
    for tr in rows:
        cells = tr.find_all("td")
        symbol = " ".join(cells[0].get_text().split())
        links = cells[-1].select("a.reference.internal")
        if not links:
            problems.append(f"{symbol}: no link")
        for a in links:
            parts = urlsplit(a["href"])
            target = (path.parent / parts.path).resolve() if parts.path else path
            if not target.is_file():
                problems.append(f"{symbol}: {a['href']} leads to no page")
                continue
            if parts.fragment:
                if target not in pages:
                    pages[target] = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                if pages[target].find(id=parts.fragment) is None:
                    problems.append(f"{symbol}: {a['href']} has no anchor {parts.fragment!r}")
    assert not problems, "\n".join(problems)
    text = soup.get_text()
    assert "??" not in text and "{eq}" not in text and "{prf:ref}" not in text
