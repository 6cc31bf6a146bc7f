"""gravemap.dates: dates as entered (Gregorian or Solar Hijri) and as stored (ISO 8601)."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gravemap import dates
from gravemap.dates import DateError, EnteredDate, parse_date

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "value", "calendar"),
    [
        ("1988", "1988", "gregorian"),
        ("2017-06", "2017-06", "gregorian"),
        ("2018-08-03", "2018-08-03", "gregorian"),
        ("2018-8-3", "2018-08-03", "gregorian"),
        ("۲۰۱۸-۰۸-۰۳", "2018-08-03", "gregorian"),
        ("1397/05/12", "2018-08-03", "solar-hijri"),
        ("۱۳۹۷/۰۵/۱۳", "2018-08-04", "solar-hijri"),
        ("١٣٩٧/٠٥/١٢", "2018-08-03", "solar-hijri"),
        ("1397/5/12", "2018-08-03", "solar-hijri"),
        ("\u200f1397/05/12\u200e", "2018-08-03", "solar-hijri"),
        ("1367/05", "1988-07-23/1988-08-22", "solar-hijri"),
        ("1367/12", "1989-02-20/1989-03-20", "solar-hijri"),
        ("1399/12/30", "2021-03-20", "solar-hijri"),
        ("1367", "1988-03-21/1989-03-20", "solar-hijri"),
        ("۱۳۶۷", "1988-03-21/1989-03-20", "solar-hijri"),
    ],
)
def test_entered_dates_are_stored_gregorian_and_no_more_precise_than_given(text, value, calendar):
    entered = parse_date(text, today=TODAY)
    assert entered.value == value
    assert entered.calendar == calendar
    assert entered.undated is False
    if calendar == "solar-hijri":
        assert entered.text == text.strip("\u200f\u200e")
    else:
        assert entered.text is None


def test_a_bare_solar_hijri_year_says_how_it_was_read():
    entered = parse_date("1367", today=TODAY)
    assert entered.notice == "read as Solar Hijri 1367, March 1988 to March 1989"
    assert parse_date("1367/05", today=TODAY).notice is None
    assert parse_date("1988", today=TODAY).notice is None


def test_undated_is_a_date_of_its_own():
    assert parse_date("undated") == EnteredDate(None, None, "none", True, None)
    assert parse_date(" Undated ").undated


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "1397-05-12",
            "--date: '1397-05-12' has the Solar Hijri year 1397 but is written like a Gregorian "
            "date; write Solar Hijri dates as 1397/05/12 (here 1397/05/12), or give the "
            "Gregorian date",
        ),
        (
            "1367-05",
            "--date: '1367-05' has the Solar Hijri year 1367 but is written like a Gregorian "
            "date; write Solar Hijri dates as 1397/05/12 (here 1367/05), or give the Gregorian "
            "date",
        ),
        (
            "۱۳۹۷-۰۵-۱۲",
            "--date: '۱۳۹۷-۰۵-۱۲' has the Solar Hijri year 1397 but is written like a Gregorian "
            "date; write Solar Hijri dates as 1397/05/12 (here 1397/05/12), or give the "
            "Gregorian date",
        ),
        ("2018-02-30", "--date: '2018-02-30' is not a real date; check the month and day"),
        (
            "1398/12/30",
            "--date: '1398/12/30' is not a real Solar Hijri date (Esfand 1398 has 29 days); "
            "check the month and day",
        ),
        (
            "1397/13/01",
            "--date: '1397/13/01' has no month 13 (Solar Hijri months are 1 to 12); check the "
            "month and day",
        ),
        ("2030", "--date: '2030' is in the future; give the date the source reports"),
        ("1410/01/01", "--date: '1410/01/01' is in the future; give the date the source reports"),
        (
            "2018/08/03",
            "--date: '2018/08/03' looks Gregorian, but slashes are for Solar Hijri dates; write "
            "Gregorian dates with hyphens (2018-08-03)",
        ),
        ("12/05/1397", "--date: '12/05/1397' puts the year last; write the year first: 1397/05/12"),
        (
            "last summer",
            "--date: 'last summer' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (Gregorian), "
            "1397/05/12 or 1367/05 (Solar Hijri), or undated",
        ),
    ],
)
def test_refused_dates_say_what_is_wrong_and_how_to_write_them(text, message):
    with pytest.raises(DateError) as caught:
        parse_date(text, field="--date", today=TODAY)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@given(st.dates(min_value=dt.date(1921, 3, 21), max_value=TODAY))
def test_every_solar_hijri_day_converts_to_its_gregorian_day(day):
    solar = jdatetime.date.fromgregorian(date=day)
    y, m, d = solar.year, solar.month, solar.day
    entered = parse_date(f"{y}/{m:02d}/{d:02d}", today=TODAY)
    assert entered.value == day.isoformat()
    assert dates.value_problem(entered.value, today=TODAY) is None


@given(st.integers(1300, 1404), st.integers(1, 12))
def test_a_solar_hijri_month_is_stored_as_exactly_its_gregorian_span(year, month):
    entered = parse_date(f"{year}/{month}", today=TODAY)
    first, last = dates.span(entered.value)
    start = jdatetime.date.fromgregorian(date=first)
    assert (start.year, start.month, start.day) == (year, month, 1)
    assert jdatetime.date.fromgregorian(date=last + dt.timedelta(days=1)).day == 1
    assert jdatetime.date.fromgregorian(date=last).month == month
    assert dates.value_problem(entered.value, today=TODAY) is None
    assert not (1300 <= first.year <= 1499 or 1300 <= last.year <= 1499)


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("1988", "1988-01-01", "1988-12-31"),
        ("2016-02", "2016-02-01", "2016-02-29"),
        ("2018-08-03", "2018-08-03", "2018-08-03"),
        ("1988-07-23/1988-08-22", "1988-07-23", "1988-08-22"),
    ],
)
def test_span_is_the_first_and_last_day_a_value_may_mean(value, first, last):
    assert dates.span(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1397-05-12", "has the year 1397, which is a Solar Hijri year"),
        ("1367", "has the year 1367, which is a Solar Hijri year"),
        ("1988-08-22/1988-07-23", "ends before it starts"),
        ("1988-07/1988-08", "is not an ISO 8601 span of two full dates"),
        ("1988-07-23/1988-08-22/1988-09-01", "is not an ISO 8601 date"),
        ("2099", "is in the future"),
        ("1988-13", "is not a real date"),
        ("30/04/2018", "is not an ISO 8601"),
        ("1988-07-23/1367-08-22", "which is a Solar Hijri year"),
    ],
)
def test_stored_values_outside_the_contract_are_problems(value, problem):
    assert problem in dates.value_problem(value, today=TODAY)
    with pytest.raises(DateError):
        dates.span(value) if "future" not in problem else parse_date(value, today=TODAY)


def test_sort_key_puts_undated_first_then_orders_by_start():
    entries = [
        {"date": "2018-08-03"},
        {"undated": True},
        {"date": "1988-07-23/1988-08-22"},
        {"date": "1988"},
        {"undated": True, "note": "second"},
    ]
    ordered = sorted(entries, key=dates.sort_key)
    assert ordered == [entries[1], entries[4], entries[3], entries[2], entries[0]]


@pytest.mark.parametrize(
    ("value", "en", "fa"),
    [
        ("2018-08-03", "3 August 2018 (12 Mordad 1397 SH)", "۱۲ مرداد ۱۳۹۷ (۳ اوت ۲۰۱۸)"),
        ("1988", "1988 (1366–1367 SH)", "۱۳۶۶–۱۳۶۷ (۱۹۸۸)"),
        ("2017-06", "June 2017 (Khordad–Tir 1396 SH)", "خرداد–تیر ۱۳۹۶ (ژوئن ۲۰۱۷)"),
        (
            "1988-07-23/1988-08-22",
            "Mordad 1367 SH (23 July–22 August 1988)",
            "مرداد ۱۳۶۷ (۲۳ ژوئیه–۲۲ اوت ۱۹۸۸)",
        ),
        (
            "1988-03-21/1989-03-20",
            "1367 SH (21 March 1988–20 March 1989)",
            "۱۳۶۷ (۲۱ مارس ۱۹۸۸–۲۰ مارس ۱۹۸۹)",
        ),
        (None, "undated", "بدون تاریخ"),
    ],
)
def test_format_date_shows_both_calendars(value, en, fa):
    assert dates.format_date(value, None, "en") == en
    assert dates.format_date(value, None, "fa") == fa


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_date_error_never_a_crash(text):
    try:
        entered = parse_date(text, today=TODAY)
    except DateError as exc:
        assert "\n" not in str(exc)
        return
    if entered.undated:
        assert entered.value is None
    else:
        assert dates.value_problem(entered.value, today=TODAY) is None


@given(st.from_regex(r"[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?|[0-9]{4}/[0-9]{1,2}(/[0-9]{1,2})?"))
def test_no_entered_date_is_stored_with_a_solar_hijri_year(text):
    try:
        entered = parse_date(text, today=TODAY)
    except DateError:
        return
    first, last = dates.span(entered.value)
    assert not (1300 <= first.year <= 1499 or 1300 <= last.year <= 1499)
