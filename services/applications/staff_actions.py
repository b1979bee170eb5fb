"""ApplicationService, the staff half: the review queue, the card, decisions (the staff's work
on documents is in staff_documents.py).

Every method takes the acting StaffMember and refuses applications outside the member's
provinces with NotAuthorized (the handler logs the refusal). Each action writes the
Notification the beneficiary must get into the outbox in the same transaction as the change
(a failure to send never loses it) and returns it, for the reviewer's "they will be told"."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.base import ServiceBase
from services.applications.errors import (
    ApplicationNotFound,
    CannotApprove,
    NotAuthorized,
)
from services.applications.notices import queue_notification
from services.applications.results import (
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
            if target is Status.ENROLLED and self._on_enrolled is not None:
                await self._on_enrolled(session, app)
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
