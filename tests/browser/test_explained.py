"""The browser phone tells the time and explains each step (#19 points 4-5, #20 point 4):
the menu's clock and hours on the screen before and during a call, a <details> per step
with the request, the caller's action, the flow's reason, the <Gather>'s settings, the
request's fields and the TwiML; and a diagram readable at the call's node."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from tests.browser.test_phone_page import CLOSED, OPEN
from tests.browser.test_workbench import DESKTOP, MOBILE, call_at
from tests.conftest import HOTLINE, env_for

pytestmark = pytest.mark.slow
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
CLOSED_CLOCK = "Mon 2026-11-23 21:00 Asia/Shanghai (+08:00)"
CLOSED_HOURS = "agents: closed, opens 08:00 Tue · security: open, around the clock"


def clock_text(page) -> tuple[str, str]:
    return page.text_content("#clock-time"), page.text_content("#clock-hours")


def wait_for_clock(page, text: str) -> None:
    page.wait_for_function(
        "t => document.getElementById('clock-time').textContent.includes(t)", arg=text
    )


def api(page, url: str) -> dict:
    """GET the phone's API as the page does (same origin, same cookies)."""
    response = page.request.get(url)
    assert response.ok, response.text()
    return response.json()


def open_step(page, n: int):
    """Open step n's <details> from the keyboard (focus its summary, press Enter)."""
    summary = page.locator(f"#transcript details.step[data-step='{n}'] > summary")
    summary.focus()
    page.keyboard.press("Enter")
    step = page.locator(f"#transcript details.step[data-step='{n}']")
    assert step.get_attribute("open") is not None
    return step


def facts(step) -> dict[str, str]:
    """The step's explained facts, label -> text (the last of a repeated label)."""
    pairs = step.locator("dl.facts").evaluate(
        "dl => [...dl.querySelectorAll('dt')].map(dt => [dt.textContent,"
        " dt.nextElementSibling.textContent])"
    )
    return dict(pairs)


def test_the_clock_shows_before_a_call_and_says_what_the_picker_fixed(phone, server_url):
    page = phone.page
    wait_for_clock(page, "the server's clock")  # on load, with no time chosen
    time, hours = clock_text(page)
    assert "Asia/Shanghai (+08:00), the server's clock" in time
    assert hours.startswith("agents: ") and " · security: open, around the clock" in hours

    page.fill("#at", CLOSED)
    wait_for_clock(page, "clock fixed at")
    assert clock_text(page) == (
        f"{CLOSED_CLOCK}, clock fixed at 2026-11-23T21:00:00+08:00",
        CLOSED_HOURS,
    )
    # The words are the server's verdicts (ivr.menu.hours.verdict), not the page's.
    (agents, security) = api(page, f"{server_url}/simulator/api/clock?at={CLOSED}")["verdicts"]
    assert clock_text(page)[1] == f"agents: {agents['text']} · security: {security['text']}"

    page.click("#presets button[data-at$='T10:00']")  # a quick time: open
    wait_for_clock(page, "T10:00:00+08:00")
    assert clock_text(page)[1].startswith("agents: open until 20:00")
    page.click("#presets button[data-at='']")  # back to the server's clock
    wait_for_clock(page, "the server's clock")
    assert phone.errors == []


def test_the_call_starts_with_its_clock_and_keeps_it_on_the_screen(phone):
    page = phone.page
    call_at(phone, CLOSED)
    first = page.locator("#transcript li").first
    assert first.get_attribute("class") == "ev ev-clock"
    assert first.locator(".ev-text").text_content().startswith(CLOSED_CLOCK)
    assert first.locator(".ev-line").text_content() == CLOSED_HOURS
    assert clock_text(page)[1] == CLOSED_HOURS
    page.evaluate(
        "() => { document.getElementById('clock-time').textContent = '';"
        " document.getElementById('clock-hours').textContent = ''; }"
    )
    page.click("#clock-check")  # on demand, during the call: the call's own clock
    wait_for_clock(page, "clock fixed at 2026-11-23T21:00:00+08:00")
    assert clock_text(page)[1] == CLOSED_HOURS
    page.keyboard.press("0")
    phone.hear("现在是非人工服务时间")
    assert page.locator("#transcript li.ev-clock").count() == 1  # once, at the start
    assert phone.errors == []


