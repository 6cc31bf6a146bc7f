"""How long does a researcher wait on a large data file, against a plain `json.load` of it?

For each size, writes an obviously synthetic file (two sources and two status entries per site,
a realistic weight), then times fresh processes, as a user meets them, and reduces each to the
median of `--repeat` runs:

- the baseline: `python -c "json.load(open(FILE))"`, the least any command that reads the
  file can cost;
- `show ID`, `list --status ...` (a filter), `validate`;
- `add`, `status`, `edit` (each on a fresh copy of the file, so every run does the same work).

Prints seconds and the ratio command / baseline. The goals (issue 15): `show` and a filtered
`list` no slower than the baseline (ratio <= 1), `add`/`status`/`edit` at most twice it
(ratio <= 2), `validate` of 100,000 sites under 2 s.

    python benchmarks/cli_bench.py [--sizes 20000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

GOALS = {"show": 1.0, "list --status": 1.0, "add": 2.0, "status": 2.0, "edit": 2.0}
VALIDATE_GOAL_S = 2.0


def realistic(collection: dict[str, Any]) -> dict[str, Any]:
    """Give every synthetic site exactly two sources and two status entries."""
    for feature in collection["features"]:
        props = feature["properties"]
        n = feature["id"].rsplit("-", 1)[1]
        if len(props["sources"]) == 1:
            props["sources"].append(
                {
                    "id": "s2",
                    "publisher": "Example Observatory",
                    "title": f"Second synthetic report {n}",
                    "url": f"https://example.net/obs/{n}",
                }
            )
        history = props["status_history"][-2:]
        if len(history) == 1:
            history.insert(0, {"status": "intact", "date": "1989", "sources": ["s1"]})
        history[-1]["sources"] = ["s1", "s2"]
        props["status_history"] = history
        props["status"] = history[-1]["status"]
        props["verification"] = "corroborated"
    return collection


def median_seconds(argv: list[str], repeat: int, fresh: Path | None, master: Path) -> float:
    """Median wall time of `argv`; with `fresh`, it is reset from `master` before each run."""
    times = []
    for _ in range(repeat):
        if fresh is not None:
            shutil.copyfile(master, fresh)
        start = time.perf_counter()
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv[2:])} failed: {proc.stderr.strip()}")
    return statistics.median(times)


def bench_size(count: int, repeat: int, tmp: Path) -> list[tuple[str, float, float]]:
    from gravemap.store import dumps_collection

    from synthetic import synthetic_collection

    master = tmp / f"master-{count}.geojson"
    master.write_text(dumps_collection(realistic(synthetic_collection(count))), encoding="utf-8")
    work = tmp / f"work-{count}.geojson"
    shutil.copyfile(master, work)
    py = sys.executable
    gm = [py, "-m", "gravemap", "--data", str(work)]
    site = f"ir-synthetic-{count // 2:05d}"
    # Warm the OS file cache and gravemap's caches, as a returning user has them.
    median_seconds([*gm, "show", site], 1, None, master)
    baseline = median_seconds(
        [py, "-c", "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))", str(work)],
        repeat,
        None,
        master,
    )
    reads = {
        "show": [*gm, "show", site],
        "list --status": [*gm, "list", "--status", "exhumed", "--format", "jsonl"],
        "validate": [*gm, "validate"],
    }
    writes = {
        "add": [
            *gm, "add", "--name", "Synthetic benchmark site", "--city", "Synthcity 99",
            "--province", "Semnan", "--lat", "33.1", "--lon", "55.2",
            "--precision", "site", "--status", "unknown", "--status-date", "2020",
            "--source-url", "https://example.org/bench", "--source-title", "Synthetic bench",
            "--source-publisher", "Example Monitor",
        ],
        "status": [*gm, "status", site, "damaged", "--date", "2024-05", "--source", "s1"],
        "edit": [*gm, "edit", site, "--notes", "Synthetic edited note."],
    }  # fmt: skip
    rows = [("json.load (baseline)", baseline, 1.0)]
    for name, argv in reads.items():
        seconds = median_seconds(argv, repeat, None, master)
        rows.append((name, seconds, seconds / baseline))
    for name, argv in writes.items():
        seconds = median_seconds(argv, repeat, work, master)
        rows.append((name, seconds, seconds / baseline))
    shutil.copyfile(master, work)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,100000", help="comma-separated site counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: dict[int, list[tuple[str, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="gravemap-cli-bench-") as tmp:
        for count in sizes:
            results[count] = bench_size(count, args.repeat, Path(tmp))
    if args.json:
        print(json.dumps({str(k): v for k, v in results.items()}, indent=2))
        return
    for count, rows in results.items():
        print(f"\n{count:,} sites (median of {args.repeat} fresh processes)")
        print(f"  {'command':<22}{'seconds':>9}{'ratio':>8}  goal")
        for name, seconds, ratio in rows:
            if name == "validate":
                goal = f"< {VALIDATE_GOAL_S:.0f} s"
                ok = seconds < VALIDATE_GOAL_S or count < 100_000
            elif name in GOALS:
                goal = f"ratio <= {GOALS[name]:.0f}"
                ok = ratio <= GOALS[name]
            else:
                goal, ok = "", True
            mark = "" if not goal else ("  met" if ok else "  NOT met")
            print(f"  {name:<22}{seconds:>9.3f}{ratio:>8.2f}  {goal}{mark}")


if __name__ == "__main__":
    main()
