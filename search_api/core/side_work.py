"""Work a search can do beside its ranking: facet counts and the keyword membership of semantic candidates
(for the total) do not decide the order of the hits, and the engines release the GIL while they count, so on
a second core they cost a search no time.

The side threads never queue: when both are busy, or when reads are waiting for their turn (a loaded server,
where every core has a search already: `DEMAND`), the work runs in the caller's thread at once, exactly as it
would without them. A search therefore never waits behind another search's side work, and a saturated server
spends no time handing work between threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
SIDE_THREADS = 2


class Demand:
    """How many reads of this process wait for their turn (the HTTP layer's read slots count them). While one
    waits, the cores are busy: work handed to another thread would only take turns with its caller's. With 20
    users on the evaluation store, side work and query encoding in the read's own thread gave 166 reads/s and
    hybrid p95 211 ms against 151 and 220 (means of six alternating runs each way; single runs vary by a fifth)."""

    def __init__(self) -> None:
        self._waiting = 0
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """True while some read waits."""
        return self._waiting > 0

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Count one read as waiting for as long as the block runs."""
        with self._lock:
            self._waiting += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiting -= 1


DEMAND = Demand()  # one per process, as the read slots are


class SideWork:
    """Runs a call on an idle side thread, or at once in the caller's thread when none is idle."""

    def __init__(self, threads: int = SIDE_THREADS) -> None:
        self._threads = threads
        self._free = threading.BoundedSemaphore(threads)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="search-side")
            return self._pool

    def submit(self, call: Callable[..., T], *args: object, **kwargs: object) -> Future[T]:
        """The call's future result (already set when it ran in this thread)."""
        if DEMAND.busy or not self._free.acquire(blocking=False):
            return done(call, *args, **kwargs)

        def job() -> T:
            try:
                return call(*args, **kwargs)
            finally:
                self._free.release()

        try:
            return self._executor().submit(job)
        except RuntimeError:  # the interpreter is shutting down: no new threads
            self._free.release()
            return done(call, *args, **kwargs)


def done(call: Callable[..., T], *args: object, **kwargs: object) -> Future[T]:
    """The call run now, as a future holding its result or its exception."""
    future: Future[T] = Future()
    try:
        future.set_result(call(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - handed to whoever reads the result, as a side thread would
        future.set_exception(exc)
    return future


def ready(value: T) -> Future[T]:
    """A future already holding `value`."""
    future: Future[T] = Future()
    future.set_result(value)
    return future


SIDE = SideWork()  # one per process: the cores are shared by every search
