"""Zero-downtime re-index against the live node OPENSEARCH_URL names: `pledges index --rebuild` fills a new
index generation through the service's indexing pipeline, checks its count, moves the alias in one request and
deletes the old generation, while searches run the whole time; a failed rebuild leaves the alias where it was.

The records are the API fixture corpus, embedded with the session's real model (the embedding cache of a
temporary data folder); the old generation holds its first 12 records, the rebuild reads all 24.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.schemas import Filters, SearchRequest
from models.settings import Settings, get_settings
from search_api.backends.base import BackendError
from search_api.service import SearchService

pytestmark = pytest.mark.opensearch

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "api" / "corpus.jsonl"
OLD_RECORDS = 12
DEADLINE_S = 120.0
REQUESTS = (  # blank (total = every record), keyword, hybrid, a filter: each total comes from other requests
    SearchRequest(q="", size=5),
    SearchRequest(q="migrants", mode="keyword", size=5),
    SearchRequest(q="legal aid for migrant workers", mode="hybrid", size=5),
    SearchRequest(q="", filters=Filters(language=["es"]), size=5),
    SearchRequest(q="integration", mode="hybrid", sort="title", size=5),
)


@pytest.fixture(scope="module")
def url() -> str:
    found = os.environ.get("OPENSEARCH_URL")
    if not found:
        pytest.skip("OPENSEARCH_URL is not set: these tests need a live OpenSearch node (make opensearch)")
    return found


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """(the first 12 records, all 24) as two JSONL files."""
    lines = [line for line in CORPUS.read_text().splitlines() if line.strip()]
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join(lines[:OLD_RECORDS]) + "\n")
    return old, CORPUS


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module: its embedding cache embeds each record once."""
    return tmp_path_factory.mktemp("rebuild-data")


@pytest.fixture
def service(url: str, data_dir: Path, embedder, files) -> Iterator[SearchService]:
    """A service on a fresh alias holding the old corpus in its first generation."""
    from search_api.backends.opensearch.testing import drop_index

    alias = f"pledges-rebuild-{uuid.uuid4().hex[:8]}"
    drop_index(url, alias)
    settings = Settings(data_dir=data_dir, backend="opensearch", opensearch_url=url, opensearch_index=alias)
    service = SearchService(settings, embedder=embedder)
    report = service.index_paths([files[0]])
    assert (report.indexed, report.rejected) == (OLD_RECORDS, 0)
    yield service
    service.close()
    drop_index(url, alias)


