"""The menus.yaml file format, version 1: one pydantic model per section.

These models check the file's shape (types, ranges, unknown fields) and give
`ivr schema` its JSON Schema. Cross-references, reachability and environment
values are checked afterwards by `ivr.menu.loading`, which also applies `defaults`.
"""

from __future__ import annotations

import datetime
import difflib
import zoneinfo
from typing import Annotated, Any, Literal

import holidays
from holidays.registry import COUNTRIES, EntityLoader
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ivr.menu.hours import MINUTES_PER_DAY, TimeRange, Weekday
from ivr.menu.problems import did_you_mean

RANGE_PATTERN = r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"  # HH:MM-HH:MM, checked by TimeRange

NODE_ID = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"
KEY = r"^[0-9*#]{1,6}$"
LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

NodeId = Annotated[str, Field(pattern=NODE_ID, description="The id of a node in `nodes`.")]
Key = Annotated[str, Field(pattern=KEY, description="Keys a caller presses: 0-9, * or #.")]


def _text_keys(data: Any, field: str) -> Any:
    """YAML reads an unquoted 1: as the integer 1; a block's keys are strings of digits."""
    if isinstance(data, dict) and isinstance(data.get(field), dict):
        return {**data, field: {str(k): v for k, v in data[field].items()}}
    return data


Text = Annotated[
    dict[Annotated[str, Field(pattern=LANG)], Annotated[str, Field(min_length=1)]],
    Field(description="Words per language code, e.g. {zh-CN: ..., en-US: ...}."),
]
Seconds = Annotated[int, Field(ge=1, le=60, description="Seconds to wait for the caller.")]
Retries = Annotated[int, Field(ge=1, le=10, description="Attempts before `on_max`.")]


class _Strict(BaseModel):
    # Defaults go by keyword, Field(default=...): type checkers see only that form as one.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Voice(_Strict):
    """How one language is spoken and heard."""

    voice: str = Field(description="Twilio <Say> voice, e.g. Polly.Zhiyu or Polly.Joanna.")
    language: str = Field(description="Twilio <Say> language, e.g. cmn-CN or en-US.")
    speech_language: str | None = Field(
        default=None, description="Speech recogniser language for <Gather>, e.g. cmn-Hans-CN."
    )


class GlobalKeys(_Strict):
    """Keys that work in every menu unless the menu overrides them (null disables one)."""

    repeat: Key | None = Field(default="*", description="Hear the menu again.")
    back: Key | None = Field(default="#", description="Back to the previous menu.")
    main: Key | None = Field(default="9", description="Back to the main menu.")
    agent: Key | None = Field(default="0", description="Go to the `agent_node`.")


class GlobalKeyLabels(_Strict):
    """What each global key is called when a menu lists its choices."""

    repeat: Text | None = None
    back: Text | None = None
    main: Text | None = None
    agent: Text | None = None


class AnswerKeyLabels(_Strict):
    """What the keys after an answer are called: '*' repeats the answer itself."""

    repeat: Text | None = None
    back: Text | None = None
    agent: Text | None = None


class Defaults(_Strict):
    """Settings every node inherits and may override."""

    timeout: Seconds = 5
    max_failures: Retries = 3
    max_timeouts: Retries = 3
    on_max: NodeId | None = Field(
        default=None, description="Where a caller goes after too many tries."
    )
    on_max_message: Text | None = Field(default=None, description="Said before going to `on_max`.")
    invalid: Text | None = Field(default=None, description="Said after an invalid choice.")
    not_understood: Text | None = Field(
        default=None,
        description="Said instead of `invalid` when what the caller said matched nothing "
        "(or was heard with low confidence).",
    )
    no_input: Text | None = Field(default=None, description="Said when the caller pressed nothing.")
    voices: dict[Annotated[str, Field(pattern=LANG)], Voice] = Field(default_factory=dict)
    global_keys: GlobalKeys = GlobalKeys()
    global_key_labels: GlobalKeyLabels = GlobalKeyLabels()
    global_keys_intro: Text | None = Field(
        default=None,
        description="Said before the global keys, announced once per call in the first "
        "menu or answer after the main menu (without it every list names them).",
    )
    answer_key_labels: AnswerKeyLabels = AnswerKeyLabels()
    speech_min_confidence: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="Speech below this confidence counts as not understood.",
    )


