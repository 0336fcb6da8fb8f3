"""tools/pgmbook.py, the book's Sphinx extension: asset checks, page clean-up, cache stamp."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript
from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import pgmbook  # noqa: E402

THEBE_BODY = 'const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"'


def _app(confdir: Path, thebe: bool = False) -> SimpleNamespace:
    config = SimpleNamespace(html_theme_options={"launch_buttons": {"thebe": thebe}})
    return SimpleNamespace(confdir=str(confdir), config=config)


def test_clean_assets_drops_repeats_whatever_their_priority():
    scripts = [
        _JavaScript("doctools.js", priority=200),
        _JavaScript(None, body="var togglebuttonSelector = '.toggle';"),
        _JavaScript("doctools.js", priority=500),
        _JavaScript(None, body="var togglebuttonSelector = '.toggle';", priority=501),
        _JavaScript("embed-amd.js", **{"data-jupyter-widgets-cdn": "npm/"}),
        _JavaScript("embed-amd.js"),  # different attributes: a different tag, kept
    ]
    kept = pgmbook.clean_assets(scripts, drop_thebe=False)
    assert kept == [scripts[0], scripts[1], scripts[4], scripts[5]]


def test_clean_assets_drops_thebe_only_when_asked():
    scripts = [
        _JavaScript(None, body=THEBE_BODY),
        _JavaScript("sphinx-thebe.js", **{"async": "async"}),
        _JavaScript(None, body=THEBE_BODY, priority=600),
        _JavaScript("require.js"),
    ]
    sheets = [_CascadingStyleSheet("sphinx-thebe.css"), _CascadingStyleSheet("pgmbook.css")]
    assert pgmbook.clean_assets(scripts, drop_thebe=True) == [scripts[3]]
    assert pgmbook.clean_assets(scripts, drop_thebe=False) == [scripts[0], scripts[1], scripts[3]]
    assert pgmbook.clean_assets(sheets, drop_thebe=True) == [sheets[1]]


def test_page_context_handler_cleans_scripts_styles_and_body(tmp_path):
    context = {
        "script_files": [_JavaScript(None, body=THEBE_BODY), _JavaScript("a.js")] * 2,
        "css_files": [_CascadingStyleSheet("sphinx-thebe.css")],
        "body": '<div role="list"><div class="citation" role="doc-biblioentry">x</div></div>',
    }
    pgmbook._on_html_page_context(_app(tmp_path), "page", "page.html", context, None)
    assert [str(js.filename) for js in context["script_files"]] == ["a.js"]
    assert context["css_files"] == []
    assert 'role="listitem"' in context["body"] and "doc-biblioentry" not in context["body"]


def test_thebe_switch_is_read_from_the_theme_options(tmp_path):
    assert pgmbook._thebe_enabled(_app(tmp_path, thebe=True))
    assert not pgmbook._thebe_enabled(_app(tmp_path, thebe=False))
    bare = SimpleNamespace(config=SimpleNamespace(html_theme_options={}))
    assert not pgmbook._thebe_enabled(bare)


def test_missing_vendored_assets_stop_the_build_with_the_fix(tmp_path):
    with pytest.raises(ConfigError, match=r"tools/dev\.py vendor"):
        pgmbook._check_assets(_app(tmp_path))
    for name in pgmbook.REQUIRED_ASSETS:
        (tmp_path / "_vendor" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "_vendor" / name).write_text("//")
    with pytest.raises(ConfigError, match=r"book's own assets are missing.*pgmbook\.css"):
        pgmbook._check_assets(_app(tmp_path))
    (tmp_path / "book-assets").mkdir()
    for name in pgmbook.BOOK_ASSETS:
        (tmp_path / "book-assets" / name).write_text("/* */")
    pgmbook._check_assets(_app(tmp_path))  # complete: no error


def test_the_repository_has_every_book_asset():
    missing = [n for n in pgmbook.BOOK_ASSETS if not (ROOT / "book-assets" / n).is_file()]
    assert not missing


def test_fingerprint_follows_pgmlib_sources(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    first = pgmbook.pgmlib_fingerprint(package)
    assert pgmbook.pgmlib_fingerprint(package) == first
    (package / "a.py").write_text("x = 2\n")
    assert pgmbook.pgmlib_fingerprint(package) != first


def test_accessible_body_leaves_other_roles_alone():
    body = '<nav role="navigation"><div role="doc-biblioentry"></div></nav>'
    assert pgmbook.accessible_body(body) == (
        '<nav role="navigation"><div role="listitem"></div></nav>'
    )


def _env(docs: dict[str, str]) -> SimpleNamespace:
    return SimpleNamespace(found_docs=set(docs), doc2path=lambda doc: f"/book/{docs[doc]}")


def test_a_pgmlib_change_marks_every_notebook_page_outdated():
    docs = {"index": "index.md", "chapters/a": "chapters/a.ipynb", "chapters/b": "chapters/b.ipynb"}
    app = SimpleNamespace(pgmbook_pgmlib_changed=True)
    assert pgmbook.stale_notebooks(app, _env(docs), set(), set(), set()) == [
        "chapters/a",
        "chapters/b",
    ]
    # pages Sphinx already reads (new ones) are not repeated
    assert pgmbook.stale_notebooks(app, _env(docs), {"chapters/a"}, set(), set()) == ["chapters/b"]


def test_an_unchanged_pgmlib_leaves_the_incremental_build_alone():
    docs = {"chapters/a": "chapters/a.ipynb"}
    app = SimpleNamespace(pgmbook_pgmlib_changed=False)
    assert pgmbook.stale_notebooks(app, _env(docs), set(), set(), set()) == []


def test_the_stamp_reports_whether_pgmlib_changed(tmp_path, monkeypatch):
    config = SimpleNamespace(nb_execution_cache_path=str(tmp_path / "_build" / ".jupyter_cache"))
    app = SimpleNamespace(config=config, outdir=str(tmp_path / "_build" / "html"))
    (tmp_path / "_build" / ".jupyter_cache").mkdir(parents=True)
    assert pgmbook._invalidate_stale_cache(app) is True  # first build: no stamp yet
    (tmp_path / "_build" / ".jupyter_cache").mkdir()
    assert pgmbook._invalidate_stale_cache(app) is False
    assert (tmp_path / "_build" / ".jupyter_cache").exists()  # unchanged: cache kept
    monkeypatch.setattr(pgmbook, "pgmlib_fingerprint", lambda: "something else")
    assert pgmbook._invalidate_stale_cache(app) is True
    assert not (tmp_path / "_build" / ".jupyter_cache").exists()  # changed: cache dropped


def test_doc_targets_lose_a_source_suffix_and_nothing_else_changes():
    from docutils import nodes
    from sphinx import addnodes

    def xref(reftype: str, target: str) -> addnodes.pending_xref:
        return addnodes.pending_xref("", refdomain="std", reftype=reftype, reftarget=target)

    doctree = nodes.document(None, None)
    refs = [
        xref("doc", "errata.md"),
        xref("doc", "../chapters/likelihood.ipynb"),
        xref("doc", "errata"),
        xref("ref", "note.md"),
    ]
    doctree.extend(refs)
    app = SimpleNamespace(config=SimpleNamespace(source_suffix={".md": "myst", ".ipynb": "nb"}))
    pgmbook.doc_targets_without_suffix(app, doctree)
    assert [ref["reftarget"] for ref in refs] == [
        "errata",
        "../chapters/likelihood",
        "errata",
        "note.md",
    ]
