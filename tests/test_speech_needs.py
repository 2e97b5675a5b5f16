"""The commonest needs said the commonest ways reach their answer (reviews R3-14, R3-15,
R4-6, R4-7, R4-9).

Each case is said at the main menu in open hours, through the call flow: the caller must
reach the node (or be asked "A or B?" with it as one of the two where the test allows it),
not another answer, the comments recording or a re-prompt; out-of-scope requests are
re-prompted.
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


# Review R4-6: a how-to about paying a carrier's or a utility's bill is the how-to answer's
# (bills); a failure to pay one stays a failed payment.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "怎么交电费"),
        ("zh-CN", "怎么交话费"),
        ("zh-CN", "电费怎么交"),
        ("en-US", "can I pay my phone bill with the wallet"),
        ("en-US", "How do I pay my phone bill"),
        ("en-US", "I don't get how to top up"),
    ],
)
def test_how_to_pay_a_bill_or_top_up_reaches_the_how_to_answer(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("bills",), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "电费交不了"),
        ("zh-CN", "交电费失败"),
        ("zh-CN", "话费交不上"),
        ("en-US", "my electricity bill payment failed"),
        ("en-US", "paying my phone bill failed"),
        ("en-US", "I can't pay my phone bill"),
    ],
)
def test_a_bill_that_cannot_be_paid_is_still_a_failed_payment(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("payments_failed",), outcome


# The bill itself (its amount, where to pay it) is no node's: re-prompted.
@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh-CN", "帮我查一下话费"), ("zh-CN", "煤气费在哪交"), ("en-US", "my gas bill is too high")],
)
def test_a_carriers_or_utilitys_bill_itself_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# Review R4-7: money passed on (an amount, 钱, 到银行卡, to someone) is a transfer (bills);
# the call passed on, or someone in charge asked for, is an agent request (the agent node,
# open: its transfer). A manager the caller is, or has, is no request.
AGENT = ("agent_dial",)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "帮我转一下到银行卡"),
        ("zh-CN", "帮我转一下给我妈"),
        ("zh-CN", "帮我转一下500块"),
        ("en-US", "transfer me 100 dollars"),
        ("en-US", "transfer me fifty dollars"),
    ],
)
def test_money_passed_on_is_a_transfer(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("bills",), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "帮我转一下人工"),
        ("zh-CN", "转一下客服"),
        ("zh-CN", "帮我转一下"),
        ("zh-CN", "让你们领导接电话"),
        ("zh-CN", "找你们经理"),
        ("zh-CN", "我是想找你们领导"),
        ("en-US", "transfer me to an agent"),
        ("en-US", "put me through"),
        ("en-US", "transfer me"),
        ("en-US", "speak to a manager"),
        ("en-US", "let me speak to your boss"),
    ],
)
def test_the_call_passed_on_or_a_manager_asked_for_reaches_the_agent(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == AGENT, outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我是公司经理，付款一直失败"),
        ("zh-CN", "我们领导说付款失败了"),
        ("en-US", "I am a manager and my payment keeps failing"),
        ("en-US", "my boss told me my payment failed"),
    ],
)
def test_a_manager_the_caller_is_or_has_is_no_agent_request(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("payments_failed",), outcome


# Review R4-9: 不知道怎么 asks how, as "I don't know how" does; 不知道为什么 says nothing.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "不知道怎么登录", "login"),
        ("zh-CN", "我不知道怎么转账", "bills"),
        ("zh-CN", "不清楚怎么充值", "bills"),
        ("en-US", "I don't know how to log in", "login"),
        ("en-US", "I don't know how to transfer money", "bills"),
        ("zh-CN", "不知道为什么付款失败", "payments_failed"),
        ("zh-CN", "不知道为什么登不上去", "login"),
        ("zh-CN", "不知道为什么钱没到账", "funds_not_arrived"),
        ("en-US", "I have no idea why my payment failed", "payments_failed"),
    ],
)
def test_not_knowing_how_is_a_how_to_and_not_knowing_why_says_nothing(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Another service's own account, password, PIN or bill (a bank's, a credit card's, a chat
# app's, a game's, the email's, the phone's lock screen) is no node's: re-prompted, though
# every other word is a wallet's.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我的微信账号被封了"),
        ("zh-CN", "银行卡密码忘了怎么办"),
        ("zh-CN", "信用卡账单不对"),
        ("zh-CN", "游戏账号被盗了"),
        ("zh-CN", "手机锁屏密码忘了"),
        ("en-US", "my Instagram account got hacked"),
        ("en-US", "I forgot my online banking password"),
        ("en-US", "my credit card bill is wrong"),
        ("en-US", "I forgot the pin for my lock screen"),
        ("en-US", "my Gmail account is locked"),
    ],
)
def test_another_services_account_password_or_bill_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的账号被盗了", "stolen"),
        ("zh-CN", "提现到银行卡一直没到账", "funds_not_arrived"),
        ("zh-CN", "绑定的邮箱被人改了，钱也少了", "stolen"),
        ("zh-CN", "用信用卡充值没到账", "funds_not_arrived"),
        ("en-US", "I forgot my password", "passwords"),
        ("en-US", "my withdrawal never reached my bank account", "funds_not_arrived"),
        ("en-US", "what's your email address", "channels"),
        ("en-US", "my email was changed by someone", "stolen"),
    ],
)
def test_the_wallets_own_account_password_bank_card_and_email_still_reach_their_answer(
    flow, lang, said, node
):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Round 11 (validation7.yaml): what upset, hurried callers and callers asking for someone
# else say around their request ("我都打了三次了", "I've called three times", "帮我妈问一下",
# "my wife's account", "this is ridiculous") says nothing of it.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我都已经打了好几次电话了，还是登不上", "login"),
        ("zh-CN", "我都打了三次了，付款一直失败", "payments_failed"),
        ("zh-CN", "帮我妈问一下，她的账户被冻住了", "locked"),
        ("zh-CN", "我老公被锁了", "locked"),
        ("zh-CN", "我老公的账户被别人登了，钱都被转走了", "stolen"),
        ("zh-CN", "烦死了，验证码到底怎么一直收不到", "login"),
        ("zh-CN", "急死了急死了，提现还没到", "funds_not_arrived"),
        ("zh-CN", "怎么给我妈转钱", "bills"),
        (
            "en-US",
            "I've called three times already, my withdrawal still hasn't arrived",
            "funds_not_arrived",
        ),
        ("en-US", "I've called twice, my payment keeps failing", "payments_failed"),
        ("en-US", "I'm asking for my dad, he forgot his payment PIN", "passwords"),
        ("en-US", "calling on behalf of my mother, her account was hacked", "stolen"),
        ("en-US", "my husband's wallet is frozen", "locked"),
        ("en-US", "come on, this is ridiculous, I can't log in", "login"),
        ("en-US", "damn it, the bloody payment won't go through", "payments_failed"),
    ],
)
def test_upset_hurried_or_third_party_asides_say_nothing_of_the_request(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Money or a code that does not show has not arrived; a purchase that "wasn't me" was not
# made by the caller; "get in touch" and "reach you" are contacting us; "how does that work"
# after a request asks nothing more; and "not X, Y" drops X only where "not" opens the
# clause ("it's still not showing, this is ridiculous" keeps "not showing").
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "the money isn't there", "funds_not_arrived"),
        ("en-US", "my top up is still not showing", "funds_not_arrived"),
        ("en-US", "I tapped up and the money isn't there", "funds_not_arrived"),
        ("en-US", "it's still not showing, this is ridiculous, my top up", "funds_not_arrived"),
        ("en-US", "I'm waiting for the code and nothing shows up", "login"),
        ("en-US", "there's a purchase in another city that wasn't me", "stolen"),
        ("en-US", "how else can I get in touch with you", "channels"),
        ("en-US", "can I pay in instalments? how does that work", "bills"),
        ("en-US", "not a payment problem, my account is locked", "locked"),
        (
            "en-US",
            "it's not that I forgot my password, the app says my account is frozen",
            "locked",
        ),
    ],
)
def test_things_not_showing_not_me_and_getting_in_touch_reach_their_answer(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# A message with a link quotes a claim about the account as bait: the link is what is asked
# about (safety), not the claim (locked); without a link, the claim is the caller's problem.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        (
            "en-US",
            "I got a message with a link that says my wallet is blocked, do I click it",
            "safety",
        ),
        ("zh-CN", "收到短信说我的账户被锁了要我点链接", "safety"),
        ("en-US", "the app says my account is blocked", "locked"),
        ("zh-CN", "提示说我的账户被锁了", "locked"),
    ],
)
def test_a_claim_quoted_by_a_message_with_a_link_is_bait(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Ways of asking the example phrases lacked before round 11: the bank took the money but the
# balance did not change, other ways than calling, a wallet made for someone, too many wrong
# passwords and now nothing works; a landlord's deposit is no top-up.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "the bank took the money but my top up is not there", "funds_not_arrived"),
        ("zh-CN", "钱扣了余额还是没变", "funds_not_arrived"),
        ("en-US", "besides calling, how can I contact you", "channels"),
        ("zh-CN", "能不能在网上问问题", "channels"),
        ("zh-CN", "帮他弄一个钱包", "register"),
        ("en-US", "I typed my password wrong a few times and now nothing works", "locked"),
    ],
)
def test_ways_of_asking_added_in_round_11_reach_their_answer(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en-US", "my landlord won't give my deposit back"), ("zh-CN", "房东一直不退押金")],
)
def test_a_landlords_deposit_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "没有别的问题了，再见"),
        ("zh-CN", "没有其他问题了，谢谢"),
        ("zh-CN", "没别的事了，拜拜"),
        ("en-US", "no other questions, bye"),
        ("en-US", "nothing else, thanks bye"),
        ("en-US", "that's all, thank you"),
    ],
)
def test_a_caller_ending_the_call_is_routed_to_no_menu(flow, lang, said):
    """Review F3: "no other questions, goodbye" after an answer is no request for other
    services (别的, "other"): the caller stays where they are and hears they may hang up."""
    for node in ("stolen", "login", flow.menus.main_menu):
        state = CallState(node=node, lang=lang, step=3)
        answer = flow.gather(state, OPEN_TIME, speech=said, confidence=0.9)
        assert answer.node == node and answer.match is None, answer.outcome


@pytest.mark.parametrize(
    ("lang", "said"), [("zh-CN", "没有别的问题了"), ("en-US", "I have no other questions")]
)
def test_nothing_else_is_no_request_for_other_services(flow, lang, said):
    """The negation rules "别的" / "other" out, as "不是X，是Y" rules X out."""
    assert "more" not in flow.menus.spoken.intents.match(said).choices


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "还有别的问题", "more"),
        ("en-US", "I have another question", "more"),
        ("zh-CN", "没有别的问题了，就是登录不上", "login"),
        ("en-US", "no other questions, but I can't log in", "login"),
    ],
)
def test_another_question_or_a_problem_after_nothing_else_keeps_its_way(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en-US", "I'm calling to offer your manager a business loan"),
        ("en-US", "we have a business proposal for your boss"),
        ("zh-CN", "我们公司想跟你们经理谈合作"),
        ("zh-CN", "我是做推广的，找你们领导"),
    ],
)
def test_a_sales_pitch_to_the_manager_is_re_prompted(flow, lang, said):
    """A business proposal names the manager it is for: no agent is asked for."""
    reached, outcome = _said(flow, lang, said)
    assert reached == (flow.menus.main_menu,), outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en-US", "my money is gone"),
        ("en-US", "money gone from my account"),
        ("en-US", "all my money is gone"),
        ("zh-CN", "钱没了"),
        ("zh-CN", "卡里的钱没了"),
        ("zh-CN", "钱突然没了"),
    ],
)
def test_money_gone_is_the_stolen_answer(flow, lang, said):
    """Review F10: money that vanished ("gone", 钱没了) is the stolen account's, or a
    question offering it: not money on its way (钱没到), nor money sent to the wrong person."""
    reached, outcome = _said(flow, lang, said)
    assert "stolen" in reached, outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "钱没到", "funds_not_arrived"),
        ("en-US", "my money hasn't arrived", "funds_not_arrived"),
        ("en-US", "the money went to the wrong recipient", "main"),
    ],
)
def test_money_not_come_or_sent_astray_is_not_money_gone(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Round 12 (validation8.yaml): what a recogniser really returns. Cantonese-flavoured
# Mandarin (点解, 畀钱, 唔, 唔该, 喺…度, 倾偈) and Taiwanese words (储值, 个资) read as
# Mandarin; words split at a filler ("for got", "a count", "with draw all", "reg is ter") or
# past a sound-alike ("top pup"); a date or a time of day, and how many instalments, say
# nothing of the request; what the screen says ("写着…请联系客服") is the app's words;
# "not the X one" without a comma; a PIN is a password; what "didn't work" failed.
@pytest.mark.parametrize(
    ("lang", "said", "nodes"),
    [
        ("zh-CN", "点解我畀钱一直唔成功", {"payments_failed"}),
        ("zh-CN", "唔该我想喺app度同客服倾偈", {"channels"}),
        ("zh-CN", "储值", {"bills", "funds_not_arrived"}),
        ("zh-CN", "个资会不会外泄", {"safety"}),
        ("en-US", "I for got my past word", {"passwords"}),
        ("en-US", "I want to create a new a count", {"register"}),
        ("en-US", "with draw all still not in my account", {"funds_not_arrived"}),
        ("en-US", "how do I reg is ter", {"register"}),
        ("en-US", "I did a top pup and nothing came through", {"funds_not_arrived"}),
        ("zh-CN", "上周五半夜三点多充的值到现在没到", {"funds_not_arrived"}),
        ("zh-CN", "买手机那笔能不能分十二期", {"bills"}),
        ("zh-CN", "屏幕上写着您的账户已被锁定请联系客服", {"locked"}),
        ("en-US", "not the login one the one I use to pay I forgot it", {"passwords"}),
        ("en-US", "put in the wrong pin three times now I'm blocked", {"locked"}),
        ("en-US", "uber payment didn't work", {"payments_failed"}),
        ("zh-CN", "你们会不会把我的个人资料卖给别人", {"safety"}),
    ],
)
def test_what_a_recogniser_returns_reaches_its_answer(flow, lang, said, nodes):
    reached, outcome = _said(flow, lang, said)
    assert nodes & set(reached), outcome


# Ways of asking the example phrases lacked before round 12: a bare word ("提现"), the area
# named as an option ("verification", "登录和验证码那一项", "that one about money"), the
# screen's words for a session that ended, whether this number is really ours.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "提现", "funds_not_arrived"),
        ("en-US", "verification", "login_codes"),
        ("zh-CN", "登录和验证码那一项", "login_codes"),
        ("zh-CN", "就是那个关于钱的", "payments"),
        ("en-US", "the app keeps saying session expired please log in again", "login"),
        ("en-US", "how do I know this number is really you", "safety"),
        ("zh-CN", "怎么知道这个号码是不是你们官方的", "safety"),
    ],
)
def test_ways_of_asking_added_in_round_12_reach_their_answer(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我的Line帐号登不进去"),
        ("zh-CN", "QQ号被冻结了"),
        ("en-US", "my facebook got hacked"),
        ("zh-CN", "你们还招客服吗我想应聘"),
        ("en-US", "my bank card got declined at the atm"),
    ],
)
def test_another_services_account_a_job_or_a_cash_machine_is_re_prompted(flow, lang, said):
    """Another app's account, a job at the company, a bank's cash machine: no node serves
    them, however much of a node's wording comes with them ("登不进去", "hacked")."""
    reached, outcome = _said(flow, lang, said)
    assert reached == (flow.menus.main_menu,) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的帳戶被鎖住了", "locked"),
        ("zh-CN", "支付密碼忘記了", "passwords"),
        ("zh-CN", "儲值的錢沒有到帳", "funds_not_arrived"),
        ("zh-CN", "帳號要怎麼註冊", "register"),
    ],
)
def test_traditional_characters_read_as_simplified(flow, lang, said, node):
    """Taiwan and Hong Kong callers, or a recogniser writing traditional characters (帳戶,
    儲值, 密碼), reach the answer the same words in simplified characters reach."""
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


