"""A broadcast sent by real worker processes (`python -m bot run`) to the sandbox Bot API served
from this process with Telegram's flood limits enforced: the benchmark (bench/broadcast.py) and
the crash test (tests/flows/test_broadcast_processes.py) share it.

The recipients are written straight into the database (people, their accounts, the sandbox's
private chats), the broadcast is queued by BroadcastService as an administrator's confirm would,
and the sandbox's counters say who got what."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import SandboxUser
from bot.sandbox.server import SandboxServer, start_sandbox_server
from services.broadcasts import AudienceFilter, BroadcastContent, BroadcastService
from services.staff import StaffMember
from storage.db import create_engine, create_session_factory
from storage.models import MessengerAccount, OutboxLease, OutboxMessage, Person, utcnow

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "1000001:broadcast-rig-token"
PLATFORM: Final = "telegram"
TEXT = "دوره‌های تازهٔ مهارت‌آموزی در استان شما ثبت‌نام می‌پذیرند."
ADMIN = StaffMember(PLATFORM, 1, is_admin=True, is_caseworker=False, provinces=None)
FIRST_USER_ID = 7_000_000_000


@dataclass
class Outcome:
    """What a run did, in the benchmark's JSON keys."""

    seconds: float
    floor_seconds: float
    recipients: int
    delivered: int
    blocked: int
    lost: int
    duplicates: int
    too_many: int
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "ratio_to_floor": round(self.seconds / self.floor_seconds, 3),
            # Each 429 here says "retry after 1 s", and Telegram's rule is to pause the bot that
            # long: the floor plus one second per 429 is what an ideal sender could do.
            "ratio_to_floor_plus_429_pauses": round(
                self.seconds / (self.floor_seconds + self.too_many), 3
            ),
            "seconds": round(self.seconds, 2),
            "recipients": self.recipients,
            "delivered": self.delivered,
            "blocked": self.blocked,
            "lost": self.lost,
            "duplicates": self.duplicates,
            "too_many": self.too_many,
            **self.extra,
        }


