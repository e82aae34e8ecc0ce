"""OpenSearch request bodies as data: every body checked against a literal dict, no server, no client."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from models.schemas import Filters, SearchRequest
from search_api.backends.opensearch import mappings as M
from search_api.backends.opensearch import queries as Q
from search_api.core.crosslingual import STOP_WORDS

NASTY = '"one-stop" AND title:x NEAR( ((( \\ \' *'
NASTY_WORDS = "one stop AND title x NEAR"  # what reaches the analysers: its words, stop words dropped


def walk_keys(value: object) -> set[str]:
    """Every key of a nested body."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in walk_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in walk_keys(v)}
    return set()


def test_each_language_has_its_own_analyser_stemming_then_folding():
    analysis = M.analysis_settings()
    assert analysis["tokenizer"] == {"alnum": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}}
    assert analysis["analyzer"]["text_fr"] == {
        "type": "custom",
        "tokenizer": "alnum",
        "filter": ["not_long", "lowercase", "fr_stop", "fold_keep", "fr_stemmer", "asciifolding", "one_per_position"],
    }
    # an accented word keeps its folded spelling beside it, stemmed too (Lucene's Snowball leaves
    # "orientacion" whole where it stems "orientación"); one token per spelling at a position
    assert analysis["filter"]["fold_keep"] == {"type": "asciifolding", "preserve_original": True}
    assert analysis["filter"]["one_per_position"] == {"type": "unique", "only_on_same_position": True}
    assert analysis["analyzer"]["text_other"] == {
        "type": "custom",
        "tokenizer": "alnum",
        "filter": ["not_long", "lowercase", "asciifolding"],
    }
    assert analysis["filter"]["es_stemmer"] == {"type": "snowball", "language": "Spanish"}
    # the embedded engine's own lists, word for word: both engines drop the same stop words
    assert analysis["filter"]["en_stop"] == {"type": "stop", "stopwords": sorted(STOP_WORDS["en"])}
    assert "cette" in analysis["filter"]["fr_stop"]["stopwords"]
    assert analysis["filter"]["not_long"] == {"type": "length", "max": 39}


def test_index_body_declares_knn_facets_dates_language_subfields_and_the_model():
    body = M.index_body(384, "all-MiniLM-L6-v2", alias="pledges")
    assert body["settings"]["index"] == {"knn": True, "number_of_shards": 1, "number_of_replicas": 0}
    assert body["aliases"] == {"pledges": {}}
    mapping = body["mappings"]
    assert mapping["dynamic"] is False
    assert mapping["_meta"] == {"embedding_model": "all-MiniLM-L6-v2", "dimension": 384, "schema_version": 5}
    props = mapping["properties"]
    assert props["vector"] == {
        "type": "knn_vector",
        "dimension": 384,
        "method": {
            "name": "hnsw",
            "space_type": "cosinesimil",
            "engine": "lucene",
            "parameters": {"m": 16, "ef_construction": 128},
        },
    }
    assert props["description"] == {
        "type": "text",
        "analyzer": "text_other",
        "fields": {
            "en": {"type": "text", "analyzer": "text_en"},
            "fr": {"type": "text", "analyzer": "text_fr"},
            "es": {"type": "text", "analyzer": "text_es"},
            "other": {"type": "text", "analyzer": "text_other"},
        },
    }
    for field in (
        "collection",
        "countries",
        "regions",
        "subregions",
        "principles",
        "entity_type",
        "nature",
        "language",
        "id",
        "sort_title",
        "entity_key",
    ):
        assert props[field] == {"type": "keyword"}, field
    assert props["objectives"] == {"type": "integer"}
    assert props["record_key"] == {"type": "long"}
    assert props["objective_labels"] == {
        "properties": {
            "en": {"type": "text", "analyzer": "text_en"},
            "fr": {"type": "text", "analyzer": "text_fr"},
            "es": {"type": "text", "analyzer": "text_es"},
        }
    }
    assert props["deadline"] == {"type": "date", "format": "strict_date"}
    assert props["synthetic"] == {"type": "boolean"}


def test_faiss_is_an_option_and_nothing_else():
    assert M.knn_field_mapping(8, "faiss")["method"]["engine"] == "faiss"
    try:
        M.knn_field_mapping(8, "nmslib")
    except ValueError as exc:
        assert "nmslib" in str(exc)
    else:
        raise AssertionError("nmslib accepted")


def test_template_covers_every_generation_of_the_alias():
    template = M.index_template("pledges", 384, "m")
    assert template["index_patterns"] == ["pledges-*"]
    assert template["template"]["settings"]["index"]["knn"] is True


