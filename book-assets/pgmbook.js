/*
 * Accessibility repairs to the theme's own controls, on every page (html_js_files in
 * _config.yml). Each fixes a serious finding of the axe-core audit run by tests/browser:
 *
 * - label-content-name-mismatch: the search buttons show "Search Ctrl+K" but are named
 *   "Search", and the code-cell toggles show "Show code cell source" but are named "Toggle
 *   hidden content"; each is named by its visible text instead. The colour-mode button is named
 *   "Color mode" but its icons carry titles ("Light", "Dark"...): the icons are decorative.
 * - summary-name: the sidebar's expand/collapse toggles (<summary>) hold only an icon; they are
 *   named after the chapter they open.
 *
 * Idempotent; re-applied when the page changes (Font Awesome swaps <i> icons for <svg> late).
 */
(function () {
  "use strict";

  function repair() {
    // A control that shows text is named by that text (the theme's search buttons, the
    // "Show code cell source" toggles of myst-nb/sphinx-togglebutton).
    document
      .querySelectorAll(".search-button__button[aria-label], summary[aria-label]")
      .forEach(function (control) {
        if (control.textContent.trim()) {
          control.removeAttribute("aria-label");
        }
      });
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("title");
      icon.removeAttribute("aria-labelledby");
      icon.removeAttribute("role");
      var title = icon.querySelector("title");
      if (title) {
        title.remove();
      }
    });
    document.querySelectorAll("nav summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) {
        return;
      }
      var item = summary.closest("li");
      var link = item ? item.querySelector(":scope > a") : null;
      var name = link ? link.textContent.trim() : "this chapter";
      summary.setAttribute("aria-label", "Show or hide the sections of " + name);
    });
  }

  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        repair();
      });
    }
  }

  function start() {
    repair();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
