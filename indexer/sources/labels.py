"""The webform's question labels in English, French and Spanish, mapped to the record's field names.

The CSV export's header row and the submission text view both name fields by these labels. Labels are matched
case- and accent-insensitively and by prefix (a header may add a hint such as "(max 500 words)"; a view may
glue the value to the label). Personal data fields are recognised only so that their values can be dropped.
"""

from __future__ import annotations

from functools import lru_cache

from indexer.folding import fold, fold_same_length
from indexer.privacy import personal_labels

# Field names (those of the JSON Lines schema where one exists) -> labels as the form prints them.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "submission_number": (
        "Submission Number",
        "Numéro de soumission",
        "Numéro de la soumission",
        "Número de envío",
        "Número de presentación",
    ),
    "entity_name": (
        "Name of entity submitting the pledge",
        "Name of the State/actor making the pledge",
        "Nom de l'État/acteur qui fait l'annonce (veuillez indiquer le site Web, le cas échéant)",
        "Nom de l'entité qui soumet l'annonce",
        "Nombre del Estado/actor que formula el compromiso (indique el sitio web, si procede)",
        "Nombre de la entidad que presenta el compromiso",
    ),
    "entity_type": (
        "Pledging entity",
        "Entité qui fait l'annonce",
        "Type d'entité",
        "Entidad que formula el compromiso",
        "Entidad que presenta el compromiso",
        "Tipo de entidad",
    ),
    "countries": (
        "Country of implementation",
        "Pays de mise en œuvre",
        "País de implementación",
        "País de ejecución",
    ),
    "other_countries": (
        "Other country of implementation",
        "Other countries of implementation",
        "Autre pays de mise en œuvre",
        "Autres pays de mise en œuvre",
        "Otro país de implementación",
        "Otros países de implementación",
        "Otro país de ejecución",
    ),
    "region": (
        "Region of implementation",
        "Région de mise en œuvre",
        "Región de implementación",
        "Región de ejecución",
    ),
    "title": (
        "Name of the pledge",
        "Title of the pledge",
        "Intitulé de l'annonce de contribution",
        "Titre de l'annonce",
        "Título del compromiso",
        "Nombre del compromiso",
    ),
    "pledge_type": (
        "Type of pledge (please select)",
        "Type d'annonce de contribution (veuillez cocher la case correspondante)",
        "Tipo de compromiso (marque la casilla correspondiente)",
        "Tipo de compromiso",
    ),
    "nature": (
        "Nature of the pledge",
        "Nature de l'annonce (veuillez cocher la case correspondante)",
        "Nature de l'annonce",
        "Naturaleza del compromiso (marque la casilla correspondiente)",
        "Naturaleza del compromiso",
    ),
    "objectives": (
        "Please select the main three GCM objectives the pledge is/are meant to support",
        "Please indicate the GCM objective(s) the pledge is meant to support",
        "Veuillez indiquer le ou les objectifs du Pacte mondial auxquels l'annonce est censée contribuer.",
        "Indique el objetivo u objetivos del Pacto Mundial a los que el compromiso pretende contribuir",
        "Seleccione los tres objetivos principales del Pacto Mundial que el compromiso pretende apoyar",
    ),
    "principles": (
        "Please indicate which GCM Guiding Principle is/are particularly relevant for the pledge",
        "Veuillez indiquer le ou les principes directeurs du Pacte mondial qui sont particulièrement "
        "pertinents pour l'annonce de contribution.",
        "Indique el principio o principios rectores del Pacto Mundial que son particularmente "
        "pertinentes para el compromiso",
    ),
    "description": (
        "Please describe the pledge",
        "Veuillez décrire l'annonce de contribution",
        "Describa el compromiso",
        "Sírvase describir el compromiso",
    ),
    "deadline": (
        "Please indicate an indicative timeline for the fulfilment of the pledge",
        "Veuillez indiquer un délai indicatif pour la réalisation de l'annonce de contribution",
        "Indique un plazo indicativo para el cumplimiento del compromiso",
    ),
    "submitted": ("Created", "Créé", "Creado"),
    "form_language": ("Language", "Langue", "Idioma"),
    # Form metadata we read past.
    "_ignored": (
        "Submission ID",
        "Submission URI",
        "Completed",
        "Changed",
        "Is draft",
        "Flagged",
        "Is the country of the pledging entity a GCM Champion country?",
        "Is this a mirror pledge",
        "Terminé",
        "Modifié",
        "Brouillon",
        "Signalé",
        "ID de la soumission",
        "URI de la soumission",
        "Le pays de l'entité qui fait l'annonce est-il un pays champion",
        "S'agit-il d'une annonce miroir",
        "Completado",
        "Modificado",
        "Es borrador",
        "Marcado",
        "ID de envío",
        "URI de envío",
        "¿Es el país de la entidad un país campeón del Pacto Mundial?",
        "¿Es un compromiso espejo",
    ),
    # Personal data of the person who filled in the form: recognised only to be dropped. The labels live in
    # one place, indexer/privacy.py (PERSONAL_FIELDS), with the JSON keys of the same fields.
    "_pii": personal_labels(),
}

