"""The MLE explorer (section 1.4, Example 1.4; pgmlib/widgets/_likelihood.py): what is
particular to it. The checks every explorer passes run from the registry in
tests/test_explorers.py.

Its replicated estimates are pgmlib's, and what the guide promises happens: the spread shrinks
like 1/sqrt(N) (consistency) and the standardised histograms approach N(0, 1) (asymptotic
normality).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _explorer_checks import MAX_MOVES, sweep

import pgmlib as pgm
from pgmlib.widgets import mle_explorer


@pytest.fixture(scope="module")
def live_mle():
    return mle_explorer(mode="live")


def test_live_sweeps_n_on_both_axes(live_mle):
    assert set(live_mle.controls) == {"n", "axes"}
    for axes in ("standardised", "fixed"):
        live_mle.set(axes=axes)
        sweep(live_mle, "n", max_moves=MAX_MOVES)
    live_mle.set(n=10)
    sweep(live_mle, "axes", max_moves=MAX_MOVES)


def test_numbers_are_pgmlib_s(live_mle):
    live_mle.set(n=50, axes="fixed")
    state = live_mle.state
    rng = np.random.default_rng([104, 50])
    a_hat, sigma2_hat = pgm.sample_regression_mle(2.0, 1.0, 50, 2000, rng)
    assert state["a_sd"] == pytest.approx(a_hat.std(), rel=1e-12)
    assert state["sigma2_mean"] == pytest.approx(sigma2_hat.mean(), rel=1e-12)
    inverse = np.linalg.inv(pgm.regression_fisher_information(1.0))
    assert state["a_sd_limit"] == pytest.approx(math.sqrt(inverse[0, 0] / 50), rel=1e-14)
    assert state["sigma2_sd_limit"] == pytest.approx(math.sqrt(inverse[1, 1] / 50), rel=1e-14)
    for name in ("a", "sigma2"):  # both histograms are densities of what falls inside
        width = np.diff(state[f"{name}_edges"])
        mass = np.sum(state[f"{name}_density"] * width)
        assert mass == pytest.approx(1 - state[f"{name}_outside"], abs=1e-12)
        law = np.sum(state[f"{name}_law"] * width)
        assert 0.99 < law <= 1.0 + 1e-12


def test_consistency_and_asymptotic_normality(live_mle):
    sds = {}
    for n in (10, 1000):
        live_mle.set(n=n, axes="standardised")
        sds[n] = (live_mle.state["a_sd"], live_mle.state["sigma2_sd"])
    # spread shrinks like 1/sqrt(N): a factor 10 from N = 10 to N = 1000 (2000 data sets)
    for small, large in zip(sds[10], sds[1000], strict=True):
        assert 7 < small / large < 13
    state = live_mle.state  # N = 1000, standardised: the histograms approach N(0, 1)
    for name in ("a", "sigma2"):
        gap = np.abs(state[f"{name}_density"] - state[f"{name}_law"]).max()
        assert gap < 0.08, f"{name}: histogram departs from N(0, 1) by {gap}"
        assert state[f"{name}_sd"] / state[f"{name}_sd_limit"] == pytest.approx(1, abs=0.06)
    assert "biased, but consistent" in live_mle.readout.value


def test_validates_its_arguments():
    with pytest.raises(ValueError, match="`sigma2` must be"):
        mle_explorer(mode="live", sigma2=0.0)
    with pytest.raises(ValueError, match="n_replicates"):
        mle_explorer(mode="live", n_replicates=5)
