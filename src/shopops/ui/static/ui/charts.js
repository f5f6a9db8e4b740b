// The one place every Plotly chart gets its language and number format: load it right after
// vendor/plotly.min.js and draw with ShopOpsCharts.draw(el, data, layout) instead of Plotly.newPlot.
// - The page language (<html lang>) picks Plotly's locale: zh-CN (registered here, no CDN) or English.
//   Under zh-CN date axes read 9月20日 / 2026年9月, not "Sep 20 2026".
// - Number axes: whole numbers with thousands separators (12,400), never SI suffixes ("12.4k").
// - Count axes (tickformat ",d"): whole-number ticks only (no "67.9 orders"); a right-hand axis gets round
//   ticks of its own instead of ones lined up with the left axis.
(function () {
  if (typeof Plotly === "undefined") return;
  Plotly.register({
    moduleType: "locale", name: "zh-CN",
    dictionary: {
      "Autoscale": "自动缩放", "Box Select": "矩形框选", "Download plot as a png": "下载图片",
      "Lasso Select": "套索选择", "Pan": "平移", "Reset axes": "重置坐标轴", "Zoom": "缩放",
      "Zoom in": "放大", "Zoom out": "缩小", "Toggle Spike Lines": "显示/隐藏辅助线",
      "Show closest data on hover": "悬停显示最近的数据", "Compare data on hover": "悬停比较数据",
      "Reset view": "重置视图", "Double-click to zoom back out": "双击还原"
    },
    format: {
      days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
      shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
      months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      periods: ["上午", "下午"], date: "%Y-%m-%d", decimal: ".", thousands: ",", grouping: [3],
      currency: ["¥", ""], year: "%Y年", month: "%Y年%-m月", dayMonth: "%-m月%-d日",
      dayMonthYear: "%Y年%-m月%-d日"
    }
  });
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  var locale = lang.indexOf("zh") === 0 ? "zh-CN" : "en";
  var config = {displaylogo: false, responsive: true, locale: locale};
  Plotly.setPlotConfig({locale: locale});

  function axisName(ref, letter) {  // a trace's "y2" → the layout key "yaxis2"
    return letter + "axis" + (ref && ref.length > 1 ? ref.slice(1) : "");
  }

  function largest(data, key, letter) {
    var top = 0;
    data.forEach(function (t) {
      if (axisName(t[letter + "axis"], letter) !== key) return;
      (t[letter] || []).forEach(function (v) { if (v !== null && Math.abs(+v) > top) top = Math.abs(+v); });
    });
    return top;
  }

  function numberAxes(data, layout) {
    var keys = {};
    if (data.some(function (t) { return t.type !== "sankey" && t.type !== "pie"; })) keys = {xaxis: 1, yaxis: 1};
    Object.keys(layout).forEach(function (k) { if (/^[xy]axis\d*$/.test(k)) keys[k] = 1; });
    Object.keys(keys).forEach(function (key) {
      var ax = layout[key] = layout[key] || {};
      if (ax.exponentformat === undefined) ax.exponentformat = "none";
      if (ax.separatethousands === undefined) ax.separatethousands = true;
      // a second axis picks its own round ticks (Plotly's default "sync" gives 96,000 / 191,000 / 67.9)
      if (ax.overlaying && ax.tickmode === undefined) ax.tickmode = "auto";
      if (ax.tickformat === ",d") {  // counts: ticks on whole numbers, never between them
        if (ax.tickmode === undefined) ax.tickmode = "auto";
        if (ax.dtick === undefined && largest(data, key, key.charAt(0)) < 8) ax.dtick = 1;
      }
    });
    return layout;
  }

  function draw(el, data, layout) {
    layout = numberAxes(data, layout || {});
    if (layout.separators === undefined) layout.separators = ".,";
    Plotly.newPlot(el, data, layout, config);
    el.setAttribute("data-rendered", "1");
  }

  window.ShopOpsCharts = {draw: draw, config: config, locale: locale};
})();
