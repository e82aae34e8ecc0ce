"""Text analysis shared by indexing, querying and highlighting, so the three always agree.

A record's text is analysed in its own language (English, French, Spanish: stop words, Snowball stemmer,
accent folding; any other language: lowercase and folding only). A query is analysed in every language and
the terms pooled, so "migrantes" reaches Spanish records as Spanish and English ones as English."""

from __future__ import annotations

from functools import cache

import tantivy

from models.taxonomy import LANGUAGES
from search_api.core.snippets import SNIPPET_CHARS, Span
from search_api.core.snippets import snippet as window_snippet

STEMMED = {"en": "english", "fr": "french", "es": "spanish"}
LANGS = (*LANGUAGES, "xx")  # "xx": every other language, folded but not stemmed
MAX_TOKEN_CHARS = 40


def field_lang(language: str | None) -> str:
    """Which language fields a record written in `language` goes to."""
    return language if language in STEMMED else "xx"


@cache
def analyzer(lang: str) -> tantivy.TextAnalyzer:
    """The analyser of one language field; stemming happens before folding (French stems need accents)."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(tantivy.Filter.lowercase())
    )
    if lang in STEMMED:
        builder = builder.filter(tantivy.Filter.stopword(STEMMED[lang])).filter(tantivy.Filter.stemmer(STEMMED[lang]))
    return builder.filter(tantivy.Filter.ascii_fold()).build()


def query_terms(text: str, lang: str, limit: int) -> list[str]:
    """Distinct analysed terms of a query for one language, in order of first appearance, at most `limit`."""
    seen: dict[str, None] = {}
    for term in analyzer(lang).analyze(text):
        if term:
            seen.setdefault(term, None)
            if len(seen) >= limit:
                break
    return list(seen)


def matched_spans(text: str, lang: str, terms: frozenset[str]) -> list[Span]:
    """Where in `text` the words whose analysed form is one of `terms` stand."""
    if not terms or not text:
        return []
    tokens = analyzer(lang).pre_tokenize(text).tokens
    return [Span(t.char_offset_from, t.char_offset_to) for t in tokens if t.text in terms]


def snippet(text: str, lang: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    """The window of `text` with the most distinct matched words, escaped, matches in <mark>, cut at words."""
    return window_snippet(text, matched_spans(text, lang, terms), max_chars)
