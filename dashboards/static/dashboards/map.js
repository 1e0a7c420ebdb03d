/* 一张图: draws /api/v1/stats/map/ with ECharts (no tiles, works offline): townships coloured
   by the chosen figure, located visits and cases as points, hotspots as pins. Clicking a
   township opens a panel with its figures and links to its dashboard and its case list. The
   table beside the map holds the same figures for readers without a chart. */
(function () {
  "use strict";

  var el = document.getElementById("township-map");
  if (!el || !window.echarts || !window.fetch) {
    return;
  }

  function shown(value, percent) {
    if (value === null || value === undefined) {
      return "—";
    }
    return percent ? (value * 100).toFixed(1) + "%" : String(value);
  }

  function openPanel(data, township) {
    var panel = document.getElementById("map-panel");
    document.getElementById("map-panel-title").textContent = township.name;
    var list = document.getElementById("map-panel-figures");
    list.textContent = "";
    Object.keys(data.panel_labels).forEach(function (key) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = data.panel_labels[key];
      dd.textContent = shown(township.figures[key], /_rate$/.test(key));
      list.appendChild(dt);
      list.appendChild(dd);
    });
    document.getElementById("map-panel-dashboard").href = township.dashboard_url;
    document.getElementById("map-panel-list").href = township.list_url;
    panel.hidden = false;
    panel.setAttribute("data-township", String(township.id));
  }

  function draw(data) {
    var byId = {};
    data.townships.forEach(function (t) { byId[String(t.id)] = t; });
    if (!data.geojson.features.length) {
      document.getElementById("map-empty").hidden = false;
      el.hidden = true;
      return;
    }
    document.getElementById("map-note").hidden = false;
    if (data.tile_link) {
      var tiles = document.getElementById("map-tiles");
      tiles.querySelector("a").href = data.tile_link;
      tiles.hidden = false;
    }
    window.echarts.registerMap("townships", data.geojson);
    var values = data.townships.map(function (t) { return t.value; }).filter(function (v) { return v !== null; });
    var max = values.length ? Math.max.apply(null, values) : 1;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var label = function (p) { return byId[p.name] ? byId[p.name].name : p.name; };
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesType === "map" || p.componentType === "geo") {
            var t = byId[p.name];
            return t ? t.name + "<br>" + data.label + ": " + shown(t.value, data.percent) : "";
          }
          return p.data && p.data.tip ? p.data.tip : p.seriesName;
        }
      },
      visualMap: {
        min: 0, max: data.percent ? 1 : Math.max(max, 1), calculable: true, seriesIndex: 0,
        left: 8, bottom: 8, itemHeight: 90, text: [data.label, ""],
        formatter: function (v) { return shown(data.percent ? v : Math.round(v), data.percent); },
        inRange: { color: ["#e8f1fb", "#6aa2d8", "#1f5fa8"] }
      },
      geo: {
        map: "townships", roam: true, triggerEvent: true,
        label: { show: true, formatter: label, fontSize: 11 },
        itemStyle: { borderColor: "#555", borderWidth: 1 },
        emphasis: { label: { show: true, formatter: label } }
      },
      series: [
        {
          type: "map", geoIndex: 0, name: data.label,
          data: data.townships.map(function (t) { return { name: String(t.id), value: t.value }; })
        },
        {
          type: "scatter", coordinateSystem: "geo", name: el.getAttribute("data-visits") || "visits",
          symbolSize: 3, itemStyle: { color: "#2e7d32", opacity: 0.6 }, silent: true,
          data: data.points.visits
        },
        {
          type: "scatter", coordinateSystem: "geo", name: el.getAttribute("data-cases") || "cases",
          symbolSize: 4, itemStyle: { color: "#c62828", opacity: 0.7 }, silent: true,
          data: data.points.cases
        },
        {
          type: "scatter", coordinateSystem: "geo", name: el.getAttribute("data-hotspots") || "hotspots", symbol: "pin", symbolSize: 26,
          itemStyle: { color: "#e65100" },
          data: data.hotspots.map(function (h) { return { value: h.coord, tip: h.titles.join("<br>") }; })
        }
      ]
    });
    chart.on("click", function (p) {
      var t = byId[p.name];
      if (t) {
        openPanel(data, t);
      }
    });
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  fetch(el.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(draw)
    .catch(function () { el.hidden = true; });
})();
