"""The hand-off relay's words (services/tickets queues the rows, ids only).

To the staff chat: a one-line header (ticket number, the person's registered name, topic,
province), then the person's words or caption; the file is relayed too. To the person: «👤
Caseworker:» and the words, the file relayed. A file id belongs to the bot that received it:
on the other messenger the bytes are downloaded with the receiving bot and uploaded again.
Once sent, the id the message got is recorded: staff replies are matched against it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import cast

from aiogram import Bot
from aiogram.utils.i18n import gettext

from bot.config import Platform
from bot.i18n import current_locale
from bot.keyboards.tickets import rating_keyboard, topic_label
from bot.notifications.outgoing import Media, MediaKind, Outgoing
from bot.notifications.sender import Wording
from bot.notifications.ticket_topics import TicketTopics
from bot.platforms.profiles import PROFILES
from bot.platforms.topics import close_topic
from services.outbox import OutboxItem
from services.text import isolate_commands, isolate_ltr, localize_digits
from services.tickets import (
    CLOSED_BY_PERSON,
    PERSON_BLOCKED,
    REOPENED,
    TICKET_CLOSED,
    TICKET_STAFF_EVENT,
    TICKET_TO_PERSON,
    TICKET_TO_STAFF,
    RelayView,
    TicketService,
)
from services.tickets.edits import TICKET_EDIT
from services.tickets.identity import SYSTEM_AUTHOR, TICKET_IDENTITY_OUTCOME, IdentityOutcome

logger = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_DEFAULT_NAMES = {"photo": "photo.jpg", "voice": "voice.ogg", "document": "file"}


def ticket_wordings(
    tickets: TicketService, bots: Mapping[Platform, Bot], topics: TicketTopics | None = None
) -> dict[str, Wording]:
    """`topics`: forum topics where the staff chat has them (see ticket_topics.py)."""

    async def thread_of(ticket_id: int, item: OutboxItem) -> int | None:
        if topics is None or item.chat_id is None:
            return None
        try:
            return await topics.thread_for(ticket_id, item.platform, item.chat_id)
        except Exception:  # e.g. the network while making it: this message goes plainly
            logger.exception("ticket %s: no topic this time", ticket_id)
            return None

    async def to_staff(item: OutboxItem) -> Outgoing | None:
        view = await tickets.relay_view(int(item.payload["message_id"]))
        if view is None:
            return None  # deleted with its person
        thread = await thread_of(view.ticket_id, item)
        # In its own topic the header would repeat the topic's name: the words alone.
        return Outgoing(
            render=lambda: _fit(
                ("" if thread is not None else staff_header(view) + "\n") + _staff_body(view),
                view,
            ),
            media=_media(view, bots),
            thread_id=thread,
            on_sent=_record(tickets, view.message_id, item.platform),
            # The bot was removed from the staff chat (or it is gone): the person hears of it.
            on_undelivered=lambda _reason: tickets.staff_chat_unreachable(
                view.message_id, item.platform, item.chat_id or 0
            ),
        )

    async def to_person(item: OutboxItem) -> Outgoing | None:
        view = await tickets.relay_view(int(item.payload["message_id"]))
        if view is None:
            return None
        return Outgoing(
            render=lambda: _fit(gettext("👤 Caseworker:") + "\n" + (view.text or ""), view),
            media=_media(view, bots),
            on_sent=_record(tickets, view.message_id, item.platform),
            on_undelivered=partial(_person_unreachable, tickets, view.message_id),
        )

    async def closed(item: OutboxItem) -> Outgoing | None:
        ticket_id = int(item.payload["ticket_id"])
        return Outgoing(
            render=lambda: gettext(
                "The caseworker has closed this conversation. How helpful was it? "
                "Please choose from 1 to 5 stars."
            ),
            keyboard=lambda: rating_keyboard(ticket_id, current_locale()),
        )

    async def staff_event(item: OutboxItem) -> Outgoing | None:
        event = item.payload.get("event")
        ticket_id = int(item.payload["ticket_id"])
        if event == REOPENED:
            if topics is None or item.chat_id is None:
                return None
            thread = await topics.reopen(ticket_id, item.platform, item.chat_id)
            return None if thread is None else Outgoing(
                render=lambda: gettext("🔄 The beneficiary wrote again; the conversation is open."),
                thread_id=thread,
            )
        if event not in (CLOSED_BY_PERSON, PERSON_BLOCKED):
            raise LookupError(f"no words for ticket event {event!r}")
        place = await tickets.ticket_place(ticket_id)
        thread = place.thread_id if place is not None else None

        def render() -> str:
            number = localize_digits(str(ticket_id), current_locale())
            if event == PERSON_BLOCKED:
                return gettext(
                    "⚠️ #{number}: not delivered. The beneficiary has blocked the bot."
                ).format(number=number)
            return gettext(
                "🎫 #{number}: the beneficiary ended the conversation."
            ).format(number=number)

        async def close_thread(chat_id: int, message_id: int) -> None:
            # Once told there: a closed topic takes no more messages until it is reopened.
            if thread is not None and event == CLOSED_BY_PERSON:
                await close_topic(bots[cast(Platform, item.platform)], chat_id, thread)

        return Outgoing(render=render, thread_id=thread, on_sent=close_thread)

    async def edit(item: OutboxItem) -> Outgoing | None:
        view = await tickets.relay_view(int(item.payload["message_id"]))
        if view is None or view.relayed_message_id is None:
            return None
        if item.payload.get("platform") not in (None, item.platform):
            return None  # the person's other messenger: the copy is not there
        if view.direction == "in":
            body = lambda: staff_header(view) + "\n" + (view.text or "")  # noqa: E731
        else:
            body = lambda: gettext("👤 Caseworker:") + "\n" + (view.text or "")  # noqa: E731
        if PROFILES[cast(Platform, item.platform)].edits_in_place:
            return Outgoing(
                render=lambda: _fit(body(), view), edit_of=view.relayed_message_id,
                media=_media(view, bots),
            )
        # Where an edit may not show in place (Bale), the new words come as a reply.
        return Outgoing(
            render=lambda: _fit(gettext("✏️ Edited:") + "\n" + (view.text or ""), view),
            reply_to=view.relayed_message_id,
        )

    async def identity_outcome(item: OutboxItem) -> Outgoing | None:
        if item.payload.get("platform") not in (None, item.platform):
            return None
        linked = item.payload.get("outcome") == IdentityOutcome.LINKED
        return Outgoing(render=lambda: identity_outcome_text(linked))

    return {
        TICKET_TO_STAFF: to_staff, TICKET_TO_PERSON: to_person, TICKET_CLOSED: closed,
        TICKET_STAFF_EVENT: staff_event, TICKET_IDENTITY_OUTCOME: identity_outcome,
        TICKET_EDIT: edit,
    }


def _staff_body(view: RelayView) -> str:
    if view.direction == "system" and view.author != SYSTEM_AUTHOR:
        # A caseworker's opening message, copied to the staff chat.
        return gettext("✉️ Sent to the applicant:") + "\n" + (view.text or "")
    if view.author != SYSTEM_AUTHOR:
        return view.text or ""
    if view.about.job_lead_id is not None:
        # «I'm interested» in a job lead: the caseworker links the person to the employer.
        return isolate_commands(gettext(
            "💼 This person is interested in job lead #{number}: {title}. Reply here to "
            "talk to them; /jobleads lists the leads and their interested people."
        ).format(number=localize_digits(str(view.about.job_lead_id), current_locale()),
                 title=view.about.job_lead_title or ""))
    # The conflict's line: no national code (the header and this line are seen by the whole
    # group); the commands answer it as a reply.
    return isolate_commands(gettext(
        "⚠️ Registration conflict #{number}: this person typed a national code that another "
        "registered person has, with another phone. Reply /link and a reason to join this "
        "account to that person (administrators only), or /keepapart and a reason."
    ).format(number=localize_digits(str(view.about.conflict_id or "?"), current_locale())))


def identity_outcome_text(linked: bool) -> str:
    if linked:
        return gettext("✅ A caseworker checked your registration and linked this account to it.") \
            + "\n" + gettext("You can use the bot as usual.")
    return gettext(
        "A caseworker checked your registration: this national code stays with the other "
        "registration."
    ) + "\n" + gettext("If you mistyped your code, press «📝 Register» to correct it.")


def staff_header(view: RelayView) -> str:
    parts = [
        "🎫 #" + localize_digits(str(view.ticket_id), current_locale()),
        view.person_name or gettext("(not registered)"),
        topic_label(view.topic),
        view.province or gettext("—"),
    ]
    return " · ".join(parts + _about(view))


def _about(view: RelayView) -> list[str]:
    # The codes are Latin inside a right-to-left line: isolated, or they scramble.
    about = view.about
    if about.tracking_code:
        return [isolate_ltr(about.tracking_code)]
    if about.course_code:
        return [isolate_ltr(about.course_code)]  # the topic already says «course»
    if about.program_id:
        return [gettext("not eligible: {program}").format(program=isolate_ltr(about.program_id))]
    return []


def _fit(text: str, view: RelayView) -> str:
    # A long message still goes (cut, marked) rather than being refused by the messenger.
    limit = CAPTION_LIMIT if view.file_id else TEXT_LIMIT
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _media(view: RelayView, bots: Mapping[Platform, Bot]) -> Media | None:
    if view.kind == "text" or view.file_id is None or view.file_platform is None:
        return None
    file_id, platform = view.file_id, view.file_platform

    async def load() -> bytes:
        data = await bots[cast(Platform, platform)].download(file_id)
        if data is None:
            raise OSError(f"file of ticket message {view.message_id} could not be downloaded")
        return data.read()

    return Media(
        kind=cast(MediaKind, view.kind), key=f"ticket-message-{view.message_id}",
        filename=view.file_name or _DEFAULT_NAMES.get(view.kind, "file"), load=load,
        file_id=file_id, file_platform=platform,
    )


async def _person_unreachable(tickets: TicketService, message_id: int, reason: str) -> None:
    if reason in ("blocked", "nobody"):  # a 400 is the message's fault, not the person's
        await tickets.person_unreachable(message_id)


def _record(
    tickets: TicketService, message_id: int, platform: str
) -> Callable[[int, int], Awaitable[None]]:
    async def on_sent(chat_id: int, relayed_message_id: int) -> None:
        await tickets.relayed(message_id, platform, chat_id, relayed_message_id)

    return on_sent
