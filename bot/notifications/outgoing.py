"""What one outbox row becomes on a messenger: the words (or a caption), an optional photo or
document, and optional buttons; the words and buttons are built in each recipient's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from aiogram.types import InlineKeyboardMarkup

from bot.notifications.notifier import Render


@dataclass(frozen=True, slots=True)
class Media:
    kind: Literal["photo", "document"]
    # One key per file (e.g. per broadcast): after the first upload on a bot, the file id that
    # bot returned is sent instead of the bytes.
    key: str
    filename: str
    load: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class Outgoing:
    render: Render
    media: Media | None = None
    keyboard: Callable[[], InlineKeyboardMarkup] | None = None
