/* gravemap.GridIndex: which points cluster together at each zoom. Pure: no Leaflet, no DOM.
 *
 * The shape of mapbox's supercluster (`load(points)`, `getClusters(bbox, zoom)`,
 * `getClusterExpansionZoom(id)`, `getLeaves(id)`), on a simpler rule: a cluster is a cell of a
 * square pixel grid at that zoom. Positions are kept in Web Mercator scaled to 0..1 (the
 * projection Leaflet uses), so a point's pixel at zoom z is that times 256 * 2^z; a cell at zoom
 * z+1 lies inside one cell at zoom z, so zooming in only ever splits clusters. A zoom's grid is
 * computed the first time that zoom is asked for.
 *
 *   var index = new gravemap.GridIndex({cellSize: 60, maxZoom: 18}).load([[lon, lat], ...]);
 *   index.getClusters([west, south, east, north], zoom)
 *     -> [{id, zoom, count, members: [point index...], index (when count is 1), x, y (the
 *         members' mean position, Mercator 0..1), lng, lat, cx, cy (the cell)}]
 *   index.getClusterExpansionZoom(id) -> the first zoom at which the cluster splits
 *     (maxZoom + 1 when its points never separate: they share one position)
 *   index.filter([point index...] | null) -> only those points are clustered (null: all)
 */
