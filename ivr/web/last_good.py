"""The last good menu: kept in the data directory, served when menus.yaml is broken at start.

Each time menus.yaml validates (at start or on a reload) its text is kept as
`last-good-menus.yaml` in the data directory. A worker that starts while the file
is invalid (a save gone wrong, then a restart or a crash) serves that copy and logs
the validator's errors at error level, on every start, until the file is fixed.
Only a first-ever start, with nothing kept yet, refuses.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from ivr.menu.loading import Menus, load_menus
from ivr.menu.problems import MenuError
from ivr.settings import Settings

log = logging.getLogger("ivr.web.last_good")
NAME = "last-good-menus.yaml"


def kept_path(settings: Settings) -> Path:
    """Where the last menu that validated is kept."""
    return settings.instance_dir / NAME


def load(settings: Settings) -> Menus:
    """Load menus.yaml and keep it; if it is invalid, the last good copy (or raise MenuError)."""
    try:
        menus = load_checked(settings)
    except MenuError as exc:
        for problem in exc.problems:
            log.error("%s", problem)
        kept = kept_path(settings)
        if not kept.is_file():
            raise
        log.error(
            "%s is invalid (above); serving the last good menu kept at %s until it is fixed",
            settings.menus_path,
            kept,
        )
        return load_menus(kept, settings.env, settings.production)
    return menus


def load_checked(settings: Settings) -> Menus:
    """Load menus.yaml; when it validates, keep its text as the last good menu."""
    try:
        text = settings.menus_path.read_bytes()
    except OSError:
        text = None  # load_menus says what is wrong with the path
    menus = load_menus(settings.menus_path, settings.env, settings.production)
    if text is not None:
        keep(settings, text)
    return menus


def keep(settings: Settings, text: bytes) -> None:
    """Write the text that validated, atomically (a crash leaves the old copy or the new)."""
    kept = kept_path(settings)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        if kept.is_file() and kept.read_bytes() == text:
            return
        fd, temporary = tempfile.mkstemp(dir=kept.parent, prefix=".last-good-")
        with os.fdopen(fd, "wb") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, kept)
    except OSError as exc:  # a read-only data directory: serving goes on, without the copy
        log.warning("cannot keep the last good menu at %s: %s", kept, exc)
