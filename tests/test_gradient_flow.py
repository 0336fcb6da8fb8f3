"""Tests for pgmlib.gradient_flow (Example 1.12, Figure 1.5).

Independent routes: central finite differences of kl_gaussian (itself checked against
quadrature in test_divergences.py), hand-written iterations of the update rules, and the
descent property of gradient descent with small steps.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pgmlib.divergences import kl_gaussian
from pgmlib.gradient_flow import (
    GaussianKLGradient,
    GradientFlowError,
    GradientFlowPath,
    GradientFlowStop,
    kl_gaussian_grad,
    kl_gradient_flow,
)

FIGURE_1_5 = {"mu0": 0.0, "sigma0": 1.0, "mu_init": 10.0, "sigma_init": 20.0}
FIGURE_1_5_STEPS = {"eta_mu": 10.0, "eta_sigma": 6.6}


def finite_difference_grad(mu0, sigma0, mu1, sigma1, h=1e-5):
    """Central differences of eq. (1.38) in (mu1, sigma1); error O(h^2) ~ 1e-10."""
    d_mu = kl_gaussian(mu0, sigma0, mu1 + h, sigma1) - kl_gaussian(mu0, sigma0, mu1 - h, sigma1)
    d_sigma = kl_gaussian(mu0, sigma0, mu1, sigma1 + h) - kl_gaussian(mu0, sigma0, mu1, sigma1 - h)
    return d_mu / (2 * h), d_sigma / (2 * h)


# --- the gradient --------------------------------------------------------------------------


def test_kl_gaussian_grad_matches_finite_differences():
    """The exact gradient of (1.38) -- (1.39) and the corrected (1.40) -- on a grid."""
    rng = np.random.default_rng(11)
    mu0, mu1 = rng.uniform(-3, 3, 50), rng.uniform(-3, 3, 50)
    sigma0, sigma1 = rng.uniform(0.3, 3, 50), rng.uniform(0.3, 3, 50)
    d_mu, d_sigma = kl_gaussian_grad(mu0, sigma0, mu1, sigma1)
    fd_mu, fd_sigma = finite_difference_grad(mu0, sigma0, mu1, sigma1)
    np.testing.assert_allclose(d_mu, fd_mu, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(d_sigma, fd_sigma, rtol=1e-6, atol=1e-8)


def test_kl_gaussian_grad_closed_form_and_shapes():
    grad = kl_gaussian_grad(1.0, 2.0, 3.0, 4.0)
    assert isinstance(grad, GaussianKLGradient)
    assert type(grad.d_mu1) is float and type(grad.d_sigma1) is float
    assert grad.d_mu1 == pytest.approx((3.0 - 1.0) / 16.0, rel=1e-12)
    assert grad.d_sigma1 == pytest.approx((16.0 - 4.0 - 4.0) / 64.0, rel=1e-12)
    grid = kl_gaussian_grad(0.0, 1.0, np.linspace(-1, 1, 3)[:, None], np.linspace(0.5, 2, 4))
    assert grid.d_mu1.shape == grid.d_sigma1.shape == (3, 4)
    assert kl_gaussian_grad(0.5, 1.5, 0.5, 1.5) == (0.0, 0.0)


def test_notes_rule_gradient_is_the_printed_one():
    """rule='notes' returns (1.39)-(1.40) as printed: right only when mu1 == mu0."""
    printed = kl_gaussian_grad(0.0, 1.0, 2.0, 1.5, rule="notes")
    assert printed.d_mu1 == pytest.approx(2.0 / 1.5**2, rel=1e-12)
    assert printed.d_sigma1 == pytest.approx((1.5**2 - 1.0) / 1.5**3, rel=1e-12)
    assert kl_gaussian_grad(0.3, 1.0, 0.3, 1.5, rule="notes") == kl_gaussian_grad(0.3, 1, 0.3, 1.5)


# --- the flow ------------------------------------------------------------------------------


def test_flow_shape_and_start():
    path = kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=30)
    assert isinstance(path, GradientFlowPath)
    mus, sigmas = path
    assert mus.shape == sigmas.shape == (31,)
    assert (mus[0], sigmas[0]) == (10.0, 20.0)
    start = kl_gradient_flow(0.0, 1.0, 3.0, 2.0, 1.0, 1.0, n_steps=0)
    assert start.mus.tolist() == [3.0] and start.sigmas.tolist() == [2.0]


def test_exact_rule_steps_along_the_finite_difference_gradient():
    """Each update is (mu, sigma) - eta * grad, grad from finite differences of (1.38)."""
    mus, sigmas = kl_gradient_flow(0.5, 1.2, 3.0, 2.5, 0.7, 0.4, n_steps=5)
    fd_mu, fd_sigma = finite_difference_grad(0.5, 1.2, mus[:-1], sigmas[:-1])
    np.testing.assert_allclose(mus[1:], mus[:-1] - 0.7 * fd_mu, rtol=1e-9)
    np.testing.assert_allclose(sigmas[1:], sigmas[:-1] - 0.4 * fd_sigma, rtol=1e-9)


def test_notes_rule_iterates_the_printed_equations_1_41_1_42():
    mus, sigmas = kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=30, rule="notes")
    mu, sigma = 10.0, 20.0
    for n in range(1, 31):
        mu, sigma = mu - 10.0 * mu / sigma**2, sigma - 6.6 * (sigma**2 - 1.0) / sigma**3
        assert mus[n] == pytest.approx(mu, rel=1e-13)
        assert sigmas[n] == pytest.approx(sigma, rel=1e-13)


def test_figure_1_5_settings_both_rules():
    """Both trajectories are finite; the exact one lowers the KL at every step and keeps sigma
    wider than the printed rule (which ignores the mean mismatch)."""
    exact = kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=30)
    notes = kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=30, rule="notes")
    for path in (exact, notes):
        assert np.all(np.isfinite(path.mus)) and np.all(path.sigmas > 0)
    kl = kl_gaussian(0.0, 1.0, exact.mus, exact.sigmas)
    assert np.all(np.diff(kl) < 0)
    assert np.all(exact.sigmas[1:] > notes.sigmas[1:])


def test_exact_flow_converges_to_the_target():
    mus, sigmas = kl_gradient_flow(0.0, 1.0, 3.0, 2.0, 0.5, 0.5, n_steps=400)
    assert abs(mus[-1]) < 1e-8 and abs(sigmas[-1] - 1.0) < 1e-8


def test_figure_1_5_step_sizes_overshoot_after_the_figure():
    """With eta_mu = 10, eta_sigma = 6.6 both rules lower the KL over the figure's 31 steps,
    then overshoot once sigma nears sigma0 (eta_mu = 10 > 2 sigma^2, the stability limit in
    mu): the KL jumps up at step 32 (printed rule) and step 38 (exact rule)."""
    for rule, first_increase in (("notes", 32), ("exact", 38)):
        mus, sigmas = kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=40, rule=rule)
        kl = kl_gaussian(0.0, 1.0, mus, sigmas)
        assert np.all(np.diff(kl[:32]) < 0)  # steps 1-31: the figure
        assert np.flatnonzero(np.diff(kl) > 0)[0] + 1 == first_increase


@settings(max_examples=50, deadline=None)
@given(
    st.floats(-3, 3),
    st.floats(0.5, 2),
    st.floats(-3, 3),
    st.floats(0.5, 4),
)
def test_small_steps_never_increase_the_kl(mu0, sigma0, mu_init, sigma_init):
    """Gradient descent with a step well below 1/L decreases the objective monotonically."""
    eta = 0.02 * min(sigma0, sigma_init) ** 2
    mus, sigmas = kl_gradient_flow(mu0, sigma0, mu_init, sigma_init, eta, eta, n_steps=40)
    kl = kl_gaussian(mu0, sigma0, mus, sigmas)
    assert np.all(np.diff(kl) <= 1e-14)


def test_zero_step_size_freezes_a_coordinate():
    mus, sigmas = kl_gradient_flow(0.0, 1.0, 2.0, 3.0, 0.0, 0.5, n_steps=10)
    assert np.all(mus == 2.0) and not np.all(sigmas == 3.0)


# --- leaving the domain --------------------------------------------------------------------


def test_too_large_sigma_step_raises_with_step_value_and_fix():
    with pytest.raises(
        GradientFlowError, match=r"step 1 .* took sigma to -2.9259.* reduce eta_sigma \(now 20\)"
    ) as info:
        kl_gradient_flow(0.0, 1.0, 0.0, 3.0, 0.0, 20.0, n_steps=5)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.step, error.parameter) == (1, "sigma")
    assert error.value == pytest.approx(3.0 - 20.0 * 8.0 / 27.0, rel=1e-12)
    assert error.mus.tolist() == [0.0] and error.sigmas.tolist() == [3.0]


def test_domain_error_keeps_the_valid_part_of_the_path():
    """An explorer can catch the error and draw the iterates before the failure."""
    with pytest.raises(GradientFlowError, match="reduce eta_sigma") as info:
        kl_gradient_flow(0.0, 1.0, 0.0, 6.0, 0.0, 8.0, n_steps=50)
    error = info.value
    assert error.step == 10
    assert error.mus.shape == error.sigmas.shape == (error.step,)
    assert np.all(error.sigmas > 0)


def test_non_finite_mean_raises():
    with pytest.raises(GradientFlowError, match=r"took mu to -inf .* reduce eta_mu \(now 1\)"):
        kl_gradient_flow(0.0, 1e-160, 1.0, 1e-160, 1.0, 0.0, n_steps=3)


# --- where a path stops, and why: GradientFlowPath.stop ------------------------------------


def test_a_complete_path_has_no_stop():
    path = kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=30, max_kl=1e100)
    assert path.stop is None and path.mus.size == 31
    assert (
        kl_gradient_flow(**FIGURE_1_5, **FIGURE_1_5_STEPS, n_steps=30, on_stop="return").stop
        is None
    )


def test_on_stop_return_gives_the_raised_error_as_a_stop():
    """The same decision either way: the returned stop is the error's step, value and message."""
    args = (0.0, 1.0, 0.0, 6.0, 0.0, 8.0)
    with pytest.raises(GradientFlowError) as info:
        kl_gradient_flow(*args, n_steps=50)
    path = kl_gradient_flow(*args, n_steps=50, on_stop="return")
    error = info.value
    assert path.stop == GradientFlowStop(error.step, "sigma", error.value, str(error))
    np.testing.assert_array_equal(path.mus, error.mus)
    np.testing.assert_array_equal(path.sigmas, error.sigmas)
    mus, sigmas = path  # still unpacks and indexes as a pair
    assert len(path) == 2 and path[0] is path.mus and path[-1] is path.sigmas
    assert mus.size == sigmas.size == path.stop.step == 10


