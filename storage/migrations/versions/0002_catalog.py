"""Catalog browsing and counseling: course search terms, saved courses, counseling results.

Also indexes for browsing by field / all provinces, and the search terms of courses that already
exist, computed by this revision's own copy of the term rules (services.catalog_search and
services.text as they were when it was written): a later change to search must not change what
this revision writes. A change to the terms needs a new revision that recomputes them.

Revision ID: 0002_catalog
Revises: 0001
Create Date: 2026-11-25

"""
import itertools
import re
import unicodedata
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


# The term rules as of this revision (copied, not imported: see the module docstring).
_MAX_TERM_CHARS = 64
_WORD = re.compile(r"\w+")
_ZWNJ = "\u200c"
_TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_ARABIC_TO_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_SEARCH_FOLD = str.maketrans(
    {"آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ة": "ه", "ۀ": "ه", "ؤ": "و", "ئ": "ی"}
)
_DIACRITICS_AND_TATWEEL = re.compile("[\u064b-\u065f\u0670\u0640]")
_SPACES = re.compile(r"\s+")


def _drop_control_chars(s: str) -> str:
    if s.replace(_ZWNJ, "").isprintable():
        return s
    return "".join(
        ch
        for ch in s
        if ch == _ZWNJ or ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )


def _search_key(s: str) -> str:
    s = s.translate(_ARABIC_TO_PERSIAN_LETTERS).translate(_SEARCH_FOLD)
    s = _DIACRITICS_AND_TATWEEL.sub("", s)
    s = s.replace(_ZWNJ, " ")
    s = _drop_control_chars(s)
    s = s.translate(_TO_ASCII_DIGITS).lower()
    return _SPACES.sub(" ", s).strip()


def _words_of(text: str | None) -> list[str]:
    return _WORD.findall(_search_key(text)) if text else []


def _joined_pairs(words: list[str]) -> list[str]:
    return [first + second for first, second in itertools.pairwise(words)]


def _field_terms(text: str, *, across_spaces: bool) -> frozenset[str]:
    if across_spaces:
        words = _words_of(text)
        pairs = _joined_pairs(words)
    else:
        pieces = [_words_of(token) for token in text.split()]
        words = [word for piece in pieces for word in piece]
        pairs = [pair for piece in pieces for pair in _joined_pairs(piece)]
        pairs += [first + second for first, second in itertools.pairwise(words) if second.isdigit()]
    return frozenset(term[:_MAX_TERM_CHARS] for term in itertools.chain(words, pairs))


def course_terms(
    title_fa: str, title_en: str | None, cluster_fa: str, center_name: str
) -> set[str]:
    """Every term a course is found by, by this revision's rules."""
    terms: set[str] = set()
    terms.update(_field_terms(title_fa, across_spaces=True))
    terms.update(_field_terms(cluster_fa, across_spaces=True))
    terms.update(_field_terms(title_en or "", across_spaces=False))
    terms.update(_field_terms(center_name, across_spaces=False))
    return terms


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
