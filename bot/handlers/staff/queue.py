"""/queue: the applications waiting in the reviewer's provinces, oldest first, a page at a time."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.filters import IsStaff
from bot.handlers.staff.desk import Desk
from bot.handlers.staff.inputs import forget_input
from bot.handlers.staff.screens import show
from bot.keyboards.staff import StaffQueueCb


def build_queue_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_queue, Command("queue"), IsStaff())
    router.callback_query.register(on_queue_page, StaffQueueCb.filter(), IsStaff())
    return router


async def on_queue(message: Message, state: FSMContext, **data: Any) -> None:
    # A new command ends any reason the reviewer had started typing.
    await forget_input(state)
    text, keyboard = await Desk.of(data).queue_screen(page=0)
    await message.answer(text, reply_markup=keyboard)


async def on_queue_page(
    callback: CallbackQuery, callback_data: StaffQueueCb, **data: Any
) -> None:
    desk = Desk.of(data)
    text, keyboard = await desk.queue_screen(callback_data.page)
    await callback.answer()
    await show(desk.bot, callback, text, keyboard)
