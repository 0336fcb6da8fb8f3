"""Figure palettes are colour-blind safe: checked on the pictures the site actually shows.

Every figure image of every page and a sample of every explorer's frames is reduced to its
dominant colours; two colours a reader with normal vision tells apart must stay apart under
simulated protanopia, deuteranopia and tritanopia (see _colour.py for the rule and its
calibration, which the first tests below pin down).
"""

from __future__ import annotations

import base64
import json
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
from _colour import (
    ciede2000,
    confusable_pairs,
    dominant_colours,
    hex_colour,
    linear_to_lab,
    srgb_to_linear,
)
from _site import site_dir, site_pages

SITE = site_dir()
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"]
TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
#: Explorer frames checked per page (evenly spaced over all frames; they share one palette).
FRAMES_PER_PAGE = 24


def _rgb(hexes: list[str]) -> np.ndarray:
    return np.array([[int(h.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)] for h in hexes])


def _png(colours: list[str], size: int = 40) -> bytes:
    """A picture made of equal stripes of ``colours`` on white, with grey text-like pixels."""
    import io

    from PIL import Image

    stripes = np.ones((size, size * (len(colours) + 1), 3))
    for k, rgb in enumerate(_rgb(colours)):
        stripes[:, k * size : (k + 1) * size] = rgb
    stripes[: size // 4, -size:] = 0.3  # grey: ignored
    buffer = io.BytesIO()
    Image.fromarray(np.round(stripes * 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- the rule itself -----------------------------------------------------------------------------


def test_ciede2000_matches_sharma_reference_pairs():
    """Sharma, Wu & Dalal (2005), test pairs 1, 7 and 17."""
    lab1 = np.array([[50, 2.6772, -79.7751], [50, 0, 0], [50, 2.5, 0]])
    lab2 = np.array([[50, 0, -82.7485], [50, -1, 2], [73, 25, -18]])
    np.testing.assert_allclose(ciede2000(lab1, lab2), [2.0425, 2.3669, 27.1492], atol=1e-4)


def test_white_and_black_are_far_apart_in_lab():
    lab = linear_to_lab(srgb_to_linear(np.array([[1.0, 1, 1], [0, 0, 0]])))
    np.testing.assert_allclose(lab, [[100, 0, 0], [0, 0, 0]], atol=0.05)


def test_okabe_ito_is_safe_and_tab10_and_red_green_are_not():
    assert confusable_pairs(_rgb(OKABE_ITO)) == []
    assert {p[0] for p in confusable_pairs(_rgb(TAB10))} >= {"protanopia", "deuteranopia"}
    (pair,) = confusable_pairs(_rgb(["#d62728", "#2ca02c"]))
    assert pair[0] == "deuteranopia" and pair[4] < 8


def test_dominant_colours_drop_rims_mixed_with_black():
    """An outlined bar: its anti-aliased rim (80 % green, 20 % black) is not a palette colour."""
    import io

    from PIL import Image

    picture = np.ones((60, 60, 3))
    picture[10:50, 10:50] = _rgb(["#009E73"])[0]
    picture[10:50, 10] = picture[10:50, 49] = 0.8 * _rgb(["#009E73"])[0]
    picture[10:50, 30:50] = _rgb(["#E69F00"])[0]
    buffer = io.BytesIO()
    Image.fromarray(np.round(picture * 255).astype(np.uint8)).save(buffer, format="PNG")
    assert len(dominant_colours(buffer.getvalue())) == 2


def test_dominant_colours_keep_strokes_and_skip_hairlines():
    """A 3-px curve counts; 1-px separators in an in-between colour (palette quantisation of
    white lines over a fill) do not."""
    import io

    from PIL import Image

    picture = np.ones((60, 90, 3))
    picture[:, :40] = _rgb(["#21918c"])[0]
    picture[:, 10::8][:, :4] = _rgb(["#5fa8a7"])[0]  # hairline separators
    picture[40:43, 45:90] = _rgb(["#44bf70"])[0]  # a 3-px horizontal curve
    buffer = io.BytesIO()
    Image.fromarray(np.round(picture * 255).astype(np.uint8)).save(buffer, format="PNG")
    found = sorted(hex_colour(rgb) for rgb in dominant_colours(buffer.getvalue()))
    assert found == ["#21918c", "#44bf70"]


def test_dominant_colours_leave_out_mixtures_of_the_palette():
    """Points coloured by a weighted mix of component colours carry no colour of their own;
    the palette's colours (the corners of the mix) are kept, sky blue among them."""
    blue, vermillion, sky = _rgb(["#0072B2", "#D55E00", "#56B4E9"])
    mixes = [w * blue + (1 - w) * vermillion for w in (0.3, 0.5, 0.7)]
    stripes = [blue, vermillion, sky, *mixes]
    found = dominant_colours(_png([hex_colour(rgb) for rgb in stripes]))
    assert sorted(map(hex_colour, found)) == ["#0072b2", "#56b4e9", "#d55e00"]


def test_dominant_colours_ignore_greys_and_find_each_stripe():
    found = dominant_colours(_png(["#0072B2", "#E69F00", "#009E73"]))
    assert len(found) == 3
    np.testing.assert_allclose(
        sorted(map(tuple, found)),
        sorted(map(tuple, _rgb(["#0072B2", "#E69F00", "#009E73"]))),
        atol=0.02,
    )
    assert dominant_colours(_png([])).shape == (0, 3)


# --- the site ------------------------------------------------------------------------------------


def _figures(page: str) -> list[tuple[str, bytes]]:
    """(name, PNG bytes) of the page's images and a sample of its explorers' frames."""
    from bs4 import BeautifulSoup

    path = SITE / page
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    figures = []
    for img in soup.select(".bd-content img[src]"):
        src = img["src"]
        if src.startswith("data:image/png;base64,"):
            figures.append(
                (f"inline image ({img.get('alt', '')[:40]})", base64.b64decode(src[22:]))
            )
        elif not urlsplit(src).netloc and src.lower().endswith(".png"):
            figures.append((src, (path.parent / unquote(urlsplit(src).path)).read_bytes()))
    frames = []
    for block in soup.find_all("script", type="application/vnd.jupyter.widget-state+json"):
        for model_id, model in json.loads(block.string)["state"].items():
            if model["model_name"] != "ImageModel" or model["state"].get("format") != "png":
                continue
            for buffer in model.get("buffers", []):
                if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                    frames.append((f"explorer frame {model_id}", base64.b64decode(buffer["data"])))
    if len(frames) > FRAMES_PER_PAGE:
        picks = np.linspace(0, len(frames) - 1, FRAMES_PER_PAGE).round().astype(int)
        frames = [frames[k] for k in sorted(set(picks))]
    return figures + frames


@pytest.mark.site
@pytest.mark.parametrize("page", site_pages(SITE) if SITE.is_dir() else ["<no built site>"])
def test_figure_palettes_are_colour_blind_safe(page):
    assert (SITE / page).is_file(), f"{SITE / page} missing: build the book first"
    problems = []
    for name, png in _figures(page):
        for deficiency, first, second, normal, seen in confusable_pairs(dominant_colours(png)):
            problems.append(
                f"{name}: {first} vs {second} differ by {normal} (CIEDE2000) but only by {seen} "
                f"under {deficiency}"
            )
    assert not problems, f"{page}: colours a colour-blind reader cannot tell apart:\n  " + (
        "\n  ".join(problems)
    )
