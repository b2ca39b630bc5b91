// The zone d'éligibilité picker of the admin (catalogue.fields.ZonePicker): a search box
// suggests communes, EPCI, départements and France by name; choosing one adds its code to the
// codes' text box (the field sent) and shows it by name, with a button to remove it.
// Wagtail puts form media in the page head: wait for the form.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-zone-picker]").forEach(function (picker) {
    var codes = picker.querySelector("input:not([data-zone-search])");
    var search = picker.querySelector("[data-zone-search]");
    var list = document.getElementById(search.getAttribute("list"));
    var chosen = picker.querySelector("[data-zone-chosen]");
    var byLabel = {};
    var pending = null;

    function current() {
      return codes.value.split(/[,;]/).map(function (c) { return c.trim(); }).filter(Boolean);
    }

    function chip(code, label) {
      var item = document.createElement("li");
      item.dataset.code = code;
      item.textContent = label + " ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button-small button-secondary";
      remove.dataset.zoneRemove = "";
      remove.textContent = "Retirer";
      item.appendChild(remove);
      return item;
    }

    search.hidden = false;
    search.addEventListener("input", function () {
      var text = search.value.trim();
      var zone = byLabel[text];
      if (zone) {
        if (current().indexOf(zone.code) < 0) {
          codes.value = current().concat([zone.code]).join(", ");
          var empty = chosen.querySelector("[data-zone-empty]");
          if (empty) empty.remove();
          chosen.appendChild(chip(zone.code, zone.libelle));
        }
        search.value = "";
        return;
      }
      if (text.length < 2) return;
      clearTimeout(pending);
      pending = setTimeout(function () {
        fetch(picker.dataset.zonesUrl + "?q=" + encodeURIComponent(text))
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.innerHTML = "";
            data.results.forEach(function (zone) {
              byLabel[zone.libelle] = zone;
              var option = document.createElement("option");
              option.value = zone.libelle;
              list.appendChild(option);
            });
          });
      }, 200);
    });

    chosen.addEventListener("click", function (event) {
      if (!event.target.matches("[data-zone-remove]")) return;
      var item = event.target.closest("li");
      codes.value = current().filter(function (c) { return c !== item.dataset.code; }).join(", ");
      item.remove();
    });
  });
});
