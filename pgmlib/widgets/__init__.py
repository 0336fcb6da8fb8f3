"""Explorers and self-check questions of the course book (ipywidgets): live in a kernel, static
on the site.

The explorers
-------------
Every explorer of the book is registered in :data:`EXPLORERS` (name -> :class:`ExplorerSpec`:
factory, section, chapter file, static frame budget, kernel goal); the tests, the benchmark
and this list are generated from it. Each factory takes an optional ``mode`` and returns a
widget without displaying it: make it the last expression of a notebook cell.

.. the list below is generated from EXPLORERS on import

Self-check questions
--------------------
``question(prompt, options, name=...)`` builds a multiple-choice question (2-5 options, exactly
one correct, each with its own explanation) that works with and without a kernel; see
:mod:`pgmlib.widgets._question` and the DOM hooks below::

    from pgmlib.widgets import option, question

    question(
        "Which pmf $p$ on $K$ outcomes has the largest entropy?",
        [option("The uniform pmf, $p(x) = 1/K$", "Its entropy is $\\log K$, eq. (1.23).",
                correct=True),
         option("A point mass", "Its entropy is $0$, the smallest possible.")],
        name="largest_entropy",
    )

Texts are plain text with ``$...$`` maths. The buttons show letters (ipywidgets' button labels
cannot hold typeset maths); each is named "A: <the option in plain text>", which ``option``
derives from the text, or takes as ``plain=`` when the maths does not read as plain text. The
question writes "Correct." or "Not quite." before each explanation itself. The key is
``.correct_index`` / ``.correct_option``; ``.choose("B")`` chooses from Python.

Two modes, one source of numbers
--------------------------------
- ``"live"`` (JupyterLab, Binder, nbval): each control has a Python observer; a move recomputes
  the numbers from pgmlib and redraws one persistent matplotlib figure by updating its artists
  (blitting the ones that change over a cached background), sent as a PNG to an
  ``ipywidgets.Image``. No ipympl.
- ``"static"`` (the website, no kernel): every frame is drawn at build time on each control's
  static grid and stored in nested ``ipywidgets.Stack`` containers whose ``selected_index`` is
  ``jslink``-ed to the controls' ``index``: the browser swaps frames with no kernel. Frames are
  indexed PNGs (32 colours) of about 4-10 KB.

``mode=None`` reads the environment variable ``PGMLIB_WIDGET_MODE``: the book build sets it to
"static" (tools/pgmbook.py); unset means "live".

Writing a new explorer
----------------------
Describe the controls with :func:`slider` / :func:`choice` (values, visible description,
optional coarser ``static_grid`` for the site), write a ``compute(params) -> dict`` that asks
pgmlib for the numbers, and a :class:`FigureView` subclass that creates the artists once
(``setup``) and moves them (``update``); then hand the three to :class:`Explorer`. A slider is
an ``ipywidgets.SelectionSlider`` (arrow keys, Home, End); a choice a row of
``ipywidgets.ToggleButtons`` (Tab to a button, Enter or Space): a dropdown would lose its arrow
keys to JupyterLab, which moves to the next cell. The controls of an explorer (of a group: of
all its parts) share one description width, so their tracks start at one x; a row too narrow
for the label and a track of ``MIN_STEP_PX`` (6) pixels per step puts each track under its
label. Keep descriptions short (a long one pushes every track of the explorer down)::

    import numpy as np
    import pgmlib as pgm
    from pgmlib.widgets import Explorer, FigureView, slider

    def compute(params):                       # the numbers, from pgmlib only
        return {"kl": pgm.kl_gaussian(0.0, 1.0, params["mu"], 1.0)}

    class View(FigureView):
        width, height = 5.0, 2.6               # inches (at FigureView.dpi = 90)

        def setup(self):                       # called once: create every artist
            self.x = np.linspace(-5, 5, 400)
            self.axes.plot(self.x, pgm.gaussian_source(0, 1).pdf(self.x), label="p")
            (self.q,) = self.axes.plot(self.x, 0 * self.x, label="q")
            self.axes.set_ylim(0, 0.45)
            self.axes.set_xlabel("$x$")
            self.animate(self.q)               # redrawn on each move (blitting)

        def update(self, params, state):       # called on each move
            self.q.set_ydata(pgm.gaussian_source(params["mu"], 1).pdf(self.x))

    def shift_explorer(mode=None):
        return Explorer(
            [slider("mu", np.linspace(-3, 3, 61), value=0.0, description="mean μ of q",
                    static_grid=np.linspace(-3, 3, 13))],
            compute, View(),
            readout=lambda params, state: f"KL(p‖q) = {state['kl']:.3f} nats",
            alt=lambda params, state: f"p = N(0, 1) and q = N({params['mu']:g}, 1).",
            mode=mode, name="shift",
        )

To put it in the book: one line in :data:`EXPLORERS` (pgmlib/widgets/_registry.py), its own
test file ``tests/test_explorer_<name>.py``, and a chapter cell that shows it (CONTRIBUTING.md).

``compute`` may raise (``ValueError`` from pgmlib for a setting where the quantity does not
exist): the explorer shows the message over the figure and in the readout and never lets the
exception reach the kernel. A control that some settings ignore (a map's parameter under a map
without one) would store the same frame many times on the static page: give ``Explorer`` a
``static_key(params)`` that is equal for such combinations, and they share one frame.
Controls left on a single static value are named under the static explorer ("Fixed on this
page: ..."). Several explorers can be shown under headings as one widget with
:class:`ExplorerGroup`.

Keeping moves fast (goal: a median of at most 30 ms per live move): register with ``animate``
only the artists that change; the background (axes, ticks, labels) is redrawn only when an axis'
limits change -- snap limits with :func:`nice_ceil` / :func:`nice_limits` so they change rarely --
or after :meth:`FigureView.invalidate`. Artists that follow some controls only go into the middle
layer, ``animate(..., layer=True)``, with :meth:`FigureView.layer_key` saying what they show:
a move that keeps the key redraws only the other animated artists over a cached image of them
(the change-of-variables explorer keeps its density and histogram there while the point moves).
Axes whose limits follow the data can be named in ``FigureView.panels``, each with the rectangle
of the figure it draws in: a change of their limits then redraws those axes alone over a cached
image of the rest (the MLE explorer's histograms, the pushforward explorer's two panels);
tests/test_explorers.py checks such frames against frames drawn afresh, pixel for pixel.
Text is the dearest artist to draw (about 0.1 ms a character with matplotlib 3.11): keep
changing numbers in the readout and fixed titles out of ``animate``. An expensive ``compute``
may cache in a closure (the pushforward explorer draws its 300,000 source samples once per
source setting). Class
attributes of a view: ``width``, ``height`` (inches), ``dpi`` (90), ``nrows``, ``ncols``,
``width_ratios``; legends over moving curves read better boxed: ``ax.legend(**LEGEND)``, and
notes over data go in the book's white box: ``pgmlib.plotting.add_note(ax, x, y)``. An explorer
that redraws a figure of the book draws it with that figure's ``pgmlib.plotting`` helpers
(``plot_binary_entropy``, ``plot_kl_curves``, ``plot_source_bins``, ``plot_stacked_histogram``)
or styles (``gradient_flow_styles``) on placeholder data, then moves those artists.
``FigureView.full_draws`` counts full redraws (for benchmarks). The core encodes the canvas
with :func:`pgmlib.plotting.rgba_to_png` (about 4 ms for a 700 x 300 figure) and sends the PNG
with its text alternative in one message, so the browser decodes one image per move.

Readouts: :func:`format_number` (``scale=`` prints a rounding-error zero as "0") and
:func:`format_vector` for pairs and rows of numbers ("(9.15, 0)", never "(9.15, -4.44e-16)").
An exception in ``update_controls`` is a bug: it is logged with its traceback and its message
shown over the figure (compute's ``ValueError`` reads "Not defined here").

What tests and benchmarks can use
---------------------------------
``Explorer.mode``, ``.controls`` (name -> widget), ``.state`` (the numbers on display),
``.set(name=value)`` (moves a control; slider values snap to the grid), ``.current_png()``,
``.time_move(name, value)`` (seconds for one live move), and in static mode ``.frames``
(combination of indices -> Image; shared frames are one Image), ``.frame_keys`` (combination ->
its ``static_key``), ``.stacks`` (name -> Stacks), ``.links`` (the jslinks) and
``.static_bytes()`` (each distinct frame once). tests/_explorer_checks.py holds the checks that
tests/test_explorers.py runs on every registered explorer (live sweeps, static structure, the
browser's keyboard walk, budgets).

DOM hooks (static page)
-----------------------
The explorer's box has the classes ``pgm-explorer``, ``pgm-explorer-<name>`` and
``pgm-mode-static`` (a group: ``pgm-explorer-group`` around parts that are explorers); each
control ``pgm-control`` and ``pgm-control-<name>`` (a SelectionSlider renders a
``.widget-slider`` with a ``.noUi-handle`` that takes arrow keys; a choice a
``.widget-toggle-buttons`` box of ``<button class="widget-toggle-button">``, the chosen one
with the class ``mod-active``);
each Stack ``pgm-frames``; each frame ``pgm-frame`` holding an ``<img class="pgm-figure">``
(whose ``title`` is the text alternative) and a ``pgm-readout`` text.

A question's box has the classes ``pgm-question`` and ``pgm-question-<name>``; inside it, the
prompt and lettered options (``pgm-question-body``), the letter buttons
(``pgm-question-choices``: a ToggleButtons, nothing chosen at first) and the explanations
(``pgm-question-feedback``: a Stack showing the chosen one, each a ``pgm-question-verdict`` with
``pgm-question-correct`` or ``pgm-question-wrong``). On the site, book-assets/pgmbook-widgets.js
makes ``pgm-question-feedback`` a polite live region and names the buttons; in a kernel the
explanation itself is a ``role="alert"``.
"""

