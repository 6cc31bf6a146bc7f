"""Publish sites as one self-contained, safe, bilingual HTML map.

The page is a folium map (`layer.PageMap`) holding a `layer.SitesLayer`, the same folium plugin
a notebook can put on any map, inside gravemap's own Jinja2 page template (`static/page.html`).
Every script, stylesheet and the offline basemap are inlined (Leaflet from the XStatic package,
gravemap's files from `static/`), so the page opens from a USB stick and, without `--tiles`,
makes no request at all. The sites are embedded once, as JSON in non-executable
`<script type="application/json">` blocks (see `site_blocks`), and the browser clusters them and
builds markers, popups and the list with DOM APIs and `textContent`: user text is never parsed as
HTML or JavaScript, and 100,000 sites render in seconds rather than minutes.

What reaches the page is the public view (`gravemap.public.public_view`): `private`, `added`
and the location query never do; `publish: city` moves a site to its city's centre;
`publish: withheld` leaves the site out. The same data gives byte-identical HTML.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import hashlib
import html
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from gravemap import model
from gravemap.dates import format_date as _format_stored_date
from gravemap.dates import is_stored_date
from gravemap.errors import TilesError
from gravemap.public import PublishError

try:  # writes the page's data ten times faster than the standard library (see _json_bytes)
    from orjson import dumps as _orjson_dumps
except ImportError:  # pragma: no cover - orjson is a dependency
    _orjson_dumps = None

__all__ = [
    "DEFAULT_TITLE",
    "DEFAULT_TITLES",
    "LANGUAGES",
    "PublishError",
    "TilesError",
    "public_sites",
    "render_map",
    "render_page",
    "tile_source",
]

DEFAULT_TITLE = "Reported mass-grave sites of the 1988 executions in Iran"
DEFAULT_TITLES = {
    "en": DEFAULT_TITLE,
    "fa": "محل‌های گزارش‌شدهٔ گورهای جمعی اعدام‌های ۱۳۶۷ در ایران",
}
LANGUAGES = ("en", "fa")

# Okabe & Ito's colour-blind-safe palette; grey for "unknown" so no hue claims a status.
STATUS_COLOURS = {
    "intact": "#009E73",
    "at-risk": "#F0E442",
    "damaged": "#E69F00",
    "bulldozed": "#D55E00",
    "paved-over": "#CC79A7",
    "built-upon": "#0072B2",
    "exhumed": "#56B4E9",
    "unknown": "#8C8C8C",
}
STATUSES = tuple(STATUS_COLOURS)
APPROXIMATE = ("city", "province")
# Radius in metres of the dashed circle drawn round a city- or province-level position.
UNCERTAINTY_M = {"city": 10_000, "province": 75_000}

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright" rel="noopener noreferrer" '
    'target="_blank">OpenStreetMap</a> contributors'
)
MAX_ZOOM = 18
CENTRE = (32.4, 53.7)  # Iran, so an empty map still opens on the right country
START_ZOOM = 5

LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "search": "Search",
        "search_placeholder": "Name, city, province or id",
        "status": "Status",
        "province": "Province",
        "verification": "Verification",
        "all": "All",
        "count": "{shown} of {total} sites",
        "more": "Show more",
        "legend": "Current status",
        "legend_exact": "Filled: the site itself is located",
        "legend_approx": "Hollow: only the city or province is known (dashed circle when opened)",
        "legend_cluster": "Disc: several sites, its ring coloured by their statuses; "
        "click or press Enter to expand",
        "history": "Status history",
        "sources": "Sources",
        "archived": "archived copy",
        "link_refused": "link not shown: not an http(s) address",
        "precision": "Location",
        "location_note": "Location note",
        "victims": "Reported victims",
        "notes": "Notes",
        "cites": "sources",
        "permalink": "Link to this site",
        "published_city": "Shown at the city's centre on purpose; the precise location is "
        "not published.",
        "about": "About this map",
        "data_hash": "SHA-256 of the published data",
        "hash_explained": "This is the hash of the exact file that `gravemap export --format "
        "geojson` writes by default from the data this map shows. To check the map, run "
        "`gravemap verify MAP DATA`, or compare this value with `sha256sum` of that export.",
        "printed_on": "Printed on",
        "version": "gravemap version",
        "tiles_notice": "This map loads tiles from {host}: that server sees which area you view.",
        "no_matches": "No site matches this search or filter.",
        "not_yet_reported": "Not yet reported",
        "open_site": "Site",
        "sources_count": {"one": "1 source", "many": "{n} sources"},
        "publishers_count": {"one": "1 publisher", "many": "{n} publishers"},
        "from": "{sources} from {publishers}",
        "print_sites": "Sites",
        "made_with": "Made with gravemap",
        "credits": "Map library: Leaflet (BSD-2-Clause). City positions: GeoNames (CC BY 4.0).",
        "no_js": "This map needs JavaScript to show the sites.",
        "site_list": "Sites",
        "zoom_in": "Zoom in",
        "zoom_out": "Zoom out",
        "close": "Close",
        "units": {"km": "km", "m": "m"},
        "status_names": {
            "intact": "Intact",
            "at-risk": "At risk",
            "damaged": "Damaged",
            "bulldozed": "Bulldozed",
            "paved-over": "Paved over",
            "built-upon": "Built upon",
            "exhumed": "Exhumed",
            "unknown": "Unknown",
        },
        "verification_names": {
            "reported": "Reported",
            "corroborated": "Corroborated (independent publishers)",
            "verified": "Verified (imagery or on-site)",
        },
        "precision_names": {
            "exact": "Exact coordinates from a source or survey",
            "site": "The site located by a researcher",
            "city": "Approximate: city centre only (about 10 km)",
            "province": "Approximate: province only (about 75 km)",
        },
    },
    "fa": {
        "search": "جستجو",
        "search_placeholder": "نام، شهر، استان یا شناسه",
        "status": "وضعیت",
        "province": "استان",
        "verification": "اعتبارسنجی",
        "all": "همه",
        "count": "{shown} از {total} مکان",
        "more": "نمایش بیشتر",
        "legend": "وضعیت کنونی",
        "legend_exact": "توپر: خود مکان مشخص است",
        "legend_approx": "توخالی: فقط شهر یا استان معلوم است (دایرهٔ خط‌چین هنگام باز کردن)",
        "legend_cluster": "دایره: چند مکان، با حلقه‌ای به رنگ وضعیت‌هایشان؛ "
        "برای باز کردن کلیک کنید یا Enter را بزنید",
        "history": "تاریخچهٔ وضعیت",
        "sources": "منابع",
        "archived": "نسخهٔ بایگانی‌شده",
        "link_refused": "پیوند نمایش داده نشد: نشانی http(s) نیست",
        "precision": "موقعیت",
        "location_note": "یادداشت موقعیت",
        "victims": "شمار گزارش‌شدهٔ قربانیان",
        "notes": "یادداشت‌ها",
        "cites": "منابع",
        "permalink": "پیوند به این مکان",
        "published_city": "عمداً در مرکز شهر نشان داده شده است؛ موقعیت دقیق منتشر نمی‌شود.",
        "about": "دربارهٔ این نقشه",
        "data_hash": "SHA-256 داده‌های منتشرشده",
        "hash_explained": "این چکیدهٔ همان فایلی است که `gravemap export --format geojson` به‌طور "
        "پیش‌فرض از داده‌های این نقشه می‌نویسد. برای وارسی نقشه `gravemap verify MAP DATA` را "
        "اجرا کنید یا این مقدار را با خروجی `sha256sum` آن فایل مقایسه کنید.",
        "printed_on": "تاریخ چاپ",
        "version": "نسخهٔ gravemap",
        "tiles_notice": "این نقشه کاشی‌ها را از {host} می‌گیرد: آن سرور می‌بیند کدام ناحیه را "
        "نگاه می‌کنید.",
        "no_matches": "هیچ مکانی با این جستجو یا صافی پیدا نشد.",
        "not_yet_reported": "هنوز گزارش نشده",
        "open_site": "مکان",
        "sources_count": {"one": "۱ منبع", "many": "{n} منبع"},
        "publishers_count": {"one": "۱ ناشر", "many": "{n} ناشر"},
        "from": "{sources} از {publishers}",
        "print_sites": "مکان‌ها",
        "made_with": "ساخته‌شده با gravemap",
        "credits": "کتابخانهٔ نقشه: Leaflet (BSD-2-Clause). موقعیت شهرها: GeoNames (CC BY 4.0).",
        "no_js": "این نقشه برای نمایش مکان‌ها به جاوااسکریپت نیاز دارد.",
        "site_list": "مکان‌ها",
        "zoom_in": "بزرگ‌نمایی",
        "zoom_out": "کوچک‌نمایی",
        "close": "بستن",
        "units": {"km": "کیلومتر", "m": "متر"},
        "status_names": {
            "intact": "سالم",
            "at-risk": "در معرض خطر",
            "damaged": "آسیب‌دیده",
            "bulldozed": "تخریب‌شده با بولدوزر",
            "paved-over": "بتن یا آسفالت‌ریزی‌شده",
            "built-upon": "ساخت‌وساز بر روی آن",
            "exhumed": "نبش قبر شده",
            "unknown": "نامعلوم",
        },
        "verification_names": {
            "reported": "گزارش‌شده",
            "corroborated": "پشتیبانی‌شده (ناشران مستقل)",
            "verified": "راستی‌آزمایی‌شده (تصویر یا بازدید)",
        },
        "precision_names": {
            "exact": "مختصات دقیق از منبع یا نقشه‌برداری",
            "site": "محل به دست پژوهشگر مشخص شده",
            "city": "تقریبی: فقط مرکز شهر (حدود ۱۰ کیلومتر)",
            "province": "تقریبی: فقط استان (حدود ۷۵ کیلومتر)",
        },
    },
}

# Title prefix and banner of a page rendered with --include-withheld (finding 4).
INTERNAL_LABELS = {
    "en": (
        "INTERNAL, do not publish: ",
        "Internal review copy: it includes sites marked publish: withheld (at their city's "
        "centre). Do not publish or pass on this file.",
    ),
    "fa": (
        "داخلی، منتشر نشود: ",
        "نسخهٔ داخلی برای بازبینی: شامل مکان‌هایی است که نباید منتشر شوند (در مرکز شهرشان). "
        "این فایل را منتشر نکنید و به دیگران ندهید.",
    ),
}

_SURROGATE = re.compile("[\ud800-\udfff]")
# A plain http(s) link, ASCII only (a pattern with IGNORECASE would also take the long s and the
# Kelvin sign for "s" and "k"); anything else is decided by `model.is_safe_url`.
_PLAIN_ASCII_URL = re.compile(
    r"(?:[hH][tT][tT][pP][sS]?)://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?"
)


# ---------------------------------------------------------------------------------------------
# Dates in both calendars.


@functools.lru_cache(maxsize=65_536)
def format_date(value: str, lang: str = "en") -> str:
    """A stored date shown in Gregorian and Solar Hijri (`gravemap.dates.format_date`, the one
    rule): `1988` reads `1988 (1366–1367 SH)`, a month `June 2017 (Khordad–Tir 1396 SH)`, the
    Persian page puts the Solar Hijri date first in Persian digits. Text that is not a stored
    date is returned unchanged."""
    if not isinstance(value, str) or not is_stored_date(value):
        return str(value)
    return _format_stored_date(value, None, lang)


# ---------------------------------------------------------------------------------------------
# What reaches the page.


def _text(value: Any) -> str | None:
    """User text as it may be shown: a string without lone surrogates, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    if value.isascii() or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub("\ufffd", value)