def test_a_diverging_path_stops_where_its_kl_first_exceeds_max_kl():
    """Independent route: the KL of the uncut path, from kl_gaussian, first above the ceiling."""
    args = (0.0, 1.0, 10.0, 0.5, 20.0, 0.0)
    full = kl_gradient_flow(*args, n_steps=26)  # every iterate finite: no ceiling, no stop
    with np.errstate(over="ignore"):
        kl = kl_gaussian(0.0, 1.0, full.mus, full.sigmas)
    assert np.flatnonzero(kl > 1e100).tolist() == [26]
    path = kl_gradient_flow(*args, n_steps=100, max_kl=1e100, on_stop="return")
    stop = path.stop
    assert stop.step == path.mus.size == 26 and stop.parameter == "kl"
    assert stop.value > 1e100 and np.all(kl_gaussian(0.0, 1.0, *path) <= 1e100)
    np.testing.assert_array_equal(path.mus, full.mus[:26])
    assert stop.value == kl[26]
    assert "where the KL exceeds 1e+100: the iterates diverge" in stop.reason
    assert stop.reason.endswith("The step is too large: reduce eta_mu (now 20).")
    with pytest.raises(GradientFlowError, match="the iterates diverge") as info:
        kl_gradient_flow(*args, n_steps=100, max_kl=1e100)
    assert (info.value.step, info.value.parameter) == (26, "kl")
    # without a ceiling the same flow takes every step: the iterates stay finite, the KL not
    unbounded = kl_gradient_flow(*args, n_steps=100, on_stop="return")
    assert unbounded.stop is None and np.all(np.isfinite(unbounded.mus))
    with np.errstate(over="ignore"):
        assert np.isinf(kl_gaussian(0.0, 1.0, *unbounded)[-1])


