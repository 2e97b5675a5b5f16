"""Log lines as JSON: one small formatter over the standard `logging` calls.

A call such as `log.info("webhook", extra={"fields": {...}})` becomes one line
`{"time": ..., "level": "INFO", "logger": "ivr.web.webhooks", "message": "webhook", ...}`
with the fields merged in, so log processors need no parsing rules.
"""

from __future__ import annotations

import json
import logging
import re

# A run of five or more keypad characters: digits, and the * and # Twilio's `Digits` can
# carry ("6222*0212*3456*7890" is a card typed in groups).
_LONG_KEYS = re.compile(r"[0-9*#]{5,}")
_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")  # Twilio's ids: CA..., RE..., 32 hex digits


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object: time, level, logger, message and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _MaskedRequestLine(logging.Filter):
    """Mask digit runs in werkzeug's request lines (`flask run`): a query string can carry
    the number a caller is confirming."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_digits(record.getMessage()), ()
        return True


def configure() -> None:
    """Send ivr's records to stderr as JSON, unless the host (gunicorn, pytest) set up logging.

    The development server's request log is masked as ours is (gunicorn's access log
    leaves out the query string: ivr/web/gunicorn_conf.py).
    """
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _MaskedRequestLine) for f in werkzeug.filters):
        werkzeug.addFilter(_MaskedRequestLine())
    ours = logging.getLogger("ivr")
    if not ours.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        ours.addHandler(handler)
    if ours.level == logging.NOTSET:
        ours.setLevel(logging.INFO)


def mask_digits(text: str) -> str:
    """Hide the digits of every run of five or more keypad characters (digits, * and #) but
    its last two: a caller's number, a card, typed in one go or in groups.

    Menu keys (one or two characters) stay as they are; "6222021234567890" becomes
    "**************90". For anything that may carry what a caller typed or said.
    """
    return _LONG_KEYS.sub(_masked_run, text)


def _masked_run(match: re.Match[str]) -> str:
    """Every digit of a run but its last two as "*"; a "*" or "#" stays where it is."""
    run = match.group()
    keep = [i for i, ch in enumerate(run) if ch.isdigit()][-2:]
    return "".join(ch if i in keep or not ch.isdigit() else "*" for i, ch in enumerate(run))


def identifier(text: str) -> str:
    """A Twilio id as it is (CA + 32 hex digits); anything else sent in its place is
    treated as what a caller may have typed, and masked like it."""
    return text if _SID.fullmatch(text) else mask_digits(text)
