"""aiogram-dialog's message manager, asking the platform profile before editing in place.

Bale may answer editMessageText with a stub instead of the edited message, so where the profile
says edits are not reliable a screen is sent as a new message (and the old one loses its buttons).
The same fallback covers a stub answer on any platform."""

from __future__ import annotations

import logging
from dataclasses import replace

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.types import Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext
from aiogram_dialog.api.entities import NewMessage, OldMessage, ShowMode
from aiogram_dialog.api.protocols import MessageNotModified
from aiogram_dialog.manager.message_manager import MessageManager

from bot.platforms.profiles import profile_of

logger = logging.getLogger(__name__)


class PlatformMessageManager(MessageManager):
    async def show_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage | None
    ) -> OldMessage:
        if (
            old_message is not None
            and not profile_of(bot).edits_in_place
            and new_message.show_mode in (ShowMode.AUTO, ShowMode.EDIT)
        ):
            new_message = replace(new_message, show_mode=ShowMode.SEND)
        try:
            return await super().show_message(bot, new_message, old_message)
        except (TelegramRetryAfter, TelegramServerError) as error:
            # The messenger is refusing (429/5xx past the retries). The step the person took is
            # kept whole: the dialog's new state is saved as if the screen had not changed, so
            # their next message lands on the step their answer already moved them to.
            logger.warning(
                "%s to chat %s failed after retries (%s); the screen was not shown",
                error.method.__api_method__,
                new_message.chat.id,
                type(error).__name__,
            )
            raise MessageNotModified(type(error).__name__) from error

    async def edit_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage
    ) -> Message:
        result = await super().edit_message(bot, new_message, old_message)
        if isinstance(result, Message):
            return result
        return await self.send_message(bot, new_message)

    async def remove_reply_kbd(self, bot: Bot, old_message: OldMessage | None) -> Message | None:
        # The library sends "..." to take a reply keyboard away; say something a person can read.
        if not old_message:
            return None
        return await bot.send_message(
            chat_id=old_message.chat.id,
            text=gettext("✓ Got it."),
            reply_markup=ReplyKeyboardRemove(),
        )
