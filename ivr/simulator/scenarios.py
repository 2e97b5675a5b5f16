"""Call-flow tests: YAML scenarios of caller actions and what the caller must hear.

A scenario file holds one call (a mapping) or several (`calls:` list):

    name: agent after hours leads to voicemail
    at: 2026-11-23T21:00:00+08:00     # the server's clock for this call
    from: "+8613800138000"
    lang: en-US                       # starts the call at /voice?lang=en-US
    steps:
      - expect: 欢迎致电                # words heard since the last action (/regex/ too)
      - press: "0"
      - expect_node: after_hours        # where the call waits now
      - expect_dial: agent_dial         # a transfer: the dial node, the number, or true
      - press: "1"
      - expect_record: true
      - record: 请给我回电
      - expect_hangup: true

Actions (`press`, `say`, `silence`, `dial`, `record`) are used in order whenever
the call waits; expectations are checked against what was heard since the
previous action. The simulator core does not import the server: a scenario
runs through whatever transport the caller of `run_scenario` provides.

`recorded_steps` and `dump_scenario` write the same format from a call that was
placed by hand (the browser phone's "Export scenario"), so the one reader here
decides what a written file means.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from ivr.menu.problems import did_you_mean
from ivr.simulator.call import Call, CallResult, Event
from ivr.simulator.callers import (
    CallerAction,
    DialOutcome,
    GatherPrompt,
    HangUp,
    Keys,
    Message,
    RecordPrompt,
    Silence,
    Speech,
)
from ivr.simulator.checks import counts
from ivr.simulator.line import Line
from ivr.simulator.transport import Transport, resolve_url, with_query

ACTIONS = ("press", "say", "silence", "dial", "record", "record_and_hang_up")
EXPECTATIONS = ("expect", "expect_dial", "expect_record", "expect_hangup", "expect_node")
_WAITS = {
    "gather": ("press", "say", "silence"),
    "dial": ("dial",),
    "record": ("record", "record_and_hang_up", "silence"),
}


HUNG_UP = ("hangup", "end-of-document")  # the ends a scenario calls the app hanging up


class ScenarioError(Exception):
    """A scenario file that cannot be read; names the file and step."""


@dataclass(frozen=True)
class ScenarioStep:
    kind: str
    value: Any
    number: int  # 1-based position in the file's steps


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[ScenarioStep, ...]
    at: datetime.datetime | None = None
    from_number: str = "+8613800138000"
    lang: str | None = None
    source: str = ""


@dataclass
class ScenarioResult:
    scenario: Scenario
    failures: list[str] = field(default_factory=list)
    result: CallResult | None = None
    not_run: tuple[int, ...] = ()  # the steps after the first failure: the call was ended

    @property
    def ok(self) -> bool:
        return not self.failures

    def report(self) -> str:
        """The transcript plus where the call differed from the scenario."""
        head = f"{'PASS' if self.ok else 'FAIL'} {self.scenario.source}: {self.scenario.name}"
        if self.ok:
            return head
        lines = [head, *(f"  ! {failure}" for failure in self.failures)]
        if self.not_run:
            first, last = self.not_run[0], self.not_run[-1]
            steps = f"step {first}" if first == last else f"steps {first}-{last}"
            lines.append(f"  - {steps} not run: the scenario stops at its first failure")
        if self.result:
            lines += ["  transcript:", *(f"    {e.line()}" for e in self.result.events)]
        return "\n".join(lines)


def load_scenarios(path: Path, nodes: Collection[str] | None = None) -> list[Scenario]:
    """Read one scenario file (one call, or several under `calls:`).

    With `nodes` (the menu's node ids, when the menu is known), a node an expectation names
    must be one of them: a misspelt node is found before any call is placed.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: cannot read: {exc}") from None
    calls = data.get("calls") if isinstance(data, dict) and "calls" in data else [data]
    if not isinstance(calls, list) or not calls:
        raise ScenarioError(f"{path}: expected a call (name, steps) or a 'calls:' list")
    return [_scenario(path, index, call, nodes) for index, call in enumerate(calls, 1)]


def _scenario(path: Path, index: int, data: Any, nodes: Collection[str] | None) -> Scenario:
    where = f"{path} call {index}"
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ScenarioError(f"{where}: needs 'steps:' (a list)")
    unknown = set(data) - {"name", "at", "from", "lang", "steps", "description"}
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    steps = []
    for number, raw in enumerate(data["steps"], 1):
        if not isinstance(raw, dict) or len(raw) != 1:
            raise ScenarioError(f"{where} step {number}: write one 'kind: value' per step")
        ((kind, value),) = raw.items()
        if kind not in ACTIONS + EXPECTATIONS:
            raise ScenarioError(
                f"{where} step {number}: unknown step '{kind}'; use one of "
                f"{', '.join(ACTIONS + EXPECTATIONS)}"
            )
        problem = _expectation_problem(kind, value, nodes)
        if problem:
            raise ScenarioError(f"{where} step {number}: {kind}: {problem}")
        if kind == "expect" and _pattern(value) is not None:
            try:
                re.compile(str(_pattern(value)))
            except re.error as exc:
                raise ScenarioError(
                    f"{where} step {number}: expect {value} is not a valid regular "
                    f"expression: {exc}"
                ) from None
        steps.append(ScenarioStep(kind, value, number))
    at = data.get("at")
    if isinstance(at, str):
        try:
            at = datetime.datetime.fromisoformat(at)
        except ValueError:
            raise ScenarioError(f"{where}: 'at' must be ISO-8601 with an offset") from None
    if at is not None and (not isinstance(at, datetime.datetime) or at.tzinfo is None):
        raise ScenarioError(f"{where}: 'at' needs a date, time and UTC offset")
    return Scenario(
        name=str(data.get("name") or f"call {index}"),
        steps=tuple(steps),
        at=at,
        from_number=str(data.get("from") or "+8613800138000"),
        lang=data.get("lang"),
        source=f"{path.name}#{index}" if index > 1 or "calls" in data else path.name,
    )


def _expectation_problem(kind: str, value: Any, nodes: Collection[str] | None) -> str | None:
    """Why an expectation could never mean anything (None when it can)."""
    if kind not in EXPECTATIONS:
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        return "needs a value (an empty expectation would pass whatever happens)"
    if kind in ("expect_record", "expect_hangup") and not isinstance(value, bool):
        return f"takes true or false, not {value!r}"
    named = kind == "expect_node" or (kind == "expect_dial" and not _is_number(value))
    if named and not isinstance(value, bool) and nodes is not None and str(value) not in nodes:
        fix = did_you_mean(str(value), nodes)
        return f"no node '{value}' in the menu" + (f" ({fix})" if fix else "")
    return None


def _is_number(value: Any) -> bool:
    return bool(re.fullmatch(r"\+?[0-9]+", str(value)))


def _waits_at(event: Event) -> str | None:
    """The node a <Gather>, <Dial> or <Record> waits at: its action URL names it."""
    action = resolve_url(event.url, event.attrs.get("action") or event.url)
    return parse_qs(urlsplit(action).query).get("node", [event.node])[0]


def _pattern(value: object) -> str | None:
    """The regular expression an `expect: /.../` holds (None: words to find as written)."""
    text = str(value)
    return text[1:-1] if len(text) > 2 and text.startswith("/") and text.endswith("/") else None


class _ScenarioCaller:
    """Plays a scenario's actions and checks its expectations as the call goes."""

    def __init__(self, scenario: Scenario) -> None:
        self.steps = list(scenario.steps)
        self.index = 0
        self.heard: list[Event] = []
        self.failures: list[str] = []
        self.node: str | None = None
        self.stopped_at: int | None = None  # index of the first step not run after a failure

    def listen(self, event: Event) -> None:
        if event.verb != "Caller":
            self.heard.append(event)
        if event.verb in ("Gather", "Dial", "Record"):
            self.node = _waits_at(event)

    def _check(self, step: ScenarioStep, ended: CallResult | None = None) -> None:
        text = " ".join(e.text for e in self.heard if e.verb in ("Say", "Play"))
        value, where = step.value, f"step {step.number} ({step.kind}: {step.value})"
        if step.kind == "expect":
            regex = _pattern(value)
            found = str(value) in text if regex is None else re.search(regex, text) is not None
            if not found:
                self.failures.append(f"{where}: not heard; heard: {text[:300] or '(nothing)'}")
        elif step.kind == "expect_dial":
            # A dial node's id holds wherever the number is configured (AGENT_NUMBER).
            dials = [e for e in self.heard if e.verb == "Dial"]
            names = {e.text for e in dials} | {_waits_at(e) for e in dials}
            if bool(dials) != value if isinstance(value, bool) else str(value) not in names:
                made = ", ".join(f"{e.text} at node '{_waits_at(e)}'" for e in dials)
                self.failures.append(f"{where}: dialled {made or 'nothing'}")
        elif step.kind == "expect_record":
            recorded = any(e.verb == "Record" for e in self.heard)
            if recorded != bool(value):
                self.failures.append(f"{where}: {'no' if not recorded else 'a'} <Record>")
        elif step.kind == "expect_node":
            if self.node != str(value):
                self.failures.append(f"{where}: the call is at node '{self.node}'")
        elif step.kind == "expect_hangup":
            hung_up = ended is not None and ended.end in HUNG_UP
            if hung_up != bool(value):
                state = f"the call {'ended: ' + ended.end if ended else 'is still waiting'}"
                self.failures.append(f"{where}: {state}")

    def _next(self, wait: str) -> CallerAction:
        while self.index < len(self.steps) and self.steps[self.index].kind in EXPECTATIONS:
            step = self.steps[self.index]
            self.index += 1
            if step.kind == "expect_hangup" and step.value:
                self.failures.append(
                    f"step {step.number} (expect_hangup): the call is still "
                    f"waiting for the caller ({wait})"
                )
            elif step.kind != "expect_hangup":
                self._check(step)
        # The expectations at this point are all checked (they describe the same moment);
        # after a failure the call is ended, so later steps would only fail again.
        if self.failures:
            self.stopped_at = self.index
            return HangUp()
        if self.index >= len(self.steps):
            return HangUp()
        step = self.steps[self.index]
        if step.kind not in _WAITS[wait]:
            self.failures.append(
                f"step {step.number} ({step.kind}): the call waits for "
                f"{' / '.join(_WAITS[wait])} here"
            )
            self.stopped_at = self.index + 1
            return HangUp()
        self.index += 1
        self.heard = []
        return _action(step)

    def gather(self, prompt: GatherPrompt) -> CallerAction:
        if prompt.before_record and self._upcoming() not in ("press", "say"):
            return Silence()  # waits through the recording's prompt for the beep
        return self._next("gather")

    def _upcoming(self) -> str | None:
        """The kind of the next action, expectations skipped (nothing is used up)."""
        kinds = (s.kind for s in self.steps[self.index :] if s.kind not in EXPECTATIONS)
        return next(kinds, None)

    def dial(self, number: str) -> CallerAction:
        return self._next("dial")

    def record(self, prompt: RecordPrompt) -> CallerAction:
        return self._next("record")

    def finish(self, result: CallResult) -> None:
        if self.stopped_at is not None:
            return  # the steps left were not run: the scenario stopped at its failure
        for step in self.steps[self.index :]:
            if step.kind in ACTIONS:
                self.failures.append(
                    f"step {step.number} ({step.kind}: {step.value}): the "
                    f"call ended ({result.end}) before this action"
                )
                break
            self._check(step, ended=result)


def _action(step: ScenarioStep) -> CallerAction:
    value = step.value
    if step.kind == "press":
        return Keys(str(value))
    if step.kind == "say":
        return Speech(str(value))
    if step.kind == "silence":
        return Silence()
    if step.kind == "dial":
        return DialOutcome(str(value))
    text = "" if value in (None, ".", "") else str(value)
    return Message(text, hangup=step.kind == "record_and_hang_up")


def _step_kind(action: CallerAction) -> tuple[str, Any]:
    """The scenario step that plays an action (the inverse of `_action`)."""
    if isinstance(action, Keys):
        return "press", action.digits
    if isinstance(action, Speech):
        return "say", action.text
    if isinstance(action, DialOutcome):
        return "dial", action.status
    if isinstance(action, Message):  # "." is the scenario's empty recording
        return "record_and_hang_up" if action.hangup else "record", action.text or "."
    return "silence", True


@dataclass(frozen=True)
class Turn:
    """A stretch of a call placed by hand: the app's lines heard (verb, text), then where
    the call waited and what the caller did there (no action: the call's end)."""

    heard: Sequence[tuple[str, str]]
    node: str | None = None
    action: CallerAction | None = None


def recorded_steps(turns: Iterable[Turn], hung_up: bool) -> tuple[ScenarioStep, ...]:
    """Turn a call into scenario steps: what was heard, where it waited, each action.

    `hung_up` (the menu ended the call) adds `expect_hangup`.
    """
    found: list[tuple[str, Any]] = []
    for turn in turns:
        for verb, text in turn.heard:
            if verb == "Say" and text.strip():
                found.append(("expect", text.strip()))
            elif verb == "Dial":  # the node, not the number: another line dials its own
                found.append(("expect_dial", turn.node or text))
            elif verb == "Record":
                found.append(("expect_record", True))
        if turn.node:
            found.append(("expect_node", turn.node))
        if turn.action is not None and not isinstance(turn.action, HangUp):
            found.append(_step_kind(turn.action))
    if hung_up:
        found.append(("expect_hangup", True))
    return tuple(ScenarioStep(kind, value, number) for number, (kind, value) in enumerate(found, 1))


def dump_scenario(scenario: Scenario, comment: str = "") -> str:
    """Write one scenario as `load_scenarios` reads it, under an optional `# comment`."""
    call: dict[str, Any] = {"name": scenario.name}
    if scenario.at is not None:
        call["at"] = scenario.at.isoformat(timespec="seconds")
    call["from"] = scenario.from_number
    if scenario.lang:
        call["lang"] = scenario.lang
    call["steps"] = [{step.kind: step.value} for step in scenario.steps]
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.safe_dump(call, allow_unicode=True, sort_keys=False, width=100)


def run_scenario(
    scenario: Scenario,
    transport_for: Callable[[Scenario], Transport],
    *,
    line: Line,
    lenient: bool = False,
    house_rules: bool = True,
) -> ScenarioResult:
    """Place the scenario's call to `line` through the transport and compare.

    A scenario's `lang` is added to the webhook's query (`?lang=...`, as this project's
    app reads it).
    """
    caller = _ScenarioCaller(scenario)
    try:
        for step in scenario.steps:
            if step.kind in ACTIONS:
                _action(step)  # invalid keys or dial outcomes fail before the call
    except ValueError as exc:
        return ScenarioResult(scenario, [f"bad step: {exc}"])
    if scenario.lang:
        line = replace(line, webhook=with_query(line.webhook, {"lang": scenario.lang}))
    call = Call(
        transport_for(scenario),
        caller,
        line=line,
        from_number=scenario.from_number,
        listener=caller.listen,
        lenient=lenient,
        house_rules=house_rules,
    )
    result = call.run()
    caller.finish(result)
    failures = list(caller.failures)
    failures += [f"TwiML problem: {p}" for p in result.problems if counts(p, lenient)]
    left = scenario.steps[caller.stopped_at :] if caller.stopped_at is not None else ()
    return ScenarioResult(scenario, failures, result, tuple(step.number for step in left))
