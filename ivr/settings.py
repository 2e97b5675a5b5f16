"""Settings from the environment: the only place secrets and numbers come from."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
Clock = Callable[[], datetime.datetime]


class SettingsError(Exception):
    """A setting that stops the server from starting safely."""


@dataclass(frozen=True)
class Settings:
    """How one server instance runs."""

    menus_path: Path = PROJECT_ROOT / "menus.yaml"
    production: bool = False
    auth_token: str | None = field(default=None, repr=False)
    public_base_url: str | None = None
    fixed_now: datetime.datetime | None = None
    trace: bool = False  # send X-IVR-Nodes (the nodes an answer passed) over HTTP
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read IVR_MENUS, IVR_ENV, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, IVR_NOW and IVR_TRACE."""
        env = dict(os.environ if env is None else env)
        mode = env.get("IVR_ENV", "development").strip().lower()
        if mode not in ("development", "production"):
            raise SettingsError(f"IVR_ENV is '{mode}'; use 'development' or 'production'")
        return cls(
            menus_path=Path(env.get("IVR_MENUS") or PROJECT_ROOT / "menus.yaml"),
            production=mode == "production",
            auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            public_base_url=(env.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
            fixed_now=parse_now(env["IVR_NOW"]) if env.get("IVR_NOW") else None,
            trace=env.get("IVR_TRACE", "") == "1" or mode == "development",
            env=env,
        )

    def check(self) -> None:
        """Refuse settings that would serve callers unsafely."""
        if self.production and not self.auth_token:
            raise SettingsError("IVR_ENV=production needs TWILIO_AUTH_TOKEN: without it anyone "
                                "could drive the menu. Set it to the account's auth token.")
        if self.production and self.env.get("FLASK_RUN_FROM_CLI") == "true":
            raise SettingsError("IVR_ENV=production must not run on Flask's development "
                                "server; serve it with gunicorn (see the Procfile)")

    def clock(self) -> Clock:
        """Return the server's clock: IVR_NOW when set, else the real time."""
        if self.fixed_now is not None:
            fixed = self.fixed_now
            return lambda: fixed
        return lambda: datetime.datetime.now(datetime.UTC)


def parse_now(text: str) -> datetime.datetime:
    """Parse an ISO-8601 time with an offset, e.g. 2026-11-23T21:00:00+08:00."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SettingsError(f"'{text}' is not an ISO-8601 time like "
                            "2026-11-23T21:00:00+08:00") from None
    if value.tzinfo is None:
        raise SettingsError(f"'{text}' has no UTC offset; add one, e.g. +08:00")
    return value
