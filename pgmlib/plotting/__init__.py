"""The book's figures (matplotlib), regenerated from pgmlib's numbers at build time.

Two layers, as in scikit-learn's plotting API:

- ``figure_*()`` functions return a whole figure of the notes (Figures 1.1-1.5, and the
  forward-versus-reverse KL and density-estimation figures of section 1.7) as a
  :class:`BookFigure`. Show one by making it the last expression of a notebook cell (no trailing
  semicolon): it is not registered with pyplot, so it is displayed exactly once, and the cell's
  MyST metadata gives its caption, label and alt text (no titles are baked in).
- ``plot_*(..., ax=None)`` helpers take arrays, draw one panel into ``ax`` (a new figure when
  None) and return the axes; the figures and the explorers (:mod:`pgmlib.widgets`) use them.

Style: Okabe-Ito colours, viridis for ordered bins, thick lines, lowercase axis labels, white
background (legible in the site's dark mode).
"""

from __future__ import annotations

from ._approximation import *  # noqa: F403
from ._approximation import __all__ as _approximation_all
from ._density_estimation import *  # noqa: F403
from ._density_estimation import __all__ as _density_estimation_all
from ._divergences import *  # noqa: F403
from ._divergences import __all__ as _divergences_all
from ._information import *  # noqa: F403
from ._information import __all__ as _information_all
from ._pushforward import *  # noqa: F403
from ._pushforward import __all__ as _pushforward_all
from ._style import *  # noqa: F403
from ._style import __all__ as _style_all

__all__ = [
    *_style_all,
    *_pushforward_all,
    *_information_all,
    *_divergences_all,
    *_approximation_all,
    *_density_estimation_all,
]
