"""Every setting is documented (STYLE #10): operators configure the service through env vars alone."""

from __future__ import annotations

import os

import pytest

from models.settings import Settings


def test_every_setting_has_a_description() -> None:
    undocumented = [
        name for name, field in Settings.model_fields.items() if not (field.description and field.description.strip())
    ]
    assert not undocumented, f"settings without a description: {undocumented}"


def test_defaults_are_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("PLEDGES_")]:
        monkeypatch.delenv(name)
    settings = Settings()
    assert settings.backend == "embedded"
    assert settings.api_key is None, "writes must be closed until PLEDGES_API_KEY is set"
    assert settings.api_host == "127.0.0.1", "the API must not listen on every interface by default"
