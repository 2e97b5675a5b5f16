"""The in-process transport behaves as a WSGI server and Twilio would."""

from __future__ import annotations

import json

from flask import Flask, redirect, request

from ivr.simulator import WsgiTransport


def app() -> Flask:
    app = Flask(__name__)

    @app.post("/start")
    def start():
        response = redirect("/next?from=start", code=303)
        response.set_cookie("seen", "yes")
        return response

    @app.get("/next")
    def next_():
        return (
            f"<Response><Say>{request.args['from']} {request.cookies.get('seen')} "
            f"{request.headers.get('X-Twilio-Signature')}</Say></Response>",
            200,
            {"Content-Type": "text/xml"},
        )

    @app.post("/echo/<path:rest>")
    def echo(rest):
        return {
            "path": request.path,
            "raw": request.environ["RAW_URI"],
            "rest": rest,
            "form": request.form.to_dict(),
            "url": request.url,
        }

    @app.post("/boom")
    def boom():
        raise RuntimeError("broken handler")

    app.testing = True  # exceptions propagate, as under the test client
    return app


def test_redirects_are_followed_with_the_cookies_set_on_the_way():
    transport = WsgiTransport(app(), "http://127.0.0.1:5000")
    answer = transport.request("POST", "/start", {"CallSid": "CA1"}, {"X-Twilio-Signature": "sig"})
    assert answer.status == 200 and answer.content_type.startswith("text/xml")
    assert answer.body == b"<Response><Say>start yes sig</Say></Response>"
    assert answer.url == "http://127.0.0.1:5000/next?from=start"


def test_the_path_query_and_form_reach_the_app_as_sent():
    transport = WsgiTransport(app(), "https://ivr.example.com")
    answer = transport.request(
        "POST",
        "/echo/%E8%B4%A6%E6%88%B7?node=a&s=2",
        {"Digits": "1#", "SpeechResult": "人工 服务"},
        {},
    )
    assert answer.status == 200
    echoed = json.loads(answer.body)
    assert echoed["rest"] == "账户" and echoed["raw"] == "/echo/%E8%B4%A6%E6%88%B7?node=a&s=2"
    assert echoed["form"] == {"Digits": "1#", "SpeechResult": "人工 服务"}
    assert echoed["url"].startswith("https://ivr.example.com/echo/")
    assert answer.url == "https://ivr.example.com/echo/%E8%B4%A6%E6%88%B7?node=a&s=2"


def test_a_handler_that_raises_is_a_500_with_its_error():
    answer = WsgiTransport(app()).request("POST", "/boom", {}, {})
    assert answer.status == 500 and b"RuntimeError: broken handler" in answer.body


def test_form_encoding_is_urlencode():
    from urllib.parse import urlencode

    from ivr.simulator.transport import form_encode

    fields = {
        "Digits": "1#",
        "SpeechResult": "人工 服务",
        "From": "+8613812341234",
        "Plain": "AC_0.9~x-y",
        "Empty": "",
        "Odd": "a&b=c/d?e%f",
    }
    assert form_encode(fields) == urlencode(fields)
