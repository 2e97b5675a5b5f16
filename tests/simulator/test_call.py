"""The interpreter runs documents as Twilio does and sends exactly Twilio's fields."""

from __future__ import annotations

import re

import pytest
from flask import Response as FlaskResponse
from flask import request

from ivr.simulator import Call, Event, Keys, ScriptedCaller, WsgiTransport
from ivr.simulator.line import Line

from .conftest import BASE, TOKEN, doc, twiml_app

SID = re.compile(r"[0-9a-f]{32}")
MENU = doc(
    '<Gather numDigits="1" action="/menu"><Say>Press 1 for sales.</Say></Gather>'
    "<Say>We did not hear you.</Say><Hangup/>"
)
THANKS = doc("<Say>Thanks.</Say><Hangup/>")


# --- the call and its fields -----------------------------------------------------------


def test_first_request_rings_and_carries_twilio_fields(dial_in) -> None:
    """Every request has Twilio's fields; CallSid is stable; the first is 'ringing'."""
    call = dial_in({"/voice": MENU, "/menu": THANKS}, "1")
    first, second, status = call.received
    assert status.path == "/voice/status"
    assert first.method == "POST" and first.path == "/voice"
    assert first.values["CallStatus"] == "ringing"
    assert second.values["CallStatus"] == "in-progress"
    for field, value in {
        "From": "+8613800138000",
        "To": "+8610555000100",
        "Caller": "+8613800138000",
        "Called": "+8610555000100",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        "FromCountry": "CN",
        "ToCountry": "CN",
    }.items():
        assert first.values[field] == value
    # Its own shape, so the records can tell it from a real call ("CA" + 32 hex digits).
    assert re.fullmatch(r"CAsim[0-9a-f]{29}", first.values["CallSid"])
    assert re.fullmatch("AC" + SID.pattern, first.values["AccountSid"])
    assert {r.values["CallSid"] for r in call.received} == {first.values["CallSid"]}


def test_countries_follow_the_numbers(dial_in) -> None:
    """+86 numbers are CN, others US."""
    call = dial_in({"/voice": THANKS}, from_number="+14155550100")
    assert call.received[0].values["FromCountry"] == "US"
    assert call.received[0].values["ToCountry"] == "CN"


def test_status_callback_reports_the_end(dial_in) -> None:
    """When the call ends a status callback posts 'completed' and the duration."""
    call = dial_in({"/voice": THANKS})
    (status,) = call.to("/voice/status")
    assert status.method == "POST"
    assert status.values["CallStatus"] == "completed"
    assert int(status.values["CallDuration"]) >= 1
    assert status.values["CallbackSource"] == "call-progress-events"
    assert call.result.end == "hangup"


def test_status_callback_can_be_moved_or_disabled(dial_in) -> None:
    """The line's status callback picks the URL; a line without one sends none."""
    moved = dial_in({"/voice": THANKS}, status="/calls/status")
    assert [r.path for r in moved.received] == ["/voice", "/calls/status"]
    off = dial_in({"/voice": THANKS}, status=None)
    assert [r.path for r in off.received] == ["/voice"]


def test_failing_status_callback_is_a_problem(dial_in) -> None:
    """A 500 from the status callback is logged as Twilio's 15003."""
    failing = {"/voice": THANKS, "/voice/status": lambda: ("boom", 500)}
    call = dial_in(failing)
    assert call.codes == [15003]
    assert call.result.problems[0].url == f"{BASE}/voice/status"


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_signatures_validate_with_twilio_validator(dial_in, method: str) -> None:
    """With an auth token every request, GET or POST, carries a valid X-Twilio-Signature."""
    pages = {
        "/voice": doc(
            f'<Gather numDigits="1" action="/menu?node=main" method="{method}">'
            "<Say>x</Say></Gather><Hangup/>"
        ),
        "/menu": THANKS,
    }
    call = dial_in(pages, "1", auth_token=TOKEN)
    assert [r.path for r in call.received] == ["/voice", "/menu", "/voice/status"]
    assert call.received[1].method == method
    assert all(r.signature_ok for r in call.received), call.received


