// Tiến Độ: the one small script of the site, written for this project. Every page works without it;
// it only makes a few things smoother.
//
// - the menu button on phones;
// - fragment swapping: a form or link with data-swap="#target" fetches its URL with the header
//   "X-Fragment: 1" and replaces the target with the HTML fragment the server returns (filters,
//   pagination), keeping the address bar in step;
// - confirmation: a form with data-confirm="question" asks before submitting;
// - live preview: a form with data-preview-url posts its fields there with "X-Fragment: 1" when the
//   text stops changing for a moment (and when its data-preview-button is pressed), and puts the
//   returned panel in place of data-preview-target. Without the script the button reloads the page;
// - a textarea with data-error-line="n" gets the focus with line n selected.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // The language links sit outside the swapped fragment: keep them pointing at the page now shown.
  function followLanguageLinks(url) {
    document.querySelectorAll(".lang-switch a[hreflang]").forEach(function (link) {
      var target = new URL(url, window.location.href);
      target.searchParams.set("lang", link.getAttribute("hreflang"));
      link.setAttribute("href", target.pathname + target.search);
    });
  }

  function swap(url, selector, push) {
    var target = document.querySelector(selector);
    if (!target) { window.location.href = url; return; }
    target.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Fragment": "1" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var replacement = holder.querySelector(selector) || holder;
        target.replaceWith(replacement);
        if (push) {
          window.history.pushState({ swap: selector }, "", url);
          followLanguageLinks(url);
        }
      })
      .catch(function () { window.location.href = url; });
  }

  onReady(function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) { event.preventDefault(); return; }
      var selector = form.getAttribute("data-swap");
      if (selector && form.method.toLowerCase() === "get") {
        event.preventDefault();
        var params = new URLSearchParams(new FormData(form));
        swap(form.action.split("?")[0] + "?" + params.toString(), selector, true);
      }
    });

    document.addEventListener("click", function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[data-swap]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      swap(link.href, link.getAttribute("data-swap"), true);
    });

    window.addEventListener("popstate", function () { window.location.reload(); });

    var wrong = document.querySelector("textarea[data-error-line]");
    if (wrong) {
      var lines = wrong.value.split("\n");
      var line = Math.min(parseInt(wrong.getAttribute("data-error-line"), 10) || 1, lines.length);
      var start = 0;
      for (var i = 0; i < line - 1; i++) start += lines[i].length + 1;
      wrong.focus();
      wrong.setSelectionRange(start, start + lines[line - 1].length);
      // Scroll the line into view: about one line-height per line above it.
      var lineHeight = parseFloat(window.getComputedStyle(wrong).lineHeight) || 20;
      wrong.scrollTop = Math.max(0, (line - 3) * lineHeight);
    }

    var previewForm = document.querySelector("form[data-preview-url]");
    if (previewForm) {
      var timer = null;
      var sent = 0;
      var preview = function () {
        var target = document.querySelector(previewForm.getAttribute("data-preview-target"));
        if (!target) return;
        var number = ++sent;
        var body = new URLSearchParams(new FormData(previewForm));
        body.set("format", "html");
        target.setAttribute("aria-busy", "true");
        fetch(previewForm.getAttribute("data-preview-url"), {
          method: "POST",
          headers: { "X-Fragment": "1", "Content-Type": "application/x-www-form-urlencoded" },
          body: body.toString(),
          credentials: "same-origin"
        })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.text();
          })
          .then(function (html) {
            // An answer overtaken by a later request is dropped.
            if (number !== sent) return;
            var holder = document.createElement("div");
            holder.innerHTML = html;
            var panel = holder.querySelector(previewForm.getAttribute("data-preview-target"));
            var current = document.querySelector(previewForm.getAttribute("data-preview-target"));
            if (panel && current) current.replaceWith(panel);
          })
          .catch(function () {
            var current = document.querySelector(previewForm.getAttribute("data-preview-target"));
            if (current) current.removeAttribute("aria-busy");
          });
      };
      previewForm.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(preview, 500);
      });
      previewForm.addEventListener("submit", function (event) {
        if (event.submitter && event.submitter.hasAttribute("data-preview-button")) {
          event.preventDefault();
          window.clearTimeout(timer);
          preview();
        }
      });
    }
  });
})();

