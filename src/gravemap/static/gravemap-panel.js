/* gravemap.SiteList: the panel's list of sites, its search and filters.
 *
 * Filtered in memory; rendered in chunks as it scrolls into view (FIRST_CHUNK at once, then
 * CHUNK more each time the "Show more" button nears the view). Calls `onFilter(indices)` with
 * the sites that match whenever the filters change, so the map shows the same sites.
 */
(function (gravemap) {
  "use strict";

  var FIRST_CHUNK = 40;  // more than fills the panel; the rest is rendered as it scrolls
  var CHUNK = 200;
  var TYPING_PAUSE_MS = 200;  // search runs once typing pauses this long

  function fold(text) {
    // Search folding: case, Arabic letter forms as Persian ones, no diacritics or joiners.
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u064a\u0649\u0626]/g, "\u06cc")
      .replace(/\u0643/g, "\u06a9")
      .replace(/[\u0629\u06c0]/g, "\u0647")
      .replace(/[\u064b-\u065f\u0670\u0640\u200c\u200d]/g, "");
  }

  function searchKey(text) {
    // A typed place keyed as `geocode.normalize_name` keys a name (the keys the page carries
    // for each city's other spellings): no case, accents, spaces or punctuation, and the
    // Arabic letter forms and hamza carriers as the plain Persian letters.
    return fold(text)
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0624/g, "\u0648")
      .replace(/[\u0621\u0654]/g, "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "")
      .replace(/[^\p{L}\p{N}]/gu, "");
  }

  function SiteList(cfg, sites, view, onFilter) {
    this.cfg = cfg;
    this.sites = sites;
    this.view = view;
    this.onFilter = onFilter;
    this.list = document.getElementById("gm-list");
    this.more = document.getElementById("gm-more");
    this.countLine = document.getElementById("gm-count");
    this.panel = document.getElementById("gm-panel");
    this.query = document.getElementById("gm-q");
    this.fStatus = document.getElementById("gm-f-status");
    this.fProvince = document.getElementById("gm-f-province");
    this.fVerification = document.getElementById("gm-f-verification");
    this.empty = document.getElementById("gm-empty");
    var total = sites.total;
    this.all = new Array(total);
    for (var i = 0; i < total; i++) {
      this.all[i] = i;
    }
    this.shown = this.all;
    this.rendered = 0;
    this.items = new Map();  // site index -> its list entry, while rendered
    this.selected = null;
    this._provincesListed = false;
    this._haystacks = null;
    this._listen();
  }

  SiteList.fold = fold;
  SiteList.searchKey = searchKey;
  SiteList.FIRST_CHUNK = FIRST_CHUNK;

  SiteList.prototype = {
    _listen: function () {
      var self = this;
      ["focus", "pointerdown", "keydown"].forEach(function (type) {
        self.fProvince.addEventListener(type, function () { self.listProvinces(); });
      });
      var timer = null;
      this.query.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { self.applyFilters(); }, TYPING_PAUSE_MS);
      });
      [this.fStatus, this.fProvince, this.fVerification].forEach(function (select) {
        select.addEventListener("change", function () { self.applyFilters(); });
      });
      this.more.addEventListener("click", function () {
        self.renderMore();
      });
      if ("IntersectionObserver" in window) {
        new IntersectionObserver(
          function (entries) {
            if (entries.some(function (e) { return e.isIntersecting; }) && !self.more.hidden) {
              self.renderMore();
            }
          },
          { root: this.panel, rootMargin: "400px" }
        ).observe(this.more);
      }
    },

    listProvinces: function () {
      // The province filter's options, sorted for the interface language. Done after start:
      // the first locale-aware comparison loads ICU collation data (tens of milliseconds).
      if (this._provincesListed) {
        return;
      }
      this._provincesListed = true;
      var sites = this.sites;
      var seen = Object.create(null);
      for (var n = 0; n < sites.total; n++) {
        seen[sites.provinceRef(n)] = true;
      }
      var lang = this.cfg.lang;
      var view = this.view;
      var select = this.fProvince;
      Object.keys(seen)
        .map(function (k) {
          return sites.strings[k];
        })
        .filter(Boolean)
        .sort(function (a, b) {
          return a.localeCompare(b, lang);
        })
        .forEach(function (name) {
          var option = view.el("option", null, name);
          option.value = name;
          select.appendChild(option);
        });
    },

    item: function (index) {
      var sites = this.sites;
      var view = this.view;
      var li = view.el("li", "gm-item");
      li.setAttribute("data-site-id", sites.id(index));
      var a = view.el("a", "gm-item-link");
      a.href = "#site=" + encodeURIComponent(sites.id(index));
      var status = sites.statusOf(index);
      a.appendChild(view.swatch(status, sites.precisionOf(index)));
      var names = view.el("span", "gm-item-names");
      view.appendNames(names, sites.name(index), sites.nameFa(index));
      a.appendChild(names);
      var meta = view.el("span", "gm-item-meta");
      meta.appendChild(view.place(sites.city(index), sites.cityFa(index), sites.province(index)));
      meta.appendChild(document.createTextNode(" · " + view.statusName(status)));
      a.appendChild(meta);
      li.appendChild(a);
      if (this.selected === index) {
        li.classList.add("gm-selected");
      }
      this.items.set(index, li);
      return li;
    },

    renderMore: function (size) {
      var end = Math.min(this.rendered + (size || CHUNK), this.shown.length);
      var fragment = document.createDocumentFragment();
      for (var n = this.rendered; n < end; n++) {
        fragment.appendChild(this.item(this.shown[n]));
      }
      this.list.appendChild(fragment);
      this.rendered = end;
      this.more.hidden = this.rendered >= this.shown.length;
    },

    updateCount: function () {
      var view = this.view;
      this.countLine.textContent = this.cfg.labels.count
        .replace("{shown}", view.number(this.shown.length))
        .replace("{total}", view.number(this.sites.total));
      if (this.empty) {
        this.empty.hidden = this.shown.length > 0;  // "no matches", said in words
      }
    },

    haystack: function (index) {
      if (!this._haystacks) {
        this._haystacks = new Array(this.sites.total);
      }
      if (this._haystacks[index] === undefined) {
        var s = this.sites;
        this._haystacks[index] = fold(
          [s.id(index), s.name(index), s.nameFa(index), s.city(index), s.cityFa(index),
            s.province(index)].join("\n")
        );
      }
      return this._haystacks[index];
    },

    filtersActive: function () {
      return Boolean(
        this.query.value.trim() || this.fStatus.value || this.fProvince.value ||
          this.fVerification.value
      );
    },

    _rerender: function () {
      this.list.textContent = "";
      this.items = new Map();
      this.rendered = 0;
      this.renderMore(FIRST_CHUNK);
      this.updateCount();
    },

    applyFilters: function () {
      var q = fold(this.query.value.trim());
      var key = searchKey(this.query.value);  // "Ahwaz" also finds the sites in Ahvaz
      var status = this.fStatus.value;
      var province = this.fProvince.value;
      var verification = this.fVerification.value;
      var sites = this.sites;
      if (!this.filtersActive()) {
        this.shown = this.all;
      } else {
        var shown = (this.shown = []);
        for (var n = 0; n < sites.total; n++) {
          if (status && sites.statusOf(n) !== status) continue;
          if (province && sites.province(n) !== province) continue;
          if (verification && sites.verification(n) !== verification) continue;
          if (q && this.haystack(n).indexOf(q) < 0 && !sites.cityKnownAs(n, key)) continue;
          shown.push(n);
        }
      }
      this._rerender();
      this.onFilter(this.shown);
    },

    refresh: function () {
      // Statuses changed (the "as of" date moved): filter again, or redraw the entries shown.
      if (this.fStatus.value) {
        this.applyFilters();
        return;
      }
      // Only the entries that now read differently are replaced: moving the "as of" date
      // changes a few, and rebuilding them all cost a relayout of the whole list each step.
      var self = this;
      this.items.forEach(function (old, index) {
        var fresh = self.item(index);  // registers itself in `items`
        if (fresh.isEqualNode(old)) {
          self.items.set(index, old);
        } else if (old.parentNode) {
          old.parentNode.replaceChild(fresh, old);
        }
      });
    },

    resetFilters: function () {
      if (!this.filtersActive()) {
        return;
      }
      this.query.value = "";
      this.fStatus.value = "";
      this.fProvince.value = "";
      this.fVerification.value = "";
      this.applyFilters();
    },

    linkOf: function (index) {
      var item = this.items.get(index);
      return item ? item.querySelector("a") : null;
    },

    markSelected: function (index) {
      var items = this.items;
      if (!items.has(index)) {
        // Keep the list in step: render down to the site's entry if it is listed.
        var at = this.shown.indexOf(index);
        if (at >= this.rendered) {
          this.renderMore(at - this.rendered + 1);
        }
      }
      if (this.selected !== null && items.has(this.selected)) {
        items.get(this.selected).classList.remove("gm-selected");
      }
      this.selected = index;
      if (items.has(index)) {
        items.get(index).classList.add("gm-selected");
        items.get(index).scrollIntoView({ block: "nearest" });
      }
    },
  };

  gravemap.SiteList = SiteList;
})((window.gravemap = window.gravemap || {}));
