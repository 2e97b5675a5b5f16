"""The phone in the browser: the /simulator page and a small JSON API over the simulator.

A call placed from the page is run by the simulator's own interpreter on the server
(`ivr.simulator.live.LiveCall`: one thread per call, waiting for the page's next action),
against this app in-process, or a copy of it whose clock is fixed at the time the page
chose. So the transcript is exactly what `ivr simulate` prints; nothing here or in the
page interprets TwiML. This module is the web edge: who may use it, the JSON API, the
sessions of open tabs, and the apps for chosen times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import logging
import secrets
import threading
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
)
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ivr.menu.graph import mermaid
from ivr.menu.phrases import family
from ivr.simulator import WsgiTransport
from ivr.simulator.callers import (
    DIAL_STATUSES,
    CallerAction,
    DialOutcome,
    HangUp,
    Keys,
    Message,
    Silence,
    Speech,
)
from ivr.simulator.line import own_line
from ivr.simulator.live import DEFAULT_FROM, TURN_WAIT, CallOptions, LiveCall, Refused
from ivr.simulator.scenarios import HUNG_UP, Scenario, Turn, dump_scenario, recorded_steps
from ivr.simulator.transport import resolve_url, with_query

if TYPE_CHECKING:
    from ivr.menu.hours import Schedule
    from ivr.menu.loading import Menus
    from ivr.settings import Settings
    from ivr.web.service import Service

log = logging.getLogger("ivr.web.phone")

PREFIX = "/simulator"
MAX_SESSIONS = 50
IDLE_EXPIRY = 600.0  # seconds without a request from its page before a call is hung up
MAX_CLOCKS = 8  # apps with a fixed clock kept at once
RECORDS_FILE = "simulator.sqlite3"  # the phone's calls, in the data directory: never the real ones
DEFAULT_ZONE = "Asia/Shanghai"
MAX_TEXT = 500  # characters of speech or of a recorded message
MAX_KEYS = 32
_LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
SECURITY_HEADERS = {
    # Scripts only from this server. Mermaid writes a <style> into the SVG it renders,
    # hence 'unsafe-inline' for styles (and styles only).
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

bp = Blueprint(
    "simulator",
    __name__,
    url_prefix=PREFIX,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


class ApiError(Exception):
    """A request the API refuses: an HTTP status and a sentence for the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def register(
    app: Flask,
    build: Callable[[Settings], Flask],
    *,
    max_sessions: int = MAX_SESSIONS,
    idle_expiry: float = IDLE_EXPIRY,
) -> None:
    """Serve /simulator: always in development, in production only with a password.

    `build` makes an app from settings (create_app): a call at a chosen time runs on an
    app whose clock is fixed there.
    """
    service: Service = app.extensions["ivr"]
    settings = service.settings
    password = settings.simulator_password
    if settings.production and not password:
        return  # off (create_app says so in the log)
    if bp.name in app.blueprints:
        return
    if password and len(password) < 12:
        log.warning(
            "IVR_SIMULATOR_PASSWORD is shorter than 12 characters; anyone who "
            "guesses it can place simulated calls"
        )
    app.extensions["ivr.web.phone"] = WebSimulator(
        settings, password, build, max_sessions, idle_expiry
    )
    app.register_blueprint(bp)
    if not settings.production and not any(r.rule == "/" for r in app.url_map.iter_rules()):
        # In development the server's root leads to the phone; in production it stays a 404.
        app.add_url_rule("/", "phone_home", lambda: redirect(f"{PREFIX}/"))
    log.info("web simulator at %s%s", PREFIX, " (basic auth)" if password else "")


def _simulator() -> WebSimulator:
    simulator: WebSimulator = current_app.extensions["ivr.web.phone"]  # extensions hold Any
    return simulator


def _service() -> Service:
    service: Service = current_app.extensions["ivr"]  # Flask's extensions hold Any
    return service


