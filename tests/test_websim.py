"""The web simulator's JSON API and its guards, through Flask's test client (no browser)."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from flask import Response as FlaskResponse

from ivr.settings import Settings
from ivr.simulator import WsgiTransport
from ivr.simulator.live import ENDINGS, CallOptions, LiveCall
from ivr.web import phone as websim
from ivr.web.app import create_app
from tests.conftest import ENV, SHIPPED

API = "/simulator/api"
TOKEN = "test-auth-token"


@pytest.fixture
def make_sim_app(tmp_path: Path):
    """Build the app on the shipped menu with the simulator registered; close it after."""
    apps: list[Flask] = []

    def make(
        *,
        production: bool = False,
        auth_token: str | None = None,
        max_sessions: int = websim.MAX_SESSIONS,
        idle_expiry: float = websim.IDLE_EXPIRY,
        **env: str,
    ) -> Flask:
        env = {
            **ENV,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ivr.sqlite3'}",
            "IVR_SPOOL_DIR": str(tmp_path / "spool"),
            "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
            **env,
        }
        app = create_app(
            Settings.from_env(
                env,
                menus_path=SHIPPED,
                production=production,
                auth_token=auth_token,
                public_base_url="http://127.0.0.1:5000" if production else None,
            )
        )
        if "simulator" not in app.blueprints:  # until create_app registers it itself
            websim.register(app, create_app, max_sessions=max_sessions, idle_expiry=idle_expiry)
        else:
            sim = app.extensions["ivr.web.phone"]
            sim.max_sessions, sim.idle_expiry = max_sessions, idle_expiry
        apps.append(app)
        return app

    yield make
    for app in apps:
        if "ivr.web.phone" in app.extensions:
            app.extensions["ivr.web.phone"].close()
        app.extensions["ivr"].recorder.close()


@pytest.fixture
def client(make_sim_app):
    return make_sim_app().test_client()


def place(client, **settings):
    response = client.post(f"{API}/calls", json=settings)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def act(client, call, **action):
    return client.post(f"{API}/calls/{call['id']}/actions", json=action)


def lines(snapshot) -> list[str]:
    return [event["line"] for event in snapshot["events"]]


def websim_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("live-call-")]


def wait_until(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


# -- calls -------------------------------------------------------------------------------------


def test_a_call_waits_at_the_main_menu_with_its_transcript(client):
    """Placing a call answers once the call waits, with every verb played so far."""
    call = place(client, at="2026-11-23T10:00")
    assert call["state"] == "waiting"
    assert call["waiting"] == {
        "kind": "gather",
        "input": ["dtmf", "speech"],
        "num_digits": 1,
        "finish_on_key": "",
        "timeout": 5,
        "language": "cmn-Hans-CN",
        "node": "main",
    }
    first = call["events"][0]
    assert first["verb"] == "Say" and first["who"] == "app"
    assert first["language"] == "cmn-CN" and first["voice"] == "Polly.Zhiyu"
    assert first["nodes"] == ["welcome", "main"] and first["problems"] == []
    assert first["line"].startswith("[Say cmn-CN Polly.Zhiyu] 您好")
    assert call["next"] == len(call["events"]) and call["node"] == "main"
    assert call["call"] == {
        "from": websim.DEFAULT_FROM,
        "lang": None,
        "at": "2026-11-23T10:00:00+08:00",
    }


def test_keys_move_the_call_and_only_new_events_come_back(client):
    """An action returns the events after `since`, numbered on from there."""
    call = place(client, at="2026-11-23T10:00")
    after = act(client, call, type="keys", keys="1", since=call["next"]).get_json()
    assert after["events"][0]["n"] == call["next"]
    assert lines(after)[0] == "[Caller] pressed 1"
    assert after["node"] == "account"
    again = act(client, after, type="keys", keys="1", since=after["next"]).get_json()
    assert any("注册很简单" in event["text"] for event in again["events"])
    polled = client.get(f"{API}/calls/{call['id']}?since=0").get_json()
    assert len(polled["events"]) == again["next"]


def test_after_hours_voicemail_end_to_end(client):
    """At 21:00: 0, 1, a message, thanks, and the call ends with the menu's hang-up."""
    call = place(client, at="2026-11-23T21:00", lang="zh-CN", **{"from": "+8613911112222"})
    call = act(client, call, type="keys", keys="0").get_json()
    assert "现在是非人工服务时间" in " ".join(lines(call))
    call = act(client, call, type="keys", keys="1").get_json()
    assert call["waiting"]["kind"] == "record" and call["node"] == "voicemail"
    call = act(client, call, type="message", text="请回电", since=0).get_json()
    assert call["state"] == "ended"
    assert call["ended"] == {"reason": "hangup", "text": ENDINGS["hangup"], "ok": True}
    assert "感谢您的留言" in " ".join(lines(call))
    assert lines(call)[-1] == "-- call ended: hangup"
    assert call["call"]["from"] == "+8613911112222"