def test_a_traditional_keyword_is_a_keyword():
    """Keywords are found in traditional characters too ("回電" is "回电")."""
    from ivr.menu.intents import keyword_form, keywords_said

    assert keywords_said("請給我回電", [(keyword_form("回电"), "2")]) == [("2", False)]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我在银行申请的车贷批下来没有"),
        ("zh-CN", "楼里停电好几个小时了"),
        ("zh-CN", "电表好像坏了找谁"),
        ("zh-CN", "我是日报记者，想采访你们的支付安全负责人"),
        ("en-US", "when will my mortgage be approved"),
        ("en-US", "there's been a power outage since noon"),
        ("en-US", "I'm a reporter, can I get a comment for a story on payment security"),
        ("en-US", "the shop won't let me exchange the shoes I bought"),
    ],
)
def test_a_loan_a_supply_the_press_or_a_shops_returns_is_re_prompted(flow, lang, said):
    """Brought to the wrong line: a bank's loan, a power cut or a meter, a journalist, a
    shop's returns. No node serves them, however they name payments or security."""
    reached, outcome = _said(flow, lang, said)
    assert reached == (flow.menus.main_menu,) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "有人打电话说能帮我办贷款，这是诈骗吗", "safety"),
        ("zh-CN", "我用钱包还房贷扣款失败了", "payments_failed"),
        ("zh-CN", "电表显示欠费，用钱包交电费一直失败", "payments_failed"),
        ("zh-CN", "社交媒体上有人冒充你们客服", "safety"),
    ],
)
def test_a_loan_as_bait_or_a_meters_bill_paid_with_us_is_still_ours(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "买单时要输的那六位数字忘了", "passwords"),
        ("en-US", "I can't recall the six digit number for paying", "passwords"),
        ("zh-CN", "想给上次接电话的小哥点个赞", "feedback"),
        ("en-US", "the agent who helped me on Monday was fantastic", "feedback"),
        ("zh-CN", "手机落在出租车上了，里面有你们的钱包", "stolen"),
    ],
)
def test_a_pin_described_praise_and_a_story_before_the_point_reach_their_answer(
    flow, lang, said, node
):
    """The payment PIN described by its digits, praise for someone who helped (a comment,
    not a request for them), a lost phone told with where and when."""
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


