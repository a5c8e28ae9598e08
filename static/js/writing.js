// Writing help for Markdown fields (templates/components/markdown_field.html, portal/writing.py).
// Without this script the field is a plain textarea with a hint and a "Vorschau" submit button.
// With it: the formatting toolbar (and Ctrl+B, Ctrl+I), and "@" completion of names where the
// textarea names a suggestion address (data-mention-url): a listbox the arrow keys move through,
// Enter or Tab takes the name, Escape closes it (the ARIA autocomplete-list pattern).
(function () {
  "use strict";

  // Tells the page (autosave, the minutes editor's leave warning) that the text changed.
  function changed(area) {
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function replaceSelection(area, text, selectFrom, selectTo) {
    var start = area.selectionStart;
    area.focus();
    area.setRangeText(text, start, area.selectionEnd, "end");
    if (selectFrom !== undefined) {
      area.setSelectionRange(start + selectFrom, start + selectTo);
    }
    changed(area);
  }

  function wrap(area, mark) {
    var selected = area.value.slice(area.selectionStart, area.selectionEnd);
    replaceSelection(area, mark + selected + mark, mark.length, mark.length + selected.length);
  }

  function prefixLines(area, prefix) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = area.selectionEnd;
    var lines = value.slice(start, end).split("\n");
    var text = lines
      .map(function (line) {
        return line.indexOf(prefix) === 0 ? line : prefix + line;
      })
      .join("\n");
    area.setSelectionRange(start, end);
    replaceSelection(area, text);
  }

  function link(area) {
    var selected = area.value.slice(area.selectionStart, area.selectionEnd) || "Link";
    var text = "[" + selected + "](https://)";
    replaceSelection(area, text, selected.length + 3, text.length - 1);
  }

  var ACTIONS = {
    bold: function (area) { wrap(area, "**"); },
    italic: function (area) { wrap(area, "*"); },
    heading: function (area) { prefixLines(area, "## "); },
    list: function (area) { prefixLines(area, "- "); },
    link: link,
  };

  function startToolbar(block) {
    var toolbar = block.querySelector("[data-markdown-toolbar]");
    var area = block.querySelector("textarea");
    if (!toolbar || !area) {
      return;
    }
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-markdown]");
      if (button && ACTIONS[button.dataset.markdown]) {
        ACTIONS[button.dataset.markdown](area);
      }
    });
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        var key = event.key.toLowerCase();
        if (key === "b" || key === "i") {
          event.preventDefault();
          ACTIONS[key === "b" ? "bold" : "italic"](area);
        }
      }
    });
  }

  // "@Jo", "@Jonas Fe" or "@[Jonas Fe" right before the caret.
  var TYPED_MENTION = /(^|[\s(>])@(\[?)([^\s@[\]][^@[\]\n]{0,60})$/u;

  function startMentions(block) {
    var area = block.querySelector("textarea[data-mention-url]");
    var list = area && document.getElementById(area.id + "_mentions");
    var status = area && document.getElementById(area.id + "_mention_status");
    if (!list) {
      return;
    }
    var url = area.dataset.mentionUrl;
    var options = [];
    var active = -1;
    var typed = null; // {at: index of "@", bracket: bool}
    var timer = null;
    var asked = 0;
    var tookJustNow = false; // the name just taken must not ask again

    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("active", i === index);
      });
      active = index;
      if (index >= 0) {
        area.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        area.removeAttribute("aria-activedescendant");
      }
    }

    function take(index) {
      var person = options[index];
      if (!person || !typed) {
        return;
      }
      var name = person.dataset.name;
      var text = typed.bracket ? "@[" + name + "] " : "@" + name + " ";
      area.setRangeText(text, typed.at, area.selectionStart, "end");
      close();
      area.focus();
      tookJustNow = true;
      changed(area);
    }

    function show(people) {
      close();
      if (!people.length) {
        status.textContent = list.dataset.none || "";
        return;
      }
      people.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = person.name;
        option.textContent = person.name;
        if (person.organisation) {
          var organisation = document.createElement("span");
          organisation.className = "small ms-2 mention-organisation";
          organisation.textContent = person.organisation;
          option.appendChild(organisation);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keeps the caret in the textarea
          take(i);
        });
        list.appendChild(option);
        options.push(option);
      });
      list.hidden = false;
      highlight(0);
      status.textContent = (list.dataset.some || "").replace("{count}", String(people.length));
    }

    function lookUp() {
      var before = area.value.slice(0, area.selectionStart);
      var match = area.selectionStart === area.selectionEnd && TYPED_MENTION.exec(before);
      if (!match || match[3].trim().length < 2) {
        typed = null;
        close();
        return;
      }
      typed = { at: before.length - match[3].length - match[2].length - 1, bracket: match[2] === "[" };
      var ask = ++asked;
      fetch(url + "?q=" + encodeURIComponent(match[3].trim()), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { people: [] };
        })
        .then(function (answer) {
          // An answer that comes after the person moved on (another field, a button) shows nothing.
          if (ask === asked && typed && document.activeElement === area) {
            show(answer.people || []);
          }
        })
        .catch(close);
    }

    area.addEventListener("input", function () {
      clearTimeout(timer);
      if (tookJustNow) {
        tookJustNow = false;
        return;
      }
      timer = setTimeout(lookUp, 150);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden || !options.length) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        take(active < 0 ? 0 : active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    area.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  function start() {
    document.querySelectorAll("[data-markdown-field]").forEach(function (block) {
      // htmx sends the preview; as a plain button it no longer answers Enter in the form's fields,
      // which then sends the form as the person expects.
      block.querySelectorAll("button[name=markdown_preview]").forEach(function (button) {
        button.type = "button";
      });
      startToolbar(block);
      startMentions(block);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
