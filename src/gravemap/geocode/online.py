"""The opt-in online fallback: OpenStreetMap's Nominatim through geopy, rate-limited and cached.

Nothing here runs unless a caller asks for ``online=True``: a lookup tells the service operator
what is being looked up. At most one request a second (Nominatim's policy), failures raised rather
than swallowed, answers cached on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gravemap.gazetteer import cache_dir
from gravemap.geocode.normalise import normalize_name
from gravemap.geocode.results import Candidate, GeocodeResult, OnlineGeocodeError

_NOMINATIM_CITY_TYPES = frozenset(
    {"city", "town", "village", "hamlet", "municipality", "suburb", "quarter", "neighbourhood",
     "borough", "locality", "isolated_dwelling", "county", "district"}
)  # fmt: skip
_NOMINATIM_PROVINCE_TYPES = frozenset({"state", "province", "region"})


def user_agent() -> str:
    """The User-Agent Nominatim's policy asks for: who is asking, and why."""
    from gravemap import __version__

    return f"gravemap/{__version__} (human-rights mapping; offline by default)"


def _online_precision(raw: Mapping[str, Any]) -> str | None:
    """``city`` or ``province`` from a Nominatim result's class/type, None for anything else."""
    kind = str(raw.get("type") or "")
    klass = str(raw.get("class") or raw.get("category") or "")
    addresstype = str(raw.get("addresstype") or "")
    if addresstype in _NOMINATIM_PROVINCE_TYPES or (
        klass == "boundary" and kind == "administrative" and int(raw.get("place_rank") or 0) <= 8
    ):
        return "province"
    if kind in _NOMINATIM_PROVINCE_TYPES:
        return "province"
    if (klass == "place" and kind in _NOMINATIM_CITY_TYPES) or addresstype in (
        _NOMINATIM_CITY_TYPES
    ):
        return "city"
    if klass == "boundary" and kind == "administrative":
        return "city"
    return None


def make_online_geocoder(geocoder: Any = None) -> Callable[..., Any]:
    """A rate-limited ``geocode(query, **kw)`` callable: Nominatim unless `geocoder` is given.

    At most one request a second, and failures raised rather than swallowed (geopy's RateLimiter
    returns None on errors by default, which would read as "no such place").
    """
    from geopy.extra.rate_limiter import RateLimiter

    if geocoder is None:
        from geopy.geocoders import Nominatim

        geocoder = Nominatim(user_agent=user_agent(), timeout=10)
    function = geocoder.geocode if hasattr(geocoder, "geocode") else geocoder
    return RateLimiter(
        function,
        min_delay_seconds=1,
        max_retries=ONLINE_RETRIES,
        error_wait_seconds=ONLINE_ERROR_WAIT,
        swallow_exceptions=False,
    )


_ONLINE_CACHE = "nominatim-cache.json"
#: A failed request is retried this many times, this many seconds apart, before giving up.
ONLINE_RETRIES = 2
ONLINE_ERROR_WAIT = 5.0


def _online_cache_get(key: str) -> tuple[bool, Any]:
    import json

    try:
        with open(cache_dir() / _ONLINE_CACHE, encoding="utf-8") as f:
            data = json.load(f)
        entries = data.get("entries", {})
    except (OSError, ValueError, AttributeError):
        return False, None
    return (key in entries), entries.get(key)


def _online_cache_put(key: str, raw: Any) -> None:
    import json

    from filelock import FileLock

    from gravemap.gazetteer import atomic_write_json

    path = cache_dir() / _ONLINE_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=60):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
                data = {"entries": {}}
        except (OSError, ValueError):
            data = {"entries": {}}
        data["entries"][key] = raw
        atomic_write_json(path, data)


def _online_score(raw: Mapping[str, Any]) -> float:
    """Nominatim's importance (0-1) as a 0-100 score; 50 when it gives none."""
    try:
        return round(float(raw["importance"]) * 100, 1)
    except (KeyError, TypeError, ValueError):
        return 50.0


def _resolve_online(
    query: str, name: str, province: str | None, country: str, geocoder: Any
) -> GeocodeResult | None:
    """Ask Nominatim (or `geocoder`) for `name`; None when it knows no city or province by it."""
    text = f"{name}, {province}" if province else name
    key = f"{country}|{normalize_name(text)}"
    cached, raw = _online_cache_get(key) if geocoder is None else (False, None)
    if not cached:
        from geopy.exc import GeopyError

        lookup = make_online_geocoder(geocoder)
        try:
            location = lookup(text, exactly_one=True, country_codes=country.lower(), language="en")
        except GeopyError as exc:
            raise OnlineGeocodeError(
                f"the online lookup of {text!r} failed ({exc}); check the network or leave out "
                "--online"
            ) from exc
        raw = None
        if location is not None:
            raw = dict(getattr(location, "raw", None) or {})
            raw.setdefault("lat", location.latitude)
            raw.setdefault("lon", location.longitude)
            raw.setdefault("display_name", getattr(location, "address", None))
        _online_cache_put(key, raw)
    if not raw:
        return None
    precision = _online_precision(raw)
    if precision is None:
        return None
    from gravemap.gazetteer import country_contains

    lat, lon = float(raw["lat"]), float(raw["lon"])
    if country_contains(country, lon, lat) is False:
        return None
    display = str(raw.get("display_name") or name)
    match = Candidate(
        name=str(raw.get("name") or display.split(",")[0].strip() or name),
        name_fa=None,
        lat=lat,
        lon=lon,
        geonameid=None,
        province=None,
        country=country,
        population=None,
        score=_online_score(raw),
        precision=precision,
        how="online",
    )
    return GeocodeResult(query, match=match, method="online")
