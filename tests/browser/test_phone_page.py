"""The /simulator page in Chromium: calls through the hotline, keyboard use, sound, layout."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from tests.conftest import HOTLINE, env_for

pytestmark = pytest.mark.slow
OPEN = "2026-11-23T10:00"  # a Monday morning in Shanghai
CLOSED = "2026-11-23T21:00"


def simulate(script: str, at: str, tmp_path) -> list[str]:
    """Print the same call with `ivr simulate`, as a developer at a terminal would."""
    env = {
        **env_for(tmp_path),
        "IVR_ENV": "development",
        "IVR_MENUS": str(HOTLINE),
    }  # the page serves the shipped menu
    result = CliRunner(env=env).invoke(
        cli, ["simulate", "--input", script, "--at", f"{at}:00+08:00", "--lang", "zh-CN"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching selector has the focus (none if it has it:
    the page puts the focus on the control the call needs next)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_keys_through_the_main_menu_print_what_ivr_simulate_prints(phone, tmp_path):
    """Pressing 1 then 1 reaches the failed-payment answer; the transcript is the CLI's."""
    page = phone.page
    page.fill("#at", OPEN)
    page.click("#call")
    phone.hear("支付或到账问题请按1")
    page.click(".key[data-key='1']")
    phone.hear("支付失败请按1，充值或提现没到账请按2")
    assert phone.current_node() == "payments"
    page.click(".key[data-key='1']")
    phone.hear("多半和网络、余额或收款信息有关")
    phone.wait_for_state("Listening in payments_failed")

    page.click("#call")  # now the hang-up button
    phone.wait_for_state("Call ended")
    assert phone.plain == simulate("1,1", OPEN, tmp_path)
    assert phone.plain[-1] == "-- call ended: caller-hangup"
    say = page.locator("#transcript li.ev-say").filter(has_text="多半和网络、余额或收款信息有关")
    assert say.locator(".lang").text_content() == "cmn-CN"
    assert say.locator(".who").text_content() == "Polly.Zhiyu"
    assert say.locator(".node").text_content().endswith("payments_failed")
    assert page.locator("#transcript li.ev-caller").first.text_content().endswith("pressed 1")
    phone.screenshot("simulator.png")
    assert phone.errors == []


def test_after_hours_voicemail_at_nine_in_the_evening(phone):
    """At 21:00 key 0 finds the line closed; 1 records a message and is thanked."""
    page = phone.page
    page.fill("#at", CLOSED)
    page.click("#call")
    phone.hear("支付或到账问题请按1")
    page.click(".key[data-key='0']")
    phone.hear("现在是非人工服务时间")
    page.click(".key[data-key='1']")
    phone.wait_for_state("Recording in voicemail")
    assert page.is_enabled("#message") and page.is_disabled("#speech")
    page.fill("#message", "我想咨询账户问题，我的电话是13800138000")
    page.click("#message-form button")
    phone.hear("感谢您的留言")
    phone.wait_for_state("Call ended: the menu hung up")
    assert "[Caller] recorded 我想咨询账户问题，我的电话是13800138000 (5 s)" in phone.plain
    assert phone.current_node() == "goodbye"
    phone.screenshot("simulator-after-hours.png")
    assert phone.errors == []


def test_keyboard_alone_sets_the_clock_calls_presses_and_leaves_a_message(phone):
    """Tab, Enter and typed digits do everything; digits in a text box stay in it."""
    page = phone.page
    tab_to(page, "#presets button[data-at$='T21:00']")  # the after-hours quick time
    page.keyboard.press("Enter")
    assert page.input_value("#at").endswith("T21:00")
    tab_to(page, "#call")
    page.keyboard.press("Enter")
    phone.hear("支付或到账问题请按1")
    page.keyboard.press("0")
    phone.hear("现在是非人工服务时间")
    page.keyboard.press("1")
    phone.wait_for_state("Recording")
    # a Mandarin call's box: the prompt's keys-only <Gather> has only Twilio's default en-US
    assert page.get_attribute("#message", "placeholder") == "请在提示音后留言"
    tab_to(page, "#message")
    page.keyboard.type("请回电 13800138000")
    assert page.locator("#digits").text_content() == ""  # typing in a box presses no keys
    page.keyboard.press("Enter")
    phone.hear("感谢您的留言")
    assert "[Caller] recorded 请回电 13800138000 (2 s)" in phone.plain
    assert phone.errors == []


