"""Reading applications: stable pages, filters, one by tracking code (any spelling), ETag/304,
national codes only for people:read, and every read in the audit."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from services.text import to_persian_digits
from storage.models import ApiAudit
from tests.api.conftest import Keys
from tests.api.data import submitted_in


async def audit_actions(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str]]:
    async with sessions() as session:
        rows = await session.execute(select(ApiAudit.action, ApiAudit.resource)
                                     .order_by(ApiAudit.id))
        return [(a, r) for a, r in rows]


async def test_pages_are_stable_while_applications_arrive(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = [await submitted_in(services, session_factory) for _ in range(5)]
    key = await keys.make(scopes=["applications:read"])
    first = await http.get("/v1/applications", params={"limit": 2}, headers=key.headers)
    assert first.status_code == 200, first.text
    page1 = first.json()
    assert [i["tracking_code"] for i in page1["items"]] == [m.tracking_code for m in made[:2]]
    # A new application and a status change while the client pages: no repeat, no gap.
    late = await submitted_in(services, session_factory)
    codes = [i["tracking_code"] for i in page1["items"]]
    cursor = page1["next_cursor"]
    while cursor:
        page = (await http.get("/v1/applications", params={"limit": 2, "cursor": cursor},
                               headers=key.headers)).json()
        codes += [i["tracking_code"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert codes == [m.tracking_code for m in [*made, late]]
    assert len(set(codes)) == len(codes)

    bad = await http.get("/v1/applications", params={"cursor": "garbage!"}, headers=key.headers)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid-request"
    assert bad.json()["errors"][0]["loc"] == ["query", "cursor"]


async def test_filters(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    tehran = await submitted_in(services, session_factory, "تهران")
    alborz = await submitted_in(services, session_factory, "البرز")
    key = await keys.make(scopes=["applications:read"])

    async def codes(**params: str) -> list[str]:
        answer = await http.get("/v1/applications", params=params, headers=key.headers)
        assert answer.status_code == 200, answer.text
        return [i["tracking_code"] for i in answer.json()["items"]]

    assert await codes(province="البرز") == [alborz.tracking_code]
    assert await codes(course=alborz.course_code) == [alborz.tracking_code]
    assert await codes(course=tehran.course_code) == [tehran.tracking_code]
    assert await codes(status="submitted") == [tehran.tracking_code, alborz.tracking_code]
    assert await codes(status="approved") == []
    assert await codes(program="karafan") == []
    assert await codes(program="hamnava") == [tehran.tracking_code, alborz.tracking_code]
    assert await codes(updated_since="2999-01-01T00:00:00Z") == []
    assert len(await codes(updated_since="2000-01-01T00:00:00")) == 2
    for not_a_time in ("0.5", "yesterday", "2026-13-01"):
        answer = await http.get("/v1/applications", params={"updated_since": not_a_time},
                                headers=key.headers)
        assert answer.status_code == 422, not_a_time
    far = await http.get("/v1/applications", params={"updated_since": "0001-01-01T00:00:00+05:00"},
                         headers=key.headers)
    assert far.status_code == 200 and len(far.json()["items"]) == 2
    bad = await http.get("/v1/applications", params={"status": "nonsense"}, headers=key.headers)
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


async def test_one_application_and_its_etag(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:read"])
    answer = await http.get(f"/v1/applications/{made.tracking_code}", headers=key.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["tracking_code"] == made.tracking_code and body["status"] == "submitted"
    assert body["applicant"]["full_name"] == "زهرا احمدی"
    assert body["applicant"]["national_code"] is None and body["applicant"]["phone"] is None
    assert {d["kind"] for d in body["documents"]} >= {"national_card", "photo"}
    assert all(d["file_url"].startswith("/v1/documents/") for d in body["documents"])
    assert [e["to_status"] for e in body["timeline"]] == ["draft", "submitted"]
    assert body["answers"] and set(body["allowed_transitions"]) == {
        "under_review", "needs_documents"}

    etag = answer.headers["etag"]
    again = await http.get(f"/v1/applications/{made.tracking_code}",
                           headers={**key.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    # A change makes a new ETag: the old one no longer gets 304.
    writer = await keys.make(scopes=["applications:write"])
    moved = await http.post(f"/v1/applications/{made.tracking_code}/transitions",
                            json={"to": "under_review"},
                            headers={**writer.headers, "Idempotency-Key": "take-1"})
    assert moved.status_code == 200, moved.text
    changed = await http.get(f"/v1/applications/{made.tracking_code}",
                             headers={**key.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag

    # The code typed the way people type it: Persian digits, lower case, spaces.
    spelled = to_persian_digits(made.tracking_code.lower().replace("-", " "))
    assert (await http.get(f"/v1/applications/{spelled}", headers=key.headers)).status_code == 200
    missing = await http.get("/v1/applications/HMN-1405-999999", headers=key.headers)
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"

    actions = [a for a, _ in await audit_actions(session_factory)]
    assert actions.count("application.read") >= 3


async def test_list_etag(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:read"])
    first = await http.get("/v1/applications", headers=key.headers)
    same = await http.get("/v1/applications",
                          headers={**key.headers, "If-None-Match": f'W/{first.headers["etag"]}'})
    assert same.status_code == 304
    await submitted_in(services, session_factory)
    grown = await http.get("/v1/applications",
                           headers={**key.headers, "If-None-Match": first.headers["etag"]})
    assert grown.status_code == 200 and len(grown.json()["items"]) == 2


async def test_national_codes_only_for_people_read(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory, national_code="0012345679")
    plain = await keys.make(scopes=["applications:read"])
    people = await keys.make(scopes=["applications:read", "people:read"])
    for key, shown in ((plain, False), (people, True)):
        one = (await http.get(f"/v1/applications/{made.tracking_code}",
                              headers=key.headers)).json()
        listed = (await http.get("/v1/applications", headers=key.headers)).json()["items"][0]
        assert (one["applicant"]["national_code"] == "0012345679") is shown
        assert (one["applicant"]["phone"] == "09121234567") is shown
        assert (listed["national_code"] == "0012345679") is shown
        if not shown:
            assert "0012345679" not in str(one) + str(listed)


async def test_lists_are_audited(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:read"])
    await http.get("/v1/applications", headers=key.headers)
    assert ("applications.list", f"{made.tracking_code}..{made.tracking_code} (1)") in (
        await audit_actions(session_factory)
    )
    async with session_factory() as session:
        before = await session.scalar(select(func.count()).select_from(ApiAudit))
    await http.get("/v1/applications", params={"status": "approved"}, headers=key.headers)
    async with session_factory() as session:
        after = await session.scalar(select(func.count()).select_from(ApiAudit))
    assert after == before  # an empty page showed nobody
