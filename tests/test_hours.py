"""Business hours: edges, time zones, Chinese holidays and swaps, phrasing, config errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import holidays
import pytest
import yaml

from ivr.menu.hours import (
    Schedule,
    TimeRange,
    describe_duration,
    describe_hours,
    describe_next_opening,
    describe_today,
    describe_zone,
    verdict,
)
from ivr.menu.loading import check_menus, schedule_from_model
from ivr.menu.schema import ScheduleModel
from tests.conftest import PROJECT_ROOT

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC

DAILY = {"daily": ["08:00-20:00"]}
WEEKDAYS = {"weekdays": ["08:00-20:00"]}
CN_CLOSED = {"country": "CN"}  # hours omitted: closed on public holidays


def make(weekly, timezone="Asia/Shanghai", **extra) -> Schedule:
    """Build a schedule the way menus.yaml would: checked by the model, then compiled."""
    block = ScheduleModel.model_validate({"timezone": timezone, "weekly": weekly, **extra})
    return schedule_from_model("test", block)


def sh(*args: int) -> dt.datetime:
    """Return a Shanghai wall-clock moment."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


def utc(*args: int) -> dt.datetime:
    """Return a UTC moment."""
    return dt.datetime(*args, tzinfo=UTC)


# --- TimeRange ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end_minutes"),
    [
        ("08:00-20:00", dt.time(8, 0), 1200),
        ("8:30-17:45", dt.time(8, 30), 1065),
        ("00:00-24:00", dt.time(0, 0), 1440),
        ("22:00-24:00", dt.time(22, 0), 1440),
        ("22:00-00:00", dt.time(22, 0), 1440),
        ("22:00-02:00", dt.time(22, 0), 1560),
        ("08:00-08:00", dt.time(8, 0), 1920),  # a full 24 hours, into the next day
        (" 09:00 - 18:00 ", dt.time(9, 0), 1080),
    ],
)
def test_time_range_parse(text, start, end_minutes):
    """Ranges ending at or before their start run into the next day."""
    assert TimeRange.parse(text) == TimeRange(start, end_minutes)


@pytest.mark.parametrize(
    "text",
    ["25:00-26:00", "08:00", "08:60-09:00", "24:00-02:00", "08:00-24:30", "8-20", "", "abc"],
)
def test_time_range_parse_rejects(text):
    """Malformed or impossible ranges name the bad text and the expected shape."""
    with pytest.raises(ValueError, match="is not a time range like '08:00-20:00'"):
        TimeRange.parse(text)


def test_time_range_message_is_exact():
    """The error message is the one a person editing menus.yaml reads."""
    with pytest.raises(ValueError) as caught:
        TimeRange.parse("25:00-26:00")
    assert str(caught.value) == "'25:00-26:00' is not a time range like '08:00-20:00'"


# --- is_open --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (sh(2026, 3, 16, 7, 59), False),
        (sh(2026, 3, 16, 8, 0), True),
        (sh(2026, 3, 16, 19, 59), True),
        (sh(2026, 3, 16, 20, 0), False),
        # The same edges given in UTC (Shanghai is UTC+8 all year).
        (utc(2026, 3, 15, 23, 59), False),
        (utc(2026, 3, 16, 0, 0), True),
        (utc(2026, 3, 16, 11, 59), True),
        (utc(2026, 3, 16, 12, 0), False),
        # 19:30 in New York on Sunday is 07:30 Monday in Shanghai, and 20:30 is 08:30.
        (dt.datetime(2026, 3, 15, 19, 30, tzinfo=NEW_YORK), False),
        (dt.datetime(2026, 3, 15, 20, 30, tzinfo=NEW_YORK), True),
    ],
)
def test_is_open_edges(now, expected):
    """Start is inclusive, end exclusive, in the schedule's own zone."""
    assert make(DAILY).is_open(now) is expected


@pytest.mark.parametrize(
    ("weekly", "now", "expected"),
    [
        ({"daily": ["22:00-02:00"]}, sh(2026, 3, 16, 21, 59), False),
        ({"daily": ["22:00-02:00"]}, sh(2026, 3, 16, 22, 0), True),
        ({"daily": ["22:00-02:00"]}, sh(2026, 3, 17, 1, 30), True),
        ({"daily": ["22:00-02:00"]}, sh(2026, 3, 17, 2, 0), False),
        # Only Sunday night is staffed: it still counts after midnight on Monday.
        ({"sun": ["22:00-02:00"]}, sh(2026, 3, 15, 23, 0), True),
        ({"sun": ["22:00-02:00"]}, sh(2026, 3, 16, 1, 0), True),
        ({"sun": ["22:00-02:00"]}, sh(2026, 3, 16, 2, 0), False),
        ({"sun": ["22:00-02:00"]}, sh(2026, 3, 16, 22, 30), False),
        ({"sun": ["22:00-02:00"]}, sh(2026, 3, 14, 23, 0), False),
    ],
)
def test_is_open_past_midnight(weekly, now, expected):
    """A range that started yesterday and runs past midnight is open today."""
    assert make(weekly).is_open(now) is expected


