"""The HTTP API with 100,000 applications: a list page, one application by tracking code and
status transitions, each against a bare FastAPI "hello" route served the same way in the same run.

    python bench/api.py [--applications 100000] [--requests 2000] [--transitions 1000]
                        [--concurrency 4] [--database-url postgresql+asyncpg://...]

Each database: a fresh one (a SQLite temp file; with --database-url or BENCH_DATABASE_URL also a
new PostgreSQL database on that server, dropped at the end), migrated, the sample catalog
imported and N persons with a submitted application each (and its submission event) written in
bulk, then ANALYZEd. The API and the bare app are each served by real uvicorn in a process of
their own on loopback (same settings: one worker, no access log), and driven by an httpx client
with `--concurrency` requests in flight. Reported per operation: requests per second, the ratio
to the bare route's rate (measured before and after the API's operations; their mean), p50 and
p99 latency in ms. Goal (issue 13): list page >= 0.3x the bare route, p99 < 20 ms.

The last line is one JSON object: {database: {operation: {rate, ratio, p50_ms, p99_ms}}}."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench`, `api` ... importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import insert, text

THIS_FILE = Path(__file__).resolve()
ROOT = THIS_FILE.parent.parent
PROGRAM = "hamnava"
GOAL_LIST_RATIO, GOAL_P99_MS = 0.3, 20.0


# -- the servers (child processes) ------------------------------------------------------------


def _serve_hello(port: int) -> None:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    _uvicorn(app, port)


def _serve_api(database_url: str, port: int, folder: str) -> None:
    from api import create_app
    from bot.config import Settings
    from services.container import build_services
    from storage.db import create_engine, create_session_factory

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url, document_dir=Path(folder) / "documents",
        document_key_file=Path(folder) / "document.key", quiet_hours="",
    )
    sessions = create_session_factory(create_engine(database_url))
    _uvicorn(create_app(build_services(settings, sessions), sessions), port)


def _uvicorn(app: Any, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                lifespan="off", server_header=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def served(args: list[str], ready_path: str) -> AsyncIterator[str]:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(THIS_FILE), *args, "--port", str(port), cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(ready_path)).status_code < 500:
                        break
                if process.returncode is not None:
                    raise RuntimeError(f"the server {args[0]} ended at start")
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"the server {args[0]} did not start")
        yield base
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)


# -- the data ---------------------------------------------------------------------------------


@dataclass
class Seeded:
    key: str
    codes: list[str]
    first_id: int
    last_id: int


async def seed(database_url: str, count: int, folder: Path) -> Seeded:
    from services.api_clients import SCOPES, ApiClientService
    from services.catalog_import import import_courses
    from services.provinces import PROVINCES
    from storage.db import create_engine, create_session_factory
    from storage.models import Application, ApplicationEvent, Person

    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        await import_courses(sessions, ROOT / "data" / "sample_courses.csv")
        async with sessions() as session:
            rows = await session.execute(text("SELECT course_code FROM courses"))
            courses = [row[0] for row in rows]
        now = dt.datetime.now(dt.UTC)
        rng = random.Random(13)
        codes = [f"HMN-1405-{n:06d}" for n in range(1, count + 1)]
        chunk = 5000
        async with sessions() as session:
            for start in range(0, count, chunk):
                numbers = range(start, min(start + chunk, count))
                people = [{
                    "national_code": f"{n:010d}", "phone": f"0912{n:07d}", "phone_verified": True,
                    "full_name": "زهرا احمدی", "province": PROVINCES[n % len(PROVINCES)],
                    "city": "مرکز", "gender": "female", "education": "diploma",
                    "relief_client": n % 2 == 0, "decile": 1 + n % 4, "news_opt_out": False,
                    "created_at": now, "updated_at": now, "registered_at": now,
                } for n in numbers]
                person_ids = (await session.execute(
                    insert(Person).returning(Person.id), people
                )).scalars().all()
                apps = [{
                    "person_id": person_id, "program": PROGRAM, "program_version": "1",
                    "status": "submitted", "course_code": rng.choice(courses),
                    "answers": {"motivation": "یادگیری مهارت برای کار"},
                    "tracking_code": codes[n], "province": people[i]["province"],
                    "submitted_at": now, "created_at": now, "updated_at": now,
                } for i, (n, person_id) in enumerate(zip(numbers, person_ids, strict=True))]
                app_ids = (await session.execute(
                    insert(Application).returning(Application.id), apps
                )).scalars().all()
                await session.execute(insert(ApplicationEvent), [{
                    "application_id": app_id, "from_status": "draft", "to_status": "submitted",
                    "actor_kind": "person", "actor_ref": str(person_id), "at": now,
                } for app_id, person_id in zip(app_ids, person_ids, strict=True)])
            await session.commit()
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("ANALYZE"))
        async with sessions() as session:
            first, last = (await session.execute(
                text("SELECT min(id), max(id) FROM applications")
            )).one()
        _, key = await ApiClientService(sessions).create(
            "bench", sorted(SCOPES), (), rate_limit_per_minute=10_000_000
        )
        return Seeded(key, codes, int(first), int(last))
    finally:
        await engine.dispose()


# -- the load ---------------------------------------------------------------------------------


@dataclass
class Figures:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def drive(base: str, request: Request, count: int, concurrency: int,
                headers: dict[str, str] | None = None, ok: frozenset[int] = frozenset({200})
                ) -> Figures:
    latencies: list[float] = []
    errors = 0
    next_number = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as client:
        for n in range(min(50, count)):  # warm the connections and the server's caches
            await request(client, count + n)

        async def worker() -> None:
            nonlocal next_number, errors
            while next_number < count:
                number = next_number
                next_number += 1
                started = time.perf_counter()
                answer = await request(client, number)
                latencies.append(time.perf_counter() - started)
                if answer.status_code not in ok:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    latencies.sort()
    return Figures(
        rate=count / wall, p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        errors=errors,
    )


async def bench_database(name: str, database_url: str, args: argparse.Namespace,
                         folder: Path) -> dict[str, dict[str, float]]:
    from api.http import encode_cursor

    started = time.perf_counter()
    data = await seed(database_url, args.applications, folder)
    print(f"[{name}] {args.applications:,} applications written in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    auth = {"Authorization": f"Bearer {data.key}"}
    rng = random.Random(7)
    span = data.last_id - data.first_id

    async def hello(client: httpx.AsyncClient, _n: int) -> httpx.Response:
        return await client.get("/hello")

    async def list_page(client: httpx.AsyncClient, _n: int) -> httpx.Response:
        after = data.first_id + rng.randrange(0, max(1, span - 100))
        return await client.get("/v1/applications",
                                params={"limit": 50, "cursor": encode_cursor(after)})

    async def one(client: httpx.AsyncClient, _n: int) -> httpx.Response:
        return await client.get(f"/v1/applications/{rng.choice(data.codes)}")

    order = list(range(len(data.codes)))
    rng.shuffle(order)

    async def transition(client: httpx.AsyncClient, n: int) -> httpx.Response:
        code = data.codes[order[n]]  # each application once: submitted -> under_review
        return await client.post(f"/v1/applications/{code}/transitions",
                                 json={"to": "under_review"},
                                 headers={"Idempotency-Key": f"bench-{n}"})

    c = args.concurrency
    async with served(["--serve-hello"], "/hello") as hello_base:
        bare_before = await drive(hello_base, hello, args.requests, c)
        async with served(["--serve-api", database_url, "--folder", str(folder)],
                          "/healthz") as api_base:
            results = {
                "list_page": await drive(api_base, list_page, args.requests, c, auth),
                "by_code": await drive(api_base, one, args.requests, c, auth),
                "transition": await drive(api_base, transition, args.transitions, c, auth),
            }
        bare_after = await drive(hello_base, hello, args.requests, c)
    bare_rate = (bare_before.rate + bare_after.rate) / 2
    report: dict[str, dict[str, float]] = {"bare_hello": {
        "rate": round(bare_rate, 1), "ratio": 1.0,
        "p50_ms": round((bare_before.p50_ms + bare_after.p50_ms) / 2, 2),
        "p99_ms": round((bare_before.p99_ms + bare_after.p99_ms) / 2, 2),
    }}
    for operation, figures in results.items():
        if figures.errors:
            print(f"[{name}] {operation}: {figures.errors} answers were not 200", flush=True)
        report[operation] = {
            "rate": round(figures.rate, 1), "ratio": round(figures.rate / bare_rate, 3),
            "p50_ms": round(figures.p50_ms, 2), "p99_ms": round(figures.p99_ms, 2),
        }
    for operation, row in report.items():
        print(f"[{name}] {operation:<11} {row['rate']:>8.1f}/s  x{row['ratio']:.3f}  "
              f"p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms", flush=True)
    list_ok = report["list_page"]["ratio"] >= GOAL_LIST_RATIO
    p99_ok = all(report[op]["p99_ms"] < GOAL_P99_MS for op in results)
    print(f"[{name}] goal: list page >= {GOAL_LIST_RATIO}x bare "
          f"{'met' if list_ok else 'NOT met'}; p99 < {GOAL_P99_MS:g} ms "
          f"{'met' if p99_ok else 'NOT met'}", flush=True)
    return report


async def main(args: argparse.Namespace) -> None:
    from bench.backends import postgres_database
    from storage.migrate import upgrade_database_async

    reports: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="maharatyar-bench-api-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade_database_async(url)
        reports["sqlite"] = await bench_database("SQLite", url, args, Path(folder))
    server_url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    if server_url:
        with tempfile.TemporaryDirectory(prefix="maharatyar-bench-api-") as folder:
            async with postgres_database(server_url) as pg_url:
                reports["postgresql"] = await bench_database(
                    "PostgreSQL", pg_url, args, Path(folder)
                )
    print(json.dumps(reports, separators=(",", ":")))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--transitions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--database-url", help="a PostgreSQL server to run on as well")
    # The children: one server each.
    parser.add_argument("--serve-hello", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-api", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse()
    if arguments.serve_hello:
        _serve_hello(arguments.port)
    elif arguments.serve_api:
        _serve_api(arguments.serve_api, arguments.port, arguments.folder)
    else:
        asyncio.run(main(arguments))
