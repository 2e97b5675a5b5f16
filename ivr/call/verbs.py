"""What the call flow asks the phone to do, before it becomes TwiML.

The flow returns a tuple of these; `ivr.call.twiml` renders them with twilio's
VoiceResponse. A `Link` names the next webhook and the call state to carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ivr.menu.say import Say

__all__ = ["Dial", "Gather", "Hangup", "Link", "Pause", "Record", "Redirect", "Say", "Verb"]

if TYPE_CHECKING:
    from ivr.call.state import CallState


@dataclass(frozen=True)
class Link:
    """A webhook the server will answer next: endpoint name plus call state."""

    endpoint: str  # "gather", "dial", "record", "enter"
    state: CallState


@dataclass(frozen=True)
class Pause:
    seconds: int


@dataclass(frozen=True)
class Gather:
    """Play `prompts` and collect keys (and speech when `speech_language` is set)."""

    prompts: tuple[Say | Pause, ...]
    action: Link
    timeout: int
    num_digits: int | None
    finish_on_key: str
    speech_language: str | None = None
    hints: str | None = None


@dataclass(frozen=True)
class Redirect:
    to: Link


@dataclass(frozen=True)
class Dial:
    number: str
    action: Link
    timeout: int
    time_limit: int
    caller_id: str | None = None


@dataclass(frozen=True)
class Record:
    action: Link
    max_length: int
    timeout: int
    finish_on_key: str
    transcribe_callback: Link | None = None


@dataclass(frozen=True)
class Hangup:
    pass


Verb = Say | Pause | Gather | Redirect | Dial | Record | Hangup
