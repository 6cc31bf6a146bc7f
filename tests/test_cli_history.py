"""`gravemap history`: numbered entries and sources, dates in both calendars."""

from __future__ import annotations

import json

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site


def _data(tmp_path):
    site = make_site()
    site["properties"]["status_history"] = [
        {"status": "unknown", "undated": True, "sources": ["s2"]},
        {
            "status": "intact",
            "date": "1988-07-23/1988-08-22",
            "date_text": "1367/05",
            "sources": ["s1"],
        },
        {"status": "damaged", "date": "2010-05-06", "sources": ["s1", "s2"], "note": "synthetic"},
    ]
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(site)), encoding="utf-8")
    return path


def test_history_table_numbers_entries_and_sources(runner, tmp_path):
    path = _data(tmp_path)
    result = runner.invoke(main, ["--data", str(path), "history", "ir-synthetic-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ir-synthetic-01: Synthetic test site (status: damaged)\n"
        "status history, oldest first (`gravemap status ir-synthetic-01 --edit N` or --delete N):\n"
        "  1. unknown, undated\n"
        "       sources: s2 (Other Example)\n"
        "  2. intact, 1988-07-23/1988-08-22  Mordad 1367 SH (23 July–22 August 1988)  "
        "[as written: 1367/05]\n"
        "       sources: s1 (Example Org)\n"
        "  3. damaged, 2010-05-06  6 May 2010 (16 Ordibehesht 1389 SH)  <- current status\n"
        "       sources: s1 (Example Org), s2 (Other Example)\n"
        "       note: synthetic\n"
        "sources (`gravemap cite ir-synthetic-01 --edit sN` or --delete sN):\n"
        "  s1  Example Org: Synthetic report one\n"
        "       url: https://example.org/report-1\n"
        "       date: 2001  2001 (1379–1380 SH)\n"
        "       cited by: status entry 2, status entry 3\n"
        "  s2  Other Example: Synthetic report two\n"
        "       url: https://example.net/report-2\n"
        "       date: undated\n"
        "       quote: \u201ca synthetic quote\u201d\n"
        "       cited by: status entry 1, status entry 3\n"
    )


def test_history_json_carries_numbers_both_calendars_and_citations(runner, tmp_path):
    path = _data(tmp_path)
    result = runner.invoke(
        main, ["--data", str(path), "history", "ir-synthetic-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert [e["number"] for e in record["status_history"]] == [1, 2, 3]
    assert record["status_history"][0]["undated"] is True
    assert record["status_history"][1]["date_shown"] == {
        "en": "Mordad 1367 SH (23 July–22 August 1988)",
        "fa": "مرداد ۱۳۶۷ (۲۳ ژوئیه–۲۲ اوت ۱۹۸۸)",
    }
    assert record["sources"][0]["cited_by"] == ["status entry 2", "status entry 3"]
    assert record["status"] == "damaged"


def test_history_of_an_unknown_site(runner, tmp_path):
    path = _data(tmp_path)
    result = runner.invoke(main, ["--data", str(path), "history", "ir-nowhere-01"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no site with id 'ir-nowhere-01'; run `gravemap list` to see the ids\n"
    )


def test_show_gives_dates_in_both_calendars(runner, tmp_path):
    path = _data(tmp_path)
    result = runner.invoke(main, ["--data", str(path), "show", "ir-synthetic-01"])
    assert "    Mordad 1367 SH (23 July–22 August 1988)  intact  [s1]" in result.stdout
    assert "    undated  unknown  [s2]" in result.stdout


def test_history_of_a_withheld_site_needs_include_private(runner, tmp_path):
    site = make_site(name="Synthetic withheld site", publish="withheld")
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(site)), encoding="utf-8")
    result = runner.invoke(main, ["--data", str(path), "history", "ir-synthetic-01"])
    assert result.exit_code == 1
    assert "Synthetic withheld site" not in result.output
    assert "publish: withheld" in result.stderr and "--include-private" in result.stderr
    result = runner.invoke(
        main, ["--data", str(path), "history", "ir-synthetic-01", "--include-private"]
    )
    assert result.exit_code == 0, result.output
    assert "Synthetic withheld site" in result.stdout
