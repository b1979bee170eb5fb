"""Who may call what: no key, an unknown, malformed, revoked or replaced key is 401; a key
without the route's scope 403 (every route); past the client's rate 429 with Retry-After."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import SCOPES
from services.container import Services
from tests.api.conftest import Keys

# Every route with the scope it needs; a body good enough to pass validation where needed.
ROUTES: list[tuple[str, str, str, dict[str, object] | None]] = [
    ("GET", "/v1/applications", "applications:read", None),
    ("GET", "/v1/applications/HMN-1405-000001", "applications:read", None),
    ("POST", "/v1/applications/HMN-1405-000001/transitions", "applications:write",
     {"to": "under_review"}),
    ("GET", "/v1/documents/1/file", "documents:read", None),
    ("POST", "/v1/courses", "courses:write", {"items": [{"course_code": "X1"}]}),
    ("POST", "/v1/courses/X1/close", "courses:write", None),
    ("POST", "/v1/people/lookup", "people:read", {"national_code": "0012345679"}),
    ("GET", "/v1/tickets", "tickets:read", None),
    ("GET", "/v1/tickets/1", "tickets:read", None),
    ("GET", "/v1/exam-sessions", "exams:read", None),
    ("GET", "/v1/exam-sessions/1", "exams:read", None),
    ("POST", "/v1/exam-sessions", "exams:write",
     {"course_code": "X1", "kind": "written", "starts_at": "2030-01-10T09:30:00+03:30",
      "place": "مرکز یک", "capacity": 10}),
    ("POST", "/v1/exam-sessions/1/move", "exams:write",
     {"starts_at": "2030-01-12T09:30:00+03:30"}),
    ("POST", "/v1/exam-sessions/1/cancel", "exams:write", None),
    ("GET", "/v1/exam-sessions/1/roll", "exams:read", None),
    ("POST", "/v1/exam-sessions/1/attendance", "exams:write",
     {"tracking_code": "HMN-1405-000001", "attended": True}),
    ("POST", "/v1/exam-sessions/1/results", "exams:write",
     {"tracking_code": "HMN-1405-000001", "passed": True, "score": 80}),
    ("GET", "/v1/certificates?tracking_code=HMN-1405-000001", "exams:read", None),
    ("POST", "/v1/certificates", "exams:write",
     {"tracking_code": "HMN-1405-000001", "number": "TV-1"}),
    ("GET", "/v1/job-leads", "job_leads:read", None),
    ("GET", "/v1/job-leads/1", "job_leads:read", None),
    ("POST", "/v1/job-leads", "job_leads:write",
     {"title": "خیاط", "employer": "تولیدی", "province": "تهران", "fields": ["پوشاک"],
      "deadline": "2030-01-20", "how_to_apply": "تماس"}),
    ("GET", "/v1/job-leads/1/interested", "job_leads:read", None),
    ("GET", "/v1/webhooks", "webhooks:read", None),
    ("GET", "/v1/webhooks/deliveries", "webhooks:read", None),
]


async def call(
    http: httpx.AsyncClient, method: str, path: str, body: dict[str, object] | None,
    headers: dict[str, str],
) -> httpx.Response:
    headers = {**headers, "Idempotency-Key": f"k-{method}-{path}"} if method == "POST" else headers
    return await http.request(method, path, json=body, headers=headers)


def test_every_v1_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/v1/") and path != "/v1/me"
        for method in operations
    }
    matrix_templates = {
        ("GET", "/v1/applications"), ("GET", "/v1/applications/{tracking_code}"),
        ("POST", "/v1/applications/{tracking_code}/transitions"),
        ("GET", "/v1/documents/{document_id}/file"), ("POST", "/v1/courses"),
        ("POST", "/v1/courses/{course_code}/close"), ("POST", "/v1/people/lookup"),
        ("GET", "/v1/tickets"), ("GET", "/v1/tickets/{ticket_id}"),
        ("GET", "/v1/exam-sessions"), ("POST", "/v1/exam-sessions"),
        ("GET", "/v1/exam-sessions/{session_id}"),
        ("POST", "/v1/exam-sessions/{session_id}/move"),
        ("POST", "/v1/exam-sessions/{session_id}/cancel"),
        ("GET", "/v1/exam-sessions/{session_id}/roll"),
        ("POST", "/v1/exam-sessions/{session_id}/attendance"),
        ("POST", "/v1/exam-sessions/{session_id}/results"),
        ("GET", "/v1/certificates"), ("POST", "/v1/certificates"),
        ("GET", "/v1/job-leads"), ("POST", "/v1/job-leads"), ("GET", "/v1/job-leads/{lead_id}"),
        ("GET", "/v1/job-leads/{lead_id}/interested"),
        ("GET", "/v1/webhooks"), ("GET", "/v1/webhooks/deliveries"),
    }
    assert routes == matrix_templates


@pytest.mark.parametrize(("method", "path", "scope", "body"), ROUTES)
async def test_no_key_unknown_key_and_wrong_scope(
    http: httpx.AsyncClient, keys: Keys, method: str, path: str, scope: str,
    body: dict[str, object] | None,
) -> None:
    answer = await call(http, method, path, body, {})
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json()["code"] == "unauthorized"

    for bad in ("mhy_0123456789_" + "A" * 43, "not-a-key", ""):
        answer = await call(http, method, path, body, {"Authorization": f"Bearer {bad}"})
        assert answer.status_code == 401, (bad, answer.text)

    others = [s for s in SCOPES if s != scope]
    without = await keys.make(scopes=others)
    answer = await call(http, method, path, body, without.headers)
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "forbidden" and answer.json()["scope"] == scope

    with_scope = await keys.make(scopes=[scope])
    answer = await call(http, method, path, body, with_scope.headers)
    assert answer.status_code not in (401, 403), answer.text


async def test_revoked_and_rotated_keys(
    http: httpx.AsyncClient, keys: Keys, services: Services
) -> None:
    key = await keys.make(scopes=["applications:read"])
    assert (await http.get("/v1/me", headers=key.headers)).status_code == 200

    _, new_key = await services.api_client_service.rotate(key.name)
    assert (await http.get("/v1/me", headers=key.headers)).status_code == 401
    new_headers = {"Authorization": f"Bearer {new_key}"}
    me = await http.get("/v1/me", headers=new_headers)
    assert me.status_code == 200 and me.json()["name"] == key.name

    await services.api_client_service.revoke(key.name)
    answer = await http.get("/v1/applications", headers=new_headers)
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"


async def test_a_key_is_stored_only_as_a_hash(
    keys: Keys, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    from sqlalchemy import select

    from storage.models import ApiClient

    key = await keys.make()
    async with session_factory() as session:
        row = await session.scalar(select(ApiClient).where(ApiClient.name == key.name))
    assert row is not None
    assert key.key not in (row.key_hash, row.key_prefix) and len(row.key_hash) == 64
    assert key.key.split("_", 2)[2] not in row.key_hash  # the secret may hold "_" itself


async def test_rate_limit_answers_429_with_retry_after(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    key = await keys.make(scopes=["applications:read"], rate_limit=3)
    codes = [(await http.get("/v1/applications", headers=key.headers)).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = await http.get("/v1/applications", headers=key.headers)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["code"] == "rate-limited"
    # Another client is not held back by this one's flood.
    other = await keys.make(scopes=["applications:read"], rate_limit=3)
    assert (await http.get("/v1/applications", headers=other.headers)).status_code == 200
