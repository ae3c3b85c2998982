"""Keep personal data out of logs (S12): every log line passes through `RedactFilter`."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"(\?[^\s\"']*)")
_LONG_NUMBER = re.compile(r"(?<![\w.])\+?\d[\d\s-]{5,}\d(?![\w.])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def redact(text: str) -> str:
    """Drop URL query strings (they carry search terms) and mask phone-, ID- and e-mail-like strings."""
    text = _QUERY.sub("?…", text)
    text = _EMAIL.sub("[e-mail]", text)
    return _LONG_NUMBER.sub("[number]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
