"""A rich progress bar on stderr (stdout stays for the report); a no-op when progress is off.

The embedding phase shows records done of all, the rate in records per second, time elapsed and the time left
(rich's estimate from the recent rate), so a long run says when it will end."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Records per second over rich's recent window; blank until there is a rate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


class IndexProgress:
    """Two phases: records read and normalised (count), then records hashed, embedded and stored (bar)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._read: TaskID | None = None
        self._store: TaskID | None = None

    def __enter__(self) -> IndexProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                RateColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self._progress.start()
            self._read = self._progress.add_task("reading and normalising", total=None)
        return self

    def read_one(self) -> None:
        """One record (or rejection) read."""
        if self._progress is not None and self._read is not None:
            self._progress.advance(self._read)

    def start_embedding(self, total: int) -> None:
        """Switch to the embed-and-store phase."""
        if self._progress is not None and self._read is not None:
            done = self._progress.tasks[self._read].completed
            self._progress.update(self._read, total=done, completed=done)
            self._store = self._progress.add_task("embedding and storing", total=total)

    def advance(self, count: int) -> None:
        """`count` records embedded (or found unchanged) and stored."""
        if self._progress is not None and self._store is not None:
            self._progress.advance(self._store, count)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
