"""aiogram's Response[T] classes stay built for the answer types the bot has used."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from aiogram.methods import GetUserChatBoosts, Response, TelegramMethod
from aiogram.types import UserChatBoosts, UserProfileAudios

from bot.platforms.requests import KeepResponseTypesMiddleware


async def _answered(bot: Any, method: TelegramMethod[Any]) -> str:
    return "answered"


async def test_answer_types_outlive_the_garbage_collector() -> None:
    keep = KeepResponseTypesMiddleware()
    used = GetUserChatBoosts(chat_id=1, user_id=2)
    assert await keep(_answered, None, used) == "answered"  # type: ignore[arg-type]
    kept = weakref.ref(Response[UserChatBoosts])
    # An answer type nobody holds is what pydantic's weak cache loses (the reason for the keep).
    unused = weakref.ref(Response[UserProfileAudios])
    gc.collect()
    assert kept() is not None
    assert unused() is None
