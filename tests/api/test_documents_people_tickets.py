"""Document files (decrypted, every read audited), people by national code, tickets with their
messages."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from services.text import to_persian_digits
from storage.models import ApiAudit, ApplicationDocument
from tests.api.conftest import Keys
from tests.api.data import submitted_in, ticket_for, valid_national_code


async def audit_rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str]]:
    async with sessions() as session:
        return [(a, r) for a, r in await session.execute(
            select(ApiAudit.action, ApiAudit.resource).order_by(ApiAudit.id))]


async def test_a_document_streams_decrypted_and_each_read_is_audited(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["documents:read", "applications:read"])
    record = (await http.get(f"/v1/applications/{made.tracking_code}", headers=key.headers)).json()
    card = next(d for d in record["documents"] if d["kind"] == "national_card")
    async with session_factory() as session:
        row = await session.get(ApplicationDocument, card["id"])
    assert row is not None and row.store_key is not None
    stored = await services.document_store.get(row.store_key)
    # At rest the file is encrypted: what the API sends is the plaintext.
    on_disk = next(p for p in (services.document_store.root).rglob("*")  # type: ignore[attr-defined]
                   if p.is_file() and row.store_key in p.name)
    assert on_disk.read_bytes() != stored

    for _ in range(2):
        answer = await http.get(card["file_url"], headers=key.headers)
        assert answer.status_code == 200
        assert answer.content == stored and answer.headers["content-type"] == card["mime"]
        assert "attachment" in answer.headers["content-disposition"]
    reads = [r for a, r in await audit_rows(session_factory) if a == "document.read"]
    assert reads == [f"{made.tracking_code} document:{card['id']} national_card"] * 2

    assert (await http.get("/v1/documents/999999/file", headers=key.headers)).status_code == 404
    assert (await http.get("/v1/documents/0/file", headers=key.headers)).status_code == 422


async def test_people_lookup_any_digits_and_audited_by_id(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    code = valid_national_code(4_900_001)
    made = await submitted_in(services, session_factory, national_code=code)
    key = await keys.make(scopes=["people:read"])
    answer = await http.post("/v1/people/lookup", json={"national_code": to_persian_digits(code)},
                             headers={**key.headers, "Idempotency-Key": "l1"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["profile"]["national_code"] == code and body["registered"] is True
    assert [a["tracking_code"] for a in body["applications"]] == [made.tracking_code]
    assert ("person.lookup", f"person:{made.person_id}") in await audit_rows(session_factory)
    assert all(code not in resource for _, resource in await audit_rows(session_factory))

    invalid = await http.post("/v1/people/lookup", json={"national_code": "0012345670"},
                              headers={**key.headers, "Idempotency-Key": "l2"})
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid-national-code"
    unknown = await http.post("/v1/people/lookup",
                              json={"national_code": valid_national_code(7_777_777)},
                              headers={**key.headers, "Idempotency-Key": "l3"})
    assert unknown.status_code == 404


async def test_tickets_with_messages(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    ids = [await ticket_for(session_factory, made.person_id, "تهران", f"پیام {n}",
                            resolved=n < 2)
           for n in range(3)]
    key = await keys.make(scopes=["tickets:read"])
    page = (await http.get("/v1/tickets", params={"limit": 2}, headers=key.headers)).json()
    assert [t["id"] for t in page["items"]] == ids[:2] and page["next_cursor"]
    rest = (await http.get("/v1/tickets", params={"cursor": page["next_cursor"]},
                           headers=key.headers)).json()
    assert [t["id"] for t in rest["items"]] == ids[2:] and rest["next_cursor"] is None
    assert page["items"][0]["full_name"] == "زهرا احمدی"

    one = await http.get(f"/v1/tickets/{ids[0]}", headers=key.headers)
    assert one.status_code == 200
    assert [(m["direction"], m["text"]) for m in one.json()["messages"]] == [("in", "پیام 0")]
    etag = one.headers["etag"]
    cached = await http.get(f"/v1/tickets/{ids[0]}",
                            headers={**key.headers, "If-None-Match": etag})
    assert cached.status_code == 304
    assert ("ticket.read", f"ticket:{ids[0]}") in await audit_rows(session_factory)
    filtered = await http.get("/v1/tickets", params={"status": "open"}, headers=key.headers)
    assert [t["id"] for t in filtered.json()["items"]] == ids[2:]
