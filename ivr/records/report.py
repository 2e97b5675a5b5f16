"""What the call records say: the report, the open voicemails and callback requests.

Numbers are shown masked (`+86 138****1234`) unless a person handling the
callbacks asks for them. Times are shown in the agent schedule's time zone.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine, Row, func, select

from ivr.menu.hours import Schedule
from ivr.menu.loading import Menus
from ivr.menu.schema import DialNode, HoursNode, MessageNode, Option
from ivr.records import tables

UTC = datetime.UTC
BAR = 30  # characters of the longest terminal bar
# ITU country codes of one and two digits; all others have three.
_CC1 = {"1", "7"}
_CC2 = {
    "20",
    "27",
    "30",
    "31",
    "32",
    "33",
    "34",
    "36",
    "39",
    "40",
    "41",
    "43",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "51",
    "52",
    "53",
    "54",
    "55",
    "56",
    "57",
    "58",
    "60",
    "61",
    "62",
    "63",
    "64",
    "65",
    "66",
    "81",
    "82",
    "84",
    "86",
    "90",
    "91",
    "92",
    "93",
    "94",
    "95",
    "98",
}


def mask_number(number: str | None) -> str:
    """Hide the middle of a phone number: +8613812341234 -> +86 138****1234."""
    text = (number or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return text  # "anonymous", "client:alice": not a number
    if len(digits) < 5:
        return "*" * len(digits)
    if not text.startswith("+"):
        return _mask_national(digits)
    size = 1 if digits[:1] in _CC1 else 2 if digits[:2] in _CC2 else 3
    return f"+{digits[:size]} {_mask_national(digits[size:])}"


def _mask_national(digits: str) -> str:
    head, tail = (3, 4) if len(digits) >= 9 else (0, 2)
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[len(digits) - tail :]


# -- the report ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TrafficReport:
    """The numbers of the calls that started in [since, until), times in `timezone`."""

    since: datetime.datetime | None
    until: datetime.datetime | None
    timezone: str
    calls: int
    after_hours: int | None  # None when the menu has no agent schedule
    by_day: list[tuple[str, int]]
    by_hour: list[int]  # 24 counts, local hours
    options: list[dict[str, Any]]  # node, choice, to, count
    hangups: list[tuple[str, int]]  # node where the call's last answer left it
    agent_calls: int
    agent_average_seconds: float | None
    voicemails: list[dict[str, Any]]
    callbacks: list[dict[str, Any]]

    @property
    def after_hours_share(self) -> float | None:
        """Return the share of calls outside agent hours (None without a schedule)."""
        if self.after_hours is None or not self.calls:
            return None
        return round(self.after_hours / self.calls, 4)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "timezone": self.timezone,
            "calls": {
                "total": self.calls,
                "after_hours": self.after_hours,
                "after_hours_share": self.after_hours_share,
            },
            "by_day": [{"day": day, "calls": n} for day, n in self.by_day],
            "by_hour": [{"hour": hour, "calls": n} for hour, n in enumerate(self.by_hour)],
            "options": self.options,
            "hangups": [{"node": node, "calls": n} for node, n in self.hangups],
            "agent": {"calls": self.agent_calls, "average_seconds": self.agent_average_seconds},
            "open_voicemails": self.voicemails,
            "open_callbacks": self.callbacks,
        }


def build_report(
    engine: Engine,
    menus: Menus,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    skip_call_sids: str | None = None,
) -> TrafficReport:
    """Count the calls that started in [since, until) from the records.

    Calls whose CallSid starts with `skip_call_sids` (the simulator's) are left out.
    """
    zone = report_zone(menus)
    call, event = tables.calls.c, tables.events.c
    recording, callback = tables.recordings.c, tables.callbacks.c
    window = _between(call.started_at, since, until) + not_starting(call.call_sid, skip_call_sids)
    schedule = _agent_schedule(menus)
    with engine.connect() as session:
        starts = session.scalars(select(call.started_at).where(*window)).all()
        options = session.execute(
            select(event.node, event.outcome, func.count())
            .join(tables.calls, call.call_sid == event.call_sid)
            .where(*window, event.node.is_not(None), event.outcome.contains(" -> "))
            .group_by(event.node, event.outcome)
        ).all()
        last = (
            select(
                event.call_sid,
                func.coalesce(event.next_node, event.node).label("node"),
                func.row_number()
                .over(
                    partition_by=event.call_sid,
                    order_by=(event.step.desc(), event.at.desc(), event.id.desc()),
                )
                .label("rank"),
            )
            .join(tables.calls, call.call_sid == event.call_sid)
            .where(*window)
            .subquery()
        )
        hangups = session.execute(
            select(last.c.node, func.count()).where(last.c.rank == 1).group_by(last.c.node)
        ).all()
        reached = session.execute(
            select(call.started_at, func.min(event.at))
            .join(tables.calls, call.call_sid == event.call_sid)
            .where(*window, event.next_node.in_(agent_dials(menus)))
            .group_by(event.call_sid, call.started_at)
        ).all()
        voicemails = session.execute(
            select(tables.recordings)
            .where(
                ~recording.handled,
                *_between(recording.recorded_at, since, until),
                *not_starting(recording.call_sid, skip_call_sids),
            )
            .order_by(recording.urgent.desc(), recording.recorded_at, recording.id)
        ).all()
        callbacks = session.execute(
            select(tables.callbacks)
            .where(
                ~callback.handled,
                *_between(callback.requested_at, since, until),
                *not_starting(callback.call_sid, skip_call_sids),
            )
            .order_by(callback.urgent.desc(), callback.requested_at, callback.id)
        ).all()

    local = [start.astimezone(zone) for start in starts]
    by_hour = Counter(t.hour for t in local)
    waits = [(first - start).total_seconds() for start, first in reached]
    return TrafficReport(
        since=since.astimezone(zone) if since else None,
        until=until.astimezone(zone) if until else None,
        timezone=str(zone),
        calls=len(starts),
        after_hours=None if schedule is None else sum(not schedule.is_open(s) for s in starts),
        by_day=sorted(Counter(t.date().isoformat() for t in local).items()),
        by_hour=[by_hour.get(hour, 0) for hour in range(24)],
        options=_options(menus, options),
        hangups=sorted(((node or "?", n) for node, n in hangups), key=lambda x: (-x[1], x[0])),
        agent_calls=len(waits),
        agent_average_seconds=round(sum(waits) / len(waits), 1) if waits else None,
        voicemails=[voicemail_row(r, zone, masked=True) for r in voicemails],
        callbacks=[callback_row(c, zone, masked=True) for c in callbacks],
    )


def _between(
    column: Any, since: datetime.datetime | None, until: datetime.datetime | None
) -> list[Any]:
    """Conditions for since <= column < until, either end open."""
    return [
        c
        for c in (column >= since if since else None, column < until if until else None)
        if c is not None
    ]


def not_starting(column: Any, prefix: str | None) -> list[Any]:
    """The condition that leaves out rows whose column starts with prefix (none: keep all)."""
    return [~column.startswith(prefix, autoescape=True)] if prefix else []


def _options(menus: Menus, rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Count each menu choice by node and key, from outcomes like "keys 1 -> 1"."""
    counts: Counter[tuple[str, str]] = Counter()
    for node, outcome, n in rows:
        counts[(node, outcome.rsplit(" -> ", 1)[1])] += n
    found = []
    for (node, choice), n in counts.items():
        plan = menus.plans.get(node)
        action = plan.keys.get(choice) if plan else None
        if isinstance(action, Option):
            to: str | None = action.to
        else:  # a global key: where it leads, when it leads somewhere fixed
            to = {"agent": menus.agent_node, "main": menus.main_menu}.get(choice)
        found.append({"node": node, "choice": choice, "to": to, "count": n})
    return sorted(found, key=lambda o: (o["node"], -o["count"], o["choice"]))


def agent_dials(menus: Menus) -> list[str]:
    """Return the dial nodes the agent node leads to (through hours and messages)."""
    found, todo, seen = [], [menus.agent_node], set()
    while todo:
        node_id = todo.pop()
        if node_id is None or node_id in seen:
            continue
        seen.add(node_id)
        node = menus.nodes.get(node_id)
        if isinstance(node, DialNode):
            found.append(node_id)
        elif isinstance(node, HoursNode):
            todo += [node.open, node.closed]
        elif isinstance(node, MessageNode) and not node.hangup:
            todo.append(node.next)
    return sorted(found)


def _agent_schedule(menus: Menus) -> Schedule | None:
    node = menus.nodes.get(menus.agent_node or "")
    return menus.schedules.get(node.schedule) if isinstance(node, HoursNode) else None


def report_zone(menus: Menus) -> datetime.tzinfo:
    """Return the time zone of the agent schedule (UTC when there is none)."""
    schedule = _agent_schedule(menus)
    return schedule.zone if schedule is not None else UTC


def voicemail_row(r: Row[Any], zone: datetime.tzinfo, masked: bool) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "node": r.node,
        "caller": mask_number(r.caller) if masked else r.caller,
        "at": r.recorded_at.astimezone(zone).isoformat(timespec="seconds"),
        "duration": r.duration,
        "url": r.url,
        "transcription": r.transcription,
        "language": r.language,
        "topic": r.topic,
        "urgent": r.urgent,
        "handled": r.handled,
    }


