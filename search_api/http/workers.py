"""Several API processes on one machine: how many `pledges serve` runs, and how each worker follows its
supervisor.

A search holds the GIL for most of its time (BM25 candidates, facets and hits are built in Python), so one
process serves about one core; uvicorn's supervisor runs `workers` processes on the same port instead. Each
worker has the model and the store's vectors of its own, and the embedded store takes one writer at a time
across processes, reloading what another process committed before its next read.
"""

from __future__ import annotations

import os
import signal
import threading
import time

SUPERVISOR_ENV = "_PLEDGES_SUPERVISOR_PID"  # set by `pledges serve` for its workers; not a setting
WATCH_INTERVAL_S = 1.0


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worker_count(asked: int, reload: bool = False) -> int:
    """Processes to run: as asked, at most one per core, and one when reloading on code changes."""
    return 1 if reload else max(1, min(asked, cores()))


def encoder_threads(workers: int) -> int:
    """Threads each worker's encoder uses: the cores shared out, so the workers do not fight over them."""
    return max(1, cores() // max(1, workers))


def follow_supervisor() -> bool:
    """In a worker of a supervised `pledges serve`, stop (SIGTERM, a clean shutdown) when the supervisor is
    gone, so a supervisor killed without a chance to stop its workers leaves no worker holding the port and
    the store. Returns whether this process is such a worker."""
    expected = os.environ.get(SUPERVISOR_ENV)
    if not expected or not expected.isdigit() or os.getppid() != int(expected):
        return False
    parent = int(expected)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL_S)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="follow-supervisor", daemon=True).start()
    return True