@pytest.mark.parametrize(("lang", "said"), [("en-US", "what is the price of gold today")])
def test_a_price_is_no_praise(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == (flow.menus.main_menu,) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize("said", ["我不要人工", "不用转人工", "我不需要人工客服"])
def test_a_person_declined_and_nothing_else_said_does_not_dial(flow, said):
    """Review 9, F2: "我不要人工" alone went to the agent; a declined person is no request."""
    reached, outcome = _said(flow, "zh-CN", said)
    assert "agent" not in reached and "agent_dial" not in reached, outcome


def test_a_person_declined_before_the_point_still_reaches_the_point(flow):
    reached, outcome = _said(flow, "zh-CN", "不要转人工，我想问提现没到账")
    assert reached == ("funds_not_arrived",), outcome


@pytest.mark.parametrize(
    "said",
    [
        "I don't need an agent",
        "no agent please",
        "I do not need a representative",
        "I don't want to talk to a person",
        "no need for an agent",
        "don't transfer me to an agent",
    ],
)
def test_a_person_declined_in_english_does_not_dial(flow, said):
    """Review 9, F2 in English: "I don't need an agent" alone dialled."""
    reached, outcome = _said(flow, "en-US", said)
    assert reached == (flow.menus.main_menu,) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize(
    "said",
    [
        "can't I just talk to a person",
        "why can't I speak to a human",
        "no, I need an agent",
        "I need an agent, not a robot",
        "I don't want a robot, I want an agent",
    ],
)
def test_a_person_asked_for_around_a_negation_still_dials(flow, said):
    reached, outcome = _said(flow, "en-US", said)
    assert reached == ("agent_dial",), outcome


@pytest.mark.parametrize(
    ("said", "node"),
    [
        ("I don't need an agent I forgot my password", "passwords"),
        ("no agent my withdrawal hasn't arrived", "funds_not_arrived"),
    ],
)
def test_a_person_declined_before_the_point_in_english_reaches_the_point(flow, said, node):
    reached, outcome = _said(flow, "en-US", said)
    assert reached == (node,), outcome


# Round 18. Mandarin said to the English recogniser comes back as pinyin-ish words ("ren
# gong", "zhu ce", "tee" for ti, "foo" for fu), English said to the Mandarin one as its
# sounds (帕斯沃德, 诶真特): each reaches the node its Mandarin or English would.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "ren gong fu wu", "agent_dial"),
        ("en-US", "wo yao zhu ce", "register"),
        ("en-US", "mee ma wang ji le", "passwords"),
        ("en-US", "ti xian may dao zhang", "funds_not_arrived"),
        ("en-US", "zhang hu bei dao le", "stolen"),
        ("zh-CN", "我的帕斯沃德忘记了", "passwords"),
        ("zh-CN", "我要找诶真特", "agent_dial"),
    ],
)
def test_one_language_said_to_the_other_recogniser_reaches_its_answer(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


@pytest.mark.parametrize("said", ["can he pin", "i need a man", "hang on", "long time no see"])
def test_english_words_that_spell_a_syllable_are_not_pinyin(flow, said):
    reached, outcome = _said(flow, "en-US", said)
    assert "agent_dial" not in reached and "register" not in reached, outcome


# A channel declined before the person asked for, without a comma ("不要在线客服我要
# 人工"), asks for the person; staff who were rude are a comment, not a person asked for.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "不要在线客服我要人工", "agent_dial"),
        ("zh-CN", "我不想发邮件我想找人工", "agent_dial"),
        ("en-US", "the agent I spoke to was so rude", "feedback"),
        ("en-US", "your staff were really unprofessional with me", "feedback"),
        ("zh-CN", "上次那个客服态度特别差", "feedback"),
    ],
)
def test_a_channel_declined_or_rude_staff_reach_the_person_or_feedback(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Another company's own login, password or bill, named by its name (a railway's ticket site,
# a mail provider, a power supplier, a bank's hotline), a router's password, a bill paid at
# a counter, a car registered: theirs, re-prompted.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "12306的密码找不回来了"),
        ("zh-CN", "163邮箱登录不了"),
        ("zh-CN", "南方电网的电费账单在哪看"),
        ("zh-CN", "去邮局交水费要带什么"),
        ("zh-CN", "水费交到哪里"),
        ("zh-CN", "路由器密码忘了"),
        ("en-US", "what's the customer service number for Wells Fargo"),
        ("en-US", "I forgot the password of my wifi"),
        ("en-US", "can I pay the electric bill at the supermarket"),
        ("en-US", "how do I register a new vehicle"),
    ],
)
def test_another_companys_named_login_bill_or_registration_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "用钱包交电费一直失败", "payments_failed"),
        ("en-US", "can I pay my water bill with the wallet", "bills"),
        ("zh-CN", "钱包登录不了", "login"),
        ("en-US", "how do I register", "register"),
        # a formal request, a lock with the login it stops, a learner's English
        ("zh-CN", "本人账户今日付款屡次失败", "payments_failed"),
        ("zh-CN", "账户锁住了登不上", "locked"),
        ("en-US", "I cannot to enter in my wallet", "login"),
        ("en-US", "I lost the key of my account", "passwords"),
    ],
)
def test_the_wallets_own_bill_login_and_formal_or_learners_asking_still_reach_it(
    flow, lang, said, node
):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


