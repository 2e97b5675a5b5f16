"""Call records: the tables, the idempotent writes, and the Recorder the webhooks call.

Every write is a tuple of operations with a natural key (CallSid; CallSid, step
and path; RecordingSid; CallSid and step), applied with insert-or-ignore or
upsert, so a Twilio retry or a replayed spool line never doubles a record.
The Recorder commits before the webhook answers; when the database is down it
spools the write to local disk instead and replays it later. It never raises.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import click
from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ivr import database
from ivr.database import RecordsError
from ivr.spool import Spool

log = logging.getLogger("ivr.records")
UTC = datetime.UTC
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
RETRY_AFTER = 5.0  # seconds to spool without trying, after the database failed
_AGE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


# -- the tables --------------------------------------------------------------------------------

class UTCDateTime(TypeDecorator[datetime.datetime]):
    """An aware datetime stored in UTC (naive text on SQLite, timestamptz on PostgreSQL)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime.datetime | None,
                           dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value} stored as a call record; give an offset")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime.datetime | None,
                             dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })
    type_annotation_map: ClassVar = {datetime.datetime: UTCDateTime()}


def _call_sid() -> Mapped[str]:
    return mapped_column(String(64), ForeignKey("calls.call_sid", ondelete="CASCADE"))


class Call(Base):
    """One phone call, from its first webhook to its final status."""

    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str | None] = mapped_column(String(64))
    to_number: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime.datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime.datetime | None]
    status: Mapped[str | None] = mapped_column(String(20))
    duration: Mapped[int | None] = mapped_column(Integer)  # seconds, from Twilio's status
    language: Mapped[str | None] = mapped_column(String(16))  # of the call's latest step


class Event(Base):
    """One answered webhook: where the caller was, what they did, where it took them."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("call_sid", "step", "path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = _call_sid()
    step: Mapped[int] = mapped_column(Integer)  # the `s` in the URL: a retry repeats it
    path: Mapped[str] = mapped_column(String(32))
    node: Mapped[str | None] = mapped_column(String(64))  # None for the call's first request
    next_node: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str | None] = mapped_column(String(16))
    input: Mapped[str | None] = mapped_column(String(300))  # keys, say:words, a dial status
    confidence: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime.datetime] = mapped_column(index=True)


class Recording(Base):
    """A voicemail or feedback message, with Twilio's transcription when it comes."""

    __tablename__ = "recordings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_sid: Mapped[str] = _call_sid()
    step: Mapped[int] = mapped_column(Integer)
    node: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # voicemail or feedback
    caller: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(1000))
    duration: Mapped[int | None] = mapped_column(Integer)
    transcription: Mapped[str | None] = mapped_column(Text)
    transcription_status: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime.datetime]
    handled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    handled_at: Mapped[datetime.datetime | None]


class CallbackRequest(Base):
    """A caller's confirmed request to be called back, and when."""

    __tablename__ = "callbacks"
    __table_args__ = (UniqueConstraint("call_sid", "step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = _call_sid()
    step: Mapped[int] = mapped_column(Integer)
    caller: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64))
    window: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime.datetime]
    handled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    handled_at: Mapped[datetime.datetime | None]


# -- the writes ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class CallSeen:
    """A request of a call arrived: create its row, or move its start earlier."""

    call_sid: str
    from_number: str | None
    to_number: str | None
    at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class StepTaken:
    """A webhook of the call flow was answered."""

    call_sid: str
    step: int
    path: str
    node: str | None
    next_node: str | None
    lang: str | None
    input: str | None
    confidence: float | None
    outcome: str
    at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class MessageLeft:
    """A recording was made, or its transcription arrived (in either order)."""

    call_sid: str
    recording_sid: str
    step: int
    node: str | None
    kind: str
    caller: str | None
    url: str
    duration: int | None
    transcription: str | None
    transcription_status: str | None
    at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class CallEnded:
    """Twilio's status callback: the call's status, and its end when final."""

    call_sid: str
    from_number: str | None
    to_number: str | None
    status: str
    duration: int | None
    at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class CallbackRequested:
    """The caller confirmed a number to call back and a time window."""

    call_sid: str
    step: int
    caller: str | None
    number: str
    window: str
    at: datetime.datetime


Op = CallSeen | StepTaken | MessageLeft | CallEnded | CallbackRequested
_OPS: dict[str, type[Op]] = {cls.__name__: cls for cls in Op.__args__}  # type: ignore[attr-defined]


