"""The state of one call, carried in the webhook URLs the server writes.

The server keeps no memory of a call: any instance can answer any request of
it. Parsing is forgiving because the URL may have been edited; the flow then
checks the values against the menu and routes anything unknown to safety.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_BACK = 8  # how many menus "back" remembers; keeps URLs short
MAX_ASK = 2  # a spoken request that could mean two things is asked about once
ANY_WINDOW = "any"  # a callback request whose caller chose no time: any time in opening hours
STAGES = ("confirm", "enter", "readback", "window")  # the steps of a callback request
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_NUMBER = re.compile(r"^\+?[0-9]{1,15}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")


@dataclass(frozen=True)
class CallState:
    """Where a call is: node, language, retry counters and the way back."""

    node: str
    lang: str
    fails: int = 0
    silences: int = 0
    back: tuple[str, ...] = ()
    step: int = 0  # counts the call's answers: a retried request repeats its step
    stage: str = ""  # where a multi-step node (callback) is
    number: str = ""  # digits a caller typed, while they are being confirmed
    told: bool = False  # the global keys were announced (once per call)
    ask: tuple[str, ...] = ()  # the nodes a "did you mean A or B?" question offers (keys 1, 2)
    via: str = ""  # the hours node whose closed line led to this menu: '*' says it again
    booked: bool = False  # a callback request of this call is kept (a later try fails softly)
    topic: str = ""  # the last topic (menu or answer) passed: what a message left is about

    def to_query(self) -> dict[str, str]:
        """Return the query parameters that carry this state (zeros left out)."""
        query = {"node": self.node, "lang": self.lang, "s": str(self.step)}
        if self.fails:
            query["f"] = str(self.fails)
        if self.silences:
            query["t"] = str(self.silences)
        if self.back:
            query["back"] = ".".join(self.back[-MAX_BACK:])
        if self.stage:
            query["stage"] = self.stage
        if self.number:
            query["num"] = self.number
        if self.told:
            query["g"] = "1"
        if self.ask:
            query["ask"] = ".".join(self.ask)
        if self.via:
            query["via"] = self.via
        if self.booked:
            query["cb"] = "1"
        if self.topic:
            query["tp"] = self.topic
        return query

    @classmethod
    def from_query(cls, args: Mapping[str, str], default_lang: str) -> CallState | None:
        """Read state from query parameters; None when there is no usable node."""
        node = args.get("node", "")
        if not _ID.match(node):
            return None
        lang = args.get("lang", "")
        back = tuple(b for b in args.get("back", "").split(".") if _ID.match(b))
        stage, number = args.get("stage", ""), args.get("num", "")
        ask = tuple(a for a in args.get("ask", "").split(".") if _ID.match(a))[:MAX_ASK]
        return cls(
            node=node,
            lang=lang if _LANG.match(lang) else default_lang,
            fails=_counter(args.get("f")),
            silences=_counter(args.get("t")),
            back=back[-MAX_BACK:],
            step=_counter(args.get("s"), limit=6),
            stage=stage if stage in STAGES else "",
            number=number if _NUMBER.match(number) else "",
            told=args.get("g") == "1",
            ask=ask,
            via=via if _ID.match(via := args.get("via", "")) else "",
            booked=args.get("cb") == "1",
            topic=topic if _ID.match(topic := args.get("tp", "")) else "",
        )


def _counter(value: str | None, limit: int = 3) -> int:
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > limit:
        return 0
    return int(value)