def test_a_wrong_token_gives_invalid_signatures() -> None:
    """The test app's validator really checks: a different token fails."""
    app, received = twiml_app({"/voice": THANKS}, token=TOKEN)
    line = Line(f"{BASE}/voice", status_callback=f"{BASE}/voice/status", auth_token="other")
    Call(WsgiTransport(app, BASE), ScriptedCaller([]), line=line).run()
    assert [r.signature_ok for r in received] == [False, False]


def test_requests_are_listed_in_the_result(dial_in) -> None:
    """result.requests holds (method, absolute URL, params) for each request."""
    call = dial_in({"/voice": MENU, "/menu": THANKS}, "1")
    methods_urls = [(m, u) for m, u, _ in call.result.requests]
    assert methods_urls == [
        ("POST", f"{BASE}/voice"),
        ("POST", f"{BASE}/menu"),
        ("POST", f"{BASE}/voice/status"),
    ]
    assert call.result.requests[1][2]["Digits"] == "1"


# --- Gather ----------------------------------------------------------------------------


def test_gather_without_input_falls_through_to_the_next_verb(dial_in) -> None:
    """Silence does not request the action; the next verb runs."""
    call = dial_in({"/voice": MENU}, ".")
    assert call.to("/menu") == []
    assert call.lines == [
        "[Say] Press 1 for sales.",
        "[Gather dtmf]",
        "[Caller] silence",
        "[Say] We did not hear you.",
        "[Hangup]",
    ]
    assert call.result.end == "hangup"


def test_action_on_empty_result_requests_the_action_anyway(dial_in) -> None:
    """actionOnEmptyResult="true" posts to the action with no Digits."""
    pages = {
        "/voice": doc('<Gather actionOnEmptyResult="true" action="/menu"><Say>x</Say></Gather>'),
        "/menu": THANKS,
    }
    call = dial_in(pages, ".")
    (menu,) = call.to("/menu")
    assert "Digits" not in menu.values
    assert call.codes == []  # with the flag set, the last-verb Gather is fine


@pytest.mark.parametrize(
    ("gather", "keys", "digits"),
    [
        ('numDigits="1"', "123", "1"),
        ('numDigits="3"', "12345", "123"),
        ("", "123#", "123"),
        ("", "12#34", "12"),
        ('finishOnKey="*"', "12*", "12"),
        ('finishOnKey="*"', "12#*", "12#"),
        ('finishOnKey=""', "12#", "12#"),
        ('numDigits="4"', "12", "12"),  # timeout submits what was typed
        ('numDigits="2" finishOnKey="#"', "#", None),
        ("", "#", None),
    ],
)
def test_digits_honour_num_digits_and_finish_on_key(
    dial_in, gather: str, keys: str, digits: str | None
) -> None:
    """Digits stop at numDigits, exclude finishOnKey, and finishOnKey alone is empty."""
    pages = {
        "/voice": doc(f'<Gather {gather} action="/menu"><Say>x</Say></Gather><Hangup/>'),
        "/menu": THANKS,
    }
    call = dial_in(pages, keys)
    sent = [r.values["Digits"] for r in call.to("/menu")]
    assert sent == ([] if digits is None else [digits])


def test_speech_sends_speech_result_and_confidence(dial_in) -> None:
    """A speech Gather posts SpeechResult and Confidence."""
    pages = {
        "/voice": doc(
            '<Gather input="speech" language="zh-CN" action="/menu">'
            '<Say language="zh-CN">请说出您的问题</Say></Gather><Hangup/>'
        ),
        "/menu": THANKS,
    }
    call = dial_in(pages, "say:账户")
    (menu,) = call.to("/menu")
    assert menu.values["SpeechResult"] == "账户"
    assert float(menu.values["Confidence"]) == pytest.approx(0.9)
    assert "Digits" not in menu.values
    assert "[Caller] said 账户" in call.lines


def test_speech_to_a_keys_only_gather_is_not_heard(dial_in) -> None:
    """Twilio ignores speech when input is dtmf: the Gather falls through."""
    call = dial_in({"/voice": MENU}, "say:sales")
    assert call.to("/menu") == []
    assert "[Caller] said sales (ignored: keys only)" in call.lines


