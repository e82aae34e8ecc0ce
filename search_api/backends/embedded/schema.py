"""The tantivy schema of the embedded store and how a record becomes one tantivy document.

One document holds everything about a record (its JSON, vector, content hash, analysed text, facet terms and
sort keys), so a commit can never leave text, vectors and facets out of step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from functools import cache

import numpy as np
import tantivy

from models.schemas import FACET_FIELDS, Pledge
from models.taxonomy import OBJECTIVES
from search_api.backends.embedded.analysis import STEMMED, analyzer, field_lang

SCHEMA_VERSION = 6  # 4: suggested and declared-or-suggested objectives as facets; 5: each facet's value sets;
# 6: `written`, the commit that wrote a document (a reader catches up with another writer by reading those only)
TEXT_FIELDS = ("title", "description", "entity")
LABEL_FIELD = "objectives"  # the en/fr/es labels of the declared objectives, each analysed in its language
NULL_DEADLINE = 10**7  # sort key for "no deadline": after every real date
NULL_NEWEST = -(10**7)  # sort key for "no date": after every real date, newest first


def text_field(kind: str) -> str:
    """Field holding `kind` (title, description, entity) text, analysed in the record's own language.

    One field for all languages (the text arrives pre-tokenized by its language's analyser) keeps BM25's
    document counts and average lengths corpus-wide: per-language fields would punish minority languages."""
    return kind


SUGGESTED_FIELD = "f_objective_suggested"  # objectives the tagger suggests (never a declared one)
ANY_OBJECTIVE_FIELD = "f_objective_any"  # declared or suggested
_SCOPED = {"declared": "f_objective", "suggested": SUGGESTED_FIELD, "all": ANY_OBJECTIVE_FIELD}


def facet_field(facet: str, scope: str = "declared") -> str:
    """Raw, multi-valued, fast field holding one facet's values; the objective facet's field depends on which
    objectives are in scope (declared, suggested, all)."""
    if facet == "objective":
        return _SCOPED[scope]
    if facet == "objective_suggested":
        return SUGGESTED_FIELD
    return f"f_{facet}"


VALUE_SEPARATOR = "\x1f"  # between the values of a set (the ASCII unit separator: no facet value holds it)


def value_set_field(field: str) -> str:
    """The single-valued field beside a multi-valued facet field that holds each record's whole set of values
    as one term (`value_set`). Counting a facet over a large match set reads one value a record there, not
    several: at a million records, the principles over 830k matches took 60 ms, their sets 20 ms (most of it
    finding the matches)."""
    return f"s{field}"


def value_set(values: list[str]) -> str:
    """A set of facet values as one term: sorted, distinct, joined by VALUE_SEPARATOR."""
    return VALUE_SEPARATOR.join(sorted(set(values)))


def facet_fields() -> list[str]:
    """Every facet field (each facet's, and the objective facet's per scope)."""
    return [facet_field(facet) for facet in FACET_FIELDS] + [SUGGESTED_FIELD, ANY_OBJECTIVE_FIELD]


def build_schema() -> tantivy.Schema:
    """Fields: stored record and vector, analysed text per language, facet terms, dates and sort keys."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_unsigned_field("key", indexed=True, fast=True)
    sb.add_unsigned_field("written", indexed=True, fast=True)
    sb.add_text_field("content_hash", stored=True, tokenizer_name="raw")
    sb.add_bytes_field("record", stored=True)
    sb.add_bytes_field("vector", stored=True)
    for kind in TEXT_FIELDS:
        sb.add_text_field(text_field(kind), tokenizer_name="raw", index_option="position")
    sb.add_text_field(LABEL_FIELD, tokenizer_name="raw", index_option="freq")
    for field in facet_fields():
        sb.add_text_field(field, tokenizer_name="raw", fast=True)
        sb.add_text_field(value_set_field(field), tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_text_field("f_synthetic", tokenizer_name="raw", fast=True)
    sb.add_date_field("deadline", indexed=True, fast=True)
    sb.add_integer_field("sort_newest", indexed=True, fast=True)
    sb.add_integer_field("sort_deadline", indexed=True, fast=True)
    sb.add_text_field("sort_title", tokenizer_name="raw", fast=True)
    return sb.build()


def record_key(record_id: str, content_hash: str) -> int:
    """A 63-bit number naming this version of this record: maps search hits to rows of the vector matrix."""
    digest = hashlib.blake2b(f"{record_id}\0{content_hash}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _days(day: dt.date | None) -> int | None:
    return day.toordinal() if day else None


def sort_title(title: str) -> str:
    """Case- and accent-insensitive title for ordering."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))[:200]


def facet_values(pledge: Pledge, facet: str) -> list[str]:
    """A record's values for one facet, as the strings stored and filtered on."""
    value = getattr(pledge, FACET_FIELDS[facet])
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@cache
def _label_tokens(number: int, lang: str) -> tantivy.PreTokenizedString:
    """An objective's label and short text analysed in `lang`, once (a document takes a copy)."""
    term = OBJECTIVES[number]
    return analyzer(lang).pre_tokenize(f"{term.labels[lang]}. {term.short.get(lang, '')}")


def to_document(pledge: Pledge, vector: np.ndarray, content_hash: str, written: int) -> tantivy.Document:
    """The tantivy document of one record; `written` numbers the commit that writes it (above every earlier
    commit's: the index's last commit opstamp plus one)."""
    doc = tantivy.Document()
    doc.add_text("id", pledge.id)
    doc.add_unsigned("key", record_key(pledge.id, content_hash))
    doc.add_unsigned("written", written)
    doc.add_text("content_hash", content_hash)
    doc.add_bytes("record", pledge.model_dump_json().encode())
    doc.add_bytes("vector", np.asarray(vector, dtype=np.float32).tobytes())
    analyse = analyzer(field_lang(pledge.language)).pre_tokenize
    doc.add_pre_tokenized_text(text_field("title"), analyse(pledge.title))
    doc.add_pre_tokenized_text(text_field("description"), analyse(pledge.description))
    if pledge.entity_name:
        doc.add_pre_tokenized_text(text_field("entity"), analyse(pledge.entity_name))
    for lang in STEMMED:  # the taxonomy is a parallel text: it lets a query in any language reach the record
        for number in pledge.objectives:
            if number in OBJECTIVES:
                doc.add_pre_tokenized_text(LABEL_FIELD, _label_tokens(number, lang))
    suggested = [str(s.objective) for s in pledge.suggested_objectives if s.objective not in pledge.objectives]
    values = {facet_field(facet): facet_values(pledge, facet) for facet in FACET_FIELDS}
    values[SUGGESTED_FIELD] = suggested
    values[ANY_OBJECTIVE_FIELD] = list(dict.fromkeys([*facet_values(pledge, "objective"), *suggested]))
    for field, held in values.items():
        for value in held:
            doc.add_text(field, value)
        if held:
            doc.add_text(value_set_field(field), value_set(held))
    doc.add_text("f_synthetic", "true" if pledge.synthetic else "false")
    if pledge.deadline:
        doc.add_date("deadline", dt.datetime.combine(pledge.deadline, dt.time(), dt.UTC))
    newest = _days(pledge.submitted) or _days(pledge.deadline)
    doc.add_integer("sort_newest", newest if newest is not None else NULL_NEWEST)
    deadline = _days(pledge.deadline)
    doc.add_integer("sort_deadline", deadline if deadline is not None else NULL_DEADLINE)
    doc.add_text("sort_title", sort_title(pledge.title))
    return doc
