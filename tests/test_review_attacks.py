"""Attacks tried by review on issue 9's promises, each planted with its hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from gravemap import public
from gravemap.cli import main
from gravemap.public import PublishError, public_view

from conftest import make_collection, make_site

CENTRE = (48.6842, 31.31901)  # (lon, lat) of the fake gazetteer's only place
HIDDEN_LON, HIDDEN_LAT = 48.712345, 31.354321


def centre(geonameid, country):
    return CENTRE if geonameid is not None else None


def city_site(lon=HIDDEN_LON, lat=HIDDEN_LAT, **props):
    feature = make_site(
        "ir-testville-02",
        publish="city",
        location={"precision": "site", "method": "manual", "query": "Testville", "geonameid": 1},
        **props,
    )
    feature["geometry"]["coordinates"] = [lon, lat]
    return feature


def withheld_site(lon=HIDDEN_LON, lat=HIDDEN_LAT):
    feature = make_site("ir-testville-09", publish="withheld")
    feature["geometry"]["coordinates"] = [lon, lat]
    return feature


# --- coordinates in text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "text"),
    [
        # due east of the city centre: the text's latitude is the centre's, its longitude hidden
        (48.7523, CENTRE[1] + 0.00004, "31.3190 N, 48.7523 E"),
        # due north: the longitude is the centre's
        (CENTRE[0] - 0.00003, 31.3323, "31.3323, 48.6842"),
    ],
)
def test_a_hidden_point_sharing_one_axis_with_its_city_centre_is_caught(lon, lat, text):
    with pytest.raises(PublishError, match="states the recorded point"):
        public_view(make_collection(city_site(lon, lat, notes=text)), city_centre=centre)
    other = make_site("ir-testville-01", notes=text)
    with pytest.raises(PublishError, match="ir-testville-09"):
        public_view(make_collection(other, withheld_site(lon, lat)), city_centre=centre)


def test_the_city_centre_itself_stays_publishable_near_the_hidden_point():
    site = city_site(CENTRE[0] + 0.004, CENTRE[1] + 0.003, notes="Testville (31.31901, 48.6842)")
    view = public_view(make_collection(site), city_centre=centre)
    assert view["features"][0]["geometry"]["coordinates"] == list(CENTRE)


@pytest.mark.parametrize(
    "text",
    [
        "+312115.6+0484244.4/",  # ISO 6709 degrees-minutes-seconds
        "+3121.26+04842.74/",  # ISO 6709 degrees-minutes
        "3121.2593N 04842.7407E",
        "$GPGGA,123519,3121.2593,N,04842.7407,E,1,08,0.9",  # a GPS (NMEA) sentence
        "312115N 0484244E",
        "31 . 354321 / 48 . 712345",  # a spaced decimal sign
        "31 .3543, 48 .7123",
        "3.1354321×10¹ N, 4.8712345×10¹ E",  # typeset scientific notation
        "3.1354 x 10⁺¹, 4.8712 * 10¹",
    ],
)
@pytest.mark.parametrize("where", ["own", "other site"])
def test_compact_and_spaced_notations_are_caught(text, where):
    if where == "own":
        data = make_collection(city_site(notes=text))
    else:
        data = make_collection(make_site("ir-testville-01", notes=text), withheld_site())
    with pytest.raises(PublishError):
        public_view(data, city_centre=centre)


@pytest.mark.parametrize(
    "text",
    [
        "³¹.³⁵⁴³²¹ ⁴⁸.⁷¹²³⁴⁵",  # superscript digits
        "𝟑𝟏.𝟑𝟓𝟒𝟑 𝟒𝟖.𝟕𝟏𝟐𝟑",  # mathematical bold digits
        "३१.३५४३२१ ४८.७१२३४५",  # Devanagari digits
        "৩১.৩৫৪৩ ৪৮.৭১২৩",  # Bengali digits
    ],
)
def test_another_site_s_point_in_digits_of_any_script_is_caught(text):
    data = make_collection(make_site("ir-testville-01", notes=text), withheld_site())
    with pytest.raises(PublishError, match="ir-testville-09"):
        public_view(data, city_centre=centre)
    assert public.states_point([text], HIDDEN_LAT, HIDDEN_LON)


# --- text of the page beside the sites ---------------------------------------------------


@pytest.fixture
def hidden_data(tmp_path):
    from gravemap.store import dumps_collection

    city = city_site()
    city["properties"]["location"]["geonameid"] = 144448  # Ahvaz in the offline gazetteer
    withheld = withheld_site(HIDDEN_LON + 0.5, HIDDEN_LAT + 0.5)
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(make_site(), city, withheld)), "utf-8")
    return path


@pytest.mark.parametrize(
    ("option", "value", "site"),
    [
        ("--title", "Graves at 31.3543, 48.7123", "ir-testville-02"),
        ("--title", "Site 31°51′15″N 49°12′44″E", "ir-testville-09"),
        ("--tiles", "https://t.example.org/{z}/{x}/{y}.png?c=31.3543,48.7123", "ir-testville-02"),
    ],
)
def test_render_refuses_a_title_or_tile_address_stating_a_hidden_point(
    runner, hidden_data, tmp_path, option, value, site
):
    from gravemap.cli import main

    before = hidden_data.read_bytes()
    out = tmp_path / "map.html"
    result = runner.invoke(
        main, ["--data", str(hidden_data), "render", "-o", str(out), option, value]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {option}: states the recorded point of site {site!r}, which is not published; "
        "remove the coordinates from it\n"
    )
    assert not out.exists()
    assert hidden_data.read_bytes() == before


def test_render_keeps_a_title_with_ordinary_numbers(runner, hidden_data, tmp_path):
    from gravemap.cli import main

    out = tmp_path / "map.html"
    args = ["--data", str(hidden_data), "render", "-o", str(out), "--title", "1988: 31 sites, 48 h"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output


# --- files that are not regular files ----------------------------------------------------


@pytest.fixture
def deadline():
    """Fail, instead of hanging, a command that blocks on a pipe or reads a device for ever."""
    import signal

    def expired(signum, frame):
        raise TimeoutError("the command blocked or kept reading")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _not_regular(tmp_path, kind):
    import os

    if kind == "fifo":
        path = tmp_path / "pipe.geojson"
        os.mkfifo(path)
        return path
    return Path("/dev/zero")


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["validate"],
        ["render", "-o", "{tmp}/map.html"],
        ["--data", "{data}", "import", "{bad}", "--format", "csv", "--dry-run"],
        ["--data", "{data}", "validate", "{bad}"],
    ],
    ids=["list", "validate", "render", "import", "validate-file"],
)
def test_a_named_pipe_or_device_is_refused_with_one_line_not_read(
    runner, tmp_path, data_file, deadline, kind, args
):
    bad = _not_regular(tmp_path, kind)
    argv = [a.format(tmp=tmp_path, data=data_file, bad=bad) for a in args]
    if argv[0] != "--data":
        argv = ["--data", str(bad), *argv]
    before = data_file.read_bytes()
    result = runner.invoke(main, argv)
    assert result.exit_code == 1
    what = "a named pipe" if kind == "fifo" else "a device"
    assert result.stderr == f"Error: {bad}: cannot be read: it is {what}, not a regular file\n"
    assert data_file.read_bytes() == before


# --- verify with hostile maps ------------------------------------------------------------


@pytest.fixture
def rendered(runner, tmp_path, hidden_data):
    page = tmp_path / "map.html"
    result = runner.invoke(main, ["--data", str(hidden_data), "render", "-o", str(page)])
    assert result.exit_code == 0, result.output
    return page


def test_verify_refuses_a_map_showing_two_different_hashes(runner, tmp_path, hidden_data, rendered):
    page = rendered.read_bytes()
    forged = page.replace(b"<body", b'<body><code id="gm-sha" hidden>' + b"0" * 64 + b"</code", 1)
    assert forged != page
    for first in (
        forged,
        forged.replace(b"<code id", b"<x id", 1) + b'<p id="gm-sha">' + b"0" * 64 + b"</p>",
    ):
        rendered.write_bytes(first)
        result = runner.invoke(main, ["--data", str(hidden_data), "verify", str(rendered)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {rendered}: shows 2 different data hashes")
        assert result.stderr.count("\n") == 1


def test_verify_reads_a_huge_map_in_chunks(tmp_path, hidden_data, rendered):
    from gravemap.public import _page_hashes, page_sha256

    page = rendered.read_bytes()
    shown = page_sha256(page)
    start = page.index(b'id="gm-sha"')
    for cut in (1, 20, 70):  # the hash element across a chunk's end
        padded = b" " * ((1 << 20) - start - cut) + page
        with open(tmp_path / "padded.html", "wb") as f:
            f.write(padded)
        with open(tmp_path / "padded.html", "rb") as f:
            assert _page_hashes(f) == {shown}


def test_verify_works_with_a_withheld_site_linked_to_no_city(runner, tmp_path):
    from gravemap.store import dumps_collection

    data = tmp_path / "sites.geojson"
    withheld = make_site("ir-testville-09", publish="withheld")  # no location.geonameid
    data.write_text(dumps_collection(make_collection(make_site(), withheld)), "utf-8")
    page = tmp_path / "map.html"
    assert runner.invoke(main, ["--data", str(data), "render", "-o", str(page)]).exit_code == 0
    result = runner.invoke(main, ["--data", str(data), "verify", str(page)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{page} matches {data}")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_verify_refuses_a_map_that_is_a_pipe_or_device(runner, tmp_path, data_file, deadline, kind):
    bad = _not_regular(tmp_path, kind)
    result = runner.invoke(main, ["--data", str(data_file), "verify", str(bad)])
    assert result.exit_code == 1
    what = "a named pipe" if kind == "fifo" else "a device"
    assert result.stderr == f"Error: {bad}: cannot be read (it is {what}, not a regular file)\n"


# --- history is a listing of one site ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_history_of_a_withheld_site_needs_include_private(runner, tmp_path, fmt):
    from gravemap.store import dumps_collection

    secret = make_site("ir-testville-09", name="WITHHELD-SENTINEL-0b1d", publish="withheld")
    secret["properties"]["sources"][0]["title"] = "TITLE-SENTINEL-71c2"
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(make_site(), secret)), "utf-8")
    args = ["--data", str(data), "history", "ir-testville-09", "--format", fmt]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "SENTINEL" not in result.output
    assert result.stderr == (
        "Error: site 'ir-testville-09' is marked publish: withheld and left out of default "
        "output; add --include-private to show it\n"
    )
    result = runner.invoke(main, [*args, "--include-private"])
    assert result.exit_code == 0, result.output
    assert "TITLE-SENTINEL-71c2" in result.stdout
    assert runner.invoke(main, ["--data", str(data), "history", "ir-synthetic-01"]).exit_code == 0


def test_history_refuses_a_city_site_whose_sources_state_its_point(runner, tmp_path):
    from gravemap.store import dumps_collection

    site = city_site()
    site["properties"]["location"]["geonameid"] = 144448
    site["properties"]["sources"][1]["quote"] = "the trench at 31.3543 N, 48.7123 E"
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(site)), "utf-8")
    result = runner.invoke(main, ["--data", str(data), "history", "ir-testville-02"])
    assert result.exit_code == 1
    assert "31.3543" not in result.stdout
    assert "sources[1].quote" in result.stderr and result.stderr.count("\n") == 1
    args = ["--data", str(data), "history", "ir-testville-02", "--include-private"]
    assert "31.3543" in runner.invoke(main, args).stdout


# --- an import file that is a link to another file ---------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".kml", ".gpkg"])
def test_import_refuses_a_symbolic_link_to_another_file(runner, tmp_path, data_file, suffix):
    """A folder unpacked from someone else's archive may hold `sites.csv -> ~/notes.csv`:
    importing it would read (and print, and store) another of the researcher's files."""
    secret = tmp_path / "elsewhere" / "private-notes.csv"
    secret.parent.mkdir()
    secret.write_text(
        "name,city,lat,lon,source_url,date,status,precision\n"
        "SECRET-SENTINEL-e4f0,Testville,34.5,54.5,https://example.org/x,2001,intact,site\n",
        encoding="utf-8",
    )
    received = tmp_path / "received"
    received.mkdir()
    link = received / f"sites{suffix}"
    link.symlink_to(secret)
    before = data_file.read_bytes()
    args = ["--data", str(data_file), "import", str(link), "--format", "csv"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {link}: cannot be read: it is a symbolic link to another file "
        "(give that file itself)\n"
    )
    assert "SECRET-SENTINEL" not in result.output
    assert data_file.read_bytes() == before


