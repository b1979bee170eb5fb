"""The API served by uvicorn on a real port, as `run` serves it beside the bots; and the OpenAPI
document: every route with its answers, Persian examples where the data is Persian."""

from __future__ import annotations

import re
import socket

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.serving.api import api_beside_bots
from services.container import Services
from tests.api.conftest import Keys
from tests.api.data import submitted_in

PERSIAN = re.compile("[\u0600-\u06ff]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_served_beside_the_bots_on_a_real_port(
    settings: Settings, services: Services, keys: Keys,
    session_factory: async_sessionmaker[AsyncSession], capsys: object,
) -> None:
    made = await submitted_in(services, session_factory, "البرز")
    port = free_port()
    local = settings.model_copy(update={"api_port": port})
    key = await keys.make(scopes=["applications:read"], provinces=["البرز"])
    async with api_beside_bots(local, services, session_factory):
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            listed = await http.get("/v1/applications", headers=key.headers)
            assert listed.status_code == 200
            assert [i["tracking_code"] for i in listed.json()["items"]] == [made.tracking_code]
            assert (await http.get("/docs")).status_code == 200
            assert (await http.get("/openapi.json")).json()["info"]["title"] == "Maharatyar API"
            unknown = await http.get("/v2/nothing")
            assert unknown.status_code == 404
            assert unknown.headers["content-type"] == "application/problem+json"
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert f"http://127.0.0.1:{port}/docs" in printed
    # Stopped with the bots.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


async def test_api_with_bots_off_serves_nothing(
    settings: Settings, services: Services, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    port = free_port()
    local = settings.model_copy(update={"api_port": port, "api_with_bots": False})
    async with api_beside_bots(local, services, session_factory):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_openapi_documents_every_answer(app: FastAPI) -> None:
    document = app.openapi()
    assert document["openapi"].startswith("3.1")
    assert "ProblemBody" in document["components"]["schemas"]
    assert "HTTPBearer" in document["components"]["securitySchemes"]
    # The operations' probes answer without a key (a load balancer has none).
    paths = document["paths"]
    assert set(paths["/healthz"]["get"]["responses"]) == {"200"}
    assert {"200", "503"} <= set(paths["/readyz"]["get"]["responses"])
    assert {"200", "401"} <= set(paths["/metrics"]["get"]["responses"])
    for path, operations in paths.items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            assert {"200", "401", "429"} <= codes, where
            assert operation.get("security") == [{"HTTPBearer": []}], where
            if path != "/v1/me":
                assert "403" in codes, where
            # A route that reads parameters or a body can refuse them; one without cannot.
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in codes, where
            if "{" in path:
                assert "404" in codes, where
            if method == "post":
                assert "409" in codes or "422" in codes, where
                params = {p["name"] for p in operation.get("parameters", [])}
                assert "Idempotency-Key" in params, where
            if method == "get" and path != "/v1/me" and "file" not in path:
                assert "304" in codes and "ETag" in operation["responses"]["200"]["headers"], where
            for code in codes - {"200", "304"}:
                content = operation["responses"][code]["content"]
                assert "application/problem+json" in content, (where, code)
    assert "409" in document["paths"]["/v1/applications/{tracking_code}/transitions"]["post"][
        "responses"]
    for path in ("/v1/exam-sessions/{session_id}/results", "/v1/certificates"):
        assert "409" in document["paths"][path]["post"]["responses"], path
    links = document["paths"]["/v1/exam-sessions"]["post"]["responses"]["200"]["links"]
    operations = {op.get("operationId") for ops in document["paths"].values()
                  for op in ops.values()}
    assert {link["operationId"] for link in links.values()} <= operations
    schemas = document["components"]["schemas"]
    for name, field in (("ApplicationSummary", "province"), ("ApplicantOut", "full_name"),
                        ("TicketMessageOut", "text"), ("TransitionIn", "reason"),
                        ("ExamSessionIn", "place"), ("ExamSessionOut", "course_title"),
                        ("RollLineOut", "full_name"), ("CertificateOut", "title"),
                        ("JobLeadIn", "title"), ("JobLeadOut", "how_to_apply"),
                        ("InterestedOut", "full_name")):
        examples = schemas[name]["properties"][field].get("examples", [])
        assert any(PERSIAN.search(str(example)) for example in examples), (name, field)


async def test_a_taken_port_costs_only_the_api(
    settings: Settings, services: Services, session_factory: async_sessionmaker[AsyncSession],
    caplog: object,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        local = settings.model_copy(update={"api_port": port})
        entered = False
        async with api_beside_bots(local, services, session_factory):
            entered = True  # the bots' block runs; nothing raised, nothing exited
        assert entered
    assert "cannot listen" in caplog.text  # type: ignore[attr-defined]
