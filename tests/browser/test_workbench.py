"""The phone page in ordinary use (#20): small screens, lost requests, the keyboard, a
reload, real time, the diagram as a workbench, and a call kept as a scenario."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.simulator.scenarios import load_scenarios
from tests.browser.conftest import ENV
from tests.browser.test_phone_page import CLOSED, OPEN
from tests.conftest import HOTLINE, PROJECT_ROOT

pytestmark = pytest.mark.slow
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
DOCS = PROJECT_ROOT / "docs"
NO_VOICES = """
Object.defineProperty(window, "speechSynthesis", { value: {
  speak: () => {}, cancel: () => {}, getVoices: () => [], addEventListener: () => {},
  speaking: false,
}});
"""


def call_at(phone, at: str = OPEN) -> None:
    page = phone.page
    page.fill("#at", at)
    page.click("#call")
    phone.wait_for_state("Listening in main")


def in_view(page, selector: str) -> bool:
    """True when the element is wholly inside the window."""
    return page.eval_on_selector(
        selector,
        """el => { const r = el.getBoundingClientRect();
                   return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
                          && r.right <= innerWidth; }""",
    )


def test_key_presses_on_a_phone_screen_keep_the_keypad_in_view(make_phone):
    phone = make_phone(viewport=MOBILE)
    page = phone.page
    call_at(phone)
    assert in_view(page, ".keypad")
    for key, heard in (("3", "账户被盗请按1"), ("7", "抱歉，您的输入有误"), ("*", "账户被盗请按1")):
        page.click(f".key[data-key='{key}']")
        phone.hear(heard)
        phone.wait_for_state("Listening in security")
        assert page.evaluate("window.scrollY") == 0, f"the page scrolled after {key}"
        assert in_view(page, ".keypad")
    assert phone.errors == []


def test_a_dropped_request_is_retried_and_keys_still_work(make_phone):
    """The first key's request is lost on the way: the call is asked, the key is sent
    again, and the next keys work as before."""
    phone = make_phone()
    page = phone.page
    armed, dropped = [], []

    def drop_once(route):
        if armed and not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    # Routed before the call starts: a route added just before the key press could miss
    # its request while Chromium turns interception on (seen once in CI).
    page.route("**/actions", drop_once)
    call_at(phone)
    armed.append(True)
    page.keyboard.press("1")
    phone.hear("支付失败请按1，充值或提现没到账请按2")
    assert dropped, "the test must have dropped a request"
    page.keyboard.press("1")
    phone.hear("多半和网络、余额或收款信息有关")
    assert phone.plain.count("[Caller] pressed 1") == 2  # sent once each, none twice
    phone.errors[:] = [e for e in phone.errors if "ERR_CONNECTION_RESET" not in e]
    assert phone.errors == []


def test_when_the_server_cannot_be_reached_the_call_waits_for_the_key_again(make_phone):
    phone = make_phone()
    page = phone.page
    refusing: list[bool] = []

    def refuse(route):
        if refusing:
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route("**/simulator/api/calls/**", refuse)  # before the call, as above
    call_at(phone)
    refusing.append(True)
    page.keyboard.press("1")
    phone.wait_for_state("The server cannot be reached. Nothing was sent")
    page.unroute("**/simulator/api/calls/**")
    page.keyboard.press("1")  # not stuck: the page still knows the call waits for a key
    phone.hear("支付失败请按1，充值或提现没到账请按2")
    assert phone.current_node() == "payments"


RECONNECTING = "无法连接服务器，正在重新连接"  # the call is in Mandarin: the page says it so
CALL_API = re.compile(r"/simulator/api/calls/")
POLL = re.compile(r"/simulator/api/calls/[^/?]+\?since=")


def current_is(page, node: str) -> None:
    """Wait until the diagram highlights node."""
    page.wait_for_function(
        "n => document.querySelector('#diagram g.node.current')?.dataset.node === n", arg=node
    )


def without_refusals(errors: list[str]) -> list[str]:
    """The console errors other than the requests a test refused on purpose."""
    return [e for e in errors if "ERR_CONNECTION_REFUSED" not in e]


def test_a_reload_while_the_server_is_away_reconnects_and_keys_work(make_phone):
    """Review: after such a reload the call stayed "running", the keys piled up on the
    screen and were never sent; only Hang up got out."""
    phone = make_phone()
    page = phone.page
    call_at(phone)
    page.route(CALL_API, lambda route: route.abort("connectionrefused"))
    page.reload()
    page.wait_for_selector("#diagram svg g.node")
    phone.wait_for_state(RECONNECTING)
    assert page.get_attribute("#status", "lang") == "zh-CN"
    page.unroute(CALL_API)  # the server is back
    page.keyboard.press("1")
    page.keyboard.press("2")
    current_is(page, "funds_not_arrived")
    assert phone.plain.count("[Caller] pressed 1") == 1
    assert phone.plain.count("[Caller] pressed 2") == 1
    assert without_refusals(phone.errors) == []


def test_a_lost_poll_reconnects_and_keys_work(make_phone):
    """The menu is still busy when the key's answer comes ("running"); the poll that
    follows is lost: the page asks again until the server answers, and keys work."""
    phone = make_phone()
    page = phone.page
    away: list[bool] = []
    busy_once: list[bool] = []

    def running(route):
        if busy_once:
            route.continue_()
            return
        busy_once.append(True)
        response = route.fetch()  # the server takes the key
        since = json.loads(route.request.post_data or "{}")["since"]
        busy = {**response.json(), "state": "running", "waiting": None}
        busy.update(events=[], steps=[], next=since)  # as if nothing were said yet
        away.append(True)
        route.fulfill(response=response, json=busy)

    def poll(route):
        if away:
            route.abort("connectionrefused")
        else:
            route.continue_()

    # Routed before the call starts (see the dropped-request test above).
    page.route("**/actions", running)
    page.route(POLL, poll)
    call_at(phone)
    page.keyboard.press("1")
    phone.wait_for_state(RECONNECTING)
    away.clear()  # the server answers again
    page.keyboard.press("1")
    phone.hear("多半和网络、余额或收款信息有关")
    current_is(page, "payments_failed")
    assert phone.plain.count("[Caller] pressed 1") == 2
    assert without_refusals(phone.errors) == []


def test_a_call_the_server_lost_puts_the_focus_on_call(make_phone, server_app):
    """Review: the focus stayed on key 1, so Enter said "there is no call"."""
    phone = make_phone()
    page = phone.page
    call_at(phone)
    assert page.evaluate("document.activeElement.dataset.key") == "1"
    server_app.extensions["ivr.web.phone"].close()  # as a restart does: the call is gone
    page.keyboard.press("1")
    phone.wait_for_state("This call is no longer on the server")
    assert page.evaluate("document.activeElement.id") == "call"
    page.keyboard.press("Enter")  # a new call at once
    phone.wait_for_state("Listening in main")
    assert phone.plain.count("[Caller] pressed 1") == 0


# How the server is away when Hang up is pressed, and the requests it fails.
AWAY = {
    # the call waits for a key, its countdown running: every request is refused
    "refused": CALL_API,
    # a reload while the server was away: the page is in its "Reconnecting…" backoff
    "reconnecting": CALL_API,
    # a key's request is on its way and the server never answers it
    "stalled": "**/actions",
    # the call is being placed and the server never answers
    "dialling": re.compile(r"/simulator/api/calls$"),
}


# The server's own view of a call, asked from the page.
SERVER_CALL = "async (id) => (await fetch(`${document.body.dataset.api}/calls/${id}`)).json()"
# The page's call, as it keeps it for a reload
CALL_ID = "(JSON.parse(sessionStorage.getItem('ivr-simulator-call')) || {}).id || null"
# ...its state only, None while the server cannot be reached
SERVER_CALL_STATE = (
    "async (id) => { try { return (await (await fetch(`${document.body.dataset.api}/calls/${id}`))"
    ".json()).state; } catch { return null; } }"
)


@pytest.mark.parametrize("case", AWAY)
def test_hang_up_ends_the_call_at_once_while_the_server_is_away(make_phone, case):
    """Issue #20: as on a real phone, Hang up ends the call on the page at once and stops
    every retry and countdown; the server coming back does not bring the call back, and
    hears of the hang-up then (the notice is sent again until it is)."""
    phone = make_phone(init_script=NO_VOICES)
    page = phone.page
    held, away, sent = [], [], []

    def server(route):
        if not away:
            route.continue_()
        elif case in ("stalled", "dialling"):
            held.append(route)  # never answered
        else:
            route.abort("connectionrefused")

    page.route(AWAY[case], server)  # before the call (see the dropped-request test)
    if case == "refused":
        page.check("#realtime")
    if case == "dialling":
        away.append(True)
        page.fill("#at", OPEN)
        page.click("#call")
    else:
        call_at(phone)
        away.append(True)
    if case == "refused":
        page.locator("#countdown").wait_for(state="visible")
    elif case == "reconnecting":
        page.reload()
        page.wait_for_selector("#diagram svg g.node")
        phone.wait_for_state(RECONNECTING)
    elif case == "stalled":
        page.keyboard.press("1")
    while case in ("stalled", "dialling") and not held:
        page.wait_for_timeout(50)
    before = phone.plain
    ended = [*before, "[Caller] hung up", "-- call ended: caller-hangup"]
    page.on("request", lambda req: CALL_API.search(req.url) and sent.append(req.method))
    placed = page.evaluate(CALL_ID)

    page.click("#call")  # Hang up
    phone.wait_for_state("Call ended: you hung up.", timeout=1_000)  # at once
    assert page.text_content("#call") == "Call"
    assert page.evaluate("document.activeElement.id") == "call"
    assert phone.plain == ended
    assert page.is_hidden("#countdown")

    page.wait_for_timeout(2_000)  # past the backoff's first retries
    away.clear()  # the server is back
    page.wait_for_timeout(1_000)
    assert page.text_content("#status") == "Call ended: you hung up."
    assert phone.plain == ended and page.is_hidden("#countdown")
    # After the click only the hang-up's notice, sent again until the server hears it
    # (none for a call not yet placed); a retry may have gone out just before the click.
    after = sent[sent.index("DELETE") :] if "DELETE" in sent else sent
    if case == "dialling":
        assert after == [], sent
    else:
        assert after and set(after) == {"DELETE"}, sent
        # The server ended the call as the caller's hang-up, not by its idle expiry.
        there = page.evaluate(SERVER_CALL, placed)
        for _ in range(100):
            if there.get("state") == "ended":
                break
            page.wait_for_timeout(100)
            there = page.evaluate(SERVER_CALL, placed)
        assert there.get("state") == "ended", (placed, there)
        assert there["events"][-1]["line"] == "-- call ended: caller-hangup"
        assert page.evaluate("sessionStorage.getItem('ivr-simulator-hangups')") == "{}"

    page.keyboard.press("Enter")  # a new call at once, from Call
    phone.wait_for_state("Listening in main")
    assert "-- call ended: caller-hangup" not in phone.plain
    page.keyboard.press("1")
    phone.hear("支付失败请按1，充值或提现没到账请按2")
    assert without_refusals(phone.errors) == []


def test_a_hang_up_the_server_missed_is_told_after_a_reload(make_phone):
    """Issue #20: a hang-up the server could not hear is kept with the tab: a reload while
    the server is still away sends it again once the server is back."""
    phone = make_phone(init_script=NO_VOICES)
    page = phone.page
    away: list[bool] = []
    page.route(
        CALL_API, lambda route: route.abort("connectionrefused") if away else route.continue_()
    )
    call_at(phone)
    placed = page.evaluate(CALL_ID)
    away.append(True)
    page.click("#call")  # Hang up
    phone.wait_for_state("Call ended: you hung up.", timeout=1_000)
    page.reload()
    page.wait_for_selector("#diagram svg g.node")
    assert placed in page.evaluate("sessionStorage.getItem('ivr-simulator-hangups')")
    assert page.evaluate(SERVER_CALL_STATE, placed) is None  # still away
    away.clear()
    there = None
    for _ in range(100):  # the notice's backoff starts at 1 s
        there = page.evaluate(SERVER_CALL_STATE, placed)
        if there == "ended":
            break
        page.wait_for_timeout(100)
    assert there == "ended"
    assert page.evaluate(SERVER_CALL, placed)["events"][-1]["line"] == (
        "-- call ended: caller-hangup"
    )
    assert page.text_content("#status") == "Call ended: you hung up."


def test_each_line_is_labelled_with_the_node_that_said_it(phone):
    """Three wrong keys in security: its "sorry" is security's, the transfer agent_dial's."""
    page = phone.page
    call_at(phone)
    page.keyboard.press("3")
    phone.wait_for_state("Listening in security")
    for count in (1, 2, 3):
        page.keyboard.press("7")
        page.wait_for_function(
            "n => document.getElementById('plain').textContent"
            ".split('[Caller] pressed 7').length - 1 === n",
            arg=count,
        )
    phone.wait_for_state("Transferring")
    nodes = page.eval_on_selector_all(
        "#transcript li.ev-say",
        "items => items.map(i => [i.querySelector('.ev-text').textContent,"
        " i.querySelector('.node').textContent])",
    )
    assert ["您好，欢迎致电数字钱包客服。", "welcome"] in nodes
    sorry = [node for text, node in nodes if text == "抱歉，您的输入有误。"]
    assert sorry == ["security"] * 3
    assert [n for t, n in nodes if t.startswith("正在为您转接人工客服")] == ["agent_dial"]
    assert all("→" not in node for _, node in nodes)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_call_is_within_five_tabs_and_focus_follows_the_call(make_phone, viewport):
    settings = f'{{"at": "{OPEN}"}}'  # chosen on an earlier visit, so none is set here
    phone = make_phone(
        viewport=viewport,
        init_script=f"localStorage.setItem('ivr-simulator-settings', '{settings}')",
    )
    page = phone.page
    assert page.input_value("#at") == OPEN
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "call":
            break
    else:
        raise AssertionError("Call is not within 5 Tabs of the page's start")
    page.keyboard.press("Enter")
    phone.wait_for_state("Listening in main")
    focused = "() => document.activeElement.dataset.key || document.activeElement.id"
    assert page.evaluate(focused) == "1"  # the keypad: the call waits for a key
    page.keyboard.press("0")
    phone.wait_for_state("Transferring")
    assert (
        page.evaluate(focused) == ""
        and page.evaluate("document.activeElement.dataset.dial") == "completed"
    )
    assert in_view(page, ":focus"), "the transfer's buttons are below the fold"
    page.keyboard.press("Tab")  # Busy
    page.keyboard.press("Tab")  # No answer
    page.keyboard.press("Enter")
    phone.wait_for_state("Listening in agent_unavailable")
    assert page.evaluate(focused) == "1"
    page.keyboard.press("1")
    phone.wait_for_state("Recording")
    assert page.evaluate(focused) == "message"
    assert in_view(page, ":focus"), "the message box is below the fold"
    page.keyboard.type("请回电")
    page.keyboard.press("Enter")
    phone.wait_for_state("Call ended")
    assert page.evaluate(focused) == "call"
    page.keyboard.press("Enter")  # a new call at once
    phone.wait_for_state("Listening in main")
    page.fill("#speech", "账户被锁定了")
    page.press("#speech", "Enter")
    phone.wait_for_state("Listening in locked")
    assert page.evaluate(focused) == "speech"  # still listening for speech: type again
    assert phone.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_fit_puts_the_whole_diagram_inside_its_pane(make_phone, viewport):
    phone = make_phone(viewport=viewport)
    page = phone.page
    page.click("#zoom-in")
    assert page.get_attribute("#fit", "aria-pressed") == "false"
    page.click("#fit")
    pane = page.locator("#diagram").bounding_box()
    svg = page.locator("#diagram svg").bounding_box()
    assert svg["width"] > pane["width"] / 3 or svg["height"] > pane["height"] / 3
    assert pane["x"] <= svg["x"] and svg["x"] + svg["width"] <= pane["x"] + pane["width"]
    assert pane["y"] <= svg["y"] and svg["y"] + svg["height"] <= pane["y"] + pane["height"]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_notice_says_when_the_browser_has_no_voices(make_phone):
    phone = make_phone(init_script=NO_VOICES)
    note = phone.page.locator("#voice-note")
    note.wait_for(state="visible")
    assert "no speech voices" in note.text_content()


CLIPPED = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const clipped = [];
  for (const el of document.querySelectorAll(".phone label, .phone legend, button, a.button")) {
    if (el.offsetParent && el.scrollWidth > el.clientWidth) clipped.push(el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll(".phone input:not([type=checkbox])")) {
    const style = getComputedStyle(el);
    canvas.font = `${style.fontSize} ${style.fontFamily}`;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = el.value || el.placeholder;
    // A date's text is drawn by the browser: its fields must fit with room to spare.
    const need = el.type === "datetime-local"
      ? canvas.measureText("00/00/0000, 00:00 AM").width + 28
      : canvas.measureText(text).width;
    if (need > room) clipped.push(`${el.id}: ${text} needs ${need}, has ${room}`);
  }
  return clipped;
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_no_label_button_or_placeholder_is_clipped(make_phone, viewport):
    phone = make_phone(viewport=viewport)
    page = phone.page
    page.fill("#at", CLOSED)
    assert page.evaluate(CLIPPED) == []
    page.click("#call")
    page.keyboard.press("0")
    page.keyboard.press("1")
    phone.wait_for_state("Recording")
    assert page.evaluate(CLIPPED) == []


def test_placeholders_are_in_the_call_s_language(phone):
    page = phone.page
    call_at(phone)
    assert re.search(r"[\u4e00-\u9fff]", page.get_attribute("#speech", "placeholder"))
    page.keyboard.press("9")  # English
    phone.wait_for_state("Listening in main")
    phone.hear("For payment problems, press 1.")
    assert page.get_attribute("#speech", "placeholder") == "e.g. my account is locked"
    assert page.get_attribute("#speech", "lang") == "en-US"
    assert page.get_attribute("#message", "placeholder") == "Your message"


def test_a_reload_keeps_the_settings_the_transcript_and_the_call(make_phone):
    phone = make_phone()
    page = phone.page
    page.select_option("#lang", "en-US")
    page.check("#realtime")
    page.uncheck("#realtime")
    page.fill("#at", OPEN)
    page.click("#call")
    phone.wait_for_state("Listening in main")
    page.keyboard.press("1")
    phone.hear("For a failed payment, press 1.")
    phone.wait_for_state("Listening in payments")  # the whole step is in the transcript
    before = phone.plain
    page.reload()
    page.wait_for_selector("#diagram svg g.node")
    phone.wait_for_state("Listening in payments")
    assert page.input_value("#lang") == "en-US" and page.input_value("#at") == OPEN
    assert phone.plain == before
    page.keyboard.press("1")  # the same call goes on
    # ("pressed 1" is on the page already: wait for the second one, not for the text)
    page.wait_for_function(
        "() => document.getElementById('plain').textContent"
        ".split('[Caller] pressed 1').length - 1 === 2"
    )
    assert phone.plain[: len(before)] == before
    assert phone.plain.count("[Caller] pressed 1") == 2
    assert phone.errors == []


def test_the_server_root_leads_to_the_phone_and_the_readme_names_it(make_phone, server_url):
    page = make_phone().page
    page.goto(server_url + "/")
    assert page.url == f"{server_url}/simulator/"
    page.wait_for_selector("#call")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start") :].split("\n## ")[0]
    assert "http://127.0.0.1:5000/simulator" in quick_start


def test_real_time_runs_the_menu_timeout_with_a_countdown(make_phone):
    """In real time, nobody pressing anything sends silence when the timeout runs out."""
    phone = make_phone(init_script=NO_VOICES)
    page = phone.page
    page.check("#realtime")
    call_at(phone)
    countdown = page.locator("#countdown")
    countdown.wait_for(state="visible")
    assert re.fullmatch(r"No input: silence in [1-5] s", countdown.text_content())
    phone.hear("silence", timeout=15_000)
    phone.hear("抱歉，我们没有收到您的选择", timeout=15_000)
    phone.wait_for_state("Listening in main")
    countdown.wait_for(state="visible")  # and it runs again for the next try
    page.keyboard.press("1")
    phone.wait_for_state("Listening in payments")
    assert "[Caller] silence" in phone.plain and phone.plain.count("[Caller] silence") == 1


def test_the_diagram_sits_beside_the_phone_zooms_pans_and_marks_the_path(make_phone):
    phone = make_phone(viewport=DESKTOP)
    page = phone.page
    phone_box = page.locator(".phone").bounding_box()
    pane = page.locator(".diagram-pane").bounding_box()
    assert pane["x"] >= phone_box["x"] + phone_box["width"] and pane["y"] < 200
    call_at(phone)
    page.keyboard.press("1")
    phone.wait_for_state("Listening in payments")
    taken = page.eval_on_selector_all("#diagram path.taken", "ps => ps.map(p => p.dataset.id)")
    assert sorted(taken) == ["L_main_payments_0", "L_welcome_main_0"]
    width = page.locator("#diagram svg").bounding_box()["width"]
    page.click("#zoom-in")
    page.click("#zoom-in")
    assert page.locator("#diagram svg").bounding_box()["width"] > width * 1.5
    left = page.evaluate("document.getElementById('diagram').scrollLeft")
    box = page.locator("#diagram").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 120, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert page.evaluate("document.getElementById('diagram').scrollLeft") != left


def test_the_path_through_nodes_that_say_nothing_is_marked(make_phone):
    """Key 0 while the agents are open goes main -> agent -> agent_dial; agent says
    nothing, yet it is visited and both its edges are taken (the step names its route)."""
    phone = make_phone(viewport=DESKTOP)
    page = phone.page
    call_at(phone)
    page.keyboard.press("0")
    phone.wait_for_state("Transferring")
    taken = page.eval_on_selector_all("#diagram path.taken", "ps => ps.map(p => p.dataset.id)")
    assert sorted(re.sub(r"_\d+$", "", edge) for edge in taken) == [
        "L_agent_agent_dial",
        "L_main_agent",
        "L_welcome_main",
    ]
    visited = page.eval_on_selector_all(
        "#diagram g.node.visited", "gs => gs.map(g => g.dataset.node)"
    )
    assert sorted(visited) == ["agent", "agent_dial", "main", "welcome"]
    assert phone.current_node() == "agent_dial"


def test_a_click_on_a_node_calls_from_there(phone):
    page = phone.page
    page.fill("#at", OPEN)
    page.select_option("#lang", "en-US")
    page.click("#fit")
    page.locator("#diagram g.node[data-node='security']").click()
    phone.wait_for_state("Listening in security")
    first = page.locator("#transcript li.ev-say").first
    assert first.locator(".node").text_content() == "security"
    assert first.locator(".lang").text_content() == "en-US"
    assert phone.current_node() == "security"
    assert page.get_attribute("#export", "aria-disabled") == "true"  # not a scenario
    page.keyboard.press("1")
    phone.hear("pressed 1")
    assert phone.errors == []


def ivr_test(path, menus) -> tuple[int, str]:
    """Run `ivr test` on a scenario file against a menus file, as a developer would."""
    env = {**ENV, "IVR_ENV": "development", "IVR_MENUS": str(menus)}
    result = CliRunner(env=env).invoke(cli, ["test", str(path)])
    return result.exit_code, result.output


def _at_the_voicemail(phone) -> None:
    """Call after hours and choose the message: 0, then 1."""
    call_at(phone, CLOSED)
    phone.page.keyboard.press("0")
    phone.page.keyboard.press("1")
    phone.wait_for_state("Recording")


def _exported(phone, tmp_path) -> Path:
    """The call just made, exported as a scenario file."""
    with phone.page.expect_download() as download:
        phone.page.click("#export")
    scenario = tmp_path / "tests-calls" / "exported.yaml"
    scenario.parent.mkdir()
    download.value.save_as(scenario)
    return scenario


def test_a_message_ended_by_hanging_up_is_left_and_exports_as_such(phone, tmp_path):
    """Review: the phone could not play how most callers end a message."""
    page = phone.page
    _at_the_voicemail(phone)
    page.fill("#message", "请回电，我先挂了")
    page.click("#message-form button[data-hangup]")
    phone.wait_for_state("Call ended")
    assert "[Caller] recorded 请回电，我先挂了 (2 s)" in phone.plain
    assert phone.plain[-2:] == ["[Caller] hung up", "-- call ended: caller-hangup"]
    scenario = _exported(phone, tmp_path)
    assert "record_and_hang_up: 请回电，我先挂了" in scenario.read_text(encoding="utf-8")
    code, output = ivr_test(scenario, HOTLINE)
    assert code == 0, output
    assert phone.errors == []


def test_an_exported_call_is_a_scenario_that_fails_when_the_menu_changes(phone, tmp_path):
    page = phone.page
    _at_the_voicemail(phone)
    page.fill("#message", "请回电")
    page.press("#message", "Enter")
    phone.wait_for_state("Call ended")
    scenario = _exported(phone, tmp_path)
    code, output = ivr_test(scenario, HOTLINE)
    assert code == 0, output

    # Edit a sentence the call heard, as a menu designer would, and run the file again.
    text = HOTLINE.read_text(encoding="utf-8")
    (step, heard), *_ = [
        (s.number, s.value)
        for s in load_scenarios(scenario)[0].steps
        if s.kind == "expect" and len(s.value) > 8 and s.value in text
    ]
    changed = tmp_path / "menus.yaml"
    changed.write_text(text.replace(heard, "这句话改过了。"), encoding="utf-8")
    code, output = ivr_test(scenario, changed)
    assert code == 1
    assert f"step {step} (expect: {heard}): not heard; heard: " in output
    assert "这句话改过了。" in output.split(f"step {step} (expect:")[1]

    # Replay: the same inputs again, on a fresh call, from the button.
    page.click("#replay")
    phone.wait_for_state("Call ended: the menu hung up")
    assert phone.plain.count("[Caller] recorded 请回电 (1 s)") == 1
    assert phone.errors == []


# The hash of the words a README picture shows, kept in the picture itself (a PNG tEXt
# chunk): the words committed beside it (docs/phone-*.txt) are checked against the page,
# and the picture against those words, so a new .txt committed without its .png fails.
WORDS_KEY = "ivr-words-sha256"


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG as (type, whole chunk), in order, after the signature."""
    chunks: list[tuple[bytes, bytes]] = []
    pos = 8  # after the signature
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunks.append((kind, png[pos : pos + 12 + length]))  # length, type, data, CRC
        pos += 12 + length
    return chunks


