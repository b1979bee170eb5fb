"""Catalog browsing and counseling: course search terms, saved courses, counseling results.

Also indexes for browsing by field / all provinces, and the search terms of courses that already
exist (computed by the same pure function the catalog import uses).

Revision ID: 0002_catalog
Revises: 0001
Create Date: 2026-11-25

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.catalog_search import course_terms

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
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_course_terms_province_term", "course_terms", ["province", "term", "course_id"]
    )
    op.create_index(
        "ix_courses_province_cluster_start",
        "courses",
        ["province", "cluster_fa", "start_date", "id"],
    )
    op.create_index("ix_courses_cluster_start", "courses", ["cluster_fa", "start_date", "id"])
    op.create_index("ix_courses_start", "courses", ["start_date", "id"])
    _backfill_terms()

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


_BACKFILL_BATCH = 1000


def _backfill_terms() -> None:
    """Search terms for the courses imported before this revision."""
    connection = op.get_bind()
    courses = sa.table(
        "courses",
        sa.column("id", sa.Integer()),
        sa.column("title_fa", sa.String()),
        sa.column("title_en", sa.String()),
        sa.column("cluster_fa", sa.String()),
        sa.column("center_name", sa.String()),
        sa.column("province", sa.String()),
    )
    terms = sa.table(
        "course_terms",
        sa.column("course_id", sa.Integer()),
        sa.column("term", sa.String()),
        sa.column("province", sa.String()),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(courses)
            .where(courses.c.id > last_id)
            .order_by(courses.c.id)
            .limit(_BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        values = [
            {"course_id": row.id, "term": term, "province": row.province}
            for row in rows
            for term in course_terms(row.title_fa, row.title_en, row.cluster_fa, row.center_name)
        ]
        if values:
            connection.execute(sa.insert(terms), values)
        last_id = rows[-1].id


def downgrade() -> None:
    op.drop_table("counseling_results")
    op.drop_table("saved_courses")
    op.drop_table("course_terms")
    op.drop_index("ix_courses_start", table_name="courses")
    op.drop_index("ix_courses_cluster_start", table_name="courses")
    op.drop_index("ix_courses_province_cluster_start", table_name="courses")
