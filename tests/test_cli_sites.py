"""The researcher's commands through click's CliRunner: output, exit status, file untouched."""

from __future__ import annotations

import json

import pytest

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site, read_json

ADD = [
    "add",
    "--name",
    "Synthetic new site",
    "--city",
    "Testville",
    "--lat",
    "34.5",
    "--lon",
    "54.5",
    "--precision",
    "site",
    "--status",
    "bulldozed",
    "--status-date",
    "2016-07",
    "--source-url",
    "https://example.org/new",
    "--source-title",
    "Synthetic source",
    "--source-publisher",
    "Example Org",
    "--accessed",
    "2026-11-01",
]


def run(runner, data_file, *args, **kw):
    return runner.invoke(main, ["--data", str(data_file), *args], **kw)


def test_add_with_coordinates_prints_the_new_id(runner, data_file):
    result = run(runner, data_file, *ADD, "--location-note", "beside the synthetic wall")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-testville-01\n"
    feature = read_json(data_file)["features"][2]
    assert feature["id"] == "ir-testville-01"
    assert feature["geometry"]["coordinates"] == [54.5, 34.5]
    props = feature["properties"]
    assert props["location"] == {
        "method": "manual",
        "note": "beside the synthetic wall",
        "precision": "site",
        "query": "Testville",
    }
    assert props["status"] == "bulldozed"
    assert props["status_history"] == [
        {"date": "2016-07", "sources": ["s1"], "status": "bulldozed"}
    ]
    assert props["sources"] == [
        {
            "accessed": "2026-11-01",
            "id": "s1",
            "publisher": "Example Org",
            "title": "Synthetic source",
            "url": "https://example.org/new",
        }
    ]
    assert props["verification"] == "reported"
    assert props["publish"] == "full"


def test_add_creates_a_missing_data_file(runner, tmp_path):
    path = tmp_path / "new" / "sites.geojson"
    result = run(runner, path, *ADD)
    assert result.exit_code == 0, result.output
    assert [f["id"] for f in read_json(path)["features"]] == ["ir-testville-01"]


def test_add_dry_run_prints_the_site_and_writes_nothing(runner, data_file):
    before = data_file.read_bytes()
    result = run(runner, data_file, *ADD, "--dry-run")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "ir-testville-01"
    assert result.stderr == "dry run: nothing was written\n"
    assert data_file.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ["--source-url", "javascript:alert(1)"],
            "Invalid value for '--source-url': URL scheme 'javascript' is not allowed (only http "
            "and https); give the source's http:// or https:// address",
        ),
        (
            ["--status-date", "2018-02-30"],
            "Invalid value for '--status-date': '2018-02-30' is not a real date; check the "
            "month and day",
        ),
        (
            ["--status", "paved"],
            "Invalid value for '--status': 'paved' is not one of 'intact', 'at-risk', 'damaged', "
            "'bulldozed', 'paved-over', 'built-upon', 'exhumed', 'unknown'.",
        ),
        (["--lat", "134"], "Invalid value for '--lat': 134.0 is not in the range -90<=x<=90."),
        (["--source-title", "  "], "Invalid value for '--source-title': must not be empty"),
    ],
)
def test_add_refuses_bad_input_and_leaves_file_unchanged(runner, data_file, change, message):
    before = data_file.read_bytes()
    args = list(ADD)
    for i in range(0, len(change), 2):
        args[args.index(change[i]) + 1] = change[i + 1]
    result = run(runner, data_file, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert data_file.read_bytes() == before


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        (
            "--precision",
            "Error: --precision is needed with --lat/--lon: exact, site, city or "
            "province (a city centre is not a grave's position)",
        ),
        ("--lon", "Error: give both --lat and --lon, or neither (to geocode --city)"),
        (
            "--status-date",
            "Error: --status-date is needed (the source gives no --source-date): "
            "say when the status was reported, e.g. --status-date 2018-07, or "
            "--status-date undated if the source gives no date",
        ),
    ],
)
def test_add_usage_errors(runner, data_file, drop, message):
    before = data_file.read_bytes()
    args = list(ADD)
    i = args.index(drop)
    del args[i : i + 2]
    result = run(runner, data_file, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert data_file.read_bytes() == before


def test_add_swapped_coordinates_is_refused_with_every_problem(runner, data_file):
    before = data_file.read_bytes()
    args = list(ADD)
    args[args.index("--lat") + 1], args[args.index("--lon") + 1] = "54.5", "34.5"
    result = run(runner, data_file, *args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {data_file}:ir-testville-01: geometry.coordinates: [34.5, 54.5] lies outside "
        "IR, but [54.5, 34.5] lies inside: latitude and longitude swapped?; GeoJSON puts "
        "longitude first: write [lon, lat] (nothing was written)\n"
    )
    assert data_file.read_bytes() == before


def test_a_broken_data_file_gives_a_message_not_a_traceback(runner, tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text('{"type": "FeatureCollection",, }')
    before = path.read_bytes()
    for args in (
        ADD,
        ["list"],
        ["show", "ir-x-01"],
        ["status", "ir-x-01", "intact", "--date", "2020", "--source", "s1"],
    ):
        result = run(runner, path, *args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {path}: line 1, column 30: not valid JSON (Expecting property name "
            "enclosed in double quotes); fix the text there, or restore the file with "
            "`git checkout`\n"
        )
        assert path.read_bytes() == before


def test_data_path_from_environment(runner, data_file):
    result = runner.invoke(
        main, ["list", "--format", "jsonl"], env={"GRAVEMAP_DATA": str(data_file)}
    )
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_status_appends_a_cited_change(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-02",
        "built-upon",
        "--date",
        "2021-04-23",
        "--source",
        "s1",
        "--note",
        "synthetic change",
    )
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][1]["properties"]
    assert props["status"] == "built-upon"
    assert props["status_history"][-1] == {
        "date": "2021-04-23",
        "note": "synthetic change",
        "sources": ["s1"],
        "status": "built-upon",
    }


def test_status_with_a_new_source_adds_it(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-02",
        "at-risk",
        "--date",
        "2022-09",
        "--source-url",
        "https://example.com/walls",
        "--source-title",
        "Synthetic walls",
        "--source-publisher",
        "Example News",
    )
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][1]["properties"]
    assert props["sources"][-1]["id"] == "s2"
    assert props["status_history"][-1]["sources"] == ["s2"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["ir-synthetic-02", "intact", "--date", "2020"],
            2,
            "Error: cite the claim: --source SOURCE_ID (see `gravemap show ID`) or a new source "
            "with --source-url, --source-title and --source-publisher",
        ),
        (
            ["ir-nowhere-01", "intact", "--date", "2020", "--source", "s1"],
            1,
            "Error: no site with id 'ir-nowhere-01'; run `gravemap list` to see the ids",
        ),
        (["ir-synthetic-02", "intact", "--date", "2020", "--source", "s7"], 1, None),
    ],
)
def test_status_refuses_bad_input(runner, data_file, args, code, message):
    before = data_file.read_bytes()
    result = run(runner, data_file, "status", *args)
    assert result.exit_code == code
    if message:
        assert result.stderr.splitlines()[-1] == message
    else:
        assert "cites source 's7', which this site does not have" in result.stderr
    assert data_file.read_bytes() == before


