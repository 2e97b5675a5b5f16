"""Callback requests and recordings: numbers that can be called, the keys that work at
any time, nothing a caller asked for lost, and one more try for an empty recording."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from ivr.call import twiml
from ivr.call.flow import ANY_WINDOW, Flow, Recording
from ivr.call.state import CallState
from ivr.menu.loading import load_menus
from ivr.menu.numbers import as_dialled, callable_number, said_digits
from tests.conftest import CLOSED_TIME, ENV, HOTLINE, OPEN_TIME

CALLER = "+8613800138000"


@pytest.fixture(scope="module")
def flow():
    return Flow(load_menus(HOTLINE, ENV))


def _doc(answer) -> ET.Element:
    return ET.fromstring(twiml.render(answer.verbs))


def _text(root: ET.Element) -> str:
    return "".join(say.text or "" for say in root.iter("Say"))


def _callback(flow, caller=CALLER, lang="zh-CN"):
    state = CallState(node="callback", lang=lang, step=3, back=("main", "after_hours"))
    return flow.callback(state, CLOSED_TIME, caller)


def _then(flow, answer, digits, caller=CALLER):
    state = answer.verbs[-1].to.state  # the Redirect after the Gather carries the state
    return flow.callback(state, CLOSED_TIME, caller, digits)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13912345678", "+8613912345678"),
        ("02088889999", "+862088889999"),
        ("01012345678", "+861012345678"),
        ("12345", None),
        ("11111111111", None),
        ("1391234567", None),
        ("0014155550100", None),  # another country: not for this hotline
        ("+266696687", None),  # Twilio's ANONYMOUS
        ("+7378742833", None),  # RESTRICTED
        ("+86282452253", None),  # UNAVAILABLE, which reads as a Chinese number
        ("anonymous", None),
        ("", None),
    ],
)
def test_only_numbers_that_can_be_called_back(typed, expected):
    assert callable_number(typed, "CN") == expected


def test_a_number_that_cannot_be_called_is_refused_with_what_is_expected(flow):
    entering = _then(flow, _callback(flow), "2")
    root = _doc(entering)
    gather = root.find("Gather")
    assert gather is not None and gather.get("finishOnKey") == ""
    assert "11位手机号，或带区号的固定电话" in _text(root)
    refused = _then(flow, entering, "12345#")
    text = _text(_doc(refused))
    assert "这个号码无法回拨。请输入中国大陆的11位手机号，或带区号的固定电话" in text
    assert refused.callback is None and refused.node == "callback"
    read_back = _then(flow, entering, "13912345678#")
    assert "您输入的号码是1 3 9，1 2 3 4，5 6 7 8。" in _text(_doc(read_back))
    booked = _then(flow, _then(flow, read_back, "1"), "2")
    assert booked.callback is not None and booked.callback.number == "+8613912345678"


@pytest.mark.parametrize(
    ("e164", "groups"),
    [
        ("+8613912345678", ("139", "1234", "5678")),
        ("+862088889999", ("020", "8888", "9999")),
        ("+8675512345678", ("0755", "1234", "5678")),
    ],
)
def test_a_number_is_read_back_in_the_groups_it_is_dialled_in(e164, groups):
    assert as_dialled(e164, "CN") == groups


def test_a_typed_landline_is_read_back_in_groups_in_either_language(flow):
    for lang, expected in [
        ("zh-CN", "您输入的号码是0 7 5 5，1 2 3 4，5 6 7 8。"),
        ("en-US", "You entered 0 7 5 5, 1 2 3 4, 5 6 7 8."),
    ]:
        entering = _then(flow, _callback(flow, lang=lang), "2")
        assert expected in _text(_doc(_then(flow, entering, "075512345678")))


@pytest.mark.parametrize("caller", ["+266696687", "+7378742833", "anonymous", "", None, "abc"])
def test_a_withheld_caller_id_is_never_offered(flow, caller):
    text = _text(_doc(_callback(flow, caller)))
    assert "尾号" not in text and "请输入您的回电号码" in text


@pytest.mark.parametrize("first", ["", "2"])  # the confirm question, the number entry
def test_star_repeats_and_pound_goes_back_at_every_question(flow, first):
    asked = _callback(flow) if not first else _then(flow, _callback(flow), first)
    question = _text(_doc(asked).find("Gather"))
    assert "重听请按星号键，返回请按井号键" in question
    again = _then(flow, asked, "*")
    assert _text(_doc(again).find("Gather")) == question
    assert again.verbs[-1].to.state.fails == 0
    back = _then(flow, asked, "#")
    assert back.node == "after_hours" and back.callback is None


def test_pound_goes_back_from_the_window_question_in_english(flow):
    window = _then(flow, _callback(flow, lang="en-US"), "1")
    assert "To hear this again, press star. To go back, press pound." in _text(_doc(window))
    back = _then(flow, window, "#")
    assert back.node == "after_hours"
    # The request was kept when the number was confirmed: the caller hears it stands.
    assert _text(_doc(back)).startswith("Your callback request is booked,")


def test_the_request_is_kept_when_the_number_is_confirmed_and_the_time_fills_it(flow):
    asked = _callback(flow)
    confirmed = _then(flow, asked, "1")
    assert confirmed.callback is not None
    assert (confirmed.callback.number, confirmed.callback.window) == (CALLER, ANY_WINDOW)
    wrong = _then(flow, confirmed, "7")  # a retry at the time question adds nothing
    assert wrong.callback is None
    booked = _then(flow, wrong, "1")  # the time: the same call and number, filled in
    assert booked.callback is not None and booked.callback.number == CALLER
    assert booked.callback.window != ANY_WINDOW


def test_silence_at_the_window_question_keeps_the_request_for_any_time(flow):
    answer = _then(flow, _callback(flow), "1")
    for _ in range(2):
        answer = _then(flow, answer, "")
        assert _text(_doc(answer)).startswith("抱歉，我们没有收到您的选择。")
    gave_up = _then(flow, answer, "")
    assert gave_up.callback is not None
    assert (gave_up.callback.number, gave_up.callback.window) == (CALLER, ANY_WINDOW)
    assert "会在服务时间内尽快给您回电" in _text(_doc(gave_up))
    assert gave_up.node == "goodbye"


def test_a_second_try_that_fails_says_the_first_request_stands(flow):
    """A caller who booked, went back and asked again, then gave up: no "not booked"
    apology and no voicemail in place of a request the records hold."""
    booked = _then(flow, _callback(flow), "1")  # kept at the number's confirmation
    assert booked.callback is not None
    back = _then(flow, booked, "#")
    assert back.node == "after_hours"
    chosen = flow.gather(back.verbs[-1].to.state, CLOSED_TIME, "2")  # the callback key
    again = flow.callback(chosen.verbs[-1].to.state, CLOSED_TIME, CALLER)
    assert again.node == "callback" and "确认请按1" in _text(_doc(again))
    for _ in range(3):
        again = _then(flow, again, "7")
    said = _text(_doc(again))
    assert "未能为您预约回电" not in said and "请您留言" not in said
    assert said.startswith("您的回电请求已登记")
    assert again.node == "goodbye" and again.callback is None


@pytest.mark.parametrize(
    ("lang", "keys", "said"),
    [
        ("zh-CN", "", "您还没有预约回电。"),  # at the caller-ID question
        ("zh-CN", "2,13912345678", "您还没有预约回电。"),  # at the typed number's read-back
        ("en-US", "2", "No callback has been booked."),  # at the number entry
    ],
)
def test_backing_out_before_a_number_is_confirmed_says_nothing_was_booked(flow, lang, keys, said):
    """Review: a caller who pressed # at the read-back, as many do to mean "done", went
    back to the menu in silence and could believe the callback booked."""
    answer = _callback(flow, lang=lang)
    for typed in filter(None, keys.split(",")):
        answer = _then(flow, answer, typed)
    back = _then(flow, answer, "#")
    assert back.node == "after_hours" and back.callback is None
    gather = _doc(back).find("Gather")
    assert gather is not None  # said inside the menu's Gather: a key cuts it short
    assert _text(gather).startswith(said)


def test_backing_out_of_a_second_request_says_nothing_of_the_first(flow):
    booked = _then(flow, _callback(flow), "1")
    back = _then(flow, booked, "#")
    chosen = flow.gather(back.verbs[-1].to.state, CLOSED_TIME, "2")  # the callback key
    again = flow.callback(chosen.verbs[-1].to.state, CLOSED_TIME, CALLER)
    out = _then(flow, again, "#")
    assert out.node == "after_hours"
    assert "还没有预约" not in _text(_doc(out))  # the first request stands


def test_the_booked_mark_stays_with_the_call_through_the_url():
    state = CallState(node="main", lang="zh-CN", booked=True)
    assert CallState.from_query(state.to_query(), "zh-CN") == state
    assert not CallState.from_query({"node": "main", "cb": "yes"}, "zh-CN").booked


def test_giving_up_before_a_number_is_confirmed_says_so_before_the_voicemail(flow):
    answer = _callback(flow)
    for _ in range(3):
        answer = _then(flow, answer, "7")
    root = _doc(answer)
    gather = root.find("Gather")
    assert answer.node == "voicemail" and answer.callback is None
    assert gather is not None  # said inside the recording prompt's Gather
    assert _text(gather).startswith("抱歉，未能为您预约回电。请您留言。")


def test_the_recording_prompt_is_interruptible_and_waiting_reaches_the_beep(flow):
    state = CallState(node="voicemail", lang="zh-CN", step=3, back=("main", "after_hours"))
    root = _doc(flow.enter(state, CLOSED_TIME))
    verbs = [el.tag for el in root]
    assert verbs[:2] == ["Gather", "Record"]
    # '#' ends the recording ("说完按井号键结束"), so during the prompt it starts it rather
    # than go back, and is not offered as back there; the main menu's key is the way out
    assert _text(root.find("Gather")).endswith("重听请按星号键，回主菜单请按9。")
    assert "返回请按井号键" not in _text(root.find("Gather"))
    out = flow.gather(state, CLOSED_TIME, digits="9")
    assert out.node == "main" and out.outcome == "keys 9 -> main"
    early = _doc(flow.gather(state, CLOSED_TIME, digits="#"))
    assert next(iter(early)).tag == "Record"
    again = _doc(flow.gather(state, CLOSED_TIME, digits="*"))
    assert [el.tag for el in again][:2] == ["Gather", "Record"]
    at_once = _doc(flow.gather(state, CLOSED_TIME, digits="5"))
    assert next(iter(at_once)).tag == "Record"


def test_an_empty_recording_gets_one_more_try_then_goes_on(flow):
    state = CallState(node="voicemail", lang="zh-CN", step=3, back=("main", "after_hours"))
    first = _doc(flow.enter(state, CLOSED_TIME))
    fallthrough = list(first)[2:]  # what plays when nothing was recorded
    assert fallthrough[0].text == "我们没有收到您的留言。"
    retry_url = fallthrough[-1].text or ""
    assert fallthrough[-1].tag == "Redirect" and "node=voicemail" in retry_url
    second = flow.enter(CallState(node="voicemail", lang="zh-CN", step=4, fails=1), CLOSED_TIME)
    root = _doc(second)
    assert "请在提示音后再试一次" in _text(root.find("Gather"))
    last = list(root)[-1]
    assert last.tag == "Redirect" and "node=goodbye" in (last.text or "")
    # The record webhook without a recording: the same one more try, then on.
    again = flow.record_result(state, CLOSED_TIME, None)
    assert again.node == "voicemail" and "再试一次" in _text(_doc(again))
    done = flow.record_result(replace(state, fails=1), CLOSED_TIME, None)
    assert done.node == "goodbye"
    kept = flow.record_result(state, CLOSED_TIME, Recording("https://x/R1", "R1", 3))
    assert kept.outcome == "recorded"


def test_silence_when_asked_for_a_number_is_called_a_missing_number(flow):
    """Asked to type a number, a caller who types nothing hears that no number came, not
    that no choice did (review)."""
    state = CallState(node="callback", lang="zh-CN", step=5, stage="enter")
    silent = _text(_doc(flow.callback(state, CLOSED_TIME, caller=None, digits="")))
    assert silent.startswith("抱歉，我们没有收到您输入的号码。") and "选择" not in silent[:20]
    english = replace(state, lang="en-US")
    said = _text(_doc(flow.callback(english, CLOSED_TIME, caller=None, digits="")))
    assert said.startswith("Sorry, we did not get a number.")


def test_the_agent_key_at_a_recording_prompt_works_where_the_menu_before_had_it(flow):
    """From `feedback` (agent key 0) the suggestion prompt's 0 reaches the agent; after
    hours, where the menu before turned it off, 0 is just a key that starts the recording."""
    suggestion = CallState(
        node="suggestion", lang="zh-CN", step=3, back=("main", "more", "feedback")
    )
    assert flow.gather(suggestion, OPEN_TIME, digits="0").node == "agent_dial"
    voicemail = CallState(node="voicemail", lang="zh-CN", step=3, back=("main", "after_hours"))
    started = flow.gather(voicemail, CLOSED_TIME, digits="0")
    assert started.node == "voicemail" and started.outcome.endswith("-> record")


# -- the day and hours of a callback (review 8, F3) ---------------------------------------------

HOLIDAY_EVE = CLOSED_TIME.replace(month=9, day=30)  # 21:00 before National Day (09:00-18:00)


def _windows_asked(flow, now, lang="zh-CN"):
    state = CallState(node="callback", lang=lang, step=3, back=("main", "after_hours"))
    asked = flow.callback(state, now, CALLER)
    return flow.callback(asked.verbs[-1].to.state, now, CALLER, "1")  # own number confirmed


def _pick(flow, asked, now, key):
    return flow.callback(asked.verbs[-1].to.state, now, CALLER, key)


@pytest.mark.parametrize(
    ("now", "lang", "asked", "key", "said", "day", "window"),
    [
        (
            CLOSED_TIME,
            "zh-CN",
            "请选择明天（11月24日）方便回电的时间。上午请按1，下午请按2，晚上请按3。",
            "3",
            "预约成功，我们会在北京时间明天（11月24日）晚上6点到8点之间给您回电，请留意来电。",
            "2026-11-24",
            "18:00-20:00",
        ),
        (
            CLOSED_TIME,
            "en-US",
            "When should we call you back tomorrow, 24 November? For a call in the morning, "
            "press 1. For a call in the afternoon, press 2. For a call in the evening, press 3.",
            "3",
            "You're booked: we'll call you tomorrow, 24 November, between 6 and 8 pm, "
            "Beijing time.",
            "2026-11-24",
            "18:00-20:00",
        ),
        (
            HOLIDAY_EVE,
            "zh-CN",
            "请选择明天（10月1日）方便回电的时间。上午请按1，下午请按2。当天晚上没有客服值班。",
            "2",
            "预约成功，我们会在北京时间明天（10月1日）下午2点到6点之间给您回电，请留意来电。",
            "2026-10-01",
            "14:00-18:00",
        ),
        (
            HOLIDAY_EVE,
            "en-US",
            "When should we call you back tomorrow, 1 October? For a call in the morning, "
            "press 1. For a call in the afternoon, press 2. No agents work in the evening "
            "that day.",
            "1",
            "You're booked: we'll call you tomorrow, 1 October, between 9 am and noon, "
            "Beijing time.",
            "2026-10-01",
            "09:00-12:00",
        ),
        (
            OPEN_TIME,  # 10:00: the morning window has begun, and is not offered today
            "zh-CN",
            "请选择今天（11月23日）方便回电的时间。下午请按2，晚上请按3。",
            "2",
            "预约成功，我们会在北京时间今天（11月23日）下午2点到6点之间给您回电，请留意来电。",
            "2026-11-23",
            "14:00-18:00",
        ),
    ],
)
def test_a_booked_callback_names_its_day_and_hours_and_offers_only_worked_windows(
    flow, now, lang, asked, key, said, day, window
):
    question = _windows_asked(flow, now, lang)
    assert asked in _text(_doc(question))
    booked = _pick(flow, question, now, key)
    assert said in _text(_doc(booked))
    request = booked.callback
    assert request is not None
    assert (request.day.isoformat(), request.window) == (day, window)
    assert request.origin.lang == lang


def test_a_window_agents_do_not_work_that_day_cannot_be_booked(flow):
    """On the eve of a holiday whose hours end at 18:00, key 3 (the evening) is no choice."""
    question = _windows_asked(flow, HOLIDAY_EVE)
    refused = _pick(flow, question, HOLIDAY_EVE, "3")
    assert refused.callback is None and refused.node == "callback"
    assert "抱歉，您的输入有误" in _text(_doc(refused))


def test_every_key_the_window_question_names_books_and_no_other(flow):
    """The words and the keys agree: each key said books its window; the rest do not."""
    for now in (CLOSED_TIME, HOLIDAY_EVE, OPEN_TIME, OPEN_TIME.replace(hour=19)):
        question = _windows_asked(flow, now)
        text = _text(_doc(question))
        for key in "123":
            booked = _pick(flow, question, now, key)
            assert (f"请按{key}" in text) == (booked.callback is not None), (now, key, text)


@pytest.mark.parametrize(
    ("lang", "said"), [("zh-CN", "尾号1 2 3 4。"), ("en-US", "ending in 1 2 3 4.")]
)
def test_the_caller_ids_last_four_digits_are_read_one_by_one(flow, lang, said):
    """Review 11 (8): "尾号1234" is read as a number (一千二百三十四), not as digits."""
    assert said in _text(_doc(_callback(flow, "+8613912341234", lang)))


@pytest.mark.parametrize(
    ("lang", "mainland"),
    [("zh-CN", "中国大陆的11位手机号"), ("en-US", "a number in mainland China")],
)
def test_the_number_asked_for_is_said_to_be_in_mainland_china(flow, lang, mainland):
    """Review 11 (7): a caller from abroad typed their own number three times, never told
    that callbacks go to numbers in mainland China only."""
    entering = _then(flow, _callback(flow, lang=lang), "2")
    assert mainland in _text(_doc(entering))


def _said(flow, answer, speech, caller=CALLER):
    state = answer.verbs[-1].to.state
    return flow.callback(state, CLOSED_TIME, caller, None, speech)


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_every_callback_question_listens_for_words_too(flow, lang):
    """Review: a caller who asked for the call aloud and answered "yes" heard "we did not
    get your choice" three times and lost the callback: the questions took keys only."""
    asked = _callback(flow, lang=lang)
    for step in (asked, _then(flow, asked, "2"), _then(flow, asked, "1")):  # confirm, enter, time
        gather = _doc(step).find("Gather")
        assert gather is not None and gather.get("input") == "dtmf speech", gather.attrib
        assert gather.get("language") == ("cmn-Hans-CN" if lang == "zh-CN" else "en-US")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "对"),
        ("zh-CN", "是的，就打这个号码"),
        ("zh-CN", "就这个号码吧"),
        ("en-US", "yes"),
        ("en-US", "yes, that's my number"),
        ("en-US", "that's right"),
        ("en-US", "press one"),
    ],
)
def test_yes_said_at_the_confirm_question_keeps_the_request(flow, lang, said):
    kept = _said(flow, _callback(flow, lang=lang), said)
    assert kept.callback is not None and kept.callback.number == CALLER, kept.outcome
    assert kept.outcome.startswith("speech 1"), kept.outcome


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", "不对，换个号码"),
        ("zh-CN", "用别的号码"),
        ("zh-CN", "不是"),
        ("en-US", "no"),
        ("en-US", "no, a different number"),
        ("en-US", "use another number"),
        ("en-US", "that's not my number"),
    ],
)
def test_another_number_said_at_the_confirm_question_asks_for_it(flow, lang, said):
    other = _said(flow, _callback(flow, lang=lang), said)
    assert other.callback is None and other.verbs[-1].to.state.stage == "enter", other.outcome


