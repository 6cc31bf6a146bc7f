"""Dates through the commands: Solar Hijri converted on entry, dashed SH refused, undated."""

from __future__ import annotations

import pytest

from gravemap.cli import main
from test_cli_sites import ADD

from conftest import read_json


def run(runner, data_file, *args):
    return runner.invoke(main, ["--data", str(data_file), *args])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1397/05/12", "2018-08-03"), ("۱۳۹۷/۰۵/۱۳", "2018-08-04")],
)
def test_status_stores_a_solar_hijri_day_as_its_gregorian_day_with_the_text(
    runner, data_file, typed, stored
):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-02",
        "bulldozed",
        "--date",
        typed,
        "--source",
        "s1",
    )
    assert result.exit_code == 0, result.output
    # 2018 is older than the site's entry of 2020, so it goes first.
    entry = read_json(data_file)["features"][1]["properties"]["status_history"][0]
    assert entry == {"status": "bulldozed", "date": stored, "date_text": typed, "sources": ["s1"]}


@pytest.mark.parametrize("typed", ["1397-05-12", "۱۳۹۷-۰۵-۱۲", "1367-05"])
def test_status_refuses_a_dashed_solar_hijri_date_and_leaves_the_file_unchanged(
    runner, data_file, typed
):
    before = data_file.read_bytes()
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-02",
        "bulldozed",
        "--date",
        typed,
        "--source",
        "s1",
    )
    assert result.exit_code == 2
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"Error: Invalid value for '--date': '{typed}' has the Solar Hijri")
    assert "write Solar Hijri dates as 1397/05/12" in last
    assert data_file.read_bytes() == before


def test_a_solar_hijri_month_is_stored_as_its_span(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-02",
        "intact",
        "--date",
        "1367/05",
        "--source",
        "s1",
    )
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][1]["properties"]
    assert props["status_history"][0]["date"] == "1988-07-23/1988-08-22"
    assert props["status_history"][0]["date_text"] == "1367/05"
    # 1988 is older than the entry of 2020: the current status stays the latest dated one.
    assert props["status"] == "unknown"


def test_a_bare_solar_hijri_year_is_stored_as_its_span_with_a_notice(runner, data_file):
    result = run(
        runner, data_file, "status", "ir-synthetic-02", "intact", "--date", "1367", "--source", "s1"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "note: '--date': 1988-03-21/1989-03-20: read as Solar Hijri 1367, March 1988 to "
        "March 1989\nir-synthetic-02: unknown\n"
    )
    entry = read_json(data_file)["features"][1]["properties"]["status_history"][0]
    assert entry["date"] == "1988-03-21/1989-03-20"


def test_status_undated_records_an_undated_entry_first(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-02",
        "bulldozed",
        "--date",
        "undated",
        "--source",
        "s1",
    )
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][1]["properties"]
    assert props["status_history"][0] == {"status": "bulldozed", "undated": True, "sources": ["s1"]}
    assert props["status"] == "unknown"
    assert run(runner, data_file, "validate").exit_code == 0


def test_accessed_undated_is_refused(runner, data_file):
    before = data_file.read_bytes()
    result = run(
        runner,
        data_file,
        "cite",
        "ir-synthetic-02",
        "--source-url",
        "https://example.org/x",
        "--source-title",
        "T",
        "--source-publisher",
        "P",
        "--accessed",
        "undated",
    )
    assert result.exit_code == 2
    assert "'undated' is only for a status entry" in result.stderr
    assert data_file.read_bytes() == before


def test_source_date_undated_records_no_date(runner, data_file):
    result = run(
        runner,
        data_file,
        "cite",
        "ir-synthetic-01",
        "--edit",
        "s1",
        "--source-date",
        "undated",
    )
    assert result.exit_code == 0, result.output
    assert "date" not in read_json(data_file)["features"][0]["properties"]["sources"][0]


def test_add_with_solar_hijri_dates_keeps_both(runner, data_file):
    args = list(ADD)
    args[args.index("--status-date") + 1] = "1395/04"
    args += ["--source-date", "۱۳۹۷/۰۵/۱۳"]
    result = run(runner, data_file, *args)
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][-1]["properties"]
    assert props["status_history"] == [
        {
            "status": "bulldozed",
            "date": "2016-06-21/2016-07-21",
            "date_text": "1395/04",
            "sources": ["s1"],
        }
    ]
    assert props["sources"][0]["date"] == "2018-08-04"
    assert props["sources"][0]["date_text"] == "۱۳۹۷/۰۵/۱۳"


def test_the_map_renders_a_solar_hijri_span_in_both_calendars(runner, data_file, tmp_path):
    for date in ("1367/05", "undated"):
        result = run(
            runner,
            data_file,
            "status",
            "ir-synthetic-02",
            "intact",
            "--date",
            date,
            "--source",
            "s1",
        )
        assert result.exit_code == 0, result.output
    page = tmp_path / "map.html"
    result = run(runner, data_file, "render", "-o", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "Mordad 1367 SH (23 July–22 August 1988)" in html
    assert '["", "undated"]' in html or '["","undated"]' in html


@pytest.mark.parametrize("fmt", ["csv", "kml", "geojson"])
def test_exports_carry_undated_entries_and_spans(runner, data_file, tmp_path, fmt):
    for date in ("1367/05", "undated"):
        result = run(
            runner,
            data_file,
            "status",
            "ir-synthetic-02",
            "intact",
            "--date",
            date,
            "--source",
            "s1",
        )
        assert result.exit_code == 0, result.output
    out = tmp_path / f"exported.{fmt}"
    result = run(runner, data_file, "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "1988-07-23/1988-08-22" in text
    assert "None" not in text
    if fmt != "geojson":
        assert "undated: intact" in text or "undated intact" in text
