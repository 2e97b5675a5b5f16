"""Issue 18's hard edges through the Procfile's real gunicorn, on SQLite and PostgreSQL.

One server per database serves the whole module (a start costs seconds); each test
uses call ids of its own and looks only at its own records.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, select

from ivr.records import database
from ivr.records.spool import REJECTED
from ivr.records.tables import calls, recordings
from ivr.records.writes import call_seen, message_left, step_taken, to_json
from tests.conftest import SHIPPED
from tests.records.conftest import drop_postgres_database, new_postgres_database
from tests.test_production import (
    LONG_MANDARIN,
    TWILIO_FIELDS,
    leave_message,
    post_oversized_chunked,
    procfile_server,
    served_twiml,
    signed_post,
    signed_step,
    wait_for_calls,
)

pytestmark = pytest.mark.slow
HUGE = "9" * 23  # a duration no integer column holds


@dataclass(frozen=True)
class Served:
    """The Procfile's server on one database, and what a test reads back."""

    url: str
    engine: Engine  # on the server's database
    spool: Path
    log: Path

    def calls(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(connection.execute(select(calls.c.call_sid)).scalars())

    def rejected(self) -> str:
        path = self.spool / REJECTED
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def records(self) -> set[str]:
        """/healthz's words on the records, asked often enough to reach both workers."""
        return {requests.get(self.url + "/healthz", timeout=5).json()["records"] for _ in range(10)}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{directory / 'ivr.sqlite3'}"
    else:
        admin = request.getfixturevalue("postgres_admin")
        url = new_postgres_database(admin)
    try:
        # The module's server starts before the per-test environment is set: name the menu.
        with procfile_server(directory, DATABASE_URL=url, IVR_MENUS=str(SHIPPED)) as base:
            engine = database.make_engine(database.database_url(url))
            try:
                yield Served(base, engine, directory / "spool", directory / "server.log")
            finally:
                engine.dispose()
    finally:
        if request.param == "postgresql":
            drop_postgres_database(admin, url)


def sid(n: int) -> str:
    return f"CA{n:032d}"


def status(served: Served, n: int, call_status: str, duration: str | None = None) -> None:
    """Twilio's status callback for call n: answered with an empty TwiML document."""
    fields = {"CallSid": sid(n), "CallStatus": call_status}
    if duration is not None:
        fields["CallDuration"] = duration
    assert len(served_twiml(signed_post(served.url, "/voice/status", fields))) == 0


def test_huge_durations_are_dropped_and_every_record_goes_on(served):
    """A 23-digit RecordingDuration or CallDuration: the caller is thanked, the records
    are written without it (it never reaches SQL), no worker starts spooling, nothing is
    refused, and the next calls are in the database as soon as they are answered."""
    made = range(1_100_000, 1_100_004)  # a few, so that both workers get some
    for n in made:
        assert leave_message(served.url, n, duration=HUGE)
        status(served, n, "completed", HUGE)
    assert served.records() == {"ok"}
    for n in range(1_100_100, 1_100_106):
        signed_step(served.url, sid(n))
        assert sid(n) in served.calls()  # committed before the answer, not spooled
    with served.engine.connect() as connection:
        stored = connection.execute(
            select(
                recordings.c.recording_sid, recordings.c.duration, calls.c.status, calls.c.duration
            )
            .join(calls, calls.c.call_sid == recordings.c.call_sid)
            .where(recordings.c.call_sid.in_([sid(n) for n in made]))
        ).all()
    assert sorted(stored) == [(f"RE{n:032d}", 0, "completed", None) for n in made]
    assert not list(served.spool.glob("*.spool"))
    assert all(sid(n) not in served.rejected() for n in made)


def test_a_late_ringing_leaves_the_final_status(served):
    n = 1_200_000
    status(served, n, "completed", "30")
    status(served, n, "ringing")  # arrives late
    status(served, n, "in-progress")
    with served.engine.connect() as connection:
        call = connection.execute(select(calls).where(calls.c.call_sid == sid(n))).one()
    assert (call.status, call.duration) == ("completed", 30) and call.ended_at is not None


def test_an_oversized_chunked_body_is_413_and_the_next_call_is_served(served):
    assert post_oversized_chunked(served.url) == 413
    root = served_twiml(signed_step(served.url, sid(1_300_000)))
    assert root.find("Gather") is not None
    assert sid(1_300_000) in served.calls()


def test_a_signed_10000_character_mandarin_speech_result_is_re_prompted(served):
    """F15: the largest request Twilio really sends fits the body limit: 200 and TwiML."""
    fields = {**TWILIO_FIELDS, "CallSid": sid(1_400_000), "SpeechResult": LONG_MANDARIN}
    root = served_twiml(signed_post(served.url, "/voice/gather?node=main&lang=zh-CN&s=1", fields))
    (gather,) = root.findall("Gather")  # this module's menu has no speech: "invalid" again
    assert gather.get("action").startswith("/voice/gather?node=main")
    words = " ".join(say.text or "" for say in root.iter("Say"))
    assert words.startswith("抱歉") and "账户问题请按1" in words, words


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("sip:" + "a" * 100 + "@example.com", "sip:" + "a" * 60),  # a long SIP address
        ("+8613912340000\x00", "+8613912340000"),  # a NUL, which PostgreSQL refuses in text
    ],
    ids=["long", "nul"],
)
def test_a_caller_field_the_column_cannot_hold_is_made_to_fit(served, sent, stored):
    """Longer than its column, or with a NUL: the call is recorded with the value cut to
    fit, not refused (PostgreSQL refused each step of such a call; SQLite kept it all)."""
    n = 1_400_000 + len(sent)
    fields = {"CallSid": sid(n), "Digits": "1", "From": sent}
    served_twiml(signed_post(served.url, "/voice/gather?node=main&lang=zh-CN&s=2", fields))
    with served.engine.connect() as connection:
        found = connection.execute(
            select(calls.c.from_number).where(calls.c.call_sid == sid(n))
        ).scalar_one_or_none()
    assert found == stored
    assert sid(n) not in served.rejected()


