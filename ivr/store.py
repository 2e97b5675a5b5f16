"""Where call records are written: the database URL and one plain DB-API connection.

The webhooks write through the driver itself (sqlite3, or psycopg for
PostgreSQL) with SQL written once per dialect: no SQLAlchemy on the hot path,
so a worker neither pays its per-statement overhead nor carries its memory.
SQLAlchemy and Alembic (ivr.database, ivr.tables) own the schema, the
migrations and the reports; tests hold the two to the same tables.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import fcntl
import functools
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ivr.settings import PROJECT_ROOT

DEFAULT_PATH = PROJECT_ROOT / "instance" / "ivr.sqlite3"
DEFAULT_SPOOL = PROJECT_ROOT / "instance" / "spool"
MIGRATIONS = PROJECT_ROOT / "migrations"
BUSY_TIMEOUT = 2.0  # seconds a write waits for a locked SQLite file before it is spooled
CACHE_KIB = 512  # SQLite's page cache for the webhooks' connection
CHECKPOINT_EVERY = 1.0  # seconds between copies of SQLite's WAL back into the file
UTC = datetime.UTC
_orphans: list[object] = []  # connections inherited across a fork: never used nor closed


class RecordsError(Exception):
    """The call records database cannot be used; the message says what to do."""


@dataclasses.dataclass(frozen=True)
class StoreUrl:
    """A checked database URL: SQLite with a file, or PostgreSQL."""

    text: str  # normalised: sqlite:///path or postgresql+psycopg://...
    backend: str  # sqlite or postgresql

    @property
    def path(self) -> str:
        """The SQLite file."""
        return unquote(self.text[len("sqlite:///"):].split("?", 1)[0])

    @property
    def conninfo(self) -> str:
        """The libpq URI psycopg connects with."""
        return self.text.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def shown(self) -> str:
        """The URL for logs and messages, password hidden."""
        return hide_password(self.text)


def store_url(env: Mapping[str, str]) -> StoreUrl:
    """Return the records database from DATABASE_URL, or the default SQLite file."""
    text = (env.get("DATABASE_URL") or "").strip()
    if not text:
        return StoreUrl(f"sqlite:///{DEFAULT_PATH}", "sqlite")
    # Heroku and most hosts hand out postgres:// URLs; name the driver this server uses.
    text = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", text)
    scheme = text.split("://", 1)[0] if "://" in text else ""
    if scheme.startswith("sqlite"):
        path = text.split("://", 1)[1]
        if not path.startswith("/") or path in ("/", "/:memory:"):
            raise RecordsError("DATABASE_URL names an in-memory SQLite database, which would "
                               "lose every record; give a file: sqlite:///path/to/ivr.sqlite3")
        return StoreUrl("sqlite://" + path, "sqlite")
    if scheme == "postgresql+psycopg":
        try:
            urlsplit(text).port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise RecordsError(f"DATABASE_URL '{hide_password(text)}' is not a database URL; "
                               "use postgresql://user:password@host/dbname") from None
        return StoreUrl(text, "postgresql")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text):
        raise RecordsError(f"DATABASE_URL '{hide_password(text)}' is not a database URL; use "
                           "postgresql://user:password@host/dbname or sqlite:///path")
    raise RecordsError(f"DATABASE_URL uses '{scheme.split('+')[0]}'; this server supports "
                       "sqlite:/// and postgresql://")


def spool_dir(env: Mapping[str, str]) -> Path:
    """Return where writes the database refused are kept: IVR_SPOOL_DIR or instance/spool."""
    return Path(env.get("IVR_SPOOL_DIR") or DEFAULT_SPOOL)


def newest_migration() -> str:
    """Return the newest migration's number from the file names: 0001_..., 0002_..."""
    files = (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    return max(path.name[:4] for path in files)


def hide_password(text: str) -> str:
    """Replace the password in a URL with ***."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", text)


# -- the statements ------------------------------------------------------------------------------

# Written in SQLite's and PostgreSQL's shared dialect; `:name` becomes `%(name)s` for psycopg.
# Each write is idempotent on its natural key, so a Twilio retry or a replayed spool line
# never doubles a record.
_SQL = {
    "seen": """
        INSERT INTO calls (call_sid, from_number, to_number, started_at)
        VALUES (:call_sid, :from_number, :to_number, :started_at)
        ON CONFLICT (call_sid) DO UPDATE SET
          from_number = coalesce(calls.from_number, excluded.from_number),
          to_number = coalesce(calls.to_number, excluded.to_number),
          started_at = CASE WHEN excluded.started_at < calls.started_at
                            THEN excluded.started_at ELSE calls.started_at END
        WHERE excluded.started_at < calls.started_at
          OR calls.from_number IS NULL OR calls.to_number IS NULL""",
    "step": """
        INSERT INTO events (call_sid, step, path, node, next_node, lang, input, confidence,
                            outcome, at)
        VALUES (:call_sid, :step, :path, :node, :next_node, :lang, :input, :confidence,
                :outcome, :at)
        ON CONFLICT (call_sid, step, path) DO NOTHING""",
    # The call's language is that of its latest step, whatever order the steps arrive in.
    "language": """
        UPDATE calls SET language = :lang
        WHERE call_sid = :call_sid AND (language IS NULL OR language <> :lang)
          AND NOT EXISTS (SELECT 1 FROM events
                          WHERE events.call_sid = :call_sid AND events.step > :step)""",
    "recording": """
        INSERT INTO recordings (recording_sid, call_sid, step, node, kind, caller, url,
                                duration, transcription, transcription_status, recorded_at,
                                handled)
        VALUES (:recording_sid, :call_sid, :step, :node, :kind, :caller, :url, :duration,
                :transcription, :transcription_status, :recorded_at, FALSE)
        ON CONFLICT (recording_sid) DO UPDATE SET
          duration = coalesce(excluded.duration, recordings.duration),
          transcription = coalesce(excluded.transcription, recordings.transcription),
          transcription_status = coalesce(excluded.transcription_status,
                                          recordings.transcription_status)""",
    "ended": """
        INSERT INTO calls (call_sid, from_number, to_number, started_at, ended_at, status,
                           duration)
        VALUES (:call_sid, :from_number, :to_number, :started_at, :ended_at, :status,
                :duration)
        ON CONFLICT (call_sid) DO UPDATE SET
          from_number = coalesce(calls.from_number, excluded.from_number),
          to_number = coalesce(calls.to_number, excluded.to_number),
          ended_at = coalesce(excluded.ended_at, calls.ended_at),
          status = excluded.status,
          duration = coalesce(excluded.duration, calls.duration)""",
    "callback": """
        INSERT INTO callbacks (call_sid, step, caller, number, "window", requested_at,
                               handled)
        VALUES (:call_sid, :step, :caller, :number, :window, :requested_at, FALSE)
        ON CONFLICT (call_sid, step) DO NOTHING""",
}
_PYFORMAT = {name: re.sub(r":(\w+)", r"%(\1)s", sql) for name, sql in _SQL.items()}

Statement = tuple[str, dict[str, Any]]  # a name from _SQL and its parameters


@functools.lru_cache(maxsize=64)
def sqlite_time(value: datetime.datetime) -> str:
    """An aware datetime as SQLAlchemy stores it in SQLite: naive UTC text, microseconds."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value} stored as a call record; give an offset")
    # isoformat is C and cheaper than strftime: the same text, six digits always, then the
    # "+00:00" cut off.
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


