"""Chapter notebooks: the setup cell, the repository address it uses, and new-chapter scaffolding.

Every chapter notebook starts with the same setup cell: it imports pgmlib and, where pgmlib is
missing (Colab, a bare kernel), installs it from the repository first. That cell is the only
place outside ``_config.yml`` where the address appears, and it is generated from it:
``python tools/dev.py set-repo-url URL`` rewrites both, ``tests/test_notebooks.py`` checks that
they agree, and ``python tools/dev.py new-chapter`` writes the cell into a new notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
CHAPTERS = ROOT / "chapters"
README = ROOT / "README.md"
SETUP_TAG = "pgmlib-setup"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

SETUP_CELL = """\
# Setup: import pgmlib (in Colab, install it first).
try:
    import pgmlib as pgm
except ModuleNotFoundError:
    %pip install --quiet git+{url}
    import pgmlib as pgm"""


def read_repository_url(config: Path = CONFIG) -> str:
    """The ``repository.url`` entry of ``_config.yml``."""
    url = yaml.safe_load(config.read_text())["repository"]["url"]
    if not re.fullmatch(r"https://\S+", url or ""):
        raise ValueError(f"repository.url in {config} must be an https URL; got {url!r}")
    return url.rstrip("/")


def setup_cell_source(url: str | None = None) -> str:
    """The source of the setup cell that opens every chapter notebook."""
    return SETUP_CELL.format(url=url or read_repository_url())


def new_setup_cell(url: str | None = None) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(
        setup_cell_source(url), metadata={"tags": [SETUP_TAG, "hide-input"]}
    )


def chapter_notebooks(chapters: Path = CHAPTERS) -> list[Path]:
    return sorted(p for p in chapters.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def github_slug(url: str) -> str:
    """``owner/name`` of a GitHub URL (used by the README's Binder and Colab badges)."""
    match = re.fullmatch(r"https://github\.com/([^/\s]+/[^/\s]+?)(?:\.git)?/?", url)
    if not match:
        raise ValueError(f"url must be a https://github.com/<owner>/<name> URL; got {url!r}")
    return match.group(1)


def rewrite_repository_url(
    url: str, config: Path = CONFIG, chapters: Path = CHAPTERS, readme: Path | None = README
) -> list[Path]:
    """Set ``url`` in _config.yml, the setup cell of every notebook and the README's badges."""
    url = url.rstrip("/")
    if not re.fullmatch(r"https://\S+", url):
        raise ValueError(f"url must be an https URL; got {url!r}")
    old_url = read_repository_url(config)
    text = config.read_text()
    new_text, count = re.subn(r"(?m)^(  url: ).*$", rf"\g<1>{url}", text, count=1)
    if count != 1:
        raise ValueError(f"no `repository: url:` line found in {config}")
    config.write_text(new_text)
    changed = [config]
    for path in chapter_notebooks(chapters):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if SETUP_TAG in cell.get("metadata", {}).get("tags", []):
                cell.source = setup_cell_source(url)
        nbformat.write(nb, path)
        changed.append(path)
    if readme is not None and readme.exists():
        text = readme.read_text()
        text = text.replace(old_url, url).replace(github_slug(old_url), github_slug(url))
        readme.write_text(text)
        changed.append(readme)
    return changed


def new_chapter(path: Path, title: str, toc: Path = ROOT / "_toc.yml") -> Path:
    """Create a chapter notebook at ``path`` and list it after the last section of Week 1.

    The notebook holds the title, the setup cell and a seed cell, with no outputs; the new
    ``- file:`` line is appended to the ``sections:`` of ``chapters/week1`` in ``_toc.yml``.
    """
    path = Path(path)
    if path.suffix != ".ipynb":
        raise ValueError(f"path must end in .ipynb; got {path}")
    path = path if path.is_absolute() else ROOT / path
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        new_setup_cell(),
        nbformat.v4.new_code_cell(
            "import numpy as np\n\nrng = np.random.default_rng(2026)  # one seed per chapter"
        ),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)

    entry = path.relative_to(toc.parent).with_suffix("").as_posix()
    lines = toc.read_text().splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if line.startswith("          - file: "))
    lines.insert(last + 1, f"          - file: {entry}\n")
    toc.write_text("".join(lines))
    return path
