"""How long does `import` take to add rows to a large data file, and is its duplicate check linear?

Builds an obviously synthetic collection (`tests/synthetic.py`, 20 synthetic cities) and a set
of rows to add: most are new synthetic sites, one in ten is a stored site reported again under
another URL (a similar name in the same place, which `import` must name as a possible
duplicate). Then times, in this process:

- the baseline: `duplicates.similar_sites(collection, row)` for every row against every stored
  site, the check `import` made before it indexed the stored sites (rows x sites comparisons);
- `exchange.apply_import`, which indexes the stored sites by place once
  (`duplicates.SiteIndex`) and compares each row only with the sites in its place.

Prints seconds, the ratio apply_import / baseline, and checks that both name the same possible
duplicates.

The baseline grows as rows x sites: `--baseline-rows N` times it on the first N rows only and
scales it to all rows (each row's check is independent of the others).

    python benchmarks/import_bench.py [--sites 20000] [--rows 2000] [--baseline-rows 200]
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from gravemap import exchange, model  # noqa: E402
from gravemap.duplicates import similar_sites  # noqa: E402

from synthetic import synthetic_collection  # noqa: E402


def rows(count: int, stored: dict) -> list[model.Site]:
    """`count` rows: new synthetic sites, and every tenth a stored site under a new URL."""
    fresh = synthetic_collection(len(stored["features"]) + count, seed=7)["features"]
    out = []
    for i in range(count):
        if i % 10 == 0:
            feature = copy.deepcopy(stored["features"][(i * 7919) % len(stored["features"])])
            for n, source in enumerate(feature["properties"]["sources"]):
                source["url"] = f"https://example.org/again/{i:05d}/{n}"
                source.pop("archived_url", None)
        else:
            feature = copy.deepcopy(fresh[len(stored["features"]) + i])
        feature["id"] = exchange.PLACEHOLDER_ID
        out.append(model.Site.from_feature(feature))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--baseline-rows", type=int, default=None)
    args = parser.parse_args()

    stored = synthetic_collection(args.sites)
    sites = rows(args.rows, stored)

    collection = model.SiteCollection.from_geojson(copy.deepcopy(stored))
    list(collection)  # build every Site first: both timings then compare, not parse
    timed = sites[: args.baseline_rows or len(sites)]
    start = time.perf_counter()
    baseline = [[other for other, _ in similar_sites(collection, site)] for site in timed]
    base_s = (time.perf_counter() - start) * len(sites) / len(timed)

    collection = model.SiteCollection.from_geojson(copy.deepcopy(stored))
    list(collection)
    prepared = exchange.PreparedImport(source="rows", rows=len(sites))
    prepared.candidates = [exchange.Candidate(n, site) for n, site in enumerate(sites, 2)]
    start = time.perf_counter()
    result = exchange.apply_import(collection, prepared)
    import_s = time.perf_counter() - start

    # The baseline compares each row with the stored sites only; apply_import also with the
    # rows added before it. Both must name every stored site the baseline names.
    stored_ids = {f["id"] for f in stored["features"]}
    found: dict[int, list[str]] = {}
    for row, _site_id, other, _why in result.possible_duplicates:
        if other in stored_ids and row - 2 < len(timed):
            found.setdefault(row, []).append(other)
    expected = {n: ids for n, ids in enumerate(baseline, 2) if ids}
    assert found == expected, "apply_import and the baseline name different duplicates"
    print(f"{args.rows} rows into {args.sites} sites; {len(expected)} rows with duplicates")
    scaled = f" (timed on {len(timed)} rows)" if len(timed) < len(sites) else ""
    print(f"baseline (similar_sites per row, every site): {base_s:8.2f} s{scaled}")
    print(f"apply_import (sites indexed by place):        {import_s:8.2f} s")
    print(f"ratio apply_import / baseline:                {import_s / base_s:8.3f}")


if __name__ == "__main__":
    main()
