"""`gravemap merge` and `duplicates.merge_sites`: two records of one site become one."""

from __future__ import annotations

from gravemap import model
from gravemap.cli import main
from gravemap.duplicates import merge_sites
from gravemap.store import dumps_collection

from conftest import make_collection, make_site, read_json


def _pair():
    keep = make_site()  # s1 example.org/report-1, s2 example.net/report-2
    other = make_site(
        "ir-synthetic-02",
        name="Synthetic test site, second report",
        name_fa="سایت آزمایشی",
        notes="synthetic notes",
        status="bulldozed",
        verification="reported",
        publish="city",
    )
    other["properties"]["location"]["note"] = "synthetic location note"
    other["properties"]["sources"] = [
        {
            "id": "s1",
            "publisher": "Third Example",
            "title": "Synthetic report three",
            "url": "https://example.com/report-3",
        },
        {
            "id": "s2",
            "publisher": "Example Org",
            "title": "Synthetic report one (copy)",
            "url": "http://www.example.org/report-1/",
            "quote": "synthetic copied quote",
        },
    ]
    other["properties"]["status_history"] = [
        {"status": "unknown", "undated": True, "sources": ["s1"]},
        {"status": "damaged", "date": "2010-05-06", "sources": ["s2"]},
        {"status": "bulldozed", "date": "2019", "sources": ["s1", "s2"]},
    ]
    other["properties"]["victims"] = {"low": 5, "sources": ["s1"]}
    return keep, other


def test_merge_sites_joins_sources_by_url_renames_history_and_fills_missing_fields():
    keep, other = _pair()
    collection = model.SiteCollection.from_geojson(make_collection(keep, other))
    result = merge_sites(collection, "ir-synthetic-01", "ir-synthetic-02")
    assert result.source_ids == {"s1": "s3", "s2": "s1"}
    assert result.sources_added == ["s3"]
    assert (result.entries_added, result.entries_joined) == (2, 1)
    assert result.filled == ["name_fa", "notes", "victims", "location.note"]
    assert result.kept == ["name"]
    assert result.publish == "city"
    site = collection.get("ir-synthetic-01")
    assert [(e.status, e.date, e.sources) for e in site.status_history] == [
        ("unknown", None, ["s3"]),
        ("intact", "2001", ["s1"]),
        ("damaged", "2010-05-06", ["s1", "s2"]),
        ("bulldozed", "2019", ["s3", "s1"]),
    ]
    assert site.status == "bulldozed"
    assert site.find_source("s1").quote == "synthetic copied quote"
    assert site.victims.sources == ["s3"]
    assert [s.id for s in collection] == ["ir-synthetic-01"]
    assert collection.retired_ids == ["ir-synthetic-02"]
    assert model.validate_collection(collection.to_geojson()) == []


def test_merge_command_confirms_and_retires_the_other_id(runner, tmp_path):
    keep, other = _pair()
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(keep, other)), encoding="utf-8")
    before = data.read_bytes()
    refused = runner.invoke(
        main, ["--data", str(data), "merge", "ir-synthetic-01", "ir-synthetic-02"]
    )
    assert refused.exit_code == 2
    assert "add --yes to go ahead" in refused.stderr
    assert data.read_bytes() == before
    result = runner.invoke(
        main, ["--data", str(data), "merge", "ir-synthetic-01", "ir-synthetic-02", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-synthetic-01\n"
    assert result.stderr.splitlines()[0] == "ir-synthetic-01: sources s1->s3, s2->s1 (1 added)"
    assert "merged ir-synthetic-02 into ir-synthetic-01; ir-synthetic-02 is retired" in (
        result.stderr
    )
    written = read_json(data)
    assert [f["id"] for f in written["features"]] == ["ir-synthetic-01"]
    assert written["gravemap"]["retired_ids"] == ["ir-synthetic-02"]
    again = runner.invoke(
        main, ["--data", str(data), "merge", "ir-synthetic-01", "ir-synthetic-02", "--yes"]
    )
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: no site with id 'ir-synthetic-02'; run `gravemap list` to see the ids\n"
    )


def test_a_site_cannot_be_merged_into_itself(runner, data_file):
    before = data_file.read_bytes()
    result = runner.invoke(
        main, ["--data", str(data_file), "merge", "ir-synthetic-01", "ir-synthetic-01", "--yes"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: name two different sites: ID and OTHER are the same\n")
    assert data_file.read_bytes() == before