@pytest.mark.parametrize(
    "said",
    [
        "我的手机号是幺三九 一二三四 五六七八",
        "13912345678",
        "one three nine one two three four five six seven eight",
    ],
)
@pytest.mark.parametrize("first", ["2", ""])  # at the number's question, or said at once
def test_a_number_said_is_read_back_and_then_kept(flow, said, first):
    asked = _callback(flow) if not first else _then(flow, _callback(flow), first)
    readback = _said(flow, asked, said)
    assert "1 3 9，1 2 3 4，5 6 7 8" in _text(_doc(readback)), readback.outcome
    kept = _said(flow, readback, "对的")
    assert kept.callback is not None and kept.callback.number == "+8613912345678"


@pytest.mark.parametrize(
    ("lang", "said", "key"),
    [
        ("zh-CN", "上午吧", "1"),
        ("zh-CN", "下午", "2"),
        ("zh-CN", "晚上六点以后吧", "3"),
        ("en-US", "in the afternoon please", "2"),
        ("en-US", "evening", "3"),
        ("en-US", "the first one", "1"),
    ],
)
def test_a_window_named_in_words_is_booked(flow, lang, said, key):
    window = _then(flow, _callback(flow, lang=lang), "1")
    booked = _said(flow, window, said)
    by_key = _then(flow, window, key)
    assert booked.callback is not None and booked.callback.window != ANY_WINDOW
    assert booked.callback == by_key.callback, (booked.outcome, by_key.outcome)