def test_is_open_refuses_naive_datetimes():
    """A naive time has no zone to convert from, so it is refused rather than guessed."""
    with pytest.raises(ValueError, match="time zone"):
        make(DAILY).is_open(dt.datetime(2026, 3, 16, 9, 0))


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # New York 09:00-17:00: EST (UTC-5) before 8 March 2026, EDT (UTC-4) after.
        ("America/New_York", utc(2026, 3, 6, 13, 59), False),
        ("America/New_York", utc(2026, 3, 6, 14, 0), True),
        ("America/New_York", utc(2026, 3, 6, 21, 59), True),
        ("America/New_York", utc(2026, 3, 6, 22, 0), False),
        ("America/New_York", utc(2026, 3, 9, 12, 59), False),
        ("America/New_York", utc(2026, 3, 9, 13, 0), True),
        ("America/New_York", utc(2026, 3, 9, 20, 59), True),
        ("America/New_York", utc(2026, 3, 9, 21, 0), False),
        # And back to EST on 1 November 2026.
        ("America/New_York", utc(2026, 10, 30, 12, 59), False),
        ("America/New_York", utc(2026, 10, 30, 13, 0), True),
        ("America/New_York", utc(2026, 11, 2, 13, 59), False),
        ("America/New_York", utc(2026, 11, 2, 14, 0), True),
        ("America/New_York", utc(2026, 11, 2, 21, 59), True),
        ("America/New_York", utc(2026, 11, 2, 22, 0), False),
        # Berlin: CET (UTC+1) until 29 March 2026, CEST (UTC+2) until 25 October.
        ("Europe/Berlin", utc(2026, 3, 27, 7, 59), False),
        ("Europe/Berlin", utc(2026, 3, 27, 8, 0), True),
        ("Europe/Berlin", utc(2026, 3, 30, 6, 59), False),
        ("Europe/Berlin", utc(2026, 3, 30, 7, 0), True),
        ("Europe/Berlin", utc(2026, 3, 30, 14, 59), True),
        ("Europe/Berlin", utc(2026, 3, 30, 15, 0), False),
        ("Europe/Berlin", utc(2026, 10, 26, 7, 59), False),
        ("Europe/Berlin", utc(2026, 10, 26, 8, 0), True),
        ("Europe/Berlin", utc(2026, 10, 26, 15, 59), True),
        ("Europe/Berlin", utc(2026, 10, 26, 16, 0), False),
    ],
)
def test_is_open_across_dst(zone, now, expected):
    """Wall-clock hours stay put when the clocks change."""
    assert make({"daily": ["09:00-17:00"]}, timezone=zone).is_open(now) is expected


# --- holidays and swapped working days ---------------------------------------------------


def test_holidays_package_agrees_with_these_tests():
    """The dates below are what `holidays` says for China in 2026."""
    china = holidays.country_holidays("CN", years=2026, categories=("public",), language="en_US")
    assert dt.date(2026, 10, 1) in china
    assert dt.date(2026, 1, 4) in china.weekend_workdays
    assert china[dt.date(2026, 1, 2)] == "Day off (substituted from 01/04/2026)"
    assert [d.day for d in sorted(china) if d.month == 10] == [1, 2, 3, 5, 6, 7]


@pytest.mark.parametrize(
    ("holiday_block", "now", "expected"),
    [
        (CN_CLOSED, sh(2026, 9, 30, 10, 0), True),  # the working day before
        (CN_CLOSED, sh(2026, 10, 1, 10, 0), False),  # National Day, a Thursday
        ({"country": "CN", "hours": []}, sh(2026, 10, 1, 10, 0), False),
        ({"country": "CN", "hours": ["09:00-18:00"]}, sh(2026, 10, 1, 10, 0), True),
        ({"country": "CN", "hours": ["09:00-18:00"]}, sh(2026, 10, 1, 8, 30), False),
        ({"country": "CN", "hours": ["09:00-18:00"]}, sh(2026, 10, 1, 18, 0), False),
        (None, sh(2026, 10, 1, 10, 0), True),  # no holidays block: an ordinary Thursday
    ],
)
def test_public_holiday(holiday_block, now, expected):
    """Public holidays use the holiday hours; without a holidays block they are ignored."""
    schedule = make(WEEKDAYS, holidays=holiday_block)
    assert schedule.is_open(now) is expected


@pytest.mark.parametrize(
    ("working_weekends", "expected"),
    [(True, True), (False, False)],
)
def test_swapped_working_sunday(working_weekends, expected):
    """Sunday 4 January 2026 is a working day in China, unless swaps are turned off."""
    holiday_block = {"country": "CN", "working_weekends": working_weekends}
    schedule = make({"weekdays": ["09:00-18:00"]}, holidays=holiday_block)
    assert schedule.is_open(sh(2026, 1, 4, 10, 0)) is expected
    assert schedule.is_open(sh(2026, 1, 11, 10, 0)) is False  # an ordinary Sunday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Friday 2 January is the day off this Sunday pays for, so it works Friday's hours.
        (dt.date(2026, 1, 4), ("09:00-15:00",)),
        # Saturday 28 February pays for Monday 23 February.
        (dt.date(2026, 2, 28), ("08:00-20:00",)),
        # Saturday 10 October pays for Wednesday 7 October.
        (dt.date(2026, 10, 10), ("09:00-18:00",)),
        (dt.date(2026, 1, 2), ()),  # the day off itself
        (dt.date(2026, 1, 10), ()),  # an ordinary Saturday
    ],
)
def test_swapped_day_takes_the_hours_of_the_day_it_replaced(day, expected):
    """A working weekend day borrows the weekday hours of the day off it pays for."""
    weekly = {"mon": ["08:00-20:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"],
              "thu": ["09:00-18:00"], "fri": ["09:00-15:00"]}  # fmt: skip
    schedule = make(weekly, holidays=CN_CLOSED)
    assert tuple(str(r) for r in schedule.hours_on(day)) == expected


