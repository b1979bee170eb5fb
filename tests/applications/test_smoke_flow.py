"""One application from draft to completion, the way the UIs will drive it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import (
    ApplicationService,
    NotificationKind,
    StartOutcome,
    Status,
    SubmitOutcome,
)
from tests.applications.conftest import submitted
from tests.applications.helpers import TODAY, caseworker


async def test_draft_to_completed(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, result = await submitted(service, session_factory)
    assert result.outcome is SubmitOutcome.SUBMITTED
    assert result.tracking_code == "HMN-1405-000001"
    staff = caseworker("تهران")
    assert [item.id for item in await service.queue(staff)] == [ready.app_id]
    note = await service.take(ready.app_id, staff)
    assert note.kind is NotificationKind.UNDER_REVIEW and note.person_id == ready.person_id
    await service.approve(ready.app_id, staff)
    await service.mark_enrolled(ready.app_id, staff)
    done = await service.mark_completed(ready.app_id, staff)
    assert done.kind is NotificationKind.COMPLETED
    view = await service.get_for_person(ready.app_id, ready.person_id)
    assert view is not None and view.status is Status.COMPLETED
    assert [e.to_status for e in view.timeline] == [
        Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED,
        Status.ENROLLED, Status.COMPLETED,
    ]
    again = await service.start_or_resume(ready.person_id, "hamnava", today=TODAY)
    assert again.outcome is StartOutcome.CREATED
