"""Dates as researchers enter them and as the data file stores them: the one place that reads one.

Sources on the 1988 executions date events in two calendars. Entered dates are ISO Gregorian
(`1988`, `2017-06`, `2018-08-03`) or Solar Hijri written with slashes, in Latin or Persian
digits (`1397/05/12`, `۱۳۹۷/۰۵/۱۲`, `1367/05`), a bare year from 1300 to 1499 (`1367`) being
read as Solar Hijri. They are stored Gregorian, ISO 8601, never more precisely than the source
said: a Solar Hijri day becomes one Gregorian day, a Solar Hijri month or year the exact
Gregorian span it covers, as an ISO interval (`1367/05` -> `1988-07-23/1988-08-22`). The
source's own text is kept beside the stored value. A dashed date whose year can only be Solar
Hijri (`1397-05-12`) is refused, never stored: no stored date has a year from 1300 to 1499.

An entry whose source gives no date is `undated`, never dated the day it was read.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gravemap.errors import DateError
from gravemap.text import ascii_digits, persian_digits

__all__ = [
    "DateError",
    "EnteredDate",
    "UNDATED",
    "format_date",
    "is_solar_hijri_year",
    "is_stored_date",
    "parse_date",
    "sort_key",
    "span",
    "value_problem",
]

#: The word that records an entry whose source gives no date.
UNDATED = "undated"
_UNDATED_WORDS = frozenset({"undated", "no date", "بدون تاریخ", "نامعلوم"})

GREGORIAN = "gregorian"
SOLAR_HIJRI = "solar-hijri"
NO_CALENDAR = "none"

# Years that can only be Solar Hijri in this domain (1300 SH = 1921, 1499 SH = 2120).
SOLAR_HIJRI_YEARS = range(1300, 1500)
_FIRST_YEAR = 1000

_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_STORED_PART = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_STORED_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SLASHED = re.compile(r"([0-9]{1,4})/([0-9]{1,2})(?:/([0-9]{1,4}))?")
# Marks that copy-paste from Persian text leaves around dates (LRM, RLM, ALM, ZWNJ, ZWJ, BOM).
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\ufeff]")
# Slash look-alikes: fraction slash, division slash, fullwidth solidus.
_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/", "\uff0f": "/"})

_HOW = (
    "write YYYY, YYYY-MM or YYYY-MM-DD (Gregorian), 1397/05/12 or 1367/05 (Solar Hijri), or undated"
)
_SOLAR_HINT = "write Solar Hijri dates as 1397/05/12"

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_FA = (
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)
SOLAR_MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
SOLAR_MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


@dataclass(frozen=True)
class EnteredDate:
    """A date as entered, ready to store.

    `value` is the stored ISO 8601 form (None when undated); `text` is the source's own text
    when it differs from `value` (Solar Hijri input), else None; `calendar` is `gregorian`,
    `solar-hijri` or `none`; `notice` is a sentence for the person entering it (stderr), e.g.
    how a bare year was read.
    """

    value: str | None
    text: str | None
    calendar: str
    undated: bool = False
    notice: str | None = None


# ---------------------------------------------------------------------------------------------
# Reading what a person typed.


def parse_date(text: str, *, field: str = "date", today: _dt.date | None = None) -> EnteredDate:
    """Read an entered date (ISO Gregorian, Solar Hijri with slashes, a bare SH year, `undated`).

    Raises `DateError` for a dashed date with a Solar Hijri year (`1397-05-12`), an impossible
    or future date, or text that is not a date.
    """
    if not isinstance(text, str):
        raise DateError(field, repr(text), f"expected a date as text, got {text!r}", _HOW)
    shown = " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())
    if shown.casefold() in _UNDATED_WORDS:
        return EnteredDate(None, None, NO_CALENDAR, undated=True)
    value = ascii_digits(shown).translate(_SLASHES)
    value = re.sub(r"\s*([/-])\s*", r"\1", value)
    today = today or _dt.date.today()

    def fail(message: str, fix: str = _HOW) -> DateError:
        return DateError(field, shown, message, fix)

    if m := _ISO.fullmatch(value):
        year, month, day = (int(g) if g else 0 for g in m.groups())
        if year in SOLAR_HIJRI_YEARS:
            if not m.group(2):
                return _solar(shown, year, 0, 0, field, today, bare=True)
            slashed = "/".join(g.zfill(2) for g in m.groups() if g)
            raise fail(
                f"{shown!r} has the Solar Hijri year {year} but is written like a Gregorian date",
                f"{_SOLAR_HINT} (here {slashed}), or give the Gregorian date",
            )
        if year < _FIRST_YEAR:
            raise fail(f"{shown!r} is not a date", _HOW)
        try:
            first, _last = _gregorian_span(year, month, day)
        except ValueError:
            raise fail(f"{shown!r} is not a real date", "check the month and day") from None
        if first > today:
            raise fail(f"{shown!r} is in the future", "give the date the source reports")
        stored = f"{year:04d}" + (f"-{month:02d}" if m.group(2) else "")
        stored += f"-{day:02d}" if m.group(3) else ""
        return EnteredDate(stored, None, GREGORIAN)

    if m := _SLASHED.fullmatch(value):
        a, b, c = m.groups()
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c) if c else 0
            if c is not None and len(c) > 2:
                raise fail(f"{shown!r} is not a date", _HOW)
            if year >= SOLAR_HIJRI_YEARS.stop:
                iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if c else "")
                raise fail(
                    f"{shown!r} looks Gregorian, but slashes are for Solar Hijri dates",
                    f"write Gregorian dates with hyphens ({iso})",
                )
            if year < _FIRST_YEAR:
                raise fail(f"{shown!r} is not a date", _HOW)
            return _solar(shown, year, month, day, field, today)
        if c is not None and len(c) == 4:
            raise fail(
                f"{shown!r} puts the year last",
                f"write the year first: {c}/{b.zfill(2)}/{a.zfill(2)}",
            )
    raise fail(f"{shown!r} is not a date", _HOW)


def _solar(
    shown: str,
    year: int,
    month: int,
    day: int,
    field: str,
    today: _dt.date,
    *,
    bare: bool = False,
) -> EnteredDate:
    """A Solar Hijri day, month (day 0) or year (month 0) as its Gregorian day or span."""
    try:
        first, last = _solar_span(year, month, day)
    except ValueError:
        if month and not 1 <= month <= 12:
            why = f"{shown!r} has no month {month} (Solar Hijri months are 1 to 12)"
        else:
            why = f"{shown!r} is not a real Solar Hijri date"
            if 1 <= month <= 12:
                days = _solar_month_days(year, month)
                why += f" ({SOLAR_MONTHS_EN[month - 1]} {year} has {days} days)"
        raise DateError(field, shown, why, "check the month and day") from None
    if first > today:
        raise DateError(
            field, shown, f"{shown!r} is in the future", "give the date the source reports"
        )
    value = first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
    notice = None
    if bare:
        notice = (
            f"read as Solar Hijri {year}, {MONTHS_EN[first.month - 1]} {first.year} to "
            f"{MONTHS_EN[last.month - 1]} {last.year}"
        )
    return EnteredDate(value, shown if shown != value else None, SOLAR_HIJRI, notice=notice)


def _solar_span(year: int, month: int, day: int) -> tuple[_dt.date, _dt.date]:
    import jdatetime

    if day:
        g = jdatetime.date(year, month, day).togregorian()
        return g, g
    if month:
        first = jdatetime.date(year, month, 1).togregorian()
        last = jdatetime.date(year, month, _solar_month_days(year, month)).togregorian()
        return first, last
    first = jdatetime.date(year, 1, 1).togregorian()
    return first, jdatetime.date(year + 1, 1, 1).togregorian() - _dt.timedelta(days=1)


def _solar_month_days(year: int, month: int) -> int:
    import jdatetime

    if month < 12:
        return 31 if month <= 6 else 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def _gregorian_span(year: int, month: int, day: int) -> tuple[_dt.date, _dt.date]:
    if day:
        d = _dt.date(year, month, day)
        return d, d
    if month:
        first = _dt.date(year, month, 1)
        return first, _dt.date(year + (month == 12), month % 12 + 1, 1) - _dt.timedelta(days=1)
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def _jalali(day: _dt.date) -> tuple[int, int, int]:
    import jdatetime

    # GregorianToJalali is the bare conversion (jdatetime.date also probes the locale).
    return tuple(jdatetime.GregorianToJalali(day.year, day.month, day.day).getJalaliList())


# ---------------------------------------------------------------------------------------------
# Stored values.


def span(value: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day a stored value may mean (`2017-06` -> June 1 to June 30).

    Raises `DateError` for anything that is not a stored date (see `value_problem`).
    """
    problem = _shape_problem(value)
    if problem:
        raise DateError("date", str(value), problem, _STORED_HOW)
    return _span(value)


