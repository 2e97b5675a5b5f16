"""Business hours: when the hotline is open, and how to say so to a caller.

Pure core: no Flask, no Twilio, and the current time is always an argument.
Public holidays and China's swapped working days (调休) come from `holidays`.
Spoken phrases are Mandarin for language tags starting with "zh" or "cmn" and
English for every other tag.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import importlib.util
import re
import sys
import threading
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import holidays
from holidays.registry import COUNTRIES, EntityLoader

from ivr.phrases import family
from ivr.problems import did_you_mean

MINUTES_PER_DAY = 24 * 60
SEARCH_DAYS = 400

_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUP_KEYS = {"daily": range(7), "weekdays": range(5), "weekend": range(5, 7)}
_TOP_KEYS = ("timezone", "weekly", "holidays", "exceptions")
_HOLIDAY_KEYS = ("country", "subdivision", "hours", "working_weekends")
# Names are fetched in English so this label can be parsed whatever the country's language.
_SUBSTITUTED_RE = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


class ScheduleError(ValueError):
    """A bad value in an hours block: where it is, what is wrong and how to fix it."""

    def __init__(self, field_path: tuple[Any, ...], message: str, fix: str | None = None) -> None:
        self.field_path = tuple(field_path)  # relative to the block given to from_config
        self.message = message
        self.fix = fix
        super().__init__(field_path, message, fix)

    def __str__(self) -> str:
        where = _format_path(self.field_path)
        fix = f" (fix: {self.fix})" if self.fix else ""
        return f"{where + ': ' if where else ''}{self.message}{fix}"


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
    def from_config(cls, name: str, data: Mapping[str, Any]) -> Schedule:
        """Build a schedule from its YAML block, raising ScheduleError for bad values."""
        if not isinstance(data, Mapping):
            raise ScheduleError((), "hours must be a mapping", "give at least timezone and weekly")
        _check_keys(data, _TOP_KEYS, ())
        timezone = _parse_timezone(data.get("timezone"))
        if "weekly" not in data:
            raise ScheduleError(("weekly",), "weekly hours are missing", "add weekly: {daily: []}")
        weekly = _parse_weekly(data["weekly"])
        country = subdivision = hours = None
        working_weekends = True
        if data.get("holidays") is not None:
            country, subdivision, hours, working_weekends = _parse_holidays(data["holidays"])
        exceptions = _parse_exceptions(data.get("exceptions"))
        return cls(
            name=name,
            timezone=timezone,
            weekly=weekly,
            holiday_country=country,
            holiday_subdivision=subdivision,
            holiday_hours=hours,
            working_weekends=working_weekends,
            exceptions=exceptions,
        )

    def hours_on(self, day: dt.date) -> tuple[TimeRange, ...]:
        """Return the ranges that start on a local date, after holidays, swaps and exceptions."""
        if day in self.exceptions:
            return self.exceptions[day]
        if self.holiday_country is not None:
            year = _holiday_year(self.holiday_country, self.holiday_subdivision, day.year)
            if self.holiday_hours is not None and day in year.holidays:
                return self.holiday_hours
            if self.working_weekends and day in year.working_days:
                return self.weekly[year.working_days[day]]
        return self.weekly[day.weekday()]

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
        return next((start for start in self._period_starts(first_day) if start > now), None)

    def _span(self, day: dt.date, time_range: TimeRange) -> tuple[dt.datetime, dt.datetime]:
        """Return a range on a day as aware start and end moments."""
        return (
            _at(day, time_range.start_minutes, self.zone),
            _at(day, time_range.end_minutes, self.zone),
        )

    def _period_starts(self, first_day: dt.date) -> Iterator[dt.datetime]:
        """Yield the start of each open period in the search window, merging touching ranges."""
        period_end: dt.datetime | None = None
        for offset in range(SEARCH_DAYS + 2):
            day = first_day + dt.timedelta(days=offset)
            for time_range in sorted(self.hours_on(day)):
                start, end = self._span(day, time_range)
                if period_end is None or start > period_end:
                    yield start
                    period_end = end
                else:
                    period_end = max(period_end, end)


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


# --- holidays -------------------------------------------------------------------------


@dataclass(frozen=True)
class _HolidayYear:
    """The public holidays and swapped working days of one calendar year."""

    holidays: frozenset[dt.date]
    working_days: Mapping[dt.date, int]  # weekend day worked -> weekday whose hours it takes


@functools.lru_cache(maxsize=128)
def _public_holidays(
    country: str, subdivision: str | None, year: int
) -> tuple[Mapping[dt.date, str], frozenset[dt.date]]:
    """Fetch one year's public holidays (names in English) and weekend working days."""
    calendar = country_calendar(country)(
        subdiv=subdivision, years=year, categories=("public",), language="en_US"
    )
    return MappingProxyType(dict(calendar)), frozenset(calendar.weekend_workdays)


