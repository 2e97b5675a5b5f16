"""PostgreSQL really stopped under the Procfile's server: the line holds, nothing is lost.

The SQLite cases in test_production.py make the database unreachable by taking its
directory away; here a throwaway PostgreSQL cluster of this test's own (scripts/postgres.sh
with its own directory and port) is stopped and started again, as an outage is.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

from ivr.records.writes import RETRY_AFTER
from tests.conftest import PROJECT_ROOT, free_port
from tests.test_production import (
    keep_calling,
    procfile_server,
    ride_out_a_full_spool_disk,
    wait_for_calls,
    workers,
)

pytestmark = pytest.mark.slow
SCRIPT = PROJECT_ROOT / "scripts" / "postgres.sh"


class Cluster:
    """A PostgreSQL cluster of one test: started and stopped by the project's script."""

    def __init__(self, directory: Path, port: int) -> None:
        self.env = {**os.environ, "IVR_PG_DIR": str(directory), "IVR_PG_PORT": str(port)}
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def start(self) -> None:
        subprocess.run(["bash", str(SCRIPT)], env=self.env, check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=self.env, check=True)

    def calls(self) -> set[str]:
        try:
            with psycopg.connect(self.url, connect_timeout=3) as connection:
                return {row[0] for row in connection.execute("SELECT call_sid FROM calls")}
        except psycopg.Error:  # down, or not migrated yet
            return set()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin")):
        reason = "no PostgreSQL server binaries (scripts/postgres.sh installs them)"
        if os.environ.get("IVR_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # Under /tmp, not pytest's tmp_path: the server runs as the postgres user, who cannot
    # enter root's private pytest directory.
    directory = Path(tempfile.mkdtemp(prefix="ivr-pg-outage-"))
    directory.chmod(0o755)
    found = Cluster(directory / "cluster", free_port())
    try:
        found.start()  # creates the cluster
        yield found
    finally:
        found.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_postgres_down_at_start_then_back(tmp_path, cluster):
    cluster.stop()
    with procfile_server(tmp_path, DATABASE_URL=cluster.url) as url:
        health = requests.get(url + "/healthz", timeout=5).json()
        assert health["status"] == "ok" and health["records"] == "spooling", health
        sids = keep_calling(url, 30, 0)
        cluster.start()  # migrations are applied when it is back
        wait_for_calls(url, sids, cluster.calls, 60)
        # Each worker says so once its next try is due (RETRY_AFTER after its last failure),
        # whether or not a call came to it since.
        time.sleep(RETRY_AFTER)
        said = [requests.get(url + "/healthz", timeout=5).json()["records"] for _ in range(10)]
        assert said == ["ok"] * 10


def test_postgres_stopped_then_a_worker_killed(tmp_path, cluster):
    with procfile_server(tmp_path, DATABASE_URL=cluster.url) as url:
        before = keep_calling(url, 2, 0)
        assert set(before) <= cluster.calls()  # written while it was up
        cluster.stop()
        victim = workers(url)[0]
        os.kill(victim, signal.SIGKILL)
        sids = keep_calling(url, 30, 1000)
        assert victim not in workers(url) and len(workers(url)) == 2  # replaced, and serving
        cluster.start()
        wait_for_calls(url, before + sids, cluster.calls, 60)


def test_postgres_stopped_and_the_spool_disk_full(tmp_path, cluster, small_disk):
    """PostgreSQL stopped while the server runs, the spool on a 64 KB filesystem that
    fills up: see ride_out_a_full_spool_disk for what must hold."""
    spool = small_disk / "spool"
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * 40 * 1024)
    with procfile_server(tmp_path, DATABASE_URL=cluster.url, IVR_SPOOL_DIR=str(spool)) as url:
        assert set(keep_calling(url, 1, 900_000)) <= cluster.calls()  # written while it was up
        cluster.stop()
        ride_out_a_full_spool_disk(url, spool, filler, cluster.start, cluster.calls, cluster.url)
