"""A WSGI wrapper that times the CPU each request takes inside a gunicorn worker.

`make bench` serves `bench.timed:app` with IVR_BENCH_TARGET naming the real app
(`server:app`, `bench.ceiling:app`); each worker writes its request count and CPU
seconds to IVR_BENCH_STATS/<pid> when it exits. The CPU outside the app (TCP,
gunicorn, wrk) is then what the machine spent per request minus this.
"""

from __future__ import annotations

import atexit
import importlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_module, _, _name = os.environ["IVR_BENCH_TARGET"].partition(":")
_inner = getattr(importlib.import_module(_module), _name)
_spent = {"requests": 0, "cpu": 0.0}


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Call the target app, body and close included, on this thread's CPU clock."""
    started = time.thread_time()
    response = _inner(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):
            response.close()
    _spent["cpu"] += time.thread_time() - started
    _spent["requests"] += 1
    return [body]


@atexit.register
def _report() -> None:
    if _spent["requests"]:
        out = Path(os.environ["IVR_BENCH_STATS"]) / str(os.getpid())
        out.write_text(f"{_spent['requests']} {_spent['cpu']}\n")
