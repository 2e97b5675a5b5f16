"""The flow: the same state and input give the same answer; an hours node follows the clock."""

from __future__ import annotations

import pytest

from ivr.call.flow import Flow, Origin, Recording
from ivr.call.state import CallState
from ivr.call.verbs import Gather
from ivr.menu.loading import load_menus
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
    agent_key = next(  # the agent key, or (in the main menu) the option that goes there
        key
        for key, action in menus.plans[menus.main_menu].keys.items()
        if action == "agent" or getattr(action, "to", None) == menus.agent_node
    )
    opened = flow.gather(main, OPEN_TIME, digits=agent_key)
    closed = flow.gather(main, CLOSED_TIME, digits=agent_key)
    assert opened.node == "agent_dial"
    assert closed.node != "agent_dial" and "agent" in closed.path
    assert flow.gather(main, OPEN_TIME, digits=agent_key) == opened


def test_an_answer_is_a_gather_whose_silence_brings_its_menu_back():
    menus = _menus()
    flow = Flow(menus)
    answer = flow.enter(CallState(node="payments_failed", lang="zh-CN", step=2), OPEN_TIME)
    gather = answer.verbs[0]
    assert isinstance(gather, Gather) and gather.action.state.node == "payments_failed"
    assert "多半和网络" in gather.prompts[0].text
    silent = flow.gather(gather.action.state, OPEN_TIME)
    assert silent.node == "payments" and silent.outcome == "silence -> back"


def test_the_global_keys_once_per_call_travel_in_the_state():
    menus = _menus()
    flow = Flow(menus)
    first = flow.gather(CallState(node="main", lang="zh-CN", step=2), OPEN_TIME, digits="1")
    state = first.verbs[-1].to.state  # the Redirect that follows the Gather
    assert state.told and "任何时候" in first.verbs[0].prompts[-1].text
    again = flow.gather(state, OPEN_TIME, digits="#")
    later = flow.gather(again.verbs[-1].to.state, OPEN_TIME, digits="2")
    assert later.verbs[-1].to.state.told
    assert not any("任何时候" in say.text for say in later.verbs[0].prompts)


def _words(answer) -> str:
    """What the caller hears up to the end of the answer's Gather (its short apology first)."""
    heard = []
    for verb in answer.verbs:
        if isinstance(verb, Gather):
            return "".join(heard + [say.text for say in verb.prompts])
        heard.append(verb.text)
    raise AssertionError(f"no Gather in {answer.verbs}")


def test_words_that_match_nothing_are_not_called_a_wrong_choice():
    """A caller who spoke hears that they were not understood; a wrong key, that it is none
    of the choices; both then hear the choices again."""
    menus = _menus()
    flow = Flow(menus)
    main = CallState(node=menus.main_menu, lang="zh-CN", step=2)
    for spoken in (
        flow.gather(main, OPEN_TIME, speech="明天天气怎么样", confidence=0.9),
        flow.gather(main, OPEN_TIME, speech="我的账户被盗了", confidence=0.05),  # too faint
    ):
        assert spoken.node == "main" and spoken.outcome.endswith("-> invalid")
        assert _words(spoken).startswith("抱歉，我没有听明白。") and "请按1" in _words(spoken)
        assert "输入有误" not in _words(spoken)
        # Review: it invites the caller to say it again, and, two sentences, is said inside
        # the Gather, where a key cuts it short
        assert _heard(spoken).startswith("抱歉，我没有听明白。请换个说法再说一次")
        assert isinstance(spoken.verbs[0], Gather)
    pressed = flow.gather(main, OPEN_TIME, digits="5")
    assert _words(pressed).startswith("抱歉，您的输入有误。") and "请按1" in _words(pressed)
    english = CallState(node=menus.main_menu, lang="en-US", step=2)
    said = flow.gather(english, OPEN_TIME, speech="what a lovely day", confidence=0.9)
    assert _words(said).startswith("Sorry, I didn't understand that.")