def test_dial_outcome_and_speech(client):
    """Transfer outcomes and spoken words reach the call as the terminal phone's would."""
    call = place(client, at="2026-11-23T10:00")
    said = act(client, call, type="speech", text="账户被锁定了").get_json()
    assert "[Caller] said 账户被锁定了" in lines(said)
    call = place(client, at="2026-11-23T10:00")
    call = act(client, call, type="keys", keys="0").get_json()
    assert call["waiting"] == {"kind": "dial", "number": "+8610555000111", "node": "agent_dial"}
    call = act(client, call, type="dial", status="busy").get_json()
    assert "[Caller] dial outcome busy" in lines(call)


def test_hang_up_ends_the_call_and_its_thread(client):
    """DELETE hangs up; the call's thread finishes; the session stays readable."""
    call = place(client)
    response = client.delete(f"{API}/calls/{call['id']}?since={call['next']}")
    assert response.status_code == 200
    ended = response.get_json()
    assert ended["state"] == "ended" and ended["ended"]["reason"] == "caller-hangup"
    assert lines(ended) == ["[Caller] hung up", "-- call ended: caller-hangup"]
    assert wait_until(lambda: not websim_threads())
    again = act(client, call, type="keys", keys="1")
    assert again.status_code == 409 and "ended" in again.get_json()["error"]


def test_the_server_clock_is_used_without_a_time(make_sim_app, monkeypatch):
    """No time chosen: the call runs on this very app, not on a copy with a fixed clock."""
    app = make_sim_app()
    built = []
    monkeypatch.setattr(app.extensions["ivr.web.phone"], "build", lambda *a, **k: built.append(a))
    place(app.test_client())
    assert built == []


def test_apps_for_a_time_are_built_once_and_reused(make_sim_app, monkeypatch):
    """Two calls at the same time share one app whose clock is fixed at that time."""
    app = make_sim_app()
    built = []
    real = app.extensions["ivr.web.phone"].build

    def counting(settings, *args):
        built.append(settings.fixed_now)
        return real(settings, *args)

    monkeypatch.setattr(app.extensions["ivr.web.phone"], "build", counting)
    client = app.test_client()
    place(client, at="2026-11-23T21:00")
    place(client, at="2026-11-23T21:00+08:00")
    place(client, at="2026-11-23T13:00Z")  # the same moment, written in UTC
    assert [t.isoformat() for t in built] == ["2026-11-23T21:00:00+08:00"]


@pytest.mark.expects_apology  # the browser phone's own apology: a 503
def test_an_app_that_cannot_be_built_is_a_503_not_a_500(make_sim_app, monkeypatch):
    """If menus.yaml was broken on disk since start-up, a call at a chosen time says so."""
    app = make_sim_app()

    def broken(*args, **kwargs):
        raise ValueError("menus.yaml line 3: bad")

    monkeypatch.setattr(app.extensions["ivr.web.phone"], "build", broken)
    response = app.test_client().post(f"{API}/calls", json={"at": "2026-11-23T09:00"})
    assert response.status_code == 503
    assert "menus.yaml line 3: bad" in response.get_json()["error"]
    assert app.extensions["ivr.web.phone"].sessions == {}


def test_signed_requests_pass_the_apps_signature_check(make_sim_app):
    """With TWILIO_AUTH_TOKEN set, the simulated Twilio signs every webhook it sends."""
    client = make_sim_app(auth_token=TOKEN).test_client()
    call = place(client, at="2026-11-23T10:00")
    assert call["state"] == "waiting" and "请选择您需要的服务" in " ".join(lines(call))
    after = act(client, call, type="keys", keys="1", since=call["next"]).get_json()
    assert after["state"] == "waiting", lines(after)  # a signed URL with a query string


# -- sessions ----------------------------------------------------------------------------------


def test_idle_calls_hang_up_by_themselves_and_are_forgotten(make_sim_app):
    """A call nobody clicks for the idle expiry is hung up; its id then answers 404."""
    app = make_sim_app(idle_expiry=0.3)
    client = app.test_client()
    call = place(client)
    session = app.extensions["ivr.web.phone"].sessions[call["id"]]
    assert wait_until(lambda: session.ended is not None)
    assert session.ended["reason"] == "expired"
    assert session.snapshot()["events"][-1]["line"] == "-- call ended: caller-hangup"
    response = client.get(f"{API}/calls/{call['id']}")
    assert response.status_code == 404 and "place a new call" in response.get_json()["error"]
    assert wait_until(lambda: not websim_threads())


