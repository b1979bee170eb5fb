"""Applications: list rows, the full record, a transition."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.http import utc
from services.applications import Applicant, DocumentView, EventView, StaffCard
from services.integration import ApplicationRecord, ApplicationRow

StatusName = Literal[
    "submitted", "under_review", "needs_documents", "approved", "rejected", "enrolled",
    "completed", "withdrawn",
]
TargetName = Literal[
    "under_review", "needs_documents", "approved", "rejected", "enrolled", "completed",
    "withdrawn",
]
TRACKING_CODE_EXAMPLE = "HMN-1405-000123"


class ApplicationSummary(BaseModel):
    tracking_code: str | None = Field(examples=[TRACKING_CODE_EXAMPLE])
    program: str = Field(examples=["hamnava"])
    status: StatusName
    course_code: str | None = Field(examples=["TVT-1021"])
    province: str | None = Field(examples=["تهران"])
    full_name: str | None = Field(examples=["زهرا احمدی"])
    national_code: str | None = Field(
        default=None, description="Only for clients with the people:read scope",
        examples=["0012345679"],
    )
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    updated_at: dt.datetime


class ApplicationList(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None = Field(description="Absent on the last page")


class ApplicantOut(BaseModel):
    full_name: str | None = Field(examples=["زهرا احمدی"])
    national_code: str | None = Field(
        default=None, description="Only with people:read", examples=["0012345679"]
    )
    phone: str | None = Field(default=None, description="Only with people:read",
                              examples=["09121234567"])
    relief_client_number: str | None = Field(default=None, description="Only with people:read")
    birth_date: dt.date | None
    gender: str | None = Field(examples=["female"])
    province: str | None = Field(examples=["تهران"])
    city: str | None = Field(examples=["شهریار"])
    education: str | None = Field(examples=["diploma"])
    relief_client: bool | None
    decile: int | None = Field(examples=[2])


class DocumentOut(BaseModel):
    id: int
    kind: str = Field(examples=["national_card"])
    state: Literal["received", "accepted", "rejected", "requested"]
    mime: str | None = Field(examples=["image/jpeg"])
    size: int | None
    reason: str | None = Field(description="Rejection reason or the request's note",
                               examples=["تصویر کارت ملی خوانا نیست"])
    created_at: dt.datetime
    file_url: str | None = Field(description="GET it with documents:read; absent for a request",
                                 examples=["/v1/documents/12/file"])


class EventOut(BaseModel):
    from_status: str | None
    to_status: str
    actor: str = Field(description="person | staff | system", examples=["staff"])
    at: dt.datetime
    reason: str | None = Field(examples=["مدارک کامل است"])


class ApplicationOut(BaseModel):
    tracking_code: str | None = Field(examples=[TRACKING_CODE_EXAMPLE])
    program: str = Field(examples=["hamnava"])
    status: str = Field(examples=["under_review"])
    course_code: str | None = Field(examples=["TVT-1021"])
    province: str | None = Field(examples=["تهران"])
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    updated_at: dt.datetime
    applicant: ApplicantOut
    answers: dict[str, Any] = Field(examples=[{"motivation": "می‌خواهم خیاطی یاد بگیرم"}])
    documents: list[DocumentOut]
    timeline: list[EventOut]
    missing_documents: list[str]
    eligibility_unmet: list[str] = Field(description="Rule codes the person fails today")
    allowed_transitions: list[str] = Field(examples=[["approved", "needs_documents"]])


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: TargetName = Field(examples=["approved"])
    reason: str | None = Field(
        default=None, max_length=1000,
        description="Required to reject (the person is told it); the note of a documents "
                    "request",
        examples=["ظرفیت دوره تکمیل شده است"],
    )
    documents: list[str] = Field(
        default_factory=list, max_length=20,
        description="needs_documents: the document kinds asked for",
        examples=[["national_card"]],
    )
    replace: bool = Field(
        default=False, description="needs_documents: set the files received aside"
    )


class TransitionOut(BaseModel):
    application: ApplicationOut
    notified: int = Field(description="Messages queued to the person (0: no reachable chat)")


def summary_of(row: ApplicationRow) -> ApplicationSummary:
    return ApplicationSummary(
        tracking_code=row.tracking_code, program=row.program,
        status=row.status.value,  # type: ignore[arg-type]  # drafts are never listed
        course_code=row.course_code, province=row.province, full_name=row.full_name,
        national_code=row.national_code, submitted_at=utc(row.submitted_at),
        decided_at=utc(row.decided_at), updated_at=utc(row.updated_at) or row.updated_at,
    )


def _applicant(applicant: Applicant, identifiers: bool) -> ApplicantOut:
    return ApplicantOut(
        full_name=applicant.full_name,
        national_code=applicant.national_code if identifiers else None,
        phone=applicant.phone if identifiers else None,
        relief_client_number=applicant.relief_client_number if identifiers else None,
        birth_date=applicant.birth_date, gender=applicant.gender, province=applicant.province,
        city=applicant.city, education=applicant.education,
        relief_client=applicant.relief_client, decile=applicant.decile,
    )


def _document(document: DocumentView) -> DocumentOut:
    has_file = document.mime is not None
    return DocumentOut(
        id=document.id, kind=document.kind,
        state=document.state.value,  # type: ignore[arg-type]  # superseded ones are not here
        mime=document.mime, size=document.size, reason=document.reason,
        created_at=utc(document.created_at) or document.created_at,
        file_url=f"/v1/documents/{document.id}/file" if has_file else None,
    )


def _event(event: EventView) -> EventOut:
    return EventOut(
        from_status=event.from_status.value if event.from_status else None,
        to_status=event.to_status.value, actor=event.actor_kind,
        at=utc(event.at) or event.at, reason=event.reason,
    )


def application_of(record: ApplicationRecord, allowed: list[str]) -> ApplicationOut:
    card: StaffCard = record.card
    view = card.view
    return ApplicationOut(
        tracking_code=view.tracking_code, program=view.program_id, status=view.status.value,
        course_code=view.course_code, province=view.province,
        created_at=utc(view.created_at) or view.created_at, submitted_at=utc(view.submitted_at),
        updated_at=utc(view.updated_at) or view.updated_at,
        applicant=_applicant(card.applicant, record.show_identifiers),
        answers=view.answers,
        documents=[_document(d) for d in view.documents],
        timeline=[_event(e) for e in view.timeline],
        missing_documents=list(card.missing_documents),
        eligibility_unmet=[rule.code for rule in card.unmet],
        allowed_transitions=allowed,
    )
