"""Staff roles (administrators and caseworkers), by messenger account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class StaffRole(Base):
    """A staff member's role, by messenger account. `provinces` NULL means all provinces."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("platform", "user_id", "role", name="uq_staff_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(16))  # "admin" | "caseworker"
    provinces: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
