"""Security by default and secret hygiene."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest

from ivr.cli import main as ivr_main
from ivr.logs import JsonFormatter
from ivr.settings import Settings, SettingsError
from ivr.simulator import Call, ScriptedCaller, WsgiTransport
from tests.conftest import CLOSED_TIME, PROJECT_ROOT, own_line, spoken, twiml

TOKEN = "hygiene-token-5f2a9c3e1b7d4a60"
CALLER = "+8613912345678"


def test_production_refuses_to_start_without_a_token():
    with pytest.raises(SettingsError, match="needs TWILIO_AUTH_TOKEN"):
        Settings.from_env({"IVR_ENV": "production"}).check()


def test_production_refuses_flasks_development_server():
    settings = Settings.from_env(
        {"IVR_ENV": "production", "TWILIO_AUTH_TOKEN": TOKEN, "FLASK_RUN_FROM_CLI": "true"}
    )
    with pytest.raises(SettingsError, match="development server"):
        settings.check()


def test_flask_run_in_production_is_refused_in_one_line_not_a_traceback():
    """Review: the refusal was right but buried at the end of a 44-line traceback."""
    env = {
        "PATH": "/usr/bin:/bin",
        "IVR_ENV": "production",
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": "https://ivr.example.com",
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "server:app", "run", "--port", "1"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert (done.stdout + done.stderr).strip() == (
        "Error: IVR_ENV=production must not run on Flask's development server; serve it with "
        "gunicorn (see the Procfile)"
    )


def test_production_needs_a_trusted_source_for_the_signed_url():
    """A request's own Host is not trusted: PUBLIC_BASE_URL or a trusted proxy list."""
    production = {"IVR_ENV": "production", "TWILIO_AUTH_TOKEN": TOKEN}
    with pytest.raises(SettingsError, match="needs PUBLIC_BASE_URL"):
        Settings.from_env(production).check()
    Settings.from_env({**production, "PUBLIC_BASE_URL": "https://ivr.example.com/"}).check()
    Settings.from_env({**production, "FORWARDED_ALLOW_IPS": "10.0.0.0/8,::1"}).check()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PUBLIC_BASE_URL", "ivr.example.com", "use the URL Twilio calls"),
        ("PUBLIC_BASE_URL", "https://ivr.example.com/?x=1", "use the URL Twilio calls"),
        ("FORWARDED_ALLOW_IPS", "10.0.0.1,proxy.local", "'proxy.local', which is not"),
    ],
)
def test_a_bad_public_url_or_proxy_list_is_refused(name, value, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env({name: value})


def test_unknown_mode_is_refused():
    with pytest.raises(SettingsError, match="IVR_ENV is 'prod'"):
        Settings.from_env({"IVR_ENV": "prod"})


def test_development_warns_once_that_signatures_are_off(make_app, caplog):
    with caplog.at_level(logging.WARNING, logger="ivr"):
        make_app()
    warnings = [r.getMessage() for r in caplog.records if "NOT checked" in r.getMessage()]
    assert len(warnings) == 1


def test_neither_the_token_nor_a_callers_number_is_ever_logged(make_app, clock, caplog):
    clock.now = CLOSED_TIME  # after hours: the callback request reads the number back
    app = make_app(auth_token=TOKEN)
    caplog.set_level(logging.DEBUG, logger="ivr")
    for script in ("0,2,1,1", "0,2,2,13987654321#,1,2"):  # caller id, then a typed number
        call = Call(
            WsgiTransport(app, base_url="http://localhost"),
            ScriptedCaller.parse(script),
            line=own_line("http://localhost", TOKEN),
            from_number=CALLER,
        )
        result = call.run()
        assert result.ok, [str(p) for p in result.problems]
    app.test_client().post("/voice", data={"From": CALLER})  # a forged one, logged as 403
    text = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert "webhook" in text and "403" in text  # the logs are there...
    assert TOKEN not in text and CALLER not in text and CALLER[3:] not in text  # ...but not these
    assert "13987654321" not in text and "*********21" in text  # a typed number, masked


@pytest.mark.expects_apology
def test_a_failure_before_the_handler_still_gets_the_apology(app, monkeypatch):
    def broken():
        raise OSError("disk gone")

    monkeypatch.setattr(app.extensions["ivr.web.reloader"], "check", broken)
    root = twiml(app.test_client().post("/voice", data={"CallSid": "CA" + "9" * 32}))
    assert "抱歉" in spoken(root)


def test_no_secret_is_committed():
    files = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in files if f.endswith((".env", ".pem", ".key"))]
    secret = re.compile(r"(AUTH_TOKEN|auth_token|PASSWORD)\s*[=:]\s*['\"]?[0-9a-f]{32}\b")
    for name in files:
        path = PROJECT_ROOT / name
        if (
            path.suffix in (".py", ".yaml", ".yml", ".md", ".toml", ".txt", ".sh", "")
            and path.is_file()
            and path.stat().st_size < 1_000_000
        ):
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert not secret.search(text), f"{name} holds what looks like a secret"
    menus = (PROJECT_ROOT / "menus.yaml").read_text(encoding="utf-8")
    assert not re.search(r"number:\s*['\"]?\+\d", menus), "numbers belong in the environment"


def test_ivr_now_fixes_the_clock_and_is_logged(make_app, caplog):
    from ivr.settings import parse_now

    with caplog.at_level(logging.WARNING, logger="ivr"):
        app = make_app(fixed_now=parse_now("2026-11-23T21:00:00+08:00"))
    assert any("IVR_NOW is set" in r.getMessage() for r in caplog.records)
    assert app.extensions["ivr"].settings.fixed_now.hour == 21


def test_serve_refuses_production_without_a_token(monkeypatch):
    monkeypatch.setenv("IVR_ENV", "production")
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    assert ivr_main(["serve"]) == 1


def test_only_the_settings_read_the_environment():
    """Every variable is read by Settings and passed down: one place to look."""
    readers = sorted(
        str(path.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "ivr").rglob("*.py")
        if re.search(r"os\.environ|os\.getenv|getenv\(", path.read_text(encoding="utf-8"))
    )
    assert readers == ["ivr/settings.py"]
