"""Load menus.yaml once, check everything a caller could trip over, compile it.

`load_menus` returns an immutable `Menus` or raises `MenuError` with every
problem found, each naming the file, line, node and fix. Nothing here reads
YAML after start-up: prompts, key tables and speech hints are composed once.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pydantic

from ivr.menu import hours, intents, numbers, phrases, schema
from ivr.menu.hours import Schedule
from ivr.menu.problems import MenuError, Problem, did_you_mean, in_order
from ivr.menu.say import Say
from ivr.menu.schema import (
    KEY,
    LANG,
    NODE_ID,
    NODE_TYPES,
    AnswerNode,
    AnyNode,
    CallbackNode,
    DialNode,
    HangupNode,
    HoursNode,
    MenuNode,
    MenusFile,
    MessageNode,
    Option,
    RecordNode,
    ScheduleModel,
    Voice,
)
from ivr.menu.voices import (
    language_family,
    speaks_mandarin,
    speech_language_problem,
    voice_languages,
    voice_problem,
)
from ivr.menu.yamlfile import YamlFile, YamlSyntaxError, read_yaml

_VOICE_FIX = "use man, woman, Polly.<Name> (e.g. Polly.Zhiyu, Polly.Joanna) or a Google voice"

GLOBAL_ACTIONS = ("agent", "repeat", "back", "main")  # the order they are announced in
# With defaults.global_keys_intro set, a menu lists only these global keys every time (the
# rest once per call); an answer always names these, since they are its ways onward.
EVERY_MENU = ("agent",)
EVERY_ANSWER = ("repeat", "back", "agent")
_PLACEHOLDER = re.compile(r"\{retention_days\}")
_EMAIL = "{email}"  # the top-level `email`, in the words' own language
_BRACED = re.compile(r"\{([^{}]*)\}")  # a placeholder, or what a caller would hear as written
# What the words of each place fill in ({retention_days} in every node's words).
_FILLED: dict[tuple[type, str], tuple[str, ...]] = {
    (CallbackNode, "thanks"): ("when", "window", "zone"),
    (HoursNode, "closed_message"): ("hours", "next_open", "zone"),
    (AnswerNode, "say"): ("hours", "zone"),  # from the answer's own `schedule`
    (RecordNode, "prompt"): ("max_length",),  # the recording's own `max_length`
}

# The environment variables the README documents for numbers (settings hold the rest).
NUMBER_VARIABLES = ("AGENT_NUMBER", "EMERGENCY_NUMBER")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_PATTERN_WORDS = {
    NODE_ID: "an id of letters, digits, '_' or '-' starting with a letter",
    KEY: "keys 0-9, * or # (at most 6)",
    LANG: "a language code such as zh-CN",
}
_TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    MenuNode: (
        "prompt",
        "full_prompt",
        "reprompt",
        "invalid",
        "not_understood",
        "no_input",
        "on_max_message",
    ),
    AnswerNode: ("say",),
    MessageNode: ("say",),
    HoursNode: ("closed_message", "closed_label"),
    DialNode: ("say",),
    RecordNode: ("prompt", "thanks", "no_message"),
    CallbackNode: ("intro", "thanks", "number_hint"),
    HangupNode: ("say",),
}


_DEFAULT_TEXTS = ("invalid", "not_understood", "no_input", "on_max_message", "global_keys_intro")


@dataclass(frozen=True)
class Retry:
    """What a menu or answer does with a wrong key or silence."""

    timeout: int
    invalid: Mapping[str, str] | None
    no_input: Mapping[str, str] | None
    not_understood: Mapping[str, str] | None  # for speech that matched nothing; else invalid
    max_failures: int
    max_timeouts: int
    on_max: str | None
    on_max_message: Mapping[str, str] | None


@dataclass(frozen=True)
class MenuPlan:
    """Everything a menu (or an answer) needs on a request, composed once at load."""

    prompt: Mapping[str, tuple[Say, ...]]
    reprompt: Mapping[str, tuple[Say, ...]]
    keys: Mapping[str, Option | str]  # an option, or a global action name
    num_digits: int | None
    finish_on_key: str
    hints: Mapping[str, str]
    keywords: Mapping[str, tuple[tuple[str, str], ...]]  # lang -> (keyword, key), longest first
    retry: Retry
    speech: bool = False
    # The prompt with the global keys announced (the first menu or answer after the main
    # menu, once per call); empty when every list names them anyway.
    first_prompt: Mapping[str, tuple[Say, ...]] = field(default_factory=dict)
    back: str | None = None  # an answer's menu, where '#' and silence lead
    answer: bool = False
    # The hours nodes whose being closed changes these words (the agent key's label, an
    # option left unsaid), and the plan worded for each set of them that is closed.
    hours: tuple[str, ...] = ()
    closed: Mapping[frozenset[str], MenuPlan] = field(default_factory=dict)


@dataclass(frozen=True)
class Spoken:
    """Every node a caller can ask for by speaking, and how they would have come there."""

    intents: intents.Intents
    paths: Mapping[str, tuple[str, ...]]  # node -> the menus from the main menu to its own
    labels: Mapping[str, Mapping[str, str]]  # node -> lang -> its option's label
    hints: Mapping[str, str]  # lang -> the vocabulary for Twilio's recogniser


_STEP_LABELS = {  # when the file names neither an answer's nor a menu's repeat and back keys
    "zh": {"repeat": "重听", "back": "返回", "main": "回主菜单"},
    "en": {"repeat": "To hear this again", "back": "To go back", "main": "For the main menu"},
}


@dataclass(frozen=True)
class StepKeys:
    """The keys of a step outside a menu (a callback question, a recording's prompt):
    repeat, back and main as in the defaults, the words naming the first two, and the
    defaults' words for silence and a wrong key."""

    repeat: str | None = "*"
    back: str | None = "#"
    main: str | None = "9"
    onward: Mapping[str, str] = field(default_factory=dict)  # lang -> "重听请按星号键，..."
    # where the back key ends a recording: "重听请按星号键，回主菜单请按9。", the way out
    not_back: Mapping[str, str] = field(default_factory=dict)
    no_input: Mapping[str, str] = field(default_factory=dict)
    invalid: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Menus:
    """A loaded, checked menu tree."""

    path: str
    languages: tuple[str, ...]
    start: str
    main_menu: str
    agent_node: str | None
    nodes: Mapping[str, AnyNode]
    schedules: Mapping[str, Schedule]
    plans: Mapping[str, MenuPlan]
    voices: Mapping[str, Mapping[str, Voice]]  # node id -> lang -> voice
    speech_min_confidence: float
    warnings: tuple[Problem, ...] = field(default=())
    retention_days: int | None = None  # how long recordings are kept (`ivr db purge`)
    spoken: Spoken | None = None  # what speech can reach, when a menu accepts it
    steps: StepKeys = StepKeys()  # the keys and words of callback and recording steps
    lines: Mapping[tuple, int] = field(default_factory=dict)  # a path in the file -> its line

    def line_of_words(self, node_id: str, words: str) -> int | None:
        """The line of the node's words that `words` (a <Say>'s text) says, else the node's."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        texts: list[tuple[tuple[str, ...], str]] = [
            ((attr, lang), text)
            for attr in _TEXT_FIELDS[type(node)]
            for lang, text in (getattr(node, attr) or {}).items()
        ]
        if isinstance(node, MenuNode | AnswerNode):
            texts += [
                (("options", key, "label", lang), text)
                for key, option in node.options.items()
                for lang, text in option.label.items()
            ]
        for path, text in texts:
            if text.strip() and (text.strip() in words or words in text):
                return self.lines.get(("nodes", node_id, *path))
        return self.lines.get(("nodes", node_id))

    def say(self, node_id: str, text: Mapping[str, str] | None, lang: str) -> tuple[Say, ...]:
        """Speak `text` in `lang` with the node's voice (nothing if there is no text)."""
        if not text or lang not in text:
            return ()
        voice = self.voices[node_id][lang]
        return (Say(text[lang], voice.voice, voice.language, node_id),)


def load_menus(
    path: str | os.PathLike[str], env: Mapping[str, str] | None = None, production: bool = False
) -> Menus:
    """Read, check and compile a menus file; raise MenuError listing every problem."""
    menus, problems = _load(Path(path), env or {}, production)
    errors = [p for p in problems if p.severity == "error"]
    if errors or menus is None:
        raise MenuError(errors)
    return menus


def check_menus(
    path: str | os.PathLike[str], env: Mapping[str, str] | None = None, production: bool = False
) -> list[Problem]:
    """Return every problem (errors and warnings) in a menus file."""
    return _load(Path(path), env or {}, production)[1]


def _load(path: Path, env: Mapping[str, str], production: bool) -> tuple[Menus | None, list]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [
            Problem(
                name,
                None,
                None,
                f"cannot read the file: {exc.strerror}",
                "check the path, or set IVR_MENUS",
            )
        ]
    except UnicodeDecodeError:
        return None, [Problem(name, None, None, "the file is not UTF-8 text", "save it as UTF-8")]
    try:
        yf = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, [
            Problem(
                name,
                exc.line,
                None,
                f"YAML syntax error: {exc}",
                exc.fix or "check indentation, colons and quotes on or just above this line",
            )
        ]
    problems = [
        Problem(
            name,
            line,
            _node_of(dup),
            f"duplicate key '{dup[-1]}' (first at line {first}); "
            "YAML would silently keep only the last one",
            "remove or rename one of them",
        )
        for dup, line, first in yf.duplicates
    ]
    if not isinstance(yf.data, dict):
        return None, [
            *problems,
            Problem(
                name,
                1,
                None,
                "the file must be a mapping with version, languages, start and nodes",
                "start from the shipped menus.yaml",
            ),
        ]
    try:
        model = MenusFile.model_validate(yf.data)
    except pydantic.ValidationError as exc:
        return None, problems + [_shape_problem(name, yf, err) for err in exc.errors()]
    checker = _Checker(name, yf, model, env, production)
    problems = in_order(problems + checker.run())
    if any(p.severity == "error" for p in problems):
        return None, problems
    return _compile(name, model, checker), problems


def schedule_from_model(name: str, block: ScheduleModel) -> Schedule:
    """Build the Schedule a checked `schedules:` block describes."""
    days = block.holidays
    return Schedule.build(
        name,
        block.timezone,
        block.weekly,
        holiday_country=days.country if days else None,
        holiday_subdivision=days.subdivision if days else None,
        holiday_hours=days.hours if days else None,
        working_weekends=days.working_weekends if days else True,
        exceptions=block.exceptions,
        whole_breaks=days.whole_breaks if days else False,
    )


def _node_of(path: tuple) -> str | None:
    return str(path[1]) if len(path) > 1 and path[0] == "nodes" else None


def _shape_problem(name: str, yf: YamlFile, err: Any) -> Problem:
    """Turn one pydantic error into a Problem a person can act on."""
    loc = list(err["loc"])
    nodes = yf.data.get("nodes") if isinstance(yf.data, dict) else None
    # A node's error path carries its type tag after the id; the file has no such level.
    if len(loc) > 2 and loc[0] == "nodes" and isinstance(nodes, dict):
        raw = nodes.get(loc[1])
        if isinstance(raw, dict) and loc[2] == raw.get("type"):
            del loc[2]
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc.pop()
    kind, value = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    fix = ctx.get("fix")
    if ctx.get("field"):  # a check of a whole block that names the field at fault
        loc.append(ctx["field"])
    where = ".".join(str(p) for p in loc) or "the file"
    if kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'"
        fix = did_you_mean(loc[-1], _field_names(loc, nodes)) or "remove it"
    elif kind == "missing":
        message = f"missing required field '{loc[-1]}'"
        fix = f"add '{loc[-1]}:'"
    elif kind == "union_tag_invalid":
        loc.append("type")
        message = f"unknown node type '{err['ctx']['tag']}'"
        fix = did_you_mean(err["ctx"]["tag"], NODE_TYPES) or f"use one of {', '.join(NODE_TYPES)}"
    elif kind == "union_tag_not_found":
        message = "node has no 'type'"
        fix = f"add 'type:' with one of {', '.join(NODE_TYPES)}"
    elif kind == "string_pattern_mismatch":
        wanted = _PATTERN_WORDS.get(err["ctx"]["pattern"], "a range like 08:00-20:00")
        message = f"{'key' if is_key else where} '{value}' is not valid: expected {wanted}"
    elif kind == "literal_error":
        expected = re.findall(r"'([^']*)'", ctx["expected"])
        parent = ".".join(str(p) for p in loc[:-1])
        message = (
            f"unknown key '{value}' in {parent}"
            if is_key
            else f"{where} is '{value}', expected {ctx['expected']}"
        )
        fix = did_you_mean(str(value), expected) or f"use one of {ctx['expected']}"
    elif kind == "list_type":
        message = f"{where} must be a list, not {value!r}"
        fix = "write a list in brackets, e.g. ['08:00-20:00'], or [] for none"
    elif fix is not None:  # our own checks: the message says it, the fix is apart
        message = f"{where}: {err['msg']}"
    else:
        message = f"{where} = {value!r}: {err['msg']}"
        fix = _value_fix(kind, ctx, str(loc[-1]) if loc else "it")
    return Problem(name, yf.line_of(tuple(loc)), _node_of(tuple(loc)), message, fix)


# What to write instead, for pydantic's own checks of a value (its messages say only what
# is wrong): a number out of range, a word where a number goes, and so on.
_BOUNDS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}
_KINDS = {
    "int": "{field} as a whole number, without quotes or units ('seconds', 'days')",
    "float": "{field} as a number, without quotes or units",
    "bool": "true or false",
    "string": "text, in quotes if it starts with a digit or a symbol",
    "dict": "its fields indented under {field}:",
    "model": "its fields indented under {field}:",
    "list": "a list in brackets, e.g. [a, b]",
}


