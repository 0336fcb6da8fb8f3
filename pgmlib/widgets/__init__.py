"""Interactive explorers of the course book (ipywidgets), live in a kernel, static on the site.

The explorers
-------------
``pushforward_explorer()`` (section 1.3), ``entropy_explorer()`` (1.5),
``kl_asymmetry_explorer()`` (1.6),
``generative_classifier_explorer()`` (1.2: Example 1.1, Exercise 1.1),
``mle_explorer()`` (1.4: consistency and asymptotic normality of the MLE, Example 1.4),
``gmm_em_explorer()`` (1.4: EM for a Gaussian mixture, Example 1.6),
``divergence_limits_explorer()`` (1.6: Examples 1.9-1.10),
``kl_gradient_flow_explorer()`` (1.6: Example 1.12, Figure 1.5).
Each takes an optional ``mode`` and returns a widget without
displaying it: make it the last expression of a notebook cell.

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

``compute`` may raise (``ValueError`` from pgmlib for a setting where the quantity does not
exist): the explorer shows the message over the figure and in the readout and never lets the
exception reach the kernel. A control that some settings ignore (a map's parameter under a map
without one) would store the same frame many times on the static page: give ``Explorer`` a
``static_key(params)`` that is equal for such combinations, and they share one frame.
Controls left on a single static value are named under the static explorer ("Fixed on this
page: ..."). Several explorers can be shown under headings as one widget with
:class:`ExplorerGroup`.

Keeping moves fast (goal: a median of 30-60 ms per live move): register with ``animate`` only the
artists that change; the background (axes, ticks, labels) is redrawn only when an axis' limits
change -- snap limits with :func:`nice_ceil` / :func:`nice_limits` so they change rarely -- or
after :meth:`FigureView.invalidate`. An expensive ``compute`` may cache in a closure (the
pushforward explorer draws its 300,000 source samples once per source setting). Class
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
``.static_bytes()`` (each distinct frame once). tests/_explorer_checks.py holds the checks every
explorer's tests run (live sweeps, static structure, the browser's keyboard walk, budgets).

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
"""

from __future__ import annotations

from ._classifier import generative_classifier_explorer
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
from ._divergences import kl_asymmetry_explorer
from ._gradient_flow import kl_gradient_flow_explorer
from ._information import entropy_explorer, tilted_pmf
from ._likelihood import gmm_em_explorer, mle_explorer
from ._limits import divergence_limits_explorer
from ._pushforward import pushforward_explorer

__all__ = [
    "LEGEND",
    "MODE_ENV",
    "AltImage",
    "Control",
    "Explorer",
    "ExplorerGroup",
    "FigureView",
    "choice",
    "divergence_limits_explorer",
    "entropy_explorer",
    "format_number",
    "format_vector",
    "generative_classifier_explorer",
    "gmm_em_explorer",
    "kl_asymmetry_explorer",
    "kl_gradient_flow_explorer",
    "mle_explorer",
    "nice_ceil",
    "nice_limits",
    "pushforward_explorer",
    "resolve_mode",
    "slider",
    "tilted_pmf",
]
