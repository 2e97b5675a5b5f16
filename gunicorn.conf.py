"""gunicorn reads this file from the working directory: the package's own settings, all of
them (`ivr serve` reads the same module)."""

from ivr.web.gunicorn_conf import *  # noqa: F403 (the module's __all__ is its settings)
