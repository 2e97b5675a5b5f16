"""No contradiction a caller can hear: nothing announces a transfer that the hours node
then refuses. Every path is walked at an open, a closed and a holiday time."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from ivr.menu.loading import load_menus
from ivr.menu.schema import HoursNode
from ivr.settings import Settings
from ivr.simulator import WsgiTransport
from ivr.simulator.coverage import keys_for
from ivr.simulator.explorer import explore
from ivr.web.app import create_app
from tests.conftest import (
    CLOSED_TIME,
    ENV,
    HOTLINE,
    OPEN_TIME,
    SHIPPED,
    env_for,
    own_line,
    shipped_with,
)

HOLIDAY = datetime.datetime(2026, 10, 1, 19, 0, tzinfo=OPEN_TIME.tzinfo)  # after holiday hours
# What announces a transfer to each line: the agents (the menu's agent node) and the
# security line. Each is a contradiction only before that same line's closed words.
TRANSFER = {
    "agent": re.compile(
        r"为您转接|转接人工服务|Connecting you|put you through|transfer you", re.IGNORECASE
    ),
    "security_line": re.compile(r"转接安全专线|(?:for|with) the security line", re.IGNORECASE),
}
CLOSED = r"非人工服务时间|We are closed"  # the flow's own words for a closed line


def _closed_words(node: HoursNode) -> re.Pattern[str]:
    """A line's closed words: the first sentence of its hours node's closed_message, or
    the flow's own words when it has none."""
    said = (node.closed_message or {}).values()
    firsts = [re.escape(re.split(r"[。.]", text, maxsplit=1)[0]) for text in said]
    return re.compile("|".join(f for f in firsts if f) or CLOSED)


# The agent key or an option named as if an agent could take the call (review 11, F4).
AGENT_OFFERED = re.compile(r"人工服务请按0|For an agent, press 0")


def contradictions(menus_path: Path, at: datetime.datetime, tmp_path) -> list[str]:
    """Every step where a transfer is announced and a closed line follows it, and every
    agent offered while the agents' hours node is closed."""
    env = {**ENV, **env_for(tmp_path), "IVR_RECORDS": "off"}
    app = create_app(Settings.from_env(env, menus_path=menus_path, fixed_now=at))
    menus = load_menus(menus_path, env=ENV)
    agent = menus.nodes[menus.agent_node or ""]
    assert isinstance(agent, HoursNode)
    agents_closed = not menus.schedules[agent.schedule].is_open(at)
    lines = []  # each line the menus have, with its transfer and its closed words
    for line, transfer in TRANSFER.items():
        node = menus.nodes.get(menus.agent_node if line == "agent" else line)
        if isinstance(node, HoursNode):
            lines.append((transfer, _closed_words(node)))
    found: list[str] = []

    def heard(path: tuple[str, ...], waited: list[str], after: list[str]) -> None:
        said = [*waited, *after]
        for index, text in enumerate(said):
            for transfer, closed in lines:
                if transfer.search(text) and any(closed.search(t) for t in said[index:]):
                    found.append(" > ".join(path) + f": {text!r} then closed")
                    return
            if agents_closed and AGENT_OFFERED.search(text):
                found.append(" > ".join(path) + f": {text!r} offers an agent while closed")
                return

    walk = explore(
        WsgiTransport(app, base_url="http://127.0.0.1:5000"),
        line=own_line("http://127.0.0.1:5000"),
        start_urls=[f"/voice?lang={lang}" for lang in menus.languages],
        keys_for=keys_for(menus),
        heard=heard,
    )
    assert walk.transitions > 1000 and not walk.truncated  # it really walked every path
    return found


@pytest.mark.parametrize("at", [OPEN_TIME, CLOSED_TIME, HOLIDAY], ids=["open", "closed", "holiday"])
def test_no_path_announces_a_transfer_the_hours_node_refuses(at, tmp_path):
    assert contradictions(HOTLINE, at, tmp_path) == []


def test_every_line_of_the_shipped_menu_has_its_transfer_words():
    """Review: TRANSFER names its lines by node, so a renamed or new hours node would have
    left that line out of the walk unnoticed."""
    menus = load_menus(HOTLINE, env=ENV)
    lines = {node_id for node_id, node in menus.nodes.items() if isinstance(node, HoursNode)}
    assert lines == {menus.agent_node if line == "agent" else line for line in TRANSFER}


def test_the_walk_finds_the_contradiction_of_the_old_menu(tmp_path):
    """Before issue 14, account_locked said 下面为您转接人工服务, then the line was closed."""
    found = contradictions(SHIPPED, CLOSED_TIME, tmp_path)
    assert found and any("下面为您转接人工服务" in line for line in found)


