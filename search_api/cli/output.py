"""What every `pledges` command prints the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from models.settings import Settings
    from search_api.service import SearchService


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `Error: message` on stderr (taken literally, not as rich markup) and exit with `code` (2: usage or
    engine error; commands use 1 for 'not found' and for rejected records)."""
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def open_service(settings: Settings | None = None) -> SearchService:
    """The search service every command goes through, as the API does; exit 2 when the engine cannot start."""
    from search_api.backends.base import BackendError
    from search_api.service import SearchService

    try:
        return SearchService(settings)
    except BackendError as exc:
        fail(str(exc))
