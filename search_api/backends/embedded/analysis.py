"""Text analysis shared by indexing, querying and highlighting, so the three always agree.

A record's text is analysed in its own language (English, French, Spanish: stop words, Snowball stemmer,
accent folding; any other language: lowercase and folding only). A query is analysed in every language and
the terms pooled, so "migrantes" reaches Spanish records as Spanish and English ones as English."""

from __future__ import annotations

from functools import cache, lru_cache

import tantivy

from models.taxonomy import LANGUAGES
from search_api.core.snippets import SNIPPET_CHARS, Span
from search_api.core.snippets import snippet as window_snippet

STEMMED = {"en": "english", "fr": "french", "es": "spanish"}
LANGS = (*LANGUAGES, "xx")  # "xx": every other language, folded but not stemmed
MAX_TOKEN_CHARS = 40
TOKENS_CACHED = 512  # texts whose analysed words are kept (about 50 KB for a long description)


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


@lru_cache(maxsize=TOKENS_CACHED)
def analysed_tokens(text: str, lang: str) -> tuple[tuple[str, int, int], ...]:
    """Every word of `text` as (analysed form, start, end): kept for the texts read most recently, since the
    same records come back page after page and search after search, and analysing is most of marking them."""
    return tuple((t.text, t.char_offset_from, t.char_offset_to) for t in analyzer(lang).pre_tokenize(text).tokens)


def matched_spans(text: str, lang: str, terms: frozenset[str]) -> list[Span]:
    """Where in `text` the words whose analysed form is one of `terms` stand."""
    if not terms or not text:
        return []
    return [Span(start, end) for term, start, end in analysed_tokens(text, lang) if term in terms]


def snippet(text: str, lang: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    """The window of `text` with the most distinct matched words, escaped, matches in <mark>, cut at words."""
    return window_snippet(text, matched_spans(text, lang, terms), max_chars)
