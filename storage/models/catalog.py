"""The course catalog: courses, their search terms, and the courses people saved."""

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
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin, utcnow


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
