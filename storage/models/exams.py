"""Exams and certificates: exam sessions of a course, each enrolled person's answer and
attendance, results, and the certificates issued after a passed practical exam."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin, utcnow


class ExamSession(TimestampMixin, Base):
    """One sitting of a written or practical exam for a course. Stored in UTC; shown in Jalali
    in TIMEZONE. `version` grows with every move: a reminder written for an older version is
    stale at send time (the move wrote new ones)."""

    __tablename__ = "exam_sessions"
    __table_args__ = (Index("ix_exam_sessions_course_starts", "course_code", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_code: Mapped[str] = mapped_column(String(32))
    # The course's province, copied: caseworkers are scoped by it.
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # written | practical
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    place: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | cancelled
    version: Mapped[int] = mapped_column(Integer, default=1)
    moved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(40))  # "platform:user_id" or "import"


class ExamAnswer(Base):
    """A person's «I will attend» / «I can't attend», and the attendance staff marked."""

    __tablename__ = "exam_answers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("exam_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answer: Mapped[str | None] = mapped_column(String(16))  # attend | absent
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attended: Mapped[bool | None] = mapped_column(Boolean)
    marked_by: Mapped[str | None] = mapped_column(String(40))
    marked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ExamResult(Base):
    """One person's result in one session (entered again: replaced)."""

    __tablename__ = "exam_results"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # the session's, copied
    score: Mapped[int | None] = mapped_column(Integer)  # 0..100, may be left out
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Certificate(Base):
    """A certificate issued to a person for an application's course; one per application."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    course_code: Mapped[str] = mapped_column(String(32))
    standard_code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    issued_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
