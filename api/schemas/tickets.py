"""Hand-off tickets and their messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from api.http import utc
from services.integration import TicketRecord
from storage.models import Ticket, TicketMessage


class TicketSummary(BaseModel):
    id: int
    topic: str = Field(examples=["application"])
    status: str = Field(description="open | waiting | resolved", examples=["open"])
    province: str | None = Field(examples=["البرز"])
    full_name: str | None = Field(examples=["زهرا احمدی"])
    context: dict[str, Any] = Field(examples=[{"application_id": 12}])
    opened_at: dt.datetime | None
    last_person_at: dt.datetime | None
    last_staff_at: dt.datetime | None
    closed_at: dt.datetime | None


class TicketList(BaseModel):
    items: list[TicketSummary]
    next_cursor: str | None


class TicketMessageOut(BaseModel):
    id: int
    direction: str = Field(description="in (the person) | out (staff) | note | system",
                           examples=["in"])
    kind: str = Field(examples=["text"])
    text: str | None = Field(examples=["سلام، مدارکم را فرستادم. کی بررسی می‌شود؟"])
    author: str | None = Field(description="Staff member as platform:user_id")
    file_name: str | None
    created_at: dt.datetime | None
    edited_at: dt.datetime | None


class TicketOut(TicketSummary):
    messages: list[TicketMessageOut]


def summary_of(ticket: Ticket, full_name: str | None) -> TicketSummary:
    return TicketSummary(
        id=ticket.id, topic=ticket.topic, status=ticket.status, province=ticket.province,
        full_name=full_name, context=dict(ticket.context or {}),
        opened_at=utc(ticket.opened_at), last_person_at=utc(ticket.last_person_at),
        last_staff_at=utc(ticket.last_staff_at), closed_at=utc(ticket.closed_at),
    )


def _message(message: TicketMessage) -> TicketMessageOut:
    return TicketMessageOut(
        id=message.id, direction=message.direction, kind=message.kind, text=message.text,
        author=message.author, file_name=message.file_name,
        created_at=utc(message.created_at), edited_at=utc(message.edited_at),
    )


def ticket_of(record: TicketRecord) -> TicketOut:
    summary = summary_of(record.ticket, record.full_name)
    return TicketOut(**summary.model_dump(), messages=[_message(m) for m in record.messages])
