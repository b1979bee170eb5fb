"""What ApplicationService returns: read-only views, outcomes, notifications, domain errors.

All plain frozen dataclasses/enums; nothing here touches the database or aiogram."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from services.applications.status import ALLOWED, Status
from services.programs.eligibility import UnmetRule


class DocumentState(StrEnum):
    RECEIVED = "received"  # uploaded, not looked at yet
    ACCEPTED = "accepted"  # staff accepted it
    REJECTED = "rejected"  # staff rejected it (reason says why); the person uploads again
    REQUESTED = "requested"  # staff asked for this kind (again); a placeholder with the note
    SUPERSEDED = "superseded"  # replaced by a newer upload or request: history only


# Rows in these states are the application's current papers of their kind.
CURRENT_DOCUMENT_STATES = frozenset(
    {DocumentState.RECEIVED, DocumentState.ACCEPTED, DocumentState.REJECTED,
     DocumentState.REQUESTED}
)


class DocumentOutcome(StrEnum):
    ACCEPTED = "accepted"  # stored and recorded (state "received")
    DUPLICATE = "duplicate"  # the same content is already there for this kind: nothing new
    EMPTY = "empty"
    TOO_BIG = "too_big"
    WRONG_TYPE = "wrong_type"
    DAMAGED = "damaged"  # does not open: truncated, broken, a PDF without pages
    IMAGE_TOO_LARGE = "image_too_large"  # more pixels than can be decoded safely
    PROTECTED = "protected"  # a password-protected PDF
    UNSAFE = "unsafe"  # scripts, launch actions, attached files, or another format inside
    TOO_MANY = "too_many"  # max_count of this kind reached (remove one first)
    NOT_ALLOWED_NOW = "not_allowed_now"  # status does not take uploads, or kind not asked for
    UNKNOWN_KIND = "unknown_kind"  # not a document of this program
    NOT_FOUND = "not_found"  # no such application of this person


class SubmitOutcome(StrEnum):
    SUBMITTED = "submitted"
    ALREADY_SUBMITTED = "already_submitted"  # a repeat or a double tap: same tracking code
    INCOMPLETE = "incomplete"  # see missing_answers / missing_documents / no course
    COURSE_CLOSED = "course_closed"  # full, started, gone, or no longer counts for the program
    NOT_ELIGIBLE = "not_eligible"  # see unmet
    NOT_FOUND = "not_found"  # no such application of this person (or discarded)
    NOT_ALLOWED_NOW = "not_allowed_now"  # e.g. withdrawn


class SetCourseOutcome(StrEnum):
    SET = "set"
    UNKNOWN_COURSE = "unknown_course"
    NOT_QUALIFIED = "not_qualified"  # closed, or not one this program pays for
    NOT_ALLOWED_NOW = "not_allowed_now"  # not a draft any more
    NOT_FOUND = "not_found"


class StartOutcome(StrEnum):
    CREATED = "created"
    RESUMED = "resumed"  # the person's draft for this program
    ACTIVE_EXISTS = "active_exists"  # already submitted/in progress: the view is that one
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN_PROGRAM = "unknown_program"
    NOT_REGISTERED = "not_registered"


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: int
    kind: str
    state: DocumentState
    mime: str | None  # None for a "requested" placeholder
    size: int | None
    reason: str | None  # rejection reason or the staff's request note
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EventView:
    """One line of the status timeline."""

    from_status: Status | None  # None for the creation of the draft
    to_status: Status
    actor_kind: str  # "person" | "staff" | "system"
    at: dt.datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ApplicationView:
    id: int
    person_id: int
    program_id: str
    status: Status
    course_code: str | None
    answers: dict[str, Any]  # question id -> typed value (see programs.Question)
    documents: tuple[DocumentView, ...]  # current ones (not superseded), oldest first
    timeline: tuple[EventView, ...]  # oldest first
    tracking_code: str | None  # set at submission
    province: str | None
    relief_client: bool | None  # the person's, for "relief_clients_only" documents
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    updated_at: dt.datetime

    def documents_of(self, kind: str) -> list[DocumentView]:
        return [d for d in self.documents if d.kind == kind]

    @property
    def is_active(self) -> bool:
        from services.applications.status import ACTIVE

        return self.status in ACTIVE

    @property
    def can_withdraw(self) -> bool:
        """Whatever the status machine allows: before the decision, after approval (the person
        declines the seat) and while enrolled (drops out). A draft is discarded instead."""
        return Status.WITHDRAWN in ALLOWED[self.status]

    @property
    def withdrawal_gives_up_seat(self) -> bool:
        """Withdrawing now frees a seat the person already has: they must be told so first."""
        return self.status in (Status.APPROVED, Status.ENROLLED)

    @property
    def uploads_open(self) -> bool:
        """After sending, papers go in only while the caseworker waits for them."""
        return self.status is Status.NEEDS_DOCUMENTS

    @property
    def kinds_asked_for(self) -> frozenset[str]:
        """Kinds the caseworker requested or rejected (whatever the status)."""
        return frozenset(
            d.kind
            for d in self.documents
            if d.state in (DocumentState.REQUESTED, DocumentState.REJECTED)
        )

    @property
    def open_upload_kinds(self) -> frozenset[str]:
        """The kinds that take an upload now: those asked for, while the caseworker waits."""
        return self.kinds_asked_for if self.uploads_open else frozenset()


@dataclass(frozen=True, slots=True)
class StartResult:
    outcome: StartOutcome
    view: ApplicationView | None = None
    unmet: tuple[UnmetRule, ...] = ()


@dataclass(frozen=True, slots=True)
class SubmitResult:
    outcome: SubmitOutcome
    tracking_code: str | None = None
    view: ApplicationView | None = None
    missing_answers: tuple[str, ...] = ()  # question ids
    missing_documents: tuple[str, ...] = ()  # document kinds
    missing_course: bool = False
    unmet: tuple[UnmetRule, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome in (SubmitOutcome.SUBMITTED, SubmitOutcome.ALREADY_SUBMITTED)


@dataclass(frozen=True, slots=True)
class Applicant:
    """The person behind an application, for staff only (personal data)."""

    person_id: int
    full_name: str | None
    national_code: str | None
    phone: str | None
    birth_date: dt.date | None
    gender: str | None
    province: str | None
    city: str | None
    education: str | None
    relief_client: bool | None
    relief_client_number: str | None
    decile: int | None


@dataclass(frozen=True, slots=True)
class StaffCard:
    """Everything a reviewer sees about one application."""

    view: ApplicationView
    applicant: Applicant
    unmet: tuple[UnmetRule, ...]  # eligibility re-checked today
    missing_documents: tuple[str, ...]  # mandatory kinds with nothing received/accepted
    reviewer: str | None  # "platform:user_id" of the staff member who took it


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int
    tracking_code: str | None
    program_id: str
    status: Status
    province: str | None
    course_code: str | None
    full_name: str | None
    submitted_at: dt.datetime | None


class NotificationKind(StrEnum):
    UNDER_REVIEW = "under_review"
    DOCUMENT_ACCEPTED = "document_accepted"  # params: kind
    DOCUMENT_REJECTED = "document_rejected"  # params: kind, reason
    DOCUMENTS_ACCEPTED = "documents_accepted"  # params: kinds, count (one card action)
    DOCUMENTS_REQUESTED = "documents_requested"  # params: kinds, note
    APPROVED = "approved"
    REJECTED = "rejected"  # params: reason
    ENROLLED = "enrolled"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class Notification:
    """What the beneficiary must be told after a staff action: queued in the outbox with the
    change; the bot's sender words it in the person's language (payload: kind and params).

    params always has: application_id, program_id, tracking_code, course_code, status."""

    person_id: int
    kind: NotificationKind
    params: dict[str, Any] = field(default_factory=dict)
    # Outbox rows written with the change (one per messenger the person can be reached on):
    # 0 means nobody can be told now; they will see it in their file.
    queued: int = 0
