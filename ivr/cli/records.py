"""`ivr report`, `ivr voicemails`, `ivr callbacks`: what the call records say, for people."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from ivr.cli.context import cli_settings
from ivr.cli.db import cli_engine
from ivr.logs import mask_digits
from ivr.menu.loading import Menus, load_menus
from ivr.menu.problems import MenuError
from ivr.records import tables
from ivr.records.database import mark_handled
from ivr.records.misses import LOW_SCORE, speech_misses
from ivr.records.report import (
    build_report,
    callback_row,
    callback_table,
    json_for_terminal,
    not_starting,
    plain_text,
    print_report,
    report_zone,
    svg_chart,
    to_csv,
    voicemail_row,
    voicemail_table,
)

UTC = datetime.UTC


# -- commands -------------------------------------------------------------------------------------


def _menus() -> Menus:
    settings = cli_settings()
    try:
        return load_menus(settings.menus_path, settings.env, settings.production)
    except MenuError as exc:
        raise click.ClickException(f"{exc.problems[0]} (run `ivr validate`)") from None


def _moment(value: str | None, zone: datetime.tzinfo, end: bool) -> datetime.datetime | None:
    """Read --since/--until: a date (local midnight; --until includes the day) or a time."""
    if value is None:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = datetime.date.fromisoformat(value) + datetime.timedelta(days=int(end))
            return datetime.datetime.combine(day, datetime.time(), zone)
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a date like 2026-11-23 or a time like 2026-11-23T21:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _skipped(simulated: bool) -> str | None:
    """The CallSid prefix the records commands leave out: the simulator's, unless asked."""
    from ivr.simulator.call import SIMULATED_CALL_SID

    return None if simulated else SIMULATED_CALL_SID


_SIMULATED = click.option(
    "--simulated",
    is_flag=True,
    help="Include simulated calls (CallSid CAsim...), left out by default.",
)


@click.command("report")
@click.option("--since", metavar="DATE", help="First day (or time) to count, e.g. 2026-11-01.")
@click.option("--until", metavar="DATE", help="Last day to count (inclusive), or a time.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write calls by hour and drop-off by node to this SVG file.",
)
@_SIMULATED
def report_command(
    since: str | None, until: str | None, fmt: str, chart: Path | None, simulated: bool
) -> None:
    """Report calls per day and hour, menu choices, hang-ups, agent waits and open items."""
    if chart is not None and not chart.parent.is_dir():  # before the report, not after it
        raise click.BadParameter(f"{chart.parent} is not a directory", param_hint="--chart")
    menus = _menus()
    zone = report_zone(menus)
    start, end = _moment(since, zone, False), _moment(until, zone, True)
    if start is not None and end is not None and start >= end:
        raise click.UsageError(
            f"--since {since} is not before --until {until}: no time lies between them "
            "(--until includes its day)"
        )
    engine = cli_engine(existing=True)
    try:
        report = build_report(engine, menus, start, end, skip_call_sids=_skipped(simulated))
    finally:
        engine.dispose()
    if fmt == "json":
        click.echo(json_for_terminal(report.as_dict()))
    elif fmt == "csv":
        click.echo(to_csv(report), nl=False)
    else:
        print_report(report, _console())
    if chart is not None:
        try:
            chart.write_text(svg_chart(report), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {chart}: {exc.strerror}") from None
        click.echo(f"wrote {chart}", err=True)


def _open_items(
    table: Any, everything: bool, handle: tuple[int, ...], unmask: bool, simulated: bool
) -> list[dict[str, Any]] | None:
    """Mark items handled when asked (returning None), else list them."""
    voicemails = table is tables.recordings
    name, command = ("voicemail", "voicemails") if voicemails else ("callback request", "callbacks")
    engine = cli_engine(existing=True)
    try:
        if handle:
            now = datetime.datetime.now(UTC)
            for ident in handle:
                if not mark_handled(engine, table, ident, now):
                    raise click.ClickException(
                        f"there is no {name} {ident}; `ivr {command} --all` lists them"
                    )
                click.echo(f"{name} {ident}: handled")
            return None
        zone = report_zone(_menus())
        stamp = table.c.recorded_at if voicemails else table.c.requested_at
        query = select(table).where(*not_starting(table.c.call_sid, _skipped(simulated)))
        query = query.order_by(table.c.urgent.desc(), stamp, table.c.id)  # urgent first
        if not everything:
            query = query.where(~table.c.handled)
        with engine.connect() as connection:
            rows = connection.execute(query).all()
    finally:
        engine.dispose()
    show = voicemail_row if voicemails else callback_row
    return [show(row, zone, masked=not unmask) for row in rows]


LIST_WIDTH = 132  # the callback list's columns, each whole

_LIST_OPTIONS = [
    click.option("--all", "everything", is_flag=True, help="Include handled ones."),
    click.option(
        "--handle",
        type=int,
        multiple=True,
        metavar="ID",
        help="Mark this one handled (repeatable).",
    ),
    click.option(
        "--unmask", is_flag=True, help="Show numbers in full (for the person calling back)."
    ),
    click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table."),
    _SIMULATED,
]


def _with_list_options(command):  # type: ignore[no-untyped-def]
    for option in reversed(_LIST_OPTIONS):
        command = option(command)
    return command


@click.command("voicemails")
@_with_list_options
def voicemails_command(
    everything: bool, handle: tuple[int, ...], unmask: bool, as_json: bool, simulated: bool
) -> None:
    """List open voicemails and feedback, or mark them handled."""
    rows = _open_items(tables.recordings, everything, handle, unmask, simulated)
    if rows is not None:
        _print_items(rows, as_json, voicemail_table, "voicemails")


@click.command("callbacks")
@_with_list_options
def callbacks_command(
    everything: bool, handle: tuple[int, ...], unmask: bool, as_json: bool, simulated: bool
) -> None:
    """List open callback requests, or mark them handled."""
    rows = _open_items(tables.callbacks, everything, handle, unmask, simulated)
    if rows is not None:
        _print_items(rows, as_json, callback_table, "callback requests")


def _print_items(
    rows: list[dict[str, Any]],
    as_json: bool,
    table: Callable[[list[dict[str, Any]], str], Table],
    what: str,
) -> None:
    if as_json:
        click.echo(json_for_terminal(rows))
    elif not rows:
        click.echo(f"no open {what}")
    else:
        _console().print(table(rows, f"{len(rows)} {what}"))


def _console() -> Console:
    """A console at least as wide as the lists of work: a number, day or topic is never
    cut to an ellipsis (a narrow terminal wraps the lines instead)."""
    return Console(width=max(Console().width, LIST_WIDTH))


def print_misses(since: str | None, unmask: bool = False) -> None:
    """Print the unmatched and low-score utterances of real calls (`ivr speech --misses`):
    the words a designer needs, without the numbers callers said (a phone, a card)."""
    menus = _menus()
    engine = cli_engine(existing=True)
    try:
        found = speech_misses(
            engine,
            _moment(since, report_zone(menus), False),
            skip_call_sids=_skipped(False),  # simulated calls are not callers
        )
    finally:
        engine.dispose()
    if not found:
        click.echo("no unmatched or low-score speech on real calls")
        return
    table = Table("times", "best score", "heard", title=f"speech under {LOW_SCORE} (real calls)")
    for miss in found:
        score = "no match" if miss.best_score is None else f"{miss.best_score:.2f}"
        heard = miss.heard if unmask else mask_digits(miss.heard)
        table.add_row(str(miss.count), score, plain_text(heard))
    Console(width=200).print(table)
