// Warn before leaving an editor with unsaved changes, keep the keyboard focus on the line a button changed, and tell a
// screen reader when the limits' status or the messages change.
// Everything else on the page is plain HTML and htmx.
(function () {
  "use strict";
  var SAVE_REFUSED = "Not saved: fix the highlighted fields first.";
  var FROM_LAST_VALID = " The figures below are from the last valid input.";  // in a span the page hides without figures
  var dirty = false;
  function setDirty(value) {
    dirty = value;
    document.querySelectorAll(".unsaved-flag").forEach(function (el) { el.hidden = !value; });
  }
  // The design as saved: each field of the editor as the page was served (its default, not what the browser may have
  // put back on Back), by fieldKey. A change typed and then undone, or a line added and then removed, leaves nothing
  // unsaved. None on a page that answers a post: it shows a design not saved yet (a save refused, or a change made
  // without JavaScript), and leaving it must warn as leaving after typing does.
  var saved = null;
  function isDesignField(field) {  // a line's target is not: only Solve reads it
    return Boolean(field.name) && field.type !== "hidden" && field.type !== "submit" && field.type !== "button" &&
      !/-target_mg$/.test(field.name);
  }
  function designValues(asServed) {
    return formValues(isDesignField, function (field) { return String(asServed ? servedValue(field) : designValue(field)); });
  }
  function designValue(field) {
    if (field.tagName === "SELECT") {
      return Array.prototype.filter.call(field.options, function (option) { return option.selected; })
        .map(function (option) { return option.value; }).join("\n");
    }
    return fieldValue(field);
  }
  function servedValue(field) {
    if (isBox(field)) { return field.defaultChecked; }
    if (field.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(field.options, function (option) { return option.defaultSelected; });
      if (!chosen.length && !field.multiple && field.options.length) { chosen = [field.options[0]]; }  // as the browser shows it
      return chosen.map(function (option) { return option.value; }).join("\n");
    }
    return field.defaultValue;
  }
  function designChanged() {
    if (saved === null) { return true; }
    var now = designValues(false), keys = Object.keys(now);
    return keys.length !== Object.keys(saved).length || keys.some(function (key) { return now[key] !== saved[key]; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-dirty-guard]");
    if (!form) { return; }
    if (form.hasAttribute("data-unsaved")) { setDirty(true); } else { saved = designValues(true); }
  });
  // The button (or suggestion) pressed, its action, the form's values it sent, the fields typed in since (by
  // fieldKey) and the last of them, until its answer has settled.
  var pressed = null;
  var lastInput = 0;  // when the user last typed: a recalculation of it may still be on its way
  document.addEventListener("input", function (event) {
    lastInput = Date.now();
    if (pressed && event.target.name && event.target.form && event.target.form.hasAttribute("data-dirty-guard")) {
      pressed.typed[fieldKey(event.target)] = event.target;
      pressed.last = event.target;
    } else if (pressed && event.target.id === "compound-search") {
      pressed.last = event.target;
    }
    if (event.target.closest && event.target.closest("form[data-dirty-guard]")) { setDirty(designChanged()); }
    // A solve's message is about the target it was given: a new target makes it moot.
    var line = event.target.name && /^(lines-\d+)-target_mg$/.exec(event.target.name);
    var solved = line && document.getElementById("solve-" + line[1]);
    if (solved && solved.textContent) {
      solved.textContent = "";
      // Nor is the target invalid any more: a screen reader said "invalid entry" with no message to go with it.
      event.target.removeAttribute("aria-invalid");
    }
  });
  // A capsule size applies to capsules only (forms.ProductForm: the editor hides it for another form): shown as soon
  // as capsule is chosen, hidden as soon as another form is.
  document.addEventListener("input", function (event) {
    var size = event.target.name === "dosage_form" && event.target.form && event.target.form.elements.namedItem("capsule_size");
    var field = size && size.closest(".field");
    if (field) { field.hidden = event.target.value !== "capsule"; }
  });
  // Germany is sold under EU law too (compounds.models.markets_in_force): ticking it ticks the EU, and the EU cannot
  // be left while Germany is ticked, as the figures would go on checking its rules.
  document.addEventListener("input", function (event) {
    var box = event.target, form = box.form;
    if (box.name !== "markets" || !form || !form.hasAttribute("data-dirty-guard")) { return; }
    var other = form.querySelector("input[name='markets'][value='" + (box.value === "DE" ? "EU" : "DE") + "']");
    if (!other) { return; }
    if (box.value === "DE" && box.checked) { other.checked = true; }
  });
  // Unticking the EU while Germany is ticked unticked Germany too, unsaid: the EU stays, and the field says why.
  var EU_KEPT = "Germany is sold under EU law: untick Germany first to leave the EU.";
  document.addEventListener("click", function (event) {
    var box = event.target, form = box.form;
    // A click has toggled the box when its listeners run: unchecked now means being unticked.
    if (box.name !== "markets" || box.value !== "EU" || box.checked || !form || !form.hasAttribute("data-dirty-guard")) {
      return;
    }
    var germany = form.querySelector("input[name='markets'][value='DE']");
    var slot = document.getElementById("err-markets");
    if (germany && germany.checked) {
      event.preventDefault();  // the box stays ticked, and no input is sent
      if (slot) { slot.textContent = EU_KEPT; }
      announce();
    }
  });
  // A button pressed while the form's last request is still on its way waits its turn (htmx queues it). Typing
  // meanwhile would replace it in that queue (a keystroke keeps only the last request waiting), and the click would
  // be lost; the button's request, once sent, carries what was typed, and its answer recalculates it. So while a
  // button waits, a keystroke's request is not queued. A button whose editor was swapped out never sends: it is
  // not waited for.
  var waiting = new Set();
  function isButton(elt) {  // an editor's button, or a suggestion (a pick)
    return Boolean(elt && ((elt.name === "_action" && elt.closest("form[data-dirty-guard]")) || elt.closest("#suggestions")));
  }
  // A second button pressed while a button's answer that replaces the editor is on its way (or waits its turn) belongs
  // to the editor that answer replaces: queued, it was dropped unsent once its element left the page, and the click did
  // nothing, unsaid. The editor says it is busy (its buttons show it, a screen reader is told) and the click is refused
  // at once. Save waits for the answer instead (settled, below); Enter's recalculation replaces the figures only.
  var BUSY = "Wait a moment: the last change is still being made.";
  function replacesEditor(elt) {
    return Boolean(elt && elt.getAttribute("hx-target") === "#editor");
  }
  function busyWith(elt) {
    if (elt.value === "save") { return false; }
    if (pressed && pressed.elt !== elt && pressed.elt.isConnected && replacesEditor(pressed.elt)) { return true; }
    return Array.from(waiting).some(function (button) {
      return button !== elt && button.isConnected && replacesEditor(button);
    });
  }
  function markBusy(busy) {
    var editor = document.getElementById("editor");  // swapped out by the answer, and the mark with it
    if (!editor) { return; }
    if (busy) { editor.setAttribute("aria-busy", "true"); } else { editor.removeAttribute("aria-busy"); }
  }
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (isButton(elt) && busyWith(elt)) {
      event.preventDefault();
      var region = document.getElementById("announcer");
      if (region) { region.textContent = BUSY; }
      return;
    }
    if (isButton(elt) && replacesEditor(elt)) { markBusy(true); }
    if (isButton(elt)) { waiting.add(elt); return; }
    // A new search while a picked compound is on its way would take the suggestion out of the page before its answer
    // is in: the search is sent once that answer has settled.
    if (elt && elt.id === "compound-search" && pressed && pressed.action.indexOf("pick-") === 0) {
      event.preventDefault();
      pressed.search = true;
      return;
    }
    if (elt && elt.matches("form[data-dirty-guard]")) {
      waiting.forEach(function (button) { if (!button.isConnected) { waiting.delete(button); } });
      if (waiting.size) { event.preventDefault(); }
    }
  });
  // Adding, removing, moving, solving and picking change the design as typing does. They are read as the request
  // starts: by the time it ends, htmx has swapped the button out of the page (and a suggestion is outside the form).
  // The editor is swapped whole, so the focus is put back after it settles, where the user's next step is.
  document.addEventListener("htmx:configRequest", function (event) {
    var action = event.detail.parameters._action, elt = event.detail.elt;
    if (action && action !== "save" && action !== "calculate" && document.querySelector("form[data-dirty-guard]")) {
      setDirty(true);
    }
    waiting.delete(elt);
    if (isButton(elt)) {
      pressed = {elt: elt, action: action, sent: fieldValues(), typed: {}, last: null, search: false, focused: null};
    }
  });
  // Enter in a line's target solves that line, as its Solve button does; elsewhere Enter recalculates.
  document.addEventListener("keydown", function (event) {
    var match = event.key === "Enter" && event.target.name && /^lines-(\d+)-target_mg$/.exec(event.target.name);
    var solve = match && document.querySelector("#editor button[value='solve-" + match[1] + "']");
    if (solve) { event.preventDefault(); solve.click(); }
  });
  // A field gone to while a button's answer is on its way is where the user is: the focus stays there, as it does
  // for a field typed in. It moved to a line added after the user had clicked into another field on a slow connection.
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (pressed && field !== pressed.elt && (field.id === "compound-search" ||
        (field.name && field.form && field.form.hasAttribute("data-dirty-guard")))) {
      pressed.focused = field;
    }
  });
  // The ingredient search's suggestions by keyboard: down from the search to the first, down and up between them, up
  // from the first and Escape back to the search. Enter on one picks it, as a click does.
  document.addEventListener("keydown", function (event) {
    var search = document.getElementById("compound-search"), key = event.key;
    if (!search || (key !== "ArrowDown" && key !== "ArrowUp" && key !== "Escape") || pickPending()) { return; }
    var buttons = Array.prototype.slice.call(document.querySelectorAll("#suggestions button"));
    var at = event.target === search ? -1 : buttons.indexOf(event.target);
    if (event.target !== search && at < 0) { return; }
    var next = null;
    if (key === "ArrowDown") {
      next = buttons[at + 1] || null;
    } else if (at >= 0) {  // up or Escape from a suggestion; in the search they keep their own meaning
      next = key === "ArrowUp" && at > 0 ? buttons[at - 1] : search;
    }
    if (next) { event.preventDefault(); next.focus(); }
  });
  // Enter in the search adds the one compound its suggestions hold for what is typed there (it did nothing): as a
  // suggestion picked with Enter, focused first, so that keys typed before the pick's answer go to its line's amount.
  // The search answers Enter at once (its "search" event): a pick asked before that answer waits for it, and is
  // dropped by typing on in the search (a new query) or by leaving it (the user has gone on elsewhere).
  var enterQuery = null;
  function pickOnly(query) {
    var list = document.getElementById("suggestions");
    if (!list || list.getAttribute("data-query") !== query) { return false; }
    enterQuery = null;
    var buttons = list.querySelectorAll("button");
    if (buttons.length === 1) { buttons[0].focus(); buttons[0].click(); }
    return buttons.length === 1;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.id !== "compound-search" || pickPending()) { return; }
    var query = event.target.value.trim();
    enterQuery = query || null;
    // Not also pressed on the suggestion focused meanwhile, which would pick it a second time.
    if (query && pickOnly(query)) { event.preventDefault(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.id === "compound-search") { enterQuery = null; }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.id === "compound-search") { enterQuery = null; }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (enterQuery !== null) { pickOnly(enterQuery); }
  });
  function isBox(field) {
    return field.type === "checkbox" || field.type === "radio";
  }
  function fieldValue(field) {
    return isBox(field) ? field.checked : field.value;
  }
  // A field by its name, and a checkbox by its value too: the market boxes share one name.
  function fieldKey(field) {
    return isBox(field) ? field.name + "=" + field.value : field.name;
  }
  function fieldValues() {
    return formValues(function (field) { return Boolean(field.name); }, fieldValue);
  }
  // The editor's fields that `include` takes, each's `valueOf` by fieldKey.
  function formValues(include, valueOf) {
    var form = document.querySelector("form[data-dirty-guard]"), values = {};
    if (form) {
      Array.prototype.forEach.call(form.elements, function (field) { if (include(field)) { values[fieldKey(field)] = valueOf(field); } });
    }
    return values;
  }
  // Where a row's field is after the answer to an action: a removed row's fields are gone, and moving swaps two rows.
  function movedName(name, action) {
    var field = /^(\w+)-(\d+)-(\w+)$/.exec(name), parts = action.split("-"), index = parseInt(parts[1], 10);
    if (!field) { return name; }
    var row = parseInt(field[2], 10), verb = parts[0];
    if (verb === "remove") {
      if (row === index) { return null; }
      if (row > index) { row -= 1; }
    } else if (verb === "up" && (row === index || row === index - 1)) {
      row = row === index ? index - 1 : index;
    } else if (verb === "down" && (row === index || row === index + 1)) {
      row = row === index ? index + 1 : index;
    }
    return field[1] + "-" + row + "-" + field[3];
  }
  // Typing while a button's answer is on its way (a compound picked, a line added) goes into fields the answer
  // replaces: the editor comes back whole, as the form was when the button was pressed. Put what was typed back into
  // its field, unless the answer changed that field itself (the amount Solve set), and send it as typing would be.
  // A blank the answer filled in is not such a change: a stack item's servings "as labelled" come back as the
  // label's, and the 2 typed over them meanwhile was lost.
  // Returns where the last field typed in is now, for the focus to stay there.
  function carryTyped(done) {
    var last = null;
    Object.keys(done.typed).forEach(function (key) {
      var typed = done.typed[key], field = answered(typed, done.action), box = isBox(typed);
      if (field && typed === done.last) { last = field; }
      if (!field || field === typed) { return; }
      if (fieldValue(field) !== done.sent[key] && (done.sent[key] !== "" || solvedBy(field, done.action))) { return; }
      if (box) { field.checked = typed.checked; } else { field.value = typed.value; }
      if (fieldValue(field) === fieldValue(typed)) { htmx.trigger(field, "input"); }  // a select without that option keeps its own
    });
    return last;
  }
  function solvedBy(field, action) {  // the amount a Solve sets, blank when it was pressed
    return /^solve-\d+$/.test(action) && field.name === "lines-" + action.split("-")[1] + "-amount";
  }
  // A field of the form as sent, in the answer to `action`.
  function answered(field, action) {
    var name = movedName(field.name, action);
    return name && focusable("[name='" + name + "']" + (isBox(field) ? "[value='" + CSS.escape(field.value) + "']" : ""));
  }
  function focusable(selector) {
    var elt = document.querySelector("#editor " + selector);
    return elt && !elt.disabled ? elt : null;
  }
  function afterPressed(done) {  // what follows once the answer has settled; returns where the focus goes
    var action = done.action, parts = action.split("-"), verb = parts[0], index = parseInt(parts[1], 10);
    if (verb === "pick") {  // the line's amount has the focus (autofocus): clear the search for the next compound
      var search = document.getElementById("compound-search"), suggestions = document.getElementById("suggestions");
      if (search && done.search) {  // unless a new one was typed meanwhile: send it now
        htmx.trigger(search, "search");
      } else {
        if (search) { search.value = ""; }
        // Nor is the emptied list the answer to any query: the same one typed again, Enter found it "answered", empty.
        if (suggestions) { suggestions.replaceChildren(); suggestions.removeAttribute("data-query"); }
        // The same search again must be heard again: a live region says only what changed.
        var status = document.getElementById("search-status");
        if (status) { status.textContent = ""; }
      }
      return null;
    }
    var prefix = (document.querySelector("#editor [name$='-TOTAL_FORMS']") || {name: ""}).name.split("-")[0];
    if (verb === "add") {
      var rows = document.querySelectorAll("#editor tr[data-line], #editor tr[data-item]");
      return focusable("[name='" + prefix + "-" + (rows.length - 1) + "-" + (prefix === "lines" ? "compound" : "product") + "']");
    }
    if (verb === "solve") {  // the amount it set; or, refused, the target its message is about
      var refused = document.getElementById("solve-lines-" + index);
      return focusable("[name='lines-" + index + (refused && refused.textContent.trim() ? "-target_mg']" : "-amount']"));
    }
    if (verb === "up" || verb === "down") {  // follow the row that moved
      var moved = verb === "up" ? index - 1 : index + 1;
      return focusable("[value='" + verb + "-" + moved + "']") || focusable("[value='" + (verb === "up" ? "down" : "up") + "-" + moved + "']");
    }
    if (verb === "remove") {  // the row that took its place, the one before it, or adding a new one
      return focusable("[value='remove-" + index + "']") || focusable("[value='remove-" + (index - 1) + "']") || focusable("[value='add']");
    }
    return null;
  }
  // What a screen reader hears as the figures change (WCAG 4.1.3): the limits' status in words, and the messages while
  // the input is at fault, written to one polite region only when they differ from what it last said. The regions
  // htmx swaps are swapped on every keystroke, and as live regions they would be read out again each time. What Solve
  // rounded comes first: its note arrives in the editor htmx swaps in, a status region new to the page, which screen
  // readers do not read out.
  function textOf(selector) {
    var el = document.querySelector(selector);
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function solveNote() {
    return Array.prototype.map.call(document.querySelectorAll("#editor .solve-note"), function (el) {
      return el.textContent.trim();
    }).filter(Boolean).join(" ");
  }
  function announcement() {
    var state = document.getElementById("results-state");
    if (state && state.classList.contains("stale")) {
      var messages = Array.prototype.map.call(document.querySelectorAll("#editor .field-error"), function (el) {
        return el.textContent.trim();
      }).filter(Boolean);
      return [state.innerText.trim()].concat(messages).join(" ");  // as shown: without words the page hides
    }
    var status = textOf("#overall-status");
    if (!status) { return ""; }
    var limits = ["Limits", status, textOf("#overall-nutrients")].filter(Boolean).join(" ");
    return [limits, textOf("#overall-excluded"), textOf("#overall-fit")].filter(Boolean).join("; ") + ".";
  }
  var announced = null;
  var noted = "";  // the solve note last read out: it stays on the page while the user types on
  // A message that quotes the number typed ("200012 mg is more than 100 g a serving") changes its words at each
  // keystroke; said again each time, it talked over the typing. Messages have changed only if their words have; the
  // figures' status ("4 needed", then "12 needed") is the server's to say, and is said whenever it changes.
  function gist(text) {
    var state = document.getElementById("results-state");
    return text !== null && state && state.classList.contains("stale") ? text.replace(/\d[\d,.]*/g, "#") : text;
  }
  function announce() {
    var region = document.getElementById("announcer");
    if (!region) { return; }
    var now = announcement();
    var note = solveNote();
    if (note && note !== noted) {
      region.textContent = [note, now].filter(Boolean).join(" ");
    } else if (announced !== null && gist(now) !== gist(announced)) {
      region.textContent = now;
    }
    announced = now;
    noted = note;
  }
  // An answer that never came, or came as an error (the server down, a 500, a session expired: 401), left the figures
  // reading as current, and a button's answer did nothing. The figures are marked out of date, saying why; what was
  // typed stays on the page, and the next answer replaces this.
  var SIGNED_OUT = "Out of date: you are signed out. Sign in again in another tab; what you typed stays here, and the " +
    "figures follow your next change.";
  var NO_ANSWER = "Out of date: the server did not answer ({reason}). What you typed stays here: change a field to try again.";
  var REASONS = {404: "error 404: the design may have been deleted", 403: "error 403: you may no longer edit it"};
  function isEditors(elt) {
    return Boolean(elt && elt.closest && (elt.closest("form[data-dirty-guard]") || isButton(elt)));
  }
  function unanswered(event) {
    var elt = event.detail.elt, state = document.getElementById("results-state");
    if (!state || !isEditors(elt)) { return; }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (pressed && pressed.elt === elt) { pressed = null; }
    markBusy(false);
    state.className = "stale";
    state.dataset.unanswered = "";  // gone with the element when an answer comes: the server's state replaces it
    state.textContent = status === 401 ? SIGNED_OUT : NO_ANSWER.replace("{reason}", REASONS[status] || (status ? "error " + status : "no connection"));
    announce();
  }
  document.addEventListener("htmx:responseError", unanswered);
  document.addEventListener("htmx:sendError", unanswered);
  // `make run` serves with DEBUG on, where django-htmx's debug script writes an error answer's page over the whole
  // document: the editor and everything typed in it were lost to a 404 page. An editor's failed answer is left to
  // `unanswered` (listening here, on the window as the event is captured, comes before that script's listener).
  window.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && isEditors(event.detail.elt)) { event.stopImmediatePropagation(); }
  }, true);
  // Signing in again (in another tab, as SIGNED_OUT asks) gives a new CSRF token: the one the page was served with,
  // in hx-headers and the form, was refused (403) from then on, and nothing typed could be recalculated or saved. The
  // cookie (CSRF_COOKIE_NAME, readable by scripts as Django's default has it) holds the current one.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }
  function csrfRenew(token) {  // the form's own, which a post sends too, and Django reads before the header
    document.querySelectorAll("input[name='csrfmiddlewaretoken']").forEach(function (field) { field.value = token; });
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (!token) { return; }
    event.detail.headers["X-CSRFToken"] = token;
    if (event.detail.parameters.csrfmiddlewaretoken) { event.detail.parameters.csrfmiddlewaretoken = token; }
    csrfRenew(token);
  });
  document.addEventListener("DOMContentLoaded", function () { announced = announcement(); noted = solveNote(); });
  // Marking the fields its messages name invalid, and not putting in a live region's words again, is live.js's.
  document.addEventListener("htmx:afterSettle", announce);
  // What was typed is put back as soon as the answer is in the page, not once it has settled: htmx gives the focus
  // back to the field of the same id as it swaps, and a key typed there before the settle (20 ms on) went in after
  // the answer's value, which then read as the server's own: "2", "7" typed meanwhile, "5" after, made "25".
  document.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    if (pressed && config && config.elt === pressed.elt && !("carried" in pressed)) { pressed.carried = carryTyped(pressed); }
  });
  // Keys typed straight after picking a suggestion with Enter went to the suggestion, focused until the answer has
  // settled (on a slow connection, every one of them): they are kept, and played in the picked line from its amount on
  // as the browser would have, with the caret: Tab and Shift+Tab to the fields after it (selecting a field's text, as
  // Tab does), Backspace, Delete, the arrows, Home and End, and Enter (a target's Enter solves it). Let through, Tab
  // took the focus out of the editor and the answer put it back in the amount ("10", Tab, Tab, "3" read 103 mg), and
  // Enter picked the compound a second time, the amount lost.
  var KEPT_KEYS = {Tab: 1, Backspace: 1, Delete: 1, ArrowLeft: 1, ArrowRight: 1, Home: 1, End: 1, Enter: 1,
                   ArrowUp: "Home", ArrowDown: "End"};  // in a one-line field, up and down go to its ends
  function pickPending() {
    return Boolean(pressed && pressed.action.indexOf("pick-") === 0);
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!pickPending() || event.ctrlKey || event.metaKey || event.altKey ||
        !(target === document.body || (target.closest && target.closest("#suggestions")))) { return; }
    var key = event.key.length === 1 ? event.key : KEPT_KEYS[event.key];
    if (!key) { return; }
    event.preventDefault();
    pressed.keys = pressed.keys || [];
    pressed.keys.push(key === 1 ? (event.key === "Tab" && event.shiftKey ? "BackTab" : event.key) : key);
  });
  function formFields() {  // the editor form's fields, buttons and links in the order Tab goes through them
    var form = document.querySelector("form[data-dirty-guard]");
    return form ? Array.prototype.filter.call(form.querySelectorAll("input, select, textarea, button, a[href]"), function (field) {
      return field.tabIndex >= 0 && !field.disabled && field.type !== "hidden" && field.offsetParent !== null;
    }) : [];
  }
  function isText(field) {
    return (field.tagName === "INPUT" && !isBox(field) && field.type !== "submit" && field.type !== "button") ||
      field.tagName === "TEXTAREA";
  }
  function keysToAmount(done) {  // the keys kept while a pick was on its way, played from its line's amount (autofocus)
    var field = done.keys && document.querySelector("#editor input[autofocus][name$='-amount']");
    if (!field) { return null; }
    var changed = [], caret = field.value.length, selected = false, typedAhead = "", entered = null;
    done.keys.forEach(function (key) {
      if (key === "Tab" || key === "BackTab") {
        var fields = formFields(), next = fields[fields.indexOf(field) + (key === "Tab" ? 1 : -1)];
        if (next) { field = next; caret = isText(field) ? field.value.length : 0; selected = isText(field); typedAhead = ""; }
        return;
      }
      if (key === "Enter") { entered = field; return; }
      if (field.tagName === "SELECT") {  // a menu takes letters typed in a row as the start of an option
        if (key.length !== 1) { return; }
        typedAhead += key.toLowerCase();
        var option = Array.prototype.find.call(field.options, function (o) { return o.text.toLowerCase().indexOf(typedAhead) === 0; });
        if (option && field.value !== option.value) { field.value = option.value; changed.push(field); }
        return;
      }
      if (!isText(field)) { return; }
      var value = field.value;
      if (selected && (key.length === 1 || key === "Backspace" || key === "Delete")) { value = ""; caret = 0; }
      if (key.length === 1) {
        value = value.slice(0, caret) + key + value.slice(caret);
        caret += 1;
      } else if (key === "Backspace" && !selected && caret > 0) {
        value = value.slice(0, caret - 1) + value.slice(caret);
        caret -= 1;
      } else if (key === "Delete" && !selected) {
        value = value.slice(0, caret) + value.slice(caret + 1);
      } else if (key === "ArrowLeft") {
        caret = selected ? 0 : Math.max(0, caret - 1);
      } else if (key === "ArrowRight") {
        caret = selected ? value.length : Math.min(value.length, caret + 1);
      } else if (key === "Home" || key === "End") {
        caret = key === "Home" ? 0 : value.length;
      }
      selected = false;
      if (value !== field.value) { field.value = value; changed.push(field); }
    });
    changed.filter(function (f, i) { return changed.indexOf(f) === i; }).forEach(function (f) { htmx.trigger(f, "input"); });
    done.caret = {at: caret, all: selected};
    var solve = entered && /^lines-(\d+)-target_mg$/.exec(entered.name || "");
    if (solve) {  // as Enter in a target does (the keydown above): after the input, queued behind it
      var button = document.querySelector("#editor button[value='solve-" + solve[1] + "']");
      if (button) { button.click(); }
    }
    return field;
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    // A button's answer has changed the design (or, adding a line and removing it, put it back as saved).
    if (dirty && document.querySelector("form[data-dirty-guard]")) { setDirty(designChanged()); }
    if (!pressed || !config || config.elt !== pressed.elt) { return; }  // a keystroke's answer may settle first
    var done = pressed;
    pressed = null;  // before what follows sends anything: those requests are no longer the button's
    markBusy(false);
    var target = afterPressed(done);
    var carried = "carried" in done ? done.carried : carryTyped(done);
    // Played whatever happened next: "50" typed before going on to type in Brand is the picked line's amount still.
    var keyed = keysToAmount(done);
    var typedIn = carried || keyed ||
      (done.last && done.last.isConnected ? done.last : null) ||
      (done.focused && (done.focused.isConnected ? done.focused : answered(done.focused, done.action)));
    // Someone who went on typing elsewhere meanwhile, or only went to another field, stays where they are: the next
    // key must not land in the line the button changed, or press the button that has the focus.
    if (typedIn) {
      typedIn.focus();
      var caret = typedIn === keyed && done.caret ? done.caret : {at: String(typedIn.value || "").length, all: false};
      if (typeof typedIn.value === "string" && typedIn.setSelectionRange) {
        try {
          typedIn.setSelectionRange(caret.all ? 0 : caret.at, caret.all ? typedIn.value.length : caret.at);
        } catch (error) { /* not a text field */ }
      }
    } else if (target) {
      target.focus();
    }
  });
  // Saving while a field is at fault would be refused, and the page that says so could show only the last save's
  // figures: the last valid ones on screen would be lost. Say so here instead. While the figures may be about to
  // change (typed within a pause, or a recalculation on its way), the save waits for them, then is decided so: sent
  // at once, a save of "12x" typed a moment before replaced the figures on screen with the last save's.
  var SETTLE_MS = 500;  // longer than the form's pause before it recalculates (hx-trigger "input delay:250ms")
  var WAIT_MS = 10000;  // a recalculation that never answers: the save goes after this, and the server decides
  var waitingSince = 0;  // when a save began waiting for the figures; 0 when none is
  var retried = false;  // a save pressed after a failed answer (or a quiet while) has asked for the figures again
  // A save after this long without an answer asks for the figures first (a form's data-recheck-after-ms, in tests).
  var RECHECK_MS = 60000;
  var lastAnswered = Date.now();
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && isEditors(event.detail.elt)) { lastAnswered = Date.now(); }
  });
  var OUT_OF_DATE = "Out of date:", NOT_SAVED = "Not saved:";
  function settled(form) {  // the figures on screen answer the last input
    // Nor while an answer settles: htmx puts the new "out of date" state in with the old one's class and gives it its
    // own a moment later, and a save checked in between was sent (on a slow machine, now and then).
    // A button's answer on its way (add, remove, move, solve, pick) carries htmx-request on the button, not the form:
    // a save pressed meanwhile went out with the page as it was before, and the removal was lost.
    return Date.now() - lastInput > SETTLE_MS && !form.classList.contains("htmx-request") &&
      !document.querySelector(".workbench button.htmx-request, .htmx-swapping, .htmx-settling");
  }
  document.addEventListener("submit", function (event) {
    if (!event.submitter || event.submitter.value !== "save") { return; }
    var state = document.getElementById("results-state"), form = event.target, submitter = event.submitter;
    var waitedOut = waitingSince && Date.now() - waitingSince > WAIT_MS;
    if (state && !settled(form) && !waitedOut) {
      event.preventDefault();
      if (!waitingSince) {
        waitingSince = Date.now();
        var check = function () {
          if (settled(form) || Date.now() - waitingSince > WAIT_MS) {
            form.requestSubmit(submitter);
            waitingSince = 0;
          } else {
            setTimeout(check, 100);
          }
        };
        setTimeout(check, 100);
      }
      return;
    }
    // Out of date because an answer failed (not because of a field): the figures are asked for once more, and the
    // save decided by that answer. "Fix the highlighted fields" with none highlighted left no way to save but a
    // reload, which lost what was typed. So too after a quiet while: a session expired meanwhile sent the save to the
    // sign-in page, and what was typed was lost; asked for first, the figures say "signed out" and it stays here.
    var failedBefore = state && state.classList.contains("stale") && state.hasAttribute("data-unanswered");
    if (state && !retried && (failedBefore || Date.now() - lastAnswered > Number(form.dataset.recheckAfterMs || RECHECK_MS))) {
      event.preventDefault();
      retried = true;
      lastInput = Date.now();
      htmx.trigger(form, "input");
      waitingSince = Date.now();
      var retry = function () {
        if (settled(form) || Date.now() - waitingSince > WAIT_MS) { waitingSince = 0; form.requestSubmit(submitter); }
        else { setTimeout(retry, 100); }
      };
      setTimeout(retry, 100);
      return;
    }
    var failed = state && state.hasAttribute("data-unanswered");
    retried = false;
    // Out of date only for lines just added and left blank (data-blank): no message is shown yet, and the save is
    // the server's to refuse, naming them ("Choose a compound."); refused here, it said "fix the highlighted fields".
    if (state && state.classList.contains("stale") && !state.hasAttribute("data-blank")) {
      event.preventDefault();
      var fromLast = document.createElement("span");
      fromLast.className = "from-last-valid";
      fromLast.textContent = FROM_LAST_VALID;
      // The answer failed again: its reason, not a field's.
      state.replaceChildren(failed ? state.textContent.replace(OUT_OF_DATE, NOT_SAVED) : SAVE_REFUSED, failed ? "" : fromLast);
      if (failed) { announce(); return; }
      var message = Array.prototype.find.call(form.querySelectorAll(".field-error"), function (el) { return el.textContent.trim(); });
      var field = message && message.id.indexOf("err-") === 0 && form.querySelector("[name='" + message.id.slice(4) + "']");
      if (field) { field.focus(); }
      return;
    }
    var token = csrfToken();
    if (token) { csrfRenew(token); }
    setDirty(false);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