def safe_url(value: Any) -> str | None:
    """The URL if it is a plain http(s) link with a host, else None (then shown as text only).

    Refuses other schemes in any case (`JaVaScRiPt:`, `data:`), and whitespace or control
    characters anywhere (browsers strip them, turning ` javascript:` into a script).
    """
    if not isinstance(value, str) or not value:
        return None
    if _PLAIN_ASCII_URL.fullmatch(value):  # the common case
        return value
    return value if model.is_safe_url(value) else None


CityLocator = Callable[[str, dict[str, Any]], "tuple[float, float] | None"]


def _city_centre(locator: CityLocator | None) -> Any:
    """A `public.public_view` city_centre from a `locator` (None: the offline gazetteer)."""
    if locator is None:
        return None

    def centre(geonameid: Any, country: str) -> tuple[float, float] | None:
        found = locator("", {"location": {"geonameid": geonameid}, "country": country})
        return None if found is None else (found[1], found[0])

    return centre


class _Dates:
    """Each distinct date formatted once; records refer to it by its index in `table`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.index: dict[str, int] = {}
        self.table: list[list[str]] = []

    def __call__(self, value: Any) -> int:
        found = self.index.get(value) if type(value) is str else None  # the common case
        if found is not None:
            return found
        raw = _text(value) or ""
        found = self.index.get(raw)
        if found is not None:
            return found
        if raw and not is_stored_date(raw):
            # Validation allows YYYY, YYYY-MM, YYYY-MM-DD or a span of two days (a Solar Hijri
            # month or year); anything else is not shown.
            raise PublishError(
                "(data)", "date", f"{raw!r} is not a date; run `gravemap validate` on the data"
            )
        found = self.index[raw] = len(self.table)
        # An entry whose source gives no date reads "undated", never blank.
        shown = format_date(raw, self.lang) if raw else _format_stored_date(None, None, self.lang)
        self.table.append([raw, shown])
        return found


def _cited(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v if type(v) is str and v.isascii() else _text(v) or "" for v in value]


def _is_coordinate(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


PRECISIONS = ("exact", "site", "city", "province")
# What the map, the list, search and filters need of every site at once, in this order.
CORE_KEYS = ("id", "y", "x", "k", "v", "n", "nf", "c", "cf", "pv")
# The rest of a record, as arrays in these orders (null where a key is absent, trailing nulls
# left off): keys repeated 100,000 times were a quarter of the page.
DETAIL_KEYS = {
    "": ("co", "m", "ln", "pc", "h", "src", "vi", "no"),
    "h": ("s", "d", "c", "n"),
    "src": ("id", "pb", "t", "u", "ut", "a", "at", "d", "q"),
    "vi": ("lo", "hi", "c", "n"),
}
_INTERNED = ("v", "c", "cf", "pv")  # repeated text, stored once in `strings`
# `k` of a core row: status index * 4 + precision index.
_KIND = {
    (status, precision): s * 4 + p
    for s, status in enumerate(STATUSES)
    for p, precision in enumerate(PRECISIONS)
}


def _without_trailing_nulls(values: list[Any]) -> list[Any]:
    while values and values[-1] is None:
        values.pop()
    return values


def _source_detail(source: dict[str, Any], dates: _Dates) -> list[Any]:
    """A source as an array in `DETAIL_KEYS["src"]` order."""
    url, archived = source.get("url"), source.get("archived_url")
    safe, safe_archived = safe_url(url), safe_url(archived)
    date, quote = source.get("date"), source.get("quote")
    return _without_trailing_nulls(
        [
            _text(source.get("id")) or "",
            _text(source.get("publisher")) or "",
            _text(source.get("title")) or "",
            url if safe else None,
            _text(url) if url and not safe else None,
            archived if safe_archived else None,
            _text(archived) if archived and not safe_archived else None,
            dates(date) if date else None,
            _text(quote) if quote else None,
        ]
    )


def _site_parts(
    feature: dict[str, Any], dates: _Dates, intern: Callable[[str], int]
) -> tuple[list[Any], list[Any]]:
    """One site of the public view as the page holds it: its core row and its details (see
    `site_blocks`), built straight from the Feature."""
    site_id = _text(feature.get("id")) or ""
    props = feature.get("properties") or {}
    get = props.get
    coords = (feature.get("geometry") or {}).get("coordinates") or [None, None]
    lon, lat = coords[0], coords[1]
    location = get("location")
    location = location if isinstance(location, dict) else {}
    precision = location.get("precision")
    precision = precision if precision in PRECISIONS else "site"
    # `public.public_view` has applied `publish`: a site not published in full is at its city's
    # centre already, its text checked; the page only says so.
    at_city = get("publish", "full") != "full"
    if at_city:
        precision = "province" if precision == "province" else "city"
    if not (_is_coordinate(lat) and _is_coordinate(lon)):
        raise PublishError(site_id, "geometry", "has no usable coordinates; fix its geometry")
    status = get("status")
    name_fa, city, city_fa, province = get("name_fa"), get("city"), get("city_fa"), get("province")
    row = [
        site_id,
        round(float(lat), 6),
        round(float(lon), 6),
        _KIND[status if status in STATUS_COLOURS else "unknown", precision],
        intern(_text(get("verification")) or ""),
        _text(get("name")) or site_id,
        _text(name_fa) if name_fa else "",
        intern(_text(city) if city else ""),
        intern(_text(city_fa) if city_fa else ""),
        intern(_text(province) if province else ""),
    ]
    history = []
    for entry in get("status_history") or ():
        if not isinstance(entry, dict):
            continue
        entry_status, note = entry.get("status"), entry.get("note")
        item = [
            entry_status if entry_status in STATUS_COLOURS else "unknown",
            dates(entry.get("date")),
            _cited(entry.get("sources")),
        ]
        if note:
            item.append(_text(note))
        history.append(item)
    sources = [_source_detail(s, dates) for s in get("sources") or () if isinstance(s, dict)]
    victims = get("victims")
    counts = None
    if isinstance(victims, dict):
        low, high = victims.get("low"), victims.get("high")
        low = low if isinstance(low, int) and not isinstance(low, bool) else None
        high = high if isinstance(high, int) and not isinstance(high, bool) else None
        if low is not None or high is not None:
            counts = [low, high, _cited(victims.get("sources"))]
            if victims.get("note"):
                counts.append(_text(victims["note"]))
    country, method, notes = get("country"), location.get("method"), get("notes")
    note = None if at_city else location.get("note")
    return row, _without_trailing_nulls(
        [
            _text(country) if country else None,
            _text(method) if method else None,
            # A location note describes where the site is: never with a point that is withheld.
            _text(note) if note else None,
            1 if at_city else None,
            history,
            sources,
            counts,
            _text(notes) if notes else None,
        ]
    )


def _json_bytes(value: Any) -> bytes:
    """Compact JSON in UTF-8, the text `json.dumps(value, ensure_ascii=False, separators=(",",
    ":"))` writes, by orjson (which writes every string alike), safe in HTML (`_html_safe`).
    orjson refuses integers beyond 64 bits, and writes a float below 1e-4 otherwise (`1e-05`):
    those values get the standard library's text."""
    try:
        text = _orjson_dumps(value)  # type: ignore[misc]
    except TypeError:  # orjson.JSONEncodeError is a TypeError (as is calling None)
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return _html_safe(text.encode("utf-8"))
    return _html_safe(text)


