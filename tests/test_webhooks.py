"""The webhooks on the shipped hotline: TwiML per node type, keys, hours, bad input."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from flask import request
from twilio.request_validator import RequestValidator

from ivr.call.flow import MAX_DIGITS, MAX_SPEECH
from ivr.logs import JsonFormatter
from ivr.menu.hours import Schedule
from ivr.settings import Settings
from ivr.simulator import WsgiTransport
from ivr.web.bodies import MAX_BODY
from tests.conftest import (
    CLOSED_TIME,
    HOTLINE,
    OPEN_TIME,
    PROJECT_ROOT,
    TWILIO_VECTOR,
    spoken,
    twiml,
)
from tests.test_production import LONG_MANDARIN, TWILIO_FIELDS

CALL = {
    "CallSid": "CA" + "1" * 32,
    "AccountSid": "AC" + "2" * 32,
    "From": "+8613800138000",
    "To": "+8610555000100",
    "CallStatus": "in-progress",
    "Direction": "inbound",
    "ApiVersion": "2010-04-01",
}


def post(client, url, **fields):
    return client.post(url, data={**CALL, **fields})


def gather_of(root):
    (gather,) = root.findall("Gather")
    return gather


def action_of(root):
    return gather_of(root).get("action")


def press(client, root, digits):
    return twiml(post(client, action_of(root), Digits=digits))


def check_menu_document(root):
    """A menu answer is valid TwiML: only Say/Play/Pause in Gather, then a silence handler."""
    children = list(root)
    gather_at = [i for i, el in enumerate(children) if el.tag == "Gather"]
    assert len(gather_at) == 1
    gather = children[gather_at[0]]
    assert {el.tag for el in gather} <= {"Say", "Play", "Pause"}
    after = children[gather_at[0] + 1 :]
    assert after and after[0].tag == "Redirect", "nothing handles silence after <Gather>"
    assert after[0].text == gather.get("action")
    return gather


def test_new_call_gets_mandarin_welcome_and_main_menu(client):
    root = twiml(post(client, "/voice"))
    first = root[0]
    assert first.tag == "Say" and first.get("voice") == "Polly.Zhiyu"
    assert first.get("language") == "cmn-CN"
    assert "欢迎致电数字钱包客服" in first.text
    assert "密码或验证码" in first.text  # the anti-fraud warning comes first
    gather = check_menu_document(root)
    assert gather.get("numDigits") == "1" and gather.get("timeout") == "5"
    assert gather.get("input") == "dtmf speech" and gather.get("language") == "cmn-Hans-CN"
    assert "账户" in gather.get("hints")
    words = spoken(gather)
    for phrase in ("账户问题请按1", "支付与资金请按2", "人工服务请按0", "For English, press 9"):
        assert phrase in words
    english = [s for s in gather if "English" in (s.text or "")]
    assert english[0].get("voice") == "Polly.Joanna"  # announced in its own language


def test_option_leads_to_submenu_and_answer_returns_to_it(client):
    root = twiml(post(client, "/voice"))
    account = press(client, root, "1")
    check_menu_document(account)
    assert "account" in action_of(account) and "back=main" in action_of(account)
    answer = press(client, account, "1")
    assert "注册" in spoken(answer)
    check_menu_document(answer)
    assert "node=account" in action_of(answer)


@pytest.mark.parametrize(
    ("key", "node", "heard"),
    [
        ("*", "account", "账户问题"),  # repeat: the same menu, full prompt again
        ("#", "main", "账户问题请按1"),  # back to the previous menu
        ("9", "main", "账户问题请按1"),  # main menu
    ],
)
def test_global_keys(client, key, node, heard):
    account = press(client, twiml(post(client, "/voice")), "1")
    root = press(client, account, key)
    check_menu_document(root)
    assert f"node={node}&" in action_of(root)
    assert heard in spoken(root)


def test_agent_key_dials_the_agent_when_open(client, clock):
    clock.now = OPEN_TIME
    root = press(client, twiml(post(client, "/voice")), "0")
    (dial,) = root.findall("Dial")
    assert dial.find("Number").text == "+8610555000111"
    assert dial.get("timeout") == "30" and "node=agent_dial" in dial.get("action")
    assert "正在为您转接人工客服" in spoken(root)


def test_agent_key_after_hours_says_hours_and_next_opening(client, clock):
    clock.now = CLOSED_TIME
    root = press(client, twiml(post(client, "/voice")), "0")
    assert root.find("Dial") is None
    words = spoken(root)
    assert "每天上午8点至晚上8点" in words
    assert "我们将于明天上午8点恢复服务" in words
    assert "留言请按1" in words and "预约回电请按2" in words
    assert "node=after_hours" in action_of(root)


def test_holiday_hours_close_the_agent_line_earlier(client, clock):
    clock.now = OPEN_TIME.replace(month=10, day=1, hour=19)  # National Day, 19:00
    root = press(client, twiml(post(client, "/voice")), "0")
    assert root.find("Dial") is None and "法定节假日上午9点至下午6点" in spoken(root)


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_unanswered_agent_leads_to_voicemail(client, status):
    root = twiml(post(client, "/voice/dial?node=agent_dial&lang=zh-CN", DialCallStatus=status))
    (record,) = root.findall("Record")
    assert record.get("maxLength") == "120" and record.get("finishOnKey") == "#"
    assert "node=voicemail" in record.get("action")
    after = list(root)[list(root).index(record) + 1 :]
    assert after, "an empty recording must fall through to something"
    assert after[-1].tag in ("Redirect", "Hangup")


def test_completed_agent_call_says_goodbye(client):
    root = twiml(post(client, "/voice/dial?node=agent_dial&lang=zh-CN", DialCallStatus="completed"))
    assert root[-1].tag == "Hangup" and "再见" in spoken(root)


def test_recorded_voicemail_is_thanked_then_hangs_up(client):
    root = twiml(
        post(
            client,
            "/voice/record?node=voicemail&lang=zh-CN",
            RecordingUrl="https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1",
            RecordingSid="RE" + "3" * 32,
            RecordingDuration="7",
        )
    )
    assert root[-1].tag == "Hangup"
    assert "尽快" in spoken(root)


def test_stolen_account_goes_straight_to_the_24h_line_at_3am(client, clock):
    clock.now = OPEN_TIME.replace(hour=3)
    security = press(client, twiml(post(client, "/voice")), "3")
    root = press(client, security, "2")
    assert root.find("Dial/Number").text == "+8610555000999"


def test_switching_to_english_holds_for_the_rest_of_the_call(client):
    english = press(client, twiml(post(client, "/voice")), "9")
    assert "lang=en-US" in action_of(english)
    assert "For account questions, press 1" in spoken(english)
    account = press(client, english, "1")
    assert "lang=en-US" in action_of(account)
    assert all(s.get("language") == "en-US" for s in gather_of(account))
    chinese = press(client, press(client, account, "9"), "8")
    assert "lang=zh-CN" in action_of(chinese) and "账户问题请按1" in spoken(chinese)


def test_start_in_english_by_url(client):
    root = twiml(post(client, "/voice?lang=en-US"))
    assert "welcome to Digital Wallet support" in spoken(root)
    assert "lang=en-US" in action_of(root)


@pytest.mark.parametrize(
    ("speech", "node"),
    [("我的账户登录不了", "account"), ("充值没到账", "payments"), ("二", "payments")],
)
def test_speech_picks_an_option_by_keyword(client, speech, node):
    root = twiml(
        post(client, "/voice/gather?node=main&lang=zh-CN", SpeechResult=speech, Confidence="0.8")
    )
    assert f"node={node}&" in action_of(root)


def test_invalid_keys_until_on_max(client):
    root = twiml(post(client, "/voice"))
    for attempt in (1, 2):
        root = press(client, root, "7")
        assert "输入有误" in spoken(root)
        assert f"f={attempt}" in action_of(root)
    root = press(client, root, "7")  # the third: on_max is the agent, open at this time
    assert "看来您需要更多帮助" in spoken(root)
    assert root.find("Gather") is None and root.find("Dial/Number").text == "+8610555000111"


def test_silence_three_times_goes_on_max(client, clock):
    clock.now = CLOSED_TIME
    root = twiml(post(client, "/voice"))
    for attempt in (1, 2):
        redirect = root.find("Redirect").text
        root = twiml(post(client, redirect))
        assert "没有收到您的选择" in spoken(root) and f"t={attempt}" in action_of(root)
    root = twiml(post(client, root.find("Redirect").text))
    assert "node=after_hours" in action_of(root)  # on_max: agent, closed -> after hours
    for _ in range(3):
        root = twiml(post(client, root.find("Redirect").text))
    assert root[-1].tag == "Hangup"  # after_hours gives up politely: never trapped


def test_message_node_hangs_up_or_goes_on(client):
    root = twiml(post(client, "/voice/enter?node=goodbye&lang=en-US"))
    assert [el.tag for el in root] == ["Say", "Hangup"] and "Goodbye" in root[0].text


# -- bad input: always valid TwiML, never a 500 ---------------------------------------------

BAD_GATHERS = [
    {"Digits": "123456789" * 50},
    {"Digits": "ABC"},
    {"Digits": "１"},
    {"Digits": "\x00\x1b[31m"},
    {"Digits": "²"},
    {"SpeechResult": "\u202e<script>alert(1)</script>" * 20, "Confidence": "nan"},
    {"SpeechResult": "嗯嗯", "Confidence": "0.01"},
    {"SpeechResult": "", "Confidence": "abc"},
    {},
]


@pytest.mark.parametrize("fields", BAD_GATHERS)
def test_bad_gather_input_gets_a_reprompt(client, fields):
    root = twiml(client.post("/voice/gather?node=main&lang=zh-CN", data=fields))
    check_menu_document(root)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "node=nope&lang=zh-CN",
        "node=main&lang=xx-XX",
        "node=main&f=999&t=-1&back=a.b..c",
        "node=../../etc&lang=zh-CN",
        "node=goodbye&lang=zh-CN",
        "node=main&f=%C2%B2",
        "node=main&lang=zh-CN&back=" + ".".join(["account"] * 500),
    ],
)
def test_edited_state_in_the_url_routes_safely(client, query):
    root = twiml(client.post(f"/voice/gather?{query}", data={"Digits": "1"}))
    assert root.find("Gather") is not None or root.find("Hangup") is not None


@pytest.mark.parametrize(
    "path",
    [
        "/voice/dial?node=main",
        "/voice/record?node=account",
        "/voice/dial",
        "/voice/record",
        "/voice/enter?node=zzz",
    ],
)
def test_state_for_the_wrong_step_goes_to_the_main_menu(client, path):
    root = twiml(client.post(path, data={"DialCallStatus": "weird"}))
    assert "node=main&" in action_of(root)


def test_get_instead_of_post_still_works(client):
    root = twiml(client.get("/voice/gather?node=main&lang=zh-CN&Digits=1"))
    assert "node=account" in action_of(root)


@pytest.mark.expects_apology
def test_unexpected_exception_gets_an_apology_and_the_agent(client, app, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(app.extensions["ivr"].flow, "gather", boom)
    with caplog.at_level(logging.ERROR):
        response = post(client, "/voice/gather?node=main", Digits="1")
    root = twiml(response)
    assert "抱歉" in spoken(root) and root.find("Dial/Number").text == "+8610555000111"
    assert root[-1].tag == "Hangup"
    assert "database on fire" not in response.get_data(as_text=True)
    assert any(CALL["CallSid"] in r.getMessage() for r in caplog.records)


def test_one_structured_log_line_per_webhook(client, caplog):
    with caplog.at_level(logging.INFO, logger="ivr.web.webhooks"):
        post(client, "/voice/gather?node=main&lang=zh-CN", Digits="2")
    records = [r for r in caplog.records if r.name == "ivr.web.webhooks"]
    assert [r.levelno for r in records] == [logging.INFO]
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["level"] == "INFO" and line["logger"] == "ivr.web.webhooks"
    assert line["call_sid"] == CALL["CallSid"] and line["node"] == "payments"
    assert line["heard"] == "2" and "keys 2" in line["outcome"] and line["ms"] >= 0
    assert CALL["From"] not in json.dumps(line)  # caller numbers are never logged


def test_the_json_formatter_keeps_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "ivr", logging.ERROR, __file__, 1, "failed %s", ("x",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed x" and "ValueError: boom" in line["exception"]


def test_an_embedding_apps_hooks_see_twilios_requests(app):
    """Twilio's urlencoded POSTs go through Flask like any request: hooks see them."""
    seen = []
    app.before_request(lambda: seen.append(("before", request.path, request.form.get("Digits"))))
    app.after_request(lambda response: seen.append(("after", response.status_code)) or response)
    response = app.test_client().post(
        "/voice/gather?node=main&lang=zh-CN",
        data="CallSid=CA1&Digits=2",
        content_type="application/x-www-form-urlencoded",
    )
    assert twiml(response).find("Gather") is not None
    assert seen == [("before", "/voice/gather", "2"), ("after", 200)]


