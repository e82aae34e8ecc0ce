"""Personal data of the person who filled in the form never reaches a stored record.

`PERSONAL_FIELDS` is the one list of the webform's personal-data fields: for each, its JSON keys and every label
the UN Network prints for it, in English, French and Spanish. The readers recognise those labels (CSV headers,
text-view lines in every shape: "Label: value", "Label : value", "Labelvalue" glued, the label alone with its
value on the next line) and keep the values only to scrub them; `split_pii` drops the keys from JSON records.

`scrub` then replaces, in any text, the personal values seen in the same record, a title followed by one of their
names ("Mr. Mariani"), and any e-mail address, IP address or UUID. Every pattern runs in linear time: an e-mail
match may only start where a word starts (so a long word is scanned once, not once per character), and the other
patterns have bounded repetitions. `bench/attacks.py` times them on 1 MB words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from indexer.folding import key

# field -> {"keys": JSON keys, "en"/"fr"/"es": labels as the webform prints them}. Labels are matched case- and
# accent-insensitively (see indexer/sources/labels.py), so one spelling per label is enough.
PERSONAL_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "full_name": {
        "keys": ("full_name", "name", "first_name", "last_name", "surname", "submitter", "submitter_name"),
        "en": ("Full name", "Name and surname"),
        "fr": ("Nom et prénom(s)", "Nom complet", "Prénom et nom"),
        "es": ("Nombre completo", "Nombre y apellido(s)"),
    },
    "position": {
        "keys": ("position", "job_title", "title_of_submitter"),
        "en": ("Position", "Job title"),
        "fr": ("Fonction", "Poste"),
        "es": ("Cargo", "Puesto"),
    },
    "email": {
        "keys": ("email", "e_mail", "email_address", "mail"),
        "en": ("Email Address", "E-mail address", "Email", "E-mail"),
        "fr": ("Adresse électronique", "Adresse e-mail", "Courriel"),
        "es": ("Correo electrónico", "Dirección de correo electrónico", "Correo"),
    },
    "secondary_contact": {
        "keys": ("contact", "contact_name", "contact_person", "secondary_contact", "secondary_contact_person"),
        "en": ("Secondary contact person", "Contact person"),
        "fr": ("Personne de contact secondaire", "Personne de contact"),
        "es": ("Persona de contacto secundaria", "Persona de contacto"),
    },
    "secondary_email": {
        "keys": ("secondary_email",),
        "en": ("Secondary email", "Secondary e-mail address"),
        "fr": ("Adresse électronique secondaire", "Courriel secondaire"),
        "es": ("Correo electrónico secundario",),
    },
    "phone": {
        "keys": ("phone", "telephone", "phone_number"),
        "en": ("Phone", "Telephone", "Phone number"),
        "fr": ("Téléphone", "Numéro de téléphone"),
        "es": ("Teléfono", "Número de teléfono"),
    },
    "ip_address": {
        "keys": ("ip", "ip_address", "remote_ip", "remote_ip_address"),
        "en": ("Remote IP address", "IP address"),
        "fr": ("Adresse IP distante", "Adresse IP"),
        "es": ("Dirección IP remota", "Dirección IP"),
    },
    "uuid": {
        "keys": ("uuid", "submission_uuid", "submitter_uuid", "user_uuid", "uid"),
        "en": ("Submission UUID",),
        "fr": ("UUID de la soumission",),
        "es": ("UUID de envío",),
    },
}
LANGUAGES = ("en", "fr", "es")


def personal_labels() -> tuple[str, ...]:
    """Every label of every personal-data field, in the three languages."""
    return tuple(label for spec in PERSONAL_FIELDS.values() for lang in LANGUAGES for label in spec[lang])


def _json_key(name: str) -> str:
    return key(name).replace(" ", "_")


# JSON keys that hold personal data: the declared ones and each label written as a key ("Nom complet").
PII_KEYS = frozenset(
    {k for spec in PERSONAL_FIELDS.values() for k in spec["keys"]} | {_json_key(lb) for lb in personal_labels()}
)
# Where an e-mail may start: not right after a character that could belong to it (see the module docstring).
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]++@[\w\-]++(?:\.[\w\-]++)++")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b", re.IGNORECASE)
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
REMOVED = "[removed]"
MIN_VALUE_CHARS = 4  # shorter personal values ("Li", "n/a") would scrub ordinary words
MAX_VALUE_CHARS = 500  # a longer "personal value" is a misplaced paragraph: scrubbing it would cost, not help

# Titles of address in en/fr/es: "Mr. Mariani", "Mme Inventée", "Sra. Pérez" name a person by one name.
HONORIFICS = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Madam", "Dame", "Lord", "Lady",
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Pr",
    "Sr", "Sra", "Srta", "Sres", "Don", "Doña", "Dña", "Dra", "Lic", "Ing",
)  # fmt: skip
_PARTICLES = frozenset(
    {
        "de",
        "del",
        "der",
        "den",
        "la",
        "le",
        "les",
        "los",
        "las",
        "da",
        "das",
        "do",
        "dos",
        "di",
        "du",
        "van",
        "von",
        "y",
        "e",
        "el",
        "al",
        "bin",
        "ben",
        "ibn",
        "mac",
        "st",
    }
)
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-])*")


def is_pii_key(name: str) -> bool:
    """True for a JSON key that names personal data ("Full name", "email", "submitter_uuid", ...)."""
    return _json_key(name) in PII_KEYS


def split_pii(data: Mapping[str, Any]) -> tuple[dict, list[str]]:
    """(the record without personal-data keys, the values those keys held)."""
    kept: dict = {}
    values: list[str] = []
    for name, value in data.items():
        if is_pii_key(str(name)):
            if isinstance(value, str) and value.strip():
                values.append(value.strip())
        else:
            kept[name] = value
    return kept, values


def _name_parts(values: Iterable[str]) -> list[str]:
    """Words of the personal values that could be a name after a title: two letters or more, no particles."""
    parts: set[str] = set()
    for value in values:
        for word in _NAME_WORD.findall(value):
            if len(word) >= 2 and word.lower() not in _PARTICLES:
                parts.add(word)
    return sorted(parts, key=len, reverse=True)


def _titled_names(parts: list[str]) -> re.Pattern[str] | None:
    if not parts:
        return None
    titles = "|".join(sorted(HONORIFICS, key=len, reverse=True))
    names = "|".join(re.escape(p) for p in parts)
    return re.compile(rf"\b(?:{titles})\.?\s{{1,3}}(?:{names})\b", re.IGNORECASE)


def scrub(text: str, values: Iterable[str] = ()) -> str:
    """The text with known personal values, a title followed by one of their names ("Mr. Mariani"), e-mail and
    IP addresses and UUIDs replaced by "[removed]"."""
    known = sorted(
        {v.strip() for v in values if MIN_VALUE_CHARS <= len(v.strip()) <= MAX_VALUE_CHARS}, key=len, reverse=True
    )
    if known:
        text = re.sub("|".join(re.escape(v) for v in known), REMOVED, text, flags=re.IGNORECASE)
        titled = _titled_names(_name_parts(known))
        if titled is not None:
            text = titled.sub(REMOVED, text)
    if "@" in text:
        text = EMAIL.sub(REMOVED, text)
    for pattern in (UUID, IPV6, IPV4):
        text = pattern.sub(REMOVED, text)
    return text


# Free-text fields of a record: scrubbed on every write path (indexer and PUT alike).
SCRUBBED_FIELDS = ("title", "description", "description_from", "entity_name", "city", "region_published", "source_url")
SCRUBBED_LISTS = ("themes",)


def scrub_fields(record: Mapping[str, Any], values: Iterable[str] = ()) -> dict[str, Any]:
    """A copy of a record's fields with every free-text field scrubbed (see `scrub`)."""
    secrets = list(values)
    out = dict(record)
    for name in SCRUBBED_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = scrub(out[name], secrets)
    for name in SCRUBBED_LISTS:
        if isinstance(out.get(name), list):
            out[name] = [scrub(v, secrets) if isinstance(v, str) else v for v in out[name]]
    return out
