"""Safe reloads of menus.yaml while calls go on.

Each worker checks the file at most every `interval` seconds (IVR_RELOAD_SECONDS,
default 2; 0 turns the check off), and at once after SIGHUP. A new file that
validates replaces the menu between two requests; one that does not is refused
with the validator's messages and the last good menu keeps serving. A call in
progress whose node no longer exists goes to the main menu (see Flow._checked).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.menu.loading import Menus
from ivr.menu.problems import MenuError
from ivr.web import last_good

if TYPE_CHECKING:
    from ivr.web.service import Derived

log = logging.getLogger("ivr.reload")


class Reloader:
    """Watches one menus file for one app."""

    def __init__(self, app: Any, build: Callable[[Menus], Derived], interval: float = 2.0) -> None:
        self.app = app
        self.build = build  # menus -> the Service fields that depend on them
        self.interval = interval
        self.requested = False
        self._next_check = time.monotonic() + interval
        self._stamp = self._file_stamp()
        # Whether the file on disk is not the menu served: invalid (refused at start or on a
        # reload, the last good one serving) or gone; /healthz says so for monitoring.
        service = app.extensions["ivr"]
        self.stale = Path(service.menus.path) != Path(service.settings.menus_path)

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.app.extensions["ivr"].settings.menus_path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def install_signal(self) -> bool:
        """Reload on SIGHUP (only possible from the main thread); return whether it did."""
        if threading.current_thread() is not threading.main_thread():
            return False
        signal.signal(signal.SIGHUP, self._on_signal)
        return True

    def _on_signal(self, signum: int, frame: object) -> None:
        # A signal handler must not do I/O; the next request does the work.
        self.requested = True

    def check(self) -> bool:
        """Reload when asked or when the file changed; return whether the menu changed."""
        if not self.requested:
            if self.interval <= 0 or time.monotonic() < self._next_check:
                return False
            self._next_check = time.monotonic() + self.interval
        stamp = self._file_stamp()
        service = self.app.extensions["ivr"]
        settings = service.settings
        if stamp is None:
            if self._stamp is not None:  # said once, when it goes
                log.error("%s is gone; still serving the last menu", settings.menus_path)
                self._stamp, self.stale = None, True
            return False
        if stamp == self._stamp and not self.requested:
            return False
        self.requested, self._stamp = False, stamp
        try:
            menus = last_good.load_checked(settings)  # kept as the last good menu too
        except MenuError as exc:
            log.error(
                "%s changed but is invalid; still serving the last good menu:\n%s",
                settings.menus_path,
                exc,
            )
            self.stale = True
            return False
        self.app.extensions["ivr"] = dataclasses.replace(service, menus=menus, **self.build(menus))
        self.stale = False
        log.info("reloaded %s: %d nodes", settings.menus_path, len(menus.nodes))
        return True
