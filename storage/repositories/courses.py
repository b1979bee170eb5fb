"""Course queries. Repositories query/add/flush; the calling service commits."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Course, CourseTerm

# Keeps IN (...) lists under SQLite's bound-parameter limit on old builds (999).
_IN_CHUNK = 500
_COURSES = Course.metadata.tables[Course.__tablename__]
_TERMS = CourseTerm.metadata.tables[CourseTerm.__tablename__]
# Statements built once per shape (open_page's by its conditions, ids_with_terms' by the
# numbers of forms of the words): a few dozen in practice.
_STATEMENTS: dict[tuple[object, ...], Any] = {}
_STATEMENTS_MAX = 512
# What OpenCourseConditions.where and the list's order read.
_CONDITION_COLUMNS = tuple(
    _COURSES.c[name]
    for name in (
        "id", "start_date", "seats_taken", "capacity", "province", "cluster_fa", "center_type",
        "hamnava_coverage_pct", "karafan", "delivery", "dormitory",
    )
)  # fmt: skip
# What a list row shows (services.catalog.CourseSummary): no need to load whole courses.
LIST_COLUMNS = tuple(
    _COURSES.c[name]
    for name in (
        "course_code", "title_fa", "title_en", "cluster_fa", "province", "city", "center_name",
        "center_type", "center_rank", "start_date", "capacity", "seats_taken", "fee_rial",
        "hamnava_coverage_pct", "karafan", "dormitory", "delivery",
    )
)  # fmt: skip
BULK_CACHE_KIB = 256 * 1024


@dataclass(frozen=True, slots=True)
class TermPrefix:
    """`low <= term < high`: a prefix match as an index range (see services.catalog_search)."""

    low: str
    high: str


# The forms of one query word: a course matches the word when any of them matches.
WordPrefixes = tuple[TermPrefix, ...]


@dataclass(frozen=True, slots=True)
class OpenCourseConditions:
    """Which open courses a list shows. Open = starts on or after `today`, seats left."""

    today: dt.date
    province: str | None = None
    cluster: str | None = None
    center_type: str | None = None
    hamnava_only: bool = False
    karafan_only: bool = False
    dormitory_only: bool = False
    starts_before: dt.date | None = None  # exclusive
    # Each word: one of its prefixes (its forms) must match one of the course's terms.
    prefixes: tuple[WordPrefixes, ...] = ()

    def where(self, c: Any = None) -> list[ColumnElement[bool]]:
        """The conditions on the columns `c` of courses (or of a CTE of course rows). Values are
        named parameters (see params()): a statement built once per shape() serves any values."""
        c = Course.__table__.c if c is None else c
        conditions: list[ColumnElement[bool]] = [
            c.start_date >= bindparam("today", self.today),
            c.seats_taken < c.capacity,
        ]
        if self.province is not None:
            conditions.append(c.province == bindparam("province", self.province))
        if self.cluster is not None:
            conditions.append(c.cluster_fa == bindparam("cluster", self.cluster))
        if self.center_type is not None:
            conditions.append(c.center_type == bindparam("center_type", self.center_type))
        if self.hamnava_only:
            conditions.append(c.hamnava_coverage_pct > 0)
        if self.karafan_only:
            conditions.append(or_(c.karafan.is_(True), c.delivery == "workplace"))
        if self.dormitory_only:
            conditions.append(c.dormitory.is_(True))
        if self.starts_before is not None:
            conditions.append(c.start_date < bindparam("starts_before", self.starts_before))
        # Probed per course, in start order, through the (course_id, term) primary key: that
        # stops as soon as the page is full. OFFSET 0 keeps PostgreSQL from turning the EXISTS
        # into a join, which reads every course the word matches and sorts them all.
        conditions.extend(
            select(literal(1))
            .where(CourseTerm.course_id == c.id, _any_range(word, f"w{number}"))
            .offset(0)
            .exists()
            for number, word in enumerate(self.prefixes)
        )
        return conditions

    def shape(self) -> tuple[object, ...]:
        """Which conditions where() writes, whatever their values."""
        return (
            self.province is not None, self.cluster is not None, self.center_type is not None,
            self.hamnava_only, self.karafan_only, self.dormitory_only,
            self.starts_before is not None, tuple(len(word) for word in self.prefixes),
        )  # fmt: skip

    def params(self) -> dict[str, Any]:
        """The values of where()'s named parameters."""
        values: dict[str, Any] = {"today": self.today}
        optional = {"province": self.province, "cluster": self.cluster,
                    "center_type": self.center_type, "starts_before": self.starts_before}
        values.update((name, value) for name, value in optional.items() if value is not None)
        for number, word in enumerate(self.prefixes):
            for form, prefix in enumerate(word):
                values[f"w{number}_{form}_low"] = prefix.low
                values[f"w{number}_{form}_high"] = prefix.high
        return values


