"""How much one record may hold, and what an id and a title look like: the limits every entry path enforces.

Every way a record enters the store (`pledges index`, `POST /index`, `PUT /pledges/{id}`) checks these, and a
record over a limit is rejected with the field and the reason; no path is merely slow. The figures leave ample
room above the real corpus (longest description ~3,300 characters, longest title ~250, at most 10 countries):

| field | limit |
|---|---|
| id | MAX_ID_CHARS characters matching ID_PATTERN |
| title | MAX_TITLE_CHARS characters, with visible text, on one line |
| description | MAX_DESCRIPTION_CHARS characters |
| entity_name, city, region (as published), pledge_type, description_from | MAX_SHORT_TEXT_CHARS characters |
| source_url | MAX_URL_CHARS characters |
| any list (countries, objectives, principles, nature, themes, ...) | MAX_LIST_ITEMS items of MAX_ITEM_CHARS |
| a CSV cell | MAX_CSV_CELL_CHARS characters (the reader refuses the row before it is normalised) |
| JSON nesting | MAX_JSON_DEPTH levels (a record is an object of values and lists: depth 2) |

Snippets are bounded too: at most MAX_SNIPPET_MATCHES matched words of one text are considered for its window.

Pure functions of text only (this module imports nothing of ours), shared by the indexer and the API.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID_CHARS = 200
# ASCII letters and digits, with `.`, `_`, `:` and `-` inside: no spaces, control characters, bidi overrides or
# look-alike letters, so an id reads the same wherever it is printed. `sub-2291`, `pledge-one-stop-centre`.
ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,198}[A-Za-z0-9])?$"
ID_DESCRIPTION = (
    f"ASCII letters and digits, and `.`, `_`, `:`, `-` between them; at most {MAX_ID_CHARS} characters "
    "(e.g. sub-2291, pledge-one-stop-centre)."
)

MAX_TITLE_CHARS = 500
MAX_DESCRIPTION_CHARS = 20_000
MAX_SHORT_TEXT_CHARS = 500
MAX_URL_CHARS = 2_000
MAX_LIST_ITEMS = 300
MAX_ITEM_CHARS = 200
MAX_CSV_CELL_CHARS = 10_000_000
MAX_JSON_DEPTH = 20
MAX_SNIPPET_MATCHES = 200
MAX_FILTER_VALUES = 100  # values of one filter in one request (country=...&country=...)

# Characters limit of each text field of a record (lists: MAX_LIST_ITEMS of MAX_ITEM_CHARS each).
TEXT_LIMITS: dict[str, int] = {
    "id": MAX_ID_CHARS,
    "title": MAX_TITLE_CHARS,
    "description": MAX_DESCRIPTION_CHARS,
    "description_from": MAX_SHORT_TEXT_CHARS,
    "entity_name": MAX_SHORT_TEXT_CHARS,
    "entity_type": MAX_SHORT_TEXT_CHARS,
    "city": MAX_SHORT_TEXT_CHARS,
    "region": MAX_SHORT_TEXT_CHARS,
    "region_published": MAX_SHORT_TEXT_CHARS,
    "pledge_type": MAX_SHORT_TEXT_CHARS,
    "source_url": MAX_URL_CHARS,
    "language": MAX_ITEM_CHARS,
    "deadline": MAX_ITEM_CHARS,
    "submitted": MAX_ITEM_CHARS,
    "collection": MAX_ITEM_CHARS,
}
# Fields that may hold several values (a JSON list, or text split on semicolons and line breaks).
LIST_FIELDS = frozenset(
    {"countries", "other_countries", "region", "regions", "subregions", "objectives", "principles", "nature", "themes"}
)

_ID = re.compile(ID_PATTERN)
# Unicode categories that put nothing on screen: separators, controls, format characters (zero-width spaces,
# bidi marks and overrides), unassigned and private-use code points.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs"})
# Bidi embeddings, overrides and isolates: they reorder what follows on screen (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_valid_id(value: str) -> bool:
    """True when `value` matches ID_PATTERN."""
    return bool(_ID.fullmatch(value))


def has_visible_text(value: str) -> bool:
    """True when at least one character would show on screen (not only spaces, controls or zero-width)."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in value)


def control_characters(value: str, allowed: str = "") -> list[str]:
    """The control and bidi-override characters in `value` (except those in `allowed`), as U+XXXX names."""
    found = {ch for ch in value if ch not in allowed and (unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS)}
    return sorted(f"U+{ord(ch):04X}" for ch in found)


def too_long(field: str, length: int, limit: int) -> str:
    """The reason a value is refused for its length (never quoting it)."""
    return f"{field} is {length:,} characters; the limit is {limit:,}"


def summary() -> str:
    """The limits in one sentence, for the API's documentation."""
    return (
        f"Each record: title at most {MAX_TITLE_CHARS} characters (one line, visible text), description at "
        f"most {MAX_DESCRIPTION_CHARS:,}, entity name, city, region and other short texts at most "
        f"{MAX_SHORT_TEXT_CHARS}, source URL at most {MAX_URL_CHARS:,}, lists at most {MAX_LIST_ITEMS} items "
        f"of at most {MAX_ITEM_CHARS} characters, id {ID_DESCRIPTION.rstrip('.')}; a CSV cell at most "
        f"{MAX_CSV_CELL_CHARS:,} characters, JSON nested at most {MAX_JSON_DEPTH} levels. A record over a "
        "limit is rejected with its field and the reason."
    )
