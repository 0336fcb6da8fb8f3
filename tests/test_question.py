"""Tests of pgmlib.widgets.question: the self-check questions.

The builder refuses malformed questions with messages that name the problem; the widget tree
is the same in both modes (prompt, letter buttons, one explanation per option in a Stack
jslinked to the buttons); each explanation opens with the verdict the builder adds; choosing an
option from Python shows its explanation; and the key is inspectable. Whether the keys of the
book's own questions are right is checked, by computation, in tests/test_question_keys.py.
"""

from __future__ import annotations

import re

import ipywidgets
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pgmlib import widgets
from pgmlib.widgets import Option, Question, option, question
from pgmlib.widgets._question import CORRECT, NOT_QUITE, _math_html, _plain_text

MODES = ["live", "static"]


def three_options() -> list[Option]:
    return [
        option("Over $q$, with $p$ fixed", "Only the gap depends on $q$.", correct=True),
        option("Over $p$, with $q$ fixed", "Linear in $p$: a point mass wins."),
        ("Over both", False, "A point mass for both gives $0$."),
    ]


def make(mode: str = "static", **kwargs) -> Question:
    options = kwargs.pop("options", three_options())
    return question("Which minimisation recovers $p$?", options, name="demo", mode=mode, **kwargs)


def visible_text(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped, whitespace squashed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


# --- the builder refuses bad input -------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 6])
def test_two_to_five_options(count):
    options = [(f"option {i}", i == 0, f"why {i}") for i in range(count)]
    with pytest.raises(ValueError, match=rf"needs 2 to 5 options; got {count}"):
        make(options=options)


def test_exactly_one_correct_option():
    none = [("a", False, "x"), ("b", False, "y")]
    with pytest.raises(ValueError, match=r"exactly one option must be correct; got none"):
        make(options=none)
    two = [("a", True, "x"), ("b", False, "y"), ("c", True, "z")]
    with pytest.raises(ValueError, match=r"exactly one option must be correct; got 2 \(A, C\)"):
        make(options=two)


def test_options_must_be_distinct():
    same = [("Over q", True, "x"), ("over  Q", False, "y")]
    with pytest.raises(ValueError, match=r"options A and B are the same \('over Q'\)"):
        make(options=same)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([("", True, "x"), ("b", False, "y")], r"option `text` must be a non-empty string"),
        ([("a", True, "   "), ("b", False, "y")], r"`feedback` of option 'a' must be a non-empty"),
        ([("a", True, None), ("b", False, "y")], r"`feedback` of option 'a' must be a non-empty"),
    ],
)
def test_texts_must_not_be_empty(options, message):
    with pytest.raises(ValueError, match=message):
        make(options=options)


def test_prompt_and_name_are_checked():
    with pytest.raises(ValueError, match=r"`prompt` must be a non-empty string; got ''"):
        question("", three_options(), name="demo")
    with pytest.raises(ValueError, match=r"`name` must be a Python identifier; got 'a-b'"):
        question("Why?", three_options(), name="a-b")
    with pytest.raises(ValueError, match=r"`mode` must be 'live', 'static' or None; got 'web'"):
        question("Why?", three_options(), name="demo", mode="web")


def test_options_must_be_options_or_triples():
    with pytest.raises(TypeError, match=r"`options` must be a sequence of options; got 'ab'"):
        make(options="ab")
    with pytest.raises(TypeError, match=r"option 2 must be an Option .* or a \(text, is_correct"):
        make(options=[("a", True, "x"), ("b", False)])
    with pytest.raises(TypeError, match=r"`correct` of option 'b' must be True or False; got 1"):
        make(options=[("a", True, "x"), ("b", 1, "y")])


@pytest.mark.parametrize("feedback", ["Correct: it is.", "not quite, because", "  Correct"])
def test_feedback_must_not_carry_the_verdict(feedback):
    with pytest.raises(ValueError, match=r"must be the explanation only: the question puts"):
        option("a", feedback, correct=True)


