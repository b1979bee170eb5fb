"""Job leads posted by administrators, the fields of work each is for, and the people who said
they are interested (services/job_leads)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class JobLead(Base):
    __tablename__ = "job_leads"
    __table_args__ = (
        # «💼 Job leads»: open leads of a province, newest first.
        Index("ix_job_leads_province_deadline", "province", "deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    employer: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(80))
    wage_text: Mapped[str | None] = mapped_column(String(120))
    # The last day to apply (Gregorian here; people read and type it in Jalali).
    deadline: Mapped[dt.date] = mapped_column(Date)
    how_to_apply: Mapped[str] = mapped_column(Text)
    # Who posted it: "platform:user_id", or "import" / "cli".
    posted_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Withdrawn by staff before its deadline: no longer listed nor told.
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class JobLeadField(Base):
    """One field of work (a catalog field, courses.cluster_fa) a lead is for."""

    __tablename__ = "job_lead_fields"
    __table_args__ = (Index("ix_job_lead_fields_field", "field", "lead_id"),)

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("job_leads.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(120), primary_key=True)


class JobInterest(Base):
    """«I'm interested»: once per person and lead."""

    __tablename__ = "job_interests"
    __table_args__ = (UniqueConstraint("lead_id", "person_id", name="uq_job_interests_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("job_leads.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
