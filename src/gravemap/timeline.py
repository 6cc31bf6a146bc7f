"""What was reported when: status entries per year, the dated events, each site as of a date.

The rules, in one place (the `timeline` command, the chart on the map and the page's "as of"
control all follow them):

- An entry is placed in the year its date STARTS. A Gregorian date (`2009`, `2009-01`,
  `2009-01-15`) lies within one year. A Solar Hijri year or month is stored as the exact
  Gregorian span it covers (`2009-03-21/2010-03-20`); when that span reaches into the next
  Gregorian year, the entry is still counted once, in the year it starts, and flagged
  (`spans_years`), so that nothing is counted twice or claimed more precisely than reported.
- An undated entry (its source gives no date) is never given a year: it is counted apart.
- A site's status as of a date is the status of its last entry whose date is KNOWN to be on or
  before that date: the entry's whole span ends on or before the last day the date may mean
  (as of `2010` means by 31 December 2010; an entry dated `2010` counts, one dated
  `2010-03-21/2011-03-20` does not yet). None: nothing was reported by then.
- A site is marked as erased when its history includes `bulldozed`, `paved-over` or
  `built-upon`, whatever a later entry says: the mark names the first such entry and its year.

Everything that goes on a page is read through the public view (`public.public_view`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gravemap import dates, model

__all__ = [
    "ERASURE_STATUSES",
    "Erasure",
    "Event",
    "Timeline",
    "YearCount",
    "build_timeline",
    "chart_svg",
    "erasure",
    "page_parts",
    "status_as_of",
    "timeline_of",
]

#: Statuses that erase a grave; a site once reported so keeps the mark.
ERASURE_STATUSES = ("bulldozed", "paved-over", "built-upon")


@dataclass(frozen=True)
class YearCount:
    """Entries reporting `status` whose date starts in `year`, and how many sites they concern.

    `spanning` counts those whose date (a Solar Hijri year or month) reaches into the next year.
    """

    year: int
    status: str
    entries: int
    sites: int
    spanning: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "status": self.status,
            "entries": self.entries,
            "sites": self.sites,
            "spanning": self.spanning,
        }


@dataclass(frozen=True)
class Event:
    """One dated status entry of one site, as reported."""

    site: str
    name: str
    date: str
    date_text: str | None
    status: str
    publishers: tuple[str, ...]
    note: str | None
    year: int
    #: The last year the date may mean, when it is later than `year` (a Solar Hijri span).
    end_year: int | None = None
    #: The first and last day the date may mean.
    start: _dt.date = _dt.date.min
    end: _dt.date = _dt.date.max

    @property
    def spans_years(self) -> bool:
        return self.end_year is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "name": self.name,
            "date": self.date,
            "date_text": self.date_text,
            "shown": dates.format_date(self.date, self.date_text),
            "year": self.year,
            "spans_years": self.spans_years,
            "status": self.status,
            "publishers": list(self.publishers),
            "note": self.note,
        }


@dataclass(frozen=True)
class Timeline:
    """Per year and status counts (oldest first), the dated events, the undated entries."""

    counts: list[YearCount]
    events: list[Event]
    #: Undated entries per status (never given a year), and the sites they concern.
    undated: dict[str, int] = field(default_factory=dict)
    undated_sites: int = 0
    #: The first day the oldest dated entry may mean, the last day the latest may (None: none).
    first_day: _dt.date | None = None
    last_day: _dt.date | None = None

    @property
    def undated_entries(self) -> int:
        return sum(self.undated.values())

    @property
    def years(self) -> list[int]:
        """Every year from the first dated entry to the last (empty years included)."""
        if not self.counts:
            return []
        return list(range(self.counts[0].year, self.counts[-1].year + 1))

    def totals(self) -> dict[int, dict[str, int]]:
        """{year: {status: entries}} for the years that have entries."""
        out: dict[int, dict[str, int]] = {}
        for row in self.counts:
            out.setdefault(row.year, {})[row.status] = row.entries
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "years": [row.to_json() for row in self.counts],
            "undated": {
                "entries": self.undated_entries,
                "sites": self.undated_sites,
                "by_status": dict(self.undated),
            },
        }


@dataclass(frozen=True)
class Erasure:
    """The first entry of a site's history that reports it bulldozed, paved over or built upon."""

    status: str
    date: str | None
    year: int | None


