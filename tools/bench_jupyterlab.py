"""JupyterLab benchmark: a key press on an explorer's slider until its new figure is painted.

In a real JupyterLab (the one tests/jupyterlab/ drives: the project's environment, a live
kernel, Debian's Chromium), for every explorer of every chapter notebook: after Run All, press
an arrow key on the explorer's first slider and time key press -> the figure's ``img`` gets its
new ``src`` (MutationObserver) -> ``img.decode()`` -> the next animation frame; a few warm-up
presses, then ``presses`` timed ones. Called by tools/bench.py (section ``jupyterlab``)::

    python tools/dev.py bench --only jupyterlab
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "jupyterlab"))
sys.path.insert(0, str(ROOT / "tools"))

#: Goals for one explorer, in ms: the median and the worst of its presses.
MEDIAN_GOAL_MS, MAX_GOAL_MS = 50.0, 120.0
WARM_UP_PRESSES = 2


def explorer_latencies(page, presses: int) -> dict[str, list[float]]:
    """Milliseconds per timed key press, per explorer of the open (already run) notebook."""
    import _lab

    found: dict[str, list[float]] = {}
    for cell in _lab.code_outputs(page):
        if "_explorer(" not in cell["source"]:
            continue
        for name in dict.fromkeys(_lab.explorer_names(page, cell["index"])):
            for _ in range(WARM_UP_PRESSES):
                _lab.key_press_ms(page, cell["index"], name)
            found[name.removeprefix("pgm-explorer-")] = [
                _lab.key_press_ms(page, cell["index"], name) for _ in range(presses)
            ]
    return found


def measure(presses: int, tiny: bool) -> dict[str, list[float]]:
    """Start JupyterLab and Chromium, run each notebook with explorers, time its explorers."""
    import _lab
    import numbering
    from playwright.sync_api import sync_playwright

    notebooks = [p for p in numbering.book_pages() if p.path.suffix == ".ipynb"]
    notebooks = [p for p in notebooks if "_explorer(" in p.path.read_text(encoding="utf-8")]
    if tiny:
        notebooks = [p for p in notebooks if p.path.stem == "information-theory"] or notebooks[:1]
    latencies: dict[str, list[float]] = {}
    with _lab.LabServer() as lab, sync_playwright() as pw:
        browser = _lab.launch_chromium(pw)
        try:
            page = _lab.open_lab(browser, lab)
            for notebook in notebooks:
                _lab.open_notebook(page, notebook.path.relative_to(ROOT).as_posix())
                try:
                    _lab.run_all(page)
                    latencies.update(explorer_latencies(page, presses))
                finally:
                    _lab.close_notebook(page)
        finally:
            browser.close()
    return latencies


def bench_jupyterlab(repeat: int, tiny: bool) -> list:
    """Rows (tools/bench.py's ``Row``) of key press -> painted figure, one per explorer."""
    from bench import Row

    presses = 2 if tiny else max(10, 2 * repeat)
    rows = []
    for name, samples in sorted(measure(presses, tiny).items()):
        worst = max(samples)
        verdict = "meets" if worst <= MAX_GOAL_MS else "MISSES"
        rows.append(
            Row(
                "jupyterlab",
                f"{name} explorer: key press -> new figure painted (JupyterLab, live kernel)",
                samples,
                "ms",
                MEDIAN_GOAL_MS,
                f"{len(samples)} presses after {WARM_UP_PRESSES} warm-up; max {worst:.0f} ms "
                f"(goal <= {MAX_GOAL_MS:.0f} ms: {verdict}); median "
                f"{statistics.median(samples):.0f} ms",
            )
        )
    return rows