_STORED_HOW = "write YYYY, YYYY-MM, YYYY-MM-DD or a span YYYY-MM-DD/YYYY-MM-DD"


@functools.lru_cache(maxsize=65_536)
def _span(value: str) -> tuple[_dt.date, _dt.date]:
    if "/" in value:
        a, b = value.split("/")
        return _dt.date.fromisoformat(a), _dt.date.fromisoformat(b)
    m = _STORED_PART.fullmatch(value)
    assert m is not None
    return _gregorian_span(*(int(g) if g else 0 for g in m.groups()))


def _shape_problem(value: Any) -> str | None:
    """Why `value` is not a well-formed stored date (ignoring the time of day), or None."""
    if not isinstance(value, str):
        return (
            f"expected a date as text, got {type(value).__name__ if value is not None else 'null'}"
        )
    return _text_shape_problem(value)


@functools.lru_cache(maxsize=65_536)  # a data file repeats its dates many times over
def _text_shape_problem(value: str) -> str | None:
    parts = value.split("/")
    if len(parts) > 2:
        return f"{value!r} is not an ISO 8601 date"
    if len(parts) == 2:
        if not all(_STORED_DAY.fullmatch(p) for p in parts):
            return f"{value!r} is not an ISO 8601 span of two full dates (YYYY-MM-DD/YYYY-MM-DD)"
    elif not _STORED_PART.fullmatch(value):
        return f"{value!r} is not an ISO 8601 date"
    for part in parts:
        m = _STORED_PART.fullmatch(part)
        assert m is not None
        year, month, day = (int(g) if g else 0 for g in m.groups())
        if year in SOLAR_HIJRI_YEARS:
            return (
                f"{value!r} has the year {year}, which is a Solar Hijri year stored as if "
                f"Gregorian; enter it again as {_slashed(part)} to convert it"
            )
        if year < _FIRST_YEAR:
            return f"{value!r} is not a date"
        try:
            _gregorian_span(year, month, day)
        except ValueError:
            return f"{value!r} is not a real date"
    if len(parts) == 2 and parts[0] > parts[1]:
        return f"{value!r} ends before it starts"
    return None


