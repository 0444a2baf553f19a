/* Ranking a ballot by dragging or with move buttons, on top of the numbered form.
 *
 * The number inputs stay what is posted: everything here only rewrites their values, so the
 * form works the same without this script. Dragging uses pointer events (HTML5 drag and drop
 * does not work with a finger). The words come from the page's data- attributes, translated
 * there. Styles are classes in site.css: the content security policy forbids inline style.
 */
(function () {
  "use strict";

  var MOVED = 5; // pixels a pointer must travel before a press on a handle counts as a drag

  function enhance(fieldset) {
    var list = fieldset.querySelector("ul.ranking");
    var said = fieldset.querySelector(".said");
    if (!list || !said || fieldset.classList.contains("enhanced")) {
      return;
    }
    var first = rows(); // the page's order: unranked candidates go back to it
    var drag = null;

    function rows() {
      return Array.prototype.slice.call(list.children);
    }
    function input(row) {
      return row.querySelector("input[type=number]");
    }
    function ranked(row) {
      return input(row).value.trim() !== "";
    }
    function number(row) {
      var n = Number(input(row).value);
      return input(row).value.trim() !== "" && isFinite(n) && n >= 1 ? n : null;
    }

    // Put the rows in this order, moving only those out of place, and give focus back if a
    // move took it from a button or an input in a moved row.
    function arrange(order) {
      var focused = document.activeElement;
      order.forEach(function (row, index) {
        if (list.children[index] !== row) {
          list.insertBefore(row, list.children[index]);
        }
      });
      if (focused && list.contains(focused) && document.activeElement !== focused) {
        focused.focus();
      }
    }

    function announce(row) {
      // Emptied first, so that the same words said twice are said again.
      said.textContent = "";
      window.setTimeout(function () {
        said.textContent = ranked(row)
          ? row.dataset.said.replace("{place}", input(row).value.trim())
          : row.dataset.unranked;
      }, 50);
    }

    // A row moved into place is ranked, and so is every row above it: the list reads as the
    // order of preference, and a blank above a number would be a hole in it. The ranked rows
    // are numbered 1..k from the top.
    function settle(row) {
      var at = rows().indexOf(row);
      var k = 0;
      rows().forEach(function (each, index) {
        if (index <= at || ranked(each)) {
          k += 1;
          input(each).value = String(k);
        }
      });
      announce(row);
    }

    function place(row, to) {
      var order = rows().filter(function (each) {
        return each !== row;
      });
      order.splice(Math.max(0, Math.min(to, order.length)), 0, row);
      arrange(order);
      settle(row);
    }

    // Typed numbers order the list: ranked first, by number (equal numbers keep their order),
    // then the unranked in the page's order.
    function sortByNumber() {
      var numbered = rows().filter(function (row) {
        return number(row) !== null;
      });
      numbered.sort(function (a, b) {
        return number(a) - number(b);
      });
      var rest = first.filter(function (row) {
        return number(row) === null;
      });
      arrange(numbered.concat(rest));
    }

    function button(row, word, glyph, step) {
      var made = document.createElement("button");
      made.type = "button";
      made.className = "move";
      made.setAttribute("aria-label", row.dataset[word]);
      made.textContent = glyph;
      made.addEventListener("click", function () {
        place(row, rows().indexOf(row) + step);
      });
      return made;
    }

    first.forEach(function (row) {
      var handle = document.createElement("span");
      handle.className = "handle";
      // The buttons do the same for keyboards and screen readers; the handle is for pointers.
      handle.setAttribute("aria-hidden", "true");
      row.insertBefore(handle, row.firstChild);
      row.appendChild(button(row, "up", "\u2191", -1));
      row.appendChild(button(row, "down", "\u2193", 1));
      input(row).addEventListener("change", function () {
        // After the focus has gone where the key that ended the typing sent it (Tab: the row's
        // next button), so that the sort gives it back there and not to this input.
        window.setTimeout(function () {
          sortByNumber();
          announce(row);
        }, 0);
      });
    });

    var hint = document.createElement("p");
    hint.className = "muted hint";
    hint.textContent = fieldset.dataset.hint;
    fieldset.querySelector("legend").after(hint);

    // The list, not the row, holds the pointer: the row moves in the page while it is dragged,
    // and an element taken out of the page loses its capture.
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".handle");
      if (!handle || drag || event.button !== 0) {
        return;
      }
      event.preventDefault(); // no text selection, no scrolling on a phone
      var row = handle.closest("li");
      drag = { row: row, pointer: event.pointerId, y: event.clientY, moved: false, was: rows() };
      list.setPointerCapture(event.pointerId);
      row.classList.add("dragging");
    });

    function middle(row) {
      var box = row.getBoundingClientRect();
      return box.top + box.height / 2;
    }

    list.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.pointer) {
        return;
      }
      if (!drag.moved && Math.abs(event.clientY - drag.y) < MOVED) {
        return;
      }
      drag.moved = true;
      var row = drag.row;
      // Past the middle of a neighbour, the dragged row takes its place.
      while (row.previousElementSibling && event.clientY < middle(row.previousElementSibling)) {
        list.insertBefore(row, row.previousElementSibling);
      }
      while (row.nextElementSibling && event.clientY > middle(row.nextElementSibling)) {
        list.insertBefore(row.nextElementSibling, row);
      }
    });

    function end(event, kept) {
      if (!drag || event.pointerId !== drag.pointer) {
        return;
      }
      var done = drag;
      drag = null;
      done.row.classList.remove("dragging");
      if (!kept) {
        arrange(done.was);
      } else if (done.moved) {
        settle(done.row);
      }
    }
    list.addEventListener("pointerup", function (event) {
      end(event, true);
    });
    // The browser took the pointer (a gesture, a call): the drag did not happen.
    list.addEventListener("pointercancel", function (event) {
      end(event, false);
    });
    // Capture lost without a release (the page hidden, say): keep what was dragged so far.
    list.addEventListener("lostpointercapture", function (event) {
      end(event, true);
    });

    fieldset.classList.add("enhanced");
    // Numbers the browser kept from an earlier visit (back and forward) order the list too.
    sortByNumber();
  }

  Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-ranking]"), enhance);
})();
