"""How the simulator reaches a TwiML app: in-process over WSGI, or over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

# Twilio's code for "HTTP connection failure", which also covers its 15 s timeout.
CONNECTION_FAILURE = 11205


@dataclass(frozen=True)
class Response:
    """One HTTP answer from the app, as Twilio would see it."""

    status: int
    content_type: str
    body: bytes
    elapsed: float
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)


class TransportError(Exception):
    """The request got no HTTP answer at all (refused, reset, timed out)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Transport(Protocol):
    """Anything that can send Twilio's webhook requests to an app."""

    def request(
        self, method: str, url: str, params: dict[str, str], headers: dict[str, str]
    ) -> Response:
        """Send one request; raise TransportError when no answer arrives."""
        ...


def resolve_url(base: str, url: str) -> str:
    """Resolve a URL from a TwiML document against the document's own URL, as Twilio does."""
    return urljoin(base, url)


def with_query(url: str, params: dict[str, str]) -> str:
    """Append params to a URL's query string (how a GET webhook carries its fields)."""
    if not params:
        return url
    parts = urlsplit(url)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


class WsgiTransport:
    """Call a WSGI app in-process through werkzeug's test client."""

    def __init__(self, wsgi_app: Any, base_url: str = "http://127.0.0.1:5000") -> None:
        from werkzeug.test import Client

        self.base_url = base_url
        # Twilio keeps cookies between the requests of one call, like a browser.
        self._client = Client(wsgi_app, use_cookies=True)

    def request(
        self, method: str, url: str, params: dict[str, str], headers: dict[str, str]
    ) -> Response:
        """Send one request to the app and return its answer."""
        absolute = resolve_url(self.base_url, url)
        target = with_query(absolute, params) if method == "GET" else absolute
        parts = urlsplit(target)
        started = time.perf_counter()
        try:
            answer = self._client.open(
                parts.path or "/",
                base_url=f"{parts.scheme}://{parts.netloc}",
                query_string=parts.query,
                method=method,
                data=params if method != "GET" else None,
                headers=headers,
                follow_redirects=True,
            )
        except Exception as exc:  # an app in testing mode propagates; Twilio would see a 500
            body = f"{type(exc).__name__}: {exc}".encode()
            return Response(500, "text/plain", body, time.perf_counter() - started, absolute)
        final = answer.request.url if answer.history else absolute
        return Response(
            status=answer.status_code,
            content_type=answer.headers.get("Content-Type", ""),
            body=answer.get_data(),
            elapsed=time.perf_counter() - started,
            url=final,
            headers=dict(answer.headers),
        )


class HttpTransport:
    """Call an app over real HTTP with requests; close it (or use `with`) when done."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        import requests

        self.base_url = base_url
        self.timeout = timeout
        # A session keeps cookies across the call, as Twilio does.
        self._session = requests.Session()

    def request(
        self, method: str, url: str, params: dict[str, str], headers: dict[str, str]
    ) -> Response:
        """Send one request over HTTP; a timeout or refused connection is TransportError."""
        import requests

        absolute = resolve_url(self.base_url, url)
        started = time.perf_counter()
        try:
            answer = self._session.request(
                method,
                absolute,
                params=params if method == "GET" else None,
                data=params if method != "GET" else None,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=True,
            )
        except requests.Timeout as exc:
            raise TransportError(
                CONNECTION_FAILURE, f"no answer from {absolute} within {self.timeout:g} s"
            ) from exc
        except requests.RequestException as exc:
            raise TransportError(CONNECTION_FAILURE, f"cannot reach {absolute}: {exc}") from exc
        final = answer.url if answer.history else absolute
        return Response(
            status=answer.status_code,
            content_type=answer.headers.get("Content-Type", ""),
            body=answer.content,
            elapsed=time.perf_counter() - started,
            url=final,
            headers=dict(answer.headers),
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
