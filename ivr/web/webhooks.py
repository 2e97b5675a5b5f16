"""Twilio's webhooks: parse the request, ask the flow, answer TwiML.

Every /voice request is signature-checked when an auth token is configured.
Whatever goes wrong inside a handler, the caller hears an apology and is
routed on; a stack trace never reaches Twilio. Each answered step is recorded
(committed, or spooled when the database is down) before the answer goes back.

The handlers take a Webhook and return a Reply; thin Flask views serve them,
so an embedding app's hooks, signals and error handlers see every request.
"""

from __future__ import annotations

import datetime
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, g, jsonify, request
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import Forbidden, HTTPException

from ivr import logs
from ivr.call import twiml
from ivr.call.flow import MAX_SPEECH, Answer, Recording
from ivr.call.state import CallState
from ivr.menu.schema import RecordNode
from ivr.records.writes import (
    Change,
    Written,
    call_ended,
    call_seen,
    callback_requested,
    message_left,
    step_taken,
)
from ivr.web import signatures

if TYPE_CHECKING:
    from ivr.web.service import Service

bp = Blueprint("voice", __name__)
health = Blueprint("health", __name__)
log = logging.getLogger("ivr.web.webhooks")
MAX_FIELD = 256  # longer field values are cut before use (SpeechResult: MAX_SPEECH)
MAX_TRANSCRIPTION = 10_000
TRACE_KEY = "ivr.nodes"  # the WSGI environ key that holds the nodes an answer passed
# ... and the one that holds why: Answer.decision itself, called only by whoever reads it
# (an in-process simulator), so a production step does not build it.
DECISION_KEY = "ivr.decision"


def _service() -> Service:
    service: Service = current_app.extensions["ivr"]  # Flask's extensions hold Any
    return service


@dataclass(slots=True)
class Webhook:
    """One Twilio request, read once: its fields, the call state in its URL, the service."""

    service: Service
    path: str
    fields: Mapping[str, str]  # the first value of each of Twilio's fields
    args: Mapping[str, str]  # the URL's query parameters, which carry the call state
    started: float

    @classmethod
    def read(cls, service: Service) -> Webhook:
        """Read the current request (Twilio's fields: a POST's body, a GET's query)."""
        # Plain dicts of the first values, as werkzeug's MultiDict.get gives them: an absent
        # name (most of a call state's) is then a lookup, not a KeyError raised and caught.
        args = request.args.to_dict()
        fields = request.form.to_dict() if request.method == "POST" else args
        return cls(service, request.path, fields, args, time.perf_counter())

    def field(self, name: str) -> str | None:
        """A field, cut to MAX_FIELD characters (None when absent)."""
        value = self.fields.get(name)
        return value[:MAX_FIELD] if value is not None else None

    @property
    def url_state(self) -> CallState | None:
        """The call state the URL carries (None for a new call)."""
        return CallState.from_query(self.args, self.service.menus.languages[0])

    @property
    def state(self) -> CallState:
        """The call state, or the main menu's for a request without one."""
        menus = self.service.menus
        return self.url_state or CallState(node=menus.main_menu, lang=menus.languages[0])

    def step(self) -> tuple[int, str | None]:
        """The step and node the URL names: (0, None) for a new call."""
        state = self.url_state
        return (state.step, state.node) if state else (0, None)

    def now(self) -> datetime.datetime:
        return self.service.clock()


def _hook() -> Webhook:
    """The current request's Webhook (read now if a failure came before the hook ran)."""
    hook: Webhook | None = g.get("webhook")
    if hook is None:
        hook = g.webhook = Webhook.read(_service())
    return hook


def _write(hook: Webhook, *changes: Change) -> None:
    recorder = hook.service.recorder
    if recorder is not None:  # None only when a benchmark turned records off
        recorder.write(*changes)


@dataclass(frozen=True, slots=True)
class Reply:
    """A webhook's answer: a TwiML document, and the nodes it passed on the way."""

    body: str
    nodes: tuple[str, ...] = ()
    explain: Callable[[], dict[str, object]] | None = None  # why: Answer.decision


@bp.before_request
def _check_signature() -> None:
    """Check Twilio's signature before any /voice handler runs; 403 when it is wrong."""
    hook = g.webhook = Webhook.read(_service())
    if not _signed(hook):
        raise Forbidden()


