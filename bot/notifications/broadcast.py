"""What a broadcast's outbox row says: the administrator's text (or the photo or document with
its caption) and «🔕 Stop news» under it; nothing when the person turned news off since.

The broadcast's content is read once per broadcast and kept here (a broadcast of ten thousand
rows must not read its text ten thousand times); its file is loaded by the sender only for the
first upload on each bot, then sent by the file id that bot returned. Who turned news off after
the confirmation is read at most every NEWS_OFF_SECONDS per broadcast, not once per recipient: a
person who presses «🔕 Stop news» may still get a message already on its way in that window."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Literal, cast

from bot.notifications.callbacks import stop_news_keyboard
from bot.notifications.outgoing import Media, Outgoing
from bot.notifications.sender import Wording
from services.broadcasts import BroadcastService
from services.outbox import OutboxItem

# Broadcasts whose content is kept; a process rarely sees more than a few at once.
_KEPT = 16
NEWS_OFF_SECONDS = 2.0


@dataclass(slots=True)
class _Content:
    text: str
    media: Media | None
    confirmed_at: dt.datetime
    news_off: set[int] = field(default_factory=set)
    news_off_read: float = float("-inf")


def broadcast_wording(service: BroadcastService) -> Wording:
    contents: dict[int, _Content] = {}

    async def content_of(broadcast_id: int) -> _Content | None:
        kept = contents.get(broadcast_id)
        if kept is not None:
            return kept
        progress = await service.progress(broadcast_id)
        if progress is None:
            return None
        media = None
        if progress.media_kind in ("photo", "document"):
            async def load() -> bytes:
                return await service.media(broadcast_id)

            media = Media(
                kind=cast(Literal["photo", "document"], progress.media_kind),
                key=f"broadcast:{broadcast_id}",
                filename=progress.media_name or "photo.jpg",
                load=load,
            )
        if len(contents) >= _KEPT:
            contents.clear()
        contents[broadcast_id] = kept = _Content(progress.text, media, progress.created_at)
        return kept

    async def news_off(content: _Content) -> set[int]:
        if time.monotonic() - content.news_off_read > NEWS_OFF_SECONDS:
            content.news_off = await service.turned_news_off_since(content.confirmed_at)
            content.news_off_read = time.monotonic()
        return content.news_off

    async def word(item: OutboxItem) -> Outgoing | None:
        if item.broadcast_id is None or item.person_id is None:
            return None
        content = await content_of(item.broadcast_id)
        if content is None or item.person_id in await news_off(content):
            return None
        text, broadcast_id = content.text, item.broadcast_id
        return Outgoing(render=lambda: text, media=content.media,
                        keyboard=lambda: stop_news_keyboard(broadcast_id))

    return word
