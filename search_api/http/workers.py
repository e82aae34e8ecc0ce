"""Several API processes on one machine: how many `pledges serve` runs, and how each worker follows its
supervisor.

A search holds the GIL for most of its time (BM25 candidates, facets and hits are built in Python), so one
process serves about one core; `run_workers` runs several processes on the same port, each with a socket of
its own (SO_REUSEPORT), so the kernel spreads the connections over them. Each worker has the model and the
store's vectors of its own, and the embedded store takes one writer at a time across processes, reloading what
another process committed before its next read.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from models.embedder import default_threads

log = logging.getLogger("search_api")

SUPERVISOR_ENV = "_PLEDGES_SUPERVISOR_PID"  # set by `pledges serve` for its workers; not a setting
WATCH_INTERVAL_S = 1.0
CRASH_WINDOW_S = float(os.environ.get("_PLEDGES_CRASH_WINDOW_S", "60"))  # dying sooner after its start: not restarted
STOP_TIMEOUT_S = 20.0  # a worker still running this long after SIGTERM is killed


def worker_count(asked: int, reload: bool = False, port: int = 1) -> int:
    """Processes to run: as asked, at most one per core; one when reloading on code changes, on port 0 (each
    worker would get a port of its own) and where the kernel does not balance connections over sockets."""
    if reload or port == 0 or not can_spread_connections():
        return 1
    return max(1, min(asked, default_threads()))


def encoder_threads(workers: int) -> int:
    """Threads each worker's encoder uses: the cores shared out, so the workers do not fight over them."""
    return max(1, default_threads() // max(1, workers))


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


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) with SO_REUSEPORT, not yet listening: each worker has its own, and the
    kernel spreads new connections over the listening ones. (One socket shared by every worker, uvicorn's way,
    let whichever worker woke first accept them all: 20 users' keep-alive connections went to one worker.)"""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[
        0
    ]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


def can_spread_connections() -> bool:
    """Whether this platform balances connections over several sockets on one port (Linux)."""
    return hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


def _serve_one(config: dict[str, Any], host: str, port: int) -> None:
    """One worker: its own socket, then uvicorn on it. The socket listens only once the app has started (the
    model loaded), so no connection waits on a worker that cannot answer yet."""
    import uvicorn

    sock = listening_socket(host, port)
    uvicorn.Server(uvicorn.Config(**config)).run(sockets=[sock])


def run_workers(config: dict[str, Any], host: str, port: int, workers: int) -> int:
    """Serve `config`'s app with `workers` processes on (host, port) until SIGTERM or SIGINT; a worker that
    dies is started again, unless it dies within `CRASH_WINDOW_S` of its start (then everything stops, status
    1: it would only die again). Returns the exit status."""
    listening_socket(host, port).close()  # the port is free, or the reason it is not, before any worker starts
    os.environ[SUPERVISOR_ENV] = str(os.getpid())
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()

    def start(n: int) -> tuple[multiprocessing.process.BaseProcess, float]:
        process = context.Process(target=_serve_one, args=(config, host, port), name=f"pledges-api-{n}")
        process.start()
        return process, time.monotonic()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    running = [start(n) for n in range(workers)]
    status = 0
    try:
        while not stop.is_set():
            multiprocessing.connection.wait([p.sentinel for p, _ in running], timeout=WATCH_INTERVAL_S)
            for n, (process, started) in enumerate(running):
                if process.is_alive() or stop.is_set():
                    continue
                if time.monotonic() - started < CRASH_WINDOW_S:
                    log.error("worker %s exited with %s right after it started: stopping", n, process.exitcode)
                    status = 1
                    stop.set()
                    break
                log.warning("worker %s exited with %s: starting it again", n, process.exitcode)
                running[n] = start(n)
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process, _ in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
