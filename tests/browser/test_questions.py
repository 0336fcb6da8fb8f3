"""Self-check questions on the built site, in Chromium, with no kernel.

Every question (``.pgm-question``, built by ``pgmlib.widgets.question``) on every page: nothing
is shown until the reader chooses; clicking each option shows that option's explanation and no
other; Tab reaches the option buttons and Enter and Space choose; the explanation appears inside
a live region that was in the page before the choice (so screen readers announce it); each
button's accessible name is its letter and the option in plain text; maths in the prompt,
options and explanations is typeset; and axe-core finds nothing serious, in light and dark
mode. What each button should show is read from the page's own widget state. The book must
have at least one question: with none, these tests fail.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from _site import ARTIFACTS, open_page, site_dir, site_pages, slug

pytestmark = pytest.mark.browser

NO_QUESTIONS = "<no page has a self-check question>"
SEVERE = {"serious", "critical"}
MATHS = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
#: Tab presses allowed to reach a question's first button from its prompt (every typeset
#: formula is a tab stop of MathJax's own).
MAX_TABS = 80


@dataclass
class PageQuestion:
    """A question as the page's widget state describes it."""

    name: str
    tooltips: list[str]
    feedback: list[str]  # the explanations' HTML, in the order of the buttons
    formulas: int  # formulas in the prompt and options