def test_polling_keeps_a_call_alive(make_sim_app):
    """Each request from the page resets the idle clock."""
    app = make_sim_app(idle_expiry=0.5)
    client = app.test_client()
    call = place(client)
    for _ in range(4):
        time.sleep(0.2)
        assert client.get(f"{API}/calls/{call['id']}").get_json()["state"] == "waiting"


def test_at_most_max_sessions_then_ended_calls_make_room(make_sim_app):
    """A full server refuses a new call with 503 until one is hung up."""
    client = make_sim_app(max_sessions=2).test_client()
    first, _second = place(client), place(client)
    refused = client.post(f"{API}/calls", json={})
    assert refused.status_code == 503 and "2 simulated calls" in refused.get_json()["error"]
    client.delete(f"{API}/calls/{first['id']}")
    place(client)


def test_session_reports_problems_beside_the_step_that_caused_them():
    """Checker problems are attached to the first event of the document they were found in,
    and problems found after the last event to the end of the call."""
    pages = {
        "/voice": '<Response><Say loop="x">hi</Say><Gather numDigits="1" action="/next">'
        "<Say>press</Say></Gather></Response>",
        "/next": "<Response><Say>bye</Say><Hangup/></Response>",
    }
    app = Flask("twiml")

    @app.route("/<path:path>", methods=["POST"])
    def page(path: str) -> FlaskResponse:
        if path == "voice/status":
            return FlaskResponse("", status=500)
        return FlaskResponse(pages["/" + path], mimetype="text/xml")

    session = LiveCall("s1", CallOptions(), idle_expiry=5)
    session.start(WsgiTransport(app), base_url="http://127.0.0.1:5000", auth_token=None)
    session.wait_for_turn()
    session.act(websim.parse_action({"type": "keys", "keys": "1"}))
    events = session.snapshot()["events"]
    codes = [[p["code"] for p in event["problems"]] for event in events]
    assert codes[0] == [13510, "SIM001"] and events[0]["verb"] == "Say"
    assert all(c == [] for c in codes[1:-1])
    assert codes[-1] == [15003] and events[-1]["verb"] == "End"
    problem = events[0]["problems"][0]
    assert problem["title"] == "Say: Invalid loop value" and problem["severity"] == "warning"
    assert problem["url"] == "/voice" and problem["line"].startswith("warning: 13510 at ")
    assert session.ended == {"reason": "hangup", "text": ENDINGS["hangup"], "ok": False}


# -- bad input: always a JSON error, never a 500 ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"type": "keys", "keys": "12a"}, 400, "keys must be 0-9"),
        ({"type": "keys", "keys": ""}, 400, "keys must be 0-9"),
        ({"type": "keys", "keys": 1}, 400, "must be text"),
        ({"type": "keys", "keys": "1" * 40}, 400, "longer than 32"),
        ({"type": "speech", "text": "  "}, 400, "empty"),
        ({"type": "dial", "status": "maybe"}, 400, "'status' must be one of"),
        ({"type": "message", "text": "x" * 501}, 400, "longer than 500"),
        ({"type": "dance"}, 400, "'type' must be"),
        ({}, 400, "'type' must be"),
        ({"type": "keys", "keys": "1", "since": -1}, 400, "'since'"),
        ({"type": "keys", "keys": "1", "since": True}, 400, "'since'"),
        ({"type": "dial", "status": "busy"}, 409, "waits for keys, speech or silence"),
        ({"type": "message", "text": "hi"}, 409, "not a message"),
    ],
)
def test_bad_actions(client, body, status, words):
    call = place(client)
    response = client.post(f"{API}/calls/{call['id']}/actions", json=body)
    assert response.status_code == status
    assert words in response.get_json()["error"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"from": "abc"}, "must be digits"),
        ({"from": "+86 138"}, "must be digits"),
        ({"lang": "fr-FR"}, "not one of the menu's: zh-CN, en-US"),
        ({"at": "tomorrow"}, "is not like 2026-11-23T21:00"),
        ({"at": "1900-01-01T10:00"}, "between the years"),
        ({"at": 5}, "must be text"),
        ([], "send a JSON object"),
    ],
)
def test_bad_call_settings(client, body, words):
    response = client.post(f"{API}/calls", json=body)
    assert response.status_code == 400
    assert words in response.get_json()["error"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", f"{API}/calls/no-such-call", {}, 404),
        ("delete", f"{API}/calls/no-such-call", {}, 404),
        ("post", f"{API}/calls/no-such-call/actions", {"json": {"type": "silence"}}, 404),
        ("get", f"{API}/nothing/here", {}, 404),
        ("get", f"{API}/calls", {}, 405),
        ("put", f"{API}/menu", {}, 405),
        ("post", f"{API}/calls", {"data": "not json", "content_type": "text/plain"}, 400),
        ("post", f"{API}/calls", {"data": "{", "content_type": "application/json"}, 400),
        ("post", f"{API}/calls", {"data": "x" * 70_000, "content_type": "application/json"}, 413),
        ("get", f"{API}/calls/x?since=a", {}, 400),
        ("post", f"{API}/calls", {"json": {}, "headers": {"Origin": "https://evil.example"}}, 403),
        ("post", f"{API}/calls", {"json": {}, "headers": {"Sec-Fetch-Site": "cross-site"}}, 403),
    ],
)
def test_bad_requests_get_json_errors(client, method, path, kwargs, status):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]


