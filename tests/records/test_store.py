"""The webhooks' writer (ivr.store) against the tables SQLAlchemy defines (ivr.tables)."""

from __future__ import annotations

import datetime
import fcntl
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ivr.records import CallSeen, Recorder, StepTaken
from ivr.settings import PROJECT_ROOT
from ivr.spool import Spool
from ivr.store import CACHE_KIB, RecordsError, Store, store_url
from ivr.tables import Call, Event
from tests.conftest import ENV
from tests.records.conftest import store

SH = datetime.timezone(datetime.timedelta(hours=8))
AT = datetime.datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=SH)


def test_times_read_back_through_the_models_as_written(db, tmp_path):
    recorder = Recorder(store(db), Spool(tmp_path / "spool"))
    assert recorder.write(CallSeen("CA1", "+8613812341234", None, AT),
                          StepTaken("CA1", 0, "/voice", None, "main", "zh-CN", None, None,
                                    "start", AT))
    with Session(db) as session:
        call = session.scalars(select(Call)).one()
        event = session.scalars(select(Event)).one()
    assert call.started_at == event.at == AT  # aware, UTC, microseconds kept
    assert call.language == "zh-CN"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("at", "text_"), [
    (AT, "2026-11-23 02:00:00.123456"),
    (AT.replace(microsecond=0), "2026-11-23 02:00:00.000000"),  # isoformat drops these
    (AT.astimezone(datetime.UTC), "2026-11-23 02:00:00.123456"),  # the same moment
])
def test_sqlite_times_are_stored_as_sqlalchemy_stores_them(db, tmp_path, at, text_):
    Recorder(store(db), Spool(tmp_path / "spool")).write(
        CallSeen("CA1", None, None, at))
    with Session(db) as session:
        session.add(Call(call_sid="CA2", started_at=at))
        session.commit()
    with db.connect() as connection:
        stored = connection.execute(text("SELECT started_at FROM calls ORDER BY call_sid"))
        ours, theirs = [row[0] for row in stored]
    assert ours == theirs == text_  # so comparisons in SQL agree


def test_a_write_that_breaks_a_constraint_is_bad_data_not_an_outage(db):
    writer = store(db)
    with pytest.raises(Exception) as caught:  # an event of a call that does not exist
        writer.write([("step", {"call_sid": "CAnone", "step": 1, "path": "/voice",
                                "node": None, "next_node": None, "lang": None, "input": None,
                                "confidence": None, "outcome": "x", "at": AT})])
    assert writer.bad_data(caught.value)


def test_a_dead_database_is_an_outage_not_bad_data():
    writer = Store("sqlite:////proc/ivr-no-such-dir/ivr.sqlite3")
    with pytest.raises(Exception) as caught:
        writer.write([("seen", {"call_sid": "CA1", "from_number": None, "to_number": None,
                                "started_at": AT})])
    assert not writer.bad_data(caught.value)


@pytest.mark.parametrize(("given", "backend", "shown"), [
    ("postgres://u:pw@h:5432/ivr", "postgresql", "postgresql+psycopg://u:***@h:5432/ivr"),
    ("sqlite:////srv/ivr.sqlite3", "sqlite", "sqlite:////srv/ivr.sqlite3"),
])
def test_store_urls(given, backend, shown):
    url = store_url({"DATABASE_URL": given})
    assert (url.backend, url.shown) == (backend, shown)


def test_a_bad_port_is_refused_with_the_password_hidden():
    with pytest.raises(RecordsError, match="not a database URL") as caught:
        store_url({"DATABASE_URL": "postgresql://u:pw@h:notaport/ivr"})
    assert "pw" not in str(caught.value)


def test_a_server_on_a_current_schema_never_loads_sqlalchemy(tmp_path):
    env = {**os.environ, **ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'ivr.sqlite3'}",
           "IVR_SPOOL_DIR": str(tmp_path / "spool")}
    run = [sys.executable, "-m", "ivr", "db", "upgrade"]
    subprocess.run(run, env=env, cwd=PROJECT_ROOT, check=True, capture_output=True)
    code = ("import sys, server; c = server.app.test_client();"
            "r = c.post('/voice', data={'CallSid': 'CA1'}); assert r.status_code == 200;"
            "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT,
                          check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"
    with sqlite3.connect(tmp_path / "ivr.sqlite3") as connection:
        assert connection.execute("SELECT call_sid FROM calls").fetchall() == [("CA1",)]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_wal_is_copied_into_the_file_by_a_thread_not_by_a_webhook(db, tmp_path):
    path = db.url.database
    writer = store(db)
    recorder = Recorder(writer, Spool(tmp_path / "spool"))
    size = os.path.getsize(path)
    for i in range(300):
        assert recorder.write(CallSeen(f"CA{i:04d}", "+8613812341234", None, AT))
    with sqlite3.connect(path) as connection:  # the webhooks' connection does not copy
        assert connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert writer._connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    # A small page cache per worker: the rest is in the OS's cache, shared.
    assert writer._connection.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA cache_size").fetchone()[0] == -2000  # not the file's
    deadline = time.monotonic() + 10
    while os.path.getsize(path) == size and time.monotonic() < deadline:
        time.sleep(0.1)
    assert os.path.getsize(path) > size  # the checkpoint thread copied the pages
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM calls").fetchone()[0] == 300


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_writers_queue_on_a_lock_file_not_sqlites_sleeps(db, tmp_path):
    writer = store(db)
    writer.write([("seen", {"call_sid": "CA0", "from_number": None, "to_number": None,
                            "started_at": AT})])
    lock_file = f"{writer.url.path}-writers.lock"
    holder = os.open(lock_file, os.O_RDWR)  # another process's turn, as the kernel sees it
    fcntl.flock(holder, fcntl.LOCK_EX)
    done = threading.Event()

    def write() -> None:
        writer.write([("seen", {"call_sid": "CA1", "from_number": None, "to_number": None,
                                "started_at": AT})])
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert not done.wait(0.3)  # queued behind the holder, not inside SQLite
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    assert done.wait(5)  # woken when the holder is done, and written
    thread.join()
    with db.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM calls")).scalar() == 2
