"""What the exam services share: kinds, states, outbox kinds, the one error type, views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ExamKind(StrEnum):
    WRITTEN = "written"
    PRACTICAL = "practical"


class ExamState(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Answer(StrEnum):
    ATTEND = "attend"
    ABSENT = "absent"


# Outbox kinds: news to a person (payload "event" says which) and the scheduled reminder.
EXAM_NEWS = "exam_news"
EXAM_REMINDER = "exam_reminder"
# Between application news (0) and staff alerts (10): an exam is nearer than a decision.
EXAM_PRIORITY = 5


class ExamEvent(StrEnum):
    CREATED = "created"
    MOVED = "moved"
    CANCELLED = "cancelled"
    RESULT = "result"
    CERTIFICATE = "certificate"


class NextStep(StrEnum):
    """What a result means for the person (the wording says how, in plain words)."""

    PRACTICAL = "practical"  # written passed: the practical exam comes next
    RETAKE_WRITTEN = "retake_written"
    CERTIFICATE = "certificate"  # practical passed: the certificate is being issued
    RETAKE_PRACTICAL = "retake_practical"


def next_step(kind: str, passed: bool) -> NextStep:
    if kind == ExamKind.WRITTEN:
        return NextStep.PRACTICAL if passed else NextStep.RETAKE_WRITTEN
    return NextStep.CERTIFICATE if passed else NextStep.RETAKE_PRACTICAL


class ExamError(Exception):
    """A refused exam action. `code` names the reason (the bot words it; the CLI prints it):
    not_allowed, unknown_course, in_past, date.format, date.not_exist, date.out_of_range,
    date.gregorian, time.format, capacity, place, location, no_session, cancelled, started,
    not_started, not_enrolled, unknown_tracking, full, no_passed_practical, duplicate_number,
    already_certified, number, score."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class SessionInput:
    """A session as typed (the form) or read (an import row); checked by `check_input`."""

    course_code: str
    kind: str
    date_text: str
    time_text: str
    place: str
    capacity: int
    latitude: float | None = None
    longitude: float | None = None
    # A connected system sends the moment itself (RFC 3339): then the texts are not read.
    starts_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class SessionView:
    id: int
    course_code: str
    course_title: str
    province: str | None
    kind: str
    starts_at: dt.datetime
    place: str
    latitude: float | None
    longitude: float | None
    capacity: int
    state: str
    version: int

    @property
    def cancelled(self) -> bool:
        return self.state == ExamState.CANCELLED


@dataclass(frozen=True, slots=True)
class RollLine:
    """One enrolled person in a session's list for staff."""

    person_id: int
    name: str
    tracking_code: str | None
    answer: str | None
    attended: bool | None
    passed: bool | None
    score: int | None


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    answer: Answer
    changed: bool  # it replaced another answer
    same: bool  # the same answer again
    session: SessionView


@dataclass(frozen=True, slots=True)
class ResultView:
    id: int
    person_id: int
    session: SessionView
    score: int | None
    passed: bool

    @property
    def next_step(self) -> NextStep:
        return next_step(self.session.kind, self.passed)


@dataclass(frozen=True, slots=True)
class CertificateView:
    id: int
    number: str
    issued_on: dt.date
    person_id: int
    course_code: str
    standard_code: str
    title: str


@dataclass(frozen=True, slots=True)
class PersonExam:
    """An upcoming session of a course the person is enrolled in, with their answer."""

    session: SessionView
    answer: str | None
