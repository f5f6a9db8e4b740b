// Analytics metric charts: each element with data-chart="<json_script id>" gets a Plotly chart drawn from that
// JSON ({data: [...traces], layout: {...}}) by the shared ui/charts.js (language, number format). No inline
// script, nothing unescaped; the same numbers are in the table next to the chart and in its xlsx download.
// Panels loaded after the page (htmx) bring their charts with them: drawn again after each swap, once each.
(function () {
  if (typeof ShopOpsCharts === "undefined") return;
  function drawAll() {
    document.querySelectorAll("[data-chart]:not([data-rendered])").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var spec = JSON.parse(src.textContent);
      if (!spec || !spec.data) return;
      ShopOpsCharts.draw(el, spec.data, spec.layout || {});
    });
  }
  drawAll();
  document.addEventListener("htmx:afterSwap", drawAll);
})();