def _view(handler: Callable[[Webhook], Reply]) -> Callable[[], Response]:
    def view() -> Response:
        reply = handler(_hook())
        return _response(reply)

    view.__name__ = handler.__name__.lstrip("_")
    view.__doc__ = handler.__doc__
    return view


def _response(reply: Reply) -> Response:
    """The HTTP answer; the nodes passed stay in the environ, and go out only when traced."""
    response = Response(reply.body, mimetype="text/xml")
    settings = _service().settings
    if reply.nodes:
        request.environ[TRACE_KEY] = reply.nodes
        if settings.trace:
            # For `ivr explore` and the browser phone over HTTP; never sent in production
            # unless asked for (IVR_TRACE=1).
            response.headers["X-IVR-Nodes"] = ",".join(reply.nodes)
    if reply.explain is not None:
        request.environ[DECISION_KEY] = reply.explain
        if settings.trace and not settings.production:
            # It carries what the caller said: never over HTTP in production, asked or not.
            # ASCII JSON, so any words fit in a header.
            response.headers["X-IVR-Decision"] = json.dumps(reply.explain())
    return response


def _signed(hook: Webhook) -> bool:
    """True when no auth token is set or Twilio's signature is valid; a refusal is logged."""
    form = request.form if request.method == "POST" else None
    header = request.headers.get("X-Twilio-Signature", "")
    why = signatures.refusal(hook.service.settings, request.environ, request.path, form, header)
    if why is not None:
        _log(hook, outcome=why)
    return why is None


def _answer(
    hook: Webhook,
    answer: Answer,
    heard: str | None = None,
    confidence: float | None = None,
    recording: Recording | None = None,
) -> Reply:
    _log(hook, node=answer.node, heard=_masked(heard), outcome=logs.mask_digits(answer.outcome))
    reply = Reply(twiml.render(answer.verbs), answer.path or (answer.node,), answer.decision)
    if _record_step(hook, answer, heard, confidence, recording) is Written.LOST:
        # A message or callback request that neither the database nor the disk could keep
        # is never confirmed to the caller: they hear the apology and are put through to
        # a person instead (the record itself is in the log line, masked).
        return Reply(hook.service.apology.at(hook.now()), reply.nodes)
    return reply


def _masked(heard: str | None) -> str | None:
    """Keys as logged: a typed phone number keeps only its last two digits; speech only
    its length (what a caller said is call data, kept in the records, never in logs)."""
    if not heard:
        return heard
    if heard.startswith("say:"):
        return f"say:({len(heard) - 4} chars)"
    return logs.mask_digits(heard)


def _masked_field(value: str | None) -> str | None:
    """A short Twilio field (a status) for a log line: Twilio's words, or masked digits."""
    return logs.mask_digits(value[:20]) if value else value


def _record_step(
    hook: Webhook,
    answer: Answer,
    heard: str | None,
    confidence: float | None,
    recording: Recording | None,
) -> Written | None:
    """Record the answered step, with the message or callback request it produced.

    Return where a message or callback request went (None when the step carried neither).
    """
    call_sid = hook.field("CallSid")
    recorder = hook.service.recorder
    if not call_sid or recorder is None:
        return None  # not Twilio (a person with curl), or records are off: nothing to keep
    step, node = hook.step()
    now, caller = hook.now(), hook.field("From")
    changes = [
        call_seen(call_sid, caller, hook.field("To"), now),
        step_taken(
            call_sid,
            step,
            hook.path,
            node,
            answer.node,
            answer.lang,
            heard,
            confidence,
            answer.outcome[:300],
            now,
            score=answer.score,
        ),
    ]
    left: list[Change] = []  # what the caller left: a message, a callback request
    if recording is not None and answer.outcome == "recorded":
        left.append(
            message_left(
                call_sid,
                recording.sid or f"{call_sid}-{step}",
                step,
                node,
                _kind(hook, node),
                caller,
                recording.url,
                recording.duration,
                None,
                None,
                now,
                answer.message,
            )
        )
    if answer.callback is not None:
        request = answer.callback
        left.append(
            callback_requested(
                call_sid,
                step,
                caller,
                request.number,
                request.window,
                now,
                request.day,
                request.origin,
            )
        )
    written = recorder.write(*changes, *left)
    return written if left else None


