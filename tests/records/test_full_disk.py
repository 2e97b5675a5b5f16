"""A full disk under the spool: no half line, no record claimed saved that is not, nothing
glued together once space is back, and the caller always gets an answer."""

from __future__ import annotations

import datetime
import errno
import json
import logging
import os
from pathlib import Path

import pytest

from ivr.records import spool as spool_module
from ivr.records.spool import Spool
from ivr.records.writes import Recorder, Written, call_seen, from_json, step_taken
from tests.conftest import spoken, twiml
from tests.records.conftest import counts
from tests.records.test_spool import dead_engine

AT = datetime.datetime(2026, 11, 23, 13, 0, tzinfo=datetime.UTC)


def a_write(n: int) -> tuple:
    """One call's first step, as the webhooks write it."""
    sid = f"CA{n:032d}"
    return (
        call_seen(sid, "+8613812341234", "+8610555000100", AT),
        step_taken(sid, 0, "/voice", None, "main", "zh-CN", None, None, "start", AT),
    )


def whole_lines(directory: Path) -> list[str]:
    """Every spooled line, checking each file ends a line and each line is a write."""
    lines: list[str] = []
    for path in sorted(directory.glob("*.spool")):
        data = path.read_bytes()
        assert not data or data.endswith(b"\n"), f"{path.name} ends in a half line"
        for line in data.decode().splitlines():
            from_json(line)  # raises on a half or glued line
            lines.append(line)
    return lines


