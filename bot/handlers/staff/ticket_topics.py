"""Caseworkers in a ticket's forum topic: whatever they write there (no reply needed) goes to
the person; /close, /note, /profile and /history work as plain commands in the topic. /profile
and /history also work in a plain staff group as replies to a relayed message.

Included before the reply handlers (tickets.py): in Telegram a message in a topic may come as a
"reply" to the topic's opening message, which is no relayed message. Messages in topics that
belong to no ticket (caseworkers talking among themselves) are left alone."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.config import Settings
from bot.handlers.staff.filters import IsStaff, StaffChat
from bot.handlers.staff.ticket_profile import history_pages, profile_text
from bot.handlers.staff.tickets import NotCommand, staff_refusal
from bot.handlers.ticket_input import incoming_of
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from bot.platforms.topics import close_topic
from services.programs import ProgramRegistry
from services.staff import StaffMember
from services.text import isolate_commands
from services.tickets import Incoming, StaffOutcome, TicketService


def build_ticket_topics_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_profile, StaffChat(), Command("profile"), IsStaff())
    router.message.register(on_history, StaffChat(), Command("history"), IsStaff())
    topic = Router(name=f"{__name__}.topic")
    topic.message.filter(StaffChat(), InTopic())
    topic.message.register(on_close, Command("close"), IsStaff())
    topic.message.register(on_note, Command("note"), IsStaff())
    topic.message.register(on_message, NotCommand(), IsStaff(), TicketTopic())
    router.include_router(topic)
    return router


class InTopic(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return bool(message.is_topic_message and message.message_thread_id)


class TicketTopic(BaseFilter):
    """A topic that belongs to a ticket (one look-up, only for staff messages in topics)."""

    async def __call__(self, message: Message, bot: Bot, ticket_service: TicketService) -> bool:
        assert message.message_thread_id is not None
        found = await ticket_service.ticket_of_thread(
            platform_of(bot), message.chat.id, message.message_thread_id
        )
        return found is not None


def _thread(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


async def on_message(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService,
    notifier: Notifier,
) -> None:
    incoming = incoming_of(message, platform_of(bot))
    if incoming is None:
        await message.reply(gettext(
            "This kind of message cannot be relayed. Send text, a photo, a file or a voice message."
        ))
        return
    result = await ticket_service.from_staff(
        staff, platform_of(bot), message.chat.id, None, incoming, thread_id=_thread(message)
    )
    if result.outcome is StaffOutcome.RELAYED:
        notifier.queued()
        return
    await message.reply(staff_refusal(result))


async def on_note(
    message: Message, bot: Bot, command: CommandObject, staff: StaffMember,
    ticket_service: TicketService,
) -> None:
    if not (command.args or "").strip():
        await message.reply(isolate_commands(gettext(
            "Write /note and your note, e.g. /note called her."
        )))
        return
    note = Incoming("text", command.args, platform_of(bot), message.chat.id, message.message_id)
    result = await ticket_service.note(
        staff, platform_of(bot), message.chat.id, None, note, thread_id=_thread(message)
    )
    await message.reply(
        gettext("📝 Note saved. The beneficiary does not see it.")
        if result.outcome is StaffOutcome.NOTED else staff_refusal(result)
    )


async def on_close(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService,
    notifier: Notifier,
) -> None:
    thread = _thread(message)
    result = await ticket_service.close_by_staff(
        staff, platform_of(bot), message.chat.id, None, thread_id=thread
    )
    if result.outcome is not StaffOutcome.CLOSED_NOW:
        await message.reply(staff_refusal(result))
        return
    notifier.queued()
    await message.reply(gettext(
        "✅ Conversation #{number} closed. The beneficiary is asked to rate it."
    ).format(number=result.ticket_id))
    assert thread is not None
    # After the reply: a closed topic takes no more messages. Reopened when they write again.
    await close_topic(bot, message.chat.id, thread)


async def _located(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService
) -> int | None:
    """The ticket this command points at (its topic, or the relayed message replied to); a
    refusal or a hint was given when None."""
    thread = _thread(message)
    replied = message.reply_to_message
    if thread is None and replied is None:
        await message.reply(isolate_commands(gettext(
            "Use this in the conversation's topic, or as a reply to the beneficiary's message."
        )))
        return None
    result = await ticket_service.locate(
        staff, platform_of(bot), message.chat.id, replied.message_id if replied else None,
        thread_id=thread,
    )
    if result.outcome is StaffOutcome.FOUND and result.ticket_id is not None:
        return result.ticket_id
    await message.reply(staff_refusal(result))
    return None


async def on_profile(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService,
    program_registry: ProgramRegistry,
) -> None:
    ticket_id = await _located(message, bot, staff, ticket_service)
    if ticket_id is None:
        return
    profile = await ticket_service.profile(ticket_id)
    assert profile is not None
    await message.reply(profile_text(profile, program_registry))


async def on_history(
    message: Message, bot: Bot, staff: StaffMember, ticket_service: TicketService,
    settings: Settings,
) -> None:
    ticket_id = await _located(message, bot, staff, ticket_service)
    if ticket_id is None:
        return
    pages = history_pages(await ticket_service.history(ticket_id), settings.timezone)
    for page in pages:
        await message.reply(page)

