"""Business hours: when the hotline is open, and how to say so to a caller.

Pure core: no Flask, no Twilio, and the current time is always an argument.
Public holidays and China's swapped working days (调休) come from `holidays`.
Spoken phrases are Mandarin for language tags starting with "zh" or "cmn" and
English for every other tag.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import holidays

from ivr.menu.phrases import family

MINUTES_PER_DAY = 24 * 60
SEARCH_DAYS = 400

_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# The keys of a weekly schedule: every day, weekdays, the weekend or one day of the week.
Weekday = Literal["daily", "weekdays", "weekend", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DAY_KEYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUP_KEYS: dict[Weekday, range] = {
    "daily": range(7),
    "weekdays": range(5),
    "weekend": range(5, 7),
}
# Names are fetched in English so this label can be parsed whatever the country's language.
_SUBSTITUTED_RE = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True, order=True)
class TimeRange:
    """One open range of a day; it may run past midnight into the next day."""

    start: dt.time
    end_minutes: int  # after the start day's midnight: 24:00 is 1440, 02:00 next day 1560

    def __post_init__(self) -> None:
        length = self.end_minutes - self.start_minutes
        if self.start.second or self.start.microsecond or not 0 < length <= MINUTES_PER_DAY:
            raise ValueError(f"{self} is not a time range of whole minutes up to one day")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """Parse "08:00-20:00"; an end at or before the start means the next day."""
        match = _RANGE_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{text!r} is not a time range like '08:00-20:00'")
        start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
        if start_h > 23 or start_m > 59 or end_m > 59 or end_h > 24 or (end_h == 24 and end_m):
            raise ValueError(f"{text!r} is not a time range like '08:00-20:00'")
        start = start_h * 60 + start_m
        end = end_h * 60 + end_m
        if end <= start:
            end += MINUTES_PER_DAY
        return cls(dt.time(start_h, start_m), end)

    @property
    def start_minutes(self) -> int:
        """Return the start as minutes after midnight."""
        return self.start.hour * 60 + self.start.minute

    def __str__(self) -> str:
        end = self.end_minutes % MINUTES_PER_DAY or MINUTES_PER_DAY
        return f"{self.start:%H:%M}-{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True)
class Schedule:
    """Weekly opening hours in one time zone, with holidays, swaps and dated exceptions."""

    name: str
    timezone: str  # IANA name
    weekly: tuple[tuple[TimeRange, ...], ...]  # 7 entries, Monday first
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    holiday_hours: tuple[TimeRange, ...] | None = None  # () closed; None: holidays ignored
    working_weekends: bool = True  # honour swapped working days (调休) of holiday_country
    whole_breaks: bool = False  # weekend days inside a break around a holiday take its hours
    exceptions: Mapping[dt.date, tuple[TimeRange, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError(f"weekly needs 7 days, Monday first, not {len(self.weekly)}")
        zoneinfo.ZoneInfo(self.timezone)  # fail at construction, not on the first call

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Return the schedule's time zone."""
        return zoneinfo.ZoneInfo(self.timezone)  # ZoneInfo caches instances by key

    @classmethod
    def build(
        cls,
        name: str,
        timezone: str,
        weekly: Mapping[Weekday, Sequence[TimeRange]],
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
        holiday_hours: Sequence[TimeRange] | None = None,
        working_weekends: bool = True,
        exceptions: Mapping[dt.date, Sequence[TimeRange]] | None = None,
        whole_breaks: bool = False,
    ) -> Schedule:
        """Build a schedule from checked values; weekly keys are daily, weekdays/weekend, mon..sun.

        Specific keys win over general ones: daily, then weekdays/weekend, then single days.
        """
        days: list[tuple[TimeRange, ...]] = [()] * 7
        for key, indices in _GROUP_KEYS.items():  # daily, then weekdays/weekend
            if key in weekly:
                for index in indices:
                    days[index] = tuple(sorted(weekly[key]))
        for index, key in enumerate(_DAY_KEYS):
            if key in weekly:
                days[index] = tuple(sorted(weekly[key]))
        return cls(
            name=name,
            timezone=timezone,
            weekly=tuple(days),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            holiday_hours=tuple(sorted(holiday_hours)) if holiday_hours is not None else None,
            working_weekends=working_weekends,
            whole_breaks=whole_breaks,
            exceptions=MappingProxyType(
                {day: tuple(sorted(ranges)) for day, ranges in (exceptions or {}).items()}
            ),
        )

    def hours_on(self, day: dt.date) -> tuple[TimeRange, ...]:
        """Return the ranges that start on a local date, after holidays, swaps and exceptions."""
        if day in self.exceptions:
            return self.exceptions[day]
        if self.holiday_country is not None:
            year = _holiday_year(self.holiday_country, self.holiday_subdivision, day.year)
            if self.holiday_hours is not None and (
                day in year.holidays or (self.whole_breaks and day in year.break_days)
            ):
                return self.holiday_hours
            if self.working_weekends and day in year.working_days:
                return self.weekly[year.working_days[day]]
        return self.weekly[day.weekday()]

    def next_holiday(self, after: dt.date) -> dt.date | None:
        """Return the first public holiday after a local date (None without a country)."""
        if self.holiday_country is None:
            return None
        for year in (after.year, after.year + 1):
            days = _holiday_year(self.holiday_country, self.holiday_subdivision, year).holidays
            later = sorted(day for day in days if day > after)
            if later:
                return later[0]
        return None

    def is_open(self, now: dt.datetime) -> bool:
        """Return whether the line is open at an aware moment (start inclusive, end exclusive)."""
        _require_aware(now)
        today = now.astimezone(self.zone).date()
        for day in (today - dt.timedelta(days=1), today):
            for time_range in self.hours_on(day):
                start, end = self._span(day, time_range)
                if start <= now < end:
                    return True
        return False

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        """Return when the line next opens after now (after the current period if open)."""
        _require_aware(now)
        first_day = now.astimezone(self.zone).date() - dt.timedelta(days=1)
        # A period that contains now is passed over: merged periods never touch, so the
        # next one starts strictly after the current one ends.
        return next((start for start, _ in self._periods(first_day) if start > now), None)

    def next_closing(self, now: dt.datetime) -> dt.datetime | None:
        """Return when the open period around now ends (None when closed, or never ending)."""
        _require_aware(now)
        first_day = now.astimezone(self.zone).date() - dt.timedelta(days=1)
        for start, end in self._periods(first_day):
            if start > now:
                return None
            if now < end:
                # A period still open where the search window ends does not close in sight.
                return end if end - now < dt.timedelta(days=SEARCH_DAYS - 2) else None
        return None

    def holiday_name(self, day: dt.date) -> str | None:
        """Name the public holiday on a local date (in English), if the schedule keeps one."""
        if self.holiday_country is None or self.holiday_hours is None:
            return None
        names, _, _ = _public_holidays(self.holiday_country, self.holiday_subdivision, day.year)
        if day in names or not self.whole_breaks:
            return names.get(day)
        year = _holiday_year(self.holiday_country, self.holiday_subdivision, day.year)
        return year.break_days.get(day)

    def _span(self, day: dt.date, time_range: TimeRange) -> tuple[dt.datetime, dt.datetime]:
        """Return a range on a day as aware start and end moments."""
        return (
            _at(day, time_range.start_minutes, self.zone),
            _at(day, time_range.end_minutes, self.zone),
        )

    def _periods(self, first_day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Yield each open period (start, end) in the search window, merging touching ranges."""
        period: tuple[dt.datetime, dt.datetime] | None = None
        for offset in range(SEARCH_DAYS + 2):
            day = first_day + dt.timedelta(days=offset)
            for time_range in sorted(self.hours_on(day)):
                start, end = self._span(day, time_range)
                if period is None or start > period[1]:
                    if period is not None:
                        yield period
                    period = (start, end)
                else:
                    period = (period[0], max(period[1], end))
        if period is not None:
            yield period


@dataclass(frozen=True)
class Verdict:
    """Where a moment falls in a schedule: its local time, open or closed, and until when."""

    schedule: str
    local: dt.datetime  # the moment in the schedule's time zone
    open: bool
    change: dt.datetime | None  # open: when it closes; closed: when it next opens
    holiday: str | None  # the public holiday that day, by name

    def text(self) -> str:
        """Say it in a few words: "open until 20:00", "open (National Day) until 18:00",
        "closed, opens 08:00 Thu"."""
        state = "open" if self.open else "closed"
        if self.holiday:
            state += f" ({self.holiday})"
        if self.change is None:
            return state + (", around the clock" if self.open else ", not opening again soon")
        when = self.change.astimezone(self.local.tzinfo)
        shown = f"{when:%H:%M}"
        if when.date() != self.local.date():
            days = (when.date() - self.local.date()).days
            shown += f" {when:%a}" if days < 7 else f" {when:%a %d %b %Y}"
        return f"{state} until {shown}" if self.open else f"{state}, opens {shown}"

    def clock(self) -> str:
        """The local time, zone and offset: "Mon 2026-11-23 21:00 Asia/Shanghai (+08:00)"."""
        offset = self.local.strftime("%z")
        return f"{self.local:%a %Y-%m-%d %H:%M} {self.local.tzinfo} ({offset[:3]}:{offset[3:]})"

    def as_dict(self) -> dict[str, object]:
        """The verdict as JSON-ready values."""
        return {
            "schedule": self.schedule,
            "local": self.local.isoformat(),
            "clock": self.clock(),
            "timezone": str(self.local.tzinfo),
            "open": self.open,
            "change": self.change.isoformat() if self.change else None,
            "holiday": self.holiday,
            "text": self.text(),
        }


def verdict(schedule: Schedule, now: dt.datetime) -> Verdict:
    """Judge an aware moment against a schedule: the one place the hours verdict is phrased."""
    _require_aware(now)
    local = now.astimezone(schedule.zone)
    is_open = schedule.is_open(now)
    change = schedule.next_closing(now) if is_open else schedule.next_opening(now)
    return Verdict(schedule.name, local, is_open, change, schedule.holiday_name(local.date()))


def describe_hours(schedule: Schedule, lang: str) -> str:
    """Say the weekly hours (and holiday hours) for callers, in Mandarin or English."""
    zh = _is_chinese(lang)
    groups: list[tuple[int, int, tuple[TimeRange, ...]]] = []
    for index, ranges in enumerate(schedule.weekly):
        if groups and groups[-1][2] == ranges:
            groups[-1] = (groups[-1][0], index, ranges)
        else:
            groups.append((index, index, ranges))
    parts = [_describe_days(first, last, ranges, zh) for first, last, ranges in groups]
    text = ("，" if zh else ", ").join(parts)
    if schedule.holiday_country is not None and schedule.holiday_hours is not None:
        hours = schedule.holiday_hours
        if zh:
            text += "，法定节假日" + (_zh_ranges(hours) if hours else "休息")
        elif hours:
            text += ", and on public holidays " + _en_ranges(hours)
        else:
            text += ", and closed on public holidays"
    return text


# How callers name a zone's time; elsewhere the city of its IANA name ("London time"), and
# in Mandarin "当地时间" (local time), never a wrong city.
_ZONE_WORDS = {
    "Asia/Shanghai": ("北京时间", "Beijing time"),
    "Asia/Chongqing": ("北京时间", "Beijing time"),
    "Asia/Harbin": ("北京时间", "Beijing time"),
    "Asia/Urumqi": ("新疆时间", "Xinjiang time"),
    "PRC": ("北京时间", "Beijing time"),
    "Asia/Hong_Kong": ("香港时间", "Hong Kong time"),
    "Asia/Macau": ("澳门时间", "Macau time"),
    "Asia/Taipei": ("台北时间", "Taipei time"),
    "Asia/Singapore": ("新加坡时间", "Singapore time"),
    "Asia/Tokyo": ("东京时间", "Tokyo time"),
    "UTC": ("协调世界时", "UTC"),
}


def describe_zone(zone: dt.tzinfo, lang: str) -> str:
    """Name a schedule's zone as callers do: "北京时间", "Beijing time"."""
    key = str(getattr(zone, "key", None) or zone)
    zh, en = _ZONE_WORDS.get(key, ("当地时间", key.rsplit("/", 1)[-1].replace("_", " ") + " time"))
    return zh if _is_chinese(lang) else en


def describe_today(schedule: Schedule, now: dt.datetime, lang: str) -> str:
    """Say today's hours when an exception (a day the operator set apart) changes them:
    the weekly hours said beside "closed now" would otherwise contradict the caller's day.
    Empty on any other day."""
    _require_aware(now)
    ranges = schedule.exceptions.get(now.astimezone(schedule.zone).date())
    if ranges is None:
        return ""
    if _is_chinese(lang):
        return f"今天的服务时间是{_zh_ranges(ranges)}。" if ranges else "今天全天休息。"
    return (
        f"Today we are open only {_en_ranges(ranges)}."
        if ranges
        else "We are closed all day today."
    )


def describe_next_opening(opening: dt.datetime, now: dt.datetime, lang: str) -> str:
    """Say when the line opens again, judging today and tomorrow in the opening's zone."""
    _require_aware(opening)
    _require_aware(now)
    today = now.astimezone(opening.tzinfo).date()
    day = opening.date()
    minutes = opening.hour * 60 + opening.minute
    # Without a year a date is unambiguous only within the coming year.
    with_year = day >= _add_year(today)
    if _is_chinese(lang):
        if day == today:
            when = "今天"
        elif day == today + dt.timedelta(days=1):
            when = "明天"
        else:
            year = f"{day.year}年" if with_year else ""
            when = f"{year}{day.month}月{day.day}日（{_ZH_WEEKDAYS[day.weekday()]}）"
        return f"我们将于{when}{_zh_clock(minutes)}恢复服务。"
    if day == today:
        when = "today"
    elif day == today + dt.timedelta(days=1):
        when = "tomorrow"
    else:
        year = f" {day.year}" if with_year else ""
        when = f"on {_EN_WEEKDAYS[day.weekday()]}, {day.day} {_EN_MONTHS[day.month - 1]}{year}"
    return f"We will be open again {when} at {_en_clock(minutes)}."


# --- callback windows -----------------------------------------------------------------

CALLBACK_DAYS = 14  # how far ahead a callback is booked: past that, a person decides


def kept_window(schedule: Schedule | None, day: dt.date, window: TimeRange) -> TimeRange | None:
    """The part of a window of a local day in which the schedule is open (its earliest
    part when the schedule breaks it up), or None; the whole window without a schedule."""
    if schedule is None:
        return window
    ranges = [(r.start_minutes, r.end_minutes) for r in schedule.hours_on(day)]
    before = schedule.hours_on(day - dt.timedelta(days=1))  # past midnight into this day
    ranges += [(r.start_minutes - MINUTES_PER_DAY, r.end_minutes - MINUTES_PER_DAY) for r in before]
    pieces = sorted(
        (max(start, window.start_minutes), min(end, window.end_minutes)) for start, end in ranges
    )
    for start, end in pieces:
        if start < end:
            return TimeRange(dt.time(*divmod(start, 60)), end)
    return None


def callback_day(
    schedule: Schedule | None,
    windows: Mapping[str, TimeRange],
    now: dt.datetime,
    zone: zoneinfo.ZoneInfo,
) -> tuple[dt.date, dict[str, TimeRange]] | None:
    """The first local day from today on which some window can still be kept, with the
    windows kept that day (key -> the hours agents work in it); None within CALLBACK_DAYS.

    A window is kept on a day when agents work in it then; today only if it has not begun,
    so the caller is never promised hours already under way.
    """
    _require_aware(now)
    local = now.astimezone(zone)
    for offset in range(CALLBACK_DAYS):
        day = local.date() + dt.timedelta(days=offset)
        kept = {}
        for key, window in windows.items():
            hours = kept_window(schedule, day, window)
            if hours is not None and _at(day, hours.start_minutes, zone) > now:
                kept[key] = hours
        if kept:
            return day, kept
    return None


def describe_day(day: dt.date, now: dt.datetime, zone: zoneinfo.ZoneInfo, lang: str) -> str:
    """Name a local day for a caller: "明天（11月25日）", "tomorrow, 25 November",
    "10月8日（星期四）", "on Thursday, 8 October"."""
    today = now.astimezone(zone).date()
    with_year = day >= _add_year(today)
    if _is_chinese(lang):
        date = f"{day.year}年" * with_year + f"{day.month}月{day.day}日"
        if day == today:
            return f"今天（{date}）"
        if day == today + dt.timedelta(days=1):
            return f"明天（{date}）"
        return f"{date}（{_ZH_WEEKDAYS[day.weekday()]}）"
    date = f"{day.day} {_EN_MONTHS[day.month - 1]}" + f" {day.year}" * with_year
    if day == today:
        return f"today, {date}"
    if day == today + dt.timedelta(days=1):
        return f"tomorrow, {date}"
    return f"on {_EN_WEEKDAYS[day.weekday()]}, {date}"


def describe_duration(seconds: int, lang: str) -> str:
    """Say a length of time as callers do: "2分钟", "1分30秒", "2 minutes", "45 seconds"."""
    minutes, rest = divmod(seconds, 60)
    if _is_chinese(lang):
        if not minutes:
            return f"{rest}秒"
        return f"{minutes}分{rest}秒" if rest else f"{minutes}分钟"
    parts = [(minutes, "minute"), (rest, "second")]
    return " ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n)


def describe_window(hours: TimeRange, lang: str) -> str:
    """Say a callback window's hours: "晚上6点到8点之间", "between 6 and 8 pm"."""
    start, end = hours.start_minutes, hours.end_minutes
    if _is_chinese(lang):
        # A window that starts at 18:00 is an evening one ("晚上6点"), though 18:00 closes
        # an afternoon ("下午6点").
        first = _zh_clock(start).replace("下午", "晚上") if start >= 18 * 60 else _zh_clock(start)
        last = _zh_clock(end)
        period = re.match(r"\D+", first)
        if period and last.startswith(period.group()):
            last = last[len(period.group()) :]
        return f"{first}到{last}之间"
    first, last = _en_clock(start).lower(), _en_clock(end).lower()
    if end == 12 * 60:
        last = "noon"
    elif first[-2:] == last[-2:]:
        first = first[:-3]  # "6 pm" -> "6" before "and 8 pm"
    return f"between {first} and {last}"


# --- holidays -------------------------------------------------------------------------


@dataclass(frozen=True)
class _HolidayYear:
    """The public holidays and swapped working days of one calendar year."""

    holidays: frozenset[dt.date]
    working_days: Mapping[dt.date, int]  # weekend day worked -> weekday whose hours it takes
    # Weekend days off inside a break around a public holiday -> that holiday's name. The
    # package lists the statutory days and substituted days off, not the Saturday and Sunday
    # in between, while China announces each break whole (国庆 10月1日至7日放假).
    break_days: Mapping[dt.date, str]


@functools.lru_cache(maxsize=128)
def _public_holidays(
    country: str, subdivision: str | None, year: int
) -> tuple[Mapping[dt.date, str], frozenset[dt.date], frozenset[int]]:
    """Fetch one year's public holidays (names in English), weekend working days and weekend."""
    calendar = holidays.country_holidays(
        country, subdiv=subdivision, years=year, categories=("public",), language="en_US"
    )
    return (
        MappingProxyType(dict(calendar)),
        frozenset(calendar.weekend_workdays),
        frozenset(calendar.weekend),
    )


@functools.lru_cache(maxsize=128)
def _holiday_year(country: str, subdivision: str | None, year: int) -> _HolidayYear:
    """Combine a year's holidays with swaps whose day off falls in a neighbouring year."""
    names, _, weekend = _public_holidays(country, subdivision, year)
    workdays: set[dt.date] = set()
    paid_for: dict[dt.date, int] = {}
    near_holidays: dict[dt.date, str] = {}
    near_workdays_all: set[dt.date] = set()
    for near in (year - 1, year, year + 1):
        near_names, near_workdays, _ = _public_holidays(country, subdivision, near)
        workdays.update(day for day in near_workdays if day.year == year)
        near_holidays.update(near_names)
        near_workdays_all.update(near_workdays)
        for day_off, name in near_names.items():
            # "Day off (substituted from 01/04/2026)": that worked day takes the day off's hours.
            for month, day, worked_year in _SUBSTITUTED_RE.findall(name):
                paid_for[dt.date(int(worked_year), int(month), int(day))] = day_off.weekday()
    return _HolidayYear(
        holidays=frozenset(day for day in names if day.year == year),
        # Monday stands in for a normal weekday when the swap is not named.
        working_days=MappingProxyType({day: paid_for.get(day, 0) for day in workdays}),
        break_days=MappingProxyType(
            _break_days(year, near_holidays, frozenset(near_workdays_all), weekend)
        ),
    )


def _break_days(
    year: int, names: Mapping[dt.date, str], workdays: frozenset[dt.date], weekend: frozenset[int]
) -> dict[dt.date, str]:
    """Name each weekend day off of a year that lies in a run of days off with a holiday."""

    def off(day: dt.date) -> bool:
        return day in names or (day.weekday() in weekend and day not in workdays)

    found: dict[dt.date, str] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        if off(day) and day not in names:
            run = [day]
            for step in (dt.timedelta(days=-1), dt.timedelta(days=1)):
                near = day + step
                while off(near) and len(run) < 60:  # a bound, should the data ever be odd
                    run.append(near)
                    near += step
            held = sorted(d for d in run if d in names)
            # Name the day after the festival it follows (else the one it leads to), never
            # after a substituted day off unless the break has nothing else.
            named = [d for d in held if not _SUBSTITUTED_RE.search(names[d])] or held
            if named:
                before = [d for d in named if d < day]
                found[day] = names[before[-1] if before else named[0]]
        day += dt.timedelta(days=1)
    return found


# --- time arithmetic ------------------------------------------------------------------


def _at(day: dt.date, minutes: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """Return the aware moment a wall-clock time occurs, skipping DST gaps forward."""
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    # A wall time in a spring-forward gap does not exist: open at the next minute that does.
    # Ambiguous fall-back times take their first occurrence (fold=0).
    for _ in range(MINUTES_PER_DAY + 1):
        moment = wall.replace(tzinfo=zone)
        if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == wall:
            return moment
        wall += dt.timedelta(minutes=1)
    raise ValueError(f"no valid local time near {wall} in {zone.key}")


def _require_aware(moment: dt.datetime) -> None:
    """Refuse naive datetimes, whose zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment} has no time zone; pass an aware datetime")


def _add_year(day: dt.date) -> dt.date:
    """Return the same date a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# --- phrasing -------------------------------------------------------------------------

_ZH_DAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_ZH_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ALL_DAY = TimeRange(dt.time(0, 0), MINUTES_PER_DAY)


def _is_chinese(lang: str) -> bool:
    return family(lang) == "zh"


def _describe_days(first: int, last: int, ranges: tuple[TimeRange, ...], zh: bool) -> str:
    """Phrase one run of consecutive weekdays sharing the same hours."""
    if zh:
        if first == 0 and last == 6:
            days = "每天"
        elif first == last:
            days = _ZH_DAYS[first]
        else:
            days = _ZH_DAYS[first] + ("和" if last == first + 1 else "至") + _ZH_DAYS[last]
        return days + (_zh_ranges(ranges) if ranges else "休息")
    if first == 0 and last == 6:
        days = "every day"
    elif first == last:
        days = _EN_WEEKDAYS[first]
    else:
        joiner = " and " if last == first + 1 else " to "
        days = _EN_WEEKDAYS[first] + joiner + _EN_WEEKDAYS[last]
    if ranges:
        return f"{days} {_en_ranges(ranges)}"
    return "closed every day" if days == "every day" else f"closed on {days}"


def _zh_ranges(ranges: tuple[TimeRange, ...]) -> str:
    """Phrase ranges in Mandarin: "上午9点至中午12点、下午1点至下午6点"."""
    return "、".join(
        "24小时" if r == _ALL_DAY else f"{_zh_clock(r.start_minutes)}至{_zh_clock(r.end_minutes)}"
        for r in ranges
    )


def _en_ranges(ranges: tuple[TimeRange, ...]) -> str:
    """Phrase ranges in English: "from 9 AM to 12 PM and from 1 PM to 6 PM"."""
    phrases = [
        "around the clock"
        if r == _ALL_DAY
        else f"from {_en_clock(r.start_minutes)} to {_en_clock(r.end_minutes)}"
        for r in ranges
    ]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _zh_clock(minutes: int) -> str:
    """Say a time of day in Mandarin with a period and 12-hour number: "晚上8点"."""
    if minutes == MINUTES_PER_DAY:
        return "午夜12点"
    if minutes > MINUTES_PER_DAY:
        return "次日" + _zh_clock(minutes - MINUTES_PER_DAY)
    hour, minute = divmod(minutes, 60)
    if hour <= 5:
        period = "凌晨"
    elif hour <= 11:
        period = "上午"
    elif hour == 12:
        period = "中午"
    elif minutes <= 18 * 60:  # 18:00 sharp is "下午6点", as Chinese business hours say it
        period = "下午"
    else:
        period = "晚上"
    number = hour - 12 if hour > 12 else hour  # 00:30 is 凌晨0点30分, as Chinese clocks say
    return f"{period}{number}点" + (f"{minute}分" if minute else "")


def _en_clock(minutes: int) -> str:
    """Say a time of day in English: "8 AM", "8:30 PM", "midnight" for 24:00."""
    if minutes == MINUTES_PER_DAY:
        return "midnight"
    hour, minute = divmod(minutes % MINUTES_PER_DAY, 60)
    number = hour % 12 or 12
    suffix = "AM" if hour < 12 else "PM"
    return f"{number}:{minute:02d} {suffix}" if minute else f"{number} {suffix}"
