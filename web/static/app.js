// scosearch: progressive enhancement. Every page works without this file;
// with it, results update as you type, "/" focuses the search box and the
// "复制引用" buttons copy a citation.
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
    // While an input method composes (pinyin letters before the characters
    // are chosen), wait for the composition to end.
    input.addEventListener("input", function (e) {
      if (e.isComposing) return;
      schedule();
    });
    input.addEventListener("compositionend", schedule);
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

  // Citation buttons are hidden without JavaScript: show them.
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

  var buttons = document.querySelectorAll("button.cite[data-citation]");
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;

  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.cite[data-citation]") : null;
    if (!b) return;
    var text = b.getAttribute("data-citation");
    copyText(text).then(function () {
      b.textContent = "已复制";
      b.classList.add("done");
      say("引用已复制：" + text);
      setTimeout(function () { b.textContent = "复制引用"; b.classList.remove("done"); }, 2000);
    }, function () {
      window.prompt("请复制以下引用：", text);
    });
  });
})();