def test_the_walk_finds_an_agent_offered_at_night_without_the_closed_words(tmp_path):
    """Review 11 (F4): every menu said 人工服务请按0 at night, and the complaint menu offered
    a senior agent; the key then said the agents had gone home. Without the agents' closed
    label and the options left unsaid while closed, the walk hears it again."""
    text = HOTLINE.read_text(encoding="utf-8")
    unlabelled, labels = re.subn(r"\n    closed_label:\n(?:      .*\n)+", "\n", text)
    assert labels == 2 and "unsaid_when_closed: true" in text  # the agents', the security line's
    broken = unlabelled.replace("unsaid_when_closed: true", "unsaid_when_closed: false")
    menus_path = tmp_path / "menus.yaml"
    menus_path.write_text(broken, encoding="utf-8")
    found = contradictions(menus_path, CLOSED_TIME, tmp_path)
    assert any("人工客服已下班" not in line and "人工服务请按0" in line for line in found)
    assert any("留言投诉请按1，预约回电请按2，人工服务请按0" in line for line in found)
    assert any("For an agent, press 0" in line for line in found)
    assert contradictions(HOTLINE, CLOSED_TIME, tmp_path) == []


SECURITY_HOURS = ('      daily: ["00:00-24:00"]', '      daily: ["09:00-17:00"]')


def test_a_security_line_given_hours_is_never_offered_while_it_is_closed(tmp_path):
    """Audit (#14, 5): with the security line given hours, the stolen answer said "请按1转接
    安全专线" at night, then the line's closed words; it names the key by the line's
    closed_label now, before its words."""
    path = shipped_with(tmp_path, *SECURITY_HOURS, after="  security:\n")
    menus = load_menus(path, env=ENV)
    assert not menus.schedules["security"].is_open(CLOSED_TIME)
    assert contradictions(path, CLOSED_TIME, tmp_path) == []
    said = menus.plans["stolen"].closed[frozenset({"security_line"})].prompt["zh-CN"]
    assert "".join(s.text for s in said).startswith("给安全团队留言请按1。账户被盗")


def test_the_walk_hears_a_security_line_offered_while_it_is_closed(tmp_path):
    """The stolen answer's words before the audit, naming the line's key themselves."""
    text = shipped_with(tmp_path, *SECURITY_HOURS, after="  security:\n").read_text("utf-8")
    for old, new in [
        ("options_first: true", "options_first: false"),
        (
            "账户被盗或发现陌生交易，请尽快修改密码，",
            "账户被盗或发现陌生交易，请按1转接安全专线，冻结账户、修改密码。",
        ),
        ("did not make, change the password now.", "did not make, press 1 for the security line."),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "menus.yaml"
    path.write_text(text, encoding="utf-8")
    found = contradictions(path, CLOSED_TIME, tmp_path)
    assert any("请按1转接安全专线" in line for line in found)
    assert any("press 1 for the security line" in line for line in found)


@pytest.mark.parametrize(("lang", "help_centre"), [("zh-CN", "帮助中心"), ("en-US", "help centre")])
def test_after_hours_offers_nothing_the_sources_do_not_say_works_at_night(lang, help_centre):
    """Review 11 (11): at night the menu offered the chat, which no article says is staffed
    then; the help centre's common questions (seed 000) are there at any hour."""
    menus = load_menus(HOTLINE, ENV)
    words = menus.nodes["after_hours"].full_prompt[lang]
    assert help_centre in words and "在线客服" not in words and "chat" not in words


@pytest.mark.parametrize(
    ("lang", "named"), [("zh-CN", "再次转接人工请按0"), ("en-US", "To try an agent again, press 0")]
)
def test_after_a_busy_agent_line_the_agent_key_tries_again_as_words_do(lang, named):
    """Review 11 (9): in the "nobody can take your call" menu 0 was a wrong key, while
    "转人工" said there dialled the agents again."""
    from ivr.call.flow import Flow
    from ivr.call.state import CallState
    from ivr.call.verbs import Dial

    menus = load_menus(HOTLINE, ENV)
    assert named in menus.nodes["agent_unavailable"].full_prompt[lang]
    flow = Flow(menus)
    state = CallState(node="agent_unavailable", lang=lang, step=4, back=("main",))
    for answer in (
        flow.gather(state, OPEN_TIME, digits="0"),
        flow.gather(state, OPEN_TIME, speech="转人工", confidence=0.9),
    ):
        assert answer.node == "agent_dial", answer.outcome
        assert [v.number for v in answer.verbs if isinstance(v, Dial)] == [ENV["AGENT_NUMBER"]]


@pytest.mark.parametrize(
    ("lang", "warning"), [("zh-CN", "别点其中的链接"), ("en-US", "don't tap its link")]
)
def test_the_locked_answer_warns_of_a_message_that_says_the_account_is_frozen(lang, warning):
    """Review 11 (5): "收到短信说账户被冻结了" reaches the locked answer, which told the
    caller to get ready for checks and never to leave the message's link alone (seed 002)."""
    menus = load_menus(HOTLINE, ENV)
    assert menus.spoken is not None
    assert menus.spoken.intents.match("收到短信说账户被冻结了").node == "locked"
    assert warning in menus.nodes["locked"].say[lang]
