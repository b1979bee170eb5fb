"""Status changes through the API: the staff's state machine (a forbidden move is a 409 with the
reason), the person told through the outbox, and Idempotency-Key (a repeat is the first answer,
one transition; the same key for another body a 422)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.notices import APPLICATION_NEWS
from services.container import Services
from storage.models import ApplicationEvent, OutboxMessage
from tests.api.conftest import Key, Keys
from tests.api.data import give_account, submitted_in


async def move(
    http: httpx.AsyncClient, key: Key, code: str, body: dict[str, object], idem: str
) -> httpx.Response:
    return await http.post(f"/v1/applications/{code}/transitions", json=body,
                           headers={**key.headers, "Idempotency-Key": idem})


async def count(sessions: async_sessionmaker[AsyncSession], model: type, **where: object) -> int:
    async with sessions() as session:
        stmt = select(func.count()).select_from(model).filter_by(**where)
        return int(await session.scalar(stmt) or 0)


async def test_same_key_twice_is_one_transition(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:write"])
    events_before = await count(session_factory, ApplicationEvent, application_id=made.app_id)
    first = await move(http, key, made.tracking_code, {"to": "under_review"}, "idem-1")
    assert first.status_code == 200, first.text
    assert first.json()["application"]["status"] == "under_review"
    repeat = await move(http, key, made.tracking_code, {"to": "under_review"}, "idem-1")
    assert repeat.status_code == 200 and repeat.content == first.content
    assert repeat.headers["idempotent-replayed"] == "true"
    assert await count(session_factory, ApplicationEvent,
                       application_id=made.app_id) == events_before + 1

    reused = await move(http, key, made.tracking_code, {"to": "approved"}, "idem-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency-key-reused"
    # Another client's identical key is its own.
    other = await keys.make(scopes=["applications:write"])
    again = await move(http, other, made.tracking_code, {"to": "under_review"}, "idem-1")
    assert again.status_code == 409 and again.json()["code"] == "forbidden-transition"

    missing = await http.post(f"/v1/applications/{made.tracking_code}/transitions",
                              json={"to": "approved"}, headers=key.headers)
    assert missing.status_code == 422  # Idempotency-Key is required on every POST


async def test_forbidden_transition_is_409_with_the_reason(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:write"])
    answer = await move(http, key, made.tracking_code, {"to": "enrolled"}, "e-1")
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "forbidden-transition"
    assert problem["detail"] == "submitted -> enrolled is not allowed"
    assert problem["current_status"] == "submitted" and problem["target_status"] == "enrolled"
    assert set(problem["allowed"]) == {"under_review", "needs_documents"}
    # The answer is stored like any other: the repeat is the same 409.
    repeat = await move(http, key, made.tracking_code, {"to": "enrolled"}, "e-1")
    assert repeat.status_code == 409 and repeat.json() == problem

    # Even once the move became possible, the key's answer stays the first one.
    assert (await move(http, key, made.tracking_code, {"to": "under_review"}, "e-2")
            ).status_code == 200
    assert (await move(http, key, made.tracking_code, {"to": "approved"}, "e-3")
            ).status_code == 200
    stored = await move(http, key, made.tracking_code, {"to": "enrolled"}, "e-1")
    assert stored.status_code == 409 and stored.json() == problem
    assert stored.headers["idempotent-replayed"] == "true"
    assert (await move(http, key, made.tracking_code, {"to": "enrolled"}, "e-4")
            ).status_code == 200

    withdraw = await move(http, key, made.tracking_code, {"to": "withdrawn"}, "w-1")
    assert withdraw.status_code == 409 and withdraw.json()["code"] == "transition-not-for-api"
    assert "applicant" in withdraw.json()["detail"]


async def test_rules_of_the_staff_screens(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:write", "applications:read"])
    code = made.tracking_code
    assert (await move(http, key, code, {"to": "under_review"}, "1")).status_code == 200
    no_reason = await move(http, key, code, {"to": "rejected"}, "2")
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "reason-required"
    no_kinds = await move(http, key, code, {"to": "needs_documents"}, "3")
    assert no_kinds.status_code == 422 and no_kinds.json()["code"] == "documents-required"
    unknown = await move(http, key, code, {"to": "needs_documents", "documents": ["tattoo"]},
                         "4")
    assert unknown.status_code == 422, unknown.text
    asked = await move(http, key, code, {"to": "needs_documents", "documents": ["photo"],
                                         "reason": "عکس واضح‌تری بفرستید", "replace": True}, "5")
    assert asked.status_code == 200, asked.text
    body = asked.json()["application"]
    assert body["status"] == "needs_documents"
    assert any(d["kind"] == "photo" and d["state"] == "requested" for d in body["documents"])
    assert (await move(http, key, code, {"to": "under_review"}, "6")).status_code == 200
    outstanding = await move(http, key, code, {"to": "approved"}, "7")
    assert outstanding.status_code == 409 and outstanding.json()["code"] == (
        "documents-outstanding") and outstanding.json()["documents"] == ["photo"]
    rejected = await move(http, key, code, {"to": "rejected", "reason": "ظرفیت تکمیل است"}, "8")
    assert rejected.status_code == 200
    timeline = rejected.json()["application"]["timeline"]
    assert timeline[-1]["to_status"] == "rejected" and timeline[-1]["actor"] == "staff"
    assert timeline[-1]["reason"] == "ظرفیت تکمیل است"
    assert rejected.json()["application"]["allowed_transitions"] == []


async def test_the_person_is_told_through_the_outbox(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    made = await submitted_in(services, session_factory)
    await give_account(session_factory, made.person_id)
    key = await keys.make(scopes=["applications:write"])
    # Staff-side messages of the submission (alerts) are not the person's news.
    before = await count(session_factory, OutboxMessage, person_id=made.person_id,
                         kind=APPLICATION_NEWS)
    await move(http, key, made.tracking_code, {"to": "under_review"}, "a")
    approved = await move(http, key, made.tracking_code, {"to": "approved"}, "b")
    assert approved.status_code == 200, approved.text
    async with session_factory() as session:
        rows = (await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.person_id == made.person_id,
                   OutboxMessage.kind == APPLICATION_NEWS)
            .order_by(OutboxMessage.id)
        )).all()
    news = [row.payload["kind"] for row in rows][before:]
    assert news == ["under_review", "approved"]
    assert rows[-1].payload["params"]["tracking_code"] == made.tracking_code
    assert approved.json()["notified"] == 1  # one chat: the person's Telegram


async def test_the_same_key_at_the_same_moment_moves_once(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    import asyncio

    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:write"])
    events_before = await count(session_factory, ApplicationEvent, application_id=made.app_id)
    answers = await asyncio.gather(*(
        move(http, key, made.tracking_code, {"to": "under_review"}, "together")
        for _ in range(4)
    ))
    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) >= 1 and set(codes) <= {200, 409}, [a.text for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "idempotency-in-progress"
            assert answer.headers["retry-after"] == "1"
    assert await count(session_factory, ApplicationEvent,
                       application_id=made.app_id) == events_before + 1
    # Once answered, every repeat is the stored answer.
    late = await move(http, key, made.tracking_code, {"to": "under_review"}, "together")
    assert late.status_code == 200 and late.headers["idempotent-replayed"] == "true"


async def test_an_abandoned_claim_is_redone_and_old_keys_expire(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    import datetime as dt

    from storage.models import ApiClient, ApiIdempotency, utcnow

    made = await submitted_in(services, session_factory)
    key = await keys.make(scopes=["applications:write"])
    async with session_factory() as session:
        client_id = await session.scalar(select(ApiClient.id).where(ApiClient.name == key.name))
        assert client_id is not None
        # A worker died after claiming this key (no answer stored), and a day-old answer.
        session.add(ApiIdempotency(client_id=client_id, key="crashed", method_path="x",
                                   request_hash="x", created_at=utcnow() - dt.timedelta(minutes=5)))
        session.add(ApiIdempotency(client_id=client_id, key="old", method_path="x",
                                   request_hash="x", status_code=200, body=b"{}",
                                   created_at=utcnow() - dt.timedelta(hours=25)))
        await session.commit()
    redone = await move(http, key, made.tracking_code, {"to": "under_review"}, "crashed")
    assert redone.status_code == 200, redone.text
    assert "idempotent-replayed" not in redone.headers
    assert await count(session_factory, ApiIdempotency, key="old") == 0
    fresh = await move(http, key, made.tracking_code, {"to": "approved"}, "old")
    assert fresh.status_code == 200 and "idempotent-replayed" not in fresh.headers
