"""SQLAlchemy models.

Dates are stored Gregorian (timestamps in UTC); Jalali is a display concern."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class Person(TimestampMixin, Base):
    """A human being, whichever messengers they use.

    Created at first contact (empty), filled in at registration."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    national_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    phone: Mapped[str | None] = mapped_column(String(11), index=True)
    phone_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    full_name: Mapped[str | None] = mapped_column(String(120))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(16))
    province: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(80))
    education: Mapped[str | None] = mapped_column(String(32))
    relief_client: Mapped[bool | None] = mapped_column(Boolean)
    relief_client_number: Mapped[str | None] = mapped_column(String(32))
    # 1..10; NULL with decile_known=False means "don't know".
    decile: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    registered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

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
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


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


class Course(TimestampMixin, Base):
    """One course offering: a standard at a center with a start date (see sample_courses.csv)."""

    __tablename__ = "courses"
    __table_args__ = (
        Index("ix_courses_province_start", "province", "start_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_code: Mapped[str] = mapped_column(String(32), unique=True)
    standard_code: Mapped[str] = mapped_column(String(32))
    title_fa: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    cluster_fa: Mapped[str] = mapped_column(String(120))
    level: Mapped[str | None] = mapped_column(String(32))
    hours_theory: Mapped[int] = mapped_column(Integer, default=0)
    hours_practice: Mapped[int] = mapped_column(Integer, default=0)
    min_education: Mapped[str | None] = mapped_column(String(32))
    province: Mapped[str] = mapped_column(String(64))
    city: Mapped[str] = mapped_column(String(80))
    center_name: Mapped[str] = mapped_column(String(200))
    center_type: Mapped[str] = mapped_column(String(16))  # "government" | "private"
    center_rank: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    fee_rial: Mapped[int] = mapped_column(BigInteger)
    hamnava_coverage_pct: Mapped[int] = mapped_column(Integer, default=0)
    karafan: Mapped[bool] = mapped_column(Boolean, default=False)
    dormitory: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery: Mapped[str] = mapped_column(String(32))  # "in_person" | "workplace" | ...
    # Folded copy of title/cluster/center for search (see services.text.search_key).
    search_text: Mapped[str] = mapped_column(Text, default="")


# Byte order on PostgreSQL, so `term >= :prefix AND term < :prefix_end` is a prefix match that
# the index serves whatever the database's locale (SQLite compares bytes already).
_TERM_TYPE = String(64).with_variant(String(64, collation="C"), "postgresql")


class CourseTerm(Base):
    """One search term of a course (see services.catalog_search), kept beside the
    province so a search inside a province reads only that province's matching index entries
    (a search over all provinces reads the 31 provinces' ranges of the same index).

    The index ends with course_id, so a prefix lookup is answered by the index alone; the
    primary key (course_id, term) serves the per-course probe of a common word. On SQLite the
    rows live in the primary key's b-tree (no rowid table): two b-trees to fill, not three,
    when a catalog of 100k courses and two million terms is loaded."""

    __tablename__ = "course_terms"
    __table_args__ = (
        Index("ix_course_terms_province_term", "province", "term", "course_id"),
        {"sqlite_with_rowid": False},
    )

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(_TERM_TYPE, primary_key=True)
    province: Mapped[str] = mapped_column(String(64))


# Browsing reads open courses in start order (then id) through the index matching its filters:
# ix_courses_province_start (0001) with a province, these for a field or for all provinces.
Index(
    "ix_courses_province_cluster_start",
    Course.province,
    Course.cluster_fa,
    Course.start_date,
    Course.id,
)
Index("ix_courses_cluster_start", Course.cluster_fa, Course.start_date, Course.id)
Index("ix_courses_start", Course.start_date, Course.id)


class SavedCourse(Base):
    """A course a person bookmarked from its card."""

    __tablename__ = "saved_courses"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class CounselingResult(Base):
    """One completed career-counseling questionnaire; the newest per person is the current one."""

    __tablename__ = "counseling_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    # The questionnaire file's version: answers are only comparable within one version.
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Ranked best fields: [{"field": ..., "score": ...}, ...]
    top_fields: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class FsmRecord(Base):
    """Conversation state for the SQL-backed FSM storage (used when REDIS_URL is not set)."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


# Feature models live in their own files; importing them here puts them in Base.metadata.
import storage.application_models  # noqa: E402,F401
