"""No caller's number, card-like digits or words in any log line, whatever the path."""

from __future__ import annotations

import datetime
import logging

from ivr.logs import JsonFormatter
from ivr.records import database
from ivr.records.spool import Spool
from ivr.records.writes import Recorder, Written, call_seen, step_taken
from tests.conftest import CLOSED_TIME

CALLER = "+8613812345678"
CARD = "6222021234567890"
SPOKEN = "我的手机号是13800138000"
TYPED = "13987654321"
PLANTED = [CALLER, CALLER[1:], CALLER[3:], CARD, "13800138000", TYPED]


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
        ("/voice/gather?node=main&lang=zh-CN&s=4", {"Digits": "0"}),
        ("/voice/callback?node=callback&lang=zh-CN&s=6&stage=confirm", {"Digits": "2"}),
        ("/voice/callback?node=callback&lang=zh-CN&s=7&stage=enter", {"Digits": TYPED + "#"}),
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
