"""Writing sites out: gravemap's own GeoJSON, or GeoPackage, KML and CSV through GDAL (pyogrio).

The tabular formats keep every nested field as JSON text (`sources_json`, ...) beside readable
summary columns, so that a re-import loses nothing those formats can hold. What leaves the file
is decided by `ExportOptions`: private fields, withheld sites and precise points of sites
published at city level stay home unless asked for. geopandas and pyogrio are imported inside
the functions that write with them.
"""

from __future__ import annotations

import errno
import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from gravemap import dates, model
from gravemap.errors import DataFileError, ExportError, InputError
from gravemap.exchange.formats import (
    EXPORT_FORMATS,
    JSON_COLUMNS,
    LAYER_NAME,
    READABLE_COLUMNS,
    STREAM_FORMATS,
    SUFFIXES,
    defuse_formula,
)
from gravemap.files import replace_atomically


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
            city_centre=city_centre,  # None: the gazetteer's, as every output uses
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
        f"{c.date or dates.UNDATED}: {c.status}" + (f" ({c.note})" if c.note else "")
        for c in site.status_history
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


def kml_text(value: Any) -> Any:
    """A text field as KML viewers must show it: HTML-escaped (`<b>` shows as `<b>`)."""
    return html.escape(value, quote=False) if isinstance(value, str) else value


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
    parts.append(f"<p>Status: <b>{e(site.status)}</b> ({e(latest.date or dates.UNDATED)})</p>")
    parts.append("<p>Status history:</p><ul>")
    for change in site.status_history:
        note = f": {e(change.note)}" if change.note else ""
        cites = ", ".join(change.sources)
        when = change.date or dates.UNDATED
        parts.append(f"<li>{e(when)} {e(change.status)}{note} [{e(cites)}]</li>")
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
    existed = final.exists()
    try:
        _write_to_path(sites, fmt, final, include_private)
    except OSError as exc:
        reason = " ".join((exc.strerror or str(exc)).split())
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            reason += " (free some space, or write to another disk)"
        if not final.parent.is_dir():
            reason = f"its folder {final.parent} does not exist; create it first"
        kept = "; the old file is unchanged" if existed else ""
        raise DataFileError(str(final), f"cannot be written: {reason}{kept}") from None


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
    # GDAL picks the layout from the name (a `.csv` or `.kml` is one file; another name becomes
    # a folder), so each format is written under its own name in a private folder first, then
    # moved into the temporary file that replace_atomically fsyncs and renames over the target.
    with (
        replace_atomically(final) as tmp,
        tempfile.TemporaryDirectory(prefix=".gravemap-export-", dir=parent) as work,
    ):
        path = Path(work) / f"export.{fmt}"
        _write_file(sites, fmt, path, include_private)
        os.replace(path, tmp)


def _write_file(sites: list[model.Site], fmt: str, path: Path, include_private: bool) -> None:
    """Write `fmt` to `path`, then check that the file holds every site (raises OSError if not).

    GDAL's writers do not all report a full disk: LIBKML leaves a truncated file and says
    nothing, so what was written is read back before it may replace anything.
    """
    if fmt == "geojson":
        from gravemap.public import geojson_bytes  # the published bytes: one form, one place

        data = geojson_bytes(export_collection_json(sites))
        path.write_bytes(data)
        if path.stat().st_size != len(data):
            raise OSError(errno.EIO, "the written file is incomplete (is the disk full?)")
        return
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        _write_with_gdal(sites, fmt, path, include_private)
        _check_with_gdal(path, fmt, len(sites))
    except (DataSourceError, DataLayerError) as exc:
        reason = " ".join(str(exc).split())
        raise OSError(errno.EIO, f"GDAL could not write it ({reason}; is the disk full?)") from None


def _check_with_gdal(path: Path, fmt: str, expected: int) -> None:
    import pyogrio

    incomplete = OSError(errno.EIO, "the written file is incomplete (is the disk full?)")
    if fmt == "kml" and not path.read_bytes().rstrip().endswith(b"</kml>"):
        raise incomplete
    if expected == 0:
        return
    if pyogrio.read_info(path, layer=0, force_feature_count=True)["features"] != expected:
        raise incomplete


def _write_with_gdal(sites: list[model.Site], fmt: str, path: Path, include_private: bool) -> None:
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
        # Google Earth shows a placemark's name and its data values as HTML, so every text
        # field is escaped as the description is: text stays text (`import` unescapes it).
        for column in gdf.columns:
            if column not in ("geometry", "lat", "lon"):
                gdf[column] = gdf[column].map(kml_text)
        gdf["description"] = [kml_description(s) for s in sites]
        pyogrio.write_dataframe(gdf, path, driver="LIBKML", layer=LAYER_NAME)


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
