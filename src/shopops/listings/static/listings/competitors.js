// A rival item's timeline: prices on the left axis, sales/reviews/rank on the right (data from json_script).
(function () {
  var el = document.getElementById("competitor-timeline");
  var src = document.getElementById("timeline-data");
  if (!el || !src || typeof Plotly === "undefined") return;
  var d = JSON.parse(src.textContent);
  ShopOpsCharts.draw(el, d.data, d.layout);
  el.setAttribute("data-rendered", "1");
})();
