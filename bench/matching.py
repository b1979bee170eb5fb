"""Job-lead matching at country scale: 100,000 people, 1,000 open leads.

    python bench/matching.py [--people 100000] [--leads 1000] [--samples 5]
                             [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/x]
                             [--all]

Seeds a fresh database (SQLite temp file by default; `--database-url` a fresh database on that
PostgreSQL server, dropped afterwards; `--all` SQLite then PostgreSQL): people over the 31
provinces (30 % can move, 40 % want a daily digest, 5 % turned job leads off), one messenger
account each, one application each (70 % enrolled or completed) for a course of one of 17
fields in their province, and 1,000 open leads posted through JobLeadService (so the ledger
holds their matches). Then times, through the real services:

- match_one_lead_s: posting one new lead, i.e. the one INSERT … SELECT … ON CONFLICT DO
  NOTHING that records everyone it matches in the ledger, plus its commit (median of
  --samples new leads; goal < 1 s);
- daily_digests_s: the sweep at the digest hour turning every due notice (the day's digests and
  the instant ones) into outbox rows (MatchNoticeLedger.deliver_due in batches).

Prints the query plan's shape of the matching SELECT; the last line is one JSON object
{"match_one_lead_s", "daily_digests_s", "people", "leads", ...} (with "postgresql": {...} when
both run)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench`, `services` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench import statement_timer
from bench.backends import postgres_database
from services.counseling import load_counseling_data
from services.job_leads import JobLeadPolicy, JobLeadService, LeadDraft
from services.job_leads.model import SKILLED_STATUSES
from services.match_notices import DigestClock, MatchNoticeLedger, deliver_all_due
from services.provinces import PROVINCES
from services.staff_alerts import StaffChats
from storage.db import create_engine, create_session_factory, is_sqlite
from storage.migrate import upgrade_database_async
from storage.models import Application, Course, MatchNotice, MessengerAccount, OutboxMessage
from storage.models import Person as PersonRow
from storage.repositories.job_leads import matching_people

GOAL_SECONDS = 1.0
ZONE = "Asia/Tehran"
FIELDS = (
    "الکترونیک", "برق", "بهداشت و ایمنی", "تأسیسات", "خدمات آرایش و پیرایش", "خدمات آموزشی",
    "خودرو", "صنایع دستی", "صنایع غذایی", "صنایع پوشاک", "صنایع چوب", "فناوری اطلاعات",
    "ماشین‌ابزار", "متالورژی و جوشکاری", "مدیریت و بازرگانی", "کشاورزی", "گردشگری و هتلداری",
)
CHUNK = 5000


def _clock() -> DigestClock:
    return DigestClock.of(10, ZONE)


async def seed(factory: async_sessionmaker[AsyncSession], people: int, rng: random.Random) -> None:
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    courses = [
        {"course_code": f"B{p:02d}{f:02d}", "standard_code": "0000", "title_fa": field,
         "cluster_fa": field, "province": province, "city": province, "center_name": "مرکز",
         "center_type": "government", "start_date": today, "capacity": 30, "seats_taken": 0,
         "fee_rial": 0, "hamnava_coverage_pct": 0, "karafan": False, "dormitory": False,
         "delivery": "in_person", "search_text": field}
        for p, province in enumerate(PROVINCES) for f, field in enumerate(FIELDS)
    ]
    async with factory() as session:
        await session.execute(insert(Course), courses)
        await session.commit()
    for start in range(0, people, CHUNK):
        ids = range(start + 1, min(start + CHUNK, people) + 1)
        persons, accounts, apps = [], [], []
        for person_id in ids:
            p = rng.randrange(len(PROVINCES))
            persons.append({
                "id": person_id, "full_name": f"نفر {person_id}", "province": PROVINCES[p],
                "registered_at": now, "phone_verified": False,
                "news_opt_out": False, "job_leads_opt_out": rng.random() < 0.05,
                "job_leads_digest": rng.random() < 0.4, "can_move": rng.random() < 0.3,
            })
            accounts.append({"platform": "telegram", "user_id": 10**9 + person_id,
                             "chat_id": 10**9 + person_id, "person_id": person_id})
            apps.append({
                "person_id": person_id, "program": "hamnava", "program_version": "1",
                "status": rng.choice(("enrolled", "completed", "enrolled", "completed",
                                      "enrolled", "completed", "enrolled", "submitted",
                                      "submitted", "submitted")),
                "course_code": f"B{p:02d}{rng.randrange(len(FIELDS)):02d}",
                "province": PROVINCES[p], "answers": {},
            })
        async with factory() as session:
            await session.execute(insert(PersonRow), persons)
            await session.execute(insert(MessengerAccount), accounts)
            await session.execute(insert(Application), apps)
            await session.commit()


def _draft(rng: random.Random, n: int) -> LeadDraft:
    return LeadDraft(
        title=f"آگهی {n}", employer="کارفرما", province=rng.choice(PROVINCES), city=None,
        fields=tuple(rng.sample(FIELDS, rng.choice((1, 1, 2)))), wage_text=None,
        deadline=dt.date.today() + dt.timedelta(days=30), how_to_apply="تماس",
    )


async def analyze(factory: async_sessionmaker[AsyncSession], url: str) -> None:
    async with factory() as session:
        await session.execute(text("ANALYZE"))
        await session.commit()


async def plan(factory: async_sessionmaker[AsyncSession], url: str, service: JobLeadService) -> str:
    province = "تهران"
    query = matching_people(province, FIELDS[:2], service.neighbours_of(province),
                            SKILLED_STATUSES)
    async with factory() as session:
        dialect = session.get_bind().dialect
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        if is_sqlite(url):
            rows = await session.execute(text("EXPLAIN QUERY PLAN " + sql))
            return "\n".join("  " + str(row[-1]) for row in rows)
        rows = await session.execute(text("EXPLAIN " + sql))
        return "\n".join("  " + str(row[0]) for row in rows)


async def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(12)
    await upgrade_database_async(url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    try:
        clock = _clock()
        service = JobLeadService(
            factory, clock=clock, staff_chats=StaffChats({}, digest_after=0),
            neighbours=load_counseling_data().neighbours, timezone=ZONE,
        )
        ledger = MatchNoticeLedger(clock)
        ledger.register(JobLeadPolicy(ZONE))
        started = time.perf_counter()
        await seed(factory, args.people, rng)
        await analyze(factory, url)
        seeded = time.perf_counter() - started
        # The open leads, posted as an administrator would (each recording its matches).
        started = time.perf_counter()
        now = dt.datetime.now(dt.UTC)
        async with factory() as session:
            for n in range(args.leads):
                await service.post_in(session, _draft(rng, n), "bench", now)
            await session.commit()
        posting = time.perf_counter() - started
        await analyze(factory, url)
        async with factory() as session:
            notices = int(await session.scalar(select(MatchNotice.id).order_by(
                MatchNotice.id.desc()).limit(1)) or 0)
        print(f"  seeded {args.people} people in {seeded:.1f} s; {args.leads} leads posted in "
              f"{posting:.1f} s; ledger rows: {notices}", flush=True)
        print("  query plan of the matching SELECT:\n" + await plan(factory, url, service),
              flush=True)

        timings, matched = [], []
        for n in range(args.samples):
            draft = _draft(rng, args.leads + n)
            async with factory() as session:
                t0 = time.perf_counter()
                posted = await service.post_in(session, draft, "bench", dt.datetime.now(dt.UTC))
                await session.commit()
                timings.append(time.perf_counter() - t0)
                matched.append(posted.matched)
        match_one = statistics.median(timings)
        verdict = "meets" if match_one < GOAL_SECONDS else "misses"
        print(f"  match one new lead: median {match_one * 1000:.0f} ms over {args.samples} "
              f"(max {max(timings) * 1000:.0f} ms), people matched per lead: median "
              f"{statistics.median(matched):.0f}  [{verdict} the goal < {GOAL_SECONDS:.0f} s]",
              flush=True)

        at_digest = clock.next_after(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
        t0 = time.perf_counter()
        done = await deliver_all_due(factory, ledger, at_digest)
        digests = time.perf_counter() - t0
        async with factory() as session:
            outbox = int(await session.scalar(select(OutboxMessage.id).order_by(
                OutboxMessage.id.desc()).limit(1)) or 0)
        print(f"  one day's digests: {digests:.2f} s for {done.notices_sent} notices to "
              f"{len(done.persons)} people ({done.messages} outbox rows; {outbox} in the outbox)",
              flush=True)
        return {
            "match_one_lead_s": round(match_one, 4), "daily_digests_s": round(digests, 3),
            "people": args.people, "leads": args.leads, "notices": done.notices_sent,
            "digest_recipients": len(done.persons), "matched_per_lead": statistics.median(matched),
        }
    finally:
        await engine.dispose()


@asynccontextmanager
async def sqlite_url() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="maharatyar-matching-") as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"


async def main(args: argparse.Namespace) -> dict[str, Any]:
    statement_timer.install_if_asked()
    result: dict[str, Any] = {}
    if args.all or not args.database_url:
        print("SQLite", flush=True)
        async with sqlite_url() as url:
            result = {"backend": "sqlite", **await run(url, args)}
    if args.database_url:
        print("PostgreSQL", flush=True)
        async with postgres_database(args.database_url) as url:
            figures = {"backend": "postgresql", **await run(url, args)}
        result = {**result, "postgresql": figures} if result else figures
    return result


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server URL (a fresh database is made on it)")
    parser.add_argument("--all", action="store_true", help="SQLite, then PostgreSQL")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse())), ensure_ascii=False))
