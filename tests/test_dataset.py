"""The published dataset: valid, every claim traceable to the project's two source lists, and
rebuilt exactly by replaying its entry log from an empty file.

The lists are read from `data/sources/` (copies kept with the data), checked against the
project's shared originals (`../shared/sources/`) wherever those are beside the checkout.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gravemap import dates, model

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "sites.geojson"
README = ROOT / "data" / "README.md"
REPLAY = ROOT / "data" / "entry" / "replay.sh"
LIST_NAMES = ("1988-reported-sites.md", "1988-reported-sites-2.md")
LISTS = [ROOT / "data" / "sources" / name for name in LIST_NAMES]
SHARED = ROOT.parent / "shared" / "sources"

URL = re.compile(r"https?://[^\s)|;]+")
PARTY_MARKS = ("NCRI", "MEK", "PMOI", "JVMI")
# The months in which the lists' sources were read: no claim may be dated by them.
READING_DAYS_FROM = _dt.date(2026, 11, 1)
ELLIPSIS = " … "
SOLAR_MONTHS = dates.SOLAR_MONTHS_EN  # the month names the lists write


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lists() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in LISTS]


@pytest.fixture(scope="module")
def list_text(lists) -> str:
    return "\n".join(lists)


def features(data):
    return [(f["id"], f["properties"]) for f in data["features"]]


def table_rows(text: str) -> list[list[str]]:
    """The cells of every data row of the lists' tables (header and rule lines dropped)."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if cells[0] == "city, province":
            continue
        rows.append(cells)
    return rows


def left_out_urls() -> dict[str, str]:
    """URL -> reason, from data/README.md's list of rows not entered."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Left out", 1)[1].split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        for url in URL.findall(line):
            found[url] = line
    return found


def cited_sources(data):
    return [(fid, s) for fid, p in features(data) for s in p["sources"]]


def is_party(publisher: str) -> bool:
    return any(mark in publisher for mark in PARTY_MARKS)


# --- the lists themselves -----------------------------------------------------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared source lists are not here")
@pytest.mark.parametrize("name", LIST_NAMES)
def test_the_copies_of_the_lists_are_the_shared_originals(name):
    original = SHARED / name
    assert (ROOT / "data" / "sources" / name).read_bytes() == original.read_bytes(), (
        f"data/sources/{name} differs from {original}: copy it again and re-check the dataset"
    )


def test_the_lists_solar_hijri_conversions_agree_with_gravemap(list_text):
    """Every 'D Month YYYY = YYYY-MM-DD' the lists give is what gravemap stores for that date."""
    months = "|".join(SOLAR_MONTHS)
    iso = r"\d{4}-\d{2}-\d{2}"
    # "8 Shahrivar 1381 = 2002-08-30", "20 Azar 1395 (= 2016-12-10)",
    # "Fridays 8 and 15 Shahrivar 1387 (= 2008-08-29 and 2008-09-05)"
    pattern = re.compile(
        rf"(\d{{1,2}})(?: and (\d{{1,2}}))? ({months}) (\d{{4}}),? \(?= ({iso})(?: and ({iso}))?"
    )
    checked = 0
    for first, second, month, year, first_iso, second_iso in pattern.findall(list_text):
        pairs = [(first, first_iso)] + ([(second, second_iso)] if second else [])
        for day, expected in pairs:
            entered = f"{year}/{SOLAR_MONTHS.index(month) + 1:02d}/{int(day):02d}"
            assert dates.parse_date(entered).value == expected, (entered, expected)
            checked += 1
    assert checked >= 20


# --- the file ------------------------------------------------------------------------------------


def test_the_dataset_is_valid(data):
    assert model.validate_collection(data) == []


def test_the_file_is_in_canonical_form(data):
    from gravemap.store import dumps_collection

    assert DATA.read_text(encoding="utf-8") == dumps_collection(data)


def test_the_dataset_has_what_both_passes_entered(data):
    sites = features(data)
    entries = sum(len(p["status_history"]) for _, p in sites)
    assert len(sites) >= 28
    assert entries >= 90
    khavaran = dict(sites)["ir-tehran-01"]
    assert khavaran["name"] == "Khavaran"
    assert len(khavaran["status_history"]) >= 25


def test_the_data_readme_counts_what_the_file_holds(data):
    text = README.read_text(encoding="utf-8")
    sites = features(data)
    entries = sum(len(p["status_history"]) for _, p in sites)
    sources = sum(len(p["sources"]) for _, p in sites)
    assert f"| sites | {len(sites)} " in text
    assert f"| status entries | {entries} |" in text
    assert re.search(rf"\| sources [^|]*\| {sources} \|", text)
    table = {
        cells[0].strip("`"): cells
        for cells in table_rows(text)
        if len(cells) == 7 and cells[0].startswith("`ir-")
    }
    assert len(table) == len(sites)
    for fid, props in sites:
        row = [props["status"], str(len(props["status_history"])), str(len(props["sources"]))]
        assert table[fid][3:6] == row, (fid, table[fid])
        assert table[fid][6] == props["verification"], fid


# --- every claim from the lists ------------------------------------------------------------------


def test_every_source_url_comes_from_one_of_the_lists(data, list_text):
    listed = set(URL.findall(list_text))
    for fid, source in cited_sources(data):
        assert source["url"] in listed, (fid, source["id"], source["url"])


def test_every_quote_is_verbatim_from_a_list(data, list_text):
    """A quote is the list's text; ' … ' joins two verbatim excerpts of one source."""
    for fid, source in cited_sources(data):
        if "quote" not in source:
            continue
        for part in source["quote"].split(ELLIPSIS):
            assert len(part) >= 10 and part in list_text, (fid, source["id"], part)


