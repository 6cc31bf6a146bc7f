"""The site data model and its validation: the one place that knows the schema.

A site is stored as a GeoJSON Feature (RFC 7946: longitude first, WGS 84). `validate_collection`
checks raw, possibly hostile JSON and returns *every* problem at once, each naming the feature,
the field, what is wrong and how to fix it. The dataclasses below are built only from data that
passed validation, and turn back into exactly the stored form.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gravemap import dates
from gravemap.errors import RecordError, UnattributedError

if TYPE_CHECKING:
    from gravemap.geocode.locate import Located
    from gravemap.geocode.results import Candidate

SCHEMA_VERSION = 1

STATUSES = (
    "intact",
    "at-risk",
    "damaged",
    "bulldozed",
    "paved-over",
    "built-upon",
    "exhumed",
    "unknown",
)
PRECISIONS = ("exact", "site", "city", "province")
METHODS = ("gazetteer", "online", "manual")
VERIFICATIONS = ("reported", "corroborated", "verified")
PUBLISH_LEVELS = ("full", "city", "withheld")

# Used with fullmatch: `$` would accept a trailing newline, `\d` Persian digits.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
COUNTRY_PATTERN = re.compile(r"[A-Z]{2}")
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
MAX_ID = 64
# Text that may hold several lines; every other text field is one line.
MULTILINE_FIELDS = frozenset({"notes", "quote", "note"})
# C0/C1 controls (terminal escapes, NUL) and bidi embeddings/overrides/isolates, which can make
# text display in an order other than the stored one. ZWNJ, ZWJ, LRM and RLM stay allowed:
# Persian text needs them.
_LINE_BREAK = re.compile("[\n\r\t]")
_FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Field names, declared once. Values: required?
SITE_FIELDS = {
    "name": True,
    "name_fa": False,
    "city": False,
    "city_fa": False,
    "province": False,
    "country": True,
    "location": True,
    "status": True,
    "status_history": True,
    "sources": True,
    "verification": True,
    "victims": False,
    "notes": False,
    "added": True,
    "publish": False,
    "private": False,
}
SOURCE_FIELDS = {
    "id": True,
    "publisher": True,
    "title": True,
    "url": True,
    "date": False,
    "quote": False,
    "accessed": False,
    "archived_url": False,
    "date_text": False,
}
# A status entry has `date` (ISO 8601, with `date_text` when entered in Solar Hijri) or
# `"undated": true` when its source gives no date; exactly one of the two.
STATUS_FIELDS = {
    "status": True,
    "date": False,
    "date_text": False,
    "undated": False,
    "sources": True,
    "note": False,
}
LOCATION_FIELDS = {
    "precision": True,
    "method": True,
    "query": True,
    "geonameid": False,
    "note": False,
}
VICTIMS_FIELDS = {"low": False, "high": False, "sources": True, "note": False}
ADDED_FIELDS = {"at": True, "by": False}
COLLECTION_FIELDS = {"type", "features", "gravemap", "bbox"}
META_FIELDS = {"schema", "retired_ids"}

# Text fields are capped so that a pasted document cannot bloat every published map.
MAX_TEXT = 10_000
#: Objects and lists inside a site (e.g. in `private`) may nest this deep, no deeper: JSON
#: writers and readers recurse, and a file nested hundreds deep crashed them.
MAX_NESTING = 32
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is, what is wrong, how to fix it."""

    feature_id: str | None
    field: str
    message: str
    fix: str

    def format(self, source: str | None = None) -> str:
        """`FILE:ID: field: what is wrong; how to fix` (the `gravemap validate` line)."""
        where = f"{source}:" if source else ""
        return f"{where}{self.feature_id or '-'}: {self.field}: {self.message}; {self.fix}"


# ---------------------------------------------------------------------------------------------
# Small value checks, shared with the CLI (option parsing) and the renderer.


def parse_partial_date(value: Any) -> tuple[int, int, int] | None:
    """(year, month, day) of an ISO 8601 date that may be partial (`1988`, `2017-06`); 0 = unset.

    Returns None for anything malformed or impossible (`2018-02-30`, month 13).
    """
    if not isinstance(value, str):
        return None
    m = _PARTIAL_DATE.fullmatch(value)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or 0)
    day = int(m.group(3) or 0)
    if year < 1000 or (m.group(2) and not 1 <= month <= 12):
        return None
    if m.group(3):
        try:
            _dt.date(year, month, day)
        except ValueError:
            return None
    return (year, month, day)


def date_problem(value: Any, *, today: _dt.date | None = None) -> str | None:
    """Why `value` is not a storable date, or None if it is (see `gravemap.dates`).

    A partial ISO date (`1988`, `2017-06`, `2018-08-03`) or a span of two full dates
    (`1988-07-23/1988-08-22`); never a year from 1300 to 1499, never in the future.
    """
    if not isinstance(value, str):
        return f"expected a date as text, got {_kind(value)}"
    return dates.value_problem(value, today=today)


def timestamp_problem(value: Any) -> str | None:
    """Why `value` is not an ISO 8601 date or date-time, or None if it is."""
    if not isinstance(value, str):
        return f"expected a timestamp as text, got {_kind(value)}"
    if "T" not in value:
        return date_problem(value)
    try:
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"{value!r} is not an ISO 8601 date-time"
    if moment.tzinfo is None:
        return f"{value!r} has no time zone; end it with Z for UTC"
    if moment > _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=1):
        return f"{value!r} is in the future"
    return None


def utc_now() -> str:
    """The current time as ISO 8601 UTC to the second, e.g. 2026-11-27T03:20:00Z."""
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    return now.isoformat().replace("+00:00", "Z")


# An http(s) URL with a plain host, no user info, and only printable ASCII after it: every such
# URL passes every check of url_problem, which then needs no closer look.
_PLAIN_HTTP_URL = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]*[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]{0,5})?(?:[/?#][!-~]*)?"
)


def url_problem(value: Any) -> str | None:
    """Why `value` is not a safe http(s) link, or None if it is.

    Refuses other schemes (`javascript:`, `data:`, `file:`), leading or inner whitespace and
    control characters (which browsers strip, turning ` javascript:` into a script), and URLs
    with no host.
    """
    if isinstance(value, str) and _PLAIN_HTTP_URL.fullmatch(value):
        return None  # the common case, decided without looking at each character
    if not isinstance(value, str):
        return f"expected a URL as text, got {_kind(value)}"
    if not value:
        return "the URL is empty"
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in value):
        return "the URL contains spaces or control characters"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return f"{value!r} is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "none"
        return f"URL scheme {shown!r} is not allowed (only http and https)"
    if not host:
        return "the URL has no host"
    if "@" in parts.netloc:
        return "the URL carries a user name before '@', which hides its real host"
    return None