# --- terminal controls in what is printed ------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl"])
def test_geocode_prints_queries_from_a_hostile_file_inert(runner, tmp_path, fmt):
    import re

    queries = tmp_path / "places.txt"
    hostile = "Tehran\x1b]0;owned\x07\x9b31m\u202e"
    queries.write_text(f"{hostile}\nQom\x1b[2J\n", encoding="utf-8")
    result = runner.invoke(main, ["geocode", "--input", str(queries), "--format", fmt])
    assert "Tehran" in result.stdout
    controls = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    assert not controls.search(result.output), repr(result.output)


# --- GeoPackage SQL tricks and GDAL's messages ---------------------------------------------


def _geopackage_with_view(path, expression):
    """A GeoPackage whose only layer is a view computing `expression` for every row."""
    import sqlite3

    import geopandas
    from shapely.geometry import Point

    frame = geopandas.GeoDataFrame(
        {"name": ["Synthetic site"], "city": ["Testville"]},
        geometry=[Point(54.0, 34.0)],
        crs="EPSG:4326",
    )
    frame.to_file(path, layer="sites", driver="GPKG")
    db = sqlite3.connect(path)
    db.executescript(
        f"""
        CREATE VIEW v AS SELECT fid, name || coalesce({expression}, '') AS name, city, geom
            FROM sites;
        INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id)
            VALUES ('v', 'features', 'v', 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'POINT', 4326, 0, 0);
        DELETE FROM gpkg_contents WHERE table_name = 'sites';
        DELETE FROM gpkg_geometry_columns WHERE table_name = 'sites';
        """
    )
    db.commit()
    db.close()


