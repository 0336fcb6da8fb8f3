"""Self-check questions: multiple choice with feedback on every option, live and static.

A question is a prompt, two to five lettered options (maths allowed) and one explanation per
option. The reader picks a letter; the explanation of that option appears under the buttons,
opening with "Correct." for the right option and "Not quite." for the others (the question
adds these words: authors write only the explanation).

The same widget tree works with and without a kernel: the buttons' ``index`` is ``jslink``-ed
to the ``selected_index`` of a ``Stack`` holding the precomputed explanations, exactly as the
explorers switch frames, so the page needs no kernel; a Python observer does the same when
the choice is made from Python (tests, a kernel). See :func:`question`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ._core import resolve_mode

__all__ = ["CORRECT", "NOT_QUITE", "Option", "Question", "option", "question"]

#: The verdicts the question puts before each explanation.
CORRECT = "Correct."
NOT_QUITE = "Not quite."
LETTERS = "ABCDE"
MIN_OPTIONS, MAX_OPTIONS = 2, len(LETTERS)

#: ``$$...$$`` (display) or ``$...$`` (inline) maths; ``\$`` is a literal dollar sign.
_MATH = re.compile(
    r"(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$|(?<!\\)\$(?P<inline>.+?)(?<!\\)\$", re.S
)
_LONE_DOLLAR = re.compile(r"(?<!\\)\$")
#: Maths that reads the same as plain text: letters, digits, spaces, brackets and operators.
_PLAIN_MATHS = re.compile(r"[A-Za-z0-9\s(),.;:=+\-<>|'/!]*")
_VERDICT_START = re.compile(r"\s*(correct|not quite)\b", re.I)


@dataclass(frozen=True)
class Option:
    """One answer of a self-check question (build it with :func:`option`).

    Attributes
    ----------
    text : str
        What the reader sees: plain text with ``$...$`` maths (HTML is escaped).
    correct : bool
        Whether this is the right answer.
    feedback : str
        Why the option is right or wrong (plain text with maths), without the verdict: the
        question puts "Correct." or "Not quite." before it.
    plain : str
        The option read as plain text: the button's tooltip and accessible name.
    """

    text: str
    correct: bool
    feedback: str
    plain: str


def _check_identifier(name: Any) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"`name` must be a Python identifier; got {name!r}")
    return name


def _check_text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string; got {value!r}")
    return " ".join(value.split())


def _math_pieces(text: str, what: str) -> list[tuple[str, str]]:
    """``text`` as (kind, content) pieces, kind in {"text", "inline", "display"}."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in _MATH.finditer(text):
        pieces.append(("text", text[position : match.start()]))
        kind = "display" if match["display"] is not None else "inline"
        pieces.append((kind, match[kind]))
        position = match.end()
    pieces.append(("text", text[position:]))
    for kind, content in pieces:
        if kind == "text" and _LONE_DOLLAR.search(content):
            raise ValueError(
                f"{what} has an unmatched `$` (write `\\$` for a dollar sign); got {text!r}"
            )
        if kind != "text" and not content.strip():
            raise ValueError(f"{what} has empty maths `$$`; got {text!r}")
    return pieces


def _math_html(text: str, what: str = "text") -> str:
    """HTML for plain text with ``$...$`` / ``$$...$$`` maths, for ipywidgets' HTMLMath.

    Text is HTML-escaped; maths becomes ``\\(...\\)`` or ``\\[...\\]``, the delimiters that both
    the book's MathJax 3 and JupyterLab's typesetter read.

    Raises
    ------
    ValueError
        If a ``$`` is unmatched (a literal dollar sign is written ``\\$``).

    Examples
    --------
    >>> _math_html("If $p < q$ then \\\\$1")
    'If \\\\(p &lt; q\\\\) then $1'
    """
    delimiters = {"inline": ("\\(", "\\)"), "display": ("\\[", "\\]")}
    out = []
    for kind, content in _math_pieces(text, what):
        if kind == "text":
            out.append(html.escape(content.replace("\\$", "$"), quote=False))
        else:
            opening, closing = delimiters[kind]
            out.append(opening + html.escape(content.strip(), quote=False) + closing)
    return "".join(out)


