"""The pushforward explorer (section 1.3, pgmlib/widgets/_pushforward.py): what is particular to
it. The checks every explorer passes run from the registry in tests/test_explorers.py.

Its numbers are pgmlib's pipeline (pushforward_experiment with reused draws), its one undefined
setting (the probit map of a source reaching outside (0, 1)) shows a message, the parameter
slider follows the map, the map buttons' short formulas are the maps, the legend never covers
data or labels, and the static page fixes the location and shares frames where c is unused.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _explorer_checks import assert_finite, mean_frame_bytes, sweep
from _figure_checks import assert_static_frames_legible, legend_clashes, text_problems
from scipy import special

import pgmlib as pgm
from pgmlib import widgets
from pgmlib.widgets import _pushforward as module


def undefined(params: dict) -> bool:
    """The probit map is the only map with a domain, (0, 1): a source reaching outside it
    (every Gaussian, a uniform off the unit interval) has no pushforward there."""
    return params["map"] == "probit"


# -- live mode --------------------------------------------------------------------------------


def test_live_sweeps_in_the_settings_that_matter():
    explorer = widgets.pushforward_explorer(mode="live")
    assert set(explorer.controls) == {"source", "location", "scale", "map", "parameter"}
    for source in ("uniform", "gaussian"):
        explorer.set(source=source, location=0.0, scale=1.0)
        states = sweep(explorer, "map", allow_error=undefined)
        assert sum("error" in state for state in states) == (source == "gaussian")
    explorer.set(source="gaussian", map="sign_split")
    for name in ("location", "scale", "parameter"):
        sweep(explorer, name)
    explorer.set(map="affine", parameter=0.5)
    sweep(explorer, "scale")
    explorer.set(source="uniform", map="exp", location=-2.0, scale=0.25)
    sweep(explorer, "location")


def test_live_numbers_match_pgmlib():
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(source="gaussian", location=0.0, scale=1.0, map="square")
    state = explorer.state
    x = pgm.gaussian_source().sample(300_000, np.random.default_rng(2026))
    mass = pgm.stacked_pushforward_histogram(
        x, x**2, pgm.quantile_bin_edges(pgm.gaussian_source(), 10), state["target_edges"]
    )
    np.testing.assert_array_equal(state["mass"], mass)
    np.testing.assert_allclose(state["mass"].sum(axis=1), 0.1, atol=0.004)
    assert state["mass_shown"] + state["mass_beyond"] == pytest.approx(1.0, abs=1e-12)
    assert 0 <= state["mass_beyond"] < 0.005
    exact = pgm.square_map().pushforward_pdf(pgm.gaussian_source())(state["target_grid"])
    np.testing.assert_allclose(state["target_pdf"], exact, rtol=1e-15)
    # the drawn histogram is the state's: StepPatch tops are the cumulative masses
    view = explorer._render
    tops = np.array([patch.get_data().values for patch in view.steps])
    np.testing.assert_allclose(tops, np.cumsum(state["mass"], axis=0))
    assert "equal-mass source slices" in explorer.readout.value


def test_live_state_is_pgmlib_s_experiment_on_the_same_draws():
    """Target range, edges, masses and density: pushforward_experiment, bit for bit."""
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(source="uniform", location=-0.5, scale=2.0, map="sign_split", parameter=1.5)
    source = pgm.uniform_source(-0.5, 1.5)
    tmap = pgm.map_catalogue(1.5)["sign_split"]
    run = pgm.pushforward_experiment(
        source,
        tmap,
        target_range="quantiles",
        n_grid=600,
        draws=source.sample(300_000, np.random.default_rng(2026)),
    )
    state = explorer.state
    assert (state["target_edges"][0], state["target_edges"][-1]) == pgm.pushforward_range(
        source, tmap
    )
    for key in ("source_edges", "target_edges", "mass", "target_grid", "target_pdf"):
        np.testing.assert_array_equal(state[key], getattr(run, key))
    # names and labels are the map's own
    assert state["map_name"] == tmap.name == "x + 1.5 if x < 0, x − 1.5 if x ≥ 0"
    assert state["map_label"] == tmap.formula
    assert f"T = {tmap.name}" in explorer.readout.value and tmap.name in explorer.image.tooltip
    assert explorer._render.map_label.get_text() == f"y = {tmap.name}"
    buttons = dict(explorer.controls["map"].options)
    assert set(buttons.values()) == set(pgm.map_catalogue())
    assert buttons["x − c·sign(x)"] == "sign_split"


#: The formula of each map button (its label, after "map T(x) ="), for c and x.
_BUTTON_FORMULAS = {
    "x²": lambda x, c: x**2,
    "log(1 + x²)": lambda x, c: np.log1p(x**2),
    "Φ⁻¹(x)": lambda x, c: special.ndtri(x),
    "exp(x)": lambda x, c: np.exp(x),
    "x − c·sign(x)": lambda x, c: x - c * np.sign(x),
    "c·x + 1": lambda x, c: c * x + 1,
}


@pytest.mark.parametrize("c", [0.5, 1.7, 3.0])
def test_each_map_button_is_the_formula_of_its_map(c):
    """A button's short formula, evaluated, is pgmlib's map at that c (off x = 0 for the
    split, which the formula and the map give as c - 0 and 0 - c)."""
    explorer = widgets.pushforward_explorer(mode="live")
    x = np.random.default_rng(1).uniform(-3, 3, 500)
    x = x[x != 0]
    inside = np.random.default_rng(2).uniform(0.001, 0.999, 500)
    for label, key in explorer.controls["map"].options:
        tmap = pgm.map_catalogue(c)[key]
        points = inside if key == "probit" else x
        np.testing.assert_allclose(
            _BUTTON_FORMULAS[label](points, c), tmap(points), rtol=1e-13, atol=1e-13
        )


@pytest.mark.parametrize("source", ["gaussian", "uniform"])
@pytest.mark.parametrize(("location", "scale"), [(0.7, 1.3), (-2.0, 0.25), (1.9, 3.0)])
def test_the_draws_are_the_source_s_own_seeded_sample(source, location, scale):
    """The shifted and scaled standard draws are, bit for bit, what the source's own sampler
    gives with the explorer's seed."""
    params = {"source": source, "location": location, "scale": scale}
    draws = module._SourceDraws()
    expected = module._source(params).sample(module.N_SAMPLES, np.random.default_rng(module.SEED))
    np.testing.assert_array_equal(draws(params), expected)
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(source=source, location=location, scale=scale, map="exp")
    run = pgm.pushforward_experiment(
        module._source(params), pgm.exp_map(), target_range="quantiles", draws=expected
    )
    np.testing.assert_array_equal(explorer.state["mass"], run.mass)


