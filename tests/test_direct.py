"""Twilio's own requests answered below Flask: the same answers, checks and records."""

from __future__ import annotations

import sqlite3

import pytest
from twilio.request_validator import RequestValidator

from tests.conftest import spoken, twiml

TOKEN = "test-auth-token-0123456789abcdef"
CALL = {"CallSid": "CA" + "1" * 32, "From": "+8613800138000", "To": "+8610555000100"}
STEP = "/voice/gather?node=main&lang=zh-CN&s=2"


def urlencoded(client, url, fields, **kwargs):
    """As Twilio sends a webhook: answered below Flask."""
    return client.post(url, data=fields, **kwargs)


def multipart(client, url, fields, **kwargs):
    """Not what Twilio sends: goes through Flask."""
    return client.post(url, data=fields, content_type="multipart/form-data", **kwargs)


def events(tmp_path, call_sid):
    with sqlite3.connect(tmp_path / "ivr.sqlite3") as connection:
        return connection.execute(
            "SELECT step, path, node, next_node, input, outcome FROM events "
            "WHERE call_sid = ? ORDER BY step", (call_sid,)).fetchall()


def test_only_twilios_own_requests_skip_flask(app):
    through_flask = []
    app.before_request(lambda: through_flask.append(1) and None)
    client = app.test_client()
    assert urlencoded(client, STEP, {**CALL, "Digits": "2"}).status_code == 200
    assert through_flask == []
    assert multipart(client, STEP, {**CALL, "Digits": "2"}).status_code == 200
    assert client.get(STEP + "&Digits=2&CallSid=CA9").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert len(through_flask) == 3


@pytest.mark.parametrize(("url", "fields"), [
    ("/voice", {}),
    (STEP, {"Digits": "2"}),
    (STEP, {"Digits": "77"}),  # no such key
    (STEP, {"SpeechResult": "账户", "Confidence": "0.9"}),
    ("/voice/dial?node=agent_dial&lang=zh-CN&s=4", {"DialCallStatus": "busy"}),
    ("/voice/record?node=feedback&lang=zh-CN&s=5",
     {"RecordingUrl": "https://api.twilio.com/r/RE1", "RecordingSid": "RE1",
      "RecordingDuration": "7"}),
    ("/voice/status", {"CallStatus": "completed", "CallDuration": "42"}),
    ("/voice/fallback", {"ErrorCode": "11200"}),
])
def test_either_path_gives_the_same_answer_and_records(make_app, tmp_path, url, fields):
    app = make_app(auth_token=TOKEN)
    client = app.test_client()
    answers = []
    for send, call_sid in ((urlencoded, "CA" + "a" * 32), (multipart, "CA" + "b" * 32)):
        params = {**CALL, "CallSid": call_sid, **fields}
        signature = RequestValidator(TOKEN).compute_signature(f"http://localhost{url}", params)
        response = send(client, url, params, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200
        answers.append((response.get_data(), response.headers["Content-Type"],
                        response.headers.get("X-IVR-Nodes"), events(tmp_path, call_sid)))
    assert answers[0] == answers[1]
    assert answers[0][1] == "text/xml; charset=utf-8"
    twiml(response)  # a TwiML document


def test_a_forged_signature_is_refused_the_same_on_either_path(make_app, caplog):
    client = make_app(auth_token=TOKEN).test_client()
    headers = {"X-Twilio-Signature": "forged"}
    direct = urlencoded(client, STEP, {**CALL, "Digits": "2"}, headers=headers)
    through_flask = multipart(client, STEP, {**CALL, "Digits": "2"}, headers=headers)
    assert direct.status_code == through_flask.status_code == 403
    assert direct.get_data() == through_flask.get_data()
    assert b"Forbidden" in direct.get_data() and b"Traceback" not in direct.get_data()
    assert sum("403 bad signature" in r.getMessage() for r in caplog.records) == 2


@pytest.mark.parametrize("send", [urlencoded, multipart])
def test_a_failing_handler_gets_the_apology_and_is_recorded(app, tmp_path, monkeypatch,
                                                           caplog, send):
    def boom(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(app.extensions["ivr"].flow, "gather", boom)
    response = send(app.test_client(), STEP, {**CALL, "Digits": "2"})
    assert response.status_code == 200
    root = twiml(response)
    assert "抱歉" in spoken(root) and root.find("Dial/Number").text == "+8610555000111"
    assert b"database on fire" not in response.get_data()
    assert any("webhook failed" in r.getMessage() and CALL["CallSid"] in r.getMessage()
               for r in caplog.records)
    assert events(tmp_path, CALL["CallSid"]) == [
        (2, "/voice/gather", "main", None, None, "error RuntimeError")]


def test_a_changed_menu_is_loaded_before_a_direct_answer(app):
    checks = []
    reloader = app.extensions["ivr.reloader"]
    original = reloader.check
    reloader.check = lambda: checks.append(1) or original()
    assert urlencoded(app.test_client(), STEP, {**CALL, "Digits": "2"}).status_code == 200
    assert checks == [1]
