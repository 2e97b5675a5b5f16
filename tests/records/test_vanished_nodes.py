"""A message or a confirmed callback request whose node a reload removed meanwhile is kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from ivr.records import tables
from tests.records.conftest import CALLER

SID = "CA" + "ab" * 16


def _post(app, path: str, **fields: str) -> str:
    answer = app.test_client().post(path, data={"CallSid": SID, "From": CALLER, **fields})
    assert answer.status_code == 200
    return " ".join(say.text or "" for say in ET.fromstring(answer.data).iter("Say"))


def test_a_message_left_at_a_node_a_reload_removed_is_kept(app, engine, recorder):
    """Review: the recording was dropped without a word, and the caller heard the main menu
    instead of thanks."""
    said = _post(
        app,
        "/voice/record?node=voicemail_old&lang=zh-CN&s=3&back=main.after_hours",
        RecordingUrl="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        RecordingSid="RE" + "1" * 32,
        RecordingDuration="30",
    )
    assert said.startswith("感谢您的留言")
    with engine.connect() as connection:
        (message,) = connection.execute(select(tables.recordings)).all()
    assert (message.call_sid, message.duration, message.node) == (SID, 30, "voicemail_old")


def test_a_confirmed_callback_request_at_a_node_a_reload_removed_is_kept(app, engine, recorder):
    said = _post(
        app,
        "/voice/callback?node=callback_old&lang=en-US&s=5&back=main.after_hours"
        "&stage=window&num=%2B8613912345678&cb=1",
        Digits="1",
    )
    assert said.startswith("Your callback request is booked,")
    with engine.connect() as connection:
        (request,) = connection.execute(select(tables.callbacks)).all()
    assert (request.number, request.window) == ("+8613912345678", "any")


def test_an_unconfirmed_number_at_a_removed_node_books_nothing(app, engine, recorder):
    said = _post(
        app, "/voice/callback?node=callback_old&lang=zh-CN&s=5&stage=readback&num=13912345678"
    )
    assert "回电请求已登记" not in said
    with engine.connect() as connection:
        assert connection.execute(select(tables.callbacks)).all() == []
