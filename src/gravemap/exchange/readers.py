"""Reading the files researchers bring (CSV, GeoJSON, KML, GeoPackage) into a `Table` of rows.

A reader only reads: it keeps each row's cells as text and its point, numbered as the user
would find the row, and leaves mapping columns to fields to `importing`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gravemap.errors import DataFileError, InputError
from gravemap.exchange.formats import (
    IMPORT_FORMATS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LAYERS,
    MAX_ROWS,
    SUFFIXES,
    restore_formula_text,
    too_large,
)
from gravemap.files import open_regular
from gravemap.text import ascii_digits


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
    raw = _read_bytes(path)
    if fmt == "csv":
        return _read_csv(path, raw, encoding)
    if fmt == "geojson":
        return _read_geojson(path, raw)
    return _read_with_gdal(path, raw, fmt)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing one over MAX_FILE_BYTES before reading it."""
    try:
        # A named pipe, a device or a link to another file is refused, not read.
        with open_regular(path, follow_symlinks=False) as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise too_large(str(path), f"{size / 1_000_000:,.0f} MB")
            data = f.read(MAX_FILE_BYTES + 1)  # a file still growing is cut off here
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large(str(path), f"over {MAX_FILE_BYTES // 1_000_000} MB")
    return data


def _read_csv(path: Path, raw: bytes, encoding: str) -> Table:
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
    del raw
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    header: list[str] | None = None
    rows: list[Row] = []
    cells = 0
    try:
        # Streamed: the limits stop a hostile file early. Rows are numbered as a spreadsheet
        # numbers them (one per record, a cell with line breaks included).
        for number, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS:
                raise too_large(str(path), f"{len(record):,} columns on line {reader.line_num}")
            if header is None:
                # Blank lines above the header (some exports add them) are not the header.
                if any(c.strip() for c in record):
                    header = [h.strip() for h in record]
                    twice = [h for h, n in Counter(header).items() if n > 1]
                    if twice:
                        raise DataFileError(
                            str(path), f"has the column {sorted(twice)[0]!r} twice; rename one"
                        )
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) == MAX_ROWS:
                raise too_large(str(path), f"more than {MAX_ROWS:,} rows")
            cells += len(header)
            if cells > MAX_CELLS:
                raise too_large(str(path), f"more than {MAX_CELLS:,} cells")
            # A cell typed with Alt+Enter in Excel on Windows holds CRLF; keep plain newlines.
            values = {
                h: (restore_formula_text(record[i].replace("\r\n", "\n").strip()) or None)
                if i < len(record)
                else None
                for i, h in enumerate(header)
            }
            rows.append(Row(number, values))
    except csv.Error as exc:  # a cell over the csv module's size limit, a stray NUL...
        raise DataFileError(
            str(path),
            f"line {reader.line_num}: cannot be read as CSV ({exc}); check that cell in the "
            "spreadsheet (a cell this long belongs in a linked document, not the table)",
        ) from None
    if header is None:
        raise DataFileError(str(path), "has no header row; its first line should name the columns")
    return Table(str(path), "csv", header, rows)


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon (European spreadsheets) or tab: the one the header line uses most."""
    head = text[:65536].lstrip("\ufeff")  # the header and first rows are enough
    lines = [line for line in head.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    sample = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return max((",", ";", "\t"), key=first.count)


def _read_geojson(path: Path, raw: bytes) -> Table:
    from gravemap.store import parse_json

    data = parse_json(raw, str(path), fix="fix the text there, or ask the sender for it again")
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise DataFileError(str(path), "is not a GeoJSON FeatureCollection")
    features = data["features"]
    if len(features) > MAX_ROWS:
        raise too_large(str(path), f"{len(features):,} features")
    if "gravemap" in data:
        return Table(str(path), "geojson", [], [], features=features)
    columns: dict[str, None] = {}  # ordered, and a constant-time membership test
    rows = []
    cells = 0
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        cells += len(props)
        if cells > MAX_CELLS:
            raise too_large(str(path), f"more than {MAX_CELLS:,} property values")
        values = {}
        for key, value in props.items():
            columns.setdefault(key)
            values[key] = _cell_text(value)
        if len(columns) > MAX_COLUMNS:
            raise too_large(str(path), f"more than {MAX_COLUMNS} property names")
        row = Row(number, values)
        _set_point(row, feature.get("geometry") if isinstance(feature, dict) else None)
        rows.append(row)
    return Table(str(path), "geojson", list(columns), rows)


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


def _read_with_gdal(path: Path, raw: bytes, fmt: str) -> Table:
    """KML (each Folder is a layer) or GeoPackage, every layer in order, through GDAL.

    Only the format's own GDAL driver may open the bytes, from memory, with the network
    closed (see `gravemap.exchange.gdal`); anything else is refused before GDAL sees it.
    """
    from gravemap.exchange import gdal

    gdal.check_content(raw, fmt, str(path))
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    with gdal.untrusted(fmt):
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(raw)]
            if layers:  # a file with no layer holds nothing to check
                info = pyogrio.read_info(raw, layer=0)
                gdal.check_driver(info.get("driver"), fmt, str(path))
            return _gdal_rows(path, raw, fmt, layers)
        except (DataSourceError, DataLayerError, OSError) as exc:
            raise DataFileError(
                str(path),
                f"cannot be read as {fmt.upper()} (GDAL: {_gdal_reason(str(exc))}); save it "
                f"again as {fmt.upper()} ({'Google Earth or My Maps' if fmt == 'kml' else 'QGIS'})",
            ) from None


def _gdal_reason(message: str) -> str:
    """GDAL's error on one line, without the in-memory name it read the bytes under, and
    without its advice to name a driver in the path (which gravemap never does)."""
    reason = _VSIMEM_PATH.sub("", " ".join(message.split()))
    reason = _GDAL_ADVICE.sub("", reason)
    return " ".join(reason.split()).replace(" :", ":").strip(" :;.")


_VSIMEM_PATH = re.compile(r"'?/vsimem/pyogrio_[0-9a-f]{32}'?")
_GDAL_ADVICE = re.compile(r";? ?It might help to specify the correct driver explicitly.*$")


_VSIMEM_NAME = re.compile(r"pyogrio_[0-9a-f]{32}")


def _gdal_rows(path: Path, raw: bytes, fmt: str, layers: list[str]) -> Table:
    import pyogrio

    if len(layers) > MAX_LAYERS:
        raise too_large(str(path), f"{len(layers):,} layers")
    columns: dict[str, None] = {}
    filled: set[str] = set()
    rows: list[Row] = []
    number = 0
    # Layers are read by position: pyogrio gives each read of the bytes its own /vsimem/ name,
    # and GDAL names a KML's top-level layer after the file, so a name would not be found again.
    for position, layer_name in enumerate(layers):
        layer = path.stem if _VSIMEM_NAME.fullmatch(layer_name) else layer_name
        info = pyogrio.read_info(raw, layer=position)
        features = int(info.get("features") or 0)
        if not features:
            continue
        if len(info.get("fields", ())) > MAX_COLUMNS:
            raise too_large(str(path), f"{len(info['fields']):,} fields in layer {layer!r}")
        if features < 0 or number + features > MAX_ROWS:
            raise too_large(str(path), f"more than {MAX_ROWS:,} features")
        frame = pyogrio.read_dataframe(raw, layer=position, datetime_as_string=True)
        names = [str(c) for c in frame.columns if c != "geometry"]
        for name in names:
            columns.setdefault(name)
        if fmt == "kml":
            columns.setdefault("folder")
        geometries = frame["geometry"] if "geometry" in frame.columns else [None] * len(frame)
        table = frame[names].itertuples(index=False, name=None)
        for cells, geom in zip(table, geometries, strict=True):
            number += 1
            values = {name: _cell_text(value) for name, value in zip(names, cells, strict=True)}
            if fmt == "kml":
                values["folder"] = layer
            filled.update(name for name, value in values.items() if value is not None)
            row = Row(number, values)
            if geom is not None and not geom.is_empty:
                if geom.geom_type == "Point":
                    row.lon, row.lat = float(geom.x), float(geom.y)
                else:
                    row.geometry_problem = f"is a {geom.geom_type}, but a site is one point"
            rows.append(row)
    # Drop what GDAL's KML reader adds for every Placemark (styling, time spans) and columns no
    # row fills: they are not the researcher's data.
    columns = [c for c in columns if not (fmt == "kml" and c in _LIBKML_COLUMNS) and c in filled]
    return Table(str(path), fmt, columns, rows)
