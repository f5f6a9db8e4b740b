// Funnel, paths and retention charts: data comes from json_script blocks (no inline script); drawn by the
// shared ui/charts.js (language, number format).
(function () {
  if (typeof ShopOpsCharts === "undefined") return;
  function data(id) {
    var src = document.getElementById(id);
    return src ? JSON.parse(src.textContent) : null;
  }
  var f = data("funnel-data"), fe = document.getElementById("funnel-chart");
  if (f && fe) {
    ShopOpsCharts.draw(fe, f.series.map(function (s) {
      return {x: s.x, y: s.y, type: "bar", name: s.name};
    }), {barmode: "group", margin: {l: 60, r: 20, t: 10, b: 60}, height: 320,
         legend: {orientation: "h", y: -0.25}, xaxis: {title: f.labels.step},
         yaxis: {title: f.labels.people, rangemode: "tozero", tickformat: ",d"}});
  }
  var p = data("paths-data"), pe = document.getElementById("paths-chart");
  if (p && pe) {
    ShopOpsCharts.draw(pe, [{type: "sankey", orientation: "h", arrangement: "snap",
      node: {label: p.labels, pad: 15, thickness: 16, x: p.x, y: p.y,
             color: p.colors},
      link: {source: p.source, target: p.target, value: p.value}}],
      {margin: {l: 10, r: 10, t: 10, b: 10}, height: 420});
  }
  var r = data("retention-data"), re = document.getElementById("retention-chart");
  if (r && re) {
    ShopOpsCharts.draw(re, [{type: "heatmap", x: r.x, y: r.y, z: r.z, zmin: 0, zmax: 1, colorscale: "Reds",
      reversescale: false, hoverongaps: false, colorbar: {title: r.labels.rate, tickformat: ".0%"}}],
      {margin: {l: 90, r: 20, t: 10, b: 40}, height: Math.max(260, 24 * r.y.length + 80),
       xaxis: {title: r.labels.period, type: "category"}, yaxis: {title: r.labels.cohort, type: "category",
       autorange: "reversed"}});
  }
})();
