"""`make load`: sustained load on loopback with a realistic call mix, then count the records.

Each simulated call, all signed as Twilio would sign them, after hours: the welcome, a
menu step, an invalid key, the agent key (closed: the after-hours menu), voicemail, the
recording, and the status callback. wrk replays the calls at 64 connections for 60 s
(by default) against `gunicorn server:app`; afterwards the database must hold exactly
the calls, events and voicemails that were sent: zero errors, zero lost, none doubled.

    python bench/load.py [--seconds 60] [--connections 64] [--calls 2000]
                         [--database-url postgresql://...] [--server-log PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench import TOKEN, Server, wrk

AFTER_HOURS = "2026-11-23T21:00:00+08:00"
THREADS = 2


def call_requests(url: str, index: int) -> list[tuple[str, dict[str, str]]]:
    """The requests of one after-hours call that leaves a voicemail, in order."""
    sid = f"CA{uuid.UUID(int=index).hex}"
    recording = f"RE{uuid.UUID(int=index).hex}"
    base = {
        "CallSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": f"+86138{index:08d}",
        "To": "+8610555000100",
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
    }
    gather = "/voice/gather?node={}&lang=zh-CN&s={}{}"
    return [
        ("/voice", {**base, "CallStatus": "ringing"}),
        (gather.format("main", 1, ""), {**base, "Digits": "1"}),
        (gather.format("account", 2, "&back=main"), {**base, "Digits": "7"}),
        (gather.format("account", 3, "&f=1&back=main"), {**base, "Digits": "0"}),
        (gather.format("after_hours", 4, "&back=main.account"), {**base, "Digits": "1"}),
        (
            "/voice/record?node=voicemail&lang=zh-CN&s=5&back=main.account.after_hours",
            {
                **base,
                "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/"
                f"{recording}",
                "RecordingSid": recording,
                "RecordingDuration": "7",
                "Digits": "#",
            },
        ),
        ("/voice/status", {**base, "CallStatus": "completed", "CallDuration": "63"}),
    ]


def lua(url: str, calls: int, workdir: Path) -> Path:
    """A wrk script: each thread walks the calls in order, request by request."""
    validator = RequestValidator(TOKEN)
    rows = []
    for index in range(calls):
        for path, fields in call_requests(url, index):
            signature = validator.compute_signature(url + path, fields)
            rows.append(
                f"{{{json.dumps(path)},{json.dumps(urlencode(fields))},{json.dumps(signature)}}}"
            )
    script = workdir / "load.lua"
    script.write_text(
        "local rows = {"
        + ",".join(rows)
        + "}\n"
        + """
local i = 0
request = function()
  i = i % #rows + 1
  local row = rows[i]
  return wrk.format("POST", row[1], {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = row[3]}, row[2])
end
"""
    )
    return script


def count_records(database_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    from ivr.records.database import database_url as parse

    engine = create_engine(parse(database_url))
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("calls", "events", "recordings")
        }
        counts["completed"] = connection.execute(
            text("SELECT count(*) FROM calls WHERE status = 'completed'")
        ).scalar_one()
    engine.dispose()
    return counts


def fresh_postgres(url: str) -> tuple[str, Callable[[], None]]:
    """Create a throwaway database on the PostgreSQL server `url` names."""
    import psycopg

    name = f"ivr_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


def run(
    seconds: int,
    connections: int,
    calls: int,
    database_url: str | None,
    workers: int,
    server_log: Path | None = None,
) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix="ivr-load-"))
    drop = None
    if database_url and database_url.startswith("postgres"):
        database_url, drop = fresh_postgres(database_url)
    database_url = database_url or f"sqlite:///{workdir / 'load.sqlite3'}"
    kind = database_url.split(":", 1)[0]
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "IVR_NOW": AFTER_HOURS,
        "IVR_ENV": "production",
        "DATABASE_URL": database_url,
        "IVR_SPOOL_DIR": str(workdir / "spool"),
        "IVR_INSTANCE_DIR": str(workdir / "instance"),
    }
    server = Server(f"service ({kind})", "server:app", env, workers=workers, log=server_log)
    try:
        script = lua(server.url, calls, workdir)
        result = wrk(server.url, script, seconds, connections)
    finally:
        server.stop()
    try:
        counts = count_records(database_url)
    finally:
        if drop:
            drop()
    table = calls * 7
    covered = result["requests"] >= table * THREADS  # every thread sent every request
    expected = {"calls": calls, "events": calls * 6, "recordings": calls, "completed": calls}
    spooled = sorted(p.name for p in (workdir / "spool").glob("*") if p.stat().st_size)
    ok = (
        result["errors"] == 0
        and not result["socket_errors"]
        and covered
        and counts == expected
        and not spooled
    )
    print(
        f"{kind}: {result['rps']:.0f} req/s, p50 {result['p50']:.2f} ms, p99 "
        f"{result['p99']:.2f} ms, {result['requests']} requests, errors "
        f"{result['errors']} {result['socket_errors'] or ''}".rstrip()
    )
    print(
        f"{kind}: records {counts} expected {expected}; spool left: {spooled or 'none'}"
        + ("" if covered else "; NOT every request was sent: raise --seconds or lower --calls")
    )
    print(f"{kind}: {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description="Sustained load with records counted.")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database-url",
        action="append",
        default=[],
        help="PostgreSQL server to also load (repeatable); SQLite always",
    )
    parser.add_argument(
        "--server-log",
        type=Path,
        help="append the servers' output (their log) to this file, to be read for crashes",
    )
    args = parser.parse_args()
    results = [run(args.seconds, args.connections, args.calls, None, args.workers, args.server_log)]
    for url in args.database_url:
        results.append(
            run(args.seconds, args.connections, args.calls, url, args.workers, args.server_log)
        )
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