def test_keys_to_a_speech_only_gather_are_not_heard(dial_in) -> None:
    """Twilio ignores keys when input is speech."""
    pages = {"/voice": doc('<Gather input="speech" action="/menu"/><Hangup/>')}
    call = dial_in(pages, "1")
    assert call.to("/menu") == []


def test_relative_action_resolves_against_the_document_url(dial_in) -> None:
    """A relative action is joined to the URL of the document that contained it."""
    pages = {
        "/voice": doc("<Redirect>/ivr/menus/main?node=main</Redirect>"),
        "/ivr/menus/main": doc(
            '<Gather numDigits="1" action="next?from=main"><Say>x</Say></Gather><Hangup/>'
        ),
        "/ivr/menus/next": THANKS,
    }
    call = dial_in(pages, "2")
    (nxt,) = call.to("/ivr/menus/next")
    assert nxt.url == f"{BASE}/ivr/menus/next?from=main"
    assert nxt.values["Digits"] == "2"


def test_gather_without_action_posts_to_the_same_document(dial_in) -> None:
    """The default action is the current document's URL, query string included."""
    pages = {
        "/voice": doc("<Redirect>/menu?node=main</Redirect>"),
        "/menu": lambda: FlaskResponse(
            THANKS
            if "Digits" in request.form
            else doc('<Gather numDigits="1"><Say>x</Say></Gather><Hangup/>'),
            mimetype="text/xml",
        ),
    }
    call = dial_in(pages, "5")
    first, second = call.to("/menu")
    assert "Digits" not in first.values
    assert second.url == f"{BASE}/menu?node=main"
    assert second.values["Digits"] == "5"


def test_get_method_puts_fields_in_the_query_string(dial_in) -> None:
    """method="GET" sends the fields as query parameters."""
    pages = {
        "/voice": doc(
            '<Gather numDigits="1" action="/menu" method="GET"><Say>x</Say></Gather><Hangup/>'
        ),
        "/menu": THANKS,
    }
    call = dial_in(pages, "7")
    (menu,) = call.to("/menu")
    assert menu.method == "GET" and menu.values["Digits"] == "7"


def test_gather_prompt_tells_the_caller_what_was_said() -> None:
    """The caller sees the input modes, limits and the words just spoken."""
    seen = []

    class Listener:
        def gather(self, prompt):
            seen.append(prompt)
            return Keys("1")

        def dial(self, number):
            raise AssertionError

        def record(self, prompt):
            raise AssertionError

    app, _ = twiml_app(
        {
            "/voice": doc(
                '<Say>Welcome.</Say><Gather input="dtmf speech" numDigits="2" '
                'finishOnKey="*" timeout="7" hints="sales" language="zh-CN" action="/m">'
                "<Say>Press.</Say></Gather><Hangup/>"
            ),
            "/m": THANKS,
        }
    )
    Call(WsgiTransport(app, BASE), Listener(), line=Line(f"{BASE}/voice")).run()
    (prompt,) = seen
    assert prompt.input == ("dtmf", "speech")
    assert (prompt.num_digits, prompt.finish_on_key, prompt.timeout) == (2, "*", 7)
    assert (prompt.hints, prompt.language) == ("sales", "zh-CN")
    assert prompt.texts == ("Welcome.", "Press.")
    assert prompt.url == f"{BASE}/voice"


# --- Say, Play, Pause, Hangup, Reject, Redirect ----------------------------------------


def test_verbs_run_top_to_bottom_and_render_transcript_lines(dial_in) -> None:
    """Each verb becomes one transcript line, in document order."""
    pages = {
        "/voice": doc(
            '<Say language="zh-CN" voice="Polly.Zhiyu">欢迎致电</Say>'
            '<Pause length="2"/><Play>https://example.com/a.mp3</Play><Play digits="12"/>'
            '<Say loop="2">Twice</Say><Hangup/><Say>never</Say>'
        )
    }
    call = dial_in(pages)
    assert call.lines == [
        "[Say zh-CN Polly.Zhiyu] 欢迎致电",
        "[Pause 2s]",
        "[Play https://example.com/a.mp3]",
        "[Play digits 12]",
        "[Say] Twice (x2)",
        "[Hangup]",
    ]
    assert call.result.end == "hangup"