def test_max_kl_must_exceed_the_kl_at_the_start():
    """A ceiling below the start would call a path that has not moved divergent."""
    with pytest.raises(ValueError, match=r"`max_kl` \(1\) must exceed the KL at the start \(50\)"):
        kl_gradient_flow(0.0, 1.0, 10.0, 1.0, 0.0, 0.0, n_steps=3, max_kl=1.0)
    path = kl_gradient_flow(0.0, 1.0, 10.0, 1.0, 0.0, 0.0, n_steps=3, max_kl=51.0)
    assert path.stop is None and np.all(path.mus == 10.0)


def test_rejects_bad_stop_rules():
    with pytest.raises(ValueError, match="`on_stop` must be 'raise' or 'return'; got 'warn'"):
        kl_gradient_flow(0.0, 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=3, on_stop="warn")
    with pytest.raises(ValueError, match=r"`max_kl` must be > 0 \(a ceiling on the KL\) or None"):
        kl_gradient_flow(0.0, 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=3, max_kl=0.0)
    with pytest.raises(ValueError, match="`max_kl` must be finite; got inf"):
        kl_gradient_flow(0.0, 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=3, max_kl=np.inf)


# --- bad input -----------------------------------------------------------------------------


def test_rejects_negative_step_count():
    with pytest.raises(ValueError, match="`n_steps` must be >= 0; got -1"):
        kl_gradient_flow(0.0, 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=-1)


