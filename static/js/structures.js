// Suggestions of the structure taking over a fiche relais, for an input marked
// data-structures-url: a <datalist> of labels that tell homonyms apart (address, SIRET), and
// the chosen structure's id copied into the hidden field named by data-id-target. Without
// JavaScript the server reads the typed name, SIRET or label.
document.querySelectorAll("input[data-structures-url]").forEach(function (input) {
  var target = document.getElementById(input.dataset.idTarget);
  var list = document.getElementById(input.getAttribute("list"));
  var idsByLabel = {};
  var pending = null;

  input.addEventListener("input", function () {
    var text = input.value.trim();
    target.value = idsByLabel[text] || "";
    if (idsByLabel[text] || text.length < 2) return;
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(input.dataset.structuresUrl + "?q=" + encodeURIComponent(text))
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (structure) {
            idsByLabel[structure.label] = structure.id;
            var option = document.createElement("option");
            option.value = structure.label;
            list.appendChild(option);
          });
        });
    }, 200);
  });
});