def test_end_of_document_hangs_up(dial_in) -> None:
    """With no verb left the call ends."""
    call = dial_in({"/voice": doc("<Say>Bye</Say>")})
    assert call.result.end == "end-of-document"
    assert call.to("/voice/status")[0].values["CallStatus"] == "completed"


def test_endless_say_keeps_the_caller_until_they_hang_up(dial_in) -> None:
    """loop="0" is emitted once with a note; nothing after it runs."""
    call = dial_in({"/voice": doc('<Say loop="0">Please hold</Say><Say>never</Say>')})
    assert call.lines == [
        "[Say] Please hold (repeats until the caller hangs up)",
        "[Caller] hung up",
    ]
    assert call.result.end == "caller-hangup"


@pytest.mark.parametrize(("reason", "status"), [("busy", "busy"), ("rejected", "failed")])
def test_reject_refuses_the_call(dial_in, reason: str, status: str) -> None:
    """<Reject> ends the unanswered call with busy or failed."""
    call = dial_in({"/voice": doc(f'<Reject reason="{reason}"/>')})
    assert call.result.end == "rejected"
    assert call.lines == [f"[Reject {reason}]"]
    (callback,) = call.to("/voice/status")
    assert callback.values["CallStatus"] == status
    assert callback.values["CallDuration"] == "0"


def test_a_reject_after_the_call_was_answered_is_reported(dial_in) -> None:
    """Review: first in a later document, a <Reject> of an answered call passed silently."""
    pages = {
        "/voice": doc('<Gather action="/next" numDigits="1"><Say>hi</Say></Gather><Hangup/>'),
        "/next": doc('<Reject reason="busy"/>'),
    }
    call = dial_in(pages, "0")
    assert call.codes == [12200]
    assert "cannot refuse a call an earlier document answered" in str(call.result.problems[0])
    (callback,) = call.to("/voice/status")
    assert callback.values["CallStatus"] == "completed"  # it was answered


def test_redirect_moves_to_another_document_and_skips_the_rest(dial_in) -> None:
    """Verbs after a Redirect never run; method defaults to POST."""
    pages = {
        "/voice": doc("<Redirect>/next</Redirect><Say>never</Say>"),
        "/next": doc('<Redirect method="GET">/last</Redirect>'),
        "/last": THANKS,
    }
    call = dial_in(pages)
    assert [(r.method, r.path) for r in call.received[:3]] == [
        ("POST", "/voice"),
        ("POST", "/next"),
        ("GET", "/last"),
    ]
    assert "[Say] never" not in call.lines
    assert "[Redirect /next]" in call.lines


def test_redirect_loop_is_stopped(dial_in) -> None:
    """More than 20 documents without waiting for the caller is SIM002."""
    call = dial_in({"/voice": doc("<Say>again</Say><Redirect>/voice</Redirect>")})
    assert call.codes == ["SIM002"]
    assert call.result.end == "too-many-documents"
    assert len(call.to("/voice")) == 20
    assert not call.result.ok


def test_waiting_for_the_caller_resets_the_loop_count(dial_in) -> None:
    """A menu that redirects back to itself after each key press is not a loop."""
    pages = {
        "/voice": doc('<Gather numDigits="1" action="/voice"><Say>x</Say></Gather><Hangup/>'),
    }
    call = dial_in(pages, ",".join(["1"] * 30))
    assert call.codes == []
    assert len(call.to("/voice")) == 31
    assert call.result.end == "caller-hangup"  # the script ran out


def test_max_documents_stops_the_call(dial_in) -> None:
    """max_documents caps a call however interactive it is."""
    pages = {
        "/voice": doc('<Gather numDigits="1" action="/voice"><Say>x</Say></Gather><Hangup/>'),
    }
    call = dial_in(pages, ",".join(["1"] * 30), max_documents=5)
    assert call.codes == ["SIM002"]
    assert len(call.to("/voice")) == 5
    assert call.result.end == "too-many-documents"


