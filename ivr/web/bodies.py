"""Request bodies read whole, within a deadline, before Flask sees the request.

A client that sends its body slowly (a byte a second) would otherwise hold a
server thread for as long as it likes, and the body is read before Twilio's
signature can be checked, so anyone can do it. Under gunicorn each body is read
here with a total deadline (10 s by default, the README says why); a client that
misses it gets 408 and its connection is closed, and the others go on. Outside
gunicorn (tests, `flask run`) the request passes through untouched.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("ivr.web.bodies")
READ_DEADLINE = 10.0  # seconds for a whole body; Twilio sends a few KB at once
# The largest body Twilio can send: a SpeechResult of 10,000 characters (what a caller may
# say; issue #15 requires the re-prompt for it) of up to 4 UTF-8 bytes each, 12 bytes once
# percent-encoded, plus Twilio's standard fields (a few KB), with room to spare. Larger
# bodies get 413: they are not Twilio's, and each one is held in memory while it is read.
MAX_SPEECH_CHARACTERS = 10_000
MAX_BODY = MAX_SPEECH_CHARACTERS * 12 + 16 * 1024
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Watchdog:
    """One thread per process that shuts the sockets whose deadline has passed."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, socket.socket] = {}
        self._expired: set[int] = set()
        self._ids = itertools.count()
        self._pid = 0

    def arm(self, sock: socket.socket, deadline: float) -> int:
        """Watch a socket until `deadline` (time.monotonic()); return its token."""
        with self._lock:
            if self._pid != os.getpid():  # first use in this (forked) worker
                self._pid = os.getpid()
                self._heap, self._armed, self._expired = [], {}, set()
                threading.Thread(target=self._run, name="ivr-body-deadline", daemon=True).start()
            token = next(self._ids)
            self._armed[token] = sock
            heapq.heappush(self._heap, (deadline, token))
            self._lock.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Stop watching; return whether the deadline had passed (the socket is shut)."""
        with self._lock:
            self._armed.pop(token, None)
            expired = token in self._expired
            self._expired.discard(token)
            return expired

    def _run(self) -> None:
        with self._lock:
            while True:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)  # disarmed in time
                if not self._heap:
                    self._lock.wait()
                    continue
                deadline, token = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                heapq.heappop(self._heap)
                sock = self._armed.pop(token)
                self._expired.add(token)
                with contextlib.suppress(OSError):  # already closed by the client
                    sock.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once


_watchdog = _Watchdog()


class BodyDeadline:
    """WSGI middleware: read each body whole within `seconds`, else 408 and close."""

    def __init__(self, app: WsgiApp, seconds: float = READ_DEADLINE, limit: int = MAX_BODY):
        self.app = app
        self.seconds = seconds
        self.limit = limit

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if sock is None or environ.get("REQUEST_METHOD") in ("GET", "HEAD", "OPTIONS"):
            return self.app(environ, start_response)
        token = _watchdog.arm(sock, time.monotonic() + self.seconds)
        body: bytes | None
        try:
            body = environ["wsgi.input"].read(self.limit + 1)
        except (OSError, ValueError):  # shut by the watchdog, or the client went away
            body = None
        expired = _watchdog.disarm(token)
        if expired or body is None:
            log.warning("request body not received within %g s; connection closed", self.seconds)
            return _refuse(start_response, "408 Request Timeout")
        if len(body) > self.limit:
            return _refuse(start_response, "413 Request Entity Too Large")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)  # read whole: now of known length
        return self.app(environ, start_response)


def _refuse(start_response: Callable[..., Any], status: str) -> Iterable[bytes]:
    start_response(
        status, [("Content-Type", "text/plain"), ("Content-Length", "0"), ("Connection", "close")]
    )
    return [b""]
