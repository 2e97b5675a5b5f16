"""The `ivr` command line: a thin layer over the library.

Library errors become one clear `Error: ...` line and exit code 1; usage
errors exit 2 (click's convention).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ivr.menus import check_menus
from ivr.schema import json_schema
from ivr.settings import PROJECT_ROOT, Settings, SettingsError

DEFAULT_MENUS = PROJECT_ROOT / "menus.yaml"


@click.group()
@click.version_option(package_name="ivr")
def cli() -> None:
    """A phone menu for Twilio, declared in menus.yaml."""


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--production", is_flag=True, help="Check as IVR_ENV=production would.")
def validate(path: Path | None, production: bool) -> None:
    """Check a menus file; print every problem with its line, node and fix."""
    path = path or _menus_from_env()
    problems = check_menus(path, production=production)
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{path}: {errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"{path}: valid ({warnings} warning(s))")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of menus.yaml (for editors)."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def _menus_from_env() -> Path:
    try:
        return Settings.from_env().menus_path
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    try:
        cli.main(args=argv, prog_name="ivr", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
