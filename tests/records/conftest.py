"""Fixtures for the call records: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from IVR_TEST_POSTGRES_URL (scripts/postgres.sh prints one); each
test gets a database of its own. Without it the PostgreSQL variants skip, unless
IVR_REQUIRE_POSTGRES=1 (as in CI), when they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ivr.cli.db import db_cli
from ivr.cli.menu import speech
from ivr.cli.records import callbacks_command, report_command, voicemails_command
from ivr.records import database
from ivr.records.tables import metadata
from ivr.settings import Settings
from ivr.simulator import Call, CallResult, ScriptedCaller, WsgiTransport
from ivr.web.app import create_app
from tests.conftest import CLOSED_TIME, ENV, SHIPPED, Clock, own_line

NO_POSTGRES = "PostgreSQL not available: set IVR_TEST_POSTGRES_URL or run scripts/postgres.sh"
BASE = "http://127.0.0.1:5000"
CALLER = "+8613812341234"
# The webhooks that move a call through the menus; each answer is one recorded event.
FLOW_PATHS = frozenset(
    {"/voice", "/voice/gather", "/voice/dial", "/voice/record", "/voice/enter", "/voice/callback"}
)


def unavailable(reason: str) -> None:
    """Skip a PostgreSQL test, or fail it when PostgreSQL is required."""
    if os.environ.get("IVR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (and IVR_REQUIRE_POSTGRES=1 forbids skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An engine on the PostgreSQL server's admin database, or a skip."""
    text_url = os.environ.get("IVR_TEST_POSTGRES_URL")
    if not text_url:
        unavailable(NO_POSTGRES)
    url = database.database_url(text_url or "")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        unavailable(
            f"PostgreSQL not available at {database.show(url)} ({exc.orig}); "
            "run scripts/postgres.sh"
        )
    yield engine
    engine.dispose()


def new_postgres_database(admin: Engine) -> str:
    """Create an empty database and return its URL."""
    name = f"ivr_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin.url.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin: Engine, url: str) -> None:
    """Drop a test database, closing whatever still holds it."""
    name = make_url(url).database
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ivr.sqlite3'}"
        return
    admin = request.getfixturevalue("postgres_admin")
    url = new_postgres_database(admin)
    yield url
    drop_postgres_database(admin, url)


@pytest.fixture
def env(database_url, tmp_path) -> dict[str, str]:
    """The server's environment: the test database and a spool of its own."""
    return {
        **ENV,
        "DATABASE_URL": database_url,
        "IVR_SPOOL_DIR": str(tmp_path / "spool"),
        "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
    }


@pytest.fixture
def clock() -> Clock:
    """After hours: the agent key leads to the after-hours menu."""
    return Clock(CLOSED_TIME)


@pytest.fixture
def app(env, clock):
    """The app on the shipped menu, recording into the test database."""
    app = create_app(Settings.from_env(env, menus_path=SHIPPED), clock=clock)
    recorder = app.extensions["ivr"].recorder
    engine = recorder.engine  # tests may swap in a dead one: close the real one anyway
    yield app
    recorder.close()
    engine.dispose()


@pytest.fixture
def recorder(app):
    return app.extensions["ivr"].recorder


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    """An engine on the test database (empty until something migrates it)."""
    engine = database.make_engine(database.database_url(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine) -> Engine:
    """The test database with the newest schema."""
    database.upgrade(engine)
    return engine


def real_sid(simulated: str) -> str:
    """The same call with the CallSid of a real one (deterministic: retries keep it)."""
    return "CA" + simulated.removeprefix("CAsim") + "f00"


@pytest.fixture
def dial(app):
    """Place a simulated call with a script; return its result."""

    def place(
        script: str, *, seed: int = 1, from_number: str = CALLER, simulated: bool = False, **kwargs
    ) -> CallResult:
        call = Call(
            WsgiTransport(app, BASE),
            ScriptedCaller.parse(script),
            line=own_line(BASE),
            seed=seed,
            from_number=from_number,
            **kwargs,
        )
        # A real caller's call: Twilio's CallSid shape ("CA" + 32 hex digits), so the
        # records commands list it (they leave the simulator's "CAsim..." out).
        if not simulated:
            call.call_sid = real_sid(call.call_sid)
        result = call.run()
        assert result.ok, [str(p) for p in result.problems]
        return result

    return place


def counts(engine: Engine) -> dict[str, int]:
    """Count the rows of every records table."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar()
            for table in metadata.sorted_tables
        }


@pytest.fixture
def ivr(env):
    """Run `ivr db|report|voicemails|callbacks|speech` against the test database."""
    group = click.Group("ivr")
    for command in (db_cli, report_command, voicemails_command, callbacks_command, speech):
        group.add_command(command)
    runner = CliRunner()

    def run(*args: str, expect: int = 0):
        result = runner.invoke(group, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == expect, result.output
        return result

    return run