def test_each_step_opens_to_explain_what_happened_and_why(phone, server_url):
    page = phone.page
    call_at(phone, CLOSED)
    page.keyboard.press("0")
    phone.wait_for_state("Listening in after_hours")
    summaries = page.locator("#transcript details.step > summary").all_text_contents()
    assert summaries[0] == "Step 1start => welcome -> main"
    assert summaries[1] == "Step 2keys 0 -> 0 => agent [hours: closed] -> after_hours"
    assert page.locator("#transcript pre, #transcript dl").count() == 0  # closed: no body

    step = open_step(page, 2)
    shown = facts(step)
    assert shown["Request"].startswith("POST http://")
    assert "/voice/gather?node=main" in shown["Request"] and " Digits=0 -> 200 " in shown["Request"]
    assert shown["Caller"] == "pressed 0"
    assert shown["Why"] == "keys 0 -> 0 => agent [hours: closed] -> after_hours"
    assert shown["Spoken by"] == "agent, after_hours"
    # after_hours listens too: a caller may ask for a message or a callback in words
    assert shown["Gather"].startswith(
        "input dtmf speech, timeout 5s, numDigits 1, finishOnKey none"
    )

    # The same words as the API's decision: the page phrases nothing itself.
    call_id = json.loads(page.evaluate("sessionStorage.getItem('ivr-simulator-call')"))["id"]
    snapshot = api(page, f"{server_url}/simulator/api/calls/{call_id}")
    (two,) = [s for s in snapshot["steps"] if s["n"] == 2]
    assert shown["Why"] == two["decision"]["why"] and shown["Request"] == two["request"]

    first = open_step(page, 1)
    gather = facts(first)
    assert gather["Gather"].startswith("input dtmf speech, timeout 5s, numDigits 1")
    first.locator("details.raw > summary", has_text="All hints").click()
    hints = snapshot["steps"][0]["twiml"].split('hints="')[1].split('"')[0]
    assert first.locator("p.hints").text_content() == hints
    assert "Caller" not in gather  # the call rang: nobody had done anything yet

    # On demand: the request's every field and the TwiML as sent.
    first.locator("details.raw > summary", has_text="Request fields").click()
    fields = first.locator("dl.params").evaluate(
        "dl => Object.fromEntries([...dl.querySelectorAll('dt')].map(dt =>"
        " [dt.textContent, dt.nextElementSibling.textContent]))"
    )
    assert fields["CallStatus"] == "ringing" and fields["From"] == "+8613800138000"
    step.locator("details.raw > summary", has_text="TwiML").click()
    twiml = ET.fromstring(step.locator("pre.twiml").text_content())
    assert twiml.tag == "Response"
    assert twiml.find("Gather").get("action").startswith("/voice/gather?node=after_hours")
    assert phone.errors == []


def test_speech_steps_name_the_phrase_as_ivr_simulate_v_does(phone, tmp_path):
    """heard '…' -> phrase '…' of node X (score …, runner-up Y), word for word the CLI's."""
    page = phone.page
    call_at(phone, OPEN)
    page.fill("#speech", "账户被锁定了")
    page.press("#speech", "Enter")
    phone.wait_for_state("Listening in locked")
    why = facts(open_step(page, 2))["Why"]
    assert why.startswith("heard '账户被锁定了' -> phrase '账户被锁定' of node locked (score ")
    assert ", runner-up " in why

    env = {**env_for(tmp_path), "IVR_ENV": "development", "IVR_MENUS": str(HOTLINE)}
    result = CliRunner(env=env).invoke(
        cli, ["simulate", "-v", "--input", "say:账户被锁定了", "--at", f"{OPEN}:00+08:00"]
    )
    assert result.exit_code == 0, result.output
    printed = [line[7:] for line in result.stdout.splitlines() if line.startswith("  why: ")]
    assert page.locator("#transcript .step-why").all_text_contents() == printed
    assert why == printed[1]
    assert phone.errors == []