def test_cite_adds_a_source_once(runner, data_file):
    args = [
        "cite",
        "ir-synthetic-02",
        "--source-url",
        "https://example.com/more",
        "--source-title",
        "More",
        "--source-publisher",
        "Example News",
        "--source-date",
        "2019-03",
        "--quote",
        "synthetic words",
    ]
    first = run(runner, data_file, *args)
    assert (first.exit_code, first.stdout) == (0, "s2\n")
    again = run(runner, data_file, *args)
    assert (again.exit_code, again.stdout) == (0, "s2\n")
    assert "already cites" in again.stderr
    assert len(read_json(data_file)["features"][1]["properties"]["sources"]) == 2


def test_edit_changes_fields_but_never_the_id(runner, data_file):
    result = run(
        runner,
        data_file,
        "edit",
        "ir-synthetic-02",
        "--name",
        "Renamed synthetic",
        "--name-fa",
        "سایت آزمایشی",
        "--publish",
        "city",
        "--victims-low",
        "20",
        "--victims-source",
        "s1",
        "--private",
        "contact=synthetic person",
    )
    assert result.exit_code == 0, result.output
    feature = read_json(data_file)["features"][1]
    assert feature["id"] == "ir-synthetic-02"
    props = feature["properties"]
    assert (props["name"], props["name_fa"], props["publish"]) == (
        "Renamed synthetic",
        "سایت آزمایشی",
        "city",
    )
    assert props["victims"] == {"low": 20, "sources": ["s1"]}
    assert props["private"] == {"contact": "synthetic person"}


def test_edit_refuses_unattributed_counts(runner, data_file):
    before = data_file.read_bytes()
    result = run(runner, data_file, "edit", "ir-synthetic-02", "--victims-high", "30")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: a victims count must be attributed: add --victims-source ID"
    )
    assert data_file.read_bytes() == before


def test_remove_asks_first_and_retires_the_id(runner, data_file, monkeypatch):
    monkeypatch.setattr("gravemap.cli.options.stdin_is_terminal", lambda: True)
    before = data_file.read_bytes()
    declined = run(runner, data_file, "remove", "ir-synthetic-02", input="n\n")
    assert declined.exit_code == 1
    assert data_file.read_bytes() == before
    result = run(runner, data_file, "remove", "ir-synthetic-02", input="y\n")
    assert result.exit_code == 0
    data = read_json(data_file)
    assert [f["id"] for f in data["features"]] == ["ir-synthetic-01"]
    assert data["gravemap"]["retired_ids"] == ["ir-synthetic-02"]