def callback_row(c: Row[Any], zone: datetime.tzinfo, masked: bool) -> dict[str, Any]:
    return {
        "id": c.id,
        "caller": mask_number(c.caller) if masked else c.caller,
        "number": mask_number(c.number) if masked else c.number,
        "window": c.window,
        "date": c.window_date.isoformat() if c.window_date else None,  # the window's day
        "at": c.requested_at.astimezone(zone).isoformat(timespec="seconds"),
        "language": c.language,
        "topic": c.topic,
        "urgent": c.urgent,
        "handled": c.handled,
    }


# -- output ---------------------------------------------------------------------------------------


def to_csv(report: TrafficReport) -> str:
    """Render the report as one CSV table: section, key, label, value."""
    out = io.StringIO()
    writer = _SafeWriter(csv.writer(out, lineterminator="\n"))
    writer.writerow(["section", "key", "label", "value"])
    data = report.as_dict()
    for key in ("total", "after_hours", "after_hours_share"):
        writer.writerow(["calls", key, "", _blank(data["calls"][key])])
    writer.writerows(["by_day", day, "", n] for day, n in report.by_day)
    writer.writerows(["by_hour", hour, "", n] for hour, n in enumerate(report.by_hour))
    writer.writerows(
        ["option", f"{o['node']}:{o['choice']}", o["to"] or "", o["count"]] for o in report.options
    )
    writer.writerows(["hangup", node, "", n] for node, n in report.hangups)
    writer.writerow(["agent", "calls", "", report.agent_calls])
    writer.writerow(["agent", "average_seconds", "", _blank(report.agent_average_seconds)])
    writer.writerows(
        ["voicemail", v["id"], f"{v['kind']} {v['caller']} {v['at']}", v["transcription"] or ""]
        for v in report.voicemails
    )
    writer.writerows(
        ["callback", c["id"], f"{c['caller']} {c['at']}", f"{c['number']} {c['window']}"]
        for c in report.callbacks
    )
    return out.getvalue()