def test_every_in_scope_url_of_both_lists_is_cited(data, lists):
    cited = {s["url"] for _, s in cited_sources(data)}
    left_out = left_out_urls()
    for text in lists:
        for cells in table_rows(text):
            for url in URL.findall(" | ".join(cells)):
                assert url in cited or url in left_out, url
    for url, line in left_out.items():
        assert url not in cited, f"{url} is listed as left out but cited"
        assert " — " in line or ": " in line, f"no reason given for {url}: {line}"


def test_the_lists_flags_are_said_in_publisher_or_title(data, lists):
    """Party flags in the publisher; copies, [alignment unclear] and low confidence in the title."""
    by_url: dict[str, list[dict]] = {}
    for _, source in cited_sources(data):
        by_url.setdefault(source["url"], []).append(source)
    checked = 0
    for text in lists:
        for cells in table_rows(text):
            cell, start = cells[3], 0
            for match in URL.finditer(cell):
                head, url, start = cell[start : match.start()], match.group(), match.end()
                for source in by_url.get(url, []):
                    checked += 1
                    if "aligned" in head and "alignment unclear" not in head:
                        assert is_party(source["publisher"]), (url, source["publisher"])
                    if "alignment unclear" in head:
                        assert "alignment unclear" in source["title"], (url, source["title"])
                    if "*copy*" in head:
                        assert "copy" in source["title"], (url, source["title"])
                    if "low confidence" in head:
                        assert "low confidence" in source["title"], (url, source["title"])
    assert checked >= 70


def test_one_organisation_has_one_publisher_name(data):
    """'X' and 'X (what the page was)' would count as two publishers: the context goes in titles."""
    names = {s["publisher"] for _, s in cited_sources(data)}
    by_base: dict[str, set[str]] = {}
    for name in names:
        by_base.setdefault(name.split(" (")[0].split(" [")[0].strip(), set()).add(name)
    assert {base: found for base, found in by_base.items() if len(found) > 1} == {}


def test_low_confidence_sources_never_stand_alone(data):
    for fid, props in features(data):
        low = {s["id"] for s in props["sources"] if "low confidence" in s["title"]}
        for source_id in low:
            entries = [e for e in props["status_history"] if source_id in e["sources"]]
            assert entries, (fid, source_id, "a low-confidence source must support a claim")
            for entry in entries:
                assert set(entry["sources"]) - low, (fid, entry, "supported only by low confidence")


