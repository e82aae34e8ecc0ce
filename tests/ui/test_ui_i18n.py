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
