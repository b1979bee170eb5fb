"""The outbox: every message that is not an immediate reply, written in the same transaction as
the change that caused it and sent later by one sender per bot token (bot/notifications/sender).

A row is addressed to a person on one messenger (resolved to that person's unblocked accounts at
send time, in their language) or to one chat. The platform is always set: each messenger's
sender drains only its own rows, so a person on Telegram and Bale gets one row per messenger and
a failure on one never holds back (or repeats) the other."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox"
    # The sender's scan: pending rows of one messenger, in id order.
    __table_args__ = (
        Index("ix_outbox_pending", "platform", "sent_at", "given_up_at", "id"),
        # A broadcast's progress: its rows counted by outcome.
        Index("ix_outbox_broadcast", "broadcast_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(Integer)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    given_up_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # How the row ended: see services.outbox.Outcome. NULL while pending.
    outcome: Mapped[str | None] = mapped_column(String(16))
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE")
    )


class OutboxLease(Base):
    """Who may send with one bot token now: limits are per token, not per process."""

    __tablename__ = "outbox_leases"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