def test_alias_swap_is_one_atomic_request():
    assert M.swap_alias_actions("pledges", "pledges-2", ["pledges-1"]) == {
        "actions": [
            {"remove": {"index": "pledges-1", "alias": "pledges"}},
            {"add": {"index": "pledges-2", "alias": "pledges"}},
        ]
    }


def test_a_store_of_another_model_is_refused_with_what_to_do():
    meta = M.index_meta(384, "all-MiniLM-L6-v2")
    assert M.stored_meta_mismatch("pledges", meta, 384, "sentence-transformers/all-MiniLM-L6-v2") is None
    assert M.stored_meta_mismatch("pledges", meta, None, None) is None
    problem = M.stored_meta_mismatch("pledges", meta, 768, "paraphrase-multilingual-mpnet-base-v2")
    assert "384-dimensional" in problem and "PLEDGES_EMBEDDING_MODEL" in problem
    assert "all-MiniLM-L6-v2" in M.stored_meta_mismatch("pledges", meta, 384, "other-model")
    assert "no embedding metadata" in M.stored_meta_mismatch("pledges", {}, 384, "m")


def test_filters_or_within_a_facet_and_across_facets():
    filters = Filters(
        objective=[15, 3],
        country=["COL", "ECU"],
        synthetic=False,
        deadline_from=dt.date(2024, 1, 1),
        deadline_to=dt.date(2030, 12, 31),
    )
    assert Q.filter_clauses(filters) == [
        {"terms": {"objectives": [15, 3]}},
        {"terms": {"countries": ["COL", "ECU"]}},
        {"term": {"synthetic": False}},
        {"range": {"deadline": {"gte": "2024-01-01", "lte": "2030-12-31"}}},
    ]
    assert Q.as_filter([]) == {"match_all": {}}


def readings(fields: list[str], query: str = NASTY_WORDS, kind: str = "most_fields") -> dict:
    """The query read by the four analysers against `fields`, best reading kept; the fields' scores added
    (most_fields: title and description) or the best kept (best_fields: the label languages)."""
    return {
        "dis_max": {
            "queries": [
                {"multi_match": {"query": query, "type": kind, "fields": fields, "analyzer": analyser}}
                for analyser in ("text_en", "text_fr", "text_es", "text_other")
            ]
        }
    }


def label_readings(fields: list[str], query: str) -> dict:
    """The query against the objective labels: one match per word whatever the label language."""
    return readings(fields, query, "best_fields")


def test_user_text_is_only_ever_the_query_string_of_a_multi_match():
    body = Q.text_query(NASTY, {"title": 2.0, "description": 1.0, "entity": 0.0})
    assert body == {
        "bool": {
            "minimum_should_match": 1,
            "should": [
                {
                    "bool": {
                        "filter": [{"term": {"language": "en"}}],
                        "must": [readings(["title.en^2", "description.en"])],
                    }
                },
                {
                    "bool": {
                        "filter": [{"term": {"language": "fr"}}],
                        "must": [readings(["title.fr^2", "description.fr"])],
                    }
                },
                {
                    "bool": {
                        "filter": [{"term": {"language": "es"}}],
                        "must": [readings(["title.es^2", "description.es"])],
                    }
                },
                {
                    "bool": {
                        "must_not": [{"terms": {"language": ["en", "fr", "es"]}}],
                        "must": [readings(["title.other^2", "description.other"])],
                    }
                },
            ],
        }
    }
    ranked = Q.ranked_body(body, Filters(objective=[15]), Q.sort_clause("relevance"), 10)
    fetched = Q.fetch_body(["a"], body)
    for sent in (ranked, fetched, Q.outside_body(["a"], body)):
        assert not walk_keys(sent) & {"query_string", "simple_query_string", "script", "regexp", "wildcard"}


def test_stop_words_of_any_language_never_reach_the_analysers():
    """English "a" would match French records where it means "has", Spanish "del" French "délais"."""

    def query_strings(q: str) -> set[str]:
        """Every query string of the body's multi_match clauses (four readings of each language's fields)."""
        found: set[str] = set()

        def walk(value: object) -> None:
            if isinstance(value, dict):
                if "multi_match" in value:
                    found.add(value["multi_match"]["query"])
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(Q.text_query(q, {"title": 1.0, "description": 1.0}))
        return found

    assert query_strings("a mobile legal clinic for migrants") == {"mobile legal clinic migrants"}
    assert query_strings("reducción del costo de las remesas") == {"reducción costo remesas"}
    assert query_strings("l'accès des migrants à la santé") == {"accès migrants santé"}
    assert query_strings("UN agencies at the border") == {"UN agencies border"}  # capitals: an acronym
    assert query_strings("de la") == {"de la"}  # nothing but stop words: kept whole


