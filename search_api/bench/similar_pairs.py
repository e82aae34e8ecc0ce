"""Do similar records cross the language border? Recall@10 of judged cross-language pairs.

tests/fixtures/similar_pairs.jsonl holds pairs of records that do the same kind of practice in two languages,
run by different entities, chosen by reading the records of the evaluation corpus (its first line says how).
For each pair, both directions are asked: is B among the 10 records most similar to A? Printed for the
record's own vector alone (the engine before the cross-language legs) and for the fused legs, beside how
often each record's nearest same-language neighbour by vector stays in its top 10 (what must not be lost).

    PLEDGES_DATA_DIR=data/eval-store .venv/bin/python -m search_api.bench.similar_pairs
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from search_api.core.ranking import RankingParams
from search_api.service import SearchService

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "similar_pairs.jsonl"


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """(a, b) of every judged pair (the `about` line skipped)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["a"], row["b"]) for row in rows if "a" in row]


def measure(service: SearchService, params: RankingParams, pairs: list[tuple[str, str]], k: int = 10) -> dict:
    """Twins found in both directions, and same-language nearest neighbours kept, under `params`."""
    backend = service.backend
    saved = backend.params
    backend.params = params
    try:
        found = asked = 0
        kept = checked = 0
        for a, b in pairs:
            for source, twin in ((a, b), (b, a)):
                try:
                    ids = [h.id for h in backend.similar(source, k)]
                except KeyError:
                    continue
                asked += 1
                found += twin in ids
                record = backend.get(source)
                vector = backend.get_vector(source)
                if record is None or vector is None:
                    continue
                same = [i for i, _ in backend.reader().nearest(vector, 30, -1.0) if i != source]
                records = backend.get_many(same)
                nearest = next((i for i in same if i in records and records[i].language == record.language), None)
                if nearest:
                    checked += 1
                    kept += nearest in ids
    finally:
        backend.params = saved
    return {
        "asked": asked,
        "twins_found": found,
        "recall@10": found / asked if asked else 0.0,
        "same_language_nearest_kept": kept / checked if checked else 0.0,
    }


def main(argv: list[str] | None = None) -> None:
    """Print the table (or JSON) for the vector alone and for the fused legs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pairs = read_pairs(args.pairs)
    service = SearchService()
    try:
        params = service.backend.params
        rows = {
            "vector only (before)": measure(service, params.with_(similar_other_languages_share=0.0), pairs),
            "fused legs (now)": measure(service, params, pairs),
        }
    finally:
        service.close()
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=f"Cross-language twins among the 10 most similar ({len(pairs)} pairs, both directions)")
    for column in ("similar()", "asked", "twins found", "recall@10", "same-language nearest kept"):
        table.add_column(column)
    for name, row in rows.items():
        table.add_row(
            name,
            str(row["asked"]),
            str(row["twins_found"]),
            f"{row['recall@10']:.3f}",
            f"{row['same_language_nearest_kept']:.3f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