def _row_bytes(row: list[Any]) -> bytes:
    """`_json_bytes(row)` for a core row, whose only floats are its coordinates."""
    lat, lon = row[1], row[2]
    if (lat and -1e-4 < lat < 1e-4) or (lon and -1e-4 < lon < 1e-4):
        text = json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return _html_safe(text.encode("utf-8"))
    return _json_bytes(row)


# Characters a `<script type="application/json">` must not hold raw (see `json_for_html`),
# with their JSON escapes: in JSON they can only be inside strings, so a plain replace is exact.
_HTML_UNSAFE = tuple(
    (char.encode("utf-8"), escaped.encode("ascii"))
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    )
)


# The bytes those characters begin with (U+2028 and U+2029 begin with 0xE2, as do others).
_MAYBE_UNSAFE = b"&<>\xe2"


def _html_safe(data: bytes) -> bytes:
    """`json_for_html`'s escaping, on JSON text already encoded."""
    if len(data.translate(None, _MAYBE_UNSAFE)) == len(data):  # one quick pass: nothing to do
        return data
    for char, escaped in _HTML_UNSAFE:
        if char in data:
            data = data.replace(char, escaped)
    return data


class SiteBlocks(NamedTuple):
    """The sites as the page embeds them (see `site_blocks`): each block as its parts, in
    order, UTF-8 (the blocks of 100,000 sites are 50 MB: they are never copied into one)."""

    sites: tuple[bytes | bytearray, ...]
    details: tuple[bytes | bytearray, ...]
    count: int
    provinces: frozenset[str]