# Column names of the JSON Lines schema, accepted as CSV headers too.
SCHEMA_FIELDS = (
    "id",
    "collection",
    "title",
    "description",
    "description_from",
    "entity_name",
    "entity_type",
    "entity_type_inferred",
    "countries",
    "city",
    "region",
    "objectives",
    "principles",
    "nature",
    "pledge_type",
    "themes",
    "deadline",
    "submitted",
    "language",
    "source_url",
    "synthetic",
)

# Fields whose value may run over several lines of a text view.
MULTILINE_FIELDS = frozenset({"description", "entity_name", "title", "objectives", "principles"})

_MIN_TRUNCATED = 12  # a header shorter than the label counts only when this long and unambiguous
_MIN_GLUED = 12  # labels this long may have any value glued on; shorter personal-data labels ("Poste",
# "Cargo") only a value that starts a new word or is an e-mail: "Poste" must not eat "Postes de ..."


@lru_cache(maxsize=1)
def _folded_labels() -> list[tuple[str, str]]:
    """(folded label, field) pairs, longest first, so the most specific label wins."""
    pairs = [(fold(label).rstrip(":"), name) for name, labels in FIELD_LABELS.items() for label in labels]
    return sorted(pairs, key=lambda p: -len(p[0]))


def match_header(cell: str) -> str | None:
    """Field named by a CSV header cell, or None when the header is unknown."""
    folded = fold(cell).rstrip(": ")
    if folded in SCHEMA_FIELDS:
        return folded
    for label, name in _folded_labels():
        if folded == label or folded.startswith(label):
            return name
    if len(folded) >= _MIN_TRUNCATED:
        names = {name for label, name in _folded_labels() if label.startswith(folded)}
        if len(names) == 1:
            return names.pop()
    return None


def match_line(line: str) -> tuple[str, str] | None:
    """(field, value) when a text-view line starts with a known label, else None.

    A label counts when a colon follows it, when the value is glued to it ("Pledging entityCities"), or when
    it is the whole line; a label followed by a space and more words is ordinary text ("Position papers ...").
    """
    folded = fold_same_length(line)
    for label, name in _folded_labels():
        if not folded.startswith(label):
            continue
        rest = line[len(label) :]
        stripped = rest.lstrip()
        if stripped.startswith(":"):
            return name, stripped[1:].strip()
        if not rest.strip():
            return name, ""
        if rest[0].isspace():
            continue
        if len(label) >= _MIN_GLUED or (name == "_pii" and _glued_personal_value(rest)):
            return name, rest.strip()
    return None


def _glued_personal_value(rest: str) -> bool:
    """True when `rest`, glued to a short personal-data label, reads as its value: it starts a new word
    ("PosteDirectrice", "Teléfono+34 600", "Cargo2nd secretary") or holds an e-mail address
    ("Courriela.b@example.org"); "Postes de travail", "Poste-frontière" and "Fonctionnement" stay text."""
    first = rest.split(None, 1)[0]
    return rest[0].isupper() or rest[0].isdigit() or rest[0] in "+(" or "@" in first
