"""Twilio's text-to-speech voices and speech-recognition languages: the menu file's checks
and the simulator's TwiML checks read the same tables."""

from __future__ import annotations

import difflib
import re

# Amazon Polly's voices and their languages (docs.aws.amazon.com/polly, "Available voices");
# Twilio takes them as Polly.<Name>, with -Neural or -Generative for those engines.
POLLY_VOICES: dict[str, tuple[str, ...]] = {
    "Zeina": ("arb",),
    "Hala": ("ar-AE", "en-AE"),
    "Zayd": ("ar-AE", "en-AE"),
    "Lisa": ("nl-BE",),
    "Arlet": ("ca-ES",),
    "Jitka": ("cs-CZ",),
    "Hiujin": ("yue-CN",),
    "Zhiyu": ("cmn-CN",),
    **dict.fromkeys(("Naja", "Mads", "Sofie"), ("da-DK",)),
    **dict.fromkeys(("Laura", "Lotte", "Ruben"), ("nl-NL",)),
    **dict.fromkeys(("Nicole", "Olivia", "Russell"), ("en-AU",)),
    **dict.fromkeys(("Amy", "Emma", "Brian", "Arthur"), ("en-GB",)),
    **dict.fromkeys(("Aditi", "Kajal"), ("en-IN", "hi-IN")),
    "Raveena": ("en-IN",),
    "Niamh": ("en-IE",),
    "Aria": ("en-NZ",),
    "Jasmine": ("en-SG",),
    "Ayanda": ("en-ZA",),
    **dict.fromkeys(
        (
            "Danielle",
            "Gregory",
            "Ivy",
            "Joanna",
            "Kendra",
            "Kimberly",
            "Salli",
            "Joey",
            "Justin",
            "Kevin",
            "Matthew",
            "Ruth",
            "Stephen",
            "Patrick",
        ),
        ("en-US",),
    ),
    "Geraint": ("en-GB-WLS",),
    "Suvi": ("fi-FI",),
    **dict.fromkeys(("Celine", "Léa", "Lea", "Mathieu", "Remi"), ("fr-FR",)),
    "Isabelle": ("fr-BE",),
    **dict.fromkeys(("Chantal", "Gabrielle", "Liam"), ("fr-CA",)),
    **dict.fromkeys(("Marlene", "Vicki", "Hans", "Daniel"), ("de-DE",)),
    "Hannah": ("de-AT",),
    "Sabrina": ("de-CH",),
    **dict.fromkeys(("Dora", "Karl"), ("is-IS",)),
    **dict.fromkeys(("Carla", "Bianca", "Giorgio", "Adriano"), ("it-IT",)),
    **dict.fromkeys(("Mizuki", "Takumi", "Kazuha", "Tomoko"), ("ja-JP",)),
    **dict.fromkeys(("Seoyeon", "Jihye"), ("ko-KR",)),
    **dict.fromkeys(("Liv", "Ida"), ("nb-NO",)),
    **dict.fromkeys(("Ewa", "Maja", "Jacek", "Jan", "Ola"), ("pl-PL",)),
    **dict.fromkeys(("Camila", "Vitoria", "Ricardo", "Thiago"), ("pt-BR",)),
    **dict.fromkeys(("Ines", "Cristiano"), ("pt-PT",)),
    "Carmen": ("ro-RO",),
    **dict.fromkeys(("Tatyana", "Maxim"), ("ru-RU",)),
    **dict.fromkeys(("Conchita", "Lucia", "Enrique", "Sergio"), ("es-ES",)),
    **dict.fromkeys(("Mia", "Andres"), ("es-MX",)),
    **dict.fromkeys(("Lupe", "Penelope", "Miguel", "Pedro"), ("es-US",)),
    **dict.fromkeys(("Astrid", "Elin"), ("sv-SE",)),
    **dict.fromkeys(("Filiz", "Burcu"), ("tr-TR",)),
    "Gwyneth": ("cy-GB",),
}
_POLLY = re.compile(r"Polly\.([^-]+)(?:-(Neural|Generative))?")
_GOOGLE = re.compile(
    r"Google\.([a-z]{2,3}-[A-Z]{2})-(?:Standard|Wavenet|Neural2|News|Studio|Polyglot|Journey"
    r"|Chirp-HD|Chirp3-HD)-[A-Za-z0-9]+"
)


def voice_languages(voice: str) -> tuple[str, ...] | None:
    """The languages a Twilio voice speaks: () for the basic voices (any of theirs), None for
    a voice Twilio does not have."""
    if voice in ("man", "woman", "alice"):
        return ()
    polly = _POLLY.fullmatch(voice)
    if polly:
        return POLLY_VOICES.get(polly.group(1))
    google = _GOOGLE.fullmatch(voice)
    return (google.group(1),) if google else None


