"""The engine-neutral parts of hybrid search (search_api.core.crosslingual): stop words dropped from a query, the
hybrid legs and their weights, and the label readings cached no longer than their analyser."""

from __future__ import annotations

import gc
import weakref

import pytest

from models.taxonomy import OBJECTIVES
from search_api.backends.embedded.analysis import analyzer
from search_api.backends.embedded.objectives import analyse
from search_api.core import crosslingual
from search_api.core.ranking import DEFAULT_RANKING


def vocabulary() -> set[str]:
    """Words to try the analysers on: the lists themselves, the taxonomy's labels in en/fr/es and, when the
    dev extra is installed, bm25s's stop word lists of many languages."""
    words = set(crosslingual.ANY_STOP_WORD)
    for term in OBJECTIVES.values():
        for text in (*term.labels.values(), *term.short.values()):
            words |= {w.lower() for w in crosslingual.WORD.findall(text)}
    try:
        from bm25s import stopwords
    except ImportError:
        return words
    for name in dir(stopwords):
        if name.startswith("STOPWORDS_"):
            words |= {w.lower() for w in getattr(stopwords, name) if crosslingual.WORD.fullmatch(w)}
    return words


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_stop_word_lists_are_what_the_record_analysers_drop(lang):
    """The OpenSearch engine drops these words from a query without asking its server: they must be the
    words the embedded engine's analysers drop, or the two engines would read queries differently."""
    dropped = {w for w in vocabulary() if not [t for t in analyzer(lang).analyze(w) if t]}
    assert dropped == crosslingual.STOP_WORDS[lang]


@pytest.mark.parametrize(
    "query, kept",
    [
        ("a mobile legal clinic for migrants", "mobile legal clinic migrants"),  # English "a": French "has"
        ("reducción del costo de las remesas", "reducción costo remesas"),  # Spanish "del": French "délais"
        ("l'accès des migrants à la santé", "accès migrants santé"),
        ("UN agencies at the border", "UN agencies border"),  # capitals: an acronym, not French "un"
        ("MIGRANTS AT SEA", "MIGRANTS"),  # all capitals: no acronym to tell apart
        ("de la", "de la"),  # nothing but stop words: kept whole, so that it still finds something
        ("", ""),
    ],
)
def test_a_query_loses_the_stop_words_of_every_language(query, kept):
    assert crosslingual.without_stop_words(query) == kept


def test_hybrid_legs_add_the_objective_leg_and_keep_the_weights_range():
    keyword, semantic = [("kw-20", 3.0), ("kw-7", 2.0)], [("sem-20", 0.6), ("kw-7", 0.5)]
    objectives = {"kw-20": [20], "kw-7": [7], "sem-20": [20]}
    asked = []

    def record_objectives(ids):
        asked.append(list(ids))
        return {i: objectives[i] for i in ids if i in objectives}

    english = {"en": 1.0, "fr": 0.0, "es": 0.0}
    lists, weights = crosslingual.hybrid_legs(
        DEFAULT_RANKING, "cheaper remittances", analyse, keyword, semantic, english, record_objectives
    )
    assert lists[:2] == [keyword, semantic]
    assert asked == [["kw-20", "kw-7", "sem-20"]]  # once, for the candidates of both legs
    # the profile: objective 20 (named by the words, fed back by the keyword hits), 7 (fed back only)
    assert [i for i, _ in lists[2]] == ["sem-20", "kw-20", "kw-7"]  # equal shares: by cosine, then id
    assert sum(weights) == pytest.approx(DEFAULT_RANKING.keyword_weight + DEFAULT_RANKING.semantic_weight)
    assert weights[2] / weights[0] == pytest.approx(DEFAULT_RANKING.objective_weight)

    spanish = {"en": 0.0, "fr": 0.0, "es": 1.0}
    off = DEFAULT_RANKING.with_(objective_weight=0.0)
    asked.clear()
    lists, weights = crosslingual.hybrid_legs(off, "remesas", analyse, keyword, semantic, spanish, record_objectives)
    assert lists == [keyword, semantic] and not asked  # no objective leg: the objectives are not read
    assert weights == [off.keyword_weight, off.semantic_weight_other]


def test_label_readings_are_kept_no_longer_than_their_analyser():
    """An OpenSearch backend owns its analyser: caching the labels must not keep the backend alive."""
    calls = []

    class Analyser:
        def __call__(self, text: str, lang: str) -> list[str]:
            calls.append(text)
            return analyse(text, lang)

    reader = Analyser()
    first = crosslingual.named_objectives("remittances", reader)
    read = len(calls)
    assert first[19] == 1.0
    assert (crosslingual.named_objectives("remittances", reader) == first).all()
    assert len(calls) == read + 3  # the query in en/fr/es; the labels were read once
    gone = weakref.ref(reader)
    del reader
    gc.collect()
    assert gone() is None
