"""Staff commands on a ticket, each as a reply to the beneficiary's relayed message (the service
finds the ticket from it, like a reply): /assign [account], /canned [KEY], /ban reason, /unban.
The answers are one line in the staff chat; /canned KEY sends the saved text to the person as a
caseworker's message (stored like one)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.filters import IsStaff, StaffChat
from bot.handlers.staff.roles import parse_account
from bot.handlers.staff.tickets import staff_refusal
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from services.staff import StaffMember
from services.text import isolate, isolate_commands
from services.tickets import Incoming, StaffOutcome, TicketService
from services.tickets.canned import CannedReplies

PREVIEW_WORDS = 6


def build_ticket_tools_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_assign, StaffChat(), Command("assign"), IsStaff())
    router.message.register(on_canned, StaffChat(), Command("canned"), IsStaff())
    router.message.register(on_ban, StaffChat(), Command("ban"), IsStaff())
    router.message.register(on_unban, StaffChat(), Command("unban"), IsStaff())
    return router


async def on_assign(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    ticket_service: TicketService,
) -> None:
    replied = message.reply_to_message
    args = (command.args or "").strip()
    account = parse_account(args) if args else None
    if replied is None or (args and account is None):
        await message.reply(isolate_commands(gettext(
            "Reply to a beneficiary's message with /assign to take it, or /assign telegram:123 "
            "to give it to that caseworker."
        )))
        return
    result = await ticket_service.assign(
        staff, platform_of(bot), message.chat.id, replied.message_id,
        (account.platform, account.user_id) if account is not None else None,
    )
    if result.outcome is StaffOutcome.ASSIGNED:
        await message.reply(gettext("👤 Conversation #{number} is now with {who}.").format(
            number=result.ticket_id, who=isolate(result.detail or "")
        ))
    elif result.outcome is StaffOutcome.NOT_A_CASEWORKER:
        await message.reply(gettext("{who} is not a caseworker. Nothing changed.").format(
            who=isolate(args)
        ))
    elif result.outcome is StaffOutcome.ASSIGNEE_OUT_OF_SCOPE:
        await message.reply(gettext(
            "{who} does not work on this beneficiary's province. Nothing changed."
        ).format(who=isolate(args)))
    else:
        await message.reply(staff_refusal(result))


async def on_canned(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    ticket_service: TicketService, canned_replies: CannedReplies, notifier: Notifier,
) -> None:
    key = (command.args or "").strip()
    text = canned_replies.get(key) if key else None
    replied = message.reply_to_message
    if text is None or replied is None:
        await message.reply(_canned_list(canned_replies, bool(key) and text is None))
        return
    incoming = Incoming("text", text, platform_of(bot), message.chat.id, message.message_id)
    result = await ticket_service.from_staff(
        staff, platform_of(bot), message.chat.id, replied.message_id, incoming
    )
    if result.outcome is StaffOutcome.RELAYED:
        notifier.queued()
        await message.reply(gettext("✉️ Saved reply «{key}» sent.").format(key=isolate(key)))
        return
    await message.reply(staff_refusal(result))


async def on_ban(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    ticket_service: TicketService,
) -> None:
    replied = message.reply_to_message
    reason = (command.args or "").strip()
    if replied is None or not reason:
        await message.reply(isolate_commands(gettext(
            "Reply to a beneficiary's message with /ban and the reason, e.g. /ban insults."
        )))
        return
    result = await ticket_service.ban(
        staff, platform_of(bot), message.chat.id, replied.message_id, reason
    )
    if result.outcome is StaffOutcome.BANNED:
        await message.reply(gettext(
            "🚫 #{number}: this beneficiary's messages are kept but no longer relayed."
        ).format(number=result.ticket_id))
        return
    await message.reply(staff_refusal(result))


async def on_unban(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService
) -> None:
    replied = message.reply_to_message
    if replied is None:
        await message.reply(isolate_commands(gettext(
            "Reply to a beneficiary's message with /unban."
        )))
        return
    result = await ticket_service.unban(
        staff, platform_of(bot), message.chat.id, replied.message_id
    )
    if result.outcome is StaffOutcome.UNBANNED:
        await message.reply(gettext(
            "✅ #{number}: this beneficiary's messages are relayed again."
        ).format(number=result.ticket_id))
    elif result.outcome is StaffOutcome.NOT_BANNED:
        await message.reply(gettext("#{number}: this beneficiary is not banned.").format(
            number=result.ticket_id
        ))
    else:
        await message.reply(staff_refusal(result))


def _canned_list(canned: CannedReplies, unknown: bool) -> str:
    lines = [gettext("No saved reply has that name.")] if unknown else []
    lines.append(gettext(
        "Saved replies (reply to a beneficiary's message with /canned KEY):"
    ))
    for key in canned.keys():
        words = (canned.get(key) or "").split()
        preview = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
        lines.append(f"• {isolate(key)} — {preview}")
    return isolate_commands("\n".join(lines))
