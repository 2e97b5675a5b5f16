"""Migrations build the schema from nothing and from the previous version, keeping data."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import MetaData, Table, inspect, select, text

from ivr.cli import main as ivr_main
from ivr.records import database, tables
from ivr.records.database import RecordsError
from ivr.records.spool import Spool
from ivr.records.writes import Recorder, Written, message_left
from ivr.settings import Settings
from ivr.web.app import create_app
from tests.conftest import ENV, SHIPPED
from tests.records.conftest import counts

UTC = datetime.UTC
AT = datetime.datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
FIRST = "0001"


def test_an_empty_database_is_migrated_to_the_newest_schema(engine):
    assert database.current_revision(engine) is None
    database.upgrade(engine)
    assert database.current_revision(engine) == database.head_revision() == "0005"
    assert set(inspect(engine).get_table_names()) == {
        "alembic_version",
        "calls",
        "events",
        "recordings",
        "callbacks",
    }


def test_the_tables_match_the_migrations(db):
    """What the code expects is exactly what the migrations built."""
    with db.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, tables.metadata) == []


def test_the_server_migrates_at_start_up(env, engine):
    app = create_app(Settings.from_env(env, menus_path=SHIPPED))
    app.extensions["ivr"].recorder.close()
    assert database.current_revision(engine) == database.head_revision()


def insert_old_rows(engine) -> None:
    """Write a call with an event, a recording and a callback in the first schema."""
    with engine.begin() as connection:
        tables = MetaData()
        calls, events, recordings, callbacks = (
            Table(name, tables, autoload_with=connection)
            for name in ("calls", "events", "recordings", "callbacks")
        )
        connection.execute(
            calls.insert().values(
                call_sid="CA1",
                from_number="+8613812341234",
                to_number="+8610555000100",
                started_at=AT,
                status="completed",
                duration=42,
                language="zh-CN",
            )
        )
        connection.execute(
            events.insert().values(
                call_sid="CA1",
                step=1,
                path="/voice/gather",
                node="main",
                next_node="feedback",
                lang="zh-CN",
                input="4",
                outcome="keys 4 -> 4",
                at=AT,
            )
        )
        connection.execute(
            recordings.insert().values(
                recording_sid="RE1",
                call_sid="CA1",
                step=2,
                node="feedback",
                kind="feedback",
                caller="+8613812341234",
                url="https://api.twilio.com/RE1",
                duration=9,
                recorded_at=AT,
            )
        )
        connection.execute(
            callbacks.insert().values(
                call_sid="CA1",
                step=5,
                caller="+8613812341234",
                number="+8613812341234",
                window="09:00-12:00",
                requested_at=AT,
            )
        )


def test_the_previous_schema_is_upgraded_with_its_data(engine, tmp_path):
    database.upgrade(engine, FIRST)
    assert "transcription" not in {c["name"] for c in inspect(engine).get_columns("recordings")}
    insert_old_rows(engine)

    database.upgrade(engine)
    assert database.current_revision(engine) == database.head_revision()
    assert counts(engine) == {"calls": 1, "events": 1, "recordings": 1, "callbacks": 1}
    with engine.connect() as session:
        recording = session.execute(select(tables.recordings)).one()
        assert (recording.recording_sid, recording.duration, recording.recorded_at) == (
            "RE1",
            9,
            AT,
        )
        assert recording.transcription is None and not recording.handled
        assert session.scalars(select(tables.calls.c.duration)).one() == 42
        assert session.scalars(select(tables.events.c.outcome)).one() == "keys 4 -> 4"
        assert session.scalars(select(tables.callbacks.c.window)).one() == "09:00-12:00"

    # The new column works, and the way back down keeps the rest.
    recorder = Recorder(engine, Spool(tmp_path / "spool"))
    assert (
        recorder.write(
            message_left(
                "CA1",
                "RE1",
                2,
                "feedback",
                "feedback",
                None,
                "https://api.twilio.com/RE1",
                None,
                "很好",
                "completed",
                AT,
            )
        )
        is Written.COMMITTED
    )
    database.downgrade(engine, FIRST)
    assert counts(engine) == {"calls": 1, "events": 1, "recordings": 1, "callbacks": 1}
    database.upgrade(engine)
    with engine.connect() as session:
        assert session.scalars(select(tables.recordings.c.duration)).one() == 9


def test_a_number_booked_twice_in_one_call_becomes_one_request_its_latest(engine):
    """0004: one callback request per call and number (it was one per step)."""
    database.upgrade(engine, "0003")
    insert_old_rows(engine)  # CA1 booked +8613812341234 for the morning at step 5
    with engine.begin() as connection:
        callbacks = Table("callbacks", MetaData(), autoload_with=connection)
        for step, number, window in [
            (7, "+8613812341234", "14:00-18:00"),  # the same number again: the latest wins
            (9, "+8613912345678", "any"),  # another number: another request
        ]:
            connection.execute(
                callbacks.insert().values(
                    call_sid="CA1",
                    step=step,
                    caller="+8613812341234",
                    number=number,
                    window=window,
                    requested_at=AT,
                )
            )
    database.upgrade(engine)
    with engine.connect() as session:
        rows = session.execute(
            select(tables.callbacks.c.step, tables.callbacks.c.window).order_by("step")
        ).all()
    assert [tuple(row) for row in rows] == [(7, "14:00-18:00"), (9, "any")]
    database.downgrade(engine, "0003")
    database.upgrade(engine)
    assert counts(engine)["callbacks"] == 2


def test_two_servers_starting_together_migrate_once(database_url, engine):
    """Start-up migrations take a lock: the second waits, then finds nothing to do."""
    url = database.database_url(database_url)
    engines = [database.make_engine(url) for _ in range(2)]
    failures: list[BaseException] = []

    def migrate(each):
        try:
            database.upgrade(each)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=migrate, args=(each,)) for each in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for each in engines:
        each.dispose()
    assert failures == []
    assert database.current_revision(engine) == database.head_revision()


def test_a_database_newer_than_the_code_stops_the_server_with_a_clear_message(env, db):
    with db.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(RecordsError, match="newer than this version of ivr"):
        create_app(Settings.from_env(env, menus_path=SHIPPED))


def app_with_the_database_down(tmp_path: Path) -> tuple[Flask, Path]:
    """An app whose SQLite file cannot be opened (a file stands where its directory should
    be) until the returned path is removed."""
    blocker = tmp_path / "data"
    blocker.write_text("a file where the database's directory should be")
    env = {
        **ENV,
        "DATABASE_URL": f"sqlite:///{blocker / 'ivr.sqlite3'}",
        "IVR_SPOOL_DIR": str(tmp_path / "spool"),
        "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    return create_app(Settings.from_env(env, menus_path=SHIPPED)), blocker


def test_a_database_down_at_start_serves_from_the_spool_then_catches_up(
    tmp_path, caplog, monkeypatch
):
    """Start while the database cannot be opened: calls go on, records wait, none lost."""
    monkeypatch.setattr("ivr.records.writes.RETRY_AFTER", 0.0)  # try again at every write
    app, blocker = app_with_the_database_down(tmp_path)
    recorder = app.extensions["ivr"].recorder
    client = app.test_client()
    assert client.get("/healthz").get_json() | {"nodes": 0} == {
        "status": "ok",
        "records": "spooling",
        "ready": False,
        "nodes": 0,
        "menu": "current",
    }
    for n in range(3):
        answer = client.post("/voice", data={"CallSid": f"CA{n}", "From": "+8613812341234"})
        assert answer.status_code == 200 and b"<Gather" in answer.data
    assert len(recorder.spool.lines()) == 3
    assert any("starting in spool mode" in r.getMessage() for r in caplog.records)

    blocker.unlink()  # the database is back
    client.post("/voice", data={"CallSid": "CA3"})  # migrates, commits, starts the replay
    recorder.wait_for_replay()
    assert client.get("/healthz").get_json()["records"] == "ok"
    engine = recorder.engine
    assert database.current_revision(engine) == database.newest_migration()
    assert counts(engine)["calls"] == 4 and not recorder.spool.pending()
    assert recorder.flush() == 0  # replayed exactly once
    recorder.close()


def test_healthz_alone_notices_the_database_is_back_and_replays(tmp_path, monkeypatch):
    """A worker that takes no call after an outage still finds the database back: its
    /healthz tries once when a try is due, migrates and starts the replay."""
    monkeypatch.setattr("ivr.records.writes.RETRY_AFTER", 0.0)
    app, blocker = app_with_the_database_down(tmp_path)
    recorder = app.extensions["ivr"].recorder
    client = app.test_client()
    client.post("/voice", data={"CallSid": "CA1", "From": "+8613812341234"})
    assert client.get("/healthz").get_json()["records"] == "spooling"  # still down
    blocker.unlink()  # the database is back; no call comes
    assert client.get("/healthz").get_json()["records"] == "ok"
    recorder.wait_for_replay()
    assert counts(recorder.engine)["calls"] == 1 and not recorder.spool.pending()
    recorder.close()


def test_an_outage_after_start_reads_spooling_until_a_try_at_the_database_succeeds(
    tmp_path, monkeypatch
):
    """Review: once the wait after a failed write was over, /healthz said "ok" without
    trying, through a quiet night's outage, and the spool waited for the next caller."""
    monkeypatch.setattr("ivr.records.writes.RETRY_AFTER", 0.0)
    from sqlalchemy import create_engine

    env = {
        **ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ivr.sqlite3'}",
        "IVR_SPOOL_DIR": str(tmp_path / "spool"),
        "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    app = create_app(Settings.from_env(env, menus_path=SHIPPED))
    recorder = app.extensions["ivr"].recorder
    client = app.test_client()
    live = recorder.engine
    recorder.engine = create_engine(f"sqlite:///{tmp_path / 'gone' / 'ivr.sqlite3'}")  # down
    client.post("/voice", data={"CallSid": "CA1", "From": "+8613812341234"})
    assert recorder.spool.pending()
    for _ in range(2):  # each /healthz tries, and finds it down still
        assert client.get("/healthz").get_json()["records"] == "spooling"
    recorder.engine.dispose()
    recorder.engine = live  # back; no call comes
    assert client.get("/healthz").get_json()["records"] == "ok"
    recorder.wait_for_replay()
    assert counts(live)["calls"] == 1 and not recorder.spool.pending()
    recorder.close()


@pytest.mark.expects_apology  # the traceback is the point
def test_a_bug_in_the_records_layer_is_logged_with_its_traceback(tmp_path, monkeypatch, caplog):
    """Review: a TypeError of our own code was filed as "the database refused this record",
    with no traceback, so no test saw it; the record is still set aside, never lost."""
    env = {
        **ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ivr.sqlite3'}",
        "IVR_SPOOL_DIR": str(tmp_path / "spool"),
        "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    app = create_app(Settings.from_env(env, menus_path=SHIPPED))

    def broken(*args: object) -> None:
        raise TypeError("a bug in the records layer")

    monkeypatch.setattr("ivr.records.writes.apply", broken)
    answer = app.test_client().post("/voice", data={"CallSid": "CA1", "From": "+8613812341234"})
    assert answer.status_code == 200
    (logged,) = [r for r in caplog.records if r.exc_info]
    assert "a write failed in our own code" in logged.getMessage()
    assert (tmp_path / "spool" / "rejected.jsonl").read_text().count("CA1") >= 1
    app.extensions["ivr"].recorder.close()


def test_a_schema_it_cannot_take_after_an_outage_keeps_records_for_later(tmp_path, monkeypatch):
    """The database comes back with a schema newer than this code: the calls' records are
    not bad data, so they wait in the spool for a fixed server, none set aside."""
    import sqlite3

    from ivr.records.spool import REJECTED

    monkeypatch.setattr("ivr.records.writes.RETRY_AFTER", 0.0)
    app, blocker = app_with_the_database_down(tmp_path)
    recorder = app.extensions["ivr"].recorder
    client = app.test_client()
    client.post("/voice", data={"CallSid": "CA1", "From": "+8613812341234"})
    blocker.unlink()
    blocker.mkdir()
    with sqlite3.connect(blocker / "ivr.sqlite3") as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    answer = client.post("/voice", data={"CallSid": "CA2", "From": "+8613812341234"})
    assert answer.status_code == 200 and b"<Gather" in answer.data
    assert len(recorder.spool.lines()) == 2
    assert not (recorder.spool.directory / REJECTED).exists()
    assert client.get("/healthz").get_json()["records"] == "spooling"
    recorder.close()


def test_db_upgrade_says_a_database_is_down_with_its_own_exit_code(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://ivr:secret@127.0.0.1:1/ivr")
    assert ivr_main(["db", "upgrade"]) == 75
    said = capsys.readouterr().err
    assert "cannot open the call records database postgresql+psycopg://ivr:***@127.0.0.1:1" in said
    assert "secret" not in said


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda url: url.set(database="ivr_no_such_database"), 'database "ivr_no_such_database"'),
        (lambda url: url.set(username="ivr_no_such_role"), 'role "ivr_no_such_role"'),
        (lambda url: url.update_query_dict({"sslmode": "require"}), "does not support SSL"),
    ],
)
def test_a_wrong_setting_is_no_outage_and_refuses_to_start(
    postgres_admin, monkeypatch, capsys, change, says
):
    """Review: a misspelt database or role spooled forever behind a 200 /healthz; the
    server must refuse to start with the message, as for a bad URL."""
    monkeypatch.setenv("DATABASE_URL", change(postgres_admin.url).render_as_string(False))
    assert ivr_main(["db", "upgrade"]) == 1  # not 75: nothing to wait out
    assert says in capsys.readouterr().err


