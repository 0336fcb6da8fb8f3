"""Explorer for section 1.6, Example 1.12: the KL gradient flow of Figure 1.5, step by step."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib import ticker
from matplotlib.transforms import IdentityTransform

from .. import divergences, gradient_flow
from ..plotting._divergences import FIGURE_1_5_SETTINGS, gradient_flow_styles
from ..plotting._style import OKABE_ITO
from ._core import (
    Explorer,
    FigureView,
    choice,
    format_number,
    format_vector,
    freeze_widest_layout,
    nice_ceil,
    slider,
)

__all__ = ["kl_gradient_flow_explorer"]

#: The target p = N(MU0, SIGMA0^2) of Example 1.12 (fixed: the explorer moves q only).
MU0, SIGMA0 = FIGURE_1_5_SETTINGS["mu0"], FIGURE_1_5_SETTINGS["sigma0"]
#: The window of the (mu, sigma) plane reaches these many "spans" (the distance from the start
#: to the target) beyond the start and the target, the least that holds the path; at most the
#: last: a diverging path leaves it.
_WINDOW_MARGINS = (0.0, 0.5, 1.0, 2.0)
#: Smallest KL drawn on the logarithmic axis (the flow can reach the target to rounding).
_KL_FLOOR = 1e-12
#: pgmlib stops a path whose KL exceeds this (``max_kl``): it diverges (the KL would soon
#: overflow, and a logarithmic axis cannot reach near the largest float).
_KL_CEILING = 1e100
#: Why a path stops, in the text alternative (GradientFlowStop.parameter).
_STOP_REASONS = {
    "sigma": "σ would turn ≤ 0",
    "mu": "μ would overflow",
    "kl": "the iterates diverge",
}
#: Static page: two starting widths (Figure 1.5's sigma = 20, and a narrow q, sigma = 5, whose
#: correct gradient first widens q to cover p), the step sizes eta_sigma and numbers of steps.
_SIGMA_INIT_STATIC = [5.0, 20.0]
_ETA_SIGMA_STATIC = [1.0, 2.0, 4.0, 6.6, 10.0, 20.0]
_N_STEPS_STATIC = [5, 10, 31, 60, 100]
#: The step axis of the KL panel ends at the first of these at or after the last step.
_STEP_AXIS = (5, 10, 20, 40, 60, 100)
#: At most this many iterates are numbered (the first ones, every fifth, the last).
_MAX_LABELS = 24
#: The red cross where a path stops (its next step would leave the domain or diverge).
_STOP = {
    "linestyle": "none",
    "marker": "X",
    "color": OKABE_ITO["vermillion"],
    "markeredgecolor": "black",
}


def _run(params: dict[str, Any], rule: str) -> dict[str, Any]:
    """One trajectory from pgmlib; where it stops (and why) is pgmlib's decision."""
    path = gradient_flow.kl_gradient_flow(
        MU0,
        SIGMA0,
        params["mu_init"],
        params["sigma_init"],
        params["eta_mu"],
        params["eta_sigma"],
        int(params["n_steps"]),
        rule=rule,
        max_kl=_KL_CEILING,
        on_stop="return",
    )
    with np.errstate(over="ignore"):
        kl = np.asarray(divergences.kl_gaussian(MU0, SIGMA0, path.mus, path.sigmas), dtype=float)
    stop = path.stop
    return {
        "mus": path.mus,
        "sigmas": path.sigmas,
        "kl": kl.reshape(-1),
        "failure": stop.reason if stop else "",
        "failed_step": stop.step if stop else 0,
        "failed_parameter": stop.parameter if stop else "",
    }


def _flow_state(params: dict[str, Any]) -> dict[str, Any]:
    """Both trajectories (the correct gradient and, if shown, the notes' printed rule)."""
    exact = _run(params, "exact")
    state = {
        "mus": exact["mus"],
        "sigmas": exact["sigmas"],
        "kl": exact["kl"],
        "kl_start": float(exact["kl"][0]),
        "kl_end": float(exact["kl"][-1]),
        "steps_done": exact["mus"].size - 1,
        "failure": exact["failure"],
        "failed_step": exact["failed_step"],
        "failed_parameter": exact["failed_parameter"],
        "show_printed": params["printed"] == "shown",
    }
    if state["show_printed"]:
        printed = _run(params, "notes")
        state.update(
            {
                "printed_mus": printed["mus"],
                "printed_sigmas": printed["sigmas"],
                "printed_kl": printed["kl"],
                "printed_kl_end": float(printed["kl"][-1]),
                "printed_failure": printed["failure"],
                "printed_failed_step": printed["failed_step"],
            }
        )
    return state


