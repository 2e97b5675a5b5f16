"""Cookies, as Twilio keeps them: within one call, and each call starts with none.

TWIML.md: "Twilio keeps cookies and follows 301/307 redirects like a browser" -- per call.
Every command reuses one transport for many calls (`ivr test` one per clock, `ivr explore`
one per walk), so an app keeping its call state in a cookie (Flask's session) must still
see each call begin afresh. Each path is tried in-process and over real HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, session
from flask import Response as FlaskResponse

from ivr.simulator import HttpTransport, Transport, WsgiTransport
from ivr.simulator.explorer import explore
from ivr.simulator.line import Line
from ivr.simulator.scenarios import load_scenarios, run_scenario

from .conftest import BASE, doc, serving
from .test_foreign_app import ivr

WEBHOOK = "/ivr/welcome"

# Two calls, one after the other: each hears its first request as request 1, and the
# cookie set by that request carries the count to the second request of the same call.
TWO_CALLS = """\
calls:
  - name: first call
    steps:
      - expect: Request 1 of this call.
      - press: "1"
      - expect: Request 2 of this call.
  - name: second call
    steps:
      - expect: Request 1 of this call.
      - press: "1"
      - expect: Request 2 of this call.
"""


def visit_counter() -> Flask:
    """An app that counts a call's requests in Flask's session (a signed cookie)."""
    app = Flask("visit_counter")
    app.secret_key = "cookie-fidelity-test"

    @app.post(WEBHOOK)
    @app.post("/ivr/again")
    def count() -> FlaskResponse:
        session["visits"] = session.get("visits", 0) + 1
        body = (
            f'<Gather numDigits="1" action="/ivr/again">'
            f"<Say>Request {session['visits']} of this call.</Say></Gather>"
            "<Say>Goodbye.</Say><Hangup/>"
        )
        return FlaskResponse(doc(body), mimetype="text/xml")

    return app


@pytest.fixture(params=["in-process", "http"])
def reached(request: pytest.FixtureRequest) -> Iterator[tuple[Transport, str]]:
    """One transport to the counting app, reused for every call (as the commands do),
    and the app's base URL."""
    app = visit_counter()
    if request.param == "in-process":
        yield WsgiTransport(app, BASE), BASE
        return
    with serving(app) as url, HttpTransport(url) as transport:
        yield transport, url


def _requests_heard(texts: list[str]) -> list[int]:
    return [int(n) for text in texts for n in re.findall(r"Request (\d+) of this call", text)]


def test_ivr_tests_calls_each_start_without_cookies(
    reached: tuple[Transport, str], tmp_path: Path
) -> None:
    """`ivr test`'s path: run_scenario with the one transport it caches per clock."""
    transport, base = reached
    scenarios = tmp_path / "two_calls.yaml"
    scenarios.write_text(TWO_CALLS)
    line = Line(base + WEBHOOK)
    outcomes = [
        run_scenario(scenario, lambda _: transport, line=line, house_rules=False)
        for scenario in load_scenarios(scenarios)
    ]
    assert [(o.scenario.name, o.failures) for o in outcomes] == [
        ("first call", []),
        ("second call", []),
    ]


def test_ivr_test_url_runs_each_scenario_as_a_new_call(tmp_path: Path) -> None:
    """The audit's run: two scenarios with `ivr test --url`, a developer's subprocess."""
    scenarios = tmp_path / "two_calls.yaml"
    scenarios.write_text(TWO_CALLS)
    with serving(visit_counter()) as url:
        run = ivr("test", "--url", url + WEBHOOK, str(scenarios), token=None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "2 passed, 0 failed"


def test_each_probe_of_the_explorer_starts_without_cookies(
    reached: tuple[Transport, str],
) -> None:
    """The explorer's path: every probe of a walk, and a second walk, through one transport.

    A probe resumes at a wait from the remembered answer to its request, so the request it
    sends first to the app is its first of the call: request 1, whatever came before.
    """
    transport, base = reached
    heard: list[str] = []
    for _ in range(2):
        explore(
            transport,
            line=Line(base + WEBHOOK),
            heard=lambda trail, waited, after: heard.extend(after),
        )
    counts = _requests_heard(heard)
    assert len(counts) > 12  # the welcome twice, and each key pressed at it
    assert set(counts) == {1}
