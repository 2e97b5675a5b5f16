"""A simulated call in progress, driven one action at a time from another thread.

`Call.run()` asks its caller for each action synchronously. A `LiveCall` runs it
in a thread of its own with a `LiveCaller` that publishes what the call waits for
and blocks until someone (the web page's request thread) hands it the next action,
or until nobody has been heard from for the idle expiry. Everything the call does
is kept as JSON-ready events: the transcript lines `ivr simulate` prints, with the
strict checker's problems attached to the step that caused them.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ivr.simulator.call import Call, CallResult, Event, Step, gather_settings, gather_values
from ivr.simulator.callers import (
    FITS,
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
from ivr.simulator.checks import CODES, TwimlProblem
from ivr.simulator.line import Line
from ivr.simulator.transport import Response, Transport

log = logging.getLogger("ivr.simulator.live")

TURN_WAIT = 5.0  # how long a request waits for the call to reach its next wait
DEFAULT_FROM = "+8613800138000"
ENDINGS = {
    "caller-hangup": "you hung up",
    "hangup": "the menu hung up (<Hangup>)",
    "end-of-document": "the document ended, so Twilio hung up",
    "application-error": "an application error ended the call",
    "too-many-documents": "stopped: too many documents without waiting for the caller",
    "rejected": "the call was rejected (<Reject>)",
    "expired": "hung up: nothing came from the page for too long",
    "simulator-error": "the simulator failed (see the server log)",
}
WAITS = {
    "gather": "keys, speech or silence",
    "dial": "the transfer's outcome",
    "record": "a message",
}


class Refused(Exception):
    """The call cannot take that action now (it has ended, or waits for something else)."""


@dataclass(frozen=True)
class CallOptions:
    """How to place the call."""

    from_number: str = DEFAULT_FROM
    lang: str | None = None  # start in this language (/voice?lang=...)
    at: dt.datetime | None = None  # the app's clock for the call; None: its own clock
    # Start at this node (/voice/enter, the redirect our TwiML uses), not at /voice: the
    # browser phone's "call from here". /voice itself never takes a node from its URL.
    node: str | None = None


class LiveCaller:
    """A Caller whose answers are handed over by another thread, one at a time."""

    def __init__(self, call: LiveCall) -> None:
        self.call = call
        self._message: Message | None = None  # typed during a recording's prompt

    def gather(self, prompt: GatherPrompt) -> CallerAction:
        """Wait for keys, speech or silence (or, at a recording's prompt, the message:
        the caller then waits through the prompt and leaves it at the beep)."""
        action = self.call.next_action(
            {
                "kind": "gather",
                "input": list(prompt.input),
                "num_digits": prompt.num_digits,
                "finish_on_key": prompt.finish_on_key,
                "timeout": prompt.timeout,
                "language": prompt.language,
                "node": prompt.node,
                "before_record": prompt.before_record,
            }
        )
        if isinstance(action, Message):
            self._message = action
            return Silence()
        return action

    def dial(self, number: str) -> CallerAction:
        """Wait for how the transfer ended."""
        return self.call.next_action({"kind": "dial", "number": number})

    def record(self, prompt: RecordPrompt) -> CallerAction:
        """Wait for the words of a message (unless typed during its prompt)."""
        message, self._message = self._message, None
        if message is not None:
            return message
        return self.call.next_action(
            {
                "kind": "record",
                "max_length": prompt.max_length,
                "finish_on_key": prompt.finish_on_key,
                "node": prompt.node,
            }
        )


class _NodeTracking:
    """Send requests on, remembering the nodes each document passed."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.nodes: dict[str, list[str]] = {}

    def request(
        self, method: str, url: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> Response:
        response = self.inner.request(method, url, params, headers)
        if response.nodes:  # ours tells; other apps need not
            self.nodes[response.url] = list(response.nodes)
        return response

    def new_call(self) -> None:
        """Pass the start of a call on (the inner transport forgets its cookies)."""
        self.inner.new_call()


class LiveCall:
    """One call in its own thread: its transcript so far and what it waits for now."""

    def __init__(
        self,
        sid: str,
        options: CallOptions,
        idle_expiry: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.id = sid
        self.options = options
        self.idle_expiry = idle_expiry
        self.clock = clock
        self.last_seen = clock()
        self.events: list[dict[str, Any]] = []
        self.waiting: dict[str, Any] | None = None
        self.ended: dict[str, Any] | None = None
        self.node: str | None = None  # where the call is now
        self._doc_nodes: list[str] = []  # the nodes the current document passed
        self._where: str | None = None  # the node that last waited, for the caller's lines
        self._cond = threading.Condition()
        self._turn = 0  # moves on when the call starts waiting or ends
        self._actions: queue.SimpleQueue[CallerAction] = queue.SimpleQueue()
        self._hangup: str | None = None  # why the caller's side hung up, if it did
        self._call: Call | None = None
        self._tracking: _NodeTracking | None = None
        self._problems_seen = 0
        self.steps: list[dict[str, Any]] = []  # each document: request, TwiML, decision
        self._time_verdicts: Callable[[], list[dict[str, Any]]] | None = None

    # -- the call's thread --

    def start(
        self,
        transport: Transport,
        line: Line,
        time_verdicts: Callable[[], list[dict[str, Any]]] | None = None,
    ) -> None:
        """Place the call to `line` in a thread of its own.

        `time_verdicts`, if given, tells the app's clock and hours verdicts now (each
        snapshot carries them as "clock").
        """
        self._tracking = _NodeTracking(transport)
        self._time_verdicts = time_verdicts
        self._call = Call(
            self._tracking,
            LiveCaller(self),
            line=line,
            from_number=self.options.from_number,
            listener=self._heard,
            on_step=self._stepped,
        )
        threading.Thread(target=self._run, name=f"live-call-{self.id[:8]}", daemon=True).start()

    def _run(self) -> None:
        assert self._call is not None
        try:
            result: CallResult | None = self._call.run()
        except Exception:
            log.exception("live call %s failed", self.id[:8])
            result = None
        with self._cond:
            end = result.end if result else "simulator-error"
            # The line is the engine's, as `ivr simulate` prints it; the reason says why.
            reason = "expired" if self._hangup == "expired" else end
            leftover = result.problems[self._problems_seen :] if result else []
            self._add(
                {
                    "verb": "End",
                    "who": "system",
                    "text": ENDINGS.get(reason, reason),
                    "line": f"-- call ended: {end}",
                    "problems": _problems(leftover),
                }
            )
            self.waiting = None
            self.ended = {
                "reason": reason,
                "text": ENDINGS.get(reason, reason),
                "ok": bool(result and result.ok),
            }
            self._turn += 1
            self._cond.notify_all()

    def _stepped(self, step: Step) -> None:
        """Keep a fetched document: its request's fields, its TwiML and why (if told)."""
        with self._cond:
            self.steps.append(step.as_dict())

    def _heard(self, event: Event) -> None:
        """Add a transcript event, with the problems found since the last one."""
        assert self._call is not None and self._tracking is not None
        # Call has no public view of the problems found so far (CallResult has them at
        # the end); a `Call.problems` property like `Call.requests` would replace this.
        found = self._call._problems
        fresh, self._problems_seen = found[self._problems_seen :], len(found)
        nodes = self._tracking.nodes.get(event.url, [])
        attrs = event.attrs
        who = _who(event)
        with self._cond:
            self._doc_nodes = nodes
            self.node = nodes[-1] if nodes else event.node or self.node
            # The node behind the line: a <Say>'s speaker as the flow names it; any other
            # verb is the node the document ends at (the one that waits); the caller's
            # lines are where the call waited.
            path = ([event.node] if event.node else []) + list(nodes)
            node = self._where
            if who == "app":
                if event.verb in ("Say", "Play"):
                    node = event.speaker or (path[-1] if path else None)
                else:
                    node = self._where = path[-1] if path else None
            self._add(
                {
                    "verb": event.verb,
                    "who": who,
                    "text": event.text,
                    "line": event.line(),
                    "language": attrs.get("language"),
                    "voice": attrs.get("voice"),
                    "node": node,
                    "nodes": nodes,
                    "url": _path(event.url),
                    "problems": _problems(fresh),
                    # Explained: whose words, the step (document) it came from, and for a
                    # <Gather> its settings as Twilio reads them.
                    "speaker": event.speaker,
                    "step": event.step,
                    "gather": _gather(attrs) if event.verb == "Gather" else None,
                }
            )

    def _add(self, event: dict[str, Any]) -> None:
        event["n"] = len(self.events)
        self.events.append(event)

    def next_action(self, waiting: dict[str, Any]) -> CallerAction:
        """Publish what the call waits for; block until an action comes or the call expires."""
        with self._cond:
            if self._hangup:
                return HangUp()
            # Our app names the nodes each answer passed; for any other app, the action URL.
            self.node = self._doc_nodes[-1] if self._doc_nodes else waiting.get("node") or self.node
            self.waiting = {**waiting, "node": self.node}
            self._turn += 1
            self._cond.notify_all()
        while True:
            with self._cond:
                remaining = self.last_seen + self.idle_expiry - self.clock()
            try:
                return self._actions.get(timeout=max(remaining, 0.05))
            except queue.Empty:
                with self._cond:
                    if self.clock() - self.last_seen >= self.idle_expiry and self.waiting:
                        self._hangup, self.waiting = "expired", None
                        return HangUp()

    # -- the other side's requests --

    def touch(self) -> None:
        """Note that the caller's side is still there."""
        with self._cond:
            self.last_seen = self.clock()

    def idle(self) -> bool:
        """True when the caller's side has not been heard from for the idle expiry."""
        with self._cond:
            return self.clock() - self.last_seen >= self.idle_expiry

    def act(self, action: CallerAction, timeout: float = TURN_WAIT) -> None:
        """Hand the waiting call an action; wait for its next wait or its end."""
        with self._cond:
            self.last_seen = self.clock()
            if self.ended:
                raise Refused("the call has ended; place a new call")
            if self.waiting is None:
                raise Refused("the call is not waiting for the caller yet; try again")
            kind = self.waiting["kind"]
            prompt = isinstance(action, Message) and self.waiting.get("before_record")
            if not prompt and not isinstance(action, FITS[kind]):
                raise Refused(f"the call waits for {WAITS[kind]}, not {_name(action)}")
            self.waiting = None
            turn = self._turn
            self._actions.put(action)
            self._cond.wait_for(lambda: self._turn != turn, timeout)

    def hang_up(self, reason: str = "caller", timeout: float = TURN_WAIT) -> None:
        """Hang up (the caller, an expiry or a shutdown); wait for the call to end."""
        with self._cond:
            if self.ended:
                return
            self._hangup = reason
            if self.waiting is not None:
                self.waiting = None
                self._actions.put(HangUp())
            self._cond.wait_for(lambda: self.ended is not None, timeout)

    def wait_for_turn(self, timeout: float = TURN_WAIT) -> None:
        """Wait until the call waits for the caller or has ended."""
        with self._cond:
            self._cond.wait_for(lambda: self.waiting is not None or self.ended is not None, timeout)

    def snapshot(self, since: int = 0) -> dict[str, Any]:
        """Return the events from `since` on and what the call is doing now."""
        with self._cond:
            state = "ended" if self.ended else "waiting" if self.waiting else "running"
            at = self.options.at
            first = next((e["step"] for e in self.events[since:] if e.get("step")), None)
            return {
                "id": self.id,
                "state": state,
                "events": self.events[since:],
                "next": len(self.events),
                "waiting": self.waiting,
                "ended": self.ended,
                "node": self.node,
                "call": {
                    "from": self.options.from_number,
                    "lang": self.options.lang,
                    "at": at.isoformat() if at else None,
                    "node": self.options.node,
                },
                # The documents behind the events returned (or the newest, when none are).
                "steps": self.steps[first - 1 :] if first else self.steps[-1:],
                "clock": {
                    "fixed": at.isoformat() if at else None,  # what the clock picker fixed
                    "verdicts": self._time_verdicts() if self._time_verdicts else [],
                },
            }

    @property
    def live(self) -> bool:
        """True until the call has ended."""
        with self._cond:
            return self.ended is None


def _gather(attrs: dict[str, str]) -> dict[str, Any]:
    """A <Gather>'s settings, defaults filled in as Twilio reads them, and as one line."""
    return {**gather_values(attrs), "text": gather_settings(attrs)}


def _who(event: Event) -> str:
    if event.verb == "Caller":
        return "caller"
    return "system" if event.verb == "Error" else "app"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _problems(problems: list[TwimlProblem]) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "severity": p.severity,
            "title": CODES.get(p.code, ("", ""))[0],
            "message": p.message,
            "element": p.element,
            "url": _path(p.url),
            "line": f"{p.severity}: {p}",
        }
        for p in problems
    ]


def _name(action: CallerAction) -> str:
    return {
        Keys: "keys",
        Speech: "speech",
        Silence: "silence",
        DialOutcome: "a transfer outcome",
        Message: "a message",
        HangUp: "hang up",
    }[type(action)]