def test_rejects_non_integer_step_count():
    with pytest.raises(TypeError, match=r"`n_steps` must be an integer; got 2\.5"):
        kl_gradient_flow(0.0, 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=2.5)


@pytest.mark.parametrize("name, index", [("sigma0", 1), ("sigma_init", 3)])
def test_flow_rejects_non_positive_sigma(name, index):
    args = [0.0, 1.0, 1.0, 1.0, 0.1, 0.1]
    args[index] = -0.5
    with pytest.raises(ValueError, match=rf"`{name}` must be > 0 \(a standard deviation\)"):
        kl_gradient_flow(*args, n_steps=3)


@pytest.mark.parametrize("name, index", [("eta_mu", 4), ("eta_sigma", 5)])
def test_flow_rejects_negative_step_size(name, index):
    args = [0.0, 1.0, 1.0, 1.0, 0.1, 0.1]
    args[index] = -0.1
    with pytest.raises(ValueError, match=rf"`{name}` must be >= 0 \(a step size\); got -0.1"):
        kl_gradient_flow(*args, n_steps=3)


def test_flow_rejects_non_finite_and_non_scalar_arguments():
    with pytest.raises(ValueError, match="`mu_init` must be finite; got nan"):
        kl_gradient_flow(0.0, 1.0, np.nan, 1.0, 0.1, 0.1, n_steps=3)
    with pytest.raises(TypeError, match="`mu0` must be a scalar"):
        kl_gradient_flow(np.zeros(2), 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=3)


def test_rejects_unknown_rule():
    with pytest.raises(ValueError, match="`rule` must be 'exact' or 'notes'; got 'printed'"):
        kl_gradient_flow(0.0, 1.0, 1.0, 1.0, 0.1, 0.1, n_steps=3, rule="printed")
    with pytest.raises(ValueError, match="`rule` must be 'exact' or 'notes'"):
        kl_gaussian_grad(0.0, 1.0, 1.0, 1.0, rule="Exact")


def test_grad_rejects_non_positive_sigma_and_bad_shapes():
    with pytest.raises(ValueError, match="`sigma1` must be > 0; got 0"):
        kl_gaussian_grad(0.0, 1.0, 1.0, [1.0, 0.0])
    with pytest.raises(ValueError, match="must broadcast together"):
        kl_gaussian_grad(np.zeros(2), 1.0, np.zeros(3), 1.0)
