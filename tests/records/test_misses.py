"""`ivr speech --misses`: what real callers said that the matcher missed, from the records."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select

from ivr.records import tables
from ivr.records.misses import speech_misses
from ivr.settings import Settings
from ivr.web.app import create_app
from tests.conftest import HOTLINE
from tests.records.conftest import CALLER

GATHER = "/voice/gather?node=main&lang=zh-CN&s=1"


@pytest.fixture
def env(env):
    """The hotline menu (menus.yaml): its main menu listens and has example phrases."""
    return {**env, "IVR_MENUS": str(HOTLINE)}


@pytest.fixture
def app(env, clock):
    """The app on the hotline menu, recording into the test database."""
    app = create_app(Settings.from_env(env), clock=clock)
    recorder = app.extensions["ivr"].recorder
    engine = recorder.engine
    yield app
    recorder.close()
    engine.dispose()


def say(app, words: str, number: int, at_step: str = GATHER) -> None:
    """One real (Twilio-shaped CallSid) spoken turn at the main menu."""
    fields = {
        "CallSid": f"CA{number:032x}",
        "From": CALLER,
        "To": "+8610555000100",
        "SpeechResult": words,
        "Confidence": "0.9",
    }
    assert app.test_client().post(at_step, data=fields).status_code == 200


def test_each_spoken_turn_keeps_its_score(engine, app, recorder):
    say(app, "我的钱提不出来", 1)
    say(app, "今天天气怎么样", 2)
    event = tables.events.c
    with engine.connect() as connection:
        rows = dict(connection.execute(select(event.input, event.score)).all())
    assert rows["say:我的钱提不出来"] > 0.5
    assert rows["say:今天天气怎么样"] < 0.36


def test_misses_are_grouped_by_what_was_heard_most_frequent_first(engine, app, recorder, dial):
    for number, words in enumerate(
        ["今天天气怎么样", "今天天气怎么样", "火车票", "我的钱提不出来"]
    ):
        say(app, words, number + 1)
    dial("say:火车票", simulated=True)  # simulated calls: left out
    dial("say:火车票", seed=2, simulated=True)
    misses = speech_misses(engine, skip_call_sids="CAsim")
    assert [(m.heard, m.count) for m in misses] == [("今天天气怎么样", 2), ("火车票", 1)]
    everything = speech_misses(engine)
    assert [(m.heard, m.count) for m in everything] == [("火车票", 3), ("今天天气怎么样", 2)]


def test_ivr_speech_misses_lists_real_calls_since_a_day(engine, app, recorder, dial, ivr, clock):
    say(app, "今天天气怎么样", 1)
    say(app, "今天天气怎么样", 2)
    dial("say:火车票", simulated=True)
    out = ivr("speech", "--misses").output
    assert "今天天气怎么样" in out and "火车票" not in out
    assert " 2 " in out.split("今天天气怎么样")[0].splitlines()[-1] + " "
    tomorrow = (clock.now + datetime.timedelta(days=2)).date().isoformat()
    assert (
        "no unmatched or low-score speech" in ivr("speech", "--misses", "--since", tomorrow).output
    )


def test_numbers_callers_said_are_hidden_unless_asked(engine, app, recorder, ivr):
    """Review: a phone number a caller said was listed in full, though the logs hide it."""
    say(app, "我的手机号是13800138000[bold]", 1)
    out = ivr("speech", "--misses").output
    assert "*********00[bold]" in out and "13800138000" not in out
    assert "13800138000" in ivr("speech", "--misses", "--unmask").output
    assert "go with --misses" in ivr("speech", "--unmask", expect=2).output