def test_the_nodes_passed_go_over_http_only_when_traced(make_app):
    fields = {"CallSid": "CA1", "Digits": "0"}
    traced = make_app(trace=True).test_client().post("/voice/gather?node=main", data=fields)
    assert traced.headers["X-IVR-Nodes"].split(",")[0] == "agent"
    app = make_app(trace=False)
    assert (
        "X-IVR-Nodes" not in app.test_client().post("/voice/gather?node=main", data=fields).headers
    )
    in_process = WsgiTransport(app, "http://localhost").request(  # reads the WSGI environ
        "POST", "/voice/gather?node=main", fields, {}
    )
    assert "X-IVR-Nodes" not in in_process.headers and in_process.nodes[0] == "agent"


def test_why_goes_over_http_when_traced_and_never_in_production(make_app, clock):
    """X-IVR-Decision: the flow's own reason and whose words each <Say> is. It carries what
    a caller said, so production never sends it, IVR_TRACE=1 or not."""
    clock.now = CLOSED_TIME
    fields = {"CallSid": "CA1", "Digits": "0"}
    traced = make_app(trace=True).test_client().post("/voice/gather?node=main", data=fields)
    decision = json.loads(traced.headers["X-IVR-Decision"])
    assert decision["why"] == "keys 0 -> agent => agent [hours: closed] -> after_hours"
    assert decision["route"] == ["agent [hours: closed]", "after_hours"]
    says = twiml(traced).iter("Say")
    assert decision["speakers"] == [
        "agent" if "服务时间" in (s.text or "") else "after_hours" for s in says
    ]
    production = make_app(
        production=True, auth_token="t", trace=True, public_base_url="https://ivr.example.com"
    )
    assert production.extensions["ivr"].settings.trace  # X-IVR-Nodes would go...
    validator = RequestValidator("t")
    url = "https://ivr.example.com/voice/gather?node=main"
    signed = {"X-Twilio-Signature": validator.compute_signature(url, fields)}
    answer = production.test_client().post(url, data=fields, headers=signed)
    assert answer.status_code == 200 and "X-IVR-Nodes" in answer.headers
    assert "X-IVR-Decision" not in answer.headers  # ...but never the caller's words


