"""`gravemap timeline`: entries per year and status as a table, CSV or JSON; `--events`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "data" / "sites.geojson"


@pytest.fixture
def timeline_file(tmp_path: Path) -> Path:
    sources = [
        {"id": "s1", "publisher": "Example Org", "title": "One", "url": "https://example.org/1"},
        {"id": "s2", "publisher": "Other Example", "title": "Two", "url": "https://example.net/2"},
    ]
    first = make_site(
        "ir-testville-01",
        status="at-risk",
        sources=sources,
        status_history=[
            {"status": "bulldozed", "date": "2009-01", "sources": ["s1"], "note": "synthetic"},
            {"status": "at-risk", "date": "2022-09", "sources": ["s1", "s2"]},
        ],
    )
    second = make_site(
        "ir-testville-02",
        status="bulldozed",
        province="Other Test Province",
        status_history=[
            {"status": "unknown", "undated": True, "sources": ["s1"]},
            {
                "status": "built-upon",
                "date": "2009-03-21/2010-03-20",
                "date_text": "1388",
                "sources": ["s2"],
            },
            {"status": "bulldozed", "date": "2009-06-02", "sources": ["s1"]},
        ],
    )
    hidden = make_site(
        "ir-testville-03",
        publish="withheld",
        status="intact",
        status_history=[{"status": "intact", "date": "2001", "sources": ["s1"]}],
    )
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(first, second, hidden)), encoding="utf-8")
    return path


def run(runner, path: Path, *args: str):
    return runner.invoke(main, ["--data", str(path), "timeline", *args])


def test_csv_has_exactly_the_header_and_one_row_per_year_and_status(runner, timeline_file):
    before = timeline_file.read_bytes()
    result = run(runner, timeline_file, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "year,status,entries,sites\n2009,bulldozed,2,2\n2009,built-upon,1,1\n2022,at-risk,1,1\n"
    )
    assert result.stderr == "note: 1 undated entry (at 1 site) not counted in any year\n"
    assert timeline_file.read_bytes() == before


def test_table_flags_solar_hijri_spans_and_counts_undated_apart(runner, timeline_file):
    result = run(runner, timeline_file)
    assert result.exit_code == 0
    assert result.stdout == (
        "year  status      entries  sites\n"
        "----  ----------  -------  -----\n"
        "2009  bulldozed   2        2\n"
        "2009  built-upon  1*       1\n"
        "2022  at-risk     1        1\n"
        "* includes entries dated by a Solar Hijri year or month that runs into the next year\n"
        "undated: 1 undated entry (at 1 site) not counted in any year\n"
    )


def test_json_gives_rows_and_undated_counts(runner, timeline_file):
    result = run(runner, timeline_file, "--format", "json")
    data = json.loads(result.stdout)
    assert data["years"][1] == {
        "year": 2009,
        "status": "built-upon",
        "entries": 1,
        "sites": 1,
        "spanning": 1,
    }
    assert data["undated"] == {"entries": 1, "sites": 1, "by_status": {"unknown": 1}}


def test_withheld_sites_count_only_with_include_private(runner, timeline_file):
    assert "2001" not in run(runner, timeline_file, "--format", "csv").stdout
    result = run(runner, timeline_file, "--format", "csv", "--include-private")
    assert "2001,intact,1,1\n" in result.stdout


def test_status_and_province_filters(runner, timeline_file):
    result = run(runner, timeline_file, "--format", "csv", "--status", "bulldozed")
    assert result.stdout == "year,status,entries,sites\n2009,bulldozed,2,2\n"
    result = run(runner, timeline_file, "--format", "csv", "--province", "other test province")
    assert result.stdout == "year,status,entries,sites\n2009,bulldozed,1,1\n2009,built-upon,1,1\n"
    result = run(runner, timeline_file, "--status", "paved")
    assert result.exit_code == 2 and "'paved' is not one of" in result.stderr


def test_events_lists_dated_entries_oldest_first_with_publishers(runner, timeline_file):
    result = run(runner, timeline_file, "--events", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "date,site,status,publishers,note\n"
        "2009-01,ir-testville-01,bulldozed,Example Org,synthetic\n"
        "2009-03-21/2010-03-20,ir-testville-02,built-upon,Other Example,\n"
        "2009-06-02,ir-testville-02,bulldozed,Example Org,\n"
        "2022-09,ir-testville-01,at-risk,Example Org; Other Example,\n"
    )
    events = json.loads(run(runner, timeline_file, "--events", "--format", "json").stdout)
    assert events[1]["shown"] == "1388 SH (21 March 2009–20 March 2010)"
    assert events[1]["spans_years"] is True and events[1]["date_text"] == "1388"
    table = run(runner, timeline_file, "--events").stdout
    assert "January 2009 (Dey–Bahman 1387 SH)" in table


def test_empty_file_says_so_on_stderr(runner, tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection()), encoding="utf-8")
    result = run(runner, path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no status entries\n")


def test_broken_data_file_is_one_line_and_exit_1(runner, tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text("{not json", encoding="utf-8")
    result = run(runner, path, "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr
    assert "Traceback" not in result.output


def test_dataset_has_khavaran_bulldozed_in_2009(runner):
    result = run(runner, DATASET, "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "year,status,entries,sites"
    assert any(line.startswith("2009,bulldozed,") for line in lines)
    events = json.loads(run(runner, DATASET, "--events", "--format", "json").stdout)
    khavaran = [e for e in events if e["site"] == "ir-tehran-01" and e["year"] == 2009]
    bulldozed = [e for e in khavaran if e["status"] == "bulldozed"]
    assert bulldozed  # the second dataset pass added other 2009 reports beside it
    assert any("Amnesty International" in e["publishers"] for e in bulldozed)
