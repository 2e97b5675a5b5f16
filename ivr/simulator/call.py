"""Place a simulated call: fetch TwiML documents and run them exactly as Twilio would."""

from __future__ import annotations

import functools
import math
import random
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, NoReturn, TypeVar
from urllib.parse import parse_qs, urlsplit

from ivr.simulator.callers import (
    FITS,
    Caller,
    CallerAction,
    DialOutcome,
    GatherPrompt,
    HangUp,
    Keys,
    Message,
    RecordPrompt,
    ScriptMismatch,
    Speech,
    describe,
)
from ivr.simulator.checks import (
    HOUSE_RULES,
    SCHEMA,
    Code,
    TwimlProblem,
    check_response,
    counts,
    problem,
)
from ivr.simulator.line import Line
from ivr.simulator.transport import (
    Response,
    Transport,
    TransportError,
    resolve_url,
)

_T = TypeVar("_T", int, None)
# Simulated calls' CallSids start so ("CAsim" + 29 hex digits, 34 characters like Twilio's);
# a real one is "CA" + 32 hex digits, so the records can leave simulated calls out.
SIMULATED_CALL_SID = "CAsim"
LOOP_LIMIT = 20  # documents in a row without waiting for the caller before we call it a loop
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Event:
    """One line of the call's transcript: a verb that ran, or something the caller did."""

    verb: str
    text: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    url: str = ""
    node: str | None = None  # the node the document's URL names (where the call was)
    speaker: str | None = None  # a <Say>'s node, when the app tells (ours does)
    step: int | None = None  # the Step (document) it belongs to

    def line(self) -> str:
        """Render the event as one transcript line, e.g. "[Say zh-CN Polly.Zhiyu] 欢迎"."""
        a = self.attrs
        match self.verb:
            case "Say":
                label = " ".join(v for v in (a.get("language"), a.get("voice")) if v)
                body = self.text + _loop_note(a)
            case "Play":
                label = self.text or f"digits {a.get('digits', '')}"
                body = _loop_note(a).strip()
            case "Gather":
                label, body = a.get("input", "dtmf"), self.text
            case "Record":
                label, body = f"max {a.get('maxLength', '3600')}s", ""
            case "Pause":
                label, body = f"{a.get('length', '1')}s", ""
            case "Reject":
                label, body = a.get("reason", "rejected"), ""
            case "Dial" | "Redirect" | "Enqueue":
                label, body = self.text, ""
            case _:
                label, body = "", self.text
        head = f"[{self.verb} {label}]" if label else f"[{self.verb}]"
        return f"{head} {body}" if body else head


def _loop_note(attrs: dict[str, str]) -> str:
    loop = attrs.get("loop", "1")
    if loop == "0":
        return " (repeats until the caller hangs up)"
    return f" (x{loop})" if loop.isdigit() and int(loop) > 1 else ""