@pytest.mark.parametrize(("lang", "said"), [("zh-CN", "随便聊聊"), ("en-US", "purple monkey")])
def test_words_that_answer_nothing_are_not_understood_and_count_as_a_try(flow, lang, said):
    asked = _callback(flow, lang=lang)
    again = _said(flow, asked, said)
    sorry = "抱歉，我没有听明白。" if lang == "zh-CN" else "Sorry, I didn't understand that."
    heard = _text(_doc(again))
    assert heard.startswith(sorry) and _text(_doc(asked).find("Gather")) in heard
    assert again.verbs[-1].to.state.fails == 1 and again.callback is None


@pytest.mark.parametrize(("said", "node"), [("返回", "after_hours"), ("再说一遍", "callback")])
def test_back_and_again_said_at_a_callback_question_do_what_their_keys_do(flow, said, node):
    asked = _callback(flow)
    answer = _said(flow, asked, said)
    assert answer.node == node and answer.callback is None, answer.outcome
    if node == "callback":
        assert _text(_doc(answer).find("Gather")) == _text(_doc(asked).find("Gather"))


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("13912345678", "13912345678"),
        ("我的手机号是 139-1234-5678", "13912345678"),
        ("幺三九，洞一二三，四五六七", "13901234567"),
        ("零二一 五五五五 零一二三", "02155550123"),
        ("my number is one three nine, oh one two three, four five six seven", "13901234567"),
        ("+8613912345678", "+8613912345678"),
        ("就打这个号码", None),
        ("一下子", None),
        ("123", None),
        ("我不知道", None),
        ("someone else's number", None),
    ],
)
def test_a_number_said_aloud_is_its_digits(said, digits):
    assert said_digits(said) == digits
