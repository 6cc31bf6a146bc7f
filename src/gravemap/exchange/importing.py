"""Turning a `Table`'s rows into validated, sourced sites, and adding them to a collection.

Columns are mapped onto site fields (English or Persian headers, or an explicit mapping), rows
that name a place are geocoded, and every row that cannot become a valid site is reported by
its row number. `prepare_import` does the slow part (geocoding) without the data file;
`apply_import` adds the result to a collection, skipping sites already present, and is meant to
run inside `store.edit_collection` so the import is one locked, atomic write.
"""

from __future__ import annotations

import contextlib
import copy
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from gravemap import model
from gravemap.errors import GravemapError, InputError
from gravemap.exchange.formats import JSON_COLUMNS, OWN_FORM_COLUMNS, OWN_FORM_TEXT
from gravemap.exchange.readers import Row, Table, parse_number
from gravemap.text import ARABIC_MARKS, ascii_digits, fold_persian_letters


class ImportProblemsError(GravemapError, ValueError):
    """Rows that cannot be imported; carries every problem, each with its row number."""

    def __init__(self, problems: list[model.Problem], source: str) -> None:
        self.problems = list(problems)
        self.source = source
        rows = {p.feature_id for p in problems}
        super().__init__(
            f"{source}: {len(rows)} row{'s' if len(rows) != 1 else ''} cannot be imported"
        )


class MissingPrecisionError(InputError):
    """The file has coordinates but says nothing about how precise they are."""


# ---------------------------------------------------------------------------------------------
# Column mapping

#: The fields an import fills, with the headers (normalised, English and Persian) that name them.
IMPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "site", "site_name", "نام", "نام_محل", "نام_مکان", "نام_گورستان"),
    "name_fa": ("name_fa", "persian_name", "name_persian", "نام_فارسی"),
    "city": ("city", "town", "place", "شهر", "محل"),
    "city_fa": ("city_fa", "شهر_فارسی"),
    "province": ("province", "state", "region", "استان"),
    "country": ("country", "کشور"),
    "status": ("status", "condition", "وضعیت"),
    "date": ("date", "status_date", "report_date", "تاریخ"),
    "lat": ("lat", "latitude", "y", "عرض", "عرض_جغرافیایی"),
    "lon": ("lon", "lng", "long", "longitude", "x", "طول", "طول_جغرافیایی"),
    "precision": ("precision", "دقت"),
    "source_url": ("source_url", "url", "source", "link", "منبع", "لینک", "پیوند", "نشانی"),
    "publisher": ("publisher", "source_publisher", "ناشر", "منتشرکننده"),
    "title": ("title", "source_title", "عنوان"),
    "source_date": ("source_date", "published", "تاریخ_انتشار"),
    "quote": ("quote", "نقل_قول"),
    "notes": ("notes", "note", "description", "comments", "یادداشت", "توضیحات"),
    "location_note": ("location_note", "where", "توضیح_مکان"),
    "publish": ("publish", "انتشار"),
}


def normalise_header(header: str) -> str:
    """Lowercase, Arabic letter forms made Persian, diacritics dropped, spaces as `_`."""
    text = unicodedata.normalize("NFKC", header).strip().casefold()
    text = fold_persian_letters(ARABIC_MARKS.sub("", text))
    text = text.replace("\u200c", "_")  # zero-width non-joiner between Persian words
    return re.sub(r"[\s\-./:]+", "_", text).strip("_")


def guess_mapping(columns: Iterable[str]) -> dict[str, str]:
    """field -> column for every field whose name (English or Persian) a header carries."""
    normalised = {normalise_header(c): c for c in reversed(list(columns))}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for fieldname, names in IMPORT_FIELDS.items():
        for name in names:
            column = normalised.get(name)
            if column is not None and column not in used:
                mapping[fieldname] = column
                used.add(column)
                break
    return mapping


def apply_mapping_overrides(
    mapping: dict[str, str], overrides: Iterable[str], columns: list[str]
) -> dict[str, str]:
    """Apply `field=column` overrides (`field=` ignores a guessed column); raises InputError."""
    result = dict(mapping)
    for item in overrides:
        fieldname, sep, column = item.partition("=")
        fieldname, column = fieldname.strip(), column.strip()
        if not sep:
            raise InputError("--map", f"{item!r} is not FIELD=COLUMN; e.g. --map city=Town")
        if fieldname not in IMPORT_FIELDS:
            raise InputError(
                "--map", f"{fieldname!r} is not a field; use one of: " + ", ".join(IMPORT_FIELDS)
            )
        if not column:
            result.pop(fieldname, None)
            continue
        if column not in columns:
            raise InputError(
                "--map",
                f"{fieldname}={column}: the file has no column {column!r}; "
                "its columns are: " + ", ".join(columns),
            )
        result = {f: c for f, c in result.items() if c != column}
        result[fieldname] = column
    return result


