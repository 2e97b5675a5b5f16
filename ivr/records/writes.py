"""Call records: the writes the webhooks make, and the Recorder that commits or spools them.

A write is a tuple of `Change`s, each a row for one of the tables in ivr.records.tables
applied by one SQLAlchemy Core statement built on that table. Every statement
is idempotent on the row's natural key (CallSid; CallSid, step and path;
RecordingSid; CallSid and number), so a Twilio retry or a replayed spool line
never doubles a record. The Recorder commits before the webhook answers; when
the database is down it spools the write to local disk instead and replays it
later. It never raises.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Date,
    Engine,
    Executable,
    String,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from ivr.call.flow import Origin
from ivr.call.state import ANY_WINDOW
from ivr.logs import identifier, mask_digits
from ivr.records import database
from ivr.records.spool import REJECTED, Spool
from ivr.records.tables import UTCDateTime, callbacks, calls, events, recordings
from ivr.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

log = logging.getLogger("ivr.records.writes")
UTC = datetime.UTC
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
RETRY_AFTER = 5.0  # seconds to spool without trying, after the database failed


# -- the writes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One row to apply: `kind` names the statement (see TABLES), `row` its column values."""

    kind: str
    row: Mapping[str, Any]


# Each kind of change writes one table; its row's keys are that table's column names.
TABLES: dict[str, Table] = {
    "seen": calls,
    "step": events,
    "recording": recordings,
    "ended": calls,
    "callback": callbacks,
}


def call_seen(
    call_sid: str, from_number: str | None, to_number: str | None, at: datetime.datetime
) -> Change:
    """A request of a call arrived: create its row, or move its start earlier."""
    return Change(
        "seen",
        {
            "call_sid": call_sid,
            "from_number": from_number,
            "to_number": to_number,
            "started_at": at,
        },
    )


def step_taken(
    call_sid: str,
    step: int,
    path: str,
    node: str | None,
    next_node: str | None,
    lang: str | None,
    heard: str | None,
    confidence: float | None,
    outcome: str,
    at: datetime.datetime,
    score: float | None = None,
) -> Change:
    """A webhook of the call flow was answered (`score`: how well speech matched)."""
    return Change(
        "step",
        {
            "call_sid": call_sid,
            "step": step,
            "path": path,
            "node": node,
            "next_node": next_node,
            "lang": lang,
            "input": heard,
            "confidence": confidence,
            "score": score,
            "outcome": outcome,
            "at": at,
        },
    )


def message_left(
    call_sid: str,
    recording_sid: str,
    step: int,
    node: str | None,
    kind: str,
    caller: str | None,
    url: str,
    duration: int | None,
    transcription: str | None,
    transcription_status: str | None,
    at: datetime.datetime,
    origin: Origin | None = None,
) -> Change:
    """A recording was made, or its transcription arrived (in either order); `origin`:
    the caller's language and topic."""
    return Change(
        "recording",
        {
            "recording_sid": recording_sid,
            "call_sid": call_sid,
            "step": step,
            "node": node,
            "kind": kind,
            "caller": caller,
            "url": url,
            "duration": duration,
            "transcription": transcription,
            "transcription_status": transcription_status,
            "recorded_at": at,
            "handled": False,
            **_origin(origin),
        },
    )


def call_ended(
    call_sid: str,
    from_number: str | None,
    to_number: str | None,
    status: str,
    duration: int | None,
    at: datetime.datetime,
) -> Change:
    """Twilio's status callback: the call's status, and its end when final."""
    # Without any earlier request on record, the call started `duration` before its end.
    return Change(
        "ended",
        {
            "call_sid": call_sid,
            "from_number": from_number,
            "to_number": to_number,
            "started_at": at - datetime.timedelta(seconds=duration or 0),
            "ended_at": at if status in FINAL_STATUSES else None,
            "status": status,
            "duration": duration,
        },
    )


def callback_requested(
    call_sid: str,
    step: int,
    caller: str | None,
    number: str,
    window: str,
    at: datetime.datetime,
    day: datetime.date | None = None,
    origin: Origin | None = None,
) -> Change:
    """The caller confirmed a number to call back (`window` ANY_WINDOW and no `day` until a
    time is chosen: a later change for the same call and number gives them)."""
    return Change(
        "callback",
        {
            "call_sid": call_sid,
            "step": step,
            "caller": caller,
            "number": number,
            "window": window,
            "window_date": day,
            "requested_at": at,
            "handled": False,
            **_origin(origin),
        },
    )