# -- the connection ------------------------------------------------------------------------------

class Store:
    """One process's connection to the records database; a write is one transaction.

    Thread-safe (one write at a time); reconnects after a failure and after a fork.
    Raises the driver's own errors; `bad_data` tells a refused record from a database
    that is down.
    """

    def __init__(self, url: StoreUrl | str, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.url = url if isinstance(url, StoreUrl) else store_url({"DATABASE_URL": url})
        self.busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._connection: Any = None
        self._pid = 0
        self._checkpointer: _Checkpointer | None = None
        self._writers: _WriterQueue | None = None
        if self.url.backend == "sqlite":
            self._driver: Any = sqlite3
            self._sql = _SQL
        else:
            import psycopg  # only a PostgreSQL server loads it

            self._driver = psycopg
            self._sql = _PYFORMAT

    @property
    def shown(self) -> str:
        """The database for logs, password hidden."""
        return self.url.shown

    def bad_data(self, exc: BaseException) -> bool:
        """True when the database refused the record itself (it would refuse it again)."""
        return isinstance(exc, self._driver.IntegrityError | self._driver.DataError)

    def write(self, statements: Iterable[Statement]) -> None:
        """Run the statements in one transaction and commit."""
        statements = list(statements)
        with self._lock:
            fresh = self._connection is None or self._pid != os.getpid()
            try:
                self._run(statements)
            except (self._driver.OperationalError, self._driver.InterfaceError):
                self._drop()
                if fresh or self.url.backend != "postgresql":
                    raise
                # A pooled PostgreSQL connection outlived a database restart: one retry
                # on a new connection, rather than a spooled write.
                self._run(statements)

    def revision(self) -> str | None:
        """The schema's Alembic revision (None when the database has no schema yet)."""
        with self._lock:
            try:
                connection = self._open()
                cursor = connection.execute("SELECT version_num FROM alembic_version")
                row = cursor.fetchone()
                connection.rollback()
                return row[0] if row else None
            except self._driver.Error:
                self._drop()
                return None

    def close(self) -> None:
        """Close the connection (a later write opens a new one)."""
        with self._lock:
            self._drop()
            checkpointer, self._checkpointer = self._checkpointer, None
            if checkpointer is not None and checkpointer.pid == os.getpid():
                checkpointer.finish()

    def _run(self, statements: list[Statement]) -> None:
        connection = self._open()
        try:
            if self.url.backend == "sqlite":
                with self._writers or contextlib.nullcontext():
                    connection.execute("BEGIN")
                    for name, params in statements:
                        connection.execute(self._sql[name], _sqlite_params(params))
                    connection.execute("COMMIT")
            else:
                with connection.pipeline():  # one round trip for the whole write
                    for name, params in statements:
                        connection.execute(self._sql[name], params, prepare=True)
                connection.commit()
        except BaseException:
            try:
                connection.rollback()
            except self._driver.Error:
                self._drop()
            raise

    def _open(self) -> Any:
        if self._connection is not None and self._pid != os.getpid():
            _orphans.append(self._connection)  # the parent's: closing it here would harm it
            self._connection = None
        if self._connection is None:
            if self.url.backend == "sqlite":
                self._connection = _sqlite_connect(self.url.path, self.busy_timeout)
                self._writers = _WriterQueue.open(self.url.path)
                # The commit that crosses the WAL's size limit would copy it back into the
                # file and fsync, a stall of milliseconds for one caller; a thread does it.
                self._connection.execute("PRAGMA wal_autocheckpoint = 0")
                # Each write touches a few pages of the newest rows and the keys' indexes;
                # the OS keeps the rest cached. SQLite's default 2 MB per worker is more
                # memory than the rest of a busy worker's caches.
                self._connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                if self._checkpointer is None or self._checkpointer.pid != os.getpid():
                    self._checkpointer = _Checkpointer(self.url.path, self.busy_timeout)
                    self._checkpointer.start()
            else:
                self._connection = self._pg_connect()
            self._pid = os.getpid()
        return self._connection

    def _pg_connect(self) -> Any:
        return self._driver.connect(
            self.url.conninfo, connect_timeout=3,
            options="-c statement_timeout=5000 -c lock_timeout=3000")

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        writers, self._writers = self._writers, None
        if connection is not None and self._pid == os.getpid():
            with contextlib.suppress(self._driver.Error):
                connection.close()
            if writers is not None:
                writers.close()


class _WriterQueue:
    """Makes the processes writing one SQLite file wait their turn in the kernel.

    SQLite's own wait for a locked file sleeps 1, 2, 5... ms between tries, so with two
    workers writing on every webhook, one answer in a hundred waited over a millisecond
    for a lock that was free after 30 us. An exclusive flock on a file beside the
    database, held for the transaction, wakes the next writer the moment it is free.
    Processes that do not take it (reports, `ivr db`) still meet SQLite's own wait.
    """

    def __init__(self, fd: int) -> None:
        self.fd, self.pid = fd, os.getpid()

    @classmethod
    def open(cls, database: str) -> _WriterQueue | None:
        """The queue for one database file; None where no lock file can be made."""
        if database == ":memory:":
            return None
        try:
            return cls(os.open(f"{database}-writers.lock", os.O_RDWR | os.O_CREAT, 0o644))
        except OSError:  # a read-only directory: SQLite's own wait still serialises
            return None

    def __enter__(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the file (only in the process that opened it: a fork shares the lock)."""
        if self.pid == os.getpid():
            os.close(self.fd)


class _Checkpointer(threading.Thread):
    """Copies a SQLite file's WAL back into it every CHECKPOINT_EVERY seconds."""

    def __init__(self, path: str, busy_timeout: float) -> None:
        super().__init__(daemon=True, name="ivr-wal-checkpoint")
        self.path, self.busy_timeout, self.pid = path, busy_timeout, os.getpid()
        self._done = threading.Event()

    def run(self) -> None:
        connection: sqlite3.Connection | None = None
        while not self._done.wait(CHECKPOINT_EVERY):
            try:
                if connection is None:
                    connection = sqlite3.connect(self.path, timeout=self.busy_timeout,
                                                 isolation_level=None, check_same_thread=False)
                # PASSIVE: copies what no reader still needs, never waits for a writer.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                connection = None  # the file is gone or locked: try again next time
        if connection is not None:
            connection.close()

    def finish(self) -> None:
        """Stop the thread (the WAL keeps whatever it has not copied yet)."""
        self._done.set()
        self.join(timeout=5)


def _sqlite_params(params: dict[str, Any]) -> dict[str, Any]:
    return {key: sqlite_time(value) if isinstance(value, datetime.datetime) else value
            for key, value in params.items()}


def _sqlite_connect(path: str, busy_timeout: float) -> sqlite3.Connection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                                 check_same_thread=False)
    sqlite_pragmas(connection, busy_timeout)
    return connection


def sqlite_pragmas(connection: sqlite3.Connection, busy_timeout: float) -> None:
    """Busy timeout, foreign keys, and WAL with synchronous=NORMAL."""
    # WAL with synchronous=NORMAL: a commit is in the WAL before the answer goes back and
    # survives the process crashing; only a power cut or OS crash before the next
    # checkpoint can lose the last commits. FULL would fsync every webhook (0.5 ms each).
    for pragma in (f"busy_timeout = {round(busy_timeout * 1000)}", "foreign_keys = ON",
                   "synchronous = NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    _use_wal(connection, busy_timeout)


def _use_wal(connection: sqlite3.Connection, patience: float) -> None:
    """Switch a file to WAL once; readers and writers then stop blocking each other."""
    deadline = time.monotonic() + patience
    while connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            # A new file in use by another connection: the switch does not wait by itself.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
