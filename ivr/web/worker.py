"""The gunicorn worker: gthread, with each request gathered in the poller, not a thread.

gunicorn's gthread worker gives a new connection a thread to wait for its first bytes
(up to 5 s), then lets that thread block until the headers are complete. A client that
connects and stalls, or stops inside its headers, holds a thread; 2 workers of 64
threads were held by some 130 such clients (review 9, F1), and every call then waited.
Here a connection's bytes are read without blocking, as they come: until its headers
and its body (of stated length, or chunked up to its last chunk) are all in, it waits in
the worker's poller, holding no thread, and it is closed with 408 once `HEAD_DEADLINE`
has passed since its first byte (or after gunicorn's keep-alive time with no byte at
all). A body over `MAX_BODY` gets 413 from here, and a client that asks to be told to go
on (`Expect: 100-continue`) is told so from here. Only a whole request reaches a thread
and gunicorn's own parser, which stays the judge of what is valid: framing this module
cannot follow is handed over as it is, for gunicorn to refuse.
"""

from __future__ import annotations

import contextlib
import enum
import re
import socket
import time
from typing import Any

from gunicorn.workers import gthread

from ivr.web.bodies import MAX_BODY, READ_DEADLINE

HEAD_DEADLINE = READ_DEADLINE  # seconds from a request's first byte to its last
# Twilio's headers take a few KB; a head larger than this is refused (431), not kept.
MAX_HEAD = 64 * 1024
# A chunked body may take this much more on the wire than its data: chunk sizes, their
# extensions and the trailers. Tiny chunks with long extensions carry almost no data, and
# each pending body is held in memory; Twilio sends Content-Length, never chunks.
MAX_FRAMING = 64 * 1024
_END = b"\r\n\r\n"
_CRLF = b"\r\n"
_HEX = b"0123456789abcdefABCDEF"


def _field(name: bytes) -> re.Pattern[bytes]:
    """A header field's values in a head (the lookahead leaves the next line's CRLF)."""
    return re.compile(rb"\r\n" + name + rb":[ \t]*([^\r\n]*?)[ \t]*(?=\r\n)", re.IGNORECASE)


_LENGTH = _field(b"content-length")
_CODINGS = _field(b"transfer-encoding")
_EXPECT = _field(b"expect")
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_TIMEOUT = b"408 Request Timeout"
_BODY_TOO_LARGE = b"413 Request Entity Too Large"
_HEAD_TOO_LARGE = b"431 Request Header Fields Too Large"


class _Step(enum.Enum):
    MORE = "wait for more bytes"
    WHOLE = "hand the request to a thread"  # or framing gunicorn is to refuse
    BODY_TOO_LARGE = "413"
    HEAD_TOO_LARGE = "431"


class _Pending:
    """The bytes of one request so far, when its first byte came, and how far its body's
    framing has been followed (each byte is looked at once, however slowly they come)."""

    __slots__ = (
        "body",
        "chunk_line_limit",
        "chunked",
        "continued",
        "data",
        "decoded",
        "left",
        "length",
        "pos",
        "since",
        "trailers",
        "verdict",
        "wants_continue",
    )

    def __init__(self, chunk_line_limit: int) -> None:
        self.data = bytearray()
        self.since = time.monotonic()
        self.chunk_line_limit = chunk_line_limit  # gunicorn's bound for a chunk-size line
        self.body = -1  # where the body starts, once the head is in
        self.length = 0  # a body's stated length
        self.chunked = False
        self.wants_continue = False  # an HTTP/1.1 client waiting for 100 Continue
        self.continued = False  # and it was sent
        self.pos = 0  # the next byte of a chunked body to look at
        self.left = 0  # bytes still to come of the current chunk, its CRLF included
        self.decoded = 0  # the chunks' data so far
        self.trailers = False  # the last chunk came: only the trailer section is left
        self.verdict = _Step.MORE  # once it is anything else, it stays

    def step(self) -> _Step:
        """What to do with the request as it stands."""
        if self.verdict is _Step.MORE:
            self.verdict = self._next_step()
        return self.verdict

    def _next_step(self) -> _Step:
        if self.body < 0:
            end = self.data.find(_END)
            if end < 0:
                return _Step.HEAD_TOO_LARGE if len(self.data) > MAX_HEAD else _Step.MORE
            self.body = self.pos = end + len(_END)
            step = self._read_head(bytes(self.data[: end + len(_CRLF)]))
            if step is not _Step.MORE:
                return step
        if self.chunked:
            return self._follow_chunks()
        return _Step.WHOLE if len(self.data) >= self.body + self.length else _Step.MORE

    def _read_head(self, head: bytes) -> _Step:
        """Note how the body is framed; hand over at once what gunicorn is to refuse."""
        codings = _CODINGS.findall(head)
        lengths = _LENGTH.findall(head)
        expects = _EXPECT.findall(head)
        if any(value.lower() != b"100-continue" for value in expects):
            return _Step.WHOLE  # gunicorn answers 417
        self.wants_continue = bool(expects) and head.split(_CRLF, 1)[0].endswith(b" HTTP/1.1")
        if codings:
            last = codings[-1].rsplit(b",", 1)[-1].strip(b" \t").lower()
            if lengths or last != b"chunked":
                return _Step.WHOLE  # ambiguous or unknown framing: gunicorn answers 400
            self.chunked = True
            return _Step.MORE
        if len(lengths) != 1 or not lengths[0].isdigit():
            return _Step.WHOLE  # no body, or a length gunicorn refuses
        digits = lengths[0].lstrip(b"0")
        self.length = int(digits or b"0") if len(digits) <= 9 else MAX_BODY + 1
        return _Step.BODY_TOO_LARGE if self.length > MAX_BODY else _Step.MORE

    def _follow_chunks(self) -> _Step:
        """Follow a chunked body's framing from where it was left, to its last chunk and
        the trailer section that ends it (RFC 9112 section 7.1)."""
        data = self.data
        if len(data) - self.body > MAX_BODY + MAX_FRAMING:
            return _Step.BODY_TOO_LARGE
        while True:
            if self.left:  # inside a chunk: its data, then CRLF
                taken = min(self.left, len(data) - self.pos)
                self.pos += taken
                self.left -= taken
                if self.left:
                    return _Step.MORE
                if data[self.pos - len(_CRLF) : self.pos] != _CRLF:
                    return _Step.WHOLE  # gunicorn answers 400
            elif self.trailers:  # none (CRLF), or header lines ending with an empty one
                if len(data) - self.pos < len(_CRLF):
                    return _Step.MORE
                if data.startswith(_CRLF, self.pos) or data.find(_END, self.pos) >= 0:
                    return _Step.WHOLE
                return _Step.MORE
            else:  # a chunk-size line: hex digits, then any extensions
                eol = data.find(_CRLF, self.pos)
                if eol < 0:
                    too_long = len(data) - self.pos > self.chunk_line_limit
                    return _Step.WHOLE if too_long else _Step.MORE  # gunicorn: 400
                size, *extension = bytes(data[self.pos : eol]).split(b";", 1)
                if extension:
                    size = size.rstrip(b" \t")
                if not size or size.strip(_HEX):
                    return _Step.WHOLE  # gunicorn answers 400
                self.pos = eol + len(_CRLF)
                digits = size.lstrip(b"0")
                chunk = int(digits or b"0", 16) if len(digits) <= 8 else MAX_BODY + 1
                if chunk == 0:
                    self.trailers = True
                    continue
                self.decoded += chunk
                if self.decoded > MAX_BODY:
                    return _Step.BODY_TOO_LARGE
                self.left = chunk + len(_CRLF)


