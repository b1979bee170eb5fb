"""Moves for the forum-topic hand-off tests: the Telegram staff group turned into a forum, a
caseworker writing in a ticket's topic, what the bot said in a topic."""

from __future__ import annotations

from bot.sandbox.models import ChatMessage, ForumTopic
from tests.flows.harness import STAFF_GROUPS, TOKENS, Sandbox
from tests.flows.staff_steps import StaffUser

TOKEN, GROUP = TOKENS["telegram"], STAFF_GROUPS["telegram"]


def make_forum(box: Sandbox) -> None:
    box.api.set_forum(TOKEN, GROUP)


def topics(box: Sandbox) -> list[ForumTopic]:
    return box.api.topics(TOKEN, GROUP)


def bot_said_in_topic(box: Sandbox, thread_id: int) -> list[str]:
    return [
        m.text or m.raw.get("caption") or ""
        for m in box.api.topic_log(TOKEN, GROUP, thread_id) if m.outgoing
    ]


async def write_in_topic(staff: StaffUser, thread_id: int, text: str) -> list[ChatMessage]:
    """`staff` writes in the topic (no reply); returns what the bot said in the group."""
    box = staff.person.sandbox
    before = {m.message_id for m in box.api.messages(TOKEN, GROUP)}
    staff.api.user_sends(
        TOKEN, staff.person.user, text=text, chat_id=GROUP, message_thread_id=thread_id
    )
    await box.pump("telegram")
    return [
        m for m in box.api.messages(TOKEN, GROUP) if m.outgoing and m.message_id not in before
    ]
