"""Bot API methods that create, change or remove text messages."""

from __future__ import annotations

import time
from typing import Any

from bot.sandbox.formatting import render
from bot.sandbox.models import BotState, Chat, ChatMessage, UploadedFile, bad_request
from bot.sandbox.params import Params, check_caption, check_markup, check_text, parse_chat_id
from bot.sandbox.state import SandboxState
from bot.sandbox.topics import place_in_topic

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_COPYABLE = ("text", "photo", "document", "caption", "contact", "sticker", "voice")

Files = dict[str, UploadedFile]


def begin_outgoing(api: SandboxState, state: BotState, p: Params) -> tuple[Chat, dict[str, Any]]:
    """Chat, thread and reply checks shared by every send method."""
    chat = api.chat_for_bot(state, p.raw.get("chat_id"))
    raw: dict[str, Any] = {"from": state.user_dict()}
    reply_to = _reply_target(chat, p)
    place_in_topic(chat, raw, p.get_int("message_thread_id"), reply_to)
    if reply_to is not None:
        raw["reply_to_message"] = reply_to.public()
    return chat, raw


def finish_outgoing(
    api: SandboxState, state: BotState, chat: Chat, raw: dict[str, Any], p: Params
) -> ChatMessage:
    markup = check_markup(p.get_json("reply_markup"))
    apply_markup(chat, raw, markup)
    return api.store_message(state, chat, raw, outgoing=True)


def apply_markup(chat: Chat, raw: dict[str, Any], markup: dict[str, Any] | None) -> None:
    raw["_markup"] = markup
    raw.pop("reply_markup", None)
    if markup is None:
        return
    if "inline_keyboard" in markup:
        raw["reply_markup"] = markup
    elif "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def _reply_target(chat: Chat, p: Params) -> ChatMessage | None:
    reply = p.get_json("reply_parameters")
    if isinstance(reply, dict):
        message_id = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply"))
    else:
        message_id = p.get_int("reply_to_message_id")
        allow_missing = p.get_bool("allow_sending_without_reply")
    if message_id is None:
        return None
    target = chat.messages.get(int(message_id))
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return target


def send_message(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    text = check_text(p.get_str("text"))
    chat, raw = begin_outgoing(api, state, p)
    raw["text"] = check_text(render(text, p.get_str("parse_mode")))
    return finish_outgoing(api, state, chat, raw, p).public()


def _editable(api: SandboxState, state: BotState, p: Params) -> tuple[Chat, ChatMessage]:
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = api.chat_for_bot(state, p.raw.get("chat_id"))
    message = chat.messages.get(p.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.outgoing:
        raise bad_request("message can't be edited")
    return chat, message


def edit_message_text(api: SandboxState, state: BotState, p: Params, files: Files) -> Any:
    text = check_text(p.get_str("text"))
    chat, message = _editable(api, state, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    visible = check_text(render(text, p.get_str("parse_mode")))
    markup = check_markup(p.get_json("reply_markup"), inline_only=True)
    if visible == message.text and markup == message.raw.get("reply_markup"):
        raise bad_request(_NOT_MODIFIED)
    message.raw["text"] = visible
    _record_edit(api, state, chat, message, markup)
    return edit_answer(state, message)


def edit_answer(state: BotState, message: ChatMessage) -> Any:
    """What an edit method answers. Bale may answer any edit with a stub that is not the edited
    message (here: only its id), so callers cannot rely on getting the message back."""
    if state.is_bale:
        return {"message_id": message.message_id}
    return message.public()


def edit_message_reply_markup(api: SandboxState, state: BotState, p: Params, files: Files) -> Any:
    chat, message = _editable(api, state, p)
    markup = check_markup(p.get_json("reply_markup"), inline_only=True)
    if markup == message.raw.get("reply_markup"):
        raise bad_request(_NOT_MODIFIED)
    _record_edit(api, state, chat, message, markup)
    return edit_answer(state, message)


def edit_message_caption(api: SandboxState, state: BotState, p: Params, files: Files) -> Any:
    chat, message = _editable(api, state, p)
    if message.text is not None:
        raise bad_request("there is no caption in the message to edit")
    caption = render(p.get_str("caption") or "", p.get_str("parse_mode"))
    check_caption(caption)
    markup = check_markup(p.get_json("reply_markup"), inline_only=True)
    if caption == (message.caption or "") and markup == message.raw.get("reply_markup"):
        raise bad_request(_NOT_MODIFIED)
    if caption:
        message.raw["caption"] = caption
    else:
        message.raw.pop("caption", None)
    _record_edit(api, state, chat, message, markup)
    return edit_answer(state, message)


def _record_edit(
    api: SandboxState,
    state: BotState,
    chat: Chat,
    message: ChatMessage,
    markup: dict[str, Any] | None,
) -> None:
    apply_markup(chat, message.raw, markup)
    message.raw["edit_date"] = int(time.time())
    message.edit_count += 1
    api.touch(state, chat, message)


def delete_message(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    chat = api.chat_for_bot(state, p.raw.get("chat_id"))
    message = chat.messages.get(p.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    message.deleted = True
    api.touch(state, chat, message)
    return True


def _source(state: BotState, p: Params, verb: str) -> ChatMessage:
    source_chat = state.chats.get(parse_chat_id(p.raw.get("from_chat_id")))
    if source_chat is None:
        raise bad_request("chat not found")
    source = source_chat.messages.get(p.required_int("message_id"))
    if source is None or source.deleted:
        raise bad_request(f"message to {verb} not found")
    return source


def copy_message(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    source = _source(state, p, "copy")
    chat, raw = begin_outgoing(api, state, p)
    raw.update({key: source.raw[key] for key in _COPYABLE if key in source.raw})
    if p.raw.get("caption") is not None and "text" not in raw:
        caption = render(p.get_str("caption") or "", p.get_str("parse_mode"))
        check_caption(caption)
        raw["caption"] = caption
    message = finish_outgoing(api, state, chat, raw, p)
    return {"message_id": message.message_id}


def forward_message(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    source = _source(state, p, "forward")
    chat, raw = begin_outgoing(api, state, p)
    raw.update({key: source.raw[key] for key in _COPYABLE if key in source.raw})
    original = source.raw.get("forward_origin")
    if original is None:
        original = {"type": "user", "sender_user": source.raw["from"], "date": source.raw["date"]}
    raw["forward_origin"] = original
    raw["forward_date"] = original["date"]
    if original.get("type") == "user":
        raw["forward_from"] = original["sender_user"]
    message = api.store_message(state, chat, raw, outgoing=True)
    raw["_markup"] = None
    return message.public()
