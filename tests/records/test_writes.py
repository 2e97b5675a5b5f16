"""The writes (ivr.records) on the tables ivr.tables declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from sqlalchemy import select, text

from ivr.call.flow import Origin
from ivr.records import tables
from ivr.records.database import RecordsError, database_url, show
from ivr.records.spool import Spool
from ivr.records.writes import (
    Recorder,
    Written,
    bad_data,
    call_ended,
    call_seen,
    callback_requested,
    from_json,
    message_left,
    step_taken,
    to_json,
)
from tests.conftest import ENV, PROJECT_ROOT

SH = datetime.timezone(datetime.timedelta(hours=8))
AT = datetime.datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=SH)


def _step(sid: str, step: int, lang: str | None = "zh-CN", at=AT):
    return step_taken(
        sid, step, "/voice/gather", "main", "account", lang, "1", None, "keys 1 -> 1", at
    )


def test_times_read_back_as_written(db, tmp_path):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    assert (
        recorder.write(
            call_seen("CA1", "+8613812341234", None, AT),
            step_taken("CA1", 0, "/voice", None, "main", "zh-CN", None, None, "start", AT),
        )
        is Written.COMMITTED
    )
    with db.connect() as connection:
        call = connection.execute(select(tables.calls)).one()
        event = connection.execute(select(tables.events)).one()
    assert call.started_at == event.at == AT  # aware, UTC, microseconds kept
    assert call.started_at.tzinfo is not None and call.language == "zh-CN"


def test_every_write_is_idempotent_and_order_free(db, tmp_path):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    later = AT + datetime.timedelta(seconds=30)
    for _ in range(2):  # a Twilio retry repeats the same write
        assert (
            recorder.write(call_seen("CA1", None, None, later), _step("CA1", 3, "en-US"))
            is Written.COMMITTED
        )
    # An earlier step arriving late moves the start earlier, keeps the later language.
    assert (
        recorder.write(
            call_seen("CA1", "+8613812341234", "+8610555000100", AT), _step("CA1", 2, "zh-CN")
        )
        is Written.COMMITTED
    )
    assert (
        recorder.write(call_ended("CA1", None, None, "completed", 60, later)) is Written.COMMITTED
    )
    with db.connect() as connection:
        call = connection.execute(select(tables.calls)).one()
        steps = connection.execute(select(tables.events.c.step)).scalars().all()
    assert sorted(steps) == [2, 3]
    assert call.started_at == AT and call.from_number == "+8613812341234"
    assert call.language == "en-US" and call.status == "completed" and call.duration == 60
    assert call.ended_at == later


def test_a_transcription_before_or_after_its_recording_fills_the_same_row(db, tmp_path):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    url = "https://api.twilio.com/RE1"
    assert (
        recorder.write(
            call_seen("CA1", None, None, AT),
            message_left(
                "CA1",
                "RE1",
                3,
                "voicemail",
                "voicemail",
                None,
                url,
                None,
                "请回电",
                "completed",
                AT,
            ),
        )
        is Written.COMMITTED
    )
    assert (
        recorder.write(
            message_left("CA1", "RE1", 3, "voicemail", "voicemail", None, url, 12, None, None, AT)
        )
        is Written.COMMITTED
    )
    with db.connect() as connection:
        message = connection.execute(select(tables.recordings)).one()
    assert (message.duration, message.transcription, message.handled) == (12, "请回电", False)


@pytest.mark.parametrize("order", ["kept first", "time first"])
def test_a_time_chosen_for_a_kept_callback_request_fills_its_row_in_any_order(db, tmp_path, order):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    assert recorder.write(call_seen("CA1", None, None, AT)) is Written.COMMITTED
    kept = callback_requested("CA1", 4, "+8613800138000", "+8613800138000", "any", AT)
    timed = callback_requested("CA1", 6, "+8613800138000", "+8613800138000", "09:00-12:00", AT)
    for write in (kept, timed) if order == "kept first" else (timed, kept):
        assert recorder.write(write) is Written.COMMITTED
    assert recorder.write(kept) is Written.COMMITTED  # a Twilio retry of the first step
    with db.connect() as connection:
        (request,) = connection.execute(select(tables.callbacks)).all()
        assert request.window == "09:00-12:00"
        assert request.step == 6  # the step whose time it holds
        # Once an agent has handled it, a late time no longer changes it.
        connection.execute(tables.callbacks.update().values(handled=True, window="any"))
        connection.commit()
    assert recorder.write(timed) is Written.COMMITTED
    with db.connect() as connection:
        assert connection.execute(select(tables.callbacks.c.window)).scalar_one() == "any"


def _booking(step: int, window: str):
    return callback_requested("CA1", step, "+8613800138000", "+8613800138000", window, AT)


@pytest.mark.parametrize("order", [(4, 5, 8, 9), (9, 8, 5, 4), (5, 9, 4, 8), (8, 9, 4, 5)])
def test_the_time_chosen_last_in_the_call_wins_in_any_order(db, tmp_path, order):
    """Second review: a number booked twice in a call (kept at 4, the morning at 5; kept
    again at 8, the afternoon at 9), its writes replayed in any order: the afternoon."""
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    assert recorder.write(call_seen("CA1", None, None, AT)) is Written.COMMITTED
    writes = {4: "any", 5: "09:00-12:00", 8: "any", 9: "14:00-18:00"}
    for step in order:
        assert recorder.write(_booking(step, writes[step])) is Written.COMMITTED
    with db.connect() as connection:
        (request,) = connection.execute(select(tables.callbacks)).all()
    assert (request.window, request.step, request.handled) == ("14:00-18:00", 9, False)


def test_booking_again_after_an_agent_handled_the_request_opens_it_again(db, tmp_path):
    """Second review: the second booking was dropped while the caller heard it was kept."""
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    assert recorder.write(call_seen("CA1", None, None, AT)) is Written.COMMITTED
    for step, window in ((4, "any"), (5, "09:00-12:00")):
        assert recorder.write(_booking(step, window)) is Written.COMMITTED
    with db.connect() as connection:
        connection.execute(tables.callbacks.update().values(handled=True, handled_at=AT))
        connection.commit()
    assert recorder.write(_booking(5, "09:00-12:00")) is Written.COMMITTED  # a retry: still
    with db.connect() as connection:
        assert connection.execute(select(tables.callbacks.c.handled)).scalar_one() is True
    assert recorder.write(_booking(8, "any")) is Written.COMMITTED  # booked again: open
    with db.connect() as connection:
        request = connection.execute(select(tables.callbacks)).one()
    assert (request.handled, request.handled_at, request.window) == (False, None, "any")


def test_a_spooled_line_reads_back_as_the_same_write():
    write = (
        call_seen("CA1", "+8613812341234", None, AT),
        _step("CA1", 2),
        call_ended("CA1", None, None, "busy", None, AT),
    )
    assert from_json(to_json(write)) == write


@pytest.mark.parametrize(
    "line",
    [
        '[{"kind":"seen"',
        '[{"kind":"nope","row":{}}]',
        '[{"kind":"seen","row":{"started_at":"yesterday"}}]',
        "{}",
    ],
)
def test_what_is_not_a_spooled_write_is_refused(line):
    with pytest.raises(ValueError, match="not a spooled write"):
        from_json(line)


def test_a_write_that_breaks_a_constraint_is_bad_data_not_an_outage(db):
    with pytest.raises(Exception) as caught, db.begin() as connection:
        # An event of a call that does not exist: the foreign key refuses it.
        connection.execute(tables.events.insert(), dict(_step("CAnone", 1).row))
    assert bad_data(caught.value)


def test_a_dead_database_is_an_outage_not_bad_data(tmp_path):
    from ivr.records.database import make_engine

    engine = make_engine(database_url("sqlite:////proc/ivr-no-such/x.db"))
    recorder = Recorder(engine, Spool(tmp_path / "spool"))
    with pytest.raises(Exception) as caught, engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    assert not bad_data(caught.value)
    assert (
        recorder.write(call_seen("CA1", None, None, AT)) is Written.SPOOLED
    )  # spooled, not raised
    assert len(recorder.spool.lines()) == 1


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgres://u:pw@h:5432/ivr", "postgresql+psycopg://u:***@h:5432/ivr"),
        ("postgresql://u:pw@h/ivr", "postgresql+psycopg://u:***@h/ivr"),
        ("sqlite:////srv/ivr.sqlite3", "sqlite:////srv/ivr.sqlite3"),
    ],
)
def test_database_urls(given, shown):
    assert show(database_url(given)) == shown


@pytest.mark.parametrize(
    "given", ["postgresql://u:pw@h:notaport/ivr", "sqlite://", "mysql://u:pw@h/ivr"]
)
def test_bad_urls_are_refused_with_the_password_hidden(given):
    with pytest.raises(RecordsError) as caught:
        database_url(given)
    assert "pw" not in str(caught.value)


def test_a_server_on_a_current_schema_never_loads_alembic_nor_another_dialect(tmp_path):
    """Alembic is for migrations, and a SQLite worker has no use for SQLAlchemy's PostgreSQL
    package (its drivers' modules cost every worker memory)."""
    env = {
        **os.environ,
        **ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ivr.sqlite3'}",
        "IVR_SPOOL_DIR": str(tmp_path / "spool"),
        "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    run = [sys.executable, "-m", "ivr", "db", "upgrade"]
    subprocess.run(run, env=env, cwd=PROJECT_ROOT, check=True, capture_output=True)
    code = (
        "import sys, server; c = server.app.test_client();"
        "r = c.post('/voice', data={'CallSid': 'CA1'}); assert r.status_code == 200;"
        "print([m for m in ('alembic', 'sqlalchemy.dialects.postgresql') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "[]"


def test_a_value_the_database_cannot_take_is_set_aside_and_the_rest_goes_on(db, tmp_path):
    """Only an outage is an outage: a bad value is rejected with its reason, not spooled."""
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    huge = message_left(
        "CA1", "RE1", 3, "voicemail", "voicemail", None, "https://x/RE1", 10**30, None, None, AT
    )  # an int no column can hold
    assert recorder.write(call_seen("CA1", None, None, AT), huge) is Written.REJECTED
    assert recorder.status == "ok"  # no retry window: the database is fine
    assert (
        recorder.write(call_seen("CA2", None, None, AT)) is Written.COMMITTED
    )  # the next write commits at once
    assert not recorder.spool.pending()  # nothing waits to be replayed...
    rejected = (tmp_path / "spool" / "rejected.jsonl").read_text(encoding="utf-8")
    assert '"recording_sid":"RE1"' in rejected  # ...the refused write is kept for a person
    with db.connect() as connection:
        assert connection.execute(select(tables.calls.c.call_sid)).scalars().all() == ["CA2"]


def test_text_longer_than_its_column_or_with_a_nul_is_cut_to_fit(db, tmp_path):
    """A long SIP address as From, a NUL in a field: recorded, cut to fit, on both
    databases (PostgreSQL refused each such write, and every step of the call with it)."""
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    sip = "sip:" + "a" * 100 + "@example.com"
    assert recorder.write(call_seen("CA1", sip, "+86105550\x00", AT)) is Written.COMMITTED
    assert recorder.write(_step("CA1", 1), _step("CA1\x00", 2)) is Written.COMMITTED
    with db.connect() as connection:
        call = connection.execute(select(tables.calls)).one()
        steps = connection.execute(select(tables.events.c.step)).scalars().all()
    assert (call.from_number, call.to_number) == (sip[:64], "+86105550")
    assert sorted(steps) == [1, 2]  # the NUL dropped from the id: the same call


def test_replay_sets_aside_a_line_it_cannot_apply_and_goes_on(db, tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.append(
        to_json(
            (
                call_seen("CA1", None, None, AT),
                message_left("CA1", "RE1", 3, None, "voicemail", None, "u", 10**30, None, None, AT),
            )
        )
    )
    spool.append(to_json((call_seen("CA2", None, None, AT),)))
    assert Recorder(db, spool).flush() == 1
    assert not spool.pending()
    with db.connect() as connection:
        assert "CA2" in connection.execute(select(tables.calls.c.call_sid)).scalars().all()


def test_a_final_status_is_never_overwritten_by_an_earlier_one(db, tmp_path):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    later = AT + datetime.timedelta(seconds=30)
    assert (
        recorder.write(call_ended("CA1", None, None, "completed", 30, later)) is Written.COMMITTED
    )
    for status, duration in [("ringing", None), ("in-progress", 3)]:  # arriving late
        late = call_ended("CA1", None, None, status, duration, AT)
        assert recorder.write(late) is Written.COMMITTED
    with db.connect() as connection:
        call = connection.execute(select(tables.calls)).one()
    assert (call.status, call.ended_at, call.duration) == ("completed", later, 30)


# -- where a message or request comes from, and a callback's day (review 8, F2, F3) --------------

STOLEN = Origin("en-US", "stolen", urgent=True)
DAY = datetime.date(2026, 11, 24)


def test_a_spooled_line_carries_the_origin_and_the_day_back_exactly():
    write = (
        callback_requested("CA1", 6, None, "+8613800138000", "18:00-20:00", AT, DAY, STOLEN),
        message_left(
            "CA1", "RE1", 7, "voicemail", "voicemail", None, "https://x/RE1", 9, None, None, AT,
            STOLEN,
        ),
    )  # fmt: skip
    back = from_json(to_json(write))
    assert back == write
    assert back[0].row["window_date"] == DAY and back[1].row["topic"] == "stolen"


@pytest.mark.parametrize("order", ["kept first", "time first"])
def test_a_chosen_window_brings_its_day_and_the_origin_in_any_order(db, tmp_path, order):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    assert recorder.write(call_seen("CA1", None, None, AT)) is Written.COMMITTED
    kept = callback_requested("CA1", 4, None, "+8613800138000", "any", AT, None, STOLEN)
    timed = callback_requested("CA1", 6, None, "+8613800138000", "18:00-20:00", AT, DAY, STOLEN)
    for write in (kept, timed) if order == "kept first" else (timed, kept):
        assert recorder.write(write) is Written.COMMITTED
    with db.connect() as connection:
        request = connection.execute(select(tables.callbacks)).one()
    assert (request.window, request.window_date) == ("18:00-20:00", DAY)
    assert (request.language, request.topic, request.urgent) == ("en-US", "stolen", True)


@pytest.mark.parametrize("order", ["recording first", "transcription first"])
def test_a_transcription_never_loses_the_messages_origin(db, tmp_path, order):
    recorder = Recorder(db, Spool(tmp_path / "spool"))
    assert recorder.write(call_seen("CA1", None, None, AT)) is Written.COMMITTED
    url = "https://x/RE1"
    made = message_left("CA1", "RE1", 7, "voicemail", "voicemail", None, url, 9, None, None, AT,
                        STOLEN)  # fmt: skip
    text = message_left("CA1", "RE1", 7, "voicemail", "voicemail", None, url, None, "被盗了",
                        "completed", AT)  # fmt: skip
    for write in (made, text) if order == "recording first" else (text, made):
        assert recorder.write(write) is Written.COMMITTED
    with db.connect() as connection:
        message = connection.execute(select(tables.recordings)).one()
    assert (message.language, message.topic, message.urgent) == ("en-US", "stolen", True)
    assert message.transcription == "被盗了"
