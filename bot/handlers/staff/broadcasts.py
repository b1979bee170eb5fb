"""/broadcast (the form), /broadcasts, and the buttons of a broadcast's progress message:
pause, resume, cancel.

The buttons name a broadcast by id; BroadcastService re-checks that the presser is an
administrator and that the broadcast is in a state the action fits, so a forged or stale button
gets a polite answer and changes nothing. Cancelling asks first.

/broadcast opens the form for administrators in a private chat; a caseworker is told why nothing
happened; anyone else's /broadcast is not a command for them and gets the ordinary fallback, as
the other staff commands do."""

from __future__ import annotations

import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.dialogs.broadcast.entry import open_broadcast
from bot.filters import PrivateChat
from bot.handlers.staff.filters import IsStaff
from bot.keyboards.broadcasts import BroadcastCb, cancel_question_keyboard, progress_keyboard
from bot.notifications.broadcast_progress import show_progress
from bot.platforms.profiles import profile_of
from bot.texts.broadcasts import list_entry, progress_text, report_text, state_label
from services.broadcasts import (
    BroadcastProgress,
    BroadcastService,
    BroadcastState,
    NotAnAdministrator,
    WrongBroadcastState,
)
from services.staff import StaffMember
from services.text import format_number, isolate_commands

RECENT = 10
BROADCAST_COMMANDS = ("broadcast", "broadcasts")


def build_broadcasts_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        on_broadcast, Command("broadcast"), PrivateChat(), IsStaff(admin=True)
    )
    # In the staff group: the form asks for files and words one at a time, so it lives in private.
    router.message.register(on_broadcast_in_group, Command("broadcast"), IsStaff(admin=True))
    router.message.register(on_list, Command("broadcasts"), IsStaff(admin=True))
    # A caseworker is told why nothing happened (as with the staff-management commands).
    router.message.register(on_not_admin, Command(*BROADCAST_COMMANDS), IsStaff())
    router.callback_query.register(on_button, BroadcastCb.filter(), IsStaff())
    return router


async def on_broadcast(_message: Message, dialog_manager: DialogManager) -> None:
    await open_broadcast(dialog_manager)


async def on_broadcast_in_group(message: Message) -> None:
    await message.answer(isolate_commands(
        gettext("Please send /broadcast in your private chat with the bot.")))


async def on_not_admin(message: Message) -> None:
    await message.answer(gettext("Only administrators can send broadcasts."))


async def on_list(
    message: Message, broadcast_service: BroadcastService, settings: Settings
) -> None:
    recent = await broadcast_service.recent(RECENT)
    if not recent:
        await message.answer(isolate_commands(
            gettext("No broadcasts yet. Send /broadcast to write one.")))
        return
    entries = [list_entry(progress, settings.timezone) for progress in recent]
    await message.answer(
        gettext("📣 Recent broadcasts:") + "\n\n" + "\n\n".join(entries),
        reply_markup=_list_keyboard(recent),
    )


def _list_keyboard(recent: list[BroadcastProgress]) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for progress in recent:
        keyboard = progress_keyboard(progress)
        if keyboard is None:
            continue
        number = " " + format_number(progress.id, None)
        rows.append([
            InlineKeyboardButton(text=b.text + number, callback_data=b.callback_data)
            for b in keyboard.inline_keyboard[0]
        ])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def on_button(
    callback: CallbackQuery, callback_data: BroadcastCb, staff: StaffMember, bot: Bot,
    broadcast_service: BroadcastService,
) -> None:
    action, broadcast_id = callback_data.action, callback_data.id
    message = callback.message if isinstance(callback.message, Message) else None
    if action == "cancel":
        progress = await broadcast_service.progress(broadcast_id)
        if not staff.is_admin:
            await callback.answer(gettext("Only administrators can do this."), show_alert=True)
            return
        if progress is None:
            await callback.answer(gettext("This button no longer works."))
            return
        if progress.ended:
            await callback.answer(_already(progress.state), show_alert=True)
            return
        await callback.answer()
        if message is not None:
            await message.answer(
                gettext("Cancel broadcast {number}? Those not reached yet will not get it.")
                .format(number=format_number(broadcast_id, None)),
                reply_markup=cancel_question_keyboard(broadcast_id),
            )
        return
    if action == "keep":
        await callback.answer(gettext("It goes on."))
        if message is not None:
            with contextlib.suppress(TelegramAPIError):
                await message.edit_reply_markup(reply_markup=None)
        return
    moves = {
        "pause": broadcast_service.pause,
        "resume": broadcast_service.resume,
        "cancel_yes": broadcast_service.cancel,
    }
    move = moves.get(action)
    if move is None:
        await callback.answer(gettext("This button no longer works."))
        return
    try:
        progress = await move(staff, broadcast_id)
    except NotAnAdministrator:
        await callback.answer(gettext("Only administrators can do this."), show_alert=True)
        return
    except WrongBroadcastState as error:
        await callback.answer(_already(error.state), show_alert=True)
        return
    except LookupError:
        await callback.answer(gettext("This button no longer works."))
        return
    await callback.answer(state_label(progress.state))
    if action == "cancel_yes" and message is not None:
        with contextlib.suppress(TelegramAPIError):
            await message.edit_reply_markup(reply_markup=None)
    await _refresh(bot, broadcast_service, progress)
    if progress.ended and message is not None:
        await message.answer(report_text(progress))


async def _refresh(bot: Bot, service: BroadcastService, progress: BroadcastProgress) -> None:
    """The progress message shows the new state and the buttons that fit it."""
    if progress.author_platform != profile_of(bot).name:
        return  # written on the other messenger: its progress loop shows it
    with contextlib.suppress(TelegramAPIError):
        await show_progress(
            bot, service, progress, progress_text(progress), progress_keyboard(progress),
            new_message=not profile_of(bot).edits_in_place and not progress.ended,
        )


def _already(state: BroadcastState) -> str:
    return gettext("This broadcast is {state} already.").format(state=state_label(state))
