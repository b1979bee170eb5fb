"""Exam figures for the dashboard: the overview's attendance and pass rates, and the pieces the
training-centres table uses to say whether a trainee's exam result and certificate are in.

Definitions (the overview's note and the tests share them):
- sessions held: not cancelled, started within the last RECENT_DAYS (the window the overview
  uses for times to decision) and no later than now / the end of the page's day;
- invited: per held session, the people the bot tells of it: those enrolled in its course
  (status enrolled, or completed since; one application each; people who withdrew since are
  no longer counted);
- «will attend»: answers «I will attend» for held sessions; attended: marked as present;
- examined: results recorded for held sessions, written and practical apart; pass rate: passed
  among examined;
- certificates: issued on a day within the same window (issued_on, a local date).
Scope: a session's province (copied from its course); a certificate's, its application's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, exists, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.applications.status import Status
from services.exams.model import Answer, ExamKind, ExamState
from storage.models import Application, Certificate, ExamAnswer, ExamResult, ExamSession

# Whom a session is told to: enrolled now, or enrolled then and completed since.
TOLD_STATUSES = (Status.ENROLLED.value, Status.COMPLETED.value)
# Pseudo paper kinds for what a centre's file lacks besides papers ("@": no real paper kind).
NO_EXAM_RESULT = "@exam_result"
NO_CERTIFICATE = "@certificate"


@dataclass(frozen=True, slots=True)
class KindFigures:
    examined: int = 0
    passed: int = 0

    @property
    def failed(self) -> int:
        return self.examined - self.passed

    @property
    def pass_percent(self) -> float | None:
        return 100.0 * self.passed / self.examined if self.examined else None


@dataclass(frozen=True, slots=True)
class ExamFigures:
    sessions_held: int = 0
    invited: int = 0
    will_attend: int = 0
    attended: int = 0
    written: KindFigures = KindFigures()
    practical: KindFigures = KindFigures()
    certificates: int = 0

    @property
    def examined(self) -> int:
        return self.written.examined + self.practical.examined

    @property
    def passed(self) -> int:
        return self.written.passed + self.practical.passed

    @property
    def failed(self) -> int:
        return self.examined - self.passed

    @property
    def pass_percent(self) -> float | None:
        return 100.0 * self.passed / self.examined if self.examined else None

    @property
    def attendance_percent(self) -> float | None:
        return 100.0 * self.attended / self.invited if self.invited else None


async def exam_figures(
    session: AsyncSession, provinces: frozenset[str] | None, *,
    since: dt.datetime, until: dt.datetime, first_day: dt.date, last_day: dt.date,
) -> ExamFigures:
    """Sessions that started in [since, until); certificates issued in [first_day, last_day]."""
    where_province = [] if provinces is None else [ExamSession.province.in_(sorted(provinces))]
    held = (
        select(ExamSession.id.label("id"), ExamSession.course_code.label("course_code"))
        .where(ExamSession.state != ExamState.CANCELLED.value, ExamSession.starts_at >= since,
               ExamSession.starts_at < until, *where_province)
        .subquery()
    )
    sessions_held = int(await session.scalar(select(func.count()).select_from(held)) or 0)
    if not sessions_held:
        return ExamFigures(certificates=await _certificates(session, provinces, first_day,
                                                            last_day))
    invited = await _invited(session, held)
    answers = (await session.execute(
        select(
            func.sum(case((ExamAnswer.answer == Answer.ATTEND.value, 1), else_=0)),
            func.sum(case((ExamAnswer.attended.is_(True), 1), else_=0)),
        ).where(ExamAnswer.session_id.in_(select(held.c.id)))
    )).one()
    by_kind: dict[str, KindFigures] = {}
    for kind, count, passed in await session.execute(
        select(ExamResult.kind, func.count(ExamResult.id),
               func.sum(case((ExamResult.passed.is_(True), 1), else_=0)))
        .where(ExamResult.session_id.in_(select(held.c.id)))
        .group_by(ExamResult.kind)
    ):
        by_kind[kind] = KindFigures(int(count), int(passed or 0))
    return ExamFigures(
        sessions_held=sessions_held,
        invited=invited,
        will_attend=int(answers[0] or 0),
        attended=int(answers[1] or 0),
        written=by_kind.get(ExamKind.WRITTEN.value, KindFigures()),
        practical=by_kind.get(ExamKind.PRACTICAL.value, KindFigures()),
        certificates=await _certificates(session, provinces, first_day, last_day),
    )


async def _invited(session: AsyncSession, held: Any) -> int:
    """Per course, its applications enrolled or completed, once for each of its held sessions:
    counted from the (course_code, status) index alone. (Listing the pairs, or also counting
    answers from people withdrawn since, took a few hundred milliseconds over 100,000
    applications; a withdrawn person is no longer counted as invited.)"""
    per_course = (
        select(Application.course_code.label("course_code"), func.count().label("people"))
        .where(Application.status.in_(TOLD_STATUSES),
               Application.course_code.in_(select(held.c.course_code)))
        .group_by(Application.course_code)
        .subquery()
    )
    told = await session.scalar(
        select(func.sum(per_course.c.people))
        .join(held, held.c.course_code == per_course.c.course_code)
    )
    return int(told or 0)


async def _certificates(
    session: AsyncSession, provinces: frozenset[str] | None, first_day: dt.date,
    last_day: dt.date,
) -> int:
    stmt = select(func.count(Certificate.id)).where(
        Certificate.issued_on >= first_day, Certificate.issued_on <= last_day
    )
    if provinces is not None:
        stmt = stmt.join(Application, Application.id == Certificate.application_id).where(
            Application.province.in_(sorted(provinces))
        )
    return int(await session.scalar(stmt) or 0)


# --- the training centres' table --------------------------------------------------------------

def has_result() -> ColumnElement[bool]:
    """The application (of the enclosing query) has an exam result recorded."""
    return exists().where(ExamResult.application_id == Application.id)


def has_certificate() -> ColumnElement[bool]:
    return exists().where(Certificate.application_id == Application.id)


def attended_an_exam() -> ColumnElement[bool]:
    """The trainee was marked present at a session of the application's course."""
    return exists().where(
        ExamAnswer.person_id == Application.person_id, ExamAnswer.attended.is_(True),
        ExamSession.id == ExamAnswer.session_id,
        ExamSession.course_code == Application.course_code,
    )


def exams_outstanding(
    with_result: ColumnElement[bool] | None = None,
    with_certificate: ColumnElement[bool] | None = None,
) -> ColumnElement[bool]:
    """The foundation pays for an enrolled (or finished) trainee once their exam result and
    certificate are in: either one missing keeps the file incomplete. Approved trainees have
    not started the course: nothing is owed yet. (By default each is an EXISTS; a caller that
    joined them passes its own columns.)"""
    result = has_result() if with_result is None else with_result
    certificate = has_certificate() if with_certificate is None else with_certificate
    return and_(Application.status.in_(TOLD_STATUSES), ~and_(result, certificate))


def exam_gaps(status: str, with_result: bool, with_certificate: bool) -> tuple[str, ...]:
    """What an application's file lacks on the exam side (pseudo kinds, named by the page)."""
    if status not in TOLD_STATUSES:
        return ()
    gaps = []
    if not with_result:
        gaps.append(NO_EXAM_RESULT)
    if not with_certificate:
        gaps.append(NO_CERTIFICATE)
    return tuple(gaps)


def flag(condition: ColumnElement[bool]) -> Any:
    """1 where `condition` holds, else 0: to be summed."""
    return case((condition, literal_column("1")), else_=literal_column("0"))
