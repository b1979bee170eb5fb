"""The match-notice ledger: queries only; services/match_notices.py commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    func,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import MatchNotice, MessengerAccount

_PENDING = MatchNotice.sent_at.is_(None)


class MatchNoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_from_select(
        self, kind: str, rows: Select[*tuple[Any, ...]], now: dt.datetime
    ) -> int:
        """One INSERT … SELECT … ON CONFLICT DO NOTHING: `rows` gives (person_id, subject_id,
        due_at); a (person, kind, subject) already in the ledger is skipped. Returns how many
        were added."""
        source = rows.subquery()
        # `WHERE true`: SQLite reads "INSERT … SELECT … ON CONFLICT" as a join's ON otherwise.
        select_rows = select(
            source.c[0], literal(kind), source.c[1], literal(now, MatchNotice.created_at.type),
            source.c[2],
        ).where(true())
        statement = (
            dialect_insert(self.session, MatchNotice)
            .from_select(
                ["person_id", "subject_kind", "subject_id", "created_at", "due_at"], select_rows
            )
            .on_conflict_do_nothing(index_elements=["person_id", "subject_kind", "subject_id"])
        )
        result: CursorResult[Any] = await self.session.execute(statement)  # type: ignore[assignment]
        return int(result.rowcount or 0)

    async def claim_due(
        self, now: dt.datetime, persons: int, after_person: int = 0
    ) -> list[tuple[int, int, str, int]]:
        """Marks every due pending notice of up to `persons` people as taken (sent_at = now) in
        one conditional UPDATE and returns them as (id, person_id, kind, subject_id). A person's
        due notices are claimed together, so they become one message; two sweeps at once claim
        disjoint rows (the condition is checked again on the locked row). `after_person`: a
        sweep's cursor, so each batch reads on from where the last one stopped (the pending
        index is in person order) instead of from the start."""
        people = (
            select(MatchNotice.person_id)
            .where(_PENDING, MatchNotice.due_at <= now, MatchNotice.person_id > after_person)
            .group_by(MatchNotice.person_id)
            .order_by(MatchNotice.person_id)
            .limit(persons)
            .scalar_subquery()
        )
        result = await self.session.execute(
            update(MatchNotice)
            .where(
                _PENDING, MatchNotice.due_at <= now, MatchNotice.person_id.in_(people),
            )
            .values(sent_at=now)
            .returning(
                MatchNotice.id, MatchNotice.person_id, MatchNotice.subject_kind,
                MatchNotice.subject_id,
            )
            .execution_options(synchronize_session=False)
        )
        return [(row[0], row[1], row[2], row[3]) for row in result]

    async def told_since(
        self, kind: str, person_ids: Collection[int], since: dt.datetime
    ) -> set[int]:
        """Of these people, those sent a notice of `kind` at or after `since`."""
        found: set[int] = set()
        ids = list(person_ids)
        for start in range(0, len(ids), 5000):
            found.update(await self.session.scalars(
                select(MatchNotice.person_id).where(
                    MatchNotice.subject_kind == kind,
                    MatchNotice.person_id.in_(ids[start:start + 5000]),
                    MatchNotice.outcome == "sent",
                    MatchNotice.sent_at >= since,
                ).distinct()
            ))
        return found

    async def finish(self, notice_ids: Sequence[int], **values: Any) -> None:
        for start in range(0, len(notice_ids), 5000):
            await self.session.execute(
                update(MatchNotice)
                .where(MatchNotice.id.in_(notice_ids[start:start + 5000]))
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    async def mark_sent(self, outbox_by_notice: dict[int, int], outcome: str) -> None:
        """Each notice gets `outcome` and the outbox row that tells it. PostgreSQL: one UPDATE
        … FROM unnest(notice ids, outbox ids) on the primary key (row-by-row executemany costs
        ten times more there). SQLite (no arrays): one Core executemany by primary key, cheap
        in-process."""
        pairs = list(outbox_by_notice.items())
        if not pairs:
            return
        if self.session.get_bind().dialect.name != "postgresql":
            table = cast(Table, MatchNotice.__table__)
            await self.session.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(outbox_id=bindparam("b_outbox"), outcome=outcome),
                [{"b_id": notice_id, "b_outbox": outbox_id} for notice_id, outbox_id in pairs],
            )
            return
        # Two arrays, one statement, one cached plan (a VALUES list of thousands of rows costs
        # more to compile than to run).
        await self.session.execute(
            text(
                "UPDATE match_notices SET outbox_id = sent.outbox_id, outcome = :outcome "
                "FROM unnest(CAST(:notice_ids AS integer[]), CAST(:outbox_ids AS integer[])) "
                "AS sent(notice_id, outbox_id) WHERE match_notices.id = sent.notice_id"
            ),
            {"outcome": outcome, "notice_ids": [notice for notice, _ in pairs],
             "outbox_ids": [outbox for _, outbox in pairs]},
        )

    async def reachable_platforms(self, person_ids: Collection[int]) -> dict[int, list[str]]:
        """Each person's messengers with a private chat that has not blocked the bot."""
        platforms: dict[int, list[str]] = {}
        ids = list(person_ids)
        for start in range(0, len(ids), 5000):
            rows = await self.session.execute(
                select(MessengerAccount.person_id, MessengerAccount.platform)
                .where(
                    MessengerAccount.person_id.in_(ids[start:start + 5000]),
                    MessengerAccount.chat_id.is_not(None),
                    MessengerAccount.blocked_at.is_(None),
                )
                .group_by(MessengerAccount.person_id, MessengerAccount.platform)
                .order_by(MessengerAccount.person_id, MessengerAccount.platform)
            )
            for person_id, platform in rows:
                platforms.setdefault(person_id, []).append(platform)
        return platforms

    async def pending_count(self, kind: str | None = None) -> int:
        query = select(func.count()).select_from(MatchNotice).where(_PENDING)
        if kind is not None:
            query = query.where(MatchNotice.subject_kind == kind)
        return int(await self.session.scalar(query) or 0)

    async def of_subject(self, kind: str, subject_id: int) -> list[MatchNotice]:
        return list(await self.session.scalars(
            select(MatchNotice)
            .where(MatchNotice.subject_kind == kind, MatchNotice.subject_id == subject_id)
            .order_by(MatchNotice.person_id)
        ))

    async def was_told(self, person_id: int, kind: str, subject_id: int) -> bool:
        """Whether this subject was sent to this person (the «I'm interested» check)."""
        found = await self.session.scalar(
            select(MatchNotice.id).where(
                MatchNotice.person_id == person_id, MatchNotice.subject_kind == kind,
                MatchNotice.subject_id == subject_id, MatchNotice.outcome == "sent",
            )
        )
        return found is not None
