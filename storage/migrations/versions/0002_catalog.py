"""Catalog browsing and counseling: course search terms, saved courses, counseling results.

Revision ID: 0002_catalog
Revises: 0001
Create Date: 2026-11-25

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_catalog"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TERM = sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "course_terms",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("term", _TERM, nullable=False),
        sa.Column("province", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"],
            name=op.f("fk_course_terms_course_id_courses"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", "term", name=op.f("pk_course_terms")),
    )
    op.create_index("ix_course_terms_province_term", "course_terms", ["province", "term"])
    op.create_index(op.f("ix_course_terms_term"), "course_terms", ["term"])

    op.create_table(
        "saved_courses",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"],
            name=op.f("fk_saved_courses_person_id_persons"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"],
            name=op.f("fk_saved_courses_course_id_courses"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "course_id", name=op.f("pk_saved_courses")),
    )
    op.create_index(op.f("ix_saved_courses_course_id"), "saved_courses", ["course_id"])

    op.create_table(
        "counseling_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("top_fields", sa.JSON(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"],
            name=op.f("fk_counseling_results_person_id_persons"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counseling_results")),
    )
    op.create_index(
        op.f("ix_counseling_results_person_id"), "counseling_results", ["person_id"]
    )


def downgrade() -> None:
    op.drop_table("counseling_results")
    op.drop_table("saved_courses")
    op.drop_table("course_terms")
