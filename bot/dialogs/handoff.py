"""«💬 Talk to a caseworker» from inside a screen (an application, a course card, a refusal):
the ticket is opened (or the open one reused) with the screen's topic and context, so the
caseworker sees what it is about and the topic question is skipped."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.common import callback_message
from bot.dialogs.widgets import Tr
from bot.keyboards.tickets import end_keyboard
from bot.texts.tickets import write_prompt

HANDOFF_ID = "handoff"


def handoff_button(on_click: Any, when: str | None = None) -> Button:
    return Button(Tr("💬 Talk to a caseworker"), id=HANDOFF_ID, on_click=on_click, when=when)


async def hand_off(
    callback: CallbackQuery, manager: DialogManager, topic: str, context: dict[str, Any]
) -> None:
    opened = await ctx.services(manager).ticket_service.open_ticket(
        ctx.person_id(manager), topic, context
    )
    # The whole stack closes: a form left open underneath would take the words meant for
    # the caseworker.
    await manager.reset_stack()
    message = callback_message(callback)
    if message is not None:
        await message.answer(write_prompt(), reply_markup=end_keyboard(opened.ticket_id))