def _label_steps(n_points: int) -> list[int]:
    """Iterates to number: 0-3, every fifth, the last (at most ``_MAX_LABELS``)."""
    steps = [k for k in range(n_points) if k <= 3 or k % 5 == 0]
    if n_points - 1 not in steps:
        steps.append(n_points - 1)
    return steps[: _MAX_LABELS - 1] + ([n_points - 1] if len(steps) >= _MAX_LABELS else [])


def _window(params: dict[str, Any], mus: np.ndarray, sigmas: np.ndarray) -> tuple:
    """Axis limits holding the start, the target and the path (clipped if it diverges).

    The box of the start and the target grows by 0, 1/2, 1 or 2 "spans" (the distance from the
    start to the target), the least that holds the path: the window depends on the step sizes
    and the number of steps only when the path leaves the box, so most moves of those sliders
    keep the limits (and redraw only the paths over the cached background).
    """
    mu_init, sigma_init = float(params["mu_init"]), float(params["sigma_init"])
    span = max(abs(mu_init - MU0), abs(sigma_init - SIGMA0), 1.0)
    for margin in _WINDOW_MARGINS:
        x_limits, y_limits = _snapped_box(mu_init, sigma_init, margin * span)
        inside = bool(
            mus.min() >= x_limits[0] and mus.max() <= x_limits[1] and sigmas.max() <= y_limits[1]
        )
        if inside:
            return x_limits, y_limits, False
    return x_limits, y_limits, True


def _snapped_box(mu_init: float, sigma_init: float, margin: float) -> tuple:
    """The box of the start and the target grown by ``margin``, widened to round ticks."""
    low, high = min(MU0, mu_init) - margin, max(MU0, mu_init) + margin
    top = max(SIGMA0, sigma_init) + margin
    step = nice_ceil(max(high - low, top) / 6)
    x_limits = (math.floor(low / step - 0.3) * step, math.ceil(high / step + 0.3) * step)
    return x_limits, (0.0, nice_ceil(1.06 * top))


def _kl_limits(values: np.ndarray) -> tuple[float, float]:
    """Limits of the logarithmic KL axis: from at most 0.1 (in steps of 100 below it) to at
    least 10, whole decades around ``values`` (snapped: few changes as a slider moves)."""
    low = min(math.floor(math.log10(values.min()) - 0.3), -1)
    low = -1 - 2 * math.ceil((-1 - low) / 2)
    high = max(math.ceil(math.log10(values.max()) + 0.3), 1)
    return 10.0**low, 10.0**high