def _origin(origin: Origin | None) -> dict[str, Any]:
    if origin is None:  # (a transcription: the recording's own write says where from)
        return {"language": None, "topic": None, "urgent": False}
    return {"language": origin.lang, "topic": origin.topic or None, "urgent": origin.urgent}


def to_json(changes: Sequence[Change]) -> str:
    """Serialise one write as a spool line."""
    return json.dumps(
        [{"kind": c.kind, "row": c.row} for c in changes],
        ensure_ascii=False,
        separators=(",", ":"),
        default=_time_text,
    )


def from_json(line: str) -> tuple[Change, ...]:
    """Read a spool line back; raise ValueError when it is not one."""
    try:
        changes = []
        items = json.loads(line)
        if not isinstance(items, list):
            raise TypeError("a spooled write is a list")
        for item in items:
            table = TABLES[item["kind"]]
            row = dict(item["row"])
            for name, value in row.items():
                if isinstance(table.c[name].type, UTCDateTime) and value is not None:
                    row[name] = datetime.datetime.fromisoformat(value)
                elif isinstance(table.c[name].type, Date) and value is not None:
                    row[name] = datetime.date.fromisoformat(value)
            changes.append(Change(item["kind"], row))
        return tuple(changes)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"not a spooled write ({exc!r}): {line[:200]}") from None


def _time_text(value: object) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot spool {type(value).__name__}")


# -- the statements -------------------------------------------------------------------------------


def statements(dialect: str) -> dict[str, Executable]:
    """The statement that applies each kind of change, for 'sqlite' or 'postgresql'."""
    # Only the engine's own dialect is imported: SQLAlchemy's PostgreSQL package brings the
    # modules of all its drivers into a SQLite worker, which never uses them.
    insert: Callable[[Table], sqlite.Insert | postgresql.Insert]
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    seen, ended = insert(calls), insert(calls)
    # A status callback that arrives after the call's final one ("ringing" after
    # "completed": callbacks can arrive out of order) changes neither its status nor its
    # duration.
    late = and_(calls.c.status.in_(FINAL_STATUSES), ended.excluded.status.not_in(FINAL_STATUSES))
    recording, callback = insert(recordings), insert(callbacks)
    return {
        "seen": seen.on_conflict_do_update(
            index_elements=[calls.c.call_sid],
            set_={
                "from_number": func.coalesce(calls.c.from_number, seen.excluded.from_number),
                "to_number": func.coalesce(calls.c.to_number, seen.excluded.to_number),
                "started_at": case(
                    (seen.excluded.started_at < calls.c.started_at, seen.excluded.started_at),
                    else_=calls.c.started_at,
                ),
            },
            where=or_(
                seen.excluded.started_at < calls.c.started_at,
                calls.c.from_number.is_(None),
                calls.c.to_number.is_(None),
            ),
        ),
        "step": insert(events).on_conflict_do_nothing(
            index_elements=[events.c.call_sid, events.c.step, events.c.path]
        ),
        # The call's language is that of its latest step, whatever order the steps arrive in.
        "language": update(calls)
        .where(
            and_(
                calls.c.call_sid == bindparam("sid"),
                or_(calls.c.language.is_(None), calls.c.language != bindparam("new_lang")),
                ~exists(
                    select(1).where(
                        events.c.call_sid == bindparam("sid"),
                        events.c.step > bindparam("after_step"),
                    )
                ),
            )
        )
        .values(language=bindparam("new_lang")),
        "recording": recording.on_conflict_do_update(
            index_elements=[recordings.c.recording_sid],
            set_={
                "duration": func.coalesce(recording.excluded.duration, recordings.c.duration),
                "transcription": func.coalesce(
                    recording.excluded.transcription, recordings.c.transcription
                ),
                "transcription_status": func.coalesce(
                    recording.excluded.transcription_status, recordings.c.transcription_status
                ),
                # A transcription knows no origin: whichever write does keeps it.
                "language": func.coalesce(recording.excluded.language, recordings.c.language),
                "topic": func.coalesce(recording.excluded.topic, recordings.c.topic),
                "urgent": or_(recording.excluded.urgent, recordings.c.urgent),
            },
        ),
        "ended": ended.on_conflict_do_update(
            index_elements=[calls.c.call_sid],
            set_={
                "from_number": func.coalesce(calls.c.from_number, ended.excluded.from_number),
                "to_number": func.coalesce(calls.c.to_number, ended.excluded.to_number),
                "ended_at": func.coalesce(calls.c.ended_at, ended.excluded.ended_at),
                "status": case((late, calls.c.status), else_=ended.excluded.status),
                "duration": case(
                    (late, calls.c.duration),
                    else_=func.coalesce(ended.excluded.duration, calls.c.duration),
                ),
            },
        ),
        # One request per call and number. It is kept as soon as the number is confirmed
        # (any time); a later step of the call wins, whatever order the writes arrive in
        # (a Twilio retry, a spool replay): a time chosen fills the row in, a bare
        # confirmation never undoes a time, and booking again after an agent handled the
        # request opens it again.
        "callback": callback.on_conflict_do_update(
            index_elements=[callbacks.c.call_sid, callbacks.c.number],
            set_={
                "window": callback.excluded.window,
                "window_date": callback.excluded.window_date,
                "language": callback.excluded.language,
                "topic": callback.excluded.topic,
                "urgent": callback.excluded.urgent,
                "step": callback.excluded.step,
                "requested_at": case(
                    (callbacks.c.handled, callback.excluded.requested_at),
                    else_=callbacks.c.requested_at,
                ),
                "handled": False,
                "handled_at": None,
            },
            where=and_(
                callback.excluded.step > callbacks.c.step,
                or_(callbacks.c.handled, callback.excluded.window != ANY_WINDOW),
            ),
        ),
    }