def to_json(ops: Sequence[Op]) -> str:
    """Serialise one write as a spool line."""
    return json.dumps([{"op": type(op).__name__, **_plain(op)} for op in ops],
                      ensure_ascii=False, separators=(",", ":"))


def from_json(line: str) -> tuple[Op, ...]:
    """Read a spool line back; raise ValueError when it is not one."""
    try:
        ops = []
        for item in json.loads(line):
            cls = _OPS[item.pop("op")]
            item["at"] = datetime.datetime.fromisoformat(item["at"])
            ops.append(cls(**item))
        return tuple(ops)
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a spooled write ({exc}): {line[:200]}") from None


def _plain(op: Op) -> dict[str, Any]:
    fields = dataclasses.asdict(op)
    fields["at"] = op.at.isoformat()
    return fields


def apply(connection: Connection, ops: Sequence[Op]) -> None:
    """Apply one write's operations on a connection inside a transaction."""
    for op in ops:
        _APPLY[type(op)](connection, op)


@functools.lru_cache(maxsize=4)
def _statements(dialect_name: str) -> dict[str, Any]:
    """Build each statement once per dialect; requests only bind values.

    A statement built per request with literal values costs SQLAlchemy a fresh cache key
    and most of a millisecond; a constant one is compiled once and reused.
    """
    insert = (postgresql if dialect_name == "postgresql" else sqlite).insert
    seen = insert(Call)
    new = seen.excluded
    ended = insert(Call)
    ended_new = ended.excluded
    recording = insert(Recording)
    rec_new = recording.excluded
    later = exists().where(Event.call_sid == bindparam("b_call_sid"),
                           Event.step > bindparam("b_step"))
    return {
        "seen": seen.on_conflict_do_update(
            index_elements=[Call.call_sid],
            # A spooled request replayed after later ones still moves the start to the earliest.
            set_={"started_at": case((new.started_at < Call.started_at, new.started_at),
                                     else_=Call.started_at),
                  "from_number": func.coalesce(Call.from_number, new.from_number),
                  "to_number": func.coalesce(Call.to_number, new.to_number)},
            where=or_(new.started_at < Call.started_at, Call.from_number.is_(None),
                      Call.to_number.is_(None)),
        ),
        "step": insert(Event).on_conflict_do_nothing(
            index_elements=[Event.call_sid, Event.step, Event.path]),
        # The call's language is that of its latest step, whatever the replay order.
        "language": update(Call).where(
            Call.call_sid == bindparam("b_call_sid"),
            Call.language.is_distinct_from(bindparam("b_lang")), ~later,
        ).values(language=bindparam("b_lang")),
        "recording": recording.on_conflict_do_update(
            index_elements=[Recording.recording_sid],
            set_={name: func.coalesce(rec_new[name], getattr(Recording, name))
                  for name in ("duration", "transcription", "transcription_status")}),
        "ended": ended.on_conflict_do_update(
            index_elements=[Call.call_sid],
            set_={"status": ended_new.status,
                  "duration": func.coalesce(ended_new.duration, Call.duration),
                  "ended_at": func.coalesce(ended_new.ended_at, Call.ended_at),
                  "from_number": func.coalesce(Call.from_number, ended_new.from_number),
                  "to_number": func.coalesce(Call.to_number, ended_new.to_number)}),
        "callback": insert(CallbackRequest).on_conflict_do_nothing(
            index_elements=[CallbackRequest.call_sid, CallbackRequest.step]),
    }


def _run(connection: Connection, name: str, params: dict[str, Any]) -> None:
    connection.execute(_statements(connection.dialect.name)[name], params)


def _call_seen(connection: Connection, op: CallSeen) -> None:
    _run(connection, "seen", {"call_sid": op.call_sid, "from_number": op.from_number,
                              "to_number": op.to_number, "started_at": op.at})


def _step_taken(connection: Connection, op: StepTaken) -> None:
    _run(connection, "step", {
        "call_sid": op.call_sid, "step": op.step, "path": op.path, "node": op.node,
        "next_node": op.next_node, "lang": op.lang, "input": op.input,
        "confidence": op.confidence, "outcome": op.outcome, "at": op.at})
    if op.lang:
        _run(connection, "language", {"b_call_sid": op.call_sid, "b_step": op.step,
                                      "b_lang": op.lang})


def _message_left(connection: Connection, op: MessageLeft) -> None:
    _run(connection, "recording", {
        "recording_sid": op.recording_sid, "call_sid": op.call_sid, "step": op.step,
        "node": op.node, "kind": op.kind, "caller": op.caller, "url": op.url,
        "duration": op.duration, "transcription": op.transcription,
        "transcription_status": op.transcription_status, "recorded_at": op.at})


