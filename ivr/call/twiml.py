"""Render the flow's verbs as TwiML with twilio's VoiceResponse."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

from ivr.call.verbs import Dial, Gather, Hangup, Link, Pause, Record, Redirect, Say, Verb

PATHS = {
    "gather": "/voice/gather",
    "dial": "/voice/dial",
    "record": "/voice/record",
    "enter": "/voice/enter",
    "transcription": "/voice/transcription",
    "callback": "/voice/callback",
}


def link_url(link: Link) -> str:
    """Return the webhook path, with the call state in its query, for a Link."""
    return f"{PATHS[link.endpoint]}?{urlencode(link.state.to_query())}"


# The one cache left on the request path (README, Performance): twilio's VoiceResponse
# builds and serialises an ElementTree, the largest part of a step's own work, and most
# calls pass through the same few states, so each document is rendered once per worker.
@functools.lru_cache(maxsize=1024)
def render(verbs: tuple[Verb, ...]) -> str:
    """Return a TwiML document for `verbs` (the same verbs always give the same document)."""
    response = VoiceResponse()
    for verb in verbs:
        _add(response, verb, link_url)
    return str(response)


def _add(parent: VoiceResponse, verb: Verb, url: Callable[[Link], str]) -> None:
    if isinstance(verb, Say):
        parent.say(verb.text, voice=verb.voice, language=verb.language)
    elif isinstance(verb, Pause):
        parent.pause(length=verb.seconds)
    elif isinstance(verb, Gather):
        extra: dict[str, str | int | bool] = {}  # more keyword arguments for the verb
        if verb.num_digits is not None:
            extra["num_digits"] = verb.num_digits
        if verb.speech_language:
            extra.update(input="dtmf speech", language=verb.speech_language, speech_timeout="auto")
            if verb.hints:
                extra["hints"] = verb.hints
        gather = parent.gather(
            action=url(verb.action),
            method="POST",
            timeout=verb.timeout,
            finish_on_key=verb.finish_on_key,
            **extra,
        )
        for prompt in verb.prompts:
            _add(gather, prompt, url)
    elif isinstance(verb, Redirect):
        parent.redirect(url(verb.to), method="POST")
    elif isinstance(verb, Dial):
        extra = {"caller_id": verb.caller_id} if verb.caller_id else {}
        dial = parent.dial(
            action=url(verb.action),
            method="POST",
            timeout=verb.timeout,
            time_limit=verb.time_limit,
            **extra,
        )
        dial.number(verb.number)
    elif isinstance(verb, Record):
        extra = {}
        if verb.transcribe_callback:
            extra = {"transcribe": True, "transcribe_callback": url(verb.transcribe_callback)}
        parent.record(
            action=url(verb.action),
            method="POST",
            max_length=verb.max_length,
            timeout=verb.timeout,
            finish_on_key=verb.finish_on_key,
            play_beep=True,
            **extra,
        )
    elif isinstance(verb, Hangup):
        parent.hangup()
    else:  # a new verb type without a renderer is a programming error
        raise TypeError(f"cannot render {verb!r}")
