"""The match-notice ledger: who has been (or is to be) told about which subject — a job lead, a
course opening for a waitlist — so nobody is told twice about one subject and notices that may
wait can go out together as a digest (services/match_notices.py).

A row is pending while sent_at is NULL; due_at says when it may go. A sweep claims due rows by a
conditional UPDATE (setting sent_at), writes one outbox row per person and kind, and records the
outcome: "sent" (outbox_id names the first outbox row written), "dropped" (the subject was no
longer worth telling at send time, e.g. a passed deadline) or "nobody" (no reachable chat)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class MatchNotice(Base):
    __tablename__ = "match_notices"
    __table_args__ = (
        # Never twice: the INSERT … SELECT that records a match skips people already told.
        UniqueConstraint("person_id", "subject_kind", "subject_id", name="uq_match_notices_once"),
        # The sweep: pending rows only, in person order (its cursor), due time in the index. A
        # claimed row leaves it. ("Told today?" is answered by the unique index's person prefix;
        # no statement looks a subject up without its person: no subject index.)
        Index(
            "ix_match_notices_pending", "person_id", "due_at",
            sqlite_where=text("sent_at IS NULL"), postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(16))
    # No foreign key: finished outbox rows are purged after OUTBOX_KEEP_DAYS, the ledger stays.
    outbox_id: Mapped[int | None] = mapped_column(Integer)
