"""The store: readable load errors, validated atomic locked writes, deterministic output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gravemap import model, store
from gravemap.errors import DataFileError, ValidationError

from conftest import make_collection, make_site


def test_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text('{\n  "type": "FeatureCollection",\n  "features": [,]\n}\n')
    with pytest.raises(DataFileError) as err:
        store.load_collection(path)
    assert str(err.value) == (
        f"{path}: line 3, column 16: not valid JSON (Expecting value); fix the text there, "
        "or restore the file with `git checkout`"
    )


def test_not_a_feature_collection(tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text("[1, 2]")
    with pytest.raises(ValidationError) as err:
        store.load_collection(path)
    assert [p.format() for p in err.value.problems] == [
        "-: (file): expected a GeoJSON FeatureCollection object, got a list; the file must start "
        'with {"type": "FeatureCollection", ...}'
    ]


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(DataFileError, match="does not exist; pass --data PATH"):
        store.load_collection(tmp_path / "nope.geojson")


def test_duplicate_keys_and_nan_are_refused(tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text('{"type": "FeatureCollection", "type": "x"}')
    with pytest.raises(DataFileError, match="the key 'type' appears twice"):
        store.load_collection(path)
    path.write_text('{"a": NaN}')
    with pytest.raises(DataFileError, match="NaN is not valid JSON"):
        store.load_collection(path)


def test_output_is_deterministic_sorted_indented_with_final_newline(tmp_path, site):
    path = tmp_path / "sites.geojson"
    collection = model.SiteCollection.from_geojson(make_collection(site))
    assert store.save_collection(path, collection) is True
    text = path.read_text("utf-8")
    assert (
        text
        == json.dumps(make_collection(site), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    assert store.save_collection(path, store.load_collection(path)) is False
    assert path.read_text("utf-8") == text


def test_one_edit_is_a_small_diff(data_file):
    before = data_file.read_text("utf-8").splitlines()
    with store.edit_collection(data_file) as collection:
        collection.get("ir-synthetic-02").notes = "a synthetic note"
    after = data_file.read_text("utf-8").splitlines()
    assert len(after) == len(before) + 1
    assert [line for line in after if line not in before] == [
        '        "notes": "a synthetic note",'
    ]


def test_invalid_collection_is_never_written(data_file):
    before = data_file.read_bytes()
    with pytest.raises(ValidationError), store.edit_collection(data_file) as collection:
        collection.get("ir-synthetic-01").sources[0].url = "javascript:alert(1)"
    assert data_file.read_bytes() == before


def test_exception_inside_edit_writes_nothing(data_file):
    before = data_file.read_bytes()
    with pytest.raises(RuntimeError), store.edit_collection(data_file) as collection:
        collection.remove("ir-synthetic-01")
        raise RuntimeError("boom")
    assert data_file.read_bytes() == before


def test_dry_run_writes_nothing(data_file):
    before = data_file.read_bytes()
    with store.edit_collection(data_file, dry_run=True) as collection:
        collection.remove("ir-synthetic-01")
    assert data_file.read_bytes() == before


def test_file_mode_is_kept(data_file):
    os.chmod(data_file, 0o640)
    with store.edit_collection(data_file) as collection:
        collection.get("ir-synthetic-01").notes = "x"
    assert data_file.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in data_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def _gravemap(*args: str, data: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gravemap", "--data", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sixteen_concurrent_adds_all_land(tmp_path):
    data = tmp_path / "sites.geojson"
    procs = [
        _gravemap(
            "add",
            "--name",
            f"Concurrent synthetic site {i}",
            "--city",
            "Testville",
            "--lat",
            "34",
            "--lon",
            "54",
            "--precision",
            "city",
            "--status",
            "unknown",
            "--status-date",
            "2020",
            "--source-url",
            f"https://example.org/{i}",
            "--source-title",
            "Synthetic",
            "--source-publisher",
            "Example Org",
            data=data,
        )
        for i in range(16)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 16, [err for _, err in outputs]
    ids = sorted(out.strip() for out, _ in outputs)
    assert ids == [f"ir-testville-{n:02d}" for n in range(1, 17)]
    collection = store.load_collection(data)
    assert sorted(s.name for s in collection) == sorted(
        f"Concurrent synthetic site {i}" for i in range(16)
    )


WRITER = textwrap.dedent(
    """
    import sys
    from gravemap import model, store
    sys.path.insert(0, sys.argv[2])
    from conftest import make_site
    path = sys.argv[1]
    n = 0
    while True:
        n += 1
        sites = [model.Site.from_feature(make_site(f"ir-synthetic-{i:04d}", notes="x" * (n % 97)))
                 for i in range(300)]
        store.save_collection(path, model.SiteCollection(sites))
        print(n, flush=True)
    """
)


def test_writer_killed_mid_save_leaves_a_valid_file(tmp_path):
    data = tmp_path / "sites.geojson"
    data.write_text(store.dumps_collection(make_collection(make_site())))
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    tests_dir = str(Path(__file__).parent)
    kills = 0
    for attempt in range(12):
        with subprocess.Popen(
            [sys.executable, str(script), str(data), tests_dir],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc:
            # Wait for at least one save, then kill at a moment that varies between attempts.
            assert proc.stdout.readline(), proc.stderr.read()
            time.sleep(0.013 * (attempt % 7))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        kills += 1
        store.load_collection(data)  # raises if the file is broken
    assert kills == 12
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # A killed writer may leave its temporary file behind, never a broken data file.
    assert all(name.startswith(".sites.geojson.") for name in leftovers)


# --- property-based: arbitrary input gives an error message, never an unhandled exception ---

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)


def _check_load(raw: bytes) -> None:
    try:
        data = store.parse_collection(raw, "f.geojson")
    except ValidationError as exc:
        assert exc.problems and all(
            p.format("f.geojson").startswith("f.geojson:") for p in exc.problems
        )
    except DataFileError as exc:
        assert str(exc).startswith("f.geojson: ")
    else:
        model.SiteCollection.from_geojson(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_arbitrary_bytes_load_or_give_a_message(raw):
    _check_load(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_loads_or_gives_a_message(value):
    _check_load(json.dumps(value).encode())


field_names = st.sampled_from(
    list(model.SITE_FIELDS)
    + list(model.SOURCE_FIELDS)
    + ["type", "id", "geometry", "coordinates", "properties"]
)
geojson_like = st.recursive(
    json_values,
    lambda children: (
        st.dictionaries(field_names, children, max_size=8) | st.lists(children, max_size=3)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(geojson_like, max_size=3), st.data())
def test_arbitrary_geojson_features_load_or_give_a_message(features, data):
    collection = make_collection(*features)
    _check_load(json.dumps(collection).encode())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_valid_sites_load_or_give_a_message(data):
    """Replace one field of a valid site, at any depth, with arbitrary JSON."""
    feature = make_site()
    target = feature
    while True:
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        if isinstance(target[key], (dict, list)) and target[key] and data.draw(st.booleans()):
            target = target[key]
            continue
        target[key] = data.draw(json_values)
        break
    _check_load(json.dumps(make_collection(feature)).encode())
