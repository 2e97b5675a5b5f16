"""The gunicorn worker: gthread, with each request gathered in the poller, not a thread.

gunicorn's gthread worker gives a new connection a thread to wait for its first bytes
(up to 5 s), then lets that thread block until the headers are complete. A client that
connects and stalls, or stops inside its headers, holds a thread; 2 workers of 64
threads were held by some 130 such clients (review 9, F1), and every call then waited.
Here a connection's bytes are read without blocking, as they come: until its headers
(and a body of stated length) are all in, it waits in the worker's poller, holding no
thread, and it is closed with 408 once `HEAD_DEADLINE` has passed since its first byte
(or after gunicorn's keep-alive time with no byte at all). Only a whole request reaches a
thread and gunicorn's own parser, which stays the judge of what is valid.
"""

from __future__ import annotations

import contextlib
import re
import socket
import time

from gunicorn.workers import gthread

from ivr.web.bodies import MAX_BODY, READ_DEADLINE

HEAD_DEADLINE = READ_DEADLINE  # seconds from a request's first byte to its last
# Twilio's headers take a few KB; a head larger than this is refused (431), not kept.
MAX_HEAD = 64 * 1024
_END = b"\r\n\r\n"
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d{1,9})[ \t]*\r\n", re.IGNORECASE)
# A client that asks to be told to go on sends its body only after gunicorn's 100 Continue.
_EXPECT = re.compile(rb"\r\nexpect:", re.IGNORECASE)
_TIMEOUT = b"408 Request Timeout"
_TOO_LARGE = b"431 Request Header Fields Too Large"


class _Pending:
    """The bytes of one request so far, and when its first byte came."""

    __slots__ = ("data", "since")

    def __init__(self) -> None:
        self.data = bytearray()
        self.since = time.monotonic()


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
                    pending = conn.ivr_pending = _Pending()
                pending.data += chunk
                if _whole(pending.data):
                    break
        except BlockingIOError:
            pass
        except OSError:
            return False  # reset by the client
        if pending is None:  # nothing yet: wait in the poller, not here
            return False if closed else gthread._DEFER
        if not (closed or _whole(pending.data)):
            if len(pending.data) > MAX_HEAD and _END not in pending.data:
                return self._refuse(conn, _TOO_LARGE)
            if time.monotonic() - pending.since > HEAD_DEADLINE:
                return self._refuse(conn, _TIMEOUT)
            conn.data_ready = False
            return gthread._DEFER
        del conn.ivr_pending
        conn.data_ready = True
        conn.sock.setblocking(True)
        conn.init()
        conn.parser.unreader.unread(bytes(pending.data))
        return super().handle(conn)

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


def _whole(data: bytearray) -> bool:
    """Whether `data` holds a request's head and the body its Content-Length states
    (a chunked body, or one over the limit, is read by the app within its own deadline)."""
    end = data.find(_END)
    if end < 0:
        return False
    length = _LENGTH.search(data, 0, end + 2)
    if length is None or int(length[1]) > MAX_BODY or _EXPECT.search(data, 0, end + 2):
        return True
    return len(data) >= end + len(_END) + int(length[1])