def _value_fix(kind: str, ctx: Mapping[str, Any], field: str) -> str:
    """The fix for one of pydantic's value errors, from its type and context."""
    if kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        return f"set {field} to " + words.format(ctx.get(name))
    wanted = _KINDS.get(kind.split("_")[0])
    if wanted:
        return "write " + wanted.format(field=field)
    return f"see what {field} takes in menus.schema.json (ivr schema) or the README's menus.yaml"


def _field_names(loc: list, nodes: Any) -> list[str]:
    if len(loc) == 3 and loc[0] == "nodes" and isinstance(nodes, dict):
        raw = nodes.get(loc[1])
        kind = raw.get("type") if isinstance(raw, dict) else None
        model = NODE_TYPES.get(kind) if isinstance(kind, str) else None
        if model:
            return list(model.model_fields)
    names: set[str] = set()
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
            names.update(model.model_fields)
    return sorted(names)


def expand_env(value: str, env: Mapping[str, str], production: bool) -> tuple[str, str | None]:
    """Replace ${NAME} and ${NAME:-default}; return the value and a problem, if any."""
    problem = None

    def one(match: re.Match[str]) -> str:
        nonlocal problem
        var, default = match.group(1), match.group(2)
        if env.get(var):
            return env[var]
        if default is not None and not production:
            return default
        problem = f"environment variable {var} is not set" + (
            " (the demo default is not used in production)" if default else ""
        )
        return ""

    return _ENV_REF.sub(one, value), problem


