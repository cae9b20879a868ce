// The Usage page's charts: each [data-chart] element holds its data as JSON (the CSP allows no inline
// script); ECharts draws tokens as bars and cost as a line on a second axis. The table under each
// chart carries the same numbers for people who cannot see it.
(function () {
  "use strict";
  function draw(element) {
    var data = JSON.parse(element.getAttribute("data-chart"));
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      color: ["#0b5394", "#a4161a"],
      tooltip: { trigger: "axis" },
      legend: { data: ["Tokens", "Cost (" + data.currency + ")"], textStyle: { color: "#1a1a1a" } },
      grid: { left: 64, right: 64, bottom: 48, top: 40 },
      xAxis: { type: "category", data: data.labels, axisLabel: { color: "#1a1a1a" } },
      yAxis: [
        { type: "value", name: "Tokens", axisLabel: { color: "#1a1a1a" } },
        { type: "value", name: data.currency, axisLabel: { color: "#1a1a1a" } }
      ],
      series: [
        { name: "Tokens", type: "bar", data: data.tokens },
        { name: "Cost (" + data.currency + ")", type: "line", yAxisIndex: 1, data: data.cost }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() {
    if (typeof echarts === "undefined") {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
