"""A Line is the number's webhook as set on Twilio: its URL, method and status callback."""

from __future__ import annotations

import pytest

from ivr.simulator.line import Line, LineError
from tests.conftest import TWILIO_VECTOR

from .conftest import BASE, TOKEN, doc

THANKS = doc("<Say>Thanks.</Say><Hangup/>")


def test_the_webhook_is_requested_exactly_as_configured(dial_in) -> None:
    """Any path and query: nothing is dropped, nothing assumed."""
    call = dial_in({"/ivr/welcome": THANKS}, webhook="/ivr/welcome?tenant=7&x=a%20b", status=None)
    (first,) = call.received
    assert first.path == "/ivr/welcome"
    assert first.url == f"{BASE}/ivr/welcome?tenant=7&x=a%20b"
    assert call.result.ok and call.codes == []


def test_a_get_webhook_carries_the_fields_in_its_query_and_is_signed(dial_in) -> None:
    call = dial_in(
        {"/ivr/welcome": THANKS}, webhook="/ivr/welcome?k=v", method="GET", auth_token=TOKEN
    )
    first, status = call.received
    assert first.method == "GET" and first.values["k"] == "v"
    assert first.values["CallStatus"] == "ringing" and first.signature_ok
    assert status.method == "POST" and status.signature_ok  # callbacks are POSTs


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_webhook_with_a_space_or_chinese_in_its_query_is_signed_as_sent(dial_in, method) -> None:
    """Review: '?name=你好&s=a b' was signed raw but sent percent-encoded, so no app could
    check the signature."""
    call = dial_in(
        {"/ivr/welcome": THANKS},
        webhook="/ivr/welcome?name=你好&s=a b",
        method=method,
        auth_token=TOKEN,
        status=None,
    )
    (first,) = call.received
    assert first.url.startswith(f"{BASE}/ivr/welcome?name=你好&s=a%20b")  # werkzeug's reading
    assert first.signature_ok and call.result.ok


def test_no_status_callback_unless_one_is_configured(dial_in) -> None:
    """Twilio sends the status callback only where the number has one: a foreign app
    without /voice/status is not failed with 15003."""
    call = dial_in({"/ivr/welcome": THANKS}, webhook="/ivr/welcome", status=None)
    assert [r.path for r in call.received] == ["/ivr/welcome"]
    assert call.codes == [] and call.result.ok


@pytest.mark.parametrize(
    ("webhook", "method"),
    [("/voice", "POST"), ("ftp://host/voice", "POST"), ("http:///voice", "POST")]
    + [("http://h/voice", "PUT")],
)
def test_a_line_twilio_would_refuse_is_refused(webhook: str, method: str) -> None:
    with pytest.raises(LineError):
        Line(webhook, method)


def test_the_same_token_signs_every_kind_of_request() -> None:
    """Signatures follow Twilio's published vector (twilio-python's own test)."""
    url, params, signature = TWILIO_VECTOR
    line = Line(url, auth_token="12345")
    headers = line.headers("POST", line.webhook, params)
    assert headers["X-Twilio-Signature"] == signature
    assert "X-Twilio-Signature" not in Line(line.webhook).headers("POST", line.webhook, params)


def test_a_failed_document_asks_the_fallback_url_as_twilio_does(dial_in) -> None:
    """Review: the simulator always ended in "application error", though the README's
    set-up gives the number a Fallback URL, which is what a caller then hears."""
    pages = {"/voice": lambda: ("boom", 500), "/fallback": doc("<Say>Sorry.</Say><Hangup/>")}
    call = dial_in(pages, fallback="/fallback", auth_token=TOKEN)
    assert call.lines == [
        "[Fallback] 11200: Twilio asks the Fallback URL",
        "[Say] Sorry.",
        "[Hangup]",
    ]
    assert call.codes == [11200] and not call.result.ok  # the failure is still reported
    (asked,) = call.to("/fallback")
    assert asked.method == "POST" and asked.signature_ok
    assert (asked.values["ErrorCode"], asked.values["ErrorUrl"]) == ("11200", f"{BASE}/voice")
    assert asked.values["CallSid"] == call.to("/voice")[0].values["CallSid"]


def test_a_fallback_that_fails_too_is_the_application_error(dial_in) -> None:
    pages = {"/voice": lambda: ("boom", 500), "/fallback": doc("<Say>unclosed")}
    call = dial_in(pages, fallback="/fallback")
    assert call.codes == [11200, 12100]
    assert call.lines[-1] == "[Error] an application error has occurred (12100); goodbye"


def test_our_own_line_has_the_readmes_fallback_url() -> None:
    from ivr.settings import Settings
    from ivr.simulator.line import own_line

    line = own_line(Settings.from_env({}, public_base_url="https://ivr.example.com"))
    assert line.fallback == "https://ivr.example.com/voice/fallback"