@pytest.mark.parametrize(
    ("exceptions", "now", "expected"),
    [
        # Special hours on National Day beat the holiday closure.
        ({dt.date(2026, 10, 1): ["10:00-12:00"]}, sh(2026, 10, 1, 11, 0), True),
        ({dt.date(2026, 10, 1): ["10:00-12:00"]}, sh(2026, 10, 1, 9, 0), False),
        ({dt.date(2026, 10, 1): ["10:00-12:00"]}, sh(2026, 10, 1, 12, 0), False),
        # A closed day beats the swapped working Sunday and an ordinary Tuesday.
        ({dt.date(2026, 1, 4): []}, sh(2026, 1, 4, 10, 0), False),
        ({dt.date(2026, 3, 17): []}, sh(2026, 3, 17, 10, 0), False),
        ({dt.date(2026, 3, 17): []}, sh(2026, 3, 18, 10, 0), True),
        # Shorter hours, with the date written as a string.
        ({"2026-12-31": ["08:00-17:00"]}, sh(2026, 12, 31, 16, 59), True),
        ({"2026-12-31": ["08:00-17:00"]}, sh(2026, 12, 31, 17, 30), False),
    ],
)
def test_exceptions_win(exceptions, now, expected):
    """Dated exceptions beat holidays, swaps and the weekly hours."""
    schedule = make(WEEKDAYS, holidays=CN_CLOSED, exceptions=exceptions)
    assert schedule.is_open(now) is expected


# --- next_opening ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekly", "extra", "now", "expected"),
    [
        # Through National Day (1-7 October) to Thursday 8 October.
        (WEEKDAYS, {"holidays": CN_CLOSED}, sh(2026, 9, 30, 20, 30), sh(2026, 10, 8, 8, 0)),
        # An ordinary weekend: Friday evening to Monday morning.
        (WEEKDAYS, {}, sh(2026, 3, 13, 20, 0), sh(2026, 3, 16, 8, 0)),
        # Saturday 19 September: the next day is a swapped working Sunday.
        (WEEKDAYS, {"holidays": CN_CLOSED}, sh(2026, 9, 19, 12, 0), sh(2026, 9, 20, 8, 0)),
        # Before opening, and given in UTC: later the same day.
        (DAILY, {}, utc(2026, 3, 15, 23, 0), sh(2026, 3, 16, 8, 0)),
        # Open now: the opening after the current period ends.
        (DAILY, {}, sh(2026, 3, 16, 8, 0), sh(2026, 3, 17, 8, 0)),
        (DAILY, {}, sh(2026, 3, 16, 19, 59), sh(2026, 3, 17, 8, 0)),
        # Ranges that touch at midnight are one period, so it is not "open again at 00:00".
        ({"daily": ["22:00-24:00", "00:00-06:00"]}, {}, sh(2026, 3, 16, 23, 0),
         sh(2026, 3, 17, 22, 0)),
        # A dated exception eleven months away is still found.
        ({}, {"exceptions": {dt.date(2027, 3, 1): ["09:00-10:00"]}}, sh(2026, 4, 1, 0, 0),
         sh(2027, 3, 1, 9, 0)),
        # Never open, never closed, or only beyond the 400-day search.
        ({}, {}, sh(2026, 3, 16, 8, 0), None),
        ({"daily": ["00:00-24:00"]}, {}, sh(2026, 3, 16, 8, 0), None),
        ({}, {"exceptions": {dt.date(2027, 6, 1): ["09:00-10:00"]}}, sh(2026, 4, 1, 0, 0), None),
    ],
)  # fmt: skip
def test_next_opening(weekly, extra, now, expected):
    """The next opening is strictly after now, in the schedule's zone."""
    opening = make(weekly, **extra).next_opening(now)
    assert opening == expected
    if opening is not None:
        assert opening.tzinfo == SHANGHAI
        assert opening.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize(
    ("weekly", "now", "expected_utc"),
    [
        # Saturday evening EST to Sunday 09:00, which is already EDT (UTC-4).
        ({"daily": ["09:00-17:00"]}, dt.datetime(2026, 3, 7, 18, 0, tzinfo=NEW_YORK),
         utc(2026, 3, 8, 13, 0)),
        # 02:30 does not exist on 8 March 2026: open at 03:00 EDT, the next valid minute.
        ({"daily": ["02:30-04:00"]}, dt.datetime(2026, 3, 8, 1, 0, tzinfo=NEW_YORK),
         utc(2026, 3, 8, 7, 0)),
        # The day after, 02:30 exists again (EDT).
        ({"daily": ["02:30-04:00"]}, dt.datetime(2026, 3, 8, 5, 0, tzinfo=NEW_YORK),
         utc(2026, 3, 9, 6, 30)),
    ],
)  # fmt: skip
def test_next_opening_across_spring_forward(weekly, now, expected_utc):
    """Openings land on the right instant when the clocks jump forward."""
    opening = make(weekly, timezone="America/New_York").next_opening(now)
    assert opening == expected_utc
    assert opening.tzinfo == NEW_YORK
    assert opening.utcoffset() == dt.timedelta(hours=-4)