_loading = threading.Lock()
# A territory's calendar builds on its country's (American Samoa on the United States').
_COUNTRY_IMPORT = re.compile(r"^from holidays\.countries\.(\w+) import", re.MULTILINE)


@functools.cache
def country_calendar(code: str) -> type[holidays.HolidayBase]:
    """The `holidays` class of one country (an ISO code or alias), loading that country only.

    `holidays.country_holidays` imports the package `holidays.countries`, which imports
    all 250 countries: 8.5 MB in every server process and a third of its start-up. A
    country's module needs only itself and the countries it builds on, so those are
    loaded from their files alone; if the package's layout ever changes, the ordinary
    import is used instead.
    """
    found = [(module, names[0]) for module, names in COUNTRIES.items() if code in names[1:]]
    if not found:
        raise KeyError(f"holidays has no country {code!r}")
    (module_name, class_name), = found
    with _loading:  # this module is the process's only user of holidays' countries
        try:
            return getattr(_module_alone(module_name), class_name)
        except Exception:  # not a layout this code knows
            return getattr(holidays, code).get_entity()


def _module_alone(module_name: str, depth: int = 0) -> Any:
    name = f"holidays.countries.{module_name}"
    if (module := sys.modules.get(name)) is not None:
        return module
    if depth > 3:
        raise ImportError(f"{name}: countries building on each other in a loop")
    path = f"{holidays.__path__[0]}/countries/{module_name}.py"
    with open(path, encoding="utf-8") as file:
        for other in _COUNTRY_IMPORT.findall(file.read()):
            _module_alone(other, depth + 1)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # where holidays' own lazy import looks for it
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


@functools.lru_cache(maxsize=128)
def _holiday_year(country: str, subdivision: str | None, year: int) -> _HolidayYear:
    """Combine a year's holidays with swaps whose day off falls in a neighbouring year."""
    names, _ = _public_holidays(country, subdivision, year)
    workdays: set[dt.date] = set()
    paid_for: dict[dt.date, int] = {}
    for near in (year - 1, year, year + 1):
        near_names, near_workdays = _public_holidays(country, subdivision, near)
        workdays.update(day for day in near_workdays if day.year == year)
        for day_off, name in near_names.items():
            # "Day off (substituted from 01/04/2026)": that worked day takes the day off's hours.
            for month, day, worked_year in _SUBSTITUTED_RE.findall(name):
                paid_for[dt.date(int(worked_year), int(month), int(day))] = day_off.weekday()
    return _HolidayYear(
        holidays=frozenset(day for day in names if day.year == year),
        # Monday stands in for a normal weekday when the swap is not named.
        working_days=MappingProxyType({day: paid_for.get(day, 0) for day in workdays}),
    )


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


# --- configuration --------------------------------------------------------------------


