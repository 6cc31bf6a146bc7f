"""The store's fast paths give exactly what the careful paths give, and skip nothing unsafe."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gravemap import model, store, validation_cache
from gravemap.errors import DataFileError, ValidationError

from conftest import make_collection, make_site

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(private=json_values, lon=st.floats(-180, 180), lat=st.floats(-90, 90))
def test_canonical_bytes_are_the_standard_librarys_bytes(private, lon, lat) -> None:
    site = make_site()
    site["geometry"]["coordinates"] = [lon, lat]
    site["properties"]["private"] = {"value": private}
    data = make_collection(site)
    assert store.canonical_bytes(data) == store.dumps_collection(data).encode("utf-8")


@pytest.mark.parametrize("value", [1e-05, 1e-07, 2.5e-05, 1e16, 1.5e17, 5e-324])
def test_numbers_python_writes_with_an_exponent_keep_pythons_form(value) -> None:
    site = make_site()
    site["properties"]["private"] = {"n": [value]}
    data = make_collection(site)
    assert store.canonical_bytes(data) == store.dumps_collection(data).encode("utf-8")


def test_a_canonical_file_with_a_duplicate_key_is_still_refused() -> None:
    text = store.dumps_collection(make_collection(make_site()))
    twice = text.replace('"name": "Synthetic test site",', '"name": "A", "name": "B",', 1)
    assert twice != text
    with pytest.raises(DataFileError, match="appears twice"):
        store.parse_json(twice.encode("utf-8"), "x.geojson")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'\xef\xbb\xbf{"type": "FeatureCollection"}', {"type": "FeatureCollection"}),
        (b'{"a": "\\ud800"}', {"a": "\ud800"}),
        (b'{"a": 123456789012345678901234567890}', {"a": 123456789012345678901234567890}),
        (b'{\n  "a": 1e-05\n}\n', {"a": 1e-05}),
    ],
)
def test_what_orjson_refuses_or_writes_otherwise_goes_the_careful_way(raw, expected) -> None:
    assert store.parse_json(raw, "x") == expected


def test_nan_is_refused_on_every_path() -> None:
    with pytest.raises(DataFileError, match="NaN"):
        store.parse_json(b'{"a": NaN}', "x")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAVEMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(validation_cache.ENV, raising=False)
    return tmp_path / "cache" / "validated"


def _count_feature_checks(monkeypatch) -> list[int]:
    """Sites checked, whether by the explaining validation or by the fast proof."""
    from gravemap import validation_fast

    calls = [0]
    real = model._validate_feature
    real_fast = validation_fast._fields_agree

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    def counting_fast(features, **kwargs):
        calls[0] += len(features)
        return real_fast(features, **kwargs)

    monkeypatch.setattr(model, "_validate_feature", counting)
    monkeypatch.setattr(validation_fast, "_fields_agree", counting_fast)
    return calls


def test_a_file_validated_once_is_not_validated_again_until_a_byte_changes(
    tmp_path, cache, monkeypatch
) -> None:
    path = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}") for i in range(5)]
    path.write_text(store.dumps_collection(make_collection(*sites)), encoding="utf-8")
    calls = _count_feature_checks(monkeypatch)
    store.load_file(path)
    assert calls[0] == 5
    store.load_file(path)
    assert calls[0] == 5  # remembered
    path.write_text(path.read_text(encoding="utf-8").replace("Synthetic test site", "Changed"))
    store.load_file(path)
    assert calls[0] == 10


def test_the_record_can_be_switched_off(tmp_path, cache, monkeypatch) -> None:
    monkeypatch.setenv(validation_cache.ENV, "0")
    path = tmp_path / "sites.geojson"
    path.write_text(store.dumps_collection(make_collection(make_site())), encoding="utf-8")
    calls = _count_feature_checks(monkeypatch)
    store.load_file(path)
    store.load_file(path)
    assert calls[0] == 2
    assert not cache.exists()


def test_a_write_checks_the_changed_site_and_the_collection_rules(
    tmp_path, cache, monkeypatch
) -> None:
    path = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}") for i in range(20)]
    path.write_text(store.dumps_collection(make_collection(*sites)), encoding="utf-8")
    store.load_file(path)
    calls = _count_feature_checks(monkeypatch)
    with store.edit_collection(path) as collection:
        collection.get("ir-synthetic-07").notes = "Synthetic corrected note."
    assert calls[0] == 1
    assert "Synthetic corrected note." in path.read_text(encoding="utf-8")


def test_a_bad_change_to_one_site_of_many_is_refused_and_nothing_is_written(
    tmp_path, cache
) -> None:
    path = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}") for i in range(20)]
    path.write_text(store.dumps_collection(make_collection(*sites)), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ValidationError, match="javascript"), store.edit_collection(path) as c:
        c.get("ir-synthetic-11").sources[0].url = "javascript:alert(1)"
    assert path.read_bytes() == before


def test_an_added_site_reusing_an_id_is_refused(tmp_path, cache) -> None:
    path = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}") for i in range(3)]
    path.write_text(store.dumps_collection(make_collection(*sites)), encoding="utf-8")
    before = path.read_bytes()
    duplicate = model.Site.from_feature(make_site("ir-synthetic-01"))
    with pytest.raises(ValidationError, match="used by"), store.edit_collection(path) as c:
        c.add(duplicate)
    assert path.read_bytes() == before


def test_untouched_sites_keep_their_bytes(tmp_path, cache) -> None:
    path = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}") for i in range(4)]
    path.write_text(store.dumps_collection(make_collection(*sites)), encoding="utf-8")
    before = json.loads(path.read_text(encoding="utf-8"))
    with store.edit_collection(path) as collection:
        collection.get("ir-synthetic-02").notes = "Synthetic corrected note."
    after = json.loads(path.read_text(encoding="utf-8"))
    for i in (0, 1, 3):
        assert after["features"][i] == before["features"][i]
    assert path.read_text(encoding="utf-8") == store.dumps_collection(after)


def test_a_file_that_validate_passed_is_not_validated_again_by_the_next_read(
    tmp_path, cache, monkeypatch
) -> None:
    from click.testing import CliRunner

    from gravemap.cli import main

    path = tmp_path / "sites.geojson"
    sites = [make_site(f"ir-synthetic-{i:02d}") for i in range(3)]
    path.write_text(store.dumps_collection(make_collection(*sites)), encoding="utf-8")
    calls = _count_feature_checks(monkeypatch)
    runner = CliRunner()
    assert runner.invoke(main, ["--data", str(path), "validate"]).exit_code == 0
    assert calls[0] == 3  # validate always checks every site
    assert runner.invoke(main, ["--data", str(path), "show", "ir-synthetic-01"]).exit_code == 0
    assert calls[0] == 3


# --- large files without a second copy: parsed one Feature at a time, hashed piece by piece ---


def _sites_with(private_values: list) -> dict:
    sites = []
    for n, value in enumerate(private_values):
        site = make_site(f"ir-synthetic-{n:02d}")
        site["properties"]["private"] = {"value": value}
        sites.append(site)
    return make_collection(*sites)


@settings(max_examples=200, deadline=None)
@given(private_values=st.lists(json_values, max_size=7), per_piece=st.integers(1, 4))
def test_the_hash_made_piece_by_piece_is_the_hash_of_the_canonical_bytes(
    private_values, per_piece
) -> None:
    import hashlib

    data = _sites_with(private_values)
    data["bbox"] = [44.0, 25.0, 63.5, 39.8]  # a key sorted before "features"
    expected = store.canonical_bytes(data)
    assert store.canonical_sha256(data) == hashlib.sha256(expected).hexdigest()
    with contextlib.suppress(TypeError, ValueError):  # written in pieces only where orjson can
        assert b"".join(store._canonical_pieces(data, per_piece)) == expected


@settings(max_examples=200, deadline=None)
@given(private_values=st.lists(json_values, max_size=7))
def test_a_canonical_file_parsed_one_feature_at_a_time_is_the_whole_parse(private_values) -> None:
    raw = store.canonical_bytes(_sites_with(private_values))
    assert store._parse_by_feature(raw) == store._parse_fast(raw)


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(json_values, max_size=5),
    rest=st.dictionaries(st.text(max_size=3), json_values, max_size=3),
    indent=st.integers(0, 6),
)
def test_any_other_layout_parses_as_the_whole_file_does(items, rest, indent) -> None:
    # A file merely starting as a canonical one does (`{\n  "features": [\n`), with the cut
    # between Features at other depths or inside other values, a "features" key twice...
    text = json.dumps({"features": items, **rest}, indent=indent, ensure_ascii=False)
    for raw in (text.encode(), text.replace(" " * indent, "  ").encode()):
        assert store._parse_by_feature(raw) == store._parse_fast(raw)


def test_a_cut_that_falls_inside_a_feature_gets_the_whole_parse() -> None:
    raw = (
        b'{\n  "features": [\n    {\n      "a": [\n    {\n    },\n    {\n      ]\n    }\n  ],\n'
        b'  "type": "FeatureCollection"\n}\n'
    )
    with pytest.raises(ValueError):
        json.loads(raw)
    assert store._parse_by_feature(raw) is None
    twice = b'{\n  "features": [\n    {\n    }\n  ],\n  "features": []\n}\n'
    assert store._parse_by_feature(twice) == {"features": []}
