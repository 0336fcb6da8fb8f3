"""tools/numbering.py: the notes' numbers in JupyterLab, computed from the book's sources.

(Against the built site: tests/test_notebook_numbering.py; in a real JupyterLab:
tests/jupyterlab/.)
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import dev  # noqa: E402
import numbering  # noqa: E402

#: The notes' totals for Week 1 (as in tests/test_site_numbering.py).
TOTALS = {
    "proof:definition": 6,
    "proof:remark": 12,
    "proof:example": 12,
    "proof:theorem": 1,
    "exercise": 1,
    "figure": 5,
    "equation": 46,
}
PREFIX = {
    "proof:definition": "def",
    "proof:remark": "rem",
    "proof:example": "ex",
    "proof:theorem": "thm",
    "exercise": "exercise",
    "figure": "fig",
    "equation": "eq",
}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A copy of the book's table of contents and chapters to rewrite."""
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    return tmp_path


def page_of(book: Path, stem: str) -> numbering.Page:
    return next(p for p in numbering.book_pages(book / "_toc.yml", book) if p.path.stem == stem)


def test_the_committed_notebooks_are_up_to_date():
    stale = numbering.number_notebooks(check=True)
    assert not stale, f"run `python tools/dev.py number-notebooks`: {[p.name for p in stale]}"


def test_the_count_gives_the_notes_totals_and_each_label_its_number():
    """Labels spell the notes' number out (CONTRIBUTING.md): an independent check of the count."""
    objects = numbering.numbered_objects()
    assert Counter(o.kind for o in objects) == Counter(TOTALS)
    for obj in objects:
        assert obj.label == f"{PREFIX[obj.kind]}-{obj.number.replace('.', '-')}", obj


def test_pages_are_the_seven_sections_of_chapter_one_in_toc_order():
    pages = numbering.book_pages()
    assert [p.section for p in pages] == ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
    assert pages[3].path.name == "pushforward.ipynb"
    assert pages[3].title == "The pushforward measure"


def test_counters_start_after_the_earlier_pages():
    objects = numbering.numbered_objects()
    pages = {p.path.stem: p for p in numbering.book_pages()}
    assert numbering.counter_starts(pages["introduction"], objects)["proof:remark"] == 1
    likelihood = numbering.counter_starts(pages["likelihood"], objects)
    assert likelihood == {
        "exercise": 2,
        "proof:definition": 2,
        "proof:example": 4,
        "proof:remark": 4,
        "proof:theorem": 2,
    }


def test_renumbering_is_idempotent(book):
    assert numbering.number_notebooks(toc=book / "_toc.yml", root=book) == []
    path = book / "chapters" / "pushforward.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells = nb.cells[1:]  # drop the numbering cell, and make an {eq} text stale
    index = next(i for i, c in enumerate(nb.cells) if "{eq}`(1.6) <eq-1-6>`" in c.source)
    nb.cells[index].source = nb.cells[index].source.replace("{eq}`(1.6) <eq-1-6>`", "{eq}`eq-1-6`")
    nbformat.write(nb, path)
    assert numbering.number_notebooks(check=True, toc=book / "_toc.yml", root=book) == [path]
    assert numbering.number_notebooks(toc=book / "_toc.yml", root=book) == [path]
    assert numbering.number_notebooks(toc=book / "_toc.yml", root=book) == []
    renumbered = nbformat.read(path, as_version=4)
    assert numbering.is_numbering_cell(renumbered.cells[0])
    assert "{eq}`eq-1-6`" not in renumbered.cells[index + 1].source
    assert "{eq}`(1.6) <eq-1-6>`" in renumbered.cells[index + 1].source


def test_a_new_definition_shifts_the_later_notebooks(book):
    """Writers add content after us: re-running the tool moves every later start on."""
    path = book / "chapters" / "pushforward.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(
        nbformat.v4.new_markdown_cell("```{prf:definition} New\n:label: new\n\nX.\n```")
    )
    nbformat.write(nb, path)
    numbering.number_notebooks(toc=book / "_toc.yml", root=book)
    cell = nbformat.read(book / "chapters" / "likelihood.ipynb", as_version=4).cells[0]
    assert "proof:definition: {start: 3}" in cell.source
    assert ":label: def-1-2\n:enumerator: 1.3" in nbformat.read(
        book / "chapters" / "kl-divergence.ipynb", as_version=4
    ).cells[0].source.replace("\r", "")


