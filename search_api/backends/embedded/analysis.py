"""Text analysis shared by indexing, querying and highlighting, so the three always agree.

A record's text is analysed in its own language (English, French, Spanish: stop words, Snowball stemmer,
accent folding; any other language: lowercase and folding only). A query is analysed in every language and
the terms pooled, so "migrantes" reaches Spanish records as Spanish and English ones as English."""

from __future__ import annotations

import sys
from array import array
from functools import cache, lru_cache

import tantivy

from models.taxonomy import LANGUAGES
from search_api.core.snippets import SNIPPET_CHARS, Span
from search_api.core.snippets import snippet as window_snippet

STEMMED = {"en": "english", "fr": "french", "es": "spanish"}
LANGS = (*LANGUAGES, "xx")  # "xx": every other language, folded but not stemmed
MAX_TOKEN_CHARS = 40
TOKENS_CACHED = 4096  # texts whose analysed words are kept: 16 bytes a word, about 1 KB a real title or description
CACHED_TEXT_CHARS = 5_000  # longer texts are analysed each time (the longest real description: ~3,300 characters)


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


def analysed_tokens(text: str, lang: str) -> tuple[tuple[str, ...], array]:
    """Every word of `text`: its analysed form, and its start and end (in characters) at twice its index in the
    array. Kept for the texts read most recently (up to CACHED_TEXT_CHARS long), since the same records come
    back page after page and search after search, and analysing is most of marking them: with 512 texts kept,
    the evaluation store's 956 titles and descriptions were found 69% of the time under the load check's
    searches (98% with 4,096), and a hybrid search cost 1-2 ms more CPU. Compact (forms interned, offsets
    packed): a third of the memory of a tuple per word, so a cache of 4,096 real texts holds about 4 MB."""
    return _kept_tokens(text, lang) if len(text) <= CACHED_TEXT_CHARS else _tokens(text, lang)


@lru_cache(maxsize=TOKENS_CACHED)
def _kept_tokens(text: str, lang: str) -> tuple[tuple[str, ...], array]:
    """`_tokens`, kept."""
    return _tokens(text, lang)


def _tokens(text: str, lang: str) -> tuple[tuple[str, ...], array]:
    """The analysed forms of `text`'s words and their offsets, packed."""
    tokens = analyzer(lang).pre_tokenize(text).tokens
    offsets = array("I")
    for token in tokens:
        offsets.append(token.char_offset_from)
        offsets.append(token.char_offset_to)
    return tuple(sys.intern(token.text) for token in tokens), offsets


def matched_spans(text: str, lang: str, terms: frozenset[str]) -> list[Span]:
    """Where in `text` the words whose analysed form is one of `terms` stand."""
    if not terms or not text:
        return []
    forms, offsets = analysed_tokens(text, lang)
    return [Span(offsets[2 * i], offsets[2 * i + 1]) for i, form in enumerate(forms) if form in terms]


def snippet(text: str, lang: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    """The window of `text` with the most distinct matched words, escaped, matches in <mark>, cut at words."""
    return window_snippet(text, matched_spans(text, lang, terms), max_chars)
