"""Twilio's webhooks: parse the request, ask the flow, answer TwiML.

Every /voice request is signature-checked when an auth token is configured.
Whatever goes wrong inside a handler, the caller hears an apology and is
routed on; a stack trace never reaches Twilio. Each answered step is recorded
(committed, or spooled when the database is down) before the answer goes back.

The handlers take a Webhook and return a Reply, whoever serves them: Twilio's own
requests (urlencoded POSTs of declared length) are answered by DirectWebhooks below
Flask, everything else through Flask's routes.
"""

from __future__ import annotations

import datetime
import functools
import hmac
import io
import json
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote_plus

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError

from ivr import twiml
from ivr.flow import Answer, Recording
from ivr.menus import Menus
from ivr.phrases import family
from ivr.records import CallbackRequested, CallEnded, CallSeen, MessageLeft, Op, StepTaken
from ivr.schema import DialNode, HoursNode, MessageNode, RecordNode
from ivr.state import CallState

if TYPE_CHECKING:
    from ivr.app import Service

bp = Blueprint("voice", __name__)
log = logging.getLogger("ivr.webhooks")
MAX_FIELD = 256  # longer Digits / SpeechResult values are cut before use
MAX_TRANSCRIPTION = 10_000
URLENCODED = "application/x-www-form-urlencoded"
# The webhooks that move a call through the menus; each answer is one recorded event.
FLOW_PATHS = frozenset({"/voice", "/voice/gather", "/voice/dial", "/voice/record",
                        "/voice/enter", "/voice/callback"})


def _service() -> Service:
    return current_app.extensions["ivr"]


@dataclass(slots=True)
class Webhook:
    """One Twilio request, read once: its fields, the call state in its URL, the service."""

    service: Service
    path: str
    fields: Mapping[str, str]  # the first value of each of Twilio's fields
    query: str  # the URL's query string, which carries the call state
    started: float
    from_body: bool = True  # the fields came from a POST's body: the signature covers them

    @classmethod
    def read(cls, service: Service, started: float) -> Webhook:
        """Read the current request (Twilio's fields: a POST's body, a GET's query)."""
        environ = request.environ
        query = environ.get("QUERY_STRING", "")
        fields: Mapping[str, str]
        if request.method != "POST":
            fields = _query(query)
        elif environ.get("CONTENT_TYPE", "").startswith(URLENCODED):
            fields = Form(_body(environ).decode("utf-8", "replace"))
        else:  # not what Twilio sends: werkzeug's parser copes with the rest
            fields = request.form  # a MultiDict: first values, and getlist
        return cls(service, request.path, fields, query, started, request.method == "POST")

    @property
    def args(self) -> Mapping[str, str]:
        """The first value of each query parameter."""
        return _query(self.query)

    def field(self, name: str) -> str | None:
        """A field, cut to MAX_FIELD characters (None when absent)."""
        value = self.fields.get(name)
        return value[:MAX_FIELD] if value is not None else None

    @property
    def url_state(self) -> CallState | None:
        """The call state the URL carries (None for a new call)."""
        return _url_state(self.query, self.service.menus.languages[0])

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


def _body(environ: dict) -> bytes:
    """The request body; 413 when it is over the app's limit.

    A body of declared length (Twilio always declares it) is read straight from the
    server, at a fifth of the cost of werkzeug's stream wrappers, and put back as a
    buffer so anything reading the request later sees it whole.
    """
    length = _declared_length(environ)
    if length is None:
        return request.get_data()  # chunked or undeclared: werkzeug knows the cases
    limit = current_app.config["MAX_CONTENT_LENGTH"]  # None: an embedding app lifted it
    if limit is not None and length > limit:
        abort(413)
    return _read_declared(environ, length)


def _read_declared(environ: dict[str, Any], length: int) -> bytes:
    """Read a body of declared length, and put it back as a buffer for later readers."""
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _declared_length(environ: dict[str, Any]) -> int | None:
    """The body's declared length; None when chunked, undeclared or not a plain number."""
    length = environ.get("CONTENT_LENGTH", "")
    # isdigit alone takes "²", and int() refuses over 4,300 digits: both would raise.
    if not (length.isascii() and length.isdigit() and len(length) <= 18):
        return None
    # gunicorn marks every input terminated; only chunked ones lack a length to read.
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return None
    return int(length)