@pytest.mark.parametrize(
    ("lang", "now", "said", "then"),
    [
        ("zh-CN", OPEN_TIME, "紫色猴子洗碗机", "正在为您转接人工客服"),
        ("en-US", CLOSED_TIME, "purple monkey dishwasher", "Our agents are not working"),
    ],
)
def test_the_last_try_in_words_hears_the_apology_not_an_invitation_to_try_again(
    lang, now, said, then
):
    """Review: the third not-understood said "请换个说法再说一次" and then moved on at once."""
    menus = _menus()
    flow = Flow(menus)
    tries = menus.plans["main"].retry.max_failures
    state = CallState(node=menus.main_menu, lang=lang, step=2, fails=tries - 1)
    last = flow.gather(state, now, speech=said, confidence=0.9)
    assert last.outcome.endswith("-> on_max"), last.outcome
    heard = " ".join(
        s.text
        for v in last.verbs
        for s in (v.prompts if isinstance(v, Gather) else (v,))
        if hasattr(s, "text")
    )
    sorry = "抱歉，我没有听明白。" if lang == "zh-CN" else "Sorry, I didn't understand that."
    assert heard.startswith(sorry) and then in heard, heard
    assert "再说一次" not in heard and "another way" not in heard, heard


def test_without_not_understood_words_speech_hears_the_invalid_words(tmp_path):
    text = HOTLINE.read_text(encoding="utf-8")
    start = text.index("  not_understood:")
    end = text.index("\n  no_input:", start)
    menus_file = tmp_path / "menus.yaml"
    menus_file.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    menus = load_menus(menus_file, ENV)
    main = CallState(node=menus.main_menu, lang="zh-CN", step=2)
    spoken = Flow(menus).gather(main, OPEN_TIME, speech="明天天气怎么样", confidence=0.9)
    assert _words(spoken).startswith("抱歉，您的输入有误。")


# -- where a message or callback request comes from (review 8, F2) -------------------------------


def _state(answer) -> CallState:
    """The state the answer's last link carries (the Redirect after a Gather, a Dial's)."""
    last = answer.verbs[-1]
    return last.to.state if hasattr(last, "to") else last.action.state


def _walk(flow, now, *steps, lang="zh-CN"):
    """Press keys and Dial outcomes from the main menu; return the last answer."""
    answer = flow.gather(CallState(node="main", lang=lang, step=2), now, digits=steps[0])
    for step in steps[1:]:
        state = answer.verbs[-1].action.state if answer.node.endswith("dial") else _state(answer)
        if step.startswith("dial:"):
            answer = flow.dial_result(state, now, step[5:])
        else:
            answer = flow.gather(state, now, digits=step)
    return answer


def test_the_security_lines_unanswered_caller_leaves_an_urgent_message_from_stolen():
    flow = Flow(_menus())
    at_voicemail = _walk(flow, CLOSED_TIME, "3", "1", "1", "dial:no-answer", "1", lang="en-US")
    assert at_voicemail.node == "security_voicemail"  # its own, since review 8 F1
    state = at_voicemail.verbs[-1].to.state
    recorded = flow.record_result(state, CLOSED_TIME, Recording("https://x/RE1", "RE1", 9))
    assert recorded.message == Origin("en-US", "stolen", urgent=True)
    silent = flow.record_result(state, CLOSED_TIME, None)
    assert silent.message is None  # nothing left: nothing to store


def test_a_callback_keeps_the_topic_before_the_agents_menus_and_is_urgent_only_from_one():
    flow = Flow(_menus())
    routine = _walk(flow, CLOSED_TIME, "1", "2", "0", "2")  # funds_not_arrived, agent, callback
    assert routine.node == "callback"
    confirm = flow.callback(_state(routine), CLOSED_TIME, "+8613800138000")
    kept = flow.callback(_state(confirm), CLOSED_TIME, "+8613800138000", "1")
    assert kept.callback is not None
    assert kept.callback.origin == Origin("zh-CN", "funds_not_arrived", urgent=False)
    # Back at the main menu, a caller starts over: no topic.
    fresh = _walk(flow, CLOSED_TIME, "0", "2")
    assert _state(fresh).topic == "" and flow.origin(_state(fresh)) == Origin("zh-CN")


def test_a_topic_in_an_edited_url_that_names_no_topic_is_dropped():
    flow = Flow(_menus())
    for topic in ("after_hours", "main", "nosuchnode"):
        state = CallState(node="voicemail", lang="zh-CN", step=5, topic=topic)
        recorded = flow.record_result(state, CLOSED_TIME, Recording("https://x/RE1", "RE1", 9))
        assert recorded.message == Origin("zh-CN", "", urgent=False)


