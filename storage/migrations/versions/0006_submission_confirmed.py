"""applications.confirmed_at: when the person was sent the tracking code of the submission.

Submissions made before this revision were confirmed on the spot (or never will be by a sweep
that did not exist then): they count as confirmed at their submission time, so the start-up
sweep does not message everyone again.

Revision ID: 0006_submission_confirmed
Revises: 0005_document_files
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_submission_confirmed"
down_revision: str | Sequence[str] | None = "0005_document_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE applications SET confirmed_at = submitted_at WHERE submitted_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("confirmed_at")
