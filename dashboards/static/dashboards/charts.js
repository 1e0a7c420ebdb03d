/* Draws every [data-chart] element with Apache ECharts from the JSON that
   the page put beside it (Django's json_script); the table next to each chart
   holds the same figures for readers without a chart. */
(function () {
  "use strict";

  function percent(value) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%";
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.echarts) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var shares = spec.series.length > 0 && spec.series.every(function (s) { return s.percent; });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: shares ? percent : undefined },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.labels,
        axisLabel: { interval: spec.labels.length > 12 ? "auto" : 0, rotate: spec.labels.length > 5 ? 40 : 0 }
      },
      yAxis: shares
        ? { type: "value", min: 0, max: 1, axisLabel: { formatter: percent } }
        : { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type, data: s.data, connectNulls: true };
      })
    });
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
