"""One owner for country names: the API's. A record's countries read the same on a search card, on its
record page and in the CSV export, in English, French and Spanish, for the countries whose names two
libraries used to disagree on (GBR, BOL, KOR)."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import CLI, REPO, Server, clean_env, start_api, stop

pytestmark = pytest.mark.slow

RECORDS = Path(__file__).resolve().parent / "fixtures" / "country_names.jsonl"
IDS = {"GBR": "syn-cn-gbr", "BOL": "syn-cn-bol", "KOR": "syn-cn-kor"}


@pytest.fixture(scope="module")
def names_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`pledges serve` over a store of three records, one per country."""
    data_dir = tmp_path_factory.mktemp("country-names-store")
    done = subprocess.run(
        CLI + ["index", str(RECORDS), "--no-progress"],
        env=clean_env(PLEDGES_DATA_DIR=str(data_dir)),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    server = start_api(data_dir, tmp_path_factory.mktemp("country-names-log") / "api.log")
    yield server
    stop(server)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_country_reads_the_same_on_the_card_the_record_page_and_the_export(names_api, run_app, lang) -> None:
    api = names_api.url
    taxonomy = {t["code"]: t["label"] for t in httpx.get(f"{api}/taxonomy", params={"lang": lang}).json()["countries"]}
    hits = {h["id"]: h for h in httpx.get(f"{api}/search", params={"q": "", "lang": lang}).json()["hits"]}
    export = list(csv.DictReader(io.StringIO(httpx.get(f"{api}/export", params={"q": "", "lang": lang}).text)))
    exported = {row["id"]: row["country_names"] for row in export}
    search_page = run_app(api, lang=lang)
    cards = " ".join(h.proto.body for h in search_page.get("html"))
    for code, record_id in IDS.items():
        name = taxonomy[code]
        assert hits[record_id]["country_names"] == [name]
        assert httpx.get(f"{api}/pledges/{record_id}", params={"lang": lang}).json()["country_names"] == [name]
        assert exported[record_id] == name
        assert name.replace("'", "&#x27;") in cards or name in cards, f"{code} card does not say {name!r}"
        record_page = run_app(api, screen="pledge", id=record_id, lang=lang)
        facts = " ".join(h.proto.body for h in record_page.get("html"))
        assert name.replace("'", "&#x27;") in facts or name in facts, f"{code} record page does not say {name!r}"
    assert taxonomy["GBR"] == UNITED_KINGDOM[lang]  # the UN M49 name, in every place


UNITED_KINGDOM = {
    "en": "United Kingdom of Great Britain and Northern Ireland",
    "fr": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
    "es": "Reino Unido de Gran Bretaña e Irlanda del Norte",
}
