"""Language of a description: the declared ISO 639-1 code, else detected with langdetect (seeded, so the same
text always gets the same answer)."""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.folding import key

LANGUAGE_NAMES = {
    "english": "en",
    "anglais": "en",
    "ingles": "en",
    "french": "fr",
    "francais": "fr",
    "frances": "fr",
    "spanish": "es",
    "espagnol": "es",
    "espanol": "es",
    "castellano": "es",
    "portuguese": "pt",
    "portugais": "pt",
    "portugues": "pt",
    "arabic": "ar",
    "arabe": "ar",
    "german": "de",
    "allemand": "de",
    "aleman": "de",
    "italian": "it",
    "italien": "it",
    "italiano": "it",
    "russian": "ru",
    "russe": "ru",
    "ruso": "ru",
    "chinese": "zh",
    "chinois": "zh",
    "chino": "zh",
}


def language_code(value: object) -> str | None:
    """ISO 639-1 code of a declared language ("en", "EN", "English", "Español"); None when not one."""
    if value is None:
        return None
    text = str(value).strip()
    if re.fullmatch(r"[A-Za-z]{2}(?:[-_][A-Za-z]{2})?", text):
        return text[:2].lower()
    return LANGUAGE_NAMES.get(key(text))


@lru_cache(maxsize=1)
def _factory() -> None:
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0


def detect_language(text: str) -> str | None:
    """Detected ISO 639-1 code of a text; None when it is too short or has no letters."""
    _factory()
    from langdetect import LangDetectException, detect

    try:
        found = detect(text)
    except LangDetectException:
        return None
    return found.split("-")[0].lower() or None
