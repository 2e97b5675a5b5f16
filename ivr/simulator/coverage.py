"""`ivr explore` for a menus file: run the explorer at open and closed times, in
every language, and compare what it reached with the menu's nodes and options."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ivr.menu import hours
from ivr.menu.loading import MenuPlan, Menus, load_menus
from ivr.menu.schema import MenuNode
from ivr.simulator.call import speaking_seconds
from ivr.simulator.explorer import ALL_KEYS, Exploration, explore
from ivr.simulator.line import Line
from ivr.simulator.transport import Transport, with_query

MENU_SECONDS = 15  # the most a menu's spoken list of choices may take
ANSWER_SECONDS = 30  # the most an answer may take, with the keys it ends by naming


def sample_times(menus: Menus, base: datetime.datetime) -> list[datetime.datetime]:
    """Pick an open and a closed moment for each schedule, and on its next public holiday."""
    times: list[datetime.datetime] = []
    for schedule in menus.schedules.values():
        opening = schedule.next_opening(base)
        if opening is not None:
            times.append(opening + datetime.timedelta(minutes=1))
        moment = base
        for _ in range(24 * 8):
            if not schedule.is_open(moment):
                times.append(moment)
                break
            moment += datetime.timedelta(hours=1)
        times += holiday_times(schedule, base)
    return sorted(set(times)) or [base]


def holiday_times(schedule: hours.Schedule, base: datetime.datetime) -> list[datetime.datetime]:
    """An open and a closed moment on the schedule's next public holiday (if it has them)."""
    if schedule.holiday_country is None or schedule.holiday_hours is None:
        return []
    day = schedule.next_holiday(base.astimezone(schedule.zone).date())
    if day is None:
        return []
    midnight = datetime.datetime.combine(day, datetime.time(), schedule.zone)
    found = []
    for time_range in schedule.hours_on(day)[:1]:
        start = midnight + datetime.timedelta(minutes=time_range.start_minutes)
        end = midnight + datetime.timedelta(minutes=time_range.end_minutes)
        found += [start + datetime.timedelta(minutes=1), end + datetime.timedelta(minutes=30)]
    return found or [midnight + datetime.timedelta(hours=12)]


def prompt_lengths(menus: Menus) -> dict[str, dict[str, Any]]:
    """The longest list of a menu's choices and the longest answer, as `speaking_seconds`.

    Each is what the caller hears in that node's <Gather> on a first visit (with the
    global keys, if announced there), in every language, by day and while closed.
    """
    longest: dict[str, dict[str, Any]] = {}
    for node_id, plan, lang in _wordings(menus):
        kind = "answer" if plan.answer else "menu"
        says = plan.first_prompt.get(lang) or plan.prompt.get(lang, ())
        text = " ".join(say.text for say in says)
        seconds = speaking_seconds(text) if text else 0
        if seconds > longest.get(kind, {}).get("seconds", -1):
            longest[kind] = {"node": node_id, "lang": lang, "seconds": seconds, "text": text}
    return longest


def too_long(menus: Menus) -> list[dict[str, Any]]:
    """Every menu list over MENU_SECONDS and answer over ANSWER_SECONDS."""
    found = []
    for node_id, plan, lang in _wordings(menus):
        limit = ANSWER_SECONDS if plan.answer else MENU_SECONDS
        says = plan.first_prompt.get(lang) or plan.prompt.get(lang, ())
        seconds = speaking_seconds(" ".join(say.text for say in says))
        if seconds > limit:
            found.append({"node": node_id, "lang": lang, "seconds": seconds, "limit": limit})
    return found


def _wordings(menus: Menus) -> Iterator[tuple[str, MenuPlan, str]]:
    """Each menu's and answer's words in each language: by day and with each set of its
    hours nodes closed (a closed line's key named by its closed label)."""
    for node_id, plan in menus.plans.items():
        for wording in (plan, *plan.closed.values()):
            for lang in menus.languages:
                yield node_id, wording, lang


