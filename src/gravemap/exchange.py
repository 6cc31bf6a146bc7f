"""Import and export: the files researchers already use (CSV, GeoJSON, KML, GeoPackage).

Export writes the chosen sites as gravemap's own GeoJSON (the canonical, round-trippable form),
or through GDAL (pyogrio) as a GeoPackage, KML or a UTF-8 CSV with a byte-order mark. The
tabular formats keep every nested field as JSON text (`sources_json`, ...) beside readable
summary columns, so that a re-import loses nothing those formats can hold. What leaves the file
is decided by `ExportOptions`: private fields, withheld sites and precise points of sites
published at city level stay home unless asked for.

Import reads rows from a spreadsheet, a GeoJSON file, a Google Earth / My Maps KML or a
GeoPackage, maps their columns (English or Persian headers, or an explicit mapping) onto site
fields, geocodes rows that name a place, and reports every row that cannot become a valid,
sourced site by its row number. `prepare_import` does the slow part (reading, geocoding) without
the data file; `apply_import` adds the result to a collection, skipping sites already present, and
is meant to run inside `store.edit_collection` so the import is one locked, atomic write.

geopandas and pyogrio are imported inside the functions that need them: loading them costs
about a second, which commands that do not export should not pay.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import html
import io
import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from gravemap import model
from gravemap.errors import DataFileError, GravemapError, InputError

EXPORT_FORMATS = ("geojson", "gpkg", "kml", "csv")
IMPORT_FORMATS = ("csv", "geojson", "kml", "gpkg")
#: Formats that can be written to a stream (`-o -`); GeoPackage and KML need a real file.
STREAM_FORMATS = ("geojson", "csv")
SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
LAYER_NAME = "sites"

# Columns of the tabular exports, beyond `model.SUMMARY_COLUMNS`: readable summaries, then the
# nested fields as JSON text so a re-import restores them exactly.
READABLE_COLUMNS = ("history", "victims", "notes")
JSON_COLUMNS = {
    "location": "location_json",
    "status_history": "status_history_json",
    "sources": "sources_json",
    "victims": "victims_json",
    "added": "added_json",
    "private": "private_json",
}
# A table with these columns was written by `export` and is read back as whole sites.
OWN_FORM_COLUMNS = ("location_json", "status_history_json", "sources_json")
OWN_FORM_TEXT = (
    "name",
    "name_fa",
    "city",
    "city_fa",
    "province",
    "country",
    "verification",
    "publish",
    "notes",
)

# ---------------------------------------------------------------------------------------------
# Errors


class ExportError(GravemapError):
    """A site cannot be exported as asked (e.g. no city centre for a `publish: city` site)."""

    def __init__(self, site_id: str, message: str) -> None:
        self.site_id = site_id
        self.message = message
        super().__init__(f"{site_id}: {message}")


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
# Export


@dataclass(frozen=True)
class ExportOptions:
    """What may leave the data file.

    By default an export is fit to hand on: `private` fields and `added.by` are left out,
    `withheld` sites are left out, and sites published at `city` level are placed at their city's
    centre. `include_private` makes a complete copy for a trusted colleague (it implies
    `full_locations`); `full_locations` keeps every stored point.
    """

    include_private: bool = False
    include_withheld: bool = False
    full_locations: bool = False

    @property
    def keeps_points(self) -> bool:
        return self.full_locations or self.include_private


@dataclass
class ExportSummary:
    """What an export wrote and what it left out, for the message to the user."""

    written: int = 0
    withheld_left_out: int = 0
    moved_to_city_centre: list[str] = field(default_factory=list)
    private_left_out: bool = True


CityCentre = Callable[[int, str], "tuple[float, float] | None"]


def gazetteer_city_centre(geonameid: int, country: str) -> tuple[float, float] | None:
    """(lon, lat) of a GeoNames place from the offline gazetteer, or None if it is unknown."""
    from gravemap.gazetteer import city_centre

    return city_centre(geonameid, country)


def prepare_for_export(
    sites: Iterable[model.Site],
    options: ExportOptions = ExportOptions(),  # noqa: B008 - frozen, so a safe default
    city_centre: CityCentre | None = None,
) -> tuple[list[model.Site], ExportSummary]:
    """Copies of `sites` holding only what `options` lets leave the file: `public.public_view`.

    A site placed at its city's centre says so: its location becomes precision `city`, method
    `gazetteer`, and its location note (which may describe the precise spot) is replaced by one
    saying the recorded point was not exported. Raises ExportError naming a `city` site that has
    no GeoNames id to find the centre by, or whose text states the recorded point.
    """
    from gravemap import public

    sites = list(sites)
    try:
        view = public.public_view(
            model.SiteCollection(sites=sites).to_geojson(),
            include_private=options.include_private,
            include_withheld=options.include_withheld,
            full_locations=options.full_locations,
            city_centre=city_centre or gazetteer_city_centre,
        )
    except public.PublishError as exc:
        raise ExportError(exc.site_id, exc.message) from None
    out = model.SiteCollection.from_geojson(view).sites
    summary = ExportSummary(private_left_out=not options.include_private, written=len(out))
    summary.withheld_left_out = sum(
        s.publish == "withheld" for s in sites if not options.include_withheld
    )
    if not options.keeps_points:
        summary.moved_to_city_centre = [s.id for s in out if s.publish in ("city", "withheld")]
    return out, summary


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def site_record(site: model.Site, *, include_private: bool = False) -> dict[str, Any]:
    """One flat row: the summary columns, readable history and victims, nested fields as JSON."""
    row: dict[str, Any] = {k: (v if v != "" else None) for k, v in model.summary_row(site).items()}
    row["history"] = "; ".join(
        f"{c.date}: {c.status}" + (f" ({c.note})" if c.note else "") for c in site.status_history
    )
    row["victims"] = site.victims.count_text() if site.victims else None
    row["notes"] = site.notes
    feature = site.to_feature()["properties"]
    for name, column in JSON_COLUMNS.items():
        if name == "private" and not include_private:
            continue
        row[column] = _json_text(feature.get(name))
    return row


def record_columns(include_private: bool) -> list[str]:
    """Column order of the tabular exports."""
    columns = [*model.SUMMARY_COLUMNS, *READABLE_COLUMNS, *JSON_COLUMNS.values()]
    if not include_private:
        columns.remove(JSON_COLUMNS["private"])
    return columns


def _link(url: str, text: str) -> str:
    """An <a> for an http(s) URL; anything else is shown as escaped text, never as a link."""
    if model.url_problem(url) is None:
        return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'
    return html.escape(text)


def kml_description(site: model.Site) -> str:
    """The HTML Google Earth shows in a placemark's balloon; every value is escaped.

    A KML description is HTML that the viewer renders, so text from sources (titles, quotes)
    must never become markup, and only http/https addresses become links.
    """
    e = html.escape
    parts = [f'<div dir="auto"><p><b>{e(site.name)}</b>']
    if site.name_fa:
        parts.append(f' <span dir="rtl">({e(site.name_fa)})</span>')
    parts.append("</p>")
    place = ", ".join(p for p in (site.city, site.city_fa, site.province, site.country) if p)
    parts.append(f"<p>{e(place)}</p>")
    latest = site.status_history[-1]
    parts.append(f"<p>Status: <b>{e(site.status)}</b> ({e(latest.date)})</p>")
    parts.append("<p>Status history:</p><ul>")
    for change in site.status_history:
        note = f": {e(change.note)}" if change.note else ""
        cites = ", ".join(change.sources)
        parts.append(f"<li>{e(change.date)} {e(change.status)}{note} [{e(cites)}]</li>")
    parts.append("</ul>")
    loc = site.location
    parts.append(f"<p>Location precision: {e(loc.precision)} (by {e(loc.method)})")
    if loc.note:
        parts.append(f"<br>{e(loc.note)}")
    parts.append("</p>")
    parts.append(f"<p>Verification: {e(site.verification)}</p>")
    if site.victims:
        v = site.victims
        note = f" {e(v.note)}" if v.note else ""
        parts.append(
            f"<p>Victims reported: {e(v.count_text())}{note} [{e(', '.join(v.sources))}]</p>"
        )
    parts.append("<p>Sources:</p><ol>")
    for s in site.sources:
        date = f", {e(s.date)}" if s.date else ""
        item = f"<li>[{e(s.id)}] {e(s.publisher)}{date}: {_link(s.url, s.title)}"
        if s.archived_url:
            item += f" ({_link(s.archived_url, 'archived copy')})"
        if s.quote:
            item += f"<br>\u201c{e(s.quote)}\u201d"
        parts.append(item + "</li>")
    parts.append("</ol>")
    if site.notes:
        parts.append(f"<p>{e(site.notes)}</p>")
    parts.append("</div>")
    return "".join(parts)


def export_collection_json(sites: list[model.Site]) -> dict[str, Any]:
    """The canonical FeatureCollection of the exported sites (gravemap's own form)."""
    return model.SiteCollection(sites=sites).to_geojson()


def guess_export_format(path: str | os.PathLike[str]) -> str | None:
    """The export format a file name's suffix implies (`.gpkg` -> gpkg), or None."""
    suffix = Path(path).suffix.lower()
    fmt = SUFFIXES.get(suffix)
    return fmt if fmt in EXPORT_FORMATS and suffix not in (".tsv", ".txt") else None


def write_export(
    sites: list[model.Site],
    fmt: str,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    include_private: bool = False,
) -> None:
    """Write already prepared sites (see `prepare_for_export`) as `fmt` to a path or stream.

    Files are written to a temporary name beside the target and renamed over it, so an
    interrupted export never leaves half a file (nor a GeoPackage with an old layer in it).
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            "--format", f"{fmt!r} is not an export format; use one of: " + ", ".join(EXPORT_FORMATS)
        )
    if not isinstance(target, (str, os.PathLike)):
        if fmt not in STREAM_FORMATS:
            raise InputError("--output", f"{fmt} cannot be written to a stream; give a file name")
        with tempfile.TemporaryDirectory(prefix="gravemap-export-") as tmp:
            path = Path(tmp) / f"export.{fmt}"
            _write_file(sites, fmt, path, include_private)
            with open(path, "rb") as f:
                shutil.copyfileobj(f, target)
        return
    final = Path(target)
    try:
        _write_to_path(sites, fmt, final, include_private)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if not final.parent.is_dir():
            reason = f"its folder {final.parent} does not exist; create it first"
        raise DataFileError(str(final), f"cannot be written: {reason}") from None


def _write_to_path(sites: list[model.Site], fmt: str, final: Path, include_private: bool) -> None:
    """Write beside the target, then rename over it; a link is followed, a device written into.

    Renaming over a symbolic link would replace the link, leaving its target stale, and
    renaming over a device or pipe (`-o /dev/stdout`) would replace the device itself.
    """
    if final.is_symlink():
        final = Path(os.path.realpath(final))
    if final.exists() and not final.is_file():
        with tempfile.TemporaryDirectory(prefix="gravemap-export-") as tmp:
            path = Path(tmp) / f"export.{fmt}"
            _write_file(sites, fmt, path, include_private)
            with open(path, "rb") as src, open(final, "wb") as dst:
                shutil.copyfileobj(src, dst)
        return
    parent = final.parent if str(final.parent) else Path(".")
    with tempfile.TemporaryDirectory(prefix=".gravemap-export-", dir=parent) as tmp:
        path = Path(tmp) / final.name
        _write_file(sites, fmt, path, include_private)
        with contextlib.suppress(FileNotFoundError):  # keep the mode of the file it replaces
            os.chmod(path, final.stat().st_mode & 0o777)
        os.replace(path, final)


def _write_file(sites: list[model.Site], fmt: str, path: Path, include_private: bool) -> None:
    if fmt == "geojson":
        from gravemap.public import geojson_bytes  # the published bytes: one form, one place

        path.write_bytes(geojson_bytes(export_collection_json(sites)))
        return
    import pyogrio

    rows = [site_record(s, include_private=include_private) for s in sites]
    columns = record_columns(include_private)
    if fmt == "csv":
        import pandas as pd

        frame = pd.DataFrame(rows, columns=columns)
        frame = _typed(frame)
        for column in frame.columns:
            if column not in ("lat", "lon") and not column.endswith("_json"):
                frame[column] = frame[column].map(defuse_formula)
        # WRITE_BOM: Excel reads a CSV without a byte-order mark in the local code page and
        # garbles Persian text.
        pyogrio.write_dataframe(
            frame, path, driver="CSV", layer=LAYER_NAME, layer_options={"WRITE_BOM": "YES"}
        )
        return
    gdf = _geoframe(sites, rows, columns)
    if fmt == "gpkg":
        # GeoPackage 1.2 so that older QGIS and GDAL (e.g. Debian's 3.6) read it without warnings.
        pyogrio.write_dataframe(
            gdf, path, driver="GPKG", layer=LAYER_NAME, dataset_options={"VERSION": "1.2"}
        )
    else:
        gdf = gdf.copy()
        # LIBKML writes `id` as the Placemark id and `name` as its <name>; the id is kept in
        # ExtendedData too (as site_id) because not every reader shows Placemark ids.
        gdf.insert(0, "site_id", gdf["id"])
        gdf["description"] = [kml_description(s) for s in sites]
        pyogrio.write_dataframe(gdf, path, driver="LIBKML", layer=LAYER_NAME)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) can send
# data away); OWASP's advice for CSV is to prefix such text cells with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(text: Any) -> Any:
    """Text a spreadsheet will show as text: `=1+1` -> `'=1+1`; anything else unchanged."""
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restore_formula_text(text: str) -> str:
    """Undo `defuse_formula` when reading a CSV back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _typed(frame: Any) -> Any:
    """lat/lon as floats, every other column as text (None stays empty)."""
    for column in frame.columns:
        if column in ("lat", "lon"):
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].astype(object)
    return frame


