"""State records of the sandbox Bot API. Plain dataclasses: no aiogram, no aiohttp."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

Flavour = Literal["telegram", "bale"]
MB = 1024 * 1024


class ApiError(Exception):
    """An error answer of the Bot API; `call` turns it into the JSON body Telegram would send."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    filename: str
    content: bytes
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class SandboxUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "fa"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(slots=True)
class ChatMessage:
    """One message in a chat, from the bot (`outgoing`) or from a user; edits update it in place."""

    message_id: int
    chat_id: int
    outgoing: bool
    raw: dict[str, Any]
    version: int
    deleted: bool = False
    edit_count: int = 0

    @property
    def text(self) -> str | None:
        return self.raw.get("text")

    @property
    def caption(self) -> str | None:
        return self.raw.get("caption")

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        # Kept separately from `raw` because a Message only shows inline keyboards,
        # while tests also want to see the reply keyboard that came with it.
        return self.raw.get("_markup")

    @property
    def photo(self) -> list[dict[str, Any]] | None:
        return self.raw.get("photo")

    @property
    def document(self) -> dict[str, Any] | None:
        return self.raw.get("document")

    @property
    def sender_id(self) -> int | None:
        sender = self.raw.get("from")
        return sender["id"] if sender else None

    def public(self) -> dict[str, Any]:
        """The Message object as the Bot API shows it (no sandbox-private keys)."""
        return {k: v for k, v in self.raw.items() if not k.startswith("_")}


SentMessage = ChatMessage

# The web chat page's people: the beneficiary in the private chat and a caseworker in the group.
DEMO_USER = SandboxUser(id=1001, first_name="مهمان")
STAFF_USER = SandboxUser(id=2001, first_name="کارشناس", last_name="نمونه")


@dataclass(slots=True)
class ForumTopic:
    """A topic of a forum supergroup; its id is the id of the service message that opened it."""

    message_thread_id: int
    name: str
    icon_color: int
    closed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_thread_id": self.message_thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }


@dataclass(slots=True)
class Chat:
    id: int
    type: Literal["private", "group", "supergroup"]
    title: str | None = None
    user: SandboxUser | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    last_message_id: int = 0
    reply_keyboard: dict[str, Any] | None = None
    bot_activity: int = 0
    actions: list[str] = field(default_factory=list)
    topics: dict[int, ForumTopic] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        if self.user is not None:
            data = self.user.as_dict()
            data.pop("is_bot")
            data.pop("language_code", None)
            data["id"] = self.id
            data["type"] = "private"
            return data
        data = {"id": self.id, "type": self.type, "title": self.title}
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass(frozen=True, slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    mime_type: str | None = None


@dataclass(slots=True)
class InjectedFailure:
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass(slots=True)
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str
    answered: bool = False
    answer: dict[str, Any] | None = None
    answered_version: int = 0


@dataclass(slots=True)
class BotState:
    token: str
    flavour: Flavour
    bot_id: int
    username: str
    first_name: str
    staff_group_id: int | None = None
    chats: dict[int, Chat] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    files: dict[str, StoredFile] = field(default_factory=dict)
    file_paths: dict[str, str] = field(default_factory=dict)
    callbacks: dict[str, CallbackRecord] = field(default_factory=dict)
    failures: dict[str, InjectedFailure] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook_url: str = ""
    webhook_secret: str | None = None
    webhook_task: asyncio.Task[None] | None = None
    webhook_error: str | None = None
    webhook_delivered: int = 0
    # A load balancer in front of several workers: origins ("http://127.0.0.1:8081") that take
    # the webhook's deliveries in turn; empty means the webhook URL itself.
    webhook_backends: list[str] = field(default_factory=list)
    webhook_next_backend: int = 0
    # Every POST: (url, HTTP status; 0 when the connection failed).
    webhook_attempts: list[tuple[str, int]] = field(default_factory=list)
    users: dict[int, SandboxUser] = field(default_factory=dict)
    version: int = 0
    waiters: list[asyncio.Future[None]] = field(default_factory=list)

    @property
    def is_bale(self) -> bool:
        return self.flavour == "bale"

    def user_dict(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def bump(self) -> int:
        """Advance the change counter and wake everyone waiting for news from this bot."""
        self.version += 1
        waiters, self.waiters = self.waiters, []
        for waiter in waiters:
            if not waiter.done():
                try:
                    waiter.set_result(None)
                except RuntimeError:  # its event loop is gone (a finished test)
                    pass
        return self.version

    async def wait_change(self, timeout: float) -> None:  # noqa: ASYNC109
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass
        finally:
            if waiter in self.waiters:
                self.waiters.remove(waiter)
