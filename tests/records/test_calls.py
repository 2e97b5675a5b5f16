"""Simulated calls leave complete records, once, whatever Twilio retries."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from ivr.records import tables
from ivr.settings import Settings
from ivr.simulator import Call as Simulated
from ivr.simulator import ScriptedCaller, WsgiTransport
from ivr.web.app import create_app
from tests.conftest import own_line, spoken, twiml
from tests.records.conftest import BASE, CALLER, FLOW_PATHS, counts

TRANSCRIBED = Path(__file__).with_name("menus_transcribed.yaml")


def rows(engine, table):
    with engine.connect() as connection:
        return connection.execute(select(table).order_by(table.c.id)).all()


def flow_requests(result):
    """The requests of a call that answer a step of the flow (not status callbacks)."""
    return [
        (urlsplit(url).path, params)
        for _m, url, params in result.requests
        if urlsplit(url).path in FLOW_PATHS
    ]


def test_voicemail_call_records_call_events_and_message(engine, dial, recorder):
    """After hours: 0 -> after-hours menu -> 1 -> voicemail; every step is on record."""
    result = dial("0,1,rec:请明天上午给我回电话")
    (call,) = rows(engine, tables.calls)
    assert (call.from_number, call.to_number, call.language) == (CALLER, "+8610555000100", "zh-CN")
    assert call.status == "completed" and call.ended_at is not None
    status = result.requests[-1][2]
    assert call.duration == int(status["CallDuration"]) > 0

    events = rows(engine, tables.events)
    assert len(events) == len(flow_requests(result)) == 4
    assert [(e.step, e.path, e.node, e.next_node) for e in events] == [
        (0, "/voice", None, "main"),
        (1, "/voice/gather", "main", "after_hours"),
        (2, "/voice/gather", "after_hours", "voicemail"),
        (3, "/voice/record", "voicemail", "goodbye"),
    ]
    assert [e.outcome for e in events] == ["start", "keys 0 -> agent", "keys 1 -> 1", "recorded"]
    assert events[1].input == "0"

    (message,) = rows(engine, tables.recordings)
    sent = flow_requests(result)[-1][1]
    assert (message.kind, message.node, message.caller) == ("voicemail", "voicemail", CALLER)
    assert message.recording_sid == sent["RecordingSid"]
    assert message.url == sent["RecordingUrl"]
    assert message.duration == int(sent["RecordingDuration"])
    assert not message.handled and message.call_sid == call.call_sid


def test_a_message_ended_by_hanging_up_is_kept(engine, dial, recorder):
    """Most callers end a message by hanging up: Twilio posts it with Digits=hangup."""
    dial("4,2,rec+hangup:说完我就挂了")
    (message,) = rows(engine, tables.recordings)
    assert (message.kind, message.node) == ("feedback", "feedback")
    (last,) = [e for e in rows(engine, tables.events) if e.path == "/voice/record"]
    assert last.input == f"recording {message.recording_sid}" and last.outcome == "recorded"


def test_feedback_is_recorded_as_feedback(engine, dial, recorder):
    dial("4,rec:希望增加夜间人工服务,hangup")
    (message,) = rows(engine, tables.recordings)
    assert (message.kind, message.node) == ("feedback", "feedback")


def test_confirmed_callback_request_is_recorded(engine, dial, app, recorder):
    """0 after hours -> 2 callback -> 1 keep my caller id -> 1 the first window."""
    dial("0,2,1,1")
    (request,) = rows(engine, tables.callbacks)
    window = app.extensions["ivr"].menus.nodes["callback"].windows["1"]
    assert (request.caller, request.number, request.window) == (CALLER, CALLER, window.hours)
    assert not request.handled


@pytest.mark.parametrize("then", ["hangup", "#,hangup"])
def test_a_caller_who_leaves_at_the_time_question_keeps_the_request(engine, dial, then):
    """0 after hours -> 2 callback -> 1 keep my caller id, then hang up (or # back): the
    confirmed number is a request, for any time."""
    dial(f"0,2,1,{then}")
    (request,) = rows(engine, tables.callbacks)
    assert (request.number, request.window, request.handled) == (CALLER, "any", False)


def test_booking_again_after_backing_out_fills_in_the_same_request(engine, dial, app):
    """0 -> 2 -> 1, # at the time question (kept, any time), then 2 -> 1 -> 2: one request,
    for the afternoon (review: the agents got two and would have called twice)."""
    dial("0,2,1,#,2,1,2")
    (request,) = rows(engine, tables.callbacks)
    window = app.extensions["ivr"].menus.nodes["callback"].windows["2"]
    assert (request.number, request.window) == (CALLER, window.hours)


def test_the_time_chosen_updates_the_kept_request_and_a_retry_adds_nothing(engine, dial, app):
    """0 -> 2 -> 1, a wrong key and silence at the time question, then 2: one request."""
    dial("0,2,1,7,.,2")
    (request,) = rows(engine, tables.callbacks)
    window = app.extensions["ivr"].menus.nodes["callback"].windows["2"]
    assert (request.number, request.window) == (CALLER, window.hours)


def test_speech_input_is_recorded_with_its_confidence(engine, dial, recorder):
    dial("say:我要留言意见,rec:建议,hangup")
    event = rows(engine, tables.events)[1]
    assert event.input == "say:我要留言意见" and event.confidence == pytest.approx(0.9)
    assert event.outcome.endswith("-> 4")


def test_transcription_reaches_its_recording(engine, env, clock):
    """Twilio's transcribeCallback fills the text of the recording it names."""
    app = create_app(Settings.from_env(env, menus_path=TRANSCRIBED), clock=clock)
    recorder = app.extensions["ivr"].recorder
    try:
        result = Simulated(
            WsgiTransport(app, BASE),
            ScriptedCaller.parse("1,rec:请回电"),
            line=own_line(BASE),
            seed=3,
        ).run()
        assert result.ok, result.problems
        assert any("/voice/transcription" in url for _m, url, _p in result.requests)
        (message,) = rows(engine, tables.recordings)
        assert message.transcription == "请回电"
        assert message.transcription_status == "completed"
        assert message.duration is not None and message.node == "voicemail"
    finally:
        recorder.close()


def test_the_same_call_twice_is_recorded_once(engine, dial, recorder):
    """Replaying every request of a call (same CallSid, steps, RecordingSid) adds nothing."""
    dial("0,1,rec:你好", seed=5)
    once = counts(engine)
    dial("0,1,rec:你好", seed=5)
    assert counts(engine) == once == {"calls": 1, "events": 4, "recordings": 1, "callbacks": 0}
    assert not recorder.spool.pending()  # ignored as duplicates, not refused and spooled


RETRIED = {
    "CallSid": "CA" + "7" * 32,
    "From": CALLER,
    "To": "+8610555000100",
    "CallStatus": "in-progress",
}


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/voice", {}),
        ("/voice/gather?node=main&lang=zh-CN&s=1", {"Digits": "4"}),
        (
            "/voice/record?node=feedback&lang=zh-CN&s=2",
            {
                "RecordingUrl": "https://api.twilio.com/x/Recordings/RE1",
                "RecordingSid": "RE" + "1" * 32,
                "RecordingDuration": "9",
            },
        ),
        (
            "/voice/transcription?node=feedback&lang=zh-CN&s=2",
            {
                "RecordingSid": "RE" + "1" * 32,
                "TranscriptionText": "好",
                "TranscriptionStatus": "completed",
            },
        ),
        ("/voice/status", {"CallStatus": "completed", "CallDuration": "31"}),
    ],
)
def test_a_retried_webhook_answers_the_same_and_records_once(engine, app, recorder, url, fields):
    client = app.test_client()
    first = client.post(url, data={**RETRIED, **fields})
    before = counts(engine)
    again = client.post(url, data={**RETRIED, **fields})
    assert again.get_data() == first.get_data()
    twiml(again)
    assert counts(engine) == before
    assert before["calls"] == 1
    assert not recorder.spool.pending()  # ignored as a duplicate, not refused and spooled


