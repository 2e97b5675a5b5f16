"""Words as a caller hears them: the text, the voice and the language it is spoken in.

The menu composes its prompts as these once, at load; the call flow plays them as
`<Say>` verbs (ivr.call.verbs re-exports it as one of its verbs).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Say:
    """Speak `text` with a Twilio voice in a Twilio language; `node` is the node whose words
    they are (for the simulator's explanations; not part of what is said, nor compared)."""

    text: str
    voice: str
    language: str
    node: str = field(default="", compare=False)
