"""Showing staff screens in a private chat or the staff group, and turning the service's domain
errors into polite refusals (logged by ids only, never personal data)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.labels import status_label
from bot.i18n import current_locale
from bot.platforms.bots import platform_of
from bot.platforms.profiles import profile_of
from bot.texts.applications import document_name
from services.applications import (
    ApplicationLocked,
    ApplicationNotFound,
    CannotApprove,
    ForbiddenTransition,
    NoRoomToAdd,
    NotAuthorized,
)
from services.programs import ProgramRegistry
from services.staff import StaffMember
from services.text import isolate_commands

logger = logging.getLogger(__name__)
T = TypeVar("T")


async def send(
    bot: Bot, where: CallbackQuery | Message, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """A new message in the chat of `where` (the same forum topic, where the platform has them)."""
    message = where.message if isinstance(where, CallbackQuery) else where
    if message is None:  # a button on a message the messenger no longer shows us
        chat_id = where.from_user.id if where.from_user else None
        if chat_id is None:
            return
        await bot.send_message(chat_id=chat_id, text=text, reply_markup=keyboard)
        return
    await bot.send_message(
        chat_id=message.chat.id,
        text=text,
        reply_markup=keyboard,
        message_thread_id=thread_of(bot, message),
    )


def thread_of(bot: Bot, message: object) -> int | None:
    """The forum topic to answer in; never on a platform without topics (Bale)."""
    if not isinstance(message, Message) or not profile_of(bot).supports_topics:
        return None
    return message.message_thread_id if message.is_topic_message else None


async def show(
    bot: Bot, callback: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """Replace the pressed screen where the platform edits reliably; else send it anew."""
    message = callback.message
    if isinstance(message, Message) and profile_of(bot).edits_in_place:
        try:
            await message.edit_text(text, reply_markup=keyboard)
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return
            # Too old to edit, or deleted: fall through and send it anew.
    await send(bot, callback, text, keyboard)


@dataclass(frozen=True, slots=True)
class Refused:
    text: str


async def guarded(
    call: Callable[[], Awaitable[T]],
    *,
    bot: Bot,
    staff: StaffMember,
    what: str,
    registry: ProgramRegistry | None = None,
) -> T | Refused:
    """Run a staff service call; domain refusals become a polite text. `what` names the target
    by id only (e.g. "application 12"): it is logged."""
    try:
        return await call()
    except NotAuthorized:
        logger.warning(
            "refused %s:%s on %s: outside their provinces", platform_of(bot), staff.user_id, what
        )
        return Refused(gettext("Sorry, this application is not in your provinces."))
    except ApplicationNotFound:
        logger.warning("refused %s:%s on %s: no such record", platform_of(bot), staff.user_id, what)
        return Refused(gettext("This application or document no longer exists."))
    except ForbiddenTransition as error:
        return Refused(
            gettext("This is not possible now: the application is «{status}».").format(
                status=status_label(error.current)
            )
        )
    except ApplicationLocked:
        # A document or application changed under a stale card (another reviewer, the person).
        return Refused(gettext("This changed meanwhile. Please refresh the card."))
    except ValueError:
        # e.g. document kinds the program does not have: only a forged or outdated button.
        logger.warning("refused %s:%s on %s: invalid values", platform_of(bot), staff.user_id, what)
        return Refused(isolate_commands(gettext("This button no longer works. Please use /queue.")))
    except NoRoomToAdd as error:
        names = "، ".join(
            document_name(registry, None, kind, current_locale()) if registry else kind
            for kind in error.kinds
        )
        return Refused(gettext(
            "{names} already has as many files as allowed: new files can only replace them."
        ).format(names=names))
    except CannotApprove as error:
        locale = current_locale()
        names = "، ".join(
            document_name(registry, None, kind, locale) if registry else kind
            for kind in error.kinds
        )
        return Refused(
            gettext("Cannot approve yet: these documents are missing or rejected: {names}").format(
                names=names
            )
        )