class Option(_Strict):
    """One choice in a menu."""

    label: Text = Field(description="Spoken before the key: '账户问题' -> '账户问题请按1'.")
    to: NodeId
    keywords: dict[Annotated[str, Field(pattern=LANG)], list[str]] = Field(
        default_factory=dict, description="Spoken words that pick this option."
    )
    language: str | None = Field(default=None, description="Switch the call to this language.")
    unsaid_when_closed: bool = Field(
        default=False,
        description="Left out of the spoken list while the hours node it leads to is closed "
        "(the menu already offers what that node's closed side offers); the key still works.",
    )


class _Node(_Strict):
    description: str | None = Field(default=None, description="A note for editors; never spoken.")
    phrases: dict[
        Annotated[str, Field(pattern=LANG)], list[Annotated[str, Field(min_length=1)]]
    ] = Field(
        default_factory=dict,
        description="What callers say to reach this node from any menu that accepts "
        "speech, per language: their words, not the label ('我的钱提不出来').",
    )
    voices: dict[Annotated[str, Field(pattern=LANG)], Voice] | None = None


class MenuNode(_Node):
    """A prompt, then a choice of keys."""

    type: Literal["menu"]
    prompt: Text | None = Field(default=None, description="Said before the list of choices.")
    full_prompt: Text | None = Field(
        default=None, description="Said instead of prompt + composed list; must name every key."
    )
    reprompt: Text | None = Field(default=None, description="Shorter prompt for retries.")
    options: dict[Key, Option] = Field(description="Key -> option.")
    invalid: Text | None = None
    not_understood: Text | None = None
    no_input: Text | None = None
    timeout: Seconds | None = None
    max_failures: Retries | None = None
    max_timeouts: Retries | None = None
    on_max: NodeId | None = None
    on_max_message: Text | None = None
    speech: bool = Field(
        default=False,
        description="Also accept speech: routed to the best-matching node of the whole tree.",
    )
    global_keys: dict[Literal["repeat", "back", "main", "agent"], Key | None] | None = None
    announce_global_keys: bool = Field(
        default=True,
        description="With defaults.global_keys_intro: announce the global keys here if "
        "the call has not heard them yet. Off for menus that end a call (after hours).",
    )
    urgent: bool = Field(
        default=False,
        description="A topic to act on first: a message or callback request left after "
        "it (its last menu or answer) is marked urgent and listed first.",
    )

    @model_validator(mode="before")
    @classmethod
    def _keys_as_text(cls, data: Any) -> Any:
        return _text_keys(data, "options")


class Source(_Strict):
    """Where an answer's key fact comes from: a seed article and a verbatim quote from it."""

    file: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="The article's file name.")
    quote: str = Field(min_length=4, description="Words copied exactly from the article.")


class AnswerNode(_Node):
    """An answer the caller can cut short: spoken inside a <Gather> that ends by naming
    '*' (this answer again), '#' (back to its menu) and the agent key. While it is read,
    the keys of the menu it returns to and the global keys work too."""

    type: Literal["answer"]
    say: Text
    source: Source | list[Source] | None = Field(
        default=None, description="The article(s) and quote(s) behind the answer's facts."
    )
    back: NodeId | None = Field(
        default=None, description="The menu '#' returns to; default: the one menu that leads here."
    )
    options: dict[Key, Option] = Field(
        default_factory=dict, description="Choices of this answer's own, named after it."
    )
    schedule: str | None = Field(
        default=None, description="The schedule whose hours fill {hours} in `say`."
    )
    timeout: Seconds | None = None
    urgent: bool = Field(
        default=False,
        description="A topic to act on first: a message or callback request left after "
        "it (its last menu or answer) is marked urgent and listed first.",
    )
    options_first: bool = Field(
        default=False,
        description="Name the answer's own options before its words, so the way to act is "
        "heard within seconds; the words need not name its key (and cannot then offer a "
        "line that is closed: a closed line's key is named by its closed_label).",
    )

    @model_validator(mode="before")
    @classmethod
    def _keys_as_text(cls, data: Any) -> Any:
        return _text_keys(data, "options")


