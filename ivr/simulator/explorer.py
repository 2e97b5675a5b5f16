"""Path coverage: walk every reachable path of a TwiML app through its real TwiML.

Breadth-first over the places where a call waits for the caller. At each
wait it tries every key (or the keys it is told about), silence, each dial
outcome, and a message or none at a recording. A wait is identified by the
request that produced its document (minus volatile fields such as the step
counter) and by what the caller did earlier in that document, so each
distinct place is explored once and resumed from its own request instead of
replaying the call from the start.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ivr.simulator.call import CALL_FIELDS, Call, Event, speaking_seconds
from ivr.simulator.callers import (
    CallerAction,
    DialOutcome,
    GatherPrompt,
    HangUp,
    Keys,
    Message,
    RecordPrompt,
    Silence,
    describe,
)
from ivr.simulator.checks import TwimlProblem
from ivr.simulator.line import Line
from ivr.simulator.transport import Response, Transport, resolve_url

ALL_KEYS = tuple("0123456789*#")
DIAL_OUTCOMES = ("completed", "busy", "no-answer", "failed")

Request = tuple[str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Wait:
    """A place where the call waits: the request that led there and what came before."""

    request: Request
    prelude: tuple[CallerAction, ...]
    kind: str  # gather, dial, record
    node: str | None
    finish_on_key: str = ""
    body: str = ""  # the document, which (with the prelude) decides everything after


@dataclass
class Exploration:
    """What the walk found."""

    waits: int = 0
    transitions: int = 0
    seconds: float = 0.0
    nodes: set[str] = field(default_factory=set)
    options: set[tuple[str, str]] = field(default_factory=set)  # (node, key) pressed there
    problems: list[tuple[TwimlProblem, tuple[str, ...]]] = field(default_factory=list)
    dead_ends: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    traps: list[tuple[str | None, tuple[str, ...]]] = field(default_factory=list)
    deepest: tuple[str, ...] = ()
    longest_prompt: tuple[str, int, tuple[str, ...]] = ("", 0, ())
    truncated: bool = False


class _Probe:
    """Plays a wait's prelude and one branch, then notes the next wait and hangs up."""

    def __init__(self, prelude: tuple[CallerAction, ...], branch: CallerAction) -> None:
        self.todo = [*prelude, branch]
        self.done: list[CallerAction] = []
        self.call: Call | None = None
        self.branch_document: object | None = None
        self.found: Wait | None = None
        self.heard: list[str] = []

    def listen(self, event: Event) -> None:
        if event.verb in ("Say", "Play") and self.todo == []:
            self.heard.append(event.text)

    def _wait(self, kind: str, node: str | None, finish: str = "") -> CallerAction:
        assert self.call is not None and self.call.document is not None
        document = self.call.document
        if self.todo:
            action = self.todo.pop(0)
            self.done.append(action)
            if not self.todo:
                self.branch_document = document
            return action
        # Earlier actions count only while they happened in this same document.
        prelude = tuple(self.done) if document is self.branch_document else ()
        method, url, params = document.request or ("POST", document.url, {})
        extra = tuple(sorted((k, v) for k, v in params.items() if k not in CALL_FIELDS))
        body = (
            document.body.decode("utf-8", "replace")
            if document.body
            else ET.tostring(document.root, encoding="unicode")
        )
        self.found = Wait((method, url, extra), prelude, kind, node, finish, body)
        return HangUp()

    def gather(self, prompt: GatherPrompt) -> CallerAction:
        return self._wait("gather", prompt.node, prompt.finish_on_key)

    def dial(self, number: str) -> CallerAction:
        return self._wait("dial", None)

    def record(self, prompt: RecordPrompt) -> CallerAction:
        return self._wait("record", prompt.node)


