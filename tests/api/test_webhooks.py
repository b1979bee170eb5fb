"""Outgoing webhooks: events are written in the change's transaction, filtered by the client's
provinces and scopes, signed, delivered to a real receiver over HTTP, retried after a failure and
given up after the last attempt; several senders never send one attempt twice."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from services.webhooks import WebhookPacing, WebhookSender, emit
from services.webhooks.events import EVENTS
from storage.models import Application, WebhookDelivery
from tests.api.conftest import Keys
from tests.api.data import add_person, submitted_in
from tests.api.webhook_receiver import Receiver, receiver_verifies, running_receiver
from tests.applications.helpers import pdf

FAST = WebhookPacing(max_attempts=3, backoff_seconds=0.0, timeout_seconds=5.0)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async for running in running_receiver(Receiver()):
        yield running


async def deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[WebhookDelivery]:
    async with sessions() as session:
        return list((await session.scalars(
            select(WebhookDelivery).order_by(WebhookDelivery.id)
        )).all())


def counted(result: str) -> float:
    value = REGISTRY.get_sample_value(
        "maharatyar_webhook_deliveries_total",
        {"event": "application.submitted", "result": result},
    )
    return value or 0.0


def readme_snippet() -> Callable[[str, dict[str, str], bytes], bool]:
    """The receiver's check as the README shows it, run as it is written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(import hashlib.*?def verified.*?)```", readme, re.S)
    assert block is not None, "the README lost its verification snippet"
    namespace: dict[str, Any] = {}
    exec(block.group(1), namespace)
    verified: Callable[[str, dict[str, str], bytes], bool] = namespace["verified"]
    return verified


async def send_pass(
    sessions: async_sessionmaker[AsyncSession], pacing: WebhookPacing = FAST
) -> int:
    async with aiohttp.ClientSession() as http:
        return await WebhookSender(sessions, pacing).pass_once(http)


async def test_a_submission_reaches_the_receiver_signed(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver, http: httpx.AsyncClient,
) -> None:
    key = await keys.make()  # every scope, every province
    endpoint, secret = await services.webhook_service.add(key.name, receiver.url, ["*"])
    before = time.time()
    made = await submitted_in(services, session_factory, "تهران", national_code="0012345679")

    assert await send_pass(session_factory) == 1
    [got] = receiver.received
    assert receiver_verifies(secret, got.headers, got.body)
    assert not receiver_verifies(secret + "x", got.headers, got.body)
    readme_verified = readme_snippet()
    assert readme_verified(secret, got.headers, got.body)
    assert not readme_verified(secret, got.headers, got.body + b" ")
    assert abs(int(got.headers["X-Maharatyar-Timestamp"]) - before) < 60
    assert got.headers["X-Maharatyar-Event"] == "application.submitted"
    event = got.event
    assert got.headers["X-Maharatyar-Event-Id"] == event["id"]
    assert event["type"] == "application.submitted"
    data = event["data"]
    assert data["tracking_code"] == made.tracking_code
    assert data["province"] == "تهران" and data["status"] == "submitted"
    assert data["person"]["national_code"] == "0012345679"  # this key has people:read

    [row] = await deliveries(session_factory)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 200)
    assert row.endpoint_id == endpoint.id
    assert await send_pass(session_factory) == 0  # delivered is not sent again

    listed = await http.get("/v1/webhooks/deliveries", headers=key.headers)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert item["status"] == "delivered" and item["event_id"] == event["id"]
    endpoints = await http.get("/v1/webhooks", headers=key.headers)
    assert [e["url"] for e in endpoints.json()["items"]] == [receiver.url]
    assert "secret" not in endpoints.text and secret not in endpoints.text


async def test_retried_after_a_500_then_delivered_with_the_same_event_id(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    receiver.answers = [500, 200]
    key = await keys.make(scopes=["applications:read"])
    _, secret = await services.webhook_service.add(key.name, receiver.url, ["*"])
    await submitted_in(services, session_factory, "تهران")
    counted_before = {result: counted(result) for result in ("retry", "delivered")}

    await send_pass(session_factory)
    [row] = await deliveries(session_factory)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, 500)
    assert row.last_error == "HTTP 500"
    await send_pass(session_factory)
    [row] = await deliveries(session_factory)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 2, 200)
    first, second = receiver.received
    assert first.event["id"] == second.event["id"] == row.event_id
    assert all(receiver_verifies(secret, r.headers, r.body) for r in receiver.received)
    assert "person" not in second.event["data"]  # no people:read: no national code or phone
    assert counted("retry") == counted_before["retry"] + 1  # shown on /metrics
    assert counted("delivered") == counted_before["delivered"] + 1


