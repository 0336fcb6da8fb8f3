"""tools/dev.py: the environment it runs in, and the suite it runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import dev  # noqa: E402


def test_a_virtual_environment_counts_as_isolated(monkeypatch):
    monkeypatch.setattr(sys, "prefix", "/work/venv")
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    assert dev.in_isolated_environment()


def test_a_system_python_is_not_isolated_and_an_active_conda_env_is(monkeypatch):
    monkeypatch.setattr(sys, "prefix", "/usr")
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    assert not dev.in_isolated_environment()
    monkeypatch.setenv("CONDA_PREFIX", "/usr")
    assert dev.in_isolated_environment()
    monkeypatch.setenv("CONDA_PREFIX", "/opt/conda/envs/other")
    assert not dev.in_isolated_environment()


def test_the_private_environment_lives_in_the_repository():
    assert dev.venv_python().is_relative_to(ROOT / ".venv")


def test_the_suite_runs_every_part_and_the_browser_step_needs_the_site():
    steps = dev.suite_steps()
    names = [step.name for step in steps]
    for part in ("ruff check", "ruff format", "unit", "doctests", "nbval", "book build", "browser"):
        assert any(part in name for name in names), (part, names)
    lab = next(step for step in steps if "JupyterLab" in step.name)
    assert lab.needs_site and "tests/jupyterlab" in lab.cmd
    assert names.index(lab.name) > names.index("notebooks (nbval)")
    unit = next(step for step in steps if step.name.startswith("unit"))
    assert "not jupyterlab" in unit.cmd[-1]
    build = next(step for step in steps if step.name.startswith("book build"))
    assert {"-W", "-n", "--keep-going", "--all"} <= set(build.cmd)
    assert [step.needs_site for step in steps][-1] is True


def test_a_failing_step_fails_the_suite_and_later_steps_still_run(monkeypatch, capsys):
    calls = []

    class Result:
        def __init__(self, code):
            self.returncode = code

    def fake_run(cmd, cwd):
        calls.append(cmd)
        return Result(1 if cmd == ["fails"] else 0)

    monkeypatch.setattr(
        dev,
        "suite_steps",
        lambda: [
            dev.Step("first", ["fails"]),
            dev.Step("book build x", ["ok"]),
            dev.Step("site", ["ok2"], needs_site=True),
        ],
    )
    monkeypatch.setattr(dev.subprocess, "run", fake_run)
    assert dev.test() == 1
    assert calls == [["fails"], ["ok"], ["ok2"]]
    assert "FAILED: first" in capsys.readouterr().out


def test_the_browser_step_fails_when_the_build_failed(monkeypatch, capsys):
    class Result:
        returncode = 2

    monkeypatch.setattr(
        dev,
        "suite_steps",
        lambda: [dev.Step("book build x", ["b"]), dev.Step("site", ["s"], needs_site=True)],
    )
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, cwd: Result())
    assert dev.test() == 1
    out = capsys.readouterr().out
    assert "site" in out and "the book build failed" in out


def test_bench_passes_its_options_to_the_harness(monkeypatch):
    calls = []
    monkeypatch.setenv("PGMBOOK_NO_VENV", "1")
    monkeypatch.setattr(dev, "run", lambda command, **kwargs: calls.append(command[2:]))
    dev.main(["bench", "--only", "site"])
    dev.main(["bench", "--", "--only", "explorers", "--repeat", "7"])
    assert calls == [["--only", "site"], ["--only", "explorers", "--repeat", "7"]]


def test_other_commands_refuse_unknown_options():
    with pytest.raises(SystemExit):
        dev.main(["build", "--bogus"])
