"""Small SQL pieces that differ between SQLite and PostgreSQL: a timestamp's local date, the
seconds between two timestamps, and nearest-rank percentiles computed by the database."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, Float, Select, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession


def is_postgres(session: AsyncSession) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "postgresql"


async def without_jit(session: AsyncSession) -> None:
    """PostgreSQL compiles a plan whose estimated cost passes jit_above_cost to machine code:
    for the dashboard's one-off aggregates (estimated high, run in milliseconds) compiling took
    ~2.8 s of the centres page's 3 s (EXPLAIN ANALYZE, 100,000 applications). Off for this
    transaction only."""
    if is_postgres(session):
        await session.execute(text("SET LOCAL jit = off"))


def local_date(session: AsyncSession, column: Any, tz: str) -> ColumnElement[Any]:
    """The calendar day of `column` in `tz`. SQLite keeps UTC without an offset: the zone's
    current offset is added (Iran has had no daylight saving time since 2022)."""
    if is_postgres(session):
        return cast(func.timezone(tz, column), Date)
    offset = dt.datetime.now(ZoneInfo(tz)).utcoffset() or dt.timedelta()
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def seconds_between(
    session: AsyncSession, start: Any, end: Any
) -> ColumnElement[float]:
    if is_postgres(session):
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def nearest_rank(count: int, fraction: float) -> int:
    """The 1-based rank of the `fraction` percentile by the nearest-rank method (the median is
    the lower middle of an even count): what the page calls median and p90."""
    return max(1, math.ceil(fraction * count))


async def percentiles(
    session: AsyncSession,
    value: ColumnElement[float],
    query: Select[Any],
    fractions: Sequence[float],
) -> tuple[int, list[float | None]]:
    """How many rows `query` (a select over the rows, filtered) has, and each percentile of
    `value` among them. One pass: the values come back sorted (a few tens of thousands of
    floats at most, as the callers bound the period) and are ranked here."""
    inner = query.add_columns(value.label("v")).subquery()
    values = [float(v) for v in await session.scalars(
        select(inner.c.v).where(inner.c.v.is_not(None)).order_by(inner.c.v)
    )]
    results: list[float | None] = [
        values[nearest_rank(len(values), fraction) - 1] if values else None
        for fraction in fractions
    ]
    return len(values), results
