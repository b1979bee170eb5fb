"""The composition root: the program files give the services (a broken one stops the start with
the loader's message), and one Redis client serves everything that needs Redis."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.fsm.redis_storage import RedisChatIsolation, ScopedRedisStorage
from bot.middlewares.dedup import DeduplicateUpdatesMiddleware, RedisSeenUpdates
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
        services = app.services
        assert isinstance(services.application_service, ApplicationService)
        registry = services.program_registry
        assert isinstance(registry, ProgramRegistry)
        assert [p.id for p in registry.all()] == ["hamnava", "karafan"]
        assert services.application_service.registry is registry
        # Handlers receive each service by its field name, and the whole set as `services`.
        data = app.dispatcher.workflow_data
        assert data["services"] is services
        assert data["application_service"] is services.application_service
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


async def test_one_redis_client_serves_state_lock_and_repeats(
    tmp_path: Path, redis_url: str, redis_key_prefix: str
) -> None:
    settings = _settings(tmp_path, PROGRAMS_DIR).model_copy(
        update={"redis_url": redis_url, "redis_prefix": redis_key_prefix}
    )
    app = await build_app(settings, platforms=[])
    try:
        assert app.redis is not None
        assert isinstance(app.storage, ScopedRedisStorage)
        assert app.storage.redis is app.redis
        isolation = app.dispatcher.fsm.events_isolation
        assert isinstance(isolation, RedisChatIsolation)
        assert isolation.redis is app.redis
        dedup = next(
            m for m in app.dispatcher.update.outer_middleware
            if isinstance(m, DeduplicateUpdatesMiddleware)
        )
        assert isinstance(dedup.seen, RedisSeenUpdates)
        assert dedup.seen.redis is app.redis
    finally:
        await app.close()