def test_probit_of_gaussian_shows_a_message_not_a_traceback():
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(source="gaussian", map="square")
    before = explorer.current_png()
    explorer.set(map="probit")
    assert "defined only on (0, 1)" in explorer.state["error"]
    assert "Not defined here" in explorer.readout.value
    assert explorer.current_png() != before
    assert explorer.image.tooltip.startswith("Message:")
    explorer.set(source="uniform")  # back to a valid setting: the figure returns
    assert "error" not in explorer.state
    assert_finite(explorer.state, "uniform + probit")


def test_parameter_slider_follows_the_map():
    explorer = widgets.pushforward_explorer(mode="live")
    explorer.set(map="square")
    assert explorer.controls["parameter"].disabled
    explorer.set(map="sign_split")
    control = explorer.controls["parameter"]
    assert not control.disabled and control.description == "shift c"
    explorer.set(map="affine")
    assert explorer.controls["parameter"].description == "slope c"
    explorer.set(map="exp")
    assert explorer.controls["parameter"].description == "c (unused)"


def test_controls_fit_one_row_at_592_px():
    """Each control, its description and track or buttons, fits a 592-px output area: the six
    map buttons in one row (the widths the core estimates: 13-px DejaVu Sans, each button its
    text plus 24 px of padding and margins)."""
    from pgmlib.widgets._core import _LABEL_GAP_PX, _text_px

    explorer = widgets.pushforward_explorer(mode="live")
    geometry = explorer.control_geometry
    assert geometry.label_px + geometry.rest_px <= 592
    buttons = sum(_text_px(label) + 24 for label, _ in explorer.controls["map"].options)
    assert geometry.label_px + _LABEL_GAP_PX + buttons <= 592
    for description in ("shift c", "slope c", "c (unused)"):  # the parameter's live labels
        assert _text_px(description) + 2 <= geometry.label_px
    assert explorer._render.figure.get_figwidth() * explorer._render.figure.dpi <= 592


# -- the standard draws and their slices ------------------------------------------------------


