"""Dates as sources write them, to ISO: "31 Dec 2024", "31 juil 2024", "31 de julio de 2024", "31/07/2024",
"2024-07-31", and the webform's "Mon, 08/01/2022 - 10:15" (month first in English views: the weekday decides).
"""

from __future__ import annotations

import datetime as dt
import re

from indexer.folding import fold
from models.schemas import EARLIEST_DATE, LATEST_DATE

MONTHS = {
    1: ("jan", "january", "janv", "janvier", "ene", "enero"),
    2: ("feb", "february", "fev", "fevr", "fevrier", "febrero"),
    3: ("mar", "march", "mars", "marzo"),
    4: ("apr", "april", "avr", "avril", "abr", "abril"),
    5: ("may", "mai", "mayo"),
    6: ("jun", "june", "juin", "junio"),
    7: ("jul", "july", "juil", "juillet", "julio"),
    8: ("aug", "august", "aou", "aout", "ago", "agosto"),
    9: ("sep", "sept", "september", "septembre", "septiembre", "setiembre"),
    10: ("oct", "october", "octobre", "octubre"),
    11: ("nov", "november", "novembre", "noviembre"),
    12: ("dec", "december", "decembre", "dic", "diciembre"),
}
_MONTH_NAMES = {name: number for number, names in MONTHS.items() for name in names}
WEEKDAYS = {  # Monday = 0, as datetime.weekday()
    0: ("mon", "monday", "lun", "lundi", "lunes"),
    1: ("tue", "tues", "tuesday", "mar", "mardi", "martes"),
    2: ("wed", "wednesday", "mer", "mercredi", "mie", "miercoles"),
    3: ("thu", "thursday", "jeu", "jeudi", "jue", "jueves"),
    4: ("fri", "friday", "ven", "vendredi", "vie", "viernes"),
    5: ("sat", "saturday", "sam", "samedi", "sab", "sabado"),
    6: ("sun", "sunday", "dim", "dimanche", "dom", "domingo"),
}
_WEEKDAY_NAMES: dict[str, set[int]] = {}
for _day, _names in WEEKDAYS.items():
    for _name in _names:
        _WEEKDAY_NAMES.setdefault(_name, set()).add(_day)

_ENGLISH_WEEKDAYS = {
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?$")
_NUMERIC = re.compile(r"^(?:([a-z]+)\.?,?\s+)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:\s*-?\s*\d{1,2}:\d{2}.*)?$")
_DAY_MONTH_YEAR = re.compile(
    r"^(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:er|st|nd|rd|th)?\s+(?:de\s+)?([a-z]+)\.?,?\s+"
    r"(?:de\s+|del\s+)?(\d{4})$"
)
_MONTH_DAY_YEAR = re.compile(r"^(?:[a-z]+\.?,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(?:de\s+)?(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")

# Dates outside models.schemas' EARLIEST_DATE..LATEST_DATE are typos ("2300") that the engine could not store
# (tantivy keeps dates as nanoseconds: 1677 to 2262): one such record is rejected on its own, not its batch.


class DateError(ValueError):
    """A text that is not a date we can read."""


def parse_date(value: object) -> dt.date | None:
    """An ISO date from the forms' many spellings; None for blank; DateError when unreadable, impossible or
    outside EARLIEST_DATE..LATEST_DATE."""
    found = _parse(value)
    if found is not None and not EARLIEST_DATE <= found <= LATEST_DATE:
        raise DateError(
            f"implausible date {found.isoformat()} (dates run from {EARLIEST_DATE.year} to {LATEST_DATE.year})"
        )
    return found


def _parse(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = fold(str(value))
    if not text:
        return None
    for parse in (_iso, _numeric, _named):
        found = parse(text)
        if found is not None:
            return found
    raise DateError(f"unreadable date '{str(value).strip()[:40]}'")


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _iso(text: str) -> dt.date | None:
    m = _ISO.match(text)
    if not m:
        return None
    found = _make(int(m[1]), int(m[2]), int(m[3]))
    if found is None:
        raise DateError(f"impossible date '{text[:40]}'")
    return found


def _numeric(text: str) -> dt.date | None:
    m = _NUMERIC.match(text)
    if not m:
        return None
    weekday, a, b, year = m[1], int(m[2]), int(m[3]), int(m[4])
    year += 2000 if year < 100 else 0
    day_first, month_first = _make(year, b, a), _make(year, a, b)
    candidates = [d for d in (day_first, month_first) if d is not None]
    if weekday and weekday in _WEEKDAY_NAMES:
        matching = [d for d in candidates if d.weekday() in _WEEKDAY_NAMES[weekday]]
        candidates = matching or candidates
        if weekday in _ENGLISH_WEEKDAYS:  # Drupal's English view writes "Tue, 08/02/2022": month first
            candidates.reverse()
    if not candidates:
        raise DateError(f"impossible date '{text[:40]}'")
    return candidates[0]  # day first (as the UN forms write it) unless the weekday says otherwise


def _named(text: str) -> dt.date | None:
    if m := _DAY_MONTH_YEAR.match(text):
        day, month, year = int(m[1]), _MONTH_NAMES.get(m[2]), int(m[3])
    elif m := _MONTH_DAY_YEAR.match(text):
        month, day, year = _MONTH_NAMES.get(m[1]), int(m[2]), int(m[3])
    elif m := _MONTH_YEAR.match(text):  # "December 2025": the deadline is the end of that month
        month, year = _MONTH_NAMES.get(m[1]), int(m[2])
        if month is None:
            return None
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    elif m := _YEAR.match(text):
        return dt.date(int(m[1]), 12, 31)
    else:
        return None
    if month is None:
        return None
    found = _make(year, month, day)
    if found is None:
        raise DateError(f"impossible date '{text[:40]}'")
    return found