def png_text(png: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG, keyword to text."""
    found: dict[str, str] = {}
    for kind, chunk in png_chunks(png):
        if kind == b"tEXt":
            key, _, value = chunk[8:-4].partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
    return found


def with_text(png: bytes, key: str, value: str) -> bytes:
    """The PNG with one tEXt chunk for key (any earlier one dropped), after the header."""
    data = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    text = struct.pack(">I", len(data)) + b"tEXt" + data
    text += struct.pack(">I", zlib.crc32(b"tEXt" + data))
    kept = [
        chunk
        for kind, chunk in png_chunks(png)
        if not (kind == b"tEXt" and chunk[8:].startswith(key.encode("latin-1") + b"\0"))
    ]
    return png[:8] + kept[0] + text + b"".join(kept[1:])  # IHDR is always first


def words_digest(words: str) -> str:
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def picture_is_current(picture: Path, words: str) -> bool:
    """True when the committed words are these and the picture was taken of them."""
    shown = picture.with_suffix(".txt")
    if not (picture.exists() and shown.exists()):
        return False
    taken_of = png_text(picture.read_bytes()).get(WORDS_KEY)
    return shown.read_text(encoding="utf-8") == words and taken_of == words_digest(words)


def test_a_picture_is_stale_when_only_its_words_were_committed(tmp_path):
    """Review: the check compared only the .txt, so a .txt committed alone passed."""
    png = (DOCS / "phone-desktop.png").read_bytes()
    picture = tmp_path / "phone.png"
    picture.write_bytes(with_text(png, WORDS_KEY, words_digest("old words\n")))
    picture.with_suffix(".txt").write_text("new words\n", encoding="utf-8")
    assert not picture_is_current(picture, "new words\n")  # the .txt alone was updated
    picture.write_bytes(with_text(png, WORDS_KEY, words_digest("new words\n")))
    assert picture_is_current(picture, "new words\n")
    assert not picture_is_current(picture, "other words\n")  # the page moved on
    assert png_text(picture.read_bytes())[WORDS_KEY] == words_digest("new words\n")


@pytest.mark.parametrize(
    ("viewport", "name"), [(DESKTOP, "phone-desktop.png"), (MOBILE, "phone-mobile.png")]
)
def test_readme_screenshots(make_phone, viewport, name):
    """Regenerate the README's pictures of the phone at a desktop and a phone width (issue
    #20: the browser tests keep them current; `make screenshots` runs only these)."""
    phone = make_phone(viewport=viewport)
    page = phone.page
    call_at(phone)
    page.keyboard.press("1")
    phone.wait_for_state("Listening in payments")
    assert "clock fixed at" in page.text_content("#clock-time")
    if viewport == DESKTOP:
        page.click("#transcript details.step[data-step='2'] > summary")  # one step explained
        page.wait_for_selector("#transcript details.step[data-step='2'] .step-body")
    else:
        # A phone's screen cannot hold the keypad and the transcript: show the transcript,
        # from its clock line, with the first step opened.
        page.click("#transcript details.step[data-step='1'] > summary")
        page.wait_for_selector("#transcript details.step[data-step='1'] .step-body")
        page.eval_on_selector("#transcript", "el => { el.scrollTop = 0; }")
        page.eval_on_selector(
            ".transcript-pane",
            "el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 12)",
        )
    page.evaluate("document.activeElement.blur()")
    assert phone.errors == []
    words = (
        "\n".join(page.inner_text(part).strip() for part in ("#clock-time", "#transcript")) + "\n"
    )
    picture = DOCS / name
    # Pixels differ a little from run to run, the words do not: a current picture is left
    # alone, so a test run leaves the checkout clean (review 9, #20 audit).
    if picture_is_current(picture, words):
        return
    png = page.screenshot()
    assert len(png) > 10_000
    DOCS.mkdir(exist_ok=True)
    picture.write_bytes(with_text(png, WORDS_KEY, words_digest(words)))
    picture.with_suffix(".txt").write_text(words, encoding="utf-8")
    pytest.fail(
        f"docs/{name} was stale: it and {picture.with_suffix('.txt').name} are "
        "written anew; commit both"
    )