@dataclass(frozen=True)
class Step:
    """One document the call fetched: the request sent, the answer, and why, if the app
    tells (ours does: ivr.call.flow.Answer.decision)."""

    n: int
    method: str
    url: str
    params: dict[str, str]
    status: int
    content_type: str
    body: str
    decision: Mapping[str, Any] | None = None
    nodes: tuple[str, ...] = ()

    @property
    def action(self) -> dict[str, str]:
        """The fields that say what happened (Digits, SpeechResult, ...), not the call's own."""
        return {k: v for k, v in self.params.items() if k not in CALL_FIELDS}

    def request_line(self) -> str:
        """E.g. "POST http://host/voice/gather?node=main Digits=0 -> 200 text/xml"."""
        fields = " ".join(f"{k}={v}" for k, v in self.action.items())
        head = f"{self.method} {self.url}" + (f" {fields}" if fields else "")
        return f"{head} -> {self.status} {self.content_type}".rstrip()

    def details(self) -> str:
        """The request's every field and the document as sent, for a person to read."""
        fields = "\n".join(f"    {k} = {v}" for k, v in self.params.items())
        return f"  step {self.n}: {self.method} {self.url}\n{fields}\n  answer {self.status} " + (
            f"{self.content_type}:\n{self.body}"
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the browser phone's step details."""
        return {
            "n": self.n,
            "method": self.method,
            "url": self.url,
            "params": self.params,
            "request": self.request_line(),  # as `ivr simulate -v` prints it
            "status": self.status,
            "content_type": self.content_type,
            "twiml": self.body,
            "decision": dict(self.decision) if self.decision else None,
            "nodes": list(self.nodes),
        }


# The fields Twilio sends on every request of a call; the others say what just happened.
CALL_FIELDS = frozenset(
    {
        "CallSid",
        "AccountSid",
        "From",
        "To",
        "Caller",
        "Called",
        "CallStatus",
        "Direction",
        "ApiVersion",
        "FromCountry",
        "ToCountry",
    }
)


def gather_values(attrs: Mapping[str, str]) -> dict[str, str | None]:
    """A <Gather>'s settings with Twilio's defaults filled in (numDigits None: any)."""
    timeout = attrs.get("timeout", "5")
    return {
        "input": attrs.get("input", "dtmf"),
        "timeout": timeout,
        "numDigits": attrs.get("numDigits"),
        "finishOnKey": attrs.get("finishOnKey", "#"),
        "speechTimeout": attrs.get("speechTimeout", timeout),
        "language": attrs.get("language", "en-US"),
        "hints": attrs.get("hints"),
    }


def gather_settings(attrs: Mapping[str, str]) -> str:
    """A <Gather>'s settings as Twilio reads them, defaults filled in, for a person to read."""
    values = gather_values(attrs)
    hints = values["hints"] or ""
    if len(hints) > 60:
        hints = hints[:57] + f"... ({len(hints.split(','))} hints)"
    parts = [
        f"input {values['input']}",
        f"timeout {values['timeout']}s",
        f"numDigits {values['numDigits'] or 'any'}",
        f"finishOnKey {values['finishOnKey'] or 'none'}",
    ]
    if "speech" in (values["input"] or ""):
        parts.append(f"speechTimeout {values['speechTimeout']}")
        parts.append(f"language {values['language']}")
    if hints:
        parts.append(f"hints {hints}")
    return ", ".join(parts)


@dataclass(frozen=True)
class CallResult:
    """What happened on a call: transcript, problems found, how it ended, requests sent."""

    events: list[Event]
    problems: list[TwimlProblem]
    end: str
    requests: list[tuple[str, str, dict[str, str]]]
    lenient: bool = False
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem counts (in lenient mode only errors count)."""
        return not any(counts(p, self.lenient) for p in self.problems)

    def transcript(self) -> str:
        """Return the transcript, one line per event."""
        return "\n".join(event.line() for event in self.events)


@functools.lru_cache(maxsize=1024)  # the same prompts are said on every call
def speaking_seconds(text: str) -> int:
    """Estimate how long text takes to say: Chinese about 4 characters a second, else 15."""
    cjk = len(_CJK.findall(text))
    return max(1, math.ceil(cjk / 4 + (len(text) - cjk) / 15))


@dataclass(frozen=True)
class _Document:
    root: ET.Element
    url: str
    request: tuple[str, str, dict[str, str]] | None = None  # what fetched it
    body: bytes = b""  # the document as the app sent it
    step: int = 0
    speakers: tuple[str, ...] = ()  # the node of each <Say>, in order, when the app tells

    @property
    def node(self) -> str | None:
        return _node_of(self.url)


@functools.lru_cache(maxsize=4096)
def _node_of(url: str) -> str | None:
    """The `node` query parameter of a URL, which apps like ours use to name a step."""
    return parse_qs(urlsplit(url).query).get("node", [None])[0]


@dataclass(frozen=True)
class _Jump:
    """Control passes to another document."""

    url: str
    method: str
    params: dict[str, str]
    fallback: bool = False  # the number's Fallback URL, asked after a failed document


class _Ended(Exception):
    def __init__(self, end: str) -> None:
        super().__init__(end)
        self.end = end


class Call:
    """One inbound call from a simulated caller to a TwiML app."""

    def __init__(
        self,
        transport: Transport,
        caller: Caller,
        *,
        line: Line,
        from_number: str = "+8613800138000",
        to_number: str = "+8610555000100",
        listener: Callable[[Event], None] | None = None,
        on_step: Callable[[Step], None] | None = None,
        max_documents: int = 500,
        lenient: bool = False,
        house_rules: bool = True,
        realtime: bool = False,
        seed: int | None = None,
        first_request: tuple[str, str, dict[str, str]] | None = None,
    ) -> None:
        self.transport = transport
        self.caller = caller
        self.line = line
        self.from_number = from_number
        self.to_number = to_number
        self.listener = listener
        self.on_step = on_step
        self._steps: list[Step] = []
        self._says = 0  # <Say>s run in the current document
        self.max_documents = max_documents
        self.lenient = lenient
        self.house_rules = house_rules  # False: another app's, its HOUSE_RULES only notices
        self.realtime = realtime
        # Start mid-call with this request (method, url, Twilio fields): the explorer
        # resumes a call at a known step instead of replaying it from the start.
        self.first_request = first_request
        self.document: _Document | None = None  # the document being run
        self._random = random.Random(seed)
        self.call_sid = self._sid(SIMULATED_CALL_SID)
        self.account_sid = self._sid("AC")
        self._events: list[Event] = []
        self._problems: list[TwimlProblem] = []
        self._requests: list[tuple[str, str, dict[str, str]]] = []
        # callbacks due after the action: (attribute, URL, fields)
        self._pending: list[tuple[str, str, dict[str, str]]] = []
        self._spoken: list[str] = []
        self._status = "ringing"
        self._final_status = "completed"
        self._answered = False
        self._seconds = 0.0
        self._documents = 0
        self._since_wait = 0
        self._handlers: dict[str, Callable[[ET.Element, _Document], _Jump | None]] = {
            "Say": self._say,
            "Play": self._play,
            "Pause": self._pause,
            "Gather": self._gather,
            "Dial": self._dial,
            "Record": self._record,
            "Enqueue": self._enqueue,
            "Redirect": self._redirect,
            "Hangup": self._hangup,
            "Reject": self._reject,
        }
        # The verbs a <Gather> may play before it listens.
        self._prompts: dict[str, Callable[[ET.Element, _Document, bool], None]] = {
            "Say": self._say,
            "Play": self._play,
            "Pause": self._pause,
        }

    def run(self) -> CallResult:
        """Place the call and follow the app's documents until the call ends."""
        # Every command reuses a transport for many calls (`ivr test` one per clock,
        # `ivr explore` one per walk); Twilio starts each call with no cookies.
        self.transport.new_call()
        jump = _Jump(self.line.webhook, self.line.method, {})
        if self.first_request is not None:
            method, url, params = self.first_request
            jump = _Jump(resolve_url(self.line.webhook, url), method, dict(params))
            self._status = "in-progress"
        try:
            while True:
                document = self._fetch(jump)
                self._status = "in-progress"
                jump = self._run_document(document)
        except _Ended as ended:
            end = ended.end
        self._flush_callbacks()
        self._send_status_callback()
        return CallResult(
            self._events, self._problems, end, self._requests, self.lenient, self._steps
        )

    @property
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        """The requests sent so far: (method, url, fields)."""
        return self._requests

    # --- documents ----------------------------------------------------------------------

    def _fetch(self, jump: _Jump, *, caller_gone: bool = False) -> _Document:
        if self._documents >= self.max_documents:
            self._report("SIM002", f"stopped after {self.max_documents} documents", jump.url)
            raise _Ended("too-many-documents")
        if self._since_wait >= LOOP_LIMIT:
            message = (
                f"{LOOP_LIMIT} documents in a row without waiting for the caller "
                f"(a <Redirect> loop?); next was {jump.url}"
            )
            self._report("SIM002", message, jump.url)
            raise _Ended("too-many-documents")
        self._documents += 1
        self._since_wait += 1
        resp = self._send(jump.method, jump.url, jump.params)
        sent = self._requests[-1]
        self._flush_callbacks()
        if resp is None:  # no answer at all: the transport's code was just reported
            return self._fall_back(jump, self._problems[-1].code, jump.url, caller_gone)
        step = Step(
            len(self._steps) + 1,
            sent[0],
            resp.url,
            sent[2],
            resp.status,
            resp.content_type,
            resp.body.decode("utf-8", "replace"),
            resp.decision,
            resp.nodes,
        )
        self._steps.append(step)
        if self.on_step is not None:
            self.on_step(step)
        root, problems = check_response(resp)
        if not self.house_rules:
            problems = [
                replace(p, severity="notice") if p.code in HOUSE_RULES else p for p in problems
            ]
        speakers = tuple(str(s) for s in (resp.decision or {}).get("speakers") or ())
        if root is not None and speakers:
            problems = [_spoken_by(p, root, speakers) for p in problems]
        self._problems.extend(problems)
        if root is None:
            return self._fall_back(jump, problems[0].code, resp.url, caller_gone)
        self.document = _Document(root, resp.url, sent, resp.body, step.n, speakers)
        self._says = 0
        return self.document

    def _fall_back(self, jump: _Jump, code: Code, failed: str, caller_gone: bool) -> _Document:
        """Twilio asks the number's Fallback URL for the document that failed (with the same
        fields, and ErrorCode and ErrorUrl); with none, or when it fails too, the caller hears
        the application error. The failure stays reported either way."""
        fallback = self.line.fallback
        if caller_gone or jump.fallback or fallback is None:
            self._fail(code, failed, caller_gone)
        self._emit(Event("Fallback", f"{code}: Twilio asks the Fallback URL", {}, failed))
        params = {**jump.params, "ErrorCode": str(code), "ErrorUrl": failed}
        return self._fetch(_Jump(fallback, "POST", params, fallback=True))

    def _fail(self, code: Code, url: str, caller_gone: bool) -> NoReturn:
        if caller_gone:
            raise _Ended("caller-hangup")
        self._emit(Event("Error", f"an application error has occurred ({code}); goodbye", {}, url))
        raise _Ended("application-error")

    def _run_document(self, document: _Document) -> _Jump:
        for el in document.root:
            handler = self._handlers.get(el.tag)
            if el.tag != "Reject":
                self._answered = True
            if handler is None:
                # Unknown elements were reported by the checker and Twilio skips them;
                # real verbs the simulator does not model are shown but not acted on.
                if el.tag in SCHEMA["Response"].children:
                    self._verb_event(el, document, "(not simulated)")
                continue
            jump = handler(el, document)
            if jump is not None:
                return jump
        raise _Ended("end-of-document")

    # --- verbs --------------------------------------------------------------------------

    def _say(self, el: ET.Element, doc: _Document, nested: bool = False) -> None:
        text = "".join(el.itertext()).strip()
        self._verb_event(el, doc, text)
        self._spoken.append(text)
        loop = _int(el, "loop", 1, 0)
        self._seconds += speaking_seconds(text) * max(loop, 1)
        if loop == 0 and not nested:
            self._hang_up_caller(doc)  # nothing after an endless Say can ever run

    def _play(self, el: ET.Element, doc: _Document, nested: bool = False) -> None:
        self._verb_event(el, doc, (el.text or "").strip())
        self._seconds += 1
        if _int(el, "loop", 1, 0) == 0 and not nested:
            self._hang_up_caller(doc)

    def _pause(self, el: ET.Element, doc: _Document, nested: bool = False) -> None:
        length = _int(el, "length", 1, 1)
        self._verb_event(el, doc, "")
        self._seconds += length
        if self.realtime:
            time.sleep(length)

    def _gather(self, el: ET.Element, doc: _Document) -> _Jump | None:
        for child in el:
            if child.tag in self._prompts:
                self._prompts[child.tag](child, doc, True)
        modes = tuple(w for w in el.get("input", "dtmf").split() if w in ("dtmf", "speech"))
        finish = el.get("finishOnKey", "#")
        action_url = resolve_url(doc.url, el.get("action") or doc.url)
        prompt = GatherPrompt(
            input=modes or ("dtmf",),
            num_digits=_int(el, "numDigits", None, 1),
            finish_on_key=finish if re.fullmatch(r"[0-9*#]?", finish) else "#",
            timeout=_int(el, "timeout", 5, 1),
            hints=el.get("hints", ""),
            language=el.get("language", "en-US"),
            texts=tuple(self._spoken),
            url=doc.url,
            node=_node_of(action_url) or doc.node,  # where the call waits
            before_record=_next_tag(doc.root, el) == "Record",
        )
        self._verb_event(el, doc, "")
        action = self._ask("gather", lambda: self.caller.gather(prompt), doc)
        params = self._gather_params(action, prompt, doc)
        if not params and el.get("actionOnEmptyResult") != "true":
            return None  # silence falls through to the next verb
        return _Jump(action_url, _method(el), params)

    def _gather_params(
        self, action: CallerAction, prompt: GatherPrompt, doc: _Document
    ) -> dict[str, str]:
        if isinstance(action, Keys):
            if "dtmf" not in prompt.input:
                self._caller_event(f"pressed {action.digits} (ignored: speech only)", doc)
                return {}
            self._caller_event(f"pressed {action.digits}", doc)
            digits = _collect(action.digits, prompt.num_digits, prompt.finish_on_key)
            self._seconds += len(action.digits)
            return {"Digits": digits} if digits else {}
        if isinstance(action, Speech) and action.text.strip():
            if "speech" not in prompt.input:
                self._caller_event(f"said {action.text} (ignored: keys only)", doc)
                return {}
            self._caller_event(f"said {action.text}", doc)
            self._seconds += speaking_seconds(action.text)
            return {"SpeechResult": action.text, "Confidence": str(action.confidence)}
        self._caller_event("silence", doc)
        self._seconds += prompt.timeout
        return {}

    def _dial(self, el: ET.Element, doc: _Document) -> _Jump | None:
        number = _dial_target(el)
        self._verb_event(el, doc, number)
        action = self._ask("dial", lambda: self.caller.dial(number), doc)
        assert isinstance(action, DialOutcome)
        self._caller_event(f"dial outcome {action.status}", doc)
        talked = action.duration if action.status == "completed" else 0
        self._seconds += talked
        if not el.get("action"):
            return None  # without an action the document carries on after <Dial>
        params = {
            "DialCallStatus": action.status,
            "DialCallSid": self._sid("CA"),
            "DialCallDuration": str(talked),
        }
        return _Jump(resolve_url(doc.url, el.get("action", "")), _method(el), params)

    def _record(self, el: ET.Element, doc: _Document) -> _Jump | None:
        finish = el.get("finishOnKey", "1234567890*#")
        prompt = RecordPrompt(
            max_length=_int(el, "maxLength", 3600, 1),
            finish_on_key=finish,
            timeout=_int(el, "timeout", 5, 0),
            texts=tuple(self._spoken),
            url=doc.url,
            node=doc.node,
        )
        self._verb_event(el, doc, "")
        action = self._ask("record", lambda: self.caller.record(prompt), doc)
        if not isinstance(action, Message) or not action.text.strip():
            self._caller_event("recorded nothing", doc)
            return None  # an empty recording skips the action and falls through
        duration = min(prompt.max_length, speaking_seconds(action.text))
        self._caller_event(f"recorded {action.text} ({duration} s)", doc)
        self._seconds += duration
        recording_sid = self._sid("RE")
        recording_url = (
            f"https://api.twilio.com/2010-04-01/Accounts/{self.account_sid}"
            f"/Recordings/{recording_sid}"
        )
        params = {
            "RecordingUrl": recording_url,
            "RecordingDuration": str(duration),
            "RecordingSid": recording_sid,
        }
        key = "#" if "#" in finish else finish[:1]
        if action.hangup or key:
            params["Digits"] = "hangup" if action.hangup else key
        if el.get("recordingStatusCallback"):  # the recording is ready: before its text
            self._pending.append(
                (
                    "recordingStatusCallback",
                    resolve_url(doc.url, el.get("recordingStatusCallback", "")),
                    {
                        "RecordingSid": recording_sid,
                        "RecordingUrl": recording_url,
                        "RecordingStatus": "completed",
                        "RecordingDuration": str(duration),
                        "RecordingChannels": "1",
                        "RecordingSource": "RecordVerb",
                    },
                )
            )
        if el.get("transcribeCallback"):
            self._pending.append(
                (
                    "transcribeCallback",
                    resolve_url(doc.url, el.get("transcribeCallback", "")),
                    {
                        "TranscriptionSid": self._sid("TR"),
                        "TranscriptionText": action.text,
                        "TranscriptionStatus": "completed",
                        "TranscriptionUrl": f"{recording_url}/Transcriptions",
                        "RecordingSid": recording_sid,
                        "RecordingUrl": recording_url,
                    },
                )
            )
        jump = _Jump(resolve_url(doc.url, el.get("action") or doc.url), _method(el), params)
        if action.hangup:
            # Twilio still posts the recording, but nobody is left to hear the answer.
            self._caller_event("hung up", doc)
            self._fetch(jump, caller_gone=True)
            raise _Ended("caller-hangup")
        return jump

    def _enqueue(self, el: ET.Element, doc: _Document) -> NoReturn:
        self._verb_event(el, doc, (el.text or "").strip())
        self._since_wait = 0
        if el.get("waitUrl"):
            wait = resolve_url(doc.url, el.get("waitUrl", ""))
            self._emit(Event("Note", f"waitUrl {wait} not simulated (no hold music)", {}, doc.url))
        # Nobody answers a simulated queue, so the caller gives up waiting.
        self._caller_event("hung up", doc)
        if el.get("action"):
            params = {"QueueResult": "hangup", "QueueSid": self._sid("QU"), "QueueTime": "0"}
            jump = _Jump(resolve_url(doc.url, el.get("action", "")), _method(el), params)
            self._fetch(jump, caller_gone=True)
        raise _Ended("caller-hangup")

    def _redirect(self, el: ET.Element, doc: _Document) -> _Jump:
        target = (el.text or "").strip()
        self._verb_event(el, doc, target)
        if not target:
            self._fail(11100, doc.url, caller_gone=False)
        return _Jump(resolve_url(doc.url, target), _method(el), {})

    def _hangup(self, el: ET.Element, doc: _Document) -> NoReturn:
        self._verb_event(el, doc, "")
        raise _Ended("hangup")

    def _reject(self, el: ET.Element, doc: _Document) -> NoReturn:
        self._verb_event(el, doc, "")
        if self._answered and doc.root[0] is el:
            # First in its document, but a document before it answered the call (a <Reject>
            # after other verbs of its own document is reported by the document's check).
            message = "<Reject> must be the first verb of the call: it cannot refuse a call "
            self._report(12200, message + "an earlier document answered", doc.url)
        if not self._answered:
            # busy shows as busy; a plain rejection as failed (the call never connected).
            self._final_status = "busy" if el.get("reason") == "busy" else "failed"
        raise _Ended("rejected")

    # --- the caller ---------------------------------------------------------------------

    def _ask(self, wait: str, ask: Callable[[], CallerAction], doc: _Document) -> CallerAction:
        self._since_wait = 0
        self._spoken.clear()
        try:
            action = ask()
        except ScriptMismatch as exc:
            self._report("SIM003", str(exc), doc.url)
            self._hang_up_caller(doc)
        if not isinstance(action, FITS[wait]):
            message = (
                f"the call waits at a <{wait.capitalize()}> but the caller answered "
                f"{describe(action)!r}"
            )
            self._report("SIM003", message, doc.url)
            self._hang_up_caller(doc)
        if isinstance(action, HangUp):
            self._hang_up_caller(doc)
        return action

    def _hang_up_caller(self, doc: _Document) -> NoReturn:
        self._caller_event("hung up", doc)
        raise _Ended("caller-hangup")

    # --- requests -----------------------------------------------------------------------

    def _params(self, extra: dict[str, str]) -> dict[str, str]:
        def country(number: str) -> str:
            return "CN" if number.startswith("+86") else "US"

        return {
            "CallSid": self.call_sid,
            "AccountSid": self.account_sid,
            "From": self.from_number,
            "To": self.to_number,
            "Caller": self.from_number,
            "Called": self.to_number,
            "CallStatus": self._status,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            "FromCountry": country(self.from_number),
            "ToCountry": country(self.to_number),
            **extra,
        }

    def _send(self, method: str, url: str, extra: dict[str, str]) -> Response | None:
        params = self._params(extra)
        headers = self.line.headers(method, url, params)
        self._requests.append((method, url, params))
        try:
            return self.transport.request(method, url, params, headers)
        except TransportError as exc:
            self._report(exc.code, exc.message, url)
            return None

    def _flush_callbacks(self) -> None:
        pending, self._pending = self._pending, []
        for name, url, extra in pending:
            resp = self._send("POST", url, extra)
            if resp is not None and resp.status >= 400:
                self._report(11200, f"{name} answered HTTP {resp.status}", url)

    def _send_status_callback(self) -> None:
        url = self.line.status_callback
        if url is None:  # Twilio sends one only where the number has one configured
            return
        self._status = self._final_status
        extra = {
            "CallDuration": str(round(self._seconds) if self._answered else 0),
            "Timestamp": format_datetime(datetime.now(UTC)),
            "CallbackSource": "call-progress-events",
            "SequenceNumber": "0",
        }
        resp = self._send("POST", url, extra)
        if resp is not None and resp.status >= 400:
            self._report(15003, f"the status callback answered HTTP {resp.status}", url)

    # --- bookkeeping --------------------------------------------------------------------

    def _sid(self, prefix: str) -> str:
        return f"{prefix}{self._random.getrandbits(128):032x}"[:34]

    def _report(self, code: Code, message: str, url: str) -> None:
        self._problems.append(problem(code, message, url))

    def _emit(self, event: Event) -> None:
        self._events.append(event)
        if self.listener is not None:
            self.listener(event)

    def _verb_event(self, el: ET.Element, doc: _Document, text: str) -> None:
        speaker = None
        if el.tag == "Say":
            if self._says < len(doc.speakers):
                speaker = doc.speakers[self._says] or None
            self._says += 1
        self._emit(Event(el.tag, text, dict(el.attrib), doc.url, doc.node, speaker, doc.step))

    def _caller_event(self, text: str, doc: _Document) -> None:
        self._emit(Event("Caller", text, {}, doc.url, doc.node, step=doc.step))


def _spoken_by(found: TwimlProblem, root: ET.Element, speakers: tuple[str, ...]) -> TwimlProblem:
    """A problem with a <Say>, with the node whose words it says (as the app tells)."""
    el: ET.Element | None = root
    for part in found.element.split("/")[1:]:
        tag, _, nth = part.partition("[")
        same = [child for child in el if child.tag == tag] if el is not None else []
        index = int(nth.rstrip("]") or 1) - 1
        el = same[index] if 0 <= index < len(same) else None
    if el is None or el.tag != "Say":
        return found
    index = next(i for i, say in enumerate(root.iter("Say")) if say is el)
    if index >= len(speakers) or not speakers[index]:
        return found
    return replace(found, speaker=speakers[index], words="".join(el.itertext()).strip())


def _int(el: ET.Element, name: str, default: _T, minimum: int) -> int | _T:
    """Read an integer attribute; a bad value means the default, as Twilio falls back."""
    value = el.get(name, "")
    return int(value) if value.isdigit() and int(value) >= minimum else default


def _method(el: ET.Element) -> str:
    method = el.get("method", "POST")
    return method if method in ("GET", "POST") else "POST"  # Twilio warns, then uses POST


def _collect(keys: str, num_digits: int | None, finish_on_key: str) -> str:
    """Keep the keys Twilio would send as Digits: stop at finishOnKey or numDigits."""
    digits = ""
    for key in keys:
        if finish_on_key and key == finish_on_key:
            break
        digits += key
        if num_digits and len(digits) >= num_digits:
            break
    return digits


def _dial_target(el: ET.Element) -> str:
    """Name what a <Dial> calls: its bare number, or its first noun ("client:alice")."""
    if not len(el):
        return (el.text or "").strip()
    noun = el[0]
    prefix = "" if noun.tag in ("Number", "Sip") else f"{noun.tag.lower()}:"
    return prefix + (noun.text or "").strip()


def _next_tag(root: ET.Element, el: ET.Element) -> str | None:
    """The tag of the verb after `el` in the document, if any."""
    verbs = list(root)
    at = next((i for i, verb in enumerate(verbs) if verb is el), None)
    return verbs[at + 1].tag if at is not None and at + 1 < len(verbs) else None
