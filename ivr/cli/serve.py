"""`ivr serve`: the menu under gunicorn with the project's settings (what the Procfile runs)."""

from __future__ import annotations

import os
import sys

import click

from ivr.cli.context import cli_settings
from ivr.settings import Settings, SettingsError


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Serve the menu with gunicorn: $PORT (or 127.0.0.1:5000), 2 workers, migrated first.

    Extra arguments go to gunicorn, e.g. `ivr serve --workers 4`.
    """
    settings = cli_settings()
    try:
        settings.check()  # refuse unsafe settings here, with one clear line
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    _a_menu_to_serve(settings)
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


def _a_menu_to_serve(settings: Settings) -> None:
    """Refuse here, in a few lines, a first start with an invalid menu and no last good one
    (gunicorn would refuse too, but through each worker's traceback). With a kept copy the
    workers serve it and log the file's errors."""
    from ivr.menu.loading import load_menus
    from ivr.menu.problems import MenuError
    from ivr.web.last_good import kept_path

    try:
        load_menus(settings.menus_path, settings.env, settings.production)
    except MenuError as exc:
        if not kept_path(settings).is_file():
            raise click.ClickException(
                f"{settings.menus_path} is invalid and no good menu was ever kept to serve "
                f"instead; not starting:\n{exc}"
            ) from None
