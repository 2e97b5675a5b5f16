"""A --url that cannot serve a call: one line naming the Twilio code, never a traceback.

Each is a real server on 127.0.0.1 (or a port nobody listens on), and the CLI runs as a
developer runs it, in a subprocess.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask import Flask, Response, redirect

from ivr.simulator import Call, HttpTransport, ScriptedCaller, TransportError, WsgiTransport
from ivr.simulator.line import Line
from ivr.simulator.transport import MAX_REDIRECTS, MAX_TWIML

from .conftest import serving
from .test_foreign_app import ivr, problems

pytestmark = pytest.mark.slow


def bad_app() -> Flask:
    app = Flask("bad_urls")

    @app.post("/html")
    def html() -> Response:
        return Response("<!doctype html><html><body>Welcome!</body></html>", mimetype="text/html")

    @app.post("/loop")
    def loop() -> Response:
        return redirect("/loop", code=307)  # 307 keeps the POST, as Twilio follows it

    @app.post("/hops/<int:left>")
    def hops(left: int) -> Response:
        if left:
            return redirect(f"/hops/{left - 1}", code=307)
        return Response("<Response><Hangup/></Response>", mimetype="text/xml")

    @app.post("/huge")
    def huge() -> Response:
        chunk = b"<Say>" + b"x" * (64 * 1024) + b"</Say>"

        def body() -> Iterator[bytes]:
            yield b"<Response>"
            for _ in range(10 * 1024 * 1024 // len(chunk)):  # 10 MB
                yield chunk
            yield b"</Response>"

        return Response(body(), mimetype="text/xml")

    @app.post("/endless")
    def endless() -> Response:
        def body() -> Iterator[bytes]:
            yield b"<Response>"
            while True:
                yield b"<Pause/>" * 1024

        return Response(body(), mimetype="text/xml")

    return app


@pytest.fixture(scope="module")
def bad() -> Iterator[str]:
    with serving(bad_app()) as url:
        yield url


def _port_nobody_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/html", 12300, "Content-Type is 'text/html; charset=utf-8'"),
        ("/loop", 11215, "redirected more than"),
        (f"/hops/{MAX_REDIRECTS + 1}", 11215, f"redirected more than {MAX_REDIRECTS} times"),
        ("/huge", 11750, f"over {MAX_TWIML} bytes"),
    ],
)
def test_a_url_that_cannot_serve_a_call_is_one_line_with_its_code(
    bad: str, path: str, code: int, words: str
) -> None:
    run = ivr("simulate", "--url", bad + path, "--input", "1", token=None)
    assert run.returncode == 1
    (line,) = problems(run)
    assert line.startswith(f"error: {code} at {bad}{path}") and words in line, line
    assert f"an application error has occurred ({code})" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_a_url_nobody_answers_is_11205_connection_refused_in_plain_words() -> None:
    """The audit: the line carried urllib3's "HTTPConnectionPool(...): Max retries
    exceeded ... NewConnectionError(...)"; it says what failed, where."""
    port = _port_nobody_listens_on()
    url = f"http://127.0.0.1:{port}/ivr/welcome"
    run = ivr("simulate", "--url", url, "--input", "1", token=None)
    assert run.returncode == 1
    clock, problem = run.stderr.splitlines()
    assert clock.startswith("-- clock: the app's own")
    assert problem == (
        f"error: 11205 at {url}: connection refused at 127.0.0.1:{port} (nothing listens there)"
    )
    assert "an application error has occurred (11205)" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_a_host_that_does_not_resolve_is_11205_host_not_found() -> None:
    """.invalid never resolves (RFC 2606): the line names the host, not urllib3's retries."""
    url = "http://no-such-host.invalid/ivr/welcome"
    run = ivr("simulate", "--url", url, "--input", "1", token=None)
    assert run.returncode == 1
    (problem,) = problems(run)
    assert problem == (
        f"error: 11205 at {url}: host not found: no-such-host.invalid (its name does not resolve)"
    )
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("url", ["127.0.0.1:5000/voice", "ftp://127.0.0.1/voice", "http://[::1"])
def test_a_url_that_is_not_a_webhook_is_a_usage_error(url: str) -> None:
    run = ivr("simulate", "--url", url, "--input", "1", token=None)
    assert run.returncode == 2
    assert "is not an http(s) URL" in run.stderr or "Invalid" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_a_server_that_accepts_but_never_answers_times_out_as_11205() -> None:
    """Twilio waits 15 s; the transport's timeout is shortened here, the code is the same."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/ivr/welcome"
        with HttpTransport(url, timeout=0.5) as transport:
            result = Call(transport, ScriptedCaller([]), line=Line(url)).run()
    assert [(p.code, p.url) for p in result.problems] == [(11205, url)]
    assert result.end == "application-error"


def test_an_answer_is_read_no_further_than_twilios_limit(bad: str) -> None:
    """Reading stops just past the limit, however much the server sends: an endless body
    (read whole, it would only end at the timeout) is a body too large, at once."""
    with HttpTransport(bad, timeout=5) as transport:
        response = transport.request("POST", "/endless", {}, {})
    assert len(response.body) == MAX_TWIML + 1


def test_an_in_process_redirect_loop_is_11215_too() -> None:
    """The in-process transport follows redirects the same way, and gives up the same way."""
    with pytest.raises(TransportError) as caught:
        WsgiTransport(bad_app(), "http://127.0.0.1:5000").request("POST", "/loop", {}, {})
    assert caught.value.code == 11215
