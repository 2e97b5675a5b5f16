"""The Flask application factory: load the menus once, then serve webhooks."""

from __future__ import annotations

import logging

from flask import Flask

from ivr import logs
from ivr.call.flow import Flow
from ivr.menu.loading import Menus
from ivr.records.database import RecordsError
from ivr.records.writes import Recorder
from ivr.settings import Clock, Settings
from ivr.web import last_good, webhooks
from ivr.web.apology import build_apology
from ivr.web.bodies import MAX_BODY, BodyDeadline
from ivr.web.proxy import TrustedProxyFix
from ivr.web.reloader import Reloader
from ivr.web.service import Derived, Service

log = logging.getLogger("ivr")


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Flask:
    """Build the app; refuse to start on unsafe settings, bad menus or an unusable database."""
    logs.configure()
    settings = settings or Settings.from_env()
    settings.check()
    menus = last_good.load(settings)  # menus.yaml, or the last good copy when it is broken
    for problem in menus.warnings:
        log.warning("%s", problem)
    if not settings.auth_token:
        log.warning(
            "TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked "
            "(development mode only)"
        )
    if settings.fixed_now:
        log.warning(
            "IVR_NOW is set: the server's clock is fixed at %s", settings.fixed_now.isoformat()
        )

    clock = clock or settings.clock()
    recorder = None
    if not settings.records:
        log.warning("IVR_RECORDS=off: calls are NOT recorded (for benchmarks only)")
    else:
        try:
            recorder = Recorder.open(settings, clock)
        except RecordsError as exc:
            log.error("%s", exc)
            raise

    # No app-wide /static: the simulator serves its own files behind its own access check.
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # any request Twilio can send, no more
    # Behind Heroku or ngrok the signed URL is the public one the proxy was asked for: its
    # forwarding headers are believed from trusted proxies only (ivr.web.proxy).
    # Under gunicorn each body is read whole within a deadline first (ivr.web.bodies).
    app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
        BodyDeadline(app.wsgi_app, limit=app.config["MAX_CONTENT_LENGTH"]),
        settings.trusted_proxies,
    )
    app.extensions["ivr"] = Service(
        settings=settings,
        menus=menus,
        clock=clock,
        **_derived(menus),
        recorder=recorder,
    )
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(webhooks.health)
    if settings.production and not settings.simulator_password:
        log.info("web simulator off: set IVR_SIMULATOR_PASSWORD to serve /simulator in production")
    else:
        from ivr.web import phone  # here: a production worker without it loads no simulator

        phone.register(app, build=create_app)
    reloader = Reloader(app, _derived, settings.reload_seconds)
    reloader.install_signal()
    app.extensions["ivr.web.reloader"] = reloader

    @app.before_request
    def _reload() -> None:
        reloader.check()  # a changed menus.yaml is picked up between requests

    log.info(
        "serving %s: %d nodes, languages %s, %s mode",
        menus.path,
        len(menus.nodes),
        "/".join(menus.languages),
        "production" if settings.production else "development",
    )
    if recorder is not None:
        log.info("call records in %s (spool %s)", recorder.shown, recorder.spool.directory)
    return app


def _derived(menus: Menus) -> Derived:
    """The parts of the Service built from the menus, rebuilt on a reload."""
    return {"flow": Flow(menus), "apology": build_apology(menus)}