def _plain_text(text: str, what: str = "text") -> str:
    """``text`` with its maths read as plain text, when the maths is plain already.

    Raises
    ------
    ValueError
        If some maths holds TeX commands, braces, sub- or superscripts (``\\mathrm``, ``x^2``):
        such an option needs its plain-text reading written out (``option(..., plain=...)``).

    Examples
    --------
    >>> _plain_text("Minimise $H(p, q)$ over $q$")
    'Minimise H(p, q) over q'
    """
    out = []
    for kind, content in _math_pieces(text, what):
        if kind != "text" and not _PLAIN_MATHS.fullmatch(content):
            raise ValueError(
                f"{what} holds maths that does not read as plain text (${content}$): give its "
                "plain-text reading with option(..., plain=...), used for the button's tooltip "
                "and accessible name"
            )
        out.append(content.replace("\\$", "$") if kind == "text" else content.strip())
    return " ".join("".join(out).split())


def option(text: str, feedback: str, *, correct: bool = False, plain: str | None = None) -> Option:
    """One answer of a :func:`question`.

    Parameters
    ----------
    text : str
        The option as the reader sees it: plain text with ``$...$`` maths.
    feedback : str
        Why it is right or wrong (plain text with maths). Do not start with "Correct" or "Not
        quite": the question adds the verdict itself.
    correct : bool
        Whether this is the right answer (exactly one option of a question is).
    plain : str, optional
        The option read as plain text (the button's tooltip and accessible name). Needed only
        when ``text`` holds maths that does not read as plain text (``$\\mathrm{KL}(p \\| q)$``);
        by default ``text`` with plain maths unwrapped (``$H(p, q)$`` reads "H(p, q)").

    Returns
    -------
    Option

    Raises
    ------
    ValueError
        If a text is empty, a `$` is unmatched, the feedback starts with a verdict, or maths
        in ``text`` needs a ``plain`` reading that is missing.
    TypeError
        If ``correct`` is not a bool.

    Examples
    --------
    >>> o = option("Over $q$, with $p$ fixed", "Only $q$ moves.", correct=True)
    >>> o.plain, o.correct
    ('Over q, with p fixed', True)
    """
    text = _check_text(text, "option `text`")
    feedback = _check_text(feedback, f"`feedback` of option {text!r}")
    if not isinstance(correct, bool):
        raise TypeError(f"`correct` of option {text!r} must be True or False; got {correct!r}")
    if _VERDICT_START.match(feedback):
        raise ValueError(
            f"`feedback` of option {text!r} must be the explanation only: the question puts "
            f"{CORRECT!r} or {NOT_QUITE!r} before it; got {feedback[:40]!r}"
        )
    _math_html(feedback, f"`feedback` of option {text!r}")
    _math_html(text, f"option {text!r}")
    if plain is None:
        plain = _plain_text(text, f"option {text!r}")
    else:
        plain = _check_text(plain, f"`plain` of option {text!r}")
        if _LONE_DOLLAR.search(plain):
            raise ValueError(f"`plain` of option {text!r} must hold no `$` maths; got {plain!r}")
    return Option(text=text, correct=correct, feedback=feedback, plain=plain)


def _as_option(item: Any, position: int) -> Option:
    if isinstance(item, Option):
        return item
    if isinstance(item, (tuple, list)) and len(item) == 3:
        text, correct, feedback = item
        return option(text, feedback, correct=correct)
    raise TypeError(
        f"option {position + 1} must be an Option (pgmlib.widgets.option) or a "
        f"(text, is_correct, feedback) triple; got {item!r}"
    )


