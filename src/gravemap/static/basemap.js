/* gravemap basemap: Iran's provinces, its neighbours, lakes and seas, drawn from TopoJSON
 * inside the page (Natural Earth, public domain). No network, no eval, no inline style
 * attributes: styles are Leaflet path options and CSSOM properties, which a strict CSP allows.
 *
 *   var basemap = GravemapBasemap.addTo(map, data, {lang: "fa"});   // data: object or JSON text
 *   basemap.remove();
 *
 * Everything is drawn in two panes under Leaflet's tile pane (z-index 200), so raster tiles,
 * when a page adds them, cover the basemap, and markers and popups stay on top.
 */
(function (root) {
  "use strict";

  var SHAPE_PANE = "gravemapBasemap";
  var LABEL_PANE = "gravemapBasemapLabels";
  var SHAPE_Z = 150;
  var LABEL_Z = 160;
  var COLOURS = {
    water: "#c9d8e2",
    land: "#f7f5ef",
    provinceLine: "#b3aa9b",
    iranLine: "#7d7466",
    neighbour: "#e6e5e1",
    // Neighbouring countries take one of these quiet tones, no two touching ones alike, so no
    // single colour fills the map.
    neighbourTones: ["#e7e5df", "#dcdfd6", "#e8ded3", "#dedad6"],
    neighbourLine: "#bdbcb6",
    lakeLine: "#a9bccb",
    provinceText: "#5b5347",
    countryText: "#6e6e6a",
    seaText: "#4f6b80",
    halo: "rgba(255,255,255,0.85)"
  };
  // Which labels show from which zoom, and which win when two overlap (lower rank first).
  var LABEL_KINDS = {
    sea: { minZoom: 3, maxZoom: 9, rank: 0, size: 13, italic: true, colour: "seaText" },
    iran: { minZoom: 3, maxZoom: 4, rank: 1, size: 15, caps: true, colour: "provinceText" },
    country: { minZoom: 4, maxZoom: 9, rank: 2, size: 11, caps: true, colour: "countryText" },
    province: { minZoom: 5, maxZoom: 12, rank: 3, size: 12, colour: "provinceText" },
    lake: { minZoom: 6, maxZoom: 12, rank: 4, size: 11, italic: true, colour: "seaText" }
  };
  var LABEL_GAP_PX = 4;

  // ------------------------------------------------------------------ TopoJSON decoding

  function decodeArcs(topology) {
    var t = topology.transform;
    return topology.arcs.map(function (arc) {
      var x = 0;
      var y = 0;
      return arc.map(function (p) {
        if (!t) return [p[0], p[1]];
        x += p[0];
        y += p[1];
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
  }

  function ring(arcs, indexes) {
    var out = [];
    indexes.forEach(function (i) {
      var points = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      for (var k = out.length ? 1 : 0; k < points.length; k++) out.push(points[k]);
    });
    return out;
  }

  /** Polygons of a TopoJSON geometry as [[ring of [lat, lng]]] (Leaflet's order). */
  function polygons(geometry, arcs) {
    var parts = geometry.type === "Polygon" ? [geometry.arcs] :
      geometry.type === "MultiPolygon" ? geometry.arcs : [];
    return parts.map(function (poly) {
      return poly.map(function (r) {
        return ring(arcs, r).map(function (p) { return [p[1], p[0]]; });
      });
    });
  }

  function pointOf(geometry, topology) {
    var c = geometry.coordinates;
    var t = topology.transform;
    if (t) c = [c[0] * t.scale[0] + t.translate[0], c[1] * t.scale[1] + t.translate[1]];
    return [c[1], c[0]];
  }

  function ringArea(r) {
    var a = 0;
    for (var i = 0, j = r.length - 1; i < r.length; j = i++) {
      a += (r[j][1] - r[i][1]) * (r[j][0] + r[i][0]);
    }
    return Math.abs(a / 2);
  }

  function arcIds(geometry) {
    var ids = [];
    var parts = geometry.type === "Polygon" ? [geometry.arcs] :
      geometry.type === "MultiPolygon" ? geometry.arcs : [];
    parts.forEach(function (poly) {
      poly.forEach(function (r) {
        r.forEach(function (i) { ids.push(i >= 0 ? i : ~i); });
      });
    });
    return ids;
  }

  /** A tone per geometry, never the same for two that share a border (greedy colouring). */
  function tones(geometries, count) {
    var byArc = {};
    geometries.forEach(function (g, n) {
      arcIds(g).forEach(function (a) { (byArc[a] = byArc[a] || []).push(n); });
    });
    var near = geometries.map(function () { return {}; });
    Object.keys(byArc).forEach(function (a) {
      byArc[a].forEach(function (n) {
        byArc[a].forEach(function (m) { if (m !== n) near[n][m] = true; });
      });
    });
    var order = geometries.map(function (g, n) { return n; }).sort(function (a, b) {
      return Object.keys(near[b]).length - Object.keys(near[a]).length || a - b;
    });
    var tone = [];
    order.forEach(function (n) {
      var used = {};
      Object.keys(near[n]).forEach(function (m) { if (tone[m] !== undefined) used[tone[m]] = true; });
      var t = 0;
      while (used[t] && t < count - 1) t++;
      tone[n] = t;
    });
    return tone;
  }

  /** Arcs used by exactly one province: Iran's border and coast. */
  function outlineArcs(topology) {
    var uses = {};
    topology.objects.provinces.geometries.forEach(function (g) {
      var parts = g.type === "Polygon" ? [g.arcs] : g.arcs;
      parts.forEach(function (poly) {
        poly.forEach(function (r) {
          r.forEach(function (i) {
            var k = i >= 0 ? i : ~i;
            uses[k] = (uses[k] || 0) + 1;
          });
        });
      });
    });
    return Object.keys(uses).filter(function (k) { return uses[k] === 1; }).map(Number);
  }

  // ------------------------------------------------------------------ labels

  function labelElement(text, kind, lang) {
    var spec = LABEL_KINDS[kind];
    var outer = document.createElement("div");
    var inner = document.createElement("span");
    inner.className = "gm-basemap-label gm-basemap-label-" + kind;
    inner.textContent = text;
    inner.setAttribute("lang", lang);
    inner.setAttribute("dir", lang === "fa" ? "rtl" : "ltr");
    var s = inner.style;
    s.position = "absolute";
    s.left = "0";
    s.top = "0";
    s.transform = "translate(-50%, -50%)";
    s.whiteSpace = "nowrap";
    s.fontSize = spec.size + "px";
    s.lineHeight = "1.2";
    s.color = COLOURS[spec.colour];
    s.fontStyle = spec.italic && lang !== "fa" ? "italic" : "normal";
    if (spec.caps && lang !== "fa") {
      s.textTransform = "uppercase";
      s.letterSpacing = "0.08em";
    }
    s.textShadow = "0 0 2px " + COLOURS.halo + ", 0 0 3px " + COLOURS.halo;
    s.pointerEvents = "none";
    s.userSelect = "none";
    outer.appendChild(inner);
    return { outer: outer, inner: inner };
  }

  function overlaps(a, b) {
    return a.left < b.right + LABEL_GAP_PX && b.left < a.right + LABEL_GAP_PX &&
      a.top < b.bottom + LABEL_GAP_PX && b.top < a.bottom + LABEL_GAP_PX;
  }

  // ------------------------------------------------------------------ drawing

  function addTo(map, data, options) {
    var L = root.L;
    options = options || {};
    var lang = options.lang === "fa" ? "fa" : "en";
    var topology = typeof data === "string" ? JSON.parse(data) : data;
    var arcs = decodeArcs(topology);

    [[SHAPE_PANE, SHAPE_Z], [LABEL_PANE, LABEL_Z]].forEach(function (p) {
      var pane = map.getPane(p[0]) || map.createPane(p[0]);
      pane.style.zIndex = String(p[1]);
      pane.style.pointerEvents = "none";
      // Scenery: screen readers get the sites and their places from the page, not 80 names.
      pane.setAttribute("aria-hidden", "true");
    });
    map.getContainer().style.backgroundColor = COLOURS.water;

    var renderer = L.svg({ pane: SHAPE_PANE, padding: 0.5 });
    var shapes = L.layerGroup([], { attribution: "Natural Earth" });
    function area(style, geometry) {
      var polys = polygons(geometry, arcs);
      var layer = L.polygon(polys, L.extend({
        renderer: renderer, pane: SHAPE_PANE, interactive: false, smoothFactor: 0.5
      }, style));
      shapes.addLayer(layer);
      return layer;
    }
    (topology.objects.context ? topology.objects.context.geometries : []).forEach(function (g) {
      area({ fillColor: COLOURS.neighbour, fillOpacity: 1, stroke: false }, g);
    });
    var countryTones = tones(topology.objects.countries.geometries, COLOURS.neighbourTones.length);
    topology.objects.countries.geometries.forEach(function (g, n) {
      area({ fillColor: COLOURS.neighbourTones[countryTones[n]], fillOpacity: 1, color: COLOURS.neighbourLine,
        weight: 0.8 }, g).feature = { properties: g.properties, kind: "country" };
    });
    topology.objects.provinces.geometries.forEach(function (g) {
      var layer = area({ fillColor: COLOURS.land, fillOpacity: 1, color: COLOURS.provinceLine,
        weight: 0.7 }, g);
      layer.feature = { properties: g.properties, kind: "province" };
      layer.on("add", function () {
        var el = layer.getElement();
        if (el) {
          el.setAttribute("data-province", g.properties.id);
          el.classList.add("gm-basemap-province");
        }
      });
    });
    var outline = outlineArcs(topology).map(function (i) {
      return arcs[i].map(function (p) { return [p[1], p[0]]; });
    });
    shapes.addLayer(L.polyline(outline, { renderer: renderer, pane: SHAPE_PANE,
      interactive: false, color: COLOURS.iranLine, weight: 1.2, smoothFactor: 0.5 }));
    topology.objects.lakes.geometries.forEach(function (g) {
      area({ fillColor: COLOURS.water, fillOpacity: 1, color: COLOURS.lakeLine, weight: 0.6 }, g);
    });

    // Labels: one non-interactive marker each, shown by zoom and when they do not collide.
    var labels = [];
    function addLabel(kind, props, latlng) {
      var text = props[lang] || props.en;
      if (!text || !latlng) return;
      var el = labelElement(text, kind, lang);
      var marker = L.marker(latlng, {
        pane: LABEL_PANE, interactive: false, keyboard: false,
        icon: L.divIcon({ className: "gm-basemap-label-anchor", html: el.outer, iconSize: null })
      });
      labels.push({ kind: kind, marker: marker, inner: el.inner, latlng: L.latLng(latlng),
        rank: LABEL_KINDS[kind].rank, order: labels.length, size: null });
    }
    topology.objects.labels.geometries.forEach(function (g) {
      var kind = g.properties.kind === "country" ? "iran" : g.properties.kind;
      addLabel(kind, g.properties, pointOf(g, topology));
    });
    topology.objects.countries.geometries.forEach(function (g) {
      var lp = g.properties.lp;
      addLabel("country", g.properties, lp && [lp[1], lp[0]]);
    });
    // Bigger provinces first: when labels collide, the smaller province gives way.
    topology.objects.provinces.geometries.map(function (g) {
      return { g: g, n: Math.max.apply(null, polygons(g, arcs).map(function (poly) {
        return ringArea(poly[0]);
      })) };
    }).sort(function (a, b) { return b.n - a.n; }).forEach(function (item) {
      var lp = item.g.properties.lp;
      addLabel("province", item.g.properties, lp && [lp[1], lp[0]]);
    });
    topology.objects.lakes.geometries.forEach(function (g) {
      if (!g.properties[lang]) return;
      var ring0 = polygons(g, arcs)[0][0];
      var b = L.latLngBounds(ring0);
      addLabel("lake", g.properties, b.getCenter());
    });
    labels.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    var labelGroup = L.layerGroup(labels.map(function (l) { return l.marker; }));

    function place() {
      var zoom = map.getZoom();
      var placed = [];
      labels.forEach(function (l) {
        var spec = LABEL_KINDS[l.kind];
        var show = zoom >= spec.minZoom && zoom <= spec.maxZoom;
        if (show) {
          l.inner.style.display = "";
          if (!l.size) l.size = [l.inner.offsetWidth, l.inner.offsetHeight];
          var p = map.latLngToLayerPoint(l.latlng);
          var box = { left: p.x - l.size[0] / 2, right: p.x + l.size[0] / 2,
            top: p.y - l.size[1] / 2, bottom: p.y + l.size[1] / 2 };
          show = !placed.some(function (other) { return overlaps(box, other); });
          if (show) placed.push(box);
        }
        l.inner.style.display = show ? "" : "none";
        l.inner.setAttribute("data-shown", show ? "true" : "false");
      });
    }

    shapes.addTo(map);
    if (options.labels !== false) {
      labelGroup.addTo(map);
      map.on("zoomend", place);
      map.whenReady(place); // a map without a view yet places its labels once it has one
    }
    return {
      shapes: shapes,
      labels: labelGroup,
      place: place,
      remove: function () {
        map.off("zoomend", place);
        map.removeLayer(shapes);
        map.removeLayer(labelGroup);
      }
    };
  }

  root.GravemapBasemap = {
    addTo: addTo,
    decodeArcs: decodeArcs,
    polygons: polygons,
    colours: COLOURS,
    labelKinds: LABEL_KINDS
  };
})(window);
