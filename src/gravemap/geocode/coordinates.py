"""Coordinates as researchers paste them from a map: decimal, Persian digits, or DMS.

"36.2605, 59.6168" (Google Maps, OpenStreetMap), "۳۶٫۲۶۰۵، ۵۹٫۶۱۶۸" (Persian digits, decimal
sign and comma), 36°15'37.8"N 59°37'0.5"E (degrees, minutes, seconds), "N 36° 15.63' E 59°
37.008'" (degrees and decimal minutes), "36 15 38 N 59 37 01 E" and "36:15:38N" (marks left
out), a map's link ("https://www.google.com/maps/@36.2605,59.6168,15z", "geo:36.2605,59.6168",
OpenStreetMap's "#map=15/36.2605/59.6168"). Without hemisphere letters the first number is the
latitude, as map sites copy it. One value alone (a spreadsheet's lat or lon cell) is read by
`parse_coordinate` with the same rule. Pure parsing: no gazetteer, no network.
"""

from __future__ import annotations

import re
import unicodedata

from gravemap.text import ascii_digits

__all__ = ["parse_coordinate", "parse_coordinates"]

# Degree, minute and second marks in their usual and look-alike forms (and as words).
_DEGREE = "°º˚d"
_MINUTE = "'′’‘´`m"
_SECOND = '"″”“s'
_NUMBER = r"(\d{1,3}(?:\.\d+)?)"
_HEMISPHERE = "NSEWnsewشجقغ"  # شمالی / جنوبی / شرقی / غربی as their first letters
# One coordinate: an optional hemisphere letter, degrees, optional minutes and seconds, an
# optional hemisphere letter after.
_ONE = re.compile(
    rf"^\s*([{_HEMISPHERE}])?\s*(-|\+)?{_NUMBER}\s*(?:deg|[{_DEGREE}])?\s*"
    rf"(?:{_NUMBER}\s*(?:min|[{_MINUTE}])\s*)?"
    rf"(?:{_NUMBER}\s*(?:sec|[{_SECOND}]|[{_MINUTE}]{{2}})\s*)?"
    rf"([{_HEMISPHERE}])?\s*$"
)
# One value written with spaces or colons for its marks, as a spreadsheet cell or a GPS may hold
# it: "31 19 8.4 N", "31:19:08.4N".
_SPACED_DMS = re.compile(
    r"([+-]?\d{1,3})(?:\s+|:)(\d{1,2}(?:\.\d+)?)(?:(?:\s+|:)(\d{1,2}(?:\.\d+)?))?\s*(\S)?"
)
_LETTER = {"ش": "N", "ج": "S", "ق": "E", "غ": "W"}
# Persian hemisphere words, written out: reduced to the letters above.
_PERSIAN_WORDS = (("شمالی", "ش"), ("جنوبی", "ج"), ("شرقی", "ق"), ("غربی", "غ"))


def _one(text: str) -> tuple[float, str | None] | None:
    """(signed degrees, hemisphere letter or None) of one coordinate, or None."""
    m = _ONE.match(text)
    if not m:
        return None
    before, sign, deg, minutes, seconds, after = m.groups()
    if before and after:
        return None
    letter = (before or after or "").upper()
    letter = _LETTER.get(letter, letter) or None
    if (minutes or seconds) and "." in deg:
        return None  # 36.5°15' is not a coordinate
    if minutes and seconds and "." in minutes:
        return None
    value = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    if float(minutes or 0) >= 60 or float(seconds or 0) >= 60:
        return None
    if sign == "-":
        if letter:
            return None
        value = -value
    if letter in ("S", "W"):
        value = -value
    return value, letter


def _clean(text: str) -> str:
    """ASCII digits, the Arabic decimal sign as a point, a minus sign as a hyphen."""
    return ascii_digits(unicodedata.normalize("NFKC", text)).replace("\u2212", "-").strip()


def parse_coordinate(text: str) -> tuple[float, str | None] | None:
    """(signed degrees, hemisphere letter N/S/E/W or None) of ONE latitude or longitude, or None.

    `31.3190`, `31,3190` (decimal comma), `۳۱٫۳۱۹۰`, `31°19'08.4"N`, `31 19 8.4 N`, `12.5 S`
    (negative). The same rule as each half of `parse_coordinates`; no range check, so that the
    caller can say a value is out of range or swapped rather than unreadable.
    """
    if not text or not any(c.isdigit() for c in text):
        return None
    value = _clean(text)
    if re.fullmatch(r"[+-]?\d+,\d+", value):
        value = value.replace(",", ".")  # one number alone: the comma is a decimal comma
    spaced = _SPACED_DMS.fullmatch(value)
    if spaced:
        deg, minutes, seconds, letter = spaced.groups()
        value = f"{deg}°{minutes}'" + (f'{seconds}"' if seconds else "") + (letter or "")
    for word, letter in _PERSIAN_WORDS:
        value = value.replace(word, letter)
    return _one(value)