def _geoframe(sites: list[model.Site], rows: list[dict[str, Any]], columns: list[str]) -> Any:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    frame = _typed(pd.DataFrame(rows, columns=columns))
    geometry = [Point(s.lon, s.lat) for s in sites]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


# ---------------------------------------------------------------------------------------------
# Reading tables to import


@dataclass
class Row:
    """One row of an input file: its number as the user would find it, its cells, its point."""

    number: int
    values: dict[str, str | None]
    lon: float | None = None
    lat: float | None = None
    geometry_problem: str | None = None


@dataclass
class Table:
    """The rows of an input file and its columns, in file order."""

    path: str
    fmt: str
    columns: list[str]
    rows: list[Row]
    #: True for gravemap's own GeoJSON: the rows are whole site Features, not mapped columns.
    features: list[dict[str, Any]] | None = None


def guess_import_format(path: str | os.PathLike[str]) -> str | None:
    """The import format a file name's suffix implies, or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_ARABIC_DECIMAL = "\u066b"  # ٫
_ARABIC_THOUSANDS = "\u066c"  # ٬


def ascii_digits(text: str) -> str:
    """`text` with Persian and Arabic-Indic digits (and the Arabic decimal sign) made ASCII."""
    return text.translate(_DIGITS).replace(_ARABIC_DECIMAL, ".").replace(_ARABIC_THOUSANDS, "")


def parse_number(text: str) -> float | None:
    """A coordinate written in any digits, with a point or a decimal comma; None if not one."""
    value = ascii_digits(text).strip().replace("\u2212", "-")
    if re.fullmatch(r"[+-]?\d+,\d+", value):
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def read_table(
    path: str | os.PathLike[str], fmt: str | None = None, *, encoding: str = "utf-8"
) -> Table:
    """Read an input file's rows. Raises DataFileError when the file cannot be read at all."""
    path = Path(path)
    fmt = fmt or guess_import_format(path)
    if fmt is None:
        raise DataFileError(
            str(path),
            "has an unknown suffix; say what it is with --format " + "|".join(IMPORT_FORMATS),
        )
    if fmt == "csv":
        return _read_csv(path, encoding)
    if fmt == "geojson":
        return _read_geojson(path)
    return _read_with_gdal(path, fmt)