def _any_range(word: WordPrefixes, name: str) -> ColumnElement[bool]:
    return or_(*(
        and_(CourseTerm.term >= bindparam(f"{name}_{form}_low", prefix.low),
             CourseTerm.term < bindparam(f"{name}_{form}_high", prefix.high))
        for form, prefix in enumerate(word)
    ))  # fmt: skip


def _terms_query(words: Sequence[WordPrefixes], one_province: bool) -> Any:
    """CourseRepository.ids_with_terms' statement for words with these numbers of forms."""
    province = (
        CourseTerm.province == bindparam("province")
        if one_province
        else CourseTerm.province.in_(bindparam("provinces", expanding=True))
    )
    parts = []
    for index, word in enumerate(words):
        for form in range(len(word)):
            matches = (
                select(CourseTerm.course_id)
                .where(province, CourseTerm.term >= bindparam(f"t{index}_{form}_low"),
                       CourseTerm.term < bindparam(f"t{index}_{form}_high"))
                .limit(bindparam("limit", type_=Integer))
                .subquery()
            )  # fmt: skip
            parts.append(select(literal(index).label("word"), matches.c.course_id))
    return union_all(*parts)


def _built_once(shape: tuple[object, ...], build: Callable[[], Any]) -> Any:
    """The statement of this shape: building one (its CTEs proxy every column) costs more
    Python than running it, so it is built once and only the values change."""
    query = _STATEMENTS.get(shape)
    if query is None:
        if len(_STATEMENTS) >= _STATEMENTS_MAX:
            _STATEMENTS.clear()
        query = _STATEMENTS[shape] = build()
    return query


