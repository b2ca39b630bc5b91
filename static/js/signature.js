// The person signs on screen: shown when the consent mode is « signature », the drawing is
// copied as a PNG data URL into the hidden field when the form is sent.
(function () {
  var mode = document.getElementById("id_mode");
  var zone = document.getElementById("zone-signature");
  var canvas = document.getElementById("signature-cadre");
  var field = document.getElementById("id_signature");
  if (!mode || !canvas || !field) return;
  var context = canvas.getContext("2d");
  var drawing = false;
  var signed = false;

  function toggle() { zone.hidden = mode.value !== "signature"; }
  mode.addEventListener("change", toggle);
  toggle();

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width,
            (event.clientY - box.top) * canvas.height / box.height];
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    context.beginPath();
    context.moveTo.apply(context, point(event));
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    context.lineTo.apply(context, point(event));
    context.lineWidth = 2;
    context.stroke();
    signed = true;
  });
  window.addEventListener("pointerup", function () { drawing = false; });
  document.getElementById("signature-effacer").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    signed = false;
  });
  canvas.closest("form").addEventListener("submit", function () {
    field.value = signed && mode.value === "signature" ? canvas.toDataURL("image/png") : "";
  });
})();
