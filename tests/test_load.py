"""A short version of `make load`: real gunicorn, real wrk, records counted afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT
from tests.records.conftest import NO_POSTGRES, unavailable

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _needs_wrk():
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is missing in CI: .ci/run installs it")
        pytest.skip("wrk not installed: apt-get install -y wrk (make load does it)")


def _load(*extra: str) -> subprocess.CompletedProcess:
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
            *extra,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_short_load_on_sqlite_loses_nothing():
    run = _load()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sqlite: PASS" in run.stdout and "errors 0" in run.stdout


def test_short_load_on_postgresql_loses_nothing():
    url = os.environ.get("IVR_TEST_POSTGRES_URL")
    if not url:
        unavailable(NO_POSTGRES)
    run = _load("--database-url", url)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "postgresql: PASS" in run.stdout
