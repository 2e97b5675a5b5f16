"""How each language names keys and lists a menu's choices.

Languages whose tag starts with "zh" or "cmn" are spoken as Mandarin; every
other language uses the English phrasing.
"""

from __future__ import annotations

import re

_KEY_NAMES = {
    "zh": {"*": "星号键", "#": "井号键"},
    "en": {"*": "star", "#": "pound"},
}
_PRESS = {"zh": "{label}请按{key}", "en": "{label}, press {key}"}
_JOIN = {"zh": "，", "en": ". "}
_END = {"zh": "。", "en": "."}

# What a written-out prompt says when it names a key, per family.
_NAMED_KEY = {
    "zh": re.compile(r"按\s*(\d+|星号键?|井号键?|\*|#)"),
    "en": re.compile(r"press\s+(\d+|star|pound|hash|\*|#)", re.IGNORECASE),
}
_NAMED_KEY_VALUES = {
    "星号": "*",
    "星号键": "*",
    "井号": "#",
    "井号键": "#",
    "star": "*",
    "pound": "#",
    "hash": "#",
}


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


def named_keys(text: str, lang: str) -> set[str]:
    """Return the keys a written-out prompt tells the caller to press."""
    found = set()
    for match in _NAMED_KEY[family(lang)].finditer(text):
        word = match.group(1)
        found.add(_NAMED_KEY_VALUES.get(word.lower(), _NAMED_KEY_VALUES.get(word, word)))
    return found
