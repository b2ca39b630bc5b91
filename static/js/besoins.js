// The coordination's map of unmet needs: one circle per EPCI, its area following the number of
// searches that found nothing. The table next to it says the same in text.
document.querySelectorAll("[data-portail-besoins]").forEach(function (element) {
  var points = JSON.parse(document.getElementById(element.dataset.portailBesoins).textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "© contributeurs OpenStreetMap",
  }).addTo(map);
  var bounds = [];
  points.forEach(function (point) {
    var centre = [point.lat, point.lon];
    L.circleMarker(centre, { radius: 6 + 3 * Math.sqrt(point.recherches), keyboard: false })
      .bindTooltip(point.nom + " : " + point.recherches + " recherche(s) sans résultat")
      .addTo(map);
    bounds.push(centre);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 });
});