def _call_ended(connection: Connection, op: CallEnded) -> None:
    # Without any earlier request on record, the call started `duration` before its end.
    _run(connection, "ended", {
        "call_sid": op.call_sid, "from_number": op.from_number, "to_number": op.to_number,
        "started_at": op.at - datetime.timedelta(seconds=op.duration or 0),
        "ended_at": op.at if op.status in FINAL_STATUSES else None, "status": op.status,
        "duration": op.duration})


def _callback_requested(connection: Connection, op: CallbackRequested) -> None:
    _run(connection, "callback", {
        "call_sid": op.call_sid, "step": op.step, "caller": op.caller, "number": op.number,
        "window": op.window, "requested_at": op.at})


_APPLY: dict[type, Callable[[Connection, Any], None]] = {
    CallSeen: _call_seen,
    StepTaken: _step_taken,
    MessageLeft: _message_left,
    CallEnded: _call_ended,
    CallbackRequested: _callback_requested,
}


# -- the recorder -------------------------------------------------------------------------------

class Recorder:
    """Write call records for the webhooks: commit, or spool to disk; never raise."""

    def __init__(self, engine: Engine, spool: Spool,
                 clock: Callable[[], datetime.datetime] | None = None,
                 retry_after: float = RETRY_AFTER) -> None:
        self.engine = engine
        self.spool = spool
        self.clock = clock or (lambda: datetime.datetime.now(UTC))
        self.retry_after = retry_after
        self._retry_at = 0.0  # time.monotonic() before which the database is not tried
        self._replay_at = 0.0  # and before which no new replay starts
        self._spool_check_at = 0.0  # time.monotonic() of the next look for spooled writes
        self._lock = threading.Lock()
        self._replayer: threading.Thread | None = None

    @classmethod
    def open(cls, env: Mapping[str, str],
             clock: Callable[[], datetime.datetime] | None = None) -> Recorder:
        """Open the database the environment names, migrate it, and replay any spool."""
        recorder = cls(database.connect(env), Spool(database.spool_dir(env)), clock)
        if recorder.spool.pending():
            recorder._replay_soon()
        return recorder

    def write(self, *ops: Op) -> bool:
        """Commit one write in one transaction, or spool it; True when committed."""
        try:
            if time.monotonic() >= self._retry_at:
                try:
                    with self.engine.begin() as connection:
                        apply(connection, ops)
                except Exception as exc:
                    self._failed(exc)
                else:
                    # Another process's spool may wait too; looking costs a directory
                    # scan, so look at most once a second.
                    now = time.monotonic()
                    if now >= self._spool_check_at:
                        self._spool_check_at = now + 1.0
                        if self.spool.pending():
                            self._replay_soon()
                    return True
            self._keep(ops)
        except Exception:
            log.exception("call records: unexpected failure; this write may be lost: %s",
                          _safe_json(ops))
        return False

    def callback_request(self, call_sid: str, step: int, caller: str, number: str,
                         window: str) -> None:
        """Record a confirmed callback request (idempotent on call_sid and step)."""
        now = self.clock()
        self.write(CallSeen(call_sid, caller, None, now),
                   CallbackRequested(call_sid, step, caller, number[:64], window[:200], now))

    def flush(self) -> int:
        """Replay the spool into the database now; return how many writes it replayed.

        Raises SQLAlchemyError when the database is still unavailable (the spool is kept).
        """
        return self.spool.replay(self._apply_lines)

    def wait_for_replay(self, timeout: float = 10.0) -> None:
        """Wait for a background replay to finish (for tests and shutdown)."""
        replayer = self._replayer
        if replayer is not None:
            replayer.join(timeout)

    def close(self) -> None:
        """Finish any replay and close the database connections."""
        self.wait_for_replay()
        self.engine.dispose()

    def _keep(self, ops: Sequence[Op]) -> None:
        line = to_json(ops)
        try:
            self.spool.append(line)
        except OSError as exc:
            # The only way a record is lost: database and local disk both failed. The log
            # line holds the whole record so it can still be recovered by hand.
            log.error("call records: LOST unless recovered from this line (database down and "
                      "spool %s unwritable: %s): %s", self.spool.directory, exc, line)

    def _failed(self, exc: Exception) -> None:
        bad_data = isinstance(exc, IntegrityError | DataError)
        if not bad_data:  # down or locked: spool without trying for a while
            self._retry_at = time.monotonic() + self.retry_after
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        log.warning("call records: database %s %s (%s: %s); spooling to %s",
                    database.show(self.engine.url),
                    "refused a write" if bad_data else "unavailable", type(exc).__name__,
                    reason, self.spool.directory)

    def _replay_soon(self) -> None:
        with self._lock:
            busy = self._replayer is not None and self._replayer.is_alive()
            if busy or time.monotonic() < self._replay_at:
                return
            self._replay_at = time.monotonic() + self.retry_after
            # In the background, so the webhook that found the database back stays fast.
            self._replayer = threading.Thread(target=self._replay_quietly, daemon=True,
                                              name="ivr-spool-replay")
            self._replayer.start()

    def _replay_quietly(self) -> None:
        try:
            replayed = self.flush()
        except Exception as exc:
            log.warning("call records: spool replay stopped, will retry: %s", exc)
            return
        if replayed:
            log.info("call records: replayed %d spooled write(s)", replayed)

    def _apply_lines(self, lines: list[str]) -> list[str]:
        writes, rejected = [], []
        for line in lines:
            try:
                writes.append((line, from_json(line)))
            except ValueError:
                rejected.append(line)
        try:
            with self.engine.begin() as connection:
                for _line, ops in writes:
                    apply(connection, ops)
            return rejected
        except (IntegrityError, DataError):
            pass  # one bad record must not hold back the others: apply them one by one
        for line, ops in writes:
            try:
                with self.engine.begin() as connection:
                    apply(connection, ops)
            except (IntegrityError, DataError):
                rejected.append(line)
        return rejected


