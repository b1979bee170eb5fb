"""People and their messenger accounts, and the registrations that collided with another person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, TimestampMixin, utcnow


class Person(TimestampMixin, Base):
    """A human being, whichever messengers they use.

    Created at first contact (empty), filled in at registration."""

    __tablename__ = "persons"
    # The dashboard's registered people per province.
    __table_args__ = (Index("ix_persons_province_registered", "province", "registered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    national_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    phone: Mapped[str | None] = mapped_column(String(11), index=True)
    phone_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    full_name: Mapped[str | None] = mapped_column(String(120))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(16))
    # Indexed for job-lead matching: the people of a province and its neighbours.
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    city: Mapped[str | None] = mapped_column(String(80))
    education: Mapped[str | None] = mapped_column(String(32))
    relief_client: Mapped[bool | None] = mapped_column(Boolean)
    relief_client_number: Mapped[str | None] = mapped_column(String(32))
    # 1..10; NULL with decile_known=False means "don't know".
    decile: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Indexed for the dashboard's registrations per day.
    registered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # General news (broadcasts) turned off by the person; news of their applications always goes.
    news_opt_out: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Job leads (services/job_leads): turned off; a daily digest instead of each at once;
    # whether they can move to a neighbouring province (NULL: not asked yet).
    job_leads_opt_out: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    job_leads_digest: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    can_move: Mapped[bool | None] = mapped_column(Boolean)

    accounts: Mapped[list[MessengerAccount]] = relationship(back_populates="person")

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None


class MessengerAccount(TimestampMixin, Base):
    """One person's presence on one messenger."""

    __tablename__ = "messenger_accounts"
    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_account_platform_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str | None] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(16))
    # Set when the messenger answers 403 (the user blocked the bot): nothing more is sent.
    blocked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship(back_populates="accounts")


class IdentityConflict(Base):
    """A registration that collided with another person's national code and was not merged."""

    __tablename__ = "identity_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("messenger_accounts.id", ondelete="CASCADE"))
    existing_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    national_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(11))
    reason: Mapped[str] = mapped_column(String(64))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # How a caseworker resolved it (services/tickets/identity.py): "linked" | "kept_apart",
    # who ("platform:user_id") and why.
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    resolution_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
