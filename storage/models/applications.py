"""Applications to programs (Hamnava, Karafan): the application, its status timeline, its
documents, the audit log of staff opening a document, and the tracking-code sequences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin, utcnow

# services.applications.status.ACTIVE, spelt out for the partial index (storage does not
# import the service layer; tests check the two agree).
ACTIVE_STATUSES = (
    "draft", "submitted", "under_review", "needs_documents", "approved", "enrolled"
)
_ACTIVE_WHERE = text(
    "status IN (" + ", ".join(f"'{status}'" for status in ACTIVE_STATUSES) + ")"
)
# services.applications.results.DocumentState values of a document that holds a file and is one
# of the application's current papers (received, accepted, rejected); superseded rows are history.
CURRENT_FILE_STATES = ("received", "accepted", "rejected")
_CURRENT_FILE_WHERE = text(
    "store_key IS NOT NULL AND state IN ("
    + ", ".join(f"'{state}'" for state in CURRENT_FILE_STATES) + ")"
)


class Application(TimestampMixin, Base):
    """One person's application to one program for one course."""

    __tablename__ = "applications"
    __table_args__ = (
        # One active application per person and program, whatever races the service check.
        Index(
            "uq_applications_active_person_program",
            "person_id",
            "program",
            unique=True,
            sqlite_where=_ACTIVE_WHERE,
            postgresql_where=_ACTIVE_WHERE,
        ),
        # The review queue: by status, oldest submission first, province filtered.
        Index("ix_applications_status_submitted", "status", "submitted_at"),
        # The HTTP API's pages of one status or province, in id order (keyset paging).
        Index("ix_applications_status_id", "status", "id"),
        Index("ix_applications_province_id", "province", "id"),
        # The dashboard's counts per province and status, and per training centre (course).
        Index("ix_applications_province_status", "province", "status"),
        Index("ix_applications_course_status", "course_code", "status"),
        # The dashboard's time to decision over recent decisions (covering: no table reads).
        Index("ix_applications_decided", "decided_at", "submitted_at"),
        # The overview's applications per status, program and province: one covering read.
        Index("ix_applications_status_program_province", "status", "program", "province"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(String(40))
    # The program file's version when the draft was opened (files change without a release).
    program_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))
    course_code: Mapped[str | None] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tracking_code: Mapped[str | None] = mapped_column(String(24), unique=True)
    # The person's province, copied at creation and submission: staff are scoped by it.
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    reviewer: Mapped[str | None] = mapped_column(String(40))  # "platform:user_id"
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # When the person was sent the tracking code of the submission. Still empty a while after
    # submitted_at: the process died between the commit and the message (a start-up sweep
    # sends it then).
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ApplicationEvent(Base):
    """One status change: from, to, who (person / staff "platform:user_id" / system), why."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_ref: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class ApplicationDocument(Base):
    """One uploaded file (or a staff request for one) of an application.

    state: received | accepted | rejected | requested | superseded. A "requested" row is a
    placeholder without a file (store_key NULL) carrying the staff's note in `reason`."""

    __tablename__ = "application_documents"
    __table_args__ = (
        # The same file twice for one kind of paper is one document, whatever races the
        # service's duplicate check (two identical uploads at the same instant).
        Index(
            "uq_application_documents_current_file",
            "application_id",
            "kind",
            "store_key",
            unique=True,
            sqlite_where=_CURRENT_FILE_WHERE,
            postgresql_where=_CURRENT_FILE_WHERE,
        ),
        # The dashboard's papers awaiting review ("received"), by province via the application.
        Index("ix_application_documents_state", "state", "application_id"),
        # The centres page's accepted papers per trainee (covering: no table reads).
        Index("ix_application_documents_app_state_kind", "application_id", "state", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    # sha256 of the plaintext (storage.documents.DocumentStore key): equal content, equal key.
    store_key: Mapped[str | None] = mapped_column(String(64), index=True)
    mime: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(40))  # "platform:user_id"
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class StoredFile(Base):
    """One file in the document store, by key. Its row is the lock that orders "is this file
    still used? then delete it" against a new upload of the same bytes: an upload claims the row
    (an upsert, so it waits for a deletion in progress) before it writes the file, and a
    deletion removes the row first and deletes the file only if no document refers to it."""

    __tablename__ = "stored_files"

    store_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class DocumentAccess(Base):
    """Audit: a staff member opened a document (who, which, when)."""

    __tablename__ = "document_accesses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("application_documents.id", ondelete="CASCADE"), index=True
    )
    staff_platform: Mapped[str] = mapped_column(String(16))
    staff_user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class ProgramSequence(Base):
    """The last tracking-code number given per program (HMN-1405-000123 -> 123)."""

    __tablename__ = "program_sequences"

    program: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
