"""The benchmark's own pieces do what its figures assume (no timing here: `make bench` times)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from bench.bench import BIG_STEP_PATH, STEP_PATH, TOKEN, many_call_states
from bench.ceiling import create_app as ceiling_app
from bench.genmenu import generate
from ivr.menu.loading import load_menus
from ivr.simulator import WsgiTransport
from tests.conftest import ENV, HOTLINE, env_for, twiml


@pytest.fixture(scope="module")
def big_menu(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "menus-2000.yaml"
    path.write_text(generate(2000), encoding="utf-8")
    return path


def test_the_generated_menu_is_valid_and_as_large_as_asked(big_menu):
    menus = load_menus(big_menu, env=ENV)
    assert 2000 <= len(menus.nodes) <= 2100
    assert not menus.warnings  # every node reachable


@pytest.mark.parametrize("size", [800, 2000, 2437])
def test_the_ceiling_sends_a_constant_twiml_document_of_the_asked_size(size):
    client = ceiling_app(size).test_client()
    for path in ("/voice", "/voice/gather"):
        response = client.post(path, data={"Digits": "1"})
        assert response.status_code == 200 and len(response.get_data()) == size
        assert ET.fromstring(response.get_data()).tag == "Response"


@pytest.mark.parametrize(("menus", "path"), [(None, STEP_PATH), ("big", BIG_STEP_PATH)])
def test_the_measured_step_is_an_answer_and_back_on_either_menu(
    make_app, big_menu, tmp_path, menus, path
):
    """Key 1 at the step's node says an answer: not an error or a retry."""
    app = make_app(big_menu, env=env_for(tmp_path)) if menus else make_app(HOTLINE)
    fields = {"CallSid": "CA" + "1" * 32, "Digits": "1"}
    response = app.test_client().post(path, data=fields)
    assert response.status_code == 200
    root = twiml(response)
    passed = WsgiTransport(app, "http://localhost").request("POST", path, fields, {}).nodes
    assert root.find(".//Say") is not None and passed and "error" not in passed
    assert [el.tag for el in root][-1] == "Redirect"  # silence comes back to the call


def test_many_call_states_refuses_a_path_that_would_repeat_one_state():
    with pytest.raises(ValueError, match="step counter"):
        many_call_states(None, "/voice/gather?node=m0&lang=zh-CN", 10)  # type: ignore[arg-type]


def test_the_bench_signs_as_twilio_does(make_app):
    app = make_app(HOTLINE, auth_token=TOKEN)
    fields = {"CallSid": "CA" + "2" * 32, "Digits": "1"}
    signature = RequestValidator(TOKEN).compute_signature("http://localhost" + STEP_PATH, fields)
    response = app.test_client().post(
        STEP_PATH, data=fields, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
