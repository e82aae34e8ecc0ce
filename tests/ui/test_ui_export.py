"""The CSV a user downloads: the API's export (codes) with headers and values in the interface language."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from test_ui_labels import labels_in

from ui.export import labelled_csv

API_CSV = (
    b"id,collection,title,entity_name,entity_type,countries,country_names,regions,objectives,principles,nature,"
    b"deadline,language,synthetic,source_url,description\r\n"
    b"sub-2291,pledge,Center,City of Barranquilla,local_authority,COL; GLOBAL,Colombie; Mondial,Americas; Global,"
    b"7; 15,people-centred,,2024-07-31,en,false,https://example.org/p,'=SUM(1)\r\n"
)


COLLECTIONS = {"en": "Pledge", "fr": "Annonce de contribution", "es": "Compromiso"}


def rows(lang: str) -> list[list[str]]:
    labels = replace(labels_in(lang), collections={"pledge": COLLECTIONS[lang]})
    data = labelled_csv(API_CSV, labels, lang)
    assert data.startswith("\ufeff".encode())  # a spreadsheet reads it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_headers_and_values_are_labels_in_the_interface_language() -> None:
    header, row = rows("fr")
    cells = dict(zip(header, row, strict=True))
    assert header[:6] == ["Identifiant", "Collection", "Titre", "Entité", "Type d'entité", "Pays"]
    assert cells["Collection"] == "Annonce de contribution"
    assert cells["Type d'entité"] == "Ville / autorité locale"
    assert cells["Pays"] == "Colombie; Mondial"  # the API's names, not the codes
    assert cells["Régions"] == "Amériques; Mondial"
    assert cells["Objectifs du PMM"] == "7 · Vulnérabilités; 15 · Services de base"
    assert cells["Principes directeurs"] == "Priorité à la dimension humaine"
    assert cells["Langue du texte"] == "anglais"
    assert cells["Enregistrement de test synthétique"] == "non"
    assert cells["Description"] == "'=SUM(1)"  # the API's defusing of formulas is kept


def test_spanish_and_english_headers() -> None:
    assert rows("es")[0][:3] == ["Identificador", "Colección", "Título"]
    header, row = rows("en")
    assert header[:3] == ["Identifier", "Collection", "Title"]
    assert dict(zip(header, row, strict=True))["Language of the text"] == "English"
