"""`gravemap export` and `gravemap import` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gravemap import exchange
from gravemap.cli import main
from gravemap.store import dumps_collection
from test_exchange import (
    ADDED_BY_MARKER,
    AHVAZ,
    DATA,
    PRIVATE_MARKER,
    FakeResolver,
    read_back,
    sample_features,
)

from conftest import make_collection, make_site


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(*sample_features())), encoding="utf-8")
    return path


@pytest.fixture
def fake_geocoder(monkeypatch: pytest.MonkeyPatch) -> FakeResolver:
    resolver = FakeResolver()
    monkeypatch.setattr(exchange.importing, "default_resolver", lambda: resolver)
    return resolver


def run(runner, data: Path, *args: str):
    return runner.invoke(main, ["--data", str(data), *args], catch_exceptions=False)


# ---------------------------------------------------------------------------------------------
# export


@pytest.mark.parametrize("suffix", ["gpkg", "kml", "csv", "geojson"])
def test_export_format_from_suffix_and_says_what_it_left_out(runner, sites_file, tmp_path, suffix):
    out = tmp_path / f"export.{suffix}"
    result = run(runner, sites_file, "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"exported 2 sites to {out} as {suffix}\n"
        "left out 1 withheld site (--include-withheld adds them)\n"
        "placed at their city centre (publish: city): ir-ahvaz-01 (--full-locations keeps the "
        "points)\n"
        "private fields were left out (--include-private keeps them)\n"
    )
    raw = out.read_bytes()
    assert PRIVATE_MARKER.encode() not in raw and ADDED_BY_MARKER.encode() not in raw
    assert b"ir-synthetic-03" not in raw
    frame = read_back(out)
    assert len(frame) == 2
    if suffix != "csv":
        city = frame.geometry.iloc[1]
        assert (city.x, city.y) == pytest.approx(AHVAZ)


def test_export_geojson_to_stdout_is_the_canonical_form(runner, sites_file):
    result = run(
        runner,
        sites_file,
        "export",
        "--format",
        "geojson",
        "-o",
        "-",
        "--include-private",
        "--include-withheld",
    )
    assert result.exit_code == 0
    assert result.stdout == dumps_collection(make_collection(*sample_features()))


def test_export_csv_to_stdout_has_a_byte_order_mark(runner, sites_file):
    result = run(runner, sites_file, "export", "--format", "csv", "-o", "-", "--status", "damaged")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfid,name,")
    assert "گورستان ساختگی یک" in result.stdout
    assert result.stdout.count("\nir-") == 2  # the filter keeps both public damaged sites


def test_export_filters_like_list(runner, sites_file, tmp_path):
    out = tmp_path / "ahvaz.gpkg"
    result = run(runner, sites_file, "export", "-o", str(out), "--city", "ahvaz")
    assert result.exit_code == 0
    assert list(read_back(out)["id"]) == ["ir-ahvaz-01"]


def test_export_full_locations_keeps_recorded_points(runner, sites_file, tmp_path):
    out = tmp_path / "out.csv"
    result = run(runner, sites_file, "export", "-o", str(out), "--full-locations")
    assert result.exit_code == 0
    assert b"48.7011" in out.read_bytes() and PRIVATE_MARKER.encode() not in out.read_bytes()


def test_export_refuses_binary_formats_on_stdout(runner, sites_file):
    result = run(runner, sites_file, "export", "--format", "gpkg", "-o", "-")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: gpkg cannot be written to stdout; give a file name with -o\n"
    )


def test_export_needs_a_format_it_can_tell(runner, sites_file, tmp_path):
    result = run(runner, sites_file, "export", "-o", str(tmp_path / "out.xyz"))
    assert result.exit_code == 2
    assert "Error: say which format to write with --format geojson|gpkg|kml|csv" in result.stderr


def test_export_refuses_to_overwrite_the_data_file(runner, sites_file):
    before = sites_file.read_bytes()
    result = run(runner, sites_file, "export", "-o", str(sites_file))
    assert result.exit_code == 2
    assert f"Error: -o {sites_file} is the data file itself" in result.stderr
    assert sites_file.read_bytes() == before


def test_export_of_city_site_without_gazetteer_id_fails_and_writes_nothing(runner, tmp_path):
    city = sample_features()[1]
    del city["properties"]["location"]["geonameid"]
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(city)), encoding="utf-8")
    out = tmp_path / "out.kml"
    result = run(runner, data, "export", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: ir-ahvaz-01: is published at city level but it has no location.geonameid, so "
        "its city centre is unknown; link the site to its city with `gravemap edit ir-ahvaz-01 "
        "--geonameid N` (find N with `gravemap geocode 'Ahvaz'`), or withhold it with "
        "`gravemap edit ir-ahvaz-01 --publish withheld`\n"
    )
    assert not out.exists()


def test_export_help_documents_bom_and_what_leaves_the_file(runner):
    result = runner.invoke(main, ["export", "--help"])
    text = " ".join(result.output.split())
    assert "byte-order mark" in text and "Excel" in text
    assert "private fields are left out" in text
    assert "publish: city are placed at their city's centre" in text


# ---------------------------------------------------------------------------------------------
# import


def test_import_persian_csv_with_the_offline_gazetteer_then_again(runner, tmp_path):
    data = tmp_path / "sites.geojson"
    csv_path = DATA / "persian_header.csv"
    result = run(runner, data, "import", str(csv_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-ahvaz-01\nir-rasht-01\nir-rasht-02\n"
    assert result.stderr == (
        "columns: name <- نام, name_fa <- نام فارسی, city <- شهر, province <- استان, "
        "status <- وضعیت, date <- تاریخ, source_url <- منبع, publisher <- ناشر, title <- عنوان, "
        "quote <- نقل قول, notes <- توضیحات\n"
        f"{csv_path}: added 3 sites\n"
    )
    stored = json.loads(data.read_text(encoding="utf-8"))["features"]
    assert stored[0]["properties"]["city_fa"] == "اهواز"
    assert stored[0]["properties"]["location"]["geonameid"] == 144448
    again = run(runner, data, "import", str(csv_path))
    assert again.exit_code == 0
    assert again.stdout == ""
    assert again.stderr.endswith(f"{csv_path}: added 0 sites; skipped 3 already present\n")


def test_import_excel_csv_with_bom_and_crlf(runner, tmp_path, fake_geocoder):
    data = tmp_path / "sites.geojson"
    result = run(runner, data, "import", str(DATA / "excel_bom_crlf.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-ahvaz-01\nir-rasht-01\nir-ahvaz-02\n"


def test_import_my_maps_kml_needs_precision(runner, tmp_path, fake_geocoder):
    data = tmp_path / "sites.geojson"
    kml = DATA / "my_maps.kml"
    result = run(runner, data, "import", str(kml))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: {kml} has coordinates but no precision column; say how precise they are with "
        "--precision exact|site|city|province (exact: stated by a source or survey; site: "
        "located by a researcher)\n"
    )
    assert not data.exists()
    result = run(runner, data, "import", str(kml), "--precision", "site")
    assert result.exit_code == 0, result.output
    # Placemarks with a point are not geocoded: "رشت" stays as written, and gives no Latin id.
    assert result.stdout == "ir-ahvaz-01\nir-site-01\nir-ahvaz-02\n"
    assert "ignored columns: folder (use --map FIELD=COLUMN to read one)" in result.stderr


def test_bad_import_lists_every_problem_and_leaves_the_file_byte_for_byte(
    runner, sites_file, tmp_path, fake_geocoder
):
    before = sites_file.read_bytes()
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,city,date,url,publisher\n"
        "Synthetic good,Ahvaz,2019,https://example.org/good,Example Org\n"
        "Synthetic no source,Ahvaz,2019,,Example Org\n"
        "Synthetic ambiguous,Kazemabad,2019,https://example.org/k,Example Org\n",
        encoding="utf-8",
    )
    result = run(runner, sites_file, "import", str(rows))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "columns: name <- name, city <- city, date <- date, source_url <- url, "
        "publisher <- publisher\n"
        f"Error: nothing was imported: 2 rows of {rows} have problems (fix them, or pass "
        "--skip-invalid to import the other rows):\n"
        f"  {rows}:row 3: source_url: is empty: every site needs a source; give the source's "
        "address in column 'url', or one for every row with --source-url\n"
        f"  {rows}:row 4: city: 'Kazemabad' is ambiguous: 1. Kazemabad (کاظم آباد), Kerman, "
        "population 4,060 [30.56659, 56.84509]; 2. Kazemabad (کاظم آباد), Razavi Khorasan, "
        "population 3,102 [36.37313, 59.63852]; "
        "add the province in a province column, or give lat and lon\n"
    )
    assert sites_file.read_bytes() == before

    skipped = run(runner, sites_file, "import", str(rows), "--skip-invalid")
    assert skipped.exit_code == 0
    assert skipped.stdout == "ir-ahvaz-02\n"
    assert f"skipped 2 rows with problems:\n  {rows}:row 3: source_url:" in skipped.stderr


def test_import_dry_run_shows_the_sites_and_writes_nothing(runner, sites_file, fake_geocoder):
    before = sites_file.read_bytes()
    result = run(runner, sites_file, "import", str(DATA / "persian_header.csv"), "--dry-run")
    assert result.exit_code == 0
    assert sites_file.read_bytes() == before
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "status",
        "status_date",
        "precision",
        "city",
        "province",
        "name",
        "sources",
    ]
    assert lines[2].split()[:4] == ["ir-ahvaz-02", "bulldozed", "2018-04-30", "city"]
    assert len(lines) == 5
    assert result.stderr.endswith("would add 3 sites; dry run: nothing was written\n")


def test_import_default_source_and_map(runner, tmp_path, fake_geocoder):
    data = tmp_path / "sites.geojson"
    rows = tmp_path / "rows.csv"
    rows.write_text("Site label,Town\nSynthetic mapped site,Rasht\n", encoding="utf-8")
    result = run(
        runner,
        data,
        "import",
        str(rows),
        "--map",
        "name=Site label",
        "--map",
        "city=Town",
        "--source-url",
        "https://example.org/list",
        "--source-publisher",
        "Example Org",
        "--source-date",
        "2019",
    )
    assert result.exit_code == 0, result.output
    site = json.loads(data.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert site["sources"] == [
        {
            "id": "s1",
            "publisher": "Example Org",
            "title": "https://example.org/list",
            "url": "https://example.org/list",
            "date": "2019",
        }
    ]
    assert site["status_history"] == [{"status": "unknown", "date": "2019", "sources": ["s1"]}]


def test_import_map_to_missing_column_is_a_usage_error(runner, tmp_path):
    result = run(
        runner,
        tmp_path / "sites.geojson",
        "import",
        str(DATA / "persian_header.csv"),
        "--map",
        "city=Town",
    )
    assert result.exit_code == 2
    assert "Invalid value for --map: city=Town: the file has no column 'Town'" in result.stderr


def test_import_non_utf8_csv_says_how_to_fix_it(runner, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_bytes("name,city\nسايت,رشت\n".encode("cp1256"))
    result = run(runner, tmp_path / "sites.geojson", "import", str(rows))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {rows}: is not utf-8 text (byte 10); save it from the spreadsheet as "
        "'CSV UTF-8', or name its encoding with --encoding (e.g. cp1256 for Persian Windows)\n"
    )


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv"])
def test_cli_round_trip_reproduces_the_data_file(runner, sites_file, tmp_path, fmt):
    out = tmp_path / f"full.{fmt}"
    assert (
        run(
            runner, sites_file, "export", "-o", str(out), "--include-private", "--include-withheld"
        ).exit_code
        == 0
    )
    copy = tmp_path / "copy.geojson"
    result = run(runner, copy, "import", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-synthetic-01\nir-ahvaz-01\nir-synthetic-03\n"
    expected = make_collection(*sample_features())
    if fmt != "geojson":
        expected["features"][0]["geometry"]["coordinates"] = [54.0, 34.0]  # no elevation
    assert copy.read_text(encoding="utf-8") == dumps_collection(expected)


def test_import_help_names_persian_headers(runner):
    result = runner.invoke(main, ["import", "--help"])
    assert result.exit_code == 0
    assert "نام" in result.output and "--skip-invalid" in result.output


def test_progress_bar_only_for_long_files_on_a_terminal(
    runner, tmp_path, fake_geocoder, monkeypatch
):
    from gravemap.cli import exchange as cli_exchange

    monkeypatch.setattr(cli_exchange, "_stderr_is_terminal", lambda: True)
    rows = tmp_path / "rows.csv"
    body = "".join(
        f"Synthetic site {i},Ahvaz,https://example.org/{i},Example Org,2019\n" for i in range(25)
    )
    rows.write_text("name,city,url,publisher,date\n" + body, encoding="utf-8")
    result = run(runner, tmp_path / "sites.geojson", "import", str(rows))
    assert result.exit_code == 0
    # click draws the bar itself only on a real terminal; elsewhere it prints its label once.
    assert result.stderr.startswith("importing\n")
    assert len(result.stdout.splitlines()) == 25


def test_import_rows_from_a_geojson_site_list(runner, tmp_path):
    source = tmp_path / "in.geojson"
    source.write_text(dumps_collection(make_collection(make_site())), encoding="utf-8")
    data = tmp_path / "sites.geojson"
    result = run(runner, data, "import", str(source))
    assert result.exit_code == 0
    assert result.stdout == "ir-synthetic-01\n"
    assert result.stderr == (
        f"{source}: gravemap's own format; reading whole sites\n{source}: added 1 site\n"
    )


def test_export_into_a_missing_folder_is_a_message_not_a_traceback(runner, sites_file, tmp_path):
    out = tmp_path / "missing" / "out.kml"
    result = run(runner, sites_file, "export", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: cannot be written: its folder {out.parent} does not exist; "
        "create it first\n"
    )


# ---------------------------------------------------------------------------------------------
# export to a full disk: the old file stays, one line, exit 1


def _limit_file_size() -> None:  # runs in the child before exec
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


FILE_SIZE_LIMIT = 16_000


@pytest.mark.parametrize("fmt", ["kml", "gpkg", "csv", "geojson"])
def test_export_that_cannot_be_written_whole_keeps_the_old_file_and_says_so(tmp_path, fmt):
    """A write that fails in GDAL's C code (LIBKML once left a truncated file and exit 0)."""
    import os
    import subprocess
    import sys

    data = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}", notes="Synthetic note. " * 40) for i in range(40)]
    data.write_text(dumps_collection(make_collection(*sites)), encoding="utf-8")
    out = tmp_path / f"export.{fmt}"
    out.write_bytes(b"the old export\n")
    import gravemap

    env = {**os.environ, "PYTHONPATH": str(Path(gravemap.__file__).parents[1])}
    proc = subprocess.run(
        [sys.executable, "-m", "gravemap", "--data", str(data), "export", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"Error: {out}: cannot be written: ")
    assert lines[0].endswith("the old file is unchanged")
    assert out.read_bytes() == b"the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, data.name]


@pytest.mark.parametrize("fmt", ["kml", "gpkg", "csv", "geojson"])
def test_export_on_a_full_disk_keeps_the_old_file(runner, sites_file, tmp_path, monkeypatch, fmt):
    import errno
    import os

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / f"export.{fmt}"
    out.write_bytes(b"the old export\n")
    monkeypatch.setattr(os, "fsync", disk_full)
    result = run(runner, sites_file, "export", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: cannot be written: No space left on device (free some space, or "
        "write to another disk); the old file is unchanged\n"
    )
    assert out.read_bytes() == b"the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, sites_file.name])


# ---------------------------------------------------------------------------------------------
# Spreadsheets as NGOs keep them (issue 11)

NGO = DATA / "ngo_sites.csv"


def test_ngo_spreadsheet_imports_in_one_run(runner, tmp_path, fake_geocoder):
    data = tmp_path / "sites.geojson"
    result = run(runner, data, "import", str(NGO), "--precision", "site")
    assert result.exit_code == 0, result.output
    assert "columns: name <- Site name, city <- City (else شهر), province <- Province" in (
        result.stderr
    )
    assert result.stderr.endswith(f"{NGO}: added 6 sites\n")
    sites = {f["properties"]["name"]: f for f in json.loads(data.read_text())["features"]}

    def history(name: str) -> dict:
        return sites[name]["properties"]["status_history"][0]

    assert history("Synthetic cemetery A")["status"] == "paved-over"
    assert history("Synthetic cemetery A")["date"] == "2019-05"
    b = sites["Synthetic cemetery B"]["properties"]
    assert b["city"] == "Rasht" and b["location"]["query"] == "رشت"  # the Persian column
    assert history("Synthetic cemetery B")["status"] == "built-upon"
    assert (
        history("Synthetic cemetery B")["date"],
        history("Synthetic cemetery B")["date_text"],
    ) == (
        "2019-05-05",
        "۱۳۹۸/۰۲/۱۵",
    )
    c = sites["Synthetic field C"]  # no city: filled from the place its point lies in
    assert (c["properties"]["city"], c["properties"]["province"]) == ("Ahvaz", "Khuzestan")
    assert c["properties"]["location"]["geonameid"] == 144448
    assert c["geometry"]["coordinates"] == [48.6842, 31.319]
    assert "row 4: city and province from the place the point lies in: Ahvaz" in result.stderr
    assert history("Synthetic field C")["status"] == "bulldozed"
    assert sites["Synthetic site D"]["geometry"]["coordinates"] == [49.5886, 37.2761]
    assert history("Synthetic site D")["status"] == "bulldozed"
    assert history("Synthetic site E")["status"] == "paved-over"
    assert history("Synthetic site E")["undated"] is True
    f_lon, f_lat = sites["Synthetic site F"]["geometry"]["coordinates"]
    assert (round(f_lat, 4), round(f_lon, 4)) == (31.319, 48.6842)
    assert history("Synthetic site F")["status"] == "at-risk"


def test_vague_and_unknown_status_words_are_refused_with_a_hint(runner, tmp_path, fake_geocoder):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,city,status,date,url,publisher\n"
        "Synthetic a,Ahvaz,destroyed,2019,https://example.org/a,Example Org\n"
        "Synthetic b,Ahvaz,bulldozd,2019,https://example.org/b,Example Org\n",
        encoding="utf-8",
    )
    data = tmp_path / "sites.geojson"
    result = run(runner, data, "import", str(rows))
    assert result.exit_code == 1
    assert (
        f"{rows}:row 2: status: 'destroyed' does not say how the site was destroyed; write which "
        "status the source reports: bulldozed (levelled), paved-over, built-upon or damaged"
    ) in result.stderr
    assert f"{rows}:row 3: status: 'bulldozd' is not a known status; did you mean bulldozed?" in (
        result.stderr
    )
    assert not data.exists()


def test_swapped_coordinates_say_so_plainly(runner, tmp_path, fake_geocoder):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,coordinates,status,date,url,publisher\n"
        'Synthetic a,"48.6842, 31.3190",intact,2019,https://example.org/a,Example Org\n',
        encoding="utf-8",
    )
    result = run(runner, tmp_path / "sites.geojson", "import", str(rows), "--precision", "site")
    assert result.exit_code == 1
    assert (
        f"{rows}:row 2: coordinates: latitude and longitude look swapped; give the latitude "
        "first (here 31.319, 48.6842)"
    ) in result.stderr


