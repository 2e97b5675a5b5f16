"""The terminal phone: a person answers the call's waits by typing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TextIO

from ivr.simulator.callers import (
    DIAL_STATUSES,
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

HELP = (
    "keys (1, 123#), Enter alone = silence, 'say <words>' = speech, "
    "'hangup' = hang up, '?' = this help"
)


class TerminalCaller:
    """Read the caller's actions from a text stream, one line per wait.

    `commands` are words that show something instead of acting (e.g. "time": the clock
    and the hours verdict; "twiml": the last request and its document); each returns text.
    """

    def __init__(
        self,
        stdin: TextIO,
        write: Callable[[str], None],
        commands: Mapping[str, Callable[[], str]] | None = None,
    ) -> None:
        self.stdin = stdin
        self.write = write
        self.commands = dict(commands or {})
        self._message: Message | None = None  # typed during a recording's prompt

    @property
    def help(self) -> str:
        """The help line, with the commands this phone knows."""
        extra = ", ".join(f"'{name}'" for name in self.commands)
        return HELP + (f"; {extra} show more" if extra else "")

    def _ask(self, prompt: str) -> str | None:
        while True:
            self.write(prompt)
            line = self.stdin.readline()
            if not line:  # end of input: the caller puts the phone down
                return None
            command = self.commands.get(line.strip().lower())
            if command is None:
                return line.strip()
            self.write(command().rstrip("\n") + "\n")

    def gather(self, prompt: GatherPrompt) -> CallerAction:
        """Ask for keys, speech or silence; at a recording's prompt, words are the message
        (left at the beep, after the prompt)."""
        modes = "keys or 'say <words>'" if "speech" in prompt.input else "keys"
        if prompt.before_record:
            modes = "keys, or your message for the beep"
        while True:
            line = self._ask(f"  ({modes}; Enter = silence; ? = help) > ")
            if line is None or line.lower() in ("hangup", "hang up", "q", "quit"):
                return HangUp()
            if line == "":
                return Silence()
            if line == "?":
                self.write(f"  {self.help}\n")
                continue
            if line.lower().startswith("say "):
                return Speech(line[4:].strip())
            try:
                return Keys(line.replace(" ", ""))
            except ValueError:
                if prompt.before_record:
                    self._message = Message(line)
                    return Silence()
                self.write(f"  not keys: {line!r}; {self.help}\n")

    def dial(self, number: str) -> CallerAction:
        """Ask how the transfer ended."""
        choices = "/".join(s for s in DIAL_STATUSES if s != "canceled")
        while True:
            line = self._ask(f"  transfer to {number}: outcome ({choices}; Enter = completed) > ")
            if line is None or line.lower() == "hangup":
                return HangUp()
            status = line.lower() or "completed"
            if status in DIAL_STATUSES:
                return DialOutcome(status)
            self.write(f"  unknown outcome {line!r}\n")

    def record(self, prompt: RecordPrompt) -> CallerAction:
        """Ask for the words of a message (Enter alone leaves an empty recording)."""
        message, self._message = self._message, None
        if message is not None:
            return message
        line = self._ask(
            f"  recording (max {prompt.max_length}s): your message, Enter = say nothing > "
        )
        if line is None or line.lower() == "hangup":
            return HangUp()
        return Message(line)