def test_the_decision_names_the_phrase_speech_matched(make_app):
    fields = {"CallSid": "CA1", "SpeechResult": "我的银行卡被盗刷了", "Confidence": "0.9"}
    client = make_app(HOTLINE, trace=True).test_client()
    traced = client.post("/voice/gather?node=main", data=fields)
    decision = json.loads(traced.headers["X-IVR-Decision"])  # ASCII JSON: any words fit
    assert decision["heard"] == "我的银行卡被盗刷了" and decision["match"]["node"] == "stolen"
    assert decision["match"]["phrase"] and 0 < decision["match"]["score"] <= 1
    assert decision["why"].startswith("heard '我的银行卡被盗刷了' -> phrase ")


def test_trace_is_on_in_development_or_when_asked():
    assert Settings.from_env({"IVR_ENV": "development"}).trace
    assert not Settings.from_env({"IVR_ENV": "production", "TWILIO_AUTH_TOKEN": "t"}).trace
    assert Settings.from_env(
        {"IVR_ENV": "production", "TWILIO_AUTH_TOKEN": "t", "IVR_TRACE": "1"}
    ).trace


def test_the_log_line_follows_the_loggers_level(client, caplog):
    logger = logging.getLogger("ivr.web.webhooks")
    # The logger's own level, not caplog's handler's: that one would hide the line anyway.
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        post(client, "/voice/gather?node=main&lang=zh-CN", Digits="2")
    finally:
        logger.setLevel(level)
    assert caplog.handler.level == logging.NOTSET
    assert [r for r in caplog.records if r.name == "ivr.web.webhooks"] == []