# Round 19. Another service named as the subject of the problem (another wallet, a game's
# currency, wages, a school's or a supplier's site, a shop's order, a bank's account or
# staff, a card scheme's statement, another site's login, shares, a door's lock): theirs,
# re-prompted, whatever the wallet's words beside it.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "微信支付扫码老是失败"),
        ("zh-CN", "支付宝提现三天了还没到"),
        ("zh-CN", "原神的游戏币充了没到"),
        ("zh-CN", "上个月的工资到现在还没发到"),
        ("zh-CN", "医院的缴费系统付不了钱"),
        ("zh-CN", "淘宝的订单一直付款失败"),
        ("zh-CN", "工行转账限额太低了"),
        ("zh-CN", "股票账户安全吗"),
        ("zh-CN", "指纹锁密码忘了"),
        ("en-US", "Zelle says my transfer failed"),
        ("en-US", "my PayPal account got locked"),
        ("en-US", "my salary still hasn't come in"),
        ("en-US", "the electricity company's app rejected my card"),
        ("en-US", "my Chase savings account is frozen"),
        ("en-US", "can I talk to someone at Citibank"),
        ("en-US", "my Mastercard statement has a wrong charge"),
        ("en-US", "I can't sign in to my Yahoo"),
        ("en-US", "is the stock market safe right now"),
        ("en-US", "I'm locked out of my house"),
    ],
)
def test_another_service_named_as_the_subject_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...but beside this wallet marked as the one with the problem (钱包里, 你们, "your wallet",
# "with the wallet"), the other brand is only where the money went, the contrast or the
# channel, and the wallet's problem is answered.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "钱包里的钱被人转到微信支付去了", "stolen"),
        ("zh-CN", "你们钱包的密码我跟支付宝的弄混了忘了", "passwords"),
        ("en-US", "somebody moved money out of my wallet into a PayPal account", "stolen"),
        ("en-US", "I mixed my wallet password up with my Zelle one and forgot it", "passwords"),
        ("en-US", "I paid my gas bill with the wallet, it did not go through", "payments_failed"),
    ],
)
def test_another_brand_beside_this_wallets_problem_reaches_it(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


# A threat to take the wallet to the media or a regulator is a complaint; a person declined
# before the point without a comma asks about the point; a chat by typing is a channel;
# someone who said they were the wallet's support claims to be it.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "再不处理我就去找媒体曝光", "feedback"),
        ("en-US", "I'm going to report you to the regulator", "feedback"),
        ("en-US", "fix this or I'm going to the press", "feedback"),
        ("zh-CN", "不要转人工就是收不到验证码", "login"),
        ("zh-CN", "有没有可以文字聊的地方", "channels"),
        ("en-US", "a man phoned saying he was from the wallet and asked for my password", "safety"),
    ],
)
def test_a_threat_a_declined_person_a_typed_chat_and_a_claimed_caller(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


def test_a_complaint_about_someone_elses_staff_is_re_prompted(flow):
    reached, outcome = _said(flow, "zh-CN", "我要投诉外卖员服务态度差")
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# Round 20. Money taken out of this wallet to a bank card (从钱包往银行卡取了钱) is a
# withdrawal, not the courier's "还没收到" of the off-topic examples.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我前天从钱包往银行卡取了钱，卡里到现在还没收到", "funds_not_arrived"),
        ("zh-CN", "钱包里的钱取了钱到卡上一直没看到", "funds_not_arrived"),
        ("en-US", "I took money from the wallet to my bank and it never came", "funds_not_arrived"),
        # what is typed to pay is the payment password, however it is named
        ("zh-CN", "不是登录的，是付款时要输的那个我忘了", "passwords"),
        ("en-US", "not the login one, the number I enter when I pay, I forgot it", "passwords"),
        # words split or misheard by the recogniser
        ("en-US", "my wallet got hat yesterday", "stolen"),
        ("en-US", "my mum got scanned and lost her savings", "stolen"),
        ("en-US", "I need to check my eye dentity", "register"),
        ("en-US", "how do I find the help sent her", "channels"),
        ("en-US", "it's about the long in page", "login"),
        # a menu named as such by two of its topics stays the menu
        ("en-US", "login codes and passwords", "login_codes"),
        # a problem said after a code's digits still counts; phishing still is phishing
        ("zh-CN", "验证码是1234可是输进去说错误", "login"),
        ("en-US", "I clicked a link in a fishing email", "safety"),
    ],
)
def test_the_wallets_own_requests_of_round_20_reach_their_node(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome


# Another organisation's line or staff, a school's or a company's system, a work email, a
# code read out with nothing asked, a bill paid to its supplier, fishing as a pastime, a
# hotel booked and a historical title: nothing of the wallet's, re-prompted.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "公安局的电话多少"),
        ("zh-CN", "帮我找一下工商银行的客服"),
        ("zh-CN", "公司的报销系统登不上去"),
        ("zh-CN", "短信验证码是八八六六"),
        ("zh-CN", "帮我订一间房"),
        ("zh-CN", "知府是个多大的官"),
        ("en-US", "I can't sign in to my school email"),
        ("en-US", "the code is one two three four"),
        ("en-US", "I paid the water bill to the water company"),
        ("en-US", "we're going fishing on Sunday"),
    ],
)
def test_other_organisations_and_no_request_of_round_20_are_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# Round 21: a situation described instead of named. Six digits that come by text are the
# code, not the payment password; money taken onto the card is a withdrawal and over the
# limit its limit; asking in the app or online, or what to have ready before calling, is
# the channels answer; one of the company's people to talk to is a person; the app's help
# section (or "health centre") is the help centre; data sold is privacy; the platform an
# impersonator was met on is no channel asked about.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "短信上的六位数一直等不到", "login"),
        ("zh-CN", "把钱包的钱弄进银行卡里怎么一直没到", "funds_not_arrived"),
        ("zh-CN", "钱包的钱转不出来它说超额度了", "funds_not_arrived"),
        ("zh-CN", "能不能在网上跟你们的人聊", "channels"),
        ("zh-CN", "能不能在app上直接跟客服聊", "channels"),
        ("zh-CN", "打给你们客服之前要准备些什么", "channels"),
        ("en-US", "what details do I need before I call you", "channels"),
        ("zh-CN", "我想跟你们的人当面谈谈", "agent_dial"),
        ("en-US", "I need to speak to your people", "agent_dial"),
        ("en-US", "is there someone I can speak to directly", "agent_dial"),
        ("en-US", "where is the help section", "channels"),
        ("en-US", "is there a health center in the app", "channels"),
        ("en-US", "can I find a help sender in the app", "channels"),
        ("zh-CN", "你们是不是把我的资料卖了", "safety"),
        ("zh-CN", "朋友圈里有人冒充你们的客服", "safety"),
    ],
)
def test_a_situation_described_of_round_21_reaches_its_node(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome  # (straight there: not asked between two)


# ...while a card's own limit (信用卡超额度) and a partnership with the company's people are
# nothing of the wallet's: re-prompted.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "信用卡超额度了怎么办"),
        ("zh-CN", "花呗超额度了"),
        ("zh-CN", "我想跟你们的人合作"),
    ],
)
def test_a_cards_limit_and_a_partnership_of_round_21_are_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# Round 22: the menu's words said of something else. A named thing that is not the
# wallet's (a suitcase's or a garage's code, a door or a car locked, a slope a bike cannot
# climb, a typhoon's landfall, artificial intelligence, a live-action film, a mayor's line,
# a down payment, a leather wallet, human resources, a secret agent, a school, pipes
# frozen) takes the word away: re-prompted.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我家保险箱的密码想不起来了"),
        ("zh-CN", "车库那个密码我忘了"),
        ("zh-CN", "台风今晚在哪里登陆"),
        ("zh-CN", "骑自行车上坡老是登不上去"),
        ("zh-CN", "人工智能以后会怎么样"),
        ("zh-CN", "这部电影有没有真人版"),
        ("zh-CN", "我想给市长热线提个建议"),
        ("zh-CN", "首付可以分几期付吗"),
        ("en-US", "I forgot the code to my luggage"),
        ("en-US", "the front door is locked and I can't get in"),
        ("en-US", "how do I unlock the car"),
        ("en-US", "our pipes froze last night"),
        ("en-US", "what does human resources do"),
        ("en-US", "someone took my leather wallet at the station"),
        ("en-US", "how do I enrol my daughter in school"),
        ("en-US", "is the tooth fairy a real person or a machine"),
    ],
)
def test_the_menus_words_said_of_something_else_are_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...while the wallet named, or a place or person paid, keeps them: a restaurant or a gym
# paid, a fridge in instalments, staff complimented, a real person asked for, money taken
# from the wallet; and "life chat" is the live chat.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "在饭店用钱包付款一直失败", "payments_failed"),
        ("zh-CN", "给餐厅老板扫码付款没成功", "payments_failed"),
        ("zh-CN", "我钱包里的钱被人转走了", "stolen"),
        ("zh-CN", "不要机器人我要真人", "agent_dial"),
        ("en-US", "my gym membership payment keeps failing", "payments_failed"),
        ("en-US", "my payment at the restaurant keeps failing", "payments_failed"),
        ("en-US", "I'd like to compliment the man who helped me", "feedback"),
        ("en-US", "can I do a life chat with your team", "channels"),
        ("zh-CN", "打车付给司机的时候付款失败了", "payments_failed"),
        ("en-US", "do I need my passport to verify my identity", "register"),
    ],
)
def test_the_wallet_named_or_a_place_paid_keeps_its_node_in_round_22(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Round 23: a negation said alone is no request ("不是" alone reached the stolen answer, as
# "不是我干的" does), nor is "no", "nope" or "not that".
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "不是"),
        ("zh-CN", "不是的"),
        ("zh-CN", "不是这个"),
        ("zh-CN", "不对"),
        ("en-US", "no"),
        ("en-US", "nope"),
        ("en-US", "not that"),
        ("en-US", "no that's wrong"),
    ],
)
def test_a_negation_said_alone_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...nor everyday money with no company named (cash lost, an allowance for parents, taxes,
# investing, a banknote, a dinner bill shared), nor words about the call itself (the line's
# quality, someone else talked to).
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我在路上丢了两百块现金"),
        ("zh-CN", "每个月给爸妈多少生活费合适"),
        ("zh-CN", "今年的个税要交多少"),
        ("en-US", "how much tax do I owe this year"),
        ("en-US", "should I put my money in index funds"),
        ("en-US", "I found a twenty dollar bill on the sidewalk"),
        ("en-US", "how do we split the dinner bill between four friends"),
        ("en-US", "the line is really bad"),
        ("en-US", "sorry, I was talking to someone else"),
    ],
)
def test_everyday_money_and_the_call_itself_are_re_prompted_in_round_23(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...while the wallet's own bills, a purchase split, a withdrawal's amount, "it wasn't me"
# and a person asked for keep their node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的账单在哪看", "bills"),
        ("zh-CN", "钱包提现金额一直不到账", "funds_not_arrived"),
        ("zh-CN", "有几笔消费根本不是我买的", "stolen"),
        ("en-US", "how do I pay my bills with the wallet", "bills"),
        ("en-US", "can I split a purchase into instalments", "bills"),
        ("en-US", "I want a person", "agent_dial"),
    ],
)
def test_the_wallets_own_requests_keep_their_node_in_round_23(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Round 24: another named service's own account, login or code is theirs to answer: a
# streaming membership that will not sign in, a game platform's code, a computer's Windows
# sign-in, an Apple ID, a social account someone hacked.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "优酷会员登录不上去"),
        ("zh-CN", "steam的验证码收不到"),
        ("zh-CN", "登不上网易云了"),
        ("en-US", "hulu won't let me sign in"),
        ("en-US", "where is my xbox verification code"),
        ("en-US", "I can't log in to windows on my computer"),
        ("en-US", "my phone keeps asking for my apple id"),
        ("en-US", "somebody hacked my facebook last night"),
    ],
)
def test_another_named_services_login_or_code_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...nor a device's or a cloud's own trouble: storage full, a named provider's mailbox, a
# Bluetooth pairing, a laptop's start-up PIN, locked out of a tablet.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "手机存储空间不够了怎么办"),
        ("zh-CN", "QQ邮箱收不到别人的邮件"),
        ("zh-CN", "蓝牙耳机连不上"),
        ("zh-CN", "笔记本开机密码忘了"),
        ("en-US", "my cloud storage is almost full"),
        ("en-US", "my headphones won't pair"),
        ("en-US", "I got locked out of my laptop"),
    ],
)
def test_a_devices_or_a_clouds_own_trouble_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...nor another organisation's service, in the menu's words: a parcel locker's pickup
# code, a game of mahjong or cards paid up, a home's repairs and who manages it, a park,
# a hospital's or a sign-up's registration, a pharmacy, a carrier that overcharged, a power
# cut with its supplier named, a job opening.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "丰巢的取件码过期了"),
        ("zh-CN", "打麻将输了要给钱"),
        ("zh-CN", "房东不给修马桶"),
        ("zh-CN", "去医院看病要先建档吗"),
        ("zh-CN", "兴趣班报名在哪里注册"),
        ("zh-CN", "联通又多扣了我的话费"),
        ("zh-CN", "电费早交了还停电供电局也不管"),
        ("zh-CN", "你们客服岗位还缺人吗"),
        ("en-US", "my parcel locker code never came"),
        ("en-US", "we lost a lot of money at poker"),
        ("en-US", "the toilet is leaking and my landlord won't answer"),
        ("en-US", "I have an idea for the park downtown"),
        ("en-US", "can the pharmacy refill my prescription"),
        ("en-US", "my phone company overcharged me"),
        ("en-US", "any job openings on your support team"),
    ],
)
def test_another_organisations_service_is_re_prompted_in_round_24(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...nor a caller who lost the thread, nothing forgotten named.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "叫什么来着我忘了"),
        ("zh-CN", "呃我一时想不起来"),
        ("zh-CN", "那个啥来着记不起来了"),
        ("en-US", "um what was it I forgot"),
        ("en-US", "sorry I can't remember"),
    ],
)
def test_the_thread_lost_is_re_prompted(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...while the wallet's own keep their node: its password forgotten, a payment at a hospital
# with it, its mailbox, its storage named beside the wallet, a key to press to top up.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "登录密码我一下子想不起来了", "passwords"),
        ("zh-CN", "在医院扫码付款失败了", "payments_failed"),
        ("zh-CN", "你们的邮箱是多少", "channels"),
        ("en-US", "I forgot my password", "passwords"),
        ("en-US", "how do I add money to my wallet what do I press", "bills"),
        ("en-US", "my windows laptop shows my wallet top up never arrived", "funds_not_arrived"),
    ],
)
def test_the_wallets_own_requests_keep_their_node_in_round_24(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Round 24: what a caller describes without the app's words reaches its answer: the text's
# digits are the code, a lock on the screen is the account locked, a circle turning at the
# till is a payment failing, used in secret is stolen, a link asked whether real is safety,
# typing instead of speaking is the chat, "it block me" is locked, "I am sure" is no doubt.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "短信上那串数字输进去说不对", "login"),
        ("zh-CN", "打开钱包弹出来一把小锁", "locked"),
        ("zh-CN", "扫码付款圈圈一直在转", "payments_failed"),
        ("zh-CN", "我的账户被人偷用了", "stolen"),
        ("zh-CN", "收到个链接说领奖是真的假的", "safety"),
        ("en-US", "a little lock icon shows and I cannot go on", "locked"),
        ("en-US", "I typed it wrong many times and it block me", "locked"),
        ("en-US", "can I type my problem to you", "channels"),
        ("en-US", "I am sure the password is right but it not let me in", "login"),
    ],
)
def test_what_is_described_in_the_callers_words_reaches_its_answer(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# ...and an area of the menu said as such is the menu, not one node under it; a slip
# ("with the roll", "very fication") is the word it sounds like.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我想问被盗被锁那一块的事儿", "security"),
        ("zh-CN", "问一下登录密码这一大类的", "login_codes"),
        ("en-US", "the part about a stolen or locked account", "security"),
        ("en-US", "the codes and passwords section please", "login_codes"),
        ("en-US", "my with the roll has not come to the bank", "funds_not_arrived"),
        ("en-US", "set up two step very fication", "safety"),
    ],
)
def test_an_area_named_or_a_slip_reaches_its_node_in_round_24(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


# Round 25: the menu's words in another sense are another thing's: safety on the road or
# of food, an agent of another trade, someone named Bill, a course or a race withdrawn
# from, withdrawal symptoms, another lender's instalments.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "食品安全出了问题找谁"),
        ("zh-CN", "租房中介靠不靠谱"),
        ("zh-CN", "我想退课"),
        ("en-US", "road safety tips for kids"),
        ("en-US", "I need a real estate agent"),
        ("en-US", "what is bill clinton doing now"),
        ("en-US", "can I withdraw from the race"),
        ("en-US", "withdrawal symptoms from coffee"),
        ("en-US", "klarna payment plan"),
    ],
)
def test_the_menus_words_in_another_sense_are_re_prompted_in_round_25(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("main",) and outcome.endswith("-> invalid"), outcome


# ...and a phone's or a meter's top-up named as the service is the carrier's or the
# supplier's; asked how with the wallet, it is the how-to still.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "充值电费", None),
        ("en-US", "mobile top up please", None),
        ("zh-CN", "电费充值怎么操作", "bills"),
        ("en-US", "how do I top up my wallet", "bills"),
    ],
)
def test_a_phone_or_meter_top_up_is_the_carriers_unless_asked_how(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    if node is None:
        assert reached == ("main",) and outcome.endswith("-> invalid"), outcome
    else:
        assert reached == (node,), outcome


# Round 25 (review, B1): a transfer, a top-up or a withdrawal that the person it was for did
# not get has not arrived, however near the friend named makes it to the how-to.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "我给朋友转账了他没收到"),
        ("zh-CN", "给我妈打了钱她说没收到"),
        ("en-US", "I sent money to my friend but he didn't get it"),
        ("en-US", "I topped up for my son but he did not get it"),
    ],
)
def test_money_sent_that_the_person_did_not_get_has_not_arrived(flow, lang, said):
    reached, outcome = _said(flow, lang, said)
    assert reached == ("funds_not_arrived",), outcome


