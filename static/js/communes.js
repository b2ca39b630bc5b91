// Commune suggestions for every input marked data-communes-url: a <datalist> of « Nom (code
// postal) », and the chosen commune's INSEE code copied into the field named by
// data-code-target. Without JavaScript the server reads the typed name or postal code.
document.querySelectorAll("input[data-communes-url]").forEach(function (input) {
  var code = document.getElementById(input.dataset.codeTarget);
  var list = document.getElementById(input.getAttribute("list"));
  var codesByLabel = {};
  var pending = null;

  input.addEventListener("input", function () {
    var text = input.value.trim();
    code.value = codesByLabel[text] || "";
    input.dispatchEvent(new CustomEvent("commune-typed", { bubbles: true }));
    if (codesByLabel[text] || text.length < 2) return;
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(input.dataset.communesUrl + "?q=" + encodeURIComponent(text))
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (commune) {
            var label = commune.nom + " (" + (commune.codes_postaux[0] || commune.departement) + ")";
            codesByLabel[label] = commune.code_insee;
            var option = document.createElement("option");
            option.value = label;
            list.appendChild(option);
          });
        });
    }, 200);
  });
});
