"""Outgoing webhooks: the URLs an API client registered for events, and one delivery row per
(event, endpoint), written in the same transaction as the change the event tells about and sent
later by services/webhooks/sender.py (at least once, retried with backoff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class WebhookEndpoint(Base):
    """A client's URL and the events it wants. The secret is kept as it is (not hashed): the
    sender signs every delivery with it; it is shown once, when the endpoint is added."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    # Event type names, or ["*"] for every event the client's scopes allow.
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    # Removed endpoints stay (their deliveries are history); nothing new goes to them.
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookDelivery(Base):
    """One event for one endpoint. Pending rows are claimed by pushing `next_attempt_at` past
    the lease (a conditional UPDATE), so with several workers each attempt is made by one."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The sender's scan: pending rows by due time.
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        # The deliveries list of one endpoint, newest first.
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The same for every endpoint of one event: receivers drop repeats by it.
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(40))
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # pending, delivered or failed (given up after WEBHOOK_MAX_ATTEMPTS, or the endpoint went).
    status: Mapped[str] = mapped_column(String(16), default="pending")
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The worker holding the current attempt (its lease ends at next_attempt_at).
    lease_holder: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
