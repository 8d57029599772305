/* Dashboard charts (vendored ECharts) and the Posyandu map (vendored Leaflet).
   Data comes from json_script blocks; names are user data, so popups are built with textContent.
   The map loads tiles only when the deployment sets MAP_TILE_URL: otherwise markers on a blank map,
   and no request leaves the server. */
(function () {
  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function drawCharts(data) {
    if (!data || typeof echarts === "undefined") return;
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var codes = el.getAttribute("data-chart").split(",");
      var percent = el.hasAttribute("data-percent");
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis", valueFormatter: function (v) {
          return v === null || v === undefined ? "-" : String(v).replace(".", ",") + (percent ? "%" : "");
        } },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 12, top: 36, bottom: 28 },
        xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", min: 0, axisLabel: { formatter: percent ? "{value}%" : "{value}" } },
        series: codes.filter(function (c) { return data.series[c]; }).map(function (c) {
          return { name: data.labels[c] || c, type: "line", connectNulls: false, data: data.series[c] };
        })
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  function colour(ds) {
    if (ds === null || ds === undefined) return "#888888";
    if (ds >= 80) return "#198754";
    if (ds >= 50) return "#e0a800";
    return "#dc3545";
  }

  function drawMap(data) {
    var el = document.getElementById("peta-posyandu");
    if (!el || !data || typeof L === "undefined") return;
    var map = L.map(el, { attributionControl: !!data.tiles });
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution || "" }).addTo(map);
    }
    var bounds = [];
    data.points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: 6, color: "#333", weight: 1, fillColor: colour(p.ds), fillOpacity: 0.9
      }).addTo(map);
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      box.appendChild(link);
      var line = document.createElement("div");
      line.textContent = "D/S: " + (p.ds === null ? "-" : String(p.ds).replace(".", ",") + "%");
      box.appendChild(line);
      marker.bindPopup(box);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
    } else {
      map.setView([-2.5, 118], 4); // Indonesia
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(readJson("data-tren"));
    drawMap(readJson("data-peta"));
  });
})();
