"""`ivr simulate`, `ivr test`, `ivr explore`: calls placed by the offline simulator."""

from __future__ import annotations

import atexit
import datetime
import functools
import json
import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ivr.cli.context import cli_settings, menus_path
from ivr.settings import SettingsError, parse_now
from ivr.simulator.line import Line

if TYPE_CHECKING:
    from ivr.simulator.call import Event
    from ivr.simulator.callers import Caller
    from ivr.simulator.transport import Transport


def _quiet_server_logs() -> None:
    # The in-process server's INFO lines would drown the transcript.
    logging.getLogger("ivr").setLevel(logging.ERROR)


def _in_process(
    menus: Path, at: datetime.datetime | None, records: bool = True, records_db: str | None = None
) -> Transport:
    """Serve `menus` in-process with the server's clock fixed at `at` (or real time)."""
    from ivr.menu.problems import MenuError
    from ivr.simulator import WsgiTransport
    from ivr.web.app import create_app

    _quiet_server_logs()
    try:
        # Simulated calls are not calls anyone made: their records, spool and kept menu go
        # to a data directory of this run's own, never the one an operator reads (unless
        # --records-db names where a test wants the records).
        scratch = _scratch()
        settings = replace(
            cli_settings(),
            menus_path=menus,
            fixed_now=at,
            instance_dir=scratch,
            database_url=records_db,
            spool_dir=None,
            records=records,
        )
        app = create_app(settings)
    except MenuError as exc:
        raise click.ClickException(f"{menus} is invalid:\n{exc}") from None
    return WsgiTransport(app, base_url=_own_line().webhook)


