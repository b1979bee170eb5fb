"""Initial schema: persons, messenger accounts, identity conflicts, staff roles, courses, FSM records.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column:
    # func.now() renders CURRENT_TIMESTAMP on SQLite and now() on PostgreSQL.
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("national_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("phone_verified", sa.Boolean(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("province", sa.String(length=64), nullable=True),
        sa.Column("city", sa.String(length=80), nullable=True),
        sa.Column("education", sa.String(length=32), nullable=True),
        sa.Column("relief_client", sa.Boolean(), nullable=True),
        sa.Column("relief_client_number", sa.String(length=32), nullable=True),
        sa.Column("decile", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("national_code", name=op.f("uq_persons_national_code")),
    )
    op.create_index(op.f("ix_persons_phone"), "persons", ["phone"], unique=False)

    op.create_table(
        "messenger_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=128), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("language_code", sa.String(length=16), nullable=True),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"],
            name=op.f("fk_messenger_accounts_person_id_persons"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messenger_accounts")),
        sa.UniqueConstraint("platform", "user_id", name="uq_account_platform_user"),
    )
    op.create_index(
        op.f("ix_messenger_accounts_person_id"), "messenger_accounts", ["person_id"], unique=False
    )

    op.create_table(
        "identity_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("existing_person_id", sa.Integer(), nullable=True),
        sa.Column("national_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["messenger_accounts.id"],
            name=op.f("fk_identity_conflicts_account_id_messenger_accounts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["existing_person_id"], ["persons.id"],
            name=op.f("fk_identity_conflicts_existing_person_id_persons"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_conflicts")),
    )

    op.create_table(
        "staff_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("provinces", sa.JSON(), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_roles")),
        sa.UniqueConstraint("platform", "user_id", "role", name="uq_staff_role"),
    )

    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=32), nullable=False),
        sa.Column("standard_code", sa.String(length=32), nullable=False),
        sa.Column("title_fa", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("cluster_fa", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("hours_theory", sa.Integer(), nullable=False),
        sa.Column("hours_practice", sa.Integer(), nullable=False),
        sa.Column("min_education", sa.String(length=32), nullable=True),
        sa.Column("province", sa.String(length=64), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("center_name", sa.String(length=200), nullable=False),
        sa.Column("center_type", sa.String(length=16), nullable=False),
        sa.Column("center_rank", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("fee_rial", sa.BigInteger(), nullable=False),
        sa.Column("hamnava_coverage_pct", sa.Integer(), nullable=False),
        sa.Column("karafan", sa.Boolean(), nullable=False),
        sa.Column("dormitory", sa.Boolean(), nullable=False),
        sa.Column("delivery", sa.String(length=32), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("course_code", name=op.f("uq_courses_course_code")),
    )
    op.create_index("ix_courses_province_start", "courses", ["province", "start_date"], unique=False)

    op.create_table(
        "fsm_records",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=255), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_fsm_records")),
    )


def downgrade() -> None:
    # Children before parents, so the foreign keys never point at a dropped table.
    op.drop_table("fsm_records")
    op.drop_index("ix_courses_province_start", table_name="courses")
    op.drop_table("courses")
    op.drop_table("staff_roles")
    op.drop_table("identity_conflicts")
    op.drop_index(op.f("ix_messenger_accounts_person_id"), table_name="messenger_accounts")
    op.drop_table("messenger_accounts")
    op.drop_index(op.f("ix_persons_phone"), table_name="persons")
    op.drop_table("persons")
