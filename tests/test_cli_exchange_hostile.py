"""Hostile files given to `gravemap import`: refused in one line, nothing read, nothing fetched.

A GDAL virtual dataset (VRT) or pipeline saved under a KML or GeoPackage name must never make
GDAL read another file (a secret, the researcher's own data file with its withheld sites) or
the network. Each test plants such a file and asserts: exit 1, one line on stderr, no
traceback, the data file byte-for-byte unchanged, and no secret and no request.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gravemap import exchange
from gravemap.cli import main
from gravemap.exchange import gdal

from conftest import make_collection, make_site

SECRET = "SYNTHETIC-SECRET-7f3a"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data file whose withheld site's name is a sentinel that must never be read back."""
    from gravemap.store import dumps_collection

    path = tmp_path / "sites.geojson"
    site = make_site("ir-synthetic-01", name=f"Withheld {SECRET}", publish="withheld")
    path.write_text(dumps_collection(make_collection(site)), encoding="utf-8")
    return path


@pytest.fixture
def secret_csv(tmp_path: Path) -> Path:
    path = tmp_path / "secret.csv"
    path.write_text(f"name,note\nTestville,{SECRET}\n", encoding="utf-8")
    return path


class Listener:
    """An HTTP server on 127.0.0.1 that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(f"name,note\nTestville,{SECRET}\n".encode())

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/leak.csv"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def vrt(source: str, layer: str | None = None) -> str:
    src_layer = f"<SrcLayer>{layer}</SrcLayer>" if layer else ""
    return (
        '<OGRVRTDataSource>\n  <OGRVRTLayer name="sites">\n'
        f"    <SrcDataSource>{source}</SrcDataSource>{src_layer}\n"
        "  </OGRVRTLayer>\n</OGRVRTDataSource>\n"
    )


def import_refused(runner, data: Path, hostile: Path, *extra: str):
    before = data.read_bytes()
    result = runner.invoke(
        main,
        ["--data", str(data), "import", str(hostile), "--precision", "site", *extra],
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {hostile}: ")
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    assert data.read_bytes() == before
    return lines[0]


@pytest.mark.parametrize("suffix", ["kml", "gpkg"])
def test_vrt_disguised_as_kml_or_gpkg_cannot_read_another_file(
    runner, tmp_path, data, secret_csv, suffix
):
    hostile = tmp_path / f"contacts.{suffix}"
    hostile.write_text(vrt(f"CSV:{secret_csv}", "secret"), encoding="utf-8")
    line = import_refused(runner, data, hostile)
    assert "GDAL virtual dataset" in line


@pytest.mark.parametrize("suffix", ["kml", "gpkg"])
def test_vrt_disguised_as_kml_or_gpkg_cannot_read_the_data_file(runner, tmp_path, data, suffix):
    hostile = tmp_path / f"map.{suffix}"
    hostile.write_text(vrt(str(data)), encoding="utf-8")
    import_refused(runner, data, hostile)


@pytest.mark.parametrize("suffix", ["kml", "gpkg"])
def test_vsicurl_vrt_makes_no_request(runner, tmp_path, data, listener, suffix):
    hostile = tmp_path / f"remote.{suffix}"
    hostile.write_text(vrt(f"/vsicurl/{listener.url}"), encoding="utf-8")
    import_refused(runner, data, hostile)
    assert listener.requests == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('<?xml version="1.0"?>\n<FeatureCollection><a/></FeatureCollection>', "not KML"),
        ('{"type": "gdal_streamed_alg", "command_line": "gdal vector pipeline"}', "not KML"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            "<kml><Document><name>&x;</name></Document></kml>",
            "DOCTYPE",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml><Document>'
            "<name>&b;</name></Document></kml>",
            "DOCTYPE",
        ),
        ('<kml xmlns="http://www.opengis.net/kml/2.2"></kml><OGRVRTDataSource/>', "KML"),
        ("name,city\nTestville,Testville\n", "not KML"),
    ],
)
def test_anything_but_plain_kml_under_a_kml_name_is_refused(
    runner, tmp_path, data, content, expected
):
    hostile = tmp_path / "places.kml"
    hostile.write_text(content, encoding="utf-8")
    assert expected in import_refused(runner, data, hostile)


def test_sqlite_database_that_is_not_a_geopackage_is_refused(runner, tmp_path, data):
    import sqlite3

    hostile = tmp_path / "db.gpkg"
    with sqlite3.connect(hostile) as db:
        db.execute("create table t (a)")
    db.close()
    assert "not a GeoPackage" in import_refused(runner, data, hostile)


# The layers behind the content check, each tested with the layers before it switched off.


def test_only_the_format_driver_may_open_even_when_the_content_check_is_bypassed(
    tmp_path, secret_csv, monkeypatch
):
    monkeypatch.setattr(gdal, "check_content", lambda *a: None)
    hostile = tmp_path / "contacts.kml"
    hostile.write_text(vrt(f"CSV:{secret_csv}", "secret"), encoding="utf-8")
    with pytest.raises(exchange.DataFileError) as info:
        exchange.read_table(hostile)
    assert SECRET not in str(info.value)


def test_gdal_drivers_are_all_back_after_an_import(tmp_path):
    import pyogrio

    before = set(pyogrio.list_drivers())
    with gdal.untrusted("kml"):
        assert set(pyogrio.list_drivers()) <= {"KML", "LIBKML"}
    assert set(pyogrio.list_drivers()) == before


def test_network_is_closed_even_when_every_driver_is_allowed(listener):
    import pyogrio

    with (
        gdal.no_network(),
        pytest.raises((pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError)),
    ):
        pyogrio.read_info(vrt(f"/vsicurl/{listener.url}").encode())
    assert listener.requests == []
    assert pyogrio.get_gdal_config_option("CPL_VSIL_CURL_ALLOWED_FILENAME") is None


def test_my_maps_kml_still_imports(tmp_path):
    table = exchange.read_table(Path(__file__).parent / "data" / "exchange" / "my_maps.kml")
    assert table.fmt == "kml" and table.rows


# ---------------------------------------------------------------------------------------------
# Hostile sizes: refused at once with the stated limits, in bounded time and memory


def refused_quickly(runner, data: Path, hostile: Path, what: str) -> None:
    import time

    started = time.monotonic()
    line = import_refused(runner, data, hostile)
    assert time.monotonic() - started < 10
    assert f"has {what}" in line
    assert exchange.formats.LIMITS_TEXT in line


def test_csv_with_100001_columns_is_refused_at_once(runner, tmp_path, data):
    hostile = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(100_001))
    hostile.write_text(header + "\n" + "x," * 100_000 + "x\n", encoding="utf-8")
    refused_quickly(runner, data, hostile, "100,001 columns on line 1")


def test_csv_with_a_duplicate_among_many_columns_is_found_in_linear_time(tmp_path):
    path = tmp_path / "dup.csv"
    header = [f"c{i}" for i in range(exchange.formats.MAX_COLUMNS - 1)] + ["c7"]
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    with pytest.raises(exchange.DataFileError, match="has the column 'c7' twice"):
        exchange.read_table(path)


def test_csv_of_200_mb_is_refused_before_it_is_read(runner, tmp_path, data):
    hostile = tmp_path / "huge.csv"
    with open(hostile, "wb") as f:
        f.write(b"name,city\n")
        f.truncate(200_000_000)  # sparse: 200 MB on paper, nothing on disk
    refused_quickly(runner, data, hostile, "200 MB")


def test_csv_with_more_rows_than_the_limit_is_refused(runner, tmp_path, data):
    hostile = tmp_path / "long.csv"
    rows = "".join(f"Site {i},Testville\n" for i in range(exchange.formats.MAX_ROWS + 1))
    hostile.write_text("name,city\n" + rows, encoding="utf-8")
    refused_quickly(runner, data, hostile, f"more than {exchange.formats.MAX_ROWS:,} rows")


def test_geopackage_with_thousands_of_layers_is_refused_before_gdal_lists_them(
    runner, tmp_path, data
):
    import sqlite3

    import geopandas as gpd
    import pyogrio
    from shapely.geometry import Point

    hostile = tmp_path / "layers.gpkg"
    frame = gpd.GeoDataFrame({"name": ["Testville"]}, geometry=[Point(53, 34)], crs="EPSG:4326")
    pyogrio.write_dataframe(frame, hostile, layer="sites", driver="GPKG")
    with sqlite3.connect(hostile) as db:
        for i in range(3000):
            db.execute(f'CREATE TABLE "t{i}" (fid INTEGER PRIMARY KEY, name TEXT)')
            db.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES (?, 'attributes', ?)",
                (f"t{i}", f"t{i}"),
            )
    db.close()
    refused_quickly(runner, data, hostile, "3,001 layers")


def test_kml_with_too_many_folders_is_refused_before_gdal_reads_it(runner, tmp_path, data):
    hostile = tmp_path / "folders.kml"
    folders = "".join(
        f"<Folder><name>f{i}</name><Placemark><name>Testville {i}</name>"
        "<Point><coordinates>53,34</coordinates></Point></Placemark></Folder>"
        for i in range(exchange.formats.MAX_LAYERS + 1)
    )
    hostile.write_text(
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{folders}</Document></kml>',
        encoding="utf-8",
    )
    refused_quickly(runner, data, hostile, f"more than {exchange.formats.MAX_LAYERS} folders")


def test_geojson_with_too_many_property_names_is_refused(runner, tmp_path, data):
    import json

    hostile = tmp_path / "props.geojson"
    props = {f"p{i}": "x" for i in range(exchange.formats.MAX_COLUMNS + 1)}
    feature = {"type": "Feature", "geometry": None, "properties": props}
    hostile.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    refused_quickly(
        runner, data, hostile, f"more than {exchange.formats.MAX_COLUMNS} property names"
    )


def test_import_help_states_the_limits(runner):
    result = runner.invoke(main, ["import", "--help"])
    assert " ".join(exchange.formats.LIMITS_TEXT.split()) in " ".join(result.output.split())


def test_kml_network_link_is_not_fetched(runner, tmp_path, data, listener):
    kml = tmp_path / "linked.kml"
    kml.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<NetworkLink><name>remote</name><Link><href>{listener.url}</href></Link></NetworkLink>"
        "<Placemark><name>Synthetic site</name><Point><coordinates>53,34</coordinates></Point>"
        "</Placemark></Document></kml>",
        encoding="utf-8",
    )
    table = exchange.read_table(kml)
    assert [r.values.get("Name") or r.values.get("name") for r in table.rows] == ["Synthetic site"]
    assert listener.requests == []
