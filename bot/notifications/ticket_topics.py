"""Forum topics for hand-off tickets: in a Telegram staff chat with topics, each ticket gets its
own topic, named «name · #12» and opened with the profile card; the person's messages go there.

The topic is made lazily, when the ticket's first message is relayed to a forum (the sender
relays one row per chat at a time; the service still keeps only the first topic stored). Where
topics cannot be had (Bale, a plain group, no "manage topics" right) the message goes to the
chat itself, as a header and a reply; that answer is remembered for a while per chat, so the
refusal is logged once rather than with every message."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import cast

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext

from bot.config import Platform
from bot.i18n import current_locale
from bot.platforms.topics import open_topic
from services.programs import ProgramRegistry
from services.text import localize_digits
from services.tickets import TicketPlace, TicketProfile, TicketService

logger = logging.getLogger(__name__)
Localize = Callable[[Callable[[], str]], str]
# How long a chat that gave no topic is posted to plainly before topics are tried again (an
# administrator may turn topics on, or give the bot the right, meanwhile).
PLAIN_FOR_SECONDS = 600.0


def topic_title(place: TicketPlace) -> str:
    number = "#" + localize_digits(str(place.ticket_id), current_locale())
    return (place.person_name or gettext("(not registered)")) + " · " + number


ProfileText = Callable[[TicketProfile, ProgramRegistry], str]


class TicketTopics:
    def __init__(
        self,
        tickets: TicketService,
        bots: Mapping[Platform, Bot],
        registry: ProgramRegistry,
        localize: Localize,
        profile_text: ProfileText,
    ) -> None:
        self._tickets = tickets
        self._bots = bots
        self._registry = registry
        # The staff screens draw the card (bot.handlers.staff.ticket_profile); handed in by the
        # serving code, so notifications do not import the handlers.
        self._profile_text = profile_text
        self._localize = localize  # words in the staff chat's language
        self._plain_until: dict[tuple[str, int], float] = {}

    async def thread_for(self, ticket_id: int, platform: str, chat_id: int) -> int | None:
        """The ticket's topic in `chat_id`, made now (with its profile card) if need be; None:
        post plainly."""
        place = await self._tickets.ticket_place(ticket_id)
        if place is None or (place.staff_platform, place.staff_chat_id) != (platform, chat_id):
            return None  # the ticket moved to another staff chat since this row was queued
        if place.thread_id is not None:
            return place.thread_id
        key = (platform, chat_id)
        if self._plain_until.get(key, 0.0) > time.monotonic():
            return None
        bot = self._bots[cast(Platform, platform)]
        made = await open_topic(bot, chat_id, self._localize(lambda: topic_title(place)))
        if made is None:
            self._plain_until[key] = time.monotonic() + PLAIN_FOR_SECONDS  # open_topic logged why
            return None
        thread = await self._tickets.claim_thread(ticket_id, platform, chat_id, made)
        if thread == made:
            await self._post_card(bot, ticket_id, chat_id, thread)
        return thread

    async def reopen(self, ticket_id: int, platform: str, chat_id: int) -> int | None:
        """Open the ticket's closed topic again; its id, or None when it has none here."""
        place = await self._tickets.ticket_place(ticket_id)
        if place is None or place.thread_id is None or place.staff_chat_id != chat_id:
            return None
        bot = self._bots[cast(Platform, platform)]
        try:
            await bot.reopen_forum_topic(chat_id, place.thread_id)
        except TelegramAPIError as error:  # already open, or the right was taken away
            logger.info("ticket %s: topic not reopened: %s", ticket_id, error.message)
        return place.thread_id

    async def _post_card(self, bot: Bot, ticket_id: int, chat_id: int, thread_id: int) -> None:
        profile = await self._tickets.profile(ticket_id)
        if profile is None:
            return
        text = self._localize(lambda: self._profile_text(profile, self._registry))
        try:
            await bot.send_message(chat_id, text, message_thread_id=thread_id)
        except TelegramAPIError as error:  # the message itself still goes; /profile shows it
            logger.warning("ticket %s: profile card not posted: %s", ticket_id, error.message)