_SPLITTERS = (
    re.compile(r"\s*[,;،؛/]\s*"),  # "36.26, 59.61", "36.26، 59.61", "36.26 / 59.61"
    re.compile(r"(?<=[NSnsشج\"″”'′])\s*(?=\S)"),  # 36°15'37.8"N 59°37'0.5"E
    re.compile(r"\s+(?=[NSEWnsew]\s*\d)"),  # N 36° 15.63' E 59° 37.008'
    re.compile(r"\s+"),  # "36.2605 59.6168"
)


# The point in a map's link: Google Maps' "@lat,lon,15z" and "?q=lat,lon", a "geo:lat,lon" URI,
# OpenStreetMap's "#map=15/lat/lon" and "?mlat=lat&mlon=lon".
_LINK = re.compile(r"^\s*(?:geo:|@)|://", re.IGNORECASE)
_LINK_POINT = re.compile(
    r"(?:@|[?&](?:q|ll|query|center|destination)=|geo:|map=\d+(?:\.\d+)?/|mlat=)"
    r"\s*([+-]?\d{1,3}\.\d+)\s*(?:,|/|%2C|&mlon=)\s*([+-]?\d{1,3}\.\d+)",
    re.IGNORECASE,
)
# Two numbers with decimal commas, as European spreadsheets write them: "36,2605 59,6168".
_DECIMAL_COMMAS = re.compile(r"([+-]?\d{1,3}),(\d+)(\s*[;\s]\s*)([+-]?\d{1,3}),(\d+)")
_LAT_WORD = re.compile(r"^(?:lat(?:itude)?\s*[:=]?\s*)", re.IGNORECASE)
_LON_WORD = re.compile(r"^(?:lon(?:g(?:itude)?)?|lng)\s*[:=]?\s*", re.IGNORECASE)


def _half(text: str) -> tuple[float, str | None] | None:
    """One half of a pair, by the rule of one value (`parse_coordinate`), less its axis word."""
    return parse_coordinate(_LON_WORD.sub("", _LAT_WORD.sub("", text.strip())))


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) of a coordinate pair written as map sites copy it, or None if `text` is not one.

    Hemisphere letters decide which number is which ("59°37'E 36°15'N" works); without them the
    latitude comes first. Values out of range, or a pair naming one axis twice, give None.
    """
    if not text or not any(c.isdigit() for c in text):
        return None
    text = _clean(text).strip("()[]")
    if _LINK.search(text):
        link = _LINK_POINT.search(text)
        if link is None:
            return None
        text = f"{link.group(1)}, {link.group(2)}"
    decimal_commas = _DECIMAL_COMMAS.fullmatch(text)
    if decimal_commas:
        a, b, gap, c, d = decimal_commas.groups()
        text = f"{a}.{b}, {c}.{d}"
    if re.fullmatch(r"[\d\s,;،؛/+-]*", text):
        return None  # "12, 34": whole numbers alone are not read as a place on a map
    for word, letter in _PERSIAN_WORDS:
        text = text.replace(word, letter)
    for splitter in _SPLITTERS:
        # Every place the splitter matches, in turn: "36° 15' 38" N 59° 37' 01" E" is cut
        # after the N, not after the first minute mark.
        for cut in splitter.finditer(text):
            parts = [text[: cut.start()], text[cut.end() :]]
            if not all(p.strip() for p in parts):
                continue
            first, second = _half(parts[0]), _half(parts[1])
            if first is not None and second is not None:
                break
        else:
            continue
        (a, la), (b, lb) = first, second
        axes = {"N": "lat", "S": "lat", "E": "lon", "W": "lon", None: None}
        if axes[la] == "lon" or axes[lb] == "lat":
            if axes[la] == "lat" or axes[lb] == "lon":
                return None  # both on one axis
            a, b = b, a
        if not (-90 <= a <= 90 and -180 <= b <= 180):
            return None
        return a, b
    return None
