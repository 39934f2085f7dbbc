// A little progressive enhancement; every page works without it.
(function () {
  "use strict";
  // "/" focuses the search box, as on many sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable)) return;
    var box = document.getElementById("q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });
  // Following a link to a fact (#q-123) puts keyboard focus on it, so its details show.
  function focusFact() {
    if (!location.hash) return;
    var fact = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (fact && fact.closest("#article-text")) { if (!fact.hasAttribute("tabindex") && fact.tagName !== "A") fact.setAttribute("tabindex", "0"); fact.focus(); }
  }
  window.addEventListener("hashchange", focusFact);
  focusFact();
})();
