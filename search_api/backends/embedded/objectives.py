"""What the embedded store gives hybrid search's cross-language reach (search_api.core.crosslingual): the
candidates' objectives (declared, kept per vector row, else inferred for ranking from the generation's objective
centroids), and the query's language."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from functools import cache

import numpy as np
import tantivy

from models.taxonomy import LANGUAGES
from search_api.backends.embedded.analysis import analyzer
from search_api.backends.embedded.fields import hit_count
from search_api.backends.embedded.objective_bits import numbers_of
from search_api.backends.embedded.schema import facet_field, text_field
from search_api.backends.embedded.store import Snapshot
from search_api.core import crosslingual

_BY_SNAPSHOT: dict[int, RecordObjectives] = {}  # id(snapshot) -> its objectives; dropped with the snapshot
_LOCK = threading.Lock()


class RecordObjectives:
    """Records' objectives in one generation: declared (the rows' bits), else the `inferred` nearest objective
    centroids (`crosslingual.infer_objectives`'s rule), worked out for the records asked: the objective leg
    asks for a few hundred candidates. The centroids come from sums the vectors keep in step with every
    change (`Vectors.objective_totals`), so a generation costs nothing up front (summing the matrix again
    took 26-35 ms at 100,000 records and 0.3 s at a million; reading every record's objectives from the
    index and inferring the rest, 1.1 s and 8.8 s)."""

    def __init__(self, snap: Snapshot, inferred: int) -> None:
        vectors = snap.vectors
        if vectors.objective_bits is None:
            raise RuntimeError("the vector rows' objectives are not known yet")
        self.inferred = inferred
        self._snap = snap
        self._bits = vectors.objective_bits  # rows below the generation's count never change
        self._rows: dict[str, int] | None = None
        self._known: dict[str, Sequence[int]] = {}
        sums, counts = snap.objective_totals
        self._centroids, self._usable = crosslingual.unit_centroids(sums.astype(np.float32), counts)

    def _row(self, record_id: str) -> int | None:
        """The record's live row in this generation (its newest, as `Snapshot.rows`)."""
        row = self._snap.vectors.row_of_id.get(record_id)
        if row is not None and row < self._snap.count and self._snap.alive[row]:
            return row
        if self._rows is None:  # replaced or deleted since this generation: look in the generation's own rows
            live = np.flatnonzero(self._snap.alive).tolist()
            self._rows = {self._snap.id_at(r): r for r in live}
        return self._rows.get(record_id)

    def of(self, ids: Sequence[str]) -> dict[str, Sequence[int]]:
        """The objectives of those of `ids` this generation holds (kept for the generation once worked out:
        the same candidates come back search after search)."""
        known = self._known
        fresh = [(i, row) for i in dict.fromkeys(ids) if i not in known and (row := self._row(i)) is not None]
        if fresh:
            bits = self._bits[[row for _, row in fresh]].tolist()
            found: dict[str, Sequence[int]] = {i: numbers_of(b) for (i, _), b in zip(fresh, bits, strict=True)}
            guess = [(i, row) for i, row in fresh if not found[i]]
            if guess and self.inferred > 0 and self._usable.any():
                rows = np.asarray([row for _, row in guess])
                vectors = self._snap.vectors.matrix[rows].astype(np.float32, copy=False)
                nearest = crosslingual.nearest_objectives(vectors @ self._centroids.T, self._usable, self.inferred)
                found.update({i: tuple(numbers) for (i, _), numbers in zip(guess, nearest, strict=True)})
            known.update(found)
        return {i: known[i] for i in ids if i in known}


def record_objectives(snap: Snapshot, inferred: int) -> RecordObjectives:
    """Objectives of every record of this generation: declared, else the `inferred` nearest by centroid."""
    with _LOCK:
        cached = _BY_SNAPSHOT.get(id(snap))
        if cached is None or cached.inferred != inferred:
            cached = _BY_SNAPSHOT[id(snap)] = RecordObjectives(snap, inferred)
            weakref.finalize(snap, _BY_SNAPSHOT.pop, id(snap), None)
        return cached


@cache
def _words() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()


def analyse(text: str, lang: str) -> list[str]:
    """A text's terms as the record analyser of `lang` reads them."""
    return [t for t in analyzer(lang).analyze(text) if t]


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
