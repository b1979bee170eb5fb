"""A Bot that knows which messenger it talks to."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession

from bot.config import Platform


class PlatformBot(Bot):
    """Built by bot.app.build_bot for one messenger; code asks `profile_of(bot)` what it can do."""

    def __init__(self, token: str, platform: Platform, session: BaseSession) -> None:
        super().__init__(token=token, session=session, default=DefaultBotProperties())
        self.platform: Platform = platform


def platform_of(bot: Bot) -> Platform:
    platform: Platform = getattr(bot, "platform", "telegram")
    return platform
