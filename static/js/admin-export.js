// import-export's "Select all" on the admin's export page is an inline onchange handler, which the Content Security
// Policy blocks: bind the same handler (export_selectable_fields.js) from here.
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll(".select-toggle")) {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
