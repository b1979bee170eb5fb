"""The framework's own floors, measured beside the app in the same run.

- `FsmStep`: a minimal plain-aiogram FSM step (state A -> B -> A ..., one answer each).
- `DialogStep`: a minimal aiogram-dialog form step: one `TextInput` -> the next window; a Back
  button (untimed) brings the person to the question again, as the registration kind does.

Both run once on `MemoryStorage` and once on the storage under test (the app's own SQL FSM or
Redis storage and chat lock, built by the same functions as the app's), so "x dialog floor"
compares the app with what aiogram-dialog allows on the same storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window, setup_dialogs
from aiogram_dialog.widgets.input import TextInput
from aiogram_dialog.widgets.kbd import Back, Next
from aiogram_dialog.widgets.text import Const, Format

from bench.scenarios import NAME_ANSWER, Kind, Rig, timed_feed
from bot.app import Maharatyar
from bot.fsm.build import build_event_isolation, build_fsm_storage
from bot.sandbox.models import SandboxUser
from bot.sandbox.session import sandbox_bot

FLOOR_QUESTION = "Your name?"
FLOOR_THANKS = "Thank you"
FSM_NEXT = "next"
MEMORY = "memory"


class FloorForm(StatesGroup):
    name = State()
    done = State()


class Alternating(StatesGroup):
    first = State()
    second = State()


def app_storage(app: Maharatyar) -> tuple[BaseStorage, BaseEventIsolation]:
    """A storage and chat lock of the app's kind, on the app's database / Redis client."""
    storage = build_fsm_storage(
        app.settings, app.session_factory, redis=app.redis, key_prefix=app.settings.redis_prefix
    )
    isolation = build_event_isolation(
        app.settings, key_prefix=app.settings.redis_prefix, storage=storage
    )
    return storage, isolation


@dataclass
class _Floor(Kind):
    rig: Rig
    users: list[SandboxUser]
    # "memory", or the storage under test's name; the app is only used to build its storage.
    where: str = MEMORY
    app: Maharatyar | None = None
    name: str = ""
    bot: Bot = field(init=False)
    dispatcher: Dispatcher = field(init=False)

    def _dispatcher(self) -> Dispatcher:
        if self.app is None:
            return Dispatcher(storage=MemoryStorage())
        storage, isolation = app_storage(self.app)
        self.rig.sql.attach_writer(storage)
        return Dispatcher(storage=storage, events_isolation=isolation)

    async def _feed(self, update: Any) -> float:
        return await timed_feed(self.dispatcher, self.bot, update)

    async def _counted(self, update: Any) -> float:
        statements, trips = self.rig.sql.statements, self.rig.redis.round_trips
        spent = await self._feed(update)
        self.statements += self.rig.sql.statements - statements
        self.round_trips += self.rig.redis.round_trips - trips
        return spent

    async def close(self) -> None:
        if self.app is not None:
            await self.dispatcher.storage.close()
            await self.dispatcher.fsm.events_isolation.close()


@dataclass
class FsmStep(_Floor):
    def __post_init__(self) -> None:
        self.name = f"floor: plain FSM step ({self.where})"
        self.bot = sandbox_bot(self.rig.api, self.rig.token, "telegram")
        self.dispatcher = self._dispatcher()
        router = Router()

        @router.message(Alternating.first)
        async def first(message: Message, state: FSMContext) -> None:
            await state.set_state(Alternating.second)
            await message.answer(FSM_NEXT)

        @router.message(Alternating.second)
        async def second(message: Message, state: FSMContext) -> None:
            await state.set_state(Alternating.first)
            await message.answer(FSM_NEXT)

        @router.message()
        async def begin(message: Message, state: FSMContext) -> None:
            await state.set_state(Alternating.first)
            await message.answer(FSM_NEXT)

        self.dispatcher.include_router(router)

    async def setup(self) -> None:
        for user in self.users:
            await self._feed(self.rig.sends(self.bot, user, "/start"))

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        before = self.rig.activity(user)
        spent = await self._counted(self.rig.sends(self.bot, user, NAME_ANSWER))
        if self.rig.activity(user) == before:
            raise RuntimeError("the FSM floor did not answer")
        return spent

    def check(self) -> None:
        if self.rig.last_text(self.users[0]) != FSM_NEXT:
            raise RuntimeError("the FSM floor stopped answering")


@dataclass
class DialogStep(_Floor):
    def __post_init__(self) -> None:
        self.name = f"floor: aiogram-dialog step ({self.where})"
        self.bot = sandbox_bot(self.rig.api, self.rig.token, "telegram")
        self.dispatcher = self._dispatcher()
        router = Router()

        @router.message(CommandStart())
        async def start(message: Message, dialog_manager: DialogManager) -> None:
            await dialog_manager.start(FloorForm.name, mode=StartMode.RESET_STACK)

        dialog = Dialog(
            Window(Const(FLOOR_QUESTION), TextInput(id="name", on_success=Next()),
                   state=FloorForm.name),
            Window(Format(FLOOR_THANKS + ", {dialog_data[name]}"), Back(Const("Back")),
                   state=FloorForm.done, getter=_thanks_getter),
        )  # fmt: skip
        router.include_router(dialog)
        self.dispatcher.include_router(router)
        setup_dialogs(self.dispatcher)

    async def setup(self) -> None:
        for user in self.users:
            await self._feed(self.rig.sends(self.bot, user, "/start"))
            if self.rig.last_text(user) != FLOOR_QUESTION:
                raise RuntimeError(f"dialog floor not started: {self.rig.last_text(user)!r}")

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        spent = await self._counted(self.rig.sends(self.bot, user, NAME_ANSWER))
        if not self.rig.last_text(user).startswith(FLOOR_THANKS):
            raise RuntimeError(f"the dialog floor did not go on: {self.rig.last_text(user)!r}")
        # Untimed, as registration's Back is timed apart.
        await self.dispatcher.feed_update(self.bot, self.rig.presses(self.bot, user, "Back"))
        return spent

    def check(self) -> None:
        if self.rig.last_text(self.users[-1]) != FLOOR_QUESTION:
            raise RuntimeError("Back did not return to the floor's question")


async def _thanks_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    name = dialog_manager.find("name")
    return {"dialog_data": {"name": name.get_value() if name else ""}}


def floors(rig: Rig, app: Maharatyar, users: int, where: str) -> list[Kind]:
    """The four floor kinds: each on memory and on the app's storage."""
    return [
        FsmStep(rig, rig.new_users(users)),
        DialogStep(rig, rig.new_users(users)),
        FsmStep(rig, rig.new_users(users), where, app),
        DialogStep(rig, rig.new_users(users), where, app),
    ]