@pytest.mark.parametrize("source", ["gaussian", "uniform"])
def test_the_precomputed_slices_are_the_draws_own_slices(source):
    """The slices binned once from the standard draws are, for any setting, the equal-mass
    slices of that setting's draws (pgmlib.quantile_bin_index on the shifted, scaled draws)."""
    draws = module._SourceDraws()
    for location, scale in [(0.0, 1.0), (-2.0, 0.25), (2.0, 3.0), (-1.3, 2.05), (0.4, 0.55)]:
        params = {"source": source, "location": location, "scale": scale}
        expected = pgm.quantile_bin_index(module._source(params), draws(params), 10)
        np.testing.assert_array_equal(draws.slices(params), expected)


def test_the_slices_are_exact_over_the_whole_slider_grid_and_refused_far_out():
    """At every location and scale the sliders offer, no standard draw lies within rounding
    distance of a slice edge: the precomputed slices are always used (and exact). Far from
    the origin the rounding of loc + scale * z could move a draw across an edge: refused, and
    the state is then binned from scratch."""
    explorer = widgets.pushforward_explorer(mode="live")
    draws = module._SourceDraws()
    locations = explorer.controls["location"].options
    scales = explorer.controls["scale"].options
    for source in ("gaussian", "uniform"):
        for (_, location), (_, scale) in itertools.product(locations, scales):
            params = {"source": source, "location": location, "scale": scale}
            assert draws.slices(params) is not None, params
        far = {"source": source, "location": 1e12, "scale": 0.25, "map": "affine", "parameter": 2}
        assert draws.slices(far) is None
        state = module._make_state(draws)(far)
        run = pgm.pushforward_experiment(
            module._source(far),
            module._map(far),
            target_range="quantiles",
            n_grid=600,
            draws=module._source(far).sample(300_000, np.random.default_rng(2026)),
        )
        np.testing.assert_array_equal(state["mass"], run.mass)


def test_a_move_of_the_map_reuses_the_draws():
    draws = module._SourceDraws()
    params = {"source": "uniform", "location": 0.5, "scale": 2.0}
    first = draws(params)
    assert draws(params) is first and not first.flags.writeable
    moved = draws({**params, "location": 0.6})
    assert moved is not first
    np.testing.assert_allclose(moved - first, 0.1, rtol=0, atol=1e-14)  # the same, shifted


# -- the source layer and the pinned axis labels ----------------------------------------------


def test_the_source_layer_never_shows_another_setting():
    """The source panel is restored from the middle layer while the source stays: a frame
    reached through moves of every control is the frame of a fresh explorer, pixel for pixel,
    whether the move redrew the figure or blitted over the restored layer."""
    path = [
        {"source": "uniform", "location": 0.0, "scale": 1.0, "map": "affine", "parameter": 1.1},
        {"parameter": 1.2},  # a blit: a new histogram over the restored source layer
        {"map": "square"},
        {"parameter": 2.5},  # a blit: c unused, the same frame
        {"source": "gaussian", "location": -0.5, "map": "affine", "parameter": 2.0},
        {"location": -0.4},  # a blit: the source layer drawn again, the limits kept
        {"location": -0.3},
        {"map": "sign_split", "scale": 1.5},
    ]
    explorer = widgets.pushforward_explorer(mode="live")
    view, setting, blits = explorer._render, {}, 0
    for move in path:
        before = view.full_draws
        explorer.set(**move)
        blits += view.full_draws == before
        setting.update(move)
        fresh = widgets.pushforward_explorer(mode="live")
        fresh.set(**setting)
        assert explorer.current_png() == fresh.current_png(), setting
    assert blits >= 4


def _boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_axis_labels_stay_put_clear_of_the_widest_tick_labels():
    """The axis labels are pinned where the widest tick labels put them: the same place in
    every setting, never on a tick label (four-character y labels, 0.00-0.20, included)."""
    explorer = widgets.pushforward_explorer(mode="live")
    figure = explorer._render.figure
    places = set()
    for setting in [
        {"source": "gaussian", "location": 0.0, "scale": 3.0, "map": "square"},
        {"source": "gaussian", "location": -2.0, "scale": 3.0, "map": "exp"},
        {"source": "uniform", "location": -2.0, "scale": 0.25, "map": "exp"},
        {"source": "uniform", "location": 2.0, "scale": 3.0, "map": "log1p_square"},
    ]:
        explorer.set(**setting)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        where = []
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                label = axis.label.get_window_extent(renderer)
                ticks = [
                    t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_text()
                ]
                assert ticks and not any(_boxes_overlap(label, tick) for tick in ticks), setting
                where.append(tuple(np.round(label.bounds, 3)))
        places.add(tuple(where))
    assert len(places) == 1