class Form(dict[str, str]):
    """A urlencoded body: the first value of each field, and every value for signatures.

    What werkzeug's form parser gives for Twilio's bodies, at a third of its cost: only
    the pieces holding an escape are unquoted.
    """

    def __init__(self, body: str) -> None:
        super().__init__()
        self._all: dict[str, list[str]] = {}
        for pair in body.split("&"):
            if pair:
                key, _, value = pair.partition("=")
                key, value = _unquoted(key), _unquoted(value)
                self._all.setdefault(key, []).append(value)
                self.setdefault(key, value)

    def getall(self, name: str) -> list[str]:
        """Every value of a field, in order (RequestValidator asks for this)."""
        return self._all[name]


def _unquoted(text: str) -> str:
    if "%" not in text and "+" not in text:
        return text
    if len(text) <= 64:  # a call's From and To ("%2B86..."), the same on every step
        return _unescaped(text)
    # Not cached: the body is read before its signature is checked, and a forger's long
    # values would fill the cache (up to 64 KB each).
    return unquote_plus(text, errors="replace")


@functools.lru_cache(maxsize=1024)
def _unescaped(text: str) -> str:
    return unquote_plus(text, errors="replace")


@functools.lru_cache(maxsize=1024)
def _query(query_string: str) -> dict[str, str]:
    # Each step's URL is one of a few per node: parsed once, not per request.
    args: dict[str, str] = {}
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        args.setdefault(key, value)  # the first value, as werkzeug's args.get gives
    return args


@functools.lru_cache(maxsize=1024)
def _url_state(query_string: str, default_lang: str) -> CallState | None:
    # Not through _query's cache: a POST needs only the state, so its dict is not kept.
    return CallState.from_query(_query.__wrapped__(query_string), default_lang)


def _hook() -> Webhook:
    """The current request's Webhook (read now if a failure came before the hook ran)."""
    hook = g.get("webhook")
    if hook is None:
        hook = g.webhook = Webhook.read(_service(), time.perf_counter())
    return hook


def _write(hook: Webhook, *ops: Op) -> None:
    recorder = hook.service.recorder
    if recorder is not None:  # None only when a benchmark turned records off
        recorder.write(*ops)


@dataclass(frozen=True, slots=True)
class Reply:
    """A webhook's answer: a TwiML document, and the nodes it passed (X-IVR-Nodes)."""

    body: bytes  # UTF-8, as sent
    nodes: str | None = None


# -- below Flask: Twilio's own requests ----------------------------------------------------------