def keys_for(menus: Menus) -> Callable[[str | None], list[str]]:
    """The keys worth pressing in each menu: its own, the global ones, and one wrong one."""

    def keys(node: str | None) -> list[str]:
        plan = menus.plans.get(node or "")
        if plan is None:
            return list(ALL_KEYS)
        wrong = next((k for k in "7531" if k not in plan.keys), None)
        return [*plan.keys, *([wrong] if wrong else [])]

    return keys


def menu_zone(menus: Menus) -> datetime.tzinfo:
    """The menu's time zone: its agents' schedule's, else its first schedule's, else UTC."""
    hours_node = menus.nodes.get(menus.agent_node or "")
    name = getattr(hours_node, "schedule", None)
    schedule = menus.schedules.get(name or "") or next(iter(menus.schedules.values()), None)
    return schedule.zone if schedule is not None else datetime.UTC


def explore_menus(
    path: Path,
    transport_at: Callable[[Path, datetime.datetime], Transport],
    line: Line,
    base: datetime.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Explore a menus file in-process, calling `line` in every language; a JSON-ready report.

    `progress`, if given, is told a line about the walk about twice a second; `env` fills
    the file's ${NAME}s, as the server's settings do."""
    menus = load_menus(path, env)
    zone = menu_zone(menus)
    base = base or datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    runs: list[tuple[datetime.datetime, Exploration]] = []
    moments = [moment.astimezone(zone) for moment in sample_times(menus, base)]
    for number, moment in enumerate(moments, 1):

        def told(
            found: Exploration, number: int = number, moment: datetime.datetime = moment
        ) -> None:
            if progress is not None:
                progress(
                    f"exploring {number}/{len(moments)} ({moment.isoformat()}): "
                    f"{found.transitions} transitions, {found.waits} places"
                )

        found = explore(
            transport_at(path, moment),
            line=line,
            start_urls=[with_query(line.webhook, {"lang": lang}) for lang in menus.languages],
            keys_for=keys_for(menus),
            progress=told if progress is not None else None,
        )
        runs.append((moment, found))
    return _report(menus, runs)


def _report(menus: Menus, runs: list[tuple[datetime.datetime, Exploration]]) -> dict[str, Any]:
    nodes: set[str] = set()
    pressed: set[tuple[str, str]] = set()
    for _, found in runs:
        nodes |= found.nodes & set(menus.nodes)
        pressed |= found.options
    options = {
        (node_id, key)
        for node_id, node in menus.nodes.items()
        if isinstance(node, MenuNode)
        for key in node.options
    }
    problems = _grouped(menus, runs)
    dead_ends = [
        {"at": at.isoformat(), "end": end, "path": list(path)}
        for at, found in runs
        for end, path in found.dead_ends
    ]
    traps = [
        {"at": at.isoformat(), "node": node, "path": list(path)}
        for at, found in runs
        for node, path in found.traps
    ]
    deepest = max((found.deepest for _, found in runs), key=len, default=())
    longest = max((found.longest_prompt for _, found in runs), key=lambda p: p[1])
    lengths = prompt_lengths(menus)
    over = too_long(menus)
    transitions = sum(found.transitions for _, found in runs)
    seconds = sum(found.seconds for _, found in runs)
    return {
        "menus": menus.path,
        "times": [at.isoformat() for at, _ in runs],
        "languages": list(menus.languages),
        "nodes": {
            "total": len(menus.nodes),
            "covered": len(nodes),
            "unreached": sorted(set(menus.nodes) - nodes),
        },
        "options": {
            "total": len(options),
            "covered": len(options & pressed),
            "unreached": sorted(f"{n}:{k}" for n, k in options - pressed),
        },
        "waits": sum(found.waits for _, found in runs),
        "transitions": transitions,
        "seconds": round(seconds, 3),
        "transitions_per_second": round(transitions / seconds) if seconds else None,
        "problems": problems,
        "dead_ends": dead_ends,
        "traps": traps,
        "deepest_path": list(deepest),
        "longest_prompt": {"text": longest[0], "seconds": longest[1], "path": list(longest[2])},
        "longest_menu": lengths.get("menu"),
        "longest_answer": lengths.get("answer"),
        "too_long": over,
        "truncated": any(found.truncated for _, found in runs),
        "errors": len(problems) + len(dead_ends) + len(traps) + len(over),
    }


def _grouped(
    menus: Menus, runs: list[tuple[datetime.datetime, Exploration]]
) -> list[dict[str, Any]]:
    """Each problem once, however many paths meet it: with how often, where first, and the
    node whose words it is (with their line in the file) when the app tells."""
    groups: dict[tuple, dict[str, Any]] = {}
    for at, found in runs:
        for p, path in found.problems:
            key = (p.code, p.message, p.speaker, p.words) if p.speaker else (str(p),)
            item = groups.get(key)
            if item is None:
                line = menus.line_of_words(p.speaker, p.words) if p.speaker else None
                groups[key] = item = {
                    "at": at.isoformat(),
                    "problem": str(p),
                    "severity": p.severity,
                    "path": list(path),
                    "node": p.speaker,
                    "line": line,
                    "where": f"{menus.path}:{line}" if line else None,
                    "count": 0,
                }
            item["count"] += 1
    return list(groups.values())


def render_report(report: dict[str, Any]) -> str:
    """Format an exploration report for the terminal."""
    n, o = report["nodes"], report["options"]
    lines = [
        f"explored {report['menus']} at {', '.join(report['times'])} in "
        f"{'/'.join(report['languages'])}",
        f"nodes covered: {n['covered']}/{n['total']}"
        + (f"  (never reached: {', '.join(n['unreached'])})" if n["unreached"] else ""),
        f"options covered: {o['covered']}/{o['total']}"
        + (f"  (never pressed: {', '.join(o['unreached'])})" if o["unreached"] else ""),
        f"{report['waits']} places where the caller waits, {report['transitions']} transitions "
        f"in {report['seconds']} s ({report['transitions_per_second']}/s)",
        f"deepest path ({len(report['deepest_path'])} steps): "
        + " > ".join(report["deepest_path"]),
        f"longest prompt: about {report['longest_prompt']['seconds']} s, after "
        + " > ".join(report["longest_prompt"]["path"]),
    ]
    for kind, limit in (("menu", MENU_SECONDS), ("answer", ANSWER_SECONDS)):
        item = report[f"longest_{kind}"]
        if item:
            what = "menu's list of choices" if kind == "menu" else "answer"
            lines.append(
                f"longest {what}: about {item['seconds']} s (limit {limit} s), "
                f"{item['node']} in {item['lang']}"
            )
    for item in report["too_long"]:
        lines.append(
            f"TOO LONG {item['node']} in {item['lang']}: about {item['seconds']} s "
            f"(limit {item['limit']} s)"
        )
    for item in report["problems"]:
        times = f" ({item['count']} times)" if item["count"] > 1 else ""
        words = (
            f"\n  said by node '{item['node']}'"
            + (f" ({item['where']})" if item["where"] else "")
            + ": fix its words or its voice there"
            if item["node"]
            else ""
        )
        lines.append(
            f"PROBLEM{times} {item['problem']}{words}\n  first path: {' > '.join(item['path'])}"
        )
    for item in report["dead_ends"]:
        lines.append(f"DEAD END ({item['end']}) at {item['at']}: {' > '.join(item['path'])}")
    for item in report["traps"]:
        lines.append(f"TRAP at node {item['node']} ({item['at']}): {' > '.join(item['path'])}")
    if report["truncated"]:
        lines.append("note: stopped early at the limit of places to explore")
    lines.append("clean" if not report["errors"] else f"{report['errors']} error(s)")
    return "\n".join(lines)