# -- switching language mid-call (review 8, F7) ------------------------------------------------


def test_asking_for_another_language_replays_the_same_menu_and_back_still_leads_home():
    flow = Flow(_menus())
    payments = _walk(flow, OPEN_TIME, "1")
    switched = flow.gather(_state(payments), OPEN_TIME, speech="我要英文服务")
    assert (switched.node, switched.lang) == ("payments", "en-US")
    assert "For a failed payment, press 1." in _words(switched)
    back = flow.gather(_state(switched), OPEN_TIME, digits="#")
    assert (back.node, back.lang) == ("main", "en-US")


def _heard(answer) -> str:
    return "".join(s.text for v in answer.verbs if isinstance(v, Gather) for s in v.prompts)


def test_the_agent_key_is_named_by_what_it_does_while_the_agents_are_closed():
    """Review 11 (F4): at night every menu said 人工服务请按0 and the key then said the
    agents had gone home. The agents' closed_label names it instead; by day, the label."""
    flow = Flow(_menus())
    by_day, at_night = _heard(flow.start(OPEN_TIME)), _heard(flow.start(CLOSED_TIME))
    assert "人工服务请按0" in by_day and "已下班" not in by_day
    assert "留言回电请按0" in at_night and "人工服务请按0" not in at_night
    english = _heard(flow.start(CLOSED_TIME, lang="en-US"))
    assert "For messages, press 0." in (english)


def test_an_option_unsaid_while_closed_still_works_and_is_said_by_day():
    menus = _menus()
    plan = menus.plans["complaint"]
    assert plan.hours == ("agent",) and set(plan.closed) == {frozenset({"agent"})}
    flow = Flow(menus)
    state = CallState(node="complaint", lang="zh-CN", step=3, back=("main",))
    by_day = _heard(flow.gather(state, OPEN_TIME, digits="*"))
    at_night = _heard(flow.gather(state, CLOSED_TIME, digits="*"))
    assert by_day.endswith("留言投诉请按1，预约回电请按2，人工服务请按0。")
    assert at_night.endswith("留言投诉请按1，预约回电请按2。")
    pressed = flow.gather(state, CLOSED_TIME, digits="0")  # the key itself: the hours
    assert pressed.node == "after_hours" and "现在是非人工服务时间" in _heard(pressed)


def test_a_menu_written_out_in_full_has_one_wording():
    """full_prompt is the file's words whatever the hours: nothing to vary."""
    plan = _menus().plans["after_hours"]
    assert plan.hours == () and not plan.closed


def test_the_service_hours_answer_says_the_schedules_hours_in_beijing_time():
    menus = _menus()
    said = menus.nodes["service_hours"].say
    assert said["zh-CN"].startswith("人工客服的服务时间是北京时间每天上午8点至晚上8点")
    assert "{hours}" not in said["zh-CN"] and "{hours}" not in said["en-US"]
    assert "Beijing time" in said["en-US"]


def test_each_set_of_closed_hours_nodes_has_its_own_wording(tmp_path):
    """A menu leading to two hours nodes (the agents' 0 and the security line's 3) is
    worded for either closed and for both: each key named by what it does now."""
    from tests.conftest import ENV, shipped_with

    security_hours = shipped_with(
        tmp_path, 'daily: ["00:00-24:00"]', 'daily: ["08:00-20:00"]', "  security:\n    timezone"
    )
    menus = load_menus(security_hours, env=ENV)
    plan = menus.plans["security_unavailable"]
    assert plan.hours == ("agent", "security_line")
    assert set(plan.closed) == {
        frozenset({"agent"}),
        frozenset({"security_line"}),
        frozenset({"agent", "security_line"}),
    }
    state = CallState(node="security_unavailable", lang="zh-CN", step=3, back=("main",))
    by_day = _heard(Flow(menus).gather(state, OPEN_TIME, digits="*"))
    at_night = _heard(Flow(menus).gather(state, CLOSED_TIME, digits="*"))
    assert "重拨安全专线请按3" in by_day and "人工服务请按0" in by_day
    assert "给安全团队留言请按3" in at_night and "请按0" not in at_night