# ---------------------------------------------------------------------------------------------
# Turning rows into sites


@dataclass(frozen=True)
class ImportSettings:
    """Defaults and rules for an import, from the command line."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    precision: str | None = None
    country: str = "IR"
    publish: str = "full"
    status_date: str | None = None
    source_url: str | None = None
    source_title: str | None = None
    source_publisher: str | None = None
    source_date: str | None = None
    added_by: str | None = None
    online: bool = False
    added_at: str | None = None


@dataclass
class Candidate:
    """A row that became a valid site (its id is assigned when it is added)."""

    row: int
    site: model.Site
    keep_id: bool = False


@dataclass
class PreparedImport:
    """The sites an input file yields and the problems of the rows that yield none."""

    source: str
    rows: int
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[model.Problem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    own_form: bool = False


@dataclass
class ImportResult:
    """What `apply_import` did: sites added (row, site) and rows skipped as already present."""

    added: list[tuple[int, model.Site]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


Resolver = Callable[..., Any]
PLACEHOLDER_ID = "import-row"


def default_resolver() -> Resolver:
    from gravemap.geocode import resolve_place

    return resolve_place


def is_own_form(table: Table) -> bool:
    """Whether the table was written by `gravemap export` (nested fields as JSON columns)."""
    if table.features is not None:
        return True
    return all(c in table.columns for c in OWN_FORM_COLUMNS)


def table_has_coordinates(table: Table, mapping: Mapping[str, str]) -> bool:
    """Whether any row carries a point (geometry, or lat/lon columns with values)."""
    for row in table.rows:
        if row.lon is not None:
            return True
        if any(row.values.get(mapping.get(f, "")) for f in ("lat", "lon")):
            return True
    return False


def prepare_import(
    table: Table,
    settings: ImportSettings,
    *,
    resolver: Resolver | None = None,
    on_row: Callable[[int], None] | None = None,
) -> PreparedImport:
    """Turn every row into a validated site, or into problems naming the row and the fix.

    Raises MissingPrecisionError when rows carry coordinates and neither a precision column nor
    `settings.precision` says how precise they are: gravemap never assumes a point is exact.
    """
    prepared = PreparedImport(source=table.path, rows=len(table.rows))
    if table.features is not None or is_own_form(table):
        prepared.own_form = True
        if table.features is not None:
            prepared.rows = len(table.features)
            for number, feature in enumerate(table.features, start=1):
                _own_feature(prepared, number, feature)
                if on_row:
                    on_row(number)
        else:
            for row in table.rows:
                feature = _feature_from_own_row(row, unescape=table.fmt == "kml")
                _own_feature(prepared, row.number, feature)
                if on_row:
                    on_row(row.number)
        return prepared

    mapping = dict(settings.mapping)
    prepared.mapping = mapping
    prepared.ignored_columns = [c for c in table.columns if c not in mapping.values()]
    if (
        table_has_coordinates(table, mapping)
        and "precision" not in mapping
        and not settings.precision
    ):
        raise MissingPrecisionError(
            "--precision",
            f"{table.path} has coordinates but no precision column; say how precise they are "
            "with --precision exact|site|city|province (exact: stated by a source or survey; "
            "site: located by a researcher)",
        )
    resolve = _cached(resolver or default_resolver())
    added_at = settings.added_at or model.utc_now()
    for row in table.rows:
        _plain_row(prepared, row, mapping, settings, resolve, added_at)
        if on_row:
            on_row(row.number)
    return prepared


def _cached(resolver: Resolver) -> Resolver:
    cache: dict[tuple[Any, ...], Any] = {}

    def resolve(query: str, **kw: Any) -> Any:
        key = (query, *sorted(kw.items()))
        if key not in cache:
            result = resolver(query, **kw)
            cache[key] = result.to_json() if hasattr(result, "to_json") else dict(result)
        return cache[key]

    return resolve


def _row_problems(feature: dict[str, Any], row: int) -> list[model.Problem]:
    """Schema problems of one would-be site, labelled with its row instead of an id."""
    data = {
        "type": "FeatureCollection",
        "gravemap": {"schema": model.SCHEMA_VERSION},
        "features": [feature],
    }
    return [
        model.Problem(f"row {row}", p.field, p.message, p.fix)
        for p in model.validate_collection(data)
    ]


def _own_feature(prepared: PreparedImport, number: int, feature: Any) -> None:
    """A site in gravemap's own form: validated as it stands, its id kept where free."""
    if not isinstance(feature, dict):
        prepared.problems.append(
            model.Problem(f"row {number}", "(feature)", "is not a GeoJSON Feature", "remove it")
        )
        return
    problems = _row_problems(feature, number)
    if problems:
        prepared.problems.extend(problems)
        return
    prepared.candidates.append(Candidate(number, model.Site.from_feature(feature), keep_id=True))