# Round 25 (review, B2): changing the bound phone number is not served, in either language;
# a number changed already with the code not coming, or changed by someone else, keeps its
# answer.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我想修改手机号", None),
        ("zh-CN", "能不能帮我改个手机号", None),
        ("en-US", "I want to change my phone number", None),
        ("en-US", "how do I update my mobile number", None),
        ("zh-CN", "我换了手机号验证码收不到", "login"),
        ("en-US", "someone changed my phone number", "stolen"),
    ],
)
def test_a_new_phone_number_is_re_prompted_in_round_25(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    if node is None:
        assert reached == ("main",) and outcome.endswith("-> invalid"), outcome
    else:
        assert reached == (node,), outcome


# Round 25: a character read two ways is heard by either (虫 for 重 of 双重, 重 for 充 of 充
# 值); an area named with 问题 alone is the menu; "code" heard as "coat" is the code.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "帮我打开双虫验证", "safety"),
        ("zh-CN", "在哪重值", "bills"),
        ("zh-CN", "付钱问题", "payments"),
        ("zh-CN", "交易的问题", "payments"),
        ("en-US", "the login coat did not come", "login"),
    ],
)
def test_a_second_reading_an_area_and_a_slip_reach_their_node_in_round_25(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert reached == (node,), outcome


def _reached_or_re_prompted(flow, lang, said, node):
    """`said` reaches `node`, or is re-prompted where `node` is None."""
    reached, outcome = _said(flow, lang, said)
    if node is None:
        assert reached == ("main",) and outcome.endswith("-> invalid"), outcome
    else:
        assert reached == (node,), outcome


# Round 26: a car, a business, a marriage or a wedding list registered is not a wallet
# account opened; registering with the wallet keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我想去车管所给新车上牌", None),
        ("zh-CN", "结婚登记要带什么材料", None),
        ("en-US", "how do I register my truck", None),
        ("en-US", "we set up a baby registry last month", None),
        ("zh-CN", "我要注册账户", "register"),
        ("zh-CN", "怎么注册钱包", "register"),
        ("en-US", "I want to register an account", "register"),
    ],
)
def test_a_car_or_a_wedding_registered_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...a meal's or a restaurant's bill is the caller's to settle there, not the wallet's
# statement; the wallet's bill, or a meal paid with it that failed, keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "那顿饭花了六百多", None),
        ("zh-CN", "吃饭的账单太贵了", None),
        ("en-US", "the dinner tab was way too high", None),
        ("en-US", "the bills at the thai place are crazy", None),
        ("en-US", "my bill is wrong", "bills"),
        ("zh-CN", "查一下我的账单", "bills"),
        ("zh-CN", "付饭钱的时候付款失败了", "payments_failed"),
    ],
)
def test_a_meals_bill_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...someone's job as 客服 or in customer service asks for no one; a person asked for, or
# our service complained of, keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我表妹在一家酒店当客服", None),
        ("zh-CN", "他以前干过电话客服", None),
        ("en-US", "my wife works in customer service at a hotel", None),
        ("en-US", "my cousin has a job in a call center", None),
        ("zh-CN", "转人工客服", "agent_dial"),
        ("en-US", "I want customer service", "agent_dial"),
        ("zh-CN", "你们做客服的态度太差了", "feedback"),
    ],
)
def test_a_job_as_customer_service_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...feedback from a teacher, a doctor, a coach or a boss is not feedback to this company;
# feedback given to it keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "班主任给孩子的反馈不太好", None),
        ("zh-CN", "医生反馈说检查没问题", None),
        ("en-US", "my coach gave me feedback on my swing", None),
        ("en-US", "the feedback from my professor was harsh", None),
        ("zh-CN", "我想提个反馈", "feedback"),
        ("en-US", "I want to leave feedback", "feedback"),
    ],
)
def test_feedback_from_a_teacher_or_a_doctor_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...a diary, or someone else's privacy invaded by the caller, is family life; the wallet's
# privacy keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "偷看老公的日记不好吧", None),
        ("zh-CN", "我是不是侵犯了室友的隐私", None),
        ("en-US", "my teenager writes in a diary every night", None),
        ("en-US", "I think I invaded her privacy", None),
        ("zh-CN", "隐私政策", "safety"),
        ("en-US", "how do you protect my privacy", "safety"),
    ],
)
def test_a_diary_or_someone_elses_privacy_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...a club's, a group chat's or a meeting's password is theirs; the wallet's keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "家长群的密码是多少", None),
        ("zh-CN", "读书会的口令忘了", None),
        ("en-US", "what's the book club password", None),
        ("en-US", "I forgot the zoom meeting passcode", None),
        ("en-US", "I forgot my password", "passwords"),
        ("zh-CN", "我忘了支付密码", "passwords"),
    ],
)
def test_a_clubs_or_a_group_chats_password_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...but told around a request of ours, the caller's life is only the story: the job, the
# teacher, the diary or the club is left out and the request reaches its node (round 26's
# first rules re-prompted "我是做客服的，我的账户被盗了"), as does a meal shared and the
# money sent on for it.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我是做客服的，我的账户被盗了", "stolen"),
        ("zh-CN", "我在商场当客服，想问下提现怎么一直没到账", "funds_not_arrived"),
        ("en-US", "I work in customer service and my payment keeps failing", "payments_failed"),
        ("en-US", "the book club password is fine but my wallet login code never comes", "login"),
        ("zh-CN", "我们聚餐AA制怎么转账给朋友", "bills"),
    ],
)
def test_the_callers_life_told_around_a_request_leaves_the_request_its_node(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ..."I don't know" or "I don't understand" said alone in romanised Mandarin or in French
# asks for nothing; said of the wallet's bill or password in English, it keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "ting bu dong", None),
        ("en-US", "ta bu zhi dao", None),
        ("en-US", "wo zhen de bu zhi dao", None),
        ("en-US", "je ne comprends rien", None),
        ("en-US", "je ne sais pas", None),
        ("en-US", "I don't understand my bill", "bills"),
        ("en-US", "I don't know my password", "passwords"),
    ],
)
def test_i_do_not_know_in_pinyin_or_french_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...the company's postal address or its office's is served by no node; its email address
# is the channels answer still.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "总部的地址在哪", None),
        ("zh-CN", "请问邮寄地址是什么", None),
        ("en-US", "what is your postal address", None),
        ("en-US", "the address of your head office", None),
        ("en-US", "what's your email address", "channels"),
        ("zh-CN", "你们的邮箱地址是多少", "channels"),
    ],
)
def test_a_postal_address_is_re_prompted_in_round_26(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 27 (en-US): a problem told as settled before the question ("it's all fine now", "it
# worked in the end", "then went through", "so I paid cash anyway, ...") is only the story:
# what is asked after it is the request; the story going on ("..., but now it's frozen
# again") keeps its node.
@pytest.mark.parametrize(
    ("said", "node"),
    [
        ("the withdrawal worked in the end, is it going to snow tomorrow", None),
        ("my account was frozen last week but it's all fine now, is this call recorded", None),
        ("my payment failed at the cinema then went through, which movie should we watch", None),
        (
            "my card payment bounced so I paid with cash anyway, where is the nearest post office",
            None,
        ),
        ("the payment got fixed, I just wanted to know what time does the bank close", None),
        ("my account got frozen then it got fixed, but now it's frozen again", "locked"),
    ],
)
def test_a_settled_problem_before_another_question_is_only_the_story(flow, said, node):
    _reached_or_re_prompted(flow, "en-US", said, node)


# ...the wallet said not to be the matter ("nothing to do with the wallet", "not your app")
# leaves the request another's, however near a node its words are.
@pytest.mark.parametrize(
    "said",
    [
        "my router password is wrong, nothing to do with the wallet, how do I change it",
        "I forgot my laptop password, it's nothing to do with your wallet",
    ],
)
def test_the_wallet_said_not_to_be_the_matter_is_re_prompted_in_round_27(flow, said):
    _reached_or_re_prompted(flow, "en-US", said, None)


# ...a hedge on which ("not sure either", "not sure which exactly") says nothing of the
# request, and is no unsure caller of the off-topic examples; a birthday tried as the
# password or a new laptop paid in instalments keeps its node, as do a hacked account asked
# about behind its owner's back, "babe" said to the line, and an information desk that sent
# the caller; a refund offered by someone who claims to be us is the scam's bait, not a
# refund asked for.
@pytest.mark.parametrize(
    ("said", "node"),
    [
        ("I'm not sure either, how do I add money to the wallet", "bills"),
        ("I used my birthday as my payment password and now I can't remember it", "passwords"),
        ("can I pay for a new laptop in monthly instalments", "bills"),
        ("she doesn't know I'm calling but her account was hacked", "stolen"),
        ("babe I forgot my wallet password again", "passwords"),
        (
            "the man at the information desk said to call you about a failed payment",
            "payments_failed",
        ),
        ("happy birthday to you", None),
        ("how do I move my files to a new laptop", None),
    ],
)
def test_a_hedge_a_birthday_or_a_laptop_leaves_the_request_its_node(flow, said, node):
    _reached_or_re_prompted(flow, "en-US", said, node)


def test_a_refund_offered_by_someone_claiming_to_be_us_is_the_scams_bait(flow):
    said = (
        "someone called saying they were from your support and wanted my code to send me a "
        "refund, is that a scam"
    )
    reached, outcome = _said(flow, "en-US", said)
    assert "safety" in reached, outcome


# ...the menu's words said of something else: an exam's code, a school board's site, a
# vending machine, a scammer's jail, a bank's branch, a card issuer's due date, a robot's
# account, a phone's face unlock, a home's shower paid for with the wallet.
@pytest.mark.parametrize(
    "said",
    [
        "I lost the login code for my driving exam booking",
        "the school board's lunch payment website keeps crashing",
        "the vending machine took my money and gave me nothing",
        "can the scammer go to jail for this",
        "which branch should I visit to open a bank account",
        "when is my visa card payment due",
        "can a bot open an account on its own",
        "set up face unlock on my new phone",
        "the shower has no hot water since I paid the gas bill in the wallet",
        "I can't remember the pin for my car's alarm",
        "my apple watch passcode is locked after too many tries",
        "how do I reset the code on my safe at home",
        "the frozen dinners arrived thawed, who do I complain to",
        "someone stole my wallet with all my cards and cash in it",
        "the security code on the back of my card is scratched off",
        "I want to speak to the agent who sold me my house",
        "can you teach my grandma how to use a smartphone",
        "my friend owes me money, how do I get it back",
    ],
)
def test_the_menus_words_of_something_else_are_re_prompted_in_round_27(flow, said):
    _reached_or_re_prompted(flow, "en-US", said, None)


# ...an opinion, a hypothesis or how a thing works inside, a merchant's business with the
# wallet, a channel it has not (the post, a visit), someone else's account behind their
# back, someone in the room spoken to, the company's offices: no node serves them.
@pytest.mark.parametrize(
    "said",
    [
        "in your opinion should I keep my savings in the wallet",
        "how does a qr payment actually work behind the scenes",
        "we run a bakery, can we set up taking payments from your wallet",
        "can you send my statement by post",
        "can I come to your office in person to sign up",
        "look at my dad's payments behind his back",
        "unfreeze my ex girlfriends account",
        "honey did you top up the wallet",
        "hang on sweetie, the agent is asking for my password",
        "I just opened an account, where is your head office",
        "can I come in and talk to someone face to face",
        "I'd like to visit a branch to open an account",
        "do your agents work from home",
        "what if everyone took their money out of the wallet on the same day",
        "my online store wants to add your wallet at checkout",
        "we want to integrate with your payments on our site",
        "no sweetie, mommy needs to talk to the agent first",
        "kids be quiet, mommy is talking to the agent about the payment",
        "can I do a skype call with customer service",
        "can someone do a home visit to help me set the wallet up",
    ],
)
def test_what_no_node_serves_is_re_prompted_in_round_27(flow, said):
    _reached_or_re_prompted(flow, "en-US", said, None)


# Round 27 (zh-CN): requests that use the menu's words for something no answer serves.
# Someone else's account shown or told to the caller is not the caller's; a problem of a
# friend's account, or money sent to one, keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "你把我老婆的消费记录发给我看", None),
        ("zh-CN", "我老公最近跟谁转钱了帮我看看", None),
        ("zh-CN", "我闺蜜的支付密码是多少 你能查到吗", None),
        ("zh-CN", "我想知道我前夫有没有在你们这开户", None),
        ("zh-CN", "我同事的账户被盗了 他让我帮忙问问", "stolen"),
        ("zh-CN", "怎么给同学的账户转账", "bills"),
    ],
)
def test_someone_elses_account_shown_to_the_caller_is_re_prompted(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# ...nor is what is said to someone in the room; a relative's problem told to us keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "老公 你把验证码念一下", None),
        ("zh-CN", "闺女 你帮我看看这个密码对不对", None),
        ("zh-CN", "儿子 别玩了 过来帮我看看这个验证码", None),
        ("zh-CN", "我老婆的账户登不上去了", "login"),
    ],
)
def test_what_is_said_to_someone_in_the_room_is_re_prompted(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# "你们能处理吗" asks whether we serve it, and makes nothing ours.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我家路由器的密码忘了 你们能处理吗", None),
        ("zh-CN", "我的账户被冻结了 你们能处理吗", "locked"),
    ],
)
def test_asking_whether_we_can_do_it_makes_nothing_ours(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# The company itself, a merchant's integration, a question out of curiosity, advice on
# money and a channel the line has not are served by no node; a problem said beside
# curiosity, a shop's failed payment and the online chat keep their nodes.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "你们这个支付平台是哪个集团的", None),
        ("zh-CN", "我们网站想对接你们的支付接口 找谁谈", None),
        ("zh-CN", "我想在我的网站上接入扫码支付 需要什么资质", None),
        ("zh-CN", "你们的支付牌照是哪年拿到的", None),
        ("zh-CN", "给商家付钱一直失败", "payments_failed"),
        ("zh-CN", "我只是好奇你们的验证码怎么生成的", None),
        ("zh-CN", "我就是好奇 你们的密码是怎么加密存储的", None),
        ("zh-CN", "好奇怪 提现怎么还没到账", "funds_not_arrived"),
        ("zh-CN", "用钱包分期买手机划不划算", None),
        ("zh-CN", "哪家银行转账手续费便宜", None),
        ("zh-CN", "可以寄一份纸质账单给我吗", None),
        ("zh-CN", "能不能跟客服视频通话", None),
        ("zh-CN", "有没有在线客服", "channels"),
        ("zh-CN", "你们客服一天要接多少电话", None),
        ("zh-CN", "你们的服务器在国内还是国外", None),
        ("zh-CN", "如果所有人同时提现 你们有那么多钱吗", None),
        ("zh-CN", "你们能给网店提供支付服务吗", None),
        ("zh-CN", "钱放在你们钱包里会不会贬值", None),
        ("zh-CN", "跨境汇款哪个渠道最便宜", None),
        ("zh-CN", "能不能把对账单打印出来寄给我", None),
    ],
)
def test_the_company_merchants_curiosity_advice_and_other_channels_are_re_prompted(
    flow, lang, said, node
):
    _reached_or_re_prompted(flow, lang, said, node)