def test_db_upgrade_reports_the_revision(ivr):
    assert "schema at revision 0005" in ivr("db", "upgrade").output


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example/ivr", "postgresql+psycopg://u:p@db.example/ivr"),
        ("postgresql://u:p@db.example:5433/ivr", "postgresql+psycopg://u:p@db.example:5433/ivr"),
        ("postgresql+psycopg2://u@h/ivr", "postgresql+psycopg://u@h/ivr"),
        ("postgresql+psycopg://u@h/ivr", "postgresql+psycopg://u@h/ivr"),
        ("sqlite:////srv/ivr/ivr.sqlite3", "sqlite:////srv/ivr/ivr.sqlite3"),
    ],
)
def test_database_urls_are_normalised_for_psycopg(given, expected):
    url = database.database_url(given)
    assert url.render_as_string(hide_password=False) == expected


def test_without_database_url_the_default_is_a_file_in_the_instance_directory(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    url = database.database_url(None, Settings.from_env({}).instance_dir)
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "instance" / "ivr.sqlite3")  # of the working dir
    elsewhere = Settings.from_env({"IVR_INSTANCE_DIR": str(tmp_path / "data")})
    assert database.database_url(None, elsewhere.instance_dir).database == str(
        tmp_path / "data" / "ivr.sqlite3"
    )


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("sqlite://", "in-memory SQLite database"),
        ("sqlite:///:memory:", "in-memory SQLite database"),
        ("mysql://u:pw@h/ivr", "supports sqlite:/// and postgresql://"),
        ("not a url at all", "is not a database URL"),
    ],
)
def test_unusable_database_urls_are_refused(given, says):
    with pytest.raises(RecordsError, match=says):
        database.database_url(given)