class _Checker:
    """The checks that need the whole file: references, paths, languages, numbers."""

    def __init__(
        self, name: str, yf: YamlFile, model: MenusFile, env: Mapping[str, str], production: bool
    ) -> None:
        self.name, self.yf, self.m, self.env, self.production = name, yf, model, env, production
        self.problems: list[Problem] = []
        self.schedules: dict[str, Schedule] = {}
        self.numbers: dict[tuple[str, str], str] = {}  # (node, field) -> expanded number
        self.spoken: Spoken | None = None  # the speech index, built once by check_phrases

    def add(
        self,
        path: tuple,
        message: str,
        fix: str | None = None,
        severity: str = "error",
        consequence: bool = False,
    ) -> None:
        line, node = self.yf.line_of(path), _node_of(path)
        self.problems.append(Problem(self.name, line, node, message, fix, severity, consequence))

    def links_broken(self) -> bool:
        """Whether a link between nodes is already reported broken: an unknown node, or a
        duplicate key (YAML keeps only the last one, so an option or node may be lost)."""
        return bool(self.yf.duplicates) or any(
            p.message.startswith("unknown node '") for p in self.problems
        )

    def run(self) -> list[Problem]:
        self.check_languages()
        self.check_references()
        self.check_schedules()
        self.check_placeholders()
        self.check_unsaid()
        for attr in _DEFAULT_TEXTS:  # every menu says these unless it has its own
            self.check_text(("defaults", attr), getattr(self.m.defaults, attr))
        for node_id, node in self.m.nodes.items():
            self.check_texts(node_id, node)
            if isinstance(node, MenuNode):
                self.check_menu(node_id, node)
            elif isinstance(node, AnswerNode):
                self.check_answer(node_id, node)
            elif isinstance(node, DialNode):
                self.check_dial(node_id, node)
            elif isinstance(node, MessageNode) and (node.next is None) == (not node.hangup):
                self.add(
                    ("nodes", node_id),
                    "a message needs exactly one of 'next' or 'hangup: true'",
                    "say where the caller goes after it",
                )
        if not any(p.severity == "error" for p in self.problems):
            self.check_paths()
        if not any(p.severity == "error" for p in self.problems):
            self.check_phrases()
        return self.problems

    # -- languages and words ---------------------------------------------------------------

    def check_languages(self) -> None:
        for lang in self.m.languages:
            if lang not in self.m.defaults.voices:
                self.add(
                    ("languages",),
                    f"language '{lang}' has no voice in defaults.voices",
                    f"add defaults.voices.{lang} with voice and language",
                )
        for lang, voice in self.m.defaults.voices.items():
            self.check_voice(("defaults", "voices", lang), lang, voice)
        for node_id, node in self.m.nodes.items():
            for lang, voice in (node.voices or {}).items():
                self.check_voice(("nodes", node_id, "voices", lang), lang, voice)
        for lang in self.m.defaults.voices:
            if lang not in self.m.languages:
                self.add(
                    ("defaults", "voices", lang),
                    f"language '{lang}' is not in 'languages'",
                    "add it to languages or remove the voice",
                    severity="warning",
                )

    def check_voice(self, path: tuple, lang: str, voice: Voice) -> None:
        """A voice Twilio has, that speaks the language it is given and the menu's words, and
        a speech language its recogniser takes: a wrong one is an error only on a real call."""
        problem = voice_problem(voice.voice)
        spoken = voice_languages(voice.voice) or ()
        if problem:
            self.add((*path, "voice"), f"voice '{voice.voice}' {problem}", _VOICE_FIX)
        elif phrases.family(lang) == "zh" and not speaks_mandarin(voice.voice):
            self.add(
                (*path, "voice"),
                f"voice '{voice.voice}' cannot speak Mandarin",
                "use Polly.Zhiyu or a Google.cmn-CN voice",
            )
        elif spoken and language_family(voice.language) not in {language_family(s) for s in spoken}:
            self.add(
                (*path, "language"),
                f"voice '{voice.voice}' speaks {', '.join(spoken)}, not '{voice.language}'",
                f"set language: {spoken[0]}, or choose a voice that speaks {voice.language}",
            )
        if voice.speech_language is not None:
            problem = speech_language_problem(voice.speech_language)
            if problem:
                self.add(
                    (*path, "speech_language"),
                    f"speech_language '{voice.speech_language}' {problem}",
                    "use a tag from twilio.com/docs/voice/twiml/gather#languagetags",
                )

    def check_text(
        self, path: tuple, text: Mapping[str, str] | None, needed: tuple[str, ...] | None = None
    ) -> None:
        if text is None:
            return
        for lang in needed or self.m.languages:
            if lang not in text:
                self.add(path, f"no '{lang}' words", f"add {lang}: with the words to say")
        for lang in text:
            if lang not in self.m.languages:
                self.add(
                    path + (lang,),
                    f"language '{lang}' is not in 'languages'",
                    did_you_mean(lang, self.m.languages) or "remove it",
                )
        for lang, words in text.items():
            self.check_script(path + (lang,), lang, words)
        self.check_same_keys(path, text)

    def check_script(self, path: tuple, lang: str, words: str) -> None:
        """Words in the script of their language, with no placeholder left for a caller."""
        marker = _LEFTOVER.search(words)
        if marker:
            self.add(
                path,
                f"'{marker.group(1)}' left in the {lang} words: a caller would hear "
                f"{_quote(words)}",
                "write the words a caller should hear",
            )
        cjk = _CJK.search(words)
        if phrases.family(lang) == "en" and cjk:
            self.add(
                path,
                f"Chinese text in the {lang} words ({_quote(words)}): the {lang} voice "
                "cannot read it",
                f"write the {lang} words here (the Chinese belongs under a zh-CN key)",
            )
        elif phrases.family(lang) == "zh" and not cjk and _LETTERS.search(words):
            self.add(
                path,
                f"no Chinese in the {lang} words ({_quote(words)}): a {lang} caller would "
                "hear another language",
                f"write the {lang} words here",
            )

    def check_same_keys(self, path: tuple, text: Mapping[str, str]) -> None:
        """Every language of the same words names the same keys."""
        named = {
            lang: phrases.key_mentions(words, lang)
            for lang, words in text.items()
            if lang in self.m.languages
        }
        keys = {lang: sorted({m.key for m in found}) for lang, found in named.items()}
        if len({tuple(k) for k in keys.values()}) < 2:
            return
        said = "; ".join(
            f"{lang} names {', '.join(keys[lang]) or 'no key'} ("
            + (", ".join(_quote(m.clause) for m in named[lang]) or _quote(text[lang]))
            + ")"
            for lang in named
        )
        self.add(
            path,
            f"the languages name different keys: {said}",
            "make every language name the same keys for the same choices",
        )

    def check_key_labels(
        self, path: tuple, text: Mapping[str, str], labels: Mapping[str, Mapping[str, str]]
    ) -> None:
        """Each key the words name leads where the words say: the words about it do not
        name what another key does here (its option's label)."""
        for lang, words in text.items():
            own = {key: _label_words(label.get(lang, ""), lang) for key, label in labels.items()}
            for mention in phrases.key_mentions(words, lang):
                for stretch in (mention.clause, mention.stretch):
                    found = {
                        key: label
                        for key, label in own.items()
                        if label and label in stretch.lower()
                    }
                    if not found:
                        continue  # no label in the clause: look at the stretch around it
                    if mention.key not in found:
                        other, label = max(found.items(), key=lambda item: len(item[1]))
                        self.add(
                            path + (lang,),
                            f"the words say to press '{mention.key}' ({_quote(mention.clause)}) "
                            f"but '{label}' is what key '{other}' does here",
                            f"say '{other}', or point option '{mention.key}' there",
                        )
                    break

    def check_texts(self, node_id: str, node: AnyNode) -> None:
        for attr in _TEXT_FIELDS[type(node)]:
            self.check_text(("nodes", node_id, attr), getattr(node, attr))
        if isinstance(node, CallbackNode):
            for key, window in node.windows.items():
                self.check_text(("nodes", node_id, "windows", key, "label"), window.label)
                if len(key) != 1:
                    self.add(
                        ("nodes", node_id, "windows", key),
                        "a window key must be one key",
                        "use 1-9",
                    )
            if not numbers.is_country(node.country):
                self.add(
                    ("nodes", node_id, "country"),
                    f"unknown country '{node.country}'",
                    "use an ISO 3166 code such as CN",
                )
            if node.on_max is None and self.m.defaults.on_max is None:
                self.add(
                    ("nodes", node_id),
                    "no 'on_max': a caller who keeps failing has nowhere to go",
                    "set on_max here or in defaults",
                )
        if isinstance(node, MenuNode | AnswerNode):
            for key, option in node.options.items():
                needed = (option.language,) if option.language else None
                self.check_text(("nodes", node_id, "options", key, "label"), option.label, needed)
                for lang in option.keywords:
                    if lang not in self.m.languages:
                        self.add(
                            ("nodes", node_id, "options", key, "keywords", lang),
                            f"language '{lang}' is not in 'languages'",
                        )

    # -- references --------------------------------------------------------------------------

    def check_references(self) -> None:
        refs: list[tuple[tuple, str]] = [
            (path, target)
            for path, target in (
                (("start",), self.m.start),
                (("main_menu",), self.m.main_menu),
                (("agent_node",), self.m.agent_node),
                (("defaults", "on_max"), self.m.defaults.on_max),
            )
            if target is not None
        ]
        for node_id, node in self.m.nodes.items():
            refs += [
                (("nodes", node_id, *attr.split(".")), target)
                for attr, target in _edges(node)
                if target is not None
            ]
        named = Counter(target for _, target in refs)
        for path, target in refs:
            if target in self.m.nodes:
                continue
            close = did_you_mean(target, self.m.nodes)
            defined = difflib.get_close_matches(target, list(self.m.nodes), n=1, cutoff=0.6)
            close_id = defined[0] if defined else ""
            many = named[target]
            if close_id and not named[close_id] and (many > 1 or len(target) > len(close_id)):
                # The links name the missing node and none names the close one, so the node's
                # own id may be the misspelling: surely with several links; with one, when
                # the id is the shorter (a letter left out is the usual slip).
                line = self.yf.line_of(("nodes", close_id))
                close = (
                    f"node '{close_id}' (line {line}) may be misspelt: "
                    + (f"{many} references name" if many > 1 else "the reference names")
                    + f" '{target}' and none names '{close_id}'; "
                    + f"rename the node to '{target}'"
                    + ("" if many > 1 else f" (or this reference to '{close_id}')")
                )
            self.add(path, f"unknown node '{target}'", close or "add a node with that id")

    def check_schedules(self) -> None:
        for name, block in self.m.schedules.items():
            self.schedules[name] = schedule_from_model(name, block)
        for node_id, node in self.m.nodes.items():
            schedule = (
                node.schedule if isinstance(node, HoursNode | CallbackNode | AnswerNode) else None
            )
            if schedule is not None and schedule not in self.m.schedules:
                self.add(
                    ("nodes", node_id, "schedule"),
                    f"unknown schedule '{schedule}'",
                    did_you_mean(schedule, self.m.schedules) or "add it under 'schedules'",
                )

    # -- menus --------------------------------------------------------------------------------

    def global_keys(self, node: MenuNode | None) -> dict[str, str]:
        """Return action -> key for the global keys enabled in a menu (None: an answer)."""
        keys = self.m.defaults.global_keys.model_dump()
        if node is not None and node.global_keys:
            keys.update(node.global_keys.items())  # as pairs: its keys are Literal action names
        if self.m.agent_node is None:
            keys["agent"] = None
        return {action: key for action, key in keys.items() if key is not None}

    def check_placeholders(self) -> None:
        """Every {name} in a node's words is one that place fills in: a misspelt one would be
        read to the caller as written."""
        for node_id, node in self.m.nodes.items():
            for attr in _TEXT_FIELDS[type(node)]:
                known = ("retention_days", "email", *_FILLED.get((type(node), attr), ()))
                for lang, text in (getattr(node, attr) or {}).items():
                    path = ("nodes", node_id, attr, lang)
                    for name in _BRACED.findall(text):
                        if name not in known:
                            names = ["{" + k + "}" for k in known]
                            self.add(
                                path,
                                f"'{{{name}}}' is not filled in here: a caller would hear it "
                                "as written",
                                did_you_mean("{" + name + "}", names)
                                or f"use one of {', '.join(names)}, or leave out the braces",
                            )
                    for name in ("hours", "zone"):
                        if (
                            isinstance(node, AnswerNode)
                            and node.schedule is None
                            and ("{" + name + "}" in text)
                        ):
                            self.add(
                                path,
                                f"'{{{name}}}' needs a schedule to fill it in: a caller would "
                                "hear it as written",
                                "set 'schedule:' on the answer to the schedule whose hours it says",
                            )
                    if self.m.retention_days is None and _PLACEHOLDER.search(text):
                        self.add(
                            path,
                            "the words say {retention_days} but the file sets no retention_days",
                            "add 'retention_days: 90' at the top level",
                        )
                    if _EMAIL in text and lang not in (self.m.email or {}):
                        self.add(
                            path,
                            f"the words say {_EMAIL} but the file sets no email in {lang}",
                            f"add the support address at the top level: 'email: {{{lang}: "
                            "...}' as the voice should read it",
                        )

    def check_unsaid(self) -> None:
        """An option left unsaid while closed must lead to an hours node: elsewhere it would
        never be said at all."""
        for node_id, node in self.m.nodes.items():
            if not isinstance(node, MenuNode | AnswerNode):
                continue
            for key, option in node.options.items():
                target = self.m.nodes.get(option.to)
                if option.unsaid_when_closed and not isinstance(target, HoursNode | None):
                    self.add(
                        ("nodes", node_id, "options", key, "unsaid_when_closed"),
                        f"'unsaid_when_closed' needs an option that leads to an hours node, "
                        f"and '{option.to}' is not one: the option would never be said",
                        "remove 'unsaid_when_closed', or lead the option to an hours node",
                    )

    def answer_back(self, node_id: str, node: AnswerNode) -> str | None:
        """Return the menu an answer returns to: its `back`, or the one menu leading here."""
        if node.back:
            return node.back
        parents = sorted(
            {
                other
                for other, n in self.m.nodes.items()
                if isinstance(n, MenuNode | AnswerNode)
                and any(o.to == node_id for o in n.options.values())
            }
        )
        return parents[0] if len(parents) == 1 else None

    def check_answer(self, node_id: str, node: AnswerNode) -> None:
        path = ("nodes", node_id)
        back = self.answer_back(node_id, node)
        linked = any(
            o.to == node_id
            for n in self.m.nodes.values()
            if isinstance(n, MenuNode | AnswerNode)
            for o in n.options.values()
        )
        if back is None and not linked:
            self.add(
                path,
                "no menu option leads to this answer (a caller could reach it only by "
                "speaking), so '#' has no menu to return to",
                "add an option for it to its menu, or set 'back:' to the menu it belongs to",
                consequence=self.links_broken(),
            )
        elif back is None:
            self.add(
                path,
                "cannot tell which menu '#' returns to after this answer",
                "set 'back:' to the menu it belongs to",
                consequence=self.links_broken(),  # the link from its menu may be the one lost
            )
        elif not isinstance(self.m.nodes.get(back), MenuNode):
            self.add(
                path + ("back",),
                f"'back' must be a menu, and '{back}' is not",
                "name the menu this answer belongs to",
            )
        globals_ = self.global_keys(None)
        for key, option in node.options.items():
            if key in globals_.values():
                self.add(
                    path + ("options", key),
                    f"option key '{key}' collides with a global key",
                    "use another key",
                )
            if option.language:
                self.add(
                    path + ("options", key, "language"),
                    "an answer's option cannot switch the language",
                    "switch languages in a menu",
                )
        keys = set(node.options) | set(globals_.values())
        parent = self.m.nodes.get(back or "")
        if isinstance(parent, MenuNode):
            keys |= set(parent.options)
        labels = {key: option.label for key, option in node.options.items()}
        if isinstance(parent, MenuNode):
            labels = {key: o.label for key, o in parent.options.items()} | labels
        self.check_key_labels(path + ("say",), node.say, labels)
        for lang, text in node.say.items():
            for key in sorted(phrases.named_keys(text, lang) - keys):
                self.add(
                    path + ("say", lang),
                    f"the answer says to press '{key}', which does nothing here",
                    "fix the words or add the option",
                )

    def check_menu(self, node_id: str, node: MenuNode) -> None:
        path = ("nodes", node_id)
        if not node.options:
            self.add(path + ("options",), "a menu with no options", "add at least one option")
        globals_ = self.global_keys(node)
        seen: dict[str, str] = {}
        for action, key in globals_.items():
            if key in seen:
                self.add(
                    path,
                    f"global keys '{seen[key]}' and '{action}' are both '{key}'",
                    "give one of them another key",
                )
            seen[key] = action
        for key, option in node.options.items():
            if key in seen:
                self.add(
                    path + ("options", key),
                    f"option key '{key}' collides with the global '{seen[key]}' key",
                    f"use another key, or disable it here with global_keys: {{{seen[key]}: null}}",
                )
            if option.language and option.language not in self.m.languages:
                self.add(
                    path + ("options", key, "language"),
                    f"language '{option.language}' is not in 'languages'",
                    did_you_mean(option.language, self.m.languages),
                )
        keys = set(node.options) | set(globals_.values())
        if any(len(k) > 1 for k in keys) and "#" in keys:
            # An error, not a warning: the list would announce a key the caller can press
            # and never be heard (Twilio ends the entry on it and posts nothing).
            actions = [a for a, k in globals_.items() if k == "#"]
            if actions:
                what = f"the {actions[0]} key"
                fix = f"disable it in this menu with global_keys: {{{actions[0]}: null}}"
            else:
                what, fix = "option '#'", "give that option another key"
            self.add(
                path,
                f"'#' ends a multi-digit entry here, so {what} ('#') would be announced and "
                "never work",
                f"{fix}, or make every option one key",
            )
        if node.on_max is None and self.m.defaults.on_max is None:
            self.add(
                path,
                "no 'on_max': a caller who keeps failing has nowhere to go",
                "set on_max here or in defaults",
            )
        if node.full_prompt:
            labels = {key: option.label for key, option in node.options.items()}
            self.check_key_labels(path + ("full_prompt",), node.full_prompt, labels)
            for lang, text in node.full_prompt.items():
                named = phrases.named_keys(text, lang)
                for key in sorted(named - keys):
                    self.add(
                        path + ("full_prompt", lang),
                        f"the prompt says to press '{key}', which this menu does not have",
                        "fix the words or add the option",
                    )
                for key, option in node.options.items():
                    if key not in named and option.language in (None, lang):
                        self.add(
                            path + ("full_prompt", lang),
                            f"the prompt never names option '{key}'",
                            "name every option, or drop full_prompt so the "
                            "list is composed from the labels",
                        )
        if node.speech:
            for lang in self.m.languages:
                if not any(o.keywords.get(lang) for o in node.options.values()):
                    self.add(
                        path + ("speech",),
                        f"speech is on but no option has '{lang}' keywords",
                        "add keywords to the options",
                        severity="warning",
                    )

    def check_dial(self, node_id: str, node: DialNode) -> None:
        for attr in ("number", "caller_id"):
            raw = getattr(node, attr)
            if raw is None:
                continue
            path = ("nodes", node_id, attr)
            ref = _ENV_REF.search(raw)
            if ref is None:
                self.add(
                    path,
                    "a phone number written in the file",
                    "read it from the environment: ${AGENT_NUMBER}",
                    severity="warning",
                )
            value, problem = expand_env(raw, self.env, self.production)
            if problem and ref is not None:  # a problem comes only from a ${NAME}
                self.add(path, problem, self.env_fix(ref.group(1)))
            elif not _E164.match(value):
                self.add(
                    path,
                    f"'{value}' is not an E.164 phone number",
                    "write it as + country code and number, e.g. +8610xxxxxxxx",
                )
            else:
                self.numbers[(node_id, attr)] = value

    def env_fix(self, var: str) -> str:
        """The fix for an unset ${VAR}: the documented or used name it is close to, if any
        (a misspelt name is not one to export), else to export it."""
        used = {
            name
            for node in self.m.nodes.values()
            if isinstance(node, DialNode)
            for raw in (node.number, node.caller_id)
            if raw
            for name, _ in _ENV_REF.findall(raw)
        }
        known = (set(NUMBER_VARIABLES) | used | {k for k in self.env if k.isupper()}) - {var}
        close = difflib.get_close_matches(var, sorted(known), n=1, cutoff=0.8)
        return f"did you mean {close[0]}?" if close else f"export {var}=+8610..."

    # -- paths ----------------------------------------------------------------------------------

    def check_paths(self) -> None:
        m = self.m
        edges: dict[str, list[str | None]] = {
            node_id: [t for _, t in _edges(node) if t] for node_id, node in m.nodes.items()
        }
        for node_id, node in m.nodes.items():
            if isinstance(node, MenuNode | AnswerNode):
                edges[node_id].append(getattr(node, "on_max", None) or m.defaults.on_max)
                globals_ = self.global_keys(node if isinstance(node, MenuNode) else None)
                if "agent" in globals_:
                    edges[node_id].append(m.agent_node)
                if "main" in globals_:
                    edges[node_id].append(m.main_menu or m.start)
        reached = _reach(m.start, edges)
        for node_id in m.nodes:
            if node_id not in reached:
                self.add(
                    ("nodes", node_id),
                    "no path from 'start' reaches this node",
                    "link to it from a menu, or remove it",
                    severity="warning",
                )
        # A caller who presses nothing follows these edges; a cycle among them never ends.
        forced = {
            node_id: _forced_edges(node, m.defaults.on_max) for node_id, node in m.nodes.items()
        }
        cycle = _find_cycle(forced)
        if cycle:
            self.add(
                ("nodes", cycle[0]),
                "a caller who stays silent would loop forever: " + " -> ".join(cycle),
                "point one of these nodes' on_max / no_answer / next to a node that ends the call",
            )

    # -- example phrases ------------------------------------------------------------------------

    def check_phrases(self) -> None:
        """Phrases two nodes share (an error), or that the matcher sends elsewhere (a warning)."""
        where: dict[tuple[str, str], tuple] = {}  # (node, phrase) -> its path in the file
        seen: dict[str, tuple] = {}  # the phrase as the matcher reads it -> its first path
        cleaned: dict[str, str] = {}  # phrase -> as the matcher reads it (the index reuses it)
        clashes: set[tuple[str, str]] = set()
        for node_id, node in self.m.nodes.items():
            for lang, texts in node.phrases.items():
                for index, text in enumerate(texts):
                    path = ("nodes", node_id, "phrases", lang, index)
                    where.setdefault((node_id, text), path)
                    if text not in cleaned:
                        cleaned[text] = intents.clean(text)
                    first = seen.setdefault(cleaned[text], path)
                    if first[1] != node_id:
                        _, other, _, other_lang, other_index = first
                        clashes |= {
                            (node_id, text),
                            (other, self.m.nodes[other].phrases[other_lang][other_index]),
                        }
                        self.add(
                            path,
                            f"phrase '{text}' is also an example of node '{first[1]}' "
                            f"(line {self.yf.line_of(first)}): the matcher cannot tell them apart",
                            "keep it in one of the two nodes",
                        )
        self.spoken = _spoken(self.m, self.m.nodes, cleaned)
        if self.spoken is None:
            return
        for (node_id, text), path in where.items():
            match = self.spoken.intents.match(text, cleaned[text])
            if match.node is None and match.phrase and (node_id, text) not in clashes:
                self.add(
                    path,
                    f"phrase '{text}' is about as close to the off-topic example '{match.phrase}' "
                    "as to any node: a caller who says it would be asked again",
                    "reword it, or the off-topic example",
                    severity="warning",
                )
                continue
            others = [n for n in match.choices if n != node_id]
            if (node_id, text) in clashes or not others:
                continue
            other = others[0]
            said = self.spoken.intents.nearest(text)[other][1]
            line = self.yf.line_of(where.get((other, said)) or ("nodes", other))
            outcome = (
                "would be asked to choose between them"
                if node_id in match.choices
                else "would be sent there"
            )
            self.add(
                path,
                f"phrase '{text}' is closer to node '{other}' ('{said}', line {line}) "
                f"than the matcher allows: a caller who says it {outcome}",
                f"reword it, or give node '{node_id}' more phrases of its own",
                severity="warning",
            )


