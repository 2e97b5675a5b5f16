"""Which numbers a callback can go to: the caller id, or digits the caller typed.

The rules are libphonenumber's (the `phonenumbers` module of `phonenumberslite`): a
number must be a valid mobile or fixed-line number of the callback node's country, as
dialled there (for China: 11-digit mobiles starting 13-19, landlines with their area
code and leading 0). Its metadata is loaded per country on first use, so a worker pays
only for the countries it reads.
"""

from __future__ import annotations

import re

import phonenumbers

# What Twilio puts in `From` when a caller withholds their number: the words, or the same
# words spelt on a phone keypad (ANONYMOUS is +266696687). None of them can be called back.
WITHHELD = frozenset(
    {
        "anonymous",
        "restricted",
        "unavailable",
        "unknown",
        "blocked",
        "private",
        "+266696687",  # ANONYMOUS
        "+7378742833",  # RESTRICTED
        "+86282452253",  # UNAVAILABLE
        "+8656696",  # UNKNOWN
        "+2562533",  # BLOCKED
        "+7748283",  # PRIVATE
    }
)
_CALLABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
MAX_TYPED = 20  # longer input is no phone number; never handed to the parser


def callable_number(text: str | None, country: str) -> str | None:
    """Return `text` as an E.164 number we can call back in `country`, else None.

    `text` is a caller id (+E.164) or digits typed on the keypad (as dialled in
    `country`); withheld ids, other countries' numbers and anything else give None.
    """
    text = (text or "").strip()
    digits = text[1:] if text.startswith("+") else text
    if text.lower() in WITHHELD or not (digits.isascii() and digits.isdigit()):
        return None
    if len(text) > MAX_TYPED:
        return None
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return None
    if (
        phonenumbers.region_code_for_number(number) != country
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _CALLABLE
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A number said aloud, as a recogniser writes it down: digits, or digit words in Mandarin
# (幺 and 洞 as callers read out numbers) or English ("oh" for zero).
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_SAID_DIGIT = {
    **dict(zip("零〇洞一幺二两三四五六七八九", "00011223456789", strict=True)),
    **dict(zip(_EN_DIGITS, "0123456789", strict=True)),
    "oh": "0",
}
_DIGIT_WORD = re.compile(
    r"[0-9零〇洞一幺二两三四五六七八九]|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|oh)\b"
)
# The words callers put around a number ("我的手机号是…", "it's…, please") and the pauses.
_AROUND = re.compile(
    r"我的|我|的|手机|电话|号码|号|是|打|就|呃|嗯|吧|"
    r"\b(?:my|the|number|phone|mobile|cell|is|it'?s|it|call|me|on|at|please|um|uh|ok(?:ay)?)\b|"
    r"[\s,，。.、:：;；()（）-]"
)


def said_digits(speech: str) -> str | None:
    """The digits of a number said aloud ("一三八 1234 五六七八", "one three eight…"), a
    leading + kept; None when the words hold anything but a number and the words around one."""
    text = speech.strip().lower()
    plus = "+" if text.startswith("+") else ""
    text = text.removeprefix("+")
    digits = "".join(_SAID_DIGIT.get(m.group(), m.group()) for m in _DIGIT_WORD.finditer(text))
    if _AROUND.sub("", _DIGIT_WORD.sub(" ", text)) or not 5 <= len(digits) <= MAX_TYPED:
        return None
    return plus + digits


def as_dialled(e164: str, country: str) -> tuple[str, ...]:
    """The digits a caller in `country` dials for `e164`, in the groups people say them
    in there (139 1234 5678, 0755 1234 5678): a number read back in groups is checked
    against the one in mind group by group, not as a run of eleven digits."""
    number = phonenumbers.parse(e164, country)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return tuple(re.findall(r"[0-9]+", national))


def is_country(code: str) -> bool:
    """Whether libphonenumber knows `code` (ISO 3166 alpha-2, upper case) as a country."""
    return code in phonenumbers.SUPPORTED_REGIONS
