"""Iran's provinces, its neighbours, lakes and seas as vector data shipped inside the package.

The data (``data/basemap.topo.json``, TopoJSON, built by ``scripts/build_basemap.py`` from Natural
Earth; see ``data/BASEMAP.md``) is drawn under the sites on the map, so a page opened offline
still shows where it is, and it tells ``gravemap validate`` which province a point lies in.

Everything here is pure Python (no shapely): reading commands stay fast to start. Point lookups
use an index of polygon edges by latitude band, so a test looks at a handful of edges, not at
every vertex of a province.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from gravemap.errors import BasemapError

DATA_FILE = "basemap.topo.json"
#: A point this close to its stated province (in km) is not reported as outside it: city
#: centres sit near borders, and Natural Earth's borders are generalised (then simplified).
BORDER_TOLERANCE_KM = 10.0
#: Height in degrees of the latitude bands that index the polygon edges.
BAND_DEG = 0.1
ATTRIBUTION = "Basemap: Natural Earth (public domain)"
_KM_PER_DEG = 111.195


def _read_text(name: str) -> str:
    try:
        return resources.files("gravemap").joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BasemapError(f"cannot read gravemap's {name} ({exc}); reinstall gravemap") from exc


@lru_cache(maxsize=1)
def data_text() -> str:
    """The basemap file's text, exactly as shipped (what a page inlines)."""
    return _read_text(f"data/{DATA_FILE}")


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The basemap as parsed TopoJSON (cached: treat it as read-only).

    Objects: ``provinces`` (properties ``id`` ISO 3166-2, ``a1`` GeoNames admin1 code, ``en``,
    ``fa``, ``alt`` other spellings, ``lp`` label point), ``countries`` (``id`` ISO 3166-1 alpha-2,
    ``en``, ``fa``, ``lp`` when it has room for a label), ``lakes`` (``en``, ``fa`` when named),
    ``context`` (coarse land beyond the region, no properties) and ``labels`` (points: seas and
    Iran, ``kind``, ``en``, ``fa``).
    """
    try:
        data = json.loads(data_text())
    except ValueError as exc:
        raise BasemapError(f"gravemap's basemap data is not valid JSON ({exc}); reinstall") from exc
    if data.get("type") != "Topology" or "provinces" not in data.get("objects", {}):
        raise BasemapError("gravemap's basemap data is not the expected TopoJSON; reinstall")
    return data


def page_assets() -> dict[str, str]:
    """What a page needs to draw the basemap: the data and the script, as text to inline.

    ``data`` is JSON (safe inside ``<script type="application/json">`` once ``</`` is escaped,
    which it never contains), ``script`` defines ``window.GravemapBasemap`` with
    ``addTo(map, data, {lang})``, ``attribution`` is the credit line to show.
    """
    return {
        "data": data_text(),
        "script": _read_text("static/basemap.js"),
        "attribution": ATTRIBUTION,
    }


# --------------------------------------------------------------------------- TopoJSON decoding


def _decoded_arcs(topology: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def _ring(
    arcs: list[list[tuple[float, float]]], indexes: Iterable[int]
) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)  # consecutive arcs share an end point
    return ring


def geometry_polygons(
    geometry: Mapping[str, Any], arcs: list[list[tuple[float, float]]]
) -> list[list[list[tuple[float, float]]]]:
    """A TopoJSON Polygon or MultiPolygon as a list of polygons, each a list of rings."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[_ring(arcs, r) for r in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[_ring(arcs, r) for r in poly] for poly in geometry["arcs"]]
    return []


