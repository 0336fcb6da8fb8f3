"""The static explorers' controls in Chromium, as a keyboard user and a narrow window meet them.

Every control of every explorer, in page order, has a visible label, an accessible name (a
slider's aria-label, the buttons' texts) and a place in the Tab order, and is moved from the
keyboard and must change its figure: a slider with End (Home when already at the end), a choice
-- a row of toggle buttons -- by tabbing from the chosen button to the last one (the first when
already there) and pressing Enter; the chosen button then says so (``aria-pressed``). At the
test viewport and at 1024 px the controls of an explorer share one label width (their tracks
start at one x), each slider has at least 6 px of track per step, and no explorer is wider than
its box.
"""

from __future__ import annotations

import pytest
from _site import NO_WIDGETS, VIEWPORT, open_page, slug

pytestmark = pytest.mark.browser

#: Pixels of track per slider step (pgmlib.widgets._core.MIN_STEP_PX).
MIN_STEP_PX = 6

#: The explorers' controls in page order: slider handles and rows of toggle buttons.
CONTROLS_JS = r"""
() => Array.from(document.querySelectorAll(
    '.pgm-explorer .pgm-control [role="slider"], .pgm-explorer .pgm-control.widget-toggle-buttons'))
  .map((control, i) => {
    control.dataset.pgmWalk = String(i);
    const box = control.closest(".pgm-control");
    const label = box.querySelector(".widget-label");
    const slider = control.matches('[role="slider"]');
    const buttons = Array.from(control.querySelectorAll("button.widget-toggle-button"));
    return {index: i, kind: slider ? "slider" : "buttons",
            label: label && label.getClientRects().length ? label.textContent.trim() : "",
            name: slider ? control.getAttribute("aria-label") || ""
                         : buttons.map((b) => b.textContent.trim()).join(" | "),
            tabindex: slider ? control.tabIndex : Math.min(...buttons.map((b) => b.tabIndex))};
  })
"""

#: What a control shows now: the figure(s) of its explorer, its value, and where it stands.
STATE_JS = r"""
(control) => {
  const root = control.closest(".pgm-explorer");
  const imgs = Array.from(root.querySelectorAll("img")).filter((i) => i.getClientRects().length);
  const figure = imgs.map((i) => i.currentSrc.length + ":" + i.currentSrc.slice(-64)).join("|");
  if (control.matches('[role="slider"]')) {
    const value = control.getAttribute("aria-valuenow");
    return {figure, value, at_end: value === control.getAttribute("aria-valuemax")};
  }
  const buttons = Array.from(control.querySelectorAll("button.widget-toggle-button"));
  const chosen = buttons.findIndex((b) => b.classList.contains("mod-active"));
  return {figure, value: chosen, at_end: chosen === buttons.length - 1, count: buttons.length,
          pressed: buttons.map((b) => b.getAttribute("aria-pressed")),
          tabbable: buttons.every((b) => b.tabIndex >= 0)};
}
"""

GEOMETRY_JS = r"""
(minStep) => Array.from(document.querySelectorAll(".pgm-explorer")).map((explorer) => {
  const name = Array.from(explorer.classList).find(
    (c) => c.startsWith("pgm-explorer-") && c !== "pgm-explorer-group");
  const shown = (e) => e.getClientRects().length > 0;
  const controls = Array.from(explorer.querySelectorAll(".pgm-control")).filter(shown);
  const labels = controls.map((c) => c.querySelector(".widget-label").getBoundingClientRect());
  const sliders = controls.filter((c) => c.querySelector('[role="slider"]')).map((c) => {
    const track = c.querySelector(".noUi-target").getBoundingClientRect();
    const handle = c.querySelector('[role="slider"]');
    const steps = Number(handle.getAttribute("aria-valuemax")) -
                  Number(handle.getAttribute("aria-valuemin"));
    return {left: track.left, width: track.width, steps};
  });
  return {
    name,
    overflow: explorer.scrollWidth - explorer.clientWidth,
    labelWidths: labels.map((r) => Math.round(r.width)),
    trackLefts: sliders.map((s) => Math.round(s.left)),
    tooShort: sliders.filter((s) => s.width < minStep * s.steps)
                     .map((s) => `${s.width.toFixed(0)} px for ${s.steps} steps`),
  };
})
"""