class _SafeWriter:
    """A csv writer whose text cells cannot run as spreadsheet formulas.

    A cell starting with = + - or @ (a caller's words in a transcription, say) is
    prefixed with an apostrophe, as OWASP advises against CSV injection; control
    characters other than a line break are dropped.
    """

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def json_for_terminal(data: object) -> str:
    """`data` as indented JSON whose text can be printed safely: JSON already escapes the
    control characters below U+0020, and these escape the rest (C1 controls, which a
    terminal obeys as escape sequences, and format characters such as a bidi override),
    so a stored value reads back unchanged and shows as written."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(_escaped(ch) if ord(ch) > 0x7F and _unseen(ch) else ch for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character beyond the BMP as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    # Control characters go as in the table (a lone CR would split the row unquoted); a
    # line break stays, and the csv module quotes it.
    value = "".join(ch for ch in value if ch == "\n" or not _unseen(ch))
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _blank(value: object) -> object:
    return "" if value is None else value


def _bar(n: int, most: int) -> Text:
    return Text("█" * round(BAR * n / most) if most else "", style="cyan")


def print_report(report: TrafficReport, console: Console) -> None:
    """Print the report as terminal tables, with bars for calls by hour and drop-off."""
    share = report.after_hours_share
    after = "" if share is None else f" · after hours {report.after_hours} ({share:.0%})"
    wait = report.agent_average_seconds
    agent = f" · reached the agent line {report.agent_calls}" + (
        f", after {wait:g} s on average" if wait is not None else ""
    )
    console.print(f"[bold]{report.calls} calls[/bold]{after}{agent}")
    console.print(f"times in {report.timezone}", style="dim")

    days = Table("day", "calls", title="Calls per day", title_justify="left")
    for day, n in report.by_day:
        days.add_row(plain_text(day), str(n))
    hours = Table("hour", "calls", "", title="Calls by hour", title_justify="left")
    most = max(report.by_hour, default=0)
    busy = [hour for hour, n in enumerate(report.by_hour) if n]
    for hour in range(busy[0], busy[-1] + 1) if busy else ():  # quiet ends left out
        n = report.by_hour[hour]
        hours.add_row(f"{hour:02d}:00", str(n), _bar(n, most))
    options = Table("menu", "key", "to", "count", title="Menu choices", title_justify="left")
    for o in report.options:
        options.add_row(
            plain_text(o["node"]),
            plain_text(o["choice"]),
            plain_text(o["to"] or ""),
            str(o["count"]),
        )
    drops = Table("node", "calls", "", title="Where callers hang up", title_justify="left")
    most = max((n for _, n in report.hangups), default=0)
    for node, n in report.hangups:
        drops.add_row(plain_text(node), str(n), _bar(n, most))
    for table in (days, hours, options, drops):
        console.print(table)
    console.print(voicemail_table(report.voicemails, "Open voicemails and feedback"))
    console.print(callback_table(report.callbacks, "Open callback requests"))


def voicemail_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Tabulate voicemails for the terminal."""
    handled = any(v["handled"] for v in rows)
    table = _table(
        title,
        "id",
        "kind",
        "topic",
        "lang",
        "caller",
        "when",
        "s",
        "transcription",
        *(["handled"] if handled else []),
    )
    for v in rows:
        table.add_row(
            str(v["id"]),
            plain_text(v["kind"]),
            _topic(v),
            plain_text(v["language"] or ""),
            plain_text(v["caller"] or ""),
            _when(v["at"]),
            str(v["duration"] or ""),
            plain_text(v["transcription"] or ""),
            *(["yes" if v["handled"] else ""] if handled else []),
        )
    return table