def _page_query(conditions: OpenCourseConditions, among: bool) -> Select[Any]:
    """CourseRepository.open_page's statement for conditions of this shape; the values are the
    parameters of conditions.params(), reach, offset, size and (with `among`) among."""
    if not among:
        source: Any = _COURSES
    else:
        # The candidates are read by id first, then filtered and sorted (a few hundred at
        # most). Asked in one go, SQLite without statistics (no ANALYZE ever ran) would rather
        # walk the province's start_date index to spare the sort, testing every course of the
        # province against the id list. Only the columns the conditions and the sort read.
        source = (
            select(*_CONDITION_COLUMNS)
            .where(_COURSES.c.id.in_(bindparam("among", expanding=True)))
            .cte("candidates")
        ).prefix_with("MATERIALIZED")
    c = source.c
    hits = (
        select(c.id, c.start_date)
        .where(and_(*conditions.where(c)))
        .order_by(c.start_date, c.id)
        .limit(bindparam("reach", type_=Integer))
        .cte("hits")
    ).prefix_with("MATERIALIZED")
    total = select(func.count().label("total")).select_from(hits).subquery("total")
    rows = (
        select(hits.c.start_date.label("sort_start"), hits.c.id.label("sort_id"), *LIST_COLUMNS)
        .select_from(hits.join(_COURSES, _COURSES.c.id == hits.c.id))
        .order_by(hits.c.start_date, hits.c.id)
        .limit(bindparam("size", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("page")
    )
    # The count's one row, with the page's rows beside it (none past the end).
    return (
        select(total.c.total, *(rows.c[column.name] for column in LIST_COLUMNS))
        .select_from(total.outerjoin(rows, true()))
        .order_by(rows.c.sort_start, rows.c.sort_id)
    )


class CourseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Course)) or 0)

    async def get_by_codes(self, codes: Iterable[str]) -> dict[str, Course]:
        unique = list(dict.fromkeys(codes))
        found: dict[str, Course] = {}
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start : start + _IN_CHUNK]
            rows = await self.session.scalars(select(Course).where(Course.course_code.in_(chunk)))
            found.update((course.course_code, course) for course in rows)
        return found

    async def get_by_code(self, code: str) -> Course | None:
        return await self.session.scalar(select(Course).where(Course.course_code == code))

    async def get_by_ids(self, ids: Sequence[int]) -> list[Course]:
        """The courses of `ids` that still exist, in the order of `ids`."""
        found: dict[int, Course] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            rows = await self.session.scalars(select(Course).where(Course.id.in_(chunk)))
            found.update((course.id, course) for course in rows)
        return [found[course_id] for course_id in ids if course_id in found]

    def add(self, course: Course) -> None:
        self.session.add(course)

    async def insert_many(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """Bulk INSERT of plain column dicts, for catalog imports of 100k rows; returns the new
        ids by course_code.

        Core table insert, not the ORM bulk path: about three times faster per row here. Ids
        are matched by code rather than by position: RETURNING in parameter order costs SQLite
        a statement per row.
        """
        if not rows:
            return {}
        statement = insert(_COURSES).returning(_COURSES.c.course_code, _COURSES.c.id)
        result = await self.session.execute(statement, list(rows))
        return {code: course_id for code, course_id in result.all()}

    async def insert_terms(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Bulk INSERT of {"course_id", "term", "province"} dicts (a large catalog has about
        sixteen per course). PostgreSQL gets them by COPY, several times faster than
        INSERT for millions of rows, inside the session's transaction."""
        if not rows:
            return
        connection = await self.session.connection()
        if connection.dialect.name != "postgresql":
            await self.session.execute(insert(_TERMS), list(rows))
            return
        # The tests' schema-per-test translate map (None -> schema) applies to COPY too.
        options = self.session.get_bind().get_execution_options()
        schema_map = options.get("schema_translate_map") or {}
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.copy_records_to_table(
            _TERMS.name,
            schema_name=schema_map.get(_TERMS.schema),
            columns=("course_id", "term", "province"),
            records=[(row["course_id"], row["term"], row["province"]) for row in rows],
        )

    async def delete_terms(self, course_ids: Collection[int]) -> None:
        ids = list(course_ids)
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            await self.session.execute(delete(CourseTerm).where(CourseTerm.course_id.in_(chunk)))

    async def flush(self) -> None:
        await self.session.flush()

    async def list_open_in_province(
        self, province: str, today: dt.date, limit: int = 10, offset: int = 0
    ) -> Sequence[Course]:
        """Courses in a province that have not started and still have seats, soonest first."""
        ids = await self.open_ids(
            OpenCourseConditions(today=today, province=province), limit=limit, offset=offset
        )
        return await self.get_by_ids(ids)

    async def open_ids(
        self,
        conditions: OpenCourseConditions,
        *,
        limit: int,
        offset: int = 0,
    ) -> list[int]:
        """Ids of the open courses that meet `conditions`, soonest start first, then by id."""
        query = select(Course.id).where(and_(*conditions.where()))
        query = query.order_by(Course.start_date, Course.id).limit(limit).offset(offset)
        return list(await self.session.scalars(query))

    async def open_page(
        self,
        conditions: OpenCourseConditions,
        *,
        reach: int,
        offset: int,
        size: int,
        among: Collection[int] | None = None,
    ) -> tuple[int, list[Row[Any]]]:
        """One statement for a list page: how many open courses meet `conditions` counting no
        further than `reach`, and the LIST_COLUMNS of those from `offset` (at most `size`), in
        open_ids' order. Past the end the rows are empty and the count still says where the
        end is."""
        if among is not None and not among:
            return 0, []
        query = _built_once(
            ("page", conditions.shape(), among is not None),
            lambda: _page_query(conditions, among is not None),
        )
        params = conditions.params() | {"reach": reach, "offset": offset, "size": size}
        if among is not None:
            params["among"] = list(among)
        found = (await self.session.execute(query, params)).all()
        count = int(found[0].total) if found else 0
        return count, [row for row in found if row.course_code is not None]

    async def ids_with_terms(
        self, words: Sequence[WordPrefixes], provinces: Sequence[str], limit: int
    ) -> list[list[int]]:
        """For each word, the ids of courses of `provinces` having a term in the range of one of
        its prefixes, read from the (province, term, course_id) index alone: at most `limit`
        index entries per prefix (a course may repeat). One statement for the whole query."""
        if not words:
            return []
        found: list[list[int]] = [[] for _ in words]
        if not any(words):
            return found
        query = _built_once(
            ("terms", tuple(len(word) for word in words), len(provinces) == 1),
            lambda: _terms_query(words, len(provinces) == 1),
        )
        params: dict[str, Any] = {"limit": limit}
        if len(provinces) == 1:
            params["province"] = provinces[0]
        else:
            params["provinces"] = list(provinces)
        for index, word in enumerate(words):
            for form, prefix in enumerate(word):
                params[f"t{index}_{form}_low"] = prefix.low
                params[f"t{index}_{form}_high"] = prefix.high
        for word_index, course_id in (await self.session.execute(query, params)).all():
            found[word_index].append(course_id)
        return found

    async def distinct_terms(
        self, prefix: TermPrefix, provinces: Sequence[str], limit: int
    ) -> set[str]:
        """Up to `limit` different terms in the prefix's range, per province, in term order.

        Each step seeks the next greater term in the (province, term, course_id) index (a
        loose index scan), so a term shared by thousands of courses costs one step, not
        thousands of rows."""
        parts = []
        for number, province in enumerate(provinces):
            in_range = (
                CourseTerm.province == province,
                CourseTerm.term < prefix.high,
            )
            first = select(
                func.min(CourseTerm.term).label("term"), literal(1).label("step")
            ).where(CourseTerm.term >= prefix.low, *in_range)
            walk = first.cte(f"walk{number}", recursive=True)
            following = (
                select(func.min(CourseTerm.term))
                .where(CourseTerm.term > walk.c.term, *in_range)
                .scalar_subquery()
            )
            walk = walk.union_all(
                select(following, walk.c.step + 1).where(
                    walk.c.term.is_not(None), walk.c.step < limit
                )
            )
            parts.append(select(walk.c.term).where(walk.c.term.is_not(None)))
        if not parts:
            return set()
        return set(await self.session.scalars(union_all(*parts)))

    @asynccontextmanager
    async def bulk_load(self) -> AsyncIterator[None]:
        """Around a large catalog load. SQLite's default page cache (2 MB) is far smaller than
        the term index of a large catalog, so every insert into it would read pages back from
        the file: this connection may keep up to BULK_CACHE_KIB in memory meanwhile (the
        pages are only allocated as they are used), then goes back to its setting."""
        if self.session.get_bind().dialect.name != "sqlite":
            yield
            return
        previous = int(await self.session.scalar(text("PRAGMA cache_size")) or -2000)
        await self.session.execute(text(f"PRAGMA cache_size = {-BULK_CACHE_KIB}"))
        try:
            yield
        finally:
            # After a failed load the session refuses statements until rolled back: the
            # caller's error matters more than the cache size of a pooled connection.
            with contextlib.suppress(SQLAlchemyError):
                await self.session.execute(text(f"PRAGMA cache_size = {previous}"))

    async def clusters(self, province: str | None) -> list[str]:
        query = select(Course.cluster_fa).distinct()
        if province is not None:
            query = query.where(Course.province == province)
        return list(await self.session.scalars(query))