def test_rewrite_roles_numbers_eq_and_names_doc_files_but_not_in_code():
    objects = numbering.numbered_objects()
    page = next(p for p in numbering.book_pages() if p.path.stem == "likelihood")
    text = (
        "See {eq}`eq-1-6`, {eq}`(9.9) <eq-1-7>` and the {doc}`errata` page, "
        "{doc}`../chapters/pushforward`.\n\n```python\n{eq}`eq-1-6`\n```\n"
    )
    assert numbering.rewrite_roles(text, page, objects) == (
        "See {eq}`(1.6) <eq-1-6>`, {eq}`(1.7) <eq-1-7>` and the {doc}`Errata <errata.md>` page, "
        "{doc}`The pushforward measure <pushforward.ipynb>`.\n\n```python\n{eq}`eq-1-6`\n```\n"
    )


def test_literal_lines_mark_code_but_not_directive_bodies():
    text = "a\n```{prf:remark}\nb\n```python\nc\n```\nd\n```\ne"
    assert numbering.literal_lines(text) == [
        False,
        False,
        False,
        False,
        True,
        True,
        False,
        False,
        False,
    ]


def test_stand_ins_preview_what_they_stand_for():
    objects = {o.label: o for o in numbering.numbered_objects()}
    pages = {p.path.stem: p for p in numbering.book_pages()}
    equation = numbering.stub(objects["eq-1-38"], pages["information-theory"])
    assert equation.startswith("```{math}\n:label: eq-1-38\n:enumerator: 1.38\n\n")
    assert r"\mathrm{KL}" in equation
    definition = numbering.stub(objects["def-1-5"], pages["kl-divergence"])
    assert definition.startswith("```{prf:definition} Kullback–Leibler divergence\n")
    assert "In section 1.5, [A brief intro to information theory](information-theory.ipynb)." in (
        definition
    )
    figure = numbering.stub(objects["fig-1-1"], pages["pushforward"])
    assert figure.startswith("```{figure}\n:label: fig-1-1\n:enumerator: 1.1\n\nThe discrete")
    assert "In section" not in figure  # a figure of the same notebook: its caption only


def test_an_unknown_equation_is_refused(book):
    page = page_of(book, "likelihood")
    with pytest.raises(numbering.NumberingError, match=r"\{eq\}`eq-9-9` is no labelled display"):
        numbering.rewrite_roles("{eq}`eq-9-9`", page, numbering.numbered_objects())


def test_a_reference_jupyterlab_could_not_show_is_refused(book):
    page = page_of(book, "likelihood")
    with pytest.raises(
        numbering.NumberingError,
        match=r"likelihood.ipynb: \{ref\}`nowhere` refers to no numbered object of the book",
    ):
        numbering.stub_targets(page, ["{ref}`nowhere`"], numbering.numbered_objects())


def test_a_numbered_figure_in_markdown_is_refused(book):
    path = book / "chapters" / "likelihood.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("```{figure} x.png\n:name: fig-x\n\nCap.\n```"))
    nbformat.write(nb, path)
    with pytest.raises(numbering.NumberingError, match="a numbered figure in Markdown"):
        numbering.number_notebooks(toc=book / "_toc.yml", root=book)


def test_a_toc_entry_without_a_file_is_refused(book):
    toc = book / "_toc.yml"
    toc.write_text(toc.read_text().replace("chapters/likelihood", "chapters/missing"))
    with pytest.raises(numbering.NumberingError, match="lists chapters/missing, which has no"):
        numbering.book_pages(toc, book)


def test_dev_check_fails_on_stale_notebooks(monkeypatch, capsys):
    stale = [ROOT / "chapters" / "likelihood.ipynb"]
    monkeypatch.setattr(numbering, "number_notebooks", lambda check: stale)
    assert dev.number_notebooks(check=True) == 1
    assert "out of date: chapters/likelihood.ipynb" in capsys.readouterr().out
    monkeypatch.setattr(numbering, "number_notebooks", lambda check: [])
    assert dev.number_notebooks(check=True) == 0


def test_the_numbering_cell_is_yaml_front_matter_then_hidden_stand_ins():
    nb = nbformat.read(ROOT / "chapters" / "kl-divergence.ipynb", as_version=4)
    source = nb.cells[0].source
    assert re.match(r"```yaml\n# Numbering for JupyterLab", source)
    assert "\n::::{div}\n:class: hidden\n" in source and source.endswith("\n::::")
    assert nb.cells[0].metadata["tags"] == ["remove-cell", "pgmbook-numbering"]
