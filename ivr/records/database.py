"""The call records database: its URL, its engine, its migrations, retention.

One SQLAlchemy engine per process serves the webhooks' writes, the reports and
the commands. SQLite under instance/ by default, so a fresh checkout needs no
set-up; DATABASE_URL points the same code at PostgreSQL (psycopg 3).
Migrations are Alembic scripts in migrations/, configured here so no
alembic.ini is needed.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shutil
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, and_, create_engine, delete, event, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, SQLAlchemyError

from ivr.records.tables import callbacks, calls, events, recordings

# Alembic is a heavy import: it is imported where it is used, so a server whose schema is
# current never loads it.
if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"  # package data: an install migrates too
BUSY_TIMEOUT = 2.0  # seconds a write waits for a locked SQLite file before it is spooled
UTC = datetime.UTC
_AGE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


class RecordsError(Exception):
    """The call records database cannot be used; the message says what to do."""


class DatabaseUnavailable(RecordsError):
    """The database is down or unreachable: an outage to wait out, not a setting to fix."""


UNAVAILABLE = 75  # `ivr db upgrade`'s exit code for an outage (sysexits.h EX_TEMPFAIL)
# What a PostgreSQL server answers to a wrong setting rather than an outage: no such database
# or role, a wrong password, a client it does not let in, a TLS mode it does not offer. Its
# driver gives no SQLSTATE for a refused connection, only libpq's (English) message.
_A_SETTING = re.compile(
    r"(database|role) \"[^\"]*\" does not exist|password authentication failed"
    r"|no pg_hba\.conf entry|does not support SSL"
)


def database_url(text_url: str | None, instance_dir: Path = Path("instance")) -> URL:
    """Return the records database DATABASE_URL names, or the instance's SQLite file."""
    text_url = (text_url or "").strip()
    if not text_url:
        return URL.create("sqlite", database=str(instance_dir.absolute() / "ivr.sqlite3"))
    # Heroku and most hosts hand out postgres:// URLs; name the driver this server uses.
    text_url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", text_url)
    try:
        url = make_url(text_url)
    except (ArgumentError, ValueError):
        raise RecordsError(
            "DATABASE_URL is not a database URL; use sqlite:///path/to/"
            "ivr.sqlite3 or postgresql://user:password@host/db"
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise RecordsError(
                "DATABASE_URL names an in-memory SQLite database, which would "
                "lose every record; give a file: sqlite:///path/to/ivr.sqlite3"
            )
        return url.set(drivername="sqlite")
    if backend == "postgresql":
        return url
    raise RecordsError(
        f"DATABASE_URL uses '{backend}'; this server supports sqlite:/// and postgresql://"
    )


def newest_migration() -> str:
    """Return the newest migration's number from the file names: 0001_..., 0002_..."""
    files = (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    return max(path.name[:4] for path in files)


def show(url: URL) -> str:
    """Render a URL for logs and messages, password hidden."""
    return url.render_as_string(hide_password=True)


_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def make_engine(url: URL, busy_timeout: float = BUSY_TIMEOUT) -> Engine:
    """Create the process's engine: WAL and foreign keys on SQLite, short timeouts on both."""
    if url.get_backend_name() == "sqlite":
        # A directory that cannot be made shows up as the connection's own error.
        with contextlib.suppress(OSError):
            Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, hide_parameters=True, connect_args={"timeout": busy_timeout})
        _sqlite_pragmas(engine, busy_timeout)
    else:
        engine = create_engine(
            url,
            hide_parameters=True,  # error messages would otherwise carry callers' numbers
            pool_timeout=3,
            connect_args={
                "connect_timeout": 3,
                "options": "-c statement_timeout=5000 -c lock_timeout=3000",
            },
        )
    _dispose_after_fork(engine)
    return engine


def _sqlite_pragmas(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        # WAL with synchronous=NORMAL: a commit is in the WAL before the answer goes back
        # and survives the process crashing; only a power cut or OS crash before the next
        # checkpoint can lose the last commits. FULL would fsync on every webhook.
        for pragma in (
            f"busy_timeout = {round(busy_timeout * 1000)}",
            "foreign_keys = ON",
            "synchronous = NORMAL",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")
        _use_wal(dbapi_connection, busy_timeout)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Deferred by default, so a long report never holds the writer lock. Writes start
        # with a write, so they wait their busy timeout for the lock; a migration reads
        # first, so it takes the lock up front.
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_wal(connection: Any, patience: float) -> None:
    """Switch a file to WAL once; readers and writers then stop blocking each other."""
    import sqlite3

    deadline = time.monotonic() + patience
    while connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            # A new file in use by another connection: the switch does not wait by itself.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _dispose_after_fork(engine: Engine) -> None:
    # A server that forks after building the app (gunicorn --preload) must not share
    # pooled connections between processes.
    if not _engines:
        os.register_at_fork(after_in_child=_forget_pools)
    _engines.add(engine)


def _forget_pools() -> None:
    for engine in list(_engines):
        engine.dispose(close=False)


# -- migrations ------------------------------------------------------------------------------

_MIGRATION_WAIT_MS = 30_000  # another process may be migrating the same file at start-up
_PG_LOCK = 0x1C0FFEE  # pg_advisory_xact_lock key: one migrator at a time


def _alembic(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration, held by one process at a time."""
    with engine.connect() as connection:
        try:
            if engine.dialect.name == "sqlite":
                # On the driver's connection: through SQLAlchemy it would begin a transaction.
                driver = connection.connection.driver_connection
                driver.execute(f"PRAGMA busy_timeout = {_MIGRATION_WAIT_MS}")  # type: ignore[union-attr]
                connection.execution_options(immediate=True)
            with connection.begin():  # BEGIN IMMEDIATE on SQLite: the writer lock
                if engine.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK}
                    )
                yield connection
        finally:
            connection.invalidate()  # its long busy timeout must not serve webhooks later


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to revision; raise RecordsError with what to do if it fails."""
    from alembic import command

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to revision (for tests and emergencies)."""
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, run) -> None:  # type: ignore[no-untyped-def]
    from alembic.util import CommandError

    where = show(engine.url)
    try:
        with _migrating(engine) as connection:
            run(_alembic(connection))
    except CommandError as exc:
        raise RecordsError(
            f"cannot migrate the call records database {where}: {exc}. Is it "
            "newer than this version of ivr? Deploy the newer code, or point "
            "DATABASE_URL at another database."
        ) from None
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        # Only the driver's connection and operational errors mean "down", and not those
        # that name a setting to fix: spooling would wait forever for a database that is up.
        down = isinstance(exc, OperationalError | InterfaceError | OSError) and not (
            _A_SETTING.search(reason)
        )
        raise (DatabaseUnavailable if down else RecordsError)(
            f"cannot open the call records database {where}: {reason}. Check "
            "DATABASE_URL and that the database is running, then run "
            "`ivr db upgrade`."
        ) from None


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at (None when it has no schema yet)."""
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str:
    """Return the newest migration this code ships, as Alembic sees it."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic()).get_current_head()
    assert head is not None
    return head


def connect(url: URL) -> Engine:
    """Open a records database and bring its schema up to date."""
    try:
        engine = make_engine(url)
    except (SQLAlchemyError, OSError) as exc:
        raise RecordsError(f"cannot open the call records database {show(url)}: {exc}") from None
    try:
        migrate(engine)
    except RecordsError:
        engine.dispose()
        raise
    return engine


def migrate(engine: Engine) -> None:
    """Bring an engine's schema up to date (nothing to do when it is current)."""
    if engine.dialect.name == "sqlite":  # a data directory made after an outage, too
        with contextlib.suppress(OSError):
            Path(engine.url.database or "").parent.mkdir(parents=True, exist_ok=True)
    if _revision_or_none(engine) != newest_migration():
        upgrade(engine)


def _revision_or_none(engine: Engine) -> str | None:
    """The database's revision, or None when it cannot tell (upgrade then explains why)."""
    try:
        return current_revision(engine)
    except (SQLAlchemyError, OSError):
        return None


def purge(engine: Engine, before: datetime.datetime) -> dict[str, int]:
    """Delete the calls started before a moment, with their events, messages and callbacks."""
    old = select(calls.c.call_sid).where(calls.c.started_at < before)
    counts = {}
    with engine.begin() as connection:
        # Children first, so it works whether or not the database enforces the cascade.
        for table in (events, recordings, callbacks, calls):
            result = connection.execute(delete(table).where(table.c.call_sid.in_(old)))
            counts[table.name] = result.rowcount
    return counts


def mark_handled(engine: Engine, table: Any, ident: int, now: datetime.datetime) -> bool:
    """Mark a voicemail or callback request handled; False when there is no such id."""
    with engine.begin() as connection:  # the write first: it waits for the lock if need be
        connection.execute(
            update(table)
            .where(and_(table.c.id == ident, ~table.c.handled))
            .values(handled=True, handled_at=now)
        )
        found = connection.execute(select(table.c.id).where(table.c.id == ident)).first()
    return found is not None


def parse_age(value: str) -> datetime.timedelta:
    """Parse an age such as 90d, 12h or 2w."""
    match = _AGE.match(value.strip().lower())
    if not match:
        raise ValueError(f"'{value}' is not an age like 90d, 12h or 2w")
    try:
        return datetime.timedelta(**{_UNITS[match[2]]: int(match[1])})
    except OverflowError:
        raise ValueError(f"'{value}' is longer than the calendar; nothing is that old") from None


def new_revision(message: str) -> None:
    """Write a migration by comparing the models with the newest schema (maintainers)."""
    from alembic import command

    number = int(newest_migration()) + 1  # numbered, so start-up can find the head cheaply
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(URL.create("sqlite", database=f"{scratch}/head.sqlite3"))
        try:
            upgrade(engine)
            with engine.connect() as connection:
                config = _alembic(connection)
                _linted(config)
                command.revision(config, message, autogenerate=True, rev_id=f"{number:04d}")
        finally:
            engine.dispose()


def _linted(config: Config) -> None:
    """Have Alembic pass a new migration through ruff (fix, then format), as `make lint`
    checks the tree: Alembic writes single quotes and imports that a migration with no
    operations leaves unused. Without ruff (an install without the dev tools), as written."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        return
    hooks = {"ruff_fix": "check --fix --quiet", "ruff_format": "format --quiet"}
    config.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
    for name, options in hooks.items():
        config.set_section_option("post_write_hooks", f"{name}.type", "exec")
        config.set_section_option("post_write_hooks", f"{name}.executable", ruff)
        config.set_section_option(
            "post_write_hooks", f"{name}.options", f"{options} REVISION_SCRIPT_FILENAME"
        )
