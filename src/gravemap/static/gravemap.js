/* gravemap: builds the markers, popups and site list from the JSON embedded in the page.
 *
 * Every piece of site text reaches the page through textContent, setAttribute or a DOM
 * property, never through innerHTML, so names, notes and quotes are shown, never run.
 * Links are set only for http(s) addresses (checked in Python and again here).
 * Scale: one marker object per site, clustered in chunks; popups are built when opened;
 * the list is rendered in chunks as it is scrolled. window.gravemapReady turns true once the
 * markers, the first part of the list and any #site=ID permalink are shown.
 */
(function () {
  "use strict";

  var timings = (window.gravemapTimings = { start: performance.now() });
  var cfg = JSON.parse(document.getElementById("gm-config").textContent);
  var data = JSON.parse(document.getElementById("gm-sites").textContent);
  var sites = data.sites;
  var dates = data.dates;  // [iso, shown] pairs, referred to by index
  var T = cfg.labels;
  var fa = cfg.lang === "fa";
  var map = window[cfg.map];
  var CHUNK = 200;
  var SAFE_URL = /^https?:\/\/[^\s]+$/i;

  timings.parsed = performance.now();
  var byId = Object.create(null);
  var i;
  for (i = 0; i < sites.length; i++) {
    byId[sites[i].id] = i;
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

  function number(n) {
    return Number(n).toLocaleString(fa ? "fa-IR" : "en-GB");
  }

  function statusName(status) {
    return T.status_names[status] || status;
  }

  function isApprox(site) {
    return cfg.approximate.indexOf(site.p) >= 0;
  }

  function knownStatus(status) {
    return Object.prototype.hasOwnProperty.call(cfg.colours, status) ? status : "unknown";
  }

  function swatch(site) {
    var sw = el("span", "gm-sw gm-st-" + knownStatus(site.s));
    if (isApprox(site)) {
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

  function appendNames(parent, site) {
    // Both scripts; the interface language's script first.
    var latin = auto("span", "gm-name", site.n);
    var farsi = site.nf ? persian(site.nf, "span") : null;
    var first = fa && farsi ? farsi : latin;
    var second = fa && farsi ? latin : farsi;
    parent.appendChild(first);
    if (second) {
      parent.appendChild(document.createTextNode(" · "));
      parent.appendChild(second);
    }
  }

  function place(site) {
    var span = el("span", "gm-place");
    var city = fa && site.cf ? site.cf : site.c;
    var other = fa ? site.c : site.cf;
    var parts = [];
    if (city) {
      parts.push(auto("span", null, city));
    }
    if (other && other !== city) {
      parts.push(fa ? auto("span", null, other) : persian(other));
    }
    if (site.pv) {
      parts.push(auto("span", null, site.pv));
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
    if (typeof value === "string") {
      p.appendChild(auto("span", null, value));
    } else {
      p.appendChild(value);
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
    appendNames(title, site);
    root.appendChild(title);
    root.appendChild(place(site));

    var status = el("p", "gm-pop-status");
    status.appendChild(swatch(site));
    status.appendChild(el("strong", null, statusName(site.s)));
    root.appendChild(status);

    field(root, T.verification, T.verification_names[site.v] || site.v);
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
  // Markers: one per site, clustered; sites sharing a point spiderfy at the deepest zoom.

  var icons = Object.create(null);

  function iconFor(site) {
    var status = knownStatus(site.s);
    var approx = isApprox(site);
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

  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
    return L.divIcon({
      html: "<span>" + number(n) + "</span>",  // a number only, never site text
      className: "gm-cluster",
      iconSize: [size, size],
    });
  }

  var loading = 0;
  var afterLoad = [];

  function whenLoaded(fn) {
    if (loading) {
      afterLoad.push(fn);
    } else {
      fn();
    }
  }

  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    chunkInterval: 150,
    chunkDelay: 10,
    animate: false,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    removeOutsideVisibleBounds: true,
    maxClusterRadius: 45,
    iconCreateFunction: clusterIcon,
    chunkProgress: function (done, total) {
      if (done >= total) {
        loading = 0;
        var queued = afterLoad;
        afterLoad = [];
        queued.forEach(function (fn) {
          fn();
        });
      }
    },
  });

  var markers = new Array(sites.length);
  for (i = 0; i < sites.length; i++) {
    var marker = L.marker([sites[i].y, sites[i].x], {
      icon: iconFor(sites[i]),
      title: sites[i].n,
      keyboard: true,
    });
    marker.gmIndex = i;
    markers[i] = marker;
  }
  timings.markers = performance.now();
  map.addLayer(cluster);

  function showMarkers(indices) {
    loading = 1;
    cluster.clearLayers();
    var layers = new Array(indices.length);
    for (var n = 0; n < indices.length; n++) {
      layers[n] = markers[indices[n]];
    }
    cluster.addLayers(layers);
  }

  var uncertainty = null;

  function clearUncertainty() {
    if (uncertainty) {
      map.removeLayer(uncertainty);
      uncertainty = null;
    }
  }

  function showPopup(index) {
    var site = sites[index];
    var m = markers[index];
    clearUncertainty();
    if (isApprox(site)) {
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
    m.unbindPopup();
    m.bindPopup(buildPopup(site), { maxWidth: 380, minWidth: 240, maxHeight: 420 });
    m.once("popupclose", clearUncertainty);
    m.openPopup();
  }

  // How close to zoom for each precision: never closer than the position is known.
  var PRECISION_ZOOM = { exact: 14, site: 14, city: 10, province: 7 };
  var SPIDER_MAX = 60;

  function reveal(index, done) {
    // Zoom to where the marker stands alone, or spiderfy the cluster it is in (sites that
    // share one point, or sites near an approximate one, fan out round it).
    var m = markers[index];
    var site = sites[index];
    if (m._icon && map.getBounds().contains(m.getLatLng())) {
      done();
      return;
    }
    cluster.unspiderfy();
    var parent = m.__parent;
    var alone = parent ? parent._zoom + 1 : map.getZoom();
    var want = PRECISION_ZOOM[site.p] || 14;
    var zoom = isApprox(site) ? want : Math.max(alone, want);
    zoom = Math.min(zoom, map.getMaxZoom());
    map.setView([site.y, site.x], zoom, { animate: false });
    var visible = cluster.getVisibleParent(m);
    if (visible && visible !== m && visible.getChildCount() > SPIDER_MAX) {
      map.setView([site.y, site.x], Math.min(alone, map.getMaxZoom()), { animate: false });
      visible = cluster.getVisibleParent(m);
    }
    if (visible && visible !== m && visible.spiderfy) {
      visible.spiderfy();
    }
    done();
  }

  function openSite(index) {
    markSelected(index);
    var go = function () {
      reveal(index, function () {
        showPopup(index);
      });
    };
    if (!cluster.hasLayer(markers[index])) {
      resetFilters();
    }
    whenLoaded(go);
  }

  cluster.on("click", function (event) {
    var index = event.layer && event.layer.gmIndex;
    if (typeof index === "number") {
      goTo(index);
    }
  });

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
        li.appendChild(swatch({ s: status, p: "site" }));
        li.appendChild(el("span", null, statusName(status)));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      var keys = el("ul", "gm-legend-keys");
      [
        [{ s: "unknown", p: "site" }, T.legend_exact],
        [{ s: "unknown", p: "city" }, T.legend_approx],
      ].forEach(function (pair) {
        var li = el("li");
        li.appendChild(swatch(pair[0]));
        li.appendChild(el("span", null, pair[1]));
        keys.appendChild(li);
      });
      var li = el("li");
      li.appendChild(el("span", "gm-sw gm-sw-cluster"));
      li.appendChild(el("span", null, T.legend_cluster));
      keys.appendChild(li);
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
  var all = new Array(sites.length);
  for (i = 0; i < sites.length; i++) {
    all[i] = i;
  }
  var shown = all;
  var rendered = 0;
  var items = Object.create(null);
  var selected = null;

  var provinces = Object.create(null);
  sites.forEach(function (site) {
    if (site.pv) {
      provinces[site.pv] = true;
    }
  });
  Object.keys(provinces)
    .sort(function (a, b) {
      return a.localeCompare(b, cfg.lang);
    })
    .forEach(function (name) {
      var option = el("option", null, name);
      option.value = name;
      fProvince.appendChild(option);
    });

  function listItem(index) {
    var site = sites[index];
    var li = el("li", "gm-item");
    li.setAttribute("data-site-id", site.id);
    var a = el("a", "gm-item-link");
    a.href = "#site=" + encodeURIComponent(site.id);
    a.appendChild(swatch(site));
    var names = el("span", "gm-item-names");
    appendNames(names, site);
    a.appendChild(names);
    var meta = el("span", "gm-item-meta");
    meta.appendChild(place(site));
    meta.appendChild(document.createTextNode(" · " + statusName(site.s)));
    a.appendChild(meta);
    li.appendChild(a);
    if (selected === index) {
      li.classList.add("gm-selected");
    }
    items[index] = li;
    return li;
  }

  function renderMore() {
    var end = Math.min(rendered + CHUNK, shown.length);
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
      .replace("{total}", number(sites.length));
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
      haystacks = new Array(sites.length);
    }
    if (haystacks[index] === undefined) {
      var s = sites[index];
      haystacks[index] = fold(
        [s.id, s.n, s.nf, s.c, s.cf, s.pv].join("\n")
      );
    }
    return haystacks[index];
  }

  function filtersActive() {
    return Boolean(query.value.trim() || fStatus.value || fProvince.value || fVerification.value);
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
      for (var n = 0; n < sites.length; n++) {
        var s = sites[n];
        if (status && s.s !== status) continue;
        if (province && s.pv !== province) continue;
        if (verification && s.v !== verification) continue;
        if (q && haystack(n).indexOf(q) < 0) continue;
        shown.push(n);
      }
    }
    list.textContent = "";
    items = Object.create(null);
    rendered = 0;
    renderMore();
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
  more.addEventListener("click", renderMore);
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
    if (selected !== null && items[selected]) {
      items[selected].classList.remove("gm-selected");
    }
    selected = index;
    if (items[index]) {
      items[index].classList.add("gm-selected");
      items[index].scrollIntoView({ block: "nearest" });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Permalinks: index.html#site=ID opens that site; opening a site updates the address.

  function hashIndex() {
    var match = /^#site=(.+)$/.exec(window.location.hash);
    if (!match) {
      return undefined;
    }
    try {
      return byId[decodeURIComponent(match[1])];
    } catch (err) {
      return undefined;
    }
  }

  function goTo(index) {
    var hash = "#site=" + encodeURIComponent(sites[index].id);
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
  // Start.

  document.getElementById("gm-app").classList.add("gm-started");
  renderMore();
  updateCount();
  showMarkers(all);
  whenLoaded(function () {
    var index = hashIndex();
    if (index !== undefined) {
      openSite(index);
    }
    whenLoaded(function () {
      timings.ready = performance.now();
      window.gravemapReady = true;
      document.documentElement.setAttribute("data-gravemap-ready", "true");
    });
  });
})();
