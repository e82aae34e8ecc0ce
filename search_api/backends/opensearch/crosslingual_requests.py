"""What hybrid search's cross-language legs (search_api.core.crosslingual) ask OpenSearch, as plain data.

`search_api.core.crosslingual` needs three facts from a store, as the embedded engine gives them
(search_api/backends/embedded/objectives.py):
- how many records of each language hold each query word (`language_probabilities`): one `filters`
  aggregation per (word, language), each a `match` on the description read by that language's analyser,
  in one size-0 request beside the language sizes (`corpus_stats_body`);
- the query and the objective labels as each language's analyser reads them (`named_objectives`):
  `_analyze` with the index's own analysers (`analyze_body`), so label matches agree with the label field;
- every record's declared objectives and vector, to infer objectives for records that declare none
  (`objectives_scan_body`), read again only when the index's content stamp changes (`stamp` below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from models.taxonomy import LANGUAGES
from search_api.backends.opensearch.queries import TIEBREAK, VECTOR_FIELD

STAMP_FIELD = "record_key"  # documents.record_key: a 32-bit digest of id, content hash and vector
MAX_WORDS = 16  # the embedded engine guesses the language from the first 16 distinct words
_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits: tantivy's simple tokenizer


def query_words(text: str) -> list[str]:
    """The query's distinct lowercased words, at most MAX_WORDS, as the embedded engine splits them."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(text)))[:MAX_WORDS]


def word_filter(word: str, lang: str) -> dict[str, Any]:
    """Records in `lang` whose description holds `word` as `lang` reads it; a stop word of `lang` (nothing
    left after analysis) matches every record in `lang`, as crosslingual.language_probabilities asks."""
    return {
        "bool": {
            "filter": [
                {"term": {"language": lang}},
                {"match": {f"description.{lang}": {"query": word, "zero_terms_query": "all"}}},
            ]
        }
    }


def _word_key(index: int, lang: str) -> str:
    return f"{index}:{lang}"  # not the word itself: a key must not depend on what the user typed


def corpus_stats_body(words: list[str]) -> dict[str, Any]:
    """One size-0 request: records per language, per (word, language), and the content stamp (total and
    sum of record keys: any insert, delete or change of a record changes it)."""
    aggs: dict[str, Any] = {
        "stamp": {"sum": {"field": STAMP_FIELD}},
        "languages": {"filters": {"filters": {lang: {"term": {"language": lang}} for lang in LANGUAGES}}},
    }
    if words:
        aggs["words"] = {
            "filters": {
                "filters": {
                    _word_key(i, lang): word_filter(word, lang) for i, word in enumerate(words) for lang in LANGUAGES
                }
            }
        }
    return {"size": 0, "track_total_hits": True, "aggs": aggs}


@dataclass(frozen=True)
class CorpusStats:
    """What corpus_stats_body's answer says: sizes per language, word counts, and the content stamp."""

    sizes: dict[str, int]
    frequencies: dict[tuple[str, str], int] = field(default_factory=dict)
    stamp: tuple[int, float] = (0, 0.0)

    def frequency(self, word: str, lang: str) -> int:
        """Records in `lang` holding `word` (crosslingual.language_probabilities' callback)."""
        return self.frequencies.get((word, lang), 0)


def corpus_stats(answer: dict[str, Any], words: list[str]) -> CorpusStats:
    """Read corpus_stats_body's answer (a missing aggregation counts 0)."""
    aggs = answer.get("aggregations", {})
    sizes = {lang: int(b["doc_count"]) for lang, b in aggs.get("languages", {}).get("buckets", {}).items()}
    buckets = aggs.get("words", {}).get("buckets", {})
    frequencies = {
        (word, lang): int(buckets.get(_word_key(i, lang), {}).get("doc_count", 0))
        for i, word in enumerate(words)
        for lang in LANGUAGES
    }
    total = answer.get("hits", {}).get("total", 0)
    count = int(total["value"] if isinstance(total, dict) else total)
    return CorpusStats(sizes, frequencies, (count, float(aggs.get("stamp", {}).get("value") or 0.0)))


def analyze_body(text: str, lang: str) -> dict[str, Any]:
    """`_analyze` body: `text` read by the index's analyser of `lang` (mappings.analysis_settings)."""
    return {"analyzer": f"text_{lang}", "text": text}


def analysed_tokens(answer: dict[str, Any]) -> list[str]:
    """The terms of an `_analyze` answer, in order."""
    return [token["token"] for token in answer.get("tokens", []) if token.get("token")]


def objectives_scan_body(with_vectors: bool) -> dict[str, Any]:
    """Every record's declared objectives (and vector, to infer the missing ones), in id order."""
    fields = ["objectives", VECTOR_FIELD] if with_vectors else ["objectives"]
    return {"query": {"match_all": {}}, "sort": [TIEBREAK], "_source": {"includes": fields}}
