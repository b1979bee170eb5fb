"""Events for the API clients' webhooks, written by the service that makes the change, inside its
transaction (like services/outbox.enqueue): the change and its deliveries are saved together or
not at all.

Each matching endpoint gets one delivery row with the body it will be sent: clients limited to
provinces get only their provinces' events (an event without a province only reaches clients of
every province), a client needs the event's scope, and a person's national code and phone are
added only for clients with `people:read`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession

from services.api_clients import ClientIdentity, identity_of
from services.webhooks.wake import wake_senders
from storage.models import utcnow
from storage.repositories.persons import PersonRepository
from storage.repositories.webhooks import WebhookRepository

PERSONAL_SCOPE = "people:read"
ALL_EVENTS = "*"

# Event type -> (the scope a client needs to receive it, what it tells).
EVENTS: dict[str, tuple[str, str]] = {
    "application.submitted": (
        "applications:read", "a person sent an application (it now has a tracking code)",
    ),
    "application.status_changed": (
        "applications:read",
        "an application's status changed after submission (staff, the person or the API)",
    ),
    "document.uploaded": (
        "applications:read",
        "a person uploaded a document to a sent application (files uploaded to a draft come "
        "with application.submitted)",
    ),
    "ticket.opened": ("tickets:read", "a person's hand-off ticket was opened or reopened"),
    "exam.result_recorded": (
        "exams:read", "a written or practical exam's result was recorded (or corrected)",
    ),
    "certificate.issued": (
        "exams:read", "a certificate was issued; the application is now completed",
    ),
}


@dataclass(frozen=True, slots=True)
class _Target:
    endpoint_id: int
    client: ClientIdentity


def iso(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


async def emit(
    session: AsyncSession,
    event_type: str,
    *,
    province: str | None,
    data: dict[str, Any],
    person_id: int | None = None,
) -> int:
    """Add one delivery per matching endpoint to the caller's transaction (no commit); returns
    how many. `data` must hold nothing personal: the person's national code and phone are
    added here, and only for the clients allowed to see them."""
    scope, _ = EVENTS[event_type]
    repo = WebhookRepository(session)
    targets = [
        _Target(endpoint.id, identity_of(client))
        for endpoint, client in await repo.active_endpoints()
        if ALL_EVENTS in endpoint.events or event_type in endpoint.events
    ]
    targets = [
        t for t in targets
        if scope in t.client.scopes and t.client.can_see_province(province)
    ]
    if not targets:
        return 0
    personal: dict[str, Any] | None = None
    if person_id is not None and any(PERSONAL_SCOPE in t.client.scopes for t in targets):
        person = await PersonRepository(session).get(person_id)
        if person is not None:
            personal = {"national_code": person.national_code, "phone": person.phone}
    event_id, now = str(uuid.uuid4()), utcnow()
    rows = []
    for target in targets:
        body_data = dict(data)
        if personal is not None and PERSONAL_SCOPE in target.client.scopes:
            body_data["person"] = personal
        body = {"id": event_id, "type": event_type, "created_at": iso(now), "data": body_data}
        rows.append({
            "event_id": event_id, "event_type": event_type, "endpoint_id": target.endpoint_id,
            "body": body, "attempts": 0, "next_attempt_at": now, "status": "pending",
            "created_at": now,
        })
    await repo.add_deliveries(rows)
    # The senders of this process look at once, after the commit (a rollback wakes nobody).
    sa_event.listen(session.sync_session, "after_commit", _wake_after_commit, once=True)
    return len(rows)


def _wake_after_commit(_session: object) -> None:
    wake_senders()