def test_missing_start_time_is_open_from_the_next_valid_minute():
    """A range whose start falls in the spring-forward gap opens when the clock jumps."""
    schedule = make({"daily": ["02:30-04:00"]}, timezone="America/New_York")
    assert schedule.is_open(utc(2026, 3, 8, 6, 59)) is False  # 01:59 EST
    assert schedule.is_open(utc(2026, 3, 8, 7, 0)) is True  # 03:00 EDT
    assert schedule.is_open(utc(2026, 3, 8, 7, 59)) is True  # 03:59 EDT
    assert schedule.is_open(utc(2026, 3, 8, 8, 0)) is False  # 04:00 EDT


# --- phrasing -------------------------------------------------------------------------

WEEK_AND_SATURDAY = {"weekdays": ["09:00-18:00"], "sat": ["10:00-16:00"]}


@pytest.mark.parametrize(
    ("weekly", "holiday_block", "zh", "en"),
    [
        (DAILY, None, "每天上午8点至晚上8点", "every day from 8 AM to 8 PM"),
        (
            WEEK_AND_SATURDAY,
            None,
            "周一至周五上午9点至下午6点，周六上午10点至下午4点，周日休息",
            "Monday to Friday from 9 AM to 6 PM, Saturday from 10 AM to 4 PM, closed on Sunday",
        ),
        (
            WEEK_AND_SATURDAY,
            {"country": "CN", "hours": ["09:00-18:00"]},
            "周一至周五上午9点至下午6点，周六上午10点至下午4点，周日休息，法定节假日上午9点至下午6点",
            "Monday to Friday from 9 AM to 6 PM, Saturday from 10 AM to 4 PM, closed on Sunday"
            ", and on public holidays from 9 AM to 6 PM",
        ),
        (
            WEEKDAYS,
            CN_CLOSED,
            "周一至周五上午8点至晚上8点，周六和周日休息，法定节假日休息",
            "Monday to Friday from 8 AM to 8 PM, closed on Saturday and Sunday"
            ", and closed on public holidays",
        ),
        (
            {"daily": ["08:30-12:00", "13:00-24:00"]},
            None,
            "每天上午8点30分至中午12点、下午1点至午夜12点",
            "every day from 8:30 AM to 12 PM and from 1 PM to midnight",
        ),
        (
            {"fri": ["22:00-02:00"], "sat": ["00:00-24:00"]},
            None,
            "周一至周四休息，周五晚上10点至次日凌晨2点，周六24小时，周日休息",
            "closed on Monday to Thursday, Friday from 10 PM to 2 AM, Saturday around the clock"
            ", closed on Sunday",
        ),
        ({}, None, "每天休息", "closed every day"),
    ],
)
def test_describe_hours(weekly, holiday_block, zh, en):
    """Weekly hours are grouped into runs of days and spoken in both languages."""
    schedule = make(weekly, holidays=holiday_block)
    assert describe_hours(schedule, "zh-CN") == zh
    assert describe_hours(schedule, "en-US") == en


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh-CN", "每天上午8点至晚上8点"),
        ("ZH-tw", "每天上午8点至晚上8点"),
        ("cmn-Hans-CN", "每天上午8点至晚上8点"),
        ("en-GB", "every day from 8 AM to 8 PM"),
        ("yue-HK", "every day from 8 AM to 8 PM"),  # only zh and cmn are spoken as Mandarin
    ],
)
def test_language_tags(lang, expected):
    """Tags starting with zh or cmn speak Mandarin; every other tag speaks English."""
    assert describe_hours(make(DAILY), lang) == expected


@pytest.mark.parametrize(
    ("opening", "now", "zh", "en"),
    [
        (sh(2026, 3, 16, 8, 0), sh(2026, 3, 16, 7, 0),
         "我们将于今天上午8点恢复服务。", "We will be open again today at 8 AM."),
        (sh(2026, 3, 16, 8, 0), sh(2026, 3, 15, 20, 0),
         "我们将于明天上午8点恢复服务。", "We will be open again tomorrow at 8 AM."),
        (sh(2026, 10, 8, 8, 0), sh(2026, 9, 30, 20, 30),
         "我们将于10月8日（星期四）上午8点恢复服务。",
         "We will be open again on Thursday, 8 October at 8 AM."),
        # 23:30 UTC on the 15th is 07:30 on the 16th in Shanghai: "today", not "tomorrow".
        (sh(2026, 3, 16, 8, 30), utc(2026, 3, 15, 23, 30),
         "我们将于今天上午8点30分恢复服务。", "We will be open again today at 8:30 AM."),
        (sh(2026, 3, 16, 20, 0), sh(2026, 3, 16, 19, 0),
         "我们将于今天晚上8点恢复服务。", "We will be open again today at 8 PM."),
        # More than a year away, the year is said too.
        (sh(2027, 10, 8, 8, 0), sh(2026, 9, 30, 20, 30),
         "我们将于2027年10月8日（星期五）上午8点恢复服务。",
         "We will be open again on Friday, 8 October 2027 at 8 AM."),
    ],
)  # fmt: skip
def test_describe_next_opening(opening, now, zh, en):
    """The next opening is said as today, tomorrow or a date with its weekday."""
    assert describe_next_opening(opening, now, "zh-CN") == zh
    assert describe_next_opening(opening, now, "en-US") == en