@functools.cache
def _scratch() -> Path:
    """A temporary data directory for this run's in-process server, removed at exit."""
    directory = Path(tempfile.mkdtemp(prefix="ivr-simulated-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


def _own_line(lang: str | None = None) -> Line:
    """The in-process app's number, signed with the server's own token (the settings')."""
    from ivr.simulator.line import own_line

    return own_line(cli_settings(), lang)


def _line(
    url: str | None,
    method: str | None,
    status_callback: str | None,
    lang: str | None = None,
    fallback: str | None = None,
) -> Line:
    """The number a command calls: --url exactly as set on a Twilio number, else our own app.

    Every command signs with TWILIO_AUTH_TOKEN from the settings, the server's token.
    """
    from ivr.simulator.line import LineError
    from ivr.simulator.transport import with_query

    line = _own_line(lang)
    try:
        if url:
            webhook = with_query(url, {"lang": lang}) if lang else url
            line = Line(webhook=webhook, auth_token=line.auth_token)
        return replace(
            line,
            method=method or line.method,
            status_callback=status_callback or line.status_callback,
            fallback=fallback or line.fallback,
        )
    except LineError as exc:
        raise click.BadParameter(str(exc)) from None


def _parse_at(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return parse_now(value)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None


def _transport(
    menus: Path | None,
    line: Line,
    remote: bool,
    at: datetime.datetime | None,
    records_db: str | None = None,
) -> Transport:
    from ivr.simulator import HttpTransport

    if remote:
        if at:
            click.echo(
                "note: --at cannot move a remote server's clock; start it with "
                "IVR_NOW=... to test business hours",
                err=True,
            )
        if records_db:
            click.echo(
                "note: --records-db is for the in-process app; a server at --url "
                "records what it records",
                err=True,
            )
        return HttpTransport(line.webhook)
    return _in_process(menus or menus_path(), at, records_db=records_db)


_URL_HELP = (
    "Call a running app instead: its voice webhook exactly as set on a Twilio number, "
    "e.g. http://127.0.0.1:5000/voice."
)
_METHOD = click.option(
    "--method",
    type=click.Choice(["GET", "POST"]),
    help="The webhook's HTTP method, as set on the number (default POST).",
)
_STATUS = click.option(
    "--status-callback",
    "status_callback",
    metavar="URL",
    help="Send Twilio's status callback here at the end of each call (with --url: only "
    "when given; in-process default /voice/status).",
)
_FALLBACK = click.option(
    "--fallback-url",
    "fallback",
    metavar="URL",
    help="The number's Fallback URL, asked when a document fails, as Twilio does (with --url: "
    "only when given; in-process default /voice/fallback).",
)
_RECORDS_DB = click.option(
    "--records-db",
    "records_db",
    metavar="URL",
    help="Keep the in-process app's records in this database (default: a temporary "
    "SQLite file removed when the run ends).",
)


@click.command()
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to serve.")
@click.option("--url", help=_URL_HELP)
@_METHOD
@_STATUS
@_FALLBACK
@click.option("--at", "at", help="The server's clock for the call (ISO-8601 with offset).")
@click.option("--from", "from_number", default="+8613800138000", show_default=True)
@click.option("--lang", help="Start the call in this language (adds ?lang=... to the webhook).")
@click.option(
    "--input",
    "script",
    help="Scripted caller: '1,2,.,0,dial:no-answer,rec:你好' (quote an action to keep its "
    "commas: '0,\"say:yes, please\"').",
)
@click.option("--lenient", is_flag=True, help="Report Twilio warnings without failing.")
@click.option("--realtime", is_flag=True, help="Wait out pauses as a phone would.")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Explain: the node that spoke each line, each <Gather>'s settings, each request "
    "and why the call went there; -vv adds every request's fields and TwiML.",
)
@_RECORDS_DB
def simulate(
    menus: Path | None,
    url: str | None,
    method: str | None,
    status_callback: str | None,
    fallback: str | None,
    at: str | None,
    from_number: str,
    lang: str | None,
    script: str | None,
    lenient: bool,
    realtime: bool,
    verbose: int,
    records_db: str | None,
) -> None:
    """Place a call and print it as a transcript; type keys at each prompt.

    At a prompt, 'time' shows the menu's clock and hours, 'twiml' the last request and
    the document it got.
    """
    from ivr.simulator import Call, ScriptedCaller
    from ivr.simulator.call import Step
    from ivr.simulator.terminal import TerminalCaller

    moment = _parse_at(at)
    line = _line(url, method, status_callback, lang, fallback)
    transport = _transport(menus, line, bool(url), moment, records_db)
    if lang is not None and not url:  # another app at --url has languages of its own
        _check_lang(lang, transport.app.extensions["ivr"].menus.languages)  # type: ignore[attr-defined]
    steps: list[Step] = []

    def clock() -> str:
        return _clock_text(transport, moment, bool(url))

    def last_step() -> str:
        return steps[-1].details() if steps else "  no request yet"

    caller: Caller
    if script is not None:
        try:
            caller = ScriptedCaller.parse(script)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--input") from None
    else:
        commands = {"t": clock, "time": clock, "twiml": last_step}
        caller = TerminalCaller(sys.stdin, lambda text: click.echo(text, nl=False), commands)

    def step_taken(step: Step) -> None:
        steps.append(step)
        if verbose:
            click.echo(f"  -> {step.request_line()}")
            if step.decision and step.decision.get("why"):
                click.echo(f"  why: {step.decision['why']}")
        if verbose > 1:
            click.echo(step.details())

    # On stderr, beside the notes and problems: stdout is the transcript, line for line
    # what the browser phone shows.
    click.echo(clock(), err=True)
    call = Call(
        transport,
        caller,
        line=line,
        from_number=from_number,
        listener=lambda event: click.echo(_event_text(event, verbose)),
        on_step=step_taken,
        lenient=lenient,
        house_rules=not url,  # another app's prompt design is its author's to judge
        realtime=realtime,
    )
    result = call.run()
    click.echo(f"-- call ended: {result.end}")
    for problem in result.problems:
        click.echo(f"{problem.severity}: {problem}", err=True)
    if not result.ok:
        sys.exit(1)


def _check_lang(lang: str, languages: Sequence[str]) -> None:
    """Refuse a language the menu does not speak, naming those it does (as the phone does)."""
    if lang not in languages:
        raise click.BadParameter(
            f"'{lang}' is not one of the menu's languages: {', '.join(languages)}",
            param_hint="--lang",
        )


def _clock_text(transport: Transport, at: datetime.datetime | None, remote: bool) -> str:
    """The menu's local time, zone and hours verdict, as the in-process app sees them now."""
    if remote:
        return "-- clock: the app's own (a server at --url keeps its own time; --at cannot move it)"
    service = transport.app.extensions["ivr"]  # type: ignore[attr-defined]
    # Without --at, say how to move the clock: a developer calling after hours hears the
    # closed message and must learn here that another time is one option away (issue 19).
    fixed = (
        f"fixed by --at {at.isoformat()}" if at else "the real time (--at to call at another time)"
    )
    verdicts = service.time_verdicts()
    if not verdicts:
        return f"-- clock: {service.clock().isoformat()}, {fixed}; the menu keeps no hours"
    lines = [f"-- clock: {verdicts[0].clock()}, {fixed}"]
    for v in verdicts:
        other_zone = v.local.tzinfo != verdicts[0].local.tzinfo
        lines.append(
            f"-- hours '{v.schedule}': {v.text()}" + (f" ({v.clock()})" if other_zone else "")
        )
    return "\n".join(lines)


def _event_text(event: Event, verbose: int) -> str:
    """A transcript line; verbose: with the node that spoke it, and a <Gather>'s settings."""
    from ivr.simulator.call import gather_settings

    text = event.line()
    if verbose and event.speaker:
        text += f"  ({event.speaker})"
    if verbose and event.verb == "Gather":
        text += f"\n  gather: {gather_settings(event.attrs)}"
    return text


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to serve.")
@click.option("--url", help=_URL_HELP + " Its own clock.")
@_METHOD
@_STATUS
@_FALLBACK
@click.option("--lenient", is_flag=True, help="Report Twilio warnings without failing.")
@click.option("-v", "--verbose", is_flag=True, help="Show every transcript.")
@_RECORDS_DB
def test_command(
    paths: tuple[Path, ...],
    menus: Path | None,
    url: str | None,
    method: str | None,
    status_callback: str | None,
    fallback: str | None,
    lenient: bool,
    verbose: bool,
    records_db: str | None,
) -> None:
    """Run call-flow scenarios (default: tests/calls)."""
    from ivr.simulator.scenarios import ScenarioError, load_scenarios, run_scenario

    default = Path("tests") / "calls"  # a checkout's scenarios
    if not paths and not default.is_dir():  # an installed ivr, run outside the checkout
        raise click.UsageError(f"no scenarios at {default}: name scenario files or directories")
    files = _scenario_files(paths or (default,))
    if not files:
        raise click.ClickException("no scenario files (*.yaml) found")
    line = _line(url, method, status_callback, fallback=fallback)
    transports: dict[object, Transport] = {}

    def transport_for(scenario: Any) -> Transport:
        if scenario.at not in transports:
            transports[scenario.at] = _transport(menus, line, bool(url), scenario.at, records_db)
        return transports[scenario.at]

    nodes = None if url else _node_ids(menus or menus_path())
    passed = failed = 0
    for path in files:
        try:
            scenarios = load_scenarios(path, nodes)
        except ScenarioError as exc:
            raise click.ClickException(str(exc)) from None
        for scenario in scenarios:
            outcome = run_scenario(
                scenario, transport_for, line=line, lenient=lenient, house_rules=not url
            )
            passed, failed = passed + outcome.ok, failed + (not outcome.ok)
            click.echo(outcome.report())
            if verbose and outcome.ok and outcome.result:
                click.echo(outcome.result.transcript())
    click.echo(f"{passed} passed, {failed} failed")
    if failed:
        sys.exit(1)


def _progress_line(text: str) -> None:
    """Rewrite one line of stderr, so a long walk is seen to be walking."""
    click.echo(f"\r\033[K{text}", nl=False, err=True)


PROGRESS_EVERY = 30.0  # seconds between progress lines off a terminal


class _ProgressLines:
    """Off a terminal (a CI log, a pipe), a whole line on stderr now and then: a walk of
    minutes is seen to be walking, without a line twice a second."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def __call__(self, text: str) -> None:
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            self.last = time.monotonic()
            click.echo(text, err=True)


def _node_ids(menus: Path) -> frozenset[str]:
    """The menu's node ids, so a scenario naming a node it has not is refused at once."""
    from ivr.menu.loading import load_menus
    from ivr.menu.problems import MenuError

    try:
        return frozenset(load_menus(menus, cli_settings().env).nodes)
    except MenuError as exc:  # as `ivr simulate` says it
        raise click.ClickException(f"{menus} is invalid:\n{exc}") from None


def _scenario_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    return files


@click.command()
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to serve.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def explore(menus: Path | None, as_json: bool) -> None:
    """Walk every reachable path through the real TwiML and report coverage and traps."""
    from ivr.menu.problems import MenuError
    from ivr.simulator.coverage import explore_menus, render_report

    path = menus or menus_path()
    try:
        # Thousands of probing calls are not calls anyone made: keep them out of the records.
        report = explore_menus(
            path,
            lambda path, at: _in_process(path, at, records=False),
            _own_line(),  # signed like every other simulated call
            progress=_progress_line if sys.stderr.isatty() else _ProgressLines(),
            env=cli_settings().env,
        )
    except MenuError as exc:  # as `ivr simulate` and `ivr test` say it
        raise click.ClickException(f"{path} is invalid:\n{exc}") from None
    finally:
        if sys.stderr.isatty():
            click.echo("\r\033[K", nl=False, err=True)  # the progress line goes
    click.echo(
        json.dumps(report, indent=2, ensure_ascii=False) if as_json else render_report(report)
    )
    if report["errors"]:
        sys.exit(1)
