"""The CSV a user downloads from the Search page: the API's export (GET /export, codes, for programs) with its
headers and values said in the interface language, by the labels the API gives (/taxonomy, and the export's own
`country_names` column). A spreadsheet opens it as UTF-8 (byte-order mark) with one row per record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from models.taxonomy import LANGUAGE_NAMES
from ui.context import Labels
from ui.i18n import t

LIST_SEPARATOR = "; "  # how the API's CSV joins several values in one cell


def _each(convert: Callable[[str], str]) -> Callable[[str], str]:
    """A converter of one value, applied to every value of a list cell."""

    def cell(text: str) -> str:
        return LIST_SEPARATOR.join(convert(v) for v in text.split(LIST_SEPARATOR) if v)

    return cell


def columns(labels: Labels, lang: str) -> list[tuple[str, str, Callable[[str], str]]]:
    """(API column, header in `lang`, value converter) for every column of the labelled file, in order."""

    def language(code: str) -> str:
        names = LANGUAGE_NAMES.get(code)
        return (names.get(lang) or names["en"]) if names else code

    def keep(text: str) -> str:
        return text

    return [
        ("id", t("csv_id", lang), keep),
        ("collection", t("collection", lang), lambda c: labels.collections.get(c, c)),
        ("title", t("csv_title", lang), keep),
        ("entity_name", t("entity", lang), keep),
        ("entity_type", t("entity_type", lang), lambda c: labels.entity_types.get(c, c)),
        ("country_names", t("countries", lang), keep),
        ("regions", t("regions", lang), _each(lambda c: labels.regions.get(c, c))),
        ("objectives", t("objectives", lang), _each(labels.objective_chip)),
        ("principles", t("principles", lang), _each(lambda c: labels.principles.get(c, c))),
        ("nature", t("nature", lang), _each(lambda c: labels.natures.get(c, c))),
        ("deadline", t("deadline", lang), keep),
        ("language", t("text_language", lang), language),
        ("synthetic", t("csv_synthetic", lang), lambda v: t("yes" if v == "true" else "no", lang)),
        ("source_url", t("source", lang), keep),
        ("description", t("description", lang), keep),
    ]


def labelled_csv(api_csv: bytes, labels: Labels, lang: str) -> bytes:
    """The API's CSV with headers and values in `lang`; cells keep the API's defusing of formulas (a label
    never starts with one)."""
    reader = csv.DictReader(io.StringIO(api_csv.decode("utf-8")))
    spec = columns(labels, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _, header, _ in spec])
    for row in reader:
        writer.writerow([convert(row.get(name) or "") for name, _, convert in spec])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