from __future__ import annotations

from ._core import (
    LEGEND,
    MODE_ENV,
    AltImage,
    Control,
    Explorer,
    ExplorerGroup,
    FigureView,
    choice,
    format_number,
    format_vector,
    nice_ceil,
    nice_limits,
    resolve_mode,
    slider,
)
from ._question import Option, Question, option, question
from ._registry import EXPLORERS, ExplorerSpec, explorer_list

#: Every registered explorer's factory, exported under its own name (``pushforward_explorer``...):
#: a line in EXPLORERS is all it takes.
_FACTORIES = {spec.factory.__name__: spec.factory for spec in EXPLORERS.values()}
globals().update(_FACTORIES)

if __doc__:  # None under python -OO
    __doc__ = __doc__.replace(
        ".. the list below is generated from EXPLORERS on import\n",
        f"{explorer_list()}\n",
    )

__all__ = [
    "EXPLORERS",
    "LEGEND",
    "MODE_ENV",
    "AltImage",
    "Control",
    "Explorer",
    "ExplorerGroup",
    "ExplorerSpec",
    "FigureView",
    "Option",
    "Question",
    "choice",
    "format_number",
    "format_vector",
    "nice_ceil",
    "nice_limits",
    "option",
    "question",
    "resolve_mode",
    "slider",
    *sorted(_FACTORIES),
]