def callback_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Tabulate callback requests for the terminal."""
    handled = any(c["handled"] for c in rows)
    table = _table(
        title,
        "id",
        "topic",
        "lang",
        "caller",
        "call back on",
        "date",
        "window",
        "asked",
        *(["handled"] if handled else []),
    )
    for c in rows:
        table.add_row(
            str(c["id"]),
            _topic(c),
            plain_text(c["language"] or ""),
            plain_text(c["caller"] or ""),
            plain_text(c["number"]),
            c["date"] or "",
            plain_text(c["window"]),
            _when(c["at"]),
            *(["yes" if c["handled"] else ""] if handled else []),
        )
    return table


def _topic(item: dict[str, Any]) -> Text:
    """The topic a message or request came from, marked when urgent: "URGENT stolen"."""
    topic = plain_text(item["topic"] or "")
    return Text.assemble(("URGENT ", "bold red"), topic) if item["urgent"] else topic


def plain_text(value: str) -> Text:
    """A value from the records as plain text: no markup, no terminal control characters.

    Stored fields hold what callers and webhooks sent; an escape sequence in one must not
    reach the operator's terminal, nor a [tag] restyle the table.
    """
    return Text("".join(ch for ch in value if not _unseen(ch)))


def _unseen(ch: str) -> bool:
    """A control character (an escape sequence's start) or a format character (a bidi
    override such as U+202E, which shows a stored value as something else)."""
    return unicodedata.category(ch) in ("Cc", "Cf")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        # Numbers and times stay on one line; a transcription may wrap.
        table.add_column(
            column,
            no_wrap=column != "transcription",
            overflow="fold" if column == "transcription" else "ellipsis",
        )
    return table


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def svg_chart(report: TrafficReport) -> str:
    """Draw calls by hour and drop-off by node as one SVG image."""
    width, left, bar_area = 760, 130, 580
    parts = []
    y = 30
    parts.append(_svg_text(20, y, f"Calls by hour ({report.timezone})", 16, bold=True))
    most = max(report.by_hour, default=0) or 1
    top, height, step = y + 20, 160, (width - 40) // 24
    parts.append(
        f'<line x1="20" y1="{top + height}" x2="{width - 20}" y2="{top + height}" stroke="#888"/>'
    )
    for hour, n in enumerate(report.by_hour):
        h = round(height * n / most)
        x = 22 + hour * step
        parts.append(
            f'<rect x="{x}" y="{top + height - h}" width="{step - 4}" height="{h}" '
            f'fill="#2b8cbe"><title>{hour:02d}:00 {n} calls</title></rect>'
        )
        parts.append(
            _svg_text(x + (step - 4) / 2, top + height + 16, f"{hour}", 11, anchor="middle")
        )
        if n:
            parts.append(
                _svg_text(x + (step - 4) / 2, top + height - h - 4, str(n), 11, anchor="middle")
            )
    y = top + height + 60
    parts.append(_svg_text(20, y, "Where callers hang up (last node of each call)", 16, bold=True))
    most = max((n for _, n in report.hangups), default=0) or 1
    y += 14
    for node, n in report.hangups:
        w = round(bar_area * n / most)
        parts.append(_svg_text(left - 8, y + 14, node, 12, anchor="end"))
        parts.append(
            f'<rect x="{left}" y="{y}" width="{w}" height="18" fill="#e6550d">'
            f"<title>{escape(node)} {n} calls</title></rect>"
        )
        parts.append(_svg_text(left + w + 6, y + 14, str(n), 12))
        y += 24
    total = y + 20
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}" font-family="sans-serif">'
        f'<rect width="100%" height="100%" fill="white"/>{"".join(parts)}</svg>\n'
    )


def _svg_text(
    x: float, y: float, text: str, size: int, anchor: str = "start", bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}"{weight}>'
        f"{escape(text)}</text>"
    )
