"""The status machine: the table itself, every allowed transition through the service (with
who/when/why recorded), and forbidden ones refused without changing anything."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import (
    ACTIVE,
    ALLOWED,
    FINAL,
    ApplicationService,
    ForbiddenTransition,
    NotificationKind,
    Status,
    SubmitOutcome,
    check_transition,
)
from storage.models import ACTIVE_STATUSES, ApplicationEvent
from tests.applications.conftest import ready_draft, submitted
from tests.applications.helpers import TODAY, caseworker, jpeg, pdf

S = Status
STAFF = caseworker("تهران")


@pytest.fixture
def database_kind() -> str:
    # The machine is database-independent; concurrency tests run on both databases.
    return "sqlite"


def test_the_table() -> None:
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == {
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.SUBMITTED, S.NEEDS_DOCUMENTS),
        (S.SUBMITTED, S.WITHDRAWN),
        (S.UNDER_REVIEW, S.NEEDS_DOCUMENTS),
        (S.UNDER_REVIEW, S.APPROVED),
        (S.UNDER_REVIEW, S.REJECTED),
        (S.UNDER_REVIEW, S.WITHDRAWN),
        (S.NEEDS_DOCUMENTS, S.UNDER_REVIEW),
        (S.NEEDS_DOCUMENTS, S.WITHDRAWN),
        (S.APPROVED, S.ENROLLED),
        (S.APPROVED, S.WITHDRAWN),
        (S.ENROLLED, S.COMPLETED),
        (S.ENROLLED, S.WITHDRAWN),
    }
    assert FINAL == {S.REJECTED, S.COMPLETED, S.WITHDRAWN}
    assert set(ACTIVE_STATUSES) == {s.value for s in ACTIVE}  # the partial index agrees
    assert ACTIVE.isdisjoint(FINAL)


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.DRAFT, S.WITHDRAWN), (S.DRAFT, S.APPROVED), (S.SUBMITTED, S.APPROVED),
     (S.REJECTED, S.UNDER_REVIEW), (S.COMPLETED, S.WITHDRAWN), (S.WITHDRAWN, S.SUBMITTED),
     (S.APPROVED, S.COMPLETED), (S.UNDER_REVIEW, S.UNDER_REVIEW)],
)
def test_forbidden(current: Status, target: Status) -> None:
    with pytest.raises(ForbiddenTransition) as caught:
        check_transition(current, target)
    assert (caught.value.current, caught.value.target) == (current, target)


async def _events(
    sessions: async_sessionmaker[AsyncSession], app_id: int
) -> list[tuple[str | None, str, str, str | None, str | None]]:
    async with sessions() as session:
        rows = await session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == app_id)
            .order_by(ApplicationEvent.id)
        )
        return [(e.from_status, e.to_status, e.actor_kind, e.actor_ref, e.reason) for e in rows]


async def test_review_path_records_who_and_why(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, _ = await submitted(service, session_factory)
    app, person = ready.app_id, ready.person_id
    await service.take(app, STAFF)
    await service.request_documents(app, STAFF, ["photo"], "عکس واضح نیست", replace=True)
    new_photo = jpeg(50)
    assert await service.add_document(app, person, "photo", new_photo) == "accepted"
    assert (await service.send_documents(app, person)).outcome is SubmitOutcome.SUBMITTED
    await service.approve(app, STAFF)
    await service.mark_enrolled(app, STAFF)
    await service.mark_completed(app, STAFF)
    staff = "telegram:501"
    assert await _events(session_factory, app) == [
        (None, "draft", "person", str(person), None),
        ("draft", "submitted", "person", str(person), None),
        ("submitted", "under_review", "staff", staff, None),
        ("under_review", "needs_documents", "staff", staff, "عکس واضح نیست"),
        ("needs_documents", "under_review", "person", str(person), "documents_sent"),
        ("under_review", "approved", "staff", staff, None),
        ("approved", "enrolled", "staff", staff, None),
        ("enrolled", "completed", "staff", staff, None),
    ]
    view = await service.get_for_person(app, person)
    assert view is not None and all(e.at is not None for e in view.timeline)


async def test_rejection(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, _ = await submitted(service, session_factory)
    await service.take(ready.app_id, STAFF)
    with pytest.raises(ValueError):
        await service.reject(ready.app_id, STAFF, "  ")
    note = await service.reject(ready.app_id, STAFF, "سن بیش از حد مجاز")
    assert note.kind is NotificationKind.REJECTED
    assert note.params["reason"] == "سن بیش از حد مجاز"
    assert note.params["status"] == "rejected"
    with pytest.raises(ForbiddenTransition):
        await service.withdraw(ready.app_id, ready.person_id)
    with pytest.raises(ForbiddenTransition):
        await service.approve(ready.app_id, STAFF)


async def test_needs_documents_back_by_staff(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """submitted -> needs_documents directly, then staff takes it back without the paper."""
    ready, _ = await submitted(service, session_factory)
    await service.request_documents(ready.app_id, STAFF, ["photo"], "", replace=True)
    await service.take(ready.app_id, STAFF)
    view = await service.get_for_person(ready.app_id, ready.person_id)
    assert view is not None and view.status is S.UNDER_REVIEW


@pytest.mark.parametrize(
    "reach",
    ["submitted", "under_review", "needs_documents", "approved", "enrolled"],
)
async def test_withdraw_from(
    reach: str,
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    ready, _ = await submitted(service, session_factory)
    app = ready.app_id
    if reach != "submitted":
        await service.take(app, STAFF)
    if reach == "needs_documents":
        await service.request_documents(app, STAFF, ["photo"], "", replace=True)
    if reach in ("approved", "enrolled"):
        await service.approve(app, STAFF)
    if reach == "enrolled":
        await service.mark_enrolled(app, STAFF)
    view = await service.withdraw(app, ready.person_id, "moved city")
    assert view is not None and view.status is S.WITHDRAWN
    last = view.timeline[-1]
    assert (last.from_status, last.to_status, last.reason) == (S(reach), S.WITHDRAWN, "moved city")
    # Withdrawn frees the slot: a new application to the same program can start.
    again = await service.start_or_resume(ready.person_id, "hamnava", today=TODAY)
    assert again.outcome.value == "created"


async def test_forbidden_through_the_service_changes_nothing(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready = await ready_draft(service, session_factory)
    app, person = ready.app_id, ready.person_id
    with pytest.raises(ForbiddenTransition):
        await service.withdraw(app, person)  # a draft is discarded, not withdrawn
    with pytest.raises(ForbiddenTransition):
        await service.take(app, STAFF)
    await service.submit(app, person, today=TODAY)
    with pytest.raises(ForbiddenTransition):
        await service.approve(app, STAFF)  # nobody reviewed it
    with pytest.raises(ForbiddenTransition):
        await service.mark_enrolled(app, STAFF)
    await service.take(app, STAFF)
    with pytest.raises(ForbiddenTransition) as caught:
        await service.take(app, caseworker("تهران", user_id=777))  # taken already
    assert caught.value.current is S.UNDER_REVIEW
    with pytest.raises(ForbiddenTransition):
        await service.mark_completed(app, STAFF)
    events = await _events(session_factory, app)
    assert [e[1] for e in events] == ["draft", "submitted", "under_review"]
    view = await service.get_for_person(app, person)
    assert view is not None and view.status is S.UNDER_REVIEW


async def test_submit_after_withdrawal_is_not_allowed(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, first = await submitted(service, session_factory)
    await service.withdraw(ready.app_id, ready.person_id)
    again = await service.submit(ready.app_id, ready.person_id, today=TODAY)
    assert again.outcome is SubmitOutcome.NOT_ALLOWED_NOW
    assert await service.add_document(ready.app_id, ready.person_id, "photo", pdf(99)) == (
        "not_allowed_now"
    )
    assert first.tracking_code == again.tracking_code