def site_blocks(view: dict[str, Any], lang: str = "en") -> SiteBlocks:
    """The two JSON blocks a page embeds for the sites of a public view (`public.public_view`),
    safe inside a `<script type="application/json">`; their count and provinces.

    `sites` is `{"strings", "sites"}` where each site is a row in `CORE_KEYS` order: `k` is
    status index * 4 + precision index (in `STATUSES`, `PRECISIONS`), and `v`, `c`, `cf`, `pv`
    index `strings` (0 is the empty string). `details` is JSON lines: first the `dates` table,
    then one line per site, in the same order, with the rest of its record packed as arrays by
    `DETAIL_KEYS` (the browser parses a line only when that site's popup opens). Records are
    described in `public_sites`. The core's `spellings` maps a city's index in `strings` to the
    keys of every other spelling the geocoder knows for it, joined by spaces
    (`city_spellings_keys`), so the map's search finds "Ahwaz" in Ahvaz.

    Each site goes straight from its Feature to its row and line, appended to the block as soon
    as it is written: kept apart, the 100,000 small texts orjson writes would each hold on to
    the 4 kB it first asked for.
    """
    dates = _Dates(lang)
    strings: dict[str, int] = {"": 0}

    def intern(text: str) -> int:
        return strings.setdefault(text, len(strings))

    rows = bytearray()
    lines = bytearray()
    provinces: set[int] = set()
    cities: set[int] = set()
    count = 0
    with paused_gc():
        for feature in view["features"]:
            row, details = _site_parts(feature, dates, intern)
            if count:
                rows += b","
            rows += _row_bytes(row)
            lines += b"\n"
            lines += _json_bytes(details)
            provinces.add(row[9])
            cities.add(row[7])
            cities.add(row[8])
            count += 1
    names = list(strings)
    spellings = {}
    for i in sorted(cities - {0}):
        keys = city_spellings_keys(names[i])
        if keys:
            spellings[str(i)] = keys
    sites = (
        b'{"strings":' + _json_bytes(names) + b',"sites":[',
        rows,
        b'],"spellings":' + _json_bytes(spellings) + b"}",
    )
    return SiteBlocks(
        sites, (_json_bytes(dates.table), lines), count, frozenset(names[i] for i in provinces)
    )


