"""«🔔 My waitlists» (from the notifications screen): the entries, each with «✖️ Remove»; and a
course button of a course-opening notice, which opens its card.

Plain handlers, like the notifications screen. A remove button's id proves nothing: the service
removes only the presser's own entry; a forged or spent one gets a polite answer."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs.courses.entry import open_courses
from bot.filters import OwnCallbackPrefix
from bot.handlers.fallback import on_unknown_callback
from bot.handlers.notifications import no_person_text
from bot.keyboards.waitlists import OpenedCourseCb, WaitlistCb
from bot.texts.waitlists import list_keyboard, list_text
from services.accounts import AccountContext
from services.catalog import CatalogService, is_course_code_shaped
from services.waitlists import WaitlistService


def build_waitlists_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_waitlists, WaitlistCb.filter())
    router.callback_query.register(on_opened_course, OpenedCourseCb.filter())
    router.callback_query.register(
        on_unknown_callback, OwnCallbackPrefix(WaitlistCb, OpenedCourseCb)
    )
    return router


async def on_waitlists(
    callback: CallbackQuery, callback_data: WaitlistCb, bot: Bot,
    waitlist_service: WaitlistService, account: AccountContext | None = None,
) -> None:
    if account is None:
        await callback.answer(no_person_text(), show_alert=True)
        return
    notice = None
    if callback_data.action == "rm":
        if await waitlist_service.remove(account.person_id, callback_data.waitlist_id):
            notice = gettext("✅ Removed: you will not be told about it any more.")
        else:
            # Removed already (an old list), or not this person's (a forged button).
            notice = gettext("That waitlist is not on your list any more; nothing changed.")
        await callback.answer(notice)
    elif callback_data.action == "list":
        await callback.answer()
    else:
        await on_unknown_callback(callback)
        return
    entries = await waitlist_service.entries(account.person_id)
    text = list_text(entries, waitlist_service.max_per_person, notice)
    message = callback.message
    chat_id = message.chat.id if isinstance(message, Message) else callback.from_user.id
    await bot.send_message(chat_id=chat_id, text=text, reply_markup=list_keyboard(entries))


async def on_opened_course(
    callback: CallbackQuery, callback_data: OpenedCourseCb, dialog_manager: DialogManager,
    catalog_service: CatalogService, waitlist_service: WaitlistService,
) -> None:
    code = callback_data.code
    card = (
        await catalog_service.card(code, waitlist_service.today())
        if is_course_code_shaped(code) else None
    )
    if card is None:
        await callback.answer(gettext("That course is no longer in the catalog."), show_alert=True)
        return
    await callback.answer()
    await open_courses(dialog_manager, code=card.code)


