// What every page's live regions and messages need, with JavaScript: htmx swaps them in on every answer.
(function () {
  "use strict";
  // A live region whose words are replaced by the same words reads them out anew: the search's count as the same
  // query is typed again, or a message on every key of a target still at fault ("12x", "12x4"). Put in only if it
  // changed: the whole element where the answer replaces it (its class or links may change with the same words), its
  // words where the answer replaces its content.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target, fragment = event.detail.fragment;
    if (!target || !fragment || !target.matches("[role='alert'], [role='status'], [aria-live]")) { return; }
    var whole = fragment.nodeType === Node.DOCUMENT_FRAGMENT_NODE && fragment.childElementCount === 1 &&
      fragment.firstElementChild.id === target.id ? fragment.firstElementChild : null;
    if (whole ? whole.isEqualNode(target) : target.textContent.trim() === fragment.textContent.trim()) {
      event.detail.shouldSwap = false;
    }
  });
  // A field its message names (the slot err-<name>) is marked invalid for assistive technology, as a page served with
  // the message marks it: the answers swap in the messages, not the fields, which keep the focus and what was typed.
  function markInvalid() {
    document.querySelectorAll(".field-error[id^='err-']").forEach(function (el) {
      var field = document.querySelector("[name='" + el.id.slice(4) + "']");
      if (!field || field.type === "hidden") { return; }
      if (el.textContent.trim()) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
    });
  }
  document.addEventListener("htmx:afterSettle", markInvalid);
  // A chart is a Tab stop so that a keyboard can scroll it where it is wider than the screen (and without JavaScript,
  // which cannot tell); where it fits, the stop did nothing.
  function scrollStops() {
    document.querySelectorAll("[data-scroll-stop]").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) {
        el.setAttribute("tabindex", "0");
      } else {
        el.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("htmx:afterSettle", scrollStops);
  window.addEventListener("resize", scrollStops);
  scrollStops();  // deferred: the page is parsed
})();
