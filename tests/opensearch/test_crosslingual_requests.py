"""The cross-language legs' requests on OpenSearch as data, and what they share with the embedded engine."""

from __future__ import annotations

import numpy as np
import pytest
import tantivy

from models.schemas import Pledge
from models.taxonomy import OBJECTIVES
from search_api.backends.embedded.analysis import analyzer
from search_api.backends.opensearch import crosslingual_requests as R
from search_api.backends.opensearch import queries as Q
from search_api.backends.opensearch.documents import objective_labels, record_key, to_document
from search_api.core import crosslingual
from search_api.core.ranking import DEFAULT_RANKING


def test_corpus_statistics_are_one_size_zero_request_of_filters_aggregations():
    assert R.corpus_stats_body(["remesas", "the"]) == {
        "size": 0,
        "track_total_hits": True,
        "aggs": {
            "stamp": {"sum": {"field": "record_key"}},
            "languages": {
                "filters": {
                    "filters": {
                        "en": {"term": {"language": "en"}},
                        "fr": {"term": {"language": "fr"}},
                        "es": {"term": {"language": "es"}},
                    }
                }
            },
            "words": {
                "filters": {
                    "filters": {
                        f"{i}:{lang}": {
                            "bool": {
                                "filter": [
                                    {"term": {"language": lang}},
                                    {"match": {f"description.{lang}": {"query": word, "zero_terms_query": "all"}}},
                                ]
                            }
                        }
                        for i, word in enumerate(["remesas", "the"])
                        for lang in ("en", "fr", "es")
                    }
                }
            },
        },
    }
    assert "words" not in R.corpus_stats_body([])["aggs"]


def test_statistics_answer_gives_crosslingual_the_counts_it_asks_for():
    answer = {
        "hits": {"total": {"value": 70, "relation": "eq"}, "hits": []},
        "aggregations": {
            "stamp": {"value": 123456789.0},
            "languages": {"buckets": {"en": {"doc_count": 50}, "fr": {"doc_count": 0}, "es": {"doc_count": 20}}},
            "words": {
                "buckets": {
                    "0:en": {"doc_count": 0},
                    "0:fr": {"doc_count": 0},
                    "0:es": {"doc_count": 12},
                    "1:en": {"doc_count": 50},
                    "1:fr": {"doc_count": 0},
                    "1:es": {"doc_count": 3},
                }
            },
        },
    }
    stats = R.corpus_stats(answer, ["remesas", "the"])
    assert stats.sizes == {"en": 50, "fr": 0, "es": 20}
    assert stats.frequency("remesas", "es") == 12 and stats.frequency("the", "en") == 50
    assert stats.frequency("unknown", "en") == 0
    assert stats.stamp == (70, 123456789.0)
    counts = {("remesas", "es"): 12, ("the", "en"): 50, ("the", "es"): 3}
    expected = crosslingual.language_probabilities(
        ["remesas", "the"], lambda w, lang: counts.get((w, lang), 0), {"en": 50, "fr": 0, "es": 20}
    )
    assert crosslingual.language_probabilities(["remesas", "the"], stats.frequency, stats.sizes) == expected
    assert expected["es"] > 0.9
    assert R.corpus_stats({}, ["x"]).sizes == {} and R.corpus_stats({}, ["x"]).stamp == (0, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "Remesas: ¿cómo enviar_dinero? L'intégration des MIGRANTS, 2030-ODS n°5",
        "co-operación ÉTÉ straße " + "x" * 50 + " 3½ ٣ 中文字",
        " ".join(f"w{i}" for i in range(30)),
    ],
)
def test_query_words_split_as_the_embedded_engine_splits_them(text):
    simple = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()
    assert R.query_words(text) == list(dict.fromkeys(simple.analyze(text)))[:16]


def test_analyse_and_scan_bodies():
    assert R.analyze_body("envois de fonds", "fr") == {"analyzer": "text_fr", "text": "envois de fonds"}
    assert R.analysed_tokens({"tokens": [{"token": "envoi", "position": 0}, {"token": "fond", "position": 2}]}) == [
        "envoi",
        "fond",
    ]
    assert R.objectives_scan_body(True) == {
        "query": {"match_all": {}},
        "sort": [{"id": "asc"}],
        "_source": {"includes": ["objectives", "vector"]},
    }
    assert R.objectives_scan_body(False)["_source"] == {"includes": ["objectives"]}


def test_record_key_changes_with_the_record_and_its_vector():
    vector = np.array([0.6, 0.0, 0.8], dtype=np.float32)
    key = record_key("a", "h1", vector)
    assert 0 <= key < 2**32 and key == record_key("a", "h1", vector.copy())
    assert (
        len({key, record_key("b", "h1", vector), record_key("a", "h2", vector), record_key("a", "h1", vector * 0.5)})
        == 4
    )
    pledge = Pledge(id="a", title="t", description="d", objectives=[20], language="en")
    assert to_document(pledge, vector, "h1")["record_key"] == key


def test_objective_labels_hold_the_embedded_label_field_terms_per_language():
    """Each language's label text, read by that language's analyser, gives the tokens the embedded engine
    puts in its `objectives` field; the boost is RankingParams' and the labels are searched by default."""
    pledge = Pledge(id="a", title="t", description="d", objectives=[20, 10], language="en")
    labels = objective_labels(pledge)
    for lang in ("en", "fr", "es"):
        ours = [t for t in analyzer(lang).analyze(labels[lang]) if t]
        embedded = [
            t
            for n in (20, 10)
            for t in analyzer(lang).analyze(f"{OBJECTIVES[n].labels[lang]}. {OBJECTIVES[n].short.get(lang, '')}")
            if t
        ]
        assert ours == embedded
    boost = DEFAULT_RANKING.field_boosts["objectives"]
    [word] = Q.text_query("remesas")["bool"]["should"]  # the better of the record's text and its labels
    assert word["dis_max"]["queries"][1] == {
        "dis_max": {
            "queries": [
                {
                    "multi_match": {  # best label language
                        "query": "remesas",
                        "type": "best_fields",
                        "analyzer": f"text_{reading}",
                        "fields": [f"objective_labels.{lang}^{boost:g}" for lang in ("en", "fr", "es")],
                    }
                }
                for reading in ("en", "fr", "es", "other")
            ]
        }
    }
