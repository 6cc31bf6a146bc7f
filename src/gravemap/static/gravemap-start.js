/* gravemap start-up: puts the sites of one SitesLayer on a Leaflet map and, on gravemap's own
 * page, in the list beside it; opens the site a permalink names; offers a small API to the
 * page's other scripts.
 *
 * The files, joined in this order into one inline script (render.APP_SCRIPTS):
 * gravemap-data.js (Sites), gravemap-grid.js (GridIndex, pure), gravemap-view.js (SiteView:
 * the site's popup or panel, the legend), gravemap-layer.js (SitesLayer, Leaflet),
 * gravemap-panel.js (SiteList), then this file. Nothing runs until the SitesLayer element
 * (gravemap/layer.py) calls `gravemap.addTo(map, name)` from the page's last script, with the
 * folium map and the element's name: its data is in the JSON blocks `NAME-config`,
 * `NAME-sites` and `NAME-details`. On a plain folium map (no `#gm-list`) markers, clusters,
 * popups and the legend are all there is.
 *
 * The URL fragment (gravemap's page only) holds what a reader can send: `#site=ID` opens that
 * site; `asof=DATE` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) shows every site's status as of that
 * date; both combine as `#site=ir-tehran-01&asof=2010`. Opening a site sets the fragment (a
 * history entry); changing the date replaces it (no history entry).
 *
 * API, on `window.gravemap`:
 *   gravemap.ready(fn)            call fn(gravemap) once the sites are on the map (at once if
 *                                 they are); on gravemap's page timeline.js runs after that
 *   gravemap.setAsOf(iso | null)  show each site's status as of `iso` (null: the latest);
 *                                 recolours markers and clusters, the list and the open site,
 *                                 and writes `asof` into the fragment. Returns the value set,
 *                                 or throws a TypeError for a value that is not such a date.
 *   gravemap.getAsOf()            the date shown (null: the latest statuses)
 *   gravemap.statusOf(id)         the status shown for site `id` (the pseudo-status
 *                                 gravemap.NOT_YET when it has no dated report by then)
 *   gravemap.openSite(id)         open a site as its permalink does
 *   gravemap.map, .sites (Sites), .layer (SitesLayer), .list (SiteList or null), .view
 * Events on `document`: `gravemap:ready`; `gravemap:asof` (detail {asof}) after the date
 * changes; `gravemap:open` (detail {id}) after a site opens.
 * Layout hooks on gravemap's page: `#gm-timeline` (an empty slot in the panel, above the
 * list) and `#gm-map-wrap` (the map's box).
 *
 * window.gravemapReady turns true once every site is on the map (as a marker or counted in a
 * cluster), the first part of the list is shown and any #site=ID permalink is open; the
 * basemap is drawn just after the page's load event (gravemapTimings.basemap says when).
 * window.gravemapTimings holds when each step ended.
 */