class ThreadWorker(gthread.ThreadWorker):
    """gthread, but a thread takes a connection only once its request is all there."""

    def handle(self, conn: gthread.TConn) -> object:
        if conn.initialized and conn.parser.unreader.buf.getvalue():
            return super().handle(conn)  # a request already read ahead: nothing to wait for
        pending: _Pending | None = getattr(conn, "ivr_pending", None)
        closed = False
        try:
            conn.sock.setblocking(False)
            while True:
                chunk = conn.sock.recv(65536)
                if not chunk:
                    closed = True
                    break
                if pending is None:
                    pending = conn.ivr_pending = _Pending(self._chunk_line_limit())
                pending.data += chunk
                if pending.step() is not _Step.MORE:
                    break
        except BlockingIOError:
            pass
        except OSError:
            return False  # reset by the client
        if pending is None:  # nothing yet: wait in the poller, not here
            return False if closed else gthread._DEFER
        step = pending.step()
        if step is _Step.HEAD_TOO_LARGE:
            return self._refuse(conn, _HEAD_TOO_LARGE)
        if step is _Step.BODY_TOO_LARGE:
            return self._refuse(conn, _BODY_TOO_LARGE)
        if step is _Step.MORE and not closed:  # closed: gunicorn says what is missing
            if time.monotonic() - pending.since > HEAD_DEADLINE:
                return self._refuse(conn, _TIMEOUT)
            if pending.wants_continue and not pending.continued:
                pending.continued = True
                try:
                    conn.sock.send(_CONTINUE)  # a few bytes to an empty send buffer
                except OSError:
                    return False
            conn.data_ready = False
            return gthread._DEFER
        del conn.ivr_pending
        conn.data_ready = True
        conn.sock.setblocking(True)
        conn.init()
        conn.parser.unreader.unread(bytes(pending.data))
        conn.ivr_continued = pending.continued
        return super().handle(conn)

    def handle_request(self, req: Any, conn: gthread.TConn) -> Any:
        """gunicorn's, minus its 100 Continue when the poller sent one already: the body
        it invites is in by now, and one interim answer is enough."""
        if getattr(conn, "ivr_continued", False):
            conn.ivr_continued = False
            req._expected_100_continue = False
        return super().handle_request(req, conn)

    def _chunk_line_limit(self) -> int:
        """gunicorn's bound for a chunk-size line (its header field limit)."""
        limit: int = self.cfg.limit_request_field_size
        return limit if limit > 0 else 8190

    def _refuse(self, conn: gthread.TConn, status: bytes) -> bool:
        self.log.warning("request refused (%s); connection closed", status.decode())
        with contextlib.suppress(OSError):
            conn.sock.send(
                b"HTTP/1.1 %s\r\nConnection: close\r\nContent-Length: 0\r\n\r\n" % status
            )
            # Shut both ways here: gunicorn's graceful close, in the worker's main loop,
            # would otherwise wait up to 2 s for a client still sending, one after another.
            conn.sock.shutdown(socket.SHUT_RDWR)
        return False
