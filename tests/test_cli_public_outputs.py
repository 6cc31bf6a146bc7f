"""No default output leaves the machine with a withheld site, a private value or the recorded
point of a `publish: city` site, in any format or number format (issue 9, "Done when")."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site

PRIVATE = "PRIVATE-SENTINEL-a9f1"
ADDED_BY = "ADDEDBY-SENTINEL-3c2d"
WITHHELD_NAME = "WITHHELD-SENTINEL-77e0"
WITHHELD_ID = "ir-testville-09"
NOTE = "NOTE-SENTINEL-5b6a"
TRUE_LON, TRUE_LAT = 48.712345, 31.354321  # a synthetic recorded point near Ahvaz


def spellings(value: float) -> list[bytes]:
    """The recorded coordinate as text (several precisions, decimal comma, Persian digits)
    and as the doubles a GeoPackage stores."""
    texts = [f"{value:.6f}", f"{value:.5f}", f"{value:.4f}", f"{value:.4f}".replace(".", ",")]
    texts.append(texts[2].translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")))
    out = [t.encode("utf-8") for t in texts]
    return out + [struct.pack("<d", value), struct.pack(">d", value)]


LEAKS = [
    PRIVATE.encode(),
    ADDED_BY.encode(),
    WITHHELD_NAME.encode(),
    WITHHELD_ID.encode(),
    NOTE.encode(),
    *spellings(TRUE_LON),
    *spellings(TRUE_LAT),
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    full = make_site(
        private={"contact": PRIVATE}, added={"at": "2026-01-01T00:00:00Z", "by": ADDED_BY}
    )
    city = make_site(
        "ir-ahvaz-01",
        city="Ahvaz",
        publish="city",
        location={
            "precision": "exact",
            "method": "manual",
            "query": f"{TRUE_LAT}, {TRUE_LON}",
            "geonameid": 144448,
            "note": NOTE,
        },
        private={"contact": PRIVATE},
    )
    city["geometry"]["coordinates"] = [TRUE_LON, TRUE_LAT]
    withheld = make_site(WITHHELD_ID, name=WITHHELD_NAME, publish="withheld")
    withheld["geometry"]["coordinates"] = [TRUE_LON, TRUE_LAT]
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(full, city, withheld)), encoding="utf-8")
    return path


OUTPUTS = [
    ("render", ["render", "-o", "{out}.html", "--tiles", "none"]),
    ("render-fa", ["render", "-o", "{out}.html", "--lang", "fa"]),
    ("export-geojson", ["export", "-o", "{out}.geojson"]),
    ("export-csv", ["export", "-o", "{out}.csv"]),
    ("export-kml", ["export", "-o", "{out}.kml"]),
    ("export-gpkg", ["export", "-o", "{out}.gpkg"]),
    ("list-table", ["list"]),
    ("list-json", ["list", "--format", "json"]),
    ("list-jsonl", ["list", "--format", "jsonl"]),
    ("list-csv", ["list", "--format", "csv"]),
    ("show-text", ["show", "ir-ahvaz-01"]),
    ("show-json", ["show", "ir-ahvaz-01", "--format", "json"]),
]


@pytest.mark.parametrize(("name", "args"), OUTPUTS, ids=[name for name, _ in OUTPUTS])
def test_no_default_output_leaks(runner, data, tmp_path, name, args):
    out = tmp_path / "out"
    argv = [a.replace("{out}", str(out)) for a in args]
    result = runner.invoke(main, ["--data", str(data), *argv])
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.iterdir() if p.name.startswith("out")]
    payload = result.stdout_bytes + b"".join(p.read_bytes() for p in written)
    assert b"ir-ahvaz-01" in payload  # the output is not simply empty
    for leak in LEAKS:
        assert leak not in payload, (name, leak)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "gpkg"])
def test_export_refuses_text_that_states_a_city_site_s_point(runner, data, tmp_path, fmt):
    """Finding 5: export skipped the coordinate-in-text check that render made."""
    stored = json.loads(data.read_text(encoding="utf-8"))
    stored["features"][1]["properties"]["notes"] = "Trench at 31 21 15.6 N"
    stored["features"][1]["properties"]["sources"][0]["title"] = "Report (48°42'44\"E)"
    data.write_text(dumps_collection(stored), encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(main, ["--data", str(data), "export", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: ir-ahvaz-01: is publish 'city' but its public text states the recorded point "
        "(notes, sources[0].title); remove the coordinates from those fields, or set publish "
        "to 'full'\n"
    )
    assert not out.exists()