def _feature_from_own_row(row: Row, *, unescape: bool = False) -> dict[str, Any]:
    """Rebuild a Feature from a row of gravemap's tabular export.

    `unescape` undoes the HTML escaping that gravemap's KML export gives every text field.
    """
    v = {  # KML readers say `Name`
        k.lower(): html.unescape(value) if unescape and isinstance(value, str) else value
        for k, value in row.values.items()
    }
    props: dict[str, Any] = {k: v[k] for k in OWN_FORM_TEXT if v.get(k) is not None}
    props["status"] = v.get("status")
    for name, column in JSON_COLUMNS.items():
        text = v.get(column)
        if text is not None:
            try:
                props[name] = json.loads(text)
            except ValueError:
                props[name] = text  # validation reports it
    lon, lat = row.lon, row.lat
    if lon is None:
        lon = parse_number(v.get("lon") or "")
        lat = parse_number(v.get("lat") or "")
    geometry = (
        {"type": "Point", "coordinates": [lon, lat]}
        if lon is not None and lat is not None
        else None
    )
    site_id = v.get("site_id") or v.get("id")
    return {"type": "Feature", "id": site_id, "geometry": geometry, "properties": props}


def _plain_row(
    prepared: PreparedImport,
    row: Row,
    mapping: Mapping[str, str],
    settings: ImportSettings,
    resolve: Resolver,
    added_at: str,
) -> None:
    """A row of a spreadsheet, plain GeoJSON or KML: mapped, located, sourced, validated."""

    def cell(fieldname: str) -> str | None:
        column = mapping.get(fieldname)
        value = row.values.get(column) if column else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    problems: list[model.Problem] = []
    label = f"row {row.number}"

    def problem(fieldname: str, message: str, fix: str) -> None:
        problems.append(model.Problem(label, fieldname, message, fix))

    def column_of(fieldname: str) -> str:
        return f"column {mapping[fieldname]!r}" if fieldname in mapping else f"a {fieldname} column"

    name = cell("name") or cell("name_fa")
    if not name:
        problem("name", "is empty", f"give the site's name as reported in {column_of('name')}")
    notes = cell("notes")
    if notes and _looks_like_html(notes):
        notes = html_to_text(notes)  # a KML description is HTML
    city = cell("city")
    province = cell("province")
    country = cell("country") or settings.country

    # Where it is: the row's point, or its geocoded place.
    location: model.Location | None = None
    lon = lat = None
    place: dict[str, Any] = {}
    if row.geometry_problem:
        problem("geometry", row.geometry_problem, "give the site's point (its centre)")
    lat_text, lon_text = cell("lat"), cell("lon")
    if lat_text is not None or lon_text is not None:
        if lat_text is None or lon_text is None:
            missing = "lat" if lat_text is None else "lon"
            problem(missing, "is empty while the other coordinate is given", "give both or neither")
        else:
            lat, lon = parse_number(lat_text), parse_number(lon_text)
            for fieldname, text, value in (("lat", lat_text, lat), ("lon", lon_text, lon)):
                if value is None:
                    problem(
                        fieldname,
                        f"{text!r} is not a number",
                        "write decimal degrees, e.g. 31.3190",
                    )
    elif row.lon is not None:
        lon, lat = row.lon, row.lat
    if lon is not None and lat is not None:
        precision = cell("precision") or settings.precision
        if precision not in model.PRECISIONS:
            problem(
                "precision",
                f"{precision!r} is not known" if precision else "is empty",
                "use one of: " + ", ".join(model.PRECISIONS),
            )
        else:
            query = city or f"{lat}, {lon}"
            location = model.Location(
                precision=precision, method="manual", query=query, note=cell("location_note")
            )
    elif not row.geometry_problem and lat_text is None and lon_text is None:
        if not city:
            problem(
                "city",
                "is empty and the row has no coordinates",
                f"give the place in {column_of('city')}, or lat and lon",
            )
        else:
            place = _locate_place(
                city, province, country, settings.online, resolve, problem, column_of("city")
            )
            if place:
                lon, lat = float(place["lon"]), float(place["lat"])
                location = model.Location.from_geocoded(place, city, cell("location_note"))

    status = _status(cell("status"), problem)
    source = _row_source(cell, settings, problem, column_of)
    date_text = cell("date")
    date = import_date(date_text, "date", problem) if date_text else None
    if date_text is None:
        date = settings.status_date or (source.date if source else None)
        if date is None:
            problem(
                "date",
                "is empty",
                f"give when the status was reported in {column_of('date')} (YYYY, YYYY-MM "
                "or YYYY-MM-DD), or for every row with --status-date",
            )
    publish = (cell("publish") or settings.publish).lower()
    if publish not in model.PUBLISH_LEVELS:
        problem(
            "publish", f"{publish!r} is not known", "use one of: " + ", ".join(model.PUBLISH_LEVELS)
        )

    if problems or location is None or source is None or not name or lon is None or lat is None:
        prepared.problems.extend(problems)
        return
    names = model.geocoded_names(place) if place else {}
    site = model.Site(
        id=PLACEHOLDER_ID,
        lon=lon,
        lat=lat,
        name=name,
        name_fa=cell("name_fa"),
        city=names.get("city") or city,
        city_fa=cell("city_fa") or names.get("city_fa"),
        province=names.get("province") or province,
        country=country,
        location=location,
        status_history=[
            model.StatusChange(status=status or "unknown", date=date or "", sources=[source.id])
        ],
        sources=[source],
        verification="reported",
        publish=publish,
        notes=notes,
        added=model.Added(at=added_at, by=settings.added_by),
    )
    schema_problems = _row_problems(site.to_feature(), row.number)
    if schema_problems:
        prepared.problems.extend(schema_problems)
        return
    prepared.candidates.append(Candidate(row.number, site))


