"""🔔 Notifications (/notifications): news of one's own applications always comes; general news
can be turned off and on. Also «🔕 Stop news» under every broadcast, and its undo.

Plain handlers, like /language: the screen and its buttons work in any state and never touch an
open form (a person may press «🔕 Stop news» in the middle of registering)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext

from bot.filters import MenuButton, OwnCallbackPrefix
from bot.handlers.fallback import on_unknown_callback
from bot.handlers.redraw import redraw, send_screen
from bot.i18n import N_
from bot.keyboards.callbacks import SwitchCb
from bot.keyboards.job_leads import JobChoiceCb
from bot.keyboards.main_menu import MenuItem, label
from bot.notifications.callbacks import StopNews
from bot.platforms.bots import platform_of
from bot.texts.waitlists import my_waitlists_button
from services.accounts import AccountContext
from services.preferences import (
    JobLeadChoices,
    NotificationPreferences,
    PersonNotFound,
    Topic,
)
from services.text import isolate_commands

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Switch:
    topic: Topic
    title: str  # its line on the screen (a msgid marked with N_)
    name: str  # how a sentence names it (a msgid marked with N_)


# The screen's switches, in order: one line each.
SWITCHES = (
    Switch(
        Topic.NEWS,
        N_("📰 General news (new courses, programs, announcements)"),
        N_("general news"),
    ),
    Switch(
        Topic.JOB_LEADS,
        N_("💼 Job leads for your skill"),
        N_("job leads"),
    ),
)
_BY_TOPIC = {switch.topic.value: switch for switch in SWITCHES}


def build_notifications_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_notifications, Command("notifications"))
    router.message.register(on_notifications, MenuButton(MenuItem.NOTIFICATIONS))
    router.callback_query.register(on_switch, SwitchCb.filter())
    router.callback_query.register(on_stop_news, StopNews.filter())
    router.callback_query.register(on_job_choice, JobChoiceCb.filter())
    # After them: a forged button of ours gets the polite answer, not an open form's silence.
    router.callback_query.register(
        on_unknown_callback, OwnCallbackPrefix(SwitchCb, StopNews, JobChoiceCb)
    )
    return router


def no_person_text() -> str:
    return isolate_commands(
        gettext("Sorry, I could not find your details. Please send /start, then try again.")
    )


def screen_text(
    switches: dict[Topic, bool], notice: str | None = None, choices: JobLeadChoices | None = None
) -> str:
    lines = [notice, ""] if notice else []
    lines += [
        label(MenuItem.NOTIFICATIONS),
        gettext("📄 News about your own applications always comes; it cannot be turned off."),
    ]
    for switch in SWITCHES:
        state = gettext("{title}: ✅ on") if switches[switch.topic] else gettext("{title}: 🔕 off")
        lines.append(state.format(title=gettext(switch.title)))
    if choices is not None and switches.get(Topic.JOB_LEADS):
        lines += job_choice_lines(choices)
    return "\n".join(lines)


def job_choice_lines(choices: JobLeadChoices) -> list[str]:
    lines = [
        gettext("💼 Job leads come: once a day, together") if choices.digest
        else gettext("💼 Job leads come: each one at once"),
    ]
    if choices.can_move is None:
        lines.append(gettext("❓ Could you move to a neighbouring province for a job? Your "
                             "answer decides which job leads you are told about."))
    elif choices.can_move:
        lines.append(gettext("🚌 Job leads of neighbouring provinces too: yes"))
    else:
        lines.append(gettext("🏠 Job leads of neighbouring provinces too: no"))
    return lines


def job_choice_rows(choices: JobLeadChoices) -> list[list[InlineKeyboardButton]]:
    rows = [[InlineKeyboardButton(
        text=gettext("⚡ Each job lead at once") if choices.digest
        else gettext("🗓 Job leads once a day"),
        callback_data=JobChoiceCb(what="digest", value=not choices.digest).pack(),
    )]]
    if choices.can_move is None:
        rows.append([
            InlineKeyboardButton(text=gettext("🚌 Yes, I can move"),
                                 callback_data=JobChoiceCb(what="move", value=True).pack()),
            InlineKeyboardButton(text=gettext("🏠 No, only my province"),
                                 callback_data=JobChoiceCb(what="move", value=False).pack()),
        ])
    else:
        rows.append([InlineKeyboardButton(
            text=gettext("🏠 Only my province") if choices.can_move
            else gettext("🚌 Neighbouring provinces too"),
            callback_data=JobChoiceCb(what="move", value=not choices.can_move).pack(),
        )])
    return rows


def screen_keyboard(
    switches: dict[Topic, bool], choices: JobLeadChoices | None = None
) -> InlineKeyboardMarkup:
    rows = []
    for switch in SWITCHES:
        on = switches[switch.topic]
        words = gettext("🔕 Turn off {name}") if on else gettext("🔔 Turn on {name}")
        rows.append([InlineKeyboardButton(
            text=words.format(name=gettext(switch.name)),
            callback_data=SwitchCb(topic=switch.topic.value, on=not on).pack(),
        )])
    if choices is not None and switches.get(Topic.JOB_LEADS):
        rows += job_choice_rows(choices)
    rows.append([my_waitlists_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def switched_text(switch: Switch, on: bool, changed: bool) -> str:
    if changed:
        words = gettext("✅ Done: {name} is now on.") if on else gettext(
            "✅ Done: {name} is now off.")
    else:
        words = gettext("Nothing changed: {name} was already on.") if on else gettext(
            "Nothing changed: {name} was already off.")
    return words.format(name=gettext(switch.name))


async def on_notifications(
    message: Message,
    notification_preferences: NotificationPreferences,
    account: AccountContext | None = None,
) -> None:
    try:
        person_id = _person_id(account)
        switches = await notification_preferences.switches(person_id)
        choices = await notification_preferences.job_lead_choices(person_id)
    except PersonNotFound:
        await message.answer(no_person_text())
        return
    await message.answer(
        screen_text(switches, choices=choices), reply_markup=screen_keyboard(switches, choices)
    )


async def on_switch(
    callback: CallbackQuery,
    callback_data: SwitchCb,
    bot: Bot,
    notification_preferences: NotificationPreferences,
    account: AccountContext | None = None,
) -> None:
    switch = _BY_TOPIC.get(callback_data.topic)
    if switch is None:
        await on_unknown_callback(callback)
        return
    try:
        person_id = _person_id(account)
        changed = await notification_preferences.switch(person_id, switch.topic, callback_data.on)
        switches = await notification_preferences.switches(person_id)
        choices = await notification_preferences.job_lead_choices(person_id)
    except PersonNotFound:
        await callback.answer(no_person_text(), show_alert=True)
        return
    notice = switched_text(switch, callback_data.on, changed)
    await callback.answer(notice)
    await redraw(bot, callback, screen_text(switches, notice, choices),
                  screen_keyboard(switches, choices))


async def on_job_choice(
    callback: CallbackQuery,
    callback_data: JobChoiceCb,
    bot: Bot,
    notification_preferences: NotificationPreferences,
    account: AccountContext | None = None,
) -> None:
    if callback_data.what not in ("digest", "move"):
        await on_unknown_callback(callback)
        return
    try:
        person_id = _person_id(account)
        if callback_data.what == "digest":
            await notification_preferences.set_job_lead_digest(person_id, callback_data.value)
        else:
            await notification_preferences.set_can_move(person_id, callback_data.value)
        switches = await notification_preferences.switches(person_id)
        choices = await notification_preferences.job_lead_choices(person_id)
    except PersonNotFound:
        await callback.answer(no_person_text(), show_alert=True)
        return
    notice = gettext("✅ Saved.")
    await callback.answer(notice)
    await redraw(bot, callback, screen_text(switches, notice, choices),
                  screen_keyboard(switches, choices))


async def on_stop_news(
    callback: CallbackQuery,
    callback_data: StopNews,
    bot: Bot,
    notification_preferences: NotificationPreferences,
    account: AccountContext | None = None,
) -> None:
    try:
        person_id = _person_id(account)
        changed = await notification_preferences.switch(person_id, Topic.NEWS, False)
    except PersonNotFound:
        await callback.answer(no_person_text(), show_alert=True)
        return
    if changed:
        logger.info(
            "%s person %s stopped general news (broadcast %s)",
            platform_of(bot), person_id, callback_data.broadcast_id,
        )
        await callback.answer(gettext("🔕 News stopped."))
        first = gettext("🔕 You will get no more general news.")
    else:
        await callback.answer(gettext("General news was already off."))
        first = gettext("🔕 General news is already off.")
    text = "\n".join([
        first,
        gettext("News about your own applications still comes."),
        isolate_commands(gettext("To turn it back on: «{screen}» in the menu, or /notifications.")
                         .format(screen=label(MenuItem.NOTIFICATIONS))),
    ])
    undo = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=gettext("🔔 Turn it back on"),
        callback_data=SwitchCb(topic=Topic.NEWS.value, on=True).pack(),
    )]])
    await send_screen(bot, callback, text, undo)


def _person_id(account: AccountContext | None) -> int:
    # Every private update has an account (AccountMiddleware); its person may be gone since.
    if account is None:
        raise PersonNotFound
    return account.person_id
