"""What a person does in the messenger: send messages, press buttons, share a contact."""

from __future__ import annotations

import secrets
from typing import Any

from bot.sandbox.media import document_of, image_size, photo_sizes, voice_of
from bot.sandbox.models import (
    DEMO_USER,
    STAFF_USER,
    BotState,
    CallbackRecord,
    Chat,
    SandboxUser,
    UploadedFile,
)
from bot.sandbox.state import SandboxState
from bot.sandbox.topics import place_in_topic

__all__ = ["DEMO_USER", "STAFF_USER", "UserSide", "inline_buttons", "reply_buttons"]


class UserSide(SandboxState):
    def user_sends(
        self,
        token: str,
        user: SandboxUser,
        *,
        text: str | None = None,
        contact: dict[str, Any] | None = None,
        photo: bytes | None = None,
        document: tuple[str, bytes, str] | None = None,
        sticker: bool = False,
        voice: bool = False,
        caption: str | None = None,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> dict[str, Any]:
        """Send one message as `user`; returns the Message dict that the bot will receive.

        `message_thread_id` posts into that forum topic of the group `chat_id` (a reply to a
        message in a topic goes there by itself). Sending also lifts a block, as pressing
        "Restart" does in the real apps.
        """
        state = self.bot(token)
        chat = self._user_chat(state, user, chat_id)
        raw: dict[str, Any] = {"from": user.as_dict()}
        if text is not None:
            raw["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                raw["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            self._maybe_hide_keyboard(chat)
        if contact is not None:
            raw["contact"] = contact
        if photo is not None:
            stored = self.store_file(state, "photo", photo, "jpg", "image/jpeg")
            raw["photo"] = photo_sizes(state, stored, image_size(photo) or (1280, 960))
        if document is not None:
            filename, content, mime = document
            raw["document"] = document_of(self, state, UploadedFile(filename, content, mime))
        if sticker:
            stored = self.store_file(state, "sticker", b"RIFF\0\0\0\0WEBPVP8 ", "webp")
            raw["sticker"] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            }
        if voice:
            stored = self.store_file(state, "voice", b"OggS", "oga", "audio/ogg")
            raw["voice"] = voice_of(stored, 3)
        if caption is not None and ("photo" in raw or "document" in raw):
            raw["caption"] = caption
        if len(raw) == 1:
            raise ValueError("user_sends needs something to send")
        target = None
        if reply_to_message_id is not None:
            target = chat.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat.id}")
            raw["reply_to_message"] = target.public()
        if message_thread_id is not None or target is not None:
            if not state.is_bale:  # Bale has no topics: a thread id there is the test's mistake
                place_in_topic(chat, raw, message_thread_id, target)
            elif message_thread_id is not None:
                raise ValueError("Bale has no forum topics")
        message = self.store_message(state, chat, raw, outgoing=False)
        self.enqueue(state, {"message": message.public()})
        return message.public()

    def user_sends_document(
        self,
        token: str,
        user: SandboxUser,
        data: bytes,
        file_name: str,
        mime: str | None = None,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A file sent "as a file": the bot sees the sender's name and claimed MIME type (guessed
        from the name when None, as phones do), which need not match the bytes."""
        return self.user_sends(
            token, user, document=(file_name, data, mime or ""), caption=caption, chat_id=chat_id
        )

    def user_sends_photo(
        self,
        token: str,
        user: SandboxUser,
        data: bytes,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A picture sent as a photo (thumbnail + full size; the bytes are kept as sent)."""
        return self.user_sends(token, user, photo=data, caption=caption, chat_id=chat_id)

    def user_shares_contact(
        self,
        token: str,
        user: SandboxUser,
        phone: str,
        *,
        contact_user_id: int | None = None,
        from_address_book: bool = False,
    ) -> dict[str, Any]:
        """The "share my phone" button (own user id), someone else's contact, or a bare number."""
        if not from_address_book:
            # Sharing through the keyboard's contact button uses the keyboard: a one-time
            # keyboard hides, as a typed or pressed text answer hides it.
            self._maybe_hide_keyboard(self.add_user(token, user))
        contact: dict[str, Any] = {"phone_number": phone, "first_name": user.first_name}
        if user.last_name:
            contact["last_name"] = user.last_name
        if not from_address_book:
            contact["user_id"] = user.id if contact_user_id is None else contact_user_id
        return self.user_sends(token, user, contact=contact)

    def user_presses(
        self,
        token: str,
        user: SandboxUser,
        message_id: int,
        callback_data: str,
        chat_id: int | None = None,
        *,
        forge: bool = False,
    ) -> dict[str, Any]:
        """Press an inline button; refuses a button that is not on the message unless `forge`."""
        state = self.bot(token)
        chat = self._user_chat(state, user, chat_id)
        message = chat.messages.get(message_id)
        visible = message is not None and not message.deleted and message.outgoing
        if not forge:
            if not visible or message is None:
                raise ValueError(f"message {message_id} is not in chat {chat.id}")
            data = [data for _, data in inline_buttons(message.raw.get("reply_markup"))]
            if callback_data not in data:
                raise ValueError(f"no button with data {callback_data!r} on {message_id}")
        query_id = str(secrets.randbits(63))
        query: dict[str, Any] = {"id": query_id, "from": user.as_dict(), "data": callback_data}
        if message is not None and not message.deleted:
            query["message"] = message.public()
        if not state.is_bale:
            # Bale leaves this key out; aiogram's model requires it, so the app must cope.
            query["chat_instance"] = str(abs(hash((state.bot_id, chat.id))))
        state.callbacks[query_id] = CallbackRecord(
            id=query_id, user_id=user.id, chat_id=chat.id, message_id=message_id,
            data=callback_data,
        )  # fmt: skip
        return self.enqueue(state, {"callback_query": query})

    def _user_chat(self, state: BotState, user: SandboxUser, chat_id: int | None) -> Chat:
        state.users[user.id] = user
        if chat_id is None or chat_id == user.id:
            state.blocked.discard(user.id)
            return self.add_user(state.token, user)
        chat = state.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"no chat {chat_id}; create_group first")
        chat.members.setdefault(user.id, "member")
        return chat

    @staticmethod
    def _maybe_hide_keyboard(chat: Chat) -> None:
        if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None


def inline_buttons(message: Any) -> list[tuple[str, str]]:
    """(text, callback_data) of every callback button; takes a message, its dict or a markup."""
    markup = _markup_of(message)
    rows = markup.get("inline_keyboard", []) if markup else []
    return [
        (button["text"], button["callback_data"])
        for row in rows
        for button in row
        if "callback_data" in button
    ]


def reply_buttons(message: Any) -> list[str]:
    markup = _markup_of(message)
    rows = markup.get("keyboard", []) if markup else []
    return [button if isinstance(button, str) else button["text"] for row in rows for button in row]


def _markup_of(message: Any) -> dict[str, Any] | None:
    if message is None:
        return None
    if hasattr(message, "reply_markup"):
        markup: dict[str, Any] | None = message.reply_markup
        return markup
    if "_markup" in message:
        return message["_markup"]
    if "reply_markup" in message:
        return message["reply_markup"]
    return message