def test_start_up_finds_the_newest_migration_without_alembic():
    """Migrations are numbered, so the file names tell start-up the head Alembic would."""
    assert database.newest_migration() == database.head_revision()


def test_0005_keeps_older_messages_and_requests_with_the_calls_language(engine):
    """0005: language, topic and urgency for both, the window's day for callbacks. Rows
    kept before are not urgent and have no topic or day; their language is the call's."""
    database.upgrade(engine, "0004")
    insert_old_rows(engine)
    database.upgrade(engine)
    with engine.connect() as session:
        message = session.execute(select(tables.recordings)).one()
        request = session.execute(select(tables.callbacks)).one()
    assert (message.language, message.topic, message.urgent) == ("zh-CN", None, False)
    assert (request.language, request.topic, request.urgent) == ("zh-CN", None, False)
    assert (request.window, request.window_date) == ("09:00-12:00", None)
    database.downgrade(engine, "0004")
    assert counts(engine) == {"calls": 1, "events": 1, "recordings": 1, "callbacks": 1}
    assert "window_date" not in {c["name"] for c in inspect(engine).get_columns("callbacks")}
    database.upgrade(engine)
    assert counts(engine)["callbacks"] == 1


def test_a_new_migration_is_written_as_make_lint_wants_it(tmp_path, monkeypatch):
    """The developer review: `ivr db revision` wrote single quotes and unused imports, so
    the next `make lint` failed on a file nobody had touched yet."""
    import shutil as sh
    import subprocess
    import sys

    from ivr.records import database

    package, copy = database.MIGRATIONS, tmp_path / "migrations"
    sh.copytree(package, copy, ignore=sh.ignore_patterns("__pycache__"))
    monkeypatch.setattr(database, "MIGRATIONS", copy)
    database.new_revision("a probe")
    (written,) = sorted((copy / "versions").glob("0006_*.py"))
    ruff = str(Path(sys.executable).parent / "ruff")
    for check in (["check"], ["format", "--check"]):
        done = subprocess.run([ruff, *check, str(written)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert not list((package / "versions").glob("0006_*"))  # the package's own untouched