def test_a_geopackage_view_loading_an_extension_is_refused_in_one_plain_line(
    runner, tmp_path, data_file
):
    hostile = tmp_path / "sites.gpkg"
    _geopackage_with_view(hostile, f"load_extension('{tmp_path / 'evil'}')")
    before = data_file.read_bytes()
    result = runner.invoke(main, ["--data", str(data_file), "import", str(hostile)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {hostile}: cannot be read as GPKG (GDAL: ")
    assert result.stderr.endswith("); save it again as GPKG (QGIS)\n")
    assert "load_extension" in result.stderr and result.stderr.count("\n") == 1
    assert "/vsimem/" not in result.stderr and "<DRIVER>" not in result.stderr
    assert data_file.read_bytes() == before


def test_a_kml_gdal_cannot_read_gets_a_message_without_gdal_s_internals(
    runner, tmp_path, data_file
):
    kml = tmp_path / "sites.kml"
    text = (
        '<?xml version="1.0" encoding="UTF-16"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>x</name><Point><coordinates>54,34</coordinates></Point>"
        "</Placemark></Document></kml>"
    )
    kml.write_bytes(text.encode("utf-16"))
    result = runner.invoke(main, ["--data", str(data_file), "import", str(kml)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {kml}: cannot be read as KML (GDAL: not recognized as being in a supported "
        "file format); save it again as KML (Google Earth or My Maps)\n"
    )


def test_a_multi_line_note_cannot_forge_rows_of_the_timeline_table(runner, tmp_path):
    from gravemap.store import dumps_collection

    site = make_site()
    site["properties"]["status_history"][1]["note"] = (
        "synthetic\n6 May 2099          ir-forged-01     exhumed  Example Org"
    )
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(site)), "utf-8")
    result = runner.invoke(main, ["--data", str(data), "timeline", "--events"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4  # header, rule, two entries
    assert not any(line.startswith("6 May 2099") for line in lines)
    assert "synthetic\\x0a6 May 2099" in result.stdout


@pytest.mark.parametrize("port", ["٨٠٨٠", "۸۰", "８０", "99999", "0"])
def test_a_tile_address_with_a_port_no_browser_can_use_is_refused(
    runner, hidden_data, tmp_path, port
):
    out = tmp_path / "map.html"
    tiles = f"https://tiles.example.org:{port}/{{z}}/{{x}}/{{y}}.png"
    args = ["--data", str(hidden_data), "render", "-o", str(out), "--tiles", tiles]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "--tiles" in result.stderr and not out.exists()
    ok = tiles.replace(port, "8080")
    assert runner.invoke(main, [*args[:-1], ok]).exit_code == 0


def test_a_broken_geojson_import_is_not_told_to_restore_it_with_git(runner, tmp_path, data_file):
    received = tmp_path / "received.geojson"
    received.write_bytes(b'{"type": "FeatureCollection", "features": [\x00]}')
    result = runner.invoke(main, ["--data", str(data_file), "import", str(received)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {received}: line 1, column 44: not valid JSON")
    assert result.stderr.endswith("; fix the text there, or ask the sender for it again\n")
