"""Search results as data, to prove that a change of code changed no result.

`python -m search_api.bench.snapshot --queries Q.jsonl --out before.json` runs every query in every mode with
a few variants (second page, a filter, a sort, weighted fusion, export, similar records) against the store of
the current settings and writes hits (ids, scores, snippets), totals and facets; `--compare before.json`
runs the same and reports every difference. Timings are left out: everything else must be byte-identical.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from models.schemas import Filters, SearchRequest
from search_api.service import SearchService

VARIANTS: dict[str, dict[str, Any]] = {
    "page1": {},
    "page2": {"page": 2},
    "lang_es": {"filters": Filters(language=["es"])},
    "practices": {"filters": Filters(collection=["practice"], synthetic=False)},
    "newest": {"sort": "newest"},
    "weighted": {"fusion": "weighted"},
    "fr_labels": {"lang": "fr", "facet_size": 5},
}


def read_queries(path: Path) -> list[str]:
    """Query texts of a JSON Lines file, plus a blank query and a few that hit edge cases."""
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return ["", "migrants", 'title:"one-stop" AND NEAR( *', "zzzxqv nonsense", *texts]


def snapshot(service: SearchService, queries: list[str]) -> dict[str, Any]:
    """Every response of every query, mode and variant, without timings."""
    out: dict[str, Any] = {}
    for q in queries:
        for mode in ("keyword", "semantic", "hybrid"):
            for name, fields in VARIANTS.items():
                response = service.search(SearchRequest(q=q, mode=mode, **fields))
                out[f"{mode}|{name}|{q}"] = response.model_dump(mode="json", exclude={"took_ms"})
            exported = service.export(SearchRequest(q=q, mode=mode))
            out[f"{mode}|export|{q}"] = [p.id for p in exported]
    first = service.search(SearchRequest(q="", size=5, facets=False)).hits
    for hit in first:
        for countries, entities in ((False, False), (True, False), (False, True)):
            similar = service.similar(hit.id, 10, other_countries=countries, other_entities=entities)
            options = [name for name, on in (("other_countries", countries), ("other_entities", entities)) if on]
            out[f"similar|{hit.id}|{options}"] = similar.model_dump(mode="json")
    return out


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Keys whose value changed, appeared or disappeared."""
    keys = sorted(set(before) | set(after))
    return [k for k in keys if before.get(k) != after.get(k)]


def main(argv: list[str] | None = None) -> int:
    """Write a snapshot, or compare against one (exit 1 on any difference)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args(argv)
    service = SearchService()
    try:
        data = snapshot(service, read_queries(args.queries))
    finally:
        service.close()
    if args.out:
        args.out.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        print(f"{len(data)} responses written to {args.out}")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        changed = differences(before, data)
        print(f"{len(data)} responses compared with {args.compare}: {len(changed)} differ")
        for key in changed[:20]:
            print("  differs:", key)
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
