/* gravemap.SitesLayer: the sites on a Leaflet map, clustered by a gravemap.GridIndex.
 *
 * A Leaflet plugin in Leaflet.markercluster's manner (`L.FeatureGroup.extend`, options, onAdd /
 * onRemove): only the cells in view are drawn, as one marker each (a cell of one site is that
 * site's marker), and redrawn when the map moves. Sites that share a cell at the deepest zoom
 * (or a point) fan out round it ("spiderfy"); the fan's geometry is markercluster's.
 *
 * The layer knows nothing of what a site says: `style` gives it the icons and titles
 * (`icon(index)`, `title(index)`, `clusterIcon(cluster, size)`, `clusterTitle(count, cluster)`),
 * and it
 * fires `siteclick` ({index}) when a site's marker is clicked and `spiderfold` ({members: Map of
 * site index -> latlng}) when a fan folds back.
 */
(function (gravemap) {
  "use strict";

  var unproject = gravemap.GridIndex.unproject;

  function iconText(icon) {
    var html = icon.options.html;
    return icon.options.className + "|" + (html && html.outerHTML !== undefined ? html.outerHTML
      : String(html || ""));
  }

  function sameIcon(a, b) {
    return a === b || (Boolean(a) && Boolean(b) && iconText(a) === iconText(b));
  }

  function latLngOf(x, y) {
    var p = unproject(x, y);
    return L.latLng(p[1], p[0]);
  }

  gravemap.SitesLayer = L.FeatureGroup.extend({
    options: {
      // Screen pixels: sites closer than this may share a cluster (markercluster's
      // `maxClusterRadius` plays this part, at 80).
      cellSize: 60,
      // Cells drawn beyond each edge of the view, so panning shows no empty border.
      padCells: 2,
      // Cluster disc diameter in pixels, by the number of sites it holds (< 10, < 100, < 1000,
      // more).
      discSizes: [30, 36, 42, 48],
      // A cell of more sites than this is not fanned out while zooming in would split it.
      spiderfyMax: 60,
      // How close to zoom when revealing a site: never closer than its position is known.
      precisionZoom: { exact: 14, site: 14, city: 10, province: 7 },
      // Padding (pixels) round a cluster's sites when zooming to them.
      expandPadding: 40,
      spiderLegStyle: { color: "#1d1d1d", weight: 1.5, opacity: 0.6, interactive: false },
      spiderCentreStyle: {
        radius: 3, color: "#1d1d1d", weight: 1, fillOpacity: 0.8, interactive: false,
      },
    },

    // The fan's geometry, named as in Leaflet.markercluster's MarkerCluster.Spiderfier.js
    // (MIT, Copyright 2012 David Leaver): a circle for a few sites, a spiral for more.
    _2PI: Math.PI * 2,
    _circleFootSeparation: 25,  // related to circumference of circle
    _circleStartAngle: Math.PI / 6,
    _spiralFootSeparation: 28,  // related to size of spiral (experiment!)
    _spiralLengthStart: 11,
    _spiralLengthFactor: 5,  // spiral length: larger values mean bigger spirals
    _circleSpiralSwitchover: 9,  // show a spiral instead of a circle from this marker count up

    initialize: function (index, sites, style, options) {
      // `index`: a gravemap.GridIndex loaded with the sites; `sites`: a gravemap.Sites.
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      L.setOptions(this, options);
      this.index = index;
      this.sites = sites;
      this.style = style;
      this._drawn = new Map();  // cell key -> the layer drawing it
      this._drawnZoom = null;
      this._spider = null;  // {key, zoom, group, at: Map(site index -> latlng)}
    },

    onAdd: function (map) {
      L.FeatureGroup.prototype.onAdd.call(this, map);
      map.on("zoomstart", this._onZoomStart, this);
      map.on("moveend", this.redraw, this);
      map.on("click", this._onMapClick, this);
      this.redraw();
    },

    onRemove: function (map) {
      map.off("zoomstart", this._onZoomStart, this);
      map.off("moveend", this.redraw, this);
      map.off("click", this._onMapClick, this);
      this._spider = null;
      this._clearDrawn();
      this._drawnZoom = null;
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    _onZoomStart: function () {
      this.unspiderfy(true);  // moveend redraws at the new zoom
    },

    _onMapClick: function () {
      this.unspiderfy();
    },

    // -------------------------------------------------------------------------------------
    // Drawing: one marker per cell in view.

    siteMarker: function (index, latlng) {
      var marker = L.marker(latlng || [this.sites.lat(index), this.sites.lon(index)], {
        icon: this.style.icon(index),
        title: this.style.title(index),
        keyboard: true,
        zIndexOffset: latlng ? 1000 : 0,  // a fanned-out site is drawn above its neighbours
      });
      marker.gravemapIndex = index;
      marker.on("click", function () {
        this.fire("siteclick", { index: index });
      }, this);
      this._keyboard(marker);
      return marker;
    },

    _discSize: function (n) {
      var sizes = this.options.discSizes;
      return n < 10 ? sizes[0] : n < 100 ? sizes[1] : n < 1000 ? sizes[2] : sizes[3];
    },

    clusterMarker: function (cell, z) {
      var n = cell.members.length;
      var size = this._discSize(n);
      var cellSize = this.options.cellSize;
      // At the sites' centroid, kept far enough inside its cell that the discs of two
      // neighbouring cells never overlap.
      var scale = this.index.scaleAt(z);
      var slack = (cellSize - size) / 2 / cellSize;
      var x = Math.max(-slack, Math.min(slack, (cell.sx / n) * scale - cell.cx - 0.5));
      var y = Math.max(-slack, Math.min(slack, (cell.sy / n) * scale - cell.cy - 0.5));
      var marker = L.marker(latLngOf((cell.cx + 0.5 + x) / scale, (cell.cy + 0.5 + y) / scale), {
        icon: this.style.clusterIcon(cell, size),
        keyboard: true,
        title: this.style.clusterTitle(n, cell),
      });
      marker.gravemapCluster = cell;
      marker.on("click", function () {
        this.expand(cell);
      }, this);
      this._keyboard(marker);
      return marker;
    },

    _keyboard: function (marker) {
      // Enter and Space act as a click on a focused site or cluster. (Leaflet's markers take
      // focus with `keyboard: true`, but act on Enter only when a popup is bound to them.)
      var self = this;
      marker.on("add", function () {
        var el = marker.getElement();
        if (!el || el.gravemapKeys) {
          return;
        }
        el.gravemapKeys = true;
        L.DomEvent.on(el, "keydown", function (e) {
          if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
            L.DomEvent.preventDefault(e);
            L.DomEvent.stopPropagation(e);
            self._byKeyboard = true;
            marker.fire("click");
            self._byKeyboard = false;
          }
        });
      });
    },

    markerElement: function (index) {
      // The drawn marker of a site (itself or in a fan), or null.
      var found = null;
      this._drawn.forEach(function (drawnLayer) {
        if (drawnLayer.gravemapIndex === index) {
          found = drawnLayer.getElement();
        } else if (drawnLayer.gravemapIndex === undefined && !drawnLayer.gravemapCluster) {
          drawnLayer.eachLayer(function (part) {
            if (part.gravemapIndex === index) {
              found = part.getElement();
            }
          });
        }
      });
      return found;
    },

    _focusAfterExpand: function () {
      // A cluster opened from the keyboard: focus stays on the map, where Tab reaches the
      // markers it became (its own element is gone).
      var map = this._map;
      var spider = this._spider;
      var fanned = spider ? this.markerElement(spider.at.keys().next().value) : null;
      (fanned || map.getContainer()).focus();
    },

    _clearDrawn: function () {
      this.clearLayers();
      this._drawn = new Map();
    },

    redraw: function () {
      var map = this._map;
      if (!map) {
        return;
      }
      var z = map.getZoom();
      if (z !== this._drawnZoom) {
        this.unspiderfy(true);
        this._clearDrawn();
        this._drawnZoom = z;
      }
      var bounds = map.getPixelBounds();
      var pad = this.options.cellSize * this.options.padCells;
      var nw = map.unproject(L.point(bounds.min.x - pad, bounds.min.y - pad), z);
      var se = map.unproject(L.point(bounds.max.x + pad, bounds.max.y + pad), z);
      var wanted = new Map();
      this.index.getClusters([nw.lng, se.lat, se.lng, nw.lat], z).forEach(function (cell) {
        wanted.set(cell.key, cell);
      });
      var drawn = this._drawn;
      var self = this;
      drawn.forEach(function (drawnLayer, key) {
        if (!wanted.has(key)) {
          self.removeLayer(drawnLayer);
          drawn.delete(key);
        }
      });
      var spider = this._spider;
      wanted.forEach(function (cell, key) {
        if (!drawn.has(key)) {
          var made = spider && spider.key === key ? spider.group
            : cell.members.length === 1 ? self.siteMarker(cell.members[0])
              : self.clusterMarker(cell, z);
          drawn.set(key, made);
          self.addLayer(made);
        }
      });
      this.fire("redraw");
    },

    refresh: function () {
      // Restyle what is drawn (a site's status changed, as when the "as of" date moves):
      // markers get their new icons, clusters a new one where it reads differently; nothing
      // is rebuilt.
      var self = this;
      this._drawn.forEach(function (drawnLayer, key) {
        if (drawnLayer.gravemapIndex !== undefined) {
          drawnLayer.setIcon(self.style.icon(drawnLayer.gravemapIndex));
        } else if (drawnLayer.gravemapCluster !== undefined) {
          // A cluster's icon is set again only when it reads differently (rebuilding every
          // cluster made each step of the "as of" control cost hundreds of ms at 100,000 sites).
          var cell = drawnLayer.gravemapCluster;
          var icon = self.style.clusterIcon(cell, self._discSize(cell.members.length));
          if (!sameIcon(icon, drawnLayer.options.icon)) {
            drawnLayer.setIcon(icon);
          }
        } else {  // a fan
          drawnLayer.eachLayer(function (part) {
            if (part.gravemapIndex !== undefined) {
              part.setIcon(self.style.icon(part.gravemapIndex));
            }
          });
        }
      });
      this.fire("restyle");
    },

    setFilter: function (indices) {
      // Show only these sites (null: all).
      this.unspiderfy(true);
      this.index.filter(indices);
      this._drawnZoom = null;
      this.redraw();
    },

    // -------------------------------------------------------------------------------------
    // Spiderfy: the sites of one cell fan out round its centre, each with a leg to it.

    _spiderPoints: function (n, centre) {
      var points = [];
      var k;
      if (n < this._circleSpiralSwitchover) {
        var leg = (this._circleFootSeparation * (2 + n)) / this._2PI;
        for (k = 0; k < n; k++) {
          var angle = this._circleStartAngle + (k * this._2PI) / n;
          points.push(L.point(centre.x + leg * Math.cos(angle), centre.y + leg * Math.sin(angle)));
        }
        return points;
      }
      var length = this._spiralLengthStart;
      var theta = 0;
      for (k = 0; k < n; k++) {
        theta += this._spiralFootSeparation / length + k * 0.0005;
        points.push(L.point(centre.x + length * Math.cos(theta), centre.y + length * Math.sin(theta)));
        length += (this._2PI * this._spiralLengthFactor) / theta;
      }
      return points;
    },

    spiderfy: function (cell) {
      var map = this._map;
      var z = map.getZoom();
      if (this._spider && this._spider.key === cell.key && this._spider.zoom === z) {
        return;
      }
      this.unspiderfy();
      var n = cell.members.length;
      var centreLatLng = latLngOf(cell.sx / n, cell.sy / n);
      var centre = map.project(centreLatLng, z);
      var points = this._spiderPoints(n, centre);
      var group = L.layerGroup();
      var at = new Map();
      var self = this;
      L.circleMarker(centreLatLng, this.options.spiderCentreStyle).addTo(group);
      cell.members.forEach(function (index, k) {
        var latlng = map.unproject(points[k], z);
        L.polyline([centreLatLng, latlng], self.options.spiderLegStyle).addTo(group);
        self.siteMarker(index, latlng).addTo(group);
        at.set(index, latlng);
      });
      this._spider = { key: cell.key, zoom: z, group: group, at: at };
      var old = this._drawn.get(cell.key);
      if (old) {
        this.removeLayer(old);
      }
      this._drawn.set(cell.key, group);
      this.addLayer(group);
      this.fire("redraw");
    },

    unspiderfy: function (noRedraw) {
      // Fold the fanned-out cell back into its cluster (redrawn unless `noRedraw`).
      var old = this._spider;
      if (!old) {
        return;
      }
      this._spider = null;
      this.fire("spiderfold", { members: old.at });
      if (this._drawn.get(old.key) === old.group) {
        this.removeLayer(old.group);
        this._drawn.delete(old.key);
        if (noRedraw !== true && this._drawnZoom === old.zoom) {
          this.redraw();
        }
      }
    },

    expand: function (cell) {
      // Zoom in to where the cluster's sites separate; at the deepest zoom, or where they
      // share one point, fan them out instead.
      var map = this._map;
      var z = map.getZoom();
      var byKeyboard = this._byKeyboard;
      if (this.index.samePoint(cell.members) || z >= map.getMaxZoom()) {
        this.spiderfy(cell);
        if (byKeyboard) {
          this._focusAfterExpand();
        }
        return;
      }
      var sites = this.sites;
      var bounds = L.latLngBounds(cell.members.map(function (s) {
        return [sites.lat(s), sites.lon(s)];
      }));
      var pad = this.options.expandPadding;
      var target = Math.min(map.getBoundsZoom(bounds, false, L.point(pad, pad)), map.getMaxZoom());
      if (target <= z) {
        this.spiderfy(cell);
      } else {
        map.setView(bounds.getCenter(), target);
      }
      if (byKeyboard) {
        this._focusAfterExpand();
      }
    },

    // -------------------------------------------------------------------------------------
    // Revealing one site: zoom to it (never closer than its position is known) and fan out
    // its cell if it shares one.

    positionOf: function (index) {
      // Where the site is drawn: its place in a fan, or its own position.
      var spider = this._spider;
      return spider && spider.at.has(index) ? spider.at.get(index)
        : L.latLng(this.sites.lat(index), this.sites.lon(index));
    },

    isFanned: function (index) {
      return Boolean(this._spider && this._spider.at.has(index));
    },

    visibleAsItself: function (index) {
      var map = this._map;
      var z = map.getZoom();
      if (this._drawnZoom !== z) {
        return false;
      }
      var latlng = this.isFanned(index) ? this._spider.at.get(index) : null;
      if (!latlng) {
        var cell = this.index.cellOf(index, z);
        if (!cell || cell.members.length !== 1) {
          return false;
        }
        latlng = L.latLng(this.sites.lat(index), this.sites.lon(index));
      }
      return map.getBounds().contains(latlng);
    },

    reveal: function (index) {
      if (this.visibleAsItself(index)) {
        return;
      }
      var map = this._map;
      var precision = this.sites.precisionOf(index);
      var approx = this.sites.cfg.approximate.indexOf(precision) >= 0;
      var latlng = [this.sites.lat(index), this.sites.lon(index)];
      var alone = this.index.aloneZoom(index);
      var want = this.options.precisionZoom[precision] || 14;
      var zoom = approx ? want : Math.max(alone, want);
      zoom = Math.min(zoom, map.getMaxZoom());
      map.setView(latlng, zoom, { animate: false });
      var cell = this.index.cellOf(index, zoom);
      if (cell.members.length > this.options.spiderfyMax && alone > zoom) {
        zoom = Math.min(alone, map.getMaxZoom());
        map.setView(latlng, zoom, { animate: false });
        cell = this.index.cellOf(index, zoom);
      }
      this.redraw();  // setView without a move fires no moveend
      if (cell.members.length > 1) {
        this.spiderfy(cell);
      }
    },
  });
})((window.gravemap = window.gravemap || {}));