@pytest.mark.parametrize(
    ("text", "what"),
    [("costs $5", "option"), ("a $x$ and $y", "option"), ("empty $$$$ maths", "option")],
)
def test_unmatched_or_empty_maths_is_refused(text, what):
    with pytest.raises(ValueError, match=rf"{what} .* (unmatched `\$`|empty maths)"):
        option(text, "why")


def test_unmatched_dollar_in_feedback_and_prompt():
    with pytest.raises(ValueError, match=r"`feedback` of option 'a' has an unmatched `\$`"):
        option("a", "costs $5", correct=True)
    with pytest.raises(ValueError, match=r"`prompt` has an unmatched `\$`"):
        question("Is $x > 0?", three_options(), name="demo")


def test_maths_that_is_not_plain_text_needs_a_plain_reading():
    with pytest.raises(ValueError, match=r"does not read as plain text .*plain=\.\.\."):
        option("$\\mathrm{KL}(p \\| q)$ is zero", "why")
    o = option("$\\mathrm{KL}(p \\| q)$ is zero", "why", plain="KL(p || q) is zero")
    assert o.plain == "KL(p || q) is zero"
    with pytest.raises(ValueError, match=r"`plain` of option .* must hold no `\$` maths"):
        option("$x^2$", "why", plain="$x^2$")
    with pytest.raises(ValueError, match=r"`plain` of option .* must be a non-empty string"):
        option("$x^2$", "why", plain=" ")


# --- text and maths ----------------------------------------------------------------------------


def test_maths_becomes_mathjax_delimiters_and_text_is_escaped():
    assert _math_html("If $a < b$ & $$c$$") == "If \\(a &lt; b\\) &amp; \\[c\\]"
    assert _math_html("costs \\$5, or $\\$5$") == "costs $5, or \\(\\$5\\)"
    assert _math_html("<b>bold</b>") == "&lt;b&gt;bold&lt;/b&gt;"


def test_plain_reading_unwraps_plain_maths():
    assert _plain_text("Minimise $H(p, q)$ over $q$") == "Minimise H(p, q) over q"
    assert _plain_text("a \\$5 note") == "a $5 note"


@given(st.text(alphabet=st.characters(blacklist_characters="$\\"), min_size=1))
def test_text_without_maths_reads_back_unchanged(text):
    """Property: text with no maths comes back from the HTML as it went in (escaped only)."""
    import html

    assert html.unescape(_math_html(text)) == text
    assert _plain_text(text) == " ".join(text.split())


# --- the widget tree ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_structure_is_the_same_in_both_modes(mode):
    q = make(mode)
    assert isinstance(q, ipywidgets.VBox)
    assert {"pgm-question", "pgm-question-demo"} <= set(q._dom_classes)
    body, choices, feedback = q.children
    assert isinstance(body, ipywidgets.HTMLMath) and "pgm-question-body" in body._dom_classes
    assert choices is q.choices and isinstance(choices, ipywidgets.ToggleButtons)
    assert feedback is q.feedback and isinstance(feedback, ipywidgets.Stack)
    assert "pgm-question-choices" in choices._dom_classes
    assert "pgm-question-feedback" in feedback._dom_classes
    assert choices.options == ("A", "B", "C")
    assert choices.index is None and feedback.selected_index is None  # nothing chosen yet
    assert choices.description == "Your answer"
    # one explanation per option, in order, every one typeset maths
    assert len(feedback.children) == len(q.options) == 3
    assert all(isinstance(page, ipywidgets.HTMLMath) for page in feedback.children)


@pytest.mark.parametrize("mode", MODES)
def test_buttons_are_jslinked_to_the_explanations(mode):
    q = make(mode)
    assert len(q.links) == 1
    link = q.links[0]
    assert isinstance(link, ipywidgets.widgets.widget_link.Link)
    assert link.source == (q.choices, "index")
    assert link.target == (q.feedback, "selected_index")


