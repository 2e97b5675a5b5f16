"""A strict TwiML checker that reports what Twilio's debugger would, with Twilio's codes.

Codes and their log levels come from Twilio's error list (twilio.com/docs/api/errors);
the "SIM" codes are this project's own, for mistakes Twilio accepts silently.
"""

from __future__ import annotations

import difflib
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from ivr.menu.voices import (
    language_family,
    speaks_mandarin,
    speech_language_problem,
    voice_languages,
    voice_problem,
)
from ivr.simulator.transport import MAX_TWIML, Response

# A notice is shown and never fails a run: a house rule of this project's own menus (see
# HOUSE_RULES) met in another app, whose design is its author's to judge.
Severity = Literal["error", "warning", "notice"]
Code = int | str

# Every code the simulator reports: Twilio's title and log level (ERROR ends the call
# for document-level codes; WARNING is logged while the call carries on).
CODES: dict[Code, tuple[str, Severity]] = {
    11100: ("Invalid URL format", "error"),
    11200: ("HTTP retrieval failure", "error"),
    11205: ("HTTP connection failure", "error"),
    11215: ("HTTP too many redirects", "error"),
    11750: ("TwiML response body too large", "error"),
    11770: ("Empty response body", "error"),
    12100: ("Document parse failure", "error"),
    12102: ("The root element must be Response", "error"),
    12200: ("Schema validation warning", "warning"),
    12300: ("Invalid Content-Type", "error"),
    13210: ("Dial: Invalid method value", "warning"),
    13212: ("Dial: Invalid timeout value", "warning"),
    13213: ("Dial: Invalid hangupOnStar value", "warning"),
    13214: ("Dial: Invalid callerId value", "warning"),
    13215: ("Dial: Invalid nested element", "warning"),
    13216: ("Invalid timeLimit value", "warning"),
    13217: ("Dial: Invalid record value", "warning"),
    13219: ("Dial: Invalid answerOnBridge value", "warning"),
    13221: ("Dial->Number: Invalid method value", "warning"),
    13222: ("Dial->Number: Invalid sendDigits value", "warning"),
    13223: ("Dial: Invalid phone number format", "warning"),
    13230: ("Dial->Conference: Invalid muted value", "warning"),
    13231: ("Dial->Conference: Invalid endConferenceOnExit value", "error"),
    13232: ("Dial->Conference: Invalid startConferenceOnEnter value", "warning"),
    13234: ("Dial->Conference: Invalid waitMethod", "warning"),
    13235: ("Dial->Conference: Invalid beep value", "warning"),
    13310: ("Gather: Invalid finishOnKey value", "warning"),
    13312: ("Gather: Invalid method value", "warning"),
    13313: ("Gather: Invalid timeout value", "warning"),
    13314: ("Gather: Invalid numDigits value", "warning"),
    13320: ("Gather: Invalid nested verb", "warning"),
    13321: ("Gather->Say: Invalid voice value", "warning"),
    13322: ("Gather->Say: Invalid loop value", "warning"),
    13326: ("Gather: Invalid input value", "warning"),
    13327: ("Gather: Invalid speechTimeout value", "warning"),
    13328: ("Gather: Invalid maxSpeechTime value", "warning"),
    13329: ("Gather: Invalid partialResultCallbackMethod value", "warning"),
    13332: ("Gather: Invalid bargeIn value", "warning"),
    13333: ("Gather: Invalid profanityFilter value", "warning"),
    13334: ("Gather: Invalid model value", "warning"),
    13338: ("Gather: Invalid actionOnEmptyResult value", "error"),
    13410: ("Play: Invalid loop value", "warning"),
    13430: ("Play: Invalid DTMF String", "warning"),
    13510: ("Say: Invalid loop value", "warning"),
    13511: ("Say: Invalid voice value", "warning"),
    13512: ("Invalid language attribute value", "warning"),
    13520: ("Say: Invalid text", "warning"),
    13521: ("<Say> element character limits exceeded", "warning"),
    13610: ("Record: Invalid method value", "warning"),
    13611: ("Record: Invalid timeout value", "warning"),
    13612: ("Record: Invalid maxLength value", "warning"),
    13613: ("Record: Invalid finishOnKey value", "warning"),
    13614: ("Record: Invalid transcribe value", "warning"),
    13615: ("Record: maxLength too high for transcription", "warning"),
    13616: ("Record: playBeep must be true or false", "warning"),
    13699: ("Record: Invalid trim value", "warning"),
    13710: ("Redirect: Invalid method value", "warning"),
    13810: ("Reject: Invalid cause", "warning"),
    13910: ("Pause: Invalid length value", "warning"),
    14201: ("Enqueue: Invalid method value", "error"),
    14204: ("Enqueue: Queue name too short", "error"),
    14205: ("Enqueue: Queue name too long", "error"),
    14206: ("Enqueue: Invalid waitUrlMethod value", "error"),
    15003: ("Call Progress: Warning Response to Callback URL", "warning"),
    "SIM001": ("Gather is the last verb: a silent caller is hung up on", "warning"),
    "SIM002": ("Too many documents without waiting for the caller", "error"),
    "SIM003": ("The caller's script does not fit what the call waits for", "error"),
    "SIM004": (
        "More than one sentence is said before a Gather or a Dial, where no key can cut it",
        "warning",
    ),
}


