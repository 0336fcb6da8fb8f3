/*
 * Offline support for the book's static explorers (ipywidgets embedded in the page).
 *
 * Loaded on every page that embeds widgets, before require.js and the widget manager
 * (it is the first entry of `nb_ipywidgets_js` in _config.yml). Everything is resolved
 * against the folder this file is served from (the site's `_static/`), so it works on
 * every page, at any depth, and when the site is served from a sub-path.
 */
(function () {
  "use strict";

  var staticRoot = new URL(".", document.currentScript.src).href;

  // 1. The widget manager's icon fonts. Its bundles resolve them against a path taken from
  //    the page's location (chapters/@jupyter-widgets/... -> 404); this global overrides it.
  window.__jupyter_widgets_assets_path__ = staticRoot + "@jupyter-widgets/html-manager/dist/";

  // 2. RequireJS reads a global `require` object as its configuration when it loads. With
  //    baseUrl at _static/, the `data-jupyter-widgets-cdn` attribute ("npm/") names a folder of
  //    this site: a third-party widget library would be vendored into _static/npm/ with npm's
  //    layout (name@version/dist/index.js). The core widgets never need it: they ship inside
  //    embed-amd.js. Nothing is ever fetched from a CDN.
  if (typeof window.require === "undefined") {
    window.require = { baseUrl: staticRoot };
  }

  // 3. The widget manager typesets descriptions with the MathJax 2 API (MathJax.Hub.Queue);
  //    the book loads MathJax 3. Provide that one call on top of MathJax 3.
  function mathjax2Shim() {
    var mj = window.MathJax;
    if (!mj || !mj.version || mj.Hub) {
      return;
    }
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (job) {
          if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
            mj.startup.promise = mj.startup.promise.then(function () {
              return mj.typesetPromise([job[2]]);
            });
          }
        });
      },
    };
  }

  // 4. ipywidgets 8.1 throws while rendering a widget that has a `tooltip` but no
  //    `description` (an Image, say): DOMWidgetView.updateTooltip reads
  //    model.get("description").length (upstream: jupyter-widgets/ipywidgets PR #3921, open).
  //    The explorers put each frame's alt text in its tooltip, so the view would fail to render.
  //    Patch the method once the widget base module is defined (before any view is created:
  //    the manager renders on window load).
  function patchTooltip(base) {
    var proto = base && base.DOMWidgetView && base.DOMWidgetView.prototype;
    if (!proto || proto.updateTooltip.pgmbookPatched) {
      return;
    }
    var original = proto.updateTooltip;
    proto.updateTooltip = function () {
      if (typeof this.model.get("description") === "string") {
        return original.apply(this, arguments);
      }
      var tip = this.model.get("tooltip");
      if (tip) {
        this.el.setAttribute("title", tip);
        if (this.el.tagName === "IMG") {
          this.el.setAttribute("alt", tip);
        }
      } else {
        this.el.removeAttribute("title");
      }
    };
    proto.updateTooltip.pgmbookPatched = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.requirejs === "function") {
      window.requirejs(["@jupyter-widgets/base"], patchTooltip);
    }
  });

  // 5. Accessibility: a slider handle (role="slider") gets its accessible name from the
  //    widget's visible description label; a frame image without alt text gets the text the
  //    explorer put in its title (ipywidgets' `tooltip`) or in an aria-label; a row of toggle
  //    buttons (an explorer's choice) becomes a group named by its label, and each button says
  //    whether it is the chosen one (ipywidgets marks it only with the class mod-active).
  function markToggles(box) {
    var label = box.querySelector(":scope > .widget-label");
    var group = box.querySelector(":scope > div");
    var text = label ? label.textContent.trim() : "";
    if (group && text && !group.hasAttribute("role")) {
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", text);
    }
    box.querySelectorAll("button.widget-toggle-button").forEach(function (button) {
      var pressed = button.classList.contains("mod-active") ? "true" : "false";
      if (button.getAttribute("aria-pressed") !== pressed) {
        button.setAttribute("aria-pressed", pressed);
      }
    });
  }

  function labelControls(root) {
    root.querySelectorAll(".widget-toggle-buttons").forEach(markToggles);
    root.querySelectorAll(".widget-slider, .widget-hslider, .widget-vslider").forEach(function (box) {
      var label = box.querySelector(":scope > .widget-label");
      var text = label ? label.textContent.trim() : "";
      box.querySelectorAll('[role="slider"]').forEach(function (handle) {
        if (text && !handle.hasAttribute("aria-label") && !handle.hasAttribute("aria-labelledby")) {
          handle.setAttribute("aria-label", text);
        }
      });
    });
    root.querySelectorAll(".jupyter-widgets img:not([alt])").forEach(function (img) {
      var text = img.getAttribute("title") || img.getAttribute("aria-label");
      if (text) {
        img.setAttribute("alt", text);
      }
    });
  }

  // 6. Self-check questions (pgmlib.widgets.question; DOM classes pgm-question, -choices,
  //    -feedback). ipywidgets cannot set ARIA attributes, so this script does, as soon as a
  //    question renders (before any choice):
  //    - the feedback area, the Stack that shows the chosen option's explanation, becomes a
  //      polite live region: a screen reader reads the explanation when it appears;
  //    - each letter button is named by its tooltip, "A: <the option in plain text>" (its
  //      visible letter first), and says whether it is the chosen one (aria-pressed);
  //    - the row of buttons is a group named by its visible label ("Your answer").
  function syncPressed(question) {
    question.querySelectorAll(".pgm-question-choices button").forEach(function (button) {
      var pressed = button.classList.contains("mod-active") ? "true" : "false";
      if (button.getAttribute("aria-pressed") !== pressed) {
        button.setAttribute("aria-pressed", pressed);
      }
    });
  }

  function prepareQuestions(root) {
    root.querySelectorAll(".pgm-question .pgm-question-feedback").forEach(function (area) {
      if (!area.hasAttribute("aria-live")) {
        area.setAttribute("role", "status");
        area.setAttribute("aria-live", "polite");
        area.setAttribute("aria-atomic", "true");
      }
    });
    root.querySelectorAll(".pgm-question .pgm-question-choices").forEach(function (choices) {
      var label = choices.querySelector(":scope > .widget-label");
      var group = choices.querySelector(":scope > div");
      if (group && !group.hasAttribute("role")) {
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", label ? label.textContent.trim() : "Answers");
      }
      choices.querySelectorAll("button[title]").forEach(function (button) {
        if (!button.hasAttribute("aria-label")) {
          button.setAttribute("aria-label", button.getAttribute("title"));
        }
      });
    });
    root.querySelectorAll(".pgm-question").forEach(function (question) {
      syncPressed(question);
      if (!question.pgmbookObserved) {
        question.pgmbookObserved = true;
        new MutationObserver(function () {
          syncPressed(question);
        }).observe(question, { attributes: true, attributeFilter: ["class"], subtree: true });
      }
    });
  }

  // The part of the page to label again when `node` was added: its parent (a query from
  // there covers the node itself), or the question or control it belongs to.
  function scopeOf(node) {
    var owner = node.closest(".pgm-question, .widget-toggle-buttons, .widget-slider");
    return owner ? owner.parentNode || owner : node.parentNode || node;
  }

  window.addEventListener("load", function () {
    mathjax2Shim();
    labelControls(document);
    prepareQuestions(document);
    // Label only what was added: an explorer's frame switch adds a few nodes, and labelling the
    // whole page again on each (hundreds of frames) took about 13 ms of every key press.
    new MutationObserver(function (records) {
      var scopes = new Set();
      records.forEach(function (record) {
        if (record.type === "childList") {
          record.addedNodes.forEach(function (node) {
            if (node.nodeType === Node.ELEMENT_NODE) {
              scopes.add(scopeOf(node));
            }
          });
        } else if (record.target.classList.contains("widget-toggle-button")) {
          var box = record.target.closest(".widget-toggle-buttons");
          if (box) {
            markToggles(box);
          }
        }
      });
      scopes.forEach(function (scope) {
        if (scope.isConnected) {
          labelControls(scope);
          prepareQuestions(scope);
        }
      });
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  });
})();
