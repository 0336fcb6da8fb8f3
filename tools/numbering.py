"""The notes' numbers in JupyterLab and Binder: the numbering cell of every chapter notebook.

On the website Sphinx numbers every kind of object across the week (Definition 1.1-1.6,
eqs. (1.1)-(1.46), Fig. 1.1-1.5, ...). In JupyterLab the Markdown is rendered by
jupyterlab-myst, one notebook at a time: left alone it counts from 1 in each notebook, numbers
every display (labelled or not), cannot see the other notebooks and cannot see figures, which
are code-cell outputs. So each chapter notebook opens with a *numbering cell*: a Markdown cell
tagged ``remove-cell`` (myst-nb leaves it out of the website) that jupyterlab-myst reads as the
page's front matter. It holds

1. a ``numbering:`` block: the enumerator ``1.%s`` and, for each kind (``proof:definition``,
   ``proof:remark``, ..., ``exercise``), the number the notebook starts at (one more than the
   objects of that kind on earlier pages); display numbering off (jupyterlab-myst would number
   the unlabelled displays too, and a wrong number is worse than none); figures referred to as
   "Fig. N" as on the website; ``prf:proof`` unnumbered, as in sphinx-proof;
2. hidden stand-ins ("stubs") for every label the notebook refers to that jupyterlab-myst
   cannot see -- objects on other pages and figures -- each carrying the website's number and a
   short preview (the equation itself, a definition's title and where it is, a figure's
   caption), so that ``{prf:ref}`def-1-5``` reads "Definition 1.5" and a hover shows it.

Two kinds of references also get their text written out, because jupyterlab-myst cannot compute
it: every ``{eq}`` role carries the equation's number (``{eq}`(1.6) <eq-1-6>```: the website
ignores this text and prints the equation's own number), and every ``{doc}`` role carries the
page's title and file name (``{doc}`Errata <errata.md>```: the same link text on the website,
and a link that opens the file in JupyterLab; tools/pgmbook.py resolves the file name).

Everything is computed from ``_toc.yml`` and the chapters' sources, in the order Sphinx counts:
``python tools/dev.py number-notebooks`` rewrites the notebooks (re-run it after adding or moving
a numbered object; ``--check`` only reports), and tests/test_notebook_numbering.py checks the
result against the built site, which stays the authority.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOC = ROOT / "_toc.yml"
#: Tags of the numbering cell: ``remove-cell`` keeps it off the website.
NUMBERING_TAGS = ["remove-cell", "pgmbook-numbering"]
SOURCE_SUFFIXES = (".ipynb", ".md")
#: The objects Sphinx numbers in this book, by the kind jupyterlab-myst gives them.
EQUATION, FIGURE, EXERCISE = "equation", "figure", "exercise"
#: Roles whose target is a numbered object (or any label) and the solution directive.
REFERENCE_ROLES = ("prf:ref", "eq", "numref", "ref")
ROLE = re.compile(r"\{(?P<name>[a-z:]+)\}`(?P<content>[^`]*)`")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
HEADER = """\
# Numbering for JupyterLab and Binder (read by jupyterlab-myst), written by
# `python tools/dev.py number-notebooks`: do not edit. The website leaves this cell out.
"""


class NumberingError(ValueError):
    """A notebook refers to something the numbering cell cannot stand in for."""


@dataclass(frozen=True)
class Page:
    """A numbered page of the book: ``docname`` as in Sphinx, its file and section number."""

    docname: str
    path: Path
    section: str
    chapter: int

    @property
    def title(self) -> str:
        """The page's title: the text of its first ``# `` heading."""
        for text in markdown_texts(self.path):
            match = re.search(r"^# +(.+?)\s*$", text, re.MULTILINE)
            if match:
                return match.group(1)
        raise NumberingError(f"{self.path} has no `# ` title")


