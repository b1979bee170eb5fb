"""The beneficiary's notification for a staff action, written to the outbox with the change."""

from __future__ import annotations

import dataclasses

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.results import Notification, NotificationKind
from services.outbox import enqueue
from storage.models import Application

# The outbox kind of every staff decision's message (its payload names the NotificationKind).
APPLICATION_NEWS = "application"


def notification_of(app: Application, kind: NotificationKind, /, **params: object) -> Notification:
    base: dict[str, object] = {
        "application_id": app.id,
        "program_id": app.program,
        "tracking_code": app.tracking_code,
        "course_code": app.course_code,
        "status": str(app.status),
    }
    return Notification(app.person_id, kind, {**base, **params})


async def queue_notification(
    session: AsyncSession, app: Application, kind: NotificationKind, /, **params: object
) -> Notification:
    """The notification, added to the outbox in the caller's transaction (before its commit)."""
    notification = notification_of(app, kind, **params)
    queued = await enqueue(
        session, kind=APPLICATION_NEWS, person_id=app.person_id,
        payload={"kind": notification.kind.value, "params": notification.params},
    )
    return dataclasses.replace(notification, queued=queued)


def notification_from_payload(person_id: int, payload: dict[str, object]) -> Notification:
    """The Notification an outbox row of kind APPLICATION_NEWS was written from."""
    params = payload.get("params")
    return Notification(
        person_id, NotificationKind(str(payload["kind"])),
        dict(params) if isinstance(params, dict) else {},
    )
