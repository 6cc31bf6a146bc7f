/* gravemap.SiteView: how one site reads (the popup), and the small text-only DOM helpers the
 * list and the legend share.
 *
 * Every piece of site text reaches the page through textContent, setAttribute or a DOM
 * property, never through innerHTML, so names, notes and quotes are shown, never run.
 * Links are set only for http(s) addresses (checked in Python and again here).
 */
(function (gravemap) {
  "use strict";

  var SAFE_URL = /^https?:\/\/[^\s]+$/i;
  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

  function own(table, key) {
    // A label from a fixed table, never an inherited property ("constructor", "__proto__").
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }

  function SiteView(cfg, sites) {
    this.cfg = cfg;
    this.sites = sites;
    this.T = cfg.labels;
    this.fa = cfg.lang === "fa";
  }

  SiteView.own = own;

  SiteView.prototype = {
    // -------------------------------------------------------------------------------------
    // Small DOM helpers: text only.

    el: function (tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) {
        node.className = cls;
      }
      if (text !== undefined && text !== null) {
        node.textContent = String(text);
      }
      return node;
    },

    persian: function (text, tag) {
      var node = this.el(tag || "span", "gm-fa", text);
      node.lang = "fa";
      node.dir = "auto";
      return node;
    },

    auto: function (tag, cls, text) {
      var node = this.el(tag, cls, text);
      node.dir = "auto";
      return node;
    },

    link: function (url, text) {
      if (typeof url !== "string" || !SAFE_URL.test(url)) {
        return this.auto("span", null, text);
      }
      var a = this.auto("a", null, text);
      a.href = url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      return a;
    },

    number: function (n) {
      // As toLocaleString("en-GB" or "fa-IR") writes integers, without loading the ICU locale
      // data (tens of milliseconds at start).
      var fa = this.fa;
      var text = String(Number(n));
      if (!/^-?\d+$/.test(text)) {
        return Number(n).toLocaleString(fa ? "fa-IR" : "en-GB");
      }
      text = text.replace(/\B(?=(\d{3})+$)/g, fa ? "\u066c" : ",");
      return fa ? text.replace(/\d/g, function (d) { return PERSIAN_DIGITS[d]; }) : text;
    },

    statusName: function (status) {
      if (status === gravemap.Sites.NOT_YET) {
        return this.T.not_yet_reported || String(status);
      }
      return own(this.T.status_names, status) || String(status);
    },

    isApprox: function (precision) {
      return this.cfg.approximate.indexOf(precision) >= 0;
    },

    knownStatus: function (status) {
      return Object.prototype.hasOwnProperty.call(this.cfg.colours, status) ? status : "unknown";
    },

    swatch: function (status, precision) {
      var sw = this.el("span", "gm-sw gm-st-" + this.knownStatus(status));
      if (this.isApprox(precision) || status === gravemap.Sites.NOT_YET) {
        sw.classList.add("gm-approx");
      }
      sw.setAttribute("aria-hidden", "true");
      return sw;
    },

    dateNode: function (index) {
      var date = this.sites.dates[index] || ["", ""];
      var t = this.el("time", date[0] ? "gm-date" : "gm-date gm-undated", date[1]);
      if (/^\d{4}(-\d{2}){0,2}$/.test(date[0])) {
        t.setAttribute("datetime", date[0]);
      }
      return t;
    },

    appendNames: function (parent, name, nameFa) {
      // Both scripts; the interface language's script first.
      var latin = this.auto("span", "gm-name", name);
      var farsi = nameFa ? this.persian(nameFa, "span") : null;
      var first = this.fa && farsi ? farsi : latin;
      var second = this.fa && farsi ? latin : farsi;
      parent.appendChild(first);
      if (second) {
        parent.appendChild(document.createTextNode(" · "));
        parent.appendChild(second);
      }
    },

    same: function (a, b) {
      return String(a || "").toLowerCase().replace(/[\s\u200c-]/g, "") ===
        String(b || "").toLowerCase().replace(/[\s\u200c-]/g, "");
    },

    place: function (cityEn, cityFa, province) {
      // "Rasht, رشت, Gilan" on the English page; "رشت، گیلان" on the Persian one (Persian
      // names first, the province's from the basemap's table). A province named like its city
      // (Tehran in Tehran) is not repeated.
      var fa = this.fa;
      var span = this.el("span", "gm-place");
      var provinceFa = SiteView.own(this.cfg.provincesFa || {}, province);
      var city = fa && cityFa ? cityFa : cityEn || cityFa;
      var area = fa && provinceFa ? provinceFa : province;
      var parts = [];
      if (city) {
        parts.push(fa && city === cityFa ? this.persian(city) : this.auto("span", null, city));
      }
      if (!fa && cityFa && cityFa !== city) {
        parts.push(this.persian(cityFa));
      }
      var repeats = this.same(area, city) || this.same(province, cityEn) ||
        (provinceFa && this.same(provinceFa, cityFa));
      if (area && !repeats) {
        parts.push(fa && area === provinceFa ? this.persian(area) : this.auto("span", null, area));
      }
      parts.forEach(function (part, n) {
        if (n) {
          span.appendChild(document.createTextNode(fa ? "، " : ", "));
        }
        span.appendChild(part);
      });
      return span;
    },

    counted: function (table, n) {
      return n === 1 ? table.one : table.many.replace("{n}", this.number(n));
    },

    verification: function (site) {
      // The verification level, then what it rests on, counted from the sources shown:
      // "Reported — 2 sources from 2 publishers". Never a fixed "one source".
      var T = this.T;
      var sources = site.src || [];
      var publishers = Object.create(null);
      var distinct = 0;
      sources.forEach(function (source) {
        var key = String(source.pb || "").trim().toLowerCase().replace(/\s+/g, " ");
        if (key && !publishers[key]) {
          publishers[key] = true;
          distinct += 1;
        }
      });
      var level = own(T.verification_names, site.v) || String(site.v || "");
      if (!sources.length) {
        return level;
      }
      var basis = T.from
        .replace("{sources}", this.counted(T.sources_count, sources.length))
        .replace("{publishers}", this.counted(T.publishers_count, distinct));
      return level ? level + " — " + basis : basis;
    },

    // -------------------------------------------------------------------------------------
    // The site, built when it is opened.

    field: function (parent, label, value) {
      var p = this.el("p", "gm-field-line");
      p.appendChild(this.el("strong", null, label + ": "));
      if (value instanceof Node) {
        p.appendChild(value);
      } else {
        p.appendChild(this.auto("span", null, String(value)));
      }
      parent.appendChild(p);
      return p;
    },

    cites: function (parent, ids) {
      // Source ids are Latin: isolate them so brackets stay right in Persian text.
      if (ids && ids.length) {
        parent.appendChild(document.createTextNode(" "));
        parent.appendChild(this.el("bdi", "gm-cites", "[" + ids.join(", ") + "]"));
      }
    },

    build: function (site, shownStatus) {
      // The site's view: `site` is a display record (Sites.record), `shownStatus` the status
      // to show at the top (the latest, or the one "as of" the chosen date).
      var self = this;
      var T = this.T;
      var el = this.el.bind(this);
      var auto = this.auto.bind(this);
      var root = el("div", "gm-pop");
      root.lang = this.cfg.lang;
      root.dir = this.fa ? "rtl" : "ltr";
      var title = el("h2", "gm-pop-title");
      title.tabIndex = -1;  // focus moves here when the site opens
      this.appendNames(title, site.n, site.nf);
      root.appendChild(title);
      root.appendChild(this.place(site.c, site.cf, site.pv));

      var status = el("p", "gm-pop-status");
      var shown = shownStatus || site.s;
      status.appendChild(this.swatch(shown, site.p));
      status.appendChild(el("strong", null, this.statusName(shown)));
      root.appendChild(status);

      this.field(root, T.verification, this.verification(site));
      this.field(root, T.precision, T.precision_names[site.p] || site.p);
      if (site.pc) {
        root.appendChild(el("p", "gm-warn", T.published_city));
      }
      if (site.ln) {
        this.field(root, T.location_note, site.ln);
      }
      if (site.vi) {
        var v = site.vi;
        var count = v.lo !== undefined && v.hi !== undefined && v.lo !== v.hi
          ? this.number(v.lo) + "–" + this.number(v.hi)
          : this.number(v.lo !== undefined ? v.lo : v.hi);
        var line = this.field(root, T.victims, count);
        this.cites(line, v.c);
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
          li.appendChild(self.dateNode(entry.d));
          li.appendChild(document.createTextNode(" — "));
          li.appendChild(el("strong", null, self.statusName(entry.s)));
          var publishers = self.publishers(site, entry.c);
          if (publishers) {
            li.appendChild(document.createTextNode(" — "));
            li.appendChild(auto("span", "gm-hist-publisher", publishers));
          }
          self.cites(li, entry.c);
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
          ul.appendChild(self.sourceItem(source));
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
    },

    publishers: function (site, ids) {
      // Who published the sources an entry cites, each named once, in citation order.
      var names = [];
      (ids || []).forEach(function (id) {
        (site.src || []).forEach(function (source) {
          if (source.id === id && source.pb && names.indexOf(source.pb) < 0) {
            names.push(source.pb);
          }
        });
      });
      return names.join("; ");
    },

    sourceItem: function (source) {
      var T = this.T;
      var el = this.el.bind(this);
      var li = el("li");
      li.appendChild(el("bdi", "gm-src-id", "[" + source.id + "]"));
      li.appendChild(document.createTextNode(" "));
      if (source.u) {
        li.appendChild(this.link(source.u, source.t));
      } else {
        li.appendChild(this.auto("span", "gm-src-title", source.t));
      }
      li.appendChild(document.createTextNode(" — "));
      li.appendChild(this.auto("span", "gm-publisher", source.pb));
      if (source.d !== undefined) {
        li.appendChild(document.createTextNode(", "));
        li.appendChild(this.dateNode(source.d));
      }
      if (source.ut) {
        var refused = el("div", "gm-refused");
        refused.appendChild(el("span", null, T.link_refused + ": "));
        refused.appendChild(this.auto("code", null, source.ut));
        li.appendChild(refused);
      }
      if (source.a) {
        li.appendChild(document.createTextNode(" ("));
        li.appendChild(this.link(source.a, T.archived));
        li.appendChild(document.createTextNode(")"));
      } else if (source.at) {
        var refusedArchive = el("div", "gm-refused");
        refusedArchive.appendChild(el("span", null, T.archived + ", " + T.link_refused + ": "));
        refusedArchive.appendChild(this.auto("code", null, source.at));
        li.appendChild(refusedArchive);
      }
      if (source.q) {
        li.appendChild(this.auto("blockquote", "gm-quote", source.q));
      }
      return li;
    },

    digits: function (text) {
      // Latin digits as Persian ones on the Persian page.
      return this.fa ? String(text).replace(/\d/g, function (d) { return PERSIAN_DIGITS[d]; })
        : String(text);
    },

    scale: function () {
      // Leaflet's metric scale bar, its text in the page's language ("۳۰۰ کیلومتر").
      var view = this;
      var Scale = L.Control.Scale.extend({
        _updateScale: function (scale, text, ratio) {
          L.Control.Scale.prototype._updateScale.call(this, scale, text, ratio);
          var parts = /^([\d.]+) (km|m)$/.exec(text);
          if (parts) {
            scale.textContent = view.digits(parts[1]) + " " + view.T.units[parts[2]];
          }
        },
      });
      return new Scale({ imperial: false });
    },

    // -------------------------------------------------------------------------------------
    // The legend: a Leaflet control, bottom left, away from the popups that open above the
    // centred site; it can be folded.

    legend: function () {
      var view = this;
      var Legend = L.Control.extend({
        options: { position: "bottomleft" },
        onAdd: function () {
          var T = view.T;
          var el = view.el.bind(view);
          var box = el("details", "gm-legend leaflet-control");
          // Folded at first where the screen is narrow: it would cover the sites.
          box.open = !(window.matchMedia && window.matchMedia("(max-width: 720px)").matches);
          box.lang = view.cfg.lang;
          box.dir = view.fa ? "rtl" : "ltr";
          box.appendChild(el("summary", null, T.legend));
          var ul = el("ul", "gm-legend-statuses");
          view.cfg.statuses.forEach(function (status) {
            var li = el("li");
            li.appendChild(view.swatch(status, "site"));
            li.appendChild(el("span", null, view.statusName(status)));
            ul.appendChild(li);
          });
          box.appendChild(ul);
          var keys = el("ul", "gm-legend-keys");
          [
            [view.swatch("unknown", "site"), T.legend_exact],
            [view.swatch("unknown", "city"), T.legend_approx],
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
      return new Legend();
    },
  };

  gravemap.SiteView = SiteView;
})((window.gravemap = window.gravemap || {}));
