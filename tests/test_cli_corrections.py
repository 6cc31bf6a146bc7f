"""Correcting the record: status --edit/--delete, cite --edit/--delete, through the CLI."""

from __future__ import annotations

import pytest

from gravemap.cli import main

from conftest import read_json


def run(runner, data_file, *args):
    return runner.invoke(main, ["--data", str(data_file), *args])


def site_props(data_file, index=0):
    return read_json(data_file)["features"][index]["properties"]


def test_status_edit_changes_one_entry_and_the_current_status_follows(runner, data_file):
    result = run(
        runner,
        data_file,
        "status",
        "ir-synthetic-01",
        "--edit",
        "2",
        "--date",
        "1397/05/12",
        "--status",
        "bulldozed",
        "--note",
        "",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "ir-synthetic-01: corrected status entry 2; status: bulldozed\n"
    props = site_props(data_file)
    assert props["status_history"][1] == {
        "status": "bulldozed",
        "date": "2018-08-03",
        "date_text": "1397/05/12",
        "sources": ["s1", "s2"],
    }
    assert props["status"] == "bulldozed"


def test_status_edit_moving_an_entry_back_in_time_resorts_the_history(runner, data_file):
    result = run(runner, data_file, "status", "ir-synthetic-01", "--edit", "2", "--date", "undated")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "ir-synthetic-01: corrected status entry 2 (now entry 1); status: intact\n"
    )
    props = site_props(data_file)
    assert [(e["status"], e.get("date")) for e in props["status_history"]] == [
        ("damaged", None),
        ("intact", "2001"),
    ]
    assert props["status_history"][0]["undated"] is True
    assert props["status"] == "intact"


def test_status_edit_source_replaces_the_cited_sources(runner, data_file):
    result = run(runner, data_file, "status", "ir-synthetic-01", "--edit", "1", "--source", "s2")
    assert result.exit_code == 0, result.output
    assert site_props(data_file)["status_history"][0]["sources"] == ["s2"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--edit", "3", "--note", "x"],
            1,
            "Error: ir-synthetic-01 has 2 status entries; give a number from 1 to 2 (see "
            "`gravemap history ir-synthetic-01`)",
        ),
        (
            ["--edit", "1"],
            2,
            "Error: --edit N needs a change: --status, --date, --note, --source or a new source",
        ),
        (
            ["--edit", "1", "--source", "s9"],
            1,
            "Error: ir-synthetic-01 has no source 's9' (it has: s1, s2)",
        ),
        (["--edit", "1", "--date", "1397-05-12"], 2, None),
        (
            ["intact", "--edit", "1"],
            2,
            "Error: with --edit, give the corrected status as --status intact, not as STATUS",
        ),
        (
            ["--delete", "1", "--note", "x", "--yes"],
            2,
            "Error: --delete N takes no other change; give only --yes",
        ),
        (
            ["--delete", "1"],
            2,
            "Error: Delete status entry 1 of ir-synthetic-01 (intact, 2001 (1379–1380 SH), citing "
            "s1): this asks for confirmation and there is no terminal to ask at; add --yes to go "
            "ahead",
        ),
        (
            ["--delete", "7", "--yes"],
            1,
            "Error: ir-synthetic-01 has 2 status entries; give a number from 1 to 2 (see "
            "`gravemap history ir-synthetic-01`)",
        ),
    ],
)
def test_status_corrections_refuse_bad_input_and_leave_the_file_unchanged(
    runner, data_file, args, code, message
):
    before = data_file.read_bytes()
    result = run(runner, data_file, "status", "ir-synthetic-01", *args)
    assert result.exit_code == code, result.output
    if message:
        assert result.stderr.splitlines()[-1] == message
    else:
        assert "write Solar Hijri dates as 1397/05/12" in result.stderr
    assert data_file.read_bytes() == before


def test_status_delete_removes_the_entry_and_the_status_follows(runner, data_file):
    result = run(runner, data_file, "status", "ir-synthetic-01", "--delete", "2", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stderr == "ir-synthetic-01: deleted status entry 2; status: intact\n"
    props = site_props(data_file)
    assert props["status_history"] == [{"status": "intact", "date": "2001", "sources": ["s1"]}]
    assert props["status"] == "intact"


def test_the_only_status_entry_cannot_be_deleted(runner, data_file):
    before = data_file.read_bytes()
    result = run(runner, data_file, "status", "ir-synthetic-02", "--delete", "1", "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: entry 1 is the only status entry of ir-synthetic-02; a site needs one: correct "
        "it with `gravemap status ir-synthetic-02 --edit 1` instead\n"
    )
    assert data_file.read_bytes() == before


def test_cite_edit_corrects_a_source(runner, data_file):
    result = run(
        runner,
        data_file,
        "cite",
        "ir-synthetic-01",
        "--edit",
        "s2",
        "--source-title",
        "Synthetic report two, corrected",
        "--source-date",
        "۱۳۹۷/۰۵/۱۳",
        "--quote",
        "",
        "--archived-url",
        "https://web.archive.org/web/2020/https://example.net/r",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "ir-synthetic-01: corrected source s2\n"
    source = site_props(data_file)["sources"][1]
    assert source == {
        "id": "s2",
        "publisher": "Other Example",
        "title": "Synthetic report two, corrected",
        "url": "https://example.net/report-2",
        "date": "2018-08-04",
        "date_text": "۱۳۹۷/۰۵/۱۳",
        "archived_url": "https://web.archive.org/web/2020/https://example.net/r",
    }


def test_cite_edit_refuses_a_url_another_source_has(runner, data_file):
    before = data_file.read_bytes()
    result = run(
        runner,
        data_file,
        "cite",
        "ir-synthetic-01",
        "--edit",
        "s2",
        "--source-url",
        "https://example.org/report-1",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: ir-synthetic-01 already cites https://example.org/report-1 as s1;"
    )
    assert data_file.read_bytes() == before


def test_cite_delete_is_refused_while_claims_cite_the_source(runner, data_file):
    before = data_file.read_bytes()
    result = run(runner, data_file, "cite", "ir-synthetic-01", "--delete", "s1", "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: s1 is cited by status entry 1 and status entry 2 of ir-synthetic-01;"
    )
    assert data_file.read_bytes() == before


def test_cite_delete_removes_an_uncited_source_after_confirmation(runner, data_file):
    added = run(
        runner,
        data_file,
        "cite",
        "ir-synthetic-01",
        "--source-url",
        "https://example.org/extra",
        "--source-title",
        "Extra",
        "--source-publisher",
        "Example Org",
    )
    assert added.stdout == "s3\n"
    before = data_file.read_bytes()
    refused = run(runner, data_file, "cite", "ir-synthetic-01", "--delete", "s3")
    assert refused.exit_code == 2
    assert "add --yes to go ahead" in refused.stderr
    assert data_file.read_bytes() == before
    result = run(runner, data_file, "cite", "ir-synthetic-01", "--delete", "s3", "--yes")
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in site_props(data_file)["sources"]] == ["s1", "s2"]


def test_a_correction_that_would_leave_the_file_invalid_writes_nothing(runner, data_file):
    # Site 1 is corroborated by two publishers; making s2 the same publisher breaks that.
    before = data_file.read_bytes()
    result = run(
        runner,
        data_file,
        "cite",
        "ir-synthetic-01",
        "--edit",
        "s2",
        "--source-publisher",
        "Example Org",
    )
    assert result.exit_code == 1
    assert "fewer than two publishers" in result.stderr
    assert "nothing was written" in result.stderr
    assert data_file.read_bytes() == before