# The most characters each kind's text columns take (String(n)): PostgreSQL refuses a
# longer value, which would set a call's every step aside (a long SIP address as From).
WIDTHS: dict[str, dict[str, int]] = {
    kind: {c.name: c.type.length for c in table.c if isinstance(c.type, String) and c.type.length}
    for kind, table in TABLES.items()
}


def fitted(change: Change) -> dict[str, Any]:
    """A change's row as its columns take it: text cut to the column's width, and without
    NUL characters (PostgreSQL refuses them in any text; SQLite stores them)."""
    widths = WIDTHS[change.kind]
    return {
        name: value.replace("\x00", "")[: widths.get(name)] if isinstance(value, str) else value
        for name, value in change.row.items()
    }


def apply(connection: Connection, sql: Mapping[str, Executable], changes: Sequence[Change]) -> None:
    """Run one write's statements on a connection inside its transaction."""
    for change in changes:
        row = fitted(change)
        connection.execute(sql[change.kind], row)
        lang = row.get("lang") if change.kind == "step" else None
        if lang:
            connection.execute(
                sql["language"],
                {"sid": row["call_sid"], "new_lang": lang, "after_step": row["step"]},
            )


def outage(exc: BaseException) -> bool:
    """True when the database is down or unreachable: only the driver's connection and
    operational errors. Anything else is about the record, and would happen again."""
    return isinstance(exc, OperationalError | InterfaceError | database.DatabaseUnavailable)


def bad_data(exc: BaseException) -> bool:
    """True when the write itself failed (a bad value, a constraint), not the database."""
    return not outage(exc)


# -- the recorder -------------------------------------------------------------------------------


class Written(enum.Enum):
    """Where a write went: only LOST means it is nowhere (database and disk both failed)."""

    COMMITTED = "committed"
    SPOOLED = "spooled"  # on local disk, replayed when the database is back
    REJECTED = "rejected"  # refused as invalid, kept in the rejected file for a person
    LOST = "lost"  # logged, masked, and nowhere else


