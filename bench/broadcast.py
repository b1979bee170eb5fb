"""A broadcast to N recipients through the outbox, against a Bot API that enforces the flood
limits, with and without a SIGKILL half-way.

    python bench/broadcast.py [--recipients 10000] [--rate 1000] [--random-429s 3]
                              [--database-url URL --redis-url URL]

The sandbox Bot API runs in this process and enforces a global rate R and one message per chat
per second, answering 429 beyond them; 1 % of the recipients have blocked the bot and a few
calls get a random 429. One worker (`python -m bot run`, a real process) sends. Printed per run:
wall time from the confirm to an empty outbox divided by the floor N ÷ R (and by the floor plus
the one-second pause each 429 imposes), deliveries, blocked,
lost (a reachable recipient who got nothing) and duplicates (a recipient who got it twice); then
the same with the worker SIGKILLed at about half-way and a new one started at once (its time
includes the new process' start and the dead one's lease running out). On SQLite, then on
PostgreSQL + Redis when given (or BENCH_DATABASE_URL / BENCH_REDIS_URL). The last line is one
JSON object: the SQLite figures with "killed_run", and "postgresql" with the same keys."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench`, `bot` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.backends import Backend, postgres_database, sqlite_backend
from bench.broadcast_rig import Outcome, Rig, timed

GOAL = 1.10


async def one_run(
    backend: Callable[[], AbstractAsyncContextManager[Backend]], args: argparse.Namespace,
    *, kill: bool, log_dir: Path,
) -> Outcome:
    async with backend() as where:
        rig = Rig(where.database_url, args.rate, redis_url=where.redis_url,
                  random_429=args.random_429s / args.recipients, log_dir=log_dir)
        await rig.start()
        try:
            await rig.seed(args.recipients)
            first = rig.start_worker("worker-1")
            await rig.until_a_sender_holds_the_lease()
            rig.enforce()
            killed_at = 0
            with timed() as elapsed:
                await rig.queue_broadcast("bench")
                if kill:
                    await rig.until_delivered(args.recipients // 2, seconds=600)
                    rig.kill(first)
                    killed_at = rig.delivered_messages()
                    rig.start_worker("worker-2")
                await rig.until_outbox_empty(seconds=900)
            extra: dict[str, Any] = {"killed_after": killed_at} if kill else {}
            return rig.outcome(elapsed[0], extra)
        finally:
            await rig.close()


def _print(label: str, outcome: Outcome) -> None:
    figures = outcome.as_json()
    verdict = "meets" if figures["ratio_to_floor"] <= GOAL and not outcome.lost else "misses"
    print(
        f"{label:<34} {figures['seconds']:>7.2f} s  ×{figures['ratio_to_floor']:.3f} of the floor "
        f"({outcome.floor_seconds:.1f} s; ×{figures['ratio_to_floor_plus_429_pauses']:.3f} with "
        f"1 s per 429)  delivered {outcome.delivered}  blocked "
        f"{outcome.blocked}  lost {outcome.lost}  duplicates {outcome.duplicates}  "
        f"429s {outcome.too_many}  [{verdict} the goal ≤ {GOAL}×, nothing lost]",
        flush=True,
    )


async def measure(
    name: str, backend: Callable[[], AbstractAsyncContextManager[Backend]],
    args: argparse.Namespace, log_dir: Path,
) -> dict[str, Any]:
    plain = await one_run(backend, args, kill=False, log_dir=log_dir)
    _print(f"{name}: one worker", plain)
    killed = await one_run(backend, args, kill=True, log_dir=log_dir)
    _print(f"{name}: SIGKILL half-way, restart", killed)
    return {**plain.as_json(), "killed_run": killed.as_json()}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    print(f"broadcast to {args.recipients} recipients at {args.rate:g}/s "
          f"(floor {args.recipients / args.rate:.1f} s), 1 % blocked, "
          f"~{args.random_429s} random 429s", flush=True)
    with tempfile.TemporaryDirectory(prefix="maharatyar-broadcast-") as folder:
        log_dir = Path(folder)
        result = await measure("SQLite", sqlite_backend, args, log_dir)
        result["backend"] = "sqlite"
        if args.database_url and args.redis_url:
            database_url, redis_url = args.database_url, args.redis_url

            def postgres() -> AbstractAsyncContextManager[Backend]:
                return _postgres(database_url, redis_url)

            result["postgresql"] = await measure("PostgreSQL + Redis", postgres, args, log_dir)
    return result


def _postgres(server_url: str, redis_url: str) -> AbstractAsyncContextManager[Backend]:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def backend() -> AsyncIterator[Backend]:
        async with postgres_database(server_url) as url:
            yield Backend("PostgreSQL + Redis", url, redis_url)

    return backend()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1000.0, help="the Bot API's global limit")
    parser.add_argument("--random-429s", type=float, default=2.0,
                        help="about how many sends get a random 429")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server URL (a fresh database is made on it)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse()))))
