"""Transports: in-process WSGI and real HTTP, URL resolution, timeouts as 11205."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest
from flask import Flask, redirect, request

from ivr.simulator import (
    Call,
    HttpTransport,
    ScriptedCaller,
    TransportError,
    WsgiTransport,
)
from ivr.simulator.line import Line
from ivr.simulator.transport import resolve_url, with_query
from tests.conftest import own_line

from .conftest import BASE, doc, serving, twiml_app


def echo_app() -> Flask:
    """An app that answers with what it received."""
    app = Flask("echo")

    @app.route("/<path:path>", methods=["GET", "POST"])
    def echo(path: str) -> dict[str, object]:
        return {
            "method": request.method,
            "url": request.url,
            "form": request.form.to_dict(),
            "args": request.args.to_dict(),
            "agent": request.headers.get("User-Agent"),
        }

    @app.route("/moved", methods=["GET", "POST"])
    def moved() -> object:
        return redirect("/elsewhere?x=1", code=307)

    @app.route("/crash", methods=["POST"])
    def crash() -> object:
        raise RuntimeError("database is down")

    return app


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("http://h:5000/voice", "/menu", "http://h:5000/menu"),
        ("http://h:5000/ivr/voice?node=a", "menu?node=b", "http://h:5000/ivr/menu?node=b"),
        ("http://h:5000/ivr/voice?node=a", "", "http://h:5000/ivr/voice?node=a"),
        ("http://h:5000/ivr/voice", "../top", "http://h:5000/top"),
        ("http://h:5000/voice", "https://other.example/x", "https://other.example/x"),
        ("http://h:5000", "voice", "http://h:5000/voice"),
    ],
)
def test_resolve_url_works_like_twilio(base: str, url: str, expected: str) -> None:
    """Relative URLs are joined to the containing document's URL."""
    assert resolve_url(base, url) == expected


def test_with_query_appends_to_an_existing_query() -> None:
    """GET fields join any query the URL already has."""
    assert with_query("http://h/m?node=a", {"Digits": "1"}) == "http://h/m?node=a&Digits=1"
    assert with_query("http://h/m", {}) == "http://h/m"


def test_wsgi_post_sends_form_fields() -> None:
    """POST is form-encoded; a relative URL is resolved against base_url."""
    resp = WsgiTransport(echo_app(), BASE).request(
        "POST", "/voice?node=a", {"Digits": "1"}, {"User-Agent": "TwilioProxy/1.1"}
    )
    body = json.loads(resp.body)
    assert resp.status == 200 and resp.content_type == "application/json"
    assert body["form"] == {"Digits": "1"} and body["args"] == {"node": "a"}
    assert body["agent"] == "TwilioProxy/1.1"
    assert resp.url == f"{BASE}/voice?node=a"
    assert resp.elapsed >= 0


def test_wsgi_get_puts_params_in_the_query_and_honours_absolute_urls() -> None:
    """GET carries the fields in the query string; an absolute URL keeps its host."""
    resp = WsgiTransport(echo_app(), BASE).request(
        "GET", "https://ivr.example.com/menu?node=a", {"Digits": "2"}, {}
    )
    body = json.loads(resp.body)
    assert body["method"] == "GET" and body["form"] == {}
    assert body["args"] == {"node": "a", "Digits": "2"}
    assert body["url"].startswith("https://ivr.example.com/menu?")


def test_wsgi_follows_redirects_and_reports_the_final_url() -> None:
    """Twilio follows 307 redirects; the document's URL is where it ended up."""
    resp = WsgiTransport(echo_app(), BASE).request("POST", "/moved", {"Digits": "3"}, {})
    body = json.loads(resp.body)
    assert body["form"] == {"Digits": "3"}
    assert resp.url == f"{BASE}/elsewhere?x=1"


def test_wsgi_turns_a_propagated_exception_into_a_500() -> None:
    """An app in testing mode raises; Twilio would still only see a 500."""
    app = echo_app()
    app.testing = True
    resp = WsgiTransport(app, BASE).request("POST", "/crash", {}, {})
    assert resp.status == 500
    assert b"database is down" in resp.body


# --- real HTTP -------------------------------------------------------------------------


@pytest.fixture
def http_server() -> Iterator[tuple[str, list]]:
    """Serve a menu and a slow page on 127.0.0.1 with a free port."""
    release = threading.Event()
    pages = {
        "/voice": doc('<Gather numDigits="1" action="menu"><Say>x</Say></Gather><Hangup/>'),
        "/menu": doc("<Say>Thanks</Say>"),
        "/slow": lambda: (release.wait(5), ("", 200))[1],
    }
    app, received = twiml_app(pages)
    with serving(app) as base:
        try:
            yield base, received
        finally:
            release.set()  # before the server stops: a slow page still waits on it


@pytest.mark.slow
def test_a_call_runs_over_real_http(http_server) -> None:
    """The same call works against a real server through HttpTransport."""
    base, received = http_server
    with HttpTransport(base) as transport:
        result = Call(transport, ScriptedCaller.parse("4"), line=own_line(base)).run()
    assert result.ok, result.problems
    assert [r.path for r in received] == ["/voice", "/menu", "/voice/status"]
    assert received[1].values["Digits"] == "4"
    assert result.end == "end-of-document"


@pytest.mark.slow
def test_a_slow_server_times_out_as_11205(http_server) -> None:
    """A server slower than the timeout is Twilio's 11205, raised by the transport."""
    base, _ = http_server
    with HttpTransport(base, timeout=0.5) as transport, pytest.raises(TransportError) as caught:
        transport.request("POST", "/slow", {}, {})
    assert caught.value.code == 11205
    assert "0.5 s" in caught.value.message


@pytest.mark.slow
def test_a_slow_first_document_ends_the_call_with_11205(http_server) -> None:
    """In a call the timeout becomes a problem and an application error."""
    base, _ = http_server
    with HttpTransport(base, timeout=0.5) as transport:
        result = Call(transport, ScriptedCaller([]), line=Line(base + "/slow")).run()
    assert [(p.code, p.severity) for p in result.problems] == [(11205, "error")]
    assert result.end == "application-error"


def test_a_refused_connection_is_11205() -> None:
    """Nothing listening is a connection failure too."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with HttpTransport(f"http://127.0.0.1:{port}", timeout=2) as transport:
        result = Call(transport, ScriptedCaller([]), line=own_line(transport.base_url)).run()
    # the call, its Fallback URL (down too) and its status callback
    assert [p.code for p in result.problems] == [11205, 11205, 11205]
    assert result.end == "application-error"
