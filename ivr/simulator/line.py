"""A phone number's voice settings as Twilio keeps them: where its calls go, how they are signed.

Every call the simulator places (`ivr simulate`, `ivr test`, `ivr explore`, the browser
phone) goes through a `Line`, so each request is signed the one way Twilio signs it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from twilio.request_validator import RequestValidator

from ivr.settings import Settings
from ivr.simulator.transport import as_sent, with_query

METHODS = ("GET", "POST")
USER_AGENT = "TwilioProxy/1.1"
LOCAL_URL = "http://127.0.0.1:5000"  # where in-process simulated calls pretend the app lives


class LineError(ValueError):
    """A webhook setting Twilio would refuse on a number (not an http(s) URL, a bad method)."""


@dataclass(frozen=True)
class Line:
    """The number's "A call comes in" webhook, its method, status callback and auth token."""

    webhook: str  # exactly as set on the number: any path, any query
    method: str = "POST"
    status_callback: str | None = None  # Twilio sends one only where it is configured
    auth_token: str | None = field(default=None, repr=False)
    fallback: str | None = None  # asked (POST) for a document when the webhook's fails

    def __post_init__(self) -> None:
        # Stored as they go on the wire: a space or a non-ASCII character percent-encoded,
        # so the URL signed is the URL the app receives.
        object.__setattr__(self, "webhook", as_sent(self.webhook))
        for name in ("status_callback", "fallback"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, as_sent(getattr(self, name)))
        for name, url in (
            ("webhook", self.webhook),
            ("status callback", self.status_callback),
            ("fallback URL", self.fallback),
        ):
            if url is not None:
                try:
                    parts = urlsplit(url)
                except ValueError as exc:  # e.g. an unclosed IPv6 bracket
                    raise LineError(f"the {name} {url!r} is not a URL: {exc}") from None
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    raise LineError(
                        f"the {name} {url!r} is not an http(s) URL like http://127.0.0.1:5000/voice"
                    )
        if self.method not in METHODS:
            raise LineError(f"method {self.method!r} is not GET or POST")

    def to(self, webhook: str) -> Line:
        """The same number with another webhook (a call started elsewhere) and no callback."""
        return replace(self, webhook=webhook, status_callback=None)

    def headers(self, method: str, url: str, params: Mapping[str, str]) -> Mapping[str, str]:
        """Twilio's headers for one request: its user agent and, with a token, its signature.

        The signature is computed when a transport first reads the headers: `ivr explore`
        answers most requests from memory, and those are never sent.
        """
        return _Headers(self.auth_token, method, url, params)


class _Headers(Mapping[str, str]):
    """One request's headers, signed on first read."""

    def __init__(self, token: str | None, method: str, url: str, params: Mapping[str, str]) -> None:
        self._token, self._method, self._url, self._params = token, method, url, params
        self._made: dict[str, str] | None = None

    def _headers(self) -> dict[str, str]:
        if self._made is None:
            self._made = {"User-Agent": USER_AGENT}
            if self._token:
                # For GET the fields travel in the URL, which is then signed on its own.
                signed, fields = (
                    (with_query(self._url, dict(self._params)), {})
                    if self._method == "GET"
                    else (self._url, self._params)
                )
                self._made["X-Twilio-Signature"] = _validator(self._token).compute_signature(
                    signed, _Fields(fields)
                )
        return self._made

    def __getitem__(self, name: str) -> str:
        return self._headers()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers())

    def __len__(self) -> int:
        return len(self._headers())


@functools.lru_cache(maxsize=8)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


class _Fields(dict[str, str]):
    """Request fields as RequestValidator reads them fastest (it asks for getall first)."""

    def getall(self, name: str) -> list[str]:
        return [self[name]]


def own_line(settings: Settings, lang: str | None = None) -> Line:
    """This app's number as the README's set-up configures it, for a simulated call.

    Webhook /voice (with ?lang= to start in a language), status callback /voice/status,
    Fallback URL /voice/fallback, at the public base URL the app checks signatures against,
    signed with the server's own token: every command and page that places a call to this
    app builds its line here.
    """
    base = settings.public_base_url or LOCAL_URL
    webhook = base + "/voice"
    return Line(
        webhook=with_query(webhook, {"lang": lang}) if lang else webhook,
        status_callback=base + "/voice/status",
        auth_token=settings.auth_token,
        fallback=base + "/voice/fallback",
    )