def test_the_menu_describes_languages_diagram_zone_and_quick_times(client):
    menu = client.get(f"{API}/menu").get_json()
    assert menu["languages"] == ["zh-CN", "en-US"] and menu["main"] == "main"
    assert menu["mermaid"].startswith("flowchart TD") and "welcome" in menu["nodes"]
    assert menu["timezone"] == "Asia/Shanghai"
    kinds = {preset["label"].split(" · ")[0]: preset["open"] for preset in menu["presets"]}
    assert kinds == {"Open": "open", "After hours": "closed", "Holiday hours": "closed"}


def test_presets_find_a_holiday_whose_hours_differ(make_sim_app):
    """Holiday hours are 09:00-18:00 against a daily 08:00-20:00: 08:00 shows the difference."""
    import datetime as dt

    menus = make_sim_app().extensions["ivr"].menus
    schedule = next(iter(menus.schedules.values()))
    now = dt.datetime(2026, 9, 20, 12, tzinfo=schedule.zone)
    found = {p["label"].split(" · ")[0]: p for p in websim.presets(schedule, now)}
    assert found["Holiday hours"]["at"] == "2026-09-25T08:00"  # Mid-Autumn Festival
    assert found["Open"]["at"] == "2026-09-21T10:00"
    assert found["After hours"]["at"] == "2026-09-21T21:00"
    assert websim.presets(None, now) == []


# -- where it is served, and how ---------------------------------------------------------------


def basic(password: str, user: str = "anyone") -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_development_serves_the_page_with_security_headers(client):
    response = client.get("/simulator")
    assert response.status_code == 200 and b'id="transcript"' in response.data
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-eval'" not in csp and "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert b"<script>" not in response.data  # no inline scripts: the CSP would block them
    for path in (
        "/simulator/",
        f"{API}/menu",
        "/simulator/static/simulator.js",
        "/simulator/static/vendor/mermaid.min.js",
    ):
        with client.get(path) as answer:
            assert answer.status_code == 200, path
            assert answer.headers["X-Content-Type-Options"] == "nosniff", path
    assert client.get(f"{API}/menu").headers["Cache-Control"] == "no-store"


def test_production_without_a_password_serves_no_simulator(make_sim_app):
    app = make_sim_app(production=True, auth_token=TOKEN)
    client = app.test_client()
    assert "simulator" not in app.blueprints
    assert client.get("/simulator").status_code == 404
    assert client.post(f"{API}/calls", json={}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/simulator",
        f"{API}/menu",
        "/simulator/static/simulator.js",
        f"{API}/calls/x",
        "/simulator/anything",
    ],
)
def test_production_with_a_password_asks_for_it_everywhere(make_sim_app, path):
    client = make_sim_app(
        production=True, auth_token=TOKEN, IVR_SIMULATOR_PASSWORD="s3cret"
    ).test_client()
    for headers in ({}, basic("wrong"), {"Authorization": "Bearer s3cret"}):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    with client.get(path, headers=basic("s3cret")) as response:
        assert response.status_code in (200, 404)


def test_production_with_the_password_places_signed_calls(make_sim_app):
    """Behind the password, calls work end to end, signed with the real auth token."""
    client = make_sim_app(
        production=True, auth_token=TOKEN, IVR_SIMULATOR_PASSWORD="s3cret"
    ).test_client()
    response = client.post(
        f"{API}/calls", json={"at": "2026-11-23T21:00"}, headers=basic("s3cret", user="support")
    )
    assert response.status_code == 201
    call = response.get_json()
    assert call["state"] == "waiting" and call["events"][0]["problems"] == []
    answer = client.post(
        f"{API}/calls/{call['id']}/actions",
        json={"type": "keys", "keys": "0"},
        headers=basic("s3cret"),
    )
    assert "现在是非人工服务时间" in " ".join(lines(answer.get_json()))


def test_register_twice_is_harmless(make_sim_app):
    app = make_sim_app()
    websim.register(app, create_app)
    assert app.test_client().get("/simulator").status_code == 200