# A story of ours that ended well, or anything before a question asked by the way, then
# another question: the question is asked; a problem told first, or a question that goes
# on with the story, keeps its node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "提现成功了 我想问一下今天汇率多少", None),
        ("zh-CN", "转账到账了 我想问一下附近有没有银行", None),
        ("zh-CN", "登录好了 我想知道怎么把手机投屏到电视", None),
        ("zh-CN", "我付款成功了 就是想问问那家店的发票怎么开", None),
        ("zh-CN", "我刚注册了账号 顺便问一下明天限行尾号是几", None),
        ("zh-CN", "我用钱包交完话费 顺便想问问手机怎么设置来电铃声", None),
        ("zh-CN", "我提现一直没到账 顺便问一下要多久", "funds_not_arrived"),
        ("zh-CN", "转账成功了 想问一下对方多久能收到", "bills"),
        ("zh-CN", "验证码收到了 我想知道为啥还是登录不了", "login"),
    ],
)
def test_a_story_that_ended_well_leaves_the_question_asked(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Things no answer knows, asked whatever else is said (a phone's face unlock, a floor, an
# area's power cut, a takeaway's complaint); a photo uploaded to verify, a phone card
# reissued, a complaint about us keep their nodes.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "手机怎么开人脸解锁", None),
        ("zh-CN", "服务台在几楼", None),
        ("zh-CN", "用钱包交过电费了 我们小区怎么老是停电", None),
        ("zh-CN", "我要投诉外卖送得太慢", None),
        ("zh-CN", "网上买的衣服质量太差 我要投诉商家", None),
        ("zh-CN", "我用钱包付了房租 房东不给我修热水器怎么办", None),
        ("zh-CN", "我充值的时候看到个广告 那个理财产品靠谱吗", None),
        ("zh-CN", "转账给外国人需要交税吗", None),
        ("zh-CN", "我身份证被人冒用注册了公司怎么办", None),
        ("zh-CN", "密码学是学什么的", None),
        ("zh-CN", "身份证照片传不上去实名认证不了", "register"),
        ("zh-CN", "补办手机卡以后收不到验证码", "login"),
        ("zh-CN", "我要投诉你们客服态度差", "feedback"),
    ],
)
def test_things_no_answer_knows_are_re_prompted_in_round_27(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Who sent the caller to ring, and the cash paid with instead, are the story of a failed
# payment, as is a payment that keeps failing (支付一直失败); cash lost is no payment of ours.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "服务员让我打电话问问 扫码付钱没成功", "payments_failed"),
        ("zh-CN", "超市结账提示交易失败 最后用的现金 为啥付不了", "payments_failed"),
        ("zh-CN", "支付一直失败", "payments_failed"),
        ("zh-CN", "在药店买药 只付一直失败", "payments_failed"),
        ("zh-CN", "我的现金丢了", None),
    ],
)
def test_who_sent_the_caller_and_the_cash_paid_instead_leave_the_failed_payment(
    flow, lang, said, node
):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 28 (en-US): the menu's words in another sense (a psychologist heard as fraud, the
# pavement of a street, a frost, a statement to the police or the press, a law's bill, a
# man called Bill, a film about a scam, a shop's cash register), a shop's own card and
# another company's support staff: re-prompted; our own statement, a failed "pavement" and
# a bank's staff beside our money keep their nodes.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "what would freud make of that", None),
        ("en-US", "the pavement on our street is crumbling", None),
        ("en-US", "i need to cover my plants tonight", None),
        ("en-US", "i have to give a statement to the police about the accident", None),
        ("en-US", "the mayor's press statement was confusing", None),
        ("en-US", "will the senate pass the bill this week", None),
        ("en-US", "bill is moving to florida next month", None),
        ("en-US", "congratulate bill on his promotion for me", None),
        ("en-US", "we saw a documentary about identity theft", None),
        ("en-US", "the cash register drawer is jammed", None),
        ("en-US", "can i add money to my starbucks card", None),
        ("en-US", "i need to call my bank's customer service", None),
        ("en-US", "my pavement failed at the bakery", "payments_failed"),
        ("en-US", "i want my monthly statement", "bills"),
    ],
)
def test_the_menus_words_in_another_sense_are_re_prompted_in_round_28(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 28 (zh-CN): the menu's words and their sound-alikes in their own everyday sense (a
# quality shown, a moon landing, a habit overcome, a puppet, a chartered accountant, a
# company's assets frozen, a door's lock, an identity card reissued), a rider or courier,
# a marketplace's shop or staff, and a hotline asked for once the wallet is said not to be
# the matter: re-prompted. The wallet's own withdrawal and scams keep their nodes.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "这次活动体现了大家的团结精神", None),
        ("zh-CN", "这首诗体现了诗人的思乡之情", None),
        ("zh-CN", "拼多多退款一直不到账", None),
        ("zh-CN", "体现了好几天的钱没到", "funds_not_arrived"),
        ("zh-CN", "阿波罗飞船登陆月球是真的吗", None),
        ("zh-CN", "我该怎么克服焦虑", None),
        ("zh-CN", "提线木偶是怎么操作的", None),
        ("zh-CN", "注册会计师证书怎么考", None),
        ("zh-CN", "听说那家公司资产被冻结了", None),
        ("zh-CN", "外卖骑手电话打不通", None),
        ("zh-CN", "快递员一直联系不上", None),
        ("zh-CN", "淘宝开店怎么注册账号", None),
        ("zh-CN", "美团的客服电话多少", None),
        ("zh-CN", "京东的人工客服怎么联系", None),
        ("zh-CN", "防盗门的锁芯坏了进不去家", None),
        ("zh-CN", "身份证掉了在哪里补啊", None),
        ("zh-CN", "水费是在其他平台交的 不是你们的 燃气公司号码多少", None),
        ("zh-CN", "我体现了五百还没到账", "funds_not_arrived"),
        ("zh-CN", "骑手冒充客服骗我用钱包转账", "safety"),
        ("zh-CN", "别的平台都能提现 你们这提不出来", "funds_not_arrived"),
        ("zh-CN", "钱包付不了 不是你们的系统吗", "payments_failed"),
    ],
)
def test_everyday_senses_and_other_services_are_re_prompted_in_round_28(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 28 (zh-CN): Cantonese and north-eastern callers (俾钱俾唔到, 攞唔到钱, 点样开户口,
# 嘎哈), a why before the wallet's locking (你们凭什么把我账号冻结了), the digits sent to
# the phone (the code), and an app that will not let the caller in (the login).
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "喺超市俾钱俾唔到", "payments_failed"),
        ("zh-CN", "攞唔到钱 提咗现冇到", "funds_not_arrived"),
        ("zh-CN", "点样开户口", "register"),
        ("zh-CN", "你们嘎哈把我账号锁了", "locked"),
        ("zh-CN", "你们凭什么把我账号冻结了", "locked"),
        ("zh-CN", "系统为啥把我号给封了", "locked"),
        ("zh-CN", "发到我手机的那串数字一直收不到", "login"),
        ("zh-CN", "输了密码还是不让我进", "login"),
    ],
)
def test_regional_words_and_plain_descriptions_reach_their_node_in_round_28(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Another service shutting the caller out, and another wallet's own withdrawals and
# transfers: theirs, as their passwords and balances are.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "gmail locked me out", None),
        ("en-US", "instagram locked me out of my account", None),
        ("en-US", "netflix keeps logging me out", None),
        ("en-US", "the wallet locked me out", "locked"),
        ("zh-CN", "微信提现要手续费吗", None),
        ("zh-CN", "支付宝转账多久到", None),
        ("zh-CN", "支付宝充到钱包的钱没到", "funds_not_arrived"),
        ("zh-CN", "钱包提现到银行卡一直没到", "funds_not_arrived"),
    ],
)
def test_another_services_lockout_and_another_wallets_withdrawal_are_theirs(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Another account hacked together with the wallet robbed is the stolen answer's; asking
# "you" to recover another app's account is still theirs.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的微信被盗了 钱包里的钱也被转走了", "stolen"),
        ("zh-CN", "QQ号被盗以后钱包里的钱没了", "stolen"),
        ("en-US", "my facebook got hacked and they took money from my wallet", "stolen"),
        ("zh-CN", "我的QQ被盗了 你们能帮我找回吗", None),
        ("en-US", "my instagram got hacked can you help me get it back", None),
    ],
)
def test_another_account_hacked_with_the_wallet_robbed_is_the_stolen_answer(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): money asked of us as a loan, and offers, points and coupons asked
# about, are served by no node (a cashback not arrived, or points as a text's bait, are
# ours); a transfer to a person that failed is a failed payment, not the how-to.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "能借点钱给我周转一下吗", None),
        ("zh-CN", "这个月你们有什么新活动", None),
        ("zh-CN", "我钱包里攒的积分能干嘛用", None),
        ("zh-CN", "参加返现活动的钱一直没到账", "funds_not_arrived"),
        ("zh-CN", "短信说积分快过期了让我点链接领", "safety"),
        ("zh-CN", "借钱给我表弟 转账失败了", "payments_failed"),
        ("zh-CN", "给我表姐打钱 按了确定就显示失败 余额是够的", "payments_failed"),
        ("zh-CN", "我往我弟那转钱 转了好几次都报错", "payments_failed"),
        ("zh-CN", "怎么给同事转账", "bills"),
    ],
)
def test_loans_and_offers_are_re_prompted_and_a_failed_transfer_failed_in_round_29(
    flow, lang, said, node
):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): English words for what went wrong in a Mandarin sentence (fail,
# suspended, blocked, banned, frozen, link) read as the Mandarin words; a takeover's
# symptoms (a login elsewhere or on another device, a linked email or phone changed by
# someone) are the stolen answer's; a person asked for because the problem is hard to
# put in words, or the phone a bother, keep their node.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "刚才买咖啡pay了两次都fail", "payments_failed"),
        ("zh-CN", "提示我的账户被blocked 付不了钱", "locked"),
        ("zh-CN", "我的账号被ban了", "locked"),
        ("zh-CN", "系统通知我账号在陌生设备上登录了 我根本没登 是被盗号了吧", "stolen"),
        ("zh-CN", "我的号在国外登录过 绑定的手机也被换了 是不是被黑了", "stolen"),
        ("zh-CN", "有人把我绑的邮箱给改了 我啥也没动过", "stolen"),
        ("zh-CN", "收到异地登录提醒 不是我登的", "stolen"),
        ("zh-CN", "我在外地登录不了", "login"),
        ("zh-CN", "能不能叫个客服 这事一两句话说不清楚", "agent_dial"),
        ("zh-CN", "我也说不清楚 给我转人工吧", "agent_dial"),
        ("zh-CN", "我也说不清楚", None),
        ("zh-CN", "在电话上沟通好费事 有没有能打字的", "channels"),
        ("zh-CN", "电话里讲起来太麻烦了 有网上聊的吗", "channels"),
    ],
)
def test_code_switched_words_takeover_symptoms_and_reasons_reach_their_node_in_round_29(
    flow, lang, said, node
):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): hack and scam said in a Mandarin sentence are 被盗 and 被骗, so
# another app's account hacked stays theirs; a device named by its make and its password
# is the device's; a new user's red packet or a friend invited is an offer; a thing done
# to the caller again (又被锁了) is the thing done.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的Instagram被hack了 怎么找回", None),
        ("zh-CN", "我被scam了 转了钱给陌生人", "stolen"),
        ("zh-CN", "笔记本的密码忘了咋办", None),
        ("zh-CN", "你们有没有新用户的红包活动", None),
        ("zh-CN", "新用户的优惠在哪领", None),
        ("zh-CN", "邀请新用户注册有奖励吗", None),
        ("zh-CN", "我的号又被封了", "locked"),
        ("zh-CN", "钱又被扣了 我啥也没买", "stolen"),
    ],
)
def test_hack_in_mandarin_a_devices_password_offers_and_again_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): money moved said in English in a Mandarin sentence (transfer给…) is
# the Mandarin word; rent sent to a landlord (打钱, 汇) is a payment of ours, and money
# sent to a person that will not go (转不过去) a failed payment.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "transfer给我爸的钱他一直没收到", "funds_not_arrived"),
        ("zh-CN", "给房东打钱 按了确定就显示失败", "payments_failed"),
        ("zh-CN", "交房租转给房东 一直转不过去", "payments_failed"),
    ],
)
def test_money_moved_in_english_and_rent_to_a_landlord_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): suddenly (突然) or for ages (半天) says nothing of what happened, nor
# the button of what was pressed (点了付款按钮没反应).
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "点了付款按钮半天没反应", "payments_failed"),
        ("zh-CN", "账户突然用不了了", "locked"),
    ],
)
def test_suddenly_for_ages_and_a_button_say_nothing_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): another app's wallet (抖音钱包, 京东钱包, a steam wallet), its balance,
# withdrawal or password, is theirs, as 美团钱包's is.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "抖音钱包的钱怎么提现", None),
        ("zh-CN", "京东钱包的密码忘了", None),
        ("zh-CN", "steam钱包余额怎么用", None),
    ],
)
def test_another_apps_wallet_is_theirs_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): the account's own things said in English in a Mandarin sentence
# (account, password, balance, freeze) are the Mandarin words; a balance short by an
# amount is money gone (the stolen answer's).
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "那个account被freeze了 什么时候能解", "locked"),
        ("zh-CN", "balance少了两百块", "stolen"),
        ("zh-CN", "余额少了八十块", "stolen"),
    ],
)
def test_the_accounts_things_in_english_and_a_balance_short_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): ...but a brand's account named in English before it ("instagram
# account") stays the brand's, and WeChat, TikTok, Uber or Amazon named in Latin
# letters in a Mandarin sentence are other services, as 微信 is.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的instagram account被hack了", None),
        ("zh-CN", "tiktok账号被封了怎么办", None),
    ],
)
def test_a_brands_account_in_english_stays_theirs_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): a bank's things said in English in a Mandarin sentence (credit card,
# bank) are the Mandarin words, so they stay the bank's; Uber, Amazon and the like named in
# Latin letters are other services; an English sentence with one Chinese word in it stays
# English.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我的credit card账单怎么还", None),
        ("zh-CN", "bank的app登不上去", None),
        ("zh-CN", "我的uber账号被盗了", None),
        ("zh-CN", "amazon账号登不进去", None),
        ("en-US", "my topup went through but my 余额 is the same", "funds_not_arrived"),
    ],
)
def test_a_banks_things_in_english_and_other_brands_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): someone to chat with for company is small talk, not a person asked for;
# an identity card or a passport lost is the state's to reissue (unless a thing of ours is
# said with it).
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "最近好孤单 想找个人聊天", None),
        ("zh-CN", "身份证掉了怎么办", None),
        ("zh-CN", "身份证过期了 实名认证通不过", "register"),
    ],
)
def test_company_wanted_and_an_identity_card_lost_are_re_prompted_in_round_29(
    flow, lang, said, node
):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): a stranger asking for a password, a code or a card number, a prize
# that wants a fee first, a QR code that pays out: the scams the safety answer warns of.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "网上有个人说能帮我刷信用 要我的支付密码", "safety"),
        ("zh-CN", "对方让我报一下验证码", "safety"),
        ("zh-CN", "有个陌生号码打过来 说我中奖了 要我先交手续费", "safety"),
        ("zh-CN", "群里有人发了个二维码 说扫了能领钱", "safety"),
        ("zh-CN", "我忘了支付密码", "passwords"),
    ],
)
def test_a_stranger_asking_for_a_code_or_a_fee_is_the_safety_answer_in_round_29(
    flow, lang, said, node
):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): a bank's own transfer abroad is the bank's, as its transfer limit is;
# from the wallet it is ours.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "银行转账到国外一般要几天", None),
        ("zh-CN", "建设银行跨境汇款手续费多少", None),
        ("zh-CN", "从钱包转账到国外的银行卡要多久", "bills"),
    ],
)
def test_a_banks_transfer_abroad_is_the_banks_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): 给 in the passive says nothing (被人给登了 is 被人登了); the wallet app
# that will not open or crashes on opening is the login's (进不去app).
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "我那个号被人给登了", "stolen"),
        ("zh-CN", "钱包打开就闪退", "login"),
        ("zh-CN", "手机上那个钱包打不开了", "login"),
        # (a scan that will not go through is a payment that will not: 扫不出来)
        ("zh-CN", "买菜扫码扫不出来", "payments_failed"),
    ],
)
def test_a_passive_with_gei_and_the_app_that_will_not_open_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (zh-CN): a gas or water card is its supplier's to top up, as a fuel card is.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "天然气卡充不进去", None),
        ("zh-CN", "燃气卡怎么充值", None),
    ],
)
def test_a_gas_card_is_its_suppliers_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (en-US): a caller who thinks they rang another company's department ("is this
# the Chase fraud team"), and a rewards scheme (a referral bonus, points, cashback, a
# coupon): theirs, or nothing any node serves; a reward as a text's bait stays the safety
# answer's.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "hello is this the wells fargo fraud team", None),
        ("en-US", "hi, is this hsbc's billing department", None),
        ("en-US", "is this the chase security department", None),
        ("en-US", "my friend signed up with my referral code and i never got the bonus", None),
        ("en-US", "i still haven't received the cashback in my account", None),
        ("en-US", "a text says i won a reward and to tap the link", "safety"),
    ],
)
def test_another_companys_department_and_rewards_schemes_are_re_prompted(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (en-US): the wallet's Mandarin words said in pinyin run together (tixian,
# yanzhengma, mima, shiming renzheng), read as the words the phrases use.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "my tixian has been pending since monday", "funds_not_arrived"),
        ("en-US", "i never receive the yanzhengma when i log in", "login"),
        ("en-US", "i forgot my mima", "passwords"),
        ("en-US", "how do i finish shiming renzheng", "register"),
    ],
)
def test_pinyin_run_together_is_read_as_the_wallet_words(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (en-US): someone posing as the wallet who has had the money already is how the
# theft went (the stolen answer's), not a question whether a caller is real; a doubt
# whether a number is really yours is the safety answer's; online support, "on line" as a
# recogniser splits it, is the chat; a transfer to a friend that failed is a failed
# payment.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "a man posing as your staff got me to pay him three hundred", "stolen"),
        ("en-US", "someone claiming to be support made me transfer my savings", "stolen"),
        ("en-US", "i'm not sure this number is legit, someone sent it to me", "safety"),
        ("en-US", "do you have on line support", "channels"),
        ("en-US", "can i get online help somewhere", "channels"),
        ("en-US", "my transfer to my brother failed", "payments_failed"),
        ("en-US", "i sent money to my cousin and it says failed", "payments_failed"),
    ],
)
def test_a_theft_by_an_impersonator_a_doubted_number_and_online_support(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 29 (en-US): "none of them worked" is the things tried, not "none of the options";
# the number the account was opened with only says which; a person declined before a
# comma and the point, and the agent talked to, however put, are the complaint's; an area
# named as a kind of problem, or what a request opens as being about, is the menu.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        (
            "en-US",
            "i tried every password i know and none of them worked, now my account is locked",
            "locked",
        ),
        (
            "en-US",
            "i don't have the phone number i registered with anymore, how do i log in",
            "login",
        ),
        (
            "en-US",
            "don't connect me to anyone, i just want to say your staff member was rude",
            "feedback",
        ),
        ("en-US", "the woman i chatted with was so unhelpful", "feedback"),
        ("en-US", "a sign in and codes kind of issue", "login_codes"),
        ("en-US", "it's all about payments and withdrawals coming through", "payments"),
    ],
)
def test_things_tried_a_declined_person_and_an_area_named_in_round_29(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 30: a balance only asked for ("what's in my wallet") is read in the app, no node
# answers it: re-prompted; a problem of the balance said with it keeps its node (dropped
# without the caller's doing, a top-up not in it, not enough to pay).
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "能帮我看看钱包里还有多少钱吗", None),
        ("zh-CN", "余额现在是多少", None),
        ("zh-CN", "帮我查一下钱包里的余额", None),
        # (already re-prompted by the flow before, below its threshold; now by the rule)
        ("en-US", "can you tell me my current balance", None),
        ("en-US", "how much cash is in my account right now", None),
        ("zh-CN", "余额莫名其妙少了三百，我什么都没买", "stolen"),
        ("zh-CN", "充了钱余额还是没变", "funds_not_arrived"),
        ("en-US", "my balance went down and i didn't buy anything", "stolen"),
        ("en-US", "what's my balance, i topped up and it didn't show", "funds_not_arrived"),
    ],
)
def test_a_balance_only_asked_for_is_re_prompted(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 30: every option declined in a word ("都不是", "这些都不对", "neither") asks for
# nothing: re-prompted (as in answer to "did you mean A or B?"); the list of options named
# ("没有我要的选项", "none of those options") is the other services' menu, as "none of the
# above" is; a topic said with it is heard, and "都不是我本人操作的" names its payments.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "里面没有我想要的选项", "more"),
        ("zh-CN", "没有我需要的那个选项啊", "more"),
        ("zh-CN", "那几个都不是我想问的", "more"),
        # (already re-prompted by the flow before, below its threshold; now as an answer)
        ("zh-CN", "全都不是", None),
        ("zh-CN", "那些都不对", None),
        ("en-US", "neither of them", None),
        ("zh-CN", "都不是，我的提现还没到", "funds_not_arrived"),
        ("zh-CN", "这些扣款都不是我本人操作的", "stolen"),
    ],
)
def test_every_option_declined_and_none_of_the_list(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 30: someone real, an actual human, is a person asked for (agent), not the safety
# answer's "someone pretending to be you".
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "get me somebody real", "agent_dial"),
        ("en-US", "is there anybody real i can talk to", "agent_dial"),
        ("en-US", "can i have someone real on the line", "agent_dial"),
    ],
)
def test_someone_real_is_a_person_asked_for(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 30: a top-up or a withdrawal made and then "nothing" (happened, showed up) has not
# arrived.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("en-US", "i topped up this morning and nothing happened", "funds_not_arrived"),
        ("en-US", "i topped up with fifty dollars and nothing", "funds_not_arrived"),
        ("en-US", "i put money in last night and still nothing", "funds_not_arrived"),
        ("en-US", "i deposited yesterday but nothing happened", "funds_not_arrived"),
    ],
)
def test_a_top_up_then_nothing_has_not_arrived(flow, lang, said, node):
    _reached_or_re_prompted(flow, lang, said, node)


