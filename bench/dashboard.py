"""How long each dashboard page takes with 100,000 applications.

    python -m bench.dashboard                       # SQLite
    python -m bench.dashboard --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
    python -m bench.dashboard --applications 20000  # a smaller run

Fills a throw-away database (people with accounts, applications across statuses, provinces,
programs and centres, their papers, tickets), signs an administrator in, and asks each page
through the real FastAPI app several times; prints the median and worst render time per page
(the budget is 300 ms)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import insert

from api import create_app
from bench.backends import postgres_database, sqlite_backend
from bot.config import Settings
from services.container import build_services
from services.dashboard.keeper import FiguresKeeper
from services.provinces import PROVINCES
from storage.db import create_engine, create_session_factory
from storage.models import (
    Application,
    ApplicationDocument,
    Certificate,
    Course,
    ExamAnswer,
    ExamResult,
    ExamSession,
    MessengerAccount,
    Person,
    Ticket,
)

BUDGET_MS = 300.0
STATUSES = ("submitted", "under_review", "needs_documents", "approved", "rejected", "enrolled",
            "completed", "withdrawn", "draft")
PAPERS = ("national_card", "birth_certificate", "education_certificate", "photo")
CENTRES = 200
BATCH = 5000


@asynccontextmanager
async def database(postgres: str | None) -> AsyncIterator[str]:
    if postgres:
        async with postgres_database(postgres) as url:
            yield url
    else:
        async with sqlite_backend() as backend:
            yield backend.database_url


async def fill(url: str, applications: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    engine = create_engine(url)
    now = dt.datetime.now(dt.UTC)
    provinces = PROVINCES[:31]
    async with engine.begin() as connection:
        await connection.execute(insert(Course), [
            {"course_code": f"B{n}", "standard_code": "1", "title_fa": "دوره", "cluster_fa": "خوشه",
             "province": provinces[n % len(provinces)], "city": "شهر",
             "center_name": f"مرکز {n}", "center_type": "private", "start_date": now.date(),
             "capacity": 30, "seats_taken": 0, "fee_rial": 1, "hamnava_coverage_pct": 0,
             "karafan": False, "dormitory": False, "delivery": "in_person", "search_text": ""}
            for n in range(CENTRES)
        ])
        # Each course: a written exam 20 days ago and a practical one 10 days ago (ids 2n+1,
        # 2n+2), so the overview's exam figures and the centres' exam columns have rows.
        await connection.execute(insert(ExamSession), [
            {"id": 2 * n + 1 + step, "course_code": f"B{n}",
             "province": provinces[n % len(provinces)], "kind": kind,
             "starts_at": now - dt.timedelta(days=days), "place": "سالن", "capacity": 500,
             "state": "scheduled", "version": 1, "created_by": "import",
             "created_at": now, "updated_at": now}
            for n in range(CENTRES)
            for step, (kind, days) in enumerate((("written", 20), ("practical", 10)))
        ])
        for start in range(0, applications, BATCH):
            ids = range(start + 1, min(start + BATCH, applications) + 1)
            people: list[dict[str, Any]] = []
            accounts: list[dict[str, Any]] = []
            apps: list[dict[str, Any]] = []
            papers: list[dict[str, Any]] = []
            tickets: list[dict[str, Any]] = []
            answers: list[dict[str, Any]] = []
            results: list[dict[str, Any]] = []
            certificates: list[dict[str, Any]] = []
            for n in ids:
                province = provinces[rng.randrange(len(provinces))]
                registered = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 120))
                people.append({"id": n, "province": province, "registered_at": registered,
                               "phone_verified": True, "news_opt_out": False,
                               "relief_client": rng.random() < 0.5, "created_at": registered,
                               "updated_at": registered})
                accounts.append({"platform": rng.choice(("telegram", "bale")), "user_id": n,
                                 "chat_id": n, "person_id": n, "created_at": registered,
                                 "updated_at": registered})
                status = rng.choice(STATUSES)
                submitted = registered + dt.timedelta(hours=1)
                decided = (submitted + dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 10))
                           if status in ("approved", "rejected", "enrolled", "completed") else None)
                apps.append({"id": n, "person_id": n, "program": rng.choice(("hamnava", "karafan")),
                             "program_version": "1", "status": status,
                             "course_code": f"B{rng.randrange(CENTRES)}", "answers": {},
                             "tracking_code": None if status == "draft" else f"BEN-{n:09d}",
                             "province": province,
                             "submitted_at": None if status == "draft" else submitted,
                             "decided_at": decided, "created_at": registered,
                             "updated_at": decided or submitted})
                for kind in PAPERS:
                    if rng.random() < 0.8:
                        papers.append({"application_id": n, "kind": kind,
                                       "store_key": f"{n:032d}{kind[:8]:>32}",
                                       "state": rng.choice(("accepted", "accepted", "received")),
                                       "created_at": submitted})
                if status in ("enrolled", "completed"):
                    course = int(apps[-1]["course_code"][1:])
                    written, practical = 2 * course + 1, 2 * course + 2
                    answers.append({"session_id": written, "person_id": n, "answer": "attend",
                                    "attended": rng.random() < 0.8})
                    results.append({"session_id": written, "person_id": n, "application_id": n,
                                    "kind": "written", "passed": rng.random() < 0.7,
                                    "recorded_by": "bench", "recorded_at": now})
                    if status == "completed":
                        results.append({"session_id": practical, "person_id": n,
                                        "application_id": n, "kind": "practical",
                                        "passed": True, "recorded_by": "bench",
                                        "recorded_at": now})
                        certificates.append({"number": f"BEN-C-{n}", "issued_on": now.date(),
                                             "person_id": n, "application_id": n,
                                             "course_code": f"B{course}", "standard_code": "1",
                                             "title": "دوره", "issued_by": "bench",
                                             "created_at": now})
                if rng.random() < 0.1:
                    tickets.append({"person_id": n, "topic": "other", "context": {},
                                    "status": "open", "province": province, "opened_at": submitted,
                                    "first_response_at": submitted + dt.timedelta(minutes=30)
                                    if rng.random() < 0.7 else None,
                                    "closed_at": None if rng.random() < 0.5 else now})
            await connection.execute(insert(Person), people)
            await connection.execute(insert(MessengerAccount), accounts)
            await connection.execute(insert(Application), apps)
            await connection.execute(insert(ApplicationDocument), papers)
            if tickets:
                await connection.execute(insert(Ticket), tickets)
            for model, rows in ((ExamAnswer, answers), (ExamResult, results),
                                (Certificate, certificates)):
                if rows:
                    await connection.execute(insert(model), rows)
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            await connection.exec_driver_sql("COMMIT")
            await connection.exec_driver_sql("ANALYZE")
    else:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE")
    await engine.dispose()


PAGES = (
    "/dashboard",
    "/dashboard?province=تهران",
    "/dashboard/provinces",
    "/dashboard/centres",
    "/dashboard/centres/files?centre=مرکز 1&centre_province=" + PROVINCES[1],
    "/dashboard/queue",
    "/dashboard/broadcasts",
)


async def measure(
    url: str, rounds: int, fresh_seconds: float, *, keeper: bool = False
) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="maharatyar-bench-") as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url, document_dir=Path(folder) / "documents",
            dashboard_secret=SecretStr("bench-only-secret-0123456789"),
            dashboard_fresh_seconds=fresh_seconds,
        )
        engine = create_engine(url)
        sessions = create_session_factory(engine)
        services = build_services(settings, sessions)
        await services.staff_service.grant_admins([("telegram", 1)])
        token = await services.dashboard_access.issue_link_token("telegram", 1)
        transport = httpx.ASGITransport(app=create_app(services, sessions))
        times: dict[str, list[float]] = {page: [] for page in PAGES}
        if keeper:
            # As after a start with the keeper running: its first pass (the national figures,
            # a few seconds after the start) is done before the first viewer comes.
            await FiguresKeeper(services.dashboard_figures, services.dashboard_tables,
                                fresh_seconds=fresh_seconds).pass_once()
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            assert (await http.get("/dashboard/login", params={"token": token})).status_code == 200
            for _ in range(rounds):
                for page in PAGES:
                    started = time.perf_counter()
                    answer = await http.get(page)
                    times[page].append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200, (page, answer.status_code)
        await engine.dispose()
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a database is made there)")
    args = parser.parse_args()
    async with database(args.postgres) as url:
        started = time.perf_counter()
        await fill(url, args.applications)
        print(f"{'PostgreSQL' if args.postgres else 'SQLite'}: {args.applications:,} applications "
              f"filled in {time.perf_counter() - started:.0f} s")
        for fresh, label in ((0.0, "every figure from the database (DASHBOARD_FRESH_SECONDS=0)"),
                             (60.0, "figures kept a minute (the default)")):
            report(label, await measure(url, args.rounds, fresh))
        report("figures kept a minute and kept warm by the API's keeper (first pass done)",
               await measure(url, args.rounds, 60.0, keeper=True))


def report(label: str, times: dict[str, list[float]]) -> None:
    print(label)
    worst_page = 0.0
    for page, values in times.items():
        # The first round warms caches (templates, statements): reported, not counted.
        steady = values[1:] or values
        worst_page = max(worst_page, max(steady))
        print(f"  {page:<60} median {statistics.median(steady):7.1f} ms   "
              f"worst {max(steady):7.1f} ms   first {values[0]:7.1f} ms")
    verdict = "within" if worst_page < BUDGET_MS else "OVER"
    print(f"  slowest steady render {worst_page:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    asyncio.run(main())
