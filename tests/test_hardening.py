"""Odd, hostile or unlucky input: control characters, look-alike links, huge numbers,
symlinked, read-only or full disks, mistyped paths, and points that must stay private.

Each test names the behaviour gravemap must keep (they began as a review's findings).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from gravemap import model, store
from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site, read_json

SOURCE = [
    "--source-url",
    "https://example.org/review",
    "--source-title",
    "Synthetic review source",
    "--source-publisher",
    "Example Org",
    "--source-date",
    "2018",
]
POINT = ["--lat", "34", "--lon", "54", "--precision", "site"]


def invoke(runner, data: Path, *args: str):
    return runner.invoke(main, ["--data", str(data), *args])


def fields_with_problems(feature: dict) -> list[str]:
    return [p.field for p in model.validate_collection(make_collection(feature))]


# ---------------------------------------------------------------------------------------------
# model.py: validation gaps


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # ESC sequences clear or recolour the researcher's terminal in `list` and `show`.
        ("name", "Synthetic\x1b[2J\x1b[31m site"),
        # A newline in a one-line field breaks every row of the `list` table after it.
        ("name", "Synthetic\nsite"),
        ("city", "Test\x00ville"),
        # A right-to-left override reverses the columns printed after it (Trojan Source).
        ("city", "Test\u202eville"),
    ],
)
def test_text_fields_refuse_control_characters_and_bidi_overrides(site, name, value):
    site["properties"][name] = value
    assert fields_with_problems(site) == [name]


def test_persian_joiners_and_marks_stay_valid_in_text(site):
    site["properties"]["name_fa"] = "گورستان\u200cخاوران\u200f"  # ZWNJ, right-to-left mark
    assert fields_with_problems(site) == []


@pytest.mark.parametrize("date", ["۱۹۸۸", "١٩٨٨-٠٦", "1988\n"])
def test_dates_with_non_ascii_digits_or_a_trailing_newline_are_not_iso_8601(site, date):
    # model._PARTIAL_DATE uses \d (any Unicode digit) and $ (matches before a final newline).
    site["properties"]["status_history"][0]["date"] = date
    assert fields_with_problems(site) == ["status_history[0].date"]


def test_ids_and_country_with_a_trailing_newline_are_refused(site):
    # ID_PATTERN, SOURCE_ID_PATTERN and COUNTRY_PATTERN end in $ and are used with .match().
    site["id"] = "ir-synthetic-01\n"
    site["properties"]["country"] = "IR\n"
    site["properties"]["sources"][1]["id"] = "s2\n"
    site["properties"]["status_history"][1]["sources"] = ["s1", "s2\n"]
    problems = fields_with_problems(site)
    assert "id" in problems and "country" in problems and "sources[1].id" in problems


def test_coordinate_too_large_for_a_float_is_a_problem_not_a_traceback(site):
    site["geometry"]["coordinates"] = [
        10**400,
        34,
    ]  # json.loads turns a 400-digit literal into this
    assert fields_with_problems(site) == ["geometry.coordinates"]


def test_data_file_with_a_huge_integer_coordinate_gives_a_message(runner, tmp_path):
    path = tmp_path / "sites.geojson"
    text = dumps_collection(make_collection(make_site()))
    path.write_text(text.replace("54.0", "9" * 400, 1), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert not isinstance(result.exception, OverflowError)


def test_a_claim_citing_the_same_source_twice_is_reported(site):
    # "[s1, s1]" reads as two citations; it is one.
    site["properties"]["status_history"][0]["sources"] = ["s1", "s1"]
    assert fields_with_problems(site) == ["status_history[0].sources"]


def test_bbox_that_is_not_a_list_of_numbers_is_reported(site):
    data = make_collection(site)
    data["bbox"] = "garbage"
    assert [p.field for p in model.validate_collection(data)] == ["bbox"]


def test_source_url_with_credentials_is_refused(site):
    # Reads as amnesty.org but opens evil.example: a classic phishing link in a published map.
    site["properties"]["sources"][0]["url"] = "https://www.amnesty.org@evil.example/report"
    assert fields_with_problems(site) == ["sources[0].url"]


# ---------------------------------------------------------------------------------------------
# model.new_id / cli/add.py


def test_add_with_a_long_place_name_gets_a_valid_id(runner, tmp_path):
    data = tmp_path / "sites.geojson"
    city = "The very long name of a synthetic village near the river in the far west of it"
    result = invoke(runner, data, "add", "--name", "Synthetic", "--city", city, *POINT, *SOURCE)
    assert result.exit_code == 0, result.output
    site_id = result.stdout.strip()
    assert len(site_id) <= 64 and model.ID_PATTERN.fullmatch(site_id)


def test_precise_point_added_with_publish_city_can_be_exported_at_the_city_centre(runner, tmp_path):
    # add --lat/--lon never records location.geonameid, and `edit` has no option to set it,
    # so the default export fails and the only way out offered was --full-locations: the leak
    # publish: city exists to prevent.
    data = tmp_path / "sites.geojson"
    added = invoke(
        runner,
        data,
        "add",
        "--name",
        "Synthetic precise site",
        "--city",
        "Ahvaz",
        "--lat",
        "31.33412",
        "--lon",
        "48.70113",
        "--precision",
        "exact",
        "--publish",
        "city",
        *SOURCE,
    )
    assert added.exit_code == 0, added.output
    out = tmp_path / "out.geojson"
    result = invoke(runner, data, "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "48.70113" not in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# store.py


def test_saving_through_a_symlinked_data_file_updates_its_target(data_file, tmp_path):
    # os.replace() over the link replaces the link; the real file (an encrypted volume, a
    # synced folder) silently stops receiving changes.
    link = tmp_path / "link.geojson"
    link.symlink_to(data_file)
    with store.edit_collection(link) as collection:
        collection.get("ir-synthetic-01").notes = "changed through the link"
    assert link.is_symlink()
    assert store.load_collection(data_file).get("ir-synthetic-01").notes == (
        "changed through the link"
    )


def test_a_write_error_is_a_message_not_a_traceback(runner, data_file, monkeypatch):
    before = data_file.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = invoke(runner, data_file, "edit", "ir-synthetic-01", "--notes", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {data_file}: ")
    assert "No space left on device" in result.stderr
    assert data_file.read_bytes() == before


def test_a_read_only_data_file_is_not_silently_replaced(runner, data_file):
    # The atomic rename needs only a writable folder, so a file made read-only (an archived,
    # evidential copy) is overwritten without a word.
    before = data_file.read_bytes()
    data_file.chmod(0o444)
    try:
        result = invoke(runner, data_file, "edit", "ir-synthetic-01", "--notes", "x")
    finally:
        data_file.chmod(0o644)
    assert result.exit_code == 1
    assert "read-only" in result.stderr
    assert data_file.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["status", "ir-synthetic-01", "intact", "--date", "2019", "--source", "s1"],
        ["add", "--name", "Synthetic", "--dry-run", *POINT, *SOURCE],
    ],
)
def test_a_command_that_writes_nothing_leaves_no_folder_or_lock_behind(runner, tmp_path, args):
    # A mistyped --data (or a dry run) leaves a new folder and a .lock file there.
    data = tmp_path / "typo" / "sites.geojson"
    invoke(runner, data, *args)
    assert not (tmp_path / "typo").exists()


# ---------------------------------------------------------------------------------------------
# cli: private data, messages, help


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_list_as_json_leaves_out_private_fields_and_who_added_the_site(runner, tmp_path, fmt):
    # `list --format json > sites.json` is an export by another name; only `show` (one site,
    # on the researcher's screen) should print private fields.
    site = make_site(
        private={"contact": "PRIVATE-MARKER"},
        added={"at": "2026-01-01T00:00:00Z", "by": "ADDEDBY-MARKER"},
    )
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(site)), encoding="utf-8")
    result = invoke(runner, data, "list", "--format", fmt)
    assert result.exit_code == 0
    assert "PRIVATE-MARKER" not in result.stdout
    assert "ADDEDBY-MARKER" not in result.stdout


def test_status_citing_one_source_twice_records_it_once(runner, data_file):
    result = invoke(
        runner,
        data_file,
        "status",
        "ir-synthetic-01",
        "exhumed",
        "--date",
        "2021",
        "--source",
        "s1",
        "--source",
        "s1",
    )
    assert result.exit_code == 0, result.output
    entry = read_json(data_file)["features"][0]["properties"]["status_history"][-1]
    assert entry == {"status": "exhumed", "date": "2021", "sources": ["s1"]}


def test_edit_with_an_empty_name_names_the_option(runner, data_file):
    before = data_file.read_bytes()
    result = invoke(runner, data_file, "edit", "ir-synthetic-01", "--name", "  ")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for '--name': must not be empty\n")
    assert data_file.read_bytes() == before


@pytest.mark.parametrize("command", ["remove", "show", "validate"])
def test_every_command_help_has_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_publish_city_needs_a_city_the_gazetteer_knows(runner, tmp_path):
    data = tmp_path / "sites.geojson"
    result = invoke(
        runner,
        data,
        "add",
        "--name",
        "Synthetic",
        "--city",
        "Nowhere Synthetic",
        *POINT,
        "--publish",
        "city",
        *SOURCE,
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --publish city shows the city's centre instead of the point, but --city "
        "'Nowhere Synthetic' is no match in the gazetteer: name the city as the gazetteer knows "
        "it (see `gravemap geocode`), or use --publish withheld"
    )
    assert not data.exists()


def test_a_stated_point_far_from_the_named_city_is_not_linked_to_it(runner, tmp_path):
    data = tmp_path / "sites.geojson"
    result = invoke(runner, data, "add", "--name", "Synthetic", "--city", "Tabriz", *POINT, *SOURCE)
    assert result.exit_code == 0, result.output
    assert "the site is not linked to that city" in result.stderr
    location = read_json(data)["features"][0]["properties"]["location"]
    assert "geonameid" not in location


def test_edit_links_a_site_to_a_gazetteer_place(runner, data_file):
    result = invoke(runner, data_file, "edit", "ir-synthetic-01", "--geonameid", "144448")
    assert result.exit_code == 0, result.output
    location = read_json(data_file)["features"][0]["properties"]["location"]
    assert location["geonameid"] == 144448
    bad = invoke(runner, data_file, "edit", "ir-synthetic-01", "--geonameid", "1")
    assert bad.exit_code == 2
    assert "is not a place of IR in the gazetteer" in bad.stderr