# Checks of prompt design rather than of what Twilio accepts: warnings for the menu this
# project serves (issue 14 asks them of it), notices for any other app (`--url`).
HOUSE_RULES = frozenset({"SIM004"})


def counts(problem: TwimlProblem, lenient: bool) -> bool:
    """Whether a problem fails a run: errors always, warnings unless lenient, notices never."""
    return problem.severity == "error" or (problem.severity == "warning" and not lenient)


@dataclass(frozen=True)
class TwimlProblem:
    """One thing Twilio would log about a request or a document."""

    code: Code
    message: str
    url: str
    element: str = ""
    severity: Severity = "warning"
    speaker: str | None = None  # a <Say>'s node, when the app tells (ours does)
    words: str = ""  # that <Say>'s text

    def __str__(self) -> str:
        where = f" ({self.element})" if self.element else ""
        return f"{self.code} at {self.url}{where}: {self.message}"


def problem(code: Code, message: str, url: str, element: str = "") -> TwimlProblem:
    """Make a TwimlProblem whose severity is the one Twilio gives the code."""
    return TwimlProblem(code, message, url, element, CODES[code][1])


# --- attribute validators: each returns what is wrong with a value, or None ------------

Check = Callable[[str], str | None]


def _anything(value: str) -> str | None:
    return None


def _integer(low: int, high: int | None = None) -> Check:
    def check(value: str) -> str | None:
        if re.fullmatch(r"\d+", value) and low <= int(value) <= (high or int(value)):
            return None
        bounds = f"from {low} to {high}" if high else f">= {low}"
        return f"must be an integer {bounds}"

    return check


def _one_of(*allowed: str) -> Check:
    def check(value: str) -> str | None:
        if value in allowed:
            return None
        near = [a for a in allowed if a.lower() == value.lower()]
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        return "must be one of " + ", ".join(repr(a) for a in allowed) + hint

    return check


def _pattern(regex: str, description: str) -> Check:
    compiled = re.compile(regex)

    def check(value: str) -> str | None:
        return None if compiled.fullmatch(value) else f"must be {description}"

    return check


def _words(allowed: set[str], description: str) -> Check:
    def check(value: str) -> str | None:
        words = value.split()
        if words and set(words) <= allowed and len(set(words)) == len(words):
            return None
        return f"must be {description}"

    return check


_BOOL = _one_of("true", "false")
_METHOD = _one_of("GET", "POST")
_E164 = _pattern(r"\+[1-9]\d{1,14}", "an E.164 number such as +8610555000111")
# Twilio also takes unformatted US numbers: "415-123-4567", "(415) 555-1212".
_PHONE = _pattern(
    r"\+?(?=(?:[ ().-]*\d){3,15}[ ().-]*$)\(?\d[\d ().-]*",
    "an E.164 number such as +8610555000111, plain digits, or a US number like 415-123-4567",
)
# Basic voices accept bare or lower-case tags ("en", "en-gb"), so Say is looser.
_SAY_LANGUAGE = _pattern(
    r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Za-z]{2}|\d{3}))?", "a language tag such as zh-CN"
)


