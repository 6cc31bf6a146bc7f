/* gravemap.Sites: the sites embedded in the page, looked up by their index in file order.
 *
 * `gm-sites` holds one short row per site with what the map, the list, search and filters
 * need: [id, lat, lon, status*4+precision, verification, name, name_fa, city, city_fa,
 * province], where verification and the places index `strings`. `gm-details` holds the table of
 * dates ([iso, shown] pairs) on its first line, then the rest of each site (history, sources,
 * notes...) as one JSON array per line, packed by render.DETAIL_KEYS and parsed only when that
 * site is opened (or when a status "as of" a date is first asked for).
 *
 * No Leaflet here, and no DOM beyond reading the two blocks.
 */
(function (gravemap) {
  "use strict";

  var ID = 0, LAT = 1, LON = 2, KIND = 3, VER = 4, NAME = 5, NAME_FA = 6, CITY = 7;
  var CITY_FA = 8, PROVINCE = 9;
  // The pseudo-status of a site with no dated report on or before the chosen "as of" date.
  var NOT_YET = "not-yet-reported";

  function Sites(cfg, core, detailSource) {
    // `core`: the parsed gm-sites block; `detailSource()`: the text of gm-details.
    this.cfg = cfg;
    this.rows = core.sites;
    this.strings = core.strings;
    this.spellings = core.spellings || {};  // a city's index in `strings` -> its other spellings
    this.total = this.rows.length;
    this.dates = null;  // [iso, shown] pairs, referred to by index
    this.asOf = null;  // null: the latest status; else an ISO date prefix (YYYY, YYYY-MM...)
    this._detailSource = detailSource;
    this._detailText = null;
    this._lineStarts = null;
    this._histories = null;  // per site: [[first day of the entry's date, status], ...]
  }

  Sites.NOT_YET = NOT_YET;

  Sites.prototype = {
    id: function (i) { return this.rows[i][ID]; },
    lat: function (i) { return this.rows[i][LAT]; },
    lon: function (i) { return this.rows[i][LON]; },
    name: function (i) { return this.rows[i][NAME]; },
    nameFa: function (i) { return this.rows[i][NAME_FA]; },
    city: function (i) { return this.strings[this.rows[i][CITY]]; },
    cityFa: function (i) { return this.strings[this.rows[i][CITY_FA]]; },
    province: function (i) { return this.strings[this.rows[i][PROVINCE]]; },
    cityKnownAs: function (i, key) {
      // Whether `key` (a typed place keyed as SiteList.searchKey keys it) is, or begins, one of
      // the other spellings the geocoder knows for the site's city (render.page_data).
      var row = this.rows[i];
      return this._spelledAs(row[CITY], key) || this._spelledAs(row[CITY_FA], key);
    },

    _spelledAs: function (ref, key) {
      var keys = this.spellings[ref];
      if (!keys || key.length < 3) {
        return false;
      }
      if (typeof keys === "string") {
        keys = this.spellings[ref] = keys.split(" ");  // split once per city
      }
      for (var k = 0; k < keys.length; k++) {
        if (keys[k] === key || (key.length >= 4 && keys[k].lastIndexOf(key, 0) === 0)) {
          return true;
        }
      }
      return false;
    },
    provinceRef: function (i) { return this.rows[i][PROVINCE]; },  // an index into `strings`
    verification: function (i) { return this.strings[this.rows[i][VER]]; },

    latestStatus: function (i) {
      return this.cfg.statuses[this.rows[i][KIND] >> 2] || "unknown";
    },

    statusOf: function (i) {
      // The status shown: the latest, or the one in force on the "as of" date.
      return this.asOf === null ? this.latestStatus(i) : this.statusAt(i, this.asOf);
    },

    precisionOf: function (i) {
      return this.cfg.precisions[this.rows[i][KIND] & 3];
    },

    details: function (i) {
      if (this._detailText === null) {
        var text = (this._detailText = this._detailSource());
        var starts = (this._lineStarts = new Int32Array(this.total + 2));
        var at = 0;
        for (var n = 0; n <= this.total; n++) {
          starts[n] = at;
          at = text.indexOf("\n", at) + 1;
        }
        starts[this.total + 1] = text.length + 1;
        this.dates = JSON.parse(text.slice(0, starts[1] - 1));
      }
      return JSON.parse(
        this._detailText.slice(this._lineStarts[i + 1], this._lineStarts[i + 2] - 1)
      );
    },

    unpack: function (values, kind) {
      // An array packed by render.DETAIL_KEYS back into a record (absent keys left out).
      var keys = this.cfg.detailKeys[kind];
      var out = {};
      var self = this;
      for (var n = 0; n < keys.length && n < values.length; n++) {
        var value = values[n];
        if (value === null) {
          continue;
        }
        if (keys[n] === "h" || keys[n] === "src") {
          value = value.map(function (item) {
            return self.unpack(item, keys[n]);
          });
        } else if (keys[n] === "vi") {
          value = this.unpack(value, "vi");
        }
        out[keys[n]] = value;
      }
      return out;
    },

    record: function (i) {
      // The display record of one site (the format of render.public_sites).
      var site = this.unpack(this.details(i), "");
      site.id = this.id(i);
      site.y = this.lat(i);
      site.x = this.lon(i);
      site.s = this.latestStatus(i);
      site.p = this.precisionOf(i);
      site.v = this.verification(i);
      site.n = this.name(i);
      site.nf = this.nameFa(i);
      site.c = this.city(i);
      site.cf = this.cityFa(i);
      site.pv = this.province(i);
      return site;
    },

    // -------------------------------------------------------------------------------------
    // Status as of a date (the timeline's hook).

    history: function (i) {
      // [[start, end, status, date], ...] of the site's entries in stored order (undated
      // first, then by start; see gravemap.dates). `start` is the first day the entry's date
      // may mean; `end` its last, written so that text comparison with `asOf + "~"` tells
      // whether it is over by then (`2009` -> "2009~", a span `a/b` -> "b~"); both are "" for
      // an undated entry. `date` indexes `dates`.
      if (this._histories === null) {
        this._histories = new Array(this.total);
      }
      var found = this._histories[i];
      if (found === undefined) {
        found = [];
        var packed = this.details(i)[this.cfg.detailKeys[""].indexOf("h")];
        var keys = this.cfg.detailKeys.h;
        var S = keys.indexOf("s"), D = keys.indexOf("d");
        var dates = this.dates;
        (packed || []).forEach(function (entry) {
          var date = dates[entry[D]];
          var iso = date ? String(date[0]) : "";
          var parts = iso.split("/");
          found.push([parts[0], iso ? parts[parts.length - 1] + "~" : "", entry[S], entry[D]]);
        });
        this._histories[i] = found;
      }
      return found;
    },

    statusAt: function (i, asOf) {
      // The status of the site's last entry whose date is known to be on or before `asOf` (an
      // ISO date or prefix: `2010` means by 31 December 2010): its whole span is over by then.
      // NOT_YET when there is none. Undated entries are not placed in time, so they never
      // decide a status "as of" a date. The rule of gravemap.timeline.status_as_of.
      var entries = this.history(i);
      var limit = asOf + "~";  // "~" sorts after digits and "-": every day of the prefix
      var status = NOT_YET;
      for (var n = 0; n < entries.length; n++) {
        if (entries[n][0] && entries[n][1] <= limit) {
          status = entries[n][2];
        }
      }
      return status;
    },

    erasureAt: function (i, asOf, erasing) {
      // The first entry ([start, end, status, date]) reporting one of the statuses `erasing`
      // (bulldozed, paved over, built upon: timeline.ERASURE_STATUSES), known by `asOf`; with
      // `asOf` null any entry, a dated one first. null when there is none. The rule of
      // gravemap.timeline.erasure.
      var entries = this.history(i);
      var limit = asOf === null ? null : asOf + "~";
      var undated = null;
      for (var n = 0; n < entries.length; n++) {
        var entry = entries[n];
        if (erasing.indexOf(entry[2]) < 0) {
          continue;
        }
        if (!entry[0]) {
          undated = undated || (limit === null ? entry : null);
        } else if (limit === null || entry[1] <= limit) {
          return entry;
        }
      }
      return undated;
    },
  };

  gravemap.Sites = Sites;
})((window.gravemap = window.gravemap || {}));
