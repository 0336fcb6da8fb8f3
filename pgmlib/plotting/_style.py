"""The book's figure style: palette, sizes, a pyplot-free Figure and fast PNG encoding.

Figures are :class:`BookFigure` objects created without :mod:`matplotlib.pyplot`: they are not
registered with pyplot, so a notebook shows a figure exactly once -- when it is the value of the
cell's last expression (no trailing semicolon) -- and nothing accumulates in pyplot's figure
manager. Each has a white background (legible in the site's dark mode as well) and an Agg canvas.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = [
    "OKABE_ITO",
    "BookFigure",
    "add_note",
    "bin_colours",
    "book_style",
    "canvas_to_png",
    "figure_to_png",
    "new_figure",
    "rgba_to_png",
    "text_box",
]

#: The Okabe-Ito palette (Okabe & Ito, 2008): distinguishable under the common colour-vision
#: deficiencies. Qualitative colours of the book, by name.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}

#: Matplotlib settings of every figure of the book: thick lines and large enough text for a
#: projector, no top/right spines, light grid, white (never transparent) background.
STYLE: dict[str, Any] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "font.size": 11.0,
    "axes.labelsize": 11.5,
    "axes.titlesize": 11.5,
    "xtick.labelsize": 10.0,
    "ytick.labelsize": 10.0,
    "legend.fontsize": 10.0,
    "legend.frameon": False,
    "lines.linewidth": 2.5,
    "lines.markersize": 7.0,
    "axes.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "axes.prop_cycle": mpl.cycler(
        color=[OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple")]
    ),
    "text.color": "black",
    "axes.labelcolor": "black",
    "xtick.color": "black",
    "ytick.color": "black",
    "mathtext.fontset": "dejavusans",
}

#: Resolution of the book's figures (pixels per inch of ``figsize``).
DPI = 100


class BookFigure(Figure):
    """A matplotlib Figure that displays itself as PNG in Jupyter without pyplot.

    Where IPython's inline backend is active it registers its own PNG formatter for every
    Figure and that one is used; ``_repr_png_`` covers kernels where pyplot was never imported.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()


@contextmanager
def book_style() -> Iterator[None]:
    """Context manager applying :data:`STYLE` (use it around artist creation)."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(width: float, height: float, *, dpi: int = DPI, **subplots: Any):
    """A :class:`BookFigure` of ``width`` x ``height`` inches with an Agg canvas and its axes.

    Keyword arguments go to :meth:`matplotlib.figure.Figure.subplots` (``nrows``, ``ncols``,
    ``gridspec_kw``, ...). Returns ``(figure, axes)``. Call it inside :func:`book_style`.
    """
    figure = BookFigure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(**subplots)


def _axes(ax: Axes | None, width: float = 4.0, height: float = 3.0) -> Axes:
    """``ax`` itself, or the axes of a new ``width`` x ``height`` figure when it is None.

    The ``ax=None`` convention of every ``plot_*`` helper of :mod:`pgmlib.plotting`.
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"`ax` must be a matplotlib Axes or None; got {ax!r}")
        return ax
    with book_style():
        _, ax = new_figure(width, height)
    return ax


def bin_colours(n_bins: int) -> np.ndarray:
    """``n_bins`` RGBA colours for ordered bins, from the viridis map (colour-blind safe).

    The lightest end is cut (pure yellow is hard to see on white); returns an (n_bins, 4) array.
    """
    return mpl.colormaps["viridis"](np.linspace(0.0, 0.9, n_bins))


def text_box(pad: float = 0.25, alpha: float = 1.0) -> dict[str, Any]:
    """The rounded white box without an edge that the book puts behind text over data.

    Pass it as ``bbox=`` to :meth:`matplotlib.axes.Axes.text`; :func:`add_note` does so.

    Parameters
    ----------
    pad : float
        Padding around the text, in units of the font size.
    alpha : float
        Opacity of the box (1: opaque; below 1 the data show through faintly).

    Examples
    --------
    >>> text_box()
    {'boxstyle': 'round,pad=0.25', 'facecolor': 'white', 'edgecolor': 'none', 'alpha': 1.0}
    """
    return {
        "boxstyle": f"round,pad={pad:g}",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": alpha,
    }


