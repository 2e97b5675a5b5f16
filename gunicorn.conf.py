"""gunicorn settings read from the project root: migrate once, before any worker starts.

The records schema is brought up to date by `ivr db upgrade` in a child process,
once, so the workers never race each other to migrate and never load Alembic.
Flags given on the command line (the Procfile's) still apply.
"""

import os
import subprocess
import sys


def on_starting(server) -> None:  # type: ignore[no-untyped-def]
    """Migrate the call records database; a failure stops gunicorn with its message."""
    if os.environ.get("IVR_RECORDS", "on").lower() == "off":
        return
    done = subprocess.run([sys.executable, "-m", "ivr", "db", "upgrade"], check=False)
    if done.returncode != 0:
        raise SystemExit(f"ivr db upgrade failed (exit {done.returncode}); not starting")
