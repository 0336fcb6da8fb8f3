"""Benchmark harness: measures the book's performance and writes BENCHMARKS.md.

    python tools/dev.py bench                      # full run (about 20-30 minutes on 2 cores)
    python tools/dev.py bench --repeat 7           # more runs per figure
    python tools/dev.py bench --only fitters,explorers
    python tools/dev.py bench --tiny --output /tmp/b.md   # smoke run on tiny sizes (the suite)

Every figure is the median of ``--repeat`` runs (at least 5 in a full run) with min and max,
measured on the machine it runs on; timings are noisy, so the table is for comparing changes
and against the goals, not for tests. Needs the Quick start done first (the packages, the npm
assets and, for the static-page figures, a built site in _build/html and Chromium).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import bench_jupyterlab  # noqa: E402
import dev  # noqa: E402

SITE = Path(os.environ.get("PGMBOOK_SITE", ROOT / "_build" / "html"))


@dataclass
class Row:
    """One line of the table: a measured figure with its spread and its goal."""

    area: str
    item: str
    samples: list[float]
    unit: str
    goal: float | None = None  # upper bound in ``unit``; None: no goal
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def verdict(self) -> str:
        if self.goal is None:
            return ""
        return "meets" if self.median <= self.goal else "MISSES"


def measure(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn``."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def run_quiet(cmd: Sequence[str], cwd: Path = ROOT, env: dict | None = None) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"benchmark command failed ({result.returncode}): {' '.join(map(str, cmd))}\n"
            + (result.stdout + result.stderr)[-3000:]
        )


# --------------------------------------------------------------------------------------------
# Builds, notebooks, unit tests
# --------------------------------------------------------------------------------------------
def scratch_book(tmp: Path, tiny: bool) -> Path:
    """The book itself, or (tiny) a copy with the landing page and one short section."""
    if not tiny:
        return ROOT
    book = tmp / "tiny-book"
    book.mkdir()
    for name in ("_config.yml", "references.bib", "index.md"):
        shutil.copy(ROOT / name, book / name)
    (book / "chapters").mkdir()
    for name in ("introduction.md", "errata.md"):
        shutil.copy(ROOT / "chapters" / name, book / "chapters" / name)
    for assets in ("_vendor", "book-assets"):
        (book / assets).symlink_to(ROOT / assets, target_is_directory=True)
    config = (book / "_config.yml").read_text().replace("pgmbook: tools/", f"pgmbook: {ROOT}/tools")
    (book / "_config.yml").write_text(config)
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n"
        "  - file: chapters/introduction\n  - file: chapters/errata\n"
    )
    return book


def bench_build(repeat: int, tiny: bool) -> list[Row]:
    clean, cached = [], []
    with tempfile.TemporaryDirectory() as tmp:
        book = scratch_book(Path(tmp), tiny)
        out = Path(tmp) / "out"
        cmd = dev.book_command(book, strict=False)
        for _ in range(repeat):
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            run_quiet([*cmd, "--path-output", str(out)], cwd=book)
            clean.append(time.perf_counter() - start)
            start = time.perf_counter()
            run_quiet([*cmd, "--path-output", str(out), "--all"], cwd=book)
            cached.append(time.perf_counter() - start)
    what = "tiny scratch book" if tiny else "whole book"
    return [
        Row("build", f"clean build: execute every notebook + HTML ({what})", clean, "s", 60.0),
        Row(
            "build",
            f"rebuild, execution cache warm, every page re-read (--all) ({what})",
            cached,
            "s",
            10.0,
        ),
    ]


def bench_nbval(repeat: int, tiny: bool) -> list[Row]:
    notebooks = sorted(str(p) for p in (ROOT / "chapters").glob("*.ipynb"))
    if tiny:
        notebooks = notebooks[:1]
    cmd = [sys.executable, "-m", "pytest", "-q", "--nbval-lax", "-p", "no:cacheprovider"]
    samples = measure(lambda: run_quiet([*cmd, *notebooks]), repeat)
    return [
        Row(
            "tests", f"nbval over {len(notebooks)} chapter notebook(s) (live widgets)", samples, "s"
        )
    ]


def bench_unit(repeat: int, tiny: bool) -> list[Row]:
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    tests = ["tests/test_information.py"] if tiny else ["tests"]
    unit = [*pytest, *tests, "-m", "not site and not browser and not slow"]
    doctests = [*pytest, "--doctest-modules", "pgmlib/information.py" if tiny else "pgmlib"]

    def run() -> None:
        run_quiet(unit)
        run_quiet(doctests)

    samples = measure(run, repeat)
    return [Row("tests", "pgmlib unit, property and doctests (-m 'not slow')", samples, "s")]


# --------------------------------------------------------------------------------------------
# Explorers in a kernel: one live move (compute + render) against a straightforward redraw
# --------------------------------------------------------------------------------------------
def control_values(widget) -> list:
    """The values a control can take (options of a selection, or min/max of a range)."""
    options = getattr(widget, "options", None)
    if options:
        return [o[1] if isinstance(o, tuple) else o for o in options]
    return [widget.min, widget.max]


def sweep(explorer, moves: int) -> list[float]:
    """Seconds for about ``moves`` live moves spread over every control: each control walks
    across its range in even steps (so consecutive moves change the value)."""
    import numpy as np

    samples = []
    per_control = max(2, moves // len(explorer.controls))
    for name, widget in explorer.controls.items():
        values = control_values(widget)
        steps = np.linspace(0, len(values) - 1, per_control + 1).round().astype(int)[1:]
        for index in steps:
            samples.append(explorer.time_move(name, values[index]))
        explorer.time_move(name, values[0])  # back to the start, untimed
    return samples


def bench_explorers(repeat: int, tiny: bool) -> list[Row]:
    """Every explorer of the registry (pgmlib.widgets.EXPLORERS), against its kernel goal."""
    import bench_baselines

    from pgmlib.widgets import EXPLORERS

    rows = []
    moves = 6 if tiny else max(40, 8 * repeat)
    for name, spec in EXPLORERS.items():
        explorer = spec.factory(mode="live")
        sweep(explorer, len(explorer.controls))  # warm-up: caches, first draws
        samples = sweep(explorer, moves)
        baseline = bench_baselines.BASELINES.get(name)
        note = f"{len(samples)} moves over {len(explorer.controls)} controls"
        extra = {}
        if baseline is not None:
            base = measure(baseline, 3 if tiny else repeat)
            ratio = statistics.median(base) / statistics.median(samples)
            note += (
                f"; straightforward redraw {statistics.median(base) * 1000:.0f} ms "
                f"(min {min(base) * 1000:.0f}, max {max(base) * 1000:.0f}): {ratio:.1f}x faster"
            )
            extra["baseline_ms"] = f"{statistics.median(base) * 1000:.1f}"
        rows.append(
            Row(
                "kernel",
                f"{spec.factory.__name__}: compute + render per move",
                [s * 1000 for s in samples],
                "ms",
                spec.kernel_goal_ms,
                note,
                extra,
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# The static site in Chromium: control (slider, choice) response and page weight
# --------------------------------------------------------------------------------------------
ARM_LATENCY_JS = r"""
(idx) => {
  const control = document.querySelector(`[data-pgm-control="${idx}"]`);
  const root = control.closest(".pgm-explorer") || control.closest(".widget-subarea");
  const sig = () => Array.from(root.querySelectorAll("img"))
    .filter((i) => i.getClientRects().length)
    .map((i) => i.currentSrc.length + ":" + i.currentSrc.slice(-64)).join("|");
  const before = sig();
  window.__pgmLatency = null;
  let t0 = null;
  control.addEventListener("keydown", () => { t0 = performance.now(); },
                           {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (t0 === null || sig() === before) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__pgmLatency = performance.now() - t0; });
  });
  observer.observe(root, {attributes: true, childList: true, subtree: true});
  if (control.matches(".widget-toggle-buttons")) {  // a choice: Enter on its last button
    const buttons = Array.from(control.querySelectorAll("button.widget-toggle-button"));
    const chosen = buttons.findIndex((b) => b.classList.contains("mod-active"));
    return {key: "Enter", button: chosen === buttons.length - 1 ? 0 : buttons.length - 1};
  }
  const atEnd = control.getAttribute("aria-valuenow") === control.getAttribute("aria-valuemax");
  return {key: atEnd ? "Home" : "End", button: null};
}
"""
LABEL_CONTROLS_JS = r"""
(name) => {
  const root = document.querySelector(`.pgm-explorer-${name}`);
  if (!root) return null;
  const selector = '[role="slider"], .widget-toggle-buttons';  // sliders and choices
  return Array.from(root.querySelectorAll(selector)).map((control, i) => {
    control.dataset.pgmControl = `${name}-${i}`;
    return control.dataset.pgmControl;
  });
}
"""


def _site_module():
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    import _site

    return _site


def static_page_latencies(page, name: str, presses: int) -> list[float]:
    """Milliseconds from a keydown on a control of explorer ``name`` (``.pgm-explorer-<name>``)
    to the next animation frame after its figure changed, ``presses`` per control.

    A slider is pressed End (Home at its end); a choice (a row of toggle buttons) likewise
    chooses its last option (its first when already there): its button is focused, then only
    the Enter is timed. Controls are pressed in page order, as tests/browser/test_browser.py
    walks them (a choice left on its last option, whose parameter the next slider may need)."""
    controls = page.evaluate(LABEL_CONTROLS_JS, name)
    if not controls:
        raise RuntimeError(f"no .pgm-explorer-{name} with controls on {page.url}")
    latencies = []
    for index in controls:
        locator = page.locator(f'[data-pgm-control="{index}"]')
        locator.scroll_into_view_if_needed()
        choice = locator.evaluate("(c) => c.matches('.widget-toggle-buttons')")
        # a choice is pressed an odd number of times: it ends on its last option
        for _ in range(presses + (choice and presses % 2 == 0)):
            press = page.evaluate(ARM_LATENCY_JS, index)
            if press["button"] is None:
                locator.focus()
            else:
                locator.locator("button.widget-toggle-button").nth(press["button"]).focus()
            page.keyboard.press(press["key"])
            page.wait_for_function("window.__pgmLatency !== null", timeout=10_000)
            latencies.append(page.evaluate("window.__pgmLatency"))
    return latencies


def bench_site(repeat: int, tiny: bool) -> list[Row]:
    """Page weights of every page; slider latencies of every registered explorer, on the page
    of its chapter (pgmlib.widgets.EXPLORERS)."""
    from playwright.sync_api import sync_playwright

    from pgmlib.widgets import EXPLORERS

    site = _site_module()
    root = site.site_dir()
    if not (root / "index.html").is_file():
        raise RuntimeError(f"no built site in {root}: run `python tools/dev.py build` first")
    pages = site.toc_pages()
    if tiny:
        pages = [p for p in pages if "information-theory" in p][:1] or pages[:1]
    shown: dict[str, list[str]] = {}  # page -> the registered explorers it shows
    for name, spec in EXPLORERS.items():
        shown.setdefault(f"{Path(spec.chapter).with_suffix('').as_posix()}.html", []).append(name)
    rows, latencies = [], {}
    with site.SiteServer(root) as server, sync_playwright() as pw:
        browser = site.launch_chromium(pw)
        try:
            for page_name in pages:
                loads = []
                for _ in range(1 if tiny else repeat):
                    context = browser.new_context(viewport=site.VIEWPORT)
                    page, load = site.open_page(context, server.url(page_name), server)
                    loads.append(load)
                    for explorer in shown.get(page_name, []) if len(loads) == 1 else []:
                        presses = 2 if tiny else 5
                        latencies[explorer] = static_page_latencies(page, explorer, presses)
                    context.close()
                weight = [load.page_bytes / 2**20 for load in loads]
                rows.append(
                    Row(
                        "page",
                        f"{page_name}: weight (HTML with widget state + images)",
                        weight,
                        "MB",
                        3.0,
                        f"{len(loads[0].transfers)} requests "
                        f"({loads[0].asset_bytes / 2**20:.2f} MB shared JS/CSS/fonts); "
                        f"load {statistics.median(ld.seconds for ld in loads):.2f} s",
                    )
                )
        finally:
            browser.close()
    unmeasured = [name for name in EXPLORERS if name not in latencies]
    if unmeasured and not tiny:
        raise RuntimeError(f"explorers whose chapter is not a page of _toc.yml: {unmeasured}")
    slider_rows = [
        Row(
            "static",
            f"{key} explorer: keydown -> new frame painted",
            ms,
            "ms",
            16.0,
            f"{len(ms)} key presses in Chromium (headless)",
        )
        for key, ms in latencies.items()
    ]
    return slider_rows + rows


# --------------------------------------------------------------------------------------------
# pgmlib's fitters against scikit-learn on 10^4 x 2 data
# --------------------------------------------------------------------------------------------
def fitter_data(n: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    X_clf = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, [1.0, 0.5], [-0.5, -0.5])
    means = np.array([[-3.0, 0.0], [0.0, 3.0], [3.0, -1.0]])
    covs = np.array([[[1.0, 0.3], [0.3, 0.6]], [[0.8, -0.2], [-0.2, 1.0]], [[0.5, 0], [0, 1.5]]])
    z = rng.choice(3, size=n, p=[0.3, 0.3, 0.4])
    X_mix = means[z] + np.einsum("nij,nj->ni", np.linalg.cholesky(covs)[z], rng.normal(size=(n, 2)))
    return X_clf, y, X_mix


def bench_fitters(repeat: int, tiny: bool) -> list[Row]:
    import warnings

    from sklearn.linear_model import LogisticRegression
    from sklearn.mixture import GaussianMixture

    import pgmlib as pgm

    n = 1_000 if tiny else 10_000
    X_clf, y, X_mix = fitter_data(n)
    rows = []
    with warnings.catch_warnings():  # warm-up: imports, caches
        warnings.simplefilter("ignore")
        pgm.logistic_regression_mle(X_clf, y)
        LogisticRegression(C=math.inf).fit(X_clf, y)
        pgm.gmm_em(X_mix, 3, rng=0)
        GaussianMixture(3, random_state=0).fit(X_mix)

    ours = measure(lambda: pgm.logistic_regression_mle(X_clf, y), repeat)
    theirs = measure(lambda: LogisticRegression(C=math.inf).fit(X_clf, y), repeat)
    fit = pgm.logistic_regression_mle(X_clf, y)
    ref = LogisticRegression(C=math.inf).fit(X_clf, y)
    ll_ours = pgm.logistic_log_likelihood(fit.coef, fit.intercept, X_clf, y)
    ll_ref = pgm.logistic_log_likelihood(ref.coef_[0], ref.intercept_[0], X_clf, y)
    ratio = statistics.median(ours) / statistics.median(theirs)
    rows.append(
        Row(
            "fitters",
            f"logistic_regression_mle vs LogisticRegression(C=inf: unpenalised), {n}x2",
            [o / statistics.median(theirs) for o in ours],
            "x",
            2.0,
            f"pgmlib {statistics.median(ours) * 1000:.1f} ms, scikit-learn "
            f"{statistics.median(theirs) * 1000:.1f} ms (ratio {ratio:.2f}); log-likelihood "
            f"pgmlib - sklearn = {ll_ours - ll_ref:+.2e} (total over {n})",
        )
    )

    tol = 1e-3  # scikit-learn's default: stop when the per-sample gain falls below 1e-3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = measure(lambda: pgm.gmm_em(X_mix, 3, rng=0, tol=tol), repeat)
        theirs = measure(
            lambda: GaussianMixture(3, covariance_type="full", tol=tol, random_state=0).fit(X_mix),
            repeat,
        )
        fit = pgm.gmm_em(X_mix, 3, rng=0, tol=tol)
        ref = GaussianMixture(3, covariance_type="full", tol=tol, random_state=0).fit(X_mix)
    ll_ours = pgm.gmm_log_likelihood(X_mix, fit.weights, fit.means, fit.covariances)
    ll_ref = pgm.gmm_log_likelihood(X_mix, ref.weights_, ref.means_, ref.covariances_)
    ratio = statistics.median(ours) / statistics.median(theirs)
    rows.append(
        Row(
            "fitters",
            f"gmm_em vs GaussianMixture(3, full), {n}x2, tol {tol:g}/sample",
            [o / statistics.median(theirs) for o in ours],
            "x",
            2.0,
            f"pgmlib {statistics.median(ours) * 1000:.1f} ms ({fit.n_iter} iterations), "
            f"scikit-learn {statistics.median(theirs) * 1000:.1f} ms ({ref.n_iter_} iterations) "
            f"(ratio {ratio:.2f}); log-likelihood per sample pgmlib - sklearn = "
            f"{(ll_ours - ll_ref) / n:+.2e}",
        )
    )
    return rows


SECTIONS: dict[str, Callable[[int, bool], list[Row]]] = {
    "build": bench_build,
    "nbval": bench_nbval,
    "unit": bench_unit,
    "explorers": bench_explorers,
    "site": bench_site,
    "fitters": bench_fitters,
    "jupyterlab": bench_jupyterlab.bench_jupyterlab,
}


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def fmt(value: float, unit: str) -> str:
    if unit == "s" and value < 1:
        return f"{value * 1000:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.2f} MB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:g} {unit}".strip()


def render(rows: list[Row], repeat: int, tiny: bool) -> str:
    info = machine()
    lines = [
        "# Benchmarks",
        "",
        "Written by `python tools/dev.py bench` (tools/bench.py). Each figure is the median of "
        f"{repeat} run(s), with min and max, measured in one run of the harness on the machine "
        "below. Timings on a shared 2-core machine are noisy: compare medians, and re-run before "
        "reading much into a small difference.",
        "",
        f"- machine: {info['cores']} cores, {info['cpu']}",
        f"- Python {info['python']} on {info['platform']}",
        f"- date: {info['date']}" + (" (TINY smoke run: sizes reduced)" if tiny else ""),
        "",
        "| area | what | median | min | max | goal | verdict | notes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        goal = f"<= {fmt(row.goal, row.unit)}" if row.goal is not None else ""
        lines.append(
            f"| {row.area} | {row.item} | {fmt(row.median, row.unit)} | "
            f"{fmt(min(row.samples), row.unit)} | {fmt(max(row.samples), row.unit)} | {goal} | "
            f"{row.verdict} | {row.note} |"
        )
    missed = [row for row in rows if row.verdict == "MISSES"]
    lines += ["", "## Goals missed", ""]
    lines += [f"- {row.area}: {row.item} ({fmt(row.median, row.unit)})" for row in missed] or [
        "- none"
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the book; write BENCHMARKS.md")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 5)")
    parser.add_argument("--tiny", action="store_true", help="smoke run on tiny sizes")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (1 if args.tiny else 5)
    if repeat < 1:
        parser.error(f"--repeat must be >= 1; got {repeat}")
    if not args.tiny and repeat < 5:
        parser.error("a full run needs --repeat >= 5 (medians of at least 5 runs)")
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {sorted(SECTIONS)}")
    rows: list[Row] = []
    for name in wanted:
        print(f"== {name}", flush=True)
        section_rows = SECTIONS[name](repeat, args.tiny)
        for row in section_rows:
            print(f"   {row.item}: {fmt(row.median, row.unit)} {row.verdict}", flush=True)
        rows += section_rows
    text = render(rows, repeat, args.tiny)
    args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