def _slashed(part: str) -> str:
    return part.replace("-", "/")


def value_problem(value: Any, *, today: _dt.date | None = None) -> str | None:
    """Why `value` is not a storable date, or None.

    A stored date is ISO 8601: a partial Gregorian date (`1988`, `2017-06`, `2018-08-03`) or a
    span of two full dates (`1988-07-23/1988-08-22`) whose start is not after its end; no year
    from 1300 to 1499 (a Solar Hijri year); not starting in the future.
    """
    problem = _shape_problem(value)
    if problem:
        return problem
    first, _last = _span(value)
    if first > (today or _today()):
        return f"{value!r} is in the future"
    return None


_TODAY: list[tuple[float, _dt.date]] = []


def _today() -> _dt.date:
    """Today's date, asked of the clock at most once a second (validation asks per date)."""
    now = time.monotonic()
    if not _TODAY or now - _TODAY[0][0] > 1.0:
        _TODAY[:] = [(now, _dt.date.today())]
    return _TODAY[0][1]


def is_stored_date(value: Any) -> bool:
    """True for a well-formed stored date: partial ISO or a span (the clock is not consulted)."""
    return _shape_problem(value) is None


def is_solar_hijri_year(year: int) -> bool:
    """True for a year (1300-1499) that in gravemap's sources can only be Solar Hijri."""
    return year in SOLAR_HIJRI_YEARS