def _seen(hook: Webhook, call_sid: str, now: datetime.datetime) -> Change:
    return call_seen(call_sid, hook.field("From"), hook.field("To"), now)


def _kind(hook: Webhook, node_id: str | None) -> str:
    node = hook.service.menus.nodes.get(node_id or "")
    return node.kind if isinstance(node, RecordNode) else "voicemail"


def _log(hook: Webhook, **fields: object) -> None:
    """One structured line per answered webhook (ivr.logs renders it as JSON)."""
    call_sid = logs.identifier((hook.fields.get("CallSid") or "")[:64]) or None
    ms = round((time.perf_counter() - hook.started) * 1000, 2)
    log.info(
        "webhook", extra={"fields": {"call_sid": call_sid, "path": hook.path, **fields, "ms": ms}}
    )


EMPTY = str(VoiceResponse())  # the answer to a callback outside the call


def _voice(hook: Webhook) -> Reply:
    """Answer a new call."""
    return _answer(hook, hook.service.flow.start(hook.now(), hook.args.get("lang")))


def _gather(hook: Webhook) -> Reply:
    """Answer keys, speech or silence in a menu."""
    digits, speech = hook.field("Digits"), hook.fields.get("SpeechResult")
    speech = speech[:MAX_SPEECH] if speech is not None else None  # the flow's own limit
    confidence = _float(hook.field("Confidence"))
    heard = digits or (f"say:{speech}" if speech else "silence")
    answer = hook.service.flow.gather(
        hook.state, hook.now(), digits=digits, speech=speech, confidence=confidence
    )
    return _answer(hook, answer, heard, confidence if speech and not digits else None)


def _dial(hook: Webhook) -> Reply:
    """Answer the end of a transfer."""
    status = hook.field("DialCallStatus")
    return _answer(hook, hook.service.flow.dial_result(hook.state, hook.now(), status), status)


def _record(hook: Webhook) -> Reply:
    """Answer the end of a recording."""
    url, sid = hook.field("RecordingUrl"), hook.field("RecordingSid")
    recording = None
    if url and url.startswith(("https://", "http://")):
        duration = hook.field("RecordingDuration") or "0"
        recording = Recording(url=url, sid=sid or "", duration=_seconds(duration) or 0)
    answer = hook.service.flow.record_result(hook.state, hook.now(), recording)
    return _answer(
        hook, answer, f"recording {sid}" if recording else "no recording", recording=recording
    )


def _callback(hook: Webhook) -> Reply:
    """Answer a step of a callback request."""
    digits, speech = hook.field("Digits"), hook.fields.get("SpeechResult")
    speech = speech[:MAX_SPEECH] if speech is not None else None  # the flow's own limit
    caller = hook.field("From")
    answer = hook.service.flow.callback(hook.state, hook.now(), caller, digits, speech)
    return _answer(hook, answer, digits or (f"say:{speech}" if speech else "silence"))


def _enter(hook: Webhook) -> Reply:
    """Answer a redirect into a node."""
    return _answer(hook, hook.service.flow.enter(hook.state, hook.now()))


def _transcription(hook: Webhook) -> Reply:
    """Accept Twilio's transcription callback (not part of the call's TwiML)."""
    status = hook.field("TranscriptionStatus")
    _log(hook, outcome="transcription", status=_masked_field(status))
    call_sid, sid = hook.field("CallSid"), hook.field("RecordingSid")
    if call_sid and sid:
        step, node = hook.step()
        text = hook.fields.get("TranscriptionText") if status == "completed" else None
        now = hook.now()
        _write(
            hook,
            _seen(hook, call_sid, now),
            message_left(
                call_sid,
                sid,
                step,
                node,
                _kind(hook, node),
                hook.field("From"),
                hook.field("RecordingUrl") or "",
                None,
                text[:MAX_TRANSCRIPTION] if text else None,
                (status or "")[:20] or None,
                now,
                hook.service.flow.origin(hook.state),
            ),
        )
    return Reply(EMPTY)


def _status(hook: Webhook) -> Reply:
    """Accept the call status callback."""
    call_sid, status = hook.field("CallSid"), hook.field("CallStatus")
    duration = hook.field("CallDuration")
    _log(hook, outcome="status", status=_masked_field(status), duration=_seconds(duration))
    if call_sid and status:
        seconds = _seconds(duration)
        _write(
            hook,
            call_ended(
                call_sid, hook.field("From"), hook.field("To"), status[:20], seconds, hook.now()
            ),
        )
    return Reply(EMPTY)


