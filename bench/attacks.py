"""Attack timings: `python -m bench.attacks [--budget 120]` prints how long the inputs of issue 13 cost.

Each case runs in its own subprocess under a wall-clock budget, so a quadratic case shows as "> budget" instead
of holding the table hostage (a regex engine cannot be interrupted from Python). The same script runs against
any checkout of the project (set PYTHONPATH to it), which is how the "before" column of the issue's table was
measured. Figures are wall-clock seconds on whatever else the machine is doing: compare orders of magnitude,
not digits. Tests never assert times; they assert behaviour on the same inputs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

CASES: dict[str, tuple[str, Callable[[], str]]] = {}


def case(name: str, what: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register a case: a function that does the work once and returns a short outcome."""

    def register(fn: Callable[[], str]) -> Callable[[], str]:
        CASES[name] = (what, fn)
        return fn

    return register


def _scrub(chars: int, unit: str = "a") -> str:
    from indexer.privacy import scrub

    token = (unit * (chars // len(unit) + 1))[:chars]
    out = scrub(token)
    return f"{len(out):,} chars out"


for _chars in (40_000, 100_000, 1_000_000):
    case(f"scrub-word-{_chars // 1000}k", f"scrub one {_chars:,}-char word (no @)")(lambda n=_chars: _scrub(n))
case("scrub-dots-1m", "scrub one 1,000,000-char word of 'a.' (e-mail-like, no @)")(lambda: _scrub(1_000_000, "a."))
case("scrub-ats-1m", "scrub one 1,000,000-char word of 'a@' (many @)")(lambda: _scrub(1_000_000, "a@"))
case("scrub-domain-1m", "scrub 'x@' + a 1,000,000-char domain without a dot")(
    lambda: _scrub(1_000_000, "x@" + "b" * 999_998)
)


@case("snippet-repeat", "snippet of a description 'zzrepeat ' * 20000 for q=zzrepeat (one hit)")
def _snippet() -> str:
    from models.schemas import Pledge, Scores
    from search_api.backends.embedded.analysis import query_terms
    from search_api.backends.embedded.hits import to_hit

    pledge = Pledge(id="x", title="zzrepeat", description="zzrepeat " * 20_000, language="en")
    hit = to_hit(pledge, query_terms("zzrepeat", "en", 16), Scores())
    return f"{hit.snippet.count('<mark>')} marks"


def _normalise(description: str) -> str:
    from indexer.errors import RecordError
    from indexer.normalise import normalise_record

    try:
        normalise_record({"id": "big", "title": "Big", "description": description, "language": "en"}, "x", 1)
    except RecordError as exc:
        return f"rejected: {exc.field}: {exc.reason[:60]}"
    return "accepted"


case("normalise-desc-1m-word", "normalise a record whose description is one 1,000,000-char word")(
    lambda: _normalise("w" * 1_000_000)
)
case("normalise-desc-60m", "normalise a record whose description is 60 MB of words")(
    lambda: _normalise("migrants " * 6_666_667)
)


@case("json-nested", "read a JSON Lines file: 3 good lines and one line nested 100,000 deep")
def _nested() -> str:
    from indexer.sources import RawRecord, read_bytes

    good = json.dumps({"id": "p1", "title": "T", "description": "D"})
    data = "\n".join([good, "[" * 100_000 + "]" * 100_000, good.replace("p1", "p2"), good.replace("p1", "p3")])
    items = list(read_bytes(data.encode(), "nested.jsonl"))
    records = sum(isinstance(i, RawRecord) for i in items)
    return f"{records} records, {len(items) - records} rejected"


@case("csv-11mb-cell", "read and normalise a CSV whose description cell is 11 MB (one word)")
def _csv_cell() -> str:
    from indexer.errors import RecordError
    from indexer.normalise import normalise_record
    from indexer.sources import RawRecord, read_bytes

    # geo (loaded by _warm_up, as by every real run before rows are read) used to lift the csv cell cap
    data = "title,description,countries\nOk,A short one.,Kenya\nBig," + "x" * 11_000_000 + ",Kenya\n"
    outcomes = []
    for item in read_bytes(data.encode(), "big.csv"):
        if isinstance(item, RawRecord):
            try:
                normalise_record(item.data, item.source, item.line, redact=item.redact)
                outcomes.append("ok")
            except RecordError as exc:
                outcomes.append(f"rejected ({exc.field})")
        else:
            outcomes.append(f"rejected ({item.reason[:40]})")
    return ", ".join(outcomes)


def _warm_up() -> None:
    """Import what the cases use (and load the country tables), so a case's time is its own work."""
    import importlib

    for module in ("indexer.privacy", "indexer.normalise", "indexer.sources", "search_api.backends.embedded.hits"):
        importlib.import_module(module)
    from indexer import geo

    geo.country_code("Kenya")


@case(
    "delete-10k",
    "DELETE one record of a 10,000-record embedded store written in one batch (the price "
    "of purging its text from the files: its segment is rewritten)",
)
def _delete() -> str:
    import tempfile

    import numpy as np

    from models.schemas import Pledge
    from search_api.backends.base import StoredRecord
    from search_api.backends.embedded.store import EmbeddedStore

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp), dimension=8, model_name="bench")
        vector = np.ones(8, dtype=np.float32) / np.sqrt(8)
        store.upsert(
            [
                StoredRecord(
                    Pledge(
                        id=f"r{i}",
                        title=f"Record {i}",
                        description=f"Help desk number {i} for "
                        "newly arrived migrants, with legal advice and language courses.",
                    ),
                    vector,
                    f"h{i}",
                )
                for i in range(10_000)
            ]
        )
        started = time.perf_counter()
        store.delete(["r5000"])
        return f"{time.perf_counter() - started:.2f} s for the delete alone, {store.searcher().num_docs} left"


def run_one(name: str) -> None:
    """Child process: run one case and print {"seconds", "outcome"} as JSON."""
    _, fn = CASES[name]
    _warm_up()
    started = time.perf_counter()
    try:
        outcome = fn()
    except BaseException as exc:  # the "before" code crashes on some inputs: that is a result too
        outcome = f"crashed: {type(exc).__name__}"
    print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}))


def main(argv: list[str] | None = None) -> int:
    """Run every case (or those named) in a subprocess each and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.attacks", description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=120.0, help="seconds one case may take (default 120)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("names", nargs="*", help="cases to run (default: all)")
    args = parser.parse_args(argv)
    if args.case:
        run_one(args.case)
        return 0
    names = args.names or list(CASES)
    print("| case | what | seconds | outcome |\n|---|---|---|---|")
    for name in names:
        what, _ = CASES[name]
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.attacks", "--case", name],
                capture_output=True,
                text=True,
                timeout=args.budget,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            seconds, outcome = f"{result['seconds']:.3f}", result["outcome"]
        except subprocess.TimeoutExpired:
            seconds, outcome = f"> {args.budget:.0f}", "stopped at the budget"
        except (json.JSONDecodeError, IndexError):
            seconds, outcome = "-", f"failed: {done.stderr.strip().splitlines()[-1:]}"
        print(f"| {name} | {what} | {seconds} | {outcome} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
