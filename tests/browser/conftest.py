"""The phone page in a real browser: Debian's Chromium driven by Playwright.

The app runs on a real server on 127.0.0.1, on a free port. Without Chromium or
Playwright these tests skip with the reason; with IVR_REQUIRE_BROWSER=1 (as in CI)
they fail instead, so CI never passes without having run them.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from ivr.settings import Settings
from ivr.web import phone as websim
from ivr.web.app import create_app
from tests.conftest import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ENV = {"AGENT_NUMBER": "+8610555000111", "EMERGENCY_NUMBER": "+8610555000999"}
_skipped: list[str] = []


def _missing() -> str | None:
    """Say what is missing to run the browser tests, or None."""
    if importlib.util.find_spec("playwright") is None:
        return (
            "Playwright not installed: run .venv/bin/pip install -r requirements-dev.txt, "
            "then scripts/chromium.sh"
        )
    if not CHROMIUM.exists():
        return "Chromium not installed: run scripts/chromium.sh"
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say loudly that the browser tests did not run."""
    if _skipped:
        terminalreporter.write_sep("!", f"browser tests SKIPPED: {_skipped[0]}", yellow=True)


@pytest.fixture(scope="session")
def server_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Serve the shipped menu as `make run` does, on a free port; yield the app."""
    data = tmp_path_factory.mktemp("records")
    env = {
        **ENV,
        "IVR_ENV": "development",
        "DATABASE_URL": f"sqlite:///{data / 'ivr.sqlite3'}",
        "IVR_SPOOL_DIR": str(data / "spool"),
        "IVR_INSTANCE_DIR": str(data / "instance"),
    }
    app = create_app(Settings.from_env(env))
    if "simulator" not in app.blueprints:  # until create_app registers it itself
        websim.register(app, create_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    app.config["TEST_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    server.server_close()
    thread.join(5)
    app.extensions["ivr.web.phone"].close()
    app.extensions["ivr"].recorder.close()


@pytest.fixture(scope="session")
def server_url(server_app: Any) -> str:
    """The base URL of the test server."""
    url: str = server_app.config["TEST_BASE_URL"]
    return url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch headless Chromium once for the session."""
    missing = _missing()
    if missing:
        if os.environ.get("IVR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"IVR_REQUIRE_BROWSER=1 but {missing}", pytrace=False)
        _skipped.append(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Phone:
    """The simulator page, with what went wrong: console errors and foreign requests."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> Phone:
        """Load the page and wait for the menu diagram."""
        self.page.goto(f"{url}/simulator")
        self.page.wait_for_selector("#diagram svg g.node")
        return self

    def hear(self, text: str, timeout: float = 10_000) -> None:
        """Wait until the transcript shows text."""
        self.page.locator("#transcript").get_by_text(text).first.wait_for(timeout=timeout)

    def wait_for_state(self, status: str, timeout: float = 10_000) -> None:
        """Wait until the phone's status line starts with status."""
        self.page.wait_for_function(
            "s => document.getElementById('status').textContent.startsWith(s)",
            arg=status,
            timeout=timeout,
        )

    @property
    def plain(self) -> list[str]:
        """The transcript as `ivr simulate` prints it."""
        return self.page.locator("#plain").text_content().splitlines()

    def current_node(self) -> str | None:
        """The node highlighted in the diagram."""
        return self.page.evaluate(
            "() => document.querySelector('#diagram g.node.current')?.dataset.node ?? null"
        )

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot under artifacts/."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def make_phone(browser: Any, server_url: str, server_app: Any) -> Iterator[Any]:
    """Open the page in fresh browser contexts (any viewport); collect console errors."""
    contexts = []

    def make(viewport: dict[str, int] | None = None, init_script: str | None = None) -> Phone:
        context = browser.new_context(
            viewport=viewport or {"width": 1400, "height": 1000},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.set_default_timeout(15_000)
        phone = Phone(page)
        page.on(
            "console",
            lambda message: (
                message.type == "error" and phone.errors.append(f"console: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: phone.errors.append(f"page error: {error}"))
        # Everything the page needs is served by the app itself: no CDN, no fonts, no network.
        page.on(
            "request",
            lambda req: (
                req.url.startswith((server_url, "data:"))
                or phone.errors.append(f"request to another origin: {req.url}")
            ),
        )
        return phone.open(server_url)

    yield make
    for context in contexts:
        context.close()
    # A page that goes away leaves its call to the idle expiry (a reload must keep it):
    # hang up what this test left, so no call outlives it.
    server_app.extensions["ivr.web.phone"].close()


@pytest.fixture
def phone(make_phone: Any) -> Phone:
    """The page at a desktop size."""
    return make_phone()