def public_sites(
    collection: dict[str, Any],
    *,
    lang: str = "en",
    include_withheld: bool = False,
    locator: CityLocator | None = None,
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the page embeds, as records: `{"dates": [[iso, shown], ...], "sites": [record]}`.

    Sites keep file order; `publish` is applied by `public.public_view` first (withheld left
    out, or at the city centre and the page marked internal with `include_withheld`; city moved
    to the centre).
    Only what the map shows is kept: no `private`, `added`, location query or accessed date.
    A record: `id`, `y`/`x` (lat/lon), `s` status, `p` precision, `v` verification, `n` name,
    `nf` Persian name, `c`/`cf` city, `pv` province, `co` country, `no` notes, `m` location
    method, `ln` location note, `pc` (shown at the city centre on purpose), `h` status history
    `[{s, d, c (cited ids), n}]`, `src` sources `[{id, pb, t, u (safe URL) or ut (refused URL
    text), a or at (archived), d, q}]`, `vi` victims `{lo, hi, c, n}`. `d` indexes `dates`.
    Read back from the page's blocks (`site_blocks`), so it is exactly what a page holds.
    """
    if view is None:  # `view`: the collection's public view, when the caller has made it
        from gravemap.public import public_view

        view = public_view(
            collection, include_withheld=include_withheld, city_centre=_city_centre(locator)
        )
    blocks = site_blocks(view, lang)
    core = json.loads(b"".join(blocks.sites))
    dates, *lines = b"".join(blocks.details).decode("utf-8").split("\n")
    records = []
    for row, line in zip(core["sites"], lines, strict=True):
        record = {key: value for key, value in zip(CORE_KEYS, row, strict=True) if key != "k"}
        record["s"], record["p"] = STATUSES[row[3] // 4], PRECISIONS[row[3] % 4]
        for key in _INTERNED:
            record[key] = core["strings"][record[key]]
        record = {k: v for k, v in record.items() if v != "" or k in ("id", "n", "v")}
        record.update(_unpacked(json.loads(line), ""))
        records.append(record)
    return {"dates": json.loads(dates), "sites": records}


def _unpacked(values: list[Any], kind: str) -> dict[str, Any]:
    """An array packed in `DETAIL_KEYS[kind]` order as a record (nested arrays too)."""
    out = {}
    for key, value in zip(DETAIL_KEYS[kind], values, strict=False):
        if value is None:
            continue
        if key in ("h", "src"):
            value = [_unpacked(item, key) for item in value]
        elif key == "vi":
            value = _unpacked(value, key)
        out[key] = value
    return out


def city_spellings_keys(city: str) -> str:
    """The search keys (`geocode.stored_city_keys`) of a city's other spellings, joined by
    spaces; "" for a city the gazetteer does not know (its own spelling is searched anyway)."""
    from gravemap.geocode.normalise import normalize_name
    from gravemap.geocode.search import stored_city_keys

    own = normalize_name(city)
    return " ".join(k for k in stored_city_keys(city) if k != own)


# ---------------------------------------------------------------------------------------------
# Tiles.


TILE_PLACEHOLDERS = ("{s}", "{z}", "{x}", "{y}", "{r}")


def tile_source(tiles: str) -> tuple[str, str, str] | None:
    """(URL template, HTML attribution, CSP img-src origin) for `tiles`, or None for `none`.

    A custom template must be http(s), have a plain host name (a `{s}` subdomain is allowed)
    and contain `{z}`, `{x}` and `{y}`. A template is data: braces may hold only the Leaflet
    placeholders `{s} {z} {x} {y} {r}`; anything else in braces (`{{`, `{%`, `{q}`) is refused.
    """
    if tiles == "none":
        return None
    if tiles == "osm":
        return OSM_TILES, OSM_ATTRIBUTION, "https://tile.openstreetmap.org"
    problem = "use osm, none or an http(s) URL template with {z}, {x} and {y}"
    if not isinstance(tiles, str) or any(
        ch.isspace() or unicodedata.category(ch).startswith("C") for ch in tiles
    ):
        raise TilesError(f"--tiles {tiles!r} is not usable; {problem}")
    rest = tiles
    for placeholder in TILE_PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    stray = re.search(r"[{}].{0,8}", rest)
    if stray:
        raise TilesError(
            f"--tiles {tiles!r} is not usable; {stray.group()!r} is not a tile placeholder: "
            "braces may hold only {s}, {z}, {x}, {y} or {r}"
        )
    parts = urlsplit(tiles)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if (
        parts.scheme.lower() not in ("http", "https")
        or not re.fullmatch(r"(\{s\}\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?", netloc)
        or not 0 < int(netloc.rpartition(":")[2] if ":" in netloc else 443) < 65536
        or "@" in parts.netloc
        or not all(key in tiles for key in ("{z}", "{x}", "{y}"))
        or any(ch in tiles for ch in "\"'<>\\`*")  # `*`: no /* */ comment in the script
    ):
        raise TilesError(f"--tiles {tiles!r} is not usable; {problem}")
    origin = f"{parts.scheme.lower()}://{netloc.replace('{s}', '*')}"
    host = html.escape(netloc.replace("{s}.", ""))
    return tiles, f"Map tiles: {host}", origin


# ---------------------------------------------------------------------------------------------
# Assets.


@functools.cache
def _asset(package: str, name: str) -> str:
    """The text of an inlined file, checked so that it cannot end its <script>/<style> early."""
    if package == "gravemap":
        text = resources.files("gravemap").joinpath("static", name).read_text(encoding="utf-8")
    else:
        import importlib

        base = Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)
        text = (base / name).read_text(encoding="utf-8")
        if name == "leaflet.css":
            text = _css_images_inline(text, base)
    # Source-map comments would make developer tools fetch files that are not there.
    text = re.sub(r"^\s*//# sourceMappingURL=\S+\s*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", text)
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise RuntimeError(f"{package}/{name} cannot be inlined safely")  # pragma: no cover
    return text.strip() + "\n"


# gravemap's own scripts, joined in this order into one inline script (see the top of
# gravemap-start.js): data, the pure grid index, the site view, the Leaflet layer, the list,
# then start-up. A `static/timeline.js` is put in its own script after the page's last one.
APP_SCRIPTS = (
    "gravemap-data.js",
    "gravemap-grid.js",
    "gravemap-view.js",
    "gravemap-layer.js",
    "gravemap-panel.js",
    "gravemap-start.js",
)


def _has_static(name: str) -> bool:
    return resources.files("gravemap").joinpath("static", name).is_file()


@functools.cache
def app_script() -> str:
    """gravemap's scripts as one text, in `APP_SCRIPTS` order, without comments."""
    return "".join(_compact_js(_asset("gravemap", name)) for name in APP_SCRIPTS)


_LINE_COMMENT = re.compile(r"^(.*?\S)\s{2,}// .*$")


def _compact_js(text: str) -> str:
    """gravemap's own script without its comments and indentation (a third of its bytes).

    Only what cannot change the program is dropped: block comments that open a line, whole
    `//` lines, a `  // ...` tail after code whose quotes are all closed, leading spaces and
    blank lines (the scripts use no template literals or multi-line strings).
    """
    text = re.sub(r"^\s*/\*.*?\*/[ \t]*\n", "", text, flags=re.DOTALL | re.MULTILINE)
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        match = _LINE_COMMENT.match(line)
        if match and match.group(1).count('"') % 2 == 0 and "'" not in match.group(1):
            line = match.group(1)
        lines.append(line)
    return "\n".join(lines) + "\n"


def _css_images_inline(css: str, base: Path) -> str:
    """Leaflet's CSS with its images as data: URIs, so no file:// or http request is made."""

    def data_uri(match: re.Match[str]) -> str:
        path = base / match.group(1)
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)