@dataclass(frozen=True)
class Numbered:
    """One object the website numbers: its kind (jupyterlab-myst's name), number and label."""

    kind: str
    number: str
    label: str | None
    page: Page
    title: str = ""
    body: str = ""
    in_markdown: bool = True

    @property
    def word(self) -> str:
        """The caption word: "Definition", "Exercise", "Fig."; "" for an equation."""
        if self.kind == FIGURE:
            return "Fig."
        if self.kind == EQUATION:
            return ""
        return self.kind.split(":")[-1].title()

    @property
    def reference_text(self) -> str:
        """What a reference to the object reads on the website: "Definition 1.5", "(1.38)"."""
        return f"({self.number})" if self.kind == EQUATION else f"{self.word} {self.number}"


@dataclass
class Directive:
    """A MyST directive found in Markdown: name, argument, options and body text."""

    name: str
    argument: str
    options: dict[str, str] = field(default_factory=dict)
    body: str = ""


# --------------------------------------------------------------------------------------------
# Reading the book
# --------------------------------------------------------------------------------------------
def book_pages(toc: Path = TOC, root: Path = ROOT) -> list[Page]:
    """The pages of the numbered parts of ``_toc.yml`` in reading order, with their numbers.

    The n-th chapter of the numbered parts is chapter n; its sections are n.1, n.2, ...
    (one level, as ``numfig_secnum_depth: 1`` counts).
    """
    data = yaml.safe_load(toc.read_text())
    chapters = [
        c for part in data.get("parts", []) if part.get("numbered") for c in part["chapters"]
    ]
    pages = []
    for number, chapter in enumerate(chapters, start=1):
        pages.append(_page(chapter["file"], str(number), number, root))
        for index, section in enumerate(chapter.get("sections", []), start=1):
            pages.append(_page(section["file"], f"{number}.{index}", number, root))
    return pages


def _page(docname: str, section: str, chapter: int, root: Path) -> Page:
    for suffix in SOURCE_SUFFIXES:
        path = root / f"{docname}{suffix}"
        if path.is_file():
            return Page(docname, path, section, chapter)
    raise NumberingError(f"_toc.yml lists {docname}, which has no .ipynb or .md file")


def is_numbering_cell(cell: dict) -> bool:
    return "pgmbook-numbering" in cell.get("metadata", {}).get("tags", [])


def _website_cells(path: Path) -> list[nbformat.NotebookNode]:
    """The cells of a notebook that the website shows (``remove-cell`` cells left out)."""
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if "remove-cell" not in c.get("metadata", {}).get("tags", [])]


def markdown_texts(path: Path) -> list[str]:
    """The Markdown of a page as the website reads it: one text per cell (or the whole file)."""
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
        return [re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)]
    return [c.source for c in _website_cells(path) if c.cell_type == "markdown"]


@cache
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    extensions = {"amsmath", "dollarmath", "colon_fence", "deflist", "substitution"}
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


def split_options(content: str) -> tuple[dict[str, str], str]:
    """The ``:key: value`` lines at the top of a directive's content, and the rest."""
    lines = content.splitlines()
    options = {}
    while lines and (match := OPTION.match(lines[0])):
        options[match["key"]] = match["value"].strip()
        lines.pop(0)
    return options, "\n".join(lines).strip("\n")


def walk(text: str) -> Iterator[Directive]:
    """Every directive and labelled display in ``text``, nested ones included, in order.

    A labelled display ``$$ ... $$ (label)`` comes out as a ``math`` directive with that label.
    """
    for token in _parser().parse(text, {}):
        if token.type == "math_block_label":
            yield Directive("math", "", {"label": token.info}, token.content.strip())
        elif token.type in {"fence", "colon_fence"} and token.info.startswith("{"):
            name, _, argument = token.info[1:].partition("}")
            options, body = split_options(token.content)
            yield Directive(name, argument.strip(), options, body)
            yield from walk(body)


