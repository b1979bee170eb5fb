"""the dashboard without its cache under 300 ms: covering indexes for the overview's
applications per status/program/province and the centres page's accepted papers per trainee.

Revision ID: 0017_dashboard_speed
Revises: 0016_dashboard
Create Date: 2026-12-03

"""
from collections.abc import Sequence

from alembic import op

revision: str = "0017_dashboard_speed"
down_revision: str | Sequence[str] | None = "0016_dashboard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_applications_status_program_province", "applications",
                    ["status", "program", "province"], unique=False)
    op.create_index("ix_application_documents_app_state_kind", "application_documents",
                    ["application_id", "state", "kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_application_documents_app_state_kind", table_name="application_documents")
    op.drop_index("ix_applications_status_program_province", table_name="applications")