class DiskFull:
    """os.write and os.fsync that fail on the spool's files the way a full disk does."""

    def __init__(self, monkeypatch, directory: Path, mode: str) -> None:
        self.directory, self.mode, self.full = directory, mode, True
        self._write, self._fsync = os.write, os.fsync
        monkeypatch.setattr(spool_module.os, "write", self.write)
        monkeypatch.setattr(spool_module.os, "fsync", self.fsync)

    def _ours(self, fd: int) -> bool:
        try:
            return Path(os.readlink(f"/proc/self/fd/{fd}")).parent == self.directory
        except OSError:
            return False

    def write(self, fd: int, data) -> int:
        if not (self.full and self._ours(fd)):
            return self._write(fd, data)
        if self.mode == "short" and len(data) > 1:  # the kernel wrote what fitted
            return self._write(fd, bytes(data)[: len(data) // 2])
        if self.mode in ("raises", "short"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._write(fd, data)  # "fsync": written, then the flush fails

    def fsync(self, fd: int) -> None:
        if self.full and self.mode == "fsync" and self._ours(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        self._fsync(fd)


@pytest.mark.parametrize("mode", ["raises", "short", "fsync"])
def test_an_append_the_disk_refuses_leaves_the_file_as_it_was(tmp_path, monkeypatch, mode):
    directory = tmp_path / "spool"
    spool = Spool(directory)
    spool.append('["first"]')
    (path,) = directory.glob("*.spool")
    before = path.read_bytes()
    disk = DiskFull(monkeypatch, directory, mode)
    for _ in range(3):
        with pytest.raises(OSError) as refused:
            spool.append('["a line the disk refused"]')
        assert refused.value.errno == errno.ENOSPC
        assert path.read_bytes() == before  # no half line left behind
    disk.full = False
    spool.append('["second"]')
    assert path.read_bytes() == before + b'["second"]\n'
    seen: list[str] = []
    assert spool.replay(lambda lines: seen.extend(lines) or []) == 2
    assert seen == ['["first"]', '["second"]']


def test_a_half_line_left_by_a_crash_is_not_glued_to_the_next(tmp_path):
    """A process killed inside its write: the next append starts a line of its own."""
    spool = Spool(tmp_path / "spool")
    spool.append(json.dumps([{"kind": "seen"}]))
    (path,) = (tmp_path / "spool").glob("*.spool")
    with open(path, "ab") as file:
        file.write(b'[{"kind":"seen","row":{"call_')  # cut short
    line = '[{"kind":"step"}]'
    spool.append(line)
    assert path.read_text().splitlines()[-1] == line


def test_database_down_and_disk_full_every_write_says_where_it_went(
    db, database_url, tmp_path, monkeypatch, caplog
):
    """Written.LOST for each refused write (logged), SPOOLED for the rest; replay is exact."""
    caplog.set_level(logging.ERROR, logger="ivr.records.writes")
    directory = tmp_path / "spool"
    recorder = Recorder(dead_engine(database_url), Spool(directory), retry_after=0.0)
    assert recorder.write(*a_write(0)) is Written.SPOOLED
    disk = DiskFull(monkeypatch, directory, "short")
    assert [recorder.write(*a_write(n)) for n in (1, 2)] == [Written.LOST] * 2
    assert len([r for r in caplog.records if "LOST unless recovered" in r.getMessage()]) == 2
    disk.full = False
    assert recorder.write(*a_write(3)) is Written.SPOOLED
    assert len(whole_lines(directory)) == 2
    recorder.engine = db
    assert recorder.flush() == 2
    assert counts(db) == {"calls": 2, "events": 2, "recordings": 0, "callbacks": 0}


def test_a_message_nowhere_to_keep_is_never_confirmed_to_the_caller(
    app, recorder, database_url, monkeypatch, caplog
):
    """Database down, disk full: the caller hears the apology and (after hours) the agents'
    hours, not "message recorded"; a plain menu step still answers as usual. Never a 5xx."""
    caplog.set_level(logging.ERROR, logger="ivr.records.writes")
    monkeypatch.setattr(recorder, "engine", dead_engine(database_url))
    monkeypatch.setattr(recorder, "retry_after", 0.0)
    DiskFull(monkeypatch, recorder.spool.directory, "raises")
    client = app.test_client()
    call = {"CallSid": "CA" + "7" * 32, "From": "+8613812341234", "To": "+8610555000100"}
    menu = twiml(client.post("/voice", data=call))
    assert menu.find("Gather") is not None  # a menu step: the answer as always
    heard = twiml(
        client.post(
            "/voice/record?node=voicemail&lang=zh-CN&s=3",
            data={
                **call,
                "RecordingUrl": "https://api.twilio.com/RE7",
                "RecordingSid": "RE7",
                "RecordingDuration": "12",
            },
        )
    )
    # After hours (this module's clock): the agents' hours, not a transfer to an empty line.
    assert heard.find("Dial") is None and "非人工服务时间" in spoken(heard)
    assert spoken(heard).startswith("抱歉，系统暂时出现问题。")
    assert "留言" not in spoken(heard)  # nothing says the message was kept
    lost = [r.getMessage() for r in caplog.records if "LOST unless recovered" in r.getMessage()]
    assert any('"recording_sid":"RE7"' in line for line in lost)


# -- a real small filesystem -----------------------------------------------------------------


def test_a_full_small_filesystem_leaves_whole_lines_and_replays_exactly(
    small_disk, db, database_url, caplog
):
    """Database down, spool on a 64 KB filesystem half taken: writes are spooled until it
    is full, then lost (and logged); after space comes back they are spooled whole again,
    and the replay applies every spooled one."""
    caplog.set_level(logging.CRITICAL, logger="ivr.records.writes")  # the LOST lines
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * 32 * 1024)
    directory = small_disk / "spool"
    recorder = Recorder(dead_engine(database_url), Spool(directory), retry_after=0.0)
    written = [recorder.write(*a_write(n)) for n in range(400)]  # far more than fits
    assert written[0] is Written.SPOOLED and written[-1] is Written.LOST
    assert len(whole_lines(directory)) == written.count(Written.SPOOLED)

    filler.unlink()  # space comes back; the database is still down
    written += [recorder.write(*a_write(1000 + n)) for n in range(20)]
    assert written[-20:] == [Written.SPOOLED] * 20
    spooled = written.count(Written.SPOOLED)
    assert len(whole_lines(directory)) == spooled  # nothing glued, nothing cut

    recorder.engine = db  # the database is back
    assert recorder.flush() == spooled
    assert counts(db)["calls"] == counts(db)["events"] == spooled
    assert not list(directory.glob("rejected*"))
