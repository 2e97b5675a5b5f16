"""gunicorn reads this file from the working directory: the package's own settings."""

from ivr.web.gunicorn_conf import (
    access_log_format,
    accesslog,
    bind,
    forwarded_allow_ips,
    on_starting,
    threads,
    worker_class,
    workers,
)

__all__ = [
    "access_log_format",
    "accesslog",
    "bind",
    "forwarded_allow_ips",
    "on_starting",
    "threads",
    "worker_class",
    "workers",
]
