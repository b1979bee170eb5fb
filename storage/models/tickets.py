"""Hand-off tickets: a beneficiary's conversation with caseworkers, relayed between the person's
private chat and a staff chat, every message kept.

A person has at most one ticket that is not closed (a partial unique index: two messages at the
same moment from a new person make one ticket on SQLite and PostgreSQL alike). A message relayed
into a staff chat is found again by (platform, chat, message id) when a caseworker replies to it;
the visible text is never parsed for that."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index(
            "uq_tickets_open_person", "person_id", unique=True,
            sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    # application | documents | course | counseling | job | identity | other
    topic: Mapped[str] = mapped_column(String(16))
    # What opened it: {"application_id": …} / {"course_code": …} / {"conflict_id": …} …
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # open | waiting (for the beneficiary) | resolved
    status: Mapped[str] = mapped_column(String(16), default="open")
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    # Where the ticket lives among the staff: a chat, and its forum topic where there is one.
    staff_platform: Mapped[str | None] = mapped_column(String(16))
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_thread_id: Mapped[int | None] = mapped_column(BigInteger)
    assignee: Mapped[str | None] = mapped_column(String(40))  # "platform:user_id"
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_person_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_staff_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(40))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)


class TicketMessage(Base):
    """One message of a ticket: the beneficiary's, a caseworker's, a private note or a line the
    service wrote; with the ids of the message it came from and the one it was relayed as."""

    __tablename__ = "ticket_messages"
    __table_args__ = (
        Index("ix_ticket_messages_relayed", "relayed_platform", "relayed_chat_id",
              "relayed_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(8))  # in | out | note | system
    author: Mapped[str | None] = mapped_column(String(40))  # "platform:user_id"
    kind: Mapped[str] = mapped_column(String(16))  # text | photo | document | voice
    text: Mapped[str | None] = mapped_column(Text)
    # A file stays where it arrived: that messenger's file id (a file id belongs to one bot).
    file_platform: Mapped[str | None] = mapped_column(String(16))
    file_id: Mapped[str | None] = mapped_column(String(255))
    file_name: Mapped[str | None] = mapped_column(String(255))
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    source_platform: Mapped[str | None] = mapped_column(String(16))
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    relayed_platform: Mapped[str | None] = mapped_column(String(16))
    relayed_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    relayed_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class StaffChatBinding(Base):
    """A staff chat that serves the beneficiaries of some provinces (`/bindchat` in it)."""

    __tablename__ = "staff_chat_bindings"

    province: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    bound_by: Mapped[str] = mapped_column(String(40))
    bound_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TicketBan(Base):
    """A person whose messages are kept but not relayed, with the reason; told once."""

    __tablename__ = "ticket_bans"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text)
    banned_by: Mapped[str] = mapped_column(String(40))
    banned_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    told_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
