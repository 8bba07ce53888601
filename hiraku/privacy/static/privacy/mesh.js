/* Draws JIS X 0410 grid squares (bounds computed server-side from the mesh code) with their
   counts in popups, and the same counts as a table for keyboard and screen-reader users. */
(function () {
  "use strict";
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  var cells = read("mesh-cells");
  var tileUrl = read("mesh-tile-url");
  var attribution = read("mesh-attribution");
  var map = L.map("mesh-map");
  if (tileUrl) { L.tileLayer(tileUrl, { attribution: attribution, maxZoom: 18 }).addTo(map); }
  var totals = cells.map(function (c) { var t = Number(c.values["合計"]); return isNaN(t) ? 0 : t; });
  var top = Math.max.apply(null, totals.concat([1]));
  var group = L.featureGroup();
  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch];
    });
  }
  function describe(cell) {
    var rows = Object.keys(cell.values).map(function (k) {
      return "<tr><th scope='row'>" + escape(k) + "</th><td>" + escape(cell.values[k]) + "</td></tr>";
    });
    return "<strong>" + escape(cell.code) + "</strong><table>" + rows.join("") + "</table>";
  }
  cells.forEach(function (cell, i) {
    var share = totals[i] / top;
    L.rectangle(cell.bounds, {
      weight: 1, color: "#1d4f91", fillColor: "#1d4f91", fillOpacity: 0.1 + 0.6 * share
    }).bindPopup(describe(cell)).addTo(group);
  });
  group.addTo(map);
  map.fitBounds(group.getBounds());
  var table = document.getElementById("mesh-table");
  if (table && cells.length) {
    var keys = Object.keys(cells[0].values);
    var head = "<tr><th scope='col'>mesh_code</th>" + keys.map(function (k) {
      return "<th scope='col'>" + escape(k) + "</th>";
    }).join("") + "</tr>";
    var body = cells.map(function (c) {
      return "<tr><th scope='row'>" + escape(c.code) + "</th>" + keys.map(function (k) {
        return "<td>" + escape(c.values[k]) + "</td>";
      }).join("") + "</tr>";
    }).join("");
    table.innerHTML = "<table class='data-table'><thead>" + head + "</thead><tbody>" + body + "</tbody></table>";
  }
})();
