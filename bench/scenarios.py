"""The kinds of update the benchmark times, all on one in-process sandbox Bot API.

Each kind prepares its people once (`setup`), then `step()` builds the next Update and returns
the seconds spent in `Dispatcher.feed_update` only: building updates and checking answers is the
same sandbox work for every kind and is left out of the clock."""

from __future__ import annotations

import cProfile
import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update
from pydantic import SecretStr
from sqlalchemy import event, select
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.backends import Backend
from bot.app import Maharatyar, build_app
from bot.config import Settings
from bot.middlewares.dedup import UPDATES_MAY_REPEAT
from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import BotState, SandboxUser
from bot.sandbox.session import SandboxSession, sandbox_bot
from bot.sandbox.user_side import inline_buttons
from storage.models import MessengerAccount, Person

HELP_LABEL = "❓ Help"  # the msgid; English readers get it verbatim
HELP_REPLY = "Maharatyar helps you"
BACK_LABEL = "Back"
NAME_ANSWER = "مریم احمدی"


def bench_bot_id() -> int:
    # Our own id keeps this run's Redis keys apart from anyone else's on a shared server.
    return random.randint(8_000_000_000, 8_999_999_999)


@dataclass
class Rig:
    """The sandbox side: one Telegram-flavoured bot, people, and updates built like Telegram's."""

    api: SandboxBotAPI
    token: str
    state: BotState
    sql: SqlCounter = field(default_factory=lambda: SqlCounter())
    redis: RedisCounter = field(default_factory=lambda: RedisCounter())
    # Contextual data every app update is fed with; `webhook_delivery` fills it as the webhook
    # handler does (see bot.middlewares.dedup).
    feed_data: dict[str, Any] = field(default_factory=dict)
    _next_user: int = 900_000_001

    @classmethod
    def create(cls, bot_id: int) -> Rig:
        api = SandboxBotAPI(record_calls=False)
        token = f"{bot_id}:bench-{bot_id:x}"
        state = api.add_bot(token, "telegram", bot_id=bot_id)
        return cls(api=api, token=token, state=state)

    def webhook_delivery(self) -> None:
        """Feed app updates as the webhook handler does: repeats possible, so checked for."""
        self.feed_data[UPDATES_MAY_REPEAT] = True

    def new_users(self, count: int) -> list[SandboxUser]:
        users = []
        for _ in range(count):
            users.append(SandboxUser(id=self._next_user, first_name="Maryam", language_code="en"))
            self._next_user += 1
        return users

    def _take(self, bot: Bot) -> Update:
        raw = self.state.updates.pop()
        return Update.model_validate(raw, context={"bot": bot})

    def sends(self, bot: Bot, user: SandboxUser, text: str) -> Update:
        self.api.user_sends(self.token, user, text=text)
        return self._take(bot)

    def presses(self, bot: Bot, user: SandboxUser, label: str) -> Update:
        """Press the button containing `label` on the newest bot message that has one."""
        for message in reversed(self.api.messages(self.token, user.id)):
            if message.deleted:
                continue
            for text, data in inline_buttons(message):
                if label in text:
                    self.api.user_presses(self.token, user, message.message_id, data)
                    return self._take(bot)
        raise RuntimeError(f"no {label!r} button for user {user.id}")

    def last_text(self, user: SandboxUser) -> str:
        message = self.api.last_message(self.token, user.id)
        return (message.text or "") if message else ""

    def activity(self, user: SandboxUser) -> int:
        return self.api.activity_count(self.token, user.id)


class SqlCounter:
    """Counts the SQL statements an engine runs: the first thing to look at on a slow path."""

    def __init__(self) -> None:
        self.statements = 0

    def attach(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *_: Any) -> None:
        self.statements += 1

    def attach_writer(self, storage: object) -> None:
        """The SQL FSM storage writes SQLite records on a connection of its own (not through the
        engine): count each batch it writes as one statement."""
        writer = getattr(storage, "writer", None)
        if writer is None:
            return
        original = writer.put_many
        counter = self

        async def counted(records: Any) -> None:
            counter.statements += 1
            await original(records)

        writer.put_many = counted


class RedisCounter:
    """Round trips to Redis: every command, or pipeline of commands, put on a connection.

    Counted by wrapping redis-py's connection class for the rest of the process: this is a
    benchmark process, and the app builds its clients (storage, lock, dedup) on its own."""

    def __init__(self) -> None:
        self.round_trips = 0

    def attach(self) -> None:
        """Count this run's round trips from now on (the wrapper is installed once)."""
        from redis.asyncio.connection import AbstractConnection

        if not hasattr(AbstractConnection, "_bench_counter"):
            original = AbstractConnection.send_packed_command

            async def counted(connection: Any, command: Any, check_health: bool = True) -> None:
                AbstractConnection._bench_counter.round_trips += 1  # type: ignore[attr-defined]
                await original(connection, command, check_health)

            AbstractConnection.send_packed_command = counted  # type: ignore[method-assign,assignment]
        AbstractConnection._bench_counter = self  # type: ignore[attr-defined]


# Set by `--profile` (bench.layers): on only while the dispatcher handles an update.
PROFILER: list[cProfile.Profile] = []


async def timed_feed(
    dispatcher: Dispatcher, bot: Bot, update: Update, *, profiled: bool = True, **data: Any
) -> float:
    if PROFILER and profiled:
        PROFILER[0].enable()
        try:
            await dispatcher.feed_update(bot, update, **data)
        finally:
            PROFILER[0].disable()
        return 0.0
    started = time.perf_counter()
    await dispatcher.feed_update(bot, update, **data)
    return time.perf_counter() - started


