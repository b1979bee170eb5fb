"""the match-notice ledger (who was told about which job lead or course, once) and job leads.

Revision ID: 0012_job_leads
Revises: 0011_exams
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_job_leads"
down_revision: str | Sequence[str] | None = "0011_exams"
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
    op.create_index(
        "ix_match_notices_pending", "match_notices", ["sent_at", "person_id", "due_at"]
    )
    op.create_index("ix_match_notices_subject", "match_notices", ["subject_kind", "subject_id"])

    op.create_table(
        "job_leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("employer", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=64), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=True),
        sa.Column("wage_text", sa.String(length=120), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("how_to_apply", sa.Text(), nullable=False),
        sa.Column("posted_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_leads")),
    )
    op.create_index("ix_job_leads_province_deadline", "job_leads", ["province", "deadline"])
    op.create_table(
        "job_lead_fields",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["job_leads.id"], name=op.f("fk_job_lead_fields_lead_id_job_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lead_id", "field", name=op.f("pk_job_lead_fields")),
    )
    op.create_index("ix_job_lead_fields_field", "job_lead_fields", ["field", "lead_id"])
    op.create_table(
        "job_interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["job_leads.id"], name=op.f("fk_job_interests_lead_id_job_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_job_interests_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_interests")),
        sa.UniqueConstraint("lead_id", "person_id", name="uq_job_interests_once"),
    )
    op.create_index("ix_job_interests_person_id", "job_interests", ["person_id"])
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column(
            "job_leads_opt_out", sa.Boolean(), server_default=sa.false(), nullable=False
        ))
        batch.add_column(sa.Column(
            "job_leads_digest", sa.Boolean(), server_default=sa.false(), nullable=False
        ))
        batch.add_column(sa.Column("can_move", sa.Boolean(), nullable=True))
        batch.create_index("ix_persons_province", ["province"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_index("ix_persons_province")
        batch.drop_column("can_move")
        batch.drop_column("job_leads_digest")
        batch.drop_column("job_leads_opt_out")
    op.drop_index("ix_job_interests_person_id", table_name="job_interests")
    op.drop_table("job_interests")
    op.drop_index("ix_job_lead_fields_field", table_name="job_lead_fields")
    op.drop_table("job_lead_fields")
    op.drop_index("ix_job_leads_province_deadline", table_name="job_leads")
    op.drop_table("job_leads")
    op.drop_index("ix_match_notices_subject", table_name="match_notices")
    op.drop_index("ix_match_notices_pending", table_name="match_notices")
    op.drop_table("match_notices")
