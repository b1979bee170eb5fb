"""A small known data set for the dashboard's figures, written as rows with chosen timestamps,
and the numbers it must give (worked out by hand in the comments)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    Application,
    ApplicationDocument,
    Certificate,
    ExamAnswer,
    ExamResult,
    ExamSession,
    MessengerAccount,
    Person,
    Ticket,
)
from tests.applications.helpers import add_course

TEHRAN, ISFAHAN = "تهران", "اصفهان"
ZONE = ZoneInfo("Asia/Tehran")
TODAY = dt.date(2026, 11, 20)
# Noon in Tehran on TODAY, in UTC.
NOON = dt.datetime.combine(TODAY, dt.time(12), tzinfo=ZONE).astimezone(dt.UTC)
H = dt.timedelta(hours=1)
MANDATORY = ("national_card", "birth_certificate", "education_certificate", "photo")


def noon_of(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(12), tzinfo=ZONE).astimezone(dt.UTC)


async def build(sessions: async_sessionmaker[AsyncSession], today: dt.date = TODAY) -> None:
    """The data set, dated around noon (Tehran) of `today` (the browser test uses the real
    today: its server runs on the real clock)."""
    NOON = noon_of(today)  # the module's constant, moved to that day
    await add_course(sessions, "C1", province=TEHRAN, center_name="مرکز الف")
    await add_course(sessions, "C2", province=ISFAHAN, city=ISFAHAN, center_name="آموزشگاه ب")
    async with sessions() as session:
        # People: province, registered (days before TODAY, or None), messengers.
        people = [
            (TEHRAN, 0, ("telegram",)),
            (TEHRAN, 0, ("telegram", "bale")),
            (TEHRAN, 1, ("telegram",)),
            (TEHRAN, None, ("telegram",)),  # never registered: counted nowhere
            (ISFAHAN, 3, ("bale",)),
            (ISFAHAN, 40, ("telegram",)),  # registered before the 30 days shown
        ]
        persons = []
        for n, (province, days_ago, platforms) in enumerate(people):
            registered = NOON - dt.timedelta(days=days_ago) if days_ago is not None else None
            person = Person(province=province, registered_at=registered, full_name=f"نفر {n}",
                            relief_client=False)
            session.add(person)
            await session.flush()
            for platform in platforms:
                session.add(MessengerAccount(platform=platform, user_id=1000 + n,
                                             chat_id=1000 + n, person_id=person.id))
            persons.append(person)
        # Applications: person, program, status, province, course, decision after (hours).
        apps = [
            (0, "hamnava", "approved", TEHRAN, "C1", 2),
            (1, "hamnava", "rejected", TEHRAN, "C1", 10),
            (2, "karafan", "submitted", TEHRAN, "C1", None),
            (4, "hamnava", "enrolled", ISFAHAN, "C2", 5),
            (5, "karafan", "under_review", ISFAHAN, "C2", None),
            (3, "karafan", "draft", TEHRAN, "C1", None),  # a draft: not an application yet
        ]
        rows = []
        for n, (who, program, status, province, course, hours) in enumerate(apps):
            app = Application(
                person_id=persons[who].id, program=program, program_version="1",
                status=status, course_code=course, answers={}, province=province,
                tracking_code=None if status == "draft" else f"HMN-1405-{n + 1:06d}",
                submitted_at=None if status == "draft" else NOON - 48 * H,
                decided_at=NOON - 48 * H + hours * H if hours is not None else None,
            )
            session.add(app)
            rows.append(app)
        await session.flush()
        # The approved Tehran trainee has one paper still waiting (received); the Isfahan one
        # has every mandatory paper accepted.
        session.add(ApplicationDocument(application_id=rows[0].id, kind="photo",
                                        store_key="a" * 64, state="received"))
        for kind in MANDATORY:
            session.add(ApplicationDocument(application_id=rows[3].id, kind=kind,
                                            store_key=kind.ljust(64, "0"), state="accepted"))
        tickets = [
            (0, TEHRAN, 30, False),
            (4, ISFAHAN, 90, True),
            (2, TEHRAN, None, False),
        ]
        for who, province, minutes, closed in tickets:
            opened = NOON - 5 * H
            session.add(Ticket(
                person_id=persons[who].id, topic="other", context={}, province=province,
                opened_at=opened,
                first_response_at=opened + dt.timedelta(minutes=minutes) if minutes else None,
                closed_at=NOON if closed else None, status="resolved" if closed else "open",
            ))
        await session.flush()
        await _exams(session, NOON, today, isfahan_trainee=rows[3])
        await session.commit()


async def _exams(
    session: AsyncSession, noon: dt.datetime, today: dt.date, isfahan_trainee: Application
) -> None:
    """Three more Tehran trainees of C1 (registered 60 days ago, decided 100 days ago: outside
    the overview's windows, so its earlier figures stay), every mandatory paper accepted, and
    their exams:
      E1 written  C1, 10 days ago   P6 attend+present pass; P7 attend+present pass;
                                    P8 attend, marked absent, no result
      E2 practical C1, 5 days ago   P6 attend+present pass; P7 said absent but present, fail
      E3 written  C1, cancelled     (not held)
      E4 practical C1, 120 days ago (before the window: not counted)
      E5 written  C1, in 3 days     P8 attend (not held yet: not counted)
      E6 written  C2 (Isfahan), 7 days ago: the Isfahan trainee, no answer, present, fail
    P6 has a certificate issued 4 days ago (and is completed); P7 and P8 are enrolled."""
    trainees = []
    for n, (program, status) in enumerate(
        [("hamnava", "completed"), ("karafan", "enrolled"), ("hamnava", "enrolled")], start=6
    ):
        person = Person(province=TEHRAN, registered_at=noon - dt.timedelta(days=60),
                        full_name=f"نفر {n}", relief_client=False)
        session.add(person)
        await session.flush()
        app = Application(
            person_id=person.id, program=program, program_version="1", status=status,
            course_code="C1", answers={}, province=TEHRAN, tracking_code=f"HMN-1405-{n + 1:06d}",
            submitted_at=noon - dt.timedelta(days=101), decided_at=noon - dt.timedelta(days=100),
        )
        session.add(app)
        await session.flush()
        for kind in MANDATORY:
            session.add(ApplicationDocument(application_id=app.id, kind=kind,
                                            store_key=f"{n}{kind}".ljust(64, "0"),
                                            state="accepted"))
        trainees.append(app)
    p6, p7, p8 = trainees
    day = dt.timedelta(days=1)
    plan = [  # course, province, kind, starts, state
        ("C1", TEHRAN, "written", noon - 10 * day, "scheduled"),
        ("C1", TEHRAN, "practical", noon - 5 * day, "scheduled"),
        ("C1", TEHRAN, "written", noon - 3 * day, "cancelled"),
        ("C1", TEHRAN, "practical", noon - 120 * day, "scheduled"),
        ("C1", TEHRAN, "written", noon + 3 * day, "scheduled"),
        ("C2", ISFAHAN, "written", noon - 7 * day, "scheduled"),
    ]
    exams = []
    for course, province, kind, starts, state in plan:
        exam = ExamSession(course_code=course, province=province, kind=kind, starts_at=starts,
                           place="سالن آزمون", capacity=20, state=state, version=1,
                           created_by="import")
        session.add(exam)
        exams.append(exam)
    await session.flush()
    e1, e2, _e3, _e4, e5, e6 = exams
    answers = [  # session, application, answer, attended
        (e1, p6, "attend", True), (e1, p7, "attend", True), (e1, p8, "attend", False),
        (e2, p6, "attend", True), (e2, p7, "absent", True),
        (e5, p8, "attend", None),
        (e6, isfahan_trainee, None, True),
    ]
    for exam, app, answer, attended in answers:
        session.add(ExamAnswer(session_id=exam.id, person_id=app.person_id, answer=answer,
                               answered_at=noon - 20 * day if answer else None,
                               attended=attended))
    results = [(e1, p6, True), (e1, p7, True), (e2, p6, True), (e2, p7, False),
               (e6, isfahan_trainee, False)]
    for exam, app, passed in results:
        session.add(ExamResult(session_id=exam.id, person_id=app.person_id,
                               application_id=app.id, kind=exam.kind, score=80 if passed else 30,
                               passed=passed, recorded_by="telegram:1",
                               recorded_at=exam.starts_at + day))
    session.add(Certificate(number="CERT-1", issued_on=today - dt.timedelta(days=4),
                            person_id=p6.person_id, application_id=p6.id, course_code="C1",
                            standard_code="1", title="دوره", issued_by="telegram:1"))


# What the overview must say, nationally and for Tehran.
EXPECTED = {
    None: {
        "registrations": 4, "applications": 8, "in_queue": 2, "decisions": 3,
        "median_hours": 5.0, "p90_hours": 10.0, "documents": 1, "open_tickets": 2,
        "first_response": 30.0,
        "by_day": {TODAY: 2, TODAY - dt.timedelta(days=1): 1, TODAY - dt.timedelta(days=3): 1},
        "messengers": {"telegram": 3, "bale": 2},
        "statuses": {"approved": 1, "rejected": 1, "submitted": 1, "enrolled": 3,
                     "under_review": 1, "completed": 1},
        "programs": {"hamnava": 5, "karafan": 3},
        "provinces": {TEHRAN: 6, ISFAHAN: 2},
        # E1, E2, E6 held; told: P6-P8 twice, the Isfahan trainee once.
        "exams": {"sessions_held": 3, "invited": 7, "will_attend": 4, "attended": 5,
                  "written": (3, 2), "practical": (2, 1), "certificates": 1,
                  "examined": 5, "passed": 3, "failed": 2},
    },
    TEHRAN: {
        "registrations": 3, "applications": 6, "in_queue": 1, "decisions": 2,
        "median_hours": 2.0, "p90_hours": 10.0, "documents": 1, "open_tickets": 2,
        "first_response": 30.0,
        "by_day": {TODAY: 2, TODAY - dt.timedelta(days=1): 1},
        "messengers": {"telegram": 3, "bale": 1},
        "statuses": {"approved": 1, "rejected": 1, "submitted": 1, "enrolled": 2,
                     "completed": 1},
        "programs": {"hamnava": 4, "karafan": 2},
        "provinces": {TEHRAN: 6},
        "exams": {"sessions_held": 2, "invited": 6, "will_attend": 4, "attended": 4,
                  "written": (2, 2), "practical": (2, 1), "certificates": 1,
                  "examined": 4, "passed": 3, "failed": 1},
    },
}