class MessageNode(_Node):
    """Speak, then go on to a node or hang up."""

    type: Literal["message"]
    say: Text
    next: NodeId | None = None
    hangup: bool = Field(default=False, description="Hang up after speaking (instead of `next`).")


class HoursNode(_Node):
    """Branch on a named schedule."""

    type: Literal["hours"]
    schedule: str
    open: NodeId
    closed: NodeId
    closed_message: Text | None = Field(
        default=None,
        description="Said when closed; {hours} and {next_open} are filled in. "
        "Default: the hours and when the line next opens.",
    )
    announce_closed: bool = Field(default=True, description="Say the closed message at all.")
    closed_label: Text | None = Field(
        default=None,
        description="While closed, the words naming a key that leads here (the agent key, "
        "an option): '留言回电' -> '...请按0'. Default: the key's label.",
    )


class DialNode(_Node):
    """Transfer the caller to a person or line."""

    type: Literal["dial"]
    number: str = Field(description="E.164 number, normally ${NAME} from the environment.")
    caller_id: str | None = None
    timeout: int = Field(default=30, ge=5, le=600, description="Seconds to ring.")
    time_limit: int = Field(default=14400, ge=1, le=14400)
    say: Text | None = Field(default=None, description="Said before dialling.")
    completed: NodeId | None = Field(
        default=None, description="After the call ends; default hang up."
    )
    no_answer: NodeId
    busy: NodeId | None = Field(default=None, description="Default: `no_answer`.")
    failed: NodeId | None = Field(default=None, description="Default: `no_answer`.")


class RecordNode(_Node):
    """Take a voicemail or feedback message."""

    type: Literal["record"]
    kind: Literal["voicemail", "feedback"] = "voicemail"
    prompt: Text
    max_length: int = Field(default=120, ge=1, le=3600, description="Seconds.")
    timeout: int = Field(default=5, ge=1, le=60, description="Seconds of silence that end it.")
    finish_on_key: str = Field(default="#", pattern=r"^[0-9*#]{0,12}$")
    transcribe: bool = False
    thanks: Text | None = Field(default=None, description="Said after a message was recorded.")
    no_message: Text | None = Field(default=None, description="Said when nothing was recorded.")
    next: NodeId | None = Field(
        default=None, description="Where to go afterwards; default hang up."
    )


class CallbackWindow(_Strict):
    """A time of day a caller may choose to be called back in."""

    label: Text = Field(
        description="Spoken before the key: '上午' -> '上午请按1'. Say no hour "
        "here: the hours are an operator setting and may change."
    )
    # Checked as a schedule's ranges are (the same message and fix), kept as the text.
    hours: Annotated[str, AfterValidator(lambda text: _within_a_day(text))] = Field(
        description="e.g. 09:00-12:00, within one day", json_schema_extra={"pattern": RANGE_PATTERN}
    )


def _within_a_day(text: str) -> str:
    """A callback window is part of one day: unlike opening hours, it does not run on past
    midnight (an agent reading "20:00-18:00" could not tell when to call)."""
    hours = _time_range(text)
    if hours.end_minutes > MINUTES_PER_DAY:
        raise PydanticCustomError(
            "time_range",
            "{error}",
            {
                "error": f"the callback window {text!r} ends before it starts",
                "fix": "write the earlier time first, e.g. '18:00-20:00'",
            },
        )
    return str(hours)


