"""How fast does `gravemap render` build and open, against the naive folium map?

The naive map is what folium's tutorials show: one `folium.Marker` with a `folium.Popup` per
site. Both are built from the same synthetic sites in this process, then opened in headless
Debian Chromium from a file:// URL. "load" runs until the page is usable: the `load` event for
the naive map (its script builds every marker before it), `window.gravemapReady` for gravemap
(markers clustered, list shown). The naive page's CDN files are served from the local XStatic
copies by Playwright routing, so no request leaves the machine.

    python benchmarks/render_bench.py [--sizes 5000 100000] [--naive-sizes 5000]

The naive map at 20,000 sites takes minutes to open; add it with --naive-sizes 5000 20000.
Prints one table and, last, one JSON line with every number and the ratios.
"""

from __future__ import annotations

import argparse
import html
import importlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
        return None
    return (base / path).read_bytes(), kind


def load_seconds(browser: Any, path: Path, ready: str | None) -> float:
    """Seconds from navigation until the page is usable (see the module docstring)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})

    def route(route: Any) -> None:
        asset = local_asset(route.request.url)
        if asset is None:
            route.fulfill(status=200, body=b"", content_type="text/plain")
        else:
            route.fulfill(status=200, body=asset[0], content_type=asset[1])

    page.route(re.compile(r"^https?://"), route)  # file:// loads are not intercepted
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load", timeout=900_000)
    if ready:
        page.wait_for_function(ready, timeout=900_000, polling=50)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def measure(kind: str, n: int, browser: Any, tmp: Path) -> dict[str, Any]:
    from gravemap.render import render_map

    from synthetic import synthetic_collection

    data = synthetic_collection(n)
    start = time.perf_counter()
    page = naive_map(data) if kind == "naive" else render_map(data, data_sha256=SHA, tiles="none")
    render_s = time.perf_counter() - start
    path = tmp / f"{kind}-{n}.html"
    path.write_text(page, encoding="utf-8")
    ready = None if kind == "naive" else "() => window.gravemapReady === true"
    load_s = load_seconds(browser, path, ready)
    return {
        "render_s": round(render_s, 3),
        "load_s": round(load_s, 3),
        "mb": round(path.stat().st_size / 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 100_000])
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[5000])
    args = parser.parse_args()

    import folium  # noqa: F401  (imports are paid once, before any timing)
    from playwright.sync_api import sync_playwright

    from gravemap.render import render_map

    from synthetic import synthetic_collection

    render_map(synthetic_collection(5), data_sha256=SHA, tiles="none")  # warm caches
    naive_map(synthetic_collection(5))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.naive_sizes:
            results[f"naive {n}"] = measure("naive", n, browser, Path(tmp))
        for n in args.sizes:
            results[f"gravemap {n}"] = measure("gravemap", n, browser, Path(tmp))
        browser.close()

    print(f"{'map':<18}{'render s':>10}{'load s':>10}{'MB':>9}")
    for name, r in results.items():
        print(f"{name:<18}{r['render_s']:>10.2f}{r['load_s']:>10.2f}{r['mb']:>9.2f}")
    ratios = {}
    for n in args.naive_sizes:
        if f"gravemap {n}" in results:
            naive, ours = results[f"naive {n}"], results[f"gravemap {n}"]
            ratios[f"{n}"] = {
                key: round(ours[key] / naive[key], 3) for key in ("render_s", "load_s", "mb")
            }
            print(
                f"gravemap/naive at {n}: render {ratios[str(n)]['render_s']:.3f}, "
                f"load {ratios[str(n)]['load_s']:.3f}, size {ratios[str(n)]['mb']:.3f} "
                "(goal: at most 0.1 for render and load)"
            )
    print(json.dumps({"results": results, "ratios": ratios}, sort_keys=True))


if __name__ == "__main__":
    main()
