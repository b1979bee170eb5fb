"""The caseworkers' side of the hand-off, in the staff group: a reply to a relayed message goes
to that person; /close and /note work as replies too. The ticket is found by the message
replied to (the service matches its messenger, chat and id), never by its words.

Only staff members' messages count (IsStaff); a non-staff member's reply is left alone, and
their /close or /note gets the gate's refusal. A reply to one of the bot's messages that is no
relayed message gets a hint; replies between people in the group are theirs."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.filters import IsStaff, StaffChat
from bot.handlers.ticket_input import incoming_of
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from services.staff import StaffMember
from services.text import isolate_commands
from services.tickets import Incoming, StaffOutcome, StaffResult, TicketService


def build_staff_tickets_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_close, StaffChat(), Command("close"), IsStaff())
    router.message.register(on_note, StaffChat(), Command("note"), IsStaff())
    router.message.register(on_reply, StaffChat(), ReplyToBot(), NotCommand(), IsStaff())
    return router


class ReplyToBot(BaseFilter):
    async def __call__(self, message: Message, bot: Bot) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        # getMe, cached by aiogram after the first call.
        return replied.from_user.id == (await bot.me()).id


class NotCommand(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return not (message.text or message.caption or "").lstrip().startswith("/")


async def on_reply(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService,
    notifier: Notifier,
) -> None:
    assert message.reply_to_message is not None
    incoming = incoming_of(message, platform_of(bot))
    if incoming is None:
        await message.reply(gettext(
            "This kind of message cannot be relayed. Send text, a photo, a file or a voice message."
        ))
        return
    result = await ticket_service.from_staff(
        staff, platform_of(bot), message.chat.id, message.reply_to_message.message_id, incoming
    )
    if result.outcome is StaffOutcome.RELAYED:
        notifier.queued()
        return
    await message.reply(refusal(result))


async def on_note(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    ticket_service: TicketService,
) -> None:
    replied = message.reply_to_message
    if replied is None or not (command.args or "").strip():
        await message.reply(isolate_commands(gettext(
            "Reply to a beneficiary's message with /note and your note, e.g. /note called her."
        )))
        return
    note = Incoming("text", command.args, platform_of(bot), message.chat.id, message.message_id)
    result = await ticket_service.note(
        staff, platform_of(bot), message.chat.id, replied.message_id, note
    )
    if result.outcome is StaffOutcome.NOTED:
        await message.reply(gettext("📝 Note saved. The beneficiary does not see it."))
        return
    await message.reply(refusal(result))


async def on_close(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService,
    notifier: Notifier,
) -> None:
    replied = message.reply_to_message
    if replied is None:
        await message.reply(isolate_commands(gettext(
            "Reply to a beneficiary's message with /close to end that conversation."
        )))
        return
    result = await ticket_service.close_by_staff(
        staff, platform_of(bot), message.chat.id, replied.message_id
    )
    if result.outcome is StaffOutcome.CLOSED_NOW:
        notifier.queued()
        await message.reply(gettext(
            "✅ Conversation #{number} closed. The beneficiary is asked to rate it."
        ).format(number=result.ticket_id))
        return
    await message.reply(refusal(result))


def refusal(result: StaffResult) -> str:
    if result.outcome is StaffOutcome.OUT_OF_SCOPE:
        return gettext("This beneficiary is not in your provinces; another caseworker will answer.")
    if result.outcome is StaffOutcome.ALREADY_CLOSED:
        return gettext(
            "Conversation #{number} is closed. The beneficiary can start a new one."
        ).format(number=result.ticket_id)
    return gettext(
        "Nothing was sent. To answer a beneficiary, reply to their message (the one that "
        "starts with 🎫)."
    )