# -- sessions and clocks ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Input:
    """What the caller did, with where the transcript stood and what the call waited for."""

    action: CallerAction
    before: int  # the number of transcript events before the action
    waiting: dict[str, Any]


class PhoneCall(LiveCall):
    """A call placed from the page: a LiveCall that also keeps what the caller did, in order,
    so the page can export it as a scenario."""

    def __init__(self, sid: str, options: CallOptions, idle_expiry: float, placed: dt.datetime):
        super().__init__(sid, options, idle_expiry)
        self.placed = placed  # the app's clock when the call was placed
        self.inputs: list[Input] = []

    def act(self, action: CallerAction, timeout: float = TURN_WAIT) -> None:
        """Hand the call an action (as LiveCall does) and keep it once taken."""
        with self._cond:
            before, waiting = len(self.events), dict(self.waiting or {})
        super().act(action, timeout)  # Refused: nothing was taken, nothing is kept
        self.inputs.append(Input(action, before, waiting))


class WebSimulator:
    """Every call placed from a browser on this server, and the apps their clocks need."""

    def __init__(
        self,
        settings: Settings,
        password: str | None,
        build: Callable[[Settings], Flask],
        max_sessions: int = MAX_SESSIONS,
        idle_expiry: float = IDLE_EXPIRY,
    ) -> None:
        self.settings = settings
        self.password = password
        self.build = build
        self.max_sessions = max_sessions
        self.idle_expiry = idle_expiry
        self.sessions: dict[str, PhoneCall] = {}
        self._lock = threading.Lock()
        # Keyed by the fixed clock (None: the server's own); least recent first.
        self._apps: OrderedDict[dt.datetime | None, Flask] = OrderedDict()
        self._build_lock = threading.Lock()

    def place(self, chosen: CallOptions, now: dt.datetime) -> PhoneCall:
        """Start a call from the page with its settings; refuse when the server is full.

        The call runs on an app of its own (the server's clock, or the chosen one) whose
        records go to RECORDS_FILE in the data directory, not to the records an operator
        reads: simulated calls are nobody's calls. `now` is the server's clock, kept with
        the call for its export.
        """
        self.reap()
        with self._lock:
            self._make_room()
            placed = chosen.at or now
            session = PhoneCall(secrets.token_urlsafe(16), chosen, self.idle_expiry, placed)
            self.sessions[session.id] = session  # holds its place, and its clock's app
        try:
            target = self._app_at(chosen.at)
        except Exception:
            with self._lock:
                self.sessions.pop(session.id, None)
            raise
        line = own_line(self.settings, chosen.lang)
        if chosen.node:  # "call from here": the redirect our TwiML uses, never /voice
            query = {"node": chosen.node, **({"lang": chosen.lang} if chosen.lang else {})}
            line = line.to(resolve_url(line.webhook, with_query("/voice/enter", query)))
        service: Service = target.extensions["ivr"]

        def verdicts() -> list[dict[str, Any]]:
            return [v.as_dict() for v in service.time_verdicts()]

        session.start(WsgiTransport(target, line.webhook), line, verdicts)
        session.wait_for_turn()
        return session

    def find(self, sid: str) -> PhoneCall:
        """Return a session by id, noting that its page is still there."""
        self.reap()
        with self._lock:
            session = self.sessions.get(sid)
        if session is None:
            raise ApiError(
                404,
                "no such call on this server: it ended more than "
                f"{self.idle_expiry / 60:.0f} minutes ago, or the server "
                "restarted; place a new call",
            )
        session.touch()
        return session

    def reap(self) -> None:
        """Hang up calls whose page has gone quiet and forget them."""
        with self._lock:
            idle = [s for s in self.sessions.values() if s.idle()]
            for session in idle:
                del self.sessions[session.id]
        for session in idle:
            session.hang_up("expired", timeout=1.0)

    def close(self) -> None:
        """Hang up every call and close the fixed-clock apps (for shutdown and tests)."""
        with self._lock:
            sessions, self.sessions = list(self.sessions.values()), {}
            apps, self._apps = list(self._apps.values()), OrderedDict()
        for session in sessions:
            session.hang_up("shutdown", timeout=2.0)
        for app in apps:
            _close_app(app)

    def _make_room(self) -> None:
        if len(self.sessions) < self.max_sessions:
            return
        ended = sorted((s for s in self.sessions.values() if not s.live), key=lambda s: s.last_seen)
        for session in ended[: len(self.sessions) - self.max_sessions + 1]:
            del self.sessions[session.id]
        if len(self.sessions) >= self.max_sessions:
            raise ApiError(
                503,
                f"{self.max_sessions} simulated calls are in progress on "
                "this server; hang one up or try again in a few minutes",
            )

    def _app_at(self, at: dt.datetime | None) -> Flask:
        """Return an app for calls at `at` (None: the server's clock), built on first use."""
        with self._build_lock:  # one build at a time, so one app per time
            with self._lock:
                if at in self._apps:
                    self._apps.move_to_end(at)
                    return self._apps[at]
                spares = self._spare_apps()
            for spare in spares:
                _close_app(spare)
            data = self.settings.instance_dir
            settings = dataclasses.replace(
                self.settings,
                fixed_now=at or self.settings.fixed_now,
                database_url=f"sqlite:///{(data / RECORDS_FILE).absolute()}",
                spool_dir=data / "simulator-spool",
            )
            when = at.isoformat() if at else "the server's time"
            try:
                app = self.build(settings)
            except Exception as exc:  # e.g. menus.yaml edited into an invalid state since
                log.exception("web simulator: cannot build the app for %s", when)
                raise ApiError(
                    503, f"cannot serve a call at {when}: {exc}; see the server log"
                ) from exc
            with self._lock:
                self._apps[at] = app
            return app

    def _spare_apps(self) -> list[Flask]:
        """Drop the least recent apps no live call uses, to make room for one more."""
        in_use = {s.options.at for s in self.sessions.values() if s.live}
        dropped = []
        while len(self._apps) >= MAX_CLOCKS:
            spare = next((key for key in self._apps if key not in in_use), None)
            if spare is None:
                raise ApiError(
                    503,
                    f"calls at {MAX_CLOCKS} different times are in progress; "
                    "hang one up, or use the server's clock",
                )
            dropped.append(self._apps.pop(spare))
        return dropped


