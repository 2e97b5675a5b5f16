"""`ivr db`: create or migrate the records schema, purge old calls, replay the spool."""

from __future__ import annotations

import datetime
from pathlib import Path

import click
from sqlalchemy import Engine

from ivr.cli.context import cli_settings
from ivr.records import database
from ivr.records.spool import Spool
from ivr.records.writes import Recorder
from ivr.settings import Settings

UTC = datetime.UTC


def cli_engine(settings: Settings | None = None, *, existing: bool = False) -> Engine:
    """Open and migrate the database for a command, or fail with one clear error.

    `existing`: a command that only reads refuses a SQLite file that is not there (a
    mistyped DATABASE_URL or data directory), rather than create an empty one and report
    that nothing happened.
    """
    settings = settings or cli_settings()
    try:
        url = database.database_url(settings.database_url, settings.instance_dir)
        file = url.database if url.get_backend_name() == "sqlite" else None
        if existing and file not in (None, "", ":memory:") and not Path(str(file)).is_file():
            raise click.ClickException(
                f"no call records at {file}: check DATABASE_URL or IVR_INSTANCE_DIR "
                "(the server, or `ivr db upgrade`, creates them)"
            )
        return database.connect(url)
    except database.DatabaseUnavailable as exc:
        raise Unavailable(str(exc)) from None
    except database.RecordsError as exc:
        raise click.ClickException(str(exc)) from None


class Unavailable(click.ClickException):
    """The database is down: exit 75 (EX_TEMPFAIL), so a caller can tell it from a bad setting."""

    exit_code = database.UNAVAILABLE


@click.group("db")
def db_cli() -> None:
    """Manage the call records database (DATABASE_URL; default instance/ivr.sqlite3)."""


@db_cli.command("upgrade")
def upgrade_command() -> None:
    """Create the schema, or migrate it to the newest version."""
    engine = cli_engine()
    try:
        revision = database.current_revision(engine)
    finally:
        engine.dispose()
    click.echo(f"{database.show(engine.url)}: schema at revision {revision}")


@db_cli.command("purge")
@click.option(
    "--older-than",
    "age",
    metavar="AGE",
    help="Delete calls that started longer ago than this: 90d, 12h, 2w. "
    "Default: menus.yaml's retention_days, the time callers are told.",
)
def purge_command(age: str | None) -> None:
    """Delete old calls with their events, voicemails and callback requests."""
    settings = cli_settings()
    if age is None:
        age = _retention(settings)
    try:
        cutoff = datetime.datetime.now(UTC) - database.parse_age(age)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from None
    except OverflowError:
        raise click.BadParameter(
            f"'{age}' reaches back before the year 1; nothing is that old",
            param_hint="--older-than",
        ) from None
    engine = cli_engine(settings)
    try:
        counts = database.purge(engine, cutoff)
    finally:
        engine.dispose()
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"deleted what started before {cutoff:%Y-%m-%d %H:%M} UTC: {summary}")


def _retention(settings: Settings) -> str:
    """The menu's retention_days as an age: what callers hear before a recording."""
    from ivr.menu.loading import load_menus
    from ivr.menu.problems import MenuError

    try:
        days = load_menus(settings.menus_path, settings.env, settings.production).retention_days
    except MenuError as exc:
        raise click.ClickException(
            f"{settings.menus_path} is invalid, so its retention_days "
            f"is unknown; give --older-than:\n{exc}"
        ) from None
    if days is None:
        raise click.ClickException(
            f"{settings.menus_path} sets no retention_days; give --older-than, e.g. 90d"
        )
    return f"{days}d"


@db_cli.command("flush")
def flush_command() -> None:
    """Write the records spooled while the database was unavailable."""
    settings = cli_settings()
    engine = cli_engine(settings)  # migrated, so the replay writes into the newest schema
    recorder = Recorder(engine, Spool(settings.spool))
    try:
        replayed = recorder.flush()
    except Exception as exc:  # the driver's own error: the database is gone again
        raise click.ClickException(
            f"the database is still unavailable; the spool is kept: {exc}"
        ) from None
    finally:
        engine.dispose()
    left = " (another process is replaying the rest)" if recorder.spool.pending() else ""
    click.echo(f"replayed {replayed} spooled write(s) from {recorder.spool.directory}{left}")


@db_cli.command("revision", hidden=True)
@click.argument("message")
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the tables and the schema."""
    database.new_revision(message)
