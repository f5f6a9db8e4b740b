// DSR trend: one line per dimension (data from the json_script block of the lazily loaded DSR panel).
(function () {
  function draw() {
    var el = document.getElementById("dsr-chart");
    var src = document.getElementById("dsr-data");
    if (!el || !src || el.getAttribute("data-rendered") || typeof Plotly === "undefined") return;
    var d = JSON.parse(src.textContent);
    var traces = d.series.map(function (s) {
      return {x: d.x, y: s.y.map(function (v) { return v === null ? null : Number(v); }), type: "scatter",
              mode: "lines", name: s.name};
    });
    var layout = {margin: {l: 50, r: 20, t: 10, b: 40}, height: 300, legend: {orientation: "h", y: -0.2},
                  yaxis: {range: [1, 5]}, hovermode: "x unified"};
    ShopOpsCharts.draw(el, traces, layout);
    el.setAttribute("data-rendered", "1");
  }
  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