def _fallback(hook: Webhook) -> Reply:
    """Answer Twilio's Fallback URL with prebuilt TwiML that depends on nothing."""
    # Twilio's fields go in as JSON values (escaped by the formatter): a newline in them
    # cannot forge a log line.
    log.error(
        "fallback requested",
        extra={
            "fields": {
                "error_code": _error_code(hook.field("ErrorCode") or ""),
                "error_url": logs.mask_digits((hook.field("ErrorUrl") or "")[:200]),
            }
        },
    )
    return Reply(hook.service.apology.at(hook.now()))


def _error_code(value: str) -> str:
    """Twilio's error code (five digits) as it is; anything else masked like caller data."""
    return (
        value
        if len(value) == 5 and value.isascii() and value.isdigit()
        else _masked_field(value) or ""
    )


HANDLERS: dict[str, Callable[[Webhook], Reply]] = {
    "/voice": _voice,
    "/voice/gather": _gather,
    "/voice/dial": _dial,
    "/voice/record": _record,
    "/voice/callback": _callback,
    "/voice/enter": _enter,
    "/voice/transcription": _transcription,
    "/voice/status": _status,
    "/voice/fallback": _fallback,
}
for _path, _handler in HANDLERS.items():
    bp.add_url_rule(_path, view_func=_view(_handler), methods=["GET", "POST"])


@health.route("/healthz", methods=["GET"])
def healthz() -> Response:
    """Report that the line is up (always 200: callers are served even while spooling).

    `records` is ok, spooling (the database is down: records wait on local disk) or off;
    `ready` is false while spooling, for monitoring that wants to know. `menu` is current,
    or stale while the file on disk is invalid or gone and the last good menu serves.
    """
    service = _service()
    records = service.recorder.probe() if service.recorder is not None else "off"
    reloader = current_app.extensions.get("ivr.web.reloader")
    menu = "stale" if reloader is not None and reloader.stale else "current"
    return jsonify(
        status="ok",
        records=records,
        ready=records != "spooling",
        nodes=len(service.menus.nodes),
        menu=menu,
    )


@bp.errorhandler(Exception)
def _failed(exc: Exception) -> Response | HTTPException:
    """A /voice handler failed: the caller hears the apology, never a stack trace."""
    if isinstance(exc, HTTPException):
        return exc
    try:
        hook = _hook()
    except Exception:  # the request itself cannot be read: still an apology
        hook = None
    return _response(_failure(_service(), hook, exc, request.path))


def _failure(service: Service, hook: Webhook | None, exc: Exception, path: str) -> Reply:
    """Log a handler's failure, record the step the caller heard it at; the apology."""
    call_sid = logs.identifier((hook.fields.get("CallSid") or "")[:64]) if hook else ""
    log.error("webhook failed: call_sid=%s path=%s", call_sid, path, exc_info=exc)
    if hook is not None:
        _record_failure(hook, exc)
    return Reply(service.apology.at(_now(service)))


def _now(service: Service) -> datetime.datetime:
    """The service's clock, or the system's should that fail too (the apology must not)."""
    try:
        return service.clock()
    except Exception:
        return datetime.datetime.now(datetime.UTC)


def _record_failure(hook: Webhook, exc: Exception) -> None:
    """Record that the caller heard the apology at this step (never raises)."""
    try:
        call_sid = hook.field("CallSid")
        if not call_sid:
            return
        step, node = hook.step()
        now = hook.now()
        _write(
            hook,
            _seen(hook, call_sid, now),
            step_taken(
                call_sid,
                step,
                hook.path,
                node,
                None,
                None,
                None,
                None,
                f"error {type(exc).__name__}",
                now,
            ),
        )
    except Exception:
        log.exception("could not record the failed step")


def _seconds(value: str | None) -> int | None:
    """A duration Twilio sends, in seconds; None when it is not a plain number of them.

    Twilio's calls and recordings last hours at most: anything longer than six digits
    is not one of Twilio's values, and would not fit the database's integer either.
    """
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 6:
        return None
    return int(value)


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None
