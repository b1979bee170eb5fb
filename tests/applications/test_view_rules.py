"""What an application view answers by itself: whether the person may withdraw it or upload to
it now, and where a resumed draft continues. No database: views built by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.applications import (
    ALLOWED,
    ApplicationView,
    DocumentState,
    DocumentView,
    Status,
)
from services.applications.views import DraftStep, next_step, resume_question
from services.programs import ProgramRegistry

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
HAMNAVA_ANSWERS = {"employment": "unemployed", "household_size": 4, "needs_dormitory": False}


def _document(kind: str, state: DocumentState) -> DocumentView:
    return DocumentView(id=hash((kind, state)) % 10_000, kind=kind, state=state, mime=None,
                        size=None, reason=None, created_at=NOW)


def _view(status: Status = Status.DRAFT, **changes: Any) -> ApplicationView:
    values: dict[str, Any] = {
        "id": 1, "person_id": 1, "program_id": "hamnava", "status": status,
        "course_code": "A01", "answers": {}, "documents": (), "timeline": (),
        "tracking_code": None, "province": "تهران", "relief_client": False,
        "created_at": NOW, "submitted_at": None, "updated_at": NOW,
    }
    values.update(changes)
    return ApplicationView(**values)


@pytest.mark.parametrize("status", list(Status))
def test_withdrawal_is_what_the_status_machine_allows(status: Status) -> None:
    expected = status in (
        Status.SUBMITTED, Status.UNDER_REVIEW, Status.NEEDS_DOCUMENTS, Status.APPROVED,
        Status.ENROLLED,
    )
    assert _view(status).can_withdraw is expected
    assert (Status.WITHDRAWN in ALLOWED[status]) is expected
    assert _view(status).withdrawal_gives_up_seat is (status in (Status.APPROVED, Status.ENROLLED))


@pytest.mark.parametrize("status", list(Status))
def test_uploads_open_only_while_documents_are_needed(status: Status) -> None:
    documents = (
        _document("photo", DocumentState.REQUESTED),
        _document("national_card", DocumentState.REJECTED),
        _document("birth_certificate", DocumentState.ACCEPTED),
        _document("education_certificate", DocumentState.RECEIVED),
    )
    view = _view(status, documents=documents)
    assert view.kinds_asked_for == {"photo", "national_card"}
    assert view.uploads_open is (status is Status.NEEDS_DOCUMENTS)
    expected = {"photo", "national_card"} if status is Status.NEEDS_DOCUMENTS else set()
    assert view.open_upload_kinds == expected


def test_a_draft_continues_where_it_stopped(registry: ProgramRegistry) -> None:
    program = registry.get("hamnava")
    assert program is not None
    assert next_step(program, _view(course_code=None)) is DraftStep.COURSE
    assert next_step(program, _view()) is DraftStep.QUESTION
    assert resume_question(program, _view()) == 0
    half = _view(answers={"employment": "unemployed"})
    assert (next_step(program, half), resume_question(program, half)) == (DraftStep.QUESTION, 1)
    # Required answers in, no papers yet: the first optional question is still offered.
    required = _view(answers=HAMNAVA_ANSWERS)
    assert next_step(program, required) is DraftStep.QUESTION
    assert resume_question(program, required) == 3
    # Once papers arrived, a blank optional question was passed on purpose.
    card = (_document("national_card", DocumentState.RECEIVED),)
    with_papers = _view(answers=HAMNAVA_ANSWERS, documents=card)
    assert resume_question(program, with_papers) is None
    assert next_step(program, with_papers) is DraftStep.DOCUMENTS
    every_kind = tuple(
        _document(kind, DocumentState.RECEIVED)
        for kind in ("national_card", "birth_certificate", "education_certificate", "photo")
    )
    done = _view(answers=HAMNAVA_ANSWERS, documents=every_kind)
    assert next_step(program, done) is DraftStep.REVIEW
