"""A person's screen redrawn after a button press, the same way on every screen."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.platforms.profiles import profile_of


async def redraw(
    bot: Bot, callback: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """The pressed message becomes the screen where the messenger edits reliably; elsewhere
    (Bale) the screen comes anew and the old message loses its buttons."""
    message = callback.message
    if isinstance(message, Message) and profile_of(bot).edits_in_place:
        try:
            await message.edit_text(text, reply_markup=keyboard)
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return
            # Too old to edit, or deleted: send it anew.
    elif isinstance(message, Message):
        try:
            await message.edit_reply_markup(reply_markup=None)
        except TelegramAPIError:
            pass  # a spent button left on an old message is harmless: it names, not changes
    await send_screen(bot, callback, text, keyboard)


async def send_screen(
    bot: Bot, callback: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    message = callback.message
    # A button on a message the messenger no longer shows us still has its private chat.
    chat_id = message.chat.id if message is not None else callback.from_user.id
    await bot.send_message(chat_id=chat_id, text=text, reply_markup=keyboard)
