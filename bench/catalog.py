"""Course browsing on a small and a large catalog: does the work grow with the catalog?

    python bench/catalog.py [--sizes 1000,100000] [--samples N] [--database-url URL] [--all]
                            [--redis-url URL] [--no-tap]

Generates a catalog of each size (realistic titles, fields and centers over all 31 provinces,
written in bulk like the importer writes, then ANALYZEd), and times through CatalogService, in
one run with the sizes interleaved: the default list page of a province, a filtered page and a
title search (median and p99 of each, and the large/small ratio; goal: within 3x). Then a
list-page tap (Next/Previous) and a typed search through the real dispatcher on each catalog,
against the bare aiogram echo bot and the framework floors of bench/updates.py (bench/floors.py)
measured in the same rounds; goal: tap and search >= 0.5x the aiogram-dialog floor on the same
storage. The last line is one JSON object. `--profile` adds a table of time per layer per kind.

Databases: SQLite temp files by default; `--database-url postgresql+asyncpg://...` runs on
PostgreSQL instead (a fresh database per size is created on that server and dropped at the
end); `--all` runs SQLite and then PostgreSQL (URL from --database-url or BENCH_DATABASE_URL).
The tap on PostgreSQL keeps conversation state in Redis when --redis-url is given, else in the
database."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench`, `bot` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import make_url

from bench.backends import Backend, postgres_database
from bench.catalog_data import Catalog, generate_catalog, standards
from bench.catalog_scenarios import CourseListTap, CourseSearch
from bench.floors import floors
from bench.scenarios import Baseline, Kind, Rig, SqlCounter, bench_bot_id, build_bench_app
from bench.updates import Results, close_floors, link_floors, measure, profile_kind
from bot.app import Maharatyar
from services.catalog import CatalogService, CourseFilter
from services.jalali import today_in
from services.provinces import PROVINCES
from storage.db import create_engine, create_session_factory, is_sqlite
from storage.migrate import upgrade_database_async

GOAL_RATIO = 3.0  # large-catalog figures within 3x the small catalog's
TODAY = today_in("Asia/Tehran")  # the app's "today" too, so its lists show the same courses

# (service, call number, the small catalog): each call asks something else.
Operation = Callable[[CatalogService, int, Catalog], Awaitable[object]]
# A fresh, migrated database per catalog size; its URL.
DatabaseOpener = Callable[[], AbstractAsyncContextManager[str]]


def _titles() -> list[str]:
    return [title for title, _, _ in standards()]


def _clusters() -> list[str]:
    return sorted({cluster for _, _, cluster in standards()})


async def default_page(service: CatalogService, i: int, _small: Catalog) -> object:
    return await service.list_page(CourseFilter(province=PROVINCES[i % 31]), 0, TODAY)


async def filtered_page(service: CatalogService, i: int, _small: Catalog) -> object:
    clusters = _clusters()
    flt = CourseFilter(
        province=PROVINCES[i % 31],
        cluster=clusters[i % len(clusters)],
        hamnava_only=True,
        starts_within_months=6,
    )
    return await service.list_page(flt, 0, TODAY)


async def title_search(service: CatalogService, i: int, small: Catalog) -> object:
    # A title that the province has open courses of in both catalogs (the large one is a
    # superset): a search that finds nothing would be cheap on the small one only.
    province = PROVINCES[i % 31]
    titles = small.titles_by_province[province] or _titles()
    flt = CourseFilter(province=province, query=titles[(i // 31) % len(titles)])
    return await service.list_page(flt, 0, TODAY)


async def search_all_provinces(service: CatalogService, i: int, _small: Catalog) -> object:
    titles = _titles()
    return await service.list_page(CourseFilter(query=titles[i % len(titles)]), 0, TODAY)


async def fifth_page(service: CatalogService, i: int, _small: Catalog) -> object:
    return await service.list_page(CourseFilter(province=PROVINCES[i % 31]), 4, TODAY)


async def course_card(service: CatalogService, i: int, small: Catalog) -> object:
    return await service.card(f"B{(i * 7919) % small.count:07d}", TODAY)


# (name, operation, judged against the goal)
OPERATIONS: list[tuple[str, Operation, bool]] = [
    ("default list page (province)", default_page, True),
    ("filtered page (field+Hamnava+6 months)", filtered_page, True),
    ("title search (province)", title_search, True),
    ("title search (all provinces)", search_all_provinces, False),
    ("5th page of a province list", fifth_page, False),
    ("course card", course_card, False),
]


@dataclass
class Timings:
    seconds: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    statements: dict[tuple[str, int], int] = field(default_factory=dict)

    def add(self, name: str, size: int, spent: float, statements: int) -> None:
        self.seconds.setdefault((name, size), []).append(spent)
        self.statements[(name, size)] = self.statements.get((name, size), 0) + statements

    def median(self, name: str, size: int) -> float:
        return statistics.median(self.seconds[(name, size)])

    def p99(self, name: str, size: int) -> float:
        return statistics.quantiles(self.seconds[(name, size)], n=100, method="inclusive")[98]

    def sql(self, name: str, size: int) -> float:
        return self.statements[(name, size)] / len(self.seconds[(name, size)])


@dataclass
class SizedCatalog:
    catalog: Catalog
    url: str
    service: CatalogService
    sql: SqlCounter


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def service_table(backend: str, timings: Timings, sizes: list[SizedCatalog], samples: int) -> str:
    small, large = sizes[0].catalog, sizes[-1].catalog
    lines = [
        f"{backend}: CatalogService, catalogs of {small.count:,} and {large.count:,} courses, "
        f"{samples} calls each, sizes interleaved; times in ms",
        f"{'operation':<40} {'small med':>9} {'p99':>7} {'large med':>9} {'p99':>7} "
        f"{'ratio med':>9} {'p99':>6} {'SQL':>4}  goal",
    ]
    for name, _, judged in OPERATIONS:
        med_ratio = timings.median(name, large.count) / timings.median(name, small.count)
        p99_ratio = timings.p99(name, large.count) / timings.p99(name, small.count)
        verdict = ""
        if judged:
            ok = med_ratio <= GOAL_RATIO and p99_ratio <= GOAL_RATIO
            verdict = f"<={GOAL_RATIO:g}x " + ("ok" if ok else "MISSED")
        lines.append(
            f"{name:<40} {_ms(timings.median(name, small.count)):>9} "
            f"{_ms(timings.p99(name, small.count)):>7} "
            f"{_ms(timings.median(name, large.count)):>9} "
            f"{_ms(timings.p99(name, large.count)):>7} "
            f"{med_ratio:>9.2f} {p99_ratio:>6.2f} {timings.sql(name, large.count):>4.1f}  {verdict}"
        )
    return "\n".join(lines)


async def time_service(sizes: list[SizedCatalog], samples: int, warmup: int) -> Timings:
    timings = Timings()
    for _name, operation, _ in OPERATIONS:
        for sized in sizes:  # connections, prepared statements, page cache
            for i in range(warmup):
                await operation(sized.service, i, sizes[0].catalog)
    for i in range(samples):
        # Interleaved, so that a noisy neighbour slows every size alike.
        for name, operation, _ in OPERATIONS:
            for sized in sizes:
                before = sized.sql.statements
                started = time.perf_counter()
                await operation(sized.service, i, sizes[0].catalog)
                spent = time.perf_counter() - started
                timings.add(name, sized.catalog.count, spent, sized.sql.statements - before)
    return timings


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="maharatyar-bench-catalog-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'catalog.db'}"
        await upgrade_database_async(url)
        yield url


async def time_taps(
    backend_name: str, sizes: list[SizedCatalog], redis_url: str | None, args: argparse.Namespace
) -> tuple[Results, list[Kind], str]:
    rig = Rig.create(bench_bot_id())
    apps: list[Maharatyar] = []
    kinds: list[Kind] = [Baseline(rig, rig.new_users(args.users))]
    try:
        for sized in sizes:
            backend = Backend(backend_name, sized.url, redis_url)
            app = await build_bench_app(rig, backend)
            if not apps:  # the floors on this storage, on the small catalog's database
                kinds.extend(floors(rig, app, args.users, backend.short))
            apps.append(app)
            count = sized.catalog.count
            kinds.append(CourseListTap(rig, app, rig.new_users(args.users), count))
            kinds.append(CourseSearch(rig, app, rig.new_users(args.users), count,
                                      titles=sizes[0].catalog.titles_by_province))
        results = Results(backend_name, args.updates, args.rounds)
        await measure(kinds, results, args)
        link_floors(results, kinds)
        results.rates = {kind.name: results.rates[kind.name] for kind in kinds}
        profile = ""
        if args.profile:
            for kind in kinds[1:]:
                profile += "\n" + await profile_kind(kind, max(args.updates, 200))
        return results, kinds, profile
    finally:
        await close_floors(kinds)
        for app in apps:
            await app.close()


def tap_footer(results: Results, kinds: list[Kind]) -> str:
    taps = [kind for kind in kinds if type(kind) is CourseListTap]
    small, large = taps[0], taps[-1]
    # Rates are taps per second: the small catalog's rate over the large one's is the slowdown.
    slow = results.median(small.name) / results.median(large.name)
    return (
        f"list tap: the {large.courses:,}-course catalog takes {slow:.2f}x the time of "
        f"the {small.courses:,}-course one (goal <={GOAL_RATIO:g}x: "
        f"{'ok' if slow <= GOAL_RATIO else 'MISSED'})"
    )


async def bench_backend(
    name: str, open_database: DatabaseOpener, args: argparse.Namespace, redis_url: str | None
) -> dict[str, object]:
    async with AsyncExitStack() as stack:
        sizes: list[SizedCatalog] = []
        for count in args.sizes:
            url = await stack.enter_async_context(open_database())
            engine = create_engine(url)
            stack.push_async_callback(engine.dispose)
            sql = SqlCounter()
            catalog = await generate_catalog(engine, count, TODAY)
            print(
                f"{name}: generated {count:,} courses ({catalog.terms:,} search terms) "
                f"in {catalog.seconds:.1f} s",
                flush=True,
            )
            sql.attach(engine)
            service = CatalogService(create_session_factory(engine))
            sizes.append(SizedCatalog(catalog, url, service, sql))
        timings = await time_service(sizes, args.samples, args.warmup_calls)
        print(service_table(name, timings, sizes, args.samples), flush=True)
        summary: dict[str, object] = {"service_ms": service_summary(timings, sizes)}
        if not args.no_tap:
            results, kinds, profile = await time_taps(name, sizes, redis_url, args)
            print(results.table(), flush=True)
            print(tap_footer(results, kinds), flush=True)
            if profile:
                print(profile, flush=True)
            summary["kinds"] = results.summary()
        print(flush=True)
        return summary


def service_summary(timings: Timings, sizes: list[SizedCatalog]) -> dict[str, object]:
    return {
        name: {f"{sized.catalog.count}": round(timings.median(name, sized.catalog.count) * 1000, 3)
               for sized in sizes}
        for name, _, _ in OPERATIONS
    }  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000",
                        help="catalog sizes, smallest first (comma separated)")
    parser.add_argument("--samples", type=int, default=300, help="timed calls per operation")
    parser.add_argument("--warmup-calls", type=int, default=20)
    parser.add_argument("--database-url", default=None,
                        help="postgresql+asyncpg://... server for fresh databases (or sqlite)")
    parser.add_argument("--all", action="store_true", help="SQLite, then PostgreSQL")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"),
                        help="Redis for the tap's conversation state on PostgreSQL")
    parser.add_argument("--no-tap", action="store_true", help="skip the dispatcher tap")
    parser.add_argument("--profile", action="store_true",
                        help="after the rounds, time per layer for each kind (bench/layers.py)")
    # The tap's rounds, as in bench/updates.py.
    parser.add_argument("--updates", type=int, default=30, help="taps per kind per round")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--users", type=int, default=10)
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",")]
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 1000,100000")
    if len(args.sizes) < 2 or sorted(args.sizes) != args.sizes or args.sizes[0] < 100:
        parser.error("--sizes needs at least two sizes, smallest first, each >= 100")
    if args.sizes[0] < 1000 and not args.no_tap:
        parser.error("the tap pages through a province's list: sizes >= 1000, or --no-tap")
    if args.samples < 10:
        parser.error("--samples must be at least 10")
    if args.all and not (args.database_url or os.environ.get("BENCH_DATABASE_URL")):
        parser.error("--all needs a PostgreSQL URL (--database-url or BENCH_DATABASE_URL)")
    return args


async def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    postgres_url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    runs: list[tuple[str, DatabaseOpener, str | None]] = []
    if args.all or not args.database_url or is_sqlite(args.database_url):
        runs.append(("SQLite", sqlite_database, None))
    if postgres_url and (args.all or args.database_url) and not is_sqlite(postgres_url):
        server = make_url(postgres_url).render_as_string(hide_password=False)
        name = "PostgreSQL" + (" + Redis" if args.redis_url else "")
        runs.append((name, lambda: postgres_database(server), args.redis_url))
    print(f"today {TODAY.isoformat()}; machine noise matters less than the ratios", flush=True)
    storages: dict[str, object] = {}
    for name, opener, redis_url in runs:
        storages[name] = await bench_backend(name, opener, args, redis_url)
    print(json.dumps({"bench": "catalog", "storages": storages}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
