"""the match-notice ledger (who was told about which job lead or course, once) and job leads.

Revision ID: 0012_job_leads
Revises: 0010_identity_resolution
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_job_leads"
down_revision: str | Sequence[str] | None = "0010_identity_resolution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_match_notices_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_notices")),
        sa.UniqueConstraint(
            "person_id", "subject_kind", "subject_id", name="uq_match_notices_once"
        ),
    )
    op.create_index("ix_match_notices_pending", "match_notices", ["sent_at", "due_at"])
    op.create_index("ix_match_notices_subject", "match_notices", ["subject_kind", "subject_id"])


def downgrade() -> None:
    op.drop_index("ix_match_notices_subject", table_name="match_notices")
    op.drop_index("ix_match_notices_pending", table_name="match_notices")
    op.drop_table("match_notices")
