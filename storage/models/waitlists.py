"""Waitlists: "tell me when a course opens" entries a person left where they met no open course
(services/waitlists). An entry stays until the person removes it or applies to a course it
matched; the courses it was told about are in the match-notice ledger (subject_kind "course").

How an entry is matched, set-based, when an import adds or reopens courses
(storage.repositories.waitlists):
- "query": every word of the search (folded as course search folds it) must be a prefix of a
  course term through one of its forms (the word, its stems, its synonyms): one
  waitlist_forms row per (word, form); the search's filters are columns of the entry;
- "course": the same course code (a full or started course reopened);
- "standard": the same training standard in the same province;
- "field": a counseling field's catalog fields in the home province and its neighbours
  (one waitlist_places row per field × province)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow

# Compared with course_terms.term (collation "C" on PostgreSQL): byte order, like it.
_FORM_TYPE = String(64).with_variant(String(64, collation="C"), "postgresql")


class Waitlist(Base):
    __tablename__ = "waitlists"
    __table_args__ = (
        # Joining the same waitlist twice is a no-op: `key` is the entry's canonical form.
        UniqueConstraint("person_id", "key", name="uq_waitlists_person_key"),
        Index("ix_waitlists_course_code", "course_code"),
        Index("ix_waitlists_standard", "standard_code", "province"),
        # Query entries without words (filters only), by province.
        Index("ix_waitlists_wordless", "kind", "word_count", "province"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # query | course | standard | field
    key: Mapped[str] = mapped_column(String(400))
    # The folded query words, space-separated, as course search keeps them (query kind).
    words: Mapped[str] = mapped_column(String(600), default="", server_default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    province: Mapped[str | None] = mapped_column(String(64))  # NULL: every province
    # A catalog field (Course.cluster_fa): a filter, or the field of the course/standard.
    cluster: Mapped[str | None] = mapped_column(String(120))
    # Counseling field id and its name (kind "field"), shown and counted by the demand export.
    field_id: Mapped[str | None] = mapped_column(String(64))
    field_name: Mapped[str | None] = mapped_column(String(120))
    course_code: Mapped[str | None] = mapped_column(String(32))
    standard_code: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(200))  # the course's title (course kinds)
    center_type: Mapped[str | None] = mapped_column(String(16))
    hamnava_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    karafan_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    dormitory_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    starts_within_months: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class WaitlistForm(Base):
    """One form of one query word of a "query" entry. `province` repeats the entry's ("" for
    every province) so a matching term's lookup is one index probe: (form, province)."""

    __tablename__ = "waitlist_forms"
    __table_args__ = (
        Index("ix_waitlist_forms_form", "form", "province", "waitlist_id", "word_index"),
        {"sqlite_with_rowid": False},
    )

    waitlist_id: Mapped[int] = mapped_column(
        ForeignKey("waitlists.id", ondelete="CASCADE"), primary_key=True
    )
    word_index: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    form: Mapped[str] = mapped_column(_FORM_TYPE, primary_key=True)
    province: Mapped[str] = mapped_column(String(64))


class WaitlistPlace(Base):
    """One (catalog field, province) of a "field" entry."""

    __tablename__ = "waitlist_places"
    __table_args__ = (
        Index("ix_waitlist_places_cluster", "cluster_fa", "province", "waitlist_id"),
        {"sqlite_with_rowid": False},
    )

    waitlist_id: Mapped[int] = mapped_column(
        ForeignKey("waitlists.id", ondelete="CASCADE"), primary_key=True
    )
    cluster_fa: Mapped[str] = mapped_column(String(120), primary_key=True)
    province: Mapped[str] = mapped_column(String(64), primary_key=True)
