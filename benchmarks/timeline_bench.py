"""How smooth is the map's "as of" control with thousands of sites?

Renders synthetic maps (tests/synthetic.py; dated entries 1989-2024) and opens each in headless
Debian Chromium from a file:// URL, then moves the timeline's range input month by month as a
dragging reader does, and times each step:

    python benchmarks/timeline_bench.py [--sizes 5000 100000] [--steps 120]

For each step (an `input` event on the range), `work` is the time the page spends applying it
(timeline.js waits for the next animation frame, then gravemap.setAsOf recolours the markers and
clusters drawn, the list entries shown and the open site, and replaces the fragment), measured
from the input event to the end of that frame's script, plus the style and layout it forces;
`frame` is from the input event until the frame after it has been painted (two animation frames:
the upper bound a reader sees, including the wait for the display's next frame). Three views:
the opening view (whole country, clustered), zoomed in (zoom 10 on synthetic sites, zoom 12
above 20,000 sites, so that markers are drawn) and the opening view with the list filtered by a
status (every site's status "as of" the date is then asked for, each step). The first step of
a view is reported apart (`first`): it reads the sites' histories from the page data. Also
printed: the time to build the timeline's chart and config in Python
(`gravemap.timeline.page_parts`). Prints a table and, last, one JSON line with every number.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

sys.path.insert(0, str(ROOT / "benchmarks"))
from render_bench import ARGS, CHROMIUM, SHA, TIMEOUT_MS  # noqa: E402 - one browser set-up

ZOOMED_IN = 10  # the "zoomed" view at 5,000 sites (12 above 20,000 sites, to draw markers)

# Runs in the page: moves the range `steps` times from `start`, returning per-step timings (ms).
STEPS = """async ([start, steps]) => {
  const range = document.getElementById("gm-tl-range");
  const frame = () => new Promise((done) => requestAnimationFrame(() => done(performance.now())));
  const out = [];
  for (let k = 0; k < steps; k++) {
    range.value = String(start + k);
    const t0 = performance.now();
    range.dispatchEvent(new Event("input", { bubbles: true }));
    await frame();  // timeline.js applies the step in this frame's callbacks (registered first)
    void document.body.offsetHeight;  // the style and layout the change forces
    const work = performance.now() - t0;
    const painted = await frame();
    out.push([work, painted - t0]);
  }
  return out;
}"""


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def run_view(page: Any, steps: int) -> dict[str, Any]:
    months = page.evaluate(
        "JSON.parse(document.getElementById('gm-tl-config').textContent).months.length"
    )
    start = max(0, months // 2 - steps // 2)
    timed = page.evaluate(STEPS, [start, steps + 1])
    first, rest = timed[0], timed[1:]
    return {
        "first_work_ms": round(first[0], 2),
        "work": stats([w for w, _f in rest]),
        "frame": stats([f for _w, f in rest]),
        "steps": len(rest),
    }


def measure(n: int, browser: Any, tmp: Path, steps: int) -> dict[str, Any]:
    from gravemap import timeline
    from gravemap.render import LABELS, STATUS_COLOURS, render_map

    from synthetic import synthetic_collection

    data = synthetic_collection(n)
    start = time.perf_counter()
    timeline.page_parts(data, colours=STATUS_COLOURS, names=LABELS["en"]["status_names"])
    parts_s = time.perf_counter() - start
    path = tmp / f"timeline-{n}.html"
    path.write_text(render_map(data, data_sha256=SHA, tiles="none"), encoding="utf-8")
    result: dict[str, Any] = {"page_parts_s": round(parts_s, 3)}
    for view in ("opening", "zoomed", "status filter"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            page.goto(path.as_uri(), timeout=TIMEOUT_MS)
            page.wait_for_function("() => window.gravemapReady === true", timeout=TIMEOUT_MS)
            if view == "zoomed":
                zoom = ZOOMED_IN if n <= 20_000 else ZOOMED_IN + 2  # denser: closer for markers
                page.evaluate(f"gravemap.map.setView([31.0, 54.0], {zoom}, {{animate: false}})")
                page.wait_for_timeout(500)
            elif view == "status filter":
                page.select_option("#gm-f-status", "bulldozed")
                page.wait_for_timeout(500)
            result[view] = run_view(page, steps)
            result[view]["markers_drawn"] = page.evaluate(
                "document.querySelectorAll('.gm-mk').length"
            )
        finally:
            context.close()
        time.sleep(1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 100_000])
    parser.add_argument("--steps", type=int, default=120, help="months moved per view")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.sizes:
            results[str(n)] = measure(n, browser, Path(tmp), args.steps)
        browser.close()

    print(
        f"{'sites':>7}  {'view':<14}{'markers':>8}{'first ms':>10}{'work med':>10}"
        f"{'work p95':>10}{'frame med':>11}{'frame p95':>11}{'frame max':>11}"
    )
    for n, r in results.items():
        for view in ("opening", "zoomed", "status filter"):
            v = r[view]
            print(
                f"{n:>7}  {view:<14}{v['markers_drawn']:>8}{v['first_work_ms']:>10.1f}"
                f"{v['work']['median_ms']:>10.1f}{v['work']['p95_ms']:>10.1f}"
                f"{v['frame']['median_ms']:>11.1f}{v['frame']['p95_ms']:>11.1f}"
                f"{v['frame']['max_ms']:>11.1f}"
            )
        print(f"{n:>7}  timeline.page_parts in Python: {r['page_parts_s']:.3f} s")
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
