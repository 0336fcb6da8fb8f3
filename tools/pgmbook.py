"""Sphinx extension that ties the book build to pgmlib (loaded through ``_config.yml``).

It does three things, each of which a plain ``jupyter-book build .`` needs:

1. Sets ``PGMLIB_WIDGET_MODE=static`` in the build's environment. Kernels that execute the
   notebooks inherit it, so every explorer is built in its *static* form: precomputed frames
   linked to the sliders in the browser, which work on the website with no kernel. In
   JupyterLab or Binder the variable is unset and the same call gives the *live* explorer.
2. Clears the notebook execution cache when pgmlib's source changes. The cache is keyed on
   notebook content only, so without this a cached rebuild would show figures drawn by an
   older pgmlib.
3. Refuses to build without the vendored browser assets (MathJax, require.js, the widget
   manager), which keep the site free of third-party requests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
PGMLIB = ROOT / "pgmlib"
REQUIRED_ASSETS = (
    "mathjax/tex-mml-chtml.js",
    "require.js",
    "@jupyter-widgets/html-manager/dist/embed-amd.js",
)


def pgmlib_fingerprint(package: Path = PGMLIB) -> str:
    """Hash of every Python source file of pgmlib (paths and contents)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _check_assets(app: Sphinx) -> None:
    vendor = Path(app.confdir) / "_vendor"
    missing = [name for name in REQUIRED_ASSETS if not (vendor / name).is_file()]
    if missing:
        raise ConfigError(
            f"vendored browser assets are missing from {vendor}: {', '.join(missing)}. "
            "Run `python tools/dev.py vendor` (or the README's build command) first."
        )


def _invalidate_stale_cache(app: Sphinx) -> None:
    cache = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache.parent / ".pgmlib-fingerprint"
    current = pgmlib_fingerprint()
    previous = stamp.read_text().strip() if stamp.is_file() else None
    if previous != current and cache.exists():
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")


def _on_config_inited(app: Sphinx, config) -> None:
    _check_assets(app)
    _invalidate_stale_cache(app)


def setup(app: Sphinx) -> dict:
    os.environ["PGMLIB_WIDGET_MODE"] = "static"
    # Run before myst-nb opens its execution cache (its own handler has the default priority).
    app.connect("config-inited", _on_config_inited, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
