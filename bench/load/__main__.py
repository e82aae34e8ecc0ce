"""Load check: `python -m bench.load [--upload]` runs N locust users of mixed searches against the API on
127.0.0.1 for a bounded time, headless, and prints requests/s, p50/p95/p99 and errors.

Without --url it starts its own `pledges serve` on a free 127.0.0.1 port over a temporary copy of the store
(so an upload never writes into yours). It never binds or targets anything but the loopback interface.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import gevent
from locust import events
from locust.env import Environment

from bench.load import locustfile
from bench.load.ports import listening_sockets
from bench.load.report import Sample, print_report

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
UPLOAD_GRACE_S = 300.0


def main(argv: list[str] | None = None) -> int:
    """Run the load check; exit status 1 when any request failed."""
    args = parse_args(argv)
    server: subprocess.Popen | None = None
    tmp: tempfile.TemporaryDirectory | None = None
    url = args.url
    if url is None:
        tmp = tempfile.TemporaryDirectory(prefix="pledges-load-")
        url, server = start_server(args.data_dir, Path(tmp.name))
    elif urlparse(url).hostname not in LOOPBACK:
        sys.exit(f"--url must point at 127.0.0.1 / localhost, not {url}")
    try:
        samples = run_locust(url, args.users, args.duration, args.upload)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    upload = locustfile.UPLOAD_DONE if args.upload else None
    errors = print_report(samples, args.users, args.duration, upload)
    if tmp is not None:
        if errors:
            kept = Path(tempfile.gettempdir()) / "pledges-load-server.log"
            shutil.copyfile(Path(tmp.name) / "server.log", kept)
            print(f"server log: {kept}")
        tmp.cleanup()
    return 1 if errors else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Mixed searches by N locust users against the API on 127.0.0.1, headless, bounded in "
        "time; prints requests/s, p50/p95/p99 and errors.",
    )
    parser.add_argument("--url", help="A running API on 127.0.0.1 (default: start one).")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="Store to copy and serve (default: PLEDGES_DATA_DIR, data/store)."
    )
    parser.add_argument("--users", type=int, default=20, help="Concurrent users (default 20).")
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds of load (default 30).")
    parser.add_argument(
        "--think",
        type=float,
        default=locustfile.THINK_S,
        help="Seconds each user pauses between requests (default 0: back to back).",
    )
    parser.add_argument(
        "--upload", action="store_true", help="Also index an upload of invented records while the searches run."
    )
    parser.add_argument(
        "--upload-records", type=int, default=locustfile.UPLOAD_RECORDS, help="Records in that upload (default 150)."
    )
    args = parser.parse_args(argv)
    locustfile.UPLOAD_RECORDS = args.upload_records
    locustfile.Searcher.wait_time = locustfile.constant(args.think)
    return args


def start_server(data_dir: Path | None, tmp: Path) -> tuple[str, subprocess.Popen]:
    """`pledges serve` on a free loopback port over a copy of the store, with a one-off API key."""
    from urllib.request import urlopen  # after locust's gevent patching (it imports ssl)

    from models.settings import Settings
    from search_api.http.workers import worker_count

    source = data_dir or Settings().data_dir
    if not source.is_dir():
        sys.exit(f"No store at {source}: run `pledges index` first, or pass --data-dir.")
    store = tmp / "store"
    shutil.copytree(source, store)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    key = secrets.token_urlsafe(24)
    os.environ["PLEDGES_API_KEY"] = key  # for the uploader; never printed
    env = {
        **os.environ,
        "PLEDGES_DATA_DIR": str(store),
        "PLEDGES_API_KEY": key,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from search_api.cli import app; app()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    workers = worker_count(Settings().api_workers, port=port)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The API exited with {server.returncode}:\n{(tmp / 'server.log').read_text()}")
        try:
            with urlopen(f"{url}/ready", timeout=2) as resp:
                if resp.status == 200 and listening_sockets(port) >= workers:
                    print(f"API ready at {url} ({workers} workers) over a copy of {source}", file=sys.stderr)
                    return url, server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit(f"The API was not ready after 180 s:\n{(tmp / 'server.log').read_text()}")


def run_locust(url: str, users: int, duration: float, upload: bool) -> list[Sample]:
    """Run the users headless for `duration` seconds; every request is recorded with its start time."""
    samples: list[Sample] = []

    def record(
        request_type, name, response_time, response_length, exception=None, start_time=None, **_: object
    ) -> None:
        samples.append(
            Sample(
                name,
                start_time or time.time(),
                response_time,
                exception is not None,
                str(exception)[:200] if exception else "",
            )
        )

    events.request.add_listener(record)
    classes = [locustfile.Searcher, locustfile.Uploader] if upload else [locustfile.Searcher]
    env = Environment(user_classes=classes, host=url, events=events)
    runner = env.create_local_runner()
    total = users + (1 if upload else 0)
    runner.start(total, spawn_rate=total)
    gevent.spawn(_stop_after, runner, duration, upload)
    runner.greenlet.join()
    return samples


def _stop_after(runner, duration: float, upload: bool) -> None:
    """Stop after `duration`; an upload still indexing keeps the searches going until it ends (bounded)."""
    gevent.sleep(duration)
    deadline = time.monotonic() + UPLOAD_GRACE_S
    while upload and locustfile.UPLOAD_DONE["ended"] is None and time.monotonic() < deadline:
        gevent.sleep(0.5)
    runner.quit()


if __name__ == "__main__":
    sys.exit(main())
