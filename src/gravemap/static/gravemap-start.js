/* gravemap start-up: reads the page's data, puts the sites on the map and in the list, opens
 * the site a permalink names, and offers a small API to other scripts of the page.
 *
 * The files, joined in this order by render.py into one inline script: gravemap-data.js
 * (Sites), gravemap-grid.js (GridIndex, pure), gravemap-view.js (SiteView: the site's popup,
 * the legend), gravemap-layer.js (SitesLayer, Leaflet), gravemap-panel.js (SiteList), then the
 * optional basemap.js, this file, and the optional timeline.js.
 *
 * The URL fragment holds what a reader can send: `#site=ID` opens that site; `asof=DATE`
 * (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) shows every site's status as of that date; both combine
 * as `#site=ir-tehran-01&asof=2010`. Opening a site sets the fragment (a history entry);
 * changing the date replaces it (no history entry).
 *
 * API, on `window.gravemap` once `window.gravemapReady` is true (scripts after this one in the
 * page can use it at once):
 *   gravemap.setAsOf(iso | null)  show each site's status as of `iso` (null: the latest);
 *                                 recolours markers and clusters, the list and the open site,
 *                                 and writes `asof` into the fragment. Returns the value set,
 *                                 or throws a TypeError for a value that is not such a date.
 *   gravemap.getAsOf()            the date shown (null: the latest statuses)
 *   gravemap.statusOf(id)         the status shown for site `id` (the pseudo-status
 *                                 gravemap.NOT_YET when it has no dated report by then)
 *   gravemap.openSite(id)         open a site as its permalink does
 *   gravemap.map, .sites (Sites), .layer (SitesLayer), .list (SiteList), .view (SiteView)
 * Events on `document`: `gravemap:asof` (detail {asof}) after the date changes;
 * `gravemap:open` (detail {id}) after a site opens.
 *
 * window.gravemapReady turns true once every site is on the map (as a marker or counted in a
 * cluster), the first part of the list is shown and any #site=ID permalink is open;
 * window.gravemapTimings holds when each step ended.
 */
