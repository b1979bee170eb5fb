"""The sandbox Bot API: an in-memory Telegram (or Bale) for tests, benchmarks and the web chat.

`call()` answers exactly what the Bot API would answer; the user side (`user_sends`, ...) lives in
`user_side.py`; inspection helpers for tests live here.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from bot.sandbox import media, messages, service_methods, topics
from bot.sandbox.limits import RateLimiter
from bot.sandbox.models import (
    ApiError,
    BotState,
    Chat,
    ChatMessage,
    ForumTopic,
    InjectedFailure,
    UploadedFile,
    bad_request,
)
from bot.sandbox.params import Params, not_found
from bot.sandbox.user_side import UserSide
from bot.sandbox.webhook import deliver_pending

Handler = Callable[..., Any]

_HANDLERS: dict[str, Handler] = {
    "getMe": service_methods.get_me,
    "getUpdates": service_methods.get_updates,
    "setWebhook": service_methods.set_webhook,
    "deleteWebhook": service_methods.delete_webhook,
    "getWebhookInfo": service_methods.get_webhook_info,
    "logOut": service_methods.always_true,
    "close": service_methods.always_true,
    "sendMessage": messages.send_message,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "editMessageCaption": messages.edit_message_caption,
    "deleteMessage": messages.delete_message,
    "copyMessage": messages.copy_message,
    "forwardMessage": messages.forward_message,
    "answerCallbackQuery": service_methods.answer_callback_query,
    "sendPhoto": media.send_photo,
    "sendDocument": media.send_document,
    "sendVoice": media.send_voice,
    "createForumTopic": topics.create_forum_topic,
    "editForumTopic": topics.edit_forum_topic,
    "closeForumTopic": topics.close_forum_topic,
    "reopenForumTopic": topics.reopen_forum_topic,
    "getFile": media.get_file,
    "sendChatAction": service_methods.send_chat_action,
    "setMyCommands": service_methods.set_my_commands,
    "deleteMyCommands": service_methods.delete_my_commands,
    "getMyCommands": service_methods.get_my_commands,
    "getChat": service_methods.get_chat,
    "getChatMember": service_methods.get_chat_member,
}
HANDLERS = {name.lower(): (name, handler) for name, handler in _HANDLERS.items()}
BALE_MISSING = {"setmycommands", "deletemycommands", "getmycommands"} | {
    name.lower() for name in topics.FORUM_METHODS
}
_DEFAULT_FAILURE_TEXT = {
    429: "Too Many Requests: retry after {retry_after}",
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class SandboxBotAPI(UserSide):
    def __init__(self, *, record_calls: bool = True) -> None:
        super().__init__()
        # The benchmark turns the call log off: it would grow by one entry per request.
        self.record_calls = record_calls
        # Bots held to Telegram's flood limits (see sandbox.limits), by token.
        self.limiters: dict[str, RateLimiter] = {}

    async def call(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        files: dict[str, UploadedFile] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """One Bot API request; returns (HTTP status, JSON body) like api.telegram.org."""
        state = self.bots.get(token)
        if state is None:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        key = method.lower()
        entry = HANDLERS.get(key)
        if self.record_calls:
            state.calls.append((entry[0] if entry else method, params))
        limiter = self.limiters.get(token)
        try:
            self._injected_failure(state, key)
            if limiter is not None:
                limiter.admit(key, params)
            if entry is None or (state.is_bale and key in BALE_MISSING):
                raise not_found()
            p = Params(params)
            if state.is_bale:
                if p.has("parse_mode"):
                    raise bad_request("parse_mode is not supported")
                if p.has("message_thread_id"):
                    raise bad_request("message_thread_id is not supported")
            result = entry[1](self, state, p, files or {})
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            return error.status, error.body()
        if limiter is not None:
            limiter.record(key, params)
        return 200, {"ok": True, "result": result}

    # -- flood limits -------------------------------------------------------------------------

    def enforce_limits(
        self,
        token: str | None = None,
        *,
        per_second: float | None = 30.0,
        per_chat_interval: float = 1.0,
        retry_after: int | None = None,
        burst: float | None = None,
        random_429: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Hold one bot (or every bot added so far) to Telegram's flood limits from now on,
        with fresh counters; see sandbox.limits. `per_second=None` limits chats only."""
        for each in [token] if token is not None else list(self.bots):
            self.bot(each)  # an unknown token is a mistake in the test
            self.limiters[each] = RateLimiter(
                per_second=per_second, per_chat_interval=per_chat_interval,
                retry_after=retry_after, burst=burst, random_429=random_429, seed=seed,
            )

    def stop_enforcing(self, token: str | None = None) -> None:
        if token is None:
            self.limiters.clear()
        else:
            self.limiters.pop(token, None)

    def limits(self, token: str) -> RateLimiter:
        """The enforcement state of a bot: its counters (delivered, times, too_many)."""
        return self.limiters[token]

    # -- failure injection ------------------------------------------------------------------

    def fail_next(
        self,
        token: str,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with `status` (429 carries retry_after)."""
        if status != 429:
            retry_after = None
        text = description or _DEFAULT_FAILURE_TEXT.get(status, f"Error {status}")
        self.bot(token).failures[method.lower()] = InjectedFailure(
            status=status,
            description=text.format(retry_after=retry_after),
            retry_after=retry_after,
            times=times,
        )

    @staticmethod
    def _injected_failure(state: BotState, key: str) -> None:
        failure = state.failures.get(key)
        if failure is None:
            return
        failure.times -= 1
        if failure.times <= 0:
            del state.failures[key]
        raise ApiError(failure.status, failure.description, failure.retry_after)

    def block(self, token: str, user_id: int) -> None:
        self.bot(token).blocked.add(user_id)

    def unblock(self, token: str, user_id: int) -> None:
        self.bot(token).blocked.discard(user_id)

    def set_member(self, token: str, chat_id: int, user_id: int, status: str) -> None:
        """Set a group member's status: creator, administrator, member, restricted, left, kicked."""
        self.chat(token, chat_id).members[user_id] = status

    def set_forum(self, token: str, chat_id: int, forum: bool = True) -> None:
        """Turn a group's topics on or off (a supergroup's "Topics" switch)."""
        chat = self.chat(token, chat_id)
        if chat.type == "private":
            raise ValueError("a private chat cannot be a forum")
        chat.type = "supergroup"
        chat.is_forum = forum

    # -- inspection ---------------------------------------------------------------------------

    def chat(self, token: str, chat_id: int) -> Chat:
        return self.bot(token).chats[chat_id]

    def messages(self, token: str, chat_id: int) -> list[ChatMessage]:
        """Messages the bot sent to the chat, as they are now (edits applied, deletions flagged)."""
        chat = self.bot(token).chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if m.outgoing]

    def chat_log(self, token: str, chat_id: int) -> list[ChatMessage]:
        """Every message of the chat, the user's and the bot's, in order."""
        chat = self.bot(token).chats.get(chat_id)
        return list(chat.messages.values()) if chat else []

    def topics(self, token: str, chat_id: int) -> list[ForumTopic]:
        """The forum topics of a chat, oldest first."""
        return list(self.chat(token, chat_id).topics.values())

    def topic_log(self, token: str, chat_id: int, thread_id: int) -> list[ChatMessage]:
        """Every message of one forum topic (the user's and the bot's) in order, without the
        service message that opened it."""
        return [
            m for m in self.chat_log(token, chat_id)
            if m.raw.get("message_thread_id") == thread_id and "forum_topic_created" not in m.raw
        ]

    def last_message(self, token: str, chat_id: int) -> ChatMessage | None:
        """The newest bot message that is not deleted."""
        for message in reversed(self.messages(token, chat_id)):
            if not message.deleted:
                return message
        return None

    def calls(self, token: str) -> list[tuple[str, dict[str, Any]]]:
        return self.bot(token).calls

    def activity_count(self, token: str, chat_id: int) -> int:
        """Sends + edits + deletions by the bot in the chat; the `after_count` of waits."""
        chat = self.bot(token).chats.get(chat_id)
        return chat.bot_activity if chat else 0

    def current_reply_keyboard(self, token: str, chat_id: int) -> dict[str, Any] | None:
        chat = self.bot(token).chats.get(chat_id)
        return chat.reply_keyboard if chat else None

    def callback_answer(self, token: str, callback_query_id: str) -> dict[str, Any] | None:
        record = self.bot(token).callbacks.get(callback_query_id)
        return record.answer if record else None

    def pending_updates(self, token: str) -> list[dict[str, Any]]:
        return list(self.bot(token).updates)

    async def wait_for_bot_message(
        self,
        token: str,
        chat_id: int,
        *,
        after_count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> ChatMessage:
        """Wait until `activity_count(token, chat_id)` exceeds `after_count`.

        Returns the bot message changed most recently (a new one, or an edited/deleted one).
        """
        state = self.bot(token)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.activity_count(token, chat_id) <= after_count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"bot did nothing in chat {chat_id} within {timeout}s "
                    f"(activity {self.activity_count(token, chat_id)} <= {after_count})"
                )
            await state.wait_change(remaining)
        return max(self.messages(token, chat_id), key=lambda m: m.version)

    # -- webhook ------------------------------------------------------------------------------

    def kick_webhook(self, state: BotState) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: deliver_via_webhook() will push the queue later
        if state.webhook_task is None or state.webhook_task.done():
            state.webhook_task = asyncio.create_task(self._webhook_worker(state))

    async def _webhook_worker(self, state: BotState) -> None:
        async def run(method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            return await self.call(state.token, method, params)

        await deliver_pending(state, run)

    def balance_webhook(self, token: str, backends: list[str]) -> None:
        """Deliver this bot's webhook updates to these origins in turn (see sandbox.webhook)."""
        state = self.bot(token)
        state.webhook_backends = list(backends)
        state.webhook_next_backend = 0
        if state.webhook_url and state.updates:
            self.kick_webhook(state)

    async def deliver_via_webhook(
        self,
        token: str,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> int:
        """Push every queued update to the webhook now; returns how many were delivered."""
        state = self.bot(token)
        if not state.webhook_url:
            raise RuntimeError("setWebhook was not called for this bot")
        before = state.webhook_delivered
        self.kick_webhook(state)
        if state.webhook_task is not None:
            await asyncio.wait_for(asyncio.shield(state.webhook_task), timeout)
        return state.webhook_delivered - before

    async def close(self) -> None:
        """Stop background webhook deliveries (call at the end of a test)."""
        for state in self.bots.values():
            task = state.webhook_task
            if task is not None and not task.done():
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
