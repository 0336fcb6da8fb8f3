"""A real JupyterLab for the tests and the benchmark: start it, drive a notebook in Chromium.

Kept free of pytest so that tools/bench_jupyterlab.py can reuse it::

    from _lab import LabServer, open_lab
    with LabServer() as lab, sync_playwright() as pw:
        browser = launch_chromium(pw)              # tests/browser/_site.py
        page = open_lab(browser, lab)
        notebook = open_notebook(page, "chapters/pushforward.ipynb")

The server runs from the project's environment (``sys.executable``) on 127.0.0.1 and a free
port, with a random token, scratch settings, workspace, checkpoint, data and runtime directories
(nothing of the user's Jupyter set-up leaks in, nothing is left in the repository) and the
book's own JupyterLab settings (tools/jupyterlab/overrides.json, as Binder installs them). It is
stopped by its process id, with its kernels, when the ``with`` block ends, also after a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("PGMBOOK_SITE", REPO / "_build" / "html"))
ARTIFACTS = Path(os.environ.get("PGMBOOK_ARTIFACTS", REPO / "test-artifacts")) / "jupyterlab"
OVERRIDES = REPO / "tools" / "jupyterlab" / "overrides.json"
HOST = "127.0.0.1"
START_TIMEOUT_S = 120
#: Run All of one chapter notebook, live explorers included (about 10-60 s on 2 busy cores).
RUN_ALL_TIMEOUT_MS = 600_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LabServer:
    """JupyterLab on ``root`` (the repository), started from ``python``'s environment."""

    def __init__(self, root: Path = REPO, python: str = sys.executable) -> None:
        self.root, self.python = Path(root), python
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.scratch = Path(tempfile.mkdtemp(prefix="pgmbook-jupyterlab-"))
        self.process: subprocess.Popen | None = None
        self.log_path = self.scratch / "server.log"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        names = ("workspaces", "user-settings", "settings", "checkpoints")
        lab = {name: self.scratch / name for name in names}
        for path in lab.values():
            path.mkdir(parents=True, exist_ok=True)
        shutil.copy(OVERRIDES, lab["settings"] / "overrides.json")
        return [
            self.python,
            "-m",
            "jupyterlab",
            f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            "--allow-root",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={lab['workspaces']}",
            f"--LabApp.user_settings_dir={lab['user-settings']}",
            f"--LabApp.app_settings_dir={lab['settings']}",
            # Checkpoints (written when a notebook opens) in the scratch folder, not chapters/.
            f"--FileCheckpoints.root_dir={lab['checkpoints']}",
        ]

    def environment(self) -> dict[str, str]:
        """The user's environment without their Jupyter directories or the book's build mode."""
        env = {k: v for k, v in os.environ.items() if k != "PGMLIB_WIDGET_MODE"}
        for name in ("config", "data", "runtime"):
            (self.scratch / name).mkdir(exist_ok=True)
            env[f"JUPYTER_{name.upper()}_DIR"] = str(self.scratch / name)
        return env

    def __enter__(self) -> LabServer:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.root,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the kernels stop with it
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}") as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and its kernels (its process group), by the server's process id."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)


# --- in the browser -----------------------------------------------------------------------------