def own_language(fields: list[str], query: str) -> list[dict]:
    """One branch per record language: its sub-fields of `fields` (named `{field}.{sub}`), the query read by
    the four analysers."""
    branches = []
    for sub in ("en", "fr", "es", "other"):
        where = (
            {"must_not": [{"terms": {"language": ["en", "fr", "es"]}}]}
            if sub == "other"
            else {"filter": [{"term": {"language": sub}}]}
        )
        subfields = [f.replace("{sub}", sub) for f in fields]
        branches.append({"bool": {**where, "must": [readings(subfields, query)]}})
    return branches


def test_entity_and_objective_label_boosts_add_their_fields_a_word_counting_once_through_the_labels():
    """Each query word: the better of the record's own text and its objective labels ("legal" in a title and
    in the label "legal identity" is one match), as the embedded engine scores each term."""
    body = Q.text_query(
        "Legal clinic, legal aid", {"title": 1.0, "description": 1.0, "entity": 0.5, "objectives": 0.75}
    )
    labels = ["objective_labels.en^0.75", "objective_labels.fr^0.75", "objective_labels.es^0.75"]
    fields = ["title.{sub}", "description.{sub}", "entity_name.{sub}^0.5"]
    assert body == {
        "bool": {
            "minimum_should_match": 1,
            "should": [
                {
                    "dis_max": {
                        "queries": [
                            {"bool": {"should": own_language(fields, word), "minimum_should_match": 1}},
                            label_readings(labels, word),
                        ]
                    }
                }
                for word in ("legal", "clinic", "aid")
            ],
        }
    }
    only_labels = ["objective_labels.en", "objective_labels.fr", "objective_labels.es"]
    assert Q.text_query("remesas costo", {"title": 0.0, "objectives": 1.0})["bool"]["should"] == [
        label_readings(only_labels, "remesas"),
        label_readings(only_labels, "costo"),
    ]
    nothing = Q.text_query("(((", {"title": 1.0, "objectives": 1.0})  # no word: no empty bool (match_all)
    assert nothing["bool"]["should"] == [*own_language(["title.{sub}"], "((("), label_readings(only_labels, "(((")]


def test_disjunctive_facets_each_counted_under_every_other_filter():
    filters = Filters(objective=[15], country=["COL"])
    body = Q.facet_counts_body({"match_all": {}}, filters)
    assert (body["query"], body["size"]) == ({"match_all": {}}, 0)
    aggs = body["aggs"]
    every_value = {"size": Q.ALL_VALUES}
    assert aggs["objective"] == {
        "filter": {"bool": {"filter": [{"terms": {"countries": ["COL"]}}]}},
        "aggs": {"values": {"terms": {"field": "objectives", **every_value}}},
    }
    assert aggs["country"]["filter"] == {"bool": {"filter": [{"terms": {"objectives": [15]}}]}}
    assert aggs["region"] == {
        "filter": {"bool": {"filter": [{"terms": {"objectives": [15]}}, {"terms": {"countries": ["COL"]}}]}},
        "aggs": {"values": {"terms": {"field": "regions", **every_value}}},
    }
    assert list(aggs) == [
        "collection",
        "objective",
        "principle",
        "country",
        "region",
        "subregion",
        "entity_type",
        "nature",
        "language",
    ]


def test_a_page_is_fetched_by_id_with_marks_on_title_and_description():
    text = Q.text_query("migrant centre")
    body = Q.fetch_body(["a", "b"], text)
    assert body["query"] == {"ids": {"values": ["a", "b"]}} and body["size"] == 2
    assert body["_source"] == {"excludes": ["vector", "content_hash"]}
    assert body["highlight"]["fields"]["description.es"] == {"number_of_fragments": 0}
    assert body["highlight"]["fields"]["title.other"] == {"number_of_fragments": 0}
    assert {k: v for k, v in body["highlight"].items() if k != "fields"} == {
        "type": "unified",
        "encoder": "default",
        "pre_tags": ["\ue000"],
        "post_tags": ["\ue001"],
        "require_field_match": True,
        "highlight_query": text,
    }
    assert "highlight" not in Q.fetch_body(["a"], None)


