"""A reviewer's desk: the services one staff action needs, and the steps every action shares
(run the service call politely, redraw the card, tell the beneficiary)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext

from bot.config import Settings
from bot.handlers.staff.cards import (
    QUEUE_PAGE_SIZE,
    card_keyboard,
    card_text,
    queue_row,
    queue_text,
)
from bot.handlers.staff.labels import status_label
from bot.handlers.staff.screens import Refused, guarded, send, show
from bot.keyboards.staff import queue_keyboard
from bot.notifications.notifier import Notifier
from services.applications import ApplicationService, Notification, StaffCard
from services.catalog import CatalogService, CourseCard
from services.container import Services
from services.jalali import today_in
from services.programs import ProgramRegistry
from services.staff import StaffMember

logger = logging.getLogger(__name__)
T = TypeVar("T")
Screen = tuple[str, InlineKeyboardMarkup]


@dataclass(frozen=True, slots=True)
class Desk:
    bot: Bot
    staff: StaffMember
    applications: ApplicationService
    catalog: CatalogService
    notifier: Notifier
    settings: Settings

    @classmethod
    def of(cls, data: dict[str, Any]) -> Desk:
        """From a handler's contextual data (the composition root's services)."""
        services: Services = data["services"]
        return cls(
            bot=data["bot"],
            staff=data["staff"],
            applications=services.application_service,
            catalog=services.catalog_service,
            notifier=data["notifier"],
            settings=data["settings"],
        )

    @property
    def registry(self) -> ProgramRegistry:
        return self.applications.registry

    @property
    def timezone(self) -> str:
        return self.settings.timezone

    async def run(self, call: Callable[[], Awaitable[T]], what: str) -> T | Refused:
        return await guarded(
            call, bot=self.bot, staff=self.staff, what=what, registry=self.registry
        )

    async def card(self, app_id: int) -> StaffCard | Refused:
        today = today_in(self.timezone)
        return await self.run(
            lambda: self.applications.card(app_id, self.staff, today=today),
            f"application {app_id}",
        )

    async def card_or_refuse(self, callback: CallbackQuery, app_id: int) -> StaffCard | None:
        """The card, or None once the pressing reviewer has been told why not (a pop-up)."""
        card = await self.card(app_id)
        if isinstance(card, Refused):
            await callback.answer(card.text, show_alert=True)
            return None
        return card

    async def card_screen(self, app_id: int) -> Screen | Refused:
        card = await self.card(app_id)
        if isinstance(card, Refused):
            return card
        return await self.screen_of(card)

    async def screen_of(self, card: StaffCard) -> Screen:
        course = await self._course(card.view.course_code)
        text = card_text(card, self.staff, self.registry, course, self.timezone)
        return text, card_keyboard(card, self.registry)

    async def current_or_redraw(
        self, callback: CallbackQuery, app_id: int, pressed: str
    ) -> StaffCard | None:
        """The card as the database has it now, when it still offers the pressed button
        (`pressed`: its callback data, a confirmation's as the card's own button). Otherwise
        the pressed screen is redrawn with the current status and the press is refused, so a
        card left open never acts on a status that has since changed. None when refused."""
        card = await self.card(app_id)
        if isinstance(card, Refused):
            await callback.answer(card.text, show_alert=True)
            return None
        keyboard = card_keyboard(card, self.registry)
        offered = {b.callback_data for row in keyboard.inline_keyboard for b in row}
        if pressed in offered:
            return card
        await callback.answer(
            gettext("This card was out of date: the application is now «{status}». "
                    "Here it is as it is now.").format(status=status_label(card.view.status)),
            show_alert=True,
        )
        await show(self.bot, callback, *await self.screen_of(card))
        return None

    async def queue_screen(self, page: int) -> Screen:
        total = await self.applications.queue_size(self.staff)
        pages = max(1, (total + QUEUE_PAGE_SIZE - 1) // QUEUE_PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        items = await self.applications.queue(
            self.staff, limit=QUEUE_PAGE_SIZE, offset=page * QUEUE_PAGE_SIZE
        )
        today = today_in(self.timezone)
        rows = [(item.id, queue_row(item, self.registry, today, self.timezone)) for item in items]
        return queue_text(total, page), queue_keyboard(rows, page, has_next=page + 1 < pages)

    async def act(
        self,
        callback: CallbackQuery,
        app_id: int,
        call: Callable[[], Awaitable[Notification]],
        what: str,
    ) -> None:
        """Run one action pressed on a card; on success tell the beneficiary, redraw the card."""
        result = await self.run(call, what)
        if isinstance(result, Refused):
            await callback.answer(result.text, show_alert=True)
            # Whatever changed meanwhile, the card now shows it.
            screen = await self.card_screen(app_id)
            if not isinstance(screen, Refused):
                await show(self.bot, callback, *screen)
            return
        # Answer the press first: a slow messenger on the beneficiary's side must not make the
        # button spin (or the callback expire).
        await callback.answer(gettext("✅ Done."))
        screen = await self.card_screen(app_id)
        if not isinstance(screen, Refused):
            await show(self.bot, callback, *screen)
        if not await self.tell(result):
            await send(self.bot, callback, unreachable_text(), None)

    async def tell(self, notification: Notification) -> bool:
        """The service queued the beneficiary's message with the decision; wake the senders.
        False when no messenger of theirs could be told (none, or all blocked the bot)."""
        self.notifier.queued()
        return notification.queued > 0

    async def _course(self, code: object) -> CourseCard | None:
        if not isinstance(code, str) or not code:
            return None
        return await self.catalog.card(code, today_in(self.timezone))


def done_text(reached: bool) -> str:
    told = gettext("The applicant will be told on their messenger.")
    return gettext("✅ Done.") + "\n" + (told if reached else unreachable_text())


def unreachable_text() -> str:
    return gettext(
        "The applicant could not be reached on a messenger now; they will see it in their file."
    )
