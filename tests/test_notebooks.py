"""Repository hygiene for the chapters: committed notebooks, the table of contents, the setup
cell, the repository URL and the new-chapter scaffold."""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import numbering  # noqa: E402

import chapters as chaptools  # noqa: E402

NOTEBOOKS = chaptools.chapter_notebooks()
MAX_FUNCTION_LINES = 4  # "no function longer than a few lines is defined in a chapter"


def toc_files(toc: dict) -> list[str]:
    """Every `file:` entry of a jb-book toc, depth first."""
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return found


def test_there_are_chapter_notebooks():
    assert len(NOTEBOOKS) >= 5, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_everywhere(path):
    """Python 3 kernel, the numbering cell (left out of the website) then a title, and the
    standard setup cell as the first code cell."""
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert nb.cells[0].cell_type == "markdown" and numbering.is_numbering_cell(nb.cells[0]), (
        f"{path.name}: the first cell must be the numbering cell "
        "(run `python tools/dev.py number-notebooks`)"
    )
    assert "remove-cell" in nb.cells[0].metadata["tags"]
    assert nb.cells[1].cell_type == "markdown" and nb.cells[1].source.startswith("# ")
    first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert first_code.source == chaptools.setup_cell_source(), (
        f"{path.name}: the first code cell must be the setup cell of tools/chapters.py "
        "(run `python tools/dev.py set-repo-url <url>` after changing the URL)"
    )
    assert chaptools.SETUP_TAG in first_code.metadata.get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_defines_no_long_function(path):
    """Anything longer than a few lines belongs in pgmlib, with a test."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                length = node.end_lineno - node.lineno
                assert length <= MAX_FUNCTION_LINES, (
                    f"{path.name} cell {index}: `{node.name}` is {length} lines long; "
                    "move it into pgmlib with a test"
                )


def test_toc_lists_every_chapter_and_nothing_missing():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = toc_files(toc)
    for entry in listed:
        candidates = [ROOT / f"{entry}{suffix}" for suffix in (".md", ".ipynb")]
        assert any(c.exists() for c in candidates), f"_toc.yml lists {entry}, which does not exist"
    on_disk = {
        p.relative_to(ROOT).with_suffix("").as_posix()
        for p in (ROOT / "chapters").rglob("*")
        if p.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in p.parts
    }
    orphans = on_disk - set(listed)
    assert not orphans, f"chapter files not in _toc.yml: {sorted(orphans)}"


def test_week1_has_the_seven_sections_in_the_notes_order():
    """Sections 1.1-1.6 of the notes, and 1.7 "Concluding remarks" of the revision."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    week1 = toc["parts"][0]["chapters"][0]
    assert week1["file"] == "chapters/week1"
    assert [s["file"] for s in week1["sections"]] == [
        "chapters/introduction",
        "chapters/discriminative-generative",
        "chapters/pushforward",
        "chapters/likelihood",
        "chapters/information-theory",
        "chapters/kl-divergence",
        "chapters/concluding-remarks",
    ]


def test_repository_url_is_set_in_one_place():
    url = chaptools.read_repository_url()
    assert url.startswith("https://")
    for path in NOTEBOOKS:
        text = path.read_text()
        assert text.count("git+https://") == text.count(f"git+{url}"), path.name


def test_readme_badges_use_the_configured_repository():
    slug = chaptools.github_slug(chaptools.read_repository_url())
    readme = (ROOT / "README.md").read_text()
    assert f"mybinder.org/v2/gh/{slug}/" in readme
    assert readme.count("mybinder.org/v2/gh/") == readme.count(f"mybinder.org/v2/gh/{slug}/")


def test_set_repo_url_rewrites_config_notebooks_and_readme(tmp_path):
    config = tmp_path / "_config.yml"
    shutil.copy(ROOT / "_config.yml", config)
    readme = tmp_path / "README.md"
    shutil.copy(ROOT / "README.md", readme)
    chapters_dir = tmp_path / "chapters"
    chapters_dir.mkdir()
    for path in NOTEBOOKS[:2]:
        shutil.copy(path, chapters_dir / path.name)
    new_url = "https://github.com/example/fork-of-the-book"
    chaptools.rewrite_repository_url(new_url, config=config, chapters=chapters_dir, readme=readme)
    assert chaptools.read_repository_url(config) == new_url
    assert "mybinder.org/v2/gh/example/fork-of-the-book/" in readme.read_text()
    for path in chapters_dir.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        setup = next(c for c in nb.cells if chaptools.SETUP_TAG in c.metadata.get("tags", []))
        assert setup.source == chaptools.setup_cell_source(new_url)


def test_set_repo_url_refuses_a_non_https_url(tmp_path):
    with pytest.raises(ValueError, match="url must be an https URL; got 'ftp://x'"):
        chaptools.rewrite_repository_url("ftp://x", config=tmp_path / "c.yml", readme=None)


def test_new_chapter_scaffold(tmp_path):
    toc = tmp_path / "_toc.yml"
    shutil.copy(ROOT / "_toc.yml", toc)
    path = chaptools.new_chapter(tmp_path / "chapters" / "week1-extra.ipynb", "Extra", toc=toc)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source == "# Extra"
    assert nb.cells[1].source == chaptools.setup_cell_source()
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    sections = yaml.safe_load(toc.read_text())["parts"][0]["chapters"][0]["sections"]
    assert sections[-1] == {"file": "chapters/week1-extra"}
    with pytest.raises(FileExistsError):
        chaptools.new_chapter(path, "Again", toc=toc)
    with pytest.raises(ValueError, match=r"must end in \.ipynb"):
        chaptools.new_chapter(tmp_path / "x.md", "X", toc=toc)