class Kind:
    name: str = ""
    # SQL statements run and Redis round trips made by the counted (timed) updates of this kind.
    statements: int = 0
    round_trips: int = 0

    async def setup(self) -> None:
        """Bring the kind's people to where every step starts."""

    async def step(self, index: int) -> float:
        raise NotImplementedError

    def check(self) -> None:
        """Raise if the bot stopped answering as expected: a skipped handler is fast."""


@dataclass
class Baseline(Kind):
    rig: Rig
    users: list[SandboxUser]
    name: str = "baseline: bare aiogram echo"
    bot: Bot = field(init=False)
    dispatcher: Dispatcher = field(init=False)

    def __post_init__(self) -> None:
        self.bot = sandbox_bot(self.rig.api, self.rig.token, "telegram")
        self.dispatcher = Dispatcher()
        router = Router()

        @router.message()
        async def echo(message: Message) -> None:
            await message.answer(message.text or "")

        self.dispatcher.include_router(router)

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        return await timed_feed(self.dispatcher, self.bot, self.rig.sends(self.bot, user, "ping"))

    def check(self) -> None:
        if self.rig.last_text(self.users[0]) != "ping":
            raise RuntimeError("the echo bot did not echo")


def bench_settings(rig: Rig, backend: Backend) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_token=SecretStr(rig.token),
        telegram_api_base="http://sandbox.invalid",
        database_url=backend.database_url,
        redis_url=backend.redis_url,
        admins="",
        # One benchmark user taps far faster than a person: keep the limit, never reach it.
        throttle_rate=1_000_000_000,
    )


async def build_bench_app(rig: Rig, backend: Backend) -> Maharatyar:
    settings = bench_settings(rig, backend)
    app = await build_app(
        settings, sessions={"telegram": SandboxSession(rig.api)}, platforms=["telegram"]
    )
    rig.sql.attach(app.engine)
    rig.sql.attach_writer(app.storage)
    if backend.redis_url:
        rig.redis.attach()
    return app


@dataclass
class MenuTap(Kind):
    rig: Rig
    app: Maharatyar
    users: list[SandboxUser]
    name: str = "main-menu tap (❓ Help)"

    @property
    def bot(self) -> Bot:
        return self.app.bots["telegram"]

    async def setup(self) -> None:
        # First contact creates account + empty person; then mark the person registered directly.
        for user in self.users:
            await self.app.dispatcher.feed_update(self.bot, self.rig.sends(self.bot, user, "/help"))
        ids = [user.id for user in self.users]
        async with self.app.session_factory() as session:
            query = select(MessengerAccount.person_id).where(MessengerAccount.user_id.in_(ids))
            rows = (await session.execute(query)).scalars().all()
            now = dt.datetime.now(dt.UTC)
            await session.execute(
                sql_update(Person)
                .where(Person.id.in_(rows))
                .values(registered_at=now, consent_at=now, full_name=NAME_ANSWER)
            )
            await session.commit()
        for user in self.users:
            context = await self.app.services.account_service.refresh("telegram", user.id)
            if context is None or not context.registered:
                raise RuntimeError("could not register the benchmark person")

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        update = self.rig.sends(self.bot, user, HELP_LABEL)
        before, trips = self.rig.sql.statements, self.rig.redis.round_trips
        spent = await timed_feed(self.app.dispatcher, self.bot, update, **self.rig.feed_data)
        self.statements += self.rig.sql.statements - before
        self.round_trips += self.rig.redis.round_trips - trips
        return spent

    def check(self) -> None:
        if not self.rig.last_text(self.users[0]).startswith(HELP_REPLY):
            raise RuntimeError(f"help not shown: {self.rig.last_text(self.users[0])!r}")


@dataclass
class RegistrationStep(Kind):
    """Answer the name question, then press Back to be asked again. Only the answers count as
    registration steps; the Back presses are timed as a kind of their own."""

    rig: Rig
    app: Maharatyar
    users: list[SandboxUser]
    back: list[float] = field(default_factory=list)
    name: str = "registration step (typed name)"

    @property
    def bot(self) -> Bot:
        return self.app.bots["telegram"]

    async def _feed(self, update: Update, profiled: bool = True) -> float:
        return await timed_feed(
            self.app.dispatcher, self.bot, update, profiled=profiled, **self.rig.feed_data
        )

    async def setup(self) -> None:
        for user in self.users:
            await self._feed(self.rig.sends(self.bot, user, "/start"))
            await self._feed(self.rig.presses(self.bot, user, "I agree"))
            await self._feed(self.rig.sends(self.bot, user, "09121234567"))
            if "name" not in self.rig.last_text(user):
                raise RuntimeError(f"not at the name question: {self.rig.last_text(user)!r}")

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        before = self.rig.activity(user)
        update = self.rig.sends(self.bot, user, NAME_ANSWER)
        statements, trips = self.rig.sql.statements, self.rig.redis.round_trips
        spent = await self._feed(update)
        self.statements += self.rig.sql.statements - statements
        self.round_trips += self.rig.redis.round_trips - trips
        if self.rig.activity(user) == before:
            raise RuntimeError("the registration form did not answer")
        back = self.rig.presses(self.bot, user, BACK_LABEL)
        self.back.append(await self._feed(back, profiled=False))
        return spent

    def check(self) -> None:
        if "name" not in self.rig.last_text(self.users[-1]):
            raise RuntimeError(f"Back did not return: {self.rig.last_text(self.users[-1])!r}")

