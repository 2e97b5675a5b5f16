"""How the simulator reaches a TwiML app: in-process over WSGI, or over real HTTP."""

from __future__ import annotations

import functools
import io
import json
import re
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, Protocol
from urllib.parse import quote, quote_plus, unquote_to_bytes, urljoin, urlsplit, urlunsplit

# Twilio's codes for a request that got no usable answer.
INVALID_URL = 11100
CONNECTION_FAILURE = 11205  # also Twilio's 15 s timeout
TOO_MANY_REDIRECTS = 11215
MAX_TWIML = 64 * 1024  # the commonly cited TwiML size limit (11750): no more is read
MAX_REDIRECTS = 10  # followed in a row before the request counts as a redirect loop


@dataclass(frozen=True)
class Response:
    """One HTTP answer from the app, as Twilio would see it."""

    status: int
    content_type: str
    body: bytes
    elapsed: float
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    # The nodes the answer passed, when the app tells: in-process through the WSGI environ
    # key "ivr.nodes", over HTTP through an X-IVR-Nodes header (ours sends it in development).
    nodes: tuple[str, ...] = ()
    # Why the app answered so, when it tells (ours: in-process, a callable that builds it
    # under the environ key "ivr.decision"; over HTTP, the X-IVR-Decision header in
    # development): see ivr.call.flow.Answer.decision.
    decision: Mapping[str, Any] | None = None