# ---------------------------------------------------------------------------------------------
# The page.


def json_for_html(obj: Any) -> str:
    """JSON safe inside a `<script type="application/json">`: no `<`, `>`, `&`, U+2028/9.

    Those characters only occur inside JSON strings, where `\\uXXXX` is their exact equivalent.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _version() -> str:
    from gravemap import __version__

    return __version__


_CSP_PLACEHOLDER = "<!--gravemap:csp-->"
SITES_PLACEHOLDER = "/*gravemap:sites*/"
DETAILS_PLACEHOLDER = "/*gravemap:details*/"
_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def _content_security_policy(page: str, img_origin: str | None) -> str:
    """A CSP allowing exactly the inline scripts and styles of `page`, and tiles if any."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for match in _INLINE.finditer(page):
        digest = base64.b64encode(hashlib.sha256(match.group(2).encode("utf-8")).digest())
        source = f"'sha256-{digest.decode('ascii')}'"
        if source not in hashes[match.group(1)]:
            hashes[match.group(1)].append(source)
    img = "data:" + (f" {img_origin}" if img_origin else "")
    return (
        "default-src 'none'; "
        f"script-src {' '.join(hashes['script'])}; "
        f"style-src {' '.join(hashes['style'])}; "
        f"img-src {img}; "
        "base-uri 'none'; form-action 'none'"
    )


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Its passes over a growing heap made building 100,000 records more than twice as slow.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def status_css() -> str:
    """One class per status setting the colour (--c) that markers, swatches and legend use."""
    return "".join(f".gm-st-{status}{{--c:{colour}}}" for status, colour in STATUS_COLOURS.items())