def _widget_state(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.search(
        r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', text, re.S
    )
    return json.loads(match.group(1))["state"] if match else {}


def page_questions(path: Path) -> list[PageQuestion]:
    """The questions embedded in a built page, from its widget state."""
    state = _widget_state(path)

    def model(ref: str) -> dict:
        return state[ref.removeprefix("IPY_MODEL_")]["state"]

    found = []
    for entry in state.values():
        classes = entry["state"].get("_dom_classes", [])
        if "pgm-question" not in classes:
            continue
        name = next(c for c in classes if c != "pgm-question").removeprefix("pgm-question-")
        body, choices, stack = (model(ref) for ref in entry["state"]["children"])
        found.append(
            PageQuestion(
                name=name,
                tooltips=list(choices["tooltips"]),
                feedback=[model(ref)["value"] for ref in stack["children"]],
                formulas=len(MATHS.findall(body["value"])),
            )
        )
    return found


def question_pages() -> list[str]:
    site = site_dir()
    if not site.is_dir():
        return []
    return [page for page in site_pages(site) if page_questions(site / page)]


def text_without_maths(fragment: str) -> str:
    """What a reader sees of an explanation's HTML apart from its formulas, squashed."""
    plain = re.sub(r"<[^>]+>", " ", MATHS.sub(" ", fragment))
    return " ".join(html.unescape(plain).split())


# In the browser: the text of an element apart from typeset formulas, and the state of its maths.
SHOWN_JS = r"""
(root) => {
  const parts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("mjx-container")) parts.push(node.textContent);
  }
  const text = parts.join(" ").split(/\s+/).filter(Boolean).join(" ");
  const verdicts = Array.from(root.querySelectorAll(".pgm-question-verdict"));
  return {
    text: text,
    formulas: root.querySelectorAll("mjx-container").length,
    raw: /\\\(|\\\)|\\\[|\\\]|\$/.test(text),
    verdicts: verdicts.length,
    visible: verdicts.filter((v) => v.getClientRects().length > 0).length,
    live: root.closest('[aria-live="polite"], [role="status"]') === root,
  };
}
"""

AX_JS_ROLES = {"button", "status"}


def _ax_nodes(page) -> list[dict]:
    """The accessibility tree Chromium exposes (role, name, live) for buttons and statuses."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    out = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if role in AX_JS_ROLES and not node.get("ignored"):
            props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            out.append({"role": role, "name": node.get("name", {}).get("value", ""), **props})
    return out


def _wait_for_feedback(page, question, index: int, expected: str) -> dict:
    """Wait until the question shows explanation ``index``, typeset; return what it shows."""
    area = question.locator(".pgm-question-feedback")
    shown: dict = {}
    for _ in range(100):  # up to 10 s
        shown = area.evaluate(SHOWN_JS)
        if shown["text"] == expected and not shown["raw"]:
            break
        page.wait_for_timeout(100)
    return shown


def _check_shown(shown: dict, expected_text: str, expected_html: str, where: str) -> list[str]:
    failures = []
    if shown["text"] != expected_text:
        failures.append(f"{where}: shows {shown['text']!r}, expected {expected_text!r}")
    if shown["verdicts"] != 1 or shown["visible"] != 1:
        failures.append(f"{where}: {shown['visible']} of {shown['verdicts']} explanations shown")
    if shown["raw"]:
        failures.append(f"{where}: raw TeX or $ left in {shown['text']!r}")
    if shown["formulas"] != len(MATHS.findall(expected_html)):
        failures.append(f"{where}: {shown['formulas']} typeset formulas in the explanation")
    if not shown["live"]:
        failures.append(f"{where}: the explanation area is not a live region")
    return failures


def _screenshot(box, name: str) -> None:
    """The question alone, as shown now, into test-artifacts/screenshots/."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(path))


def _audit(visits, page, name: str, rules: list[str] | None = None) -> list[str]:
    page.add_script_tag(content=visits.axe_source())
    options: dict = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate(
        "async ([selector, options]) => await axe.run(selector, options)",
        [f".pgm-question-{name}", options],
    )
    return [
        f"axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]


QUESTION_PAGES = question_pages()


def test_the_book_has_self_check_questions():
    assert QUESTION_PAGES, NO_QUESTIONS


@pytest.mark.parametrize("question_page", QUESTION_PAGES or [NO_QUESTIONS])
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_option_shows_its_own_explanation(question_page, mode, site, visits, server):
    """Click every option in turn: its explanation (and no other) appears, typeset, in a live
    region that was there before; names, maths and contrast pass."""
    assert question_page != NO_QUESTIONS, NO_QUESTIONS
    questions = page_questions(site / question_page)
    context = visits.new_context(dark=mode == "dark")
    failures: list[str] = []
    try:
        page, load = open_page(context, server.url(question_page), server)
        assert page.locator(".pgm-question").count() == len(questions), "questions not rendered"
        for q in questions:
            where = f"{question_page} {q.name} ({mode})"
            box = page.locator(f".pgm-question-{q.name}")
            box.scroll_into_view_if_needed()
            area = box.locator(".pgm-question-feedback")
            # Before any choice: no explanation, a live region already in place, maths typeset.
            before = area.evaluate(SHOWN_JS)
            if before["verdicts"] or before["text"]:
                failures.append(f"{where}: an explanation shows before any choice")
            area.evaluate("(e) => e.setAttribute('data-pgm-before', 'yes')")
            body = box.locator(".pgm-question-body").evaluate(SHOWN_JS)
            if body["raw"] or body["formulas"] != q.formulas:
                failures.append(f"{where}: prompt has {body['formulas']} of {q.formulas} formulas")
            statuses = [n for n in _ax_nodes(page) if n["role"] == "status"]
            if not any(n.get("live") == "polite" for n in statuses):
                failures.append(f"{where}: no polite live region in the accessibility tree")
            buttons = box.locator(".pgm-question-choices button")
            names = [n["name"] for n in _ax_nodes(page) if n["role"] == "button"]
            for tooltip in q.tooltips:
                if tooltip not in names:
                    failures.append(f"{where}: no button is named {tooltip!r}")
            for index, feedback in enumerate(q.feedback):
                buttons.nth(index).click()
                expected = text_without_maths(feedback)
                shown = _wait_for_feedback(page, box, index, expected)
                failures += _check_shown(shown, expected, feedback, f"{where} option {index}")
                if area.get_attribute("data-pgm-before") != "yes":
                    failures.append(f"{where}: the live region was replaced, not updated")
                pressed = buttons.evaluate_all("(bs) => bs.map((b) => b.ariaPressed)")
                if pressed != ["true" if i == index else "false" for i in range(len(q.feedback))]:
                    failures.append(f"{where} option {index}: aria-pressed {pressed}")
                # every explanation on screen is audited (right and wrong ones differ in style)
                failures += _audit(
                    visits, page, q.name, None if mode == "light" else ["color-contrast"]
                )
            _screenshot(box, f"{slug(question_page)}-question-{q.name}-{mode}")
        failures += load.problems()
    finally:
        context.close()
    assert not failures, "\n  ".join(failures)


@pytest.mark.parametrize("question_page", QUESTION_PAGES or [NO_QUESTIONS])
def test_keyboard_reaches_the_options_and_chooses(question_page, site, visits, server):
    """From the prompt, Tab reaches the first option button; Enter chooses it; Tab moves to the
    next button and Space chooses that one. Each time its explanation appears."""
    assert question_page != NO_QUESTIONS, NO_QUESTIONS
    questions = page_questions(site / question_page)
    context = visits.new_context()
    failures: list[str] = []
    try:
        page, load = open_page(context, server.url(question_page), server)
        for q in questions:
            where = f"{question_page} {q.name}"
            box = page.locator(f".pgm-question-{q.name}")
            box.locator(".pgm-question-prompt strong").first.click()  # start of the question
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                if page.evaluate(
                    "(n) => !!document.activeElement.closest(`.pgm-question-${n} "
                    ".pgm-question-choices`)",
                    q.name,
                ):
                    break
            else:
                failures.append(f"{where}: {MAX_TABS} Tab presses never reached an option")
                continue
            for key, index in (("Enter", 0), ("Space", 1)):
                if key == "Space":
                    page.keyboard.press("Tab")
                focused = page.evaluate("() => document.activeElement.getAttribute('value')")
                if focused != str(index):
                    failures.append(f"{where}: focus on button {focused}, expected {index}")
                page.keyboard.press(key)
                expected = text_without_maths(q.feedback[index])
                shown = _wait_for_feedback(page, box, index, expected)
                failures += _check_shown(shown, expected, q.feedback[index], f"{where} {key}")
            _screenshot(box, f"{slug(question_page)}-question-{q.name}-keyboard")
        failures += load.problems()
    finally:
        context.close()
    assert not failures, "\n  ".join(failures)
