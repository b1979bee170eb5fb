"""What an administrator's message may be: a text, or a photo or document with a caption, that
fits every messenger the audience is on.

A text past the limit is refused, never split: a split broadcast reaches some people half-read
(the second part may wait, be paused or cancelled) and doubles the per-chat pacing of the whole
send. Lengths are counted in UTF-16 code units, as Telegram counts them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiogram.types import Message

from bot.platforms.profiles import PROFILES, PlatformProfile

Draft = dict[str, Any]
Problem = dict[str, Any]  # {"kind": ..., params}; worded by getters.problem_text


def length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def read_message(message: Message) -> Draft | Problem:
    """The draft a message makes, or {"kind": "unsupported"} for stickers, voice and the like.
    The text is taken plain: Bale has no parse mode, so formatting would not reach everyone."""
    if message.text is not None:
        return {"kind": "text", "text": message.text}
    caption = message.caption or ""
    if message.photo:
        photo = message.photo[-1]
        return {"kind": "photo", "text": caption, "file_id": photo.file_id,
                "size": photo.file_size, "name": "photo.jpg", "mime": "image/jpeg"}
    if message.document is not None:
        document = message.document
        return {"kind": "document", "text": caption, "file_id": document.file_id,
                "size": document.file_size, "name": document.file_name or "file",
                "mime": document.mime_type}
    return {"kind": "unsupported"}


def problem_of(draft: Draft, platforms: Iterable[str], own: PlatformProfile) -> Problem | None:
    """Why `draft` cannot go to every messenger in `platforms` (None when it can); `own` is the
    administrator's messenger, from which the file is downloaded."""
    if draft.get("kind") not in ("text", "photo", "document"):
        return {"kind": "unsupported"}
    profiles = [PROFILES[p] for p in platforms if p in PROFILES] or [own]
    text = str(draft.get("text") or "")
    if draft["kind"] == "text":
        limit = min(p.max_text_length for p in profiles)
        if length(text) > limit:
            return {"kind": "text_too_long", "limit": limit, "length": length(text)}
        if not text.strip():
            return {"kind": "unsupported"}
        return None
    limit = min(p.max_caption_length for p in profiles)
    if length(text) > limit:
        return {"kind": "caption_too_long", "limit": limit, "length": length(text)}
    size = int(draft.get("size") or 0)
    file_limit = min([own.max_download_bytes] + [p.max_upload_bytes for p in profiles])
    if size > file_limit:
        return {"kind": "file_too_big", "limit": file_limit}
    if draft["kind"] == "photo":
        for profile in profiles:
            if size > profile.max_photo_upload_bytes:
                return {"kind": "photo_too_big", "limit": profile.max_photo_upload_bytes,
                        "platform": profile.name}
    return None
