"""Sphinx extension that ties the book build to pgmlib (loaded through ``_config.yml``).

It does six things, each of which a plain ``jupyter-book build .`` needs:

1. Sets ``PGMLIB_WIDGET_MODE=static`` in the build's environment. Kernels that execute the
   notebooks inherit it, so every explorer is built in its *static* form: precomputed frames
   linked to the sliders in the browser, which work on the website with no kernel. In
   JupyterLab or Binder the variable is unset and the same call gives the *live* explorer.
2. Clears the notebook execution cache when pgmlib's source changes. The cache is keyed on
   notebook content only, so without this a cached rebuild would show figures drawn by an
   older pgmlib.
3. Refuses to build without the vendored browser assets (MathJax, require.js, the widget
   manager) and the book's own (``book-assets/``), which keep the site free of third-party
   requests.
4. Cleans each page's script list: a script registered twice is written once (Jupyter Book 1
   writes sphinx-thebe's inline configuration twice, and the second copy throws "Identifier
   'THEBE_JS_URL' has already been declared" on every page), and when the Thebe launch button
   is off, sphinx-thebe's scripts and stylesheet are left out altogether.
5. Repairs one accessibility defect of docutils' HTML (bibliography entries get a valid ARIA
   role); see :func:`accessible_body`. (Fixes to the theme's controls live in
   ``book-assets/pgmbook.js``.)
6. Lets a ``{doc}`` role name the page's file (``{doc}`Errata <errata.md>```): the notebooks
   write it so (tools/numbering.py), because JupyterLab opens a link only to an existing file;
   the website resolves it to the page as if the suffix were not there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
PGMLIB = ROOT / "pgmlib"
REQUIRED_ASSETS = (
    "mathjax/tex-mml-chtml.js",
    "require.js",
    "@jupyter-widgets/html-manager/dist/embed-amd.js",
)
#: The book's own CSS/JS (in html_static_path; deliberately not in a folder named ``_static``).
BOOK_ASSETS = ("pgmbook.css", "pgmbook.js", "pgmbook-widgets.js", "favicon.svg")


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
    own = Path(app.confdir) / "book-assets"
    missing = [name for name in BOOK_ASSETS if not (own / name).is_file()]
    if missing:
        raise ConfigError(f"the book's own assets are missing from {own}: {', '.join(missing)}.")


def _invalidate_stale_cache(app: Sphinx) -> bool:
    """Drop the execution cache when pgmlib changed since the last build; True if it did."""
    cache = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache.parent / ".pgmlib-fingerprint"
    current = pgmlib_fingerprint()
    previous = stamp.read_text().strip() if stamp.is_file() else None
    if previous != current and cache.exists():
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return previous != current


def _on_config_inited(app: Sphinx, config) -> None:
    _check_assets(app)
    app.pgmbook_pgmlib_changed = _invalidate_stale_cache(app)


def stale_notebooks(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Sphinx ``env-get-outdated``: after a pgmlib change, every notebook page is stale.

    Sphinx re-reads only pages whose source changed, and an unchanged notebook would keep the
    figures and explorer frames that an older pgmlib drew. Marking every notebook outdated makes
    Sphinx re-read it, and myst-nb re-execute it (its cache was cleared above).
    """
    if not getattr(app, "pgmbook_pgmlib_changed", False):
        return []
    return sorted(
        doc
        for doc in env.found_docs
        if str(env.doc2path(doc)).endswith(".ipynb") and doc not in added
    )


def _thebe_enabled(app: Sphinx) -> bool:
    launch = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    return bool(launch.get("thebe"))


def _is_thebe_asset(asset) -> bool:
    name = str(asset.filename or "")
    return "sphinx-thebe" in name or "THEBE_JS_URL" in asset.attributes.get("body", "")


def clean_assets(assets: list, *, drop_thebe: bool) -> list:
    """``assets`` (Sphinx ``_JavaScript``/``_CascadingStyleSheet``) without repeats, in order.

    Two entries are the same when they have the same file name (or inline body) and the same
    attributes, whatever their priority. With ``drop_thebe``, sphinx-thebe's entries go too.
    """
    seen: set[tuple] = set()
    kept = []
    for asset in assets:
        key = (str(asset.filename or ""), tuple(sorted(asset.attributes.items())))
        if key in seen or (drop_thebe and _is_thebe_asset(asset)):
            continue
        seen.add(key)
        kept.append(asset)
    return kept


def accessible_body(body: str) -> str:
    """Page HTML with docutils' bibliography roles made valid ARIA.

    docutils marks the reference list ``role="list"`` and each entry ``role="doc-biblioentry"``,
    a role ARIA 1.2 deprecates; a list must hold list items (axe-core: aria-required-children,
    critical). Each entry becomes a ``listitem``.
    """
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


def doc_targets_without_suffix(app: Sphinx, doctree) -> None:
    """Sphinx ``doctree-read``: a ``{doc}`` target loses its source suffix (``errata.md``).

    The reference then resolves, and renders, exactly as one written without the suffix.
    """
    suffixes = tuple(app.config.source_suffix)
    for node in doctree.findall(addnodes.pending_xref):
        target = node.get("reftarget", "")
        if node.get("reftype") == "doc" and target.endswith(suffixes):
            node["reftarget"] = os.path.splitext(target)[0]


def _on_html_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    drop_thebe = not _thebe_enabled(app)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = clean_assets(list(context[key]), drop_thebe=drop_thebe)
    if isinstance(context.get("body"), str):
        context["body"] = accessible_body(context["body"])


def setup(app: Sphinx) -> dict:
    os.environ["PGMLIB_WIDGET_MODE"] = "static"
    # Run before myst-nb opens its execution cache (its own handler has the default priority).
    app.connect("config-inited", _on_config_inited, priority=100)
    app.connect("env-get-outdated", stale_notebooks)
    app.connect("doctree-read", doc_targets_without_suffix)
    # After every other extension has added its per-page files (myst-nb: widget scripts).
    app.connect("html-page-context", _on_html_page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