def _options(labels: dict[str, Any], names: dict[str, str], keys: tuple[str, ...]) -> str:
    items = [f'<option value="">{html.escape(labels["all"])}</option>']
    items += [
        f'<option value="{html.escape(k)}">{html.escape(names.get(k, k))}</option>' for k in keys
    ]
    return "".join(items)


GEONAMES_LINKS = (
    '<a href="https://www.geonames.org/" rel="noopener noreferrer" target="_blank">'
    'GeoNames</a> (<a href="https://creativecommons.org/licenses/by/4.0/" '
    'rel="noopener noreferrer" target="_blank">CC BY 4.0</a>)'
)
# The map's credit line for city positions, in the page's language (constant HTML).
GEONAMES_CREDIT = {
    "en": "City positions: " + GEONAMES_LINKS,
    "fa": "موقعیت شهرها: " + GEONAMES_LINKS,
}


def province_names_fa(provinces: Any) -> dict[str, str]:
    """Persian names of the provinces named (in any spelling the basemap knows), by that name."""
    from gravemap.basemap import province_named

    out = {}
    for name in sorted(set(provinces)):
        found = province_named(name) if name else None
        if found is not None and found.name_fa:
            out[name] = found.name_fa
    return out


def layer_config(
    lang: str,
    tiles: tuple[str, str, str] | None = None,
    provinces_fa: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What the browser side of a SitesLayer needs besides the sites: labels, statuses..."""
    return {
        "lang": lang,
        "labels": LABELS[lang],
        "statuses": list(STATUSES),
        "precisions": list(PRECISIONS),
        "detailKeys": {kind: list(keys) for kind, keys in DETAIL_KEYS.items()},
        "colours": STATUS_COLOURS,
        "approximate": list(APPROXIMATE),
        "uncertainty": UNCERTAINTY_M,
        "tiles": None
        if tiles is None
        else {"url": tiles[0], "attribution": tiles[1], "maxZoom": MAX_ZOOM},
        "credit": GEONAMES_CREDIT[lang],
        "provincesFa": provinces_fa or {},
    }


def _tile_host(source: tuple[str, str, str]) -> str:
    """The tile server's host name, as the page names it (`tile.openstreetmap.org`)."""
    return source[2].split("://", 1)[-1].removeprefix("*.")


def _markup(text: str) -> Any:
    """Text the page template puts in unescaped: only markup gravemap itself built (folium's
    rendered elements, inlined files, option lists escaped by `_options`), never site text,
    which reaches the page only in JSON blocks made by `json_for_html`."""
    from markupsafe import Markup

    return Markup(text)  # noqa: S704


@functools.cache
def _page_template() -> Any:
    """gravemap's page (static/page.html), a Jinja2 template that escapes what it is given."""
    import jinja2

    source = resources.files("gravemap").joinpath("static", "page.html").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    return environment.from_string(source)


def render_map(
    collection: dict[str, Any],
    *,
    data_sha256: str | None = None,
    title: str | None = None,
    lang: str = "en",
    tiles: str = "none",
    include_withheld: bool = False,
    locator: CityLocator | None = None,
) -> str:
    """One self-contained HTML page showing the collection's public sites.

    `collection` is a plain GeoJSON FeatureCollection as stored; `data_sha256` is the SHA-256
    printed on the page, by default that of the published data (the bytes of the GeoJSON
    export of the view the page shows: `public.geojson_bytes`). The public view is made once,
    for the sites, the hash and the timeline. `tiles` is `none` (the
    default: the page makes no request at all), `osm` or an http(s) `{z}/{x}/{y}` template.
    `locator` finds a city's centre for `publish: city` (default: the offline gazetteer).
    The page is a folium map holding a `SitesLayer`, inside gravemap's page template.
    Raises PublishError or TilesError; the same arguments always give the same bytes.
    """
    parts = render_page(
        collection,
        data_sha256=data_sha256,
        title=title,
        lang=lang,
        tiles=tiles,
        include_withheld=include_withheld,
        locator=locator,
    )
    return b"".join(parts).decode("utf-8")


def render_page(
    collection: dict[str, Any],
    *,
    data_sha256: str | None = None,
    title: str | None = None,
    lang: str = "en",
    tiles: str = "none",
    include_withheld: bool = False,
    locator: CityLocator | None = None,
) -> list[bytes | bytearray]:
    """`render_map`'s page as UTF-8 parts, in order: what `gravemap render` writes. The page
    of 100,000 sites (50 MB) is never one string; its data blocks are put in as they were
    encoded (`site_blocks`). Same arguments and errors as `render_map`."""
    # The collector is paused throughout: its passes over the millions of (acyclic) objects of
    # the public view took a second at 100,000 sites. They are freed before it resumes.
    with paused_gc():
        return _page_parts(
            collection,
            data_sha256=data_sha256,
            title=title,
            lang=lang,
            tiles=tiles,
            include_withheld=include_withheld,
            locator=locator,
        )


def _page_parts(
    collection: dict[str, Any],
    *,
    data_sha256: str | None,
    title: str | None,
    lang: str,
    tiles: str,
    include_withheld: bool,
    locator: CityLocator | None,
) -> list[bytes | bytearray]:
    from branca.element import Figure

    from gravemap.layer import PageMap, RawElement, SitesLayer
    from gravemap.public import refuse_stated_points

    if lang not in LANGUAGES:
        raise ValueError(f"lang {lang!r} is not supported; use one of: {', '.join(LANGUAGES)}")
    source = tile_source(tiles)
    labels = LABELS[lang]
    title = title or DEFAULT_TITLES[lang]
    refuse_stated_points(
        collection, {"--title": title, "--tiles": tiles}, include_withheld=include_withheld
    )
    internal = None
    if include_withheld:  # finding 4: a page with withheld sites must not pass for a public one
        prefix, internal = INTERNAL_LABELS[lang]
        title = prefix + title

    from gravemap.public import geojson_sha256, public_view

    view = public_view(
        collection, include_withheld=include_withheld, city_centre=_city_centre(locator)
    )
    if data_sha256 is None:
        data_sha256 = geojson_sha256(view)
    figure = Figure()
    figure.header.add_child(RawElement(_CSP_PLACEHOLDER), name="gravemap_csp")
    fmap = PageMap(centre=CENTRE, zoom=START_ZOOM, min_zoom=2, max_zoom=MAX_ZOOM)
    figure.add_child(fmap)
    layer = SitesLayer(
        collection,
        lang,
        name="sites",
        include_withheld=include_withheld,
        locator=locator,
        tiles=source,
        deferred_data=True,
        view=view,
    )
    layer.add_to(fmap)
    figure.render()  # each element puts its parts into the figure's header, body and script
    timeline_html = _timeline_section(
        collection, lang=lang, include_withheld=include_withheld, locator=locator, view=view
    )

    page = _page_template().render(
        lang=lang,
        direction="rtl" if lang == "fa" else "ltr",
        title=title,
        labels=labels,
        header=_markup(figure.header.render()),
        map_html=_markup(figure.html.render()),
        map_script=_markup(figure.script.render()),
        page_css=_markup(
            _asset("gravemap", "gravemap-page.css") + _asset("gravemap", "timeline.css")
        ),
        timeline_html=_markup(timeline_html),
        internal_css=_markup(_INTERNAL_CSS) if internal else None,
        internal=internal,
        status_options=_markup(_options(labels, labels["status_names"], STATUSES)),
        verification_options=_markup(
            _options(labels, labels["verification_names"], ("reported", "corroborated", "verified"))
        ),
        data_sha256=data_sha256,
        version=_version(),
        tiles_notice=labels["tiles_notice"].replace("{host}", _tile_host(source))
        if source
        else None,
        extra_js=_markup(_asset("gravemap", "timeline.js")) if _has_static("timeline.js") else None,
    )
    # The policy is computed before the (large) site data goes in: a JSON block is not a script.
    csp = _content_security_policy(page, source[2] if source else None)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">'
    # The data blocks come last: split from the right, so a title quoting a placeholder is inert.
    page = page.replace(_CSP_PLACEHOLDER, meta, 1)
    sites_json, details_json = layer.data_blocks()
    page, tail = page.rsplit(DETAILS_PLACEHOLDER, 1)
    head, middle = page.rsplit(SITES_PLACEHOLDER, 1)
    return [
        head.encode("utf-8"),
        *sites_json,
        middle.encode("utf-8"),
        *details_json,
        tail.encode("utf-8"),
    ]


def _timeline_section(
    collection: dict[str, Any],
    *,
    lang: str,
    include_withheld: bool,
    locator: CityLocator | None,
    view: dict[str, Any] | None = None,
) -> str:
    """The panel's timeline: its chart, and the JSON block timeline.js reads (`gm-tl-config`),
    from the same public view as the sites (see `gravemap.timeline.page_parts`)."""
    from gravemap import timeline

    section, config = timeline.page_parts(
        collection,
        colours=STATUS_COLOURS,
        names=LABELS[lang]["status_names"],
        lang=lang,
        include_withheld=include_withheld,
        city_centre=_city_centre(locator),
        view=view,
    )
    block = f'<script type="application/json" id="gm-tl-config">{json_for_html(config)}</script>'
    return section + block


# The internal banner above the app, which then fills the rest of the window.
_INTERNAL_CSS = (
    "body.gm-body{display:flex;flex-direction:column;height:100vh}"
    "#gm-app{flex:1 1 auto;min-height:0;height:auto}"
    "#gm-internal{flex:0 0 auto;margin:0;padding:.5em 1em;background:#B00020;color:#fff;"
    "font-weight:bold;text-align:center}"
)
