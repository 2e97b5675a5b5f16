"""Call records: the writes the webhooks make, and the Recorder that commits or spools them.

Every write is a tuple of operations with a natural key (CallSid; CallSid, step
and path; RecordingSid; CallSid and step), applied with insert-or-ignore or
upsert, so a Twilio retry or a replayed spool line never doubles a record.
The Recorder commits before the webhook answers; when the database is down it
spools the write to local disk instead and replays it later. It never raises.
The tables themselves are in ivr.tables; the SQL in ivr.store.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ivr.spool import Spool
from ivr.store import Statement, Store, newest_migration, spool_dir, store_url

log = logging.getLogger("ivr.records")
UTC = datetime.UTC
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
RETRY_AFTER = 5.0  # seconds to spool without trying, after the database failed


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


def statements(ops: Sequence[Op]) -> Iterator[Statement]:
    """The SQL statements (ivr.store) that apply one write's operations."""
    for op in ops:
        if isinstance(op, CallSeen):
            yield "seen", {"call_sid": op.call_sid, "from_number": op.from_number,
                           "to_number": op.to_number, "started_at": op.at}
        elif isinstance(op, StepTaken):
            yield "step", {
                "call_sid": op.call_sid, "step": op.step, "path": op.path, "node": op.node,
                "next_node": op.next_node, "lang": op.lang, "input": op.input,
                "confidence": op.confidence, "outcome": op.outcome, "at": op.at}
            if op.lang:
                yield "language", {"call_sid": op.call_sid, "step": op.step, "lang": op.lang}
        elif isinstance(op, MessageLeft):
            yield "recording", {
                "recording_sid": op.recording_sid, "call_sid": op.call_sid, "step": op.step,
                "node": op.node, "kind": op.kind, "caller": op.caller, "url": op.url,
                "duration": op.duration, "transcription": op.transcription,
                "transcription_status": op.transcription_status, "recorded_at": op.at}
        elif isinstance(op, CallEnded):
            # Without any earlier request on record, the call started `duration` before its end.
            yield "ended", {
                "call_sid": op.call_sid, "from_number": op.from_number,
                "to_number": op.to_number,
                "started_at": op.at - datetime.timedelta(seconds=op.duration or 0),
                "ended_at": op.at if op.status in FINAL_STATUSES else None,
                "status": op.status, "duration": op.duration}
        else:
            yield "callback", {
                "call_sid": op.call_sid, "step": op.step, "caller": op.caller,
                "number": op.number, "window": op.window, "requested_at": op.at}


# -- the recorder -------------------------------------------------------------------------------

class Recorder:
    """Write call records for the webhooks: commit, or spool to disk; never raise."""

    def __init__(self, store: Store, spool: Spool,
                 clock: Callable[[], datetime.datetime] | None = None,
                 retry_after: float = RETRY_AFTER) -> None:
        self.store = store
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
        """Open the database the environment names, migrate it, and replay any spool.

        Raises RecordsError, saying what to do, when the database cannot be used.
        """
        store = Store(store_url(env))
        try:
            current = store.revision() == newest_migration()
        finally:
            store.close()  # opened again by the first write, in the process that makes it
        if not current:
            # Alembic and SQLAlchemy load only here: a server started on a current schema
            # (gunicorn.conf.py migrates before the workers start) never carries them.
            from ivr import database

            database.connect(env).dispose()
        recorder = cls(store, Spool(spool_dir(env)), clock)
        if recorder.spool.pending():
            recorder._replay_soon()
        return recorder

    def write(self, *ops: Op) -> bool:
        """Commit one write in one transaction, or spool it; True when committed."""
        try:
            if time.monotonic() >= self._retry_at:
                try:
                    self.store.write(statements(ops))
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

        Raises the driver's error when the database is still unavailable (the spool is kept).
        """
        # A connection of its own, so a long replay never holds up a webhook's write.
        replayer = Store(self.store.url, self.store.busy_timeout)
        try:
            return self.spool.replay(lambda lines: self._apply_lines(replayer, lines))
        finally:
            replayer.close()

    def wait_for_replay(self, timeout: float = 10.0) -> None:
        """Wait for a background replay to finish (for tests and shutdown)."""
        replayer = self._replayer
        if replayer is not None:
            replayer.join(timeout)

    def close(self) -> None:
        """Finish any replay and close the database connections."""
        self.wait_for_replay()
        self.store.close()

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
        bad_data = self.store.bad_data(exc)
        if not bad_data:  # down or locked: spool without trying for a while
            self._retry_at = time.monotonic() + self.retry_after
        reason = (str(exc).strip().splitlines() or [""])[0][:300]
        log.warning("call records: database %s %s (%s: %s); spooling to %s", self.store.shown,
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

    @staticmethod
    def _apply_lines(store: Store, lines: list[str]) -> list[str]:
        writes, rejected = [], []
        for line in lines:
            try:
                writes.append((line, from_json(line)))
            except ValueError:
                rejected.append(line)
        try:
            store.write(step for _line, ops in writes for step in statements(ops))
            return rejected
        except Exception as exc:
            if not store.bad_data(exc):
                raise
            # One bad record must not hold back the others: apply them one by one.
        for line, ops in writes:
            try:
                store.write(statements(ops))
            except Exception as exc:
                if not store.bad_data(exc):
                    raise
                rejected.append(line)
        return rejected


def _safe_json(ops: Sequence[Op]) -> str:
    try:
        return to_json(ops)
    except Exception:
        return repr(ops)

