"""`pledges ui` finds ui/app.py without importing ui, and starts Streamlit local, headless and quiet."""

from __future__ import annotations

import sys

from search_api.cli.ui_cmd import app_path, streamlit_command


def test_the_app_file_is_found_without_importing_the_ui() -> None:
    before = set(sys.modules)
    path = app_path()
    assert path.name == "app.py" and path.parent.name == "ui" and path.is_file()
    assert not {m for m in set(sys.modules) - before if m == "ui" or m.startswith("ui.")}


def test_streamlit_binds_127_0_0_1_and_never_phones_home() -> None:
    cmd = streamlit_command(8599)
    assert cmd[1:4] == ["-m", "streamlit", "run"]
    assert "--server.port=8599" in cmd and "--server.address=127.0.0.1" in cmd
    assert "--browser.gatherUsageStats=false" in cmd and "--server.headless=true" in cmd
    assert "--client.showErrorDetails=none" in cmd
