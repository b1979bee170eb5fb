"""Staff: province scoping, the queue, the card, audited document opening, notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import (
    ApplicationNotFound,
    ApplicationService,
    CannotApprove,
    DocumentState,
    NotAuthorized,
    NotificationKind,
    Status,
)
from services.staff import StaffMember
from services.text import to_persian_digits
from storage.models import DocumentAccess
from tests.applications.conftest import submitted
from tests.applications.helpers import TODAY, admin, caseworker, jpeg, pdf

TEHRAN = caseworker("تهران")
ISFAHAN = caseworker("اصفهان", user_id=502)


async def test_province_scoping(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, result = await submitted(service, session_factory)
    app = ready.app_id
    view = await service.get_for_person(app, ready.person_id)
    assert view is not None
    document = view.documents[0].id
    assert await service.queue(ISFAHAN) == []
    assert await service.queue_size(ISFAHAN) == 0
    refused = [
        service.card(app, ISFAHAN),
        service.take(app, ISFAHAN),
        service.open_document(document, ISFAHAN),
        service.accept_document(document, ISFAHAN),
        service.reject_document(document, ISFAHAN, "x"),
        service.request_documents(app, ISFAHAN, ["photo"], "x", replace=True),
        service.approve(app, ISFAHAN),
        service.reject(app, ISFAHAN, "x"),
        service.mark_enrolled(app, ISFAHAN),
        service.mark_completed(app, ISFAHAN),
    ]
    for call in refused:
        with pytest.raises(NotAuthorized) as caught:
            await call
        assert "0012345679" not in str(caught.value)
    assert result.tracking_code is not None
    with pytest.raises(NotAuthorized):
        await service.find_by_tracking_code(result.tracking_code, ISFAHAN)
    # Nothing changed, nothing was opened.
    async with session_factory() as session:
        assert list(await session.scalars(select(DocumentAccess))) == []
    after = await service.get_for_person(app, ready.person_id)
    assert after is not None and after.status is Status.SUBMITTED
    # Tehran's caseworker, an all-provinces caseworker and an admin may.
    everywhere = StaffMember("telegram", 503, False, True, None)
    for member in (TEHRAN, everywhere, admin()):
        assert [item.id for item in await service.queue(member)] == [app]
        assert (await service.card(app, member)).view.id == app


async def test_queue_order_and_program_filter(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    first, _ = await submitted(service, session_factory)
    second, _ = await submitted(service, session_factory, province="اصفهان")
    third, _ = await submitted(service, session_factory)
    await service.take(third.app_id, TEHRAN)
    items = await service.queue(admin())
    assert [i.id for i in items] == [first.app_id, second.app_id, third.app_id]
    assert [i.status for i in items] == [Status.SUBMITTED, Status.SUBMITTED, Status.UNDER_REVIEW]
    assert [i.id for i in await service.queue(TEHRAN)] == [first.app_id, third.app_id]
    assert [i.id for i in await service.queue(admin(), limit=1, offset=1)] == [second.app_id]
    assert await service.queue(admin(), program_id="karafan") == []
    assert await service.queue_size(TEHRAN) == 2
    await service.approve(third.app_id, TEHRAN)
    assert [i.id for i in await service.queue(TEHRAN)] == [first.app_id]  # decided: out


async def test_card(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, result = await submitted(service, session_factory, national_code="0012345679")
    assert result.tracking_code is not None
    card = await service.card(ready.app_id, TEHRAN, today=TODAY)
    assert card.applicant.national_code == "0012345679"
    assert card.applicant.decile == 3
    assert card.unmet == () and card.missing_documents == ()
    assert card.view.tracking_code == result.tracking_code
    assert card.reviewer is None
    await service.take(ready.app_id, TEHRAN)
    persian = "hmn-۱۴۰۵-" + to_persian_digits(result.tracking_code[-6:])
    found = await service.find_by_tracking_code(persian, TEHRAN)
    assert found is not None and found.reviewer == "telegram:501"
    assert await service.find_by_tracking_code("HMN-1405-999999", TEHRAN) is None
    assert await service.find_by_tracking_code("'; drop table", TEHRAN) is None
    with pytest.raises(ApplicationNotFound):
        await service.card(ready.app_id + 100, TEHRAN)


async def test_open_document_is_audited(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, _ = await submitted(service, session_factory)
    view = await service.get_for_person(ready.app_id, ready.person_id)
    assert view is not None
    [card] = view.documents_of("national_card")
    opened = await service.open_document(card.id, TEHRAN)
    assert (opened.data, opened.mime, opened.kind) == (pdf(0), "application/pdf", "national_card")
    await service.open_document(card.id, admin())
    async with session_factory() as session:
        rows = list(await session.scalars(select(DocumentAccess).order_by(DocumentAccess.id)))
    assert [(r.document_id, r.staff_platform, r.staff_user_id) for r in rows] == [
        (card.id, "telegram", 501), (card.id, "bale", 900)
    ]
    assert all(r.at is not None for r in rows)
    with pytest.raises(ApplicationNotFound):
        await service.open_document(card.id + 1000, TEHRAN)


async def test_notifications(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, result = await submitted(service, session_factory)
    app, person = ready.app_id, ready.person_id
    taken = await service.take(app, TEHRAN)
    assert taken.person_id == person
    assert taken.kind is NotificationKind.UNDER_REVIEW
    assert taken.params == {
        "application_id": app, "program_id": "hamnava", "tracking_code": result.tracking_code,
        "course_code": "H100", "status": "under_review",
    }
    view = await service.get_for_person(app, person)
    assert view is not None
    accepted = await service.accept_document(view.documents[0].id, TEHRAN)
    assert accepted.kind is NotificationKind.DOCUMENT_ACCEPTED
    assert accepted.params["kind"] == "national_card"
    requested = await service.request_documents(
        app, TEHRAN, ["photo"], "  واضح‌تر  ", replace=True
    )
    assert requested.kind is NotificationKind.DOCUMENTS_REQUESTED
    assert requested.params["status"] == "needs_documents" and requested.params["note"] == "واضح‌تر"
    # Asking for more while waiting adds the kind without a status change.
    more = await service.request_documents(
        app, TEHRAN, ["birth_certificate"], "صفحه اول", replace=True
    )
    assert more.params["kinds"] == ["birth_certificate"]
    with pytest.raises(ValueError):
        await service.request_documents(app, TEHRAN, ["passport"], "")
    with pytest.raises(ValueError):
        await service.request_documents(app, TEHRAN, [], "")
    await service.add_document(app, person, "photo", jpeg(40))
    await service.add_document(app, person, "birth_certificate", pdf(40))
    assert (await service.send_documents(app, person)).ok
    approved = await service.approve(app, TEHRAN)
    assert (approved.kind, approved.params["status"]) == (NotificationKind.APPROVED, "approved")
    enrolled = await service.mark_enrolled(app, TEHRAN)
    assert enrolled.kind is NotificationKind.ENROLLED
    completed = await service.mark_completed(app, TEHRAN)
    assert completed.kind is NotificationKind.COMPLETED and completed.person_id == person


async def test_approve_needs_the_mandatory_papers(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, _ = await submitted(service, session_factory)
    app, person = ready.app_id, ready.person_id
    await service.take(app, TEHRAN)
    view = await service.get_for_person(app, person)
    assert view is not None
    [birth] = view.documents_of("birth_certificate")
    await service.reject_document(birth.id, TEHRAN, "ناخوانا")
    with pytest.raises(CannotApprove) as caught:
        await service.approve(app, TEHRAN)
    assert caught.value.kinds == ("birth_certificate",)
    await service.accept_document(birth.id, TEHRAN)  # the reviewer changes their mind
    await service.approve(app, TEHRAN)
    view = await service.get_for_person(app, person)
    assert view is not None and view.status is Status.APPROVED
    # Approval accepts every received paper.
    assert {d.state for d in view.documents} == {DocumentState.ACCEPTED}
