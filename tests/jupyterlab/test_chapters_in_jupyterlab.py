"""Every chapter notebook in a real JupyterLab, as a student meets it (JupyterLab, Binder).

For each notebook of ``_toc.yml``: Run All finishes with no error output; every Markdown cell
is rendered by jupyterlab-myst with no MyST markup left raw and no reference left unresolved;
every number it shows is the built site's number for that label (and no display carries a
number of jupyterlab-myst's own); every explorer renders once and a key press on its first
slider redraws its figure; the browser console stays clean. Screenshots go to
``test-artifacts/jupyterlab/``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from _lab import (
    ARTIFACTS,
    REPO,
    close_notebook,
    code_outputs,
    explorer_names,
    key_press_ms,
    open_notebook,
    run_all,
    write_json,
)

sys.path.insert(0, str(REPO / "tools"))

import numbering

pytestmark = pytest.mark.jupyterlab

NOTEBOOKS = [p for p in numbering.book_pages() if p.path.suffix == ".ipynb"]
#: MyST source that must never reach the reader.
RAW_MARKUP = re.compile(r"\{[a-z][\w:-]*\}`|```|:::|\$\$|:(label|class|name|enumerator|nonumber):")
#: "Definition 1", "Proof 2", "Fig. 1.9": a caption word and a number, anywhere in the text.
CAPTIONED_NUMBER = re.compile(
    r"\b(Definition|Theorem|Remark|Example|Exercise|Proof|Lemma|Corollary|Proposition|"
    r"Figure|Fig\.|Table|Program|Equation|Section)\s+(\d+(?:\.\d+)*)\b"
)
UNRESOLVED_NOTICE = re.compile(r"^Cross reference target was not found: (\S+)$")
BIB_KEYS = set(re.findall(r"@\w+\{([^,]+),", (REPO / "references.bib").read_text()))

#: Scroll cell ``i`` into view (the notebook is windowed), then read its rendered Markdown.
MARKDOWN_CELL_JS = """
async (i) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  await notebook.scrollToItem(i, "start");
  const cell = notebook.widgets[i];
  for (let n = 0; n < 100 && !cell.node.querySelector(".myst"); n++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const root = cell.node.querySelector(".myst");
  if (!root) return null;
  root.querySelectorAll("details").forEach((d) => { d.open = true; });  // dropdowns, opened
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const shown = (el) => !el.closest(".hidden") && el.getClientRects().length > 0;
  const texts = (selector) => Array.from(root.querySelectorAll(selector)).filter(shown)
    .map((el) => el.innerText.trim());
  // The words on the page outside formulas (KaTeX's own text would read as prose).
  const style = document.createElement("style");
  style.textContent = ".jp-Notebook .myst .katex { display: none !important; }";
  document.head.appendChild(style);
  const words = root.innerText;
  style.remove();
  return {
    text: words,
    links: Array.from(root.querySelectorAll('a[href^="#"]')).filter(shown)
      .map((a) => ({target: decodeURIComponent(a.getAttribute("href").slice(1)),
                    text: a.innerText.replace(/\\s+/g, " ").trim()})),
    unresolved: texts('[title="Cross Reference Not Found"], a.hover-link[href="#"]'),
    citations: texts('[title="Citation Not Found"]'),
    displayNumbers: texts(".group > .self-center.flex-none"),
  };
}
"""


def rendered_markdown(
    page, notebook: numbering.Page, site_texts: dict[str, str], seen: dict
) -> list[str]:
    """Problems with the rendered Markdown of the open notebook, one line each; what was
    checked is counted in ``seen``."""
    problems = []
    site_pairs = {text for text in site_texts.values() if not text.startswith("(")}
    site_pairs |= {f"Section {p.section}" for p in numbering.book_pages()}
    kinds = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets.map((c) => c.model.type)"
    )
    for index in (i for i, kind in enumerate(kinds) if kind == "markdown"):
        cell = page.evaluate(MARKDOWN_CELL_JS, index)
        where = f"{notebook.path.name} cell {index}"
        if cell is None:
            problems.append(f"{where}: not rendered by jupyterlab-myst")
            continue
        seen["markdown cells"] += 1
        seen["numbered links checked"] += sum(
            link["target"] in site_texts for link in cell["links"]
        )
        seen["citations shown by key"] += len(cell["citations"])
        if index == 0 and cell["text"].strip():
            problems.append(f"{where}: the numbering cell shows {cell['text'][:80]!r}")
        problems += [f"{where}: raw MyST {m[0]!r}" for m in RAW_MARKUP.finditer(cell["text"])]
        problems += [f"{where}: unresolved reference {text!r}" for text in cell["unresolved"]]
        problems += [
            f"{where}: citation {text!r} is no key of references.bib"
            for text in cell["citations"]
            if text not in BIB_KEYS
        ]
        for link in cell["links"]:
            expected = site_texts.get(link["target"])
            if expected is not None and link["text"] != expected:
                problems.append(
                    f"{where}: #{link['target']} reads {link['text']!r}, site {expected!r}"
                )
            elif expected is None and re.search(r"\d", link["text"]):
                problems.append(f"{where}: numbered link {link} to no numbered object of the site")
        text = cell["text"].replace("\xa0", " ")
        for match in CAPTIONED_NUMBER.finditer(text):
            seen["captioned numbers checked"] += 1
            pair = f"{match[1].replace('Figure', 'Fig.')} {match[2]}"
            if pair not in site_pairs:
                context = text[max(0, match.start() - 40) : match.end() + 40]
                problems.append(
                    f"{where}: shows {match[0]!r} ({context!r}), a number the notes lack"
                )
        # Displays stay unnumbered in JupyterLab (jupyterlab-myst would number unlabelled ones).
        problems += [f"{where}: a display numbered {n}" for n in cell["displayNumbers"]]
    return problems


def explorers(page, notebook: numbering.Page) -> tuple[list[str], list[float]]:
    """Problems with the live explorers of the open notebook, and each key press's latency."""
    problems, latencies = [], []
    for cell in code_outputs(page):
        if "_explorer(" not in cell["source"]:
            continue
        names = explorer_names(page, cell["index"])
        where = f"{notebook.path.name} cell {cell['index']}"
        if not names or len(names) != len(set(names)):
            problems.append(f"{where}: explorers on display {names}, expected each once")
        for name in dict.fromkeys(names):
            try:
                latencies.append(key_press_ms(page, cell["index"], name))
            except Exception as error:  # a missing slider, or a figure that never changed
                problems.append(f"{where}: {name}: a key press did not redraw it ({error})")
    return problems, latencies


