"""`gravemap geocode` through click's CliRunner: formats, the jsonl contract, exit codes."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gravemap.cli import main

JSONL_MATCH_KEYS = [
    "query", "name", "name_fa", "lat", "lon", "geonameid", "province", "country",
    "population", "precision", "score",
]  # fmt: skip


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_jsonl_gives_one_object_per_query_in_order(runner: CliRunner):
    result = runner.invoke(
        main, ["geocode", "--format", "jsonl", "Ahwaz", "قروه، کردستان", "Bakhtaran"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["query"] for o in lines] == ["Ahwaz", "قروه، کردستان", "Bakhtaran"]
    assert [list(o) for o in lines] == [JSONL_MATCH_KEYS] * 3
    assert [o["geonameid"] for o in lines] == [144448, 119161, 128226]
    assert lines[0]["name_fa"] == "اهواز" and lines[0]["precision"] == "city"
    assert result.stderr == ""


def test_unresolved_queries_exit_1_with_errors_and_candidates(runner: CliRunner):
    result = runner.invoke(
        main, ["geocode", "--format", "jsonl", "--candidates", "2", "Saleh Abad", "asdfgh"]
    )
    assert result.exit_code == 1
    ambiguous, missing = (json.loads(line) for line in result.stdout.splitlines())
    assert list(ambiguous) == ["query", "error", "candidates"]
    assert ambiguous["error"] == "ambiguous"
    assert [c["province"] for c in ambiguous["candidates"]] == ["Hamadan", "Ilam"]
    assert missing == {"query": "asdfgh", "error": "no match", "candidates": []}
    assert result.stderr == (
        "'Saleh Abad': ambiguous: add the province ('Saleh Abad, Hamadan') to choose among the "
        "candidates\n"
        "'asdfgh': no match: check the spelling, try another transliteration or the Persian "
        "name, or --online\n"
        "2 of 2 queries not resolved (no match or ambiguous)\n"
    )


def test_table_output(runner: CliRunner):
    result = runner.invoke(main, ["geocode", "Qorveh, Kurdistan", "asdfgh"])
    assert result.exit_code == 1
    assert result.stdout == (
        "query              result    name_fa  province   lat      lon       geonameid  score\n"
        "-----------------  --------  -------  ---------  -------  --------  ---------  -----\n"
        "Qorveh, Kurdistan  Qorveh    قروه     Kurdistan  35.1664  47.80564  119161     100.0\n"
        "asdfgh             no match\n"
    )


def test_json_output_is_one_array(runner: CliRunner):
    result = runner.invoke(main, ["geocode", "--format", "json", "Tabriz"])
    assert result.exit_code == 0
    (only,) = json.loads(result.stdout)
    assert (only["name"], only["province"]) == ("Tabriz", "East Azerbaijan")


def test_input_file_one_query_a_line(runner: CliRunner, tmp_path: Path):
    path = tmp_path / "places.txt"
    path.write_text("Ahvaz\n\nكرمانشاه\nRezaiyeh\n", encoding="utf-8")
    result = runner.invoke(main, ["geocode", "--input", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(x)["geonameid"] for x in result.stdout.splitlines()] == [
        144448, 128226, 121801,
    ]  # fmt: skip


def test_input_from_stdin(runner: CliRunner):
    result = runner.invoke(main, ["geocode", "--input", "-", "--format", "jsonl"], input="Rasht\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["name"] == "Rasht"


def test_long_input_shows_progress_on_stderr_only(runner: CliRunner, tmp_path: Path):
    path = tmp_path / "many.txt"
    path.write_text("Tehran\n" * 60, encoding="utf-8")
    result = runner.invoke(main, ["geocode", "--input", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 60
    assert "geocoding" in result.stderr


def test_province_option(runner: CliRunner):
    result = runner.invoke(
        main, ["geocode", "--province", "Ilam", "--format", "jsonl", "Salehabad"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["geonameid"] == 389871


def test_unknown_province_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(main, ["geocode", "--province", "Atlantis", "Qorveh"])
    assert result.exit_code == 2
    assert "'Atlantis' is not a province of IR" in result.stderr
    assert result.stdout == ""


def test_no_query_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(main, ["geocode"])
    assert result.exit_code == 2
    assert "give one or more QUERY arguments or --input FILE" in result.stderr


def test_help_documents_exit_status(runner: CliRunner):
    result = runner.invoke(main, ["geocode", "--help"])
    assert result.exit_code == 0
    assert "Exit status is 0 when every query resolved and 1 when any had no match" in " ".join(
        result.stdout.split()
    )
    assert "--online" in result.stdout and "--candidates" in result.stdout


def test_places_as_researchers_write_them(runner: CliRunner):
    result = runner.invoke(
        main,
        [
            "geocode",
            "--format",
            "jsonl",
            "Baha'i cemetery, Qorveh",
            "Khuzestan",
            "36.2605, 59.6168",
        ],
    )
    assert result.exit_code == 0, result.output
    note, province, point = (json.loads(line) for line in result.stdout.splitlines())
    assert (note["geonameid"], note["description"]) == (119161, "Baha'i cemetery")
    assert (province["precision"], province["province"], province["geonameid"]) == (
        "province",
        "Khuzestan",
        None,
    )
    assert (point["name"], point["distance_km"]) == ("Mashhad", 4.3)
    assert result.stderr == (
        '"Baha\'i cemetery, Qorveh": "Baha\'i cemetery" describes the site, not the place\n'
        "'36.2605, 59.6168': a point 4.3 km from the centre of Mashhad\n"
    )


def test_a_surname_is_no_match_and_the_hint_says_why(runner: CliRunner):
    result = runner.invoke(main, ["geocode", "Kermani"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "'Kermani': no match: 'Kermani' reads like a surname, not a place; if you mean Kerman "
        "(Kerman), write its own name"
    )


def test_import_locates_rows_as_add_does(runner: CliRunner, tmp_path: Path):
    """import goes through geocode.locate: a description's rest becomes location.note, a
    surname-like place is a problem listing its candidate, and the file is left unchanged."""
    data = tmp_path / "sites.geojson"
    good = tmp_path / "good.csv"
    good.write_text(
        "name,city,status,date,source_url,publisher,title\n"
        'Synthetic site,"Baha\'i cemetery, Qorveh",unknown,2020,https://example.org/a,'
        "Example Org,Synthetic report\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--data", str(data), "import", str(good)])
    assert result.exit_code == 0, result.output
    props = json.loads(data.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert (props["city"], props["province"]) == ("Qorveh", "Kurdistan")
    assert props["location"]["note"] == "Baha'i cemetery"
    assert props["location"]["geonameid"] == 119161
    before = data.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,city,status,date,source_url,publisher,title\n"
        "Synthetic site 2,Kermani,unknown,2020,https://example.org/b,Example Org,Synthetic\n",
        encoding="utf-8",
    )
    refused = runner.invoke(main, ["--data", str(data), "import", str(bad)])
    assert refused.exit_code == 1
    assert "no place called 'Kermani' in IR; closest: 1. Kerman (کرمان), Kerman" in (refused.stderr)
    assert data.read_bytes() == before


def test_import_a_row_placed_only_by_its_province(runner: CliRunner, tmp_path: Path):
    data = tmp_path / "sites.geojson"
    sheet = tmp_path / "province.csv"
    sheet.write_text(
        "name,city,status,date,source_url,publisher,title\n"
        "Synthetic site,Khuzestan province,unknown,2020,https://example.org/p,Example Org,"
        "Synthetic report\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--data", str(data), "import", str(sheet)])
    assert result.exit_code == 0, result.output
    props = json.loads(data.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert props["location"]["precision"] == "province"
    assert (props.get("city"), props["province"]) == (None, "Khuzestan")