def test_what_a_caller_says_is_shown_as_text_never_as_markup(phone):
    """Server strings go in with textContent: words that look like HTML stay words."""
    page = phone.page
    call_at(phone, OPEN)
    words = "<img src=x onerror=window.hacked=1><b>bold</b>"
    page.fill("#speech", words)
    page.press("#speech", "Enter")
    phone.hear(f"said {words}")
    step = open_step(page, 2)
    assert words in facts(step)["Why"]
    step.locator("details.raw > summary", has_text="Request fields").click()
    assert words in step.locator("dl.params").text_content()
    assert page.locator("#transcript img, #transcript b").count() == 0
    assert page.evaluate("window.hacked") is None
    assert phone.errors == []


@SIZES
def test_opened_steps_stay_readable_at_both_sizes(make_phone, viewport):
    phone = make_phone(viewport=viewport)
    page = phone.page
    call_at(phone, CLOSED)
    page.keyboard.press("0")
    phone.wait_for_state("Listening in after_hours")
    for n in (1, 2):
        step = open_step(page, n)
        for name in ("All hints", "Request fields", "TwiML")[n - 1 :]:
            step.locator("details.raw > summary", has_text=name).click()
    clipped = page.evaluate("""() => [...document.querySelectorAll(
            '#transcript summary, #transcript dt, #transcript dd, #transcript p, #clock p')]
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(el => el.outerHTML.slice(0, 80))""")
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator("pre.twiml").first.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert phone.errors == []


READABLE = """() => {
  const pane = document.getElementById('diagram').getBoundingClientRect();
  const node = document.querySelector('#diagram g.node.current');
  const label = node.querySelector('.nodeLabel') || node.querySelector('text');
  const svg = document.querySelector('#diagram svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const box = label.getBoundingClientRect();
  return {
    font: parseFloat(getComputedStyle(label).fontSize) * scale,
    height: box.height,
    inside: box.left >= pane.left && box.right <= pane.right
      && box.top >= pane.top && box.bottom <= pane.bottom,
  };
}"""


@SIZES
def test_the_diagram_shows_the_call_s_node_at_a_readable_size(make_phone, viewport):
    """Follow (the default) keeps the current node in view with its label at 10 px or
    more; Fit still shows the whole menu; Follow brings the readable view back."""
    phone = make_phone(viewport=viewport)
    page = phone.page
    assert page.get_attribute("#follow", "aria-pressed") == "true"
    call_at(phone, OPEN)
    page.keyboard.press("1")
    phone.wait_for_state("Listening in payments")
    assert phone.current_node() == "payments"
    seen = page.evaluate(READABLE)
    assert seen["font"] >= 10 and seen["height"] >= 10 and seen["inside"], seen
    page.click("#fit")
    assert page.get_attribute("#follow", "aria-pressed") == "false"
    pane = page.locator("#diagram").bounding_box()
    svg = page.locator("#diagram svg").bounding_box()
    assert svg["width"] <= pane["width"] and svg["height"] <= pane["height"]
    page.click("#follow")
    seen = page.evaluate(READABLE)
    assert seen["font"] >= 10 and seen["inside"], seen
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert phone.errors == []


def test_a_reload_keeps_the_clock_and_the_steps(phone):
    page = phone.page
    call_at(phone, CLOSED)
    page.keyboard.press("0")
    phone.wait_for_state("Listening in after_hours")
    before = page.locator("#transcript details.step > summary").all_text_contents()
    page.reload()
    page.wait_for_selector("#diagram svg g.node")
    phone.wait_for_state("Listening in after_hours")
    assert page.locator("#transcript details.step > summary").all_text_contents() == before
    assert page.locator("#transcript li.ev-clock").count() == 1
    assert clock_text(page)[1] == CLOSED_HOURS
    assert facts(open_step(page, 2))["Caller"] == "pressed 0"
    assert phone.errors == []
