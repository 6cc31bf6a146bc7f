/* gravemap timeline: the "as of" control, the chart's years, and the marks the timeline adds.
 *
 * Runs after gravemap-start.js and uses its API (window.gravemap: setAsOf, getAsOf, sites,
 * layer, list, view, NOT_YET; the `gravemap:asof` event). The chart itself is SVG written by
 * gravemap.timeline in Python; its years are buttons (click, Enter or Space) that set the
 * "as of" date to that year, so an open site stays open.
 *
 * - A range input (months from the first dated entry to the end of the last, then "the latest
 *   reports") with a play/pause button, labelled in both calendars; moving it recolours the
 *   markers, the list and the open site (gravemap.setAsOf: recolouring, not rebuilding), at
 *   most once per animation frame, and writes `asof` into the fragment with replaceState.
 * - A site with no report by the chosen date is drawn "not yet reported" (hollow, dashed grey).
 * - A site whose history includes bulldozed, paved over or built upon (Sites.erasureAt) keeps
 *   a mark whatever a later entry says: a dark ring round its marker and swatch, "· bulldozed
 *   2009" in its list entry, a line in its popup; the legend explains both.
 */
(function (gravemap) {
  "use strict";

  var configBlock = document.getElementById("gm-tl-config");
  if (!configBlock || !gravemap.ready) {
    return;
  }
  var TL = JSON.parse(configBlock.textContent);
  gravemap.ready(start);

  function start() {
    var sites = gravemap.sites;
    var cfg = sites.cfg;
    var box = document.getElementById("gm-tl-control");
    if (!box || !gravemap.list) {
      return;
    }
    var T = TL.labels;
    var view = gravemap.view;
    var list = gravemap.list;
    var layer = gravemap.layer;
    var NOT_YET = gravemap.NOT_YET;
    var fa = cfg.lang === "fa";
    var months = TL.months;  // [[YYYY-MM, label in both calendars], ...]
    var LATEST = months.length;  // the range's last position: no "as of" date
    var PLAY_STEP_MS = 90;  // one month per step while playing
    var YEAR = 12;  // PageUp / PageDown move a year

    // ---------------------------------------------------------------------------------------
    // The erasure mark and "not yet reported": how a site reads at the date shown.

    function erasureOf(i) {
      return sites.erasureAt(i, sites.asOf, TL.erasure);
    }

    function erasureYear(entry) {
      // The year its date starts ("2009"), "2009–2010" for a span over two years, "" undated.
      if (!entry[0]) {
        return "";
      }
      var first = entry[0].slice(0, 4);
      var last = entry[1].slice(0, 4);
      var year = first === last ? first : first + "–" + last;
      return fa ? toPersian(year) : year;
    }

    function erasureText(entry, shownStatus) {
      // "bulldozed 2009", or only "2009" beside a status that already says "Bulldozed".
      var year = erasureYear(entry);
      if (entry[2] === shownStatus) {
        return year || T.undated;
      }
      var name = lowerFirst(view.statusName(entry[2]));
      return year ? T.erased.replace("{status}", name).replace("{year}", year)
        : T.erased_undated.replace("{status}", name);
    }

    function lowerFirst(name) {
      // "Bulldozed" -> "bulldozed" inside an English sentence (Persian has no case).
      return fa ? name : name.charAt(0).toLowerCase() + name.slice(1);
    }

    function toPersian(text) {
      return String(text).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
    }

    // Markers: the page's icons, or one of ours (made once each) when a site is not yet
    // reported or carries the erasure mark.
    var icons = Object.create(null);
    var baseIcon = layer.style.icon;
    layer.style.icon = function (i) {
      var status = sites.statusOf(i);
      var erased = erasureOf(i) !== null;
      if (status !== NOT_YET && !erased) {
        return baseIcon(i);
      }
      var notYet = status === NOT_YET;  // hollow as the page draws it, and dashed
      var approx = view.isApprox(sites.precisionOf(i)) || notYet;
      var key = status + (approx ? "~" : "") + (erased ? "!" : "");
      if (!icons[key]) {
        icons[key] = L.divIcon({
          className: "gm-mk gm-st-" + view.knownStatus(status) + (approx ? " gm-approx" : "") +
            (notYet ? " gm-not-yet" : "") + (erased ? " gm-erased" : ""),
          iconSize: [16, 16],
          popupAnchor: [0, -6],
        });
      }
      return icons[key];
    };

    // List entries: "At risk · bulldozed 2009", and the ring on the swatch.
    var baseItem = list.item;
    list.item = function (i) {
      var li = baseItem.call(list, i);
      if (sites.statusOf(i) === NOT_YET) {
        var hollow = li.querySelector(".gm-sw");
        if (hollow) {
          hollow.classList.add("gm-not-yet");
        }
      }
      var entry = erasureOf(i);
      if (entry) {
        var sw = li.querySelector(".gm-sw");
        if (sw) {
          sw.classList.add("gm-erased");
        }
        var meta = li.querySelector(".gm-item-meta");
        if (meta) {
          var shown = sites.statusOf(i);
          meta.appendChild(document.createTextNode(entry[2] === shown ? " " : " · "));
          meta.appendChild(view.el("span", "gm-erasure", erasureText(entry, shown)));
        }
      }
      return li;
    };

    // The open site: the mark under its status, and the date it is shown as of.
    var byId = null;
    function indexOfId(id) {
      if (byId === null) {
        byId = new Map();
        for (var n = sites.total - 1; n >= 0; n--) {
          byId.set(sites.id(n), n);
        }
      }
      return byId.get(id);
    }
    var baseBuild = view.build;
    view.build = function (site, shownStatus) {
      var root = baseBuild.call(view, site, shownStatus);
      var i = indexOfId(site.id);
      var status = root.querySelector(".gm-pop-status");
      if (i === undefined || !status) {
        return root;
      }
      var entry = erasureOf(i);
      if (entry) {
        var line = view.el("p", "gm-erasure");
        var sw = view.swatch(entry[2], site.p);
        sw.classList.add("gm-erased");
        line.appendChild(sw);
        // "Reported bulldozed: January 2009 (Dey–Bahman 1387 SH)", the date as the history has it.
        var parts = T.erased_popup.split("{date}");
        line.appendChild(document.createTextNode(" " + parts[0].replace("{status}",
          lowerFirst(view.statusName(entry[2])))));
        line.appendChild(view.dateNode(entry[3]));
        line.appendChild(document.createTextNode(parts.slice(1).join("")));
        status.parentNode.insertBefore(line, status.nextSibling);
      }
      if (sites.asOf !== null) {
        status.appendChild(document.createTextNode(" "));
        status.appendChild(view.el("span", "gm-pop-asof", "(" +
          T.as_of.replace("{date}", dateLabel(sites.asOf)) + ")"));
      }
      return root;
    };

    // The legend: what the two new marks mean.
    var keys = document.querySelector(".gm-legend-keys");
    if (keys) {
      [["unknown", T.legend_erased, "gm-erased"], [NOT_YET, T.legend_not_yet, "gm-not-yet"]]
        .forEach(
        function (item) {
          var li = view.el("li");
          var sw = view.swatch(item[0], "site");
          if (item[2]) {
            sw.classList.add(item[2]);
          }
          li.appendChild(sw);
          li.appendChild(view.el("span", null, item[1]));
          keys.appendChild(li);
        }
      );
    }

    // ---------------------------------------------------------------------------------------
    // The control.

    function dateLabel(asOf) {
      if (asOf === null) {
        return T.latest;
      }
      if (Object.prototype.hasOwnProperty.call(TL.years, asOf)) {
        return TL.years[asOf];
      }
      var at = positionOf(asOf);
      if (at < LATEST && months[at][0] === asOf) {
        return months[at][1];
      }
      return fa ? toPersian(asOf) : asOf;
    }

    function positionOf(asOf) {
      // The range position showing `asOf`: its month, or December of a year (as of 2010 means
      // by the end of 2010); before the first month, the first; null, the last.
      if (asOf === null) {
        return LATEST;
      }
      var month = asOf.length === 4 ? asOf + "-12" : asOf.slice(0, 7);
      var lo = 0, hi = months.length - 1;
      if (hi < 0) {
        return LATEST;
      }
      if (month > months[hi][0]) {
        return hi;
      }
      while (lo < hi) {  // the first month >= `month`
        var mid = (lo + hi) >> 1;
        if (months[mid][0] < month) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    var label = view.el("label", "gm-tl-label", T.control);
    label.htmlFor = "gm-tl-range";
    var output = view.el("output", "gm-tl-output");
    output.id = "gm-tl-output";
    output.htmlFor = "gm-tl-range";
    var row = view.el("div", "gm-tl-row");
    var play = view.el("button", null, T.play);
    play.type = "button";
    play.id = "gm-tl-play";
    play.setAttribute("aria-pressed", "false");
    play.setAttribute("aria-controls", "gm-tl-range");
    var range = document.createElement("input");
    range.type = "range";
    range.id = "gm-tl-range";
    range.className = "gm-tl-range";
    range.min = "0";
    range.max = String(LATEST);
    range.step = "1";
    range.dir = "ltr";  // time runs left to right on both pages, as the chart does
    range.setAttribute("aria-describedby", "gm-tl-output");
    var latest = view.el("button", null, T.show_latest);
    latest.type = "button";
    latest.id = "gm-tl-latest";
    row.appendChild(play);
    row.appendChild(range);
    row.appendChild(latest);
    box.appendChild(label);
    box.appendChild(output);
    box.appendChild(row);
    if (!months.length) {
      range.disabled = play.disabled = latest.disabled = true;
    }

    var chartYears = Array.prototype.slice.call(
      document.querySelectorAll("#gm-timeline .gm-tl-year")
    );

    function showState() {
      var asOf = sites.asOf;
      var text = dateLabel(asOf);
      range.value = String(positionOf(asOf));
      range.setAttribute("aria-valuetext", text);
      output.textContent = text;
      latest.disabled = asOf === null;
      var year = asOf === null ? null : asOf.slice(0, 4);
      chartYears.forEach(function (node) {
        var current = node.getAttribute("data-year") === year;
        node.classList.toggle("gm-tl-current", current);
        node.setAttribute("aria-pressed", current ? "true" : "false");
      });
    }

    var pending = null;  // the value to apply at the next frame (null: none pending)
    var LATEST_VALUE = {};  // pending "no date"
    function setPosition(position) {
      // Apply at most once per frame: a dragged range fires far more often than it can paint.
      var wanted = position >= LATEST ? null : months[Math.max(0, position)][0];
      if (pending === null) {
        window.requestAnimationFrame(function () {
          var value = pending;
          pending = null;
          gravemap.setAsOf(value === LATEST_VALUE ? null : value);
          showState();
        });
      }
      pending = wanted === null ? LATEST_VALUE : wanted;
    }
    range.addEventListener("input", function () {
      stop();
      setPosition(Number(range.value));
    });
    range.addEventListener("keydown", function (event) {
      if (event.key !== "PageUp" && event.key !== "PageDown") {
        return;
      }
      event.preventDefault();
      stop();
      var next = Number(range.value) + (event.key === "PageUp" ? YEAR : -YEAR);
      range.value = String(Math.min(LATEST, Math.max(0, next)));
      setPosition(Number(range.value));
    });
    latest.addEventListener("click", function () {
      stop();
      gravemap.setAsOf(null);
      showState();
    });

    var timer = null;
    function stop() {
      if (timer !== null) {
        clearInterval(timer);
        timer = null;
        play.textContent = T.play;
        play.setAttribute("aria-pressed", "false");
      }
    }
    play.addEventListener("click", function () {
      if (timer !== null) {
        stop();
        return;
      }
      var position = Number(range.value);
      if (position >= LATEST) {
        position = -1;  // from the start again
      }
      play.textContent = T.pause;
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        position += 1;
        range.value = String(position);
        setPosition(position);
        if (position >= LATEST) {
          stop();
        }
      }, PLAY_STEP_MS);
    });

    chartYears.forEach(function (year) {
      function choose(event) {
        event.preventDefault();
        stop();
        gravemap.setAsOf(year.getAttribute("data-year"));
        showState();
      }
      year.addEventListener("click", choose);
      year.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          choose(event);
        }
      });
    });

    document.addEventListener("gravemap:asof", showState);

    // The marks apply from the start (with or without a date in the fragment), and a site a
    // permalink opened before this script ran is shown again with them.
    layer.refresh();
    list.refresh();
    var opened = /(?:^#|&)site=([^&]*)/.exec(window.location.hash);
    if (opened && document.querySelector(".gm-pop")) {
      try {
        gravemap.openSite(decodeURIComponent(opened[1]));
      } catch (err) {
        // a malformed id in the fragment: nothing to reopen
      }
    }
    showState();
  }
})((window.gravemap = window.gravemap || {}));
