"""`ivr validate`, `ivr schema`, `ivr graph`: the menus file itself (no server, no database)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from ivr.cli.context import cli_settings, menus_path
from ivr.settings import SettingsError


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--production",
    is_flag=True,
    help="Check as the production server would (the default when IVR_ENV=production).",
)
def validate(path: Path | None, production: bool) -> None:
    """Check a menus file; print every problem with its line, node and fix."""
    from ivr.menu.loading import check_menus
    from ivr.menu.problems import summary

    settings = cli_settings()
    path = path or settings.menus_path
    # An operator's pre-deploy check in the production environment checks what start-up will.
    production = production or settings.production
    problems = check_menus(path, settings.env, production=production)  # errors first
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    refused = ""
    if production:  # the environment's settings production start-up refuses, too
        try:
            replace(settings, production=True).check()
        except SettingsError as exc:
            refused = str(exc)
            click.echo(f"error: settings: {refused}", err=True)
    if errors or refused:
        also = "; and the settings are refused" if refused else ""
        click.echo(f"{path}: {summary(problems)}{also}", err=True)
        sys.exit(1)
    click.echo(f"{path}: valid ({warnings} warning(s))")


@click.command()
def schema() -> None:
    """Print the JSON Schema of menus.yaml (for editors)."""
    from ivr.menu.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@click.command()
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to draw.")
def graph(menus: Path | None) -> None:
    """Print a Mermaid flowchart of the menu tree."""
    from ivr.menu.graph import mermaid
    from ivr.menu.loading import load_menus
    from ivr.menu.problems import MenuError

    try:
        loaded = load_menus(menus_path(menus), cli_settings().env)
    except MenuError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(mermaid(loaded), nl=False)


DEV_CORPUS = Path("tests/speech/dev.yaml")  # a checkout's development set


@click.command()
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A spoken-request corpus (tests/speech/README.md; default, in a checkout: "
    "tests/speech/dev.yaml). The held-out gate must be named "
    "(tests/speech/heldout.yaml): its sentences are printed with its misses.",
)
@click.option("--menus", "menus", type=click.Path(path_type=Path), help="Menus file to test.")
@click.option(
    "--misses",
    is_flag=True,
    help="Instead, list what real callers said that matched no node or matched poorly "
    "(from the call records), most frequent first.",
)
@click.option("--since", metavar="DATE", help="With --misses: from this day (or time) on.")
@click.option(
    "--unmask",
    is_flag=True,
    help="With --misses: show the numbers callers said in full (else all but two digits "
    "are hidden, as in the logs).",
)
def speech(
    corpus: Path | None, menus: Path | None, misses: bool, since: str | None, unmask: bool
) -> None:
    """Run a corpus of spoken requests: accuracy per node, confused pairs, misses."""
    if misses:
        from ivr.cli.records import print_misses

        print_misses(since, unmask)
        return
    if since is not None or unmask:
        raise click.UsageError("--since and --unmask go with --misses")
    corpus = corpus or DEV_CORPUS
    if not corpus.is_file():  # an installed ivr, run outside the project's checkout
        raise click.UsageError(f"no corpus at {corpus}: name one with --corpus FILE")
    from ivr.menu.loading import load_menus
    from ivr.menu.problems import MenuError
    from ivr.simulator.speech import judge, load_corpus

    try:
        loaded = load_menus(menus_path(menus), cli_settings().env)
        report = judge(loaded, load_corpus(corpus))
    except (MenuError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.table())