def is_safe_url(value: Any) -> bool:
    """True for an http(s) URL with a host and no whitespace or control characters."""
    return url_problem(value) is None


def slugify(text: str) -> str:
    """A lowercase ASCII slug of Latin text; empty for text with no Latin letters or digits."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def plain_latin(text: str) -> str:
    """A gazetteer name without diacritics or ayn/hamza marks: 'Şāleḩābād' -> 'Salehabad'.

    GeoNames romanises Persian names with marks most readers cannot type or search for; a
    site's city is stored in this plain form so that one city is always spelled one way.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = re.sub(r"[\u02bb\u02bc\u02bf\u02be'\u2018\u2019`]", "", kept)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", kept)).strip()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# ---------------------------------------------------------------------------------------------
# Validation of raw JSON.


# The required field names of each field table (keyed by the table's id), computed once.
_REQUIRED: dict[int, frozenset[str]] = {}


class _Checker:
    """Collects problems for one feature while walking its raw JSON."""

    def __init__(self, feature_id: str | None, problems: list[Problem]) -> None:
        self.feature_id = feature_id
        self.problems = problems

    def add(self, field_path: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.feature_id, field_path, message, fix))

    def fields(self, obj: dict, spec: dict[str, bool], path: str) -> None:
        """Report missing required fields and unknown ones."""
        required = _REQUIRED.get(id(spec))
        if required is None:
            required = _REQUIRED[id(spec)] = frozenset(n for n, r in spec.items() if r)
        keys = obj.keys()
        if keys <= spec.keys() and keys >= required and None not in obj.values():
            return  # the common case: nothing to report
        prefix = f"{path}." if path else ""
        for name, required in spec.items():
            if required and name not in obj:
                self.add(f"{prefix}{name}", "is missing", f"add the {name!r} field")
        for name, value in obj.items():
            if name in spec and value is None:
                self.add(
                    f"{prefix}{name}",
                    "is null",
                    "give a value" + ("" if spec[name] else ", or remove the field"),
                )
            if name not in spec:
                known = ", ".join(spec)
                self.add(
                    f"{prefix}{name}",
                    "is not a known field",
                    f"remove it, or use one of: {known} (free text belongs in notes)",
                )

    def text(self, obj: dict, name: str, path: str, *, required: bool = False) -> str | None:
        if name not in obj:
            return None
        value = obj[name]
        if (
            isinstance(value, str)
            and len(value) <= MAX_TEXT
            and not _FORBIDDEN_TEXT.search(value)
            and (name in MULTILINE_FIELDS or not _LINE_BREAK.search(value))
            and (not required or not value.isspace() and value)
        ):
            return value  # the common case: nothing to report
        full = f"{path}.{name}" if path else name
        if not isinstance(value, str):
            self.add(full, f"expected text, got {_kind(value)}", "write it as a JSON string")
            return None
        if required and not value.strip():
            self.add(full, "is empty", "give a value")
        bad = _FORBIDDEN_TEXT.search(value)
        if bad:
            self.add(
                full,
                f"contains the control character U+{ord(bad.group()):04X}",
                "remove it (terminal escapes and bidi overrides are not allowed in text)",
            )
        elif name not in MULTILINE_FIELDS and ("\n" in value or "\r" in value or "\t" in value):
            self.add(full, "contains a line break or tab", "write it on one line")
        if len(value) > MAX_TEXT:
            self.add(full, f"is {len(value)} characters long", f"keep it under {MAX_TEXT}")
        return value

    def choice(self, obj: dict, name: str, path: str, choices: tuple[str, ...]) -> str | None:
        full = f"{path}.{name}" if path else name
        if name not in obj:
            return None
        value = obj[name]
        if not isinstance(value, str) or value not in choices:
            shown = repr(value) if isinstance(value, str) else _kind(value)
            self.add(full, f"{shown} is not known", f"use one of: {', '.join(choices)}")
            return None
        return value

    def date(self, obj: dict, name: str, path: str) -> None:
        if name in obj:
            problem = date_problem(obj[name])
            if problem:
                self.add(f"{path}.{name}", problem, "write YYYY, YYYY-MM or YYYY-MM-DD")

    def date_text(self, obj: dict, path: str) -> None:
        """`date_text`, the source's own wording of a date, stands only beside a `date`."""
        if "date_text" not in obj:
            return
        self.text(obj, "date_text", path, required=True)
        if "date" not in obj:
            self.add(
                f"{path}.date_text",
                "is given without a date",
                "add the date it stands for, or remove date_text",
            )

    def url(self, obj: dict, name: str, path: str) -> None:
        if name in obj:
            problem = url_problem(obj[name])
            if problem:
                self.add(f"{path}.{name}", problem, "give the source's http:// or https:// address")

    def cited(self, obj: dict, path: str, source_ids: set[str]) -> None:
        """A claim's `sources`: a non-empty list of ids that exist on this site."""
        if "sources" not in obj:
            return
        cites = obj["sources"]
        if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
            self.add(f"{path}.sources", "must be a list of source ids", 'e.g. ["s1"]')
            return
        if not cites:
            self.add(f"{path}.sources", "cites no source", "cite at least one source id")
        if len(set(cites)) != len(cites):
            self.add(f"{path}.sources", "cites the same source twice", "cite each source once")
        for cite in dict.fromkeys(cites):
            if cite not in source_ids:
                known = ", ".join(sorted(source_ids)) or "none yet"
                self.add(
                    f"{path}.sources",
                    f"cites source {cite!r}, which this site does not have",
                    f"cite one of its sources ({known}) or add it with `gravemap cite`",
                )


def validate_collection(
    data: Any, *, check_country: bool = True, only: Collection[int] | None = None
) -> list[Problem]:
    """Every problem in a parsed data file, in file order; an empty list means valid.

    With `only`, the sites at those positions are checked field by field and the others only
    for the rules that span the collection (unique ids, retired ids): how the store checks a
    change to a file it has already validated as a whole.
    """
    problems: list[Problem] = []
    top = _Checker(None, problems)
    if not isinstance(data, dict):
        top.add(
            "(file)",
            f"expected a GeoJSON FeatureCollection object, got {_kind(data)}",
            'the file must start with {"type": "FeatureCollection", ...}',
        )
        return problems
    if data.get("type") != "FeatureCollection":
        top.add(
            "type",
            f"is {data.get('type')!r}, not 'FeatureCollection'",
            'set "type": "FeatureCollection"',
        )
    if "crs" in data:
        top.add("crs", "RFC 7946 GeoJSON has no crs member", "remove it (coordinates are WGS 84)")
    for name in data:
        if name not in COLLECTION_FIELDS and name != "crs":
            top.add(name, "is not a known member of the collection", "remove it")
    _check_bbox(data, top)
    meta = data.get("gravemap")
    _validate_values({"gravemap": meta}, top, inner=None)
    if not isinstance(meta, dict):
        top.add(
            "gravemap",
            "is missing or not an object",
            f'add "gravemap": {{"schema": {SCHEMA_VERSION}}}',
        )
    else:
        if meta.get("schema") != SCHEMA_VERSION or isinstance(meta.get("schema"), bool):
            top.add(
                "gravemap.schema",
                f"is {meta.get('schema')!r}, expected {SCHEMA_VERSION}",
                f"set it to {SCHEMA_VERSION} (this gravemap reads schema {SCHEMA_VERSION})",
            )
        retired = meta.get("retired_ids", [])
        if not isinstance(retired, list) or not all(isinstance(r, str) for r in retired):
            top.add("gravemap.retired_ids", "must be a list of ids", "fix or remove it")
        for name in meta:
            if name not in META_FIELDS:
                top.add(f"gravemap.{name}", "is not known", "remove it")
    features = data.get("features")
    if not isinstance(features, list):
        top.add(
            "features", f"expected a list of features, got {_kind(features)}", 'add "features": []'
        )
        return problems

    checked = features if only is None else [f for i, f in enumerate(features) if i in only]
    suspect = _may_hold_lone_surrogate(checked)
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        fid = feature.get("id") if isinstance(feature, dict) else None
        label = fid if isinstance(fid, str) and fid else f"features[{index}]"
        checker = _Checker(label, problems)
        if isinstance(fid, str) and fid:
            if fid in seen:
                checker.add(
                    "id", f"is used by features[{seen[fid]}] too", "give each site its own id"
                )
            else:
                seen[fid] = index
        if only is None or index in only:
            _validate_values(feature, checker, strings=suspect)
            _validate_feature(feature, checker, check_country=check_country)
    if isinstance(meta, dict) and isinstance(meta.get("retired_ids"), list):
        for fid in seen:
            if fid in meta["retired_ids"]:
                _Checker(fid, problems).add(
                    "id",
                    "was retired when a site was removed and is never reused",
                    "give this site a new id",
                )
    return problems


def _may_hold_lone_surrogate(obj: Any) -> bool:
    """A fast (C-speed) first look: False when no key or string in `obj` holds a surrogate.

    orjson refuses to write a lone surrogate (and non-text keys, and deep nesting), so its
    success settles the question; the standard library, slower, is the fallback."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        orjson = None
    if orjson is not None:
        try:
            orjson.dumps(obj)
        except (TypeError, ValueError):
            return True
        return False
    try:
        text = json.dumps(obj, ensure_ascii=False, default=repr)
    except (RecursionError, ValueError, TypeError):
        return True
    return _LONE_SURROGATE.search(text) is not None


def _validate_values(
    obj: Any, c: _Checker, *, inner: str | None = "properties", strings: bool = True
) -> None:
    """Every key and string of a feature (or the collection's `gravemap` member): no lone
    surrogate (`\\ud800`, which no file or terminal can encode) and nothing nested deeper than
    MAX_NESTING. Paths inside `inner` are named without it, as validation names fields.
    Iterative, so that a hostile depth cannot exhaust the stack here either."""
    if not isinstance(obj, dict):
        return
    # (value, field path, depth, its key in the parent)
    stack: list[tuple[Any, str, int, Any]] = []
    for key, value in reversed(obj.items()):
        if key == inner and isinstance(value, dict):
            stack += [(v, str(k), 1, k) for k, v in reversed(value.items())]
        else:
            stack.append((value, str(key), 0, key))
    if not strings:  # only depth to check: every field but the free-form `private` has a shape
        stack = [entry for entry in stack if entry[1] == "private"]
    reported: set[tuple[str, str]] = set()

    def report(path: str, message: str, fix: str) -> None:
        top = re.split(r"[.\[]", path, maxsplit=1)[0]
        if (top, message) not in reported:
            reported.add((top, message))
            c.add(path if len(path) <= 80 else top, message, fix)

    while stack:
        value, path, depth, key = stack.pop()
        if strings and isinstance(key, str) and _LONE_SURROGATE.search(key):
            report(path, "is a field name with a lone surrogate", "rename or remove it")
        if isinstance(value, str):
            if not strings:
                continue
            found = _LONE_SURROGATE.search(value)
            if found:
                report(
                    path,
                    f"contains a lone surrogate (U+{ord(found.group()):04X}), which is not text",
                    "remove the \\u escape or write the character it should be",
                )
        elif isinstance(value, (dict, list)):
            if depth >= MAX_NESTING:
                report(
                    path,
                    f"is nested more than {MAX_NESTING} levels deep",
                    f"flatten it (gravemap keeps at most {MAX_NESTING} levels)",
                )
                continue
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, item in reversed(list(items)):
                child = f"{path}.{k}" if isinstance(k, str) else f"{path}[{k}]"
                stack.append((item, child, depth + 1, k))


def _check_bbox(obj: dict, c: _Checker) -> None:
    """RFC 7946 section 5: a bbox is 2*n numbers."""
    if "bbox" not in obj:
        return
    box = obj["bbox"]
    if (
        not isinstance(box, list)
        or len(box) not in (4, 6)
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box)
    ):
        c.add("bbox", "must be a list of 4 (or 6) numbers", "fix it or remove it")


def _validate_feature(feature: Any, c: _Checker, *, check_country: bool) -> None:
    if not isinstance(feature, dict):
        c.add(
            "(feature)",
            f"expected a Feature object, got {_kind(feature)}",
            "each entry of features must be a GeoJSON Feature",
        )
        return
    if feature.get("type") != "Feature":
        c.add("type", f"is {feature.get('type')!r}, not 'Feature'", 'set "type": "Feature"')
    for name in feature:
        if name not in ("type", "id", "geometry", "properties", "bbox"):
            c.add(
                name, "is not a known member of a Feature", "move it into properties or remove it"
            )
    _check_bbox(feature, c)
    fid = feature.get("id")
    if "id" not in feature:
        c.add("id", "is missing", "give the site a slug id such as ir-ahvaz-01")
    elif not isinstance(fid, str) or not ID_PATTERN.fullmatch(fid) or len(fid) > MAX_ID:
        c.add("id", f"{fid!r} is not a slug", "use lowercase letters, digits and hyphens")

    props = feature.get("properties")
    if not isinstance(props, dict):
        c.add("properties", f"expected an object, got {_kind(props)}", "add the site's fields")
        props = {}
    else:
        c.fields(props, SITE_FIELDS, "")

    country = c.text(props, "country", "")
    if isinstance(country, str) and not COUNTRY_PATTERN.fullmatch(country):
        c.add(
            "country",
            f"{country!r} is not an ISO 3166-1 alpha-2 code",
            "use two capital letters, e.g. IR",
        )
        country = None
    _validate_geometry(feature.get("geometry"), c, country if check_country else None)

    for name in ("name", "city"):
        c.text(props, name, "", required=True)
    for name in ("name_fa", "city_fa", "province", "notes"):
        c.text(props, name, "")
    c.choice(props, "verification", "", VERIFICATIONS)
    c.choice(props, "publish", "", PUBLISH_LEVELS)
    if "private" in props and not isinstance(props["private"], dict):
        c.add(
            "private",
            f"expected an object, got {_kind(props['private'])}",
            'write it as {"key": "value"}',
        )

    source_ids = _validate_sources(props.get("sources"), c)
    if props.get("verification") == "corroborated" and isinstance(props.get("sources"), list):
        publishers = {
            s["publisher"].strip().casefold()
            for s in props["sources"]
            if isinstance(s, dict) and isinstance(s.get("publisher"), str)
        }
        if len(publishers) < 2:
            c.add(
                "verification",
                "is 'corroborated' but the sources name fewer than two publishers",
                "add a source from an independent publisher, or use 'reported'",
            )
    _validate_history(props, c, source_ids)
    _validate_location(props.get("location"), c)
    _validate_victims(props.get("victims"), c, source_ids)
    added = props.get("added")
    if "added" in props:
        if not isinstance(added, dict):
            c.add(
                "added",
                f"expected an object, got {_kind(added)}",
                'write {"at": "YYYY-MM-DDTHH:MM:SSZ"}',
            )
        else:
            c.fields(added, ADDED_FIELDS, "added")
            if "at" in added:
                problem = timestamp_problem(added["at"])
                if problem:
                    c.add("added.at", problem, "write an ISO 8601 date-time")
            c.text(added, "by", "added")


def _validate_geometry(geometry: Any, c: _Checker, country: str | None) -> None:
    if not isinstance(geometry, dict):
        c.add(
            "geometry",
            f"expected a Point, got {_kind(geometry)}",
            'write {"type": "Point", "coordinates": [lon, lat]}',
        )
        return
    if geometry.get("type") != "Point":
        c.add(
            "geometry.type",
            f"is {geometry.get('type')!r}, not 'Point'",
            "a site is one Point; describe an area in location.note",
        )
        return
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) not in (2, 3)
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in coords)
    ):
        c.add("geometry.coordinates", "must be [longitude, latitude]", "give two numbers")
        return
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except OverflowError:
        lon = lat = math.inf
    if not (math.isfinite(lon) and math.isfinite(lat)):
        c.add("geometry.coordinates", "must be finite numbers", "give two numbers")
        return
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        swapped = -180 <= lat <= 180 and -90 <= lon <= 90
        c.add(
            "geometry.coordinates",
            f"[{lon}, {lat}] is out of range",
            "longitude comes first (-180..180), then latitude (-90..90)"
            + ("; latitude and longitude swapped?" if swapped else ""),
        )
        return
    if country:
        from gravemap.gazetteer import country_contains

        inside = country_contains(country, lon, lat)
        if inside is False:
            if country_contains(country, lat, lon):
                c.add(
                    "geometry.coordinates",
                    f"[{lon}, {lat}] lies outside {country}, but [{lat}, {lon}] lies inside: "
                    "latitude and longitude swapped?",
                    "GeoJSON puts longitude first: write [lon, lat]",
                )
            else:
                c.add(
                    "geometry.coordinates",
                    f"[{lon}, {lat}] lies outside {country}",
                    "check the coordinates (longitude first) or the country code",
                )


def _validate_sources(sources: Any, c: _Checker) -> set[str]:
    ids: set[str] = set()
    if sources is None:
        return ids
    if not isinstance(sources, list):
        c.add("sources", f"expected a list, got {_kind(sources)}", "list the site's sources")
        return ids
    if not sources:
        c.add(
            "sources", "is empty", "every site needs at least one source; add one with --source-url"
        )
    for i, source in enumerate(sources):
        path = f"sources[{i}]"
        if not isinstance(source, dict):
            c.add(
                path, f"expected an object, got {_kind(source)}", "give id, publisher, title, url"
            )
            continue
        c.fields(source, SOURCE_FIELDS, path)
        sid = source.get("id")
        if "id" in source:
            if not isinstance(sid, str) or not SOURCE_ID_PATTERN.fullmatch(sid):
                c.add(f"{path}.id", f"{sid!r} is not a valid source id", "use e.g. s1, s2")
            elif sid in ids:
                c.add(
                    f"{path}.id",
                    f"{sid!r} is used twice on this site",
                    "give each source its own id",
                )
            else:
                ids.add(sid)
        for name in ("publisher", "title"):
            c.text(source, name, path, required=True)
        c.text(source, "quote", path)
        c.url(source, "url", path)
        c.url(source, "archived_url", path)
        c.date(source, "date", path)
        c.date_text(source, path)
        c.date(source, "accessed", path)
    return ids


def _validate_history(props: dict, c: _Checker, source_ids: set[str]) -> None:
    current = c.choice(props, "status", "", STATUSES)
    history = props.get("status_history")
    if "status_history" not in props:
        return
    if not isinstance(history, list) or not history:
        c.add(
            "status_history", "must be a non-empty list", "record at least one dated, cited status"
        )
        return
    last_key: tuple[int, _dt.date] | None = None
    latest: str | None = None
    for i, entry in enumerate(history):
        path = f"status_history[{i}]"
        if not isinstance(entry, dict):
            c.add(path, f"expected an object, got {_kind(entry)}", "give status, date, sources")
            continue
        c.fields(entry, STATUS_FIELDS, path)
        latest = c.choice(entry, "status", path, STATUSES)
        c.date(entry, "date", path)
        c.date_text(entry, path)
        c.text(entry, "note", path)
        c.cited(entry, path, source_ids)
        undated = entry.get("undated")
        if "undated" in entry and undated is not True:
            c.add(
                f"{path}.undated",
                f"is {undated!r}",
                "write true for an entry whose source gives no date, or remove it",
            )
        if "date" in entry and undated is True:
            c.add(
                f"{path}.undated",
                "is true but the entry has a date",
                "remove undated, or remove the date if the source gives none",
            )
        elif "date" not in entry and "undated" not in entry:
            c.add(
                f"{path}.date",
                "is missing",
                'give the date the source reports, or "undated": true if it gives none',
            )
        if "date" in entry and date_problem(entry["date"]) is not None:
            continue
        key = dates.sort_key(entry)
        if last_key is not None and key < last_key:
            if "date" in entry:
                c.add(
                    f"{path}.date",
                    f"{entry['date']!r} is older than the entry before it",
                    "keep status_history oldest first",
                )
            else:
                c.add(
                    f"{path}.undated",
                    "is an undated entry after a dated one",
                    "put undated entries first in status_history (the latest dated one is "
                    "the current status)",
                )
        last_key = key
    if current and latest and current != latest and isinstance(history[-1], dict):
        c.add(
            "status",
            f"is {current!r} but the latest status_history entry says {latest!r}",
            f"set status to {latest!r}: it is the latest entry of status_history",
        )


def _validate_location(location: Any, c: _Checker) -> None:
    if location is None:
        return
    if not isinstance(location, dict):
        c.add(
            "location",
            f"expected an object, got {_kind(location)}",
            "give precision, method and query",
        )
        return
    c.fields(location, LOCATION_FIELDS, "location")
    c.choice(location, "precision", "location", PRECISIONS)
    c.choice(location, "method", "location", METHODS)
    c.text(location, "query", "location")
    c.text(location, "note", "location")
    gid = location.get("geonameid")
    if "geonameid" in location and (not isinstance(gid, int) or isinstance(gid, bool) or gid <= 0):
        c.add("location.geonameid", f"{gid!r} is not a GeoNames id", "give a positive integer")


def _validate_victims(victims: Any, c: _Checker, source_ids: set[str]) -> None:
    if victims is None:
        return
    if not isinstance(victims, dict):
        c.add("victims", f"expected an object, got {_kind(victims)}", "give low/high and sources")
        return
    c.fields(victims, VICTIMS_FIELDS, "victims")
    bounds = {}
    for name in ("low", "high"):
        value = victims.get(name)
        if name in victims:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                c.add(f"victims.{name}", f"{value!r} is not a count", "give a whole number >= 0")
            else:
                bounds[name] = value
    if "low" not in victims and "high" not in victims:
        c.add("victims", "gives neither low nor high", "give at least one reported count")
    if len(bounds) == 2 and bounds["low"] > bounds["high"]:
        c.add(
            "victims.low",
            f"{bounds['low']} is greater than high {bounds['high']}",
            "swap them or correct the counts",
        )
    c.text(victims, "note", "victims")
    c.cited(victims, "victims", source_ids)


# ---------------------------------------------------------------------------------------------
# Typed view of valid data.


def _join(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


@dataclass
class Source:
    id: str
    publisher: str
    title: str
    url: str
    date: str | None = None
    quote: str | None = None
    accessed: str | None = None
    archived_url: str | None = None
    #: The source's own wording of `date` when it differs (a Solar Hijri date).
    date_text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(self.__dict__.copy())


@dataclass
class StatusChange:
    """One reported status: dated (`date`, maybe `date_text`) or `undated`, always cited."""

    status: str
    date: str | None
    sources: list[str]
    note: str | None = None
    #: The source's own wording of `date` when it differs (a Solar Hijri date).
    date_text: str | None = None
    #: True when the source gives no date (then `date` is None).
    undated: bool = False

    @classmethod
    def entered(
        cls,
        status: str,
        date: dates.EnteredDate,
        sources: Iterable[str],
        note: str | None = None,
    ) -> StatusChange:
        """An entry from an entered date (`dates.parse_date`): dated, with the source's own
        text when it was Solar Hijri, or undated."""
        return cls(
            status=status,
            date=date.value,
            date_text=date.text,
            undated=date.undated,
            sources=list(dict.fromkeys(sources)),
            note=note or None,
        )

    def to_json(self) -> dict[str, Any]:
        out = _drop_none({**self.__dict__, "sources": list(self.sources)})
        if not self.undated:
            out.pop("undated", None)
        return out


@dataclass
class Location:
    precision: str
    method: str
    query: str
    geonameid: int | None = None
    note: str | None = None

    @classmethod
    def of(cls, located: Located, note: str | None = None) -> Location:
        """A site's `location` from where `geocode.locate` found it; `note` replaces its note."""
        return cls(
            precision=located.precision,
            method=located.method,
            query=located.query,
            geonameid=located.geonameid,
            note=located.note if note is None else note or None,
        )

    def to_json(self) -> dict[str, Any]:
        return _drop_none(self.__dict__.copy())


def geocoded_names(found: Located | Candidate | None) -> dict[str, str | None]:
    """city, city_fa and province of a geocoded place, as a site stores them ({} for none).

    `found` is the geocoder's typed answer: a `Located` (its linked place) or a `Candidate`.
    A place of province precision names the province and no city.
    """
    from gravemap.geocode.locate import Located

    place = found.place if isinstance(found, Located) else found
    if place is None:
        return {}
    if place.precision == "province":
        return {"city": None, "city_fa": None, "province": place.province or None}
    return {
        "city": plain_latin(place.name) if place.name else None,
        "city_fa": place.name_fa or None,
        "province": place.province or None,
    }


@dataclass
class Victims:
    sources: list[str]
    low: int | None = None
    high: int | None = None
    note: str | None = None

    def count_text(self) -> str:
        """The reported count as a reader sees it: `44`, `30–50`."""
        counts = dict.fromkeys(x for x in (self.low, self.high) if x is not None)
        return "–".join(str(x) for x in counts)

    def to_json(self) -> dict[str, Any]:
        return _drop_none({**self.__dict__, "sources": list(self.sources)})


@dataclass
class Added:
    at: str
    by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(self.__dict__.copy())


@dataclass
class Site:
    """One reported site. `status` is always the latest entry of `status_history`."""

    id: str
    lon: float
    lat: float
    name: str
    country: str
    location: Location
    status_history: list[StatusChange]
    sources: list[Source]
    added: Added
    verification: str = "reported"
    publish: str = "full"
    city: str | None = None
    name_fa: str | None = None
    city_fa: str | None = None
    province: str | None = None
    victims: Victims | None = None
    notes: str | None = None
    private: dict[str, Any] | None = None
    # Coordinates beyond longitude and latitude (an elevation) are kept as given.
    extra_coordinates: list[float] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.status_history[-1].status

    def without_private(self) -> Site:
        """A copy holding nothing private: no `private` fields, no `added.by`."""
        public = copy.deepcopy(self)
        public.private = None
        public.added.by = None
        return public

    def source_by_url(self, url: str) -> Source | None:
        """The site's source with this URL, so that one document is cited under one id."""
        return next((s for s in self.sources if s.url == url), None)

    def next_source_id(self) -> str:
        """`s1`, `s2`, ...: the first free one, never reusing a number in use."""
        used = {s.id for s in self.sources}
        n = len(self.sources) + 1
        while f"s{n}" in used:
            n += 1
        return f"s{n}"

    # -- correcting the record: entries are numbered from 1 in stored order (`gravemap history`),
    # sources by their id. Every change leaves the history in order, so that `status` is
    # always the latest dated entry; the store validates the whole site before writing.

    def status_entry(self, number: int) -> StatusChange:
        """Status entry `number` (1 = the first stored; `gravemap history` shows the numbers)."""
        count = len(self.status_history)
        if not 1 <= number <= count:
            raise RecordError(
                f"{self.id} has {count} status entr{'y' if count == 1 else 'ies'}; "
                f"give a number from 1 to {count} (see `gravemap history {self.id}`)"
            )
        return self.status_history[number - 1]

    def sort_history(self) -> None:
        """Undated entries first (in entry order), then dated ones by the start of their date."""
        self.status_history.sort(key=dates.sort_key)

    def edit_status(
        self,
        number: int,
        *,
        status: str | None = None,
        date: dates.EnteredDate | None = None,
        note: str | None = None,
        sources: Iterable[str] | None = None,
    ) -> tuple[StatusChange, int]:
        """Correct entry `number`; returns it and its number after re-sorting.

        `note=""` removes the note; `sources` replaces the cited ids (each must be a source of
        this site). A new date may move the entry, and so change the current status.
        """
        entry = self.status_entry(number)
        if status is not None:
            if status not in STATUSES:
                raise RecordError(
                    f"status {status!r} is not known; use one of: {', '.join(STATUSES)}"
                )
            entry.status = status
        if date is not None:
            entry.date, entry.date_text, entry.undated = date.value, date.text, date.undated
        if note is not None:
            entry.note = note.strip() or None
        if sources is not None:
            cites = list(dict.fromkeys(sources))
            for cite in cites:
                self.find_source(cite)
            if not cites:
                raise RecordError("a status entry must cite at least one source")
            entry.sources = cites
        self.sort_history()
        return entry, self.status_history.index(entry) + 1

    def delete_status(self, number: int) -> StatusChange:
        """Remove entry `number`; the current status becomes the latest remaining entry."""
        entry = self.status_entry(number)
        if len(self.status_history) == 1:
            raise RecordError(
                f"entry 1 is the only status entry of {self.id}; a site needs one: correct it "
                f"with `gravemap status {self.id} --edit 1` instead"
            )
        del self.status_history[number - 1]
        return entry

    def find_source(self, source_id: str) -> Source:
        """The source with this id, or a RecordError naming the ones the site has."""
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none"
        raise RecordError(f"{self.id} has no source {source_id!r} (it has: {known})")

    def claims_citing(self, source_id: str) -> list[str]:
        """The claims that cite a source, as a reader names them: `status entry 2`, `victims`."""
        claims = [
            f"status entry {i}"
            for i, entry in enumerate(self.status_history, 1)
            if source_id in entry.sources
        ]
        if self.victims and source_id in self.victims.sources:
            claims.append("victims")
        return claims

    def cite(
        self,
        *,
        url: str,
        title: str,
        publisher: str,
        date: dates.EnteredDate | None = None,
        quote: str | None = None,
        accessed: str | None = None,
        archived_url: str | None = None,
    ) -> tuple[Source, bool]:
        """Add a source, or find the one already cited under this URL; returns (it, added?).

        One document is cited under one id: a URL the site already cites is never added
        twice. A new source gets the next free id (`s1`, `s2`, ...) and `accessed` defaults to
        today; `accessed=""` records no access date (an imported row does not say when its
        source was read, and the import is not a reading of it).
        """
        existing = self.source_by_url(url)
        if existing is not None:
            return existing, False
        source = Source(
            id=self.next_source_id(),
            publisher=publisher,
            title=title,
            url=url,
            date=date.value if date else None,
            date_text=date.text if date else None,
            quote=quote or None,
            accessed=_dt.date.today().isoformat() if accessed is None else accessed or None,
            archived_url=archived_url or None,
        )
        self.sources.append(source)
        return source, True

    def edit_source(self, source_id: str, **changes: Any) -> Source:
        """Correct fields of a source (`title`, `url`, `publisher`, `date` as an EnteredDate,
        `quote`, `archived_url`, `accessed`); None leaves a field, "" removes an optional one.
        """
        source = self.find_source(source_id)
        unknown = set(changes) - {
            "title",
            "url",
            "publisher",
            "date",
            "quote",
            "archived_url",
            "accessed",
        }
        if unknown:
            raise RecordError(f"a source has no field {sorted(unknown)[0]!r}")
        url = changes.get("url")
        if url is not None:
            other = self.source_by_url(url)
            if other is not None and other is not source:
                raise RecordError(
                    f"{self.id} already cites {url} as {other.id}; cite {other.id} in the "
                    f"claims that cite {source.id} (`gravemap status {self.id} --edit N "
                    f"--source {other.id}`), then delete {source.id}"
                )
            source.url = url
        for name in ("title", "publisher"):
            if changes.get(name) is not None:
                setattr(source, name, changes[name])
        for name in ("quote", "archived_url", "accessed"):
            if changes.get(name) is not None:
                setattr(source, name, changes[name] or None)
        date = changes.get("date")
        if date is not None:
            if date.undated:
                source.date = source.date_text = None
            else:
                source.date, source.date_text = date.value, date.text
        return source

    def delete_source(self, source_id: str) -> Source:
        """Remove a source no claim cites (else a RecordError names the claims)."""
        source = self.find_source(source_id)
        claims = self.claims_citing(source_id)
        if claims:
            raise RecordError(
                f"{source_id} is cited by {_join(claims)} of {self.id}; cite another source "
                "there first (`gravemap status ID --edit N --source ...`, `gravemap edit ID "
                "--victims-source ...`), or delete those claims"
            )
        if len(self.sources) == 1:
            raise RecordError(f"{source_id} is the only source of {self.id}; a site needs one")
        self.sources.remove(source)
        return source

    def move(self, lat: float, lon: float, precision: str) -> None:
        """Put the site at a new point located by hand (`location.method` becomes `manual`).

        The query, GeoNames link and location note stay: they still say where the report put
        it and which city `publish: city` shows.
        """
        if precision not in PRECISIONS:
            raise RecordError(
                f"precision {precision!r} is not known; use one of: {', '.join(PRECISIONS)}"
            )
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RecordError(f"({lat}, {lon}) is not a latitude and longitude")
        self.lat, self.lon = lat, lon
        self.location = Location(
            precision=precision,
            method="manual",
            query=self.location.query,
            geonameid=self.location.geonameid,
            note=self.location.note,
        )

    def link_city(self, geonameid: int) -> None:
        """Link the site to a GeoNames place of its country: the centre `publish: city` shows."""
        from gravemap.gazetteer import place_by_geonameid

        if place_by_geonameid(geonameid, self.country) is None:
            raise RecordError(
                f"{geonameid} is not a place of {self.country} in the gazetteer; find the id "
                "with `gravemap geocode CITY`"
            )
        self.location.geonameid = geonameid

    def set_victims(
        self,
        *,
        low: int | None = None,
        high: int | None = None,
        sources: Iterable[str] = (),
        note: str | None = None,
    ) -> Victims:
        """Record reported victim counts, always attributed; what is not given is kept.

        New counts replace both old ones and need `sources`; sources or a note alone amend
        the existing record. `note=""` removes the note.
        """
        cites = list(dict.fromkeys(sources))
        counts = low is not None or high is not None
        old = self.victims
        if not cites and (old is None or counts):
            raise UnattributedError(
                "a victims count must be attributed: cite the source(s) it comes from"
            )
        for cite in cites:
            self.find_source(cite)
        self.victims = Victims(
            sources=cites or (old.sources if old else []),
            low=low if counts else (old.low if old else None),
            high=high if counts else (old.high if old else None),
            note=(note.strip() or None) if note is not None else (old.note if old else None),
        )
        return self.victims

    def add_status(self, change: StatusChange) -> StatusChange:
        """Record a status change, keeping the history in order; returns the entry.

        Undated entries come first, then dated ones by the start of their date, so the latest
        dated report is the site's status; a late-found older report goes before newer ones.
        A report of the same status on the same date as an existing entry corroborates it: its
        sources (and a different note) are added to that entry instead of repeating it.
        """
        for entry in self.status_history:
            if (
                change.date is not None
                and entry.status == change.status
                and entry.date == change.date
            ):
                entry.sources += [s for s in change.sources if s not in entry.sources]
                if change.note and change.note != entry.note:
                    entry.note = f"{entry.note} {change.note}" if entry.note else change.note
                if change.date_text and not entry.date_text:
                    entry.date_text = change.date_text
                return entry
        key = dates.sort_key(change)
        index = len(self.status_history)
        while index > 0 and dates.sort_key(self.status_history[index - 1]) > key:
            index -= 1
        self.status_history.insert(index, change)
        return change

    def to_feature(self) -> dict[str, Any]:
        props: dict[str, Any] = {
            "name": self.name,
            "name_fa": self.name_fa,
            "city": self.city,
            "city_fa": self.city_fa,
            "province": self.province,
            "country": self.country,
            "location": self.location.to_json(),
            "status": self.status,
            "status_history": [s.to_json() for s in self.status_history],
            "sources": [s.to_json() for s in self.sources],
            "verification": self.verification,
            "victims": self.victims.to_json() if self.victims else None,
            "notes": self.notes,
            "added": self.added.to_json(),
            "publish": self.publish,
            "private": self.private,
        }
        return {
            "type": "Feature",
            "id": self.id,
            "geometry": {
                "type": "Point",
                "coordinates": [self.lon, self.lat, *self.extra_coordinates],
            },
            "properties": _drop_none(props),
        }

    @classmethod
    def from_feature(cls, feature: dict[str, Any]) -> Site:
        """Build from a Feature that passed `validate_collection`."""
        p = feature["properties"]
        coords = feature["geometry"]["coordinates"]
        victims = p.get("victims")
        return cls(
            id=feature["id"],
            lon=coords[0],
            lat=coords[1],
            extra_coordinates=list(coords[2:]),
            name=p["name"],
            name_fa=p.get("name_fa"),
            city=p.get("city"),
            city_fa=p.get("city_fa"),
            province=p.get("province"),
            country=p["country"],
            location=Location(**p["location"]),
            status_history=[
                StatusChange(**{"date": None, **s, "sources": list(s["sources"])})
                for s in p["status_history"]
            ],
            sources=[Source(**s) for s in p["sources"]],
            verification=p["verification"],
            victims=Victims(**{**victims, "sources": list(victims["sources"])})
            if victims
            else None,
            notes=p.get("notes"),
            added=Added(**p["added"]),
            publish=p.get("publish", "full"),
            private=p.get("private"),
        )