@dataclass(frozen=True)
class Rule:
    """An allowed attribute: the code Twilio logs for a bad value, and the test of it."""

    code: Code
    check: Check = _anything


@dataclass(frozen=True)
class Spec:
    """What one TwiML element may carry."""

    attrs: Mapping[str, Rule] | None  # None: a real verb the simulator does not check
    children: frozenset[str] = frozenset()
    text: bool = False
    nesting_code: Code = 12200  # the code for a child that may not appear here


def _spec(
    attrs: Mapping[str, Rule] | None,
    children: str = "",
    *,
    text: bool = False,
    nesting_code: Code = 12200,
) -> Spec:
    return Spec(attrs, frozenset(children.split()), text, nesting_code)


_ANY = Rule(12200)
_CALLBACKS = {"statusCallback": _ANY, "statusCallbackEvent": _ANY, "statusCallbackMethod": _ANY}
_RECORDING_CALLBACKS = {
    "recordingStatusCallback": _ANY,
    "recordingStatusCallbackMethod": _ANY,
    "recordingStatusCallbackEvent": _ANY,
}
_SSML = "break emphasis lang p phoneme prosody s say-as sub w"

# The whole schema: every element, its attributes with their validators, and its children.
SCHEMA: dict[str, Spec] = {
    "Response": _spec(
        {},
        "Say Play Pause Gather Dial Record Enqueue Redirect Hangup Reject "
        "Leave Connect Start Stop Pay Refer Sms",
    ),
    "Say": _spec(
        {
            "voice": Rule(13511, voice_problem),
            "language": Rule(13512, _SAY_LANGUAGE),  # no Say-only language code; see 13512
            "loop": Rule(13510, _integer(0)),
        },
        _SSML,
        text=True,
    ),
    "Play": _spec(
        {
            "loop": Rule(13410, _integer(0)),
            "digits": Rule(13430, _pattern(r"[0-9*#wW]+", "keys 0-9 * # and w (wait)")),
        },
        text=True,
    ),
    "Pause": _spec({"length": Rule(13910, _integer(1))}),
    "Gather": _spec(
        {
            "action": _ANY,
            "method": Rule(13312, _METHOD),
            "timeout": Rule(13313, _integer(1)),
            "numDigits": Rule(13314, _integer(1)),
            "finishOnKey": Rule(13310, _pattern(r"[0-9*#]?", "one of 0-9 * # or empty")),
            "input": Rule(13326, _words({"dtmf", "speech"}, "'dtmf', 'speech' or 'dtmf speech'")),
            "language": Rule(13512, speech_language_problem),
            "speechTimeout": Rule(13327, _pattern(r"\d+|auto", "an integer or 'auto'")),
            "maxSpeechTime": Rule(13328, _integer(1)),
            "hints": _ANY,
            "actionOnEmptyResult": Rule(13338, _BOOL),
            "bargeIn": Rule(13332, _BOOL),
            "profanityFilter": Rule(13333, _BOOL),
            "speechModel": Rule(13334, _pattern(r"\S+", "a model name")),
            "enhanced": Rule(13334, _BOOL),
            "partialResultCallback": _ANY,
            "partialResultCallbackMethod": Rule(13329, _METHOD),
            "debug": _ANY,
        },
        "Say Play Pause",
        nesting_code=13320,
    ),
    "Dial": _spec(
        {
            "action": _ANY,
            "method": Rule(13210, _METHOD),
            "timeout": Rule(13212, _integer(5, 600)),
            "timeLimit": Rule(13216, _integer(1, 86400)),
            "callerId": Rule(13214, _E164),
            "hangupOnStar": Rule(13213, _BOOL),
            "answerOnBridge": Rule(13219, _BOOL),
            "record": Rule(
                13217,
                _one_of(
                    "do-not-record",
                    "record-from-answer",
                    "record-from-ringing",
                    "record-from-answer-dual",
                    "record-from-ringing-dual",
                    "true",
                    "false",
                ),
            ),
            "trim": _ANY,
            "ringTone": _ANY,
            "recordingTrack": _ANY,
            "sequential": _ANY,
            "referUrl": _ANY,
            "referMethod": _ANY,
            "events": _ANY,
            **_RECORDING_CALLBACKS,
        },
        "Number Client Sip Queue Conference Application",
        text=True,
        nesting_code=13215,
    ),
    "Number": _spec(
        {
            "sendDigits": Rule(13222, _pattern(r"[0-9*#wW]+", "keys 0-9 * # and w (wait)")),
            "url": _ANY,
            "method": Rule(13221, _METHOD),
            "byoc": _ANY,
            "machineDetection": _ANY,
            "amdStatusCallback": _ANY,
            **_CALLBACKS,
        },
        text=True,
    ),
    "Client": _spec({"url": _ANY, "method": _ANY, **_CALLBACKS}, "Identity Parameter", text=True),
    "Identity": _spec({}, text=True),
    "Parameter": _spec({"name": _ANY, "value": _ANY}),
    "Sip": _spec(
        {
            "username": _ANY,
            "password": _ANY,
            "url": _ANY,
            "method": _ANY,
            "machineDetection": _ANY,
            **_CALLBACKS,
        },
        text=True,
    ),
    "Application": _spec(None, text=True),
    "Queue": _spec(
        {"url": _ANY, "method": _ANY, "reservationSid": _ANY, "postWorkActivitySid": _ANY},
        text=True,
    ),
    "Conference": _spec(
        {
            "muted": Rule(13230, _BOOL),
            "beep": Rule(13235, _one_of("true", "false", "onEnter", "onExit")),
            "startConferenceOnEnter": Rule(13232, _BOOL),
            "endConferenceOnExit": Rule(13231, _BOOL),
            "waitUrl": _ANY,
            "waitMethod": Rule(13234, _METHOD),
            "maxParticipants": _ANY,
            "record": _ANY,
            "region": _ANY,
            "coach": _ANY,
            "trim": _ANY,
            "participantLabel": _ANY,
            "eventCallbackUrl": _ANY,
            "jitterBufferSize": _ANY,
            **_CALLBACKS,
            **_RECORDING_CALLBACKS,
        },
        text=True,
    ),
    "Record": _spec(
        {
            "action": _ANY,
            "method": Rule(13610, _METHOD),
            "timeout": Rule(13611, _integer(0)),  # 0 turns silence detection off
            "maxLength": Rule(13612, _integer(1)),
            "finishOnKey": Rule(13613, _pattern(r"[0-9*#]*", "keys from 0-9 * #")),
            "transcribe": Rule(13614, _BOOL),
            "transcribeCallback": _ANY,
            "playBeep": Rule(13616, _BOOL),
            "trim": Rule(13699, _one_of("trim-silence", "do-not-trim")),
            "recordingChannels": _ANY,
            "recordingTrack": _ANY,
            "storageUrl": _ANY,
            **_RECORDING_CALLBACKS,
        }
    ),
    "Enqueue": _spec(
        {
            "action": _ANY,
            "method": Rule(14201, _METHOD),
            "waitUrl": _ANY,
            "waitUrlMethod": Rule(14206, _METHOD),
            "workflowSid": _ANY,
            "maxQueueSize": _ANY,
        },
        "Task",
        text=True,
    ),
    "Task": _spec({"priority": _ANY, "timeout": _ANY}, text=True),
    "Redirect": _spec({"method": Rule(13710, _METHOD)}, text=True),
    "Hangup": _spec({}),
    "Reject": _spec({"reason": Rule(13810, _one_of("rejected", "busy"))}),
    "Leave": _spec({}),
    # Real verbs the simulator does not model: accepted as they are, never checked.
    **{verb: _spec(None) for verb in ("Connect", "Start", "Stop", "Pay", "Refer", "Sms")},
}

