"""Bot API methods that are not about message content: identity, updates, webhook, chats, menu."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from bot.sandbox.models import ApiError, BotState, UploadedFile, bad_request
from bot.sandbox.params import Params, parse_chat_id
from bot.sandbox.state import SandboxState

Files = dict[str, UploadedFile]

_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_send_welcome_messages",
)  # fmt: skip
_UNKNOWN_QUERY = "query is too old and response timeout expired or query ID is invalid"


def get_me(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    return {
        **state.user_dict(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_updates(
    api: SandboxState, state: BotState, p: Params, files: Files
) -> list[dict[str, Any]]:
    if state.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = p.get_int("offset", 0) or 0
    if offset > 0:
        state.updates = [u for u in state.updates if u["update_id"] >= offset]
    elif offset < 0:
        state.updates = state.updates[offset:]
    limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
    timeout = max(p.get_int("timeout", 0) or 0, 0)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not state.updates and not state.webhook_url:
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        await state.wait_change(remaining)
    return state.updates[:limit]


def set_webhook(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    secret = p.get_str("secret_token")
    if secret and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    url = p.get_str("url") or ""
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if p.get_bool("drop_pending_updates"):
        state.updates.clear()
    state.webhook_url = url
    state.webhook_secret = secret or None
    state.webhook_error = None
    state.bump()
    if url and state.updates:
        api.kick_webhook(state)
    return True


def delete_webhook(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    if p.get_bool("drop_pending_updates"):
        state.updates.clear()
    state.webhook_url = ""
    state.webhook_secret = None
    state.bump()
    return True


def get_webhook_info(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    info: dict[str, Any] = {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if state.webhook_error:
        info["last_error_message"] = state.webhook_error
    return info


def always_true(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    return True


def answer_callback_query(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    record = state.callbacks.get(p.get_str("callback_query_id") or "")
    if record is None or record.answered:
        raise bad_request(_UNKNOWN_QUERY)
    text = p.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    record.answered = True
    record.answer = {"text": text, "show_alert": p.get_bool("show_alert"), "url": p.get_str("url")}
    record.answered_version = state.bump()
    return True


def send_chat_action(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    chat = api.chat_for_bot(state, p.raw.get("chat_id"))
    action = p.get_str("action") or ""
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.actions.append(action)
    return True


def _commands_key(p: Params) -> str:
    scope = p.get_json("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + (p.get_str("language_code") or "")


def set_my_commands(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    commands = p.get_json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH" if commands else "commands is empty")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("command description is empty")
    state.commands[_commands_key(p)] = commands
    return True


def delete_my_commands(api: SandboxState, state: BotState, p: Params, files: Files) -> bool:
    state.commands.pop(_commands_key(p), None)
    return True


def get_my_commands(
    api: SandboxState, state: BotState, p: Params, files: Files
) -> list[dict[str, Any]]:
    return state.commands.get(_commands_key(p), [])


def get_chat(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    chat = state.chats.get(parse_chat_id(p.raw.get("chat_id")))
    if chat is None:
        raise bad_request("chat not found")
    return {
        **chat.as_dict(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        },
    }


def get_chat_member(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    chat = state.chats.get(parse_chat_id(p.raw.get("chat_id")))
    if chat is None:
        raise bad_request("chat not found")
    user_id = p.required_int("user_id")
    if user_id == state.bot_id:
        user = state.user_dict()
    elif user_id in state.users:
        user = state.users[user_id].as_dict()
    else:
        raise bad_request("PARTICIPANT_ID_INVALID")
    status = chat.members.get(user_id, "left")
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False})
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "kicked":
        member["until_date"] = 0
    return member
