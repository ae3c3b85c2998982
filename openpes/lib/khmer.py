"""Khmer text: normalisation, word segmentation and search tokens.

Khmer is written without spaces between words and allows several code-point orders that look the same on
screen, so every piece of Khmer we index or compare goes through `normalize` first, then `segment`.
No Django imports: this module is benchmarked and property-tested on its own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u17b4\u17b5"))
_COENG = "\u17d2"
_RO = "\u179a"

# Sort keys for the marks that follow a base character inside one orthographic syllable.
_SUBSCRIPT, _SUBSCRIPT_RO, _SHIFTER, _ROBAT, _VOWEL, _SIGN = 10, 20, 30, 35, 40, 50


def _mark_class(char: str) -> int | None:
    code = ord(char)
    if code in (0x17C9, 0x17CA):
        return _SHIFTER
    if code == 0x17CC:
        return _ROBAT
    if 0x17B6 <= code <= 0x17C5:
        return _VOWEL
    if code in (0x17C6, 0x17C7, 0x17C8, 0x17CB, 0x17CD, 0x17CE, 0x17CF, 0x17D0, 0x17D1, 0x17D3, 0x17DD):
        return _SIGN
    return None


# Deprecated letters, replaced before marks are put in order.
_LEGACY = (
    ("\u17a3", "\u17a2"),  # ឣ (deprecated) → អ
    ("\u17a4", "\u17a2\u17b6"),  # ឤ (deprecated) → អា
    ("\u17d8", "\u17d4\u179b\u17d4"),  # ៘ (deprecated) → ។ល។
    ("\u17d2\u178a", "\u17d2\u178f"),  # subscript ដ looks like subscript ត (ផ្ដល់ / ផ្តល់): one spelling
)
# Two-part vowels typed as two code points, merged once marks are in order.
_COMPOSE = (
    ("\u17c1\u17b8", "\u17be"),  # េ + ី → ើ
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា → ោ
    ("\u17c1\u17b7", "\u17be"),  # េ + ិ (a common mistyping of ើ)
)


def _reorder_syllables(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        out.append(char)
        i += 1
        if not ("\u1780" <= char <= "\u17b3"):
            continue
        # Collect the marks of this syllable as (class, order, chars) and sort them stably by class.
        marks: list[tuple[int, int, str]] = []
        while i < n:
            nxt = text[i]
            if nxt == _COENG and i + 1 < n and "\u1780" <= text[i + 1] <= "\u17a2":
                cls = _SUBSCRIPT_RO if text[i + 1] == _RO else _SUBSCRIPT
                marks.append((cls, len(marks), text[i : i + 2]))
                i += 2
                continue
            cls_or_none = _mark_class(nxt)
            if cls_or_none is None:
                break
            marks.append((cls_or_none, len(marks), nxt))
            i += 1
        marks.sort()
        out.extend(part for _, _, part in marks)
    return "".join(out)


def normalize(text: str) -> str:
    """Return `text` in one canonical form: NFC, no zero-width characters, Khmer marks in standard order."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    if not any("\u1780" <= c <= "\u17ff" for c in text):
        return text
    for old, new in _LEGACY:
        text = text.replace(old, new)
    text = _reorder_syllables(text)
    for old, new in _COMPOSE:
        text = text.replace(old, new)
    return text


def is_khmer(char: str) -> bool:
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def has_khmer(text: str) -> bool:
    return any(is_khmer(c) for c in text)


_RUNS = re.compile(r"([\u1780-\u17ff\u19e0-\u19ff]+)|([^\W_]+)", re.UNICODE)
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")  # str.translate table: Khmer digits → ASCII
KHMER_SIGNS = "\u17d4\u17d5\u17d6\u17d7\u17d9\u17da"  # punctuation-like signs, no meaning for search


@lru_cache(maxsize=20000)
def _segment_khmer_run(run: str) -> tuple[str, ...]:
    from khmercut import tokenize

    return tuple(token for token in tokenize(run) if token.strip())


def segment(text: str) -> list[str]:
    """Split normalised text into words: Khmer runs by `khmercut`, everything else on non-letters."""
    words: list[str] = []
    for match in _RUNS.finditer(normalize(text)):
        khmer_run, other = match.groups()
        if khmer_run:
            words.extend(_segment_khmer_run(khmer_run))
        elif other:
            words.append(other)
    return words


def with_word_breaks(text: str) -> str:
    """Insert U+200B between Khmer words so renderers without a Khmer dictionary (PDFs) can wrap lines."""
    if not has_khmer(text):
        return text
    parts: list[str] = []
    pos = 0
    normalised = normalize(text)
    for match in _RUNS.finditer(normalised):
        parts.append(normalised[pos : match.start()])
        khmer_run, other = match.groups()
        parts.append("\u200b".join(_segment_khmer_run(khmer_run)) if khmer_run else other)
        pos = match.end()
    parts.append(normalised[pos:])
    return "".join(parts)
