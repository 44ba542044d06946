// Casefile: small enhancements only. Every page works without this file.
(function () {
  "use strict";

  // Timeline: ?actor=ID shows only the entries involving that actor.
  function filterTimeline() {
    var select = document.getElementById("actor-filter");
    if (!select) return;
    var status = document.querySelector(".filter-status");
    function apply(actor) {
      var shown = 0;
      document.querySelectorAll(".timeline-entry").forEach(function (li) {
        var match = !actor || (" " + li.dataset.actors + " ").indexOf(" " + actor + " ") >= 0;
        li.hidden = !match;
        if (match) shown++;
      });
      document.querySelectorAll(".timeline-year").forEach(function (section) {
        section.hidden = !section.querySelector(".timeline-entry:not([hidden])");
      });
      var option = select.options[select.selectedIndex];
      var words = status.dataset.template || "{count} entries involving {name}";  // in the page's language
      status.textContent = actor ? words.replace("{count}", shown.toLocaleString(document.documentElement.lang))
        .replace("{name}", option.text) : "";
    }
    var actor = new URLSearchParams(window.location.search).get("actor") || "";
    if (actor && !select.querySelector('option[value="' + CSS.escape(actor) + '"]')) actor = "";
    select.value = actor;
    apply(actor);
    select.addEventListener("change", function () {
      var url = new URL(window.location.href);
      if (select.value) url.searchParams.set("actor", select.value); else url.searchParams.delete("actor");
      history.replaceState(null, "", url);
      apply(select.value);
    });
  }

  // Footnote markers: preview the note on hover or keyboard focus.
  function footnotePreviews() {
    var tip = document.createElement("div");
    tip.className = "fn-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);
    function show(event) {
      var marker = event.currentTarget;
      var note = document.getElementById(marker.getAttribute("href").slice(1));
      if (!note) return;
      tip.textContent = "";
      var copy = note.cloneNode(true);
      copy.querySelectorAll(".backrefs, .print-url").forEach(function (n) { n.remove(); });
      while (copy.firstChild) tip.appendChild(copy.firstChild);
      var box = marker.getBoundingClientRect();
      tip.hidden = false;
      var left = Math.max(8, Math.min(box.left + window.scrollX - 40, document.documentElement.clientWidth - tip.offsetWidth - 8));
      tip.style.left = left + "px";
      tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    }
    function hide() { tip.hidden = true; }
    document.querySelectorAll("a.fn-ref").forEach(function (marker) {
      marker.addEventListener("mouseenter", show);
      marker.addEventListener("focus", show);
      marker.addEventListener("mouseleave", hide);
      marker.addEventListener("blur", hide);
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  }

  // Tables marked data-sortable: click a column heading to sort by it.
  function sortableTables() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      var headers = table.querySelectorAll("thead th");
      headers.forEach(function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = sortValue(a.cells[column]), y = sortValue(b.cells[column]);
            if (x === null || y === null) return (x === null) - (y === null);  // no value: last either way
            return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }
  // A cell's data-sort is a number (an amount), empty when there is none; else its date, else its text.
  function sortValue(cell) {
    if (cell.hasAttribute("data-sort")) {
      var number = parseFloat(cell.getAttribute("data-sort"));
      return isNaN(number) ? null : number;
    }
    var time = cell.querySelector("time");
    return time ? time.getAttribute("datetime") : cell.textContent.trim().toLowerCase();
  }

  filterTimeline();
  footnotePreviews();
  sortableTables();
})();
