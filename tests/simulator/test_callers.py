"""Scripted callers: the script syntax, strict matching, and what a mismatch does."""

from __future__ import annotations

import pytest

from ivr.simulator import (
    DialOutcome,
    GatherPrompt,
    HangUp,
    Keys,
    Message,
    RecordPrompt,
    ScriptedCaller,
    ScriptMismatch,
    Silence,
    Speech,
)
from ivr.simulator.line import Line

from .conftest import doc


@pytest.mark.parametrize(
    ("script", "actions"),
    [
        ("1", [Keys("1")]),
        ("123#,*0", [Keys("123#"), Keys("*0")]),
        ("1,2,.,0", [Keys("1"), Keys("2"), Silence(), Keys("0")]),
        ("say:账户", [Speech("账户")]),
        ("say: check my bill ", [Speech("check my bill")]),
        ("dial:no-answer,dial:completed", [DialOutcome("no-answer"), DialOutcome("completed")]),
        ("rec:你好", [Message("你好")]),
        ("rec:,rec:.", [Message(""), Message("")]),
        (" 1 , hangup ", [Keys("1"), HangUp()]),
    ],
)
def test_parse_reads_each_kind_of_action(script: str, actions: list) -> None:
    """Each token becomes one action, in order."""
    assert ScriptedCaller.parse(script).remaining == tuple(actions)


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ("1,,2", "script action 2 is empty"),
        ("", "script action 1 is empty"),
        ("12a", "'12a' is not understood; expected keys"),
        ("press:1", "'press:1' is not understood"),
        ("dial:maybe", "must be one of completed, busy, no-answer, failed"),
        ("say:", "'say:' needs words"),
        ("HANGUP", "not understood"),
    ],
)
def test_parse_rejects_bad_scripts_clearly(script: str, words: str) -> None:
    """A bad token raises ValueError naming its position and the accepted forms."""
    with pytest.raises(ValueError, match=words):
        ScriptedCaller.parse(script)


def test_actions_are_consumed_in_order_then_the_caller_hangs_up() -> None:
    """Each wait takes the next action; when they run out the caller hangs up."""
    caller = ScriptedCaller.parse("1,dial:busy,rec:hi")
    assert caller.gather(GatherPrompt()) == Keys("1")
    assert caller.dial("+8610555000111") == DialOutcome("busy")
    assert caller.record(RecordPrompt()) == Message("hi")
    assert caller.gather(GatherPrompt()) == HangUp()
    assert caller.remaining == ()


@pytest.mark.parametrize(
    ("script", "wait"),
    [("1", "dial"), ("rec:hi", "gather"), ("dial:busy", "record"), ("say:hi", "dial")],
)
def test_an_action_of_the_wrong_kind_is_a_mismatch(script: str, wait: str) -> None:
    """Strict: the call waiting for one thing and the script offering another raises."""
    caller = ScriptedCaller.parse(script)
    ask = {
        "gather": lambda: caller.gather(GatherPrompt()),
        "dial": lambda: caller.dial("+8610555000111"),
        "record": lambda: caller.record(RecordPrompt()),
    }[wait]
    with pytest.raises(ScriptMismatch, match=f"waits at a <{wait.capitalize()}>"):
        ask()


def test_a_mismatch_in_a_call_is_sim003_and_the_caller_hangs_up(dial_in) -> None:
    """The call records SIM003 and ends as a caller hang-up."""
    pages = {"/voice": doc('<Dial action="/d">+8610555000111</Dial>'), "/d": doc("<Hangup/>")}
    call = dial_in(pages, "1")
    assert call.codes == ["SIM003"]
    assert "script action 1 is '1'" in call.result.problems[0].message
    assert call.result.end == "caller-hangup"
    assert call.to("/d") == []
    assert call.lines[-1] == "[Caller] hung up"


def test_a_custom_caller_answering_the_wrong_kind_is_sim003(dial_in) -> None:
    """The call itself checks actions, so any Caller is held to the same rule."""
    from ivr.simulator import Call, WsgiTransport

    from .conftest import BASE, twiml_app

    class Confused:
        def gather(self, prompt):
            return DialOutcome("busy")

        def dial(self, number):
            return Keys("1")

        def record(self, prompt):
            return Keys("1")

    app, _ = twiml_app({"/voice": doc('<Gather action="/m"/><Hangup/>')})
    result = Call(WsgiTransport(app, BASE), Confused(), line=Line(f"{BASE}/voice")).run()
    assert [p.code for p in result.problems] == ["SIM003"]
    assert "answered 'dial:busy'" in result.problems[0].message
    assert result.end == "caller-hangup"


def test_keys_and_outcomes_validate_their_values() -> None:
    """Actions built in code are checked too."""
    with pytest.raises(ValueError, match="keys must be"):
        Keys("1a")
    with pytest.raises(ValueError, match="dial outcome must be"):
        DialOutcome("answered")