# --- Dial ------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["completed", "busy", "no-answer", "failed"])
def test_dial_action_receives_the_outcome(dial_in, outcome: str) -> None:
    """The Dial action gets DialCallStatus, a DialCallSid and DialCallDuration."""
    pages = {
        "/voice": doc('<Dial action="/dialed" timeout="20">+8610555000111</Dial><Say>never</Say>'),
        "/dialed": THANKS,
    }
    call = dial_in(pages, f"dial:{outcome}")
    (dialed,) = call.to("/dialed")
    assert dialed.values["DialCallStatus"] == outcome
    assert re.fullmatch("CA" + SID.pattern, dialed.values["DialCallSid"])
    assert dialed.values["DialCallSid"] != dialed.values["CallSid"]
    assert (dialed.values["DialCallDuration"] == "0") == (outcome != "completed")
    assert call.lines[:2] == ["[Dial +8610555000111]", f"[Caller] dial outcome {outcome}"]


@pytest.mark.parametrize("outcome", ["completed", "no-answer"])
def test_dial_without_action_continues_the_document(dial_in, outcome: str) -> None:
    """With no action the verbs after <Dial> run, whatever happened."""
    pages = {"/voice": doc("<Dial><Number>+8610555000111</Number></Dial><Say>After</Say>")}
    call = dial_in(pages, f"dial:{outcome}")
    assert call.lines[-1] == "[Say] After"
    assert call.result.end == "end-of-document"


# --- Record ----------------------------------------------------------------------------


def test_record_posts_the_recording_to_the_action(dial_in) -> None:
    """RecordingUrl, RecordingDuration, RecordingSid and the ending key reach the action."""
    pages = {
        "/voice": doc('<Say>Leave a message.</Say><Record maxLength="120" action="/saved"/>'),
        "/saved": THANKS,
    }
    call = dial_in(pages, "rec:你好，我想查询账单")
    (saved,) = call.to("/saved")
    sid = saved.values["RecordingSid"]
    assert re.fullmatch("RE" + SID.pattern, sid)
    assert saved.values["RecordingUrl"].endswith(f"/Recordings/{sid}")
    assert int(saved.values["RecordingDuration"]) >= 1
    assert saved.values["Digits"] == "#"
    assert "[Record max 120s]" in call.lines
    assert "[Caller] recorded 你好，我想查询账单 (3 s)" in call.lines


def test_empty_recording_falls_through(dial_in) -> None:
    """An empty recording skips the action and the next verb runs."""
    pages = {"/voice": doc('<Record action="/saved"/><Say>No message.</Say>')}
    for script in ("rec:", "rec:.", "."):
        call = dial_in(pages, script)
        assert call.to("/saved") == []
        assert call.lines[-2:] == ["[Caller] recorded nothing", "[Say] No message."]


def test_record_without_action_posts_to_the_same_document(dial_in) -> None:
    """The default Record action is the current document."""
    pages = {
        "/voice": lambda: FlaskResponse(
            THANKS if "RecordingSid" in request.form else doc("<Record/>"), mimetype="text/xml"
        ),
    }
    call = dial_in(pages, "rec:hello")
    assert [r.path for r in call.received] == ["/voice", "/voice", "/voice/status"]


def test_transcription_is_posted_after_the_action(dial_in) -> None:
    """transcribeCallback gets the text after the action has been requested."""
    pages = {
        "/voice": doc(
            '<Record transcribe="true" transcribeCallback="/transcribed" '
            'action="/saved" maxLength="60"/>'
        ),
        "/saved": THANKS,
    }
    call = dial_in(pages, "rec:我的账单有问题")
    assert [r.path for r in call.received] == ["/voice", "/saved", "/transcribed", "/voice/status"]
    saved, transcribed = call.received[1], call.received[2]
    assert transcribed.values["TranscriptionText"] == "我的账单有问题"
    assert transcribed.values["TranscriptionStatus"] == "completed"
    assert transcribed.values["RecordingSid"] == saved.values["RecordingSid"]


