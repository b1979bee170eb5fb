"""Applications for a connected system: pages, one record by tracking code, status transitions
(the staff's own methods: same machine, same checks, same outbox message to the person) and
document files. Drafts are the person's unsent work: never listed nor found here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import ClientIdentity, write_audit
from services.applications import (
    ALLOWED,
    ApplicationLocked,
    ApplicationNotFound,
    ApplicationService,
    CannotApprove,
    ForbiddenTransition,
    NoRoomToAdd,
    NotAuthorized,
    Notification,
    OpenedDocument,
    StaffCard,
    Status,
)
from services.applications.staff_actions import normalize_tracking_code
from services.integration.actor import acting_staff
from services.integration.errors import (
    IntegrationConflict,
    IntegrationInvalid,
    IntegrationNotFound,
)
from storage.documents import DocumentStore
from storage.models import Application, Person
from storage.repositories.api_reads import ApiReadRepository, ApplicationFilter
from storage.repositories.applications import ApplicationRepository

PEOPLE_SCOPE = "people:read"
# What a connected system may set, as the staff screens may; withdrawing is the applicant's own.
API_TRANSITIONS: frozenset[Status] = frozenset({
    Status.UNDER_REVIEW, Status.NEEDS_DOCUMENTS, Status.APPROVED, Status.REJECTED,
    Status.ENROLLED, Status.COMPLETED,
})


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    id: int
    tracking_code: str | None
    program: str
    status: Status
    course_code: str | None
    province: str | None
    full_name: str | None
    national_code: str | None  # only for clients with people:read
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ApplicationPage:
    items: list[ApplicationRow]
    next_after: int | None  # the id to continue after; None on the last page


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    card: StaffCard
    show_identifiers: bool  # national code, phone, relief number (people:read)


@dataclass(frozen=True, slots=True)
class TransitionRequest:
    target: Status
    reason: str | None = None
    documents: tuple[str, ...] = ()  # for needs_documents: the kinds asked for
    replace: bool = False  # for needs_documents: the files received are set aside


class IntegrationApplications:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        applications: ApplicationService,
        document_store: DocumentStore,
    ) -> None:
        self._sessions = session_factory
        self._applications = applications
        self._store = document_store

    async def page(
        self,
        client: ClientIdentity,
        *,
        status: Status | None = None,
        program: str | None = None,
        province: str | None = None,
        course_code: str | None = None,
        updated_since: dt.datetime | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> ApplicationPage:
        if status is Status.DRAFT:
            return ApplicationPage([], None)
        where = ApplicationFilter(
            status=status.value if status else None, program=program,
            province=province, course_code=course_code,
            updated_since=updated_since.astimezone(dt.UTC) if updated_since else None,
        )
        identifiers = PEOPLE_SCOPE in client.scopes
        async with self._sessions() as session:
            rows = await ApiReadRepository(session).applications_page(
                where, client.provinces, after_id, limit + 1
            )
            more = len(rows) > limit
            rows = rows[:limit]
            if rows:
                first, last = rows[0][0], rows[-1][0]
                await write_audit(
                    session, client, "applications.list",
                    f"{first.tracking_code or first.id}..{last.tracking_code or last.id}"
                    f" ({len(rows)})",
                )
                await session.commit()
        items = [_row(app, person, identifiers) for app, person in rows]
        return ApplicationPage(items, items[-1].id if more else None)

    async def record(self, client: ClientIdentity, code: str) -> ApplicationRecord:
        card = await self._card(client, code)
        await self._audit(client, "application.read", card.view.tracking_code or code)
        return ApplicationRecord(card, PEOPLE_SCOPE in client.scopes)

    async def _card(self, client: ClientIdentity, code: str) -> StaffCard:
        normalized = normalize_tracking_code(code)
        if normalized is None:
            raise IntegrationNotFound("not a tracking code")
        try:
            card = await self._applications.find_by_tracking_code(
                normalized, acting_staff(client)
            )
        except NotAuthorized:
            card = None  # another province's: told apart from "no such" by nobody
        if card is None:
            raise IntegrationNotFound(f"application {normalized}")
        return card

    async def transition(
        self, client: ClientIdentity, code: str, request: TransitionRequest
    ) -> tuple[ApplicationRecord, Notification]:
        """Move the application as a caseworker of the client's provinces would; the person is
        told through the outbox in the same transaction as the change."""
        card = await self._card(client, code)
        target = request.target
        if target not in API_TRANSITIONS:
            raise IntegrationConflict(
                "transition-not-for-api",
                f"{target} is not set through the API"
                + (" (only the applicant withdraws an application)"
                   if target is Status.WITHDRAWN else ""),
                current_status=card.view.status.value, target_status=target.value,
                allowed=api_transitions_from(card.view.status),
            )
        reason = (request.reason or "").strip() or None
        if target is Status.REJECTED and reason is None:
            raise IntegrationInvalid("reason-required", "a rejection needs a reason")
        if target is Status.NEEDS_DOCUMENTS and not request.documents:
            raise IntegrationInvalid(
                "documents-required", "asking for documents needs the document kinds"
            )
        notification = await self._move(client, card, request, reason)
        await self._audit(
            client, "application.transition",
            f"{card.view.tracking_code or code} {card.view.status.value}->{target.value}",
        )
        return await self.record_after(client, card), notification

    async def record_after(self, client: ClientIdentity, card: StaffCard) -> ApplicationRecord:
        fresh = await self._applications.card(card.view.id, acting_staff(client))
        return ApplicationRecord(fresh, PEOPLE_SCOPE in client.scopes)

    async def _move(
        self,
        client: ClientIdentity,
        card: StaffCard,
        request: TransitionRequest,
        reason: str | None,
    ) -> Notification:
        service, staff, app_id = self._applications, acting_staff(client), card.view.id
        target = request.target
        try:
            if target is Status.UNDER_REVIEW:
                return await service.take(app_id, staff)
            if target is Status.NEEDS_DOCUMENTS:
                return await service.request_documents(
                    app_id, staff, list(request.documents), reason or "",
                    replace=request.replace,
                )
            if target is Status.APPROVED:
                return await service.approve(app_id, staff, reason)
            if target is Status.REJECTED:
                return await service.reject(app_id, staff, reason or "")
            if target is Status.ENROLLED:
                return await service.mark_enrolled(app_id, staff)
            return await service.mark_completed(app_id, staff)
        except ForbiddenTransition as error:
            raise IntegrationConflict(
                "forbidden-transition",
                f"{error.current.value} -> {error.target.value} is not allowed",
                current_status=error.current.value, target_status=error.target.value,
                allowed=api_transitions_from(error.current),
            ) from None
        except CannotApprove as error:
            raise IntegrationConflict(
                "documents-outstanding",
                "mandatory documents are not in: " + ", ".join(error.kinds),
                documents=list(error.kinds),
            ) from None
        except NoRoomToAdd as error:
            raise IntegrationConflict(
                "no-room-for-documents",
                "these kinds hold as many files as the program allows; ask with replace=true: "
                + ", ".join(error.kinds),
                documents=list(error.kinds),
            ) from None
        except ApplicationLocked as error:
            raise IntegrationConflict("application-changed", str(error)) from None
        except (NotAuthorized, ApplicationNotFound):
            raise IntegrationNotFound(f"application {card.view.tracking_code}") from None
        except ValueError as error:
            raise IntegrationInvalid("invalid-transition-request", str(error)) from None

    async def open_document(self, client: ClientIdentity, document_id: int) -> OpenedDocument:
        """The decrypted file; the read is audited (committed) before the bytes are read."""
        async with self._sessions() as session:
            repo = ApplicationRepository(session)
            document = await repo.document(document_id)
            app = await repo.get(document.application_id) if document is not None else None
            if (
                document is None or app is None or document.store_key is None
                or app.status == Status.DRAFT.value or not client.can_see_province(app.province)
            ):
                raise IntegrationNotFound(f"document {document_id}")
            await write_audit(
                session, client, "document.read",
                f"{app.tracking_code or app.id} document:{document.id} {document.kind}",
            )
            await session.commit()
            key, mime, kind = document.store_key, document.mime, document.kind
        data = await self._store.get(key)
        return OpenedDocument(data, mime or "application/octet-stream", kind)

    async def _audit(self, client: ClientIdentity, action: str, resource: str) -> None:
        async with self._sessions() as session:
            await write_audit(session, client, action, resource)
            await session.commit()


def api_transitions_from(status: Status) -> list[str]:
    """The statuses a connected system may move an application in `status` to."""
    return sorted(s.value for s in ALLOWED[status] if s in API_TRANSITIONS)


def _row(app: Application, person: Person, identifiers: bool) -> ApplicationRow:
    return ApplicationRow(
        id=app.id, tracking_code=app.tracking_code, program=app.program,
        status=Status(app.status), course_code=app.course_code, province=app.province,
        full_name=person.full_name,
        national_code=person.national_code if identifiers else None,
        submitted_at=app.submitted_at, decided_at=app.decided_at, updated_at=app.updated_at,
    )
