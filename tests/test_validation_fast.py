"""The fast proof of validity (`gravemap.validation_fast`) against `validate_collection`.

The proof may decline a valid file (the slow path then reads it), but it must never call a file
valid that validation finds a problem in: every test here holds it to that, on hand-written
hostile files and on thousands of generated mutations of valid ones. It must also prove the
files gravemap writes, or it saves no time.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gravemap import validation_fast
from gravemap.basemap import province_warnings, stated_province_warnings
from gravemap.errors import DataFileError
from gravemap.model import validate_collection
from gravemap.store import dumps_collection, parse_json
from gravemap.validation_fast import proven_valid

from synthetic import synthetic_collection

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "data" / "sites.geojson"


def slow_problems(raw: bytes) -> list[Any]:
    """What `gravemap validate` reports: a parse error or every problem."""
    try:
        data = parse_json(raw, "test")
    except DataFileError as exc:
        return [str(exc)]
    return validate_collection(data)


def check(raw: bytes, **options: Any) -> validation_fast.Proof | None:
    """The proof of `raw`, after asserting that it never contradicts validation."""
    proof = proven_valid(raw, **options)
    if proof is not None:
        assert slow_problems(raw) == [], raw[:2000]
        assert proof.count == len(json.loads(raw)["features"])
    return proof


def varied_collection(count: int = 12) -> dict[str, Any]:
    """Synthetic sites with every optional shape: spans, undated entries, Solar Hijri text,
    victims with one bound, private notes, a city-less site, a site outside Iran."""
    data = synthetic_collection(count, seed=7)
    f = data["features"]
    f[0]["properties"]["status_history"].insert(0, {"status": "intact", "undated": True,
                                                    "sources": ["s1"]})  # fmt: skip
    f[1]["properties"]["status_history"][0]["date"] = "1988-07-23/1988-08-22"
    f[1]["properties"]["status_history"][0]["date_text"] = "Mordad 1367"
    f[1]["properties"]["sources"][0]["accessed"] = "2024-02-01"
    f[2]["properties"]["victims"] = {"high": 30, "sources": ["s1"], "note": "two\nlines"}
    f[3]["properties"]["private"] = {"contact": "synthetic witness", "n": [1, {"a": None}]}
    del f[4]["properties"]["city"]
    f[5]["properties"]["location"]["geonameid"] = 112931
    f[6]["properties"]["publish"] = "withheld"
    f[7]["properties"]["notes"] = "first line\nsecond line\twith a tab"
    f[8]["properties"]["sources"][0]["date_text"] = "۱۳۹۷/۰۵/۱۲"
    f[8]["properties"]["sources"][0]["date"] = "2018-08-03"
    f[9]["properties"]["name"] = "Synthetic site «نه» – with ZWNJ \u200c and NBSP\u00a0"
    f[10]["properties"]["country"] = "AF"
    f[10]["geometry"]["coordinates"] = [65.0, 33.5]
    f[11]["geometry"]["coordinates"] = [55.0, 32.0, 1200]
    data["gravemap"]["retired_ids"] = ["ir-synthetic-retired"]
    return data


def canonical(data: Any) -> bytes:
    return dumps_collection(data).encode("utf-8")


@pytest.fixture
def side_by_side(monkeypatch):
    """Files of any size checked in shares, forking even though earlier tests of this session
    may have left threads running (a command line runs none; the proof forks only then). The
    proof runs once here first, so that the children import nothing."""
    proven_valid(canonical(varied_collection()), notes=validation_fast.site_province_warnings)
    monkeypatch.setattr(validation_fast, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(validation_fast.threading, "active_count", lambda: 1)


# ---------------------------------------------------------------------------------------------
# It proves what gravemap writes.


def test_the_dataset_and_varied_synthetic_files_are_proven_valid():
    assert check(DATASET.read_bytes()) is not None
    data = varied_collection()
    assert validate_collection(data) == []
    assert check(canonical(data)) is not None


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_a_file_is_proven_in_shares_side_by_side(side_by_side, monkeypatch, workers):
    forks = []
    real_fork = os.fork

    def counting_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counting_fork)
    data = synthetic_collection(60)
    proof = check(canonical(data), workers=workers)
    assert proof is not None and proof.count == 60
    assert len(forks) == workers  # one process per share


def test_a_problem_in_any_share_or_between_shares_is_not_proven(side_by_side, monkeypatch):
    base = synthetic_collection(40)
    late = copy.deepcopy(base)
    late["features"][-1]["properties"]["status"] = "not-a-status"
    assert check(canonical(late), workers=2) is None
    twice = copy.deepcopy(base)  # one id in the first share and again in the last
    twice["features"][-1]["id"] = twice["features"][0]["id"]
    assert check(canonical(twice), workers=2) is None
    retired = copy.deepcopy(base)
    retired["gravemap"]["retired_ids"] = [base["features"][-1]["id"]]
    assert check(canonical(retired), workers=2) is None


def test_a_cut_inside_a_feature_never_misreads_the_file(side_by_side, monkeypatch):
    """The boundary gravemap's layout shows between features, written inside each feature's
    private notes: a share cut there does not decode, so the file is not misread."""
    data = synthetic_collection(6)
    for feature in data["features"]:
        feature["properties"]["private"] = {"x": [{"a": 1}, {"b": 2}]}
    raw = canonical(data)
    laid_out = (
        b'"private": {\n          "x": [\n            {\n              "a": 1\n            },\n'
        b'            {\n              "b": 2\n            }\n          ]\n        },'
    )
    assert laid_out in raw
    # Lay the private list out so that the feature separator appears inside it.
    hostile = raw.replace(laid_out, b'"private": {"x": [{"a": 1\n    },\n    {\n"b": 2}]},')
    assert json.loads(hostile)["features"][3]["properties"]["private"] == {
        "x": [{"a": 1}, {"b": 2}]
    }
    assert slow_problems(hostile) == []  # a valid file, laid out to mislead the cut
    proofs = [check(hostile, workers=workers) for workers in (2, 3)]
    assert all(proof is None or proof.count == 6 for proof in proofs)
    assert None in proofs  # a cut did fall inside a feature, and was refused


# ---------------------------------------------------------------------------------------------
# Hostile files, one rule at a time.


def _with(mutate) -> bytes:
    data = varied_collection()
    mutate(data)
    return canonical(data)


def _props(data: dict[str, Any], n: int = 0) -> dict[str, Any]:
    return data["features"][n]["properties"]


HOSTILE = {
    "control character": lambda d: _props(d).update(name="a\x1b[31mred"),
    "C1 control": lambda d: _props(d).update(name="a\x85b"),
    "bidi override": lambda d: _props(d).update(city="abc\u202edef"),
    "bidi isolate": lambda d: _props(d).update(name_fa="x\u2067y"),
    "line break in a name": lambda d: _props(d).update(name="two\nlines"),
    "tab in a title": lambda d: _props(d)["sources"][0].update(title="a\tb"),
    "DEL": lambda d: _props(d).update(province="a\x7f"),
    "blank name": lambda d: _props(d).update(name="   "),
    "empty city": lambda d: _props(d).update(city=""),
    "blank publisher": lambda d: _props(d)["sources"][0].update(publisher=" "),
    "long text": lambda d: _props(d).update(notes="x" * 10_001),
    "null": lambda d: _props(d).update(notes=None),
    "unknown field": lambda d: _props(d).update(colour="red"),
    "unknown member": lambda d: d["features"][0].update(style={}),
    "crs": lambda d: d.update(crs={"type": "name"}),
    "missing field": lambda d: _props(d).pop("added"),
    "missing sources": lambda d: _props(d).pop("sources"),
    "empty sources": lambda d: _props(d).update(sources=[]),
    "javascript url": lambda d: _props(d)["sources"][0].update(url="javascript:alert(1)"),
    "user in url": lambda d: _props(d)["sources"][0].update(url="https://a@evil.example"),
    "space in url": lambda d: _props(d)["sources"][0].update(url=" https://example.org"),
    "solar hijri year": lambda d: _props(d)["status_history"][-1].update(date="1397-05-12"),
    "future date": lambda d: _props(d)["status_history"][-1].update(date="2999"),
    "impossible date": lambda d: _props(d)["sources"][0].update(date="2018-02-30"),
    "backward span": lambda d: _props(d)["sources"][0].update(date="1988-08-22/1988-07-23"),
    "date_text alone": lambda d: (
        _props(d)["sources"][0].update(date_text="x") or _props(d)["sources"][0].pop("date")
    ),
    "future time stamp": lambda d: _props(d)["added"].update(at="2999-01-01T00:00:00Z"),
    "time stamp without zone": lambda d: _props(d)["added"].update(at="2020-01-01T00:00:00"),
    "history out of order": lambda d: _append_entry(_props(d, 2), {"date": "1989"}),
    "history out of order by a day": lambda d: (
        _append_entry(_props(d, 2), {"date": _props(d, 2)["status_history"][-1]["date"] + "-01"})
        if len(_props(d, 2)["status_history"][-1]["date"]) == 4
        else _append_entry(_props(d, 2), {"date": "1989-01-01"})
    ),
    "status not the latest": lambda d: (
        _props(d).update(status="exhumed")
        if _props(d)["status"] != "exhumed"
        else _props(d).update(status="intact")
    ),
    "undated after dated": lambda d: _append_entry(_props(d, 1), {"undated": True}),
    "undated and dated": lambda d: _props(d)["status_history"][-1].update(undated=True),
    "undated false": lambda d: _props(d)["status_history"][0].update(undated=False),
    "no date, not undated": lambda d: _props(d, 1)["status_history"][-1].pop("date"),
    "cites a missing source": lambda d: _props(d)["status_history"][-1].update(sources=["s9"]),
    "cites nothing": lambda d: _props(d)["status_history"][-1].update(sources=[]),
    "cites twice": lambda d: _props(d)["status_history"][-1].update(sources=["s1", "s1"]),
    "victims cite nothing": lambda d: _props(d, 2)["victims"].update(sources=[]),
    "victims without bounds": lambda d: _props(d, 2).update(victims={"sources": ["s1"]}),
    "low above high": lambda d: _props(d, 2).update(
        victims={"low": 9, "high": 2, "sources": ["s1"]}
    ),
    "negative count": lambda d: _props(d, 2).update(victims={"low": -1, "sources": ["s1"]}),
    "boolean count": lambda d: _props(d, 2).update(victims={"low": True, "sources": ["s1"]}),
    "duplicate source id": lambda d: _props(d)["sources"].append(dict(_props(d)["sources"][0])),
    "bad source id": lambda d: _props(d)["sources"][0].update(id="s 1"),
    "corroborated by one publisher": lambda d: (
        _props(d, 3).update(verification="corroborated")
        or _props(d, 3).update(sources=_props(d, 3)["sources"][:1])
    ),
    "bad id": lambda d: d["features"][0].update(id="Has Capitals"),
    "id too long": lambda d: d["features"][0].update(id="a" * 65),
    "duplicate id": lambda d: d["features"][1].update(id=d["features"][0]["id"]),
    "retired id": lambda d: d["gravemap"].update(retired_ids=[d["features"][0]["id"]]),
    "schema 2": lambda d: d["gravemap"].update(schema=2),
    "schema true": lambda d: d["gravemap"].update(schema=True),
    "country lower case": lambda d: _props(d).update(country="ir"),
    "swapped coordinates": lambda d: d["features"][0]["geometry"].update(
        coordinates=list(reversed(d["features"][0]["geometry"]["coordinates"]))
    ),
    "out of range": lambda d: d["features"][0]["geometry"].update(coordinates=[200, 10]),
    "one coordinate": lambda d: d["features"][0]["geometry"].update(coordinates=[50]),
    "string coordinate": lambda d: d["features"][0]["geometry"].update(coordinates=["50", 30]),
    "polygon": lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": []}),
    "bad bbox": lambda d: d.update(bbox=[1, 2, 3]),
    "bad feature bbox": lambda d: d["features"][0].update(bbox=[1, 2, 3, 4, 5]),
    "geonameid zero": lambda d: _props(d, 5)["location"].update(geonameid=0),
    "unknown precision": lambda d: _props(d)["location"].update(precision="street"),
    "private not an object": lambda d: _props(d).update(private=["a"]),
    "private too deep": lambda d: _props(d).update(private=_deep(40)),
    "features not a list": lambda d: d.update(features={}),
    "not a FeatureCollection": lambda d: d.update(type="Feature"),
}


def _append_entry(props: dict[str, Any], when: dict[str, Any]) -> None:
    """A history entry after the others, the status following it (so only its order is wrong)."""
    props["status_history"].append({"status": "exhumed", "sources": ["s1"], **when})
    props["status"] = "exhumed"


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = {"k": value}
    return value


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_never_proven_valid(name):
    raw = _with(HOSTILE[name])
    assert slow_problems(raw), f"{name}: the fixture should be invalid"
    assert check(raw) is None


@pytest.mark.parametrize("depth", [30, 31, 32])
def test_private_nesting_is_counted_as_validate_counts_it(depth):
    data = varied_collection()
    _props(data)["private"] = _deep(depth)
    raw = canonical(data)
    assert (check(raw) is not None) == (slow_problems(raw) == [])


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": 1, "a": 2}',  # in private
        b'{"a": {"b": 1, "b": 1}}',
    ],
)
def test_a_duplicate_key_in_private_is_not_proven(text):
    raw = canonical(varied_collection())
    hostile = raw.replace(b'"private": {', b'"private": ' + text + b', "_": {', 1)
    hostile = re.sub(rb'"_": \{', b'"zz": {', hostile)
    assert check(hostile) is None


def _duplicate_a_key(raw: bytes, nth: int, value: bytes) -> bytes:
    """The file with the nth `"key": scalar` line written twice, the copy first."""
    lines = raw.split(b"\n")
    keyed = [i for i, line in enumerate(lines) if re.match(rb'\s*"\w+": [^\[{]', line)]
    i = keyed[nth % len(keyed)]
    indent, key = re.match(rb'(\s*)("\w+"): ', lines[i]).groups()
    lines.insert(i, indent + key + b": " + value + b",")
    return b"\n".join(lines)


@pytest.mark.parametrize("nth", range(0, 400, 7))
def test_a_duplicate_key_anywhere_is_not_proven(nth):
    raw = canonical(varied_collection())
    for value in (b'"x"', b"1", b"null"):
        hostile = _duplicate_a_key(raw, nth, value)
        assert slow_problems(hostile)
        assert check(hostile) is None


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x85", "\u202e", "\u2069", "\n", "\t"])
def test_an_escaped_character_in_a_file_of_plain_text_is_checked(char):
    """Without line breaks anywhere else, the bytes alone must reveal the escaped character."""
    data = synthetic_collection(5)
    raw = canonical(data)
    assert check(raw) is not None
    for escaped in (json.dumps(char)[1:-1], f"\\u{ord(char):04x}"):
        hostile = raw.replace(b"Synthetic site 00003", f"Synthetic{escaped}site".encode(), 1)
        assert slow_problems(hostile)
        assert check(hostile) is None


def test_a_colon_written_as_an_escape_cannot_hide_a_duplicate_key():
    raw = canonical(synthetic_collection(5))
    hostile = raw.replace(b"Synthetic site 00003", b"Synthetic\\u003a site", 1)
    hostile = _duplicate_a_key(hostile, 3, b'"dup"')
    assert slow_problems(hostile)
    assert check(hostile) is None


def test_escapes_and_other_layouts_are_read_exactly():
    data = varied_collection()
    for raw in (
        json.dumps(data, ensure_ascii=True).encode(),  # \\u escapes: the slow path reads it
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
        json.dumps(data, ensure_ascii=False, indent=4).encode(),
        b"\xef\xbb\xbf" + canonical(data),
        canonical(data).replace(b'"name": ', b'"name" : '),
    ):
        check(raw)
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    assert check(compact) is not None  # another layout is proven too


# ---------------------------------------------------------------------------------------------
# Generated mutations.

_STRINGS = st.sampled_from(
    [
        "", " ", "x", "s1", "s2", "s9", "IR", "ir", "AF", "XX", "full", "withheld", "city",
        "intact", "bulldozed", "corroborated", "reported", "exact", "site", "manual",
        "1988", "1988-07", "1988-07-23", "1397-05-12", "2999", "2018-02-30",
        "1988-07-23/1988-08-22", "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z",
        "https://example.org/a", "http://example.org", "javascript:alert(1)",
        "https://a@b.example", "https://example.org/مسیر", "ftp://example.org",
        "a\nb", "a\tb", "a\x00b", "a\x1bb", "a\x85b", "a\u202eb", "a\u2066b", "a\x7fb",
        "ir-synthetic-00001", "Has Capitals", "x" * 10_001, "«نام»", "a\u200cb",
    ]
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _STRINGS,
    st.text(max_size=8),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "id", "s1"]), inner)
    ),
    max_leaves=4,
)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*path, i))
    return found


def _mutated(data: dict[str, Any], choice: int, op: int, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    paths = [p for p in _paths(data) if p]
    path = paths[choice % len(paths)]
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == 0:
        parent[last] = value
    elif op == 1:
        del parent[last]
    elif op == 2 and isinstance(parent[last], dict):
        parent[last]["extra"] = value
    elif op == 3 and isinstance(parent[last], list):
        parent[last].append(value)
    else:
        parent[last] = copy.deepcopy(parent[last])
    return data


_BASE = varied_collection()


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4), _VALUES), min_size=1, max_size=3),
    st.sampled_from(["canonical", "compact", "ascii", "duplicate"]),
    st.integers(0, 10_000),
)
def test_a_mutated_file_is_proven_only_when_validate_finds_nothing(mutations, layout, nth):
    data = _BASE
    for choice, op, value in mutations:
        data = _mutated(data, choice, op, value)
    if layout == "ascii":
        raw = json.dumps(data, ensure_ascii=True).encode()
    elif layout == "compact":
        try:
            raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        except UnicodeEncodeError:
            return
    else:
        try:
            raw = canonical(data)
        except (UnicodeEncodeError, TypeError, ValueError):
            return
        if layout == "duplicate":
            raw = _duplicate_a_key(raw, nth, b'"dup"')
    check(raw)


def test_unmutated_layouts_are_proven():
    """The mutation test would pass trivially if the proof refused everything."""
    assert check(canonical(_BASE)) is not None
    assert check(json.dumps(_BASE, ensure_ascii=False).encode()) is not None


# ---------------------------------------------------------------------------------------------
# What validate prints beside: province warnings, from the decoded sites.


def test_province_warnings_from_stated_points_match_those_from_the_data():
    data = synthetic_collection(30)
    provinces = ["Kerman", "Yazd", "Esfahan", "استان سمنان", "Khorasan-e Jonubi", "Fars"]
    for i, f in enumerate(data["features"]):
        f["properties"]["province"] = provinces[i % len(provinces)]
    expected = province_warnings(data)
    assert expected  # some synthetic points lie outside the province they state
    sites = [
        (f["id"], f["properties"]["province"], f["properties"]["country"],
         *f["geometry"]["coordinates"][:2])
        for f in data["features"]
    ]  # fmt: skip
    assert stated_province_warnings(sites) == expected


def test_many_points_of_a_province_are_tested_at_once_with_the_same_rule():
    import random

    import numpy as np

    from gravemap.basemap import _contains, _contains_all, provinces

    rng = random.Random(5)
    for province in provinces():
        xs = [e[0] for e in province.edges]
        ys = [e[1] for e in province.edges]
        lons = [rng.uniform(min(xs) - 0.5, max(xs) + 0.5) for _ in range(300)]
        lats = [rng.uniform(min(ys) - 0.5, max(ys) + 0.5) for _ in range(300)]
        lons += xs[:50]  # on the outline itself
        lats += ys[:50]
        at_once = _contains_all(province, np.array(lons), np.array(lats)).tolist()
        one_by_one = [_contains(province, x, y) for x, y in zip(lons, lats, strict=True)]
        assert at_once == one_by_one, province.name_en


def test_province_warnings_of_many_sites_match_one_by_one(monkeypatch):
    from gravemap import basemap

    data = synthetic_collection(400)
    for i, f in enumerate(data["features"]):
        f["properties"]["province"] = ["Kerman", "Yazd"][i % 2]
    at_once = province_warnings(data)
    monkeypatch.setattr(basemap, "_MANY_POINTS", 10**9)
    assert province_warnings(data) == at_once
    assert at_once


def test_a_share_is_checked_here_when_no_process_can_be_forked(side_by_side, monkeypatch):

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    proof = check(canonical(synthetic_collection(30)), workers=3)
    assert proof is not None and proof.count == 30


def test_a_child_that_dies_leaves_the_file_unproven(side_by_side, monkeypatch):
    real = validation_fast._fields_agree

    def dying(features, **kwargs):
        if any(f.id.endswith("00029") for f in features):  # in the last share: a child
            os._exit(3)
        return real(features, **kwargs)

    monkeypatch.setattr(validation_fast, "_fields_agree", dying)
    assert check(canonical(synthetic_collection(30)), workers=2) is None


def test_warnings_come_back_in_file_order_from_every_share(side_by_side, monkeypatch):
    data = synthetic_collection(40)
    for f in data["features"]:
        f["properties"]["province"] = "Fars"  # synthetic points lie far from Fars
    raw = canonical(data)
    expected = province_warnings(json.loads(raw))
    assert len(expected) == 40
    proof = check(raw, workers=3, notes=validation_fast.site_province_warnings)
    assert proof is not None and proof.notes == expected


@pytest.mark.parametrize("country", ["IR", "AF", "IQ", "TR"])
def test_a_point_in_a_country_s_inner_box_is_in_the_country(country):
    import random

    from gravemap.gazetteer import country_contains, country_inner_box

    west, south, east, north = country_inner_box(country)
    rng = random.Random(3)
    for _ in range(5000):
        assert country_contains(country, rng.uniform(west, east), rng.uniform(south, north))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(35, 75), st.floats(15, 45)), min_size=1, max_size=20))
def test_the_country_check_of_many_points_is_country_contains(points):
    from gravemap.gazetteer import country_contains

    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    expected = all(country_contains("IR", x, y) is not False for x, y in points)
    assert validation_fast._inside_countries(["IR"] * len(points), {"IR"}, lons, lats) == expected


@pytest.mark.parametrize(
    "tail",
    [
        b',\n  "features": []',  # the key twice: the decode would keep the empty list
        b',\n  "extra": [\n  ]',  # an unknown member closing the way the features do
        b',\n  "gravemap": {\n    "schema": 2\n  }',  # a second, invalid gravemap member
    ],
)
def test_what_follows_the_features_is_read_with_the_rest_of_the_collection(tail):
    raw = canonical(synthetic_collection(5))
    hostile = raw.replace(b"\n  ],\n", b"\n  ]" + tail + b",\n", 1)
    assert slow_problems(hostile)
    assert check(hostile) is None
