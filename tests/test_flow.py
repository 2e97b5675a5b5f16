"""The flow: the same state and input give the same answer; an hours node follows the clock."""

from __future__ import annotations

from ivr.flow import Flow
from ivr.menus import load_menus
from ivr.state import CallState
from tests.conftest import CLOSED_TIME, ENV, HOTLINE, OPEN_TIME


def _menus():
    return load_menus(HOTLINE, ENV)


def test_an_answer_depends_only_on_the_state_and_the_input():
    menus = _menus()
    main = CallState(node=menus.main_menu, lang="zh-CN", step=2)
    first = Flow(menus).gather(main, OPEN_TIME, digits="1")
    assert first == Flow(menus).gather(main, OPEN_TIME, digits="1")
    assert Flow(menus).gather(main, OPEN_TIME, digits="2") != first
    assert Flow(menus).start(OPEN_TIME, "en-US").lang == "en-US"


def test_an_answer_through_an_hours_node_follows_the_clock():
    menus = _menus()
    flow = Flow(menus)
    main = CallState(node=menus.main_menu, lang="zh-CN", step=2)
    agent_key = next(key for key, action in menus.plans[menus.main_menu].keys.items()
                     if action == "agent")
    opened = flow.gather(main, OPEN_TIME, digits=agent_key)
    closed = flow.gather(main, CLOSED_TIME, digits=agent_key)
    assert opened.node == "agent_dial"
    assert closed.node != "agent_dial" and "agent" in closed.path
    assert flow.gather(main, OPEN_TIME, digits=agent_key) == opened
