"""Two server instances sharing one PostgreSQL: one call alternating between them, kept once.

Starts two real `gunicorn server:app` processes on 127.0.0.1 behind a pretend
load balancer (one public URL, so Twilio's signatures check out on both).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from ivr.records import database, tables
from ivr.simulator import Call as Simulated
from ivr.simulator import HttpTransport, ScriptedCaller
from tests.conftest import CLOSED_TIME, ENV, PROJECT_ROOT, assert_no_crash_logged, own_line
from tests.records.conftest import FLOW_PATHS, drop_postgres_database, new_postgres_database

pytestmark = pytest.mark.slow
PUBLIC = "https://ivr.example.test"
TOKEN = "two-instances-test-token"


class Alternating:
    """A load balancer that sends each request to the next instance in turn."""

    def __init__(self, public: str, backends: list[str]) -> None:
        self.public = public
        self.backends = [HttpTransport(base, timeout=15) for base in backends]
        self.sent: list[tuple[str, str, dict[str, str], dict[str, str]]] = []
        self.served_by: list[str] = []

    def request(self, method, url, params, headers):
        assert url.startswith(self.public), url
        backend = self.backends[len(self.served_by) % len(self.backends)]
        self.sent.append((method, url, params, headers))
        self.served_by.append(backend.base_url)
        response = backend.request(
            method, backend.base_url + url[len(self.public) :], params, headers
        )
        # The caller's side only ever sees the public address.
        return dataclasses.replace(
            response, url=self.public + response.url[len(backend.base_url) :]
        )

    def new_call(self) -> None:
        for backend in self.backends:
            backend.new_call()

    def close(self) -> None:
        for backend in self.backends:
            backend.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(process: subprocess.Popen, base: str, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn at {base} exited {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:  # refused, or workers still booting
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn at {base} did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture
def shared_database(postgres_admin) -> Iterator[str]:
    url = new_postgres_database(postgres_admin)
    yield url
    drop_postgres_database(postgres_admin, url)


@pytest.fixture
def instances(shared_database, tmp_path) -> Iterator[list[str]]:
    """Start two gunicorn instances on the same database; stop them afterwards."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IVR_", "TWILIO_", "DATABASE_URL", "PUBLIC_BASE_URL"))
    }
    processes, bases = [], []
    try:
        for n in (1, 2):
            port = free_port()
            env = {
                **inherited,
                **ENV,
                "DATABASE_URL": shared_database,
                "TWILIO_AUTH_TOKEN": TOKEN,
                "PUBLIC_BASE_URL": PUBLIC,
                "IVR_NOW": CLOSED_TIME.isoformat(),
                "IVR_ENV": "production",
                "IVR_SPOOL_DIR": str(tmp_path / f"spool-{n}"),
                "IVR_INSTANCE_DIR": str(tmp_path / f"instance-{n}"),
            }
            log = tmp_path / f"gunicorn-{n}.log"
            with open(log, "wb") as out:
                processes.append(
                    (
                        subprocess.Popen(
                            [
                                sys.executable,
                                "-m",
                                "gunicorn",
                                "server:app",
                                "--bind",
                                f"127.0.0.1:{port}",
                                "--workers",
                                "2",
                                "--timeout",
                                "30",
                            ],
                            cwd=PROJECT_ROOT,
                            env=env,
                            stdout=out,
                            stderr=subprocess.STDOUT,
                        ),
                        log,
                    )
                )
            bases.append(f"http://127.0.0.1:{port}")
        for (process, log), base in zip(processes, bases, strict=True):
            wait_until_up(process, base, log)
        yield bases
    finally:
        for process, _log in processes:
            process.send_signal(signal.SIGTERM)
        for process, _log in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    for _process, log in processes:
        text = log.read_text()
        assert "Traceback" not in text and "unavailable" not in text, text
        assert_no_crash_logged(log)


def test_one_call_across_two_instances_is_recorded_exactly_once(instances, shared_database):
    balancer = Alternating(PUBLIC, instances)
    try:
        result = Simulated(
            balancer,
            ScriptedCaller.parse("0,1,rec:两台服务器也只记一次"),
            line=own_line(PUBLIC, TOKEN),
            seed=11,
        ).run()
        assert result.ok, [str(p) for p in result.problems]
        assert result.end == "hangup"
        assert set(balancer.served_by) == set(instances)  # both instances answered

        # Twilio retries every request once more; each lands on the other instance.
        first_round = len(balancer.sent)
        for method, url, params, headers in list(balancer.sent):
            assert balancer.request(method, url, params, headers).status == 200
        assert len(balancer.sent) == 2 * first_round
    finally:
        balancer.close()

    flow = [params for _m, url, params in result.requests if urlsplit(url).path in FLOW_PATHS]
    engine = database.make_engine(database.database_url(shared_database))
    try:
        with engine.connect() as session:
            (call,) = session.execute(select(tables.calls)).all()
            events = session.execute(select(tables.events).order_by(tables.events.c.step)).all()
            (message,) = session.execute(select(tables.recordings)).all()
    finally:
        engine.dispose()
    assert call.call_sid == result.requests[0][2]["CallSid"] and call.status == "completed"
    assert len(events) == len(flow) == 4
    assert [e.next_node for e in events] == ["main", "after_hours", "voicemail", "goodbye"]
    assert message.recording_sid == flow[-1]["RecordingSid"] and message.kind == "voicemail"