def _close_app(app: Flask) -> None:
    recorder = getattr(app.extensions["ivr"], "recorder", None)
    if recorder is not None:
        recorder.close()
    simulator = app.extensions.get("ivr.web.phone")
    if simulator is not None:
        simulator.close()


# -- input ------------------------------------------------------------------------------------


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "send a JSON object (Content-Type: application/json)")
    return body


def _text(body: dict[str, Any], name: str, limit: int = MAX_TEXT) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ApiError(400, f"'{name}' must be text")
    if len(value) > limit:
        raise ApiError(400, f"'{name}' is longer than {limit} characters")
    return value.strip()


def parse_action(body: dict[str, Any]) -> CallerAction:
    """Turn the page's JSON into a caller action; ApiError(400) says what is wrong."""
    kind = body.get("type")
    if kind == "keys":
        keys = _text(body, "keys", MAX_KEYS)
        try:
            return Keys(keys)
        except ValueError:
            raise ApiError(400, f"keys must be 0-9, * or #, not {keys!r}") from None
    if kind == "speech":
        text = _text(body, "text")
        if not text:
            raise ApiError(400, "say something: 'text' is empty")
        return Speech(text)
    if kind == "silence":
        return Silence()
    if kind == "dial":
        status = body.get("status")
        if status not in DIAL_STATUSES:
            raise ApiError(400, f"'status' must be one of {', '.join(DIAL_STATUSES)}")
        return DialOutcome(status)
    if kind == "message":  # "hangup": true ends it by hanging up, as most callers do
        return Message(_text(body, "text"), hangup=body.get("hangup") is True)
    if kind == "hangup":
        return HangUp()
    raise ApiError(400, "'type' must be keys, speech, silence, dial, message or hangup")


