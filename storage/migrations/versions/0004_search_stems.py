"""Course search terms rebuilt with word stems: a title or field word whose stem is spelled
differently («رانندگی» → «راننده», «بافندگان» → «بافنده») is also found by that stem.

The term builder below is a frozen copy of services.catalog_search.course_terms and
services.catalog_words as they are at this revision (a migration must build the same terms
however the service code changes later); the downgrade rebuilds the terms of 0002/0003.

Revision ID: 0004_search_stems
Revises: 0003_applications
Create Date: 2026-12-02

"""
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_search_stems"
down_revision: str | Sequence[str] | None = "0003_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000
_MAX_TERM_CHARS = 64
_ZWNJ = "\u200c"
_TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_SEARCH_FOLD = str.maketrans(
    {"آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ة": "ه", "ۀ": "ه", "ؤ": "و", "ئ": "ی"}
)
_DIACRITICS_AND_TATWEEL = re.compile("[\u064b-\u065f\u0670\u0640]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_ENDINGS = (
    ("هایی", "", 3), ("های", "", 3), ("ها", "", 3), ("کاری", "", 4), ("گری", "", 4),
    ("گان", "ه", 3), ("گی", "ه", 3), ("جات", "", 3), ("یان", "", 4), ("ان", "", 4),
    ("ات", "", 4), ("ای", "", 3), ("یی", "", 3), ("ی", "", 4),
)  # fmt: skip


def _search_key(text: str) -> str:
    text = text.translate(_ARABIC_TO_PERSIAN).translate(_SEARCH_FOLD)
    text = _DIACRITICS_AND_TATWEEL.sub("", text).replace(_ZWNJ, " ")
    if not text.replace(_ZWNJ, "").isprintable():
        text = "".join(
            ch for ch in text
            if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
        )  # fmt: skip
    return _SPACES.sub(" ", text.translate(_TO_ASCII_DIGITS).lower()).strip()


def _words(text: str | None) -> list[str]:
    return _WORD.findall(_search_key(text)) if text else []


def _stems(word: str) -> set[str]:
    found: set[str] = set()
    current = {word}
    for _ in range(2):
        following = {
            candidate[: -len(ending)] + replacement
            for candidate in current
            for ending, replacement, min_stem in _ENDINGS
            if candidate.endswith(ending)
            and len(candidate[: -len(ending)]) >= min_stem
            and candidate[: -len(ending)].isalpha()
        } - found - {word}
        found |= following
        current = following
    return found


def _unlike_stems(word: str) -> set[str]:
    return {stem for stem in _stems(word) if not word.startswith(stem)}


def _pairs(words: list[str]) -> list[str]:
    return [first + second for first, second in itertools.pairwise(words)]


def _field_terms(text: str, *, across_spaces: bool, with_stems: bool) -> Iterable[str]:
    if across_spaces:
        words = _words(text)
        pairs = _pairs(words)
        if with_stems:
            pairs += [s for word in itertools.chain(words, pairs) for s in _unlike_stems(word)]
    else:
        pieces = [_words(token) for token in text.split()]
        words = [word for piece in pieces for word in piece]
        pairs = [pair for piece in pieces for pair in _pairs(piece)]
        pairs += [first + second for first, second in itertools.pairwise(words) if second.isdigit()]
    return (term[:_MAX_TERM_CHARS] for term in itertools.chain(words, pairs))


def _terms(row: sa.Row, *, with_stems: bool) -> set[str]:
    return {
        *_field_terms(row.title_fa, across_spaces=True, with_stems=with_stems),
        *_field_terms(row.cluster_fa, across_spaces=True, with_stems=with_stems),
        *_field_terms(row.title_en or "", across_spaces=False, with_stems=with_stems),
        *_field_terms(row.center_name, across_spaces=False, with_stems=with_stems),
    }


def _rebuild(terms_of: Callable[[sa.Row], set[str]]) -> None:
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
    connection.execute(sa.delete(terms))
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(courses).where(courses.c.id > last_id).order_by(courses.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        values = [
            {"course_id": row.id, "term": term, "province": row.province}
            for row in rows
            for term in terms_of(row)
        ]
        if values:
            connection.execute(sa.insert(terms), values)
        last_id = rows[-1].id


def upgrade() -> None:
    _rebuild(lambda row: _terms(row, with_stems=True))


def downgrade() -> None:
    _rebuild(lambda row: _terms(row, with_stems=False))
