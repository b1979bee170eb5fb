"""The HTTP API's own tables: its clients (keys stored only as hashes), the audit of what each
client read or changed, and the stored answers of idempotent POSTs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ApiClient(Base):
    """A connected system (the foundation's «حیات», TVTO ...) and its key.

    The key is `<prefix>.<secret>`: `key_prefix` finds the row, `key_hash` (sha256 of the whole
    key; the secret is 256 random bits, so a slow hash buys nothing) proves it. `scopes` is a
    list of scope names; `provinces` an empty list or NULL for every province."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    provinces: Mapped[list[Any] | None] = mapped_column(JSON)
    rate_limit_per_minute: Mapped[int] = mapped_column(Integer, default=600)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rotated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ApiAudit(Base):
    """One access of a client to personal data, or one change it made: who, what, when."""

    __tablename__ = "api_audit"
    __table_args__ = (Index("ix_api_audit_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    # "application.read", "document.read", "application.transition", "person.lookup" ...
    action: Mapped[str] = mapped_column(String(40))
    # What was touched: a tracking code, "document:12", "course:C-101" (never a national code).
    resource: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class ApiIdempotency(Base):
    """The first answer to a POST with an Idempotency-Key, replayed to its repeats."""

    __tablename__ = "api_idempotency"
    __table_args__ = (
        UniqueConstraint("client_id", "key", name="uq_api_idempotency_client_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    method_path: Mapped[str] = mapped_column(Text)
    request_hash: Mapped[str] = mapped_column(String(64))
    # NULL while the first request is still being answered.
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_type: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), index=True
    )
