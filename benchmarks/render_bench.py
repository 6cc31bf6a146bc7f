"""How fast does `gravemap render` build and open, against folium's own ways of mapping sites?

Two comparisons, printed with their ratios in the same run:

1. `gravemap render` against folium's FastMarkerCluster on the same data file (issue 15), at
   100,000 sites by default: each run is a fresh process, as a user meets it, timed from start
   to exit (wall time; its CPU time too, which other work on the machine disturbs less) with
   its peak resident memory (`ru_maxrss` of that child, from `os.wait4`). The
   FastMarkerCluster baseline (`fmc_map`) is what a folium user writes: `json.load` the
   GeoJSON, build `[lat, lon, name]` rows, `FastMarkerCluster(rows, callback=...)` on a
   `folium.Map`, `m.save(...)`. The file is obviously synthetic (two sources and two status
   entries per site, as `cli_bench.py` writes it). One untimed run of each comes first, so the
   OS file cache and gravemap's validation cache (in a folder of the benchmark's own) are warm:
   a returning user, whose file was validated before. Runs then alternate (gravemap,
   FastMarkerCluster, ...).
2. The page's load time in the browser, against the naive map: what folium's tutorials show,
   one `folium.Marker` with a `folium.Popup` per site. Both are built from the same synthetic
   sites in this process, then opened in headless Debian Chromium from a file:// URL. The
   naive page's CDN files are served from the local XStatic copies by Playwright routing
   (jQuery, without XStatic-jQuery, by a stand-in for the two calls folium makes; anything
   else it asks for is served empty), so no request leaves the machine.

    python benchmarks/render_bench.py [--sizes 5000 100000] [--naive-sizes 5000] [--runs 3]
        [--fmc-sizes 100000] [--fmc-runs 3] [--fmc-file FILE]

`--sizes --naive-sizes` (both empty) runs the first comparison only, `--fmc-sizes` (empty) the
second only.

Both maps are timed the same way (printed as METHOD below): a fresh browser context per run,
clocks read inside the page from navigation start, median of `--runs` runs. The naive map at
20,000 sites takes minutes to open; add it with --naive-sizes 5000 20000. Prints one table and,
last, one JSON line with every number and the ratios.
"""

from __future__ import annotations

import argparse
import html
import importlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SHA = "0" * 64
TIMEOUT_MS = 900_000

METHOD = (
    "load = median over {runs} runs, each in a fresh browser context (new renderer process, "
    "empty cache), of the time from navigation start (performance.timeOrigin) until the page is "
    "usable: for the naive map, the load event has fired and all N marker icons are in the DOM "
    "(its inline script creates them, with their popups, before load); for gravemap, the load "
    "event has fired and window.gravemapReady is true (every site on the map, as a marker or "
    "counted in a cluster, the first part of the list shown). The same probe, injected before "
    "the page's own scripts, checks both: at the load event, then every 4 ms. painted = the "
    "first animation frame after that (the browser has laid out and drawn the page). ready = "
    "the brief's looser reading: naive as load; gravemap when it sets gravemapReady (read from "
    "window.gravemapTimings), which can come before the load event. render = "
    "median over {runs} runs of building the HTML string in Python. At a size where both maps "
    "are measured their runs alternate (naive, gravemap, naive, ...), with a 1 s pause after "
    "each, so a machine busy with other work slows both alike."
)

FMC_METHOD = (
    "each of `gravemap render` and the FastMarkerCluster baseline (fmc_map) runs as a fresh "
    "process on the same file: one untimed run of each first (warm OS file cache; gravemap's "
    "validation cache, in a folder of the benchmark's own, then holds the file, as for a "
    "returning user), then {runs} runs of each, alternating; time = wall time from start to "
    "exit, CPU = its user + system time, peak = its ru_maxrss (os.wait4); medians."
)