@dataclass
class Rig:
    database_url: str
    rate: float
    redis_url: str | None = None
    redis_prefix: str = "broadcast-rig"
    random_429: float = 0.0
    # The workers' own pace; None: exactly the Bot API's limit.
    worker_rate: float | None = None
    lease_seconds: float = 2.0
    log_dir: Path = field(default_factory=lambda: Path("."))
    api: SandboxBotAPI = field(default_factory=lambda: SandboxBotAPI(record_calls=False))
    server: SandboxServer | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    blocked_ids: set[int] = field(default_factory=set)

    engine: AsyncEngine | None = None

    async def start(self) -> None:
        self.api.add_bot(TOKEN, PLATFORM)
        # The administrator's chat: the progress message's edits count against the limits too.
        self.api.add_user(TOKEN, SandboxUser(id=ADMIN.user_id, first_name="مدیر"))
        self.server = await start_sandbox_server(self.api)
        self.engine = create_engine(self.database_url)

    async def close(self) -> None:
        self.stop_workers()
        if self.server is not None:
            await self.server.close()
        await self.api.close()
        if self.engine is not None:
            await self.engine.dispose()

    def _sessions(self) -> async_sessionmaker[AsyncSession]:
        assert self.engine is not None, "start() first"
        return create_session_factory(self.engine)

    async def seed(self, count: int, *, blocked_every: int = 100) -> None:
        """`count` registered people reachable on the bot; every `blocked_every`-th blocked it
        (the database does not know yet: the messenger's 403 tells the sender)."""
        async with self._sessions()() as session:
            first_id = int(await session.scalar(select(func.max(Person.id))) or 0) + 1
            now = utcnow()
            ids = list(range(first_id, first_id + count))
            users = [FIRST_USER_ID + person_id for person_id in ids]
            await session.execute(insert(Person), [
                {"id": pid, "province": "تهران", "registered_at": now, "locale": "fa",
                 "phone_verified": False, "news_opt_out": False}
                for pid in ids
            ])
            await session.execute(insert(MessengerAccount), [
                {"platform": PLATFORM, "user_id": uid, "chat_id": uid, "person_id": pid}
                for pid, uid in zip(ids, users, strict=True)
            ])
            await session.commit()
        for index, user_id in enumerate(users):
            self.api.add_user(TOKEN, SandboxUser(id=user_id, first_name="کاربر"))
            if blocked_every and index % blocked_every == blocked_every - 1:
                self.api.block(TOKEN, user_id)
                self.blocked_ids.add(user_id)
        self.user_ids.extend(users)

    async def queue_broadcast(self, key: str) -> int:
        service = BroadcastService(self._sessions())
        progress, _ = await service.start(
            ADMIN, request_key=key, author_chat_id=ADMIN.user_id,
            content=BroadcastContent(text=TEXT), audience=AudienceFilter(platforms=[PLATFORM]),
        )
        return progress.id

    def enforce(self) -> None:
        self.api.enforce_limits(
            TOKEN, per_second=self.rate, per_chat_interval=1.0, random_429=self.random_429,
            seed=7,
        )

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        assert self.server is not None
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": self.server.base_url,
            "BALE_TOKEN": "",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url or "",
            "REDIS_PREFIX": self.redis_prefix,
            "WEBHOOK_BASE_URL": "",
            "ADMINS": "",
            "QUIET_HOURS": "",
            "OUTBOX_RATE_TELEGRAM": str(self.worker_rate or self.rate),
            "OUTBOX_CHAT_INTERVAL_SECONDS": "1",
            "OUTBOX_POLL_SECONDS": "0.1",
            "OUTBOX_LEASE_SECONDS": str(self.lease_seconds),
        }
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)

    def worker_logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )

    async def until_a_sender_holds_the_lease(self, seconds: float = 60.0) -> None:
        await self._until(self._lease_held, seconds, "a worker to take the outbox lease")

    async def until_delivered(self, count: int, seconds: float) -> None:
        def enough() -> bool:
            return self.delivered_messages() >= count
        await self._until_sync(enough, seconds, f"{count} deliveries")

    async def until_outbox_empty(self, seconds: float) -> None:
        await self._until(self._nothing_pending, seconds, "the outbox to be drained")

    def delivered_messages(self) -> int:
        return sum(self.api.limits(TOKEN).delivered.values())

    def outcome(self, seconds: float, extra: dict[str, Any] | None = None) -> Outcome:
        limits = self.api.limits(TOKEN)
        reachable = [u for u in self.user_ids if u not in self.blocked_ids]
        return Outcome(
            seconds=seconds,
            floor_seconds=len(self.user_ids) / self.rate,
            recipients=len(self.user_ids),
            delivered=sum(1 for u in reachable if limits.delivered[u] > 0),
            blocked=len(self.blocked_ids),
            lost=sum(1 for u in reachable if limits.delivered[u] == 0),
            duplicates=sum(max(0, n - 1) for n in limits.delivered.values()),
            too_many=limits.too_many,
            extra=extra or {},
        )

    async def _lease_held(self) -> bool:
        return await self._scalar(select(func.count()).select_from(OutboxLease)
                                  .where(OutboxLease.expires_at > utcnow())) > 0

    async def _nothing_pending(self) -> bool:
        return await self._scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None)
            )
        ) == 0

    async def _scalar(self, query: Any) -> int:
        async with self._sessions()() as session:
            return int(await session.scalar(query) or 0)

    async def _until(self, check: Any, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not await check():
            self._check_workers_alive(what)
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}\n{self.worker_logs()}")
            await asyncio.sleep(0.05)

    async def _until_sync(self, check: Any, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            self._check_workers_alive(what)
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}\n{self.worker_logs()}")
            await asyncio.sleep(0.01)

    def _check_workers_alive(self, what: str) -> None:
        if self.workers and all(w.poll() is not None for w in self.workers):
            raise RuntimeError(f"every worker exited while waiting for {what}\n"
                               f"{self.worker_logs()}")


@contextmanager
def timed() -> Iterator[list[float]]:
    """`with timed() as elapsed:` … `elapsed[0]` is the seconds the block took."""
    elapsed = [0.0]
    started = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed[0] = time.perf_counter() - started
