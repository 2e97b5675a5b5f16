"""No caller's number, card-like digits or words in any log line, whatever the path."""

from __future__ import annotations

import datetime
import json
import logging
import time
from pathlib import Path

import pytest
import requests
from twilio.request_validator import RequestValidator

from ivr.logs import JsonFormatter
from ivr.records import database
from ivr.records.spool import Spool
from ivr.records.writes import Recorder, Written, call_seen, step_taken
from ivr.simulator import Call, HttpTransport, ScriptedCaller
from ivr.simulator.line import Line
from tests.conftest import CLOSED_TIME, SHIPPED, leaks

CALLER = "+8613812345678"
CARD = "6222021234567890"
SPOKEN = "我的手机号是13800138000"
TYPED = "13987654321"
GROUPED = "6222*0212*3456*7890"  # a card typed in groups: Digits can carry * and #
PLANTED = [CALLER, CALLER[1:], CALLER[3:], CARD, "13800138000", TYPED, GROUPED, GROUPED[-8:]]


def _leaks(caplog) -> list[str]:
    lines = [JsonFormatter().format(record) for record in caplog.records]
    return [f"{value} in {line}" for line in lines for value in PLANTED if value in line]


def test_webhooks_log_no_caller_data(make_app, clock, caplog):
    clock.now = CLOSED_TIME
    client = make_app().test_client()
    caplog.set_level(logging.DEBUG, logger="ivr")
    sid = "CAprivacy"
    for path, fields in [
        ("/voice", {}),
        ("/voice/gather?node=main&lang=zh-CN&s=2", {"Digits": CARD}),  # odd keys, a card
        ("/voice/gather?node=main&lang=zh-CN&s=3", {"SpeechResult": SPOKEN, "Confidence": "0.9"}),
        ("/voice/gather?node=main&lang=zh-CN&s=4", {"Digits": GROUPED}),
        ("/voice/gather?node=main&lang=zh-CN&s=5", {"Digits": "0"}),
        ("/voice/callback?node=callback&lang=zh-CN&s=6&stage=confirm", {"Digits": "2"}),
        ("/voice/callback?node=callback&lang=zh-CN&s=7&stage=enter", {"Digits": TYPED + "#"}),
        # the number said instead of typed, and read back
        ("/voice/callback?node=callback&lang=zh-CN&s=8&stage=enter", {"SpeechResult": SPOKEN}),
        ("/voice/status", {"CallStatus": "completed", "CallDuration": "42"}),
        ("/voice/fallback", {"ErrorCode": "11200", "ErrorUrl": f"https://x/voice?From={CALLER}"}),
    ]:
        answer = client.post(
            path, data={"CallSid": sid, "From": CALLER, "To": "+8610555000100", **fields}
        )
        assert answer.status_code == 200
    assert any("webhook" in r.getMessage() for r in caplog.records)  # the logs are there
    assert _leaks(caplog) == []