class CallbackNode(_Node):
    """Take a callback request: confirm the number (caller id or typed), choose a window."""

    type: Literal["callback"]
    intro: Text | None = Field(default=None, description="Said before the number is confirmed.")
    windows: dict[Key, CallbackWindow] = Field(min_length=1)
    country: str = Field(
        default="CN",
        pattern=r"^[A-Z]{2}$",
        description="The country (ISO 3166 alpha-2) whose mobile and fixed-line numbers a "
        "callback may go to; typed numbers are read as dialled there.",
    )
    number_hint: Text | None = Field(
        default=None,
        description="What number to type, for the country: '11位手机号，或带区号的固定电话'. "
        "Said when the caller is asked to type one and after a number that cannot be called.",
    )
    thanks: Text | None = Field(
        default=None,
        description="Said once the request is saved; {when} is filled in with the day and "
        "hours ('明天（11月25日）晚上6点到8点之间'), {window} with the window's label.",
    )
    schedule: str | None = Field(
        default=None,
        description="The agents' schedule: a window is offered on a day only for the hours "
        "they work in it. Default: the schedule of the agent node's hours.",
    )
    max_failures: Retries | None = None
    on_max: NodeId | None = None
    next: NodeId | None = Field(
        default=None, description="Where to go afterwards; default hang up."
    )

    @model_validator(mode="before")
    @classmethod
    def _keys_as_text(cls, data: Any) -> Any:
        return _text_keys(data, "windows")


class HangupNode(_Node):
    """End the call, with an optional goodbye."""

    type: Literal["hangup"]
    say: Text | None = None


# Any node of a menu; `Node` is the same union as the file format reads it, by `type`.
AnyNode = (
    MenuNode
    | AnswerNode
    | MessageNode
    | HoursNode
    | DialNode
    | RecordNode
    | CallbackNode
    | HangupNode
)
Node = Annotated[AnyNode, Field(discriminator="type")]


def _time_range(value: object) -> TimeRange:
    if isinstance(value, TimeRange):
        return value
    try:
        return TimeRange.parse(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise PydanticCustomError(
            "time_range",
            "{error}",
            {"error": str(exc), "fix": "write HH:MM-HH:MM, hours 00-23; an end may be 24:00"},
        ) from None


Range = Annotated[
    TimeRange,
    BeforeValidator(_time_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": RANGE_PATTERN,
            "description": "HH:MM-HH:MM; an end at or before the start is the next day.",
        }
    ),
]
Ranges = Annotated[list[Range], Field(description="Open ranges of a day; [] means closed.")]


def _timezone(name: str) -> str:
    """Check an IANA time zone name, suggesting close names when it is unknown."""
    try:
        zoneinfo.ZoneInfo(name)
        return name
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    names = sorted(zoneinfo.available_timezones())
    by_lower = {n.lower(): n for n in names}
    by_city = {n.rsplit("/", 1)[-1].lower(): n for n in names}
    lower = name.lower()
    if lower in by_lower:
        guesses = [by_lower[lower]]
    elif "beijing" in lower:
        guesses = ["Asia/Shanghai"]  # China's zone is named after Shanghai, not Beijing
    else:
        city = lower.rsplit("/", 1)[-1]  # the city part alone catches "Shanghia"
        guesses = difflib.get_close_matches(name, names, n=1, cutoff=0.75) or [
            by_city[c] for c in difflib.get_close_matches(city, by_city, n=1, cutoff=0.75)
        ]
    fix = f"did you mean '{guesses[0]}'?" if guesses else "use an IANA name such as 'Asia/Shanghai'"
    raise PydanticCustomError("time_zone", "unknown time zone '{name}'", {"name": name, "fix": fix})


TimeZone = Annotated[
    str, AfterValidator(_timezone), Field(description="IANA time zone, e.g. Asia/Shanghai.")
]


