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
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ivr.cli.context import cli_settings, menus_path
from ivr.settings import SettingsError, parse_now
from ivr.simulator.coverage import BASE_URL

if TYPE_CHECKING:
    from ivr.simulator.callers import Caller
    from ivr.simulator.transport import Transport


def _quiet_server_logs() -> None:
    # The in-process server's INFO lines would drown the transcript.
    logging.getLogger("ivr").setLevel(logging.ERROR)


def _in_process(menus: Path, at: datetime.datetime | None, records: bool = True) -> Transport:
    """Serve `menus` in-process with the server's clock fixed at `at` (or real time)."""
    from ivr.menu.problems import MenuError
    from ivr.simulator import WsgiTransport
    from ivr.web.app import create_app

    _quiet_server_logs()
    try:
        # Simulated calls are not calls anyone made: their records, spool and kept menu go
        # to a data directory of this run's own, never the one an operator reads.
        scratch = _scratch()
        settings = replace(
            cli_settings(),
            menus_path=menus,
            fixed_now=at,
            instance_dir=scratch,
            database_url=None,
            spool_dir=None,
            records=records,
        )
        app = create_app(settings)
    except MenuError as exc:
        raise click.ClickException(f"{menus} is invalid:\n{exc}") from None
    return WsgiTransport(app, base_url=BASE_URL)


@functools.cache
def _scratch() -> Path:
    """A temporary data directory for this run's in-process server, removed at exit."""
    directory = Path(tempfile.mkdtemp(prefix="ivr-simulated-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


def _auth_token() -> str | None:
    """The token a simulated call signs with: the server's own, from the settings."""
    return cli_settings().auth_token


def _parse_at(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return parse_now(value)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None


def _transport(menus: Path | None, url: str | None, at: datetime.datetime | None) -> Transport:
    from ivr.simulator import HttpTransport

    if url:
        if at:
            click.echo(
                "note: --at cannot move a remote server's clock; start it with "
                "IVR_NOW=... to test business hours",
                err=True,
            )
        return HttpTransport(url)
    return _in_process(menus or menus_path(), at)


@click.command()
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to serve.")
@click.option("--url", help="Call a running server instead, e.g. http://127.0.0.1:5000.")
@click.option("--at", "at", help="The server's clock for the call (ISO-8601 with offset).")
@click.option("--from", "from_number", default="+8613800138000", show_default=True)
@click.option("--lang", help="Start the call in this language (/voice?lang=...).")
@click.option("--input", "script", help="Scripted caller: '1,2,.,0,dial:no-answer,rec:你好'.")
@click.option("--lenient", is_flag=True, help="Report Twilio warnings without failing.")
@click.option("--realtime", is_flag=True, help="Wait out pauses as a phone would.")
def simulate(
    menus: Path | None,
    url: str | None,
    at: str | None,
    from_number: str,
    lang: str | None,
    script: str | None,
    lenient: bool,
    realtime: bool,
) -> None:
    """Place a call and print it as a transcript; type keys at each prompt."""
    from ivr.simulator import Call, ScriptedCaller
    from ivr.simulator.terminal import TerminalCaller

    caller: Caller
    if script is not None:
        try:
            caller = ScriptedCaller.parse(script)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--input") from None
    else:
        caller = TerminalCaller(sys.stdin, lambda text: click.echo(text, nl=False))
    moment = _parse_at(at)
    transport = _transport(menus, url, moment)
    voice_path = f"/voice?lang={lang}" if lang else "/voice"
    call = Call(
        transport,
        caller,
        base_url=url or BASE_URL,
        voice_path=voice_path,
        from_number=from_number,
        auth_token=_auth_token(),
        listener=lambda event: click.echo(event.line()),
        lenient=lenient,
        realtime=realtime,
    )
    result = call.run()
    click.echo(f"-- call ended: {result.end}")
    for problem in result.problems:
        click.echo(f"{problem.severity}: {problem}", err=True)
    if not result.ok:
        sys.exit(1)


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to serve.")
@click.option("--url", help="Run against a running server instead (its own clock).")
@click.option("--lenient", is_flag=True, help="Report Twilio warnings without failing.")
@click.option("-v", "--verbose", is_flag=True, help="Show every transcript.")
def test_command(
    paths: tuple[Path, ...], menus: Path | None, url: str | None, lenient: bool, verbose: bool
) -> None:
    """Run call-flow scenarios (default: tests/calls)."""
    from ivr.simulator.scenarios import ScenarioError, load_scenarios, run_scenario

    files = _scenario_files(paths or (Path("tests") / "calls",))
    if not files:
        raise click.ClickException("no scenario files (*.yaml) found")
    transports: dict[object, Transport] = {}

    def transport_for(scenario: Any) -> Transport:
        if scenario.at not in transports:
            transports[scenario.at] = _transport(menus, url, scenario.at)
        return transports[scenario.at]

    passed = failed = 0
    for path in files:
        try:
            scenarios = load_scenarios(path)
        except ScenarioError as exc:
            raise click.ClickException(str(exc)) from None
        for scenario in scenarios:
            outcome = run_scenario(
                scenario,
                transport_for,
                base_url=url or BASE_URL,
                auth_token=_auth_token(),
                lenient=lenient,
            )
            passed, failed = passed + outcome.ok, failed + (not outcome.ok)
            click.echo(outcome.report())
            if verbose and outcome.ok and outcome.result:
                click.echo(outcome.result.transcript())
    click.echo(f"{passed} passed, {failed} failed")
    if failed:
        sys.exit(1)


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
    from ivr.simulator.coverage import explore_menus, render_report

    # Thousands of probing calls are not calls anyone made: keep them out of the records.
    report = explore_menus(
        menus or menus_path(), lambda path, at: _in_process(path, at, records=False)
    )
    click.echo(
        json.dumps(report, indent=2, ensure_ascii=False) if as_json else render_report(report)
    )
    if report["errors"]:
        sys.exit(1)
