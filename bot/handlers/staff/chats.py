"""Administrators choose which staff group serves which provinces: /bindchat, /unbindchat and
/chats, typed in the group itself (any group the bot is in, not only the configured one).

Outside the staff gate on purpose: a provincial group is not the configured staff group, so the
gate would drop its messages. A caseworker or stranger gets the answers other admin-only
commands give; in a private chat, staff are told to use the command in the group."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.filters import CommandText, PrivateChat
from bot.handlers.staff.filters import IsStaff
from bot.handlers.staff.gate import on_group_command_refused
from bot.platforms.bots import platform_of
from bot.platforms.profiles import profile_of
from services.staff import StaffMember
from services.staff_chats import (
    BindOutcome,
    NoProvinces,
    StaffChatRouting,
    UnknownProvinces,
)
from services.text import isolate, isolate_commands

CHAT_COMMANDS = ("bindchat", "unbindchat", "chats")
_MEMBER_STATUSES = ("creator", "administrator", "member")


def build_staff_chats_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(CommandText())  # commands only: the rest skips six Command filters
    commands = Command(*CHAT_COMMANDS)
    router.message.register(on_private, commands, PrivateChat(), IsStaff())
    router.message.register(on_bind, Command("bindchat"), IsStaff(admin=True))
    router.message.register(on_unbind, Command("unbindchat"), IsStaff(admin=True))
    router.message.register(on_list, Command("chats"), IsStaff(admin=True))
    router.message.register(on_not_admin, commands, IsStaff())
    router.message.register(on_stranger, commands, NotPrivate())
    return router


class NotPrivate(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return message.chat.type != "private"


async def on_private(message: Message) -> None:
    await message.answer(gettext("Send this command in the group it is about."))


async def on_not_admin(message: Message) -> None:
    await message.answer(gettext("Only administrators can do this."))


async def on_stranger(message: Message) -> None:
    await on_group_command_refused(message)


async def on_bind(
    message: Message,
    command: CommandObject,
    bot: Bot,
    staff: StaffMember,
    staff_chat_routing: StaffChatRouting,
) -> None:
    try:
        outcome = await staff_chat_routing.bind(
            staff, platform_of(bot), message.chat.id, command.args or ""
        )
    except UnknownProvinces as error:
        await message.answer(
            gettext("I do not know these provinces: {names}").format(names="، ".join(error.names))
            + "\n" + gettext("Nothing was changed. Write province names separated by commas.")
        )
        return
    except NoProvinces:
        await message.answer(isolate_commands(
            gettext("Usage: /bindchat followed by provinces, separated by commas")
            + "\n" + gettext("Example: /bindchat تهران، البرز")
        ))
        return
    await message.answer(_bound_text(outcome) + "\n" + await _reach_text(bot, message.chat.id))


def _bound_text(outcome: BindOutcome) -> str:
    lines = [gettext("✅ This chat now serves: {names}").format(names="، ".join(outcome.provinces))]
    for province, chat in outcome.moved:
        lines.append(gettext("{province} was moved here from chat {chat}.").format(
            province=province, chat=isolate(str(chat))
        ))
    return "\n".join(lines)


async def _reach_text(bot: Bot, chat_id: int) -> str:
    """Whether the bot can act here: asked of the messenger, since it may have been restricted."""
    try:
        # getMe's id, not the token's prefix: they agree on Telegram, not in every test double.
        member = await bot.get_chat_member(chat_id, (await bot.me()).id)
    except TelegramAPIError:
        return gettext(
            "Warning: I could not check that I am a member of this chat. Add me to it, or "
            "messages for these provinces will not arrive."
        )
    if member.status not in _MEMBER_STATUSES:
        return gettext(
            "Warning: I am not a member of this chat. Add me to it, or messages for these "
            "provinces will not arrive."
        )
    text = gettext("I can post in this chat.")
    if profile_of(bot).supports_topics and member.status == "member":
        chat = await bot.get_chat(chat_id)
        if chat.is_forum:
            text += "\n" + gettext(
                "To give each conversation its own topic, make me an administrator who can "
                "manage topics."
            )
    return text


async def on_unbind(
    message: Message, bot: Bot, staff: StaffMember, staff_chat_routing: StaffChatRouting
) -> None:
    released = await staff_chat_routing.unbind(staff, platform_of(bot), message.chat.id)
    if not released:
        await message.answer(gettext("No province is bound to this chat."))
        return
    await message.answer(
        gettext("✅ This chat no longer serves: {names}").format(names="، ".join(released))
        + "\n" + gettext("Their messages now go to the main staff chat.")
    )


async def on_list(message: Message, bot: Bot, staff_chat_routing: StaffChatRouting) -> None:
    bindings = await staff_chat_routing.bindings()
    if not bindings:
        await message.answer(gettext(
            "No chat is bound to a province; all messages go to the main staff chat."
        ))
        return
    here = (platform_of(bot), message.chat.id)
    lines = [gettext("Staff chats by province:")]
    for binding in bindings:
        line = f"▫️ {binding.province} — {isolate(str(binding.chat))}"
        if (binding.chat.platform, binding.chat.chat_id) == here:
            line += " " + gettext("(this chat)")
        lines.append(line)
    await message.answer("\n".join(lines))
