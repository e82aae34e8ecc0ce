"""What the embedded store gives hybrid search's cross-language reach (search_api.core.crosslingual): each
record's objectives (declared, else inferred for ranking) per index generation, and the query's language."""

from __future__ import annotations

import threading
import weakref
from functools import cache

import tantivy

from models.taxonomy import LANGUAGES, OBJECTIVES
from search_api.backends.embedded.analysis import analyzer
from search_api.backends.embedded.fields import as_int, hit_count
from search_api.backends.embedded.schema import facet_field, text_field
from search_api.backends.embedded.store import Snapshot
from search_api.core import crosslingual

_BY_SNAPSHOT: dict[int, dict[str, list[int]]] = {}  # id(snapshot) -> objectives; dropped with the snapshot
_LOCK = threading.Lock()


@cache
def _words() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()


def analyse(text: str, lang: str) -> list[str]:
    """A text's terms as the record analyser of `lang` reads them."""
    return [t for t in analyzer(lang).analyze(text) if t]


def record_objectives(
    searcher: tantivy.Searcher, snap: Snapshot, schema: tantivy.Schema, inferred: int
) -> dict[str, list[int]]:
    """Objectives of every record of this generation: declared, else the `inferred` nearest by centroid."""
    with _LOCK:
        cached = _BY_SNAPSHOT.get(id(snap))
        if cached is not None:
            return cached
        declared: list[list[int]] = [[] for _ in snap.ids]
        field = facet_field("objective")
        for number in sorted(OBJECTIVES):
            query = tantivy.Query.term_query(schema, field, str(number))
            count = hit_count(searcher.search(query, limit=1, count=True))
            if not count:
                continue
            hits = searcher.search(query, limit=count, count=False).hits
            for key in searcher.fast_field_values("key", [address for _, address in hits]):
                row = snap.rows.get(as_int(key))
                if row is not None:
                    declared[row].append(number)
        both = crosslingual.infer_objectives(snap.matrix, declared, inferred)
        result = dict(zip(snap.ids, both, strict=True))
        _BY_SNAPSHOT[id(snap)] = result
        weakref.finalize(snap, _BY_SNAPSHOT.pop, id(snap), None)
        return result


def query_language(
    searcher: tantivy.Searcher, schema: tantivy.Schema, text: str, cache: dict | None = None
) -> dict[str, float]:
    """P(en/fr/es | query), from how many stored records of each language hold each query word.

    `cache` (the store's per-generation cache) keeps those counts: they only change with the index."""
    language = facet_field("language")
    counts: dict = cache if cache is not None else {}

    def count(key: tuple, query: tantivy.Query) -> int:
        if key not in counts:
            counts[key] = hit_count(searcher.search(query, limit=1, count=True))
        return counts[key]

    sizes = {lang: count(("lang-size", lang), tantivy.Query.term_query(schema, language, lang)) for lang in LANGUAGES}

    def frequency(word: str, lang: str) -> int:
        terms = analyse(word, lang)
        if not terms:  # a stop word of `lang`: as if every record of `lang` had it
            return sizes[lang]
        key = ("lang-freq", terms[0], lang)
        if key not in counts:  # one walk of the term's records counts it in every language at once
            query = tantivy.Query.term_query(schema, text_field("description"), terms[0])
            spec = {"lang": {"terms": {"field": language, "size": 1000, "segment_size": 1000}}}
            buckets = searcher.aggregate(query, spec)["lang"]["buckets"]
            found = {str(b["key"]): int(b["doc_count"]) for b in buckets}
            for other in LANGUAGES:
                counts[("lang-freq", terms[0], other)] = found.get(other, 0)
        return counts[key]

    words = list(dict.fromkeys(_words().analyze(text)))[:16]
    return crosslingual.language_probabilities(words, frequency, sizes)
