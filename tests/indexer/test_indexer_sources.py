"""Readers: each file becomes records with their line or row, or one rejection; personal data never passes."""

from __future__ import annotations

from pathlib import Path

from indexer.sources import RawRecord, read_bytes, read_path, read_paths
from models.schemas import Rejection


def _split(items) -> tuple[list[RawRecord], list[Rejection]]:
    items = list(items)
    return [i for i in items if isinstance(i, RawRecord)], [i for i in items if isinstance(i, Rejection)]


def test_csv_with_bom_numbers_rows_as_a_spreadsheet_and_keeps_quoted_line_breaks(fixtures_dir: Path) -> None:
    path = fixtures_dir / "broken_rows.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    records, rejections = _split(read_path(path))
    assert rejections == []
    assert [r.line for r in records] == [2, 3, 4, 5, 6, 7]
    first = records[0].data
    assert first["submission_number"] == "5101"  # the BOM did not hide the first header label
    assert first["description"].count("\n") == 2 and first["description"].endswith("twice a week.")
    assert "g.invented@example.org" not in str(first) and "G. Invented" not in str(first)


def test_csv_headers_in_french_and_spanish_with_hints_are_recognised(tmp_path: Path) -> None:
    csv_text = (
        "Numéro de soumission;Intitulé de l'annonce de contribution;"
        "Veuillez décrire l'annonce de contribution "
        "(500 mots au plus);Pays de mise en œuvre;Adresse électronique\n"
        "77;Cours de langue;La ville offre des cours de langue.;Belgique;x@example.org\n"
    )
    records, rejections = _split(read_bytes(csv_text.encode(), "fr_export.csv"))
    assert rejections == []
    assert records[0].data == {
        "submission_number": "77",
        "title": "Cours de langue",
        "description": "La ville offre des cours de langue.",
        "countries": "Belgique",
    }
    spanish = "TÍTULO DEL COMPROMISO,Describa el compromiso,País de implementación\nCasa,Una casa.,Perú\n"
    records, _ = _split(read_bytes(spanish.encode(), "es_export.csv"))
    assert records[0].data == {"title": "Casa", "description": "Una casa.", "countries": "Perú"}


def test_empty_file_is_one_rejection_saying_so(fixtures_dir: Path) -> None:
    records, rejections = _split(read_path(fixtures_dir / "bad" / "empty.jsonl"))
    assert records == []
    assert [(r.line, r.reason) for r in rejections] == [(None, "file is empty")]


def test_unknown_format_is_one_rejection_for_the_file(fixtures_dir: Path) -> None:
    records, rejections = _split(read_path(fixtures_dir / "bad" / "notes.xml"))
    assert records == []
    assert len(rejections) == 1 and rejections[0].reason.startswith("unknown format")
    records, rejections = _split(read_bytes(b"\x00\x01\x02binary", "blob.bin"))
    assert records == [] and rejections[0].reason == "unknown format: binary file"


def test_malformed_json_line_rejects_that_line_only(fixtures_dir: Path) -> None:
    records, rejections = _split(read_path(fixtures_dir / "small.jsonl"))
    assert [r.line for r in records] == [1, 2, 4]
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [(3, "malformed JSON")]


def test_french_view_with_glued_labels(fixtures_dir: Path) -> None:
    records, rejections = _split(read_path(fixtures_dir / "views" / "submission_4102_fr.txt"))
    assert rejections == [] and len(records) == 1
    data = records[0].data
    assert data["submission_number"] == "4102"
    assert data["entity_name"] == "Mairie de Kayes"
    assert data["entity_type"] == "Cities, Municipalities, and Local Authority"
    assert data["title"] == "Guichet d'accueil des migrants de retour"
    assert data["deadline"] == "31 déc 2025"  # the Kosovo footnote below it is not part of the value
    assert data["description"].startswith("La mairie ouvre") and "Deux agents" in data["description"]
    assert "Awa" not in str(data) and "example.org" not in str(data)
    assert records[0].field_lines["title"] == 14


def test_english_view_drops_personal_data_and_form_metadata(fixtures_dir: Path) -> None:
    records, _ = _split(read_path(fixtures_dir / "views" / "submission_4102_en.txt"))
    data = records[0].data
    text = str(data)
    for secret in (
        "Awa Inventée",
        "awa.inventee@example.org",
        "198.51.100.23",
        "7d3c2b1a",
        "Chargée de mission",
    ):
        assert secret not in text
    assert data["countries"] == "Mali (131)"  # term ids are the normaliser's to strip
    assert data["principles"] == "People-centred (738); Human rights (259); Whole-of-society approach (744)"
    assert "other_countries" not in data  # "{Empty}"


def test_spanish_view_with_colon_labels(fixtures_dir: Path) -> None:
    records, _ = _split(read_path(fixtures_dir / "views" / "envio_4103_es.txt"))
    data = records[0].data
    assert data["submission_number"] == "4103"
    assert data["title"] == "Casa de acogida para familias migrantes en tránsito"
    assert data["deadline"] == "30 de junio de 2025"
    assert "Persona Inventada" not in str(data) and "Coordinadora" not in str(data)


def test_a_description_line_starting_like_a_short_label_stays_in_the_description() -> None:
    view = (
        "Submission #12\nName of the pledge: Jobs\nPlease describe the pledge: First line.\n"
        "Postes de travail pour les migrants.\nPosition papers will follow.\n"
    )
    records, _ = _split(read_bytes(view.encode(), "view.txt"))
    assert records[0].data["description"] == (
        "First line.\nPostes de travail pour les migrants.\nPosition papers will follow."
    )


def test_folders_are_read_recursively_with_one_rejection_per_unreadable_file(fixtures_dir: Path) -> None:
    records, rejections = _split(read_paths([fixtures_dir, fixtures_dir / "missing.jsonl"]))
    sources = {Path(r.source).name for r in records}
    assert sources == {
        "broken_rows.csv",
        "small.jsonl",
        "submission_4102_fr.txt",
        "submission_4102_en.txt",
        "envio_4103_es.txt",
    }
    reasons = sorted((Path(r.source).name, r.reason.split(":")[0]) for r in rejections)
    assert reasons == [
        ("empty.jsonl", "file is empty"),
        ("missing.jsonl", "no such file or folder"),
        ("notes.xml", "unknown format"),
        ("small.jsonl", "malformed JSON"),
    ]
