"""gunicorn settings read from the project root: migrate once, before any worker starts.

The records schema is brought up to date by `ivr db upgrade` in a child process,
once, so the workers never race each other to migrate and never load Alembic.
Flags given on the command line (the Procfile's) still apply.
"""

import subprocess
import sys

from ivr.settings import Settings


def on_starting(server) -> None:  # type: ignore[no-untyped-def]
    """Migrate the call records database; a failure stops gunicorn with its message."""
    if not Settings.from_env().records:
        return
    done = subprocess.run([sys.executable, "-m", "ivr", "db", "upgrade"], check=False)
    if done.returncode != 0:
        raise SystemExit(f"ivr db upgrade failed (exit {done.returncode}); not starting")
