"""The simulator against Twilio's documented behaviour, one table per kind of fact.

Each row is a fact from ../shared/TWIML.md (Twilio's voice webhook docs, twilio-python):
which fields each verb's request adds, which callbacks fire when and with what, and what
each error code means for the call (fatal: the caller hears an application error; a
warning: logged while the call carries on). test_call.py tests the same behaviours one by
one; these tables say, per fact, what Twilio does.
"""

from __future__ import annotations

import pytest
from flask import Response as FlaskResponse

from ivr.simulator.call import CALL_FIELDS
from ivr.simulator.checks import CODES

from .conftest import doc

THANKS = doc("<Say>Thanks.</Say><Hangup/>")
TWILIO_CALL_FIELDS = {  # "The request Twilio sends": on every request of the call
    "CallSid", "AccountSid", "From", "To", "CallStatus", "Direction", "ApiVersion",
    "Caller", "Called", "FromCountry", "ToCountry",
}  # fmt: skip


def test_every_request_carries_the_call_fields() -> None:
    assert set(CALL_FIELDS) == TWILIO_CALL_FIELDS


# --- the fields each verb's action request adds ----------------------------------------------


@pytest.mark.parametrize(
    ("verb", "script", "added"),
    [
        # After a <Gather>: Digits, without the finishOnKey character.
        ('<Gather action="/next" finishOnKey="#"><Say>x</Say></Gather>', "12#", {"Digits": "12"}),
        # Speech: SpeechResult and Confidence (0.0-1.0).
        (
            '<Gather input="speech" action="/next"><Say>x</Say></Gather>',
            "say:hello",
            {"SpeechResult": "hello", "Confidence": None},
        ),
        # After a <Dial action>: DialCallStatus, DialCallSid, DialCallDuration.
        (
            '<Dial action="/next">+8610555000111</Dial>',
            "dial:busy",
            {"DialCallStatus": "busy", "DialCallSid": None, "DialCallDuration": "0"},
        ),
        # After a <Record action>: RecordingUrl, RecordingDuration, RecordingSid, Digits.
        (
            '<Record action="/next" finishOnKey="#"/>',
            "rec:hello",
            {"RecordingUrl": None, "RecordingDuration": None, "RecordingSid": None, "Digits": "#"},
        ),
        # A <Redirect> adds nothing of its own.
        ("<Redirect>/next</Redirect>", "", {}),
    ],
)
def test_each_verb_adds_exactly_twilios_fields(dial_in, verb, script, added) -> None:
    call = dial_in({"/voice": doc(verb), "/next": THANKS}, script, status=None)
    (after,) = call.to("/next")
    extra = {k: v for k, v in after.values.items() if k not in TWILIO_CALL_FIELDS}
    assert set(extra) == set(added)
    for name, value in added.items():
        if value is not None:
            assert extra[name] == value
    assert after.values["CallStatus"] == "in-progress"
    if "Confidence" in added:
        assert 0.0 <= float(extra["Confidence"]) <= 1.0


# --- which callbacks fire, when, and with what ------------------------------------------------


@pytest.mark.parametrize(
    ("page", "final"),
    [
        (THANKS, "completed"),
        (doc('<Reject reason="busy"/>'), "busy"),  # refused unanswered: busy shows as busy
        (doc("<Reject/>"), "failed"),  # a plain rejection never connected
    ],
)
def test_the_status_callback_fires_once_last_with_the_final_status(dial_in, page, final) -> None:
    call = dial_in({"/voice": page})
    *_, last = call.received
    assert last.path == "/voice/status" and len(call.to("/voice/status")) == 1
    assert last.values["CallStatus"] == final
    for name in ("CallDuration", "Timestamp", "SequenceNumber", "CallbackSource"):
        assert name in last.values


def test_no_status_callback_fires_where_none_is_configured(dial_in) -> None:
    assert [r.path for r in dial_in({"/voice": THANKS}, status=None).received] == ["/voice"]


def test_the_transcription_callback_fires_after_the_recording_action(dial_in) -> None:
    page = doc('<Record action="/next" transcribeCallback="/transcribed"/>')
    call = dial_in({"/voice": page, "/next": THANKS}, "rec:hello", status=None)
    assert [r.path for r in call.received] == ["/voice", "/next", "/transcribed"]
    transcribed = call.to("/transcribed")[0].values
    assert transcribed["TranscriptionText"] == "hello"
    assert transcribed["TranscriptionStatus"] == "completed"
    assert transcribed["RecordingSid"] == call.to("/next")[0].values["RecordingSid"]


# --- what each error code means for the call -------------------------------------------------

FATAL = [11200, 11205, 11215, 11750, 11770, 12100, 12102, 12300]  # "the fatal ones end it"


@pytest.mark.parametrize("code", FATAL)
def test_the_fatal_codes_are_errors(code: int) -> None:
    assert CODES[code][1] == "error"


@pytest.mark.parametrize(
    ("page", "code"),
    [
        (lambda: ("oops", 500), 11200),  # an HTTP 4xx/5xx answer
        (lambda: FlaskResponse("<Response><Say>x</Response>", mimetype="text/xml"), 12100),
        (lambda: FlaskResponse("<Document/>", mimetype="text/xml"), 12102),
        (lambda: FlaskResponse(THANKS, mimetype="application/json"), 12300),
        (lambda: FlaskResponse(" ", mimetype="text/xml"), 12100),
        (lambda: FlaskResponse(doc("<Pause/>" * 9000), mimetype="text/xml"), 11750),
    ],
)
def test_a_fatal_code_ends_the_call_with_twilios_application_error(dial_in, page, code) -> None:
    call = dial_in({"/voice": page})
    assert call.codes == [code]
    assert call.result.end == "application-error"
    assert call.lines == [f"[Error] an application error has occurred ({code}); goodbye"]


@pytest.mark.parametrize(
    ("verbs", "code"),
    [
        ("<say>lower case</say>", 12200),  # names are case-sensitive
        ('<Gather timeOut="3"><Say>x</Say></Gather>', 12200),  # so are attributes
        ("<Gather><Dial>+8610555000111</Dial></Gather>", 13320),  # invalid nested verb
        ('<Say loop="-1">x</Say>', 13510),
        ('<Pause length="0"/>', 13910),
    ],
)
def test_a_warning_is_logged_and_the_call_carries_on(dial_in, verbs, code) -> None:
    call = dial_in({"/voice": doc(verbs + "<Say>after</Say><Hangup/>")}, ".")
    assert code in call.codes and CODES[code][1] == "warning"
    assert call.result.end == "hangup" and "[Say] after" in call.lines
