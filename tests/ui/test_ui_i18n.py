"""Every label of the UI exists in English, French and Spanish, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from ui.i18n import keys, t


@pytest.mark.parametrize("key", keys())
def test_each_label_has_three_translations_with_the_same_placeholders(key: str) -> None:
    texts = [t(key, lang) for lang in ("en", "fr", "es")]
    assert all(text.strip() for text in texts)
    placeholders = [sorted(re.findall(r"\{(\w+)\}", text)) for text in texts]
    assert placeholders[0] == placeholders[1] == placeholders[2]


def test_unknown_language_falls_back_to_english_and_values_fill_in() -> None:
    assert t("results", "de", total=3) == "3 results"
    assert t("results", "es", total=3) == "3 resultados"


def test_one_word_for_pledge_in_each_language_the_un_network_s() -> None:
    """French says "annonce de contribution" (the UN Network's pledge form), never "engagement"; Spanish
    "compromiso"."""
    for key in keys():
        english, french, spanish = (t(key, lang) for lang in ("en", "fr", "es"))
        assert "ngagement" not in french, key
        if "pledge" in english.lower():
            assert "annonce" in french.lower(), key
            assert "compromiso" in spanish.lower(), key


def test_streamlit_s_own_words_are_given_in_french_and_spanish() -> None:
    from ui.i18n import widget_texts

    french = widget_texts("fr")
    assert french["exact"]["Press Enter to submit form"] == "Appuyez sur Entrée pour chercher"
    assert french["exact"]["Pulse Intro para buscar"] == "Appuyez sur Entrée pour chercher"  # after a switch
    assert ("^Help for (.+)$", "Aide : $1") in french["patterns"]
    english = widget_texts("en")
    assert english["exact"]["Expand sidebar"] == "Menu" and not english["patterns"]
