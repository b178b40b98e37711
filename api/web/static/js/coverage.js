// The coverage page's chart (Apache ECharts, from /static/vendor): requests per tier, stacked by status.
(function () {
  "use strict";
  var island = document.getElementById("chart-data");
  var element = document.getElementById("chart-coverage");
  if (!island || !element || !window.echarts) { return; }
  var data = JSON.parse(island.textContent);
  var chart = window.echarts.init(element);
  chart.setOption({
    color: ["#3aa757", "#2f7ed8", "#d9534f", "#8c8c8c"],
    tooltip: { trigger: "axis" },
    legend: { data: data.series.map(function (s) { return s.name; }) },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.tiers },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "requests", data: s.data }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
  document.body.dataset.chartsReady = "1";
})();