def test_a_lost_record_is_logged_masked(tmp_path, caplog):
    """Database down and spool unwritable: the LOST line keeps the record, numbers masked."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    engine = database.make_engine(database.database_url(f"sqlite:///{blocker / 'x.sqlite3'}"))
    recorder = Recorder(engine, Spool(blocker / "spool"))
    at = datetime.datetime(2026, 11, 23, 13, 0, tzinfo=datetime.UTC)
    with caplog.at_level(logging.ERROR, logger="ivr"):
        assert (
            recorder.write(
                call_seen("CAlost", CALLER, None, at),
                step_taken(
                    "CAlost",
                    2,
                    "/voice/gather",
                    "main",
                    "main",
                    "zh-CN",
                    CARD,
                    None,
                    f"keys {CARD} -> invalid",
                    at,
                ),
            )
            is Written.LOST
        )
    assert any("LOST" in r.getMessage() for r in caplog.records)
    assert _leaks(caplog) == []


# -- a real server's whole log ---------------------------------------------------------------

SCRIPTS = [
    "0,1,rec:我的手机号是13800138000",  # a voicemail that says a number
    "0,2,2,13912345678#,1,2",  # a callback to a typed number, read back, confirmed
    "say:我的手机号是一三八零零一三八零零零,say:one three eight zero zero,hangup",
]


def _signed_post(url: str, path: str, fields: dict[str, str], sign: bool = True) -> int:
    from tests.test_production import TOKEN

    signature = RequestValidator(TOKEN).compute_signature(url + path, fields) if sign else "x"
    answer = requests.post(
        url + path, data=fields, headers={"X-Twilio-Signature": signature}, timeout=15
    )
    return answer.status_code


def _drive(url: str) -> list[int]:
    """Whole calls through the simulator, then odd and hostile single requests."""
    from tests.test_production import TOKEN

    statuses = []
    for seed, script in enumerate(SCRIPTS):
        with HttpTransport(url) as transport:
            result = Call(
                transport,
                ScriptedCaller.parse(script),
                line=Line(url + "/voice", status_callback=url + "/voice/status", auth_token=TOKEN),
                from_number=CALLER,
                seed=seed,
            ).run()
        assert result.ok, [str(p) for p in result.problems]  # every answer 200 and valid
        statuses.append(200)
    planted = {"From": CALLER, "Caller": CALLER, "To": "+8610555000100"}
    sid = {"CallSid": "CA" + "3" * 32, **planted}
    for path, fields in [
        ("/voice/gather?node=main&lang=zh-CN&s=2", {**sid, "Digits": CARD}),
        ("/voice/gather?node=main&lang=zh-CN&s=2", {**sid, "Digits": GROUPED}),
        ("/voice/gather?node=main&lang=zh-CN&s=3", {**sid, "SpeechResult": SPOKEN}),
        ("/voice", {**planted, "CallSid": CALLER}),  # a number where the call's id goes
        ("/voice/dial?node=agent_dial&lang=zh-CN&s=4", {**sid, "DialCallStatus": TYPED}),
        (
            "/voice/record?node=voicemail&lang=zh-CN&s=5",
            {**sid, "RecordingUrl": f"https://x/{TYPED}", "RecordingSid": CARD},
        ),
        (
            "/voice/transcription?node=voicemail&s=5",
            {
                **sid,
                "RecordingSid": "RE" + "4" * 32,
                "TranscriptionText": SPOKEN,
                "TranscriptionStatus": TYPED,
            },
        ),
        ("/voice/status", {**sid, "CallStatus": CARD, "CallDuration": TYPED}),
        ("/voice/fallback", {**sid, "ErrorCode": TYPED, "ErrorUrl": f"https://x/?From={CALLER}"}),
        ("/voice/callback?node=callback&lang=zh-CN&s=6&stage=enter", {**sid, "Digits": TYPED}),
    ]:
        # Signed, it reaches its handler (valid TwiML or an empty 200); unsigned, 403.
        signed, forged = _signed_post(url, path, fields), _signed_post(url, path, fields, False)
        assert (signed, forged) == (200, 403), path
        statuses += [signed, forged]
    return statuses


def _scan(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    ours = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(entry.get("message") == "webhook" for entry in ours)  # the JSON lines are there
    return leaks(lines)


@pytest.mark.slow
def test_a_real_servers_whole_log_holds_no_caller_data(tmp_path):
    """gunicorn in production, as the Procfile starts it: calls, odd inputs, refusals, a
    broken reload, then the database down with the disk unwritable (LOST lines)."""
    from tests.test_production import procfile_server

    menus = tmp_path / "menus.yaml"
    menus.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    after_hours = {"IVR_NOW": CLOSED_TIME.isoformat(), "IVR_MENUS": str(menus)}
    served = tmp_path / "served"
    served.mkdir()
    with procfile_server(served, IVR_RELOAD_SECONDS="1", **after_hours) as url:
        statuses = _drive(url)
        menus.write_text("version: 1\nnodes: [a broken menu\n", encoding="utf-8")
        time.sleep(1.5)
        statuses += _drive(url)  # served from the last good menu
    assert set(statuses) == {200, 403}
    log = (served / "server.log").read_text(encoding="utf-8")
    assert "serving the last good menu" in log or "reload" in log
    assert _scan(served / "server.log") == []

    menus.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    down = tmp_path / "down"
    down.mkdir()
    (down / "blocker").write_text("a file where directories should be")
    with procfile_server(
        down,
        DATABASE_URL=f"sqlite:///{down / 'blocker' / 'ivr.sqlite3'}",
        IVR_SPOOL_DIR=str(down / "blocker" / "spool"),
        **after_hours,
    ) as url:
        statuses = _drive(url)
    assert set(statuses) == {200, 403}
    assert "LOST unless recovered" in (down / "server.log").read_text(encoding="utf-8")
    assert _scan(down / "server.log") == []


def test_the_development_servers_request_lines_are_masked(caplog):
    """`flask run` logs each request line, query string included (a callback's number)."""
    from ivr import logs

    logs.configure()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info(
            '127.0.0.1 - - "%s %s HTTP/1.1" 200 -', "GET", "/voice/confirm?num=13912345678&s=2"
        )
    (line,) = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert "13912345678" not in line and "num=*********78&s=2" in line
