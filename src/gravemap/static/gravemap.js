/* gravemap: builds the markers, popups and site list from the data embedded in the page.
 *
 * Every piece of site text reaches the page through textContent, setAttribute or a DOM
 * property, never through innerHTML, so names, notes and quotes are shown, never run.
 * Links are set only for http(s) addresses (checked in Python and again here).
 *
 * Data: `gm-sites` holds one short row per site with what the map, the list, search and
 * filters need; `gm-details` holds the table of dates on its first line, then the rest of each
 * site (history, sources, notes...) as one JSON object per line, parsed only when that site's
 * popup opens.
 *
 * Scale: sites are clustered on a pixel grid of the zoom being shown (cells nest from one zoom
 * to the next), computed when that zoom is first shown; only the cells in view are drawn, as
 * one marker each. Sites that share a cell at the deepest zoom (or a point) fan out round it
 * ("spiderfy"). The list is rendered in chunks as it is scrolled. window.gravemapReady turns
 * true once every site is on the map (as a marker or counted in a cluster), the first part of
 * the list is shown and any #site=ID permalink is open.
 */
(function () {
  "use strict";

  var timings = (window.gravemapTimings = { start: performance.now() });
  var cfg = JSON.parse(document.getElementById("gm-config").textContent);
  var data = JSON.parse(document.getElementById("gm-sites").textContent);
  var rows = data.sites;  // [id, lat, lon, status*4+precision, verification, name, name_fa,
  var strings = data.strings;  // city, city_fa, province]; numbers index `strings`
  var dates = null;  // [iso, shown] pairs, referred to by index: the first line of gm-details
  var total = rows.length;
  var T = cfg.labels;
  var fa = cfg.lang === "fa";
  var map = window[cfg.map];
  var FIRST_CHUNK = 40;  // more than fills the panel; the rest is rendered as it scrolls
  var CHUNK = 200;
  var CELL = 60;  // grid cell in screen pixels: sites closer than this may be clustered
  var SAFE_URL = /^https?:\/\/[^\s]+$/i;
  var ID = 0, LAT = 1, LON = 2, KIND = 3, VER = 4, NAME = 5, NAME_FA = 6, CITY = 7;
  var CITY_FA = 8, PROVINCE = 9;
  timings.parsed = performance.now();

  function statusOf(i) {
    return cfg.statuses[rows[i][KIND] >> 2] || "unknown";
  }

  function precisionOf(i) {
    return cfg.precisions[rows[i][KIND] & 3];
  }

  // The display record of one site (the format of render.public_sites), built when needed.
  var detailText = null;
  var lineStarts = null;

  function details(i) {
    if (detailText === null) {
      detailText = document.getElementById("gm-details").textContent;
      lineStarts = new Int32Array(total + 2);
      var at = 0;
      for (var n = 0; n <= total; n++) {
        lineStarts[n] = at;
        at = detailText.indexOf("\n", at) + 1;
      }
      lineStarts[total + 1] = detailText.length + 1;
      dates = JSON.parse(detailText.slice(0, lineStarts[1] - 1));
    }
    return JSON.parse(detailText.slice(lineStarts[i + 1], lineStarts[i + 2] - 1));
  }

  function unpack(values, kind) {
    // An array packed by render.DETAIL_KEYS back into a record (absent keys left out).
    var keys = cfg.detailKeys[kind];
    var out = {};
    for (var n = 0; n < keys.length && n < values.length; n++) {
      var value = values[n];
      if (value === null) {
        continue;
      }
      if (keys[n] === "h" || keys[n] === "src") {
        value = value.map(function (item) {
          return unpack(item, keys[n]);
        });
      } else if (keys[n] === "vi") {
        value = unpack(value, "vi");
      }
      out[keys[n]] = value;
    }
    return out;
  }

  function record(i) {
    var row = rows[i];
    var site = unpack(details(i), "");
    site.id = row[ID];
    site.y = row[LAT];
    site.x = row[LON];
    site.s = statusOf(i);
    site.p = precisionOf(i);
    site.v = strings[row[VER]];
    site.n = row[NAME];
    site.nf = row[NAME_FA];
    site.c = strings[row[CITY]];
    site.cf = strings[row[CITY_FA]];
    site.pv = strings[row[PROVINCE]];
    return site;
  }

  // ---------------------------------------------------------------------------------------
  // Small DOM helpers: text only.

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function persian(text, tag) {
    var node = el(tag || "span", "gm-fa", text);
    node.lang = "fa";
    node.dir = "auto";
    return node;
  }

  function auto(tag, cls, text) {
    var node = el(tag, cls, text);
    node.dir = "auto";
    return node;
  }

  function link(url, text) {
    if (typeof url !== "string" || !SAFE_URL.test(url)) {
      return auto("span", null, text);
    }
    var a = auto("a", null, text);
    a.href = url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

  function number(n) {
    // As toLocaleString("en-GB" or "fa-IR") writes integers, without loading the ICU locale
    // data (tens of milliseconds at start).
    var text = String(Number(n));
    if (!/^-?\d+$/.test(text)) {
      return Number(n).toLocaleString(fa ? "fa-IR" : "en-GB");
    }
    text = text.replace(/\B(?=(\d{3})+$)/g, fa ? "\u066c" : ",");
    return fa ? text.replace(/\d/g, function (d) { return PERSIAN_DIGITS[d]; }) : text;
  }

  function own(table, key) {
    // A label from a fixed table, never an inherited property ("constructor", "__proto__").
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }

  function statusName(status) {
    return own(T.status_names, status) || String(status);
  }

  function isApprox(precision) {
    return cfg.approximate.indexOf(precision) >= 0;
  }

  function knownStatus(status) {
    return Object.prototype.hasOwnProperty.call(cfg.colours, status) ? status : "unknown";
  }

  function swatch(status, precision) {
    var sw = el("span", "gm-sw gm-st-" + knownStatus(status));
    if (isApprox(precision)) {
      sw.classList.add("gm-approx");
    }
    sw.setAttribute("aria-hidden", "true");
    return sw;
  }

  function dateNode(index) {
    var date = dates[index] || ["", ""];
    var t = el("time", "gm-date", date[1]);
    if (/^\d{4}(-\d{2}){0,2}$/.test(date[0])) {
      t.setAttribute("datetime", date[0]);
    }
    return t;
  }

  function appendNames(parent, name, nameFa) {
    // Both scripts; the interface language's script first.
    var latin = auto("span", "gm-name", name);
    var farsi = nameFa ? persian(nameFa, "span") : null;
    var first = fa && farsi ? farsi : latin;
    var second = fa && farsi ? latin : farsi;
    parent.appendChild(first);
    if (second) {
      parent.appendChild(document.createTextNode(" · "));
      parent.appendChild(second);
    }
  }

  function place(cityEn, cityFa, province) {
    var span = el("span", "gm-place");
    var city = fa && cityFa ? cityFa : cityEn;
    var other = fa ? cityEn : cityFa;
    var parts = [];
    if (city) {
      parts.push(auto("span", null, city));
    }
    if (other && other !== city) {
      parts.push(fa ? auto("span", null, other) : persian(other));
    }
    if (province) {
      parts.push(auto("span", null, province));
    }
    parts.forEach(function (part, n) {
      if (n) {
        span.appendChild(document.createTextNode(fa ? "، " : ", "));
      }
      span.appendChild(part);
    });
    return span;
  }

  // ---------------------------------------------------------------------------------------
  // The popup, built when a site is opened.

  function field(parent, label, value) {
    var p = el("p", "gm-field-line");
    p.appendChild(el("strong", null, label + ": "));
    if (value instanceof Node) {
      p.appendChild(value);
    } else {
      p.appendChild(auto("span", null, String(value)));
    }
    parent.appendChild(p);
    return p;
  }

  function cites(parent, ids) {
    // Source ids are Latin: isolate them so brackets stay right in Persian text.
    if (ids && ids.length) {
      parent.appendChild(document.createTextNode(" "));
      parent.appendChild(el("bdi", "gm-cites", "[" + ids.join(", ") + "]"));
    }
  }

  function buildPopup(site) {
    var root = el("div", "gm-pop");
    root.lang = cfg.lang;
    root.dir = fa ? "rtl" : "ltr";
    var title = el("h2", "gm-pop-title");
    appendNames(title, site.n, site.nf);
    root.appendChild(title);
    root.appendChild(place(site.c, site.cf, site.pv));

    var status = el("p", "gm-pop-status");
    status.appendChild(swatch(site.s, site.p));
    status.appendChild(el("strong", null, statusName(site.s)));
    root.appendChild(status);

    field(root, T.verification, own(T.verification_names, site.v) || String(site.v));
    field(root, T.precision, T.precision_names[site.p] || site.p);
    if (site.pc) {
      root.appendChild(el("p", "gm-warn", T.published_city));
    }
    if (site.ln) {
      field(root, T.location_note, site.ln);
    }
    if (site.vi) {
      var v = site.vi;
      var count = v.lo !== undefined && v.hi !== undefined && v.lo !== v.hi
        ? number(v.lo) + "–" + number(v.hi)
        : number(v.lo !== undefined ? v.lo : v.hi);
      var line = field(root, T.victims, count);
      cites(line, v.c);
      if (v.n) {
        line.appendChild(document.createTextNode(" — "));
        line.appendChild(auto("span", null, v.n));
      }
    }

    if (site.h && site.h.length) {
      root.appendChild(el("h3", null, T.history));
      var ol = el("ol", "gm-history");
      site.h.forEach(function (entry) {
        var li = el("li");
        li.appendChild(dateNode(entry.d));
        li.appendChild(document.createTextNode(" — "));
        li.appendChild(el("strong", null, statusName(entry.s)));
        cites(li, entry.c);
        if (entry.n) {
          li.appendChild(auto("div", "gm-note", entry.n));
        }
        ol.appendChild(li);
      });
      root.appendChild(ol);
    }

    if (site.src && site.src.length) {
      root.appendChild(el("h3", null, T.sources));
      var ul = el("ul", "gm-sources");
      site.src.forEach(function (source) {
        var li = el("li");
        li.appendChild(el("bdi", "gm-src-id", "[" + source.id + "]"));
        li.appendChild(document.createTextNode(" "));
        if (source.u) {
          li.appendChild(link(source.u, source.t));
        } else {
          li.appendChild(auto("span", "gm-src-title", source.t));
        }
        li.appendChild(document.createTextNode(" — "));
        li.appendChild(auto("span", "gm-publisher", source.pb));
        if (source.d !== undefined) {
          li.appendChild(document.createTextNode(", "));
          li.appendChild(dateNode(source.d));
        }
        if (source.ut) {
          var refused = el("div", "gm-refused");
          refused.appendChild(el("span", null, T.link_refused + ": "));
          refused.appendChild(auto("code", null, source.ut));
          li.appendChild(refused);
        }
        if (source.a) {
          li.appendChild(document.createTextNode(" ("));
          li.appendChild(link(source.a, T.archived));
          li.appendChild(document.createTextNode(")"));
        } else if (source.at) {
          var refusedArchive = el("div", "gm-refused");
          refusedArchive.appendChild(el("span", null, T.archived + ", " + T.link_refused + ": "));
          refusedArchive.appendChild(auto("code", null, source.at));
          li.appendChild(refusedArchive);
        }
        if (source.q) {
          li.appendChild(auto("blockquote", "gm-quote", source.q));
        }
        ul.appendChild(li);
      });
      root.appendChild(ul);
    }

    if (site.no) {
      root.appendChild(el("h3", null, T.notes));
      root.appendChild(auto("p", "gm-notes", site.no));
    }

    var perma = el("a", "gm-permalink", T.permalink);
    perma.href = "#site=" + encodeURIComponent(site.id);
    var foot = el("p", "gm-pop-foot");
    foot.appendChild(perma);
    foot.appendChild(document.createTextNode(" · "));
    foot.appendChild(el("code", "gm-id", site.id));
    root.appendChild(foot);
    return root;
  }

  // ---------------------------------------------------------------------------------------
  // Clustering: a pixel grid per zoom. Positions are kept in Web Mercator scaled to 0..1 (the
  // projection Leaflet uses), so a site's pixel at zoom z is that times 256 * 2^z; a cell at
  // zoom z+1 lies inside one cell at zoom z, so zooming in only ever splits clusters.

  var MAX_LAT = 85.0511287798;
  var mx = new Float64Array(total);
  var my = new Float64Array(total);
  var i;
  for (i = 0; i < total; i++) {
    var lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, rows[i][LAT]));
    var sin = Math.sin((lat * Math.PI) / 180);
    mx[i] = (rows[i][LON] + 180) / 360;
    my[i] = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }

  var active = null;  // indices of the sites shown (all, or those matching the filters)
  var isActive = new Uint8Array(total);
  var grids = Object.create(null);  // zoom -> Map(cell key -> cell), for `active`

  function scaleAt(z) {
    return (256 * Math.pow(2, z)) / CELL;
  }

  var widths = [];  // cells a side at each zoom

  function cellKey(cx, cy, z) {
    // Unique within zoom z; a small integer (fast Map key) up to zoom 10 or so.
    var width = widths[z] || (widths[z] = Math.ceil(scaleAt(z)) + 1);
    return cx * width + cy;
  }

  function gridAt(z) {
    if (grids[z]) {
      return grids[z];
    }
    var scale = scaleAt(z);
    var cells = new Map();
    for (var n = 0; n < active.length; n++) {
      var s = active[n];
      var cx = Math.floor(mx[s] * scale);
      var cy = Math.floor(my[s] * scale);
      var key = cellKey(cx, cy, z);
      var cell = cells.get(key);
      if (cell === undefined) {
        cell = { key: key, cx: cx, cy: cy, members: [], sx: 0, sy: 0 };
        cells.set(key, cell);
      }
      cell.members.push(s);
      cell.sx += mx[s];
      cell.sy += my[s];
    }
    grids[z] = cells;
    return cells;
  }

  function cellOf(index, z) {
    var scale = scaleAt(z);
    var cx = Math.floor(mx[index] * scale);
    return gridAt(z).get(cellKey(cx, Math.floor(my[index] * scale), z));
  }

  function samePoint(members) {
    for (var n = 1; n < members.length; n++) {
      if (mx[members[n]] !== mx[members[0]] || my[members[n]] !== my[members[0]]) {
        return false;
      }
    }
    return true;
  }

  function latLngOf(x, y) {
    // The inverse of the projection above.
    var lat = (360 / Math.PI) * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - 90;
    return L.latLng(lat, x * 360 - 180);
  }

  // ---------------------------------------------------------------------------------------
  // Drawing: one marker per cell in view; a cell of one site is that site's marker.

  var icons = Object.create(null);

  function iconFor(index) {
    var status = knownStatus(statusOf(index));
    var approx = isApprox(precisionOf(index));
    var key = status + (approx ? "~" : "");
    if (!icons[key]) {
      icons[key] = L.divIcon({
        className: "gm-mk gm-st-" + status + (approx ? " gm-approx" : ""),
        iconSize: [16, 16],
        popupAnchor: [0, -6],
      });
    }
    return icons[key];
  }

  function siteMarker(index, latlng) {
    var marker = L.marker(latlng || [rows[index][LAT], rows[index][LON]], {
      icon: iconFor(index),
      title: rows[index][NAME],
      keyboard: true,
      zIndexOffset: latlng ? 1000 : 0,  // a fanned-out site is drawn above its neighbours
    });
    marker.on("click", function () {
      goTo(index);
    });
    return marker;
  }

  function clusterMarker(cell, z) {
    var n = cell.members.length;
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
    var label = el("span", null, number(n));  // a number only, never site text
    // At the sites' centroid, kept far enough inside its cell that the discs of two
    // neighbouring cells never overlap.
    var scale = scaleAt(z);
    var slack = (CELL - size) / 2 / CELL;
    var x = Math.max(-slack, Math.min(slack, (cell.sx / n) * scale - cell.cx - 0.5));
    var y = Math.max(-slack, Math.min(slack, (cell.sy / n) * scale - cell.cy - 0.5));
    var marker = L.marker(latLngOf((cell.cx + 0.5 + x) / scale, (cell.cy + 0.5 + y) / scale), {
      icon: L.divIcon({ html: label, className: "gm-cluster", iconSize: [size, size] }),
      keyboard: true,
      title: T.count.replace("{shown}", number(n)).replace("{total}", number(total)),
    });
    marker.on("click", function () {
      expand(cell);
    });
    return marker;
  }

  var layer = L.layerGroup().addTo(map);
  var drawn = new Map();  // cell key -> the layer drawing it
  var drawnZoom = null;
  var spider = null;  // {key, zoom, group, at: Map(site index -> latlng)}

  function clearDrawn() {
    layer.clearLayers();
    drawn = new Map();
  }

  function redraw() {
    var z = map.getZoom();
    if (z !== drawnZoom) {
      unspiderfy(true);
      clearDrawn();
      drawnZoom = z;
    }
    var cells = gridAt(z);
    var bounds = map.getPixelBounds();
    var pad = CELL * 2;
    var x0 = Math.floor((bounds.min.x - pad) / CELL), x1 = Math.floor((bounds.max.x + pad) / CELL);
    var y0 = Math.floor((bounds.min.y - pad) / CELL), y1 = Math.floor((bounds.max.y + pad) / CELL);
    var last = Math.ceil(scaleAt(z)) - 1;
    x0 = Math.max(x0, 0);
    y0 = Math.max(y0, 0);
    x1 = Math.min(x1, last);
    y1 = Math.min(y1, last);
    var wanted = new Map();
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size) {
      cells.forEach(function (cell, key) {
        if (cell.cx >= x0 && cell.cx <= x1 && cell.cy >= y0 && cell.cy <= y1) {
          wanted.set(key, cell);
        }
      });
    } else {
      for (var cx = x0; cx <= x1; cx++) {
        for (var cy = y0; cy <= y1; cy++) {
          var found = cells.get(cellKey(cx, cy, z));
          if (found) {
            wanted.set(found.key, found);
          }
        }
      }
    }
    drawn.forEach(function (drawnLayer, key) {
      if (!wanted.has(key)) {
        layer.removeLayer(drawnLayer);
        drawn.delete(key);
      }
    });
    wanted.forEach(function (cell, key) {
      if (!drawn.has(key)) {
        var made = spider && spider.key === key ? spider.group
          : cell.members.length === 1 ? siteMarker(cell.members[0]) : clusterMarker(cell, z);
        drawn.set(key, made);
        layer.addLayer(made);
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Spiderfy: the sites of one cell fan out round its centre, each with a leg to it.

  function spiderPoints(n, centre) {
    var points = [];
    var k;
    if (n < 9) {
      var leg = (25 * (2 + n)) / (2 * Math.PI);
      for (k = 0; k < n; k++) {
        var angle = Math.PI / 6 + (k * 2 * Math.PI) / n;
        points.push(L.point(centre.x + leg * Math.cos(angle), centre.y + leg * Math.sin(angle)));
      }
      return points;
    }
    var length = 11;
    var theta = 0;
    for (k = 0; k < n; k++) {
      theta += 28 / length + k * 0.0005;
      points.push(L.point(centre.x + length * Math.cos(theta), centre.y + length * Math.sin(theta)));
      length += (2 * Math.PI * 5) / theta;
    }
    return points;
  }

  function spiderfy(cell) {
    var z = map.getZoom();
    if (spider && spider.key === cell.key && spider.zoom === z) {
      return;
    }
    unspiderfy();
    var n = cell.members.length;
    var centreLatLng = latLngOf(cell.sx / n, cell.sy / n);
    var centre = map.project(centreLatLng, z);
    var points = spiderPoints(n, centre);
    var group = L.layerGroup();
    var at = new Map();
    L.circleMarker(centreLatLng, {
      radius: 3, color: "#1d1d1d", weight: 1, fillOpacity: 0.8, interactive: false,
    }).addTo(group);
    cell.members.forEach(function (index, k) {
      var latlng = map.unproject(points[k], z);
      L.polyline([centreLatLng, latlng], {
        color: "#1d1d1d", weight: 1.5, opacity: 0.6, interactive: false,
      }).addTo(group);
      siteMarker(index, latlng).addTo(group);
      at.set(index, latlng);
    });
    spider = { key: cell.key, zoom: z, group: group, at: at };
    var old = drawn.get(cell.key);
    if (old) {
      layer.removeLayer(old);
    }
    drawn.set(cell.key, group);
    layer.addLayer(group);
  }

  function unspiderfy(noRedraw) {
    // Fold the fanned-out cell back into its cluster (redrawn unless `noRedraw`).
    if (!spider) {
      return;
    }
    var old = spider;
    spider = null;
    if (openIndex !== null && old.at.has(openIndex)) {
      map.closePopup();
    }
    if (drawn.get(old.key) === old.group) {
      layer.removeLayer(old.group);
      drawn.delete(old.key);
      if (noRedraw !== true && drawnZoom === old.zoom) {
        redraw();
      }
    }
  }

  function expand(cell) {
    // Zoom in to where the cluster's sites separate; at the deepest zoom, or where they share
    // one point, fan them out instead.
    var z = map.getZoom();
    if (samePoint(cell.members) || z >= map.getMaxZoom()) {
      spiderfy(cell);
      return;
    }
    var bounds = L.latLngBounds(cell.members.map(function (s) {
      return [rows[s][LAT], rows[s][LON]];
    }));
    var target = Math.min(map.getBoundsZoom(bounds, false, L.point(40, 40)), map.getMaxZoom());
    if (target <= z) {
      spiderfy(cell);
    } else {
      map.setView(bounds.getCenter(), target);
    }
  }

  map.on("zoomstart", function () {
    unspiderfy(true);  // moveend redraws at the new zoom
  });
  map.on("moveend", redraw);
  map.on("click", function () {
    unspiderfy();
  });

  // ---------------------------------------------------------------------------------------
  // Opening a site: zoom to it (never closer than its position is known), fan out its cell if
  // it shares one, then open its popup there.

  var uncertainty = null;
  var openIndex = null;
  var popup = null;

  function clearUncertainty() {
    if (uncertainty) {
      map.removeLayer(uncertainty);
      uncertainty = null;
    }
  }

  function showPopup(index) {
    var site = record(index);
    map.closePopup();
    clearUncertainty();
    if (isApprox(site.p)) {
      // Where only the city or province is known, show the area, not a point.
      uncertainty = L.circle([site.y, site.x], {
        radius: cfg.uncertainty[site.p],
        color: cfg.colours[knownStatus(site.s)],
        weight: 2,
        dashArray: "6 6",
        fillOpacity: 0.06,
        interactive: false,
      }).addTo(map);
    }
    var where = spider && spider.at.has(index) ? spider.at.get(index) : L.latLng(site.y, site.x);
    var opened = L.popup({ maxWidth: 380, minWidth: 240, maxHeight: 420, offset: [0, 1] })
      .setLatLng(where)
      .setContent(buildPopup(site));
    opened.on("remove", function () {
      if (popup === opened) {
        popup = null;
        openIndex = null;
        clearUncertainty();
      }
    });
    popup = opened;
    openIndex = index;
    opened.openOn(map);
  }

  // How close to zoom for each precision: never closer than the position is known.
  var PRECISION_ZOOM = { exact: 14, site: 14, city: 10, province: 7 };
  var SPIDER_MAX = 60;

  function aloneZoom(index) {
    // The first zoom at which no site at another point shares this site's cell.
    var others = [];
    for (var n = 0; n < active.length; n++) {
      var s = active[n];
      if (mx[s] !== mx[index] || my[s] !== my[index]) {
        others.push(s);
      }
    }
    var maxZoom = map.getMaxZoom();
    for (var z = map.getMinZoom(); z < maxZoom; z++) {
      var scale = scaleAt(z);
      var cx = Math.floor(mx[index] * scale), cy = Math.floor(my[index] * scale);
      var next = [];
      for (n = 0; n < others.length; n++) {
        if (Math.floor(mx[others[n]] * scale) === cx && Math.floor(my[others[n]] * scale) === cy) {
          next.push(others[n]);
        }
      }
      if (!next.length) {
        return z;
      }
      others = next;
    }
    return maxZoom;
  }

  function visibleAsItself(index) {
    var z = map.getZoom();
    if (drawnZoom !== z) {
      return false;
    }
    var latlng = spider && spider.at.has(index) ? spider.at.get(index) : null;
    if (!latlng) {
      var cell = cellOf(index, z);
      if (!cell || cell.members.length !== 1) {
        return false;
      }
      latlng = L.latLng(rows[index][LAT], rows[index][LON]);
    }
    return map.getBounds().contains(latlng);
  }

  function reveal(index) {
    if (visibleAsItself(index)) {
      return;
    }
    var latlng = [rows[index][LAT], rows[index][LON]];
    var alone = aloneZoom(index);
    var want = PRECISION_ZOOM[precisionOf(index)] || 14;
    var zoom = isApprox(precisionOf(index)) ? want : Math.max(alone, want);
    zoom = Math.min(zoom, map.getMaxZoom());
    map.setView(latlng, zoom, { animate: false });
    var cell = cellOf(index, zoom);
    if (cell.members.length > SPIDER_MAX && alone > zoom) {
      zoom = Math.min(alone, map.getMaxZoom());
      map.setView(latlng, zoom, { animate: false });
      cell = cellOf(index, zoom);
    }
    redraw();  // setView without a move fires no moveend
    if (cell.members.length > 1) {
      spiderfy(cell);
    }
  }

  function openSite(index) {
    if (!isActive[index]) {
      resetFilters();
    }
    markSelected(index);
    reveal(index);
    showPopup(index);
  }

  // ---------------------------------------------------------------------------------------
  // Legend and credits.

  var Legend = L.Control.extend({
    // Bottom left, away from the popups that open above the centred site; it can be folded.
    options: { position: "bottomleft" },
    onAdd: function () {
      var box = el("details", "gm-legend leaflet-control");
      box.open = true;
      box.lang = cfg.lang;
      box.dir = fa ? "rtl" : "ltr";
      box.appendChild(el("summary", null, T.legend));
      var ul = el("ul", "gm-legend-statuses");
      cfg.statuses.forEach(function (status) {
        var li = el("li");
        li.appendChild(swatch(status, "site"));
        li.appendChild(el("span", null, statusName(status)));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      var keys = el("ul", "gm-legend-keys");
      [
        [swatch("unknown", "site"), T.legend_exact],
        [swatch("unknown", "city"), T.legend_approx],
        [el("span", "gm-sw gm-sw-cluster"), T.legend_cluster],
      ].forEach(function (pair) {
        var li = el("li");
        li.appendChild(pair[0]);
        li.appendChild(el("span", null, pair[1]));
        keys.appendChild(li);
      });
      box.appendChild(keys);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Legend().addTo(map);
  if (map.attributionControl) {
    map.attributionControl.addAttribution(cfg.credit);  // a constant written by gravemap
  }

  // ---------------------------------------------------------------------------------------
  // The list: filtered in memory, rendered in chunks as it scrolls into view.

  var list = document.getElementById("gm-list");
  var more = document.getElementById("gm-more");
  var countLine = document.getElementById("gm-count");
  var panel = document.getElementById("gm-panel");
  var query = document.getElementById("gm-q");
  var fStatus = document.getElementById("gm-f-status");
  var fProvince = document.getElementById("gm-f-province");
  var fVerification = document.getElementById("gm-f-verification");
  var all = new Array(total);
  for (i = 0; i < total; i++) {
    all[i] = i;
  }
  var shown = all;
  var rendered = 0;
  var items = new Map();  // site index -> its list entry, while rendered
  var selected = null;

  var provincesListed = false;

  function listProvinces() {
    // The province filter's options, sorted for the interface language. Done after start:
    // the first locale-aware comparison loads ICU collation data (tens of milliseconds).
    if (provincesListed) {
      return;
    }
    provincesListed = true;
    var seen = Object.create(null);
    for (var n = 0; n < total; n++) {
      seen[rows[n][PROVINCE]] = true;
    }
    Object.keys(seen)
      .map(function (k) {
        return strings[k];
      })
      .filter(Boolean)
      .sort(function (a, b) {
        return a.localeCompare(b, cfg.lang);
      })
      .forEach(function (name) {
        var option = el("option", null, name);
        option.value = name;
        fProvince.appendChild(option);
      });
  }

  ["focus", "pointerdown", "keydown"].forEach(function (type) {
    fProvince.addEventListener(type, listProvinces);
  });

  function listItem(index) {
    var row = rows[index];
    var li = el("li", "gm-item");
    li.setAttribute("data-site-id", row[ID]);
    var a = el("a", "gm-item-link");
    a.href = "#site=" + encodeURIComponent(row[ID]);
    a.appendChild(swatch(statusOf(index), precisionOf(index)));
    var names = el("span", "gm-item-names");
    appendNames(names, row[NAME], row[NAME_FA]);
    a.appendChild(names);
    var meta = el("span", "gm-item-meta");
    meta.appendChild(place(strings[row[CITY]], strings[row[CITY_FA]], strings[row[PROVINCE]]));
    meta.appendChild(document.createTextNode(" · " + statusName(statusOf(index))));
    a.appendChild(meta);
    li.appendChild(a);
    if (selected === index) {
      li.classList.add("gm-selected");
    }
    items.set(index, li);
    return li;
  }

  function renderMore(size) {
    var end = Math.min(rendered + (size || CHUNK), shown.length);
    var fragment = document.createDocumentFragment();
    for (var n = rendered; n < end; n++) {
      fragment.appendChild(listItem(shown[n]));
    }
    list.appendChild(fragment);
    rendered = end;
    more.hidden = rendered >= shown.length;
  }

  function updateCount() {
    countLine.textContent = T.count
      .replace("{shown}", number(shown.length))
      .replace("{total}", number(total));
  }

  function fold(text) {
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u064a\u0649\u0626]/g, "\u06cc")
      .replace(/\u0643/g, "\u06a9")
      .replace(/[\u0629\u06c0]/g, "\u0647")
      .replace(/[\u064b-\u065f\u0670\u0640\u200c\u200d]/g, "");
  }

  var haystacks = null;

  function haystack(index) {
    if (!haystacks) {
      haystacks = new Array(total);
    }
    if (haystacks[index] === undefined) {
      var row = rows[index];
      haystacks[index] = fold(
        [row[ID], row[NAME], row[NAME_FA], strings[row[CITY]], strings[row[CITY_FA]],
          strings[row[PROVINCE]]].join("\n")
      );
    }
    return haystacks[index];
  }

  function filtersActive() {
    return Boolean(query.value.trim() || fStatus.value || fProvince.value || fVerification.value);
  }

  function showMarkers(indices) {
    unspiderfy(true);
    active = indices;
    isActive.fill(0);
    for (var n = 0; n < indices.length; n++) {
      isActive[indices[n]] = 1;
    }
    if (openIndex !== null && !isActive[openIndex]) {
      map.closePopup();
    }
    grids = Object.create(null);
    drawnZoom = null;
    redraw();
  }

  function applyFilters() {
    var q = fold(query.value.trim());
    var status = fStatus.value;
    var province = fProvince.value;
    var verification = fVerification.value;
    if (!filtersActive()) {
      shown = all;
    } else {
      shown = [];
      for (var n = 0; n < total; n++) {
        var row = rows[n];
        if (status && statusOf(n) !== status) continue;
        if (province && strings[row[PROVINCE]] !== province) continue;
        if (verification && strings[row[VER]] !== verification) continue;
        if (q && haystack(n).indexOf(q) < 0) continue;
        shown.push(n);
      }
    }
    list.textContent = "";
    items = new Map();
    rendered = 0;
    renderMore(FIRST_CHUNK);
    updateCount();
    showMarkers(shown);
  }

  function resetFilters() {
    if (!filtersActive()) {
      return;
    }
    query.value = "";
    fStatus.value = "";
    fProvince.value = "";
    fVerification.value = "";
    applyFilters();
  }

  var timer = null;
  function applySoon() {
    clearTimeout(timer);
    timer = setTimeout(applyFilters, 200);
  }
  query.addEventListener("input", applySoon);
  [fStatus, fProvince, fVerification].forEach(function (select) {
    select.addEventListener("change", applyFilters);
  });
  more.addEventListener("click", function () {
    renderMore();
  });
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(
      function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; }) && !more.hidden) {
          renderMore();
        }
      },
      { root: panel, rootMargin: "400px" }
    ).observe(more);
  }

  function markSelected(index) {
    if (selected !== null && items.has(selected)) {
      items.get(selected).classList.remove("gm-selected");
    }
    selected = index;
    if (items.has(index)) {
      items.get(index).classList.add("gm-selected");
      items.get(index).scrollIntoView({ block: "nearest" });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Permalinks: index.html#site=ID opens that site; opening a site updates the address.

  var byId = null;

  function hashIndex() {
    var match = /^#site=(.+)$/.exec(window.location.hash);
    if (!match) {
      return undefined;
    }
    var id;
    try {
      id = decodeURIComponent(match[1]);
    } catch (err) {
      return undefined;
    }
    if (byId === null) {
      byId = new Map();
      for (var n = total - 1; n >= 0; n--) {
        byId.set(rows[n][ID], n);  // ids are unique; were two the same, the first wins
      }
    }
    return byId.get(id);
  }

  function goTo(index) {
    var hash = "#site=" + encodeURIComponent(rows[index][ID]);
    if (window.location.hash === hash) {
      openSite(index);
    } else {
      window.location.hash = hash;  // hashchange opens it
    }
  }

  list.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a.gm-item-link") : null;
    if (a && a.getAttribute("href") === window.location.hash) {
      event.preventDefault();
      var index = hashIndex();
      if (index !== undefined) {
        openSite(index);
      }
    }
  });

  window.addEventListener("hashchange", function () {
    var index = hashIndex();
    if (index !== undefined) {
      openSite(index);
    }
  });

  // ---------------------------------------------------------------------------------------
  // City names: a map opened offline or with --tiles none has no background, so the centres
  // that city-precision sites stand on are labelled with their city. Not drawn when there are
  // too many to help.
  var MAX_CITY_LABELS = 300;

  function cityLabels() {
    var centres = new Map();
    var counts = new Map();
    for (var i = 0; i < total; i++) {
      if (precisionOf(i) !== "city") {
        continue;
      }
      var key = rows[i][LAT] + "," + rows[i][LON];
      if (!centres.has(key)) {
        centres.set(key, i);
        if (centres.size > MAX_CITY_LABELS) {
          return;
        }
      }
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    var pane = map.createPane("gm-labels");  // above the tiles, below the markers
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var labels = [];
    centres.forEach(function (index, key) {
      var row = rows[index];
      var english = strings[row[CITY]];
      var persianName = strings[row[CITY_FA]];
      var name = (fa ? persianName || english : english || persianName);
      if (!name) {
        return;
      }
      var label = auto("span", "gm-city-label", name);
      if (name === persianName) {
        label.lang = "fa";
      }
      L.marker([row[LAT], row[LON]], {
        pane: "gm-labels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "gm-city-label-icon", html: label, iconSize: null }),
      }).addTo(map);
      labels.push({ node: label, sites: counts.get(key) });
    });
    // Cities with more sites first; a label that would overlap one already shown is hidden
    // until the map is zoomed in far enough to separate them.
    labels.sort(function (a, b) { return b.sites - a.sites; });
    function declutter() {
      var shown = [];
      labels.forEach(function (item) {
        item.node.style.visibility = "visible";
        var box = item.node.getBoundingClientRect();
        var clash = shown.some(function (other) {
          return box.left < other.right && other.left < box.right &&
            box.top < other.bottom && other.top < box.bottom;
        });
        if (clash) {
          item.node.style.visibility = "hidden";
        } else {
          shown.push(box);
        }
      });
    }
    map.on("zoomend", declutter);
    declutter();
  }

  // ---------------------------------------------------------------------------------------
  // Start.

  document.getElementById("gm-app").classList.add("gm-started");
  renderMore(FIRST_CHUNK);
  updateCount();
  showMarkers(all);
  timings.markers = performance.now();
  var first = hashIndex();
  if (first !== undefined) {
    openSite(first);
  }
  timings.ready = performance.now();
  window.gravemapReady = true;
  document.documentElement.setAttribute("data-gravemap-ready", "true");
  if (window.requestIdleCallback) {
    window.requestIdleCallback(listProvinces, { timeout: 1000 });
    window.requestIdleCallback(cityLabels, { timeout: 500 });
  } else {
    setTimeout(listProvinces, 200);
    setTimeout(cityLabels, 100);
  }
})();
