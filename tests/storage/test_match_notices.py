"""The match-notice ledger against a real (migrated) database, SQLite and PostgreSQL: a person is
never told twice about one subject, a digest person's notices go together once a day, a kind
told at most once a day waits for tomorrow, a subject no longer valid is dropped, and two sweeps
at once never both take a notice."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Select, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.match_notices import (
    DigestClock,
    DueNotice,
    MatchNoticeLedger,
    deliver_all_due,
    record,
    subjects_of,
)
from storage.models import MatchNotice, OutboxMessage, Person
from storage.repositories.accounts import AccountRepository

Factory = async_sessionmaker[AsyncSession]
NOW = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)  # 09:30 in Tehran
CLOCK = DigestClock.of(10, "Asia/Tehran")


class _Policy:
    def __init__(self, kind: str = "thing", *, once_a_day: bool = False) -> None:
        self.kind = kind
        self.outbox_kind = f"{kind}_notice"
        self.priority = -5
        self.once_a_day = once_a_day
        self.invalid: set[int] = set()

    async def still_valid(
        self, session: AsyncSession, notices: Sequence[DueNotice], now: dt.datetime
    ) -> set[int]:
        return {n.id for n in notices if n.subject_id not in self.invalid}


async def _people(factory: Factory, *user_ids: int) -> list[int]:
    ids = []
    async with factory() as session:
        for user_id in user_ids:
            account = await AccountRepository(session).get_or_create(
                "telegram", user_id, chat_id=user_id, first_name="مریم", username=None,
                language_code="fa",
            )
            ids.append(account.person_id)
        await session.commit()
    return ids


def _persons(ids: list[int], digest: bool) -> Select[tuple[int, bool]]:
    return select(Person.id, true() if digest else false()).where(Person.id.in_(ids))


async def _record(
    factory: Factory, subject_id: int, persons: Select[tuple[int, bool]], now: dt.datetime = NOW,
    kind: str = "thing",
) -> int:
    async with factory() as session:
        added = await record(session, kind=kind, subject_id=subject_id, persons=persons,
                             now=now, digest_at=CLOCK.next_after(now))
        await session.commit()
        return added


async def _outbox(factory: Factory) -> list[tuple[int | None, str, list[int]]]:
    async with factory() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.person_id, r.kind, subjects_of(r.payload)) for r in rows]


async def test_a_person_is_recorded_once_per_subject_and_told_once(
    session_factory: Factory,
) -> None:
    people = await _people(session_factory, 7001, 7002)
    ledger = MatchNoticeLedger(CLOCK)
    ledger.register(_Policy())
    assert await _record(session_factory, 11, _persons(people, False)) == 2
    assert await _record(session_factory, 11, _persons(people, False)) == 0

    done = await deliver_all_due(session_factory, ledger, NOW)
    assert done.messages == 2 and done.notices_sent == 2
    assert await _outbox(session_factory) == [
        (people[0], "thing_notice", [11]), (people[1], "thing_notice", [11]),
    ]
    # Recorded again after it went: still nothing new, nothing sent again.
    assert await _record(session_factory, 11, _persons(people, False)) == 0
    again = await deliver_all_due(session_factory, ledger, NOW + dt.timedelta(hours=1))
    assert again.messages == 0
    async with session_factory() as session:
        notice = await session.scalar(select(MatchNotice).where(MatchNotice.person_id == people[0]))
        assert notice is not None and notice.outcome == "sent" and notice.outbox_id is not None


async def test_digest_people_get_one_message_at_the_digest_hour(session_factory: Factory) -> None:
    (person,) = await _people(session_factory, 7011)
    ledger = MatchNoticeLedger(CLOCK)
    ledger.register(_Policy())
    for subject in (21, 22, 23):
        await _record(session_factory, subject, _persons([person], True))
    # 09:30 Tehran: the digest hour (10:00) has not come.
    assert (await deliver_all_due(session_factory, ledger, NOW)).messages == 0
    at_ten = CLOCK.next_after(NOW)
    assert at_ten == dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)
    done = await deliver_all_due(session_factory, ledger, at_ten)
    assert done.messages == 1 and done.notices_sent == 3
    assert await _outbox(session_factory) == [(person, "thing_notice", [21, 22, 23])]
    # Recorded after today's digest: tomorrow's.
    await _record(session_factory, 24, _persons([person], True), now=at_ten + dt.timedelta(1 / 24))
    later_today = at_ten + dt.timedelta(hours=8)
    assert (await deliver_all_due(session_factory, ledger, later_today)).messages == 0
    tomorrow = await deliver_all_due(session_factory, ledger, at_ten + dt.timedelta(days=1))
    assert tomorrow.messages == 1


async def test_a_once_a_day_kind_waits_for_tomorrow(session_factory: Factory) -> None:
    (person,) = await _people(session_factory, 7021)
    ledger = MatchNoticeLedger(CLOCK)
    ledger.register(_Policy("course", once_a_day=True))
    await _record(session_factory, 31, _persons([person], False), kind="course")
    assert (await deliver_all_due(session_factory, ledger, NOW)).messages == 1
    an_hour_later = NOW + dt.timedelta(hours=1)
    await _record(session_factory, 32, _persons([person], False), an_hour_later, "course")
    await _record(session_factory, 33, _persons([person], False), an_hour_later, "course")
    held = await deliver_all_due(session_factory, ledger, an_hour_later)
    assert held.messages == 0 and held.postponed == 2
    tomorrow = await deliver_all_due(session_factory, ledger, CLOCK.tomorrows_digest(NOW))
    assert tomorrow.messages == 1
    assert (await _outbox(session_factory))[-1] == (person, "course_notice", [32, 33])


async def test_a_subject_no_longer_valid_is_dropped_and_never_sent(
    session_factory: Factory,
) -> None:
    people = await _people(session_factory, 7031, 7032)
    ledger = MatchNoticeLedger(CLOCK)
    policy = _Policy()
    ledger.register(policy)
    await _record(session_factory, 41, _persons(people, True))
    await _record(session_factory, 42, _persons(people, True))
    policy.invalid.add(41)
    done = await deliver_all_due(session_factory, ledger, CLOCK.next_after(NOW))
    assert done.dropped == 2 and done.notices_sent == 2
    assert [subjects for _, _, subjects in await _outbox(session_factory)] == [[42], [42]]


async def test_people_without_a_reachable_chat_are_marked_and_not_queued(
    session_factory: Factory,
) -> None:
    (person,) = await _people(session_factory, 7041)
    async with session_factory() as session:
        (await AccountRepository(session).get_or_create(
            "telegram", 7041, chat_id=7041, first_name=None, username=None, language_code=None,
        )).blocked_at = NOW
        await session.commit()
    ledger = MatchNoticeLedger(CLOCK)
    ledger.register(_Policy())
    await _record(session_factory, 51, _persons([person], False))
    done = await deliver_all_due(session_factory, ledger, NOW)
    assert done.unreachable == 1 and done.messages == 0
    assert await _outbox(session_factory) == []


async def test_two_sweeps_at_once_send_each_notice_once(session_factory: Factory) -> None:
    people = await _people(session_factory, *range(7100, 7160))
    ledger = MatchNoticeLedger(CLOCK)
    ledger.register(_Policy())
    await _record(session_factory, 61, _persons(people, False))
    first, second = await asyncio.gather(
        deliver_all_due(session_factory, ledger, NOW, persons=7),
        deliver_all_due(session_factory, ledger, NOW, persons=7),
    )
    assert first.notices_sent + second.notices_sent == 60
    rows = await _outbox(session_factory)
    assert sorted(person for person, _, _ in rows) == sorted(people)


async def test_a_large_audience_is_one_statement(session_factory: Factory) -> None:
    people = await _people(session_factory, *range(7200, 7400))
    audience = select(Person.id, Person.id % 2 == 0).where(Person.id.in_(people))
    assert await _record(session_factory, 71, audience) == 200
    async with session_factory() as session:
        due = list(await session.scalars(select(MatchNotice.due_at)))
    instant = [moment for moment in due if moment.replace(tzinfo=dt.UTC) == NOW]
    assert len(instant) == 100 and len(due) == 200
