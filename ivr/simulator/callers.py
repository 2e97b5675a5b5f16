"""The person on the phone: what the call asks of them, and scripted answers."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

DIAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
_KEYS = re.compile(r"[0-9*#]+")


@dataclass(frozen=True)
class GatherPrompt:
    """What a <Gather> waits for, and what the caller has just heard."""

    input: tuple[str, ...] = ("dtmf",)
    num_digits: int | None = None
    finish_on_key: str = "#"
    timeout: int = 5
    hints: str = ""
    language: str = "en-US"
    texts: tuple[str, ...] = ()
    url: str = ""
    node: str | None = None
    before_record: bool = False  # a recording's prompt: a <Record> follows the <Gather>


@dataclass(frozen=True)
class RecordPrompt:
    """What a <Record> waits for, and what the caller has just heard."""

    max_length: int = 3600
    finish_on_key: str = "1234567890*#"
    timeout: int = 5
    texts: tuple[str, ...] = ()
    url: str = ""
    node: str | None = None


@dataclass(frozen=True)
class Keys:
    """Keys pressed on the keypad, in order (the finishOnKey key included if pressed)."""

    digits: str

    def __post_init__(self) -> None:
        if not _KEYS.fullmatch(self.digits):
            raise ValueError(f"keys must be 0-9, * or #, not {self.digits!r}")


@dataclass(frozen=True)
class Speech:
    """Words spoken to a speech <Gather>."""

    text: str
    confidence: float = 0.9


@dataclass(frozen=True)
class Silence:
    """The caller does nothing until the timeout."""


@dataclass(frozen=True)
class DialOutcome:
    """How the dialled party's leg ended."""

    status: str
    duration: int = 30  # seconds talked, reported only for "completed"

    def __post_init__(self) -> None:
        if self.status not in DIAL_STATUSES:
            raise ValueError(
                f"dial outcome must be one of {', '.join(DIAL_STATUSES)}, not {self.status!r}"
            )


@dataclass(frozen=True)
class Message:
    """Words recorded at a <Record>; empty text is an empty recording."""

    text: str
    hangup: bool = False  # the caller hangs up to end the recording instead of pressing a key


@dataclass(frozen=True)
class HangUp:
    """The caller hangs up."""


CallerAction = Keys | Speech | Silence | DialOutcome | Message | HangUp


class Caller(Protocol):
    """Anyone who can answer what the call waits for: a script, a person at a terminal."""

    def gather(self, prompt: GatherPrompt) -> CallerAction:
        """Answer a <Gather>: Keys, Speech, Silence or HangUp."""
        ...

    def dial(self, number: str) -> CallerAction:
        """Say how a <Dial> to number ended: DialOutcome or HangUp."""
        ...

    def record(self, prompt: RecordPrompt) -> CallerAction:
        """Answer a <Record>: Message, Silence or HangUp."""
        ...


class ScriptMismatch(Exception):
    """The next scripted action is of the wrong kind for what the call waits for."""


# Which actions fit each kind of wait.
FITS: dict[str, tuple[type, ...]] = {
    "gather": (Keys, Speech, Silence, HangUp),
    "dial": (DialOutcome, HangUp),
    "record": (Message, Silence, HangUp),
}

_SCRIPT_HELP = (
    "expected keys (0-9 * #), '.', 'say:<words>', 'dial:<status>', 'rec:<words>', "
    "'rec+hangup:<words>' (the message ended by hanging up) or 'hangup'"
)


def describe(action: CallerAction) -> str:
    """Render an action as its script token (the inverse of parsing one)."""
    match action:
        case Keys(digits):
            return digits
        case Speech(text):  # quoted as `ScriptedCaller.parse` reads a comma in the words
            quoted = text.replace('"', '""')
            return f'"say:{quoted}"' if "," in text else f"say:{text}"
        case Silence():
            return "."
        case DialOutcome(status):
            return f"dial:{status}"
        case Message(text, hangup):
            return f"rec+hangup:{text or '.'}" if hangup else f"rec:{text or '.'}"
        case _:
            return "hangup"


class ScriptedCaller:
    """A caller who answers from a fixed list of actions, in order, then hangs up."""

    def __init__(self, actions: Iterable[CallerAction]) -> None:
        self._actions = list(actions)
        self._next = 0

    @classmethod
    def parse(cls, text: str) -> ScriptedCaller:
        """Build a caller from a script such as "1,2,.,0,dial:no-answer,rec:你好".

        Actions are comma-separated values: one in double quotes keeps its commas, as
        recognised speech has them ('0,"say:yes, a callback please"').
        """
        try:
            (tokens,) = csv.reader([text], strict=True, skipinitialspace=True)
        except (csv.Error, ValueError):
            raise ValueError(f"the script {text!r} has an unclosed double quote") from None
        tokens = tokens or [""]  # (an empty script: its one action is empty)
        return cls(_parse_token(token.strip(), n) for n, token in enumerate(tokens, 1))

    @property
    def remaining(self) -> tuple[CallerAction, ...]:
        """The actions not used yet."""
        return tuple(self._actions[self._next :])

    def gather(self, prompt: GatherPrompt) -> CallerAction:
        """Answer a <Gather> with the next action; a caller about to leave a message
        waits through the recording's prompt for the beep."""
        upcoming = self._actions[self._next] if self._next < len(self._actions) else None
        if prompt.before_record and isinstance(upcoming, Message):
            return Silence()
        return self._take("gather")

    def dial(self, number: str) -> CallerAction:
        """Answer a <Dial> with the next action."""
        return self._take("dial")

    def record(self, prompt: RecordPrompt) -> CallerAction:
        """Answer a <Record> with the next action."""
        return self._take("record")

    def _take(self, wait: str) -> CallerAction:
        if self._next >= len(self._actions):
            return HangUp()
        action = self._actions[self._next]
        self._next += 1
        if not isinstance(action, FITS[wait]):
            raise ScriptMismatch(
                f"the call waits at a <{wait.capitalize()}> but script action {self._next} "
                f"is {describe(action)!r}"
            )
        return action


def _parse_token(token: str, position: int) -> CallerAction:
    kind, colon, rest = token.partition(":")
    rest = rest.strip()
    if not token:
        raise ValueError(f"script action {position} is empty; {_SCRIPT_HELP}")
    if token == ".":
        return Silence()
    if token == "hangup":
        return HangUp()
    if _KEYS.fullmatch(token):
        return Keys(token)
    if colon and kind == "say":
        if not rest:
            raise ValueError(f"script action {position} 'say:' needs words after the colon")
        return Speech(rest)
    if colon and kind == "dial":
        if rest not in DIAL_STATUSES:
            raise ValueError(
                f"script action {position} {token!r}: the dial outcome must be "
                f"one of {', '.join(DIAL_STATUSES)}"
            )
        return DialOutcome(rest)
    if colon and kind in ("rec", "rec+hangup"):
        return Message("" if rest == "." else rest, hangup=kind == "rec+hangup")
    raise ValueError(f"script action {position} {token!r} is not understood; {_SCRIPT_HELP}")
