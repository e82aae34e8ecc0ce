"""Normalisation: the form's words in English, French or Spanish become the controlled values of a Pledge."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from indexer.errors import RecordError
from indexer.normalise import normalise_record
from indexer.sources import RawRecord, read_path
from models.taxonomy import GLOBAL, PRINCIPLES

BASE = {"title": "A pledge", "description": "The city opens a service desk for newly arrived migrants."}


def norm(**fields):
    """Normalise BASE with some fields added or replaced."""
    return normalise_record({**BASE, **fields}, "test", 1)


def reject(**fields) -> RecordError:
    with pytest.raises(RecordError) as info:
        norm(**fields)
    return info.value


@pytest.mark.parametrize(
    "value, expected",
    [
        ([7, "15", "Objective 16"], [7, 15, 16]),
        (
            "7. S’attaquer aux facteurs de vulnérabilité liés aux migrations et les réduire; 23. Renforcer",
            [7, 23],
        ),
        ("Assurer l'accès des migrants aux services de base", [15]),
        ("Proporcionar a los migrantes acceso a servicios básicos; Objetivo 20", [15, 20]),
        (
            "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
            [20],
        ),
    ],
)
def test_objectives_from_numbers_or_labels_in_three_languages(value, expected) -> None:
    assert norm(objectives=value).objectives == expected


def test_unknown_objective_is_rejected_with_its_number() -> None:
    error = reject(objectives="15. Provide access to basic services; 31. Provide language courses everywhere")
    assert (error.field, error.reason) == ("objectives", "unknown objective 31")


def test_principles_from_english_french_and_spanish_labels() -> None:
    english = norm(principles=[term.labels["en"] for term in PRINCIPLES.values()]).principles
    french = norm(principles="; ".join(term.labels["fr"] for term in PRINCIPLES.values())).principles
    spanish = norm(principles="; ".join(term.labels["es"] for term in PRINCIPLES.values())).principles
    assert english == french == spanish == list(PRINCIPLES)
    assert norm(principles="Droits de l’homme (259); People centered").principles == [
        "human-rights",
        "people-centred",
    ]
    assert reject(principles="Good vibes").field == "principles"


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            "Process oriented (e.g. convening fully consultative processes in preparing national reports)",
            ["process"],
        ),
        ("Axée sur les processus (par exemple, organisation de processus); structured", ["process"]),
        ("Material (e.g. provision of technical assistance or in kind contribution)", ["technical"]),
        (["material/technical", "policy-oriented", "financial"], ["technical", "policy", "financial"]),
        ("Financiera (por ejemplo, contribución al Fondo Fiduciario)", ["financial"]),
    ],
)
def test_natures_from_the_forms_long_labels(value, expected) -> None:
    assert norm(nature=value).nature == expected


@pytest.mark.parametrize(
    "stated, name, expected, inferred",
    [
        ("Cities, Municipalities, and Local Authority", None, "local_authority", False),
        ("States", None, "member_state", False),
        ("Ciudades, municipios y autoridades locales", None, "local_authority", False),
        ("UN entity", None, "un_entity", False),
        (None, "Ministry of Labour", "member_state", True),
        (None, "Alcaldía de Medellín", "local_authority", True),
        (None, "UNHCR Representation", "un_entity", True),
        ("Something new", "Mairie de Dakar", "local_authority", True),
        ("Something new", "The Friends", "other", False),
        (None, "The Friends", None, False),
    ],
)
def test_entity_types_stated_or_inferred_from_the_name(stated, name, expected, inferred) -> None:
    pledge = norm(entity_type=stated, entity_name=name)
    assert (pledge.entity_type, pledge.entity_type_inferred) == (expected, inferred)


def test_countries_in_three_languages_with_m49_regions() -> None:
    pledge = norm(countries=["Colombia", "Pérou", "Alemania", "Côte d'Ivoire", "Kenya (112)"])
    assert pledge.countries == ["COL", "PER", "DEU", "CIV", "KEN"]
    assert pledge.regions == ["Americas", "Europe", "Africa"]
    assert pledge.subregions == ["Latin America and the Caribbean", "Western Europe", "Sub-Saharan Africa"]
    assert not pledge.countries_inferred


def test_global_and_published_regions_are_values_not_errors() -> None:
    pledge = norm(countries=["Global"], region="Asia and the Pacific")
    assert pledge.countries == [GLOBAL]
    assert pledge.regions == ["Global", "Asia", "Oceania"]
    assert pledge.region_published == "Asia and the Pacific"
    assert norm(countries="Mondial", region="Amérique latine et Caraïbes").subregions == [
        "Latin America and the Caribbean"
    ]
    assert norm(region="Somewhere we never heard of").region_published == "Somewhere we never heard of"


def test_country_name_variants_and_comma_joined_lists() -> None:
    assert norm(countries="Kenya, Uganda; Korea, Republic of").countries == ["KEN", "UGA", "KOR"]
    assert norm(countries=["Korea (South)", "République du Sénégal", "Reino Unido", "Kosovo"]).countries == [
        "KOR",
        "SEN",
        "GBR",
        "XKX",
    ]


def test_unknown_country_is_rejected() -> None:
    error = reject(countries="Atlantis")
    assert (error.field, error.reason) == ("countries", "unknown country 'Atlantis'")
    assert reject(countries="Kenya, Atlantis").reason == "unknown country 'Kenya, Atlantis'"


def test_country_inferred_from_the_entity_name_or_city_when_none_is_given() -> None:
    pledge = norm(
        entity_name="The Mayors Mechanism submitting in the name of the City of Barranquilla",
        countries=["Global"],
    )
    assert (pledge.countries, pledge.countries_inferred) == (["COL", GLOBAL], True)
    assert norm(entity_name="Ministry of Interior of Kenya").countries == ["KEN"]
    assert norm(city="Gaziantep").countries == ["TUR"]
    assert norm(entity_name="Friends of the Earth").countries == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("31 Dec 2024", dt.date(2024, 12, 31)),
        ("31 juil 2024", dt.date(2024, 7, 31)),
        ("31/07/2024", dt.date(2024, 7, 31)),
        ("2024-07-31", dt.date(2024, 7, 31)),
        ("Mon, 08/01/2022 - 10:15", dt.date(2022, 8, 1)),
        ("Tue, 08/02/2022 - 09:00", dt.date(2022, 8, 2)),
        ("dim 31/07/2022 - 22:09", dt.date(2022, 7, 31)),
        ("30 de junio de 2025", dt.date(2025, 6, 30)),
        ("1er février 2026", dt.date(2026, 2, 1)),
        ("December 2025", dt.date(2025, 12, 31)),
    ],
)
def test_dates_to_iso(text, expected) -> None:
    assert norm(deadline=text).deadline == expected


def test_impossible_deadline_is_rejected() -> None:
    error = reject(deadline="31/13/2023")
    assert error.field == "deadline" and "31/13/2023" in error.reason


@pytest.mark.parametrize("text", ["2300-01-01", "01/01/1600", "2263"])
def test_implausible_deadline_is_rejected_not_stored(text: str) -> None:
    error = reject(deadline=text)
    assert error.field == "deadline" and "implausible date" in error.reason


def test_language_declared_is_kept_else_detected() -> None:
    assert (norm(language="es").language, norm(language="es").language_detected) == ("es", False)
    french = norm(description="La mairie ouvre un guichet unique pour les personnes migrantes et leurs familles.")
    assert (french.language, french.language_detected) == ("fr", True)
    assert norm(description="Lawyers advise migrants weekly.").language == "en"  # not Afrikaans
    assert norm(description="A desk.", form_language="Español").language == "es"  # no guess: the form's


def test_ids_from_submission_number_id_or_title() -> None:
    assert norm(submission_number="2291", id="pledge-x").id == "sub-2291"
    assert norm(id="pledge-x").id == "pledge-x"
    assert norm(title="Centre d'intégration locale").id == "pledge-centre-d-integration-locale"
    assert norm(collection="local_action", title="Welcome City").id == "action-welcome-city"


def test_missing_title_or_description_is_rejected() -> None:
    assert (reject(title="  ").field, reject(title=None).reason) == ("title", "missing title")
    assert reject(description="").field == "description"


def test_personal_data_never_reaches_the_record() -> None:
    pledge = normalise_record(
        {
            **BASE,
            "full_name": "Zed Person",
            "email": "zed@example.org",
            "description": "Contact Zed Person at zed@example.org or 203.0.113.9 for details.",
        },
        "test",
        1,
    )
    text = pledge.model_dump_json()
    assert "Zed" not in text and "zed@" not in text and "203.0.113.9" not in text
    assert "[removed]" in pledge.description


def test_synthetic_marker_is_kept() -> None:
    assert norm(synthetic=True).synthetic is True
    assert norm().synthetic is False


def test_seed_submission_2291(shared_dir: Path) -> None:
    seed = shared_dir / "seeds" / "submission_2291_fr.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is absent")
    (raw,) = [r for r in read_path(seed) if isinstance(r, RawRecord)]
    pledge = normalise_record(raw.data, raw.source, raw.line, redact=raw.redact)
    assert pledge.id == "sub-2291"
    assert pledge.title == "Center for the Local Integration of Migrants"
    assert pledge.entity_type == "local_authority"
    assert "COL" in pledge.countries and GLOBAL in pledge.countries
    assert "Latin America and the Caribbean" in pledge.subregions
    assert pledge.objectives == [7, 15, 16, 23]
    assert pledge.principles == list(PRINCIPLES)
    assert pledge.language == "en"
    assert (pledge.deadline, pledge.submitted) == (dt.date(2024, 7, 31), dt.date(2022, 7, 31))
    assert "Pablo" not in pledge.model_dump_json() and "Mariani" not in pledge.model_dump_json()


@pytest.mark.parametrize("name", ["pledges.jsonl", "practices.jsonl"])
def test_every_record_of_the_bundled_corpus_normalises(repo_root: Path, name: str) -> None:
    lines = (repo_root / "data" / "corpus" / name).read_text(encoding="utf-8").splitlines()
    pledges = [normalise_record(json.loads(line), name, n) for n, line in enumerate(lines, 1)]
    assert len({p.id for p in pledges}) == len(lines)


def test_synthetic_pledges_normalise_and_stay_marked(shared_dir: Path) -> None:
    path = shared_dir / "data" / "synthetic_pledges.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    pledges = [normalise_record(json.loads(line), path.name, n) for n, line in enumerate(lines, 1)]
    assert len(pledges) == 360 and all(p.synthetic for p in pledges)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Individual (by one state/actor)", "individual"),
        ("Individuelle (faite par un État/acteur)", "individual"),
        ("Joint (Common pledge)", "joint"),
        ("Conjunta", "joint"),
        ("Annonce de contrepartie", "matching"),
        (None, None),
    ],
)
def test_pledge_types_in_three_languages(text, expected) -> None:
    assert norm(pledge_type=text).pledge_type == expected
