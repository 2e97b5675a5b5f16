"""Property-based fuzzing of every webhook (hypothesis).

Properties: never a 5xx; no handler raised (the apology, which would still be
valid TwiML, never ran); a Twilio-signed request always gets TwiML that passes
the simulator's strict checks; with a token configured, an unsigned or forged
request always gets 403; no input makes the server write outside its database.
Failing examples are kept in tests/fuzz-examples/ (committed), so a regression
found once is replayed on every run; CI reads that database without writing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr.settings import Settings
from ivr.simulator.checks import check_response
from ivr.simulator.transport import Response as SimResponse
from ivr.web.app import create_app
from tests.conftest import CLOSED_TIME, HOTLINE, PROJECT_ROOT, Clock, Crashes, env_for

EXAMPLES = Path(__file__).parent / "fuzz-examples"
DATABASE = DirectoryBasedExampleDatabase(str(EXAMPLES))
FUZZ = settings(
    max_examples=int(os.environ.get("IVR_FUZZ_EXAMPLES", "1500")),
    database=ReadOnlyDatabase(DATABASE) if os.environ.get("CI") else DATABASE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOKEN = "fuzz-token-0123456789"
PATHS = [
    "/voice",
    "/voice/gather",
    "/voice/dial",
    "/voice/record",
    "/voice/enter",
    "/voice/callback",
    "/voice/transcription",
    "/voice/status",
    "/voice/fallback",
]
NODES = [
    "main",
    "account",
    "after_hours",
    "callback",
    "voicemail",
    "agent_dial",
    "goodbye",
    "agent",
    "welcome",
    "nope",
    "../../etc/passwd",
    "main%00",
    "",
    "主菜单",
    "a" * 300,
]
FIELDS = [
    "Digits",
    "SpeechResult",
    "Confidence",
    "DialCallStatus",
    "RecordingUrl",
    "RecordingSid",
    "RecordingDuration",
    "TranscriptionText",
    "TranscriptionStatus",
    "CallStatus",
    "CallDuration",
    "CallSid",
    "From",
    "To",
    "ErrorCode",
    "ErrorUrl",
    "node",
    "lang",
    "s",
]

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "*",
            "#",
            "12345678901234567890#",
            "-1",
            "nan",
            "inf",
            "1e308",
            "completed",
            "busy",
            "no-answer",
            "canceled",
            "\x00",
            "\r\n",
            "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1",
            "javascript:alert(1)",
            "<Response/>",
            "%00",
            "+8613800138000",
            "anonymous",
            "账户",
            "１２３",
        ]
    ),
    st.text(alphabet="0123456789*#", min_size=1, max_size=5000),
)
queries = st.dictionaries(
    st.sampled_from(["node", "lang", "f", "t", "back", "s", "stage", "num", "x"]),
    st.one_of(
        st.sampled_from(
            NODES + ["zh-CN", "en-US", "confirm", "window", "enter", "readback", "999999999"]
        ),
        nasty_text,
    ),
    max_size=6,
)
forms = st.lists(st.tuples(st.sampled_from(FIELDS) | st.text(max_size=20), nasty_text), max_size=12)


def _project_files() -> set[Path]:
    skip = {
        ".venv",
        ".git",
        ".hypothesis",
        ".pytest_cache",
        ".ruff_cache",
        "instance",
        "artifacts",
        "__pycache__",
        "fuzz-examples",
    }
    found = set()
    for root, dirs, files in os.walk(PROJECT_ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        found.update(Path(root, name) for name in files)
    return found


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """An app without a token and one with, each on its own database, after hours."""
    made = {}
    for name, token in (("open", None), ("signed", TOKEN)):
        directory = tmp_path_factory.mktemp(name)
        made[name] = (
            create_app(
                Settings.from_env(env_for(directory), menus_path=HOTLINE, auth_token=token),
                clock=Clock(CLOSED_TIME),
            ),
            directory,
        )
    before = _project_files()
    yield made
    # No input made the server write anywhere but its database, spool and data directory.
    assert _project_files() == before
    for _, directory in made.values():
        written = {p.relative_to(directory).parts[0] for p in directory.rglob("*")}
        assert written <= {
            "ivr.sqlite3",
            "ivr.sqlite3-wal",
            "ivr.sqlite3-shm",
            "spool",
            "instance",  # the last good menu, kept at start
        }


def _crashes() -> list[str]:
    """The tracebacks ivr logged for this example (the conftest's `crashes` handler), so
    hypothesis sees the failure in the example that caused it and shrinks it."""
    (handler,) = [h for h in logging.getLogger("ivr").handlers if isinstance(h, Crashes)]
    return handler.take()


def _strict(response, url: str) -> list:
    sim = SimResponse(
        response.status_code,
        response.headers.get("Content-Type", ""),
        response.get_data(),
        0.0,
        url,
    )
    _, problems = check_response(sim)
    return problems


def _send(client, method, path, query, form, content_type, headers=None):
    url = path + ("?" + urlencode(query) if query else "")
    data = MultiDict(form)
    if content_type == "form":
        return url, client.open(url, method=method, data=data, headers=headers or {})
    if content_type == "json":
        return url, client.open(url, method=method, json=dict(form), headers=headers or {})
    return url, client.open(
        url,
        method=method,
        data=urlencode(form).encode(),
        content_type=content_type,
        headers=headers or {},
    )


@FUZZ
@given(
    method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
    path=st.sampled_from(PATHS),
    query=queries,
    form=forms,
    content_type=st.sampled_from(
        ["form", "json", "text/plain", "multipart/form-data", "application/xml"]
    ),
)
def test_no_input_gets_a_5xx_or_invalid_twiml(apps, method, path, query, form, content_type):
    app, _ = apps["open"]
    url, response = _send(app.test_client(), method, path, query, form, content_type)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert _crashes() == []
    if response.status_code == 200 and method in ("GET", "POST"):
        problems = _strict(response, url)
        assert problems == [], [str(p) for p in problems]
        assert b"Traceback" not in response.get_data()


@FUZZ
@given(
    path=st.sampled_from(PATHS), query=queries, form=forms, method=st.sampled_from(["POST", "GET"])
)
# Found by this test: werkzeug rebuilt the URL with '[' unquoted, so signatures failed.
@example(path="/voice", query={}, form=[("Digits", "[")], method="GET")
@example(
    path="/voice/callback",
    query={"node": "callback", "num": "+8613800138000"},
    form=[("Digits", "1")],
    method="POST",
)
def test_signed_requests_get_strictly_valid_twiml(apps, path, query, form, method):
    app, _ = apps["signed"]
    url = "http://localhost" + path + ("?" + urlencode(query) if query else "")
    data = MultiDict(form)
    validator = RequestValidator(TOKEN)
    if method == "GET":
        url = url + ("&" if "?" in url else "?") + urlencode(form) if form else url
        signature = validator.compute_signature(url, {})
        response = app.test_client().get(url, headers={"X-Twilio-Signature": signature})
    else:
        signature = validator.compute_signature(url, data)
        response = app.test_client().post(url, data=data, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert _crashes() == []
    problems = _strict(response, url)
    assert problems == [], [str(p) for p in problems]


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    query=queries,
    form=forms,
    signature=st.one_of(st.none(), st.text(max_size=60), st.just("RSOYDt4T1cUTdK1PDd93/VVr8B8=")),
    method=st.sampled_from(["POST", "GET"]),
)
# Found by this test: a non-ASCII signature made compare_digest raise (an apology, not 403).
@example(path="/voice", query={}, form=[], signature="\x80", method="POST")
def test_unsigned_or_forged_requests_get_403(apps, path, query, form, signature, method):
    app, _ = apps["signed"]
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    url = path + ("?" + urlencode(query) if query else "")
    try:
        response = app.test_client().open(url, method=method, data=MultiDict(form), headers=headers)
    except ValueError:  # a header value werkzeug itself refuses to send (a newline)
        return
    assert response.status_code == 403
    assert b"<Response" not in response.get_data()
    assert _crashes() == []


def test_forged_signature_for_other_fields_is_refused(apps):
    """A valid signature of one request does not carry over to edited fields."""
    app, _ = apps["signed"]
    url = "http://localhost/voice/gather?node=main&lang=zh-CN"
    signature = RequestValidator(TOKEN).compute_signature(url, {"Digits": "1"})
    client = app.test_client()
    assert (
        client.post(
            url, data={"Digits": "1"}, headers={"X-Twilio-Signature": signature}
        ).status_code
        == 200
    )
    assert (
        client.post(
            url, data={"Digits": "0"}, headers={"X-Twilio-Signature": signature}
        ).status_code
        == 403
    )
    assert (
        client.post(
            url.replace("main", "account"),
            data={"Digits": "1"},
            headers={"X-Twilio-Signature": signature},
        ).status_code
        == 403
    )
