"""/queue: the applications waiting in the reviewer's provinces, oldest first, a page at a time.
`/queue HMN-1405-000123` opens one application by its tracking code (any spelling)."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.desk import Desk
from bot.handlers.staff.filters import IsStaff
from bot.handlers.staff.inputs import forget_input
from bot.handlers.staff.screens import Refused, show
from bot.keyboards.staff import StaffQueueCb
from services.jalali import today_in
from services.text import isolate_commands


def build_queue_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_queue, Command("queue"), IsStaff())
    router.callback_query.register(on_queue_page, StaffQueueCb.filter(), IsStaff())
    return router


async def on_queue(
    message: Message, command: CommandObject, state: FSMContext, **data: Any
) -> None:
    # A new command ends any reason the reviewer had started typing.
    await forget_input(state)
    desk = Desk.of(data)
    if command.args:
        await _find(desk, message, command.args)
        return
    text, keyboard = await desk.queue_screen(page=0)
    await message.answer(text, reply_markup=keyboard)


async def _find(desk: Desk, message: Message, code: str) -> None:
    today = today_in(desk.timezone)
    card = await desk.run(
        lambda: desk.applications.find_by_tracking_code(code, desk.staff, today=today),
        "a tracking-code search",
    )
    if isinstance(card, Refused):
        await message.answer(card.text)
        return
    if card is None:
        await message.answer(isolate_commands(
            gettext("No application has this tracking code. It looks like HMN-1405-000123.")
        ))
        return
    text, keyboard = await desk.screen_of(card)
    await message.answer(text, reply_markup=keyboard)


async def on_queue_page(
    callback: CallbackQuery, callback_data: StaffQueueCb, **data: Any
) -> None:
    desk = Desk.of(data)
    text, keyboard = await desk.queue_screen(callback_data.page)
    await callback.answer()
    await show(desk.bot, callback, text, keyboard)