async def test_backoff_waits_then_gives_up_with_the_error_kept(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver, http: httpx.AsyncClient,
) -> None:
    receiver.answers = [503]
    key = await keys.make()
    await services.webhook_service.add(key.name, receiver.url, ["application.submitted"])
    await submitted_in(services, session_factory, "تهران")

    slow = WebhookPacing(max_attempts=2, backoff_seconds=3600.0)
    await send_pass(session_factory, slow)
    assert await send_pass(session_factory, slow) == 0  # waiting for its retry
    async with session_factory() as session:  # the hour has passed
        await session.execute(update(WebhookDelivery).values(next_attempt_at=func.now()))
        await session.commit()
    await send_pass(session_factory, slow)
    [row] = await deliveries(session_factory)
    assert (row.status, row.attempts, row.last_error) == ("failed", 2, "HTTP 503")
    assert len(receiver.received) == 2
    failed = await http.get("/v1/webhooks/deliveries?status=failed", headers=key.headers)
    assert [d["last_error"] for d in failed.json()["items"]] == ["HTTP 503"]


async def test_an_unreachable_receiver_is_retried_with_its_error(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
) -> None:
    from tests.tcp_proxy import closed_port

    key = await keys.make()
    await services.webhook_service.add(key.name, f"http://127.0.0.1:{closed_port()}/x", ["*"])
    await submitted_in(services, session_factory, "تهران")
    await send_pass(session_factory)
    [row] = await deliveries(session_factory)
    assert row.status == "pending" and row.attempts == 1 and row.last_status_code is None
    assert row.last_error and "Connect" in row.last_error


