"""Mixed search traffic for locust: keyword, semantic and hybrid searches with filters and pages, plus
records, similar records and facets; and an uploader that indexes a file once while the searchers run.

Usable on its own: `locust -f bench/load/locustfile.py --headless -u 20 -r 20 -t 30s -H http://127.0.0.1:8000`
(the uploader needs PLEDGES_API_KEY and `--class-picker` or the `python -m bench.load --upload` wrapper).
"""

from __future__ import annotations

import json
import os
import random
import time
from urllib.parse import urlencode

from locust import FastHttpUser, HttpUser, between, constant, task

QUERIES = [
    "one-stop centre for migrants",
    "guichet unique",
    "ventanilla única",
    "ethical recruitment",
    "recruitment fees",
    "missing migrants",
    "search and rescue",
    "data disaggregated by sex and age",
    "traite des êtres humains",
    "remesas",
    "health care for migrants in transit",
    "language classes refugees",
    "recognition of qualifications",
    "alternatives to detention children",
    "consular assistance",
    "social security portability",
    "xenophobia campaign",
    "pre-departure information",
    "reintegration returnees",
    "legal identity documents",
    "climate displacement",
    "regular pathways labour mobility",
    "integración local de migrantes",
    "accueil des migrants",
    "protection of migrant workers",
    "access to basic services",
    "inclusion and social cohesion",
    "trafficking victims shelter",
    "decent work domestic workers",
    "diaspora investment",
    "border management human rights",
]
EXTRA_WORDS = [
    "city",
    "municipal",
    "women",
    "youth",
    "urban",
    "rural",
    "training",
    "housing",
    "school",
    "employment",
    "health",
    "ciudad",
    "ville",
    "santé",
    "empleo",
]
MODES = ["keyword", "semantic", "hybrid", "hybrid"]
FILTERS = [
    [],
    [],
    [],
    [("objective", "15")],
    [("objective", "6"), ("objective", "7")],
    [("region", "Americas")],
    [("region", "Europe")],
    [("entity_type", "local_authority")],
    [("collection", "practice")],
    [("language", "fr")],
    [("nature", "policy")],
    [("objective", "16"), ("region", "Africa")],
]
UPLOAD_RECORDS = int(os.environ.get("BENCH_UPLOAD_RECORDS", "150"))
THINK_S = float(os.environ.get("BENCH_THINK_S", "0"))  # pause between one user's requests; 0: back to back
UPLOAD_DONE = {"started": None, "ended": None, "report": None, "status": None}


def search_params() -> list[tuple[str, str]]:
    """One random search: a query (a third of them unseen, so the query embedding is not cached), a mode,
    filters and a page."""
    q = random.choice(QUERIES)
    if random.random() < 0.33:
        q = f"{q} {random.choice(EXTRA_WORDS)} {random.randint(1, 10_000)}"
    if random.random() < 0.1:
        q = ""
    params = [
        ("q", q),
        ("mode", random.choice(MODES)),
        ("page", str(random.choice([1, 1, 1, 2, 3]))),
        ("size", random.choice(["10", "10", "20"])),
    ]
    return params + random.choice(FILTERS)


class Searcher(FastHttpUser):
    """A person browsing: mostly searches, sometimes a record, its similar records or the facets.

    On geventhttpclient (FastHttpUser), not requests: the load runs on the machine it measures, and requests'
    client took about a third of a core at 220 requests/s that the API then lacked."""

    wait_time = constant(THINK_S)
    seen_ids: list[str] = []

    @task(10)
    def search(self) -> None:
        params = search_params()
        mode = dict(params)["mode"]
        with self.client.get(f"/search?{urlencode(params)}", name=f"/search [{mode}]", catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}: {resp.text[:200]}")
                return
            hits = resp.json().get("hits", [])
            if hits and len(Searcher.seen_ids) < 500:
                Searcher.seen_ids.append(hits[0]["id"])

    @task(2)
    def similar(self) -> None:
        if Searcher.seen_ids:
            record_id = random.choice(Searcher.seen_ids)
            self.client.get(f"/pledges/{record_id}/similar?k=10", name="/pledges/{id}/similar")

    @task(1)
    def record(self) -> None:
        if Searcher.seen_ids:
            self.client.get(f"/pledges/{random.choice(Searcher.seen_ids)}", name="/pledges/{id}")

    @task(1)
    def facets(self) -> None:
        params = random.choice(FILTERS) + [("lang", random.choice(["en", "fr"]))]
        self.client.get(f"/facets?{urlencode(params)}", name="/facets")


def upload_file(n: int) -> bytes:
    """`n` invented records (marked synthetic), unique to this run so that each one is really embedded."""
    nonce = f"{time.time_ns():x}"
    lines = []
    for i in range(n):
        topic = random.choice(QUERIES)
        lines.append(
            json.dumps(
                {
                    "id": f"bench-upload-{nonce}-{i}",
                    "synthetic": True,
                    "title": f"Load test record {i}: {topic}",
                    "description": f"Invented record {nonce}-{i} for the load check about {topic}, with "
                    f"{' '.join(random.sample(EXTRA_WORDS, 6))} and more words to embed.",
                    "entity_name": "Load Test Org",
                    "entity_type": "Civil society",
                    "countries": ["Global"],
                    "objectives": [random.randint(1, 23)],
                    "language": "en",
                }
            )
        )
    return ("\n".join(lines) + "\n").encode()


class Uploader(HttpUser):
    """Indexes one upload while the searchers run, then idles."""

    fixed_count = 1
    wait_time = between(1, 2)

    @task
    def upload(self) -> None:
        if UPLOAD_DONE["started"] is not None:
            return
        UPLOAD_DONE["started"] = time.time()
        headers = {"X-API-Key": os.environ.get("PLEDGES_API_KEY", "")}
        files = {"file": ("bench.jsonl", upload_file(UPLOAD_RECORDS), "application/x-ndjson")}
        resp = self.client.post("/index", files=files, headers=headers, name="/index [upload]", timeout=600)
        UPLOAD_DONE.update(
            ended=time.time(),
            status=resp.status_code,
            report=resp.json()
            if resp.headers.get("content-type", "").startswith("application/json")
            else resp.text[:200],
        )