def test_the_recording_status_callback_is_posted_when_the_recording_is_ready(dial_in) -> None:
    """Review: recordingStatusCallback was never requested, though Twilio posts it."""
    pages = {
        "/voice": doc('<Record recordingStatusCallback="/recording/status" action="/saved"/>'),
        "/saved": THANKS,
    }
    call = dial_in(pages, "rec:请回电")
    assert [r.path for r in call.received] == [
        "/voice",
        "/saved",
        "/recording/status",
        "/voice/status",
    ]
    saved, ready = call.received[1], call.received[2]
    assert ready.values["RecordingStatus"] == "completed"
    assert ready.values["RecordingSid"] == saved.values["RecordingSid"]
    assert ready.values["RecordingDuration"] == saved.values["RecordingDuration"]


def test_a_queue_says_its_hold_music_is_not_simulated(dial_in) -> None:
    """Review: an <Enqueue waitUrl> ended at once without a word of why."""
    pages = {"/voice": doc('<Enqueue waitUrl="/hold" action="/left">support</Enqueue>')}
    call = dial_in(pages, status=None)
    assert f"[Note] waitUrl {BASE}/hold not simulated (no hold music)" in call.lines
    assert "/hold" not in [r.path for r in call.received]


def test_hanging_up_ends_a_recording_with_digits_hangup() -> None:
    """A caller who hangs up still has the recording posted, with Digits=hangup."""
    from ivr.simulator import Message

    app, received = twiml_app({"/voice": doc('<Record action="/saved"/>'), "/saved": THANKS})
    caller = ScriptedCaller([Message("bye now", hangup=True)])
    result = Call(WsgiTransport(app, BASE), caller, line=Line(f"{BASE}/voice")).run()
    saved = [r for r in received if r.path == "/saved"]
    assert [r.values["Digits"] for r in saved] == ["hangup"]
    assert result.end == "caller-hangup"
    assert "[Say] Thanks." not in [e.line() for e in result.events]


# --- Enqueue ---------------------------------------------------------------------------


def test_enqueue_with_action_reports_the_caller_hung_up(dial_in) -> None:
    """Nobody answers the queue; the action hears QueueResult=hangup."""
    pages = {"/voice": doc('<Enqueue action="/left">support</Enqueue>'), "/left": THANKS}
    call = dial_in(pages)
    (left,) = call.to("/left")
    assert left.values["QueueResult"] == "hangup"
    assert call.lines == ["[Enqueue support]", "[Caller] hung up"]
    assert call.result.end == "caller-hangup"


def test_enqueue_without_action_just_ends(dial_in) -> None:
    """Without an action the caller leaves the queue and the call ends."""
    call = dial_in({"/voice": doc("<Enqueue>support</Enqueue>")})
    assert [r.path for r in call.received] == ["/voice", "/voice/status"]


# --- failures become problems, never tracebacks ----------------------------------------


@pytest.mark.parametrize(
    ("page", "code"),
    [
        (lambda: ("oops", 500), 11200),
        (lambda: FlaskResponse("<Response><Say>x</Response>", mimetype="text/xml"), 12100),
        (lambda: FlaskResponse(doc("<Say>x</Say>"), mimetype="text/html"), 12300),
        (lambda: FlaskResponse("", mimetype="text/xml"), 12100),
        (lambda: FlaskResponse("<Document/>", mimetype="text/xml"), 12102),
        (lambda: 1 / 0, 11200),
    ],
)
def test_a_bad_action_document_is_an_application_error(dial_in, page, code: int) -> None:
    """A failing document ends the call as Twilio does, with the code in the transcript."""
    call = dial_in({"/voice": MENU, "/menu": page}, "1")
    assert call.codes == [code]
    assert call.result.end == "application-error"
    assert call.lines[-1] == f"[Error] an application error has occurred ({code}); goodbye"
    assert call.to("/voice/status")[0].values["CallStatus"] == "completed"


def test_missing_page_is_an_application_error(dial_in) -> None:
    """A 404 for the first document is 11200 at that URL."""
    call = dial_in({})
    assert [(p.code, p.url) for p in call.result.problems] == [(11200, f"{BASE}/voice")]
    assert call.result.end == "application-error"


