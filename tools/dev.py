"""One entry point for building, testing and benchmarking the course book.

    python tools/dev.py build      # install what a reader needs, build the site into _build/html
    python tools/dev.py test       # install what the suite needs, run the whole suite
    python tools/dev.py bench      # measure the book (writes BENCHMARKS.md); see tools/bench.py
    python tools/dev.py errata-page        # rewrite chapters/errata.md from pgmlib.errata.ERRATA
    python tools/dev.py number-notebooks   # the notes' numbers in JupyterLab (tools/numbering.py)

Every command runs in an isolated environment: the active virtual (or conda) environment if
there is one, otherwise ``.venv`` in the repository, which the first command creates (so a
system Python, even an "externally managed" one, is never modified). ``build`` and ``test``
install the pinned packages into it, fetch the pinned browser assets with npm, and nothing
downloads at read time. ``test`` fails -- it never skips -- when a part of
the suite cannot run (for instance, no Chromium for the browser tests).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
WEB = ROOT / "tools" / "web"
VENDOR = ROOT / "_vendor"
BUILD = ROOT / "_build"
CHROMIUM = Path(os.environ.get("PGMBOOK_CHROMIUM", "/usr/bin/chromium"))

#: What the site serves from its own host, copied from tools/web/node_modules.
#: (source inside node_modules, destination inside _vendor, file patterns to leave out)
VENDORED = (
    ("mathjax/es5", "mathjax", ()),
    ("requirejs/require.js", "require.js", ()),
    ("@jupyter-widgets/html-manager/dist", "@jupyter-widgets/html-manager/dist", ("*.map",)),
)
#: Used by the browser tests only (injected by Playwright), never served with the site.
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"


def run(cmd: Sequence[str | os.PathLike], **kwargs) -> None:
    """Run a command from the repository root, echoing it; raise on failure."""
    printable = " ".join(str(c) for c in cmd)
    print(f"\n$ {printable}", flush=True)
    subprocess.run([str(c) for c in cmd], cwd=kwargs.pop("cwd", ROOT), check=True, **kwargs)


def pip_install(requirements: str) -> None:
    run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-r", requirements])


def vendor() -> None:
    """Install the pinned npm assets (npm ci) and copy what the site serves into _vendor/.

    ``npm ci`` installs exactly tools/web/package-lock.json (versions and integrity hashes);
    ``--prefer-offline`` lets a machine that has fetched them once rebuild without the network.
    The book build refuses to start without these files (tools/pgmbook.py), and the browser
    tests check that every page gets everything from its own host.
    """
    if shutil.which("npm") is None:
        sys.exit("npm was not found: install Node.js 20 (with npm) to fetch the site's assets.")
    run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"], cwd=WEB)
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for source, destination, ignore in VENDORED:
        src = WEB / "node_modules" / source
        dst = VENDOR / destination
        if not src.exists():
            sys.exit(f"{src} is missing after npm ci: is tools/web/package-lock.json complete?")
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*ignore))
        else:
            shutil.copy2(src, dst)
    if not AXE.is_file():
        sys.exit(f"{AXE} is missing after npm ci: the accessibility audit needs axe-core.")
    print(f"vendored browser assets into {VENDOR.relative_to(ROOT)}/", flush=True)


def book_command(source: Path = ROOT, *, strict: bool) -> list[str]:
    """The jupyter-book command that builds ``source`` into ``source/_build/html``."""
    launcher = "from jupyter_book.cli.main import main; main()"
    cmd = [sys.executable, "-c", launcher, "build", str(source), "--builder", "html"]
    if strict:
        # --all: re-read every page. Sphinx only reports a page's warnings when it reads it, so an
        # incremental build after a lenient one would pass over warnings it never re-emits.
        # (Notebook execution stays cached; re-reading costs seconds.)
        cmd += ["-W", "-n", "--keep-going", "--all"]
    return cmd


def build_book(*, strict: bool) -> None:
    run(book_command(strict=strict))
    print(f"\nThe site is in {BUILD / 'html'}; open {BUILD / 'html' / 'index.html'}", flush=True)


def ensure_chromium() -> None:
    """Make sure Debian's Chromium is present; install it with apt when we are root."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        run(["apt-get", "update"])
        run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
    if not CHROMIUM.exists():
        sys.exit(
            f"Chromium is required for the browser tests and was not found at {CHROMIUM}. "
            "Install it (Debian: `sudo apt-get install -y chromium`) or point "
            "PGMBOOK_CHROMIUM at a Chromium binary. The suite does not skip these tests."
        )


@dataclass
class Step:
    name: str
    cmd: list[str]
    needs_site: bool = False


def suite_steps() -> list[Step]:
    py = sys.executable
    return [
        Step("lint (ruff check)", [py, "-m", "ruff", "check", "."]),
        Step("format (ruff format --check)", [py, "-m", "ruff", "format", "--check", "."]),
        Step(
            "unit and property tests",
            [py, "-m", "pytest", "tests", "-m", "not site and not browser and not jupyterlab"],
        ),
        # Doctests in a run of their own: --doctest-modules over tests/ would import both
        # tests/conftest.py and tests/browser/conftest.py as one module named `conftest`.
        Step("doctests (pgmlib)", [py, "-m", "pytest", "--doctest-modules", "pgmlib"]),
        Step(
            "notebooks (nbval)",
            [py, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "chapters"],
        ),
        Step("book build (-W -n --keep-going)", book_command(strict=True)),
        # Every chapter notebook in a real JupyterLab in Chromium: Run All, the MyST rendered
        # with the numbers the built site shows, the explorers live (tests/jupyterlab/).
        Step(
            "notebooks in JupyterLab (Chromium)",
            [py, "-m", "pytest", "tests/jupyterlab", "-m", "jupyterlab"],
            needs_site=True,
        ),
        Step(
            "built-site and browser tests (Chromium)",
            [py, "-m", "pytest", "tests", "-m", "site or browser"],
            needs_site=True,
        ),
    ]