def test_next_opening_reads_back_for_the_national_day_example():
    """next_opening and describe_next_opening agree end to end."""
    schedule = make(WEEKDAYS, holidays=CN_CLOSED)
    now = utc(2026, 9, 30, 12, 30)  # 20:30 in Shanghai
    opening = schedule.next_opening(now)
    expected = "我们将于10月8日（星期四）上午8点恢复服务。"
    assert describe_next_opening(opening, now, "zh-CN") == expected


# --- the schedules block of menus.yaml ------------------------------------------------


def test_the_documented_block_loads_with_yaml_dates_as_exception_keys():
    data = yaml.safe_load(
        """
        timezone: Asia/Shanghai
        weekly:
          daily: ["08:00-20:00"]
          weekend: ["09:00-17:00"]
          sun: []
        holidays:
          country: CN
          subdivision: null
          hours: []
          working_weekends: true
        exceptions:
          2026-12-31: ["08:00-17:00"]
        """
    )
    schedule = schedule_from_model("support", ScheduleModel.model_validate(data))
    daily, weekend = (TimeRange.parse("08:00-20:00"),), (TimeRange.parse("09:00-17:00"),)
    assert schedule.name == "support"
    assert schedule.weekly == (daily,) * 5 + (weekend, ())
    assert schedule.holiday_country == "CN"
    assert schedule.holiday_hours == ()
    assert schedule.working_weekends is True
    assert dict(schedule.exceptions) == {dt.date(2026, 12, 31): (TimeRange.parse("08:00-17:00"),)}


BASE_MENU = (PROJECT_ROOT / "tests" / "menus_base.yaml").read_text(encoding="utf-8")
OFFICE = 'weekly: {daily: ["08:00-20:00"]}'


