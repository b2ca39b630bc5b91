// The opening hours helper of the admin (catalogue.fields.HorairesPicker): a grid of the week's
// days with two time ranges each writes the OpenStreetMap `opening_hours` text box (the field
// sent, still editable), consecutive days with the same ranges grouped (« Mo-Fr 09:00-12:00 »).
// Text the grid cannot show (public holidays, months, comments…) is left as typed: the grid is
// then disabled (filling it would erase what it cannot show) until the text is emptied or made
// simple again.
// Wagtail puts form media in the page head: wait for the form.
document.addEventListener("DOMContentLoaded", function () {
  var DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
  var RANGE = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/;

  function dayList(text) {
    // "Mo-We,Fr" → ["Mo", "Tu", "We", "Fr"]; null when not only days.
    var days = [];
    var ok = text.split(",").every(function (part) {
      var ends = part.split("-");
      var from = DAYS.indexOf(ends[0]);
      var to = DAYS.indexOf(ends[ends.length - 1]);
      if (ends.length > 2 || from < 0 || to < from) return false;
      days = days.concat(DAYS.slice(from, to + 1));
      return true;
    });
    return ok ? days : null;
  }

  function read(text) {
    // {day: [[start, end], …]} of a simple text, or null when the grid cannot show it.
    var week = {};
    var rules = text.split(";").map(function (r) { return r.trim(); }).filter(Boolean);
    var ok = rules.every(function (rule) {
      var parts = rule.split(/\s+/);
      var days = parts.length === 2 ? dayList(parts[0]) : null;
      if (!days) return false;
      var ranges = parts[1] === "off" ? [] : parts[1].split(",").map(function (r) {
        var match = RANGE.exec(r);
        return match ? [match[1], match[2]] : null;
      });
      if (ranges.length > 2 || ranges.indexOf(null) >= 0) return false;
      days.forEach(function (day) { week[day] = ranges; });
      return true;
    });
    return ok ? week : null;
  }

  function write(week) {
    // Consecutive days with the same ranges in one rule; days without ranges left out.
    var rules = [];
    var start = 0;
    for (var i = 1; i <= DAYS.length; i++) {
      var key = week[DAYS[start]].join(",");
      if (i < DAYS.length && week[DAYS[i]].join(",") === key) continue;
      if (key) {
        var days = i - 1 === start ? DAYS[start] : DAYS[start] + "-" + DAYS[i - 1];
        rules.push(days + " " + week[DAYS[start]].map(function (r) { return r.join("-"); }).join(","));
      }
      start = i;
    }
    return rules.join("; ");
  }

  document.querySelectorAll("[data-horaires-picker]").forEach(function (picker) {
    var text = picker.querySelector("input:not([type=time])");
    var grid = picker.querySelector("[data-horaires-grid]");
    var status = picker.querySelector("[data-horaires-status]");

    function cell(day, slot, edge) {
      return grid.querySelector('tr[data-day="' + day + '"] [data-slot="' + slot + '"][data-edge="' + edge + '"]');
    }

    function fill() {
      var week = read(text.value);
      DAYS.forEach(function (day) {
        [0, 1].forEach(function (slot) {
          var range = (week && week[day] && week[day][slot]) || ["", ""];
          cell(day, slot, "start").value = range[0];
          cell(day, slot, "end").value = range[1];
        });
      });
      grid.disabled = !week;
      status.textContent = week ? "" : "Ces horaires ne tiennent pas dans la grille (jours fériés, commentaire…) : modifiez-les dans le texte ci-dessous, ou videz-le pour utiliser la grille.";
    }

    function fromGrid() {
      var week = {};
      DAYS.forEach(function (day) {
        week[day] = [0, 1].map(function (slot) {
          return [cell(day, slot, "start").value, cell(day, slot, "end").value];
        }).filter(function (r) { return r[0] && r[1]; });
      });
      text.value = write(week);
      status.textContent = "";
    }

    grid.hidden = false;
    fill();
    grid.addEventListener("change", fromGrid);
    text.addEventListener("change", fill);
  });
});