class _GradientFlowView(FigureView):
    # 585 x 351 px: fits a 592-px output area (JupyterLab beside its file browser) unscaled
    width, height, ncols = 6.5, 3.9, 2
    width_ratios = (1.45, 1.0)

    def setup(self) -> None:
        plane, curve = self.axes
        styles = gradient_flow_styles(MU0, SIGMA0)  # as in Figure 1.5
        self._setup_plane(plane, styles)
        self._setup_curve(curve, styles)
        # the number of steps, and where and why the path stops: above the KL panel, clear of
        # the curves (at most three lines)
        self.note = curve.set_title("", loc="right", fontsize=9.5)
        self.animate(
            self.chord,
            self.printed,
            self.path,
            self.stop,
            *self.labels,
            self.note,
            self.kl_printed,
            self.kl_line,
            self.kl_stop,
        )
        self._freeze_layout(plane, curve)
        self._printed_shown: bool | None = None

    def _freeze_layout(self, plane: Any, curve: Any) -> None:
        """Lay the figure out once for the widest tick labels it can show (those of sigma have
        at most two digits and no sign, or three characters such as "0.2" when the window is
        low; the KL axis reaches 1e100), the larger legend and a three-line note: full redraws
        then skip the layout."""
        self.legends[False].set_visible(False)
        self.note.set_text("100 steps asked:\nstopped before step 100\n(path leaves the window)")
        axes = self.figure.axes
        widest = {
            axes.index(plane): ((-60.0, 60.0), (0.0, 1.2)),
            axes.index(curve): ((-0.5, 100.5), (1e-13, 1e101)),
        }
        freeze_widest_layout(self.figure, [widest])
        self.note.set_text("")

    def _setup_plane(self, plane: Any, styles: dict[str, dict[str, Any]]) -> None:
        """The (mu, sigma) plane: both paths, the straight line, the target, iterate numbers."""
        (self.chord,) = plane.plot([], [], **styles["chord"])
        (self.printed,) = plane.plot([], [], **styles["printed"])
        (self.path,) = plane.plot([], [], **styles["exact"])
        (self.stop,) = plane.plot([], [], **_STOP, markersize=13)
        (target,) = plane.plot([MU0], [SIGMA0], **styles["target"])
        # iterate numbers, placed in pixels beside their points (plain texts draw faster than
        # annotations)
        self.labels = [
            plane.text(
                0,
                0,
                "",
                transform=IdentityTransform(),
                ha="center",
                va="center",
                fontsize=9,
                color=styles["exact"]["color"],
            )
            for _ in range(_MAX_LABELS)
        ]
        for axis in (plane.xaxis, plane.yaxis):  # round ticks (no 2.5 steps: short labels)
            axis.set_major_locator(ticker.MaxNLocator(steps=[1, 2, 5, 10]))
        plane.set_xlabel(r"$\mu$, mean of $q$")
        plane.set_ylabel(r"$\sigma$, standard deviation of $q$")
        # Above both panels, never over a path or a number: two legends, with and without the
        # printed rule (two rows each); the one that matches the figure is shown. Both panels
        # draw each path in its colour, so one legend serves both.
        handles = [self.path, self.printed, self.chord, target]
        self.legends = {
            shown: self.figure.legend(
                handles=[h for h in handles if shown or h is not self.printed],
                loc="outside upper center",
                ncols=2,
                frameon=False,
                fontsize=9.5,
            )
            for shown in (False, True)
        }

    def _setup_curve(self, curve: Any, styles: dict[str, dict[str, Any]]) -> None:
        """The KL along each path, on a logarithmic axis."""
        exact, printed = styles["exact"], styles["printed"]
        (self.kl_printed,) = curve.plot(
            [], [], color=printed["color"], linestyle=printed["linestyle"], linewidth=1.6
        )
        (self.kl_line,) = curve.plot([], [], color=exact["color"], marker="o", markersize=3.5)
        (self.kl_stop,) = curve.plot([], [], **_STOP, markersize=11)
        curve.set_yscale("log")
        curve.set_xlabel("step $n$")
        curve.set_ylabel(r"$\mathrm{KL}(p\,\|\,q_n)$ (nats)")

    def update(self, params: dict[str, Any], state: dict[str, Any]) -> None:
        plane, curve = self.axes
        mus, sigmas = state["mus"], state["sigmas"]
        shown = state["show_printed"]
        paths = self._paths(state)
        all_mus = np.concatenate([path[0] for path in paths])
        all_sigmas = np.concatenate([path[1] for path in paths])
        x_limits, y_limits, clipped = _window(params, all_mus, all_sigmas)
        plane.set_xlim(*x_limits)
        plane.set_ylim(*y_limits)
        self.chord.set_data([params["mu_init"], MU0], [params["sigma_init"], SIGMA0])
        self.path.set_data(mus, sigmas)
        self.printed.set_data(paths[1][:2] if shown else ([], []))
        if shown != self._printed_shown:  # the legends are in the background
            for key, legend in self.legends.items():
                legend.set_visible(key == shown)
            self._printed_shown = shown
            self.invalidate()
        self._number(plane, mus, sigmas)
        self.note.set_text(self._note(params, state) + ("\n(path leaves the window)" * clipped))
        kls = [np.maximum(kl, _KL_FLOOR) for kl in self._kls(state)]
        self.kl_line.set_data(np.arange(kls[0].size), kls[0])
        self.kl_printed.set_data((np.arange(kls[1].size), kls[1]) if shown else ([], []))
        failed = [i for i, path in enumerate(paths) if path[2]]
        self.stop.set_data([paths[i][0][-1] for i in failed], [paths[i][1][-1] for i in failed])
        self.kl_stop.set_data([kls[i].size - 1 for i in failed], [kls[i][-1] for i in failed])
        values = np.concatenate(kls)
        curve.set_ylim(*_kl_limits(values))
        # snapped: the axis (hence the cached background) changes only now and then
        last = next(n for n in _STEP_AXIS if n >= int(params["n_steps"]))
        curve.set_xlim(-0.5, last + 0.5)

    def _number(self, plane: Any, mus: np.ndarray, sigmas: np.ndarray) -> None:
        """Number a few iterates beside the path, skipping any that would crowd a label."""
        pixels = plane.transData.transform(np.column_stack((mus, sigmas)))
        if mus.size > 1:
            tangent = np.gradient(pixels, axis=0)
        else:
            tangent = np.array([[1.0, 0.0]])
        normal = np.column_stack((-tangent[:, 1], tangent[:, 0]))
        normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
        normal[normal[:, 1] < 0] *= -1  # labels above the path
        offset = 10 * self.figure.dpi / 72  # 10 points
        kept: list[np.ndarray] = []
        labels = iter(self.labels)
        for k in _label_steps(mus.size):
            outside = not plane.bbox.contains(*pixels[k])  # a point out of the window
            if outside or any(np.hypot(*(pixels[k] - p)) < 16 for p in kept):
                continue
            kept.append(pixels[k])
            label = next(labels)
            label.set_position(tuple(pixels[k] + offset * normal[k]))
            label.set_text(str(k))
            label.set_visible(True)
        for label in labels:
            label.set_visible(False)

    @staticmethod
    def _paths(state: dict[str, Any]) -> list[tuple]:
        paths = [(state["mus"], state["sigmas"], bool(state["failure"]))]
        if state["show_printed"]:
            paths.append(
                (state["printed_mus"], state["printed_sigmas"], bool(state["printed_failure"]))
            )
        return paths

    @staticmethod
    def _kls(state: dict[str, Any]) -> list[np.ndarray]:
        return [state["kl"], state["printed_kl"]] if state["show_printed"] else [state["kl"]]

    @staticmethod
    def _note(params: dict[str, Any], state: dict[str, Any]) -> str:
        asked = int(params["n_steps"])
        if state["failure"]:
            return f"{asked} steps asked:\nstopped before step {state['failed_step']}"
        return f"{asked} steps"