@pytest.mark.expects_apology
def test_a_failing_step_is_recorded_as_an_error_and_the_caller_hears_the_apology(
    engine, app, recorder, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.extensions["ivr"].flow, "gather", broken)
    root = twiml(
        app.test_client().post(
            "/voice/gather?node=main&lang=zh-CN&s=1", data={**RETRIED, "Digits": "1"}
        )
    )
    # After hours the apology says the agents' hours rather than ringing an empty line.
    assert root.find("Dial") is None and "非人工服务时间" in spoken(root)
    (event,) = rows(engine, tables.events)
    assert event.outcome == "error RuntimeError" and event.node == "main"


def test_requests_without_a_call_sid_are_not_recorded(engine, app, recorder):
    twiml(app.test_client().post("/voice"))
    assert counts(engine)["calls"] == 0


def test_after_hours_voicemail_and_callback_show_in_the_lists_and_the_report(dial, ivr):
    """The issue's "done when": both calls appear in voicemails, callbacks and report."""
    dial("0,1,rec:请明天回电", seed=21)
    dial("0,2,2,13912345678#,1,2", seed=22)  # another number, read back, confirmed; window 2

    (voicemail,) = json.loads(ivr("voicemails", "--json").stdout)
    assert (voicemail["kind"], voicemail["caller"]) == ("voicemail", "+86 138****1234")
    (callback,) = json.loads(ivr("callbacks", "--json", "--unmask").stdout)
    assert (callback["caller"], callback["number"], callback["window"]) == (
        CALLER,
        "+8613912345678",  # typed as dialled in China, kept as E.164
        "14:00-18:00",
    )

    report = json.loads(ivr("report", "--format", "json").stdout)
    assert report["calls"] == {"total": 2, "after_hours": 2, "after_hours_share": 1.0}
    assert [o["to"] for o in report["options"] if o["node"] == "after_hours"] == [
        "voicemail",
        "callback",
    ]
    assert len(report["open_voicemails"]) == len(report["open_callbacks"]) == 1
    assert report["hangups"] == [{"node": "goodbye", "calls": 2}]