def test_status_callback_and_health(client):
    root = twiml(post(client, "/voice/status", CallStatus="completed", CallDuration="42"))
    assert list(root) == []
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"


def test_fallback_answers_with_prebuilt_apology(client, caplog):
    with caplog.at_level(logging.ERROR):
        root = twiml(
            post(client, "/voice/fallback", ErrorCode="11200", ErrorUrl="https://example.com/voice")
        )
    assert root.find("Dial/Number").text == "+8610555000111"
    assert any(getattr(r, "fields", {}).get("error_code") == "11200" for r in caplog.records)


def _says(root):
    """Each <Say> of a document in order: (language, words)."""
    return [(say.get("language"), say.text) for say in root.iter("Say")]


def test_fallback_while_agents_are_open_apologises_and_transfers_in_both_languages(client):
    """F14: whole sentences in both languages before and after the transfer."""
    root = twiml(post(client, "/voice/fallback", ErrorCode="11200"))
    assert [child.tag for child in root] == ["Say", "Say", "Dial", "Say", "Say", "Hangup"]
    assert _says(root) == [
        ("cmn-CN", "抱歉，系统暂时出现问题。正在为您转接人工服务，请稍候。"),
        ("en-US", "Sorry, something went wrong on our side. We are connecting you to an agent."),
        # Review: after a talk with the agent, not a bare "call again later".
        ("cmn-CN", "如果未能为您接通，请您稍后再拨。再见。"),
        ("en-US", "If we could not connect you, please call again later. Goodbye."),
    ]
    assert root.find("Dial/Number").text == "+8610555000111"


