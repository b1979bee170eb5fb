"""Telling people about things that match them, once: job leads now, course openings for
waitlists next. A generic ledger (storage.models.MatchNotice) that a feature feeds and a sweep
drains into the outbox.

Feeding: `record` / `record_many` add the notices for a whole set of people given as a SQL
SELECT, in one INSERT … SELECT … ON CONFLICT DO NOTHING (set-based: 100,000 people are one
statement). Each row is due at once (instant) or at the next digest hour (digest), as the SELECT
says per person. A person is never recorded twice for one subject.

Draining: `MatchNoticeLedger.deliver_due` claims the due notices of a batch of people (one
conditional UPDATE, so two workers never both take a row), asks each kind's policy which are
still worth telling (a lead whose deadline passed, a course that closed: dropped), holds the
kinds told at most once a day for people already told today, and writes one outbox row per
person and kind (per reachable messenger): a single notice or a digest listing several. The bot
renders that row by its outbox kind (`NoticePolicy.outbox_kind`) and may still say nothing at
send time. Everything of a batch commits together or not at all."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import MatchNotice, utcnow
from storage.repositories.match_notices import MatchNoticeRepository

logger = logging.getLogger(__name__)

SENT = "sent"
DROPPED = "dropped"  # no longer worth telling when its turn came
NOBODY = "nobody"  # no reachable chat when its turn came
# People per claimed batch: one transaction each, so a sweep of a day's 100,000 digests never
# holds one long write.
BATCH_PERSONS = 5000
# The payload key listing the subjects of an outbox row (its kind's policy names the outbox kind).
SUBJECTS = "subject_ids"


@dataclass(frozen=True, slots=True)
class DueNotice:
    id: int
    person_id: int
    kind: str
    subject_id: int


class NoticePolicy(Protocol):
    """What a feature registers for its kind of subject."""

    @property
    def kind(self) -> str:
        """match_notices.subject_kind, e.g. "job_lead"."""
    @property
    def outbox_kind(self) -> str:
        """The outbox row kind the bot renders (payload {"subject_ids": [...]})."""
    @property
    def priority(self) -> int: ...
    @property
    def once_a_day(self) -> bool:
        """At most one message of this kind per person per local day (later ones wait for the
        next day's digest hour)."""

    async def still_valid(
        self, session: AsyncSession, notices: Sequence[DueNotice], now: dt.datetime
    ) -> set[int]:
        """The ids of `notices` still worth telling now (the rest are dropped), set-based."""


@dataclass(frozen=True, slots=True)
class DigestClock:
    """When digests go: `hour` o'clock in `zone` every day."""

    hour: int
    zone: ZoneInfo

    @classmethod
    def of(cls, hour: int, zone: str) -> DigestClock:
        if not 0 <= hour <= 23:
            raise ValueError("the digest hour is 0..23")
        return cls(hour, ZoneInfo(zone))

    def next_after(self, now: dt.datetime) -> dt.datetime:
        """The next digest moment at or after `now` (UTC)."""
        local = now.astimezone(self.zone)
        moment = dt.datetime.combine(local.date(), dt.time(self.hour), tzinfo=self.zone)
        if moment < local:
            moment = dt.datetime.combine(
                local.date() + dt.timedelta(days=1), dt.time(self.hour), tzinfo=self.zone
            )
        return moment.astimezone(dt.UTC)

    def day_start(self, now: dt.datetime) -> dt.datetime:
        local = now.astimezone(self.zone)
        return dt.datetime.combine(local.date(), dt.time(0), tzinfo=self.zone).astimezone(dt.UTC)

    def tomorrows_digest(self, now: dt.datetime) -> dt.datetime:
        local = now.astimezone(self.zone)
        return dt.datetime.combine(
            local.date() + dt.timedelta(days=1), dt.time(self.hour), tzinfo=self.zone
        ).astimezone(dt.UTC)


async def record_many(
    session: AsyncSession, *, kind: str, rows: Select[*tuple[Any, ...]], now: dt.datetime,
    digest_at: dt.datetime,
) -> int:
    """Adds notices in the caller's transaction (no commit); returns how many were new.

    `rows` selects (person_id, subject_id, wants_digest): a person who wants a digest is due at
    `digest_at` (DigestClock.next_after(now)), the others at `now`."""
    source = rows.subquery()
    person, subject, digest = source.c[0], source.c[1], source.c[2]
    due = case((digest.is_(True), literal(digest_at, MatchNotice.due_at.type)),
               else_=literal(now, MatchNotice.due_at.type))
    return await MatchNoticeRepository(session).add_from_select(
        kind, select(person, subject, due), now
    )


async def record(
    session: AsyncSession, *, kind: str, subject_id: int, persons: Select[*tuple[Any, ...]],
    now: dt.datetime, digest_at: dt.datetime,
) -> int:
    """`record_many` for one subject: `persons` selects (person_id, wants_digest)."""
    source = persons.subquery()
    return await record_many(
        session, kind=kind, now=now, digest_at=digest_at,
        rows=select(source.c[0], literal(subject_id), source.c[1]),
    )


@dataclass(slots=True)
class Delivery:
    """What one `deliver_due` call did."""

    messages: int = 0  # outbox rows written (a person on two messengers counts twice)
    notices_sent: int = 0
    dropped: int = 0
    postponed: int = 0
    unreachable: int = 0
    persons: set[int] = field(default_factory=set)
    claimed: int = 0
    last_person: int = 0  # the highest person id claimed (a sweep's cursor)

    @property
    def handled(self) -> int:
        return self.notices_sent + self.dropped + self.postponed + self.unreachable

    def add(self, other: Delivery) -> None:
        self.messages += other.messages
        self.notices_sent += other.notices_sent
        self.dropped += other.dropped
        self.postponed += other.postponed
        self.unreachable += other.unreachable
        self.persons |= other.persons


class MatchNoticeLedger:
    """The kinds' policies and the sweep. Features register their policy at start-up."""

    def __init__(self, clock: DigestClock) -> None:
        self.clock = clock
        self._policies: dict[str, NoticePolicy] = {}

    def register(self, policy: NoticePolicy) -> None:
        if policy.kind in self._policies:
            raise ValueError(f"a policy for {policy.kind} is registered already")
        self._policies[policy.kind] = policy

    def policy(self, kind: str) -> NoticePolicy | None:
        return self._policies.get(kind)

    async def deliver_due(
        self, session: AsyncSession, now: dt.datetime, *, persons: int = BATCH_PERSONS,
        after_person: int = 0,
    ) -> Delivery:
        """One batch: claims the due notices of up to `persons` people (with ids above
        `after_person`) and turns them into outbox rows, in the caller's transaction (the
        caller commits)."""
        repo = MatchNoticeRepository(session)
        claimed = [
            DueNotice(*row) for row in await repo.claim_due(now, persons, after_person)
        ]
        delivery = Delivery(claimed=len(claimed))
        if not claimed:
            return delivery
        delivery.last_person = max(notice.person_id for notice in claimed)
        by_kind: dict[str, list[DueNotice]] = defaultdict(list)
        for notice in claimed:
            by_kind[notice.kind].append(notice)
        to_send: list[DueNotice] = []
        for kind, notices in by_kind.items():
            policy = self._policies.get(kind)
            if policy is None:
                # A kind nobody registered (a feature removed?): left pending, said loudly.
                logger.error("no policy for match notices of kind %r; %s left pending",
                             kind, len(notices))
                await repo.finish([n.id for n in notices], sent_at=None)
                continue
            valid = await policy.still_valid(session, notices, now)
            dropped = [n.id for n in notices if n.id not in valid]
            await repo.finish(dropped, outcome=DROPPED)
            delivery.dropped += len(dropped)
            keep = [n for n in notices if n.id in valid]
            if policy.once_a_day and keep:
                told = await repo.told_since(
                    kind, {n.person_id for n in keep}, self.clock.day_start(now)
                )
                later = [n.id for n in keep if n.person_id in told]
                await repo.finish(later, sent_at=None, due_at=self.clock.tomorrows_digest(now))
                delivery.postponed += len(later)
                keep = [n for n in keep if n.person_id not in told]
            to_send += keep
        await self._write_messages(session, repo, to_send, now, delivery)
        return delivery

    async def _write_messages(
        self, session: AsyncSession, repo: MatchNoticeRepository, notices: Sequence[DueNotice],
        now: dt.datetime, delivery: Delivery,
    ) -> None:
        """One outbox row per person, kind and reachable messenger, built in SQL (a day's
        digests are a hundred thousand notices: no row of them goes through Python)."""
        by_kind: dict[str, list[int]] = defaultdict(list)
        for notice in notices:
            by_kind[notice.kind].append(notice.id)
        for kind, ids in by_kind.items():
            policy = self._policies[kind]
            messages, sent, unreachable, persons = await repo.write_outbox(
                ids, outbox_kind=policy.outbox_kind, priority=policy.priority, now=now,
                sent=SENT, nobody=NOBODY,
            )
            delivery.messages += messages
            delivery.notices_sent += sent
            delivery.unreachable += unreachable
            delivery.persons |= persons


async def deliver_all_due(
    session_factory: async_sessionmaker[AsyncSession], ledger: MatchNoticeLedger,
    now: dt.datetime | None = None, *, persons: int = BATCH_PERSONS,
) -> Delivery:
    """Batches until nothing is due (each its own transaction); what the periodic task runs."""
    moment = now or utcnow()
    total = Delivery()
    cursor = 0
    while True:
        async with session_factory() as session:
            batch = await ledger.deliver_due(
                session, moment, persons=persons, after_person=cursor
            )
            await session.commit()
        total.add(batch)
        if batch.claimed == 0:
            return total
        cursor = batch.last_person


def subjects_of(payload: dict[str, Any]) -> list[int]:
    """The subject ids of an outbox row's payload (what the bot's wording reads)."""
    raw = payload.get(SUBJECTS, [])
    # Sorted here: SQLite's json_group_array keeps no promised order.
    return sorted(int(value) for value in raw) if isinstance(raw, list) else []
