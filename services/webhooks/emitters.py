"""The events of the product's changes, each built from the rows at hand and emitted in the
caller's transaction. The data carries nothing personal (events.emit adds the national code
and phone for the clients allowed them); the README documents these shapes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.webhooks.events import emit, iso
from storage.models import (
    Application,
    ApplicationDocument,
    Certificate,
    ExamResult,
    ExamSession,
    Ticket,
    utcnow,
)


async def application_submitted(session: AsyncSession, app: Application) -> int:
    return await emit(
        session, "application.submitted", province=app.province, person_id=app.person_id,
        data={
            "tracking_code": app.tracking_code, "program": app.program,
            "status": "submitted", "course_code": app.course_code,
            "province": app.province, "submitted_at": iso(app.submitted_at or utcnow()),
        },
    )


async def application_status_changed(
    session: AsyncSession,
    app: Application,
    previous: str,
    status: str,
    *,
    actor_kind: str,
    reason: str | None,
) -> int:
    """After submission only: a draft is the person's own and no client sees it."""
    if app.tracking_code is None:
        return 0
    return await emit(
        session, "application.status_changed", province=app.province,
        person_id=app.person_id,
        data={
            "tracking_code": app.tracking_code, "program": app.program,
            "previous_status": previous, "status": status, "by": actor_kind,
            "reason": reason, "course_code": app.course_code, "province": app.province,
            "changed_at": iso(utcnow()),
        },
    )


async def document_uploaded(
    session: AsyncSession,
    document: ApplicationDocument,
    *,
    tracking_code: str | None,
    application_status: str,
    province: str | None,
    person_id: int,
) -> int:
    if tracking_code is None:
        return 0
    await session.flush()  # the document's id
    return await emit(
        session, "document.uploaded", province=province, person_id=person_id,
        data={
            "tracking_code": tracking_code, "application_status": application_status,
            "document": {
                "id": document.id, "kind": document.kind, "mime": document.mime,
                "size": document.size, "state": document.state,
            },
            "province": province, "uploaded_at": iso(document.created_at or utcnow()),
        },
    )


async def ticket_opened(session: AsyncSession, ticket: Ticket, *, reopened: bool) -> int:
    await session.flush()  # the ticket's id
    return await emit(
        session, "ticket.opened", province=ticket.province, person_id=ticket.person_id,
        data={
            "ticket_id": ticket.id, "topic": ticket.topic, "reopened": reopened,
            "province": ticket.province, "opened_at": iso(utcnow()),
        },
    )


async def exam_result_recorded(
    session: AsyncSession, result: ExamResult, exam: ExamSession, app: Application
) -> int:
    return await emit(
        session, "exam.result_recorded", province=exam.province, person_id=app.person_id,
        data={
            "tracking_code": app.tracking_code, "session_id": exam.id, "kind": exam.kind,
            "course_code": exam.course_code, "passed": result.passed, "score": result.score,
            "province": exam.province, "recorded_at": iso(result.recorded_at or utcnow()),
        },
    )


async def certificate_issued(
    session: AsyncSession, certificate: Certificate, app: Application
) -> int:
    return await emit(
        session, "certificate.issued", province=app.province, person_id=app.person_id,
        data={
            "tracking_code": app.tracking_code, "number": certificate.number,
            "issued_on": certificate.issued_on.isoformat(),
            "course_code": certificate.course_code, "standard_code": certificate.standard_code,
            "province": app.province,
        },
    )