def error_outputs(page, notebook: numbering.Page) -> list[str]:
    problems = []
    for cell in code_outputs(page):
        for out in cell["outputs"]:
            if out["type"] == "error" or "Traceback" in out["text"]:
                detail = f"{out['ename']}: {out['evalue']}" if out["ename"] else out["text"][-300:]
                problems.append(f"{notebook.path.name} cell {cell['index']}: {detail}")
    return problems


def load_notices(errors: list[str], notebook: numbering.Page) -> list[str]:
    """Console errors while the notebook loaded, less jupyterlab-myst's passing notices.

    jupyterlab-myst renders cells one after another and resolves references each time; until a
    later cell is rendered, a reference to it is reported "not found" (console.error). Such a
    notice is expected only for labels the notebook itself defines.
    """
    local = numbering.local_targets(numbering.markdown_texts(notebook.path))
    left = []
    for error in errors:
        labels = [UNRESOLVED_NOTICE.match(line) for line in error.splitlines()]
        if not all(match and match[1] in local for match in labels):
            left.append(error)
    return left


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.path.name)
def test_chapter_runs_and_reads_like_the_book(notebook, lab_page, site_texts):
    page, console = lab_page
    path = notebook.path.relative_to(REPO).as_posix()
    console.phase = f"{path}: load"
    open_notebook(page, path)
    try:
        console.phase = f"{path}: run"
        run_all(page)
        problems = error_outputs(page, notebook)
        seen = Counter()
        problems += rendered_markdown(page, notebook, site_texts, seen)
        explorer_problems, latencies = explorers(page, notebook)
        problems += explorer_problems
        seen["explorers redrawn by a key press"] = len(latencies)
        summary = {**seen, "key press to new figure, ms": [round(ms) for ms in latencies]}
        write_json(ARTIFACTS / f"{Path(path).stem}.json", summary)
        print(f"{path}: {summary}")
        page.evaluate("() => window.jupyterapp.shell.currentWidget.content.scrollToItem(1)")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(path).stem}.png"))
    finally:
        close_notebook(page)
    problems += [
        f"console while loading: {e[:300]}"
        for e in load_notices(console.errors(f"{path}: load"), notebook)
    ]
    problems += [f"console after Run All: {e[:300]}" for e in console.errors(f"{path}: run")]
    assert not problems, "\n".join(problems)
