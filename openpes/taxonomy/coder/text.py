"""Turning a job title (English, Khmer or both) into the features the coder compares.

Real titles are messy: "Sales Girls (phone shop)", "security gaurd - night shift", "ជាងដេរ". So every text,
whether a training label or a query, goes through the same steps: Unicode and Khmer normalisation, case
folding, a light English stemmer (plurals and gendered forms fold together), then three kinds of features —
words, word pairs and character n-grams inside words (which absorb misspellings and Khmer spelling
variants). No Django imports: the coder core is benchmarked and tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from openpes.lib.khmer import has_khmer, normalize, segment

# Gendered, colloquial and spelling variants folded into the form ESCO and ISCO use. Applied to single
# words after case folding, before stemming, to labels and queries alike.
_WORD_FORMS = {
    "waitress": "waiter",
    "waitresses": "waiter",
    "waitstaff": "waiter",
    "actress": "actor",
    "stewardess": "steward",
    "hostess": "host",
    "seamstress": "sewer",
    "salesgirl": "salesperson",
    "salesgirls": "salesperson",
    "saleslady": "salesperson",
    "salesladies": "salesperson",
    "saleswoman": "salesperson",
    "saleswomen": "salesperson",
    "salesman": "salesperson",
    "salesmen": "salesperson",
    "salespeople": "salesperson",
    "salespersons": "salesperson",
    "women": "woman",
    "men": "man",
    "people": "person",
    "persons": "person",
    "children": "child",
    "wives": "wife",
    "knives": "knife",
    "chefs": "chef",
    "staffs": "staff",
    "labour": "labor",
    "labourer": "laborer",
    "labourers": "laborer",
    "organiser": "organizer",
    "colour": "color",
    "tyre": "tire",
    "tyres": "tire",
    "centre": "center",
    "programme": "program",
    "jewellery": "jewelry",
    "jeweller": "jeweler",
    "moto": "motorcycle",
    "motorbike": "motorcycle",
    "motorbikes": "motorcycle",
    "tuktuk": "tuk tuk",
    "remork": "tuk tuk",
    "remorque": "tuk tuk",
    "mechanics": "mechanic",
    "electronics": "electronic",
    "accounts": "account",
    "sales": "sale",
    "clothes": "cloth",
    "goods": "good",
    "glasses": "glass",
    "news": "news",
    "series": "series",
    "species": "species",
    "boss": "boss",
    "business": "business",
    "bus": "bus",
    "gas": "gas",
    "chassis": "chassis",
    "physics": "physics",
    "economics": "economics",
    "statistics": "statistics",
    "logistics": "logistics",
    "mathematics": "mathematics",
    "linguistics": "linguistics",
    "ethics": "ethics",
    "plastics": "plastic",
    "textiles": "textile",
    "aesthetics": "aesthetics",
}

_PUNCT = re.compile(r"[^\w\u1780-\u17ff\u19e0-\u19ff]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")

# Words that say nothing about the occupation, dropped from descriptions, tasks and sectors (context). Titles
# keep every word: there even "of" tells "head of kitchen" from "kitchen head".
STOPWORDS = frozenset(
    """a an and are as at be been by can do does for from has have he her his i in into is it its of on or our
    out over she so such than that the their them then there these they this those to under up was we were
    what when where which while who will with within without you your also other others etc may must should
    would used using use such including include includes various related one two three per all any some each
    job work works working worker position vacancy wanted need needed hiring urgent urgently required""".split()  # noqa: SIM905 (a word list reads better as one string)
)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light English stemmer for titles: plurals and a few gendered forms; other words pass unchanged."""
    if word in _WORD_FORMS:
        return _WORD_FORMS[word]
    if not word.isascii() or len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous", "ics")):
        return word[:-1]
    return word


def clean(text: str) -> str:
    """Normalised, case-folded text with punctuation turned into spaces (Khmer signs kept)."""
    text = normalize(text or "").casefold().translate(_KHMER_DIGITS)
    text = text.replace("&", " and ").replace("'s ", " ").replace("’s ", " ")
    return " ".join(_PUNCT.sub(" ", text).replace("_", " ").split())


