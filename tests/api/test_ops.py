"""/healthz, /readyz (503 with the failing check when the database or Redis does not answer) and
/metrics (API requests by route template, outbox depth, the token when set)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import create_app
from services.container import Services
from storage.db import create_engine, create_session_factory
from tests.api.conftest import Keys
from tests.tcp_proxy import closed_port


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


async def client_for(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://api.test")


async def test_healthz_answers_without_a_key(http: httpx.AsyncClient) -> None:
    answer = await http.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


async def test_readyz_checks_the_database(http: httpx.AsyncClient) -> None:
    answer = await http.get("/readyz")
    assert answer.status_code == 200, answer.text
    assert answer.json()["checks"] == {"database": "ok", "redis": "not configured"}


@pytest.fixture
async def unreachable_sessions(
    database_kind: str, database_url: str, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    if database_kind == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/gone/db.sqlite3")
        (tmp_path / "gone").rmdir()  # its folder replaced by a file: it cannot be opened
        (tmp_path / "gone").write_text("not a folder")
    else:
        url = make_url(database_url).set(host="127.0.0.1", port=closed_port())
        engine = create_engine(url.render_as_string(hide_password=False))
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def test_readyz_is_503_when_the_database_is_unreachable(
    services: Services, unreachable_sessions: async_sessionmaker[AsyncSession],
) -> None:
    app = create_app(services, unreachable_sessions)
    async with await client_for(app) as client:
        answer = await client.get("/readyz")
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        body = answer.json()
        assert body["code"] == "not-ready" and body["checks"]["database"] == "unreachable"
        assert (await client.get("/healthz")).status_code == 200  # alive all the same


async def test_readyz_checks_redis_when_configured(
    services: Services, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    down = create_app(services, session_factory, redis_url=f"redis://127.0.0.1:{closed_port()}/0")
    async with await client_for(down) as client:
        answer = await client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"] == {"database": "ok", "redis": "unreachable"}
    if not os.environ.get("TEST_REDIS_URL"):
        return
    up = create_app(services, session_factory, redis_url=os.environ["TEST_REDIS_URL"])
    async with await client_for(up) as client:
        answer = await client.get("/readyz")
        assert answer.status_code == 200, answer.text
        assert answer.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_metrics_count_api_requests_by_route_template(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    key = await keys.make()
    name = "maharatyar_api_requests_total"
    labels = (("client", key.name), ("method", "GET"),
              ("route", "/v1/applications/{tracking_code}"), ("status", "404"))
    before = samples((await http.get("/metrics")).text, name).get(labels, 0.0)
    for _ in range(2):
        answer = await http.get("/v1/applications/HMN-1405-999999", headers=key.headers)
        assert answer.status_code == 404
    await http.get("/no/such/path/HMN-1405-999999")
    text = (await http.get("/metrics")).text
    found = samples(text, name)
    assert found[labels] == before + 2
    assert not any("HMN-1405-999999" in value for label in found for _, value in label)
    assert any(dict(label)["route"] == "unmatched" for label in found)
    assert "# TYPE maharatyar_outbox_pending gauge" in text
    assert samples(text, "maharatyar_webhook_rows").keys() >= {
        (("status", "pending"),), (("status", "failed"),)
    }


async def test_metrics_token_when_set(
    services: Services, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    app = create_app(services, session_factory, metrics_token="s3cret-token")
    async with await client_for(app) as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
        assert right.status_code == 200
        assert right.headers["content-type"].startswith("text/plain")
        assert "maharatyar_api_requests_total" in right.text


async def test_a_nul_character_is_a_422_not_a_crash(
    http: httpx.AsyncClient, keys: Keys, database_kind: str
) -> None:
    # Found by schemathesis: PostgreSQL refuses NUL in text parameters (SQLite stores it).
    key = await keys.make()
    answer = await http.get("/v1/applications", params={"program": "a\x00b"},
                            headers=key.headers)
    if database_kind == "sqlite":
        assert answer.status_code == 200 and answer.json()["items"] == [], answer.text
    else:
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "invalid-text"
    assert (await http.get("/v1/applications", headers=key.headers)).status_code == 200