# Say nested in Gather has codes of its own in Twilio's list.
NESTED_CODES: dict[tuple[str, str, str], Code] = {
    ("Gather", "Say", "voice"): 13321,
    ("Gather", "Say", "loop"): 13322,
}

SAY_LIMITS = {"Polly.": 3000, "Google.": 5000}  # characters; basic voices allow 4096
BASIC_SAY_LIMIT = 4096
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。！？!?]+|\.+(?=\s|$)")


def check_response(resp: Response) -> tuple[ET.Element | None, list[TwimlProblem]]:
    """Check one webhook answer; return its <Response> (None when Twilio cannot run it)."""
    encoding = next((v for k, v in resp.headers.items() if k.lower() == "transfer-encoding"), "")
    chunked = "chunked" in encoding.lower()
    root, problems = _checked(resp.status, resp.content_type, resp.body, chunked)
    return root, [replace(p, url=resp.url) for p in problems]


@functools.lru_cache(maxsize=4096)
def _checked(
    status: int, content_type: str, body: bytes, chunked: bool = False
) -> tuple[ET.Element | None, tuple[TwimlProblem, ...]]:
    # Remembered: a call, and above all the explorer, meets the same documents again and
    # again, and the same document at several URLs (the URL is only where each problem was
    # found: check_response fills it in). The interpreter only reads the tree, so sharing
    # it is safe.
    root, problems = _check(status, content_type, body, chunked)
    return root, tuple(problems)