def test_warnings_do_not_stop_the_call(dial_in) -> None:
    """Schema warnings are collected while the call carries on, as Twilio does."""
    pages = {"/voice": doc('<Say voice="robot">Hi</Say><Pause length="0"/><Hangup/>')}
    call = dial_in(pages)
    assert call.codes == [13511, 13910]
    assert call.result.end == "hangup"
    assert "[Pause 0s]" in call.lines


def test_lenient_ignores_warnings_but_not_errors(dial_in) -> None:
    """ok counts every problem, or in lenient mode only error-level ones."""
    warned = {"/voice": doc('<Say voice="robot">Hi</Say><Hangup/>')}
    assert not dial_in(warned).result.ok
    assert dial_in(warned, lenient=True).result.ok
    assert not dial_in({}, lenient=True).result.ok


def test_unknown_verbs_are_skipped_after_being_reported(dial_in) -> None:
    """A misspelt verb is reported and, like Twilio, not run."""
    call = dial_in({"/voice": doc("<say>lower</say><Say>Upper</Say>")})
    assert call.codes == [12200]
    assert call.lines == ["[Say] Upper"]


# --- events ----------------------------------------------------------------------------


def test_listener_sees_events_live_with_their_node(dial_in) -> None:
    """Each event reaches the listener, tagged with the document URL's node parameter."""
    heard: list[Event] = []
    pages = {
        "/voice": doc("<Redirect>/menu?node=welcome</Redirect>"),
        "/menu": doc("<Say>Hi</Say>"),
    }
    call = dial_in(pages, listener=heard.append)
    assert heard == call.result.events
    assert [(e.verb, e.node) for e in heard] == [("Redirect", None), ("Say", "welcome")]
    assert heard[1].url == f"{BASE}/menu?node=welcome"


@pytest.mark.parametrize(
    ("event", "line"),
    [
        (
            Event("Say", "欢迎", {"language": "zh-CN", "voice": "Polly.Zhiyu"}),
            "[Say zh-CN Polly.Zhiyu] 欢迎",
        ),
        (Event("Gather", "", {"input": "dtmf speech"}), "[Gather dtmf speech]"),
        (Event("Gather"), "[Gather dtmf]"),
        (Event("Dial", "+8610555000111"), "[Dial +8610555000111]"),
        (Event("Record", "", {"maxLength": "120"}), "[Record max 120s]"),
        (Event("Record"), "[Record max 3600s]"),
        (Event("Hangup"), "[Hangup]"),
        (Event("Redirect", "/voice/menu"), "[Redirect /voice/menu]"),
        (Event("Pause", "", {"length": "2"}), "[Pause 2s]"),
        (
            Event("Play", "https://x/a.mp3", {"loop": "0"}),
            "[Play https://x/a.mp3] (repeats until the caller hangs up)",
        ),
        (Event("Caller", "pressed 1"), "[Caller] pressed 1"),
        (Event("Caller", "recorded 你好 (3 s)"), "[Caller] recorded 你好 (3 s)"),
    ],
)
def test_event_lines(event: Event, line: str) -> None:
    """Transcript lines start with the verb in brackets."""
    assert event.line() == line


def test_transcript_joins_lines(dial_in) -> None:
    """result.transcript() is the lines, one per event."""
    call = dial_in({"/voice": MENU}, "hangup")
    assert call.result.transcript() == "\n".join(call.lines)
    assert call.lines[-1] == "[Caller] hung up"
    assert call.result.end == "caller-hangup"


@pytest.mark.parametrize(
    ("house_rules", "severity", "ok"), [(True, "warning", False), (False, "notice", True)]
)
def test_sentences_before_a_gather_fail_our_menu_only(dial_in, house_rules, severity, ok) -> None:
    """SIM004 is this project's rule for its own menus (issue 14); another app is told."""
    two = (
        '<Say>Our hours changed. We open at nine.</Say><Gather action="/v"><Say>Go.</Say></Gather>'
    )
    call = dial_in({"/voice": doc(two + "<Hangup/>")}, ".", house_rules=house_rules)
    assert [(p.code, p.severity) for p in call.result.problems] == [("SIM004", severity)]
    assert call.result.ok is ok
