"""Uploads: checks, duplicates, limits, ownership; staff requests and re-uploads."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import (
    ApplicationService,
    DocumentOutcome,
    DocumentState,
    Status,
    SubmitOutcome,
)
from storage.documents import LocalDocumentStore, document_key_of
from storage.models import ApplicationDocument
from tests.applications.conftest import submitted
from tests.applications.helpers import PNG, TODAY, add_person, caseworker, jpeg, pdf

Out = DocumentOutcome
STAFF = caseworker("تهران")
GIF = b"GIF89a" + b"g" * 100


@pytest.fixture
def database_kind() -> str:
    return "sqlite"


async def _draft(service: ApplicationService, sessions: async_sessionmaker[AsyncSession]):
    person = await add_person(sessions)
    started = await service.start_or_resume(person, "hamnava", today=TODAY)
    assert started.view is not None
    return started.view.id, person


async def test_upload_checks(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    store: LocalDocumentStore,
) -> None:
    app, person = await _draft(service, session_factory)
    assert await service.add_document(app, person, "national_card", pdf(1)) is Out.ACCEPTED
    assert await store.get(document_key_of(pdf(1))) == pdf(1)
    assert await service.add_document(app, person, "national_card", pdf(1)) is Out.DUPLICATE
    assert await service.add_document(app, person, "national_card", jpeg(2)) is Out.ACCEPTED
    assert await service.add_document(app, person, "national_card", jpeg(3)) is Out.TOO_MANY
    assert await service.add_document(app, person, "birth_certificate", b"") is Out.EMPTY
    assert await service.add_document(app, person, "birth_certificate", GIF) is Out.WRONG_TYPE
    # The photo takes images only, at most 2 MB.
    assert await service.add_document(app, person, "photo", pdf(4)) is Out.WRONG_TYPE
    big = PNG + b"0" * (2 * 1024 * 1024)
    assert await service.add_document(app, person, "photo", big) is Out.TOO_BIG
    assert await service.add_document(app, person, "photo", PNG) is Out.ACCEPTED
    assert await service.add_document(app, person, "passport", pdf(5)) is Out.UNKNOWN_KIND
    # The Relief letter is not asked of a non-client.
    assert await service.add_document(app, person, "relief_letter", pdf(6)) is Out.NOT_ALLOWED_NOW
    view = await service.get_for_person(app, person)
    assert view is not None
    assert [(d.kind, d.mime, d.state) for d in view.documents] == [
        ("national_card", "application/pdf", DocumentState.RECEIVED),
        ("national_card", "image/jpeg", DocumentState.RECEIVED),
        ("photo", "image/png", DocumentState.RECEIVED),
    ]
    assert [d.kind for d in service.missing_documents(view)] == [
        "birth_certificate", "education_certificate"
    ]
    assert "relief_letter" not in [d.kind for d in service.required_documents(view)]


async def test_same_content_for_another_kind_is_fine(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    app, person = await _draft(service, session_factory)
    assert await service.add_document(app, person, "national_card", pdf(1)) is Out.ACCEPTED
    assert await service.add_document(app, person, "birth_certificate", pdf(1)) is Out.ACCEPTED


async def test_forged_ids_are_refused_and_logged_without_personal_data(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, owner = await _draft(service, session_factory)
    await service.add_document(app, owner, "national_card", pdf(1))
    view = await service.get_for_person(app, owner)
    assert view is not None
    document = view.documents[0].id
    intruder = await add_person(session_factory, national_code="0012345679", full_name="مهاجم")
    with caplog.at_level(logging.WARNING):
        assert await service.add_document(app, intruder, "photo", PNG) is Out.NOT_FOUND
        assert await service.get_for_person(app, intruder) is None
        assert await service.open_own_document(document, intruder) is None
        assert not await service.remove_document(app, intruder, document)
        assert (await service.submit(app, intruder)).outcome is SubmitOutcome.NOT_FOUND
        assert await service.withdraw(app, intruder) is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) >= 5
    assert all(str(app) in w and str(intruder) in w for w in warnings)
    assert not any("0012345679" in w or "مهاجم" in w for w in warnings)
    # The owner still has everything.
    opened = await service.open_own_document(document, owner)
    assert opened is not None and opened.data == pdf(1) and opened.kind == "national_card"


async def test_remove_document_and_its_file(
    service: ApplicationService,
    session_factory: async_sessionmaker[AsyncSession],
    store: LocalDocumentStore,
) -> None:
    app, person = await _draft(service, session_factory)
    other_app, other = await _draft(service, session_factory)
    await service.add_document(app, person, "national_card", pdf(1))
    await service.add_document(app, person, "birth_certificate", pdf(2))
    await service.add_document(other_app, other, "birth_certificate", pdf(2))  # same bytes
    view = await service.get_for_person(app, person)
    assert view is not None
    card, birth = view.documents
    assert await service.remove_document(app, person, card.id)
    assert not await store.exists(document_key_of(pdf(1)))
    assert await service.remove_document(app, person, birth.id)
    assert await store.exists(document_key_of(pdf(2)))  # still someone else's paper
    assert not await service.remove_document(app, person, birth.id)  # gone already
    view = await service.get_for_person(app, person)
    assert view is not None and view.documents == ()


async def test_request_and_reupload(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, _ = await submitted(service, session_factory)
    app, person = ready.app_id, ready.person_id
    assert await service.add_document(app, person, "photo", jpeg(9)) is Out.NOT_ALLOWED_NOW
    await service.take(app, STAFF)
    note = await service.request_documents(
        app, STAFF, ["photo", "education_certificate"], "عکس تار است", replace=True
    )
    assert note.params["kinds"] == ["photo", "education_certificate"]
    assert note.params["note"] == "عکس تار است"
    view = await service.get_for_person(app, person)
    assert view is not None and view.status is Status.NEEDS_DOCUMENTS
    requested = [d for d in view.documents if d.state is DocumentState.REQUESTED]
    assert {d.kind for d in requested} == {"photo", "education_certificate"}
    assert all(d.reason == "عکس تار است" and d.mime is None for d in requested)
    assert view.documents_of("photo") == [d for d in requested if d.kind == "photo"]
    # Only the requested kinds take uploads now.
    assert await service.add_document(app, person, "national_card", pdf(30)) is Out.NOT_ALLOWED_NOW
    assert await service.add_document(app, person, "photo", jpeg(10)) is Out.ACCEPTED
    early = await service.send_documents(app, person)
    assert early.outcome is SubmitOutcome.INCOMPLETE
    assert early.missing_documents == ("education_certificate",)
    assert await service.add_document(app, person, "education_certificate", pdf(31)) is Out.ACCEPTED
    sent = await service.send_documents(app, person)
    assert sent.outcome is SubmitOutcome.SUBMITTED
    assert sent.view is not None and sent.view.status is Status.UNDER_REVIEW
    again = await service.send_documents(app, person)
    assert again.outcome is SubmitOutcome.ALREADY_SUBMITTED
    # History is kept: the old photo and the request are superseded, not deleted.
    async with session_factory() as session:
        rows = list(await session.scalars(
            select(ApplicationDocument)
            .where(ApplicationDocument.application_id == app, ApplicationDocument.kind == "photo")
            .order_by(ApplicationDocument.id)
        ))
    assert [r.state for r in rows] == ["superseded", "superseded", "received"]


async def test_rejected_document_is_replaced_by_a_new_upload(
    service: ApplicationService, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ready, _ = await submitted(service, session_factory)
    app, person = ready.app_id, ready.person_id
    await service.take(app, STAFF)
    view = await service.get_for_person(app, person)
    assert view is not None
    [photo] = view.documents_of("photo")
    rejected = await service.reject_document(photo.id, STAFF, "صورت پیدا نیست")
    assert (rejected.kind.value, rejected.params["kind"], rejected.params["reason"]) == (
        "document_rejected", "photo", "صورت پیدا نیست"
    )
    await service.request_documents(app, STAFF, ["national_card"], "پشت کارت هم لازم است")
    view = await service.get_for_person(app, person)
    assert view is not None
    # A rejected kind takes an upload too, and it replaces the rejected file.
    assert [d.kind for d in service.missing_documents(view)] == ["national_card", "photo"]
    assert await service.add_document(app, person, "photo", jpeg(3)) is Out.DUPLICATE  # same bytes
    assert await service.add_document(app, person, "photo", jpeg(77)) is Out.ACCEPTED
    view = await service.get_for_person(app, person)
    assert view is not None
    assert [(d.kind, d.state) for d in view.documents_of("photo")] == [
        ("photo", DocumentState.RECEIVED)
    ]
