"""ApplicationService: the whole application lifecycle, for beneficiaries and for staff.

No aiogram here. Handlers call these methods and word the results. Beneficiary methods take the
person's id and never act on someone else's application (a forged id gets None/NOT_FOUND or
NotAuthorized and a logger.warning with ids only). Staff methods take a StaffMember and refuse
applications outside the member's provinces with NotAuthorized (the caller logs the refusal).
Every status change goes through the status machine (ForbiddenTransition otherwise) and is
recorded with who, when and why.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.applications.results import (
    ApplicationView,
    DocumentOutcome,
    Notification,
    QueueItem,
    SetCourseOutcome,
    StaffCard,
    StartResult,
    SubmitResult,
)
from bot.services.catalog import CourseCard
from bot.services.programs import AnswerError, DocumentRequirement, ProgramRegistry, Question
from bot.services.staff import StaffMember
from storage.documents import DocumentStore

logger = logging.getLogger(__name__)


class OpenedDocument(NamedTuple):
    data: bytes
    mime: str
    kind: str


class ApplicationService:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        registry: ProgramRegistry,
        document_store: DocumentStore,
        *,
        timezone: str = "Asia/Tehran",
    ) -> None:
        self._sessions = session_factory
        self.registry = registry
        self._store = document_store
        self._timezone = timezone

    # --- beneficiary: reading -----------------------------------------------------------------

    async def drafts(self, person_id: int) -> list[ApplicationView]:
        """The person's drafts (at most one per program), newest first."""
        raise NotImplementedError

    async def my_file(self, person_id: int) -> list[ApplicationView]:
        """All the person's applications (any status, drafts included), newest first, each
        with its documents and status timeline."""
        raise NotImplementedError

    async def get_for_person(self, app_id: int, person_id: int) -> ApplicationView | None:
        """None if there is no such application or it is someone else's (logged)."""
        raise NotImplementedError

    # --- beneficiary: filling in a draft ------------------------------------------------------

    async def start_or_resume(
        self,
        person_id: int,
        program_id: str,
        course_code: str | None = None,
        *,
        today: dt.date | None = None,
    ) -> StartResult:
        """Open a draft for this program, or return the one already there.

        - CREATED / RESUMED: `view` is the draft (a course_code given is set on it when it
          qualifies; otherwise it is ignored and the UI offers eligible_courses).
        - ACTIVE_EXISTS: the person already has a submitted/in-progress application for this
          program; `view` is that one (one active application per program and person).
        - NOT_ELIGIBLE: `unmet` lists the rules not met (nothing is created).
        - NOT_REGISTERED / UNKNOWN_PROGRAM: nothing is created.
        Safe under double taps: two concurrent calls give one draft."""
        raise NotImplementedError

    async def eligible_courses(
        self,
        program_id: str,
        *,
        province: str | None = None,
        today: dt.date | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[CourseCard]:
        """Open courses (not full, not started) this program pays for, soonest start first;
        `province` narrows to one province (None = all)."""
        raise NotImplementedError

    async def set_course(
        self, app_id: int, person_id: int, course_code: str, *, today: dt.date | None = None
    ) -> SetCourseOutcome:
        """Choose the course of a draft; only an open course the program pays for is taken."""
        raise NotImplementedError

    async def set_answer(
        self,
        app_id: int,
        person_id: int,
        question_id: str,
        raw: str,
        *,
        today: dt.date | None = None,
    ) -> AnswerError | None:
        """Validate and store one answer of a draft: None = saved, else the AnswerError (the
        draft keeps the previous answer). An empty `raw` for an optional question clears it.
        Raises NotAuthorized for someone else's application, LookupError for a question id
        the program does not have, ApplicationLocked when it is no longer a draft."""
        raise NotImplementedError

    async def add_document(
        self, app_id: int, person_id: int, kind: str, data: bytes
    ) -> DocumentOutcome:
        """Check (type sniffed from the bytes, size, count) and store one uploaded file.

        Uploads are taken while a draft (any kind of the program) and while "needs_documents"
        (only kinds staff requested or rejected). Uploading a requested/rejected kind replaces
        the old rows (kept as "superseded" history). The same content again for the same
        kind -> DUPLICATE, nothing new. Someone else's application -> NOT_FOUND (logged)."""
        raise NotImplementedError

    async def remove_document(self, app_id: int, person_id: int, document_id: int) -> bool:
        """Remove one received document of a draft (False if not possible / not theirs)."""
        raise NotImplementedError

    def required_documents(self, view: ApplicationView) -> list[DocumentRequirement]:
        """The program's documents that apply to this person (a Relief letter only for
        clients), in file order, mandatory or not."""
        raise NotImplementedError

    def missing_documents(self, view: ApplicationView) -> list[DocumentRequirement]:
        """Mandatory documents with nothing received or accepted yet (in needs_documents: also
        the requested/rejected kinds not re-uploaded yet)."""
        raise NotImplementedError

    def missing_answers(self, view: ApplicationView) -> list[Question]:
        """Required questions without an answer, in file order."""
        raise NotImplementedError

    async def submit(
        self, app_id: int, person_id: int, *, today: dt.date | None = None
    ) -> SubmitResult:
        """draft -> submitted. Requires every required answer and mandatory document, a course
        that is still open and counts for the program, and eligibility re-checked today.
        Assigns the tracking code (e.g. HMN-1405-000123). Idempotent: a second call or a
        concurrent double tap gives ALREADY_SUBMITTED with the same tracking code."""
        raise NotImplementedError

    async def send_documents(self, app_id: int, person_id: int) -> SubmitResult:
        """needs_documents -> under_review once every requested/rejected kind has a new upload;
        INCOMPLETE with missing_documents otherwise; ALREADY_SUBMITTED if already back."""
        raise NotImplementedError

    async def discard(self, app_id: int, person_id: int) -> bool:
        """Delete a draft (and its documents); False if not a draft of this person."""
        raise NotImplementedError

    async def withdraw(
        self, app_id: int, person_id: int, reason: str | None = None
    ) -> ApplicationView | None:
        """-> withdrawn (from submitted, under_review, needs_documents, approved, enrolled).
        None if not theirs; ForbiddenTransition from draft (discard it) or a final status."""
        raise NotImplementedError

    async def open_own_document(self, document_id: int, person_id: int) -> OpenedDocument | None:
        """A person's own uploaded file (to show it back); None if not theirs."""
        raise NotImplementedError

    # --- staff ------------------------------------------------------------------------------

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
        raise NotImplementedError

    async def queue_size(self, staff: StaffMember, *, program_id: str | None = None) -> int:
        raise NotImplementedError

    async def card(
        self, app_id: int, staff: StaffMember, *, today: dt.date | None = None
    ) -> StaffCard:
        """ApplicationNotFound / NotAuthorized (outside the member's provinces)."""
        raise NotImplementedError

    async def find_by_tracking_code(self, code: str, staff: StaffMember) -> StaffCard | None:
        """Any spelling (Persian digits, lower case); None if unknown; NotAuthorized if outside
        the member's provinces."""
        raise NotImplementedError

    async def take(self, app_id: int, staff: StaffMember) -> Notification:
        """submitted/needs_documents -> under_review; the member becomes the reviewer."""
        raise NotImplementedError

    async def accept_document(self, document_id: int, staff: StaffMember) -> Notification:
        """A received (or rejected) document -> accepted. Allowed while submitted/under_review/
        needs_documents."""
        raise NotImplementedError

    async def reject_document(
        self, document_id: int, staff: StaffMember, reason: str
    ) -> Notification:
        """A received/accepted document -> rejected with the reason."""
        raise NotImplementedError

    async def request_documents(
        self, app_id: int, staff: StaffMember, kinds: Sequence[str], note: str
    ) -> Notification:
        """-> needs_documents; each kind gets a "requested" placeholder with the note, its old
        rows become "superseded". Unknown kinds: ValueError."""
        raise NotImplementedError

    async def approve(
        self, app_id: int, staff: StaffMember, reason: str | None = None
    ) -> Notification:
        """under_review -> approved; received documents become accepted. CannotApprove if a
        mandatory kind has only rejected/requested rows."""
        raise NotImplementedError

    async def reject(self, app_id: int, staff: StaffMember, reason: str) -> Notification:
        """under_review -> rejected (final; the person may apply again later)."""
        raise NotImplementedError

    async def mark_enrolled(self, app_id: int, staff: StaffMember) -> Notification:
        raise NotImplementedError

    async def mark_completed(self, app_id: int, staff: StaffMember) -> Notification:
        raise NotImplementedError

    async def open_document(self, document_id: int, staff: StaffMember) -> OpenedDocument:
        """The file's bytes for a reviewer; writes a DocumentAccess audit row first.
        ApplicationNotFound / NotAuthorized."""
        raise NotImplementedError