# -- static mode ------------------------------------------------------------------------------


def test_static_frames_are_small(static_explorers):
    assert mean_frame_bytes(static_explorers["pushforward"]) < 12_000  # typical frame size


def test_every_static_frame_is_legible_and_its_legend_covers_nothing(static_explorers):
    explorer = static_explorers["pushforward"]
    assert assert_static_frames_legible(explorer, n_legends=1) == 60 - 4


def test_static_fixes_location_and_says_so(static_explorers):
    explorer = static_explorers["pushforward"]
    assert set(explorer.controls) == {"source", "scale", "map", "parameter"}
    note = explorer.children[-1]
    assert "pgm-note" in note._dom_classes
    assert note.value == (
        '<p class="pgm-note-text">Fixed on this page: location m = 0.0. '
        "Run the notebook (JupyterLab, Binder) to move it too.</p>"
    )
    errors = {
        explorer.frame_keys[combo]
        for combo, state in explorer._static_states.items()
        if "error" in state
    }
    # the probit map on a Gaussian source (3 scales) and on U[0, 2] is undefined
    assert len(errors) == 4


def test_static_shares_frames_only_where_c_is_unused(static_explorers):
    explorer = static_explorers["pushforward"]
    maps = explorer._specs["map"].static_values
    c_values = explorer._specs["parameter"].static_values
    assert c_values == (0.5, 1.0, 2.0)
    assert maps[-1] == "affine"  # a reader (or the browser test) jumping to the end meets c
    for combo in explorer.frames:
        siblings = {id(explorer.frames[(*combo[:3], i)]) for i in range(len(c_values))}
        uses_c = maps[combo[2]] in ("sign_split", "affine")
        assert len(siblings) == (len(c_values) if uses_c else 1), (combo, maps[combo[2]])
    distinct = {id(image) for image in explorer.frames.values()}
    assert len(explorer.frames) == 2 * 3 * 6 * 3 and len(distinct) == 2 * 3 * (4 + 2 * 3)
    # the slope c of the affine map changes the histogram: the same draws, stretched by c
    explorer.set(source="uniform", scale=1.0, map="affine")
    spans = []
    for c in c_values:
        explorer.set(parameter=c)
        edges = explorer.state["target_edges"]
        spans.append(edges[-1] - edges[0])
        assert explorer.state["map_name"] == f"{c:g}·x + 1"
    np.testing.assert_allclose(np.array(spans) / spans[0], np.array(c_values) / c_values[0])


def test_legend_clashes_finds_a_legend_over_data_and_none_beside_it():
    """The check itself: a legend over a curve, or over a tick label, is caught; one above the
    axes is not."""
    from pgmlib.plotting import book_style, new_figure

    with book_style():
        figure, ax = new_figure(4.0, 3.0, dpi=90)
    figure.set_layout_engine("none")  # the axes stay where they are, whatever the legend
    ax.plot([0, 1], [0, 1], label="curve")
    ax.legend(loc="center")
    figure.canvas.draw()
    assert legend_clashes(figure) == ["legend 0 covers Line2D 'curve'"]
    ax.legend(loc="center left", bbox_to_anchor=(-0.2, 0.5))
    figure.canvas.draw()
    assert any("YAxis" in clash for clash in legend_clashes(figure))
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
    figure.canvas.draw()
    assert legend_clashes(figure) == []
    ax.legend(loc="lower left", bbox_to_anchor=(0.9, 1.0))
    figure.canvas.draw()
    assert any("outside the figure" in clash for clash in legend_clashes(figure))


def test_legible_at_the_extremes_of_the_live_sliders():
    """Beyond the static grid: both sources at the corners of the location and scale sliders,
    under every map (c = 3 where it is used), keep their tick labels inside the figure and the
    legend clear of them (the frozen layout left room for the widest)."""
    explorer = widgets.pushforward_explorer(mode="live")
    figure = explorer._render.figure
    for source in ("gaussian", "uniform"):
        for location, scale in [(-2.0, 0.25), (2.0, 3.0), (-2.0, 3.0), (2.0, 0.25)]:
            for key in pgm.map_catalogue():
                explorer.set(source=source, location=location, scale=scale, map=key, parameter=3.0)
                if "error" in explorer.state:
                    continue
                setting = (source, location, scale, key)
                assert not legend_clashes(figure), (setting, legend_clashes(figure))
                assert not text_problems(figure), (setting, text_problems(figure))