def parse_call(
    body: dict[str, Any],
    languages: tuple[str, ...],
    zone: zoneinfo.ZoneInfo,
    nodes: Collection[str] = (),
) -> CallOptions:
    """Read the page's call settings; a time without an offset is in the menu's time zone.

    `node` (one of `nodes`) starts the call there instead of at the start of the menu.
    """
    number = _text(body, "from", 20) or DEFAULT_FROM
    digits = number.removeprefix("+")
    if not (digits.isascii() and digits.isdigit() and 3 <= len(digits) <= 15):
        raise ApiError(400, f"caller number {number!r} must be digits, e.g. +8613800138000")
    lang = _text(body, "lang", 20) or None
    if lang is not None and lang not in languages:
        raise ApiError(400, f"language {lang!r} is not one of the menu's: {', '.join(languages)}")
    at = parse_at(_text(body, "at", 40), zone)
    node = _text(body, "node", 64) or None
    if node is not None and node not in nodes:
        raise ApiError(400, f"node {node!r} is not in the menu")
    return CallOptions(number, lang, at, node)


def parse_at(text: str, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """Read a chosen time (empty: the server's clock); without an offset it is in `zone`."""
    if not text:
        return None
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, f"time {text!r} is not like 2026-11-23T21:00") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    if not 2000 <= at.year <= 2099:
        raise ApiError(400, "choose a time between the years 2000 and 2099")
    return at


# -- the menu's time zone and quick times ----------------------------------------------------


def _schedule(service: Service) -> Schedule | None:
    return next(iter(service.menus.schedules.values()), None)


def _zone(service: Service) -> zoneinfo.ZoneInfo:
    schedule = _schedule(service)
    return schedule.zone if schedule else zoneinfo.ZoneInfo(DEFAULT_ZONE)


def presets(schedule: Schedule | None, now: dt.datetime) -> list[dict[str, str]]:
    """Suggest times worth trying: open, after hours, and a holiday whose hours differ."""
    if schedule is None:
        return []
    zone = schedule.zone
    today = now.astimezone(zone).date()
    found: list[dict[str, str]] = []

    def add(label: str, day: dt.date, hour: int) -> None:
        moment = dt.datetime.combine(day, dt.time(hour), zone)
        found.append(
            {
                "label": f"{label} · {day:%a %d %b} {hour:02d}:00",
                "at": moment.strftime("%Y-%m-%dT%H:%M"),
                "open": "open" if schedule.is_open(moment) else "closed",
            }
        )

    days = [today + dt.timedelta(days=n) for n in range(1, 400)]
    plain = [d for d in days if schedule.hours_on(d) == schedule.weekly[d.weekday()]]
    opening = next(
        (d for d in plain[:14] if schedule.is_open(dt.datetime.combine(d, dt.time(10), zone))), None
    )
    if opening:
        add("Open", opening, 10)
    closing = next(
        (d for d in plain[:14] if not schedule.is_open(dt.datetime.combine(d, dt.time(21), zone))),
        None,
    )
    if closing:
        add("After hours", closing, 21)
    for day in days:
        special, usual = schedule.hours_on(day), schedule.weekly[day.weekday()]
        hour = next((h for h in range(24) if _open_at(special, h) != _open_at(usual, h)), None)
        if hour is not None:
            add("Holiday hours", day, hour)
            break
    return found


def _open_at(ranges: tuple[Any, ...], hour: int) -> bool:
    minute = hour * 60
    return any(r.start_minutes <= minute < r.end_minutes for r in ranges)


# -- the routes -------------------------------------------------------------------------------


