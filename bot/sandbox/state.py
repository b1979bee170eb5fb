"""The shared bookkeeping under the sandbox: bots, chats, message ids, the update queue, files."""

from __future__ import annotations

import secrets
import time
from typing import Any

from bot.sandbox.models import (
    STAFF_USER,
    ApiError,
    BotState,
    Chat,
    ChatMessage,
    Flavour,
    SandboxUser,
    StoredFile,
    bad_request,
)
from bot.sandbox.params import parse_chat_id

_FILE_ID_PREFIX = {"photo": "AgACAgQAAxk", "document": "BQACAgQAAxk", "sticker": "CAACAgIAAxk",
                   "voice": "AwACAgQAAxk"}  # fmt: skip


class SandboxState:
    def __init__(self) -> None:
        self.bots: dict[str, BotState] = {}
        self._next_bot_id = 7_000_000_001

    # -- bots and chats ------------------------------------------------------------------

    def add_bot(
        self,
        token: str,
        flavour: Flavour = "telegram",
        username: str | None = None,
        bot_id: int | None = None,
        *,
        first_name: str = "مهارت‌یار",
        staff_group_id: int | None = None,
        staff_group_forum: bool = False,
        staff_users: tuple[SandboxUser, ...] = (STAFF_USER,),
    ) -> BotState:
        if bot_id is None:
            bot_id = self._next_bot_id
            self._next_bot_id += 1
        state = BotState(
            token=token,
            flavour=flavour,
            bot_id=bot_id,
            username=username or f"sandbox_{flavour}_{bot_id}_bot",
            first_name=first_name,
            staff_group_id=staff_group_id,
        )
        self.bots[token] = state
        if staff_group_id is not None:
            group = self.create_group(
                token, staff_group_id, "کارشناسان مهارت‌یار", forum=staff_group_forum
            )
            for user in staff_users:
                group.members[user.id] = "administrator"
                state.users[user.id] = user
        return state

    def bot(self, token: str) -> BotState:
        try:
            return self.bots[token]
        except KeyError:
            raise KeyError(f"no sandbox bot with token {token!r}") from None

    def bot_by_id(self, bot_id: int) -> BotState:
        for state in self.bots.values():
            if state.bot_id == bot_id:
                return state
        raise KeyError(f"no sandbox bot with id {bot_id}")

    def create_group(self, token: str, chat_id: int, title: str, *, forum: bool = False) -> Chat:
        state = self.bot(token)
        chat = Chat(id=chat_id, type="supergroup", title=title, is_forum=forum)
        chat.members[state.bot_id] = "administrator"
        state.chats[chat_id] = chat
        return chat

    def add_user(self, token: str, user: SandboxUser) -> Chat:
        """Open the private chat (as if the user pressed Start) without sending anything."""
        state = self.bot(token)
        chat = state.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private", user=user)
            chat.members[user.id] = "member"
            state.chats[user.id] = chat
        return chat

    def chat_for_bot(self, state: BotState, chat_id_value: Any) -> Chat:
        """The chat a bot request names; raises the errors Telegram gives for it."""
        if isinstance(chat_id_value, str) and chat_id_value.startswith("@"):
            raise bad_request("chat not found")
        chat_id = parse_chat_id(chat_id_value)
        chat = state.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.type == "private" and chat_id in state.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    # -- messages and updates ---------------------------------------------------------------

    def store_message(
        self, state: BotState, chat: Chat, raw: dict[str, Any], *, outgoing: bool
    ) -> ChatMessage:
        chat.last_message_id += 1
        raw["message_id"] = chat.last_message_id
        raw["chat"] = chat.as_dict()
        raw.setdefault("date", int(time.time()))
        message = ChatMessage(
            message_id=chat.last_message_id,
            chat_id=chat.id,
            outgoing=outgoing,
            raw=raw,
            version=state.bump(),
        )
        chat.messages[message.message_id] = message
        if outgoing:
            chat.bot_activity += 1
        return message

    def touch(self, state: BotState, chat: Chat, message: ChatMessage) -> None:
        """Record a change to an existing message (edit, delete) for pollers and waiters."""
        message.version = state.bump()
        chat.bot_activity += 1

    def enqueue(self, state: BotState, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": state.next_update_id, **payload}
        state.next_update_id += 1
        state.updates.append(update)
        state.bump()
        if state.webhook_url:
            self.kick_webhook(state)
        return update

    def kick_webhook(self, state: BotState) -> None:  # overridden where webhooks live
        pass

    # -- files --------------------------------------------------------------------------------

    def store_file(
        self, state: BotState, kind: str, content: bytes, extension: str, mime: str | None = None
    ) -> StoredFile:
        prefix = _FILE_ID_PREFIX.get(kind, "BQACAgQAAxk")
        folder = {"photo": "photos", "voice": "voice", "sticker": "stickers"}.get(kind, "documents")
        stored = StoredFile(
            file_id=prefix + secrets.token_urlsafe(40),
            file_unique_id="AQAD" + secrets.token_urlsafe(9),
            content=content,
            file_path=f"{folder}/file_{len(state.files)}.{extension}",
            mime_type=mime,
        )
        state.files[stored.file_id] = stored
        state.file_paths[stored.file_path] = stored.file_id
        return stored

    def file_by_path(self, token: str, path: str) -> StoredFile | None:
        state = self.bot(token)
        file_id = state.file_paths.get(path)
        return state.files.get(file_id) if file_id else None

    async def wait_change(self, state: BotState, timeout: float) -> None:  # noqa: ASYNC109
        await state.wait_change(timeout)