def _numbered_kind(directive: Directive) -> str | None:
    """The kind under which Sphinx numbers ``directive`` in this book; None if it does not."""
    name, options = directive.name, directive.options
    if "nonumber" in options:
        return None
    if name.startswith("prf:") and name != "prf:proof":
        return "proof:" + name.removeprefix("prf:")
    if name == "exercise":
        return EXERCISE
    if name == "math" and ("label" in options or "name" in options):
        return EQUATION
    if name == "figure" and ("name" in options or "label" in options):
        return FIGURE
    return None


def page_objects(page: Page) -> Iterator[tuple[str, str | None, str, str, bool]]:
    """(kind, label, title, body, in_markdown) of each numbered object of ``page``, in order."""
    cells = (
        [{"cell_type": "markdown", "source": markdown_texts(page.path)[0]}]
        if page.path.suffix == ".md"
        else _website_cells(page.path)
    )
    for cell in cells:
        if cell["cell_type"] == "code":
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
            if figure.get("name"):
                yield FIGURE, figure["name"], "", figure.get("caption", ""), False
            continue
        for directive in walk(cell["source"]):
            kind = _numbered_kind(directive)
            if kind:
                label = directive.options.get("label") or directive.options.get("name")
                yield kind, label, directive.argument, directive.body, True