async def test_province_limited_clients_get_only_their_provinces_events(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    tehran = await keys.make(scopes=["applications:read"], provinces=["تهران"])
    alborz = await keys.make(scopes=["applications:read"], provinces=["البرز"])
    everywhere = await keys.make(scopes=["applications:read"])
    no_scope = await keys.make(scopes=["courses:write"])
    for key in (tehran, alborz, everywhere, no_scope):
        await services.webhook_service.add(key.name, receiver.url, ["*"])

    await submitted_in(services, session_factory, "تهران")
    await submitted_in(services, session_factory, "البرز")
    rows = await deliveries(session_factory)
    endpoints = {e.client: e.id for e in await services.webhook_service.endpoints()}
    got = sorted(
        (name, row.body["data"]["province"]) for row in rows
        for name, endpoint_id in endpoints.items() if row.endpoint_id == endpoint_id
    )
    assert got == sorted([
        (tehran.name, "تهران"), (alborz.name, "البرز"),
        (everywhere.name, "تهران"), (everywhere.name, "البرز"),
    ])


async def test_the_event_belongs_to_the_change_transaction(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    key = await keys.make()
    await services.webhook_service.add(key.name, receiver.url, ["*"])
    made = await submitted_in(services, session_factory, "تهران")
    before = len(await deliveries(session_factory))

    async with session_factory() as session:  # a change that fails after its event
        await session.execute(
            update(Application).where(Application.id == made.app_id).values(status="approved")
        )
        assert await emit(session, "application.status_changed", province="تهران",
                          data={"tracking_code": made.tracking_code}) == 1
        await session.rollback()
    assert len(await deliveries(session_factory)) == before

    # The same change committed keeps its event.
    async with session_factory() as session:
        await session.execute(
            update(Application).where(Application.id == made.app_id).values(status="approved")
        )
        await emit(session, "application.status_changed", province="تهران",
                   data={"tracking_code": made.tracking_code})
        await session.commit()
    assert len(await deliveries(session_factory)) == before + 1


async def test_api_transition_document_upload_and_ticket_emit_their_events(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver, http: httpx.AsyncClient,
) -> None:
    key = await keys.make()
    await services.webhook_service.add(key.name, receiver.url, ["*"])
    made = await submitted_in(services, session_factory, "تهران")
    answer = await http.post(
        f"/v1/applications/{made.tracking_code}/transitions",
        json={"to": "needs_documents", "documents": ["national_card"], "replace": True,
              "reason": "تصویر خوانا نیست"},
        headers={**key.headers, "Idempotency-Key": "hook-1"},
    )
    assert answer.status_code == 200, answer.text
    outcome = await services.application_service.add_document(
        made.app_id, made.person_id, "national_card", pdf(99)
    )
    assert outcome.name == "ACCEPTED"
    await services.ticket_service.open_ticket(made.person_id, "application", {})
    again = await http.post(  # more papers asked for while waiting for papers
        f"/v1/applications/{made.tracking_code}/transitions",
        json={"to": "needs_documents", "documents": ["photo"], "replace": True},
        headers={**key.headers, "Idempotency-Key": "hook-2"},
    )
    assert again.status_code == 200, again.text
    types = [row.event_type for row in await deliveries(session_factory)]
    assert types == [
        "application.submitted", "application.status_changed", "document.uploaded",
        "ticket.opened", "application.status_changed",
    ]
    rows = await deliveries(session_factory)
    changed, uploaded, opened, asked_again = (r.body["data"] for r in rows[1:])
    assert asked_again["previous_status"] == asked_again["status"] == "needs_documents"
    assert (changed["previous_status"], changed["status"]) == ("submitted", "needs_documents")
    assert uploaded["document"]["kind"] == "national_card"
    assert uploaded["tracking_code"] == made.tracking_code
    assert opened["province"] == "تهران" and opened["reopened"] is False

    assert await send_pass(session_factory) == 5
    assert sorted(r.headers["X-Maharatyar-Event"] for r in receiver.received) == sorted(types)


async def test_two_senders_share_the_rows_without_sending_one_twice(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    key = await keys.make()
    await services.webhook_service.add(key.name, receiver.url, ["*"])
    person = await add_person(session_factory, province="تهران")
    for n in range(12):  # 12 events without 12 applications: emitted as a service would
        async with session_factory() as session:
            await emit(session, "ticket.opened", province="تهران", person_id=person,
                       data={"n": n})
            await session.commit()
    small = WebhookPacing(batch=5, backoff_seconds=0.0)
    async with aiohttp.ClientSession() as http_a, aiohttp.ClientSession() as http_b:
        one, two = WebhookSender(session_factory, small), WebhookSender(session_factory, small)
        while True:
            sent = await asyncio.gather(one.pass_once(http_a), two.pass_once(http_b))
            if not any(sent):
                break
    assert sorted(r.event["data"]["n"] for r in receiver.received) == list(range(12))
    assert {r.status for r in await deliveries(session_factory)} == {"delivered"}


async def test_a_removed_endpoint_gets_nothing_more(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    key = await keys.make()
    endpoint, _ = await services.webhook_service.add(key.name, receiver.url, ["*"])
    await submitted_in(services, session_factory, "تهران")
    _, dropped = await services.webhook_service.remove(endpoint.id)
    assert dropped == 1
    await submitted_in(services, session_factory, "البرز")
    assert await send_pass(session_factory) == 0
    assert receiver.received == []
    [row] = await deliveries(session_factory)
    assert (row.status, row.last_error) == ("failed", "endpoint removed")


def test_every_event_names_a_known_scope() -> None:
    from services.api_clients import SCOPES

    assert {scope for scope, _ in EVENTS.values()} <= set(SCOPES)


async def test_old_finished_deliveries_are_purged_pending_ones_stay(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    import datetime as dt

    from services.webhooks.service import purge_deliveries

    key = await keys.make()
    await services.webhook_service.add(key.name, receiver.url, ["*"])
    await submitted_in(services, session_factory, "تهران")
    await send_pass(session_factory)  # delivered
    await submitted_in(services, session_factory, "البرز")  # pending
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert await purge_deliveries(session_factory, keep_days=30) == 0  # not old yet
    assert await purge_deliveries(session_factory, keep_days=30, now=later) == 1
    [left] = await deliveries(session_factory)
    assert left.status == "pending"


async def test_the_running_sender_is_woken_by_the_commit(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver,
) -> None:
    """As `python -m bot api` and `make run` run it: polling only every minute here, so a
    delivery within seconds is the commit waking it."""
    from services.webhooks.sender import sender_running

    key = await keys.make()
    await services.webhook_service.add(key.name, receiver.url, ["*"])
    async with sender_running(session_factory, WebhookPacing(poll_seconds=60.0)):
        await asyncio.sleep(0.2)  # its first look found nothing; it sleeps now
        made = await submitted_in(services, session_factory, "تهران")
        for _ in range(100):
            if receiver.received:
                break
            await asyncio.sleep(0.05)
    assert [r.event["data"]["tracking_code"] for r in receiver.received] == [made.tracking_code]


async def test_deliveries_come_in_cursor_pages_of_the_clients_own(
    services: Services, session_factory: async_sessionmaker[AsyncSession], keys: Keys,
    receiver: Receiver, http: httpx.AsyncClient,
) -> None:
    mine = await keys.make()
    other = await keys.make()
    for key in (mine, other):
        await services.webhook_service.add(key.name, receiver.url, ["*"])
    for province in ("تهران", "البرز", "فارس"):
        await submitted_in(services, session_factory, province)
    first = await http.get("/v1/webhooks/deliveries?limit=2", headers=mine.headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    unchanged = await http.get(
        "/v1/webhooks/deliveries?limit=2",
        headers={**mine.headers, "If-None-Match": first.headers["ETag"]},
    )
    assert unchanged.status_code == 304 and not unchanged.content
    second = await http.get(
        f"/v1/webhooks/deliveries?limit=2&cursor={page['next_cursor']}", headers=mine.headers
    )
    rest = second.json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    ids = [d["id"] for d in page["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first, none twice
    provinces = {d["body"]["data"]["province"] for d in page["items"] + rest["items"]}
    assert provinces == {"تهران", "البرز", "فارس"}
    mine_endpoints = {e.id for e in await services.webhook_service.endpoints(mine.name)}
    assert {d["endpoint_id"] for d in page["items"] + rest["items"]} == mine_endpoints
    bad = await http.get("/v1/webhooks/deliveries?cursor=nonsense", headers=mine.headers)
    # The cursor's shape is a pattern in the schema: a malformed one fails validation.
    assert bad.status_code == 422 and bad.json()["code"] == "invalid-request"
