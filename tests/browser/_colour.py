"""Colour science for the palette check: CIELAB, CIEDE2000 and colour-vision-deficiency simulation.

A figure's *dominant colours* are the chromatic colours that cover a visible share of it (lines,
bars, fills; not the greys of text, axes and background). A palette is colour-blind safe when
every two dominant colours that a reader with normal vision tells apart clearly stay apart for
a reader with protanopia, deuteranopia or tritanopia (full severity, simulated with Machado,
Oliveira & Fernandes 2009). The thresholds were calibrated on known palettes: Okabe-Ito passes
(smallest simulated difference 10.9), matplotlib's default tab10 (1.3) and red/green pairs (4.6)
fail. Adjacent steps of a sequential map (viridis, cividis) differ by less than ``DISTINCT``
and are not compared: such maps stay ordered by lightness.
"""

from __future__ import annotations

import io
import itertools

import numpy as np

#: Machado et al. (2009) simulation matrices, severity 1.0, acting on linear RGB.
CVD_MATRICES = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
#: Two colours at least this far apart (CIEDE2000) are meant to be told apart...
DISTINCT = 20.0
#: ...and must stay at least this far apart under each simulated deficiency.
SAFE = 8.0
#: A dominant colour covers at least this share of the figure's chromatic pixels.
MIN_SHARE = 0.01
#: Below this CIELAB chroma a pixel counts as grey (text, axes, grid, background).
MIN_CHROMA = 15.0


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def linear_to_lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear-RGB colours, shape (..., 3)."""
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = np.asarray(linear) @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1
    )


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference between rows of two (n, 3) CIELAB arrays."""
    l1, a1, b1 = np.moveaxis(np.atleast_2d(lab1), -1, 0)
    l2, a2, b2 = np.moveaxis(np.atleast_2d(lab2), -1, 0)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    chroma_zero = c1p * c2p == 0
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(chroma_zero, 0.0, dh)
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    h_sum, h_diff = h1p + h2p, np.abs(h1p - h2p)
    h_bar = np.where(
        chroma_zero,
        h_sum,
        np.where(
            h_diff <= 180, h_sum / 2, np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)
        ),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))) * r_c
    return np.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )


def dominant_colours(png: bytes) -> np.ndarray:
    """The figure's dominant chromatic colours as sRGB in [0, 1], shape (k, 3), most used first.

    Only pixels of areas and strokes at least 2 px thick count. They are pooled in 32-level
    bins per channel; bins covering at least ``MIN_SHARE`` of the
    chromatic pixels are kept, a bin within 5 (CIEDE2000) of a kept one is merged into it
    (anti-aliasing and palette quantisation shift colours slightly), and mixtures of the kept
    colours are dropped (see :func:`_without_mixtures`).
    """
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    pixels = image[_solid(image // 8)]
    if len(pixels) == 0:
        return np.zeros((0, 3))
    keys, inverse, counts = np.unique(pixels // 8, axis=0, return_inverse=True, return_counts=True)
    means = np.zeros((len(keys), 3))
    np.add.at(means, inverse.ravel(), pixels / 255.0)
    means /= counts[:, None]
    lab = linear_to_lab(srgb_to_linear(means))
    chromatic = np.hypot(lab[:, 1], lab[:, 2]) >= MIN_CHROMA
    if not chromatic.any():
        return np.zeros((0, 3))
    keep = chromatic & (counts >= max(MIN_SHARE * counts[chromatic].sum(), 20))
    chosen: list[int] = []
    for index in np.argsort(-counts):
        if keep[index] and all(ciede2000(lab[index], lab[c])[0] >= 5 for c in chosen):
            chosen.append(int(index))
    return _without_mixtures(means[chosen])


def _solid(binned: np.ndarray) -> np.ndarray:
    """Pixels with a same-bin neighbour both horizontally and vertically: areas and strokes at
    least 2 px thick. One-pixel structures (anti-aliased rims, hairline separators, which a
    palette-quantised PNG may paint in an in-between colour) carry no colour of the palette."""
    same = np.all(binned[:, 1:] == binned[:, :-1], axis=-1)
    horizontal = np.zeros(binned.shape[:2], dtype=bool)
    horizontal[:, 1:] |= same
    horizontal[:, :-1] |= same
    same = np.all(binned[1:] == binned[:-1], axis=-1)
    vertical = np.zeros(binned.shape[:2], dtype=bool)
    vertical[1:] |= same
    vertical[:-1] |= same
    return horizontal & vertical


def _without_mixtures(colours: np.ndarray, tolerance: float = 3.0) -> np.ndarray:
    """Drop colours that are mixtures of the others (or of one with black or white).

    Anti-aliased rims, overlapping translucent fills and colours computed as weighted mixes of
    the palette (points coloured by their responsibilities) lie in the convex hull, in sRGB, of
    the palette colours plus black and white: they are not palette colours. The colour closest
    to the hull of the rest is removed first, one at a time, so the palette's own colours (the
    corners) stay.
    """
    from scipy.optimize import nnls

    colours = list(colours)
    while len(colours) > 1:
        gaps = []
        for k, colour in enumerate(colours):
            corners = np.array(
                [c for j, c in enumerate(colours) if j != k] + [[0.0] * 3, [1.0] * 3]
            )
            # Nearest convex combination: nonnegative weights, sum pinned to 1 by a heavy row.
            system = np.vstack([corners.T, 100.0 * np.ones(len(corners))])
            weights, _ = nnls(system, np.append(colour, 100.0))
            nearest = np.clip(weights @ corners, 0, 1)
            lab = linear_to_lab(srgb_to_linear(np.array([colour, nearest])))
            gaps.append(ciede2000(lab[0], lab[1])[0])
        worst = int(np.argmin(gaps))
        if gaps[worst] >= tolerance:
            break
        del colours[worst]
    return np.array(colours).reshape(-1, 3)


def confusable_pairs(colours: np.ndarray) -> list[tuple[str, str, str, float, float]]:
    """Pairs (deficiency, colour, colour, normal ΔE00, simulated ΔE00) that break the rule."""
    linear = srgb_to_linear(colours)
    lab = linear_to_lab(linear)
    pairs = list(itertools.combinations(range(len(colours)), 2))
    if not pairs:
        return []
    i, j = np.array(pairs).T
    normal = ciede2000(lab[i], lab[j])
    found = []
    for name, matrix in CVD_MATRICES.items():
        simulated = linear_to_lab(np.clip(linear @ matrix.T, 0, 1))
        seen = ciede2000(simulated[i], simulated[j])
        for k in np.flatnonzero((normal >= DISTINCT) & (seen < SAFE)):
            found.append(
                (
                    name,
                    hex_colour(colours[i[k]]),
                    hex_colour(colours[j[k]]),
                    round(float(normal[k]), 1),
                    round(float(seen[k]), 1),
                )
            )
    return found


def hex_colour(rgb: np.ndarray) -> str:
    """``#rrggbb`` of an sRGB colour in [0, 1]."""
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgb)
