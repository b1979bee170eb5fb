"""Turning rows into the read-only views the UI gets, and the document bookkeeping rules
(what is missing) that both the beneficiary and the staff side use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from services.applications.results import (
    CURRENT_DOCUMENT_STATES,
    Applicant,
    ApplicationView,
    DocumentState,
    DocumentView,
    EventView,
)
from services.applications.status import Status
from services.programs import DocumentRequirement, Program, Question
from storage.models import Application, ApplicationDocument, ApplicationEvent, Person

# A kind counts as "in" when one of its current rows is one of these.
HAVE_STATES = frozenset({DocumentState.RECEIVED, DocumentState.ACCEPTED})


def document_view(row: ApplicationDocument) -> DocumentView:
    return DocumentView(
        id=row.id,
        kind=row.kind,
        state=DocumentState(row.state),
        mime=row.mime,
        size=row.size,
        reason=row.reason,
        created_at=row.created_at,
    )


def event_view(row: ApplicationEvent) -> EventView:
    return EventView(
        from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status),
        actor_kind=row.actor_kind,
        at=row.at,
        reason=row.reason,
    )


def application_view(
    app: Application,
    person: Person | None,
    documents: Iterable[ApplicationDocument],
    events: Iterable[ApplicationEvent],
) -> ApplicationView:
    return ApplicationView(
        id=app.id,
        person_id=app.person_id,
        program_id=app.program,
        status=Status(app.status),
        course_code=app.course_code,
        answers=dict(app.answers or {}),
        documents=tuple(
            document_view(d)
            for d in documents
            if d.application_id == app.id and d.state in CURRENT_DOCUMENT_STATES
        ),
        timeline=tuple(event_view(e) for e in events if e.application_id == app.id),
        tracking_code=app.tracking_code,
        province=app.province,
        relief_client=person.relief_client if person is not None else None,
        created_at=app.created_at,
        submitted_at=app.submitted_at,
        updated_at=app.updated_at,
    )


def applicant_of(person: Person) -> Applicant:
    return Applicant(
        person_id=person.id,
        full_name=person.full_name,
        national_code=person.national_code,
        phone=person.phone,
        birth_date=person.birth_date,
        gender=person.gender,
        province=person.province,
        city=person.city,
        education=person.education,
        relief_client=person.relief_client,
        relief_client_number=person.relief_client_number,
        decile=person.decile,
    )


def required_documents(program: Program, relief_client: bool | None) -> list[DocumentRequirement]:
    return [d for d in program.documents if d.applies_to(relief_client)]


def missing_documents(program: Program, view: ApplicationView) -> list[DocumentRequirement]:
    """Mandatory kinds with nothing received/accepted, and any kind staff asked for (a
    "requested" placeholder still current) or rejected without a new upload."""
    missing = []
    for requirement in required_documents(program, view.relief_client):
        rows = view.documents_of(requirement.kind)
        have = any(d.state in HAVE_STATES for d in rows)
        asked = any(d.state is DocumentState.REQUESTED for d in rows)
        if asked or (not have and requirement.is_mandatory_for(view.relief_client)):
            missing.append(requirement)
    return missing


def missing_answers(program: Program, answers: dict[str, object]) -> list[Question]:
    return [q for q in program.questions if q.required and answers.get(q.id) is None]


def kinds_open_for_upload(view: ApplicationView) -> set[str]:
    """In needs_documents, only the kinds staff requested or rejected take uploads."""
    return set(view.kinds_asked_for)


class DraftStep(StrEnum):
    """Where a started or resumed draft continues."""

    COURSE = "course"
    QUESTION = "question"  # the one resume_question names
    DOCUMENTS = "documents"
    REVIEW = "review"


def resume_question(program: Program, view: ApplicationView) -> int | None:
    """The first question still open. An optional one left blank counts as open only until
    papers arrive: by then the person went past it on purpose."""
    for index, question in enumerate(program.questions):
        if view.answers.get(question.id) is None and (question.required or not view.documents):
            return index
    return None


def next_step(program: Program, view: ApplicationView) -> DraftStep:
    """No course yet -> the course; an open question -> that question; papers missing -> the
    documents; otherwise the review."""
    if view.course_code is None:
        return DraftStep.COURSE
    if resume_question(program, view) is not None:
        return DraftStep.QUESTION
    if missing_documents(program, view):
        return DraftStep.DOCUMENTS
    return DraftStep.REVIEW


def rows_of_kind(
    rows: Sequence[ApplicationDocument], kind: str, states: Iterable[str]
) -> list[ApplicationDocument]:
    wanted = set(states)
    return [r for r in rows if r.kind == kind and r.state in wanted]
