"""`pledges ui`: the Streamlit UI as a subprocess, so this CLI never imports the UI, nor the UI the engine."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from models.settings import get_settings

# Options that keep Streamlit headless, local and quiet: no usage statistics, no browser, no file watcher, and
# no tracebacks or external help links shown to users.
STREAMLIT_FLAGS = (
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
    "--server.fileWatcherType=none",
    "--server.runOnSave=false",
    "--client.showErrorDetails=none",
    "--client.showErrorLinks=false",
    "--client.toolbarMode=minimal",
    "--global.developmentMode=false",
    "--theme.base=light",
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command()(ui)


def app_path() -> Path:
    """Where ui/app.py is, found without importing the `ui` package."""
    spec = importlib.util.find_spec("ui")
    if spec is not None and spec.submodule_search_locations:
        candidate = Path(next(iter(spec.submodule_search_locations))) / "app.py"
        if candidate.is_file():
            return candidate
    return Path(__file__).resolve().parents[2] / "ui" / "app.py"


def streamlit_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command line that serves the UI."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path()),
        f"--server.port={port}",
        f"--server.address={host}",
        *STREAMLIT_FLAGS,
    ]


def ui(
    port: Annotated[int | None, typer.Option(help="Port (default: PLEDGES_UI_PORT, 8501).")] = None,
    api_url: Annotated[
        str | None,
        typer.Option(help="Where the search API answers (default: PLEDGES_API_URL, http://127.0.0.1:8000)."),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
) -> None:
    """Serve the web UI (Streamlit) on 127.0.0.1; it talks to the search API over HTTP."""
    settings = get_settings()
    port = port or settings.ui_port
    env = dict(os.environ)
    env["PLEDGES_API_URL"] = api_url or settings.api_url
    root = str(app_path().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    typer.echo(f"UI on http://{host}:{port} (API at {env['PLEDGES_API_URL']})", err=True)
    process = subprocess.Popen(streamlit_command(port, host), env=env, cwd=app_path().parent)
    # Whoever stops this command stops Streamlit with it: no orphaned server holding the port.
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        code = process.wait()
    raise typer.Exit(code)
