// Campaign plan form: each promotion row shows only the inputs of its type, under that type's labels.
// Without this script every input shows under its general label, and the server reads only the inputs of
// the chosen type, so the form works the same.
(function () {
  function sync(row) {
    var select = row.querySelector("select[data-promo-type]");
    var type = select ? select.value : "";
    row.querySelectorAll("[data-types]").forEach(function (cell) {
      cell.hidden = cell.getAttribute("data-types").split(" ").indexOf(type) < 0;
    });
    row.querySelectorAll(".cell-label").forEach(function (label) {
      var specific = label.querySelector("[data-label-for='" + type + "']");
      label.querySelectorAll("[data-label-for]").forEach(function (text) {
        var own = text.getAttribute("data-label-for");
        text.hidden = specific && type ? own !== type : own !== "";
      });
    });
  }
  document.querySelectorAll("[data-promo-row]").forEach(function (row) {
    sync(row);
    row.addEventListener("change", function (event) {
      if (event.target.matches("select[data-promo-type]")) sync(row);
    });
  });
})();
