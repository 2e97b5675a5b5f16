"""Shared fixtures: the app on the shipped menu, a fixed clock, TwiML parsing."""

from __future__ import annotations

import datetime
import json
import logging
import socket
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.logs import JsonFormatter
from ivr.settings import Settings
from ivr.web.app import create_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout
HOTLINE = PROJECT_ROOT / "menus.yaml"  # the shipped hotline menu
# The webhook, direct-path and records tests check TwiML per node type, keys, hours and
# records on a fixed menu: the hotline as shipped before issue 14 rewrote its words and
# structure (tests/menus_v1.yaml). The shipped menu itself is tested by test_menus,
# test_sources, tests/calls and the explorer (all on HOTLINE).
SHIPPED = Path(__file__).parent / "menus_v1.yaml"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
OPEN_TIME = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday morning
CLOSED_TIME = datetime.datetime(2026, 11, 23, 21, 0, tzinfo=SHANGHAI)
ENV = {"AGENT_NUMBER": "+8610555000111", "EMERGENCY_NUMBER": "+8610555000999"}


class Clock:
    """A clock tests can set and move."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now


# Twilio's published signature test vector (twilio-python's own test): URL, fields, signature.
TWILIO_VECTOR = (
    "https://mycompany.com/myapp.php?foo=1&bar=2",
    {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    },
    "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
)


def shipped_with(tmp_path: Path, old: str, new: str, after: str | None = None) -> Path:
    """A copy of the shipped menu, as menus.yaml in `tmp_path`, with the first `old` (after
    `after`, if given) changed to `new`."""
    text = HOTLINE.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)  # (a ValueError if the shipped menu no longer has it)
    path = tmp_path / "menus.yaml"
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return path


def own_line(base: str, token: str | None = None, lang: str | None = None):
    """This app's number at `base`, as ivr.web.webhooks.own_line builds it for the commands."""
    from ivr.simulator.line import own_line as build

    return build(Settings(public_base_url=base, auth_token=token), lang)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def twiml(response) -> ET.Element:
    """Parse a webhook response as TwiML, checking it is XML with a <Response> root."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    return root


def spoken(root: ET.Element) -> str:
    """All the words a caller hears in a document, in order."""
    return " ".join(say.text or "" for say in root.iter("Say"))


@pytest.fixture
def clock() -> Clock:
    return Clock(OPEN_TIME)


def env_for(directory: Path) -> dict[str, str]:
    """The numbers plus a data directory of the test's own (records, spool), never instance/."""
    return {
        **ENV,
        "DATABASE_URL": f"sqlite:///{directory / 'ivr.sqlite3'}",
        "IVR_SPOOL_DIR": str(directory / "spool"),
        "IVR_INSTANCE_DIR": str(directory / "instance"),
    }


@pytest.fixture(autouse=True)
def _ivr_log_level():
    """The CLI quiets the in-process server's logs; no test inherits that from another."""
    logger = logging.getLogger("ivr")
    level = logger.level
    yield
    logger.setLevel(level)


# What callers type and say in these tests: none of it may reach a log line. Numbers are
# looked for by their last eight digits, which no masked form keeps.
PLANTED_NUMBERS = (
    "+8613800138000",
    "+8613812341234",
    "+8613812345678",
    "+8613912345678",
    "+8613911112222",
    "13912345678",
    "13987654321",
    "6222021234567890",  # card-like
    "6222*0212*3456*7890",  # the same typed in groups
)
PLANTED_WORDS = ("我的手机号是", "一三八零零一三八零零零", "one three eight zero zero")


def leaks(lines: list[str]) -> list[str]:
    """The log lines that hold a planted number or spoken words, with what they hold."""
    needles = list(dict.fromkeys([n[-8:] for n in PLANTED_NUMBERS] + list(PLANTED_WORDS)))
    return [f"{needle!r} in {line[:300]}" for line in lines for needle in needles if needle in line]


@pytest.fixture(scope="session", autouse=True)
def _no_caller_data_in_any_log(tmp_path_factory):
    """Every log record of the whole test run, rendered as the server renders it, is
    scanned at the end for what the tests' callers typed and said."""
    path = tmp_path_factory.mktemp("logs") / "session.jsonl"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    handler.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    found = leaks(lines)
    assert found == [], f"{len(found)} log line(s) hold caller data:\n" + "\n".join(found[:20])


class Crashes(logging.Handler):
    """The ivr loggers' ERROR records that carry a traceback: code that raised.

    A webhook handler that raises still answers 200 with the apology (callers never
    hear a stack trace), so "valid TwiML" alone cannot see a crash; its log line can.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)

    def take(self) -> list[str]:
        """Return the crashes seen so far (message and exception), and forget them."""
        seen = [
            f"{r.name}: {r.getMessage()}: {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
            for r in self.records
        ]
        self.records.clear()
        return seen


# What gunicorn itself logs with a traceback: the app raised outside Flask's handlers, or
# a worker could not start.
GUNICORN_CRASHES = ("Error handling request", "Exception in worker process")


def logged_crashes(log: Path) -> list[str]:
    """The crashes in a real server's log: each JSON line at level ERROR or above that
    carries a traceback or says "webhook failed" (the apology ran), and gunicorn's own."""
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if any(words in line for words in GUNICORN_CRASHES):
            found.append(line)
            continue
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("level") not in ("ERROR", "CRITICAL"):
            continue
        message = str(entry.get("message", ""))
        if "exception" in entry or message.startswith("webhook failed"):
            found.append(f"{entry.get('logger')}: {message}\n{entry.get('exception', '')}")
    return found


def assert_no_crash_logged(log: Path, *, expects_traceback: bool = False) -> None:
    """Fail if a real server's log shows a crash, unless the test causes one on purpose:
    its callers answered 200 with the apology, so only the log can tell."""
    if expects_traceback:
        return
    found = logged_crashes(log)
    assert not found, f"the server at {log} logged a crash (pass expects_traceback if meant):\n" + (
        "\n".join(found)
    )


@pytest.fixture(autouse=True)
def crashes(request) -> Iterator[Crashes]:
    """Fail any test in which ivr logged a traceback (a handler raised, the apology ran),
    unless it is marked `expects_apology` because it makes one fail on purpose."""
    handler = Crashes()
    logger = logging.getLogger("ivr")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
    seen = handler.take()
    if seen and request.node.get_closest_marker("expects_apology") is None:
        pytest.fail("ivr logged a traceback (mark expects_apology if meant):\n" + "\n".join(seen))


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """Apps a test builds from the environment (the CLI) use the test's own database."""
    for name, value in env_for(tmp_path / "env-db").items():
        monkeypatch.setenv(name, value)
    # The CLI's default menu (the records report reads it) is the tests' fixed one too;
    # tests of the shipped menu name it.
    monkeypatch.setenv("IVR_MENUS", str(SHIPPED))


@pytest.fixture
def make_app(clock, tmp_path):
    """Build an app for a menus file with optional settings."""

    def make(menus: Path = SHIPPED, **settings):
        env = settings.pop("env", None) or env_for(tmp_path)
        return create_app(Settings.from_env(env, menus_path=menus, **settings), clock=clock)

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 64 KB tmpfs (needs root and mount rights; skipped where they are missing)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a 64 KB tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture(scope="session", autouse=True)
def _checkout_data_untouched():
    """No test writes the checkout's own data directory (the records an operator reads)."""
    instance = PROJECT_ROOT / "instance"
    before = sorted(instance.rglob("*")) if instance.exists() else None
    yield
    after = sorted(instance.rglob("*")) if instance.exists() else None
    assert after == before, f"a test wrote into {instance}"
