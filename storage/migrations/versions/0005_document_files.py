"""Stored files as rows (the lock between deleting an unused file and a new upload of the same
bytes) and at most one current document per application, kind and file.

Rows an earlier race left twice (same application, kind and file, both current) keep the oldest;
the others become "superseded" history before the unique index is made.

Revision ID: 0005_document_files
Revises: 0004_search_stems
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_document_files"
down_revision: str | Sequence[str] | None = "0004_search_stems"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CURRENT = "state IN ('received', 'accepted', 'rejected')"
_CURRENT_FILE_WHERE = sa.text(f"store_key IS NOT NULL AND {_CURRENT}")


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("store_key", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("store_key", name=op.f("pk_stored_files")),
    )
    op.execute(
        "INSERT INTO stored_files (store_key) SELECT DISTINCT store_key "
        "FROM application_documents WHERE store_key IS NOT NULL"
    )
    op.execute(
        "UPDATE application_documents SET state = 'superseded' "
        f"WHERE store_key IS NOT NULL AND {_CURRENT} AND id NOT IN ("
        "SELECT MIN(id) FROM application_documents "
        f"WHERE store_key IS NOT NULL AND {_CURRENT} "
        "GROUP BY application_id, kind, store_key)"
    )
    op.create_index(
        "uq_application_documents_current_file",
        "application_documents",
        ["application_id", "kind", "store_key"],
        unique=True,
        sqlite_where=_CURRENT_FILE_WHERE,
        postgresql_where=_CURRENT_FILE_WHERE,
    )


def downgrade() -> None:
    op.drop_index("uq_application_documents_current_file", table_name="application_documents")
    op.drop_table("stored_files")
