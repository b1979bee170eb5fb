"""The local sandbox has no quiet hours unless QUIET_HOURS is set: a newcomer trying it at night
must see a caseworker's decision arrive."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.serving.sandbox import sandbox_settings


def test_the_sandbox_has_no_quiet_hours_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIET_HOURS", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.quiet_hours == "22:00-07:00"
    assert sandbox_settings(settings, "http://127.0.0.1:1").quiet_hours == ""


def test_quiet_hours_set_by_the_operator_hold_in_the_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QUIET_HOURS", "23:00-06:00")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert sandbox_settings(settings, "http://127.0.0.1:1").quiet_hours == "23:00-06:00"
