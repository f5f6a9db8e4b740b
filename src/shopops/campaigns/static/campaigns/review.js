// Campaign review charts: data comes from a json_script block (no inline script, nothing unescaped).
(function () {
  var src = document.getElementById("review-data");
  if (!src || typeof Plotly === "undefined") return;
  var d = JSON.parse(src.textContent);
  var daily = document.getElementById("review-daily");
  if (daily) {
    ShopOpsCharts.draw(daily, [
      {x: d.x, y: d.gmv.map(Number), type: "bar", name: d.labels.campaign, marker: {color: "#d4380d"}},
      {x: d.x, y: d.baseline.map(Number), type: "scatter", mode: "lines", name: d.labels.baseline,
       line: {color: "#8c8c8c", dash: "dot"}}
    ], {margin: {l: 60, r: 20, t: 10, b: 40}, height: 320, legend: {orientation: "h", y: -0.2},
        yaxis: {title: d.labels.gmv, rangemode: "tozero"}, hovermode: "x unified"});
    daily.setAttribute("data-rendered", "1");
  }
  var channels = document.getElementById("review-channels");
  if (channels) {
    ShopOpsCharts.draw(channels, [
      {x: d.channels, y: d.channel_gmv.map(Number), type: "bar", name: d.labels.campaign, marker: {color: "#d4380d"}},
      {x: d.channels, y: d.channel_baseline.map(Number), type: "bar", name: d.labels.baseline,
       marker: {color: "#bfbfbf"}}
    ], {barmode: "group", margin: {l: 60, r: 20, t: 10, b: 40}, height: 300, legend: {orientation: "h", y: -0.2},
        yaxis: {title: d.labels.gmv, rangemode: "tozero"}});
    channels.setAttribute("data-rendered", "1");
  }
})();