class TransportError(Exception):
    """The request got no HTTP answer at all (refused, reset, timed out)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Transport(Protocol):
    """Anything that can send Twilio's webhook requests to an app."""

    def request(
        self, method: str, url: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> Response:
        """Send one request; raise TransportError when no answer arrives."""
        ...

    def new_call(self) -> None:
        """Start a new call: forget every cookie set so far (Twilio keeps cookies only
        within one call, and each call starts with none)."""
        ...


@functools.lru_cache(maxsize=4096)
def resolve_url(base: str, url: str) -> str:
    """Resolve a URL from a TwiML document against the document's own URL, as Twilio does."""
    return as_sent(urljoin(base, url))


def as_sent(url: str) -> str:
    """A URL as an HTTP client sends it: what may not stand in one (a space, non-ASCII)
    percent-encoded, and what is already encoded left as it is."""
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~")


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote_plus leaves as it is


def form_encode(params: Mapping[str, str]) -> str:
    """urlencode for string fields, quoting only what needs it (the simulator's hot path)."""
    return "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in params.items())


def _quoted(text: str) -> str:
    return text if _PLAIN.fullmatch(text) else quote_plus(text)


def with_query(url: str, params: dict[str, str]) -> str:
    """Append params to a URL's query string (how a GET webhook carries its fields)."""
    if not params:
        return url
    parts = urlsplit(url)
    extra = form_encode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


class WsgiTransport:
    """Call a WSGI app in-process, as a WSGI server would: no network, no test client.

    The environ is built directly (werkzeug's test client costs more than the app's own
    answer); redirects are followed and cookies kept between the requests of one call, as
    Twilio does.
    """

    def __init__(self, wsgi_app: Any, base_url: str = "http://127.0.0.1:5000") -> None:
        self.app = wsgi_app
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def new_call(self) -> None:
        """Forget the cookies of the calls before: each call starts with none."""
        self.cookies.clear()

    def request(
        self, method: str, url: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> Response:
        """Send one request to the app and return its answer."""
        absolute = resolve_url(self.base_url, url)
        target = with_query(absolute, params) if method == "GET" else absolute
        body = form_encode(params).encode() if method != "GET" else b""
        started, redirected = time.perf_counter(), False
        try:
            for _ in range(MAX_REDIRECTS + 1):
                status, answer_headers, content, nodes, decision = self._call(
                    method, target, body, headers
                )
                location = answer_headers.get("Location")
                if status not in (301, 302, 303, 307, 308) or not location:
                    break
                target, redirected = resolve_url(target, location), True
                if status in (301, 302, 303):
                    method, body = "GET", b""
            else:
                raise TransportError(
                    TOO_MANY_REDIRECTS, f"{absolute} redirected more than {MAX_REDIRECTS} times"
                )
        except TransportError:
            raise
        except Exception as exc:  # an app in testing mode propagates; Twilio would see a 500
            text = f"{type(exc).__name__}: {exc}".encode()
            return Response(500, "text/plain", text, time.perf_counter() - started, absolute)
        return Response(
            status=status,
            content_type=answer_headers.get("Content-Type", ""),
            body=content,
            elapsed=time.perf_counter() - started,
            url=target if redirected else absolute,
            headers=answer_headers,
            nodes=nodes,
            decision=decision,
        )

    def _call(
        self,
        method: str,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
    ) -> tuple[int, dict[str, str], bytes, tuple[str, ...], Mapping[str, Any] | None]:
        parts = urlsplit(url)
        host = parts.netloc
        name, _, port = host.partition(":")
        raw_path = parts.path or "/"
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(raw_path).decode("latin-1"),
            "QUERY_STRING": parts.query,
            "RAW_URI": raw_path + (f"?{parts.query}" if parts.query else ""),
            "SERVER_NAME": name,
            "SERVER_PORT": port or ("443" if parts.scheme == "https" else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": parts.scheme or "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        if method != "GET":
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
        for key, value in headers.items():
            environ["HTTP_" + key.upper().replace("-", "_")] = value
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started: list[Any] = []

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            started[:] = [status, response_headers]
            return lambda data: chunks.append(data)

        chunks: list[bytes] = []
        iterable = self.app(environ, start_response)
        try:
            chunks.extend(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        status_line, header_list = started
        answer_headers: dict[str, str] = {}
        for key, value in header_list:
            if key.lower() == "set-cookie":
                cookie = SimpleCookie(value)
                self.cookies.update({k: morsel.value for k, morsel in cookie.items()})
            answer_headers[key] = value
        nodes = tuple(environ.get("ivr.nodes", ())) or _header_nodes(answer_headers)
        explain = environ.get("ivr.decision")  # ours hands over how to build it
        decision = explain() if callable(explain) else _header_decision(answer_headers)
        status = int(status_line.split(" ", 1)[0])
        return status, answer_headers, b"".join(chunks), nodes, decision


class HttpTransport:
    """Call an app over real HTTP with requests; close it (or use `with`) when done."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        import requests

        self.base_url = base_url
        self.timeout = timeout
        # A session keeps cookies across the call, as Twilio does (new_call clears them;
        # the session stays for its pooled connections).
        self._session = requests.Session()
        self._session.max_redirects = MAX_REDIRECTS  # as Twilio counts them (11215)

    def request(
        self, method: str, url: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> Response:
        """Send one request over HTTP; a timeout or refused connection is TransportError."""
        import requests

        absolute = resolve_url(self.base_url, url)
        started = time.perf_counter()
        try:
            # Streamed, so an answer of many megabytes is cut after MAX_TWIML, as Twilio
            # stops reading it, instead of being held in memory whole.
            with self._session.request(
                method,
                absolute,
                params=params if method == "GET" else None,
                data=params if method != "GET" else None,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=True,
                stream=True,
            ) as answer:
                body = _read(answer, self.timeout, started)
        except requests.TooManyRedirects as exc:
            raise TransportError(
                TOO_MANY_REDIRECTS, f"{absolute} redirected more than {MAX_REDIRECTS} times"
            ) from exc
        except requests.Timeout as exc:
            raise TransportError(
                CONNECTION_FAILURE, f"no answer from {absolute} within {self.timeout:g} s"
            ) from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as exc:
            raise TransportError(INVALID_URL, f"{absolute} is not a valid URL") from exc
        except (requests.RequestException, ValueError) as exc:
            raise TransportError(CONNECTION_FAILURE, _unreachable(exc, absolute)) from exc
        final = answer.url if answer.history else absolute
        return Response(
            status=answer.status_code,
            content_type=answer.headers.get("Content-Type", ""),
            body=body,
            elapsed=time.perf_counter() - started,
            url=final,
            headers=dict(answer.headers),
            nodes=_header_nodes(answer.headers),
            decision=_header_decision(answer.headers),
        )

    def new_call(self) -> None:
        """Forget the cookies of the calls before: each call starts with none."""
        self._session.cookies.clear()

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _unreachable(exc: BaseException, url: str) -> str:
    """What failed when `url` got no answer, in words, as Twilio's debugger logs it.

    requests wraps the cause in urllib3's retries ("HTTPConnectionPool(host=...): Max
    retries exceeded ... Caused by NewConnectionError(...)"); the line names the cause.
    """
    parts = urlsplit(url)
    host = parts.hostname or parts.netloc
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address, as a URL writes it
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port that is not a number: requests refused the URL already
        port = None
    where = f"{shown}:{port}" if port else shown
    causes = _causes(exc)
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused at {where} (nothing listens there)"
        if isinstance(cause, socket.gaierror):
            return f"host not found: {host} (its name does not resolve)"
        if isinstance(cause, ConnectionResetError):
            return f"connection reset by {where}"
    innermost = causes[-1]
    reason = (
        innermost.strerror
        if isinstance(innermost, OSError) and innermost.strerror
        else str(innermost)
    )
    return f"cannot reach {where}: {reason}"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and those it wraps (cause, context, urllib3's reason), outermost first."""
    found: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(found) < 20:
        current = todo.pop(0)
        if any(current is seen for seen in found):
            continue
        found.append(current)
        linked = [*current.args, getattr(current, "reason", None)]
        linked += [current.__cause__, current.__context__]
        todo += [e for e in linked if isinstance(e, BaseException)]
    return found


def _read(answer: Any, timeout: float, started: float) -> bytes:
    """Read at most MAX_TWIML + 1 bytes of a streamed answer within the request's timeout."""
    import requests

    chunks: list[bytes] = []
    size = 0
    for chunk in answer.iter_content(chunk_size=16 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_TWIML:
            break
        if time.perf_counter() - started > timeout:  # a trickle counts against the 15 s too
            raise requests.Timeout()
    return b"".join(chunks)[: MAX_TWIML + 1]


def _header_decision(headers: Mapping[str, str]) -> Mapping[str, Any] | None:
    """The X-IVR-Decision header's JSON object (None when absent or not one)."""
    text = headers.get("X-IVR-Decision")
    if not text:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _header_nodes(headers: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(node for node in headers.get("X-IVR-Nodes", "").split(",") if node)