def test_party_only_sites_stay_reported_at_city_precision(data):
    party_only = 0
    for fid, props in features(data):
        if all(is_party(s["publisher"]) for s in props["sources"]):
            party_only += 1
            assert props["verification"] == "reported", fid
            assert props["location"]["precision"] == "city", fid
            assert props["location"].get("note"), fid
    assert party_only >= 14


def test_no_location_claims_more_than_a_city_centre(data):
    for fid, props in features(data):
        location = props["location"]
        assert location["precision"] == "city", fid
        assert location["method"] == "gazetteer" and location["geonameid"] > 0, fid
        assert location["note"], fid


def test_no_claim_is_dated_on_a_reading_day(data):
    """A source with no date gives an undated entry, never the month it was read."""
    for fid, props in features(data):
        for entry in props["status_history"]:
            assert ("date" in entry) != bool(entry.get("undated")), (fid, entry)
            if "date" in entry:
                assert dates.span(entry["date"])[1] < READING_DAYS_FROM, (fid, entry)
            assert "when it was read" not in entry.get("note", ""), (fid, entry)
        for source in props["sources"]:
            if "date" in source:
                assert dates.span(source["date"])[1] < READING_DAYS_FROM, (fid, source)


def test_solar_hijri_entries_keep_the_sources_text(data):
    """Where a date was entered in Solar Hijri, the stored value is its conversion."""
    seen = 0
    for fid, props in features(data):
        for item in [*props["status_history"], *props["sources"]]:
            if "date_text" in item:
                seen += 1
                assert dates.parse_date(item["date_text"]).value == item["date"], (fid, item)
    assert seen >= 20


# --- the log -------------------------------------------------------------------------------------


def test_the_replay_refuses_a_file_that_exists(tmp_path):
    target = tmp_path / "sites.geojson"
    target.write_text("{}", encoding="utf-8")
    result = subprocess.run(
        ["bash", str(REPLAY), str(target)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "{}"


def entry_env() -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    for name in ("GRAVEMAP_DATA", "GRAVEMAP_ENTRY_AT", "SOURCE_DATE_EPOCH"):
        env.pop(name, None)
    return env


def test_the_replay_runner_passes_on_each_commands_output_and_exit_code(tmp_path):
    """gravemap_at.py --serve: one process, many commands, each answered with stdout and code."""

    def request(at: str, *args: str) -> bytes:
        return b"".join(f"{field}\0".encode() for field in (at, len(args), *args))

    data = tmp_path / "sites.geojson"
    add = [
        *("--data", str(data), "add", "--name", "Synthetic site", "--city", "Karaj"),
        *("--province", "Alborz", "--status-date", "undated", "--accessed", "2026-12"),
        *("--source-url", "https://example.org/a", "--source-title", "Synthetic report"),
        *("--source-publisher", "Example Org"),
    ]
    stdin = (
        request("2026-01-02T03:04:05Z", *add)
        + request("", "--data", str(data), "status", "ir-karaj-01", "no-such-status")
        + request("", "--data", str(data), "show", "ir-karaj-01", "--format", "json")
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "data" / "entry" / "gravemap_at.py"), "--serve"],
        input=stdin,
        capture_output=True,
        env=entry_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    # Each reply: stdout, NUL, exit code and newline; so after a split on NUL every part but the
    # first starts with the previous command's exit code.
    replies = result.stdout.split(b"\0")
    assert replies[0] == b"ir-karaj-01\n"  # add: the new id
    assert replies[1] == b"0\n"  # add succeeded; status printed nothing on stdout
    code, shown = replies[2].split(b"\n", 1)
    assert code == b"2"  # status with an unknown status: a usage error, passed on
    assert json.loads(shown)["properties"]["added"]["at"] == "2026-01-02T03:04:05Z"
    assert replies[3] == b"0\n"  # show succeeded


def test_replaying_the_log_from_an_empty_file_reproduces_the_dataset(tmp_path):
    target = tmp_path / "replayed.geojson"
    env = entry_env()
    result = subprocess.run(
        ["bash", str(REPLAY), str(target)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert target.read_bytes() == DATA.read_bytes()
