"""Index settings, mappings and alias actions for OpenSearch, as plain dicts (no client, no server).

Text analysis mirrors the embedded engine (search_api/backends/embedded/analysis.py): split on anything that
is not a letter or a digit, drop tokens of 40 characters or more, lowercase, language stop words (the very
lists tantivy uses, from search_api.core.crosslingual.STOP_WORDS: Lucene's `_french_` list differs from tantivy's),
the Snowball stemmer of the record's language, then accent folding (stemming first: French stems need the
accents), so that "migrantes venezolanos" finds "migrante venezolano" and "integracion" finds "integración".
Lucene's Snowball stemmers are not tantivy's (rust-stemmers): Spanish "orientación" stems to "orient" but
"orientacion" stays whole in Lucene, where tantivy makes both "orient". So an accented word also keeps its
folded spelling, stemmed, at the same position (`fold_keep` before the stemmer, duplicates at one position
dropped after): a word typed without its accents meets the record's accented word in either direction.
Each text field has one sub-field per language analyser; a query reads a record only through the sub-field of
the record's own language (a `term` on `language` guards each branch, see queries.text_query), so a French
record is never read through the English stemmer; the query, like the embedded engine's, is read by every
analyser. The labels of a record's declared objectives (`objective_labels`) are indexed once per label
language, each through its own analyser: the tokens of the embedded engine's `objectives` field, kept in three
sub-fields.
"""

from __future__ import annotations

from typing import Any

from models.taxonomy import LANGUAGES
from search_api.core.crosslingual import STOP_WORDS

SCHEMA_VERSION = 5  # 2: record_key (the content stamp of the objective leg's cache); 3: tantivy's stop lists;
#                    4: the folded spelling of an accented word is stemmed beside it (fold_keep);
#                    5: objectives suggested by the tagger, and declared-or-suggested, as integer fields
ANALYSED_LANGUAGES = LANGUAGES
FALLBACK = "other"  # sub-field for records in any other language: folded, not stemmed
TEXT_FIELDS = ("title", "description", "entity_name")  # entity_name is searched only when boosted

# Snowball stemmers: the same algorithms tantivy's `Filter.stemmer(...)` uses (rust-stemmers).
_SNOWBALL = {"en": "English", "fr": "French", "es": "Spanish"}

KEYWORD_FIELDS = (
    "id",
    "collection",
    "principles",
    "countries",
    "regions",
    "subregions",
    "entity_type",
    "nature",
    "language",
    "pledge_type",
    "themes",
    "content_hash",
    "sort_title",
    "entity_key",
)
MAX_TOKEN_CHARS = 40


def analysis_settings() -> dict[str, Any]:
    """Tokenizer, filters and one analyser per language (plus a folding one for other languages)."""
    filters: dict[str, Any] = {
        "not_long": {"type": "length", "max": MAX_TOKEN_CHARS - 1},
        "fold_keep": {"type": "asciifolding", "preserve_original": True},  # "orientación" + "orientacion"
        "one_per_position": {"type": "unique", "only_on_same_position": True},
    }
    analyzers: dict[str, Any] = {}
    for lang in ANALYSED_LANGUAGES:
        filters[f"{lang}_stop"] = {"type": "stop", "stopwords": sorted(STOP_WORDS[lang])}
        filters[f"{lang}_stemmer"] = {"type": "snowball", "language": _SNOWBALL[lang]}
        analyzers[f"text_{lang}"] = {
            "type": "custom",
            "tokenizer": "alnum",
            "filter": [
                "not_long",
                "lowercase",
                f"{lang}_stop",
                "fold_keep",
                f"{lang}_stemmer",
                "asciifolding",
                "one_per_position",
            ],
        }
    analyzers[f"text_{FALLBACK}"] = {
        "type": "custom",
        "tokenizer": "alnum",
        "filter": ["not_long", "lowercase", "asciifolding"],
    }
    return {
        "tokenizer": {"alnum": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}},
        "filter": filters,
        "analyzer": analyzers,
    }


def text_field_mapping(field: str) -> dict[str, Any]:
    """A text field stored once in _source, a sub-field per language analyser (entity: and its raw form)."""
    subfields: dict[str, Any] = {
        lang: {"type": "text", "analyzer": f"text_{lang}"} for lang in (*ANALYSED_LANGUAGES, FALLBACK)
    }
    if field == "entity_name":
        subfields["raw"] = {"type": "keyword", "ignore_above": 1024}
    return {"type": "text", "analyzer": f"text_{FALLBACK}", "fields": subfields}


def knn_field_mapping(dimension: int, engine: str = "lucene") -> dict[str, Any]:
    """The vector field: HNSW over cosine similarity (score = (1 + cosine) / 2)."""
    if engine not in ("lucene", "faiss"):
        raise ValueError(f"unsupported k-NN engine {engine!r}: use 'lucene' or 'faiss'")
    return {
        "type": "knn_vector",
        "dimension": dimension,
        "method": {
            "name": "hnsw",
            "space_type": "cosinesimil",
            "engine": engine,
            "parameters": {"m": 16, "ef_construction": 128},
        },
    }