def _check(
    status: int, content_type: str, body: bytes, chunked: bool
) -> tuple[ET.Element | None, list[TwimlProblem]]:
    url = ""  # (each problem's URL is filled in by check_response)
    if status >= 400:
        snippet = body[:200].decode("utf-8", "replace").strip()
        detail = f": {snippet}" if snippet and "<" not in snippet else ""
        return None, [problem(11200, f"the app answered HTTP {status}{detail}", url)]
    mime = content_type.split(";")[0].strip().lower()
    if mime == "text/plain" and body.strip() and len(body) <= MAX_TWIML:
        # Twilio reads a plain-text answer aloud, as one <Say>.
        root = ET.Element("Response")
        ET.SubElement(root, "Say").text = body.decode("utf-8", "replace").strip()
        return root, []
    if mime not in ("text/xml", "application/xml"):
        shown = content_type or "no Content-Type"
        message = f"Content-Type is {shown!r}; TwiML must be text/xml or application/xml"
        return None, [problem(12300, message, url)]
    if not body.strip():
        # Twilio documents 11770 for an empty chunked body; a plain one fails as a document
        # that cannot be parsed (TWIML.md, "Time limits and failure").
        if chunked:
            return None, [problem(11770, "the app answered with an empty chunked body", url)]
        return None, [problem(12100, "the app answered with an empty body: no document", url)]
    if len(body) > MAX_TWIML:
        message = f"the body is over {MAX_TWIML} bytes, the most Twilio accepts"
        return None, [problem(11750, message, url)]
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return None, [problem(12100, f"the document is not well-formed XML: {exc}", url)]
    if root.tag != "Response":
        message = f"the root element is <{root.tag}>; it must be <Response>"
        return None, [problem(12102, message, url, root.tag)]
    problems: list[TwimlProblem] = []
    _check_element(root, "Response", None, url, problems)
    _check_document_shape(root, url, problems)
    _check_barge_in(root, url, problems)
    return root, problems


def _check_element(
    el: ET.Element, path: str, parent: str | None, url: str, out: list[TwimlProblem]
) -> None:
    spec = SCHEMA[el.tag]
    if spec.attrs is None:
        return  # a verb the simulator does not model: neither it nor its insides are checked
    for name, value in el.attrib.items():
        _check_attribute(el.tag, parent, name, value, spec.attrs, path, url, out)
    text = (el.text or "").strip()
    if text and not spec.text:
        out.append(problem(12200, f"<{el.tag}> cannot contain text ({text!r})", url, path))
    if el.tag == "Say":
        _check_say(el, parent, path, url, out)
        return  # Say's children are SSML, not TwiML
    counts: dict[str, int] = {}
    for child in el:
        counts[child.tag] = counts.get(child.tag, 0) + 1
        child_path = f"{path}/{child.tag}[{counts[child.tag]}]"
        tail = (child.tail or "").strip()
        if not spec.text and tail:
            out.append(problem(12200, f"<{el.tag}> cannot contain text ({tail!r})", url, path))
        if child.tag not in SCHEMA:
            out.append(problem(12200, _unknown_element(child.tag), url, child_path))
        elif child.tag not in spec.children:
            out.append(
                problem(spec.nesting_code, _misplaced(child.tag, el.tag, spec), url, child_path)
            )
        else:
            _check_element(child, child_path, el.tag, url, out)
    _check_verb_content(el, path, url, out)


