"""Smoke test of the benchmark harness (tools/bench.py) on tiny sizes, so that it cannot rot.

It runs every section once -- a scratch book build, nbval on one notebook, one unit-test file,
every explorer of the registry in a kernel, one page of the built site in Chromium, the fitters
on 1,000 points -- and checks that the report has a finite figure for each. Timings are not
asserted (the machines are noisy); BENCHMARKS.md holds the measured table.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pgmlib.widgets import EXPLORERS

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser


def test_bench_tiny_run_reports_every_section(tmp_path):
    output = tmp_path / "BENCHMARKS.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bench.py"), "--tiny", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    text = output.read_text()
    assert "TINY smoke run" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and " --- " not in line]
    areas = {row.split("|")[1].strip() for row in rows[1:]}
    assert {"build", "tests", "kernel", "static", "page", "fitters", "jupyterlab"} <= areas, areas
    for row in rows[1:]:
        median = row.split("|")[3].strip()
        number = float(re.match(r"[-+0-9.e]+", median).group(0))
        assert math.isfinite(number) and number >= 0, row
    kernel = [row for row in rows if row.split("|")[1].strip() == "kernel"]
    assert len(kernel) == len(EXPLORERS)
    for spec in EXPLORERS.values():  # every registered explorer, against its goal
        row = next(row for row in kernel if f" {spec.factory.__name__}: " in row)
        assert row.split("|")[6].strip() == f"<= {spec.kernel_goal_ms:.1f} ms", row
    for name in ("pushforward", "entropy", "kl_asymmetry"):  # tools/bench_baselines.py
        row = next(row for row in kernel if f"{name}_explorer" in row)
        assert "straightforward redraw" in row, row
