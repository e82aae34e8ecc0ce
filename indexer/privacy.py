"""Personal data of the person who filled in the form never reaches a stored record.

Readers drop the personal-data fields themselves; this module drops such keys from JSON records and scrubs any
of their values (and any e-mail address, IP address or UUID) that was pasted into the text fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.folding import key

# JSON keys that hold personal data; their values are dropped and scrubbed from the other fields.
PII_KEYS = frozenset(
    {
        "full_name",
        "name",
        "first_name",
        "last_name",
        "surname",
        "submitter",
        "submitter_name",
        "contact",
        "contact_name",
        "contact_person",
        "position",
        "job_title",
        "email",
        "e_mail",
        "email_address",
        "secondary_contact",
        "secondary_contact_person",
        "secondary_email",
        "phone",
        "telephone",
        "ip",
        "ip_address",
        "remote_ip",
        "remote_ip_address",
        "uuid",
        "submission_uuid",
        "submitter_uuid",
        "user_uuid",
        "uid",
    }
)
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b", re.IGNORECASE)
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
REMOVED = "[removed]"


def is_pii_key(name: str) -> bool:
    """True for a JSON key that names personal data ("Full name", "email", "submitter_uuid", ...)."""
    return key(name).replace(" ", "_") in PII_KEYS


def split_pii(data: dict) -> tuple[dict, list[str]]:
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


def scrub(text: str, values: Iterable[str] = ()) -> str:
    """The text with known personal values, e-mail and IP addresses and UUIDs replaced by "[removed]"."""
    for value in sorted({v for v in values if len(v.strip()) >= 4}, key=len, reverse=True):
        text = re.sub(re.escape(value.strip()), REMOVED, text, flags=re.IGNORECASE)
    for pattern in (EMAIL, UUID, IPV6, IPV4):
        text = pattern.sub(REMOVED, text)
    return text