(function (gravemap) {
  "use strict";

  var MAX_LAT = 85.0511287798;  // where Web Mercator ends
  var ZOOM_BITS = 32;  // a cluster id is cellKey * ZOOM_BITS + zoom (zooms 0..31)

  function lngX(lng) {
    return (lng + 180) / 360;
  }

  function latY(lat) {
    var sin = Math.sin((Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180);
    return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }

  function xLng(x) {
    return x * 360 - 180;
  }

  function yLat(y) {
    return (360 / Math.PI) * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - 90;
  }

  function GridIndex(options) {
    options = options || {};
    this.cellSize = options.cellSize || 60;  // screen pixels: points closer may be clustered
    this.minZoom = options.minZoom || 0;
    this.maxZoom = options.maxZoom === undefined ? 18 : options.maxZoom;
    this.load([]);
  }

  GridIndex.lngX = lngX;
  GridIndex.latY = latY;
  GridIndex.unproject = function (x, y) {
    // [lng, lat] of a Mercator 0..1 position.
    return [xLng(x), yLat(y)];
  };

  GridIndex.prototype = {
    load: function (points) {
      // `points`: [[lon, lat], ...]; a point is referred to by its index in this array.
      var n = points.length;
      this.length = n;
      this.x = new Float64Array(n);
      this.y = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        this.x[i] = lngX(points[i][0]);
        this.y[i] = latY(points[i][1]);
      }
      this._included = new Uint8Array(n);
      this._widths = [];
      this.filter(null);
      return this;
    },

    filter: function (indices) {
      // Cluster only these points (null: all of them), in this order.
      if (indices === null) {
        indices = new Array(this.length);
        for (var i = 0; i < this.length; i++) {
          indices[i] = i;
        }
      }
      this.points = indices;
      this._included.fill(0);
      for (var n = 0; n < indices.length; n++) {
        this._included[indices[n]] = 1;
      }
      this._grids = Object.create(null);
      return this;
    },

    includes: function (index) {
      return this._included[index] === 1;
    },

    scaleAt: function (z) {
      // Cells a side at zoom z, as a real number: a position times this is its cell.
      return (256 * Math.pow(2, z)) / this.cellSize;
    },

    cellKey: function (cx, cy, z) {
      // Unique within zoom z; a small integer (fast Map key) up to zoom 10 or so.
      var width = this._widths[z] || (this._widths[z] = Math.ceil(this.scaleAt(z)) + 1);
      return cx * width + cy;
    },

    gridAt: function (z) {
      // Map(cell key -> cluster) of zoom z, built on first use.
      if (this._grids[z]) {
        return this._grids[z];
      }
      var scale = this.scaleAt(z);
      var cells = new Map();
      var points = this.points;
      for (var n = 0; n < points.length; n++) {
        var s = points[n];
        var cx = Math.floor(this.x[s] * scale);
        var cy = Math.floor(this.y[s] * scale);
        var key = this.cellKey(cx, cy, z);
        var cell = cells.get(key);
        if (cell === undefined) {
          cell = {
            id: key * ZOOM_BITS + z, key: key, zoom: z, cx: cx, cy: cy, members: [], sx: 0, sy: 0,
          };
          cells.set(key, cell);
        }
        cell.members.push(s);
        cell.sx += this.x[s];
        cell.sy += this.y[s];
      }
      cells.forEach(function (c) {
        c.count = c.members.length;
        c.index = c.count === 1 ? c.members[0] : undefined;
        c.x = c.sx / c.count;
        c.y = c.sy / c.count;
        c.lng = xLng(c.x);
        c.lat = yLat(c.y);
      });
      this._grids[z] = cells;
      return cells;
    },

    getClusters: function (bbox, zoom) {
      // The clusters (cells) of `zoom` within [west, south, east, north] (degrees).
      var z = Math.max(this.minZoom, Math.min(this.maxZoom, Math.floor(zoom)));
      var cells = this.gridAt(z);
      var scale = this.scaleAt(z);
      var last = Math.ceil(scale) - 1;
      var x0 = Math.max(0, Math.floor(lngX(bbox[0]) * scale));
      var x1 = Math.min(last, Math.floor(lngX(bbox[2]) * scale));
      var y0 = Math.max(0, Math.floor(latY(bbox[3]) * scale));
      var y1 = Math.min(last, Math.floor(latY(bbox[1]) * scale));
      var found = [];
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size) {
        cells.forEach(function (cell) {
          if (cell.cx >= x0 && cell.cx <= x1 && cell.cy >= y0 && cell.cy <= y1) {
            found.push(cell);
          }
        });
      } else {
        for (var cx = x0; cx <= x1; cx++) {
          for (var cy = y0; cy <= y1; cy++) {
            var cell = cells.get(this.cellKey(cx, cy, z));
            if (cell) {
              found.push(cell);
            }
          }
        }
      }
      return found;
    },

    getCluster: function (id) {
      var z = id % ZOOM_BITS;
      return this.gridAt(z).get((id - z) / ZOOM_BITS);
    },

    getLeaves: function (id) {
      var cell = this.getCluster(id);
      return cell ? cell.members.slice() : [];
    },

    getClusterExpansionZoom: function (id) {
      // The first zoom at which the cluster's points no longer share one cell.
      var cell = this.getCluster(id);
      if (!cell) {
        return this.maxZoom + 1;
      }
      var members = cell.members;
      for (var z = cell.zoom + 1; z <= this.maxZoom; z++) {
        var scale = this.scaleAt(z);
        var cx = Math.floor(this.x[members[0]] * scale), cy = Math.floor(this.y[members[0]] * scale);
        for (var n = 1; n < members.length; n++) {
          var s = members[n];
          if (Math.floor(this.x[s] * scale) !== cx || Math.floor(this.y[s] * scale) !== cy) {
            return z;
          }
        }
      }
      return this.maxZoom + 1;
    },

    cellOf: function (index, z) {
      // The cluster holding point `index` at zoom z (undefined when it is filtered out).
      var scale = this.scaleAt(z);
      var cx = Math.floor(this.x[index] * scale);
      return this.gridAt(z).get(this.cellKey(cx, Math.floor(this.y[index] * scale), z));
    },

    samePoint: function (members) {
      for (var n = 1; n < members.length; n++) {
        if (this.x[members[n]] !== this.x[members[0]] || this.y[members[n]] !== this.y[members[0]]) {
          return false;
        }
      }
      return true;
    },

    aloneZoom: function (index) {
      // The first zoom at which no point at another position shares this point's cell.
      var others = [];
      var points = this.points;
      for (var n = 0; n < points.length; n++) {
        var s = points[n];
        if (this.x[s] !== this.x[index] || this.y[s] !== this.y[index]) {
          others.push(s);
        }
      }
      for (var z = this.minZoom; z < this.maxZoom; z++) {
        var scale = this.scaleAt(z);
        var cx = Math.floor(this.x[index] * scale), cy = Math.floor(this.y[index] * scale);
        var next = [];
        for (n = 0; n < others.length; n++) {
          var o = others[n];
          if (Math.floor(this.x[o] * scale) === cx && Math.floor(this.y[o] * scale) === cy) {
            next.push(o);
          }
        }
        if (!next.length) {
          return z;
        }
        others = next;
      }
      return this.maxZoom;
    },
  };

  gravemap.GridIndex = GridIndex;
})((window.gravemap = window.gravemap || {}));
