"""ApplicationService, the staff half: the review queue, the card, decisions, documents.

Every method takes the acting StaffMember and refuses applications outside the member's
provinces with NotAuthorized (the handler logs the refusal). Each action writes the
Notification the beneficiary must get into the outbox in the same transaction as the change
(a failure to send never loses it) and returns it, for the reviewer's "they will be told"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.base import ServiceBase
from services.applications.beneficiary_documents import OpenedDocument
from services.applications.errors import (
    ApplicationLocked,
    ApplicationNotFound,
    CannotApprove,
    NoRoomToAdd,
    NotAuthorized,
)
from services.applications.notices import queue_notification
from services.applications.results import (
    ApplicationView,
    DocumentState,
    Notification,
    NotificationKind,
    QueueItem,
    StaffCard,
)
from services.applications.status import IN_QUEUE, Status
from services.applications.views import (
    HAVE_STATES,
    applicant_of,
    missing_documents,
    required_documents,
    rows_of_kind,
)
from services.programs import check_eligibility
from services.staff import StaffMember
from services.text import normalize_digits
from storage.models import Application, ApplicationDocument, utcnow
from storage.repositories.applications import ApplicationRepository
from storage.repositories.persons import PersonRepository

_QUEUE = [s.value for s in IN_QUEUE]
_TRACKING_CODE = re.compile(r"^([A-Z]{2,5})-?(\d{4})-?(\d{1,6})$")
_NOT_CODE_CHARS = re.compile(r"[\s\u200c-\u200f\u202a-\u202e\u2066-\u2069]")


def staff_ref(staff: StaffMember) -> str:
    return f"{staff.platform}:{staff.user_id}"


def normalize_tracking_code(text: str) -> str | None:
    """«hmn-۱۴۰۵-۱۲۳», "HMN 1405 000123" ... -> "HMN-1405-000123"; None if not that shape."""
    cleaned = _NOT_CODE_CHARS.sub("", normalize_digits(text or "")).upper()
    match = _TRACKING_CODE.match(cleaned)
    if match is None:
        return None
    prefix, year, number = match.groups()
    return f"{prefix}-{year}-{int(number):06d}"


class StaffMethods(ServiceBase):
    async def _staff_app(
        self, session: AsyncSession, app_id: int, staff: StaffMember
    ) -> Application:
        app = await ApplicationRepository(session).get(app_id)
        if app is None:
            raise ApplicationNotFound(f"application {app_id}")
        self._authorize(app, staff)
        return app

    def _authorize(self, app: Application, staff: StaffMember) -> None:
        if not (staff.is_admin or staff.is_caseworker) or not staff.can_see_province(
            app.province
        ):
            raise NotAuthorized(
                f"staff {staff_ref(staff)} may not see application {app.id} (its province)"
            )

    async def _staff_document(
        self, session: AsyncSession, document_id: int, staff: StaffMember
    ) -> tuple[ApplicationDocument, Application]:
        document = await ApplicationRepository(session).document(document_id)
        if document is None:
            raise ApplicationNotFound(f"document {document_id}")
        app = await self._staff_app(session, document.application_id, staff)
        return document, app


    # --- reading ------------------------------------------------------------------------------

    async def queue(
        self,
        staff: StaffMember,
        limit: int = 20,
        offset: int = 0,
        *,
        program_id: str | None = None,
    ) -> list[QueueItem]:
        """Submitted, under_review and needs_documents applications in the member's provinces,
        oldest submission first."""
        async with self._sessions() as session:
            rows = await ApplicationRepository(session).queue(
                _QUEUE, staff.provinces, program_id, max(limit, 0), max(offset, 0)
            )
        return [
            QueueItem(
                id=app.id,
                tracking_code=app.tracking_code,
                program_id=app.program,
                status=Status(app.status),
                province=app.province,
                course_code=app.course_code,
                full_name=name,
                submitted_at=app.submitted_at,
            )
            for app, name in rows
        ]

    async def queue_size(self, staff: StaffMember, *, program_id: str | None = None) -> int:
        async with self._sessions() as session:
            return await ApplicationRepository(session).queue_size(
                _QUEUE, staff.provinces, program_id
            )

    async def card(
        self, app_id: int, staff: StaffMember, *, today: dt.date | None = None
    ) -> StaffCard:
        """ApplicationNotFound / NotAuthorized (outside the member's provinces)."""
        async with self._sessions() as session:
            app = await self._staff_app(session, app_id, staff)
            return await self._card(session, app, self._today(today))

    async def _card(self, session: AsyncSession, app: Application, today: dt.date) -> StaffCard:
        person = await PersonRepository(session).get(app.person_id)
        assert person is not None
        program = self._program(app)
        view = await self._view(session, app)
        return StaffCard(
            view=view,
            applicant=applicant_of(person),
            unmet=tuple(check_eligibility(program, person, today)),
            missing_documents=tuple(d.kind for d in missing_documents(program, view)),
            reviewer=app.reviewer,
        )

    async def find_by_tracking_code(
        self, code: str, staff: StaffMember, *, today: dt.date | None = None
    ) -> StaffCard | None:
        """Any spelling (Persian digits, lower case, spaces); None if unknown; NotAuthorized if
        outside the member's provinces."""
        normalized = normalize_tracking_code(code)
        if normalized is None:
            return None
        async with self._sessions() as session:
            app = await ApplicationRepository(session).by_tracking_code(normalized)
            if app is None:
                return None
            self._authorize(app, staff)
            return await self._card(session, app, self._today(today))

    async def open_document(self, document_id: int, staff: StaffMember) -> OpenedDocument:
        """The file's bytes for a reviewer; writes a DocumentAccess audit row first.
        ApplicationNotFound (also for a "requested" placeholder) / NotAuthorized."""
        async with self._sessions() as session:
            document, _app = await self._staff_document(session, document_id, staff)
            if document.store_key is None:
                raise ApplicationNotFound(f"document {document_id} has no file (a request)")
            ApplicationRepository(session).add_access(document.id, staff.platform, staff.user_id)
            await session.commit()
        data = await self._store.get(document.store_key)
        return OpenedDocument(data, document.mime or "application/octet-stream", document.kind)

    # --- status decisions ---------------------------------------------------------------------

    async def _decide(
        self,
        app_id: int,
        staff: StaffMember,
        target: Status,
        kind: NotificationKind,
        reason: str | None = None,
        **values: object,
    ) -> Notification:
        async with self._sessions() as session:
            app = await self._staff_app(session, app_id, staff)
            await self._move(
                session, app, target, actor_kind="staff", actor_ref=staff_ref(staff),
                reason=reason, **values,
            )
            params = {"reason": reason} if reason else {}
            notification = await queue_notification(session, app, kind, **params)
            await session.commit()
            return notification

    async def take(self, app_id: int, staff: StaffMember) -> Notification:
        """submitted/needs_documents -> under_review; the member becomes the reviewer.
        ForbiddenTransition if someone took it already (under_review)."""
        return await self._decide(
            app_id, staff, Status.UNDER_REVIEW, NotificationKind.UNDER_REVIEW,
            reviewer=staff_ref(staff),
        )

    async def approve(
        self, app_id: int, staff: StaffMember, reason: str | None = None
    ) -> Notification:
        """under_review -> approved; received documents become accepted. CannotApprove if a
        mandatory kind has nothing received/accepted (only rejected ones)."""
        async with self._sessions() as session:
            app = await self._staff_app(session, app_id, staff)
            view = await self._view(session, app)
            program = self._program(app)
            outstanding = tuple(
                r.kind
                for r in required_documents(program, view.relief_client)
                if r.is_mandatory_for(view.relief_client)
                and not any(d.state in HAVE_STATES for d in view.documents_of(r.kind))
            )
            if outstanding and app.status == Status.UNDER_REVIEW:
                raise CannotApprove(outstanding)
            ref = staff_ref(staff)
            now = utcnow()
            await self._move(
                session, app, Status.APPROVED, actor_kind="staff", actor_ref=ref,
                reason=reason, decided_at=now,
            )
            received = [d.id for d in view.documents if d.state is DocumentState.RECEIVED]
            await ApplicationRepository(session).set_document_state(
                received, DocumentState.ACCEPTED.value, only_from=[DocumentState.RECEIVED],
                decided_by=ref, decided_at=now,
            )
            notification = await queue_notification(session, app, NotificationKind.APPROVED)
            await session.commit()
            return notification

    async def reject(self, app_id: int, staff: StaffMember, reason: str) -> Notification:
        """under_review -> rejected (final; the person may apply again later). The reason is
        required: the person is told it."""
        if not reason or not reason.strip():
            raise ValueError("a rejection needs a reason")
        return await self._decide(
            app_id, staff, Status.REJECTED, NotificationKind.REJECTED, reason.strip(),
            decided_at=utcnow(),
        )

    async def mark_enrolled(self, app_id: int, staff: StaffMember) -> Notification:
        """approved -> enrolled (the person started the course)."""
        return await self._decide(app_id, staff, Status.ENROLLED, NotificationKind.ENROLLED)

    async def mark_completed(self, app_id: int, staff: StaffMember) -> Notification:
        """enrolled -> completed."""
        return await self._decide(app_id, staff, Status.COMPLETED, NotificationKind.COMPLETED)

    # --- documents ----------------------------------------------------------------------------

    async def _judge_document(
        self,
        document_id: int,
        staff: StaffMember,
        state: DocumentState,
        allowed_from: tuple[DocumentState, ...],
        reason: str | None,
    ) -> Notification:
        async with self._sessions() as session:
            document, app = await self._staff_document(session, document_id, staff)
            if app.status not in _QUEUE:
                raise ApplicationLocked(f"application {app.id} is {app.status}, not in review")
            if document.state not in allowed_from:
                raise ApplicationLocked(f"document {document.id} is {document.state}")
            repo = ApplicationRepository(session)
            # Serialize with other writers on this application (and fail if it left review).
            if not await repo.move(app.id, _QUEUE, app.status):
                raise ApplicationLocked(f"application {app.id} left review meanwhile")
            changed = await repo.set_document_state(
                [document.id], state.value, only_from=allowed_from, reason=reason,
                decided_by=staff_ref(staff), decided_at=utcnow(),
            )
            if changed != 1:
                await session.rollback()
                raise ApplicationLocked(f"document {document.id} changed meanwhile")
            kind = (
                NotificationKind.DOCUMENT_ACCEPTED
                if state is DocumentState.ACCEPTED
                else NotificationKind.DOCUMENT_REJECTED
            )
            params: dict[str, object] = {"kind": document.kind}
            if reason:
                params["reason"] = reason
            notification = await queue_notification(session, app, kind, **params)
            await session.commit()
            return notification

    async def accept_document(self, document_id: int, staff: StaffMember) -> Notification:
        """A received (or rejected) document -> accepted, while the application is in review
        (submitted/under_review/needs_documents); ApplicationLocked otherwise."""
        return await self._judge_document(
            document_id, staff, DocumentState.ACCEPTED,
            (DocumentState.RECEIVED, DocumentState.REJECTED), None,
        )

    async def reject_document(
        self, document_id: int, staff: StaffMember, reason: str
    ) -> Notification:
        """A received/accepted document -> rejected with the reason (required)."""
        if not reason or not reason.strip():
            raise ValueError("rejecting a document needs a reason")
        return await self._judge_document(
            document_id, staff, DocumentState.REJECTED,
            (DocumentState.RECEIVED, DocumentState.ACCEPTED), reason.strip(),
        )

    def kinds_with_files(self, view: ApplicationView, kinds: Sequence[str]) -> list[str]:
        """Of `kinds`, those with files received or accepted: a request for them must say
        whether the new files come in addition or instead."""
        return [k for k in kinds if any(d.state in HAVE_STATES for d in view.documents_of(k))]

    def kinds_without_room(self, view: ApplicationView, kinds: Sequence[str]) -> list[str]:
        """Of `kinds`, those already holding as many files as the program allows: more can
        only come instead of them."""
        program = self.registry.get(view.program_id)
        limits = {d.kind: d.max_count for d in program.documents} if program else {}
        return [
            k for k in kinds
            if sum(d.state in HAVE_STATES for d in view.documents_of(k)) >= limits.get(k, 1)
        ]

    async def request_documents(
        self,
        app_id: int,
        staff: StaffMember,
        kinds: Sequence[str],
        note: str,
        *,
        replace: bool = False,
    ) -> Notification:
        """-> needs_documents (from submitted/under_review); each kind gets a "requested"
        placeholder with the note. The files already received stay (the person sends more:
        "the back of the card as well") unless `replace`, when they become "superseded".
        Keeping them where the program allows no more files raises NoRoomToAdd. Asking again
        while already in needs_documents adds the kinds (recorded as a needs_documents event,
        no status change). ValueError for no kinds or kinds the program does not have."""
        wanted = list(dict.fromkeys(kinds))
        async with self._sessions() as session:
            app = await self._staff_app(session, app_id, staff)
            program = self._program(app)
            unknown = [k for k in wanted if program.document(k) is None]
            if not wanted or unknown:
                raise ValueError(f"document kinds to request: {wanted}, unknown: {unknown}")
            repo = ApplicationRepository(session)
            rows = await repo.documents([app.id])
            held = {k: len(rows_of_kind(rows, k, HAVE_STATES)) for k in wanted}
            limits = {d.kind: d.max_count for d in program.documents}
            full = tuple(k for k in wanted if held[k] >= limits[k])
            if full and not replace:
                raise NoRoomToAdd(full)
            ref = staff_ref(staff)
            clean_note = note.strip() if note else None
            if app.status == Status.NEEDS_DOCUMENTS:
                if not await repo.move(app.id, [Status.NEEDS_DOCUMENTS], Status.NEEDS_DOCUMENTS):
                    raise ApplicationLocked(f"application {app.id} left needs_documents")
                repo.add_event(
                    app.id, Status.NEEDS_DOCUMENTS, Status.NEEDS_DOCUMENTS, "staff", ref,
                    clean_note,
                )
            else:
                await self._move(
                    session, app, Status.NEEDS_DOCUMENTS, actor_kind="staff", actor_ref=ref,
                    reason=clean_note,
                )
            # An earlier request or a rejected file is always set aside; what was received
            # goes only when the caseworker chose to replace it.
            keep = HAVE_STATES if not replace else frozenset()
            current = [
                d.id
                for d in rows
                if d.kind in wanted and d.state != DocumentState.SUPERSEDED
                and d.state not in keep
            ]
            await repo.set_document_state(current, DocumentState.SUPERSEDED.value)
            now = utcnow()
            for kind in wanted:
                repo.add_document(
                    ApplicationDocument(
                        application_id=app.id, kind=kind, state=DocumentState.REQUESTED.value,
                        reason=clean_note, decided_by=ref, decided_at=now, created_at=now,
                    )
                )
            notification = await queue_notification(
                session, app, NotificationKind.DOCUMENTS_REQUESTED, kinds=wanted,
                note=clean_note, replace=replace,
                kept=[k for k in wanted if held[k] and not replace],
            )
            await session.commit()
            return notification