def _safe_json(ops: Sequence[Op]) -> str:
    try:
        return to_json(ops)
    except Exception:
        return repr(ops)


# -- handling and retention -------------------------------------------------------------------

def mark_handled(engine: Engine, model: type[Recording] | type[CallbackRequest], ident: int,
                 now: datetime.datetime) -> bool:
    """Mark a voicemail or callback request handled; False when there is no such id."""
    with engine.begin() as connection:  # the write first: it waits for the lock if need be
        connection.execute(update(model).where(and_(model.id == ident, ~model.handled))
                           .values(handled=True, handled_at=now))
        found = connection.execute(select(model.id).where(model.id == ident)).first()
    return found is not None


def parse_age(value: str) -> datetime.timedelta:
    """Parse an age such as 90d, 12h or 2w."""
    match = _AGE.match(value.strip().lower())
    if not match:
        raise ValueError(f"'{value}' is not an age like 90d, 12h or 2w")
    return datetime.timedelta(**{_UNITS[match[2]]: int(match[1])})


def purge(engine: Engine, before: datetime.datetime) -> dict[str, int]:
    """Delete the calls started before a moment, with their events, messages and callbacks."""
    old = select(Call.call_sid).where(Call.started_at < before)
    counts = {}
    with engine.begin() as connection:
        # Children first, so it works whether or not the database enforces the cascade.
        for model in (Event, Recording, CallbackRequest, Call):
            result = connection.execute(delete(model).where(model.call_sid.in_(old)))
            counts[model.__tablename__] = result.rowcount
    return counts


# -- `ivr db` ---------------------------------------------------------------------------------

def cli_engine() -> Engine:
    """Open and migrate the database for a command, or fail with one clear error."""
    try:
        return database.connect(os.environ)
    except RecordsError as exc:
        raise click.ClickException(str(exc)) from None


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
@click.option("--older-than", "age", required=True, metavar="AGE",
              help="Delete calls that started longer ago than this: 90d, 12h, 2w.")
def purge_command(age: str) -> None:
    """Delete old calls with their events, voicemails and callback requests."""
    try:
        cutoff = datetime.datetime.now(UTC) - parse_age(age)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from None
    engine = cli_engine()
    try:
        counts = purge(engine, cutoff)
    finally:
        engine.dispose()
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"deleted what started before {cutoff:%Y-%m-%d %H:%M} UTC: {summary}")


@db_cli.command("flush")
def flush_command() -> None:
    """Write the records spooled while the database was unavailable."""
    engine = cli_engine()
    recorder = Recorder(engine, Spool(database.spool_dir(os.environ)))
    try:
        replayed = recorder.flush()
    except SQLAlchemyError as exc:
        raise click.ClickException(f"the database is still unavailable; the spool is kept: "
                                   f"{getattr(exc, 'orig', None) or exc}") from None
    finally:
        engine.dispose()
    left = " (another process is replaying the rest)" if recorder.spool.pending() else ""
    click.echo(f"replayed {replayed} spooled write(s) from {recorder.spool.directory}{left}")


@db_cli.command("revision", hidden=True)
@click.argument("message")
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the schema."""
    database.new_revision(message)
