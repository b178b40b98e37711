// The product page's charts (Apache ECharts, served from /static/vendor): breakdown by component and by tier,
// hotspots, and the supply-chain graph coloured by status. The data comes from the page's JSON island
// (#chart-data), already translated by the server.
(function () {
  "use strict";
  var island = document.getElementById("chart-data");
  if (!island || !window.echarts) { return; }
  var data = JSON.parse(island.textContent);
  var palette = ["#2f7ed8", "#3aa757", "#d4a017", "#d9534f", "#8c8c8c", "#6f42c1"];
  var charts = [];

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    var chart = window.echarts.init(element);
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function bars(items, color) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: data.labels.kg },
      yAxis: { type: "category", data: items.map(function (item) { return item.name; }), inverse: true },
      series: [{ type: "bar", data: items.map(function (item) { return item.value; }), itemStyle: { color: color } }]
    };
  }

  draw("chart-components", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"], data: data.components }]
  });
  draw("chart-tiers", bars(data.tiers, "#2f7ed8"));
  draw("chart-hotspots", bars(data.hotspots, "#d9534f"));
  var graph = draw("chart-graph", {
    color: palette,
    tooltip: {
      formatter: function (params) {
        if (params.dataType !== "node") { return params.data.source + " → " + params.data.target; }
        return params.data.name + "<br>" + params.data.org + " · " + data.labels.tier + " " + params.data.value;
      }
    },
    legend: [{ data: data.graph.categories.map(function (category) { return category.name; }) }],
    series: [{
      type: "graph",
      layout: "force",
      roam: true,
      draggable: true,
      force: { repulsion: 220, edgeLength: 90 },
      label: { show: true, position: "right", formatter: function (p) { return p.data.name.split(":").pop(); } },
      edgeSymbol: ["none", "arrow"],
      categories: data.graph.categories,
      data: data.graph.nodes,
      links: data.graph.links,
      lineStyle: { opacity: 0.7, curveness: 0.1 }
    }]
  });
  if (graph) {
    graph.on("click", function (params) {  // a declared node opens its public facts
      if (params.dataType === "node" && params.data.declaration) {
        window.location.href = "/declarations/" + encodeURIComponent(params.data.declaration);
      }
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  document.body.dataset.chartsReady = String(charts.length);
})();
