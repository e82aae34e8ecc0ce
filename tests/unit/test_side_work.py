"""Side work of a search (facet counts, the total's membership test): on an idle side thread, or at once in the
caller's thread when every side thread is busy, so a search never waits behind another's side work."""

from __future__ import annotations

import threading

import pytest

from search_api.core.side_work import SideWork


def test_side_work_runs_beside_the_caller_and_inline_when_the_threads_are_busy():
    side = SideWork(threads=1)
    release = threading.Event()
    started = threading.Event()

    def blocked() -> str:
        started.set()
        release.wait(timeout=30)
        return "side"

    first = side.submit(blocked)
    assert started.wait(timeout=30)
    caller = threading.get_ident()
    second = side.submit(threading.get_ident)  # the only side thread is busy: runs here, now
    assert second.done() and second.result() == caller
    assert not first.done()
    release.set()
    assert first.result(timeout=30) == "side"
    third = side.submit(threading.get_ident)  # the thread is free again
    assert third.result(timeout=30) != caller


def test_an_error_in_side_work_reaches_whoever_reads_its_result():
    side = SideWork(threads=1)

    def fails() -> None:
        raise ValueError("engine unreachable")

    with pytest.raises(ValueError, match="engine unreachable"):
        side.submit(fails).result(timeout=30)  # on the side thread
    release = threading.Event()
    busy = side.submit(release.wait, 30)
    inline = side.submit(fails)  # the thread is busy: run here, the error kept for the reader all the same
    assert inline.done()
    with pytest.raises(ValueError, match="engine unreachable"):
        inline.result()
    release.set()
    assert busy.result(timeout=30) is True


def test_side_work_runs_in_the_callers_thread_while_reads_wait_their_turn():
    """A loaded server (reads queued at the read slots) gains nothing from a second thread: every core has a
    search already, so side work runs in the search's own thread until the queue is empty again."""
    from search_api.core.side_work import DEMAND

    side = SideWork(threads=2)
    caller = threading.get_ident()
    assert not DEMAND.busy
    with DEMAND.waiting():
        assert DEMAND.busy
        inline = side.submit(threading.get_ident)
        assert inline.done() and inline.result() == caller
    assert not DEMAND.busy
    assert side.submit(threading.get_ident).result(timeout=30) != caller