def test_prompt_shows_every_option_with_its_letter():
    q = make()
    body = q.children[0].value
    assert "Which minimisation recovers \\(p\\)?" in body
    lines = [visible_text(line) for line in body.splitlines()[1:]]
    assert lines == ["A. Over \\(q\\), with \\(p\\) fixed", "B. Over \\(p\\), with \\(q\\) fixed",
                     "C. Over both"]  # fmt: skip


def test_buttons_carry_letter_and_plain_text_as_tooltips():
    q = make()
    assert q.choices.tooltips == (
        "A: Over q, with p fixed",
        "B: Over p, with q fixed",
        "C: Over both",
    )


@pytest.mark.parametrize("mode", MODES)
def test_each_explanation_opens_with_its_verdict(mode):
    q = make(mode)
    for index, o in enumerate(q.options):
        text = visible_text(q.feedback_html(index))
        verdict = CORRECT if o.correct else NOT_QUITE
        assert text == f"{verdict} {visible_text(_math_html(o.feedback))}"
        assert text.startswith("Correct" if index == q.correct_index else "Not quite")


def test_live_explanations_are_alerts_static_ones_are_not():
    """In a kernel's front end the explanation announces itself (role="alert"); on the site the
    page script makes the Stack a live region instead (tests/browser/test_questions.py)."""
    live, static = make("live"), make("static")
    assert all('role="alert"' in live.feedback_html(i) for i in range(3))
    assert not any("role=" in static.feedback_html(i) for i in range(3))


def test_mode_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(widgets.MODE_ENV, "static")
    assert make(mode=None).mode == "static"
    monkeypatch.delenv(widgets.MODE_ENV)
    assert make(mode=None).mode == "live"


# --- choosing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_choosing_from_python_shows_that_explanation(mode):
    q = make(mode)
    for index in (2, 0, 1, 1):
        q.choose(index)
        assert q.chosen == q.choices.index == index
        assert q.feedback.selected_index == index
        shown = q.feedback.children[q.feedback.selected_index]
        assert shown.value == q.feedback_html(index)


def test_choosing_by_letter_or_by_setting_the_buttons():
    q = make()
    q.choose("c")
    assert q.feedback.selected_index == 2
    q.choices.index = 0  # as the front end does when a button is clicked
    assert q.feedback.selected_index == 0
    q.choices.value = "B"
    assert q.feedback.selected_index == 1


@pytest.mark.parametrize("bad", [3, -1, "D", "AB", True, 1.0, None])
def test_choosing_something_that_is_not_an_option_is_refused(bad):
    q = make()
    with pytest.raises(ValueError, match=r"`choice` must be a position 0-2 or a letter of A, B, C"):
        q.choose(bad)
    assert q.chosen is None and q.feedback.selected_index is None


# --- the key -----------------------------------------------------------------------------------


def test_key_is_inspectable():
    q = make()
    assert q.correct_index == 0
    assert q.correct_option is q.options[0] and q.correct_option.correct
    assert [o.correct for o in q.options] == [True, False, False]
    assert q.options[2] == Option(
        "Over both", False, "A point mass for both gives $0$.", "Over both"
    )
    assert q.name == "demo" and q.prompt == "Which minimisation recovers $p$?"


@given(st.integers(min_value=2, max_value=5), st.data())
def test_key_follows_the_correct_option_wherever_it_is(count, data):
    """Property: for any number of options and any position of the right one, the key, the
    verdicts and the jslinked Stack agree."""
    right = data.draw(st.integers(min_value=0, max_value=count - 1))
    options = [(f"option {i}", i == right, f"because {i}") for i in range(count)]
    q = question("Which?", options, name="any", mode="static")
    assert q.correct_index == right
    assert len(q.choices.options) == len(q.feedback.children) == count
    verdicts = [visible_text(q.feedback_html(i)).split(".")[0] for i in range(count)]
    assert verdicts == ["Correct" if i == right else "Not quite" for i in range(count)]
    q.choose(right)
    assert q.feedback.selected_index == right


def test_question_is_exported():
    assert widgets.question is question and widgets.option is option
    assert {"question", "option", "Question", "Option"} <= set(widgets.__all__)