# ---------------------------------------------------------------------------------------------
# Counting.


def _dated(value: Any) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day a stored date may mean, or None for an undated entry."""
    return _stored_span(value) if isinstance(value, str) and value else None


@functools.lru_cache(maxsize=65_536)  # a data file repeats its dates many times over
def _stored_span(value: str) -> tuple[_dt.date, _dt.date] | None:
    return dates.span(value) if dates.is_stored_date(value) else None


def build_timeline(
    data: Mapping[str, Any],
    *,
    statuses: Iterable[str] = (),
    province: str | None = None,
    include_private: bool = False,
    include_withheld: bool = False,
    city_centre: Any = None,
    events: bool = True,
    view: Mapping[str, Any] | None = None,
) -> Timeline:
    """The timeline of a stored collection (as `store` loads it), through the public view.

    `statuses` keeps only entries reporting one of them; `province` only sites in it (matched
    as `list --province` matches). `include_private` counts every site as stored (withheld
    ones too), for the researcher's own use; `include_withheld` and `city_centre` are passed to
    `public.public_view` (as an internal map's page does); `events=False` skips listing the
    dated entries; `view` is `data`'s public view when the caller has made it already (a page
    makes it once for the map, its hash and this timeline). Raises `public.PublishError`.
    """
    from gravemap.store import paused_gc

    with paused_gc():  # many small objects: the collector's passes would double the time
        if include_private:
            view = data
        elif view is not None:
            pass
        else:
            from gravemap.public import public_view

            view = public_view(
                dict(data), include_withheld=include_withheld, city_centre=city_centre
            )
        features: Iterable[dict[str, Any]] = view.get("features") or ()
        if province is not None:
            keep = model.site_filter(province=province)
            features = [f for f in features if keep(f)]
        return timeline_of(features, statuses=statuses, events=events)


def timeline_of(
    features: Iterable[Mapping[str, Any]],
    *,
    statuses: Iterable[str] = (),
    events: bool = True,
) -> Timeline:
    """The timeline of site Features already viewed and filtered (see `build_timeline`).

    With `events=False` the dated entries are counted but not listed (`events` is empty), which
    is all a map needs and a fraction of the work on 100,000 sites.
    """
    wanted = frozenset(statuses)
    listing = events
    first_day: _dt.date | None = None
    last_day: _dt.date | None = None
    entries: dict[tuple[int, str], int] = {}
    sites: dict[tuple[int, str], set[str]] = {}
    spanning: dict[tuple[int, str], int] = {}
    undated: dict[str, int] = {}
    undated_sites: set[str] = set()
    found_events: list[tuple[_dt.date, int, Event]] = []
    for feature in features:
        props = feature.get("properties") or {}
        site_id = str(feature.get("id"))
        if listing:
            publishers = {
                s.get("id"): s.get("publisher")
                for s in props.get("sources") or ()
                if isinstance(s, Mapping)
            }
        for entry in props.get("status_history") or ():
            if not isinstance(entry, Mapping):
                continue
            status = entry.get("status")
            if wanted and status not in wanted:
                continue
            value = entry.get("date")
            found = _dated(value)
            if found is None:
                undated[status] = undated.get(status, 0) + 1
                undated_sites.add(site_id)
                continue
            first, last = found
            key = (first.year, status)
            entries[key] = entries.get(key, 0) + 1
            sites.setdefault(key, set()).add(site_id)
            if last.year != first.year:
                spanning[key] = spanning.get(key, 0) + 1
            if first_day is None or first < first_day:
                first_day = first
            if last_day is None or last > last_day:
                last_day = last
            if not listing:
                continue
            named = tuple(
                dict.fromkeys(
                    publishers[s]
                    for s in entry.get("sources") or ()
                    if isinstance(publishers.get(s), str)
                )
            )
            event = Event(
                site=site_id,
                name=str(props.get("name") or site_id),
                date=value,
                date_text=entry.get("date_text"),
                status=status,
                publishers=named,
                note=entry.get("note"),
                year=first.year,
                end_year=last.year if last.year != first.year else None,
                start=first,
                end=last,
            )
            found_events.append((first, len(found_events), event))
    order = {status: n for n, status in enumerate(model.STATUSES)}
    counts = [
        YearCount(year, status, n, len(sites[(year, status)]), spanning.get((year, status), 0))
        for (year, status), n in sorted(
            entries.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99))
        )
    ]
    found_events.sort(key=lambda item: (item[0], item[1]))
    return Timeline(
        counts=counts,
        events=[event for _first, _n, event in found_events],
        undated={s: undated[s] for s in sorted(undated, key=lambda s: order.get(s, 99))},
        undated_sites=len(undated_sites),
        first_day=first_day,
        last_day=last_day,
    )


# ---------------------------------------------------------------------------------------------
# One site over time.


def _history(site: Any) -> list[Mapping[str, Any]]:
    """The status entries of a stored Feature, its properties, or a `model.Site`, as dicts."""
    if isinstance(site, model.Site):
        return [change.to_json() for change in site.status_history]
    if isinstance(site, Mapping):
        props = site.get("properties") if "properties" in site else site
        history = props.get("status_history") if isinstance(props, Mapping) else None
        return [e for e in history or () if isinstance(e, Mapping)]
    raise TypeError(f"expected a site (Feature, properties or model.Site), got {site!r}")


def _last_day(when: str | _dt.date) -> _dt.date:
    if isinstance(when, _dt.date):
        return when
    return dates.span(when)[1]


def _known_by(entry: Mapping[str, Any], last_day: _dt.date) -> bool:
    found = _dated(entry.get("date"))
    return found is not None and found[1] <= last_day  # undated: never placed in time


def status_as_of(site: Any, when: str | _dt.date) -> str | None:
    """The site's status as of `when` (a stored date such as `2010`, `2018-07`, or a day).

    The status of its last entry whose date is known to be on or before the last day `when`
    may mean; None when no such entry exists (nothing reported by then). Raises `DateError`
    for a `when` that is not a date.
    """
    last_day = _last_day(when)
    history = sorted(_history(site), key=dates.sort_key)  # stable: entry order breaks ties
    known = [entry for entry in history if _known_by(entry, last_day)]
    return known[-1].get("status") if known else None


def erasure(site: Any, when: str | _dt.date | None = None) -> Erasure | None:
    """The first entry reporting the site bulldozed, paved over or built upon, or None.

    With `when`, only entries known by then count (as `status_as_of`); without, every entry,
    undated ones too (year None), dated ones first.
    """
    history = _history(site)
    last_day = _last_day(when) if when is not None else None
    found: list[tuple[tuple[int, _dt.date], Mapping[str, Any]]] = []
    for entry in history:
        if entry.get("status") not in ERASURE_STATUSES:
            continue
        if last_day is not None and not _known_by(entry, last_day):
            continue
        key = dates.sort_key(entry)
        found.append(((1 - key[0], key[1]), entry))  # dated first, then the oldest
    if not found:
        return None
    entry = min(found, key=lambda item: item[0])[1]
    found = _dated(entry.get("date"))
    return Erasure(
        status=str(entry["status"]),
        date=entry["date"] if found else None,
        year=found[0].year if found else None,
    )


# ---------------------------------------------------------------------------------------------
# The chart on the map: inline SVG made here, from the same `Timeline` as the command.

CHART_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Reported status entries per year",
        "desc": "A bar for each year from {first} to {last}, stacked by the status reported; "
        "{entries} dated entries in all. The table below gives the same numbers.",
        "empty": "No dated status entries.",
        "year": "Year",
        "status": "Status",
        "entries": "Entries",
        "sites": "Sites",
        "entry": "{n} entry",
        "entries_n": "{n} entries",
        "show_year": "{year}: {count}. Show every site's status as of {year}",
        "undated": "Undated entries, not placed in any year: {entries} (at {sites} sites).",
        "spanning": "{n} of them dated by a Solar Hijri year or month that runs into {next}.",
    },
    "fa": {
        "title": "شمار گزارش‌های وضعیت در هر سال",
        "desc": "برای هر سال از {first} تا {last} یک ستون، بخش‌بندی‌شده بر پایهٔ وضعیت گزارش‌شده؛ "
        "روی هم {entries} گزارش تاریخ‌دار. جدول زیر همین شمارها را می‌دهد.",
        "empty": "هیچ گزارش وضعیت تاریخ‌داری نیست.",
        "year": "سال",
        "status": "وضعیت",
        "entries": "گزارش‌ها",
        "sites": "مکان‌ها",
        "entry": "{n} گزارش",
        "entries_n": "{n} گزارش",
        "show_year": "{year}: {count}. نمایش وضعیت همهٔ مکان‌ها در {year}",
        "undated": "گزارش‌های بی‌تاریخ که در هیچ سالی شمرده نشده‌اند: {entries} (در {sites} مکان).",
        "spanning": "{n} مورد از آن‌ها با سال یا ماه خورشیدی‌ای تاریخ خورده که تا {next} ادامه دارد.",
    },
}

# One texture per status, drawn over its colour, so the bars read without colour too:
# (lines as SVG path data in a 6x6 tile, dots as (cx, cy) centres).
_TEXTURES: dict[str, tuple[str, tuple[tuple[float, float], ...]]] = {
    "intact": ("", ()),
    "at-risk": ("", ((1.5, 1.5), (4.5, 4.5))),
    "damaged": ("M0 6L6 0", ()),
    "bulldozed": ("M0 1.5H6M0 4.5H6", ()),
    "paved-over": ("M0 6L6 0M0 0L6 6", ()),
    "built-upon": ("M1.5 0V6M4.5 0V6", ()),
    "exhumed": ("M0 0L6 6", ()),
    "unknown": ("", ((3, 3),)),
}
_BAR = 10  # bar width, in SVG units
_GAP = 3
_PLOT_H = 64
_TOP = 12  # room for the totals above the bars
_BOTTOM = 14  # room for the year labels
_LEFT = 4
_RIGHT = 4


def _digits(text: Any, lang: str) -> str:
    from gravemap.text import persian_digits

    return persian_digits(str(text)) if lang == "fa" else str(text)


def pattern_id(status: str) -> str:
    """The id of a status's fill pattern in the page (for the chart and its key)."""
    return f"gm-tlp-{status}"


