"""Case- and accent-insensitive comparison of labels and values, shared by the readers and the normaliser.

`fold_same_length` keeps one character per character, so a prefix found in the folded text has the same length
in the original: the glued webform view ("Pledging entityCities, ...") is cut at the right place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCT_MAP = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "–": "-",
    "—": "-",
    "‑": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "œ": "o",
    "æ": "a",
    "ß": "s",
    "ø": "o",
    "ł": "l",
    "đ": "d",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _PUNCT_MAP:
        return _PUNCT_MAP[ch]
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.lower()
    return low if len(low) == 1 else base


def fold_same_length(text: str) -> str:
    """Lower-case, accents and typographic quotes removed, one output character per input character."""
    return "".join(_fold_char(ch) for ch in text)


def fold(text: str) -> str:
    """`fold_same_length`, with runs of whitespace collapsed and the ends trimmed: a lookup key."""
    return re.sub(r"\s+", " ", fold_same_length(text)).strip()


def key(text: str) -> str:
    """Looser lookup key: folded, punctuation as spaces ("Whole-of-society" == "whole of society")."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", fold(text))).strip()


def slugify(text: str, max_len: int = 80) -> str:
    """ASCII slug of a title for ids like `pledge-<slug>`."""
    ascii_text = unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_len].rstrip("-")
