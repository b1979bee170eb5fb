"""Broadcast form callbacks: take the message, set the audience, show the preview, confirm.

Confirming calls BroadcastService.start with the key made when the preview was shown: a second
press (or an old confirm button) finds the same broadcast instead of making another."""

from __future__ import annotations

import uuid
from typing import Any, cast

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.broadcast import audience as aud
from bot.dialogs.broadcast import getters as g
from bot.dialogs.broadcast.content import problem_of, read_message
from bot.dialogs.broadcast.dialog_data import (
    AUDIENCE_KEY,
    DRAFT_KEY,
    FACET_KEY,
    NOTICE_KEY,
    REQUEST_KEY,
)
from bot.dialogs.broadcast.states import BroadcastSG
from bot.dialogs.common import callback_message
from bot.keyboards.broadcasts import progress_keyboard
from bot.notifications.callbacks import stop_news_keyboard
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from bot.platforms.files import DownloadFailed, FileTooBig, download_limited
from bot.platforms.profiles import profile_of
from bot.texts.broadcasts import progress_text
from services.broadcasts import BroadcastContent, EmptyAudience, NotAnAdministrator
from services.staff import StaffService


async def on_message(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    draft = read_message(message)
    platforms = aud.platforms_of(manager, ctx.settings(manager))
    problem = problem_of(draft, platforms, profile_of(ctx.bot(manager)))
    if problem is not None:
        manager.dialog_data[NOTICE_KEY] = problem
        return
    manager.dialog_data.pop(NOTICE_KEY, None)
    manager.dialog_data[DRAFT_KEY] = draft
    await manager.switch_to(BroadcastSG.audience)


async def on_change_message(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(NOTICE_KEY, None)
    await manager.switch_to(BroadcastSG.compose)


async def on_facet(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[FACET_KEY] = button.widget_id
    await manager.switch_to(BroadcastSG.pick)


async def on_everyone(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data[AUDIENCE_KEY] = {}


async def on_option(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    facet = str(manager.dialog_data.get(FACET_KEY) or "")
    option = "" if item_id == "-" else item_id
    known = {value for _, value in await g.facet_options(manager, facet)}
    if option not in known:  # forged, or the catalog changed under the screen
        await callback.answer(gettext("This button no longer works."))
        manager.show_mode = ShowMode.NO_UPDATE
        return
    if facet == "since_days":
        manager.dialog_data[AUDIENCE_KEY] = {**aud.audience_of(manager), "since_days": int(option)}
    elif facet == "platforms":
        aud.set_facet(manager, facet, [option] if option else [])
    else:
        values = aud.chosen(manager, facet)
        values = [v for v in values if v != option] if option in values else [*values, option]
        aud.set_facet(manager, facet, values)
        return  # several may be ticked: the screen stays
    await manager.switch_to(BroadcastSG.audience)


async def on_clear_facet(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    aud.set_facet(manager, str(manager.dialog_data.get(FACET_KEY) or ""), [])


async def on_back_to_audience(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(NOTICE_KEY, None)
    await manager.switch_to(BroadcastSG.audience)


async def on_preview(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The message as recipients will see it, then the count and the confirm button below it."""
    manager.dialog_data.pop(NOTICE_KEY, None)
    manager.dialog_data[REQUEST_KEY] = uuid.uuid4().hex
    draft = g.draft_of(manager)
    settings = ctx.settings(manager)
    count = await g.service(manager).count(aud.audience_filter(manager, settings))
    message = callback_message(callback)
    if draft is not None and count and g.current_problem(manager) is None and message:
        text = str(draft.get("text") or "")
        keyboard = stop_news_keyboard()
        if draft["kind"] == "photo":
            await message.answer_photo(draft["file_id"], caption=text or None,
                                       reply_markup=keyboard)
        elif draft["kind"] == "document":
            await message.answer_document(draft["file_id"], caption=text or None,
                                          reply_markup=keyboard)
        else:
            await message.answer(text, reply_markup=keyboard)
        manager.show_mode = ShowMode.SEND  # the confirm question goes below the sample
    await manager.switch_to(BroadcastSG.preview)


async def on_confirm(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    key = manager.dialog_data.get(REQUEST_KEY)
    draft = g.draft_of(manager)
    message = callback_message(callback)
    if not isinstance(key, str) or draft is None or message is None:
        await manager.switch_to(BroadcastSG.audience)
        return
    bot = ctx.bot(manager)
    staff_service = cast(StaffService, manager.middleware_data["staff_service"])
    member = await staff_service.member(platform_of(bot), callback.from_user.id)
    content = await _content(manager, draft)
    if content is None:
        manager.dialog_data[NOTICE_KEY] = {"kind": "download_failed"}
        await manager.switch_to(BroadcastSG.compose)
        return
    settings = ctx.settings(manager)
    try:
        if member is None:
            raise NotAnAdministrator()
        progress, created = await g.service(manager).start(
            member, request_key=key, author_chat_id=message.chat.id, content=content,
            audience=aud.audience_filter(manager, settings),
            audience_label=aud.audience_label(manager, settings),
        )
    except NotAnAdministrator:
        await callback.answer(gettext("Only administrators can send broadcasts."),
                              show_alert=True)
        await manager.done()
        return
    except EmptyAudience:
        manager.dialog_data[NOTICE_KEY] = {"kind": "empty"}
        await manager.switch_to(BroadcastSG.preview)
        return
    cast(Notifier, manager.middleware_data["notifier"]).queued()
    if created:
        sent = await message.answer(
            progress_text(progress), reply_markup=progress_keyboard(progress)
        )
        await g.service(manager).set_progress_message(progress.id, sent.message_id)
    else:
        await callback.answer(gettext("This broadcast has started already."))
    manager.show_mode = ShowMode.NO_UPDATE
    await manager.done()


async def _content(manager: DialogManager, draft: dict[str, Any]) -> BroadcastContent | None:
    """The message with its file's bytes (downloaded now, within the messenger's cap); None
    when the file cannot be had any more."""
    text = str(draft.get("text") or "")
    if draft["kind"] == "text":
        return BroadcastContent(text=text)
    bot = ctx.bot(manager)
    try:
        data = await download_limited(
            bot, str(draft["file_id"]), draft.get("size"), profile_of(bot).max_download_bytes
        )
    except (FileTooBig, DownloadFailed):
        return None
    return BroadcastContent(
        text=text, media_kind=str(draft["kind"]), media_name=str(draft.get("name") or ""),
        media_mime=draft.get("mime"), media=data,
    )


async def on_cancel(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await callback.answer(gettext("Nothing was sent."))
    message = callback_message(callback)
    manager.show_mode = ShowMode.NO_UPDATE
    await manager.done()
    if message is not None:
        await message.answer(gettext("The broadcast is cancelled; nothing was sent."))
