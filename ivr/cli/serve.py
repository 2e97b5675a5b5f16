"""`ivr serve`: the menu under gunicorn with the project's settings (what the Procfile runs)."""

from __future__ import annotations

import os
import sys

import click

from ivr.cli.context import cli_settings
from ivr.settings import SettingsError


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Serve the menu with gunicorn: $PORT (or 127.0.0.1:5000), 2 workers, migrated first.

    Extra arguments go to gunicorn, e.g. `ivr serve --workers 4`.
    """
    try:
        cli_settings().check()  # refuse unsafe settings here, with one clear line
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:ivr.web.gunicorn_conf",
        *gunicorn_args,
        "ivr.web.wsgi:app",
    ]
    sys.stdout.flush()
    os.execv(sys.executable, command)