# Injected into both pages before their own scripts; `READY` is replaced per map.
PROBE = """
(() => {
  const bench = (window.__bench = {});
  const ready = () => READY;
  const check = () => {
    if (ready()) {
      bench.ready = performance.now();
      requestAnimationFrame(() => { bench.painted = performance.now(); });
    } else {
      setTimeout(check, 4);
    }
  };
  window.addEventListener("load", () => { bench.load = performance.now(); check(); });
})();
"""
READY = {
    "naive": "document.querySelectorAll('img.leaflet-marker-icon').length >= {n}",
    "gravemap": "window.gravemapReady === true",
}


def naive_map(collection: dict[str, Any]) -> str:
    """The baseline: one folium Marker and Popup per site (escaped, as it must be)."""
    import folium

    fmap = folium.Map(location=[32.4, 53.7], zoom_start=5, tiles=None)
    for feature in collection["features"]:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        sources = "".join(
            f'<li><a href="{html.escape(s["url"])}">{html.escape(s["title"])}</a> '
            f"{html.escape(s['publisher'])}</li>"
            for s in p["sources"]
        )
        body = (
            f"<b>{html.escape(p['name'])}</b> {html.escape(p.get('name_fa', ''))}<br>"
            f"{html.escape(p.get('city', ''))}, {html.escape(p.get('province', ''))}<br>"
            f"{html.escape(p['status'])}<ul>{sources}</ul>"
        )
        folium.Marker([lat, lon], popup=folium.Popup(body, max_width=300)).add_to(fmap)
    return fmap.get_root().render()


# The row callback FastMarkerCluster calls in the page: a marker whose popup shows the name.
FMC_CALLBACK = "function (row) { return L.marker([row[0], row[1]]).bindPopup(row[2]); }"


def fmc_map(path: str | Path, out: str | Path) -> int:
    """The FastMarkerCluster baseline, as a folium user writes it: the file read with
    `json.load`, one `[lat, lon, name]` row per site (the name escaped, as it must be), one
    FastMarkerCluster on a `folium.Map`, saved. Returns the number of rows."""
    import folium
    from folium.plugins import FastMarkerCluster

    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    rows = []
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append([lat, lon, html.escape(feature["properties"]["name"])])
    fmap = folium.Map(location=[32.4, 53.7], zoom_start=5)
    FastMarkerCluster(rows, callback=FMC_CALLBACK).add_to(fmap)
    fmap.save(str(out))
    return len(rows)


