"""Resolves the account (and person) behind every update once, for every handler after it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, TelegramObject, User

from bot.platforms.bots import platform_of
from services.accounts import AccountService, IncomingUser


class AccountMiddleware(BaseMiddleware):
    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        bot: Bot = data["bot"]
        if user is not None and not user.is_bot:
            chat: Chat | None = data.get("event_chat")
            data["account"] = await self.accounts.resolve(
                IncomingUser(
                    platform=platform_of(bot),
                    user_id=user.id,
                    # Only a private chat is where we can reach the person later.
                    chat_id=chat.id if chat is not None and chat.type == "private" else None,
                    first_name=user.first_name,
                    username=user.username,
                    language_code=user.language_code,
                )
            )
        return await handler(event, data)