def _pattern(status: str, colour: str) -> str:
    path, dots = _TEXTURES.get(status, ("", ()))
    ink = "#000" if status in ("at-risk", "intact", "exhumed", "unknown") else "#fff"
    parts = [
        f'<pattern id="{pattern_id(status)}" width="6" height="6" patternUnits="userSpaceOnUse">',
        f'<rect width="6" height="6" fill="{html.escape(colour)}"/>',
    ]
    if path:
        parts.append(f'<path d="{path}" stroke="{ink}" stroke-width="1" opacity="0.6"/>')
    parts += [f'<circle cx="{x}" cy="{y}" r="0.9" fill="{ink}" opacity="0.6"/>' for x, y in dots]
    parts.append("</pattern>")
    return "".join(parts)


def chart_svg(
    line: Timeline,
    *,
    colours: Mapping[str, str],
    names: Mapping[str, str],
    lang: str = "en",
    statuses: Sequence[str] = model.STATUSES,
) -> str:
    """The timeline as HTML: an inline SVG bar chart of entries per year stacked by status, a
    key of the statuses it shows (texture and name), and the same numbers as a visually hidden
    table. Every year is a button (focusable, named by its numbers) that the page's script makes
    set the "as of" date to that year.

    `colours` and `names` give each status its colour and shown name. Only SVG presentation
    attributes are used (the page's content security policy allows no inline style).
    """
    labels = CHART_LABELS[lang]
    esc = html.escape
    years = line.years
    if not years:
        return f'<p class="gm-tl-empty">{esc(labels["empty"])}</p>'
    totals = line.totals()
    highest = max(sum(by.values()) for by in totals.values())
    shown = [s for s in statuses if any(s in by for by in totals.values())]
    width = _LEFT + len(years) * (_BAR + _GAP) - _GAP + _RIGHT
    height = _TOP + _PLOT_H + _BOTTOM
    entries = sum(row.entries for row in line.counts)
    desc = labels["desc"].format(
        first=_digits(years[0], lang),
        last=_digits(years[-1], lang),
        entries=_digits(entries, lang),
    )
    step = max(1, -(-len(years) // 8))  # at most about 8 year labels
    out = [
        f'<svg class="gm-tl-chart" viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="gm-tl-title" aria-describedby="gm-tl-desc" '
        f'xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f'<title id="gm-tl-title">{esc(labels["title"])}</title>',
        f'<desc id="gm-tl-desc">{esc(desc)}</desc>',
        "<defs>" + "".join(_pattern(s, colours.get(s, "#8C8C8C")) for s in shown) + "</defs>",
        f'<line x1="0" x2="{width}" y1="{_TOP + _PLOT_H + 0.5}" y2="{_TOP + _PLOT_H + 0.5}" '
        'stroke="#555" stroke-width="1"/>',
    ]
    for n, year in enumerate(years):
        x = _LEFT + n * (_BAR + _GAP)
        by = totals.get(year, {})
        total = sum(by.values())
        count = (labels["entry"] if total == 1 else labels["entries_n"]).format(
            n=_digits(total, lang)
        )
        parts = [f"{names.get(s, s)} {_digits(by[s], lang)}" for s in statuses if s in by]
        aria = labels["show_year"].format(year=_digits(year, lang), count=count)
        if parts:
            aria = aria.replace(count, f"{count} ({', '.join(parts)})", 1)
        out.append(
            f'<g class="gm-tl-year" role="button" tabindex="0" data-year="{year}" '
            f'aria-label="{esc(aria)}">'
            f'<rect class="gm-tl-hit" x="{x - _GAP / 2}" y="0" width="{_BAR + _GAP}" '
            f'height="{height}" fill="transparent"/>'
        )
        y = _TOP + _PLOT_H
        for status in statuses:
            if status not in by:
                continue
            h = _PLOT_H * by[status] / highest
            y -= h
            out.append(
                f'<rect class="gm-tl-bar" data-status="{esc(status)}" x="{x}" y="{y:.2f}" '
                f'width="{_BAR}" height="{h:.2f}" fill="url(#{pattern_id(status)})" '
                'stroke="#222" stroke-width="0.5"/>'
            )
        if total:
            out.append(
                f'<text x="{x + _BAR / 2}" y="{y - 2:.2f}" text-anchor="middle" '
                f'font-size="7" fill="#222">{_digits(total, lang)}</text>'
            )
        if n % step == 0 or n == len(years) - 1 and (len(years) - 1) % step >= step / 2:
            out.append(
                f'<text x="{x + _BAR / 2}" y="{height - 3}" text-anchor="middle" '
                f'font-size="7.5" fill="#222">{_digits(year, lang)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    key = ['<ul class="gm-tl-key">']
    for status in shown:
        key.append(
            '<li><svg class="gm-tl-sw" viewBox="0 0 12 12" aria-hidden="true" focusable="false">'
            f'<rect width="12" height="12" fill="url(#{pattern_id(status)})" stroke="#222" '
            f'stroke-width="1"/></svg>{esc(names.get(status, status))}</li>'
        )
    key.append("</ul>")
    table = [
        '<table class="gm-visually-hidden gm-tl-table">',
        f"<caption>{esc(labels['title'])}</caption>",
        "<thead><tr>"
        + "".join(
            f'<th scope="col">{esc(labels[k])}</th>' for k in ("year", "status", "entries", "sites")
        )
        + "</tr></thead><tbody>",
    ]
    for row in line.counts:
        table.append(
            f'<tr data-year="{row.year}"><th scope="row">{_digits(row.year, lang)}</th>'
            f"<td>{esc(names.get(row.status, row.status))}</td>"
            f"<td>{_digits(row.entries, lang)}</td><td>{_digits(row.sites, lang)}</td></tr>"
        )
    table.append("</tbody></table>")
    notes = []
    if line.undated_entries:
        notes.append(
            labels["undated"].format(
                entries=_digits(line.undated_entries, lang), sites=_digits(line.undated_sites, lang)
            )
        )
    for row in line.counts:
        if row.spanning:
            notes.append(
                f"{_digits(row.year, lang)}, {names.get(row.status, row.status)}: "
                + labels["spanning"].format(
                    n=_digits(row.spanning, lang), next=_digits(row.year + 1, lang)
                )
            )
    note = "".join(f'<p class="gm-tl-note">{esc(text)}</p>' for text in notes)
    return "".join(out) + "".join(key) + "".join(table) + note


# ---------------------------------------------------------------------------------------------
# The page: the chart's section and what the page's "as of" control needs.

PAGE_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Timeline",
        "control": "Show each site's status as of",
        "latest": "the latest reports",
        "play": "Play",
        "pause": "Pause",
        "show_latest": "Latest",
        "legend_not_yet": "Hollow grey: nothing reported yet by the chosen date",
        "legend_erased": "Dark ring: reported bulldozed, paved over or built upon, "
        "whatever was reported later",
        "erased": "{status} {year}",
        "erased_undated": "{status} (undated)",
        "erased_popup": "Reported {status}: {date}",
        "as_of": "As of {date}",
        "undated": "undated",
    },
    "fa": {
        "heading": "گاه‌شمار",
        "control": "وضعیت هر مکان در تاریخ",
        "latest": "آخرین گزارش‌ها",
        "play": "پخش",
        "pause": "توقف",
        "show_latest": "آخرین",
        "legend_not_yet": "خاکستری توخالی: تا تاریخ برگزیده هنوز گزارشی نیست",
        "legend_erased": "حلقهٔ تیره: زمانی تخریب، بتن‌ریزی یا ساخت‌وساز بر روی آن گزارش شده، "
        "هرچه پس از آن گزارش شده باشد",
        "erased": "{status} {year}",
        "erased_undated": "{status} (بدون تاریخ)",
        "erased_popup": "گزارش {status}: {date}",
        "as_of": "در {date}",
        "undated": "بدون تاریخ",
    },
}


def _months(first: _dt.date, last: _dt.date) -> list[str]:
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def page_config(line: Timeline, *, lang: str = "en") -> dict[str, Any]:
    """What the page's script needs: each month from the first dated entry to the end of the
    last, and each year, with its label in both calendars; labels; the erasure statuses."""
    config: dict[str, Any] = {
        "labels": PAGE_LABELS[lang],
        "erasure": list(ERASURE_STATUSES),
        "months": [],
        "years": {},
    }
    if line.first_day is not None and line.last_day is not None:
        first, last = line.first_day, line.last_day
        config["months"] = [[m, dates.format_date(m, None, lang)] for m in _months(first, last)]
        config["years"] = {
            str(y): dates.format_date(str(y), None, lang) for y in range(first.year, last.year + 1)
        }
    return config


def page_parts(
    data: Mapping[str, Any],
    *,
    colours: Mapping[str, str],
    names: Mapping[str, str],
    lang: str = "en",
    include_withheld: bool = False,
    city_centre: Any = None,
    view: Mapping[str, Any] | None = None,
) -> tuple[str, dict[str, Any]]:
    """(the timeline section's HTML, the script's config) for a map of `data`.

    The chart and the control come from `build_timeline` over the same public view the map
    shows (`view`, when the page has made it), so the page's years are the command's years.
    """
    line = build_timeline(
        data, include_withheld=include_withheld, city_centre=city_centre, events=False, view=view
    )
    heading = html.escape(PAGE_LABELS[lang]["heading"])
    section = (
        '<section id="gm-timeline" aria-labelledby="gm-tl-heading">'
        f'<h2 id="gm-tl-heading">{heading}</h2>'
        '<div id="gm-tl-control"></div>'
        f'<div class="gm-tl-figure">{chart_svg(line, colours=colours, names=names, lang=lang)}'
        "</div></section>"
    )
    return section, page_config(line, lang=lang)