def _read_csv(path: Path, encoding: str) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read: {exc.strerror}") from None
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise DataFileError(
            str(path),
            f"is not {encoding} text (byte {exc.start}); save it from the spreadsheet as "
            "'CSV UTF-8', or name its encoding with --encoding (e.g. cp1256 for Persian Windows)",
        ) from None
    except LookupError:
        raise InputError("--encoding", f"{encoding!r} is not a known encoding") from None
    if not text.strip():
        raise DataFileError(str(path), "is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        records = list(reader)
    except csv.Error as exc:  # a cell over the csv module's size limit, a stray NUL...
        raise DataFileError(
            str(path),
            f"line {reader.line_num}: cannot be read as CSV ({exc}); check that cell in the "
            "spreadsheet (a cell this long belongs in a linked document, not the table)",
        ) from None
    # Blank lines above the header (some exports add them) are not the header.
    start = next((i for i, record in enumerate(records) if any(c.strip() for c in record)), None)
    if start is None:
        raise DataFileError(str(path), "has no header row; its first line should name the columns")
    header = [h.strip() for h in records[start]]
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise DataFileError(str(path), f"has the column {twice[0]!r} twice; rename one")
    rows = []
    for index, record in enumerate(records[start + 1 :], start=start + 2):  # header: row 1
        if not any(cell.strip() for cell in record):
            continue
        # A cell typed with Alt+Enter in Excel on Windows holds CRLF; keep plain newlines.
        values = {
            h: (restore_formula_text(record[i].replace("\r\n", "\n").strip()) or None)
            if i < len(record)
            else None
            for i, h in enumerate(header)
        }
        rows.append(Row(index, values))
    return Table(str(path), "csv", header, rows)


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon (European spreadsheets) or tab: the one the header line uses most."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    first = lines[0] if lines else ""
    sample = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return max((",", ";", "\t"), key=first.count)


def _read_geojson(path: Path) -> Table:
    from gravemap.store import parse_json

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read: {exc.strerror}") from None
    data = parse_json(raw, str(path))
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise DataFileError(str(path), "is not a GeoJSON FeatureCollection")
    features = data["features"]
    if "gravemap" in data:
        return Table(str(path), "geojson", [], [], features=features)
    columns: list[str] = []
    rows = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        values = {}
        for key, value in props.items():
            if key not in columns:
                columns.append(key)
            values[key] = _cell_text(value)
        row = Row(number, values)
        _set_point(row, feature.get("geometry") if isinstance(feature, dict) else None)
        rows.append(row)
    return Table(str(path), "geojson", columns, rows)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value).strip()
    return text or None


