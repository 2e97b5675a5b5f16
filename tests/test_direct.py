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


def records(tmp_path, call_sid):
    """Every row the call left, but for its CallSid and times."""
    queries = (
        "SELECT from_number, to_number, status, duration, language, ended_at IS NULL "
        "FROM calls WHERE call_sid = ?",
        "SELECT step, path, node, next_node, lang, input, confidence, outcome FROM events "
        "WHERE call_sid = ? ORDER BY step, path",
        "SELECT step, node, kind, caller, url, duration, transcription, transcription_status "
        "FROM recordings WHERE call_sid = ?",
        "SELECT step, caller, number, \"window\" FROM callbacks WHERE call_sid = ?",
    )
    with sqlite3.connect(tmp_path / "ivr.sqlite3") as connection:
        return [connection.execute(query, (call_sid,)).fetchall() for query in queries]


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
    ("/voice/transcription?node=feedback&lang=zh-CN&s=5",
     {"RecordingSid": "RE2", "RecordingUrl": "https://api.twilio.com/r/RE2",
      "TranscriptionStatus": "completed", "TranscriptionText": "很好"}),
    ("/voice/callback?node=callback&lang=zh-CN&s=3&stage=confirm", {"Digits": "1"}),
    ("/voice/enter?node=account&lang=en-US&s=3", {}),
    ("/voice/status", {"CallStatus": "completed", "CallDuration": "42"}),
    ("/voice/fallback", {"ErrorCode": "11200"}),
])
def test_either_path_gives_the_same_answer_and_records(make_app, tmp_path, url, fields):
    app = make_app(auth_token=TOKEN)
    client = app.test_client()
    answers = []
    for send, call_sid in ((urlencoded, "CA" + "a" * 32), (multipart, "CA" + "b" * 32)):
        params = {**CALL, "CallSid": call_sid, **fields}
        if "RecordingSid" in params:  # a recording's row is keyed by it: one per call here
            params["RecordingSid"] += call_sid
        signature = RequestValidator(TOKEN).compute_signature(f"http://localhost{url}", params)
        response = send(client, url, params, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200
        answers.append((response.get_data(), response.headers["Content-Type"],
                        response.headers.get("X-IVR-Nodes"),
                        repr(records(tmp_path, call_sid)).replace(call_sid, "<CallSid>")))
    assert answers[0] == answers[1]
    if url != "/voice/fallback":
        assert "+8613800138000" in answers[0][3], "the call was not recorded"
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


def test_no_signature_is_refused_on_the_direct_path(make_app, caplog):
    client = make_app(auth_token=TOKEN).test_client()
    assert urlencoded(client, STEP, {**CALL, "Digits": "2"}).status_code == 403
    assert any("403 no signature" in r.getMessage() for r in caplog.records)


def _environ(method: str, body: bytes, length: str) -> dict:
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path="/voice/gather", query_string="node=main&lang=zh-CN&s=2",
                             method="POST", data=body,
                             content_type="application/x-www-form-urlencoded").get_environ()
    environ["REQUEST_METHOD"], environ["CONTENT_LENGTH"] = method, length
    return environ


def _call(app, environ) -> tuple[str, bytes]:
    seen = []
    body = b"".join(app.wsgi_app(environ, lambda status, headers, *exc: seen.append(status)))
    return seen[0], body


def test_a_lower_case_method_cannot_leave_the_body_unsigned(make_app):
    """werkzeug reads a `post`'s body as a POST's, so its signature must cover the fields."""
    app = make_app(auth_token=TOKEN)
    url = "http://localhost/voice/gather?node=main&lang=zh-CN&s=2"
    body = b"CallSid=CA1&Digits=2"
    environ = _environ("post", body, str(len(body)))
    environ["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator(TOKEN).compute_signature(url, {})
    status, _ = _call(app, environ)
    assert status.startswith("403")


@pytest.mark.parametrize("length", ["\u00b2", "1" * 5000, "-1", " 20", ""])
def test_a_strange_content_length_never_breaks_the_server(app, length):
    status, body = _call(app, _environ("POST", b"CallSid=CA1&Digits=2", length))
    assert not status.startswith("5") and b"Traceback" not in body


@pytest.mark.parametrize("send", [urlencoded, multipart])
def test_a_failing_reload_is_logged_and_recorded_with_its_call(app, tmp_path, caplog, send):
    def broken():
        raise RuntimeError("menus.yaml unreadable")

    app.extensions["ivr.reloader"].check = broken
    root = twiml(send(app.test_client(), STEP, {**CALL, "Digits": "2"}))
    assert root.find("Dial/Number").text == "+8610555000111"  # the apology
    assert any("webhook failed" in r.getMessage() and CALL["CallSid"] in r.getMessage()
               for r in caplog.records)
    assert events(tmp_path, CALL["CallSid"]) == [
        (2, "/voice/gather", "main", None, None, "error RuntimeError")]
