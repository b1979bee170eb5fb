"""Update throughput of Maharatyar against a bare aiogram echo bot, in process (no HTTP).

    python bench/updates.py [--updates N] [--rounds R] [--database-url URL] [--redis-url URL]
                            [--webhook] [--profile]

Kinds are run in interleaved rounds and the median of the rounds is printed, because a shared
machine is noisy. Only `Dispatcher.feed_update` is on the clock. With a PostgreSQL URL and a
Redis URL (options, or BENCH_DATABASE_URL / BENCH_REDIS_URL) the same table is printed for
PostgreSQL + Redis after the SQLite one. Updates are fed as long polling delivers them;
`--webhook` feeds them as the webhook handler does, with its check for repeated updates.
Beside the echo, two framework floors run in the same rounds (bench/floors.py): a minimal plain
aiogram FSM step and a minimal aiogram-dialog form step, each on MemoryStorage and on the
storage under test. Every kind is printed as a ratio to the echo (xE) and to the dialog floor
on the same storage (xF), with SQL statements and Redis round trips per update; the last line
is one JSON object. `--profile` then prints a table per kind of the time spent in each layer
(bench/layers.py says how it is attributed)."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import statistics
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench`, `bot` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.backends import Backend, postgres_backend, sqlite_backend
from bench.floors import MEMORY, DialogStep, _Floor, floors
from bench.layers import layer_table
from bench.scenarios import (
    PROFILER,
    Baseline,
    Kind,
    MenuTap,
    RegistrationStep,
    Rig,
    bench_bot_id,
    build_bench_app,
)

# Goals: (kind name prefix, ratio, against what): "echo" = the bare echo bot, "floor" = the
# minimal aiogram-dialog step on the same storage (bench/floors.py), both of the same run.
GOALS: list[tuple[str, float, str]] = [
    (MenuTap.name, 0.5, "echo"),
    (RegistrationStep.name, 0.7, "floor"),
    ("course list page tap", 0.5, "floor"),
    ("course search", 0.5, "floor"),
]
BACK_KIND = "registration Back button (callback)"


def goal_of(kind: str) -> tuple[float, str] | None:
    for prefix, ratio, against in GOALS:
        if kind.startswith(prefix):
            return ratio, against
    return None


@dataclass
class Results:
    backend: str
    updates: int
    rounds: int
    rates: dict[str, list[float]] = field(default_factory=dict)
    # Counted updates, their SQL statements and Redis round trips, over all rounds.
    totals: dict[str, list[int]] = field(default_factory=dict)
    # Each kind's dialog floor: the aiogram-dialog step on the same storage.
    floors: dict[str, str] = field(default_factory=dict)

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

    def sql_per_update(self, kind: str) -> float | None:
        return self._per_update(kind, 1)

    def redis_per_update(self, kind: str) -> float | None:
        return self._per_update(kind, 2)

    def _per_update(self, kind: str, column: int) -> float | None:
        if kind not in self.totals:
            return None
        total = self.totals[kind]
        return total[column] / total[0]

    def median(self, kind: str) -> float:
        return statistics.median(self.rates[kind])

    def _ratio(self, kind: str, base: str) -> float:
        """The median of the rounds' ratios: each round runs every kind once, back to back, so
        a round's ratio is measured under one load; a quiet round for one kind and a busy one
        for the other would skew a ratio of two medians."""
        rates, bases = self.rates[kind], self.rates[base]
        if len(rates) != len(bases):
            return self.median(kind) / self.median(base)
        return statistics.median(rate / b for rate, b in zip(rates, bases, strict=True))

    def x_echo(self, kind: str) -> float:
        return self._ratio(kind, Baseline.name)

    def x_floor(self, kind: str) -> float | None:
        floor = self.floors.get(kind)
        if floor is None or floor not in self.rates:
            return None
        return self._ratio(kind, floor)

    def verdict(self, kind: str) -> tuple[str, str]:
        goal = goal_of(kind)
        if goal is None:
            return "", ""
        ratio, against = goal
        got = self.x_echo(kind) if against == "echo" else self.x_floor(kind)
        text = f">={ratio:.2f}x{'E' if against == 'echo' else 'F'}"
        return text, ("" if got is None else "ok" if got >= ratio else "MISSED")

    def table(self) -> str:
        lines = [
            f"{self.backend}: up to {self.updates} updates per kind x {self.rounds} rounds, "
            "kinds interleaved, median of rounds; xE = x bare echo, xF = x the aiogram-dialog "
            "floor on the same storage",
            f"{'kind':<44} {'updates/s':>9} {'xE':>6} {'xF':>6} {'goal':>9}  "
            f"{'min..max/s':>11} {'SQL/upd':>7} {'Redis/upd':>9}",
        ]
        for kind, rates in self.rates.items():
            floor = self.x_floor(kind)
            goal, verdict = self.verdict(kind)
            sql, redis = self.sql_per_update(kind), self.redis_per_update(kind)
            lines.append(
                f"{kind:<44} {self.median(kind):>9.0f} {self.x_echo(kind):>6.2f} "
                f"{'-' if floor is None else f'{floor:.2f}':>6} {goal:>9}  "
                f"{f'{min(rates):.0f}..{max(rates):.0f}':>11} "
                f"{'-' if sql is None else f'{sql:.1f}':>7} "
                f"{'-' if redis is None else f'{redis:.1f}':>9} {verdict}"
            )
        return "\n".join(lines)

    def summary(self) -> dict[str, dict[str, float | str | None]]:
        """Per kind: updates/s, ratio to the echo and to the dialog floor (the JSON line)."""
        out: dict[str, dict[str, float | str | None]] = {}
        for kind in self.rates:
            floor = self.x_floor(kind)
            sql, redis = self.sql_per_update(kind), self.redis_per_update(kind)
            out[kind] = {
                "updates_per_s": round(self.median(kind), 1),
                "x_echo": round(self.x_echo(kind), 3),
                "x_dialog_floor": None if floor is None else round(floor, 3),
                "sql_per_update": None if sql is None else round(sql, 2),
                "redis_per_update": None if redis is None else round(redis, 2),
                "goal": self.verdict(kind)[1] or None,
            }
        return out


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


async def profile_kind(kind: Kind, count: int) -> str:
    profiler = cProfile.Profile()
    PROFILER.append(profiler)
    try:
        await run_kind(kind, count, None)
    finally:
        PROFILER.clear()
    return layer_table(kind.name, count, profiler)


async def measure(kinds: list[Kind], results: Results, args: argparse.Namespace) -> None:
    """Interleaved rounds: every kind once per round, the order rotating."""
    for kind in kinds:
        await kind.setup()
        await run_kind(kind, args.warmup, None)  # caches, prepared statements, pools
    for round_index in range(args.rounds):
        # Rotate the order so that no kind always runs right after the same neighbour.
        shift = round_index % len(kinds)
        for kind in kinds[shift:] + kinds[:shift]:
            await run_kind(kind, args.updates, results, args.seconds)


def link_floors(results: Results, kinds: list[Kind]) -> None:
    """Each kind's dialog floor: the memory floor for memory kinds, else the one on the app's
    storage (the storage under test)."""
    dialogs = [kind for kind in kinds if isinstance(kind, DialogStep)]
    on_memory = next((kind.name for kind in dialogs if kind.where == MEMORY), None)
    on_storage = next((kind.name for kind in dialogs if kind.where != MEMORY), on_memory)
    for kind in kinds:
        if isinstance(kind, Baseline):
            continue
        memory = isinstance(kind, _Floor) and kind.where == MEMORY
        floor = on_memory if memory else on_storage
        if floor is not None:
            results.floors[kind.name] = floor
    if on_storage is not None:
        results.floors[BACK_KIND] = on_storage


async def close_floors(kinds: list[Kind]) -> None:
    for kind in kinds:
        if isinstance(kind, _Floor):
            await kind.close()


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
        kinds: list[Kind] = []
        try:
            kinds = [
                Baseline(rig, rig.new_users(args.users)),
                *floors(rig, app, args.users, backend.short),
                MenuTap(rig, app, rig.new_users(args.users)),
                RegistrationStep(rig, app, rig.new_users(args.users)),
            ]
            delivery = "webhook" if args.webhook else "long polling"
            results = Results(f"{backend.name}, {delivery}", args.updates, args.rounds)
            await measure(kinds, results, args)
            link_floors(results, kinds)
            profile = ""
            if args.profile:
                for kind in kinds[1:]:
                    profile += "\n" + await profile_kind(kind, max(args.updates, 200))
            order = [kind.name for kind in kinds] + [BACK_KIND]
            results.rates = {name: results.rates[name] for name in order if name in results.rates}
            return results, profile
        finally:
            await close_floors(kinds)
            await app.close()


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
    # Many short rounds: a load swing on a shared machine then hits every kind alike.
    parser.add_argument("--updates", type=int, default=40, help="updates per kind per round")
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="stop a kind's batch early after this many seconds in the bot")
    parser.add_argument("--warmup", type=int, default=60, help="untimed updates per kind")
    parser.add_argument("--users", type=int, default=20, help="people per kind, taking turns")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="postgresql+asyncpg://... (a fresh database is created on it)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    parser.add_argument("--webhook", action="store_true",
                        help="deliver as webhooks do (repeated updates checked for)")
    parser.add_argument("--profile", action="store_true",
                        help="after the rounds, a table of time per layer for each kind "
                             "(bench/layers.py)")
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
    summary: dict[str, object] = {}
    for factory in backends:
        results, profile = await bench_backend(factory, args)
        print(results.table(), flush=True)
        if profile:
            print(profile, flush=True)
        print(flush=True)
        summary[results.backend] = results.summary()
    print(json.dumps({"bench": "updates", "storages": summary}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
