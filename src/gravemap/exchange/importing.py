"""Turning a `Table`'s rows into validated, sourced sites, ready to add to a collection.

Columns are mapped onto site fields (English or Persian headers, or an explicit mapping), rows
that name a place are geocoded, and every row that cannot become a valid site is reported by
its row number. `prepare_import` does the slow part (geocoding) without the data file;
`adding.apply_import` then adds the result inside `store.edit_collection`.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from gravemap import dates, model
from gravemap.errors import GravemapError, InputError, MissingPrecisionError
from gravemap.errors import ImportProblemsError as ImportProblemsError  # re-exported
from gravemap.exchange import cells
from gravemap.exchange.formats import JSON_COLUMNS, OWN_FORM_COLUMNS, OWN_FORM_TEXT
from gravemap.exchange.readers import Row, Table, parse_number
from gravemap.text import ARABIC_MARKS, fold_persian_letters

if TYPE_CHECKING:
    from gravemap.geocode import Candidate as GeocodeCandidate
    from gravemap.geocode import Located


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
    "date": (
        "date",
        "status_date",
        "report_date",
        "date_reported",
        "reported_on",
        "reported",
        "reported_date",
        "date_of_report",
        "as_of",
        "last_reported",
        "تاریخ",
        "تاریخ_گزارش",
        "تاریخ_وضعیت",
    ),
    "lat": ("lat", "latitude", "y", "عرض", "عرض_جغرافیایی"),
    "lon": ("lon", "lng", "long", "longitude", "x", "طول", "طول_جغرافیایی"),
    "coordinates": (
        "coordinates",
        "coords",
        "coordinate",
        "lat_lon",
        "lat_long",
        "lat_lng",
        "latlon",
        "latlong",
        "latlng",
        "gps",
        "location_coordinates",
        "مختصات",
        "مختصات_جغرافیایی",
    ),
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


def guess_fallbacks(columns: Iterable[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """field -> a second column naming the same field, read when the first is empty in a row.

    NGO sheets often carry a field twice, in English and Persian (`City` and `شهر`), each
    filled on some rows: the Persian one is used where its English twin is empty.
    """
    used = set(mapping.values())
    fallbacks: dict[str, str] = {}
    for column in columns:
        if column in used:
            continue
        key = normalise_header(column)
        for fieldname, names in IMPORT_FIELDS.items():
            if fieldname in mapping and fieldname not in fallbacks and key in names:
                fallbacks[fieldname] = column
                used.add(column)
                break
    return fallbacks


def fields_help() -> str:
    """Every field `--map` accepts, with the headers guessed for it, for `import --help`."""
    return "; ".join(
        f"{fieldname} ({', '.join(n.replace('_', ' ') for n in names[:4])})"
        for fieldname, names in IMPORT_FIELDS.items()
    )


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
    #: field -> a second column read where the first is empty (see `guess_fallbacks`).
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    precision: str | None = None
    country: str = "IR"
    publish: str = "full"
    #: For rows with no date: an entered date (`dates.parse_date`) or its text.
    status_date: dates.EnteredDate | str | None = None
    source_url: str | None = None
    source_title: str | None = None
    source_publisher: str | None = None
    source_date: dates.EnteredDate | str | None = None
    added_by: str | None = None
    online: bool = False
    added_at: str | None = None


@dataclass
class Candidate:
    """A row that became a valid site (its id is assigned when it is added)."""

    row: int
    site: model.Site
    keep_id: bool = False
    #: The fields the row itself gave (None: all of them, as in gravemap's own form); only
    #: these are compared with a stored site the row matches.
    given: frozenset[str] | None = None


@dataclass
class PreparedImport:
    """The sites an input file yields and the problems of the rows that yield none."""

    source: str
    rows: int
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[model.Problem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    fallbacks: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    #: Sentences for the person importing (how a bare year was read), by row.
    notices: list[str] = field(default_factory=list)
    own_form: bool = False


@dataclass
class ImportResult:
    """What `apply_import` did: sites added (row, site) and rows skipped as already present."""

    added: list[tuple[int, model.Site]] = field(default_factory=list)
    #: Rows that match a stored site and say nothing new: (row, id).
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: Rows that match a stored site and differ from it (applied with `update=True`).
    updates: list[SiteUpdate] = field(default_factory=list)
    #: Added sites that look like a site already there: (row, new id, other id, why).
    possible_duplicates: list[tuple[int, str, str, str]] = field(default_factory=list)


@dataclass
class SiteUpdate:
    """How a row differs from the stored site it matches, and whether that was applied."""

    row: int
    site_id: str
    matched_by: str
    changes: list[str]
    applied: bool = False


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
        if any(row.values.get(mapping.get(f, "")) for f in ("lat", "lon", "coordinates")):
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
    prepared.fallbacks = dict(settings.fallbacks)
    read = set(mapping.values()) | set(settings.fallbacks.values())
    prepared.ignored_columns = [c for c in table.columns if c not in read]
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
        _plain_row(prepared, row, settings, resolve, added_at)
        if on_row:
            on_row(row.number)
    return prepared


def _cached(resolver: Resolver) -> Resolver:
    cache: dict[tuple[Any, ...], Any] = {}

    def resolve(query: str, **kw: Any) -> Any:
        key = (query, *sorted(kw.items()))
        if key not in cache:
            result = resolver(query, **kw)
            cache[key] = result if hasattr(result, "to_json") else dict(result)
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
    settings: ImportSettings,
    resolve: Resolver,
    added_at: str,
) -> None:
    """A row of a spreadsheet, plain GeoJSON or KML: mapped, located, sourced, validated."""
    mapping, fallbacks = settings.mapping, settings.fallbacks

    def cell(fieldname: str) -> str | None:
        for column in (mapping.get(fieldname), fallbacks.get(fieldname)):
            value = row.values.get(column) if column else None
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    problems: list[model.Problem] = []
    label = f"row {row.number}"

    def problem(fieldname: str, message: str, fix: str) -> None:
        problems.append(model.Problem(label, fieldname, message, fix))

    def column_of(fieldname: str) -> str:
        return f"column {mapping[fieldname]!r}" if fieldname in mapping else f"a {fieldname} column"

    def entered(text: str, fieldname: str) -> dates.EnteredDate | None:
        found = read_date(text, fieldname, problem)
        if found is not None and found.notice:
            prepared.notices.append(f"{label}: {fieldname}: {found.value}: {found.notice}")
        return found

    name = cell("name") or cell("name_fa")
    if not name:
        problem("name", "is empty", f"give the site's name as reported in {column_of('name')}")
    notes = cell("notes")
    if notes and _looks_like_html(notes):
        notes = html_to_text(notes)  # a KML description is HTML
    city = cell("city")
    province = cell("province")
    country = cell("country") or settings.country

    # Where it is: the row's point (lat and lon, one coordinates cell, or the geometry), or
    # its geocoded place.
    location: model.Location | None = None
    lon = lat = None
    place: GeocodeCandidate | None = None  # the gazetteer place the site is linked to
    if row.geometry_problem:
        problem("geometry", row.geometry_problem, "give the site's point (its centre)")
    lat_text, lon_text, pair_text = cell("lat"), cell("lon"), cell("coordinates")
    point_cells = lat_text is not None or lon_text is not None or pair_text is not None
    if lat_text is not None or lon_text is not None:
        if lat_text is None or lon_text is None:
            missing = "lat" if lat_text is None else "lon"
            problem(missing, "is empty while the other coordinate is given", "give both or neither")
        else:
            values = []
            for fieldname, text in (("lat", lat_text), ("lon", lon_text)):
                try:
                    values.append(cells.read_coordinate(text).value)
                except cells.CellError as exc:
                    problem(fieldname, exc.message, exc.fix)
            if len(values) == 2:
                lat, lon = values
    elif pair_text is not None:
        try:
            lat, lon = cells.read_coordinates(pair_text)
        except cells.CellError as exc:
            problem("coordinates", exc.message, exc.fix)
    elif row.lon is not None:
        lon, lat = row.lon, row.lat
    if lon is not None and lat is not None and cells.looks_swapped(lat, lon, country):
        problem(
            "lat" if lat_text is not None or pair_text is None else "coordinates",
            "latitude and longitude look swapped",
            f"give the latitude first (here {lon}, {lat})"
            if lat_text is None
            else f"swap the two columns' values (latitude {lon}, longitude {lat})",
        )
        lon = lat = None
    if lon is not None and lat is not None:
        precision = cell("precision") or settings.precision
        if precision not in model.PRECISIONS:
            problem(
                "precision",
                f"{precision!r} is not known" if precision else "is empty",
                "use one of: " + ", ".join(model.PRECISIONS),
            )
        elif city:
            location = model.Location(
                precision=precision, method="manual", query=city, note=cell("location_note")
            )
        else:
            publish_level = (cell("publish") or settings.publish).lower()
            location, place, notice = _point_without_city(
                lat, lon, precision, country, publish_level, cell("location_note"), problem
            )
            if notice:
                prepared.notices.append(f"{label}: {notice}")
    elif not row.geometry_problem and not point_cells:
        if not city:
            problem(
                "city",
                "is empty and the row has no coordinates",
                f"give the place in {column_of('city')}, or coordinates",
            )
        else:
            located = _locate_place(
                city, province, country, settings.online, resolve, problem, column_of("city")
            )
            if located is not None:
                lon, lat = located.lon, located.lat
                place_notes = [n for n in (cell("location_note"), located.note) if n]
                location = model.Location.of(located, note="; ".join(place_notes))
                place = located.place
                if place is not None and place.precision == "province":
                    city = None  # a province named alone: no city

    status = _status(cell("status"), problem)
    source = _row_source(cell, settings, problem, column_of, entered)
    date_text = cell("date")
    date = entered(date_text, "date") if date_text else None
    if date_text is None:
        date = _default_date(settings.status_date, "--status-date") or (
            source.entered_date if source else None
        )
        if date is None:
            problem(
                "date",
                "is empty",
                f"give when the status was reported in {column_of('date')} (e.g. 2019, "
                "2019-05, 1398/02/15 or undated), or for every row with --status-date",
            )
    publish = (cell("publish") or settings.publish).lower()
    if publish not in model.PUBLISH_LEVELS:
        problem(
            "publish", f"{publish!r} is not known", "use one of: " + ", ".join(model.PUBLISH_LEVELS)
        )

    if (
        problems
        or location is None
        or source is None
        or not name
        or lon is None
        or lat is None
        or date is None
    ):
        prepared.problems.extend(problems)
        return
    names = model.geocoded_names(place)
    site = model.new_site(
        None,
        site_id=PLACEHOLDER_ID,  # assigned when the site is added (`adding.apply_import`)
        name=name,
        country=country,
        lon=lon,
        lat=lat,
        location=location,
        status=status or "unknown",
        status_date=date,
        source=source.cite,
        name_fa=cell("name_fa"),
        city=names.get("city") or city,
        city_fa=cell("city_fa") or names.get("city_fa"),
        province=names.get("province") or province,
        publish=publish,
        notes=notes,
        added_by=settings.added_by,
        added_at=added_at,
    )
    schema_problems = _row_problems(site.to_feature(), row.number)
    if schema_problems:
        prepared.problems.extend(schema_problems)
        return
    given = frozenset(f for f in IMPORT_FIELDS if cell(f) is not None) | (
        {"lat", "lon"} if lat is not None and location.method == "manual" else set()
    )
    prepared.candidates.append(Candidate(row.number, site, given=given))


def _point_without_city(
    lat: float,
    lon: float,
    precision: str,
    country: str,
    publish: str,
    note: str | None,
    problem: Callable[[str, str, str], None],
) -> tuple[model.Location | None, GeocodeCandidate | None, str | None]:
    """A row's point with no city: city and province from the place it lies in, as `add` does.

    `geocode.locate` links the populated place the point lies in (or the nearest within its
    link distance); with none, the point is kept with no city, unless it is to be published at
    city level, which needs a city centre.
    """
    from gravemap.geocode import GeocodeError, locate

    try:
        located = locate(
            None, country=country, lat=lat, lon=lon, precision=precision, note=note, publish=publish
        )
    except GeocodeError as exc:
        problem("city", f"is empty and {exc}", "give the city in a city column")
        return None, None, None
    location = model.Location.of(located)
    return location, located.place, located.notice


def read_date(
    text: str, fieldname: str, problem: Callable[[str, str, str], None]
) -> dates.EnteredDate | None:
    """A date cell read by `dates.parse_date` (ISO, Solar Hijri with slashes, `undated`).

    None after reporting a problem (a dashed Solar Hijri year, an impossible or future date).
    """
    try:
        return dates.parse_date(text, field=fieldname)
    except dates.DateError as exc:
        problem(fieldname, exc.message, exc.fix)
        return None


def _default_date(value: dates.EnteredDate | str | None, option: str) -> dates.EnteredDate | None:
    if value is None or isinstance(value, dates.EnteredDate):
        return value
    return dates.parse_date(value, field=option)


def _status(text: str | None, problem: Callable[[str, str, str], None]) -> str | None:
    if text is None:
        return "unknown"
    try:
        return cells.read_status(text)
    except cells.CellError as exc:
        problem("status", exc.message, exc.fix)
        return None


@dataclass(frozen=True)
class _RowSource:
    #: The keyword arguments of `Site.cite` (and `model.new_site`'s `source`).
    cite: dict[str, Any]
    entered_date: dates.EnteredDate | None


def _row_source(
    cell: Callable[[str], str | None],
    settings: ImportSettings,
    problem: Callable[[str, str, str], None],
    column_of: Callable[[str], str],
    entered: Callable[[str, str], dates.EnteredDate | None],
) -> _RowSource | None:
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
    date_text = cell("source_date")
    date = entered(date_text, "source_date") if date_text else None
    if date_text and date is None:
        return None
    if own:
        title = cell("title") or url
    else:
        title = cell("title") or settings.source_title or url
        if date_text is None:
            date = _default_date(settings.source_date, "--source-date")
    if date is not None and date.undated:
        date = None  # a source with no date records none
    cite = {
        "url": url,
        "title": title,
        "publisher": publisher,
        "date": date,
        "quote": cell("quote"),
        "accessed": "",  # the row does not say when its source was read: record no date
    }
    return _RowSource(cite, date)


def _locate_place(
    query: str,
    province: str | None,
    country: str,
    online: bool,
    resolve: Resolver,
    problem: Callable[[str, str, str], None],
    column: str,
) -> Located | None:
    """Locate a row's place with `gravemap.geocode.locate` (the rule `add` uses); no match or
    an ambiguous one is a problem listing the candidates."""
    from gravemap.geocode import (
        AmbiguousPlaceError,
        GeocodeResult,
        PlaceNotFoundError,
        candidate_label,
        locate,
    )

    def typed(text: str, **kw: Any) -> GeocodeResult:
        result = resolve(text, **{**kw, "candidates": 5})
        return result if isinstance(result, GeocodeResult) else GeocodeResult.from_json(result)

    where = f" in {province}" if province else ""
    try:
        return locate(query, province=province, country=country, online=online, resolver=typed)
    except AmbiguousPlaceError as exc:
        listed = "; ".join(
            f"{i}. {candidate_label(c)}" for i, c in enumerate(exc.result.candidates, 1)
        )
        problem(
            "city",
            f"{query!r}{where} is ambiguous: {listed}",
            "add the province in a province column, or give lat and lon",
        )
    except PlaceNotFoundError as exc:
        candidates = exc.result.candidates
        listed = "; ".join(f"{i}. {candidate_label(c)}" for i, c in enumerate(candidates, 1))
        problem(
            "city",
            f"no place called {query!r}{where} in {country}"
            + (f"; closest: {listed}" if candidates else ""),
            f"correct the spelling in {column}, or give lat and lon",
        )
    except GravemapError as exc:  # an unknown province, an online lookup that failed
        problem(
            "city",
            f"{query!r} cannot be looked up: {exc}",
            "correct the place or province, or give lat and lon",
        )
    return None


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
