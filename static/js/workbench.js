// Warn before leaving an editor with unsaved changes. Everything else on the page is plain HTML and htmx.
(function () {
  "use strict";
  var dirty = false;
  function setDirty(value) {
    dirty = value;
    document.querySelectorAll(".unsaved-flag").forEach(function (el) { el.hidden = !value; });
  }
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("form[data-dirty-guard]")) { setDirty(true); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.name === "_action" && elt.value !== "save" && elt.closest("form[data-dirty-guard]")) { setDirty(true); }
  });
  document.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "save") { setDirty(false); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  document.documentElement.classList.add("js");
})();
