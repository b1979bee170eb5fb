"""Downloading a user's file from the messenger into memory, never past a size cap.

The declared size (Message.document.file_size) is checked before anything is fetched, getFile's
size after, and the bytes themselves while streaming: a sender (or a misbehaving server) that
understates the size still cannot make the bot hold more than `max_bytes` in memory.
"""

from __future__ import annotations

import io
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 64 * 1024


class FileTooBig(Exception):
    """The file is larger than the caller's limit (declared, reported by getFile, or streamed)."""

    def __init__(self, max_bytes: int, size: int | None = None) -> None:
        super().__init__(f"file larger than {max_bytes} bytes")
        self.max_bytes = max_bytes
        self.size = size


class DownloadFailed(Exception):
    """The messenger would not hand the file over (expired file_id, network, server error)."""


class _CappedBuffer(io.BytesIO):
    """A BytesIO that refuses to grow past `cap`: aborts the download stream mid-way."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.cap:
            raise FileTooBig(self.cap)
        return super().write(data)


async def download_limited(
    bot: Bot, file_id: str, file_size: int | None, max_bytes: int
) -> bytes:
    """The file's bytes; FileTooBig past `max_bytes`, DownloadFailed when it cannot be fetched."""
    if file_size is not None and file_size > max_bytes:
        raise FileTooBig(max_bytes, file_size)
    try:
        file = await bot.get_file(file_id)
    except TelegramAPIError as exc:
        # Telegram answers getFile for a file past its download cap with "file is too big".
        if "too big" in str(exc).lower():
            raise FileTooBig(max_bytes, file_size) from exc
        raise DownloadFailed(str(exc)) from exc
    if file.file_size is not None and file.file_size > max_bytes:
        raise FileTooBig(max_bytes, file.file_size)
    if not file.file_path:
        raise DownloadFailed("the messenger gave no file path")
    buffer = _CappedBuffer(max_bytes)
    try:
        await bot.download_file(file.file_path, destination=buffer, chunk_size=_CHUNK_BYTES)
    except FileTooBig:
        raise
    except Exception as exc:  # aiohttp, timeouts, 404: all mean "could not fetch it"
        logger.warning("file download failed: %s", type(exc).__name__)
        raise DownloadFailed(type(exc).__name__) from exc
    return buffer.getvalue()