def test_fallback_while_agents_are_closed_says_the_hours_and_dials_no_one(client, clock):
    """F14: after hours a transfer would ring an empty line: the hours instead, then goodbye."""
    clock.now = CLOSED_TIME
    root = twiml(post(client, "/voice/fallback", ErrorCode="11205"))
    assert root.find(".//Dial") is None and root.find(".//Record") is None
    assert [child.tag for child in root] == ["Say", "Say", "Hangup"]
    (zh_lang, zh), (en_lang, en) = _says(root)
    assert (zh_lang, en_lang) == ("cmn-CN", "en-US")
    assert zh.startswith("抱歉，系统暂时出现问题。现在是非人工服务时间")
    assert "每天上午8点至晚上8点" in zh and zh.endswith("再见。")
    assert en.startswith("Sorry, something went wrong on our side. Our agents are not available")
    assert "every day from 8 AM to 8 PM" in en and en.endswith("Goodbye.")
    assert ".O" not in en and ".W" not in en  # every sentence followed by a space


def test_fallback_needs_no_database_and_survives_broken_hours(app, client, monkeypatch):
    """The fallback answers when the main path is broken: no records, not even the hours."""
    service = app.extensions["ivr"]

    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(type(service.recorder), "write", broken)
    monkeypatch.setattr(Schedule, "is_open", broken)
    root = twiml(post(client, "/voice/fallback", ErrorCode="11200"))
    assert root.find("Dial/Number").text == "+8610555000111"  # a transfer: the safer guess


# -- signatures ------------------------------------------------------------------------------

TOKEN = "test-auth-token-0123456789abcdef"


@pytest.fixture
def signed_app(make_app):
    return make_app(auth_token=TOKEN)


def sign(url, params):
    return RequestValidator(TOKEN).compute_signature(url, params)


def test_signed_request_is_accepted(signed_app):
    url = "http://localhost/voice"
    response = signed_app.test_client().post(
        url, data=CALL, headers={"X-Twilio-Signature": sign(url, CALL)}
    )
    assert "欢迎" in spoken(twiml(response))


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Twilio-Signature": "forged"}, {"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="}],
)
def test_missing_or_forged_signature_is_403_without_twiml(signed_app, headers):
    response = signed_app.test_client().post("/voice", data=CALL, headers=headers)
    assert response.status_code == 403
    assert b"<Response" not in response.get_data()