def test_sorts_end_on_the_id():
    assert Q.sort_clause("newest") == [{"newest": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    assert Q.sort_clause("deadline") == [{"deadline": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    assert Q.sort_clause("title") == [{"sort_title": "asc"}, {"id": "asc"}]


def test_hybrid_match_set_is_the_union_of_bm25_and_the_semantic_candidates():
    text = Q.text_query("x")
    assert Q.match_query(text, ["a", "b"]) == {
        "bool": {"should": [text, {"ids": {"values": ["a", "b"]}}], "minimum_should_match": 1}
    }
    assert Q.match_query(None, ["a"]) == {"ids": {"values": ["a"]}}
    assert Q.match_query(text, []) == text
    assert Q.match_query(None, []) is None


def test_knn_leg_with_similarity_floor_and_efficient_filter():
    assert Q.semantic_leg_body([0.5, -0.25], 200, 0.25) == {
        "query": {"knn": {"vector": {"vector": [0.5, -0.25], "k": 200}}},
        "size": 200,
        "min_score": 0.625,
        "_source": False,
    }
    where = {"bool": {"filter": [{"terms": {"collection": ["pledge"]}}]}}
    assert Q.knn_query([1.0], 10, where) == {"knn": {"vector": {"vector": [1.0], "k": 10, "filter": where}}}
    assert Q.score_to_cosine(Q.cosine_to_score(0.3)) == pytest.approx(0.3)


def test_fused_ranking_bodies_read_ids_only():
    filters = Filters(language=["fr"])
    assert Q.facts_body(["a", "b"], filters) == {  # similar records' candidates: two fields, not the record
        "query": {"bool": {"filter": [{"ids": {"values": ["a", "b"]}}, {"terms": {"language": ["fr"]}}]}},
        "size": 2,
        "_source": {"includes": ["language", "objectives_any"]},
    }
    text = Q.text_query("x")
    assert Q.ranked_body(text, filters, [{"_score": "desc"}, {"id": "asc"}], 200) == {
        "query": {"bool": {"must": [text], "filter": [{"terms": {"language": ["fr"]}}]}},
        "size": 200,
        "sort": [{"_score": "desc"}, {"id": "asc"}],
        "track_total_hits": True,
        "_source": False,
    }
    assert Q.outside_body(["a"], text) == {
        "query": {"bool": {"filter": [{"ids": {"values": ["a"]}}], "must_not": [text]}},
        "size": 1,
        "_source": False,
    }


def test_bodies_are_json():
    request = SearchRequest(q=NASTY, filters=Filters(objective=[1], deadline_to=dt.date(2025, 1, 1)))
    text = Q.text_query(request.q)
    json.dumps(Q.ranked_body(Q.match_query(text, ["a"]) or {}, request.filters, Q.sort_clause("newest"), 5))
    json.dumps(M.index_body(3, "m", alias="a"))


def leaf_clauses(query: object) -> int:
    """Leaf clauses of a query as Lucene counts them against max_clause_count: one per term query, so a
    multi_match costs a clause per field and word (each word of these queries is one token per analyser)."""
    if isinstance(query, list):
        return sum(leaf_clauses(q) for q in query)
    assert isinstance(query, dict) and len(query) == 1, query
    kind, body = next(iter(query.items()))
    if kind == "bool":
        return sum(leaf_clauses(body.get(occur, [])) for occur in ("must", "should", "filter", "must_not"))
    if kind == "dis_max":
        return leaf_clauses(body["queries"])
    if kind == "multi_match":
        return len(body["fields"]) * max(1, len(Q.WORD.findall(body["query"])))
    return 1


@pytest.mark.parametrize(
    "boosts",
    [
        None,
        {"title": 1.0, "description": 1.0, "entity": 0.5, "objectives": 0.75},
        {"title": 2.0, "description": 1.0},
        {"objectives": 1.0},
    ],
)
def test_the_longest_query_stays_under_opensearchs_clause_limit(boosts):
    """2,000 characters of distinct words: OpenSearch answers `too_many_nested_clauses` (a 500) past 1,024
    leaf clauses, so text_query reads the first words that fit, as many as the fields allow."""
    words = [f"word{i}" for i in range(400)]
    query = " ".join(words)[:2000]
    body = Q.text_query(query, boosts)
    assert leaf_clauses(body) <= Q.TEXT_CLAUSES < Q.MAX_CLAUSES
    fields = {"title": 1.0, "description": 1.0, "objectives": 0.75} if boosts is None else boosts
    text = len([f for f, w in fields.items() if w > 0 and f != "objectives"])
    labels = 3 if fields.get("objectives", 0) > 0 else 0
    read = Q.max_words(text, labels)
    room = Q.TEXT_CLAUSES - Q.TRANSLATION_CLAUSES
    assert read == Q.MAX_QUERY_WORDS or (read + 1) * Q.clauses_per_word(text, labels) > room
    assert f"word{read - 1}" in json.dumps(body) and f'word{read}"' not in json.dumps(body)
    assert Q.max_words(2, 3) == 16  # the default boosts: a pasted paragraph is read by its first 16 words
    short = Q.text_query("one-stop centre for migrants", boosts)
    assert "word" not in json.dumps(short) and leaf_clauses(short) < leaf_clauses(body)
