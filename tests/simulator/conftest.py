"""Tiny TwiML apps for driving the simulator: fixed documents, every request recorded."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, request
from flask import Response as FlaskResponse
from twilio.request_validator import RequestValidator
from werkzeug.serving import WSGIRequestHandler, make_server

from ivr.simulator import Call, CallResult, ScriptedCaller, WsgiTransport
from ivr.simulator.line import Line

BASE = "http://127.0.0.1:5000"
TOKEN = "test-auth-token"

Page = str | Callable[[], object]


@dataclass(frozen=True)
class Received:
    """One request as the test app saw it."""

    method: str
    path: str
    url: str
    values: dict[str, str]
    signature_ok: bool | None  # None when the app has no token to check with


def twiml_app(pages: dict[str, Page], token: str | None = None) -> tuple[Flask, list[Received]]:
    """Serve pages (path -> TwiML text, or a view function) and record every request."""
    app = Flask("twiml_test_app")
    received: list[Received] = []

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
    @app.route("/<path:path>", methods=["GET", "POST"])
    def page(path: str) -> object:
        values = request.form.to_dict() if request.method == "POST" else request.args.to_dict()
        ok = None
        if token is not None:
            signed = request.form.to_dict() if request.method == "POST" else {}
            signature = request.headers.get("X-Twilio-Signature", "")
            # The URL as it came (werkzeug's request.url decodes non-ASCII in the query).
            query = request.environ.get("QUERY_STRING", "")
            sent = request.base_url + (f"?{query}" if query else "")
            ok = RequestValidator(token).validate(sent, signed, signature)
        received.append(Received(request.method, request.path, request.url, values, ok))
        found = pages.get(request.path)
        if found is None:
            # Status and transcription callbacks need no document; anything else is a 404.
            return ("", 204) if request.path.endswith(("/status", "/transcribed")) else ("", 404)
        if callable(found):
            return found()
        return FlaskResponse(found, mimetype="text/xml")

    return app, received


def doc(body: str) -> str:
    """Wrap verbs in a TwiML document."""
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


@dataclass
class Dialled:
    """A finished simulated call and what the app received."""

    result: CallResult
    received: list[Received]

    def to(self, path: str) -> list[Received]:
        """The requests that reached path."""
        return [r for r in self.received if r.path == path]

    @property
    def codes(self) -> list[object]:
        """The codes of every problem, in order."""
        return [p.code for p in self.result.problems]

    @property
    def lines(self) -> list[str]:
        """The transcript lines."""
        return [event.line() for event in self.result.events]


@pytest.fixture
def dial_in() -> Callable[..., Dialled]:
    """Place a call with a script against pages; other keyword arguments go to Call.

    The number's webhook is /voice and its status callback /voice/status unless given
    (`status=None`: none configured).
    """

    def place(
        pages: dict[str, Page],
        script: str = "",
        *,
        webhook: str = "/voice",
        method: str = "POST",
        status: str | None = "/voice/status",
        auth_token: str | None = None,
        fallback: str | None = None,
        **kwargs: object,
    ) -> Dialled:
        app, received = twiml_app(pages, token=auth_token)
        caller = ScriptedCaller.parse(script) if script else ScriptedCaller([])
        kwargs.setdefault("seed", 7)
        line = Line(
            BASE + webhook,
            method,
            BASE + status if status else None,
            auth_token,
            BASE + fallback if fallback else None,
        )
        call = Call(WsgiTransport(app, BASE), caller, line=line, **kwargs)  # type: ignore[arg-type]
        return Dialled(call.run(), received)

    return place


class _Quiet(WSGIRequestHandler):
    """No request lines: these servers stand in for other people's apps, whose query
    strings carry the simulated caller's number (the session's log scan reads every line)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve a WSGI app over real HTTP on 127.0.0.1 (a free port); yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
