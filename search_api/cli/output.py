"""What every `pledges` command prints the same way."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `Error: message` on stderr (taken literally, not as rich markup) and exit with `code` (2: usage or
    engine error; commands use 1 for 'not found' and for rejected records)."""
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)
