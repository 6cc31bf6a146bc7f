"""Reading what researchers type into spreadsheet cells: everyday status words and coordinates.

NGO spreadsheets say "paved", "built over" or "تسطیح شده" rather than gravemap's status names,
and copy coordinates from map sites as one cell ("36.2605, 59.6168"), in Persian digits, or in
degrees, minutes and seconds. These functions turn such cells into gravemap's values or say,
in one sentence, why they cannot: a word that does not say which status it means ("destroyed")
is never guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from gravemap import model
from gravemap.errors import CellError
from gravemap.text import ARABIC_MARKS, fold_persian_letters

#: Everyday words for each status, English and Persian, as NGO spreadsheets write them.
STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "intact": ("undisturbed", "untouched", "preserved", "سالم", "دست‌نخورده"),
    "at-risk": (
        "at risk",
        "threatened",
        "endangered",
        "under threat",
        "در خطر",
        "در معرض خطر",
        "در معرض تخریب",
        "تهدید شده",
    ),
    "damaged": (
        "partly destroyed",
        "partially destroyed",
        "vandalised",
        "vandalized",
        "desecrated",
        "آسیب دیده",
        "تخریب جزئی",
        "تخریب شده جزئی",
        "هتک حرمت شده",
    ),
    "bulldozed": (
        "levelled",
        "leveled",
        "razed",
        "flattened",
        "graded",
        "تسطیح شده",
        "تسطیح",
        "صاف شده",
        "با بولدوزر تخریب شده",
        "بولدوزر شده",
    ),
    "paved-over": (
        "paved",
        "paved over",
        "concreted",
        "concreted over",
        "covered with concrete",
        "asphalted",
        "بتن‌ریزی شده",
        "بتن‌ریزی",
        "آسفالت شده",
        "سیمان شده",
    ),
    "built-upon": (
        "built over",
        "built on",
        "built upon",
        "built up",
        "built on top",
        "construction",
        "ساخت و ساز",
        "ساختمان سازی شده",
        "ساخته شده",
        "بنا شده",
    ),
    "exhumed": ("dug up", "remains removed", "نبش قبر", "نبش قبر شده"),
    "unknown": ("unclear", "not known", "نامعلوم", "نامشخص"),
}

#: Words that do not say which status they mean: refused with this hint, never guessed.
AMBIGUOUS_STATUS_WORDS: dict[str, str] = {
    "destroyed": "bulldozed (levelled), paved-over, built-upon or damaged",
    "demolished": "bulldozed (levelled), built-upon or damaged",
    "تخریب شده": "bulldozed (تسطیح شده), paved-over (بتن‌ریزی شده), built-upon or damaged",
    "ویران شده": "bulldozed (تسطیح شده), paved-over (بتن‌ریزی شده), built-upon or damaged",
}


def status_key(text: str) -> str:
    """A status word compared loosely: case, Arabic letter forms, ZWNJ, spaces, `-`, `_`."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = fold_persian_letters(ARABIC_MARKS.sub("", text))
    return re.sub(r"[\s\u200c\u200d_\-.]+", "", text)


def _known_words() -> dict[str, str]:
    words = {status_key(s): s for s in model.STATUSES}
    for status, synonyms in STATUS_SYNONYMS.items():
        words.update({status_key(w): status for w in synonyms})
    return words


_KNOWN = _known_words()
_AMBIGUOUS = {status_key(w): hint for w, hint in AMBIGUOUS_STATUS_WORDS.items()}


def read_status(text: str) -> str:
    """gravemap's status for a cell ("Paved over", "تسطیح شده"); raises CellError otherwise."""
    key = status_key(text)
    if key in _KNOWN:
        return _KNOWN[key]
    if key in _AMBIGUOUS:
        raise CellError(
            f"{text!r} does not say how the site was destroyed",
            f"write which status the source reports: {_AMBIGUOUS[key]}",
        )
    nearest = difflib.get_close_matches(key, list(_KNOWN), n=1, cutoff=0.6)
    hint = f"did you mean {_KNOWN[nearest[0]]}? " if nearest else ""
    raise CellError(
        f"{text!r} is not a known status",
        f"{hint}use one of: {', '.join(model.STATUSES)} (or a word listed in import --help)",
    )


def synonyms_help() -> str:
    """The status words import understands, for `import --help`."""
    lines = [f"{status}: {', '.join(words)}" for status, words in STATUS_SYNONYMS.items()]
    ambiguous = ", ".join(AMBIGUOUS_STATUS_WORDS)
    return "; ".join(lines) + f". Refused as too vague (say which): {ambiguous}."


# ---------------------------------------------------------------------------------------------
# Coordinates


@dataclass(frozen=True)
class Coordinate:
    """One number read from a cell, with the hemisphere letter that came with it, if any."""

    value: float
    hemisphere: str | None = None


_COORD_FIX = "write decimal degrees (31.3190) or degrees, minutes, seconds (31°19'08.4\"N)"


def read_coordinate(text: str) -> Coordinate:
    """A latitude or longitude written as decimal degrees or degrees-minutes-seconds.

    `31.3190`, `31,3190` (decimal comma), `۳۱٫۳۱۹۰`, `31°19'08.4"N`, `31 19 8.4 N`, `48.67 E`.
    Read by the geocoder's rule for one value (`geocode.coordinates.parse_coordinate`), the
    same rule that reads each half of a pasted pair. Raises CellError when the cell holds
    anything else.
    """
    from gravemap.geocode.coordinates import parse_coordinate

    read = parse_coordinate(text)
    if read is None:
        raise CellError(f"{text!r} is not a coordinate", _COORD_FIX)
    return Coordinate(*read)


def read_coordinates(text: str) -> tuple[float, float]:
    """(lat, lon) from one cell as map sites copy it: "36.2605, 59.6168", DMS, Persian digits.

    Read by the geocoder's own parser (`geocode.coordinates`), the one rule for pasted
    coordinates: without hemisphere letters the latitude comes first. Raises CellError.
    """
    from gravemap.geocode.coordinates import parse_coordinates

    point = parse_coordinates(text)
    if point is None:
        raise CellError(
            f"{text!r} is not a pair of coordinates",
            'write "latitude, longitude" in decimal degrees, e.g. 36.2605, 59.6168',
        )
    return point


#: Rough bounds (south, west, north, east) of countries whose points can be checked for swapped
#: latitude and longitude; elsewhere only impossible latitudes are caught.
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "IR": (24.8, 43.9, 39.8, 63.4),
}


def looks_swapped(lat: float, lon: float, country: str | None) -> bool:
    """Whether (lat, lon) only makes sense the other way round."""
    if abs(lat) > 90 and abs(lon) <= 90:
        return True
    bounds = COUNTRY_BOUNDS.get((country or "").upper())
    if bounds is None:
        return False
    south, west, north, east = bounds

    def inside(y: float, x: float) -> bool:
        return south <= y <= north and west <= x <= east

    return not inside(lat, lon) and inside(lon, lat)