def test_remove_without_a_terminal_refuses_unless_yes_and_leaves_the_file(runner, data_file):
    before = data_file.read_bytes()
    refused = run(runner, data_file, "remove", "ir-synthetic-02", input="y\n")
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == (
        "Error: Remove ir-synthetic-02 (Second synthetic site, Otherville): this asks for "
        "confirmation and there is no terminal to ask at; add --yes to go ahead"
    )
    assert data_file.read_bytes() == before
    assert run(runner, data_file, "remove", "ir-synthetic-02", "--yes").exit_code == 0


def test_list_city_finds_a_city_in_any_spelling_the_geocoder_knows(runner, tmp_path):
    path = tmp_path / "sites.geojson"
    ahvaz = make_site("ir-ahvaz-01", city="Ahvaz", city_fa="اهواز", province="Khuzestan")
    path.write_text(dumps_collection(make_collection(ahvaz, make_site())), encoding="utf-8")
    for spelling in ("Ahwaz", "ahvaz", "اهواز", "اهوار".replace("ر", "ز")):
        result = run(runner, path, "list", "--city", spelling, "--format", "json")
        assert [f["id"] for f in json.loads(result.stdout)] == ["ir-ahvaz-01"], spelling


def test_removed_ids_are_not_handed_out_again(runner, data_file):
    assert run(runner, data_file, *ADD).stdout == "ir-testville-01\n"
    assert run(runner, data_file, "remove", "--yes", "ir-testville-01").exit_code == 0
    assert run(runner, data_file, *ADD).stdout == "ir-testville-02\n"


def test_list_table(runner, data_file):
    result = run(runner, data_file, "list")
    assert result.exit_code == 0
    assert result.stdout == (
        "id               status   status_date  verification  precision  city        "
        "province       name\n"
        "---------------  -------  -----------  ------------  ---------  ----------  "
        "-------------  ---------------------\n"
        "ir-synthetic-01  damaged  2010-05-06   corroborated  city       Testville   "
        "Test Province  Synthetic test site\n"
        "ir-synthetic-02  unknown  2020         reported      city       Otherville  "
        "Test Province  Second synthetic site\n"
    )


def test_list_filters_and_formats(runner, data_file):
    result = run(runner, data_file, "list", "--status", "unknown", "--format", "json")
    assert [f["id"] for f in json.loads(result.stdout)] == ["ir-synthetic-02"]
    result = run(runner, data_file, "list", "--city", "testville", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,name,name_fa,city,")
    assert len(lines) == 2 and lines[1].startswith("ir-synthetic-01,Synthetic test site,")


def test_show_text_and_json(runner, data_file):
    result = run(runner, data_file, "show", "ir-synthetic-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "ir-synthetic-01: Synthetic test site",
        "  place:        Testville, Test Province, IR",
        "  location:     34.0, 54.0 (precision city, by manual, query 'Testville')",
    ]
    assert "    s2  Other Example: Synthetic report two" in result.stdout
    data = json.loads(run(runner, data_file, "show", "ir-synthetic-01", "--format", "json").stdout)
    assert data == make_site()


def test_validate_ok(runner, data_file):
    result = run(runner, data_file, "validate")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"{data_file}: valid (2 sites)\n"


def test_validate_lists_every_problem(runner, tmp_path):
    bad = make_site()
    bad["properties"]["sources"][0]["url"] = "javascript:alert(1)"
    bad["properties"]["status"] = "paved"
    path = tmp_path / "bad.geojson"
    path.write_text(dumps_collection(make_collection(bad, make_site())))
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:ir-synthetic-01: sources[0].url: URL scheme 'javascript' is not allowed (only "
        "http and https); give the source's http:// or https:// address\n"
        f"{path}:ir-synthetic-01: status: 'paved' is not known; use one of: intact, at-risk, "
        "damaged, bulldozed, paved-over, built-upon, exhumed, unknown\n"
        f"{path}:ir-synthetic-01: id: is used by features[0] too; give each site its own id\n"
    )
    assert result.stderr == f"{path}: 3 problems\n"


def test_validate_malformed_json(runner, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text("{\n")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}: line 2, column 1: not valid JSON")


def test_status_of_the_same_event_from_another_source_joins_its_entry(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-01",
        "damaged",
        "--date",
        "2010-05-06",
        "--source-url",
        "https://example.com/third",
        "--source-title",
        "Synthetic third",
        "--source-publisher",
        "Third Example",
    )
    assert result.exit_code == 0, result.output
    assert "added to the existing damaged entry of 2010-05-06" in result.stderr
    history = read_json(data_file)["features"][0]["properties"]["status_history"]
    assert len(history) == 2
    assert history[1]["sources"] == ["s1", "s2", "s3"]


def test_status_with_a_known_source_url_reuses_that_source(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-01",
        "bulldozed",
        "--date",
        "2012",
        "--source-url",
        "https://example.net/report-2",
        "--source-title",
        "Again",
        "--source-publisher",
        "Other Example",
    )
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][0]["properties"]
    assert len(props["sources"]) == 2
    assert props["status_history"][-1]["sources"] == ["s2"]
