// Draws a Leaflet map for every element marked data-portail-map (one marker at its point).
// Tiles come from OpenStreetMap when online; offline, the marker still shows on a plain map.
document.querySelectorAll("[data-portail-map]").forEach(function (element) {
  var point = [parseFloat(element.dataset.portailLat), parseFloat(element.dataset.portailLon)];
  var map = L.map(element, { scrollWheelZoom: false }).setView(point, 14);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "© contributeurs OpenStreetMap",
  }).addTo(map);
  L.marker(point, { keyboard: false }).addTo(map);
});
