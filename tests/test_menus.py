"""The loader: the shipped file is valid; each kind of mistake is named with line, node, fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ivr.cli import main as ivr_main
from ivr.menu import phrases
from ivr.menu.loading import check_menus, load_menus
from ivr.menu.problems import MenuError
from ivr.menu.schema import AnswerNode, MenuNode, json_schema
from ivr.menu.voices import speech_language_problem
from ivr.menu.yamlfile import read_yaml
from tests.conftest import ENV, HOTLINE, PROJECT_ROOT
from tests.conftest import shipped_with as _shipped_with

BASE = (Path(__file__).parent / "menus_base.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "menus.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first line containing `marker`."""
    for number, line in enumerate(text.splitlines(), 1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in the test file")


def test_base_fixture_is_valid(tmp_path):
    assert check_menus(write(tmp_path, BASE), env=ENV) == []


def test_shipped_menu_is_valid_with_no_warnings():
    """No phrase of the shipped menu is closer to another node than the matcher allows."""
    problems = check_menus(HOTLINE, env=ENV)
    assert problems == [], "\n".join(map(str, problems))


def test_shipped_menu_reaches_every_node():
    """No node is unreachable: the loader warns about those, and there are none."""
    menus = load_menus(HOTLINE, env=ENV)
    assert not [w for w in menus.warnings if "no path" in w.message]
    assert {
        "welcome",
        "main",
        "payments",
        "payments_failed",
        "funds_not_arrived",
        "login_codes",
        "passwords",
        "stolen",
        "locked",
        "feedback",
        "agent",
        "agent_unavailable",
        "after_hours",
        "voicemail",
        "callback",
        "goodbye",
    } <= set(menus.nodes)


def test_shipped_menu_needs_numbers_from_the_environment():
    with pytest.raises(MenuError) as caught:
        load_menus(HOTLINE, env={}, production=True)
    text = str(caught.value)
    assert "AGENT_NUMBER is not set" in text and "EMERGENCY_NUMBER is not set" in text
    assert "demo default is not used in production" in text


def test_validate_in_the_production_environment_checks_what_production_start_up_does(
    monkeypatch, capsys
):
    """Review: `IVR_ENV=production ivr validate` said valid; the server then refused it."""
    for name in ("AGENT_NUMBER", "EMERGENCY_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    assert ivr_main(["validate", str(HOTLINE)]) == 0  # development: the demo defaults
    capsys.readouterr()
    monkeypatch.setenv("IVR_ENV", "production")
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    assert ivr_main(["validate", str(HOTLINE)]) == 1
    err = capsys.readouterr().err
    assert "AGENT_NUMBER is not set" in err and "EMERGENCY_NUMBER is not set" in err
    # Second review: the settings production start-up refuses are refused here too.
    assert "error: settings: IVR_ENV=production needs TWILIO_AUTH_TOKEN" in err
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "a-token")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://ivr.example.com")
    assert ivr_main(["validate", str(HOTLINE)]) == 0


def test_shipped_numbers_come_from_the_environment():
    menus = load_menus(HOTLINE, env={"AGENT_NUMBER": "+8620111122223"})
    assert menus.nodes["agent_dial"].number == "+8620111122223"
    assert "+8620111122223" not in HOTLINE.read_text(encoding="utf-8")


def test_committed_schema_matches_the_models():
    committed = json.loads((HOTLINE.parent / "menus.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `make schema` to refresh menus.schema.json"
    assert HOTLINE.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=./menus.schema.json"
    )


def test_schema_rejects_unknown_fields_for_editors():
    schema = json_schema()
    menu = schema["$defs"]["MenuNode"]
    assert menu["additionalProperties"] is False
    assert "options" in menu["required"]


def test_every_menu_prompt_names_each_option_key(tmp_path):
    """The composed list can never name a wrong key: each key appears with its label."""
    menus = load_menus(HOTLINE, env=ENV)
    for node_id, plan in menus.plans.items():
        node = menus.nodes[node_id]
        assert isinstance(node, MenuNode | AnswerNode)
        for lang in menus.languages:
            words = " ".join(say.text for say in plan.prompt[lang])
            for key, option in node.options.items():
                if option.language == lang:
                    continue  # switching to the language you already hear is not offered
                label = option.label[option.language or lang]
                assert label in words, (node_id, lang, key)
                assert (f"{label}请按{key}" in words) or (f"{label}, press {key}" in words)


# Each case: what to change in BASE, words the message must contain, the node it must name,
# and a marker: the problem's line is the line of the marker in the changed text.
CASES = [
    (
        "yaml syntax",
        lambda t: t.replace("next: main\n  main:", "next: [main\n  main:"),
        "YAML syntax error",
        None,
        None,
    ),
    (
        "duplicate key",
        lambda t: t.replace("    next: main\n  main:", "    next: main\n    next: info\n  main:"),
        "duplicate key 'next'",
        "welcome",
        "next: info",
    ),
    (
        "unknown field",
        lambda t: t.replace("    timeout: 20", "    tiemout: 20"),
        "unknown field 'tiemout'",
        "dial",
        "tiemout",
    ),
    (
        "did you mean field",
        lambda t: t.replace("    timeout: 20", "    tiemout: 20"),
        "did you mean 'timeout'",
        "dial",
        "tiemout",
    ),
    (
        "unknown node",
        lambda t: t.replace("to: info}", "to: inf}"),
        "unknown node 'inf'",
        "main",
        "to: inf",
    ),
    (
        "did you mean node",
        lambda t: t.replace("to: info}", "to: inf}"),
        "did you mean 'info'",
        "main",
        "to: inf",
    ),
    (
        "bad option key",
        lambda t: t.replace('"1": {label', '"1a": {label'),
        "key '1a' is not valid",
        "main",
        '"1a"',
    ),
    (
        "collides with global key",
        lambda t: t.replace('"1": {label', '"0": {label'),
        "collides with the global 'agent' key",
        "main",
        '"0"',
    ),
    (
        "menu with no options",
        lambda t: t.replace(
            '    options:\n      "1": {label: {zh-CN: 账户问题, en-US: For accounts}, to: info}',
            "    options: {}",
        ),
        "a menu with no options",
        "main",
        "options: {}",
    ),
    (
        "missing start",
        lambda t: t.replace("start: welcome\n", ""),
        "missing required field 'start'",
        None,
        None,
    ),
    (
        "start not a node",
        lambda t: t.replace("start: welcome", "start: welcom"),
        "did you mean 'welcome'",
        None,
        "start: welcom",
    ),
    (
        "missing language",
        lambda t: t.replace("say: {zh-CN: 信息, en-US: Info}", "say: {zh-CN: 信息}"),
        "no 'en-US' words",
        "info",
        "say: {zh-CN: 信息}",
    ),
    (
        "missing language in the defaults' words",
        lambda t: t.replace(
            "  on_max: bye\n", "  on_max: bye\n  not_understood: {zh-CN: 没听清}\n"
        ),
        "no 'en-US' words",
        None,
        "not_understood: {zh-CN: 没听清}",
    ),
    (
        "undeclared language",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", "say: {zh-CN: 信息, en-US: Info, fr-FR: x}"
        ),
        "language 'fr-FR' is not in 'languages'",
        "info",
        "fr-FR: x",
    ),
    (
        "timeout out of range",
        lambda t: t.replace("    timeout: 20", "    timeout: 2"),
        "greater than or equal to 5",
        "dial",
        "timeout: 2",
    ),
    (
        "menu timeout out of range",
        lambda t: t.replace(
            "    global_keys: {main: null, back: null}",
            "    global_keys: {main: null, back: null}\n    timeout: 99",
        ),
        "less than or equal to 60",
        "main",
        "timeout: 99",
    ),
    (
        "retries out of range",
        lambda t: t.replace(
            "    global_keys: {main: null, back: null}",
            "    global_keys: {main: null, back: null}\n    max_failures: 0",
        ),
        "greater than or equal to 1",
        "main",
        "max_failures: 0",
    ),
    (
        "env var missing",
        lambda t: t.replace("${AGENT_NUMBER}", "${NO_SUCH_NUMBER}"),
        "NO_SUCH_NUMBER is not set",
        "dial",
        "NO_SUCH_NUMBER",
    ),
    (
        "not E.164",
        lambda t: t.replace("${AGENT_NUMBER}", "${AGENT_NUMBER}0000000000"),
        "is not an E.164 phone number",
        "dial",
        "number:",
    ),
    (
        "unknown schedule",
        lambda t: t.replace("schedule: office", "schedule: ofice"),
        "unknown schedule 'ofice'",
        "agent",
        "schedule: ofice",
    ),
    (
        "unknown time zone",
        lambda t: t.replace("Asia/Shanghai", "Asia/Shanghia"),
        "Asia/Shanghai",
        None,
        "Asia/Shanghia",
    ),
    (
        "unknown holiday country",
        lambda t: t.replace(
            '    weekly: {daily: ["08:00-20:00"]}',
            '    weekly: {daily: ["08:00-20:00"]}\n    holidays: {country: XX}',
        ),
        "XX",
        None,
        "holidays:",
    ),
    (
        "unknown node type",
        lambda t: t.replace("type: hangup", "type: hangpu"),
        "unknown node type 'hangpu'",
        "bye",
        "type: hangpu",
    ),
    (
        "message with no way on",
        lambda t: t.replace("    next: main\n  main:", "  main:"),
        "exactly one of 'next' or 'hangup: true'",
        "welcome",
        "welcome:",
    ),
    (
        "silent loop",
        lambda t: t.replace("  on_max: bye", "  on_max: agent").replace(
            "closed: bye", "closed: main"
        ),
        "would loop forever",
        None,
        None,
    ),
    (
        "full prompt names a missing key",
        lambda t: t.replace(
            "    options:\n",
            "    full_prompt: {zh-CN: 账户问题请按1，其他请按2, en-US: "
            "For accounts press 1}\n    options:\n",
        ),
        "says to press '2'",
        "main",
        "full_prompt",
    ),
    (
        "full prompt misses an option",
        lambda t: t.replace(
            "    options:\n",
            "    full_prompt: {zh-CN: 账户问题请按1, en-US: Hello}\n    options:\n",
        ),
        "never names option '1'",
        "main",
        "full_prompt",
    ),
    (
        "answer names a key that does nothing",
        lambda t: t.replace(
            "    type: message\n    say: {zh-CN: 信息, en-US: Info}\n    next: main",
            "    type: answer\n    say: {zh-CN: 信息，详情请按5, en-US: Info}",
        ),
        "says to press '5'",
        "info",
        "信息，详情请按5",
    ),
    (
        "answer returns to a node that is not a menu",
        lambda t: t.replace(
            "    type: message\n    say: {zh-CN: 信息, en-US: Info}\n    next: main",
            "    type: answer\n    say: {zh-CN: 信息, en-US: Info}\n    back: bye",
        ),
        "'back' must be a menu",
        "info",
        "back: bye",
    ),
    (
        "retention days said but not set",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", 'say: {zh-CN: "保存{retention_days}天", en-US: Info}'
        ),
        "sets no retention_days",
        "info",
        "保存{retention_days}天",
    ),
    (
        "an email said but not set",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", 'say: {zh-CN: "邮箱是{email}", en-US: Info}'
        ),
        "sets no email in zh-CN",
        "info",
        "邮箱是{email}",
    ),
    (
        "an email said in a language the setting lacks",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}",
            'say: {zh-CN: 信息, en-US: "Write to {email}"}',
        ).replace("version: 1", "version: 1\nemail: {zh-CN: a 艾特 example 点 com}", 1),
        "sets no email in en-US",
        "info",
        "Write to {email}",
    ),
    (
        "a misspelt placeholder would be read out",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}",
            'say: {zh-CN: "保存{retention_day}天", en-US: Info}',
        ).replace("version: 1", "version: 1\nretention_days: 90", 1),
        "'{retention_day}' is not filled in here",
        "info",
        "保存{retention_day}天",
    ),
    (
        "a placeholder of another place would be read out",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", 'say: {zh-CN: 信息, en-US: "Open {hours}"}'
        ),
        "'{hours}' is not filled in here",
        "info",
        "Open {hours}",
    ),
    (
        "a recording's length said where nothing records",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", 'say: {zh-CN: 信息, en-US: "Up to {max_length}"}'
        ),
        "'{max_length}' is not filled in here",
        "info",
        "Up to {max_length}",
    ),
    (
        "chinese words in the english slot",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", "say: {zh-CN: 信息, en-US: 信息内容}"
        ),
        "Chinese text in the en-US words ('信息内容')",
        "info",
        "信息内容",
    ),
    (
        "no chinese in the mandarin slot",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", "say: {zh-CN: Info here, en-US: Info}"
        ),
        "no Chinese in the zh-CN words ('Info here')",
        "info",
        "Info here",
    ),
    (
        "a leftover placeholder",
        lambda t: t.replace("say: {zh-CN: 信息, en-US: Info}", "say: {zh-CN: 信息, en-US: TBD}"),
        "'TBD' left in the en-US words",
        "info",
        "en-US: TBD",
    ),
    (
        "the languages name different keys",
        lambda t: t.replace(
            "say: {zh-CN: 信息, en-US: Info}", "say: {zh-CN: 信息，账户问题请按1, en-US: Press 2}"
        ),
        "zh-CN names 1 ('账户问题请按1'); en-US names 2 ('Press 2')",
        "info",
        "账户问题请按1",
    ),
    (
        "a misspelt environment variable",
        lambda t: t.replace("${AGENT_NUMBER}", "${AGENT_NUMBR}"),
        "AGENT_NUMBR is not set (fix: did you mean AGENT_NUMBER?)",
        "dial",
        "AGENT_NUMBR",
    ),
    (
        "a node's own mandarin voice that cannot speak it",
        lambda t: t.replace(
            "    say: {zh-CN: 信息, en-US: Info}\n",
            "    say: {zh-CN: 信息, en-US: Info}\n"
            "    voices: {zh-CN: {voice: Polly.Joanna, language: en-US}}\n",
        ),
        "voice 'Polly.Joanna' cannot speak Mandarin",
        "info",
        "voices: {zh-CN",
    ),
    (
        "mandarin with an english voice",
        lambda t: t.replace("voice: Polly.Zhiyu", "voice: Polly.Joanna"),
        "cannot speak Mandarin",
        None,
        "zh-CN: {voice: Polly.Joanna",
    ),
    (
        "a misspelt polly voice",
        lambda t: t.replace("voice: Polly.Joanna", "voice: Polly.Joana"),
        "voice 'Polly.Joana' Amazon Polly has no voice 'Joana' (did you mean 'Polly.Joanna'?)",
        None,
        "en-US: {voice: Polly.Joana",
    ),
    (
        "a voice Twilio does not have",
        lambda t: t.replace("voice: Polly.Joanna", "voice: Joanna"),
        "voice 'Joanna' must be man, woman, Polly.<Name>",
        None,
        "en-US: {voice: Joanna",
    ),
    (
        "a voice given a language it does not speak",
        lambda t: t.replace(
            "voice: Polly.Joanna, language: en-US", "voice: Polly.Joanna, language: fr-FR"
        ),
        "voice 'Polly.Joanna' speaks en-US, not 'fr-FR'",
        None,
        "language: fr-FR",
    ),
    (
        "a node's own voice that does not exist",
        lambda t: t.replace(
            "    say: {zh-CN: 信息, en-US: Info}\n",
            "    say: {zh-CN: 信息, en-US: Info}\n"
            "    voices: {en-US: {voice: Polly.Brain, language: en-GB}}\n",
        ),
        "did you mean 'Polly.Brian'?",
        "info",
        "voices: {en-US",
    ),
    (
        "a speech language the recogniser does not take",
        lambda t: t.replace("speech_language: cmn-Hans-CN", "speech_language: cmn-CN"),
        "speech_language 'cmn-CN' is not a language Twilio's speech recognition supports",
        None,
        "speech_language: cmn-CN",
    ),
]


