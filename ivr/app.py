"""The Flask application factory: load the menus once, then serve webhooks."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr import webhooks
from ivr.flow import Flow
from ivr.menus import Menus, load_menus
from ivr.problems import MenuError
from ivr.settings import Clock, Settings

log = logging.getLogger("ivr")


@dataclass(frozen=True)
class Service:
    """What every request needs, built once at start-up."""

    settings: Settings
    menus: Menus
    flow: Flow
    clock: Clock
    apology: str  # TwiML for when a handler fails: prebuilt so it cannot fail itself


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Flask:
    """Build the app; refuse to start on unsafe settings or an invalid menus file."""
    _configure_logging()
    settings = settings or Settings.from_env()
    settings.check()
    try:
        menus = load_menus(settings.menus_path, settings.env, settings.production)
    except MenuError as exc:
        for problem in exc.problems:
            log.error("%s", problem)
        raise
    for problem in menus.warnings:
        log.warning("%s", problem)
    if not settings.auth_token:
        log.warning("TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked "
                     "(development mode only)")
    if settings.fixed_now:
        log.warning("IVR_NOW is set: the server's clock is fixed at %s",
                    settings.fixed_now.isoformat())

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # Twilio's requests are a few KB
    # Behind Heroku or ngrok the signed URL is the public one the proxy was asked for.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1, x_port=1)  # type: ignore[method-assign]
    app.extensions["ivr"] = Service(
        settings=settings,
        menus=menus,
        flow=Flow(menus),
        clock=clock or settings.clock(),
        apology=webhooks.apology_twiml(menus),
    )
    app.register_blueprint(webhooks.bp)
    log.info("serving %s: %d nodes, languages %s, %s mode", menus.path, len(menus.nodes),
             "/".join(menus.languages), "production" if settings.production else "development")
    return app


def _configure_logging() -> None:
    # Only when nobody (gunicorn, pytest, an embedding app) has set up logging already.
    ours = logging.getLogger("ivr")
    if not ours.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        ours.addHandler(handler)
    if ours.level == logging.NOTSET:
        ours.setLevel(logging.INFO)
