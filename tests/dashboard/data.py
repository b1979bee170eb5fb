"""A small known data set for the dashboard's figures, written as rows with chosen timestamps,
and the numbers it must give (worked out by hand in the comments)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    Application,
    ApplicationDocument,
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
        await session.commit()


# What the overview must say, nationally and for Tehran.
EXPECTED = {
    None: {
        "registrations": 4, "applications": 5, "in_queue": 2, "decisions": 3,
        "median_hours": 5.0, "p90_hours": 10.0, "documents": 1, "open_tickets": 2,
        "first_response": 30.0,
        "by_day": {TODAY: 2, TODAY - dt.timedelta(days=1): 1, TODAY - dt.timedelta(days=3): 1},
        "messengers": {"telegram": 3, "bale": 2},
        "statuses": {"approved": 1, "rejected": 1, "submitted": 1, "enrolled": 1,
                     "under_review": 1},
        "programs": {"hamnava": 3, "karafan": 2},
        "provinces": {TEHRAN: 3, ISFAHAN: 2},
    },
    TEHRAN: {
        "registrations": 3, "applications": 3, "in_queue": 1, "decisions": 2,
        "median_hours": 2.0, "p90_hours": 10.0, "documents": 1, "open_tickets": 2,
        "first_response": 30.0,
        "by_day": {TODAY: 2, TODAY - dt.timedelta(days=1): 1},
        "messengers": {"telegram": 3, "bale": 1},
        "statuses": {"approved": 1, "rejected": 1, "submitted": 1},
        "programs": {"hamnava": 2, "karafan": 1},
        "provinces": {TEHRAN: 3},
    },
}