class Run(NamedTuple):
    """One fresh process: wall and CPU (user + system) seconds, peak RSS (MB), its stdout."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    stdout: str


def timed_child(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """One fresh process running `argv` (with `env` added to this one's), which must succeed.
    The gravemap it runs is this checkout's (`src` first on PYTHONPATH).

    Linux counts the parent's high-water mark in a child's `ru_maxrss` (the memory it was
    forked from is measured when it execs), so this process must stay small until the
    comparison is done: only children write and read the data file (`--write-sites`).
    """
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, **(env or {}), "PYTHONPATH": path}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {err.read().decode(errors='replace')}")
        cpu = usage.ru_utime + usage.ru_stime
        return Run(seconds, cpu, usage.ru_maxrss / 1024, out.read().decode())  # Linux: kB


def own_peak_mb() -> float:
    """The high-water mark of this process's own memory (VmHWM, MB): what a child it starts
    is measured from. (Its `ru_maxrss` would include its own parent's.)"""
    with open("/proc/self/status", encoding="ascii") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmHWM"].split()[0]) / 1024


def write_realistic(n: int, path: str | Path) -> None:
    """`n` obviously synthetic sites, two sources and two status entries each (as cli_bench.py
    writes them). Run in a child (`--write-sites`), so that this process stays small."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from cli_bench import realistic

    from gravemap.store import dumps_collection

    from synthetic import synthetic_collection

    Path(path).write_text(dumps_collection(realistic(synthetic_collection(n))), encoding="utf-8")


def compare_fmc(n: int | None, runs: int, tmp: Path, data: Path | None = None) -> dict[str, Any]:
    """`gravemap render` and the FastMarkerCluster baseline on one file (`data`, or `n` new
    synthetic sites), each as `runs` fresh processes, alternating, after one untimed run of
    each: medians and the ratios gravemap / FastMarkerCluster."""
    me = str(Path(__file__).resolve())
    if data is None:
        data = tmp / f"sites-{n}.geojson"
        timed_child([sys.executable, me, "--write-sites", str(n), str(data)])
    pages = {kind: tmp / f"{kind}.html" for kind in ("gravemap", "fmc")}
    commands = {
        "gravemap": [
            sys.executable, "-m", "gravemap", "--data", str(data), "render",
            "-o", str(pages["gravemap"]),
        ],
        "fmc": [sys.executable, me, "--fmc-child", str(data), str(pages["fmc"])],
    }  # fmt: skip
    # gravemap's caches in a folder of their own: others' test runs on the machine share the
    # default one, and their files would push this one's validation record out.
    env = {"GRAVEMAP_CACHE_DIR": str(tmp / "cache")}
    # Warm: the OS file cache, and gravemap's validation cache (a returning user).
    timed_child(commands["gravemap"], env)
    sites = int(timed_child(commands["fmc"], env).stdout)  # the baseline prints its row count
    measured: dict[str, list[Run]] = {kind: [] for kind in commands}
    for _ in range(runs):
        for kind, argv in commands.items():
            measured[kind].append(timed_child(argv, env))
    out: dict[str, Any] = {
        "sites": sites,
        "file_mb": round(data.stat().st_size / 1e6, 1),
        "bench_process_peak_mb": round(own_peak_mb(), 1),
    }
    for kind, runs_of_kind in measured.items():
        out[kind] = {
            "s": round(statistics.median(r.seconds for r in runs_of_kind), 3),
            "cpu_s": round(statistics.median(r.cpu_seconds for r in runs_of_kind), 3),
            "peak_mb": round(statistics.median(r.peak_mb for r in runs_of_kind), 1),
            "runs_s": [round(r.seconds, 3) for r in runs_of_kind],
            "runs_cpu_s": [round(r.cpu_seconds, 3) for r in runs_of_kind],
            "runs_peak_mb": [round(r.peak_mb, 1) for r in runs_of_kind],
            "page_mb": round(pages[kind].stat().st_size / 1e6, 2),
        }
    out["ratio"] = {
        key: round(out["gravemap"][key] / out["fmc"][key], 3) for key in ("s", "cpu_s", "peak_mb")
    }
    return out


# What folium's pages ask of jQuery (`$(html)[0]` for each popup's content, `$(document).ready`),
# served when XStatic-jQuery is not installed: without it every naive popup throws, and the
# naive map never shows its markers. Lighter than jQuery itself, so the naive map is not slowed.
JQUERY_STAND_IN = b"""window.jQuery = window.$ = function (arg) {
  if (typeof arg === "string") {
    var template = document.createElement("template");
    template.innerHTML = arg.trim();
    return Array.prototype.slice.call(template.content.children);
  }
  return {ready: function (done) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", done);
    else done();
  }};
};
"""


def local_asset(url: str) -> tuple[bytes, str] | None:
    """The local copy of a CDN file the naive page asks for, or None (served empty)."""
    name = url.rsplit("/", 1)[-1]
    table = {
        "leaflet.js": ("leaflet", "leaflet.js", "application/javascript"),
        "leaflet.css": ("leaflet", "leaflet.css", "text/css"),
        "jquery-3.7.1.min.js": ("jquery", "jquery.min.js", "application/javascript"),
        "marker-icon.png": ("leaflet", "images/marker-icon.png", "image/png"),
        "marker-shadow.png": ("leaflet", "images/marker-shadow.png", "image/png"),
    }
    if name not in table:
        return None
    package, path, kind = table[name]
    try:
        base = Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)
    except ModuleNotFoundError:
        return (JQUERY_STAND_IN, kind) if package == "jquery" else None
    return (base / path).read_bytes(), kind


def load_once(browser: Any, path: Path, kind: str, n: int) -> dict[str, float]:
    """One timed opening of `path` in a fresh context: seconds from navigation start."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script(PROBE.replace("READY", READY[kind].format(n=n)))

        def route(route: Any) -> None:
            asset = local_asset(route.request.url)
            if asset is None:
                route.fulfill(status=200, body=b"", content_type="text/plain")
            else:
                route.fulfill(status=200, body=asset[0], content_type=asset[1])

        page.route(re.compile(r"^https?://"), route)  # file:// loads are not intercepted
        page.goto(path.as_uri(), wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => window.__bench && window.__bench.painted !== undefined",
            timeout=TIMEOUT_MS,
            polling=100,
        )
        bench = page.evaluate("() => window.__bench")
        # gravemap draws its offline basemap just after the load event: wait for it too.
        page.wait_for_function(
            "() => !window.gravemapTimings || window.gravemapTimings.basemap", timeout=TIMEOUT_MS
        )
        timings = page.evaluate("() => window.gravemapTimings || null")
        if kind == "naive":  # the probe's count, checked once more
            icons = page.evaluate(
                "() => document.querySelectorAll('img.leaflet-marker-icon').length"
            )
            assert icons == n, f"naive map shows {icons} of {n} markers"
    finally:
        context.close()
    out = {
        "load_s": bench["ready"] / 1000,
        "ready_s": (timings["ready"] if timings else bench["ready"]) / 1000,
        "painted_s": bench["painted"] / 1000,
        "load_event_s": bench["load"] / 1000,
    }
    if timings:
        out.update({f"js_{k}_s": v / 1000 for k, v in timings.items()})
    return out


def build(kind: str, n: int, tmp: Path, runs: int) -> tuple[Path, float]:
    """Write the `kind` map of `n` synthetic sites; returns its path and median render time."""
    from gravemap.render import render_map

    from synthetic import synthetic_collection

    data = synthetic_collection(n)
    render_times = []
    for _ in range(runs):
        start = time.perf_counter()
        if kind == "naive":
            page = naive_map(data)
        else:
            page = render_map(data, data_sha256=SHA, tiles="none")
        render_times.append(time.perf_counter() - start)
    path = tmp / f"{kind}-{n}.html"
    path.write_text(page, encoding="utf-8")
    return path, statistics.median(render_times)


def summary(path: Path, render_s: float, loads: list[dict[str, float]]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "render_s": round(render_s, 3),
        "load_s": round(statistics.median(r["load_s"] for r in loads), 3),
        "load_runs_s": [round(r["load_s"], 3) for r in loads],
        "mb": round(path.stat().st_size / 1e6, 2),
    }
    for key in sorted(loads[0]):
        if key != "load_s":
            result[key] = round(statistics.median(r[key] for r in loads), 3)
    return result


def measure(n: int, kinds: list[str], browser: Any, tmp: Path, runs: int) -> dict[str, Any]:
    """Every kind of map at `n` sites, their load runs alternating."""
    built = {kind: build(kind, n, tmp, runs) for kind in kinds}
    loads: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(runs):
        for kind in kinds:
            loads[kind].append(load_once(browser, built[kind][0], kind, n))
            time.sleep(1)  # let the closed context's renderer exit before the next run
    return {f"{kind} {n}": summary(*built[kind], loads[kind]) for kind in kinds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 100_000])
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[5000])
    parser.add_argument("--runs", type=int, default=3, help="runs per map (median; default 3)")
    parser.add_argument(
        "--fmc-sizes", type=int, nargs="*", default=[100_000], help="sizes for FastMarkerCluster"
    )
    parser.add_argument("--fmc-runs", type=int, default=3, help="runs of each (median; default 3)")
    parser.add_argument(
        "--fmc-file", type=Path, help="compare on this data file (its size) instead of a new one"
    )
    parser.add_argument("--fmc-child", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--write-sites", nargs=2, metavar=("N", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fmc_child:  # one timed FastMarkerCluster process (see compare_fmc)
        print(fmc_map(*args.fmc_child))
        return
    if args.write_sites:
        write_realistic(int(args.write_sites[0]), args.write_sites[1])
        return

    fmc: dict[str, Any] = {}
    if args.fmc_sizes:
        print("METHOD (FastMarkerCluster): " + FMC_METHOD.format(runs=args.fmc_runs), flush=True)
        for n in [None] if args.fmc_file else args.fmc_sizes:
            with tempfile.TemporaryDirectory() as tmp:
                result = compare_fmc(n, args.fmc_runs, Path(tmp), args.fmc_file)
            fmc[str(result["sites"])] = result
            g, b, r = result["gravemap"], result["fmc"], result["ratio"]
            print(
                f"{result['sites']:,} sites ({result['file_mb']} MB file): gravemap render "
                f"{g['s']:.2f} s (CPU {g['cpu_s']:.2f} s), peak {g['peak_mb']:.0f} MB; "
                f"FastMarkerCluster {b['s']:.2f} s (CPU {b['cpu_s']:.2f} s), peak "
                f"{b['peak_mb']:.0f} MB; gravemap/FastMarkerCluster: time {r['s']:.3f}, CPU "
                f"{r['cpu_s']:.3f}, peak memory {r['peak_mb']:.3f} (goal: time and peak below 1; "
                "this process's own peak, which a child's cannot be below: "
                f"{result['bench_process_peak_mb']:.0f} MB)",
                flush=True,
            )
    if not (args.sizes or args.naive_sizes):
        print(json.dumps({"fmc": fmc}, sort_keys=True))
        return

    import folium  # noqa: F401  (imports are paid once, before any timing)
    from playwright.sync_api import sync_playwright

    from gravemap.render import render_map

    from synthetic import synthetic_collection

    render_map(synthetic_collection(5), data_sha256=SHA, tiles="none")  # warm caches
    naive_map(synthetic_collection(5))
    print("METHOD: " + METHOD.format(runs=args.runs), flush=True)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in sorted(set(args.sizes) | set(args.naive_sizes)):
            kinds = ["naive"] if n in args.naive_sizes else []
            kinds += ["gravemap"] if n in args.sizes else []
            results.update(measure(n, kinds, browser, Path(tmp), args.runs))
        browser.close()

    print(
        f"{'map':<18}{'render s':>10}{'load s':>10}{'ready s':>10}{'painted s':>11}{'MB':>9}"
        "  load runs s"
    )
    for name, r in results.items():
        runs = " ".join(f"{s:.3f}" for s in r["load_runs_s"])
        print(
            f"{name:<18}{r['render_s']:>10.3f}{r['load_s']:>10.3f}{r['ready_s']:>10.3f}"
            f"{r['painted_s']:>11.3f}{r['mb']:>9.2f}  {runs}"
        )
    for name, r in results.items():
        if "js_ready_s" in r:
            print(
                f"{name}: in-page medians: script starts {r['js_start_s']:.3f} s, data parsed "
                f"{r['js_parsed_s']:.3f} s, ready {r['js_ready_s']:.3f} s, load event "
                f"{r['load_event_s']:.3f} s, basemap drawn {r.get('js_basemap_s', 0):.3f} s"
            )
    ratios = {}
    for n in args.naive_sizes:
        if f"gravemap {n}" in results:
            naive, ours = results[f"naive {n}"], results[f"gravemap {n}"]
            ratios[f"{n}"] = {
                key: round(ours[key] / naive[key], 3)
                for key in ("render_s", "load_s", "ready_s", "painted_s", "mb")
            }
            print(
                f"gravemap/naive at {n}: render {ratios[str(n)]['render_s']:.3f}, "
                f"load {ratios[str(n)]['load_s']:.3f}, ready {ratios[str(n)]['ready_s']:.3f}, "
                f"painted {ratios[str(n)]['painted_s']:.3f}, "
                f"size {ratios[str(n)]['mb']:.3f} "
                "(goal: at most 0.1 for render and load)"
            )
    print(json.dumps({"results": results, "ratios": ratios, "fmc": fmc}, sort_keys=True))


if __name__ == "__main__":
    main()