def _ours(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


@bp.before_app_request
def _guard() -> Response | None:
    """Ask for the password (when one is set) and refuse cross-site writes."""
    if not _ours(request.path):
        return None
    password = _simulator().password
    if password is not None:
        given = request.authorization.password if request.authorization else None
        if given is None or not hmac.compare_digest(given.encode(), password.encode()):
            response = _error(401, "the simulator needs the password (IVR_SIMULATOR_PASSWORD)")
            response.headers["WWW-Authenticate"] = 'Basic realm="ivr simulator", charset="UTF-8"'
            return response
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        origin = request.headers.get("Origin")
        if request.headers.get("Sec-Fetch-Site") == "cross-site" or (
            origin and origin.rstrip("/") != request.host_url.rstrip("/")
        ):
            return _error(403, "cross-site requests are refused")
    return None


@bp.after_app_request
def _headers(response: Response) -> Response:
    if _ours(request.path):
        response.headers.update(SECURITY_HEADERS)
        if request.path.startswith(f"{PREFIX}/api/"):
            response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def _not_found(exc: HTTPException) -> Response | HTTPException:
    # Registered app-wide because routing fails before any blueprint is known;
    # everything outside the simulator's API keeps Flask's own error pages.
    if request.path.startswith(f"{PREFIX}/api/"):
        response = _error(exc.code or 404, exc.description or "not found")
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response
    return exc


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return _error(exc.status, exc.message)


@bp.errorhandler(Refused)
def _refused(exc: Refused) -> Response:
    return _error(409, str(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response | HTTPException:
    if request.path.startswith(f"{PREFIX}/api/"):
        return _error(exc.code or 500, exc.description or "error")
    return exc


@bp.errorhandler(Exception)
def _failed(exc: Exception) -> Response:
    log.exception("web simulator: %s %s failed", request.method, request.path)
    return _error(500, "the simulator failed; see the server log")


def _error(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response


@bp.get("")
@bp.get("/")
def page() -> str:
    """Serve the phone page."""
    service = _service()
    languages = [
        (lang, f"{_LANGUAGE_NAMES.get(family(lang), lang)} · {lang}")
        for lang in service.menus.languages
    ]
    zone = _zone(service)
    offset = dt.datetime.now(zone).strftime("%z")
    return render_template(
        "simulator.html",
        languages=languages,
        zone=zone.key,
        menus_file=Path(service.menus.path).name,
        offset=f"{offset[:3]}:{offset[3:]}",
        default_from=DEFAULT_FROM,
        api=f"{PREFIX}/api",
        signed=bool(service.settings.auth_token),
    )


@bp.get("/api/menu")
def menu() -> Response:
    """Describe the menu: languages, its diagram, time zone and times worth trying."""
    service = _service()
    menus = service.menus
    zone = _zone(service)
    return jsonify(
        languages=list(menus.languages),
        start=menus.start,
        main=menus.main_menu,
        nodes=list(menus.nodes),
        mermaid=mermaid(menus),
        timezone=zone.key,
        presets=presets(_schedule(service), service.clock()),
        idle_expiry=_simulator().idle_expiry,
    )


@bp.get("/api/clock")
def clock() -> Response:
    """Tell the hours verdicts at ?at= (the clock picker's time; none: the server's clock),
    in the shape each call's snapshot gives its own clock."""
    service = _service()
    at = parse_at(request.args.get("at", "").strip(), _zone(service))
    return jsonify(
        fixed=at.isoformat() if at else None,
        verdicts=[v.as_dict() for v in service.time_verdicts(at)],
    )


@bp.post("/api/calls")
def place_call() -> tuple[Response, int]:
    """Place a call with the page's settings; answer once it waits for the caller."""
    service = _service()
    chosen = parse_call(_json_body(), service.menus.languages, _zone(service), service.menus.nodes)
    session = _simulator().place(chosen, service.clock())
    return jsonify(_snapshot(session)), 201


@bp.get("/api/calls/<sid>")
def poll(sid: str) -> Response:
    """Return the transcript from ?since=N on and what the call waits for."""
    since = request.args.get("since", "0")
    if not since.isdigit():
        raise ApiError(400, "'since' must be a whole number")
    return jsonify(_snapshot(_simulator().find(sid), int(since)))


@bp.post("/api/calls/<sid>/actions")
def act(sid: str) -> Response:
    """Do what the caller does next: keys, speech, silence, a transfer outcome, a message."""
    body = _json_body()
    since = body.get("since", 0)
    if not isinstance(since, int) or isinstance(since, bool) or since < 0:
        raise ApiError(400, "'since' must be a whole number")
    action = parse_action(body)
    session = _simulator().find(sid)
    if isinstance(action, HangUp):
        session.hang_up()
    else:
        session.act(action)
    return jsonify(_snapshot(session, since))


@bp.delete("/api/calls/<sid>")
def hang_up(sid: str) -> Response:
    """Hang up the call."""
    session = _simulator().find(sid)
    session.hang_up()
    since = request.args.get("since", "0")
    return jsonify(_snapshot(session, int(since) if since.isdigit() else 0))


@bp.get("/api/calls/<sid>/scenario")
def export(sid: str) -> Response:
    """Download the call as a tests/calls scenario: its actions and what was heard."""
    session = _simulator().find(sid)
    if session.options.node:
        raise ApiError(
            409, "a call started at a node cannot be a scenario: `ivr test` starts at /voice"
        )
    name = f"phone-{session.placed:%Y%m%d-%H%M}.yaml"
    return Response(
        scenario_yaml(session, _service().menus),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- who said each line, and the call as a scenario -------------------------------------------


def _snapshot(session: LiveCall, since: int = 0) -> dict[str, Any]:
    """The session's events from `since` on, and the steps behind them."""
    return session.snapshot(since)


def _record_after(events: list[dict[str, Any]], start: int) -> int | None:
    """The index of the <Record> that a message typed at events[start] was left at."""
    for index in range(start, len(events)):
        if events[index]["verb"] == "Record":
            return index
        if events[index]["verb"] == "Caller" and events[index]["text"] != "silence":
            break  # the caller acted again first: not a message for this recording
    return None


def scenario_yaml(session: PhoneCall, menus: Menus) -> str:
    """The call as a `tests/calls` scenario: its turns, written by ivr.simulator.scenarios."""
    snapshot = session.snapshot()
    events, ended, waiting = snapshot["events"], snapshot["ended"], snapshot["waiting"]
    turns: list[Turn] = []
    start = 0
    for taken in session.inputs:
        node = taken.waiting.get("node")
        end = taken.before
        if taken.waiting.get("kind") == "gather" and taken.waiting.get("before_record"):
            # A recording's prompt: a scripted caller waits through it by itself, so
            # waiting there is no step, and a message typed there is the recording's.
            if isinstance(taken.action, Silence):
                continue
            record = _record_after(events, taken.before)
            if isinstance(taken.action, Message) and record is not None:
                end = record + 1
        heard = [(e["verb"], e["text"]) for e in events[start:end]]
        start = end
        turns.append(Turn(heard, node, taken.action))
    turns.append(
        Turn([(e["verb"], e["text"]) for e in events[start:]], (waiting or {}).get("node"))
    )
    hung_up = bool(ended and ended["reason"] in HUNG_UP)
    options = session.options
    scenario = Scenario(
        name=f"a call from the browser phone at {session.placed:%Y-%m-%d %H:%M}",
        steps=recorded_steps(turns, hung_up),
        at=session.placed,
        from_number=options.from_number,
        lang=options.lang,
    )
    return dump_scenario(
        scenario,
        f"Exported from the browser phone ({Path(menus.path).name}). Run it with "
        "`ivr test`; an edited menu that changes a step fails it.",
    )
