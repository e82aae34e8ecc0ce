"""How the objective tagger reads a text: words, stop words, Snowball stems per language, folded accents, and
the objectives a text names outright ("GCM Objective 4", "objectives on ... (7), ... (15)").

Stemming before folding lets the French and Spanish stemmers see their accents; folding after makes cognates
meet across languages ("intégration", "integración" and "integration" all read `integr`). A language
PyStemmer has no stemmer for is read with the English one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from models.taxonomy import OBJECTIVE_COUNT

STEMMER_NAMES = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "it": "italian",
    "ca": "catalan",
    "de": "german",
    "nl": "dutch",
}
WORD = re.compile(r"[^\W\d_]+")
MIN_WORD = 3  # shorter words are articles, prepositions and initials


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents (cached: called once per word)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Function words of the three languages (folded), and the Compact's own name, which every pledge repeats and
# which says nothing about which of its objectives a text serves.
def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


STOP_WORDS = _folded("""
the and for with that this are was were from have has had been their they them its our your which who whom
what when where will would shall can could into onto upon about also such than then there these those other
more most some any each all both not but only very over under per via its his her out well how
les des une dans pour par sur avec est sont aux qui que ses leur leurs nous vous ils elles cette ces son
plus ainsi entre comme tout tous toutes afin dont mais être avoir ont été fait faire chaque
los las del una por para con sus como más sobre este esta estos estas ese esa son ser han fue también
cada todo todos muy sin hacia desde uno unos unas les entre
gcm compact pacte pacto pmm orderly ordonnées ordenada
""")


@lru_cache(maxsize=16)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_NAMES.get(language, "english"))


# The Compact's full name in the three languages: every pledge cites it, and its words ("safe", "regular",
# "global") would otherwise read as evidence for objectives 5 and 23.
COMPACT_NAME = re.compile(
    r"(?:global compact for )?safe,? orderly and regular migration"
    r"|(?:pacte mondial pour des )?migrations? s[uû]res?,? ordonn[ée]es? et r[ée]guli[eè]res?"
    r"|(?:pacto mundial para la )?migraci[oó]n segura,? ordenada y regular",
    re.IGNORECASE,
)


def analyse(text: str, language: str) -> list[str]:
    """The text's content words (the Compact's name left out), stemmed in `language` and folded."""
    text = text.lower()
    if "orden" in text or "ordonn" in text or "orderly" in text:  # the name's rarest word: skip the regex
        text = COMPACT_NAME.sub(" ", text)
    words = [w for w in WORD.findall(text) if len(w) >= MIN_WORD and fold(w) not in STOP_WORDS]
    return [fold(stem) for stem in _stemmer(language).stemWords(words)]


_NUMBERED = re.compile(
    r"\b(?:objective|objectif|objetivo)s?\s+(?:(?:n[°o]\.?|nos?\.?|núm\.?|number)\s*)?(\d{1,2})\b"
    r"(?!\s*(?:%|per|pour|por|millions?|[.,]\d))",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"[.;]")
_NAMES_OBJECTIVES = re.compile(r"\b(?:objective|objectif|objetivo)s?\b", re.IGNORECASE)
_IN_BRACKETS = re.compile(r"\((\d{1,2})\)")


def named_objectives(text: str) -> frozenset[int]:
    """Objectives the text names by number: "Objective 4", "objetivo n° 15", or numbers in brackets in a
    sentence about objectives ("the objectives on reducing vulnerabilities (7) and basic services (15)")."""
    found = {int(m.group(1)) for m in _NUMBERED.finditer(text)}
    for sentence in _SENTENCES.split(text):
        if "(" in sentence and _NAMES_OBJECTIVES.search(sentence):
            found.update(int(n) for n in _IN_BRACKETS.findall(sentence))
    return frozenset(n for n in found if 1 <= n <= OBJECTIVE_COUNT)


@dataclass(frozen=True)
class Document:
    """A text as the tagger reads it: its analysed words and the objectives it names by number."""

    terms: tuple[str, ...]
    named: frozenset[int]


def read_document(text: str, language: str) -> Document:
    """Analyse a record's text (title and description) once, for fitting or scoring."""
    return Document(tuple(analyse(text, language)), named_objectives(text))
