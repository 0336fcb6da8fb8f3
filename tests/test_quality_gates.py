"""The suite's gates really close: a notebook that raises fails nbval and the book build, and a
build warning fails the strict build. Each case builds a throw-away book that uses the real
_config.yml (same execution settings, same Sphinx extension) with one deliberately broken page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import dev  # noqa: E402

import chapters as chaptools  # noqa: E402

pytestmark = pytest.mark.slow


def make_book(tmp_path: Path, page: str, content) -> Path:
    """A copy of the book's configuration with a single page, ``page`` (.md or .ipynb)."""
    book = tmp_path / "book"
    book.mkdir()
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["sphinx"]["local_extensions"] = {"pgmbook": str(ROOT / "tools")}
    config.pop("bibtex_bibfiles", None)
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: " + Path(page).stem + "\n"
    )
    (book / "index.md").write_text("# A throw-away book\n")
    for assets in ("_vendor", "book-assets"):
        (book / assets).symlink_to(ROOT / assets, target_is_directory=True)
    if page.endswith(".ipynb"):
        nbformat.write(content, book / page)
    else:
        (book / page).write_text(content)
    return book


def raising_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = chaptools.KERNELSPEC
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Raises"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure for the gate test')"),
    ]
    return nb


def build(book: Path, *, strict: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PGMLIB_WIDGET_MODE"}
    return subprocess.run(
        dev.book_command(book, strict=strict),
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module", autouse=True)
def needs_vendored_assets():
    assert (ROOT / "_vendor" / "require.js").is_file(), (
        "run `python tools/dev.py vendor` first (the README's commands do)"
    )


def test_a_raising_notebook_fails_the_build(tmp_path):
    book = make_book(tmp_path, "broken.ipynb", raising_notebook())
    result = build(book, strict=True)
    assert result.returncode != 0
    assert "deliberate failure for the gate test" in result.stdout + result.stderr


def test_a_raising_notebook_fails_nbval(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(raising_notebook(), path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", str(path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1 failed" in result.stdout
    assert "deliberate failure for the gate test" in result.stdout


def test_a_build_warning_fails_the_strict_build_only(tmp_path):
    page = "# Dangling\n\nSee {ref}`a-label-that-does-not-exist`.\n"
    book = make_book(tmp_path, "dangling.md", page)
    lenient = build(book, strict=False)
    assert lenient.returncode == 0, lenient.stdout[-2000:] + lenient.stderr[-2000:]
    strict = build(book, strict=True)
    assert strict.returncode != 0
    assert "a-label-that-does-not-exist" in strict.stdout + strict.stderr
