"""The composition root loads the program files: good ones give the services, a broken one
stops the start with the loader's message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import Settings
from services.applications import ApplicationService
from services.programs import ProgramFileError, ProgramRegistry
from tests.applications.conftest import PROGRAMS_DIR


def _settings(tmp_path: Path, programs: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
        document_dir=tmp_path / "documents",
        programs_dir=programs,
    )


async def test_services_are_registered(tmp_path: Path) -> None:
    app = await build_app(_settings(tmp_path, PROGRAMS_DIR), platforms=[])
    try:
        data = app.dispatcher.workflow_data
        assert isinstance(data["application_service"], ApplicationService)
        registry = data["program_registry"]
        assert isinstance(registry, ProgramRegistry)
        assert [p.id for p in registry.all()] == ["hamnava", "karafan"]
        assert data["application_service"].registry is registry
    finally:
        await app.close()


async def test_a_broken_program_file_stops_the_start(tmp_path: Path) -> None:
    programs = tmp_path / "programs"
    programs.mkdir()
    shutil.copy(PROGRAMS_DIR / "karafan.json", programs / "karafan.json")
    data = json.loads((PROGRAMS_DIR / "hamnava.json").read_text(encoding="utf-8"))
    data["documents"][0]["accepted"] = ["application/msword"]
    (programs / "hamnava.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProgramFileError) as caught:
        await build_app(_settings(tmp_path, programs), platforms=[])
    assert "hamnava.json" in str(caught.value)
    assert "documents[0].accepted" in str(caught.value)
