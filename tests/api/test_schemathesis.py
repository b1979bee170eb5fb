"""Schemathesis against the API served by real uvicorn on a free loopback port (its own thread
and event loop, as in production), on SQLite and PostgreSQL, with a key of every scope and one
submitted application: for every operation of the OpenAPI document, generated requests never
get a 500, and every answer's status, content type, headers and body match the document.

Bounded (MAX_EXAMPLES per operation) so both databases take well under a minute. Not stateful:
the document declares no links yet. The documented examples are tried too, and the seeded
application carries the example tracking code, so reads and transitions of a real one are
fuzzed, not only 404s."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from api import create_app
from api.schemas.applications import TRACKING_CODE_EXAMPLE
from bot.config import Settings
from services.api_clients import SCOPES
from services.container import build_services
from storage.db import create_engine, create_session_factory
from storage.models import Application
from tests.api.data import submitted_in

MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_headers_conformance, response_schema_conformance,
]


class ServedApi:
    """The API on uvicorn in a thread of its own, on its own engine, until stop()."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self._database_url, self._folder = database_url, folder
        self._server: uvicorn.Server | None = None
        self.key = ""
        self.port = 0
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="api-under-test", daemon=True)

    def start(self) -> ServedApi:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.port:
            if self._failed is not None:
                raise self._failed
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise AssertionError("the API did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout=10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported by start()
            self._failed = error

    async def _serve(self) -> None:
        engine = create_engine(self._database_url)
        try:
            sessions = create_session_factory(engine)
            config = Settings(
                _env_file=None,  # type: ignore[call-arg]
                database_url=self._database_url, document_dir=self._folder / "documents",
                document_key_file=self._folder / "document.key", quiet_hours="",
            )
            services = build_services(config, sessions)
            _, self.key = await services.api_client_service.create(
                "fuzzer", sorted(SCOPES), (), 1_000_000
            )
            made = await submitted_in(services, sessions, "تهران")
            async with sessions() as session:  # the documented example names a real one
                await session.execute(
                    update(Application).where(Application.id == made.app_id)
                    .values(tracking_code=TRACKING_CODE_EXAMPLE)
                )
                await session.commit()
            server = uvicorn.Server(uvicorn.Config(
                create_app(services, sessions), host="127.0.0.1", port=0, lifespan="off",
                log_level="warning", access_log=False,
            ))
            self._server = server
            task = asyncio.create_task(server.serve())
            while not server.started and not task.done():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            if server.started:
                self.port = server.servers[0].sockets[0].getsockname()[1]
            await task
        finally:
            await engine.dispose()


@pytest.fixture
def served_api(database_url: str, tmp_path: Path) -> Any:
    served = ServedApi(database_url, tmp_path).start()
    try:
        yield served
    finally:
        served.stop()


def test_every_operation_answers_as_documented(served_api: ServedApi) -> None:
    document = requests.get(f"{served_api.base_url}/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(document)
    auth = {"Authorization": f"Bearer {served_api.key}"}
    operations = 0
    statuses: set[int] = set()
    reached: set[str] = set()
    with requests.Session() as session:
        session.hooks["response"].append(lambda r, *_, **__: statuses.add(r.status_code))
        session.hooks["response"].append(lambda r, *_, **__: reached.add(
            f"{r.status_code} {r.request.method} "
            + r.request.path_url.split("?")[0].replace(TRACKING_CODE_EXAMPLE, "{tracking_code}")
        ))
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result  # an operation the document describes badly
            operation = result.ok()
            operations += 1

            # Generated cases, and the document's own examples (which name real data here).
            examples = schema.get_strategies_from_examples(operation)

            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck), derandomize=True)
            @given(case=st.one_of(operation.as_strategy(), *examples))
            def answers_as_documented(case: Any) -> None:
                case.call_and_validate(
                    base_url=served_api.base_url, session=session, headers=auth,
                    checks=CHECKS, timeout=30,
                )

            answers_as_documented()
    assert operations >= 14, operations  # every resource and the operations' routes
    # The key worked and the data was reached (not only refusals), and bad input was refused.
    assert {200, 404, 422} <= statuses, statuses
    assert "200 GET /v1/applications/{tracking_code}" in reached, sorted(reached)
    assert 401 not in statuses and 403 not in statuses, statuses
