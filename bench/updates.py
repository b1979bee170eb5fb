"""Update throughput of Maharatyar against a bare aiogram echo bot, in process (no HTTP).

    python bench/updates.py [--updates N] [--rounds R] [--database-url URL] [--redis-url URL]
                            [--webhook] [--profile]

Kinds are run in interleaved rounds and the median of the rounds is printed, because a shared
machine is noisy. Only `Dispatcher.feed_update` is on the clock. With a PostgreSQL URL and a
Redis URL (options, or BENCH_DATABASE_URL / BENCH_REDIS_URL) the same table is printed for
PostgreSQL + Redis after the SQLite one. Updates are fed as long polling delivers them;
`--webhook` feeds them as the webhook handler does, with its check for repeated updates.
`--profile` adds cProfile listings of the app kinds."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench`, `bot` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.backends import Backend, postgres_backend, sqlite_backend
from bench.scenarios import (
    Baseline,
    Kind,
    MenuTap,
    RegistrationStep,
    Rig,
    bench_bot_id,
    build_bench_app,
)

# Goals, as a fraction of the bare echo bot's rate.
GOALS = {MenuTap.name: 0.5, RegistrationStep.name: 0.35}
BACK_KIND = "registration Back button (callback)"


@dataclass
class Results:
    backend: str
    updates: int
    rounds: int
    rates: dict[str, list[float]] = field(default_factory=dict)
    # Counted updates, their SQL statements and Redis round trips, over all rounds.
    totals: dict[str, list[int]] = field(default_factory=dict)

    def add(
        self,
        kind: str,
        count: int,
        seconds: float,
        statements: int | None = None,
        round_trips: int = 0,
    ) -> None:
        self.rates.setdefault(kind, []).append(count / seconds)
        if statements is not None:
            total = self.totals.setdefault(kind, [0, 0, 0])
            total[0] += count
            total[1] += statements
            total[2] += round_trips

    def sql_per_update(self, kind: str) -> str:
        return self._per_update(kind, 1)

    def redis_per_update(self, kind: str) -> str:
        return self._per_update(kind, 2)

    def _per_update(self, kind: str, column: int) -> str:
        if kind not in self.totals:
            return "-"
        total = self.totals[kind]
        return f"{total[column] / total[0]:.1f}"

    def _counted(self) -> str:
        return ", ".join(f"{kind.split(':')[0].split(' (')[0]} {total[0]}"
                         for kind, total in self.totals.items())

    def median(self, kind: str) -> float:
        return statistics.median(self.rates[kind])

    def table(self) -> str:
        base = self.median(Baseline.name)
        lines = [
            f"{self.backend}: up to {self.updates} updates per kind x {self.rounds} rounds "
            f"(counted: {self._counted()}), median of rounds",
            f"{'kind':<38} {'updates/s':>10} {'x baseline':>11} {'goal':>6}  "
            f"{'min..max updates/s':>20} {'SQL/update':>10} {'Redis/update':>12}",
        ]
        for kind, rates in self.rates.items():
            ratio = self.median(kind) / base
            goal = GOALS.get(kind)
            verdict = "" if goal is None else ("ok" if ratio >= goal else "MISSED")
            goal_text = "" if goal is None else f">={goal:.2f}"
            spread = f"{min(rates):.0f}..{max(rates):.0f}"
            lines.append(
                f"{kind:<38} {self.median(kind):>10.0f} {ratio:>11.2f} {goal_text:>6}  "
                f"{spread:>20} {self.sql_per_update(kind):>10} "
                f"{self.redis_per_update(kind):>12} {verdict}"
            )
        return "\n".join(lines)


async def run_kind(
    kind: Kind, count: int, results: Results | None, budget: float = float("inf")
) -> None:
    """Up to `count` updates, stopping early once `budget` seconds were spent in the bot."""
    back_before = len(kind.back) if isinstance(kind, RegistrationStep) else 0
    statements_before, trips_before = kind.statements, kind.round_trips
    gc.collect()
    spent = 0.0
    done = 0
    while done < count and spent < budget:
        spent += await kind.step(done)
        done += 1
    kind.check()
    if results is None:
        return
    statements = kind.statements - statements_before
    results.add(
        kind.name,
        done,
        spent,
        None if isinstance(kind, Baseline) else statements,
        kind.round_trips - trips_before,
    )
    if isinstance(kind, RegistrationStep):
        results.add(BACK_KIND, done, sum(kind.back[back_before:]))


async def profile_kind(kind: Kind, count: int, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    await run_kind(kind, count, None)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"\n=== profile: {kind.name}, {count} updates, by own time ===\n")
    stats.sort_stats("tottime").print_stats(top)
    out.write(f"=== profile: {kind.name}, by cumulative time ===\n")
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


async def bench_backend(
    backend_factory: Callable[[int], AbstractAsyncContextManager[Backend]],
    args: argparse.Namespace,
) -> tuple[Results, str]:
    bot_id = bench_bot_id()
    rig = Rig.create(bot_id)
    if args.webhook:
        rig.webhook_delivery()
    async with backend_factory(bot_id) as backend:
        app = await build_bench_app(rig, backend)
        try:
            kinds: list[Kind] = [
                Baseline(rig, rig.new_users(args.users)),
                MenuTap(rig, app, rig.new_users(args.users)),
                RegistrationStep(rig, app, rig.new_users(args.users)),
            ]
            for kind in kinds:
                await kind.setup()
                await run_kind(kind, args.warmup, None)  # caches, prepared statements, pools
            delivery = "webhook" if args.webhook else "long polling"
            results = Results(f"{backend.name}, {delivery}", args.updates, args.rounds)
            for round_index in range(args.rounds):
                # Rotate the order so that no kind always runs right after the same neighbour.
                shift = round_index % len(kinds)
                for kind in kinds[shift:] + kinds[:shift]:
                    await run_kind(kind, args.updates, results, args.seconds)
            profile = ""
            if args.profile:
                for kind in kinds[1:]:
                    profile += await profile_kind(kind, args.updates, args.profile_top)
            return _ordered(results), profile
        finally:
            await app.close()


def _ordered(results: Results) -> Results:
    order = [Baseline.name, MenuTap.name, RegistrationStep.name, BACK_KIND]
    results.rates = {kind: results.rates[kind] for kind in order if kind in results.rates}
    return results


def _sqlite(_: int) -> AbstractAsyncContextManager[Backend]:
    return sqlite_backend()


def _postgres(
    database_url: str, redis_url: str
) -> Callable[[int], AbstractAsyncContextManager[Backend]]:
    def factory(bot_id: int) -> AbstractAsyncContextManager[Backend]:
        return postgres_backend(database_url, redis_url, bot_id)

    return factory


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=1000, help="updates per kind per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="stop a kind's batch early after this many seconds in the bot")
    parser.add_argument("--warmup", type=int, default=100, help="untimed updates per kind")
    parser.add_argument("--users", type=int, default=20, help="people per kind, taking turns")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="postgresql+asyncpg://... (a fresh database is created on it)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    parser.add_argument("--webhook", action="store_true",
                        help="deliver as webhooks do (repeated updates checked for)")
    parser.add_argument("--profile", action="store_true", help="cProfile the app kinds")
    parser.add_argument("--profile-top", type=int, default=25)
    args = parser.parse_args(argv)
    if bool(args.database_url) != bool(args.redis_url):
        parser.error("PostgreSQL and Redis go together: give both URLs or neither")
    if args.updates < 1 or args.rounds < 1 or args.users < 1 or args.warmup < 0:
        parser.error("--updates, --rounds and --users must be positive")
    return args


async def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    backends: list[Callable[[int], AbstractAsyncContextManager[Backend]]] = [_sqlite]
    if args.database_url:
        backends.append(_postgres(args.database_url, args.redis_url))
    for factory in backends:
        results, profile = await bench_backend(factory, args)
        print(results.table(), flush=True)
        if profile:
            print(profile, flush=True)
        print(flush=True)


if __name__ == "__main__":
    asyncio.run(main())