class _Tracing:
    """Notes the nodes an app reports passing (Response.nodes), and answers repeats from memory.

    The walk resumes each branch of a wait from the same request, so most requests are
    repeats; the app is stateless (that is what makes resuming possible), so the same
    request (call identifiers aside) gets the same document.
    """

    def __init__(self, transport: Transport, nodes: set[str]) -> None:
        self.transport, self.nodes = transport, nodes
        self.cache: dict[tuple, Response] = {}

    def request(
        self, method: str, url: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> Response:
        key = (
            method,
            url,
            tuple(sorted((k, v) for k, v in params.items() if k not in CALL_FIELDS)),
        )
        response = self.cache.get(key)
        if response is None:
            response = self.transport.request(method, url, params, headers)
            self.nodes.update(response.nodes)
            if len(self.cache) < 50_000:
                self.cache[key] = response
        return response

    def new_call(self) -> None:
        """Each probe is a call of its own: it starts with no cookies."""
        self.transport.new_call()


def _identity(wait: Wait, volatile: re.Pattern[str] | None, bare: dict[str, str]) -> tuple:
    """Two waits are the same place when their documents match but for volatile fields.

    `bare`: the documents met so far without their volatile fields (the walk meets each one
    again and again, from every branch that leads there).
    """
    body = bare.get(wait.body)
    if body is None:
        body = volatile.sub(r"\1", wait.body) if volatile else wait.body
        if len(bare) < 50_000:
            bare[wait.body] = body
    return (body, wait.prelude, wait.kind)


def _volatile(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for the query fields `names` in a document's URLs (None for no names)."""
    names = [re.escape(name) for name in names]
    return re.compile(rf"([?;]|&amp;)(?:{'|'.join(names)})=[^&\"<\s]*") if names else None


def explore(
    transport: Transport,
    *,
    line: Line,
    start_urls: Iterable[str] = ("",),
    keys_for: Callable[[str | None], Iterable[str]] | None = None,
    ignore_params: Iterable[str] = ("s",),
    max_waits: int = 20000,
    heard: Callable[[tuple[str, ...], list[str], list[str]], None] | None = None,
    progress: Callable[[Exploration], None] | None = None,
) -> Exploration:
    """Walk every path from each start URL (relative to the line's webhook); return coverage,
    problems and traps. No status callback is sent: a probe is not a finished call.

    `heard`, if given, is told of every step: its path, the words of the document the
    caller waited in, and the words they heard after what they did there. `progress`, if
    given, is told what has been found so far about twice a second.
    """
    volatile = _volatile(ignore_params)
    found = Exploration()
    transport = _Tracing(transport, found.nodes)
    began = time.perf_counter()
    seen: dict[tuple, int] = {}  # wait identity -> index
    bare: dict[str, str] = {}  # a document -> it without volatile fields (_identity)
    waits: list[Wait] = []
    paths: list[tuple[str, ...]] = []
    edges: list[set[int]] = []
    exits: set[int] = set()  # waits from which some branch ends the call or reaches a person
    queue: deque[int] = deque()
    shown = [began - 1.0]  # when progress was last told (the first step tells at once)

    def run(
        first: Request | None,
        here: Line,
        wait: Wait | None,
        branch: CallerAction | None,
        trail: tuple[str, ...],
    ) -> int | None:
        probe = _Probe(wait.prelude if wait else (), branch) if branch else _Probe((), Silence())
        if branch is None:
            probe.todo = []
        call = Call(
            transport,
            probe,
            line=here,
            listener=probe.listen,
            seed=len(seen),
            first_request=(first[0], first[1], dict(first[2])) if first else None,
        )
        probe.call = call
        result = call.run()
        found.transitions += 1
        if progress is not None and time.perf_counter() >= shown[0] + 0.5:
            shown[0] = time.perf_counter()
            found.waits = len(waits)
            progress(found)
        for event in result.events:
            if event.node:
                found.nodes.add(event.node)
        for problem in result.problems:
            found.problems.append((problem, trail))
        if heard is not None:
            waited = _words(wait.body) if wait else []
            heard(trail, waited, list(probe.heard))
        spoken = " ".join(probe.heard)
        seconds = speaking_seconds(spoken) if spoken else 0
        if seconds > found.longest_prompt[1]:
            found.longest_prompt = (spoken, seconds, trail)
        if probe.found is None:
            if result.end in ("end-of-document", "application-error"):
                found.dead_ends.append((result.end, trail))
            return None  # the call ended
        nxt = probe.found
        if nxt.node:
            found.nodes.add(nxt.node)
        key = _identity(nxt, volatile, bare)
        if key not in seen:
            if len(waits) >= max_waits:
                found.truncated = True
                return None
            seen[key] = len(waits)
            waits.append(nxt)
            paths.append(trail)
            edges.append(set())
            queue.append(seen[key])
            if len(trail) > len(found.deepest):
                found.deepest = trail
        return seen[key]

    def line_at(path: str) -> Line:
        return line.to(resolve_url(line.webhook, path))

    for path in start_urls:
        run(None, line_at(path), None, None, (f"call {path}",))
    while queue:
        index = queue.popleft()
        wait, trail = waits[index], paths[index]
        here = line_at(wait.request[1])  # every branch of a wait is a call placed there
        for branch in _branches(wait, keys_for):
            label = describe(branch)
            if isinstance(branch, Keys) and wait.node:
                found.options.add((wait.node, branch.digits.rstrip("#") or branch.digits))
            target = run(wait.request, here, wait, branch, (*trail, label))
            if target is None or wait.kind == "dial":
                exits.add(index)
            else:
                edges[index].add(target)
    # A wait from which no path leads to an exit traps the caller.
    can_leave = set(exits)
    changed = True
    while changed:
        changed = False
        for index, targets in enumerate(edges):
            if index not in can_leave and targets & can_leave:
                can_leave.add(index)
                changed = True
    found.traps = [(waits[i].node, paths[i]) for i in range(len(waits)) if i not in can_leave]
    found.waits = len(waits)
    found.seconds = time.perf_counter() - began
    return found


def _words(body: str) -> list[str]:
    """Every <Say> text of a document, in order."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return []
    return ["".join(say.itertext()).strip() for say in root.iter("Say")]


def _branches(
    wait: Wait, keys_for: Callable[[str | None], Iterable[str]] | None
) -> list[CallerAction]:
    if wait.kind == "dial":
        return [DialOutcome(status) for status in DIAL_OUTCOMES]
    if wait.kind == "record":
        return [Message("测试留言 test message"), Silence()]
    keys = tuple(keys_for(wait.node)) if keys_for else ALL_KEYS
    end = wait.finish_on_key if wait.finish_on_key else ""
    presses: list[CallerAction] = [Keys(k + end if len(k) > 1 and end else k) for k in keys]
    return presses + [Silence()]