(function (gravemap) {
  "use strict";

  var waiting = [];
  var started = false;

  gravemap.ready = function (fn) {
    if (started) {
      fn(gravemap);
    } else {
      waiting.push(fn);
    }
  };

  gravemap.addTo = function (map, name) {
    start(map, name);
    started = true;
    waiting.splice(0).forEach(function (fn) { fn(gravemap); });
    document.dispatchEvent(new CustomEvent("gravemap:ready"));
  };

  function block(name, part) {
    return document.getElementById(name + "-" + part).textContent;
  }

  function start(map, name) {
    var timings = (window.gravemapTimings = window.gravemapTimings || {});
    timings.start = performance.now();
    var cfg = JSON.parse(block(name, "config"));
    var sites = new gravemap.Sites(cfg, JSON.parse(block(name, "sites")), function () {
      return block(name, "details");
    });
    var T = cfg.labels;
    var fa = cfg.lang === "fa";
    var onPage = Boolean(document.getElementById("gm-list"));
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
        var shown = sites.statusOf(i);
        var status = view.knownStatus(shown);
        var approx = view.isApprox(sites.precisionOf(i)) || shown === gravemap.NOT_YET;
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
        return sites.name(i) + " · " + view.statusName(sites.statusOf(i));
      },
      clusterIcon: function (cell, size) {
        // A disc with a ring showing the statuses of the sites it holds, in proportion.
        var counts = statusCounts(cell);
        var stops = [];
        var at = 0;
        var n = cell.members.length;
        cfg.statuses.concat([gravemap.NOT_YET]).forEach(function (status) {
          if (counts[status]) {
            var colour = cfg.colours[view.knownStatus(status)];
            var end = at + (counts[status] / n) * 360;
            stops.push(colour + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
            at = end;
          }
        });
        var disc = view.el("div", "gm-cluster-disc");
        disc.style.background = "conic-gradient(" + stops.join(", ") + ")";
        disc.appendChild(view.el("span", null, view.number(n)));  // a number only
        return L.divIcon({ html: disc, className: "gm-cluster", iconSize: [size, size] });
      },
      clusterTitle: function (n, cell) {
        var text = T.count.replace("{shown}", view.number(n))
          .replace("{total}", view.number(sites.total));
        if (!cell) {
          return text;
        }
        var counts = statusCounts(cell);
        var parts = [];
        cfg.statuses.concat([gravemap.NOT_YET]).forEach(function (status) {
          if (counts[status]) {
            parts.push(view.number(counts[status]) + " " + view.statusName(status));
          }
        });
        return text + ": " + parts.join(fa ? "، " : ", ");
      },
    };

    function statusCounts(cell) {
      // How many of a cluster's sites show each status (kept until the "as of" date moves).
      if (cell.counts && cell.countsAsOf === sites.asOf) {
        return cell.counts;
      }
      var counts = Object.create(null);
      for (var n = 0; n < cell.members.length; n++) {
        var status = sites.statusOf(cell.members[n]);
        counts[status] = (counts[status] || 0) + 1;
      }
      cell.counts = counts;
      cell.countsAsOf = sites.asOf;
      return counts;
    }

    function drawBasemap() {
      // Iran's provinces, neighbours, lakes and seas, drawn offline under everything else;
      // right after the sites, so they are not kept waiting for the map's background.
      var basemapBlock = document.getElementById(name + "-basemap");
      if (basemapBlock && window.GravemapBasemap && !gravemap.basemap) {
        gravemap.basemap = window.GravemapBasemap.addTo(map, basemapBlock.textContent, {
          lang: cfg.lang,
        });
        declutterSoon();
      }
      timings.basemap = performance.now();
    }

    var layer = new gravemap.SitesLayer(index, sites, style, { cellSize: CELL });

    // ---------------------------------------------------------------------------------------
    // Opening a site: reveal it on the map, then show it in a popup there or, on a narrow
    // screen, in a sheet at the bottom of the screen that scrolls on its own. Focus moves into
    // the site and back to what opened it when it closes; Escape closes it from anywhere.

    var uncertainty = null;
    var openIndex = null;
    var popup = null;
    var opener = null;
    var replacing = false;
    var narrow = window.matchMedia ? window.matchMedia("(max-width: 720px)") : { matches: false };
    var sheet = document.getElementById("gm-sheet");
    var sheetBody = document.getElementById("gm-sheet-body");

    function clearUncertainty() {
      if (uncertainty) {
        map.removeLayer(uncertainty);
        uncertainty = null;
      }
    }

    function siteClosed() {
      openIndex = null;
      clearUncertainty();
      document.documentElement.classList.remove("gm-site-open");
      if (replacing) {
        return;
      }
      var back = opener;
      opener = null;
      if (!back || !document.body.contains(back)) {
        back = null;
      }
      if (back) {
        back.focus();
      }
    }

    function closeSite() {
      if (popup) {
        map.closePopup(popup);
      }
      if (sheet && !sheet.hidden) {
        sheet.hidden = true;
        sheetBody.textContent = "";
        siteClosed();
      }
    }

    function bottomClearance() {
      // Room the legend and credits take at the bottom of the map: popups stay above it.
      var clear = 10;
      document.querySelectorAll(".leaflet-bottom").forEach(function (corner) {
        clear = Math.max(clear, corner.getBoundingClientRect().height + 10);
      });
      return clear;
    }

    function showSite(i) {
      var site = sites.record(i);
      replacing = true;
      closeSite();
      replacing = false;
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
      var content = view.build(site, sites.statusOf(i));
      openIndex = i;
      document.documentElement.classList.add("gm-site-open");
      if (sheet && narrow.matches) {
        sheetBody.appendChild(content);
        sheet.hidden = false;
        sheet.scrollTop = 0;
      } else {
        var opened = L.popup({
          maxWidth: 380,
          minWidth: 240,
          maxHeight: 420,
          offset: [0, 1],
          autoPanPaddingTopLeft: [10, 10],
          autoPanPaddingBottomRight: [10, bottomClearance()],
        })
          .setLatLng(layer.positionOf(i))
          .setContent(content);
        opened.on("remove", function () {
          if (popup === opened) {
            popup = null;
            siteClosed();
          }
        });
        popup = opened;
        opened.openOn(map);
        var close = opened.getElement().querySelector(".leaflet-popup-close-button");
        if (close) {
          close.setAttribute("aria-label", T.close);
          close.title = T.close;
        }
      }
      var heading = content.querySelector(".gm-pop-title");
      if (heading) {
        heading.focus({ preventScroll: true });
      }
    }

    function openSite(i) {
      var from = document.activeElement;
      if (from && from !== document.body && !(sheet && sheet.contains(from)) &&
          !(popup && popup.getElement() && popup.getElement().contains(from))) {
        opener = from;
      } else if (openIndex === null) {
        opener = null;
      }
      if (list && !index.includes(i)) {
        list.resetFilters();
      }
      if (list) {
        list.markSelected(i);
      }
      layer.reveal(i);
      showSite(i);
      if (!opener || !document.body.contains(opener)) {
        // Opened by a link from elsewhere: closing returns focus to its marker or entry.
        opener = layer.markerElement(i) || (list && list.linkOf(i)) || null;
      }
      document.dispatchEvent(new CustomEvent("gravemap:open", { detail: { id: sites.id(i) } }));
    }

    if (sheet) {
      document.getElementById("gm-sheet-close").addEventListener("click", closeSite);
    }
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && openIndex !== null) {
        e.preventDefault();
        closeSite();
      }
    });

    layer.on("siteclick", function (e) {
      goTo(e.index);
    });
    layer.on("spiderfold", function (e) {
      if (openIndex !== null && e.members.has(openIndex)) {
        closeSite();
      }
    });

    // ---------------------------------------------------------------------------------------
    // The list, in step with the map.

    var list = !onPage ? null : new gravemap.SiteList(cfg, sites, view, function (shown) {
      layer.setFilter(shown);
      if (openIndex !== null && !index.includes(openIndex)) {
        closeSite();
      }
    });

    if (onPage) {
      // gravemap's page makes its own zoom buttons and scale, in the page's language.
      L.control.zoom({ zoomInTitle: T.zoom_in, zoomOutTitle: T.zoom_out }).addTo(map);
      view.scale().addTo(map);
    }
    view.legend().addTo(map);
    if (map.attributionControl) {
      map.attributionControl.addAttribution(cfg.credit);  // a constant written by gravemap
    }
    if (cfg.tiles) {
      // Raster tiles above the basemap (render --tiles): the tile server then sees which area
      // is viewed, and the page says so (#gm-tiles-notice).
      L.tileLayer(cfg.tiles.url, {
        attribution: cfg.tiles.attribution,
        maxZoom: cfg.tiles.maxZoom,
        maxNativeZoom: cfg.tiles.maxZoom,
      }).addTo(map);
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
      if (!onPage) {
        openSite(i);  // a map in someone else's page: its address is not gravemap's to change
        return;
      }
      var hash = fragment(sites.id(i), sites.asOf);
      if (window.location.hash === hash) {
        openSite(i);
      } else {
        window.location.hash = hash;  // hashchange opens it
      }
    }

    if (list) list.list.addEventListener("click", function (event) {
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
        if (list) {
          list.refresh();
        }
        if (popup && openIndex !== null) {
          popup.setContent(view.build(sites.record(openIndex), sites.statusOf(openIndex)));
        }
        if (onPage && !fromFragment && window.history && window.history.replaceState) {
          var state = parseFragment(window.location.hash);
          var hash = fragment(state.site, value);
          window.history.replaceState(null, "", hash || window.location.pathname +
            window.location.search);
        }
        document.dispatchEvent(new CustomEvent("gravemap:asof", { detail: { asof: value } }));
      }
      return value;
    }

    if (onPage) window.addEventListener("hashchange", function () {
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
      declutterSoon();
    }

    // ---------------------------------------------------------------------------------------
    // Labels never sit under a marker or cluster: a city or basemap label that a drawn marker
    // covers is hidden until the map moves it clear.

    var declutterQueued = false;

    function hideLabelsUnderMarkers() {
      declutterQueued = false;
      var boxes = [];
      map.getPane("markerPane").querySelectorAll(".leaflet-marker-icon").forEach(function (m) {
        boxes.push(m.getBoundingClientRect());
      });
      function under(r) {
        return boxes.filter(function (b) {
          return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
        });
      }
      var labels = map.getContainer().querySelectorAll(".gm-city-label, .gm-basemap-label");
      labels.forEach(function (node) {
        node.classList.remove("gm-under-marker");
        var city = node.classList.contains("gm-city-label");
        if (city) {
          node.style.translate = "";
        }
        var r = node.getBoundingClientRect();
        if (!r.width) {
          return;
        }
        var covering = under(r);
        if (covering.length && city) {
          // A city label moves out from under the disc at its centre, on its reading side.
          var edge = fa ? Math.min.apply(null, covering.map(function (b) { return b.left; }))
            : Math.max.apply(null, covering.map(function (b) { return b.right; }));
          var dx = fa ? edge - 3 - r.right : edge + 3 - r.left;
          node.style.translate = dx + "px 0";
          covering = under({ left: r.left + dx, right: r.right + dx, top: r.top, bottom: r.bottom });
        }
        if (covering.length) {
          node.classList.add("gm-under-marker");
        }
      });
    }

    var declutterTimers = 0;

    function declutterSoon() {
      // After the browser has laid the map out, and once more when it has settled (labels
      // placed by other scripts on the same events may move after the first pass): every
      // change gets its settling pass, however close it follows the one before.
      if (!declutterQueued) {
        declutterQueued = true;
        window.requestAnimationFrame(hideLabelsUnderMarkers);
      }
      declutterTimers += 1;
      setTimeout(function () {
        declutterTimers -= 1;
        hideLabelsUnderMarkers();
      }, 120);
    }

    // Markers drawn again (redraw) or given new icons (restyle, as the "as of" date moves).
    layer.on("redraw restyle", declutterSoon);
    map.on("zoomend moveend", declutterSoon);

    // ---------------------------------------------------------------------------------------
    // Print: the map as a figure with its legend, then every site shown (all, or those the
    // filters leave) with its status history and sources, one a page, then the version, the
    // published hash and the date printed.

    function preparePrint() {
      var out = document.getElementById("gm-print");
      if (!out) {
        return;
      }
      out.textContent = "";
      // The legend printed under the map figure (on the map it would cover sites).
      var legend = document.querySelector(".gm-legend");
      if (legend) {
        var key = legend.cloneNode(true);
        key.open = true;
        key.className = "gm-legend gm-print-legend";
        out.appendChild(key);
      }
      out.appendChild(view.el("h2", "gm-print-heading", T.print_sites));
      var shown = list ? list.shown : index.points;
      shown.forEach(function (i) {
        var article = view.el("article", "gm-print-site");
        article.appendChild(view.build(sites.record(i), sites.statusOf(i)));
        out.appendChild(article);
      });
      var about = document.getElementById("gm-about").cloneNode(true);
      about.removeAttribute("id");
      about.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
      about.className = "gm-print-about";
      var today = new Date().toISOString().slice(0, 10);
      about.appendChild(view.el("p", null, T.printed_on + ": " + view.digits(today)));
      out.appendChild(about);
      // The figure shows every site printed, at the print size where the browser gives it.
      if (!screenView) {
        screenView = { centre: map.getCenter(), zoom: map.getZoom() };
      }
      map.invalidateSize({ animate: false, pan: false });
      if (shown.length) {
        var bounds = L.latLngBounds(shown.map(function (i) { return [sites.lat(i), sites.lon(i)]; }));
        map.fitBounds(bounds, { animate: false, padding: [30, 30], maxZoom: 8 });
      }
    }

    var screenView = null;

    function afterPrint() {
      map.invalidateSize({ animate: false, pan: false });
      if (screenView) {
        map.setView(screenView.centre, screenView.zoom, { animate: false });
        screenView = null;
      }
    }

    if (onPage) {
      window.addEventListener("beforeprint", preparePrint);
      window.addEventListener("afterprint", afterPrint);
      if (window.matchMedia) {
        var printing = window.matchMedia("print");
        var onPrint = function (e) {
          if (e.matches) {
            preparePrint();
          } else {
            afterPrint();
          }
        };
        if (printing.addEventListener) {
          printing.addEventListener("change", onPrint);
        } else {
          printing.addListener(onPrint);
        }
      }
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
    gravemap.preparePrint = preparePrint;
    gravemap.drawBasemap = drawBasemap;
    gravemap.declutterLabels = hideLabelsUnderMarkers;
    gravemap.labelsSettled = function () {  // no pass of hideLabelsUnderMarkers still to come
      return !declutterQueued && declutterTimers === 0;
    };
    gravemap.closeSite = closeSite;
    gravemap.openSite = function (id) {
      var i = indexOfId(id);
      if (i !== undefined) {
        goTo(i);
      }
      return i !== undefined;
    };

    var first = onPage ? parseFragment(window.location.hash) : { site: null, asof: null };
    sites.asOf = first.asof;
    if (list) {
      document.getElementById("gm-app").classList.add("gm-started");
      list.renderMore(gravemap.SiteList.FIRST_CHUNK);
      list.updateCount();
    }
    layer.addTo(map);
    timings.markers = performance.now();
    var firstIndex = indexOfId(first.site);
    if (firstIndex !== undefined) {
      openSite(firstIndex);
    }
    timings.ready = performance.now();
    if (document.readyState === "complete") {
      setTimeout(drawBasemap, 0);
    } else {
      window.addEventListener("load", function () { setTimeout(drawBasemap, 0); });
    }
    window.gravemapReady = true;
    document.documentElement.setAttribute("data-gravemap-ready", "true");
    var later = window.requestIdleCallback ? window.requestIdleCallback.bind(window) : function (fn, options) {
      setTimeout(fn, options.timeout / 5);
    };
    if (list) {
      later(function () { list.listProvinces(); }, { timeout: 1000 });
    }
    later(cityLabels, { timeout: 500 });
  }
})((window.gravemap = window.gravemap || {}));
