// Analytics metric charts: each element with data-chart="<json_script id>" gets a Plotly chart drawn from that
// JSON ({data: [...traces], layout: {...}}). No inline script, nothing unescaped; the same numbers are in the
// table next to the chart and in its xlsx download.
(function () {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src) return;
    var spec = JSON.parse(src.textContent);
    if (!spec || !spec.data) return;
    Plotly.newPlot(el, spec.data, spec.layout || {}, {displaylogo: false, responsive: true});
    el.setAttribute("data-rendered", "1");
  });
})();
