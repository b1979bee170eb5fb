"""Waitlists: how long an import of new courses takes to find every person to tell.

    python bench/waitlist.py [--entries 100000] [--courses 1000] [--database-url URL] [--all]

Fills a fresh database (a temporary SQLite file; `--database-url postgresql+asyncpg://...`: a
fresh database on that server, dropped at the end; `--all`: both) with `--entries` waitlist
entries of as many people (searches for a trade, most within a province, some with filters;
entries for a course code, a standard, a counseling field), a catalog of 20,000 courses, then
ANALYZEs. Then an import of `--courses` new courses (all provinces, realistic titles) is
written as the importer writes it and, in the same transaction, the matching waitlists are
recorded in the match-notice ledger (services.waitlists.record_openings): that is what is
timed (`match_s`, median of 3 runs, each rolled back). Goal: at most 1 s.

Prints the plan of the matching statement and, as the last line per database, one JSON object
{"entries": …, "courses": …, "match_s": …}."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench`, `services` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from bench import statement_timer
from bench.backends import postgres_database, sqlite_backend
from bench.catalog_data import _write, course_rows, standards
from services.catalog import CourseFilter
from services.counseling import load_counseling_data
from services.provinces import PROVINCES
from services.waitlists import WaitlistService, record_openings
from services.waitlists.service import month_ends
from storage.db import create_engine, create_session_factory
from storage.models import MatchNotice, Person, Waitlist, WaitlistForm, WaitlistPlace
from storage.repositories.courses import CourseRepository
from storage.repositories.waitlists import known_forms, matching

GOAL_SECONDS = 1.0
TODAY = dt.date(2026, 12, 3)
NOW = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)
CATALOG = 20_000
# Searches start in the person's own province (the list's default filter); people with no
# province on file wait for every province.
ANY_PROVINCE_SHARE_NOT = 0.95
BATCH = 5000


def _trade_words() -> list[str]:
    """What people type: a title's first word, sometimes as a trade («خیاط» → «خیاطی»)."""
    words = sorted({title.split()[0] for title, _, _ in standards()})
    return words + [word + "ی" for word in words[: len(words) // 2]]


def _entries(
    waitlists: WaitlistService, count: int, rng: random.Random
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    words = _trade_words()
    kinds = standards()
    fields = [field.id for field in load_counseling_data().fields]
    neighbours = load_counseling_data().neighbours
    rows: list[dict[str, Any]] = []
    forms: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    for index in range(count):
        waitlist_id = person_id = index + 1
        province = PROVINCES[index % len(PROVINCES)]
        roll = rng.random()
        base = {"id": waitlist_id, "person_id": person_id, "created_at": NOW}
        if roll < 0.7:
            flt = CourseFilter(
                query=rng.choice(words) + (" " + rng.choice(words) if rng.random() < 0.1 else ""),
                province=province if rng.random() < ANY_PROVINCE_SHARE_NOT else None,
                dormitory_only=rng.random() < 0.1,
            )
            row, word_forms = waitlists.search_entry(flt)
            rows.append({**row, **base})
            forms += [{"waitlist_id": waitlist_id, "word_index": i, "form": form,
                       "province": flt.province or ""} for i, form in word_forms]
        elif roll < 0.8:
            rows.append({**base, "kind": "course", "key": f"c{index}",
                         "course_code": f"B{rng.randrange(CATALOG):07d}"})
        elif roll < 0.9:
            kind = rng.randrange(len(kinds))
            rows.append({**base, "kind": "standard", "key": f"s{index}",
                         "standard_code": f"{1000 + kind}-00-001-1", "province": province})
        else:
            field_id = rng.choice(fields)
            field = load_counseling_data().field(field_id)
            assert field is not None
            rows.append({**base, "kind": "field", "key": f"f{index}", "field_id": field_id,
                         "field_name": field.name.fa, "province": province})
            places += [{"waitlist_id": waitlist_id, "cluster_fa": cluster, "province": place}
                       for cluster in set(field.clusters)
                       for place in (province, *neighbours.get(province, ()))]
    return rows, forms, places


@asynccontextmanager
async def _databases(args: argparse.Namespace) -> AsyncIterator[list[tuple[str, str]]]:
    urls: list[tuple[str, str]] = []
    server = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    async with sqlite_backend() as sqlite:
        if not args.database_url or args.all:
            urls.append(("sqlite", sqlite.database_url))
        if server and (args.database_url or args.all):
            async with postgres_database(server) as url:
                urls.append(("postgresql", url))
                yield urls
                return
        yield urls


async def _fill(url: str, entries: int, new_courses: int) -> list[int]:
    engine = create_engine(url)
    factory = create_session_factory(engine)
    rng = random.Random(1405)
    waitlists = WaitlistService(factory, timezone="Asia/Tehran", max_per_person=10,
                                counseling=load_counseling_data())
    rows, forms, places = _entries(waitlists, entries, rng)
    async with factory() as session:
        for start in range(0, entries, BATCH):
            await session.execute(insert(Person), [
                {"id": i, "created_at": NOW, "updated_at": NOW, "decile": i % 10 + 1}
                for i in range(start + 1, min(start + BATCH, entries) + 1)
            ])
        columns = {column.name for column in Waitlist.__table__.columns}
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            await session.execute(insert(Waitlist), [
                {name: row.get(name) for name in columns if name in row} | {
                    "words": row.get("words", ""), "word_count": row.get("word_count", 0),
                    "hamnava_only": row.get("hamnava_only", False),
                    "karafan_only": row.get("karafan_only", False),
                    "dormitory_only": row.get("dormitory_only", False),
                }
                for row in batch
            ])
        for start in range(0, len(forms), BATCH):
            await session.execute(insert(WaitlistForm), forms[start:start + BATCH])
        for start in range(0, len(places), BATCH):
            await session.execute(insert(WaitlistPlace), places[start:start + BATCH])
        repo = CourseRepository(session)
        catalog = course_rows(CATALOG + new_courses, TODAY)
        async with repo.bulk_load():
            for start in range(0, CATALOG, BATCH):
                await _write(repo, catalog[start:min(start + BATCH, CATALOG)])
        await session.commit()
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("ANALYZE" if url.startswith("sqlite") else "VACUUM ANALYZE"))
    await engine.dispose()
    return [len(catalog) - new_courses, len(catalog)]


async def _run(name: str, url: str, entries: int, new_courses: int) -> dict[str, Any]:
    first, last = await _fill(url, entries, new_courses)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    timings: list[float] = []
    notices = 0
    plan = ""
    catalog = course_rows(last, TODAY)[first:last]
    for attempt in range(3):
        async with factory() as session:
            repo = CourseRepository(session)
            ids = list((await repo.insert_many(catalog)).values())
            await session.flush()
            await _terms(repo, catalog)
            started = time.perf_counter()
            notices = await record_openings(session, ids, TODAY, NOW)
            timings.append(time.perf_counter() - started)
            if attempt == 0:
                started = time.perf_counter()
                forms = await known_forms(session, ids, TODAY)
                pairs = await session.scalar(select(func.count()).select_from(
                    matching(ids, TODAY, month_ends(TODAY), forms=forms).subquery()))
                print(f"{name}: select alone {time.perf_counter() - started:.3f}s, "
                      f"{pairs} pairs", file=sys.stderr)
                plan = await _plan(session, ids, name)
                told = await session.scalar(
                    select(func.count(MatchNotice.person_id.distinct()))
                )
                print(f"{name}: {notices} notices for {told} people", file=sys.stderr)
            await session.rollback()
    await engine.dispose()
    print(f"--- {name} plan of the matching SELECT ---\n{plan}", file=sys.stderr)
    return {"database": name, "entries": entries, "courses": new_courses,
            "notices": notices, "match_s": round(statistics.median(timings), 3),
            "runs_s": [round(t, 3) for t in timings], "goal_s": GOAL_SECONDS}


async def _terms(repo: CourseRepository, catalog: list[dict[str, Any]]) -> None:
    from services.catalog_import.importer import term_rows

    ids = await repo.get_by_codes(row["course_code"] for row in catalog)
    await repo.insert_terms(
        [term for row in catalog for term in term_rows(ids[row["course_code"]].id, row)]
    )


async def _plan(session: Any, ids: list[int], name: str) -> str:
    forms = await known_forms(session, ids, TODAY)
    statement = matching(ids, TODAY, month_ends(TODAY), forms=forms)
    compiled = statement.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    prefix = "EXPLAIN QUERY PLAN " if name == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
    rows = await session.execute(text(prefix + str(compiled)))
    return "\n".join(" | ".join(str(value) for value in row) for row in rows)


async def main() -> int:
    statement_timer.install_if_asked()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--database-url")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    results = []
    async with _databases(args) as urls:
        for name, url in urls:
            results.append(await _run(name, url, args.entries, args.courses))
    for result in results:
        print(json.dumps(result))
    return 0 if all(r["match_s"] <= GOAL_SECONDS for r in results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