def numbered_objects(pages: list[Page] | None = None) -> list[Numbered]:
    """Every numbered object of the book with its number, counted per chapter and kind."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    found = []
    for page in book_pages() if pages is None else pages:
        for kind, label, title, body, in_markdown in page_objects(page):
            counts[page.chapter, kind] += 1
            number = f"{page.chapter}.{counts[page.chapter, kind]}"
            found.append(Numbered(kind, number, label, page, title, body, in_markdown))
    return found


def references(text: str) -> Iterator[tuple[str, str]]:
    """(role, label) of every cross-reference in ``text`` (solutions refer to their exercise)."""
    for match in ROLE.finditer(text):
        if match["name"] in REFERENCE_ROLES:
            explicit = EXPLICIT.match(match["content"])
            yield match["name"], (explicit["target"] if explicit else match["content"]).strip()
    for directive in walk(text):
        if directive.name == "solution":
            yield "solution", directive.argument


def local_targets(texts: list[str]) -> set[str]:
    """Labels defined in the Markdown of a notebook (directive labels, displays, targets)."""
    labels = set()
    for text in texts:
        labels.update(re.findall(r"^\(([^()\s]+)\)=\s*$", text, re.MULTILINE))
        for directive in walk(text):
            labels.update(v for k, v in directive.options.items() if k in {"label", "name"})
    return labels


def toc_docnames(toc: Path = TOC) -> list[str]:
    """Every page of ``_toc.yml`` (root first), numbered parts or not."""
    data = yaml.safe_load(toc.read_text())
    found = [data["root"]]

    def visit(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            visit(entry.get("sections", []))
            visit(entry.get("chapters", []))

    for part in data.get("parts", []):
        visit(part.get("chapters", []))
    visit(data.get("chapters", []))
    return found


# --------------------------------------------------------------------------------------------
# Writing the numbering cell
# --------------------------------------------------------------------------------------------
def counter_starts(page: Page, objects: list[Numbered]) -> dict[str, int]:
    """For each kind counted in Markdown, the number ``page`` starts at within its chapter."""
    order = {p.docname: i for i, p in enumerate(dict.fromkeys(o.page for o in objects))}
    kinds = sorted({o.kind for o in objects if o.kind not in {EQUATION, FIGURE}})
    before = [
        o
        for o in objects
        if o.page.chapter == page.chapter and order[o.page.docname] < order.get(page.docname, 1e9)
    ]
    return {kind: 1 + sum(o.kind == kind for o in before) for kind in kinds}


def numbering_yaml(page: Page, objects: list[Numbered]) -> str:
    """The ``numbering:`` front matter of ``page`` for jupyterlab-myst."""
    lines = [
        "numbering:",
        f"  enumerator: {page.chapter}.%s",
        "  equation: {enabled: false}  # labelled or not, every display would get a number",
        "  figure: {template: Fig. %s}",
        '  proof:proof: {enumerator: " "}  # proofs are unnumbered, as on the website',
    ]
    lines += [f"  {kind}: {{start: {n}}}" for kind, n in counter_starts(page, objects).items()]
    return "\n".join(lines)


def relative_link(target: Path, notebook: Path) -> str:
    return Path(os.path.relpath(target, notebook.parent)).as_posix()


def stub(target: Numbered, notebook: Page) -> str:
    """A stand-in for ``target`` inside ``notebook``: its label, number and a preview."""
    where = (
        f"In section {target.page.section}, "
        f"[{target.page.title}]({relative_link(target.page.path, notebook.path)})."
    )
    if target.kind == EQUATION:
        name, argument, body = "math", "", target.body
    elif target.kind == FIGURE:
        name, argument = "figure", ""
        body = target.body if target.page == notebook else f"{target.body}\n\n{where}"
    else:
        name = "exercise" if target.kind == EXERCISE else "prf:" + target.kind.split(":")[1]
        argument, body = target.title, where
    head = f"```{{{name}}} {argument}".rstrip()
    return f"{head}\n:label: {target.label}\n:enumerator: {target.number}\n\n{body}\n```"


def stub_targets(page: Page, texts: list[str], objects: list[Numbered]) -> list[Numbered]:
    """The objects ``page`` refers to that jupyterlab-myst cannot see, in order of number."""
    by_label = {o.label: o for o in objects if o.label}
    local = local_targets(texts)
    needed: dict[str, Numbered] = {}
    for text in texts:
        for role, label in references(text):
            if role == "solution" and label in local:
                continue
            target = by_label.get(label)
            if target is None and label not in local:
                raise NumberingError(
                    f"{page.path.name}: {{{role}}}`{label}` refers to no numbered object of the "
                    "book and to no label of this notebook; JupyterLab could not show it"
                )
            if target is not None and (target.page != page or not target.in_markdown):
                needed[label] = target
    return sorted(needed.values(), key=lambda o: (o.kind, [int(n) for n in o.number.split(".")]))


def numbering_cell_source(page: Page, texts: list[str], objects: list[Numbered]) -> str:
    """The full source of ``page``'s numbering cell."""
    source = f"```yaml\n{HEADER}{numbering_yaml(page, objects)}\n```"
    stubs = [stub(target, page) for target in stub_targets(page, texts, objects)]
    if stubs:
        source += "\n\n::::{div}\n:class: hidden\n\n" + "\n\n".join(stubs) + "\n::::"
    return source


# --------------------------------------------------------------------------------------------
# Writing the reference texts
# --------------------------------------------------------------------------------------------
def literal_lines(text: str) -> list[bool]:
    """For each line of ``text``, whether it sits in a literal code block (not a directive)."""
    mask, stack = [], []  # stack of (fence characters, literal?)
    fence = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})(.*)$")
    for line in text.split("\n"):
        match = fence.match(line)
        inside = bool(stack) and stack[-1][1]
        if (
            match
            and stack
            and match[1][0] == stack[-1][0][0]
            and len(match[1]) >= len(stack[-1][0])
            and not match[2].strip()
        ):
            stack.pop()
            mask.append(inside)
        elif match and not inside:
            stack.append((match[1], not match[2].strip().startswith("{")))
            mask.append(False)
        else:
            mask.append(inside)
    return mask