_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})(?:/(\d{1,2}))?$")


def import_date(text: str, fieldname: str, problem: Callable[[str, str, str], None]) -> str | None:
    """An ISO partial date from a cell (any digits, `/` separators); None after a problem.

    A year between 1200 and 1499 is read as a Persian (Solar Hijri) date, which Iranian
    sources use (1367 is 1988): it is refused with its Gregorian equivalent, never stored as is.
    """
    value = ascii_digits(text).strip()
    slashed = _SLASHED.match(value)
    if slashed:
        value = "-".join(
            f"{int(p):02d}" if i else p for i, p in enumerate(slashed.groups()) if p is not None
        )
    year = int(value[:4]) if re.match(r"^\d{4}", value) else None
    if year is not None and 1200 <= year < 1500:
        parts = [int(p) for p in value.split("-") if p.isdigit()]
        hint = f"{year + 621} or {year + 622}"
        if len(parts) == 3:
            import jdatetime

            with contextlib.suppress(ValueError):  # not a real Persian date: keep the years
                hint = jdatetime.date(*parts).togregorian().isoformat()
        problem(
            fieldname,
            f"{text!r} looks like a Persian (Solar Hijri) date",
            f"write it in the Gregorian calendar ({text} is {hint})",
        )
        return None
    reason = model.date_problem(value)
    if reason:
        problem(fieldname, reason, "write YYYY, YYYY-MM or YYYY-MM-DD")
        return None
    return value


def _status(text: str | None, problem: Callable[[str, str, str], None]) -> str | None:
    if text is None:
        return "unknown"
    value = re.sub(r"[\s_]+", "-", text.strip().lower())
    if value not in model.STATUSES:
        problem("status", f"{text!r} is not known", "use one of: " + ", ".join(model.STATUSES))
        return None
    return value


