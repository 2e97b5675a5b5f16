"""Which proxies may say what URL a caller asked for: the trusted ones, and no one else.

Twilio signs the public URL it requested. Behind a proxy the app sees another one,
and the proxy says the public one in X-Forwarded-Proto/-Host/-Port. Those headers
are believed only from the addresses in FORWARDED_ALLOW_IPS, the list gunicorn
already uses for the scheme; from anyone else they are removed before Flask sees
the request, so a signature made for another host cannot be passed off as ours.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.settings import networks
from ivr.web.bodies import WsgiApp

TRUSTED_KEY = "ivr.trusted_proxy"  # set in the environ of a request a trusted proxy sent


class TrustedProxyFix:
    """werkzeug's ProxyFix for requests from trusted proxies; forwarding headers dropped
    from every other request."""

    def __init__(self, app: WsgiApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_proto=1, x_host=1, x_port=1)
        self.networks = networks(allowed)

    def trusts(self, remote_addr: str | None) -> bool:
        """True for an address in the list; like gunicorn, a UNIX socket's peer is local."""
        if self.networks is None:
            return True
        try:
            address = ipaddress.ip_address(remote_addr or "")
        except ValueError:
            return not remote_addr  # no address: a UNIX socket, reachable only on this host
        return any(address in network for network in self.networks)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if self.trusts(environ.get("REMOTE_ADDR")):
            environ[TRUSTED_KEY] = True
            fixed: Iterable[bytes] = self.fixed(environ, start_response)
            return fixed
        for key in list(_forwarding(environ)):
            del environ[key]
        return self.app(environ, start_response)


def _forwarding(environ: dict[str, Any]) -> Iterator[str]:
    for key in environ:
        if key.startswith("HTTP_X_FORWARDED_") or key == "HTTP_FORWARDED":
            yield key