def _target_docname(page_docname: str, target: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        target = target.removesuffix(suffix)
    if target.startswith("/"):
        return target.lstrip("/")
    return os.path.normpath(os.path.join(os.path.dirname(page_docname), target)).replace(
        os.sep, "/"
    )


def rewrite_roles(text: str, page: Page, objects: list[Numbered], root: Path = ROOT) -> str:
    """``text`` with the number in every ``{eq}`` and title and file name in every ``{doc}``."""
    equations = {o.label: o for o in objects if o.kind == EQUATION and o.label}

    def replace(match: re.Match) -> str:
        name, content = match["name"], match["content"]
        explicit = EXPLICIT.match(content)
        target = (explicit["target"] if explicit else content).strip()
        if name == "eq":
            if target not in equations:
                raise NumberingError(f"{page.path.name}: {{eq}}`{target}` is no labelled display")
            return f"{{eq}}`{equations[target].reference_text} <{target}>`"
        if name == "doc":
            other = _page(_target_docname(page.docname, target), "", 0, root)
            return f"{{doc}}`{other.title} <{relative_link(other.path, page.path)}>`"
        return match[0]

    lines = text.split("\n")
    mask = literal_lines(text)
    return "\n".join(
        line if literal else ROLE.sub(replace, line)
        for line, literal in zip(lines, mask, strict=True)
    )


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------
def renumber(
    path: Path, page: Page, objects: list[Numbered], root: Path = ROOT
) -> nbformat.NotebookNode:
    """The notebook at ``path`` with an up-to-date numbering cell and reference texts."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if not is_numbering_cell(c)]
    for cell in cells:
        if cell.cell_type == "markdown" and "remove-cell" not in cell.metadata.get("tags", []):
            cell.source = rewrite_roles(cell.source, page, objects, root)
    texts = [c.source for c in cells if c.cell_type == "markdown"]
    if any(o.page == page and o.kind == FIGURE and o.in_markdown for o in objects):
        raise NumberingError(
            f"{path.name}: a numbered figure in Markdown would be numbered from 1 in "
            "JupyterLab; draw it in a code cell with `mystnb.figure` metadata (CONTRIBUTING.md)"
        )
    cell = nbformat.v4.new_markdown_cell(
        numbering_cell_source(page, texts, objects), metadata={"tags": list(NUMBERING_TAGS)}
    )
    cell.id = "pgmbook-numbering"
    nb.cells = [cell, *cells]
    return nb


def number_notebooks(check: bool = False, toc: Path = TOC, root: Path = ROOT) -> list[Path]:
    """Rewrite (or, with ``check``, only find) every notebook whose numbering is out of date."""
    pages = book_pages(toc, root)
    objects = numbered_objects(pages)
    stale = []
    for page in pages:
        if page.path.suffix != ".ipynb":
            continue
        nb = renumber(page.path, page, objects, root)
        text = nbformat.writes(nb) + "\n"
        if text != page.path.read_text(encoding="utf-8"):
            stale.append(page.path)
            if not check:
                page.path.write_text(text, encoding="utf-8")
    return stale


# --------------------------------------------------------------------------------------------
# The authority: what the built site shows
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteObject:
    """A numbered object as the built site shows it."""

    label: str
    text: str  # "Definition 1.5", "Fig. 1.2", "(1.38)"
    docname: str


def site_objects(site: Path, docnames: list[str]) -> list[SiteObject]:
    """Every numbered object on the given pages of the built site, in page and document order."""
    from bs4 import BeautifulSoup

    found = []
    for docname in docnames:
        soup = BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        for node in main.select(".caption-number, .eqno"):
            owner = node.find_parent(id=True)
            if "eqno" in node.get("class", []):
                text = node.get_text(strip=True).split(")")[0] + ")"
                label = owner["id"].removeprefix("equation-")
            else:
                text, label = " ".join(node.get_text().split()), owner["id"]
            found.append(SiteObject(label, text, docname))
    return found


def site_title(site: Path, docname: str) -> str:
    """The page's title as the site prints it (its first heading, without the ``#`` link)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    heading = (soup.find("main") or soup).find("h1")
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text().split())
