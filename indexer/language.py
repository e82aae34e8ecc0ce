"""Language of a description: the declared ISO 639-1 code, else detected with langdetect (seeded, so the same
text always gets the same answer)."""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.folding import key
from models.taxonomy import LANGUAGE_NAMES as LANGUAGE_NAMES_TAXONOMY

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


# Languages of the corpus's descriptions (models.taxonomy.LANGUAGE_NAMES): the fallback set for short texts.
SOURCE_LANGUAGES = frozenset(LANGUAGE_NAMES_TAXONOMY)
_CONFIDENT = 0.9
_LONG_ENOUGH = 40


@lru_cache(maxsize=1)
def _factory() -> None:
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0


def detect_language(text: str) -> str | None:
    """Detected ISO 639-1 code of a text; None when it has no letters.

    A long text takes langdetect's confident answer whatever the language; a short one ("A desk.") gets the
    likeliest of the languages our sources are written in, as langdetect guesses wildly on a few words.
    """
    _factory()
    from langdetect import LangDetectException, detect_langs

    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return None
    if ranked and ranked[0].prob >= _CONFIDENT and len(text.strip()) >= _LONG_ENOUGH:
        return _code(ranked[0].lang)
    likely = [c for c in ranked if _code(c.lang) in SOURCE_LANGUAGES]
    return _code(likely[0].lang) if likely else None


def _code(lang: str) -> str:
    return lang.split("-")[0].lower()