class DirectWebhooks:
    """WSGI middleware that answers Twilio's own requests without Flask's request machinery.

    Twilio sends every webhook as a urlencoded POST of declared length; those are answered
    here by the same handlers, signature check, log line and records as through Flask, at
    half the CPU a request (Flask's request and app contexts, routing, hooks and response
    objects cost more than the step itself). Everything else (GET, other bodies, chunked
    or oversized requests, other paths) goes on to Flask. So an embedding app's own
    before/after_request hooks do not see Twilio's webhooks; wrap `app.wsgi_app` for that.
    """

    def __init__(self, app: Flask, flask_wsgi: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.flask = flask_wsgi

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        handler = HANDLERS.get(path)
        length = _declared_length(environ)
        limit = self.app.config["MAX_CONTENT_LENGTH"]
        if (handler is None or length is None or (limit is not None and length > limit)
                or environ.get("REQUEST_METHOD") != "POST"
                or not environ.get("CONTENT_TYPE", "").startswith(URLENCODED)):
            return self.flask(environ, start_response)
        started = time.perf_counter()
        hook = None
        try:
            fields = Form(_read_declared(environ, length).decode("utf-8", "replace"))
            query = environ.get("QUERY_STRING", "")
            # Read first, so a failing reload is still logged and recorded with the call.
            hook = Webhook(self.app.extensions["ivr"], path, fields, query, started)
            self.app.extensions["ivr.reloader"].check()  # a changed menus.yaml, between requests
            hook.service = self.app.extensions["ivr"]
            signed = _signed(hook, environ, path)
            reply = handler(hook) if signed else None
        except Exception as exc:
            reply = _failure(self.app.extensions["ivr"], hook, exc, path)
        if reply is None:
            return Forbidden()(environ, start_response)
        headers = [("Content-Type", "text/xml; charset=utf-8"),
                   ("Content-Length", str(len(reply.body)))]
        if reply.nodes is not None:
            headers.append(("X-IVR-Nodes", reply.nodes))
        start_response("200 OK", headers)
        return [reply.body]


# -- through Flask: everything else --------------------------------------------------------------

@bp.before_app_request
def _read_webhook() -> Response | None:
    """Reload a changed menu, check Twilio's signature, read the request once."""
    started = time.perf_counter()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    app.extensions["ivr.reloader"].check()  # a changed menus.yaml, between requests
    if not request.path.startswith("/voice"):
        return None
    hook = g.webhook = Webhook.read(app.extensions["ivr"], started)
    if not _signed(hook, request.environ, request.path):
        abort(403)
    return None


def _flask_view(handler: Callable[[Webhook], Reply]) -> Callable[[], Response]:
    def view() -> Response:
        reply = handler(_hook())
        response = Response(reply.body, mimetype="text/xml")
        if reply.nodes is not None:
            response.headers["X-IVR-Nodes"] = reply.nodes
        return response

    view.__name__ = handler.__name__.lstrip("_")
    view.__doc__ = handler.__doc__
    return view


def _signed(hook: Webhook, environ: dict[str, Any], path: str) -> bool:
    """True when no auth token is set or Twilio's signature is valid; a refusal is logged."""
    token = hook.service.settings.auth_token
    if not token:
        return True
    signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
    url = _public_url(hook.service, environ, path)
    params = hook.fields if hook.from_body else {}
    validator = _validator(token)
    # Twilio signs the URL exactly as requested, so try that first; `validate` then also
    # tries it with and without a port, at twice the cost, for the requests that need it.
    expected = validator.compute_signature(url, params).encode()
    # Bytes, not str: compare_digest raises on a non-ASCII str, and a header can hold one.
    if signature and (hmac.compare_digest(expected, signature.encode("utf-8", "replace"))
                      or validator.validate(url, params, signature)):
        return True
    _log(hook, outcome="403 bad signature" if signature else "403 no signature")
    return False


@functools.lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def _public_url(service: Service, environ: dict[str, Any], path: str) -> str:
    """The URL Twilio requested, byte for byte: it signed that, not werkzeug's rebuild."""
    # After ProxyFix: the scheme and host the caller asked for.
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    query = environ.get("QUERY_STRING", "")
    if not raw:
        raw = quote(path)
    if query and "?" not in raw:  # werkzeug's test client leaves the query out of RAW_URI
        raw += f"?{query}"
    base = service.settings.public_base_url or (
        f"{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST') or environ['SERVER_NAME']}")
    return base + raw


def _answer(hook: Webhook, answer: Answer, heard: str | None = None,
            confidence: float | None = None, recording: Recording | None = None) -> Reply:
    _log(hook, node=answer.node, heard=_masked(heard), outcome=answer.outcome)
    # X-IVR-Nodes is invisible to callers; lets `ivr explore` see nodes never in a URL.
    reply = Reply(twiml.render(answer.verbs).encode(), ",".join(answer.path or (answer.node,)))
    _record_step(hook, answer, heard, confidence, recording)
    return reply


_json = json.JSONEncoder(ensure_ascii=False)  # built once: json.dumps builds one per call
_LONG_DIGITS = re.compile(r"\d{5,}")


def _masked(heard: str | None) -> str | None:
    """Keys as logged: a typed phone number keeps only its last two digits."""
    if not heard:
        return heard
    return _LONG_DIGITS.sub(lambda m: "*" * (len(m.group()) - 2) + m.group()[-2:], heard)


def _record_step(hook: Webhook, answer: Answer, heard: str | None,
                 confidence: float | None, recording: Recording | None) -> None:
    """Record the answered step, with the message or callback request it produced."""
    call_sid = hook.field("CallSid")
    recorder = hook.service.recorder
    if not call_sid or recorder is None:
        return  # not Twilio (a person with curl), or records are off: nothing to keep
    step, node = hook.step()
    now, caller = hook.now(), hook.field("From")
    ops: list[Op] = [
        CallSeen(call_sid, caller, hook.field("To"), now),
        StepTaken(call_sid, step, hook.path, node, answer.node, answer.lang, heard,
                  confidence, answer.outcome[:300], now),
    ]
    if recording is not None and answer.outcome == "recorded":
        ops.append(MessageLeft(call_sid, recording.sid or f"{call_sid}-{step}", step, node,
                               _kind(hook, node), caller, recording.url, recording.duration, None,
                               None, now))
    if answer.callback is not None:
        ops.append(CallbackRequested(call_sid, step, caller, answer.callback.number,
                                     answer.callback.window, now))
    recorder.write(*ops)


def _seen(hook: Webhook, call_sid: str, now: datetime.datetime) -> CallSeen:
    return CallSeen(call_sid, hook.field("From"), hook.field("To"), now)


def _kind(hook: Webhook, node_id: str | None) -> str:
    node = hook.service.menus.nodes.get(node_id or "")
    return node.kind if isinstance(node, RecordNode) else "voicemail"


def _log(hook: Webhook, **fields: object) -> None:
    line = {
        "event": "webhook",
        "call_sid": (hook.fields.get("CallSid") or "")[:64] or None,
        "path": hook.path,
        **fields,
        "ms": round((time.perf_counter() - hook.started) * 1000, 2),
    }
    if log.isEnabledFor(logging.INFO):
        # Logger.info would also walk the stack for the caller's file and line, a tenth of
        # this line's cost; an access line's origin is known.
        log.handle(log.makeRecord(log.name, logging.INFO, __file__, _LOG_LINE,
                                  _json.encode(line), (), None, "_log"))


_LOG_LINE = _log.__code__.co_firstlineno  # what the record's lineno would have been, roughly


EMPTY = str(VoiceResponse()).encode()  # the answer to a callback outside the call


def _voice(hook: Webhook) -> Reply:
    """Answer a new call."""
    return _answer(hook, hook.service.flow.start(hook.now(), hook.args.get("lang")))


def _gather(hook: Webhook) -> Reply:
    """Answer keys, speech or silence in a menu."""
    digits, speech = hook.field("Digits"), hook.field("SpeechResult")
    confidence = _float(hook.field("Confidence"))
    heard = digits or (f"say:{speech}" if speech else "silence")
    answer = hook.service.flow.gather(hook.state, hook.now(), digits=digits, speech=speech,
                                      confidence=confidence)
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
        recording = Recording(url=url, sid=sid or "",
                              duration=int(duration) if duration.isdigit() else 0)
    answer = hook.service.flow.record_result(hook.state, hook.now(), recording)
    return _answer(hook, answer, f"recording {sid}" if recording else "no recording",
                   recording=recording)


def _callback(hook: Webhook) -> Reply:
    """Answer a step of a callback request."""
    digits = hook.field("Digits")
    answer = hook.service.flow.callback(hook.state, hook.now(), hook.field("From"), digits)
    return _answer(hook, answer, digits or "silence")


def _enter(hook: Webhook) -> Reply:
    """Answer a redirect into a node."""
    return _answer(hook, hook.service.flow.enter(hook.state, hook.now()))


def _transcription(hook: Webhook) -> Reply:
    """Accept Twilio's transcription callback (not part of the call's TwiML)."""
    status = hook.field("TranscriptionStatus")
    _log(hook, outcome="transcription", status=status)
    call_sid, sid = hook.field("CallSid"), hook.field("RecordingSid")
    if call_sid and sid:
        step, node = hook.step()
        text = hook.fields.get("TranscriptionText") if status == "completed" else None
        now = hook.now()
        _write(
            hook,
            _seen(hook, call_sid, now),
            MessageLeft(call_sid, sid, step, node, _kind(hook, node), hook.field("From"),
                        hook.field("RecordingUrl") or "", None,
                        text[:MAX_TRANSCRIPTION] if text else None,
                        (status or "")[:20] or None, now),
        )
    return Reply(EMPTY)


def _status(hook: Webhook) -> Reply:
    """Accept the call status callback."""
    call_sid, status = hook.field("CallSid"), hook.field("CallStatus")
    duration = hook.field("CallDuration")
    _log(hook, outcome="status", status=status, duration=duration)
    if call_sid and status:
        seconds = int(duration) if duration and duration.isdigit() else None
        _write(hook, CallEnded(call_sid, hook.field("From"), hook.field("To"), status[:20],
                               seconds, hook.now()))
    return Reply(EMPTY)


def _fallback(hook: Webhook) -> Reply:
    """Answer Twilio's Fallback URL with prebuilt TwiML that depends on nothing."""
    log.error("fallback requested: ErrorCode=%s ErrorUrl=%s",
              hook.field("ErrorCode"), (hook.field("ErrorUrl") or "")[:200])
    return Reply(hook.service.apology.encode())


HANDLERS: dict[str, Callable[[Webhook], Reply]] = {
    "/voice": _voice, "/voice/gather": _gather, "/voice/dial": _dial,
    "/voice/record": _record, "/voice/callback": _callback, "/voice/enter": _enter,
    "/voice/transcription": _transcription, "/voice/status": _status,
    "/voice/fallback": _fallback,
}
for _path, _handler in HANDLERS.items():
    bp.add_url_rule(_path, view_func=_flask_view(_handler), methods=["GET", "POST"])


@bp.route("/healthz", methods=["GET"])
def healthz() -> Response:
    """Report that the service is up and which menu it serves."""
    menus = _service().menus
    return jsonify(status="ok", menus=menus.path, nodes=len(menus.nodes))


@bp.app_errorhandler(Exception)
def _failed(exc: Exception) -> Response | HTTPException:
    if isinstance(exc, HTTPException):
        return exc
    if not request.path.startswith("/voice"):
        log.exception("request failed: path=%s", request.path)
        return InternalServerError()
    try:
        hook = _hook()
    except Exception:  # the request itself cannot be read: still an apology
        hook = None
    return Response(_failure(_service(), hook, exc, request.path).body, mimetype="text/xml")


def _failure(service: Service, hook: Webhook | None, exc: Exception, path: str) -> Reply:
    """Log a handler's failure, record the step the caller heard it at; the apology."""
    call_sid = (hook.fields.get("CallSid") or "")[:64] if hook else ""
    log.error("webhook failed: call_sid=%s path=%s", call_sid, path, exc_info=exc)
    if hook is not None:
        _record_failure(hook, exc)
    return Reply(service.apology.encode())


def _record_failure(hook: Webhook, exc: Exception) -> None:
    """Record that the caller heard the apology at this step (never raises)."""
    try:
        call_sid = hook.field("CallSid")
        if not call_sid:
            return
        step, node = hook.step()
        now = hook.now()
        _write(hook, _seen(hook, call_sid, now), StepTaken(
            call_sid, step, hook.path, node, None, None, None, None,
            f"error {type(exc).__name__}", now))
    except Exception:
        log.exception("could not record the failed step")


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


_APOLOGY = {
    "zh": ("抱歉，系统暂时出现问题。", "正在为您转接人工服务，请稍候。", "请您稍后再拨。再见。"),
    "en": ("Sorry, something went wrong on our side.", "We are connecting you to an agent.",
           "Please call again later. Goodbye."),
}


def apology_twiml(menus: Menus) -> str:
    """Build the TwiML said when a handler fails: an apology, the agent line, goodbye."""
    number = _agent_number(menus)
    response = VoiceResponse()
    voices = menus.voices[menus.start]
    for lang in menus.languages[:2]:
        sorry, connecting, _bye = _APOLOGY[family(lang)]
        response.say(sorry + (connecting if number else ""), voice=voices[lang].voice,
                     language=voices[lang].language)
    if number:
        response.dial(timeout=30).number(number)
    lang = menus.languages[0]
    response.say(_APOLOGY[family(lang)][2], voice=voices[lang].voice,
                 language=voices[lang].language)
    response.hangup()
    return str(response)


def _agent_number(menus: Menus) -> str | None:
    node_id = menus.agent_node
    for _ in range(len(menus.nodes)):
        node = menus.nodes.get(node_id or "")
        if isinstance(node, DialNode):
            return node.number
        if isinstance(node, HoursNode):
            node_id = node.open
        elif isinstance(node, MessageNode) and node.next:
            node_id = node.next
        else:
            return None
    return None
