"""The match-notice ledger: queries only; services/match_notices.py commits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import (
    DateTime,
    Integer,
    Select,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import MatchNotice, MessengerAccount, OutboxMessage

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

    def _id_set(self, ids: Sequence[int]) -> Select[tuple[int]]:
        """A SELECT of these ids, as one parameter whatever their number: an array unnested on
        PostgreSQL, a JSON array read by json_each on SQLite (no list of 100,000 binds)."""
        if self.session.get_bind().dialect.name == "postgresql":
            source = text("SELECT unnest(CAST(:notice_ids AS integer[])) AS id").bindparams(
                notice_ids=list(ids)
            )
        else:
            source = text("SELECT value AS id FROM json_each(:notice_ids)").bindparams(
                notice_ids=json.dumps(list(ids))
            )
        listed = source.columns(id=Integer).subquery("listed")
        return select(listed.c.id)

    async def write_outbox(
        self, notice_ids: Sequence[int], *, outbox_kind: str, priority: int, now: dt.datetime,
        sent: str, nobody: str,
    ) -> tuple[int, int, int, set[int]]:
        """Turns these claimed notices (one kind) into outbox rows without carrying them
        through Python: one INSERT … SELECT writes a row per person and reachable messenger,
        its payload {"subjects_ids": [...]} aggregated in SQL (json_group_array on SQLite,
        json_agg on PostgreSQL); one UPDATE … FROM gives each notice `sent` and the first
        outbox row of its person; the notices of people with no reachable chat get `nobody`.
        Returns (outbox rows, notices sent, notices unreachable, people told)."""
        ids = self._id_set(notice_ids)
        outbox = cast(Table, OutboxMessage.__table__)
        stamp = literal(now, DateTime(timezone=True))
        account = MessengerAccount
        # DISTINCT: a person with two accounts on one messenger gets one row, each subject once.
        subject = MatchNotice.subject_id.distinct()
        if self.session.get_bind().dialect.name == "postgresql":
            subjects = func.json_agg(aggregate_order_by(subject, MatchNotice.subject_id))
            payload = func.json_build_object("subject_ids", subjects)
        else:
            payload = func.json_object("subject_ids", func.json_group_array(subject))
        rows = (
            select(account.platform, MatchNotice.person_id, literal(outbox_kind), payload,
                   literal(priority), stamp, literal(0), stamp)
            .join(account, account.person_id == MatchNotice.person_id)
            .where(MatchNotice.id.in_(ids), account.chat_id.is_not(None),
                   account.blocked_at.is_(None))
            .group_by(MatchNotice.person_id, account.platform)
        )
        # The new rows are this sweep's: ids above the highest before it, created at `now`.
        before = int(await self.session.scalar(select(func.max(outbox.c.id))) or 0)
        written: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            insert(outbox).from_select(
                ["platform", "person_id", "kind", "payload", "priority", "not_before",
                 "attempts", "created_at"], rows,
            )
        )
        firsts = (
            select(outbox.c.person_id, func.min(outbox.c.id).label("outbox_id"))
            .where(outbox.c.id > before, outbox.c.created_at == stamp,
                   outbox.c.kind == outbox_kind)
            .group_by(outbox.c.person_id)
            .subquery("firsts")
        )
        marked: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            update(MatchNotice)
            .where(MatchNotice.person_id == firsts.c.person_id, MatchNotice.id.in_(ids))
            .values(outcome=sent, outbox_id=firsts.c.outbox_id)
            .execution_options(synchronize_session=False)
        )
        unreachable: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            update(MatchNotice)
            .where(MatchNotice.id.in_(ids), MatchNotice.outcome.is_(None))
            .values(outcome=nobody)
            .execution_options(synchronize_session=False)
        )
        told = set(await self.session.scalars(
            select(outbox.c.person_id).where(
                outbox.c.id > before, outbox.c.created_at == stamp, outbox.c.kind == outbox_kind
            ).distinct()
        ))
        return (int(written.rowcount or 0), int(marked.rowcount or 0),
                int(unreachable.rowcount or 0), {int(person) for person in told})

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
