"""The apology: what a caller hears when the main path fails, or Twilio asks the Fallback URL.

Built once per menu load, so answering it needs nothing that can fail: no database, no
flow. It routes by the agents' hours: a transfer while they are open, their hours when
they are closed (a transfer then would ring an empty line).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from twilio.twiml.voice_response import VoiceResponse

from ivr.menu.hours import Schedule, describe_hours
from ivr.menu.loading import Menus
from ivr.menu.phrases import family
from ivr.menu.schema import DialNode, HoursNode, MessageNode

_APOLOGY = {
    "zh": {
        "sorry": "抱歉，系统暂时出现问题。",
        "connecting": "正在为您转接人工服务，请稍候。",
        "closed": "现在是非人工服务时间，我们的服务时间是{hours}。请您在服务时间内再拨。",
        "bye": "请您稍后再拨。再见。",
        # After the <Dial>, whatever its outcome (it has no action that could fail too):
        # a caller who has just talked to an agent is not told to call again.
        "dialled_bye": "如果未能为您接通，请您稍后再拨。再见。",
        "closed_bye": "再见。",
    },
    "en": {
        "sorry": "Sorry, something went wrong on our side.",
        "connecting": "We are connecting you to an agent.",
        "closed": "Our agents are not available right now. Our hours are {hours}. "
        "Please call again during those hours.",
        "bye": "Please call again later. Goodbye.",
        "dialled_bye": "If we could not connect you, please call again later. Goodbye.",
        "closed_bye": "Goodbye.",
    },
}


@dataclass(frozen=True, slots=True)
class Apology:
    """The TwiML said when the main path fails, prebuilt for agents open and closed."""

    open: str  # the apology, the agent line, goodbye
    closed: str  # the apology, the agents' hours, goodbye: no transfer that cannot work
    schedule: Schedule | None  # the agents' hours (None: the open document at any time)

    def at(self, now: datetime.datetime) -> str:
        """The document for a moment; the open one when the hours cannot be judged."""
        if self.schedule is None:
            return self.open
        try:
            return self.open if self.schedule.is_open(now) else self.closed
        except Exception:  # an apology must never fail: a transfer is the safer guess
            return self.open


def build_apology(menus: Menus) -> Apology:
    """Build the TwiML said when a handler fails or Twilio asks the Fallback URL."""
    number, schedule = _agent_route(menus)
    voices = menus.voices[menus.start]
    langs = menus.languages[:2]

    def say(response: VoiceResponse, lang: str, *keys: str, hours: str = "") -> None:
        words = _APOLOGY[family(lang)]
        joiner = "" if family(lang) == "zh" else " "  # Mandarin sentences need no space
        text = joiner.join(words[key].format(hours=hours) for key in keys)
        response.say(text, voice=voices[lang].voice, language=voices[lang].language)

    opened = VoiceResponse()
    for lang in langs:
        say(opened, lang, *(("sorry", "connecting") if number else ("sorry",)))
    if number:
        opened.dial(timeout=30).number(number)
    for lang in langs:
        say(opened, lang, "dialled_bye" if number else "bye")
    opened.hangup()
    if schedule is None or number is None:
        return Apology(str(opened), str(opened), None)
    closed = VoiceResponse()
    for lang in langs:
        hours = describe_hours(schedule, lang)
        say(closed, lang, "sorry", "closed", "closed_bye", hours=hours)
    closed.hangup()
    return Apology(str(opened), str(closed), schedule)


def _agent_route(menus: Menus) -> tuple[str | None, Schedule | None]:
    """The agent line's number and the first hours on the way to it (None when absent)."""
    node_id = menus.agent_node
    schedule: Schedule | None = None
    for _ in range(len(menus.nodes)):
        node = menus.nodes.get(node_id or "")
        if isinstance(node, DialNode):
            return node.number, schedule
        if isinstance(node, HoursNode):
            schedule = schedule or menus.schedules.get(node.schedule)
            node_id = node.open
        elif isinstance(node, MessageNode) and node.next:
            node_id = node.next
        else:
            return None, None
    return None, None
