"""Settings from the environment: the only place secrets and numbers come from."""

from __future__ import annotations

import datetime
import ipaddress
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

Clock = Callable[[], datetime.datetime]
DEFAULT_PROXIES = ("127.0.0.1", "::1")  # gunicorn's forwarded_allow_ips default


class SettingsError(Exception):
    """A setting that stops the server from starting safely."""


@dataclass(frozen=True)
class Settings:
    """How one server instance runs: every environment variable, read once, in one place."""

    menus_path: Path = field(default_factory=lambda: default_menus())
    production: bool = False
    auth_token: str | None = field(default=None, repr=False)
    public_base_url: str | None = None
    # FORWARDED_ALLOW_IPS, gunicorn's own variable: the proxies whose X-Forwarded-* headers
    # are believed (None: not set, gunicorn's default of this host only).
    forwarded_allow_ips: tuple[str, ...] | None = None
    fixed_now: datetime.datetime | None = None
    trace: bool = False  # send X-IVR-Nodes (the nodes an answer passed) over HTTP
    instance_dir: Path = Path("instance")  # runtime data: records, spool, last good menu
    database_url: str | None = field(default=None, repr=False)  # None: SQLite in instance_dir
    spool_dir: Path | None = None  # None: instance_dir / "spool"
    records: bool = True  # False only for benchmarks
    reload_seconds: float = 2.0  # how often a worker looks at menus.yaml; 0 never
    simulator_password: str | None = field(default=None, repr=False)
    port: int | None = None  # PORT: where `ivr serve` listens (Heroku-style hosts set it)
    # The values menus.yaml may name as ${NAME} (numbers), and nothing else reads them.
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read every IVR_*, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, FORWARDED_ALLOW_IPS and
        DATABASE_URL variable.

        `overrides` replace what the environment says (tests, the CLI's options).
        """
        env = dict(os.environ if env is None else env)
        mode = env.get("IVR_ENV", "development").strip().lower()
        if mode not in ("development", "production"):
            raise SettingsError(f"IVR_ENV is '{mode}'; use 'development' or 'production'")
        instance = Path(env.get("IVR_INSTANCE_DIR") or "instance")
        settings = cls(
            menus_path=Path(env["IVR_MENUS"]) if env.get("IVR_MENUS") else default_menus(),
            production=mode == "production",
            auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            public_base_url=_base_url(env.get("PUBLIC_BASE_URL")),
            forwarded_allow_ips=_addresses(env.get("FORWARDED_ALLOW_IPS")),
            fixed_now=parse_now(env["IVR_NOW"]) if env.get("IVR_NOW") else None,
            trace=env.get("IVR_TRACE", "") == "1" or mode == "development",
            instance_dir=instance,
            database_url=(env.get("DATABASE_URL") or "").strip() or None,
            spool_dir=Path(env["IVR_SPOOL_DIR"]) if env.get("IVR_SPOOL_DIR") else None,
            records=env.get("IVR_RECORDS", "on").strip().lower() != "off",
            reload_seconds=_seconds(env.get("IVR_RELOAD_SECONDS"), 2.0),
            simulator_password=env.get("IVR_SIMULATOR_PASSWORD") or None,
            port=int(env["PORT"]) if env.get("PORT", "").isdigit() else None,
            env=env,
        )
        return replace(settings, **overrides)

    @property
    def spool(self) -> Path:
        """Where writes the database could not take wait to be replayed."""
        return self.spool_dir or self.instance_dir / "spool"

    @property
    def trusted_proxies(self) -> tuple[str, ...]:
        """The addresses whose forwarding headers are believed (gunicorn's default)."""
        return self.forwarded_allow_ips or DEFAULT_PROXIES

    @property
    def flask_cli(self) -> bool:
        """Whether Flask's development server (`flask run`) is serving."""
        return self.env.get("FLASK_RUN_FROM_CLI") == "true"

    def check(self) -> None:
        """Refuse settings that would serve callers unsafely."""
        if self.production and not self.auth_token:
            raise SettingsError(
                "IVR_ENV=production needs TWILIO_AUTH_TOKEN: without it anyone "
                "could drive the menu. Set it to the account's auth token."
            )
        if self.production and self.flask_cli:
            raise SettingsError(
                "IVR_ENV=production must not run on Flask's development "
                "server; serve it with gunicorn (see the Procfile)"
            )
        if self.production and not (self.public_base_url or self.forwarded_allow_ips):
            raise SettingsError(
                "IVR_ENV=production needs PUBLIC_BASE_URL (the https://HOST Twilio calls; "
                "signatures are checked against it) or, behind a proxy that says the public "
                "host in X-Forwarded-Host, FORWARDED_ALLOW_IPS (the proxy's addresses, or "
                "'*' where only the proxy can reach the server). A request's own Host "
                "header is not trusted for signatures."
            )

    def clock(self) -> Clock:
        """Return the server's clock: IVR_NOW when set, else the real time."""
        if self.fixed_now is not None:
            fixed = self.fixed_now
            return lambda: fixed
        return lambda: datetime.datetime.now(datetime.UTC)


def default_menus() -> Path:
    """menus.yaml in the working directory, else the hotline shipped inside the package."""
    here = Path("menus.yaml")
    if here.is_file():
        return here.absolute()
    return Path(str(resources.files("ivr.menu") / "hotline.yaml"))


def parse_now(text: str) -> datetime.datetime:
    """Parse an ISO-8601 time with an offset, e.g. 2026-11-23T21:00:00+08:00."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SettingsError(
            f"'{text}' is not an ISO-8601 time like 2026-11-23T21:00:00+08:00"
        ) from None
    if value.tzinfo is None:
        raise SettingsError(f"'{text}' has no UTC offset; add one, e.g. +08:00")
    return value


def _base_url(text: str | None) -> str | None:
    """PUBLIC_BASE_URL without its trailing slash; refused unless it is http(s)://HOST."""
    value = (text or "").strip().rstrip("/")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise SettingsError(
            f"PUBLIC_BASE_URL is '{value}'; use the URL Twilio calls, like https://ivr.example.com"
        )
    return value


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: Iterable[str]) -> tuple[Network, ...] | None:
    """FORWARDED_ALLOW_IPS entries as networks; None for '*' (any address).

    The one reading of the list: checked here at start-up, used by ivr.web.proxy.
    """
    found: list[Network] = []
    for entry in entries:
        if entry == "*":
            return None
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise SettingsError(
                f"FORWARDED_ALLOW_IPS has '{entry}', which is not an address or network"
            ) from None
    return tuple(found)


def _addresses(text: str | None) -> tuple[str, ...] | None:
    """FORWARDED_ALLOW_IPS as gunicorn reads it: addresses or networks, commas between."""
    entries = tuple(e.strip() for e in (text or "").split(",") if e.strip())
    if not entries:
        return None
    networks(entries)  # refuse a bad entry now, with its name
    return entries


def _seconds(text: str | None, default: float) -> float:
    try:
        return float(text) if text else default
    except ValueError:
        return default
