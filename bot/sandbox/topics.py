"""Forum topics of supergroups (Telegram only: the Bale flavour answers 404 to these methods).

As in Telegram, a topic's message_thread_id is the id of the `forum_topic_created` service
message that opened it, and a reply to a message in a topic lands in that topic."""

from __future__ import annotations

from typing import Any

from bot.sandbox.models import BotState, Chat, ChatMessage, ForumTopic, UploadedFile, bad_request
from bot.sandbox.params import Params
from bot.sandbox.state import SandboxState

Files = dict[str, UploadedFile]

MAX_TOPIC_NAME = 128
# The only colours Telegram accepts for a topic's icon; the first is its default.
ICON_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)
FORUM_METHODS = ("createForumTopic", "editForumTopic", "closeForumTopic", "reopenForumTopic")


def place_in_topic(
    chat: Chat, raw: dict[str, Any], thread: int | None, reply_to: ChatMessage | None
) -> None:
    """Mark `raw` as a message of topic `thread` (or of the replied message's topic)."""
    if not thread and reply_to is not None:
        thread = reply_to.raw.get("message_thread_id")
    if not thread:
        return
    if not chat.is_forum:
        raise bad_request("message thread not found")
    topic = chat.topics.get(thread)
    if topic is None:
        raise bad_request("message thread not found")
    if topic.closed:
        raise bad_request("TOPIC_CLOSED")
    raw["message_thread_id"] = thread
    raw["is_topic_message"] = True


def _forum(api: SandboxState, state: BotState, p: Params) -> Chat:
    chat = api.chat_for_bot(state, p.raw.get("chat_id"))
    if chat.type != "supergroup" or not chat.is_forum:
        raise bad_request("the chat is not a forum")
    if chat.members.get(state.bot_id) not in ("administrator", "creator"):
        raise bad_request("not enough rights to create a topic")
    return chat


def _topic(chat: Chat, p: Params) -> ForumTopic:
    topic = chat.topics.get(p.required_int("message_thread_id"))
    if topic is None:
        raise bad_request("message thread not found")
    return topic


def _name(p: Params) -> str:
    name = (p.get_str("name") or "").strip()
    if not 1 <= len(name) <= MAX_TOPIC_NAME:
        raise bad_request("TOPIC_NAME_INVALID")
    return name


def create_forum_topic(
    api: SandboxState, state: BotState, p: Params, files: Files
) -> dict[str, Any]:
    chat = _forum(api, state, p)
    name = _name(p)
    color = p.get_int("icon_color", ICON_COLORS[0])
    if color not in ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")  # not Telegram's exact words
    assert color is not None
    raw: dict[str, Any] = {
        "from": state.user_dict(),
        "forum_topic_created": {"name": name, "icon_color": color},
        "is_topic_message": True,
    }
    opening = api.store_message(state, chat, raw, outgoing=True)
    raw["message_thread_id"] = opening.message_id
    raw["_markup"] = None
    topic = ForumTopic(opening.message_id, name, color)
    chat.topics[topic.message_thread_id] = topic
    return topic.as_dict()


def edit_forum_topic(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    chat = _forum(api, state, p)
    topic = _topic(chat, p)
    if p.has("name"):
        topic.name = _name(p)
    state.bump()
    return True


def close_forum_topic(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    return _set_closed(api, state, p, closed=True)


def reopen_forum_topic(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    return _set_closed(api, state, p, closed=False)


def _set_closed(api: SandboxState, state: BotState, p: Params, *, closed: bool) -> bool:
    topic = _topic(_forum(api, state, p), p)
    if topic.closed == closed:
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.closed = closed
    state.bump()
    return True