def add_note(
    ax: Axes,
    x: float = 0.03,
    y: float = 0.96,
    text: str = "",
    *,
    ha: str = "left",
    va: str = "top",
    fontsize: float = 9.5,
    **kwargs: Any,
) -> Text:
    """A note at ``(x, y)`` in axes coordinates (0-1), on the :func:`text_box` of the book.

    Further keyword arguments go to :meth:`matplotlib.axes.Axes.text` (``bbox=text_box(...)``
    replaces the default box). Returns the Text (the explorers update it with ``set_text``).

    Examples
    --------
    >>> with book_style():
    ...     fig, ax = new_figure(3, 2)
    ...     note = add_note(ax, text="n = 3")
    >>> note.get_text(), note.get_bbox_patch().get_facecolor()
    ('n = 3', (1.0, 1.0, 1.0, 1.0))
    """
    kwargs.setdefault("bbox", text_box())
    return ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=fontsize, **kwargs)


def figure_to_png(figure: Figure, *, palette: int | None = None) -> bytes:
    """Render ``figure`` with Agg and encode it as PNG bytes, fast.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Drawn as it is (no tight bounding box), on its own white background.
    palette : int, optional
        If given, quantise to at most this many colours (an indexed PNG, 3-5 times smaller:
        what the static explorers store). Otherwise a truecolour PNG encoded by
        :func:`rgba_to_png` (what the live explorers send on every move: a few milliseconds).
    """
    figure.canvas.draw()
    return canvas_to_png(figure, palette=palette)


def canvas_to_png(figure: Figure, *, palette: int | None = None) -> bytes:
    """Encode what the figure's Agg canvas holds now, without drawing (see figure_to_png)."""
    rgba = np.asarray(figure.canvas.buffer_rgba())
    if palette is None:
        return rgba_to_png(rgba)
    from PIL import Image

    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]))
    indexed = image.quantize(
        colors=int(palette), method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    indexed.save(buffer, format="png", optimize=True)
    return buffer.getvalue()


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def rgba_to_png(rgba: np.ndarray, *, level: int = 1) -> bytes:
    """A truecolour PNG of an RGBA pixel buffer (alpha dropped), encoded for speed.

    What the live explorers send on every move. Each row is stored unfiltered (PNG filter
    type 0) and the whole image deflated by :func:`zlib.compress` at ``level``. Pillow's PNG
    writer chooses a filter for each row by trying all five, which is about half of its
    encoding time and buys little on a plot (mostly white, flat colours): this one takes
    about half as long for a PNG of about the same size.

    Parameters
    ----------
    rgba : ndarray of uint8, shape (height, width, 4)
        The pixels, e.g. ``np.asarray(figure.canvas.buffer_rgba())`` of an Agg canvas.
    level : int
        zlib compression level, 0 (stored) to 9; 1 is the fastest that compresses.

    Returns
    -------
    bytes
        The PNG file (8-bit RGB, colour type 2, no interlacing).

    Raises
    ------
    ValueError
        If ``rgba`` is not a (height, width, 4) array of uint8 with height, width >= 1, or
        ``level`` is not an integer from 0 to 9.

    Examples
    --------
    Decoding gives back the pixels exactly:

    >>> import io
    >>> from PIL import Image
    >>> rgba = np.random.default_rng(0).integers(0, 256, (3, 5, 4), dtype=np.uint8)
    >>> png = rgba_to_png(rgba)
    >>> png[1:4]
    b'PNG'
    >>> bool(np.array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba[..., :3]))
    True
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4 or 0 in rgba.shape:
        raise ValueError(
            "`rgba` must be a (height, width, 4) array of uint8; "
            f"got shape {rgba.shape} and dtype {rgba.dtype}"
        )
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 9:
        raise ValueError(f"`level` must be an integer from 0 to 9; got {level!r}")
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) on every row
    rows[:, 1:].reshape(height, width, 3)[...] = rgba[..., :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        [
            _PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows, level)),
            _png_chunk(b"IEND", b""),
        ]
    )
