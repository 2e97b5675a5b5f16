"""scripts/audit.sh: a clean audit passes, a vulnerability fails, and an audit that could
check nothing says NOT DONE (exit 3), never "No known vulnerabilities found" (#18)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT

CLEAN = "No known vulnerabilities found"
VULNERABLE = "Found 1 known vulnerability in 1 package\nName Version ID Fix\nflask 0.1 PYSEC-1 2.0"
OFFLINE = "ERROR:pip_audit._cli:HTTPSConnectionPool(host='pypi.org'): Max retries exceeded"
SKIPPED = f"flask: Dependency not found on PyPI and could not be audited\n{CLEAN}"


@pytest.mark.parametrize(
    ("output", "status", "code", "says"),
    [
        (CLEAN, 0, 0, CLEAN),
        (VULNERABLE, 1, 1, "audit: FAILED: known vulnerabilities"),
        (OFFLINE, 1, 3, "pip-audit failed (exit 1) before checking anything"),
        (SKIPPED, 0, 3, "1 pinned package(s) could not be checked"),
    ],
    ids=["clean", "vulnerable", "offline", "skipped"],
)
def test_the_audit_says_what_it_could_check(tmp_path, output, status, code, says):
    (tmp_path / "scripts").mkdir()
    shutil.copy(PROJECT_ROOT / "scripts" / "audit.sh", tmp_path / "scripts" / "audit.sh")
    (tmp_path / "requirements.txt").write_text("flask==0.1\n")
    (tmp_path / "out.txt").write_text(output + "\n")
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    # pip install succeeds; pip_audit prints the canned output and exits with its status.
    fake.write_text(
        '#!/usr/bin/env bash\n[ "$2" = pip_audit ] || exit 0\n'
        f'cat "$(dirname "$0")/../../out.txt"; exit {status}\n'
    )
    fake.chmod(0o755)
    done = subprocess.run(
        ["bash", "scripts/audit.sh"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    said = done.stdout + done.stderr
    assert done.returncode == code, said
    assert says in said
    if code == 3:
        assert CLEAN not in said and "NOT DONE" in said
