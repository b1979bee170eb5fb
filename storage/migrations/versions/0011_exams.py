"""exam sessions, answers and attendance, results, certificates.

Revision ID: 0011_exams
Revises: 0010_identity_resolution
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_exams"
down_revision: str | Sequence[str] | None = "0010_identity_resolution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=32), nullable=False),
        sa.Column("province", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True),
                  server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True),
                  server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_sessions")),
    )
    op.create_index("ix_exam_sessions_course_starts", "exam_sessions",
                    ["course_code", "starts_at"], unique=False)
    op.create_index(op.f("ix_exam_sessions_province"), "exam_sessions", ["province"],
                    unique=False)
    op.create_index(op.f("ix_exam_sessions_starts_at"), "exam_sessions", ["starts_at"],
                    unique=False)
    op.create_table(
        "exam_answers",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("marked_by", sa.String(length=40), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_exam_answers_person_id_persons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["exam_sessions.id"],
                                name=op.f("fk_exam_answers_session_id_exam_sessions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "person_id", name=op.f("pk_exam_answers")),
    )
    op.create_index(op.f("ix_exam_answers_person_id"), "exam_answers", ["person_id"],
                    unique=False)
    op.create_table(
        "exam_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_exam_results_application_id_applications"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_exam_results_person_id_persons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["exam_sessions.id"],
                                name=op.f("fk_exam_results_session_id_exam_sessions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_results")),
        sa.UniqueConstraint("session_id", "person_id",
                            name=op.f("uq_exam_results_session_id")),
    )
    op.create_index(op.f("ix_exam_results_application_id"), "exam_results",
                    ["application_id"], unique=False)
    op.create_index(op.f("ix_exam_results_person_id"), "exam_results", ["person_id"],
                    unique=False)
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=32), nullable=False),
        sa.Column("standard_code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("issued_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_certificates_application_id_applications"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_certificates_person_id_persons"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("application_id", name=op.f("uq_certificates_application_id")),
        sa.UniqueConstraint("number", name=op.f("uq_certificates_number")),
    )
    op.create_index(op.f("ix_certificates_person_id"), "certificates", ["person_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_certificates_person_id"), table_name="certificates")
    op.drop_table("certificates")
    op.drop_index(op.f("ix_exam_results_person_id"), table_name="exam_results")
    op.drop_index(op.f("ix_exam_results_application_id"), table_name="exam_results")
    op.drop_table("exam_results")
    op.drop_index(op.f("ix_exam_answers_person_id"), table_name="exam_answers")
    op.drop_table("exam_answers")
    op.drop_index(op.f("ix_exam_sessions_starts_at"), table_name="exam_sessions")
    op.drop_index(op.f("ix_exam_sessions_province"), table_name="exam_sessions")
    op.drop_index("ix_exam_sessions_course_starts", table_name="exam_sessions")
    op.drop_table("exam_sessions")
