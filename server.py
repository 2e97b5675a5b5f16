"""The WSGI entry point for gunicorn: `gunicorn server:app`."""

from ivr.app import create_app

app = create_app()
