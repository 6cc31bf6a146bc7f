"""How fast do commands that do not render start, against `import folium, geopandas`?

Each measurement is a fresh Python process (what a user waits for), repeated and reduced to the
median. Prints each time and the ratio command / heavy-import; the goal is a ratio under 0.5.

    python benchmarks/startup_bench.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def median_seconds(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from gravemap.store import dumps_collection

    from conftest import make_collection, make_site

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sites.geojson"
        sites = [make_site(f"ir-synthetic-{i:03d}") for i in range(50)]
        data.write_text(dumps_collection(make_collection(*sites)), encoding="utf-8")
        py = sys.executable
        # Warm the OS file cache and gravemap's own caches once, as a returning user has them.
        subprocess.run(
            [py, "-m", "gravemap", "--data", str(data), "list"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        baseline = median_seconds([py, "-c", "import folium, geopandas"], args.repeat)
        python_only = median_seconds([py, "-c", "pass"], args.repeat)
        rows = {
            "gravemap --help": [py, "-m", "gravemap", "--help"],
            "gravemap list (50 sites)": [py, "-m", "gravemap", "--data", str(data), "list"],
            "gravemap validate (50 sites)": [py, "-m", "gravemap", "--data", str(data), "validate"],
        }
        results = {name: median_seconds(argv, args.repeat) for name, argv in rows.items()}

    print(f"baseline: import folium, geopandas   {baseline:6.3f} s")
    print(f"bare python start-up                 {python_only:6.3f} s")
    report = {"baseline_s": baseline}
    for name, seconds in results.items():
        ratio = seconds / baseline
        verdict = "ok" if ratio < 0.5 else "TOO SLOW"
        print(f"{name:<36} {seconds:6.3f} s  ratio {ratio:4.2f}  ({verdict}: goal < 0.50)")
        report[name] = {"seconds": seconds, "ratio": ratio}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
