// SKU forecast chart: history bars, forecast line and its interval band (data from a json_script block).
(function () {
  var el = document.getElementById("forecast-chart");
  var src = document.getElementById("forecast-data");
  if (!el || !src || typeof Plotly === "undefined") return;
  var d = JSON.parse(src.textContent);
  var traces = [
    {x: d.history_dates, y: d.history, type: "bar", name: d.labels.history, marker: {color: "rgba(24,144,255,0.45)"}},
    {x: d.dates, y: d.upper, type: "scatter", mode: "lines", line: {width: 0}, showlegend: false, hoverinfo: "skip"},
    {x: d.dates, y: d.lower, type: "scatter", mode: "lines", line: {width: 0}, fill: "tonexty",
     fillcolor: "rgba(212,56,13,0.15)", name: d.labels.interval},
    {x: d.dates, y: d.mean, type: "scatter", mode: "lines", name: d.labels.forecast, line: {color: "#d4380d", width: 2}}
  ];
  var layout = {margin: {l: 50, r: 20, t: 10, b: 40}, height: 300, legend: {orientation: "h", y: -0.2},
                yaxis: {rangemode: "tozero"}, hovermode: "x unified"};
  ShopOpsCharts.draw(el, traces, layout);
  el.setAttribute("data-rendered", "1");
})();