# Round 33: money taken twice for one thing (钱被扣了两次, 扣了两次款, 同一笔付了两遍, 重复扣款,
# "charged twice", "double charged") is a double charge no node serves (no seed covers
# it): the choices again, not the stolen answer, which tells the caller to freeze the
# account. Money taken again with nothing bought (又被扣了) is still an unknown charge.
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "钱被扣了两次"),
        ("zh-CN", "我的钱被扣了两次"),
        ("zh-CN", "扣了两次款"),
        ("zh-CN", "同一笔付了两遍"),
        ("zh-CN", "刚才买东西 钱包重复扣款了"),
        ("zh-CN", "一顿饭给我扣了两笔钱"),
        ("en-US", "I was charged twice"),
        ("en-US", "double charged"),
        ("en-US", "the same coffee got charged to my wallet two times"),
    ],
)
def test_a_double_charge_is_re_prompted_not_the_stolen_answer(flow, lang, said):
    _reached_or_re_prompted(flow, lang, said, None)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "钱又被扣了 我啥也没买"),
        ("zh-CN", "又扣了我一笔钱 我根本没买东西"),
        ("en-US", "money got taken out again and I didn't buy anything"),
    ],
)
def test_money_taken_again_with_nothing_bought_is_the_stolen_answer(flow, lang, said):
    _reached_or_re_prompted(flow, lang, said, "stolen")


# ...and twice said of a try (付了两次都没成功, 充了两次值, "topped up twice", "rejected
# twice") is how often the caller tried: the try's node, or a choice with it.
@pytest.mark.parametrize(
    ("lang", "said", "node"),
    [
        ("zh-CN", "付了两次都没付成功", "payments_failed"),
        ("zh-CN", "充了两次值 银行卡都扣了 钱包里没有", "funds_not_arrived"),
        ("en-US", "I topped up twice and neither one has shown up", "funds_not_arrived"),
        ("en-US", "I tried to withdraw twice and it never reached my bank", "funds_not_arrived"),
        ("en-US", "my payment got declined twice at the till", "payments_failed"),
    ],
)
def test_twice_said_of_a_try_keeps_the_tries_node(flow, lang, said, node):
    reached, outcome = _said(flow, lang, said)
    assert node in reached, outcome
