"""Twilio's request signature: the URL Twilio requested and the form it posted, checked
against `X-Twilio-Signature` with the auth token (twilio's `RequestValidator`)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr.settings import Settings
from ivr.web.proxy import TRUSTED_KEY


def refusal(
    settings: Settings,
    environ: Mapping[str, Any],
    path: str,
    form: MultiDict[str, str] | None,
    signature: str,
) -> str | None:
    """Why a request is refused (for the log), or None when no auth token is set or
    Twilio's signature is valid. `form` is the POST body's fields (None for a GET)."""
    token = settings.auth_token
    if not token:
        return None
    url = public_url(settings, environ, path)
    if url is None:
        return "403 no trusted public URL (set PUBLIC_BASE_URL)"
    validator = RequestValidator(token)
    # Twilio signs the URL exactly as requested: that is checked first, in constant time;
    # `validate` also tries it with and without a port, for the requests that need it.
    exact = validator.compute_signature(url, _AllValues(form) if form else {})
    if signature and (
        hmac.compare_digest(exact.encode(), signature.encode("utf-8", "replace"))
        or validator.validate(url, form if form is not None else {}, signature)
    ):
        return None
    return "403 bad signature" if signature else "403 no signature"


class _AllValues:
    """A form's fields as twilio's RequestValidator reads them: it asks for each name's
    values with `getall` first, which werkzeug's MultiDict calls `getlist` (else each field
    raises an AttributeError, caught, before the same values are read)."""

    __slots__ = ("form",)

    def __init__(self, form: MultiDict[str, str]) -> None:
        self.form = form

    def __iter__(self) -> Iterator[str]:
        return iter(self.form)

    def __len__(self) -> int:
        return len(self.form)

    def getall(self, name: str) -> list[str]:
        return self.form.getlist(name)


def public_url(settings: Settings, environ: Mapping[str, Any], path: str) -> str | None:
    """The URL Twilio requested, byte for byte: it signed that, not werkzeug's rebuild.

    Its scheme and host come from PUBLIC_BASE_URL, else from a trusted proxy's forwarding
    headers (ivr.web.proxy). In production nothing else is believed: a request's own Host
    names whatever its sender likes (None: no URL to check against).
    """
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    query = environ.get("QUERY_STRING", "")
    if not raw:
        raw = quote(path)
    if query and "?" not in raw:  # werkzeug's test client leaves the query out of RAW_URI
        raw += f"?{query}"
    if settings.public_base_url:
        return settings.public_base_url + raw
    if settings.production and not (
        # A trusted proxy that does not name the public host leaves the request's own
        # Host, which its sender chose: no URL to check against then either.
        environ.get(TRUSTED_KEY) and environ.get("HTTP_X_FORWARDED_HOST")
    ):
        return None
    host = environ.get("HTTP_HOST") or environ["SERVER_NAME"]
    return f"{environ['wsgi.url_scheme']}://{host}{raw}"
