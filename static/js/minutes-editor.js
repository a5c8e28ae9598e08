// The minutes editor: asks before leaving while typed text is not yet saved.
// A field counts as saved when the form is sent, or when an autosave of its section
// (a [data-autosave] block, see templates/meetings/minutes_edit.html) answered "saved"
// and the field has not changed since that request left.
(function () {
  "use strict";

  function start(form) {
    var unsaved = new Map(); // field -> number of the edit that changed it last
    var edits = 0;
    var sending = false;

    // "input" covers text, selects, checkboxes and dates alike; "change" would also fire when a
    // field merely loses focus, after its autosave.
    form.addEventListener("input", function (event) {
      edits += 1;
      unsaved.set(event.target, edits);
    });
    form.addEventListener("submit", function () {
      sending = true;
    });

    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var block = event.detail.elt;
      if (block && block.hasAttribute && block.hasAttribute("data-autosave")) {
        block.dataset.sentAfterEdit = String(edits);
      }
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var block = event.detail.elt;
      var xhr = event.detail.xhr;
      if (!block || !block.hasAttribute || !block.hasAttribute("data-autosave") || !event.detail.successful) {
        return;
      }
      if (!xhr || xhr.responseText.indexOf('data-autosave-state="saved"') === -1) {
        return;
      }
      var sentAfter = Number(block.dataset.sentAfterEdit || "0");
      unsaved.forEach(function (edit, field) {
        if (edit <= sentAfter && block.contains(field)) {
          unsaved.delete(field);
        }
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (sending || unsaved.size === 0) {
        return;
      }
      event.preventDefault();
      event.returnValue = "";
    });
  }

  function init() {
    var form = document.querySelector("form[data-minutes-editor]");
    if (form) {
      start(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
