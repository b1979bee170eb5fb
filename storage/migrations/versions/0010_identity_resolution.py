"""identity conflicts: how they were resolved, by whom and why.

Revision ID: 0010_identity_resolution
Revises: 0009_tickets
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_identity_resolution"
down_revision: str | Sequence[str] | None = "0009_tickets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("identity_conflicts") as batch:
        batch.add_column(sa.Column("resolution", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("resolution_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity_conflicts") as batch:
        batch.drop_column("resolution_reason")
        batch.drop_column("resolved_by")
        batch.drop_column("resolution")