def _country(code: str) -> str:
    """Check a holiday country code known to the holidays package."""
    # The registry's codes, not list_supported_countries(): that imports every country's
    # module (a quarter of a worker's start-up and several MB) to list subdivisions.
    supported = frozenset(EntityLoader.get_country_codes())
    if code in supported:
        return code
    if code.upper() in supported:
        fix = f"did you mean '{code.upper()}'?"
    else:
        # The package's registry: module names such as "china" or "united_kingdom".
        by_name = {module: codes[1] for module, codes in COUNTRIES.items()}
        named = by_name.get(code.strip().lower().replace(" ", "_"))
        fix = (
            f"did you mean '{named}'?"
            if named
            else did_you_mean(code, supported) or "use an ISO 3166 country code such as 'CN'"
        )
    raise PydanticCustomError(
        "holiday_country", "unknown holiday country '{code}'", {"code": code, "fix": fix}
    )


class Holidays(_Strict):
    country: Annotated[str, AfterValidator(_country)] = Field(
        description="ISO 3166 code known to the holidays package, e.g. CN."
    )
    subdivision: str | None = None
    hours: Ranges = Field(default_factory=list, description="Hours on public holidays.")
    working_weekends: bool = Field(
        default=True, description="Open on swapped working weekend days."
    )
    whole_breaks: bool = Field(
        default=False,
        description="Holiday hours on every day of a break: also the weekend days off in a "
        "run of days off that contains a public holiday (China announces breaks whole).",
    )

    @model_validator(mode="after")
    def _known_subdivision(self) -> Holidays:
        if self.subdivision is None:
            return self
        # Loads this one country's module (the package's lazy attribute).
        choices = [str(s) for s in getattr(holidays, self.country).subdivisions]
        if self.subdivision not in choices:
            fix = (
                f"{self.country} has no subdivisions; remove subdivision"
                if not choices
                else did_you_mean(self.subdivision, choices) or "use one of: " + ", ".join(choices)
            )
            raise PydanticCustomError(
                "subdivision",
                "unknown subdivision '{subdivision}' of {country}",
                {
                    "subdivision": self.subdivision,
                    "country": self.country,
                    "fix": fix,
                    "field": "subdivision",
                },
            )
        return self


class ScheduleModel(_Strict):
    timezone: TimeZone
    weekly: dict[Weekday, Ranges] = Field(
        description="daily, then weekdays/weekend, then single days: the most specific wins."
    )
    holidays: Holidays | None = None
    exceptions: dict[datetime.date, Ranges] = Field(default_factory=dict)


class MenusFile(_Strict):
    """The whole menus.yaml file."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"title": "ivr menus.yaml (version 1)"}
    )

    version: Literal[1]
    name: Text | None = None
    languages: list[Annotated[str, Field(pattern=LANG)]] = Field(
        min_length=1, description="The first is the one a call starts in."
    )
    start: NodeId
    main_menu: NodeId | None = Field(default=None, description="Where the main-menu key goes.")
    agent_node: NodeId | None = Field(default=None, description="Where the agent key goes.")
    defaults: Defaults = Defaults()
    retention_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Days recordings are kept; said before a recording "
        "wherever a prompt has {retention_days}.",
    )
    email: Text | None = Field(
        default=None,
        description="The support email address as each language's voice should read it "
        "(an operator setting); said wherever a node's words have {email}.",
    )
    schedules: dict[str, ScheduleModel] = Field(default_factory=dict)
    off_topic: dict[
        Annotated[str, Field(pattern=LANG)], list[Annotated[str, Field(min_length=1)]]
    ] = Field(
        default_factory=dict,
        description="What callers say that no node answers, per language, by kind (the "
        "weather, another company's products, small talk): a spoken request closer to these "
        "than to every node is re-prompted.",
    )
    nodes: dict[Annotated[str, Field(pattern=NODE_ID)], Node]


NODE_TYPES: dict[str, type[_Node]] = {
    "menu": MenuNode,
    "answer": AnswerNode,
    "message": MessageNode,
    "hours": HoursNode,
    "dial": DialNode,
    "record": RecordNode,
    "callback": CallbackNode,
    "hangup": HangupNode,
}


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of menus.yaml, for editors and `ivr schema`."""
    schema = MenusFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