(function (gravemap) {
  "use strict";

  var timings = (window.gravemapTimings = { start: performance.now() });
  var cfg = JSON.parse(document.getElementById("gm-config").textContent);
  var sites = new gravemap.Sites(cfg, JSON.parse(document.getElementById("gm-sites").textContent),
    function () {
      return document.getElementById("gm-details").textContent;
    });
  var T = cfg.labels;
  var fa = cfg.lang === "fa";
  var map = window[cfg.map];
  var CELL = 60;  // grid cell in screen pixels: sites closer than this may be clustered
  var ASOF = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  timings.parsed = performance.now();

  var view = new gravemap.SiteView(cfg, sites);
  var index = new gravemap.GridIndex({
    cellSize: CELL, minZoom: map.getMinZoom(), maxZoom: map.getMaxZoom(),
  }).load(sites.rows.map(function (row, i) {
    return [sites.lon(i), sites.lat(i)];
  }));

  // ---------------------------------------------------------------------------------------
  // Markers: one icon per status and precision, made once.

  var icons = Object.create(null);

  var style = {
    icon: function (i) {
      var status = view.knownStatus(sites.statusOf(i));
      var approx = view.isApprox(sites.precisionOf(i));
      var key = status + (approx ? "~" : "");
      if (!icons[key]) {
        icons[key] = L.divIcon({
          className: "gm-mk gm-st-" + status + (approx ? " gm-approx" : ""),
          iconSize: [16, 16],
          popupAnchor: [0, -6],
        });
      }
      return icons[key];
    },
    title: function (i) {
      return sites.name(i);
    },
    clusterIcon: function (cell, size) {
      var label = view.el("span", null, view.number(cell.members.length));  // a number only
      return L.divIcon({ html: label, className: "gm-cluster", iconSize: [size, size] });
    },
    clusterTitle: function (n) {
      return T.count.replace("{shown}", view.number(n)).replace("{total}", view.number(sites.total));
    },
  };

  var layer = new gravemap.SitesLayer(index, sites, style, { cellSize: CELL });

  // ---------------------------------------------------------------------------------------
  // Opening a site: reveal it on the map, then open its popup there.

  var uncertainty = null;
  var openIndex = null;
  var popup = null;

  function clearUncertainty() {
    if (uncertainty) {
      map.removeLayer(uncertainty);
      uncertainty = null;
    }
  }

  function showPopup(i) {
    var site = sites.record(i);
    map.closePopup();
    clearUncertainty();
    if (view.isApprox(site.p)) {
      // Where only the city or province is known, show the area, not a point.
      uncertainty = L.circle([site.y, site.x], {
        radius: cfg.uncertainty[site.p],
        color: cfg.colours[view.knownStatus(site.s)],
        weight: 2,
        dashArray: "6 6",
        fillOpacity: 0.06,
        interactive: false,
      }).addTo(map);
    }
    var opened = L.popup({ maxWidth: 380, minWidth: 240, maxHeight: 420, offset: [0, 1] })
      .setLatLng(layer.positionOf(i))
      .setContent(view.build(site, sites.statusOf(i)));
    opened.on("remove", function () {
      if (popup === opened) {
        popup = null;
        openIndex = null;
        clearUncertainty();
      }
    });
    popup = opened;
    openIndex = i;
    opened.openOn(map);
  }

  function openSite(i) {
    if (!index.includes(i)) {
      list.resetFilters();
    }
    list.markSelected(i);
    layer.reveal(i);
    showPopup(i);
    document.dispatchEvent(new CustomEvent("gravemap:open", { detail: { id: sites.id(i) } }));
  }

  layer.on("siteclick", function (e) {
    goTo(e.index);
  });
  layer.on("spiderfold", function (e) {
    if (openIndex !== null && e.members.has(openIndex)) {
      map.closePopup();
    }
  });

  // ---------------------------------------------------------------------------------------
  // The list, in step with the map.

  var list = new gravemap.SiteList(cfg, sites, view, function (shown) {
    layer.setFilter(shown);
    if (openIndex !== null && !index.includes(openIndex)) {
      map.closePopup();
    }
  });

  view.legend().addTo(map);
  if (map.attributionControl) {
    map.attributionControl.addAttribution(cfg.credit);  // a constant written by gravemap
  }

  // ---------------------------------------------------------------------------------------
  // The fragment: `#site=ID&asof=DATE`.

  function parseFragment(hash) {
    // {site, asof} from a fragment; a part that does not decode is ignored.
    var state = { site: null, asof: null };
    String(hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) {
        return;
      }
      var key = part.slice(0, eq);
      var value;
      try {
        value = decodeURIComponent(part.slice(eq + 1));
      } catch (err) {
        return;
      }
      if (key === "site" && value) {
        state.site = value;
      } else if (key === "asof" && ASOF.test(value)) {
        state.asof = value;
      }
    });
    return state;
  }

  function fragment(siteId, asof) {
    var parts = [];
    if (siteId !== null && siteId !== undefined) {
      parts.push("site=" + encodeURIComponent(siteId));
    }
    if (asof) {
      parts.push("asof=" + asof);
    }
    return parts.length ? "#" + parts.join("&") : "";
  }

  var byId = null;

  function indexOfId(id) {
    if (id === null || id === undefined) {
      return undefined;
    }
    if (byId === null) {
      byId = new Map();
      for (var n = sites.total - 1; n >= 0; n--) {
        byId.set(sites.id(n), n);  // ids are unique; were two the same, the first wins
      }
    }
    return byId.get(id);
  }

  function goTo(i) {
    var hash = fragment(sites.id(i), sites.asOf);
    if (window.location.hash === hash) {
      openSite(i);
    } else {
      window.location.hash = hash;  // hashchange opens it
    }
  }

  list.list.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a.gm-item-link") : null;
    if (!a) {
      return;
    }
    var i = indexOfId(parseFragment(a.getAttribute("href")).site);
    if (i !== undefined) {
      event.preventDefault();  // keeps any "as of" date in the fragment
      goTo(i);
    }
  });

  function setAsOf(value, fromFragment) {
    if (value === undefined || value === "") {
      value = null;
    }
    if (value !== null && !ASOF.test(String(value))) {
      throw new TypeError("asof must be YYYY, YYYY-MM, YYYY-MM-DD or null, not " + value);
    }
    value = value === null ? null : String(value);
    if (value !== sites.asOf) {
      sites.asOf = value;
      layer.refresh();
      list.refresh();
      if (popup && openIndex !== null) {
        popup.setContent(view.build(sites.record(openIndex), sites.statusOf(openIndex)));
      }
      if (!fromFragment && window.history && window.history.replaceState) {
        var state = parseFragment(window.location.hash);
        var hash = fragment(state.site, value);
        window.history.replaceState(null, "", hash || window.location.pathname +
          window.location.search);
      }
      document.dispatchEvent(new CustomEvent("gravemap:asof", { detail: { asof: value } }));
    }
    return value;
  }

  window.addEventListener("hashchange", function () {
    var state = parseFragment(window.location.hash);
    setAsOf(state.asof, true);
    var i = indexOfId(state.site);
    if (i !== undefined) {
      openSite(i);
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
    for (var i = 0; i < sites.total; i++) {
      if (sites.precisionOf(i) !== "city") {
        continue;
      }
      var key = sites.lat(i) + "," + sites.lon(i);
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
    centres.forEach(function (site, key) {
      var english = sites.city(site);
      var persianName = sites.cityFa(site);
      var name = (fa ? persianName || english : english || persianName);
      if (!name) {
        return;
      }
      var label = view.auto("span", "gm-city-label", name);
      if (name === persianName) {
        label.lang = "fa";
      }
      L.marker([sites.lat(site), sites.lon(site)], {
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

  gravemap.NOT_YET = gravemap.Sites.NOT_YET;
  gravemap.map = map;
  gravemap.sites = sites;
  gravemap.layer = layer;
  gravemap.list = list;
  gravemap.view = view;
  gravemap.setAsOf = function (value) {
    return setAsOf(value, false);
  };
  gravemap.getAsOf = function () {
    return sites.asOf;
  };
  gravemap.statusOf = function (id) {
    var i = indexOfId(id);
    return i === undefined ? undefined : sites.statusOf(i);
  };
  gravemap.openSite = function (id) {
    var i = indexOfId(id);
    if (i !== undefined) {
      goTo(i);
    }
    return i !== undefined;
  };

  document.getElementById("gm-app").classList.add("gm-started");
  var first = parseFragment(window.location.hash);
  sites.asOf = first.asof;
  list.renderMore(gravemap.SiteList.FIRST_CHUNK);
  list.updateCount();
  layer.addTo(map);
  timings.markers = performance.now();
  var firstIndex = indexOfId(first.site);
  if (firstIndex !== undefined) {
    openSite(firstIndex);
  }
  timings.ready = performance.now();
  window.gravemapReady = true;
  document.documentElement.setAttribute("data-gravemap-ready", "true");
  if (window.requestIdleCallback) {
    window.requestIdleCallback(function () { list.listProvinces(); }, { timeout: 1000 });
    window.requestIdleCallback(cityLabels, { timeout: 500 });
  } else {
    setTimeout(function () { list.listProvinces(); }, 200);
    setTimeout(cityLabels, 100);
  }
})((window.gravemap = window.gravemap || {}));
