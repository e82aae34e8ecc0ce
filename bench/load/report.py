"""Figures of a load run: requests/s, latency percentiles and errors, overall, per endpoint, and while an
upload was indexing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Sample:
    """One request as locust saw it."""

    name: str
    start: float
    ms: float
    failed: bool
    error: str = ""


def _row(label: str, samples: list[Sample], seconds: float) -> str:
    if not samples:
        return f"{label:<34} {0:>7} {'-':>8} {'-':>8} {'-':>8} {'-':>8} {0:>7}"
    ms = np.array([s.ms for s in samples])
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    errors = sum(s.failed for s in samples)
    rate = len(samples) / seconds
    return f"{label:<34} {len(samples):>7} {rate:>8.1f} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {errors:>7}"


def print_report(samples: list[Sample], users: int, duration: float, upload: dict | None) -> int:
    """Print the tables; returns the number of failed requests (the upload excluded)."""
    reads = [s for s in samples if not s.name.startswith("/index")]
    if not reads:
        print("No requests were made.")
        return 1
    t0 = min(s.start for s in reads)
    t1 = max(s.start + s.ms / 1000 for s in reads)
    seconds = max(t1 - t0, 1e-9)
    header = f"{'endpoint':<34} {'reqs':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(f"\n{users} users, {seconds:.1f} s of load (asked {duration:.0f} s)\n")
    print(header)
    print("-" * len(header))
    for name in sorted({s.name for s in reads}):
        print(_row(name, [s for s in reads if s.name == name], seconds))
    print("-" * len(header))
    print(_row("all searches", [s for s in reads if s.name.startswith("/search")], seconds))
    print(_row("all reads", reads, seconds))
    if upload is not None:
        _print_upload(reads, upload)
    failed = [s for s in reads if s.failed]
    for s in failed[:5]:
        print(f"  error: {s.name}: {s.error}")
    return len(failed)


def _print_upload(reads: list[Sample], upload: dict) -> None:
    start, end = upload.get("started"), upload.get("ended")
    if start is None:
        print("\nThe upload did not start.")
        return
    if end is None:
        print("\nThe upload had not finished when the run stopped.")
        return
    during = [s for s in reads if start <= s.start and s.start + s.ms / 1000 <= end]
    print(f"\nupload: HTTP {upload.get('status')} in {end - start:.1f} s; report: {_summary(upload.get('report'))}")
    print(_row("reads while the upload indexed", during, max(end - start, 1e-9)))


def _summary(report: object) -> str:
    if isinstance(report, dict):
        keys = ("read", "indexed", "unchanged", "rejected", "embedded")
        return ", ".join(f"{k} {report.get(k)}" for k in keys if k in report) or str(report)[:200]
    return str(report)[:200]
