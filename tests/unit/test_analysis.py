"""Analysers and highlighting: stems per language, folds accents, marks original words, escapes HTML."""

from __future__ import annotations

from search_api.backends.embedded.analysis import CACHED_TEXT_CHARS, analyzer, field_lang, snippet


def test_each_language_stems_its_own_inflections_and_folds_accents():
    assert analyzer("es").analyze("migrantes venezolanos integración") == analyzer("es").analyze(
        "migrante venezolano integracion"
    )
    assert analyzer("fr").analyze("intégration migrants") == analyzer("fr").analyze("intégrées migrantes")
    assert analyzer("en").analyze("the cities") == ["citi"]
    assert analyzer("xx").analyze("Integração") == ["integracao"]
    assert field_lang("pt") == "xx" and field_lang("fr") == "fr"


def test_snippet_marks_original_words_and_escapes_everything_else():
    text = "Clinics <b>&</b> shelters for migrants; migrant children too."
    terms = frozenset(analyzer("en").analyze("migrant"))
    assert snippet(text, "en", terms) == (
        "Clinics &lt;b&gt;&amp;&lt;/b&gt; shelters for <mark>migrants</mark>; <mark>migrant</mark> children too."
    )


def test_a_long_text_is_cut_around_the_matches_at_word_boundaries():
    text = " ".join(["filler"] * 100) + " remittances are cheaper " + " ".join(["tail"] * 100)
    cut = snippet(text, "en", frozenset(analyzer("en").analyze("remittance")), max_chars=80)
    assert "<mark>remittances</mark>" in cut
    assert cut.startswith("… ") and cut.endswith(" …")
    assert "fille " not in cut and len(cut) < 120


def test_texts_kept_and_texts_too_long_to_keep_are_marked_alike():
    """Short texts' words are kept between searches, longer ones analysed each time: the marks are the same."""
    terms = frozenset(analyzer("fr").analyze("intégration"))
    short = "L'intégration des migrants, « intégrées » à la ville."
    long = short + " " + " ".join(["remplissage"] * (CACHED_TEXT_CHARS // 10))
    assert len(short) <= CACHED_TEXT_CHARS < len(long)
    first = snippet(short, "fr", terms)
    assert first == snippet(short, "fr", terms)  # the second time from the kept words
    assert first == "L&#x27;<mark>intégration</mark> des migrants, « <mark>intégrées</mark> » à la ville."
    assert snippet(long, "fr", terms, max_chars=60).startswith("L&#x27;<mark>intégration</mark> des migrants")
