"""The public view: what of the data file may leave the researcher's machine.

One function, `public_view`, decides it for every output (the map, exports, default listings
and the hash printed on the map): sites marked `publish: withheld` are left out, sites marked
`publish: city` are moved to the centre of the GeoNames place they are linked to, `private` and
`added.by` are dropped, and text that would state a point the view hides is refused.

The check on text (`states_point`) is a safeguard, not a guarantee: it catches a hidden point
written as numbers in common notations (decimal degrees with any decimal sign, degrees-minutes-
seconds with or without symbols or run together (ISO 6709, GPS), scientific notation, digits
of any script, percent-encoded in a URL),
even with latitude and longitude in different fields, in the site's own text (a city-level
site) or in any other published site's text (a withheld site's point pasted into a public
site's notes). Numbers nearer the point a site is published at than the hidden one are not a
leak. A point described in words ("200 m north of the gate") or as an offset from the city
centre is not caught; read what you publish.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO
from urllib.parse import unquote

from gravemap import model
from gravemap.errors import PublishError

__all__ = [
    "POINT_TOLERANCE_DEG",
    "PublishError",
    "VerifyResult",
    "geojson_bytes",
    "geojson_sha256",
    "public_view",
    "published_geojson",
    "published_sha256",
    "refuse_stated_points",
    "listed_sites",
    "states_point",
    "verify_map",
]

#: How close (in degrees, on both axes) numbers in text must come to a hidden point to state it:
#: about 2 km, so that degrees and whole minutes (35°36'N, off by up to 1/60°) are caught too.
POINT_TOLERANCE_DEG = 0.02

CityCentre = Callable[[Any, str], "tuple[float, float] | None"]


def _gazetteer_centre(geonameid: Any, country: str) -> tuple[float, float] | None:
    from gravemap.gazetteer import city_centre

    return city_centre(geonameid, country)


# ---------------------------------------------------------------------------------------------
# The view.


def public_view(
    data: dict[str, Any],
    *,
    include_private: bool = False,
    include_withheld: bool = False,
    full_locations: bool = False,
    city_centre: CityCentre | None = None,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """A new FeatureCollection holding what may leave the machine (see the module docstring).

    `data` is a stored collection (as `store` loads it). `include_private` keeps `private`,
    `added.by` and every recorded point (it implies `full_locations`); `include_withheld` keeps
    withheld sites (at their city's centre unless points are kept); `full_locations` keeps the
    recorded points of `publish: city` sites. `city_centre(geonameid, country) -> (lon, lat)`
    finds a centre (default: the offline gazetteer). With `keep`, only the stored Features it
    accepts are in the result (a listing's filter), but every hidden point is still guarded.
    Unchanged nested values are shared with `data`: treat the result as read-only.

    Raises PublishError when a site is not publishable as asked, or when published text states
    a point the view hides: the site's own (a city-level site) or another site's (a withheld
    one, say, whose coordinates were pasted into a public site's notes).
    """
    centre_of = city_centre or _gazetteer_centre
    keeps_points = full_locations or include_private
    features = []
    hidden: list[tuple[str, float, float]] = []  # (site id, lat, lon) of every hidden point
    for feature in data.get("features") or ():
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties")
        props = props if isinstance(props, dict) else {}
        site_id = str(feature.get("id"))
        publish = props.get("publish", "full")
        if publish not in model.PUBLISH_LEVELS:
            raise PublishError(
                site_id,
                "publish",
                f"has publish {publish!r}; use one of: " + ", ".join(model.PUBLISH_LEVELS),
            )
        left_out = publish == "withheld" and not include_withheld
        if _hides_point(publish, left_out, keeps_points):
            lon, lat = _true_point(feature)
            if _is_number(lat) and _is_number(lon):
                hidden.append((site_id, float(lat), float(lon)))
        if left_out or (keep is not None and not keep(feature)):
            continue
        out = dict(props)
        if not include_private:
            out.pop("private", None)
            if isinstance(out.get("added"), dict):
                out["added"] = {k: v for k, v in out["added"].items() if k != "by"}
        geometry = feature.get("geometry")
        if publish != "full" and not keeps_points:
            lon, lat = _true_point(feature)
            centre = _centre(site_id, out, centre_of)
            geometry = {"type": "Point", "coordinates": list(centre)}
            out["location"] = _centre_location(out, publish)
            _refuse_stated_point(site_id, feature.get("id"), out, lat, lon, centre)
        elif isinstance(geometry, dict):
            geometry = dict(geometry)
        features.append(
            {"type": "Feature", "id": feature.get("id"), "geometry": geometry, "properties": out}
        )
    if hidden:
        _refuse_points_of_other_sites(features, hidden)
    return {
        "type": "FeatureCollection",
        "gravemap": {"schema": model.SCHEMA_VERSION},
        "features": features,
    }


def _hides_point(publish: Any, left_out: bool, keeps_points: bool) -> bool:
    """Whether a view hides a site's recorded point (it is left out, or moved)."""
    return left_out or (publish != "full" and not keeps_points)


def refuse_stated_points(
    data: dict[str, Any], texts: dict[str, str | None], *, include_withheld: bool = False
) -> None:
    """Raise PublishError if text put on an output beside the public view (a map's title,
    named by its option in `texts`) states a point that view hides."""
    hidden = []
    for feature in data.get("features") or ():
        props = feature.get("properties") if isinstance(feature, dict) else None
        publish = props.get("publish", "full") if isinstance(props, dict) else "full"
        left_out = publish == "withheld" and not include_withheld
        if _hides_point(publish, left_out, False):
            lon, lat = _true_point(feature)
            if _is_number(lat) and _is_number(lon):
                hidden.append((str(feature.get("id")), float(lat), float(lon)))
    if not hidden:
        return
    index = _HiddenPoints(hidden)
    for field, text in texts.items():
        if not text or not index.may_be_stated_in(text):
            continue
        for other, _lat, _lon in index.stated(_candidates(text), None):
            raise PublishError(
                field,
                field,
                f"states the recorded point of site {other!r}, which is not published; "
                "remove the coordinates from it",
            )


def listed_sites(
    data: dict[str, Any],
    *,
    include_private: bool = False,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> list[model.Site]:
    """The sites `list` and `show` print: the public view, or with `include_private` every
    site as stored (private fields, withheld sites, recorded points). With `keep`, only the
    stored Features it accepts (a filter, an id) are viewed and built."""
    if include_private:
        if keep is not None:
            data = {**data, "features": [f for f in data["features"] if keep(f)]}
        return model.SiteCollection.from_geojson(data).sites
    return model.SiteCollection.from_geojson(public_view(data, keep=keep)).sites


def _true_point(feature: dict[str, Any]) -> tuple[Any, Any]:
    geometry = feature.get("geometry")
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if isinstance(coords, list) and len(coords) >= 2:
        return coords[0], coords[1]
    return None, None


def _centre(site_id: str, props: dict[str, Any], centre_of: CityCentre) -> tuple[float, float]:
    """(lon, lat) of the place a site is linked to (`location.geonameid`): the one rule."""
    location = props.get("location") if isinstance(props.get("location"), dict) else {}
    gid = location.get("geonameid")
    country = props.get("country") if isinstance(props.get("country"), str) else "IR"
    centre = centre_of(gid, country)  # None for a site linked to no place (gid None)
    if centre is not None:
        return float(centre[0]), float(centre[1])
    from gravemap.gazetteer import city_centre_fix

    reason = (
        f"its GeoNames id {gid} is not in the gazetteer"
        if gid is not None
        else "it has no location.geonameid"
    )
    level = (
        "published at city level"
        if props.get("publish") == "city"
        else "withheld (and asked for, so shown at its city centre)"
    )
    city = props.get("city") if isinstance(props.get("city"), str) else None
    fix = city_centre_fix(site_id, city)
    if props.get("publish") == "withheld":  # withholding it again is no fix
        link, sep, _withhold = fix.partition("), or withhold it")
        fix = (link + ")" if sep else fix) + ", or leave out --include-withheld"
    raise PublishError(
        site_id,
        "location.geonameid",
        f"is {level} but {reason}, so its city centre is unknown; {fix}",
    )


def _centre_location(props: dict[str, Any], publish: str) -> dict[str, Any]:
    """The location of a site moved to its city's centre; neither query nor note may carry
    the recorded point (`add --lat/--lon` without --city stores "lat, lon" as the query)."""
    location = props.get("location") if isinstance(props.get("location"), dict) else {}
    city = props.get("city") if isinstance(props.get("city"), str) and props.get("city") else None
    return {
        "precision": "province" if location.get("precision") == "province" else "city",
        "method": "gazetteer",
        "query": city or "(not exported)",
        "geonameid": location.get("geonameid"),
        "note": f"exported at the centre of {city or 'its city'} (publish: {publish}); "
        "the recorded point was not exported",
    }


def _public_texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every string in a value, in order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _public_texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _public_texts(item, f"{path}[{index}]")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _site_texts(feature_id: Any, props: dict[str, Any], *, location: bool) -> list[tuple[str, str]]:
    texts = [("id", str(feature_id))] if feature_id is not None else []
    return texts + [
        item for item in _public_texts(props, "") if location or not item[0].startswith("location")
    ]


def _stating_fields(
    texts: list[tuple[str, str]], lat: float, lon: float, shown: tuple[float, float] | None
) -> list[str]:
    """The fields whose text gives numbers for either coordinate of (lat, lon)."""
    return sorted(
        {
            path
            for path, text in texts
            if _states_axis(_candidates(text), lat, shown and shown[1])
            or _states_axis(_candidates(text), lon, shown and shown[0])
        }
    )


def _refuse_stated_point(
    site_id: str,
    feature_id: Any,
    props: dict[str, Any],
    lat: Any,
    lon: Any,
    shown: tuple[float, float],
) -> None:
    """Raise PublishError if the site's public text, all fields together, states (lat, lon),
    its recorded point, now shown at `shown` (lon, lat)."""
    if not (_is_number(lat) and _is_number(lon)):
        return
    # The location was rebuilt from the city's name (checked with `city`), so it is skipped.
    texts = _site_texts(feature_id, props, location=False)
    if not states_point((text for _path, text in texts), lat, lon, shown=shown):
        return
    fields = _stating_fields(texts, lat, lon, shown)
    listed = ", ".join(fields) or "its public text"
    publish = props.get("publish")
    raise PublishError(
        site_id,
        fields[0] if fields else "(text)",
        f"is publish {publish!r} but its public text states the recorded point ({listed}); "
        "remove the coordinates from those fields, or set publish to 'full'",
    )


class _HiddenPoints:
    """The points a view hides, indexed so that every published site's text is checked against
    all of them quickly: a cheap look at the numbers a text contains first, then the full
    reading (`_candidates`) only for texts that mention both degrees of some hidden point."""

    def __init__(self, points: list[tuple[str, float, float]]) -> None:
        self.points = points
        self.by_lat: dict[int, list[tuple[str, float, float]]] = {}
        lat_degrees: set[str] = set()
        lon_degrees: set[str] = set()
        for point in points:
            _id, lat, lon = point
            self.by_lat.setdefault(int(abs(lat) // POINT_TOLERANCE_DEG), []).append(point)
            for value, degrees in ((abs(lat), lat_degrees), (abs(lon), lon_degrees)):
                degrees.update(
                    str(int(value + d)) for d in (-POINT_TOLERANCE_DEG, POINT_TOLERANCE_DEG)
                )
        # A run of digits beginning with a hidden point's whole degrees (35, 35.61, 35612345,
        # ۳۵٫۶۱): ASCII, Persian, Arabic-Indic or full-width digits.
        self.lat_run, self.lon_run = (
            re.compile(
                "(?:^| )[0۰٠０]*(?:"
                + "|".join(
                    "".join(_DIGIT_AS[int(ch)] for ch in degree)
                    for degree in sorted(d, key=len, reverse=True)
                )
                + ")"
            )
            for d in (lat_degrees, lon_degrees)
        )

    def may_be_stated_in(self, text: str) -> bool:
        """False when `text` cannot state any hidden point (it lacks numbers starting with
        both degrees of one); True means "read it fully". Fast: C-speed string operations."""
        if "%" in text:
            for _ in range(3):
                text = unquote(text)
        if "&" in text:
            text = html.unescape(text)
        if not text.isascii():
            text = _superscript_exponents(text)
        if _EXPONENT_HINT.search(text):
            return True
        if not text.isascii():
            # Superscript, circled, mathematical digits become ASCII; digits of any other
            # script are read fully.
            text = unicodedata.normalize("NFKC", text)
            if _OTHER_DIGIT.search(text):
                return True
        runs = " ".join(_DIGIT_RUN.findall(text))  # the numbers only: a much shorter text
        return bool(self.lat_run.search(runs) and self.lon_run.search(runs))

    def stated(
        self, values: list[float], shown: tuple[float, float] | None
    ) -> list[tuple[str, float, float]]:
        """The hidden points that `values` (a text's numbers) state."""
        near: dict[str, tuple[str, float, float]] = {}
        for value in values:
            bucket = int(abs(value) // POINT_TOLERANCE_DEG)
            for b in (bucket - 1, bucket, bucket + 1):
                for point in self.by_lat.get(b, ()):
                    near.setdefault(point[0] + repr(point[1:]), point)
        return [point for point in near.values() if _states_pair(values, point[1], point[2], shown)]


def _refuse_points_of_other_sites(
    features: list[dict[str, Any]], hidden: list[tuple[str, float, float]]
) -> None:
    """Raise PublishError if a published site's text states a point the view hides of another
    site (its own hidden point is checked by `_refuse_stated_point`)."""
    index = _HiddenPoints(hidden)
    for feature in features:
        props = feature["properties"]
        site_id = str(feature.get("id"))
        blob = site_id + "\n" + json.dumps(props, ensure_ascii=False, default=str)
        if not index.may_be_stated_in(blob):
            continue
        texts = _site_texts(feature.get("id"), props, location=True)
        values: list[float] = []
        for _path, text in texts:
            values += _candidates(text)
        coords = (feature.get("geometry") or {}).get("coordinates") or []
        shown = (
            (float(coords[0]), float(coords[1]))
            if len(coords) >= 2 and _is_number(coords[0]) and _is_number(coords[1])
            else None
        )
        for other, lat, lon in index.stated(values, shown):
            if other == site_id:
                continue
            fields = _stating_fields(texts, lat, lon, shown)
            listed = ", ".join(fields) or "its public text"
            raise PublishError(
                site_id,
                fields[0] if fields else "(text)",
                f"its public text states the recorded point of site {other!r}, which is not "
                f"published ({listed}); remove the coordinates from those fields",
            )


# ---------------------------------------------------------------------------------------------
# A point stated in text.

_RUN = re.compile(r"\d+")


# The digits the quick look of `_HiddenPoints` knows (`_candidates` reads every script).
_DIGIT_AS = [f"[{d}{chr(0x6F0 + d)}{chr(0x660 + d)}{chr(0xFF10 + d)}]" for d in range(10)]
_DIGIT_RUN = re.compile("[0-9\u06f0-\u06f9\u0660-\u0669\uff10-\uff19]+")
_OTHER_DIGIT = re.compile("[^\\D0-9\u06f0-\u06f9\u0660-\u0669\uff10-\uff19]")  # any other digit
_EXPONENT_HINT = re.compile(r"\d\s?(?:[eE]\s?[+\-−]?\d|[x×*]\s?\d+\s?\^)")
# A decimal sign between two runs of digits: full stop, comma, middle dots, Arabic decimal sign.
_DECIMAL_SIGNS = frozenset(".,·٫⋅∙•‧")
_EXPONENT = re.compile(r"\s?(?:[eE]|[x×*]\s?10\s?\^)\s?([+\-−]?)(\d{1,3})")


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SUPERSCRIPT_EXPONENT = re.compile("([x×*]\\s?10)([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


def _superscript_exponents(text: str) -> str:
    """`3.56×10¹` as `3.56×10^1`: typeset scientific notation, which NFKC would make 101."""
    return _SUPERSCRIPT_EXPONENT.sub(
        lambda m: m.group(1) + "^" + m.group(2).translate(_SUPERSCRIPTS), text
    )


def _normalised(text: str) -> str:
    """Text with percent-encoding and HTML entities decoded and every digit made ASCII."""
    for _ in range(3):  # double-encoded URLs (%2541) too
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _superscript_exponents(text)
        text = unicodedata.normalize("NFKC", text)
        text = "".join(
            str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch
            for ch in text
        )
    return text


def _candidates(text: str) -> list[float]:
    """Every number the text may be read as stating, as a coordinate in degrees."""
    text = _normalised(text)
    runs = [(m.start(), m.end(), m.group()) for m in _RUN.finditer(text)]
    if not runs:
        return []
    values: list[float] = []
    # Integers, and long runs of digits read with the decimal sign left out (35612345).
    integers = [float(r[2]) for r in runs]
    values += integers
    for _start, _end, digits in runs:
        if len(digits) >= 4:
            values += [float(f"{digits[:k]}.{digits[k:]}") for k in (1, 2, 3)]
    # Decimals with any one-character decimal sign (35·612345), with an exponent (3.5e1).
    decimals: list[float] = []
    index = 0
    while index < len(runs):
        start, end, digits = runs[index]
        value, step = float(digits), 1
        if index + 1 < len(runs):
            nstart, nend, ndigits = runs[index + 1]
            if nstart - end == 1 and not text[end].isalnum() and not text[end].isspace():
                joined = float(f"{digits}.{ndigits}")
                values.append(joined)
                if text[end] in _DECIMAL_SIGNS:
                    value, end, step = joined, nend, 2
            elif nstart - end <= 3 and text[end:nstart].strip(" ") in (".", "·", "٫"):
                values.append(float(f"{digits}.{ndigits}"))  # a spaced decimal sign: 35 . 61
        exponent = _EXPONENT.match(text, end)
        if exponent and int(exponent.group(2)) <= 4:  # a coordinate needs no larger exponent
            sign = -1 if exponent.group(1) in ("-", "−") else 1
            scaled = value * 10 ** (sign * int(exponent.group(2)))
            values.append(scaled)
            value, step = scaled, step + 1
        decimals.append(value)
        index += step
    # Degrees and minutes (and seconds) run together, as ISO 6709 and GPS (NMEA) write them:
    # 3536.74 is 35 deg 36.74 min, +353644.4+0512320.5/ is 35 36 44.4, 51 23 20.5.
    # Every run is read so, with the run after a decimal sign as its fraction (not only the
    # runs the decimals above start at: `123519,3121.2593` holds 3121.2593).
    for index, (_start, end, digits) in enumerate(runs):
        if not 4 <= len(digits) <= 8:
            continue
        value = float(digits)
        if index + 1 < len(runs) and runs[index + 1][0] - end == 1 and text[end] in ".,·٫":
            value = float(f"{digits}.{runs[index + 1][2]}")
        whole = int(value)
        if 1_000 <= whole < 10_000_000:
            if whole < 100_000:  # DDMM(.mm) or DDDMM(.mm)
                degrees, minutes = divmod(value, 100)
                if minutes < 60:
                    values.append(degrees + minutes / 60)
            else:  # DDMMSS(.ss) or DDDMMSS(.ss)
                degrees, rest = divmod(value, 10_000)
                minutes, seconds = divmod(rest, 100)
                if minutes < 60 and seconds < 60:
                    values.append(degrees + minutes / 60 + seconds / 3600)
    # Degrees, minutes and seconds, with or without symbols (35 36 44.4 N, 35:36:44).
    for sequence in (integers, decimals):
        for i, degrees in enumerate(sequence):
            if degrees > 180 or degrees != int(degrees):
                continue
            if i + 1 < len(sequence) and sequence[i + 1] < 60:
                minutes = degrees + sequence[i + 1] / 60
                values.append(minutes)
                if i + 2 < len(sequence) and sequence[i + 2] < 60:
                    values.append(minutes + sequence[i + 2] / 3600)
    return values


def _states_axis(values: Iterable[float], target: float, shown: float | None = None) -> bool:
    """Whether a value lies within the tolerance of `target`, and nearer to it than to the
    coordinate the site is shown at (a text giving the published point states nothing new)."""
    target = abs(target)
    shown = None if shown is None else abs(shown)
    return any(
        abs(v - target) < POINT_TOLERANCE_DEG
        and (shown is None or abs(v - target) < abs(v - shown))
        for v in values
    )


def states_point(
    texts: Iterable[str], lat: float, lon: float, *, shown: tuple[float, float] | None = None
) -> bool:
    """Whether the texts, read together, give numbers within ~2 km of both coordinates (and,
    with `shown` (lon, lat), nearer to them than to the point the site is published at).

    A safeguard against a hidden point copied into public text, not a guarantee.
    """
    values: list[float] = []
    for text in texts:
        values += _candidates(text)
    return _states_pair(values, lat, lon, shown)


def _states_pair(
    values: list[float], lat: float, lon: float, shown: tuple[float, float] | None
) -> bool:
    """Both coordinates of (lat, lon) are among `values`, and at least one of them nearer to
    the hidden point than to the one shown (`shown`, (lon, lat)). Judged per pair, not per
    axis: a hidden point due east of its city centre shares the centre's latitude, and the
    text that gives that latitude and the hidden longitude states the point."""
    if not (_states_axis(values, lat) and _states_axis(values, lon)):
        return False
    return shown is None or (
        _states_axis(values, lat, shown[1]) or _states_axis(values, lon, shown[0])
    )


# ---------------------------------------------------------------------------------------------
# The published bytes and their hash.


def geojson_bytes(view: dict[str, Any]) -> bytes:
    """The GeoJSON export's bytes of a view: gravemap's canonical form of the sites."""
    from gravemap.store import canonical_bytes

    canonical = model.SiteCollection.from_geojson(view).to_geojson()
    return canonical_bytes(canonical)


def geojson_sha256(view: dict[str, Any]) -> str:
    """SHA-256 (hex) of `geojson_bytes(view)`, made piece by piece: the text of a large view
    (150 MB at 100,000 sites) is never one object."""
    from gravemap.store import canonical_sha256

    return canonical_sha256(model.SiteCollection.from_geojson(view).to_geojson())


def published_geojson(data: dict[str, Any], *, include_withheld: bool = False) -> bytes:
    """Exactly the bytes `gravemap export --format geojson` writes by default.

    (With `include_withheld`, those of `export --format geojson --include-withheld`.)
    """
    return geojson_bytes(public_view(data, include_withheld=include_withheld))


def published_sha256(data: dict[str, Any], *, include_withheld: bool = False) -> str:
    """SHA-256 (hex) of `published_geojson(data)`: the hash a map shows. It reveals nothing
    that the default export does not, so it cannot be used to guess a hidden point."""
    return geojson_sha256(public_view(data, include_withheld=include_withheld))


# ---------------------------------------------------------------------------------------------
# Checking a map against its data.

_PAGE_HASH = re.compile(rb'id="gm-sha"[^>]*>\s*([0-9a-f]{64})\s*<')


class VerifyResult:
    """The hash a map shows and the hashes a file's published data may have."""

    def __init__(self, page_sha256: str, file_sha256s: list[str]) -> None:
        self.page_sha256 = page_sha256
        self.file_sha256s = file_sha256s

    @property
    def matches(self) -> bool:
        return self.page_sha256 in self.file_sha256s

    @property
    def file_sha256(self) -> str:
        return self.file_sha256s[0]


_CHUNK = 1 << 20


def _page_hashes(page: bytes | BinaryIO) -> set[str]:
    """Every data hash a page shows, read in chunks (a huge file never sits in memory)."""
    if isinstance(page, (bytes, bytearray)):
        return {m.group(1).decode("ascii") for m in _PAGE_HASH.finditer(page)}
    found: set[str] = set()
    tail = b""
    while chunk := page.read(_CHUNK):
        window = tail + chunk
        found.update(m.group(1).decode("ascii") for m in _PAGE_HASH.finditer(window))
        tail = window[-4096:]  # a hash element cut by the chunk's end is found in the next
    return found


def page_sha256(page: bytes | BinaryIO, source: str = "the map") -> str:
    """The published-data hash shown on a gravemap page; PublishError if it shows none, or
    several (a page made to show one hash and be checked against another)."""
    found = _page_hashes(page)
    if not found:
        raise PublishError(
            source,
            "(page)",
            'shows no gravemap data hash (id="gm-sha"); give a map written by `gravemap render`',
        )
    if len(found) > 1:
        raise PublishError(
            source,
            "(page)",
            f"shows {len(found)} different data hashes, and a map written by `gravemap "
            "render` shows one: it was altered; ask for the map as it was rendered",
        )
    return found.pop()


def verify_map(
    page: bytes | BinaryIO, data: bytes, *, page_source: str, data_source: str
) -> VerifyResult:
    """Whether the map `page` was built from `data`: a data file or a default GeoJSON export.

    A default export's bytes are themselves the published data; a data file's published data
    is computed from it (with and without withheld sites, for a map rendered for internal
    review). Raises DataFileError/ValidationError for a file that is not gravemap data.
    """
    from gravemap.store import parse_collection

    shown = page_sha256(page, page_source)
    collection = parse_collection(data, data_source)
    hashes = [published_sha256(collection), hashlib.sha256(data).hexdigest()]
    if shown not in hashes:
        # An internal map (render --include-withheld); a withheld site linked to no city
        # cannot be on one, and then no internal map was built from this file.
        with contextlib.suppress(PublishError):
            hashes.append(published_sha256(collection, include_withheld=True))
    return VerifyResult(shown, list(dict.fromkeys(hashes)))
