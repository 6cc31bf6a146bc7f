"""Correcting the record, scripted on a copy of the real dataset (issue 11's "done when")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gravemap import dates
from gravemap.cli import main

DATASET = Path(__file__).resolve().parent.parent / "data" / "sites.geojson"
SOURCE = [
    "--source-url",
    "https://example.org/synthetic-report",
    "--source-title",
    "Synthetic test report",
    "--source-publisher",
    "Example Org",
]


@pytest.fixture
def copy(tmp_path):
    path = tmp_path / "sites.geojson"
    shutil.copyfile(DATASET, path)
    return path


def _run(runner, path, *args):
    return runner.invoke(main, ["--data", str(path), *args])


def _site(path, site_id):
    data = json.loads(path.read_text(encoding="utf-8"))
    return next(f for f in data["features"] if f["id"] == site_id)["properties"]


def _stored_dates(data):
    for feature in data["features"]:
        props = feature["properties"]
        for entry in props["status_history"]:
            if "date" in entry:
                yield entry["date"]
        for source in props["sources"]:
            yield from (source[k] for k in ("date", "accessed") if k in source)


def test_correcting_the_record_on_a_copy_of_the_dataset(runner, copy):
    ok = _run(runner, copy, "status", "ir-tehran-01", "damaged", "--date", "1397/05/12", *SOURCE)
    assert ok.exit_code == 0, ok.output
    ok = _run(
        runner,
        copy,
        "status",
        "ir-tehran-01",
        "damaged",
        "--date",
        "۱۳۹۷/۰۵/۱۳",
        *SOURCE,
    )
    assert "already cites https://example.org/synthetic-report" in ok.stderr
    assert ok.exit_code == 0, ok.output
    history = _site(copy, "ir-tehran-01")["status_history"]
    assert {"date": "2018-08-03", "date_text": "1397/05/12"}.items() <= next(
        e for e in history if e.get("date_text") == "1397/05/12"
    ).items()
    assert next(e for e in history if e.get("date_text") == "۱۳۹۷/۰۵/۱۳")["date"] == "2018-08-04"

    before = copy.read_bytes()
    refused = _run(
        runner, copy, "status", "ir-tehran-01", "damaged", "--date", "1397-05-12", "--source", "s1"
    )
    assert refused.exit_code == 2
    assert "write Solar Hijri dates as 1397/05/12" in refused.stderr
    assert copy.read_bytes() == before

    data = json.loads(copy.read_text(encoding="utf-8"))
    for value in _stored_dates(data):
        first, last = dates.span(value)
        assert not (1300 <= first.year <= 1499 or 1300 <= last.year <= 1499), value

    shown = _run(runner, copy, "history", "ir-tehran-01")
    assert shown.exit_code == 0
    assert "3 August 2018 (12 Mordad 1397 SH)  [as written: 1397/05/12]" in shown.stdout
    record = json.loads(_run(runner, copy, "history", "ir-tehran-01", "--format", "json").stdout)
    numbers = {e.get("date_text"): e["number"] for e in record["status_history"]}
    new_source = next(
        s["id"] for s in record["sources"] if s["url"] == "https://example.org/synthetic-report"
    )

    # Correct the first entry to the day the synthetic report gives, then delete the second.
    n = numbers["1397/05/12"]
    edited = _run(
        runner, copy, "status", "ir-tehran-01", "--edit", str(n), "--note", "synthetic correction"
    )
    assert edited.exit_code == 0, edited.output
    n = numbers["۱۳۹۷/۰۵/۱۳"]
    deleted = _run(runner, copy, "status", "ir-tehran-01", "--delete", str(n), "--yes")
    assert deleted.exit_code == 0, deleted.output
    props = _site(copy, "ir-tehran-01")
    assert props["status"] == props["status_history"][-1]["status"]
    assert [e.get("date_text") for e in props["status_history"]].count("۱۳۹۷/۰۵/۱۳") == 0

    cited = _run(runner, copy, "cite", "ir-tehran-01", "--delete", new_source, "--yes")
    assert cited.exit_code == 1
    assert f"{new_source} is cited by status entry" in cited.stderr
    fixed = _run(
        runner,
        copy,
        "cite",
        "ir-tehran-01",
        "--edit",
        new_source,
        "--source-date",
        "1397/05",
        "--source-title",
        "Synthetic test report, corrected",
    )
    assert fixed.exit_code == 0, fixed.output
    source = next(s for s in _site(copy, "ir-tehran-01")["sources"] if s["id"] == new_source)
    assert (source["date"], source["date_text"]) == ("2018-07-23/2018-08-22", "1397/05")

    extra = _run(
        runner,
        copy,
        "cite",
        "ir-tehran-01",
        "--source-url",
        "https://example.org/uncited",
        "--source-title",
        "Uncited synthetic",
        "--source-publisher",
        "Example Org",
    )
    gone = _run(runner, copy, "cite", "ir-tehran-01", "--delete", extra.stdout.strip(), "--yes")
    assert gone.exit_code == 0, gone.output

    # A second report of Khavaran in Tehran warns, naming the existing site, and is merged.
    added = _run(
        runner,
        copy,
        "add",
        "--name",
        "Khavaran cemetery",
        "--city",
        "Tehran",
        "--status",
        "unknown",
        "--status-date",
        "undated",
        "--source-url",
        "https://example.org/second-report",
        "--source-title",
        "Synthetic second",
        "--source-publisher",
        "Example Org",
    )
    assert added.exit_code == 0, added.output
    assert added.stderr.startswith("warning: ir-tehran-01 may be this site reported again")
    new_id = added.stdout.strip()
    merged = _run(runner, copy, "merge", "ir-tehran-01", new_id, "--yes")
    assert merged.exit_code == 0, merged.output
    data = json.loads(copy.read_text(encoding="utf-8"))
    assert new_id in data["gravemap"]["retired_ids"]
    assert new_id not in [f["id"] for f in data["features"]]
    assert "https://example.org/second-report" in [
        s["url"] for s in _site(copy, "ir-tehran-01")["sources"]
    ]
    assert _run(runner, copy, "validate").exit_code == 0
