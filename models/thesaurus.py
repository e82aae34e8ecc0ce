"""The migration thesaurus (thesaurus.json): GCM concepts named in English, French and Spanish.

A query names a concept when every word of one of the concept's phrases appears in it (compared as Snowball
stems without accents, in the phrase's language); the concept's phrases in the *other* languages then carry
the query to records written in them ("remesas" reaches "remittances" and "envois de fonds"). Pure data and
string work: no engine, no model.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

from models.taxonomy import LANGUAGES

THESAURUS_FILE = Path(__file__).with_name("thesaurus.json")
_STEMMERS = {"en": "english", "fr": "french", "es": "spanish"}
_WORD = re.compile(r"[^\W_]+")
# Words too common in this domain, or too short, to say which concept a phrase names.
_IGNORED = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "in",
        "a",
        "de",
        "la",
        "le",
        "les",
        "los",
        "las",
        "des",
        "du",
        "del",
        "d",
        "l",
        "y",
        "et",
        "pour",
        "para",
        "à",
        "en",
    ]
)


def _fold(text: str) -> str:
    text = text.casefold()
    if text.isascii():  # most words: nothing to fold (and this runs for every word of a record)
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMERS[lang])


def stems(text: str, lang: str) -> tuple[str, ...]:
    """The words of `text` as `lang` stems them, accents removed, small function words left out."""
    words = [w for w in _WORD.findall(text.casefold()) if w not in _IGNORED and len(w) > 1]
    return tuple(_fold(s) for s in _stemmer(lang).stemWords(words))


@dataclass(frozen=True)
class Concept:
    """One concept: its phrases per language and the GCM objectives it belongs to."""

    id: str
    objectives: tuple[int, ...]
    phrases: dict[str, tuple[str, ...]]


@cache
def concepts() -> tuple[Concept, ...]:
    """Every concept of thesaurus.json."""
    data = json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Concept(c["id"], tuple(c.get("objectives", ())), {lang: tuple(c.get(lang, ())) for lang in LANGUAGES})
        for c in data["concepts"]
    )


@cache
def _index() -> tuple[tuple[Concept, str, frozenset[str]], ...]:
    """(concept, language, stems of one phrase) for every phrase."""
    out = []
    for concept in concepts():
        for lang, phrases in concept.phrases.items():
            for phrase in phrases:
                phrase_stems = frozenset(stems(phrase, lang))
                if phrase_stems:
                    out.append((concept, lang, phrase_stems))
    return tuple(out)


@lru_cache(maxsize=4096)
def named(text: str) -> dict[str, tuple[Concept, frozenset[str]]]:
    """The concepts `text` names, by id, with the languages in which it names them (cached: similar records
    read the same record's text again on every call; callers must not change the answer)."""
    text_stems = {lang: frozenset(stems(text, lang)) for lang in _STEMMERS}
    found: dict[str, tuple[Concept, set[str]]] = {}
    for concept, lang, phrase_stems in _index():
        if phrase_stems <= text_stems[lang]:
            found.setdefault(concept.id, (concept, set()))[1].add(lang)
    return {key: (concept, frozenset(langs)) for key, (concept, langs) in found.items()}


def translations(text: str) -> list[tuple[str, str]]:
    """(phrase, language) of every concept `text` names, in the languages it was not named in: what carries
    the query across languages. Phrases in order of the thesaurus, each once."""
    out: dict[tuple[str, str], None] = {}
    for concept, langs in named(text).values():
        for lang in LANGUAGES:
            if lang in langs:
                continue
            for phrase in concept.phrases.get(lang, ()):
                out.setdefault((phrase, lang), None)
    return list(out)
