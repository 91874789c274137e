// scosearch: progressive enhancement. Every page works without this file;
// with it, results update as you type, the search box suggests completions,
// "/" focuses the search box and the "复制引用" buttons copy a citation.
(function () {
  "use strict";

  var form = document.getElementById("searchform");
  var input = document.getElementById("q");
  var announce = document.getElementById("announce");

  function say(text) {
    if (announce) announce.textContent = text;
  }

  function isEditable(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  // "/" jumps to the search box.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || !input) return;
    if (isEditable(document.activeElement)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  // Live search: fetch the server-rendered /search page and swap in its
  // #results, so there is one renderer (the server) and one escaping.
  var results = document.getElementById("results");
  if (form && input && results && window.fetch && window.DOMParser && window.URLSearchParams && window.AbortController) {
    var timer = 0;
    var controller = null;
    var last = input.value.trim();

    var searchURL = function () {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        value = String(value).trim();
        if (value !== "") params.set(key, value);
      });
      var qs = params.toString();
      return qs ? "/search?" + qs : "/";
    };

    var update = function () {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      var url = searchURL();
      if (controller) controller.abort();
      controller = new AbortController();
      results.setAttribute("aria-busy", "true");
      fetch(url, { signal: controller.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (resp) { return resp.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("results");
          if (!fresh) return;
          results.replaceWith(fresh);
          results = fresh;
          showCiteButtons(fresh);
          document.title = doc.title;
          history.replaceState(null, "", url);
          var summary = fresh.querySelector(".count, .error h1");
          say(summary ? summary.textContent.replace(/\s+/g, " ").trim() : "");
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          results.removeAttribute("aria-busy"); // keep the old results
        });
    };

    var schedule = function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    };
    // A submitted form (Enter, a picked suggestion) loads its own page: a
    // live update still on its way must not swap in the results of what
    // was typed before, nor put its address in the history meanwhile.
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      if (controller) controller.abort();
    });
    // While an input method composes (pinyin letters before the characters
    // are chosen), wait for the composition to end.
    input.addEventListener("input", function (e) {
      if (e.isComposing) return;
      schedule();
    });
    input.addEventListener("compositionend", schedule);
  }

  // Suggestions: the search box becomes a WAI-ARIA 1.2 combobox whose
  // listbox offers completions from /api/suggest. ArrowDown/ArrowUp move
  // through them, Enter or a click picks one and searches for it, Escape
  // closes the list. Without this file the box is a plain search box.
  var listbox = document.getElementById("q-suggest");
  if (form && input && listbox && window.fetch && window.AbortController && window.URLSearchParams) {
    var maxPrefix = 50; // characters, as the API accepts
    var sugTimer = 0;
    var sugController = null;
    var options = []; // the option elements shown
    var active = -1; // index of the active option, -1 for none

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");

    var setActive = function (i) {
      if (active >= 0 && options[active]) {
        options[active].classList.remove("active");
        options[active].setAttribute("aria-selected", "false");
      }
      active = i;
      var li = options[active];
      if (active >= 0 && li) {
        li.classList.add("active");
        li.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", li.id);
        if (li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
      } else {
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
    };
    var closeList = function () {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    };
    var openList = function () {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };

    var render = function (suggestions, q) {
      setActive(-1);
      listbox.textContent = "";
      listbox.setAttribute("data-for", q || ""); // what the options complete
      options = [];
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-suggest-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-text", s.text);
        var text = document.createElement("span");
        text.className = "text";
        text.textContent = s.text;
        var n = document.createElement("span");
        n.className = "n";
        n.textContent = s.count + " 段";
        li.appendChild(text);
        li.appendChild(n);
        listbox.appendChild(li);
        options.push(li);
      });
      if (options.length && document.activeElement === input) openList();
      else closeList();
    };

    var pendingQ = null; // the text whose suggestions are being fetched
    var fetchSuggestions = function () {
      var q = input.value;
      // The same text again (an input and a compositionend event for one
      // keystroke): keep the list, and the option the user moved to.
      if (q === pendingQ || (options.length && listbox.getAttribute("data-for") === q)) return;
      if (sugController) sugController.abort();
      sugController = null;
      pendingQ = null;
      if (q.trim() === "" || Array.from(q).length > maxPrefix) {
        render([]);
        return;
      }
      sugController = new AbortController();
      pendingQ = q;
      listbox.setAttribute("aria-busy", "true");
      var done = function () {
        if (pendingQ === q) {
          pendingQ = null;
          listbox.removeAttribute("aria-busy");
        }
      };
      var params = new URLSearchParams({ q: q, n: "8" });
      fetch("/api/suggest?" + params.toString(), { signal: sugController.signal, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (resp) { return resp.ok ? resp.json() : { suggestions: [] }; })
        .then(function (body) {
          done();
          if (input.value !== q) return; // typed on meanwhile: a newer fetch follows
          render(body.suggestions || [], q);
        })
        .catch(function (err) {
          done();
          if (err && err.name === "AbortError") return;
          render([]);
        });
    };
    var scheduleSuggest = function () {
      clearTimeout(sugTimer);
      sugTimer = setTimeout(fetchSuggestions, 150);
    };

    var pick = function (li) {
      clearTimeout(sugTimer);
      if (sugController) sugController.abort();
      input.value = li.getAttribute("data-text");
      closeList();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    };

    input.addEventListener("input", function (e) {
      if (e.isComposing) return; // wait for the input method's characters
      scheduleSuggest();
    });
    input.addEventListener("compositionend", scheduleSuggest);
    input.addEventListener("blur", closeList);
    input.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229) return; // keys for the input method
      var shown = !listbox.hidden;
      switch (e.key) {
        case "ArrowDown":
          if (!options.length) return;
          e.preventDefault();
          if (!shown) {
            openList();
            if (e.altKey) return; // Alt+ArrowDown only opens
          }
          setActive(active + 1 < options.length ? active + 1 : -1);
          break;
        case "ArrowUp":
          if (!shown) return;
          e.preventDefault();
          setActive(active < 0 ? options.length - 1 : active - 1);
          break;
        case "Enter":
          if (shown && active >= 0) {
            e.preventDefault();
            pick(options[active]);
          } else {
            closeList(); // the form submits what was typed
          }
          break;
        case "Escape":
          if (shown) {
            e.preventDefault(); // keep the text (a search box clears on Escape)
            closeList();
          }
          break;
        case "Tab":
          closeList();
          break;
      }
    });
    // A press on an option must not take the focus from the box.
    listbox.addEventListener("mousedown", function (e) { e.preventDefault(); });
    listbox.addEventListener("click", function (e) {
      var li = e.target.closest ? e.target.closest("li[role=option]") : null;
      if (li) pick(li);
    });
  }

  // A long document shows a window of paragraphs. A permalink #p1234 to a
  // paragraph of another window (written by hand, or from an old link)
  // opens the window that holds it: ?p=1234.
  var paged = document.querySelector("article.document[data-paged]");
  var toParagraph = function () {
    var m = /^#p(\d+)$/.exec(location.hash);
    if (!paged || !m || document.getElementById("p" + m[1]) || !window.URLSearchParams) return;
    var params = new URLSearchParams(location.search);
    if (params.get("p") === m[1]) return; // already asked for: no loop
    params.delete("from");
    params.set("p", m[1]);
    location.replace(location.pathname + "?" + params.toString() + location.hash);
  };
  toParagraph();
  window.addEventListener("hashchange", toParagraph);

  // Citation buttons are hidden without JavaScript (the results page then
  // shows the citations' text in a <details>): show them.
  var copyText = function (text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "vh";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  };

  function showCiteButtons(root) {
    var buttons = root.querySelectorAll("button.cite");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }
  showCiteButtons(document);

  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.cite") : null;
    if (!b) return;
    // A button copies its data-citation, or else the citation text shown
    // just before it (the styles of a hit's "引用格式").
    var shown = b.previousElementSibling;
    var text = b.getAttribute("data-citation") || (shown && shown.classList.contains("cite-text") ? shown.textContent : "");
    if (!text) return;
    var label = b.getAttribute("data-label") || b.textContent;
    b.setAttribute("data-label", label);
    copyText(text).then(function () {
      b.textContent = "已复制";
      b.classList.add("done");
      say("引用已复制：" + text);
      setTimeout(function () { b.textContent = label; b.classList.remove("done"); }, 2000);
    }, function () {
      window.prompt("请复制以下引用：", text);
    });
  });
})();