def _format_path(path: tuple[Any, ...]) -> str:
    """Write a field path the way YAML readers think of it: weekly.mon[0]."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f"{'.' if text else ''}{part}"
    return text


def _check_keys(data: Mapping[str, Any], allowed: tuple[str, ...], path: tuple[Any, ...]) -> None:
    """Reject keys a block does not know, suggesting the one probably meant."""
    for key in data:
        if key not in allowed:
            fix = did_you_mean(key, list(allowed)) or "use one of: " + ", ".join(allowed)
            raise ScheduleError((*path, key), f"unknown key {key!r}", fix)


def _parse_timezone(value: object) -> str:
    """Check an IANA time zone name, suggesting close names when it is unknown."""
    if not isinstance(value, str) or not value:
        raise ScheduleError(
            ("timezone",), f"timezone must be an IANA name, not {value!r}", "e.g. 'Asia/Shanghai'"
        )
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    else:
        return value
    names = sorted(zoneinfo.available_timezones())
    lower = value.lower()
    by_lower = {name.lower(): name for name in names}
    by_city = {name.rsplit("/", 1)[-1].lower(): name for name in names}
    city = lower.rsplit("/", 1)[-1]
    if lower in by_lower:
        guesses = [by_lower[lower]]
    elif "beijing" in lower:
        guesses = ["Asia/Shanghai"]  # China's zone is named after Shanghai, not Beijing
    else:
        guesses = difflib.get_close_matches(value, names, n=1, cutoff=0.75) or [
            by_city[c] for c in difflib.get_close_matches(city, by_city, n=1, cutoff=0.75)
        ]  # the city part alone catches "Shanghia"
    fix = f"did you mean '{guesses[0]}'?" if guesses else "use an IANA name such as 'Asia/Shanghai'"
    raise ScheduleError(("timezone",), f"unknown time zone {value!r}", fix)


def _parse_ranges(value: object, path: tuple[Any, ...]) -> tuple[TimeRange, ...]:
    """Parse a list of "HH:MM-HH:MM" strings; [] means closed."""
    if not isinstance(value, list | tuple):
        raise ScheduleError(
            path, f"expected a list of time ranges, not {value!r}", "write ['08:00-20:00'], or []"
        )
    ranges = []
    for index, text in enumerate(value):
        try:
            ranges.append(TimeRange.parse(text))
        except ValueError as error:
            fix = "write HH:MM-HH:MM, hours 00-23; an end may be 24:00"
            raise ScheduleError((*path, index), str(error), fix) from None
    return tuple(sorted(ranges))


def _parse_weekly(value: object) -> tuple[tuple[TimeRange, ...], ...]:
    """Resolve daily, weekdays/weekend and single-day keys into seven days."""
    if not isinstance(value, Mapping):
        raise ScheduleError(("weekly",), "weekly must be a mapping", "e.g. daily: ['08:00-20:00']")
    allowed = list(_GROUP_KEYS) + list(_DAY_KEYS)
    for key in value:
        if key not in allowed:
            fix = did_you_mean(key, allowed) or "use mon..sun, daily, weekdays or weekend"
            raise ScheduleError(("weekly", key), f"unknown weekday key {key!r}", fix)
    days: list[tuple[TimeRange, ...]] = [()] * 7
    # Specific keys override general ones: daily, then weekdays/weekend, then single days.
    for key in ("daily", "weekdays", "weekend"):
        if key in value:
            ranges = _parse_ranges(value[key], ("weekly", key))
            for index in _GROUP_KEYS[key]:
                days[index] = ranges
    for index, key in enumerate(_DAY_KEYS):
        if key in value:
            days[index] = _parse_ranges(value[key], ("weekly", key))
    return tuple(days)


def _parse_holidays(
    value: object,
) -> tuple[str, str | None, tuple[TimeRange, ...], bool]:
    """Check the holidays block: country, subdivision, holiday hours, working weekends."""
    path = ("holidays",)
    if not isinstance(value, Mapping):
        raise ScheduleError(path, "holidays must be a mapping", "e.g. holidays: {country: CN}")
    _check_keys(value, _HOLIDAY_KEYS, path)
    supported = list(EntityLoader.get_country_codes())  # the registry: no country loaded
    country = value.get("country")
    if not isinstance(country, str) or country not in supported:
        raise ScheduleError(
            (*path, "country"),
            f"unknown holiday country {country!r}",
            _country_fix(country, supported),
        )
    subdivision = value.get("subdivision")
    if subdivision is not None:
        choices = [str(s) for s in country_calendar(country).subdivisions]
        if not isinstance(subdivision, str) or subdivision not in choices:
            if not choices:
                fix = f"{country} has no subdivisions; remove subdivision"
            else:
                fix = did_you_mean(subdivision, choices) or "use one of: " + ", ".join(choices)
            raise ScheduleError(
                (*path, "subdivision"), f"unknown subdivision {subdivision!r} of {country}", fix
            )
    hours = _parse_ranges(value.get("hours", []), (*path, "hours"))
    working_weekends = value.get("working_weekends", True)
    if not isinstance(working_weekends, bool):
        raise ScheduleError(
            (*path, "working_weekends"),
            f"working_weekends must be true or false, not {working_weekends!r}",
        )
    return country, subdivision, hours, working_weekends


def _country_fix(country: object, supported: list[str]) -> str:
    """Suggest a supported country code for a misspelt code or an English country name."""
    text = str(country)
    if text.upper() in supported:
        return f"did you mean '{text.upper()}'?"
    by_name = {name: codes[1] for name, codes in COUNTRIES.items()}
    if (code := by_name.get(text.lower().replace(" ", "_"))) is not None:
        return f"did you mean '{code}'?"
    return did_you_mean(text, list(supported)) or "use an ISO 3166 country code such as 'CN'"


def _parse_exceptions(value: object) -> Mapping[dt.date, tuple[TimeRange, ...]]:
    """Parse dated exceptions; keys are YAML dates or "YYYY-MM-DD" strings."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise ScheduleError(
            ("exceptions",), "exceptions must be a mapping", "e.g. 2026-12-31: ['08:00-17:00']"
        )
    parsed: dict[dt.date, tuple[TimeRange, ...]] = {}
    for key, ranges in value.items():
        day = _parse_date(key)
        if day in parsed:
            raise ScheduleError(("exceptions", key), f"{day} is listed twice", "keep one entry")
        parsed[day] = _parse_ranges(ranges, ("exceptions", key))
    return MappingProxyType(parsed)


def _parse_date(key: object) -> dt.date:
    """Read an exception's date from a YAML date or a "YYYY-MM-DD" string."""
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key.strip())
        except ValueError:
            pass
    raise ScheduleError(
        ("exceptions", key), f"{key!r} is not a date like '2026-12-31'", "write YYYY-MM-DD"
    )
