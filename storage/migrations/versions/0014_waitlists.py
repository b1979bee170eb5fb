"""waitlists: "tell me when a course opens" entries, their query-word forms and field places.

Revision ID: 0014_waitlists
Revises: 0013_api
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_waitlists"
down_revision: str | Sequence[str] | None = "0013_api"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FORM = sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "waitlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("words", sa.String(length=600), server_default="", nullable=False),
        sa.Column("word_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("province", sa.String(length=64), nullable=True),
        sa.Column("cluster", sa.String(length=120), nullable=True),
        sa.Column("field_id", sa.String(length=64), nullable=True),
        sa.Column("field_name", sa.String(length=120), nullable=True),
        sa.Column("course_code", sa.String(length=32), nullable=True),
        sa.Column("standard_code", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("center_type", sa.String(length=16), nullable=True),
        sa.Column("hamnava_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("karafan_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("dormitory_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("starts_within_months", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_waitlists_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlists")),
        sa.UniqueConstraint("person_id", "key", name="uq_waitlists_person_key"),
    )
    op.create_index("ix_waitlists_person_id", "waitlists", ["person_id"])
    op.create_index("ix_waitlists_course_code", "waitlists", ["course_code"])
    op.create_index("ix_waitlists_standard", "waitlists", ["standard_code", "province"])
    op.create_index("ix_waitlists_wordless", "waitlists", ["kind", "word_count", "province"])
    op.create_table(
        "waitlist_forms",
        sa.Column("waitlist_id", sa.Integer(), nullable=False),
        sa.Column("word_index", sa.SmallInteger(), nullable=False),
        sa.Column("form", _FORM, nullable=False),
        sa.Column("province", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["waitlist_id"], ["waitlists.id"],
            name=op.f("fk_waitlist_forms_waitlist_id_waitlists"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("waitlist_id", "word_index", "form", name=op.f("pk_waitlist_forms")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_waitlist_forms_form", "waitlist_forms",
        ["form", "province", "waitlist_id", "word_index"],
    )
    op.create_table(
        "waitlist_places",
        sa.Column("waitlist_id", sa.Integer(), nullable=False),
        sa.Column("cluster_fa", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["waitlist_id"], ["waitlists.id"],
            name=op.f("fk_waitlist_places_waitlist_id_waitlists"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "waitlist_id", "cluster_fa", "province", name=op.f("pk_waitlist_places")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_waitlist_places_cluster", "waitlist_places", ["cluster_fa", "province", "waitlist_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_waitlist_places_cluster", table_name="waitlist_places")
    op.drop_table("waitlist_places")
    op.drop_index("ix_waitlist_forms_form", table_name="waitlist_forms")
    op.drop_table("waitlist_forms")
    op.drop_index("ix_waitlists_wordless", table_name="waitlists")
    op.drop_index("ix_waitlists_standard", table_name="waitlists")
    op.drop_index("ix_waitlists_course_code", table_name="waitlists")
    op.drop_index("ix_waitlists_person_id", table_name="waitlists")
    op.drop_table("waitlists")
