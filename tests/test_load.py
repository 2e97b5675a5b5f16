"""A short version of `make load`: real gunicorn, real wrk, records counted afterwards;
then the server's log must show no crash (a webhook that raised still answered 200)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, assert_no_crash_logged
from tests.records.conftest import NO_POSTGRES, unavailable

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _needs_wrk():
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is missing in CI: .ci/run installs it")
        pytest.skip("wrk not installed: apt-get install -y wrk (make load does it)")


def _load(log: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run bench/load.py briefly, its servers' output kept in `log`."""
    return subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            "--seconds",
            "3",
            "--connections",
            "16",
            "--calls",
            "40",
            "--workers",
            "2",
            "--server-log",
            str(log),
            *extra,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_short_load_on_sqlite_loses_nothing(tmp_path):
    log = tmp_path / "server.log"
    run = _load(log)
    assert_no_crash_logged(log)  # before the counts: a crash is why a count is wrong
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sqlite: PASS" in run.stdout and "errors 0" in run.stdout


def test_short_load_on_postgresql_loses_nothing(tmp_path):
    url = os.environ.get("IVR_TEST_POSTGRES_URL")
    if not url:
        unavailable(NO_POSTGRES)
    log = tmp_path / "server.log"
    run = _load(log, "--database-url", url)
    assert_no_crash_logged(log)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "postgresql: PASS" in run.stdout