def test_signature_over_tampered_fields_is_rejected(signed_app):
    url = "http://localhost/voice/gather?node=main&lang=zh-CN"
    signature = sign(url, {**CALL, "Digits": "1"})
    response = signed_app.test_client().post(
        url, data={**CALL, "Digits": "0"}, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


def test_signature_checks_the_public_url_behind_a_proxy(signed_app):
    public = "https://ivr.example.com/voice"
    response = signed_app.test_client().post(
        "/voice",
        data=CALL,
        headers={
            "X-Twilio-Signature": sign(public, CALL),
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "ivr.example.com",
        },
    )
    assert response.status_code == 200


def test_signature_checks_public_base_url(make_app):
    app = make_app(auth_token=TOKEN, public_base_url="https://ivr.example.com")
    url = "https://ivr.example.com/voice/gather?node=main&lang=zh-CN"
    fields = {**CALL, "Digits": "1"}
    response = app.test_client().post(
        "/voice/gather?node=main&lang=zh-CN",
        data=fields,
        headers={"X-Twilio-Signature": sign(url, fields)},
    )
    assert response.status_code == 200


# A signature Twilio made for another host (another deployment on the same account).
FORGED = [
    {"Host": "other.example"},
    {"X-Forwarded-Host": "other.example"},
    {"X-Forwarded-Host": "other.example", "X-Forwarded-Proto": "http"},
]


@pytest.mark.parametrize("headers", FORGED)
def test_production_checks_public_base_url_whatever_host_is_claimed(make_app, headers):
    app = make_app(auth_token=TOKEN, production=True, public_base_url="https://ivr.example.com")
    client = app.test_client()
    forged = client.post(
        "/voice",
        data=CALL,
        headers={"X-Twilio-Signature": sign("http://other.example/voice", CALL), **headers},
    )
    assert forged.status_code == 403
    ours = client.post(
        "/voice",
        data=CALL,
        headers={"X-Twilio-Signature": sign("https://ivr.example.com/voice", CALL), **headers},
    )
    assert twiml(ours).find("Gather") is not None


@pytest.mark.parametrize("headers", FORGED)
def test_production_believes_forwarded_headers_only_from_trusted_proxies(make_app, headers):
    """No PUBLIC_BASE_URL: the URL comes from a proxy in FORWARDED_ALLOW_IPS, else nowhere."""
    app = make_app(auth_token=TOKEN, production=True, forwarded_allow_ips=("10.0.0.7",))
    signature = {"X-Twilio-Signature": sign("http://other.example/voice", CALL)}
    stranger = app.test_client()  # werkzeug's REMOTE_ADDR, 127.0.0.1: not in the list
    assert stranger.post("/voice", data=CALL, headers={**signature, **headers}).status_code == 403
    public = {
        "X-Forwarded-Host": "ivr.example.com",
        "X-Forwarded-Proto": "https",
        "X-Twilio-Signature": sign("https://ivr.example.com/voice", CALL),
    }
    proxy = {"REMOTE_ADDR": "10.0.0.7"}
    trusted = stranger.post("/voice", data=CALL, headers=public, environ_base=proxy)
    assert twiml(trusted).find("Gather") is not None
    assert stranger.post("/voice", data=CALL, headers=public).status_code == 403


def test_development_ignores_forwarded_headers_from_strangers(make_app):
    app = make_app(auth_token=TOKEN, forwarded_allow_ips=("10.0.0.7",))
    headers = {
        "X-Forwarded-Host": "ivr.example.com",
        "X-Twilio-Signature": sign("http://ivr.example.com/voice", CALL),
    }
    assert app.test_client().post("/voice", data=CALL, headers=headers).status_code == 403


def test_signed_get_request(signed_app):
    url = "http://localhost/voice/gather?node=main&lang=zh-CN&Digits=2"
    response = signed_app.test_client().get(url, headers={"X-Twilio-Signature": sign(url, {})})
    assert "node=payments" in action_of(twiml(response))


def test_health_needs_no_signature(signed_app):
    assert signed_app.test_client().get("/healthz").status_code == 200


def test_twilio_published_signature_vector():
    """The validator we rely on agrees with twilio-python's published test vector."""
    url, params, signature = TWILIO_VECTOR
    assert RequestValidator("12345").compute_signature(url, params) == signature


def test_oversized_body_is_413(client):
    response = client.post("/voice/gather?node=main", data={"Digits": "1" * 200_000})
    assert response.status_code == 413


def _ten_thousand(text: str) -> str:
    """A SpeechResult of exactly 10,000 characters made of `text` repeated."""
    return (text * (10_000 // len(text) + 1))[:10_000]


def _signed_speech(app, speech: str):
    """POST a spoken answer at the main menu with all of Twilio's fields, signed."""
    url = "http://localhost/voice/gather?node=main&lang=zh-CN&s=1"
    fields = {**TWILIO_FIELDS, "CallSid": CALL["CallSid"], "SpeechResult": speech}
    return app.test_client().post(
        url, data=fields, headers={"X-Twilio-Signature": sign(url, fields)}
    )


@pytest.mark.parametrize(
    "speech",
    [
        "",
        _ten_thousand("a"),
        LONG_MANDARIN,  # about 90 KB once URL-encoded: was 413 text/html
        _ten_thousand("😀"),  # 4-byte characters: 120 KB, the most 10,000 characters take
        _ten_thousand("嗯😀😀 hello? <Say>&amp;</Say> 今天"),
        _ten_thousand("<Response><Hangup/></Response>"),
    ],
    ids=["empty", "ascii", "mandarin", "emoji", "mixed", "markup"],
)
def test_a_signed_speech_result_of_any_size_twilio_sends_gets_the_re_prompt(make_app, speech):
    """F15: 200 and the menu again, whatever the caller said, up to 10,000 characters."""
    root = twiml(_signed_speech(make_app(HOTLINE, auth_token=TOKEN), speech))
    (gather,) = root.findall("Gather")
    assert gather.get("action").startswith("/voice/gather?node=main")
    words = spoken(root)
    assert words.startswith(("抱歉，我没有听明白。", "抱歉，我们没有收到您的选择。")), words
    assert "支付或到账问题请按1" in words
    assert root.find(".//Hangup") is None and root.find(".//Dial") is None


def test_a_10000_character_request_for_an_agent_is_understood(make_app):
    """The reviewer's repro: "我要转人工" 2,000 times is a request for an agent, not a 413."""
    root = twiml(_signed_speech(make_app(HOTLINE, auth_token=TOKEN), "我要转人工" * 2000))
    assert spoken(root).startswith("正在为您转接人工客服")


def test_a_body_just_over_the_limit_is_413_and_one_at_the_limit_is_not(client):
    """The limit is MAX_BODY, whatever fields make up the body."""
    at_limit = "SpeechResult=" + "a" * (MAX_BODY - len("SpeechResult="))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    url = "/voice/gather?node=main&lang=zh-CN&s=1"
    assert client.post(url, data=at_limit, headers=headers).status_code == 200
    assert client.post(url, data=at_limit + "a", headers=headers).status_code == 413


def test_the_readme_states_the_speech_limit_the_code_uses():
    """One source: the README's figure is flow.MAX_SPEECH's."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`SpeechResult` (cut at {MAX_SPEECH}\n  characters" in readme
    assert f"`Digits` (cut at {MAX_DIGITS} keys)" in readme
    assert f"over {MAX_BODY:,} bytes get 413" in readme


def test_a_lifted_body_limit_still_reads_the_body(client, app):
    app.config["MAX_CONTENT_LENGTH"] = None  # an app embedding ours may lift the limit
    response = post(client, "/voice/gather?node=main&lang=zh-CN", Digits="2")
    assert twiml(response).find("Gather").get("action").startswith("/voice/gather?node=payments")


@pytest.mark.parametrize("value", ["9" * 23, "１２", "-5", "3.5", ""])
def test_odd_durations_never_reach_the_database(client, app, value):
    """A huge or odd RecordingDuration / CallDuration is dropped before SQL, not spooled."""
    recorded = post(
        client,
        "/voice/record?node=voicemail&lang=zh-CN&s=4",
        RecordingUrl="https://api.twilio.com/RE9",
        RecordingSid="RE9",
        RecordingDuration=value,
    )
    assert recorded.status_code == 200
    ended = post(client, "/voice/status", CallStatus="completed", CallDuration=value)
    assert ended.status_code == 200
    recorder = app.extensions["ivr"].recorder
    assert recorder.status == "ok" and not recorder.spool.pending()
    assert not (recorder.spool.directory / "rejected.jsonl").exists()  # nothing was refused


def test_the_fallbacks_fields_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.ERROR):
        post(
            client,
            "/voice/fallback",
            ErrorCode='11200\n{"level": "INFO"}',
            ErrorUrl="https://x/voice\nforged line",
        )
    (record,) = [r for r in caplog.records if r.getMessage() == "fallback requested"]
    line = JsonFormatter().format(record)
    assert "\n" not in line and json.loads(line)["error_url"] == "https://x/voice\nforged line"
