// Input typed before htmx has started (a slow connection), or put back by the browser on Back, is in a live form
// but was never sent: the figures beside it are still those the page was served with. Once htmx is ready, replay
// one input event on each such field, as if it had just been typed.
(function () {
  "use strict";
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
  var replayed = new WeakMap();  // field → the value replayed, so that the second pass does not send it again
  function replay() {
    var changed = new Set();
    document.querySelectorAll("[hx-trigger*='input']").forEach(function (live) {
      var fields = live.tagName === "FORM" ? Array.prototype.slice.call(live.elements) : [live];
      fields.filter(fieldChanged).forEach(function (field) { changed.add(field); });
    });
    changed.forEach(function (field) {
      var value = field.type === "checkbox" || field.type === "radio" ? String(field.checked) : field.value;
      if (replayed.get(field) === value) { return; }
      replayed.set(field, value);
      htmx.trigger(field, "input");
    });
  }
  // Registered after htmx's own DOMContentLoaded handler (this script comes after htmx's), so the triggers are in
  // place by the time it runs. Chrome puts values back on Back later still, after the load event: look again at
  // pageshow, which follows it (and fires too when the page comes back from the back-forward cache).
  document.addEventListener("DOMContentLoaded", replay);
  window.addEventListener("pageshow", replay);
  // Every page loads this script: with JavaScript, hide what only a page without it needs (a Recalculate or
  // Compare button: its live form recalculates as the user types).
  document.documentElement.classList.add("js");
})();
