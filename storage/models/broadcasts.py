"""Administrators' broadcasts: one message to an audience, sent through the outbox.

Each recipient's row in the outbox carries the broadcast's id, so progress is counted from the
outbox; when the broadcast ends (done or cancelled) its counts are written here, and the outbox
rows may then be purged without losing its report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from storage.models.base import Base, utcnow


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The confirm button's one-time key: pressing confirm twice finds the same broadcast.
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    author_platform: Mapped[str] = mapped_column(String(16))
    author_user_id: Mapped[int] = mapped_column(BigInteger)
    author_chat_id: Mapped[int] = mapped_column(BigInteger)
    # The text, or the caption of the photo or document (may be empty then).
    text: Mapped[str] = mapped_column(Text, default="")
    media_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" | "document"
    media_name: Mapped[str | None] = mapped_column(String(255))
    media_mime: Mapped[str | None] = mapped_column(String(64))
    media_size: Mapped[int | None] = mapped_column(Integer)
    # The file itself: a file id is valid on one bot only, so the other messenger gets the bytes.
    media: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="sending")
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Frozen when the broadcast ends; while it runs they are counted from the outbox.
    sent: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # Turned news off between the confirmation and their turn.
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
