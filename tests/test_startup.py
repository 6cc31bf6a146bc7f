"""Commands that do not render or export never import folium or geopandas (fast start)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gravemap.store import dumps_collection

from conftest import make_collection, make_site

HEAVY = ("folium", "branca", "geopandas", "pandas", "shapely", "pyogrio", "rapidfuzz")

PROBE = """
import sys
from gravemap.cli import main
try:
    main(sys.argv[1:], prog_name="gravemap")
except SystemExit:
    pass
print("MODULES " + " ".join(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["list"], ["show", "ir-synthetic-01"], ["validate"], ["add", "--help"]],
)
def test_reading_commands_do_not_import_heavy_libraries(tmp_path, args):
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(make_site())), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--data", str(data), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = proc.stderr.rsplit("MODULES ", 1)[1].split()
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []


def test_startup_benchmark_prints_ratios():
    proc = subprocess.run(
        [sys.executable, "benchmarks/startup_bench.py", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["baseline_s"] > 0
    assert set(report) == {
        "baseline_s",
        "gravemap --help",
        "gravemap list (50 sites)",
        "gravemap validate (50 sites)",
    }