@pytest.mark.parametrize(
    ("old", "new", "message", "fix"),
    [
        ("timezone: Asia/Shanghai", "timezone: Asia/Shangai",
         "schedules.office.timezone: unknown time zone 'Asia/Shangai'",
         "did you mean 'Asia/Shanghai'?"),
        ("timezone: Asia/Shanghai", "timezone: Asia/Beijing", "unknown time zone",
         "did you mean 'Asia/Shanghai'?"),
        ("timezone: Asia/Shanghai", "timezone: Europe/Berln", "unknown time zone",
         "did you mean 'Europe/Berlin'?"),
        ("    timezone: Asia/Shanghai\n", "", "missing required field 'timezone'",
         "add 'timezone:'"),
        (OFFICE, 'weekly: {mon: ["25:00-26:00"]}',
         "weekly.mon.0: '25:00-26:00' is not a time range like '08:00-20:00'", "HH:MM-HH:MM"),
        (OFFICE, 'weekly: {mon: "08:00-20:00"}', "weekly.mon must be a list", "['08:00-20:00']"),
        (OFFICE, "weekly: {moon: []}", "unknown key 'moon' in schedules.office.weekly",
         "did you mean 'mon'?"),
        (OFFICE, "weekly: {tuesday: []}", "unknown key 'tuesday'", "did you mean 'tue'?"),
        (f"    {OFFICE}\n", "", "missing required field 'weekly'", "add 'weekly:'"),
        ("timezone: Asia/Shanghai", "timezon: UTC\n    timezone: UTC", "unknown field 'timezon'",
         "did you mean 'timezone'?"),
        (OFFICE, OFFICE + "\n    holidays: {country: XX}", "unknown holiday country 'XX'",
         "ISO 3166"),
        (OFFICE, OFFICE + "\n    holidays: {country: China}", "unknown holiday country",
         "did you mean 'CN'?"),
        (OFFICE, OFFICE + "\n    holidays: {country: CN, subdivision: BJ}",
         "holidays.subdivision: unknown subdivision 'BJ' of CN", "CN has no subdivisions"),
        (OFFICE, OFFICE + "\n    holidays: {country: DE, subdivision: BX}",
         "unknown subdivision 'BX' of DE", "use one of: BB, BE"),
        (OFFICE, OFFICE + "\n    holidays: {country: CN, working_weekends: maybe}",
         "working_weekends = 'maybe'", None),
        (OFFICE, OFFICE + "\n    holidays: {country: CN, whole_breaks: maybe}",
         "whole_breaks = 'maybe'", None),
        (OFFICE, OFFICE + '\n    holidays: {country: CN, hours: ["9-18"]}',
         "holidays.hours.0: '9-18' is not a time range", "HH:MM-HH:MM"),
        (OFFICE, OFFICE + "\n    exceptions: {2026-13-01: []}", "cannot read '2026-13-01'",
         "YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_schedule_errors_name_the_line_the_problem_and_the_fix(tmp_path, old, new, message, fix):
    """A bad schedule is refused once, by the model, with the file's line and a fix."""
    assert old in BASE_MENU
    path = tmp_path / "menus.yaml"
    path.write_text(BASE_MENU.replace(old, new, 1), encoding="utf-8")
    (problem,) = check_menus(path, {"AGENT_NUMBER": "+8610555000111"})
    assert message in problem.message, problem
    assert fix is None or fix in (problem.fix or ""), problem
    assert problem.line is not None and 12 <= problem.line <= 17  # in the schedules block


def test_checking_a_holiday_country_imports_no_other_country():
    """The shipped menu's CN is checked without importing the package's 250 other
    countries (a worker's start-up time and memory); a subdivision loads its own only."""
    code = (
        "import sys; from ivr.menu.loading import load_menus;"
        f"load_menus({str(PROJECT_ROOT / 'menus.yaml')!r}, {{'AGENT_NUMBER': '+8610555000111'}});"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] in ("[]", "['holidays.countries.china']")


@pytest.mark.parametrize(
    ("hours", "says", "fix"),
    [
        # Review: an impossible window passed and reached the agents' list of callbacks...
        ("99:99-18:00", "windows.3.hours", "HH:MM-HH:MM"),
        ("18:00-25:00", "windows.3.hours", "HH:MM-HH:MM"),
        ("18:00-20:60", "windows.3.hours", "HH:MM-HH:MM"),
        ("6pm-8pm", "windows.3.hours", "HH:MM-HH:MM"),
        # ...and so did one ending before it starts, as a 22-hour window.
        ("20:00-18:00", "ends before it starts", "earlier time first"),
        ("18:00-18:00", "ends before it starts", "earlier time first"),
        ("22:00-02:00", "ends before it starts", "earlier time first"),
    ],
)
def test_a_callback_window_is_one_range_of_one_day(tmp_path, hours, says, fix):
    shipped = (PROJECT_ROOT / "menus.yaml").read_text(encoding="utf-8")
    assert 'hours: "18:00-20:00"' in shipped
    path = tmp_path / "menus.yaml"
    path.write_text(shipped.replace('hours: "18:00-20:00"', f'hours: "{hours}"', 1), "utf-8")
    env = {"AGENT_NUMBER": "+8610555000111", "EMERGENCY_NUMBER": "+8610555000999"}
    (problem,) = [p for p in check_menus(path, env) if p.severity == "error"]
    assert problem.node == "callback" and says in problem.message, problem
    assert fix in (problem.fix or ""), problem
    assert problem.line is not None and shipped.splitlines()[problem.line - 1].strip() == (
        'hours: "18:00-20:00"'
    )


def test_from_config_accepts_a_subdivision():
    """A known subdivision is kept and used for that region's holidays."""
    holiday_block = {"country": "DE", "subdivision": "BY"}
    schedule = make(DAILY, timezone="Europe/Berlin", holidays=holiday_block)
    assert schedule.holiday_subdivision == "BY"
    # Epiphany (6 January) is a public holiday in Bavaria but not in Berlin.
    assert schedule.hours_on(dt.date(2026, 1, 6)) == ()
    berlin = make(DAILY, timezone="Europe/Berlin", holidays={"country": "DE", "subdivision": "BE"})
    assert berlin.hours_on(dt.date(2026, 1, 6)) == (TimeRange.parse("08:00-20:00"),)


@pytest.mark.parametrize(
    ("weekly", "expected_open_days"),
    [
        ({"daily": ["08:00-20:00"]}, [0, 1, 2, 3, 4, 5, 6]),
        ({"weekdays": ["08:00-20:00"]}, [0, 1, 2, 3, 4]),
        ({"weekend": ["08:00-20:00"]}, [5, 6]),
        ({"daily": ["08:00-20:00"], "weekend": []}, [0, 1, 2, 3, 4]),
        ({"daily": ["08:00-20:00"], "weekend": [], "sun": ["08:00-20:00"]}, [0, 1, 2, 3, 4, 6]),
        ({"weekdays": [], "daily": ["08:00-20:00"], "wed": []}, [5, 6]),
    ],
)
def test_specific_weekday_keys_win(weekly, expected_open_days):
    """A day key beats weekdays/weekend, which beat daily, whatever their order."""
    schedule = make(weekly)
    assert [i for i, ranges in enumerate(schedule.weekly) if ranges] == expected_open_days


def test_the_next_public_holiday_after_a_date():
    schedule = make(DAILY, holidays=CN_CLOSED)
    assert schedule.next_holiday(dt.date(2026, 9, 20)) == dt.date(2026, 9, 25)  # Mid-Autumn
    assert schedule.next_holiday(dt.date(2026, 9, 26)) == dt.date(2026, 10, 1)
    assert schedule.next_holiday(dt.date(2026, 12, 30)) == dt.date(2027, 1, 1)
    assert make(DAILY).next_holiday(dt.date(2026, 9, 20)) is None


# --- the verdict the simulator shows ----------------------------------------------------------


@pytest.mark.parametrize(
    ("weekly", "holiday_block", "now", "text"),
    [
        (WEEKDAYS, None, sh(2026, 11, 23, 10, 0), "open until 20:00"),
        (WEEKDAYS, None, sh(2026, 11, 23, 21, 30), "closed, opens 08:00 Tue"),
        (WEEKDAYS, None, sh(2026, 11, 27, 20, 0), "closed, opens 08:00 Mon"),  # the end: out
        (WEEKDAYS, None, sh(2026, 11, 23, 7, 59), "closed, opens 08:00"),  # later today
        ({"daily": ["22:00-02:00"]}, None, sh(2026, 11, 23, 23, 0), "open until 02:00 Tue"),
        ({"daily": ["00:00-24:00"]}, None, sh(2026, 11, 23, 3, 0), "open, around the clock"),
        # National Day week: closed on public holidays, with the holiday named.
        (DAILY, CN_CLOSED, sh(2026, 10, 1, 10, 0), "closed (National Day), opens 08:00 Sun"),
        # Open on a holiday, on its own hours: the holiday is named too.
        (
            DAILY,
            {"country": "CN", "hours": ["09:00-18:00"]},
            sh(2026, 10, 1, 10, 0),
            "open (National Day) until 18:00",
        ),
    ],
)
def test_the_verdict_says_open_until_or_when_it_opens(weekly, holiday_block, now, text):
    extra = {"holidays": holiday_block} if holiday_block else {}
    found = verdict(make(weekly, **extra), now)
    assert found.text().startswith(text), found.text()
    assert found.as_dict()["text"] == found.text()


def test_the_verdict_tells_the_local_time_and_zone_from_any_offset():
    found = verdict(make(WEEKDAYS), utc(2026, 11, 23, 13, 30))  # 21:30 in Shanghai
    assert found.clock() == "Mon 2026-11-23 21:30 Asia/Shanghai (+08:00)"
    assert not found.open and found.holiday is None


# --- whole breaks (F5) ---------------------------------------------------------------------

CN_BREAKS = {"country": "CN", "hours": ["09:00-18:00"], "whole_breaks": True}


@pytest.mark.parametrize(
    ("day", "expected", "name"),
    [
        # National Day 2026: 1-7 October off; Sunday 4 October is inside the break.
        (dt.date(2026, 10, 3), "09:00-18:00", "National Day"),
        (dt.date(2026, 10, 4), "09:00-18:00", "National Day"),
        (dt.date(2026, 10, 5), "09:00-18:00", "National Day (observed)"),
        (dt.date(2026, 10, 10), "08:00-20:00", None),  # a swapped working Saturday
        (dt.date(2026, 10, 11), "08:00-20:00", None),  # an ordinary Sunday after it
        # Spring Festival 2026: 15-23 February off; the Saturdays either side are worked.
        (dt.date(2026, 2, 14), "08:00-20:00", None),
        (dt.date(2026, 2, 15), "09:00-18:00", "Chinese New Year's Eve"),
        (dt.date(2026, 2, 21), "09:00-18:00", "Chinese New Year (Spring Festival)"),
        (dt.date(2026, 2, 22), "09:00-18:00", "Chinese New Year (Spring Festival)"),
        (dt.date(2026, 2, 28), "08:00-20:00", None),
        (dt.date(2026, 1, 3), "09:00-18:00", "New Year's Day"),  # 1-3 January
        (dt.date(2026, 5, 3), "09:00-18:00", "Labor Day"),  # 1-5 May
        (dt.date(2026, 6, 20), "09:00-18:00", "Dragon Boat Festival"),  # 19-21 June
        (dt.date(2026, 6, 21), "09:00-18:00", "Dragon Boat Festival"),
        (dt.date(2026, 9, 27), "09:00-18:00", "Mid-Autumn Festival"),  # 25-27 September
        (dt.date(2026, 6, 27), "08:00-20:00", None),  # an ordinary weekend
        # 2027 as the package has it: the Spring Festival, Labour Day and National Day.
        (dt.date(2027, 2, 7), "09:00-18:00", "Chinese New Year (Spring Festival)"),
        (dt.date(2027, 5, 2), "09:00-18:00", "Labor Day"),
        (dt.date(2027, 10, 3), "09:00-18:00", "National Day"),
        (dt.date(2027, 1, 2), "09:00-18:00", "New Year's Day"),
        (dt.date(2027, 6, 12), "08:00-20:00", None),  # the weekend after a Wednesday holiday
        # A break that crosses the new year: 30 December 2023 to 1 January 2024.
        (dt.date(2023, 12, 30), "09:00-18:00", "New Year's Day"),
    ],
)
def test_whole_breaks_give_the_weekend_inside_a_break_the_holiday_hours(day, expected, name):
    """With whole_breaks, a weekend day in a run of days off around a holiday is the break."""
    schedule = make(DAILY, holidays=CN_BREAKS)
    assert tuple(str(r) for r in schedule.hours_on(day)) == (expected,)
    assert schedule.holiday_name(day) == name


def test_without_whole_breaks_the_weekend_inside_a_break_keeps_the_weekly_hours():
    """Off by default: only the days the package lists take the holiday hours."""
    schedule = make(DAILY, holidays={"country": "CN", "hours": ["09:00-18:00"]})
    assert [str(r) for r in schedule.hours_on(dt.date(2026, 10, 4))] == ["08:00-20:00"]
    assert schedule.holiday_name(dt.date(2026, 10, 4)) is None


def test_whole_breaks_leave_a_weekend_before_a_us_monday_holiday_alone_by_default():
    """A Monday holiday elsewhere turns the weekend into a break only when asked."""
    us = {"country": "US", "hours": []}
    memorial_sat = dt.date(2026, 5, 23)  # Memorial Day is Monday 25 May 2026
    assert make(DAILY, timezone="America/New_York", holidays=us).hours_on(memorial_sat)
    whole = make(DAILY, timezone="America/New_York", holidays={**us, "whole_breaks": True})
    assert whole.hours_on(memorial_sat) == ()


@pytest.mark.parametrize(
    ("now", "text", "en"),
    [
        (sh(2026, 10, 3, 19, 0), "closed (National Day), opens 09:00 Sun", "tomorrow at 9 AM"),
        (sh(2026, 10, 4, 19, 0), "closed (National Day), opens 09:00 Mon", "tomorrow at 9 AM"),
        (sh(2026, 10, 4, 17, 0), "open (National Day) until 18:00", None),
        (sh(2026, 10, 7, 19, 0), "closed (Day off", "tomorrow at 8 AM"),
        (sh(2026, 10, 10, 19, 0), "open until 20:00", None),
    ],
)
def test_whole_breaks_in_the_verdict_and_the_next_opening(now, text, en):
    schedule = make(DAILY, holidays=CN_BREAKS)
    found = verdict(schedule, now)
    assert found.text().startswith(text), found.text()
    if en is not None:
        assert found.change is not None
        assert en in describe_next_opening(found.change, now, "en-US")


@pytest.mark.parametrize(
    ("zone", "zh", "en"),
    [
        ("Asia/Shanghai", "北京时间", "Beijing time"),
        ("Asia/Hong_Kong", "香港时间", "Hong Kong time"),
        ("Europe/London", "当地时间", "London time"),
        ("America/New_York", "当地时间", "New York time"),
    ],
)
def test_a_zone_is_named_as_callers_name_it(zone, zh, en):
    assert describe_zone(ZoneInfo(zone), "zh-CN") == zh
    assert describe_zone(ZoneInfo(zone), "en-US") == en


def test_the_zone_said_follows_the_schedule(tmp_path):
    """ "北京时间" is the schedule's zone named, not words of the file: moved to Hong Kong,
    the service-hours answer and the closed message say so."""
    from ivr.call.flow import Flow
    from ivr.call.state import CallState
    from ivr.call.verbs import Gather
    from ivr.menu.loading import load_menus
    from tests.conftest import CLOSED_TIME, ENV, shipped_with

    moved = shipped_with(
        tmp_path, "timezone: Asia/Shanghai", "timezone: Asia/Hong_Kong", "  agents:"
    )
    menus = load_menus(moved, env=ENV)
    assert menus.nodes["service_hours"].say["zh-CN"].startswith("人工客服的服务时间是香港时间")
    assert "Hong Kong time" in menus.nodes["service_hours"].say["en-US"]
    answer = Flow(menus).gather(CallState(node="main", lang="zh-CN", step=1), CLOSED_TIME, "0")
    said = "".join(s.text for v in answer.verbs if isinstance(v, Gather) for s in v.prompts)
    assert "人工客服的服务时间是香港时间" in said and "北京时间" not in said


@pytest.mark.parametrize(
    ("at", "zh", "en"),
    [
        (
            dt.datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI),
            "今天全天休息。",
            "We are closed all day today.",
        ),
        (
            dt.datetime(2026, 12, 10, 13, 0, tzinfo=SHANGHAI),
            "今天的服务时间是上午8点至中午12点。",
            "Today we are open only from 8 AM to 12 PM.",
        ),
        (dt.datetime(2026, 12, 11, 21, 0, tzinfo=SHANGHAI), "", ""),  # an ordinary day
    ],
)
def test_a_day_set_apart_is_said_as_today(at, zh, en):
    """The developer review: closed at 10:00 on a day the operator closed, a caller heard
    "our hours are every day 8 to 8" and nothing of today."""
    schedule = make(DAILY, exceptions={"2026-12-09": [], "2026-12-10": ["08:00-12:00"]})
    assert describe_today(schedule, at, "zh-CN") == zh
    assert describe_today(schedule, at, "en-US") == en


def test_the_closed_message_says_today_on_a_day_set_apart(tmp_path):
    from ivr.call.flow import Flow
    from ivr.call.state import CallState
    from ivr.call.verbs import Gather
    from ivr.menu.loading import load_menus
    from tests.conftest import ENV, shipped_with

    kept = "      whole_breaks: true\n"
    set_apart = shipped_with(tmp_path, kept, kept + "    exceptions: {2026-12-09: []}\n")
    flow = Flow(load_menus(set_apart, env=ENV))
    at = dt.datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI)
    answer = flow.gather(CallState(node="main", lang="zh-CN", step=1), at, "0")
    said = "".join(s.text for v in answer.verbs if isinstance(v, Gather) for s in v.prompts)
    assert "今天全天休息。我们将于明天上午8点恢复服务。" in said


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (120, "2分钟", "2 minutes"),
        (60, "1分钟", "1 minute"),
        (90, "1分30秒", "1 minute 30 seconds"),
        (45, "45秒", "45 seconds"),
        (1, "1秒", "1 second"),
        (3600, "60分钟", "60 minutes"),
    ],
)
def test_a_recordings_length_is_said_as_callers_say_it(seconds, zh, en):
    assert describe_duration(seconds, "zh-CN") == zh
    assert describe_duration(seconds, "en-US") == en