def _flow_readout(params: dict[str, Any], state: dict[str, Any]) -> str:
    n = state["steps_done"]
    mu, sigma = state["mus"][-1], state["sigmas"][-1]
    text = (
        f"Correct gradient: after {n} step{'s' * (n != 1)}, (μ, σ) = {format_vector([mu, sigma])}"
        f" and KL(p‖q) = <b>{format_number(state['kl_end'])}</b> nats "
        f"(start: {format_number(state['kl_start'])})."
    )
    if state["failure"]:
        text += f" <b>Stopped:</b> {state['failure']}"
    elif n and np.any(np.diff(state["kl"]) > 0):
        first = int(np.argmax(np.diff(state["kl"]) > 0)) + 1
        text += f" The KL rises first at step {first}: the steps overshoot."
    if state["show_printed"]:
        m, s = state["printed_mus"][-1], state["printed_sigmas"][-1]
        text += (
            f"<br>Printed rule (1.42), which drops the mean term of the σ-gradient: (μ, σ) = "
            f"{format_vector([m, s])}, KL = "
            f"{format_number(state['printed_kl_end'])} nats."
        )
        if state["printed_failure"]:
            text += f" <b>Stopped:</b> {state['printed_failure']}"
    return text


def _flow_alt(params: dict[str, Any], state: dict[str, Any]) -> str:
    text = (
        f"Left: the path of gradient descent on KL(N(0, 1) ‖ N(μ, σ²)) in the (μ, σ) plane from "
        f"{format_vector([params['mu_init'], params['sigma_init']])} with step sizes η_μ = "
        f"{format_number(params['eta_mu'])}, η_σ = {format_number(params['eta_sigma'])}: "
        f"{state['steps_done']} steps, ending at "
        f"{format_vector([state['mus'][-1], state['sigmas'][-1]], 3)}"
        f"; the target (0, 1) is a red star. Right: the KL along the path on a log scale, from "
        f"{format_number(state['kl_start'], 3)} to {format_number(state['kl_end'], 3)} nats."
    )
    if state["failure"]:
        text += f" The path stops at a red cross: {_STOP_REASONS[state['failed_parameter']]}."
    if state["show_printed"]:
        text += " Dashed orange: the same descent with the notes' printed rule (1.42)."
    return text


