"""The local spool: call records the database could not take, kept on disk until it can.

Each process appends to its own file, one JSON line per write, fsync'd before
the webhook answers. A replay renames a file before reading it, so writers
start a new one, and deletes it only after its lines were committed. Lines are
idempotent writes, so replaying one twice does no harm.

An append is all or nothing: the whole line goes in one write on an O_APPEND
descriptor under the file's lock, and a write or fsync that fails (a full disk)
or falls short truncates the file back to its size before, so no half line is
left for the next append to be glued onto. (A temporary file renamed over the
spool would copy the whole file on every append and replace the inode that
replays and other threads lock.) Should a process die inside the write, the
next append starts on a new line, and replay sets the half line aside.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("ivr.records.spool")
SPOOLED = ".spool"  # being appended to by the process named in the file name
REPLAYING = ".replaying"  # taken by a replay that has not finished (it is retried)
REJECTED = "rejected.jsonl"  # lines the database refused as invalid, kept for a person

# Hand a file's lines to the database; return those it refused as invalid, with the reason.
Apply = Callable[[list[str]], list[tuple[str, str]]]


class Spool:
    """A directory of append-only JSON-lines files, one per process."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def append(self, line: str) -> None:
        """Add one line and fsync it; raise OSError when the disk refuses."""
        name = f"{socket.gethostname()}-{os.getpid()}{SPOOLED}"
        _append(self.directory, name, line)

    def reject(self, line: str, reason: str) -> None:
        """Keep a write the database refused, for a person to look at (never replayed)."""
        _append(self.directory, REJECTED, rejected_entry(line, reason))

    def pending(self) -> bool:
        """Return whether anything waits to be replayed (cheap: one directory listing)."""
        try:
            with os.scandir(self.directory) as entries:
                return any(e.name.endswith((SPOOLED, REPLAYING)) for e in entries)
        except (FileNotFoundError, NotADirectoryError):
            return False

    def lines(self) -> list[str]:
        """Return every line waiting to be replayed (for tests and inspection)."""
        found: list[str] = []
        for path in self._files():
            found += _read(path)
        return found

    def replay(self, apply: Apply) -> int:
        """Hand each file's lines to apply, delete the file, and return how many were applied.

        An exception from apply stops the replay and keeps the file for next time.
        Only one process replays a directory at a time; the others return 0.
        """
        if not self.directory.is_dir():
            return 0
        lock = os.open(self.directory / ".replay.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0  # another process is replaying this directory now
            return sum(self._replay_file(path, apply) for path in self._files())
        finally:
            os.close(lock)

    def _files(self) -> list[Path]:
        try:
            paths = [p for p in self.directory.iterdir() if p.name.endswith((SPOOLED, REPLAYING))]
        except FileNotFoundError:
            return []
        return sorted(paths, key=_mtime)

    def _replay_file(self, path: Path, apply: Apply) -> int:
        if path.name.endswith(SPOOLED):
            taken = path.with_name(f"{path.stem}-{time.time_ns()}{REPLAYING}")
            try:
                os.rename(path, taken)
            except FileNotFoundError:
                return 0
            path = taken
        lines = _read(path)  # waits for a writer that opened the file before the rename
        rejected = apply(lines)
        if rejected:
            log.error(
                "the database refused %d spooled record(s) as invalid; they are kept in %s",
                len(rejected),
                self.directory / REJECTED,
            )
            for line, reason in rejected:
                _append(self.directory, REJECTED, rejected_entry(line, reason))
        os.unlink(path)
        return len(lines) - len(rejected)


def rejected_entry(line: str, reason: str) -> str:
    """One line of the rejected file: when, why, and the record (as it was, if not JSON)."""
    try:
        record = json.loads(line)
    except ValueError:
        record = line  # a half line, say: kept as text
    at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    entry = {"at": at, "reason": reason, "record": record}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def _append(directory: Path, name: str, line: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    data = (line.rstrip("\n") + "\n").encode()
    while True:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)  # numbers inside
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            stat = os.fstat(fd)
            if stat.st_ino != _inode(path):
                continue  # a replay took this file away after we opened it: open a new one
            _write_whole(fd, stat.st_size, data)
        finally:
            os.close(fd)
        if stat.st_size == 0:  # a new file: make its name durable too
            _fsync_dir(directory)
        return


def _write_whole(fd: int, size: int, data: bytes) -> None:
    """Append data whole and fsync it, or leave the file at `size` and raise OSError."""
    if size and os.pread(fd, 1, size - 1) != b"\n":
        data = b"\n" + data  # a half line from a crash stays a line of its own
    try:
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(errno.ENOSPC, f"spool write cut short ({written} of {len(data)} bytes)")
        os.fsync(fd)
    except OSError:
        # Shrinking needs no free space; should even that fail, the newline above keeps
        # the next append whole.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def _read(path: Path) -> list[str]:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read()
    finally:
        os.close(fd)
    return [line for line in data.decode("utf-8", errors="replace").splitlines() if line.strip()]


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
