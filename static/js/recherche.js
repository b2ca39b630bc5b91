// The search page: « autour de moi », the results map, filters applied at once, and a status
// message after each update. Without JavaScript the form still works (the server reads « lieu »).
(function () {
  var form = document.getElementById("recherche");
  var lieu = document.getElementById("id_lieu");
  var codeCommune = document.getElementById("id_code_commune");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  // Typing a commune replaces « autour de moi ».
  lieu.addEventListener("commune-typed", function () {
    lat.value = lon.value = "";
  });

  var aroundMe = document.getElementById("autour-de-moi");
  var aroundMeStatus = document.getElementById("autour-de-moi-statut");
  if (navigator.geolocation) {
    aroundMe.hidden = false;
    aroundMe.addEventListener("click", function () {
      aroundMeStatus.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(5);
          lon.value = position.coords.longitude.toFixed(5);
          codeCommune.value = lieu.value = "";
          aroundMeStatus.textContent = "Position trouvée : recherche autour de vous.";
          form.requestSubmit();
        },
        function () {
          aroundMeStatus.textContent = "Position indisponible : saisissez une commune.";
        }
      );
    });
  }

  function drawMap() {
    var element = document.querySelector("[data-portail-results-map]");
    var data = document.getElementById("marqueurs");
    if (!element || !data || element.dataset.drawn) return;
    element.dataset.drawn = "1";
    var center = [parseFloat(element.dataset.portailLat), parseFloat(element.dataset.portailLon)];
    var map = L.map(element, { scrollWheelZoom: false }).setView(center, 11);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "© contributeurs OpenStreetMap",
    }).addTo(map);
    L.circleMarker(center, { radius: 6, color: "#000091" }).addTo(map).bindTooltip("Le lieu recherché");
    var bounds = [center];
    JSON.parse(data.textContent).forEach(function (marker) {
      var point = [marker.lat, marker.lon];
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.nom;
      L.marker(point, { keyboard: false, title: marker.nom }).addTo(map).bindPopup(link);
      bounds.push(point);
    });
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
  }

  // A new distance or a ticked filter updates the results at once. The form outlives the
  // swaps (only #resultats is replaced): this listener is added once, or each change would
  // send one more request per update.
  form.addEventListener("change", function (event) {
    if (event.target.closest(".portail-filtres")) form.requestSubmit();
  });

  // On a phone the filters are folded, so that the first result shows on the first screen.
  var affiner = document.getElementById("affiner");
  if (affiner && window.matchMedia("(max-width: 47.99em)").matches) affiner.open = false;

  // The folds opened or closed by the person stay so across updates.
  var folds = {};
  document.body.addEventListener("htmx:beforeSwap", function () {
    folds = {};
    document.querySelectorAll("#resultats details[id]").forEach(function (details) {
      folds[details.id] = details.open;
    });
  });

  drawMap();
  document.body.addEventListener("htmx:afterSwap", function () {
    Object.keys(folds).forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = folds[id];
    });
    drawMap();
    var title = document.getElementById("resultats-titre");
    document.getElementById("resultats-statut").textContent = title ? title.textContent.trim() : "";
  });
})();