class SiteCollection:
    """All sites of one data file, plus ids retired by removals (never handed out again).

    Built from a file, it keeps each site's stored Feature and makes the typed `Site` only for
    the sites a command asks for (`get`), so that `show ID` or a status change on a file of
    100,000 sites builds one object, not 100,000. `changed_features()` tells the store which
    sites a command may have changed, so that a write validates those (and the rules that span
    the collection) rather than every site again.
    """

    def __init__(
        self, sites: Iterable[Site] | None = None, retired_ids: Iterable[str] | None = None
    ) -> None:
        self._built: list[Site | None] = [] if sites is None else list(sites)
        # The Feature each site was read from; None for a site added since.
        self._features: list[dict[str, Any] | None] = [None] * len(self._built)
        self._positions: dict[str, int] | None = None
        self.retired_ids: list[str] = list(retired_ids or [])

    @classmethod
    def from_geojson(cls, data: dict[str, Any]) -> SiteCollection:
        """Wrap a collection that passed `validate_collection` (sites are built when asked for)."""
        collection = cls(retired_ids=data.get("gravemap", {}).get("retired_ids", []))
        collection._features = list(data["features"])
        collection._built = [None] * len(collection._features)
        return collection

    def _site(self, index: int) -> Site:
        site = self._built[index]
        if site is None:
            feature = self._features[index]
            assert feature is not None
            site = self._built[index] = Site.from_feature(feature)
        return site

    @property
    def sites(self) -> list[Site]:
        """Every site, built (a command that walks them all pays for all of them)."""
        return [self._site(i) for i in range(len(self._built))]

    def features(self) -> Iterator[dict[str, Any]]:
        """Every site as a stored Feature, without building typed objects for untouched ones."""
        for index, feature in enumerate(self._features):
            site = self._built[index]
            yield site.to_feature() if site is not None else feature  # type: ignore[misc]

    def __iter__(self) -> Iterator[Site]:
        return (self._site(i) for i in range(len(self._built)))

    def sites_where(self, maybe: Callable[[dict[str, Any]], bool]) -> Iterator[Site]:
        """The sites a search needs to look at closely: every site already built, and the
        stored ones whose Feature `maybe` lets through (a cheap, generous first test on the
        stored dict), so that the rest are never built."""
        for index, site in enumerate(self._built):
            if site is not None:
                yield site
            elif maybe(self._features[index]):  # type: ignore[arg-type]
                yield self._site(index)

    def __len__(self) -> int:
        return len(self._built)

    def _index_of(self, site_id: str) -> int | None:
        if self._positions is None:
            self._positions = {}
            for index, feature in enumerate(self._features):
                built = self._built[index]
                key = built.id if built is not None else feature["id"]  # type: ignore[index]
                self._positions.setdefault(key, index)
        index = self._positions.get(site_id)
        if index is not None and self._site_id(index) == site_id:
            return index
        self._positions = None  # stale after a removal: rebuild once
        return next((i for i in range(len(self._built)) if self._site_id(i) == site_id), None)

    def _site_id(self, index: int) -> str:
        built = self._built[index]
        return built.id if built is not None else self._features[index]["id"]  # type: ignore[index]

    def ids(self) -> list[str]:
        return [self._site_id(i) for i in range(len(self._built))]

    def get(self, site_id: str) -> Site:
        from gravemap.errors import SiteNotFoundError

        index = self._index_of(site_id)
        if index is None:
            raise SiteNotFoundError(site_id)
        return self._site(index)

    def add(self, site: Site) -> None:
        self._built.append(site)
        self._features.append(None)
        if self._positions is not None:
            self._positions.setdefault(site.id, len(self._built) - 1)

    def remove(self, site_id: str) -> Site:
        site = self.get(site_id)
        index = self._index_of(site_id)
        assert index is not None
        del self._built[index]
        del self._features[index]
        self._positions = None
        if site_id not in self.retired_ids:
            self.retired_ids.append(site_id)
        return site

    def new_id(
        self, country: str, place: str | None, *, taken: Collection[str] | None = None
    ) -> str:
        """A fresh slug `{country}-{place}-{NN}` (e.g. `ir-ahvaz-01`), never one used before.

        `taken` is every id in use or retired, when the caller keeps that set (an import
        drawing many ids); by default it is gathered from the collection.
        """
        place_slug = (slugify(place or "") or "site")[: MAX_ID - 8].strip("-")
        base = "-".join(p for p in (slugify(country), place_slug) if p)
        if taken is None:
            taken = set(self.ids()) | set(self.retired_ids)
        n = 1
        while f"{base}-{n:02d}" in taken:
            n += 1
        return f"{base}-{n:02d}"

    def changed_features(self) -> list[int]:
        """Positions of the sites that may differ from the Features they were read from."""
        changed = []
        for index, site in enumerate(self._built):
            if site is None:
                continue
            stored = self._features[index]
            if stored is None or site.to_feature() != stored:
                changed.append(index)
        return changed

    def to_geojson(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"schema": SCHEMA_VERSION}
        if self.retired_ids:
            meta["retired_ids"] = sorted(self.retired_ids)
        return {"type": "FeatureCollection", "gravemap": meta, "features": list(self.features())}