def _edges(node: AnyNode) -> Iterator[tuple[str, str | None]]:
    """Yield (field path, target) for every node a node can lead to."""
    if isinstance(node, MenuNode):
        for key, option in node.options.items():
            yield f"options.{key}.to", option.to
        yield "on_max", node.on_max
    elif isinstance(node, AnswerNode):
        for key, option in node.options.items():
            yield f"options.{key}.to", option.to
        yield "back", node.back
    elif isinstance(node, MessageNode | RecordNode):
        yield "next", node.next
    elif isinstance(node, CallbackNode):
        yield "next", node.next
        yield "on_max", node.on_max
    elif isinstance(node, HoursNode):
        yield "open", node.open
        yield "closed", node.closed
    elif isinstance(node, DialNode):
        for attr in ("completed", "no_answer", "busy", "failed"):
            yield attr, getattr(node, attr)


def _forced_edges(node: AnyNode, default_on_max: str | None) -> list[str]:
    if isinstance(node, MenuNode | CallbackNode):
        on_max = node.on_max or default_on_max
        return [on_max] if on_max else []
    if isinstance(node, AnswerNode):  # silence returns to the menu, which has its own on_max
        return []
    if isinstance(node, DialNode):  # a completed call was a conversation, not a trap
        return [t for t in (node.no_answer, node.busy, node.failed) if t]
    return [t for attr, t in _edges(node) if t]