def _flow_controls() -> list:
    """The controls: start, step sizes and number of steps (Figure 1.5's values first)."""
    settings = FIGURE_1_5_SETTINGS
    return [
        slider(
            "mu_init",
            np.round(np.arange(-10.0, 10.0001, 0.5), 10),
            value=settings["mu_init"],
            description="start μ",
            fmt="{:.1f}",
            static_grid=[settings["mu_init"]],
        ),
        slider(
            "sigma_init",
            np.round(np.arange(0.5, 20.0001, 0.5), 10),
            value=settings["sigma_init"],
            description="start σ",
            fmt="{:.1f}",
            static_grid=_SIGMA_INIT_STATIC,
        ),
        slider(
            "eta_mu",
            np.round(np.arange(0.0, 20.0001, 0.5), 10),
            value=settings["eta_mu"],
            description="step size η_μ",
            fmt="{:.1f}",
            static_grid=[settings["eta_mu"]],
        ),
        slider(
            "eta_sigma",
            np.round(np.arange(0.0, 20.0001, 0.2), 10),
            value=settings["eta_sigma"],
            description="step size η_σ",
            fmt="{:.1f}",
            static_grid=_ETA_SIGMA_STATIC,
        ),
        slider(
            "n_steps",
            np.arange(0, 101),
            value=settings["n_steps"],
            description="number of steps",
            fmt="{:.0f}",
            static_grid=_N_STEPS_STATIC,
        ),
        choice(
            "printed",
            {"hidden": "hidden", "shown (dashed)": "shown"},
            description="printed rule (1.42)",
            static_options=["hidden"],
        ),
    ]


def kl_gradient_flow_explorer(mode: str | None = None) -> Explorer:
    """Explorer of Example 1.12 (Figure 1.5): gradient descent on KL(p || q) in (mu, sigma).

    The target is :math:`p = \\mathcal{N}(0, 1)`; :math:`q = \\mathcal{N}(\\mu, \\sigma^2)`
    starts at the chosen point and moves by the updates (1.41)-(1.42) with the correct
    gradient of eq. (1.38), :func:`pgmlib.kl_gradient_flow` (``rule="exact"``). Left: the
    numbered iterates in the :math:`(\\mu, \\sigma)` plane with the target (red star) and the
    straight line to it, as in Figure 1.5. Right: :math:`\\mathrm{KL}(p \\,\\|\\, q_n)` along
    the path on a logarithmic axis (:func:`pgmlib.kl_gaussian`). A choice (toggle buttons) adds
    the path of the printed rule (1.42), whose :math:`\\sigma`-gradient misses the term
    :math:`-(\\mu - \\mu_0)^2/\\sigma^3`.

    pgmlib decides where a path stops (:attr:`pgmlib.GradientFlowPath.stop`): at a step that
    leaves the domain (:math:`\\sigma \\le 0`: the step size is too large), or where the KL
    exceeds :math:`10^{100}` (the iterates diverge). The valid part is drawn, a red cross marks
    where it stops, and the readout gives pgmlib's reason. A diverging path runs out of the
    plotted window, which stays around the start and the target.

    Parameters
    ----------
    mode : {"live", "static"}, optional
        Default: env ``PGMLIB_WIDGET_MODE`` ("static" during the book build), else "live".

    Returns
    -------
    Explorer
        Controls ``mu_init``, ``sigma_init``, ``eta_mu``, ``eta_sigma``, ``n_steps``,
        ``printed``; ``state`` holds the path (``mus``, ``sigmas``, ``kl``), ``kl_start``,
        ``kl_end``, ``steps_done`` and ``failure`` (the error message, or "").
        Static: start :math:`\\mu = 10` and :math:`\\eta_\\mu = 10` of Figure 1.5 fixed, the
        printed rule hidden (Figure 1.5 on the same page compares the two rules); start
        :math:`\\sigma` (2: Figure 1.5's 20, and 5, where the correct gradient first widens
        q) x :math:`\\eta_\\sigma` (6) x number of steps (5) = 60 frames, about 10 KB each.

    Examples
    --------
    >>> explorer = kl_gradient_flow_explorer(mode="live")
    >>> explorer.state["steps_done"], explorer.state["kl_end"] < explorer.state["kl_start"]
    (31, True)
    >>> explorer.set(eta_sigma=20.0)  # too large: sigma would turn negative
    >>> explorer.state["steps_done"] < 31 and "reduce eta_sigma" in explorer.state["failure"]
    True
    """
    return Explorer(
        _flow_controls(),
        _flow_state,
        _GradientFlowView(),
        readout=_flow_readout,
        alt=_flow_alt,
        mode=mode,
        name="kl_gradient_flow",
    )