def test_a_number_typed_on_the_keyboard_is_sent_after_the_pause(phone):
    """A callback number collects on the phone's screen and goes as one entry when the
    caller stops typing (the entry has no finish key: # means back there, as everywhere)."""
    page = phone.page
    page.fill("#at", CLOSED)
    page.click("#call")
    page.keyboard.type("022")  # agent (closed) -> callback -> another number
    phone.wait_for_state("Listening in callback for keys")
    page.keyboard.type("13912345678")
    assert page.locator("#digits").text_content() == "13912345678"
    phone.hear("pressed 13912345678", timeout=15_000)
    phone.hear("您输入的号码是1 3 9，1 2 3 4，5 6 7 8")
    assert page.locator("#digits").text_content() == ""
    assert phone.errors == []


def test_speech_box_sends_on_enter(phone):
    """Words typed in the speech box reach a speech menu when Enter is pressed."""
    page = phone.page
    page.fill("#at", OPEN)
    page.click("#call")
    phone.wait_for_state("Listening in main for 1 key or speech")
    page.fill("#speech", "账户被锁定了")
    page.press("#speech", "Enter")
    phone.hear("said 账户被锁定了")
    phone.hear("解锁需要人工客服核实您的身份")  # straight to the answer, from the first menu
    assert phone.current_node() == "locked"
    assert phone.errors == []


def test_transfer_outcome_buttons(phone):
    """During a transfer only the outcome buttons are live; no-answer offers a message."""
    page = phone.page
    page.fill("#at", OPEN)
    page.click("#call")
    page.click(".key[data-key='0']")
    phone.wait_for_state("Transferring to +8610555000111")
    assert page.is_enabled("#transfer button[data-dial='busy']")
    assert page.is_disabled("#message")
    page.click("#transfer button[data-dial='no-answer']")
    phone.hear("dial outcome no-answer")
    phone.hear("没有客服人员能接听")
    phone.wait_for_state("Listening in agent_unavailable")
    page.click(".key[data-key='1']")
    phone.wait_for_state("Recording")
    assert page.is_disabled("#transfer button[data-dial='busy']")
    # Review: the status offered "# back", a key that here starts the recording.
    status = page.text_content("#status") or ""
    assert "# back" not in status and "a key the prompt offers" in status, status
    assert phone.errors == []


FAKE_SPEECH = """
window.__spoken = [];
class FakeUtterance { constructor(text) { this.text = text; this.lang = ""; } }
window.SpeechSynthesisUtterance = FakeUtterance;
const voices = [{ lang: "en-US", name: "English" }, { lang: "zh-CN", name: "Mandarin" }];
Object.defineProperty(window, "speechSynthesis", { value: {
  speak: (u) => window.__spoken.push(["speak", u.lang, u.voice && u.voice.name, u.text]),
  cancel: () => window.__spoken.push(["cancel"]),
  getVoices: () => voices,
  addEventListener: () => {},
}});
"""