def test_a_spooled_write_the_database_refuses_is_set_aside_with_its_reason(served):
    """A spool line with a value no column holds (as the spool of a server from before
    the issue 18 fix kept a 23-digit duration) is moved to the rejected file with its
    reason logged; the line after it in the same file is replayed, and calls go on."""
    bad, good = sid(1_500_000), sid(1_500_001)
    now = datetime.datetime.now(datetime.UTC)
    message = message_left(bad, "RE1", 3, None, "voicemail", None, "u", 10**30, None, None, now)
    lines = [
        to_json((call_seen(bad, None, None, now), message)),
        to_json(
            (
                call_seen(good, None, None, now),
                step_taken(good, 0, "/voice", None, "main", "zh-CN", None, None, "start", now),
            )
        ),
    ]
    served.spool.mkdir(exist_ok=True)
    (served.spool / "before-the-fix-1.spool").write_text("".join(f"{line}\n" for line in lines))
    wait_for_calls(served.url, [good], served.calls, 20)  # a write sees the file, replays it
    deadline = time.monotonic() + 10
    while list(served.spool.glob("*.spool")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not list(served.spool.glob("*.spool"))
    assert bad not in served.calls()
    kept = [json.loads(entry) for entry in served.rejected().splitlines()]
    assert json.loads(lines[0]) in [entry["record"] for entry in kept]
    assert all(re.match(r"(OverflowError|DataError): ", entry["reason"]) for entry in kept)
    reason = r"a spooled write was refused \((OverflowError|DataError): \w.*\)"
    assert re.search(reason, served.log.read_text(encoding="utf-8"))
    assert served.records() == {"ok"}
