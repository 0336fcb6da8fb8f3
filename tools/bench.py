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
    (book / "_vendor").symlink_to(ROOT / "_vendor", target_is_directory=True)
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
    targets = ["tests/test_information.py"] if tiny else ["tests", "pgmlib", "--doctest-modules"]
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *targets,
        "-m",
        "not site and not browser and not slow",
    ]
    samples = measure(lambda: run_quiet(cmd), repeat)
    return [Row("tests", "pgmlib unit, property and doctests (-m 'not slow')", samples, "s")]


SECTIONS: dict[str, Callable[[int, bool], list[Row]]] = {
    "build": bench_build,
    "nbval": bench_nbval,
    "unit": bench_unit,
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
