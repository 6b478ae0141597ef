"""The kit's bounded readers of numbers and dates (core/params.py): whatever comes in, a value
within bounds or ``OutOfBounds``, never another exception; dates at the extremes never overflow
when shifted between time zones."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.params import (
    DATE_MAX, DATE_MIN, MAX_PAGE, OutOfBounds, check_datetime, parse_date, parse_float, parse_int, parse_month,
)
from core.sms.signature import SignatureError, verify

ANY = st.one_of(st.text(max_size=500), st.integers(min_value=-(10**500), max_value=10**500),
                st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                st.text(alphabet="0123456789+-.eE_ ", max_size=420))


@settings(max_examples=400, deadline=None)
@given(ANY)
def test_parse_int_gives_a_bounded_int_or_out_of_bounds(raw):
    try:
        value = parse_int(raw if not isinstance(raw, float) else str(raw), 1, MAX_PAGE)
    except OutOfBounds as exc:
        assert exc.message
    else:
        assert type(value) is int and 1 <= value <= MAX_PAGE


@settings(max_examples=400, deadline=None)
@given(ANY)
def test_parse_float_gives_a_bounded_float_or_out_of_bounds(raw):
    try:
        value = parse_float(raw, -90, 90)
    except OutOfBounds as exc:
        assert exc.message
    else:
        assert isinstance(value, float) and -90 <= value <= 90


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.dates().map(date.isoformat)))
def test_parse_date_gives_a_bounded_date_or_out_of_bounds(raw):
    try:
        value = parse_date(raw)
    except OutOfBounds:
        return
    assert DATE_MIN <= value <= DATE_MAX
    for hours in (-24, 24):  # what the audit page and Open311 do with it: no overflow
        shifted = datetime.combine(value, datetime.min.time(), timezone(timedelta(hours=hours % 24 - 12)))
        shifted.astimezone(timezone.utc) + timedelta(days=91)
        shifted.astimezone(timezone.utc) - timedelta(days=91)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(timezones=st.sampled_from(
    [timezone.utc, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), timezone(timedelta(hours=1))])))
def test_an_accepted_datetime_shifts_without_overflow(value):
    try:
        check_datetime(value)
    except OutOfBounds:
        assert not DATE_MIN <= value.date() <= DATE_MAX
        return
    (value.astimezone(timezone.utc) + timedelta(days=91)).astimezone(timezone(timedelta(hours=-12)))
    value.astimezone(timezone.utc) - timedelta(days=91)


@pytest.mark.parametrize("raw", ["99999999999999999999", "1" * 400, "1_000", "\u0663", "1e3", " ", "", "0x10"])
def test_what_is_not_a_small_whole_number(raw):
    with pytest.raises(OutOfBounds):
        parse_int(raw, 1, MAX_PAGE)


def test_at_the_bounds():
    assert parse_int(" 1 ", 1, MAX_PAGE) == 1 and parse_int(str(MAX_PAGE), 1, MAX_PAGE) == MAX_PAGE
    assert parse_float("-90", -90, 90) == -90.0 and parse_float(180, -180, 180) == 180.0
    assert parse_date("1900-01-01") == DATE_MIN and parse_date("2999-12-31") == DATE_MAX
    with pytest.raises(OutOfBounds):
        parse_float(10**400, -90, 90)  # a JSON integer of 400 digits: no OverflowError
    with pytest.raises(OutOfBounds):
        check_datetime(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))


@pytest.mark.parametrize("stamp", ["9" * 400, "-" + "9" * 30, "1e9", "99999999999999999999"])
def test_a_webhook_timestamp_of_many_digits_is_refused_not_overflowed(stamp):
    with pytest.raises(SignatureError) as caught:
        verify("secret", stamp, "sha256=00", b"{}")
    assert caught.value.code == "bad_timestamp"


@settings(max_examples=400, deadline=None)
@given(st.one_of(ANY, st.from_regex(r"[0-9]{1,6}-[0-9]{1,3}", fullmatch=True)))
def test_parse_month_gives_a_first_day_within_bounds_or_out_of_bounds(raw):
    low, high = date(2000, 1, 1), date(2100, 12, 1)
    try:
        value = parse_month(raw, low, high)
    except OutOfBounds as exc:
        assert "YYYY-MM" in exc.message and "2000-01" in exc.message and "2100-12" in exc.message
    else:
        assert type(value) is date and value.day == 1 and low <= value <= high


@pytest.mark.parametrize("raw", ["2026-13", "2026-0", "2026-00", "maret", "99999-01", "", "0000-01", "1999-12",
                                 "2101-01", "2026-1x", "2026/11", " ", "13"])
def test_what_is_not_a_month_of_the_bounds(raw):
    """Re-trial of issue 16: ``?month=2026-13`` showed the current month instead of saying so."""
    with pytest.raises(OutOfBounds):
        parse_month(raw, date(2000, 1, 1), date(2100, 12, 1))


def test_a_month_at_its_bounds_and_in_one_digit():
    assert parse_month("2000-01", date(2000, 1, 1), date(2100, 12, 1)) == date(2000, 1, 1)
    assert parse_month(" 2100-12 ", date(2000, 1, 1), date(2100, 12, 1)) == date(2100, 12, 1)
    assert parse_month("2026-3") == date(2026, 3, 1)
