"""The cost of writing one outbox row inside a decision's transaction.

    python bench/outbox_row.py [--rounds 2000] [--database-url URL]

Two transactions are timed in alternation, a few thousand times each: a decision as the staff
screens write it (the application's status changed and an event row added, then commit), and the
same decision with its notification written to the outbox (`services.outbox.enqueue`: the
person's accounts read, one row added). Printed: the medians, their ratio, and their difference —
the cost of the outbox row, in µs. On SQLite, then on PostgreSQL when given (or
BENCH_DATABASE_URL). The last line is one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench`, `bot` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import update

from bench.backends import postgres_database, sqlite_backend
from services.outbox import enqueue
from storage.db import create_engine, create_session_factory
from storage.models import Application, ApplicationEvent, MessengerAccount, Person, utcnow


async def _measure(url: str, rounds: int) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session:
            person = Person(registered_at=utcnow())
            session.add(person)
            await session.flush()
            session.add(MessengerAccount(platform="telegram", user_id=1, chat_id=1,
                                         person_id=person.id))
            app = Application(person_id=person.id, program="hamnava", program_version="1",
                              status="submitted", answers={})
            session.add(app)
            await session.commit()
            person_id, app_id = person.id, app.id

        async def decision(with_row: bool, status: str) -> float:
            started = time.perf_counter()
            async with sessions() as session:
                await session.execute(
                    update(Application).where(Application.id == app_id).values(status=status)
                )
                session.add(ApplicationEvent(application_id=app_id, from_status="submitted",
                                             to_status=status, actor_kind="staff"))
                if with_row:
                    await enqueue(session, kind="application", person_id=person_id,
                                  payload={"kind": "taken", "params": {"status": status}})
                await session.commit()
            return time.perf_counter() - started

        plain: list[float] = []
        with_row: list[float] = []
        for index in range(rounds + rounds // 10):
            status = "under_review" if index % 2 else "submitted"
            first, second = await decision(False, status), await decision(True, status)
            if index >= rounds // 10:  # the first tenth warms caches and connections
                plain.append(first)
                with_row.append(second)
        base, row = statistics.median(plain), statistics.median(with_row)
        return {
            "decision_us": round(base * 1e6, 1),
            "decision_with_outbox_row_us": round(row * 1e6, 1),
            "ratio": round(row / base, 3),
            "outbox_row_us": round((row - base) * 1e6, 1),
        }
    finally:
        await engine.dispose()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {}
    async with sqlite_backend() as backend:
        result["sqlite"] = await _measure(backend.database_url, args.rounds)
    if args.database_url:
        async with postgres_database(args.database_url) as url:
            result["postgresql"] = await _measure(url, args.rounds)
    for name, figures in result.items():
        print(f"{name:<11} decision {figures['decision_us']:>8.1f} µs   with its outbox row "
              f"{figures['decision_with_outbox_row_us']:>8.1f} µs   ×{figures['ratio']:.3f}   "
              f"one outbox row {figures['outbox_row_us']:.1f} µs (medians)")
    return result


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server URL (a fresh database is made on it)")
    # bench/broadcast.py's options may come along (make bench-broadcast passes BENCH_ARGS to both).
    return parser.parse_known_args(argv)[0]


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse()))))
