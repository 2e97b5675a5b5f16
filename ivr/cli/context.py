"""What every command needs: the settings, read once, and one clear error when they are wrong."""

from __future__ import annotations

from pathlib import Path

import click

from ivr.settings import Settings, SettingsError


def cli_settings() -> Settings:
    """The settings from the environment, or one clear error."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def menus_path(given: Path | None = None) -> Path:
    """The menus file a command works on: the one given, else the settings' (IVR_MENUS)."""
    return given or cli_settings().menus_path