def _check_options(options: Any) -> tuple[Option, ...]:
    if isinstance(options, (str, bytes)) or not isinstance(options, Sequence):
        raise TypeError(f"`options` must be a sequence of options; got {options!r}")
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ValueError(
            f"a question needs {MIN_OPTIONS} to {MAX_OPTIONS} options; got {len(options)}"
        )
    checked = tuple(_as_option(item, i) for i, item in enumerate(options))
    right = [LETTERS[i] for i, o in enumerate(checked) if o.correct]
    if len(right) != 1:
        raise ValueError(
            "exactly one option must be correct; got "
            + (f"{len(right)} ({', '.join(right)})" if right else "none")
        )
    seen: dict[str, str] = {}
    for letter, o in zip(LETTERS, checked, strict=False):
        key = o.text.casefold()
        if key in seen:
            raise ValueError(
                f"options {seen[key]} and {letter} are the same ({o.text!r}): options must be "
                "distinct"
            )
        seen[key] = letter
    return checked


def _prompt_html(prompt: str, options: Sequence[Option]) -> str:
    lines = [
        f'<p class="pgm-question-prompt"><strong>Self-check.</strong> {_math_html(prompt)}</p>'
    ]
    lines += [
        f'<p class="pgm-question-option"><strong>{letter}.</strong> {_math_html(o.text)}</p>'
        for letter, o in zip(LETTERS, options, strict=False)
    ]
    return "\n".join(lines)


def _feedback_html(o: Option, *, live: bool) -> str:
    verdict, kind = (CORRECT, "correct") if o.correct else (NOT_QUITE, "wrong")
    # In a kernel's front end (JupyterLab) nothing can mark the persistent Stack as a live
    # region, so the feedback is an alert: announced when it appears. On the static site,
    # book-assets/pgmbook-widgets.js makes the Stack itself a polite live region instead.
    role = ' role="alert"' if live else ""
    return (
        f'<div class="pgm-question-verdict pgm-question-{kind}"{role}>'
        f"<strong>{verdict}</strong> {_math_html(o.feedback)}</div>"
    )


class Question(widgets.VBox):
    """A self-check question as a widget (build it with :func:`question`).

    Attributes
    ----------
    name : str
        Identifier (DOM class ``pgm-question-<name>``; how tests find the question).
    prompt : str
        The question, as written (plain text with ``$...$`` maths).
    options : tuple of Option
        The options in the order shown, lettered A, B, ...
    correct_index : int
        Position of the right option in ``options``.
    mode : {"live", "static"}
        "live": the feedback is a ``role="alert"`` (announced by screen readers as it
        appears); "static": plain, and the site's script makes the feedback area a live region.
    choices : ipywidgets.ToggleButtons
        One button per option, labelled by its letter, the option's plain text as tooltip.
    feedback : ipywidgets.Stack
        One ``HTMLMath`` explanation per option; shows the chosen one (none at first).
    links : list of ipywidgets.Link
        The jslink from ``choices.index`` to ``feedback.selected_index``.
    """

    def __init__(self, prompt: str, options: tuple[Option, ...], *, name: str, mode: str) -> None:
        self.name, self.prompt, self.options, self.mode = name, prompt, options, mode
        self.correct_index = next(i for i, o in enumerate(options) if o.correct)
        letters = LETTERS[: len(options)]
        body = widgets.HTMLMath(_prompt_html(prompt, options))
        body.add_class("pgm-question-body")
        self.choices = widgets.ToggleButtons(
            options=list(letters),
            index=None,
            description="Your answer",
            tooltip="Choose the letter of your answer",
            tooltips=[f"{letter}: {o.plain}" for letter, o in zip(letters, options, strict=True)],
            style={"button_width": "3.2em", "description_width": "initial"},
        )
        self.choices.add_class("pgm-question-choices")
        pages = [widgets.HTMLMath(_feedback_html(o, live=mode == "live")) for o in options]
        self.feedback = widgets.Stack(pages, selected_index=None)
        self.feedback.add_class("pgm-question-feedback")
        self.links = [widgets.jslink((self.choices, "index"), (self.feedback, "selected_index"))]
        # In the browser the jslink does this; here Python (tests, a kernel) follows suit.
        self.choices.observe(self._on_choice, names="index")
        super().__init__([body, self.choices, self.feedback])
        self.add_class("pgm-question")
        self.add_class(f"pgm-question-{name}")

    def _on_choice(self, change: dict) -> None:
        self.feedback.selected_index = change["new"]

    @property
    def correct_option(self) -> Option:
        """The right option."""
        return self.options[self.correct_index]

    @property
    def chosen(self) -> int | None:
        """Position of the option the reader chose (None before any choice)."""
        return self.choices.index

    def feedback_html(self, index: int) -> str:
        """The HTML of option ``index``'s explanation, verdict first."""
        return self.feedback.children[self._index(index)].value

    def choose(self, choice: int | str) -> None:
        """Choose an option from Python, as a reader would: by position or by letter."""
        self.choices.index = self._index(choice)

    def _index(self, choice: int | str) -> int:
        letters = LETTERS[: len(self.options)]
        if isinstance(choice, str) and len(choice) == 1 and choice.upper() in letters:
            return letters.index(choice.upper())
        if isinstance(choice, int) and not isinstance(choice, bool):
            if 0 <= choice < len(self.options):
                return choice
        raise ValueError(
            f"`choice` must be a position 0-{len(self.options) - 1} or a letter of "
            f"{', '.join(letters)}; got {choice!r}"
        )


