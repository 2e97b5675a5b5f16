"""Safe reloads: a new menus.yaml takes effect between requests, a broken one is refused,
and calls in progress go on (in-process, and on a real gunicorn with SIGHUP)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from ivr.simulator import Call, HttpTransport, Keys
from ivr.simulator.callers import HangUp
from tests.conftest import (
    HOTLINE,
    SHIPPED,
    assert_no_crash_logged,
    env_for,
    own_line,
    spoken,
    twiml,
)

NEW_WELCOME = "您好，这是新版本的数字钱包客服。"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def menus(tmp_path) -> Path:
    path = tmp_path / "menus.yaml"
    shutil.copy(SHIPPED, path)
    return path


# Twilio's urlencoded POSTs are answered below Flask; a bare POST goes through it.
THROUGH = pytest.mark.parametrize("data", [{"CallSid": "CA1"}, None], ids=["direct", "flask"])


@THROUGH
def test_sighup_reloads_a_valid_file(make_app, menus, data):
    app = make_app(menus)
    client = app.test_client()
    assert "欢迎致电数字钱包客服" in spoken(twiml(client.post("/voice", data=data)))
    edit(menus, "您好，欢迎致电数字钱包客服；", NEW_WELCOME)
    os.kill(os.getpid(), signal.SIGHUP)
    assert NEW_WELCOME in spoken(twiml(client.post("/voice", data=data)))


@THROUGH
def test_a_changed_file_is_noticed_without_a_signal(make_app, menus, tmp_path, data):
    app = make_app(menus, env={**env_for(tmp_path), "IVR_RELOAD_SECONDS": "0.01"})
    client = app.test_client()
    client.post("/voice", data=data)
    edit(menus, "您好，欢迎致电数字钱包客服；", NEW_WELCOME)
    time.sleep(0.05)
    assert NEW_WELCOME in spoken(twiml(client.post("/voice", data=data)))


def test_a_broken_file_is_refused_and_the_last_good_menu_serves(make_app, menus, caplog):
    app = make_app(menus)
    client = app.test_client()
    edit(menus, "to: account", "to: acount")
    with caplog.at_level(logging.ERROR, logger="ivr.reload"):
        os.kill(os.getpid(), signal.SIGHUP)
        root = twiml(client.post("/voice/gather?node=main&lang=zh-CN", data={"Digits": "1"}))
    assert "账户问题。" in spoken(root)  # still the old, good menu
    message = "\n".join(r.getMessage() for r in caplog.records)
    assert "still serving the last good menu" in message
    assert "unknown node 'acount'" in message and "did you mean 'account'" in message


def test_a_call_at_a_node_that_no_longer_exists_goes_to_the_main_menu(make_app, menus):
    app = make_app(menus)
    client = app.test_client()
    edit(menus, """  payments_bills:""", """  payments_bills_v2:""")
    edit(menus, "to: payments_bills", "to: payments_bills_v2")
    os.kill(os.getpid(), signal.SIGHUP)
    root = twiml(client.post("/voice/enter?node=payments_bills&lang=zh-CN"))
    assert "node=main&" in root.find("Gather").get("action")


class _EditMidCall:
    """Presses keys; before the third, rewrites the menu and signals the workers."""

    def __init__(self, keys, on_third) -> None:
        self.keys, self.on_third, self.asked = list(keys), on_third, 0

    def gather(self, prompt):
        self.asked += 1
        if self.asked == 3:
            self.on_third()
        return Keys(self.keys.pop(0)) if self.keys else HangUp()

    def dial(self, number):
        return HangUp()

    def record(self, prompt):
        return HangUp()


@pytest.mark.slow
def test_reload_on_a_real_gunicorn_drops_no_call(menus, tmp_path):
    from tests.conftest import free_port

    port = free_port()
    env = {
        **os.environ,
        **env_for(tmp_path),
        "IVR_MENUS": str(menus),
        "IVR_RELOAD_SECONDS": "0",
        "IVR_NOW": "2026-11-23T10:00:00+08:00",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(tmp_path / "server.log", "wb") as log:  # the server keeps its own copy
        master = subprocess.Popen(
            [str(gunicorn), "server:app", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=HOTLINE.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{url}/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.1)

        def change():
            edit(menus, "账户问题。", "账户问题（新版）。")
            workers = subprocess.run(
                ["pgrep", "-P", str(master.pid)], capture_output=True, text=True
            ).stdout.split()
            assert len(workers) == 2
            for pid in workers:
                os.kill(int(pid), signal.SIGHUP)

        heard = []
        with HttpTransport(url) as transport:
            result = Call(
                transport,
                _EditMidCall(["1", "1", "*"], change),
                line=own_line(url),
                listener=lambda e: heard.append(e.text),
            ).run()
        assert result.problems == [], [str(p) for p in result.problems]
        assert result.end == "caller-hangup"
        # Before the signal the old words; after it, on whichever worker, the new ones.
        assert any("账户问题。" in t for t in heard[:8])
        assert "账户问题（新版）。" in " ".join(heard[-3:])
        assert master.poll() is None  # the server is still up
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=15)
        assert_no_crash_logged(tmp_path / "server.log")


def test_a_key_pressed_at_a_node_that_vanished_is_not_applied_to_the_main_menu(make_app):
    """After a reload renamed the caller's menu, '2' there is not '2' in the main menu."""
    app = make_app()
    root = twiml(
        app.test_client().post(
            "/voice/gather?node=renamed_away&lang=zh-CN&s=5", data={"CallSid": "CA1", "Digits": "2"}
        )
    )
    action = root.find("Gather").get("action")
    assert action.startswith("/voice/gather?node=main")  # the main menu's own prompt...
    assert "back=main" not in action  # ...not a choice taken in it


def test_healthz_says_when_the_file_on_disk_is_not_the_menu_served(make_app, menus, caplog):
    """Developer review: /healthz said "ok" while the file on disk was refused, and a
    deleted file went unmentioned; a reload that worked was logged as a warning."""
    app = make_app(menus)
    client = app.test_client()
    assert client.get("/healthz").get_json()["menu"] == "current"
    good = menus.read_text(encoding="utf-8")
    edit(menus, "to: account", "to: acount")
    os.kill(os.getpid(), signal.SIGHUP)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["menu"] == "stale"
    menus.write_text(good, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="ivr.reload"):
        os.kill(os.getpid(), signal.SIGHUP)
        assert client.get("/healthz").get_json()["menu"] == "current"
    assert [r.levelname for r in caplog.records if "reloaded" in r.getMessage()] == ["INFO"]
    caplog.clear()
    menus.unlink()
    with caplog.at_level(logging.ERROR, logger="ivr.reload"):
        os.kill(os.getpid(), signal.SIGHUP)
        client.post("/voice", data={"CallSid": "CA1"})
        os.kill(os.getpid(), signal.SIGHUP)
        client.post("/voice", data={"CallSid": "CA1"})
    assert client.get("/healthz").get_json()["menu"] == "stale"
    gone = [r for r in caplog.records if "is gone" in r.getMessage()]
    assert len(gone) == 1  # said once, not at every check


def test_healthz_says_stale_when_a_worker_starts_on_the_last_good_menu(make_app, menus):
    make_app(menus)  # keeps this menu as the last good one
    edit(menus, "to: account", "to: acount")
    health = make_app(menus).test_client().get("/healthz")
    assert health.status_code == 200 and health.get_json()["menu"] == "stale"
