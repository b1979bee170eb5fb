"""The HTTP API on the test database: Services as the product builds them, the FastAPI app
spoken to over HTTP (httpx through the ASGI transport; test_serving also runs real uvicorn), and
API clients made as the CLI makes them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import create_app
from bot.config import Settings
from services.api_clients import SCOPES
from services.container import Services, build_services
from tests.applications.conftest import (  # noqa: F401  (fixtures)
    database_url,
    migrated_sqlite_template,
)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:  # noqa: F811  (the fixture)
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        document_dir=tmp_path / "documents",
        document_key_file=tmp_path / "document.key",
        quiet_hours="",
    )


@pytest.fixture
def services(settings: Settings, session_factory: async_sessionmaker[AsyncSession]) -> Services:
    return build_services(settings, session_factory)


@pytest.fixture
def app(services: Services, session_factory: async_sessionmaker[AsyncSession]) -> FastAPI:
    return create_app(services, session_factory)


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield client


@dataclass(frozen=True)
class Key:
    name: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


class Keys:
    """Makes API clients (as `api-clients create` does) for one test."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._count = 0

    async def make(
        self,
        scopes: Sequence[str] = tuple(SCOPES),
        provinces: Sequence[str] = (),
        rate_limit: int = 10_000,
    ) -> Key:
        self._count += 1
        name = f"client-{self._count}"
        _, key = await self._services.api_client_service.create(
            name, list(scopes), provinces, rate_limit
        )
        return Key(name, key)


@pytest.fixture
def keys(services: Services) -> Keys:
    return Keys(services)
