"""gunicorn's settings for `ivr serve` (and for `gunicorn server:app` in a checkout).

The records schema is brought up to date by `ivr db upgrade` in a child process,
once, before any worker starts, so the workers never race each other to migrate
and never load Alembic. Flags given on the command line still apply.
"""

import subprocess
import sys
from typing import Any
from urllib.parse import quote

from gunicorn.glogging import Logger

from ivr.records.database import UNAVAILABLE
from ivr.settings import Settings

# Every setting, so the checkout's gunicorn.conf.py takes them all with one star import.
__all__ = [
    "access_log_format",
    "accesslog",
    "bind",
    "control_socket",
    "forwarded_allow_ips",
    "logger_class",
    "on_starting",
    "threads",
    "worker_class",
    "workers",
]

_settings = Settings.from_env()
bind = f"0.0.0.0:{_settings.port}" if _settings.port else "127.0.0.1:5000"
workers = 2
# Threads, not sync workers, and a request reaches a thread only once it is all there
# (ivr.web.worker): an idle, stalled or trickling connection waits in the worker's poller,
# so many slow clients cannot stall the others (README: Running it in production).
worker_class = "ivr.web.worker.ThreadWorker"
threads = 64
accesslog = "-"
# The path without its query: a call's URL can carry the number a caller is confirming
# (ivr.call.state), and the access log is a log like any other. No referer either.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'


class AccessLogger(Logger):
    """gunicorn's logger, with the path as it came (percent-encoded): the decoded one could
    carry a newline that forges a log line, or an escape sequence for the operator's
    terminal, from anyone who can reach the server."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        found: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        found["U"] = quote(environ.get("PATH_INFO") or "", safe="/:@!$&'()*+,;=-._~")
        return found


logger_class = AccessLogger
# gunicorn's control socket goes in the data directory: its default (one path per user)
# would be taken over by any second server on the host.
control_socket = str(_settings.instance_dir.absolute() / "gunicorn.ctl")
# The proxies whose X-Forwarded-Proto gunicorn believes: the same list the app believes
# for X-Forwarded-Host (ivr.web.proxy), read once by Settings.
forwarded_allow_ips = ",".join(_settings.trusted_proxies)


def on_starting(server: object) -> None:
    """Migrate the call records database; a failure stops gunicorn, an outage does not.

    A database that is down (exit 75) is waited out: the workers start in spool mode and
    migrate when it is back. A newer schema or a bad URL stops gunicorn with its message.
    """
    if not Settings.from_env().records:
        return
    done = subprocess.run([sys.executable, "-m", "ivr", "db", "upgrade"], check=False)
    if done.returncode == UNAVAILABLE:
        print("ivr: the records database is down; starting in spool mode", file=sys.stderr)
    elif done.returncode != 0:
        raise SystemExit(f"ivr db upgrade failed (exit {done.returncode}); not starting")