def test_says_each_prompt_in_its_language_and_keys_barge_in(make_phone):
    """Mandarin prompts get the zh-CN voice; a key cancels speech; mute silences it."""
    phone = make_phone(init_script=FAKE_SPEECH)
    page = phone.page
    page.fill("#at", OPEN)
    page.click("#call")
    phone.wait_for_state("Listening in main")
    spoken = page.evaluate("window.__spoken")
    says = [entry for entry in spoken if entry[0] == "speak"]
    assert says[0][1:3] == ["zh-CN", "Mandarin"] and says[0][3].startswith("您好")
    assert ["speak", "en-US", "English", "For English, press 9."] in says

    page.keyboard.press("1")
    phone.hear("支付失败请按1，充值或提现没到账请按2")
    after = page.evaluate("window.__spoken")[len(spoken) :]
    assert after[0] == ["cancel"], "a key press must cut the prompt off first"
    assert any(e[0] == "speak" and e[3].startswith("支付失败请按1") for e in after)

    page.click("#mute")
    assert page.get_attribute("#mute", "aria-checked") == "false"
    before = len(page.evaluate("window.__spoken"))
    page.keyboard.press("1")
    phone.hear("多半和网络、余额或收款信息有关")
    assert not [e for e in page.evaluate("window.__spoken")[before:] if e[0] == "speak"]
    page.reload()
    page.wait_for_selector("#diagram svg g.node")
    assert page.get_attribute("#mute", "aria-checked") == "false"  # remembered
    assert phone.errors == []


def test_problems_are_shown_beside_the_step(make_phone):
    """A step the strict checker complains about carries its code, title and message."""
    phone = make_phone()
    page = phone.page
    problem = {
        "code": 13511,
        "severity": "warning",
        "title": "Say: Invalid voice value",
        "message": "voice 'Polly.Nobody' is not a voice",
        "element": "Say",
        "url": "/voice",
        "line": "warning: 13511 at http://x/voice (Say): ...",
    }
    say = {
        "n": 0,
        "verb": "Say",
        "who": "app",
        "text": "你好",
        "line": "[Say cmn-CN] 你好",
        "language": "cmn-CN",
        "voice": "Polly.Nobody",
        "node": None,
        "nodes": ["main"],
        "url": "/voice",
        "problems": [problem],
    }
    gather = {
        **say,
        "n": 1,
        "verb": "Gather",
        "text": "",
        "line": "[Gather dtmf]",
        "voice": None,
        "problems": [],
    }
    snapshot = {
        "id": "fake",
        "state": "waiting",
        "events": [say, gather],
        "next": 2,
        "waiting": {
            "kind": "gather",
            "input": ["dtmf"],
            "num_digits": 1,
            "finish_on_key": "",
            "timeout": 5,
            "node": "main",
        },
        "ended": None,
        "node": "main",
        "call": {},
    }
    page.route(
        "**/simulator/api/calls**",
        lambda route: route.fulfill(
            status=201, content_type="application/json", body=json.dumps(snapshot)
        ),
    )
    page.click("#call")
    item = page.locator("#transcript li.ev-say")
    item.locator(".problem.warning").wait_for()
    assert item.locator(".problem .code").get_attribute("href").endswith("/errors/13511")
    assert "Say: Invalid voice value: voice 'Polly.Nobody'" in item.text_content()
    assert page.locator("#transcript li.ev-gather .problem").count() == 0
    assert phone.errors == []


def test_readable_on_a_phone_screen(make_phone):
    """At 390 px wide nothing scrolls sideways, the keypad fits, Chinese uses a CJK font."""
    phone = make_phone(viewport={"width": 390, "height": 844})
    page = phone.page
    page.fill("#at", OPEN)
    page.click("#call")
    phone.hear("支付或到账问题请按1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator(".keypad").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    font = page.locator("#transcript .ev-text[lang='zh-CN']").first.evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    assert "PingFang SC" in font and "Noto Sans CJK SC" in font
    phone.screenshot("simulator-phone.png")
    assert phone.errors == []


def test_controls_are_labelled_for_assistive_technology(phone):
    """Every button and field has a name; the transcript is announced as it grows."""
    page = phone.page
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button, input, select')]
        .filter(el => !(el.getAttribute('aria-label') || el.textContent.trim()
                        || (el.labels && el.labels.length)))
        .map(el => el.outerHTML)""")
    assert unnamed == []
    assert page.get_attribute("#transcript", "aria-live") == "polite"
    assert page.get_attribute(".key[data-key='#']", "aria-label") == "hash"
    assert page.get_attribute("#status", "role") == "status"
    assert phone.errors == []
