// GMV trend chart: data comes from a json_script block (no inline script, nothing unescaped); drawn by the
// shared ui/charts.js (language, number format). The chart's panel is loaded after the page (htmx): drawn when
// it arrives, once.
(function () {
  if (typeof ShopOpsCharts === "undefined") return;
  function drawTrend() {
    var el = document.getElementById("gmv-chart");
    var src = document.getElementById("gmv-data");
    if (!el || !src || el.hasAttribute("data-rendered")) return;
    var d = JSON.parse(src.textContent);
    var traces = [
      {x: d.x, y: d.gmv.map(Number), type: "scatter", mode: "lines", name: d.labels.gmv,
       line: {color: "#d4380d", width: 2}, fill: "tozeroy", fillcolor: "rgba(212,56,13,0.08)"},
      {x: d.x, y: d.orders, type: "bar", name: d.labels.orders, yaxis: "y2", marker: {color: "rgba(24,144,255,0.35)"}}
    ];
    var layout = {
      margin: {l: 70, r: 50, t: 10, b: 40}, height: 320, legend: {orientation: "h", y: -0.2},
      xaxis: {type: "date"},
      yaxis: {title: d.labels.gmv, rangemode: "tozero"},
      yaxis2: {title: d.labels.orders, overlaying: "y", side: "right", rangemode: "tozero", showgrid: false,
               tickformat: ",d"},
      hovermode: "x unified"
    };
    ShopOpsCharts.draw(el, traces, layout);
  }
  drawTrend();
  document.addEventListener("htmx:afterSwap", drawTrend);
})();