def question(
    prompt: str, options: Sequence[Option | tuple], *, name: str, mode: str | None = None
) -> Question:
    """A multiple-choice self-check question with feedback on every option (not displayed).

    Parameters
    ----------
    prompt : str
        The question: plain text with ``$...$`` maths.
    options : sequence of Option or (text, is_correct, feedback) triples
        2 to 5 distinct options, exactly one correct, shown as A, B, ... in this order (build
        them with :func:`option`, which also takes a plain-text reading for options whose
        maths does not read as plain text).
    name : str
        A Python identifier naming the question (DOM class ``pgm-question-<name>``).
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE``, unset meaning "live" (see :class:`Question`).

    Returns
    -------
    Question
        A ``VBox`` with classes ``pgm-question`` and ``pgm-question-<name>``: the prompt and
        lettered options (``HTMLMath``), the letter buttons (``ToggleButtons``, nothing chosen
        at first) and the explanations (a ``Stack`` jslinked to the buttons). The key is
        ``.correct_index`` (and ``.correct_option``).

    Raises
    ------
    ValueError
        If there are fewer than 2 or more than 5 options, not exactly one correct, two with
        the same text, an empty text, an unmatched ``$``, or a feedback starting with a verdict.
    TypeError
        If an option is neither an Option nor a triple, or ``is_correct`` is not a bool.

    Notes
    -----
    The option buttons show letters, because ipywidgets writes button labels as escaped text,
    so a label cannot hold typeset maths; the options themselves are typeset above them. Each
    button's tooltip is the letter and the option in plain text ("A: Over q, with p fixed"),
    and on the book's site that text is also the button's accessible name.

    Examples
    --------
    >>> q = question(
    ...     "Which pmf $p$ on $K$ outcomes has the largest entropy?",
    ...     [("The uniform pmf, $p(x) = 1/K$", True, "Its entropy is $\\\\log K$, eq. (1.22)."),
    ...      ("A point mass", False, "Its entropy is $0$, the smallest possible.")],
    ...     name="largest_entropy", mode="static",
    ... )
    >>> q.correct_index, q.options[0].plain
    (0, 'The uniform pmf, p(x) = 1/K')
    >>> q.choose("B")
    >>> q.feedback.selected_index == q.chosen == 1 != q.correct_index
    True
    """
    prompt = _check_text(prompt, "`prompt`")
    _math_html(prompt, "`prompt`")
    return Question(
        prompt, _check_options(options), name=_check_identifier(name), mode=resolve_mode(mode)
    )