def _check_attribute(
    tag: str,
    parent: str | None,
    name: str,
    value: str,
    allowed: Mapping[str, Rule],
    path: str,
    url: str,
    out: list[TwimlProblem],
) -> None:
    rule = allowed.get(name)
    if rule is None:
        out.append(problem(12200, _unknown_attribute(tag, name, allowed), url, path))
        return
    complaint = rule.check(value)
    if complaint:
        code = NESTED_CODES.get((parent or "", tag, name), rule.code)
        out.append(problem(code, f"invalid {name}={value!r}: {complaint}", url, path))


def _unknown_element(tag: str) -> str:
    same = [name for name in SCHEMA if name.lower() == tag.lower()]
    if same:
        return f"unknown element <{tag}>: names are case-sensitive (did you mean <{same[0]}>?)"
    near = difflib.get_close_matches(tag, list(SCHEMA), n=1)
    hint = f" (did you mean <{near[0]}>?)" if near else ""
    return f"unknown element <{tag}>{hint}"


def _unknown_attribute(tag: str, name: str, allowed: Mapping[str, Rule]) -> str:
    same = [a for a in allowed if a.lower() == name.lower()]
    near = same or difflib.get_close_matches(name, list(allowed), n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown attribute {name!r} on <{tag}>{hint}"


def _misplaced(child: str, parent: str, spec: Spec) -> str:
    if not spec.children:
        return f"<{child}> cannot be nested in <{parent}>, which takes no elements"
    if parent == "Response":
        return f"<{child}> is not a verb; it belongs inside another verb such as <Dial>"
    allowed = ", ".join(f"<{name}>" for name in sorted(spec.children))
    return f"<{child}> cannot be nested in <{parent}>; it may contain only {allowed}"


def _check_verb_content(el: ET.Element, path: str, url: str, out: list[TwimlProblem]) -> None:
    text = (el.text or "").strip()
    if el.tag == "Redirect" and not text:
        # Twilio has no Redirect-specific code for a missing URL; 11100 is its URL error.
        out.append(problem(11100, "<Redirect> has no URL to go to", url, path))
    elif el.tag == "Play" and not text and "digits" not in el.attrib:
        out.append(problem(12200, "<Play> needs an audio URL or a digits attribute", url, path))
    elif el.tag == "Number" or (el.tag == "Dial" and not len(el)):
        complaint = _PHONE(text)
        if complaint:
            out.append(problem(13223, f"invalid number {text!r}: {complaint}", url, path))
    elif el.tag == "Enqueue" and not text:
        out.append(problem(14204, "<Enqueue> needs a queue name", url, path))
    elif el.tag == "Enqueue" and len(text) > 64:
        out.append(
            problem(14205, f"queue name is {len(text)} characters; the limit is 64", url, path)
        )
    elif (
        el.tag == "Record"
        and el.get("maxLength", "").isdigit()
        and ("transcribe" in el.attrib or "transcribeCallback" in el.attrib)
        and int(el.get("maxLength", "0")) > 120
    ):
        # Twilio transcribes recordings of at most two minutes.
        out.append(problem(13615, "transcription needs maxLength <= 120", url, path))


def _check_say(
    el: ET.Element, parent: str | None, path: str, url: str, out: list[TwimlProblem]
) -> None:
    text = "".join(el.itertext()).strip()
    voice = el.get("voice", "")
    voice_code = NESTED_CODES.get((parent or "", "Say", "voice"), 13511)
    for child in el:
        if child.tag not in SCHEMA["Say"].children:
            out.append(problem(12200, f"<{child.tag}> is not SSML that <Say> accepts", url, path))
    if not text:
        out.append(problem(13520, "<Say> has no text to speak", url, path))
        return
    limit = next(
        (n for prefix, n in SAY_LIMITS.items() if voice.startswith(prefix)), BASIC_SAY_LIMIT
    )
    if len(text) > limit:
        message = f"{len(text)} characters; voice {voice or 'man'!r} speaks at most {limit}"
        out.append(problem(13521, message, url, path))
    if _CJK.search(text) and not speaks_mandarin(voice, el.get("language", "")):
        # No Twilio code says "this voice cannot speak this text"; the Say voice code
        # (13511, or 13321 inside Gather) is the closest, since the fix is the voice.
        who = f"voice {voice!r}" if voice else f"language {el.get('language', 'en-US')!r}"
        message = (
            f"Chinese text with {who}, which cannot speak it "
            "(use voice Polly.Zhiyu or Google.cmn-CN-*, or language zh-CN)"
        )
        out.append(problem(voice_code, message, url, path))
    elif voice and el.get("language") and not _SAY_LANGUAGE(el.get("language", "")):
        _check_voice_language(voice, el.get("language", ""), path, url, out)


def _check_voice_language(
    voice: str, language: str, path: str, url: str, out: list[TwimlProblem]
) -> None:
    """A Polly or Google voice given a language it does not speak (Polly.Zhiyu with en-US):
    TWIML.md says such a pair can make the <Say> fail, so 13512, its language code."""
    spoken = voice_languages(voice)
    if not spoken or language_family(language) in {language_family(lang) for lang in spoken}:
        return
    message = (
        f"voice {voice!r} speaks {', '.join(spoken)}, not language={language!r} "
        f"(use language {spoken[0]!r}, or a voice that speaks {language})"
    )
    out.append(problem(13512, message, url, path))


def _check_document_shape(root: ET.Element, url: str, out: list[TwimlProblem]) -> None:
    verbs = list(root)
    for index, el in enumerate(verbs):
        if el.tag == "Reject" and index > 0:
            message = "<Reject> must be the first verb: a call cannot be refused once answered"
            out.append(problem(12200, message, url, f"Response/Reject[{_nth(verbs, index)}]"))
    if verbs and verbs[-1].tag == "Gather" and verbs[-1].get("actionOnEmptyResult") != "true":
        message = (
            "<Gather> is the last verb, so a caller who says nothing is hung up on; "
            "add a verb after it (a <Say> and a <Redirect>, say)"
        )
        out.append(
            problem("SIM001", message, url, f"Response/Gather[{_nth(verbs, len(verbs) - 1)}]")
        )


def _check_barge_in(root: ET.Element, url: str, out: list[TwimlProblem]) -> None:
    """Warn about a <Say> of several sentences just before a <Gather> (outside it) or a
    <Dial>.

    Keys pressed while it plays do nothing, so a caller who has heard enough must wait;
    inside the Gather a key cuts it short, and before a transfer every sentence delays it.
    One short sentence (a greeting, "connecting you") is fine.
    """
    verbs = list(root)
    for index, el in enumerate(verbs):
        if el.tag not in ("Gather", "Dial"):
            continue
        before = index - 1
        while before >= 0 and verbs[before].tag in ("Say", "Play", "Pause"):
            say = verbs[before]
            if say.tag == "Say" and sentences(say) > 1:
                message = (
                    f"{sentences(say)} sentences are said before the <Gather>, where no key "
                    "can interrupt them; move them inside it (only a short greeting may stand "
                    "before)"
                    if el.tag == "Gather"
                    else f"{sentences(say)} sentences are said before the <Dial>, where no "
                    "key can interrupt them; keep one short sentence"
                )
                path = f"Response/Say[{_nth(verbs, before)}]"
                out.append(problem("SIM004", message, url, path))
            before -= 1


def sentences(say: ET.Element) -> int:
    """Count the sentences of a <Say>: '您好。欢迎。' is 2, 'Hello, and welcome.' is 1."""
    text = "".join(say.itertext()).strip()
    return sum(1 for part in _SENTENCE_END.split(text) if part.strip())


def _nth(siblings: list[ET.Element], index: int) -> int:
    tag = siblings[index].tag
    return sum(1 for el in siblings[: index + 1] if el.tag == tag)