#: Resolves once the current notebook has a kernel and every Markdown cell is rendered.
NOTEBOOK_READY_JS = """
() => {
  const panel = window.jupyterapp?.shell.currentWidget;
  const kernel = panel?.sessionContext?.session?.kernel;
  if (!panel?.content?.widgets?.length || !kernel || kernel.status !== "idle") return false;
  return panel.content.widgets.filter((c) => c.model.type === "markdown")
    .every((c) => c.rendered && c.node.querySelector(".myst"));
}
"""
RUN_ALL_DONE_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets.filter((c) => c.model.type === "code");
  return panel.sessionContext.session.kernel.status === "idle" &&
    cells.every((c) => c.model.executionCount !== null && !c.node.classList.contains(
      "jp-mod-running"));
}
"""


def open_lab(browser: Any, lab: LabServer, viewport: dict | None = None) -> Any:
    """A page with JupyterLab loaded (on the file browser), ready to open notebooks."""
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
    page.goto(f"{lab.url}/lab?reset&token={lab.token}")
    page.wait_for_function("() => window.jupyterapp?.started !== undefined", timeout=60_000)
    page.evaluate("() => window.jupyterapp.started")
    page.wait_for_function("() => window.jupyterapp.shell !== undefined", timeout=60_000)
    return page


def open_notebook(page: Any, path: str) -> None:
    """Open ``path`` (relative to the server's root) with the Python 3 kernel; wait for it."""
    page.evaluate(
        "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', "
        "{path, factory: 'Notebook', kernel: {name: 'python3'}}); }",
        path,
    )
    page.wait_for_function(
        "(path) => window.jupyterapp.shell.currentWidget?.context?.path === path", arg=path
    )
    page.wait_for_function(NOTEBOOK_READY_JS, timeout=120_000, polling=250)


def run_all(page: Any) -> None:
    """Run every cell of the current notebook and wait until the last one has finished."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(RUN_ALL_DONE_JS, timeout=RUN_ALL_TIMEOUT_MS, polling=500)


def close_notebook(page: Any) -> None:
    """Close the current notebook and shut its kernel down (no dialog: nothing is saved)."""
    page.evaluate(
        """async () => {
      const panel = window.jupyterapp.shell.currentWidget;
      await panel.sessionContext.shutdown();
      panel.context.model.dirty = false;
      panel.dispose();
    }"""
    )


def code_outputs(page: Any) -> list[dict]:
    """Per code cell: index, source and its outputs (type, name, ename/evalue, text)."""
    return page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets
          .map((c, i) => ({c, i})).filter(({c}) => c.model.type === "code")
          .map(({c, i}) => ({index: i, source: c.model.sharedModel.getSource(),
            outputs: c.model.outputs.toJSON().map((o) => ({type: o.output_type,
              name: o.name || "", ename: o.ename || "", evalue: o.evalue || "",
              text: Array.isArray(o.text) ? o.text.join("") : (o.text || "")}))}))"""
    )


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless. Raises RuntimeError (never skips) when it is missing."""
    path = Path(os.environ.get("PGMBOOK_CHROMIUM", "/usr/bin/chromium"))
    if not path.exists():
        raise RuntimeError(
            f"Chromium is required for the JupyterLab tests and was not found at {path}: "
            "install it (`apt-get install -y chromium`) or set PGMBOOK_CHROMIUM."
        )
    return playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)


class Console:
    """Console messages and uncaught errors of a page, each tagged with the phase it came in."""

    def __init__(self, page: Any) -> None:
        self.phase = "start"
        self.messages: list[tuple[str, str, str]] = []  # (phase, type, text)
        page.on("console", lambda m: self.messages.append((self.phase, m.type, m.text)))
        page.on("pageerror", lambda e: self.messages.append((self.phase, "pageerror", str(e))))

    def errors(self, phase: str) -> list[str]:
        return [
            text
            for when, kind, text in self.messages
            if when == phase and kind in {"error", "pageerror"}
        ]


#: Arm a measurement on explorer ``name`` in cell ``i``: mark its first slider's handle, and
#: when the next keydown on it has changed the figure's ``src``, decode the new image and
#: record the time to the following animation frame in ``window.__pgmLatency`` (ms).
ARM_KEY_PRESS_JS = """
([i, name]) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[i];
  const root = cell.node.querySelector(`.${name}`);
  const handle = root && root.querySelector(".widget-slider .noUi-handle");
  const img = root && root.querySelector("img.pgm-figure");
  if (!handle || !img) return null;
  document.querySelectorAll("[data-pgm-handle]").forEach((h) => delete h.dataset.pgmHandle);
  handle.dataset.pgmHandle = "1";
  window.__pgmLatency = null;
  let t0 = null;
  handle.addEventListener("keydown", () => { t0 = performance.now(); },
                          {capture: true, once: true});
  const before = img.src;
  const observer = new MutationObserver(() => {
    if (t0 === null || img.src === before) return;
    observer.disconnect();
    img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
      window.__pgmLatency = performance.now() - t0;
    }));
  });
  observer.observe(img, {attributes: true, attributeFilter: ["src"]});
  const atEnd = handle.getAttribute("aria-valuenow") === handle.getAttribute("aria-valuemax");
  return atEnd ? "ArrowLeft" : "ArrowRight";
}
"""
EXPLORER_NAMES_JS = """
async (i) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  await notebook.scrollToItem(i, "center");
  const cell = notebook.widgets[i];
  for (let n = 0; n < 400 && !cell.node.querySelector(".pgm-explorer img.pgm-figure"); n++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return Array.from(cell.node.querySelectorAll(".pgm-explorer:not(.pgm-explorer-group)"))
    .map((el) => Array.from(el.classList).find((c) => c.startsWith("pgm-explorer-")));
}
"""


def explorer_names(page: Any, cell_index: int) -> list[str]:
    """The class name (``pgm-explorer-<name>``) of every explorer shown by a code cell."""
    return page.evaluate(EXPLORER_NAMES_JS, cell_index)


def key_press_ms(page: Any, cell_index: int, name: str, timeout_ms: float = 20_000) -> float:
    """One arrow-key press on the first slider of explorer ``name``: milliseconds from the
    keydown to the first animation frame after the new figure was decoded."""
    key = page.evaluate(ARM_KEY_PRESS_JS, [cell_index, name])
    if key is None:
        raise RuntimeError(f"{name} in cell {cell_index} has no slider handle or figure")
    page.locator('[data-pgm-handle="1"]').press(key)
    page.wait_for_function("() => window.__pgmLatency !== null", timeout=timeout_ms)
    return page.evaluate("() => window.__pgmLatency")
