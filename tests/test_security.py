"""Hostile files and hostile options (issue 9, findings 11, 12 and 14): each one planted in a
synthetic fixture, the behaviour asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gravemap.cli import main
from gravemap.files import remove_stale_temporaries
from gravemap.text import escape_controls

from conftest import make_collection, make_site

ROOT = Path(__file__).resolve().parent.parent
# An OSC sequence that retitles the terminal window, a CSI that hides the text after it, a C1
# CSI, DEL, a bidi override that reverses what follows, and a BEL.
HOSTILE = "\x1b]0;owned\x07\x1b[8mhidden\x9b2J\x7f\u202egnp.exe\u2066\a"


def write_raw(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- finding 11: terminal escapes in messages -------------------------------------------------


@given(st.text())
def test_escaped_text_holds_no_terminal_control(text):
    shown = escape_controls(text)
    assert not any(
        ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF for ch in shown
    )
    assert not set(shown) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    shown.encode("utf-8")  # printable on any UTF-8 terminal, lone surrogates included


def test_escaping_keeps_ordinary_text_and_persian():
    assert escape_controls("ir-ahvaz-01: name: «گورستان» is empty") == (
        "ir-ahvaz-01: name: «گورستان» is empty"
    )
    assert escape_controls("a\x1b[31mb") == "a\\x1b[31mb"
    assert escape_controls("one\ntwo\x1b", keep_newlines=True) == "one\ntwo\\x1b"


def hostile_file(tmp_path: Path) -> Path:
    site = make_site()
    site["id"] = f"ir-{HOSTILE}"
    site["properties"][f"field{HOSTILE}"] = "x"
    site["properties"]["name"] = f"name {HOSTILE}"
    return write_raw(tmp_path / "sites.geojson", json.dumps(make_collection(site)))


def assert_no_controls(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x9b\x7f\u202e\u2066"), repr(text)


def test_validate_prints_hostile_ids_and_field_names_escaped(runner, tmp_path):
    data = hostile_file(tmp_path)
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    assert_no_controls(result.stdout + result.stderr)
    assert "\\x1b]0;owned\\x07" in result.stdout
    assert all(line.startswith(f"{data}:") for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "ir-synthetic-01"],
        ["render", "-o", "-"],
        ["export", "--format", "geojson", "-o", "-"],
        ["edit", "ir-synthetic-01", "--name", "x"],
    ],
)
def test_every_command_shows_a_hostile_file_s_problems_escaped(runner, tmp_path, args):
    data = hostile_file(tmp_path)
    before = data.read_bytes()
    result = runner.invoke(main, ["--data", str(data), *args])
    assert result.exit_code == 1
    assert_no_controls(result.stdout + result.stderr)
    assert result.stderr.startswith("Error: ")
    assert data.read_bytes() == before


def test_a_hostile_file_name_is_escaped_in_messages(runner, tmp_path):
    missing = tmp_path / f"sites{HOSTILE}.geojson"
    result = runner.invoke(main, ["--data", str(missing), "list"])
    assert result.exit_code == 1
    assert_no_controls(result.stderr)
    assert result.stderr.count("\n") == 1


# --- finding 12: data that passed validate crashed other commands -----------------------------


def surrogate_file(tmp_path: Path) -> Path:
    # json.dumps writes the lone surrogate as the escape \ud800, as a hostile file would.
    site = make_site(notes="before \ud800 after", private={"contact\udc01": "x"})
    return write_raw(tmp_path / "sites.geojson", json.dumps(make_collection(site)))


def deep_file(tmp_path: Path, depth: int = 500) -> Path:
    text = json.dumps(make_collection(make_site(private={"deep": "SLOT"})))
    nested = '{"a": ' * depth + '"x"' + "}" * depth
    return write_raw(tmp_path / "sites.geojson", text.replace('"SLOT"', nested))


def test_validate_refuses_a_lone_surrogate_in_any_string_or_key(runner, tmp_path):
    data = surrogate_file(tmp_path)
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{data}:ir-synthetic-01: notes: contains a lone surrogate (U+D800), which is not text; "
        "remove the \\u escape or write the character it should be",
        f"{data}:ir-synthetic-01: private.contact\\udc01: is a field name with a lone surrogate; "
        "rename or remove it",
    ]


def test_validate_refuses_a_private_value_nested_500_deep(runner, tmp_path):
    data = deep_file(tmp_path)
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{data}:ir-synthetic-01: private")
    assert lines[0].endswith(
        ": is nested more than 32 levels deep; flatten it (gravemap keeps at most 32 levels)"
    )


def test_nesting_up_to_the_limit_is_valid(runner, tmp_path):
    data = deep_file(tmp_path, depth=30)
    assert runner.invoke(main, ["validate", str(data)]).exit_code == 0


@pytest.mark.parametrize("make", [surrogate_file, deep_file])
@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "json"],
        ["list", "--format", "json", "--include-private"],
        ["show", "ir-synthetic-01", "--include-private"],
        ["edit", "ir-synthetic-01", "--name", "x"],
        ["export", "--format", "geojson", "-o", "-"],
        ["render", "-o", "-"],
    ],
)
def test_other_commands_refuse_such_data_with_one_line(runner, tmp_path, make, args):
    data = make(tmp_path)
    before = data.read_bytes()
    result = runner.invoke(main, ["--data", str(data), *args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    result.stderr.encode("utf-8")
    assert data.read_bytes() == before


# --- finding 14: a killed save left a full copy of the data beside it -------------------------


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid  # reaped: no process has this id now (until the system reuses it)


def test_the_next_write_removes_temporaries_of_dead_writers_only(runner, data_file):
    folder = data_file.parent
    stale = folder / f".{data_file.name}.{dead_pid()}.k3j2h1.tmp"
    stale.write_text("PRIVATE copy left by a killed writer", encoding="utf-8")
    live_writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = folder / f".{data_file.name}.{live_writer.pid}.a1b2c3.tmp"
        live.write_text("being written", encoding="utf-8")
        other = folder / f".other.geojson.{dead_pid()}.zz.tmp"
        other.write_text("not ours", encoding="utf-8")
        result = runner.invoke(
            main, ["--data", str(data_file), "edit", "ir-synthetic-01", "--name", "Renamed"]
        )
        assert result.exit_code == 0, result.output
        assert not stale.exists()
        assert live.exists() and other.exists()
    finally:
        live_writer.kill()
        live_writer.wait()


def test_remove_stale_temporaries_ignores_names_that_are_not_a_writer_s(tmp_path):
    target = tmp_path / "sites.geojson"
    kept = [tmp_path / ".sites.geojson.notapid.x.tmp", tmp_path / ".sites.geojson.tmp"]
    for path in kept:
        path.write_text("x", encoding="utf-8")
    assert remove_stale_temporaries(target) == []
    assert all(path.exists() for path in kept)


SAVE_KILLED_BY_SIGTERM = textwrap.dedent(
    """
    import os, signal, sys
    import gravemap.files as files
    from gravemap.cli import main

    real_fsync = os.fsync

    def terminated_while_flushing(fd):
        os.kill(os.getpid(), signal.SIGTERM)  # as `kill PID` would, mid-save
        real_fsync(fd)

    files.os.fsync = terminated_while_flushing
    main(sys.argv[1:], prog_name="gravemap")
    """
)


def test_sigterm_during_a_save_leaves_the_old_file_and_no_temporary(data_file):
    before = data_file.read_bytes()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            SAVE_KILLED_BY_SIGTERM,
            "--data",
            str(data_file),
            "edit",
            "ir-synthetic-01",
            "--name",
            "Renamed",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=60,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert data_file.read_bytes() == before
    assert [p.name for p in data_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_temporary_files_of_the_data_file_are_git_ignored():
    if not (ROOT / ".git").exists():
        pytest.fail("run the suite from a git checkout")
    proc = subprocess.run(
        ["git", "check-ignore", "--no-index", "data/.sites.geojson.4242.x1y2z3.tmp"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_private_text_with_terminal_controls_is_printed_inert(runner, tmp_path):
    """`private` is free-form, so validation cannot refuse its text: listings escape it."""
    site = make_site(private={"contact": f"call {HOSTILE}"})
    data = write_raw(tmp_path / "sites.geojson", json.dumps(make_collection(site)))
    for args in (
        ["show", "ir-synthetic-01", "--include-private"],
        ["list", "--format", "json", "--include-private"],
        ["list", "--format", "jsonl", "--include-private"],
    ):
        result = runner.invoke(main, ["--data", str(data), *args])
        assert result.exit_code == 0, result.output
        assert_no_controls(result.stdout)
        assert "call " in result.stdout
    shown = runner.invoke(
        main, ["--data", str(data), "list", "--format", "json", "--include-private"]
    )
    assert json.loads(shown.stdout)[0]["properties"]["private"]["contact"] == f"call {HOSTILE}"


def test_import_prints_a_hostile_header_escaped(runner, tmp_path):
    table = tmp_path / "hostile.csv"
    table.write_text(
        f"name,city,status,status_date,source_url,source_title,source_publisher,col{HOSTILE}\n"
        "Synthetic site,Testville,intact,2001,https://example.org/r1,Synthetic report,"
        "Example Org,x\n",
        encoding="utf-8",
    )
    data = tmp_path / "sites.geojson"
    result = runner.invoke(main, ["--data", str(data), "import", str(table), "--dry-run"])
    assert "col\\x1b]0;owned\\x07" in result.stderr
    assert_no_controls(result.stdout + result.stderr)
    assert not data.exists()


def test_a_message_quoting_a_hostile_path_stays_one_line(runner, data_file, tmp_path):
    out = tmp_path / "map\nError: forged line\x1b[2K.html"
    result = runner.invoke(
        main, ["--data", str(data_file), "render", "-o", str(out), "--tiles", "none"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("\n") == 1
    assert "map\\x0aError: forged line\\x1b[2K.html: 2 sites" in result.stderr


def test_import_of_a_lone_surrogate_is_a_row_problem_not_a_crash(runner, tmp_path):
    source = tmp_path / "hostile.geojson"
    source.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        '{"type": "Point", "coordinates": [54.0, 34.0]}, "properties": {"name": "bad \\ud800", '
        '"city": "Testville", "status": "intact", "status_date": "2001", "precision": "site", '
        '"source_url": "https://example.org/r", "source_title": "T", "source_publisher": "P", '
        '"col\\udc00": "x"}}]}',
        encoding="utf-8",
    )
    data = tmp_path / "sites.geojson"
    result = runner.invoke(main, ["--data", str(data), "import", str(source)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "name: contains a lone surrogate (U+D800)" in result.stderr
    assert "col\\udc00" in result.stderr
    result.stderr.encode("utf-8")
    assert not data.exists()