def features(name: str, topology: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The features of one object of the basemap as GeoJSON dicts (polygons decoded)."""
    topology = topology if topology is not None else load()
    arcs = _decoded_arcs(topology)
    for geometry in topology["objects"][name]["geometries"]:
        props = dict(geometry.get("properties") or {})
        if geometry.get("type") == "Point":
            x, y = geometry["coordinates"]
            if "transform" in topology:
                (sx, sy), (tx, ty) = (
                    topology["transform"]["scale"],
                    topology["transform"]["translate"],
                )
                x, y = x * sx + tx, y * sy + ty
            yield {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [x, y]},
            }
            continue
        polygons = geometry_polygons(geometry, arcs)
        yield {
            "type": "Feature",
            "properties": props,
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[list(p) for p in ring] for ring in poly] for poly in polygons],
            },
        }


# --------------------------------------------------------------------------- provinces


@dataclass(frozen=True)
class Province:
    """One of Iran's provinces: codes, names, and its outline's edges."""

    code: str  # ISO 3166-2, e.g. IR-23
    admin1: str  # GeoNames admin1 code, e.g. 26
    name_en: str
    name_fa: str
    aliases: tuple[str, ...]
    edges: tuple[tuple[float, float, float, float], ...]


@dataclass(frozen=True, eq=False)
class _ProvinceIndex:
    provinces: tuple[Province, ...]
    lat0: float
    # band number -> {province position: edges whose latitude span meets the band}
    bands: Mapping[int, Mapping[int, tuple[tuple[float, float, float, float], ...]]]
    by_key: Mapping[str, int]


def fold_name(name: str) -> str:
    """A key for comparing province names across spellings and scripts.

    `Kordestan`, `Kurdistan Province`, `استان کردستان`, `Chaharmahal va Bakhtiari` and `Chahar
    Mahall and Bakhtiari` fold to the keys their variants share (accents, case, Arabic letter
    forms, the words province/ostan/and/va and all punctuation dropped).
    """
    from gravemap.text import fold_persian_letters

    text = unicodedata.normalize("NFKD", fold_persian_letters(str(name))).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"\w+", text)
    drop = {"province", "ostan", "ostan-e", "استان", "and", "va", "و", "e"}
    return "".join(w for w in words if w not in drop)


@lru_cache(maxsize=1)
def _index() -> _ProvinceIndex:
    topology = load()
    provinces: list[Province] = []
    for feature in features("provinces", topology):
        p = feature["properties"]
        edges = []
        for poly in feature["geometry"]["coordinates"]:
            for ring in poly:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                    edges.append((x1, y1, x2, y2))
        provinces.append(
            Province(
                code=p["id"],
                admin1=p["a1"],
                name_en=p["en"],
                name_fa=p["fa"],
                aliases=tuple(p.get("alt", ())),
                edges=tuple(edges),
            )
        )
    lat0 = min(min(e[1], e[3]) for prov in provinces for e in prov.edges)
    bands: dict[int, dict[int, list[tuple[float, float, float, float]]]] = {}
    for pos, prov in enumerate(provinces):
        for edge in prov.edges:
            lo, hi = sorted((edge[1], edge[3]))
            for band in range(int((lo - lat0) // BAND_DEG), int((hi - lat0) // BAND_DEG) + 1):
                bands.setdefault(band, {}).setdefault(pos, []).append(edge)
    by_key: dict[str, int] = {}
    from gravemap.gazetteer import IRAN_PROVINCES

    for pos, prov in enumerate(provinces):
        names = [prov.name_en, prov.name_fa, prov.code, *prov.aliases]
        names.extend(IRAN_PROVINCES.get(prov.admin1, ()))
        for name in names:
            by_key.setdefault(fold_name(name), pos)
    return _ProvinceIndex(
        provinces=tuple(provinces),
        lat0=lat0,
        bands={b: {p: tuple(e) for p, e in d.items()} for b, d in bands.items()},
        by_key=by_key,
    )


def provinces() -> tuple[Province, ...]:
    """Iran's 31 provinces as the basemap draws them."""
    return _index().provinces


def _inside(edges: Iterable[tuple[float, float, float, float]], lon: float, lat: float) -> bool:
    inside = False
    for x1, y1, x2, y2 in edges:
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _find(lon: float, lat: float) -> Province | None:
    index = _index()
    band = index.bands.get(int((lat - index.lat0) // BAND_DEG))
    if not band:
        return None
    for pos, edges in band.items():
        if _inside(edges, lon, lat):
            return index.provinces[pos]
    return None


def _contains(province: Province, lon: float, lat: float) -> bool:
    index = _index()
    band = index.bands.get(int((lat - index.lat0) // BAND_DEG), {})
    return _inside(band.get(_position(province), ()), lon, lat)


def _position(province: Province) -> int:
    """The province's place in the index (by identity: comparing provinces compares edges)."""
    return next(i for i, p in enumerate(_index().provinces) if p is province)


def _contains_all(province: Province, lons: Any, lats: Any) -> Any:
    """`_contains` for arrays of points at once: the same even-odd rule over every edge (an
    edge that does not span a point's latitude never counts, so no band is needed)."""
    import numpy as np

    inside = np.zeros(len(lons), dtype=bool)
    for x1, y1, x2, y2 in province.edges:
        if y1 == y2:
            continue  # never crosses: (y1 > lat) == (y2 > lat)
        spans = (y1 > lats) != (y2 > lats)
        inside ^= spans & (lons < x1 + (lats - y1) * (x2 - x1) / (y2 - y1))
    return inside


def province_at(lon: float, lat: float) -> tuple[str, str, str] | None:
    """(ISO 3166-2 code, English name, Persian name) of the province holding the point, or None."""
    found = _find(float(lon), float(lat))
    return None if found is None else (found.code, found.name_en, found.name_fa)


def province_named(name: str) -> Province | None:
    """The province a name refers to, in any spelling the basemap or the gazetteer knows."""
    index = _index()
    pos = index.by_key.get(fold_name(name))
    return None if pos is None else index.provinces[pos]


def distance_to_km(province: Province, lon: float, lat: float) -> float:
    """Distance in km from the point to the province's outline (also for a point inside it)."""
    kx = _KM_PER_DEG * math.cos(math.radians(lat))
    best = math.inf
    for x1, y1, x2, y2 in province.edges:
        ax, ay = (x1 - lon) * kx, (y1 - lat) * _KM_PER_DEG
        bx, by = (x2 - lon) * kx, (y2 - lat) * _KM_PER_DEG
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


# --------------------------------------------------------------------------- validate's check


@dataclass(frozen=True)
class ProvinceWarning:
    """A site whose point lies outside the province it states (beyond the border tolerance)."""

    feature_id: str
    stated: str
    found: str | None
    distance_km: float

    def format(self, source: str | None = None) -> str:
        """`FILE:ID: province: warning: ...; check ...` (one line, like validate's problems)."""
        where = f"{source}:" if source else ""
        lies = f"lies in {self.found}" if self.found else "lies in no province of Iran"
        return (
            f"{where}{self.feature_id}: province: warning: the point {lies}, "
            f"{self.distance_km:.0f} km outside the stated province {self.stated}; "
            "check the coordinates and the province"
        )


def _point(feature: Mapping[str, Any]) -> tuple[float, float] | None:
    geometry = feature.get("geometry")
    if not isinstance(geometry, Mapping) or geometry.get("type") != "Point":
        return None
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in coords[:2]):
        return None
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except OverflowError:  # an integer too large for a float: validate reports it
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def province_warnings(
    data: Any, *, tolerance_km: float = BORDER_TOLERANCE_KM
) -> list[ProvinceWarning]:
    """Sites in Iran whose point lies outside their stated province, in file order.

    A site is checked when its country is IR, it states a province the basemap or the gazetteer
    knows (by any spelling) and has a usable point: other problems are validate's errors, not
    repeated here. A point within `tolerance_km` of the stated province's outline passes.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("features"), list):
        return []
    return stated_province_warnings(_stated_points(data["features"]), tolerance_km=tolerance_km)


def _stated_points(features: list[Any]) -> Iterator[tuple[str, Any, Any, float, float]]:
    for feature in features:
        if not isinstance(feature, Mapping):
            continue
        props = feature.get("properties")
        if not isinstance(props, Mapping):
            continue
        point = _point(feature)
        if point is not None:
            site_id = str(feature.get("id") or "-")
            yield site_id, props.get("province"), props.get("country"), *point


#: From this many points stated in one province, they are tested against it all at once.
_MANY_POINTS = 256


def stated_province_warnings(
    sites: Iterable[tuple[str, Any, Any, float, float]],
    *,
    tolerance_km: float = BORDER_TOLERANCE_KM,
) -> list[ProvinceWarning]:
    """`province_warnings` of sites given as (id, stated province, country, lon, lat)."""
    columns = list(zip(*sites, strict=True)) or [(), (), (), (), ()]
    return province_warnings_of_columns(*columns, tolerance_km=tolerance_km)  # type: ignore[arg-type]


#: From this many points stated in one province, they are tested against it all at once.
_MANY_POINTS = 256


def province_warnings_of_columns(
    ids: Sequence[str],
    provinces: Sequence[Any],
    countries: Sequence[Any],
    lons: Sequence[float],
    lats: Sequence[float],
    *,
    tolerance_km: float = BORDER_TOLERANCE_KM,
) -> list[ProvinceWarning]:
    """`province_warnings` of sites given field by field (one sequence per field, in file
    order): the sites stating one province are looked at together."""
    groups: dict[tuple[Any, Any], list[int]] = {}
    for i, key in enumerate(zip(provinces, countries, strict=True)):
        members = groups.get(key)
        if members is None:
            groups[key] = [i]
        else:
            members.append(i)
    found: list[tuple[int, ProvinceWarning]] = []
    for (stated, country), members in groups.items():
        if not isinstance(stated, str) or not stated.strip():
            continue
        if not isinstance(country, str) or country.strip().upper() != "IR":
            continue
        province = province_named(stated)
        if province is None:
            continue  # no spelling of it is known: nothing to check against
        if len(members) < _MANY_POINTS:
            inside = [_contains(province, lons[i], lats[i]) for i in members]
        else:
            import numpy as np

            inside = _contains_all(
                province, np.take(np.asarray(lons), members), np.take(np.asarray(lats), members)
            ).tolist()
        memo: dict[tuple[float, float], ProvinceWarning | None] = {}
        for i, within in zip(members, inside, strict=True):
            if within:
                continue
            point = (lons[i], lats[i])
            if point not in memo:
                memo[point] = _check(ids[i], stated, *point, tolerance_km)
            warning = memo[point]
            if warning is not None:
                found.append(
                    (i, ProvinceWarning(ids[i], warning.stated, warning.found, warning.distance_km))
                )
    found.sort(key=lambda item: item[0])
    return [warning for _, warning in found]


def _check(
    site_id: str, stated: str, lon: float, lat: float, tolerance: float
) -> ProvinceWarning | None:
    province = province_named(stated)
    if province is None:
        return None
    if _contains(province, lon, lat):
        return None
    distance = distance_to_km(province, lon, lat)
    if distance <= tolerance:
        return None
    found = _find(lon, lat)
    return ProvinceWarning(site_id, province.name_en, found.name_en if found else None, distance)
