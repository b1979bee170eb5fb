"""Applications to programs: applications, status events, documents, document access audit,
tracking-code sequences.

Revision ID: 0003_applications
Revises: 0002_catalog
Create Date: 2026-11-26

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_applications"
down_revision: str | Sequence[str] | None = "0002_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# storage.models.ACTIVE_STATUSES at the time of this revision.
_ACTIVE_WHERE = sa.text(
    "status IN ('draft', 'submitted', 'under_review', 'needs_documents', 'approved', 'enrolled')"
)


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=40), nullable=False),
        sa.Column("program_version", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("course_code", sa.String(length=32), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("tracking_code", sa.String(length=24), nullable=True),
        sa.Column("province", sa.String(length=64), nullable=True),
        sa.Column("reviewer", sa.String(length=40), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"],
            name=op.f("fk_applications_person_id_persons"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_applications_tracking_code")),
    )
    op.create_index(op.f("ix_applications_person_id"), "applications", ["person_id"])
    op.create_index(op.f("ix_applications_province"), "applications", ["province"])
    op.create_index(
        "ix_applications_status_submitted", "applications", ["status", "submitted_at"]
    )
    op.create_index(
        "uq_applications_active_person_program",
        "applications",
        ["person_id", "program"],
        unique=True,
        sqlite_where=_ACTIVE_WHERE,
        postgresql_where=_ACTIVE_WHERE,
    )

    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_ref", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _timestamp("at"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"],
            name=op.f("fk_application_events_application_id_applications"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_events")),
    )
    op.create_index(
        op.f("ix_application_events_application_id"), "application_events", ["application_id"]
    )

    op.create_table(
        "application_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("store_key", sa.String(length=64), nullable=True),
        sa.Column("mime", sa.String(length=40), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"],
            name=op.f("fk_application_documents_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_documents")),
    )
    op.create_index(
        op.f("ix_application_documents_application_id"),
        "application_documents",
        ["application_id"],
    )
    op.create_index(
        op.f("ix_application_documents_store_key"), "application_documents", ["store_key"]
    )

    op.create_table(
        "document_accesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("staff_platform", sa.String(length=16), nullable=False),
        sa.Column("staff_user_id", sa.BigInteger(), nullable=False),
        _timestamp("at"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["application_documents.id"],
            name=op.f("fk_document_accesses_document_id_application_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_accesses")),
    )
    op.create_index(
        op.f("ix_document_accesses_document_id"), "document_accesses", ["document_id"]
    )

    op.create_table(
        "program_sequences",
        sa.Column("program", sa.String(length=40), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("program", name=op.f("pk_program_sequences")),
    )


def downgrade() -> None:
    op.drop_table("program_sequences")
    op.drop_table("document_accesses")
    op.drop_table("application_documents")
    op.drop_table("application_events")
    op.drop_table("applications")
