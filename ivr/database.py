"""The call records database through SQLAlchemy: its engine and its migrations.

The commands, the reports and the migrations use this; the webhooks write
through ivr.store and load it only when the schema needs migrating.

SQLite under instance/ by default, so a fresh checkout needs no set-up;
DATABASE_URL points the same code at PostgreSQL (psycopg 3). Migrations are
Alembic scripts in migrations/, configured here so no alembic.ini is needed.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from ivr.store import (  # noqa: F401 - for callers
    BUSY_TIMEOUT,
    MIGRATIONS,
    RecordsError,
    newest_migration,
    spool_dir,
    sqlite_pragmas,
    store_url,
)

# Alembic costs 0.4 s of imports: it is imported where it is used, so a server whose
# schema is current never loads it.
if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATION_WAIT_MS = 30_000  # another process may be migrating the same file at start-up
_PG_LOCK = 0x1C0FFEE  # pg_advisory_xact_lock key: one migrator at a time
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def database_url(env: Mapping[str, str]) -> URL:
    """Return the database URL from DATABASE_URL, or the default SQLite file."""
    return make_url(store_url(env).text)


def show(url: URL) -> str:
    """Render a URL for logs and messages, password hidden."""
    return url.render_as_string(hide_password=True)


def make_engine(url: URL, busy_timeout: float = BUSY_TIMEOUT) -> Engine:
    """Create the process's engine: WAL and foreign keys on SQLite, short timeouts on both."""
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, hide_parameters=True,
                               connect_args={"timeout": busy_timeout})
        _sqlite_pragmas(engine, round(busy_timeout * 1000))
    else:
        engine = create_engine(
            url,
            hide_parameters=True,  # error messages would otherwise carry callers' numbers
            pool_pre_ping=True,  # a restarted database costs one ping, not a spooled write
            pool_timeout=3,
            connect_args={"connect_timeout": 3,
                          "options": "-c statement_timeout=5000 -c lock_timeout=3000"},
        )
    _dispose_after_fork(engine)
    return engine


def _sqlite_pragmas(engine: Engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        sqlite_pragmas(dbapi_connection, busy_ms / 1000)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Deferred by default, so a long report never holds the writer lock. Writes start
        # with a write, so they wait their busy timeout for the lock; a migration reads
        # first, so it takes the lock up front.
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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
                connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                    f"PRAGMA busy_timeout = {_MIGRATION_WAIT_MS}")
                connection.execution_options(immediate=True)
            with connection.begin():  # BEGIN IMMEDIATE on SQLite: the writer lock
                if engine.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": _PG_LOCK})
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
        raise RecordsError(f"cannot migrate the call records database {where}: {exc}. Is it "
                           "newer than this version of ivr? Deploy the newer code, or point "
                           "DATABASE_URL at another database.") from None
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise RecordsError(f"cannot open the call records database {where}: {reason}. Check "
                           "DATABASE_URL and that the database is running, then run "
                           "`ivr db upgrade`.") from None


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


def connect(env: Mapping[str, str]) -> Engine:
    """Open the database named by the environment and bring its schema up to date."""
    url = database_url(env)
    try:
        engine = make_engine(url)
    except (SQLAlchemyError, OSError) as exc:
        raise RecordsError(f"cannot open the call records database {show(url)}: {exc}") from None
    try:
        if _revision_or_none(engine) != newest_migration():
            upgrade(engine)
    except RecordsError:
        engine.dispose()
        raise
    return engine


def _revision_or_none(engine: Engine) -> str | None:
    """The database's revision, or None when it cannot tell (upgrade then explains why)."""
    try:
        return current_revision(engine)
    except (SQLAlchemyError, OSError):
        return None


def new_revision(message: str) -> None:
    """Write a migration by comparing the models with the newest schema (maintainers)."""
    from alembic import command

    number = int(newest_migration()) + 1  # numbered, so start-up can find the head cheaply
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(URL.create("sqlite", database=f"{scratch}/head.sqlite3"))
        try:
            upgrade(engine)
            with engine.connect() as connection:
                command.revision(_alembic(connection), message, autogenerate=True,
                                 rev_id=f"{number:04d}")
        finally:
            engine.dispose()


