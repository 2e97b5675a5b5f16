"""An offline Twilio: place simulated calls against any TwiML app and check every document."""

from ivr.simulator.call import Call, CallResult, Event
from ivr.simulator.callers import (
    Caller,
    CallerAction,
    DialOutcome,
    GatherPrompt,
    HangUp,
    Keys,
    Message,
    RecordPrompt,
    ScriptedCaller,
    ScriptMismatch,
    Silence,
    Speech,
)
from ivr.simulator.checks import TwimlProblem, check_response
from ivr.simulator.transport import (
    HttpTransport,
    Response,
    Transport,
    TransportError,
    WsgiTransport,
)

__all__ = [
    "Call",
    "CallResult",
    "Caller",
    "CallerAction",
    "DialOutcome",
    "Event",
    "GatherPrompt",
    "HangUp",
    "HttpTransport",
    "Keys",
    "Message",
    "RecordPrompt",
    "Response",
    "ScriptMismatch",
    "ScriptedCaller",
    "Silence",
    "Speech",
    "Transport",
    "TransportError",
    "TwimlProblem",
    "WsgiTransport",
    "check_response",
]
