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
  // What was typed before the scripts ran (a slow connection), or put back by the browser on Back, is in
  // the form but not in the figures the page was served with: flag it and recalculate once htmx is ready.
  function selectChanged(select) {
    var options = Array.prototype.slice.call(select.options);
    if (select.multiple) {
      return options.some(function (option) { return option.selected !== option.defaultSelected; });
    }
    var initial = options.length ? 0 : -1;  // with no option marked selected, the browser shows the first
    options.forEach(function (option, index) { if (option.defaultSelected) { initial = index; } });
    return select.selectedIndex !== initial;
  }
  function fieldChanged(field) {
    if (field.type === "checkbox" || field.type === "radio") { return field.checked !== field.defaultChecked; }
    if (field.tagName === "SELECT") { return selectChanged(field); }
    if (field.tagName === "TEXTAREA" || field.tagName === "INPUT") {
      return field.type !== "hidden" && field.value !== field.defaultValue;
    }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // Registered after htmx's own DOMContentLoaded handler (this script comes after it), so the forms'
    // triggers are in place by now.
    document.querySelectorAll("form[data-dirty-guard]").forEach(function (form) {
      if (Array.prototype.some.call(form.elements, fieldChanged)) {
        setDirty(true);
        htmx.trigger(form, "input");
      }
    });
  });
  document.documentElement.classList.add("js");
})();
