"""Real servers for the UI tests: the bundled corpus indexed into a temporary store, `pledges serve` and
`pledges ui` on free 127.0.0.1 ports, and Debian's chromium driven by Playwright.

Built once per session. Every wait polls with a deadline and fails fast, with the process's log, when a server
dies. The UI suite's own process never loads the model: indexing and serving run as subprocesses.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from servers import CLI, REPO, Server, clean_env, free_port, start_api, start_ui, stop

CORPUS = REPO / "data" / "corpus"
# Two invented records (marked synthetic, obviously fake names), so the real / synthetic control and the
# SYNTHETIC badge are tested on records that really are synthetic; the bundled corpus holds none.
SYNTHETIC = Path(__file__).resolve().parent / "fixtures" / "synthetic_ui.jsonl"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APP = REPO / "ui" / "app.py"
INDEX_DEADLINE_S = 600.0


@pytest.fixture(scope="session")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled corpus (pledges, practices, local actions) and two synthetic records,
    indexed by `pledges index`."""
    data_dir = tmp_path_factory.mktemp("ui-store")
    done = subprocess.run(
        CLI + ["index", str(CORPUS), str(SYNTHETIC), "--no-progress"],
        env=clean_env(PLEDGES_DATA_DIR=str(data_dir)),
        capture_output=True,
        text=True,
        timeout=INDEX_DEADLINE_S,
        cwd=REPO,
    )
    assert done.returncode == 0, f"pledges index failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return data_dir


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory, ui_store: Path) -> Iterator[Server]:
    """`pledges serve` over the indexed store."""
    server = start_api(ui_store, tmp_path_factory.mktemp("ui-api-log") / "api.log")
    yield server
    stop(server)


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory, api_server: Server) -> Iterator[Server]:
    """`pledges ui` talking to the live API."""
    server = start_ui(api_server.url, tmp_path_factory.mktemp("ui-log") / "ui.log")
    yield server
    stop(server)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium (never Playwright's own download); skipped, saying why, where it is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    # The first searches load the query model's caches on a shared CPU: wait generously, but never sleep.
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, ui_server: Server):
    """A fresh tab, 1400 x 1800 so a screenshot holds a page's main content; it records every request."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda request: tab.requests.append(request.url))  # type: ignore[attr-defined]
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/ (gitignored): one PNG per page, to look at after a run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@contextmanager
def _silent_server() -> Iterator[str]:
    """What a hung API looks like to the UI: accept every connection on 127.0.0.1 and send nothing."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not done.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


@pytest.fixture()
def hung_api_url() -> Iterator[str]:
    """An address that accepts connections and never answers."""
    with _silent_server() as url:
        yield url


@pytest.fixture()
def closed_api_url() -> str:
    """An address where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture()
def run_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ui/app.py once in Streamlit's AppTest against an API, with URL query parameters; switch to another
    page with `screen="pledge"`. Returns the AppTest, whose widgets can then be set and rerun."""
    from streamlit.testing.v1 import AppTest

    from models.settings import get_settings

    def run(api_url: str, timeout_s: float = 10, screen: str | None = None, **params: str | list[str]) -> AppTest:
        monkeypatch.setenv("PLEDGES_API_URL", api_url)
        monkeypatch.setenv("PLEDGES_UI_TIMEOUT_S", str(timeout_s))
        get_settings.cache_clear()
        app = AppTest.from_file(str(APP), default_timeout=60)
        for name, value in params.items():
            app.query_params[name] = value
        app.run()
        if screen:
            app.switch_page(f"screens/{screen}.py")
            app.run()
        return app

    yield run
    get_settings.cache_clear()


@pytest.fixture()
def phone(browser, ui_server: Server):
    """A fresh tab the size of a phone (390 x 844, touch), as a city official carries one."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


class _MarkingProxy(ThreadingHTTPServer):
    """Forwards every GET to the API; marks neighbours of one record as the similar-records work will:
    `same_initiative` on the first, `same_entity` on the second (the API leaves both false for now)."""

    daemon_threads = True

    def __init__(self, api_url: str, record_id: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.api_url = api_url
        self.similar_path = f"/pledges/{record_id}/similar"
        self.http = httpx.Client(base_url=api_url, timeout=60)


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _MarkingProxy

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        answer = self.server.http.get(self.path)
        body = answer.content
        if answer.status_code == 200 and urlsplit(self.path).path == self.server.similar_path:
            data = answer.json()
            for hit, flag in zip(data["data"], ("same_initiative", "same_entity"), strict=False):
                hit[flag] = True
            body = json.dumps(data).encode()
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet: the API logs what matters."""


@pytest.fixture(scope="session")
def marking_ui(tmp_path_factory: pytest.TempPathFactory, api_server: Server) -> Iterator[Server]:
    """`pledges ui` behind a proxy of the API that marks sub-2291's first neighbour as the same initiative and
    its second as the same entity, so the page's marks are tested before the API computes them."""
    proxy = _MarkingProxy(api_server.url, "sub-2291")
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    server = start_ui(f"http://127.0.0.1:{proxy.server_address[1]}", tmp_path_factory.mktemp("marking-ui") / "ui.log")
    yield server
    stop(server)
    proxy.shutdown()
    proxy.http.close()
    thread.join()