def sort_key(entry: Mapping[str, Any] | Any) -> tuple[int, _dt.date]:
    """Order of a status entry (a dict or an object with `date`): undated first, then by start.

    Entries with equal keys keep their order (use a stable sort).
    """
    value = entry.get("date") if isinstance(entry, Mapping) else getattr(entry, "date", None)
    if not value or _shape_problem(value):
        return (0, _dt.date.min)
    return (1, _span(value)[0])


# ---------------------------------------------------------------------------------------------
# Showing a stored date in both calendars.


@functools.lru_cache(maxsize=65_536)
def format_date(value: str | None, text: str | None = None, lang: str = "en") -> str:
    """A stored date in Gregorian and Solar Hijri, honest about what is not known.

    `2018-08-03` reads `3 August 2018 (12 Mordad 1397 SH)`; `1988` covers parts of two Solar
    Hijri years, `1988 (1366–1367 SH)`; the span of a Solar Hijri month reads
    `Mordad 1367 SH (23 July – 22 August 1988)`. Persian puts Solar Hijri first, in Persian
    digits. None reads `undated`. `text` (the source's own wording) is kept for the record;
    the value decides what is shown. Text that is not a stored date is returned unchanged.
    """
    fa = lang == "fa"
    if value is None:
        return "بدون تاریخ" if fa else UNDATED
    if _shape_problem(value):
        return str(value)
    gmonths = MONTHS_FA if fa else MONTHS_EN
    jmonths = SOLAR_MONTHS_FA if fa else SOLAR_MONTHS_EN
    first, last = _span(value)
    (y1, m1, d1), (y2, m2, d2) = _jalali(first), _jalali(last)

    def gday(d: _dt.date) -> str:
        return f"{d.day} {gmonths[d.month - 1]} {d.year}"

    if "/" not in value:
        parts = value.split("-")
        if len(parts) == 3:
            greg, solar = gday(first), f"{d1} {jmonths[m1 - 1]} {y1}"
        elif len(parts) == 2:
            greg = f"{gmonths[first.month - 1]} {first.year}"
            solar = (
                f"{jmonths[m1 - 1]}–{jmonths[m2 - 1]} {y1}"
                if y1 == y2
                else f"{jmonths[m1 - 1]} {y1}–{jmonths[m2 - 1]} {y2}"
            )
        else:
            greg, solar = str(first.year), f"{y1}–{y2}"
    else:
        whole_months = d1 == 1 and (y2, m2, d2) == _jalali_month_end(last)
        if whole_months and (y1, m1) == (y2, m2):
            solar = f"{jmonths[m1 - 1]} {y1}"
        elif whole_months and m1 == 1 and m2 == 12 and y1 == y2:
            solar = str(y1)
        elif whole_months:
            solar = f"{jmonths[m1 - 1]} {y1}–{jmonths[m2 - 1]} {y2}"
        else:
            solar = f"{d1} {jmonths[m1 - 1]} {y1}–{d2} {jmonths[m2 - 1]} {y2}"
        if first.year == last.year:
            start = f"{first.day} {gmonths[first.month - 1]}"
            if first.month == last.month:
                start = str(first.day)
            greg = f"{start}–{gday(last)}"
        else:
            greg = f"{gday(first)}–{gday(last)}"
        if fa:
            return f"{persian_digits(solar)} ({persian_digits(greg)})"
        return f"{solar} SH ({greg})"
    if fa:
        return f"{persian_digits(solar)} ({persian_digits(greg)})"
    return f"{greg} ({solar} SH)"


def _jalali_month_end(day: _dt.date) -> tuple[int, int, int]:
    """The Solar Hijri (y, m, d) of `day` if it is the last day of its SH month, else ()."""
    y, m, d = _jalali(day)
    return (y, m, d) if d == _solar_month_days(y, m) else (0, 0, 0)