// The portal's article page and editor (issue 9), with no third-party script:
// - share: a button with data-share-native opens the device's share sheet (Zalo is in it on phones);
//   where there is none, it copies the link like data-copy does;
// - copy link: a button with data-copy puts its value on the clipboard and says so in .share-status;
// - the Markdown toolbar: data-md wraps the selection, data-md-line starts the line, data-md-link inserts
//   a link, in the textarea the toolbar controls.
(function () {
  "use strict";
  function say(text) {
    var status = document.querySelector(".share-status");
    if (status) status.textContent = text;
  }
  function copy(button) {
    var value = button.getAttribute("data-copy") || button.getAttribute("data-share-native");
    var done = function () { say(button.getAttribute("data-copied") || value); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(value).then(done, function () { say(value); });
    } else {
      say(value);
    }
  }
  function edit(textarea, before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end) || placeholder || "";
    textarea.setRangeText(before + selected + after, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("button") : null;
    if (!target) return;
    if (target.hasAttribute("data-share-native")) {
      if (navigator.share) {
        navigator.share({ title: target.getAttribute("data-share-title") || document.title, url: target.getAttribute("data-share-native") })
          .catch(function () {});
      } else {
        copy(target);
      }
      return;
    }
    if (target.hasAttribute("data-copy")) { copy(target); return; }
    var bar = target.closest(".md-toolbar");
    var textarea = bar ? document.getElementById(bar.getAttribute("aria-controls")) : null;
    if (!textarea) return;
    if (target.hasAttribute("data-md")) {
      var mark = target.getAttribute("data-md");
      edit(textarea, mark, mark, "");
    } else if (target.hasAttribute("data-md-line")) {
      var lineStart = textarea.value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
      textarea.setSelectionRange(lineStart, lineStart);
      edit(textarea, target.getAttribute("data-md-line"), "", "");
    } else if (target.hasAttribute("data-md-link")) {
      edit(textarea, "[", "](https://)", "");
    }
  });
})();

// A table wider than the screen scrolls inside its .table-wrap: that box takes the keyboard focus (so it
// can be scrolled without a mouse) and is named after the table's caption or the nearest heading.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var section = box.closest("section, main");
        var heading = section && section.querySelector("h1, h2, h3");
        var name = (caption || heading || document.querySelector("h1") || {}).textContent || document.title;
        box.setAttribute("aria-label", name.trim());
      } else if (!scrolls && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  if (document.readyState !== "loading") mark();
  else document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();

// S&T proposals (issue 16), written for this project:
// - a form with data-keep-draft="key" keeps what is typed in the browser's storage as it is typed, so that
//   a form sent over a link that drops is not lost; when the form is shown again and the storage holds
//   other values, the box data-restore-for="key" offers them back; a page with data-clear-draft="key" (the
//   proposal was saved) forgets them;
// - an input with data-similar-url asks for the similar tasks (#similar) as the name is typed.
(function () {
  "use strict";
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function kept(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "_csrf" || ["hidden", "file", "submit", "button"].indexOf(el.type) >= 0) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      out.push([el.name, el.value]);
    });
    return out;
  }
  function restore(form, values) {
    var byName = {};
    values.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Object.keys(byName).forEach(function (name) {
      var elements = form.querySelectorAll("[name=\"" + name + "\"]");
      var i = 0;
      Array.prototype.forEach.call(elements, function (el) {
        if (el.type === "hidden" || i >= byName[name].length) return;
        el.value = byName[name][i++];
      });
    });
  }
  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  onReady(function () {
    var store = storage();
    var saved = document.querySelector("[data-clear-draft]");
    if (saved && store) {
      store.removeItem(saved.getAttribute("data-clear-draft"));
      var key = saved.getAttribute("data-clear-draft");
      if (key.indexOf("proposal-draft:") === 0) {
        Object.keys(store).forEach(function (k) { if (k.indexOf("proposal-draft:new:") === 0) store.removeItem(k); });
      }
    }
    var form = document.querySelector("form[data-keep-draft]");
    if (form && store) {
      var key = form.getAttribute("data-keep-draft");
      var shown = JSON.stringify(kept(form));
      var held = store.getItem(key);
      var box = document.querySelector("[data-restore-for=\"" + key + "\"]");
      if (held && box && JSON.stringify(JSON.parse(held).fields) !== shown) {
        box.hidden = false;
        box.querySelector("button").addEventListener("click", function () {
          restore(form, JSON.parse(held).fields);
          box.hidden = true;
        });
      }
      form.addEventListener("input", function () {
        store.setItem(key, JSON.stringify({ at: Date.now(), fields: kept(form) }));
      });
    }
    var title = document.querySelector("input[data-similar-url]");
    if (title) {
      var timer = null;
      title.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var url = title.getAttribute("data-similar-url") + "?title=" + encodeURIComponent(title.value) +
            "&except=" + encodeURIComponent(title.getAttribute("data-similar-except") || "");
          fetch(url, { headers: { "X-Fragment": "1" }, credentials: "same-origin" })
            .then(function (response) { if (!response.ok) throw new Error("HTTP " + response.status); return response.text(); })
            .then(function (html) {
              var holder = document.createElement("div");
              holder.innerHTML = html;
              var panel = holder.querySelector("#similar");
              var current = document.getElementById("similar");
              if (panel && current) current.replaceWith(panel);
            })
            .catch(function () {});
        }, 700);
      });
    }
  });
})();
