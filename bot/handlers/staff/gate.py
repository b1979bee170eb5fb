"""What no staff handler took: refusals for non-staff, polite answers for dead buttons, and /help
in the staff group. Included last in the staff router."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.filters import IsStaff, StaffCallback, StaffChat
from bot.handlers.staff.help import STAFF_COMMANDS, staff_help_text
from bot.platforms.bots import platform_of
from services.staff import StaffMember, StaffService

logger = logging.getLogger(__name__)


def build_gate_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_group_help, StaffChat(), Command("help"), IsStaff())
    router.message.register(on_group_command_refused, StaffChat(), Command("help", *STAFF_COMMANDS))
    router.callback_query.register(on_staff_button_unhandled, StaffCallback())
    # Any other button in the staff group is not ours (or forged): answer, change nothing.
    router.callback_query.register(on_group_button_unknown, StaffChat())
    return router


async def on_group_help(message: Message, staff: StaffMember) -> None:
    await message.answer(staff_help_text(staff))


async def on_group_command_refused(message: Message) -> None:
    await message.answer(
        gettext("Sorry, these commands are for staff members only.")
        + "\n" + gettext("An administrator can add you as a caseworker.")
    )


async def on_staff_button_unhandled(
    callback: CallbackQuery, bot: Bot, staff_service: StaffService
) -> None:
    member = await staff_service.member(platform_of(bot), callback.from_user.id)
    if member is None:
        logger.warning(
            "staff button pressed by a non-staff account on %s (chat type %s)",
            platform_of(bot), callback.message.chat.type if callback.message else "unknown",
        )
        await callback.answer(gettext("Sorry, these buttons are for staff members only."))
        return
    # Staff, but the data fits no staff screen: forged or from an older version of the bot.
    logger.warning("unreadable staff button data from a staff member on %s", platform_of(bot))
    await callback.answer(gettext("This button no longer works. Please use /queue."))


async def on_group_button_unknown(callback: CallbackQuery) -> None:
    await callback.answer(gettext("This button no longer works."))
