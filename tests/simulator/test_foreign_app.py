"""`ivr simulate --url` against a TwiML app that is not ours, over real HTTP, as a
developer runs it: a subprocess of the CLI, the app served on 127.0.0.1 by the test."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import PROJECT_ROOT

from .conftest import serving
from .foreign_app import DEFECTS, VALID_PATHS, create_app

TOKEN = "foreign-app-token"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def foreign() -> Iterator[str]:
    """The foreign app, checking Twilio's signature with its own token."""
    with serving(create_app(TOKEN)) as url:
        yield url


def ivr(*args: str, token: str | None = TOKEN) -> subprocess.CompletedProcess[str]:
    """Run `ivr` as a developer would, TWILIO_AUTH_TOKEN exported (or not)."""
    env = {k: v for k, v in os.environ.items() if k != "TWILIO_AUTH_TOKEN"}
    if token:
        env["TWILIO_AUTH_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "ivr", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=PROJECT_ROOT,
        check=False,
    )


def problems(run: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines of stderr that report problems (the clock's line is not one)."""
    return [line for line in run.stderr.splitlines() if line and not line.startswith("-- clock")]


@pytest.mark.parametrize("script", VALID_PATHS)
def test_valid_paths_call_its_own_webhook_and_exit_0(foreign: str, script: str) -> None:
    """The webhook is /ivr/welcome as configured; no /voice, no invented status callback."""
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--input", script)
    assert run.returncode == 0, run.stdout + run.stderr
    # No warning, no problem: a valid call to a valid app (only the clock's own line).
    assert run.stderr.splitlines() == [
        "-- clock: the app's own (a server at --url keeps its own time; --at cannot move it)"
    ]
    assert "[Say Polly.Amy] Thanks for calling the E T phone home service." in run.stdout
    assert "-- call ended:" in run.stdout


@pytest.mark.parametrize(("script", "code"), DEFECTS.items())
def test_each_planted_defect_is_reported_with_its_twilio_code(
    foreign: str, script: str, code: object
) -> None:
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--input", script)
    assert run.returncode == 1
    (problem,) = problems(run)
    severity = "error" if code == 11200 else "warning"
    assert problem.startswith(f"{severity}: {code} at {foreign}/ivr/"), problem
    assert "Traceback" not in run.stdout + run.stderr


def test_a_house_rule_of_this_project_is_a_notice_for_another_app(foreign: str) -> None:
    """Review: SIM004 (sentences before a Gather) failed a valid foreign app; it judges
    prompt design, this project's rule for its own menu, not what Twilio accepts."""
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--input", "5,.")
    assert run.returncode == 0, run.stdout + run.stderr
    (notice,) = problems(run)
    assert notice.startswith(f"notice: SIM004 at {foreign}/ivr/menu"), notice


def test_the_500_ends_the_call_as_twilio_would(foreign: str) -> None:
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--input", "3")
    assert "[Error] an application error has occurred (11200); goodbye" in run.stdout
    assert "-- call ended: application-error" in run.stdout
    assert "the app answered HTTP 500" in run.stderr


def test_the_misspelt_attribute_is_named(foreign: str) -> None:
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--input", "2,3,dial:completed")
    assert "timeOut" in run.stderr and "[Dial +12027336386]" in run.stdout


def test_unsigned_calls_are_refused_by_an_app_that_checks(foreign: str) -> None:
    """The foreign app really checks: without the token every call is its 403 (11200)."""
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--input", "1", token=None)
    assert run.returncode == 1 and "HTTP 403" in run.stderr


def test_a_status_callback_goes_only_where_it_is_given(foreign: str) -> None:
    """--status-callback to a path the app lacks: Twilio's 15003, as for a real number."""
    run = ivr(
        "simulate",
        "--url",
        f"{foreign}/ivr/welcome",
        "--status-callback",
        f"{foreign}/ivr/status",
        "--input",
        "1",
    )
    assert run.returncode == 1
    (problem,) = problems(run)
    assert problem.startswith(f"warning: 15003 at {foreign}/ivr/status"), problem


def test_a_get_webhook_is_requested_with_get(foreign: str) -> None:
    """--method GET: the app routes POST only, so Flask's 405 is Twilio's 11200."""
    run = ivr("simulate", "--url", f"{foreign}/ivr/welcome", "--method", "GET", "--input", "1")
    assert run.returncode == 1 and "HTTP 405" in run.stderr