def new_site(
    collection: SiteCollection | None,
    *,
    name: str,
    country: str,
    lon: float,
    lat: float,
    location: Location,
    status: str,
    status_date: dates.EnteredDate,
    source: dict[str, Any],
    status_note: str | None = None,
    name_fa: str | None = None,
    city: str | None = None,
    city_fa: str | None = None,
    province: str | None = None,
    verification: str = "reported",
    publish: str = "full",
    notes: str | None = None,
    added_by: str | None = None,
    private: dict[str, Any] | None = None,
    added_at: str | None = None,
    site_id: str | None = None,
) -> Site:
    """A new site with its first source and status entry, and a fresh id from `collection`.

    The one way a site is built (by `add` and `import`); it is not added to the collection.
    `source` holds the keyword arguments of `Site.cite`; `status_date` is the entered date of
    the first status (`dates.parse_date`), which may be undated. `added_at` defaults to now
    (an import stamps all its sites with one time); `site_id` replaces the fresh id (an import
    prepared before the data file is read gives a placeholder, and `collection` None).
    """
    if status not in STATUSES:
        raise RecordError(f"status {status!r} is not known; use one of: {', '.join(STATUSES)}")
    if site_id is None:
        if collection is None:
            raise ValueError("new_site needs a collection to draw a fresh id from, or a site_id")
        site_id = collection.new_id(country, city or province)  # ir-tehran-01, ir-khuzestan-01
    site = Site(
        id=site_id,
        lon=lon,
        lat=lat,
        name=name,
        name_fa=name_fa or None,
        city=city or None,
        city_fa=city_fa or None,
        province=province or None,
        country=country,
        location=location,
        status_history=[],
        sources=[],
        verification=verification,
        publish=publish,
        notes=notes or None,
        added=Added(at=added_at or utc_now(), by=added_by or None),
        private=private or None,
    )
    first, _added = site.cite(**source)
    site.status_history.append(StatusChange.entered(status, status_date, [first.id], status_note))
    return site


