"""the administrators' dashboard: one-time login links, sessions; indexes for its counts.

Revision ID: 0016_dashboard
Revises: 0015_webhooks
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_dashboard"
down_revision: str | Sequence[str] | None = "0015_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_links_token_hash")),
    )
    op.create_index(op.f("ix_dashboard_links_expires_at"), "dashboard_links", ["expires_at"],
                    unique=False)
    op.create_table(
        "dashboard_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_sessions")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_dashboard_sessions_session_hash")),
    )
    op.create_index(op.f("ix_dashboard_sessions_expires_at"), "dashboard_sessions",
                    ["expires_at"], unique=False)
    op.create_index(op.f("ix_persons_registered_at"), "persons", ["registered_at"], unique=False)
    op.create_index("ix_persons_province_registered", "persons", ["province", "registered_at"],
                    unique=False)
    op.create_index("ix_applications_province_status", "applications", ["province", "status"],
                    unique=False)
    op.create_index("ix_applications_course_status", "applications", ["course_code", "status"],
                    unique=False)
    op.create_index("ix_applications_decided", "applications", ["decided_at", "submitted_at"],
                    unique=False)
    op.create_index("ix_application_documents_state", "application_documents",
                    ["state", "application_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_application_documents_state", table_name="application_documents")
    op.drop_index("ix_applications_decided", table_name="applications")
    op.drop_index("ix_applications_course_status", table_name="applications")
    op.drop_index("ix_applications_province_status", table_name="applications")
    op.drop_index("ix_persons_province_registered", table_name="persons")
    op.drop_index(op.f("ix_persons_registered_at"), table_name="persons")
    op.drop_index(op.f("ix_dashboard_sessions_expires_at"), table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
    op.drop_index(op.f("ix_dashboard_links_expires_at"), table_name="dashboard_links")
    op.drop_table("dashboard_links")