def _row_source(
    cell: Callable[[str], str | None],
    settings: ImportSettings,
    problem: Callable[[str, str, str], None],
    column_of: Callable[[str], str],
) -> model.Source | None:
    """The row's source; a row without one is a problem, never silently accepted.

    A row's own URL is cited with its own title (or, lacking one, by its URL); the
    --source-* defaults stand in for rows with no URL, and --source-publisher for rows with
    no publisher.
    """
    url = cell("source_url")
    own = url is not None
    url = url or settings.source_url
    if url is None:
        problem(
            "source_url",
            "is empty: every site needs a source",
            f"give the source's address in {column_of('source_url')}, or one for every "
            "row with --source-url",
        )
        return None
    url_problem = model.url_problem(url)
    if url_problem:
        problem("source_url", url_problem, "give the source's http:// or https:// address")
        return None
    publisher = cell("publisher") or settings.source_publisher
    if publisher is None:
        problem(
            "publisher",
            "is empty: who published the source?",
            f"give it in {column_of('publisher')}, or for every row with --source-publisher",
        )
        return None
    if own:
        title = cell("title") or url
        date_text = cell("source_date")
    else:
        title = cell("title") or settings.source_title or url
        date_text = cell("source_date") or settings.source_date
    date = import_date(date_text, "source_date", problem) if date_text else None
    if date_text and date is None:
        return None
    return model.Source(
        id="s1", publisher=publisher, title=title, url=url, date=date, quote=cell("quote")
    )


def _locate_place(
    query: str,
    province: str | None,
    country: str,
    online: bool,
    resolve: Resolver,
    problem: Callable[[str, str, str], None],
    column: str,
) -> dict[str, Any]:
    """Geocode a row's place; no match or an ambiguous one is a problem listing the candidates."""
    try:
        result = resolve(query, country=country, province=province, candidates=5, online=online)
    except GravemapError as exc:  # an unknown province, an online lookup that failed
        problem(
            "city",
            f"{query!r} cannot be looked up: {exc}",
            "correct the place or province, or give lat and lon",
        )
        return {}
    if "error" not in result:
        return result
    candidates = result.get("candidates") or []
    from gravemap.geocode import candidate_label

    listed = "; ".join(f"{i}. {candidate_label(c)}" for i, c in enumerate(candidates, 1))
    where = f" in {province}" if province else ""
    if result.get("error") == "ambiguous":
        problem(
            "city",
            f"{query!r}{where} is ambiguous: {listed}",
            "add the province in a province column, or give lat and lon",
        )
    elif candidates:
        problem(
            "city",
            f"no place called {query!r}{where} in {country}; closest: {listed}",
            f"correct the spelling in {column}, or give lat and lon",
        )
    else:
        problem(
            "city",
            f"no place called {query!r}{where} in {country}",
            f"correct the spelling in {column}, or give lat and lon",
        )
    return {}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and href not in "".join(self.parts[-3:]):
                self.parts.append(f" ({href})")  # keep where a link pointed

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _looks_like_html(text: str) -> bool:
    return bool(re.search(r"<\s*(br|p|div|b|i|a|span|ul|li|table)\b", text, re.IGNORECASE))


def html_to_text(text: str) -> str:
    """Plain text of an HTML fragment (a KML description): tags dropped, breaks kept."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Adding to a collection


def site_keys(site: model.Site) -> set[tuple[str, str, str]]:
    """What makes two sites the same report: a shared source URL, the same name and place."""
    name = " ".join(site.name.split()).casefold()
    city = " ".join((site.city or site.location.query).split()).casefold()
    return {(s.url.strip(), name, city) for s in site.sources}


def apply_import(
    collection: model.SiteCollection, prepared: PreparedImport, *, skip_invalid: bool = False
) -> ImportResult:
    """Add the prepared sites, skipping those already present; all or nothing on problems.

    Raises ImportProblemsError if any row has a problem and `skip_invalid` is false, before
    touching the collection. A gravemap site keeps its id unless the collection uses (or once
    used) it.
    """
    if prepared.problems and not skip_invalid:
        raise ImportProblemsError(prepared.problems, prepared.source)
    result = ImportResult()
    known: dict[tuple[str, str, str], str] = {}
    for site in collection:
        for key in site_keys(site):
            known.setdefault(key, site.id)
    for candidate in prepared.candidates:
        site = copy.deepcopy(candidate.site)
        match = next((known[k] for k in site_keys(site) if k in known), None)
        if match is not None:
            result.skipped.append((candidate.row, match))
            continue
        taken = {s.id for s in collection} | set(collection.retired_ids)
        if not (candidate.keep_id and site.id not in taken):
            site.id = collection.new_id(site.country, site.city or site.name)
        collection.add(site)
        for key in site_keys(site):
            known.setdefault(key, site.id)
        result.added.append((candidate.row, site))
    return result