def test_import_help_lists_status_words_and_every_map_field(runner):
    from gravemap.exchange import IMPORT_FIELDS
    from gravemap.exchange.cells import STATUS_SYNONYMS

    text = " ".join(runner.invoke(main, ["import", "--help"]).output.split())
    for words in STATUS_SYNONYMS.values():
        for word in words:
            assert word in text
    for fieldname in IMPORT_FIELDS:
        assert f"{fieldname} (" in text


def _ngo_copy(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "ngo_again.csv"
    text = NGO.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_import_again_reports_what_differs_and_update_applies_it(runner, tmp_path, fake_geocoder):
    data = tmp_path / "sites.geojson"
    assert run(runner, data, "import", str(NGO), "--precision", "site").exit_code == 0
    changed = _ngo_copy(
        tmp_path,
        "Synthetic cemetery A,Ahvaz,,Khuzestan,Paved,2019-05",
        "Synthetic cemetery A (corrected),Ahvaz,,Khuzestan,built over,2021-03",
    )
    before = data.read_bytes()
    result = run(runner, data, "import", str(changed), "--precision", "site")
    assert result.exit_code == 0, result.output
    assert data.read_bytes() == before
    assert (
        "row 2: differs from ir-ahvaz-01 (matched by source URL https://example.org/ngo/a):\n"
        "  name: 'Synthetic cemetery A' -> 'Synthetic cemetery A (corrected)'\n"
        "  new status entry: built-upon (2021-03)\n"
        "pass --update to apply these changes\n"
    ) in result.stderr
    assert result.stderr.endswith(
        f"{changed}: added 0 sites; 1 differ (not changed); skipped 5 already present\n"
    )

    result = run(runner, data, "import", str(changed), "--precision", "site", "--update")
    assert result.exit_code == 0, result.output
    assert "row 2: updated ir-ahvaz-01" in result.stderr
    site = next(f for f in json.loads(data.read_text())["features"] if f["id"] == "ir-ahvaz-01")[
        "properties"
    ]
    assert site["name"] == "Synthetic cemetery A (corrected)"
    assert [(e["status"], e["date"]) for e in site["status_history"]] == [
        ("paved-over", "2019-05"),
        ("built-upon", "2021-03"),
    ]
    assert site["status"] == "built-upon"
    again = run(runner, data, "import", str(changed), "--precision", "site", "--update")
    assert again.stderr.endswith("added 0 sites; skipped 6 already present\n")


def test_import_warns_when_a_row_looks_like_a_stored_site(runner, tmp_path, fake_geocoder):
    data = tmp_path / "sites.geojson"
    stored = make_site("ir-ahvaz-01", name="Golzar-e Synthetic cemetery", city="Ahvaz")
    data.write_text(dumps_collection(make_collection(stored)), encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,city,status,date,url,publisher\n"
        "Golzar Synthetic,Ahvaz,bulldozed,2019,https://example.org/new,Example Org\n"
        "Unrelated synthetic site,Rasht,intact,2019,https://example.org/other,Example Org\n",
        encoding="utf-8",
    )
    result = run(runner, data, "import", str(rows))
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-ahvaz-02\nir-rasht-01\n"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "warning: row 2 (ir-ahvaz-02) may be ir-ahvaz-01 reported again (a similar name in the "
        "same place"
    )
    assert warnings[0].endswith("join them with `gravemap merge ir-ahvaz-01 ir-ahvaz-02`")
