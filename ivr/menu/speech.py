"""Words as a caller hears them: the text, the voice and the language it is spoken in.

The menu composes its prompts as these once, at load; the call flow plays them as
`<Say>` verbs (ivr.call.verbs re-exports it as one of its verbs).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Say:
    """Speak `text` with a Twilio voice in a Twilio language."""

    text: str
    voice: str
    language: str
