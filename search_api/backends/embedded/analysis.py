"""Text analysis shared by indexing, querying and highlighting, so the three always agree.

A record's text is analysed in its own language (English, French, Spanish: stop words, Snowball stemmer,
accent folding; any other language: lowercase and folding only). A query is analysed in every language and
the terms pooled, so "migrantes" reaches Spanish records as Spanish and English ones as English."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache

import tantivy

STEMMED = {"en": "english", "fr": "french", "es": "spanish"}
LANGS = ("en", "fr", "es", "xx")  # "xx": every other language, folded but not stemmed
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
        builder = builder.filter(tantivy.Filter.stopword(STEMMED[lang])).filter(
            tantivy.Filter.stemmer(STEMMED[lang])
        )
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


@dataclass(frozen=True)
class Span:
    """A matched word in the original text, in characters."""

    start: int
    end: int


def matched_spans(text: str, lang: str, terms: frozenset[str]) -> list[Span]:
    """Where in `text` the words whose analysed form is one of `terms` stand."""
    if not terms or not text:
        return []
    tokens = analyzer(lang).pre_tokenize(text).tokens
    return [Span(t.char_offset_from, t.char_offset_to) for t in tokens if t.text in terms]


def mark(text: str, spans: list[Span]) -> str:
    """HTML-escape `text` and wrap each span in <mark>."""
    out: list[str] = []
    pos = 0
    for span in spans:
        if span.start < pos:
            continue
        out.append(html.escape(text[pos : span.start]))
        out.append(f"<mark>{html.escape(text[span.start : span.end])}</mark>")
        pos = span.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(text: str, lang: str, terms: frozenset[str], max_chars: int = 240) -> str:
    """The window of `text` with the most distinct matched words, escaped, matches in <mark>, cut at words."""
    spans = matched_spans(text, lang, terms)
    if len(text) <= max_chars:
        return mark(text, spans)
    start = 0
    if spans:
        best, best_score = 0, -1
        for i, first in enumerate(spans):
            inside = [s for s in spans[i:] if s.end <= first.start + max_chars]
            score = len({text[s.start : s.end].lower() for s in inside})
            if score > best_score:
                best, best_score = i, score
        start = max(0, spans[best].start - 40)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = [Span(s.start - start, s.end - start) for s in spans if s.start >= start and s.end <= end]
    body = mark(text[start:end], window)
    return ("… " if start else "") + body + (" …" if end < len(text) else "")
