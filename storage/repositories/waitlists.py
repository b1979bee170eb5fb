"""Waitlists: queries only; services/waitlists commits.

`matching` is the one place that says which entries a set of courses matches (the import's
notices, the send-time re-check, "applied: the entry is done"). It is one SELECT of four
set-based parts, each reading only the given courses' rows and the entries' indexes:
- query words: every prefix of each of the courses' terms (a numbers subquery, 1..64 letters) is
  looked up in waitlist_forms by (form, province), and a (entry, course) pair counts when all
  of the entry's words matched; then the entry's filters are checked on the course;
- query entries without words (filters only), the same course code, the same standard in the
  same province, a counseling field's (catalog field, province) places: plain index joins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import Course, CourseTerm, Person, Waitlist, WaitlistForm, WaitlistPlace

QUERY, COURSE, STANDARD, FIELD = "query", "course", "standard", "field"
# course_terms.term is at most this long (services.catalog_search.MAX_TERM_CHARS).
_MAX_TERM_CHARS = 64
# Prefixes looked up per statement.
_PROBE_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class DemandRow:
    """One waiting entry as the demand export counts it (no personal data)."""

    person_id: int
    kind: str
    province: str | None
    field: str | None
    standard_code: str | None
    words: str
    created_at: dt.datetime
    relief_client: bool
    low_decile: bool


def _filters(w: Any, c: Any, month_ends: Mapping[int, dt.date]) -> list[ColumnElement[bool]]:
    """A query entry's filters, checked on a course (as services.catalog's list does)."""
    within = cast(case(
        *((w.starts_within_months == months, day) for months, day in month_ends.items()),
        else_=None,
    ), Date)
    return [
        or_(w.province.is_(None), w.province == c.province),
        or_(w.cluster.is_(None), w.cluster == c.cluster_fa),
        or_(w.center_type.is_(None), w.center_type == c.center_type),
        or_(w.hamnava_only.is_(False), c.hamnava_coverage_pct > 0),
        or_(w.karafan_only.is_(False), c.karafan.is_(True), c.delivery == "workplace"),
        or_(w.dormitory_only.is_(False), c.dormitory.is_(True)),
        or_(w.starts_within_months.is_(None), c.start_date <= within),
    ]


async def known_forms(
    session: AsyncSession, course_ids: Collection[int], today: dt.date
) -> set[str]:
    """The prefixes of the open courses' terms that some entry waits for (few: the words people
    typed), found by index probes on waitlist_forms.form."""
    t = CourseTerm.__table__.c
    c = Course.__table__.c
    terms = await session.scalars(
        select(t.term).distinct().join_from(CourseTerm.__table__, Course.__table__,
                                             c.id == t.course_id)
        .where(t.course_id.in_(list(course_ids)), c.start_date >= today,
               c.seats_taken < c.capacity)
    )
    prefixes = sorted({term[:k] for term in terms for k in range(1, len(term) + 1)})
    f = WaitlistForm.__table__.c
    known: set[str] = set()
    for start in range(0, len(prefixes), _PROBE_CHUNK):
        chunk = prefixes[start:start + _PROBE_CHUNK]
        known.update(await session.scalars(select(f.form).where(f.form.in_(chunk)).distinct()))
    return known


def matching(
    course_ids: Collection[int],
    today: dt.date,
    month_ends: Mapping[int, dt.date],
    persons: Collection[int] | None = None,
    forms: Collection[str] | None = None,
) -> Select[Any]:
    """(waitlist_id, person_id, course_id) of every entry an open course among `course_ids`
    matches; only those of `persons` when given. `forms`: known_forms() of these courses
    (without it every prefix is looked up)."""
    ids = list(course_ids)
    c = Course.__table__.c
    w = Waitlist.__table__.c
    is_open = [c.id.in_(ids), c.start_date >= today, c.seats_taken < c.capacity]
    # A course that is not open (started, full) needs no word matching at all.
    open_ids = select(c.id).where(*is_open).scalar_subquery()
    mine: list[ColumnElement[bool]] = [] if persons is None else [w.person_id.in_(list(persons))]

    # Query words: the prefixes of the courses' terms that are some entry's forms.
    t = CourseTerm.__table__.c
    f = WaitlistForm.__table__.c
    lengths = sorted({len(form) for form in forms}) if forms is not None else list(
        range(1, _MAX_TERM_CHARS + 1))
    # A plain subquery, not a CTE: SQLAlchemy puts CTEs before the INSERT of INSERT … SELECT,
    # and SQLite's driver then reports no row count.
    numbers = union_all(*(
        select(literal_column(str(k)).label("k")) for k in (lengths or [0])
    )).subquery("numbers")
    prefix = func.substr(t.term, literal_column("1"), numbers.c.k)
    prefixes = (
        select(t.course_id, t.province, prefix.label("prefix"))
        .join_from(CourseTerm.__table__, numbers, numbers.c.k <= func.length(t.term))
        .where(t.course_id.in_(open_ids))
    )
    if forms is not None:
        prefixes = prefixes.where(prefix.in_(sorted(forms)) if forms else false())
    else:
        prefixes = prefixes.where(select(literal(1)).where(f.form == prefix).exists())
    course_forms = prefixes.distinct().subquery("course_forms")
    form_hits = and_(
        f.form == course_forms.c.prefix,
        f.province.in_([literal(""), course_forms.c.province]),
    )
    # One word (most searches): every hit is a match; no grouping.
    one_word = (
        select(w.id, w.person_id, c.id)
        .join_from(course_forms, WaitlistForm.__table__, form_hits)
        .join(Waitlist.__table__, and_(w.id == f.waitlist_id, w.word_count == 1))
        .join(Course.__table__, c.id == course_forms.c.course_id)
        .where(*is_open, *_filters(w, c, month_ends), *mine)
    )
    # Several words: each must hit (a word's forms may hit one course through several terms).
    hits = (
        select(
            f.waitlist_id, course_forms.c.course_id,
            func.count(f.word_index.distinct()).label("words"),
        )
        .join_from(course_forms, WaitlistForm.__table__, form_hits)
        .group_by(f.waitlist_id, course_forms.c.course_id)
        .having(func.count(f.word_index.distinct()) > 1)
        .subquery("hits")
    )
    by_words = (
        select(w.id, w.person_id, c.id)
        .join_from(hits, Waitlist.__table__, and_(
            w.id == hits.c.waitlist_id, w.word_count == hits.c.words
        ))
        .join(Course.__table__, c.id == hits.c.course_id)
        .where(*is_open, *_filters(w, c, month_ends), *mine)
    )
    # Filters only: the course's province, or every province (two index probes, not an OR
    # that would keep PostgreSQL from using the index).
    wordless = [
        select(w.id, w.person_id, c.id)
        .join_from(Course.__table__, Waitlist.__table__, and_(
            w.kind == QUERY, w.word_count == 0, where_province,
        ))
        .where(*is_open, *_filters(w, c, month_ends), *mine)
        for where_province in (w.province == c.province, w.province.is_(None))
    ]
    same_code = (
        select(w.id, w.person_id, c.id)
        .join_from(Course.__table__, Waitlist.__table__, and_(
            w.course_code == c.course_code, w.kind == COURSE
        ))
        .where(*is_open, *mine)
    )
    same_standard = (
        select(w.id, w.person_id, c.id)
        .join_from(Course.__table__, Waitlist.__table__, and_(
            w.standard_code == c.standard_code, w.province == c.province, w.kind == STANDARD
        ))
        .where(*is_open, *mine)
    )
    p = WaitlistPlace.__table__.c
    in_field = (
        select(w.id, w.person_id, c.id)
        .join_from(Course.__table__, WaitlistPlace.__table__, and_(
            p.cluster_fa == c.cluster_fa, p.province == c.province
        ))
        .join(Waitlist.__table__, w.id == p.waitlist_id)
        .where(*is_open, *mine)
    )
    # UNION ALL: a pair may come twice (two forms of a word hitting one course); callers take
    # sets, and the ledger's INSERT skips what it already has (ON CONFLICT DO NOTHING).
    combined = union_all(
        one_word, by_words, *wordless, same_code, same_standard, in_field
    ).subquery()
    return select(combined.c[0], combined.c[1], combined.c[2])


class WaitlistRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, row: dict[str, Any], forms: Sequence[tuple[int, str]],
        places: Sequence[tuple[str, str]],
    ) -> int | None:
        """The new entry's id, or None when the person has this entry already."""
        statement = (
            dialect_insert(self.session, Waitlist).values(**row)
            .on_conflict_do_nothing(index_elements=["person_id", "key"])
            .returning(Waitlist.id)
        )
        waitlist_id = await self.session.scalar(statement)
        if waitlist_id is None:
            return None
        province = row.get("province") or ""
        if forms:
            await self.session.execute(insert(WaitlistForm), [
                {"waitlist_id": waitlist_id, "word_index": index, "form": form,
                 "province": province}
                for index, form in forms
            ])
        if places:
            await self.session.execute(insert(WaitlistPlace), [
                {"waitlist_id": waitlist_id, "cluster_fa": cluster, "province": place}
                for cluster, place in places
            ])
        return int(waitlist_id)

    async def find(self, person_id: int, key: str) -> Waitlist | None:
        return await self.session.scalar(
            select(Waitlist).where(Waitlist.person_id == person_id, Waitlist.key == key)
        )

    async def count_for(self, person_id: int) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(Waitlist).where(Waitlist.person_id == person_id)
        ) or 0)

    async def of_person(self, person_id: int) -> list[Waitlist]:
        return list(await self.session.scalars(
            select(Waitlist).where(Waitlist.person_id == person_id)
            .order_by(Waitlist.created_at, Waitlist.id)
        ))

    async def remove(self, person_id: int, waitlist_ids: Collection[int]) -> int:
        """Deletes these entries of this person (another person's ids delete nothing)."""
        if not waitlist_ids:
            return 0
        result = await self.session.execute(
            delete(Waitlist).where(
                Waitlist.person_id == person_id, Waitlist.id.in_(list(waitlist_ids))
            ).execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def pairs(
        self, course_ids: Collection[int], today: dt.date, month_ends: Mapping[int, dt.date],
        persons: Collection[int] | None = None,
    ) -> list[tuple[int, int, int]]:
        forms = await known_forms(self.session, course_ids, today)
        result = await self.session.execute(
            matching(course_ids, today, month_ends, persons, forms)
        )
        return [(row[0], row[1], row[2]) for row in result]

    async def demand_rows(self) -> list[DemandRow]:
        w = Waitlist.__table__.c
        result = await self.session.execute(
            select(
                w.person_id, w.kind, w.province, func.coalesce(w.cluster, w.field_name),
                w.standard_code, w.words, w.created_at,
                func.coalesce(Person.relief_client, false()),
                and_(Person.decile.is_not(None), Person.decile.between(1, 4)),
            ).join(Person, Person.id == w.person_id)
        )
        return [
            DemandRow(row[0], row[1], row[2], row[3], row[4], row[5] or "", row[6],
                      bool(row[7]), bool(row[8]))
            for row in result
        ]
