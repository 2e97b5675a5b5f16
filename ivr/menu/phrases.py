"""How each language names keys and lists a menu's choices.

Languages whose tag starts with "zh" or "cmn" are spoken as Mandarin; every
other language uses the English phrasing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY_NAMES = {
    "zh": {"*": "星号键", "#": "井号键"},
    "en": {"*": "star", "#": "pound"},
}
_PRESS = {"zh": "{label}请按{key}", "en": "{label}, press {key}"}
_JOIN = {"zh": "，", "en": ". "}
_END = {"zh": "。", "en": "."}

# What words say when they name a key, per family: 按1, 请按 1, 按下1, 按一下井号键, 按#,
# 按星号; "press 1", "press one", "press the star key", "press pound" or "hash".
_NAMED_KEY = {
    "zh": re.compile(r"按\s*(?:一下|下|数字|键)?\s*(\d+|星号键?|井号键?|\*|#)"),
    "en": re.compile(
        r"\bpress\s+(?:the\s+)?(\d+|star|pound|hash|zero|one|two|three|four|five|six|seven"
        r"|eight|nine|\*|#)(?!\w)(?!\s+of\b)",
        re.IGNORECASE,
    ),
}
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NAMED_KEY_VALUES = {
    "星号": "*",
    "星号键": "*",
    "井号": "#",
    "井号键": "#",
    "star": "*",
    "pound": "#",
    "hash": "#",
    **{word: str(n) for n, word in enumerate(_NUMBER_WORDS)},
}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＊＃", "0123456789*#")
_CLAUSE = ",，、:：("
_SENTENCE = re.compile(r"[。！？；!?;\n]+|\.(?=\s|$)")


def family(lang: str) -> str:
    """Return "zh" for Mandarin language tags and "en" for everything else."""
    return "zh" if lang.lower().startswith(("zh", "cmn")) else "en"


def key_name(key: str, lang: str) -> str:
    """Say a key the way callers hear it: '*' is 星号键 or 'star'."""
    names = _KEY_NAMES[family(lang)]
    return "".join(names.get(ch, ch) for ch in key)


def choice(label: str, key: str, lang: str) -> str:
    """Phrase one choice: '账户问题请按1' or 'For account questions, press 1'."""
    label = label.rstrip("，。,. ")
    if family(lang) == "en":  # each choice starts a sentence
        label = label[:1].upper() + label[1:]
    return _PRESS[family(lang)].format(label=label, key=key_name(key, lang))


def choices(items: list[tuple[str, str]], lang: str) -> str:
    """Phrase a list of (label, key) choices as one spoken sentence."""
    fam = family(lang)
    if not items:
        return ""
    return _JOIN[fam].join(choice(label, key, lang) for label, key in items) + _END[fam]


@dataclass(frozen=True)
class KeyMention:
    """A key the words tell the caller to press, and the words about it."""

    key: str
    clause: str  # the words between the commas around it: '请按1转接安全专线'
    stretch: str  # its sentence, from the key named before it to the one after it


def key_mentions(text: str, lang: str) -> list[KeyMention]:
    """Each key the words tell the caller to press, in order, with the words about it."""
    text = text.translate(_FULL_WIDTH)  # full-width １ and ＃ are 1 and #
    found: list[KeyMention] = []
    for sentence in _SENTENCE.split(text):
        matches = list(_NAMED_KEY[family(lang)].finditer(sentence))
        for index, match in enumerate(matches):
            word = match.group(1)
            key = _NAMED_KEY_VALUES.get(word.lower(), _NAMED_KEY_VALUES.get(word, word))
            start = matches[index - 1].end() if index else 0
            end = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
            before = max(sentence.rfind(c, 0, match.start()) for c in _CLAUSE) + 1
            after = min(
                (i for c in _CLAUSE if (i := sentence.find(c, match.end())) >= 0),
                default=len(sentence),
            )
            clause = sentence[before:after].strip(" ,，、:：")
            found.append(KeyMention(key, clause, sentence[start:end].strip(" ,，、:：")))
    return found


def named_keys(text: str, lang: str) -> set[str]:
    """Return the keys a written-out prompt tells the caller to press."""
    return {mention.key for mention in key_mentions(text, lang)}
