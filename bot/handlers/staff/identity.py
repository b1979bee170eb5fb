"""Resolving an identity conflict from its ticket, in the staff chat: /link or /keepapart with
a reason, as a reply to one of that ticket's messages. /link merges identities, so only
administrators may use it (the service refuses others); /keepapart is any caseworker's."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.filters import IsStaff, StaffChat
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from services.staff import StaffMember
from services.text import isolate_commands, localize_digits
from services.tickets.identity import IdentityOutcome, IdentityResolver, IdentityResult


def build_staff_identity_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_link, StaffChat(), Command("link"), IsStaff())
    router.message.register(on_keep_apart, StaffChat(), Command("keepapart"), IsStaff())
    return router


async def on_link(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    identity_resolver: IdentityResolver, notifier: Notifier,
) -> None:
    await _resolve(message, bot, command, staff, identity_resolver, notifier, link=True)


async def on_keep_apart(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    identity_resolver: IdentityResolver, notifier: Notifier,
) -> None:
    await _resolve(message, bot, command, staff, identity_resolver, notifier, link=False)


async def _resolve(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    resolver: IdentityResolver, notifier: Notifier, *, link: bool,
) -> None:
    reason = (command.args or "").strip()
    if message.reply_to_message is None or not reason:
        await message.reply(isolate_commands(gettext(
            "Reply to the conflict's message (🎫) with /link and a reason, or /keepapart and "
            "a reason."
        )))
        return
    result = await resolver.resolve(
        staff, platform_of(bot), message.chat.id, message.reply_to_message.message_id,
        link=link, reason=reason,
    )
    if result.outcome in (IdentityOutcome.LINKED, IdentityOutcome.KEPT_APART):
        notifier.queued()
    await message.reply(_answer(result))


def _answer(result: IdentityResult) -> str:
    number = localize_digits(str(result.conflict_id or ""), None)
    words = {
        IdentityOutcome.LINKED: gettext(
            "✅ Conflict #{number}: the account is linked to the registered person. They are told."
        ),
        IdentityOutcome.KEPT_APART: gettext(
            "✅ Conflict #{number}: kept apart. The person is told."
        ),
        IdentityOutcome.NOT_ADMIN: gettext(
            "Only administrators can use /link: it joins two identities."
        ),
        IdentityOutcome.NOT_IDENTITY: gettext(
            "This is not a registration conflict. Reply to the conflict's message (🎫)."
        ),
        IdentityOutcome.OUT_OF_SCOPE: gettext(
            "This beneficiary is not in your provinces; another caseworker will answer."
        ),
        IdentityOutcome.ALREADY_RESOLVED: gettext(
            "Conflict #{number} is already resolved."
        ),
        IdentityOutcome.NO_OTHER_PERSON: gettext(
            "The other registration no longer exists: use /keepapart."
        ),
    }
    return isolate_commands(words[result.outcome].format(number=number))