def _walk(page, control: dict) -> str | None:
    """Move one control from the keyboard; None if its figure and value changed."""
    where = f"#{control['index']} ({control['kind']} {control['label']!r})"
    locator = page.locator(f'[data-pgm-walk="{control["index"]}"]')
    locator.scroll_into_view_if_needed()
    before = locator.evaluate(STATE_JS)
    if control["kind"] == "slider":
        locator.focus()
        page.keyboard.press("Home" if before["at_end"] else "End")
    else:
        if not before["tabbable"]:
            return f"{where}: a button is not reachable with the Tab key"
        locator.locator("button.mod-active").focus()
        moves = before["value"] if before["at_end"] else before["count"] - 1 - before["value"]
        for _ in range(moves):
            page.keyboard.press("Shift+Tab" if before["at_end"] else "Tab")
        page.keyboard.press("Enter")
    after = before
    for _ in range(50):  # up to 5 s
        after = locator.evaluate(STATE_JS)
        if after["figure"] != before["figure"]:
            break
        page.wait_for_timeout(100)
    else:
        change = f"{before['value']} -> {after['value']}"
        return f"{where}: figure unchanged after the key press (value {change})"
    if after["value"] == before["value"]:
        return f"{where}: the figure changed but the value did not"
    if control["kind"] == "buttons":
        expected = ["true" if i == after["value"] else "false" for i in range(after["count"])]
        if after["pressed"] != expected:
            return f"{where}: aria-pressed {after['pressed']}, expected {expected}"
    return None


def test_every_control_of_an_explorer_moves_its_figure_from_the_keyboard(
    widget_page, visits, server
):
    assert widget_page != NO_WIDGETS, "no page embeds a widget: the static explorers are missing"
    context = visits.new_context()
    try:
        page, load = open_page(context, server.url(widget_page), server)
        controls = page.evaluate(CONTROLS_JS)
        assert controls, f"{widget_page} embeds widgets but no explorer control rendered"
        failures = [f"#{c['index']}: no visible label" for c in controls if not c["label"]]
        failures += [f"#{c['index']}: no accessible name" for c in controls if not c["name"]]
        failures += [f"#{c['index']}: not in the Tab order" for c in controls if c["tabindex"] < 0]
        failures += [_walk(page, control) for control in controls]
        visits.screenshot(page, f"{slug(widget_page)}-moved")
        failures += load.problems()
    finally:
        context.close()
    failures = [f for f in failures if f]
    assert not failures, f"{widget_page}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("width", [VIEWPORT["width"], 1024])
def test_explorer_controls_align_give_each_step_room_and_fit(widget_page, visits, server, width):
    assert widget_page != NO_WIDGETS, "no page embeds a widget: the static explorers are missing"
    context = visits.browser.new_context(
        viewport={"width": width, "height": VIEWPORT["height"]}, reduced_motion="reduce"
    )
    try:
        page, _ = open_page(context, server.url(widget_page), server)
        explorers = page.evaluate(GEOMETRY_JS, MIN_STEP_PX)
    finally:
        context.close()
    assert explorers, f"{widget_page}: no explorer rendered"
    failures = []
    for explorer in explorers:
        where = f"{explorer['name']} at {width} px"
        if explorer["overflow"] > 0:
            failures.append(f"{where}: {explorer['overflow']} px wider than its box")
        if max(explorer["labelWidths"]) - min(explorer["labelWidths"]) > 1:
            failures.append(f"{where}: label widths {explorer['labelWidths']}")
        if explorer["trackLefts"] and max(explorer["trackLefts"]) - min(explorer["trackLefts"]) > 1:
            failures.append(f"{where}: tracks start at {explorer['trackLefts']}")
        failures += [f"{where}: {short}" for short in explorer["tooShort"]]
    assert not failures, f"{widget_page}:\n  " + "\n  ".join(failures)