def voice_problem(value: str) -> str | None:
    """What is wrong with a <Say> voice, or None when Twilio has it."""
    if voice_languages(value) is not None:
        return None
    polly = _POLLY.fullmatch(value)
    if polly:
        near = difflib.get_close_matches(polly.group(1), list(POLLY_VOICES), n=1)
        hint = f" (did you mean 'Polly.{near[0]}'?)" if near else ""
        return f"Amazon Polly has no voice {polly.group(1)!r}{hint}"
    return "must be man, woman, Polly.<Name>[-Neural] or Google.<locale>-<type>-<voice>"


# The languages Twilio's <Gather> speech recognition takes (twilio.com/docs/voice/twiml/
# gather#languagetags); zh-CN, zh-TW and zh-HK are the older names of the Chinese ones.
SPEECH_LANGUAGES = frozenset(
    """af-ZA am-ET hy-AM az-AZ id-ID ms-MY bn-BD bn-IN ca-ES cs-CZ da-DK de-DE de-AT de-CH
    en-AU en-CA en-GH en-GB en-IN en-IE en-KE en-NZ en-NG en-PH en-SG en-ZA en-TZ en-US
    es-AR es-BO es-CL es-CO es-CR es-EC es-SV es-ES es-US es-GT es-HN es-MX es-NI es-PA
    es-PY es-PE es-PR es-DO es-UY es-VE eu-ES fil-PH fr-BE fr-CA fr-CH fr-FR gl-ES ka-GE gu-IN
    hr-HR zu-ZA is-IS it-IT it-CH jv-ID kn-IN km-KH lo-LA lv-LV lt-LT hu-HU ml-IN mr-IN nl-BE
    nl-NL ne-NP nb-NO pl-PL pt-BR pt-PT ro-RO si-LK sk-SK sl-SI su-ID sw-TZ sw-KE fi-FI sv-SE
    ta-IN ta-SG ta-LK ta-MY te-IN vi-VN tr-TR ur-PK ur-IN el-GR bg-BG ru-RU sr-RS uk-UA he-IL
    ar-IL ar-JO ar-AE ar-BH ar-DZ ar-SA ar-IQ ar-KW ar-MA ar-TN ar-OM ar-PS ar-QA ar-LB ar-EG
    fa-IR hi-IN th-TH ko-KR ja-JP cmn-Hans-CN cmn-Hans-HK cmn-Hant-TW yue-Hant-HK
    zh-CN zh-TW zh-HK""".split()  # noqa: SIM905 (a table, easier to read as words)
)


def speech_language_problem(value: str) -> str | None:
    """What is wrong with a <Gather> speech language, or None when Twilio takes it."""
    if value in SPEECH_LANGUAGES:
        return None
    near = _nearest_speech_language(value)
    hint = f" (did you mean {near!r}?)" if near else ""
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z][a-z]{3})?-([A-Z]{2}|\d{3})", value):
        return f"must be a language-REGION tag such as en-US or cmn-Hans-CN{hint}"
    return f"is not a language Twilio's speech recognition supports{hint}"


def _nearest_speech_language(value: str) -> str | None:
    """The supported tag a mistyped one most likely meant: the same language (Mandarin for
    zh and cmn, never Cantonese), then the same script and region, before spelling."""
    if (same := [t for t in SPEECH_LANGUAGES if t.lower() == value.lower()]) != []:
        return same[0]
    primary, *rest = value.replace("_", "-").split("-")
    family = {"zh", "cmn"} if primary.lower() in {"zh", "cmn"} else {primary.lower()}
    ours = sorted(t for t in SPEECH_LANGUAGES if t.split("-")[0].lower() in family)
    if not ours:
        near = difflib.get_close_matches(value, sorted(SPEECH_LANGUAGES), n=1)
        return near[0] if near else None
    # First the language's home (fr-FR, en-US, and for Chinese cmn-Hans-CN, whose name says
    # what it is, before the older zh-XX names), unless a script or region says otherwise.
    home = {"en": "en-US", "zh": "cmn-Hans-CN", "cmn": "cmn-Hans-CN"}.get(
        primary.lower(), f"{primary.lower()}-{primary.upper()}"
    )
    ours.sort(key=lambda t: (t != home, t.startswith("zh-")))
    for part in rest:
        region = {"UK": "GB"}.get(part.upper(), part.upper())
        if len(part) == 4:  # a script: Hans, Hant
            ours = [t for t in ours if f"-{part.title()}-" in t] or ours
        elif region in {t.rsplit("-", 1)[-1] for t in ours}:  # a region we have
            ours = [t for t in ours if t.endswith("-" + region)]
    return ours[0]


def language_family(language: str) -> str:
    """The language without its region: every Chinese tag (zh, cmn, yue) is one."""
    primary = language.split("-")[0].lower()
    return {"cmn": "zh", "yue": "zh", "arb": "ar"}.get(primary, primary)


def speaks_mandarin(voice: str, language: str = "") -> bool:
    """Whether a <Say> with this voice (or, with none, this language) can speak Chinese."""
    if voice:
        return voice.startswith(("Polly.Zhiyu", "Google.cmn-", "Google.zh-"))
    return language.startswith(("zh-", "cmn-"))
