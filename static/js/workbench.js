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
  // Adding, removing, moving, solving and picking change the design as typing does. They are read as the request
  // starts: by the time it ends, htmx has swapped the button out of the page (and a suggestion is outside the form).
  document.addEventListener("htmx:configRequest", function (event) {
    var action = event.detail.parameters._action;
    if (action && action !== "save" && action !== "calculate" && document.querySelector("form[data-dirty-guard]")) {
      setDirty(true);
    }
  });
  document.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "save") { setDirty(false); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  document.documentElement.classList.add("js");
})();