@lru_cache(maxsize=100_000)
def words(text: str) -> tuple[str, ...]:
    """The stemmed words of `text`: English split on spaces, Khmer runs split by the Khmer segmenter."""
    out: list[str] = []
    for chunk in clean(text).split():
        if has_khmer(chunk):
            out.extend(w for w in segment(chunk) if w.strip())
        elif chunk in _WORD_FORMS:
            # A folded form can be two words ("tuk tuk" and "tuktuk" must meet).
            out.extend(_WORD_FORMS[chunk].split())
        else:
            out.append(stem(chunk))
    return tuple(out)


# Where the occupation ends and its circumstances begin: "sales girl in phone shop", "cook - hotel",
# "driver (night shift)". The head keeps the title's weight, the tail becomes context.
_TAIL = re.compile(r"\s+(?:-|–|—|at|in|for|with|from)\s+|[,;:(|]|\s+[-–—]\s*|\s*[-–—]\s+", re.IGNORECASE)


# The same in Khmer, where words are not separated: "ជាងភ្លើង|តាមផ្ទះ" (electrician | in homes), "អ្នកបើកឡាន|ឱ្យ
# ក្រុមហ៊ុន" (driver | for a company), "អ្នកលក់ទូរស័ព្ទ|នៅហាង" (phone seller | in a shop).
_KHMER_TAIL_WORDS = frozenset(["នៅ", "តាម", "សម្រាប់", "ឱ្យ", "អោយ", "ឲ្យ", "ក្នុង", "នៃ", "ជាមួយ", "ពី"])


def split_title(text: str) -> tuple[str, str]:
    """Split a typed title into its head and a tail of circumstances (place, sector, shift)."""
    parts = _TAIL.split(text or "", maxsplit=1)
    head = parts[0].strip()
    tail = parts[1].strip(" )") if len(parts) > 1 else ""
    if not words(head):
        return (text or "").strip(), ""
    if not tail and has_khmer(head):
        tokens = segment(head)
        for i, token in enumerate(tokens[1:], start=1):
            if token in _KHMER_TAIL_WORDS:
                return "".join(tokens[:i]), "".join(tokens[i + 1 :])
    return head, tail


def char_ngrams(word: str, low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams of a word padded with spaces, so prefixes and suffixes are marked."""
    padded = f" {word} "
    out: list[str] = []
    for n in range(low, high + 1):
        if len(padded) < n:
            break
        out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out or [padded]


NGRAM_RANGE = (4, 5)


def title_features(text: str, correct: Callable[[str], str] | None = None) -> dict[str, float]:
    """Counts of the features a title is compared on: words (w:), word pairs (b:), the head word (h:) and
    character n-grams (c:). `correct` may replace unknown words by known ones (spelling mistakes)."""
    feats: dict[str, float] = {}
    toks = [_DIGITS.sub("0", t) for t in words(text)]
    if correct is not None:
        toks = [correct(t) for t in toks]
    for token in toks:
        key = "w:" + token
        feats[key] = feats.get(key, 0.0) + 1.0
        for gram in char_ngrams(token, *NGRAM_RANGE):
            key = "c:" + gram
            feats[key] = feats.get(key, 0.0) + 1.0
    for first, second in zip(toks, toks[1:], strict=False):
        key = "b:" + first + " " + second
        feats[key] = feats.get(key, 0.0) + 1.0
    if toks:
        # The last word of an English title is usually what the person is ("machine operator", "sales
        # assistant"); joined words ("tuktuk", "salesgirl") are caught by the n-grams.
        feats["h:" + toks[-1]] = 1.0
    return feats


def context_features(text: str) -> dict[str, float]:
    """Word counts for descriptions, tasks and sectors: stemmed words without stop words."""
    feats: dict[str, float] = {}
    for token in words(text):
        if token in STOPWORDS or token.isdigit() or len(token) < 2:
            continue
        feats[token] = feats.get(token, 0.0) + 1.0
    return feats


def normalized_key(text: str) -> str:
    """The exact-match key of a title: its stemmed words joined by spaces (used for confirmed codes)."""
    return " ".join(words(text))