class Recorder:
    """Write call records for the webhooks: commit, or spool to disk; never raise."""

    def __init__(
        self,
        engine: Engine,
        spool: Spool,
        clock: Callable[[], datetime.datetime] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.engine = engine
        self.sql = statements(engine.dialect.name)
        self.spool = spool
        self.clock = clock or (lambda: datetime.datetime.now(UTC))
        self.retry_after = RETRY_AFTER if retry_after is None else retry_after
        self._retry_at = 0.0  # time.monotonic() before which the database is not tried
        self._down = False  # the last try at the database failed (an outage)
        self._replay_at = 0.0  # and before which no new replay starts
        self._spool_check_at = 0.0  # time.monotonic() of the next look for spooled writes
        self._lock = threading.Lock()
        self._replayer: threading.Thread | None = None
        self._migrated = True  # False after a start during an outage, until migrated
        # SQLite takes one writer at a time: a worker's threads queue here, where the next
        # one is woken the moment the lock is free, instead of in SQLite's busy handler,
        # which sleeps between tries (the tail latency under load).
        self._one_writer: contextlib.AbstractContextManager[object] = (
            threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )

    @classmethod
    def open(
        cls, settings: Settings, clock: Callable[[], datetime.datetime] | None = None
    ) -> Recorder:
        """Open the settings' database, migrate it, and replay any spool.

        Raises RecordsError, saying what to do, when the database cannot be used.
        """
        url = database.database_url(settings.database_url, settings.instance_dir)
        try:
            engine = database.connect(url)
        except database.DatabaseUnavailable as exc:
            # Down at start: serve anyway and keep every record in the spool until it is
            # back, then migrate and replay (RecordsError of any other kind refuses).
            log.warning("call records: %s; starting in spool mode", exc)
            recorder = cls(database.make_engine(url), Spool(settings.spool), clock)
            recorder._migrated = False
            recorder._retry_at = time.monotonic() + recorder.retry_after
            recorder._down = True
            return recorder
        recorder = cls(engine, Spool(settings.spool), clock)
        if recorder.spool.pending():
            recorder._replay_soon()
        return recorder

    @property
    def status(self) -> str:
        """'ok' when writes commit, 'spooling' while the database is down or not migrated
        (until a try at it succeeds: not merely once the wait before the next try is over)."""
        return "spooling" if self._down or not self._migrated else "ok"

    @property
    def shown(self) -> str:
        """The database for logs, password hidden."""
        return database.show(self.engine.url)

    def write(self, *changes: Change) -> Written:
        """Commit one write in one transaction, or spool it; say where it went."""
        try:
            if time.monotonic() >= self._retry_at:
                try:
                    self._migrate_once()
                except Exception as exc:
                    # Not this record's fault (down still, or a schema it cannot take):
                    # keep it for the replay, as probe() does, rather than set it aside.
                    self._failed(exc)
                    return self._keep(changes)
                try:
                    self._commit(changes)
                except (DBAPIError, OverflowError) as exc:  # (sqlite3 binds a huge int so)
                    if not outage(exc):
                        # The database refused this record (a value, a constraint): it
                        # cannot be written, now or later. Set it aside with its reason; the
                        # call and every other write go on.
                        return self._reject(changes, exc)
                    self._failed(exc)
                except Exception as exc:
                    if not outage(exc):
                        # Not the database's answer: a bug. Kept aside all the same, and
                        # logged with its traceback so it is seen (and fails a test run).
                        log.exception("call records: a write failed in our own code")
                        return self._reject(changes, exc)
                    self._failed(exc)
                else:
                    self._down = False
                    # Another process's spool may wait too; looking costs a directory
                    # scan, so look at most once a second.
                    now = time.monotonic()
                    if now >= self._spool_check_at:
                        self._spool_check_at = now + 1.0
                        if self.spool.pending():
                            self._replay_soon()
                    return Written.COMMITTED
            return self._keep(changes)
        except Exception:
            log.exception(
                "call records: unexpected failure; this write may be lost: %s",
                _masked_json(changes),
            )
        return Written.LOST

    def probe(self) -> str:
        """The status after one try at the database, when spooling and a try is due.

        For /healthz: a worker that has not written since an outage would otherwise say
        "spooling" until its next call, though the database is back.
        """
        waiting = self.status == "spooling" or self.spool.pending()
        if waiting and time.monotonic() >= self._retry_at:
            try:
                self._migrate_once()
                with self.engine.connect() as connection:  # up, not merely migrated once
                    connection.execute(text("SELECT 1"))
            except Exception as exc:  # down still (or refused): keep spooling, try later
                self._failed(exc)
            else:
                self._down = False
                if self.spool.pending():  # no call needs to come for the replay to start
                    self._replay_soon()
        return self.status

    def _migrate_once(self) -> None:
        if not self._migrated:
            database.migrate(self.engine)  # raises while the database is still down
            self._migrated = True
            log.warning("call records: database %s is back and migrated", self.shown)

    def _commit(self, changes: Sequence[Change]) -> None:
        with self._one_writer:
            self._transaction(changes)

    def _transaction(self, changes: Sequence[Change]) -> None:
        try:
            with self.engine.begin() as connection:
                apply(connection, self.sql, changes)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            # A pooled connection outlived a database restart: one retry on a new one,
            # rather than a spooled write.
            with self.engine.begin() as connection:
                apply(connection, self.sql, changes)

    def flush(self) -> int:
        """Replay the spool into the database now; return how many writes it replayed.

        Raises the driver's error when the database is still unavailable (the spool is kept).
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

    def _keep(self, changes: Sequence[Change]) -> Written:
        try:
            self.spool.append(to_json(changes))
        except OSError as exc:
            self._lost(changes, f"database down and spool {self.spool.directory} unwritable", exc)
            return Written.LOST
        return Written.SPOOLED

    def _lost(self, changes: Sequence[Change], why: str, exc: OSError) -> None:
        # The only way a record is lost: the database and local disk both failed. The log
        # line holds the record, callers' digits masked, so most of it can still be
        # typed back in by hand.
        log.error(
            "call records: LOST unless recovered from this line (%s: %s): %s",
            why,
            exc,
            _masked_json(changes),
        )

    def _failed(self, exc: Exception) -> None:
        self._down = True
        self._retry_at = time.monotonic() + self.retry_after  # spool without trying a while
        log.warning(
            "call records: database %s unavailable (%s: %s); spooling to %s",
            self.shown,
            type(exc).__name__,
            _reason(exc),
            self.spool.directory,
        )

    def _reject(self, changes: Sequence[Change], exc: Exception) -> Written:
        try:
            self.spool.reject(
                to_json(changes), f"{type(exc).__name__}: {mask_digits(_reason(exc))}"
            )
        except OSError as disk:
            self._lost(changes, f"refused ({type(exc).__name__}) and spool unwritable", disk)
            return Written.LOST
        log.error(
            "call records: a write was refused (%s: %s); kept in %s",
            type(exc).__name__,
            mask_digits(_reason(exc)),  # a driver's message may quote the value
            self.spool.directory / REJECTED,
        )
        return Written.REJECTED

    def _replay_soon(self) -> None:
        with self._lock:
            busy = self._replayer is not None and self._replayer.is_alive()
            if busy or time.monotonic() < self._replay_at:
                return
            self._replay_at = time.monotonic() + self.retry_after
            # In the background, so the webhook that found the database back stays fast.
            self._replayer = threading.Thread(
                target=self._replay_quietly, daemon=True, name="ivr-spool-replay"
            )
            self._replayer.start()

    def _replay_quietly(self) -> None:
        try:
            replayed = self.flush()
        except Exception as exc:
            log.warning("call records: spool replay stopped, will retry: %s", exc)
            return
        if replayed:
            log.info("call records: replayed %d spooled write(s)", replayed)

    def _apply_lines(self, lines: list[str]) -> list[tuple[str, str]]:
        writes, rejected = [], []
        for line in lines:
            try:
                writes.append((line, from_json(line)))
            except ValueError as exc:
                rejected.append((line, f"not a record: {exc}"))
        try:
            with self.engine.begin() as connection:
                for _line, changes in writes:
                    apply(connection, self.sql, changes)
            return rejected
        except Exception as exc:
            if outage(exc):
                raise
            # One bad record must not hold back the others: apply them one by one.
        for line, changes in writes:
            try:
                with self.engine.begin() as connection:
                    apply(connection, self.sql, changes)
            except Exception as exc:
                if outage(exc):
                    raise
                why = f"{type(exc).__name__}: {mask_digits(_reason(exc))}"  # (may quote it)
                log.error("call records: a spooled write was refused (%s)", why)
                rejected.append((line, why))
        return rejected


# Twilio's ids, kept whole in log lines when they look like ids (a webhook can send anything).
IDENTIFIERS = frozenset({"call_sid", "recording_sid"})


def _masked_json(changes: Sequence[Change]) -> str:
    """A write as a log line: Twilio's ids kept whole; every other text masked, since any
    field Twilio sends can carry what a caller typed (a number in a URL, a status)."""
    masked = [Change(c.kind, {k: _masked(k, v) for k, v in c.row.items()}) for c in changes]
    return _safe_json(masked)


def _masked(column: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    # What a caller said is kept in the records, never in a log: only its length.
    if column == "input" and value.startswith("say:"):
        return f"say:({len(value) - 4} chars)"
    if column == "transcription":
        return f"({len(value)} chars)"
    if column in IDENTIFIERS:
        return identifier(value)
    return mask_digits(value)


def _reason(exc: BaseException) -> str:
    """The first line of an error, for a log line (SQLAlchemy hides the parameters)."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0][:300]


def _safe_json(changes: Sequence[Change]) -> str:
    try:
        return to_json(changes)
    except Exception:
        return repr(changes)