def test() -> int:
    """Run every part of the suite, continue past failures, and report them all at the end."""
    results: list[tuple[str, str, float]] = []
    site_ok = False
    for step in suite_steps():
        if step.needs_site and not site_ok:
            results.append((step.name, "FAILED (the book build failed, nothing to test)", 0.0))
            continue
        start = time.perf_counter()
        print(f"\n=== {step.name} ===", flush=True)
        code = subprocess.run(step.cmd, cwd=ROOT).returncode
        seconds = time.perf_counter() - start
        results.append((step.name, "ok" if code == 0 else f"FAILED (exit {code})", seconds))
        if step.name.startswith("book build"):
            site_ok = code == 0
    print("\n=== summary ===")
    for name, status, seconds in results:
        print(f"{name:<38} {status:<48} {seconds:7.1f} s")
    failed = [name for name, status, _ in results if status != "ok"]
    print("\nALL PASSED" if not failed else f"\nFAILED: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


def number_notebooks(*, check: bool) -> int:
    """Write (or with ``check``, only report) the notebooks' numbering for JupyterLab."""
    sys.path.insert(0, str(ROOT / "tools"))
    from numbering import number_notebooks as renumber

    stale = renumber(check=check)
    for path in stale:
        print(f"{'out of date' if check else 'updated'}: {path.relative_to(ROOT)}")
    if not stale:
        print("every notebook's numbering is up to date")
    return 1 if check and stale else 0


def set_repo_url(url: str) -> None:
    """Change the repository address in _config.yml and in every notebook's install cell."""
    sys.path.insert(0, str(ROOT / "tools"))
    from chapters import rewrite_repository_url

    for path in rewrite_repository_url(url):
        print(f"updated {path.relative_to(ROOT)}")


def in_isolated_environment() -> bool:
    """True inside a virtual environment or an active conda environment."""
    conda = os.environ.get("CONDA_PREFIX")
    return sys.prefix != sys.base_prefix or bool(conda and Path(conda) == Path(sys.prefix))


def venv_python(venv: Path = VENV) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run_in_venv(argv: Sequence[str]) -> int:
    """Create ``.venv`` if needed and run this command again with its interpreter."""
    python = venv_python()
    if not python.exists():
        print(f"creating a virtual environment in {VENV.relative_to(ROOT)}/", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print(f"using {python.relative_to(ROOT)}", flush=True)
    return subprocess.run([str(python), str(Path(__file__).resolve()), *argv]).returncode


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not in_isolated_environment() and not os.environ.get("PGMBOOK_NO_VENV"):
        return run_in_venv(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="set up and build the website into _build/html")
    p_build.add_argument("--no-install", action="store_true", help="skip pip and npm")
    p_build.add_argument("--fresh", action="store_true", help="delete _build first")
    p_build.add_argument("--strict", action="store_true", help="warnings are errors (-W -n)")
    p_test = sub.add_parser("test", help="set up and run the full test suite")
    p_test.add_argument("--no-install", action="store_true", help="skip pip, npm and apt")
    sub.add_parser("vendor", help="fetch the pinned npm assets into _vendor/")
    p_bench = sub.add_parser("bench", help="run the benchmark harness (writes BENCHMARKS.md)")
    p_bench.add_argument(
        "args", nargs=argparse.REMAINDER, help="options of tools/bench.py (e.g. --only site)"
    )
    sub.add_parser("errata-page", help="rewrite chapters/errata.md from pgmlib.errata.ERRATA")
    p_url = sub.add_parser("set-repo-url", help="set the repository URL everywhere")
    p_url.add_argument("url")
    p_number = sub.add_parser(
        "number-notebooks", help="write the notes' numbers into the notebooks (for JupyterLab)"
    )
    p_number.add_argument("--check", action="store_true", help="only report what is stale")
    p_new = sub.add_parser("new-chapter", help="scaffold a chapter notebook and list it in the toc")
    p_new.add_argument("path", help="e.g. chapters/my-section.ipynb")
    p_new.add_argument("title")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "bench":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "bench":  # bench --only site, or bench -- --only site
        args.args = [a for a in [*extra, *args.args] if a != "--"]

    try:
        if args.command == "vendor":
            vendor()
        elif args.command == "build":
            if not args.no_install:
                pip_install("requirements.txt")
                vendor()
            if args.fresh and BUILD.exists():
                shutil.rmtree(BUILD)
            build_book(strict=args.strict)
            if Path(sys.prefix).resolve() == VENV.resolve():
                print("To use this environment (JupyterLab, pytest): source .venv/bin/activate")
        elif args.command == "test":
            if not args.no_install:
                pip_install("requirements-dev.txt")
                vendor()
                ensure_chromium()
            elif not CHROMIUM.exists():
                ensure_chromium()
            return test()
        elif args.command == "bench":
            run([sys.executable, str(ROOT / "tools" / "bench.py"), *args.args])
        elif args.command == "errata-page":
            run([sys.executable, str(ROOT / "tools" / "errata_page.py")])
        elif args.command == "set-repo-url":
            set_repo_url(args.url)
        elif args.command == "number-notebooks":
            return number_notebooks(check=args.check)
        elif args.command == "new-chapter":
            sys.path.insert(0, str(ROOT / "tools"))
            from chapters import new_chapter

            print(f"created {new_chapter(Path(args.path), args.title).relative_to(ROOT)}")
            number_notebooks(check=False)
    except subprocess.CalledProcessError as error:
        print(f"\nfailed: {error}", file=sys.stderr)
        return error.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
