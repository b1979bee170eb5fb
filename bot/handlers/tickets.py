"""The beneficiary's side of the hand-off: «💬 Talk to a caseworker» (and /caseworker), the
topic, the end button, the rating after staff close; and, late in line (just before the
fallback), the person's plain messages while their ticket is open, which go to the caseworker.

Menu buttons, commands and open forms are routed before the relay, so they keep working while a
ticket is open; only what no screen took is relayed."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext

from bot.config import Settings
from bot.filters import MenuButton
from bot.handlers.ticket_input import incoming_of
from bot.i18n import current_locale
from bot.keyboards.main_menu import MenuItem, main_menu_keyboard
from bot.keyboards.tickets import (
    TicketEndCb,
    TicketRateCb,
    TicketTopicCb,
    end_keyboard,
    topics_keyboard,
)
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from bot.texts.tickets import ended_text, write_prompt
from services.accounts import AccountContext
from services.text import localize_digits
from services.tickets import TOPICS, PersonOutcome, TicketService

logger = logging.getLogger(__name__)


def build_ticket_entry_router() -> Router:
    """For the entries router: the menu button, the command and the hand-off's buttons."""
    router = Router(name=__name__)
    router.message.register(on_ticket_menu, MenuButton(MenuItem.CASEWORKER))
    router.message.register(on_ticket_menu, Command("caseworker"))
    router.callback_query.register(on_topic, TicketTopicCb.filter())
    router.callback_query.register(on_end, TicketEndCb.filter())
    router.callback_query.register(on_rate, TicketRateCb.filter())
    return router


def build_ticket_relay_router() -> Router:
    """Just before the fallback: a plain message of a person whose ticket is open."""
    router = Router(name=f"{__name__}.relay")
    router.message.register(on_ticket_message, NotCommand(), InOpenTicket())
    router.message.register(on_rating_comment, NotCommand())
    return router


class NotCommand(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return not (message.text or message.caption or "").lstrip().startswith("/")


class InOpenTicket(BaseFilter):
    """The person has an open ticket: hands the handler `ticket_id`."""

    async def __call__(
        self, message: Message, ticket_service: TicketService,
        account: AccountContext | None = None,
    ) -> bool | dict[str, Any]:
        if account is None:
            return False
        ticket_id = await ticket_service.open_ticket_of(account.person_id)
        return {"ticket_id": ticket_id} if ticket_id is not None else False


async def on_ticket_menu(message: Message) -> None:
    await message.answer(
        gettext("A caseworker will read your message and answer you here.")
        + "\n" + gettext("What is it about? Choose one."),
        reply_markup=topics_keyboard(),
    )


async def on_topic(
    callback: CallbackQuery, callback_data: TicketTopicCb, account: AccountContext,
    ticket_service: TicketService,
) -> None:
    if callback_data.topic not in TOPICS:
        await callback.answer(gettext("This button no longer works. Please use the menu."))
        return
    opened = await ticket_service.open_ticket(account.person_id, callback_data.topic)
    await callback.answer()
    if callback.message is not None:
        await callback.message.answer(write_prompt(), reply_markup=end_keyboard(opened.ticket_id))


async def on_ticket_message(
    message: Message, bot: Bot, account: AccountContext, ticket_service: TicketService,
    settings: Settings, notifier: Notifier,
) -> None:
    incoming = incoming_of(message, platform_of(bot))
    if incoming is None:
        await message.answer(
            gettext("Sorry, this kind of message cannot be sent to the caseworker.")
            + "\n" + gettext("You can send text, a photo, a file or a voice message.")
        )
        return
    result = await ticket_service.from_person(account.person_id, platform_of(bot), incoming)
    if result.outcome is PersonOutcome.RELAYED:
        notifier.queued()
        if result.tell:
            await message.answer(
                gettext("✅ Your message was sent to a caseworker.")
                + "\n" + gettext("You will usually get an answer within {hours} hours.").format(
                    hours=localize_digits(str(settings.ticket_answer_hours), current_locale())
                )
                + "\n" + gettext("Meanwhile the menu still works."),
                reply_markup=end_keyboard(result.ticket_id),
            )
    elif result.outcome is PersonOutcome.BUSY:
        await message.answer(
            gettext("Your message is saved, but no caseworker can answer right now.")
            + "\n" + gettext("Please try again later.")
        )
    elif result.tell:  # banned: said once
        await message.answer(gettext("Your messages cannot be sent to a caseworker."))


async def on_rating_comment(
    message: Message, account: AccountContext | None = None,
    ticket_service: TicketService | None = None,
) -> None:
    # The first words after a rating are its comment; anything else goes on to the fallback.
    if account is None or ticket_service is None or not message.text:
        raise SkipHandler
    if not await ticket_service.comment(account.person_id, message.text):
        raise SkipHandler
    await message.answer(
        gettext("Thank you for your comment."),
        reply_markup=main_menu_keyboard(registered=account.registered),
    )


async def on_end(
    callback: CallbackQuery, callback_data: TicketEndCb, account: AccountContext,
    ticket_service: TicketService, notifier: Notifier,
) -> None:
    closed = await ticket_service.close_by_person(account.person_id, callback_data.ticket)
    if closed is None:
        await callback.answer(gettext("This conversation has already ended."))
        return
    notifier.queued()
    await callback.answer()
    if callback.message is not None:
        await callback.message.answer(
            ended_text(), reply_markup=main_menu_keyboard(registered=account.registered)
        )


async def on_rate(
    callback: CallbackQuery, callback_data: TicketRateCb, account: AccountContext,
    ticket_service: TicketService,
) -> None:
    rated = await ticket_service.rate(account.person_id, callback_data.ticket, callback_data.stars)
    if not rated:
        await callback.answer(gettext("This button no longer works."))
        return
    await callback.answer(gettext("Thank you!"))
    if callback.message is not None:
        await callback.message.answer(
            gettext("Thank you for your rating.")
            + "\n" + gettext("If you like, write a short comment now; or choose from the menu."),
            reply_markup=main_menu_keyboard(registered=account.registered),
        )
