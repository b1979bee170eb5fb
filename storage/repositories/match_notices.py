"""The match-notice ledger: queries only; services/match_notices.py commits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    Table,
    any_,
    func,
    insert,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
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

    def _among(self, ids: Sequence[int]) -> ColumnElement[bool]:
        """`match_notices.id` is one of these, as one parameter whatever their number:
        `= ANY(array)` on PostgreSQL (probes of the primary key; an IN over unnest was planned
        as a scan of the whole ledger), a JSON array read by json_each on SQLite (no list of
        100,000 binds)."""
        if self.session.get_bind().dialect.name == "postgresql":
            return MatchNotice.id == any_(literal(list(ids), ARRAY(Integer)))
        source = text("SELECT value AS id FROM json_each(:notice_ids)").bindparams(
            notice_ids=json.dumps(list(ids))
        )
        listed = source.columns(id=Integer).subquery("listed")
        return MatchNotice.id.in_(select(listed.c.id))

    async def write_outbox(
        self, notice_ids: Sequence[int], *, outbox_kind: str, priority: int, now: dt.datetime,
        sent: str, nobody: str,
    ) -> tuple[int, int, int, set[int]]:
        """Turns these claimed notices (one kind) into outbox rows without carrying them
        through Python: one INSERT … SELECT writes a row per person and reachable messenger,
        its payload {"subject_ids": [...]} aggregated in SQL (json_group_array on SQLite,
        json_agg on PostgreSQL); one UPDATE … FROM gives each notice `sent` and the first
        outbox row of its person; the notices of people with no reachable chat get `nobody`.
        Returns (outbox rows, notices sent, notices unreachable, people told)."""
        among = self._among(notice_ids)
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
            .where(among, account.chat_id.is_not(None),
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
            .where(MatchNotice.person_id == firsts.c.person_id, among)
            .values(outcome=sent, outbox_id=firsts.c.outbox_id)
            .execution_options(synchronize_session=False)
        )
        unreachable: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            update(MatchNotice)
            .where(among, MatchNotice.outcome.is_(None))
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

    async def was_told(self, person_id: int, kind: str, subject_id: int) -> bool:
        """Whether this subject was sent to this person (the «I'm interested» check)."""
        found = await self.session.scalar(
            select(MatchNotice.id).where(
                MatchNotice.person_id == person_id, MatchNotice.subject_kind == kind,
                MatchNotice.subject_id == subject_id, MatchNotice.outcome == "sent",
            )
        )
        return found is not None
