"""the match-notice ledger's indexes: only those its statements use.

The (subject_kind, subject_id) index served no statement (every ledger query names the person:
the once-only rule by uq_match_notices_once, "told today" by its person prefix); the sweep's
index keeps only pending rows (person_id, due_at WHERE sent_at IS NULL), so a claimed notice
leaves it instead of being moved inside it, and recording a match writes two indexes, not four.

Revision ID: 0018_ledger_speed
Revises: 0017_dashboard_speed
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_ledger_speed"
down_revision: str | Sequence[str] | None = "0017_dashboard_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("sent_at IS NULL")


def upgrade() -> None:
    op.drop_index("ix_match_notices_subject", table_name="match_notices")
    op.drop_index("ix_match_notices_pending", table_name="match_notices")
    op.create_index(
        "ix_match_notices_pending", "match_notices", ["person_id", "due_at"],
        sqlite_where=PENDING, postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_match_notices_pending", table_name="match_notices")
    op.create_index(
        "ix_match_notices_pending", "match_notices", ["sent_at", "person_id", "due_at"]
    )
    op.create_index("ix_match_notices_subject", "match_notices", ["subject_kind", "subject_id"])