def _set_point(row: Row, geometry: Any) -> None:
    """Take a Point's coordinates; anything else is recorded as a problem with the row."""
    if geometry is None:
        return
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        row.geometry_problem = f"is a {kind}, but a site is one point"
        return
    coords = geometry.get("coordinates")
    if (
        isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
    ):
        try:
            lon, lat = float(coords[0]), float(coords[1])
        except OverflowError:  # an integer too large for a float
            lon = lat = math.inf
        if math.isfinite(lon) and math.isfinite(lat):
            row.lon, row.lat = lon, lat
        else:
            row.geometry_problem = "has coordinates that are not finite numbers"
    else:
        row.geometry_problem = "has no usable coordinates"


_LIBKML_COLUMNS = (
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "snippet",
)


def _read_with_gdal(path: Path, fmt: str) -> Table:
    """KML (each Folder is a layer) or GeoPackage, every layer in order, through GDAL."""
    import pyogrio
    from pyogrio.errors import DataSourceError

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except (DataSourceError, OSError) as exc:
        raise DataFileError(str(path), f"cannot be read as {fmt.upper()}: {exc}") from None
    columns: list[str] = []
    rows: list[Row] = []
    number = 0
    for layer in layers:
        info = pyogrio.read_info(path, layer=layer)
        if not info.get("features"):
            continue
        frame = pyogrio.read_dataframe(path, layer=layer, datetime_as_string=True)
        names = [str(c) for c in frame.columns if c != "geometry"]
        for name in names:
            if name not in columns:
                columns.append(name)
        if fmt == "kml" and "folder" not in columns:
            columns.append("folder")
        for index in range(len(frame)):
            number += 1
            record = frame.iloc[index]
            values = {name: _cell_text(record[name]) for name in names}
            if fmt == "kml":
                values["folder"] = layer
            row = Row(number, values)
            geom = record["geometry"] if "geometry" in frame.columns else None
            if geom is not None and not geom.is_empty:
                if geom.geom_type == "Point":
                    row.lon, row.lat = float(geom.x), float(geom.y)
                else:
                    row.geometry_problem = f"is a {geom.geom_type}, but a site is one point"
            rows.append(row)
    # Drop what GDAL's KML reader adds for every Placemark (styling, time spans) and columns no
    # row fills: they are not the researcher's data.
    columns = [
        c
        for c in columns
        if not (fmt == "kml" and c in _LIBKML_COLUMNS)
        and any(r.values.get(c) is not None for r in rows)
    ]
    return Table(str(path), fmt, columns, rows)


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

_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def normalise_header(header: str) -> str:
    """Lowercase, Arabic letter forms made Persian, diacritics dropped, spaces as `_`."""
    text = unicodedata.normalize("NFKC", header).strip().casefold()
    text = _MARKS.sub("", text).translate(_PERSIAN_LETTERS)
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
                _own_feature(prepared, row.number, _feature_from_own_row(row))
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


def _feature_from_own_row(row: Row) -> dict[str, Any]:
    """Rebuild a Feature from a row of gravemap's tabular export."""
    v = {k.lower(): value for k, value in row.values.items()}  # KML readers say `Name`
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