def _reach(start: str, edges: Mapping[str, list]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _find_cycle(edges: Mapping[str, list[str]]) -> list[str] | None:
    """Return one cycle (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in edges:
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif child in edges and not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges[child])))
                path.append(child)
    return None


# -- compile ---------------------------------------------------------------------------------


def _compile(name: str, m: MenusFile, checker: _Checker) -> Menus:
    d = m.defaults
    nodes: dict[str, AnyNode] = {}
    voices: dict[str, Mapping[str, Voice]] = {}
    plans: dict[str, MenuPlan] = {}
    default_voices = MappingProxyType(dict(d.voices))  # one mapping for the nodes without
    for node_id, node in m.nodes.items():
        voices[node_id] = (
            MappingProxyType({**d.voices, **node.voices}) if node.voices else default_voices
        )
        node = _filled(node, m.retention_days, m.email or {})
        if isinstance(node, MenuNode):
            node = node.model_copy(
                update={
                    "timeout": node.timeout or d.timeout,
                    "max_failures": node.max_failures or d.max_failures,
                    "max_timeouts": node.max_timeouts or d.max_timeouts,
                    "on_max": node.on_max or d.on_max,
                    "invalid": node.invalid or d.invalid,
                    "not_understood": node.not_understood or d.not_understood,
                    "no_input": node.no_input or d.no_input,
                    "on_max_message": node.on_max_message or d.on_max_message,
                    "global_keys": checker.global_keys(node),
                }
            )
        elif isinstance(node, AnswerNode):
            node = node.model_copy(
                update={
                    "back": checker.answer_back(node_id, node),
                    "timeout": node.timeout or d.timeout,
                    "say": _hours_said(node, checker.schedules),
                }
            )
        elif isinstance(node, CallbackNode):
            node = node.model_copy(
                update={
                    "max_failures": node.max_failures or d.max_failures,
                    "on_max": node.on_max or d.on_max,
                }
            )
        elif isinstance(node, DialNode):
            node = node.model_copy(
                update={
                    "number": checker.numbers[(node_id, "number")],
                    "caller_id": checker.numbers.get((node_id, "caller_id")),
                    "busy": node.busy or node.no_answer,
                    "failed": node.failed or node.no_answer,
                }
            )
        nodes[node_id] = node
    for node_id, node in nodes.items():
        if isinstance(node, MenuNode | AnswerNode):
            plans[node_id] = _worded(node_id, node, nodes, m, voices[node_id], checker)
    return Menus(
        path=name,
        languages=tuple(m.languages),
        start=m.start,
        main_menu=m.main_menu or m.start,
        agent_node=m.agent_node,
        nodes=MappingProxyType(nodes),
        schedules=MappingProxyType(checker.schedules),
        plans=MappingProxyType(plans),
        voices=MappingProxyType(voices),
        speech_min_confidence=d.speech_min_confidence,
        warnings=tuple(p for p in checker.problems if p.severity == "warning"),
        retention_days=m.retention_days,
        spoken=checker.spoken or _spoken(m, nodes),
        steps=_step_keys(m),
        lines=MappingProxyType(checker.yf.lines),
    )


def _step_keys(m: MenusFile) -> StepKeys:
    d = m.defaults
    keys = d.global_keys
    own, fallback = d.answer_key_labels.model_dump(), d.global_key_labels.model_dump()
    onward, not_back = {}, {}
    for lang in m.languages:
        items = {}
        for action in ("repeat", "back", "main"):
            key = getattr(keys, action)
            words = (own.get(action) or fallback.get(action) or {}).get(lang)
            if key is not None:
                items[action] = (words or _STEP_LABELS[phrases.family(lang)][action], key)
        named = [items[a] for a in ("repeat", "back") if a in items]
        onward[lang] = phrases.choices(named, lang)
        named = [items[a] for a in ("repeat", "main") if a in items]
        not_back[lang] = phrases.choices(named, lang)
    return StepKeys(
        repeat=keys.repeat,
        back=keys.back,
        main=keys.main,
        onward=MappingProxyType(onward),
        not_back=MappingProxyType(not_back),
        no_input=MappingProxyType(dict(d.no_input or {})),
        invalid=MappingProxyType(dict(d.invalid or {})),
    )


def _spoken(
    m: MenusFile, nodes: Mapping[str, AnyNode], cleaned: Mapping[str, str] | None = None
) -> Spoken | None:
    """Index what callers say for every node under the main menu, and their way there
    (`cleaned`: phrases already read as the matcher reads them, not read again)."""
    main = m.main_menu or m.start
    # Without example phrases (a file from before them) speech picks options by keyword.
    speech = any(isinstance(n, MenuNode) and n.speech for n in nodes.values())
    if not speech or not any(n.phrases for n in nodes.values()):
        return None
    paths: dict[str, tuple[str, ...]] = {main: ()}
    labels: dict[str, dict[str, str]] = {}
    examples: dict[str, list[str]] = {}
    queue = [main]
    while queue:  # breadth first: each node's shortest way from the main menu
        here = queue.pop(0)
        node = nodes[here]
        options = getattr(node, "options", {}) if isinstance(node, MenuNode | AnswerNode) else {}
        via = (*paths[here], here) if isinstance(node, MenuNode) else paths[here]
        for option in options.values():
            if option.language or option.to in paths:
                continue
            paths[option.to] = via
            labels[option.to] = dict(option.label)
            said = examples.setdefault(option.to, [])
            said += option.label.values()  # keywords are single words: hints only
            queue.append(option.to)
    for node_id, node in nodes.items():
        if node.phrases:
            examples.setdefault(node_id, []).extend(
                p for texts in node.phrases.values() for p in texts
            )
            paths.setdefault(node_id, ())
    agent_words = m.defaults.global_key_labels.agent
    if m.agent_node and agent_words:  # "人工服务" / "For an agent", as the key is called
        labels.setdefault(m.agent_node, dict(agent_words))
    for node_id, node in nodes.items():
        for lang, texts in node.phrases.items():  # else what callers say first
            labels.setdefault(node_id, {}).setdefault(lang, texts[0])
    hints = {}
    agent = nodes.get(m.agent_node or "")
    for lang in m.languages:
        # what callers say most to any hotline first: the agent's own first phrases ("人工",
        # "转人工", "agent", "operator"), which no option's keywords hold
        words = [
            *(agent.phrases.get(lang, ())[:8] if agent else ()),
            *(
                w
                for n in nodes.values()
                for o in (getattr(n, "options", None) or {}).values()
                for w in o.keywords.get(lang, ())
            ),
        ]
        hints[lang] = ", ".join(list(dict.fromkeys(words))[:100])
    return Spoken(
        intents=intents.build(
            examples,
            {n: frozenset(paths.get(n, ())) for n in examples},
            [p for texts in m.off_topic.values() for p in texts],
            cleaned,
        ),
        paths=MappingProxyType(paths),
        labels=MappingProxyType({n: MappingProxyType(v) for n, v in labels.items()}),
        hints=MappingProxyType(hints),
    )


def _worded(
    node_id: str,
    node: MenuNode | AnswerNode,
    nodes: Mapping[str, AnyNode],
    m: MenusFile,
    voices: Mapping[str, Voice],
    checker: _Checker,
) -> MenuPlan:
    """A menu's or answer's plan, with its words for each set of its hours nodes closed."""

    def worded(shut: frozenset[str]) -> MenuPlan:
        closed = _Closed(shut, nodes, m.agent_node)
        if isinstance(node, MenuNode):
            plan = _plan(node, m, voices, node_id == (m.main_menu or m.start), closed)
        else:
            parent = nodes[node.back] if node.back else None
            assert isinstance(parent, MenuNode)  # the checker made sure
            plan = _answer_plan(node, parent, m, voices, checker.global_keys(None), closed)
        return _spoken_by(plan, node_id)

    varying = _varying(node, nodes, m.agent_node)
    variants = {
        frozenset(shut): worded(frozenset(shut))
        for n in range(1, len(varying) + 1)
        for shut in itertools.combinations(varying, n)
    }
    return replace(worded(frozenset()), hours=varying, closed=MappingProxyType(variants))


@dataclass(frozen=True)
class _Closed:
    """The hours nodes closed, for the words naming the keys that lead to them: a closed
    line's key is named by its `closed_label` (or left unsaid), never offered as open."""

    shut: frozenset[str]
    nodes: Mapping[str, AnyNode]
    agent_node: str | None

    def label(self, option: Option, lang: str) -> str | None:
        """An option's label now; None while it is left unsaid."""
        if option.to not in self.shut:
            return option.label.get(lang)
        if option.unsaid_when_closed:
            return None
        return (self._closed_label(option.to) or option.label).get(lang)

    def global_labels(
        self, labels: Mapping[str, Mapping[str, str] | None]
    ) -> Mapping[str, Mapping[str, str] | None]:
        """The global keys' labels now: the agent key's, its hours node's closed_label."""
        if self.agent_node not in self.shut:
            return labels
        return {**labels, "agent": self._closed_label(self.agent_node) or labels.get("agent")}

    def _closed_label(self, node_id: str | None) -> Mapping[str, str] | None:
        node = self.nodes.get(node_id or "")
        return node.closed_label if isinstance(node, HoursNode) else None


def _varying(
    node: MenuNode | AnswerNode, nodes: Mapping[str, AnyNode], agent_node: str | None
) -> tuple[str, ...]:
    """The hours nodes whose being closed changes a menu's or answer's words."""
    if isinstance(node, MenuNode) and node.full_prompt:
        return ()  # written out in full: the file's words whatever the hours

    def worded(node_id: str, unsaid: bool = False) -> bool:
        target = nodes.get(node_id)
        return isinstance(target, HoursNode) and (unsaid or target.closed_label is not None)

    found = {o.to for o in node.options.values() if worded(o.to, o.unsaid_when_closed)}
    agent_named = isinstance(node, AnswerNode) or "agent" in (node.global_keys or {})
    if agent_node and agent_named and worded(agent_node):
        found.add(agent_node)
    return tuple(sorted(found))


def _hours_said(node: AnswerNode, schedules: Mapping[str, Schedule]) -> Mapping[str, str]:
    """An answer's words with {hours} and {zone} filled in from its schedule (the checker
    made sure it has one where they are said)."""
    if node.schedule is None:
        return node.say
    schedule = schedules[node.schedule]
    return {
        lang: text.replace("{hours}", hours.describe_hours(schedule, lang)).replace(
            "{zone}", hours.describe_zone(schedule.zone, lang)
        )
        for lang, text in node.say.items()
    }


def _filled(node: AnyNode, retention_days: int | None, email: Mapping[str, str]) -> AnyNode:
    """Fill {retention_days}, {email} and a recording's {max_length} into a node's words
    (the checker made sure each is set where it is said)."""
    update = {}
    for attr in _TEXT_FIELDS[type(node)]:
        text = getattr(node, attr)
        if not text:
            continue
        filled = {
            lang: _fill(t, retention_days, email.get(lang, _EMAIL)) for lang, t in text.items()
        }
        if isinstance(node, RecordNode) and attr == "prompt":
            filled = {
                lang: t.replace("{max_length}", hours.describe_duration(node.max_length, lang))
                for lang, t in filled.items()
            }
        if filled != text:
            update[attr] = filled
    return node.model_copy(update=update) if update else node


def _fill(text: str, retention_days: int | None, email: str) -> str:
    if retention_days is not None:
        text = _PLACEHOLDER.sub(str(retention_days), text)
    return text.replace(_EMAIL, email)


def _global_items(
    actions: tuple[str, ...] | list[str],
    keys: Mapping[str, str],
    labels: Mapping[str, Mapping[str, str] | None],
    lang: str,
) -> list[tuple[str, str]]:
    """(label, key) for the enabled global actions, in announcement order, that have words."""
    found = []
    for action in actions:
        label = labels.get(action)
        if action in keys and label and lang in label:
            found.append((label[lang], keys[action]))
    return found


def _keywords(options: Mapping[str, Option], lang: str) -> tuple[tuple[str, str], ...]:
    words = sorted(
        (
            (intents.keyword_form(w), key)
            for key, o in options.items()
            for w in o.keywords.get(lang, ())
        ),
        key=lambda kw: -len(kw[0]),
    )
    return tuple(kw for kw in words if kw[0])


def _entry(keys: set[str]) -> tuple[int | None, str]:
    # With one-key choices '#' is a key like any other; with longer ones it ends the entry.
    single = all(len(k) == 1 for k in keys)
    return (1, "") if single else (None, "#")


def _plan(
    node: MenuNode, m: MenusFile, voices: Mapping[str, Voice], main: bool, closed: _Closed
) -> MenuPlan:
    # The checker's global keys (action -> key), filled in by _compile: none is disabled.
    globals_: dict[str, str] = {
        action: key for action, key in (node.global_keys or {}).items() if key is not None
    }
    keys: dict[str, Option | str] = {key: action for action, key in globals_.items()}
    keys.update(node.options)
    labels = closed.global_labels(m.defaults.global_key_labels.model_dump())
    intro_words = m.defaults.global_keys_intro
    # With an intro, the global keys are announced once per call instead of in every list.
    every = EVERY_MENU if intro_words else GLOBAL_ACTIONS
    announce = intro_words and not main and node.announce_global_keys
    once = [a for a in GLOBAL_ACTIONS if a not in every] if announce else []
    prompt, reprompt, first, hints, keywords = {}, {}, {}, {}, {}
    for lang in m.languages:
        segments: list[tuple[str, str]] = []  # (lang, text), merged into one Say per run
        items = [
            (label, key)
            for key, o in node.options.items()
            if o.language is None and (label := closed.label(o, lang))
        ]
        segments.append((lang, phrases.choices(items, lang)))
        for key, option in node.options.items():
            if option.language and option.language != lang:
                target = option.language
                segments.append((target, phrases.choices([(option.label[target], key)], target)))
        segments.append((lang, phrases.choices(_global_items(every, globals_, labels, lang), lang)))
        extra = _once(once, globals_, labels, intro_words, lang)
        listing = _says(segments, voices)
        if node.full_prompt:
            prompt[lang] = reprompt[lang] = _says([(lang, node.full_prompt[lang])], voices)
            if extra:
                first[lang] = _says([(lang, node.full_prompt[lang]), (lang, extra)], voices)
        else:
            intro = [(lang, node.prompt[lang])] if node.prompt else []
            prompt[lang] = _says(intro + segments, voices)
            reprompt[lang] = (
                _says([(lang, node.reprompt[lang])], voices) if node.reprompt else listing
            )
            if extra:
                first[lang] = _says([*intro, *segments, (lang, extra)], voices)
        keywords[lang] = _keywords(node.options, lang)
        hints[lang] = ", ".join(
            w for key, o in node.options.items() for w in o.keywords.get(lang, ())
        )
    num_digits, finish = _entry(set(keys))
    return MenuPlan(
        prompt=MappingProxyType(prompt),
        reprompt=MappingProxyType(reprompt),
        keys=MappingProxyType(keys),
        num_digits=num_digits,
        finish_on_key=finish,
        hints=MappingProxyType(hints),
        keywords=MappingProxyType(keywords),
        retry=Retry(  # _compile filled these in; the defaults again only for the type
            node.timeout or m.defaults.timeout,
            node.invalid,
            node.no_input,
            node.not_understood,
            node.max_failures or m.defaults.max_failures,
            node.max_timeouts or m.defaults.max_timeouts,
            node.on_max,
            node.on_max_message,
        ),
        speech=node.speech,
        first_prompt=MappingProxyType(first),
    )


def _once(
    actions: list[str],
    keys: Mapping[str, str],
    labels: Mapping[str, Mapping[str, str] | None],
    intro: Mapping[str, str] | None,
    lang: str,
) -> str:
    """The once-per-call sentence naming the global keys: '在任何菜单，重听请按星号键...'."""
    items = _global_items(actions, keys, labels, lang)
    if not items or not intro or lang not in intro:
        return ""
    listed = phrases.choices(items, lang)
    if phrases.family(lang) == "zh":
        return intro[lang] + "，" + listed
    return f"{intro[lang]}, {listed[:1].lower()}{listed[1:]}"  # "At any time, to repeat..."


def _answer_plan(
    node: AnswerNode,
    parent: MenuNode,
    m: MenusFile,
    voices: Mapping[str, Voice],
    globals_: Mapping[str, str],
    closed: _Closed,
) -> MenuPlan:
    """An answer: its words, then its own choices and '*' again, '#' back, the agent.

    While it is read, the keys of the menu it returns to work as they do there (but for
    the global keys, which mean here what they mean everywhere) and its own options.
    """
    keys: dict[str, Option | str] = dict(parent.options)
    keys.update({key: action for action, key in globals_.items()})
    keys.update(node.options)
    d = m.defaults
    fallback = d.global_key_labels.model_dump()
    own = d.answer_key_labels.model_dump()
    merged = closed.global_labels(
        {action: own.get(action) or fallback.get(action) for action in GLOBAL_ACTIONS}
    )
    once = [a for a in GLOBAL_ACTIONS if a not in EVERY_ANSWER] if d.global_keys_intro else []
    prompt, reprompt, first, hints, keywords = {}, {}, {}, {}, {}
    options = {**parent.options, **node.options}
    for lang in m.languages:
        items = [
            (label, key) for key, o in node.options.items() if (label := closed.label(o, lang))
        ]
        everywhere = _global_items(EVERY_ANSWER, globals_, merged, lang)
        onward = phrases.choices(items + everywhere, lang)
        if node.options_first and items:
            said = [(lang, phrases.choices(items, lang)), (lang, node.say[lang])]
            said.append((lang, phrases.choices(everywhere, lang)))
        else:
            said = [(lang, node.say[lang]), (lang, onward)]
        prompt[lang] = _says(said, voices)
        reprompt[lang] = _says([(lang, onward)], voices)
        extra = _once(once, globals_, fallback, d.global_keys_intro, lang)
        if extra:
            first[lang] = _says([*said, (lang, extra)], voices)
        keywords[lang] = _keywords(options, lang)
        hints[lang] = ", ".join(w for o in options.values() for w in o.keywords.get(lang, ()))
    num_digits, finish = _entry(set(keys))
    return MenuPlan(
        prompt=MappingProxyType(prompt),
        reprompt=MappingProxyType(reprompt),
        keys=MappingProxyType(keys),
        num_digits=num_digits,
        finish_on_key=finish,
        hints=MappingProxyType(hints),
        keywords=MappingProxyType(keywords),
        retry=Retry(
            node.timeout or d.timeout,
            d.invalid,
            d.no_input,
            d.not_understood,
            d.max_failures,
            d.max_timeouts,
            # A caller who keeps failing after an answer goes where the menus send such
            # callers, else back to the answer's own menu: never nowhere.
            d.on_max or node.back,
            d.on_max_message,
        ),
        speech=parent.speech,
        first_prompt=MappingProxyType(first),
        back=node.back,
        answer=True,
    )


def _spoken_by(plan: MenuPlan, node_id: str) -> MenuPlan:
    """Mark every prompt of a plan as the node's own words."""

    marked: dict[int, tuple[Say, ...]] = {}  # id -> the same words marked: shared once

    def mark(says: Mapping[str, tuple[Say, ...]]) -> Mapping[str, tuple[Say, ...]]:
        for said in says.values():
            if id(said) not in marked:
                marked[id(said)] = tuple(replace(s, node=node_id) for s in said)
        return MappingProxyType({lang: marked[id(said)] for lang, said in says.items()})

    return replace(
        plan,
        prompt=mark(plan.prompt),
        reprompt=mark(plan.reprompt),
        first_prompt=mark(plan.first_prompt),
    )


def _says(segments: list[tuple[str, str]], voices: Mapping[str, Voice]) -> tuple[Say, ...]:
    merged: list[tuple[str, str]] = []
    for lang, text in segments:
        if not text:
            continue
        if merged and merged[-1][0] == lang:
            sep = "" if phrases.family(lang) == "zh" else " "
            merged[-1] = (lang, merged[-1][1] + sep + text)
        else:
            merged.append((lang, text))
    return tuple(Say(text, voices[lang].voice, voices[lang].language) for lang, text in merged)


def squeezed(text: str) -> str:
    """Speech as keys said aloud are found in it: lower case, no spaces or punctuation
    (unlike `intents.normalize`, which keeps the spaces between words)."""
    text = intents.plain(text)
    return "".join(ch for ch in text if ch.isalnum())


_LEFTOVER = re.compile(r"(?<![A-Za-z])(TODO|TBD|FIXME|XXX)(?![A-Za-z])")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LETTERS = re.compile(r"[A-Za-z]{2,}")


def _quote(words: str, most: int = 40) -> str:
    """Words for a message: quoted, and cut short when long."""
    return "'" + (words if len(words) <= most else words[: most - 1] + "…") + "'"


def _label_words(label: str, lang: str) -> str:
    """An option's label as words would say it: 'For the security line' -> 'the security
    line'; '' when too short to tell apart."""
    words = label.strip(" ，。,.").lower()
    if phrases.family(lang) == "en":
        words = re.sub(r"^for\s+", "", words)
        return words if len(words) >= 4 else ""
    return words if len(words) >= 2 else ""