SUMMARY_COLUMNS = (
    "id",
    "name",
    "name_fa",
    "city",
    "city_fa",
    "province",
    "country",
    "lat",
    "lon",
    "precision",
    "status",
    "status_date",
    "verification",
    "publish",
    "sources",
)


def summary_row(site: Site) -> dict[str, Any]:
    """One flat row per site (for tables and spreadsheets): the latest status, source URLs."""
    return {
        "id": site.id,
        "name": site.name,
        "name_fa": site.name_fa or "",
        "city": site.city or "",
        "city_fa": site.city_fa or "",
        "province": site.province or "",
        "country": site.country,
        "lat": site.lat,
        "lon": site.lon,
        "precision": site.location.precision,
        "status": site.status,
        "status_date": site.status_history[-1].date or dates.UNDATED,
        "verification": site.verification,
        "publish": site.publish,
        "sources": " | ".join(s.url for s in site.sources),
    }


def site_filter(
    statuses: Iterable[str] = (),
    city: str | None = None,
    province: str | None = None,
    verification: str | None = None,
) -> Callable[[dict[str, Any]], bool]:
    """A test of a stored site Feature against every given filter: the city in any spelling
    the geocoder knows (English or Persian), the province case-insensitively. Works on the
    stored dicts, so that a listing of a large file builds typed sites only for what it prints."""
    wanted = frozenset(statuses)

    def same(a: Any, b: str) -> bool:
        return isinstance(a, str) and a.casefold().strip() == b.casefold().strip()

    if city is not None:  # any spelling the geocoder knows: "Ahwaz" finds Ahvaz
        from gravemap.geocode.search import city_matcher

        in_city = city_matcher(city)

    def keep(feature: dict[str, Any]) -> bool:
        p = feature["properties"]
        return (
            (not wanted or p.get("status") in wanted)
            and (city is None or in_city(p.get("city")) or in_city(p.get("city_fa")))
            and (province is None or same(p.get("province"), province))
            and (verification is None or p.get("verification") == verification)
        )

    return keep


def select_sites(
    sites: Iterable[Site],
    statuses: Iterable[str] = (),
    city: str | None = None,
    province: str | None = None,
    verification: str | None = None,
) -> list[Site]:
    """Typed sites matching every given filter (`site_filter`), in file order."""
    keep = site_filter(statuses, city, province, verification)
    fields = ("status", "city", "city_fa", "province", "verification")
    return [s for s in sites if keep({"properties": {f: getattr(s, f) for f in fields}})]
