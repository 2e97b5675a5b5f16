"""The commonest needs said the commonest ways reach their answer (review R3-14, R3-15).

Each case is said at the main menu in open hours, through the call flow: the caller must
reach the node (or be asked "A or B?" with it as one of the two where the test allows it),
never the how-to answer of bills, the comments recording or a re-prompt.
"""

from __future__ import annotations

import pytest

from ivr.call.flow import Flow
from ivr.call.state import CallState
from ivr.menu.loading import load_menus
from tests.conftest import ENV, HOTLINE, OPEN_TIME


@pytest.fixture(scope="module")
def flow():
    return Flow(load_menus(HOTLINE, ENV))


def _said(flow, lang, said):
    """The node the caller reaches, or the two asked between (ask)."""
    main = CallState(node=flow.menus.main_menu, lang=lang, step=2)
    answer = flow.gather(main, OPEN_TIME, speech=said, confidence=0.9)
    if answer.outcome.endswith("-> ask"):
        return answer.verbs[0].action.state.ask, answer.outcome
    return (answer.node,), answer.outcome


# Money that has not arrived, however the negation is put: 不到账, 到不了账, 不到账 after a
# top-up, a transfer or a withdrawal, and a complaint that names it.
MONEY_NOT_ARRIVED = [
    "充值不到账",
    "转账不到账",
    "充值了不到账",
    "提现不到账",
    "提现到不了账",
    "一直不到账",
    "投诉提现不到账",
    "我要投诉你们提现太慢",
]
# A failed top-up: the answer that checks whether the bank took the money and the top-up
# record (funds_not_arrived), not how to top up (bills), nor logging in.
TOP_UP_FAILED = ["充值失败", "银行卡充值失败", "充值失败了怎么办", "充不进去钱"]


@pytest.mark.parametrize("said", MONEY_NOT_ARRIVED + TOP_UP_FAILED)
def test_mandarin_money_not_arrived_or_a_failed_top_up_reaches_its_answer(flow, said):
    reached, outcome = _said(flow, "zh-CN", said)
    assert reached == ("funds_not_arrived",), outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "I didn't get the code", "login"),
        ("en-US", "I did not get the code", "login"),
        ("en-US", "I never got the code", "login"),
        ("en-US", "I didn't get a text", "login"),
        ("en-US", "my top up failed", "funds_not_arrived"),
        ("en-US", "I can't top up", "funds_not_arrived"),
    ],
)
def test_english_codes_not_received_and_failed_top_ups_reach_their_answer(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我要投诉"),
        ("zh-CN", "我要投诉你们"),
        ("zh-CN", "投诉客服"),
        ("zh-CN", "我要投诉，上次那个客服态度太差了"),
        ("en-US", "I have a complaint"),
        ("en-US", "I want to complain about the app, it's terrible"),
    ],
)
def test_a_complaint_about_us_or_alone_is_still_feedback(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("feedback",), outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我要投诉账户被冻结了", "locked"),
        ("zh-CN", "我要投诉充值没到账", "funds_not_arrived"),
        ("en-US", "I want to complain, I can't get the code", "login"),
    ],
)
def test_a_complaint_that_names_a_problem_goes_to_the_problem(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached and "feedback" not in reached, outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh-CN", "怎么充值"), ("zh-CN", "怎么转账"), ("en-US", "how do I top up my wallet")],
)
def test_a_how_to_still_reaches_the_how_to_answer(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("bills",), outcome
