"""The flow's remembered answers: the same as computed ones, never across an hours node."""

from __future__ import annotations

from ivr import flow as flow_module
from ivr.flow import Flow
from ivr.menus import load_menus
from ivr.state import CallState
from tests.conftest import CLOSED_TIME, ENV, OPEN_TIME, SHIPPED


def _menus():
    return load_menus(SHIPPED, ENV)


def test_a_remembered_answer_is_the_one_a_fresh_flow_computes():
    menus = _menus()
    flow = Flow(menus)
    main = CallState(node=menus.main_menu, lang="zh-CN", step=2)
    first = flow.gather(main, OPEN_TIME, digits="1")
    again = flow.gather(main, OPEN_TIME, digits="1")
    assert again is first  # remembered, not recomputed
    assert again == Flow(menus).gather(main, OPEN_TIME, digits="1")
    assert flow.gather(main, OPEN_TIME, digits="9") != first  # another key, another answer
    assert flow.start(OPEN_TIME, "en-US") == Flow(menus).start(OPEN_TIME, "en-US")


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


def test_forged_states_cannot_grow_the_memory(monkeypatch):
    monkeypatch.setattr(flow_module, "MAX_REMEMBERED", 50)
    menus = _menus()
    flow = Flow(menus)
    for step in range(500):  # a step counter edited in the URL is a new key each time
        flow.gather(CallState(node=menus.main_menu, lang="zh-CN", step=step), OPEN_TIME,
                    digits="1")
        assert len(flow._answers) <= 50
