"""The WSGI entry point for gunicorn in a checkout: `gunicorn server:app`."""

from ivr.web.wsgi import app

__all__ = ["app"]
