"""Reading what researchers type into spreadsheet cells: everyday status words and coordinates.

NGO spreadsheets say "paved", "built over" or "تسطیح شده" rather than gravemap's status names,
and copy coordinates from map sites as one cell ("36.2605, 59.6168"), in Persian digits, or in
degrees, minutes and seconds. These functions turn such cells into gravemap's values or say,
in one sentence, why they cannot: a word that does not say which status it means ("destroyed")
is never guessed.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass

from gravemap import model
from gravemap.text import ARABIC_MARKS, ascii_digits, fold_persian_letters

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


class CellError(ValueError):
    """A cell that cannot be read: `message` says what is wrong, `fix` how to write it."""

    def __init__(self, message: str, fix: str) -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message}; {fix}")


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

_DMS_PART = re.compile(
    r"""
    (?P<sign>[-+\u2212])?\s*
    (?P<deg>\d+(?:\.\d+)?)\s*(?:°|º|˚|d|deg|\s)\s*
    (?:(?P<min>\d+(?:\.\d+)?)\s*(?:'|′|’|m|min|\s)\s*)?
    (?:(?P<sec>\d+(?:\.\d+)?)\s*(?:"|″|”|''|s|sec)?\s*)?
    (?P<hem>[NSEW])?
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Coordinate:
    """One number read from a cell, with the hemisphere letter that came with it, if any."""

    value: float
    hemisphere: str | None = None


def _clean(text: str) -> str:
    text = ascii_digits(unicodedata.normalize("NFKC", text)).strip()
    # Persian comma and semicolon separate the two numbers; the Arabic decimal sign is a point.
    return text.replace("\u060c", ",").replace("\u061b", ";").replace("\u2212", "-")


def read_coordinate(text: str) -> Coordinate:
    """A latitude or longitude written as decimal degrees or degrees-minutes-seconds.

    `31.3190`, `31,3190` (decimal comma), `۳۱٫۳۱۹۰`, `31°19'08.4"N`, `31 19 8.4 N`, `48.67 E`.
    Raises CellError when the cell holds anything else.
    """
    value = _clean(text).strip()
    if re.fullmatch(r"[+-]?\d+,\d+", value):
        value = value.replace(",", ".")
    m = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)\s*([NSEW])?", value, re.IGNORECASE)
    if m:
        number = float(m.group(1))
        hem = m.group(2).upper() if m.group(2) else None
        return _signed(number, hem, text)
    m = _DMS_PART.fullmatch(value)
    if m and (m.group("min") or m.group("sec") or "°" in value or m.group("hem")):
        degrees = float(m.group("deg"))
        minutes = float(m.group("min") or 0)
        seconds = float(m.group("sec") or 0)
        if minutes >= 60 or seconds >= 60:
            raise CellError(f"{text!r} has minutes or seconds of 60 or more", _COORD_FIX)
        number = degrees + minutes / 60 + seconds / 3600
        if m.group("sign") in ("-", "\u2212"):
            number = -number
        hem = m.group("hem").upper() if m.group("hem") else None
        return _signed(number, hem, text)
    raise CellError(f"{text!r} is not a coordinate", _COORD_FIX)


_COORD_FIX = "write decimal degrees (31.3190) or degrees, minutes, seconds (31°19'08.4\"N)"


def _signed(number: float, hemisphere: str | None, text: str) -> Coordinate:
    if not math.isfinite(number):
        raise CellError(f"{text!r} is not a finite number", _COORD_FIX)
    if hemisphere in ("S", "W"):
        number = -abs(number)
    return Coordinate(number, hemisphere)


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