@pytest.mark.parametrize(
    ("change", "words", "node", "marker"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_loader_names_the_problem(tmp_path, change, words, node, marker):
    text = change(BASE)
    assert text != BASE, "the change did not apply"
    path = write(tmp_path, text)
    problems = [p for p in check_menus(path, env=ENV) if p.severity == "error"]
    matching = [p for p in problems if words in str(p)]
    assert matching, "\n".join(map(str, problems)) or "no problem reported"
    problem = matching[0]
    assert problem.file == str(path)
    if node:
        assert problem.node == node
    if marker:
        assert problem.line == line_of(text, marker), str(problem)
    with pytest.raises(MenuError):
        load_menus(path, env=ENV)


def test_unreachable_node_is_a_warning(tmp_path):
    text = BASE + "  orphan:\n    type: hangup\n"
    problems = check_menus(write(tmp_path, text), env=ENV)
    assert [(p.severity, p.node, p.line) for p in problems] == [
        ("warning", "orphan", line_of(text, "orphan:"))
    ]


def test_demo_default_allowed_in_development_only(tmp_path):
    path = write(tmp_path, BASE.replace("${AGENT_NUMBER}", "${AGENT_NUMBER:-+8610555000111}"))
    assert load_menus(path, env={}).nodes["dial"].number == "+8610555000111"
    with pytest.raises(MenuError, match="AGENT_NUMBER is not set"):
        load_menus(path, env={}, production=True)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = BASE.replace("to: info}", "to: inf}").replace("schedule: office", "schedule: x")
    messages = " | ".join(str(p) for p in check_menus(write(tmp_path, text), env=ENV))
    assert "unknown node 'inf'" in messages and "unknown schedule 'x'" in messages


def test_problem_text_names_file_line_node_and_fix(tmp_path):
    text = BASE.replace("to: info}", "to: inf}")
    path = write(tmp_path, text)
    (problem,) = check_menus(path, env=ENV)
    assert str(problem) == (
        f"{path}:{line_of(text, 'to: inf')}: error: node 'main': "
        "unknown node 'inf' (fix: did you mean 'info'?)"
    )


def test_validate_command_exit_codes(tmp_path, capsys, monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert ivr_main(["validate", str(HOTLINE)]) == 0
    assert "valid" in capsys.readouterr().out
    bad = write(tmp_path, BASE.replace("to: info}", "to: inf}"))
    assert ivr_main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'info'" in err and "1 error(s)" in err


def test_validate_prints_the_error_before_the_warnings_and_a_summary_last(
    tmp_path, capsys, monkeypatch
):
    """F21: a welcome that loops to itself makes every other node unreachable; the error
    leads."""
    others = len(load_menus(HOTLINE, env=ENV).nodes) - 1  # every node but the welcome
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    bad = _shipped_with(tmp_path, "next: main", "next: welcome", after="  welcome:")
    assert ivr_main(["validate", str(bad)]) == 1
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert "error: node 'welcome': a caller who stays silent would loop forever" in err[0]
    assert f"{bad}:" in err[0] and "(fix: point one of these nodes'" in err[0]
    warnings = captured.out.splitlines()
    assert len(warnings) == others and all(": warning: " in line for line in warnings)
    assert err[-1] == f"{bad}: 1 error(s), {others} warning(s)"


@pytest.mark.parametrize(
    ("old", "new", "after", "first"),
    [
        ("to: payments_failed", "to: payment_failed", None, "unknown node 'payment_failed'"),
        ('      "2":', '      "1":', "to: payments_failed", "duplicate key '1'"),
    ],
)
def test_validate_marks_the_knock_on_error_of_a_broken_link(
    tmp_path, capsys, monkeypatch, old, new, after, first
):
    """F21: the answer whose menu link was lost is marked as following from the real error."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    bad = _shipped_with(tmp_path, old, new, after)
    assert ivr_main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert first in err[0] and "probably follows" not in err[0]
    assert "node 'payments_failed': no menu option leads to this answer" in err[1]
    assert err[1].endswith("[probably follows from an error above: fix those first]")
    assert err[-1] == f"{bad}: 1 error(s) (+1 that probably follow from them), 0 warning(s)"


def test_an_answer_without_a_menu_is_an_error_of_its_own_when_nothing_else_is_wrong(tmp_path):
    """Without a broken link the same problem is a plain error, not marked."""
    problems = check_menus(_shipped_with(tmp_path, "to: payments_failed", "to: goodbye"), env=ENV)
    orphan = [p for p in problems if "no menu option leads to this answer" in p.message]
    assert orphan and not any(p.consequence for p in orphan)


def test_validate_missing_file(tmp_path, capsys):
    assert ivr_main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "cannot read the file" in capsys.readouterr().err


def test_schema_command_prints_json(capsys):
    assert ivr_main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("ivr menus.yaml")


def test_readme_shows_the_current_menu_diagram(capsys):
    """The README's diagram is `ivr graph` of the shipped menu, not a stale copy."""
    assert ivr_main(["graph", "--menus", str(HOTLINE)]) == 0
    diagram = capsys.readouterr().out
    readme = (HOTLINE.parent / "README.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{diagram}```" in readme


def test_readme_documents_every_command():
    from ivr.cli import cli

    readme = (HOTLINE.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"ivr {name}" in readme, f"README does not mention `ivr {name}`"


def test_multi_digit_options_end_with_pound(tmp_path, make_app):
    """A menu with multi-digit entries collects keys until '#' (or the timeout)."""
    text = BASE.replace(
        '      "1": {label: {zh-CN: 账户问题, en-US: For accounts}, to: info}',
        '      "1": {label: {zh-CN: 账户问题, en-US: For accounts}, to: info}\n'
        '      "12": {label: {zh-CN: 十二号, en-US: For twelve}, to: bye}',
    )
    menus = load_menus(write(tmp_path, text), env=ENV)
    plan = menus.plans["main"]
    assert (plan.num_digits, plan.finish_on_key) == (None, "#")
    app = make_app(write(tmp_path, text))
    from tests.conftest import spoken, twiml

    root = twiml(app.test_client().post("/voice"))
    gather = root.find("Gather")
    assert gather.get("numDigits") is None and gather.get("finishOnKey") == "#"
    assert "十二号请按12" in spoken(gather)
    answer = twiml(app.test_client().post(gather.get("action"), data={"Digits": "12"}))
    assert answer[-1].tag == "Hangup" and "再见" in spoken(answer)


ANSWER = BASE.replace(
    "    type: message\n    say: {zh-CN: 信息, en-US: Info}\n    next: main",
    "    type: answer\n    say: {zh-CN: 信息。, en-US: Info.}",
).replace(
    "defaults:\n",
    "defaults:\n  global_key_labels:\n    repeat: {zh-CN: 重听, en-US: Again}\n"
    "    back: {zh-CN: 返回, en-US: Back}\n    agent: {zh-CN: 人工服务, en-US: An agent}\n",
)


def test_an_answer_ends_with_its_ways_onward_and_takes_its_menus_keys(tmp_path):
    """The words are composed: '*' this answer again, '#' back, 0 the agent."""
    menus = load_menus(write(tmp_path, ANSWER + "retention_days: 30\n"), env=ENV)
    plan = menus.plans["info"]
    assert [s.text for s in plan.prompt["zh-CN"]] == [
        "信息。重听请按星号键，返回请按井号键，人工服务请按0。"
    ]
    assert plan.back == "main" and plan.answer
    assert plan.keys["1"].to == "info" and plan.keys["*"] == "repeat"


def test_retention_days_are_filled_in(tmp_path):
    text = ANSWER.replace(
        "say: {zh-CN: 信息。, en-US: Info.}",
        'say: {zh-CN: "保存{retention_days}天。", en-US: "Kept {retention_days} days."}',
    )
    menus = load_menus(write(tmp_path, text + "retention_days: 30\n"), env=ENV)
    assert menus.nodes["info"].say == {"zh-CN": "保存30天。", "en-US": "Kept 30 days."}


def test_the_email_is_filled_in_from_the_operator_setting_in_each_language(tmp_path):
    """No prompt hard-codes the address (#14.4): it is an operator setting, read per voice."""
    text = ANSWER.replace(
        "say: {zh-CN: 信息。, en-US: Info.}",
        'say: {zh-CN: "邮箱是{email}。", en-US: "Write to {email}."}',
    )
    setting = "email: {zh-CN: help 艾特 example 点 com, en-US: help at example dot com}\n"
    menus = load_menus(write(tmp_path, text + setting), env=ENV)
    assert menus.nodes["info"].say == {
        "zh-CN": "邮箱是help 艾特 example 点 com。",
        "en-US": "Write to help at example dot com.",
    }


def test_the_shipped_channels_answer_says_the_email_setting(tmp_path):
    """The caller who asks "邮箱是多少" hears the address the operator set, not a fixed one."""
    text = HOTLINE.read_text("utf-8")
    assert text.count("zh-CN: service 艾特 example 点 com") == 1
    moved = text.replace("zh-CN: service 艾特 example 点 com", "zh-CN: care 艾特 example 点 org")
    path = tmp_path / "menus.yaml"
    path.write_text(moved, "utf-8")
    said = load_menus(path, env=ENV).nodes["channels"].say["zh-CN"]
    assert "发邮件给客服团队，邮箱是care 艾特 example 点 org。" in said
    assert "service" not in said


def test_validate_loads_neither_the_web_app_nor_the_database():
    """Commands are imported when they run: checking a file needs no Flask or SQLAlchemy."""
    code = (
        "import sys\nfrom ivr.cli import main\ncode = main(['validate', 'menus.yaml'])\n"
        "print(code, sorted(m for m in ('flask', 'sqlalchemy', 'rich', 'alembic')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []"


# -- example phrases that collide between two nodes -------------------------------------------

SPOKEN = BASE.replace(
    "    global_keys: {main: null, back: null}\n",
    "    speech: true\n    global_keys: {main: null, back: null}\n",
).replace(
    '      "1": {label: {zh-CN: 账户问题, en-US: For accounts}, to: info}\n',
    '      "1": {label: {zh-CN: 账户问题, en-US: For accounts}, to: info,\n'
    "            keywords: {zh-CN: [账户], en-US: [account]}}\n"
    '      "2": {label: {zh-CN: 付款问题, en-US: For payments}, to: pay,\n'
    "            keywords: {zh-CN: [付款], en-US: [payment]}}\n",
) + (
    "  pay:\n"
    "    type: message\n"
    "    say: {zh-CN: 付款, en-US: Payments}\n"
    "    next: main\n"
    "    phrases:\n"
    "      zh-CN: [PAY]\n"
)


def spoken_menu(info: str, pay: str) -> str:
    """The base menu listening, with example phrases for 'info' and 'pay' (YAML lists)."""
    text = SPOKEN.replace("PAY", pay)
    return text.replace(
        "    say: {zh-CN: 信息, en-US: Info}\n",
        f"    say: {{zh-CN: 信息, en-US: Info}}\n    phrases:\n      zh-CN: [{info}]\n",
    )


def test_distinct_phrases_are_valid(tmp_path):
    text = spoken_menu("我的账户登录不了, 账户被锁住怎么办", "付款失败了, 扫码付不了钱")
    assert check_menus(write(tmp_path, text), env=ENV) == []


def test_the_same_phrase_in_two_nodes_is_an_error(tmp_path):
    """Identical once the matcher has normalised them (case, punctuation, fillers)."""
    text = spoken_menu("我的账户登录不了, 账户被锁了", "付款失败了, 嗯，账户被锁了吗？")
    problems = check_menus(write(tmp_path, text), env=ENV)
    assert [(p.severity, p.node, p.line) for p in problems] == [
        ("error", "pay", line_of(text, "付款失败了")),
    ]
    first = line_of(text, "我的账户登录不了")
    assert problems[0].message == (
        f"phrase '嗯，账户被锁了吗？' is also an example of node 'info' (line {first}): "
        "the matcher cannot tell them apart"
    )
    with pytest.raises(MenuError):
        load_menus(write(tmp_path, text), env=ENV)


def test_a_phrase_the_matcher_sends_to_another_node_is_a_warning(tmp_path):
    text = spoken_menu("我的账户登录不了, 账户被锁住要怎么办", "付款失败了, 账户被锁住了")
    problems = check_menus(write(tmp_path, text), env=ENV)
    assert [(p.severity, p.node, p.line) for p in problems] == [
        ("warning", "info", line_of(text, "我的账户登录不了")),
    ]
    assert problems[0].message == (
        "phrase '账户被锁住要怎么办' is closer to node 'pay' "
        f"('账户被锁住了', line {line_of(text, '付款失败了')}) than the matcher allows: "
        "a caller who says it would be asked to choose between them"
    )
    assert load_menus(write(tmp_path, text), env=ENV).warnings == tuple(problems)


def test_a_yaml_alias_bomb_is_refused_quickly_with_its_line(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 9):  # each level multiplies by ten: 10**9 values in nine lines
        prev, this = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{this}: &{this} [{', '.join(['*' + prev] * 10)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    (problem,) = check_menus(path, ENV)
    assert time.monotonic() - started < 10
    assert "YAML aliases" in problem.message and problem.line is not None


def _merge_bomb(depth: int) -> str:
    """`<<:` merge keys nested `depth` deep, each merging its inner mapping nine times."""
    inner = "{" + ", ".join(f"k{i}: {i}" for i in range(9)) + "}"
    for level in range(depth):
        inner = f"{{<<: [&l{level} {inner}, {', '.join([f'*l{level}'] * 8)}]}}"
    return f"version: 1\nx: {inner}\n"


def test_nested_merge_keys_are_refused_before_anything_is_merged(tmp_path, monkeypatch):
    """Review (#18): the value cap counted while building, after PyYAML had applied each
    `<<:` merge by copying; 498 bytes of nested merges took 38 s and 3.4 GB to refuse."""
    from ivr.menu import yamlfile

    merged = []

    def merge(loader, node):  # noted, and left unapplied so that a failure is quick
        merged.append(node.start_mark.line)
        node.value = []

    monkeypatch.setattr(yamlfile._Loader, "flatten_mapping", merge)
    problems = check_menus(write(tmp_path, _merge_bomb(8)), ENV)
    assert merged == []
    (problem,) = problems
    assert "values through YAML aliases" in problem.message and problem.line == 2


def test_merge_keys_that_expand_little_still_load():
    data = read_yaml("base: &b {zh-CN: 你好, en-US: Hello}\nsay: {<<: *b, en-US: Hi}\n").data
    assert data["say"] == {"zh-CN": "你好", "en-US": "Hi"}
    assert read_yaml(_merge_bomb(2)).data["x"]["k8"] == 8


def test_one_long_text_aliased_many_times_is_refused_with_its_line(tmp_path):
    """Review: one level of aliases to a long keyword passed the value cap, and 335 KB of
    them took 16 s and 4 GB to call "valid"."""
    long = "留" * 20_000
    text = f"keywords: [&s {long}, {', '.join(['*s'] * 5_000)}]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = check_menus(path, ENV)
    assert "characters through YAML aliases" in problem.message and problem.line == 1


def test_a_misspelt_placeholder_gets_the_name_it_means(tmp_path):
    text = BASE.replace(
        "say: {zh-CN: 信息, en-US: Info}", 'say: {zh-CN: "保存{retention_day}天", en-US: Info}'
    ).replace("version: 1", "version: 1\nretention_days: 90", 1)
    problems = check_menus(write(tmp_path, text), env=ENV)
    assert [(p.node, p.fix) for p in problems] == [("info", "did you mean '{retention_days}'?")]


def test_an_answer_no_option_leads_to_is_named_as_such(tmp_path):
    """Review: removing the one option to an answer was reported as "cannot tell which menu
    '#' returns to", with only the 'back:' fix, hiding that no key reaches it any more."""
    shipped = HOTLINE.read_text(encoding="utf-8")
    option = (
        '      "3":\n        label:\n          zh-CN: 防骗与隐私\n'
        "          en-US: For safety and privacy\n        to: safety\n"
    )
    start = shipped.index(option)
    end = shipped.index("\n\n", start) + 1  # the option's keywords run to the blank line
    path = write(tmp_path, shipped[:start] + shipped[end:])
    env = {**ENV, "EMERGENCY_NUMBER": "+8610555000999"}
    (problem,) = [p for p in check_menus(path, env=env) if p.severity == "error"]
    assert problem.node == "safety" and "no menu option leads to this answer" in problem.message
    assert "add an option for it to its menu" in (problem.fix or "")


def test_an_answer_two_menus_lead_to_needs_its_back(tmp_path):
    """Reached from two menus, an answer must say which one '#' returns to."""
    path = _shipped_with(tmp_path, "to: register", "to: payments_failed")
    problems = [p for p in check_menus(path, env=ENV) if p.severity == "error"]
    assert [(p.node, p.message, p.fix) for p in problems if p.node == "payments_failed"] == [
        (
            "payments_failed",
            "cannot tell which menu '#' returns to after this answer",
            "set 'back:' to the menu it belongs to",
        )
    ]


@pytest.mark.parametrize(
    ("words", "lang", "keys"),
    [
        ("账户问题请按1，其他请按 2。", "zh-CN", {"1", "2"}),
        ("说完按井号键结束，重听请按星号键", "zh-CN", {"#", "*"}),
        ("按一下井号，或按星号", "zh-CN", {"#", "*"}),
        ("返回请按＃，人工请按０", "zh-CN", {"#", "0"}),  # full-width keys
        ("按下3", "zh-CN", {"3"}),
        ("请按键：支付问题", "zh-CN", set()),  # "press a key", no key named
        ("Press 1 for payments, or press zero for an agent.", "en-US", {"1", "0"}),
        ("press the star key to repeat; press pound or hash to go back", "en-US", {"*", "#"}),
        ("Press one of the keys", "en-US", set()),
    ],
)
def test_the_keys_words_name_are_read_in_both_languages(words, lang, keys):
    assert phrases.named_keys(words, lang) == keys


def shipped_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The shipped menu with one change, as a reviewer would make it."""
    text = HOTLINE.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    return write(tmp_path, changed), changed


def test_an_answer_naming_the_wrong_key_in_one_language_is_refused(tmp_path):
    """Review 8, F8: '请按2转接安全专线' while the English said press 1 passed validate; the
    other key is live there (one of the menu's own), so the old check could not see it."""
    path, text = shipped_with(tmp_path, "忘记密码请按2。", "忘记密码请按3。")
    problems = [str(p) for p in check_menus(path, env=ENV)]
    say = line_of(text, "忘记密码请按3") - 1
    assert (
        f"{path}:{say}: error: node 'login': the languages name different keys: zh-CN names "
        "3 ('忘记密码请按3'); en-US names 2 ('press 2') (fix: make every language name the "
        "same keys for the same choices)"
    ) in problems
    assert (
        f"{path}:{line_of(text, '忘记密码请按3')}: error: node 'login': the words say to "
        "press '3' ('忘记密码请按3') but '忘记密码' is what key '2' does here (fix: say '2', "
        "or point option '3' there)"
    ) in problems


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            "en-US: 正在为您转接安全专线，请稍候。",
            "Chinese text in the en-US words ('正在为您转接安全专线，请稍候。'): the en-US voice "
            "cannot read it (fix: write the en-US words here (the Chinese belongs under a zh-CN "
            "key))",
        ),
        (
            "en-US: TODO translate",
            "'TODO' left in the en-US words: a caller would hear 'TODO translate' (fix: write "
            "the words a caller should hear)",
        ),
    ],
)
def test_words_in_the_wrong_language_or_left_unfinished_are_refused(tmp_path, new, message):
    """Review 8, F9: both passed validate; a caller would have heard them."""
    old = "en-US: Connecting you to the security line, please hold."
    path, text = shipped_with(tmp_path, old, new)
    problems = [str(p) for p in check_menus(path, env=ENV)]
    assert problems[0] == f"{path}:{line_of(text, new)}: error: node 'security_dial': {message}"


def test_a_misspelt_node_id_is_named_rather_than_copied_into_the_reference(tmp_path):
    """Review 8, F10: the fix offered was to misspell the correct reference as well."""
    path, text = shipped_with(tmp_path, "\n  funds_not_arrived:", "\n  funds_not_arived:")
    first = check_menus(path, env=ENV)[0]
    assert first.node == "payments" and first.line == line_of(text, "to: funds_not_arrived")
    assert first.fix == (
        f"node 'funds_not_arived' (line {line_of(text, 'funds_not_arived:')}) may be misspelt: "
        "the reference names 'funds_not_arrived' and none names 'funds_not_arived'; rename the "
        "node to 'funds_not_arrived' (or this reference to 'funds_not_arived')"
    )
    # Two references make it sure.
    path, text = shipped_with(tmp_path, "to: payments_failed", "to: funds_not_arrived")
    path.write_text(text.replace("\n  funds_not_arrived:", "\n  funds_not_arived:"), "utf-8")
    fixes = {p.fix for p in check_menus(path, env=ENV) if "unknown node" in p.message}
    assert fixes == {
        f"node 'funds_not_arived' (line {line_of(text, 'funds_not_arrived:')}) may be misspelt: "
        "2 references name 'funds_not_arrived' and none names 'funds_not_arived'; rename the "
        "node to 'funds_not_arrived'"
    }


def test_a_misspelt_environment_variable_gets_the_name_it_means(tmp_path):
    """Review 8, F10: the fix was to export the misspelt name."""
    path, text = shipped_with(tmp_path, "${EMERGENCY_NUMBER:-+8610555000999}", "${EMERGENCY_NUMBR}")
    (problem,) = check_menus(path, env={})
    assert str(problem) == (
        f"{path}:{line_of(text, 'EMERGENCY_NUMBR')}: error: node 'security_dial': environment "
        "variable EMERGENCY_NUMBR is not set (fix: did you mean EMERGENCY_NUMBER?)"
    )


def test_a_repeated_text_is_read_once():
    """A large menu repeats its language codes and labels thousands of times: the loaded
    data holds one copy of each text, keys and values alike."""
    data = read_yaml("a: {zh-CN: 重听, en-US: Again}\nb: {zh-CN: 重听, en-US: Again}\n").data
    assert data == {
        "a": {"zh-CN": "重听", "en-US": "Again"},
        "b": {"zh-CN": "重听", "en-US": "Again"},
    }
    assert data["a"]["zh-CN"] is data["b"]["zh-CN"] and data["a"]["en-US"] is data["b"]["en-US"]
    assert [id(key) for key in data["a"]] == [id(key) for key in data["b"]]


def test_a_pound_key_that_a_multi_digit_menu_would_announce_and_ignore_is_an_error(tmp_path):
    """Review 10: with a two-key option '#' ends the entry, so the back key it announced
    ("返回请按井号键") never reached the server; validate called the file valid."""
    bad = _shipped_with(tmp_path, '      "3":', '      "33":', "  payments:")
    problems = [p for p in check_menus(bad, env=ENV) if "ends a multi-digit entry" in p.message]
    assert [p.severity for p in problems] == ["error"]
    assert str(problems[0]).startswith(f"{bad}:{line_of(bad.read_text(), '  payments:')}:")
    assert "node 'payments'" in str(problems[0]) and "global_keys: {back: null}" in str(problems[0])
    menu = "  payments:\n    type: menu\n"
    fixed = bad.read_text(encoding="utf-8").replace(menu, menu + "    global_keys: {back: null}\n")
    assert not [p for p in check_menus(write(tmp_path, fixed), env=ENV) if p.severity == "error"]


@pytest.mark.parametrize(
    ("old", "new", "fix"),
    [
        ("retention_days: 90", "retention_days: -1", "set retention_days to 1 or more"),
        ("  max_failures: 3", "  max_failures: 0", "set max_failures to 1 or more"),
        ("max_length: 120", "max_length: two minutes", "write max_length as a whole number"),
    ],
)
def test_a_value_out_of_range_or_of_the_wrong_kind_gets_a_fix(tmp_path, old, new, fix):
    """Review 10: pydantic's own checks printed its message alone, with no fix."""
    (problem,) = check_menus(_shipped_with(tmp_path, old, new), env=ENV)
    assert problem.fix and problem.fix.startswith(fix), str(problem)
    assert str(problem).endswith(f"(fix: {problem.fix})")


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("zh-Hans", "cmn-Hans-CN"),  # review 10: it suggested zh-HK, Cantonese
        ("zh", "cmn-Hans-CN"),
        ("zh-Hant", "cmn-Hant-TW"),
        ("cmn-CN", "cmn-Hans-CN"),
        ("en-UK", "en-GB"),
        ("en", "en-US"),
        ("fr", "fr-FR"),
        ("en-us", "en-US"),
    ],
)
def test_a_mistyped_speech_language_suggests_the_same_language(value, meant):
    assert f"(did you mean {meant!r}?)" in (speech_language_problem(value) or "")


def test_validate_suggests_mandarin_for_a_mandarin_speech_language(tmp_path):
    bad = _shipped_with(tmp_path, "speech_language: cmn-Hans-CN", "speech_language: zh-Hans")
    (problem,) = check_menus(bad, env=ENV)
    assert "did you mean 'cmn-Hans-CN'?" in problem.message and "zh-HK" not in str(problem)


def test_the_readmes_menus_excerpt_is_valid_but_for_the_nodes_it_leaves_out(tmp_path):
    """Developer review: the README's example of the format was not YAML at all (text with
    a comma inside `{...}`); copied, it failed with nine errors."""
    import re

    readme = (HOTLINE.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## menus.yaml\n") :]
    block = re.search(r"```yaml\n(.*?)\n```", section, re.S)
    assert block is not None
    excerpt = tmp_path / "menus.yaml"
    excerpt.write_text(block.group(1), encoding="utf-8")
    with pytest.raises(MenuError) as refused:
        load_menus(excerpt, ENV)
    problems = [p for p in refused.value.problems if p.severity == "error"]
    assert [p.message for p in problems] == ["unknown node 'after_hours'"], problems


@pytest.mark.parametrize(
    ("old", "new", "after", "words", "node"),
    [
        (
            "    schedule: agents\n    say:",
            "    say:",
            "  service_hours:",
            "'{hours}' needs a schedule to fill it in",
            "service_hours",
        ),
        (
            "    schedule: agents\n    say:",
            "    schedule: agent\n    say:",
            "  service_hours:",
            "unknown schedule 'agent'",
            "service_hours",
        ),
        (
            "        to: channels\n",
            "        to: channels\n        unsaid_when_closed: true\n",
            "  more:",
            "'unsaid_when_closed' needs an option that leads to an hours node",
            "more",
        ),
        (
            "    say:\n      zh-CN: 除了电话，",
            "    say:\n      zh-CN: 除了电话{zone}，",
            "  channels:",
            "'{zone}' needs a schedule to fill it in",
            "channels",
        ),
    ],
    ids=[
        "hours without a schedule",
        "an unknown schedule",
        "unsaid but not an hours node",
        "a zone without a schedule",
    ],
)
def test_the_closed_words_and_an_answers_hours_are_checked(tmp_path, old, new, after, words, node):
    path = _shipped_with(tmp_path, old, new, after)
    problems = [p for p in check_menus(path, env=ENV) if p.severity == "error"]
    assert {p.node for p in problems if words in str(p)} == {node}, "\n".join(map(str, problems))