@dataclass
class Searches:
    """Searches in background threads until stopped: each answer's total, or the error, per request."""

    service: SearchService
    threads: int = 2
    totals: dict[int, list[int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    done: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def _run(self, offset: int) -> None:
        turn = offset
        while not self._stop.is_set():
            index = turn % len(REQUESTS)
            turn += 1
            try:
                total = self.service.search(REQUESTS[index]).total
            except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
                with self._lock:
                    self.errors.append(f"{REQUESTS[index].q!r}: {type(exc).__name__}: {exc}")
                continue
            with self._lock:
                self.totals.setdefault(index, []).append(total)
                self.done += 1

    def __enter__(self) -> Searches:
        self._workers = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=DEADLINE_S)

    def wait_for(self, more: int) -> None:
        """Until `more` further searches have answered (or failed), within the deadline."""
        target, deadline = self.done + len(self.errors) + more, time.monotonic() + DEADLINE_S
        while self.done + len(self.errors) < target:
            assert time.monotonic() < deadline, f"the searches stalled: {self.done} answered, {self.errors[:3]}"
            time.sleep(0.01)


def totals(service: SearchService) -> list[int]:
    return [service.search(request).total for request in REQUESTS]


def test_rebuild_swaps_in_the_new_generation_while_searches_see_the_old_or_the_new_count(service):
    backend = service.backend
    alias = backend.index_name
    before = totals(service)
    assert before[0] == OLD_RECORDS
    with Searches(service) as searches:
        searches.wait_for(20)  # searching before the rebuild starts
        report, rebuilt = service.rebuild_paths([CORPUS])
        searches.wait_for(20)  # and after the alias moved
    after = totals(service)
    assert after[0] == report.indexed + report.unchanged == 24 and report.rejected == 0
    assert (rebuilt.generation, rebuilt.replaced, rebuilt.count) == (f"{alias}-2", [f"{alias}-1"], 24)
    assert backend.generations() == [f"{alias}-2"] and backend.behind_alias() == [f"{alias}-2"]
    assert not searches.errors, searches.errors[:5]
    for index, seen in searches.totals.items():
        assert set(seen) <= {before[index], after[index]}, (REQUESTS[index], before[index], after[index], seen)
    assert searches.totals[0][0] == OLD_RECORDS and searches.totals[0][-1] == 24  # the swap happened meanwhile


def test_a_search_whose_generation_is_deleted_under_it_runs_again_on_the_new_one(service, files, monkeypatch):
    """The race the pinned reader opens, made certain: a reader resolved before the swap reads an index that
    promote() has deleted; the search runs once more, on the generation the alias names now."""
    backend = service.backend
    stale = backend.reader()
    generation = backend.new_generation()
    service.index_paths([files[1]], into=generation)
    backend.promote(generation)
    readers = iter([stale])
    fresh = backend.reader
    monkeypatch.setattr(backend, "reader", lambda: next(readers, None) or fresh())
    assert service.search(SearchRequest(q="")).total == 24
    with pytest.raises(BackendError):  # the stale reader alone fails: the retry is what answered
        stale.size()


@pytest.mark.parametrize("failure", ["exception", "count"])
def test_a_failed_rebuild_deletes_its_generation_and_leaves_the_alias(service, files, failure):
    from search_api.backends.opensearch.backend import RebuildFailed

    backend = service.backend
    alias = backend.index_name
    written: list[str] = []

    def fill(generation) -> int:
        written.append(generation.index_name)
        report = service.index_paths([files[1]], into=generation)  # every record written, then it fails
        if failure == "exception":
            raise RuntimeError("the source went away half-way")
        return report.indexed + report.unchanged + 1  # a record the report counts is not in the index

    with Searches(service) as searches:
        searches.wait_for(10)
        with pytest.raises(RuntimeError if failure == "exception" else RebuildFailed):
            backend.rebuild(fill, dimension=backend.dimension, model_name=backend.model_name)
        searches.wait_for(10)
    assert written == [f"{alias}-2"]
    assert backend.generations() == [f"{alias}-1"] and backend.behind_alias() == [f"{alias}-1"]
    assert not searches.errors, searches.errors[:5]
    assert set(searches.totals[0]) == {OLD_RECORDS}
    assert backend.count() == OLD_RECORDS


def test_a_rebuild_that_read_no_record_is_refused(service, tmp_path):
    from search_api.backends.opensearch.backend import RebuildFailed

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x"}\n')  # rejected: no title
    alias = service.backend.index_name
    with pytest.raises(RebuildFailed, match="no record"):
        service.rebuild_paths([broken])
    assert service.backend.generations() == [f"{alias}-1"] and service.backend.behind_alias() == [f"{alias}-1"]
    assert service.backend.count() == OLD_RECORDS


def test_pledges_index_rebuild_reports_the_swap(service, url, files):
    """The CLI end to end (the embedding cache of the data folder holds every vector: the CLI loads no model)."""
    from search_api.cli import app

    settings = service.settings
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PLEDGES_BACKEND", "opensearch")
        env.setenv("PLEDGES_OPENSEARCH_URL", url)
        env.setenv("PLEDGES_OPENSEARCH_INDEX", settings.opensearch_index)
        env.setenv("PLEDGES_DATA_DIR", str(settings.data_dir))
        get_settings.cache_clear()
        try:
            service.rebuild_paths([files[1]])  # the alias on -2, every vector in the data folder's cache
            result = CliRunner().invoke(
                app, ["index", str(files[1]), "--rebuild", "--json", "--no-progress"], catch_exceptions=False
            )
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    alias = settings.opensearch_index
    assert answer["indexed"] == 24 and answer["embedded"] == 0
    assert answer["rebuild"] == {
        "alias": alias,
        "generation": f"{alias}-3",
        "replaced": [f"{alias}-2"],
        "count": 24,
        "count_before": 24,
    }
    assert service.backend.generations() == [f"{alias}-3"] and service.backend.behind_alias() == [f"{alias}-3"]