def index_meta(dimension: int, model_name: str) -> dict[str, Any]:
    """What the index remembers about its vectors: a store built by another model is refused."""
    return {"embedding_model": model_name, "dimension": dimension, "schema_version": SCHEMA_VERSION}


def mappings(dimension: int, model_name: str, engine: str = "lucene") -> dict[str, Any]:
    """Field mappings; `dynamic: false` keeps unlisted record fields in _source without indexing them."""
    properties: dict[str, Any] = {name: {"type": "keyword"} for name in KEYWORD_FIELDS}
    properties.update({field: text_field_mapping(field) for field in TEXT_FIELDS})
    properties.update(
        {
            "objectives": {"type": "integer"},
            "objectives_suggested": {"type": "integer"},  # the tagger's (never a declared one)
            "objectives_any": {"type": "integer"},  # declared or suggested
            "record_key": {"type": "long"},  # documents.record_key, summed into the index's content stamp
            "synthetic": {"type": "boolean"},
            "deadline": {"type": "date", "format": "strict_date"},
            "submitted": {"type": "date", "format": "strict_date"},
            "newest": {"type": "date", "format": "strict_date"},
            "vector": knn_field_mapping(dimension, engine),
            # the en/fr/es labels of the declared objectives, each read by its own language's analyser
            "objective_labels": {
                "properties": {lang: {"type": "text", "analyzer": f"text_{lang}"} for lang in ANALYSED_LANGUAGES}
            },
        }
    )
    return {"dynamic": False, "_meta": index_meta(dimension, model_name), "properties": properties}


def index_settings(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """One shard by default: exact facet counts and BM25 statistics over the whole corpus."""
    return {
        "index": {"knn": True, "number_of_shards": shards, "number_of_replicas": replicas},
        "analysis": analysis_settings(),
    }


def index_body(
    dimension: int,
    model_name: str,
    *,
    alias: str | None = None,
    engine: str = "lucene",
    shards: int = 1,
    replicas: int = 0,
) -> dict[str, Any]:
    """Body of `PUT <concrete index>`; with `alias`, the alias is created with the index, in one step."""
    body: dict[str, Any] = {
        "settings": index_settings(shards, replicas),
        "mappings": mappings(dimension, model_name, engine),
    }
    if alias:
        body["aliases"] = {alias: {}}
    return body


def index_template(alias: str, dimension: int, model_name: str, engine: str = "lucene") -> dict[str, Any]:
    """Composable index template for `<alias>-*`: concrete indices made by hand get the same mappings."""
    return {
        "index_patterns": [f"{alias}-*"],
        "priority": 100,
        "template": {"settings": index_settings(), "mappings": mappings(dimension, model_name, engine)},
        "_meta": {"description": f"GCM pledge search indices behind the alias {alias!r}"},
    }


def swap_alias_actions(alias: str, new_index: str, old_indices: list[str]) -> dict[str, Any]:
    """One `_aliases` request: readers move from the old index to the new one atomically (no downtime)."""
    actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": alias}} for old in old_indices]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return {"actions": actions}


def same_model(a: str | None, b: str | None) -> bool:
    """True when two model names name the same model (with or without the hub prefix); None matches any."""
    if a is None or b is None:
        return True
    return a.removeprefix("sentence-transformers/") == b.removeprefix("sentence-transformers/")


def stored_meta_mismatch(index: str, meta: dict[str, Any], dimension: int | None, model_name: str | None) -> str | None:
    """Why an existing index cannot serve a process embedding with this model, or None when it can."""
    stored_model, stored_dim = meta.get("embedding_model"), meta.get("dimension")
    rebuild = "rebuild into a new index generation (new_generation, then promote)"
    if not meta:
        return (
            f"The index {index!r} has no embedding metadata (_meta): it was not created by this service; "
            "choose another PLEDGES_OPENSEARCH_INDEX."
        )
    if dimension is not None and stored_dim not in (None, dimension):
        return (
            f"The index {index!r} holds {stored_dim}-dimensional vectors from {stored_model!r}; this run "
            f"embeds {dimension}-dimensional ones: set PLEDGES_EMBEDDING_MODEL back, or {rebuild}."
        )
    if not same_model(stored_model, model_name):
        return (
            f"The index {index!r} was built with the embedding model {stored_model!r}, but the settings "
            f"ask for {model_name!r}: set PLEDGES_EMBEDDING_MODEL={stored_model}, or {rebuild}."
        )
    if meta.get("schema_version") != SCHEMA_VERSION:
        return (
            f"The index {index!r} has schema version {meta.get('schema_version')}; this version reads "
            f"{SCHEMA_VERSION}: {rebuild}."
        )
    return None
