"""Every personal-data label of the webform (indexer/privacy.py PERSONAL_FIELDS, en/fr/es), in every shape the
UN Network prints it, is recognised: its value never reaches a record and is scrubbed from the other fields."""

from __future__ import annotations

import pytest

from indexer.normalise import normalise_record
from indexer.privacy import LANGUAGES, PERSONAL_FIELDS, is_pii_key, split_pii
from indexer.sources import RawRecord, read_bytes
from indexer.sources.labels import match_header, match_line

# A value of each field as a submitter types it: it starts a word (capital, digit, "+") or is an e-mail.
VALUES = {
    "full_name": "Zoé Invented-Person",
    "position": "Directrice du guichet",
    "email": "zoe.invented@example.org",
    "secondary_contact": "Tomás Invented",
    "secondary_email": "tomas.invented@example.org",
    "phone": "+33 6 00 00 00 00",
    "ip_address": "198.51.100.77",
    "uuid": "0b5b6f4e-2f63-4c7e-9d55-7f3c1d2e8a10",
}
LABELS = [(field, lang, label) for field, spec in PERSONAL_FIELDS.items() for lang in LANGUAGES for label in spec[lang]]
SHAPES = {
    "colon": "{label}: {value}",
    "space-colon": "{label} : {value}",  # French typography
    "glued": "{label}{value}",  # the French view prints label and value with nothing between
    "own-line": "{label}\n{value}",  # the label alone, its value on the next line
}


def _ids(case: tuple[str, str, str]) -> str:
    return f"{case[0]}-{case[1]}-{case[2]}"


def test_every_field_has_labels_in_the_three_languages() -> None:
    assert set(PERSONAL_FIELDS) == set(VALUES)
    for field, spec in PERSONAL_FIELDS.items():
        assert all(spec[lang] for lang in LANGUAGES), field
        assert spec["keys"], field


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("case", LABELS, ids=[_ids(c) for c in LABELS])
def test_a_text_view_line_in_every_shape_is_personal_data(case: tuple[str, str, str], shape: str) -> None:
    field, _, label = case
    value = VALUES[field]
    view = (
        "Submission #9100\n"
        "Name of the pledge: Help desk\n"
        + SHAPES[shape].format(label=label, value=value)
        + "\nPlease describe the pledge: A help desk; ask "
        + value
        + " at the town hall.\n"
    )
    items = list(read_bytes(view.encode(), "view.txt"))
    (record,) = [i for i in items if isinstance(i, RawRecord)]
    assert value in record.redact, (shape, label)
    assert record.data["title"] == "Help desk"  # the label's line did not run into another field
    pledge = normalise_record(record.data, record.source, record.line, redact=record.redact)
    assert value not in pledge.model_dump_json()
    assert pledge.description == "A help desk; ask [removed] at the town hall."


@pytest.mark.parametrize("case", LABELS, ids=[_ids(c) for c in LABELS])
def test_a_csv_header_and_a_json_key_are_personal_data(case: tuple[str, str, str]) -> None:
    field, _, label = case
    assert match_header(label) == "_pii"
    assert match_header(label.upper() + " (optional)") == "_pii"
    assert is_pii_key(label)
    kept, values = split_pii({label: VALUES[field], "title": "T"})
    assert kept == {"title": "T"} and values == [VALUES[field]]


@pytest.mark.parametrize("key", sorted({k for spec in PERSONAL_FIELDS.values() for k in spec["keys"]}))
def test_every_declared_json_key_is_personal_data(key: str) -> None:
    assert is_pii_key(key) and is_pii_key(key.upper())


@pytest.mark.parametrize(
    "line",
    [
        "Postes de travail pour les migrants.",
        "Poste-frontière de Rosso.",
        "Position papers will follow.",
        "Fonctionnement du guichet en deux temps.",
        "Cargos y puertos del Pacífico.",
        "Correos y telégrafos.",
        "Phones for every family.",
        "Emailing campaigns reached 400 families.",
    ],
)
def test_ordinary_text_that_starts_like_a_short_label_stays_text(line: str) -> None:
    assert match_line(line) is None
